"""Rotation rules (OCP1xx): turn length, people per rotation, shadowed layers, starved members,
handoffs that cut restriction windows."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import operator
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from oncall_planner.checks._engine import (
    Context,
    Hit,
    Severity,
    Spans,
    hours,
    intervals,
    iter_layers,
    join,
    layer_subject,
    rule,
    seconds,
    span,
    when,
)
from oncall_planner.checks._overlap import OverlapIndex
from oncall_planner.fairness.horizon import layer_cycle
from oncall_planner.model import Layer, Schedule, User
from oncall_planner.render import (
    Columns,
    Interval,
    _check_size,
    _check_window,
    _intersect,
    _Layer,
    _minus,
    restriction_windows,
)
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
        starts, ends, _ = _own(ctx, sched)[i]
        yield Hit(
            subject=layer_subject(sched, layer),
            message=f"turns last {describe_duration(layer.turn_length)}, more than {limit:g} days",
            intervals=intervals(([starts[0]], [ends[0]])) if starts else (),
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


def _own(ctx: Context, sched: Schedule) -> list[Columns]:
    """Each layer's own pieces (of ``FinalSchedule.layers``) in integer seconds, from the
    pieces the render of the horizon kept; once per schedule and run."""

    def compute() -> list[Columns]:
        kept = ctx.kept(sched)
        top = len(kept.layers) - 1
        # The top layer shows wherever it is on call unless overrides are in force: its visible
        # pieces are its own.
        return [
            kept.visible[i] if i == top and not kept.overrides else layer.pieces()
            for i, layer in enumerate(kept.layers)
        ]

    return ctx.memo(("own-pieces", sched.name), compute)


@rule(
    "OCP103",
    "shadowed-layer",
    "error",
    "A layer that is never on call in the final schedule: the layers above it (or overrides) "
    "hide all of its time, so its people are never paged from it.",
)
def shadowed_layer(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for sched, i, layer in iter_layers(ctx.plan, ctx.since):
        if not _own(ctx, sched)[i][0] or ctx.kept(sched).visible[i][0]:
            continue
        own = _merged(ctx, sched)[0][i]
        yield Hit(
            subject=layer_subject(sched, layer),
            message=(
                f"never on call in the final schedule from {span(ctx.horizon, sched.time_zone)}: "
                f"{_hidden_by(ctx, sched, i, own)} cover all "
                f"{hours(dt.timedelta(seconds=seconds(own)))} of its time"
            ),
            intervals=intervals(own),
            hint=(
                "restrict the layers above it to the hours they should cover, or end them; "
                "layers later in the list win wherever they are on call"
            ),
        )


def _merged(ctx: Context, sched: Schedule) -> tuple[list[Spans], list[Spans]]:
    """Each layer's own time and the time it shows in the final schedule, merged, in integer
    seconds; once per schedule and run (OCP104 and the search for the layers above both read
    them)."""
    return ctx.memo(
        ("merged-layers", sched.name),
        lambda: (
            [join(p[0], p[1]) for p in _own(ctx, sched)],
            [join(p[0], p[1]) for p in ctx.kept(sched).visible],
        ),
    )


#: How many of the layers above a hidden layer its finding names; more are "and others".
NAMED_ABOVE = 5


def _hidden_by(ctx: Context, sched: Schedule, i: int, hidden: Spans) -> str:
    """What hides ``hidden`` (time of layer ``i``): the later layers on call during it (the
    nearest few), and the overrides if any fall in it, e.g. ``layer(s) 'Secondary' above it and
    overrides``."""
    above, more = _above(ctx, sched, i, hidden)
    names = [repr(sched.layers[j].name) for j in above]
    parts = []
    if names:
        parts.append(f"layer(s) {', '.join(names)}{' and others' if more else ''} above it")
    shown = ctx.kept(sched).overrides
    overrides = join([p[0] for p in shown], [p[1] for p in shown])
    if _intersect(hidden, overrides)[0]:
        parts.append("overrides")
    return " and ".join(parts)


def _above(ctx: Context, sched: Schedule, i: int, hidden: Spans) -> tuple[list[int], bool]:
    """What :func:`_layers_above` says of layer ``i`` (hidden during ``hidden``): when each of
    the nearest layers above it is on call during ``hidden`` (the usual case), they are the
    answer, found by comparing those few layers' time with ``hidden``; otherwise the index."""
    own = _merged(ctx, sched)[0]
    closest = range(i + 1, min(i + NAMED_ABOVE + 1, len(own) - 1) + 1)
    if all(_meets(own[j], hidden) for j in closest):
        return list(closest)[:NAMED_ABOVE], len(closest) > NAMED_ABOVE
    return ctx.memo(("layers-above", sched.name), lambda: _layers_above(ctx, sched))[i]


