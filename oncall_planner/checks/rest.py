"""Rest and streak rules (OCP4xx): the longest continuous stretch on call, the rest between two
stretches, and time on call above the fair share."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
from collections.abc import Iterator, Mapping
from typing import Any

from oncall_planner.checks._engine import (
    Context,
    Hit,
    hours,
    intervals,
    merge,
    rule,
    schedule_subject,
    span,
    total,
    user_subject,
)
from oncall_planner.model import Schedule, ShiftSchedule, User
from oncall_planner.render import FinalSchedule, Interval, _columns
from oncall_planner.timeutil import DAY, zone


@rule(
    "OCP401",
    "long-stretch",
    "warning",
    "A continuous stretch on call longer than the threshold, counted across schedules (a primary "
    "shift followed straight by a secondary one is one stretch).",
    max_hours=168,
)
def long_stretch(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    limit = dt.timedelta(hours=t["max_hours"])
    shortest = limit.total_seconds() - 2 * DAY - 1  # less a second: to_seconds rounds down
    for user, (starts, ends) in ctx.stretch_spans().items():
        # The wall clock differs from elapsed time by the change of UTC offset, less than 48 h:
        # a stretch that much shorter than the limit is not long, whatever the zone.
        maybe = list(
            itertools.compress(
                range(len(starts)),
                map(functools.partial(operator.lt, shortest), map(operator.sub, ends, starts)),
            )
        )
        if not maybe:
            continue
        stretches = intervals(([starts[k] for k in maybe], [ends[k] for k in maybe]))
        tz = zone(ctx.user_zone(user))

        def wall(s: Interval, tz: dt.tzinfo = tz) -> dt.timedelta:
            # On the person's own clock, so a weekly turn is 168 h even when clocks fall back.
            end = s.end.astimezone(tz).replace(tzinfo=None)
            return end - s.start.astimezone(tz).replace(tzinfo=None)

        long = tuple(s for s in stretches if wall(s) > limit)
        if not long:
            continue
        worst = max(long, key=lambda s: (wall(s), -s.start.timestamp()))
        yield Hit(
            subject=user_subject(user),
            message=(
                f"on call for {hours(wall(worst))} without a break "
                f"({span(worst, ctx.user_zone(user))}), more than {t['max_hours']:g} h"
            ),
            intervals=long,
            hint=(
                "offset the primary and secondary rotations so one person's turns are not back "
                "to back"
            ),
        )


@rule(
    "OCP402",
    "short-rest",
    "warning",
    "Less rest between two stretches on call than the threshold.",
    min_rest_hours=11,
)
def short_rest(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    limit = dt.timedelta(hours=t["min_rest_hours"])
    # A rest of whole seconds is shorter than the limit when it is shorter than the limit
    # rounded up to a second.
    below = -(-(limit // dt.timedelta(microseconds=1)) // 1_000_000)
    for user, (starts, ends) in ctx.stretch_spans().items():
        short = list(
            itertools.compress(
                range(len(starts) - 1), map(below.__gt__, map(operator.sub, starts[1:], ends))
            )
        )
        rests = intervals(([ends[k] for k in short], [starts[k + 1] for k in short]))
        if not rests:
            continue
        shortest = min(rests, key=lambda r: (r.end - r.start, r.start))
        yield Hit(
            subject=user_subject(user),
            message=(
                f"{len(rests)} rest(s) shorter than {t['min_rest_hours']:g} h, the shortest "
                f"{hours(shortest.end - shortest.start)} ({span(shortest, ctx.user_zone(user))})"
            ),
            intervals=rests,
            hint="move handoffs so each person gets a full night off between shifts",
        )


@rule(
    "OCP403",
    "above-fair-share",
    "warning",
    "A person on call on a schedule for more than their fair share (each layer's time in the "
    "final schedule divided among that layer's people; each shift-based event's time among its "
    "members) plus the threshold.",
    max_over_share=0.25,
)
def above_fair_share(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for sched in ctx.plan.all_schedules:
        final = ctx.final(sched)
        fair_of = (
            _shift_fair_shares(sched, final)
            if isinstance(sched, ShiftSchedule)
            else _layer_fair_shares(ctx, sched)
        )
        per = _time_on(ctx, sched)
        if len(fair_of) < 2 or not sum(per.values(), dt.timedelta()):
            continue
        for user in sorted(per, key=lambda u: u.email):
            fair = fair_of.get(user)
            if not fair:
                continue  # only on call through overrides: no rotation share to compare with
            over = per[user] / fair - 1
            if over > t["max_over_share"]:
                yield Hit(
                    subject=schedule_subject(sched),
                    message=(
                        f"{user.name} is on call {hours(per[user])}, {over:+.0%} against their "
                        f"fair share of {hours(fair)}"
                    ),
                    intervals=merge(
                        Interval(e.start, e.end) for e in final.entries if e.user == user
                    ),
                    hint="rebalance turns, or check the horizon covers whole rotation cycles",
                )


def _time_on(ctx: Context, sched: Schedule | ShiftSchedule) -> dict[User, dt.timedelta]:
    """Each person's time on the schedule: the union of their entries (on a shift-based
    schedule one person may hold two overlapping shifts; that time counts once). A layer-based
    schedule's entries are disjoint: its pieces that show (each layer's and the overrides'), by
    person, add up to it, in integer seconds."""
    if isinstance(sched, ShiftSchedule):
        spans: dict[User, list[Interval]] = {}
        for entry in ctx.final(sched).entries:
            spans.setdefault(entry.user, []).append(Interval(entry.start, entry.end))
        return {user: total(merge(v)) for user, v in spans.items()}
    kept = ctx.kept(sched)
    held = [0] * len(kept.users)
    for starts, ends, who in [*kept.visible, _columns(kept.overrides)]:
        for s, e, n in zip(starts, ends, who, strict=True):
            held[n] += e - s
    return {u: dt.timedelta(seconds=h) for u, h in zip(kept.users, held, strict=True) if h}


def _layer_fair_shares(ctx: Context, sched: Schedule) -> dict[User, dt.timedelta]:
    """A weekend layer's people share the weekends, a successor layer's people the time after a
    membership change: each layer's visible time is split among its own people."""
    fair_of: dict[User, dt.timedelta] = {}
    for layer, (starts, ends, _) in zip(sched.layers, ctx.kept(sched).visible, strict=True):
        shown = dt.timedelta(seconds=sum(ends) - sum(starts))
        members = list(dict.fromkeys(layer.users))
        for member in members:
            fair_of[member] = fair_of.get(member, dt.timedelta()) + shown / len(members)
    return fair_of


def _shift_fair_shares(sched: ShiftSchedule, final: FinalSchedule) -> dict[User, dt.timedelta]:
    """Each event's shifts in the horizon (before overrides, empty slots included) split evenly
    among its member slots: with rotating members every occurrence goes to one slot, with every
    member each occurrence is one shift per slot, so the even split is the same formula. An empty
    slot keeps its share (it holds turns); custom shifts are nobody's share."""
    time_of: dict[tuple[int, int], dt.timedelta] = {}
    for shifts in final.layers:
        for e in shifts:
            if e.source is not None and e.source.rotation is not None:
                key = (e.source.rotation, e.source.event or 0)
                time_of[key] = time_of.get(key, dt.timedelta()) + e.duration
    for v in final.vacancies:
        if v.source.kind == "rotation" and v.source.rotation is not None:
            key = (v.source.rotation, v.source.event or 0)
            time_of[key] = time_of.get(key, dt.timedelta()) + v.duration
    fair_of: dict[User, dt.timedelta] = {}
    for (ri, ei), held in time_of.items():
        members = sched.rotations[ri].events[ei].members
        for member in members:
            if isinstance(member, User):
                fair_of[member] = fair_of.get(member, dt.timedelta()) + held / len(members)
    return fair_of
