"""``health_report``: on-call health as PagerDuty measures it, per person, team, period and week.

Pure: the plan, the page history (:class:`~oncall_planner.health.history.History`), the
configuration and ``now`` go in; a :class:`HealthReport` comes out. This module's one job is the
metrics and the report; who is on call when comes from :mod:`oncall_planner.health.on_call`, the
incidents joined across the exports from :mod:`oncall_planner.health.incidents`. docs/health.md
defines every number; the short version:

- **On call** (from the plan, rendered): seconds at level 1 and at level 2 or higher of the
  escalation policies (a schedule no policy targets counts as level 1; time at level 1 is not
  counted again at level 2+), split into business, off and sleep hours in the person's zone,
  weekend and holiday time, the longest continuous stretch, and per period (for the caps).
- **Interruptions** (from log entries, or from Analytics responder rows): merged as
  :mod:`oncall_planner.health.interruptions` defines, per kind of hour, per hour of the week
  (the heat map), and per on-call hour.
- **Response** (per person): MTTA from their first assignment to their first acknowledgement,
  engaged time from their acknowledgement to the resolution, MTTR of their incidents.
- **Incidents** (team): frequency by urgency and severity, MTTA (trigger to first
  acknowledgement), MTTR, MTTD (first alert to incident), the alert noise ratio.
- Where the input lacks what a number needs, the number is :class:`Unavailable` with the
  reason, never 0.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from oncall_planner.checks import RULES, Finding
from oncall_planner.checks._engine import Context, sort_key
from oncall_planner.checks.health import HEALTH_KEY
from oncall_planner.errors import ValidationError
from oncall_planner.fairness.indices import Indices
from oncall_planner.fairness.load import holiday_dates, union
from oncall_planner.health.config import HealthConfig
from oncall_planner.health.history import History, LogEntry
from oncall_planner.health.hours import BUCKETS, HourWindows, hour_of_week, local_date, preset
from oncall_planner.health.incidents import (
    IncidentRecord,
    _join,
    _log_facts,
    _LogFacts,
    _time_to_ack,
    _time_to_resolve,
)
from oncall_planner.health.incidents import _noise as _noise
from oncall_planner.health.interruptions import Interruption, interruptions
from oncall_planner.health.on_call import (
    Span,
    _clip,
    _level_spans,
    _periods,
    _schedules,
    _total,
    _weeks,
)
from oncall_planner.health.on_call import _subtract as _subtract
from oncall_planner.health.people import (
    PersonIndex,
    home_zones,
    person_region,
    person_zone,
    schedule_roster,
)
from oncall_planner.health.postmortems import Postmortem, PostmortemStats, postmortem_stats
from oncall_planner.model import OnCallPlan, Override, ShiftOverride, User
from oncall_planner.model.inputs import mixed_overrides_by_schedule, sequence_of
from oncall_planner.render import Interval, render
from oncall_planner.timeutil import (
    HOUR,
    ZoneClock,
    check_instant,
    clock,
    from_seconds,
    iso_weekday,
    to_seconds,
    zone,
)

T = TypeVar("T")

#: What every format shows for a number the input cannot give.
NOT_AVAILABLE = "not available from this input"


@attrs.frozen
class Unavailable:
    """A number the input cannot give, and why (``reason``). Never a zero in disguise: every
    format shows it as "not available from this input"."""

    reason: str

    def __str__(self) -> str:
        return NOT_AVAILABLE


def available(value: T | Unavailable) -> bool:
    return not isinstance(value, Unavailable)


@attrs.frozen
class PeriodLoad:
    """One person's on-call time in one period (``label`` like ``2025-03`` or ``2025-W10``)."""

    label: str
    start: dt.datetime
    end: dt.datetime
    on_call_seconds: int
    outside_business_seconds: int


@attrs.frozen
class PayBreakdown:
    """One person's pay over the window: hours and amounts per kind of hour and level."""

    currency: str
    total: float
    level_1: float
    level_2_plus: float
    hours: Mapping[str, float]
    amounts: Mapping[str, float]


