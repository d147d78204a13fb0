"""The renderer: who is on call on a schedule, layer by layer and in the final schedule.

The semantics (docs/semantics.md) in one paragraph: turn ``k`` of a layer covers
``[b_k, b_(k+1))`` and belongs to ``users[k mod n]``; in ``"wall"`` mode ``b_k`` is the local time
``local(rotation_virtual_start) + k * turn_length`` in the schedule's zone, in ``"elapsed"`` mode it is
``rotation_virtual_start + k * turn_length``. Restrictions mask turns without pausing them. Later
layers win over earlier ones, overrides win over every layer, and a later override wins over an
earlier one. Intervals are half-open.

Internally every instant is an ``int`` of POSIX seconds; datetimes appear only at the edges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import Layer, Override, Restriction, Schedule, User
from oncall_planner.timeutil import (
    DAY,
    ZoneClock,
    check_instant,
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


@attrs.frozen
class Entry:
    """One stretch ``[start, end)`` of one person on call. Instants are aware UTC datetimes."""

    start: dt.datetime
    end: dt.datetime
    user: User

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
class FinalSchedule:
    """What :func:`render` returns for one schedule over ``[since, until)``.

    - ``entries``: the final schedule, sorted, disjoint, adjacent entries of one user merged;
    - ``layers``: what each layer would produce on its own, in layer order;
    - ``visible``: the part of each layer that shows in the final schedule (not hidden by a later
      layer or an override), in layer order;
    - ``overrides``: the part of the overrides that shows in the final schedule;
    - ``gaps``: the stretches with nobody on call; ``coverage``: the share of the window covered.
    """

    schedule: Schedule
    since: dt.datetime
    until: dt.datetime
    mode: str
    entries: tuple[Entry, ...]
    layers: tuple[tuple[Entry, ...], ...]
    visible: tuple[tuple[Entry, ...], ...]
    overrides: tuple[Entry, ...]
    gaps: tuple[Interval, ...]
    coverage: float

    def on_call_at(self, at: dt.datetime) -> User | None:
        """Who the final schedule has on call at ``at`` (inside the rendered window)."""
        for entry in self.entries:
            if entry.start <= at < entry.end:
                return entry.user
        return None

    def hours_by_user(self) -> dict[User, float]:
        """Hours on call per user in the final schedule, in order of first appearance."""
        hours: dict[User, float] = {}
        for entry in self.entries:
            hours[entry.user] = hours.get(entry.user, 0.0) + entry.duration.total_seconds() / 3600
        return hours


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
        for day in days:
            local_start = day * DAY + sod
            start = zclock.from_local(local_start)
            end = zclock.from_local(local_start + dur)
            if end > lo and start < hi and start < end:
                raw.append((max(start, lo), min(end, hi)))
    raw.sort()
    merged: list[Span] = []
    for s, e in raw:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


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
    k = rotation.turn_at(lo)
    start = rotation.boundary(k)
    w = 0
    while start < hi:
        nxt = rotation.boundary(k + 1)
        a, b = max(start, lo), min(nxt, hi)
        user = ids[k % n]
        if a < b:
            parts: list[Span]
            if windows is None:
                parts = [(a, b)]
            else:
                while w < len(windows) and windows[w][1] <= a:
                    w += 1
                parts = []
                i = w
                while i < len(windows) and windows[i][0] < b:
                    s, e = max(windows[i][0], a), min(windows[i][1], b)
                    if s < e:
                        parts.append((s, e))
                    i += 1
            for s, e in parts:
                if out and out[-1][1] == s and out[-1][2] == user:
                    out[-1] = (out[-1][0], e, user)
                else:
                    out.append((s, e, user))
        k += 1
        start = nxt
    return out


def _subtract(pieces: Sequence[Piece], cover: Sequence[Span]) -> list[Piece]:
    """The parts of ``pieces`` outside ``cover`` (both sorted and disjoint)."""
    out: list[Piece] = []
    j, m = 0, len(cover)
    for s, e, u in pieces:
        while j < m and cover[j][1] <= s:
            j += 1
        cur, i = s, j
        while i < m and cover[i][0] < e:
            cs, ce = cover[i]
            if cs > cur:
                out.append((cur, cs, u))
            cur = max(cur, ce)
            i += 1
        if cur < e:
            out.append((cur, e, u))
    return out


def _union(cover: Sequence[Span], pieces: Iterable[Piece | Span]) -> list[Span]:
    spans = sorted([*cover, *((p[0], p[1]) for p in pieces)])
    merged: list[Span] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _coalesce(pieces: Iterable[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for s, e, u in pieces:
        if out and out[-1][1] == s and out[-1][2] == u:
            out[-1] = (out[-1][0], e, u)
        else:
            out.append((s, e, u))
    return out


def _check_window(since: object, until: object) -> tuple[int, int]:
    check_instant(since, "render", "since")
    check_instant(until, "render", "until")
    assert isinstance(since, dt.datetime) and isinstance(until, dt.datetime)
    if until <= since:
        raise ValidationError(
            f"render: until must be after since ({since.isoformat()}), got {until.isoformat()}"
        )
    return to_seconds(since), to_seconds(until)


def _check_mode(mode: object) -> str:
    if mode not in _MODES:
        raise ValidationError(f"render: mode must be 'wall' or 'elapsed', got {mode!r}")
    return str(mode)


def _check_overrides(overrides: object) -> tuple[Override, ...]:
    if not isinstance(overrides, Iterable):
        raise ValidationError(f"render: overrides must be a list of Override, got {overrides!r}")
    items = tuple(overrides)
    for item in items:
        if not isinstance(item, Override):
            raise ValidationError(
                f"render: overrides must hold Override objects, got {type(item).__name__} {item!r}"
            )
    return items


def _check_schedule(schedule: object) -> Schedule:
    if not isinstance(schedule, Schedule):
        raise ValidationError(f"render: schedule must be a Schedule, got {type(schedule).__name__}")
    return schedule


def render(
    schedule: Schedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides: Iterable[Override] = (),
    mode: Mode = "wall",
) -> FinalSchedule:
    """Render ``schedule`` over ``[since, until)`` as PagerDuty would (see docs/semantics.md)."""
    schedule = _check_schedule(schedule)
    lo, hi = _check_window(since, until)
    mode_ = _check_mode(mode)
    overrides_ = _check_overrides(overrides)
    zclock = clock(schedule.time_zone)

    users: list[User] = []
    index: dict[User, int] = {}

    def uid(user: User) -> int:
        if user not in index:
            index[user] = len(users)
            users.append(user)
        return index[user]

    # Overrides: the later one wins, so walk them from the last and keep what is still free.
    override_cover: list[Span] = []
    override_pieces: list[Piece] = []
    for ov in reversed(overrides_):
        s, e = max(to_seconds(ov.start), lo), min(to_seconds(ov.end), hi)
        if s >= e:
            continue
        piece = (s, e, uid(ov.user))
        override_pieces.extend(_subtract([piece], override_cover))
        override_cover = _union(override_cover, [piece])
    override_pieces.sort()

    layer_pieces = [
        _layer_pieces(layer, zclock, mode_, lo, hi, [uid(u) for u in layer.users])
        for layer in schedule.layers
    ]
    # Layers: the last one wins; walk from the top and keep what overrides and later layers leave.
    cover = override_cover
    visible: list[list[Piece]] = [[] for _ in layer_pieces]
    for i in range(len(layer_pieces) - 1, -1, -1):
        visible[i] = _subtract(layer_pieces[i], cover)
        if i:
            cover = _union(cover, layer_pieces[i])

    final = _coalesce(sorted([p for v in visible for p in v] + override_pieces))

    def entries(pieces: Iterable[Piece]) -> tuple[Entry, ...]:
        return tuple(Entry(from_seconds(s), from_seconds(e), users[u]) for s, e, u in pieces)

    gaps: list[Interval] = []
    covered = 0
    cursor = lo
    for s, e, _ in final:
        if s > cursor:
            gaps.append(Interval(from_seconds(cursor), from_seconds(s)))
        covered += e - s
        cursor = e
    if cursor < hi:
        gaps.append(Interval(from_seconds(cursor), from_seconds(hi)))

    return FinalSchedule(
        schedule=schedule,
        since=since,
        until=until,
        mode=mode_,
        entries=entries(final),
        layers=tuple(entries(p) for p in layer_pieces),
        visible=tuple(entries(_coalesce(v)) for v in visible),
        overrides=entries(_coalesce(override_pieces)),
        gaps=tuple(gaps),
        coverage=covered / (hi - lo),
    )


def layer_on_call_at(
    layer: Layer, time_zone: str, at: dt.datetime, mode: Mode = "wall"
) -> User | None:
    """Who ``layer`` alone has on call at ``at`` (``None`` outside its dates or restrictions)."""
    t = to_seconds(at)
    if t < to_seconds(layer.start) or (layer.end is not None and t >= to_seconds(layer.end)):
        return None
    zclock = clock(time_zone)
    if layer.restrictions and not restriction_windows(layer.restrictions, zclock, t, t + 1):
        return None
    k = _Rotation(layer, zclock, _check_mode(mode)).turn_at(t)
    return layer.users[k % len(layer.users)]


def on_call_at(
    schedule: Schedule,
    at: dt.datetime,
    overrides: Iterable[Override] = (),
    mode: Mode = "wall",
) -> User | None:
    """Who is on call on ``schedule`` at the instant ``at``, or ``None`` in a gap.

    Answers from the rules directly, without rendering a window: the last override that covers
    ``at``, else the last layer that has someone on call at ``at``.
    """
    schedule = _check_schedule(schedule)
    if not isinstance(at, dt.datetime) or not is_aware(at):
        raise ValidationError(f"on_call_at: at must be a timezone-aware datetime, got {at!r}")
    mode_ = _check_mode(mode)
    for ov in reversed(_check_overrides(overrides)):
        if ov.start <= at < ov.end:
            return ov.user
    for layer in reversed(schedule.layers):
        user = layer_on_call_at(layer, schedule.time_zone, at, mode_)  # type: ignore[arg-type]
        if user is not None:
            return user
    return None


__all__ = [
    "Entry",
    "FinalSchedule",
    "Interval",
    "layer_on_call_at",
    "on_call_at",
    "render",
    "restriction_windows",
]
