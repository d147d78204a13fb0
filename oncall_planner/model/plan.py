"""The whole organisation: users, teams, schedules and escalation policies."""

from __future__ import annotations

from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model._checks import items_of, to_tuple
from oncall_planner.model.escalation import EscalationPolicy
from oncall_planner.model.people import Team, User
from oncall_planner.model.schedule import Schedule


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


@attrs.frozen
class OnCallPlan:
    """Everything a team keeps in Terraform.

    Users, teams and schedules that the given schedules and policies refer to are collected
    automatically (in order of first appearance, after those given explicitly), so
    ``OnCallPlan(escalation_policies=[policy])`` is a complete plan.
    """

    schedules: tuple[Schedule, ...] = attrs.field(
        default=(), converter=to_tuple, validator=items_of(Schedule)
    )
    escalation_policies: tuple[EscalationPolicy, ...] = attrs.field(
        default=(), converter=to_tuple, validator=items_of(EscalationPolicy)
    )
    users: tuple[User, ...] = attrs.field(default=(), converter=to_tuple, validator=items_of(User))
    teams: tuple[Team, ...] = attrs.field(default=(), converter=to_tuple, validator=items_of(Team))

    def __attrs_post_init__(self) -> None:
        schedules = list(self.schedules)
        for policy in self.escalation_policies:
            for rule in policy.rules:
                schedules.extend(t.schedule for t in rule.targets if t.schedule is not None)
        schedules_t = _unique(schedules)

        teams = list(self.teams)
        for schedule in schedules_t:
            teams.extend(schedule.teams)
        teams.extend(p.team for p in self.escalation_policies if p.team is not None)
        teams_t = _unique(teams)

        users = list(self.users)
        for schedule in schedules_t:
            for layer in schedule.layers:
                users.extend(layer.users)
        for policy in self.escalation_policies:
            for rule in policy.rules:
                users.extend(t.user for t in rule.targets if t.user is not None)
        for team in teams_t:
            users.extend(team.members)
        users_t = _unique(users)

        _check_distinct(users_t, lambda u: u.email.lower(), "users", "email")
        _check_distinct(schedules_t, lambda s: s.name, "schedules", "name")
        _check_distinct(self.escalation_policies, lambda p: p.name, "escalation policies", "name")
        _check_distinct(teams_t, lambda t: t.name, "teams", "name")
        object.__setattr__(self, "schedules", schedules_t)
        object.__setattr__(self, "users", users_t)
        object.__setattr__(self, "teams", teams_t)

    def schedule(self, name: str) -> Schedule:
        """The schedule called ``name``."""
        for schedule in self.schedules:
            if schedule.name == name:
                return schedule
        raise ValidationError(
            f"OnCallPlan: no schedule named {name!r}; the plan has {[s.name for s in self.schedules]}"
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