@attrs.frozen
class PersonHealth:
    """One person's numbers over the report window (seconds are ints, hours derived)."""

    user: User
    rostered: bool
    time_zone: str
    zone_source: str
    holiday_region: str | None
    region_source: str
    on_call_seconds: int
    level_1_seconds: int
    level_2_plus_seconds: int
    hours_by_bucket: Mapping[str, int]
    weekend_seconds: int
    holiday_seconds: int
    longest_stretch: Interval | None
    periods: tuple[PeriodLoad, ...]
    interruptions: int | Unavailable
    interruptions_by_bucket: Mapping[str, int] | Unavailable
    interruption_rate: float | Unavailable
    notifications: Mapping[str, int] | Unavailable
    heat_map: tuple[tuple[int, ...], ...] | Unavailable
    incidents: int | Unavailable
    engaged_seconds: int | Unavailable
    mtta_seconds: float | Unavailable
    mttr_seconds: float | Unavailable
    pay: PayBreakdown | None
    interruption_source: str

    @property
    def on_call_hours(self) -> float:
        return self.on_call_seconds / HOUR

    @property
    def outside_business_seconds(self) -> int:
        return self.hours_by_bucket["off"] + self.hours_by_bucket["sleep"]

    @property
    def longest_stretch_seconds(self) -> int:
        s = self.longest_stretch
        return 0 if s is None else int((s.end - s.start).total_seconds())


@attrs.frozen
class TeamHealth:
    """A team (or, when the plan names none, everyone rostered): the equity score of on-call
    hours (PagerDuty's ``100 − σ/μ × 100``, clamped to 0–100), the fairness indices of the same
    hours, and the members at or above ``multiplier`` × the average."""

    name: str
    members: tuple[str, ...]
    mean_hours: float
    equity_score: float
    indices: Indices
    outliers: tuple[tuple[str, float], ...]
    interruptions: int | Unavailable


@attrs.frozen
class IncidentStats:
    """The window's incidents: how many, by urgency and severity, and the team's response."""

    count: int
    by_urgency: Mapping[str, int] | Unavailable
    by_severity: Mapping[str, int] | Unavailable
    mtta_seconds: float | Unavailable
    acknowledged: int
    mttr_seconds: float | Unavailable
    resolved: int
    mttd_seconds: float | Unavailable
    detected: int
    detected_early: int
    noise_ratio: float | Unavailable
    noise: int
    noise_known: int
    interruptions: int | Unavailable


@attrs.frozen
class WeekTrend:
    """One week (Monday 00:00 in the report's zone) of the trend."""

    start: dt.date
    incidents: int
    interruptions: int | Unavailable
    mtta_seconds: float | Unavailable
    mttr_seconds: float | Unavailable


@attrs.frozen
class HealthReport:
    """What :func:`health_report` returns; ``to_text()``, ``to_markdown()``, ``to_json()``,
    ``to_csv()`` and ``to_html()`` format it (the report package does the work)."""

    since: dt.datetime
    until: dt.datetime
    time_zone: str
    config: HealthConfig
    people: tuple[PersonHealth, ...]
    teams: tuple[TeamHealth, ...]
    incidents: IncidentStats
    weeks: tuple[WeekTrend, ...]
    periods: tuple[tuple[str, dt.datetime, dt.datetime], ...]
    postmortems: PostmortemStats | None
    findings: tuple[Finding, ...]
    history: History = attrs.field(eq=False, repr=False)
    unattributed: Mapping[str, int]
    outside_window: int
    undated: tuple[str, ...]

    def person(self, email: str) -> PersonHealth:
        """The numbers of the person with this email (case-insensitive)."""
        for p in self.people:
            if p.user.email.lower() == email.lower():
                return p
        raise ValidationError(
            f"HealthReport: no person with email {email!r}; the report has "
            f"{[p.user.email for p in self.people]}"
        )

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    # The formats live in the report package (which imports this module); the methods import it
    # when called, as FairnessReport's do (docs/architecture.md).

    def to_dict(self) -> dict[str, Any]:
        from oncall_planner.report.health import report_dict

        return report_dict(self)

    def to_json(self) -> str:
        from oncall_planner.report.health import to_json

        return to_json(self)

    def to_csv(self) -> str:
        from oncall_planner.report.health import to_csv

        return to_csv(self)

    def to_text(self) -> str:
        from oncall_planner.report.health import to_text

        return to_text(self)

    def to_markdown(self) -> str:
        from oncall_planner.report.health import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        from oncall_planner.report.health_html import to_html

        return to_html(self)


