"""Health rules (OCP8xx): caps, outliers, interruption rate, stretches, overdue P1 actions.

They are ordinary rules of the registry (``RULES``, docs/checks.md), with codes, severities and
thresholds; their thresholds are the caps of the health configuration. They read the
:class:`~oncall_planner.health.report.HealthReport` that :func:`health_report` puts in the check
context, so they report from ``oncall-planner health`` (and ``health_report``); ``check()`` has
no page history at notification level, no configuration and no postmortems, and they stay quiet
there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from oncall_planner.checks._engine import (
    Context,
    Hit,
    object_subject,
    rule,
    span,
    user_subject,
)
from oncall_planner.render import Interval

if TYPE_CHECKING:
    from oncall_planner.health.report import HealthReport

#: The key under which health_report puts its report in the check context.
HEALTH_KEY = ("health", "report")


def _report(ctx: Context) -> HealthReport | None:
    report: HealthReport | None = ctx.memo(HEALTH_KEY, lambda: None)
    return report


def _h(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:.0f} h" if abs(hours - round(hours)) < 0.05 else f"{hours:.1f} h"


def _caps(ctx: Context, t: Mapping[str, Any], field: str, what: str, hint: str) -> Iterator[Hit]:
    report = _report(ctx)
    if report is None:
        return
    cap = t["max_hours"] * 3600
    for p in report.people:
        for period in p.periods:
            used = getattr(period, field)
            if used == 0:
                continue
            where = Interval(period.start, period.end)
            when_ = f"in {period.label}" if period.label != "window" else "in the window"
            if used > cap:
                yield Hit(
                    subject=user_subject(p.user),
                    message=(
                        f"{what} {_h(used)} {when_}, over the cap of {t['max_hours']:g} h "
                        f"({used / cap:.0%})"
                    ),
                    intervals=(where,),
                    hint=hint,
                )
            elif used >= t["near_ratio"] * cap:
                yield Hit(
                    subject=user_subject(p.user),
                    message=(
                        f"{what} {_h(used)} {when_}, {used / cap:.0%} of the cap of "
                        f"{t['max_hours']:g} h (near: {t['near_ratio']:.0%} or more)"
                    ),
                    intervals=(where,),
                    hint=hint,
                    severity="warning",
                )


@rule(
    "OCP801",
    "on-call-hours-cap",
    "error",
    "On call for more hours in a period than the cap (an error), or close to it (a warning at "
    "`near_ratio` of the cap). Level 1 and level 2+ count alike.",
    max_hours=160,
    near_ratio=0.9,
)
def on_call_hours_cap(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    yield from _caps(
        ctx,
        t,
        "on_call_seconds",
        "on call",
        "spread the on-call time over more people, or shorten the turns",
    )


@rule(
    "OCP802",
    "outside-hours-cap",
    "error",
    "On call outside business hours (off and sleep hours, in the person's zone) for more hours "
    "in a period than the cap (an error), or close to it (a warning).",
    max_hours=60,
    near_ratio=0.9,
)
def outside_hours_cap(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    yield from _caps(
        ctx,
        t,
        "outside_business_seconds",
        "on call outside business hours for",
        "hand nights and weekends to another time zone, or rotate them more often",
    )


@rule(
    "OCP803",
    "load-outlier",
    "warning",
    "On call for at least `multiplier` times the team's average hours (1.5 to 5).",
    multiplier=2.0,
)
def load_outlier(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    report = _report(ctx)
    if report is None:
        return
    by_email = {p.user.email.lower(): p for p in report.people}
    for team in report.teams:
        for email, ratio in team.outliers:
            p = by_email[email]
            yield Hit(
                subject=user_subject(p.user),
                message=(
                    f"on call {_h(p.on_call_seconds)}, {ratio:.1f}× the average of "
                    f"{team.mean_hours:.0f} h in {team.name!r} (outlier at "
                    f"{t['multiplier']:g}×)"
                ),
                intervals=(Interval(report.since, report.until),),
                hint="share the load: swap turns, or add people to the rotation",
            )


@rule(
    "OCP804",
    "interruption-rate",
    "warning",
    "More interruptions per on-call hour than `max_per_hour` (0.17 is about two per 12-hour "
    "shift, the most the Google SRE book counts as sustainable).",
    max_per_hour=0.17,
)
def interruption_rate(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    report = _report(ctx)
    if report is None:
        return
    for p in report.people:
        rate = p.interruption_rate
        if isinstance(rate, float) and rate > t["max_per_hour"]:
            yield Hit(
                subject=user_subject(p.user),
                message=(
                    f"{p.interruptions} interruptions in {_h(p.on_call_seconds)} on call: "
                    f"{rate:.2f} per hour, more than {t['max_per_hour']:g}"
                ),
                intervals=(Interval(report.since, report.until),),
                hint="fix or silence the noisiest alerts; route low-urgency ones to business hours",
            )


@rule(
    "OCP805",
    "longest-stretch-cap",
    "warning",
    "A continuous stretch on call (all levels, all schedules) longer than `max_hours` in the "
    "report window: the health report's counterpart of OCP401.",
    max_hours=168,
)
def longest_stretch_cap(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    report = _report(ctx)
    if report is None:
        return
    for p in report.people:
        stretch = p.longest_stretch
        if stretch is not None and p.longest_stretch_seconds > t["max_hours"] * 3600:
            yield Hit(
                subject=user_subject(p.user),
                message=(
                    f"on call for {_h(p.longest_stretch_seconds)} without a break "
                    f"({span(stretch, p.time_zone)}), more than {t['max_hours']:g} h"
                ),
                intervals=(stretch,),
                hint="keep a break between turns (a secondary one turn behind the primary makes "
                "two-turn stretches)",
            )


@rule(
    "OCP806",
    "overdue-p1-action",
    "error",
    "A postmortem action item of priority `priority` that is not done and past its due date.",
    priority="P1",
)
def overdue_p1_action(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    report = _report(ctx)
    if report is None or report.postmortems is None:
        return
    stats = report.postmortems
    for post, item in stats.overdue:
        if item.priority.strip().lower() != str(t["priority"]).strip().lower():
            continue
        days = (stats.today - item.due).days if item.due is not None else 0
        yield Hit(
            subject=object_subject("Postmortem", post.source, f"line {item.line}"),
            message=(
                f"{item.priority} action {item.action!r} (owner {item.owner}) was due "
                f"{item.due}, {days} day(s) ago, and is {item.status or 'open'}"
            ),
            hint="finish it or re-plan it with a new due date: an open P1 action is a repeat "
            "incident waiting",
        )


@rule(
    "OCP807",
    "unmatched-history",
    "info",
    "History the health report could not use: interruptions of people not in the plan, "
    "incidents outside the window or without a time, records left out on purpose. Reported, "
    "never dropped silently.",
)
def unmatched_history(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    report = _report(ctx)
    if report is None:
        return
    if report.unattributed:
        names = ", ".join(f"{k} ({v})" for k, v in report.unattributed.items())
        yield Hit(
            subject="page history",
            message=f"interruptions of people who are not in the plan: {names}",
            hint="add them to the plan, or map their PagerDuty ids in [people] of the config",
        )
    if report.outside_window:
        yield Hit(
            subject="page history",
            message=f"{report.outside_window} incident(s) triggered outside the window were "
            "not counted",
            hint="widen --since/--until to cover the history",
        )
    if report.undated:
        yield Hit(
            subject="page history",
            message=f"{len(report.undated)} incident(s) with no time in any export: "
            f"{', '.join(report.undated[:5])}",
            hint="export the incidents too, or log entries with their trigger entries",
        )
    if report.history.skipped:
        yield Hit(
            subject="page history",
            message=f"{len(report.history.skipped)} record(s) left out on purpose, first: "
            f"{report.history.skipped[0]}",
            hint="see the list in the report",
        )


__all__ = ["HEALTH_KEY"]
