"""``oncall-planner slo rules SPEC``: Prometheus alerting rules from an SLO spec."""

from __future__ import annotations

import argparse

from oncall_planner.cli._common import Subparsers, UsageError, add_command, add_output, output


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "slo",
        help="SLO specs: generate burn-rate alerting rules",
        description="Work with SLO specs: the article's slo-definition.yaml, OpenSLO v1 or "
        "Sloth prometheus/v1 (told apart by their content).",
    )
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True
    rules = verbs.add_parser(
        "rules",
        help="write Prometheus alerting rules for the SLOs of SPEC",
        description="Multi-window, multi-burn-rate alerting rules (the SRE workbook's defaults, "
        "or the alerts the spec sets) as a Prometheus rule file that promtool check rules "
        "accepts.",
    )
    rules.add_argument(
        "spec",
        metavar="SPEC",
        help="SLO spec (YAML): the article's slo-definition.yaml, OpenSLO v1 or Sloth "
        "prometheus/v1",
    )
    rules.add_argument("--group", metavar="NAME", help="rule group name (default: from services)")
    rules.add_argument(
        "--interval",
        metavar="DURATION",
        help="the group's evaluation interval, e.g. 1m, at most the shortest alert window "
        "(default: Prometheus's global one)",
    )
    add_output(rules)
    return p


def run(args: argparse.Namespace) -> int:
    from oncall_planner.emit.prometheus_rules import to_prometheus_rules
    from oncall_planner.errors import OnCallPlannerError
    from oncall_planner.ingest.slo import load_slo_spec
    from oncall_planner.slo import alert_rules, parse_duration

    interval = None
    if args.interval is not None:
        try:
            interval = parse_duration(args.interval, "--interval")
        except OnCallPlannerError as exc:
            raise UsageError(str(exc)) from None
    spec = load_slo_spec(args.spec)
    rules = alert_rules(spec)
    output(args, to_prometheus_rules(rules, group=args.group, interval=interval))
    return 0
