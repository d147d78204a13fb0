"""render() of shift-based schedules: the reference's worked examples, its DST cases under each
option, every rendering option, overrides, custom shifts and empty slots."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from oncall_planner import (
    EMPTY_MEMBER,
    CustomShift,
    EveryMember,
    Layer,
    Override,
    RotatingMembers,
    Rotation,
    Schedule,
    ShiftEvent,
    ShiftOverride,
    ShiftRenderOptions,
    ShiftSchedule,
    Source,
    User,
    ValidationError,
    on_call_at,
    people_on_call_at,
    render,
)

UTC = dt.timezone.utc
NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
ANN, BEN, CAT, DAN = (User(n, f"{n.lower()}@example.com") for n in ("Ann", "Ben", "Cat", "Dan"))
HOUR, DAY, WEEK = dt.timedelta(hours=1), dt.timedelta(days=1), dt.timedelta(weeks=1)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def iso(entries: object) -> list[tuple[str, str, str]]:
    """Entries (or vacancies) as (start, end, who) in UTC, ``-`` for an empty slot."""
    fmt = "%m-%dT%H:%M"
    return [
        (
            e.start.strftime(fmt),
            e.end.strftime(fmt),
            e.user.name if getattr(e, "user", None) else "-",
        )
        for e in entries  # type: ignore[attr-defined]
    ]


def one_rotation(*events: ShiftEvent, zone: str = "America/New_York") -> ShiftSchedule:
    return ShiftSchedule("S", zone, [Rotation(events)])


def options(**kw: object) -> ShiftRenderOptions:
    return ShiftRenderOptions(**kw)  # type: ignore[arg-type]


# --- the reference's worked examples ------------------------------------------------------------


def upgrade_guide_schedule() -> ShiftSchedule:
    """Reference §6.1: PagerDuty's upgrade guide, a weekday 09:00-17:00 Los Angeles event defined
    in PST (January) and rendered in May (PDT)."""
    event = ShiftEvent(
        "Weekday business hours",
        dt.datetime(2026, 1, 5, 9, tzinfo=LA),
        dt.datetime(2026, 1, 5, 17, tzinfo=LA),
        ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
        RotatingMembers([User("PUSER01", "puser01@example.com")], shifts_per_member=1),
        effective_since=utc(2026, 1, 5, 17),
    )
    return ShiftSchedule("Primary On-Call", "America/Los_Angeles", [Rotation([event])])


def test_the_upgrade_guide_example_renders_its_entry_exactly() -> None:
    final = render(upgrade_guide_schedule(), utc(2026, 4, 29), utc(2026, 5, 29))
    assert iso(final.entries[:3]) == [
        ("04-29T16:00", "04-30T00:00", "PUSER01"),  # the guide's own first entry
        ("04-30T16:00", "05-01T00:00", "PUSER01"),
        ("05-01T16:00", "05-02T00:00", "PUSER01"),
    ]
    assert final.entries[0].source == Source("rotation", rotation=0, event=0)
    assert str(final.entries[0].source) == "rotation 1, event 'Weekday business hours'"
    assert final.concurrent


def test_the_upgrade_guide_example_covers_22_weekdays_of_8_hours() -> None:
    final = render(upgrade_guide_schedule(), utc(2026, 4, 29), utc(2026, 5, 29))
    assert len(final.entries) == 22
    assert final.coverage == pytest.approx(22 * 8 / 720)  # not the guide's illustrative 100
    assert len(final.gaps) == 22  # before each shift (the window ends inside a night gap)


def test_expanding_in_utc_would_put_the_guide_entry_an_hour_later() -> None:
    final = render(
        upgrade_guide_schedule(),
        utc(2026, 4, 29, 12),
        utc(2026, 4, 30, 12),
        options=options(expand_in="utc"),
    )
    assert iso(final.entries) == [("04-29T17:00", "04-30T01:00", "PUSER01")]


def rotating_weekly() -> ShiftSchedule:
    """Reference §2.4: the API's ``rotatingWeekly`` example; New York springs forward inside
    occurrence 0."""
    event = ShiftEvent(
        "Weekly",
        utc(2025, 3, 3, 9),
        utc(2025, 3, 10, 9),
        "RRULE:FREQ=WEEKLY",
        RotatingMembers([User("PUSER123", "a@example.com"), User("PUSER456", "b@example.com")]),
    )
    return one_rotation(event)


def test_rotating_weekly_with_exact_durations_overlaps_only_at_the_dst_handoff() -> None:
    final = render(rotating_weekly(), utc(2025, 3, 3, 9), utc(2025, 3, 24, 8))
    assert iso(final.entries) == [
        ("03-03T09:00", "03-10T09:00", "PUSER123"),
        ("03-10T08:00", "03-17T08:00", "PUSER456"),
        ("03-17T08:00", "03-24T08:00", "PUSER123"),
    ]
    both = people_on_call_at(rotating_weekly(), utc(2025, 3, 10, 8, 30))
    assert [u.name for u in both] == ["PUSER123", "PUSER456"]


def test_rotating_weekly_with_wallclock_durations_overlaps_at_every_handoff() -> None:
    final = render(
        rotating_weekly(),
        utc(2025, 3, 3, 9),
        utc(2025, 3, 24, 9),
        options=options(duration="wallclock"),
    )
    assert iso(final.entries) == [
        ("03-03T09:00", "03-10T09:00", "PUSER123"),
        ("03-10T08:00", "03-17T09:00", "PUSER456"),
        ("03-17T08:00", "03-24T09:00", "PUSER123"),
        ("03-24T08:00", "03-24T09:00", "PUSER456"),
    ]


def test_rotating_weekly_expanded_in_utc_never_overlaps() -> None:
    final = render(
        rotating_weekly(), utc(2025, 3, 3, 9), utc(2025, 3, 24, 9), options=options(expand_in="utc")
    )
    assert iso(final.entries) == [
        ("03-03T09:00", "03-10T09:00", "PUSER123"),
        ("03-10T09:00", "03-17T09:00", "PUSER456"),
        ("03-17T09:00", "03-24T09:00", "PUSER123"),
    ]


def test_a_utc_start_time_is_a_local_anchor_that_moves_with_dst() -> None:
    """Reference §2.4, the provider's example 1: 09:00Z is 05:00 EDT, so after November's change
    the shift is 05:00 EST = 10:00Z."""
    event = ShiftEvent(
        "Day", utc(2026, 6, 1, 9), utc(2026, 6, 1, 17), "RRULE:FREQ=DAILY", RotatingMembers([ANN])
    )
    final = render(one_rotation(event), utc(2026, 10, 30), utc(2026, 11, 3))
    assert iso(final.entries) == [
        ("10-30T09:00", "10-30T17:00", "Ann"),
        ("10-31T09:00", "10-31T17:00", "Ann"),
        ("11-01T10:00", "11-01T18:00", "Ann"),  # New York fell back on 1 November 2026
        ("11-02T10:00", "11-02T18:00", "Ann"),
    ]


# --- local times that do not exist or happen twice ----------------------------------------------


def test_an_occurrence_in_the_spring_forward_gap_starts_when_the_clocks_jump() -> None:
    event = ShiftEvent(
        "Night",
        dt.datetime(2025, 3, 1, 2, 30, tzinfo=NY),
        dt.datetime(2025, 3, 1, 4, 30, tzinfo=NY),
        "RRULE:FREQ=DAILY",
        RotatingMembers([ANN]),
    )
    final = render(one_rotation(event), utc(2025, 3, 9), utc(2025, 3, 10))
    assert iso(final.entries) == [("03-09T07:00", "03-09T09:00", "Ann")]  # 03:00-05:00 EDT
    wall = render(
        one_rotation(event),
        utc(2025, 3, 9),
        utc(2025, 3, 10),
        options=options(duration="wallclock"),
    )
    assert iso(wall.entries) == [("03-09T07:00", "03-09T08:30", "Ann")]  # 03:00-04:30 EDT


def test_an_occurrence_at_a_repeated_local_time_takes_the_first() -> None:
    event = ShiftEvent(
        "Night",
        dt.datetime(2025, 10, 1, 1, 30, tzinfo=NY),
        dt.datetime(2025, 10, 1, 2, 30, tzinfo=NY),
        "RRULE:FREQ=DAILY",
        RotatingMembers([ANN]),
    )
    final = render(one_rotation(event), utc(2025, 11, 2), utc(2025, 11, 3))
    assert iso(final.entries) == [("11-02T05:30", "11-02T06:30", "Ann")]  # 01:30 EDT, one hour


# --- one option at a time -----------------------------------------------------------------------


def guide_weekday_event(**kw: object) -> ShiftEvent:
    """The migration guide's weekday event: its start_time is a Saturday (reference §5.3 E5)."""
    fields: dict[str, object] = {
        "name": "Weekday Business Hours",
        "start_time": utc(2026, 2, 21, 9),
        "end_time": utc(2026, 2, 21, 17),
        "recurrence": "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "assignment": RotatingMembers([ANN, BEN]),
    }
    fields.update(kw)
    return ShiftEvent(**fields)  # type: ignore[arg-type]


