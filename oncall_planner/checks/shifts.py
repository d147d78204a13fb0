"""Shift-based schedule rules (OCP7xx): PagerDuty's v3 limits, what its web editor can open, what
the Terraform provider refuses or rewrites, and changes it applies by position.

These read the model, not the rendered schedule: they are about what PagerDuty will accept and do
with a ``pagerduty_schedulev2`` before it renders anything. Rules about dates compare with
``ctx.now``, the moment the plan would be applied (``check(..., now=...)``, default ``since``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any

from dateutil.relativedelta import relativedelta

from oncall_planner.checks._engine import (
    RULES,
    Context,
    Finding,
    Hit,
    object_subject,
    rule,
    when,
)
from oncall_planner.model import RotatingMembers, Rotation, ShiftEvent, ShiftSchedule
from oncall_planner.model._recurrence import EDITOR_DAYS, EDITOR_FREQUENCIES, rule_parts
from oncall_planner.render import Interval
from oncall_planner.timeutil import PAGERDUTY_TIME_ZONES

DAY = dt.timedelta(days=1)


def rotation_detail(i: int, rotation: Rotation) -> str:
    """``rotation 2`` or ``rotation 2 'Primary'`` (positions count from 1 in messages)."""
    return f"rotation {i + 1}" + (f" {rotation.name!r}" if rotation.name else "")


def rotation_subject(schedule: ShiftSchedule, i: int, rotation: Rotation) -> str:
    return object_subject("ShiftSchedule", schedule.name, rotation_detail(i, rotation))


def event_subject(schedule: ShiftSchedule, i: int, rotation: Rotation, event: ShiftEvent) -> str:
    return object_subject(
        "ShiftSchedule", schedule.name, f"{rotation_detail(i, rotation)}, event {event.name!r}"
    )


def _events(
    plan_schedules: Sequence[ShiftSchedule],
) -> Iterator[tuple[ShiftSchedule, int, Rotation, ShiftEvent]]:
    for schedule in plan_schedules:
        for i, rotation in enumerate(schedule.rotations):
            for event in rotation.events:
                yield schedule, i, rotation, event


def is_over(event: ShiftEvent, now: dt.datetime) -> bool:
    """Whether the event has stopped producing shifts by ``now`` (PagerDuty: a past event)."""
    return event.effective_until is not None and event.effective_until <= now


def _open_interval(start: dt.datetime, end: dt.datetime | None, ctx: Context) -> Interval:
    """``[start, end)``, an open end shown as running to the horizon's end (or a day on)."""
    return Interval(start, end if end is not None else max(ctx.until, start + DAY))