def _noise_ratio(
    records: Sequence[IncidentRecord], known: Sequence[IncidentRecord], noise: int
) -> float | Unavailable:
    """Noise over the resolved incidents that can be judged; not available when none can, or
    when some that resolved by themselves cannot (a ratio without them leaves out exactly the
    incidents that may be noise)."""
    maybe = sum(1 for r in records if r.noise_maybe)
    if maybe:
        resolved = sum(1 for r in records if r.resolved_at is not None)
        return Unavailable(
            f"{maybe} of {resolved} resolved incidents were resolved by a service, and the "
            "exports do not say whether someone acknowledged them first (GET /incidents drops "
            "the acknowledgements of resolved incidents): give log entries, Analytics incident "
            "rows or the incidents CSV"
        )
    if not known:
        return Unavailable(
            "cannot tell which incidents resolved by themselves with no one acting: needs log "
            "entries, Analytics incident rows, or the incidents CSV's auto_resolved column"
        )
    return noise / len(known)


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _mean_or(values: Sequence[float], reason: str) -> float | Unavailable:
    m = _mean(values)
    return Unavailable(reason) if m is None else m


def _window_from(history: History, tz: str) -> tuple[dt.datetime, dt.datetime]:
    instants = [p.at for p in history.pages]
    instants += [e.at for e in history.log_entries]
    instants += [r.created_at for r in history.responders]
    instants += [a.created_at for a in history.analytics]
    if not instants:
        raise ValidationError(
            "health_report: give since and until, or a history to take the window from"
        )
    z = zone(tz)
    first = min(instants).astimezone(z).date()
    last = max(instants).astimezone(z).date() + dt.timedelta(days=1)
    return dt.datetime.combine(first, dt.time(0), z), dt.datetime.combine(last, dt.time(0), z)


