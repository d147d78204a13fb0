"""Dates near the years 1 and 9999, where Python's datetime ends, in every API: a clear
ValidationError naming the years the library works in, or a correct answer; never an
OverflowError from inside the library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Override,
    Page,
    Region,
    Restriction,
    Schedule,
    Target,
    TimeOff,
    User,
    ValidationError,
    audit,
    balance_holidays,
    change_members,
    check,
    cover_time_off,
    diff,
    escalation_timeline,
    fairness_report,
    follow_the_sun,
    next_handoff,
    on_call_at,
    plan_rotation,
    render,
)
from oncall_planner.render import layer_on_call_at
from oncall_planner.report.ics import person_ics, schedule_ics

UTC = dt.timezone.utc
DAY, WEEK = dt.timedelta(days=1), dt.timedelta(weeks=1)
ANN, BEN = User("Ann", "ann@example.com"), User("Ben", "ben@example.com")
NOW = dt.datetime(2025, 1, 6, tzinfo=UTC)


def plan_at(start: dt.datetime, zone: str = "Pacific/Auckland") -> OnCallPlan:
    office = [Restriction.daily("09:00", dt.timedelta(hours=8))]
    schedule = Schedule(
        "S",
        zone,
        [
            Layer("Week", [ANN, BEN], start, WEEK),
            Layer("Day", [BEN, ANN], start, DAY, restrictions=office),
        ],
    )
    policy = EscalationPolicy(
        "P",
        [EscalationRule(30, [Target.schedule(schedule)]), EscalationRule(30, [Target.user(ANN)])],
        num_loops=2,
    )
    return OnCallPlan([schedule], [policy])


PLAN = plan_at(NOW)
SCHEDULE = PLAN.schedules[0]
POLICY = PLAN.escalation_policies[0]
LAYER = SCHEDULE.layers[0]

# Instants outside the years 1970 to 8999, as (since, until) pairs where an API takes two.
OUTSIDE = {
    "year 1": (dt.datetime(1, 1, 1, tzinfo=UTC), dt.datetime(1, 1, 8, tzinfo=UTC)),
    "year 1969": (dt.datetime(1969, 12, 1, tzinfo=UTC), dt.datetime(1969, 12, 8, tzinfo=UTC)),
    "year 9000": (dt.datetime(9000, 1, 1, tzinfo=UTC), dt.datetime(9000, 1, 8, tzinfo=UTC)),
    "year 9999": (dt.datetime(9999, 12, 30, tzinfo=UTC), dt.datetime(9999, 12, 31, tzinfo=UTC)),
}

APIS: dict[str, Callable[[dt.datetime, dt.datetime], Any]] = {
    "Layer": lambda a, b: Layer("L", [ANN], a, WEEK),
    "Layer.rotation_virtual_start": lambda a, b: Layer("L", [ANN], NOW, WEEK, a),
    "Override": lambda a, b: Override(a, b, ANN),
    "TimeOff": lambda a, b: TimeOff(ANN, a, b),
    "Page": lambda a, b: Page(a),
    "escalation_timeline": lambda a, b: escalation_timeline(POLICY, a),
    "check": lambda a, b: check(PLAN, a, b),
    "fairness_report": lambda a, b: fairness_report(PLAN, a, b),
    "fairness_report since": lambda a, b: fairness_report(PLAN, a),
    "schedule_ics": lambda a, b: schedule_ics(SCHEDULE, a, b),
    "person_ics": lambda a, b: person_ics(PLAN, ANN, a, b),
    "plan_rotation": lambda a, b: plan_rotation([ANN, BEN], a, "Etc/UTC"),
    "next_handoff": lambda a, b: next_handoff(LAYER, "Etc/UTC", a),
    "change_members": lambda a, b: change_members(LAYER, [BEN, ANN], a, "Etc/UTC"),
    "cover_time_off": lambda a, b: cover_time_off(PLAN, [], a, b),
    "follow_the_sun": lambda a, b: follow_the_sun(
        [
            Region("A", [ANN], "Europe/London", "08:00", "20:00"),
            Region("B", [BEN], "Asia/Tokyo", "08:00", "20:00"),
        ],
        a,
    ),
    "diff": lambda a, b: diff(PLAN, PLAN, a, b),
    "audit": lambda a, b: audit(PLAN, since=a, max_examples=1),
}


@pytest.mark.parametrize("window", OUTSIDE.values(), ids=OUTSIDE.keys())
@pytest.mark.parametrize("api", APIS.values(), ids=APIS.keys())
def test_dates_outside_the_years_1970_to_8999_are_refused_clearly(
    api: Callable[[dt.datetime, dt.datetime], Any], window: tuple[dt.datetime, dt.datetime]
) -> None:
    with pytest.raises(ValidationError, match="1970 to 8999"):
        api(*window)


# render() and on_call_at() answer a little further out: other functions call them with margins
# around the caller's dates.
RENDERERS: dict[str, Callable[[dt.datetime, dt.datetime], Any]] = {
    "render": lambda a, b: render(SCHEDULE, a, b).entries,
    "on_call_at": lambda a, b: on_call_at(SCHEDULE, a),
    "layer_on_call_at": lambda a, b: layer_on_call_at(LAYER, "Etc/UTC", a),
}


@pytest.mark.parametrize("window", OUTSIDE.values(), ids=OUTSIDE.keys())
@pytest.mark.parametrize("api", RENDERERS.values(), ids=RENDERERS.keys())
def test_render_answers_from_1960_to_9989_and_refuses_beyond(
    api: Callable[[dt.datetime, dt.datetime], Any], window: tuple[dt.datetime, dt.datetime]
) -> None:
    if 1960 <= window[0].year <= 9989:
        api(*window)  # an answer (nobody is on call before the layers start)
    else:
        with pytest.raises(ValidationError, match="1960 to 9989"):
            api(*window)


def test_balance_holidays_refuses_a_year_outside_the_range() -> None:
    with pytest.raises(ValidationError, match="1970 to 8999"):
        balance_holidays(PLAN, "US", 9999)


# The edges of the range: every API answers.
EDGES = {
    "1970 in Auckland": (dt.datetime(1970, 1, 1, tzinfo=UTC), "Pacific/Auckland"),
    "1970 in Honolulu": (dt.datetime(1970, 1, 1, 12, tzinfo=UTC), "Pacific/Honolulu"),
    "8999 in Apia": (dt.datetime(8999, 11, 30, tzinfo=UTC), "Pacific/Apia"),
    "8999 in Santiago": (dt.datetime(8999, 11, 30, tzinfo=UTC), "America/Santiago"),
}


@pytest.mark.parametrize(("start", "zone"), EDGES.values(), ids=EDGES.keys())
def test_every_api_answers_at_the_edges_of_the_range(start: dt.datetime, zone: str) -> None:
    plan = plan_at(start, zone)
    schedule, policy, layer = (
        plan.schedules[0],
        plan.escalation_policies[0],
        plan.schedules[0].layers[0],
    )
    until = start + dt.timedelta(days=31)  # to 8999-12-31
    last = until - dt.timedelta(minutes=1)
    assert render(schedule, start, until).entries
    assert on_call_at(schedule, last) is not None
    assert escalation_timeline(policy, last)
    check(plan, start, until)
    fairness_report(plan, start, until).to_json()
    fairness_report(plan).to_text()
    assert "BEGIN:VEVENT" in schedule_ics(schedule, start, until)
    person_ics(plan, ANN, start, until)
    plan_rotation([ANN, BEN], start, zone)
    next_handoff(layer, zone, last)
    change_members(layer, [BEN, ANN], start + dt.timedelta(days=10), zone)
    cover_time_off(plan, [TimeOff(ANN, start, start + DAY)], start, until)
    diff(plan, plan, start, until)
