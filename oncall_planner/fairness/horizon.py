"""The horizon a fairness report covers: whole rotation cycles by default, or a chosen window.

A layer repeats itself every ``turn_length × len(users)``; restrictions repeat every day (daily)
or every week (weekly). A shift-based event repeats its rule every *period* (FREQ × INTERVAL, a
whole week when BYDAY picks days), with ``c`` occurrences in each; rotating members take
``len(members) × shifts_per_member`` occurrences for a round, so the event repeats itself after
``period × round / gcd(round, c)`` (every member at once: after one period). The least common
multiple of those periods over every layer and event of every schedule is the plan's *cycle*:
over any window of that length every member of a layer (an event) gets the same number of turns
(shifts), so a perfectly rotating team scores perfectly.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable
from typing import Literal

import attrs
from dateutil.rrule import rrulestr

from oncall_planner.errors import ValidationError
from oncall_planner.model import (
    EveryMember,
    Layer,
    OnCallPlan,
    Schedule,
    ShiftEvent,
    ShiftSchedule,
    User,
)
from oncall_planner.model._recurrence import rule_parts
from oncall_planner.timeutil import (
    DAY,
    WEEK,
    check_instant,
    clock,
    describe_duration,
    from_seconds,
    to_seconds,
    zone,
)

#: Cycles are capped at this many seconds (about 10,000 years) so they fit in a timedelta.
HUGE_CYCLE = 10_000 * 366 * DAY

#: Longest cycle the default horizon follows; longer cycles are cut to this length (and said so).
MAX_CYCLE = dt.timedelta(days=3 * 366)


def local_time(at: dt.datetime, time_zone: str) -> str:
    """``Mon 2025-03-03 09:00 CET``: an instant as the reports and audits show it."""
    return at.astimezone(zone(time_zone)).strftime("%a %Y-%m-%d %H:%M %Z")


@attrs.frozen
class Horizon:
    """The window ``[since, until)`` a report covers and why.

    ``kind`` is ``"cycle"`` (whole rotation cycles), ``"truncated-cycle"`` (the cycle was longer
    than the limit and was cut) or ``"window"`` (chosen by the caller). ``cycle`` is the plan's
    cycle length (``None`` when the plan has no layers) and ``cycles`` how many of them the window
    holds (for ``"cycle"``). The length is counted on the wall clock of ``time_zone`` by default,
    so a window across a DST change is an hour shorter or longer than ``cycles × cycle``.
    """

    since: dt.datetime
    until: dt.datetime
    kind: Literal["cycle", "truncated-cycle", "window"]
    cycle: dt.timedelta | None
    time_zone: str = "Etc/UTC"
    cycles: int = 1

    @property
    def length(self) -> dt.timedelta:
        return self.until - self.since

    def describe(self) -> str:
        """One sentence saying which window was used and why."""
        span, length, why = self.describe_parts()
        return f"{span} ({length}): {why}"

    def describe_parts(self) -> tuple[str, str, str]:
        """:meth:`describe` in parts: the window, its length, and why it was used."""
        span = (
            f"{local_time(self.since, self.time_zone)} to {local_time(self.until, self.time_zone)}"
        )
        length = describe_duration(self.length)
        if self.cycle is None:
            cycle = "none"
        elif self.cycle.total_seconds() >= HUGE_CYCLE:
            cycle = "more than 10,000 years"
        else:
            cycle = describe_duration(self.cycle)
        if self.kind == "cycle":
            count = self.cycles
            return (
                span,
                length,
                f"{count} whole rotation cycle{'s' if count != 1 else ''} of {cycle}",
            )
        if self.kind == "truncated-cycle":
            return (
                span,
                length,
                (
                    f"the rotation cycle ({cycle}) is longer than the limit, so the window is cut and "
                    "not cycle-aligned"
                ),
            )
        return span, length, f"window chosen by the caller (the rotation cycle is {cycle})"


def overlaps(layer: Layer, since: int | None, until: int | None = None) -> bool:
    """Whether ``layer`` is in force at some moment of ``[since, until)`` (POSIX seconds; ``None``
    leaves that side open). A layer that ended before the window (the old order of a membership
    change) or starts after it has no say in it: neither its period nor its members count."""
    if since is not None and layer.end is not None and to_seconds(layer.end) <= since:
        return False
    return until is None or to_seconds(layer.start) < until


def event_overlaps(event: ShiftEvent, since: int | None, until: int | None = None) -> bool:
    """:func:`overlaps` for a shift-based event: whether its effective range meets
    ``[since, until)``."""
    if (
        since is not None
        and event.effective_until is not None
        and to_seconds(event.effective_until) <= since
    ):
        return False
    return until is None or to_seconds(event.effective_since) < until


AnySchedule = Schedule | ShiftSchedule


def members(
    schedules: Iterable[AnySchedule], since: int | None, until: int | None = None
) -> list[User]:
    """The people of the layers (the events of shift-based schedules) in force at some moment of
    ``[since, until)`` (see :func:`overlaps`), each once (by email), in the order the schedules
    and layers (rotations and events) list them. Empty slots and custom shifts are nobody's
    membership."""
    out: dict[str, User] = {}
    for schedule in schedules:
        for people in _rosters(schedule, since, until):
            for u in people:
                out.setdefault(u.email.lower(), u)
    return list(out.values())


def _rosters(
    schedule: AnySchedule, since: int | None, until: int | None
) -> Iterable[tuple[User, ...]]:
    """The users of each layer (each event) of ``schedule`` in force in ``[since, until)``."""
    if isinstance(schedule, ShiftSchedule):
        for rotation in schedule.rotations:
            for event in rotation.events:
                if event_overlaps(event, since, until):
                    yield tuple(m for m in event.members if isinstance(m, User))
        return
    for layer in schedule.layers:
        if overlaps(layer, since, until):
            yield layer.users


def layer_cycle(layer: Layer) -> int:
    """The seconds after which ``layer`` repeats itself: whole rounds of its users, in step with
    the days (daily restrictions) or weeks (weekly restrictions) of its restrictions."""
    rounds = int(layer.turn_length.total_seconds()) * len(layer.users)
    if any(r.kind == "weekly" for r in layer.restrictions):
        return math.lcm(rounds, WEEK)
    if layer.restrictions:
        return math.lcm(rounds, DAY)
    return rounds


#: Seconds per unit of the RRULE frequencies that repeat in a fixed time.
_UNITS = {"MINUTELY": 60, "HOURLY": 3600, "DAILY": DAY, "WEEKLY": WEEK}
#: RRULE parts that keep a rule periodic in fixed time (BYDAY makes the period a whole week).
_PERIODIC_PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND", "WKST"}
#: The period counted for a rule that does not repeat in a fixed time (FREQ=MONTHLY or YEARLY,
#: BYMONTH, BYMONTHDAY, BYSETPOS, ...): 52 weeks, about a year, in whole weeks.
IRREGULAR_PERIOD = 52 * WEEK


@functools.lru_cache(maxsize=1024)
def recurrence_period(event: ShiftEvent) -> tuple[int, int, bool]:
    """``(period, occurrences, exact)``: the seconds after which the event's rule repeats, how
    many occurrences fall in any window of that length, and whether the period is exact (false
    for rules that do not repeat in a fixed time, counted over :data:`IRREGULAR_PERIOD`).
    ``COUNT``, ``UNTIL``, RDATE and EXDATE lines are left out: they end or edit the pattern, they
    do not change its period."""
    recurrence = event.parsed_recurrence
    parts = rule_parts(recurrence.rrules[0])
    freq = parts.get("FREQ", "").upper()
    keys = set(parts) - {"COUNT", "UNTIL"}
    exact = len(recurrence.rrules) == 1 and freq in _UNITS and keys <= _PERIODIC_PARTS
    if exact:
        period = _UNITS[freq] * int(parts.get("INTERVAL", "1") or "1")
        if "BYDAY" in parts:
            period = math.lcm(period, WEEK)
        elif freq in ("MINUTELY", "HOURLY") and ("BYHOUR" in parts or "BYMINUTE" in parts):
            period = math.lcm(period, DAY)
    else:
        period = IRREGULAR_PERIOD
    text = ";".join(f"{k}={v}" for k, v in parts.items() if k not in ("COUNT", "UNTIL"))
    first = event.start_time.astimezone(dt.timezone.utc).replace(tzinfo=None)
    end = first + dt.timedelta(seconds=period)
    count = 0
    for occurrence in rrulestr(text, dtstart=first):
        if occurrence >= end:
            break
        count += 1
    return period, count, exact


def event_cycle(event: ShiftEvent) -> int:
    """The seconds after which ``event`` repeats itself: whole rounds of its member slots (each
    slot ``shifts_per_member`` occurrences; an empty slot counts), in step with its rule's
    period (see :func:`recurrence_period`). Every member at once: one period."""
    period, count, _ = recurrence_period(event)
    if isinstance(event.assignment, EveryMember) or count == 0:
        return period
    slots = len(event.assignment.members) * event.assignment.shifts_per_member
    return period * (slots // math.gcd(slots, count))


def layer_periods(
    schedules: Iterable[AnySchedule], since: int | None = None, until: int | None = None
) -> list[int]:
    """The cycle, in seconds, of every layer (every shift-based event) in force in
    ``[since, until)`` (every one when the window is open); the plan repeats after their least
    common multiple."""
    out: list[int] = []
    for schedule in schedules:
        if isinstance(schedule, ShiftSchedule):
            out.extend(
                event_cycle(event)
                for rotation in schedule.rotations
                for event in rotation.events
                if event_overlaps(event, since, until)
            )
        else:
            out.extend(
                layer_cycle(layer) for layer in schedule.layers if overlaps(layer, since, until)
            )
    return out


def cycle_length(
    schedules: Iterable[AnySchedule], since: dt.datetime | None = None
) -> dt.timedelta | None:
    """The least common multiple of the periods of the layers (shift-based events) still in
    force at ``since`` (every one without it; ``None`` without layers or events)."""
    periods = layer_periods(schedules, None if since is None else to_seconds(since))
    if not periods:
        return None
    return dt.timedelta(seconds=min(math.lcm(*periods), HUGE_CYCLE))


def default_since(schedules: Iterable[AnySchedule]) -> dt.datetime | None:
    """The first instant at which every layer has started (the latest layer start; for a
    shift-based event, its ``effective_since``)."""
    starts: list[int] = []
    for s in schedules:
        if isinstance(s, ShiftSchedule):
            starts.extend(
                to_seconds(event.effective_since) for r in s.rotations for event in r.events
            )
        else:
            starts.extend(to_seconds(layer.start) for layer in s.layers)
    return from_seconds(max(starts)) if starts else None


def time_zone_of(plan: OnCallPlan) -> str:
    """The zone cycles are counted in: the first schedule's (of either kind), else UTC."""
    schedules = plan.all_schedules
    return schedules[0].time_zone if schedules else "Etc/UTC"