def health_report(
    plan: OnCallPlan,
    history: History | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    *,
    config: HealthConfig | None = None,
    postmortems: Iterable[Postmortem] | None = None,
    overrides: Mapping[str, Sequence[Override] | Sequence[ShiftOverride]] | None = None,
    now: dt.datetime | None = None,
) -> HealthReport:
    """The health report of ``plan`` over ``[since, until)`` with the page ``history``.

    Without ``since``/``until`` the window is the whole local days the history spans.
    ``postmortems`` (see :mod:`oncall_planner.health.postmortems`) are judged as of ``now``
    (default: ``until``), so the report depends on nothing but its arguments.
    """
    if not isinstance(plan, OnCallPlan):
        raise ValidationError(
            f"health_report: plan must be an OnCallPlan, got {type(plan).__name__}"
        )
    history = History() if history is None else history
    if not isinstance(history, History):
        raise ValidationError(
            f"health_report: history must be a History (load_history() reads exports), got "
            f"{type(history).__name__}"
        )
    config = HealthConfig() if config is None else config
    if not isinstance(config, HealthConfig):
        raise ValidationError(
            f"health_report: config must be a HealthConfig, got {type(config).__name__}"
        )
    schedules = _schedules(plan)
    tz = config.time_zone or (schedules[0].time_zone if schedules else "Etc/UTC")
    if since is None or until is None:
        if since is not None or until is not None:
            raise ValidationError("health_report: give both since and until, or neither")
        since, until = _window_from(history, tz)
    check_instant(since, "health_report", "since")
    check_instant(until, "health_report", "until")
    if until <= since:
        raise ValidationError(
            f"health_report: until must be after since ({since.isoformat()}), got "
            f"{until.isoformat()}"
        )
    if now is not None:
        check_instant(now, "health_report", "now")
    posts = (
        ()
        if postmortems is None
        else sequence_of(postmortems, Postmortem, "health_report", "postmortems")
    )
    ov = mixed_overrides_by_schedule(
        overrides,
        "health_report",
        [s.name for s in plan.schedules],
        [s.name for s in plan.shift_schedules],
    )
    since, until = since.astimezone(dt.timezone.utc), until.astimezone(dt.timezone.utc)
    lo, hi = to_seconds(since), to_seconds(until)
    windows = config.hours

    finals = {s.name: render(s, since, until, ov.get(s.name, ())) for s in schedules}
    levels = _level_spans(plan, finals, lo, hi)
    homes = home_zones(schedules)
    rostered = {u.email.lower() for s in schedules for u in schedule_roster(s)}
    periods = _periods(since, until, config.period, tz)
    index = PersonIndex(plan.users, config.people)

    # History: log entries per incident, interruptions, incidents joined.
    by_incident: dict[str, list[LogEntry]] = {}
    for entry in history.log_entries:
        by_incident.setdefault(entry.incident, []).append(entry)
    logs = {k: _log_facts(v) for k, v in by_incident.items()}
    records, undated = _join(history, index, logs)
    in_window = [
        r for r in records if r.triggered_at is not None and since <= r.triggered_at < until
    ]
    outside = len(records) - len(in_window)
    window_ids = {r.id for r in in_window}

    have_logs = bool(history.log_entries)
    have_rows = bool(history.responders)
    rows_unusable = _rows_unusable(windows, config.merge_seconds)
    found = interruptions(history.log_entries, config.merge_seconds, windows.counting)
    per_user_intr: dict[str, list[Interruption]] = {}
    unattributed: dict[str, int] = {}
    for intr in found:
        if not lo <= to_seconds(intr.at) < hi:
            continue
        user = index.find(intr.person)
        if user is None:
            label = str(intr.person)
            unattributed[label] = unattributed.get(label, 0) + 1
        else:
            per_user_intr.setdefault(user.email.lower(), []).append(intr)
    notif_counts: dict[str, dict[str, int]] = {}
    for entry in history.log_entries:
        if entry.kind != "notify" or not lo <= to_seconds(entry.at) < hi:
            continue
        user = index.find(entry.user)
        if user is None:
            continue
        per = notif_counts.setdefault(user.email.lower(), {})
        method = entry.method or "other"
        per[method] = per.get(method, 0) + 1
    rows_by_user: dict[str, list[Any]] = {}
    for row in history.responders:
        if not lo <= to_seconds(row.created_at) < hi:
            continue
        user = index.find(row.responder)
        if user is None:
            if have_logs:  # interruptions come from the log entries, which count them already
                continue
            label = str(row.responder)
            if windows.counting == "acknowledgements":
                count = row.acknowledgements or 0
            else:
                count = row.interruptions or 0
            unattributed[label] = unattributed.get(label, 0) + count
        else:
            rows_by_user.setdefault(user.email.lower(), []).append(row)

    from_logs = _log_responses(index, logs, window_ids) if have_logs else {}
    anyone_assigned = any(r.assigned for r in records)
    years = tuple(range(since.year - 1, until.year + 2))
    people: list[PersonHealth] = []
    for user in plan.users:
        key = user.email.lower()
        one, two = levels.get(key, ([], []))
        one, two = _clip(one, lo, hi), _clip(two, lo, hi)
        all_spans = union([*one, *two])
        tz_user, zone_source = person_zone(user, homes, tz)
        zclock = clock(tz_user)
        region, region_source = person_region(
            user, tz_user, config.people, config.holidays_from_zone
        )
        dates: frozenset[dt.date] = frozenset()
        if region is not None:
            dates = holiday_dates(region[0], region[1], years)
        buckets, weekend, holiday, pay_hours = _kinds_of_hours(one, two, windows, zclock, dates)
        on_call = _total(all_spans)
        longest = max(all_spans, key=lambda sp: (sp[1] - sp[0], -sp[0]), default=None)
        person_periods = []
        for label, p_start, p_end in periods:
            p_lo, p_hi = to_seconds(p_start), to_seconds(p_end)
            inside = _clip(all_spans, p_lo, p_hi)
            split = windows.split(inside, zclock)
            person_periods.append(
                PeriodLoad(label, p_start, p_end, _total(inside), split["off"] + split["sleep"])
            )

        # Interruptions and response.
        mine = per_user_intr.get(key, [])
        rows = rows_by_user.get(key, [])
        intr_count, intr_buckets, heat, source = _interruption_numbers(
            mine, rows, windows, zclock, have_logs, have_rows, rows_unusable
        )
        rate: float | Unavailable
        if isinstance(intr_count, Unavailable):
            rate = intr_count
        elif on_call == 0:
            rate = Unavailable("not on call in the window")
        else:
            rate = intr_count / (on_call / HOUR)
        notes: Mapping[str, int] | Unavailable = (
            dict(sorted(notif_counts.get(key, {}).items()))
            if have_logs
            else Unavailable("needs log entries with notify entries (include[]=channels)")
        )
        mtta, engaged = _response(key, from_logs, rows, have_logs, have_rows)
        mine_incidents = [r for r in in_window if key in r.assigned]
        incidents_n: int | Unavailable = (
            len(mine_incidents)
            if anyone_assigned
            else Unavailable("the history names nobody as assigned")
        )
        mttr = _mean_or(
            [d for r in mine_incidents if (d := _time_to_resolve(r)) is not None],
            "no resolved incident of theirs in the window"
            if available(incidents_n)
            else "the history names nobody as assigned",
        )
        pay = _pay(pay_hours, config) if config.pay is not None else None
        people.append(
            PersonHealth(
                user=user,
                rostered=key in rostered,
                time_zone=tz_user,
                zone_source=zone_source,
                holiday_region=None if region is None else "-".join(x for x in region if x),
                region_source=region_source,
                on_call_seconds=on_call,
                level_1_seconds=_total(one),
                level_2_plus_seconds=_total(two),
                hours_by_bucket=buckets,
                weekend_seconds=weekend,
                holiday_seconds=holiday,
                longest_stretch=None
                if longest is None
                else Interval(from_seconds(longest[0]), from_seconds(longest[1])),
                periods=tuple(person_periods),
                interruptions=intr_count,
                interruptions_by_bucket=intr_buckets,
                interruption_rate=rate,
                notifications=notes,
                heat_map=heat,
                incidents=incidents_n,
                engaged_seconds=engaged,
                mtta_seconds=mtta,
                mttr_seconds=mttr,
                pay=pay,
                interruption_source=source,
            )
        )

    teams = _teams(plan, people, rostered, config)
    no_interruptions = (
        None
        if have_logs or (have_rows and rows_unusable is None)
        else rows_unusable
        if have_rows
        else "needs log entries or Analytics responder rows"
    )
    stats = _incident_stats(in_window, people, no_interruptions, history)
    weeks = _trend(
        in_window,
        found,
        since,
        until,
        tz,
        index,
        have_logs,
        history,
        lo,
        hi,
        windows.counting,
        no_interruptions,
    )
    today = (now or until).astimezone(zone(tz)).date()  # the team's date, not UTC's
    post_stats = postmortem_stats(posts, today) if postmortems is not None else None
    report = HealthReport(
        since=since,
        until=until,
        time_zone=tz,
        config=config,
        people=tuple(people),
        teams=teams,
        incidents=stats,
        weeks=weeks,
        periods=periods,
        postmortems=post_stats,
        findings=(),
        history=history,
        unattributed=dict(sorted(unattributed.items())),
        outside_window=outside,
        undated=tuple(undated),
    )
    return attrs.evolve(report, findings=_findings(plan, report, history, ov))


