"""How much a fairness report costs compared with rendering the same schedules.

Baseline: rendering every schedule of a plan over one year. Measured: ``fairness_report`` over the
same year (it renders, then splits everyone's time by hour kind, day type and holiday), and an
``audit`` of 50 cases per property. Prints ratios against the baseline from the same run.

Then ``audit()`` on 30 teams (a primary and a secondary schedule of four people each, a policy of
two levels), 25 cases per property: examples per second, and what one example costs in renders
of the plan over the audit's window (one rotation cycle). Issue 13 measured 5.5 renders per
example (38 examples/s on 30 teams) and asks for twice the examples per second: at most 2.75.
Times are CPU time of this process.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

from seed_plan import NEW_YORK, build_plan

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Schedule,
    Target,
    User,
    audit,
    fairness_report,
    render,
)
from oncall_planner.fairness.horizon import MAX_CYCLE, cycle_length, default_since

SINCE = dt.datetime(2025, 1, 1, tzinfo=NEW_YORK)
UNTIL = dt.datetime(2026, 1, 1, tzinfo=NEW_YORK)
ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata")
GOAL_RENDERS_PER_EXAMPLE = 2.75


def teams_plan(teams: int) -> OnCallPlan:
    """``teams`` teams: a weekly primary and a weekly secondary of four people each."""
    policies = []
    for t in range(teams):
        tz = ZONES[t % len(ZONES)]
        people = [User(f"T{t}P{i}", f"t{t}p{i}@example.com") for i in range(8)]
        start = dt.datetime(2025, 1, 6, 9, tzinfo=dt.timezone.utc)
        week = dt.timedelta(weeks=1)
        primary = Schedule(f"Team {t} primary", tz, [Layer("Weekly", people[:4], start, week)])
        secondary = Schedule(f"Team {t} secondary", tz, [Layer("Weekly", people[4:], start, week)])
        policies.append(
            EscalationPolicy(
                f"Team {t}",
                [
                    EscalationRule(10, [Target.schedule(primary)]),
                    EscalationRule(10, [Target.schedule(secondary)]),
                ],
            )
        )
    return OnCallPlan(escalation_policies=policies)


def audit_cost(teams: int = 30) -> None:
    plan = teams_plan(teams)
    start = default_since(plan.all_schedules)
    assert start is not None
    cycle = min(cycle_length(plan.all_schedules, start) or dt.timedelta(weeks=1), MAX_CYCLE)
    one = best_of(lambda: [render(s, start, start + cycle) for s in plan.all_schedules])
    started = time.process_time()
    report = audit(plan, max_examples=25, seed=1)
    spent = time.process_time() - started
    examples = sum(r.tried + r.shrink_steps for r in report.results)
    per = spent / examples / one
    print(
        f"audit, {teams} teams x 4 properties: {examples} examples in {spent:.2f} s CPU = "
        f"{examples / spent:.0f} examples/s; one render of the plan over the audit window "
        f"({cycle.days} days) {one * 1000:.1f} ms"
    )
    print(
        f"RESULT: audit() costs {per:.2f} renders of the plan per example (goal <= "
        f"{GOAL_RENDERS_PER_EXAMPLE}, twice the 5.5 the issue measured: "
        f"{'met' if per <= GOAL_RENDERS_PER_EXAMPLE else 'NOT met'})"
    )


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def main() -> None:
    plan = build_plan()
    regions = {u.email: ("US", "NY") for u in plan.users}
    base = best_of(lambda: [render(s, SINCE, UNTIL) for s in plan.schedules])
    report = best_of(lambda: fairness_report(plan, SINCE, UNTIL, holidays=regions))
    html = best_of(lambda: fairness_report(plan, SINCE, UNTIL).to_html())
    audited = best_of(lambda: audit(plan, max_examples=50, seed=1), repeat=2)
    print(f"render, 1 year (baseline)           {base * 1000:8.2f} ms   1.0x")
    print(f"fairness_report, 1 year, holidays   {report * 1000:8.2f} ms {report / base:5.1f}x")
    print(f"fairness_report + to_html, 1 year   {html * 1000:8.2f} ms {html / base:5.1f}x")
    print(f"audit, 4 properties x 50 cases      {audited * 1000:8.2f} ms {audited / base:5.1f}x")
    audit_cost()


if __name__ == "__main__":
    main()
