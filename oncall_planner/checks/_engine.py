"""The checks engine: findings, the rule registry, configuration and the shared context.

A rule is a small pure function registered with :func:`rule`. It receives a :class:`Context`
(the plan, the horizon and everything rendered once) and its thresholds, and yields :class:`Hit`
values; the engine turns them into :class:`Finding` objects with the rule's code, name and
severity, and sorts them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import gc
import itertools
import operator
import types
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.escalation import Notification, Step, simulate, steps
from oncall_planner.model import (
    EscalationPolicy,
    Layer,
    OnCallPlan,
    Override,
    Schedule,
    ShiftOverride,
    ShiftSchedule,
    TimeOff,
    User,
)
from oncall_planner.model.inputs import mixed_overrides_by_schedule, sequence_of
from oncall_planner.pages import Page
from oncall_planner.render import (
    Entry,
    FinalSchedule,
    Interval,
    _datetimes,
    _Kept,
    _render_layered,
    _seconds,
    _spans,
    people_on_call_at,
    render,
)
from oncall_planner.textutil import printable
from oncall_planner.timeutil import check_instant, from_seconds, to_seconds, zone

if TYPE_CHECKING:  # the SLO inputs load numpy: only check() calls that pass them import them
    from oncall_planner.slo.forecast import Forecast
    from oncall_planner.slo.incident import IncidentSetup

T = TypeVar("T")
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


@attrs.frozen
class Finding:
    """One problem a rule found.

    ``code`` (e.g. ``OCP103``) and ``rule`` (e.g. ``shadowed-layer``) name the rule; ``subject``
    names what is wrong (a schedule, layer, policy, level or user); ``message`` is one line;
    ``intervals`` are the stretches of time that prove it (UTC); ``hint`` says how to fix it.
    """

    code: str
    rule: str
    severity: Severity
    subject: str
    message: str
    intervals: tuple[Interval, ...] = ()
    hint: str = ""
    #: ``(file, line)`` where the finding is written, when it is about the input itself
    #: (import findings, OCP6xx); other findings are placed through the importer's locations.
    location: tuple[str, int | None] | None = None

    def to_text(self) -> str:
        """``error OCP103 shadowed-layer: Schedule 'X', layer 'Y': message``."""
        return printable(f"{self.severity} {self.code} {self.rule}: {self.subject}: {self.message}")

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON or SARIF reports; instants as ISO-8601 UTC strings."""
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity,
            "subject": self.subject,
            "message": self.message,
            "intervals": [
                {
                    "start": iv.start.astimezone(dt.timezone.utc).isoformat(),
                    "end": iv.end.astimezone(dt.timezone.utc).isoformat(),
                }
                for iv in self.intervals
            ],
            "hint": self.hint,
            **(
                {"location": {"file": self.location[0], "line": self.location[1]}}
                if self.location is not None
                else {}
            ),
        }


@attrs.frozen
class Hit:
    """What a rule yields; the engine adds the code, rule name and (unless given) the severity."""

    subject: str
    message: str
    intervals: tuple[Interval, ...] = ()
    hint: str = ""
    severity: Severity | None = None
    location: tuple[str, int | None] | None = None


RuleFunc = Callable[["Context", Mapping[str, Any]], Iterable[Hit]]


@attrs.frozen
class Rule:
    """A registered rule: stable ``code``, kebab-case ``name``, ``family`` (module), default
    ``severity``, a one-line ``doc`` and its default ``thresholds``."""

    code: str
    name: str
    family: str
    severity: Severity
    doc: str
    thresholds: Mapping[str, Any]
    func: RuleFunc = attrs.field(repr=False)


_REGISTRY: dict[str, Rule] = {}

#: Every rule, by code. Read-only; rules register themselves when their module is imported.
RULES: Mapping[str, Rule] = types.MappingProxyType(_REGISTRY)


