"""The fairness indices, on hand-computed examples (docs/fairness.md has the same numbers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner.fairness.indices import (
    Indices,
    above_average,
    balance,
    gini,
    max_over_mean,
    one_minus_cv,
)


def test_balance_matches_grafanas_worked_example():
    assert balance([100, 50]) == pytest.approx(0.5)


def test_balance_counts_a_person_with_zero_hours():
    assert balance([168, 168, 0]) == pytest.approx(1 / 3)


def test_balance_of_everyone_at_zero_is_perfect():
    assert balance([0, 0, 0]) == 1.0


def test_one_minus_cv_uses_the_population_standard_deviation():
    assert one_minus_cv([100, 50]) == pytest.approx(1 - 25 / 75)


def test_one_minus_cv_is_not_clamped_at_zero():
    assert one_minus_cv([300, 0, 0, 0]) < 0


def test_gini_of_two_people():
    assert gini([100, 50]) == pytest.approx(100 / 600)


def test_gini_of_one_person_carrying_everything():
    assert gini([10, 0, 0, 0]) == pytest.approx(0.75)


def test_max_over_mean():
    assert max_over_mean([100, 50]) == pytest.approx(4 / 3)


def test_above_average_is_relative_to_the_mean():
    assert above_average(100, [100, 50]) == pytest.approx(1 / 3)
    assert above_average(50, [100, 50]) == pytest.approx(-1 / 3)


def test_even_loads_score_perfectly_on_every_index():
    assert Indices.of([7, 7, 7]) == Indices(1.0, 1.0, 0.0, 1.0)


def _counting(name: str):  # type: ignore[no-untyped-def]
    base = getattr(float, name)

    def op(self, other):  # type: ignore[no-untyped-def]
        Counted.ops += 1
        return base(self, other)

    return op


class Counted(float):
    """A load that counts the comparisons and divisions made with it."""

    ops = 0
    __lt__ = _counting("__lt__")
    __le__ = _counting("__le__")
    __gt__ = _counting("__gt__")
    __ge__ = _counting("__ge__")
    __eq__ = _counting("__eq__")
    __truediv__ = _counting("__truediv__")
    __rtruediv__ = _counting("__rtruediv__")
    __hash__ = float.__hash__


def test_balance_is_not_quadratic_in_people():
    # 1,000 teams of seven took 8 s in the pairwise form; the sorted form is n log n.
    loads = [Counted((i * 7919) % 1000 / 7) for i in range(2000)]
    Counted.ops = 0
    balance(loads)
    assert Counted.ops < 40 * len(loads)


@given(st.lists(st.floats(0, 1e6, allow_nan=False), max_size=60))
def test_balance_is_the_mean_pairwise_min_over_max(xs):
    pairs = [(a, b) for i, a in enumerate(xs) for b in xs[i + 1 :]]
    expected = (
        sum(1.0 if max(a, b) == 0 else min(a, b) / max(a, b) for a, b in pairs) / len(pairs)
        if pairs
        else 1.0
    )
    assert balance(xs) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_balance_of_equal_loads_is_exactly_one():
    assert balance([0.1] * 7) == 1.0
