"""The stand-in's reference renderer of shift-based (v3) schedules: the ``final_schedule`` of
rotations, custom shifts and overrides, one occurrence at a time with python-dateutil and no
caching (independent of :mod:`oncall_planner.render_shift`)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr

from oncall_planner.testing._common import UTC, _from_local, _iana, _iso, _parse

#: How the stand-in renders v3 schedules unless the account says otherwise (its
#: ``"v3_rendering"``): the reference model's choices. ``duration`` is ``"exact"`` (every
#: occurrence lasts ``end_time - start_time`` of real time) or ``"wallclock"`` (it ends at the
#: first occurrence's local end time); ``expand_in`` is ``"event_zone"`` or ``"utc"``.
V3_RENDERING = {"duration": "exact", "expand_in": "event_zone"}


def _v3_dates(line: str, tz: ZoneInfo) -> list[dt.datetime]:
    """The values of an EXDATE/RDATE line as naive local times of ``tz``."""
    head, _, values = line.partition(":")
    zone = None
    for param in head.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.upper() == "TZID":
            zone = ZoneInfo(value)
    out = []
    for raw in values.split(","):
        raw = raw.strip()
        moment = dt.datetime.strptime(raw.rstrip("Z"), "%Y%m%dT%H%M%S")
        if raw.endswith("Z"):
            out.append(moment.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None))
        elif zone is not None:
            out.append(_from_local(moment, zone).astimezone(tz).replace(tzinfo=None))
        else:
            out.append(moment)
    return out


def _v3_rule(value: str, dtstart: dt.datetime, tz: ZoneInfo) -> Any:
    """An RRULE value read by python-dateutil from a naive local DTSTART (a UTC ``UNTIL`` is
    turned into local time first)."""
    parts = []
    for part in value.split(";"):
        key, _, val = part.partition("=")
        if key.upper() == "UNTIL" and val.upper().endswith("Z"):
            moment = dt.datetime.strptime(val[:-1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            val = moment.astimezone(tz).strftime("%Y%m%dT%H%M%S")
        parts.append(f"{key}={val}")
    return rrulestr(";".join(parts), dtstart=dtstart)


def _v3_event_shifts(
    event: Mapping[str, Any], until: dt.datetime, rules: Mapping[str, str]
) -> list[tuple[dt.datetime, dt.datetime, list[dict[str, Any]]]]:
    """Each occurrence of ``event`` that starts before ``until``, cut to its effective range:
    ``(start, end, members)``. Occurrence ``k`` (counted from ``start_time``, which is always
    the first) belongs to ``members[(k // shifts_per_member) % n]``, or to every member."""
    start0 = _parse(event["start_time"]["date_time"])
    end0 = _parse(event["end_time"]["date_time"])
    zone = event["start_time"].get("time_zone") or "Etc/UTC"
    tz = ZoneInfo("Etc/UTC" if rules["expand_in"] == "utc" else _iana(zone))
    local0 = start0.astimezone(tz).replace(tzinfo=None)
    wall = end0.astimezone(tz).replace(tzinfo=None) - local0
    occurrences = rruleset()
    occurrences.rdate(local0)
    for line in event.get("recurrence") or []:
        if line.startswith("RRULE:"):
            occurrences.rrule(_v3_rule(line[6:], local0, tz))
        elif line.startswith("RDATE"):
            for moment in _v3_dates(line, tz):
                occurrences.rdate(moment)
        elif line.startswith("EXDATE"):
            for moment in _v3_dates(line, tz):
                occurrences.exdate(moment)
    since = _parse(event["effective_since"])
    stop = _parse(event["effective_until"]) if event.get("effective_until") else until
    strategy = event["assignment_strategy"]
    members = list(strategy.get("members") or [])
    every = strategy["type"] == "every_member_assignment_strategy"
    per = int(strategy.get("shifts_per_member") or 1)
    out = []
    for k, local in enumerate(occurrences):
        start = start0 if local == local0 else _from_local(local, tz)
        if start >= min(stop, until):
            break
        if local == local0:
            end = end0
        elif rules["duration"] == "wallclock":
            end = _from_local(local + wall, tz)
        else:
            end = start + (end0 - start0)
        start, end = max(start, since), min(end, stop)
        if start < end and members:
            who = members if every else [members[(k // per) % len(members)]]
            out.append((start, end, who))
    return out


def _same_member(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a.get("type") == b.get("type") and a.get("user_id") == b.get("user_id")


def render_v3_schedule(
    doc: Mapping[str, Any],
    custom_shifts: Sequence[Mapping[str, Any]],
    overrides: Sequence[Mapping[str, Any]],
    since: dt.datetime,
    until: dt.datetime,
    rules: Mapping[str, str] | None = None,
    overflow: bool = False,
    tz: dt.tzinfo = UTC,
) -> dict[str, Any]:
    """PagerDuty's ``final_schedule`` of a v3 schedule over ``[since, until)``: every rotation's
    occurrences and every custom shift, each as its own entry (rotations do not hide each other),
    with overrides replacing their ``overridden_member`` in the shifts of their rotation or
    custom shift (where two overlap, the later in the list); entries cut to the window unless
    ``overflow``; times written in ``tz``."""
    rules = {**V3_RENDERING, **(rules or {})}
    base: list[tuple[dt.datetime, dt.datetime, dict[str, Any], dict[str, Any]]] = []
    for rotation in doc.get("rotations") or []:
        source = {"type": "schedule_rotation", "rotation_id": rotation["id"]}
        for event in rotation.get("events") or []:
            for start, end, who in _v3_event_shifts(event, until, rules):
                base.extend((start, end, dict(m), source) for m in who)
    for shift in custom_shifts:
        member = shift["assignments"][0]["member"]
        source = {"type": "custom_shift", "shift_id": shift["id"]}
        base.append((_parse(shift["start_time"]), _parse(shift["end_time"]), dict(member), source))
    pieces = []
    for start, end, member, source in base:
        key = source.get("rotation_id") or source.get("shift_id")
        field = "rotation_id" if "rotation_id" in source else "custom_shift_id"
        mine = [
            o
            for o in overrides
            if o.get(field) == key and _same_member(o["overridden_member"], member)
        ]
        cuts = sorted(
            {start, end}
            | {t for o in mine for t in (_parse(o["start_time"]), _parse(o["end_time"]))}
        )
        for a, b in itertools.pairwise(cuts):
            if not start <= a < b <= end:
                continue
            winner = None
            for o in mine:  # the later override wins
                if _parse(o["start_time"]) <= a and b <= _parse(o["end_time"]):
                    winner = o
            if winner is None:
                pieces.append((a, b, member, source))
            else:
                kind = source["type"] + "_override"
                pieces.append(
                    (
                        a,
                        b,
                        dict(winner["overriding_member"]),
                        {**source, "type": kind, "override_id": winner["id"]},
                    )
                )
    entries = []
    covered: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end, member, source in sorted(pieces, key=lambda p: (p[0], p[1])):
        if end <= since or start >= until:
            continue
        if member.get("type") == "user_member":
            covered.append((max(start, since), min(end, until)))
        if not overflow:
            start, end = max(start, since), min(end, until)
        entries.append(
            {
                "type": "computed_shift_assignment",
                "start_time": _iso(start, tz),
                "end_time": _iso(end, tz),
                "member": member,
                "source": source,
            }
        )
    total = dt.timedelta()
    reach = since
    for start, end in sorted(covered):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return {
        "type": "final_schedule",
        "rendered_coverage_percentage": round(100 * total / (until - since), 2),
        "computed_shift_assignments": entries,
    }
