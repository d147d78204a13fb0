"""Who is on call, and when, from the plan's renders: the one job of this module.

:func:`_level_spans` reads the render result of each of ``plan.all_schedules`` through the
escalation policies and gives every person their time at level 1 and at level 2 or higher, as
merged spans of integer seconds (a schedule no policy targets counts as level 1; time at level 1
is not counted again at level 2+). The rest cuts those spans to a window and into the report's
periods and weeks. :mod:`oncall_planner.health.report` turns them into the per-person numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from oncall_planner.fairness.load import union
from oncall_planner.model import OnCallPlan
from oncall_planner.render import FinalSchedule
from oncall_planner.timeutil import to_seconds, zone

#: A span of time as ``(start, end)`` integer seconds, end exclusive.
Span = tuple[int, int]


def _schedules(plan: OnCallPlan) -> tuple[Any, ...]:
    """Both kinds of schedule, layer-based first (``plan.all_schedules``)."""
    return tuple(plan.all_schedules)


def _level_spans(
    plan: OnCallPlan, finals: Mapping[str, FinalSchedule], lo: int, hi: int
) -> dict[str, tuple[list[Span], list[Span]]]:
    """Email -> (level-1 spans, level-2+ spans), merged; level 2+ leaves out level-1 time.

    Read through the render result's entries, so a shift-based schedule (several people on call
    at once) counts each of them."""
    first: dict[str, list[Span]] = {}
    later: dict[str, list[Span]] = {}
    targeted: set[str] = set()

    def add(level: int, email: str, span: Span) -> None:
        (first if level == 1 else later).setdefault(email, []).append(span)

    for policy in plan.escalation_policies:
        for level, rule in enumerate(policy.rules, start=1):
            for target in rule.targets:
                if target.user is not None:
                    add(level, target.user.email.lower(), (lo, hi))
                    continue
                schedule = target.schedule
                targeted.add(schedule.name)
                for e in finals[schedule.name].entries:
                    add(level, e.user.email.lower(), (to_seconds(e.start), to_seconds(e.end)))
    for name, final in finals.items():
        if name not in targeted:  # a schedule no policy targets counts as level 1
            for e in final.entries:
                add(1, e.user.email.lower(), (to_seconds(e.start), to_seconds(e.end)))
    out: dict[str, tuple[list[Span], list[Span]]] = {}
    for email in set(first) | set(later):
        one = union(first.get(email, []))
        two = _subtract(union(later.get(email, [])), one)
        out[email] = (one, two)
    return out


def _subtract(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    out: list[Span] = []
    j = 0
    for s, e in a:
        cur = s
        while j < len(b) and b[j][1] <= cur:
            j += 1
        k = j
        while k < len(b) and b[k][0] < e:
            if b[k][0] > cur:
                out.append((cur, b[k][0]))
            cur = max(cur, b[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def _clip(spans: Sequence[Span], lo: int, hi: int) -> list[Span]:
    return [(max(s, lo), min(e, hi)) for s, e in spans if s < hi and e > lo]


def _total(spans: Iterable[Span]) -> int:
    return sum(e - s for s, e in spans)


def _periods(
    since: dt.datetime, until: dt.datetime, kind: str, tz: str
) -> tuple[tuple[str, dt.datetime, dt.datetime], ...]:
    """The periods of the window: calendar months, ISO weeks or the window, in ``tz``."""
    if kind == "window":
        return (("window", since, until),)
    z = zone(tz)
    local = since.astimezone(z)
    if kind == "month":
        day = local.date().replace(day=1)
    else:
        day = local.date() - dt.timedelta(days=local.date().weekday())
    out = []
    while True:
        start = dt.datetime.combine(day, dt.time(0), z)
        if kind == "month":
            nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            label = f"{day:%Y-%m}"
        else:
            nxt = day + dt.timedelta(days=7)
            year, week, _ = day.isocalendar()
            label = f"{year}-W{week:02d}"
        end = dt.datetime.combine(nxt, dt.time(0), z)
        a, b = max(start, since), min(end, until)
        if a < b:
            out.append((label, a.astimezone(dt.timezone.utc), b.astimezone(dt.timezone.utc)))
        if end >= until:
            break
        day = nxt
    return tuple(out)


def _weeks(since: dt.datetime, until: dt.datetime, tz: str) -> list[tuple[dt.date, int, int]]:
    z = zone(tz)
    day = since.astimezone(z).date()
    day -= dt.timedelta(days=day.weekday())
    out = []
    while True:
        start = dt.datetime.combine(day, dt.time(0), z)
        if start >= until:
            break
        end = dt.datetime.combine(day + dt.timedelta(days=7), dt.time(0), z)
        out.append((day, to_seconds(start), to_seconds(end)))
        day += dt.timedelta(days=7)
    return out
