"""Property audits: hypothesis searches perturbations of a plan for counterexamples to fairness.

A *perturbation* moves where the window starts, starts it in a week with a DST change, lets a
member take a week off (covered by another member through overrides), adds a member to every
layer, or removes one. Shift-based schedules are perturbed the same way: their events are the
layers (a newcomer joins every event's members, a leaver leaves them) and the week off is covered
by ``ShiftOverride`` objects on the rotations (custom shifts) that hold the member's shifts. Each
property is checked over one rotation cycle of the perturbed plan. ``hypothesis`` is imported
only when :func:`audit` runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from oncall_planner.errors import OnCallPlannerError, ValidationError
from oncall_planner.fairness.horizon import (
    MAX_CYCLE,
    advance,
    cycle_length,
    default_since,
    local_time,
    members,
    time_zone_of,
)
from oncall_planner.fairness.load import union
from oncall_planner.model import (
    EscalationPolicy,
    EscalationRule,
    EveryMember,
    Layer,
    OnCallPlan,
    Override,
    Schedule,
    ShiftMember,
    ShiftOverride,
    ShiftSchedule,
    Target,
    User,
)
from oncall_planner.render import FinalSchedule, _narrowed, render
from oncall_planner.textutil import printable
from oncall_planner.timeutil import (
    DAY,
    HOUR,
    WEEK,
    check_instant,
    clock,
    from_seconds,
    to_seconds,
)

#: The properties :func:`audit` knows, with what each promises.
PROPERTIES: dict[str, str] = {
    "balanced": (
        "every member's hours on a schedule over a full cycle are within one turn of each other"
    ),
    "max_streak": "nobody is on call longer than the streak limit without a break",
    "not_starved": "every member of a schedule gets some on-call time in every cycle",
    "distinct_levels": "the person reached at level 1 of a policy is never also reached at level 2",
}

#: The most cases :func:`audit` searches per property: more would run for days.
MAX_EXAMPLES = 1_000_000

#: Every kind of perturbation, as :func:`audit`'s ``perturbations`` names them.
PERTURBATION_KINDS = ("window", "dst", "time_off", "join", "leave")

#: The perturbations each property is searched over. A week off covered by someone else moves a
#: whole turn from one person to another, so "balanced" is not searched over it.
PERTURBATIONS: dict[str, tuple[str, ...]] = {
    "balanced": ("window", "dst", "join", "leave"),
    "max_streak": ("window", "dst", "time_off", "join", "leave"),
    "not_starved": ("window", "dst", "time_off", "join", "leave"),
    "distinct_levels": ("window", "dst", "time_off", "join", "leave"),
}

NEWCOMER = User("Newcomer", "newcomer@example.com")
#: How many perturbed scenarios (with their renders) one audit keeps for the other properties.
SCENARIOS_KEPT = 512
#: What a DST change can add to a wall-clock turn; streak limits tolerate it.
DST_SLACK = HOUR
#: How many renders of unchanged schedules one audit keeps for other scenarios.
RENDERS_KEPT = 8192


class _Shared:
    """What the scenarios of one audit share: the plans perturbations make and renders of
    schedules without overrides.

    Many perturbations differ only in their window, so the plan a leaver and a newcomer make is
    made once. A perturbation leaves most schedules as they are (the same objects: see
    :func:`_map_layers`), and many scenarios share a window, so a schedule's render over a
    window is kept under the schedule's identity (the object is kept with it, so its identity is
    not reused) and the window. What a property works out from one render (hours per person,
    the members in force) is kept with it too. Everything is keyed by identity: the same
    objects give the same results, so sharing changes no result."""

    def __init__(self) -> None:
        self.finals: dict[tuple[int, int, int], tuple[Schedule | ShiftSchedule, FinalSchedule]] = {}
        self.derived: dict[tuple[str, int], tuple[FinalSchedule, Any]] = {}
        # The plans perturbations make, and the members of a plan at an instant, by identity.
        self.plans: dict[
            tuple[int, int, int | None, bool], tuple[OnCallPlan, OnCallPlan, tuple[str, ...], int]
        ] = {}
        self.rosters: dict[tuple[int, int], tuple[OnCallPlan, list[User]]] = {}
        self.joined: dict[int, tuple[Schedule | ShiftSchedule, Schedule | ShiftSchedule]] = {}
        # Where perturbations start windows (from one of ``starts`` to ``span`` later), and
        # renders of layer-based schedules over all of them (see ``_narrowed``), by identity.
        self.starts: list[int] = []
        self.span: int | None = None
        self.wide: dict[tuple[int, int], tuple[Schedule, FinalSchedule]] = {}
        self.missed: dict[tuple[int, int], Schedule] = {}

    def render(self, schedule: Schedule | ShiftSchedule, since: int, until: int) -> FinalSchedule:
        key = (id(schedule), since, until)
        found = self.finals.get(key)
        if found is not None:
            return found[1]
        final = self._narrowed(schedule, since, until)
        if final is None:
            final = render(schedule, from_seconds(since), from_seconds(until))
        if len(self.finals) >= RENDERS_KEPT:
            self.finals.clear()
            self.derived.clear()
            self.wide.clear()
            self.missed.clear()
        self.finals[key] = (schedule, final)
        return final

    def _narrowed(
        self, schedule: Schedule | ShiftSchedule, since: int, until: int
    ) -> FinalSchedule | None:
        """A layer-based schedule's render over a window that starts where a perturbation can
        start it (from one of ``starts`` to ``span`` later), cut from one render over all such
        windows once the schedule is rendered over a second one; ``None`` otherwise."""
        if self.span is None or not isinstance(schedule, Schedule):
            return None
        for lo in self.starts:
            if lo <= since < lo + self.span:
                break
        else:
            return None
        key = (id(schedule), lo)
        wide = self.wide.get(key)
        if wide is None or to_seconds(wide[1].until) < until:
            if wide is None and key not in self.missed:
                self.missed[key] = schedule  # its first such window: rendered alone
                return None
            end = lo + self.span + (until - since) + DAY
            try:
                made = render(schedule, from_seconds(lo), from_seconds(end))
            except OnCallPlannerError:  # too large to render at once: window by window
                return None
            wide = self.wide[key] = (schedule, made)
        return _narrowed(wide[1], since, until)

    def derive(self, what: str, final: FinalSchedule, fn: Callable[[FinalSchedule], Any]) -> Any:
        """``fn(final)``, worked out once per render (``what`` names ``fn``)."""
        key = (what, id(final))
        found = self.derived.get(key)
        if found is not None:
            return found[1]
        value = fn(final)
        if len(self.derived) >= 4 * RENDERS_KEPT:
            self.derived.clear()
        self.derived[key] = (final, value)
        return value


@attrs.frozen
class Perturbation:
    """One way to disturb a plan; indices pick people from the roster modulo its size."""

    shift_hours: int = 0
    dst: bool = False
    time_off: tuple[int, int, int] | None = None  # (member, which stretch, coverer offset ≥ 1)
    join: bool = False
    leave: int | None = None


@attrs.frozen
class Scenario:
    """A perturbed plan, its window and overrides, and what was done in plain words.

    Its schedules are rendered once, when a property first asks (:func:`_finals`), and the
    render is kept with the scenario for the other properties. A schedule without overrides is
    rendered through what the audit shares (``shared``, :class:`_Shared`): an unchanged
    schedule over a window some other scenario used (or that making this one used, to find
    someone's time off) is not rendered again; only schedules that got overrides are."""

    plan: OnCallPlan
    since: int
    until: int
    overrides: Mapping[str, tuple[Override, ...] | tuple[ShiftOverride, ...]]
    absent: str | None
    words: str
    _rendered: list[FinalSchedule] = attrs.field(factory=list, init=False, eq=False, repr=False)
    _shared: _Shared = attrs.field(factory=_Shared, kw_only=True, eq=False, repr=False)


def _count(n: int, one: str, many: str | None = None) -> str:
    """``1 case``, ``2 cases``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


@attrs.frozen
class PropertyResult:
    """How one property fared: ``held`` after ``tried`` cases, or the shrunk counterexample."""

    name: str
    promise: str
    held: bool
    tried: int
    shrink_steps: int
    counterexample: str | None
    violation: str | None
    searched: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.held:
            over = f"; searched: {', '.join(self.searched)}" if self.searched else ""
            # The header says "up to N cases per property": those are the perturbed ones, and the
            # plan as written comes first, so count it apart (it read "held over 101 cases").
            more = _count(self.tried - 1, "more case", "more cases")
            return f"{self.name}: held on the plan as written and {more} ({self.promise}{over})"
        return (
            f"{self.name}: VIOLATED after {_count(self.tried, 'case')} ({self.promise})\n"
            f"    when: {self.counterexample}\n    then: {self.violation}"
        )


@attrs.frozen
class AuditReport:
    """The result of :func:`audit`: one :class:`PropertyResult` per property, in order."""

    results: tuple[PropertyResult, ...]
    seed: int
    max_examples: int

    @property
    def ok(self) -> bool:
        return all(r.held for r in self.results)

    @property
    def violated(self) -> tuple[PropertyResult, ...]:
        return tuple(r for r in self.results if not r.held)

    def result(self, name: str) -> PropertyResult:
        for r in self.results:
            if r.name == name:
                return r
        raise ValidationError(
            f"AuditReport: no property {name!r}; it has {[r.name for r in self.results]}"
        )

    def to_text(self) -> str:
        head = (
            f"Fairness audit (seed {self.seed}, up to {self.max_examples} cases per property): "
            f"{len(self.results) - len(self.violated)} of "
            f"{_count(len(self.results), 'property', 'properties')} held"
        )
        return printable("\n".join([head, *("  " + r.describe() for r in self.results)]) + "\n")

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "max_examples": self.max_examples,
            "ok": self.ok,
            "results": [attrs.asdict(r) for r in self.results],
        }


# -- perturbing a plan --------------------------------------------------------------------------


def _map_schedule(
    s: Schedule | ShiftSchedule,
    fn: Callable[[Layer], Layer],
    members_fn: Callable[[tuple[ShiftMember, ...]], tuple[ShiftMember, ...]] | None,
) -> Schedule | ShiftSchedule:
    """One schedule with :func:`_map_layers`'s changes: itself when nothing changes."""
    if isinstance(s, Schedule):
        layers = [fn(layer) for layer in s.layers]
        changed = any(a is not b for a, b in zip(layers, s.layers, strict=True))
        return attrs.evolve(s, layers=layers) if changed else s
    if members_fn is None:
        return s
    rotations = []
    for r in s.rotations:
        events = []
        for e in r.events:
            people = members_fn(e.members)
            events.append(
                e
                if people is e.members
                else attrs.evolve(e, assignment=attrs.evolve(e.assignment, members=people))
            )
        if any(a is not b for a, b in zip(events, r.events, strict=True)):
            rotations.append(attrs.evolve(r, events=events))
        else:
            rotations.append(r)
    if any(a is not b for a, b in zip(rotations, s.rotations, strict=True)):
        return attrs.evolve(s, rotations=rotations)
    return s


def _map_layers(
    plan: OnCallPlan,
    fn: Callable[[Layer], Layer],
    members_fn: Callable[[tuple[ShiftMember, ...]], tuple[ShiftMember, ...]] | None = None,
    made: dict[int, tuple[Schedule | ShiftSchedule, Schedule | ShiftSchedule]] | None = None,
) -> OnCallPlan:
    """The plan with every layer replaced by ``fn(layer)`` and, with ``members_fn``, the members
    of every shift-based event replaced by ``members_fn(members)`` (policies follow their
    schedules). ``made`` keeps what each schedule (by identity) became, for calls with the same
    ``fn`` and ``members_fn``: a schedule seen before becomes the same object again.

    ``fn`` and ``members_fn`` return what they were given when they change nothing, and then the
    schedule (rotation, event, policy, rule) is kept as it is, the same object: only what changed
    is made and validated again, and renders of an unchanged schedule can be shared."""
    new: dict[str, Schedule | ShiftSchedule] = {}
    made = {} if made is None else made
    for s in plan.all_schedules:
        known = made.get(id(s))
        if known is None:
            known = made[id(s)] = (s, _map_schedule(s, fn, members_fn))
        new[s.name] = known[1]

    def target(t: Target) -> Target:
        unchanged = t.schedule is None or new[t.schedule.name] is t.schedule
        return t if unchanged else Target.schedule(new[t.schedule.name])

    policies: list[EscalationPolicy] = []
    for p in plan.escalation_policies:
        rules: list[EscalationRule] = []
        for rule in p.rules:
            targets = [target(t) for t in rule.targets]
            if any(a is not b for a, b in zip(targets, rule.targets, strict=True)):
                rules.append(attrs.evolve(rule, targets=targets))
            else:
                rules.append(rule)
        if any(a is not b for a, b in zip(rules, p.rules, strict=True)):
            policies.append(attrs.evolve(p, rules=rules))
        else:
            policies.append(p)
    kept = set(members(new.values(), None))
    kept.update(t.user for p in policies for r in p.rules for t in r.targets if t.user is not None)
    users = [u for u in plan.users if u in kept]
    return OnCallPlan(
        schedules=[s for s in new.values() if isinstance(s, Schedule)],
        shift_schedules=[s for s in new.values() if isinstance(s, ShiftSchedule)],
        escalation_policies=policies,
        users=users,
    )


def _fmt(seconds: int, tz: str) -> str:
    return local_time(from_seconds(seconds), tz)


def _next_dst_change(tz: str, after: int) -> int | None:
    zc = clock(tz)
    t = after
    for _ in range(400):
        if zc.offset(t) != zc.offset(t + DAY):
            lo, hi = t, t + DAY
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if zc.offset(mid) == zc.offset(lo):
                    lo = mid
                else:
                    hi = mid
            return hi
        t += DAY
    return None


def _hours(seconds: int) -> str:
    h = seconds / HOUR
    return f"{h:g} h"


def _perturb_plan(
    plan: OnCallPlan,
    base_since: int,
    roster: list[User],
    leave: int | None,
    join: bool,
    joined: dict[int, tuple[Schedule | ShiftSchedule, Schedule | ShiftSchedule]],
) -> tuple[OnCallPlan, tuple[str, ...], int]:
    """The plan without ``roster[leave]`` and with the newcomer if ``join``, what was done in
    words, and the length of the window (one rotation cycle from ``base_since``, capped).
    ``joined``: what each schedule became when the newcomer joined it (see :func:`_map_layers`),
    so a schedule the leaver was not on is joined into the same object whoever left."""
    words: list[str] = []
    every = "every layer and event" if plan.shift_schedules else "every layer"
    if leave is not None:
        gone = roster[leave]

        def drop(layer: Layer) -> Layer:
            if gone not in layer.users:
                return layer
            kept = [u for u in layer.users if u != gone]
            return attrs.evolve(layer, users=kept) if kept else layer

        def drop_member(people: tuple[ShiftMember, ...]) -> tuple[ShiftMember, ...]:
            if gone not in people:
                return people
            kept = tuple(m for m in people if m != gone)
            return kept if any(isinstance(m, User) for m in kept) else people

        plan = _map_layers(plan, drop, drop_member)
        words.append(f"{gone.name} leaves {every}")
    if join:
        plan = _map_layers(
            plan,
            lambda layer: attrs.evolve(layer, users=[*layer.users, NEWCOMER]),
            lambda people: (*people, NEWCOMER) if NEWCOMER not in people else people,
            joined,
        )
        words.append(f"{NEWCOMER.name} ({NEWCOMER.email}) joins {every} at the end of the order")
    cycle = cycle_length(plan.all_schedules, from_seconds(base_since))
    length = int(min(cycle or dt.timedelta(weeks=1), MAX_CYCLE).total_seconds())
    return plan, tuple(words), length


def apply(
    plan: OnCallPlan,
    base_since: int,
    p: Perturbation,
    tz: str,
    *,
    shared: _Shared | None = None,
) -> Scenario:
    """The scenario a perturbation makes of ``plan`` (``shared``: what the scenarios of one audit
    share, :class:`_Shared`)."""
    shared = _Shared() if shared is None else shared
    key = (id(plan), base_since)
    known = shared.rosters.get(key)
    if known is None:
        known = shared.rosters[key] = (plan, members(plan.all_schedules, base_since))
    roster = known[1]
    leave = p.leave % len(roster) if p.leave is not None and len(roster) > 1 else None
    # Many perturbations differ only in their window: the plan they make is made once.
    made = shared.plans.get((id(plan), base_since, leave, p.join))
    if made is None:
        made = shared.plans[(id(plan), base_since, leave, p.join)] = (
            plan,
            *_perturb_plan(plan, base_since, roster, leave, p.join, shared.joined),
        )
    _, plan, done, length = made
    words = list(done)
    start = base_since
    change = _next_dst_change(tz, base_since) if p.dst else None
    if change is not None:
        start = change - 3 * DAY
    start += p.shift_hours * HOUR
    until = advance(start, length, tz)
    if change is not None:
        when = f"{p.shift_hours} h after " if p.shift_hours else ""
        words.append(f"the window starts {when}3 days before the DST change of {_fmt(change, tz)}")
    elif p.shift_hours:
        words.append(f"the window starts {p.shift_hours} h later than the layers do")
    overrides: dict[str, tuple[Override, ...] | tuple[ShiftOverride, ...]] = {}
    absent = None
    finals: list[FinalSchedule] = []
    roster = members(plan.all_schedules, start)
    if p.time_off is not None and len(roster) > 1:
        m, nth, c = p.time_off
        member = roster[m % len(roster)]
        finals = [shared.render(s, start, until) for s in plan.all_schedules]
        stretches = union(
            (to_seconds(e.start), to_seconds(e.end))
            for f in finals
            for e in f.entries
            if e.user == member
        )
        if not stretches:
            words.append(f"{member.name} would take a week off but has no on-call time to give up")
        else:
            # The week from the start of one of the member's stretches: their own turn, off.
            off_lo = stretches[nth % len(stretches)][0]
            off_hi = off_lo + WEEK
            # A team asks someone who is free that week; only when nobody is does someone on
            # call elsewhere (perhaps on the other level) cover as well.
            others = [u for u in roster if u != member]
            busy = {
                e.user
                for f in finals
                for e in f.entries
                if to_seconds(e.start) < off_hi and to_seconds(e.end) > off_lo
            }
            free = [u for u in others if u not in busy]
            pool = free or others
            cover = pool[(c - 1) % len(pool)]
            count = 0
            for f in finals:
                items = _cover_overrides(f, member, cover, off_lo, off_hi)
                if items:
                    overrides[f.schedule.name] = items
                    count += len(items)
            absent = member.email.lower()
            busy_note = "" if free else " (nobody else was free that week)"
            words.append(
                f"{member.name} takes the week from {_fmt(off_lo, tz)} off and {cover.name} "
                f"covers with {_count(count, 'override')}{busy_note}"
            )
    window = f"window {_fmt(start, tz)} → {_fmt(until, tz)}"
    text = "; ".join(words) if words else "the plan as written"
    scenario = Scenario(plan, start, until, overrides, absent, f"{text} ({window})", shared=shared)
    return scenario


def _cover_overrides(
    final: FinalSchedule, member: User, cover: User, off_lo: int, off_hi: int
) -> tuple[Override, ...] | tuple[ShiftOverride, ...]:
    """Overrides that give ``cover`` ``member``'s time in ``[off_lo, off_hi)`` on one rendered
    schedule: layer-based, an ``Override`` per stretch; shift-based, a ``ShiftOverride`` per
    stretch of each rotation (custom shift) that holds the member's shifts."""
    schedule = final.schedule
    if isinstance(schedule, Schedule):
        return tuple(
            Override(from_seconds(max(a, off_lo)), from_seconds(min(b, off_hi)), cover)
            for a, b in (
                (to_seconds(e.start), to_seconds(e.end)) for e in final.entries if e.user == member
            )
            if a < off_hi and b > off_lo
        )
    by_source: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for e in final.entries:
        src = e.source
        if e.user != member or src is None:
            continue
        if src.kind == "rotation" and src.rotation is not None:
            key = ("rotation", src.rotation)
        elif src.kind == "custom_shift" and src.custom_shift is not None:
            key = ("custom_shift", src.custom_shift)
        else:
            continue  # an override's time: nothing in these scenarios
        a, b = max(to_seconds(e.start), off_lo), min(to_seconds(e.end), off_hi)
        if a < b:
            by_source.setdefault(key, []).append((a, b))
    out: list[ShiftOverride] = []
    for (kind, index), spans in sorted(by_source.items()):
        for a, b in union(spans):
            out.append(
                ShiftOverride(
                    from_seconds(a),
                    from_seconds(b),
                    member,
                    cover,
                    rotation=schedule.rotations[index] if kind == "rotation" else None,
                    custom_shift=schedule.custom_shifts[index] if kind == "custom_shift" else None,
                )
            )
    return tuple(sorted(out, key=lambda o: (o.start, o.end)))


# -- the properties -----------------------------------------------------------------------------


def _final(sc: Scenario, i: int) -> FinalSchedule:
    """The scenario's ``i``-th schedule rendered over its window, once per scenario, and the
    ones before it (the renders are kept in order)."""
    done = sc._rendered
    schedules = sc.plan.all_schedules
    while len(done) <= i:
        s = schedules[len(done)]
        if s.name in sc.overrides:
            since, until = from_seconds(sc.since), from_seconds(sc.until)
            done.append(render(s, since, until, sc.overrides[s.name]))
        else:
            done.append(sc._shared.render(s, sc.since, sc.until))
    return done[i]


def _each_final(sc: Scenario) -> Iterator[FinalSchedule]:
    """The scenario's schedules rendered, in order, each only when asked for: a property that
    finds a violation on one schedule renders none after it."""
    for i in range(len(sc.plan.all_schedules)):
        yield _final(sc, i)


def _finals(sc: Scenario) -> list[FinalSchedule]:
    """The scenario's schedules rendered over its window, once per scenario."""
    return list(_each_final(sc))


def _schedule_hours(final: FinalSchedule) -> dict[str, int]:
    """Seconds on call per person (by email): the union of their entries, so two overlapping
    shifts of a shift-based schedule count once."""
    if not final.concurrent:
        # A layer-based schedule's entries are disjoint: the union of someone's entries is as
        # long as they are together, so add them up (per person, then by email, in the order
        # people first appear, as below).
        per_user: dict[User, int] = {}
        get = per_user.get
        for e in final.entries:
            per_user[e.user] = get(e.user, 0) + to_seconds(e.end) - to_seconds(e.start)
        hours: dict[str, int] = {}
        for user, seconds in per_user.items():
            key = user.email.lower()
            hours[key] = hours.get(key, 0) + seconds
        return hours
    spans: dict[str, list[tuple[int, int]]] = {}
    for e in final.entries:
        spans.setdefault(e.user.email.lower(), []).append((to_seconds(e.start), to_seconds(e.end)))
    return {key: sum(b - a for a, b in union(v)) for key, v in spans.items()}


def _turns(schedule: Schedule | ShiftSchedule) -> list[int]:
    """The longest stretch one turn can hold on ``schedule`` (seconds), per layer or event: a
    layer's ``turn_length``; an event's occurrence length times ``shifts_per_member`` (one
    occurrence with every member at once)."""
    if isinstance(schedule, Schedule):
        return [int(layer.turn_length.total_seconds()) for layer in schedule.layers]
    out = []
    for rotation in schedule.rotations:
        for event in rotation.events:
            length = int((event.end_time - event.start_time).total_seconds())
            if not isinstance(event.assignment, EveryMember):
                length *= event.assignment.shifts_per_member
            out.append(length)
    return out


def _members_of(final: FinalSchedule) -> list[User]:
    """The members of the schedule rendered, in force over the render's window."""
    return members([final.schedule], to_seconds(final.since), to_seconds(final.until))


def check_balanced(sc: Scenario, tz: str, limit: int | None) -> str | None:
    derive = sc._shared.derive
    for final in _each_final(sc):
        s = final.schedule
        people = derive("members", final, _members_of)
        if len(people) < 2:
            continue
        hours = derive("hours", final, _schedule_hours)
        turn = max(_turns(s), default=0)
        ranked = sorted(people, key=lambda u: (hours.get(u.email.lower(), 0), u.email))
        low, high = ranked[0], ranked[-1]
        gap = hours.get(high.email.lower(), 0) - hours.get(low.email.lower(), 0)
        if gap > turn:
            return (
                f"on {s.name!r} {high.name} has {_hours(hours.get(high.email.lower(), 0))} and "
                f"{low.name} {_hours(hours.get(low.email.lower(), 0))}: {_hours(gap)} apart, more "
                f"than one turn ({_hours(turn)})"
            )
    return None


def check_max_streak(sc: Scenario, tz: str, limit: int | None) -> str | None:
    spans: dict[str, list[tuple[int, int]]] = {}
    names: dict[str, str] = {}
    for final in _finals(sc):
        for e in final.entries:
            key = e.user.email.lower()
            names[key] = e.user.name
            spans.setdefault(key, []).append((to_seconds(e.start), to_seconds(e.end)))
    if limit is None:
        turns = [t for s in sc.plan.all_schedules for t in _turns(s)]
        limit = max(turns, default=WEEK)
    for key in sorted(spans):
        for lo, hi in union(spans[key]):
            if hi - lo > limit + DST_SLACK:
                return (
                    f"{names[key]} is on call for {_hours(hi - lo)} straight ({_fmt(lo, tz)} → "
                    f"{_fmt(hi, tz)}), more than the limit of {_hours(limit)}"
                )
    return None


def check_not_starved(sc: Scenario, tz: str, limit: int | None) -> str | None:
    derive = sc._shared.derive
    for final in _each_final(sc):
        hours = derive("hours", final, _schedule_hours)
        for u in derive("members", final, _members_of):
            key = u.email.lower()
            if key != sc.absent and hours.get(key, 0) == 0:
                return (
                    f"{u.name} is a member of {final.schedule.name!r} but never on call in its "
                    "final schedule over the whole cycle"
                )
    return None


def check_distinct_levels(sc: Scenario, tz: str, limit: int | None) -> str | None:
    index = {s.name: i for i, s in enumerate(sc.plan.all_schedules)}
    for policy in sc.plan.escalation_policies:
        if len(policy.rules) < 2:
            continue
        reached: list[dict[str, list[tuple[int, int]]]] = []
        for rule in policy.rules[:2]:
            level: dict[str, list[tuple[int, int]]] = {}
            for t in rule.targets:
                if t.schedule is not None:
                    for e in _final(sc, index[t.schedule.name]).entries:
                        level.setdefault(e.user.email.lower(), []).append(
                            (to_seconds(e.start), to_seconds(e.end))
                        )
                elif t.user is not None:
                    level.setdefault(t.user.email.lower(), []).append((sc.since, sc.until))
            reached.append({k: union(v) for k, v in level.items()})
        for key in sorted(set(reached[0]) & set(reached[1])):
            for a0, a1 in reached[0][key]:
                for b0, b1 in reached[1][key]:
                    lo, hi = max(a0, b0), min(a1, b1)
                    if lo < hi:
                        name = sc.plan.user(key).name
                        return (
                            f"policy {policy.name!r} reaches {name} at level 1 and level 2 at "
                            f"once from {_fmt(lo, tz)} to {_fmt(hi, tz)}"
                        )
    return None


_CHECKS: dict[str, Callable[[Scenario, str, int | None], str | None]] = {
    "balanced": check_balanced,
    "max_streak": check_max_streak,
    "not_starved": check_not_starved,
    "distinct_levels": check_distinct_levels,
}


class _ViolationError(AssertionError):
    pass


def _strategy(kinds: Sequence[str], cycle_hours: int) -> Any:
    from hypothesis import strategies as st

    none_or: Callable[[Any], Any] = lambda s: st.none() | s  # noqa: E731
    return st.builds(
        Perturbation,
        shift_hours=st.integers(0, max(cycle_hours - 1, 0)) if "window" in kinds else st.just(0),
        dst=st.booleans() if "dst" in kinds else st.just(False),
        time_off=none_or(st.tuples(st.integers(0, 63), st.integers(0, 63), st.integers(1, 63)))
        if "time_off" in kinds
        else st.none(),
        join=st.booleans() if "join" in kinds else st.just(False),
        leave=none_or(st.integers(0, 63)) if "leave" in kinds else st.none(),
    )


def _bind(body: Callable[[Perturbation], None]) -> Callable[[Perturbation], None]:
    """A one-argument function for ``@given`` (which refuses functions with defaults)."""

    def run(p: Perturbation) -> None:
        body(p)

    return run


def _check_arguments(
    plan: object,
    properties: Iterable[str] | None,
    perturbations: Iterable[str] | None,
    since: object,
    max_streak: object,
    max_examples: object,
    seed: object,
) -> tuple[list[str], tuple[str, ...]]:
    """:func:`audit`'s arguments checked: the property names and the perturbation kinds."""
    if not isinstance(plan, OnCallPlan):
        raise ValidationError(f"audit: plan must be an OnCallPlan, got {type(plan).__name__}")
    if isinstance(properties, str):
        properties = [properties]  # one property by name, not its letters
    if isinstance(perturbations, str):
        perturbations = [perturbations]
    if since is not None:
        check_instant(since, "audit", "since")
    if max_streak is not None and (
        not isinstance(max_streak, dt.timedelta) or max_streak <= dt.timedelta(0)
    ):
        raise ValidationError(
            f"audit: max_streak must be a positive timedelta, got {type(max_streak).__name__} "
            f"{max_streak!r}"
        )
    names = list(PROPERTIES) if properties is None else list(properties)
    for name in names:
        if name not in PROPERTIES:
            raise ValidationError(
                f"audit: unknown property {name!r}; choose from {list(PROPERTIES)}"
            )
    if (
        not isinstance(max_examples, int)
        or isinstance(max_examples, bool)
        or not 1 <= max_examples <= MAX_EXAMPLES
    ):
        raise ValidationError(
            f"audit: max_examples must be a whole number ≥ 1 and at most {MAX_EXAMPLES:,}, "
            f"got {max_examples!r}"
        )
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValidationError(f"audit: seed must be an int, got {seed!r}")
    allowed = PERTURBATION_KINDS
    chosen = allowed if perturbations is None else tuple(perturbations)
    for kind in chosen:
        if kind not in allowed:
            raise ValidationError(
                f"audit: unknown perturbation {kind!r}; choose from {list(allowed)}"
            )
    return names, chosen


def audit(
    plan: OnCallPlan,
    properties: Iterable[str] | None = None,
    max_examples: int = 100,
    seed: int = 0,
    *,
    since: dt.datetime | None = None,
    max_streak: dt.timedelta | None = None,
    perturbations: Iterable[str] | None = None,
) -> AuditReport:
    """Search perturbations of ``plan`` for counterexamples to fairness properties.

    ``properties`` picks from :data:`PROPERTIES` (all by default). ``since`` is where the
    unperturbed window starts (default: when the last layer starts). ``max_streak`` is the longest
    stretch on call allowed (default: the longest turn; a DST hour is tolerated).
    ``perturbations`` limits the kinds searched (``window``, ``dst``, ``time_off``, ``join``,
    ``leave``). The same plan, arguments and ``seed`` give the same report.
    """
    from hypothesis import HealthCheck, Phase, Verbosity, example, given, settings
    from hypothesis import seed as hseed

    names, chosen = _check_arguments(
        plan, properties, perturbations, since, max_streak, max_examples, seed
    )
    start = since if since is not None else default_since(plan.all_schedules)
    if start is None:
        raise ValidationError("audit: the plan has no layers, so there is nothing to audit")
    cycle = cycle_length(plan.all_schedules, start)
    if cycle is None:
        raise ValidationError(
            f"audit: every layer (every shift-based event) has ended by {start.isoformat()}, so "
            "there is nothing to audit"
        )
    base = to_seconds(start)
    limit = int(max_streak.total_seconds()) if max_streak is not None else None
    tz = time_zone_of(plan)
    capped = min(cycle, MAX_CYCLE)
    cycle_hours = int(capped.total_seconds()) // HOUR

    # The properties search the same perturbations (hypothesis draws the same examples from the
    # same strategy and seed): each scenario is made, and rendered, once for all of them.
    scenarios: dict[Perturbation, Scenario] = {}
    shared = _Shared()
    # Windows start from ``base`` or from 3 days before the next DST change, up to a cycle later.
    change = _next_dst_change(tz, base) if "dst" in chosen else None
    shared.starts = [base] if change is None else [base, change - 3 * DAY]
    shared.span = cycle_hours * HOUR

    def scenario(p: Perturbation) -> Scenario:
        found = scenarios.get(p)
        if found is None:
            if len(scenarios) >= SCENARIOS_KEPT:
                del scenarios[next(iter(scenarios))]
            found = scenarios[p] = apply(plan, base, p, tz, shared=shared)
        return found

    results = []
    for name in names:
        kinds = [k for k in PERTURBATIONS[name] if k in chosen]
        strategy = _strategy(kinds, cycle_hours)
        state: dict[str, Any] = {"runs": 0, "first": None, "last": None}

        def body(
            p: Perturbation, check: Any = _CHECKS[name], state: dict[str, Any] = state
        ) -> None:
            state["runs"] += 1
            sc = scenario(p)
            problem = check(sc, tz, limit)
            if problem is not None:
                if state["first"] is None:
                    state["first"] = state["runs"]
                state["last"] = (sc.words, problem)
                raise _ViolationError(problem)

        test = given(strategy)(example(Perturbation())(_bind(body)))  # type: ignore[no-untyped-call]
        run: Callable[[], None] = hseed(seed)(
            settings(
                max_examples=max_examples,
                database=None,
                deadline=None,
                derandomize=False,
                verbosity=Verbosity.quiet,
                phases=(Phase.explicit, Phase.generate, Phase.shrink),
                suppress_health_check=list(HealthCheck),
                report_multiple_bugs=False,
            )(test)
        )
        with contextlib.suppress(_ViolationError):
            run()
        if state["last"] is None:
            results.append(
                PropertyResult(
                    name, PROPERTIES[name], True, state["runs"], 0, None, None, tuple(kinds)
                )
            )
        else:
            results.append(
                PropertyResult(
                    name,
                    PROPERTIES[name],
                    False,
                    state["first"],
                    state["runs"] - state["first"],
                    state["last"][0],
                    state["last"][1],
                    tuple(kinds),
                )
            )
    return AuditReport(tuple(results), seed, max_examples)


def assert_fair(
    plan: OnCallPlan, properties: Iterable[str] | None = None, **kwargs: Any
) -> AuditReport:
    """Run :func:`audit` and fail with its report (an ``AssertionError``) if a property breaks.

    For teams' CI: ``def test_rotation_is_fair(): assert_fair(build_plan(), seed=1)``.
    """
    report = audit(plan, properties, **kwargs)
    if not report.ok:
        raise AssertionError(report.to_text())
    return report


__all__ = [
    "PERTURBATIONS",
    "PROPERTIES",
    "AuditReport",
    "Perturbation",
    "PropertyResult",
    "Scenario",
    "apply",
    "assert_fair",
    "audit",
]
