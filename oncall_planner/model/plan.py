"""The whole organisation: users, teams, schedules and escalation policies."""

from __future__ import annotations

from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model._checks import items_of, to_tuple
from oncall_planner.model.escalation import EscalationPolicy
from oncall_planner.model.people import Team, User
from oncall_planner.model.schedule import Schedule
from oncall_planner.model.shift import ShiftSchedule


def _unique(items: list[Any]) -> tuple[Any, ...]:
    seen: set[Any] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return tuple(out)


def _check_distinct(items: tuple[Any, ...], key: Any, what: str, field: str) -> None:
    by_key: dict[Any, Any] = {}
    for item in items:
        k = key(item)
        if k in by_key and by_key[k] != item:
            raise ValidationError(
                f"OnCallPlan: two different {what} share the {field} {k!r}: "
                f"{by_key[k]!r} and {item!r}"
            )
        by_key[k] = item


def _check_schedules(instance: Any, attribute: Any, value: Any) -> None:
    for item in value if isinstance(value, tuple) else ():
        if isinstance(item, ShiftSchedule):
            raise ValidationError(
                f"OnCallPlan: schedules holds layer-based Schedule objects; pass the "
                f"ShiftSchedule {item.name!r} in shift_schedules"
            )
    items_of(Schedule)(instance, attribute, value)


@attrs.frozen
class OnCallPlan:
    """Everything a team keeps in Terraform.

    ``schedules`` are layer-based (:class:`Schedule`), ``shift_schedules`` shift-based
    (:class:`ShiftSchedule`); :attr:`all_schedules` gives both, for code that works from what
    :func:`~oncall_planner.render` produces. Schedule names are unique across both kinds.

    Users, teams and schedules that the given schedules and policies refer to are collected
    automatically (in order of first appearance, after those given explicitly), so
    ``OnCallPlan(escalation_policies=[policy])`` is a complete plan.
    """

    schedules: tuple[Schedule, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_schedules
    )
    escalation_policies: tuple[EscalationPolicy, ...] = attrs.field(
        default=(), converter=to_tuple, validator=items_of(EscalationPolicy)
    )
    users: tuple[User, ...] = attrs.field(default=(), converter=to_tuple, validator=items_of(User))
    teams: tuple[Team, ...] = attrs.field(default=(), converter=to_tuple, validator=items_of(Team))
    shift_schedules: tuple[ShiftSchedule, ...] = attrs.field(
        default=(), converter=to_tuple, validator=items_of(ShiftSchedule)
    )

    def __attrs_post_init__(self) -> None:
        schedules = list(self.schedules)
        shift_schedules = list(self.shift_schedules)
        for policy in self.escalation_policies:
            for rule in policy.rules:
                for t in rule.targets:
                    if isinstance(t.schedule, ShiftSchedule):
                        shift_schedules.append(t.schedule)
                    elif t.schedule is not None:
                        schedules.append(t.schedule)
        schedules_t = _unique(schedules)
        shift_t = _unique(shift_schedules)

        teams = list(self.teams)
        for any_schedule in (*schedules_t, *shift_t):
            teams.extend(any_schedule.teams)
        teams.extend(p.team for p in self.escalation_policies if p.team is not None)
        teams_t = _unique(teams)

        users = list(self.users)
        for schedule in schedules_t:
            for layer in schedule.layers:
                users.extend(layer.users)
        for shift_schedule in shift_t:
            users.extend(shift_schedule.users())
        for policy in self.escalation_policies:
            for rule in policy.rules:
                users.extend(t.user for t in rule.targets if t.user is not None)
        for team in teams_t:
            users.extend(team.members)
        users_t = _unique(users)

        _check_distinct(users_t, lambda u: u.email.lower(), "users", "email")
        _check_distinct((*schedules_t, *shift_t), lambda s: s.name, "schedules", "name")
        _check_distinct(self.escalation_policies, lambda p: p.name, "escalation policies", "name")
        _check_distinct(teams_t, lambda t: t.name, "teams", "name")
        object.__setattr__(self, "schedules", schedules_t)
        object.__setattr__(self, "shift_schedules", shift_t)
        object.__setattr__(self, "users", users_t)
        object.__setattr__(self, "teams", teams_t)

    @property
    def all_schedules(self) -> tuple[Schedule | ShiftSchedule, ...]:
        """Every schedule of the plan, layer-based ones first, each kind in its own order."""
        return (*self.schedules, *self.shift_schedules)

    def schedule(self, name: str) -> Schedule:
        """The layer-based schedule called ``name``."""
        for schedule in self.schedules:
            if schedule.name == name:
                return schedule
        kind = (
            " (it is a ShiftSchedule: use shift_schedule())"
            if any(s.name == name for s in self.shift_schedules)
            else ""
        )
        raise ValidationError(
            f"OnCallPlan: no schedule named {name!r}{kind}; the plan has "
            f"{[s.name for s in self.schedules]}"
        )

    def shift_schedule(self, name: str) -> ShiftSchedule:
        """The shift-based schedule called ``name``."""
        for schedule in self.shift_schedules:
            if schedule.name == name:
                return schedule
        raise ValidationError(
            f"OnCallPlan: no shift-based schedule named {name!r}; the plan has "
            f"{[s.name for s in self.shift_schedules]}"
        )

    def escalation_policy(self, name: str) -> EscalationPolicy:
        """The escalation policy called ``name``."""
        for policy in self.escalation_policies:
            if policy.name == name:
                return policy
        raise ValidationError(
            f"OnCallPlan: no escalation policy named {name!r}; the plan has "
            f"{[p.name for p in self.escalation_policies]}"
        )

    def user(self, email: str) -> User:
        """The user with this email (case-insensitive)."""
        for user in self.users:
            if user.email.lower() == email.lower():
                return user
        raise ValidationError(f"OnCallPlan: no user with email {email!r}")
