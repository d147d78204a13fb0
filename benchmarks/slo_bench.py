"""The SLO replay against a real Prometheus on the same history, measured in the same run.

A year of one-minute samples for 50 SLOs (two counters each, good and total: 100 series of
525,600 samples, 52.6 million samples), with a few made-up incidents per SLO. The same samples
go into Prometheus as TSDB blocks (``promtool tsdb create-blocks-from openmetrics``), served by a
``prometheus`` started here on 127.0.0.1. Both then evaluate every generated rule expression
(the SRE workbook's page and ticket rules: windows from 5 minutes to 3 days) at every minute of
the year:

- Prometheus: ``query_range`` of each rule's expression at a one-minute step (in chunks of
  11,000 steps, the most one query may ask for), two queries at a time;
- the replay: :func:`oncall_planner.slo.replay` with the samples already in memory (as
  Prometheus has them in its TSDB). Making the TSDB and reading files are not counted on either
  side.

Printed: both times, wall clock and CPU (the replay's process time; Prometheus's own
``process_cpu_seconds_total``, read from its /metrics before and after), the ratios and the goal
(the replay is not slower: both ratios ≥ 1), and whether the two agree (the firing instants of
every rule). On a machine shared with other work the CPU ratio is the steadier one.
``--days`` and ``--slos`` make a smaller run; the work grows linearly with both.
``make bench`` (which installs Debian's prometheus package when it is missing) runs it on 10 SLOs
over 30 days (its ``SLO_BENCH_ARGS``); ``make bench SLO_BENCH_ARGS=`` or running this file alone
makes the full year of 50 SLOs, which takes most of an hour.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from oncall_planner.slo import SLI, SLO, alert_rules  # noqa: E402
from oncall_planner.slo.replay import (  # noqa: E402
    CounterSeries,
    SLIHistory,
    evaluation_times,
    flags_by_rule,
)

START = 1_735_689_600  # 2025-01-01 00:00 UTC
FAMILY = "bench_requests"


def counters(slo: int, minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """Good and total counters for one SLO: steady traffic with a few incidents."""
    rng = np.random.default_rng(slo)
    total = rng.poisson(200, minutes)
    share = np.full(minutes, 0.0002)
    for begin in rng.integers(0, minutes - 600, max(1, minutes // 40_000)):
        share[begin : begin + int(rng.integers(5, 600))] = rng.choice([0.002, 0.01, 0.05])
    bad = rng.binomial(total, share)
    return np.cumsum(total - bad).astype(np.float64), np.cumsum(total).astype(np.float64)


def slo_spec(i: int) -> SLO:
    return SLO(
        service="bench",
        name=f"slo{i:02d}",
        objective=0.999,
        sli=SLI(
            good=f'sum(rate({FAMILY}_total{{slo="{i:02d}",kind="good"}}[5m]))',
            total=f'sum(rate({FAMILY}_total{{slo="{i:02d}",kind="total"}}[5m]))',
        ),
    )


def write_openmetrics(
    path: Path, data: list[tuple[np.ndarray, np.ndarray]], times: np.ndarray
) -> None:
    stamps = [str(t) for t in times.tolist()]
    with path.open("w", encoding="utf-8") as out:
        out.write(f"# HELP {FAMILY} Requests.\n# TYPE {FAMILY} counter\n")
        for i, (good, total) in enumerate(data):
            for kind, values in (("good", good), ("total", total)):
                prefix = f'{FAMILY}_total{{slo="{i:02d}",kind="{kind}"}} '
                out.write(
                    "".join(
                        f"{prefix}{v} {t}\n"
                        for v, t in zip(values.astype(np.int64).tolist(), stamps, strict=True)
                    )
                )
        out.write("# EOF\n")


def cpu_seconds(server: object) -> float:
    """Prometheus's own CPU time so far (its process_cpu_seconds_total metric)."""
    import urllib.request

    with urllib.request.urlopen(f"{server.url}/metrics", timeout=60) as r:  # type: ignore[attr-defined]
        for line in r.read().decode("utf-8").splitlines():
            if line.startswith("process_cpu_seconds_total "):
                return float(line.split()[1])
    raise RuntimeError("prometheus does not report process_cpu_seconds_total")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--slos", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="Prometheus queries at a time")
    args = parser.parse_args()
    minutes = args.days * 1440

    from prometheus_server import MISSING, PrometheusServer

    if shutil.which("promtool") is None or shutil.which("prometheus") is None:
        print(f"slo_bench: {MISSING}; nothing measured")
        sys.exit(1)
    promtool = shutil.which("promtool")
    assert promtool is not None

    print(
        f"SLO replay vs Prometheus: {args.slos} SLOs x {args.days} days of one-minute samples "
        f"({2 * args.slos * minutes:,} samples), every rule evaluated every minute",
        flush=True,
    )
    times = START + 60 * np.arange(minutes, dtype=np.int64)
    data = [counters(i, minutes) for i in range(args.slos)]
    slos = [slo_spec(i) for i in range(args.slos)]
    rules = [alert_rules(s) for s in slos]
    at = evaluation_times(START * 1000, (START + 60 * minutes) * 1000, 60)

    with tempfile.TemporaryDirectory(prefix="slo-bench-") as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        write_openmetrics(folder / "history.om", data, times)
        import subprocess

        subprocess.run(
            [promtool, "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=8760h",
             str(folder / "history.om"), str(folder / "data")],
            check=True, capture_output=True,
        )  # fmt: skip
        (folder / "history.om").unlink()
        print(f"  TSDB made in {time.perf_counter() - began:.0f} s (not counted)", flush=True)

        # --- the replay ---------------------------------------------------------------------
        ms = times * 1000
        ms.setflags(write=False)
        histories = []
        for good, total in data:
            good.setflags(write=False)
            total.setflags(write=False)
            histories.append(
                SLIHistory(
                    total=CounterSeries("total", ms, total), good=CounterSeries("good", ms, good)
                )
            )
        began, cpu = time.perf_counter(), time.process_time()
        ours = [flags_by_rule(r, h, at) for r, h in zip(rules, histories, strict=True)]
        replay_s, replay_cpu = time.perf_counter() - began, time.process_time() - cpu
        print(f"  replay:     {replay_s:8.1f} s wall, {replay_cpu:8.1f} s CPU", flush=True)

        # --- Prometheus ---------------------------------------------------------------------
        with PrometheusServer(folder / "data") as server:
            jobs = [(i, r) for i, rs in enumerate(rules) for r in rs]
            first, last = int(at[0] // 1000), int(at[-1] // 1000)
            cpu = cpu_seconds(server)
            began = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
                found = list(
                    pool.map(lambda job: server.query_range(job[1].expr, first, last, 60), jobs)
                )
            prom_s = time.perf_counter() - began
            prom_cpu = cpu_seconds(server) - cpu
        print(
            f"  Prometheus: {prom_s:8.1f} s wall, {prom_cpu:8.1f} s CPU (query_range, "
            f"{args.workers} at a time)",
            flush=True,
        )

    differing = 0
    seconds = at // 1000
    for (i, rule), instants in zip(jobs, found, strict=True):
        theirs = np.isin(seconds, np.fromiter(instants, dtype=np.int64))
        differing += int(np.count_nonzero(theirs != ours[i][rule.key]))
    ratio, cpu_ratio = prom_s / replay_s, prom_cpu / replay_cpu
    print(f"  ratio:      {ratio:8.1f}x wall, {cpu_ratio:.1f}x CPU (Prometheus / replay)")
    met = ratio >= 1 and cpu_ratio >= 1
    print(f"  goal:       the replay is not slower (ratios >= 1): {'met' if met else 'NOT met'}")
    print(f"  agreement:  {differing} of {len(jobs) * at.size} rule evaluations differ")


if __name__ == "__main__":
    main()
