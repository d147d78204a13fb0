"""``oncall-planner emit``: the plan as Terraform JSON for the PagerDuty provider."""

from __future__ import annotations

import argparse
import warnings

from oncall_planner.cli._common import (
    Subparsers,
    add_command,
    add_common,
    add_input,
    add_output,
    json_text,
    kept_names,
    load_plan,
    output,
    parse_instant,
    say,
    zone_arg,
)


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "emit",
        help="the plan as Terraform JSON (pagerduty.tf.json)",
        description="Write the plan as Terraform JSON for the PagerDuty provider.",
    )
    add_input(p)
    add_common(p)
    p.add_argument(
        "--users",
        choices=["data", "resource"],
        default="data",
        help="look users up by email (data, default) or manage them (resource)",
    )
    p.add_argument(
        "--now",
        metavar="TIME",
        help="leave out layers that have ended by TIME: a past end makes the provider "
        "re-add the layer on every plan (default: keep every layer)",
    )
    add_output(p)
    return p


def run(args: argparse.Namespace) -> int:
    from oncall_planner.emit import to_terraform_json
    from oncall_planner.emit.terraform_json import Names, TerraformEmitWarning

    plan, imported = load_plan(args)
    now = parse_instant(args.now, zone_arg(args.tz, plan), "--now") if args.now else None
    names = Names.of(plan, kept_names(imported)) if imported is not None else None
    if imported is not None:
        # A placeholder is written into Terraform only with a note that says so, quiet or not.
        for note in imported.placeholders:
            say(f"placeholder: {note.code} {note}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TerraformEmitWarning)
        doc = to_terraform_json(plan, users=args.users, now=now, names=names)
    for warning in caught:
        if not args.quiet and issubclass(warning.category, TerraformEmitWarning):
            say(f"left out: {warning.message}")
    output(args, json_text(doc))
    return 0
