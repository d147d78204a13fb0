"""`make demo`, fairness section: the seed team's fairness report and what the audit finds.

Writes ``out/fairness/seed-fairness.md`` and ``out/fairness/seed-fairness.html`` (``out/`` is
git-ignored) and prints a summary. Everything is computed over fixed dates, never "now".
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_plan import ALICE, BOB, CAROL, DAVE, MANAGER, build_plan

from oncall_planner import PayRates, audit, fairness_report

OUT = Path(__file__).resolve().parents[1] / "out" / "fairness"
#: The seed team is in New York; its public holidays are New York State's.
HOLIDAYS = {u.email: ("US", "NY") for u in (ALICE, BOB, CAROL, DAVE, MANAGER)}
RATES = PayRates(per_hour=5, per_shift=100, weekday=1, weekend=1.5, holiday=2)


def run(out_dir: Path | None = None) -> None:
    """Print the fairness section; write the reports into ``out_dir`` (default ``out/fairness``)."""
    out = OUT if out_dir is None else out_dir
    plan = build_plan()
    # Three cycles (12 weeks) from the seed's start: still whole cycles, and long enough to meet
    # New York's January and February holidays.
    report = fairness_report(plan, cycles=3, holidays=HOLIDAYS, rates=RATES)
    out.mkdir(parents=True, exist_ok=True)
    (out / "seed-fairness.md").write_text(report.to_markdown(), encoding="utf-8")
    (out / "seed-fairness.html").write_text(report.to_html(), encoding="utf-8")

    print(f"Horizon: {report.horizon.describe()}")
    print("Person                 hours  level 1 lvl 2+  night  weekend  holiday  burden   pay")
    for p in report.people:
        pay = f"{p.pay.total:8.2f}" if p.pay is not None else ""
        print(
            f"{p.user.name:<21} {p.hours:6.0f} {p.level1_hours:8.0f} {p.later_hours:6.0f} "
            f"{p.night_hours:6.0f} {p.weekend_hours:8.0f} {p.holiday_hours:8.0f} "
            f"{p.burden:7.0f} {pay}"
        )
    print(
        f"Rostered people: balance {report.hours.balance:.3f} on hours, "
        f"{report.burden.balance:.3f} on weighted burden; Gini {report.hours.gini:.3f} / "
        f"{report.burden.gini:.3f}"
    )
    where = " in out/fairness/" if out_dir is None else ""
    print(f"Wrote seed-fairness.md and seed-fairness.html{where}")
    print()
    print(audit(plan, max_examples=100, seed=2025).to_text(), end="")
    print()


if __name__ == "__main__":
    run()
