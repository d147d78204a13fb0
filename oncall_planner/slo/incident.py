"""The article's incident rules as values: severities with response times, and incident roles.

- :class:`Severity`: a name and the minutes within which someone must be engaged (``None``:
  the next business day). The defaults are the article's: SEV-1 5 minutes, SEV-2 15, SEV-3 30,
  SEV-4 the next business day.
- :class:`IncidentSetup`: the severities, which severity each escalation policy must meet
  (a policy not named must meet the most urgent one, since any page can be a SEV-1), the
  schedules of the incident roles (commander, technical lead, communications lead, scribe),
  and which policy pages the primary responder of each service.

``check(plan, since, until, incident=IncidentSetup(...))`` runs the rules OCP902 to OCP904 on
it (docs/checks.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import OnCallPlan, Schedule
from oncall_planner.model.inputs import sequence_of

#: The incident roles, in the order the article lists them.
ROLES = ("commander", "technical_lead", "communications_lead", "scribe")


def _minutes(instance: Any, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(
            f"Severity {instance.name!r}: response_minutes must be a whole number of minutes ≥ 1 "
            f"or None (the next business day), got {value!r}"
        )


@attrs.frozen
class Severity:
    """A severity level: ``name`` (``SEV-1``) and ``response_minutes`` within which a person
    must be engaged, or ``None`` for the next business day."""

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    response_minutes: int | None = attrs.field(default=None, validator=_minutes)
    description: str = ""

    @property
    def response(self) -> str:
        if self.response_minutes is None:
            return "the next business day"
        return f"{self.response_minutes} minutes"


DEFAULT_SEVERITIES = (
    Severity("SEV-1", 5, "critical: customers cannot use the service"),
    Severity("SEV-2", 15, "major: a feature is down or badly degraded"),
    Severity("SEV-3", 30, "minor: degraded, with a workaround"),
    Severity("SEV-4", None, "low: no customer impact"),
)


def _severities(value: object) -> tuple[Severity, ...]:
    items = sequence_of(value, Severity, "IncidentSetup", "severities")
    if not items:
        raise ValidationError("IncidentSetup: severities must not be empty")
    names = [s.name for s in items]
    if len(set(names)) != len(names):
        raise ValidationError(f"IncidentSetup: severity names must differ, got {names}")
    return items


def _str_map(value: object, field: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValidationError(f"IncidentSetup: {field} must be a mapping, got {value!r}")
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise ValidationError(
                f"IncidentSetup: {field} must map names to names, got {key!r}: {item!r}"
            )
    return dict(value)


def _policy_map(value: object) -> dict[str, str]:
    return _str_map(value, "policy_severity")


def _responder_map(value: object) -> dict[str, str]:
    return _str_map(value, "responders")


def _roles(value: object) -> dict[str, Schedule]:
    if not isinstance(value, Mapping):
        raise ValidationError(
            f"IncidentSetup: roles must map role names to schedules, got {value!r}"
        )
    out = {}
    for role, schedule in value.items():
        if role not in ROLES:
            raise ValidationError(
                f"IncidentSetup: roles: unknown role {role!r}; the roles are {', '.join(ROLES)}"
            )
        if not isinstance(schedule, Schedule):
            raise ValidationError(
                f"IncidentSetup: roles[{role!r}] must be a Schedule, got {type(schedule).__name__}"
            )
        out[role] = schedule
    return {r: out[r] for r in ROLES if r in out}


@attrs.frozen(kw_only=True)
class IncidentSetup:
    """Severities, which one each policy must meet, role schedules and each service's policy.

    - ``severities``: the levels, most urgent first (default :data:`DEFAULT_SEVERITIES`);
    - ``policy_severity``: policy name → severity name it must meet; a policy not named must
      meet the first (most urgent) severity;
    - ``roles``: role (one of :data:`ROLES`) → the schedule that says who holds it when;
    - ``responders``: service → the name of the policy that pages its primary responder
      (default: every policy of the plan, each for the service of the same name).
    """

    severities: tuple[Severity, ...] = attrs.field(
        default=DEFAULT_SEVERITIES, converter=_severities
    )
    policy_severity: Mapping[str, str] = attrs.field(factory=dict, converter=_policy_map)
    roles: Mapping[str, Schedule] = attrs.field(factory=dict, converter=_roles)
    responders: Mapping[str, str] = attrs.field(factory=dict, converter=_responder_map)

    def __attrs_post_init__(self) -> None:
        names = {s.name for s in self.severities}
        for policy, severity in self.policy_severity.items():
            if severity not in names:
                raise ValidationError(
                    f"IncidentSetup: policy_severity[{policy!r}] names severity {severity!r}; "
                    f"the severities are {', '.join(s.name for s in self.severities)}"
                )

    def severity(self, name: str) -> Severity:
        for s in self.severities:
            if s.name == name:
                return s
        raise ValidationError(f"IncidentSetup: no severity {name!r}")

    def required(self, policy: str) -> Severity:
        """The severity the policy named ``policy`` must meet."""
        return self.severity(self.policy_severity.get(policy, self.severities[0].name))

    def validate(self, plan: OnCallPlan) -> None:
        """Names that must exist in ``plan``: policies in ``policy_severity`` and
        ``responders``."""
        known = {p.name for p in plan.escalation_policies}
        for field, names in (
            ("policy_severity", self.policy_severity),
            ("responders", {v: k for k, v in self.responders.items()}),
        ):
            for name in names:
                if name not in known:
                    listed = ", ".join(sorted(known)) or "none"
                    raise ValidationError(
                        f"IncidentSetup: {field} names escalation policy {name!r}, which is not "
                        f"in the plan (policies: {listed})"
                    )


__all__ = ["DEFAULT_SEVERITIES", "ROLES", "IncidentSetup", "Severity"]
