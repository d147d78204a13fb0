"""The whole organisation: users, teams, schedules and escalation policies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model._checks import items_of, to_tuple
from oncall_planner.model.escalation import EscalationPolicy
from oncall_planner.model.people import Team, User
from oncall_planner.model.schedule import Schedule
from oncall_planner.model.shift import ShiftSchedule


def _unique(items: list[Any]) -> tuple[Any, ...]:
    """``items`` without repeats (equal objects once), the first of each kept, in order: a dict
    keeps the key it was first given."""
    return tuple(dict.fromkeys(items))


def _check_distinct(
    plan: OnCallPlan, items: tuple[Any, ...], key: Any, what: str, field: str
) -> None:
    by_key: dict[Any, Any] = {}
    for item in items:
        k = key(item)
        first = by_key.setdefault(k, item)
        if first is not item and first != item:
            raise ValidationError(_duplicate(plan, first, item, what, field))


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _duplicate(plan: OnCallPlan, first: Any, second: Any, what: str, field: str) -> str:
    """``OnCallPlan: two schedules named 'X' (schedules[0] and schedules[3]); they differ in
    time_zone``: the kind, the name and where each is given, short whatever the objects hold."""
    named = getattr(first, field)
    other = getattr(second, field)
    if field == "email":
        shown = _short(named) if named == other else f"{_short(named)} / {_short(other)}"
        head = f"two {what} with the email {shown}"
    else:
        head = f"two {what} named {_short(named)}"
    places = f"{_place(plan, first)} and {_place(plan, second)}"
    fields = [
        a.name
        for a in attrs.fields(type(first))
        if type(first) is type(second) and getattr(first, a.name) != getattr(second, a.name)
    ]
    differ = (
        f"; they differ in {', '.join(fields)}"
        if fields
        else f"; one is a {type(first).__name__}, the other a {type(second).__name__}"
        if type(first) is not type(second)
        else ""
    )
    return f"OnCallPlan: {head} ({places}){differ}; each needs its own {field}"


def _place(plan: OnCallPlan, obj: Any) -> str:
    """Where ``obj`` is first given to the plan, as a path (``schedules[1].layers[0].users[2]``)."""
    for path, item in _given(plan):
        if item is obj:
            return path
    for path, item in _given(plan):
        if item == obj:
            return path
    return "?"


def _given(plan: OnCallPlan) -> Iterator[tuple[str, Any]]:
    """Everything the plan was given, with its path, in the order the plan collects it."""

    def team(path: str, t: Team) -> Iterator[tuple[str, Any]]:
        yield path, t
        for m, user in enumerate(t.members):
            yield f"{path}.members[{m}]", user

    def layered(path: str, schedule: Schedule) -> Iterator[tuple[str, Any]]:
        yield path, schedule
        for n, layer in enumerate(schedule.layers):
            for u, user in enumerate(layer.users):
                yield f"{path}.layers[{n}].users[{u}]", user
        for n, t in enumerate(schedule.teams):
            yield from team(f"{path}.teams[{n}]", t)

    def shifted(path: str, schedule: ShiftSchedule) -> Iterator[tuple[str, Any]]:
        yield path, schedule
        for r, rotation in enumerate(schedule.rotations):
            for e, event in enumerate(rotation.events):
                for m, member in enumerate(event.members):
                    yield f"{path}.rotations[{r}].events[{e}].members[{m}]", member
        for c, shift in enumerate(schedule.custom_shifts):
            yield f"{path}.custom_shifts[{c}].member", shift.member
        for n, t in enumerate(schedule.teams):
            yield from team(f"{path}.teams[{n}]", t)

    for n, schedule in enumerate(plan.schedules):
        yield from layered(f"schedules[{n}]", schedule)
    for n, shift_schedule in enumerate(plan.shift_schedules):
        yield from shifted(f"shift_schedules[{n}]", shift_schedule)
    for n, user in enumerate(plan.users):
        yield f"users[{n}]", user
    for n, given_team in enumerate(plan.teams):
        yield from team(f"teams[{n}]", given_team)
    for p, policy in enumerate(plan.escalation_policies):
        path = f"escalation_policies[{p}]"
        yield path, policy
        if policy.team is not None:
            yield from team(f"{path}.team", policy.team)
        for r, rule in enumerate(policy.rules):
            for k, target in enumerate(rule.targets):
                where = f"{path}.rules[{r}].targets[{k}]"
                if target.user is not None:
                    yield f"{where}.user", target.user
                if isinstance(target.schedule, ShiftSchedule):
                    yield from shifted(f"{where}.schedule", target.schedule)
                elif target.schedule is not None:
                    yield from layered(f"{where}.schedule", target.schedule)


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

        _check_distinct(self, users_t, lambda u: u.email.lower(), "users", "email")
        _check_distinct(self, (*schedules_t, *shift_t), lambda s: s.name, "schedules", "name")
        _check_distinct(
            self, self.escalation_policies, lambda p: p.name, "escalation policies", "name"
        )
        _check_distinct(self, teams_t, lambda t: t.name, "teams", "name")
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