def _kinds_of_hours(
    one: Sequence[Span],
    two: Sequence[Span],
    windows: HourWindows,
    zclock: ZoneClock,
    dates: frozenset[dt.date],
) -> tuple[dict[str, int], int, int, dict[str, float]]:
    """Seconds on call in each bucket, on weekends and on holidays, and the hours per
    ``level/kind`` that pay is computed from (kind: holiday, else weekend, else business or
    off_hours). The spans are cut at every window edge and local midnight first."""
    buckets = dict.fromkeys(BUCKETS, 0)
    weekend = holiday = 0
    pay_hours: dict[str, float] = {}
    for level, spans in (("level_1", one), ("level_2_plus", two)):
        for s, e in spans:
            for a, b in windows.pieces(s, e, zclock):
                bucket = windows.bucket_of(a, zclock)
                buckets[bucket] += b - a
                weekday = iso_weekday(zclock.to_local(a))
                if local_date(a, zclock) in dates:
                    kind = "holiday"
                    holiday += b - a
                elif weekday >= 6:
                    kind = "weekend"
                else:
                    kind = "business" if bucket == "business" else "off_hours"
                if weekday >= 6:
                    weekend += b - a
                key = f"{level}/{kind}"
                pay_hours[key] = pay_hours.get(key, 0) + (b - a) / HOUR
    return buckets, weekend, holiday, pay_hours


#: PagerDuty's Analytics merges notifications within this many seconds.
ANALYTICS_MERGE_SECONDS = 60


def _rows_unusable(windows: HourWindows, merge_seconds: int) -> str | None:
    """Why Analytics responder rows cannot give interruptions as configured, or None: their
    counts are merged within 60 s, and cannot be merged again over another window."""
    if windows.counting == "notifications" and merge_seconds != ANALYTICS_MERGE_SECONDS:
        return (
            f"Analytics merges notifications within {ANALYTICS_MERGE_SECONDS} s, not "
            f"{merge_seconds} s; give log entries"
        )
    return None


def _pagerdutys_own(windows: HourWindows) -> bool:
    """Whether ``windows`` sort hours as PagerDuty's Analytics does: the ``pagerduty`` preset
    as it is, not with a bucket, the precedence or the fallback changed (it keeps its name)."""
    own = preset("pagerduty")
    return (
        set(windows.windows) == set(own.windows)
        and windows.precedence == own.precedence
        and windows.fallback == own.fallback
        and windows.counting == own.counting
    )


