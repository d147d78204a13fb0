"""Tour section: bring your own Terraform.

Imports the seed's ``pagerduty.tf`` exactly as it stands (tests/data/seed-pagerduty.tf), says what
the importer had to assume, then runs the command line on it: who is on call, and the checks
(exit code 1: the Primary layer is shadowed by the Secondary one).
"""

from __future__ import annotations

from pathlib import Path

from oncall_planner import import_terraform
from oncall_planner.cli import main as cli

SEED_TF = Path(__file__).resolve().parents[1] / "tests" / "data" / "seed-pagerduty.tf"
WINDOW = ["--since", "2025-03-03", "--days", "14"]  # fixed dates: the output never depends on now


def run() -> None:
    print("The seed's pagerduty.tf, imported as it stands (read, never executed):\n")
    result = import_terraform(SEED_TF)
    plan = result.plan
    print(
        f"{len(plan.schedules)} schedule, {len(plan.escalation_policies)} escalation policy, "
        f"{len(plan.users)} users; the importer says:"
    )
    print(result.report().replace(str(SEED_TF), "pagerduty.tf"))
    print("\n$ oncall-planner render pagerduty.tf --since 2025-03-03 --days 14 --layers")
    cli(["render", str(SEED_TF), *WINDOW, "--layers", "--quiet"])
    print(
        "\n$ oncall-planner check pagerduty.tf --since 2025-03-03 --days 28 --ignore OCP602"
        "  # one whole cycle; the placeholders are listed above"
    )
    code = cli(
        [
            "check",
            str(SEED_TF),
            "--since",
            "2025-03-03",
            "--days",
            "28",
            "--quiet",
            "--ignore",
            "OCP602",
        ]
    )
    print(f"(exit code {code}: the Primary layer is never on call, so CI would fail here)\n")


if __name__ == "__main__":
    run()
