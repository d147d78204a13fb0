"""A stand-in for PagerDuty's REST API on 127.0.0.1, for tests and the demo.

:class:`PagerDutyStandIn` serves an account (a dict in PagerDuty's own shapes, as the published
OpenAPI schema describes them) over real HTTP on a free port of this machine, so the client runs
unmodified against it through its base URL. It implements the calls oncall-planner makes:

- ``GET /users``, ``/teams``, ``/schedules``, ``/escalation_policies``, ``/incidents``,
  ``/incidents/{id}/log_entries``, ``/v3/schedules`` with classic pagination (``limit`` up to
  100, ``offset``, ``more``, ``total``; ``offset + limit`` over 10,000 is a 400) and the filters
  ``query`` and ``team_ids[]``; ``GET /audit/records`` with cursor pagination;
- ``GET /v3/schedules/{id}`` with its rotations and events (or, when the account says
  ``"v3_events_apart": true``, rotations without them, read from ``/rotations/{id}/events``), and
  with ``include[]=final_schedule&since&until`` the ``final_schedule`` rendered by a renderer of
  its own that expands one occurrence at a time with python-dateutil (the account's
  ``"v3_rendering"`` may make it stretch occurrences on the wall clock, to stand for a PagerDuty
  that disagrees); ``/custom_shifts`` and ``/overrides`` of a window (``since`` and ``until``
  required, as the schema says);
- ``GET /schedules/{id}`` with layers newest first, as PagerDuty lists them, and with
  ``since``/``until`` each layer's ``rendered_schedule_entries``, the ``final_schedule`` and the
  ``overrides_subschedule``, rendered by a minute-by-minute renderer of its own (independent of
  :mod:`oncall_planner.render`), or taken from the account's ``rendered`` entries when a fixture
  gives them (to stand for a PagerDuty that disagrees);
- ``GET``/``POST /schedules/{id}/overrides`` (the batch form, one status per override) and
  ``DELETE /schedules/{id}/overrides/{id}`` (an override in progress is cut at ``now``: 200);
- IDs in paths percent-decoded, one segment each;
- ``Authorization: Token token=…`` checked (401), scopes per token (403), unknown IDs (404), and
  failures on demand: :meth:`PagerDutyStandIn.fail_next` answers the next requests with 429 and
  ``Retry-After`` (or ``ratelimit-reset``), or a 5xx.

:func:`account_from_plan` builds such an account from an :class:`~oncall_planner.OnCallPlan`,
with IDs derived from names, so the same plan always gives the same account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import itertools
import json
import re
import threading
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr

from oncall_planner.errors import ValidationError
from oncall_planner.model import (
    EveryMember,
    OnCallPlan,
    Override,
    RotatingMembers,
    Schedule,
    ShiftMember,
    ShiftOverride,
    ShiftSchedule,
    User,
)

UTC = dt.timezone.utc
MINUTE = dt.timedelta(minutes=1)
SELF = "https://api.pagerduty.com"
ALL_SCOPES = frozenset(
    {
        "users.read",
        "teams.read",
        "schedules.read",
        "schedules.write",
        "escalation_policies.read",
        "incidents.read",
        "audit_records.read",
    }
)
READ_ONLY = frozenset(s for s in ALL_SCOPES if s.endswith(".read"))


def pd_id(kind: str, key: str) -> str:
    """A PagerDuty-looking ID (``P`` and six characters) derived from ``kind`` and ``key``."""
    digest = hashlib.sha256(f"{kind}:{key}".encode()).hexdigest().upper()
    letters = "".join(c for c in digest if c.isalnum())
    return "P" + letters[:6]


def _iso(value: dt.datetime, tz: dt.tzinfo = UTC) -> str:
    return value.astimezone(tz).isoformat()


def _parse(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# ---------------------------------------------------------------------------------------------
# An account from a plan
# ---------------------------------------------------------------------------------------------


def _ref(kind: str, ident: str, summary: str) -> dict[str, Any]:
    path = {"user": "users", "team": "teams", "schedule": "schedules"}.get(kind, kind + "s")
    return {
        "id": ident,
        "type": f"{kind}_reference",
        "summary": summary,
        "self": f"{SELF}/{path}/{ident}",
    }


def account_from_plan(
    plan: OnCallPlan,
    overrides: Mapping[str, Sequence[Override] | Sequence[ShiftOverride]] | None = None,
    time_zone: str = "Etc/UTC",
) -> dict[str, Any]:
    """The stand-in account for ``plan``: users, teams, schedules (layers in the order they were
    written), shift-based schedules (served by the v3 API, with their custom shifts), policies,
    and ``overrides`` (schedule name -> overrides, in creation order; ShiftOverride objects for a
    shift-based schedule)."""
    people = list(plan.users)
    for given in (overrides or {}).values():  # someone from outside who covers is a user too
        for ov in given:
            for who in (getattr(ov, "user", None), getattr(ov, "overriding_member", None)):
                if isinstance(who, User) and who not in people:
                    people.append(who)
    uid = {u.email.lower(): pd_id("user", u.email.lower()) for u in people}
    team_of: dict[str, list[str]] = {}
    for team in plan.teams:
        for member in team.members:
            team_of.setdefault(member.email.lower(), []).append(team.name)
    tid = {t.name: pd_id("team", t.name) for t in plan.teams}
    sid = {s.name: pd_id("schedule", s.name) for s in plan.all_schedules}
    users = [
        {
            "id": uid[u.email.lower()],
            "type": "user",
            "summary": u.name,
            "name": u.name,
            "email": u.email,
            "time_zone": u.time_zone,
            "role": "user",
            "self": f"{SELF}/users/{uid[u.email.lower()]}",
            "teams": [_ref("team", tid[n], n) for n in team_of.get(u.email.lower(), [])],
        }
        for u in people
    ]
    teams = [
        {
            "id": tid[t.name],
            "type": "team",
            "summary": t.name,
            "name": t.name,
            "description": t.description,
            "self": f"{SELF}/teams/{tid[t.name]}",
        }
        for t in plan.teams
    ]

    def user_ref(user: User) -> dict[str, Any]:
        return _ref("user", uid[user.email.lower()], user.name)

    schedules = []
    for s in plan.schedules:
        layers = []
        for i, layer in enumerate(s.layers):
            layers.append(
                {
                    "id": pd_id("layer", f"{s.name}/{i}"),
                    "name": layer.name,
                    "start": _iso(layer.start),
                    "end": _iso(layer.end) if layer.end else None,
                    "rotation_virtual_start": _iso(layer.rotation_virtual_start),
                    "rotation_turn_length_seconds": int(layer.turn_length.total_seconds()),
                    "users": [{"user": user_ref(u)} for u in layer.users],
                    "restrictions": [
                        {
                            "type": f"{r.kind}_restriction",
                            "start_time_of_day": r.start_time_of_day.strftime("%H:%M:%S"),
                            "duration_seconds": int(r.duration.total_seconds()),
                            **(
                                {"start_day_of_week": r.start_day_of_week}
                                if r.kind == "weekly"
                                else {}
                            ),
                        }
                        for r in layer.restrictions
                    ],
                }
            )
        schedules.append(
            {
                "id": sid[s.name],
                "type": "schedule",
                "summary": s.name,
                "name": s.name,
                "time_zone": s.time_zone,
                "description": s.description,
                "self": f"{SELF}/schedules/{sid[s.name]}",
                "teams": [_ref("team", tid[t.name], t.name) for t in s.teams],
                "schedule_layers": layers,
            }
        )
    policies = []
    for p in plan.escalation_policies:
        ident = pd_id("escalation_policy", p.name)
        rules = []
        for level, rule in enumerate(p.rules):
            targets = []
            for target in rule.targets:
                if isinstance(target.ref, Schedule):
                    targets.append(_ref("schedule", sid[target.ref.name], target.ref.name))
                elif isinstance(target.ref, ShiftSchedule):  # as the v3 API returns it
                    ref = _ref("schedule", sid[target.ref.name], target.ref.name)
                    targets.append({**ref, "type": "schedule_v3_reference"})
                else:
                    targets.append(user_ref(target.ref))
            rules.append(
                {
                    "id": pd_id("rule", f"{p.name}/{level}"),
                    "escalation_delay_in_minutes": rule.delay_minutes,
                    "targets": targets,
                    "escalation_rule_assignment_strategy": "round_robin"
                    if rule.round_robin
                    else "assign_to_everyone",
                }
            )
        policies.append(
            {
                "id": ident,
                "type": "escalation_policy",
                "summary": p.name,
                "name": p.name,
                "description": p.description,
                "num_loops": p.num_loops,
                "self": f"{SELF}/escalation_policies/{ident}",
                "teams": [_ref("team", tid[p.team.name], p.team.name)] if p.team else [],
                "escalation_rules": rules,
            }
        )
    shift_names = {s.name for s in plan.shift_schedules}
    v3_schedules: list[dict[str, Any]] = []
    v3_customs: dict[str, list[dict[str, Any]]] = {}
    v3_overrides: dict[str, list[dict[str, Any]]] = {}
    for shift in plan.shift_schedules:
        v3_schedules.append(_v3_schedule(shift, sid[shift.name], uid, tid))
        customs, items = _v3_extras(shift, (overrides or {}).get(shift.name, ()), uid)
        v3_customs[sid[shift.name]] = customs
        v3_overrides[sid[shift.name]] = items
    by_schedule: dict[str, list[dict[str, Any]]] = {}
    for name, given in (overrides or {}).items():
        if name in shift_names:
            continue
        for n, o in enumerate(given):
            if not isinstance(o, Override):
                raise ValidationError(
                    f"the stand-in: {name!r} is layer-based; its overrides are Override objects"
                )
            by_schedule.setdefault(sid[name], []).append(
                {
                    "id": pd_id("override", f"{name}/{n}"),
                    "type": "override",
                    "start": _iso(o.start),
                    "end": _iso(o.end),
                    "user": user_ref(o.user),
                }
            )
    return {
        "time_zone": time_zone,
        "users": users,
        "teams": teams,
        "schedules": schedules,
        "escalation_policies": policies,
        "overrides": by_schedule,
        "incidents": [],
        "log_entries": {},
        "v3_schedules": v3_schedules,
        "v3_custom_shifts": v3_customs,
        "v3_overrides": v3_overrides,
    }


def _v3_member(member: ShiftMember, uid: Mapping[str, str]) -> dict[str, Any]:
    if isinstance(member, User):
        return {"type": "user_member", "user_id": uid[member.email.lower()]}
    return {"type": "empty_member"}


def _v3_schedule(
    s: ShiftSchedule,
    sid: str,
    uid: Mapping[str, str],
    tid: Mapping[str, str],
) -> dict[str, Any]:
    """A shift-based schedule as ``GET /v3/schedules/{id}`` shows it (ZonedDateTime values
    written with the event zone's offset, as PagerDuty's upgrade guide shows them)."""
    rotations = []
    for i, rotation in enumerate(s.rotations):
        events = []
        for j, event in enumerate(rotation.events):
            zone = event.time_zone or s.time_zone
            tz = ZoneInfo(_iana(zone))
            strategy: dict[str, Any] = {
                "type": "every_member_assignment_strategy"
                if isinstance(event.assignment, EveryMember)
                else "rotating_member_assignment_strategy",
                "members": [_v3_member(m, uid) for m in event.members],
            }
            if isinstance(event.assignment, RotatingMembers):
                strategy["shifts_per_member"] = event.assignment.shifts_per_member
            events.append(
                {
                    "id": pd_id("event", f"{s.name}/{i}/{j}"),
                    "type": "schedule_event",
                    "name": event.name,
                    "start_time": {"date_time": _iso(event.start_time, tz), "time_zone": zone},
                    "end_time": {"date_time": _iso(event.end_time, tz), "time_zone": zone},
                    "effective_since": _iso(event.effective_since),
                    "effective_until": _iso(event.effective_until)
                    if event.effective_until
                    else None,
                    "recurrence": list(event.recurrence),
                    "assignment_strategy": strategy,
                }
            )
        rotations.append(
            {
                "id": pd_id("rotation", f"{s.name}/{i}"),
                "type": "schedule_rotation",
                "events": events,
            }
        )
    return {
        "id": sid,
        "type": "schedule_v3",
        "name": s.name,
        "time_zone": s.time_zone,
        "description": s.description,
        "teams": [_ref("team", tid[t.name], t.name) for t in s.teams],
        "rotations": rotations,
        "self": f"{SELF}/v3/schedules/{sid}",
    }


def _v3_extras(
    s: ShiftSchedule, overrides: Sequence[Any], uid: Mapping[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A shift-based schedule's custom shifts and its overrides, in PagerDuty's shapes."""
    customs = [
        {
            "id": pd_id("custom_shift", f"{s.name}/{i}"),
            "type": "custom_shift",
            "start_time": _iso(c.start),
            "end_time": _iso(c.end),
            "assignments": [
                {
                    "id": pd_id("assignment", f"{s.name}/{i}"),
                    "type": "shift_assignment",
                    "member": _v3_member(c.member, uid),
                }
            ],
        }
        for i, c in enumerate(s.custom_shifts)
    ]
    items = []
    for n, o in enumerate(overrides):
        if not isinstance(o, ShiftOverride):
            raise ValidationError(
                f"the stand-in: {s.name!r} is shift-based; its overrides are ShiftOverride objects"
            )
        if o.rotation is not None:
            target = {"rotation_id": pd_id("rotation", f"{s.name}/{_at(s.rotations, o.rotation)}")}
        else:
            at = _at(s.custom_shifts, o.custom_shift)
            target = {"custom_shift_id": pd_id("custom_shift", f"{s.name}/{at}")}
        items.append(
            {
                "id": pd_id("override", f"{s.name}/{n}"),
                "type": "override_shift",
                **target,
                "start_time": _iso(o.start),
                "end_time": _iso(o.end),
                "overridden_member": _v3_member(o.overridden_member, uid),
                "overriding_member": _v3_member(o.overriding_member, uid),
            }
        )
    return customs, items


