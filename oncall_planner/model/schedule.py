"""Schedules: restrictions, layers, schedules and overrides."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model._checks import (
    describe,
    items_of,
    name_validator,
    optional_text,
    to_tuple,
)
from oncall_planner.model.people import Team, User
from oncall_planner.timeutil import (
    check_duration,
    check_instant,
    check_time_zone,
    describe_duration,
    is_plain_instant,
    parse_time_of_day,
)

MIN_TURN = dt.timedelta(hours=1)
MAX_TURN = dt.timedelta(days=365)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _check_time_of_day(instance: Any, attribute: Any, value: dt.time) -> None:
    if value.second or value.microsecond:
        raise ValidationError(
            f"Restriction: start_time_of_day must be in whole minutes, got {value.isoformat()}"
        )


def _check_restriction(instance: Restriction, attribute: Any, value: Any) -> None:
    # Whole seconds, as the provider accepts them (1 to 604,799); its acceptance tests apply
    # durations such as 32,101 s against the live API. Turns and timestamps stay whole minutes.
    duration = instance.duration
    if not isinstance(duration, dt.timedelta):
        raise ValidationError(
            f"Restriction: duration must be a datetime.timedelta, got "
            f"{type(duration).__name__} {duration!r}"
        )
    if duration.microseconds:
        raise ValidationError(f"Restriction: duration must be in whole seconds, got {duration}")
    if instance.kind == "daily":
        if instance.start_day_of_week is not None:
            raise ValidationError(
                "Restriction: start_day_of_week is only for weekly restrictions, "
                f"got {instance.start_day_of_week!r} on a daily one"
            )
        if not dt.timedelta(seconds=1) <= instance.duration < dt.timedelta(days=1):
            raise ValidationError(
                "Restriction: a daily duration must be at least 1 second and less than 24 hours "
                f"(for whole days use no restriction), got {describe_duration(instance.duration)}"
            )
    elif instance.kind == "weekly":
        day = instance.start_day_of_week
        if not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 7:
            raise ValidationError(
                f"Restriction: start_day_of_week must be 1 (Monday) to 7 (Sunday), got {day!r}"
            )
        if not dt.timedelta(seconds=1) <= instance.duration < dt.timedelta(days=7):
            raise ValidationError(
                "Restriction: a weekly duration must be at least 1 second and less than 7 days, "
                f"got {describe_duration(instance.duration)}"
            )
    else:
        raise ValidationError(
            f"Restriction: kind must be 'daily' or 'weekly', got {instance.kind!r}"
        )


@attrs.frozen(cache_hash=True)
class Restriction:
    """A recurring local wall-clock window in which a layer may hold on-call time.

    Build one with :meth:`daily` or :meth:`weekly`. Windows are in the schedule's time zone, and a
    restriction masks the rotation without pausing it.
    """

    kind: Literal["daily", "weekly"] = attrs.field(validator=_check_restriction)
    start_time_of_day: dt.time = attrs.field(
        converter=parse_time_of_day, validator=_check_time_of_day
    )
    duration: dt.timedelta = attrs.field()
    start_day_of_week: int | None = attrs.field(default=None)

    @classmethod
    def daily(cls, start_time_of_day: dt.time | str, duration: dt.timedelta) -> Restriction:
        """Every day from ``start_time_of_day`` for ``duration`` (less than 24 hours)."""
        return cls("daily", start_time_of_day, duration)

    @classmethod
    def weekly(
        cls, start_day_of_week: int, start_time_of_day: dt.time | str, duration: dt.timedelta
    ) -> Restriction:
        """Every week from ``start_day_of_week`` (1 = Monday … 7 = Sunday) at ``start_time_of_day``
        for ``duration`` (less than 7 days)."""
        return cls("weekly", start_time_of_day, duration, start_day_of_week)

    def __str__(self) -> str:
        start = self.start_time_of_day.strftime("%H:%M")
        length = describe_duration(self.duration)
        if self.kind == "daily":
            return f"daily from {start} for {length}"
        return f"weekly from {_WEEKDAYS[(self.start_day_of_week or 1) - 1]} {start} for {length}"


def _check_layer_instant(instance: Any, attribute: Any, value: Any) -> None:
    if is_plain_instant(value) or (value is None and attribute.name == "end"):
        return  # valid: the message is built only for what is refused
    check_instant(value, describe(instance), attribute.name)


def _check_turn_length(instance: Any, attribute: Any, value: Any) -> None:
    where = describe(instance)
    check_duration(value, where, "turn_length")
    if not MIN_TURN <= value <= MAX_TURN:
        raise ValidationError(
            f"{where}: turn_length must be between 1 hour and 365 days, got {describe_duration(value)}"
        )


_RESTRICTION_ITEMS = items_of(Restriction)


def _check_restrictions(instance: Any, attribute: Any, value: Any) -> None:
    _RESTRICTION_ITEMS(instance, attribute, value)
    kinds = {r.kind for r in value}
    if len(kinds) > 1:
        raise ValidationError(
            f"{describe(instance)}: restrictions must be all daily or all weekly "
            "(PagerDuty offers one kind per layer), got both"
        )


def _check_end(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    _check_layer_instant(instance, attribute, value)
    if value <= instance.start:
        raise ValidationError(
            f"{describe(instance)}: end must be after start ({instance.start.isoformat()}), "
            f"got {value.isoformat()}"
        )


@attrs.frozen(cache_hash=True)
class Layer:
    """One rotation: users take turns of ``turn_length``, counted from ``rotation_virtual_start``.

    The layer produces on-call time from ``start`` until ``end`` (``None``: never ends), only
    inside its ``restrictions`` when it has any. In a schedule, later layers win.
    """

    name: str = attrs.field(validator=name_validator(255))
    users: tuple[User, ...] = attrs.field(converter=to_tuple, validator=items_of(User, min_items=1))
    start: dt.datetime = attrs.field(validator=_check_layer_instant)
    turn_length: dt.timedelta = attrs.field(validator=_check_turn_length)
    rotation_virtual_start: dt.datetime = attrs.field(
        default=attrs.Factory(lambda self: self.start, takes_self=True),
        validator=_check_layer_instant,
    )
    restrictions: tuple[Restriction, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_restrictions
    )
    end: dt.datetime | None = attrs.field(default=None, validator=_check_end)


_LAYER_ITEMS = items_of(Layer, min_items=1)
_TEAM_ITEMS = items_of(Team)


def _check_layers(instance: Any, attribute: Any, value: Any) -> None:
    _LAYER_ITEMS(instance, attribute, value)


def _check_teams(instance: Any, attribute: Any, value: Any) -> None:
    _TEAM_ITEMS(instance, attribute, value)
    names = [team.name for team in value]
    for name in names:
        if names.count(name) > 1:
            raise ValidationError(
                f"{describe(instance)}: teams lists {name!r} twice (PagerDuty keeps one, so "
                "Terraform would show a change on every plan)"
            )


@attrs.frozen(cache_hash=True)
class Schedule:
    """A PagerDuty schedule: layers in order (the last one wins) in one time zone."""

    name: str = attrs.field(validator=name_validator(255))
    time_zone: str = attrs.field()
    layers: tuple[Layer, ...] = attrs.field(converter=to_tuple, validator=_check_layers)
    description: str | None = attrs.field(default=None, validator=optional_text(1024))
    teams: tuple[Team, ...] = attrs.field(default=(), converter=to_tuple, validator=_check_teams)

    @time_zone.validator
    def _check_zone(self, attribute: Any, value: Any) -> None:
        check_time_zone(value, describe(self))


def _check_override_instant(instance: Any, attribute: Any, value: Any) -> None:
    check_instant(value, "Override", attribute.name)


def _check_override_end(instance: Any, attribute: Any, value: Any) -> None:
    check_instant(value, "Override", "end")
    if value <= instance.start:
        raise ValidationError(
            f"Override: end must be after start ({instance.start.isoformat()}), got {value.isoformat()}"
        )


def _check_override_user(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, User):
        raise ValidationError(
            f"Override: user must be a User, got {type(value).__name__} {value!r}"
        )


@attrs.frozen
class Override:
    """``user`` is on call on a schedule over ``[start, end)``, whatever its layers say."""

    start: dt.datetime = attrs.field(validator=_check_override_instant)
    end: dt.datetime = attrs.field(validator=_check_override_end)
    user: User = attrs.field(validator=_check_override_user)


def _check_time_off_user(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, User):
        raise ValidationError(f"TimeOff: user must be a User, got {type(value).__name__} {value!r}")


def _check_time_off_end(instance: Any, attribute: Any, value: Any) -> None:
    check_instant(value, "TimeOff", "end")
    if value <= instance.start:
        raise ValidationError(
            f"TimeOff: end must be after start ({instance.start.isoformat()}), got {value.isoformat()}"
        )


@attrs.frozen
class TimeOff:
    """``user`` is away over ``[start, end)`` and should not be on call then."""

    user: User = attrs.field(validator=_check_time_off_user)
    start: dt.datetime = attrs.field(validator=lambda i, a, v: check_instant(v, "TimeOff", "start"))
    end: dt.datetime = attrs.field(validator=_check_time_off_end)
