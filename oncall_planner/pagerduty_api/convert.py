"""PagerDuty's API objects turned into the library's values. Pure: no network, no clock.

Every function takes decoded JSON as PagerDuty returns it (``GET /users``, ``/teams``,
``/schedules/{id}``, ``/escalation_policies``, ``/schedules/{id}/overrides``, ``/incidents`` and
``/incidents/{id}/log_entries``; for shift-based schedules ``GET /v3/schedules/{id}`` and its
``custom_shifts`` and ``overrides``) and a :class:`Notes` that collects, in words, what could not
be taken as it is. Nothing is dropped silently: an object the model refuses (a policy name with a
``/``, a turn shorter than an hour) is left out with a note naming it and its ID, and what
depends on it goes with it, noted too.

Two choices PagerDuty does not document, made as the Terraform provider makes them:
``GET /schedules/{id}`` lists layers newest first (Layer N … Layer 1), so the list is reversed to
get precedence order; and a user ``GET /users`` does not return (deleted since) becomes a
placeholder ``<id>@unknown.invalid``, the reserved domain the Terraform importer uses too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from oncall_planner.errors import OnCallPlannerError
from oncall_planner.model import (
    EMPTY_MEMBER,
    CustomShift,
    EscalationPolicy,
    EscalationRule,
    EveryMember,
    Layer,
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
from oncall_planner.model.shift import check_iana_zone
from oncall_planner.pages import Page
from oncall_planner.timeutil import check_time_zone, parse_iso8601

UTC = dt.timezone.utc
_ZONE_ALIASES = {"UTC": "Etc/UTC", "GMT": "Etc/GMT"}


class Notes:
    """What a conversion could not take as it is, in the order found, each said once."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._keys: set[str] = set()

    def add(self, text: str) -> None:
        if text not in self.items:
            self.items.append(text)

    def once(self, key: str, text: str) -> None:
        """``text``, unless a note was already added under ``key``."""
        if key not in self._keys:
            self._keys.add(key)
            self.add(text)


