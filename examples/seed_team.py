"""`make demo`: a tour of oncall-planner on the seed team's set-up.

The seed is the Terraform this project started from: one schedule whose "Primary" and "Secondary"
layers rotate the same four people weekly, and a policy that pages the schedule, then the manager.
The tour builds it in Python (examples/seed_plan.py) and shows who is on call for 8 weeks from a
fixed date, the checks (the Primary layer is never on call), the fairness report and audit, the
health report on a month of made-up page history, the set-up planned the right way with a
membership change and its diff, the corrected set-up as Terraform (native JSON and `cdktf
synth`), the seed's schedule migrated to a shift-based pagerduty_schedulev2 with the proof that
nobody's time changes (and `cdktn synth`), the seed's own pagerduty.tf imported through the
command line, an account pulled from a local stand-in of PagerDuty's API and verified against
it, and the article's SLO turned into alert rules, a backtest and a forecast of pages per shift
through the corrected rota. Every date is fixed, so the output is the same on every run.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tour_api
import tour_checks
import tour_cli
import tour_fairness
import tour_health
import tour_migrate
import tour_planning
import tour_slo
import tour_terraform
from seed_plan import NEW_YORK, build_plan

from oncall_planner import Entry, render

SINCE = dt.datetime(2025, 3, 3, tzinfo=NEW_YORK)  # a fixed date: output never depends on "now"
UNTIL = SINCE + dt.timedelta(weeks=8)


def _fmt(entry: Entry) -> str:
    start = entry.start.astimezone(NEW_YORK).strftime("%a %Y-%m-%d %H:%M %Z")
    end = entry.end.astimezone(NEW_YORK).strftime("%a %Y-%m-%d %H:%M %Z")
    return f"  {start}  ->  {end}   {entry.user.name}"


def show_render() -> None:
    plan = build_plan()
    for schedule in plan.schedules:
        final = render(schedule, SINCE, UNTIL)
        print(f"Schedule {schedule.name!r} ({schedule.time_zone}), {SINCE:%Y-%m-%d} + 8 weeks")
        for layer, entries, visible in zip(
            schedule.layers, final.layers, final.visible, strict=True
        ):
            shown = sum((e.duration for e in visible), dt.timedelta())
            share = shown / (UNTIL - SINCE)
            print(f"\nLayer {layer.name!r} on its own (shown in the final schedule: {share:.0%}):")
            for entry in entries:
                print(_fmt(entry))
        print("\nFinal schedule:")
        for entry in final.entries:
            print(_fmt(entry))
        print(f"\nCoverage {final.coverage:.0%}, gaps: {len(final.gaps)}\n")


SECTIONS = (
    ("Who is on call: the seed's set-up, built in Python", show_render),
    ("Checks before terraform apply", tour_checks.run),
    ("Fairness: load per person, indices and a hypothesis audit", tour_fairness.run),
    ("On-call health: interruptions, hours, response, caps and pay (March 2025)", tour_health.run),
    ("Planning: primary and secondary done right, and a membership change", tour_planning.run),
    ("Terraform out: the corrected set-up as JSON and through cdktf synth", tour_terraform.run),
    ("Migration: the seed's schedule to pagerduty_schedulev2, with its proof", tour_migrate.run),
    ("Bring your own Terraform: import and the command line", tour_cli.run),
    ("PagerDuty's own API: pull an account and verify our render against it", tour_api.run),
    ("SLOs to pages per shift: burn-rate rules, a backtest, the forecast", tour_slo.run),
)


def main() -> int:
    """Run every section; one that fails says so in one line and the tour goes on (exit 1)."""
    failed = 0
    for number, (title, run) in enumerate(SECTIONS, start=1):
        rule = "=" * 78
        print(f"{rule}\n {number}. {title}\n{rule}\n", flush=True)
        try:
            run()
        except Exception as error:  # a tour, not a library: say what broke, keep going
            failed += 1
            message = " ".join(str(error).split()) or "(no message)"
            print(f"section {number} ({title}) failed: {type(error).__name__}: {message}")
        print(flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