def test_unsynced_start_rfc5545_makes_the_start_an_occurrence() -> None:
    final = render(
        one_rotation(guide_weekday_event(), zone="Etc/UTC"), utc(2026, 2, 21), utc(2026, 2, 25)
    )
    assert iso(final.entries) == [
        ("02-21T09:00", "02-21T17:00", "Ann"),  # the Saturday start, occurrence 0
        ("02-23T09:00", "02-23T17:00", "Ben"),
        ("02-24T09:00", "02-24T17:00", "Ann"),
    ]


def test_unsynced_start_dateutil_skips_the_start() -> None:
    final = render(
        one_rotation(guide_weekday_event(), zone="Etc/UTC"),
        utc(2026, 2, 21),
        utc(2026, 2, 25),
        options=options(unsynced_start="dateutil"),
    )
    assert iso(final.entries) == [
        ("02-23T09:00", "02-23T17:00", "Ann"),
        ("02-24T09:00", "02-24T17:00", "Ben"),
    ]


def test_rfc5545_counts_the_unsynced_start_against_count() -> None:
    event = guide_weekday_event(recurrence="RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=3")
    schedule = one_rotation(event, zone="Etc/UTC")
    rfc = render(schedule, utc(2026, 2, 21), utc(2026, 3, 7))
    assert [e.start.day for e in rfc.entries] == [21, 23, 24]
    dateutil = render(
        schedule, utc(2026, 2, 21), utc(2026, 3, 7), options=options(unsynced_start="dateutil")
    )
    assert [e.start.day for e in dateutil.entries] == [23, 24, 25]


