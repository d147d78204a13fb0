"""Small builders for the checks tests: users, layers, schedules and policies in Etc/UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from oncall_planner import (
    CheckConfig,
    EscalationPolicy,
    EscalationRule,
    Finding,
    Layer,
    OnCallPlan,
    Schedule,
    Target,
    User,
    check,
)

UTC = ZoneInfo("Etc/UTC")
T0 = dt.datetime(2025, 1, 6, tzinfo=UTC)  # a Monday
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(weeks=1)


def user(name: str, time_zone: str | None = "Etc/UTC") -> User:
    return User(name, f"{name.lower()}@example.com", time_zone)


A, B, C, D = (user(n) for n in ("Ann", "Ben", "Cat", "Dan"))
BOSS = user("Boss")


def layer(name: str, users: list[User], turn: dt.timedelta = WEEK, **kw: object) -> Layer:
    kw.setdefault("start", T0)
    return Layer(name, users, turn_length=turn, **kw)  # type: ignore[arg-type]


def schedule(name: str, *layers: Layer, tz: str = "Etc/UTC") -> Schedule:
    return Schedule(name, tz, list(layers))


def policy(
    name: str, *levels: tuple[int, list[object]], loops: int = 0, **kw: object
) -> EscalationPolicy:
    rules = []
    for delay, targets in levels:
        rules.append(
            EscalationRule(
                delay,
                [Target.user(t) if isinstance(t, User) else Target.schedule(t) for t in targets],
                **kw,  # type: ignore[arg-type]
            )
        )
    return EscalationPolicy(name, rules, num_loops=loops)


def run(
    code: str,
    plan: OnCallPlan,
    weeks: int = 4,
    thresholds: dict[str, object] | None = None,
    **kw: object,
) -> list[Finding]:
    """The findings of one rule over ``weeks`` from T0."""
    config = CheckConfig(select=[code], thresholds={code: thresholds} if thresholds else {})
    found = check(plan, T0, T0 + weeks * WEEK, config=config, **kw)  # type: ignore[arg-type]
    assert all(f.code == code for f in found)
    return list(found)


def weekly_pair(name: str = "Primary") -> Schedule:
    """A 24/7 weekly rotation of Ann and Ben."""
    return schedule(name, layer("L", [A, B]))
