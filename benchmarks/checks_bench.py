"""Benchmark: run every check on a year of a realistic set-up, against rendering it alone.

The set-up (deterministic): 20 teams, each with a primary schedule (weekly turns, plus a layer of
daily business-hours turns on top), a secondary schedule a week out of step, and a policy of three
levels (primary, secondary, a manager) looping twice; 200 pages per team. The baseline is rendering
every schedule over the year, which any check must do at least once; the ratio says how much the
rules cost on top of that. Issue 13's goal is ``check()`` within 3x one render of the same plan:
each schedule is rendered once and shared by every rule, so what is left is the rules' own work
(the slowest rules are listed). Times are CPU time of this process, the best of 3 runs.

Run with ``make bench`` (or ``python benchmarks/checks_bench.py [--teams N]``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from oncall_planner import (
    RULES,
    CheckConfig,
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Page,
    Restriction,
    Schedule,
    Target,
    User,
    check,
    render,
)

ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata")
SINCE = dt.datetime(2025, 1, 6, tzinfo=ZoneInfo("Etc/UTC"))
UNTIL = SINCE + dt.timedelta(weeks=52)
GOAL = 3.0


def build(teams: int, rng: random.Random) -> tuple[OnCallPlan, list[Page]]:
    policies, pages = [], []
    for t in range(teams):
        tz = ZONES[t % len(ZONES)]
        people = [User(f"T{t}P{i}", f"t{t}p{i}@example.com", tz) for i in range(6)]
        start = SINCE.astimezone(ZoneInfo(tz)).replace(hour=0, minute=0)
        office = [Restriction.daily("09:00", dt.timedelta(hours=8))]
        primary = Schedule(
            f"Team {t} primary",
            tz,
            [
                Layer("Weekly", people, start, dt.timedelta(weeks=1)),
                Layer("Office", people[::-1], start, dt.timedelta(days=1), restrictions=office),
            ],
        )
        secondary = Schedule(
            f"Team {t} secondary",
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
        boss = User(f"Boss {t}", f"boss{t}@example.com", tz)
        policies.append(
            EscalationPolicy(
                f"Team {t}",
                [
                    EscalationRule(10, [Target.schedule(primary)]),
                    EscalationRule(10, [Target.schedule(secondary)]),
                    EscalationRule(15, [Target.user(boss)]),
                ],
                num_loops=2,
            )
        )
        for _ in range(200):
            at = SINCE + dt.timedelta(minutes=rng.randrange(52 * 7 * 24 * 60))
            pages.append(Page(at, policy=f"Team {t}", urgency=rng.choice(("high", "low"))))
    return OnCallPlan(escalation_policies=policies), pages


def best_of(runs: int, func: object) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        func()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=20)
    args = parser.parse_args()
    plan, pages = build(args.teams, random.Random(3))

    def baseline() -> None:
        for schedule in plan.schedules:
            render(schedule, SINCE, UNTIL)

    def checks() -> None:
        check(plan, SINCE, UNTIL, pages=pages)

    base = best_of(3, baseline)
    full = best_of(3, checks)
    found = check(plan, SINCE, UNTIL, pages=pages)
    print(
        f"checks: {args.teams} teams, {len(plan.schedules)} schedules, {len(pages)} pages, "
        f"2025 (52 weeks), {len(found)} findings"
    )
    print(f"  render every schedule (baseline): {base * 1000:8.1f} ms")
    print(f"  check() with all rules:           {full * 1000:8.1f} ms")
    # Each rule alone (the shared render included, so each is at least one render).
    alone = {
        code: best_of(
            1,
            lambda code=code: check(  # type: ignore[misc]
                plan, SINCE, UNTIL, pages=pages, config=CheckConfig(select=[code])
            ),
        )
        for code in sorted(RULES)
    }
    slowest = sorted(alone, key=lambda code: -alone[code])[:5]
    print(
        "  slowest rules alone (x one render): "
        + ", ".join(f"{code} {RULES[code].name} {alone[code] / base:.1f}x" for code in slowest)
    )
    ratio = full / base
    print(
        f"RESULT: check() takes {ratio:.1f}x one render of the same plan (goal <= {GOAL:.0f}x: "
        f"{'met' if ratio <= GOAL else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
