"""``oncall-planner check``: run the rules; exit 1 when a finding is an error."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from oncall_planner.cli._common import (
    WIDTH,
    Subparsers,
    UsageError,
    add_command,
    add_common,
    add_input,
    add_output,
    add_window,
    json_text,
    load_overrides,
    load_pages,
    load_plan,
    output,
    when,
    window,
    zone_arg,
)


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "check",
        help="lint the set-up: fatigue and health findings",
        description="Run the checks. Exit 0 when no finding is an error, 1 when "
        "some are, 2 for bad usage or input.",
    )
    add_input(p)
    add_common(p, pages=True)
    add_window(p)
    p.add_argument(
        "--format",
        choices=["text", "json", "sarif"],
        default="text",
        help="output format (sarif for code scanning)",
    )
    p.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="only these rule codes or prefixes, comma-separated (e.g. OCP1,OCP203)",
    )
    p.add_argument(
        "--ignore",
        action="append",
        metavar="CODES",
        help="skip these rule codes or prefixes, comma-separated",
    )
    add_output(p)
    return p


def _codes(values: Sequence[str] | None) -> list[str] | None:
    if not values:
        return None
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def run(args: argparse.Namespace) -> int:
    from oncall_planner.checks import RULES, CheckConfig, check
    from oncall_planner.report.sarif import iso_utc

    plan, imported = load_plan(args)
    if imported is not None and not plan.all_schedules and not plan.escalation_policies:
        hint = next((w.hint for w in imported.warnings if w.hint), None)
        left = (
            f" ({len(imported.warnings)} left out; {hint + '; ' if hint else ''}-v for details)"
            if imported.warnings
            else ""
        )
        raise UsageError(
            f"{args.input}: nothing to check: the input yields no schedule and no escalation "
            f"policy{left}"
        )
    tz = zone_arg(args.tz, plan)
    since, until = window(args, tz)
    config = CheckConfig(select=_codes(args.select), ignore=_codes(args.ignore) or ())
    findings = check(
        plan,
        since,
        until,
        pages=load_pages(args),
        config=config,
        overrides=load_overrides(args),
        import_notes=imported.notes if imported is not None else (),
    )
    errors = sum(1 for f in findings if f.severity == "error")
    if args.format == "json":
        from oncall_planner.report.sarif import finding_dicts

        counts = {
            s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")
        }
        doc = {
            "since": iso_utc(since),
            "until": iso_utc(until),
            "findings": finding_dicts(findings),
            "summary": counts,
        }
        output(args, json_text(doc))
    elif args.format == "sarif":
        from oncall_planner import __version__
        from oncall_planner.report.sarif import to_sarif

        # A result needs a file to point at; for a directory, that is its first Terraform file.
        artifact = None
        if imported is not None:
            artifact = args.input if Path(args.input).is_file() else imported.files[0]
        doc = to_sarif(
            findings,
            RULES,
            tool_version=__version__,
            artifact=artifact,
            locations=imported.locations if imported is not None else None,
            root=Path.cwd(),
        )
        output(args, json_text(doc))
    else:
        output(args, _findings_text(findings, tz))
    return 1 if errors else 0


def _wrap(label: str, text: str) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=f"    {label}",
        subsequent_indent="      ",
        break_on_hyphens=False,
    )


def _findings_text(findings: Sequence[Any], tz: str) -> str:
    lines = []
    for f in findings:
        lines.extend(
            textwrap.wrap(
                f"{f.severity} {f.code} {f.rule}: {f.subject}", WIDTH, subsequent_indent="      "
            )
        )
        lines.extend(_wrap("", f.message))
        if f.intervals:
            first = f.intervals[0]
            more = f" (+{len(f.intervals) - 1} more)" if len(f.intervals) > 1 else ""
            lines.extend(
                _wrap("when: ", f"{when(first.start, tz)} -> {when(first.end, tz)} {tz}{more}")
            )
        if f.hint:
            lines.extend(_wrap("hint: ", f.hint))
    counts = [sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")]
    if findings:
        lines.append("")
    lines.append(f"{counts[0]} error(s), {counts[1]} warning(s), {counts[2]} info")
    return "\n".join(lines) + "\n"
