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
from typing import Any

from oncall_planner.emit.cdk_build import Bindings, add_plan
from oncall_planner.emit.cdktf_synth import cdktf_environment, run_cdktf_synth
from oncall_planner.emit.node import apply_jsii_defaults
from oncall_planner.emit.terraform_json import UsersMode
from oncall_planner.model import OnCallPlan

# Before the bindings load (they start jsii's Node.js process): the project's pinned Node.js and
# jsii's own switches for its banners, unless the user set them, so a stack is quiet outside make.
apply_jsii_defaults()

try:
    from cdktf import TerraformResourceLifecycle
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

_BINDINGS = Bindings(
    label="CDKTF",
    modules={
        "data_pagerduty_user": data_pagerduty_user,
        "escalation_policy": escalation_policy,
        "schedule": schedule,
        "team": team,
        "team_membership": team_membership,
        "user": user,
    },
    lifecycle=TerraformResourceLifecycle,
    missing_hint=(
        " (CDKTF's last bindings wrap provider 3.30.8, older than pagerduty_schedulev2): use "
        "oncall_planner.cdktn.PagerDutyOnCall (CDK Terrain) or the native emitter"
    ),
)


class PagerDutyOnCall(Construct):
    """Every user, team, team membership, schedule and escalation policy of ``plan``.

    ``users="data"`` (default) looks users up by email with ``DataPagerdutyUser``;
    ``users="resource"`` manages them with ``User``. Each block gets the Terraform name the native
    emitter gives it (``override_logical_id``), so put one ``PagerDutyOnCall`` per stack. The
    constructs are in :attr:`resources`, keyed by ``(terraform type, name)``.

    ``now`` works as in :func:`~oncall_planner.to_terraform_json`: layers whose ``end`` is at or
    before it are left out with a :class:`~oncall_planner.TerraformEmitWarning` (the provider hides
    ended layers, so keeping them shows a change on every plan); ``None`` keeps every layer.

    A plan with shift-based schedules is refused with a :class:`~oncall_planner.ValidationError`:
    the CDKTF bindings have no ``pagerduty_schedulev2``; :mod:`oncall_planner.cdktn` has.
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
