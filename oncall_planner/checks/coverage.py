"""Coverage rules (OCP2xx): gaps a policy's first level depends on, people on call during their
time off, people on call on several schedules at once."""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections.abc import Iterator, Mapping
from typing import Any

from oncall_planner.checks._engine import (
    Context,
    Hit,
    hours,
    intersect,
    intervals,
    merge,
    policy_subject,
    rule,
    schedule_subject,
    span,
    total,
    union,
    user_subject,
)
from oncall_planner.model import ShiftSchedule, User
from oncall_planner.render import Interval

_START = operator.itemgetter(0)
_END = operator.itemgetter(1)


@rule(
    "OCP201",
    "first-level-gap",
    "error",
    "Time when nobody is on call on an escalation policy's first level: incidents then skip "
    "straight to level 2, or page nobody at all.",
    min_gap_minutes=0,
)
def first_level_gap(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    shortest = dt.timedelta(minutes=t["min_gap_minutes"])
    for policy in ctx.plan.escalation_policies:
        level = policy.rules[0]
        if any(tg.user is not None for tg in level.targets):
            continue
        schedules = [tg.schedule for tg in level.targets if tg.schedule is not None]
        gaps: tuple[Interval, ...] = (ctx.horizon,)
        for sched in schedules:
            gaps = intersect(gaps, merge(ctx.final(sched).gaps))
        gaps = tuple(g for g in gaps if g.end - g.start > shortest)
        if not gaps:
            continue
        if len(schedules) == 1:
            subject = schedule_subject(schedules[0])
        else:
            subject = policy_subject(policy, 1)
        zone = schedules[0].time_zone
        yield Hit(
            subject=subject,
            message=(
                f"nobody on call for {hours(total(gaps))} in {len(gaps)} gap(s), first "
                f"{span(gaps[0], zone)}; EscalationPolicy {policy.name!r} pages it first"
            ),
            intervals=gaps,
            hint=(
                "add a rotation or widen its events (or fill its empty slots) so the schedule "
                "covers every hour"
                if any(isinstance(s, ShiftSchedule) for s in schedules)
                else "add a layer or widen restrictions so the schedule covers every hour"
            ),
        )


@rule(
    "OCP202",
    "on-call-during-time-off",
    "error",
    "A person on call while they are away (their TimeOff overlaps their on-call time).",
)
def on_call_during_time_off(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    stretches = ctx.stretch_spans()
    permanent = {
        tg.user
        for p in ctx.plan.escalation_policies
        for r in p.rules
        for tg in r.targets
        if tg.user is not None
    }
    per: dict[User, list[Interval]] = {}
    for off in ctx.time_off:
        away = intersect((Interval(off.start, off.end),), (ctx.horizon,))
        busy = (
            away
            if off.user in permanent
            else intersect(away, intervals(stretches.get(off.user, ([], []))))
        )
        per.setdefault(off.user, []).extend(busy)
    for user in sorted(per, key=lambda u: u.email):
        clash = merge(per[user])
        if clash:
            yield Hit(
                subject=user_subject(user),
                message=(
                    f"on call for {hours(total(clash))} during time off, first "
                    f"{span(clash[0], ctx.user_zone(user))}"
                ),
                intervals=clash,
                hint="add an override for someone else (see planning.cover_time_off) or swap turns",
            )


@rule(
    "OCP203",
    "several-schedules-at-once",
    "warning",
    "The same person on call on two or more schedules at the same instant.",
)
def several_schedules(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    names = [sched.name for sched in ctx.plan.all_schedules]
    for user, items in ctx.by_user().items():
        # The union of the time each two of the person's entries on different schedules share
        # (whatever the order of entries starting together).
        if not any(
            map(
                operator.lt,
                map(_START, items[1:]),
                itertools.accumulate(map(_END, items), max),
            )
        ):
            continue  # one entry at a time
        clashes: list[tuple[int, int]] = []
        clashing: set[int] = set()
        for i, (_, ea, na) in enumerate(items):
            for sb, eb, nb in items[i + 1 :]:
                if sb >= ea:
                    break
                if na == nb:
                    continue
                clashes.append((sb, min(ea, eb)))
                clashing.update((na, nb))
        merged = intervals(union(clashes))
        if merged:
            listed = ", ".join(repr(n) for n in sorted(names[k] for k in clashing))
            yield Hit(
                subject=user_subject(user),
                message=(
                    f"on call on several schedules at once ({listed}) for {hours(total(merged))}, "
                    f"first {span(merged[0], ctx.user_zone(user))}"
                ),
                intervals=merged,
                hint="shift one rotation's virtual start so the same person's turns do not overlap",
            )
