"""The replay against a real Prometheus: the same history in TSDB blocks (promtool), a server on
127.0.0.1, and ``query_range`` of every rule expression at the evaluation interval.

Prometheus evaluates the expressions; ``for:`` is applied to both condition timelines by
:func:`episodes_from_flags`, whose state machine is checked against Prometheus's own rule
engine by the ``promtool test rules`` tests in test_slo_promtool.py. The live ``--prometheus``
path of ``forecast`` is checked against the same server.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path

import attrs
import numpy as np
import pytest
from prometheus_server import PrometheusServer, create_blocks, openmetrics

from oncall_planner.cli import main
from oncall_planner.ingest.slo import fetch_sli_history
from oncall_planner.slo import SLI, SLO, AlertRule, BurnRateAlert, BurnWindow, alert_rules
from oncall_planner.slo.replay import (
    CounterSeries,
    SLIHistory,
    episodes_from_flags,
    evaluation_times,
    flags_by_rule,
)

START = 1_740_787_200  # 2025-03-01 00:00 UTC
DAYS = 3
SCRAPE = 30
INTERVAL = 60

SLO_SPEC = SLO(
    service="shop",
    name="availability",
    objective=0.999,
    window=30 * 86400,
    sli=SLI(
        good='sum(rate(slo_requests_total{code="ok"}[5m]))',
        total="sum(rate(slo_requests_total[5m]))",
    ),
)
ARTICLE = (
    BurnRateAlert(
        name="ShopHighErrorBudgetBurn",
        severity="critical",
        windows=[BurnWindow(long=3600, short=300, burn_rate=14.4)],
        for_duration=120,
    ),
    BurnRateAlert(
        name="ShopSlowErrorBudgetBurn",
        severity="warning",
        windows=[BurnWindow(long=3 * 86400, burn_rate=3)],
        for_duration=3600,
    ),
)


def error_share(t: float) -> float:
    day = (t - START) / 86400
    for begin, hours, share in ((0.6, 0.7, 0.03), (1.2, 3, 0.01), (2.0, 20, 0.004)):
        if begin <= day < begin + hours / 24:
            return share
    return 0.0003


def make_samples() -> dict[str, tuple[list[float], list[float]]]:
    """Two instances scraped every 30 s with jitter; instance b restarts (a counter reset) and
    instance a misses 20 minutes of scrapes."""
    rng = random.Random(7)
    out: dict[str, tuple[list[float], list[float]]] = {}
    for instance, size in (("a", 90), ("b", 60)):
        ok = err = 0.0
        times: list[float] = []
        oks: list[float] = []
        errs: list[float] = []
        for i in range(DAYS * 86400 // SCRAPE):
            t = START + i * SCRAPE + rng.randint(0, 3)
            n = max(0, round(rng.gauss(size, size**0.5)))
            bad = int(n * error_share(t) + rng.random())
            ok += n - bad
            err += bad
            if instance == "b" and i == int(1.5 * 86400 / SCRAPE):
                ok, err = float(n - bad), float(bad)  # the process restarted
            if instance == "a" and 2.3 * 86400 <= t - START < 2.3 * 86400 + 1200:
                continue  # scrapes failed
            times.append(t)
            oks.append(ok)
            errs.append(err)
        out[f'code="err",instance="{instance}"'] = (times, errs)
        out[f'code="ok",instance="{instance}"'] = (times, oks)
    return dict(sorted(out.items()))


@pytest.fixture(scope="module")
def samples() -> dict[str, tuple[list[float], list[float]]]:
    return make_samples()


@pytest.fixture(scope="module")
def history(samples: dict[str, tuple[list[float], list[float]]]) -> SLIHistory:
    series = {k: CounterSeries.of(k, t, v) for k, (t, v) in samples.items()}
    return SLIHistory(
        total=tuple(series.values()),
        good=tuple(s for k, s in series.items() if 'code="ok"' in k),
    )


@pytest.fixture(scope="module")
def server(
    samples: dict[str, tuple[list[float], list[float]]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PrometheusServer]:
    folder = tmp_path_factory.mktemp("prometheus")
    text = openmetrics("slo_requests", ((k, t, v) for k, (t, v) in samples.items()))
    with PrometheusServer(create_blocks(text, folder), INTERVAL) as running:
        yield running


def _rules() -> tuple[AlertRule, ...]:
    """The workbook's page and ticket rules, and the article's two, over the same SLI."""
    article = attrs.evolve(SLO_SPEC, name="article", alerts=ARTICLE)
    return (*alert_rules(SLO_SPEC), *alert_rules(article))


def test_prometheus_and_the_replay_give_the_same_episodes(
    server: PrometheusServer, history: SLIHistory
) -> None:
    rules = _rules()
    at = evaluation_times(START * 1000, (START + DAYS * 86400) * 1000, INTERVAL)
    ours = flags_by_rule(rules, history, at)
    compared = 0
    for rule in rules:
        seen = server.query_range(rule.expr, int(at[0] // 1000), int(at[-1] // 1000), INTERVAL)
        theirs = np.isin(at // 1000, np.fromiter(seen, dtype=np.int64))
        mine = episodes_from_flags(rule, ours[rule.key], at, INTERVAL)
        real = episodes_from_flags(rule, theirs, at, INTERVAL)
        assert len(mine) == len(real), rule.alert
        for a, b in zip(mine, real, strict=True):
            assert abs((a.start - b.start).total_seconds()) <= INTERVAL
            assert (a.end is None and b.end is None) or abs(
                ((a.end or a.start) - (b.end or b.start)).total_seconds()
            ) <= INTERVAL
        compared += len(mine)
    assert compared >= 4  # the history's incidents fire the page and ticket alerts


def test_the_condition_timelines_agree_at_every_evaluation(
    server: PrometheusServer, history: SLIHistory
) -> None:
    """Stronger than the episodes: the same floats give the same answer at each instant."""
    rules = _rules()
    at = evaluation_times(START * 1000, (START + DAYS * 86400) * 1000, INTERVAL)
    ours = flags_by_rule(rules, history, at)
    differing = 0
    for rule in rules:
        seen = server.query_range(rule.expr, int(at[0] // 1000), int(at[-1] // 1000), INTERVAL)
        theirs = np.isin(at // 1000, np.fromiter(seen, dtype=np.int64))
        differing += int(np.count_nonzero(theirs != ours[rule.key]))
    assert differing == 0


def test_fetch_reads_the_raw_samples_prometheus_holds(
    server: PrometheusServer, samples: dict[str, tuple[list[float], list[float]]]
) -> None:
    since = dt.datetime.fromtimestamp(START, dt.timezone.utc)
    got = fetch_sli_history(server.url, SLO_SPEC, since, since + dt.timedelta(days=DAYS))
    by_name = {s.name: s for s in got.total}
    for labels, (times, values) in samples.items():
        series = by_name['{__name__="slo_requests_total",' + labels + "}"]
        assert series.times.tolist() == [round(t * 1000) for t in times]
        assert series.values.tolist() == values
    assert len(got.good) == 2


def test_forecast_reads_prometheus_as_it_reads_the_same_history_from_a_file(
    server: PrometheusServer, tmp_path: Path
) -> None:
    spec = tmp_path / "slo.yaml"
    spec.write_text(
        "service: shop\nslos:\n  - name: availability\n    target: 99.9%\n    window: 30d\n"
        "    sli:\n      type: ratio\n"
        '      good: sum(rate(slo_requests_total{code="ok"}[5m]))\n'
        "      total: sum(rate(slo_requests_total[5m]))\n",
        encoding="utf-8",
    )
    plan = tmp_path / "plan.py"
    plan.write_text(
        "import datetime as dt\n"
        "from oncall_planner import *\n"
        "u = [User('Ann', 'ann@example.com'), User('Ben', 'ben@example.com')]\n"
        "s = Schedule('Ops', 'Etc/UTC', [Layer('L', u, dt.datetime(2025, 1, 6, tzinfo=dt.timezone.utc), dt.timedelta(days=1))])\n"
        "plan = OnCallPlan(escalation_policies=[EscalationPolicy('Ops', [EscalationRule(10, [Target.schedule(s)])])])\n",
        encoding="utf-8",
    )
    window = ["--history-since", "2025-03-01T00:00Z", "--history-until", "2025-03-04T00:00Z"]

    def run(*extra: str) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["forecast", str(plan), "--slo", str(spec), *window, *extra, "-q"])
        assert code == 0
        return out.getvalue()

    # The same raw samples saved as a file: Prometheus's answers to a range selector.
    end = START + DAYS * 86400
    saved = {
        side: {"status": "success", "data": server.get("/api/v1/query", query=query, time=end)}
        for side, query in (
            ("good", 'slo_requests_total{code="ok"}[3d]'),
            ("total", "slo_requests_total[3d]"),
        )
    }
    path = tmp_path / "history.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    live = run("--prometheus", server.url)
    assert "Pages the backtest sends through the rota:" in live
    strict = tmp_path / "two.yaml"  # each SLO of a spec reads its own counters
    strict.write_text(
        spec.read_text(encoding="utf-8")
        + "  - name: strict\n    target: 99.99%\n    window: 30d\n    sli:\n"
        '      good: sum(rate(slo_requests_total{code="ok",instance="a"}[5m]))\n'
        '      total: sum(rate(slo_requests_total{instance="a"}[5m]))\n',
        encoding="utf-8",
    )
    both = io.StringIO()
    with contextlib.redirect_stdout(both):
        assert main(["forecast", str(plan), "--slo", str(strict), *window, "-q",
                     "--prometheus", server.url]) == 0  # fmt: skip
    assert "SLO shop/availability: 99.9% over 30d" in both.getvalue()
    assert "SLO shop/strict: 99.99% over 30d" in both.getvalue()
    assert "CheckoutAvailability" not in live and "ShopAvailabilityHighErrorBudgetBurn" in live
    assert live == run("--history", str(path))