def _interruption_numbers(
    mine: Sequence[Interruption],
    rows: Sequence[Any],
    windows: HourWindows,
    zclock: ZoneClock,
    have_logs: bool,
    have_rows: bool,
    rows_unusable: str | None,
) -> tuple[
    int | Unavailable,
    Mapping[str, int] | Unavailable,
    tuple[tuple[int, ...], ...] | Unavailable,
    str,
]:
    """(count, per bucket, heat map, source) of one person's interruptions: from log entries
    (merged here), else from PagerDuty's Analytics rows, else not available."""
    if have_logs:
        counts = dict.fromkeys(BUCKETS, 0)
        grid = [[0] * 24 for _ in range(7)]
        for intr in mine:
            t = to_seconds(intr.at)
            counts[windows.bucket_of(t, zclock)] += 1
            weekday, hour = hour_of_week(t, zclock)
            grid[weekday - 1][hour] += 1
        return len(mine), counts, tuple(tuple(r) for r in grid), "log entries"
    if have_rows and rows_unusable is not None:
        unusable = Unavailable(rows_unusable)
        heat = Unavailable(
            "Analytics rows count interruptions but do not say when each happened; give log entries"
        )
        return unusable, unusable, heat, "Analytics responder rows"
    if have_rows:
        if windows.counting == "acknowledgements":
            count = sum(r.acknowledgements or 0 for r in rows)
        else:
            count = sum(r.interruptions or 0 for r in rows)
        by_bucket: Mapping[str, int] | Unavailable
        if _pagerdutys_own(windows):
            by_bucket = {
                "business": sum(r.business or 0 for r in rows),
                "off": sum(r.off or 0 for r in rows),
                "sleep": sum(r.sleep or 0 for r in rows),
            }
        else:
            theirs = (
                "the changed 'pagerduty' preset's"
                if windows.name == "pagerduty"
                else f"the {windows.name!r} preset's"
            )
            by_bucket = Unavailable(
                f"Analytics counts interruptions in PagerDuty's own windows, not {theirs}; "
                "give log entries"
            )
        heat = Unavailable(
            "Analytics rows count interruptions but do not say when each happened; give log entries"
        )
        return count, by_bucket, heat, "Analytics responder rows"
    why = "needs log entries (GET /log_entries with include[]=channels) or Analytics responder rows"
    return Unavailable(why), Unavailable(why), Unavailable(why), ""


def _log_responses(
    index: PersonIndex, logs: Mapping[str, _LogFacts], window_ids: set[str]
) -> dict[str, tuple[list[float], int]]:
    """Email -> (assignment-to-acknowledgement delays, engaged seconds), from the log entries of
    the window's incidents, each person's first assignment and first acknowledgement."""
    out: dict[str, tuple[list[float], int]] = {}
    for incident, facts in logs.items():
        if incident not in window_ids or not facts.acks:
            continue
        assigned: dict[str, dt.datetime] = {}
        for ref, at in facts.assigned.items():
            user = index.find(ref)
            if user is not None:
                key = user.email.lower()
                assigned[key] = min(at, assigned.get(key, at))
        acks: dict[str, dt.datetime] = {}
        for ref, at in facts.acks.items():
            user = index.find(ref)
            if user is not None:
                key = user.email.lower()
                acks[key] = min(at, acks.get(key, at))
        for key, ack in acks.items():
            delays, engaged = out.setdefault(key, ([], 0))
            if key in assigned and ack >= assigned[key]:
                delays.append((ack - assigned[key]).total_seconds())
            if facts.resolved_at is not None and facts.resolved_at >= ack:
                engaged += int((facts.resolved_at - ack).total_seconds())
            out[key] = (delays, engaged)
    return out


def _response(
    key: str,
    from_logs: Mapping[str, tuple[list[float], int]],
    rows: Sequence[Any],
    have_logs: bool,
    have_rows: bool,
) -> tuple[float | Unavailable, int | Unavailable]:
    """(MTTA, engaged seconds) of one person: from log entries, else Analytics rows."""
    if have_logs:
        delays, engaged = from_logs.get(key, ([], 0))
        return _mean_or(delays, "acknowledged none of their incidents in the window"), engaged
    if have_rows:
        acked = [
            float(r.seconds_to_acknowledge) for r in rows if r.seconds_to_acknowledge is not None
        ]
        engaged_rows = [r.engaged_seconds for r in rows if r.engaged_seconds is not None]
        return (
            _mean_or(acked, "acknowledged none of their incidents in the window"),
            sum(engaged_rows)
            if engaged_rows or not rows
            else Unavailable("the Analytics rows give no engaged time"),
        )
    why = "needs log entries or Analytics responder rows"
    return Unavailable(why), Unavailable(why)


