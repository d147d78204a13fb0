"""``oncall-planner diff``: who is on call differently between two plans."""

from __future__ import annotations

import argparse

from oncall_planner.cli._common import (
    Subparsers,
    add_command,
    add_common,
    add_output,
    add_window,
    layered_overrides,
    load_overrides,
    load_plan,
    output,
    window,
    zone_arg,
)


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "diff",
        help="who is on call differently between two plans",
        description="Compare the final schedules of BEFORE and AFTER.",
    )
    p.add_argument("before", metavar="BEFORE", help="the current plan (Terraform or plan.py)")
    p.add_argument("after", metavar="AFTER", help="the proposed plan")
    add_common(p)
    add_window(p)
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there are changes")
    add_output(p)
    return p


def run(args: argparse.Namespace) -> int:
    from oncall_planner.planning import diff, format_diff

    before, _ = load_plan(args, args.before)
    after, _ = load_plan(args, args.after)
    tz = zone_arg(args.tz, after)
    since, until = window(args, tz)
    changes = diff(  # diff takes Override lists: the layer-based schedules' overrides
        before,
        after,
        since,
        until,
        layered_overrides(load_overrides(args, args.before), before),
        layered_overrides(load_overrides(args, args.after), after),
    )
    # Each schedule in its own zone, as render shows it, unless --tz names one for all.
    zones = {s.name: s.time_zone for s in (*before.all_schedules, *after.all_schedules)}
    output(args, format_diff(changes, args.tz and tz, zones=zones))
    return 1 if (args.exit_code and changes) else 0
