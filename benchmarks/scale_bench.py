"""Benchmark: how render, check, the fairness report, SARIF and the importer grow with teams.

A step that compares every pair (of people, of findings and locations, of layers) grows as the
square of the organisation; issue 13 asks that none does. Each step runs on organisations of 100,
1,000 and 3,000 teams and the growth exponent is the slope of a least-squares fit of log(time) on
log(teams): 1 is linear, 2 quadratic. Goal: at most 1.2 for each step.

The organisation (deterministic): each team has four engineers, a primary schedule (weekly turns,
with a business-hours layer of daily turns on top), a secondary schedule a week out of step, and
an escalation policy of three levels (primary, secondary, the team's manager), in one of four
zones. It is written as ``.tf.json`` by ``to_terraform_json`` and read back by
``import_terraform`` (the public importer, whatever its implementation), so the findings carry
Terraform locations for SARIF. The window is 4 weeks: growth with the number of teams is what is
measured, and a short window keeps the largest organisation quick.

The steps, each timed alone (CPU time, the best of 2 runs; 1 at 3,000 teams):

- import: ``import_terraform`` of the folder;
- render: every schedule rendered once (``render_each``), every entry read;
- check: ``check()`` with every rule;
- fairness report: ``fairness_report()`` over the window;
- SARIF: ``report.sarif.to_sarif`` of the findings with the importer's locations.

Run with ``make bench`` or ``python benchmarks/scale_bench.py [--teams 100,1000,3000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from oncall_planner import (
    RULES,
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Restriction,
    Schedule,
    Target,
    Team,
    User,
    __version__,
    check,
    fairness_report,
    import_terraform,
    render_each,
    write_terraform_json,
)

ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata")
SINCE = dt.datetime(2025, 3, 3, tzinfo=dt.timezone.utc)
UNTIL = SINCE + dt.timedelta(weeks=4)
NOW = dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)
GOAL_EXPONENT = 1.2
#: A step whose next size would take longer than this (projected from the two sizes before it)
#: is not run at that size: a quadratic step at 3,000 teams would take most of an hour. Its
#: exponent is then fitted on the sizes it ran (every step runs at the first two).
BUDGET_SECONDS = 90.0


def build(teams: int) -> OnCallPlan:
    policies = []
    for t in range(teams):
        tz = ZONES[t % len(ZONES)]
        people = [User(f"Engineer {t}-{i}", f"eng{t}.{i}@example.com", tz) for i in range(4)]
        boss = User(f"Manager {t}", f"boss{t}@example.com", tz)
        start = dt.datetime(2025, 1, 6, 9, tzinfo=dt.timezone.utc)
        office = [Restriction.daily("09:00", dt.timedelta(hours=8))]
        primary = Schedule(
            f"Team {t} Primary",
            tz,
            [
                Layer("Weekly", people, start, dt.timedelta(weeks=1)),
                Layer("Office", people[::-1], start, dt.timedelta(days=1), restrictions=office),
            ],
            teams=[Team(f"Team {t}", [*people, boss])],
        )
        secondary = Schedule(
            f"Team {t} Secondary",
            tz,
            [
                Layer(
                    "Weekly",
                    people,
                    start,
                    dt.timedelta(weeks=1),
                    rotation_virtual_start=start + dt.timedelta(weeks=1),
                )
            ],
        )
        policies.append(
            EscalationPolicy(
                f"Team {t}",
                [
                    EscalationRule(10, [Target.schedule(primary)]),
                    EscalationRule(10, [Target.schedule(secondary)]),
                    EscalationRule(15, [Target.user(boss)]),
                ],
                num_loops=1,
            )
        )
    return OnCallPlan(escalation_policies=policies)


def timed(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    best = math.inf
    result = None
    for _ in range(runs):
        gc.collect()
        started = time.process_time()
        result = func()
        best = min(best, time.process_time() - started)
    return best, result


def exponent(sizes: list[int], times: list[float]) -> float:
    """The slope of the least-squares line through (log size, log time)."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(max(t, 1e-9)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def read_all(plan: OnCallPlan) -> int:
    count = 0
    for final in render_each(plan, SINCE, UNTIL):
        for entry in final.entries:
            entry.start, entry.end, entry.user  # noqa: B018 - every entry read
            count += 1
    return count


def measure(teams: int, runs: int, skip: set[str]) -> dict[str, float]:
    from oncall_planner.report.sarif import to_sarif

    with tempfile.TemporaryDirectory() as folder:
        write_terraform_json(build(teams), Path(folder) / "oncall.tf.json", now=NOW)
        t_import, imported = timed(lambda: import_terraform(folder), runs)
    plan = imported.plan
    findings = check(plan, SINCE, UNTIL, now=NOW)
    steps: dict[str, Callable[[], Any]] = {
        "import": lambda: None,
        "render": lambda: read_all(plan),
        "check": lambda: check(plan, SINCE, UNTIL, now=NOW),
        "fairness report": lambda: fairness_report(plan, SINCE, UNTIL),
        "SARIF": lambda: to_sarif(
            findings, RULES, tool_version=__version__, locations=imported.locations
        ),
    }
    out: dict[str, float] = {"import": t_import}
    for name, func in steps.items():
        if name != "import" and name not in skip:
            out[name] = timed(func, runs)[0]
    shown = ", ".join(f"{k} {v:.2f} s" for k, v in out.items())
    print(
        f"  {teams:>5} teams ({len(plan.all_schedules):,} schedules, {len(findings):,} "
        f"findings): {shown}"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--teams", default="100,1000,3000", help="sizes (100,1000,3000)")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.teams.split(",")]
    print(
        f"scale_bench: {', '.join(f'{n:,}' for n in sizes)} teams (2 schedules, 5 layers' worth "
        f"of turns and a 3-level policy each), {SINCE:%Y-%m-%d} + 4 weeks; CPU time"
    )
    steps = ("import", "render", "check", "fairness report", "SARIF")
    times: dict[str, list[float]] = {step: [] for step in steps}
    skip: set[str] = set()
    for i, n in enumerate(sizes):
        for step, measured in measure(n, 1 if n >= 3000 else 2, skip).items():
            times[step].append(measured)
        if i + 1 < len(sizes):
            for step in steps:
                done = times[step]
                if step in skip or len(done) < 2:
                    continue
                k = exponent(sizes[: len(done)], done)
                if done[-1] * (sizes[i + 1] / n) ** max(k, 1.0) > BUDGET_SECONDS:
                    skip.add(step)
    for step in steps:
        done = times[step]
        ran = sizes[: len(done)]
        k = exponent(ran, done)
        verdict = "met" if k <= GOAL_EXPONENT else "NOT met"
        note = (
            ""
            if len(done) == len(sizes)
            else f"; not run at {', '.join(f'{n:,}' for n in sizes[len(done) :])} teams, where "
            f"it would take over {BUDGET_SECONDS:.0f} s"
        )
        print(
            f"RESULT: {step} grows as teams^{k:.2f} ({done[-1] / done[0]:.0f}x the time for "
            f"{ran[-1] / ran[0]:.0f}x the teams{note}; goal exponent <= {GOAL_EXPONENT}: "
            f"{verdict})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
