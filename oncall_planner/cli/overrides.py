"""``oncall-planner overrides apply``: create in PagerDuty the overrides a plan asks for."""

from __future__ import annotations

import argparse
from pathlib import Path

from oncall_planner.cli._common import (
    Subparsers,
    UsageError,
    add_api,
    add_command,
    add_common,
    api_client,
    check_writable,
    load_plan,
    output,
    say,
    why_not_a_file,
)


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "overrides",
        help="apply planned overrides (cover_time_off, a rota) to PagerDuty",
        description="Overrides in PagerDuty. 'overrides apply PLAN --from FILE' shows what it "
        "would change (a dry run) and, with --yes, does it.",
    )
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True
    apply = verbs.add_parser(
        "apply",
        help="create the wanted overrides, delete ours no longer wanted (dry run without --yes)",
        description="Compare the overrides FILE wants (the JSON of overrides_to_json, e.g. "
        "from cover_time_off, or a CSV rota schedule,start,end,user) with those in PagerDuty "
        "and show the difference; with --yes create what is missing and delete the overrides "
        "this tool created that are no longer wanted (never one made by hand). A second run "
        "changes nothing. The overrides it created are listed in a ledger file.",
    )
    apply.add_argument(
        "input",
        metavar="PLAN",
        help="the plan: a pulled plan file (best: it has PagerDuty's IDs), Terraform or plan.py",
    )
    apply.add_argument(
        "--from",
        dest="wanted",
        required=True,
        metavar="FILE",
        help="the wanted overrides (JSON or CSV)",
    )
    apply.add_argument("--yes", action="store_true", help="apply the changes (default: dry run)")
    apply.add_argument(
        "--ledger",
        metavar="FILE",
        help="the ledger of overrides this tool created (default: beside FILE, "
        "cover.json -> cover.ledger.json)",
    )
    add_common(apply)
    add_api(apply, replay=False)
    apply.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from oncall_planner.pagerduty_api.overrides import (
        OverrideLedger,
        apply_overrides,
        default_ledger_path,
        load_overrides,
        plan_overrides,
    )
    from oncall_planner.pagerduty_api.planfile import load_account, sniff_plan_file

    if not Path(args.wanted).is_file():
        raise UsageError(f"--from {args.wanted}: {why_not_a_file(args.wanted)}")
    ledger_path = args.ledger or str(default_ledger_path(args.wanted))
    check_writable(ledger_path, "--ledger")
    if sniff_plan_file(args.input):
        account = load_account(args.input)
        plan = account.plan
    else:
        plan, _ = load_plan(args)
        account = plan
    wanted = load_overrides(args.wanted, plan)
    ledger = OverrideLedger.load(ledger_path)
    client = api_client(args)
    diff = plan_overrides(client, account, wanted, ledger)
    if not args.yes:
        output(args, diff.to_text())
        count = len(diff.changes)
        say(
            f"dry run: {count} change{'s' if count != 1 else ''} to make; nothing changed "
            "(run again with --yes to apply)"
        )
        return 0
    result = apply_overrides(client, diff, ledger)
    output(args, result.to_text())
    if not result.ok:
        raise UsageError(
            f"stopped at the first error, {len(result.done)} change(s) made, "
            f"{len(result.not_attempted)} not attempted (listed above): {result.error}"
        )
    return 0
