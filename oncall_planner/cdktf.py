"""CDKTF: the plan as constructs of the prebuilt PagerDuty bindings, and a quiet ``cdktf synth``.

This is the only module that imports ``cdktf``, ``constructs`` and the PagerDuty bindings
(``pip install 'oncall-planner[cdktf]'``); ``import oncall_planner`` never loads it.

:class:`PagerDutyOnCall` adds the same resources as :func:`oncall_planner.to_terraform_json` to any
``TerraformStack``, with the same Terraform names, so ``cdktf synth`` and the native emitter agree
resource for resource. Add a ``PagerdutyProvider`` to the stack yourself (CDKTF refuses to
synthesise resources without one).

HashiCorp deprecated CDKTF on 2025-12-10; the last prebuilt PagerDuty bindings (14.3.9) wrap
provider 3.30.8. The native emitter needs none of this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from oncall_planner.emit.cdktf_synth import cdktf_environment, run_cdktf_synth
from oncall_planner.emit.node import apply_jsii_defaults
from oncall_planner.emit.terraform_json import Address, UsersMode, plan_layout
from oncall_planner.model import OnCallPlan

# Before the bindings load (they start jsii's Node.js process): the project's pinned Node.js and
# jsii's own switches for its banners, unless the user set them, so a stack is quiet outside make.
apply_jsii_defaults()

try:
    from cdktf_cdktf_provider_pagerduty import (
        data_pagerduty_user,
        escalation_policy,
        schedule,
        team,
        team_membership,
        user,
    )
    from constructs import Construct
except ImportError as error:
    raise ImportError(
        "oncall_planner.cdktf needs the CDKTF extra: pip install 'oncall-planner[cdktf]' "
        f"(cdktf 0.21 and cdktf-cdktf-provider-pagerduty 14.3); missing: {error.name}"
    ) from error

__all__ = ["PagerDutyOnCall", "cdktf_environment", "run_cdktf_synth"]


class _Ref:
    """A reference to another block, resolved to that construct's ``id`` once it exists."""

    __slots__ = ("address",)

    def __init__(self, address: Address) -> None:
        self.address = address


def _restriction(body: Mapping[str, Any]) -> Any:
    return schedule.ScheduleLayerRestriction(**body)


def _layer(body: Mapping[str, Any]) -> Any:
    fields = dict(body)
    if "restriction" in fields:
        fields["restriction"] = [_restriction(r) for r in fields["restriction"]]
    return schedule.ScheduleLayer(**fields)


def _rule(body: Mapping[str, Any]) -> Any:
    fields = dict(body)
    fields["target"] = [escalation_policy.EscalationPolicyRuleTarget(**t) for t in fields["target"]]
    strategy = fields.get("escalation_rule_assignment_strategy")
    if strategy is not None:
        fields["escalation_rule_assignment_strategy"] = (
            escalation_policy.EscalationPolicyRuleEscalationRuleAssignmentStrategy(**strategy)
        )
    return escalation_policy.EscalationPolicyRule(**fields)


def _schedule(scope: Construct, node_id: str, fields: dict[str, Any]) -> Any:
    fields["layer"] = [_layer(layer) for layer in fields["layer"]]
    return schedule.Schedule(scope, node_id, **fields)


def _policy(scope: Construct, node_id: str, fields: dict[str, Any]) -> Any:
    fields["rule"] = [_rule(rule) for rule in fields["rule"]]
    return escalation_policy.EscalationPolicy(scope, node_id, **fields)


_BUILDERS: dict[tuple[str, bool], Callable[[Construct, str, dict[str, Any]], Any]] = {
    ("pagerduty_user", True): lambda s, i, f: data_pagerduty_user.DataPagerdutyUser(s, i, **f),
    ("pagerduty_user", False): lambda s, i, f: user.User(s, i, **f),
    ("pagerduty_team", False): lambda s, i, f: team.Team(s, i, **f),
    ("pagerduty_team_membership", False): lambda s, i, f: team_membership.TeamMembership(s, i, **f),
    ("pagerduty_schedule", False): _schedule,
    ("pagerduty_escalation_policy", False): _policy,
}


class PagerDutyOnCall(Construct):
    """Every user, team, team membership, schedule and escalation policy of ``plan``.

    ``users="data"`` (default) looks users up by email with ``DataPagerdutyUser``;
    ``users="resource"`` manages them with ``User``. Each block gets the Terraform name the native
    emitter gives it (``override_logical_id``), so put one ``PagerDutyOnCall`` per stack. The
    constructs are in :attr:`resources`, keyed by ``(terraform type, name)``.

    ``now`` works as in :func:`~oncall_planner.to_terraform_json`: layers whose ``end`` is at or
    before it are left out with a :class:`~oncall_planner.TerraformEmitWarning` (the provider hides
    ended layers, so keeping them shows a change on every plan); ``None`` keeps every layer.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        plan: OnCallPlan,
        users: UsersMode = "data",
        *,
        now: dt.datetime | None = None,
    ) -> None:
        super().__init__(scope, id)
        self.resources: dict[tuple[str, str], Any] = {}
        built: dict[Address, Any] = {}

        def resolve(value: Any) -> Any:
            if isinstance(value, _Ref):
                return built[value.address].id
            if isinstance(value, dict):
                return {k: resolve(v) for k, v in value.items()}
            if isinstance(value, list):
                return [resolve(v) for v in value]
            return value

        for item in plan_layout(plan, _Ref, users=users, now=now):
            kind, name, data = item.address
            fields = resolve({k: v for k, v in item.attributes.items() if k != "//"})
            node_id = f"{'data.' if data else ''}{kind}.{name}"
            construct = _BUILDERS[(kind, data)](self, node_id, fields)
            construct.override_logical_id(name)
            built[item.address] = construct
            self.resources[(f"{'data.' if data else ''}{kind}", name)] = construct
