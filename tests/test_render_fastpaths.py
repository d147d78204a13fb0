"""The renderer's fast paths give the same answers as the plain ones they stand in for.

benchmarks/render_bench.py measures why they exist: converting sorted batches of local times,
growing zone tables year by year, building the final schedule in one pass.
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall_planner import Layer, Override, Restriction, Schedule, User, render, timeutil
from oncall_planner.model._recurrence import parse_recurrence
from oncall_planner.timeutil import ZoneClock, from_seconds, to_seconds

# The package's ``render`` is the function; the module is reached by its full name.
render_module = importlib.import_module("oncall_planner.render")

UTC = dt.timezone.utc
ZONES = ["America/New_York", "Australia/Sydney", "Pacific/Chatham", "Australia/Adelaide", "Etc/UTC"]


def _locals_around_transitions(zclock: ZoneClock, rng: random.Random) -> list[int]:
    lo = to_seconds(dt.datetime(2024, 1, 1, tzinfo=UTC))
    hi = to_seconds(dt.datetime(2026, 12, 31, tzinfo=UTC))
    values = [rng.randrange(lo, hi) for _ in range(200)]
    zclock.from_local(lo)
    zclock.from_local(hi)
    for start, offset in zip(zclock._starts, zclock._offsets, strict=True):
        for delta in (-3601, -3600, -1800, -60, -1, 0, 1, 60, 1800, 3599, 3600, 3601):
            if lo <= start + offset + delta <= hi:
                values.append(start + offset + delta)
    return sorted(values)


@pytest.mark.parametrize("name", ZONES)
def test_from_local_sorted_agrees_with_from_local(name: str) -> None:
    zclock = ZoneClock(name)
    values = _locals_around_transitions(zclock, random.Random(name))
    assert zclock.from_local_sorted(values) == [zclock.from_local(v) for v in values]


@pytest.mark.parametrize("name", ["America/New_York", "Australia/Sydney"])
def test_zone_table_grown_year_by_year_equals_one_built_at_once(name: str) -> None:
    grown, fresh = ZoneClock(name), ZoneClock(name)
    years = [2030, 2010, 2031, 1995, 2000]
    for year in years:  # out of order: separate tables, some joined
        grown.offset(to_seconds(dt.datetime(year, 6, 1, tzinfo=UTC)))
    # A batch over all of them joins the tables, sampling the years between.
    lo, hi = (to_seconds(dt.datetime(y, 6, 1, tzinfo=UTC)) for y in (1995, 2031))
    grown.from_local_sorted([lo, hi])
    (table,) = [t for t in grown._tables if t.first <= 1995 and t.last >= 2031]
    starts, offsets = fresh._scan_years(table.first, table.last)
    assert table.starts == starts
    assert table.offsets == offsets


def test_from_seconds_without_the_fast_path_gives_the_same_instant(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = from_seconds(1_741_503_600)

    def refuse(*args: object) -> dt.datetime:
        raise OverflowError("outside time_t")

    monkeypatch.setattr(timeutil, "_fromtimestamp", refuse)
    assert from_seconds(1_741_503_600) == expected == dt.datetime(2025, 3, 9, 7, tzinfo=UTC)


def _schedule() -> tuple[Schedule, list[Override]]:
    ann, ben, cat = (User(n, f"{n.lower()}@example.com") for n in ("Ann", "Ben", "Cat"))
    ny = "America/New_York"
    start = dt.datetime(2025, 3, 3, 14, tzinfo=UTC)
    weekly = Layer("Weekly", [ann, ben], start=start, turn_length=dt.timedelta(weeks=1))
    days = Layer(
        "Days",
        [ben, cat, ann],
        start=start,
        turn_length=dt.timedelta(days=1),
        restrictions=[Restriction.weekly(d, "09:00", dt.timedelta(hours=8)) for d in (1, 3, 5)],
    )
    overrides = [
        Override(dt.datetime(2025, 3, 8, tzinfo=UTC), dt.datetime(2025, 3, 8, 6, tzinfo=UTC), cat)
    ]
    return Schedule("Mixed", ny, [weekly, days]), overrides


def test_final_schedule_without_the_fast_path_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    schedule, overrides = _schedule()
    since, until = dt.datetime(2025, 3, 2, tzinfo=UTC), dt.datetime(2025, 3, 20, tzinfo=UTC)
    fast = render(schedule, since, until, overrides)

    def refuse(*args: object) -> dt.datetime:
        raise OverflowError("outside time_t")

    monkeypatch.setattr(render_module, "_fromtimestamp", refuse)
    monkeypatch.setattr(render_module, "_INSTANTS", {})  # nothing made before: all made again
    slow = render(schedule, since, until, overrides)
    assert (slow.entries, slow.gaps, slow.coverage) == (fast.entries, fast.gaps, fast.coverage)
    assert fast.gaps  # the window starts before the layers: the comparison covers gaps too


def test_renders_share_one_datetime_per_instant() -> None:
    schedule, overrides = _schedule()
    since, until = dt.datetime(2025, 3, 2, tzinfo=UTC), dt.datetime(2025, 3, 20, tzinfo=UTC)
    first = render(schedule, since, until, overrides)
    again = render(schedule, since, until)
    by_instant = {e.start: e.start for e in first.entries} | {e.end: e.end for e in first.entries}
    for entry in [*again.entries, *(e for layer in again.layers for e in layer)]:
        assert by_instant.get(entry.start, entry.start) is entry.start
        assert by_instant.get(entry.end, entry.end) is entry.end
    assert any(e.start in by_instant for e in again.entries)


def test_the_table_of_instants_stays_within_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    schedule, overrides = _schedule()
    since, until = dt.datetime(2025, 3, 2, tzinfo=UTC), dt.datetime(2025, 3, 20, tzinfo=UTC)
    expected = render(schedule, since, until, overrides)
    table: dict[int, dt.datetime] = {}
    monkeypatch.setattr(render_module, "_INSTANTS", table)
    monkeypatch.setattr(render_module, "_INSTANTS_MAX", 8)
    for end in (dt.datetime(2025, 3, 3, 12, tzinfo=UTC), until, until):
        final = render(schedule, since, end, overrides)
        final.layers  # noqa: B018 - made from the table too
        assert len(table) <= 8
    assert (final.entries, final.gaps, final.layers) == (
        expected.entries,
        expected.gaps,
        expected.layers,
    )
    assert len(final.entries) > 8  # more instants than the table holds


def test_per_layer_views_are_built_once_and_kept() -> None:
    schedule, overrides = _schedule()
    since, until = dt.datetime(2025, 3, 2, tzinfo=UTC), dt.datetime(2025, 3, 20, tzinfo=UTC)
    final = render(schedule, since, until, overrides)
    assert final.layers is final.layers
    assert final.visible is final.visible
    assert final.overrides is final.overrides


def test_visible_parts_and_overrides_make_up_the_final_schedule() -> None:
    schedule, overrides = _schedule()
    since, until = dt.datetime(2025, 3, 2, tzinfo=UTC), dt.datetime(2025, 3, 20, tzinfo=UTC)
    final = render(schedule, since, until, overrides)
    shown = sorted(
        [(e.start, e.end, e.user.name) for part in final.visible for e in part]
        + [(e.start, e.end, e.user.name) for e in final.overrides]
    )
    joined: list[tuple[dt.datetime, dt.datetime, str]] = []
    for start, end, name in shown:
        if joined and joined[-1][1] == start and joined[-1][2] == name:
            joined[-1] = (joined[-1][0], end, name)
        else:
            joined.append((start, end, name))
    assert joined == [(e.start, e.end, e.user.name) for e in final.entries]


# --- shift-based schedules: periodic rules computed instead of counted -------------------------

render_shift = importlib.import_module("oncall_planner.render_shift")
_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@st.composite
def _periodic_rules(draw: st.DrawFn) -> tuple[str, int]:
    """A rule of the kinds ``_periodic`` computes, and a DTSTART (local seconds)."""
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "HOURLY"]))
    parts = [f"FREQ={freq}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 5))}")
    if freq == "WEEKLY":
        days = draw(st.lists(st.sampled_from(_DAYS), unique=True, max_size=7))
        if days:
            parts.append("BYDAY=" + ",".join(days))
        if draw(st.booleans()):
            parts.append(f"WKST={draw(st.sampled_from(_DAYS))}")
    start = to_seconds(dt.datetime(2025, 1, 1, tzinfo=UTC)) + 60 * draw(
        st.integers(-400 * 1440, 400 * 1440)
    )
    end = draw(st.sampled_from(["none", "count", "until", "until-utc", "until-date"]))
    if end == "count":
        parts.append(f"COUNT={draw(st.integers(1, 40))}")
    elif end != "none":
        until = from_seconds(start + 60 * draw(st.integers(-2000, 90 * 1440)))
        text = until.strftime("%Y%m%d" if end == "until-date" else "%Y%m%dT%H%M%S")
        parts.append("UNTIL=" + text + ("Z" if end == "until-utc" else ""))
    return ";".join(parts), start


@given(_periodic_rules(), st.sampled_from(["rfc5545", "dateutil"]), st.sampled_from(ZONES))
@settings(max_examples=300, deadline=None)
def test_periodic_rules_computed_equal_what_dateutil_counts(
    rule_and_start: tuple[str, int], unsynced: str, zone_name: str
) -> None:
    rule, start = rule_and_start
    parsed = parse_recurrence((f"RRULE:{rule}",), "test")
    zclock = timeutil.clock(zone_name)
    computed = render_shift._periodic(parsed, start, zclock, unsynced)
    assert computed is not None
    counted = render_shift._Expansion(parsed, start, zone_name, zclock, unsynced, "not_counted")
    hi = start + 120 * 86400
    for step in (start + 86400, start + 30 * 86400, hi):  # grown in steps, as renders do
        computed.grow(step)
        counted.grow(step)
    n = bisect.bisect_left(counted.starts, hi)
    assert computed.starts[:n] == counted.starts[:n]
    assert computed.index[:n] == counted.index[:n]
    assert bisect.bisect_left(computed.starts, hi) == n
    assert computed.done == counted.done or not counted.done or len(computed.starts) > n


@pytest.mark.parametrize(
    "lines",
    [
        ("RRULE:FREQ=MONTHLY",),
        ("RRULE:FREQ=WEEKLY;BYDAY=1MO",),
        ("RRULE:FREQ=DAILY;BYHOUR=9,17",),
        ("RRULE:FREQ=DAILY", "EXDATE:20250105T090000Z"),
        ("RRULE:FREQ=DAILY;BYDAY=MO",),
    ],
)
def test_other_rules_are_counted_by_dateutil(lines: tuple[str, ...]) -> None:
    parsed = parse_recurrence(lines, "test")
    assert render_shift._periodic(parsed, 0, timeutil.clock("Etc/UTC"), "rfc5545") is None