def late_start_schedule(**kw: object) -> ShiftSchedule:
    """Reference U4's experiment: two members, one shift each, start_time three weeks before
    effective_since."""
    event = ShiftEvent(
        "Weekly",
        utc(2026, 6, 1, 9),
        utc(2026, 6, 8, 9),
        "RRULE:FREQ=WEEKLY",
        RotatingMembers([ANN, BEN]),
        effective_since=utc(2026, 6, 22, 9),
        **kw,  # type: ignore[arg-type]
    )
    return one_rotation(event, zone="Etc/UTC")


def test_member_anchor_start_time_counts_from_the_first_occurrence() -> None:
    final = render(late_start_schedule(), utc(2026, 6, 22, 9), utc(2026, 7, 6, 9))
    assert [e.user.name for e in final.entries] == ["Ben", "Ann"]  # occurrences 3 and 4


def test_member_anchor_effective_since_restarts_the_count() -> None:
    final = render(
        late_start_schedule(),
        utc(2026, 6, 22, 9),
        utc(2026, 7, 6, 9),
        options=options(member_anchor="effective_since"),
    )
    assert [e.user.name for e in final.entries] == ["Ann", "Ben"]


def offboarding(members_after: list[object], start_after: dt.datetime) -> ShiftSchedule:
    """Reference §6.4: an active event ended, and a successor with other members from then."""
    cutover = utc(2026, 6, 22, 9)
    first = ShiftEvent(
        "Primary on-call",
        utc(2026, 6, 1, 9),
        utc(2026, 6, 8, 9),
        "RRULE:FREQ=WEEKLY",
        RotatingMembers([ANN, BEN, CAT]),
        effective_until=cutover,
    )
    successor = ShiftEvent(
        "Primary on-call",
        start_after,
        start_after + WEEK,
        "RRULE:FREQ=WEEKLY",
        RotatingMembers(members_after),  # type: ignore[arg-type]
        effective_since=cutover,
    )
    return one_rotation(first, successor, zone="Etc/UTC")


def test_an_empty_member_keeps_everyone_elses_weeks_under_the_default_anchor() -> None:
    schedule = offboarding([EMPTY_MEMBER, BEN, CAT], utc(2026, 6, 1, 9))
    final = render(schedule, utc(2026, 6, 1, 9), utc(2026, 7, 20, 9))
    assert [e.user.name for e in final.entries] == ["Ann", "Ben", "Cat", "Ben", "Cat"]
    assert iso(final.vacancies) == [
        ("06-22T09:00", "06-29T09:00", "-"),
        ("07-13T09:00", "07-20T09:00", "-"),
    ]
    assert final.vacancies[0].source.event == 1


