"""Who is on call when, before vs after: the changes between two plans, per schedule."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import OnCallPlan, Override, Schedule, User
from oncall_planner.model.inputs import overrides_by_schedule
from oncall_planner.render import Mode, render
from oncall_planner.textutil import printable
from oncall_planner.timeutil import check_instant, check_time_zone, from_seconds, to_seconds, zone

Overrides = Mapping[str, Sequence[Override]]


@attrs.frozen
class Change:
    """Over ``[start, end)`` schedule ``schedule`` has ``before`` on call in the first plan and
    ``after`` in the second (``None``: nobody, or the schedule does not exist in that plan)."""

    schedule: str
    start: dt.datetime
    end: dt.datetime
    before: User | None
    after: User | None

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start


def _schedules(value: object, which: str) -> tuple[Schedule, ...]:
    if isinstance(value, OnCallPlan):
        return value.schedules
    if isinstance(value, Schedule):
        return (value,)
    raise ValidationError(
        f"diff: {which} must be an OnCallPlan or a Schedule, got {type(value).__name__}"
    )


def _timeline(
    schedule: Schedule | None,
    since: dt.datetime,
    until: dt.datetime,
    overrides: Iterable[Override],
    mode: Mode,
) -> list[tuple[int, int, User]]:
    if schedule is None:
        return []
    final = render(schedule, since, until, overrides, mode)
    return [(to_seconds(e.start), to_seconds(e.end), e.user) for e in final.entries]


def _check_overrides(value: object, which: str) -> Overrides:
    return overrides_by_schedule(value, "diff", field=which)


def diff(
    before: OnCallPlan | Schedule,
    after: OnCallPlan | Schedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides_before: Overrides | None = None,
    overrides_after: Overrides | None = None,
    mode: Mode = "wall",
) -> tuple[Change, ...]:
    """Every stretch of ``[since, until)`` where the person on call differs between two plans.

    Schedules are matched by name; one that exists in only one plan counts as "nobody on call"
    in the other. Changes come per schedule (schedules of ``before`` first, in order, then those
    only in ``after``), each in time order; neighbouring stretches with the same before/after
    pair are merged. Overrides, when given, map schedule names to the overrides of each side.
    """
    check_instant(since, "diff", "since")
    check_instant(until, "diff", "until")
    if until <= since:
        raise ValidationError(
            f"diff: until must be after since ({since.isoformat()}), got {until.isoformat()}"
        )
    old = {s.name: s for s in _schedules(before, "before")}
    new = {s.name: s for s in _schedules(after, "after")}
    ob = _check_overrides(overrides_before, "overrides_before")
    oa = _check_overrides(overrides_after, "overrides_after")
    names = list(old) + [n for n in new if n not in old]
    changes: list[Change] = []
    for name in names:
        left = _timeline(old.get(name), since, until, ob.get(name, ()), mode)
        right = _timeline(new.get(name), since, until, oa.get(name, ()), mode)
        changes.extend(_compare(name, left, right))
    return tuple(changes)


def _at(entries: list[tuple[int, int, User]], i: int, t: int) -> tuple[int, User | None]:
    """Advance index ``i`` past entries ending at or before ``t``; who is on at ``t``."""
    while i < len(entries) and entries[i][1] <= t:
        i += 1
    if i < len(entries) and entries[i][0] <= t:
        return i, entries[i][2]
    return i, None


def _compare(
    name: str, left: list[tuple[int, int, User]], right: list[tuple[int, int, User]]
) -> list[Change]:
    cuts = sorted({p for s, e, _ in left + right for p in (s, e)})
    out: list[tuple[int, int, User | None, User | None]] = []
    i = j = 0
    for a, b in itertools.pairwise(cuts):
        i, u = _at(left, i, a)
        j, v = _at(right, j, a)
        if u == v:
            continue
        if out and out[-1][1] == a and out[-1][2] == u and out[-1][3] == v:
            out[-1] = (out[-1][0], b, u, v)
        else:
            out.append((a, b, u, v))
    return [Change(name, from_seconds(a), from_seconds(b), u, v) for a, b, u, v in out]


def _tzinfo(tz: str | dt.tzinfo | None) -> dt.tzinfo:
    if tz is None:
        return dt.timezone.utc
    if isinstance(tz, str):
        check_time_zone(tz, "format_diff")
        return zone(tz)
    if isinstance(tz, dt.tzinfo):
        return tz
    raise ValidationError(f"format_diff: tz must be a zone name or a tzinfo, got {tz!r}")


def _hours(delta: dt.timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:g} h"


def format_diff(
    changes: Sequence[Change], tz: str | dt.tzinfo | None = None, *, width: int = 80
) -> str:
    """The changes as text, grouped by schedule, times shown in ``tz`` (default UTC).

    One line per change: ``start → end (hours)  before → after``, ``nobody`` for ``None``. A
    change that does not fit in ``width`` columns puts ``before → after`` on a line of its own
    (cut with ``…`` if it still does not fit).
    """
    info = _tzinfo(tz)
    if not changes:
        return "No changes: the same people are on call in both plans.\n"
    lines: list[str] = []
    current: str | None = None
    for change in changes:
        if change.schedule != current:
            if current is not None:
                lines.append("")
            count = sum(1 for c in changes if c.schedule == change.schedule)
            lines.append(f"Schedule {change.schedule!r}: {count} change{'s' if count != 1 else ''}")
            current = change.schedule
        start = change.start.astimezone(info).strftime("%a %Y-%m-%d %H:%M %Z")
        end = change.end.astimezone(info).strftime("%a %Y-%m-%d %H:%M %Z")
        before = change.before.name if change.before else "nobody"
        after = change.after.name if change.after else "nobody"
        when = f"  {start} → {end} ({_hours(change.duration)})"
        who = f"{before} → {after}"
        if len(when) + 2 + len(who) <= width:
            lines.append(f"{when}  {who}")
        else:
            who = "      " + who
            lines += [when, who if len(who) <= width else who[: width - 1] + "…"]
    return printable("\n".join(lines) + "\n")
