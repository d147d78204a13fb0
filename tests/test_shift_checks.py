"""check() and the escalation timeline on plans that mix both kinds of schedule: several people on
call at once is a state the rules reason about (each of them counts), never an error."""

from __future__ import annotations

import datetime as dt

import pytest
from checkkit import BOSS, layer, policy, run, schedule
from shiftkit import (
    DAY,
    EMPTY_MEMBER,
    HOUR,
    T0,
    WEEK,
    A,
    C,
    D,
    E,
    around_the_clock,
    days_rotation,
    event,
    mixed_plan,
    shift_schedule,
    support,
)

from oncall_planner import (
    CustomShift,
    OnCallPlan,
    Override,
    Page,
    Restriction,
    Rotation,
    ShiftOverride,
    ValidationError,
    escalation_timeline,
    render,
)
from oncall_planner.escalation import DUPLICATE


def pairs(name: str = "Pairs", members: list | None = None):  # type: ignore[no-untyped-def]
    """24/7, everyone in ``members`` (default Cat and Eve) on call together."""
    return shift_schedule(name, Rotation([event("All day", members or [C, E], every=True)]))


# --- the escalation timeline -------------------------------------------------------------------


def who(timeline):  # type: ignore[no-untyped-def]
    return [(n.minute, n.level, n.user.name if n.user else None) for n in timeline]


def test_a_level_on_a_shift_based_schedule_notifies_everyone_on_call() -> None:
    ops = mixed_plan().escalation_policy("Ops")
    timeline = escalation_timeline(ops, T0 + 13 * HOUR)  # Monday 13:00: Days and Pair overlap
    assert who(timeline) == [(0, 1, "Cat"), (0, 1, "Eve"), (10, 2, "Ann")]
    assert timeline[0].target == timeline[1].target  # both through the one schedule target


def test_the_people_come_in_schedule_order_by_rotation() -> None:
    # Week 2: Dan holds the Days rotation, Cat and Eve the Pair rotation.
    timeline = escalation_timeline(mixed_plan().escalation_policy("Ops"), T0 + WEEK + 13 * HOUR)
    assert [n.user.name for n in timeline if n.level == 1] == ["Dan", "Cat", "Eve"]


def test_shift_overrides_are_keyed_by_schedule_name() -> None:
    plan = mixed_plan()
    pair = plan.shift_schedule("Support").rotations[1]
    swap = ShiftOverride(T0 + 12 * HOUR, T0 + 14 * HOUR, E, D, rotation=pair)
    timeline = escalation_timeline(
        plan.escalation_policy("Ops"), T0 + 13 * HOUR, overrides={"Support": [swap]}
    )
    assert [n.user.name for n in timeline if n.level == 1] == ["Cat", "Dan"]


def test_an_override_of_the_wrong_kind_is_refused_in_words() -> None:
    ops = mixed_plan().escalation_policy("Ops")
    with pytest.raises(ValidationError, match=r"overrides\['Support'\] must hold ShiftOverride"):
        escalation_timeline(ops, T0, overrides={"Support": [Override(T0, T0 + DAY, D)]})


def test_a_person_reached_twice_on_one_level_is_notified_once() -> None:
    # Cat is on both the Days and the Pair rotation at 13:00, and a user target of the level.
    timeline = escalation_timeline(policy("P", (10, [support(), C])), T0 + 13 * HOUR)
    assert [(n.user.name, n.note) for n in timeline] == [
        ("Cat", None),
        ("Eve", None),
        ("Cat", DUPLICATE),
    ]


# --- coverage ----------------------------------------------------------------------------------


def test_ocp201_counts_an_empty_slot_as_a_gap() -> None:
    office = shift_schedule("Office", days_rotation([C, EMPTY_MEMBER]))
    (found,) = run("OCP201", OnCallPlan(escalation_policies=[policy("P", (10, [office]))]), 2)
    assert found.message.startswith("nobody on call for 296 h")  # Cat's 40 h of 336 are covered
    last = found.intervals[-1]  # from Cat's last shift to the end: the empty slot's whole week
    assert (last.start, last.end) == (T0 + 4 * DAY + 17 * HOUR, T0 + 2 * WEEK)
    assert "add a rotation" in found.hint


