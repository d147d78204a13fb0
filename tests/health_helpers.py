"""Small builders shared by the health tests: a hand-built history, one log entry at a time."""

from __future__ import annotations

import datetime as dt
import itertools
import sys
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
from oncall_planner.health import History, LogEntry, PersonRef

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "examples"))

UTC = dt.timezone.utc
NY = ZoneInfo("America/New_York")
HOUR = 3600

ANN = User("Ann", "ann@example.com", "America/New_York")
BEN = User("Ben", "ben@example.com", "Europe/London")
BOSS = User("Boss", "boss@example.com", "America/New_York")
REFS = {
    ANN: PersonRef("PANN001", "Ann"),
    BEN: PersonRef("PBEN001", "Ben"),
    BOSS: PersonRef("PBOSS01", "Boss"),
}
SERVICE = PersonRef("PSVC001", "checkout-api")

_ids = itertools.count(1)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def entry(kind: str, at: dt.datetime, incident: str = "Q1", **fields: object) -> LogEntry:
    return LogEntry(id=f"E{next(_ids):06d}", kind=kind, at=at, incident=incident, **fields)  # type: ignore[arg-type]


def notify(
    who: User, at: dt.datetime, method: str, address: str | None = None, incident: str = "Q1"
) -> LogEntry:
    if address is None and method != "push":
        address = "+15550100" if method in ("sms", "phone") else who.email
    return entry(
        "notify", at, incident, user=REFS[who], method=method, address=address, channel="auto"
    )


def by(
    who: User | None, kind: str, at: dt.datetime, incident: str = "Q1", **fields: object
) -> LogEntry:
    """An entry some person did (``who``), or the service (``None``)."""
    if who is None:
        return entry(kind, at, incident, agent=SERVICE, agent_type="service", **fields)
    return entry(kind, at, incident, agent=REFS[who], agent_type="user", **fields)


def assign(who: User, at: dt.datetime, incident: str = "Q1", kind: str = "assign") -> LogEntry:
    return entry(kind, at, incident, agent=SERVICE, agent_type="service", assignees=(REFS[who],))


def history(*entries: LogEntry, **more: object) -> History:
    return History(log_entries=entries, **more)  # type: ignore[arg-type]


def weekly_plan(
    start: dt.datetime, people: tuple[User, ...] = (ANN,), boss: User | None = BOSS
) -> OnCallPlan:
    """One weekly layer of ``people`` (level 1) and, when given, ``boss`` on level 2."""
    schedule = Schedule(
        "Ops", "America/New_York", [Layer("Main", people, start, dt.timedelta(weeks=1))]
    )
    rules = [EscalationRule(10, [Target.schedule(schedule)])]
    if boss is not None:
        rules.append(EscalationRule(15, [Target.user(boss)]))
    return OnCallPlan(escalation_policies=[EscalationPolicy("Ops", rules)])
