"""Primary and secondary rotations from a roster: two schedules and one escalation policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Schedule,
    Target,
    Team,
    User,
)
from oncall_planner.planning._anchor import wall_anchor
from oncall_planner.timeutil import (
    DAY,
    HOUR,
    MINUTE,
    ZoneClock,
    check_instant,
    check_time_zone,
    clock,
    from_seconds,
    parse_time_of_day,
    to_seconds,
)

WEEK = dt.timedelta(weeks=1)


def _check_delay(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(
            f"PolicyOptions: {attribute.name} must be a whole number of minutes ≥ 1, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class PolicyOptions:
    """How :func:`plan_rotation` builds the escalation policy.

    ``name`` defaults to ``"<rotation name> Escalation"``. Each delay is how long a level waits for
    an acknowledgement before the next level is paged; ``num_loops`` repeats the whole policy.
    """

    name: str | None = None
    primary_delay: int = attrs.field(default=10, validator=_check_delay)
    secondary_delay: int = attrs.field(default=10, validator=_check_delay)
    manager_delay: int = attrs.field(default=15, validator=_check_delay)
    num_loops: int = 2


def _roster_users(roster: Sequence[User] | Team) -> tuple[tuple[User, ...], str | None]:
    if isinstance(roster, Team):
        return roster.members, roster.name
    try:
        users = tuple(roster)
    except TypeError:
        raise ValidationError(
            f"plan_rotation: roster must be a Team or a list of User, got {roster!r}"
        ) from None
    for user in users:
        if not isinstance(user, User):
            raise ValidationError(
                f"plan_rotation: roster must hold User objects, got {type(user).__name__} {user!r}"
            )
    return users, None


def _check_roster(users: tuple[User, ...]) -> None:
    if len(users) < 2:
        names = ", ".join(u.name for u in users) or "nobody"
        raise ValidationError(
            "plan_rotation: roster must have at least 2 people, so that the secondary is never "
            f"the primary, got {len(users)} ({names})"
        )
    seen: set[str] = set()
    for user in users:
        email = user.email.lower()
        if email in seen:
            raise ValidationError(
                f"plan_rotation: roster lists {user.email!r} twice; each person must appear once "
                "so that primary and secondary always differ"
            )
        seen.add(email)


def _local_anchor(
    start: dt.datetime, zclock: ZoneClock, handoff: dt.time | str | None, turn_length: dt.timedelta
) -> int:
    """The wall-clock time (local seconds) of the handoff that begins the turn holding ``start``.

    Handoffs are at ``handoff`` each day; with turns shorter than a day, also at ``handoff`` plus
    whole turns. The result is the last of them at or before ``start``'s wall-clock time.
    """
    local_start = zclock.to_local(to_seconds(start))
    if handoff is None:
        return local_start
    when = parse_time_of_day(handoff, "plan_rotation", "handoff")
    if when.second or when.microsecond:
        raise ValidationError(f"plan_rotation: handoff must be in whole minutes, got {when}")
    step = min(int(turn_length.total_seconds()), DAY)
    first = local_start // DAY * DAY + when.hour * HOUR + when.minute * MINUTE
    return first + (local_start - first) // step * step


def rotation_anchor(
    start: dt.datetime,
    time_zone: str,
    handoff: dt.time | str | None,
    turn_length: dt.timedelta = dt.timedelta(days=1),
) -> dt.datetime:
    """The instant of the handoff that begins the turn holding ``start``: the last handoff at or
    before ``start`` in ``time_zone``, handoffs being at ``handoff`` each day and, for turns
    shorter than a day, at ``handoff`` plus whole turns. A handoff the clocks skip is the instant
    they jump."""
    zclock = clock(time_zone)
    return from_seconds(zclock.from_local(_local_anchor(start, zclock, handoff, turn_length)))


def plan_rotation(
    roster: Sequence[User] | Team,
    start: dt.datetime,
    time_zone: str,
    turn_length: dt.timedelta = WEEK,
    handoff: dt.time | str | None = None,
    secondary: Literal["previous", "next", "apart"] = "previous",
    policy: PolicyOptions | None = None,
    manager: User | None = None,
    *,
    name: str | None = None,
) -> OnCallPlan:
    """A primary and a secondary rotation over ``roster``, and the policy that pages them.

    Builds two schedules, ``"<name> - Primary"`` and ``"<name> - Secondary"`` (two schedules, not
    two layers of one: in one schedule the later layer hides the earlier one), each with a single
    layer rotating the roster in order, turns of ``turn_length`` handed off at the local time
    ``handoff`` in ``time_zone`` (default: ``start``'s own time of day; with turns shorter than a
    day, also at ``handoff`` plus whole turns). The first person of the roster is the primary from
    ``start`` to the next handoff. Handoffs keep their wall-clock time across daylight saving; one
    the clocks skip happens when they jump. The secondary rotation is
    the same order shifted: ``"previous"`` makes the secondary the person who was primary in the
    turn before (they know what happened), ``"next"`` the person who will be primary in the turn
    after, ``"apart"`` the person half the roster away. With two or more distinct people the
    secondary is never the primary. ``"previous"`` and ``"next"`` put everyone on call for two
    turns in a row (primary then secondary, or the other way round), which check rule OCP401
    reports as a long stretch; ``"apart"`` leaves a turn of rest on both sides once the roster has
    four people or more.

    The escalation policy pages the primary schedule, then the secondary schedule, then
    ``manager`` when one is given. ``name`` defaults to the team's name (when ``roster`` is a
    :class:`~oncall_planner.Team`) or ``"On-Call"``. The plan holds the team when one is given.
    """
    users, team_name = _roster_users(roster)
    _check_roster(users)
    check_instant(start, "plan_rotation", "start")
    check_time_zone(time_zone, "plan_rotation")
    if secondary not in ("previous", "next", "apart"):
        raise ValidationError(
            f"plan_rotation: secondary must be 'previous', 'next' or 'apart', got {secondary!r}"
        )
    if manager is not None and not isinstance(manager, User):
        raise ValidationError(f"plan_rotation: manager must be a User or None, got {manager!r}")
    if policy is None:
        policy = PolicyOptions()
    elif not isinstance(policy, PolicyOptions):
        raise ValidationError(f"plan_rotation: policy must be PolicyOptions, got {policy!r}")
    if manager is not None and manager.email.lower() in {u.email.lower() for u in users}:
        raise ValidationError(
            f"plan_rotation: manager {manager.name!r} is also in the roster; the last level must "
            "reach someone who is not already paged as primary or secondary"
        )
    base = name or team_name or "On-Call"
    # The layer's own validators check turn_length before any arithmetic uses it.
    layer = Layer("Primary", users, start, turn_length)
    # Anchors on the schedule's wall clock: the first turn (users[0]) holds `start`, and the
    # secondary's rotation is the same order some turns later (previous, apart) or earlier (next).
    zclock = clock(time_zone)
    length = int(turn_length.total_seconds())
    local_anchor = _local_anchor(start, zclock, handoff, turn_length)
    turns = {"previous": 1, "next": -1, "apart": len(users) // 2}[secondary]
    cycle = len(users) * length
    primary_anchor = wall_anchor(zclock, local_anchor, cycle, "plan_rotation")
    secondary_anchor = wall_anchor(zclock, local_anchor + turns * length, cycle, "plan_rotation")
    primary_layer = attrs.evolve(layer, rotation_virtual_start=from_seconds(primary_anchor))
    secondary_layer = attrs.evolve(
        layer, name="Secondary", rotation_virtual_start=from_seconds(secondary_anchor)
    )
    teams = (roster,) if isinstance(roster, Team) else ()
    primary_schedule = Schedule(f"{base} - Primary", time_zone, [primary_layer], teams=teams)
    secondary_schedule = Schedule(f"{base} - Secondary", time_zone, [secondary_layer], teams=teams)
    rules = [
        EscalationRule(policy.primary_delay, [Target.schedule(primary_schedule)]),
        EscalationRule(policy.secondary_delay, [Target.schedule(secondary_schedule)]),
    ]
    if manager is not None:
        rules.append(EscalationRule(policy.manager_delay, [Target.user(manager)]))
    escalation = EscalationPolicy(
        policy.name or f"{base} Escalation",
        rules,
        num_loops=policy.num_loops,
        team=roster if isinstance(roster, Team) else None,
    )
    return OnCallPlan(
        schedules=[primary_schedule, secondary_schedule],
        escalation_policies=[escalation],
        teams=teams,
    )
