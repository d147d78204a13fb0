"""Escalation rules (OCP3xx)."""

from __future__ import annotations

import datetime as dt

from checkkit import BOSS, T0, WEEK, A, B, C, D, layer, policy, run, schedule, weekly_pair

from oncall_planner import OnCallPlan, Restriction

OFFICE = [Restriction.daily("09:00", dt.timedelta(hours=8))]


def offset_pair(name: str = "Secondary"):
    """Ann and Ben again, a week out of step with weekly_pair()."""
    return schedule(name, layer("L", [A, B], rotation_virtual_start=T0 + WEEK))


# OCP301 unreferenced-schedule


def test_unreferenced_schedule_fires_for_a_schedule_no_policy_pages():
    spare = schedule("Spare", layer("L", [A, B]))
    plan = OnCallPlan(schedules=[spare], escalation_policies=[policy("P", (10, [weekly_pair()]))])
    assert [f.subject for f in run("OCP301", plan)] == ["Schedule 'Spare'"]


def test_unreferenced_schedule_quiet_when_every_schedule_is_paged():
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [weekly_pair()]))])
    assert run("OCP301", plan) == []


# OCP302 single-level-policy


def test_single_level_policy_fires():
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [weekly_pair()]))])
    assert [f.subject for f in run("OCP302", plan)] == ["EscalationPolicy 'P'"]


def test_single_level_policy_quiet_with_two_levels():
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [weekly_pair()]), (10, [BOSS]))])
    assert run("OCP302", plan) == []


# OCP303 no-second-person and OCP307 same-person-two-levels


def same_person_plan():
    primary = weekly_pair("Primary")
    secondary = schedule("Secondary", layer("L", [A, B]))  # in step: the same person
    return OnCallPlan(escalation_policies=[policy("P", (10, [primary]), (10, [secondary]))])


def test_no_second_person_fires_when_both_levels_page_the_same_person():
    found = run("OCP303", same_person_plan(), weeks=2)
    assert [(i.start, i.end) for i in found[0].intervals] == [(T0, T0 + 2 * WEEK)]


def test_no_second_person_quiet_when_secondary_is_out_of_step():
    plan = OnCallPlan(
        escalation_policies=[policy("P", (10, [weekly_pair()]), (10, [offset_pair()]))]
    )
    assert run("OCP303", plan) == []


def test_no_second_person_counts_a_round_robin_level_as_one_person():
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [A, B]), round_robin=True)])
    assert len(run("OCP303", plan)) == 1


def test_same_person_two_levels_fires_with_the_levels():
    found = run("OCP307", same_person_plan(), weeks=2)
    assert [f.message.split(" is ")[0] for f in found] == ["Ann", "Ben"]
    assert "levels 1, 2" in found[0].message
    assert [(i.start, i.end) for i in found[0].intervals] == [(T0, T0 + WEEK)]


def test_same_person_two_levels_quiet_when_out_of_step():
    plan = OnCallPlan(
        escalation_policies=[policy("P", (10, [weekly_pair()]), (10, [offset_pair()]))]
    )
    assert run("OCP307", plan) == []


# OCP304 slow-second-person


def test_slow_second_person_fires_for_a_long_first_delay():
    plan = OnCallPlan(escalation_policies=[policy("P", (45, [weekly_pair()]), (10, [BOSS]))])
    found = run("OCP304", plan)
    assert "45 minutes" in found[0].message
    assert found[0].intervals[0].end - found[0].intervals[0].start == dt.timedelta(minutes=45)


def test_slow_second_person_quiet_for_a_short_delay():
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [weekly_pair()]), (10, [BOSS]))])
    assert run("OCP304", plan) == []


def test_slow_second_person_reports_the_worst_case_not_a_lucky_handoff():
    # Levels 1 and 2 page the same rotation: a handoff inside the first delay reaches the next
    # person at minute 20, but most of the time the second person is the boss, at minute 40.
    pair = weekly_pair()
    plan = OnCallPlan(escalation_policies=[policy("P", (20, [pair]), (20, [pair]), (5, [BOSS]))])
    found = run("OCP304", plan)
    assert "40 minutes" in found[0].message


def test_slow_second_person_threshold_is_configurable():
    plan = OnCallPlan(escalation_policies=[policy("P", (45, [weekly_pair()]), (10, [BOSS]))])
    assert run("OCP304", plan, thresholds={"max_minutes": 45}) == []


# OCP305 skipped-level


def test_skipped_level_fires_for_an_office_hours_second_level():
    office = schedule("Office", layer("L", [B, C], restrictions=OFFICE))
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [weekly_pair()]), (10, [office]))])
    found = run("OCP305", plan, weeks=1)
    assert [f.subject for f in found] == ["EscalationPolicy 'P', level 2"]
    assert found[0].intervals[0].start == T0


def test_skipped_level_quiet_when_every_level_is_covered():
    plan = OnCallPlan(
        escalation_policies=[policy("P", (10, [weekly_pair()]), (10, [offset_pair()]))]
    )
    assert run("OCP305", plan) == []


# OCP306 permanent-user-target


def test_permanent_user_target_fires_per_user_target():
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [weekly_pair()]), (10, [BOSS]))])
    found = run("OCP306", plan)
    assert [f.subject for f in found] == ["EscalationPolicy 'P', level 2"]
    assert "Boss" in found[0].message


def test_permanent_user_target_quiet_for_schedule_targets():
    plan = OnCallPlan(
        escalation_policies=[policy("P", (10, [weekly_pair()]), (10, [offset_pair()]))]
    )
    assert run("OCP306", plan) == []


def test_slow_second_person_follows_levels_brought_forward_by_a_skipped_level():
    # Level 1 pages two office-hours desks (Cat, Dan), level 2 the 24/7 primary (Ann or Ben),
    # and the policy loops once. By day two people are paged at once. At night level 1 is
    # skipped, so level 2 comes at minute 0 and the loop's level 1 at minute 20, not 50: a page
    # at 08:40 reaches the desks at 09:00, 20 minutes in. Before that, only Ann is ever paged.
    office = [Restriction.daily("09:00", dt.timedelta(hours=8))]
    desks = [schedule(n, layer("L", [p], restrictions=office)) for n, p in (("Cat", C), ("Dan", D))]
    plan = OnCallPlan(
        escalation_policies=[policy("P", (30, desks), (20, [weekly_pair()]), loops=1)]
    )
    found = run("OCP304", plan, weeks=1, thresholds={"max_minutes": 15})
    assert [f.message.split(" (")[0] for f in found] == [
        "in the worst case a second person is notified 20 minutes after a page"
    ]
    assert found[0].intervals[0].start == T0 + dt.timedelta(hours=8, minutes=40)