@rule(
    "OCP701",
    "too-many-events",
    "error",
    "A rotation with more events starting now or later than PagerDuty allows (5): the API "
    "refuses the next one.",
    max_events=5,
)
def too_many_events(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for schedule in ctx.plan.shift_schedules:
        for i, rotation in enumerate(schedule.rotations):
            current = [e for e in rotation.events if not is_over(e, ctx.now)]
            if len(current) > t["max_events"]:
                yield Hit(
                    subject=rotation_subject(schedule, i, rotation),
                    message=(
                        f"has {len(current)} events that are not over at {when(ctx.now)}, more "
                        f"than {t['max_events']} (PagerDuty counts every event not yet ended)"
                    ),
                    hint="end old configurations (an effective_until before now) or move a "
                    "pattern into a rotation of its own",
                )


@rule(
    "OCP702",
    "too-many-rotations",
    "error",
    "A shift-based schedule with more active rotations than PagerDuty allows (10).",
    max_rotations=10,
)
def too_many_rotations(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for schedule in ctx.plan.shift_schedules:
        active = [r for r in schedule.rotations if any(not is_over(e, ctx.now) for e in r.events)]
        if len(active) > t["max_rotations"]:
            yield Hit(
                subject=object_subject("ShiftSchedule", schedule.name),
                message=(
                    f"has {len(active)} active rotations at {when(ctx.now)}, more than "
                    f"{t['max_rotations']}"
                ),
                hint="split the schedule in two, or merge rotations that share a pattern",
            )


@rule(
    "OCP703",
    "member-count",
    "error",
    "An event whose assignment strategy lists fewer than 1 or more than 20 members (empty slots "
    "included): the API refuses it.",
    min_members=1,
    max_members=20,
)
def member_count(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for schedule, i, rotation, event in _events(ctx.plan.shift_schedules):
        n = len(event.members)
        if not t["min_members"] <= n <= t["max_members"]:
            yield Hit(
                subject=event_subject(schedule, i, rotation, event),
                message=(
                    f"lists {n} members; PagerDuty takes {t['min_members']} to {t['max_members']}"
                ),
                hint="split the members over two rotations"
                if n
                else "add a member (or EMPTY_MEMBER)",
            )


@rule(
    "OCP704",
    "overlapping-events",
    "error",
    "Two events of one rotation whose effective ranges overlap: PagerDuty refuses overlapping "
    "events in a rotation.",
)
def overlapping_events(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for schedule in ctx.plan.shift_schedules:
        for i, rotation in enumerate(schedule.rotations):
            for a, b in itertools.combinations(rotation.events, 2):
                start = max(a.effective_since, b.effective_since)
                ends = [e.effective_until for e in (a, b) if e.effective_until is not None]
                end = min(ends) if len(ends) == 2 else (ends[0] if ends else None)
                if end is not None and end <= start:
                    continue
                yield Hit(
                    subject=rotation_subject(schedule, i, rotation),
                    message=(
                        f"events {a.name!r} and {b.name!r} are both in effect from "
                        f"{when(start, schedule.time_zone)}"
                        + (f" to {when(end, schedule.time_zone)}" if end else " on")
                    ),
                    intervals=(_open_interval(start, end, ctx),),
                    hint="end the first event where the second begins, or put the second in a "
                    "rotation of its own (rotations may overlap)",
                )


@rule(
    "OCP705",
    "effective-since-past",
    "warning",
    "An event not yet over whose effective_since is before now: PagerDuty creates it starting "
    "now instead, so it renders differently from the plan.",
)
def effective_since_past(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for schedule, i, rotation, event in _events(ctx.plan.shift_schedules):
        if event.effective_since < ctx.now and not is_over(event, ctx.now):
            yield Hit(
                subject=event_subject(schedule, i, rotation, event),
                message=(
                    f"effective_since {when(event.effective_since, schedule.time_zone)} is before "
                    f"now ({when(ctx.now, schedule.time_zone)}): PagerDuty moves it to the moment "
                    "the event is created"
                ),
                intervals=(Interval(event.effective_since, ctx.now),),
                hint="set effective_since in the future; an event that already exists in "
                "PagerDuty keeps its date (ignore this finding for it)",
            )


@rule(
    "OCP706",
    "effective-since-too-far",
    "error",
    "An event whose effective_since is more than 12 months after now: the API refuses it.",
    months=12,
)
def effective_since_too_far(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    limit = ctx.now + relativedelta(months=int(t["months"]))
    for schedule, i, rotation, event in _events(ctx.plan.shift_schedules):
        if event.effective_since > limit:
            yield Hit(
                subject=event_subject(schedule, i, rotation, event),
                message=(
                    f"effective_since {when(event.effective_since, schedule.time_zone)} is more "
                    f"than {t['months']} months after now ({when(ctx.now, schedule.time_zone)})"
                ),
                intervals=(Interval(limit, event.effective_since),),
                hint="create the event later, closer to when it starts",
            )


@rule(
    "OCP707",
    "rrule-not-editable",
    "warning",
    "An RRULE PagerDuty's web editor cannot open (FREQ other than WEEKLY, DAILY, MONTHLY or "
    "HOURLY, or a BYDAY value other than MO..SU): the event can be managed through the API only.",
)
def rrule_not_editable(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for schedule, i, rotation, event in _events(ctx.plan.shift_schedules):
        for value in event.parsed_recurrence.rrules:
            parts = rule_parts(value)
            freq = parts.get("FREQ", "").upper()
            odd_days = [
                d for d in parts.get("BYDAY", "").upper().split(",") if d and d not in EDITOR_DAYS
            ]
            reasons = []
            if freq not in EDITOR_FREQUENCIES:
                reasons.append(f"FREQ={freq}")
            if odd_days:
                reasons.append(f"BYDAY {','.join(odd_days)}")
            if reasons:
                yield Hit(
                    subject=event_subject(schedule, i, rotation, event),
                    message=(
                        f"RRULE:{value} uses {' and '.join(reasons)}, which the web editor cannot "
                        "open (it opens FREQ=WEEKLY, DAILY, MONTHLY or HOURLY with BYDAY MO to SU)"
                    ),
                    hint="rewrite the rule in those terms, or keep the event managed in Terraform",
                )


@rule(
    "OCP708",
    "several-rrules",
    "error",
    "An event with more than one RRULE: PagerDuty takes exactly one (add dates with RDATE).",
)
def several_rrules(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for schedule, i, rotation, event in _events(ctx.plan.shift_schedules):
        rules = event.parsed_recurrence.rrules
        if len(rules) > 1:
            yield Hit(
                subject=event_subject(schedule, i, rotation, event),
                message=f"has {len(rules)} RRULEs; PagerDuty takes exactly one",
                hint="make one event per rule (in separate rotations if they overlap)",
            )


@rule(
    "OCP709",
    "shifts-not-divisible",
    "warning",
    "A rotating event with FREQ=WEEKLY whose shifts_per_member is not a multiple of the number of "
    "BYDAY days: the web editor cannot open it.",
)
def shifts_not_divisible(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for schedule, i, rotation, event in _events(ctx.plan.shift_schedules):
        if not isinstance(event.assignment, RotatingMembers):
            continue
        for value in event.parsed_recurrence.rrules:
            parts = rule_parts(value)
            days = [d for d in parts.get("BYDAY", "").split(",") if d]
            spm = event.assignment.shifts_per_member
            if parts.get("FREQ", "").upper() == "WEEKLY" and days and spm % len(days):
                yield Hit(
                    subject=event_subject(schedule, i, rotation, event),
                    message=(
                        f"shifts_per_member {spm} is not a multiple of its {len(days)} BYDAY "
                        "days, so the web editor cannot open the event"
                    ),
                    hint=f"use a multiple of {len(days)} (e.g. {len(days)} for weekly handoffs), "
                    "or FREQ=DAILY with BYDAY to hand off every few days",
                )


@rule(
    "OCP710",
    "time-zone-refused",
    "error",
    "A shift-based schedule (or event) time zone the Terraform provider refuses, such as 'UTC': "
    "it accepts only PagerDuty's 135 names.",
)
def time_zone_refused(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for schedule in ctx.plan.shift_schedules:
        zones = [(object_subject("ShiftSchedule", schedule.name), schedule.time_zone)]
        for i, rotation in enumerate(schedule.rotations):
            zones += [
                (event_subject(schedule, i, rotation, e), e.time_zone)
                for e in rotation.events
                if e.time_zone is not None
            ]
        for subject, zone in zones:
            if zone not in PAGERDUTY_TIME_ZONES:
                hint = (
                    "use 'Etc/UTC' (the provider then reports it as 'UTC' on every refresh: add "
                    "lifecycle { ignore_changes = [time_zone] }, see OCP711)"
                    if zone in ("UTC", "GMT", "Etc/GMT", "Zulu")
                    else "pick the zone with the same rules from oncall_planner.PAGERDUTY_TIME_ZONES"
                )
                yield Hit(
                    subject=subject,
                    message=(
                        f"time_zone {zone!r} is not one of the names the Terraform provider "
                        "accepts: terraform plan fails"
                    ),
                    hint=hint,
                )


@rule(
    "OCP711",
    "time-zone-rewritten",
    "warning",
    "A shift-based schedule in 'Etc/UTC': the Terraform provider reads it back as 'UTC', so "
    "every plan shows a change.",
)
def time_zone_rewritten(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for schedule in ctx.plan.shift_schedules:
        if schedule.time_zone == "Etc/UTC":
            yield Hit(
                subject=object_subject("ShiftSchedule", schedule.name),
                message=(
                    "time_zone 'Etc/UTC' comes back from PagerDuty as 'UTC': terraform plan "
                    "shows a change on every run"
                ),
                hint="add lifecycle { ignore_changes = [time_zone] } to the resource, or use a "
                "zone such as 'Europe/London' if that is what the team means",
            )


def _key(rotation: Rotation) -> Hashable:
    """What identifies a rotation across two versions: its name, else its events' names."""
    return rotation.name if rotation.name else tuple(e.name for e in rotation.events)


def _moves(
    before: Sequence[Hashable], after: Sequence[Hashable]
) -> list[tuple[Hashable, int, int]]:
    """Keys found once on both sides at different positions: (key, old, new)."""
    moved = []
    for j, key in enumerate(after):
        if after.count(key) == 1 and before.count(key) == 1:
            i = before.index(key)
            if i != j:
                moved.append((key, i, j))
    return moved


def position_changes(before: ShiftSchedule, after: ShiftSchedule) -> tuple[Finding, ...]:
    """Findings (OCP712) for rotations and events that change position from ``before`` to
    ``after``. The Terraform provider matches rotations and events by position, so a move (or an
    insertion or removal in the middle) makes it rewrite every one from there on, deleting and
    re-creating active events from ``now``. Rotations are matched by name, else by their events'
    names; events by name."""
    out: list[Finding] = []
    r = RULES["OCP712"]

    def finding(subject: str, message: str) -> Finding:
        return Finding(
            code=r.code,
            rule=r.name,
            severity=r.severity,
            subject=subject,
            message=message,
            hint="add rotations and events at the end of their lists and end old ones with "
            "effective_until instead of removing them from the middle",
        )

    old_keys = [_key(x) for x in before.rotations]
    new_keys = [_key(x) for x in after.rotations]
    for _, i, j in _moves(old_keys, new_keys):
        out.append(
            finding(
                rotation_subject(after, j, after.rotations[j]),
                f"moves from position {i + 1} to {j + 1}: the Terraform provider matches "
                f"rotations by position, so it rewrites rotations {min(i, j) + 1} to "
                f"{max(i, j) + 1} and re-creates their active events from now",
            )
        )
    for j, rotation in enumerate(after.rotations):
        key = new_keys[j]
        if new_keys.count(key) != 1 or old_keys.count(key) != 1:
            continue
        old = before.rotations[old_keys.index(key)]
        for _, a, b in _moves([e.name for e in old.events], [e.name for e in rotation.events]):
            event = rotation.events[b]
            out.append(
                finding(
                    event_subject(after, j, rotation, event),
                    f"moves from position {a + 1} to {b + 1} in its rotation: the provider "
                    "matches events by position, so it rewrites the events in between and "
                    "re-creates the active ones from now",
                )
            )
    return tuple(out)


@rule(
    "OCP712",
    "reordered",
    "warning",
    "A change that moves rotations or events of a shift-based schedule to other positions "
    "(compared with check(..., previous=plan)): the provider matches them by position.",
)
def reordered(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    if ctx.previous is None:
        return
    old = {s.name: s for s in ctx.previous.shift_schedules}
    for schedule in ctx.plan.shift_schedules:
        if schedule.name in old:
            for f in position_changes(old[schedule.name], schedule):
                yield Hit(subject=f.subject, message=f.message, hint=f.hint)
