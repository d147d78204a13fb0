"""Invariants of render() on random shift-based schedules (hypothesis)."""

from __future__ import annotations

import collections
import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import (
    Entry,
    FinalSchedule,
    ShiftRenderOptions,
    ShiftSchedule,
    Vacancy,
    people_on_call_at,
    render,
)
from oncall_planner import strategies as st_oc

UTC = dt.timezone.utc
IGNORE = ShiftRenderOptions(unmatched_overrides="ignore")


@st.composite
def cases(
    draw: st.DrawFn, tidy: bool = False, with_overrides: bool = True
) -> tuple[ShiftSchedule, list[object], dt.datetime, dt.datetime]:
    zones = st_oc.STEADY_ZONES if tidy else None
    schedule = draw(st_oc.shift_schedules(tidy=tidy, zones=zones))
    overrides = (
        draw(st.lists(st_oc.shift_overrides(schedule), max_size=3)) if with_overrides else []
    )
    event = draw(st.sampled_from([e for r in schedule.rotations for e in r.events]))
    since = draw(
        st_oc.instants(max(event.start_time, event.effective_since) - dt.timedelta(days=2), 10)
    )
    until = since + dt.timedelta(hours=draw(st.integers(1, 30 * 24)))
    return schedule, overrides, since, until


def options() -> st.SearchStrategy[ShiftRenderOptions]:
    return st.builds(
        ShiftRenderOptions,
        expand_in=st.sampled_from(["event_zone", "utc"]),
        duration=st.sampled_from(["exact", "wallclock"]),
        unsynced_start=st.sampled_from(["rfc5545", "dateutil"]),
        member_anchor=st.sampled_from(["start_time", "effective_since", "rotation"]),
        excluded_dates=st.sampled_from(["not_counted", "counted"]),
        effective_bounds=st.sampled_from(["clip", "by_start", "drop"]),
        merge_adjacent=st.booleans(),
        empty_covers=st.booleans(),
        unmatched_overrides=st.just("ignore"),
    )


def rows(items: tuple[Entry, ...] | tuple[Vacancy, ...]) -> list[tuple[object, ...]]:
    return [(i.start, i.end, getattr(i, "user", None), i.source) for i in items]


@given(cases(), options())
def test_entries_are_sorted_and_inside_the_window(case: tuple, opts: ShiftRenderOptions) -> None:
    schedule, overrides, since, until = case
    final = render(schedule, since, until, overrides, options=opts)
    starts = [e.start for e in final.entries]
    assert starts == sorted(starts)
    for item in (*final.entries, *final.vacancies):
        assert since <= item.start < item.end <= until
        assert item.source is not None


@given(cases(), options())
def test_gaps_and_coverage_agree(case: tuple, opts: ShiftRenderOptions) -> None:
    schedule, overrides, since, until = case
    final = render(schedule, since, until, overrides, options=opts)
    window = until - since
    gap_time = sum((g.end - g.start for g in final.gaps), dt.timedelta())
    assert abs(final.coverage - (1 - gap_time / window)) < 1e-9
    covering = [*final.entries, *(final.vacancies if opts.empty_covers else ())]
    for gap in final.gaps:
        assert not any(e.start < gap.end and gap.start < e.end for e in covering)


@given(cases(tidy=True, with_overrides=False))
def test_a_tidy_rotation_never_overlaps_itself(case: tuple) -> None:
    """With occurrences no longer than the time between them, effective ranges that follow one
    another and no daylight saving, a rotation's shifts never overlap: its entries and vacancies
    are the same few intervals (one per occurrence, shared by every member of an every-member
    event) one after the other."""
    schedule, _, since, until = case
    final = render(schedule, since, until)
    for ri in range(len(schedule.rotations)):
        spans = sorted(
            {
                (i.start, i.end)
                for i in (*final.entries, *final.vacancies)
                if i.source.rotation == ri
            }
        )
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start


@given(cases(), st.data())
def test_people_on_call_at_agrees_with_render(case: tuple, data: st.DataObject) -> None:
    schedule, overrides, since, until = case
    final = render(schedule, since, until, overrides, options=IGNORE)
    instants = [e.start for e in final.entries] + [
        e.end - dt.timedelta(minutes=1) for e in final.entries
    ]
    instants.append(data.draw(st_oc.instants(since, max(1, (until - since).days))))
    for at in instants:
        if not since <= at < until:
            continue
        expected = {e.user for e in final.entries if e.start <= at < e.end}
        direct = people_on_call_at(schedule, at, overrides, options=IGNORE)
        assert set(direct) == expected and len(direct) == len(expected)
        assert final.people_on_call_at(at) == direct


def cut(final: FinalSchedule, at: dt.datetime) -> collections.Counter:
    """Entries and vacancies, those across ``at`` split in two."""
    out: collections.Counter = collections.Counter()
    for row in rows(final.entries) + rows(final.vacancies):
        start, end, *rest = row
        if start < at < end:
            out[(start, at, *rest)] += 1
            out[(at, end, *rest)] += 1
        else:
            out[row] += 1
    return out


@given(cases(), st.data())
def test_rendering_in_two_parts_equals_rendering_at_once(case: tuple, data: st.DataObject) -> None:
    schedule, overrides, since, until = case
    minutes = int((until - since) / dt.timedelta(minutes=1))
    middle = since + dt.timedelta(minutes=data.draw(st.integers(1, max(1, minutes - 1))))
    if middle >= until:
        return
    whole = render(schedule, since, until, overrides, options=IGNORE)
    first = render(schedule, since, middle, overrides, options=IGNORE)
    second = render(schedule, middle, until, overrides, options=IGNORE)
    assert cut(whole, middle) == cut(first, middle) + cut(second, middle)
    covered = first.coverage * (middle - since) + second.coverage * (until - middle)
    assert abs(whole.coverage * (until - since) - covered) < dt.timedelta(seconds=1)


@given(cases())
def test_an_override_replaces_time_and_never_adds_or_removes_any(case: tuple) -> None:
    schedule, overrides, since, until = case
    plain = render(schedule, since, until, options=IGNORE)
    changed = render(schedule, since, until, overrides, options=IGNORE)

    def time_of(final: FinalSchedule) -> dt.timedelta:
        return sum((i.end - i.start for i in (*final.entries, *final.vacancies)), dt.timedelta())

    assert time_of(plain) == time_of(changed)