def _meets(a: Spans, b: Spans) -> bool:
    """Whether two sorted, disjoint lists of spans share some instant."""
    a_starts, a_ends = a
    b_starts, b_ends = b
    i = j = 0
    while i < len(a_starts) and j < len(b_starts):
        if max(a_starts[i], b_starts[j]) < min(a_ends[i], b_ends[j]):
            return True
        if a_ends[i] <= b_ends[j]:
            i += 1
        else:
            j += 1
    return False


def _layers_above(ctx: Context, sched: Schedule) -> list[tuple[list[int], bool]]:
    """For each layer, the nearest layers above it that are on call while it is hidden (at most
    :data:`NAMED_ABOVE`) and whether there are more. The layers go into an
    :class:`~oncall_planner.checks._overlap.OverlapIndex` from the top down, so each is asked
    about only the layers above it: ``n log n`` for ``n`` layers, where comparing each layer with
    every layer above it took 90 s for 500 layers over a year."""
    own, shown = _merged(ctx, sched)
    spans = [list(zip(*layer)) for layer in own]
    points = sorted({t for layer in spans for span in layer for t in span})
    want = NAMED_ABOVE + 1
    index = OverlapIndex(points, want)
    out: list[tuple[list[int], bool]] = [([], False)] * len(own)
    for i in range(len(own) - 1, -1, -1):
        found: set[int] = set()
        # Once the nearest layers above are all found, no later piece can change the answer.
        closest = set(range(i + 1, min(i + want, len(own) - 1) + 1))
        hidden = _minus(own[i], shown[i]) if closest else ([], [])
        for a, b in zip(*hidden):
            found.update(index.meeting(a, b))
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
        if not _own(ctx, sched)[i][0] or not ctx.kept(sched).visible[i][0]:
            continue
        merged_own, merged_shown = _merged(ctx, sched)
        own, shown = merged_own[i], merged_shown[i]
        own_total, vis_total = seconds(own), seconds(shown)
        hidden = 1 - vis_total / own_total
        if hidden <= t["max_hidden_share"] or vis_total == own_total:
            continue
        hidden_spans = _minus(own, shown)
        yield Hit(
            subject=layer_subject(sched, layer),
            message=(
                f"shows {vis_total / own_total:.0%} of its "
                f"{hours(dt.timedelta(seconds=own_total))} in the final "
                f"schedule; {_hidden_by(ctx, sched, i, hidden_spans)} hide the rest"
            ),
            intervals=intervals(hidden_spans),
            hint="check that the layers above it should win over it where they overlap",
        )


def _alone(
    ctx: Context, sched: Schedule, i: int, layer: Layer
) -> tuple[Interval, dict[User, dt.timedelta]] | None:
    """The layer rendered on its own over whole cycles from the horizon's start, at least as long
    as the horizon (just the horizon when a cycle is too long), and each user's time in it; once
    per run (OCP105 and OCP106 both read it).

    The layer's ``end`` is left out: whether turns fall into masked time is a property of the
    rotation, and a layer ended mid-cycle (by a membership change) has simply not reached some
    people yet. A layer that ended before the horizon is not looked at."""
    if layer.end is not None and layer.end <= ctx.since:
        return None
    return ctx.memo(("alone", sched.name, id(layer)), lambda: _render_alone(ctx, sched, i, layer))


