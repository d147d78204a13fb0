"""`make demo`, Terraform part: the checkout team as Terraform JSON, natively and through CDKTF.

Writes examples/out/checkout.tf.json straight from Python (no Node.js), runs the real
``cdktf synth`` on examples/cdktf/ (which writes examples/cdktf/cdktf.out/), checks that both give
the same resources, and prints an override as the body of PagerDuty's create-overrides API call
(overrides have no Terraform resource).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from checkout_plan import BOB, build_checkout_plan  # noqa: E402

from oncall_planner import Override, overrides_api_body, write_terraform_json  # noqa: E402
from oncall_planner.emit.cdktf_synth import run_cdktf_synth  # noqa: E402

NOW = dt.datetime(2025, 3, 3, tzinfo=dt.timezone.utc)  # fixed: the output never depends on "now"
CDKTF_CLI = HERE.parent / "node_modules" / ".bin" / "cdktf"


def without_metadata(value: Any) -> Any:
    """A cdk.tf.json value with CDKTF's own ``//`` metadata keys removed."""
    if isinstance(value, dict):
        return {k: without_metadata(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [without_metadata(v) for v in value]
    return value


def run() -> None:
    plan = build_checkout_plan()
    native_path = write_terraform_json(plan, HERE / "out" / "checkout.tf.json", now=NOW)
    native = json.loads(native_path.read_text(encoding="utf-8"))
    print("Terraform for the checkout team (primary, secondary, manager)")
    print(f"  native JSON: {native_path.relative_to(HERE.parent)}")
    for section in ("data", "resource"):
        for kind, blocks in sorted(native.get(section, {}).items()):
            prefix = "data." if section == "data" else ""
            print(f"    {len(blocks):2d} × {prefix}{kind}: {', '.join(sorted(blocks))}")

    out_dir = run_cdktf_synth(HERE / "cdktf", cli=CDKTF_CLI)
    synthesised = json.loads((out_dir / "stacks" / "checkout" / "cdk.tf.json").read_text("utf-8"))
    same = all(
        without_metadata(synthesised.get(section)) == native.get(section)
        for section in ("data", "resource")
    )
    print(
        f"  cdktf synth: {(out_dir / 'stacks' / 'checkout').relative_to(HERE.parent)}/cdk.tf.json"
    )
    print(f"  same resources and data sources in both: {'yes' if same else 'NO'}")

    primary = plan.schedule("Checkout Primary")
    swap = Override(
        dt.datetime(2025, 3, 10, 14, tzinfo=dt.timezone.utc),
        dt.datetime(2025, 3, 11, 14, tzinfo=dt.timezone.utc),
        BOB,
    )
    body = overrides_api_body(primary, [swap])
    print("\nOverrides have no Terraform resource; POST /schedules/{id}/overrides with:")
    for line in json.dumps(body, indent=2, sort_keys=True).splitlines():
        print(f"  {line}")
    print()


if __name__ == "__main__":
    run()