def rule(
    code: str,
    name: str,
    severity: Severity,
    doc: str,
    **thresholds: Any,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``code``; keyword arguments are its default thresholds."""

    def register(func: RuleFunc) -> RuleFunc:
        if code in _REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        family = func.__module__.rsplit(".", 1)[-1]
        _REGISTRY[code] = Rule(code, name, family, severity, doc, dict(thresholds), func)
        return func

    return register


def _codes(value: Any, field: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = (value,)
    try:
        items = tuple(value)
    except TypeError:
        raise ValidationError(
            f"CheckConfig: {field} must be a list of rule codes, got {value!r}"
        ) from None
    for item in items:
        if not isinstance(item, str) or not item:
            raise ValidationError(
                f"CheckConfig: {field} must hold rule codes such as 'OCP101', got {item!r}"
            )
    return items


def _select(value: Any) -> tuple[str, ...] | None:
    return _codes(value, "select")


def _ignore(value: Any) -> tuple[str, ...]:
    return _codes(value, "ignore") or ()


@attrs.frozen
class CheckConfig:
    """Which rules run and with what thresholds.

    ``select``: codes or code prefixes to run (``None``: all; ``"OCP1"`` selects the rotation
    family). ``ignore``: codes or prefixes to skip. ``thresholds``: per code, a mapping of
    threshold name to value, e.g. ``{"OCP101": {"warn_days": 10}}``. ``severity``: per code, a
    severity that replaces the rule's own, e.g. ``{"OCP306": "info"}``.
    """

    select: tuple[str, ...] | None = attrs.field(default=None, converter=_select)
    ignore: tuple[str, ...] = attrs.field(default=(), converter=_ignore)
    thresholds: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    severity: Mapping[str, str] = attrs.field(factory=dict)

    def validate(self) -> None:
        """Raise :class:`ValidationError` for unknown codes, thresholds, types or severities."""
        known = sorted(RULES)
        for field in ("select", "ignore"):
            for sel in getattr(self, field) or ():
                if not any(code.startswith(sel) for code in known):
                    raise ValidationError(
                        f"CheckConfig: {field} names {sel!r}, which matches no rule; "
                        f"known codes are {', '.join(known)}"
                    )
        if not isinstance(self.thresholds, Mapping):
            raise ValidationError(
                f"CheckConfig: thresholds must map codes to mappings, got {self.thresholds!r}"
            )
        for code, values in self.thresholds.items():
            if code not in RULES:
                raise ValidationError(
                    f"CheckConfig: thresholds names {code!r}, which is no rule; known codes are "
                    f"{', '.join(known)}"
                )
            defaults = RULES[code].thresholds
            if not isinstance(values, Mapping):
                raise ValidationError(
                    f"CheckConfig: thresholds[{code!r}] must map threshold names to values, "
                    f"got {values!r}"
                )
            for key, value in values.items():
                if key not in defaults:
                    names = ", ".join(sorted(defaults)) or "none"
                    raise ValidationError(
                        f"CheckConfig: rule {code} has no threshold {key!r}; its thresholds: "
                        f"{names}"
                    )
                _check_threshold_type(code, key, defaults[key], value)
        if not isinstance(self.severity, Mapping):
            raise ValidationError(
                f"CheckConfig: severity must map codes to severities, got {self.severity!r}"
            )
        for code, sev in self.severity.items():
            if code not in RULES:
                raise ValidationError(f"CheckConfig: severity names {code!r}, which is no rule")
            if sev not in SEVERITIES:
                raise ValidationError(
                    f"CheckConfig: severity[{code!r}] must be 'error', 'warning' or 'info', got "
                    f"{sev!r}"
                )

    def enabled(self, code: str) -> bool:
        chosen = self.select is None or any(code.startswith(s) for s in self.select)
        return chosen and not any(code.startswith(s) for s in self.ignore)

    def thresholds_for(self, code: str) -> dict[str, Any]:
        values = dict(RULES[code].thresholds)
        values.update(self.thresholds.get(code, {}))
        return values


#: The largest number a threshold takes: far above any sensible count of days, hours, minutes
#: or pages, and small enough that every threshold fits in a date or a duration.
MAX_THRESHOLD = 1_000_000


def _check_threshold_type(code: str, key: str, default: Any, value: Any) -> None:
    where = f"CheckConfig: thresholds[{code!r}][{key!r}]"
    if isinstance(default, bool):
        ok = isinstance(value, bool)
        want = "true or false"
    elif isinstance(default, (int, float)):
        ok = (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and 0 <= value <= MAX_THRESHOLD  # False for nan; compared exactly for huge ints
        )
        want = f"a number ≥ 0 and at most {MAX_THRESHOLD:,}"
    else:
        ok = isinstance(value, type(default))
        want = f"a {type(default).__name__}"
    if not ok:
        raise ValidationError(f"{where} must be {want}, got {value!r}")


# --------------------------------------------------------------------------------------------
# Subjects and formatting shared by the rule families


def object_subject(kind: str, name: str, detail: str | None = None) -> str:
    """How a finding names an object, from its kind, name and (optionally) the part of it:
    ``Schedule 'X'``, ``Schedule 'X', layer 'Y'``, ``EscalationPolicy 'X', level 2``,
    ``User 'X' <x@example.com>``. SARIF output matches the importer's location keys
    (``("Schedule", "X", "Y")``) against subjects through this function."""
    text = f"{kind} {name!r}"
    if detail is None:
        return text
    if kind == "Schedule":
        return f"{text}, layer {detail!r}"
    if kind == "User":
        return f"{text} <{detail}>"
    return f"{text}, {detail}"


def layer_subject(schedule: Schedule, layer: Layer) -> str:
    return object_subject("Schedule", schedule.name, layer.name)


def schedule_subject(schedule: Schedule | ShiftSchedule) -> str:
    return object_subject(type(schedule).__name__, schedule.name)


def policy_subject(policy: EscalationPolicy, level: int | None = None) -> str:
    return object_subject(
        "EscalationPolicy", policy.name, None if level is None else f"level {level}"
    )


def user_subject(user: User) -> str:
    return object_subject("User", user.name, user.email)


def when(at: dt.datetime, time_zone: str | None = None) -> str:
    """``2025-03-05 00:00 EST`` in ``time_zone`` (``Etc/UTC`` when none)."""
    local = at.astimezone(zone(time_zone or "Etc/UTC"))
    return local.strftime("%Y-%m-%d %H:%M %Z")


def span(interval: Interval, time_zone: str | None = None) -> str:
    return f"{when(interval.start, time_zone)} to {when(interval.end, time_zone)}"


def hours(value: dt.timedelta) -> str:
    h = value.total_seconds() / 3600
    return f"{h:.0f} h" if h == int(h) else f"{h:.1f} h"


def merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted union of intervals; touching ones join."""
    out: list[Interval] = []
    for iv in sorted(intervals, key=lambda i: (i.start, i.end)):
        if iv.end <= iv.start:
            continue
        if out and iv.start <= out[-1].end:
            if iv.end > out[-1].end:
                out[-1] = Interval(out[-1].start, iv.end)
        else:
            out.append(iv)
    return tuple(out)


def total(intervals: Iterable[Interval]) -> dt.timedelta:
    return sum((iv.end - iv.start for iv in intervals), dt.timedelta())


def intersect(a: tuple[Interval, ...], b: tuple[Interval, ...]) -> tuple[Interval, ...]:
    """The time two sorted, disjoint lists of intervals share."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        s, e = max(a[i].start, b[j].start), min(a[i].end, b[j].end)
        if s < e:
            out.append(Interval(s, e))
        if a[i].end <= b[j].end:
            i += 1
        else:
            j += 1
    return tuple(out)


def subtract(a: tuple[Interval, ...], b: tuple[Interval, ...]) -> tuple[Interval, ...]:
    """The time of ``a`` outside ``b`` (both sorted and disjoint)."""
    out: list[Interval] = []
    j = 0
    for iv in a:
        cur = iv.start
        while j < len(b) and b[j].end <= cur:
            j += 1
        k = j
        while k < len(b) and b[k].start < iv.end:
            if b[k].start > cur:
                out.append(Interval(cur, b[k].start))
            cur = max(cur, b[k].end)
            k += 1
        if cur < iv.end:
            out.append(Interval(cur, iv.end))
    return tuple(out)


#: Sorted, disjoint spans of POSIX seconds as two columns, starts and ends (as in the renderer).
Spans = tuple[list[int], list[int]]


def join(starts: Sequence[int], ends: Sequence[int]) -> Spans:
    """:func:`merge` of sorted, disjoint, non-empty spans in integer seconds: touching ones join
    (in C: a span starts a new one unless it starts where the one before it ends)."""
    if not starts:
        return [], []
    new = list(map(operator.ne, starts[1:], ends[:-1]))
    return (
        [starts[0], *itertools.compress(starts[1:], new)],
        [*itertools.compress(ends[:-1], new), ends[-1]],
    )


def union(pairs: Iterable[tuple[int, int]]) -> Spans:
    """:func:`merge` of any spans ``(start, end)`` in integer seconds: the renderer's
    :func:`~oncall_planner.render._spans` over them in order, within bounds that hold them all."""
    ordered = sorted(pairs)
    if not ordered:
        return [], []
    return _spans(ordered, ordered[0][0], max(map(operator.itemgetter(1), ordered)))


def seconds(spans: Spans) -> int:
    """The time ``spans`` cover, in seconds."""
    return sum(spans[1]) - sum(spans[0])


def intervals(spans: Spans) -> tuple[Interval, ...]:
    """Spans in integer seconds as :class:`Interval` values (UTC), for a finding; the datetimes
    are the renderer's (one object per instant, looked up rather than made)."""
    return tuple(map(Interval, _datetimes(spans[0]), _datetimes(spans[1])))


# --------------------------------------------------------------------------------------------
# The context: the plan and horizon, with each schedule rendered once


#: How far past the horizon each schedule is rendered for escalation timelines, at most.
MAX_PAD = dt.timedelta(days=14)


class Lookup:
    """Who is on call on one schedule at an instant, answered from rendered entries (instants as
    datetimes, or as POSIX seconds in hot loops): everyone, in schedule order, so several people
    on a shift-based schedule. ``finals`` is a render, or renders of consecutive windows (the
    horizon, then a little past it); outside them it asks
    :func:`oncall_planner.render.people_on_call_at`."""

    def __init__(
        self,
        finals: FinalSchedule | Sequence[FinalSchedule],
        schedule: Schedule | ShiftSchedule,
        overrides: Sequence[Override] | Sequence[ShiftOverride],
        columns: Sequence[tuple[Sequence[int], Sequence[int], Sequence[User]]] | None = None,
    ) -> None:
        if isinstance(finals, FinalSchedule):
            finals = (finals,)
        if columns is None:  # each final's entries as columns (see Context.columns)
            columns = [
                (
                    list(_seconds(map(_START, f.entries))),
                    list(_seconds(map(_END, f.entries))),
                    list(map(_USER, f.entries)),
                )
                for f in finals
            ]
        chain = itertools.chain.from_iterable
        self.starts = list(chain(c[0] for c in columns))
        self.ends = list(chain(c[1] for c in columns))
        # One answer object per person object, so that equal answers are often the same object
        # (Context.level_table tells answers apart by identity before equality).
        users = list(chain(c[2] for c in columns))
        answers = dict(zip(map(id, users), zip(users)))
        self.users = list(map(answers.__getitem__, map(id, users)))
        self.lo, self.hi = to_seconds(finals[0].since), to_seconds(finals[-1].until)
        self.schedule = schedule
        self.overrides = overrides
        self.changes = sorted({*self.starts, *self.ends, self.lo, self.hi})
        # A shift-based schedule's entries may overlap: the final schedules find everyone.
        self.finals = finals if any(f.concurrent for f in finals) else None
        self.bounds = [to_seconds(f.until) for f in finals]
        self._between: list[tuple[User, ...]] | None = None

    def at_seconds(self, t: int) -> tuple[User, ...]:
        if not self.lo <= t < self.hi:
            return people_on_call_at(self.schedule, from_seconds(t), self.overrides)
        if self.finals is not None:
            final = self.finals[bisect.bisect_right(self.bounds, t)]
            return final.people_on_call_at(from_seconds(t))
        i = bisect.bisect_right(self.starts, t) - 1
        if i >= 0 and t < self.ends[i]:
            return self.users[i]
        return ()

    def at(self, when_: dt.datetime) -> tuple[User, ...]:
        return self.at_seconds(to_seconds(when_))

    def at_many(self, times: Sequence[int]) -> list[tuple[User, ...]]:
        """:meth:`at_seconds` for each of ``times`` (POSIX seconds), bisected in one pass of C
        when they all fall in the rendered window of a schedule without overlaps."""
        if (
            not times
            or self.finals is not None
            or not self.lo <= min(times) <= max(times) < self.hi
        ):
            return [self.at_seconds(t) for t in times]
        if self._between is None:
            # The answer from each change to the next: an entry's people from its start, nobody
            # from an end that starts nothing (entries are disjoint), nobody before the first.
            answers: dict[int, tuple[User, ...]] = dict.fromkeys(self.ends, ())
            answers.update(zip(self.starts, self.users))
            self._between = [(), *map(answers.get, self.changes, itertools.repeat(()))]
        found = map(bisect.bisect_right, itertools.repeat(self.changes), times)
        return list(map(self._between.__getitem__, found))

    def at_and_next(self, t: int) -> tuple[tuple[User, ...], int]:
        """:meth:`at_seconds` and :meth:`next_change` of ``t`` in one call (OCP304's sweep asks
        both at every step)."""
        if not self.lo <= t < self.hi:
            return self.at_seconds(t), t + 60
        following = self.changes[bisect.bisect_right(self.changes, t)]
        if self.finals is not None:
            return self.at_seconds(t), following
        i = bisect.bisect_right(self.starts, t) - 1
        if i >= 0 and t < self.ends[i]:
            return self.users[i], following
        return (), following

    def next_change(self, t: int) -> int:
        """The first instant after ``t`` (POSIX seconds) where the answer may differ from the
        one at ``t``; a minute later outside the rendered window."""
        if not self.lo <= t < self.hi:
            return t + 60
        return self.changes[bisect.bisect_right(self.changes, t)]


class LevelTable(NamedTuple):
    """What :meth:`Context.level_table` returns: the change points (POSIX seconds, sorted, the
    first the horizon's start, then the end of the table), and between ``points[k]`` and
    ``points[k + 1]`` the people on each level, ``distinct[which[k]]`` (each different answer
    once, since hashing a tuple of people hashes every person again)."""

    points: list[int]
    which: list[int]
    distinct: list[tuple[tuple[User, ...], ...]]


class Context:
    """Everything a rule may read: the plan, the horizon ``[since, until)``, page history, time off
    and overrides, with every schedule rendered once and cached; ``now`` (the moment the plan
    would be applied) and ``previous`` (the plan it replaces, if given) for the rules about
    changes; and, for the SLO rules, the incident set-up and the page forecast when they are
    given (``None`` otherwise)."""

    incident: IncidentSetup | None = None
    forecast: Forecast | None = None

    def __init__(
        self,
        plan: OnCallPlan,
        since: dt.datetime,
        until: dt.datetime,
        pages: tuple[Page, ...],
        overrides: Mapping[str, tuple[Override, ...] | tuple[ShiftOverride, ...]],
        time_off: tuple[TimeOff, ...],
        now: dt.datetime | None = None,
        previous: OnCallPlan | None = None,
        import_notes: tuple[Any, ...] = (),
    ) -> None:
        self.plan = plan
        #: What the importer left out or stood in for (see checks/imports.py), when the plan
        #: came from Terraform: objects with ``code``, ``location``, ``subject``, ``message``.
        self.import_notes = import_notes
        self.since = since
        self.until = until
        self.now = since if now is None else now
        self.previous = previous
        self.pages = pages
        self.overrides = overrides
        self.time_off = time_off
        self._finals: dict[str, FinalSchedule] = {}
        self._kept: dict[str, _Kept] = {}
        self._columns: dict[str, tuple[list[int], list[int], list[User]]] = {}
        self._instant_table: dict[dt.datetime, int] = {}
        #: The horizon in POSIX seconds (``since`` and ``until`` are whole minutes).
        self.lo, self.hi = to_seconds(since), to_seconds(until)
        self._lookups: dict[str, Lookup] = {}
        self._memo: dict[Hashable, Any] = {}
        longest = max(
            (
                sum(r.delay_minutes for r in p.rules) * (p.num_loops + 1)
                for p in plan.escalation_policies
            ),
            default=0,
        )
        # Past the pad, Lookup asks on_call_at: policies with delays of days are rare, and
        # rendering weeks more for them would cost every check.
        self.pad = min(dt.timedelta(minutes=longest + 1), MAX_PAD)

    @property
    def horizon(self) -> Interval:
        return Interval(self.since, self.until)

    def final(self, schedule: Schedule | ShiftSchedule) -> FinalSchedule:
        """``schedule`` rendered over the horizon with its overrides."""
        if schedule.name not in self._finals:
            overrides = self.overrides.get(schedule.name, ())
            if isinstance(schedule, ShiftSchedule):
                final = render(schedule, self.since, self.until, overrides)
            else:
                final, self._kept[schedule.name] = _render_layered(
                    schedule, self.since, self.until, overrides
                )
            self._finals[schedule.name] = final
        return self._finals[schedule.name]

    def kept(self, schedule: Schedule) -> _Kept:
        """The integer pieces :meth:`final`'s render of a layer-based schedule was built from:
        each layer's own pieces and the part of it that shows, without building
        ``FinalSchedule.layers``/``.visible`` (or rendering again) for the rules that read them."""
        self.final(schedule)
        return self._kept[schedule.name]

    def columns(
        self, schedule: Schedule | ShiftSchedule
    ) -> tuple[list[int], list[int], list[User]]:
        """:meth:`final`'s entries as parallel columns: starts and ends in POSIX seconds, and
        who; worked out once per schedule and run."""
        found = self._columns.get(schedule.name)
        if found is None:
            found = self._columns[schedule.name] = self._entry_columns(self.final(schedule).entries)
        return found

    def _entry_columns(self, entries: Sequence[Entry]) -> tuple[list[int], list[int], list[User]]:
        return (
            self._instants(list(map(_START, entries))),
            self._instants(list(map(_END, entries))),
            list(map(_USER, entries)),
        )

    def _instants(self, values: list[dt.datetime]) -> list[int]:
        """POSIX seconds of the renderer's datetimes, through a table by instant: the schedules
        of an organisation share most instants (and the renderer most datetime objects, whose
        hash is kept), and a look-up costs a sixth of ``datetime.timestamp``."""
        table = self._instant_table
        found = list(map(table.get, values))
        if None in found:
            missing = list(dict.fromkeys(itertools.compress(values, map(_IS_NONE, found))))
            table.update(zip(missing, _seconds(missing)))
            found = list(map(table.__getitem__, values))
        return found  # type: ignore[return-value]  # no None is left

    def has(self, key: Hashable) -> bool:
        """Whether :meth:`memo` has worked out ``key`` in this run."""
        return key in self._memo

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``key`` for this run, shared by the rules that need it."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[no-any-return]

    def lookup(self, schedule: Schedule | ShiftSchedule) -> Lookup:
        """Who is on call on ``schedule`` over the horizon and a little past it (the longest
        escalation), so timelines triggered inside the horizon stay in rendered time. The horizon
        is :meth:`final`'s render, shared with the rules that read it; only the short stretch
        past it is rendered here."""
        if schedule.name not in self._lookups:
            overrides = self.overrides.get(schedule.name, ())
            past = render(schedule, self.until, self.until + self.pad, overrides)
            self._lookups[schedule.name] = Lookup(
                [self.final(schedule), past],
                schedule,
                overrides,
                [self.columns(schedule), self._entry_columns(past.entries)],
            )
        return self._lookups[schedule.name]

    def on_call(self, schedule: Schedule | ShiftSchedule, at: dt.datetime) -> tuple[User, ...]:
        """Everyone on call on ``schedule`` at ``at``, in schedule order (empty in a gap)."""
        return self.lookup(schedule).at(at)

    def timeline(self, policy: EscalationPolicy, at: dt.datetime) -> tuple[Notification, ...]:
        """The escalation timeline of ``policy`` at ``at`` against the rendered schedules."""
        return simulate(policy, at, self.on_call)

    def steps(self, policy: EscalationPolicy, at: dt.datetime) -> Iterator[Step]:
        """The same, lazily and level by level (see :func:`oncall_planner.escalation.steps`)."""
        return steps(policy, at, self.on_call)

    def policy_changes(self, policy: EscalationPolicy) -> list[dt.datetime]:
        """The instants in the horizon where someone on the policy's schedules changes, with
        ``since`` first: between two of them every level has the same people on call."""
        return list(map(from_seconds, self.change_seconds(policy)))

    def change_seconds(self, policy: EscalationPolicy) -> list[int]:
        """:meth:`policy_changes` in POSIX seconds."""

        def compute() -> list[int]:
            points = {self.lo}
            for sched in policy_schedules(policy):
                starts, ends, _ = self.columns(sched)
                points.update(starts, ends)
            ordered = sorted(points)
            return ordered[
                bisect.bisect_left(ordered, self.lo) : bisect.bisect_left(ordered, self.hi)
            ]

        return self.memo(("changes", policy.name), compute)

    def level_people(self, policy: EscalationPolicy, at: dt.datetime) -> list[list[User]]:
        """For each level, the distinct people on call on it at ``at`` (ignoring delays): on a
        shift-based schedule everyone on call then."""
        out = []
        for r in policy.rules:
            people: list[User] = []
            for t in r.targets:
                found = (t.user,) if t.user is not None else self.on_call(t.schedule, at)
                people.extend(p for p in found if p not in people)
            out.append(people)
        return out

    def levels_at(
        self, policy: EscalationPolicy, points: Sequence[dt.datetime]
    ) -> list[tuple[tuple[User, ...], ...]]:
        """:meth:`level_people` at each of ``points``, as tuples, so that equal
        answers can be dictionary keys: each schedule's look-ups are bisected in one pass instead
        of one method call per point and target."""
        return self.levels_at_seconds(policy, [to_seconds(p) for p in points])

    def level_table(self, policy: EscalationPolicy) -> LevelTable:
        """The people on each level of ``policy`` from the horizon's start to the end of what its
        schedules' look-ups rendered (past the horizon), between two changes of any of them:
        worked out once per policy and run (:meth:`levels_at_seconds` at every change point), and
        read by bisecting the change points (the escalation and page rules)."""

        def compute() -> LevelTable:
            schedules = policy_schedules(policy)
            if schedules:
                end = self.lookup(schedules[0]).hi
                points = sorted(
                    {self.lo}.union(*(self.lookup(sched).changes for sched in schedules))
                )
                points = points[: bisect.bisect_left(points, end)]
            else:
                end, points = self.hi, [self.lo]
            columns = self._level_columns(policy, points)
            # Rows made of the same objects are equal: they are told apart by the identities
            # of their parts first (in C), and only one row of each kind is hashed by value.
            keys = list(zip(*[list(map(id, column)) for column in columns], strict=True))
            sample = dict(zip(keys, zip(*columns, strict=True)))
            index: dict[tuple[tuple[User, ...], ...], int] = {}
            number = {key: index.setdefault(sample[key], len(index)) for key in sample}
            return LevelTable([*points, end], list(map(number.__getitem__, keys)), list(index))

        return self.memo(("level-table", policy.name), compute)

    def levels_at_seconds(
        self, policy: EscalationPolicy, times: Sequence[int]
    ) -> list[tuple[tuple[User, ...], ...]]:
        """:meth:`levels_at` at instants in POSIX seconds."""
        return list(zip(*self._level_columns(policy, times), strict=True))

    def _level_columns(
        self, policy: EscalationPolicy, times: Sequence[int]
    ) -> list[list[tuple[User, ...]]]:
        """:meth:`levels_at_seconds` level by level: for each level, its people at each time."""
        columns: list[list[tuple[User, ...]]] = []
        for r in policy.rules:
            found = [
                itertools.repeat((t.user,), len(times))
                if t.user is not None
                else self.lookup(t.schedule).at_many(times)
                for t in r.targets
            ]
            column: list[tuple[User, ...]]
            if len(found) == 1:
                column = list(found[0])
                if max(map(len, column), default=0) > 1:
                    column = [f if len(f) < 2 else tuple(dict.fromkeys(f)) for f in column]
                columns.append(column)
                continue
            column = []
            for each in zip(*found, strict=True):
                people: list[User] = []
                for f in each:
                    people.extend(p for p in f if p not in people)
                column.append(tuple(people))
            columns.append(column)
        return columns

    def user_zone(self, user: User) -> str:
        """The person's own zone, else the zone of the first schedule (of either kind) that
        rosters them."""
        if user.time_zone:
            return user.time_zone
        return self.memo("roster-zones", self._roster_zones).get(user, "Etc/UTC")

    def _roster_zones(self) -> dict[User, str]:
        """Each rostered person's first schedule's zone, found in one pass over the plan (asking
        each schedule for each person grew as the square of the organisation)."""
        zones: dict[User, str] = {}
        for sched in self.plan.all_schedules:
            for user in roster(sched):
                zones.setdefault(user, sched.time_zone)
        return zones

    def stretches(self) -> dict[User, tuple[Interval, ...]]:
        """Each person's on-call time across every schedule's final schedule (of either kind),
        merged, so a primary shift followed by a secondary one counts as one stretch, and two
        overlapping shifts of a shift-based schedule count once."""
        return self.memo(
            "stretches", lambda: {u: intervals(v) for u, v in self.stretch_spans().items()}
        )

    def stretch_spans(self) -> dict[User, Spans]:
        """:meth:`stretches` in POSIX seconds, people by email."""
        return self.memo("stretch-spans", self._stretch_spans)

    def stretch_at(self, user: User, at: dt.datetime) -> Interval | None:
        """The stretch of :meth:`stretches` that holds ``at`` for ``user``, if any."""
        spans = self.stretch_spans().get(user)
        i = self.stretch_index(user, at)
        if spans is None or i is None:
            return None
        return Interval(from_seconds(spans[0][i]), from_seconds(spans[1][i]))

    def stretch_index(self, user: User, at: dt.datetime) -> int | None:
        """Where in :meth:`stretch_spans` the stretch holding ``at`` is for ``user``, if any,
        found by bisecting the stretches' starts (sorted and disjoint). In whole seconds: the
        stretches' ends are whole seconds, so ``at < end`` exactly when its second is."""
        spans = self.stretch_spans().get(user)
        if not spans:
            return None
        t = to_seconds(at)
        i = bisect.bisect_right(spans[0], t) - 1
        if i >= 0 and t < spans[1][i]:
            return i
        return None

    def _stretch_spans(self) -> dict[User, Spans]:
        out: dict[User, Spans] = {}
        for user, rows in self.by_user().items():
            starts = list(map(_START, rows))
            ends = list(map(_END, rows))
            if not all(map(operator.lt, starts, ends)):  # an empty entry joins nothing
                return {u: union((r[0], r[1]) for r in v) for u, v in self.by_user().items()}
            # A stretch starts where an entry starts after every earlier one has ended; it ends
            # at the latest end before the next such start (all in C).
            latest = list(itertools.accumulate(ends, max))
            new = list(map(operator.gt, starts[1:], latest))
            out[user] = (
                [starts[0], *itertools.compress(starts[1:], new)],
                [*itertools.compress(latest, new), latest[-1]],
            )
        return out

    def by_user(self) -> dict[User, list[tuple[int, int, int]]]:
        """Every entry of every schedule (of either kind) by person, as ``(start, end, n)`` in
        POSIX seconds with ``n`` the schedule's place in ``plan.all_schedules``, sorted; people
        by email, then in order of first appearance. Grouped in C, by object, hashing each
        person once per schedule rather than once per entry."""
        return self.memo("by-user", self._by_user)

    def _by_user(self) -> dict[User, list[tuple[int, int, int]]]:
        per: dict[User, list[tuple[int, int, int]]] = {}
        first: dict[User, tuple[int, int]] = {}
        for n, sched in enumerate(self.plan.all_schedules):
            starts, ends, users = self.columns(sched)
            objects = dict(zip(map(id, users), users))
            rows = sorted(zip(map(id, users), itertools.count(), starts, ends))
            for key, group in itertools.groupby(rows, key=_START):
                items = list(group)
                user = objects[key]
                spans = list(zip(map(_THIRD, items), map(_FOURTH, items), itertools.repeat(n)))
                seen = (n, items[0][1])
                if user in per:
                    per[user].extend(spans)
                    first[user] = min(first[user], seen)
                else:
                    per[user] = spans
                    first[user] = seen
        return {u: sorted(per[u]) for u in sorted(per, key=lambda u: (u.email, first[u]))}


_IS_NONE = functools.partial(operator.is_, None)
_START = operator.itemgetter(0)
_END = operator.itemgetter(1)
_USER = operator.itemgetter(2)
_THIRD = operator.itemgetter(2)
_FOURTH = operator.itemgetter(3)


def roster(schedule: Schedule | ShiftSchedule) -> tuple[User, ...]:
    """Everyone a schedule names: the users of its layers, or of its events and custom shifts
    (empty slots left out), in order of appearance."""
    if isinstance(schedule, ShiftSchedule):
        return schedule.users()
    return tuple(dict.fromkeys(u for layer in schedule.layers for u in layer.users))


def policy_schedules(policy: EscalationPolicy) -> list[Schedule | ShiftSchedule]:
    """The schedules (of either kind) a policy targets, each once, in the order of its levels."""
    seen: list[Schedule | ShiftSchedule] = []
    for r in policy.rules:
        for t in r.targets:
            if t.schedule is not None and t.schedule not in seen:
                seen.append(t.schedule)
    return seen


# --------------------------------------------------------------------------------------------
# check()


Overrides = Mapping[str, tuple[Override, ...] | tuple[ShiftOverride, ...]]


def _check_plan_inputs(
    plan: object, pages: object, overrides: object, time_off: object
) -> tuple[tuple[Page, ...], Overrides, tuple[TimeOff, ...]]:
    if not isinstance(plan, OnCallPlan):
        raise ValidationError(f"check: plan must be an OnCallPlan, got {type(plan).__name__}")
    pages_t = sequence_of(pages, Page, "check", "pages")
    ov = mixed_overrides_by_schedule(
        overrides,
        "check",
        [s.name for s in plan.schedules],
        [s.name for s in plan.shift_schedules],
    )
    off = sequence_of(time_off, TimeOff, "check", "time_off")
    return pages_t, ov, off


_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def sort_key(f: Finding) -> tuple[Any, ...]:
    first = (
        (to_seconds(f.intervals[0].start), to_seconds(f.intervals[0].end))
        if f.intervals
        else (0, 0)
    )
    return (_SEVERITY_RANK[f.severity], f.code, f.subject, first, f.message)


def check(
    plan: OnCallPlan,
    since: dt.datetime,
    until: dt.datetime,
    pages: Iterable[Page] = (),
    config: CheckConfig | None = None,
    overrides: Mapping[str, Sequence[Override] | Sequence[ShiftOverride]] | None = None,
    time_off: Iterable[TimeOff] = (),
    *,
    now: dt.datetime | None = None,
    previous: OnCallPlan | None = None,
    import_notes: Iterable[Any] = (),
    incident: IncidentSetup | None = None,
    forecast: Forecast | None = None,
) -> tuple[Finding, ...]:
    """Run the enabled rules over ``plan`` in ``[since, until)``; findings sorted by severity,
    code, subject and first interval.

    ``pages`` is page history (see :mod:`oncall_planner.pages`), ``overrides`` maps schedule names
    to their overrides (ShiftOverride objects for a shift-based schedule), ``time_off`` lists who
    is away when. ``now`` is the moment the plan would be applied (default: ``since``); the rules
    about shift-based events' dates compare with it. ``previous`` is the plan this one replaces:
    OCP712 compares the two.
    ``import_notes`` are :attr:`oncall_planner.ingest.TerraformImport.notes`: what the import
    left out becomes findings (OCP6xx), so what was not checked is never silent.
    ``incident`` (severities, incident roles) and ``forecast`` (an SLO page forecast) feed the
    OCP9xx rules, which stay quiet without them (docs/slo.md).
    """
    check_instant(since, "check", "since")
    check_instant(until, "check", "until")
    if until <= since:
        raise ValidationError(
            f"check: until must be after since ({since.isoformat()}), got {until.isoformat()}"
        )
    if config is None:
        config = CheckConfig()
    elif not isinstance(config, CheckConfig):
        raise ValidationError(
            f"check: config must be a CheckConfig or None, got {type(config).__name__}"
        )
    config.validate()
    if now is not None:
        check_instant(now, "check", "now")
    if previous is not None and not isinstance(previous, OnCallPlan):
        raise ValidationError(
            f"check: previous must be an OnCallPlan or None, got {type(previous).__name__}"
        )
    pages_t, ov, off = _check_plan_inputs(plan, pages, overrides, time_off)
    # Durations are differences of instants: two datetimes that share a ZoneInfo subtract on the
    # wall clock (a DST week would count 168 h instead of 167 h), so the horizon is kept in UTC.
    since, until = since.astimezone(dt.timezone.utc), until.astimezone(dt.timezone.utc)
    # The rules keep what they render and compute (every schedule's final schedule, intervals)
    # until the end and make no reference cycles: as the importer does, the cyclic collector is
    # paused meanwhile (and what the rules kept is let go before it runs again), since its full
    # passes over everything kept so far made a large organisation's check grow faster than the
    # organisation.
    collecting = gc.isenabled()
    gc.disable()
    try:
        findings = _run_rules(
            Context(
                plan,
                since,
                until,
                pages_t,
                ov,
                off,
                now=now,
                previous=previous,
                import_notes=tuple(import_notes),
            ),
            config,
            incident,
            forecast,
        )
    finally:
        if collecting:
            gc.enable()
    return tuple(sorted(findings, key=sort_key))


def _run_rules(
    ctx: Context, config: CheckConfig, incident: object, forecast: object
) -> list[Finding]:
    if incident is not None:
        from oncall_planner.slo.incident import IncidentSetup

        if not isinstance(incident, IncidentSetup):
            raise ValidationError(
                f"check: incident must be an IncidentSetup or None, got {type(incident).__name__}"
            )
        incident.validate(ctx.plan)
        ctx.incident = incident
    if forecast is not None:
        from oncall_planner.slo.forecast import Forecast

        if not isinstance(forecast, Forecast):
            raise ValidationError(
                f"check: forecast must be a Forecast or None, got {type(forecast).__name__}"
            )
        ctx.forecast = forecast
    findings: list[Finding] = []
    for code in sorted(RULES):
        if not config.enabled(code):
            continue
        r = RULES[code]
        forced = config.severity.get(code)
        for hit in r.func(ctx, config.thresholds_for(code)):
            findings.append(
                Finding(
                    code=r.code,
                    rule=r.name,
                    severity=forced or hit.severity or r.severity,  # type: ignore[arg-type]
                    subject=hit.subject,
                    message=hit.message,
                    intervals=hit.intervals,
                    hint=hit.hint,
                    location=hit.location,
                )
            )
    return findings


def iter_layers(
    plan: OnCallPlan, since: dt.datetime | None = None
) -> Iterator[tuple[Schedule, int, Layer]]:
    """Every layer with its schedule and index; with ``since``, not those that ended by then.

    A layer whose ``end`` has passed is history (PagerDuty no longer shows it): no rule about
    how it rotates concerns the horizon.
    """
    for sched in plan.schedules:
        for i, layer in enumerate(sched.layers):
            if since is not None and layer.end is not None and layer.end <= since:
                continue
            yield sched, i, layer
