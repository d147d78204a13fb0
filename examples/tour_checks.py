"""`make demo`, checks section: lint the seed team's set-up, walk one escalation, read page history.

The seed's "Secondary" layer covers 24/7 and sits above "Primary" in the same schedule, so Primary
is never on call: the first finding says so. Then the escalation timeline of one incident, and the
checks again with a few pages (built here, with fixed dates) to show the page rules and metrics.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_plan import CAROL, NEW_YORK, build_plan

from oncall_planner import Finding, Page, check, escalation_timeline, page_metrics, render

SINCE = dt.datetime(2025, 3, 3, tzinfo=NEW_YORK)  # fixed dates: output never depends on "now"
UNTIL = SINCE + dt.timedelta(weeks=8)


def _local(at: dt.datetime) -> str:
    return at.astimezone(NEW_YORK).strftime("%a %Y-%m-%d %H:%M %Z")


def _show(finding: Finding) -> None:
    print(f"  {finding.to_text()}")
    if finding.intervals:
        first = finding.intervals[0]
        more = f" (+{len(finding.intervals) - 1} more)" if len(finding.intervals) > 1 else ""
        print(f"      when: {_local(first.start)} -> {_local(first.end)}{more}")
    print(f"      hint: {finding.hint}")


def _pages() -> list[Page]:
    """Made-up pages for the seed team: three high-urgency ones in Alice's week, one at night."""
    minute = dt.timedelta(minutes=1)

    def page(day: int, hour: int, ack: int, resolve: int, **kw: object) -> Page:
        at = dt.datetime(2025, 3, day, hour, 5, tzinfo=NEW_YORK)
        return Page(
            at,
            acknowledged_at=at + ack * minute,
            resolved_at=at + resolve * minute,
            **kw,  # type: ignore[arg-type]
        )

    return [
        page(6, 14, 4, 35, urgency="high", service="checkout-api"),
        page(7, 2, 9, 80, urgency="high", service="checkout-api"),
        page(8, 16, 3, 20, urgency="high", service="payments"),
        page(9, 11, 6, 25, urgency="low", service="payments"),
        page(20, 10, 2, 15, urgency="high", service="checkout-api", user=CAROL),
    ]


def run() -> None:
    plan = build_plan()
    print("Checks on the seed's set-up, 2025-03-03 + 8 weeks (see docs/checks.md):")
    for finding in check(plan, SINCE, UNTIL):
        _show(finding)

    policy = plan.escalation_policies[0]
    at = dt.datetime(2025, 3, 7, 2, 5, tzinfo=NEW_YORK)
    print(f"\nEscalation of an incident nobody acknowledges, triggered {_local(at)}:")
    for n in escalation_timeline(policy, at):
        who = n.user.name if n.user else "nobody"
        note = f"  ({n.note})" if n.note else ""
        print(f"  +{n.minute:>2} min  loop {n.loop} level {n.level}  {n.target.name}: {who}{note}")

    pages = _pages()
    print("\nWith some page history (made up, fixed dates):")
    for finding in check(plan, SINCE, UNTIL, pages=pages):
        if finding.code.startswith("OCP5"):
            _show(finding)
    final = render(plan.schedules[0], SINCE, UNTIL)
    print()
    for line in page_metrics(pages, final.entries).to_text().splitlines():
        print(f"  {line}")


if __name__ == "__main__":
    run()
