"""SLO and incident rules (OCP9xx): a forecast of busy shifts, escalation too slow for a
severity, and incident roles held by the wrong people.

They read ``check(..., forecast=..., incident=...)`` and stay quiet without them, so a plain
``check`` is unchanged. The forecast comes from :func:`oncall_planner.slo.forecast.forecast`;
the incident set-up is :class:`oncall_planner.slo.incident.IncidentSetup`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from oncall_planner.checks._engine import (
    Context,
    Hit,
    hours,
    merge,
    policy_subject,
    rule,
    span,
    total,
    user_subject,
    when,
)
from oncall_planner.checks.escalation import _sweep_walk
from oncall_planner.model import EscalationPolicy, User
from oncall_planner.render import Interval
from oncall_planner.timeutil import from_seconds, to_seconds


def _zone(ctx: Context, policy: EscalationPolicy | None = None) -> str:
    if policy is not None:
        for r in policy.rules:
            for t in r.targets:
                if t.schedule is not None:
                    return str(t.schedule.time_zone)
    return ctx.plan.schedules[0].time_zone if ctx.plan.schedules else "Etc/UTC"


@rule(
    "OCP901",
    "forecast-busy-shift",
    "warning",
    "A shift the SLO forecast expects to get more pages than the threshold (the article: more "
    "than two pages a shift means investing in reliability).",
    max_pages=2,
)
def forecast_busy_shift(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    fc = ctx.forecast
    if fc is None:
        return
    tz = _zone(ctx)
    for shift in fc.shifts:
        if shift.expected <= t["max_pages"] or not ctx.since <= shift.start < ctx.until:
            continue
        parts = ", ".join(
            f"{fc.rate(key).slo} {fc.rate(key).alert} {value:.1f}"
            for key, value in shift.by_alert
            if value >= 0.05
        )
        who = user_subject(shift.user) if shift.user is not None else f"policy {fc.policy!r}"
        yield Hit(
            subject=who,
            message=(
                f"expected {shift.expected:.1f} pages (90% interval {shift.low}-{shift.high}, "
                f"{shift.p_over:.0%} chance of more than {t['max_pages']:g}) in the shift "
                f"{span(Interval(shift.start, shift.end), tz)}, more than {t['max_pages']:g}: "
                f"{parts}"
            ),
            intervals=(Interval(shift.start, shift.end),),
            hint="fix what burns the error budget, or loosen the page alert's burn rate",
        )


@rule(
    "OCP902",
    "slow-response-for-severity",
    "warning",
    "An escalation policy that, when the first person does not acknowledge, notifies nobody "
    "else within the response time of the severity it must meet (SEV-1: 5 minutes).",
)
def slow_response_for_severity(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    setup = ctx.incident
    if setup is None:
        return
    lo, hi = to_seconds(ctx.since), to_seconds(ctx.until)
    for policy in ctx.plan.escalation_policies:
        severity = setup.required(policy.name)
        if severity.response_minutes is None:
            continue
        walk = _sweep_walk(ctx, policy)
        minutes: int | None = -1
        at_s = lo
        start = lo
        while start < hi:
            got, following = walk(start)
            if got is None:  # nobody else at all: the worst there is
                minutes, at_s = None, start
                break
            if minutes is not None and got > minutes:
                minutes, at_s = got, start
            start = following
        at = from_seconds(at_s)
        if minutes is not None and minutes <= severity.response_minutes:
            continue
        tz = _zone(ctx, policy)
        said = (
            "nobody else is ever notified"
            if minutes is None
            else f"the next person is notified after {minutes} minutes"
        )
        end = at + dt.timedelta(minutes=minutes if minutes is not None else 1)
        yield Hit(
            subject=policy_subject(policy),
            message=(
                f"if the first person does not acknowledge, {said} (triggered "
                f"{when(at, tz)}), more than {severity.name}'s response time of "
                f"{severity.response}"
            ),
            intervals=(Interval(at, end),),
            hint=(
                f"shorten level 1's delay to {severity.response_minutes} minutes or less, or "
                "hold the policy to a lower severity in IncidentSetup(policy_severity=...)"
            ),
        )


def _role_stretches(ctx: Context) -> dict[str, dict[User, tuple[Interval, ...]]]:
    setup = ctx.incident
    out: dict[str, dict[User, tuple[Interval, ...]]] = {}
    if setup is None:
        return out
    for role, schedule in setup.roles.items():
        per: dict[User, list[Interval]] = {}
        final = ctx.final(schedule)
        for e in final.entries:
            per.setdefault(e.user, []).append(Interval(e.start, e.end))
        out[role] = {u: merge(v) for u, v in per.items()}
    return out


def _overlap(a: tuple[Interval, ...], b: tuple[Interval, ...]) -> tuple[Interval, ...]:
    out = []
    for x in a:
        for y in b:
            s, e = max(x.start, y.start), min(x.end, y.end)
            if s < e:
                out.append(Interval(s, e))
    return merge(out)


def _label(role: str) -> str:
    return role.replace("_", " ")


@rule(
    "OCP903",
    "two-incident-roles",
    "warning",
    "One person holding two incident roles at once (commander, technical lead, communications "
    "lead, scribe).",
)
def two_incident_roles(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    roles = _role_stretches(ctx)
    names = list(roles)
    tz = _zone(ctx)
    found: dict[User, list[tuple[str, str, tuple[Interval, ...]]]] = {}
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            for user, mine in roles[first].items():
                other = roles[second].get(user)
                if other:
                    both = _overlap(mine, other)
                    if both:
                        found.setdefault(user, []).append((first, second, both))
    for user in sorted(found, key=lambda u: u.email):
        for first, second, both in found[user]:
            yield Hit(
                subject=user_subject(user),
                message=(
                    f"holds two incident roles at once, {_label(first)} and {_label(second)}, "
                    f"for {hours(total(both))}, first {span(both[0], tz)}"
                ),
                intervals=both,
                hint="offset the role rotations so that each role has its own person",
            )


@rule(
    "OCP904",
    "commander-is-responder",
    "warning",
    "The incident commander is also the primary responder paged for the same service: nobody "
    "is free to coordinate while they fix.",
)
def commander_is_responder(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    setup = ctx.incident
    if setup is None or "commander" not in setup.roles:
        return
    commander = ctx.final(setup.roles["commander"])
    by_name = {p.name: p for p in ctx.plan.escalation_policies}
    services = dict(setup.responders) or {p.name: p.name for p in ctx.plan.escalation_policies}
    for service, policy_name in sorted(services.items()):
        policy = by_name[policy_name]
        clash: dict[User, list[Interval]] = {}
        for entry in commander.entries:
            points = sorted(
                {
                    entry.start,
                    *(p for p in ctx.policy_changes(policy) if entry.start < p < entry.end),
                }
            )
            for start, end in zip(points, [*points[1:], entry.end], strict=True):
                # Everyone the first staffed level notifies is paged first (a level that
                # targets several people, or a shift-based schedule with several on call).
                first = next((s.reached for s in ctx.steps(policy, start) if s.reached), ())
                if entry.user in first:
                    clash.setdefault(entry.user, []).append(Interval(start, end))
        tz = _zone(ctx, policy)
        for user in sorted(clash, key=lambda u: u.email):
            merged = merge(clash[user])
            yield Hit(
                subject=user_subject(user),
                message=(
                    f"is incident commander while first to be paged for {service!r} by "
                    f"EscalationPolicy {policy.name!r} for {hours(total(merged))}, first "
                    f"{span(merged[0], tz)}"
                ),
                intervals=merged,
                hint="take the service's primary responders out of the commander rotation when "
                "they are on call, or offset the rotations",
            )
