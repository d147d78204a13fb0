"""fairness_report's options and its errors for bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from fairness_helpers import WEEK, A, B, at, one_layer
from seed_plan import build_plan

from oncall_planner import OnCallPlan, ValidationError, Weights, fairness_report


def test_since_alone_gives_whole_cycles_from_there():
    report = fairness_report(build_plan(), at(2025, 6, 4))
    assert (report.horizon.kind, report.horizon.until) == ("cycle", at(2025, 7, 2))


def test_a_chosen_window_that_cuts_a_turn_shows_the_imbalance():
    plan = OnCallPlan(schedules=[one_layer([A, B])])
    report = fairness_report(plan, at(2025, 1, 6), at(2025, 1, 16))  # Ann's week + 3 days of Ben
    assert (report.person(A.email).hours, report.person(B.email).hours) == (168.0, 72.0)
    assert report.hours.balance == pytest.approx(72 / 168)


def test_weights_change_the_burden_not_the_hours():
    plan = OnCallPlan(schedules=[one_layer([A])])
    flat = fairness_report(plan, weights=Weights(night=1, weekend=1, holiday=1)).person(A.email)
    assert flat.burden == flat.hours == 168.0


def test_elapsed_mode_is_passed_to_the_renderer():
    plan = OnCallPlan(schedules=[one_layer([A, B])])
    report = fairness_report(plan, at(2025, 3, 3), cycles=1, mode="elapsed")
    assert report.horizon.until - report.horizon.since == 2 * WEEK


def test_a_plan_of_another_type_is_refused():
    with pytest.raises(ValidationError, match="plan must be an OnCallPlan, got list"):
        fairness_report([])  # type: ignore[arg-type]


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValidationError, match="mode must be 'wall' or 'elapsed', got 'utc'"):
        fairness_report(build_plan(), mode="utc")


def test_cycles_must_be_positive():
    with pytest.raises(ValidationError, match="cycles must be a whole number ≥ 1, got 0"):
        fairness_report(build_plan(), cycles=0)


def test_weights_must_not_be_negative():
    with pytest.raises(
        ValidationError, match="night must be a number ≥ 0 and at most 1,000,000,000, got -1"
    ):
        Weights(night=-1)


def test_holiday_regions_must_be_a_mapping_of_pairs():
    with pytest.raises(ValidationError, match=r"holidays\['ann@example.com'\] must be"):
        fairness_report(build_plan(), holidays={"ann@example.com": ("US", "NY", "x")})


def test_a_naive_since_is_refused():
    with pytest.raises(ValidationError, match="since"):
        fairness_report(build_plan(), dt.datetime(2025, 1, 1))


def test_person_lookup_names_the_people_it_has():
    with pytest.raises(ValidationError, match=r"no person with email 'zed@example\.com'"):
        fairness_report(build_plan()).person("zed@example.com")
