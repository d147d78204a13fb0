"""Follow the sun: regions on call in their own daytime, one layer per region, 24/7 together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import Layer, Restriction, Schedule, User
from oncall_planner.model._checks import items_of, name_validator, to_tuple
from oncall_planner.planning._anchor import wall_anchor
from oncall_planner.render import Mode, render
from oncall_planner.textutil import printable
from oncall_planner.timeutil import (
    DAY,
    MINUTE,
    check_instant,
    check_time_zone,
    clock,
    from_seconds,
    parse_time_of_day,
    to_seconds,
)

WEEK = dt.timedelta(weeks=1)
YEAR = dt.timedelta(days=365)
_DAY_MIN = DAY // MINUTE


def _check_zone(instance: Any, attribute: Any, value: Any) -> None:
    check_time_zone(value, f"Region {instance.name!r}")


def _check_whole_minutes(instance: Any, attribute: Any, value: dt.time) -> None:
    if value.second or value.microsecond:
        raise ValidationError(
            f"Region {instance.name!r}: {attribute.name} must be in whole minutes, "
            f"got {value.isoformat()}"
        )


def _time_of_day(value: object, field: str) -> dt.time:
    try:
        return parse_time_of_day(value)
    except ValidationError:
        raise ValidationError(
            f"Region: {field} must be a datetime.time or 'HH:MM', got {value!r}"
        ) from None


def _start_time(value: object) -> dt.time:
    return _time_of_day(value, "start_time")


def _end_time(value: object) -> dt.time:
    return _time_of_day(value, "end_time")


@attrs.frozen
class Region:
    """A group of people who share a time zone and working hours.

    ``start_time`` and ``end_time`` are local wall-clock times in ``time_zone``; an ``end_time``
    at or before ``start_time`` runs past midnight (``"22:00"`` to ``"06:00"``), and equal times
    mean the whole day.
    """

    name: str = attrs.field(validator=name_validator(100))
    members: tuple[User, ...] = attrs.field(
        converter=to_tuple, validator=items_of(User, min_items=1)
    )
    time_zone: str = attrs.field(validator=_check_zone)
    start_time: dt.time = attrs.field(converter=_start_time, validator=_check_whole_minutes)
    end_time: dt.time = attrs.field(converter=_end_time, validator=_check_whole_minutes)

    @property
    def hours(self) -> dt.timedelta:
        """The length of the region's working day."""
        minutes = _minutes(self.end_time) - _minutes(self.start_time)
        return dt.timedelta(minutes=minutes % _DAY_MIN or _DAY_MIN)

    def working_hours(self, since: dt.datetime, until: dt.datetime) -> list[tuple[int, int]]:
        """The region's working hours that meet ``[since, until)``, as POSIX-second spans."""
        zclock = clock(self.time_zone)
        lo, hi = to_seconds(since), to_seconds(until)
        length = int(self.hours.total_seconds())
        start_of_day = _minutes(self.start_time) * MINUTE
        out: list[tuple[int, int]] = []
        day = zclock.to_local(lo) // DAY - 1
        while True:
            local = day * DAY + start_of_day
            a, b = zclock.from_local(local), zclock.from_local(local + length)
            if a >= hi:
                break
            if b > lo and a < b:
                out.append((max(a, lo), min(b, hi)))
            day += 1
        return out


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


