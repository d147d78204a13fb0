"""Page rules (OCP5xx), from page history: busy shifts, pages in the local night, and pages the
checks could not attribute to anyone (reported, never dropped silently)."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from oncall_planner.checks._engine import (
    Context,
    Hit,
    intervals,
    rule,
    span,
    user_subject,
    when,
)
from oncall_planner.fairness.load import SLEEP_END_HOUR, SLEEP_START_HOUR, in_hours
from oncall_planner.model import EscalationPolicy, User
from oncall_planner.pages import Page
from oncall_planner.render import Interval
from oncall_planner.timeutil import to_seconds, zone


def _attributed(ctx: Context) -> list[tuple[User | None, str]]:
    """For each page of :func:`_in_horizon`, in the same order: the plan's user it went to, or
    ``None`` and the reason (once per run, shared by the page rules)."""

    def compute() -> list[tuple[User | None, str]]:
        directory = _Directory(ctx)
        firsts: dict[str, dict[dt.datetime, User | None]] = {}
        return [_find_user(ctx, page, directory, firsts) for page in _in_horizon(ctx)]

    return ctx.memo("pages-attributed", compute)


class _Directory:
    """The plan's users and policies by what a page may name them with, each the first of its
    kind in the plan's order: the answers of :func:`~oncall_planner.pages.resolve_user` and of
    a search of the policies by name, without going through the whole plan for every page."""

    def __init__(self, ctx: Context) -> None:
        users = ctx.plan.users
        self.users = set(users)
        self.emails: dict[str, User] = {}
        self.names: dict[str, User] = {}
        for user in users:
            self.emails.setdefault(user.email.lower(), user)
            self.names.setdefault(user.name.strip().lower(), user)
        self.policies: dict[str, EscalationPolicy] = {}
        for policy in ctx.plan.escalation_policies:
            self.policies.setdefault(policy.name, policy)

    def user(self, named: User | str) -> User | None:
        if isinstance(named, User):
            if named in self.users:
                return named
            named = named.email
        key = named.strip().lower()
        return self.emails.get(key) or self.names.get(key)


def _find_user(
    ctx: Context,
    page: Page,
    directory: _Directory,
    firsts: dict[str, dict[dt.datetime, User | None]],
) -> tuple[User | None, str]:
    if page.user is not None:
        user = directory.user(page.user)
        label = page.user.email if isinstance(page.user, User) else page.user
        return user, f"it names {label!r}, who is not in the plan"
    policies = ctx.plan.escalation_policies
    if page.policy is not None:
        found = directory.policies.get(page.policy)
        if found is None:
            return None, f"its policy {page.policy!r} is not in the plan"
        policy = found
    elif len(policies) == 1:
        policy = policies[0]
    else:
        return None, "it names neither a user nor a policy, and the plan has several policies"
    # The first person the policy reaches: on a level that pages several people at once (a
    # shift-based schedule), the first in schedule order (docs/schedulev2.md says why).
    first = firsts.get(policy.name)
    if first is None:
        first = firsts[policy.name] = _first_reached(ctx, policy)
    if page.at in first:
        person = first[page.at]
    else:
        person = next((p for s in ctx.steps(policy, page.at) for p in s.reached), None)
    if person is None:
        return None, f"nobody was on call on EscalationPolicy {policy.name!r} then"
    return person, ""


def _first_reached(ctx: Context, policy: EscalationPolicy) -> dict[dt.datetime, User | None]:
    """For the instants of the pages in the horizon that may go to ``policy``: the first person
    its escalation reaches then. Levels with nobody on call take no time, so that is the first
    person on the first level with anyone on call at the page's instant; every level is looked
    up for all those instants at once (once per policy and run) instead of walking the
    escalation page by page."""

    def compute() -> dict[dt.datetime, User | None]:
        by_policy = ctx.memo("page-instants-by-policy", lambda: _instants_by_policy(ctx))
        ats = sorted({*by_policy.get(policy.name, ()), *by_policy.get(None, ())})
        times = list(map(to_seconds, ats))
        if not ctx.has(("level-table", policy.name)):
            # Without the escalation rules, looking up the page instants costs less than
            # building the policy's table of every change point.
            return {
                at: next((p for people in levels for p in people), None)
                for at, levels in zip(ats, ctx.levels_at_seconds(policy, times), strict=True)
            }
        points, which, distinct = ctx.level_table(policy)
        first = [next((p for people in levels for p in people), None) for levels in distinct]
        rows = map(bisect.bisect_right, itertools.repeat(points), times)
        return {at: first[which[k - 1]] for at, k in zip(ats, rows, strict=True)}

    return ctx.memo(("first-reached", policy.name), compute)


def _instants_by_policy(ctx: Context) -> dict[str | None, list[dt.datetime]]:
    """The instants of the pages in the horizon that name no user, by the policy they name."""
    out: dict[str | None, list[dt.datetime]] = {}
    for p in _in_horizon(ctx):
        if p.user is None:
            out.setdefault(p.policy, []).append(p.at)
    return out


def _in_horizon(ctx: Context) -> list[Page]:
    """The pages inside the horizon, in time order (sorted once per run)."""
    return ctx.memo(
        "pages-in-horizon",
        lambda: [p for p in sorted(ctx.pages, key=lambda p: p.at) if ctx.since <= p.at < ctx.until],
    )


def _counted(ctx: Context, t: Mapping[str, Any]) -> Iterator[tuple[Page, User]]:
    """Attributed pages inside the horizon that the thresholds count, in time order."""
    low = t["include_low_urgency"]
    for page, (user, _) in zip(_in_horizon(ctx), _attributed(ctx), strict=True):
        if user is not None and (low or page.urgency != "low"):
            yield page, user


def _page_interval(page: Page) -> Interval:
    end = page.resolved_at or page.acknowledged_at
    if end is None or end <= page.at:
        end = page.at + dt.timedelta(minutes=1)
    return Interval(page.at, end)


@rule(
    "OCP501",
    "busy-shift",
    "warning",
    "A shift (one continuous stretch on call) with more pages than the threshold: time to invest "
    "in reliability.",
    max_pages=2,
    include_low_urgency=False,
)
def busy_shift(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    per: dict[tuple[User, int], list[Page]] = {}
    stretches = ctx.stretch_spans()
    for page, user in _counted(ctx, t):
        # The stretch holding the page (see Context.stretch_index), inline: once per page.
        spans = stretches.get(user)
        if not spans:
            continue
        at = to_seconds(page.at)
        i = bisect.bisect_right(spans[0], at) - 1
        if i >= 0 and at < spans[1][i]:
            per.setdefault((user, i), []).append(page)
    for (user, i), pages in sorted(
        per.items(), key=lambda kv: (kv[0][0].email, stretches[kv[0][0]][0][kv[0][1]])
    ):
        if len(pages) > t["max_pages"]:
            starts, ends = stretches[user]
            (shift,) = intervals(([starts[i]], [ends[i]]))
            yield Hit(
                subject=user_subject(user),
                message=(
                    f"{len(pages)} pages in the shift {span(shift, ctx.user_zone(user))}, "
                    f"more than {t['max_pages']:g}"
                ),
                intervals=(shift,),
                hint="fix the noisiest alerts: more than two pages a shift wears people out",
            )


def _clock(hour: float) -> str:
    """An hour threshold as a time of day: 22 is ``22:00``, 22.5 is ``22:30``."""
    minutes = round(hour * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@rule(
    "OCP502",
    "night-page",
    "warning",
    "Pages in the paged person's local night (22:00 to 08:00 in their own time zone).",
    night_start_hour=SLEEP_START_HOUR,
    night_end_hour=SLEEP_END_HOUR,
    max_pages=0,
    include_low_urgency=False,
)
def night_page(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    start, end = t["night_start_hour"], t["night_end_hour"]
    per: dict[User, list[Page]] = {}
    for page, user in _counted(ctx, t):
        local = page.at.astimezone(zone(ctx.user_zone(user)))
        hour = local.hour + local.minute / 60
        if in_hours(hour, start, end):
            per.setdefault(user, []).append(page)
    for user in sorted(per, key=lambda u: u.email):
        pages = per[user]
        if len(pages) <= t["max_pages"]:
            continue
        tz = ctx.user_zone(user)
        yield Hit(
            subject=user_subject(user),
            message=(
                f"{len(pages)} page(s) in their local night ({_clock(start)}-{_clock(end)} "
                f"{tz}), "
                f"first {when(pages[0].at, tz)}"
            ),
            intervals=tuple(_page_interval(p) for p in pages),
            hint="route low-priority alerts to business hours, or hand nights to another time zone",
        )


@rule(
    "OCP503",
    "unattributed-pages",
    "info",
    "Pages the checks could not use: outside the horizon, or not attributable to anyone in the "
    "plan. They are reported, never dropped silently.",
)
def unattributed_pages(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    outside = [p for p in ctx.pages if not ctx.since <= p.at < ctx.until]
    if outside:
        yield Hit(
            subject="page history",
            message=(
                f"{len(outside)} page(s) fall outside the horizon {span(ctx.horizon)} and "
                "were not checked"
            ),
            hint="widen since/until to cover the page history",
        )
    reasons: dict[str, list[Page]] = {}
    attributed = list(zip(_in_horizon(ctx), _attributed(ctx), strict=True))
    for page, (user, reason) in attributed:
        if user is None:
            reasons.setdefault(reason, []).append(page)
    for reason in sorted(reasons):
        pages = reasons[reason]
        yield Hit(
            subject="page history",
            message=f"{len(pages)} page(s) not attributed to anyone: {reason}",
            intervals=tuple(_page_interval(p) for p in pages),
            hint="add the person to the plan, or give the page its user or policy",
        )
    # Pages that name someone of the plan who was on no schedule then (a manager paged directly,
    # an override made in PagerDuty's UI): no shift holds them, so busy-shift cannot count them.
    shiftless: dict[User, list[Page]] = {}
    for page, (user, _) in attributed:
        if user is not None and ctx.stretch_index(user, page.at) is None:
            shiftless.setdefault(user, []).append(page)
    if shiftless:
        pages = sorted((p for ps in shiftless.values() for p in ps), key=lambda p: p.at)
        names = ", ".join(repr(u.name) for u in sorted(shiftless, key=lambda u: u.email))
        yield Hit(
            subject="page history",
            message=(
                f"{len(pages)} page(s) went to people who were on call on no schedule then "
                f"({names}), so no shift counts them for OCP501"
            ),
            intervals=tuple(_page_interval(p) for p in pages),
            hint="add the overrides made in PagerDuty to check(overrides=...), or ignore this",
        )