def resolve_horizon(
    plan: OnCallPlan,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    cycles: int = 1,
    max_cycle: dt.timedelta = MAX_CYCLE,
    where: str = "fairness_report",
    mode: str = "wall",
) -> Horizon:
    """The report window: ``[since, until)`` if both are given, otherwise whole cycles.

    Without ``since`` the window starts when the last layer (shift-based event) starts; without
    ``until`` it lasts ``cycles`` rotation cycles, counted on the wall clock of the first
    schedule's zone in
    ``"wall"`` mode (so it ends at the same local time as a wall-clock turn does) and in absolute
    time in ``"elapsed"`` mode.
    """
    if not isinstance(cycles, int) or isinstance(cycles, bool) or cycles < 1:
        raise ValidationError(f"{where}: cycles must be a whole number ≥ 1, got {cycles!r}")
    tz = time_zone_of(plan)
    schedules = plan.all_schedules
    if since is not None:
        check_instant(since, where, "since")
    if until is not None:
        check_instant(until, where, "until")
    if since is not None and until is not None:
        if until <= since:
            raise ValidationError(
                f"{where}: until must be after since ({since.isoformat()}), got {until.isoformat()}"
            )
        cycle = cycle_length(schedules, since)
        return Horizon(
            from_seconds(to_seconds(since)), from_seconds(to_seconds(until)), "window", cycle, tz
        )
    if since is None:
        if until is not None:
            raise ValidationError(f"{where}: until without since is ambiguous; give since too")
        since = default_since(schedules)
    if since is None or not layer_periods(schedules):
        raise ValidationError(
            f"{where}: the plan has no layers, so there is no rotation cycle; give since and until"
        )
    cycle = cycle_length(schedules, since)
    if cycle is None:
        raise ValidationError(
            f"{where}: every layer (every shift-based event) has ended by {since.isoformat()}, so "
            "there is no rotation cycle; give since and until"
        )
    kind: Literal["cycle", "truncated-cycle"] = "cycle"
    if cycles > max_cycle / cycle:  # compared as numbers: cycle * 10**22 overflows a timedelta
        length, kind = max_cycle, "truncated-cycle"
    else:
        length = cycle * cycles
    start = to_seconds(since)
    end = advance(start, int(length.total_seconds()), tz, mode)
    return Horizon(from_seconds(start), from_seconds(end), kind, cycle, tz, cycles)


def advance(start: int, length: int, tz: str, mode: str = "wall") -> int:
    """``start + length`` seconds, on the wall clock of ``tz`` in ``"wall"`` mode."""
    if mode == "wall":
        zc = clock(tz)
        return zc.from_local(zc.to_local(start) + length)
    return start + length


__all__ = [
    "MAX_CYCLE",
    "Horizon",
    "cycle_length",
    "default_since",
    "event_cycle",
    "event_overlaps",
    "layer_cycle",
    "layer_periods",
    "local_time",
    "members",
    "overlaps",
    "recurrence_period",
    "resolve_horizon",
    "time_zone_of",
]
