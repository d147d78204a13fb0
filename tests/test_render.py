"""The renderer gives PagerDuty's answer: precedence, turns, restrictions, overrides, daylight saving."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import pytz

from oncall_planner import (
    Entry,
    Layer,
    Override,
    Restriction,
    Schedule,
    User,
    ValidationError,
    on_call_at,
    render,
)

UTC = dt.timezone.utc
NY = ZoneInfo("America/New_York")
SYD = ZoneInfo("Australia/Sydney")
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(weeks=1)
A, B, C, D = (User(n, f"{n.lower()}@example.com") for n in ("Alice", "Bob", "Carol", "Dave"))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def ny(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NY)


def rows(final_entries, tz=UTC):  # type: ignore[no-untyped-def]
    """Entries as (start, end, name) in a zone, naive, for readable expectations."""
    return [
        (
            e.start.astimezone(tz).replace(tzinfo=None),
            e.end.astimezone(tz).replace(tzinfo=None),
            e.user.name,
        )
        for e in final_entries
    ]


def naive(*args: int) -> dt.datetime:
    return dt.datetime(*args)


def test_weekly_rotation_hands_over_every_week() -> None:
    s = Schedule("S", "Etc/UTC", [Layer("L", [A, B, C], utc(2025, 1, 1), WEEK)])
    final = render(s, utc(2025, 1, 1), utc(2025, 1, 29))
    assert rows(final.entries) == [
        (naive(2025, 1, 1), naive(2025, 1, 8), "Alice"),
        (naive(2025, 1, 8), naive(2025, 1, 15), "Bob"),
        (naive(2025, 1, 15), naive(2025, 1, 22), "Carol"),
        (naive(2025, 1, 22), naive(2025, 1, 29), "Alice"),
    ]
    assert final.coverage == 1.0
    assert final.gaps == ()


def test_entries_are_clipped_to_the_window() -> None:
    s = Schedule("S", "Etc/UTC", [Layer("L", [A, B], utc(2025, 1, 1), WEEK)])
    final = render(s, utc(2025, 1, 3, 12), utc(2025, 1, 9))
    assert rows(final.entries) == [
        (naive(2025, 1, 3, 12), naive(2025, 1, 8), "Alice"),
        (naive(2025, 1, 8), naive(2025, 1, 9), "Bob"),
    ]


def test_turns_before_the_virtual_start_wrap_backwards() -> None:
    layer = Layer("L", [A, B, C], utc(2024, 1, 1), WEEK, rotation_virtual_start=utc(2025, 1, 1))
    s = Schedule("S", "Etc/UTC", [layer])
    # Turn -1 (the week before the anchor) belongs to users[-1 mod 3] = Carol, turn -2 to Bob.
    assert on_call_at(s, utc(2024, 12, 28)) == C
    assert on_call_at(s, utc(2024, 12, 20)) == B
    assert on_call_at(s, utc(2025, 1, 1)) == A


def test_the_later_layer_wins_and_hides_the_earlier_one() -> None:
    primary = Layer("Primary", [A, B], utc(2025, 1, 1), WEEK)
    secondary = Layer("Secondary", [C, D], utc(2025, 1, 1), WEEK)
    final = render(
        Schedule("S", "Etc/UTC", [primary, secondary]), utc(2025, 1, 1), utc(2025, 1, 15)
    )
    assert [e.user for e in final.entries] == [C, D]
    assert final.visible[0] == ()
    assert final.visible[1] == final.entries
    assert [e.user for e in final.layers[0]] == [A, B]


def test_lower_layer_shows_where_the_upper_one_has_not_started() -> None:
    base = Layer("Base", [A], utc(2025, 1, 1), WEEK)
    top = Layer("Top", [B], utc(2025, 1, 3), WEEK, end=utc(2025, 1, 5))
    final = render(Schedule("S", "Etc/UTC", [base, top]), utc(2025, 1, 1), utc(2025, 1, 8))
    assert rows(final.entries) == [
        (naive(2025, 1, 1), naive(2025, 1, 3), "Alice"),
        (naive(2025, 1, 3), naive(2025, 1, 5), "Bob"),
        (naive(2025, 1, 5), naive(2025, 1, 8), "Alice"),
    ]


def test_a_restricted_upper_layer_lets_the_lower_one_show_outside_its_windows() -> None:
    base = Layer("Base", [A], utc(2025, 1, 6), WEEK)
    nights = Layer(
        "Nights", [B], utc(2025, 1, 6), WEEK, restrictions=[Restriction.daily("22:00", 10 * HOUR)]
    )
    final = render(Schedule("S", "Etc/UTC", [base, nights]), utc(2025, 1, 6), utc(2025, 1, 7, 12))
    assert rows(final.entries) == [
        (naive(2025, 1, 6), naive(2025, 1, 6, 8), "Bob"),  # the window that started Sunday 22:00
        (naive(2025, 1, 6, 8), naive(2025, 1, 6, 22), "Alice"),
        (naive(2025, 1, 6, 22), naive(2025, 1, 7, 8), "Bob"),
        (naive(2025, 1, 7, 8), naive(2025, 1, 7, 12), "Alice"),
    ]


def test_override_beats_every_layer_and_fills_gaps() -> None:
    layer = Layer(
        "L", [A], utc(2025, 1, 1), WEEK, restrictions=[Restriction.daily("09:00", 8 * HOUR)]
    )
    s = Schedule("S", "Etc/UTC", [layer])
    ov = Override(utc(2025, 1, 1, 12), utc(2025, 1, 1, 20), B)
    final = render(s, utc(2025, 1, 1), utc(2025, 1, 2), overrides=[ov])
    assert rows(final.entries) == [
        (naive(2025, 1, 1, 9), naive(2025, 1, 1, 12), "Alice"),
        (naive(2025, 1, 1, 12), naive(2025, 1, 1, 20), "Bob"),
    ]
    assert rows(final.overrides) == [(naive(2025, 1, 1, 12), naive(2025, 1, 1, 20), "Bob")]
    assert on_call_at(s, utc(2025, 1, 1, 18), overrides=[ov]) == B
    assert on_call_at(s, utc(2025, 1, 1, 18)) is None


def test_among_overlapping_overrides_the_later_one_wins() -> None:
    s = Schedule("S", "Etc/UTC", [Layer("L", [A], utc(2025, 1, 1), WEEK)])
    first = Override(utc(2025, 1, 2), utc(2025, 1, 4), B)
    second = Override(utc(2025, 1, 3), utc(2025, 1, 5), C)
    final = render(s, utc(2025, 1, 1), utc(2025, 1, 6), overrides=[first, second])
    assert rows(final.entries) == [
        (naive(2025, 1, 1), naive(2025, 1, 2), "Alice"),
        (naive(2025, 1, 2), naive(2025, 1, 3), "Bob"),
        (naive(2025, 1, 3), naive(2025, 1, 5), "Carol"),
        (naive(2025, 1, 5), naive(2025, 1, 6), "Alice"),
    ]
    assert on_call_at(s, utc(2025, 1, 3, 12), overrides=[first, second]) == C
    assert on_call_at(s, utc(2025, 1, 3, 12), overrides=[second, first]) == B


def test_adjacent_entries_of_one_person_are_merged() -> None:
    layer = Layer("L", [A], utc(2025, 1, 1), DAY)
    final = render(Schedule("S", "Etc/UTC", [layer]), utc(2025, 1, 1), utc(2025, 1, 8))
    assert rows(final.entries) == [(naive(2025, 1, 1), naive(2025, 1, 8), "Alice")]
    assert len(final.layers[0]) == 1


def test_gaps_and_coverage() -> None:
    layer = Layer(
        "L", [A], utc(2025, 1, 1), DAY, restrictions=[Restriction.daily("09:00", 6 * HOUR)]
    )
    final = render(Schedule("S", "Etc/UTC", [layer]), utc(2025, 1, 1), utc(2025, 1, 2))
    assert [(g.start, g.end) for g in final.gaps] == [
        (utc(2025, 1, 1), utc(2025, 1, 1, 9)),
        (utc(2025, 1, 1, 15), utc(2025, 1, 2)),
    ]
    assert final.coverage == pytest.approx(0.25)


# --- Daylight saving -------------------------------------------------------------------------


def test_weekly_turns_keep_the_local_handoff_through_spring_forward() -> None:
    layer = Layer("L", [A, B], ny(2025, 3, 3, 9), WEEK)
    final = render(
        Schedule("S", "America/New_York", [layer]), ny(2025, 3, 3, 9), ny(2025, 3, 17, 9)
    )
    assert rows(final.entries, NY) == [
        (naive(2025, 3, 3, 9), naive(2025, 3, 10, 9), "Alice"),
        (naive(2025, 3, 10, 9), naive(2025, 3, 17, 9), "Bob"),
    ]
    assert final.entries[0].duration == 167 * HOUR
    assert final.entries[1].duration == 168 * HOUR


def test_weekly_turns_keep_the_local_handoff_through_fall_back() -> None:
    layer = Layer("L", [A, B], ny(2025, 10, 27, 9), WEEK)
    final = render(
        Schedule("S", "America/New_York", [layer]), ny(2025, 10, 27, 9), ny(2025, 11, 3, 9)
    )
    assert final.entries[0].duration == 169 * HOUR


def test_elapsed_mode_counts_absolute_time_and_moves_the_local_handoff() -> None:
    layer = Layer("L", [A, B], ny(2025, 3, 3, 9), WEEK)
    final = render(
        Schedule("S", "America/New_York", [layer]),
        ny(2025, 3, 3, 9),
        ny(2025, 3, 17, 9),
        mode="elapsed",
    )
    assert final.entries[0].duration == 168 * HOUR
    assert rows(final.entries, NY)[0][1] == naive(2025, 3, 10, 10)  # 09:00 EST + 168 h = 10:00 EDT
    s = Schedule("S", "America/New_York", [layer])
    assert on_call_at(s, ny(2025, 3, 10, 9, 30), mode="elapsed") == A
    assert on_call_at(s, ny(2025, 3, 10, 9, 30)) == B


def test_southern_hemisphere_fall_back_in_april() -> None:
    layer = Layer("L", [A, B], dt.datetime(2025, 3, 31, 9, tzinfo=SYD), WEEK)
    final = render(
        Schedule("S", "Australia/Sydney", [layer]),
        dt.datetime(2025, 3, 31, 9, tzinfo=SYD),
        dt.datetime(2025, 4, 14, 9, tzinfo=SYD),
    )
    # Sydney leaves daylight saving on Sunday 6 April 2025: that week is 169 hours long.
    assert [e.duration for e in final.entries] == [169 * HOUR, 168 * HOUR]


def test_handoff_inside_the_spring_forward_gap_moves_to_the_jump() -> None:
    # Daily handoff at 02:30; on 9 March 2025 New York jumps from 02:00 to 03:00.
    layer = Layer("L", [A, B], ny(2025, 3, 7, 2, 30), DAY)
    final = render(
        Schedule("S", "America/New_York", [layer]), ny(2025, 3, 8, 12), ny(2025, 3, 10, 12)
    )
    handoffs = [e.start for e in final.entries[1:]]
    assert handoffs[0] == utc(2025, 3, 9, 7)  # the instant the clocks jump (03:00 EDT)
    assert handoffs[1] == ny(2025, 3, 10, 2, 30)


def test_handoff_in_the_repeated_hour_takes_the_first_occurrence() -> None:
    # Daily handoff at 01:30; on 2 November 2025 New York repeats 01:00-02:00.
    layer = Layer("L", [A, B], ny(2025, 10, 31, 1, 30), DAY)
    final = render(
        Schedule("S", "America/New_York", [layer]), ny(2025, 11, 1, 12), ny(2025, 11, 3, 12)
    )
    assert final.entries[1].start == utc(2025, 11, 2, 5, 30)  # 01:30 EDT, not 01:30 EST
    assert final.entries[1].duration == 25 * HOUR


def test_hourly_turn_inside_the_gap_is_empty() -> None:
    layer = Layer("L", [A, B, C], ny(2025, 3, 9, 0), HOUR)
    final = render(Schedule("S", "America/New_York", [layer]), ny(2025, 3, 9, 0), ny(2025, 3, 9, 5))
    # Local 00:00 A, 01:00 B, 02:00 C (does not exist: empty), 03:00 A, 04:00 B.
    assert rows(final.entries, NY) == [
        (naive(2025, 3, 9, 0), naive(2025, 3, 9, 1), "Alice"),
        (naive(2025, 3, 9, 1), naive(2025, 3, 9, 3), "Bob"),
        (naive(2025, 3, 9, 3), naive(2025, 3, 9, 4), "Alice"),
        (naive(2025, 3, 9, 4), naive(2025, 3, 9, 5), "Bob"),
    ]


def test_night_window_keeps_its_wall_clock_end_across_daylight_saving() -> None:
    layer = Layer(
        "Nights", [A], ny(2025, 3, 1), WEEK, restrictions=[Restriction.daily("22:00", 10 * HOUR)]
    )
    final = render(
        Schedule("S", "America/New_York", [layer]), ny(2025, 3, 8, 12), ny(2025, 3, 9, 12)
    )
    assert rows(final.entries, NY) == [(naive(2025, 3, 8, 22), naive(2025, 3, 9, 8), "Alice")]
    assert final.entries[0].duration == 9 * HOUR


# --- Restrictions mask, never pause ----------------------------------------------------------


def test_daily_rotation_restricted_to_weekdays_loses_weekend_turns() -> None:
    weekdays = [
        Restriction.weekly(1, "09:00", dt.timedelta(days=4, hours=8))
    ]  # Mon 09:00-Fri 17:00
    layer = Layer("L", [A, B, C], utc(2025, 1, 6, 9), DAY, restrictions=weekdays)
    final = render(Schedule("S", "Etc/UTC", [layer]), utc(2025, 1, 6), utc(2025, 1, 18))
    days = [(e.start.date().isoformat(), e.user.name) for e in final.entries]
    # Mon A, Tue B, Wed C, Thu A, Fri B; Sat (C) and Sun (A) are masked; next Mon is B.
    assert days[:6] == [
        ("2025-01-06", "Alice"),
        ("2025-01-07", "Bob"),
        ("2025-01-08", "Carol"),
        ("2025-01-09", "Alice"),
        ("2025-01-10", "Bob"),
        ("2025-01-13", "Bob"),
    ]


def test_handoff_inside_a_restriction_window_splits_the_window() -> None:
    work_week = [Restriction.weekly(1, "09:00", dt.timedelta(days=4, hours=8))]
    layer = Layer("L", [A, B], utc(2025, 1, 8, 12), WEEK, restrictions=work_week)  # Wednesday noon
    final = render(Schedule("S", "Etc/UTC", [layer]), utc(2025, 1, 13), utc(2025, 1, 18))
    assert rows(final.entries) == [
        (naive(2025, 1, 13, 9), naive(2025, 1, 15, 12), "Alice"),
        (naive(2025, 1, 15, 12), naive(2025, 1, 17, 17), "Bob"),
    ]


def test_windows_crossing_midnight_belong_to_the_day_they_start() -> None:
    layer = Layer(
        "L", [A], utc(2025, 1, 1), WEEK, restrictions=[Restriction.daily("19:00", 12 * HOUR)]
    )
    s = Schedule("S", "Etc/UTC", [layer])
    assert on_call_at(s, utc(2025, 1, 2, 6, 59)) == A
    assert on_call_at(s, utc(2025, 1, 2, 7)) is None
    assert on_call_at(s, utc(2025, 1, 2, 19)) == A


def test_several_restrictions_are_united() -> None:
    limits = [Restriction.daily("08:00", 2 * HOUR), Restriction.daily("09:00", 2 * HOUR)]
    layer = Layer("L", [A], utc(2025, 1, 1), WEEK, restrictions=limits)
    final = render(Schedule("S", "Etc/UTC", [layer]), utc(2025, 1, 1), utc(2025, 1, 2))
    assert rows(final.entries) == [(naive(2025, 1, 1, 8), naive(2025, 1, 1, 11), "Alice")]


# --- Inputs ----------------------------------------------------------------------------------


def test_pytz_and_zoneinfo_give_the_same_answer() -> None:
    tz = pytz.timezone("America/New_York")
    a = Schedule("S", "America/New_York", [Layer("L", [A, B], ny(2025, 3, 3, 9), WEEK)])
    b = Schedule(
        "S", "America/New_York", [Layer("L", [A, B], tz.localize(dt.datetime(2025, 3, 3, 9)), WEEK)]
    )
    window = (tz.localize(dt.datetime(2025, 3, 1)), tz.localize(dt.datetime(2025, 4, 1)))
    assert render(a, *window).entries == render(b, *window).entries
    assert repr(render(a, *window).entries) == repr(render(b, *window).entries)


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        (dt.datetime(2025, 1, 1), utc(2025, 1, 2), "render: since must be timezone-aware"),
        (utc(2025, 1, 2), utc(2025, 1, 1), "render: until must be after since"),
        (utc(2025, 1, 1), utc(2025, 1, 1, 0, 0, 30), "render: until must be in whole minutes"),
    ],
)
def test_render_window_is_checked(since: dt.datetime, until: dt.datetime, message: str) -> None:
    s = Schedule("S", "Etc/UTC", [Layer("L", [A], utc(2025, 1, 1), WEEK)])
    with pytest.raises(ValidationError, match=message):
        render(s, since, until)


def test_unknown_mode_is_refused() -> None:
    s = Schedule("S", "Etc/UTC", [Layer("L", [A], utc(2025, 1, 1), WEEK)])
    with pytest.raises(ValidationError, match="mode must be 'wall' or 'elapsed', got 'local'"):
        render(s, utc(2025, 1, 1), utc(2025, 1, 2), mode="local")  # type: ignore[arg-type]


def test_overrides_must_be_overrides() -> None:
    s = Schedule("S", "Etc/UTC", [Layer("L", [A], utc(2025, 1, 1), WEEK)])
    with pytest.raises(ValidationError, match="overrides must hold Override objects, got User"):
        render(s, utc(2025, 1, 1), utc(2025, 1, 2), overrides=[A])  # type: ignore[list-item]


def test_on_call_at_names_itself_in_its_errors() -> None:
    s = Schedule("S", "Etc/UTC", [Layer("L", [A], utc(2025, 1, 1), WEEK)])
    at = utc(2025, 1, 2)
    with pytest.raises(ValidationError, match=r"^on_call_at: overrides must hold Override objects"):
        on_call_at(s, at, overrides=[A])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match=r"^on_call_at: mode must be 'wall' or 'elapsed'"):
        on_call_at(s, at, mode="local")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^on_call_at: schedule must be a Schedule"):
        on_call_at("S", at)  # type: ignore[arg-type]


def test_on_call_at_accepts_seconds_and_needs_awareness() -> None:
    s = Schedule("S", "Etc/UTC", [Layer("L", [A, B], utc(2025, 1, 1), WEEK)])
    assert on_call_at(s, utc(2025, 1, 7, 23, 59) + dt.timedelta(seconds=59)) == A
    with pytest.raises(ValidationError, match=r"at must be (a )?timezone-aware"):
        on_call_at(s, dt.datetime(2025, 1, 1))


def test_nothing_before_the_layer_starts_or_after_it_ends() -> None:
    layer = Layer("L", [A], utc(2025, 1, 2), WEEK, end=utc(2025, 1, 3))
    s = Schedule("S", "Etc/UTC", [layer])
    assert on_call_at(s, utc(2025, 1, 1, 23, 59)) is None
    assert on_call_at(s, utc(2025, 1, 2)) == A
    assert on_call_at(s, utc(2025, 1, 3)) is None
    final = render(s, utc(2025, 1, 1), utc(2025, 1, 4))
    assert rows(final.entries) == [(naive(2025, 1, 2), naive(2025, 1, 3), "Alice")]


def test_many_overlapping_overrides_latest_in_the_list_wins() -> None:
    import random

    rng = random.Random(7)
    s = Schedule("S", "Etc/UTC", [Layer("L", [A], utc(2025, 1, 1), WEEK)])
    t0 = utc(2025, 1, 1)
    minute = dt.timedelta(minutes=1)
    overrides = []
    for _ in range(40):
        start = t0 + rng.randrange(0, 600) * minute
        overrides.append(
            Override(start, start + rng.randrange(1, 120) * minute, rng.choice([B, C, D]))
        )
    final = render(s, t0, t0 + 720 * minute, overrides)
    for k in range(720):
        at = t0 + k * minute
        latest = [o.user for o in overrides if o.start <= at < o.end]
        assert final.on_call_at(at) == (latest[-1] if latest else A)
    assert [e.user for e in final.overrides] == [e.user for e in final.entries if e.user != A]


def test_thousands_of_overrides_each_take_their_own_hours() -> None:
    # Speed with many overrides is measured by benchmarks/, never by a timed assertion here.
    s = Schedule("S", "Etc/UTC", [Layer("L", [A, B], utc(2025, 1, 1), WEEK)])
    hour = dt.timedelta(hours=1)
    overrides = [
        Override(utc(2025, 1, 1) + 3 * i * hour, utc(2025, 1, 1) + (3 * i + 2) * hour, C)
        for i in range(20_000)
    ]
    final = render(s, utc(2025, 1, 1), utc(2032, 1, 1), overrides)
    assert len(final.overrides) == 20_000
    assert [(e.start, e.end) for e in final.overrides] == [(o.start, o.end) for o in overrides]
    hours = final.hours_by_user()
    assert hours[C] == 2 * 20_000
    assert final.on_call_at(utc(2025, 1, 1, 2)) == A  # the hour between two overrides


def test_final_schedule_on_call_at_needs_an_aware_datetime() -> None:
    s = Schedule("S", "Etc/UTC", [Layer("L", [A, B], utc(2025, 1, 1), dt.timedelta(days=1))])
    final = render(s, utc(2025, 1, 1), utc(2025, 1, 4))
    assert [final.on_call_at(utc(2025, 1, d, 12)) for d in (1, 2, 3)] == [A, B, A]
    assert final.on_call_at(utc(2025, 1, 2)) == B  # a handoff: the incoming person
    assert final.on_call_at(utc(2024, 12, 31)) is None  # outside the window
    with pytest.raises(ValidationError, match=r"at must be (a )?timezone-aware"):
        final.on_call_at(dt.datetime(2025, 1, 2))


def test_rendered_entries_are_ordinary_entries() -> None:
    # The renderer builds entries through a fast path; they must equal, hash and print like
    # entries built the ordinary way, and stay frozen.
    s = Schedule("S", "Etc/UTC", [Layer("L", [A, B], utc(2025, 1, 1), WEEK)])
    final = render(s, utc(2025, 1, 1), utc(2025, 1, 29))
    for entry in final.entries + final.layers[0]:
        twin = Entry(entry.start, entry.end, entry.user)
        assert entry == twin and hash(entry) == hash(twin) and repr(entry) == repr(twin)
    with pytest.raises(AttributeError):
        final.entries[0].user = C  # type: ignore[misc]


# --- a window too long to hold in memory is refused up front -----------------------------------


def test_an_absurd_window_is_refused_before_anything_is_built():
    # Hourly turns from 2025 to 8999 are 61 million entries: rendering ran out of memory.
    s = Schedule("S", "Etc/UTC", [Layer("L", [A, B], utc(2025, 1, 1), dt.timedelta(hours=1))])
    with pytest.raises(
        ValidationError, match=r"render: .* about 61,1\d\d,\d\d\d turns.* at most 500,000"
    ):
        render(s, utc(2025, 1, 1), utc(8999, 1, 1))


def test_restriction_windows_count_towards_the_limit():
    office = [Restriction.daily("09:00", dt.timedelta(hours=1))] * 3
    s = Schedule("S", "Etc/UTC", [Layer("L", [A, B], utc(2025, 1, 1), WEEK, restrictions=office)])
    with pytest.raises(ValidationError, match="restriction windows"):
        render(s, utc(2025, 1, 1), utc(2600, 1, 1))


def test_long_windows_of_long_turns_still_render():
    s = Schedule("S", "Etc/UTC", [Layer("L", [A, B], utc(2025, 1, 1), WEEK)])
    assert len(render(s, utc(2025, 1, 1), utc(3000, 1, 1)).entries) > 50_000
