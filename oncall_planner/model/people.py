"""Users and teams."""

from __future__ import annotations

import re
from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model._checks import describe, name_validator, optional_text, to_tuple
from oncall_planner.textutil import check_name_text, is_name_text
from oncall_planner.timeutil import check_time_zone

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_email(instance: Any, attribute: Any, value: Any) -> None:
    if (
        type(value) is str
        and 6 <= len(value) <= 100
        and _EMAIL_RE.match(value)
        and is_name_text(value)
    ):
        return  # valid: the messages below are built only for what is refused
    where = describe(instance)
    if isinstance(value, str):
        check_name_text(value, where, "email")
    if not isinstance(value, str) or not _EMAIL_RE.match(value):
        raise ValidationError(f"{where}: email must look like name@example.com, got {value!r}")
    if not 6 <= len(value) <= 100:
        raise ValidationError(f"{where}: email must be 6 to 100 characters, got {len(value)}")


def _check_optional_zone(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        check_time_zone(value, describe(instance))


@attrs.frozen(cache_hash=True)  # people are dict keys in every consumer's inner loops
class User:
    """A person who can be on call. PagerDuty identifies users by email.

    ``time_zone`` is the person's own zone (used for nights, weekends and fairness); ``None``
    means "the zone of the schedule being looked at".
    """

    name: str = attrs.field(validator=name_validator(100))
    email: str = attrs.field(validator=_check_email)
    time_zone: str | None = attrs.field(default=None, validator=_check_optional_zone)


def _check_members(instance: Any, attribute: Any, value: Any) -> None:
    where = f"{describe(instance)}: members"
    if not isinstance(value, tuple) or not all(isinstance(u, User) for u in value):
        raise ValidationError(f"{where} must be a list of User, got {value!r}")
    seen = set()
    for user in value:
        if user.email in seen:
            raise ValidationError(f"{where} lists {user.email!r} twice")
        seen.add(user.email)


@attrs.frozen(cache_hash=True)
class Team:
    """A PagerDuty team: a name and its members."""

    name: str = attrs.field(validator=name_validator(100))
    members: tuple[User, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_members
    )
    description: str | None = attrs.field(default=None, validator=optional_text(1024))