def test_member_anchor_rotation_carries_the_count_into_the_successor() -> None:
    # The successor starts its own start_time at the cutover: by its own count Dan would hold
    # the week of 22 June; the rotation's count (three shifts so far) gives it to members[0]...
    schedule = offboarding([DAN, BEN, CAT], utc(2026, 6, 22, 9))
    own = render(schedule, utc(2026, 6, 22, 9), utc(2026, 7, 13, 9))
    assert [e.user.name for e in own.entries] == ["Dan", "Ben", "Cat"]
    carried = render(
        schedule,
        utc(2026, 6, 22, 9),
        utc(2026, 7, 13, 9),
        options=options(member_anchor="rotation"),
    )
    assert [e.user.name for e in carried.entries] == ["Dan", "Ben", "Cat"]
    # ...and with a successor whose start_time was copied from the original, the two agree too:
    copied = offboarding([DAN, BEN, CAT], utc(2026, 6, 1, 9))
    for anchor in ("start_time", "rotation"):
        final = render(
            copied, utc(2026, 6, 22, 9), utc(2026, 7, 13, 9), options=options(member_anchor=anchor)
        )
        assert [e.user.name for e in final.entries] == ["Dan", "Ben", "Cat"]


def test_member_anchor_rotation_differs_when_the_first_event_ran_a_partial_cycle() -> None:
    cutover = utc(2026, 6, 15, 9)  # the first event covered two weeks: Ann, Ben
    first = ShiftEvent(
        "A", utc(2026, 6, 1, 9), utc(2026, 6, 8, 9), "RRULE:FREQ=WEEKLY",
        RotatingMembers([ANN, BEN, CAT]), effective_until=cutover,
    )  # fmt: skip
    second = ShiftEvent(
        "B", cutover, cutover + WEEK, "RRULE:FREQ=WEEKLY",
        RotatingMembers([ANN, BEN, CAT]), effective_since=cutover,
    )  # fmt: skip
    schedule = one_rotation(first, second, zone="Etc/UTC")
    window = (utc(2026, 6, 15, 9), utc(2026, 6, 29, 9))
    names = {
        anchor: [
            e.user.name
            for e in render(schedule, *window, options=options(member_anchor=anchor)).entries
        ]
        for anchor in ("start_time", "effective_since", "rotation")
    }
    assert names == {
        "start_time": ["Ann", "Ben"],  # the second event counts from its own start
        "effective_since": ["Ann", "Ben"],
        "rotation": ["Cat", "Ann"],  # the rotation's third and fourth shifts
    }


def exdate_schedule() -> ShiftSchedule:
    event = ShiftEvent(
        "Daily",
        utc(2026, 6, 1, 9),
        utc(2026, 6, 1, 17),
        ["RRULE:FREQ=DAILY", "EXDATE:20260602T090000Z"],
        RotatingMembers([ANN, BEN]),
    )
    return one_rotation(event, zone="Etc/UTC")


def test_an_excluded_date_takes_no_turn_by_default() -> None:
    final = render(exdate_schedule(), utc(2026, 6, 1), utc(2026, 6, 5))
    assert [(e.start.day, e.user.name) for e in final.entries] == [
        (1, "Ann"), (3, "Ben"), (4, "Ann"),
    ]  # fmt: skip


def test_an_excluded_date_can_keep_its_turn_uncovered() -> None:
    final = render(
        exdate_schedule(),
        utc(2026, 6, 1),
        utc(2026, 6, 5),
        options=options(excluded_dates="counted"),
    )
    assert [(e.start.day, e.user.name) for e in final.entries] == [
        (1, "Ann"), (3, "Ann"), (4, "Ben"),
    ]  # fmt: skip


def test_an_added_date_takes_a_turn_in_time_order() -> None:
    event = ShiftEvent(
        "Weekly",
        utc(2026, 6, 1, 9),
        utc(2026, 6, 1, 17),
        ["RRULE:FREQ=WEEKLY", "RDATE:20260604T090000Z"],
        RotatingMembers([ANN, BEN]),
    )
    final = render(one_rotation(event, zone="Etc/UTC"), utc(2026, 6, 1), utc(2026, 6, 16))
    assert [(e.start.day, e.user.name) for e in final.entries] == [
        (1, "Ann"), (4, "Ben"), (8, "Ann"), (15, "Ben"),
    ]  # fmt: skip


