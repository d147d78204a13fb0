"""``oncall-planner pull``: an account from PagerDuty's API into a plan file."""

from __future__ import annotations

import argparse
import datetime as dt

from oncall_planner.cli._common import (
    YEARS,
    PhaseProgress,
    Subparsers,
    UsageError,
    add_api,
    add_command,
    add_output,
    add_window,
    api_client,
    output,
    say,
    window,
)
from oncall_planner.timeutil import year_in_range


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "pull",
        help="an account from PagerDuty's API into a plan file (JSON)",
        description="Pull users, teams, schedules (layer-based from /schedules, shift-based "
        "from /v3/schedules with the custom shifts of the window), escalation policies, the "
        "overrides of the window and the page history from PagerDuty's API into a plan file "
        "that every command takes as INPUT (and 'emit' turns into Terraform). The token comes from "
        "PAGERDUTY_TOKEN (or PAGERDUTY_USER_TOKEN); docs/pagerduty-api.md lists the "
        "permissions it needs.",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--schedule",
        action="append",
        metavar="ID",
        help="only this schedule (PagerDuty ID, repeatable) and the policies that page it",
    )
    which.add_argument(
        "--team",
        action="append",
        metavar="ID",
        help="only the schedules and policies of this team (PagerDuty ID, repeatable)",
    )
    add_window(p)
    p.add_argument(
        "--history-days",
        type=int,
        default=28,
        metavar="N",
        help="page history: the incidents of the window and of the N days before it "
        "(default 28; 0 for the window only)",
    )
    p.add_argument("--no-pages", action="store_true", help="do not pull incidents and log entries")
    add_api(p, replay=True)
    add_output(p)
    return p


def run(args: argparse.Namespace) -> int:
    from oncall_planner.pagerduty_api.planfile import dumps
    from oncall_planner.pagerduty_api.pull import pull

    if args.history_days < 0:
        raise UsageError(f"--history-days must be 0 or more, got {args.history_days}")
    since, until = window(args, "Etc/UTC")
    try:
        first: dt.datetime | None = since - dt.timedelta(days=args.history_days)
    except OverflowError:
        first = None
    if first is None or not year_in_range(first):
        raise UsageError(
            f"--history-days {args.history_days} starts the page history out of range; {YEARS}"
        )
    client = api_client(args)
    progress = PhaseProgress()
    try:
        account = pull(
            client,
            since=since,
            until=until,
            schedule_ids=args.schedule or (),
            team_ids=args.team or (),
            history=dt.timedelta(days=args.history_days),
            pages=not args.no_pages,
            progress=progress,
        )
    finally:
        progress.close()
    output(args, dumps(account))
    plan = account.plan
    overrides = sum(len(v) for v in account.overrides.values())
    counts = [
        (len(plan.escalation_policies), "escalation policy", "escalation policies"),
        (len(plan.users), "user", "users"),
        (len(plan.teams), "team", "teams"),
        (overrides, "override", "overrides"),
        (len(account.pages), "page", "pages"),
    ]
    total, shifted = len(plan.all_schedules), len(plan.shift_schedules)
    said = f"{total} schedule{'s' if total != 1 else ''}"
    if shifted:
        said += f" ({shifted} shift-based)"
    said += "".join(f", {n} {one if n == 1 else many}" for n, one, many in counts)
    say(f"pulled {said}")
    for note in account.notes:
        say(f"note: {note}")
    return 0
