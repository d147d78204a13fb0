"""Writes the seed team's synthetic page history for March 2025 (examples/health/*.json).

Made up for the demo, in the shapes of PagerDuty's REST API schema (``GET /incidents``,
``GET /log_entries`` with ``include[]=channels``, ``GET /incidents/{id}/alerts``): who is paged
follows the seed plan (the final schedule at level 1, the engineering manager at level 2 after
10 minutes). Deterministic: ``python examples/health/make_history.py`` writes the same bytes
every time; the files are committed, so the demo does not need to run this.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from seed_plan import MANAGER, NEW_YORK, build_plan  # noqa: E402

from oncall_planner import render  # noqa: E402

UTC = dt.timezone.utc
SINCE = dt.datetime(2025, 3, 1, tzinfo=NEW_YORK)
UNTIL = dt.datetime(2025, 4, 1, tzinfo=NEW_YORK)
IDS = {
    "Alice": "PALICE1",
    "Bob": "PBOB001",
    "Carol": "PCAROL1",
    "Dave": "PDAVE01",
    "Engineering Manager": "PMGR001",
}
PHONES = {name: f"+1555010{i}" for i, name in enumerate(IDS)}
SERVICE = {"id": "PSVC001", "type": "service_reference", "summary": "checkout-api"}
POLICY = {"id": "PEP0001", "type": "escalation_policy_reference", "summary": "Checkout Escalation"}
TITLES = (
    "checkout 5xx above 2%",
    "payment provider timeouts",
    "p99 latency above 800 ms",
    "order queue backlog",
    "TLS certificate expires in 7 days",
    "inventory sync lagging",
)


def user_ref(name: str) -> dict[str, str]:
    return {"id": IDS.get(name, "PSAM099"), "type": "user_reference", "summary": name}


def local(at: dt.datetime) -> str:
    """Log entries come in the account's zone (New York), with seconds."""
    return at.astimezone(NEW_YORK).isoformat()