def bounded_event(**kw: object) -> ShiftSchedule:
    """Daily 09:00-17:00, effective from 12:00 on 2 June to 12:00 on 4 June."""
    event = ShiftEvent(
        "Daily",
        utc(2026, 6, 1, 9),
        utc(2026, 6, 1, 17),
        "RRULE:FREQ=DAILY",
        RotatingMembers([ANN]),
        effective_since=utc(2026, 6, 2, 12),
        effective_until=utc(2026, 6, 4, 12),
    )
    return one_rotation(event, zone="Etc/UTC")


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ("clip", [("06-02T12:00", "06-02T17:00"), ("06-03T09:00", "06-03T17:00"), ("06-04T09:00", "06-04T12:00")]),
        ("by_start", [("06-03T09:00", "06-03T17:00"), ("06-04T09:00", "06-04T17:00")]),
        ("drop", [("06-03T09:00", "06-03T17:00")]),
    ],
)  # fmt: skip
def test_effective_bounds(bounds: str, expected: list[tuple[str, str]]) -> None:
    final = render(
        bounded_event(), utc(2026, 6, 1), utc(2026, 6, 6), options=options(effective_bounds=bounds)
    )
    assert [(s, e) for s, e, _ in iso(final.entries)] == expected


def daily_24h(**kw: object) -> ShiftSchedule:
    event = ShiftEvent(
        "Daily",
        utc(2026, 6, 1),
        utc(2026, 6, 2),
        "RRULE:FREQ=DAILY",
        RotatingMembers([ANN, BEN], 7),
    )
    return one_rotation(event, zone="Etc/UTC")


def test_touching_shifts_stay_separate_entries_by_default() -> None:
    final = render(daily_24h(), utc(2026, 6, 1), utc(2026, 6, 15))
    assert len(final.entries) == 14
    assert final.hours_by_user() == {ANN: 168.0, BEN: 168.0}


def test_merge_adjacent_joins_touching_shifts_of_one_person() -> None:
    final = render(
        daily_24h(), utc(2026, 6, 1), utc(2026, 6, 15), options=options(merge_adjacent=True)
    )
    assert iso(final.entries) == [
        ("06-01T00:00", "06-08T00:00", "Ann"),
        ("06-08T00:00", "06-15T00:00", "Ben"),
    ]


def empty_slot_schedule() -> ShiftSchedule:
    event = ShiftEvent(
        "Daily",
        utc(2026, 6, 1),
        utc(2026, 6, 2),
        "RRULE:FREQ=DAILY",
        RotatingMembers([ANN, EMPTY_MEMBER]),
    )
    return one_rotation(event, zone="Etc/UTC")


def test_an_empty_slot_is_a_vacancy_and_a_gap() -> None:
    final = render(empty_slot_schedule(), utc(2026, 6, 1), utc(2026, 6, 5))
    assert iso(final.entries) == [
        ("06-01T00:00", "06-02T00:00", "Ann"),
        ("06-03T00:00", "06-04T00:00", "Ann"),
    ]
    assert iso(final.vacancies) == [
        ("06-02T00:00", "06-03T00:00", "-"),
        ("06-04T00:00", "06-05T00:00", "-"),
    ]
    assert final.coverage == 0.5 and len(final.gaps) == 2


def test_empty_covers_counts_a_vacancy_as_covered() -> None:
    final = render(
        empty_slot_schedule(), utc(2026, 6, 1), utc(2026, 6, 5), options=options(empty_covers=True)
    )
    assert final.coverage == 1.0 and final.gaps == ()
    assert len(final.vacancies) == 2  # still listed; nobody is on call then


def test_entries_are_cut_at_the_window_unless_overflow() -> None:
    window = (utc(2026, 6, 1, 10), utc(2026, 6, 1, 11))
    assert iso(render(daily_24h(), *window).entries) == [("06-01T10:00", "06-01T11:00", "Ann")]
    whole = render(daily_24h(), *window, options=options(overflow=True))
    assert iso(whole.entries) == [("06-01T00:00", "06-02T00:00", "Ann")]
    assert whole.coverage == 1.0  # coverage and gaps stay inside the window


def test_overflow_keeps_no_piece_of_a_split_shift_that_lies_outside_the_window() -> None:
    # An override from 10:30 splits Ann's day: with overflow, the shift crossing the window is
    # kept whole, but the part before 10:30 does not meet [11:00, 12:00) and is not listed.
    schedule = daily_24h()
    swap = ShiftOverride(
        utc(2026, 6, 1, 10, 30), utc(2026, 6, 1, 12), ANN, BEN, rotation=schedule.rotations[0]
    )
    window = (utc(2026, 6, 1, 11), utc(2026, 6, 1, 12))
    final = render(schedule, *window, [swap], options=options(overflow=True))
    assert iso(final.entries) == [("06-01T10:30", "06-01T12:00", "Ben")]
    assert iso(final.layers[0]) == [("06-01T00:00", "06-02T00:00", "Ann")]


