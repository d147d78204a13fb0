"""``oncall-planner health``: on-call health and compliance from the plan and page history;
exit 1 when a finding is an error (an exceeded cap, an overdue P1 action), like ``check``."""

from __future__ import annotations

import argparse
from pathlib import Path

from oncall_planner.cli._common import (
    Subparsers,
    UsageError,
    add_command,
    add_common,
    add_input,
    add_output,
    load_plan,
    output,
    parse_instant,
    say,
    why_not_a_file,
)
from oncall_planner.errors import OnCallPlannerError
from oncall_planner.timeutil import check_time_zone


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "health",
        help="on-call health: interruptions, hours, response, caps, pay",
        description="On-call health as PagerDuty measures it, from the plan and its page "
        "history (incidents, log entries, Analytics exports; postmortems), with the caps of "
        "--config as findings. Exit 0 when no finding is an error, 1 when some are, 2 for bad "
        "usage or input.",
    )
    add_input(p)
    add_common(p)
    p.add_argument(
        "--pages",
        dest="history",
        metavar="FILE",
        nargs="+",
        required=True,
        help="page history: incidents (JSON or CSV), log entries, Analytics raw responder or "
        "incident rows, alerts (JSON); any number of files",
    )
    p.add_argument(
        "--pages-tz",
        dest="history_tz",
        metavar="ZONE",
        help="the zone of times written without an offset (never guessed)",
    )
    p.add_argument("--postmortems", metavar="DIR", help="a folder of postmortems (Markdown)")
    p.add_argument("--config", metavar="FILE", help="the health configuration (TOML)")
    p.add_argument(
        "--since", metavar="TIME", help="window start (default: the history's first day)"
    )
    p.add_argument("--until", metavar="TIME", help="window end (default: after its last day)")
    p.add_argument(
        "--now",
        metavar="TIME",
        help="the date postmortem action items are judged overdue on (default: --until)",
    )
    p.add_argument(
        "--format",
        choices=["text", "markdown", "json", "csv", "html"],
        default="text",
        help="output format",
    )
    add_output(p)
    return p


def _check(args: argparse.Namespace) -> None:
    """Refuse bad options before anything is read."""
    for path in args.history:
        if not Path(path).is_file():
            raise UsageError(f"--pages {path}: {why_not_a_file(path)}")
    if args.history_tz is not None:
        try:
            check_time_zone(args.history_tz, "--pages-tz")
        except OnCallPlannerError as exc:
            raise UsageError(str(exc)) from None
    if args.postmortems is not None and not Path(args.postmortems).is_dir():
        why = "is a file, not a folder" if Path(args.postmortems).exists() else "no such folder"
        raise UsageError(f"--postmortems {args.postmortems}: {why}")
    if args.config is not None and not Path(args.config).is_file():
        raise UsageError(f"--config {args.config}: {why_not_a_file(args.config)}")
    if (args.since is None) != (args.until is None):
        raise UsageError("give both --since and --until, or neither (the history's days)")


def run(args: argparse.Namespace) -> int:
    from oncall_planner.health import HealthConfig, health_report
    from oncall_planner.ingest.health import load_health_config, load_history
    from oncall_planner.ingest.postmortems import load_postmortems

    _check(args)
    config = load_health_config(args.config) if args.config else HealthConfig()
    plan, _ = load_plan(args)
    schedules = plan.all_schedules
    tz = args.tz or config.time_zone or (schedules[0].time_zone if schedules else "Etc/UTC")
    since = parse_instant(args.since, tz, "--since") if args.since else None
    until = parse_instant(args.until, tz, "--until") if args.until else None
    if since is not None and until is not None and until <= since:
        raise UsageError(
            f"--until ({until.isoformat()}) must be after --since ({since.isoformat()})"
        )
    now = parse_instant(args.now, tz, "--now") if args.now else None
    history = load_history(
        args.history, severity_field=config.severity_field, time_zone=args.history_tz
    )
    if not args.quiet and (history.skipped or history.warnings):
        say(history.summary(None if args.verbose else 10))
    if since is None and not (
        history.pages or history.log_entries or history.responders or history.analytics
    ):
        raise UsageError(
            "--pages: no dated record to take the window from; give --since and --until"
        )
    posts = None
    if args.postmortems is not None:
        posts, left_out = load_postmortems(args.postmortems)
        if left_out and not args.quiet:
            names = ", ".join(s.record for s in left_out)
            say(f"note: {args.postmortems}: left out {names}")
    if args.tz is not None and config.time_zone is None:
        import attrs

        config = attrs.evolve(config, time_zone=args.tz)
    report = health_report(plan, history, since, until, config=config, postmortems=posts, now=now)
    text = {
        "text": report.to_text,
        "markdown": report.to_markdown,
        "json": report.to_json,
        "csv": report.to_csv,
        "html": report.to_html,
    }[args.format]()
    output(args, text)
    return 1 if report.errors else 0


__all__ = ["register", "run"]