def utc(at: dt.datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


class Writer:
    def __init__(self) -> None:
        self.incidents: list[dict[str, Any]] = []
        self.entries: list[dict[str, Any]] = []
        self.alerts: list[dict[str, Any]] = []
        self.n = 0

    def entry(self, incident: str, kind: str, at: dt.datetime, **fields: Any) -> dict[str, Any]:
        self.n += 1
        item = {
            "id": f"L{self.n:05d}",
            "type": f"{kind}_log_entry",
            "created_at": local(at),
            "incident": {"id": incident, "type": "incident_reference"},
            **fields,
        }
        self.entries.append(item)
        return item

    def notify(self, incident: str, at: dt.datetime, who: str, method: str) -> None:
        address = (
            None
            if method == "push"
            else (
                f"{who.split()[0].lower()}@example.com"
                if method == "email"
                else PHONES.get(who, "+15550109")
            )
        )
        self.entry(
            incident,
            "notify",
            at,
            user=user_ref(who),
            channel={
                "type": "auto",
                "notification": {
                    "type": f"{method}_notification",
                    "address": address,
                    "status": "success",
                },
            },
        )

    def incident(
        self,
        rng: random.Random,
        at: dt.datetime,
        who: str,
        *,
        urgency: str = "high",
        priority: str | None = None,
        ack_after: int | None = None,
        resolve_after: int = 1800,
        title: str | None = None,
        alert_before: int | None = None,
        helper: str | None = None,
    ) -> None:
        number = 1001 + len(self.incidents)
        ident = f"Q{number}"
        service_agent = {"id": "PSVC001", "type": "service_reference", "summary": "checkout-api"}
        self.entry(ident, "trigger", at, agent=service_agent, channel={"type": "api"})
        self.entry(
            ident,
            "assign",
            at,
            agent=service_agent,
            channel={"type": "auto"},
            assignees=[user_ref(who)],
        )
        if urgency == "high":
            self.notify(ident, at + dt.timedelta(seconds=1), who, "push")
            self.notify(ident, at + dt.timedelta(seconds=2), who, "sms")
            self.notify(ident, at + dt.timedelta(seconds=3), who, "email")
            if ack_after is None or ack_after > 120:  # the phone rule fires after two minutes
                self.notify(ident, at + dt.timedelta(seconds=120), who, "phone")
            if ack_after is None or ack_after > 600:  # the policy escalates after ten minutes
                later = at + dt.timedelta(seconds=600)
                self.entry(
                    ident,
                    "escalate",
                    later,
                    agent=service_agent,
                    channel={"type": "timeout"},
                    assignees=[user_ref(MANAGER.name)],
                )
                self.notify(ident, later + dt.timedelta(seconds=1), MANAGER.name, "push")
                self.notify(ident, later + dt.timedelta(seconds=2), MANAGER.name, "phone")
        else:
            self.notify(ident, at + dt.timedelta(seconds=1), who, "email")
        if helper is not None:  # a responder added by hand, who is not in the plan
            self.notify(ident, at + dt.timedelta(seconds=300), helper, "push")
        resolved = at + dt.timedelta(seconds=resolve_after)
        if ack_after is not None:
            self.entry(
                ident,
                "acknowledge",
                at + dt.timedelta(seconds=ack_after),
                agent=user_ref(who),
                channel={"type": "mobile"},
                acknowledgement_timeout=1800,
            )
            self.entry(ident, "resolve", resolved, agent=user_ref(who), channel={"type": "website"})
            by: dict[str, str] = user_ref(who)
        else:
            self.entry(ident, "resolve", resolved, agent=service_agent, channel={"type": "auto"})
            by = service_agent
        self.incidents.append(
            {
                "id": ident,
                "type": "incident",
                "incident_number": number,
                "title": title or rng.choice(TITLES),
                "summary": f"[#{number}] {title or 'incident'}",
                "status": "resolved",
                "urgency": urgency,
                "created_at": utc(at),
                "updated_at": utc(resolved),
                "resolved_at": utc(resolved),
                "last_status_change_at": utc(resolved),
                "last_status_change_by": by,
                "service": SERVICE,
                "escalation_policy": POLICY,
                "priority": None
                if priority is None
                else {"id": f"PRI{priority}", "type": "priority_reference", "summary": priority},
                "assignments": [],
                "acknowledgements": [],
                "assigned_via": "escalation_policy",
                "resolve_reason": None,
            }
        )
        alert_at = at - dt.timedelta(seconds=alert_before or 0)
        self.alerts.append(
            {
                "id": f"A{number}",
                "type": "alert",
                "created_at": utc(alert_at),
                "status": "resolved",
                "incident": {"id": ident, "type": "incident_reference"},
            }
        )


def main() -> None:
    plan = build_plan()
    final = render(plan.schedules[0], SINCE, UNTIL)
    rng = random.Random(2025)
    w = Writer()
    day = SINCE
    times: list[tuple[dt.datetime, str]] = []
    while day < UNTIL:
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            hour = rng.choice((1, 3, 9, 10, 11, 14, 15, 16, 19, 21, 23))
            at = (day + dt.timedelta(hours=hour, minutes=rng.randrange(60))).astimezone(UTC)
            at += dt.timedelta(seconds=rng.randrange(60))
            times.append((at, "normal"))
        day = (day + dt.timedelta(days=1)).astimezone(NEW_YORK)
        day = dt.datetime.combine(day.date(), dt.time(0), NEW_YORK)
    # Bob's week: a disk-latency alert flaps every night and resolves itself each time.
    for night in range(12, 19):
        start = dt.datetime(2025, 3, night, 23, 5, tzinfo=NEW_YORK).astimezone(UTC)
        for k in range(4):
            at = start + dt.timedelta(minutes=50 * k, seconds=rng.randrange(60))
            times.append((at, "flap"))
    times.sort()
    for i, (at, kind) in enumerate(times):
        who = final.on_call_at(at)
        assert who is not None
        if kind == "flap":
            w.incident(
                rng,
                at,
                who.name,
                priority=None,
                ack_after=None,
                resolve_after=rng.randrange(90, 240),
                title="disk latency on db-7 (flapping)",
            )
            continue
        urgency = "low" if rng.random() < 0.15 else "high"
        priority = rng.choice(("P1", "P2", "P2", "P3", "P3", None, None, None))
        ack = None if urgency == "low" else rng.choice((45, 70, 95, 150, 240, 420, 700))
        w.incident(
            rng,
            at,
            who.name,
            urgency=urgency,
            priority=priority if urgency == "high" else None,
            ack_after=ack,
            resolve_after=(ack or 0) + rng.randrange(600, 5400),
            alert_before=rng.choice((0, 0, 120, 300, 420)),
            helper="Sam Lee" if i == 5 else None,
        )
    newest_first = sorted(w.entries, key=lambda e: (e["created_at"], e["id"]), reverse=True)
    # Two overlapping exports saved into one file: the first page's last entry comes again.
    pages = [
        {"log_entries": newest_first[:100], "limit": 100, "offset": 0, "more": True, "total": None},
        {
            "log_entries": newest_first[99:],
            "limit": 100,
            "offset": 100,
            "more": False,
            "total": None,
        },
    ]
    (HERE / "log_entries.json").write_text(json.dumps(pages, indent=1) + "\n", encoding="utf-8")
    incidents = {
        "incidents": sorted(w.incidents, key=lambda i: i["created_at"], reverse=True),
        "limit": 100,
        "offset": 0,
        "more": False,
        "total": None,
    }
    (HERE / "incidents.json").write_text(json.dumps(incidents, indent=1) + "\n", encoding="utf-8")
    alerts = {"alerts": w.alerts, "limit": 100, "offset": 0, "more": False, "total": None}
    (HERE / "alerts.json").write_text(json.dumps(alerts, indent=1) + "\n", encoding="utf-8")
    print(f"{len(w.incidents)} incidents, {len(w.entries)} log entries, {len(w.alerts)} alerts")


if __name__ == "__main__":
    main()
