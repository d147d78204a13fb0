"""``oncall-planner migrate``: layer-based schedules to ``pagerduty_schedulev2``, with a proof.

Writes the migrated plan as Terraform JSON (``-o``, default standard output) and the proof of
every converted schedule (``--proof FILE``, text or ``.json``; without it the proof goes to
standard error, or to standard output when the Terraform goes to a file). Exit 0 when every
proof is exact and nothing was left out, 1 when some schedule differs (each difference is listed
with its reason) or a conversion left something out, even beyond the horizon, 2 for bad usage or
input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oncall_planner.cli._common import (
    Subparsers,
    UsageError,
    add_command,
    add_common,
    add_input,
    add_output,
    check_writable,
    json_text,
    kept_names,
    load_overrides,
    load_plan,
    output,
    parse_instant,
    say,
    write,
    zone_arg,
)
from oncall_planner.timeutil import zone

if TYPE_CHECKING:
    from oncall_planner.migration import Conversion, ConversionProof


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "migrate",
        help="layer-based schedules to pagerduty_schedulev2, with a proof",
        description="Convert the plan's layer-based schedules into shift-based ones "
        "(pagerduty_schedulev2), retarget the escalation policies, write the Terraform, and "
        "prove the conversion: both are rendered over the horizon and compared minute by "
        "minute. Exit 0 when every proof is exact and nothing was left out, 1 when some "
        "schedule differs or something was left out (even beyond the horizon), 2 for bad usage "
        "or input.",
    )
    add_input(p)
    add_common(p)
    p.add_argument(
        "--since",
        metavar="TIME",
        help="take over at or after TIME, at the first handoff that cuts no shift "
        "(default: now; PagerDuty moves an effective_since in the past to now)",
    )
    p.add_argument(
        "--horizon",
        type=int,
        metavar="DAYS",
        help="compare over this many days from the switch (default 365, or one full rotation "
        "cycle if longer: both daylight-saving changes)",
    )
    p.add_argument(
        "--schedule",
        action="append",
        metavar="NAME",
        help="convert only this schedule (repeatable; default: every layer-based one)",
    )
    p.add_argument(
        "--users",
        choices=["data", "resource"],
        default="data",
        help="look users up by email (data, default) or manage them (resource)",
    )
    p.add_argument(
        "--proof",
        metavar="FILE",
        help="write the proof to FILE (JSON when it ends in .json, else text)",
    )
    p.add_argument(
        "--no-readings",
        action="store_true",
        help="compare under the default answers to PagerDuty's open questions only",
    )
    add_output(p)
    return p


def run(args: argparse.Namespace) -> int:
    from oncall_planner.emit import to_terraform_json
    from oncall_planner.emit.terraform_json import Names
    from oncall_planner.errors import ValidationError
    from oncall_planner.migration import prove_conversion, to_shift_plan

    if args.horizon is not None and args.horizon < 1:
        raise UsageError(f"--horizon must be a positive number of days, got {args.horizon}")
    check_writable(args.proof, "--proof")  # -o is checked with the shared options
    plan, imported = load_plan(args)
    if not plan.schedules:
        raise UsageError("the input has no layer-based schedule (pagerduty_schedule) to migrate")
    tz = zone_arg(args.tz, plan, args.schedule)
    if args.since is not None:
        since = parse_instant(args.since, tz, "--since")
    else:
        since = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    horizon = None if args.horizon is None else dt.timedelta(days=args.horizon)
    try:
        migrated = to_shift_plan(plan, since, horizon=horizon, schedules=args.schedule)
    except ValidationError as exc:
        if args.schedule and "no layer-based schedule named" in str(exc):
            raise UsageError(f"--schedule: {exc}") from None
        raise
    proofs = [prove_conversion(c, readings=not args.no_readings) for c in migrated.conversions]
    _unmigrated_overrides(load_overrides(args), migrated.conversions)
    _late_switches(since, migrated.conversions)
    _past_switches(dt.datetime.now(dt.timezone.utc), migrated.conversions)
    # Terraform names are kept: a schedule's under its new type, and above all the policies',
    # which a rename would make Terraform destroy and create again.
    names = Names.of(migrated.plan, kept_names(imported)) if imported is not None else None
    terraform = json_text(to_terraform_json(migrated.plan, users=args.users, names=names))
    if args.proof is not None and args.proof.endswith(".json"):
        report = json_text({"proofs": [p.to_dict() for p in proofs]})
    else:
        report = "\n".join(_text(p) for p in proofs) + "\n"
    output(args, terraform)
    if args.proof is not None:
        write(Path(args.proof), report, "--proof")
        if not args.quiet:
            print(f"wrote {args.proof}", file=sys.stderr)
    if args.proof is None or not args.quiet:
        summary = report if args.proof is None else _summary(proofs)
        stream = sys.stdout if args.output not in (None, "-") else sys.stderr
        print(summary, end="" if summary.endswith("\n") else "\n", file=stream)
    # Something left out counts even where the horizon does not reach it.
    return 0 if all(p.exact and p.conversion.exact for p in proofs) else 1


def _unmigrated_overrides(overrides: dict[str, Any], conversions: Sequence[Conversion]) -> None:
    """Say which overrides of a pulled plan file still matter after the switch: PagerDuty keeps
    them on the layer-based schedule, and the proof compares the schedules without them."""
    for conversion in conversions:
        name = conversion.source.name
        later = [o for o in overrides.get(name, ()) if o.end > conversion.switch_at]
        if later:
            when = conversion.switch_at.astimezone(zone(conversion.source.time_zone))
            one = len(later) == 1
            say(
                f"note: {name!r}: {len(later)} override{'' if one else 's'} from "
                f"{when:%Y-%m-%d} on {'is' if one else 'are'} not migrated: PagerDuty keeps "
                "overrides on the layer-based schedule, and the proof compares the schedules "
                "without them; re-create them on the new schedule's rotations"
            )


def _late_switches(since: dt.datetime, conversions: Sequence[Conversion]) -> None:
    """Warn where the new schedule takes over after ``since``: before the switch it has nobody
    on call, and the policies of the output already point at it."""
    for conversion in conversions:
        if conversion.switch_at > since:
            when = conversion.switch_at.astimezone(zone(conversion.source.time_zone))
            say(
                f"warning: {conversion.source.name!r}: the new schedule has nobody on call "
                f"before {when:%Y-%m-%d %H:%M %Z}, and the escalation policies of the output "
                "point at it: apply the schedules first and the policies at that time, not "
                "before"
            )


def _past_switches(now: dt.datetime, conversions: Sequence[Conversion]) -> None:
    """Warn where the new schedule would take over in the past: PagerDuty moves such an
    effective_since to when the event is created, which the proof does not model."""
    for conversion in conversions:
        if conversion.switch_at < now:
            when = conversion.switch_at.astimezone(zone(conversion.source.time_zone))
            say(
                f"warning: {conversion.source.name!r}: the new schedule takes over at "
                f"{when:%Y-%m-%d %H:%M %Z}, in the past: PagerDuty moves an effective_since in "
                "the past to the moment you apply (OCP705), so the proof's readings that count "
                "from it (U4) or cut at it (U6) do not hold there; give a --since after you "
                "will apply"
            )


def _text(proof: ConversionProof) -> str:
    lines = [proof.to_text()]
    for note in proof.conversion.notes:
        lines += textwrap.wrap(note, 80, initial_indent="  note: ", subsequent_indent="    ")
    return "\n".join(lines)


def _summary(proofs: list[ConversionProof]) -> str:
    lines = []
    for proof in proofs:
        name = proof.conversion.source.name
        left_out = len(proof.conversion.limitations)
        if proof.exact and left_out:
            lines.append(f"{name}: exact over the horizon, {left_out} thing(s) left out")
        elif proof.exact:
            lines.append(f"{name}: exact")
        else:
            lines.append(f"{name}: differs for {proof.differing_minutes:,} minutes")
    return "\n".join(lines) + "\n"
