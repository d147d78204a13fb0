"""``oncall-planner audit``: hypothesis searches perturbations for fairness counterexamples."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from oncall_planner.cli._common import (
    WIDTH,
    Progress,
    Subparsers,
    UsageError,
    add_command,
    add_common,
    add_input,
    add_output,
    json_text,
    load_plan,
    output,
    parse_instant,
    zone_arg,
)


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "audit",
        help="search perturbations for fairness counterexamples",
        description="Fairness audit: hypothesis searches start dates, DST weeks, time off and "
        "members joining or leaving for counterexamples. Exit 1 when a property is violated.",
    )
    add_input(p)
    add_common(p)
    p.add_argument(
        "--since",
        metavar="TIME",
        help="start of the unperturbed window (default: when the last layer starts)",
    )
    p.add_argument(
        "--property",
        action="append",
        metavar="NAME",
        help="only this property (repeatable): balanced, max_streak, not_starved, distinct_levels",
    )
    p.add_argument(
        "--max-examples",
        type=int,
        default=100,
        metavar="N",
        help="cases per property, after the plan as written (default 100)",
    )
    p.add_argument(
        "--seed", type=int, default=0, metavar="N", help="search seed (same seed, same report)"
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    add_output(p)
    return p


def run(args: argparse.Namespace) -> int:
    from oncall_planner.fairness import audit
    from oncall_planner.fairness.audit import PROPERTIES, AuditReport

    names = args.property or list(PROPERTIES)
    unknown = [n for n in names if n not in PROPERTIES]
    if unknown:
        raise UsageError(f"--property: unknown {unknown[0]!r}; choose from {', '.join(PROPERTIES)}")
    if args.max_examples < 1:
        raise UsageError(f"--max-examples must be at least 1, got {args.max_examples}")
    plan, _ = load_plan(args)
    since = parse_instant(args.since, zone_arg(args.tz, plan), "--since") if args.since else None
    results: list[Any] = []
    with Progress(len(names), "Auditing") as bar:
        for name in names:
            part = audit(plan, [name], max_examples=args.max_examples, seed=args.seed, since=since)
            results.extend(part.results)
            bar.step(name)
    report = AuditReport(tuple(results), args.seed, args.max_examples)
    if args.format == "json":
        text = json_text(report.to_dict())
    else:
        lines = []
        for line in report.to_text().splitlines():
            indent = " " * (len(line) - len(line.lstrip()))
            lines.extend(
                textwrap.wrap(line, WIDTH, subsequent_indent=indent + "  ", break_on_hyphens=False)
                or [""]
            )
        text = "\n".join(lines) + "\n"
    output(args, text)
    return 0 if report.ok else 1
