"""Escalation rules (OCP3xx): schedules no policy pages, one-level policies, policies that never
reach a second person or reach them slowly, skipped levels, permanent user targets, the same person
on two levels at once."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from oncall_planner.checks._engine import (
    Context,
    Hit,
    Spans,
    hours,
    intervals,
    join,
    policy_schedules,
    policy_subject,
    rule,
    schedule_subject,
    seconds,
    span,
    user_subject,
    when,
)
from oncall_planner.escalation import Step
from oncall_planner.model import EscalationPolicy, User
from oncall_planner.render import Interval
from oncall_planner.timeutil import from_seconds


def _zone(policy: EscalationPolicy) -> str | None:
    schedules = policy_schedules(policy)
    return schedules[0].time_zone if schedules else None


Levels = tuple[tuple[User, ...], ...]


class _Segments(NamedTuple):
    """Stretches of the horizon where every level of ``policy`` has the same people on call:
    their starts and ends in POSIX seconds (one after the other, covering the horizon) and the
    people of each level as a tuple, so that segments with the same people share one answer:
    ``distinct`` holds each different answer once and ``which`` says which one each segment has
    (an index, since hashing a tuple of people hashes every person again)."""

    starts: list[int]
    ends: list[int]
    which: list[int]
    distinct: list[Levels]


def _segments(ctx: Context, policy: EscalationPolicy) -> _Segments:
    def compute() -> _Segments:
        table = ctx.level_table(policy)
        n = bisect.bisect_left(table.points, ctx.hi)  # the change points inside the horizon
        index: dict[int, int] = {}
        which = [index.setdefault(w, len(index)) for w in table.which[:n]]
        return _Segments(
            table.points[:n],
            [*table.points[1:n], ctx.hi],
            which,
            [table.distinct[w] for w in index],
        )

    return ctx.memo(("segments", policy.name), compute)


def _where(segments: _Segments, flagged: Sequence[bool]) -> Spans:
    """The segments whose distinct levels are flagged true, touching ones joined."""
    flags = list(map(flagged.__getitem__, segments.which))
    return join(
        list(itertools.compress(segments.starts, flags)),
        list(itertools.compress(segments.ends, flags)),
    )


def _reach(seen: list[User], people: Sequence[User], round_robin: bool) -> None:
    """Add to ``seen`` the people a level on call with ``people`` reaches for sure: a round-robin
    level (with several targets) reaches only one of them, and in the worst case one already
    reached; any other level reaches them all."""
    if round_robin:
        if not any(p in seen for p in people):
            seen.append(people[0])
    else:
        seen.extend(p for p in dict.fromkeys(people) if p not in seen)


def _reached(policy: EscalationPolicy, levels: Sequence[Sequence[User]]) -> list[User]:
    """The distinct people one pass of the policy reaches for sure (see :func:`_reach`)."""
    seen: list[User] = []
    for r, people in zip(policy.rules, levels, strict=True):
        if people:
            _reach(seen, people, r.round_robin and len(r.targets) > 1)
    return seen


@rule(
    "OCP301",
    "unreferenced-schedule",
    "warning",
    "A schedule that no escalation policy targets: nobody is ever paged from it.",
)
def unreferenced_schedule(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    used = {s.name for p in ctx.plan.escalation_policies for s in policy_schedules(p)}
    for sched in ctx.plan.all_schedules:
        if sched.name not in used:
            yield Hit(
                subject=schedule_subject(sched),
                message="no escalation policy targets this schedule, so nobody is paged from it",
                hint=(
                    "add it as a target of a policy level (e.g. level 2 for a secondary), or "
                    "delete it"
                ),
            )


@rule(
    "OCP302",
    "single-level-policy",
    "warning",
    "An escalation policy with one level: if that person does not answer, nobody else is paged.",
)
def single_level_policy(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for policy in ctx.plan.escalation_policies:
        if len(policy.rules) == 1:
            yield Hit(
                subject=policy_subject(policy),
                message="has a single level; an unanswered page never reaches a second person",
                hint="add a level for a secondary schedule or a manager",
            )


@rule(
    "OCP303",
    "no-second-person",
    "warning",
    "Time when the levels of a policy do not reach two distinct people (primary and secondary).",
    min_people=2,
)
def no_second_person(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for policy in ctx.plan.escalation_policies:
        segments = _segments(ctx, policy)
        # The same people on call reach the same people: one answer per distinct levels.
        few = [len(_reached(policy, levels)) < t["min_people"] for levels in segments.distinct]
        merged = _where(segments, few)
        if merged[0]:
            found = intervals(merged)
            yield Hit(
                subject=policy_subject(policy),
                message=(
                    f"reaches fewer than {t['min_people']:g} distinct people for "
                    f"{hours(dt.timedelta(seconds=seconds(merged)))}, "
                    f"first {span(found[0], _zone(policy))}"
                ),
                intervals=found,
                hint="make a later level page someone other than the first level's person",
            )


def _second_minute(walk: Iterable[Step]) -> int | None:
    """The minute a second distinct person is notified (round-robin levels: worst case)."""
    seen: list[User] = []
    for step in walk:
        people = list(step.reached)
        if not people:
            continue
        _reach(seen, people, step.rule.round_robin and len(step.rule.targets) > 1)
        if len(seen) >= 2:
            return step.minute
    return None


def _fast_walk(ctx: Context, policy: EscalationPolicy) -> Callable[[int], int | None]:
    """:func:`_second_minute` over :func:`oncall_planner.escalation.steps`, in integer seconds
    for the many trigger instants OCP304 tries (the tests check that both agree)."""
    walk = _sweep_walk(ctx, policy)
    return lambda start: walk(start)[0]


def _sweep_walk(ctx: Context, policy: EscalationPolicy) -> Callable[[int], tuple[int | None, int]]:
    """For a trigger instant (POSIX seconds): the minute a second distinct person is notified,
    and the next trigger instant at which that can change. Every later trigger before it makes
    the same look-ups land in the same stretches of the same schedules, so it skips the same
    levels and notifies the same people at the same offsets."""
    levels = [
        (
            r.delay_minutes * 60,
            r.round_robin and len(r.targets) > 1,
            [
                (tg.user, ctx.lookup(tg.schedule) if tg.schedule is not None else None)
                for tg in r.targets
            ],
        )
        for r in policy.rules
    ]
    passes = policy.num_loops + 1

    def walk(start: int) -> tuple[int | None, int]:
        seen: list[User] = []
        offset = 0
        horizon = 2**62
        for _ in range(passes):
            for delay, round_robin, targets in levels:
                people: list[User] = []
                for user, table in targets:
                    if table is None:
                        found: tuple[User, ...] = (user,) if user is not None else ()
                    else:
                        found, following = table.at_and_next(start + offset)
                        if following - offset < horizon:
                            horizon = following - offset
                    if people:
                        people.extend(p for p in found if p not in people)
                    else:
                        people = list(dict.fromkeys(found)) if len(found) > 1 else list(found)
                if not people:
                    continue
                _reach(seen, people, round_robin)
                if len(seen) >= 2:
                    return offset // 60, horizon
                offset += delay
        return None, horizon

    return walk


def _segment_walk(
    ctx: Context, policy: EscalationPolicy
) -> Callable[[int], tuple[int | None, int]] | None:
    """:func:`_sweep_walk` answered from tables: the people on each level between two changes
    of the policy's schedules (:meth:`Context.levels_at_seconds`, bisected once per change point
    over the horizon and the stretch past it that the escalation reaches), each person a small
    integer, and for each level the next change of its own schedules after each change point.
    One bisect per level visited instead of two look-ups per target; the same answers and the
    same next trigger instants. ``None`` when the escalation can reach past what the look-ups
    rendered (the pad is capped): the sweep then uses :func:`_sweep_walk`."""
    schedules = policy_schedules(policy)
    longest = sum(r.delay_minutes for r in policy.rules) * (policy.num_loops + 1) * 60
    if not schedules or longest >= ctx.pad.total_seconds():
        return None
    points, which, found = ctx.level_table(policy)
    numbers: dict[User, int] = {}
    distinct = [
        tuple(tuple(numbers.setdefault(p, len(numbers)) for p in people) for people in levels)
        for levels in found
    ]
    table = list(map(distinct.__getitem__, which))
    levels = []
    for j, r in enumerate(policy.rules):
        # The next change of the level's own schedules after each change point (None: a level
        # of user targets, whose answer never changes). Every change of a level's schedules is
        # a change point, so for an instant between two change points it is the next change.
        changes = sorted(
            {
                t
                for tg in r.targets
                if tg.schedule is not None
                for t in ctx.lookup(tg.schedule).changes
            }
        )
        following = (
            [changes[i] for i in map(bisect.bisect_right, itertools.repeat(changes), points[:-1])]
            if changes
            else None
        )
        levels.append((j, r.delay_minutes * 60, r.round_robin and len(r.targets) > 1, following))
    passes = range(policy.num_loops + 1)
    find = bisect.bisect_right

    def walk(start: int) -> tuple[int | None, int]:
        seen: list[int] = []
        offset = 0
        horizon = 2**62
        for _ in passes:
            for j, delay, round_robin, following in levels:
                k = find(points, start + offset) - 1
                if following is not None and following[k] - offset < horizon:
                    horizon = following[k] - offset
                people = table[k][j]
                if not people:
                    continue
                if round_robin:
                    if not any(p in seen for p in people):
                        seen.append(people[0])
                else:
                    for p in people:
                        if p not in seen:
                            seen.append(p)
                if len(seen) >= 2:
                    return offset // 60, horizon
                offset += delay
        return None, horizon

    return walk


@rule(
    "OCP304",
    "slow-second-person",
    "warning",
    "The worst-case minutes from a page until a second distinct person is notified, when above "
    "the threshold.",
    max_minutes=30,
)
def slow_second_person(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    lo, hi = ctx.lo, ctx.hi
    for policy in ctx.plan.escalation_policies:
        walk = _segment_walk(ctx, policy) or _sweep_walk(ctx, policy)
        worst: tuple[int, int] | None = None
        start = lo
        while start < hi:
            got, following = walk(start)
            if got is not None and (worst is None or got > worst[0]):
                worst = (got, start)
            start = following
        if worst is None or worst[0] <= t["max_minutes"]:
            continue
        minutes, at = worst[0], from_seconds(worst[1])
        yield Hit(
            subject=policy_subject(policy),
            message=(
                f"in the worst case a second person is notified {minutes} minutes after a page "
                f"(triggered {when(at, _zone(policy))}), more than {t['max_minutes']:g}"
            ),
            intervals=(Interval(at, at + dt.timedelta(minutes=minutes)),),
            hint="shorten the first levels' delays or put a secondary schedule on level 2",
        )


@rule(
    "OCP305",
    "skipped-level",
    "warning",
    "Time when a level after the first has nobody on call, so PagerDuty skips it.",
)
def skipped_level(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for policy in ctx.plan.escalation_policies:
        segments = _segments(ctx, policy)
        for i in range(1, len(policy.rules)):
            empty = [not levels[i] for levels in segments.distinct]
            if not any(empty):
                continue
            merged = _where(segments, empty)
            found = intervals(merged)
            yield Hit(
                subject=policy_subject(policy, i + 1),
                message=(
                    f"nobody on call for {hours(dt.timedelta(seconds=seconds(merged)))}, first "
                    f"{span(found[0], _zone(policy))}; "
                    "PagerDuty skips the level then"
                ),
                intervals=found,
                hint="fill the gaps of this level's schedules or add a user target",
            )


@rule(
    "OCP306",
    "permanent-user-target",
    "warning",
    "A user target on a level: that person is on call for the level around the clock.",
)
def permanent_user_target(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for policy in ctx.plan.escalation_policies:
        for level, r in enumerate(policy.rules, start=1):
            for tg in r.targets:
                if tg.user is None:
                    continue
                yield Hit(
                    subject=policy_subject(policy, level),
                    message=f"targets {tg.user.name} directly, who is on call for this level 24/7",
                    intervals=(ctx.horizon,),
                    hint=(
                        "target a schedule instead (e.g. a managers' rotation) so the load is "
                        "shared"
                    ),
                )


def _on_several_levels(levels: Levels) -> list[tuple[User, tuple[int, ...]]]:
    """Each person on call on more than one level, with those levels (counted from 1)."""
    where: dict[User, list[int]] = {}
    for i, people in enumerate(levels, start=1):
        for p in people:
            where.setdefault(p, []).append(i)
    return [(p, tuple(on_levels)) for p, on_levels in where.items() if len(on_levels) > 1]


@rule(
    "OCP307",
    "same-person-two-levels",
    "warning",
    "The same person on call on two levels of one policy at the same instant: escalating pages "
    "them again instead of someone new.",
)
def same_person_two_levels(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for policy in ctx.plan.escalation_policies:
        segments = _segments(ctx, policy)
        repeated = [_on_several_levels(levels) for levels in segments.distinct]
        # In order of first appearance, then sorted (stably) by email and levels.
        keys = sorted(
            dict.fromkeys(key for found in repeated for key in found),
            key=lambda key: (key[0].email, key[1]),
        )
        for key in keys:
            user, lv = key
            merged = _where(segments, [key in keys_of for keys_of in repeated])
            found = intervals(merged)
            levels_text = ", ".join(str(x) for x in lv)
            yield Hit(
                subject=policy_subject(policy),
                message=(
                    f"{user.name} is on call on levels {levels_text} at once for "
                    f"{hours(dt.timedelta(seconds=seconds(merged)))}, "
                    f"first {span(found[0], _zone(policy))}"
                ),
                intervals=found,
                hint=f"offset the rotations so {user_subject(user)} is not on two levels at once",
            )
