"""How much a fairness report costs compared with rendering the same schedules.

Baseline: rendering every schedule of a plan over one year. Measured: ``fairness_report`` over the
same year (it renders, then splits everyone's time by hour kind, day type and holiday), and an
``audit`` of 50 cases per property. Prints ratios against the baseline from the same run.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

from seed_plan import NEW_YORK, build_plan

from oncall_planner import audit, fairness_report, render

SINCE = dt.datetime(2025, 1, 1, tzinfo=NEW_YORK)
UNTIL = dt.datetime(2026, 1, 1, tzinfo=NEW_YORK)


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
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


if __name__ == "__main__":
    main()
