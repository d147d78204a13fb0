"""Layer-based schedules to shift-based ones: :func:`to_shift_schedule` and :func:`to_shift_plan`.

The conversion works on the wall clock of the schedule's zone, where everything a layer does
repeats: turns start at ``local(rotation_virtual_start) + k * turn_length``, restriction windows
at fixed local times of the day or week, and the later layer wins wherever it has a window
(docs/semantics.md). Reduced modulo one week, all of that cuts the week into *segments*; each
segment is covered by one layer (the top one with a window there) or by nobody. Segments of one
layer with no turn boundary of that layer between them join into one *window*. Windows of one
layer with the same local start time and length on several weekdays are one *pattern*: an event
``RRULE:FREQ=WEEKLY;BYDAY=...`` (``FREQ=DAILY`` on all seven days) of that length, in a rotation
of its own (patterns of one schedule never overlap, but PagerDuty compares a rotation's events by
their effective ranges, so each needs its own rotation).

Who holds each occurrence follows from the layer: the turn holding its start, ``users[turn %
n]``. Occurrences of one turn form a *block*; the pattern is an event with
``shifts_per_member`` = the block size and members = the people of one cycle of blocks, provided
every block has the same size and the cycle names nobody twice (otherwise the pattern is tried
day by day, and else reported as a :class:`Limitation`).

Each event is anchored so that PagerDuty's undocumented choices (docs/schedulev2.md) do not
matter: ``start_time`` is the first occurrence of a block (``members`` start with its person),
whole cycles earlier when that occurrence spans a clock change; the schedule takes over at the
first instant from ``since`` on where no shift is cut and every pattern starts a block, so
counting from ``start_time``, from ``effective_since`` or across a rotation agree. Where an
occurrence spans a daylight-saving change, its length in real time and on the wall clock differ,
and PagerDuty does not say which it keeps: such a pattern gets a second rotation, a *bridge*, that
covers the last two hours of each window, while the main rotation stops an hour early; the two
agree with the layer whichever length PagerDuty uses.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    RotatingMembers,
    Rotation,
    Schedule,
    ShiftEvent,
    ShiftSchedule,
    Target,
    User,
)
from oncall_planner.render import Interval
from oncall_planner.timeutil import (
    DAY,
    HOUR,
    WEEK,
    ZoneClock,
    check_instant,
    clock,
    from_seconds,
    to_seconds,
    zone,
)

__all__ = [
    "DEFAULT_HORIZON",
    "Conversion",
    "Limitation",
    "PlanConversion",
    "to_shift_plan",
    "to_shift_schedule",
]

#: The default horizon of a conversion and its proof: a year holds both daylight-saving changes.
DEFAULT_HORIZON = dt.timedelta(days=365)
#: PagerDuty's limits (reference §1.9).
MAX_ROTATIONS = 10
MAX_EVENTS = 5
MAX_MEMBERS = 20
#: A week cut into more pieces than this is not worth trying (a turn of 1 h 1 min, say).
_MAX_CUTS = 2 * 7 * 24
#: How far back a pattern's period is searched for a start that spans no clock change.
_MAX_PERIODS_BACK = 12
#: The longest period over which a pattern's people are checked (then the horizon is used).
_MAX_PERIOD = 8 * 366 * DAY
#: How far from ``since`` the switch is looked for.
_SEARCH = dt.timedelta(days=70)
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Local seconds are counted from 1970-01-01, a Thursday: this many seconds after a Monday 00:00.
_MONDAY = 3 * DAY


@attrs.frozen
class Limitation:
    """Something of the layer-based schedule the shift-based one cannot say.

    ``code`` names the kind (``"too-many-rotations"``, ``"too-many-events"``,
    ``"too-many-members"``, ``"uneven-turns"``, ``"repeated-person"``, ``"too-many-patterns"``,
    ``"daylight-saving"``, ``"not-whole-minutes"``), ``message`` says it in words and ``spans``
    are the stretches of the conversion's horizon where it changes who is on call (the proof
    gives each difference the reason of the limitation that covers it).
    """

    code: str
    message: str
    spans: tuple[Interval, ...] = ()


@attrs.frozen
class Conversion:
    """A layer-based ``source`` schedule converted into the shift-based ``schedule``.

    ``switch_at`` is when the shift-based schedule takes over (every event's first
    ``effective_since``): the first instant at or after the ``since`` asked for where no shift is
    cut in two, preferably one where every pattern starts a turn. Before it the layer-based
    schedule should stay in charge. ``horizon`` is how far the conversion was checked (and how
    far :func:`~oncall_planner.migration.prove_conversion` compares by default). ``limitations`` lists what
    could not be expressed (empty: the conversion is exact), ``notes`` the choices made.
    """

    source: Schedule
    schedule: ShiftSchedule
    switch_at: dt.datetime
    horizon: dt.timedelta
    limitations: tuple[Limitation, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def exact(self) -> bool:
        """Whether nothing of the source was left out."""
        return not self.limitations


@attrs.frozen
class PlanConversion:
    """A plan whose layer-based schedules became shift-based ones (``plan``), with each
    schedule's :class:`Conversion`; escalation policies target the new schedules."""

    plan: OnCallPlan
    conversions: tuple[Conversion, ...]

    @property
    def exact(self) -> bool:
        return all(c.exact for c in self.conversions)


