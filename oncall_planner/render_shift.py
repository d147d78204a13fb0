"""Rendering shift-based schedules: who is on call, from which rotation, event, override or shift.

This follows the reference rendering model of ``pagerduty-schedulev2.md`` §2.2 (docs/schedulev2.md
states it rule by rule). Every choice PagerDuty does not document is a field of
:class:`~oncall_planner.render.ShiftRenderOptions`, with the reference's default.

How it works, per event of a rotation:

1. The recurrence is expanded with python-dateutil's ``rrule`` on a wall clock (the event's zone,
   or UTC with ``expand_in="utc"``), from ``DTSTART`` = the local time of ``start_time``. The
   occurrence starts are kept as integer *local seconds* with their counting index ``k``, in a
   list that grows as later times are asked for and is shared between renders (:class:`_Expansion`).
2. Local starts become instants through :class:`~oncall_planner.timeutil.ZoneClock` (a local time
   in a spring-forward gap maps to the instant the clocks jump, a repeated one to its first
   occurrence); the first occurrence is ``start_time`` itself.
3. Each occurrence lasts ``end_time - start_time`` (``duration="exact"``) or ends at the local
   time the first occurrence ends (``"wallclock"``), is cut (or kept, or dropped) at the event's
   effective range, and belongs to ``members[((k - base) // shifts_per_member) % n]`` (rotating)
   or to every member.

Custom shifts add pieces; overrides replace the member of their rotation's (custom shift's)
pieces. Everything in between is integer seconds: datetimes appear only when values enter and
when :class:`~oncall_planner.render.Entry` objects are built at the end.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import operator
import re
from collections.abc import Iterable, Sequence
from typing import Any

from dateutil.rrule import rrule, rruleset, rrulestr

from oncall_planner.errors import ValidationError
from oncall_planner.model import (
    EveryMember,
    ShiftEvent,
    ShiftOverride,
    ShiftSchedule,
    User,
)
from oncall_planner.model._recurrence import (
    DateValue,
    Recurrence,
    local_seconds,
    naive,
    parse_recurrence,
    rule_parts,
)
from oncall_planner.model.inputs import sequence_of
from oncall_planner.render import (
    MAX_PIECES,
    Entry,
    FinalSchedule,
    Interval,
    ShiftRenderOptions,
    Source,
    Vacancy,
    _check_window,
    _latest_wins,
    _new_interval,
    _Parts,
    _Timedeltas,
    _tuple_new,
)
from oncall_planner.timeutil import DAY, ZoneClock, clock, from_seconds, to_seconds

INFINITY = 1 << 62
EMPTY = -1  # the member id of EMPTY_MEMBER
# A piece of a shift: (start, end, member id, source id) in POSIX seconds.
SPiece = tuple[int, int, int, int]


# --- recurrence expansion ---------------------------------------------------------------------


def _rrule_on_clock(value: str, dtstart: dt.datetime, expansion: ZoneClock) -> rrule:
    """One RRULE value as a dateutil rule from a naive local DTSTART; a UTC ``UNTIL`` (``...Z``)
    is turned into the local time of the expansion clock first."""
    until = rule_parts(value).get("UNTIL")
    if until and until.upper().endswith("Z"):
        instant = local_seconds(dt.datetime.strptime(until[:-1], "%Y%m%dT%H%M%S"))
        local = naive(expansion.to_local(instant)).strftime("%Y%m%dT%H%M%S")
        value = ";".join(
            f"UNTIL={local}" if p.strip().upper().startswith("UNTIL=") else p
            for p in value.split(";")
        )
    rule = rrulestr(value, dtstart=dtstart)
    assert isinstance(rule, rrule)
    return rule


def _date_local(value: DateValue, event_zone: str, expansion: ZoneClock) -> int:
    """An EXDATE/RDATE value as local seconds on the expansion clock."""
    if value.zone == "UTC":
        instant = value.seconds
    else:
        instant = clock(value.zone or event_zone).from_local(value.seconds)
    return expansion.to_local(instant)


def _shown_rule(rrules: Sequence[str]) -> str:
    """The rules of a recurrence as an error message quotes them (cut short)."""
    text = "; ".join(rrules) or "of RDATEs"
    return repr(text if len(text) <= 80 else text[:79] + "…")


def _too_many(what: str) -> ValidationError:
    """The error of a recurrence that would make more than :data:`MAX_PIECES` occurrences from
    its DTSTART to the end of the window: the cap layer-based renders have (hourly turns over 57
    years), which keeps a render's memory bounded (a minutely rule over ten years made 2.6
    million entries in 1.7 GB)."""
    return ValidationError(
        f"render: the recurrence {what} makes more than {MAX_PIECES:,} occurrences from its "
        "event's start to the end of the window; one render builds at most that many: render "
        "shorter windows, or start the event nearer to them"
    )


class _Expansion:
    """The occurrence starts of one recurrence from one DTSTART on one wall clock.

    ``starts`` are local seconds in order; ``index[i]`` is the counting number ``k`` of
    ``starts[i]`` (the position among the occurrences, from DTSTART; with
    ``excluded_dates="counted"`` an EXDATE occurrence keeps its number but is not listed). Both
    lists grow on demand (:meth:`grow`), so a rule that repeats for ever costs only what is asked.
    """

    def __init__(
        self,
        recurrence: Recurrence,
        dtstart_local: int,
        event_zone: str,
        expansion: ZoneClock,
        unsynced_start: str,
        excluded_dates: str,
    ) -> None:
        dtstart = naive(dtstart_local)
        rules = [_rrule_on_clock(value, dtstart, expansion) for value in recurrence.rrules]
        rset = rruleset()
        synced = False
        for rule in rules:
            first = rule.after(dtstart, inc=True)
            synced = synced or first == dtstart
        for value, rule in zip(recurrence.rrules, rules, strict=True):
            # RFC 5545 counts DTSTART as the first occurrence, also against COUNT.
            count = int(rule_parts(value).get("COUNT", "0") or 0)
            if unsynced_start == "rfc5545" and not synced and count:
                if count == 1:
                    continue
                rule = rule.replace(count=count - 1)
            rset.rrule(rule)
        if unsynced_start == "rfc5545":
            rset.rdate(dtstart)
        for date in recurrence.rdates:
            rset.rdate(naive(_date_local(date, event_zone, expansion)))
        self.excluded = {_date_local(v, event_zone, expansion) for v in recurrence.exdates}
        self.count_excluded = excluded_dates == "counted"
        self._iter = iter(rset)
        self._position = 0  # occurrences seen, excluded ones included
        self._kept = 0  # occurrences listed
        self.done = False
        self.starts: list[int] = []
        self.index: list[int] = []
        self.what = _shown_rule(recurrence.rrules)

    def grow(self, local_hi: int) -> None:
        """Extend the lists past ``local_hi`` (or to the end of a finite rule)."""
        starts, index, excluded = self.starts, self.index, self.excluded
        while not self.done and (not starts or starts[-1] < local_hi):
            if len(starts) >= MAX_PIECES:
                raise _too_many(self.what)
            try:
                moment = next(self._iter)
            except StopIteration:
                self.done = True
                break
            local = local_seconds(moment)
            position = self._position
            self._position += 1
            if local in excluded:
                continue
            starts.append(local)
            index.append(position if self.count_excluded else self._kept)
            self._kept += 1

    def span(self, local_lo: int, local_hi: int) -> tuple[int, int]:
        """The positions ``[i, j)`` of the starts in ``[local_lo, local_hi)``."""
        self.grow(local_hi)
        return (
            bisect.bisect_left(self.starts, local_lo),
            bisect.bisect_left(self.starts, local_hi),
        )


_WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_UNTIL = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$")
_PERIODIC_KEYS = frozenset({"FREQ", "INTERVAL", "BYDAY", "WKST", "COUNT", "UNTIL"})


class _Periodic:
    """The occurrence starts of a rule that repeats with a fixed period on the wall clock, computed
    instead of counted: ``base + m * period + offset`` for ``m >= 0`` and each of ``offsets``,
    from DTSTART on, up to ``UNTIL`` or ``COUNT``.

    This is what ``FREQ=DAILY``, ``FREQ=HOURLY`` and ``FREQ=WEEKLY`` (with ``BYDAY`` days without
    ordinals, ``WKST``) with ``INTERVAL``, ``COUNT`` or ``UNTIL`` mean, the rules PagerDuty's web
    editor writes, and what python-dateutil's ``rrule`` yields for them on a naive wall clock;
    :func:`_periodic` says which rules qualify, and a property test compares the two. Whole
    periods are made at once by ``range`` and merged by ``sorted``, in C, where counting with
    ``rrule`` costs microseconds an occurrence. Same interface as :class:`_Expansion`.
    """

    def __init__(
        self,
        base: int,
        period: int,
        offsets: list[int],
        dtstart: int,
        until: int | None,
        count: int | None,
        lead: bool,
        what: str,
    ) -> None:
        self.base, self.period, self.offsets = base, period, offsets
        self.dtstart = dtstart
        self.until = until
        self.count = count
        self.starts: list[int] = [dtstart] if lead else []  # a DTSTART the rule misses (U3)
        self.index: list[int] = [0] if lead else []
        self._from_start = len(self.starts)  # occurrences before the rule's own
        self._next = 0  # the next period to make
        self.done = count == 0
        self.what = what  # the rule as the error of too many occurrences quotes it

    def _periods_up_to(self, local_hi: int) -> int:
        """The period past the last one :meth:`grow` makes for ``local_hi``, refused when the
        occurrences up to it would pass :data:`MAX_PIECES` (checked before any is made)."""
        last = max(self._next + 1, (local_hi - self.base) // self.period + 2)
        if self.until is not None:
            last = min(last, (self.until - self.base) // self.period + 1)
        made = (last - self._next) * len(self.offsets)
        if self.count is not None:
            made = min(made, self.count)
        if len(self.starts) + made > MAX_PIECES + len(self.offsets):
            raise _too_many(self.what)
        return last

    def grow(self, local_hi: int) -> None:
        """Extend the lists past ``local_hi`` (or to the end of a finite rule)."""
        starts, period = self.starts, self.period
        while not self.done and (not starts or starts[-1] < local_hi):
            first = self._next
            last = self._periods_up_to(local_hi)
            lo, hi = self.base + first * period, self.base + last * period
            made = sorted(
                itertools.chain.from_iterable(range(lo + o, hi + o, period) for o in self.offsets)
            )
            if first == 0:  # the first period may hold days before DTSTART
                del made[: bisect.bisect_left(made, self.dtstart)]
            if self.until is not None and (not made or made[-1] >= self.until):
                del made[bisect.bisect_right(made, self.until) :]
                self.done = True
            if self.count is not None:
                room = self.count - (len(starts) - self._from_start)
                if len(made) >= room:
                    del made[room:]
                    self.done = True
            self._next = last
            if made:
                self.index.extend(range(len(starts), len(starts) + len(made)))
                starts.extend(made)
            elif self.until is not None and last * period + self.base > self.until:
                self.done = True

    def span(self, local_lo: int, local_hi: int) -> tuple[int, int]:
        """The positions ``[i, j)`` of the starts in ``[local_lo, local_hi)``."""
        self.grow(local_hi)
        return (
            bisect.bisect_left(self.starts, local_lo),
            bisect.bisect_left(self.starts, local_hi),
        )


def _periodic(
    recurrence: Recurrence, dtstart_local: int, expansion: ZoneClock, unsynced_start: str
) -> _Periodic | None:
    """A :class:`_Periodic` for ``recurrence`` from ``dtstart_local``, or ``None`` when the rule
    is not one it computes (then python-dateutil counts it)."""
    if recurrence.rdates or recurrence.exdates or len(recurrence.rrules) != 1:
        return None
    parts = rule_parts(recurrence.rrules[0])
    if not parts.keys() <= _PERIODIC_KEYS or ("COUNT" in parts and "UNTIL" in parts):
        return None
    freq = parts.get("FREQ", "")
    interval_text = parts.get("INTERVAL", "1")
    count_text = parts.get("COUNT")
    if not interval_text.isdigit() or int(interval_text) < 1:
        return None
    if count_text is not None and not count_text.isdigit():
        return None
    interval = int(interval_text)
    count = None if count_text is None else int(count_text)
    until = None
    if "UNTIL" in parts:
        m = _UNTIL.match(parts["UNTIL"])
        if not m:
            return None
        year, month, day, hour, minute, second = (int(g or 0) for g in m.groups()[:6])
        try:
            until = local_seconds(dt.datetime(year, month, day, hour, minute, second))
        except ValueError:
            return None
        if m.group(7):  # UTC: the local time on the expansion clock (see _rrule_on_clock)
            until = expansion.to_local(until)
    tod = dtstart_local % DAY
    if freq in ("DAILY", "HOURLY"):
        if "BYDAY" in parts or "WKST" in parts:
            return None
        period = interval * (DAY if freq == "DAILY" else 3600)
        base, offsets = dtstart_local, [0]
    elif freq == "WEEKLY":
        codes = parts.get("BYDAY")
        wkst = _WEEKDAYS.get(parts.get("WKST", "MO"))
        days = [_WEEKDAYS.get(c.strip()) for c in codes.split(",")] if codes else []
        if wkst is None or None in days:
            return None
        weekday = (dtstart_local // DAY + 3) % 7  # Monday is 0, as in dateutil
        wanted = {d for d in days if d is not None} or {weekday}
        period = interval * 7 * DAY
        week_start = dtstart_local - tod - (weekday - wkst) % 7 * DAY
        base, offsets = week_start + tod, sorted((d - wkst) % 7 * DAY for d in wanted)
    else:
        return None
    # The rule's first occurrence: DTSTART itself, or a later one (an unsynced DTSTART).
    first = min((base + o if base + o >= dtstart_local else base + period + o) for o in offsets)
    if (until is not None and first > until) or count == 0:
        first = -1  # the rule has no occurrence
    lead = unsynced_start == "rfc5545" and first != dtstart_local
    if lead and count is not None:
        count -= 1  # RFC 5545 counts DTSTART as the first occurrence, also against COUNT
    what = _shown_rule(recurrence.rrules)
    return _Periodic(base, period, offsets, dtstart_local, until, count, lead, what)


@functools.lru_cache(maxsize=4096)
def _expansion(
    recurrence: tuple[str, ...],
    dtstart_local: int,
    event_zone: str,
    expansion_zone: str,
    unsynced_start: str,
    excluded_dates: str,
) -> _Expansion | _Periodic:
    """The shared expansion of one recurrence (renders of one event reuse what was expanded)."""
    parsed = parse_recurrence(recurrence, "ShiftEvent")
    zclock = clock(expansion_zone)
    periodic = _periodic(parsed, dtstart_local, zclock, unsynced_start)
    if periodic is not None:
        return periodic
    return _Expansion(parsed, dtstart_local, event_zone, zclock, unsynced_start, excluded_dates)


# --- one event in one render -------------------------------------------------------------------


class _EventPlan:
    """The arithmetic of one event under one set of options: occurrences as instants, their
    counting numbers, the effective range and who holds each occurrence."""

    def __init__(
        self, event: ShiftEvent, schedule_zone: str, options: ShiftRenderOptions, members: list[int]
    ) -> None:
        zone = event.time_zone or schedule_zone
        self.clock = clock("Etc/UTC" if options.expand_in == "utc" else zone)
        self.s0 = to_seconds(event.start_time)
        self.e0 = to_seconds(event.end_time)
        self.l0 = self.clock.to_local(self.s0)
        self.d_exact = self.e0 - self.s0
        self.d_wall = self.clock.to_local(self.e0) - self.l0
        self.wallclock = options.duration == "wallclock"
        self.es = to_seconds(event.effective_since)
        self.eu = INFINITY if event.effective_until is None else to_seconds(event.effective_until)
        self.bounds = options.effective_bounds
        self.margin = max(self.d_exact, self.d_wall, 0) + 2 * DAY
        self.expansion = _expansion(
            event.recurrence,
            self.l0,
            zone,
            self.clock.name,
            options.unsynced_start,
            options.excluded_dates,
        )
        self.members = members
        self.every = isinstance(event.assignment, EveryMember)
        self.spm = 1 if self.every else event.assignment.shifts_per_member  # type: ignore[union-attr]
        self.base = 0  # the counting number that takes members[0] (see the member anchor)

    def _occurrences(self, i: int, j: int) -> list[tuple[int, int, int]]:
        """Occurrences at positions ``[i, j)`` of the expansion as (start, end, k)."""
        exp = self.expansion
        locals_ = exp.starts[i:j]
        starts = self.clock.from_local_sorted(locals_)
        if self.wallclock:
            ends = self.clock.from_local_sorted([local + self.d_wall for local in locals_])
        else:
            ends = [s + self.d_exact for s in starts]
        out = []
        for local, s, e, k in zip(locals_, starts, ends, exp.index[i:j], strict=True):
            if local == self.l0:  # the first occurrence is start_time itself
                s, e = self.s0, self.e0
            out.append((s, e, k))
        return out

    def kept(self, s: int, e: int, es: int, eu: int) -> tuple[int, int] | None:
        """What of the occurrence ``[s, e)`` the effective range ``[es, eu)`` keeps."""
        if self.bounds == "clip":
            a, b = max(s, es), min(e, eu)
            return (a, b) if a < b else None
        if self.bounds == "by_start":
            return (s, e) if es <= s < eu and s < e else None
        return (s, e) if es <= s and e <= eu and s < e else None

    def pieces(self, lo: int, hi: int) -> tuple[list[int], list[int], list[int]]:
        """Kept occurrences meeting ``[lo, hi)``, not cut to the window, as three columns:
        starts, ends and counting numbers ``k``."""
        top = min(hi, self.eu)
        lower = min(max(lo, self.es), top)
        i, j = self.expansion.span(
            self.clock.to_local(lower) - self.margin, self.clock.to_local(top) + self.margin
        )
        if i >= j:
            return [], [], []
        exp = self.expansion
        locals_ = exp.starts[i:j]
        ks = exp.index[i:j]
        starts = self.clock.from_local_sorted(locals_)
        if self.wallclock:
            ends = self.clock.from_local_sorted([local + self.d_wall for local in locals_])
        else:
            ends = list(map(operator.add, starts, itertools.repeat(self.d_exact)))
        if locals_[0] == self.l0:  # the first occurrence is start_time itself
            starts[0], ends[0] = self.s0, self.e0
        if (
            starts[0] >= self.es
            and max(ends) <= self.eu
            and (len(ends) < 2 or ends[0] <= ends[1])
            and all(map(operator.lt, starts, ends))
        ):
            # Every occurrence lies in the effective range, starts and ends in order: keep
            # those that meet the window, found by bisection.
            a = bisect.bisect_right(ends, lo)
            b = bisect.bisect_left(starts, hi)
            return starts[a:b], ends[a:b], ks[a:b]
        out_s: list[int] = []
        out_e: list[int] = []
        out_k: list[int] = []
        for s, e, k in zip(starts, ends, ks, strict=True):
            piece = self.kept(s, e, self.es, self.eu)
            if piece is not None and piece[0] < hi and piece[1] > lo:
                out_s.append(piece[0])
                out_e.append(piece[1])
                out_k.append(k)
        return out_s, out_e, out_k

    def first_kept(self) -> int | None:
        """The counting number of the first occurrence the effective range keeps."""
        exp = self.expansion
        local = self.clock.to_local(self.es) - self.margin
        i, _ = exp.span(local, local)
        while True:
            if i >= len(exp.starts):
                if exp.done:
                    return None
                exp.grow(exp.starts[-1] + 1 if exp.starts else -INFINITY)
                continue
            s, e, k = self._occurrences(i, i + 1)[0]
            if s >= self.eu:
                return None
            if self.kept(s, e, self.es, self.eu) is not None:
                return k
            i += 1

    def last_kept_before(self, limit: int) -> int | None:
        """The counting number of the last occurrence kept by ``[es, min(eu, limit))``."""
        end = min(self.eu, limit)
        if end <= self.es:
            return None
        exp = self.expansion
        _, j = exp.span(self.clock.to_local(self.es), self.clock.to_local(end) + self.margin)
        for i in range(j - 1, -1, -1):
            s, e, k = self._occurrences(i, i + 1)[0]
            if s + self.margin < self.es:
                return None
            if self.kept(s, e, self.es, end) is not None:
                return k
        return None

    def holders_of(self, ks: Sequence[int]) -> Iterable[int]:
        """The member holding each of the occurrences ``ks`` (counting numbers, in order) of a
        rotating event. Consecutive numbers (no excluded date between them) follow a fixed
        pattern, each member ``spm`` times in turn, which ``cycle`` repeats in C."""
        members, spm, n = self.members, self.spm, len(self.members)
        if ks[-1] - ks[0] != len(ks) - 1:
            return [members[((k - self.base) // spm) % n] for k in ks]
        pattern = [m for m in members for _ in range(spm)]
        phase = (ks[0] - self.base) % len(pattern)
        return itertools.islice(itertools.cycle(pattern[phase:] + pattern[:phase]), len(ks))

    def holders(self, k: int) -> list[int]:
        """The member ids holding occurrence ``k``."""
        if not self.members:
            return []
        if self.every:
            return self.members
        return [self.members[((k - self.base) // self.spm) % len(self.members)]]


# --- the whole schedule -------------------------------------------------------------------------


class _Render:
    """One render of one shift-based schedule: ids for people and sources, and the pieces."""

    def __init__(
        self,
        schedule: ShiftSchedule,
        overrides: tuple[ShiftOverride, ...],
        options: ShiftRenderOptions,
    ) -> None:
        self.schedule = schedule
        self.overrides = overrides
        self.options = options
        self.users: list[User] = []
        self._uids: dict[User, int] = {}
        self.sources: list[Source] = []
        self._source_keys: list[tuple[int, int, int, int]] = []
        self._source_ids: dict[tuple[int, int, int, int], int] = {}
        for rotation in schedule.rotations:
            for event in rotation.events:
                for member in event.members:
                    self.uid(member)
        for shift in schedule.custom_shifts:
            self.uid(shift.member)
        for ov in overrides:
            self.uid(ov.overriding_member)
        self.plans = [
            [
                _EventPlan(event, schedule.time_zone, options, [self.uid(m) for m in event.members])
                for event in rotation.events
            ]
            for rotation in schedule.rotations
        ]
        self._anchor()
        self.targets = [self._target(i, ov) for i, ov in enumerate(overrides)]

    def uid(self, member: object) -> int:
        if not isinstance(member, User):
            return EMPTY
        found = self._uids.get(member)
        if found is None:
            found = self._uids[member] = len(self.users)
            self.users.append(member)
        return found

    def source(self, key: tuple[int, int, int, int]) -> int:
        """The id of the source with ``key`` = (kind, a, b, c); see :meth:`_make_source`."""
        found = self._source_ids.get(key)
        if found is None:
            found = self._source_ids[key] = len(self.sources)
            self.sources.append(self._make_source(key))
            self._source_keys.append(key)
        return found

    def _rotation_label(self, ri: int, ei: int) -> str:
        rotation = self.schedule.rotations[ri]
        named = f" {rotation.name!r}" if rotation.name else ""
        return f"rotation {ri + 1}{named}, event {rotation.events[ei].name!r}"

    def _make_source(self, key: tuple[int, int, int, int]) -> Source:
        kind, a, b, c = key
        if kind == 0:
            return Source("rotation", rotation=a, event=b, label=self._rotation_label(a, b))
        if kind == 1:
            return Source("custom_shift", custom_shift=a, label=f"custom shift {a + 1}")
        if kind == 2:
            return Source(
                "rotation_override",
                rotation=b,
                event=c,
                override=a,
                label=f"override {a + 1} on {self._rotation_label(b, c)}",
            )
        return Source(
            "custom_shift_override",
            custom_shift=b,
            override=a,
            label=f"override {a + 1} on custom shift {b + 1}",
        )

    def _anchor(self) -> None:
        """Set each event's ``base`` from ``options.member_anchor`` (U4)."""
        anchor = self.options.member_anchor
        if anchor == "start_time":
            return
        for plans in self.plans:
            if anchor == "effective_since":
                for plan in plans:
                    plan.base = plan.first_kept() or 0
                continue
            order = sorted(range(len(plans)), key=lambda i: plans[i].es)
            carry = 0
            for n, i in enumerate(order):
                plan = plans[i]
                if n:
                    first = plan.first_kept()
                    plan.base = first - carry if first is not None else 0
                if n + 1 < len(order):
                    last = plan.last_kept_before(plans[order[n + 1]].es)
                    if last is not None:
                        carry = last - plan.base + 1

    def _target(self, i: int, ov: ShiftOverride) -> tuple[int, int]:
        """(0, rotation position) or (1, custom shift position) of override ``i``."""
        where = f"render: override {i + 1}"
        if ov.rotation is not None:
            return (0, _position(self.schedule.rotations, ov.rotation, where, "rotation"))
        assert ov.custom_shift is not None
        return (1, _position(self.schedule.custom_shifts, ov.custom_shift, where, "custom shift"))

    # --- pieces

    def rotation_pieces(self, ri: int, lo: int, hi: int) -> list[SPiece]:
        """What rotation ``ri`` alone produces meeting ``[lo, hi)``, before overrides."""
        out: list[SPiece] = []
        repeat = itertools.repeat
        for ei, plan in enumerate(self.plans[ri]):
            starts, ends, ks = plan.pieces(lo, hi)
            if not starts or not plan.members:
                continue
            src = self.source((0, ri, ei, 0))
            if plan.every:
                for member in plan.members:
                    out.extend(zip(starts, ends, repeat(member), repeat(src)))
                continue
            out.extend(zip(starts, ends, plan.holders_of(ks), repeat(src)))
        return out

    def custom_pieces(self, ci: int, lo: int, hi: int) -> list[SPiece]:
        shift = self.schedule.custom_shifts[ci]
        s, e = to_seconds(shift.start), to_seconds(shift.end)
        if s < hi and e > lo:
            return [(s, e, self.uid(shift.member), self.source((1, ci, 0, 0)))]
        return []

    def run(self, lo: int, hi: int) -> tuple[list[list[SPiece]], list[SPiece]]:
        """The pieces meeting ``[lo, hi)`` before overrides: per rotation, and of custom shifts."""
        rotations = [self.rotation_pieces(ri, lo, hi) for ri in range(len(self.plans))]
        customs = [
            piece
            for ci in range(len(self.schedule.custom_shifts))
            for piece in self.custom_pieces(ci, lo, hi)
        ]
        return rotations, customs

    def check_overrides(self) -> None:
        """Refuse an override whose member has no shift of its source in its time (U13)."""
        if self.options.unmatched_overrides != "error":
            return
        for i, (ov, (kind, pos)) in enumerate(zip(self.overrides, self.targets, strict=True)):
            s, e = to_seconds(ov.start), to_seconds(ov.end)
            pieces = self.rotation_pieces(pos, s, e) if kind == 0 else self.custom_pieces(pos, s, e)
            wanted = self.uid(ov.overridden_member)
            if not any(m == wanted for _, _, m, _ in pieces):
                what = f"rotation {pos + 1}" if kind == 0 else f"custom shift {pos + 1}"
                who = getattr(ov.overridden_member, "name", "EMPTY_MEMBER")
                raise ValidationError(
                    f"render: override {i + 1} ({from_seconds(s).isoformat()} to "
                    f"{from_seconds(e).isoformat()}): overridden_member {who} has no shift of "
                    f"{what} in that time; check the member and the rotation, or pass "
                    "ShiftRenderOptions(unmatched_overrides='ignore')"
                )

    def apply_overrides(
        self, rotations: list[list[SPiece]], customs: list[SPiece]
    ) -> tuple[list[list[SPiece]], list[SPiece], list[SPiece]]:
        """Split the targeted pieces: the part an override covers goes to its overriding member
        with an override source; where overrides of one member of one source overlap, the later
        one in the list wins."""
        if not self.overrides:
            return rotations, customs, []
        groups: dict[tuple[int, int, int], list[tuple[int, int, int]]] = {}
        for i, (ov, (kind, pos)) in enumerate(zip(self.overrides, self.targets, strict=True)):
            key = (kind, pos, self.uid(ov.overridden_member))
            groups.setdefault(key, []).append((to_seconds(ov.start), to_seconds(ov.end), i))
        spans = {key: _latest_wins(pieces) for key, pieces in groups.items()}
        replaced: list[SPiece] = []

        def split(pieces: list[SPiece], kind: int, pos_of: Any) -> list[SPiece]:
            kept: list[SPiece] = []
            for piece in pieces:
                s, e, member, src = piece
                cover = spans.get((kind, pos_of(src), member))
                if not cover:
                    kept.append(piece)
                    continue
                cur = s
                for cs, ce, oi in cover:
                    if ce <= cur or cs >= e:
                        continue
                    if cs > cur:
                        kept.append((cur, cs, member, src))
                    a, b = max(cs, cur), min(ce, e)
                    by = self.uid(self.overrides[oi].overriding_member)
                    replaced.append((a, b, by, self._override_source(oi, src)))
                    cur = b
                if cur < e:
                    kept.append((cur, e, member, src))
            return kept

        keys = self._source_keys
        rotations = [split(p, 0, lambda src: keys[src][1]) for p in rotations]
        customs = split(customs, 1, lambda src: keys[src][1])
        return rotations, customs, replaced

    def _override_source(self, oi: int, src: int) -> int:
        kind, a, b, _ = self._source_keys[src]
        return self.source((2, oi, a, b) if kind == 0 else (3, oi, a, 0))


