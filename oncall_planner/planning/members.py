"""Membership changes that leave the past and the turn in progress alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import Layer, OnCallPlan, Schedule, ShiftSchedule, Target, User
from oncall_planner.model.inputs import sequence_of
from oncall_planner.planning._anchor import wall_anchor
from oncall_planner.render import Mode, _Rotation
from oncall_planner.timeutil import (
    check_instant,
    check_time_zone,
    clock,
    from_seconds,
    to_seconds,
)

#: Why the membership planners refuse a shift-based schedule, for ``.format(name)``.
_SHIFT_REFUSAL = (
    "{!r} is a shift-based schedule (ShiftSchedule); membership changes here work on layers. "
    "For a shift-based schedule, end the event in force (effective_until) and add a successor "
    "with the new members, or an EMPTY_MEMBER in the leaver's place to keep everyone's weeks "
    "(docs/schedulev2.md)"
)


def _check_users(users: object, where: str) -> tuple[User, ...]:
    items = sequence_of(users, User, where, "users")
    if not items:
        raise ValidationError(f"{where}: users must have at least 1 User, got none")
    return items


def next_handoff(layer: Layer, time_zone: str, at: dt.datetime, mode: Mode = "wall") -> dt.datetime:
    """The first handoff of ``layer`` strictly after the turn in progress at ``at`` began, i.e.
    the end of that turn (``at`` itself is never returned unless ``at`` is before the turn)."""
    if not isinstance(layer, Layer):
        raise ValidationError(f"next_handoff: layer must be a Layer, got {type(layer).__name__}")
    check_instant(at, "next_handoff", "at")
    check_time_zone(time_zone, "next_handoff")
    if mode not in ("wall", "elapsed"):
        raise ValidationError(f"next_handoff: mode must be 'wall' or 'elapsed', got {mode!r}")
    rotation = _Rotation(layer, clock(time_zone), mode)
    k = rotation.turn_at(to_seconds(at))
    return from_seconds(rotation.boundary(k + 1))


def _first_of_new_order(
    layer: Layer, users: tuple[User, ...], next_turn: int, start_with: User | None
) -> int:
    if start_with is not None:
        if start_with not in users:
            raise ValidationError(
                f"change_members: start_with {start_with.name!r} is not among the new users "
                f"{[u.name for u in users]}"
            )
        return users.index(start_with)
    # Carry on with whoever the old order had next, skipping the people who leave and the
    # person whose turn is ending (nobody should get two turns in a row).
    n = len(layer.users)
    current = layer.users[(next_turn - 1) % n]
    for step in range(n):
        candidate = layer.users[(next_turn + step) % n]
        if candidate in users and (candidate != current or len(users) == 1):
            return users.index(candidate)
    for index, candidate in enumerate(users):
        if candidate != current:
            return index
    return 0


def change_members(
    layer: Layer,
    users: Sequence[User],
    effective: dt.datetime,
    time_zone: str,
    mode: Mode = "wall",
    *,
    start_with: User | None = None,
) -> tuple[Layer, ...]:
    """Give ``layer`` a new rotation order without touching who is on call now.

    Everything up to the end of the turn in progress at ``effective`` stays as it was; from that
    handoff on, ``users`` rotate in the given order. The first of them to go on call is
    ``start_with`` when given, else the person the old order had next (skipping anyone who
    leaves, and the person whose turn is ending, so nobody gets two turns in a row), else the
    first of ``users`` who is not that person.

    Returns ``(layer,)`` when nothing changes: the users are the same, or the layer ends by
    the handoff (there is no turn left to change); a changed ``(layer,)`` when the layer has not
    started by the handoff (then its users and anchor change in place); otherwise ``(ended, successor)``: the original layer with
    ``end`` at that handoff, and a new layer with the same turn length and restrictions that
    starts there (its ``rotation_virtual_start`` is chosen so the right person is on first, and it
    keeps the original ``end``). Keep the ended layer where it was and put the successor after
    it; docs/planning.md explains why this shape applies cleanly with Terraform.
    """
    where = f"change_members: layer {layer.name!r}" if isinstance(layer, Layer) else ""
    if not isinstance(layer, Layer):
        raise ValidationError(f"change_members: layer must be a Layer, got {type(layer).__name__}")
    new_users = _check_users(users, where)
    check_instant(effective, where, "effective")
    check_time_zone(time_zone, where)
    if mode not in ("wall", "elapsed"):
        raise ValidationError(f"{where}: mode must be 'wall' or 'elapsed', got {mode!r}")
    if new_users == layer.users and start_with is None:
        return (layer,)
    zclock = clock(time_zone)
    rotation = _Rotation(layer, zclock, mode)
    k = rotation.turn_at(to_seconds(effective))
    handoff = rotation.boundary(k + 1)
    first = _first_of_new_order(layer, new_users, k + 1, start_with)
    # The successor's turn j = 0 starts at the handoff; phase it so users[first] holds it.
    length = int(layer.turn_length.total_seconds())
    if mode == "wall":
        # Turn `first` of the new order lands on the handoff's wall-clock time.
        local = rotation.local_anchor + (k + 1 - first) * length
        anchor = wall_anchor(zclock, local, len(new_users) * length, "change_members")
    else:
        anchor = handoff - first * length
    if to_seconds(layer.start) >= handoff:
        # Nothing of this layer is on call before the handoff: change it in place.
        return (attrs.evolve(layer, users=new_users, rotation_virtual_start=from_seconds(anchor)),)
    if layer.end is not None and to_seconds(layer.end) <= handoff:
        return (layer,)  # the layer ends before its next handoff: nothing to change
    ended = attrs.evolve(layer, end=from_seconds(handoff))
    successor = Layer(
        layer.name,
        new_users,
        from_seconds(handoff),
        layer.turn_length,
        rotation_virtual_start=from_seconds(anchor),
        restrictions=layer.restrictions,
        end=layer.end,
    )
    return (ended, successor)


def change_schedule_members(
    schedule: Schedule,
    users: Sequence[User],
    effective: dt.datetime,
    layers: Sequence[str] | None = None,
    mode: Mode = "wall",
) -> Schedule:
    """:func:`change_members` applied to layers of a schedule (all of them, or those named).

    Each changed layer keeps its position with an ``end`` at its next handoff. The successors go
    at the end of the layer list, in the original order, so that no existing layer moves (the
    Terraform provider matches layers by position). When that would change which layer wins
    somewhere (an unchanged layer, or a changed one that hands off later, sits above a changed
    one), each successor goes right after its ended layer instead, which keeps precedence
    exact but moves the later layers one position down.
    """
    if isinstance(schedule, ShiftSchedule):
        raise ValidationError(f"change_schedule_members: {_SHIFT_REFUSAL.format(schedule.name)}")
    if not isinstance(schedule, Schedule):
        raise ValidationError(
            f"change_schedule_members: schedule must be a Schedule, got {type(schedule).__name__}"
        )
    names = [layer.name for layer in schedule.layers]
    if isinstance(layers, str):
        raise ValidationError(
            f"change_schedule_members: layers must be a list of layer names such as "
            f"[{layers!r}], got the string {layers!r}"
        )
    wanted = set(names) if layers is None else set(layers)
    unknown = sorted(wanted - set(names))
    if unknown:
        raise ValidationError(
            f"change_schedule_members: schedule {schedule.name!r} has no layer named "
            f"{', '.join(map(repr, unknown))}; its layers are {names}"
        )
    results = [
        change_members(layer, users, effective, schedule.time_zone, mode)
        if layer.name in wanted
        else (layer,)
        for layer in schedule.layers
    ]
    split = [len(r) == 2 for r in results]
    if not any(split):
        return attrs.evolve(schedule, layers=[r[0] for r in results])
    handoffs = [r[1].start if len(r) == 2 else None for r in results]
    appendable = True
    for i, is_split in enumerate(split):
        if not is_split:
            continue
        for j in range(i + 1, len(results)):
            later = handoffs[j]
            if later is None:
                appendable = (
                    appendable
                    and results[j][0].end is not None
                    and (
                        results[j][0].end <= handoffs[i]  # type: ignore[operator]
                    )
                )
            elif later > handoffs[i]:  # type: ignore[operator]
                appendable = False
    if appendable:
        new_layers = [r[0] for r in results] + [r[1] for r in results if len(r) == 2]
    else:
        new_layers = [layer for r in results for layer in r]
    return attrs.evolve(schedule, layers=new_layers)


def _rotation_layer(schedule: Schedule, where: str) -> tuple[tuple[Layer, ...], Layer]:
    """The layers of ``schedule`` that ended before its last one starts, and that last one."""
    if not schedule.layers:
        raise ValidationError(f"{where}: schedule {schedule.name!r} has no layers")
    *history, last = schedule.layers
    if any(layer.end is None or layer.end > last.start for layer in history):
        raise ValidationError(
            f"{where}: schedule {schedule.name!r} has {len(schedule.layers)} layers on call at "
            "the same time; this works on one rotation per schedule (as plan_rotation builds "
            "them, plus the layers earlier changes ended). Change the layers with "
            "change_schedule_members and check the result with check()"
        )
    return tuple(history), last


def change_rotation_members(
    plan: OnCallPlan,
    users: Sequence[User],
    effective: dt.datetime,
    mode: Mode = "wall",
    *,
    start_with: User | None = None,
    secondary: Literal["previous", "next", "apart"] | None = None,
) -> OnCallPlan:
    """:func:`change_members` for a primary/secondary plan, keeping the secondary apart.

    ``plan`` is a plan such as :func:`~oncall_planner.plan_rotation` builds: an escalation policy
    whose levels page schedules of one rotation each (the last layer; earlier layers must have
    ended before it starts, as earlier changes leave them) with the same people and turn length.
    The first schedule it pages (the primary) gets the new order ``users`` from its next
    handoff after ``effective``, exactly as :func:`change_members` does (``start_with`` picks who
    goes on first). Every other schedule paged by that policy (the secondary) gets the same
    order from the same handoff, shifted as before: one turn behind the primary when it was the
    previous primary, one turn ahead when it was the next, otherwise half the new roster away.
    So nobody is primary and secondary at once after the change either, which changing each
    schedule on its own does not ensure. With two people before the change "previous" and
    "next" look the same; ``secondary=`` ("previous", "next" or "apart") says which to keep.
    The policies are rebuilt to page the new schedules.
    """
    where = "change_rotation_members"
    if not isinstance(plan, OnCallPlan):
        raise ValidationError(f"{where}: plan must be an OnCallPlan, got {type(plan).__name__}")
    new_users = _check_users(users, where)
    check_instant(effective, where, "effective")
    if mode not in ("wall", "elapsed"):
        raise ValidationError(f"{where}: mode must be 'wall' or 'elapsed', got {mode!r}")
    if secondary not in (None, "previous", "next", "apart"):
        raise ValidationError(
            f"{where}: secondary must be 'previous', 'next', 'apart' or None, got {secondary!r}"
        )
    if len(set(new_users)) != len(new_users) or len(new_users) < 2:
        raise ValidationError(
            f"{where}: users must be at least 2 different people, so that the secondary is never "
            f"the primary, got {[u.name for u in new_users]}"
        )
    paged = [
        [t.schedule for r in p.rules for t in r.targets if t.schedule is not None]
        for p in plan.escalation_policies
    ]
    levels = next((names for names in paged if len(names) >= 2), None)
    if levels is None:
        raise ValidationError(
            f"{where}: no escalation policy of the plan pages two schedules (a primary and a "
            "secondary); for a single schedule use change_schedule_members"
        )
    shifted = [s.name for s in levels if isinstance(s, ShiftSchedule)]
    if shifted:
        raise ValidationError(f"{where}: {_SHIFT_REFUSAL.format(shifted[0])}")
    lead, followers = levels[0], levels[1:]
    lead_history, lead_layer = _rotation_layer(lead, where)
    zclock = clock(lead.time_zone)
    handoff = to_seconds(next_handoff(lead_layer, lead.time_zone, effective, mode))
    lead_turn = _Rotation(lead_layer, zclock, mode).turn_at(handoff)
    replaced: dict[str, Schedule] = {}
    lead_layers = change_members(
        lead_layer, new_users, effective, lead.time_zone, mode, start_with=start_with
    )
    if lead_layers == (lead_layer,):
        return plan  # nothing changes from the handoff on
    replaced[lead.name] = attrs.evolve(lead, layers=[*lead_history, *lead_layers])
    n, m = len(lead_layer.users), len(new_users)
    first = _Rotation(lead_layers[-1], zclock, mode).turn_at(handoff) % m
    for schedule in followers:
        history, layer = _rotation_layer(schedule, where)
        same_rotation = (
            schedule.time_zone == lead.time_zone
            and layer.users == lead_layer.users
            and layer.turn_length == lead_layer.turn_length
            and to_seconds(next_handoff(layer, schedule.time_zone, effective, mode)) == handoff
        )
        if not same_rotation:
            raise ValidationError(
                f"{where}: schedule {schedule.name!r} does not rotate the same people, turn length, "
                f"time zone and handoffs as {lead.name!r}, so its offset from it is unknown; "
                "change the schedules one by one with change_schedule_members(..., start_with=...)"
            )
        offset = (lead_turn - _Rotation(layer, zclock, mode).turn_at(handoff)) % n
        if secondary is None:
            shift = 1 if offset == 1 else -1 if offset == n - 1 else m // 2
        else:
            shift = {"previous": 1, "next": -1, "apart": m // 2}[secondary]
        follower_first = new_users[(first - shift) % m]
        replaced[schedule.name] = attrs.evolve(
            schedule,
            layers=[
                *history,
                *change_members(
                    layer, new_users, effective, schedule.time_zone, mode, start_with=follower_first
                ),
            ],
        )

    def swap(target: Target) -> Target:
        if target.schedule is not None and target.schedule.name in replaced:
            return Target("schedule", replaced[target.schedule.name])
        return target

    policies = [
        attrs.evolve(
            p, rules=[attrs.evolve(r, targets=[swap(t) for t in r.targets]) for r in p.rules]
        )
        for p in plan.escalation_policies
    ]
    schedules = [replaced.get(s.name, s) for s in plan.schedules]
    return OnCallPlan(
        schedules=schedules,
        escalation_policies=policies,
        users=plan.users,
        teams=plan.teams,
        shift_schedules=plan.shift_schedules,
    )
