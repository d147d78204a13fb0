"""`make demo`, migration part: the seed's schedule moved to pagerduty_schedulev2, with its proof.

Converts the seed's layer-based schedule (examples/seed_plan.py) into a shift-based one taking
over at the first handoff from a fixed date, prints its rotations and the proof (both schedules
rendered for a year, compared minute by minute, and again under PagerDuty's other possible
readings), writes the migrated plan as examples/out/seed-schedulev2.tf.json, proves the planner's
primary and secondary rotations too, and runs the real ``cdktn synth`` (CDK Terrain) on
examples/cdktn/ to check it writes the same ``pagerduty_schedulev2``. Without Node.js and the CDK
Terrain tools (``make`` installs them when npm is there), the synth is skipped with one line.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from seed_plan import MIGRATION_SINCE, NEW_YORK, TEAM, build_plan  # noqa: E402

from oncall_planner import (  # noqa: E402
    Conversion,
    plan_rotation,
    prove_conversion,
    to_shift_plan,
    write_terraform_json,
)
from oncall_planner.emit.cdktn_synth import run_cdktn_synth  # noqa: E402
from oncall_planner.emit.node import MIN_NODE, pinned_node_version  # noqa: E402

CDKTN_CLI = HERE.parent / "node_modules" / ".bin" / "cdktn"
ENABLE = "install Node.js 20+ with npm, then run `make demo` again to add it"


def cdktn_missing() -> str | None:
    """Why ``cdktn synth`` cannot run here, or ``None`` when it can."""
    version = pinned_node_version(CDKTN_CLI.parent)
    if version is None:
        if shutil.which("node") is None:
            return "Node.js not found"
        return f"the pinned Node.js {'.'.join(map(str, MIN_NODE))}+ is not in ./node_modules"
    if not CDKTN_CLI.is_file():
        return "the cdktn CLI is not installed in ./node_modules"
    if importlib.util.find_spec("cdktn") is None:
        return "the cdktn Python package is missing (pip install 'oncall-planner[cdktn]')"
    return None


def without_metadata(value: Any) -> Any:
    """A cdk.tf.json value with the CDK's own ``//`` metadata keys removed."""
    if isinstance(value, dict):
        return {k: without_metadata(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [without_metadata(v) for v in value]
    return value


def _local(value: dt.datetime) -> str:
    return value.astimezone(NEW_YORK).strftime("%a %Y-%m-%d %H:%M %Z")


def show_conversion(conversion: Conversion) -> None:
    source = conversion.source
    print(
        f"Schedule {source.name!r} ({len(source.layers)} layers) becomes "
        f"{len(conversion.schedule.rotations)} rotations:"
    )
    for number, rotation in enumerate(conversion.schedule.rotations, start=1):
        for event in rotation.events:
            hours = (event.end_time - event.start_time) / dt.timedelta(hours=1)
            spm = event.assignment.shifts_per_member  # type: ignore[union-attr]
            people = ", ".join(m.name for m in event.members)  # type: ignore[union-attr]
            print(f"  {number}. {event.name}")
            print(f"     {event.recurrence[0]}, {hours:g} h from {_local(event.start_time)}")
            print(f"     shifts_per_member {spm}, members {people}")
    for note in conversion.notes:
        print(textwrap.fill(note, 78, initial_indent="  note: ", subsequent_indent="    "))


def run() -> None:
    migrated = to_shift_plan(build_plan(), MIGRATION_SINCE)
    [conversion] = migrated.conversions
    show_conversion(conversion)

    proof = prove_conversion(conversion)
    print("\nThe proof: both schedules rendered for a year, compared minute by minute")
    print(proof.to_text())

    path = write_terraform_json(
        migrated.plan, HERE / "out" / "seed-schedulev2.tf.json", now=MIGRATION_SINCE
    )
    native = json.loads(path.read_text(encoding="utf-8"))
    target = native["resource"]["pagerduty_escalation_policy"]["checkout_escalation"]["rule"][0]
    print(f"\nTerraform: {path.relative_to(HERE.parent)}")
    print(f"  the policy's first level: {target['target'][0]['type']} to")
    print(f"  {target['target'][0]['id']}")

    planned = plan_rotation(TEAM, MIGRATION_SINCE, "America/New_York", handoff="09:00")
    for planned_conversion in to_shift_plan(planned, MIGRATION_SINCE).conversions:
        verdict = prove_conversion(planned_conversion, readings=False)
        print(
            f"  the planner's {planned_conversion.source.name!r} migrates: "
            f"{'exact' if verdict.exact else 'DIFFERS'} for {verdict.minutes:,} minutes"
        )

    missing = cdktn_missing()
    if missing is not None:
        print(f"  cdktn synth: skipped, {missing}; {ENABLE}")
    else:
        out_dir = run_cdktn_synth(HERE / "cdktn", cli=CDKTN_CLI)
        stack = out_dir / "stacks" / "seed"
        synthesised = json.loads((stack / "cdk.tf.json").read_text("utf-8"))
        same = without_metadata(synthesised["resource"]) == native["resource"]
        print(f"  cdktn synth (CDK Terrain): {stack.relative_to(HERE.parent)}/cdk.tf.json")
        print(f"  same pagerduty_schedulev2 and policy as native: {'yes' if same else 'NO'}")
    print()


if __name__ == "__main__":
    run()
