"""The renderer: who is on call on a schedule, layer by layer and in the final schedule.

:func:`render` takes both kinds of schedule and returns a :class:`FinalSchedule` either way: a
layer-based :class:`~oncall_planner.model.Schedule` is rendered here, a shift-based
:class:`~oncall_planner.model.ShiftSchedule` by :mod:`oncall_planner.render_shift`
(docs/schedulev2.md). A consumer reads both the same way (docs/architecture.md says how).

The layer semantics (docs/semantics.md) in one paragraph: turn ``k`` of a layer covers
``[b_k, b_(k+1))`` and belongs to ``users[k mod n]``; in ``"wall"`` mode ``b_k`` is the local time
``local(rotation_virtual_start) + k * turn_length`` in the schedule's zone, in ``"elapsed"`` mode it is
``rotation_virtual_start + k * turn_length``. Restrictions mask turns without pausing them. Later
layers win over earlier ones, overrides win over every layer, and a later override wins over an
earlier one. Intervals are half-open.

Internally every instant is an ``int`` of POSIX seconds; datetimes appear only at the edges.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import gc
import heapq
import itertools
import math
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, NamedTuple

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import (
    Layer,
    OnCallPlan,
    Override,
    Restriction,
    Schedule,
    ShiftOverride,
    ShiftSchedule,
    User,
)
from oncall_planner.model.inputs import sequence_of
from oncall_planner.timeutil import (
    DAY,
    RENDER_YEARS,
    WEEK,
    ZoneClock,
    check_aware,
    check_instant,
    check_time_zone,
    clock,
    from_seconds,
    is_aware,
    iso_weekday,
    to_seconds,
)

Mode = Literal["wall", "elapsed"]
_MODES = ("wall", "elapsed")

# A piece of on-call time: (start, end, user id) in POSIX seconds.
Piece = tuple[int, int, int]
# Pieces as three parallel lists (starts, ends, user ids): the hot path works on whole lists.
Columns = tuple[list[int], list[int], list[int]]
Span = tuple[int, int]


SourceKind = Literal["rotation", "custom_shift", "rotation_override", "custom_shift_override"]


@attrs.frozen
class Source:
    """Where an entry of a shift-based schedule comes from (PagerDuty's ``source``).

    ``kind`` is ``"rotation"`` (an occurrence of ``event`` of ``rotation``), ``"custom_shift"``,
    ``"rotation_override"`` (an override, number ``override`` in the list given to
    :func:`render`, on a shift of ``rotation``/``event``) or ``"custom_shift_override"``. Positions
    count from 0 in the schedule's lists; ``label`` says the same in words (it does not take part
    in comparisons).
    """

    kind: SourceKind
    rotation: int | None = None
    event: int | None = None
    custom_shift: int | None = None
    override: int | None = None
    label: str = attrs.field(default="", eq=False)

    def __str__(self) -> str:
        return self.label or self.kind


class Entry(NamedTuple):
    """One stretch ``[start, end)`` of one person on call. Instants are aware UTC datetimes.

    ``source`` says where an entry of a shift-based schedule comes from; it is ``None`` for a
    layer-based schedule, whose entries merge what layers and overrides give one person.

    An entry is a named tuple: read it by name (``entry.start``, ``entry.user``) or unpack it
    (``start, end, user, source = entry``). It is immutable, compares and hashes by value, and
    costs a renderer little to build (docs/architecture.md, "Speed").
    """

    start: dt.datetime
    end: dt.datetime
    user: User
    source: Source | None = None

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    def contains(self, at: dt.datetime) -> bool:
        return self.start <= at < self.end


class Interval(NamedTuple):
    """A half-open stretch of time ``[start, end)``, e.g. a gap with nobody on call.

    A named tuple, like :class:`Entry`: read by name or unpack (``start, end = interval``).
    """

    start: dt.datetime
    end: dt.datetime

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start


@attrs.frozen
class Vacancy:
    """A stretch ``[start, end)`` in which a shift-based schedule's slot is held by
    :data:`~oncall_planner.model.EMPTY_MEMBER`: PagerDuty lists it, but nobody is on call."""

    start: dt.datetime
    end: dt.datetime
    source: Source

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start


def _choice(*values: str) -> Any:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value not in values:
            raise ValidationError(
                f"ShiftRenderOptions: {attribute.name} must be one of "
                f"{', '.join(repr(v) for v in values)}, got {value!r}"
            )

    return check


def _flag(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise ValidationError(
            f"ShiftRenderOptions: {attribute.name} must be True or False, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class ShiftRenderOptions:
    """The choices PagerDuty does not document for rendering shift-based schedules.

    Each default is the reference rendering model's (docs/schedulev2.md says why, and how to
    settle a question on your own account); the register number is the reference's §7.

    - ``expand_in`` (U1): ``"event_zone"`` repeats the recurrence on the wall clock of the event's
      zone; ``"utc"`` on the UTC clock.
    - ``duration`` (U2): ``"exact"`` makes every occurrence last ``end_time - start_time`` of real
      time; ``"wallclock"`` keeps the first occurrence's local end time.
    - ``unsynced_start`` (U3): a ``start_time`` the rule does not match is an occurrence anyway
      (``"rfc5545"``) or not (``"dateutil"``).
    - ``member_anchor`` (U4): rotating members count occurrences from the event's ``start_time``
      (``"start_time"``), from its first shift in its effective range (``"effective_since"``),
      or with one count carried across the rotation's events (``"rotation"``).
    - ``excluded_dates`` (U5): an EXDATE occurrence does not take a turn (``"not_counted"``) or
      takes one that nobody covers (``"counted"``).
    - ``effective_bounds`` (U6): an occurrence across ``effective_since``/``effective_until`` is
      cut at the bound (``"clip"``), kept whole if it starts inside (``"by_start"``), or kept only
      if it lies wholly inside (``"drop"``).
    - ``merge_adjacent`` (U7): join touching entries of one person from one source.
    - ``empty_covers`` (U8): time held only by an empty slot counts as covered (not a gap).
    - ``overflow`` (U11): keep entries that cross the window's ends whole instead of cutting them.
    - ``unmatched_overrides`` (U13): an override whose ``overridden_member`` has no shift of its
      rotation or custom shift in the override's time is an ``"error"``, or is ignored
      (``"ignore"``).
    """

    expand_in: Literal["event_zone", "utc"] = attrs.field(
        default="event_zone", validator=_choice("event_zone", "utc")
    )
    duration: Literal["exact", "wallclock"] = attrs.field(
        default="exact", validator=_choice("exact", "wallclock")
    )
    unsynced_start: Literal["rfc5545", "dateutil"] = attrs.field(
        default="rfc5545", validator=_choice("rfc5545", "dateutil")
    )
    member_anchor: Literal["start_time", "effective_since", "rotation"] = attrs.field(
        default="start_time", validator=_choice("start_time", "effective_since", "rotation")
    )
    excluded_dates: Literal["not_counted", "counted"] = attrs.field(
        default="not_counted", validator=_choice("not_counted", "counted")
    )
    effective_bounds: Literal["clip", "by_start", "drop"] = attrs.field(
        default="clip", validator=_choice("clip", "by_start", "drop")
    )
    merge_adjacent: bool = attrs.field(default=False, validator=_flag)
    empty_covers: bool = attrs.field(default=False, validator=_flag)
    overflow: bool = attrs.field(default=False, validator=_flag)
    unmatched_overrides: Literal["error", "ignore"] = attrs.field(
        default="error", validator=_choice("error", "ignore")
    )


class _Parts:
    """What :attr:`FinalSchedule.layers`, ``.visible``, ``.overrides`` (and, for shift-based
    schedules, ``.gaps`` and ``.coverage``) are built from, on first use: most callers only read
    ``entries``, and building Entry objects is most of the cost of rendering."""

    def __init__(self, gaps: tuple[tuple[Interval, ...], float] | None = None) -> None:
        self._gaps = gaps

    def gaps(self) -> tuple[tuple[Interval, ...], float]:
        """The gaps and the share of the window covered."""
        assert self._gaps is not None
        return self._gaps

    def layers(self, entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], ...]:
        raise NotImplementedError

    def visible(self, entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], ...]:
        raise NotImplementedError

    def overrides(self, entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
        raise NotImplementedError

    def people_order(self, entry: Entry) -> tuple[int, ...]:
        """Where ``entry``'s person goes among several on call at once."""
        return ()


