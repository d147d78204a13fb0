"""Generated rule files through the real promtool: ``check rules`` accepts every one, and
``test rules`` (Prometheus's own rule engine, ``for:`` included) fires them at the instants the
replay says, on synthetic series: a burn just above and just below each threshold, a short
spike the long window ignores, and a recovery the short window catches. The article's own rule
file, run the same way, fires exactly when the rules generated from its parameters do.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
import yaml
from prometheus_server import binaries

from oncall_planner.emit.prometheus_rules import to_prometheus_rules
from oncall_planner.ingest.slo import load_slo_spec
from oncall_planner.slo import (
    SLO,
    AlertRule,
    BurnRateAlert,
    BurnWindow,
    SLIHistory,
    alert_rules,
    default_alerts,
    replay,
)

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "slo"
DATA = Path(__file__).resolve().parent / "data" / "slo"
GOOD = 'http_requests_total{service="checkout",code="200"}'
BAD = 'http_requests_total{service="checkout",code="500"}'

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


def promtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    tool, _ = binaries()
    return subprocess.run(
        [tool, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def checkout() -> SLO:
    (slo,) = load_slo_spec(EXAMPLES / "slo-definition.yaml").slos
    return slo


SPECS = sorted([EXAMPLES / "slo-definition.yaml", *DATA.glob("*.yaml")])


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_promtool_accepts_every_generated_rule_file(spec: Path, tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(to_prometheus_rules(alert_rules(load_slo_spec(spec))), encoding="utf-8")
    result = promtool("check", "rules", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_promtool_accepts_the_articles_rules_and_the_ones_made_from_its_parameters(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        to_prometheus_rules(alert_rules(checkout(), alerts=ARTICLE_ALERTS), interval=60),
        encoding="utf-8",
    )
    for rules in (path, EXAMPLES / "alerts.yaml"):
        result = promtool("check", "rules", str(rules), cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr


# --- synthetic series -------------------------------------------------------------------------


def counters(per_minute: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Cumulative good and bad counters, one sample a minute from 0, from (good, bad) per
    minute (the first sample is 0: the counters start then)."""
    good, bad = [0], [0]
    for g, b in per_minute:
        good.append(good[-1] + g)
        bad.append(bad[-1] + b)
    return good, bad


def history(good: Sequence[int], bad: Sequence[int]) -> SLIHistory:
    times = [60 * i for i in range(len(good))]
    return SLIHistory.of(times, good=good, total=[g + b for g, b in zip(good, bad, strict=True)])


def firing_minutes(rule: AlertRule, good: Sequence[int], bad: Sequence[int]) -> set[int]:
    """Minutes at which the replay has the rule firing."""
    minutes = len(good)
    result = replay([rule], history(good, bad), interval=60)
    out: set[int] = set()
    for e in result.episodes:
        first = int(e.start.timestamp()) // 60
        last = minutes if e.end is None else int(e.end.timestamp()) // 60
        out.update(range(first, last))
    return out