def _position(items: Sequence[Any], wanted: Any, where: str, what: str) -> int:
    """The position of ``wanted`` in ``items``: the same object first, else an equal one."""
    for i, item in enumerate(items):
        if item is wanted:
            return i
    for i, item in enumerate(items):
        if item == wanted:
            return i
    raise ValidationError(f"{where}: its {what} is not one of the schedule's {what}s")


def _check_shift_overrides(overrides: object, where: str) -> tuple[ShiftOverride, ...]:
    from oncall_planner.model import Override

    if not isinstance(overrides, (str, bytes)) and isinstance(overrides, Iterable):
        overrides = tuple(overrides)
        for ov in overrides:
            if isinstance(ov, Override):
                raise ValidationError(
                    f"{where}: an Override goes with a layer-based Schedule; a ShiftSchedule "
                    "takes ShiftOverride objects (scoped to a rotation or a custom shift)"
                )
    return sequence_of(overrides, ShiftOverride, where, "overrides")


def _coalesce_by_source(pieces: list[SPiece]) -> list[SPiece]:
    """Touching pieces of one member from one source joined (``merge_adjacent``)."""
    out: list[SPiece] = []
    last: dict[tuple[int, int], int] = {}
    for piece in sorted(pieces, key=lambda p: (p[2], p[3], p[0], p[1])):
        key = (piece[2], piece[3])
        i = last.get(key)
        if i is not None and out[i][1] == piece[0]:
            out[i] = (out[i][0], piece[1], piece[2], piece[3])
        else:
            last[key] = len(out)
            out.append(piece)
    return out