def test_ocp203_sees_a_person_on_a_layer_and_a_shift_based_schedule_at_once() -> None:
    nights = schedule("Nights", layer("L", [C]))  # Cat 24/7
    plan = OnCallPlan(schedules=[nights], shift_schedules=[support()])
    (found,) = run("OCP203", plan, 1)
    assert found.subject == "User 'Cat' <cat@example.com>"
    assert "'Nights', 'Support'" in found.message
    assert found.intervals[0].start == T0 + 9 * HOUR  # her first Days shift


def test_ocp203_leaves_two_shifts_of_one_shift_based_schedule_alone() -> None:
    # Cat holds a Days and a Pair shift at noon on Support: one schedule, no finding.
    assert run("OCP203", OnCallPlan(shift_schedules=[support()]), 1) == []


# --- escalation rules --------------------------------------------------------------------------


def test_ocp303_counts_everyone_a_shift_based_level_reaches() -> None:
    together = OnCallPlan(escalation_policies=[policy("P", (10, [pairs()]), (10, [pairs()]))])
    assert run("OCP303", together) == []
    alone = pairs("Alone", [C])
    lonely = OnCallPlan(escalation_policies=[policy("P", (10, [alone]), (10, [alone]))])
    assert [f.subject for f in run("OCP303", lonely)] == ["EscalationPolicy 'P'"]


def test_ocp304_a_second_person_notified_at_once_is_not_slow() -> None:
    plan = OnCallPlan(escalation_policies=[policy("P", (45, [pairs()]), (10, [BOSS]))])
    assert run("OCP304", plan) == []
    alone = OnCallPlan(escalation_policies=[policy("P", (45, [pairs("A", [C])]), (10, [BOSS]))])
    assert "45 minutes" in run("OCP304", alone)[0].message


def test_ocp307_sees_the_second_person_of_a_shift_based_level() -> None:
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [pairs()]), (10, [E]))])
    (found,) = run("OCP307", plan, 1)
    assert found.message.startswith("Eve is on call on levels 1, 2 at once for 168 h")


def test_ocp301_names_an_unreferenced_shift_based_schedule() -> None:
    plan = OnCallPlan(shift_schedules=[support()])
    assert [f.subject for f in run("OCP301", plan, 1)] == ["ShiftSchedule 'Support'"]


# --- rest --------------------------------------------------------------------------------------


def test_ocp401_joins_a_shift_to_a_layer_turn_that_follows_it() -> None:
    week = around_the_clock("Around", [C, D])  # Cat 24/7 in week 1
    extra = schedule("Extra", layer("L", [C], turn=DAY, start=T0 + WEEK, end=T0 + WEEK + DAY))
    (found,) = run("OCP401", OnCallPlan(schedules=[extra], shift_schedules=[week]), 3)
    assert found.subject == "User 'Cat' <cat@example.com>"
    assert "192 h without a break" in found.message


def test_ocp402_sees_the_rest_between_a_shift_and_a_layer_turn() -> None:
    office = shift_schedule("Office", days_rotation([C]))  # Cat 09:00-17:00 on weekdays
    evening = schedule(
        "Evening",
        layer("L", [C], restrictions=[Restriction.daily("19:00", dt.timedelta(hours=4))]),
    )
    (found,) = run("OCP402", OnCallPlan(schedules=[evening], shift_schedules=[office]), 1)
    assert "the shortest 2 h" in found.message


