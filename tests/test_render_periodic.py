"""The periodic path of the layered renderer gives what the general path gives, field by field.

``render._periodic_final`` works a layered schedule out from one period on the local clock,
repeated and mapped to instants in one go (docs/architecture.md, "Speed"); where it cannot (a
mapped instant collapses in a spring-forward gap, overrides, "elapsed" mode, layers that start or
end inside the window, a short window) it says so and the general path renders.
``render._render_layers(..., periodic=False)`` is the general path alone.
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from oncall_planner import Layer, Override, Restriction, Schedule, User, render
from oncall_planner.render import Entry, FinalSchedule, Interval
from oncall_planner.timeutil import clock, to_seconds

R = importlib.import_module("oncall_planner.render")

UTC = dt.timezone.utc
PEOPLE = tuple(
    User(name, f"{name.lower()}@example.com") for name in ("Ann", "Bo", "Cy", "Di", "Ed")
)
# Daylight saving in both hemispheres, 30- and 45-minute offsets, and none.
ZONES = (
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Australia/Adelaide",
    "America/Santiago",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "Etc/UTC",
)


def both(
    schedule: Schedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides: tuple[Override, ...] = (),
    mode: str = "wall",
) -> tuple[FinalSchedule, FinalSchedule]:
    return (
        render(schedule, since, until, overrides, mode),  # type: ignore[arg-type]
        R._render_layers(schedule, since, until, overrides, mode, periodic=False),
    )


def took_periodic(schedule: Schedule, since: dt.datetime, until: dt.datetime) -> bool:
    """Whether :func:`render` answers from one period (the general path is not asked)."""
    return periodic_final(render(schedule, since, until)) is not None


def periodic_final(final: FinalSchedule) -> object:
    """What the periodic path makes of the job ``final`` was rendered from (``None``: it
    stands aside)."""
    parts = final._parts
    assert isinstance(parts, R._LayerParts)
    return R._periodic_final(parts.job, list(parts.users))


def assert_same(fast: FinalSchedule, general: FinalSchedule) -> None:
    assert fast == general
    assert fast.entries == general.entries
    assert [type(e) for e in fast.entries] == [Entry] * len(general.entries)
    assert [repr(e) for e in fast.entries] == [repr(e) for e in general.entries]
    assert fast.gaps == general.gaps
    assert [type(g) for g in fast.gaps] == [Interval] * len(general.gaps)
    assert fast.coverage == general.coverage
    assert fast.layers == general.layers
    assert fast.visible == general.visible
    assert fast.overrides == general.overrides
    assert fast.hours_by_user() == general.hours_by_user()


def local(
    zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0, fold: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone), fold=fold)


# --- random schedules -----------------------------------------------------------------------

# Mostly lengths that divide a day or a week (short periods: the periodic path applies), one in
# five any number of hours (long periods: often the general path).
TURNS = st.tuples(
    st.integers(0, 4),
    st.sampled_from([1, 2, 3, 4, 6, 8, 12, 24, 48, 7 * 24, 14 * 24]),
    st.integers(1, 72),
).map(lambda d: dt.timedelta(hours=d[2] if d[0] == 0 else d[1]))
# Times of day around the changes of offset (01:00-03:30), midnight, and any quarter hour.
TIMES = st.one_of(
    st.sampled_from(["00:00", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30", "23:30"]),
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 45])),
)
DAILY = st.builds(
    Restriction.daily,
    TIMES,
    st.one_of(
        st.sampled_from([30, 60, 90, 8 * 60, 23 * 60 + 30]),
        st.integers(1, 24 * 4 - 1).map(lambda q: q * 15),
    ).map(lambda m: dt.timedelta(minutes=m)),
)
WEEKLY = st.builds(
    Restriction.weekly,
    st.integers(1, 7),
    TIMES,
    st.one_of(
        st.sampled_from([60, 24 * 60, 54 * 60]),
        st.integers(1, 7 * 24 * 4 - 1).map(lambda q: q * 15),
    ).map(lambda m: dt.timedelta(minutes=m)),
)


CHANGE_DAYS = [
    dt.date(2024, m, d)
    for m, d in ((3, 10), (11, 3), (3, 31), (10, 27), (4, 7), (10, 6), (9, 8), (9, 29))
]


@st.composite
def periodic_schedules(
    draw: st.DrawFn, edges: bool = False
) -> tuple[Schedule, dt.datetime, dt.datetime]:
    """A schedule whose layers are in force over the whole window (with ``edges``, one in thirty
    ends or starts inside it, which the periodic path leaves to the general one), anchored at
    times around the changes of offset, with a window across them."""
    zone = draw(st.sampled_from(ZONES))
    since = dt.datetime(2024, 1, 1, tzinfo=UTC) + dt.timedelta(
        minutes=15 * draw(st.integers(0, 4 * 24 * 500))
    )
    until = since + dt.timedelta(hours=draw(st.integers(24 * 20, 24 * 800)))
    layers = []
    for i in range(draw(st.integers(1, 4))):
        # Anchor: a local time of day near the changes of offset, some day before the window or
        # the day of a change (of New York, Europe, Sydney, Santiago and Auckland in 2024).
        day = draw(
            st.one_of(
                st.integers(0, 400).map(lambda d: since.date() - dt.timedelta(days=d)),
                st.sampled_from(CHANGE_DAYS),
            )
        )
        hour, minute = draw(st.sampled_from([(0, 0), (1, 30), (2, 0), (2, 30), (3, 0), (9, 0)]))
        anchor = local(
            zone, day.year, day.month, day.day, hour, minute, fold=draw(st.integers(0, 1))
        )
        start = min(anchor, since) - dt.timedelta(hours=draw(st.integers(0, 48)))
        end = None
        # Now and then a layer that ends (inside the window or after it).
        if edges and draw(st.integers(0, 29)) == 0:
            end = since + dt.timedelta(hours=draw(st.integers(1, 24 * 500)))
        if edges and draw(st.integers(0, 29)) == 0:  # or starts inside the window
            start = since + dt.timedelta(hours=draw(st.integers(1, 24 * 10)))
        if end is not None and end <= start:
            end = None
        kind = draw(st.sampled_from(["none", "none", "daily", "weekly"]))
        limits: list[Restriction] = []
        if kind == "daily":
            limits = draw(st.lists(DAILY, min_size=1, max_size=3))
        elif kind == "weekly":
            limits = draw(st.lists(WEEKLY, min_size=1, max_size=5))
        size = draw(st.one_of(st.sampled_from([2, 3, 4]), st.integers(1, 8)))
        users = [PEOPLE[j] for j in draw(st.lists(st.integers(0, 4), min_size=size, max_size=size))]
        layers.append(
            Layer(
                f"Layer {i + 1}",
                users,
                start,
                draw(TURNS),
                rotation_virtual_start=anchor,
                restrictions=limits,
                end=end,
            )
        )
    return Schedule("Periodic", zone, layers), since, until


@given(st.booleans().flatmap(periodic_schedules))
def test_periodic_path_equals_the_general_path(
    drawn: tuple[Schedule, dt.datetime, dt.datetime],
) -> None:
    schedule, since, until = drawn
    fast, general = both(schedule, since, until)
    event("periodic" if took_periodic(schedule, since, until) else "general")
    assert_same(fast, general)


@given(periodic_schedules(), st.integers(0, 10**6), st.integers(1, 10**6))
def test_a_window_cut_from_a_periodic_render_equals_rendering_it(
    drawn: tuple[Schedule, dt.datetime, dt.datetime], a: int, b: int
) -> None:
    """``_narrowed`` (audit's cut of a wider render) reads the periodic path's entries."""
    schedule, since, until = drawn
    lo, hi = to_seconds(since), to_seconds(until)
    start = lo + (a * 60) % (hi - lo)
    stop = min(hi, start + b * 60)
    cut = R._narrowed(render(schedule, since, until), start, stop)
    general = R._render_layers(
        schedule, R.from_seconds(start), R.from_seconds(stop), (), "wall", periodic=False
    )
    assert_same(cut, general)


# --- the changes of offset, one by one --------------------------------------------------------

YEAR = (dt.datetime(2025, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 1, tzinfo=UTC))


def daily_handoffs(zone: str, at: str, users: int = 3, **layer: object) -> Schedule:
    hour, minute = (int(x) for x in at.split(":"))
    anchor = local(zone, 2024, 11, 4, hour, minute)
    return Schedule(
        "Handoffs",
        zone,
        [Layer("Daily", PEOPLE[:users], anchor, dt.timedelta(days=1), **layer)],  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Australia/Sydney"])
@pytest.mark.parametrize("at", ["01:30", "02:00", "02:30", "03:00"])
def test_daily_handoffs_at_the_changes_of_offset(zone: str, at: str) -> None:
    """Handoffs in the hour the clocks skip (they happen when the clocks jump) or repeat (at the
    first time): the periodic path maps them as the general path does."""
    schedule = daily_handoffs(zone, at)
    assert took_periodic(schedule, *YEAR)
    assert_same(*both(schedule, *YEAR))


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Pacific/Auckland"])
def test_restriction_across_the_changes_of_offset(zone: str) -> None:
    """A night restriction from 01:00 to 03:30 holds the skipped and the repeated hour."""
    schedule = daily_handoffs(
        zone, "09:00", restrictions=[Restriction.daily("01:00", dt.timedelta(minutes=150))]
    )
    assert took_periodic(schedule, *YEAR)
    fast, general = both(schedule, *YEAR)
    assert_same(fast, general)
    # The night of the spring change is an hour shorter than the others, the autumn one longer.
    lengths = {e.duration for e in fast.entries}
    assert lengths == {
        dt.timedelta(minutes=90),
        dt.timedelta(minutes=150),
        dt.timedelta(minutes=210),
    }


def test_a_piece_inside_the_skipped_hour_falls_back_to_the_general_path() -> None:
    """02:00-02:30 on the spring-forward night is no time at all: the piece vanishes, which the
    repeated period cannot show, so the general path answers."""
    schedule = daily_handoffs(
        "America/New_York",
        "09:00",
        restrictions=[Restriction.daily("02:00", dt.timedelta(minutes=30))],
    )
    assert not took_periodic(schedule, *YEAR)
    fast, general = both(schedule, *YEAR)
    assert_same(fast, general)
    spring = dt.datetime(2025, 3, 9, 12, tzinfo=UTC)
    assert not any(e.start.date() == spring.date() for e in fast.entries)


def test_a_gap_inside_the_skipped_hour_falls_back_to_the_general_path() -> None:
    """Two restriction windows, 01:30-02:15 and 02:45-03:15, apart by 30 minutes of the skipped
    hour: on the spring-forward night the gap between them vanishes and one person's pieces
    touch, so the general path answers (it joins them)."""
    schedule = daily_handoffs(
        "America/New_York",
        "09:00",
        users=1,
        restrictions=[
            Restriction.daily("01:30", dt.timedelta(minutes=45)),
            Restriction.daily("02:45", dt.timedelta(minutes=30)),
        ],
    )
    assert not took_periodic(schedule, *YEAR)
    assert_same(*both(schedule, *YEAR))


def test_turns_that_cross_the_repeat_boundary_are_one_entry() -> None:
    """The period starts where a person's run starts, so a turn is never cut where the period
    repeats: two people taking weeks in turn give whole weeks, across the window's start too."""
    zone = "Europe/London"
    anchor = local(zone, 2024, 12, 4, 10)  # a Wednesday morning: the window starts mid-turn
    schedule = Schedule(
        "Weekly", zone, [Layer("Weekly", PEOPLE[:2], anchor, dt.timedelta(weeks=1))]
    )
    assert took_periodic(schedule, *YEAR)
    fast, general = both(schedule, *YEAR)
    assert_same(fast, general)
    assert fast.entries[0].start == YEAR[0]
    week, hour = dt.timedelta(weeks=1), dt.timedelta(hours=1)
    assert {e.duration for e in fast.entries[1:-1]} == {week - hour, week, week + hour}


def test_precedence_and_gaps_over_a_period() -> None:
    """Three layers as in the benchmark: weekly around the clock, business hours, weekends."""
    zone = "America/Santiago"
    schedule = Schedule(
        "Layered",
        zone,
        [
            Layer("Weekly", PEOPLE[:3], local(zone, 2024, 10, 7, 9), dt.timedelta(weeks=1)),
            Layer(
                "Business",
                [PEOPLE[3], PEOPLE[4], PEOPLE[3], PEOPLE[0]],
                local(zone, 2024, 10, 7, 0),
                dt.timedelta(days=1),
                restrictions=[Restriction.daily("08:30", dt.timedelta(hours=9))],
            ),
            Layer(
                "Weekend",
                PEOPLE[1:3],
                local(zone, 2024, 10, 11, 18),
                dt.timedelta(weeks=1),
                restrictions=[Restriction.weekly(5, "18:00", dt.timedelta(hours=54))],
            ),
        ],
    )
    assert took_periodic(schedule, *YEAR)
    assert_same(*both(schedule, *YEAR))


def test_the_periodic_path_stands_aside_where_it_does_not_apply() -> None:
    """Overrides, "elapsed" mode, a layer that ends inside the window, a window shorter than two
    periods, one person around the clock: the general path, with the same result."""
    schedule = daily_handoffs("America/New_York", "09:00")
    since, until = YEAR
    assert took_periodic(schedule, since, until)
    override = Override(
        dt.datetime(2025, 3, 1, tzinfo=UTC), dt.datetime(2025, 3, 2, tzinfo=UTC), PEOPLE[4]
    )
    assert_same(*both(schedule, since, until, (override,)))
    assert_same(*both(schedule, since, until, mode="elapsed"))
    final = render(schedule, since, until, mode="elapsed")
    assert periodic_final(final) is None
    ends = daily_handoffs("America/New_York", "09:00", end=dt.datetime(2025, 6, 1, tzinfo=UTC))
    assert not took_periodic(ends, since, until)
    assert_same(*both(ends, since, until))
    short = since + dt.timedelta(days=5)  # three days' turns: a period of three days
    assert not took_periodic(schedule, since, short)
    alone = daily_handoffs("America/New_York", "09:00", users=1)
    assert not took_periodic(alone, since, until)
    assert_same(*both(alone, since, until))


def test_rendering_leaves_the_garbage_collector_as_it_found_it() -> None:
    """A render pauses the cyclic collector while it builds (no cycles, many objects) and
    restores it: on if it was on, off if the caller had turned it off."""
    schedule = daily_handoffs("America/New_York", "09:00")
    assert gc.isenabled()
    render(schedule, *YEAR)
    assert gc.isenabled()
    gc.disable()
    try:
        render(schedule, *YEAR)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("zone", ZONES)
def test_skipped_local_times_are_where_from_local_stands_still(zone: str) -> None:
    """``ZoneClock.skipped`` finds every spring-forward gap of 2023-2026: ``from_local`` is one
    instant on each (end included) and strictly increasing between them, checked minute by
    minute around every change of offset."""
    zclock = clock(zone)
    lo = to_seconds(dt.datetime(2023, 1, 1, tzinfo=UTC))
    hi = to_seconds(dt.datetime(2026, 12, 1, tzinfo=UTC))
    gaps = zclock.skipped(lo, hi)
    changes = [t for t in range(lo, hi, 3600) if zclock.offset(t) != zclock.offset(t + 3600)]
    forward = [t for t in changes if zclock.offset(t + 3600) > zclock.offset(t)]
    assert len(gaps) == len(forward)
    for t in changes:
        local0 = zclock.to_local(t) - 3 * 3600
        values = [zclock.from_local(local0 + 60 * m) for m in range(6 * 60)]
        for m, (x, y) in enumerate(itertools.pairwise(values)):
            a = local0 + 60 * m
            inside = any(g0 <= a and a + 60 <= g1 for g0, g1 in gaps)
            assert (x == y) == inside
    for a, b in gaps:
        assert zclock.from_local(a) == zclock.from_local(b) == zclock.from_local((a + b) // 2)
        assert zclock.from_local(a - 1) < zclock.from_local(a) < zclock.from_local(b + 1)


@given(
    st.sampled_from(ZONES[:8]),
    st.lists(
        st.tuples(st.integers(3, 14), st.integers(1, 6)), min_size=1, max_size=3
    ),  # restrictions: start in quarter hours from 00:45 to 03:30, 15 to 90 minutes long
    st.lists(st.integers(0, 2), min_size=1, max_size=3),
    st.sampled_from([1, 24, 7 * 24]),
)
def test_short_windows_around_the_changes_of_offset(
    zone: str, limits: list[tuple[int, int]], roster: list[int], hours: int
) -> None:
    """Restriction windows of a quarter hour to an hour and a half near 02:00 over a whole year,
    so both changes of offset are in every example: pieces and gaps that vanish in the skipped
    hour (the general path answers) and ones that stretch in the repeated hour."""
    restrictions = [
        Restriction.daily(f"{q // 4:02d}:{q % 4 * 15:02d}", dt.timedelta(minutes=15 * d))
        for q, d in limits
    ]
    anchor = local(zone, 2024, 11, 4, 2, 30)
    schedule = Schedule(
        "Nights",
        zone,
        [
            Layer("Nights", [PEOPLE[i] for i in roster], anchor, dt.timedelta(hours=hours)),
            Layer(
                "Short",
                [PEOPLE[3], PEOPLE[4]],
                anchor,
                dt.timedelta(days=1),
                restrictions=restrictions,
            ),
        ],
    )
    event("periodic" if took_periodic(schedule, *YEAR) else "general")
    assert_same(*both(schedule, *YEAR))
