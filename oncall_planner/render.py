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
import heapq
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import (
    Layer,
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


@attrs.frozen
class Entry:
    """One stretch ``[start, end)`` of one person on call. Instants are aware UTC datetimes.

    ``source`` says where an entry of a shift-based schedule comes from; it is ``None`` for a
    layer-based schedule, whose entries merge what layers and overrides give one person.
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


@attrs.frozen
class Interval:
    """A half-open stretch of time ``[start, end)``, e.g. a gap with nobody on call."""

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
    """What :attr:`FinalSchedule.layers`, ``.visible`` and ``.overrides`` are built from, on first
    use: most callers only read ``entries``, and building Entry objects is most of the cost of
    rendering."""

    def layers(self, entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], ...]:
        raise NotImplementedError

    def visible(self, entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], ...]:
        raise NotImplementedError

    def overrides(self, entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
        raise NotImplementedError

    def people_order(self, entry: Entry) -> tuple[int, ...]:
        """Where ``entry``'s person goes among several on call at once."""
        return ()


class _LayerParts(_Parts):
    def __init__(
        self,
        users: tuple[User, ...],
        layer_pieces: tuple[tuple[Piece, ...], ...],
        override_pieces: tuple[Piece, ...],
    ) -> None:
        self.users = users
        self.layer_pieces = layer_pieces
        self.override_pieces = override_pieces

    def layers(self, entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], ...]:
        instants = _instant_cache(entries)
        return tuple(_entries(p, self.users, instants) for p in self.layer_pieces)

    def visible(self, entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], ...]:
        instants = _instant_cache(entries)
        visible = _visible(self.layer_pieces, _union((), self.override_pieces))
        return tuple(_entries(p, self.users, instants) for p in visible)

    def overrides(self, entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
        return _entries(self.override_pieces, self.users, _instant_cache(entries))


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
    """

    schedule: Schedule | ShiftSchedule
    since: dt.datetime
    until: dt.datetime
    mode: str
    entries: tuple[Entry, ...]
    gaps: tuple[Interval, ...]
    coverage: float
    _parts: _Parts = attrs.field(repr=False, eq=False)
    vacancies: tuple[Vacancy, ...] = ()
    concurrent: bool = False
    options: ShiftRenderOptions | None = None

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


def _instant_cache(entries: Iterable[Entry]) -> dict[int, dt.datetime]:
    """The instants of ``entries`` by POSIX seconds, to share datetime objects."""
    cache: dict[int, dt.datetime] = {}
    for entry in entries:
        cache[to_seconds(entry.start)] = entry.start
        cache[to_seconds(entry.end)] = entry.end
    return cache


def _entries(
    pieces: Iterable[Piece], users: Sequence[User], instants: dict[int, dt.datetime]
) -> tuple[Entry, ...]:
    """Pieces as Entry objects; ``instants`` caches the datetimes (boundaries recur)."""
    out = []
    for s, e, u in pieces:
        start = instants.get(s)
        if start is None:
            start = instants[s] = from_seconds(s)
        end = instants.get(e)
        if end is None:
            end = instants[e] = from_seconds(e)
        out.append(_new_entry(start, end, users[u]))
    return tuple(out)


_fromtimestamp = dt.datetime.fromtimestamp


def _final(
    pieces: Sequence[Piece], users: Sequence[User], lo: int, hi: int
) -> tuple[tuple[Entry, ...], tuple[Interval, ...], int]:
    """Sorted disjoint pieces as the final schedule in one pass: touching pieces of one user
    joined into one Entry, the gaps in ``[lo, hi)`` between them, and the seconds covered.

    This is the hot path of rendering: an entry that starts where the one before it ends shares
    its datetime.
    """
    try:
        return _final_fast(pieces, users, lo, hi)
    except (OverflowError, OSError, ValueError):  # outside the platform's time_t
        merged = _coalesce(pieces)
        gaps, cursor, covered = [], lo, 0
        for s, e, _ in merged:
            if s > cursor:
                gaps.append(Interval(from_seconds(cursor), from_seconds(s)))
            covered += e - s
            cursor = e
        if cursor < hi:
            gaps.append(Interval(from_seconds(cursor), from_seconds(hi)))
        return _entries(merged, users, {}), tuple(gaps), covered


def _entry_maker() -> Callable[[dt.datetime, dt.datetime, User], Entry]:
    """A constructor of :class:`Entry` for the hot path: the renderer's own values need no
    checks, and setting the slots directly skips the frozen class's ``__setattr__`` guard (the
    object is the same as ``Entry(start, end, user)``, equal and hashed alike)."""
    new = object.__new__
    set_start = Entry.__dict__["start"].__set__
    set_end = Entry.__dict__["end"].__set__
    set_user = Entry.__dict__["user"].__set__
    set_source = Entry.__dict__["source"].__set__

    def make(start: dt.datetime, end: dt.datetime, user: User) -> Entry:
        entry = new(Entry)
        set_start(entry, start)
        set_end(entry, end)
        set_user(entry, user)
        set_source(entry, None)
        return entry

    return make


_new_entry = _entry_maker()


def _final_fast(
    pieces: Sequence[Piece], users: Sequence[User], lo: int, hi: int
) -> tuple[tuple[Entry, ...], tuple[Interval, ...], int]:
    fromtimestamp, utc, new_entry = _fromtimestamp, dt.timezone.utc, _new_entry
    entries: list[Entry] = []
    gaps: list[Interval] = []
    covered = 0
    prev_e = lo  # where the last entry ended (the window's start at first)
    prev_end = fromtimestamp(lo, utc)
    cs = ce = cu = 0
    have = False
    # A sentinel piece (user -1 matches nobody) flushes the last entry through the same code.
    for s, e, u in itertools.chain(pieces, ((hi, hi, -1),)):
        if have and ce == s and cu == u:
            ce = e
            continue
        if have:
            start = prev_end if cs == prev_e else fromtimestamp(cs, utc)
            if cs > prev_e:
                gaps.append(Interval(prev_end, start))
            prev_end = fromtimestamp(ce, utc)
            prev_e = ce
            entries.append(new_entry(start, prev_end, users[cu]))
            covered += ce - cs
        cs, ce, cu, have = s, e, u, True
    if prev_e < hi:
        gaps.append(Interval(prev_end, fromtimestamp(hi, utc)))
    return tuple(entries), tuple(gaps), covered


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
            return self.clock.from_local_sorted([base + k * length for k in range(first, last + 1)])
        return [self.anchor + k * self.length for k in range(first, last + 1)]

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


def restriction_windows(
    restrictions: Sequence[Restriction], zclock: ZoneClock, lo: int, hi: int
) -> list[Span]:
    """The union of the restriction windows that meet ``[lo, hi)``, clipped to it, sorted.

    Windows start at their local wall-clock time and end ``duration`` later on the wall clock.
    """
    first_day = (zclock.to_local(lo) - 8 * DAY) // DAY
    last_day = (zclock.to_local(hi) + DAY) // DAY
    raw: list[Span] = []
    for r in restrictions:
        sod = r.start_time_of_day.hour * 3600 + r.start_time_of_day.minute * 60
        dur = int(r.duration.total_seconds())
        if r.kind == "daily":
            days: Iterable[int] = range(first_day, last_day + 1)
        else:
            assert r.start_day_of_week is not None
            shift = (r.start_day_of_week - iso_weekday(first_day * DAY)) % 7
            days = range(first_day + shift, last_day + 1, 7)
        local_starts = [day * DAY + sod for day in days]
        starts = zclock.from_local_sorted(local_starts)
        ends = zclock.from_local_sorted([local + dur for local in local_starts])
        for start, end in zip(starts, ends, strict=True):
            if end > lo and start < hi and start < end:
                raw.append((start if start > lo else lo, end if end < hi else hi))
    return _union(raw, ())


def _layer_pieces(
    layer: Layer, zclock: ZoneClock, mode: str, lo: int, hi: int, ids: Sequence[int]
) -> list[Piece]:
    """The on-call pieces one layer produces on its own in ``[lo, hi)``, merged per user."""
    lo = max(lo, to_seconds(layer.start))
    if layer.end is not None:
        hi = min(hi, to_seconds(layer.end))
    if lo >= hi:
        return []
    rotation = _Rotation(layer, zclock, mode)
    windows = (
        restriction_windows(layer.restrictions, zclock, lo, hi) if layer.restrictions else None
    )
    n = len(ids)
    out: list[Piece] = []
    first = rotation.turn_at(lo)
    last = rotation.turn_at(hi - 1)  # the turn holding the last second of the window
    bounds = rotation.boundaries(first, last + 1)
    nwin = len(windows) if windows is not None else 0
    w = 0
    # The piece being grown (cs, ce, cu): extended while the same user continues without a break.
    cs = ce = cu = -1
    have = False
    for i in range(last - first + 1):
        a, b = bounds[i], bounds[i + 1]
        if a < lo:
            a = lo
        if b > hi:
            b = hi
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


def _subtract(pieces: Sequence[Piece], cover: Sequence[Span]) -> list[Piece]:
    """The parts of ``pieces`` outside ``cover`` (both sorted and disjoint)."""
    if not cover:
        return list(pieces)
    out: list[Piece] = []
    j, m = 0, len(cover)
    for s, e, u in pieces:
        while j < m and cover[j][1] <= s:
            j += 1
        cur, i = s, j
        while i < m:
            cs, ce = cover[i]
            if cs >= e:
                break
            if cs > cur:
                out.append((cur, cs, u))
            if ce > cur:
                cur = ce
            i += 1
        if cur < e:
            out.append((cur, e, u))
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


def _visible(layer_pieces: Sequence[Sequence[Piece]], cover: Sequence[Span]) -> list[list[Piece]]:
    """The part of each layer that shows: the last layer wins, so walk from the top and keep what
    ``cover`` (the overrides) and later layers leave. No coalescing is needed: what is left of
    merged pieces has no two pieces of one user touching."""
    visible: list[list[Piece]] = [[] for _ in layer_pieces]
    for i in range(len(layer_pieces) - 1, -1, -1):
        visible[i] = _subtract(layer_pieces[i], cover)
        if i:
            cover = _union(cover, layer_pieces[i])
    return visible


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
    override_pieces = _latest_wins(clipped)
    override_cover = _union((), override_pieces)

    layer_pieces = [
        _layer_pieces(layer, zclock, mode_, lo, hi, [uid(u) for u in layer.users])
        for layer in schedule.layers
    ]
    visible = _visible(layer_pieces, override_cover)

    entries, gaps, covered = _final(
        sorted([p for v in visible for p in v] + override_pieces), users, lo, hi
    )

    return FinalSchedule(
        schedule=schedule,
        since=since,
        until=until,
        mode=mode_,
        entries=entries,
        gaps=gaps,
        coverage=covered / (hi - lo),
        parts=_LayerParts(
            tuple(users),
            tuple(tuple(p) for p in layer_pieces),
            tuple(_coalesce(override_pieces)),
        ),
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
    "restriction_windows",
]
