"""Fairness indices over a list of non-negative loads (hours or weighted burden).

Exact definitions, with ``x_1 … x_n`` the loads of the n rostered people and ``m`` their mean
(docs/fairness.md has the same with examples):

- ``balance``: mean over all unordered pairs of ``min(x_i, x_j) / max(x_i, x_j)``; a pair of two
  zeros counts 1, a zero and a non-zero count 0; 1 when n < 2. Grafana OnCall's balance, except that
  people with zero load are included.
- ``one_minus_cv``: ``1 − σ / m`` with σ the population standard deviation; 1 when m = 0. Not
  clamped, so it is negative when σ > m.
- ``gini``: ``Σ_i Σ_j |x_i − x_j| / (2 n² m)``; 0 when m = 0.
- ``max_over_mean``: ``max(x) / m``; 1 when m = 0.
- ``above_average`` (per person): ``x_i / m − 1``; 0 when m = 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs


def balance(xs: Sequence[float]) -> float:
    """Mean over all unordered pairs of ``min / max`` (see the module docstring), in the sorted
    form: with the loads in increasing order, the pairs of ``x_j`` with the smaller loads before
    it add up to ``(sum of those loads) / x_j``, and equal loads pair to exactly 1. ``n log n``
    instead of the ``n²`` of comparing every pair (1,000 teams of seven took 8 s)."""
    n = len(xs)
    if n < 2:
        return 1.0
    ordered = sorted(xs)
    acc = 0.0
    smaller = 0.0  # the sum of the loads below the current run of equal loads
    i = 0
    while i < n:
        x = ordered[i]
        j = i
        while j < n and ordered[j] == x:
            j += 1
        run = j - i
        acc += run * (run - 1) / 2  # pairs within the run: min / max = 1 (two zeros count 1)
        if x != 0:
            acc += run * (smaller / x)  # each with every smaller load
        smaller += run * x
        i = j
    return acc / (n * (n - 1) / 2)


def mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def one_minus_cv(xs: Sequence[float]) -> float:
    m = mean(xs)
    if m == 0:
        return 1.0
    sigma = math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs))
    return 1.0 - sigma / m


def gini(xs: Sequence[float]) -> float:
    n, m = len(xs), mean(xs)
    if m == 0:
        return 0.0
    # Sorted form of Σ_i Σ_j |x_i − x_j|: 2 Σ_k (2k − n + 1) x_(k), k = 0 … n − 1.
    ordered = sorted(xs)
    pair_sum = 2 * sum((2 * k - n + 1) * x for k, x in enumerate(ordered))
    return pair_sum / (2 * n * n * m)


def max_over_mean(xs: Sequence[float]) -> float:
    m = mean(xs)
    return 1.0 if m == 0 else max(xs) / m


def above_average(x: float, xs: Sequence[float]) -> float:
    m = mean(xs)
    return 0.0 if m == 0 else x / m - 1.0


@attrs.frozen
class Indices:
    """The four team-wide indices on one measure (1 is perfect for all but ``gini``: 0 is)."""

    balance: float
    one_minus_cv: float
    gini: float
    max_over_mean: float

    @classmethod
    def of(cls, xs: Sequence[float]) -> Indices:
        return cls(balance(xs), one_minus_cv(xs), gini(xs), max_over_mean(xs))


__all__ = [
    "Indices",
    "above_average",
    "balance",
    "gini",
    "max_over_mean",
    "mean",
    "one_minus_cv",
]
