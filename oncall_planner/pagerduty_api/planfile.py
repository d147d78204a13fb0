"""The plan file: an account (or any plan) as reviewable JSON, version 2 (version 1 is read too).

``oncall-planner pull`` writes it; every command reads it as its ``INPUT`` (the command line tells
it from Terraform by its content, ``"format": "oncall-planner plan"``), and ``emit`` turns it into
Terraform. docs/pagerduty-api.md documents each field. The text is deterministic: keys sorted, two
spaces, users by email, teams, schedules and policies by name, pages by time, while layers, rules,
targets and overrides keep their order because it means something (later layers and overrides
win). Instants are RFC 3339 in UTC. Version 2 added ``shift_schedules`` (PagerDuty's shift-based
schedules, with their overrides); a version 1 file has none and reads as it always did.

:class:`Account` is what the file holds: the :class:`~oncall_planner.OnCallPlan`, the overrides
per schedule (the shape ``render`` and ``cover_time_off`` take), the page history, the window
they were pulled for, PagerDuty's IDs of everything, and notes on what was left out.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from oncall_planner.errors import InputReadError, OnCallPlannerError
from oncall_planner.model import (
    EMPTY_MEMBER,
    CustomShift,
    EscalationPolicy,
    EscalationRule,
    EveryMember,
    Layer,
    OnCallPlan,
    Override,
    Restriction,
    RotatingMembers,
    Rotation,
    Schedule,
    ShiftEvent,
    ShiftMember,
    ShiftOverride,
    ShiftSchedule,
    Target,
    Team,
    User,
)
from oncall_planner.pages import Page
from oncall_planner.timeutil import parse_iso8601

FORMAT = "oncall-planner plan"
#: The version written; :data:`READS` the versions read.
VERSION = 2
READS = (1, 2)
UTC = dt.timezone.utc


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value)


def _frozen_map(value: Any) -> dict[Any, Any]:
    return dict(value or {})


@attrs.frozen(eq=True)
class PagerDutyIds:
    """PagerDuty's ID of each object of a pulled plan (empty for a plan from elsewhere).

    Users are keyed by lower-case email, teams, schedules (of both kinds) and policies by name,
    layers, rotations, custom shifts and overrides by ``(schedule name, position)``, events by
    ``(schedule name, rotation position, event position)``.
    """

    users: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map)
    teams: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map)
    schedules: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map)
    layers: Mapping[tuple[str, int], str] = attrs.field(factory=dict, converter=_frozen_map)
    policies: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map)
    overrides: Mapping[tuple[str, int], str] = attrs.field(factory=dict, converter=_frozen_map)
    rotations: Mapping[tuple[str, int], str] = attrs.field(factory=dict, converter=_frozen_map)
    events: Mapping[tuple[str, int, int], str] = attrs.field(factory=dict, converter=_frozen_map)
    custom_shifts: Mapping[tuple[str, int], str] = attrs.field(factory=dict, converter=_frozen_map)

    def user(self, user: User) -> str | None:
        return self.users.get(user.email.lower())


@attrs.frozen(eq=True)
class Account:
    """A PagerDuty account as pulled: the plan, the overrides per schedule name (:class:`Override`
    objects for a layer-based schedule, :class:`ShiftOverride` objects for a shift-based one: the
    shape :func:`~oncall_planner.render` and :func:`~oncall_planner.check` take), the page
    history, the window ``[since, until)`` they cover, PagerDuty's IDs, and notes on what the
    pull left out."""

    plan: OnCallPlan
    overrides: Mapping[str, tuple[Override, ...] | tuple[ShiftOverride, ...]] = attrs.field(
        factory=dict, converter=_frozen_map
    )
    pages: tuple[Page, ...] = attrs.field(default=(), converter=_tuple)
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    ids: PagerDutyIds = attrs.field(factory=PagerDutyIds)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_tuple)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _instant(value: dt.datetime) -> str:
    utc = value.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"


def _restriction_json(restriction: Restriction) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "type": f"{restriction.kind}_restriction",
        "start_time_of_day": restriction.start_time_of_day.strftime("%H:%M:%S"),
        "duration_seconds": int(restriction.duration.total_seconds()),
    }
    if restriction.kind == "weekly":
        doc["start_day_of_week"] = restriction.start_day_of_week
    return doc


def _page_json(page: Page) -> dict[str, Any]:
    user = page.user.email if isinstance(page.user, User) else page.user
    return {
        "id": page.id,
        "at": _instant(page.at),
        "user": user,
        "service": page.service,
        "policy": page.policy,
        "urgency": page.urgency,
        "acknowledged_at": _instant(page.acknowledged_at) if page.acknowledged_at else None,
        "resolved_at": _instant(page.resolved_at) if page.resolved_at else None,
        "title": page.title,
        "merged": page.merged,
    }


def _member_json(member: ShiftMember) -> str | None:
    return member.email if isinstance(member, User) else None


def _shift_schedule_json(schedule: ShiftSchedule, account: Account) -> dict[str, Any]:
    ids, name = account.ids, schedule.name
    overrides = []
    for i, o in enumerate(account.overrides.get(name, ())):
        if not isinstance(o, ShiftOverride):
            continue
        if o.rotation is not None:
            target: dict[str, int] = {"rotation": _index(schedule.rotations, o.rotation)}
        else:
            target = {"custom_shift": _index(schedule.custom_shifts, o.custom_shift)}
        overrides.append(
            {
                "start": _instant(o.start),
                "end": _instant(o.end),
                "overridden_member": _member_json(o.overridden_member),
                "overriding_member": _member_json(o.overriding_member),
                **target,
                "pagerduty_id": ids.overrides.get((name, i)),
            }
        )
    return {
        "name": name,
        "time_zone": schedule.time_zone,
        "description": schedule.description,
        "teams": [t.name for t in schedule.teams],
        "pagerduty_id": ids.schedules.get(name),
        "rotations": [
            {
                "name": rotation.name,
                "pagerduty_id": ids.rotations.get((name, i)),
                "events": [
                    _event_json(event, ids.events.get((name, i, j)))
                    for j, event in enumerate(rotation.events)
                ],
            }
            for i, rotation in enumerate(schedule.rotations)
        ],
        "custom_shifts": [
            {
                "start": _instant(c.start),
                "end": _instant(c.end),
                "member": _member_json(c.member),
                "pagerduty_id": ids.custom_shifts.get((name, i)),
            }
            for i, c in enumerate(schedule.custom_shifts)
        ],
        "overrides": overrides,
    }


def _index(items: Sequence[Any], wanted: Any) -> int:
    for i, item in enumerate(items):
        if item is wanted:
            return i
    return list(items).index(wanted)


def _event_json(event: ShiftEvent, ident: str | None) -> dict[str, Any]:
    assignment = event.assignment
    strategy: dict[str, Any] = {
        "type": "every_member" if isinstance(assignment, EveryMember) else "rotating_members",
        "members": [_member_json(m) for m in assignment.members],
    }
    if isinstance(assignment, RotatingMembers):
        strategy["shifts_per_member"] = assignment.shifts_per_member
    return {
        "name": event.name,
        "start_time": _instant(event.start_time),
        "end_time": _instant(event.end_time),
        "time_zone": event.time_zone,
        "recurrence": list(event.recurrence),
        "assignment": strategy,
        "effective_since": _instant(event.effective_since),
        "effective_until": _instant(event.effective_until) if event.effective_until else None,
        "pagerduty_id": ident,
    }


def account_to_json(account: Account | OnCallPlan) -> dict[str, Any]:
    """The plan file's document for ``account`` (or a bare plan), ready for :func:`dumps`."""
    if isinstance(account, OnCallPlan):
        account = Account(account)
    plan, ids = account.plan, account.ids
    users = sorted(plan.users, key=lambda u: (u.email.lower(), u.name))
    schedules = sorted(plan.schedules, key=lambda s: s.name)
    policies = sorted(plan.escalation_policies, key=lambda p: p.name)
    window = None
    if account.since is not None and account.until is not None:
        window = {"since": _instant(account.since), "until": _instant(account.until)}
    return {
        "format": FORMAT,
        "version": VERSION,
        "window": window,
        "users": [
            {
                "email": u.email,
                "name": u.name,
                "time_zone": u.time_zone,
                "pagerduty_id": ids.user(u),
            }
            for u in users
        ],
        "teams": [
            {
                "name": t.name,
                "description": t.description,
                "members": [m.email for m in t.members],
                "pagerduty_id": ids.teams.get(t.name),
            }
            for t in sorted(plan.teams, key=lambda t: t.name)
        ],
        "schedules": [
            {
                "name": s.name,
                "time_zone": s.time_zone,
                "description": s.description,
                "teams": [t.name for t in s.teams],
                "pagerduty_id": ids.schedules.get(s.name),
                "layers": [
                    {
                        "name": layer.name,
                        "start": _instant(layer.start),
                        "end": _instant(layer.end) if layer.end else None,
                        "rotation_virtual_start": _instant(layer.rotation_virtual_start),
                        "turn_length_seconds": int(layer.turn_length.total_seconds()),
                        "users": [u.email for u in layer.users],
                        "restrictions": [_restriction_json(r) for r in layer.restrictions],
                        "pagerduty_id": ids.layers.get((s.name, i)),
                    }
                    for i, layer in enumerate(s.layers)
                ],
                "overrides": [
                    {
                        "start": _instant(o.start),
                        "end": _instant(o.end),
                        "user": o.user.email,
                        "pagerduty_id": ids.overrides.get((s.name, i)),
                    }
                    for i, o in enumerate(account.overrides.get(s.name, ()))
                    if isinstance(o, Override)
                ],
            }
            for s in schedules
        ],
        "shift_schedules": [
            _shift_schedule_json(s, account)
            for s in sorted(plan.shift_schedules, key=lambda s: s.name)
        ],
        "escalation_policies": [
            {
                "name": p.name,
                "description": p.description,
                "num_loops": p.num_loops,
                "team": p.team.name if p.team else None,
                "pagerduty_id": ids.policies.get(p.name),
                "rules": [
                    {
                        "delay_minutes": r.delay_minutes,
                        "round_robin": r.round_robin,
                        "targets": [
                            {"type": "user", "user": t.ref.email}
                            if isinstance(t.ref, User)
                            else {"type": "schedule", "schedule": t.ref.name}
                            for t in r.targets
                        ],
                    }
                    for r in p.rules
                ],
            }
            for p in policies
        ],
        "pages": [_page_json(p) for p in sorted(account.pages, key=lambda p: (p.at, p.id or ""))],
        "notes": list(account.notes),
    }


