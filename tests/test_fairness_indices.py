"""The fairness indices, on hand-computed examples (docs/fairness.md has the same numbers)."""

from __future__ import annotations

import pytest

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
