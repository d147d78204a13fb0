"""Coverage rules (OCP2xx)."""

from __future__ import annotations

import datetime as dt

from checkkit import BOSS, DAY, T0, WEEK, A, B, C, D, layer, policy, run, schedule, weekly_pair

from oncall_planner import OnCallPlan, Override, Restriction, TimeOff

OFFICE = [Restriction.daily("09:00", dt.timedelta(hours=8))]


# OCP201 first-level-gap


def test_first_level_gap_fires_for_an_office_hours_schedule():
    office = schedule("Office", layer("L", [A, B], restrictions=OFFICE))
    found = run("OCP201", OnCallPlan(escalation_policies=[policy("P", (10, [office]))]), weeks=1)
    assert [f.subject for f in found] == ["Schedule 'Office'"]
    first = found[0].intervals[0]
    assert (first.start, first.end) == (T0, T0 + dt.timedelta(hours=9))
    assert len(found[0].intervals) == 8  # before each of 7 windows, and after the last
    assert "EscalationPolicy 'P'" in found[0].message


def test_first_level_gap_quiet_for_a_24_7_schedule():
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [weekly_pair()]))])
    assert run("OCP201", plan) == []


def test_first_level_gap_quiet_when_another_schedule_on_the_level_covers_it():
    office = schedule("Office", layer("L", [A, B], restrictions=OFFICE))
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [office, weekly_pair()]))])
    assert run("OCP201", plan) == []


def test_first_level_gap_quiet_when_the_level_targets_a_user():
    office = schedule("Office", layer("L", [A, B], restrictions=OFFICE))
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [office, BOSS]))])
    assert run("OCP201", plan) == []


def test_first_level_gap_sees_overrides():
    office = schedule("Office", layer("L", [A, B], restrictions=OFFICE))
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [office]))])
    fill = [Override(T0, T0 + dt.timedelta(hours=9), C)]
    found = run("OCP201", plan, weeks=1, overrides={"Office": fill})
    assert found[0].intervals[0].start == T0 + dt.timedelta(hours=17)


def test_first_level_gap_threshold_ignores_short_gaps():
    office = schedule("Office", layer("L", [A, B], restrictions=OFFICE))
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [office]))])
    assert run("OCP201", plan, thresholds={"min_gap_minutes": 16 * 60}) == []


# OCP202 on-call-during-time-off


def test_on_call_during_time_off_fires_for_the_overlap():
    plan = OnCallPlan(schedules=[weekly_pair()])  # Ann week 1, Ben week 2
    away = TimeOff(A, T0 + 5 * DAY, T0 + 10 * DAY)
    found = run("OCP202", plan, time_off=[away])
    assert [f.subject for f in found] == ["User 'Ann' <ann@example.com>"]
    assert [(i.start, i.end) for i in found[0].intervals] == [(T0 + 5 * DAY, T0 + WEEK)]


def test_on_call_during_time_off_quiet_when_away_off_duty():
    plan = OnCallPlan(schedules=[weekly_pair()])
    assert run("OCP202", plan, time_off=[TimeOff(A, T0 + WEEK, T0 + 2 * WEEK)]) == []


def test_on_call_during_time_off_counts_a_user_target_as_always_on_call():
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [weekly_pair()]), (10, [BOSS]))])
    found = run("OCP202", plan, time_off=[TimeOff(BOSS, T0, T0 + DAY)])
    assert [(i.start, i.end) for i in found[0].intervals] == [(T0, T0 + DAY)]


# OCP203 several-schedules-at-once


def test_several_schedules_at_once_fires_for_a_shared_person():
    s1 = schedule("One", layer("L", [A, B]))
    s2 = schedule("Two", layer("L", [A, C]))
    found = run("OCP203", OnCallPlan(schedules=[s1, s2]), weeks=2)
    assert [f.subject for f in found] == ["User 'Ann' <ann@example.com>"]
    assert [(i.start, i.end) for i in found[0].intervals] == [(T0, T0 + WEEK)]
    assert "'One', 'Two'" in found[0].message


def test_several_schedules_at_once_quiet_for_disjoint_teams():
    s1 = schedule("One", layer("L", [A, B]))
    s2 = schedule("Two", layer("L", [C, D]))
    assert run("OCP203", OnCallPlan(schedules=[s1, s2])) == []
