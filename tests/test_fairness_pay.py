"""The compensation preview."""

from __future__ import annotations

import pytest
from fairness_helpers import A, at, one_layer

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
