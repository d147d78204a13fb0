"""`make demo`, Terraform part: the checkout team as Terraform JSON, natively and through CDKTF.

Writes examples/out/checkout.tf.json straight from Python (no Node.js), runs the real
``cdktf synth`` on examples/cdktf/ (which writes examples/cdktf/cdktf.out/), checks that both give
the same resources, and prints an override as the body of PagerDuty's create-overrides API call
(overrides have no Terraform resource). Without Node.js and the CDKTF tools (``make`` installs
them when npm is there), the synth is skipped with one line that says how to add it.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from checkout_plan import BOB, build_checkout_plan  # noqa: E402

from oncall_planner import Override, overrides_api_body, write_terraform_json  # noqa: E402
from oncall_planner.emit.cdktf_synth import run_cdktf_synth  # noqa: E402
from oncall_planner.emit.node import pinned_node_version  # noqa: E402

NOW = dt.datetime(2025, 3, 3, tzinfo=dt.timezone.utc)  # fixed: the output never depends on "now"
CDKTF_CLI = HERE.parent / "node_modules" / ".bin" / "cdktf"


ENABLE = "install Node.js 20+ with npm, then run `make demo` again to add it"


def cdktf_missing() -> str | None:
    """Why ``cdktf synth`` cannot run here, or ``None`` when it can."""
    node_bin = CDKTF_CLI.parent
    if pinned_node_version(node_bin) is None and shutil.which("node") is None:
        return "Node.js not found"
    if not CDKTF_CLI.is_file():
        return "the cdktf CLI is not installed in ./node_modules"
    if importlib.util.find_spec("cdktf") is None:
        return "the cdktf Python package is missing (pip install 'oncall-planner[cdktf]')"
    return None


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

    missing = cdktf_missing()
    if missing is not None:
        print(f"  cdktf synth: skipped, {missing}; {ENABLE}")
    else:
        out_dir = run_cdktf_synth(HERE / "cdktf", cli=CDKTF_CLI)
        stack = out_dir / "stacks" / "checkout"
        synthesised = json.loads((stack / "cdk.tf.json").read_text("utf-8"))
        same = all(
            without_metadata(synthesised.get(section)) == native.get(section)
            for section in ("data", "resource")
        )
        print(f"  cdktf synth: {stack.relative_to(HERE.parent)}/cdk.tf.json")
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
