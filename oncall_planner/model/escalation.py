"""Escalation policies: targets, rules (levels) and policies."""

from __future__ import annotations

import re
from typing import Any, Literal

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model._checks import describe, items_of, name_validator, optional_text, to_tuple
from oncall_planner.model.people import Team, User
from oncall_planner.model.schedule import Schedule
from oncall_planner.model.shift import ShiftSchedule


def _check_target(instance: Target, attribute: Any, value: Any) -> None:
    expected: dict[str, tuple[type, ...]] = {"user": (User,), "schedule": (Schedule, ShiftSchedule)}
    if instance.kind not in expected:
        raise ValidationError(f"Target: kind must be 'user' or 'schedule', got {instance.kind!r}")
    if not isinstance(value, expected[instance.kind]):
        wanted = "a User" if instance.kind == "user" else "a Schedule or a ShiftSchedule"
        raise ValidationError(
            f"Target: a {instance.kind} target needs {wanted}, got {type(value).__name__} {value!r}"
        )


class _KindAccessor:
    """``Target.user(u)`` builds a user target; ``target.user`` reads it (``None`` for a schedule
    target). The same for ``schedule``."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __get__(self, instance: Target | None, owner: type[Target]) -> Any:
        if instance is None:
            kind = self.kind

            def build(ref: Any) -> Target:
                return owner(kind, ref)  # type: ignore[arg-type]

            build.__doc__ = f"A target that notifies {'a user' if kind == 'user' else 'whoever is on call on a schedule'}."
            return build
        return instance.ref if instance.kind == self.kind else None


@attrs.frozen
class Target:
    """Who a level notifies: a user directly (``Target.user(u)``), or whoever is on call on a
    schedule (``Target.schedule(s)``), layer-based (:class:`Schedule`) or shift-based
    (:class:`ShiftSchedule`; Terraform writes both as ``schedule_reference``)."""

    kind: Literal["user", "schedule"] = attrs.field()
    ref: User | Schedule | ShiftSchedule = attrs.field(validator=_check_target)

    user = _KindAccessor("user")
    schedule = _KindAccessor("schedule")

    @property
    def name(self) -> str:
        """The target's display name: the user's or the schedule's name."""
        return self.ref.name


#: The longest escalation delay the library takes: a year. PagerDuty states no maximum; real
#: delays are minutes to hours, and a bound keeps every timeline within the dates the library
#: handles.
MAX_DELAY_MINUTES = 365 * 24 * 60


def _check_delay(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_DELAY_MINUTES:
        raise ValidationError(
            "EscalationRule: delay_minutes must be a whole number ≥ 1 and at most "
            f"{MAX_DELAY_MINUTES} (a year), got {value!r}"
        )


@attrs.frozen
class EscalationRule:
    """One level of a policy: notify ``targets`` and wait ``delay_minutes`` before the next level."""

    delay_minutes: int = attrs.field(validator=_check_delay)
    targets: tuple[Target, ...] = attrs.field(
        converter=to_tuple, validator=items_of(Target, min_items=1, max_items=10)
    )
    round_robin: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))


_BAD_POLICY_CHARS = re.compile(r"[\\/&<>]")


def _check_policy_name(instance: Any, attribute: Any, value: Any) -> None:
    name_validator(255)(instance, attribute, value)
    if value != value.rstrip() or _BAD_POLICY_CHARS.search(value):
        raise ValidationError(
            "EscalationPolicy: name must not end with a space nor contain \\ / & < >, "
            f"got {value!r}"
        )
    if not value.isprintable():
        raise ValidationError(
            "EscalationPolicy: name must be printable (no tabs, line breaks or other control "
            f"characters; PagerDuty refuses them), got {value!r}"
        )


def _check_loops(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 9:
        raise ValidationError(f"{describe(instance)}: num_loops must be 0 to 9, got {value!r}")


def _check_team(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, Team):
        raise ValidationError(
            f"{describe(instance)}: team must be one Team or None (PagerDuty allows one team per "
            f"policy), got {value!r}"
        )


@attrs.frozen
class EscalationPolicy:
    """Levels notified in order; the whole list repeats ``num_loops`` more times."""

    name: str = attrs.field(validator=_check_policy_name)
    rules: tuple[EscalationRule, ...] = attrs.field(
        converter=to_tuple, validator=items_of(EscalationRule, min_items=1)
    )
    num_loops: int = attrs.field(default=0, validator=_check_loops)
    team: Team | None = attrs.field(default=None, validator=_check_team)
    description: str | None = attrs.field(default=None, validator=optional_text(1024))