def _at(items: Sequence[Any], wanted: Any) -> int:
    for i, item in enumerate(items):
        if item is wanted:
            return i
    return list(items).index(wanted)


# ---------------------------------------------------------------------------------------------
# The stand-in's own renderer: minute by minute, straight from the documented rules
# ---------------------------------------------------------------------------------------------


def _from_local(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The instant of a local wall-clock time: the first occurrence when it happens twice, the
    instant the clocks jump when it does not exist."""
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first
    lo = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    hi = first
    if lo > hi:
        lo, hi = hi, lo
    while hi - lo > MINUTE:
        mid = lo + ((hi - lo) // 2 // MINUTE) * MINUTE
        if mid.astimezone(tz).replace(tzinfo=None) < naive:
            lo = mid
        else:
            hi = mid
    return hi


class _LayerRules:
    def __init__(self, doc: Mapping[str, Any], tz: ZoneInfo) -> None:
        self.tz = tz
        self.start = _parse(doc["start"])
        self.end = _parse(doc["end"]) if doc.get("end") else None
        self.anchor = _parse(doc["rotation_virtual_start"]).astimezone(tz).replace(tzinfo=None)
        self.length = dt.timedelta(seconds=int(doc["rotation_turn_length_seconds"]))
        self.users = [u["user"] for u in doc.get("users") or []]
        self.restrictions = list(doc.get("restrictions") or [])
        self._bounds: dict[int, dt.datetime] = {}
        self._windows: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}

    def bound(self, k: int) -> dt.datetime:
        if k not in self._bounds:
            self._bounds[k] = _from_local(self.anchor + k * self.length, self.tz)
        return self._bounds[k]

    def windows(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if day not in self._windows:
            out = []
            for r in self.restrictions:
                clock = dt.time.fromisoformat(r["start_time_of_day"])
                if r["type"] == "weekly_restriction" and day.isoweekday() != r["start_day_of_week"]:
                    continue
                naive = dt.datetime.combine(day, clock)
                length = dt.timedelta(seconds=int(r["duration_seconds"]))
                out.append((_from_local(naive, self.tz), _from_local(naive + length, self.tz)))
            self._windows[day] = out
        return self._windows[day]

    def who(self, t: dt.datetime) -> Mapping[str, Any] | None:
        if t < self.start or (self.end is not None and t >= self.end) or not self.users:
            return None
        if self.restrictions:
            today = t.astimezone(self.tz).date()
            days = [today - dt.timedelta(days=d) for d in range(8)]
            if not any(a <= t < b for day in days for a, b in self.windows(day)):
                return None
        local = t.astimezone(self.tz).replace(tzinfo=None)
        k = (local - self.anchor) // self.length
        while self.bound(k) > t:
            k -= 1
        while self.bound(k + 1) <= t:
            k += 1
        return self.users[k % len(self.users)]  # type: ignore[no-any-return]


def _entries(
    who: Any, since: dt.datetime, until: dt.datetime, tz: ZoneInfo
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    t = since
    current: Mapping[str, Any] | None = None
    start = since
    while t <= until:
        person = who(t) if t < until else None
        if (person or {}).get("id") != (current or {}).get("id") or t == until:
            if current is not None and start < t:
                out.append({"user": dict(current), "start": _iso(start, tz), "end": _iso(t, tz)})
            current, start = person, t
        t += MINUTE
    return out


def render_schedule(
    doc: Mapping[str, Any],
    overrides: Sequence[Mapping[str, Any]],
    since: dt.datetime,
    until: dt.datetime,
) -> dict[str, Any]:
    """Each layer's entries (by layer ID), the overrides' and the final schedule's, over
    ``[since, until)``, in the schedule's zone, minute by minute."""
    tz = ZoneInfo(doc["time_zone"] if doc["time_zone"] != "UTC" else "Etc/UTC")
    layers = [_LayerRules(layer, tz) for layer in doc.get("schedule_layers") or []]
    spans = [(_parse(o["start"]), _parse(o["end"]), o["user"]) for o in overrides]

    def override_at(t: dt.datetime) -> Mapping[str, Any] | None:
        for start, end, user in reversed(spans):  # the latest created wins
            if start <= t < end:
                return user  # type: ignore[no-any-return]
        return None

    def final_at(t: dt.datetime) -> Mapping[str, Any] | None:
        person = override_at(t)
        if person is not None:
            return person
        for layer in reversed(layers):  # the last layer wins
            person = layer.who(t)
            if person is not None:
                return person
        return None

    return {
        "layers": {
            str(layer_doc.get("id")): _entries(rules.who, since, until, tz)
            for layer_doc, rules in zip(doc.get("schedule_layers") or [], layers)
        },
        "overrides": _entries(override_at, since, until, tz),
        "final": _entries(final_at, since, until, tz),
    }


def _clip(
    entries: Iterable[Mapping[str, Any]], since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    out = []
    for e in entries:
        start, end = max(_parse(e["start"]), since), min(_parse(e["end"]), until)
        if start < end:
            out.append({**e, "start": _iso(start), "end": _iso(end)})
    return out


# ---------------------------------------------------------------------------------------------
# Shift-based schedules (v3): the stand-in's own renderer, one occurrence at a time
# ---------------------------------------------------------------------------------------------

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


def _iana(zone: str) -> str:
    return "Etc/UTC" if zone == "UTC" else zone


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


# ---------------------------------------------------------------------------------------------
# The HTTP server
# ---------------------------------------------------------------------------------------------


class _Fail:
    def __init__(self, status: int, count: int, path: str | None, headers: Mapping[str, str]):
        self.status, self.count, self.path, self.headers = status, count, path, dict(headers)


_ROUTES: list[tuple[str, re.Pattern[str], str, str]] = [
    (m, re.compile(p), handler, scope)
    for m, p, handler, scope in [
        ("GET", r"/users", "list_users", "users.read"),
        ("GET", r"/users/(?P<id>[^/]+)", "get_user", "users.read"),
        ("GET", r"/teams", "list_teams", "teams.read"),
        ("GET", r"/schedules", "list_schedules", "schedules.read"),
        ("GET", r"/schedules/(?P<id>[^/]+)", "get_schedule", "schedules.read"),
        ("GET", r"/schedules/(?P<id>[^/]+)/overrides", "list_overrides", "schedules.read"),
        ("POST", r"/schedules/(?P<id>[^/]+)/overrides", "create_overrides", "schedules.write"),
        (
            "DELETE",
            r"/schedules/(?P<id>[^/]+)/overrides/(?P<oid>[^/]+)",
            "delete_override",
            "schedules.write",
        ),
        ("GET", r"/escalation_policies", "list_policies", "escalation_policies.read"),
        ("GET", r"/incidents", "list_incidents", "incidents.read"),
        ("GET", r"/incidents/(?P<id>[^/]+)/log_entries", "list_log_entries", "incidents.read"),
        ("GET", r"/v3/schedules", "list_v3", "schedules.read"),
        ("GET", r"/v3/schedules/(?P<id>[^/]+)", "get_v3", "schedules.read"),
        (
            "GET",
            r"/v3/schedules/(?P<id>[^/]+)/rotations/(?P<rid>[^/]+)/events",
            "list_v3_events",
            "schedules.read",
        ),
        (
            "GET",
            r"/v3/schedules/(?P<id>[^/]+)/custom_shifts",
            "list_v3_custom_shifts",
            "schedules.read",
        ),
        ("GET", r"/v3/schedules/(?P<id>[^/]+)/overrides", "list_v3_overrides", "schedules.read"),
        ("GET", r"/audit/records", "list_audit", "audit_records.read"),
    ]
]


class _Answer(Exception):  # noqa: N818 (an answer to send, not an error)
    def __init__(self, status: int, body: Any = None, headers: Mapping[str, str] | None = None):
        self.status, self.body, self.headers = status, body, dict(headers or {})


def _v3_error(
    status: int,
    message: str,
    errors: Mapping[str, list[str]] | None = None,
    code: int = 2001,
) -> _Answer:
    """An error in the v3 API's shape: ``errors`` maps a field to its messages."""
    body: dict[str, Any] = {"error": {"message": message, "code": code}}
    if errors:
        body["error"]["errors"] = dict(errors)
    return _Answer(status, body)


def _error(status: int, message: str, code: int, *errors: str) -> _Answer:
    body: dict[str, Any] = {"error": {"message": message, "code": code}}
    if errors:
        body["error"]["errors"] = list(errors)
    return _Answer(status, body)


class PagerDutyStandIn:
    """``with PagerDutyStandIn(account, {token: scopes}) as pd: ...`` serves ``account`` at
    ``pd.base_url`` (``http://127.0.0.1:PORT``). ``tokens`` maps each accepted API key
    (``Authorization: Token token=…``) to its scopes (``None``: all of them); ``oauth_tokens``
    the same for OAuth access tokens (``Authorization: Bearer …``). ``now`` is the clock for deleting overrides in progress.
    ``requests`` logs ``(method, path, query)`` of every request (never a header)."""

    def __init__(
        self,
        account: Mapping[str, Any],
        tokens: Mapping[str, frozenset[str] | None],
        now: dt.datetime | None = None,
        oauth_tokens: Mapping[str, frozenset[str] | None] | None = None,
    ) -> None:
        self.account = json.loads(json.dumps(account))  # a private copy it may change
        self.account.setdefault("overrides", {})
        self.tokens = dict(tokens)
        self.oauth_tokens = dict(oauth_tokens or {})
        self.now = now
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        self._failures: list[_Fail] = []
        self._lock = threading.Lock()
        self._counter = 0
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> str:
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body, headers = stand_in.handle(
                    self.command, self.path, self.headers.get("Authorization", ""), raw
                )
                data = b"" if body is None else json.dumps(body).encode("utf-8")
                self.send_response(status)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PUT = _serve  # noqa: N815 (http.server's names)

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> PagerDutyStandIn:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the stand-in is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail_next(
        self,
        status: int,
        count: int = 1,
        path: str | None = None,
        retry_after: str | None = None,
        header: str = "Retry-After",
    ) -> None:
        """Answer the next ``count`` requests (to ``path`` only, when given) with ``status``;
        with ``retry_after``, also send it as ``header``."""
        headers = {header: retry_after} if retry_after is not None else {}
        with self._lock:
            self._failures.append(_Fail(status, count, path, headers))

    # -- dispatch -----------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, authorization: str, raw: bytes
    ) -> tuple[int, Any, dict[str, str]]:
        parts = urllib.parse.urlsplit(target)
        path = parts.path
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        with self._lock:
            self.requests.append((method, path, query))
            try:
                return self._dispatch(method, path, query, authorization, raw)
            except _Answer as answer:
                return answer.status, answer.body, answer.headers

    def _dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        authorization: str,
        raw: bytes,
    ) -> tuple[int, Any, dict[str, str]]:
        scopes_of: dict[str, frozenset[str] | None] = {}
        token = None
        if authorization.startswith("Token token="):
            token, scopes_of = authorization.removeprefix("Token token="), self.tokens
        elif authorization.startswith("Bearer "):
            token, scopes_of = authorization.removeprefix("Bearer "), self.oauth_tokens
        if token is None or token not in scopes_of:
            raise _error(401, "Unauthorized", 2006)
        for fail in self._failures:
            if fail.count > 0 and (fail.path is None or fail.path == path):
                fail.count -= 1
                message = "Rate Limit Exceeded" if fail.status == 429 else "Internal Server Error"
                raise _Answer(
                    fail.status, {"error": {"message": message, "code": 2020}}, fail.headers
                )
        for route_method, pattern, handler, scope in _ROUTES:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                scopes = scopes_of[token]
                if scopes is not None and scope not in scopes:
                    raise _error(403, "Access Denied", 2010, f"the token lacks {scope}")
                body = json.loads(raw.decode("utf-8")) if raw else None
                ids = {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
                status, answer = getattr(self, handler)(query, body, **ids)
                return status, answer, {}
        raise _error(404, "Not Found", 2100)

    # -- helpers --------------------------------------------------------------------------------

    @staticmethod
    def _one(query: Mapping[str, list[str]], name: str) -> str | None:
        values = query.get(name)
        return values[-1] if values else None

    def _page(
        self, query: Mapping[str, list[str]], key: str, items: list[Any]
    ) -> tuple[int, dict[str, Any]]:
        try:
            limit = int(self._one(query, "limit") or 25)
            offset = int(self._one(query, "offset") or 0)
        except ValueError:
            raise _error(
                400, "Invalid Input Provided", 2001, "limit and offset are numbers"
            ) from None
        limit = max(1, min(limit, 100))
        if offset + limit > 10_000:
            raise _error(400, "Invalid Input Provided", 2001, "Offset must be less than 10000")
        chunk = items[offset : offset + limit]
        total = len(items) if self._one(query, "total") == "true" else None
        return 200, {
            key: chunk,
            "limit": limit,
            "offset": offset,
            "more": offset + len(chunk) < len(items),
            "total": total,
        }

    @staticmethod
    def _filter(
        items: list[dict[str, Any]], query: Mapping[str, list[str]], *fields: str
    ) -> list[dict[str, Any]]:
        text = (query.get("query") or [""])[-1].lower()
        teams = set(query.get("team_ids[]") or [])
        out = []
        for item in items:
            if text and not any(text in str(item.get(f, "")).lower() for f in fields):
                continue
            if teams and not teams & {t.get("id") for t in item.get("teams") or []}:
                continue
            out.append(item)
        return out

    def _find(self, kind: str, ident: str) -> dict[str, Any]:
        for item in self.account.get(kind) or []:
            if item.get("id") == ident:
                return item  # type: ignore[no-any-return]
        raise _error(404, "Not Found", 2100)

    def _window(self, query: Mapping[str, list[str]]) -> tuple[dt.datetime, dt.datetime] | None:
        since, until = self._one(query, "since"), self._one(query, "until")
        if since is None and until is None:
            return None
        try:
            start = _parse(since) if since else _parse(str(until)) - dt.timedelta(weeks=2)
            end = _parse(until) if until else start + dt.timedelta(weeks=2)
        except ValueError:
            raise _error(
                400, "Invalid Input Provided", 2001, "since/until must be ISO 8601"
            ) from None
        if end <= start:
            raise _error(400, "Invalid Input Provided", 2001, "until must be after since")
        return start, end

    def _now(self) -> dt.datetime:
        return self.now or dt.datetime.now(UTC)

    # -- handlers -------------------------------------------------------------------------------

    def list_users(self, query: Any, body: Any) -> tuple[int, Any]:
        items = self._filter(list(self.account.get("users") or []), query, "name", "email")
        return self._page(query, "users", items)

    def get_user(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        return 200, {"user": self._find("users", id)}

    def list_teams(self, query: Any, body: Any) -> tuple[int, Any]:
        return self._page(
            query, "teams", self._filter(list(self.account.get("teams") or []), query, "name")
        )

    def list_schedules(self, query: Any, body: Any) -> tuple[int, Any]:
        items = [
            {k: v for k, v in s.items() if k != "schedule_layers"}
            for s in self._filter(list(self.account.get("schedules") or []), query, "name")
        ]
        return self._page(query, "schedules", items)

    def get_schedule(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        doc = json.loads(json.dumps(self._find("schedules", id)))
        window = self._window(query)
        if window is not None:
            since, until = window
            overrides = self.account["overrides"].get(id, [])
            rendered = render_schedule(doc, overrides, since, until)
            given = (self.account.get("rendered") or {}).get(id) or {}
            if "final_schedule" in given:
                rendered["final"] = _clip(given["final_schedule"], since, until)
            for lid, entries in (given.get("layers") or {}).items():
                rendered["layers"][lid] = _clip(entries, since, until)
            for layer in doc["schedule_layers"]:
                layer["rendered_schedule_entries"] = rendered["layers"].get(str(layer["id"]), [])
            doc["final_schedule"] = {
                "name": "Final Schedule",
                "rendered_schedule_entries": rendered["final"],
            }
            doc["overrides_subschedule"] = {
                "name": "Overrides",
                "rendered_schedule_entries": rendered["overrides"],
            }
        doc["schedule_layers"] = list(reversed(doc.get("schedule_layers") or []))  # newest first
        return 200, {"schedule": doc}

    def list_overrides(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        self._find("schedules", id)
        window = self._window(query)
        if window is None:
            raise _error(400, "Invalid Input Provided", 2001, "since and until are required")
        since, until = window
        items = [
            o
            for o in self.account["overrides"].get(id, [])
            if _parse(o["start"]) < until and since < _parse(o["end"])
        ]
        return 200, {"overrides": items}

    def create_overrides(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        self._find("schedules", id)
        single = isinstance(body, dict) and "override" in body
        items = [body["override"]] if single else (body or {}).get("overrides")
        if not isinstance(items, list) or not items:
            raise _error(400, "Invalid Input Provided", 2001, "overrides must be a list")
        users = {u["id"]: u for u in self.account.get("users") or []}
        out = []
        for item in items:
            try:
                start, end = _parse(item["start"]), _parse(item["end"])
                user = users.get((item.get("user") or {}).get("id"))
            except (KeyError, TypeError, ValueError):
                out.append({"status": 400, "errors": ["Invalid override"], "override": item})
                continue
            if end <= start:
                out.append(
                    {
                        "status": 400,
                        "errors": ["Override must end after its start"],
                        "override": item,
                    }
                )
                continue
            if user is None:
                out.append({"status": 400, "errors": ["User not found"], "override": item})
                continue
            self._counter += 1
            created = {
                "id": f"Q{self._counter:06d}",
                "type": "override",
                "start": _iso(start),
                "end": _iso(end),
                "user": _ref("user", user["id"], user["name"]),
            }
            self.account["overrides"].setdefault(id, []).append(created)
            out.append({"status": 201, "override": created})
        if single:
            if out[0]["status"] != 201:
                raise _error(400, "Invalid Input Provided", 2001, *out[0]["errors"])
            return 201, {"override": out[0]["override"]}
        return 201, out

    def delete_override(self, query: Any, body: Any, id: str, oid: str) -> tuple[int, Any]:
        self._find("schedules", id)
        items = self.account["overrides"].get(id, [])
        for n, item in enumerate(items):
            if item["id"] == oid:
                now = self._now().replace(second=0, microsecond=0)
                if _parse(item["end"]) <= now:
                    raise _error(
                        400, "Invalid Input Provided", 2001, "cannot remove a past override"
                    )
                if _parse(item["start"]) < now:
                    item["end"] = _iso(now)
                    return 200, None
                del items[n]
                return 204, None
        raise _error(404, "Not Found", 2100)

    def list_policies(self, query: Any, body: Any) -> tuple[int, Any]:
        items = self._filter(list(self.account.get("escalation_policies") or []), query, "name")
        return self._page(query, "escalation_policies", items)

    def list_incidents(self, query: Any, body: Any) -> tuple[int, Any]:
        items = self._filter(list(self.account.get("incidents") or []), query)
        window = self._window(query)
        if window is not None and self._one(query, "date_range") != "all":
            since, until = window
            items = [i for i in items if since <= _parse(i["created_at"]) < until]
        return self._page(query, "incidents", items)

    def list_log_entries(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        self._find("incidents", id)
        entries = (self.account.get("log_entries") or {}).get(id, [])
        return self._page(query, "log_entries", list(entries))

    def list_v3(self, query: Any, body: Any) -> tuple[int, Any]:
        items = [
            {
                "id": s["id"],
                "type": "schedule_v3_reference",
                "summary": s.get("name"),
                "self": f"{SELF}/v3/schedules/{s['id']}",
            }
            for s in self._filter(list(self.account.get("v3_schedules") or []), query, "name")
        ]
        return self._page(query, "schedules", items)

    def _v3_doc(self, id: str) -> dict[str, Any]:
        for item in self.account.get("v3_schedules") or []:
            if item.get("id") == id:
                return item  # type: ignore[no-any-return]
        if any(s.get("id") == id for s in self.account.get("schedules") or []):
            raise _v3_error(
                400, "This is a layer-based schedule. Use the v2 Schedules API to access it."
            )
        raise _v3_error(404, "Not Found", code=2100)

    def _v3_window(self, query: Mapping[str, list[str]]) -> tuple[dt.datetime, dt.datetime]:
        since, until = self._one(query, "since"), self._one(query, "until")
        missing = [n for n, v in (("since", since), ("until", until)) if not v]
        if missing:
            raise _v3_error(400, "Invalid Input Provided", {n: ["is required"] for n in missing})
        try:
            start, end = _parse(str(since)), _parse(str(until))
        except ValueError:
            raise _v3_error(
                400, "Invalid Input Provided", {"since": ["must be an ISO 8601 date-time"]}
            ) from None
        if end <= start:
            raise _v3_error(400, "Invalid Input Provided", {"until": ["must be after since"]})
        return start, end

    def _v3_items(self, kind: str, id: str, query: Any) -> list[dict[str, Any]]:
        """The custom shifts or overrides of schedule ``id`` that meet the window."""
        self._v3_doc(id)
        since, until = self._v3_window(query)
        return [
            item
            for item in (self.account.get(kind) or {}).get(id, [])
            if _parse(item["start_time"]) < until and since < _parse(item["end_time"])
        ]

    def get_v3(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        doc = json.loads(json.dumps(self._v3_doc(id)))
        full = json.loads(json.dumps(doc))  # what is rendered, whatever is shown
        if self.account.get("v3_events_apart"):  # rotations listed without their events
            for rotation in doc.get("rotations") or []:
                rotation.pop("events", None)
        include = query.get("include[]") or []
        if any(value != "final_schedule" for value in include):
            raise _v3_error(400, "Invalid Input Provided", {"include": ["must be final_schedule"]})
        if include and (self._one(query, "since") or self._one(query, "until")):
            since, until = self._v3_window(query)
            zone = self._one(query, "time_zone") or doc["time_zone"]
            doc["final_schedule"] = render_v3_schedule(
                full,
                (self.account.get("v3_custom_shifts") or {}).get(id, []),
                (self.account.get("v3_overrides") or {}).get(id, []),
                since,
                until,
                self.account.get("v3_rendering"),
                overflow=self._one(query, "overflow") == "true",
                tz=ZoneInfo(_iana(zone)),
            )
        return 200, {"schedule": doc}

    def list_v3_events(self, query: Any, body: Any, id: str, rid: str) -> tuple[int, Any]:
        for rotation in self._v3_doc(id).get("rotations") or []:
            if rotation.get("id") == rid:
                return self._page(query, "events", list(rotation.get("events") or []))
        raise _v3_error(404, "Not Found", code=2100)

    def list_v3_custom_shifts(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        return self._page(query, "custom_shifts", self._v3_items("v3_custom_shifts", id, query))

    def list_v3_overrides(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        return self._page(query, "overrides", self._v3_items("v3_overrides", id, query))

    def list_audit(self, query: Any, body: Any) -> tuple[int, Any]:
        records = list(self.account.get("audit_records") or [])
        limit = max(1, min(int(self._one(query, "limit") or 10), 100))
        start = int(self._one(query, "cursor") or 0)
        chunk = records[start : start + limit]
        more = start + limit < len(records)
        return 200, {
            "records": chunk,
            "limit": limit,
            "next_cursor": str(start + limit) if more else None,
        }
