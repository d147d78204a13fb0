"""render() and on_call_at() against an independent oracle, minute by minute, on hard cases.

The oracle implements the rules of docs/semantics.md from scratch, with nothing but ``zoneinfo``
and datetimes: who is on call is decided for each minute on its own, and the minutes are joined
into entries afterwards. It knows nothing of the renderer's tables, batches or interval algebra, so
agreement on daylight-saving nights, skipped days and odd turn lengths is real evidence.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall_planner import Layer, Override, Restriction, Schedule, User, on_call_at, render

UTC = dt.timezone.utc
MINUTE = dt.timedelta(minutes=1)
ANN, BEN, CAT, DAN = (User(n, f"{n.lower()}@example.com") for n in ("Ann", "Ben", "Cat", "Dan"))


# --- the oracle ------------------------------------------------------------------------------


def _wall(instant: dt.datetime, zone: str) -> dt.datetime:
    """The naive local wall-clock time of an instant."""
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


@functools.cache
def _instant(wall: dt.datetime, zone: str) -> dt.datetime:
    """The first instant whose wall clock reads ``wall`` or later: the first occurrence of a
    repeated time, the moment the clocks jump for a skipped one."""
    tz = ZoneInfo(zone)
    guess = min(wall.replace(tzinfo=tz, fold=f).astimezone(UTC) for f in (0, 1))
    t = guess - dt.timedelta(hours=3)
    while _wall(t, zone) < wall:
        t += MINUTE
    return t


def _boundary(layer: Layer, k: int, zone: str, mode: str) -> dt.datetime:
    if mode == "elapsed":
        return layer.rotation_virtual_start.astimezone(UTC) + k * layer.turn_length
    return _instant(_wall(layer.rotation_virtual_start, zone) + k * layer.turn_length, zone)


def _turn(layer: Layer, t: dt.datetime, zone: str, mode: str) -> int:
    start = layer.rotation_virtual_start
    if mode == "elapsed":
        k = (t - start.astimezone(UTC)) // layer.turn_length
    else:
        k = (_wall(t, zone) - _wall(start, zone)) // layer.turn_length
    while _boundary(layer, k, zone, mode) > t:
        k -= 1
    while _boundary(layer, k + 1, zone, mode) <= t:
        k += 1
    return k


def _in_window(layer: Layer, t: dt.datetime, zone: str) -> bool:
    if not layer.restrictions:
        return True
    today = _wall(t, zone).date()
    for r in layer.restrictions:
        for back in range(-1, 9):
            day = today - dt.timedelta(days=back)
            if r.kind == "weekly" and day.isoweekday() != r.start_day_of_week:
                continue
            opens = dt.datetime.combine(day, r.start_time_of_day)
            if _instant(opens, zone) <= t < _instant(opens + r.duration, zone):
                return True
    return False


def _layer_user(layer: Layer, t: dt.datetime, zone: str, mode: str) -> User | None:
    if t < layer.start or (layer.end is not None and t >= layer.end):
        return None
    if not _in_window(layer, t, zone):
        return None
    return layer.users[_turn(layer, t, zone, mode) % len(layer.users)]


def oracle_who(
    schedule: Schedule, t: dt.datetime, overrides: list[Override], mode: str
) -> User | None:
    for override in reversed(overrides):
        if override.start <= t < override.end:
            return override.user
    for layer in reversed(schedule.layers):
        user = _layer_user(layer, t, schedule.time_zone, mode)
        if user is not None:
            return user
    return None


def oracle_entries(
    schedule: Schedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides: list[Override],
    mode: str,
) -> list[tuple[dt.datetime, dt.datetime, User]]:
    out: list[list] = []
    t = since.astimezone(UTC)
    while t < until:
        user = oracle_who(schedule, t, overrides, mode)
        if user is not None:
            if out and out[-1][1] == t and out[-1][2] == user:
                out[-1][1] = t + MINUTE
            else:
                out.append([t, t + MINUTE, user])
        t += MINUTE
    return [(s, e, u) for s, e, u in out]


def assert_agree(
    schedule: Schedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides: list[Override] | None = None,
    mode: str = "wall",
) -> None:
    overrides = overrides or []
    expected = oracle_entries(schedule, since, until, overrides, mode)
    final = render(schedule, since, until, overrides, mode=mode)  # type: ignore[arg-type]
    assert [(e.start, e.end, e.user) for e in final.entries] == expected
    for start, end, user in expected:  # at every handoff, and just before each ends
        assert on_call_at(schedule, start, overrides, mode=mode) == user  # type: ignore[arg-type]
        last = end - MINUTE
        assert on_call_at(schedule, last, overrides, mode=mode) == user  # type: ignore[arg-type]


# --- hard cases --------------------------------------------------------------------------------


def at(zone: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


NY = "America/New_York"


@pytest.mark.parametrize("mode", ["wall", "elapsed"])
@pytest.mark.parametrize("hours", [1, 5, 25, 36])
@pytest.mark.parametrize(("month", "day"), [(3, 9), (11, 2)])
def test_turns_that_do_not_divide_a_day_across_new_york_changes(
    mode: str, hours: int, month: int, day: int
) -> None:
    layer = Layer("L", [ANN, BEN, CAT], at(NY, 2025, month, 1, 1, 30), dt.timedelta(hours=hours))
    schedule = Schedule("S", NY, [layer])
    assert_agree(
        schedule, at(NY, 2025, month, day - 1, 12), at(NY, 2025, month, day + 1, 0), mode=mode
    )


def test_36_hour_turns_in_adelaide_across_the_april_change() -> None:
    zone = "Australia/Adelaide"  # +10:30 to +09:30 on 6 April 2025, a half-hour zone
    layer = Layer("L", [ANN, BEN], at(zone, 2025, 3, 20, 2, 30), dt.timedelta(hours=36))
    assert_agree(Schedule("S", zone, [layer]), at(zone, 2025, 4, 4), at(zone, 2025, 4, 8))


def test_daily_turns_across_the_day_samoa_skipped() -> None:
    zone = "Pacific/Apia"  # 30 December 2011 never happened in Samoa
    layer = Layer("L", [ANN, BEN, CAT], at(zone, 2011, 12, 1, 9), dt.timedelta(days=1))
    assert_agree(Schedule("S", zone, [layer]), at(zone, 2011, 12, 28), at(zone, 2012, 1, 1))


def test_restriction_windows_opening_in_the_gap_and_spanning_the_fold() -> None:
    gap = Layer(
        "Gap",
        [ANN, BEN],
        at(NY, 2025, 3, 1),
        dt.timedelta(hours=5),
        restrictions=[Restriction.daily("02:30", dt.timedelta(hours=2))],
    )
    fold = Layer(
        "Fold",
        [CAT, DAN],
        at(NY, 2025, 10, 1),
        dt.timedelta(hours=7),
        restrictions=[Restriction.daily("00:30", dt.timedelta(hours=2))],
    )
    schedule = Schedule("S", NY, [gap, fold])
    assert_agree(schedule, at(NY, 2025, 3, 8, 20), at(NY, 2025, 3, 10, 6))
    assert_agree(schedule, at(NY, 2025, 11, 1, 20), at(NY, 2025, 11, 3, 6))


def test_weekly_window_a_minute_short_of_a_week_across_sydney_spring_forward() -> None:
    zone = "Australia/Sydney"  # 02:00 becomes 03:00 on Sunday 5 October 2025
    layer = Layer(
        "L",
        [ANN, BEN, CAT],
        at(zone, 2025, 9, 1, 2, 30),
        dt.timedelta(hours=25),
        restrictions=[Restriction.weekly(7, "02:30", dt.timedelta(days=7) - MINUTE)],
    )
    assert_agree(Schedule("S", zone, [layer]), at(zone, 2025, 10, 4, 12), at(zone, 2025, 10, 6))


@pytest.mark.parametrize("years", [-5, 3])
def test_rotation_virtual_start_years_away_from_start(years: int) -> None:
    zone = "Asia/Kathmandu"  # +05:45
    start = at(zone, 2025, 6, 2, 9)
    layer = Layer(
        "L",
        [ANN, BEN, CAT],
        start,
        dt.timedelta(hours=7),
        rotation_virtual_start=start.replace(year=2025 + years, minute=15),
    )
    assert_agree(Schedule("S", zone, [layer]), start, start + dt.timedelta(days=2))


def test_layer_ending_inside_the_window_under_overrides() -> None:
    zone = "Etc/GMT+12"
    base = Layer("Base", [ANN, BEN], at(zone, 2025, 1, 1), dt.timedelta(hours=13))
    top = Layer(
        "Top",
        [CAT],
        at(zone, 2025, 1, 1),
        dt.timedelta(days=1),
        end=at(zone, 2025, 1, 2, 10, 30),
    )
    overrides = [
        Override(at(zone, 2025, 1, 2, 9), at(zone, 2025, 1, 2, 11), DAN),
        Override(at(zone, 2025, 1, 2, 10), at(zone, 2025, 1, 2, 10, 20), BEN),
    ]
    schedule = Schedule("S", zone, [base, top])
    assert_agree(schedule, at(zone, 2025, 1, 2), at(zone, 2025, 1, 3, 12), overrides)


def test_far_future_daylight_saving() -> None:
    zone = "Europe/London"  # 27 March and 30 October 2101, from the zone's rule
    layer = Layer(
        "L",
        [ANN, BEN, CAT],
        at(zone, 2025, 1, 6, 1, 30),
        dt.timedelta(hours=5),
        restrictions=[Restriction.daily("00:45", dt.timedelta(hours=3))],
    )
    schedule = Schedule("S", zone, [layer])
    assert_agree(schedule, at(zone, 2101, 3, 26, 20), at(zone, 2101, 3, 28))
    assert_agree(schedule, at(zone, 2101, 10, 29, 20), at(zone, 2101, 10, 31))


# --- random cases --------------------------------------------------------------------------------

ZONES = [NY, "Australia/Adelaide", "Pacific/Apia", "Asia/Kathmandu", "Europe/London"]
CHANGES = [  # a day with a clock change in (or near) each zone above
    dt.datetime(2025, 3, 9, tzinfo=UTC),
    dt.datetime(2025, 11, 2, tzinfo=UTC),
    dt.datetime(2025, 4, 6, tzinfo=UTC),
    dt.datetime(2025, 10, 26, tzinfo=UTC),
    dt.datetime(2011, 12, 29, tzinfo=UTC),
]


@st.composite
def cases(draw: st.DrawFn) -> tuple[Schedule, dt.datetime, dt.datetime, list[Override], str]:
    zone = draw(st.sampled_from(ZONES))
    anchor = draw(st.sampled_from(CHANGES))

    def near(hours: int) -> dt.datetime:
        return anchor + draw(st.integers(-hours * 60, hours * 60)) * MINUTE

    layers = []
    for i in range(draw(st.integers(1, 2))):
        start = near(48)
        restrictions: list[Restriction] = []
        kind = draw(st.sampled_from(["none", "daily", "weekly"]))
        if kind == "daily":
            restrictions = [
                Restriction.daily(
                    dt.time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 30]))),
                    draw(st.integers(1, 1439)) * MINUTE,
                )
            ]
        elif kind == "weekly":
            restrictions = [
                Restriction.weekly(
                    draw(st.integers(1, 7)),
                    dt.time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 30]))),
                    draw(st.integers(1, 7 * 1440 - 1)) * MINUTE,
                )
            ]
        virtual_start = near(24 * 900) if draw(st.booleans()) else start
        end = start + draw(st.integers(1, 4000)) * MINUTE if draw(st.booleans()) else None
        layers.append(
            Layer(
                f"L{i}",
                draw(st.lists(st.sampled_from([ANN, BEN, CAT]), min_size=1, max_size=3)),
                start,
                draw(st.integers(60, 3000)) * MINUTE,
                rotation_virtual_start=virtual_start,
                restrictions=restrictions,
                end=end,
            )
        )
    overrides = []
    for _ in range(draw(st.integers(0, 2))):
        begin = near(30)
        overrides.append(Override(begin, begin + draw(st.integers(1, 600)) * MINUTE, DAN))
    since = near(24)
    until = since + draw(st.integers(1, 30 * 60)) * MINUTE
    mode = draw(st.sampled_from(["wall", "wall", "elapsed"]))
    return Schedule("S", zone, layers), since, until, overrides, mode


@settings(max_examples=25, deadline=None)
@given(cases())
def test_render_and_on_call_at_agree_with_the_oracle(
    case: tuple[Schedule, dt.datetime, dt.datetime, list[Override], str],
) -> None:
    assert_agree(*case)
