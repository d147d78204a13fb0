"""``oncall-planner report``: the fairness report, in any of its formats."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from oncall_planner.cli._common import (
    Subparsers,
    UsageError,
    add_command,
    add_common,
    add_input,
    add_output,
    layered_overrides,
    load_overrides,
    load_pages,
    load_plan,
    output,
    parse_instant,
    say,
    zone_arg,
)


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "report",
        help="fairness report: load per person, indices",
        description="The fairness report. Without --since, whole rotation cycles "
        "from the start of the last layer.",
    )
    add_input(p)
    add_common(p, pages=True)
    p.add_argument("--since", metavar="TIME", help="window start (default: whole rotation cycles)")
    p.add_argument("--until", metavar="TIME", help="window end (needs --since)")
    p.add_argument(
        "--format",
        choices=["text", "markdown", "json", "csv", "html"],
        default="text",
        help="output format",
    )
    add_output(p)
    return p


def run(args: argparse.Namespace) -> int:
    from oncall_planner.fairness import fairness_report

    if args.until is not None and args.since is None:
        raise UsageError("--until needs --since")
    plan, _ = load_plan(args)
    tz = zone_arg(args.tz, plan)
    since = parse_instant(args.since, tz, "--since") if args.since else None
    until = parse_instant(args.until, tz, "--until") if args.until else None
    pages = load_pages(args)
    # fairness_report takes Override lists: the layer-based schedules' overrides
    overrides = layered_overrides(load_overrides(args), plan)
    report = fairness_report(plan, since, until, overrides=overrides, pages=list(pages) or None)
    render_format: dict[str, Callable[[], str]] = {
        "text": report.to_text,
        "markdown": report.to_markdown,
        "json": report.to_json,
        "csv": report.to_csv,
        "html": report.to_html,
    }
    text = render_format[args.format]()
    note = report.pages_note()
    if note and args.format in ("csv", "json") and not args.quiet:
        # Text, Markdown and HTML say it in the report; a CSV row has no room for it.
        say(f"note: {note}")
    output(args, text if text.endswith("\n") else text + "\n")
    return 0