def dumps(account: Account | OnCallPlan) -> str:
    """The plan file's text: the same account gives the same bytes."""
    return json.dumps(account_to_json(account), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_account(account: Account | OnCallPlan, path: str | os.PathLike[str]) -> Path:
    """Write the plan file of ``account`` to ``path`` (folders made as needed)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(dumps(account).encode("utf-8"))
    return target


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> InputReadError:
        return InputReadError(f"{self.source}: {where}: {message}")

    def obj(
        self, value: Any, where: str, required: Sequence[str], optional: Sequence[str] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a JSON object, got {_kind(value)}")
        missing = [k for k in required if k not in value]
        if missing:
            raise self.fail(where, f"missing {', '.join(repr(k) for k in missing)}")
        unknown = sorted(set(value) - set(required) - set(optional))
        if unknown:
            known = ", ".join(sorted([*required, *optional]))
            raise self.fail(where, f"unknown key {unknown[0]!r} (known: {known})")
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list, got {_kind(value)}")
        return value

    def text(self, value: Any, where: str, *, optional: bool = False) -> Any:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(where, f"must be a string, got {_kind(value)}")
        return value

    def integer(self, value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(where, f"must be a whole number, got {_kind(value)}")
        return value

    def instant(self, value: Any, where: str, *, optional: bool = False) -> Any:
        if value is None and optional:
            return None
        text = self.text(value, where)
        try:
            parsed = parse_iso8601(text)
        except ValueError:
            raise self.fail(where, f"must be an RFC 3339 time, got {text!r}") from None
        if parsed.tzinfo is None:
            raise self.fail(where, f"needs a UTC offset or Z, got {text!r}")
        return parsed.astimezone(UTC)

    def build(self, where: str, make: Any) -> Any:
        try:
            return make()
        except OnCallPlannerError as error:
            raise self.fail(where, str(error)) from None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), f"{type(value).__name__} {value!r}"
    )


def is_plan_file(data: Any) -> bool:
    """Whether decoded JSON is a plan file (of any version)."""
    return isinstance(data, dict) and data.get("format") == FORMAT


def account_from_json(data: Any, source: str = "plan file") -> Account:
    """The :class:`Account` in a decoded plan file; :class:`~oncall_planner.InputReadError`
    naming the file and the field (``schedules[1].layers[0].users[2]``) for anything wrong."""
    r = _Reader(source)
    top = r.obj(
        data,
        "the document",
        ["format", "version"],
        [
            "window",
            "users",
            "teams",
            "schedules",
            "shift_schedules",
            "escalation_policies",
            "pages",
            "notes",
        ],
    )
    if top["format"] != FORMAT:
        raise r.fail("format", f"must be {FORMAT!r}, got {top['format']!r}")
    version = top["version"]
    if version not in READS or isinstance(version, bool):
        known = " and ".join(str(v) for v in READS)
        raise r.fail(
            "version",
            f"this oncall-planner reads versions {known} of the plan file, got {version!r}"
            + (
                " (written by a newer oncall-planner: upgrade)"
                if isinstance(version, int) and version > VERSION
                else ""
            ),
        )
    if version == 1 and "shift_schedules" in top:
        raise r.fail("shift_schedules", "needs version 2 of the plan file (the file says 1)")
    users: dict[str, User] = {}
    user_ids: dict[str, str] = {}
    for i, item in enumerate(r.array(top.get("users", []), "users")):
        w = f"users[{i}]"
        u = r.obj(item, w, ["email", "name"], ["time_zone", "pagerduty_id"])
        user = r.build(
            w,
            lambda u=u, w=w: User(
                r.text(u["name"], f"{w}.name"),
                r.text(u["email"], f"{w}.email"),
                r.text(u.get("time_zone"), f"{w}.time_zone", optional=True),
            ),
        )
        if user.email.lower() in users:
            raise r.fail(w, f"lists {user.email!r} a second time")
        users[user.email.lower()] = user
        if u.get("pagerduty_id") is not None:
            user_ids[user.email.lower()] = r.text(u["pagerduty_id"], f"{w}.pagerduty_id")

    def user_at(value: Any, where: str) -> User:
        email = r.text(value, where)
        found = users.get(email.lower())
        if found is None:
            raise r.fail(where, f"no user with email {email!r} in 'users'")
        return found

    teams: dict[str, Team] = {}
    team_ids: dict[str, str] = {}
    for i, item in enumerate(r.array(top.get("teams", []), "teams")):
        w = f"teams[{i}]"
        t = r.obj(item, w, ["name"], ["description", "members", "pagerduty_id"])
        members = [
            user_at(m, f"{w}.members[{j}]")
            for j, m in enumerate(r.array(t.get("members", []), f"{w}.members"))
        ]
        team = r.build(
            w,
            lambda t=t, w=w, members=members: Team(
                r.text(t["name"], f"{w}.name"),
                members,
                r.text(t.get("description"), f"{w}.description", optional=True),
            ),
        )
        if team.name in teams:
            raise r.fail(w, f"a second team named {team.name!r}")
        teams[team.name] = team
        if t.get("pagerduty_id") is not None:
            team_ids[team.name] = r.text(t["pagerduty_id"], f"{w}.pagerduty_id")

    def team_at(value: Any, where: str) -> Team:
        name = r.text(value, where)
        if name not in teams:
            raise r.fail(where, f"no team named {name!r} in 'teams'")
        return teams[name]

    schedules: dict[str, Schedule] = {}
    ids_schedules: dict[str, str] = {}
    ids_layers: dict[tuple[str, int], str] = {}
    ids_overrides: dict[tuple[str, int], str] = {}
    overrides: dict[str, tuple[Override, ...] | tuple[ShiftOverride, ...]] = {}
    for i, item in enumerate(r.array(top.get("schedules", []), "schedules")):
        w = f"schedules[{i}]"
        s = r.obj(
            item,
            w,
            ["name", "time_zone", "layers"],
            ["description", "teams", "pagerduty_id", "overrides"],
        )
        name = r.text(s["name"], f"{w}.name")
        layers = [
            _layer(r, layer, f"{w}.layers[{j}]", user_at)
            for j, layer in enumerate(r.array(s["layers"], f"{w}.layers"))
        ]
        schedule_teams = [
            team_at(t, f"{w}.teams[{j}]")
            for j, t in enumerate(r.array(s.get("teams", []), f"{w}.teams"))
        ]
        schedule = r.build(
            w,
            lambda s=s, w=w, name=name, layers=layers, st=schedule_teams: Schedule(
                name,
                r.text(s["time_zone"], f"{w}.time_zone"),
                [layer for layer, _ in layers],
                r.text(s.get("description"), f"{w}.description", optional=True),
                st,
            ),
        )
        if name in schedules:
            raise r.fail(w, f"a second schedule named {name!r}")
        schedules[name] = schedule
        if s.get("pagerduty_id") is not None:
            ids_schedules[name] = r.text(s["pagerduty_id"], f"{w}.pagerduty_id")
        for j, (_, layer_id) in enumerate(layers):
            if layer_id is not None:
                ids_layers[(name, j)] = layer_id
        items = []
        for j, o in enumerate(r.array(s.get("overrides", []), f"{w}.overrides")):
            ow = f"{w}.overrides[{j}]"
            od = r.obj(o, ow, ["start", "end", "user"], ["pagerduty_id"])
            start = r.instant(od["start"], f"{ow}.start")
            end = r.instant(od["end"], f"{ow}.end")
            who = user_at(od["user"], f"{ow}.user")
            items.append(r.build(ow, lambda a=start, b=end, u=who: Override(a, b, u)))
            if od.get("pagerduty_id") is not None:
                ids_overrides[(name, j)] = r.text(od["pagerduty_id"], f"{ow}.pagerduty_id")
        if items:
            overrides[name] = tuple(items)

    shift_ids: dict[str, dict[Any, str]] = {
        "rotations": {},
        "events": {},
        "custom_shifts": {},
    }
    shift_schedules: dict[str, ShiftSchedule] = {}
    for i, item in enumerate(r.array(top.get("shift_schedules", []), "shift_schedules")):
        w = f"shift_schedules[{i}]"
        made, made_overrides = _shift_schedule(r, item, w, user_at, team_at, shift_ids)
        if made.name in schedules or made.name in shift_schedules:
            raise r.fail(w, f"a second schedule named {made.name!r}")
        shift_schedules[made.name] = made
        sd = item
        if sd.get("pagerduty_id") is not None:
            ids_schedules[made.name] = r.text(sd["pagerduty_id"], f"{w}.pagerduty_id")
        if made_overrides:
            overrides[made.name] = tuple(o for o, _ in made_overrides)
            for j, (_, oid) in enumerate(made_overrides):
                if oid is not None:
                    ids_overrides[(made.name, j)] = oid

    policies = []
    ids_policies: dict[str, str] = {}
    for i, item in enumerate(r.array(top.get("escalation_policies", []), "escalation_policies")):
        w = f"escalation_policies[{i}]"
        p = r.obj(item, w, ["name", "rules"], ["description", "num_loops", "team", "pagerduty_id"])
        rules = []
        for j, rule in enumerate(r.array(p["rules"], f"{w}.rules")):
            rw = f"{w}.rules[{j}]"
            rd = r.obj(rule, rw, ["delay_minutes", "targets"], ["round_robin"])
            targets = []
            for k, target in enumerate(r.array(rd["targets"], f"{rw}.targets")):
                tw = f"{rw}.targets[{k}]"
                kind = target.get("type") if isinstance(target, dict) else None
                if kind == "user":
                    td = r.obj(target, tw, ["type", "user"])
                    targets.append(Target.user(user_at(td["user"], f"{tw}.user")))
                elif kind == "schedule":
                    td = r.obj(target, tw, ["type", "schedule"])
                    sname = r.text(td["schedule"], f"{tw}.schedule")
                    found = schedules.get(sname) or shift_schedules.get(sname)
                    if found is None:
                        raise r.fail(f"{tw}.schedule", f"no schedule named {sname!r}")
                    targets.append(Target.schedule(found))
                else:
                    raise r.fail(tw, f"type must be 'user' or 'schedule', got {kind!r}")
            round_robin = rd.get("round_robin", False)
            if not isinstance(round_robin, bool):
                raise r.fail(
                    f"{rw}.round_robin", f"must be true or false, got {_kind(round_robin)}"
                )
            delay = r.integer(rd["delay_minutes"], f"{rw}.delay_minutes")
            rules.append(
                r.build(rw, lambda d=delay, t=targets, rr=round_robin: EscalationRule(d, t, rr))
            )
        team = team_at(p["team"], f"{w}.team") if p.get("team") is not None else None
        loops = r.integer(p.get("num_loops", 0), f"{w}.num_loops")
        policy = r.build(
            w,
            lambda p=p, w=w, rules=rules, team=team, loops=loops: EscalationPolicy(
                r.text(p["name"], f"{w}.name"),
                rules,
                loops,
                team,
                r.text(p.get("description"), f"{w}.description", optional=True),
            ),
        )
        policies.append(policy)
        if p.get("pagerduty_id") is not None:
            ids_policies[policy.name] = r.text(p["pagerduty_id"], f"{w}.pagerduty_id")

    pages = [
        _page(r, page, f"pages[{i}]", users)
        for i, page in enumerate(r.array(top.get("pages", []), "pages"))
    ]
    notes = [r.text(n, f"notes[{i}]") for i, n in enumerate(r.array(top.get("notes", []), "notes"))]
    since = until = None
    if top.get("window") is not None:
        wd = r.obj(top["window"], "window", ["since", "until"])
        since = r.instant(wd["since"], "window.since")
        until = r.instant(wd["until"], "window.until")
    plan = r.build(
        "the document",
        lambda: OnCallPlan(
            schedules=list(schedules.values()),
            escalation_policies=policies,
            users=list(users.values()),
            teams=list(teams.values()),
            shift_schedules=list(shift_schedules.values()),
        ),
    )
    return Account(
        plan,
        overrides,
        pages,
        since,
        until,
        PagerDutyIds(
            user_ids,
            team_ids,
            ids_schedules,
            ids_layers,
            ids_policies,
            ids_overrides,
            shift_ids["rotations"],
            shift_ids["events"],
            shift_ids["custom_shifts"],
        ),
        notes,
    )


def _shift_schedule(
    r: _Reader,
    item: Any,
    w: str,
    user_at: Any,
    team_at: Any,
    ids: dict[str, dict[Any, str]],
) -> tuple[ShiftSchedule, list[tuple[ShiftOverride, str | None]]]:
    """One entry of ``shift_schedules``: the schedule and its overrides with their IDs."""
    d = r.obj(
        item,
        w,
        ["name", "time_zone", "rotations"],
        ["description", "teams", "pagerduty_id", "custom_shifts", "overrides"],
    )
    name = r.text(d["name"], f"{w}.name")

    def member_at(value: Any, where: str) -> ShiftMember:
        return EMPTY_MEMBER if value is None else user_at(value, where)

    rotations = []
    for i, rot in enumerate(r.array(d["rotations"], f"{w}.rotations")):
        rw = f"{w}.rotations[{i}]"
        rd = r.obj(rot, rw, ["events"], ["name", "pagerduty_id"])
        events = []
        for j, ev in enumerate(r.array(rd["events"], f"{rw}.events")):
            ew = f"{rw}.events[{j}]"
            events.append(_shift_event(r, ev, ew, member_at))
            ident = r.text(ev.get("pagerduty_id"), f"{ew}.pagerduty_id", optional=True)
            if ident is not None:
                ids["events"][(name, i, j)] = ident
        rotations.append(
            r.build(
                rw,
                lambda rd=rd, rw=rw, events=events: Rotation(
                    events, r.text(rd.get("name"), f"{rw}.name", optional=True)
                ),
            )
        )
        ident = r.text(rd.get("pagerduty_id"), f"{rw}.pagerduty_id", optional=True)
        if ident is not None:
            ids["rotations"][(name, i)] = ident
    customs = []
    for i, c in enumerate(r.array(d.get("custom_shifts", []), f"{w}.custom_shifts")):
        cw = f"{w}.custom_shifts[{i}]"
        cd = r.obj(c, cw, ["start", "end", "member"], ["pagerduty_id"])
        start = r.instant(cd["start"], f"{cw}.start")
        end = r.instant(cd["end"], f"{cw}.end")
        who = member_at(cd["member"], f"{cw}.member")
        customs.append(r.build(cw, lambda a=start, b=end, m=who: CustomShift(a, b, m)))
        ident = r.text(cd.get("pagerduty_id"), f"{cw}.pagerduty_id", optional=True)
        if ident is not None:
            ids["custom_shifts"][(name, i)] = ident
    schedule_teams = [
        team_at(t, f"{w}.teams[{j}]")
        for j, t in enumerate(r.array(d.get("teams", []), f"{w}.teams"))
    ]
    schedule = r.build(
        w,
        lambda: ShiftSchedule(
            name,
            r.text(d["time_zone"], f"{w}.time_zone"),
            rotations,
            r.text(d.get("description"), f"{w}.description", optional=True),
            schedule_teams,
            customs,
        ),
    )
    overrides = []
    for j, o in enumerate(r.array(d.get("overrides", []), f"{w}.overrides")):
        ow = f"{w}.overrides[{j}]"
        od = r.obj(
            o,
            ow,
            ["start", "end", "overridden_member", "overriding_member"],
            ["rotation", "custom_shift", "pagerduty_id"],
        )
        if ("rotation" in od) == ("custom_shift" in od):
            raise r.fail(ow, "give exactly one of 'rotation' and 'custom_shift' (a position)")
        field = "rotation" if "rotation" in od else "custom_shift"
        pool = schedule.rotations if field == "rotation" else schedule.custom_shifts
        pos = r.integer(od[field], f"{ow}.{field}")
        if not 0 <= pos < len(pool):
            raise r.fail(
                f"{ow}.{field}",
                f"must be a position in the schedule's {field}s, 0 to {len(pool) - 1}, got {pos}",
            )
        start = r.instant(od["start"], f"{ow}.start")
        end = r.instant(od["end"], f"{ow}.end")
        old = member_at(od["overridden_member"], f"{ow}.overridden_member")
        new = member_at(od["overriding_member"], f"{ow}.overriding_member")
        target = {field: pool[pos]}
        overrides.append(
            (
                r.build(
                    ow,
                    lambda a=start, b=end, m=old, n=new, t=target: ShiftOverride(a, b, m, n, **t),
                ),
                r.text(od.get("pagerduty_id"), f"{ow}.pagerduty_id", optional=True),
            )
        )
    return schedule, overrides


def _shift_event(r: _Reader, item: Any, w: str, member_at: Any) -> ShiftEvent:
    d = r.obj(
        item,
        w,
        ["name", "start_time", "end_time", "recurrence", "assignment", "effective_since"],
        ["time_zone", "effective_until", "pagerduty_id"],
    )
    aw = f"{w}.assignment"
    ad = r.obj(d["assignment"], aw, ["type", "members"], ["shifts_per_member"])
    members = [
        member_at(m, f"{aw}.members[{k}]")
        for k, m in enumerate(r.array(ad["members"], f"{aw}.members"))
    ]
    assignment: RotatingMembers | EveryMember
    if ad["type"] == "rotating_members":
        spm = r.integer(ad.get("shifts_per_member", 1), f"{aw}.shifts_per_member")
        assignment = r.build(aw, lambda: RotatingMembers(members, spm))
    elif ad["type"] == "every_member":
        if "shifts_per_member" in ad:
            raise r.fail(f"{aw}.shifts_per_member", "is only for 'rotating_members'")
        assignment = r.build(aw, lambda: EveryMember(members))
    else:
        raise r.fail(
            f"{aw}.type", f"must be 'rotating_members' or 'every_member', got {ad['type']!r}"
        )
    recurrence = [
        r.text(line, f"{w}.recurrence[{k}]")
        for k, line in enumerate(r.array(d["recurrence"], f"{w}.recurrence"))
    ]
    return r.build(  # type: ignore[no-any-return]
        w,
        lambda: ShiftEvent(
            r.text(d["name"], f"{w}.name"),
            r.instant(d["start_time"], f"{w}.start_time"),
            r.instant(d["end_time"], f"{w}.end_time"),
            recurrence,
            assignment,
            effective_since=r.instant(d["effective_since"], f"{w}.effective_since"),
            effective_until=r.instant(
                d.get("effective_until"), f"{w}.effective_until", optional=True
            ),
            time_zone=r.text(d.get("time_zone"), f"{w}.time_zone", optional=True),
        ),
    )


def _layer(r: _Reader, item: Any, w: str, user_at: Any) -> tuple[Layer, str | None]:
    d = r.obj(
        item,
        w,
        ["name", "start", "rotation_virtual_start", "turn_length_seconds", "users"],
        ["end", "restrictions", "pagerduty_id"],
    )
    users = [user_at(u, f"{w}.users[{k}]") for k, u in enumerate(r.array(d["users"], f"{w}.users"))]
    restrictions = []
    for k, item_r in enumerate(r.array(d.get("restrictions", []), f"{w}.restrictions")):
        rw = f"{w}.restrictions[{k}]"
        rd = r.obj(
            item_r, rw, ["type", "start_time_of_day", "duration_seconds"], ["start_day_of_week"]
        )
        kind = {"daily_restriction": "daily", "weekly_restriction": "weekly"}.get(rd["type"])
        if kind is None:
            raise r.fail(
                f"{rw}.type",
                f"must be 'daily_restriction' or 'weekly_restriction', got {rd['type']!r}",
            )
        seconds = r.integer(rd["duration_seconds"], f"{rw}.duration_seconds")
        restrictions.append(
            r.build(
                rw,
                lambda kind=kind, rd=rd, seconds=seconds, rw=rw: Restriction(
                    kind,
                    r.text(rd["start_time_of_day"], f"{rw}.start_time_of_day"),
                    dt.timedelta(seconds=seconds),
                    rd.get("start_day_of_week"),
                ),
            )
        )
    seconds = r.integer(d["turn_length_seconds"], f"{w}.turn_length_seconds")
    layer = r.build(
        w,
        lambda: Layer(
            r.text(d["name"], f"{w}.name"),
            users,
            r.instant(d["start"], f"{w}.start"),
            dt.timedelta(seconds=seconds),
            r.instant(d["rotation_virtual_start"], f"{w}.rotation_virtual_start"),
            restrictions,
            r.instant(d.get("end"), f"{w}.end", optional=True),
        ),
    )
    ident = r.text(d.get("pagerduty_id"), f"{w}.pagerduty_id", optional=True)
    return layer, ident


def _page(r: _Reader, item: Any, w: str, users: Mapping[str, User]) -> Page:
    d = r.obj(
        item,
        w,
        ["at"],
        [
            "id",
            "user",
            "service",
            "policy",
            "urgency",
            "acknowledged_at",
            "resolved_at",
            "title",
            "merged",
        ],
    )
    who = r.text(d.get("user"), f"{w}.user", optional=True)
    user: User | str | None = users.get(who.lower(), who) if who else None
    merged = d.get("merged", False)
    if not isinstance(merged, bool):
        raise r.fail(f"{w}.merged", f"must be true or false, got {_kind(merged)}")
    return r.build(  # type: ignore[no-any-return]
        w,
        lambda: Page(
            r.instant(d["at"], f"{w}.at"),
            user,
            r.text(d.get("service"), f"{w}.service", optional=True),
            r.text(d.get("policy"), f"{w}.policy", optional=True),
            r.text(d.get("urgency"), f"{w}.urgency", optional=True),
            r.instant(d.get("acknowledged_at"), f"{w}.acknowledged_at", optional=True),
            r.instant(d.get("resolved_at"), f"{w}.resolved_at", optional=True),
            id=r.text(d.get("id"), f"{w}.id", optional=True),
            title=r.text(d.get("title"), f"{w}.title", optional=True),
            merged=merged,
        ),
    )


def read_json(path: str | os.PathLike[str]) -> Any:
    """Decoded JSON of ``path``, or :class:`~oncall_planner.InputReadError` saying why not."""
    source = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputReadError(f"{source}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise InputReadError(f"{source}: not UTF-8 text: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputReadError(f"{source}:{error.lineno}: not valid JSON: {error.msg}") from None
    except RecursionError:
        raise InputReadError(f"{source}: not valid JSON: nested too deeply") from None
    except ValueError:  # Python refuses to read integers of more than 4300 digits
        raise InputReadError(f"{source}: not valid JSON: a number has too many digits") from None


def load_account(path: str | os.PathLike[str]) -> Account:
    """The :class:`Account` in the plan file at ``path``."""
    source = os.fspath(path)
    data = read_json(path)
    if not is_plan_file(data):
        raise InputReadError(f'{source}: not an oncall-planner plan file (no "format": {FORMAT!r})')
    return account_from_json(data, source)


def sniff_plan_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a file whose content is a plan file: a JSON object whose ``format`` is
    ``"oncall-planner plan"``. Cheap for other inputs: a directory, or a file that does not start
    with ``{``, is answered without reading it whole."""
    target = Path(path)
    if not target.is_file():
        return False
    try:
        with target.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"{"):
        return False
    try:
        return is_plan_file(json.loads(target.read_text(encoding="utf-8-sig")))
    except (OSError, ValueError, RecursionError):  # not JSON (or too deep, or huge numbers)
        return False
