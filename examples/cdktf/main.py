"""A CDKTF app: the seed's checkout team as a stack, synthesised with `cdktf synth`.

Run from this folder (``make demo`` does it through oncall_planner.cdktf.run_cdktf_synth)::

    cdktf synth            # writes cdktf.out/stacks/checkout/cdk.tf.json

The plan is examples/checkout_plan.py: two schedules (primary, secondary), one team, and a policy
that pages the primary, then the secondary, then the engineering manager. The prebuilt PagerDuty
bindings come from PyPI (cdktf-cdktf-provider-pagerduty), so no `cdktf get` is needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cdktf import App, LocalBackend, TerraformStack
from cdktf_cdktf_provider_pagerduty.provider import PagerdutyProvider
from constructs import Construct

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checkout_plan import build_checkout_plan

from oncall_planner.cdktf import PagerDutyOnCall


class CheckoutStack(TerraformStack):
    def __init__(self, scope: Construct, name: str) -> None:
        super().__init__(scope, name)
        # A relative state path keeps the synthesised JSON the same on every machine.
        LocalBackend(self, path=f"terraform.{name}.tfstate")
        # The token comes from the PAGERDUTY_TOKEN environment variable at plan/apply time.
        PagerdutyProvider(self, "pagerduty")
        PagerDutyOnCall(self, "oncall", build_checkout_plan(), users="data")


app = App()
CheckoutStack(app, "checkout")
app.synth()
