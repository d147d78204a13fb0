"""Who is on call when, before vs after: the changes between two plans, per schedule.

Schedules of either kind compare the same way, as the set of people on call over time: on a
shift-based schedule several people may be on call at once, and a change is a stretch where the
set differs (the same people listed in another order is no change).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import (
    OnCallPlan,
    Override,
    Schedule,
    ShiftOverride,
    ShiftSchedule,
    User,
)
from oncall_planner.model.inputs import mixed_overrides_by_schedule
from oncall_planner.render import Mode, ShiftRenderOptions, render
from oncall_planner.textutil import printable
from oncall_planner.timeutil import check_instant, check_time_zone, from_seconds, to_seconds, zone

Overrides = Mapping[str, Sequence[Override] | Sequence[ShiftOverride]]
AnySchedule = Schedule | ShiftSchedule


def _first(people: tuple[User, ...]) -> User | None:
    return people[0] if people else None


def _people_of(user: User | None) -> tuple[User, ...]:
    return () if user is None else (user,)


def _users(value: Iterable[User]) -> tuple[User, ...]:
    return tuple(value)


_PRESENCE = ("both", "before", "after")


@attrs.frozen
class Change:
    """Over ``[start, end)`` schedule ``schedule`` has ``before_people`` on call in the first plan
    and ``after_people`` in the second (empty: nobody, or the schedule does not exist in that
    plan), each in schedule order. A layer-based schedule has at most one person on call; a
    shift-based one may have several. ``before`` and ``after`` are the first of each (``None``
    for nobody), which is everyone on a layer-based schedule. ``presence`` says whether the
    schedule is in ``"both"`` plans, only ``"before"`` (removed) or only ``"after"`` (new), so
    that "nobody" for a schedule that is gone can be told from a gap."""

    schedule: str
    start: dt.datetime
    end: dt.datetime
    before: User | None
    after: User | None
    before_people: tuple[User, ...] = attrs.field(
        default=attrs.Factory(lambda self: _people_of(self.before), takes_self=True),
        converter=_users,
    )
    after_people: tuple[User, ...] = attrs.field(
        default=attrs.Factory(lambda self: _people_of(self.after), takes_self=True),
        converter=_users,
    )
    presence: str = attrs.field(default="both", validator=attrs.validators.in_(_PRESENCE))

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    @property
    def joined(self) -> tuple[User, ...]:
        """People on call after but not before."""
        return tuple(u for u in self.after_people if u not in self.before_people)

    @property
    def left(self) -> tuple[User, ...]:
        """People on call before but not after."""
        return tuple(u for u in self.before_people if u not in self.after_people)


def _schedules(value: object, which: str) -> tuple[AnySchedule, ...]:
    if isinstance(value, OnCallPlan):
        return value.all_schedules
    if isinstance(value, (Schedule, ShiftSchedule)):
        return (value,)
    raise ValidationError(
        f"diff: {which} must be an OnCallPlan, a Schedule or a ShiftSchedule, got "
        f"{type(value).__name__}"
    )


#: Who is on call over a stretch: (start, end, people in schedule order), disjoint, sorted.
Segment = tuple[int, int, tuple[User, ...]]


def _timeline(
    schedule: AnySchedule | None,
    since: dt.datetime,
    until: dt.datetime,
    overrides: Iterable[Override] | Iterable[ShiftOverride],
    mode: Mode,
    options: ShiftRenderOptions | None,
) -> list[Segment]:
    if schedule is None:
        return []
    final = render(schedule, since, until, overrides, mode, options=options)
    if not final.concurrent:
        return [(to_seconds(e.start), to_seconds(e.end), (e.user,)) for e in final.entries]
    cuts = sorted({p for e in final.entries for p in (to_seconds(e.start), to_seconds(e.end))})
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        people = final.people_on_call_at(from_seconds(a))
        if people:
            out.append((a, b, people))
    return out


def _check_overrides(value: object, which: str, schedules: Iterable[AnySchedule]) -> Overrides:
    shifted = [s.name for s in schedules if isinstance(s, ShiftSchedule)]
    return mixed_overrides_by_schedule(value, "diff", None, shifted, field=which)


def diff(
    before: OnCallPlan | Schedule | ShiftSchedule,
    after: OnCallPlan | Schedule | ShiftSchedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides_before: Overrides | None = None,
    overrides_after: Overrides | None = None,
    mode: Mode = "wall",
    *,
    options: ShiftRenderOptions | None = None,
) -> tuple[Change, ...]:
    """Every stretch of ``[since, until)`` where who is on call differs between two plans.

    Schedules (of either kind) are matched by name; one that exists in only one plan counts as
    "nobody on call" in the other. Who is on call is compared as a set of people, so a
    shift-based schedule's concurrent people count (a schedule may even change kind between the
    plans). Changes come per schedule (schedules of ``before`` first, in order, then those only
    in ``after``), each in time order; neighbouring stretches with the same before/after people
    are merged. Overrides, when given, map schedule names to the overrides of each side
    (``ShiftOverride`` objects for a shift-based schedule); ``options`` are the shift-based
    render options.
    """
    check_instant(since, "diff", "since")
    check_instant(until, "diff", "until")
    if until <= since:
        raise ValidationError(
            f"diff: until must be after since ({since.isoformat()}), got {until.isoformat()}"
        )
    if options is not None and not isinstance(options, ShiftRenderOptions):
        raise ValidationError(
            f"diff: options must be ShiftRenderOptions or None, got {type(options).__name__}"
        )
    old_schedules = _schedules(before, "before")
    new_schedules = _schedules(after, "after")
    old = {s.name: s for s in old_schedules}
    new = {s.name: s for s in new_schedules}
    ob = _check_overrides(overrides_before, "overrides_before", old_schedules)
    oa = _check_overrides(overrides_after, "overrides_after", new_schedules)
    names = list(old) + [n for n in new if n not in old]
    changes: list[Change] = []
    for name in names:
        left = _timeline(old.get(name), since, until, ob.get(name, ()), mode, options)
        right = _timeline(new.get(name), since, until, oa.get(name, ()), mode, options)
        presence = "both" if name in old and name in new else "before" if name in old else "after"
        changes.extend(_compare(name, left, right, presence))
    return tuple(changes)


def _at(segments: list[Segment], i: int, t: int) -> tuple[int, tuple[User, ...]]:
    """Advance index ``i`` past segments ending at or before ``t``; who is on at ``t``."""
    while i < len(segments) and segments[i][1] <= t:
        i += 1
    if i < len(segments) and segments[i][0] <= t:
        return i, segments[i][2]
    return i, ()


def _compare(name: str, left: list[Segment], right: list[Segment], presence: str) -> list[Change]:
    cuts = sorted({p for s, e, _ in left + right for p in (s, e)})
    out: list[tuple[int, int, tuple[User, ...], tuple[User, ...]]] = []
    i = j = 0
    for a, b in itertools.pairwise(cuts):
        i, u = _at(left, i, a)
        j, v = _at(right, j, a)
        if set(u) == set(v):
            continue
        if out and out[-1][1] == a and out[-1][2] == u and out[-1][3] == v:
            out[-1] = (out[-1][0], b, u, v)
        else:
            out.append((a, b, u, v))
    return [
        Change(name, from_seconds(a), from_seconds(b), _first(u), _first(v), u, v, presence)
        for a, b, u, v in out
    ]


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
    changes: Sequence[Change],
    tz: str | dt.tzinfo | None = None,
    *,
    width: int = 80,
    zones: Mapping[str, str] | None = None,
) -> str:
    """The changes as text, grouped by schedule, times shown in ``tz``; without ``tz``, each
    schedule's in its zone from ``zones`` (schedule name to zone name, also shown after the
    name, as ``render`` does), else in UTC. A schedule in only one plan says so: ``(removed)``
    or ``(new)`` after its name.

    One line per change: ``start → end (hours)  before → after``, ``nobody`` for nobody, and the
    names joined by commas where several people are on call at once. A change that does not fit in ``width`` columns puts ``before → after`` on a line of its own
    (cut with ``…`` if it still does not fit).
    """
    info = _tzinfo(tz)
    if zones is not None and not isinstance(zones, Mapping):
        raise ValidationError(
            f"format_diff: zones must map schedule names to zones, got {type(zones).__name__}"
        )
    if not changes:
        return "No changes: the same people are on call in both plans.\n"
    lines: list[str] = []
    current: str | None = None
    for change in changes:
        if change.schedule != current:
            if current is not None:
                lines.append("")
            count = sum(1 for c in changes if c.schedule == change.schedule)
            head = f"Schedule {change.schedule!r}"
            if tz is None and zones is not None and change.schedule in zones:
                shown_zone = check_time_zone(zones[change.schedule], "format_diff")
                info = zone(shown_zone)
                head += f" ({shown_zone})"
            elif tz is None:
                info = _tzinfo(None)
            if change.presence != "both":
                head += " (removed)" if change.presence == "before" else " (new)"
            lines.append(f"{head}: {count} change{'s' if count != 1 else ''}")
            current = change.schedule
        start = change.start.astimezone(info).strftime("%a %Y-%m-%d %H:%M %Z")
        end = change.end.astimezone(info).strftime("%a %Y-%m-%d %H:%M %Z")
        before = ", ".join(u.name for u in change.before_people) or "nobody"
        after = ", ".join(u.name for u in change.after_people) or "nobody"
        when = f"  {start} → {end} ({_hours(change.duration)})"
        who = f"{before} → {after}"
        if len(when) + 2 + len(who) <= width:
            lines.append(f"{when}  {who}")
        else:
            who = "      " + who
            lines += [when, who if len(who) <= width else who[: width - 1] + "…"]
    return printable("\n".join(lines) + "\n")
