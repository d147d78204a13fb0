"""Rotation rules (OCP1xx): turn length, people per rotation, shadowed layers, starved members,
handoffs that cut restriction windows."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from oncall_planner.checks._engine import (
    Context,
    Hit,
    Severity,
    hours,
    intersect,
    iter_layers,
    layer_subject,
    merge,
    rule,
    span,
    subtract,
    total,
    when,
)
from oncall_planner.checks._overlap import OverlapIndex
from oncall_planner.fairness.horizon import layer_cycle
from oncall_planner.model import Layer, Schedule, User
from oncall_planner.render import Entry, Interval, render, restriction_windows
from oncall_planner.timeutil import DAY, clock, describe_duration, from_seconds, to_seconds

#: The longest window a full rotation cycle is rendered over; longer cycles use the horizon.
MAX_CYCLE = dt.timedelta(days=732)


@rule(
    "OCP101",
    "long-turn",
    "warning",
    "A turn longer than a week (warning) or two weeks (error) wears the person on call out.",
    warn_days=7,
    error_days=14,
)
def long_turn(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for sched, i, layer in iter_layers(ctx.plan, ctx.since):
        days = layer.turn_length / dt.timedelta(days=1)
        # Each threshold stands on its own: raising warn_days above error_days keeps the error.
        severity: Severity
        if days > t["error_days"]:
            severity, limit = "error", t["error_days"]
        elif days > t["warn_days"]:
            severity, limit = "warning", t["warn_days"]
        else:
            continue
        entries = ctx.final(sched).layers[i]
        yield Hit(
            subject=layer_subject(sched, layer),
            message=f"turns last {describe_duration(layer.turn_length)}, more than {limit:g} days",
            intervals=(Interval(entries[0].start, entries[0].end),) if entries else (),
            hint="use weekly turns (turn_length=timedelta(weeks=1)); never longer than two weeks",
            severity=severity,
        )


@rule(
    "OCP102",
    "too-few-people",
    "warning",
    "A rotation with fewer than two distinct people leaves one person on call with no relief.",
    min_people=2,
)
def too_few_people(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for sched, _, layer in iter_layers(ctx.plan, ctx.since):
        people = {u.email.lower() for u in layer.users}
        if len(people) < t["min_people"]:
            yield Hit(
                subject=layer_subject(sched, layer),
                message=f"rotates {len(people)} distinct person(s), fewer than {t['min_people']:g}",
                hint="add people to the rotation so that turns alternate",
            )


def _shown(ctx: Context, sched: Schedule, i: int) -> tuple[tuple[Entry, ...], tuple[Entry, ...]]:
    final = ctx.final(sched)
    return final.layers[i], final.visible[i]


@rule(
    "OCP103",
    "shadowed-layer",
    "error",
    "A layer that is never on call in the final schedule: the layers above it (or overrides) "
    "hide all of its time, so its people are never paged from it.",
)
def shadowed_layer(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for sched, i, layer in iter_layers(ctx.plan, ctx.since):
        own, visible = _shown(ctx, sched, i)
        if not own or visible:
            continue
        own_iv = _merged(ctx, sched)[0][i]
        yield Hit(
            subject=layer_subject(sched, layer),
            message=(
                f"never on call in the final schedule from {span(ctx.horizon, sched.time_zone)}: "
                f"{_hidden_by(ctx, sched, i, own_iv)} cover all {hours(total(own_iv))} of its time"
            ),
            intervals=own_iv,
            hint=(
                "restrict the layers above it to the hours they should cover, or end them; "
                "layers later in the list win wherever they are on call"
            ),
        )


def _intervals(entries: tuple[Entry, ...]) -> list[Interval]:
    return [Interval(e.start, e.end) for e in entries]


def _merged(
    ctx: Context, sched: Schedule
) -> tuple[list[tuple[Interval, ...]], list[tuple[Interval, ...]]]:
    """Each layer's own time and the time it shows in the final schedule, merged; once per
    schedule and run (OCP104 and the search for the layers above both read them)."""
    final = ctx.final(sched)
    return ctx.memo(
        ("merged-layers", sched.name),
        lambda: (
            [merge(_intervals(entries)) for entries in final.layers],
            [merge(_intervals(v)) for v in final.visible],
        ),
    )


#: How many of the layers above a hidden layer its finding names; more are "and others".
NAMED_ABOVE = 5


def _hidden_by(ctx: Context, sched: Schedule, i: int, hidden: tuple[Interval, ...]) -> str:
    """What hides ``hidden`` (time of layer ``i``): the later layers on call during it (the
    nearest few), and the overrides if any fall in it, e.g. ``layer(s) 'Secondary' above it and
    overrides``."""
    above, more = ctx.memo(("layers-above", sched.name), lambda: _layers_above(ctx, sched))[i]
    names = [repr(sched.layers[j].name) for j in above]
    parts = []
    if names:
        parts.append(f"layer(s) {', '.join(names)}{' and others' if more else ''} above it")
    overrides = merge(_intervals(ctx.final(sched).overrides))
    if intersect(hidden, overrides):
        parts.append("overrides")
    return " and ".join(parts)


def _layers_above(ctx: Context, sched: Schedule) -> list[tuple[list[int], bool]]:
    """For each layer, the nearest layers above it that are on call while it is hidden (at most
    :data:`NAMED_ABOVE`) and whether there are more. The layers go into an
    :class:`~oncall_planner.checks._overlap.OverlapIndex` from the top down, so each is asked
    about only the layers above it: ``n log n`` for ``n`` layers, where comparing each layer with
    every layer above it took 90 s for 500 layers over a year."""
    own, shown = _merged(ctx, sched)
    spans = [[(to_seconds(iv.start), to_seconds(iv.end)) for iv in ivs] for ivs in own]
    points = sorted({t for layer in spans for span in layer for t in span})
    want = NAMED_ABOVE + 1
    index = OverlapIndex(points, want)
    out: list[tuple[list[int], bool]] = [([], False)] * len(own)
    for i in range(len(own) - 1, -1, -1):
        found: set[int] = set()
        # Once the nearest layers above are all found, no later piece can change the answer.
        closest = set(range(i + 1, min(i + want, len(own) - 1) + 1))
        for iv in subtract(own[i], shown[i]) if closest else ():
            found.update(index.meeting(to_seconds(iv.start), to_seconds(iv.end)))
            if len(found) > 8 * want:  # only the nearest ones are named: keep those
                found = set(sorted(found)[:want])
            if closest <= found:
                break
        nearest = sorted(found)[:want]
        out[i] = (nearest[:NAMED_ABOVE], len(nearest) > NAMED_ABOVE)
        for a, b in spans[i] if i else ():  # nothing is asked about the layers below layer 0
            index.insert(a, b, i)
    return out


@rule(
    "OCP104",
    "partly-shadowed-layer",
    "info",
    "A layer that is only partly visible in the final schedule, with the share that shows.",
    max_hidden_share=0.0,
)
def partly_shadowed_layer(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for sched, i, layer in iter_layers(ctx.plan, ctx.since):
        own, visible = _shown(ctx, sched, i)
        if not own or not visible:
            continue
        merged_own, merged_shown = _merged(ctx, sched)
        own_iv, vis_iv = merged_own[i], merged_shown[i]
        own_total, vis_total = total(own_iv), total(vis_iv)
        hidden = 1 - vis_total / own_total
        if hidden <= t["max_hidden_share"] or vis_total == own_total:
            continue
        hidden_iv = subtract(own_iv, vis_iv)
        yield Hit(
            subject=layer_subject(sched, layer),
            message=(
                f"shows {vis_total / own_total:.0%} of its {hours(own_total)} in the final "
                f"schedule; {_hidden_by(ctx, sched, i, hidden_iv)} hide the rest"
            ),
            intervals=hidden_iv,
            hint="check that the layers above it should win over it where they overlap",
        )


def _alone(
    ctx: Context, sched: Schedule, layer: Layer
) -> tuple[Interval, dict[User, dt.timedelta]] | None:
    """The layer rendered on its own over whole cycles from the horizon's start, at least as long
    as the horizon (just the horizon when a cycle is too long), and each user's time in it; once
    per run (OCP105 and OCP106 both read it).

    The layer's ``end`` is left out: whether turns fall into masked time is a property of the
    rotation, and a layer ended mid-cycle (by a membership change) has simply not reached some
    people yet. A layer that ended before the horizon is not looked at."""
    if layer.end is not None and layer.end <= ctx.since:
        return None
    return ctx.memo(("alone", sched.name, id(layer)), lambda: _render_alone(ctx, sched, layer))


def _render_alone(
    ctx: Context, sched: Schedule, layer: Layer
) -> tuple[Interval, dict[User, dt.timedelta]]:
    cycle = dt.timedelta(seconds=layer_cycle(layer))
    horizon = ctx.until - ctx.since
    length = cycle * math.ceil(horizon / cycle) if cycle <= MAX_CYCLE else horizon
    lo = max(ctx.since, layer.start)
    hi = lo + length
    alone = Schedule(sched.name, sched.time_zone, [attrs.evolve(layer, end=None)])
    entries = render(alone, lo, hi).entries
    per: dict[User, dt.timedelta] = {u: dt.timedelta() for u in layer.users}
    for e in entries:
        per[e.user] += e.duration
    return Interval(lo, hi), per


@rule(
    "OCP105",
    "starved-member",
    "error",
    "A rostered person whose turns always fall into masked time (outside the layer's "
    "restrictions) over a full rotation cycle, so they are never on call.",
)
def starved_member(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for sched, _, layer in iter_layers(ctx.plan, ctx.since):
        found = _alone(ctx, sched, layer)
        if found is None:
            continue
        window, per = found
        if not any(per.values()):
            continue
        for user, amount in per.items():
            if amount:
                continue
            yield Hit(
                subject=layer_subject(sched, layer),
                message=(
                    f"{user.name} is rostered but never on call from "
                    f"{span(window, sched.time_zone)}: "
                    f"all their turns fall outside the restrictions"
                ),
                intervals=(window,),
                hint=(
                    "the turn clock keeps running through masked time; pick a turn length and "
                    "team size whose cycle does not line up with the restricted days, or split "
                    "the layer"
                ),
            )


@rule(
    "OCP106",
    "under-share-member",
    "warning",
    "A rostered person who gets far less than the fair share of the layer's time over a full "
    "rotation cycle.",
    min_share_ratio=0.5,
)
def under_share_member(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for sched, _, layer in iter_layers(ctx.plan, ctx.since):
        found = _alone(ctx, sched, layer)
        if found is None:
            continue
        window, per = found
        whole = sum(per.values(), dt.timedelta())
        if not whole or len(per) < 2:
            continue
        fair = whole / len(per)
        for user, amount in per.items():
            ratio = amount / fair
            if amount and ratio < t["min_share_ratio"]:
                yield Hit(
                    subject=layer_subject(sched, layer),
                    message=(
                        f"{user.name} gets {hours(amount)} from {span(window, sched.time_zone)}, "
                        f"{ratio:.0%} of the fair share of {hours(fair)}"
                    ),
                    intervals=(window,),
                    hint="make the cycle of turns line up with the restriction windows",
                )


@rule(
    "OCP107",
    "handoff-splits-window",
    "warning",
    "A handoff that falls inside a restriction window no longer than a turn, cutting the window "
    "in two between two people.",
)
def handoff_splits_window(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for sched, i, layer in iter_layers(ctx.plan, ctx.since):
        if not layer.restrictions:
            continue
        entries = ctx.final(sched).layers[i]
        zclock = clock(sched.time_zone)
        turn = int(layer.turn_length.total_seconds())
        cut: dict[Interval, tuple[Entry, Entry]] = {}
        handoffs = [
            (a, b) for a, b in itertools.pairwise(entries) if a.end == b.start and a.user != b.user
        ]
        if not handoffs:
            continue
        # The windows around every handoff at once (they are disjoint: at most one holds a
        # handoff), each looked at as far as 8 days either side of the handoff.
        first, last = to_seconds(handoffs[0][0].end), to_seconds(handoffs[-1][0].end)
        windows = restriction_windows(layer.restrictions, zclock, first - 8 * DAY, last + 8 * DAY)
        starts = [s for s, _ in windows]
        for a, b in handoffs:
            at = to_seconds(a.end)
            j = bisect.bisect_left(starts, at) - 1  # the last window starting before the handoff
            if j < 0:
                continue
            s, e = max(windows[j][0], at - 8 * DAY), min(windows[j][1], at + 8 * DAY)
            # A window longer than a turn holds a handoff wherever the turns start (a daily
            # rotation inside a Monday-to-Friday window): nothing to move, nothing to report.
            if s < at < e and e - s <= turn:
                cut.setdefault(Interval(from_seconds(s), from_seconds(e)), (a, b))
        if not cut:
            continue
        a, b = next(iter(cut.values()))
        yield Hit(
            subject=layer_subject(sched, layer),
            message=(
                f"{len(cut)} restriction window(s) cut by a handoff, first at "
                f"{when(a.end, sched.time_zone)}: {a.user.name} hands over to {b.user.name} "
                "mid-window"
            ),
            intervals=tuple(cut),
            hint=(
                "move rotation_virtual_start so that handoffs fall outside the restriction windows"
            ),
        )
