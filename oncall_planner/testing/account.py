"""An account for the stand-in, built from an :class:`~oncall_planner.OnCallPlan`: users, teams,
layer-based and shift-based schedules, escalation policies and overrides, in PagerDuty's own
shapes, with IDs derived from names, so the same plan always gives the same account."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

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
from oncall_planner.testing._common import SELF, _iana, _iso, _ref


def pd_id(kind: str, key: str) -> str:
    """A PagerDuty-looking ID (``P`` and six characters) derived from ``kind`` and ``key``."""
    digest = hashlib.sha256(f"{kind}:{key}".encode()).hexdigest().upper()
    letters = "".join(c for c in digest if c.isalnum())
    return "P" + letters[:6]


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