def test_an_option_must_be_one_of_its_values() -> None:
    with pytest.raises(
        ValidationError,
        match="ShiftRenderOptions: duration must be one of 'exact', 'wallclock', got 'elapsed'",
    ):
        ShiftRenderOptions(duration="elapsed")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="merge_adjacent must be True or False"):
        ShiftRenderOptions(merge_adjacent=1)  # type: ignore[arg-type]


# --- rotations, strategies, custom shifts -------------------------------------------------------


def two_rotations() -> ShiftSchedule:
    days = ShiftEvent(
        "Days",
        utc(2026, 6, 1, 8),
        utc(2026, 6, 1, 20),
        "RRULE:FREQ=DAILY",
        RotatingMembers([ANN, BEN]),
    )
    always = ShiftEvent(
        "Always", utc(2026, 6, 1), utc(2026, 6, 8), "RRULE:FREQ=WEEKLY", RotatingMembers([CAT, DAN])
    )
    return ShiftSchedule("S", "Etc/UTC", [Rotation([days], name="Primary"), Rotation([always])])


def test_rotations_do_not_hide_each_other() -> None:
    final = render(two_rotations(), utc(2026, 6, 1), utc(2026, 6, 2))
    assert iso(final.entries) == [
        ("06-01T00:00", "06-02T00:00", "Cat"),
        ("06-01T08:00", "06-01T20:00", "Ann"),
    ]
    assert [u.name for u in final.people_on_call_at(utc(2026, 6, 1, 12))] == ["Ann", "Cat"]
    assert final.on_call_at(utc(2026, 6, 1, 12)) == ANN  # the first of them, in rotation order
    assert [str(e.source) for e in final.entries] == [
        "rotation 2, event 'Always'",
        "rotation 1 'Primary', event 'Days'",
    ]


def test_layers_and_visible_are_per_rotation() -> None:
    final = render(two_rotations(), utc(2026, 6, 1), utc(2026, 6, 2))
    assert [iso(r) for r in final.layers] == [
        [("06-01T08:00", "06-01T20:00", "Ann")],
        [("06-01T00:00", "06-02T00:00", "Cat")],
    ]
    assert final.visible == final.layers and final.overrides == ()


def test_every_member_puts_everyone_on_call_together() -> None:
    event = ShiftEvent(
        "All hands",
        utc(2026, 6, 6),
        utc(2026, 6, 8),
        "RRULE:FREQ=WEEKLY",
        EveryMember([ANN, BEN, EMPTY_MEMBER]),
    )
    final = render(one_rotation(event, zone="Etc/UTC"), utc(2026, 6, 6), utc(2026, 6, 8))
    assert [e.user.name for e in final.entries] == ["Ann", "Ben"]
    assert len(final.vacancies) == 1
    assert final.hours_by_user() == {ANN: 48.0, BEN: 48.0}


def test_a_custom_shift_adds_a_person_without_replacing_anyone() -> None:
    extra = CustomShift(utc(2026, 6, 1, 10), utc(2026, 6, 1, 12), DAN)
    schedule = ShiftSchedule("S", "Etc/UTC", two_rotations().rotations, custom_shifts=[extra])
    final = render(schedule, utc(2026, 6, 1), utc(2026, 6, 2))
    assert [u.name for u in final.people_on_call_at(utc(2026, 6, 1, 11))] == ["Ann", "Cat", "Dan"]
    assert final.entries[-1].source == Source("custom_shift", custom_shift=0)


def test_hours_count_a_person_once_when_two_of_their_entries_overlap() -> None:
    overlap = CustomShift(utc(2026, 6, 1, 6), utc(2026, 6, 1, 10), ANN)  # 2 h before Ann's shift
    schedule = ShiftSchedule("S", "Etc/UTC", two_rotations().rotations, custom_shifts=[overlap])
    final = render(schedule, utc(2026, 6, 1), utc(2026, 6, 2))
    assert final.hours_by_user()[ANN] == 14.0  # 06:00 to 20:00


def test_an_event_may_use_its_own_zone() -> None:
    tokyo = ShiftEvent(
        "Tokyo day", dt.datetime(2026, 6, 1, 9, tzinfo=ZoneInfo("Asia/Tokyo")),
        dt.datetime(2026, 6, 1, 17, tzinfo=ZoneInfo("Asia/Tokyo")), "RRULE:FREQ=DAILY",
        RotatingMembers([ANN]), time_zone="Asia/Tokyo",
    )  # fmt: skip
    final = render(one_rotation(tokyo), utc(2026, 11, 2), utc(2026, 11, 3))
    assert iso(final.entries) == [("11-02T00:00", "11-02T08:00", "Ann")]  # Tokyo has no DST