def instant(value: Any, where: str) -> dt.datetime:
    """An aware UTC datetime from PagerDuty's RFC 3339 text (any offset)."""
    if not isinstance(value, str):
        raise OnCallPlannerError(f"{where}: expected an RFC 3339 time, got {value!r}")
    try:
        parsed = parse_iso8601(value)
    except ValueError:
        raise OnCallPlannerError(f"{where}: expected an RFC 3339 time, got {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _minute(value: dt.datetime) -> dt.datetime:
    return value.replace(second=0, microsecond=0)


def _label(obj: Any) -> str:
    if isinstance(obj, Mapping):
        for key in ("name", "summary", "id"):
            value = obj.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return "?"


def _ref_id(obj: Any) -> str | None:
    if isinstance(obj, Mapping) and isinstance(obj.get("id"), str):
        return str(obj["id"])
    return None


def zone_name(value: Any, where: str) -> str:
    """A zone PagerDuty returned, as the allow-list names it (``UTC`` is ``Etc/UTC``)."""
    name = _ZONE_ALIASES.get(value, value) if isinstance(value, str) else value
    return check_time_zone(name, where)


# ---------------------------------------------------------------------------------------------
# Users and teams
# ---------------------------------------------------------------------------------------------


def users(items: Iterable[Mapping[str, Any]], notes: Notes) -> dict[str, User]:
    """PagerDuty user ID -> :class:`User`. A zone outside PagerDuty's list is dropped (noted);
    a user the model refuses is left out (noted)."""
    out: dict[str, User] = {}
    for item in items:
        ident = _ref_id(item) or "?"
        zone = item.get("time_zone")
        if zone is not None:
            try:
                zone = zone_name(zone, f"user {ident}")
            except OnCallPlannerError:
                notes.add(
                    f"user {ident} ({_label(item)}): time zone {zone!r} is not one PagerDuty's "
                    "schedules accept; left unset"
                )
                zone = None
        try:
            out[ident] = User(str(item.get("name") or ""), str(item.get("email") or ""), zone)
        except OnCallPlannerError as error:
            notes.add(f"user {ident} left out: {error}")
    return out


def placeholder(ref: Mapping[str, Any], notes: Notes, where: str) -> User:
    """A user only known by reference (deleted, or not visible to the token)."""
    ident = _ref_id(ref) or "unknown"
    notes.add(
        f"{where}: user {ident} ({_label(ref)}) is not in GET /users; kept as "
        f"{ident.lower()}@unknown.invalid"
    )
    return User(_label(ref)[:100], f"{ident.lower()}@unknown.invalid")


def teams(
    items: Iterable[Mapping[str, Any]],
    user_docs: Iterable[Mapping[str, Any]],
    by_id: Mapping[str, User],
    notes: Notes,
) -> dict[str, Team]:
    """PagerDuty team ID -> :class:`Team`; members are the users whose ``teams`` name the team,
    sorted by email (the API gives them no order)."""
    members: dict[str, list[User]] = {}
    for doc in user_docs:
        user = by_id.get(_ref_id(doc) or "")
        if user is None:
            continue
        for ref in doc.get("teams") or []:
            team_id = _ref_id(ref)
            if team_id is not None:
                members.setdefault(team_id, []).append(user)
    out: dict[str, Team] = {}
    for item in items:
        ident = _ref_id(item) or "?"
        people = sorted(members.get(ident, []), key=lambda u: u.email.lower())
        try:
            out[ident] = Team(str(item.get("name") or ""), people, item.get("description") or None)
        except OnCallPlannerError as error:
            notes.add(f"team {ident} left out: {error}")
    return out


# ---------------------------------------------------------------------------------------------
# Schedules
# ---------------------------------------------------------------------------------------------


def _restriction(doc: Mapping[str, Any]) -> Restriction:
    kind = {"daily_restriction": "daily", "weekly_restriction": "weekly"}.get(doc.get("type", ""))
    if kind is None:
        raise OnCallPlannerError(f"restriction type {doc.get('type')!r} is not daily or weekly")
    day = doc.get("start_day_of_week") if kind == "weekly" else None
    return Restriction(
        kind,  # type: ignore[arg-type]
        str(doc.get("start_time_of_day", "")),
        dt.timedelta(seconds=int(doc.get("duration_seconds") or 0)),
        day,
    )


#: What a value of an unexpected shape or size raises on its way into the model: the object is
#: left out with a note (``10**30`` seconds overflow a ``timedelta``).
_REFUSED = (OnCallPlannerError, TypeError, ValueError, AttributeError, KeyError, OverflowError)


def layers_in_order(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The layers of a ``GET /schedules/{id}`` answer in precedence order (Layer 1 first):
    PagerDuty lists them newest first, the reverse of the order they were written in. Only
    objects count (:func:`schedule` refuses a schedule with anything else there)."""
    layers = doc.get("schedule_layers")
    listed = layers if isinstance(layers, list) else []
    return [layer for layer in reversed(listed) if isinstance(layer, Mapping)]


def schedule(
    doc: Mapping[str, Any],
    by_id: dict[str, User],
    teams_by_id: Mapping[str, Team],
    notes: Notes,
) -> tuple[Schedule, list[str | None]] | None:
    """The :class:`Schedule` of a ``GET /schedules/{id}`` answer and its layers' IDs, or
    ``None`` (noted) when the model refuses it. Users missing from ``by_id`` are added to it as
    placeholders."""
    ident = _ref_id(doc) or "?"
    name = str(doc.get("name") or doc.get("summary") or ident)
    where = f"schedule {ident} ({name})"
    try:
        zone = zone_name(doc.get("time_zone"), where)
        built = []
        ids: list[str | None] = []
        layers = doc.get("schedule_layers")
        if layers is not None and (
            not isinstance(layers, list) or not all(isinstance(x, Mapping) for x in layers)
        ):
            raise OnCallPlannerError("schedule_layers must be a list of objects")
        for i, layer in enumerate(layers_in_order(doc)):
            people = []
            for entry in layer.get("users") or []:
                ref = entry.get("user") if isinstance(entry, Mapping) else None
                uid = _ref_id(ref)
                if uid is None:
                    continue
                if uid not in by_id:
                    by_id[uid] = placeholder(ref or {}, notes, where)
                people.append(by_id[uid])
            start = instant(layer.get("start"), f"{where} layer {i + 1} start")
            vstart = instant(
                layer.get("rotation_virtual_start"), f"{where} layer {i + 1} rotation_virtual_start"
            )
            end = layer.get("end")
            end_at = instant(end, f"{where} layer {i + 1} end") if end else None
            if start != _minute(start):
                notes.add(
                    f"{where}: layer {i + 1} starts at {start.isoformat()} (PagerDuty returns the "
                    "time of the last edit for a past start); taken to the minute"
                )
            built.append(
                Layer(
                    str(layer.get("name") or f"Layer {i + 1}"),
                    people,
                    _minute(start),
                    dt.timedelta(seconds=int(layer.get("rotation_turn_length_seconds") or 0)),
                    _minute(vstart),
                    [_restriction(r) for r in layer.get("restrictions") or []],
                    _minute(end_at) if end_at else None,
                )
            )
            ids.append(_ref_id(layer))
        team_refs = [_ref_id(r) for r in doc.get("teams") or []]
        team_list = [teams_by_id[t] for t in team_refs if t is not None and t in teams_by_id]
        return Schedule(name, zone, built, doc.get("description") or None, team_list), ids
    except _REFUSED as error:
        notes.add(f"{where} left out: {error}")
        return None


# ---------------------------------------------------------------------------------------------
# Shift-based schedules (PagerDuty's v3 API)
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class PulledShiftSchedule:
    """A shift-based schedule as pulled, with PagerDuty's IDs of its parts by position:
    ``rotation_ids[i]`` of ``schedule.rotations[i]``, ``event_ids[i][j]`` of its events,
    ``custom_shift_ids[i]`` of ``schedule.custom_shifts[i]``."""

    schedule: ShiftSchedule
    rotation_ids: tuple[str | None, ...]
    event_ids: tuple[tuple[str | None, ...], ...]
    custom_shift_ids: tuple[str | None, ...]


def shift_zone(value: Any, where: str, field: str = "time_zone") -> str:
    """A zone the v3 API returned: any IANA name (``UTC`` and ``GMT`` as ``Etc/UTC`` and
    ``Etc/GMT``, the names PagerDuty's Terraform provider takes)."""
    name = _ZONE_ALIASES.get(value, value) if isinstance(value, str) else value
    return check_iana_zone(name, where, field)


def _v3_instant(value: Any, where: str, notes: Notes, schedule_where: str) -> dt.datetime:
    """An instant of the v3 API taken to the minute (PagerDuty works in whole minutes, but an
    ``effective_since`` in the past is clamped to the second an event was created), noted once
    per schedule when seconds were dropped."""
    moment = instant(value, where)
    if moment != _minute(moment):
        notes.once(
            f"seconds {schedule_where}",
            f"{schedule_where}: times with seconds are taken to the minute (the first: {where} "
            f"{moment.isoformat()})",
        )
    return _minute(moment)


def _zoned(value: Any, where: str) -> tuple[Any, Any]:
    """``(date_time, time_zone)`` of a ZonedDateTime (a bare string has no zone)."""
    if isinstance(value, Mapping):
        return value.get("date_time"), value.get("time_zone")
    return value, None


def shift_member(doc: Any, by_id: dict[str, User], notes: Notes, where: str) -> ShiftMember:
    """A ShiftMember (``user_member`` with ``user_id``, or ``empty_member``) as a User or
    :data:`~oncall_planner.EMPTY_MEMBER`; a user ``GET /users`` did not return is a placeholder."""
    kind = doc.get("type") if isinstance(doc, Mapping) else None
    if kind == "empty_member":
        return EMPTY_MEMBER
    uid = doc.get("user_id") if isinstance(doc, Mapping) else None
    if kind != "user_member" or not isinstance(uid, str) or not uid:
        raise OnCallPlannerError(
            f"{where}: a member must be user_member with a user_id or empty_member, got {doc!r}"
        )
    if uid not in by_id:
        by_id[uid] = placeholder({"id": uid}, notes, where)
    return by_id[uid]


def _strategy_of(
    doc: Any, by_id: dict[str, User], notes: Notes, where: str
) -> RotatingMembers | EveryMember:
    if not isinstance(doc, Mapping):
        raise OnCallPlannerError(f"{where}: assignment_strategy must be an object, got {doc!r}")
    members = [
        shift_member(m, by_id, notes, f"{where} member {k + 1}")
        for k, m in enumerate(doc.get("members") or [])
    ]
    kind = doc.get("type")
    if kind == "every_member_assignment_strategy":
        return EveryMember(members)
    if kind in ("rotating_member_assignment_strategy", "user_assignment_strategy"):
        spm = doc.get("shifts_per_member")
        if spm is None:
            notes.add(f"{where}: no shifts_per_member; taken as 1 (the provider's default)")
            spm = 1
        return RotatingMembers(members, int(spm))
    raise OnCallPlannerError(f"{where}: unknown assignment strategy type {kind!r}")


def _event(
    doc: Mapping[str, Any],
    zone: str,
    by_id: dict[str, User],
    notes: Notes,
    where: str,
    schedule_where: str,
) -> ShiftEvent:
    start_at, start_zone = _zoned(doc.get("start_time"), where)
    end_at, _ = _zoned(doc.get("end_time"), where)
    event_zone = shift_zone(start_zone, where, "start_time.time_zone") if start_zone else zone
    recurrence = doc.get("recurrence")
    if isinstance(recurrence, str):
        recurrence = [recurrence]
    until = doc.get("effective_until")
    return ShiftEvent(
        str(doc.get("name") or where),
        _v3_instant(start_at, f"{where} start_time", notes, schedule_where),
        _v3_instant(end_at, f"{where} end_time", notes, schedule_where),
        list(recurrence or []),
        _strategy_of(doc.get("assignment_strategy"), by_id, notes, where),
        effective_since=_v3_instant(
            doc.get("effective_since"), f"{where} effective_since", notes, schedule_where
        ),
        effective_until=(
            _v3_instant(until, f"{where} effective_until", notes, schedule_where) if until else None
        ),
        time_zone=None if event_zone == zone else event_zone,
    )


def custom_shift(
    doc: Mapping[str, Any], by_id: dict[str, User], notes: Notes, where: str
) -> CustomShift:
    """One item of ``GET /v3/schedules/{id}/custom_shifts`` (exactly one assignment)."""
    assignments = [a for a in doc.get("assignments") or [] if isinstance(a, Mapping)]
    if len(assignments) != 1:
        raise OnCallPlannerError(
            f"{where}: a custom shift has exactly one assignment, got {len(assignments)}"
        )
    return CustomShift(
        _v3_instant(doc.get("start_time"), f"{where} start_time", notes, where),
        _v3_instant(doc.get("end_time"), f"{where} end_time", notes, where),
        shift_member(assignments[0].get("member"), by_id, notes, where),
    )


def shift_schedule(
    doc: Mapping[str, Any],
    custom_shift_docs: Sequence[Mapping[str, Any]],
    by_id: dict[str, User],
    teams_by_id: Mapping[str, Team],
    notes: Notes,
) -> PulledShiftSchedule | None:
    """The :class:`ShiftSchedule` of a ``GET /v3/schedules/{id}`` answer (its rotations with
    their events) and the custom shifts listed for it, or ``None`` (noted) when the model
    refuses it. A rotation without events produces nothing and is left out (noted); users
    missing from ``by_id`` are added to it as placeholders."""
    ident = _ref_id(doc) or "?"
    name = str(doc.get("name") or doc.get("summary") or ident)
    where = f"shift-based schedule {ident} ({name})"
    try:
        zone = shift_zone(doc.get("time_zone"), where)
        rotations: list[Rotation] = []
        rotation_ids: list[str | None] = []
        event_ids: list[tuple[str | None, ...]] = []
        for i, rot in enumerate(doc.get("rotations") or []):
            if not isinstance(rot, Mapping):
                raise OnCallPlannerError(f"rotation {i + 1} is not an object")
            rwhere = f"{where} rotation {_ref_id(rot) or i + 1}"
            event_docs = [e for e in rot.get("events") or [] if isinstance(e, Mapping)]
            if not event_docs:
                notes.add(f"{rwhere} has no events (it puts nobody on call); left out")
                continue
            events = [
                _event(e, zone, by_id, notes, f"{rwhere} event {e.get('name') or j + 1!r}", where)
                for j, e in enumerate(event_docs)
            ]
            rotations.append(Rotation(events))
            rotation_ids.append(_ref_id(rot))
            event_ids.append(tuple(_ref_id(e) for e in event_docs))
        customs = []
        custom_ids = []
        for item in custom_shift_docs:
            cwhere = f"{where} custom shift {_ref_id(item) or '?'}"
            customs.append(custom_shift(item, by_id, notes, cwhere))
            custom_ids.append(_ref_id(item))
        team_refs = [_ref_id(r) for r in doc.get("teams") or []]
        team_list = [teams_by_id[t] for t in team_refs if t is not None and t in teams_by_id]
        schedule = ShiftSchedule(
            name,
            zone,
            rotations,
            doc.get("description") or None,
            team_list,
            customs,
        )
        return PulledShiftSchedule(
            schedule, tuple(rotation_ids), tuple(event_ids), tuple(custom_ids)
        )
    except _REFUSED as error:
        notes.add(f"{where} left out: {error}")
        return None


def shift_overrides(
    items: Iterable[Mapping[str, Any]],
    pulled: PulledShiftSchedule,
    by_id: dict[str, User],
    notes: Notes,
    where: str,
) -> list[tuple[ShiftOverride, str | None]]:
    """The overrides of ``GET /v3/schedules/{id}/overrides`` in the order listed (a later one
    wins where two replace one member of one rotation), each with its ID. An override of a
    rotation or custom shift that was not pulled is left out (noted)."""
    schedule = pulled.schedule
    rotations = dict(zip(pulled.rotation_ids, schedule.rotations, strict=True))
    customs = dict(zip(pulled.custom_shift_ids, schedule.custom_shifts, strict=True))
    out = []
    for item in items:
        if not isinstance(item, Mapping):
            notes.add(f"{where}: an override that is not an object left out: {item!r:.60}")
            continue
        oid = _ref_id(item)
        owhere = f"{where}: override {oid or '?'}"
        try:
            rid, cid = item.get("rotation_id"), item.get("custom_shift_id")
            rotation = rotations.get(rid) if rid else None
            custom = customs.get(cid) if cid else None
            if (rid is None) == (cid is None):
                raise OnCallPlannerError("names neither or both of rotation_id and custom_shift_id")
            if rotation is None and custom is None:
                what = f"rotation {rid}" if rid else f"custom shift {cid}"
                raise OnCallPlannerError(f"overrides {what}, which was not pulled")
            ov = ShiftOverride(
                _v3_instant(item.get("start_time"), f"{owhere} start_time", notes, where),
                _v3_instant(item.get("end_time"), f"{owhere} end_time", notes, where),
                shift_member(item.get("overridden_member"), by_id, notes, owhere),
                shift_member(item.get("overriding_member"), by_id, notes, owhere),
                rotation=rotation,
                custom_shift=custom,
            )
            out.append((ov, oid))
        except _REFUSED as error:
            notes.add(f"{owhere} left out: {error}")
    return out


# ---------------------------------------------------------------------------------------------
# Escalation policies
# ---------------------------------------------------------------------------------------------

_USER_TARGETS = ("user", "user_reference")
_SCHEDULE_TARGETS = ("schedule", "schedule_reference", "schedule_v3_reference")


def policy_targets(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every target object of every rule of an escalation policy (anything else skipped: the
    policy itself is refused with a note by :func:`policy`)."""
    rules = doc.get("escalation_rules")
    out: list[Mapping[str, Any]] = []
    for rule in rules if isinstance(rules, list) else []:
        targets = rule.get("targets") if isinstance(rule, Mapping) else None
        out.extend(
            t for t in (targets if isinstance(targets, list) else []) if isinstance(t, Mapping)
        )
    return out


def _strategy(rule: Mapping[str, Any]) -> bool:
    value = rule.get("escalation_rule_assignment_strategy")
    if isinstance(value, Mapping):
        value = value.get("type")
    return value == "round_robin"


def policy(
    doc: Mapping[str, Any],
    schedules_by_id: Mapping[str, Schedule | ShiftSchedule],
    by_id: dict[str, User],
    teams_by_id: Mapping[str, Team],
    notes: Notes,
) -> EscalationPolicy | None:
    """The :class:`EscalationPolicy` of one ``GET /escalation_policies`` item, or ``None``
    (noted) when it pages a schedule that was not pulled or the model refuses it."""
    ident = _ref_id(doc) or "?"
    name = str(doc.get("name") or doc.get("summary") or ident)
    where = f"escalation policy {ident} ({name})"
    try:
        rules = []
        for level, rule in enumerate(doc.get("escalation_rules") or [], start=1):
            if not isinstance(rule, Mapping):
                raise OnCallPlannerError(f"level {level} is not an object")
            targets = []
            for target in rule.get("targets") or []:
                if not isinstance(target, Mapping):
                    raise OnCallPlannerError(f"level {level}: a target is not an object")
                kind, tid = target.get("type"), _ref_id(target)
                if kind in _USER_TARGETS and tid is not None:
                    if tid not in by_id:
                        by_id[tid] = placeholder(target, notes, where)
                    targets.append(Target.user(by_id[tid]))
                elif kind in _SCHEDULE_TARGETS and tid is not None:
                    if tid not in schedules_by_id:
                        notes.add(
                            f"{where} left out: level {level} pages schedule {tid} "
                            f"({_label(target)}), which was not pulled"
                        )
                        return None
                    targets.append(Target.schedule(schedules_by_id[tid]))
                else:
                    raise OnCallPlannerError(f"level {level}: unknown target type {kind!r}")
            rules.append(
                EscalationRule(
                    int(rule.get("escalation_delay_in_minutes") or 0), targets, _strategy(rule)
                )
            )
        team_refs = [t for t in (_ref_id(r) for r in doc.get("teams") or []) if t]
        if len(team_refs) > 1:
            notes.add(f"{where}: has {len(team_refs)} teams; kept the first")
        team = teams_by_id.get(str(team_refs[0])) if team_refs else None
        return EscalationPolicy(
            name, rules, int(doc.get("num_loops") or 0), team, doc.get("description") or None
        )
    except _REFUSED as error:
        notes.add(f"{where} left out: {error}")
        return None


# ---------------------------------------------------------------------------------------------
# Overrides and pages
# ---------------------------------------------------------------------------------------------


def overrides(
    items: Iterable[Mapping[str, Any]], by_id: dict[str, User], notes: Notes, where: str
) -> list[tuple[Override, str | None]]:
    """The overrides of ``GET /schedules/{id}/overrides`` in the order listed (a later one wins
    where they overlap), each with its ID."""
    out = []
    for item in items:
        if not isinstance(item, Mapping):
            notes.add(f"{where}: an override that is not an object left out: {item!r:.60}")
            continue
        ref = item.get("user") or {}
        uid = _ref_id(ref)
        try:
            if uid is None:
                raise OnCallPlannerError("no user")
            if uid not in by_id:
                by_id[uid] = placeholder(ref, notes, where)
            start = instant(item.get("start"), f"{where} override start")
            end = instant(item.get("end"), f"{where} override end")
            out.append((Override(_minute(start), _minute(end), by_id[uid]), _ref_id(item)))
        except OnCallPlannerError as error:
            notes.add(f"{where}: override {_ref_id(item)} left out: {error}")
    return out


def _entry_type(entry: Mapping[str, Any]) -> str:
    return str(entry.get("type") or "").removesuffix("_reference")


def _is_user(ref: Any) -> bool:
    return isinstance(ref, Mapping) and str(ref.get("type", "")).startswith("user")


def page(
    incident: Mapping[str, Any],
    log_entries: Sequence[Mapping[str, Any]],
    by_id: Mapping[str, User],
) -> Page:
    """One :class:`Page` from an incident and its log entries: paged is the first user notified
    (``notify_log_entry``), else the first assignee; acknowledged at the first acknowledgement by
    a person; resolved at ``resolved_at``, else the resolve entry (pagerduty-incidents.md §6)."""
    ident = _ref_id(incident) or "?"
    where = f"incident {ident}"
    at = instant(incident.get("created_at"), f"{where} created_at")
    timed = []
    for entry in log_entries:
        try:
            timed.append((instant(entry.get("created_at"), f"{where} log entry"), entry))
        except OnCallPlannerError:
            continue
    timed.sort(key=lambda pair: pair[0])

    def person(ref: Any) -> User | str | None:
        uid = _ref_id(ref)
        if uid is not None and uid in by_id:
            return by_id[uid]
        return _label(ref) if isinstance(ref, Mapping) else None

    user: User | str | None = None
    for _, entry in timed:
        if _entry_type(entry) == "notify_log_entry" and _is_user(entry.get("user")):
            user = person(entry["user"])
            break
    if user is None:
        for _, entry in timed:
            if _entry_type(entry) in ("assign_log_entry", "escalate_log_entry"):
                assignees = [a for a in entry.get("assignees") or [] if _is_user(a)]
                if assignees:
                    user = person(assignees[0])
                    break
    if user is None:
        firsts = sorted(
            (a for a in incident.get("assignments") or [] if isinstance(a, Mapping)),
            key=lambda a: str(a.get("at", "")),
        )
        if firsts:
            user = person(firsts[0].get("assignee"))
    acked = None
    for when, entry in timed:
        kind = _entry_type(entry)
        if kind in ("acknowledge_log_entry", "acknowledgement_log_entry") and _is_user(
            entry.get("agent")
        ):
            acked = when
            break
    if acked is None:
        acks = [
            instant(a.get("at"), f"{where} acknowledgement")
            for a in incident.get("acknowledgements") or []
            if isinstance(a, Mapping) and _is_user(a.get("acknowledger"))
        ]
        acked = min(acks) if acks else None
    resolved = None
    if incident.get("resolved_at"):
        resolved = instant(incident["resolved_at"], f"{where} resolved_at")
    else:
        for when, entry in timed:
            if _entry_type(entry) == "resolve_log_entry":
                resolved = when
                break
        changed = incident.get("last_status_change_at")
        if resolved is None and incident.get("status") == "resolved" and changed:
            resolved = instant(changed, f"{where} resolved")
    reason = incident.get("resolve_reason")
    urgency = incident.get("urgency")
    return Page(
        at,
        user,
        _label(incident.get("service")) if incident.get("service") else None,
        _label(incident.get("escalation_policy")) if incident.get("escalation_policy") else None,
        urgency if urgency in ("high", "low") else None,
        acked if acked is not None and acked >= at else None,
        resolved if resolved is not None and resolved >= at else None,
        id=ident,
        title=incident.get("title") if isinstance(incident.get("title"), str) else None,
        merged=isinstance(reason, Mapping) and reason.get("type") == "merge_resolve_reason",
    )
