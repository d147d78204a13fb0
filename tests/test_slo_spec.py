"""SLO specs in: the article's format, OpenSLO v1 and Sloth, and clear errors for bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner.errors import InputReadError, ValidationError
from oncall_planner.ingest.slo import load_slo_spec
from oncall_planner.slo import (
    SLI,
    SLO,
    BurnRateAlert,
    BurnWindow,
    alert_rules,
    default_alerts,
    format_duration,
    parse_duration,
)
from oncall_planner.slo.rules import window_query

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "slo"
ARTICLE = REPO / "examples" / "slo" / "slo-definition.yaml"


def test_the_articles_file_reads_as_written() -> None:
    spec = load_slo_spec(ARTICLE)
    (slo,) = spec.slos
    assert spec.format == "article"
    assert (slo.service, slo.name, slo.window) == ("checkout", "availability", 30 * 86400)
    assert slo.objective == 0.9995
    assert slo.error_budget == 0.0005  # exactly the number the article's rules use
    assert slo.sli.good is not None and "code!~" in slo.sli.good
    assert slo.sli.total.startswith("sum(rate(http_requests_total")


@pytest.mark.parametrize(
    ("original", "typo", "where"),
    [
        (
            "    target: 99.95%",
            "    traget: 99.95%",
            "slos[0]: unknown field 'traget'; did you mean 'target'?",
        ),
        ("      total:", "      totl:", "slos[0].sli: unknown field 'totl'; did you mean 'total'?"),
        (
            "service: checkout",
            "servce: checkout",
            "unknown field 'servce'; did you mean 'service'?",
        ),
    ],
    ids=["slo", "sli", "top"],
)
def test_a_misspelt_field_of_the_articles_format_is_refused_by_name(
    original: str, typo: str, where: str, tmp_path: Path
) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    assert original in text
    path = tmp_path / "slo.yaml"
    path.write_text(text.replace(original, typo, 1), encoding="utf-8")
    with pytest.raises(InputReadError) as caught:
        load_slo_spec(path)
    assert where in str(caught.value)


def test_a_misspelt_alerting_list_is_refused_rather_than_giving_the_defaults(
    tmp_path: Path,
) -> None:
    text = ARTICLE.read_text(encoding="utf-8") + (
        "    alertng:\n      - name: fast\n        windows: [{long: 1h, short: 5m, burn_rate: 14.4}]\n"
    )
    path = tmp_path / "slo.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputReadError, match="did you mean 'alerting'"):
        load_slo_spec(path)


def test_fields_of_a_teams_own_are_ignored(tmp_path: Path) -> None:
    text = ARTICLE.read_text(encoding="utf-8").replace(
        "service: checkout", "service: checkout\nowner: payments-team\nrunbook: https://x.invalid"
    )
    path = tmp_path / "slo.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_slo_spec(path).slos == load_slo_spec(ARTICLE).slos


def test_the_workbook_defaults_for_a_30_day_window() -> None:
    page, ticket = default_alerts(30 * 86400)
    assert [(w.long, w.short, w.burn_rate) for w in page.windows] == [
        (3600, 300, 14.4),
        (6 * 3600, 1800, 6.0),
    ]
    assert [(w.long, w.short, w.burn_rate) for w in ticket.windows] == [
        (86400, 7200, 3.0),
        (3 * 86400, 6 * 3600, 1.0),
    ]
    assert (page.severity, page.page, ticket.severity, ticket.page) == (
        "critical",
        True,
        "warning",
        False,
    )


def test_the_workbook_burn_rates_scale_with_the_window() -> None:
    page, _ = default_alerts(28 * 86400)
    assert page.windows[0].burn_rate == pytest.approx(13.44)  # 2% of 28 days in 1 hour


def test_openslo_with_references_and_inline_policies() -> None:
    spec = load_slo_spec(DATA / "openslo.yaml")
    (slo,) = spec.slos
    assert spec.format == "openslo"
    assert (slo.service, slo.name, slo.objective, slo.window) == (
        "payments",
        "payments-availability",
        0.999,
        28 * 86400,
    )
    assert slo.sli.good == 'payments_requests_total{outcome="ok"}'
    fast, slow = slo.alerts
    assert (fast.name, fast.severity, fast.page, fast.for_duration) == (
        "PaymentsFastBurn",
        "page",
        True,
        300,
    )
    assert fast.windows == (BurnWindow(long=3600, burn_rate=14.4),)
    assert (slow.severity, slow.page, slow.windows[0].op) == ("ticket", False, ">=")
    # a counter selector becomes sum(rate(...)) over each window
    assert 'sum(rate(payments_requests_total{outcome="ok"}[1h]))' in alert_rules(spec)[0].expr


def test_sloth_with_window_placeholders_and_a_disabled_ticket() -> None:
    spec = load_slo_spec(DATA / "sloth.yaml")
    availability, latency = spec.slos
    assert spec.format == "sloth"
    assert availability.objective == 0.999 and latency.objective == 0.99
    assert availability.sli.bad is not None and "{{.window}}" in availability.sli.bad
    assert [a.page for a in availability.alerts] == [True, False]
    assert [a.page for a in latency.alerts] == [True]
    rules = alert_rules(spec)
    assert [r.alert for r in rules] == ["SearchAvailability"] * 2 + ["SearchLatency"]
    assert rules[0].labels["team"] == "discovery" and rules[0].labels["category"] == "availability"
    assert "[1h]" in rules[0].expr and "{{" not in rules[0].expr


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "slo.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ARTICLE_TEXT = ARTICLE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("99.95%", "100%"), "slo.yaml: slos[0].target: '100%' leaves no error budget"),
        (("99.95%", "0%"), "slos[0].target: must be above 0%"),
        (("99.95%", "lots"), "slos[0].target: must be a percentage such as 99.95%"),
        (("30d", "thirty days"), "slos[0].window: must be a duration such as 5m, 1h or 30d"),
        (("window: 30d", "window: 30"), "slos[0].window: must be a duration"),
        (
            (
                '      good: sum(rate(http_requests_total{service="checkout",code!~"5.."}[5m]))\n',
                "",
            ),
            "slos[0].sli.good: is missing: the SLI needs a PromQL query here",
        ),
        (("type: ratio", "type: threshold"), "slos[0].sli.type: only ratio SLIs are supported"),
        (("service: checkout\n", ""), "slo.yaml: service: is missing"),
    ],
)
def test_a_bad_spec_names_the_file_and_the_field(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in ARTICLE_TEXT
    with pytest.raises(InputReadError) as info:
        load_slo_spec(write(tmp_path, ARTICLE_TEXT.replace(old, new)))
    assert message in str(info.value)
    assert str(info.value).startswith(str(tmp_path / "slo.yaml"))


def test_a_query_the_windows_cannot_go_into(tmp_path: Path) -> None:
    text = ARTICLE_TEXT.replace(
        'sum(rate(http_requests_total{service="checkout"}[5m]))', "sum(http_requests_total)"
    )
    spec = load_slo_spec(write(tmp_path, text))
    with pytest.raises(ValidationError, match="has no range selector such as"):
        alert_rules(spec)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("service: [unclosed", "slo.yaml:1: not valid YAML"),
        ("", "slo.yaml: the file is empty"),
        ("just: text\n", "not an SLO spec"),
        ('version: "prometheus/v2"\nservice: x\nslos: []\n', "version must be prometheus/v1"),
        (
            "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  service: s\n"
            "  indicatorRef: nope\n",
            "spec.indicatorRef: refers to SLI 'nope', which the file does not define",
        ),
        (
            'version: "prometheus/v1"\nservice: s\nslos:\n  - name: a\n    objective: 100\n'
            "    sli: {events: {error_query: x, total_query: y}}\n",
            "slos[0].objective: 100 leaves no error budget",
        ),
        (
            'version: "prometheus/v1"\nservice: s\nslos:\n  - name: a\n    objective: 99\n'
            "    sli: {events: {error_query: x}}\n",
            "slos[0].sli.events.total_query: is missing",
        ),
    ],
)
def test_other_bad_specs(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputReadError, match=None) as info:
        load_slo_spec(write(tmp_path, text))
    assert message in str(info.value)


def test_yaml_tags_are_not_run(tmp_path: Path) -> None:
    text = "service: !!python/object/apply:os.system ['echo hi']\nslos: []\n"
    with pytest.raises(InputReadError, match="not valid YAML"):
        load_slo_spec(write(tmp_path, text))


def test_the_alerting_extension_of_the_articles_format(tmp_path: Path) -> None:
    text = ARTICLE_TEXT + (
        "    alerting:\n"
        "      - name: CheckoutHighErrorBudgetBurn\n"
        "        severity: critical\n"
        "        for: 2m\n"
        "        windows: [{long: 1h, short: 5m, burn_rate: 14.4}]\n"
    )
    (slo,) = load_slo_spec(write(tmp_path, text)).slos
    (alert,) = slo.alerts
    assert (alert.name, alert.for_duration, alert.windows[0].short) == (
        "CheckoutHighErrorBudgetBurn",
        120,
        300,
    )


def test_model_values_refuse_what_makes_no_sense() -> None:
    sli = SLI(good="sum(rate(a[5m]))", total="sum(rate(b[5m]))")
    with pytest.raises(ValidationError, match="objective must be a fraction between 0 and 1"):
        SLO(service="s", name="n", objective=1.0, sli=sli)
    with pytest.raises(ValidationError, match="exactly one of good and bad"):
        SLI(total="x", good="y", bad="z")
    with pytest.raises(ValidationError, match=r"short .* must be shorter than long"):
        BurnWindow(long=300, short=3600, burn_rate=1)
    with pytest.raises(ValidationError, match="windows must not be empty"):
        BurnRateAlert(severity="critical", windows=[])


def test_window_queries() -> None:
    assert window_query("sum(rate(x[5m]))", 3600) == "sum(rate(x[1h]))"
    assert window_query("sum(rate(x[{{.window}}]))", 1800) == "sum(rate(x[30m]))"
    assert window_query('x{a="b"}', 86400) == 'sum(rate(x{a="b"}[1d]))'
    with pytest.raises(ValidationError, match="no range selector"):  # a subquery is not one
        window_query("sum(rate(x[1h:5m]))", 300)


def test_durations() -> None:
    assert parse_duration("1h30m") == 5400
    assert parse_duration("30d") == 30 * 86400
    assert format_duration(3 * 86400) == "3d"
    for bad in ("", "5", "1m1h", "-5m", "0s", 5):
        with pytest.raises(ValidationError):
            parse_duration(bad)


@given(st.integers(min_value=1, max_value=10 * 365 * 86400))
def test_durations_round_trip(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


SLOTH_FOR = """version: "prometheus/v1"
service: "myservice"
{plugins}slos:
  - name: "requests-availability"
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{{code=~"5.."}}[{{{{.window}}}}]))
        total_query: sum(rate(http_requests_total[{{{{.window}}}}]))
    alerting:
      name: MyServiceHighErrorRate
      page_alert:
        for: 5m
      ticket_alert:
        for: 10m