def _people_key(source: Source, rank: int) -> tuple[int, int, int]:
    """Schedule order of a person on call: rotations (overrides count as theirs), then custom
    shifts, then the person's place in the schedule."""
    if source.rotation is not None:
        return (0, source.rotation, rank)
    return (1, source.custom_shift or 0, rank)


class _ShiftParts(_Parts):
    """The per-rotation views of a shift-based render, and its gaps, built on first use."""

    def __init__(
        self,
        make: Any,
        rotations: list[list[SPiece]],
        visible: list[list[SPiece]],
        overrides: list[SPiece],
        ranks: dict[User, int],
        covering: tuple[Sequence[int], Sequence[int], int, int],
    ) -> None:
        super().__init__()
        self.make = make
        self._rotations = rotations
        self._visible = visible
        self._overrides = overrides
        self._ranks = ranks
        self._covering = covering

    def gaps(self) -> tuple[tuple[Interval, ...], float]:
        if self._gaps is None:
            starts, ends, lo, hi = self._covering
            gaps, uncovered = _gaps(starts, ends, lo, hi)
            self._gaps = (gaps, (hi - lo - uncovered) / (hi - lo))
        return self._gaps

    def people_order(self, entry: Entry) -> tuple[int, ...]:
        assert entry.source is not None
        return _people_key(entry.source, self._ranks[entry.user])

    def layers(self, entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], ...]:
        return tuple(self.make(p) for p in self._rotations)

    def visible(self, entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], ...]:
        return tuple(self.make(p) for p in self._visible)

    def overrides(self, entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
        return tuple(self.make(self._overrides))


def _compute(
    schedule: ShiftSchedule,
    lo: int,
    hi: int,
    overrides: tuple[ShiftOverride, ...],
    options: ShiftRenderOptions,
) -> tuple[_Render, list[list[SPiece]], list[list[SPiece]], list[SPiece], list[SPiece]]:
    """The pieces of one render: per rotation before and after overrides, custom shifts (after
    overrides) and the overrides' own pieces; cut to ``[lo, hi)`` unless ``options.overflow``."""
    job = _Render(schedule, overrides, options)
    job.check_overrides()
    rotations, customs = job.run(lo, hi)
    visible, customs, replaced = job.apply_overrides(rotations, customs)
    # With overflow, a shift crossing the window stays whole, but a piece an override split
    # off it that lies wholly outside the window is not listed.
    cut = _cutter(lo, hi, whole=options.overflow)
    unchanged = visible is rotations  # no overrides: one list serves both
    rotations = [cut(p) for p in rotations]
    visible = rotations if unchanged else [cut(p) for p in visible]
    customs, replaced = cut(customs), cut(replaced)
    return job, rotations, visible, customs, replaced


_START = operator.itemgetter(0)
_END = operator.itemgetter(1)


def _cutter(lo: int, hi: int, *, whole: bool = False) -> Any:
    def cut(pieces: list[SPiece]) -> list[SPiece]:
        if not pieces or (min(map(_START, pieces)) >= lo and max(map(_END, pieces)) <= hi):
            return pieces  # all inside the window (checked in C)
        if whole:
            return [p for p in pieces if p[0] < hi and p[1] > lo and p[0] < p[1]]
        return [
            (s if s > lo else lo, e if e < hi else hi, m, src)
            for s, e, m, src in pieces
            if s < hi and e > lo and s < e
        ]

    return cut


def render_shift_schedule(
    schedule: ShiftSchedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides: Iterable[Any],
    options: ShiftRenderOptions,
) -> FinalSchedule:
    """:func:`oncall_planner.render.render` for a shift-based schedule."""
    lo, hi = _check_window(since, until)
    overrides_ = _check_shift_overrides(overrides, "render")
    job, rotations, visible, customs, replaced = _compute(schedule, lo, hi, overrides_, options)

    ranks = _source_ranks(job)
    users, sources = job.users, job.sources
    repeat = itertools.repeat

    def order(pieces: list[SPiece]) -> list[tuple[int, int, int, int, int]]:
        """Sorted as entries list them: by start, end, source, person; as (start, end, rank,
        member, source), sorted natively rather than through a key function."""
        if options.merge_adjacent:
            pieces = _coalesce_by_source(pieces)
        if not pieces:
            return []
        starts, ends, members, srcs = zip(*pieces, strict=True)
        return sorted(zip(starts, ends, map(ranks.__getitem__, srcs), members, srcs))

    def make(pieces: list[SPiece]) -> tuple[Entry, ...]:
        return _shift_entries(order(pieces), users, sources)

    final = order([p for v in visible for p in v] + customs + replaced)
    entries = _shift_entries(final, users, sources)
    vacancies = tuple(
        Vacancy(from_seconds(s), from_seconds(e), sources[src])
        for s, e, _, m, src in final
        if m == EMPTY
    )
    if final:
        starts, ends, _, members, _ = zip(*final, strict=True)
        if not options.empty_covers and EMPTY in members:
            held = list(map(operator.ne, members, repeat(EMPTY)))
            starts = tuple(itertools.compress(starts, held))
            ends = tuple(itertools.compress(ends, held))
    else:
        starts = ends = ()
    return FinalSchedule(
        schedule=schedule,
        since=since,
        until=until,
        mode="wall",
        entries=entries,
        parts=_ShiftParts(
            make,
            rotations,
            visible,
            replaced,
            {u: i for i, u in enumerate(job.users)},
            (starts, ends, lo, hi),
        ),
        vacancies=vacancies,
        concurrent=True,
        options=options,
    )


def _instants(values: Sequence[int]) -> list[dt.datetime]:
    """The datetimes of ascending POSIX seconds: each the one before it plus a cached timedelta
    (as the layer renderer makes them), a quarter of the cost of ``fromtimestamp``."""
    if not values:
        return []
    try:
        return list(
            itertools.accumulate(
                map(_Timedeltas().__getitem__, map(operator.sub, values[1:], values)),
                operator.add,
                initial=from_seconds(values[0]),
            )
        )
    except (OverflowError, OSError, ValueError):  # beyond what datetime holds
        return [from_seconds(v) for v in values]


def _ends(
    starts: Sequence[int], ends: Sequence[int], start_times: list[dt.datetime]
) -> list[dt.datetime]:
    """The datetimes of ``ends``: each its start's plus the (cached) length."""
    try:
        return list(
            map(
                operator.add,
                start_times,
                map(_Timedeltas().__getitem__, map(operator.sub, ends, starts)),
            )
        )
    except (OverflowError, OSError, ValueError):
        return [from_seconds(v) for v in ends]


def _shift_entries(
    final: list[tuple[int, int, int, int, int]], users: Sequence[User], sources: Sequence[Source]
) -> tuple[Entry, ...]:
    """Sorted pieces (start, end, rank, member, source) as entries; empty slots left out."""
    if not final:
        return ()
    starts, ends, _, members, srcs = zip(*final, strict=True)
    if EMPTY in members:
        held = list(map(operator.ne, members, itertools.repeat(EMPTY)))
        starts, ends, members, srcs = (
            tuple(itertools.compress(column, held)) for column in (starts, ends, members, srcs)
        )
    start_times = _instants(starts)
    return tuple(
        map(
            _tuple_new,
            itertools.repeat(Entry),
            zip(
                start_times,
                _ends(starts, ends, start_times),
                map(users.__getitem__, members),
                map(sources.__getitem__, srcs),
            ),
        )
    )


def _gaps(
    starts: Sequence[int], ends: Sequence[int], lo: int, hi: int
) -> tuple[tuple[Interval, ...], int]:
    """The stretches of ``[lo, hi)`` that no piece (sorted by start) covers, and their seconds.
    The end of the covered time so far is a running maximum (``accumulate``); a piece that
    starts after it leaves a gap."""
    if not starts:
        return (_new_interval(from_seconds(lo), from_seconds(hi)),), hi - lo
    covered_to = list(itertools.accumulate(ends, max))
    after = list(map(operator.gt, starts[1:], covered_to))  # a gap before piece i + 1
    gap_starts = [lo, *itertools.compress(covered_to, after), covered_to[-1]]
    gap_ends = [starts[0], *itertools.compress(starts[1:], after), hi]
    # Pieces may cross the window's ends (``overflow``): keep the gaps' parts inside it.
    gap_starts = [a if a > lo else lo for a in gap_starts]
    gap_ends = [b if b < hi else hi for b in gap_ends]
    kept = list(map(operator.lt, gap_starts, gap_ends))
    if not all(kept):
        gap_starts = list(itertools.compress(gap_starts, kept))
        gap_ends = list(itertools.compress(gap_ends, kept))
    gaps = tuple(
        map(
            _tuple_new,
            itertools.repeat(Interval),
            zip(_instants(gap_starts), _instants(gap_ends)),
        )
    )
    return gaps, sum(gap_ends) - sum(gap_starts)


def _source_ranks(job: _Render) -> list[int]:
    """Each source id's place in the order entries list sources: rotations (in schedule order,
    events in rotation order), custom shifts, then overrides in list order."""
    keys = job._source_keys
    order = sorted(range(len(keys)), key=lambda i: keys[i])
    ranks = [0] * len(keys)
    for rank, i in enumerate(order):
        ranks[i] = rank
    return ranks


def people_at(
    schedule: ShiftSchedule,
    t: int,
    overrides: Iterable[Any],
    options: ShiftRenderOptions,
) -> tuple[User, ...]:
    """Everyone on call at the instant ``t`` (POSIX seconds), in the order of their entries."""
    overrides_ = _check_shift_overrides(overrides, "people_on_call_at")
    job, _, visible, customs, replaced = _compute(schedule, t, t + 1, overrides_, options)
    found = sorted(
        _people_key(job.sources[src], member)
        for s, e, member, src in [*(q for v in visible for q in v), *customs, *replaced]
        if s <= t < e and member != EMPTY
    )
    people: dict[User, None] = {}
    for *_, member in found:
        people.setdefault(job.users[member])
    return tuple(people)


__all__ = ["people_at", "render_shift_schedule"]
