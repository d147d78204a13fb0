"""A CDK Terrain app: the seed's schedule migrated to pagerduty_schedulev2, synthesised by `cdktn synth`.

Run from this folder (``make demo`` does it through oncall_planner.cdktn.run_cdktn_synth)::

    CHECKPOINT_DISABLE=1 npx cdktn synth   # writes cdktf.out/stacks/seed/cdk.tf.json
    python main.py                         # the same file, without the CLI

CDK Terrain keeps CDKTF's file names (cdktf.json, cdktf.out). The CLI (cdktn-cli 0.24, pinned in
package.json) needs Node.js 22.19 or newer: the app and the CLI run on the project's Node.js 22
(./node_modules/.bin/node, installed by ``make``), and the app silences jsii's banners itself.

The plan is examples/seed_plan.py's build_migrated_plan(): the seed's layer-based schedule
converted by oncall_planner.to_shift_plan (one rotation and its daylight-saving bridge), and the
escalation policy pointing at it. The prebuilt bindings come from PyPI
(cdktn-provider-pagerduty 17, provider 3.36.0), so no `cdktn get` is needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Before cdktn loads (it starts jsii's Node.js process): the project's pinned Node.js 22 from
# ./node_modules and jsii's switches for its banners, so the app is quiet wherever it runs.
from oncall_planner.emit.node import apply_jsii_defaults

apply_jsii_defaults(start=Path(__file__).resolve().parent)

from cdktn import App, LocalBackend, TerraformStack  # noqa: E402
from cdktn_provider_pagerduty.provider import PagerdutyProvider  # noqa: E402
from constructs import Construct  # noqa: E402
from seed_plan import build_migrated_plan  # noqa: E402

from oncall_planner.cdktn import PagerDutyOnCall  # noqa: E402


class SeedStack(TerraformStack):
    def __init__(self, scope: Construct, name: str) -> None:
        super().__init__(scope, name)
        # A relative state path keeps the synthesised JSON the same on every machine.
        LocalBackend(self, path=f"terraform.{name}.tfstate")
        # The token comes from the PAGERDUTY_TOKEN environment variable at plan/apply time.
        PagerdutyProvider(self, "pagerduty")
        PagerDutyOnCall(self, "oncall", build_migrated_plan(), users="data")


app = App()
SeedStack(app, "seed")
app.synth()
