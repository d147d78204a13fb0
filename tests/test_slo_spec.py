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