def promtool_test(
    tmp_path: Path,
    rules_text: str,
    alertname: str,
    labels: dict[str, str],
    annotations: dict[str, str],
    good: Sequence[int],
    bad: Sequence[int],
    firing: set[int],
    every: int = 1,
) -> subprocess.CompletedProcess[str]:
    """Run ``promtool test rules``: the alert must fire at exactly the ``firing`` minutes
    among those checked (every ``every`` minutes over the series)."""
    (tmp_path / "rules.yaml").write_text(rules_text, encoding="utf-8")
    checks = []
    for minute in range(0, len(good), every):
        expected = (
            [{"exp_labels": labels, "exp_annotations": annotations}] if minute in firing else []
        )
        checks.append({"eval_time": f"{minute}m", "alertname": alertname, "exp_alerts": expected})
    doc = {
        "rule_files": ["rules.yaml"],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [
                    {"series": GOOD, "values": " ".join(map(str, good))},
                    {"series": BAD, "values": " ".join(map(str, bad))},
                ],
                "alert_rule_test": checks,
            }
        ],
    }
    (tmp_path / "test.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return promtool("test", "rules", "test.yaml", cwd=tmp_path)


def steady(minutes: int, bad_per_10k: int) -> list[tuple[int, int]]:
    return [(10_000 - bad_per_10k, bad_per_10k)] * minutes


# The workbook's thresholds for 99.95%: 14.4x and 6x page, 3x and 1x open a ticket. Per 10,000
# requests the error budget is 5 errors, so a burn of B is 5*B errors per 10,000. Each threshold
# is tested in a rule of its own (a steady burn just under 14.4x is still over 6x).
THRESHOLDS = [
    # (alert: 0 page, 1 ticket; its window pair; errors per 10,000 just above and just below;
    #  minutes of series; checked every so many minutes)
    pytest.param(0, 0, 73, 71, 40, 1, id="page-14.4x-1h-5m"),
    pytest.param(0, 1, 31, 29, 60, 1, id="page-6x-6h-30m"),
    pytest.param(1, 0, 16, 14, 200, 5, id="ticket-3x-1d-2h"),
    pytest.param(1, 1, 6, 4, 200, 5, id="ticket-1x-3d-6h"),
]


def single_window(alert: int, pair: int) -> AlertRule:
    template = default_alerts()[alert]
    only = attrs.evolve(template, windows=[template.windows[pair]])
    (rule,) = alert_rules(checkout(), alerts=[only])
    return rule


@pytest.mark.parametrize(("alert", "pair", "above", "below", "minutes", "every"), THRESHOLDS)
def test_a_burn_just_above_a_threshold_fires_and_just_below_does_not(
    tmp_path: Path, alert: int, pair: int, above: int, below: int, minutes: int, every: int
) -> None:
    rule = single_window(alert, pair)
    text = to_prometheus_rules([rule])
    for errors, fires in ((above, True), (below, False)):
        good, bad = counters(steady(minutes, errors))
        firing = firing_minutes(rule, good, bad)
        assert bool(firing) == fires
        if fires:  # pending at the first evaluation with two samples, firing `for` later
            assert min(firing) == 1 + rule.for_duration // 60
        result = promtool_test(
            tmp_path, text, rule.alert, dict(rule.labels), dict(rule.annotations),
            good, bad, firing, every,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_short_spike_the_long_window_ignores(tmp_path: Path) -> None:
    rule = single_window(0, 0)  # 14.4x over 1h and 5m
    # an hour of clean traffic, then 3 minutes at 5% errors: the 5m window burns at 100x,
    # the 1h window at 5x, under 14.4x
    good, bad = counters(steady(60, 0) + steady(3, 500) + steady(30, 0))
    short_only = alert_rules(checkout(), alerts=[BurnRateAlert(
        severity="critical", windows=[BurnWindow(long=300, burn_rate=14.4)], for_duration=120
    )])[0]  # fmt: skip
    assert firing_minutes(short_only, good, bad)  # the 5m window alone would page
    assert firing_minutes(rule, good, bad) == set()
    result = promtool_test(
        tmp_path, to_prometheus_rules([rule]), rule.alert, dict(rule.labels),
        dict(rule.annotations), good, bad, set(),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_recovery_the_short_window_catches(tmp_path: Path) -> None:
    rule = single_window(0, 0)  # 14.4x over 1h and 5m
    # 30 minutes at 2% errors, then clean: the 1h window stays above 14.4x for another half
    # hour, but the 5m window drops below within 5 minutes, and the alert resolves then
    good, bad = counters(steady(60, 0) + steady(30, 200) + steady(60, 0))
    long_only = alert_rules(checkout(), alerts=[BurnRateAlert(
        severity="critical", windows=[BurnWindow(long=3600, burn_rate=14.4)], for_duration=120
    )])[0]  # fmt: skip
    assert max(firing_minutes(long_only, good, bad)) > 110
    firing = firing_minutes(rule, good, bad)
    assert firing and max(firing) < 90 + 6
    result = promtool_test(
        tmp_path, to_prometheus_rules([rule]), rule.alert, dict(rule.labels),
        dict(rule.annotations), good, bad, firing,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_fails_when_the_expected_firing_is_wrong(tmp_path: Path) -> None:
    """The harness can fail: one minute off and promtool says so."""
    rules = alert_rules(checkout())
    rule = next(r for r in rules if r.page)
    good, bad = counters(steady(40, 73))
    firing = firing_minutes(rule, good, bad)
    result = promtool_test(
        tmp_path, to_prometheus_rules(rules), rule.alert, dict(rule.labels),
        dict(rule.annotations), good, bad, firing - {min(firing)},
    )  # fmt: skip
    assert result.returncode != 0


# --- the golden case: the article's rules --------------------------------------------------------


def article_rules() -> dict[str, dict[str, object]]:
    doc = yaml.safe_load((EXAMPLES / "alerts.yaml").read_text(encoding="utf-8"))
    return {r["alert"]: r for r in doc["groups"][0]["rules"]}


def test_the_articles_parameters_give_the_articles_alerts() -> None:
    generated = {r.alert: r for r in alert_rules(checkout(), alerts=ARTICLE_ALERTS)}
    article = article_rules()
    assert set(generated) == set(article)
    for name, rule in generated.items():
        theirs = article[name]
        assert rule.to_dict()["for"] == theirs["for"]
        assert rule.labels["severity"] == theirs["labels"]["severity"]  # type: ignore[index]
        for cond in rule.conditions:
            for window in cond.windows:
                assert (
                    f"[{window // 3600}h]" in rule.expr
                    or f"[{window // 60}m]" in rule.expr
                    or f"[{window // 86400}d]" in rule.expr
                )
            assert f"({cond.burn_rate:g} * 0.0005)" in theirs["expr"]  # type: ignore[operator]
            assert f"({cond.burn_rate:g} * 0.0005)" in rule.expr


GOLDEN = [
    # (alert, per-minute traffic, checked every): an incident the fast rule pages for, a slow
    # burn the 3-day rule catches, a spike neither does
    pytest.param(
        "CheckoutHighErrorBudgetBurn",
        steady(60, 1) + steady(45, 400) + steady(60, 2),
        1,
        id="fast-burn-incident",
    ),
    pytest.param(
        "CheckoutSlowErrorBudgetBurn",
        steady(120, 1) + steady(400, 20) + steady(200, 1),
        5,
        id="slow-burn",
    ),
    pytest.param(
        "CheckoutHighErrorBudgetBurn", steady(60, 0) + steady(2, 900) + steady(40, 0), 1, id="spike"
    ),
]


@pytest.mark.parametrize(("alert", "traffic", "every"), GOLDEN)
def test_the_generated_rules_fire_exactly_when_the_articles_rules_fire(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    alert: str,
    traffic: list[tuple[int, int]],
    every: int,
) -> None:
    """The article's good/total SLO gives ``1 - good/total``; the article's rules compute
    ``bad/total`` from the 5xx series: Prometheus fires both at the same minutes."""
    generated = next(r for r in alert_rules(checkout(), alerts=ARTICLE_ALERTS) if r.alert == alert)
    good, bad = counters(traffic)
    firing = firing_minutes(generated, good, bad)
    assert bool(firing) == (request.node.callspec.id != "spike")
    theirs = article_rules()[alert]
    runs = [
        (to_prometheus_rules(alert_rules(checkout(), alerts=ARTICLE_ALERTS)), dict(generated.labels),
         dict(generated.annotations)),
        ((EXAMPLES / "alerts.yaml").read_text(encoding="utf-8"), dict(theirs["labels"]),  # type: ignore[arg-type]
         dict(theirs["annotations"])),  # type: ignore[arg-type]
    ]  # fmt: skip
    for text, labels, notes in runs:
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        result = promtool_test(folder, text, alert, labels, notes, good, bad, firing, every)
        assert result.returncode == 0, result.stdout + result.stderr
