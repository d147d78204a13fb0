"""``fairness_report``: per-person load, fairness indices and pay over a horizon."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.fairness.horizon import Horizon, members, resolve_horizon
from oncall_planner.fairness.indices import Indices, above_average
from oncall_planner.fairness.load import (
    Buckets,
    Span,
    bucket,
    check_regions,
    day_type,
    holiday_dates,
    is_sleep_time,
    page_user_key,
    schedule_levels,
    spans_by_user,
    total,
    union,
    user_target_levels,
    zone_of,
)
from oncall_planner.fairness.pay import Pay, PayRates, non_negative, pay_for
from oncall_planner.model import OnCallPlan, Override, ShiftOverride, ShiftSchedule, User
from oncall_planner.model.inputs import mixed_overrides_by_schedule
from oncall_planner.render import FinalSchedule, ShiftRenderOptions, render
from oncall_planner.timeutil import DAY, HOUR, clock, from_seconds, is_aware, to_seconds, zone

_weight = non_negative("Weights")


@attrs.frozen(kw_only=True)
class Weights:
    """How much an hour of each kind weighs in the *burden*, relative to a plain hour (1).

    ``burden = hours + (night − 1)·night_hours + (weekend − 1)·weekend_hours
    + (holiday − 1)·holiday_hours``: the extras add up, so a Saturday night hour on a holiday
    weighs ``night + weekend + holiday − 2``.
    """

    night: float = attrs.field(default=2.0, validator=_weight)
    weekend: float = attrs.field(default=1.5, validator=_weight)
    holiday: float = attrs.field(default=2.0, validator=_weight)

    def burden(self, hours: float, night: float, weekend: float, holiday: float) -> float:
        return (
            hours
            + (self.night - 1) * night
            + (self.weekend - 1) * weekend
            + (self.holiday - 1) * holiday
        )


@attrs.frozen
class PersonLoad:
    """One person's load over the horizon (hours are floats; counts are ints).

    ``rostered`` people are in some layer; the indices are computed over them only. Others appear
    because an escalation rule targets them directly (on call at that level for the whole
    horizon), because a team lists them, or because they cover through an override.

    ``level1_hours`` is the time on call at escalation level 1 (the first person paged), whatever
    the layers or schedules are called; ``later_hours`` the time on call only at later levels.
    """

    user: User
    rostered: bool
    time_zone: str
    holiday_region: tuple[str, str | None] | None
    hours: float
    level1_hours: float
    later_hours: float
    shifts: int
    longest_stretch_hours: float
    business_hours: float
    off_hours: float
    sleep_hours: float
    night_hours: float
    weekend_hours: float
    holiday_hours: float
    burden: float
    pages: int | None
    sleep_pages: int | None
    above_average_hours: float | None
    above_average_burden: float | None
    pay: Pay | None

    @property
    def primary_hours(self) -> float:
        """Deprecated name of :attr:`level1_hours` (it read like a layer called Primary)."""
        warnings.warn(
            "PersonLoad.primary_hours is deprecated; use level1_hours (hours at escalation "
            "level 1)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.level1_hours


@attrs.frozen
class FairnessReport:
    """What :func:`fairness_report` returns; ``to_text()`` and friends format it."""

    horizon: Horizon
    people: tuple[PersonLoad, ...]
    hours: Indices
    burden: Indices
    weights: Weights
    rates: PayRates | None
    levels: tuple[tuple[str, int], ...]
    finals: tuple[FinalSchedule, ...] = attrs.field(eq=False, repr=False)
    pages_given: bool = False
    unattributed_pages: int = 0
    #: Pages given that fall outside the horizon (not counted anywhere), and the first and last
    #: instant of all the pages given (UTC), to say where they are.
    pages_outside: int = 0
    pages_span: tuple[dt.datetime, dt.datetime] | None = None

    def pages_note(self) -> str | None:
        """A sentence when pages given fall outside the horizon (every format shows it), else
        ``None``: with all of them outside, the page columns are zeros that mean nothing."""
        if not self.pages_given or not self.pages_outside or self.pages_span is None:
            return None
        tz = zone(self.horizon.time_zone)
        first, last = (t.astimezone(tz).strftime("%Y-%m-%d") for t in self.pages_span)
        total = self.pages_outside + sum(p.pages or 0 for p in self.people)
        total += self.unattributed_pages
        if self.pages_outside < total:
            return (
                f"{self.pages_outside} of the {total} pages given fall outside the horizon and "
                "are not counted"
            )
        if total == 1:
            return f"the 1 page given ({first}) is outside the horizon, so every page count is 0"
        return (
            f"none of the {total} pages given falls in the horizon (they run from {first} to "
            f"{last}), so every page count is 0"
        )

    @property
    def rostered(self) -> tuple[PersonLoad, ...]:
        return tuple(p for p in self.people if p.rostered)

    def person(self, email: str) -> PersonLoad:
        """The load of the person with this email (case-insensitive)."""
        for p in self.people:
            if p.user.email.lower() == email.lower():
                return p
        raise ValidationError(
            f"FairnessReport: no person with email {email!r}; the report has "
            f"{[p.user.email for p in self.people]}"
        )

    # The output formats live in the report package, which imports this module; the methods
    # import it when called, so fairness never imports report at load time (the one exception
    # docs/architecture.md allows, listed in tests/test_architecture.py).

    def to_dict(self) -> dict[str, Any]:
        from oncall_planner.report.data import report_dict

        return report_dict(self)

    def to_json(self) -> str:
        from oncall_planner.report.data import to_json

        return to_json(self)

    def to_csv(self) -> str:
        from oncall_planner.report.data import to_csv

        return to_csv(self)

    def to_text(self) -> str:
        from oncall_planner.report.text import to_text

        return to_text(self)

    def to_markdown(self) -> str:
        from oncall_planner.report.text import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        from oncall_planner.report.html import to_html

        return to_html(self)


def shifts_of(spans: Sequence[Span], lo: int, hi: int, wrap: bool) -> list[Span]:
    """The shifts (continuous stretches on call) in the merged ``spans`` of ``[lo, hi)``.

    With ``wrap`` the window is whole rotation cycles, which repeat: a stretch running up to
    ``hi`` goes on at ``lo`` of the next cycle, so it and a stretch starting at ``lo`` are one
    shift (starting where the first one starts and as long as both), not two halves.
    """
    out = list(spans)
    if wrap and len(out) > 1 and out[0][0] == lo and out[-1][1] == hi:
        head, tail = out[0], out[-1]
        out = [*out[1:-1], (tail[0], tail[1] + head[1] - head[0])]
    return out


@attrs.frozen
class _PageTimes:
    times: dict[str, list[int]]  # lower-case email -> instants in the horizon
    unattributed: int  # pages in the horizon that name nobody
    outside: int  # pages outside the horizon
    span: tuple[dt.datetime, dt.datetime] | None  # first and last page given


def _page_times(pages: Iterable[Any], lo: int, hi: int, users: Sequence[User]) -> _PageTimes:
    """The instants (POSIX seconds) of the pages in ``[lo, hi)`` per lower-case email they name,
    how many of those pages name nobody, and how many fall outside ``[lo, hi)``."""
    times: dict[str, list[int]] = {}
    unattributed = outside = 0
    first = last = None
    for i, page in enumerate(pages):
        at = getattr(page, "at", None)
        if not isinstance(at, dt.datetime) or not is_aware(at):
            raise ValidationError(
                f"fairness_report: pages[{i}].at must be a timezone-aware datetime, got {at!r}"
            )
        t = to_seconds(at)  # pages keep their seconds; only schedules are whole minutes
        first = t if first is None else min(first, t)
        last = t if last is None else max(last, t)
        if not lo <= t < hi:
            outside += 1
            continue
        key = page_user_key(getattr(page, "user", None), users)
        if key is None:
            unattributed += 1
        else:
            times.setdefault(key, []).append(t)
    span = None if first is None or last is None else (from_seconds(first), from_seconds(last))
    return _PageTimes(times, unattributed, outside, span)


def fairness_report(
    plan: OnCallPlan,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    *,
    overrides: Mapping[str, Sequence[Override] | Sequence[ShiftOverride]] | None = None,
    holidays: Mapping[str, tuple[str, str | None] | str] | None = None,
    pages: Iterable[Any] | None = None,
    weights: Weights | None = None,
    rates: PayRates | None = None,
    cycles: int = 1,
    mode: str = "wall",
    options: ShiftRenderOptions | None = None,
) -> FairnessReport:
    """Per-person load, indices and pay for ``plan``.

    Without ``since``/``until`` the horizon is ``cycles`` whole rotation cycles from the start of
    the last layer; with ``since`` only, whole cycles from ``since``; with both, that window.
    ``overrides`` maps schedule name -> overrides (``ShiftOverride`` objects for a shift-based
    schedule); ``holidays`` maps user email -> ``(country, subdivision)`` for the ``holidays``
    package; ``pages`` is any objects with ``.at`` (an aware datetime) and ``.user`` (a User, an
    email, or None). Every schedule of either kind counts; where a shift-based schedule has
    several people on call at once, each of them carries the time (``options`` are its render
    options).
    """
    if not isinstance(plan, OnCallPlan):
        raise ValidationError(
            f"fairness_report: plan must be an OnCallPlan, got {type(plan).__name__}"
        )
    if mode not in ("wall", "elapsed"):
        raise ValidationError(f"fairness_report: mode must be 'wall' or 'elapsed', got {mode!r}")
    horizon = resolve_horizon(plan, since, until, cycles, mode=mode)
    weights = weights if weights is not None else Weights()
    if not isinstance(weights, Weights):
        raise ValidationError(f"fairness_report: weights must be Weights, got {weights!r}")
    if rates is not None and not isinstance(rates, PayRates):
        raise ValidationError(f"fairness_report: rates must be PayRates, got {rates!r}")
    if options is not None and not isinstance(options, ShiftRenderOptions):
        raise ValidationError(
            f"fairness_report: options must be ShiftRenderOptions or None, got {options!r}"
        )
    shift_names = [s.name for s in plan.shift_schedules]
    overrides_ = mixed_overrides_by_schedule(overrides, "fairness_report", None, shift_names)
    unknown = sorted(set(overrides_) - {s.name for s in plan.all_schedules})
    if unknown:
        raise ValidationError(
            f"fairness_report: overrides name schedules the plan does not have: {unknown}"
        )
    regions = check_regions(holidays)

    lo, hi = to_seconds(horizon.since), to_seconds(horizon.until)
    finals = tuple(
        render(
            s,
            horizon.since,
            horizon.until,
            overrides_.get(s.name, ()),
            mode,  # type: ignore[arg-type]
            options=options,
        )
        for s in plan.all_schedules
    )
    levels = schedule_levels(plan)
    by_user = spans_by_user((f, levels[f.schedule.name]) for f in finals)
    for email, level in user_target_levels(plan).items():
        by_user.setdefault(email, {}).setdefault(level, []).append((lo, hi))

    rostered = {u.email.lower() for u in members(plan.all_schedules, lo, hi)}
    home: dict[str, str] = {}
    for schedule in plan.all_schedules:
        named = (
            schedule.users()
            if isinstance(schedule, ShiftSchedule)
            else [u for layer in schedule.layers for u in layer.users]
        )
        for u in named:
            home.setdefault(u.email.lower(), schedule.time_zone)
    # Everyone on call counts, also people in no layer or policy who are on call only through an
    # override (a contractor covering a day): listed after the plan's users, not rostered.
    everyone = list(plan.users)
    known = {u.email.lower() for u in everyone}
    for final in finals:
        for entry in final.entries:
            key = entry.user.email.lower()
            if key not in known:
                known.add(key)
                everyone.append(entry.user)
            home.setdefault(key, final.schedule.time_zone)

    pages_given = pages is not None
    page_times = _page_times(() if pages is None else pages, lo, hi, everyone)
    page_counts, unattributed = page_times.times, page_times.unattributed

    years = tuple(range(horizon.since.year - 1, horizon.until.year + 2))
    people: list[dict[str, Any]] = []
    for user in everyone:
        key = user.email.lower()
        levels_spans = by_user.get(key, {})
        all_spans = union(s for spans in levels_spans.values() for s in spans)
        primary = union(levels_spans.get(1, []))
        zone = zone_of(user, home)
        zclock = clock(zone)
        region = regions.get(key)
        dates = holiday_dates(region[0], region[1], years) if region else frozenset()
        b = bucket(all_spans, zclock, dates) if all_spans else Buckets()
        hours = total(all_spans) / HOUR
        shift_kinds: dict[str, int] = {}
        stretches = shifts_of(all_spans, lo, hi, wrap=horizon.kind == "cycle")
        for s, _ in stretches:
            kind = day_type(zclock.to_local(s) // DAY, dates)
            shift_kinds[kind] = shift_kinds.get(kind, 0) + 1
        pages_of = page_counts.get(key, [])
        people.append(
            dict(
                user=user,
                rostered=key in rostered,
                time_zone=zone,
                holiday_region=region,
                hours=hours,
                level1_hours=total(primary) / HOUR,
                later_hours=(total(all_spans) - total(primary)) / HOUR,
                shifts=len(stretches),
                longest_stretch_hours=max((e - s for s, e in stretches), default=0) / HOUR,
                business_hours=b.business / HOUR,
                off_hours=b.off / HOUR,
                sleep_hours=b.sleep / HOUR,
                night_hours=b.sleep / HOUR,
                weekend_hours=b.weekend / HOUR,
                holiday_hours=b.holiday / HOUR,
                burden=weights.burden(hours, b.sleep / HOUR, b.weekend / HOUR, b.holiday / HOUR),
                pages=len(pages_of) if pages_given else None,
                sleep_pages=sum(is_sleep_time(t, zclock) for t in pages_of)
                if pages_given
                else None,
                pay=pay_for(
                    rates,
                    b.weekday_plain / HOUR,
                    b.weekend_plain / HOUR,
                    b.holiday / HOUR,
                    shift_kinds,
                )
                if rates is not None
                else None,
            )
        )
    # Pages naming an email of nobody in the plan or on call count as unattributed too.
    unattributed += sum(len(v) for k, v in page_counts.items() if k not in known)

    hours_r = [p["hours"] for p in people if p["rostered"]]
    burden_r = [p["burden"] for p in people if p["rostered"]]
    loads = tuple(
        PersonLoad(
            **p,
            above_average_hours=above_average(p["hours"], hours_r) if p["rostered"] else None,
            above_average_burden=above_average(p["burden"], burden_r) if p["rostered"] else None,
        )
        for p in people
    )
    return FairnessReport(
        horizon=horizon,
        people=loads,
        hours=Indices.of(hours_r),
        burden=Indices.of(burden_r),
        weights=weights,
        rates=rates,
        levels=tuple(levels.items()),
        finals=finals,
        pages_given=pages_given,
        unattributed_pages=unattributed,
        pages_outside=page_times.outside,
        pages_span=page_times.span,
    )


__all__ = ["FairnessReport", "PersonLoad", "Weights", "fairness_report"]
