"""A CDKTF app: the seed's checkout team as a stack, synthesised with `cdktf synth`.

Run from this folder (``make demo`` does it through oncall_planner.cdktf.run_cdktf_synth)::

    CHECKPOINT_DISABLE=1 npx cdktf synth   # writes cdktf.out/stacks/checkout/cdk.tf.json
    python main.py                         # the same file, without the CLI

The app runs on the project's Node.js 22 (./node_modules/.bin/node, installed by ``make``) and
silences jsii's banners by itself; the CLI's telemetry is off only with CHECKPOINT_DISABLE set.

The plan is examples/checkout_plan.py: two schedules (primary, secondary), one team, and a policy
that pages the primary, then the secondary, then the engineering manager. The prebuilt PagerDuty
bindings come from PyPI (cdktf-cdktf-provider-pagerduty), so no `cdktf get` is needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Before cdktf loads (it starts jsii's Node.js process): the project's pinned Node.js 22 from
# ./node_modules and jsii's switches for its banners, so the app is quiet wherever it runs.
from oncall_planner.emit.node import apply_jsii_defaults

apply_jsii_defaults(start=Path(__file__).resolve().parent)

from cdktf import App, LocalBackend, TerraformStack  # noqa: E402
from cdktf_cdktf_provider_pagerduty.provider import PagerdutyProvider  # noqa: E402
from checkout_plan import build_checkout_plan  # noqa: E402
from constructs import Construct  # noqa: E402

from oncall_planner.cdktf import PagerDutyOnCall  # noqa: E402


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
