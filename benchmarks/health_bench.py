"""Benchmark: read 100,000 PagerDuty log entries and compute the health report, against a plain
``json.load`` of the same file.

The file (deterministic, written to a temporary folder): a year of incidents for a team of
eight, each as PagerDuty logs it (trigger, assign, push, SMS, email and sometimes phone
notifications, acknowledgement, resolution), saved as ``GET /log_entries`` responses of 100
entries. The baseline is ``json.load`` of that file: any reader must at least decode it. The
ratios say what reading the entries into checked values costs on top (goal: within 5x), and the
whole report (interruptions merged, every metric, the findings; goal: within 10x).

Run with ``make bench`` (or ``python benchmarks/health_bench.py [--entries N]``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Schedule,
    Target,
    User,
)
from oncall_planner.health import health_report
from oncall_planner.ingest.health import load_history

NY = ZoneInfo("America/New_York")
SINCE = dt.datetime(2025, 1, 6, tzinfo=NY)
UNTIL = SINCE + dt.timedelta(weeks=52)
PEOPLE = [User(f"P{i}", f"p{i}@example.com", "America/New_York") for i in range(8)]
LOAD_GOAL, REPORT_GOAL = 5.0, 10.0


def plan() -> OnCallPlan:
    schedule = Schedule(
        "Ops", "America/New_York", [Layer("Weekly", PEOPLE, SINCE, dt.timedelta(weeks=1))]
    )
    boss = User("Boss", "boss@example.com", "America/New_York")
    return OnCallPlan(
        escalation_policies=[
            EscalationPolicy(
                "Ops",
                [
                    EscalationRule(10, [Target.schedule(schedule)]),
                    EscalationRule(15, [Target.user(boss)]),
                ],
            )
        ]
    )


def _incident(n: int, rng: random.Random, entries: list[dict[str, object]]) -> None:
    """One incident's log entries, as PagerDuty writes them, appended to ``entries``."""
    incident = {"id": f"Q{n:06d}", "type": "incident_reference"}
    span = int((UNTIL - SINCE).total_seconds())
    at = SINCE + dt.timedelta(seconds=rng.randrange(span))
    who = PEOPLE[rng.randrange(len(PEOPLE))]
    user = {"id": f"PU{who.name}", "type": "user_reference", "summary": who.name}
    service = {"id": "PSVC1", "type": "service_reference", "summary": "api"}

    def add(kind: str, seconds: int, **fields: object) -> None:
        entries.append(
            {
                "id": f"L{len(entries):07d}",
                "type": f"{kind}_log_entry",
                "created_at": (at + dt.timedelta(seconds=seconds)).astimezone(NY).isoformat(),
                "incident": incident,
                **fields,
            }
        )

    def note(seconds: int, method: str, address: str | None) -> None:
        notification = {"type": f"{method}_notification", "address": address, "status": "success"}
        add("notify", seconds, user=user, channel={"type": "auto", "notification": notification})

    add("trigger", 0, agent=service, channel={"type": "api"})
    add("assign", 0, agent=service, channel={"type": "auto"}, assignees=[user])
    note(1, "push", None)
    note(2, "sms", "+15550100")
    note(3, "email", f"{who.name}@example.com")
    ack = rng.choice((40, 90, 200, 400))
    if ack > 120:
        note(120, "phone", "+15550100")
    add("acknowledge", ack, agent=user, channel={"type": "mobile"})
    add("resolve", ack + rng.randrange(300, 3600), agent=user, channel={"type": "website"})


def write_log(path: Path, count: int, rng: random.Random) -> int:
    """About ``count`` log entries, as 100-entry responses; returns how many were written."""
    entries: list[dict[str, object]] = []
    n = 0
    while len(entries) < count:
        n += 1
        _incident(n, rng, entries)
    entries = entries[:count]
    pages = [
        {
            "log_entries": entries[i : i + 100],
            "limit": 100,
            "offset": i,
            "more": i + 100 < len(entries),
        }
        for i in range(0, len(entries), 100)
    ]
    path.write_text(json.dumps(pages), encoding="utf-8")
    return len(entries)


def best_of(runs: int, func: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    the_plan = plan()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log_entries.json"
        written = write_log(path, args.entries, random.Random(14))
        size = path.stat().st_size

        def baseline() -> None:
            with open(path, encoding="utf-8") as handle:
                json.load(handle)

        def load() -> None:
            load_history(path)

        base = best_of(3, baseline)
        read = best_of(3, load)
        start = time.perf_counter()
        out = health_report(the_plan, load_history(path), SINCE, UNTIL)
        full = time.perf_counter() - start
    total = sum(p.interruptions for p in out.people if isinstance(p.interruptions, int))
    print(
        f"health: {written:,} log entries ({size / 1e6:.1f} MB), {out.incidents.count:,} incidents, "
        f"{total:,} interruptions, {len(out.findings)} findings"
    )
    print(f"  json.load of the file (baseline):  {base * 1000:8.1f} ms")
    print(f"  load_history():                    {read * 1000:8.1f} ms")
    print(f"  load_history() + health_report():  {full * 1000:8.1f} ms")
    for label, value, goal in (
        ("load/json", read / base, LOAD_GOAL),
        ("report/json", full / base, REPORT_GOAL),
    ):
        verdict = "met" if value <= goal else "NOT met"
        print(f"  ratio {label + ':':13}{value:18.1f}x  (goal: within {goal:g}x, {verdict})")


if __name__ == "__main__":
    main()
