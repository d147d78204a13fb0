"""Planning with shift-based schedules: time off is covered with ShiftOverrides, the membership
planners (which work on layers) refuse them in words."""

from __future__ import annotations

import pytest
from checkkit import layer, policy, schedule
from shiftkit import DAY, HOUR, T0, WEEK, C, D, E, around_the_clock, support

from oncall_planner import (
    OnCallPlan,
    ShiftOverride,
    TimeOff,
    ValidationError,
    balance_holidays,
    change_rotation_members,
    change_schedule_members,
    cover_time_off,
    render,
)

MONDAY_OFF = TimeOff(C, T0, T0 + DAY)


def test_time_off_on_a_rotation_is_covered_by_a_shift_override_on_it() -> None:
    plan = OnCallPlan(shift_schedules=[support()])
    result = cover_time_off(plan, [MONDAY_OFF], T0, T0 + WEEK)
    (made,) = result.overrides["Support"]
    days = plan.shift_schedule("Support").rotations[0]
    assert made == ShiftOverride(T0 + 9 * HOUR, T0 + 17 * HOUR, C, D, rotation=days)
    final = render(plan.shift_schedule("Support"), T0, T0 + DAY, result.overrides["Support"])
    assert C not in {e.user for e in final.entries if e.source.rotation == 0}


def test_nobody_already_on_call_there_covers_a_second_shift_at_once() -> None:
    # Cat's noon Pair shift: Eve is on it too and Dan now holds Cat's Days shift, so nobody is
    # left; the cover says why, and Cat stays on call.
    result = cover_time_off(OnCallPlan(shift_schedules=[support()]), [MONDAY_OFF], T0, T0 + WEEK)
    (left,) = result.uncovered
    assert (left.start, left.end, left.absent, left.substitute) == (
        T0 + 12 * HOUR,
        T0 + 14 * HOUR,
        C,
        None,
    )
    assert "on call here already" in left.reason


def test_time_held_through_an_earlier_override_is_handed_on_by_a_later_one() -> None:
    plan = OnCallPlan(shift_schedules=[around_the_clock("Around", [C, D])])
    main = plan.shift_schedule("Around").rotations[0]
    earlier = ShiftOverride(T0, T0 + DAY, C, E, rotation=main)  # Eve took Cat's Monday
    result = cover_time_off(
        plan, [TimeOff(E, T0, T0 + DAY)], T0, T0 + WEEK, overrides={"Around": [earlier]}
    )
    (made,) = result.overrides["Around"]
    assert (made.overridden_member, made.overriding_member) == (C, D)  # Cat's slot, to Dan
    everything = result.all_overrides({"Around": [earlier]})["Around"]
    final = render(plan.shift_schedule("Around"), T0, T0 + DAY, everything)
    assert [e.user for e in final.entries] == [D]


def test_cover_for_a_mixed_plan_gives_each_schedule_its_kind_of_override() -> None:
    nights = schedule("Nights", layer("L", [C, D], turn=DAY))
    plan = OnCallPlan(schedules=[nights], shift_schedules=[support()])
    result = cover_time_off(plan, [MONDAY_OFF], T0, T0 + WEEK)
    assert [type(o).__name__ for o in result.overrides["Nights"]] == ["Override"]
    assert {type(o).__name__ for o in result.overrides["Support"]} == {"ShiftOverride"}


def test_holidays_are_balanced_on_a_shift_based_schedule_too() -> None:
    plan = OnCallPlan(shift_schedules=[around_the_clock("Around", [C, D, E])])
    result = balance_holidays(plan, "US", 2025)
    assert result.overrides and all(
        isinstance(o, ShiftOverride) for o in result.overrides["Around"]
    )


def test_change_schedule_members_refuses_a_shift_based_schedule_in_words() -> None:
    with pytest.raises(ValidationError, match="'Support' is a shift-based schedule"):
        change_schedule_members(support(), [C, D], T0 + WEEK)  # type: ignore[arg-type]


def test_change_rotation_members_refuses_a_policy_paging_a_shift_based_schedule() -> None:
    plan = OnCallPlan(
        escalation_policies=[policy("P", (10, [support()]), (10, [around_the_clock()]))]
    )
    with pytest.raises(
        ValidationError, match="change_rotation_members: 'Support' is a shift-based"
    ):
        change_rotation_members(plan, [C, D], T0 + WEEK)


def test_change_rotation_members_keeps_the_shift_based_schedules_of_the_plan() -> None:
    primary = schedule("Primary", layer("L", [C, D]))
    secondary = schedule("Secondary", layer("L", [C, D], rotation_virtual_start=T0 + WEEK))
    plan = OnCallPlan(
        escalation_policies=[policy("P", (10, [primary]), (10, [secondary]))],
        shift_schedules=[support()],
    )
    changed = change_rotation_members(plan, [C, D, E], T0 + WEEK)
    assert changed.shift_schedules == (support(),)


def test_the_overrides_file_refuses_shift_overrides_in_words() -> None:
    from oncall_planner.pagerduty_api.overrides import overrides_to_json

    result = cover_time_off(OnCallPlan(shift_schedules=[support()]), [MONDAY_OFF], T0, T0 + WEEK)
    with pytest.raises(ValidationError, match=r"overrides\['Support'\] must hold Override"):
        overrides_to_json(result.overrides)  # type: ignore[arg-type]


def test_a_rota_row_for_a_shift_based_schedule_is_refused_in_words() -> None:
    from oncall_planner import InputReadError
    from oncall_planner.pagerduty_api.overrides import overrides_from_rows

    row = {"schedule": "Support", "start": "2025-01-06T09:00Z", "end": "2025-01-06T17:00Z"}
    with pytest.raises(InputReadError, match="'Support' is a shift-based schedule"):
        overrides_from_rows(
            [{**row, "user": "dan@example.com"}],
            OnCallPlan(shift_schedules=[support()]),
            "rota.csv",
        )