@attrs.frozen
class FollowTheSun:
    """What :func:`follow_the_sun` returns: the schedule and what rendering it showed.

    ``hours`` is each region's on-call time over the checked horizon; ``outside_hours`` the part
    of it outside the region's own working hours (non-zero when daylight-saving changes move a
    region's hours against the schedule's time zone by more than its overlap with a neighbour).
    """

    schedule: Schedule
    regions: tuple[Region, ...]
    since: dt.datetime
    until: dt.datetime
    hours: dict[str, dt.timedelta]
    outside_hours: dict[str, dt.timedelta]

    def to_text(self) -> str:
        lines = [f"Schedule {self.schedule.name!r} ({self.schedule.time_zone}):"]
        for region, layer in zip(self.regions, self.schedule.layers, strict=True):
            window = ", ".join(str(r) for r in layer.restrictions) or "all day"
            total = self.hours[region.name].total_seconds() / 3600
            outside = self.outside_hours[region.name].total_seconds() / 3600
            lines.append(
                f"  {region.name:<12} {window:<42} {total:7.1f} h on call, "
                f"{outside:.1f} h outside its own hours"
            )
        return printable("\n".join(lines) + "\n")


def _fmt_minutes(m: int) -> str:
    m %= _DAY_MIN
    return f"{m // 60:02d}:{m % 60:02d}"