# --- overrides ----------------------------------------------------------------------------------


def test_an_override_replaces_one_member_of_one_rotation_only() -> None:
    schedule = two_rotations()
    swap = ShiftOverride(
        utc(2026, 6, 1, 10), utc(2026, 6, 1, 12), ANN, DAN, rotation=schedule.rotations[0]
    )
    final = render(schedule, utc(2026, 6, 1), utc(2026, 6, 2), [swap])
    assert iso(final.entries) == [
        ("06-01T00:00", "06-02T00:00", "Cat"),  # the other rotation is unaffected
        ("06-01T08:00", "06-01T10:00", "Ann"),
        ("06-01T10:00", "06-01T12:00", "Dan"),
        ("06-01T12:00", "06-01T20:00", "Ann"),
    ]
    assert final.entries[2].source == Source("rotation_override", rotation=0, event=0, override=0)
    assert iso(final.overrides) == [("06-01T10:00", "06-01T12:00", "Dan")]
    assert iso(final.layers[0]) == [("06-01T08:00", "06-01T20:00", "Ann")]
    assert iso(final.visible[0]) == [
        ("06-01T08:00", "06-01T10:00", "Ann"),
        ("06-01T12:00", "06-01T20:00", "Ann"),
    ]


def test_an_override_longer_than_the_shift_replaces_only_the_shift() -> None:
    schedule = two_rotations()
    day = ShiftOverride(utc(2026, 6, 1), utc(2026, 6, 2), ANN, DAN, rotation=schedule.rotations[0])
    final = render(schedule, utc(2026, 6, 1), utc(2026, 6, 2), [day])
    assert ("06-01T08:00", "06-01T20:00", "Dan") in iso(final.entries)
    assert "Ann" not in {e.user.name for e in final.entries}


def test_the_later_of_two_overlapping_overrides_wins() -> None:
    rotation = two_rotations().rotations[0]
    first = ShiftOverride(utc(2026, 6, 1, 8), utc(2026, 6, 1, 14), ANN, BEN, rotation=rotation)
    later = ShiftOverride(utc(2026, 6, 1, 12), utc(2026, 6, 1, 16), ANN, DAN, rotation=rotation)
    final = render(two_rotations(), utc(2026, 6, 1), utc(2026, 6, 2), [first, later])
    assert iso(final.visible[0]) + iso(final.overrides) == [
        ("06-01T16:00", "06-01T20:00", "Ann"),
        ("06-01T08:00", "06-01T12:00", "Ben"),
        ("06-01T12:00", "06-01T16:00", "Dan"),
    ]


def test_an_override_can_fill_or_empty_a_slot() -> None:
    rotation = empty_slot_schedule().rotations[0]
    fill = ShiftOverride(utc(2026, 6, 2), utc(2026, 6, 3), EMPTY_MEMBER, BEN, rotation=rotation)
    empty = ShiftOverride(
        utc(2026, 6, 1), utc(2026, 6, 1, 12), ANN, EMPTY_MEMBER, rotation=rotation
    )
    final = render(empty_slot_schedule(), utc(2026, 6, 1), utc(2026, 6, 3), [fill, empty])
    assert iso(final.entries) == [
        ("06-01T12:00", "06-02T00:00", "Ann"),
        ("06-02T00:00", "06-03T00:00", "Ben"),
    ]
    assert iso(final.vacancies) == [("06-01T00:00", "06-01T12:00", "-")]
    assert final.vacancies[0].source.kind == "rotation_override"


def test_an_override_on_a_custom_shift() -> None:
    shift = CustomShift(utc(2026, 6, 1, 10), utc(2026, 6, 1, 14), DAN)
    schedule = ShiftSchedule("S", "Etc/UTC", [], custom_shifts=[shift])
    swap = ShiftOverride(utc(2026, 6, 1, 12), utc(2026, 6, 1, 20), DAN, CAT, custom_shift=shift)
    final = render(schedule, utc(2026, 6, 1), utc(2026, 6, 2), [swap])
    assert iso(final.entries) == [
        ("06-01T10:00", "06-01T12:00", "Dan"),
        ("06-01T12:00", "06-01T14:00", "Cat"),
    ]
    assert final.entries[1].source == Source("custom_shift_override", custom_shift=0, override=0)


