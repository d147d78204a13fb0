"""Shift-based schedules (PagerDuty's v3 schedules, Terraform ``pagerduty_schedulev2``).

A :class:`ShiftSchedule` holds :class:`Rotation` objects; a rotation holds :class:`ShiftEvent`
objects, each a recurring window (``start_time``, ``end_time``, an RFC 5545 ``recurrence``) with an
assignment strategy (:class:`RotatingMembers` or :class:`EveryMember`) and an effective range
(``effective_since``, ``effective_until``). Rotations do not take precedence over each other:
several people may be on call at once. :class:`CustomShift` adds one person (or an empty slot) for
one stretch of time; :class:`ShiftOverride` replaces one member of one rotation's (or custom
shift's) shifts for a while.

The model checks what makes a value meaningless (an end before its start, an RRULE that does not
parse, two copies of one user in a strategy). PagerDuty's counting limits (five events a rotation,
ten rotations, 1 to 20 members) depend on ``now`` or are the API's business, so they are lint rules
(``OCP7xx``, docs/checks.md) rather than errors here, and an imported schedule that breaks them can
still be rendered and checked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model._checks import (
    describe,
    items_of,
    name_validator,
    optional_text,
    to_tuple,
)
from oncall_planner.model._recurrence import Recurrence, parse_recurrence
from oncall_planner.model.people import Team, User
from oncall_planner.timeutil import check_instant


@attrs.frozen
class EmptyMember:
    """An intentionally unassigned slot in a strategy's member list (PagerDuty's
    ``empty_member``). The slot keeps its turns, so the rest of the rotation keeps its cadence;
    the renderer reports its time as a :class:`~oncall_planner.render.Vacancy`, not as someone on
    call. Use the constant :data:`EMPTY_MEMBER`."""

    def __repr__(self) -> str:
        return "EMPTY_MEMBER"


#: The empty slot (all :class:`EmptyMember` values are equal).
EMPTY_MEMBER = EmptyMember()

#: A member of a shift: a user or the empty slot (PagerDuty's ``user_member``/``empty_member``).
ShiftMember: TypeAlias = User | EmptyMember


def check_iana_zone(name: object, where: str, field: str = "time_zone") -> str:
    """``name`` if it is an IANA zone name that ``zoneinfo`` knows, else ValidationError.

    The v3 API takes any IANA name; which ones the Terraform provider takes is lint OCP710.
    """
    if not isinstance(name, str) or not name:
        raise ValidationError(
            f"{where}: {field} must be an IANA time zone name such as 'America/New_York', "
            f"got {name!r}"
        )
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: name too long for a file
        raise ValidationError(
            f"{where}: {field} must be an IANA time zone name such as 'America/New_York', "
            f"got {name!r}"
        ) from None
    return name


def _check_members(instance: Any, attribute: Any, value: Any) -> None:
    where = f"{describe(instance)}: members"
    if not isinstance(value, tuple):
        raise ValidationError(f"{where} must be a list of User or EMPTY_MEMBER, got {value!r}")
    seen: set[str] = set()
    for member in value:
        if isinstance(member, EmptyMember):
            continue
        if not isinstance(member, User):
            raise ValidationError(
                f"{where} must hold User objects or EMPTY_MEMBER, got "
                f"{type(member).__name__} {member!r}"
            )
        if member.email.lower() in seen:
            raise ValidationError(
                f"{where} lists {member.email!r} twice (PagerDuty does not say what a repeated "
                "member does; use EMPTY_MEMBER or a second event to weight someone)"
            )
        seen.add(member.email.lower())


def _check_shifts_per_member(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(
            f"RotatingMembers: shifts_per_member must be a whole number ≥ 1, got {value!r}"
        )


@attrs.frozen
class RotatingMembers:
    """Members take turns (PagerDuty's ``rotating_member_assignment_strategy``): occurrence ``k``
    of the event belongs to ``members[(k // shifts_per_member) % len(members)]``.

    ``shifts_per_member`` counts occurrences of the recurrence, not days: with
    ``FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR`` and ``shifts_per_member=5`` each member has a working week.
    """

    members: tuple[ShiftMember, ...] = attrs.field(converter=to_tuple, validator=_check_members)
    shifts_per_member: int = attrs.field(default=1, validator=_check_shifts_per_member)


@attrs.frozen
class EveryMember:
    """Every member is on call for every occurrence (PagerDuty's
    ``every_member_assignment_strategy``)."""

    members: tuple[ShiftMember, ...] = attrs.field(converter=to_tuple, validator=_check_members)


AssignmentStrategy: TypeAlias = RotatingMembers | EveryMember


def _check_event_instant(instance: Any, attribute: Any, value: Any) -> None:
    if value is None and attribute.name == "effective_until":
        return
    check_instant(value, describe(instance), attribute.name)


def _check_end_time(instance: Any, attribute: Any, value: Any) -> None:
    _check_event_instant(instance, attribute, value)
    if value <= instance.start_time:
        raise ValidationError(
            f"{describe(instance)}: end_time must be after start_time "
            f"({instance.start_time.isoformat()}), got {value.isoformat()}"
        )


def _check_effective_until(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    _check_event_instant(instance, attribute, value)
    if value <= instance.effective_since:
        raise ValidationError(
            f"{describe(instance)}: effective_until must be after effective_since "
            f"({instance.effective_since.isoformat()}), got {value.isoformat()}"
        )


def _to_lines(value: Any) -> Any:
    """One RRULE string, or a list of recurrence lines, as a tuple of lines."""
    if isinstance(value, str):
        return (value,)
    return to_tuple(value)


def _check_recurrence(instance: Any, attribute: Any, value: Any) -> None:
    where = describe(instance)
    if not isinstance(value, tuple):
        raise ValidationError(
            f"{where}: recurrence must be an RRULE string or a list of RRULE/EXDATE/RDATE lines, "
            f"got {value!r}"
        )
    parse_recurrence(value, where)


def _check_assignment(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, (RotatingMembers, EveryMember)):
        raise ValidationError(
            f"{describe(instance)}: assignment must be RotatingMembers(...) or EveryMember(...), "
            f"got {type(value).__name__} {value!r}"
        )


def _check_optional_zone(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        check_iana_zone(value, describe(instance), attribute.name)


@attrs.frozen
class ShiftEvent:
    """A recurring on-call window of a rotation (PagerDuty's rotation *event*).

    The first occurrence is ``[start_time, end_time)``; ``recurrence`` (an RFC 5545 RRULE, with
    optional EXDATE/RDATE lines) repeats it on the wall clock of ``time_zone`` (``None``: the
    schedule's zone, which is what the Terraform provider always writes). ``assignment`` says who
    covers each occurrence. The event produces shifts from ``effective_since`` (default:
    ``start_time``) until ``effective_until`` (``None``: for good).
    """

    name: str = attrs.field(validator=name_validator(255))
    start_time: dt.datetime = attrs.field(validator=_check_event_instant)
    end_time: dt.datetime = attrs.field(validator=_check_end_time)
    recurrence: tuple[str, ...] = attrs.field(converter=_to_lines, validator=_check_recurrence)
    assignment: RotatingMembers | EveryMember = attrs.field(validator=_check_assignment)
    effective_since: dt.datetime = attrs.field(
        default=attrs.Factory(lambda self: self.start_time, takes_self=True),
        validator=_check_event_instant,
    )
    effective_until: dt.datetime | None = attrs.field(
        default=None, validator=_check_effective_until
    )
    time_zone: str | None = attrs.field(default=None, validator=_check_optional_zone)

    @property
    def parsed_recurrence(self) -> Recurrence:
        """The recurrence read into its RRULE, RDATE and EXDATE parts."""
        return parse_recurrence(self.recurrence, describe(self))

    @property
    def members(self) -> tuple[ShiftMember, ...]:
        """The assignment's members."""
        return self.assignment.members


def _check_optional_name(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        name_validator(255)(instance, attribute, value)


@attrs.frozen
class Rotation:
    """A rotation of a shift-based schedule: its events in time order, each a configuration in
    force for its effective range. PagerDuty's API gives a rotation no name; ``name`` is the web
    app's "rotation name", used in messages and reports only."""

    events: tuple[ShiftEvent, ...] = attrs.field(
        converter=to_tuple, validator=items_of(ShiftEvent, min_items=1)
    )
    name: str | None = attrs.field(default=None, validator=_check_optional_name)


def _check_member(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, (User, EmptyMember)):
        raise ValidationError(
            f"{type(instance).__name__}: {attribute.name} must be a User or EMPTY_MEMBER, got "
            f"{type(value).__name__} {value!r}"
        )


def _interval_checks(kind: str) -> tuple[Any, Any]:
    def start(instance: Any, attribute: Any, value: Any) -> None:
        check_instant(value, kind, "start")

    def end(instance: Any, attribute: Any, value: Any) -> None:
        check_instant(value, kind, "end")
        if value <= instance.start:
            raise ValidationError(
                f"{kind}: end must be after start ({instance.start.isoformat()}), "
                f"got {value.isoformat()}"
            )

    return start, end


_custom_start, _custom_end = _interval_checks("CustomShift")


@attrs.frozen
class CustomShift:
    """One-off coverage (PagerDuty's *custom shift*): ``member`` is on call over ``[start, end)``,
    in addition to whatever the rotations say. PagerDuty gives a custom shift exactly one
    member; for two people, make two custom shifts."""

    start: dt.datetime = attrs.field(validator=_custom_start)
    end: dt.datetime = attrs.field(validator=_custom_end)
    member: ShiftMember = attrs.field(validator=_check_member)


def _check_rotations(instance: Any, attribute: Any, value: Any) -> None:
    items_of(Rotation)(instance, attribute, value)


def _check_teams(instance: Any, attribute: Any, value: Any) -> None:
    items_of(Team)(instance, attribute, value)
    names = [team.name for team in value]
    for name in names:
        if names.count(name) > 1:
            raise ValidationError(f"{describe(instance)}: teams lists {name!r} twice")


@attrs.frozen
class ShiftSchedule:
    """A shift-based schedule (PagerDuty v3, Terraform ``pagerduty_schedulev2``).

    Rotations are independent: each puts its own people on call, so several people may be on call
    at once, and a rotation later in the list hides nothing. ``custom_shifts`` add one-off
    coverage. ``time_zone`` is any IANA name (the v3 API's rule); lint OCP710 says which ones the
    Terraform provider refuses.
    """

    name: str = attrs.field(validator=name_validator(255))
    time_zone: str = attrs.field()
    rotations: tuple[Rotation, ...] = attrs.field(converter=to_tuple, validator=_check_rotations)
    description: str | None = attrs.field(default=None, validator=optional_text(1024))
    teams: tuple[Team, ...] = attrs.field(default=(), converter=to_tuple, validator=_check_teams)
    custom_shifts: tuple[CustomShift, ...] = attrs.field(
        default=(), converter=to_tuple, validator=items_of(CustomShift)
    )

    @time_zone.validator
    def _check_zone(self, attribute: Any, value: Any) -> None:
        check_iana_zone(value, describe(self))

    def users(self) -> tuple[User, ...]:
        """Every user the schedule names (members and custom shifts), in order of appearance."""
        seen: dict[User, None] = {}
        for rotation in self.rotations:
            for event in rotation.events:
                for member in event.members:
                    if isinstance(member, User):
                        seen.setdefault(member)
        for shift in self.custom_shifts:
            if isinstance(shift.member, User):
                seen.setdefault(shift.member)
        return tuple(seen)


_override_start, _override_end = _interval_checks("ShiftOverride")


def _check_override_source(instance: Any, attribute: Any, value: Any) -> None:
    if instance.rotation is not None and not isinstance(instance.rotation, Rotation):
        raise ValidationError(
            f"ShiftOverride: rotation must be a Rotation of the schedule, got "
            f"{type(instance.rotation).__name__} {instance.rotation!r}"
        )
    if value is not None and not isinstance(value, CustomShift):
        raise ValidationError(
            f"ShiftOverride: custom_shift must be a CustomShift of the schedule, got "
            f"{type(value).__name__} {value!r}"
        )
    if (instance.rotation is None) == (value is None):
        raise ValidationError(
            "ShiftOverride: give exactly one of rotation and custom_shift (PagerDuty scopes an "
            "override to one rotation or one custom shift)"
        )


@attrs.frozen
class ShiftOverride:
    """``overriding_member`` replaces ``overridden_member`` over ``[start, end)`` in the shifts of
    one ``rotation`` or one ``custom_shift`` (PagerDuty's v3 override). Other rotations are not
    affected. Either member may be :data:`EMPTY_MEMBER`: filling an empty slot, or emptying one.
    """

    start: dt.datetime = attrs.field(validator=_override_start)
    end: dt.datetime = attrs.field(validator=_override_end)
    overridden_member: ShiftMember = attrs.field(validator=_check_member)
    overriding_member: ShiftMember = attrs.field(validator=_check_member)
    rotation: Rotation | None = attrs.field(default=None)
    custom_shift: CustomShift | None = attrs.field(default=None, validator=_check_override_source)