def _clock_arcs(
    regions: Sequence[Region], time_zone: str, at: dt.datetime
) -> list[tuple[int, int]]:
    """Each region's working hours on the day of ``at`` as (start, length) minutes of the day on
    the schedule's wall clock."""
    zclock = clock(time_zone)
    arcs = []
    for region in regions:
        rclock = clock(region.time_zone)
        local_day = rclock.to_local(to_seconds(at)) // DAY
        local = local_day * DAY + _minutes(region.start_time) * MINUTE
        instant = rclock.from_local(local)
        # The region's start on the schedule's clock, through the two zones' offsets at one
        # instant. When the region's clocks skip its start time that day, the instant of the jump
        # reads an hour later; the offsets in force after the jump give the start of an ordinary
        # day instead (in the schedule's own zone: the region's start time itself).
        start = ((local - rclock.offset(instant) + zclock.offset(instant)) % DAY) // MINUTE
        arcs.append((start, int(region.hours.total_seconds()) // MINUTE))
    return arcs


def follow_the_sun(
    regions: Sequence[Region],
    start: dt.datetime,
    time_zone: str = "Etc/UTC",
    turn_length: dt.timedelta = WEEK,
    name: str = "Follow the Sun",
    horizon: dt.timedelta = YEAR,
    mode: Mode = "wall",
) -> FollowTheSun:
    """One schedule where each region is on call only in its own working hours, 24/7 together.

    Every region gets a layer rotating its members every ``turn_length``, restricted to a daily
    window on the schedule's wall clock (``time_zone``). Where two regions' hours overlap, the
    handoff between them is the middle of the overlap, so each keeps half of it; each layer's
    turns hand off at the start of its own window, so no window is split between two people.

    Raises :class:`~oncall_planner.ValidationError` naming the uncovered hours when the regions'
    working hours leave a gap anywhere in ``[start, start + horizon)`` (daylight-saving changes
    included), and naming the region when one region's hours lie inside another's (it would
    never be on call). The result is verified by rendering the whole horizon: no gaps, and every
    region on call.
    """
    where = "follow_the_sun"
    try:
        regions_t = tuple(regions)
    except TypeError:
        raise ValidationError(
            f"{where}: regions must be a list of Region, got {regions!r}"
        ) from None
    if not regions_t or not all(isinstance(r, Region) for r in regions_t):
        raise ValidationError(
            f"{where}: regions must be a non-empty list of Region, got {regions!r}"
        )
    if len({r.name for r in regions_t}) != len(regions_t):
        raise ValidationError(
            f"{where}: region names must be unique, got {[r.name for r in regions_t]}"
        )
    check_instant(start, where, "start")
    check_time_zone(time_zone, where)
    if not isinstance(horizon, dt.timedelta) or horizon < dt.timedelta(days=1):
        raise ValidationError(
            f"{where}: horizon must be a timedelta of at least 1 day (the plan is checked by "
            f"rendering every region's daily window over it), got {horizon!r}"
        )
    until = start + horizon
    _check_hours_cover(regions_t, start, until, time_zone)

    arcs = _clock_arcs(regions_t, time_zone, start)
    order = sorted(range(len(regions_t)), key=lambda i: (arcs[i][0], i))
    days = -(-horizon // dt.timedelta(days=1))
    yearly = [
        _clock_arcs(regions_t, time_zone, start + k * dt.timedelta(days=1)) for k in range(days)
    ]
    windows = _windows(regions_t, arcs, order, time_zone, yearly)

    zclock = clock(time_zone)
    start_local_day = zclock.to_local(to_seconds(start)) // DAY
    layers = []
    for i, region in enumerate(regions_t):
        begin, length = windows[i]
        restrictions = (
            []
            if length >= _DAY_MIN
            else [Restriction.daily(dt.time(begin // 60, begin % 60), dt.timedelta(minutes=length))]
        )
        # The layer's validators check turn_length before the anchor's arithmetic uses it.
        layer = Layer(region.name, region.members, start, turn_length, restrictions=restrictions)
        # Hand off at the start of the region's window on or before the schedule's start, on
        # the wall clock (a start the clocks skip that day keeps its time on later days).
        anchor_local = start_local_day * DAY + begin * MINUTE
        if zclock.from_local(anchor_local) > to_seconds(start):
            anchor_local -= DAY
        cycle = len(region.members) * int(turn_length.total_seconds())
        anchor = wall_anchor(zclock, anchor_local, cycle, where)
        layers.append(attrs.evolve(layer, rotation_virtual_start=from_seconds(anchor)))
    schedule = Schedule(name, time_zone, layers)
    return _verify(schedule, regions_t, start, until, mode)


def _check_hours_cover(
    regions: tuple[Region, ...], since: dt.datetime, until: dt.datetime, time_zone: str
) -> None:
    spans = sorted(s for r in regions for s in r.working_hours(since, until))
    gaps: list[tuple[int, int]] = []
    cursor = to_seconds(since)
    for a, b in spans:
        if a > cursor:
            gaps.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < to_seconds(until):
        gaps.append((cursor, to_seconds(until)))
    if not gaps:
        return
    zclock = clock(time_zone)

    def local(t: int) -> str:
        return from_seconds(zclock.to_local(t)).strftime("%Y-%m-%d %H:%M")

    shown = "; ".join(f"{local(a)}–{local(b)[11:]}" for a, b in gaps[:3])
    more = f" and {len(gaps) - 3} more" if len(gaps) > 3 else ""
    first_a, first_b = gaps[0]
    daily = f"{local(first_a)[11:]}–{local(first_b)[11:]} {time_zone}"
    raise ValidationError(
        f"follow_the_sun: the regions' working hours leave {daily} uncovered "
        f"({len(gaps)} gap{'s' if len(gaps) != 1 else ''} in {time_zone}: {shown}{more}); "
        "widen a region's start_time/end_time or add a region for those hours"
    )


def _near(minute: int, reference: int) -> int:
    """``minute`` of the day moved by whole days to within half a day of ``reference``."""
    return reference + (minute - reference + _DAY_MIN // 2) % _DAY_MIN - _DAY_MIN // 2


def _lasting_overlap(
    i: int, j: int, start_i: int, end_i: int, start_j: int, daily: list[list[tuple[int, int]]]
) -> tuple[int, int]:
    """The part of the overlap of region ``i``'s end and region ``j``'s start (minutes on the
    schedule's clock) that holds on every day of ``daily``; empty (lo > hi) when there is none."""
    lo, hi = start_j, end_i
    for arcs in daily:
        lo = max(lo, _near(arcs[j][0], start_j))
        hi = min(hi, _near(arcs[i][0], start_i) + arcs[i][1])
    return lo, hi


def _windows(
    regions: tuple[Region, ...],
    arcs: list[tuple[int, int]],
    order: list[int],
    time_zone: str,
    daily: list[list[tuple[int, int]]],
) -> dict[int, tuple[int, int]]:
    """Each region's daily window (start minute, length) on the schedule's clock, abutting.

    The handoff between neighbours is the middle of their overlap on the first day, moved into
    the part of the overlap that lasts through every day of ``daily`` when there is one (their
    clocks can drift an hour apart with daylight saving), so no one is on call outside their own
    hours when that can be avoided."""
    n = len(order)
    if n == 1:
        return {order[0]: (arcs[order[0]][0], _DAY_MIN)}
    handoff_in: dict[int, int] = {}
    middles: dict[int, int] = {}
    for pos, i in enumerate(order):
        j = order[(pos + 1) % n]
        start_i, len_i = arcs[i]
        start_j = arcs[j][0] + (_DAY_MIN if pos == n - 1 else 0)
        end_i = start_i + len_i
        end_j = start_j + arcs[j][1]
        if end_j <= end_i:
            raise ValidationError(
                f"follow_the_sun: region {regions[j].name!r} works "
                f"{_fmt_minutes(arcs[j][0])}–{_fmt_minutes(end_j)} {time_zone}, inside region "
                f"{regions[i].name!r}'s hours {_fmt_minutes(start_i)}–{_fmt_minutes(end_i)}, so it "
                "would never be on call; give each region a day that starts and ends later than "
                "the one before"
            )
        # The regions' hours were checked to cover the day, so end_i >= start_j here.
        middle = start_j + max(0, end_i - start_j) // 2
        middles[j] = middle % _DAY_MIN
        lo, hi = _lasting_overlap(i, j, start_i, end_i, start_j, daily)
        if lo <= hi:
            middle = min(max(middle, lo), hi)
        handoff_in[j] = middle % _DAY_MIN
    windows = _abutting(order, handoff_in)
    lengths = [length for _, length in windows.values()]
    if 0 in lengths or sum(lengths) != _DAY_MIN:
        windows = _abutting(order, middles)  # the moved handoffs cross: keep the middles
    for i in order:
        if windows[i][1] == 0:
            raise ValidationError(
                f"follow_the_sun: region {regions[i].name!r} is starved: its neighbours' hours "
                "overlap all of its own, so it would never be on call"
            )
    return windows


def _abutting(order: list[int], handoff_in: dict[int, int]) -> dict[int, tuple[int, int]]:
    """Each region's window (start minute, length) from its handoff to the next region's."""
    windows: dict[int, tuple[int, int]] = {}
    for pos, i in enumerate(order):
        j = order[(pos + 1) % len(order)]
        begin, end = handoff_in[i], handoff_in[j]
        windows[i] = (begin, (end - begin) % _DAY_MIN)
    return windows


def _verify(
    schedule: Schedule,
    regions: tuple[Region, ...],
    since: dt.datetime,
    until: dt.datetime,
    mode: Mode,
) -> FollowTheSun:
    final = render(schedule, since, until, mode=mode)
    if final.gaps:
        gap = final.gaps[0]
        raise ValidationError(
            f"follow_the_sun: the schedule {schedule.name!r} renders with nobody on call from "
            f"{gap.start.isoformat()} to {gap.end.isoformat()} ({len(final.gaps)} gaps)"
        )
    hours: dict[str, dt.timedelta] = {}
    outside: dict[str, dt.timedelta] = {}
    for region, visible in zip(regions, final.visible, strict=True):
        total = sum((e.duration for e in visible), dt.timedelta())
        if not total:
            raise ValidationError(
                f"follow_the_sun: region {region.name!r} is starved: it is never on call "
                f"between {since.isoformat()} and {until.isoformat()}"
            )
        spans = region.working_hours(since, until)
        inside = 0
        for entry in visible:
            a, b = to_seconds(entry.start), to_seconds(entry.end)
            inside += sum(max(0, min(b, e) - max(a, s)) for s, e in spans)
        hours[region.name] = total
        outside[region.name] = total - dt.timedelta(seconds=inside)
    return FollowTheSun(schedule, regions, since, until, hours, outside)