def _render_alone(
    ctx: Context, sched: Schedule, i: int, layer: Layer
) -> tuple[Interval, dict[User, dt.timedelta]]:
    cycle = dt.timedelta(seconds=layer_cycle(layer))
    horizon = ctx.until - ctx.since
    length = cycle * math.ceil(horizon / cycle) if cycle <= MAX_CYCLE else horizon
    lo = max(ctx.since, layer.start)
    hi = lo + length
    alone = Schedule(sched.name, sched.time_zone, [attrs.evolve(layer, end=None)])
    # The layer's own pieces, as render(alone, lo, hi) would find them, without building its
    # entries: its checks first (the same errors), then one layer in integer seconds. A layer
    # that runs to the horizon's end has them in the horizon's render already (they do not
    # depend on the window): only the stretch past the horizon is worked out.
    a, b = _check_window(lo, hi)
    _check_size(alone, a, b, 0)
    kept = ctx.kept(sched)
    ids = {u: n for n, u in enumerate(kept.users)}
    order = [ids[u] for u in layer.users]
    parts = []
    if layer.end is None or to_seconds(layer.end) >= ctx.hi:
        parts.append(_own(ctx, sched)[i])
        a = max(a, ctx.hi)
    if a < b:
        parts.append(_Layer(alone.layers[0], clock(sched.time_zone), "wall", a, b, order).pieces())
    held = [0] * len(ids)
    for starts, ends, who in parts:
        for s, e, n in zip(starts, ends, who, strict=True):
            held[n] += e - s
    return Interval(lo, hi), {u: dt.timedelta(seconds=held[ids[u]]) for u in layer.users}


@rule(
    "OCP105",
    "starved-member",
    "error",
    "A rostered person whose turns always fall into masked time (outside the layer's "
    "restrictions) over a full rotation cycle, so they are never on call.",
)
def starved_member(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for sched, i, layer in iter_layers(ctx.plan, ctx.since):
        found = _alone(ctx, sched, i, layer)
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
    for sched, i, layer in iter_layers(ctx.plan, ctx.since):
        found = _alone(ctx, sched, i, layer)
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
        starts, ends, who = _own(ctx, sched)[i]
        zclock = clock(sched.time_zone)
        turn = int(layer.turn_length.total_seconds())
        cut: dict[tuple[int, int], int] = {}
        # Where one person's piece ends as another's starts (k: the piece after the handoff).
        handoffs = [
            k
            for k, meets, other in zip(
                itertools.count(1),
                map(operator.eq, ends, starts[1:]),
                map(operator.ne, who, who[1:]),
            )
            if meets and other
        ]
        if not handoffs:
            continue
        # The windows around every handoff at once (they are disjoint: at most one holds a
        # handoff), each looked at as far as 8 days either side of the handoff.
        first, last = starts[handoffs[0]], starts[handoffs[-1]]
        windows = restriction_windows(layer.restrictions, zclock, first - 8 * DAY, last + 8 * DAY)
        window_starts = [s for s, _ in windows]
        for k in handoffs:
            at = starts[k]
            # the last window starting before the handoff
            j = bisect.bisect_left(window_starts, at) - 1
            if j < 0:
                continue
            s, e = max(windows[j][0], at - 8 * DAY), min(windows[j][1], at + 8 * DAY)
            # A window longer than a turn holds a handoff wherever the turns start (a daily
            # rotation inside a Monday-to-Friday window): nothing to move, nothing to report.
            if s < at < e and e - s <= turn:
                cut.setdefault((s, e), k)
        if not cut:
            continue
        k = next(iter(cut.values()))
        users = ctx.kept(sched).users
        yield Hit(
            subject=layer_subject(sched, layer),
            message=(
                f"{len(cut)} restriction window(s) cut by a handoff, first at "
                f"{when(from_seconds(starts[k]), sched.time_zone)}: {users[who[k - 1]].name} "
                f"hands over to {users[who[k]].name} mid-window"
            ),
            intervals=intervals(([s for s, _ in cut], [e for _, e in cut])),
            hint=(
                "move rotation_virtual_start so that handoffs fall outside the restriction windows"
            ),
        )
