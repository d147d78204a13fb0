"""``oncall-planner forecast``: SLO alerts replayed over SLI history, pages through the rota,
and the expected pages per shift and per person."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from oncall_planner.cli._common import (
    Subparsers,
    UsageError,
    add_command,
    add_common,
    add_input,
    add_output,
    add_window,
    json_text,
    load_plan,
    output,
    parse_instant,
    zone_arg,
)


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "forecast",
        help="SLO alerts replayed over SLI history: pages per shift and person",
        description="Replay the SLO spec's alerting rules over SLI history as Prometheus "
        "evaluates them, page whoever the escalation policy reaches first, and forecast the "
        "pages per shift and per person over the window (default: the 28 days after the "
        "history). Exit 0, or 1 when a finding is an error, 2 for bad usage or input.",
    )
    add_input(p)
    add_common(p)
    p.add_argument("--slo", metavar="SPEC", required=True, help="SLO spec (YAML)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--history", metavar="FILE", help="SLI history: CSV timestamp,good,total or Prometheus JSON"
    )
    source.add_argument(
        "--prometheus", metavar="URL", help="read the SLI counters' samples from this Prometheus"
    )
    p.add_argument(
        "--history-since", metavar="TIME", help="replay from here (default: the history's start)"
    )
    p.add_argument(
        "--history-until",
        metavar="TIME",
        help="replay up to here (default: the history's end; with --prometheus, now)",
    )
    p.add_argument(
        "--history-days",
        type=int,
        default=28,
        help="with --prometheus and no --history-since: days of history to read (default 28)",
    )
    add_window(p)
    p.add_argument("--policy", metavar="NAME", help="the escalation policy that pages for the SLOs")
    p.add_argument(
        "--slo-name",
        metavar="NAME",
        help="only this SLO of the spec (a --history file holds one SLO's samples)",
    )
    p.add_argument(
        "--interval", metavar="DURATION", default="1m", help="rule evaluation interval (default 1m)"
    )
    p.add_argument(
        "--group-by",
        choices=["alert", "slo", "service"],
        default="alert",
        help="which firings fold into one incident (default: the same alert)",
    )
    p.add_argument(
        "--max-pages", type=int, default=2, help="pages a shift may get (default 2, the article's)"
    )
    p.add_argument(
        "--format", choices=["text", "json", "csv", "html"], default="text", help="output format"
    )
    add_output(p)
    return p


def _policy(plan: object, name: str | None, source: str) -> object:
    policies = plan.escalation_policies  # type: ignore[attr-defined]
    if name is not None:
        found = [p for p in policies if p.name == name]
        if not found:
            known = ", ".join(repr(p.name) for p in policies) or "none"
            raise UsageError(f"--policy: no escalation policy named {name!r} ({known})")
        return found[0]
    if len(policies) == 1:
        return policies[0]
    if not policies:
        raise UsageError(f"{source}: the plan has no escalation policies")
    known = ", ".join(repr(p.name) for p in policies)
    raise UsageError(f"--policy is needed: the plan has {len(policies)} policies ({known})")


def run(args: argparse.Namespace) -> int:
    from oncall_planner.errors import OnCallPlannerError
    from oncall_planner.ingest.slo import fetch_sli_history, load_sli_history, load_slo_spec
    from oncall_planner.report import slo as report
    from oncall_planner.slo import alert_rules, parse_duration
    from oncall_planner.slo.pipeline import slo_report

    try:
        interval = parse_duration(args.interval, "--interval")
    except OnCallPlannerError as exc:
        raise UsageError(str(exc)) from None
    if args.max_pages < 0:
        raise UsageError(f"--max-pages must be 0 or more, got {args.max_pages}")
    if args.history_days <= 0:
        raise UsageError(
            f"--history-days must be a positive number of days, got {args.history_days}"
        )
    if args.prometheus is not None and not args.prometheus.startswith(("http://", "https://")):
        raise UsageError(
            f"--prometheus must be an http:// or https:// URL, got {args.prometheus!r}"
        )
    spec = load_slo_spec(args.slo)
    slos = spec.slos
    if args.slo_name is not None:
        slos = tuple(s for s in spec.slos if s.name == args.slo_name)
        if not slos:
            known = ", ".join(repr(s.name) for s in spec.slos)
            raise UsageError(f"--slo-name: the spec has no SLO named {args.slo_name!r} ({known})")
    plan, _ = load_plan(args)
    tz = zone_arg(args.tz, plan)
    policy = _policy(plan, args.policy, args.input)
    h_since = (
        parse_instant(args.history_since, tz, "--history-since") if args.history_since else None
    )
    h_until = (
        parse_instant(args.history_until, tz, "--history-until") if args.history_until else None
    )
    history: Any
    if args.history is not None:
        if len(slos) != 1:
            names = ", ".join(repr(s.name) for s in slos)
            raise UsageError(
                f"--history holds one SLO's samples and the spec has {len(slos)} SLOs ({names}); "
                "choose one with --slo-name"
            )
        history = load_sli_history(args.history)
    else:  # each SLO's own counters
        end = h_until or dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
        start = h_since or end - dt.timedelta(days=args.history_days)
        history = {s.key: fetch_sli_history(args.prometheus, s, start, end) for s in slos}
        h_since, h_until = start, end
    if h_since is not None and h_until is not None and h_until <= h_since:
        raise UsageError("--history-until must be after --history-since")
    if args.since is not None:
        since = parse_instant(args.since, tz, "--since")
    else:  # the window starts where the replay ends: the minute after the last sample's
        since = h_until or history.end.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    if args.until is not None:
        until = parse_instant(args.until, tz, "--until")
    else:
        until = since + dt.timedelta(days=args.days or args.default_days)
    if until <= since:
        raise UsageError(
            f"--until ({until.isoformat()}) must be after --since ({since.isoformat()})"
        )
    result = slo_report(
        alert_rules(slos),
        history,
        policy,  # type: ignore[arg-type]
        since,
        until,
        history_since=h_since,
        history_until=h_until,
        interval=interval,
        group_by=args.group_by,
        max_pages=args.max_pages,
    )
    from oncall_planner.checks import CheckConfig

    config = CheckConfig(
        thresholds={
            "OCP901": {"max_pages": args.max_pages},
            "OCP501": {"max_pages": args.max_pages},
        }
    )
    findings = report.slo_findings(plan, result, config=config)
    if args.format == "json":
        output(args, json_text(report.to_dict(result, findings)))
    elif args.format == "csv":
        output(args, report.to_csv(result))
    elif args.format == "html":
        output(args, report.to_html(result, tz, findings))
    else:
        output(args, report.to_text(result, tz, findings))
    return 1 if any(f.severity == "error" for f in findings) else 0
