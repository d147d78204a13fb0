"""`make demo`, SLO section: from the article's SLO file to pages per shift through the rota.

Prints (fixed dates, never "now"):

1. the alerting rules generated for the article's SLO (examples/slo/slo-definition.yaml:
   checkout, 99.95% over 30 days) with the SRE workbook's windows, written to
   examples/out/checkout-slo-rules.yaml, and the article's own two rules
   (examples/slo/alerts.yaml) rebuilt from their parameters;
2. a backtest on the bundled synthetic history (examples/slo/checkout-history.csv: two weeks
   with an incident in them), replayed as Prometheus evaluates the rules;
3. the pages it sends through the seed team's corrected rota (primary and secondary as two
   schedules, as the planning section builds it), the page rules on them, and the forecast of
   pages per shift and per person for the four weeks after the history;
4. the article's severity rule on both escalation policies: SEV-1 needs a second person within
   5 minutes, and both policies wait 10 minutes before their second level.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "slo"))

from corrected_plan import build_corrected_plan  # noqa: E402
from seed_plan import NEW_YORK, build_plan  # noqa: E402

from oncall_planner import check  # noqa: E402
from oncall_planner.checks import CheckConfig  # noqa: E402
from oncall_planner.emit.prometheus_rules import write_prometheus_rules  # noqa: E402
from oncall_planner.ingest.slo import load_sli_history, load_slo_spec  # noqa: E402
from oncall_planner.report.slo import slo_findings  # noqa: E402
from oncall_planner.slo import BurnRateAlert, BurnWindow, alert_rules, format_duration  # noqa: E402
from oncall_planner.slo.incident import IncidentSetup  # noqa: E402
from oncall_planner.slo.pipeline import slo_report  # noqa: E402

TZ = "America/New_York"
FORECAST_SINCE = dt.datetime(2025, 3, 17, tzinfo=NEW_YORK)  # where the history ends
FORECAST_UNTIL = FORECAST_SINCE + dt.timedelta(weeks=4)

#: The article's two rules as parameters: the same SLO gives the same rules.
ARTICLE_ALERTS = (
    BurnRateAlert(
        name="CheckoutHighErrorBudgetBurn",
        severity="critical",
        windows=[BurnWindow(long=3600, short=300, burn_rate=14.4)],
        for_duration=120,
    ),
    BurnRateAlert(
        name="CheckoutSlowErrorBudgetBurn",
        severity="warning",
        windows=[BurnWindow(long=3 * 86400, burn_rate=3)],
        for_duration=3600,
    ),
)


def _day(value: dt.datetime | None) -> str:
    return (
        "still firing" if value is None else value.astimezone(NEW_YORK).strftime("%a %m-%d %H:%M")
    )


def _windows(rule: object) -> str:
    parts = []
    for c in rule.conditions:  # type: ignore[attr-defined]
        pair = format_duration(c.long) + (f"/{format_duration(c.short)}" if c.short else "")
        parts.append(f"{c.burn_rate:g}x over {pair} (> {c.threshold:.4%})")
    return " or ".join(parts)


def show_rules() -> list[object]:
    spec = load_slo_spec(HERE / "slo" / "slo-definition.yaml")
    (slo,) = spec.slos
    print(
        f"-- The article's SLO: {slo.key}, {slo.objective:.2%} of requests good over "
        f"{format_duration(slo.window)} (error budget {slo.error_budget:.2%})"
    )
    rules = alert_rules(spec)
    path = write_prometheus_rules(rules, HERE / "out" / "checkout-slo-rules.yaml")
    print(f"Rules with the SRE workbook's windows, in {path.relative_to(HERE.parent)}:")
    for rule in rules:
        kind = "pages" if rule.page else "opens a ticket"
        print(f"  {rule.alert} ({rule.severity}, {kind}, for {format_duration(rule.for_duration)})")
        print(f"    {_windows(rule)}")
    print("The article's own two rules, from their parameters (examples/slo/alerts.yaml):")
    for rule in alert_rules(slo, alerts=ARTICLE_ALERTS):
        print(f"  {rule.alert}: {_windows(rule)}, for {format_duration(rule.for_duration)}")
    print("promtool check rules accepts both files; the tests run them through promtool too.\n")
    return list(rules)


def run() -> None:
    rules = show_rules()
    history = load_sli_history(HERE / "slo" / "checkout-history.csv")
    plan = build_corrected_plan()
    (policy,) = plan.escalation_policies
    report = slo_report(rules, history, policy, FORECAST_SINCE, FORECAST_UNTIL)  # type: ignore[arg-type]
    bt = report.backtest
    days = (bt.until - bt.since).total_seconds() / 86400
    print(
        f"-- Backtest: {history.samples:,} samples from {_day(bt.since)} to {_day(bt.until)} "
        f"({days:.0f} days), every rule evaluated every minute ({bt.evaluations:,} times)"
    )
    for key, episodes in bt.by_rule().items():
        print(f"  {key.rsplit('/', 1)[1]}: {len(episodes)} episode(s)")
        for e in episodes:
            print(f"    pending {_day(e.pending_at)}, firing {_day(e.start)} to {_day(e.end)}")
    print("  (the 3-minute spike on Sat 03-08 10:00 pages nobody: the 1h window ignores it)\n")

    print("-- Pages through the corrected rota (whoever the policy reaches first)")
    for page in report.pages:
        who = (
            page.user.name
            if page.user is not None and not isinstance(page.user, str)
            else page.user
        )
        print(f"  {_day(page.at)}  {who}  {page.title}")
    findings = slo_findings(plan, report)
    for finding in findings:
        print(f"  {finding.to_text()}")

    fc = report.forecast
    print(
        f"\n-- Forecast {_day(fc.since)} to {_day(fc.until)}: {fc.per_week:.2f} pages a week "
        f"(from {sum(r.pages for r in fc.rates)} pages in {days:.0f} days)"
    )
    print(f"  {'shift':<35}{'first paged':<13}{'pages':>6}{'90%':>7}{f'P(>{fc.max_pages})':>8}")
    for s in fc.shifts:
        name = s.user.name if s.user else "nobody"
        span = f"{_day(s.start)} - {_day(s.end)}"
        print(f"  {span:<35}{name:<13}{s.expected:>6.2f}{s.low:>4}-{s.high:<2}{s.p_over:>8.0%}")
    for p in fc.people:
        print(
            f"  {p.user.name}: {p.expected:.2f} pages expected over {p.shifts} shift(s) "
            f"(90% interval {p.low}-{p.high})"
        )
    busy = fc.busy()
    print(
        f"  Shifts over the article's limit of {fc.max_pages} pages: {len(busy)}"
        + ("" if busy else " (no OCP901 finding)")
    )

    print("\n-- The article's severities: SEV-1 needs a second person within 5 minutes")
    for name, candidate in (("seed", build_plan()), ("corrected", plan)):
        found = check(
            candidate, FORECAST_SINCE, FORECAST_UNTIL, incident=IncidentSetup(),
            config=CheckConfig(select=["OCP902"]),
        )  # fmt: skip
        for finding in found:
            print(f"  {name}: {finding.to_text()}")


if __name__ == "__main__":
    run()