def _pay(hours: Mapping[str, float], config: HealthConfig) -> PayBreakdown:
    rates = config.pay
    assert rates is not None
    amounts: dict[str, float] = {}
    level_totals = {"level_1": 0.0, "level_2_plus": 0.0}
    for pay_key, h in sorted(hours.items()):
        level, kind = pay_key.split("/")
        amount = h * rates.rate(level) * rates.multiplier(kind)
        amounts[pay_key] = round(amount, 2) + 0.0
        level_totals[level] += amount
    return PayBreakdown(
        currency=rates.currency,
        total=round(sum(level_totals.values()), 2) + 0.0,
        level_1=round(level_totals["level_1"], 2) + 0.0,
        level_2_plus=round(level_totals["level_2_plus"], 2) + 0.0,
        hours={k: round(v, 4) + 0.0 for k, v in sorted(hours.items())},
        amounts=amounts,
    )


def equity_score(values: Sequence[float]) -> float:
    """PagerDuty's equity score: ``100 − σ/μ × 100`` (σ the population standard deviation),
    clamped to 0–100; 100 when the mean is 0. Hours are finite numbers >= 0
    (a :class:`ValidationError` otherwise)."""
    if not all(isinstance(v, (int, float)) and math.isfinite(v) and v >= 0 for v in values):
        shown = ", ".join(repr(v) for v in list(values)[:5])
        raise ValidationError(f"equity_score: hours must be finite numbers >= 0, got [{shown}]")
    if not values:
        return 100.0
    mean = statistics.fmean(values)
    if mean == 0:
        return 100.0
    score = 100 - statistics.pstdev(values) / mean * 100
    return min(100.0, max(0.0, score))


def _teams(
    plan: OnCallPlan, people: Sequence[PersonHealth], rostered: set[str], config: HealthConfig
) -> tuple[TeamHealth, ...]:
    by_email = {p.user.email.lower(): p for p in people}
    groups: list[tuple[str, list[str]]] = []
    for team in plan.teams:
        members = [u.email.lower() for u in team.members if u.email.lower() in by_email]
        if members:
            groups.append((team.name, members))
    if not groups:
        groups.append(
            (
                "Everyone rostered",
                [p.user.email.lower() for p in people if p.user.email.lower() in rostered],
            )
        )
    multiplier = config.checks.thresholds_for("OCP803")["multiplier"]
    out = []
    for name, members in groups:
        hours = [by_email[m].on_call_seconds / HOUR for m in members]
        mean = statistics.fmean(hours) if hours else 0.0
        outliers = tuple(
            (m, h / mean)
            for m, h in zip(members, hours, strict=True)
            if mean > 0 and h >= multiplier * mean
        )
        counts = [by_email[m].interruptions for m in members]
        total: int | Unavailable
        if counts and all(isinstance(c, int) for c in counts):
            total = sum(c for c in counts if isinstance(c, int))
        else:
            total = next(
                (c for c in counts if isinstance(c, Unavailable)), Unavailable("no members")
            )
        out.append(
            TeamHealth(
                name=name,
                members=tuple(members),
                mean_hours=mean,
                equity_score=equity_score(hours),
                indices=Indices.of(hours),
                outliers=outliers,
                interruptions=total,
            )
        )
    return tuple(out)


def _counts(values: Iterable[str | None], what: str) -> Mapping[str, int] | Unavailable:
    items = list(values)
    if not any(v is not None for v in items):
        return Unavailable(f"no incident in the window carries {what}")
    out: dict[str, int] = {}
    for v in items:
        label = v if v is not None else "unknown"
        out[label] = out.get(label, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == "unknown", kv[0])))


def _incident_stats(
    records: Sequence[IncidentRecord],
    people: Sequence[PersonHealth],
    no_interruptions: str | None,
    history: History,
) -> IncidentStats:
    acked = [d for r in records if (d := _time_to_ack(r)) is not None]
    resolved = [d for r in records if (d := _time_to_resolve(r)) is not None]
    detected = [
        max(0.0, (r.triggered_at - r.alert_created_at).total_seconds())
        for r in records
        if r.alert_created_at is not None and r.triggered_at is not None
    ]
    known = [r for r in records if r.noise is not None]
    noise = sum(1 for r in known if r.noise)
    interruptions_total: int | Unavailable
    counts = [p.interruptions for p in people]
    if no_interruptions is None:
        interruptions_total = sum(c for c in counts if isinstance(c, int))
    else:
        interruptions_total = Unavailable(no_interruptions)
    no_acks = (
        "no incident in the window was acknowledged"
        if any(r.ack_known for r in records)
        else "the history does not say when incidents were acknowledged (resolved incidents "
        "from GET /incidents lose their acknowledgements; add log entries or a CSV)"
    )
    return IncidentStats(
        count=len(records),
        by_urgency=_counts((r.urgency for r in records), "an urgency"),
        by_severity=_counts((r.severity for r in records), "a severity (priority)"),
        mtta_seconds=_mean_or(acked, no_acks),
        acknowledged=len(acked),
        mttr_seconds=_mean_or(resolved, "no incident in the window was resolved"),
        resolved=len(resolved),
        mttd_seconds=_mean_or(
            detected,
            "needs alerts (GET /incidents/{id}/alerts) created before their incidents"
            if not history.alerts
            else "no alert of an incident in the window",
        ),
        detected=len(detected),
        detected_early=sum(1 for d in detected if d > 0),
        noise_ratio=_noise_ratio(records, known, noise),
        noise=noise,
        noise_known=len(known),
        interruptions=interruptions_total,
    )


