"""``oncall-planner verify``: our render of each schedule against PagerDuty's, minute by minute."""

from __future__ import annotations

import argparse

from oncall_planner.cli._common import (
    PhaseProgress,
    Subparsers,
    add_api,
    add_command,
    add_output,
    add_window,
    api_client,
    output,
    window,
)


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "verify",
        help="our render of each schedule against PagerDuty's own (exit 1 on a disagreement)",
        description="For each schedule of the account (or --schedule/--team), render the "
        "definition PagerDuty returns and compare it with PagerDuty's final_schedule for the "
        "same window, minute by minute. Each disagreement names who each side has on call, "
        "the layers and overrides involved and what is near (a daylight-saving change, a "
        "handoff, a restriction edge). Exit 1 when there is one. --record DIR saves the API "
        "responses, without the token, to attach to a bug report.",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--schedule", action="append", metavar="ID", help="only this schedule (repeatable)"
    )
    which.add_argument(
        "--team", action="append", metavar="ID", help="only this team's schedules (repeatable)"
    )
    add_window(p)
    p.add_argument(
        "--mode",
        choices=["wall", "elapsed"],
        default="wall",
        help="our turn arithmetic: wall clock (default) or elapsed time",
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    add_api(p, replay=True)
    add_output(p)
    return p


def run(args: argparse.Namespace) -> int:
    from oncall_planner.pagerduty_api.verify import verify

    since, until = window(args, "Etc/UTC")
    client = api_client(args)
    progress = PhaseProgress()
    try:
        result = verify(
            client,
            since=since,
            until=until,
            schedule_ids=args.schedule or (),
            team_ids=args.team or (),
            mode=args.mode,
            progress=progress,
        )
    finally:
        progress.close()
    output(args, result.to_json() if args.format == "json" else result.to_text())
    return 0 if result.ok else 1
