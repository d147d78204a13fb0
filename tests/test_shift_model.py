"""The shift-based model: what it accepts, what it refuses and how its errors read."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from oncall_planner import (
    EMPTY_MEMBER,
    CustomShift,
    EscalationPolicy,
    EscalationRule,
    EveryMember,
    Layer,
    OnCallPlan,
    RotatingMembers,
    Rotation,
    Schedule,
    ShiftEvent,
    ShiftOverride,
    ShiftSchedule,
    Target,
    Team,
    User,
    ValidationError,
)

UTC = dt.timezone.utc
NY = ZoneInfo("America/New_York")
ANN, BEN = User("Ann", "ann@example.com"), User("Ben", "ben@example.com")
START = dt.datetime(2026, 6, 1, 9, tzinfo=NY)
WEEKDAYS = "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def event(**changes: object) -> ShiftEvent:
    fields: dict[str, object] = {
        "name": "Weekdays",
        "start_time": START,
        "end_time": START + dt.timedelta(hours=8),
        "recurrence": WEEKDAYS,
        "assignment": RotatingMembers([ANN, BEN], shifts_per_member=5),
    }
    fields.update(changes)
    return ShiftEvent(**fields)  # type: ignore[arg-type]


def refused(match: str, build: object) -> None:
    with pytest.raises(ValidationError, match=match):
        build()  # type: ignore[operator]


def test_an_event_reads_like_the_terraform_block() -> None:
    e = event()
    assert e.recurrence == (WEEKDAYS,)
    assert e.effective_since == START  # defaults to start_time
    assert e.effective_until is None and e.time_zone is None
    assert e.members == (ANN, BEN)
    assert e.parsed_recurrence.rrules == ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",)


def test_recurrence_may_add_and_exclude_dates() -> None:
    e = event(
        recurrence=[
            WEEKDAYS,
            "EXDATE;TZID=America/New_York:20260602T090000,20260603T090000",
            "RDATE:20260606T130000Z",
        ]
    )
    parsed = e.parsed_recurrence
    assert [d.zone for d in parsed.exdates] == ["America/New_York"] * 2
    assert [d.zone for d in parsed.rdates] == ["UTC"]


@pytest.mark.parametrize(
    ("recurrence", "message"),
    [
        ("RRULE:FREQ=WEEKLI", "not an RFC 5545 rule python-dateutil can read"),
        ("RRULE:BYDAY=MO", "FREQ is missing"),
        ("FREQ=DAILY", "must start with RRULE:, EXDATE or RDATE"),
        (["EXDATE:20260602T090000Z"], "must hold an RRULE"),
        ("RRULE:FREQ=DAILY;DTSTART=20260601T090000", "must not carry DTSTART"),
        ("RRULE:FREQ=MINUTELY;BYSECOND=30", "whole minutes"),
        ([WEEKDAYS, "EXDATE;VALUE=DATE:20260602"], "only date-time values"),
        ([WEEKDAYS, "EXDATE:20260602T090030Z"], "whole minutes"),
        ([WEEKDAYS, "EXDATE;TZID=Mars/Base:20260602T090000"], "unknown time zone"),
        ([WEEKDAYS, "RDATE:2026-06-02"], "is not a date-time"),
    ],
)
def test_a_recurrence_that_does_not_parse_is_refused_with_the_event_named(
    recurrence: object, message: str
) -> None:
    refused(f"ShiftEvent 'Weekdays': .*{message}", lambda: event(recurrence=recurrence))


@pytest.mark.parametrize(
    ("recurrence", "message"),
    [
        # python-dateutil loops for ever on INTERVAL=0 and fails mid-render on the others
        ("RRULE:FREQ=DAILY;INTERVAL=0", "INTERVAL must be a whole number of at least 1"),
        ("RRULE:FREQ=DAILY;INTERVAL=+0", "INTERVAL must be a whole number of at least 1"),
        ("RRULE:FREQ=DAILY;INTERVAL=-1", "INTERVAL must be a whole number of at least 1"),
        ("RRULE:FREQ=DAILY;COUNT=0", "COUNT must be a whole number of at least 1"),
        ("RRULE:FREQ=DAILY;COUNT=-5", "COUNT must be a whole number of at least 1"),
        ("RRULE:FREQ=MONTHLY;BYDAY=+9MO", "BYDAY '\\+9MO': a month has at most 5"),
        ("RRULE:FREQ=YEARLY;BYDAY=-60FR", "BYDAY '-60FR': a year has at most 53"),
        ([WEEKDAYS, "RDATE:00010101T000000Z"], "years 1970 to 8999"),
        ([WEEKDAYS, "EXDATE;TZID=America/New_York:99990101T000000"], "years 1970 to 8999"),
    ],
)
def test_a_recurrence_that_would_hang_or_crash_the_renderer_is_refused(
    recurrence: object, message: str
) -> None:
    refused(f"ShiftEvent 'Weekdays': .*{message}", lambda: event(recurrence=recurrence))


def test_ordinal_weekdays_within_their_period_are_accepted() -> None:
    last_friday = event(recurrence="RRULE:FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=2;COUNT=6")
    assert last_friday.parsed_recurrence.parts()["BYDAY"] == "-1FR"


def test_several_rrules_are_accepted_for_the_lint_to_report() -> None:
    assert len(event(recurrence=[WEEKDAYS, "RRULE:FREQ=DAILY"]).parsed_recurrence.rrules) == 2


def test_end_time_must_follow_start_time() -> None:
    refused(
        "ShiftEvent 'Weekdays': end_time must be after start_time", lambda: event(end_time=START)
    )


def test_instants_must_be_aware_whole_minutes() -> None:
    refused("start_time must be timezone-aware", lambda: event(start_time=dt.datetime(2026, 6, 1)))
    refused(
        "effective_since must be in whole minutes",
        lambda: event(effective_since=START + dt.timedelta(seconds=30)),
    )


def test_effective_until_must_follow_effective_since() -> None:
    refused("effective_until must be after effective_since", lambda: event(effective_until=START))


def test_a_user_listed_twice_in_a_strategy_is_refused_but_empty_slots_may_repeat() -> None:
    refused("members lists 'ann@example.com' twice", lambda: RotatingMembers([ANN, BEN, ANN]))
    assert EveryMember([ANN, EMPTY_MEMBER, EMPTY_MEMBER]).members[1:] == (EMPTY_MEMBER,) * 2


def test_member_counts_are_left_to_the_lint() -> None:
    many = [User(f"U{i}", f"u{i}@example.com") for i in range(25)]
    assert len(RotatingMembers(many).members) == 25
    assert RotatingMembers([]).members == ()


@pytest.mark.parametrize("value", [0, -1, 1.5, True, "2"])
def test_shifts_per_member_is_a_whole_number_of_at_least_one(value: object) -> None:
    refused("shifts_per_member must be a whole number ≥ 1", lambda: RotatingMembers([ANN], value))


def test_members_are_users_or_the_empty_slot() -> None:
    refused("must hold User objects or EMPTY_MEMBER, got str", lambda: EveryMember(["ann"]))


def test_assignment_must_be_a_strategy() -> None:
    refused("assignment must be RotatingMembers", lambda: event(assignment=[ANN]))


def test_time_zones_are_any_iana_name_the_lint_judges_the_provider() -> None:
    assert ShiftSchedule("S", "UTC", [Rotation([event()])]).time_zone == "UTC"
    assert event(time_zone="Europe/Berlin").time_zone == "Europe/Berlin"
    refused(
        "ShiftSchedule 'S': time_zone must be an IANA time zone name",
        lambda: ShiftSchedule("S", "Mars/Base", [Rotation([event()])]),
    )
    refused("ShiftEvent 'Weekdays': time_zone must be", lambda: event(time_zone="Nowhere"))


def test_a_zone_name_too_long_for_a_file_name_is_refused_not_an_os_error() -> None:
    # zoneinfo looks the name up as a file, and the operating system refuses a component this long
    long_name = "Europe/B" + "x" * 300
    refused("ShiftEvent 'Weekdays': time_zone must be", lambda: event(time_zone=long_name))
    refused(
        "ShiftEvent 'Weekdays': .*unknown time zone",
        lambda: event(recurrence=[WEEKDAYS, f"EXDATE;TZID={long_name}:20260602T090000"]),
    )


def test_a_rotation_needs_an_event() -> None:
    refused("Rotation: events must have at least 1 ShiftEvent", lambda: Rotation([]))
    refused("must be a non-empty string", lambda: Rotation([event()], name=""))


def test_a_schedule_may_hold_only_custom_shifts() -> None:
    shift = CustomShift(START, START + dt.timedelta(hours=1), ANN)
    assert ShiftSchedule("S", "Etc/UTC", [], custom_shifts=[shift]).users() == (ANN,)


def test_custom_shift_and_override_intervals_are_checked() -> None:
    refused("CustomShift: end must be after start", lambda: CustomShift(START, START, ANN))
    later = START + dt.timedelta(hours=1)
    refused("CustomShift: member must be a User", lambda: CustomShift(START, later, "ann"))
    rotation = Rotation([event()])
    refused(
        "ShiftOverride: end must be after start",
        lambda: ShiftOverride(START, START, ANN, BEN, rotation=rotation),
    )


def test_an_override_names_exactly_one_rotation_or_custom_shift() -> None:
    rotation = Rotation([event()])
    shift = CustomShift(START, START + dt.timedelta(hours=1), ANN)
    end = START + dt.timedelta(hours=1)
    refused("exactly one of rotation and custom_shift", lambda: ShiftOverride(START, end, ANN, BEN))
    refused(
        "exactly one of rotation and custom_shift",
        lambda: ShiftOverride(START, end, ANN, BEN, rotation=rotation, custom_shift=shift),
    )
    refused("rotation must be a Rotation", lambda: ShiftOverride(START, end, ANN, BEN, rotation=0))
    assert ShiftOverride(START, end, ANN, EMPTY_MEMBER, custom_shift=shift).overriding_member == (
        EMPTY_MEMBER
    )


def test_schedule_users_lists_members_and_custom_shifts_in_order() -> None:
    cat = User("Cat", "cat@example.com")
    schedule = ShiftSchedule(
        "S",
        "Etc/UTC",
        [Rotation([event()]), Rotation([event(assignment=EveryMember([BEN, EMPTY_MEMBER]))])],
        custom_shifts=[CustomShift(START, START + dt.timedelta(hours=1), cat)],
    )
    assert schedule.users() == (ANN, BEN, cat)


def shift_schedule(name: str = "Shifts") -> ShiftSchedule:
    return ShiftSchedule(name, "America/New_York", [Rotation([event()])], teams=[Team("Ops")])


def layer_schedule(name: str = "Layers") -> Schedule:
    return Schedule(name, "America/New_York", [Layer("L", [ANN], START, dt.timedelta(weeks=1))])


def test_a_policy_can_target_a_shift_schedule_and_the_plan_collects_it() -> None:
    shifts = shift_schedule()
    policy = EscalationPolicy(
        "P", [EscalationRule(5, [Target.schedule(shifts), Target.schedule(layer_schedule())])]
    )
    plan = OnCallPlan(escalation_policies=[policy])
    assert plan.shift_schedules == (shifts,)
    assert [s.name for s in plan.schedules] == ["Layers"]
    assert [s.name for s in plan.all_schedules] == ["Layers", "Shifts"]
    assert plan.shift_schedule("Shifts") is shifts
    assert [t.name for t in plan.teams] == ["Ops"]
    assert set(plan.users) == {ANN, BEN}
    assert Target.schedule(shifts).schedule is shifts


def test_a_target_refuses_anything_but_a_schedule() -> None:
    refused("needs a Schedule or a ShiftSchedule, got User", lambda: Target.schedule(ANN))


def test_schedule_names_are_unique_across_both_kinds() -> None:
    refused(
        re.escape(
            "two schedules named 'Ops' (schedules[0] and shift_schedules[0]); one is a "
            "Schedule, the other a ShiftSchedule"
        ),
        lambda: OnCallPlan(
            schedules=[layer_schedule("Ops")], shift_schedules=[shift_schedule("Ops")]
        ),
    )


def test_a_shift_schedule_in_the_layer_based_list_is_refused_with_a_hint() -> None:
    refused(
        "pass the ShiftSchedule 'Shifts' in shift_schedules", lambda: OnCallPlan([shift_schedule()])
    )


def test_looking_up_a_shift_schedule_as_a_layer_based_one_says_which_method_to_use() -> None:
    plan = OnCallPlan(shift_schedules=[shift_schedule()])
    refused("it is a ShiftSchedule: use shift_schedule", lambda: plan.schedule("Shifts"))
    refused("no shift-based schedule named 'Nope'", lambda: plan.shift_schedule("Nope"))
