"""Benchmark: the blow-ups issue 10 found stay fixed, each against a baseline from the same run.

Each line times the same work at a small and a large size (or near and far), in CPU time
(``time.process_time``, best of three), and prints the ratio with its goal:

1. Zone tables far away: render one day in year 8990 of five schedules (five zones) whose layers
   started in 2025, against the same day in 2025. The tables used to be sampled year by year
   from 2025 (38 s). Goal: at most 5x.
2. ``check()`` on one schedule of 400 layers against 100 layers. OCP103/OCP104 compared every
   hidden layer with every layer above it (quadratic: 16x for 4x the layers). Goal: at most 8x.
3. ``fairness_report()`` on 400 teams against 100 teams: the balance index compared every pair
   of people. Goal: at most 8x.
4. SARIF for 4,000 findings against 1,000, each pointing at one of as many locations: every
   finding was matched against every location. Goal: at most 8x.
5. ``render()`` over hourly turns from 2025 to 8999 (refused before anything is built) against
   rendering one week. It used to run out of memory. Goal: at most 5x.

Run with ``make bench`` or ``python benchmarks/hostile_bench.py``.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checks_bench import build

from oncall_planner import (
    RULES,
    Layer,
    OnCallPlan,
    Schedule,
    User,
    ValidationError,
    check,
    fairness_report,
    render,
)
from oncall_planner.report.sarif import to_sarif
from oncall_planner.timeutil import clock

UTC = dt.timezone.utc
START = dt.datetime(2025, 1, 6, tzinfo=UTC)
PEOPLE = [User(f"P{i}", f"p{i}@example.com") for i in range(6)]
ZONES = (
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Santiago",
)


def cpu(func: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return max(best, 1e-6)


def line(label: str, base: float, measured: float, goal: float) -> None:
    ratio = measured / base
    verdict = "met" if ratio <= goal else "NOT met"
    print(
        f"  {label:<38} {base * 1000:9.1f} ms -> {measured * 1000:9.1f} ms  "
        f"{ratio:6.1f}x (goal <= {goal:g}x: {verdict})"
    )


def far_zones(year: int) -> Callable[[], object]:
    def run() -> object:
        clock.cache_clear()  # fresh zone tables, as in a new process
        for zone in ZONES:
            schedule = Schedule(zone, zone, [Layer("L", PEOPLE[:2], START, dt.timedelta(days=1))])
            day = dt.datetime(year, 6, 1, tzinfo=UTC)
            render(schedule, day, day + dt.timedelta(days=1))
        return None

    return run


def stacked(layers: int) -> Callable[[], object]:
    stack = [
        Layer(f"L{i}", PEOPLE[i % 6 :] + PEOPLE[: i % 6], START, dt.timedelta(days=1))
        for i in range(layers)
    ]
    plan = OnCallPlan([Schedule("Big", "Etc/UTC", stack)])
    return lambda: check(plan, START, START + dt.timedelta(days=28))


def teams(count: int) -> Callable[[], object]:
    plan, _ = build(count, random.Random(1))
    return lambda: fairness_report(plan, START, START + dt.timedelta(days=28))


class _Finding:
    def __init__(self, i: int) -> None:
        self.code, self.rule, self.severity = "OCP103", "shadowed-layer", "error"
        self.subject = f"Schedule 'S{i}', layer 'Primary'"
        self.message, self.hint, self.intervals = "never on call", "", ()


def sarif(count: int) -> Callable[[], object]:
    findings = [_Finding(i) for i in range(count)]
    locations = {("Schedule", f"S{i}", "Primary"): ("main.tf", i + 1) for i in range(count)}
    return lambda: to_sarif(findings, RULES, tool_version="0", locations=locations)


def absurd() -> object:
    hourly = Schedule("H", "Etc/UTC", [Layer("L", PEOPLE[:2], START, dt.timedelta(hours=1))])
    try:
        render(hourly, START, dt.datetime(8999, 1, 1, tzinfo=UTC))
    except ValidationError:
        return None
    raise AssertionError("61 million turns were rendered")


def one_week() -> object:
    hourly = Schedule("H", "Etc/UTC", [Layer("L", PEOPLE[:2], START, dt.timedelta(hours=1))])
    return render(hourly, START, START + dt.timedelta(days=7))


def main() -> None:
    print("hostile sizes: the blow-ups of issue 10, CPU time, best of 3")
    line("(1) one day, 5 zones: 2025 -> 8990", cpu(far_zones(2025)), cpu(far_zones(8990)), 5)
    line("(2) check: 100 -> 400 layers", cpu(stacked(100)), cpu(stacked(400)), 8)
    line("(3) fairness_report: 100 -> 400 teams", cpu(teams(100)), cpu(teams(400)), 8)
    line("(4) SARIF: 1,000 -> 4,000 findings", cpu(sarif(1000)), cpu(sarif(4000)), 8)
    line("(5) render: a week -> 2025..8999 hourly", cpu(one_week), cpu(absurd), 5)


if __name__ == "__main__":
    main()