class _LayerJob:
    """What a layer-based render works from: the schedule, its clock, the window and a number for
    each person (``ids[i]`` for the users of layer ``i``). The per-layer pieces are computed from
    it when asked, so a kept result does not keep them (they were half its memory)."""

    def __init__(
        self,
        schedule: Schedule,
        zclock: ZoneClock,
        mode: str,
        lo: int,
        hi: int,
        ids: list[list[int]],
    ) -> None:
        self.schedule = schedule
        self.zclock = zclock
        self.mode = mode
        self.lo = lo
        self.hi = hi
        self.ids = ids

    def layers(self) -> list[_Layer]:
        zclock, mode, lo, hi = self.zclock, self.mode, self.lo, self.hi
        return [
            _Layer(layer, zclock, mode, lo, hi, ids)
            for layer, ids in zip(self.schedule.layers, self.ids, strict=True)
        ]


class _LayerParts(_Parts):
    def __init__(
        self,
        job: _LayerJob,
        users: tuple[User, ...],
        override_pieces: tuple[Piece, ...],
        gaps: tuple[tuple[Interval, ...], float],
    ) -> None:
        super().__init__(gaps)
        self.job = job
        self.users = users
        self.override_pieces = override_pieces

    def layers(self, entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], ...]:
        shared = _Shared(entries)
        return tuple(shared.entries_of(layer.pieces(), self.users) for layer in self.job.layers())

    def visible(self, entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], ...]:
        shared = _Shared(entries)
        visible = _visible(self.job.layers(), self.override_pieces, self.job.lo, self.job.hi)
        return tuple(shared.entries_of(p, self.users) for p in visible)

    def overrides(self, entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
        return _Shared(entries).entries_of(_columns(self.override_pieces), self.users)


@attrs.frozen
class FinalSchedule:
    """What :func:`render` returns for one schedule over ``[since, until)``.

    - ``entries``: the final schedule, sorted by start. For a layer-based schedule they are
      disjoint and adjacent entries of one user are merged. For a shift-based one
      (``concurrent`` is true) they may overlap (several people on call at once) and each says
      where it comes from (``entry.source``);
    - ``layers``: what each layer (each rotation) would produce on its own, in order;
    - ``visible``: the part of each layer (each rotation) that shows in the final schedule (not
      hidden by a later layer or replaced by an override), in order;
    - ``overrides``: the part of the overrides that shows in the final schedule;
    - ``vacancies``: a shift-based schedule's time held by an empty slot (nobody on call);
    - ``gaps``: the stretches with nobody on call; ``coverage``: the share of the window covered.

    ``layers``, ``visible``, ``overrides`` (and a shift-based schedule's ``gaps`` and
    ``coverage``) are worked out on first use and kept.
    """

    schedule: Schedule | ShiftSchedule
    since: dt.datetime
    until: dt.datetime
    mode: str
    entries: tuple[Entry, ...]
    _parts: _Parts = attrs.field(repr=False, eq=False)
    vacancies: tuple[Vacancy, ...] = ()
    concurrent: bool = False
    options: ShiftRenderOptions | None = None

    @functools.cached_property
    def gaps(self) -> tuple[Interval, ...]:
        """The stretches of the window with nobody on call."""
        return self._parts.gaps()[0]

    @functools.cached_property
    def coverage(self) -> float:
        """The share of the window with someone on call."""
        return self._parts.gaps()[1]

    @functools.cached_property
    def layers(self) -> tuple[tuple[Entry, ...], ...]:
        """What each layer (each rotation) would produce on its own, in order."""
        return self._parts.layers(self.entries)

    @functools.cached_property
    def visible(self) -> tuple[tuple[Entry, ...], ...]:
        """The part of each layer (each rotation) that shows in the final schedule, in order."""
        return self._parts.visible(self.entries)

    @functools.cached_property
    def overrides(self) -> tuple[Entry, ...]:
        """The part of the overrides that shows in the final schedule."""
        return self._parts.overrides(self.entries)

    @functools.cached_property
    def _starts(self) -> list[int]:
        return [to_seconds(e.start) for e in self.entries]

    @functools.cached_property
    def _longest(self) -> int:
        return max((to_seconds(e.end) - s for e, s in zip(self.entries, self._starts)), default=0)

    def people_on_call_at(self, at: dt.datetime) -> tuple[User, ...]:
        """Everyone the final schedule has on call at ``at`` (inside the rendered window), each
        once; empty in a gap. Several people come in schedule order: by rotation (an override
        counts as its rotation), then custom shifts, then in the order the schedule names them."""
        if not isinstance(at, dt.datetime) or not is_aware(at):
            raise ValidationError(
                f"FinalSchedule.people_on_call_at: at must be a timezone-aware datetime, got {at!r}"
            )
        if not self.concurrent:
            user = self.on_call_at(at)
            return () if user is None else (user,)
        t = to_seconds(at)
        starts, entries = self._starts, self.entries
        i = bisect.bisect_right(starts, t) - 1
        found: list[int] = []
        while i >= 0 and starts[i] > t - self._longest - 1:
            if at < entries[i].end:
                found.append(i)
            i -= 1
        people: dict[User, None] = {}
        for j in sorted(found, key=lambda j: (self._parts.people_order(entries[j]), j)):
            people.setdefault(entries[j].user)
        return tuple(people)

    def on_call_at(self, at: dt.datetime) -> User | None:
        """Who the final schedule has on call at ``at`` (inside the rendered window).

        Where several people are on call (a shift-based schedule), the first of
        :meth:`people_on_call_at`: code that may meet such a schedule should ask for everyone.
        """
        if not isinstance(at, dt.datetime) or not is_aware(at):
            raise ValidationError(
                f"FinalSchedule.on_call_at: at must be a timezone-aware datetime, got {at!r}"
            )
        if self.concurrent:
            people = self.people_on_call_at(at)
            return people[0] if people else None
        i = bisect.bisect_right(self.entries, at, key=lambda entry: entry.start) - 1
        if i >= 0 and at < self.entries[i].end:
            return self.entries[i].user
        return None

    def hours_by_user(self) -> dict[User, float]:
        """Hours on call per user in the final schedule, in order of first appearance. Time a
        person holds twice at once (two overlapping entries) counts once."""
        if self.concurrent:
            spans: dict[User, list[Span]] = {}
            for entry, start in zip(self.entries, self._starts):
                spans.setdefault(entry.user, []).append((start, to_seconds(entry.end)))
            return {user: sum(e - s for s, e in _union(v, ())) / 3600 for user, v in spans.items()}
        hours: dict[User, float] = {}
        for entry in self.entries:
            hours[entry.user] = hours.get(entry.user, 0.0) + entry.duration.total_seconds() / 3600
        return hours


_tuple_new = tuple.__new__


def _new_interval(start: dt.datetime, end: dt.datetime) -> Interval:
    """``Interval(start, end)`` without the named tuple's Python-level ``__new__``."""
    return _tuple_new(Interval, (start, end))


class _Shared:
    """What a per-layer view shares with the final schedule it was rendered with: the datetimes
    (from the table of :func:`_datetimes`) and the Entry itself where a layer's piece is a final
    entry unchanged (two in three are, in a typical schedule), so that a kept result with its
    ``layers`` holds each once."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries: dict[tuple[int, int, int], Entry] = dict(
            zip(
                zip(
                    map(id, map(_start_of, entries)),
                    map(id, map(_end_of, entries)),
                    map(id, map(_user_of, entries)),
                ),
                entries,
            )
        )

    def entries_of(self, pieces: Columns, users: Sequence[User]) -> tuple[Entry, ...]:
        """Pieces as Entry objects, sharing datetimes and entries with the final schedule."""
        starts, ends, who = pieces
        start_times = _datetimes(starts)
        end_times = _datetimes(ends)
        people = list(map(users.__getitem__, who))
        found = map(
            self.entries.get, zip(map(id, start_times), map(id, end_times), map(id, people))
        )
        return tuple(
            [
                entry if entry is not None else _tuple_new(Entry, (s, e, u, None))
                for entry, s, e, u in zip(found, start_times, end_times, people)
            ]
        )


_start_of = operator.itemgetter(0)
_end_of = operator.itemgetter(1)
_user_of = operator.itemgetter(2)


def _seconds(values: Iterable[dt.datetime]) -> Iterator[int]:
    """``to_seconds`` of the renderer's own aware datetimes (whole seconds), in C."""
    return map(int, map(dt.datetime.timestamp, values))


def _datetimes(values: Sequence[int]) -> list[dt.datetime]:
    """The aware UTC datetimes of POSIX seconds, one object per instant for every render.

    Schedules of one organisation share most instants (handoffs on the hour in a few offsets):
    1,000 schedules over a year hold about 1.2 million instants but only about 22,000 distinct
    ones. A table of the datetimes made so far (:data:`_INSTANTS`, emptied when it grows past
    :data:`_INSTANTS_MAX`) gives each render the objects it already holds, so kept results share
    them, and a look-up costs less than making one. The missing ones are made in ascending order,
    each the one before it plus a cached timedelta (a quarter of the cost of ``fromtimestamp``).
    """
    table = _INSTANTS
    got = list(map(table.get, values))
    if all(got):  # datetimes are always true: none is missing
        return got  # type: ignore[return-value]
    missing = sorted(set(itertools.compress(values, map(operator.is_, got, _NONES))))
    try:
        made = list(
            itertools.accumulate(
                map(_Timedeltas().__getitem__, map(operator.sub, missing[1:], missing)),
                operator.add,
                initial=_fromtimestamp(missing[0], dt.timezone.utc),
            )
        )
    except (OverflowError, OSError, ValueError):  # outside the platform's time_t or datetime
        made = [from_seconds(t) for t in missing]
    fill = dict(zip(missing, made))
    if len(table) + len(fill) > _INSTANTS_MAX:
        table.clear()
    if len(fill) <= _INSTANTS_MAX:
        table.update(fill)
    return list(map(fill.get, values, got))  # type: ignore[arg-type]  # a None is in fill


# The datetimes made so far by POSIX seconds (see _datetimes): at most about 4 MB.
_INSTANTS: dict[int, dt.datetime] = {}
_INSTANTS_MAX = 1 << 15
_NONES = itertools.repeat(None)
_fromtimestamp = dt.datetime.fromtimestamp


class _Timedeltas(dict[int, dt.timedelta]):
    """``timedelta`` objects by whole seconds, each made once (one render's lengths recur)."""

    __slots__ = ()

    def __missing__(self, seconds: int) -> dt.timedelta:
        value = self[seconds] = dt.timedelta(seconds=seconds)
        return value


def _final(
    pieces: Iterable[Piece], users: Sequence[User], lo: int, hi: int
) -> tuple[tuple[Entry, ...], tuple[Interval, ...], int]:
    """Sorted disjoint pieces as the final schedule: touching pieces of one user joined into one
    Entry, the gaps in ``[lo, hi)`` between them, and the seconds covered.

    This is the hot path of rendering, written so that the work per entry happens in C: one pass
    in Python joins pieces and lists the distinct instants in order; their datetimes come from
    :func:`_datetimes` (shared with every other render); the entries are tuples built by ``map``.
    """
    points: list[int] = []  # the distinct instants, in order
    first: list[int] = []  # where each entry's start is in ``points`` (its end is the next one)
    who: list[int] = []
    after_gap: list[int] = []  # where in ``points`` the instants that end a gap are
    add_point, add_first, add_who = points.append, first.append, who.append
    last: int | None = None
    cu = -1
    for s, e, u in pieces:
        if s == last:
            if u == cu:
                points[-1] = last = e
                continue
            add_first(len(points) - 1)
        else:
            if last is not None:
                after_gap.append(len(points))
            add_first(len(points))
            add_point(s)
        add_point(e)
        add_who(u)
        last, cu = e, u
    if not points:
        return (), (Interval(from_seconds(lo), from_seconds(hi)),), 0
    times = _datetimes(points)
    if after_gap:
        starts: Iterable[dt.datetime] = map(times.__getitem__, first)
        ends: Iterable[dt.datetime] = map(times.__getitem__, map(operator.add, first, _ONES))
    else:  # one stretch: each entry ends where the next one starts
        starts, ends = times[:-1], times[1:]
    entries = tuple(
        map(
            _tuple_new,
            itertools.repeat(Entry),
            zip(starts, ends, map(users.__getitem__, who), itertools.repeat(None)),
        )
    )
    gaps = [_new_interval(times[p - 1], times[p]) for p in after_gap]
    if points[0] > lo:
        gaps.insert(0, Interval(from_seconds(lo), times[0]))
    if points[-1] < hi:
        gaps.append(Interval(times[-1], from_seconds(hi)))
    covered = hi - lo - sum(to_seconds(g.end) - to_seconds(g.start) for g in gaps)
    return entries, tuple(gaps), covered


_ONES = itertools.repeat(1)


#: The periodic path repeats a period of at most this long (four years; a longer one is rare and
#: the window would have to be twice as long for it to be worth it).
_PERIOD_MAX = 4 * 365 * DAY


def _period(schedule: Schedule) -> int:
    """The period of the layered schedule on the local clock, in seconds: every layer repeats
    after ``len(users) * turn_length``, daily restrictions after a day, weekly ones after a
    week, so the whole schedule repeats after the least common multiple of them all."""
    period = 1
    for layer in schedule.layers:
        period = math.lcm(period, len(layer.users) * int(layer.turn_length.total_seconds()))
        for r in layer.restrictions:
            period = math.lcm(period, DAY if r.kind == "daily" else WEEK)
    return period


def _local_windows(restrictions: Sequence[Restriction], lo: int, hi: int) -> Spans:
    """:func:`_windows` on the local clock: ``lo`` and ``hi`` are local seconds and so are the
    windows (no zone: a window is its local start to its local start plus its duration)."""
    starts: list[int] = []
    ends: list[int] = []
    for local_starts, local_ends in _local_ranges(
        restrictions, (lo - 8 * DAY) // DAY, hi // DAY + 1
    ):
        starts += local_starts
        ends += local_ends
    return _spans(sorted(zip(starts, ends)), lo, hi)


def _local_layer(layer: Layer, zclock: ZoneClock, lo: int, hi: int, ids: Sequence[int]) -> _Layer:
    """A :class:`_Layer` over ``[lo, hi)`` on the local clock of ``zclock`` ("wall" mode, the
    layer's dates ignored): turn ``k`` is ``[anchor + k * length, anchor + (k + 1) * length)``
    in local seconds, with no zone arithmetic after the anchor's."""
    length = int(layer.turn_length.total_seconds())
    anchor = zclock.to_local(to_seconds(layer.rotation_virtual_start))
    first = (lo - anchor) // length
    last = (hi - 1 - anchor) // length
    bounds = list(range(anchor + first * length, anchor + (last + 2) * length, length))
    bounds[0], bounds[-1] = lo, hi
    out = _Layer.__new__(_Layer)
    out.lo, out.hi, out.ids, out.first, out.bounds = lo, hi, ids, first, bounds
    out.windows = _local_windows(layer.restrictions, lo, hi) if layer.restrictions else None
    n = len(ids)
    out.simple = n > 1 and not any(ids[i] == ids[i - 1] for i in range(n))
    return out


def _periodic_final(
    job: _LayerJob, users: Sequence[User]
) -> tuple[tuple[Entry, ...], tuple[Interval, ...], int] | None:
    """What :func:`_final` makes of the layers' pieces, worked out from one period on the local
    clock, or ``None`` where this does not apply (the caller then renders as usual).

    In ``"wall"`` mode every handoff and every restriction window's ends are local times mapped
    to instants by one function, ``ZoneClock.from_local``, which never decreases. Precedence,
    restriction and clipping take maxima and minima of ends, which such a function keeps, so the
    schedule rendered on the local clock and then mapped is the schedule rendered in instants.
    On the local clock it repeats with the period of :func:`_period`: this renders one period,
    repeats it across the window with list operations, maps every instant in one
    ``from_local_sorted`` and cuts the window in UTC. Where mapping makes two instants one (a
    piece or a gap that lies in a spring-forward gap), the ordinary path answers instead.

    Applies to "wall" mode without overrides, when every layer is in force over the whole
    window and the window holds two periods at least (else rendering it all is as fast).
    """
    schedule, lo, hi, zclock = job.schedule, job.lo, job.hi, job.zclock
    if job.mode != "wall":
        return None
    period = _period(schedule)
    if period > _PERIOD_MAX or 2 * period > hi - lo:
        return None
    for layer in schedule.layers:
        if to_seconds(layer.start) > lo or (layer.end is not None and to_seconds(layer.end) < hi):
            return None
    # One period on the local clock, from the window's start, joined.
    base = zclock.to_local(lo)
    layers = [
        _local_layer(layer, zclock, base, base + period, ids)
        for layer, ids in zip(schedule.layers, job.ids, strict=True)
    ]
    pieces = _coalesce(_merge(_visible(layers, (), base, base + period)))
    if not pieces:
        return (), (Interval(from_seconds(lo), from_seconds(hi)),), 0
    if len(pieces) == 1:
        if pieces[0][0] == base and pieces[0][1] == base + period:
            return None  # one person around the clock: nowhere to start a period
        pattern = pieces
    else:
        # Start the period where a piece starts that does not continue the one before it (the
        # second piece: they were joined), so no entry crosses from one period to the next; the
        # first piece moves to the end, joined to the last if they touch.
        pattern = _coalesce(
            [*pieces[1:], (pieces[0][0] + period, pieces[0][1] + period, pieces[0][2])]
        )
    # The pattern as distinct instants, where each entry starts among them, and its person.
    start = pattern[0][0]
    points: list[int] = []
    firsts: list[int] = []
    who: list[int] = []
    last = None
    for s, e, u in pattern:
        if s != last:
            points.append(s)
        firsts.append(len(points) - 1)
        points.append(e)
        who.append(u)
        last = e
    closing = points[-1] == start + period  # the last entry ends where the next period starts
    if closing:
        points.pop()
    # Repeat it over the window and a day either side (more than any change of offset) on the
    # local clock, and map every instant at once.
    k0 = (zclock.to_local(lo) - DAY - start) // period
    k1 = -((start - zclock.to_local(hi) - DAY) // period)
    count, size = k1 - k0, len(points)
    repeat, add = itertools.repeat, operator.add
    local = list(
        map(
            add,
            points * count,
            itertools.chain.from_iterable(
                map(repeat, range(k0 * period, k1 * period, period), repeat(size, count))
            ),
        )
    )
    if closing:
        local.append(start + k1 * period)
    # Two instants become one where both lie in one spring-forward gap (its end included): a
    # piece or a gap would vanish, which the repeated period does not show.
    for a, b in zclock.skipped(local[0], local[-1]):
        if bisect.bisect_right(local, b) - bisect.bisect_left(local, a) > 1:
            return None
    instants = zclock.from_local_sorted(local)
    # Entry i runs from instants[first[i]] to the next instant; keep those that meet [lo, hi).
    stretch = closing and size == len(firsts)  # no gap anywhere: first[i] is i
    if stretch:
        first: list[int] | range = range(len(instants) - 1)
    else:
        first = list(
            map(
                add,
                firsts * count,
                itertools.chain.from_iterable(
                    map(repeat, range(0, count * size, size), repeat(len(firsts), count))
                ),
            )
        )
    e0 = bisect.bisect_left(first, bisect.bisect_right(instants, lo) - 1)
    e1 = bisect.bisect_left(first, bisect.bisect_left(instants, hi))
    if e0 >= e1:
        return (), (Interval(from_seconds(lo), from_seconds(hi)),), 0
    p0 = first[e0]
    kept = instants[p0 : first[e1 - 1] + 2]
    if kept[0] < lo:
        kept[0] = lo
    if kept[-1] > hi:
        kept[-1] = hi
    times = _datetimes(kept)
    holders = ([users[u] for u in who] * (e1 // len(who) + 1))[e0:e1]
    gaps: list[Interval] = []
    gap_time = 0
    if len(kept) == e1 - e0 + 1:  # one stretch: each entry ends where the next one starts
        entries = tuple(
            map(_tuple_new, repeat(Entry), zip(times, times[1:], holders, repeat(None)))
        )
    else:
        at = first[e0:e1] if p0 == 0 else list(map(operator.sub, first[e0:e1], repeat(p0)))
        after = list(map(add, at, _ONES))
        starts = map(times.__getitem__, at)
        ends = map(times.__getitem__, after)
        entries = tuple(map(_tuple_new, repeat(Entry), zip(starts, ends, holders, repeat(None))))
        apart = list(map(operator.lt, after, at[1:]))
        gap_starts = list(itertools.compress(after, apart))
        gap_ends = list(itertools.compress(at[1:], apart))
        gaps = list(
            map(
                _new_interval,
                map(times.__getitem__, gap_starts),
                map(times.__getitem__, gap_ends),
            )
        )
        gap_time = sum(map(kept.__getitem__, gap_ends)) - sum(map(kept.__getitem__, gap_starts))
    covered = kept[-1] - kept[0] - gap_time
    if kept[0] > lo:
        gaps.insert(0, Interval(from_seconds(lo), times[0]))
    if kept[-1] < hi:
        gaps.append(Interval(times[-1], from_seconds(hi)))
    return entries, tuple(gaps), covered


class _Rotation:
    """Turn arithmetic of one layer in one mode: boundaries ``b_k`` and the turn holding an instant."""

    def __init__(self, layer: Layer, zclock: ZoneClock, mode: str) -> None:
        self.length = int(layer.turn_length.total_seconds())
        self.anchor = to_seconds(layer.rotation_virtual_start)
        self.clock = zclock
        self.wall = mode == "wall"
        self.local_anchor = zclock.to_local(self.anchor) if self.wall else 0

    def boundary(self, k: int) -> int:
        if self.wall:
            return self.clock.from_local(self.local_anchor + k * self.length)
        return self.anchor + k * self.length

    def boundaries(self, first: int, last: int) -> list[int]:
        """``[b_first, ..., b_last]`` in one go."""
        if self.wall:
            base, length = self.local_anchor, self.length
            return self.clock.from_local_sorted(
                list(range(base + first * length, base + (last + 1) * length, length))
            )
        base, length = self.anchor, self.length
        return list(range(base + first * length, base + (last + 1) * length, length))

    def turn_at(self, t: int) -> int:
        """The ``k`` with ``b_k <= t < b_(k+1)``."""
        if self.wall:
            k = (self.clock.to_local(t) - self.local_anchor) // self.length
        else:
            k = (t - self.anchor) // self.length
        while self.boundary(k + 1) <= t:
            k += 1
        while self.boundary(k) > t:
            k -= 1
        return k


# Spans as two parallel lists: starts and ends, sorted, disjoint and not touching. Whole lists
# go through C (``map``, ``zip``, ``bisect``) instead of a Python loop where that is possible.
Spans = tuple[list[int], list[int]]


def _local_ranges(
    restrictions: Sequence[Restriction], first_day: int, last_day: int
) -> Iterator[tuple[range, range]]:
    """Each restriction's window starts and ends on the local clock (local seconds), from the
    day ``first_day`` to the day after ``last_day``: a window starts at its local time of day
    and ends ``duration`` later on the same clock."""
    for r in restrictions:
        sod = r.start_time_of_day.hour * 3600 + r.start_time_of_day.minute * 60
        dur = int(r.duration.total_seconds())
        if r.kind == "daily":
            day, step = first_day, DAY
        else:
            assert r.start_day_of_week is not None
            day, step = first_day + (r.start_day_of_week - iso_weekday(first_day * DAY)) % 7, WEEK
        local = range(day * DAY + sod, (last_day + 1) * DAY + sod, step)
        yield local, range(local.start + dur, local.stop + dur, step)


def _windows(restrictions: Sequence[Restriction], zclock: ZoneClock, lo: int, hi: int) -> Spans:
    """:func:`restriction_windows` as parallel lists of starts and ends."""
    first_day = (zclock.to_local(lo) - 8 * DAY) // DAY
    last_day = (zclock.to_local(hi) + DAY) // DAY
    starts: list[int] = []
    ends: list[int] = []
    for local_starts, local_ends in _local_ranges(restrictions, first_day, last_day):
        starts += zclock.from_local_sorted(list(local_starts))
        ends += zclock.from_local_sorted(list(local_ends))
    if len(restrictions) > 1 or any(map(operator.ge, ends, starts[1:])):
        return _spans(sorted(zip(starts, ends)), lo, hi)
    # One restriction whose windows are apart: clip to [lo, hi) and drop empty windows.
    starts, ends = _clip_spans((starts, ends), lo, hi)
    if not all(map(operator.lt, starts, ends)):
        kept = list(map(operator.lt, starts, ends))
        starts = list(itertools.compress(starts, kept))
        ends = list(itertools.compress(ends, kept))
    return starts, ends


def _spans(pairs: Iterable[tuple[int, int]], lo: int, hi: int) -> Spans:
    """Sorted (start, end) pairs, clipped to ``[lo, hi)``, as spans (overlapping or touching
    ones joined, empty ones dropped)."""
    starts: list[int] = []
    ends: list[int] = []
    ce = lo - 1
    for s, e in pairs:
        if s < lo:
            s = lo
        if e > hi:
            e = hi
        if s >= e:
            continue
        if s <= ce:
            if e > ce:
                ends[-1] = ce = e
        else:
            starts.append(s)
            ends.append(e)
            ce = e
    return starts, ends


def restriction_windows(
    restrictions: Sequence[Restriction], zclock: ZoneClock, lo: int, hi: int
) -> list[Span]:
    """The union of the restriction windows that meet ``[lo, hi)``, clipped to it, sorted.

    Windows start at their local wall-clock time and end ``duration`` later on the wall clock.
    """
    return list(zip(*_windows(restrictions, zclock, lo, hi)))


def _clip_spans(spans: Spans, lo: int, hi: int) -> Spans:
    """The part of ``spans`` in ``[lo, hi)``."""
    starts, ends = spans
    i = bisect.bisect_right(ends, lo)
    j = bisect.bisect_left(starts, hi)
    if i == 0 and j == len(starts) and (not starts or (starts[0] >= lo and ends[-1] <= hi)):
        return spans
    starts, ends = starts[i:j], ends[i:j]
    if starts and starts[0] < lo:
        starts[0] = lo
    if ends and ends[-1] > hi:
        ends[-1] = hi
    return starts, ends


def _intersect(a: Spans, b: Spans) -> Spans:
    """The time both ``a`` and ``b`` cover."""
    a_starts, a_ends = a
    b_starts, b_ends = b
    starts: list[int] = []
    ends: list[int] = []
    i = j = 0
    na, nb = len(a_starts), len(b_starts)
    while i < na and j < nb:
        s, t = a_starts[i], b_starts[j]
        if t > s:
            s = t
        e, t = a_ends[i], b_ends[j]
        if e < t:
            i += 1
        else:
            e = t
            j += 1
        if s < e:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _minus(a: Spans, b: Spans) -> Spans:
    """The time ``a`` covers and ``b`` does not."""
    a_starts, a_ends = a
    b_starts, b_ends = b
    starts: list[int] = []
    ends: list[int] = []
    j, m = 0, len(b_starts)
    for cur, e in zip(a_starts, a_ends, strict=True):
        while j < m and b_ends[j] <= cur:
            j += 1
        k = j
        while k < m:
            bs = b_starts[k]
            if bs >= e:
                break
            if bs > cur:
                starts.append(cur)
                ends.append(bs)
            be = b_ends[k]
            if be > cur:
                cur = be
            k += 1
        if cur < e:
            starts.append(cur)
            ends.append(e)
    return starts, ends


class _Layer:
    """One layer in one render: the turns meeting its part of the window, who holds each, and the
    restriction windows (``None``: on call around the clock)."""

    def __init__(
        self, layer: Layer, zclock: ZoneClock, mode: str, lo: int, hi: int, ids: Sequence[int]
    ) -> None:
        lo = max(lo, to_seconds(layer.start))
        if layer.end is not None:
            hi = min(hi, to_seconds(layer.end))
        self.lo, self.hi = lo, hi
        self.ids = ids
        self.first = 0
        self.bounds: list[int] = []
        self.windows: Spans | None = None
        if lo >= hi:
            self.windows = ([], [])
            return
        rotation = _Rotation(layer, zclock, mode)
        self.first = first = rotation.turn_at(lo)
        last = rotation.turn_at(hi - 1)  # the turn holding the last second of the window
        bounds = rotation.boundaries(first, last + 1)
        # b_first <= lo < b_(first + 1) and b_last <= hi - 1 < b_(last + 1)
        bounds[0], bounds[-1] = lo, hi
        self.bounds = bounds
        if layer.restrictions:
            self.windows = _windows(layer.restrictions, zclock, lo, hi)
        n = len(ids)
        # Turn by turn (the general loop) when two pieces of one person could touch: one person
        # twice in a row, or a turn emptied by a spring-forward gap between two turns.
        self.simple = (
            n > 1
            and not any(ids[i] == ids[i - 1] for i in range(n))
            and all(map(operator.lt, bounds, bounds[1:]))
        )

    def cover(self) -> Spans:
        """The time the layer has someone on call."""
        if self.windows is not None:
            return self.windows
        return [self.lo], [self.hi]

    def pieces(self, within: Spans | None = None) -> Columns:
        """The layer's pieces in ``within`` (default: the whole window), merged per person."""
        if within is None:
            spans = self.cover()
        elif self.windows is None:
            spans = _clip_spans(within, self.lo, self.hi)
        else:
            spans = _intersect(within, self.windows)
        starts, ends = spans
        if not starts:
            return [], [], []
        bounds, first, ids, n = self.bounds, self.first, self.ids, len(self.ids)
        if not self.simple:
            return _columns(_layer_pieces_general(ids, first, bounds, list(zip(starts, ends))))
        # Where each span's first and last second fall: position p in bounds is the turn that
        # ends at bounds[p]. A span that crosses handoffs is cut there: the cuts start and end
        # pieces of their own, and a cut at bounds[k] starts a piece of turn k + 1.
        repeat = itertools.repeat
        turn = list(map(bisect.bisect_right, repeat(bounds), starts))
        last = list(map(bisect.bisect_left, repeat(bounds), ends))
        if turn != last:
            if len(bounds) < len(starts):  # find the cuts from the side with fewer items
                cut_at = [
                    k
                    for k, j in enumerate(map(bisect.bisect_right, repeat(starts), bounds))
                    if j and starts[j - 1] < bounds[k] < ends[j - 1]
                ]
            else:
                cut_at = [k for p, q in zip(turn, last) if p != q for k in range(p, q)]
            cuts = list(map(bounds.__getitem__, cut_at))
            starts = sorted(starts + cuts)
            ends = sorted(ends + cuts)
            turn = sorted(turn + list(map(operator.add, cut_at, repeat(1))))
        # The turn that ends at bounds[p] holds ids[(first + p - 1) % n].
        order = [ids[(first + p - 1) % n] for p in range(n)]
        holder = list(itertools.islice(itertools.cycle(order), len(bounds)))
        return starts, ends, list(map(holder.__getitem__, turn))


def _layer_pieces_general(
    ids: Sequence[int], first: int, bounds: Sequence[int], windows: Sequence[Span] | None
) -> list[Piece]:
    """:meth:`_Layer.pieces` for any rotation: turn by turn, growing a piece while the same
    person continues without a break (one person twice in a row, or a turn emptied by a
    spring-forward gap between two turns of one person)."""
    n = len(ids)
    out: list[Piece] = []
    nwin = len(windows) if windows is not None else 0
    w = 0
    # The piece being grown (cs, ce, cu): extended while the same user continues without a break.
    cs = ce = cu = -1
    have = False
    for i in range(len(bounds) - 1):
        a, b = bounds[i], bounds[i + 1]
        if a >= b:
            continue  # an empty turn (both ends in one spring-forward gap)
        user = ids[(first + i) % n]
        if windows is None:
            if have and ce == a and cu == user:
                ce = b
            else:
                if have:
                    out.append((cs, ce, cu))
                cs, ce, cu, have = a, b, user, True
            continue
        while w < nwin and windows[w][1] <= a:
            w += 1
        j = w
        while j < nwin:
            ws, we = windows[j]
            if ws >= b:
                break
            s = ws if ws > a else a
            e = we if we < b else b
            if s < e:
                if have and ce == s and cu == user:
                    ce = e
                else:
                    if have:
                        out.append((cs, ce, cu))
                    cs, ce, cu, have = s, e, user, True
            j += 1
    if have:
        out.append((cs, ce, cu))
    return out


def _union(cover: Sequence[Span], pieces: Iterable[Piece | Span]) -> list[Span]:
    """The union of ``cover`` and the spans of ``pieces`` as sorted disjoint spans."""
    spans = sorted([*cover, *pieces])  # (start, end) and (start, end, user) sort together
    merged: list[Span] = []
    if not spans:
        return merged
    cs, ce = spans[0][0], spans[0][1]
    for span in spans:
        s, e = span[0], span[1]
        if s <= ce:
            if e > ce:
                ce = e
        else:
            merged.append((cs, ce))
            cs, ce = s, e
    merged.append((cs, ce))
    return merged


def _coalesce(pieces: Iterable[Piece]) -> list[Piece]:
    """Sorted disjoint pieces with touching pieces of one user joined."""
    out: list[Piece] = []
    have = False
    cs = ce = cu = 0
    for s, e, u in pieces:
        if have and ce == s and cu == u:
            ce = e
        else:
            if have:
                out.append((cs, ce, cu))
            cs, ce, cu, have = s, e, u, True
    if have:
        out.append((cs, ce, cu))
    return out


def _latest_wins(pieces: Sequence[Piece]) -> list[Piece]:
    """Sorted disjoint pieces from possibly overlapping ``pieces``: where several overlap, the one
    latest in the list wins. One sweep over the start and end instants with a heap of the pieces
    in force (latest on top), so thousands of overrides stay fast."""
    order = sorted(range(len(pieces)), key=lambda i: pieces[i][0])
    instants = sorted({t for s, e, _ in pieces for t in (s, e)})
    heap: list[tuple[int, int, int]] = []  # (-position in the list, end, user) of pieces in force
    out: list[Piece] = []
    j, n = 0, len(order)
    for a, b in itertools.pairwise(instants):
        while j < n and pieces[order[j]][0] <= a:
            i = order[j]
            heapq.heappush(heap, (-i, pieces[i][1], pieces[i][2]))
            j += 1
        while heap and heap[0][1] <= a:  # the latest piece has ended: the one below shows
            heapq.heappop(heap)
        if heap:
            user = heap[0][2]
            if out and out[-1][1] == a and out[-1][2] == user:
                out[-1] = (out[-1][0], b, user)
            else:
                out.append((a, b, user))
    return out


def _visible(
    layers: Sequence[_Layer], override_pieces: Sequence[Piece], lo: int, hi: int
) -> list[Columns]:
    """The part of each layer that shows: the last layer wins, so walk from the top keeping the
    time nobody above has taken (``free``: the window less the overrides and the layers above)
    and take each layer's pieces in it."""
    free: Spans | None = None
    if override_pieces:
        free = _minus(
            ([lo], [hi]), ([p[0] for p in override_pieces], [p[1] for p in override_pieces])
        )
    visible: list[Columns] = [([], [], []) for _ in layers]
    for i in range(len(layers) - 1, -1, -1):
        visible[i] = layers[i].pieces(free)
        if i:
            free = (
                _complement(layers[i].cover(), lo, hi)
                if free is None
                else _minus(free, layers[i].cover())
            )
    return visible


def _columns(pieces: Sequence[Piece]) -> Columns:
    """Pieces as columns."""
    return [p[0] for p in pieces], [p[1] for p in pieces], [p[2] for p in pieces]


def _merge(parts: Sequence[Columns]) -> Iterable[Piece]:
    """The pieces of several columns (each sorted and disjoint, together disjoint), sorted."""
    parts = [c for c in parts if c[0]]
    if len(parts) == 1:
        return zip(*parts[0])
    return sorted(itertools.chain.from_iterable(zip(*c) for c in parts))


def _complement(spans: Spans, lo: int, hi: int) -> Spans:
    """The time in ``[lo, hi)`` that ``spans`` (inside it) leave free: the gaps between them."""
    starts, ends = spans
    free_starts, free_ends = [lo, *ends], [*starts, hi]
    if free_starts[0] == free_ends[0]:
        del free_starts[0], free_ends[0]
    if free_starts and free_starts[-1] == free_ends[-1]:
        del free_starts[-1], free_ends[-1]
    return free_starts, free_ends


#: The most turns and restriction windows one call of :func:`render` builds: about 200 MB of
#: entries at the most (57 years of hourly turns; a million took 420 MB and 17 s). A longer
#: window is refused before anything is built; render it in pieces.
MAX_PIECES = 500_000


def _check_size(schedule: Schedule, lo: int, hi: int, overrides: int) -> None:
    """Refuse a window in which the layers would produce more than :data:`MAX_PIECES` turns
    and restriction windows (an upper bound of the pieces rendering builds), counted from the
    window, each layer's dates, turn length and restrictions, before any is built."""
    turns = windows = 0
    for layer in schedule.layers:
        a = max(lo, to_seconds(layer.start))
        b = hi if layer.end is None else min(hi, to_seconds(layer.end))
        if a >= b:
            continue
        span = b - a
        turns += span // int(layer.turn_length.total_seconds()) + 2
        for r in layer.restrictions:
            windows += span // (DAY if r.kind == "daily" else 7 * DAY) + 2
    if turns + windows + overrides > MAX_PIECES:
        what = f"{turns:,} turns" + (f" and {windows:,} restriction windows" if windows else "")
        raise ValidationError(
            f"render: from {from_seconds(lo).isoformat()} to {from_seconds(hi).isoformat()} the "
            f"layers of Schedule {schedule.name!r} hold about {what}; one render builds at most "
            f"{MAX_PIECES:,} (hourly turns over 57 years) to keep memory bounded: render "
            "shorter windows one after the other"
        )


def _check_window(since: object, until: object) -> tuple[int, int]:
    check_instant(since, "render", "since", RENDER_YEARS)
    check_instant(until, "render", "until", RENDER_YEARS)
    assert isinstance(since, dt.datetime) and isinstance(until, dt.datetime)
    if until <= since:
        raise ValidationError(
            f"render: until must be after since ({since.isoformat()}), got {until.isoformat()}"
        )
    return to_seconds(since), to_seconds(until)


def _check_mode(mode: object, where: str = "render") -> str:
    if mode not in _MODES:
        raise ValidationError(f"{where}: mode must be 'wall' or 'elapsed', got {mode!r}")
    return str(mode)


def _check_overrides(overrides: object, where: str = "render") -> tuple[Override, ...]:
    if not isinstance(overrides, (str, bytes)) and isinstance(overrides, Iterable):
        overrides = tuple(overrides)
        for ov in overrides:
            if isinstance(ov, ShiftOverride):
                raise ValidationError(
                    f"{where}: a ShiftOverride goes with a ShiftSchedule; a layer-based Schedule "
                    "takes Override objects"
                )
    return sequence_of(overrides, Override, where, "overrides")


def _check_schedule(schedule: object, where: str = "render") -> Schedule:
    if not isinstance(schedule, Schedule):
        raise ValidationError(
            f"{where}: schedule must be a Schedule or a ShiftSchedule, got "
            f"{type(schedule).__name__}"
        )
    return schedule


def _check_options(options: object, where: str) -> ShiftRenderOptions:
    if options is None:
        return ShiftRenderOptions()
    if not isinstance(options, ShiftRenderOptions):
        raise ValidationError(
            f"{where}: options must be ShiftRenderOptions or None, got {type(options).__name__}"
        )
    return options


def render(
    schedule: Schedule | ShiftSchedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides: Iterable[Override] | Iterable[ShiftOverride] = (),
    mode: Mode = "wall",
    *,
    options: ShiftRenderOptions | None = None,
) -> FinalSchedule:
    """Render ``schedule`` over ``[since, until)`` as PagerDuty would.

    A layer-based :class:`Schedule` takes :class:`Override` objects and ``mode``
    (docs/semantics.md); a shift-based :class:`ShiftSchedule` takes :class:`ShiftOverride`
    objects and ``options`` (docs/schedulev2.md). Each kind ignores the other's setting, so one
    call serves a plan that mixes them.
    """
    if isinstance(schedule, ShiftSchedule):
        from oncall_planner.render_shift import render_shift_schedule

        return render_shift_schedule(
            schedule, since, until, overrides, _check_options(options, "render")
        )
    if options is not None:
        _check_options(options, "render")
    return _render_layers(schedule, since, until, overrides, mode)


class _Kept(NamedTuple):
    """The integer pieces a layer-based render works out on its way to the final schedule, for
    callers that read them right away (``check()``): the people (``users[i]`` is person ``i``),
    the window ``[lo, hi)``, each layer's turn and restriction state (:class:`_Layer`, whose
    ``pieces()`` are the layer's own pieces), the part of each layer that shows (the columns of
    :attr:`FinalSchedule.visible`) and the overrides that show, joined (of ``.overrides``)."""

    users: tuple[User, ...]
    lo: int
    hi: int
    layers: list[_Layer]
    visible: list[Columns]
    overrides: tuple[Piece, ...]


def _render_layers(
    schedule: object,
    since: dt.datetime,
    until: dt.datetime,
    overrides: object,
    mode: object,
    *,
    periodic: bool = True,
) -> FinalSchedule:
    """:func:`render` of a layer-based schedule. ``periodic=False`` never takes the periodic
    path (:func:`_periodic_final`), so tests can hold the two to the same result."""
    return _layered(schedule, since, until, overrides, mode, periodic=periodic)[0]


def _render_layered(
    schedule: Schedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides: Iterable[Override] | Iterable[ShiftOverride] = (),
    mode: Mode = "wall",
) -> tuple[FinalSchedule, _Kept]:
    """:func:`render` of a layer-based schedule, with the integer pieces it was built from (which
    the result does not keep: they were half its memory), so that a caller reading
    ``.layers``/``.visible`` at once need not work them out again. The pieces are the general
    path's: the periodic one never builds them for the whole window."""
    final, kept = _layered(schedule, since, until, overrides, mode, periodic=False, keep=True)
    assert kept is not None
    return final, kept


def _layered(
    schedule: object,
    since: dt.datetime,
    until: dt.datetime,
    overrides: object,
    mode: object,
    *,
    periodic: bool,
    keep: bool = False,
) -> tuple[FinalSchedule, _Kept | None]:
    """The body of :func:`_render_layers` and :func:`_render_layered`."""
    schedule = _check_schedule(schedule)
    lo, hi = _check_window(since, until)
    mode_ = _check_mode(mode)
    overrides_ = _check_overrides(overrides)
    _check_size(schedule, lo, hi, len(overrides_))
    zclock = clock(schedule.time_zone)

    users: list[User] = []
    index: dict[User, int] = {}

    def uid(user: User) -> int:
        if user not in index:
            index[user] = len(users)
            users.append(user)
        return index[user]

    # Overrides, clipped to the window, in list order: the later one wins where they overlap.
    clipped: list[Piece] = []
    for ov in overrides_:
        s, e = max(to_seconds(ov.start), lo), min(to_seconds(ov.end), hi)
        if s < e:
            clipped.append((s, e, uid(ov.user)))
    override_pieces = _latest_wins(clipped) if clipped else []

    job = _LayerJob(
        schedule,
        zclock,
        mode_,
        lo,
        hi,
        [[uid(u) for u in layer.users] for layer in schedule.layers],
    )
    # A render makes about a thousand objects per schedule-year and no reference cycles: the
    # cyclic garbage collector is paused while it does (the passes they set off were about 5%
    # of the layered benchmark), and left as the caller had it.
    collecting = gc.isenabled()
    gc.disable()
    kept: _Kept | None = None
    people, joined = tuple(users), tuple(_coalesce(override_pieces))
    try:
        found = _periodic_final(job, users) if periodic and not override_pieces else None
        if found is None:
            layers = job.layers()
            visible = _visible(layers, override_pieces, lo, hi)
            if keep:
                kept = _Kept(people, lo, hi, layers, visible[:], joined)
            visible.append(_columns(override_pieces))
            found = _final(_merge(visible), users, lo, hi)
    finally:
        if collecting:
            gc.enable()
    entries, gaps, covered = found
    final = FinalSchedule(
        schedule=schedule,
        since=since,
        until=until,
        mode=mode_,
        entries=entries,
        parts=_LayerParts(job, people, joined, (gaps, covered / (hi - lo))),
    )
    return final, kept


def _narrowed(final: FinalSchedule, since: int, until: int) -> FinalSchedule:
    """``render(final.schedule, since, until)`` (POSIX seconds) worked out from ``final``, a render
    of the same layer-based schedule without overrides in ``"wall"`` or ``"elapsed"`` mode over a
    window that holds ``[since, until)``: a layer-based render's entries over a window are its
    entries over any wider window cut at the window (turns and restriction windows follow the
    layers, not the window; a test holds every field equal to a direct render). For callers that
    render one schedule over many windows (:func:`~oncall_planner.audit`)."""
    parts = final._parts
    assert isinstance(parts, _LayerParts) and not parts.override_pieces
    job = parts.job
    assert job.lo <= since < until <= job.hi
    entries: list[Entry] = []
    gaps: list[Interval] = []
    covered = 0
    last = since
    # Entries are sorted and disjoint: start at the one that holds ``since`` (or the next one).
    first = max(bisect.bisect_right(final._starts, since) - 1, 0)
    for e in itertools.islice(final.entries, first, None):
        s, t = to_seconds(e.start), to_seconds(e.end)
        if t <= since:
            continue
        if s >= until:
            break
        if s > last:
            gaps.append(Interval(from_seconds(last), from_seconds(s)))
        if s < since or t > until:
            s, t = max(s, since), min(t, until)
            e = Entry(from_seconds(s), from_seconds(t), e.user)
        entries.append(e)
        covered += t - s
        last = t
    if last < until:
        gaps.append(Interval(from_seconds(last), from_seconds(until)))
    return FinalSchedule(
        schedule=final.schedule,
        since=from_seconds(since),
        until=from_seconds(until),
        mode=final.mode,
        entries=tuple(entries),
        parts=_LayerParts(
            _LayerJob(job.schedule, job.zclock, job.mode, since, until, job.ids),
            parts.users,
            (),
            (tuple(gaps), covered / (until - since)),
        ),
    )


def render_each(
    schedules: OnCallPlan | Iterable[Schedule | ShiftSchedule],
    since: dt.datetime,
    until: dt.datetime,
    overrides: Mapping[str, Sequence[Override] | Sequence[ShiftOverride]] | None = None,
    mode: Mode = "wall",
    *,
    options: ShiftRenderOptions | None = None,
) -> Iterator[FinalSchedule]:
    """Render an organisation schedule by schedule: yield ``render(schedule, since, until,
    overrides[schedule.name], mode, options=options)`` for each schedule in turn.

    ``schedules`` is an :class:`~oncall_planner.model.OnCallPlan` (its ``all_schedules``:
    layer-based first, then shift-based) or any iterable of schedules, which is read one at a
    time too, so a generator that builds or loads schedules as it goes works. Each result is
    rendered only when asked for, so a loop that keeps what it needs from each result (counts,
    findings, rows written out) holds one rendered schedule at a time, however many the
    organisation has: ``benchmarks/render_bench.py`` streams 10,000 schedules in well under
    100 MB. ``overrides`` maps schedule names to their overrides, as for
    :func:`~oncall_planner.check`; the arguments are checked before the first schedule is
    rendered.
    """
    check_instant(since, "render_each", "since", RENDER_YEARS)
    check_instant(until, "render_each", "until", RENDER_YEARS)
    if until <= since:
        raise ValidationError(
            f"render_each: until must be after since ({since.isoformat()}), got {until.isoformat()}"
        )
    _check_mode(mode, "render_each")
    if options is not None:
        _check_options(options, "render_each")
    if isinstance(schedules, OnCallPlan):
        items: Iterable[object] = schedules.all_schedules
    elif isinstance(schedules, (str, bytes)) or not isinstance(schedules, Iterable):
        raise ValidationError(
            "render_each: schedules must be an OnCallPlan or an iterable of Schedule and "
            f"ShiftSchedule, got {type(schedules).__name__}"
        )
    else:
        items = schedules
    if overrides is None:
        by_name: Mapping[str, Any] = {}
    elif isinstance(overrides, Mapping):
        by_name = overrides
    else:
        raise ValidationError(
            f"render_each: overrides must map schedule names to overrides, got "
            f"{type(overrides).__name__}"
        )
    return _render_each(items, since, until, by_name, mode, options)


def _render_each(
    items: Iterable[object],
    since: dt.datetime,
    until: dt.datetime,
    overrides: Mapping[str, Any],
    mode: Mode,
    options: ShiftRenderOptions | None,
) -> Iterator[FinalSchedule]:
    for schedule in items:
        if not isinstance(schedule, (Schedule, ShiftSchedule)):
            raise ValidationError(
                "render_each: schedules must be Schedule or ShiftSchedule objects, got "
                f"{type(schedule).__name__}"
            )
        yield render(
            schedule, since, until, overrides.get(schedule.name, ()), mode, options=options
        )


def layer_on_call_at(
    layer: Layer, time_zone: str, at: dt.datetime, mode: Mode = "wall"
) -> User | None:
    """Who ``layer`` alone has on call at ``at`` (``None`` outside its dates or restrictions)."""
    if not isinstance(layer, Layer):
        raise ValidationError(
            f"layer_on_call_at: layer must be a Layer, got {type(layer).__name__}"
        )
    check_time_zone(time_zone, "layer_on_call_at")
    t = to_seconds(check_aware(at, "layer_on_call_at", "at", RENDER_YEARS))
    if t < to_seconds(layer.start) or (layer.end is not None and t >= to_seconds(layer.end)):
        return None
    zclock = clock(time_zone)
    if layer.restrictions and not restriction_windows(layer.restrictions, zclock, t, t + 1):
        return None
    k = _Rotation(layer, zclock, _check_mode(mode, "layer_on_call_at")).turn_at(t)
    return layer.users[k % len(layer.users)]


def on_call_at(
    schedule: Schedule | ShiftSchedule,
    at: dt.datetime,
    overrides: Iterable[Override] | Iterable[ShiftOverride] = (),
    mode: Mode = "wall",
    *,
    options: ShiftRenderOptions | None = None,
) -> User | None:
    """Who is on call on ``schedule`` at the instant ``at``, or ``None`` in a gap.

    Answers from the rules directly, without rendering a window: the last override that covers
    ``at``, else the last layer that has someone on call at ``at``. On a shift-based schedule,
    where several people may be on call, the first of :func:`people_on_call_at`.
    """
    if isinstance(schedule, ShiftSchedule):
        people = people_on_call_at(schedule, at, overrides, mode, options=options)
        return people[0] if people else None
    if options is not None:
        _check_options(options, "on_call_at")
    schedule = _check_schedule(schedule, "on_call_at")
    check_aware(at, "on_call_at", "at", RENDER_YEARS)
    mode_ = _check_mode(mode, "on_call_at")
    for ov in reversed(_check_overrides(overrides, "on_call_at")):
        if ov.start <= at < ov.end:
            return ov.user
    for layer in reversed(schedule.layers):
        user = layer_on_call_at(layer, schedule.time_zone, at, mode_)  # type: ignore[arg-type]
        if user is not None:
            return user
    return None


def people_on_call_at(
    schedule: Schedule | ShiftSchedule,
    at: dt.datetime,
    overrides: Iterable[Override] | Iterable[ShiftOverride] = (),
    mode: Mode = "wall",
    *,
    options: ShiftRenderOptions | None = None,
) -> tuple[User, ...]:
    """Everyone on call on ``schedule`` at the instant ``at``, each once (empty in a gap).

    A layer-based schedule has at most one person on call; a shift-based one may have several
    (overlapping rotations, every-member events, custom shifts), in schedule order: by rotation
    (an override counts as its rotation), then custom shifts, then in the order the schedule names
    them. Agrees with ``render(...).people_on_call_at(at)``.
    """
    if not isinstance(schedule, ShiftSchedule):
        user = on_call_at(schedule, at, overrides, mode, options=options)
        return () if user is None else (user,)
    if not isinstance(at, dt.datetime) or not is_aware(at):
        raise ValidationError(
            f"people_on_call_at: at must be a timezone-aware datetime, got {at!r}"
        )
    from oncall_planner.render_shift import people_at

    return people_at(
        schedule, to_seconds(at), overrides, _check_options(options, "people_on_call_at")
    )


__all__ = [
    "Entry",
    "FinalSchedule",
    "Interval",
    "ShiftRenderOptions",
    "Source",
    "Vacancy",
    "layer_on_call_at",
    "on_call_at",
    "people_on_call_at",
    "render",
    "render_each",
    "restriction_windows",
]
