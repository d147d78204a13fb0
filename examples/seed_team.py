"""`make demo`: the seed team's set-up, rendered.

Builds the schedule and escalation policy of the seed Terraform in Python (examples/seed_plan.py)
and prints who is on call for 8 weeks from a fixed date: each layer on its own, then the final
schedule that PagerDuty would show.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tour_checks
import tour_cli
import tour_fairness
import tour_planning
import tour_terraform
from seed_plan import NEW_YORK, build_plan

from oncall_planner import Entry, render

SINCE = dt.datetime(2025, 3, 3, tzinfo=NEW_YORK)  # a fixed date: output never depends on "now"
UNTIL = SINCE + dt.timedelta(weeks=8)


def _fmt(entry: Entry) -> str:
    start = entry.start.astimezone(NEW_YORK).strftime("%a %Y-%m-%d %H:%M %Z")
    end = entry.end.astimezone(NEW_YORK).strftime("%a %Y-%m-%d %H:%M %Z")
    return f"  {start}  →  {end}   {entry.user.name}"


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


def main() -> None:
    show_render()
    tour_checks.run()
    tour_terraform.run()
    tour_planning.run()
    tour_fairness.run()
    tour_cli.run()


if __name__ == "__main__":
    main()