"""
ALERT_FOR = 'slo_plugins:\n  chain:\n    - id: "sloth.dev/contrib/alert_for/v1"\n'


def test_sloth_sets_for_only_through_its_alert_for_plugin(tmp_path: Path) -> None:
    # Sloth's core plugins ignore `for`; its contrib plugin alert_for/v1 applies it.
    (core,) = load_slo_spec(write(tmp_path, SLOTH_FOR.format(plugins=""))).slos
    assert [a.for_duration for a in core.alerts] == [0, 0]
    (plugin,) = load_slo_spec(write(tmp_path, SLOTH_FOR.format(plugins=ALERT_FOR))).slos
    assert [a.for_duration for a in plugin.alerts] == [300, 600]


def test_sloth_for_that_is_no_duration(tmp_path: Path) -> None:
    text = SLOTH_FOR.format(plugins=ALERT_FOR).replace("for: 5m", "for: soon")
    with pytest.raises(InputReadError, match=r"slos\[0\]\.alerting\.page_alert\.for: must be"):
        load_slo_spec(write(tmp_path, text))


OPENSLO_GAUGE = """apiVersion: openslo/v1
kind: SLO
metadata: {{name: availability}}
spec:
  service: api
  indicator:
    metadata: {{name: ratio}}
    spec:
      ratioMetric:
        counter: {counter}
        good: {{metricSource: {{type: Prometheus, spec: {{query: {good}}}}}}}
        total: {{metricSource: {{type: Prometheus, spec: {{query: {total}}}}}}}
  timeWindow: [{{duration: 28d, isRolling: true}}]
  objectives: [{{target: 0.99}}]
  alertPolicies:
    - kind: AlertPolicy
      metadata: {{name: fast}}
      spec:
        conditions:
          - kind: AlertCondition
            metadata: {{name: fast}}
            spec:
              severity: page
              condition: {{kind: burnrate, op: gt, threshold: 13.44, lookbackWindow: 1h,
                           alertAfter: {after}}}
