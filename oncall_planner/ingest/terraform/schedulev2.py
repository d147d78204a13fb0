"""The builder of ``pagerduty_schedulev2``: a shift-based schedule (:class:`ShiftSchedule`).

Registered with :func:`~.build.builder` like the other types, so it serves HCL, ``.tf.json``,
CDK output and plan/state JSON alike (its nested blocks are in ``jsonsyntax.BLOCK_SCHEMA``). The
resource's arguments (reference §4.1) map to the model one for one: ``rotation`` blocks to
:class:`Rotation`, ``event`` blocks to :class:`ShiftEvent` (``start_time`` and ``end_time`` keep
their instant; the provider writes the schedule's zone on every event, so events get none of
their own), ``assignment_strategy`` to :class:`RotatingMembers` (``shifts_per_member`` 1 when not
set, as the provider sends) or :class:`EveryMember`, ``member`` blocks to users or
:data:`EMPTY_MEMBER`. State and plan JSON carry the API's forms (UTC instants, a
``shifts_per_member`` of ``null``); both read the same. Computed IDs are not needed.

What PagerDuty refuses is reported as the provider or the API would (the removed
``user_assignment_strategy``, a ``user_member`` without ``user_id``); what it accepts but the
web app or the API's limits do not (``UTC``, more than five events, twenty members) is imported as
written and left to the lints (OCP701-OCP712).
"""

from __future__ import annotations

from oncall_planner.errors import InputReadError, ValidationError
from oncall_planner.ingest.terraform.build import Build, Obj, SkipError, builder
from oncall_planner.ingest.terraform.values import TfSet, Unknown, describe
from oncall_planner.model import (
    EMPTY_MEMBER,
    EveryMember,
    RotatingMembers,
    Rotation,
    ShiftEvent,
    ShiftMember,
    ShiftSchedule,
)
from oncall_planner.model.shift import check_iana_zone

_STRATEGIES = ("rotating_member_assignment_strategy", "every_member_assignment_strategy")


def _blocks(obj: Obj, name: str) -> list[Obj]:
    blocks = obj.blocks(name)
    if isinstance(blocks, Unknown):
        raise SkipError(
            f"the {name} blocks of {obj.address} are unknown: {blocks.reason}", obj.where()
        )
    return blocks


@builder("managed", "pagerduty_schedulev2", "schedule")
def build_schedulev2(obj: Obj, ctx: Build) -> ShiftSchedule:
    name = ctx.string(obj, "name")
    tz = ctx.string(obj, "time_zone")
    try:
        check_iana_zone(tz, f"ShiftSchedule {name!r}")
    except ValidationError as exc:
        raise InputReadError(f"{obj.where('time_zone')}: {obj.address}: {exc}") from None
    description = ctx.opt_string(obj, "description")
    teams = [ctx.team(v, obj, "teams") for v in ctx.ids(obj, "teams", required=False)]
    rotations = []
    for number, block in enumerate(_blocks(obj, "rotation"), start=1):
        events = [_event(e, ctx, tz) for e in _blocks(block, "event")]
        if not events:
            # Valid for the provider (an empty rotation), but it renders nothing and the
            # model's rotations hold events: say so rather than drop it and shift positions.
            raise SkipError(f"rotation {number} of {obj.address} has no event block", block.where())
        rotations.append(Rotation(events))
    try:
        schedule = ShiftSchedule(name, tz, rotations, description=description, teams=teams)
    except ValidationError as exc:
        raise InputReadError(f"{obj.where()}: {obj.address}: {exc}") from None
    ctx.where_key(("ShiftSchedule", name), obj)
    return schedule


def _event(obj: Obj, ctx: Build, tz: str) -> ShiftEvent:
    name = ctx.string(obj, "name")
    start = ctx.timestamp(obj, "start_time", tz)
    end = ctx.timestamp(obj, "end_time", tz)
    since = ctx.timestamp(obj, "effective_since", tz)
    until = ctx.timestamp(obj, "effective_until", tz, required=False)
    assert start is not None and end is not None and since is not None
    recurrence = _recurrence(obj, ctx)
    strategies = _blocks(obj, "assignment_strategy")
    if len(strategies) != 1:
        raise InputReadError(
            f"{obj.where()}: {obj.address}: event {name!r} needs exactly one assignment_strategy "
            f"block (the provider sends only the first), got {len(strategies)}"
        )
    assignment = _strategy(strategies[0], ctx)
    try:
        return ShiftEvent(
            name,
            start,
            end,
            recurrence,
            assignment,
            effective_since=since,
            effective_until=until,
        )
    except ValidationError as exc:
        raise InputReadError(f"{obj.where()}: {obj.address}: {exc}") from None


def _recurrence(obj: Obj, ctx: Build) -> list[str]:
    value = ctx.value(obj, "recurrence")
    if isinstance(value, TfSet):
        value = list(value.items)
    if not isinstance(value, list) or not value:
        raise InputReadError(
            f"{obj.where('recurrence')}: {obj.address}: recurrence must be a list of at least one "
            f"RRULE string, got {describe(value)}"
        )
    lines = []
    for item in value:
        if isinstance(item, Unknown):
            raise SkipError(
                f"an element of {obj.address}.recurrence is unknown: {item.reason}",
                obj.where("recurrence"),
            )
        if not isinstance(item, str):
            raise InputReadError(
                f"{obj.where('recurrence')}: {obj.address}: recurrence must hold strings, got "
                f"{describe(item)}"
            )
        lines.append(item)
    return lines


def _strategy(obj: Obj, ctx: Build) -> RotatingMembers | EveryMember:
    kind = ctx.string(obj, "type")
    if kind == "user_assignment_strategy":
        raise InputReadError(
            f"{obj.where('type')}: {obj.address}: 'user_assignment_strategy' is no longer valid "
            "(a breaking change of the provider); use 'rotating_member_assignment_strategy'"
        )
    if kind not in _STRATEGIES:
        raise InputReadError(
            f"{obj.where('type')}: {obj.address}: type must be one of {', '.join(_STRATEGIES)}, "
            f"got {kind!r}"
        )
    members = [_member(m, ctx) for m in _blocks(obj, "member")]
    spm = ctx.opt_integer(obj, "shifts_per_member", 1, None)
    try:
        if kind == "every_member_assignment_strategy":
            if spm is not None:
                ctx.note(
                    "OCP601",
                    obj.where("shifts_per_member"),
                    obj.address,
                    "shifts_per_member is not imported: every member is on call for every "
                    "shift, and what PagerDuty does with it there is not documented",
                )
            return EveryMember(members)
        return RotatingMembers(members, shifts_per_member=1 if spm is None else spm)
    except ValidationError as exc:
        raise InputReadError(f"{obj.where()}: {obj.address}: {exc}") from None


def _member(obj: Obj, ctx: Build) -> ShiftMember:
    kind = ctx.string(obj, "type")
    if kind == "empty_member":
        return EMPTY_MEMBER
    if kind != "user_member":
        raise InputReadError(
            f"{obj.where('type')}: {obj.address}: member type must be 'user_member' or "
            f"'empty_member', got {kind!r}"
        )
    value = ctx.value(obj, "user_id", required=False)
    if value is None:
        raise InputReadError(f"{obj.where()}: {obj.address}: a user_member needs a user_id")
    return ctx.user(value, obj, "user_id")