def _trend(
    records: Sequence[IncidentRecord],
    found: Sequence[Interruption],
    since: dt.datetime,
    until: dt.datetime,
    tz: str,
    index: PersonIndex,
    have_logs: bool,
    history: History,
    lo: int,
    hi: int,
    counting: str,
    no_interruptions: str | None,
) -> tuple[WeekTrend, ...]:
    """Per week: incidents, interruptions counted as the people's are (``counting``; not
    available for ``no_interruptions``), MTTA and MTTR."""
    weeks = _weeks(since, until, tz)
    starts = [w_lo for _, w_lo, _ in weeks]

    def week_of(t: int) -> int | None:
        i = bisect.bisect_right(starts, t) - 1
        return i if i >= 0 and t < weeks[i][2] else None

    inside: list[list[IncidentRecord]] = [[] for _ in weeks]
    for r in records:
        if r.triggered_at is not None and (i := week_of(to_seconds(r.triggered_at))) is not None:
            inside[i].append(r)
    counts = [0] * len(weeks)
    if have_logs:
        for one in found:
            t = to_seconds(one.at)
            if lo <= t < hi and (i := week_of(t)) is not None and index.find(one.person):
                counts[i] += 1
    elif history.responders:
        for row in history.responders:
            t = to_seconds(row.created_at)
            if lo <= t < hi and (i := week_of(t)) is not None and index.find(row.responder):
                if counting == "acknowledgements":
                    counts[i] += row.acknowledgements or 0
                else:
                    counts[i] += row.interruptions or 0
    out = []
    for (start, _, _), mine, count in zip(weeks, inside, counts, strict=True):
        acked = [d for r in mine if (d := _time_to_ack(r)) is not None]
        resolved = [d for r in mine if (d := _time_to_resolve(r)) is not None]
        intr: int | Unavailable = (
            count if no_interruptions is None else Unavailable(no_interruptions)
        )
        out.append(
            WeekTrend(
                start=start,
                incidents=len(mine),
                interruptions=intr,
                mtta_seconds=_mean_or(acked, "no acknowledged incident that week"),
                mttr_seconds=_mean_or(resolved, "no resolved incident that week"),
            )
        )
    return tuple(out)


def _findings(
    plan: OnCallPlan,
    report: HealthReport,
    history: History,
    overrides: Mapping[str, tuple[Override, ...] | tuple[ShiftOverride, ...]],
) -> tuple[Finding, ...]:
    """The enabled rules (the health findings ``OCP8xx`` by default) run on a check context that
    carries this report."""
    checks = report.config.checks
    ctx = Context(plan, report.since, report.until, history.pages, overrides, ())
    ctx.memo(HEALTH_KEY, lambda: report)
    findings: list[Finding] = []
    for code in sorted(RULES):
        if not checks.enabled(code):
            continue
        r = RULES[code]
        forced = checks.severity.get(code)
        for hit in r.func(ctx, checks.thresholds_for(code)):
            findings.append(
                Finding(
                    code=r.code,
                    rule=r.name,
                    severity=forced or hit.severity or r.severity,  # type: ignore[arg-type]
                    subject=hit.subject,
                    message=hit.message,
                    intervals=hit.intervals,
                    hint=hit.hint,
                )
            )
    return tuple(sorted(findings, key=sort_key))


__all__ = [
    "NOT_AVAILABLE",
    "HealthReport",
    "IncidentRecord",
    "IncidentStats",
    "PayBreakdown",
    "PeriodLoad",
    "PersonHealth",
    "TeamHealth",
    "Unavailable",
    "WeekTrend",
    "available",
    "equity_score",
    "health_report",
]