def test_ocp403_counts_custom_shifts_above_the_rotation_share() -> None:
    weekends = [
        CustomShift(T0 + 5 * DAY + 9 * HOUR + k * WEEK, T0 + 5 * DAY + 19 * HOUR + k * WEEK, C)
        for k in range(4)
    ]
    office = shift_schedule("Office", days_rotation(), custom=weekends)
    (found,) = run("OCP403", OnCallPlan(shift_schedules=[office]))
    assert found.subject == "ShiftSchedule 'Office'"
    assert found.message == "Cat is on call 120 h, +50% against their fair share of 80 h"
    fair = shift_schedule("Office", days_rotation())
    assert run("OCP403", OnCallPlan(shift_schedules=[fair])) == []


def test_ocp403_counts_an_every_member_event_in_full_for_each_member() -> None:
    # Cat and Eve are both on call all the time: each has a full share, nobody is above it.
    assert run("OCP403", OnCallPlan(shift_schedules=[pairs()])) == []


# --- pages -------------------------------------------------------------------------------------


def pages_at(*hours_after: float) -> list[Page]:
    return [Page(T0 + dt.timedelta(hours=h), policy="Ops") for h in hours_after]


def test_a_page_during_concurrent_shifts_goes_to_the_first_person_the_policy_reaches() -> None:
    # Monday noon to 14:00: Cat (Days, then Pair) and Eve (Pair) are paged together; Cat first.
    found = run("OCP501", mixed_plan(), 1, pages=pages_at(12.5, 13, 13.5))
    assert [f.subject for f in found] == ["User 'Cat' <cat@example.com>"]
    assert "3 pages in the shift" in found[0].message


def test_in_the_second_week_the_days_rotation_comes_first() -> None:
    week2 = [p + 7 * 24 for p in (12.5, 13, 13.5)]
    found = run("OCP501", mixed_plan(), 2, pages=pages_at(*week2))
    assert [f.subject for f in found] == ["User 'Dan' <dan@example.com>"]


def test_pages_in_a_shift_based_shift_are_not_reported_as_shiftless() -> None:
    found = run("OCP503", mixed_plan(), 1, pages=pages_at(12.5, 13, 13.5))
    assert found == []


# --- the whole check ----------------------------------------------------------------------------


def test_check_on_a_mixed_plan_with_overrides_of_both_kinds() -> None:
    plan = mixed_plan()
    days = plan.shift_schedule("Support").rotations[0]
    findings = run(
        "OCP203",
        OnCallPlan(schedules=plan.schedules, shift_schedules=plan.shift_schedules),
        1,
        overrides={
            "Primary": [Override(T0 + 12 * HOUR, T0 + 13 * HOUR, C)],
            "Support": [ShiftOverride(T0 + 9 * HOUR, T0 + 10 * HOUR, C, A, rotation=days)],
        },
    )
    # Ann, on Primary all week, covers Cat's first Days hour; Cat covers Primary at noon.
    assert [(f.subject, f.intervals[0].start.hour, f.intervals[0].end.hour) for f in findings] == [
        ("User 'Ann' <ann@example.com>", 9, 10),
        ("User 'Cat' <cat@example.com>", 12, 13),
    ]


def test_ocp202_sees_time_off_during_a_shift_based_shift() -> None:
    from oncall_planner import TimeOff

    (found,) = run(
        "OCP202", OnCallPlan(shift_schedules=[support()]), 1, time_off=[TimeOff(E, T0, T0 + DAY)]
    )
    assert found.subject == "User 'Eve' <eve@example.com>"
    assert found.message.startswith("on call for 2 h during time off")


def test_the_checks_lookup_finds_everyone_inside_and_past_the_rendered_window() -> None:
    from oncall_planner.checks._engine import Lookup

    schedule = support()
    table = Lookup(render(schedule, T0, T0 + DAY), schedule, ())
    inside, past = T0 + 13 * HOUR, T0 + DAY + 13 * HOUR  # past: asked without rendering
    assert table.at(inside) == (C, E)
    assert table.at(past) == (C, E)
    assert table.at(T0 + 3 * HOUR) == ()