def test_an_override_of_someone_not_on_shift_is_an_error_unless_ignored() -> None:
    schedule = two_rotations()
    wrong = ShiftOverride(
        utc(2026, 6, 1, 10), utc(2026, 6, 1, 12), CAT, DAN, rotation=schedule.rotations[0]
    )
    with pytest.raises(
        ValidationError, match=r"override 1 .* overridden_member Cat has no shift of rotation 1"
    ):
        render(schedule, utc(2026, 6, 1), utc(2026, 6, 2), [wrong])
    final = render(
        schedule,
        utc(2026, 6, 1),
        utc(2026, 6, 2),
        [wrong],
        options=options(unmatched_overrides="ignore"),
    )
    assert final.overrides == ()


def test_an_override_of_a_rotation_outside_the_schedule_is_refused() -> None:
    stranger = two_rotations().rotations[0]
    other = one_rotation(daily_24h().rotations[0].events[0], zone="Etc/UTC")
    bad = ShiftOverride(utc(2026, 6, 1), utc(2026, 6, 2), ANN, BEN, rotation=stranger)
    with pytest.raises(
        ValidationError, match="override 1: its rotation is not one of the schedule's rotations"
    ):
        render(other, utc(2026, 6, 1), utc(2026, 6, 2), [bad])


def test_each_kind_of_schedule_takes_its_own_kind_of_override() -> None:
    layered = Schedule("L", "Etc/UTC", [Layer("L", [ANN], utc(2026, 6, 1), WEEK)])
    v1 = Override(utc(2026, 6, 1), utc(2026, 6, 2), BEN)
    with pytest.raises(ValidationError, match="an Override goes with a layer-based Schedule"):
        render(two_rotations(), utc(2026, 6, 1), utc(2026, 6, 2), [v1])
    v3 = ShiftOverride(
        utc(2026, 6, 1), utc(2026, 6, 2), ANN, BEN, rotation=two_rotations().rotations[0]
    )
    with pytest.raises(ValidationError, match="a ShiftOverride goes with a ShiftSchedule"):
        render(layered, utc(2026, 6, 1), utc(2026, 6, 2), [v3])


# --- one instant --------------------------------------------------------------------------------


def test_on_call_at_and_people_on_call_at_answer_without_a_window() -> None:
    schedule = two_rotations()
    noon = utc(2026, 6, 1, 12)
    assert people_on_call_at(schedule, noon) == (ANN, CAT)  # rotation order
    assert on_call_at(schedule, noon) == ANN
    assert people_on_call_at(schedule, utc(2026, 6, 1, 21)) == (CAT,)
    layered = Schedule("L", "Etc/UTC", [Layer("L", [ANN], utc(2026, 6, 1), WEEK)])
    assert people_on_call_at(layered, noon) == (ANN,)
    assert people_on_call_at(layered, utc(2026, 5, 1)) == ()


def test_the_layer_based_render_ignores_shift_options_and_has_no_sources() -> None:
    layered = Schedule("L", "Etc/UTC", [Layer("L", [ANN], utc(2026, 6, 1), WEEK)])
    final = render(layered, utc(2026, 6, 1), utc(2026, 6, 2), options=options(overflow=True))
    assert [e.source for e in final.entries] == [None]
    assert not final.concurrent and final.vacancies == ()


@pytest.mark.parametrize(
    ("rule", "years"),
    [("RRULE:FREQ=MINUTELY;INTERVAL=2", 10), ("RRULE:FREQ=HOURLY", 100)],
)
def test_a_recurrence_that_would_make_millions_of_shifts_is_refused_before_memory_runs_out(
    rule: str, years: int
) -> None:
    # FREQ=MINUTELY over ten years made 2.6 million entries in 1.7 GB; the layered renderer's
    # cap (MAX_PIECES) holds for shift-based schedules too, counted from the event's start.
    start = dt.datetime(2026, 1, 5, 9, tzinfo=NY)
    event = ShiftEvent("Tiny", start, start + dt.timedelta(minutes=1), rule, RotatingMembers([ANN]))
    schedule = ShiftSchedule("Busy", "America/New_York", [Rotation([event])])
    since = dt.datetime(2026, 1, 5, tzinfo=UTC)
    with pytest.raises(ValidationError, match=r"makes more than 500,000 occurrences"):
        render(schedule, since, since + dt.timedelta(days=365 * years))
    assert len(render(schedule, since, since + 7 * DAY).entries) > 0  # a week is fine
