"""Cover time off and spread public holidays with overrides, keeping a ledger of who owes whom.

Both kinds of schedule are covered: a layer-based schedule gets :class:`Override` objects, a
shift-based one :class:`ShiftOverride` objects scoped to the rotation (or custom shift) that holds
the absent person's shift, replacing them by name. Time someone holds through an earlier
``ShiftOverride`` is covered by a later override of the same member of the same rotation (the
later one wins).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import (
    OnCallPlan,
    Override,
    Schedule,
    ShiftOverride,
    ShiftSchedule,
    TimeOff,
    User,
)
from oncall_planner.model.inputs import mixed_overrides_by_schedule, sequence_of
from oncall_planner.render import Mode, Source, people_on_call_at, render
from oncall_planner.textutil import printable
from oncall_planner.timeutil import (
    DAY,
    TIMESTAMP_YEARS,
    YEARS_TEXT,
    check_instant,
    clock,
    from_seconds,
    public_holidays,
)

MINUTE = dt.timedelta(minutes=1)

AnyOverrides = tuple[Override, ...] | tuple[ShiftOverride, ...]
#: One stretch of one person on call: (start, end, user, where it comes from on a shift-based
#: schedule, else None).
Stretch = tuple[dt.datetime, dt.datetime, User, Source | None]


@attrs.frozen
class LedgerEntry:
    """``creditor`` was on call ``[start, end)`` on ``schedule`` in place of ``debtor``, who
    therefore owes ``creditor`` that much on-call time."""

    debtor: User
    creditor: User
    schedule: str
    start: dt.datetime
    end: dt.datetime
    reason: str = "time off"

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start


@attrs.frozen
class Debt:
    """``debtor`` owes ``creditor`` ``amount`` of on-call time, net of what they covered back."""

    debtor: User
    creditor: User
    amount: dt.timedelta


def _entries(value: Iterable[LedgerEntry]) -> tuple[LedgerEntry, ...]:
    items = tuple(value)
    for item in items:
        if not isinstance(item, LedgerEntry):
            raise ValidationError(
                f"Ledger: entries must hold LedgerEntry objects, got {type(item).__name__} {item!r}"
            )
    return items


@attrs.frozen
class Ledger:
    """Who covered for whom. Pass it back to the next :func:`cover_time_off` so that cover is
    repaid: someone who owes the absent person is asked first."""

    entries: tuple[LedgerEntry, ...] = attrs.field(default=(), converter=_entries)

    def extend(self, entries: Iterable[LedgerEntry]) -> Ledger:
        """A new ledger with ``entries`` added after these."""
        return Ledger([*self.entries, *entries])

    def owed(self, debtor: User, creditor: User) -> dt.timedelta:
        """Net on-call time ``debtor`` owes ``creditor`` (negative: ``creditor`` owes)."""
        total = dt.timedelta()
        for e in self.entries:
            if e.debtor == debtor and e.creditor == creditor:
                total += e.duration
            elif e.debtor == creditor and e.creditor == debtor:
                total -= e.duration
        return total

    def balance(self, user: User) -> dt.timedelta:
        """What others owe ``user`` in total, minus what ``user`` owes (positive: owed time)."""
        total = dt.timedelta()
        for e in self.entries:
            if e.creditor == user:
                total += e.duration
            if e.debtor == user:
                total -= e.duration
        return total

    def debts(self) -> tuple[Debt, ...]:
        """The net debts between pairs, largest first (ties by names)."""
        net: dict[tuple[User, User], dt.timedelta] = {}
        for e in self.entries:
            key, sign = (e.debtor, e.creditor), 1
            if (e.creditor, e.debtor) in net:
                key, sign = (e.creditor, e.debtor), -1
            net[key] = net.get(key, dt.timedelta()) + sign * e.duration
        out = []
        for (a, b), amount in net.items():
            if amount > dt.timedelta():
                out.append(Debt(a, b, amount))
            elif amount < dt.timedelta():
                out.append(Debt(b, a, -amount))
        out.sort(key=lambda d: (-d.amount, d.debtor.name, d.creditor.name))
        return tuple(out)

    def to_text(self) -> str:
        debts = self.debts()
        if not debts:
            return "Nobody owes anybody on-call time.\n"
        lines = ["Who owes whom:"]
        for d in debts:
            hours = d.amount.total_seconds() / 3600
            lines.append(f"  {d.debtor.name} owes {d.creditor.name} {hours:g} h")
        return printable("\n".join(lines) + "\n")


@attrs.frozen
class Cover:
    """On ``schedule`` over ``[start, end)``, ``substitute`` is on call in place of ``absent``
    (``None``: nobody could be found; ``reason`` says why)."""

    schedule: str
    start: dt.datetime
    end: dt.datetime
    absent: User
    substitute: User | None
    reason: str


@attrs.frozen
class CoverResult:
    """What :func:`cover_time_off` and :func:`balance_holidays` return.

    - ``overrides``: the new overrides, per schedule name (feed them to ``render`` or the API):
      ``Override`` objects for a layer-based schedule, ``ShiftOverride`` for a shift-based one;
    - ``covers``: one :class:`Cover` per stretch handed to someone, in time order;
    - ``uncovered``: stretches nobody eligible could take (the absent person stays on call);
    - ``ledger``: the ledger given in, plus an entry per cover.
    """

    overrides: dict[str, AnyOverrides]
    covers: tuple[Cover, ...]
    uncovered: tuple[Cover, ...]
    ledger: Ledger

    def all_overrides(
        self, existing: Mapping[str, Sequence[Override] | Sequence[ShiftOverride]] | None = None
    ) -> dict[str, AnyOverrides]:
        """``existing`` overrides followed by the new ones (later ones win), per schedule."""
        out: dict[str, Any] = {name: tuple(items) for name, items in (existing or {}).items()}
        for name, items in self.overrides.items():
            out[name] = (*out.get(name, ()), *items)
        return out

    def to_text(self, tz: dt.tzinfo | None = None) -> str:
        info = tz or dt.timezone.utc
        lines = []
        for c in (*self.covers, *self.uncovered):
            start = c.start.astimezone(info).strftime("%a %Y-%m-%d %H:%M")
            end = c.end.astimezone(info).strftime("%a %Y-%m-%d %H:%M %Z")
            who = c.substitute.name if c.substitute else "NOBODY"
            lines.append(f"  {c.schedule}: {start} → {end}  {c.absent.name} → {who} ({c.reason})")
        return printable("\n".join(lines) + ("\n" if lines else ""))


class _Planner:
    """Mutable working state shared by the cover and holiday planners."""

    def __init__(
        self,
        plan: OnCallPlan,
        since: dt.datetime,
        until: dt.datetime,
        time_off: Sequence[TimeOff],
        overrides: Mapping[str, Sequence[Override] | Sequence[ShiftOverride]] | None,
        ledger: Ledger | None,
        mode: Mode,
        where: str,
    ) -> None:
        if not isinstance(plan, OnCallPlan):
            raise ValidationError(f"{where}: plan must be an OnCallPlan, got {type(plan).__name__}")
        check_instant(since, where, "since")
        check_instant(until, where, "until")
        if until <= since:
            raise ValidationError(
                f"{where}: until must be after since ({since.isoformat()}), got {until.isoformat()}"
            )
        if ledger is not None and not isinstance(ledger, Ledger):
            raise ValidationError(f"{where}: ledger must be a Ledger or None, got {ledger!r}")
        self.plan, self.since, self.until, self.mode, self.where = plan, since, until, mode, where
        self.time_off = _check_time_off(time_off, where)
        self.schedules: dict[str, Schedule | ShiftSchedule] = {
            s.name: s for s in plan.all_schedules
        }
        self.existing = mixed_overrides_by_schedule(
            overrides,
            where,
            [s.name for s in plan.schedules],
            [s.name for s in plan.shift_schedules],
        )
        self.added: dict[str, list[Override | ShiftOverride]] = {}
        self.ledger = ledger or Ledger()
        self.new_entries: list[LedgerEntry] = []
        self.covers: list[Cover] = []
        self.uncovered: list[Cover] = []
        self.levels = _levels(plan)
        self.load: dict[User, float] = {}
        for schedule in plan.all_schedules:
            final = render(schedule, since, until, self.overrides(schedule.name), mode)
            for user, hours in final.hours_by_user().items():
                self.load[user] = self.load.get(user, 0.0) + hours

    def overrides(self, name: str) -> tuple[Any, ...]:
        return (*self.existing.get(name, ()), *self.added.get(name, ()))

    def roster(self, schedule: Schedule | ShiftSchedule) -> list[User]:
        if isinstance(schedule, ShiftSchedule):
            return list(schedule.users())
        out: list[User] = []
        for layer in schedule.layers:
            out.extend(u for u in layer.users if u not in out)
        return out

    def entries(self, name: str, a: dt.datetime, b: dt.datetime) -> list[Stretch]:
        final = render(self.schedules[name], a, b, self.overrides(name), self.mode)
        return [(e.start, e.end, e.user, e.source) for e in final.entries]

    def who(self, name: str, at: dt.datetime) -> tuple[User, ...]:
        return people_on_call_at(self.schedules[name], at, self.overrides(name), self.mode)

    def away(self, user: User, a: dt.datetime, b: dt.datetime) -> bool:
        return any(t.user == user and t.start < b and a < t.end for t in self.time_off)

    def busy(self, user: User, name: str, a: dt.datetime, b: dt.datetime) -> bool:
        """On call on another level of a policy that pages ``name``, anywhere in ``[a, b)``; on a
        shift-based schedule, also on call on ``name`` itself then (someone already on call
        there would hold two shifts at once, and the schedule one person fewer)."""
        others, direct = self.levels.get(name, (set(), set()))
        if user in direct:
            return True
        names = sorted(others)
        if isinstance(self.schedules[name], ShiftSchedule):
            names.append(name)
        return any(e[2] == user for other in names for e in self.entries(other, a, b))

    def adjacent(self, user: User, name: str, a: dt.datetime, b: dt.datetime) -> bool:
        """On call right before ``a`` or right at ``b`` on this schedule or another level."""
        names = [name, *sorted(self.levels.get(name, (set(), set()))[0])]
        return any(user in self.who(n, a - MINUTE) or user in self.who(n, b) for n in names)

    def eligible(self, name: str, a: dt.datetime, b: dt.datetime, absent: User) -> list[User]:
        return [
            u
            for u in self.roster(self.schedules[name])
            if u != absent and not self.away(u, a, b) and not self.busy(u, name, a, b)
        ]

    def assign(
        self,
        name: str,
        a: dt.datetime,
        b: dt.datetime,
        absent: User,
        sub: User,
        why: str,
        reason: str,
        source: Source | None = None,
    ) -> None:
        schedule = self.schedules[name]
        made: Override | ShiftOverride = (
            self.shift_override(schedule, a, b, absent, sub, source)
            if isinstance(schedule, ShiftSchedule)
            else Override(a, b, sub)
        )
        self.added.setdefault(name, []).append(made)
        hours = (b - a).total_seconds() / 3600
        self.load[sub] = self.load.get(sub, 0.0) + hours
        self.load[absent] = self.load.get(absent, 0.0) - hours
        self.new_entries.append(LedgerEntry(absent, sub, name, a, b, reason))
        self.covers.append(Cover(name, a, b, absent, sub, why))

    def shift_override(
        self,
        schedule: ShiftSchedule,
        a: dt.datetime,
        b: dt.datetime,
        absent: User,
        sub: User,
        source: Source | None,
    ) -> ShiftOverride:
        """The override that hands ``absent``'s shift from ``source`` over ``[a, b)`` to ``sub``:
        on the same rotation (custom shift), naming ``absent``; where ``absent`` holds the time
        through an earlier override, one more override of the member that one replaced, which
        wins as the later of the two."""
        if source is None:
            raise ValidationError(f"{self.where}: a shift-based entry without a source")
        if source.override is not None:
            earlier = self.overrides(schedule.name)[source.override]
            return ShiftOverride(
                a,
                b,
                earlier.overridden_member,
                sub,
                rotation=earlier.rotation,
                custom_shift=earlier.custom_shift,
            )
        if source.kind == "rotation" and source.rotation is not None:
            return ShiftOverride(a, b, absent, sub, rotation=schedule.rotations[source.rotation])
        assert source.custom_shift is not None
        return ShiftOverride(
            a, b, absent, sub, custom_shift=schedule.custom_shifts[source.custom_shift]
        )

    def owed(self, debtor: User, creditor: User) -> dt.timedelta:
        ledger = self.ledger.extend(self.new_entries)
        return ledger.owed(debtor, creditor)

    def result(self) -> CoverResult:
        overrides: dict[str, Any] = {
            name: tuple(items) for name, items in self.added.items() if items
        }
        covers = tuple(sorted(self.covers, key=lambda c: (c.start, c.schedule)))
        uncovered = tuple(sorted(self.uncovered, key=lambda c: (c.start, c.schedule)))
        return CoverResult(overrides, covers, uncovered, self.ledger.extend(self.new_entries))


def _check_time_off(time_off: object, where: str) -> tuple[TimeOff, ...]:
    return sequence_of(time_off, TimeOff, where, "time_off")


def _levels(plan: OnCallPlan) -> dict[str, tuple[set[str], set[User]]]:
    """For each schedule: the other schedules and the users paged by the same policies."""
    out: dict[str, tuple[set[str], set[User]]] = {
        s.name: (set(), set()) for s in plan.all_schedules
    }
    for policy in plan.escalation_policies:
        names = {t.schedule.name for r in policy.rules for t in r.targets if t.schedule is not None}
        users = {t.user for r in policy.rules for t in r.targets if t.user is not None}
        for name in names:
            out[name][0].update(names - {name})
            out[name][1].update(users)
    return out


def _cut_points(planner: _Planner, name: str, a: dt.datetime, b: dt.datetime) -> list[dt.datetime]:
    """Where the set of people free to cover ``[a, b)`` can change."""
    points = {a, b}
    for other in planner.levels.get(name, (set(), set()))[0]:
        for s, e, *_ in planner.entries(other, a, b):
            points.update((s, e))
    for t in planner.time_off:
        points.update(p for p in (t.start, t.end) if a < p < b)
    return sorted(points)


def _pick(
    planner: _Planner,
    name: str,
    a: dt.datetime,
    b: dt.datetime,
    absent: User,
    candidates: list[User],
    first: Literal["load", "holidays"],
    holiday_hours: Mapping[User, float] | None = None,
) -> tuple[User, str]:
    order = {u: i for i, u in enumerate(planner.roster(planner.schedules[name]))}

    def key(u: User) -> tuple[float, ...]:
        adjacent = 1.0 if planner.adjacent(u, name, a, b) else 0.0
        repays = 0.0 if planner.owed(u, absent) > dt.timedelta() else 1.0
        extra = holiday_hours.get(u, 0.0) if holiday_hours is not None else 0.0
        load = planner.load.get(u, 0.0)
        if first == "holidays":
            return (extra, adjacent, repays, load, float(order.get(u, 0)))
        return (adjacent, extra, repays, load, float(order.get(u, 0)))

    best = min(candidates, key=key)
    adjacent = planner.adjacent(best, name, a, b)
    load = planner.load.get(best, 0.0)
    notes = []
    if first == "holidays" and holiday_hours is not None:
        notes.append(f"fewest holiday hours ({holiday_hours.get(best, 0.0):g} h)")
    if planner.owed(best, absent) > dt.timedelta():
        notes.append(f"repays cover from {absent.name}")
    notes.append(f"least loaded ({load:g} h)" if first == "load" else f"load {load:g} h")
    if adjacent:
        notes.append("on call right before or after: nobody else was free")
    return best, ", ".join(notes)


def cover_time_off(
    plan: OnCallPlan,
    time_off: Sequence[TimeOff],
    since: dt.datetime,
    until: dt.datetime,
    overrides: Mapping[str, Sequence[Override] | Sequence[ShiftOverride]] | None = None,
    ledger: Ledger | None = None,
    schedules: Sequence[str] | None = None,
    mode: Mode = "wall",
) -> CoverResult:
    """Find a substitute for every stretch someone is on call during their time off.

    Looks at ``[since, until)`` on every schedule of the plan (or those named in
    ``schedules``), with the ``overrides`` already in place. For each stretch where a person on
    time off is on call, the substitute is chosen among the people of that schedule's layers who
    are not away and not on call on another level of a policy paging the schedule (so nobody is
    primary and secondary at once) and not paged directly by such a policy. Among those it
    prefers, in order: someone not on call right before or after the stretch, someone who owes
    the absent person cover (per ``ledger``), the least loaded over ``[since, until)``, then
    roster order. When no one is free for a whole stretch it is split where availability
    changes; pieces nobody can take are listed in ``uncovered``.

    Shift-based schedules are covered too: the substitute comes from the people the schedule
    names, not on call on it then (nobody holds two shifts at once), and the cover is a
    ``ShiftOverride`` on the rotation (custom shift) of the absent person's shift. Existing
    overrides map schedule names to ``Override`` or ``ShiftOverride`` lists by kind.

    Returns a :class:`CoverResult` with the new overrides per schedule and the ledger extended
    by one entry per cover (the absent person owes the substitute).
    """
    where = "cover_time_off"
    planner = _Planner(plan, since, until, time_off, overrides, ledger, mode, where)
    names = _names(planner, schedules, where)
    for off in sorted(planner.time_off, key=lambda t: (t.start, t.end, t.user.email)):
        a, b = max(off.start, since), min(off.end, until)
        if a >= b:
            continue
        for name in names:
            for s, e, user, source in planner.entries(name, a, b):
                if user == off.user:
                    _cover_stretch(planner, name, s, e, user, split=True, source=source)
    return planner.result()


def _names(planner: _Planner, schedules: Sequence[str] | None, where: str) -> list[str]:
    if schedules is None:
        return list(planner.schedules)
    names = list(schedules)
    unknown = [n for n in names if n not in planner.schedules]
    if unknown:
        raise ValidationError(
            f"{where}: schedules {unknown} are not in the plan ({sorted(planner.schedules)})"
        )
    return names


def _cover_stretch(
    planner: _Planner,
    name: str,
    a: dt.datetime,
    b: dt.datetime,
    absent: User,
    split: bool,
    source: Source | None = None,
) -> None:
    candidates = planner.eligible(name, a, b, absent)
    if candidates:
        sub, why = _pick(planner, name, a, b, absent, candidates, "load")
        planner.assign(name, a, b, absent, sub, why, "time off", source)
        return
    points = _cut_points(planner, name, a, b) if split else [a, b]
    if len(points) > 2:
        for s, e in itertools.pairwise(points):
            _cover_stretch(planner, name, s, e, absent, split=False, source=source)
        return
    why = "everyone else is away or on call on another level"
    if isinstance(planner.schedules[name], ShiftSchedule):
        why = "everyone else is away, on call on another level or on call here already"
    planner.uncovered.append(Cover(name, a, b, absent, None, why))


def holiday_dates(
    country: str, years: int | Iterable[int], subdiv: str | None = None
) -> dict[dt.date, str]:
    """Public holidays of ``country`` (ISO code, e.g. ``"US"``) from the ``holidays`` package."""
    year_list = [years] if isinstance(years, int) else list(years)
    return public_holidays(country, year_list, subdiv)


def _holidays_of(
    country: str | Sequence[str], year: int, subdiv: str | None, where: str
) -> dict[dt.date, str]:
    if isinstance(country, str):
        return holiday_dates(country, year, subdiv)
    countries = list(country)
    if not countries or not all(isinstance(c, str) for c in countries):
        raise ValidationError(
            f"{where}: country must be an ISO code such as 'US' or a list of them, got {country!r}"
        )
    if subdiv is not None and len(countries) > 1:
        raise ValidationError(
            f"{where}: subdiv {subdiv!r} needs a single country, got {countries}; "
            "pass the country with a subdivision alone"
        )
    merged: dict[dt.date, list[str]] = {}
    for code in countries:
        for day, label in holiday_dates(code, year, subdiv).items():
            names = merged.setdefault(day, [])
            if label not in names:
                names.append(label)
    return {day: "; ".join(names) for day, names in sorted(merged.items())}


def balance_holidays(
    plan: OnCallPlan,
    country: str | Sequence[str],
    year: int,
    subdiv: str | None = None,
    time_off: Sequence[TimeOff] = (),
    overrides: Mapping[str, Sequence[Override] | Sequence[ShiftOverride]] | None = None,
    ledger: Ledger | None = None,
    schedules: Sequence[str] | None = None,
    mode: Mode = "wall",
) -> CoverResult:
    """Spread on-call time on public holidays evenly over ``year``, with overrides.

    ``country`` is an ISO code or a list of them (a team spread over ``["US", "GB"]`` balances
    both calendars together). A holiday is the whole local day in each schedule's time zone.
    Holidays are taken in date order; the holder of each holiday stretch hands it to the
    eligible person (same rules as :func:`cover_time_off`) with the fewest holiday hours so far,
    when that narrows the gap between the two (the holder has more than a stretch's worth of
    holiday hours above them).
    Each hand-over is a ledger entry: the relieved holder owes the substitute.
    """
    where = "balance_holidays"
    if not isinstance(year, int) or isinstance(year, bool):
        raise ValidationError(f"{where}: year must be an int such as 2025, got {year!r}")
    if year not in TIMESTAMP_YEARS:
        raise ValidationError(f"{where}: year must be in the years {YEARS_TEXT}, got {year}")
    days = _holidays_of(country, year, subdiv, where)
    since = dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc) - dt.timedelta(days=1)
    until = dt.datetime(year + 1, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=1)
    planner = _Planner(plan, since, until, time_off, overrides, ledger, mode, where)
    names = _names(planner, schedules, where)
    stretches: list[tuple[dt.datetime, str, dt.datetime, dt.datetime, str]] = []
    for name in names:
        zclock = clock(planner.schedules[name].time_zone)
        for day, label in days.items():
            local = (day - dt.date(1970, 1, 1)).days * DAY
            a, b = (
                from_seconds(zclock.from_local(local)),
                from_seconds(zclock.from_local(local + DAY)),
            )
            stretches.append((a, name, a, b, label))
    stretches.sort(key=lambda s: (s[0], names.index(s[1])))
    holiday_hours: dict[User, float] = {}
    pieces: list[tuple[str, dt.datetime, dt.datetime, User, str, Source | None]] = []
    for _, name, a, b, label in stretches:
        for s, e, user, source in planner.entries(name, a, b):
            pieces.append((name, s, e, user, label, source))
            holiday_hours[user] = holiday_hours.get(user, 0.0) + (e - s).total_seconds() / 3600
    for name, s, e, holder, label, source in pieces:
        hours = (e - s).total_seconds() / 3600
        candidates = planner.eligible(name, s, e, holder)
        if not candidates:
            continue
        sub, why = _pick(planner, name, s, e, holder, candidates, "holidays", holiday_hours)
        if holiday_hours.get(holder, 0.0) - holiday_hours.get(sub, 0.0) <= hours:
            continue  # handing it over would not narrow the gap
        holiday_hours[holder] -= hours
        holiday_hours[sub] = holiday_hours.get(sub, 0.0) + hours
        planner.assign(name, s, e, holder, sub, f"{label}: {why}", f"holiday: {label}", source)
    return planner.result()


__all__ = [
    "Cover",
    "CoverResult",
    "Debt",
    "Ledger",
    "LedgerEntry",
    "balance_holidays",
    "cover_time_off",
    "holiday_dates",
]