"""


def test_openslo_gauges_without_a_range_cannot_be_put_over_the_windows(tmp_path: Path) -> None:
    text = OPENSLO_GAUGE.format(counter="false", good="api_good", total="api_total", after="0m")
    with pytest.raises(InputReadError, match=r"ratioMetric\.good: .*counter: false"):
        load_slo_spec(write(tmp_path, text))


def test_openslo_counters_and_gauges_with_a_range(tmp_path: Path) -> None:
    text = OPENSLO_GAUGE.format(counter="true", good="api_good", total="api_total", after="2m")
    (slo,) = load_slo_spec(write(tmp_path, text)).slos
    assert "sum(rate(api_good[1h]))" in alert_rules(slo)[0].expr
    ranged = "'sum(rate(api_good[5m]))'", "'sum(rate(api_total[5m]))'"
    text = OPENSLO_GAUGE.format(counter="false", good=ranged[0], total=ranged[1], after="0m")
    (slo,) = load_slo_spec(write(tmp_path, text)).slos
    assert "sum(rate(api_good[1h]))" in alert_rules(slo)[0].expr


@pytest.mark.parametrize("after", ["0", "0s", "0m", "0h"])
def test_an_alert_after_of_zero_is_no_wait(tmp_path: Path, after: str) -> None:
    text = OPENSLO_GAUGE.format(counter="true", good="g", total="t", after=repr(after))
    (slo,) = load_slo_spec(write(tmp_path, text)).slos
    assert slo.alerts[0].for_duration == 0


def test_openslo_with_two_objectives_is_refused_not_cut_to_the_first(tmp_path: Path) -> None:
    text = OPENSLO_GAUGE.format(counter="true", good="g", total="t", after="2m").replace(
        "objectives: [{target: 0.99}]", "objectives: [{target: 0.99}, {target: 0.999}]"
    )
    with pytest.raises(InputReadError, match=r"spec\.objectives: must have one entry, has 2"):
        load_slo_spec(write(tmp_path, text))


@pytest.mark.parametrize("method", ["Timeslices", "RatioTimeslices"])
def test_openslo_time_slice_budgets_are_refused_not_read_as_requests(
    tmp_path: Path, method: str
) -> None:
    # OpenSLO's own example (examples/budgeting-method/ratio-timeslices.yaml) counts good
    # minutes; burn-rate alerts on the request ratio would watch another SLO
    text = OPENSLO_GAUGE.format(counter="true", good="g", total="t", after="2m").replace(
        "objectives: [{target: 0.99}]",
        f"budgetingMethod: {method}\n  objectives: [{{target: 0.99, timeSliceWindow: 1m}}]",
    )
    with pytest.raises(InputReadError, match=rf"spec\.budgetingMethod: .*Occurrences.*{method}"):
        load_slo_spec(write(tmp_path, text))


def test_openslo_occurrences_budget_is_read(tmp_path: Path) -> None:
    text = OPENSLO_GAUGE.format(counter="true", good="g", total="t", after="2m").replace(
        "objectives: [{target: 0.99}]",
        "budgetingMethod: Occurrences\n  objectives: [{target: 0.99}]",
    )
    (slo,) = load_slo_spec(write(tmp_path, text)).slos
    assert slo.objective == 0.99


@pytest.mark.parametrize(
    "window",
    [
        "{duration: 1M, isRolling: false, calendar: {startTime: '2025-01-01 00:00:00', "
        "timeZone: UTC}}",
        "{duration: 28d, isRolling: false}",
        "{duration: 28d, calendar: {startTime: '2025-01-01 00:00:00', timeZone: UTC}}",
    ],
)
def test_openslo_calendar_windows_are_refused_not_read_as_rolling(
    tmp_path: Path, window: str
) -> None:
    text = OPENSLO_GAUGE.format(counter="true", good="g", total="t", after="2m").replace(
        "timeWindow: [{duration: 28d, isRolling: true}]", f"timeWindow: [{window}]"
    )
    with pytest.raises(InputReadError, match=r"timeWindow\[0\]\.isRolling: only rolling windows"):
        load_slo_spec(write(tmp_path, text))


def test_openslo_rolling_window_without_is_rolling_is_read(tmp_path: Path) -> None:
    text = OPENSLO_GAUGE.format(counter="true", good="g", total="t", after="2m").replace(
        "timeWindow: [{duration: 28d, isRolling: true}]", "timeWindow: [{duration: 30d}]"
    )
    (slo,) = load_slo_spec(write(tmp_path, text)).slos
    assert slo.window == 30 * 86400