# --- the layers on the local week ---------------------------------------------------------------


def _week_offset(local: int) -> int:
    """Seconds since the Monday 00:00 before a local time."""
    return (local + _MONDAY) % WEEK


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


@attrs.frozen
class _LayerClock:
    """One layer on the local week: its windows (offsets in the week, not wrapping), its turn
    boundaries' offsets in the week, and who holds a local time."""

    index: int
    layer: Layer
    anchor: int  # local(rotation_virtual_start)
    length: int  # turn length in seconds
    windows: tuple[tuple[int, int], ...]
    turn_offsets: frozenset[int]

    @classmethod
    def of(cls, index: int, layer: Layer, zclock: ZoneClock) -> _LayerClock:
        anchor = zclock.to_local(to_seconds(layer.rotation_virtual_start))
        length = int(layer.turn_length.total_seconds())
        step = math.gcd(length, WEEK)
        first = _week_offset(anchor) % step
        offsets = frozenset(range(first, WEEK, step)) if WEEK // step <= _MAX_CUTS else frozenset()
        raw: list[tuple[int, int]] = []
        if not layer.restrictions:
            raw.append((0, WEEK))
        for r in layer.restrictions:
            tod = r.start_time_of_day
            sod = tod.hour * HOUR + tod.minute * 60 + tod.second
            duration = int(r.duration.total_seconds())
            days = range(7) if r.kind == "daily" else [(r.start_day_of_week or 1) - 1]
            for day in days:
                s, e = day * DAY + sod, day * DAY + sod + duration
                if e <= WEEK:
                    raw.append((s, e))
                else:
                    raw += [(s, WEEK), (0, e - WEEK)]
        return cls(index, layer, anchor, length, tuple(_union(raw)), offsets)

    def too_fine(self) -> bool:
        return not self.turn_offsets

    def covers(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.windows)

    def turn(self, local: int) -> int:
        return (local - self.anchor) // self.length

    def person(self, local: int) -> User:
        users = self.layer.users
        return users[self.turn(local) % len(users)]

    def cycle(self) -> int:
        return self.length * len(self.layer.users)


