"""CDK Terrain: the plan as constructs of ``cdktn-provider-pagerduty``, and a quiet ``cdktn synth``.

This is the only module that imports ``cdktn``, ``constructs`` and the CDK Terrain PagerDuty
bindings (``pip install 'oncall-planner[cdktn]'``); ``import oncall_planner`` never loads it.

CDK Terrain is the community continuation of CDKTF (deprecated by HashiCorp on 2025-12-10):
``cdktn`` 0.24 with ``cdktn-provider-pagerduty`` 17.x, which wraps provider 3.36.0 and so has
``pagerduty_schedulev2``. :class:`PagerDutyOnCall` adds the same resources as
:func:`oncall_planner.to_terraform_json` to any ``cdktn.TerraformStack``, with the same Terraform
names, shift-based schedules included, so ``cdktn synth`` and the native emitter agree resource
for resource. Add a ``PagerdutyProvider`` to the stack yourself.

The CDKTF construct (:mod:`oncall_planner.cdktf`) stays for the layer-based resources; both
bindings install into one environment (docs/terraform.md says which versions).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oncall_planner.emit.cdk_build import Bindings, add_plan
from oncall_planner.emit.cdktn_synth import run_cdktn_synth
from oncall_planner.emit.node import apply_jsii_defaults
from oncall_planner.emit.terraform_json import UsersMode
from oncall_planner.model import OnCallPlan

# Before the bindings load (they start jsii's Node.js process): the project's pinned Node.js and
# jsii's switches for its banners, unless the user set them, so a stack is quiet outside make.
apply_jsii_defaults()

try:
    from cdktn import TerraformResourceLifecycle
    from cdktn_provider_pagerduty import (
        data_pagerduty_user,
        escalation_policy,
        schedule,
        schedulev2,
        team,
        team_membership,
        user,
    )
    from constructs import Construct
except ImportError as error:
    raise ImportError(
        "oncall_planner.cdktn needs the CDK Terrain extra: pip install 'oncall-planner[cdktn]' "
        f"(cdktn 0.24 and cdktn-provider-pagerduty 17); missing: {error.name}"
    ) from error

__all__ = ["PagerDutyOnCall", "run_cdktn_synth"]

_BINDINGS = Bindings(
    label="CDK Terrain",
    modules={
        "data_pagerduty_user": data_pagerduty_user,
        "escalation_policy": escalation_policy,
        "schedule": schedule,
        "schedulev2": schedulev2,
        "team": team,
        "team_membership": team_membership,
        "user": user,
    },
    lifecycle=TerraformResourceLifecycle,
)


class PagerDutyOnCall(Construct):
    """Every user, team, team membership, schedule (``pagerduty_schedule`` and
    ``pagerduty_schedulev2``) and escalation policy of ``plan``, as CDK Terrain constructs.

    The arguments are those of :class:`oncall_planner.cdktf.PagerDutyOnCall`: ``users="data"``
    (default) looks users up by email, ``users="resource"`` manages them; ``now`` leaves out
    layers that have ended. Each block gets the native emitter's Terraform name, so put one
    ``PagerDutyOnCall`` per stack. The constructs are in :attr:`resources`, keyed by
    ``(terraform type, name)``.
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
        self.resources: dict[tuple[str, str], Any] = add_plan(
            self, plan, _BINDINGS, users=users, now=now
        )
