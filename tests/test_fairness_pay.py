"""The compensation preview."""

from __future__ import annotations

import pytest
from fairness_helpers import A, B, at, one_layer

from oncall_planner import OnCallPlan, PayRates, ValidationError, fairness_report

JULY = (at(2025, 6, 30), at(2025, 7, 7))  # a week with Friday 4 July


def _pay(rates: PayRates):
    report = fairness_report(
        OnCallPlan(schedules=[one_layer([A])]), *JULY, holidays={A.email: "US"}, rates=rates
    )
    return report.person(A.email).pay


def test_hourly_pay_multiplies_weekday_weekend_and_holiday_hours():
    pay = _pay(PayRates(per_hour=10, weekday=1, weekend=1.5, holiday=2))
    assert pay.hourly == 96 * 10 + 48 * 15 + 24 * 20


def test_shift_pay_uses_the_kind_of_day_the_shift_starts_on():
    pay = _pay(PayRates(per_shift=50, weekday=1, weekend=3))
    assert (pay.shifts, pay.total) == (50.0, 50.0)


def test_no_rates_no_pay():
    assert fairness_report(OnCallPlan(schedules=[one_layer([A])])).person(A.email).pay is None


def test_negative_rates_are_refused():
    with pytest.raises(ValidationError, match="per_hour must be a number ≥ 0"):
        PayRates(per_hour=-1)


def test_a_shift_across_the_end_of_the_cycle_is_paid_once():
    # Primary then secondary, two weeks in a row: Dan's is split by the cycle's edges (secondary
    # in the first week, primary in the last); the cycle repeats, so it is one shift, as for all.
    from oncall_planner import User, plan_rotation

    team = [A, User("Bea", "bea@example.com"), User("Cy", "cy@example.com")]
    team.append(User("Dan", "dan@example.com"))
    plan = plan_rotation(team, at(2025, 1, 6, 9), "America/New_York", secondary="previous")
    report = fairness_report(plan, rates=PayRates(per_shift=100))
    assert report.horizon.kind == "cycle"
    shifts = {p.user.name: (p.shifts, p.longest_stretch_hours, p.pay.total) for p in report.people}
    assert set(shifts.values()) == {(1, 336.0, 100.0)}, shifts


def test_a_chosen_window_counts_each_part_of_a_cut_shift():
    # Outside whole cycles nothing wraps: the window simply cuts the stretch.
    report = fairness_report(
        OnCallPlan(schedules=[one_layer([A])]), at(2025, 6, 30), at(2025, 7, 14)
    )
    assert report.person(A.email).shifts == 1
    two = OnCallPlan(schedules=[one_layer([A, B])])
    report = fairness_report(two, at(2025, 1, 9), at(2025, 1, 23))
    assert (report.person(A.email).shifts, report.person(B.email).shifts) == (2, 1)


def test_amounts_are_floats_whatever_the_type_of_the_rates():
    # Whole-number rates gave int amounts for some people and floats for others (120 vs 140.0
    # in the same CSV column).
    import csv
    import io

    report = fairness_report(
        OnCallPlan(schedules=[one_layer([A, B])]),
        rates=PayRates(per_hour=3, per_shift=40, weekday=1, weekend=2, holiday=3),
    )
    for p in report.people:
        assert type(p.pay.hourly) is float and type(p.pay.shifts) is float
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert all("." in r["pay_shifts"] and "." in r["pay_hourly"] for r in rows), rows