@attrs.frozen
class _Pattern:
    """Windows of one layer at one local time of day, ``length`` seconds long, starting on
    ``days`` (0 = Monday)."""

    layer: _LayerClock
    tod: int
    length: int
    days: tuple[int, ...]
    role: str = "main"  # "main", "shortened" (stops early for a bridge) or "bridge"
    label: str = ""  # the window it comes from in words (set once, kept by with_window)

    def starts(self, lo: int, hi: int) -> list[int]:
        """Local starts in ``[lo, hi)``."""
        out = []
        days = set(self.days)
        for day in range(lo // DAY - 1, hi // DAY + 1):
            if (day + 3) % 7 in days:
                local = day * DAY + self.tod
                if lo <= local < hi:
                    out.append(local)
        return out

    def rrule(self) -> str:
        if len(self.days) == 7:
            return "RRULE:FREQ=DAILY"
        return "RRULE:FREQ=WEEKLY;BYDAY=" + ",".join(_DAY_CODES[d] for d in sorted(self.days))

    def period(self) -> int:
        """The local period after which occurrences and people repeat."""
        base = DAY if len(self.days) == 7 else WEEK
        return base * self.layer.cycle() // math.gcd(base, self.layer.cycle())

    def describe(self) -> str:
        """``Mon-Fri 09:00-17:00``, ``Wed 00:00 for 7 days``."""
        days = sorted(self.days)
        if len(days) == 7:
            when = "daily"
        elif days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            when = f"{_DAY_NAMES[days[0]]}-{_DAY_NAMES[days[-1]]}"
        else:
            when = ",".join(_DAY_NAMES[d] for d in days)
        start = f"{self.tod // HOUR:02d}:{self.tod % HOUR // 60:02d}"
        if self.length < DAY:
            end = (self.tod + self.length) % DAY
            return f"{when} {start}-{end // HOUR:02d}:{end % HOUR // 60:02d}"
        return f"{when} {start} for {_describe_length(self.length)}"

    def with_window(self, shift: int, length: int, role: str) -> _Pattern:
        """The same occurrences, each starting ``shift`` later and lasting ``length``."""
        start = self.tod + shift
        moved = tuple(sorted((d + start // DAY) % 7 for d in self.days))
        return attrs.evolve(
            self,
            tod=start % DAY,
            length=length,
            days=moved,
            role=role,
            label=self.label or self.describe(),
        )

    def name(self) -> str:
        """The event's name: the layer's, and the window in words."""
        label = self.label or self.describe()
        extra = ", daylight-saving bridge" if self.role == "bridge" else ""
        return f"{self.layer.layer.name} ({label}{extra})"


def _when(zclock: ZoneClock, seconds: int) -> str:
    """An instant as the schedule's wall clock reads it: ``2025-03-05 00:00 EST``."""
    return from_seconds(seconds).astimezone(zone(zclock.name)).strftime("%Y-%m-%d %H:%M %Z")


def _describe_length(seconds: int) -> str:
    days, rest = divmod(seconds, DAY)
    hours, rest = divmod(rest, HOUR)
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    if hours:
        parts.append(f"{hours} h")
    if rest:
        parts.append(f"{rest // 60} min")
    return " ".join(parts)


def _patterns(layers: Sequence[_LayerClock]) -> list[_Pattern]:
    """The patterns of the local week, given the layers in force (later wins)."""
    cuts: set[int] = set()
    for lc in layers:
        cuts |= lc.turn_offsets
        for s, e in lc.windows:
            cuts |= {s % WEEK, e % WEEK}
    points = sorted(cuts)
    if not points:
        return []

    def top(offset: int) -> _LayerClock | None:
        for lc in reversed(layers):
            if lc.covers(offset):
                return lc
        return None

    segments = [
        (points[j], (points[j + 1] if j + 1 < len(points) else points[0] + WEEK), top(points[j]))
        for j in range(len(points))
    ]
    # Start at a break: a change of layer, or a turn boundary of the layer in force.
    n = len(segments)

    def breaks(j: int) -> bool:
        prev, cur = segments[j - 1][2], segments[j][2]
        return prev is not cur or (cur is not None and segments[j][0] in cur.turn_offsets)

    first = next((j for j in range(n) if breaks(j)), None)
    if first is None:
        return []
    windows: list[tuple[int, int, _LayerClock]] = []
    for k in range(n):
        j = (first + k) % n
        s, e, owner = segments[j]
        if owner is None:
            continue
        if k and not breaks(j) and windows and windows[-1][2] is owner:
            ws, wl, _ = windows[-1]
            windows[-1] = (ws, wl + e - s, owner)
        else:
            windows.append((s, e - s, owner))
    grouped: dict[tuple[int, int, int], list[int]] = {}
    clocks: dict[int, _LayerClock] = {}
    for s, length, lc in windows:
        grouped.setdefault((lc.index, s % DAY, length), []).append(s // DAY % 7)
        clocks[lc.index] = lc
    return [
        _Pattern(clocks[i], tod, length, tuple(sorted(days)))
        for (i, tod, length), days in sorted(grouped.items())
    ]


# --- who holds a pattern's occurrences -----------------------------------------------------------


@attrs.frozen
class _Plan:
    """A pattern found expressible: ``spm`` occurrences a block, ``cycle`` blocks a cycle."""

    pattern: _Pattern
    spm: int
    cycle: int


def _blocks(pattern: _Pattern, lo: int, hi: int) -> list[tuple[int, User, int]]:
    """(first local start, person, count) of the runs of occurrences in ``[lo, hi)`` that one
    person holds in a row: the blocks that ``shifts_per_member`` counts."""
    out: list[tuple[int, User, int]] = []
    for local in pattern.starts(lo, hi):
        person = pattern.layer.person(local)
        if out and out[-1][1] == person:
            out[-1] = (out[-1][0], person, out[-1][2] + 1)
        else:
            out.append((local, person, 1))
    return out


def _analyse(pattern: _Pattern, lo: int, hi: int) -> _Plan | str:
    """The block size and cycle of ``pattern`` over ``[lo, hi)``, or why there is none."""
    lc = pattern.layer
    users = lc.layer.users
    if len(set(users)) == 1:
        return _Plan(pattern, 1, 1)
    blocks = _blocks(pattern, lo, hi)
    if not blocks:
        return _Plan(pattern, 1, 1)
    inner = [count for _, _, count in blocks[1:-1]] or [max(c for _, _, c in blocks)]
    spm = inner[0]
    if any(c != spm for c in inner) or blocks[0][2] > spm or blocks[-1][2] > spm:
        sizes = sorted({c for _, _, c in blocks[1:-1]} or {spm})
        return (
            f"uneven-turns: in {pattern.describe()}, people of {lc.layer.name!r} hold "
            f"{' or '.join(map(str, sizes))} windows in a row, and shifts_per_member is one number"
        )
    people = [person for _, person, _ in blocks]
    cycle = next(
        (
            m
            for m in range(1, len(people) + 1)
            if all(people[b] == people[b + m] for b in range(len(people) - m))
        ),
        len(people),
    )
    if len(set(people[:cycle])) < cycle:
        return (
            f"repeated-person: in {pattern.describe()} the order of {lc.layer.name!r} gives "
            f"{', '.join(u.name for u in people[:cycle])}, naming someone twice in one cycle, "
            "which a v3 member list cannot"
        )
    if cycle > MAX_MEMBERS:
        return (
            f"too-many-members: {pattern.describe()} of {lc.layer.name!r} cycles through "
            f"{cycle} people; PagerDuty allows {MAX_MEMBERS} members an event"
        )
    return _Plan(pattern, spm, cycle)


def _block_start(plan: _Plan, local: int) -> int:
    """The first occurrence of the block holding the occurrence ``local``."""
    if plan.cycle == 1:
        return local
    person = plan.pattern.layer.person(local)
    earlier = plan.pattern.starts(local - (plan.spm + 1) * WEEK, local)
    for start in reversed(earlier):
        if plan.pattern.layer.person(start) != person:
            break
        local = start
    return local


def _members(plan: _Plan, first: int) -> list[User]:
    """The people of ``plan.cycle`` blocks from the block starting at ``first``."""
    if plan.cycle == 1:
        return [plan.pattern.layer.person(first)]
    out: list[User] = []
    window = WEEK * (plan.spm + 1) * (plan.cycle + 1)
    for local in plan.pattern.starts(first, first + window):
        person = plan.pattern.layer.person(local)
        if not out or out[-1] != person:
            out.append(person)
            if len(out) == plan.cycle:
                break
    return out


# --- instants ------------------------------------------------------------------------------------


def _clean(zclock: ZoneClock, local: int, length: int) -> bool:
    """Whether the occurrence lasts ``length`` both in real time and on the wall clock, and both
    ends read back as written: then every reading of its length agrees (U2)."""
    s, e = zclock.from_local(local), zclock.from_local(local + length)
    return e - s == length and zclock.to_local(s) == local and zclock.to_local(e) == local + length


def _max_shift(zclock: ZoneClock, lo: int, hi: int) -> int:
    """The largest change of UTC offset in ``[lo, hi)``, sampled every six hours."""
    largest, prev = 0, zclock.offset(lo)
    for t in range(lo, hi + 6 * HOUR, 6 * HOUR):
        off = zclock.offset(t)
        largest, prev = max(largest, abs(off - prev)), off
    return largest


def _bridged(
    zclock: ZoneClock, pattern: _Pattern, shift: int, lo: int, hi: int
) -> tuple[_Pattern, _Pattern] | None:
    """A shortened pattern and its bridge that cover every occurrence in ``[lo, hi)`` exactly,
    whether an occurrence lasts its length in real time or on the wall clock; ``None`` when
    some occurrence cannot be covered so."""
    stop, bridge = shift, 2 * shift
    if pattern.length <= bridge:
        return None
    main = pattern.with_window(0, pattern.length - stop, "shortened")
    tail = pattern.with_window(pattern.length - bridge, bridge, "bridge")
    f = zclock.from_local
    for local in pattern.starts(zclock.to_local(lo), zclock.to_local(hi)):
        target = (f(local), f(local + pattern.length))
        for exact in (True, False):
            a = f(local)
            b = a + main.length if exact else f(local + main.length)
            c = f(local + pattern.length - bridge)
            d = c + bridge if exact else f(local + pattern.length)
            if (min(a, c), max(b, d)) != target or b < c:
                return None
    return main, tail


# --- events ------------------------------------------------------------------------------------


def _clean_back(
    zclock: ZoneClock, pattern: _Pattern, candidates: Iterable[int]
) -> tuple[int, int] | None:
    """The first of ``candidates`` (local starts, nearest first) whose occurrence spans no clock
    change, with its position among them."""
    for number, local in enumerate(candidates):
        if _clean(zclock, local, pattern.length):
            return local, number
    return None


def _next_block(plan: _Plan, local: int) -> int:
    """The first occurrence after ``local`` held by someone else: where the next block starts."""
    person = plan.pattern.layer.person(local)
    step = WEEK * (plan.spm + 1)
    while True:
        for start in plan.pattern.starts(local + 1, local + step):
            if plan.pattern.layer.person(start) != person:
                return start
        local += step - 1


def _events(
    plan: _Plan,
    zclock: ZoneClock,
    since: int,
    until: int | None,
    *,
    lead_in: bool,
) -> tuple[list[ShiftEvent], list[str]]:
    """The events of ``plan`` in force over ``[since, until)``, each anchored at the start of a
    block, whole periods earlier when that occurrence spans a clock change.

    With ``lead_in``, a ``since`` in the middle of a block (the switch, where no instant starts
    every pattern's block) gets a *lead-in* event for the rest of that block, held by its one
    person, and the main event starts at the next block. The lead-in's ``start_time`` lies a
    whole number of cycles of the main event before the block ends, so a count carried from it
    into the main event (U4 ``"rotation"``) lands on a block start too.
    """
    pattern = plan.pattern
    name = pattern.name()
    f = zclock.from_local
    notes: list[str] = []
    events: list[ShiftEvent] = []
    local = zclock.to_local(since)
    # The occurrence in progress at `since`, else the next one (an effective_since inside an
    # occurrence cuts it: only a later layer's start or end does that).
    first = next(
        s
        for s in pattern.starts(local - pattern.length - DAY, local + 2 * WEEK + DAY)
        if f(s + pattern.length) > since
    )
    start = _block_start(plan, first)
    if lead_in and start != first and f(first) >= since:
        block = _next_block(plan, first)
        if until is None or f(block) < until:
            remaining = len(pattern.starts(first, block))
            cycle = plan.spm * plan.cycle
            back = cycle * (_MAX_PERIODS_BACK + 1)
            earlier = pattern.starts(first - (back + 1) * WEEK - DAY, first)[::-1]
            found = _clean_back(
                zclock,
                pattern,
                (earlier[k * cycle - remaining - 1] for k in range(1, _MAX_PERIODS_BACK + 1)),
            )
            if found is not None:
                anchor, _ = found
                events.append(
                    ShiftEvent(
                        f"{name[:-1]}, lead-in)",
                        from_seconds(f(anchor)),
                        from_seconds(f(anchor + pattern.length)),
                        pattern.rrule(),
                        RotatingMembers([pattern.layer.person(first)]),
                        effective_since=from_seconds(since),
                        effective_until=from_seconds(f(block)),
                    )
                )
                notes.append(
                    f"{name}: the switch falls inside a turn, so a lead-in event keeps "
                    f"{pattern.layer.person(first).name} on until the next turn, "
                    f"{_when(zclock, f(block))}"
                )
                since, first, start = f(block), block, block
    members = _members(plan, start)
    period = pattern.period()
    found = _clean_back(
        zclock, pattern, (start - back * period for back in range(_MAX_PERIODS_BACK + 1))
    )
    if found is not None:
        start, back = found
        if back:
            notes.append(
                f"{name}: start_time goes back {back} cycle(s), to {_when(zclock, f(start))}, "
                "a shift that spans no clock change, so both readings of its length agree"
            )
    events.append(
        ShiftEvent(
            name,
            from_seconds(f(start)),
            from_seconds(f(start + pattern.length)),
            pattern.rrule(),
            RotatingMembers(members, shifts_per_member=plan.spm),
            effective_since=from_seconds(since),
            effective_until=None if until is None else from_seconds(until),
        )
    )
    return events, notes


def _spans(zclock: ZoneClock, pattern: _Pattern, lo: int, hi: int) -> tuple[Interval, ...]:
    f = zclock.from_local
    out = []
    for local in pattern.starts(zclock.to_local(lo) - WEEK, zclock.to_local(hi) + DAY):
        s, e = max(f(local), lo), min(f(local + pattern.length), hi)
        if s < e:
            out.append(Interval(from_seconds(s), from_seconds(e)))
    return tuple(out)


def _dirty_spans(zclock: ZoneClock, pattern: _Pattern, lo: int, hi: int) -> tuple[Interval, ...]:
    """The occurrences in ``[lo, hi)`` whose real and wall-clock lengths differ."""
    f = zclock.from_local
    out = []
    for local in pattern.starts(zclock.to_local(lo) - pattern.length, zclock.to_local(hi)):
        if not _clean(zclock, local, pattern.length):
            a = max(f(local), lo)
            b = min(max(f(local + pattern.length), f(local) + pattern.length), hi)
            if a < b:
                out.append(Interval(from_seconds(a), from_seconds(b)))
    return tuple(out)


@attrs.frozen
class _Epoch:
    since: int
    until: int | None
    layers: tuple[_LayerClock, ...]


def _epochs(schedule: Schedule, zclock: ZoneClock, since: int) -> list[_Epoch]:
    cuts = sorted(
        {
            t
            for layer in schedule.layers
            for t in (to_seconds(layer.start), None if layer.end is None else to_seconds(layer.end))
            if t is not None and t > since
        }
    )
    bounds: list[tuple[int, int | None]] = list(zip([since, *cuts], [*cuts, None], strict=True))
    clocks = [_LayerClock.of(i, layer, zclock) for i, layer in enumerate(schedule.layers)]
    out = []
    for lo, hi in bounds:
        active = tuple(
            lc
            for lc in clocks
            if to_seconds(lc.layer.start) <= lo
            and (lc.layer.end is None or (hi is not None and to_seconds(lc.layer.end) >= hi))
        )
        out.append(_Epoch(lo, hi, active))
    return out


def _switch(zclock: ZoneClock, plans: Sequence[_Plan], since: int, limit: int) -> tuple[int, bool]:
    """The switch instant: the first instant from ``since`` (before ``limit``) that cuts no
    occurrence and where every pattern's next occurrence starts a block; else the first that
    cuts none. The flag says whether every pattern starts a block there."""
    f = zclock.from_local
    local = zclock.to_local(since)
    candidates = {since}
    for plan in plans:
        for start in plan.pattern.starts(local - DAY, zclock.to_local(limit) + DAY):
            for t in (f(start), f(start + plan.pattern.length)):
                if since <= t < limit:
                    candidates.add(t)

    def cuts_nothing(t: int) -> bool:
        lt = zclock.to_local(t)
        for plan in plans:
            p = plan.pattern
            for start in p.starts(lt - p.length - 2 * DAY, lt + DAY):
                if f(start) < t < f(start + p.length):
                    return False
        return True

    def starts_blocks(t: int) -> bool:
        lt = zclock.to_local(t)
        for plan in plans:
            if plan.cycle == 1:
                continue
            nxt = next(
                (s for s in plan.pattern.starts(lt - DAY, lt + 2 * WEEK + DAY) if f(s) >= t), None
            )
            if nxt is not None and _block_start(plan, nxt) != nxt:
                return False
        return True

    ordered = sorted(candidates)
    clean = [t for t in ordered if cuts_nothing(t)]
    for t in clean:
        if starts_blocks(t):
            return t, True
    return (clean[0] if clean else since), False


def to_shift_schedule(
    schedule: Schedule,
    since: dt.datetime,
    *,
    horizon: dt.timedelta | None = None,
) -> Conversion:
    """Convert a layer-based ``schedule`` into a shift-based one that takes over at or after
    ``since`` (see :class:`Conversion`.switch_at) and puts the same people on call.

    ``horizon`` (default: a year, or one full rotation cycle of the longest layer if that is
    longer) is how far ahead the conversion is checked for daylight-saving changes and what
    :func:`~oncall_planner.migration.prove_conversion` compares. What cannot be expressed (PagerDuty's
    limits, turns that hold an uneven number of windows, ...) is left out and listed in
    :attr:`Conversion.limitations`. The layer-based schedule is read with wall-clock turns, the
    library's default (docs/semantics.md).
    """
    if not isinstance(schedule, Schedule):
        raise ValidationError(
            f"to_shift_schedule: schedule must be a layer-based Schedule, got "
            f"{type(schedule).__name__}"
        )
    check_instant(since, "to_shift_schedule", "since")
    horizon = _check_horizon(schedule, horizon)
    zclock = clock(schedule.time_zone)
    lo = to_seconds(since)
    limitations: list[Limitation] = []
    notes: list[str] = []
    epochs = _epochs(schedule, zclock, lo)
    if len(epochs) > MAX_EVENTS:
        cut = epochs[MAX_EVENTS].since
        end = lo + int((horizon + _SEARCH).total_seconds())
        limitations.append(
            Limitation(
                "too-many-events",
                f"the layers start or end {len(epochs) - 1} times from {_when(zclock, lo)} on, "
                f"and a rotation holds {MAX_EVENTS} events: the set-up from "
                f"{_when(zclock, cut)} on is left out",
                (Interval(from_seconds(cut), from_seconds(end)),) if cut < end else (),
            )
        )
        epochs = epochs[:MAX_EVENTS]
    switch = lo
    slots: list[list[ShiftEvent]] = []
    for number, epoch in enumerate(epochs):
        start = epoch.since
        # The proof runs for the horizon from the switch, which may come up to _SEARCH later.
        hi = lo + int((horizon + _SEARCH).total_seconds())
        epoch_hi = hi if epoch.until is None else min(hi, epoch.until)
        plans, problems = _plans(zclock, epoch, start, epoch_hi)
        limitations += problems
        if number == 0:
            limit = lo + int(min(horizon, _SEARCH).total_seconds())
            if epoch.until is not None:
                limit = min(limit, epoch.until)
            switch, aligned = _switch(zclock, plans, lo, limit)
            start = switch
            if switch != lo:
                notes.append(
                    f"takes over at {_when(zclock, switch)}, the first handoff from "
                    f"{_when(zclock, lo)} on that cuts no shift"
                    + ("" if aligned else " (no instant nearby starts every rotation's turn)")
                )
        bridged, bridge_notes, bridge_problems = _bridge(zclock, plans, start, epoch_hi)
        notes += bridge_notes
        limitations += bridge_problems
        kept, dropped, unbridged = _fit(bridged)
        for plan in unbridged:
            limitations.append(
                Limitation(
                    "daylight-saving",
                    f"{plan.pattern.name()} spans clock changes and its bridge finds no rotation "
                    f"left of PagerDuty's {MAX_ROTATIONS}: whether such a shift lasts its length "
                    "in real time or on the wall clock (U2) is PagerDuty's choice",
                    _dirty_spans(zclock, plan.pattern, start, epoch_hi),
                )
            )
        for plan in dropped:
            limitations.append(
                Limitation(
                    "too-many-rotations",
                    f"{plan.pattern.name()} needs a rotation of its own and PagerDuty allows "
                    f"{MAX_ROTATIONS}; it is left out",
                    _spans(zclock, plan.pattern, start, epoch_hi),
                )
            )
        for slot, plan in enumerate(kept):
            # A lead-in is one more event in the rotation: only while PagerDuty's five allow it.
            lead_in = number == 0 and len(epochs) < MAX_EVENTS
            made, event_notes = _events(plan, zclock, start, epoch.until, lead_in=lead_in)
            notes += event_notes
            while len(slots) <= slot:
                slots.append([])
            slots[slot] += made
    rotations = [Rotation(slot, name=slot[0].name) for slot in slots]
    shift = ShiftSchedule(
        schedule.name,
        schedule.time_zone,
        rotations,
        description=schedule.description,
        teams=schedule.teams,
    )
    return Conversion(
        source=schedule,
        schedule=shift,
        switch_at=from_seconds(switch),
        horizon=horizon,
        limitations=tuple(limitations),
        notes=tuple(notes),
    )


def _check_horizon(schedule: Schedule, horizon: dt.timedelta | None) -> dt.timedelta:
    longest = max(layer.turn_length * len(layer.users) for layer in schedule.layers)
    if horizon is None:
        return max(DEFAULT_HORIZON, longest)
    if not isinstance(horizon, dt.timedelta) or horizon < dt.timedelta(days=1):
        raise ValidationError(
            f"to_shift_schedule: horizon must be a timedelta of at least one day, got {horizon!r}"
        )
    return horizon


def _plans(
    zclock: ZoneClock, epoch: _Epoch, lo: int, hi: int
) -> tuple[list[_Plan], list[Limitation]]:
    """The expressible patterns of an epoch, and what is left out."""
    problems: list[Limitation] = []
    layers = []
    for lc in epoch.layers:
        if lc.too_fine():
            problems.append(
                Limitation(
                    "too-many-patterns",
                    f"layer {lc.layer.name!r}: a turn of {_describe_length(lc.length)} hands "
                    f"off at more than {_MAX_CUTS} times of the week; no rotation set can follow it",
                    (Interval(from_seconds(lo), from_seconds(hi)),) if lo < hi else (),
                )
            )
        else:
            layers.append(lc)
    if len(layers) < len(epoch.layers):
        return [], problems
    patterns = _patterns(layers)
    local_lo = zclock.to_local(lo)
    plans: list[_Plan] = []
    for pattern in patterns:
        period = min(pattern.period(), _MAX_PERIOD)
        span = max(period, hi - lo)
        if pattern.tod % 60 or pattern.length % 60:
            problems.append(
                Limitation(
                    "not-whole-minutes",
                    f"{pattern.layer.layer.name!r} ({pattern.describe()}) starts or ends at a "
                    "second that is not a whole minute; PagerDuty's times are whole minutes",
                    _spans(zclock, pattern, lo, hi),
                )
            )
            continue
        found = _analyse(pattern, local_lo - period, local_lo + span)
        if isinstance(found, str) and len(pattern.days) > 1:
            singles = [attrs.evolve(pattern, days=(d,)) for d in pattern.days]
            tries = [_analyse(p, local_lo - period, local_lo + span) for p in singles]
            if all(isinstance(t, _Plan) for t in tries):
                plans += [t for t in tries if isinstance(t, _Plan)]
                continue
        if isinstance(found, str):
            code, _, message = found.partition(": ")
            problems.append(Limitation(code, message, _spans(zclock, pattern, lo, hi)))
            continue
        plans.append(found)
    return plans, problems


def _bridge(
    zclock: ZoneClock, plans: list[_Plan], lo: int, hi: int
) -> tuple[list[tuple[_Plan, tuple[_Plan, _Plan] | None]], list[str], list[Limitation]]:
    """Each plan with the shortened plan and bridge that replace it when it spans clock
    changes (``None`` when it needs none or none fits), and notes and limitations."""
    shift = _max_shift(zclock, lo, max(hi, lo + DAY))
    out: list[tuple[_Plan, tuple[_Plan, _Plan] | None]] = []
    notes: list[str] = []
    problems: list[Limitation] = []
    for plan in plans:
        pattern = plan.pattern
        local_lo, local_hi = zclock.to_local(lo) - DAY, zclock.to_local(hi) + DAY
        dirty = [
            s for s in pattern.starts(local_lo, local_hi) if not _clean(zclock, s, pattern.length)
        ]
        if not shift or not dirty:
            out.append((plan, None))
            continue
        found = _bridged(zclock, pattern, shift, lo, hi)
        if found is None:
            problems.append(
                Limitation(
                    "daylight-saving",
                    f"{plan.pattern.name()} spans a clock change and no bridge fits it: PagerDuty "
                    "does not say whether such a shift lasts its length in real time or on the "
                    "wall clock (U2), and the two readings differ there",
                    _dirty_spans(zclock, pattern, lo, hi),
                )
            )
            out.append((plan, None))
            continue
        main, tail = found
        notes.append(
            f"{plan.pattern.name()} spans clock changes: it stops {_describe_length(shift)} early and a "
            f"bridge rotation covers its last {_describe_length(2 * shift)}, so it does not "
            "matter whether PagerDuty measures a shift in real or wall-clock time"
        )
        out.append((plan, (attrs.evolve(plan, pattern=main), attrs.evolve(plan, pattern=tail))))
    return out, notes, problems


def _fit(
    pairs: list[tuple[_Plan, tuple[_Plan, _Plan] | None]],
) -> tuple[list[_Plan], list[_Plan], list[_Plan]]:
    """At most :data:`MAX_ROTATIONS` rotations, in schedule order, each bridge after the
    pattern it completes. Patterns come first, the most time a week first; bridges take the
    rotations left, and a pattern whose bridge finds none stays whole (and unbridged)."""

    def weekly(plan: _Plan) -> int:
        return plan.pattern.length * len(plan.pattern.days)

    order = sorted(range(len(pairs)), key=lambda i: (-weekly(pairs[i][0]), i))
    kept = set(order[:MAX_ROTATIONS])
    room = MAX_ROTATIONS - len(kept)
    bridged = {i for i in order if i in kept and pairs[i][1] is not None}
    bridged = set(sorted(bridged, key=order.index)[:room])
    out: list[_Plan] = []
    dropped: list[_Plan] = []
    unbridged: list[_Plan] = []
    for i, (plan, pair) in enumerate(pairs):
        if i not in kept:
            dropped.append(plan)
        elif pair is not None and i in bridged:
            out += pair
        else:
            out.append(plan)
            if pair is not None:
                unbridged.append(plan)
    return out, dropped, unbridged


# --- plans -----------------------------------------------------------------------------------------


def to_shift_plan(
    plan: OnCallPlan,
    since: dt.datetime,
    *,
    horizon: dt.timedelta | None = None,
    schedules: Sequence[str] | None = None,
) -> PlanConversion:
    """The layer-based schedules of ``plan`` converted (:func:`to_shift_schedule`), all of them
    or those named in ``schedules``, in a plan where escalation policies target the
    shift-based schedules instead (Terraform ``schedule_reference`` to the
    ``pagerduty_schedulev2``). Other schedules stay as they are."""
    if not isinstance(plan, OnCallPlan):
        raise ValidationError(f"to_shift_plan: plan must be an OnCallPlan, got {plan!r}")
    chosen = list(plan.schedules)
    if schedules is not None:
        known = {s.name: s for s in plan.schedules}
        missing = [name for name in schedules if name not in known]
        if missing:
            raise ValidationError(
                f"to_shift_plan: no layer-based schedule named {missing[0]!r}; the plan has "
                f"{sorted(known)}"
            )
        chosen = [s for s in plan.schedules if s.name in set(schedules)]
    conversions = tuple(to_shift_schedule(s, since, horizon=horizon) for s in chosen)
    replaced = {c.source.name: c.schedule for c in conversions}

    def target(t: Target) -> Target:
        if isinstance(t.ref, Schedule) and t.ref.name in replaced:
            return Target("schedule", replaced[t.ref.name])
        return t

    policies = [
        EscalationPolicy(
            p.name,
            [
                EscalationRule(r.delay_minutes, [target(t) for t in r.targets], r.round_robin)
                for r in p.rules
            ],
            num_loops=p.num_loops,
            team=p.team,
            description=p.description,
        )
        for p in plan.escalation_policies
    ]
    new_plan = OnCallPlan(
        schedules=[s for s in plan.schedules if s.name not in replaced],
        escalation_policies=policies,
        users=plan.users,
        teams=plan.teams,
        shift_schedules=[*(c.schedule for c in conversions), *plan.shift_schedules],
    )
    return PlanConversion(new_plan, conversions)
