"""Fairness after a membership change: the ended layer's people and period have no say."""

from __future__ import annotations

from fairness_helpers import DAY, WEEK, A, B, C, at

from oncall_planner import (
    Layer,
    OnCallPlan,
    Schedule,
    User,
    audit,
    change_schedule_members,
    fairness_report,
)
from oncall_planner.fairness import cycle_length

D = User("Dan", "dan@example.com")
E = User("Eve", "eve@example.com")


def _changed() -> Schedule:
    """Ann, Ben, Cat on three-day turns; from mid-March Cat leaves and Dan and Eve join."""
    before = Schedule(
        "Ops", "America/New_York", [Layer("Rota", [A, B, C], at(2025, 1, 6), 3 * DAY)]
    )
    return change_schedule_members(before, [A, B, D, E], effective=at(2025, 3, 14, 12))


def test_the_cycle_follows_the_layers_still_in_force():
    schedule = _changed()
    successor = schedule.layers[-1]
    assert cycle_length([schedule], successor.start) == 12 * DAY  # 4 people × 3 days
    assert cycle_length([schedule]) == 36 * DAY  # every layer: lcm(9, 12) days


def test_a_member_who_left_is_not_scored_as_starved():
    report = fairness_report(OnCallPlan(schedules=[_changed()]))
    assert report.horizon.cycle == 12 * DAY
    assert report.hours.balance == 1.0
    assert [p.user.name for p in report.rostered] == ["Ann", "Ben", "Dan", "Eve"]
    cat = report.person(C.email)
    assert (cat.rostered, cat.hours) == (False, 0.0)  # listed, not in the indices


def test_a_member_who_has_not_joined_yet_is_not_scored_in_an_earlier_window():
    report = fairness_report(
        OnCallPlan(schedules=[_changed()]), since=at(2025, 2, 3), until=at(2025, 2, 12)
    )
    assert [p.user.name for p in report.rostered] == ["Ann", "Ben", "Cat"]
    assert report.hours.balance == 1.0


def test_audit_does_not_report_a_member_who_left_as_starved():
    plan = OnCallPlan(schedules=[_changed()])
    report = audit(plan, ["not_starved", "balanced"], max_examples=10, seed=1)
    assert report.ok, report.to_text()


def test_a_weekly_team_after_a_change_is_even_over_its_own_cycle():
    before = Schedule(
        "Ops", "America/New_York", [Layer("Rota", [A, B, C, D], at(2025, 1, 1), WEEK)]
    )
    after = change_schedule_members(before, [A, B, C, E], effective=at(2025, 3, 14, 12))
    report = fairness_report(OnCallPlan(schedules=[after]))
    assert report.horizon.since == after.layers[-1].start
    assert {p.hours for p in report.rostered} == {168.0}
    assert not report.person(D.email).rostered
