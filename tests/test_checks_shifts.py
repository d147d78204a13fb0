"""The shift-based schedule rules (OCP7xx): each fires on what it is about and stays quiet
otherwise; check() runs on plans that hold shift-based schedules."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from oncall_planner import (
    EMPTY_MEMBER,
    CheckConfig,
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
    User,
    check,
    position_changes,
)

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 6, 1, tzinfo=UTC)
ANN, BEN = User("Ann", "ann@example.com"), User("Ben", "ben@example.com")
WEEKDAYS = "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def event(name: str = "Weekdays", **changes: object) -> ShiftEvent:
    start = dt.datetime(2026, 6, 8, 13, tzinfo=UTC)  # a Monday, 09:00 in New York
    fields: dict[str, object] = {
        "name": name,
        "start_time": start,
        "end_time": start + dt.timedelta(hours=8),
        "recurrence": WEEKDAYS,
        "assignment": RotatingMembers([ANN, BEN], shifts_per_member=5),
        "effective_since": start,
    }
    fields.update(changes)
    return ShiftEvent(**fields)  # type: ignore[arg-type]


def schedule(*rotations: Rotation, zone: str = "America/New_York") -> ShiftSchedule:
    return ShiftSchedule("Shifts", zone, rotations or [Rotation([event()])])


def findings(plan_or_schedule: OnCallPlan | ShiftSchedule, code: str, **kw: object) -> list[str]:
    plan = (
        plan_or_schedule
        if isinstance(plan_or_schedule, OnCallPlan)
        else OnCallPlan(shift_schedules=[plan_or_schedule])
    )
    found = check(
        plan,
        NOW,
        NOW + dt.timedelta(weeks=4),
        config=CheckConfig(select=[code]),
        now=NOW,
        **kw,  # type: ignore[arg-type]
    )
    return [f.to_text() for f in found]


def test_a_clean_schedule_has_no_shift_findings() -> None:
    assert findings(schedule(), "OCP7") == []


def sequential(count: int, start: dt.datetime) -> list[ShiftEvent]:
    out = []
    for i in range(count):
        since = start + dt.timedelta(weeks=i)
        out.append(
            event(f"E{i + 1}", effective_since=since, effective_until=since + dt.timedelta(weeks=1))
        )
    return out


def test_ocp701_six_current_events_in_a_rotation() -> None:
    assert findings(schedule(Rotation(sequential(6, NOW + dt.timedelta(days=7)))), "OCP701") == [
        "error OCP701 too-many-events: ShiftSchedule 'Shifts', rotation 1: has 6 events that are not "
        "over at 2026-06-01 00:00 UTC, more than 5 (PagerDuty counts every event not yet ended)"
    ]


def test_ocp701_past_events_do_not_count() -> None:
    past = sequential(3, NOW - dt.timedelta(weeks=3))  # all over by now
    current = sequential(5, NOW)
    assert findings(schedule(Rotation(past + current)), "OCP701") == []


def test_ocp702_eleven_active_rotations() -> None:
    rotations = [Rotation([event()]) for _ in range(11)]
    assert findings(schedule(*rotations), "OCP702") == [
        "error OCP702 too-many-rotations: ShiftSchedule 'Shifts': has 11 active rotations at "
        "2026-06-01 00:00 UTC, more than 10"
    ]


def test_ocp702_ended_rotations_do_not_count() -> None:
    ended = event(effective_since=NOW - dt.timedelta(weeks=2), effective_until=NOW)
    rotations = [Rotation([event()]) for _ in range(10)] + [Rotation([ended])]
    assert findings(schedule(*rotations), "OCP702") == []


@pytest.mark.parametrize(("count", "fires"), [(0, True), (1, False), (20, False), (21, True)])
def test_ocp703_members_outside_1_to_20(count: int, fires: bool) -> None:
    people = [User(f"U{i}", f"u{i}@example.com") for i in range(count)]
    found = findings(schedule(Rotation([event(assignment=EveryMember(people))])), "OCP703")
    assert bool(found) == fires
    if fires:
        assert found[0].endswith(f"lists {count} members; PagerDuty takes 1 to 20")


def test_ocp703_counts_empty_slots() -> None:
    members = [User(f"U{i}", f"u{i}@example.com") for i in range(20)] + [EMPTY_MEMBER]
    assert findings(schedule(Rotation([event(assignment=RotatingMembers(members))])), "OCP703")


def test_ocp704_overlapping_effective_ranges_in_one_rotation() -> None:
    a = event("Days", effective_until=dt.datetime(2026, 7, 1, tzinfo=UTC))
    b = event("Nights", effective_since=dt.datetime(2026, 6, 20, tzinfo=UTC))
    found = check(
        OnCallPlan(shift_schedules=[schedule(Rotation([a, b]))]),
        NOW,
        NOW + dt.timedelta(weeks=4),
        config=CheckConfig(select=["OCP704"]),
        now=NOW,
    )
    assert [f.to_text() for f in found] == [
        "error OCP704 overlapping-events: ShiftSchedule 'Shifts', rotation 1: events 'Days' and "
        "'Nights' are both in effect from 2026-06-19 20:00 EDT to 2026-06-30 20:00 EDT"
    ]
    assert found[0].intervals[0].start == dt.datetime(2026, 6, 20, tzinfo=UTC)


def test_ocp704_events_that_follow_each_other_and_separate_rotations_are_fine() -> None:
    switch = dt.datetime(2026, 7, 1, tzinfo=UTC)
    a = event("Days", effective_until=switch)
    b = event("Nights", effective_since=switch)
    assert findings(schedule(Rotation([a, b])), "OCP704") == []
    assert (
        findings(schedule(Rotation([event("Days")]), Rotation([event("Nights")])), "OCP704") == []
    )


def test_ocp705_effective_since_before_now() -> None:
    early = event(effective_since=NOW - dt.timedelta(days=2))
    assert findings(schedule(Rotation([early])), "OCP705") == [
        "warning OCP705 effective-since-past: ShiftSchedule 'Shifts', rotation 1, event "
        "'Weekdays': effective_since 2026-05-29 20:00 EDT is before now (2026-05-31 20:00 EDT): "
        "PagerDuty moves it to the moment the event is created"
    ]


def test_ocp705_quiet_for_future_and_finished_events() -> None:
    done = event(effective_since=NOW - dt.timedelta(weeks=2), effective_until=NOW)
    assert findings(schedule(Rotation([done]), Rotation([event()])), "OCP705") == []


def test_ocp706_effective_since_more_than_12_months_ahead() -> None:
    late = event(effective_since=dt.datetime(2027, 6, 1, 0, 1, tzinfo=UTC))
    assert findings(schedule(Rotation([late])), "OCP706")
    on_time = event(effective_since=dt.datetime(2027, 6, 1, tzinfo=UTC))
    assert findings(schedule(Rotation([on_time])), "OCP706") == []


@pytest.mark.parametrize(
    ("rule", "fires"),
    [
        ("RRULE:FREQ=YEARLY", True),
        ("RRULE:FREQ=MINUTELY;INTERVAL=30", True),
        ("RRULE:FREQ=MONTHLY;BYDAY=-1FR", True),
        ("RRULE:FREQ=MONTHLY;BYMONTHDAY=1", False),
        ("RRULE:FREQ=HOURLY;INTERVAL=12", False),
        (WEEKDAYS, False),
    ],
)
def test_ocp707_rules_the_web_editor_cannot_open(rule: str, fires: bool) -> None:
    found = findings(
        schedule(Rotation([event(recurrence=rule, assignment=EveryMember([ANN]))])), "OCP707"
    )
    assert bool(found) == fires


def test_ocp707_names_what_the_editor_cannot_open() -> None:
    found = findings(
        schedule(Rotation([event(recurrence="RRULE:FREQ=MONTHLY;BYDAY=-1FR")])), "OCP707"
    )
    assert "uses BYDAY -1FR, which the web editor cannot open" in found[0]


def test_ocp708_more_than_one_rrule() -> None:
    two = event(recurrence=[WEEKDAYS, "RRULE:FREQ=WEEKLY;BYDAY=SA"])
    assert findings(schedule(Rotation([two])), "OCP708") == [
        "error OCP708 several-rrules: ShiftSchedule 'Shifts', rotation 1, event 'Weekdays': has 2 "
        "RRULEs; PagerDuty takes exactly one"
    ]
    assert findings(schedule(), "OCP708") == []


@pytest.mark.parametrize(("spm", "fires"), [(5, False), (10, False), (3, True), (1, True)])
def test_ocp709_weekly_shifts_per_member_and_byday(spm: int, fires: bool) -> None:
    e = event(assignment=RotatingMembers([ANN, BEN], shifts_per_member=spm))
    assert bool(findings(schedule(Rotation([e])), "OCP709")) == fires


def test_ocp709_quiet_for_daily_rules_and_every_member() -> None:
    daily = event(
        recurrence="RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
        assignment=RotatingMembers([ANN, BEN], 3),
    )
    every = event("All", assignment=EveryMember([ANN]))
    assert findings(schedule(Rotation([daily]), Rotation([every])), "OCP709") == []


def test_ocp710_utc_is_refused_by_the_provider() -> None:
    found = check(
        OnCallPlan(shift_schedules=[schedule(zone="UTC")]),
        NOW,
        NOW + dt.timedelta(days=1),
        config=CheckConfig(select=["OCP710"]),
        now=NOW,
    )
    assert [f.to_text() for f in found] == [
        "error OCP710 time-zone-refused: ShiftSchedule 'Shifts': time_zone 'UTC' is not one of the "
        "names the Terraform provider accepts: terraform plan fails"
    ]
    assert "use 'Etc/UTC'" in found[0].hint


def test_ocp710_event_zones_too_and_quiet_for_listed_zones() -> None:
    own = event(time_zone="America/Detroit")
    assert (
        "event 'Weekdays': time_zone 'America/Detroit'"
        in findings(schedule(Rotation([own])), "OCP710")[0]
    )
    assert findings(schedule(Rotation([event(time_zone="Europe/Berlin")])), "OCP710") == []


def test_ocp711_etc_utc_drifts() -> None:
    assert findings(schedule(zone="Etc/UTC"), "OCP711") == [
        "warning OCP711 time-zone-rewritten: ShiftSchedule 'Shifts': time_zone 'Etc/UTC' comes "
        "back from PagerDuty as 'UTC': terraform plan shows a change on every run"
    ]
    assert findings(schedule(zone="Europe/London"), "OCP711") == []


def three_rotations() -> ShiftSchedule:
    return schedule(
        Rotation([event("Days")], name="Days"),
        Rotation([event("Nights")], name="Nights"),
        Rotation([event("Weekend")], name="Weekend"),
    )


def test_ocp712_reordered_rotations() -> None:
    before = three_rotations()
    after = attrs.evolve(
        before, rotations=[before.rotations[1], before.rotations[0], before.rotations[2]]
    )
    found = findings(after, "OCP712", previous=OnCallPlan(shift_schedules=[before]))
    assert found == [
        "warning OCP712 reordered: ShiftSchedule 'Shifts', rotation 1 'Nights': moves from position "
        "2 to 1: the Terraform provider matches rotations by position, so it rewrites rotations 1 "
        "to 2 and re-creates their active events from now",
        "warning OCP712 reordered: ShiftSchedule 'Shifts', rotation 2 'Days': moves from position 1 "
        "to 2: the Terraform provider matches rotations by position, so it rewrites rotations 1 to "
        "2 and re-creates their active events from now",
    ]


def test_ocp712_removing_a_rotation_from_the_middle_moves_the_ones_after_it() -> None:
    before = three_rotations()
    after = attrs.evolve(before, rotations=[before.rotations[0], before.rotations[2]])
    assert [f.subject for f in position_changes(before, after)] == [
        "ShiftSchedule 'Shifts', rotation 2 'Weekend'"
    ]


def test_ocp712_reordered_events_inside_a_rotation() -> None:
    switch = NOW + dt.timedelta(weeks=2)
    first, second = event("Old", effective_until=switch), event("New", effective_since=switch)
    before = schedule(Rotation([first, second], name="Main"))
    after = schedule(Rotation([second, first], name="Main"))
    assert [f.subject for f in position_changes(before, after)] == [
        "ShiftSchedule 'Shifts', rotation 1 'Main', event 'New'",
        "ShiftSchedule 'Shifts', rotation 1 'Main', event 'Old'",
    ]


def test_ocp712_quiet_when_appending_or_without_a_previous_plan() -> None:
    before = three_rotations()
    after = attrs.evolve(
        before, rotations=[*before.rotations, Rotation([event("Extra")], name="Extra")]
    )
    assert findings(after, "OCP712", previous=OnCallPlan(shift_schedules=[before])) == []
    assert findings(after, "OCP712") == []


def test_check_runs_every_rule_on_a_plan_mixing_both_kinds() -> None:
    shifts = schedule(
        Rotation([event()]), Rotation([event("All", assignment=EveryMember([ANN, BEN]))])
    )
    layers = Schedule(
        "Layers", "America/New_York", [Layer("L", [ANN, BEN], NOW, dt.timedelta(weeks=1))]
    )
    policy = EscalationPolicy(
        "Policy",
        [
            EscalationRule(10, [Target.schedule(shifts)]),
            EscalationRule(10, [Target.schedule(layers)]),
        ],
    )
    plan = OnCallPlan(escalation_policies=[policy])
    swap = ShiftOverride(
        dt.datetime(2026, 6, 8, 14, tzinfo=UTC),
        dt.datetime(2026, 6, 8, 15, tzinfo=UTC),
        ANN,
        BEN,
        rotation=shifts.rotations[0],
    )
    found = check(plan, NOW, NOW + dt.timedelta(weeks=4), overrides={"Shifts": [swap]}, now=NOW)
    assert {f.code for f in found} >= {"OCP201"}  # the shift schedule has nights uncovered
    first_level = [f for f in found if f.code == "OCP201"]
    assert first_level[0].subject == "ShiftSchedule 'Shifts'"
