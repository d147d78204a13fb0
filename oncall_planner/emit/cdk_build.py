"""The plan as constructs of a CDK's prebuilt PagerDuty bindings, for CDKTF and CDK Terrain alike.

CDKTF (``cdktf`` with ``cdktf-cdktf-provider-pagerduty``) and CDK Terrain (``cdktn`` with
``cdktn-provider-pagerduty``) generate the same Python classes from the provider's schema: a
resource ``Schedule`` with nested ``ScheduleLayer`` structs, and so on. The adapters
(:mod:`oncall_planner.cdktf`, :mod:`oncall_planner.cdktn`) import their bindings and hand the
modules to :func:`add_plan`, which turns :func:`~oncall_planner.emit.terraform_json.plan_layout`
(the native emitter's own blocks and names) into constructs. Both paths therefore emit what the
native emitter emits, block for block.

Nothing here imports ``cdktf``, ``cdktn``, ``jsii`` or ``constructs``: the modules come in as
arguments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from oncall_planner.emit.terraform_json import Address, UsersMode, plan_layout
from oncall_planner.errors import ValidationError
from oncall_planner.model import OnCallPlan

__all__ = ["Bindings", "add_plan"]

#: A nested block: the struct class's name in the resource's module, and its own nested blocks.
Nested = Mapping[str, tuple[str, "Nested"]]

#: The nested blocks of each resource, by the attribute names the native emitter writes.
_NESTED: dict[str, Nested] = {
    "pagerduty_schedule": {
        "layer": ("ScheduleLayer", {"restriction": ("ScheduleLayerRestriction", {})}),
    },
    "pagerduty_escalation_policy": {
        "rule": (
            "EscalationPolicyRule",
            {
                "target": ("EscalationPolicyRuleTarget", {}),
                "escalation_rule_assignment_strategy": (
                    "EscalationPolicyRuleEscalationRuleAssignmentStrategy",
                    {},
                ),
            },
        ),
    },
    "pagerduty_schedulev2": {
        "rotation": (
            "Schedulev2Rotation",
            {
                "event": (
                    "Schedulev2RotationEvent",
                    {
                        "assignment_strategy": (
                            "Schedulev2RotationEventAssignmentStrategy",
                            {"member": ("Schedulev2RotationEventAssignmentStrategyMember", {})},
                        )
                    },
                )
            },
        ),
    },
}

#: Each block kind: (module name in the provider package, resource class name).
_CLASSES: dict[tuple[str, bool], tuple[str, str]] = {
    ("pagerduty_user", True): ("data_pagerduty_user", "DataPagerdutyUser"),
    ("pagerduty_user", False): ("user", "User"),
    ("pagerduty_team", False): ("team", "Team"),
    ("pagerduty_team_membership", False): ("team_membership", "TeamMembership"),
    ("pagerduty_schedule", False): ("schedule", "Schedule"),
    ("pagerduty_schedulev2", False): ("schedulev2", "Schedulev2"),
    ("pagerduty_escalation_policy", False): ("escalation_policy", "EscalationPolicy"),
}


@attrs.frozen
class Bindings:
    """One CDK's PagerDuty bindings: ``modules`` maps the provider package's module names
    (``"schedule"``, ``"schedulev2"``, …) to the imported modules, ``lifecycle`` is that CDK's
    ``TerraformResourceLifecycle`` and ``label`` names it in messages. A module the bindings lack
    (CDKTF's have no ``schedulev2``) is simply absent."""

    label: str
    modules: Mapping[str, Any]
    lifecycle: Callable[..., Any]
    missing_hint: str = ""


class _Ref:
    """A reference to another block, resolved to that construct's ``id`` once it exists."""

    __slots__ = ("address",)

    def __init__(self, address: Address) -> None:
        self.address = address


def _structs(value: Any, module: Any, nested: Nested) -> Any:
    """Attribute dictionaries turned into the bindings' struct objects, as ``nested`` says."""
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in nested:
            class_name, inner = nested[key]
            cls = getattr(module, class_name)
            if isinstance(item, list):
                out[key] = [cls(**_structs(one, module, inner)) for one in item]
            else:  # a block with at most one item, written as one object
                out[key] = cls(**_structs(item, module, inner))
        else:
            out[key] = item
    return out


def add_plan(
    scope: Any,
    plan: OnCallPlan,
    bindings: Bindings,
    users: UsersMode = "data",
    now: dt.datetime | None = None,
) -> dict[tuple[str, str], Any]:
    """Add every block of ``plan`` to ``scope`` (a construct) and return the constructs keyed by
    ``(terraform type, name)``, data sources as ``("data.pagerduty_user", name)``.

    Each construct gets the native emitter's Terraform name (``override_logical_id``), so one
    plan per stack. ``//`` comments of the native emitter are left out (a CDK writes its own).
    """
    built: dict[Address, Any] = {}
    resources: dict[tuple[str, str], Any] = {}

    def resolve(value: Any) -> Any:
        if isinstance(value, _Ref):
            return built[value.address].id
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items() if k != "//"}
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return value

    for item in plan_layout(plan, _Ref, users=users, now=now):
        kind, name, data = item.address
        module_name, class_name = _CLASSES[(kind, data)]
        module = bindings.modules.get(module_name)
        if module is None:
            raise ValidationError(
                f"{bindings.label}: the PagerDuty bindings have no {kind} resource, which the "
                f"plan needs for {item.attributes.get('name', name)!r}{bindings.missing_hint}"
            )
        fields = _structs(resolve(item.attributes), module, _NESTED.get(kind, {}))
        if "lifecycle" in fields:
            fields["lifecycle"] = bindings.lifecycle(**fields["lifecycle"])
        node_id = f"{'data.' if data else ''}{kind}.{name}"
        construct = getattr(module, class_name)(scope, node_id, **fields)
        construct.override_logical_id(name)
        built[item.address] = construct
        resources[(f"{'data.' if data else ''}{kind}", name)] = construct
    return resources
