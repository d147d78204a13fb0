"""Pull an account: users, teams, schedules, escalation policies, overrides and page history.

:func:`pull` makes the calls (listed in docs/pagerduty-api.md with the permission each needs)
and :mod:`oncall_planner.pagerduty_api.convert` turns the answers into an
:class:`~oncall_planner.pagerduty_api.planfile.Account`. Layer-based schedules come from
``/schedules``, shift-based ones from ``/v3/schedules`` (their rotations and events, and the
custom shifts and overrides of the window); the two share one space of IDs, and an ID the v3 API
lists is taken as shift-based.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

import oncall_planner.pagerduty_api.convert as convert
from oncall_planner.errors import APIError, OnCallPlannerError
from oncall_planner.model import (
    EscalationPolicy,
    OnCallPlan,
    Override,
    Schedule,
    ShiftOverride,
    ShiftSchedule,
    User,
)
from oncall_planner.pagerduty_api.client import (
    NotRecordedError,
    PagerDutyClient,
    Params,
    api_path,
    ids_of,
    items_of,
)
from oncall_planner.pagerduty_api.planfile import Account, PagerDutyIds
from oncall_planner.pages import Page

UTC = dt.timezone.utc
#: ``GET /incidents`` takes at most six months per query; longer windows are split.
INCIDENT_CHUNK = dt.timedelta(days=180)

#: ``progress(phase, done, total, label)``: a phase is ``"schedules"``, ``"overrides"``,
#: ``"incidents"``; called once with ``done == 0`` when the total is known, then per item.
ProgressFn = Callable[[str, int, int, str], None]


def _iso(value: dt.datetime) -> str:
    utc = value.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"


def _unique_names(items: Sequence[tuple[str, Any]], kind: str, notes: convert.Notes) -> list[str]:
    """Names made unique: a name PagerDuty has twice gets `` (ID)`` after it (noted)."""
    counts: dict[str, int] = {}
    for _, obj in items:
        counts[obj.name] = counts.get(obj.name, 0) + 1
    names = []
    for ident, obj in items:
        if counts[obj.name] > 1:
            notes.add(f"two {kind}s are called {obj.name!r}: each is named with its ID after it")
            names.append(f"{obj.name} ({ident})"[:255])
        else:
            names.append(obj.name)
    return names


def _tick(progress: ProgressFn | None, phase: str, done: int, total: int, label: str) -> None:
    if progress is not None:
        progress(phase, done, total, label)


class _Puller:
    def __init__(self, client: PagerDutyClient, progress: ProgressFn | None) -> None:
        self.client = client
        self.progress = progress
        self.notes = convert.Notes()
        self.user_docs: list[dict[str, Any]] = []
        self.by_id: dict[str, User] = {}

    def users(self) -> None:
        self.user_docs = list(self.client.iter_all("/users", "users"))
        self.by_id = convert.users(self.user_docs, self.notes)

    def schedules(
        self, ids: Sequence[str], params: Mapping[str, Any] | None = None
    ) -> dict[str, dict[str, Any]]:
        docs: dict[str, dict[str, Any]] = {}
        _tick(self.progress, "schedules", 0, len(ids), "")
        for n, ident in enumerate(ids, start=1):
            answer = self.client.get(api_path("schedules", ident), params)
            doc = answer.get("schedule") if isinstance(answer, dict) else None
            if not isinstance(doc, dict):
                raise APIError(f"PagerDuty's answer to GET /schedules/{ident} has no 'schedule'")
            docs[ident] = doc
            _tick(self.progress, "schedules", n, len(ids), str(doc.get("name") or ident))
        return docs

    def shift_based_ids(self, team_ids: Sequence[str] = ()) -> list[str] | None:
        """The IDs ``GET /v3/schedules`` lists (of ``team_ids`` when given), or ``None`` when
        the account or the token has no access to shift-based schedules (noted)."""
        return v3_schedule_ids(self.client, team_ids, self.notes)

    def shift_schedules(
        self, ids: Sequence[str], window: Mapping[str, str]
    ) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]]:
        """Per ID: the ``GET /v3/schedules/{id}`` document (rotations with their events), its
        custom shifts and its overrides in ``window``."""
        out = {}
        _tick(self.progress, "schedules", 0, len(ids), "")
        for n, ident in enumerate(ids, start=1):
            doc = v3_schedule(self.client, ident)
            customs = list(
                self.client.iter_all(
                    api_path("v3", "schedules", ident, "custom_shifts"), "custom_shifts", window
                )
            )
            overrides = list(
                self.client.iter_all(
                    api_path("v3", "schedules", ident, "overrides"), "overrides", window
                )
            )
            out[ident] = (doc, customs, overrides)
            _tick(self.progress, "schedules", n, len(ids), str(doc.get("name") or ident))
        return out


def v3_schedule_ids(
    client: PagerDutyClient, team_ids: Sequence[str], notes: convert.Notes
) -> list[str] | None:
    """The IDs of the account's shift-based schedules (of ``team_ids`` when given), or ``None``
    when there is no answer: PagerDuty refuses (400 or 404: no shift-based schedules on this
    account; 403: the token may not read them, noted), or a recording made before oncall-planner
    read them has none (noted)."""
    params = {"team_ids[]": list(team_ids)} if team_ids else None
    try:
        return ids_of(client.iter_all("/v3/schedules", "schedules", params))
    except NotRecordedError:
        notes.add(
            "the recording has no GET /v3/schedules (made by an older oncall-planner): "
            "shift-based schedules left out"
        )
        return None
    except APIError as error:
        if error.status == 403:
            notes.add(
                "PagerDuty refused GET /v3/schedules (403): the token may not read shift-based "
                "schedules; they are left out"
            )
            return None
        if error.status in (400, 404):
            return None
        raise


def v3_schedule(
    client: PagerDutyClient, ident: str, params: Params | None = None
) -> dict[str, Any]:
    """``GET /v3/schedules/{id}`` (with ``params``): the schedule, each rotation with its events
    (read from ``/rotations/{id}/events`` for a rotation listed without them)."""
    answer = client.get(api_path("v3", "schedules", ident), params)
    doc = answer.get("schedule") if isinstance(answer, dict) else None
    if not isinstance(doc, dict):
        raise APIError(f"PagerDuty's answer to GET /v3/schedules/{ident} has no 'schedule'")
    for rotation in doc.get("rotations") or []:
        if (
            isinstance(rotation, dict)
            and "events" not in rotation
            and isinstance(rotation.get("id"), str)
        ):
            rotation["events"] = list(
                client.iter_all(
                    api_path("v3", "schedules", ident, "rotations", rotation["id"], "events"),
                    "events",
                )
            )
    return doc


def _label(doc: Mapping[str, Any]) -> str:
    return str(doc.get("name") or doc.get("summary") or doc.get("id") or "?")


def pull(
    client: PagerDutyClient,
    *,
    since: dt.datetime,
    until: dt.datetime,
    schedule_ids: Sequence[str] = (),
    team_ids: Sequence[str] = (),
    history: dt.timedelta = dt.timedelta(days=28),
    pages: bool = True,
    now: dt.datetime | None = None,
    progress: ProgressFn | None = None,
) -> Account:
    """The account behind ``client``, as an :class:`Account`.

    Without ``schedule_ids`` or ``team_ids`` everything is pulled: every user and team, every
    schedule and policy. ``schedule_ids`` keeps those schedules and the policies that page them;
    ``team_ids`` keeps the schedules and policies of those teams. A policy that pages a schedule
    outside the selection brings that schedule along (noted). Overrides are those of
    ``[since, until)``; pages are the incidents created from ``since - history`` to ``until``
    (and not after ``now``), each with its log entries. ``progress`` is told how far it got.
    """
    if schedule_ids and team_ids:
        raise OnCallPlannerError("pull: give schedule IDs or team IDs, not both")
    now = now or dt.datetime.now(UTC)
    p = _Puller(client, progress)
    p.users()
    team_docs = list(client.iter_all("/teams", "teams"))
    teams_by_id = convert.teams(team_docs, p.user_docs, p.by_id, p.notes)
    filters = {"team_ids[]": list(team_ids)} if team_ids else None
    window = {"since": _iso(since), "until": _iso(until)}

    v3_known = set(p.shift_based_ids() or ())
    if schedule_ids:
        wanted = list(dict.fromkeys(schedule_ids))
    else:
        wanted = ids_of(client.iter_all("/schedules", "schedules", filters))
        if team_ids:
            wanted += [i for i in p.shift_based_ids(team_ids) or () if i in v3_known]
        else:
            wanted += sorted(v3_known)
        wanted = list(dict.fromkeys(wanted))
    schedule_docs = p.schedules([i for i in wanted if i not in v3_known])
    shift_docs = p.shift_schedules([i for i in wanted if i in v3_known], window)
    policy_docs = list(client.iter_all("/escalation_policies", "escalation_policies", filters))
    if schedule_ids:
        chosen = set(wanted)
        policy_docs = [
            d for d in policy_docs if any(t.get("id") in chosen for t in convert.policy_targets(d))
        ]
    extra = [
        str(t["id"])
        for d in policy_docs
        for t in convert.policy_targets(d)
        if str(t.get("type", "")).startswith("schedule")
        and isinstance(t.get("id"), str)
        and t["id"]
        and t["id"] not in schedule_docs
        and t["id"] not in shift_docs
        # a shift-based schedule the v3 list did not give cannot be read (the policy is noted)
        and (t.get("type") != "schedule_v3_reference" or t["id"] in v3_known)
    ]
    extra = list(dict.fromkeys(extra))
    if extra:
        p.notes.add(
            f"pulled {len(extra)} more schedule(s) that the selected policies page: "
            + ", ".join(extra)
        )
        schedule_docs.update(p.schedules([i for i in extra if i not in v3_known]))
        shift_docs.update(p.shift_schedules([i for i in extra if i in v3_known], window))

    built: list[tuple[str, Schedule | ShiftSchedule]] = []
    layer_ids_of: dict[str, list[str | None]] = {}
    pulled_of: dict[str, convert.PulledShiftSchedule] = {}
    for ident in sorted(schedule_docs):
        made = convert.schedule(schedule_docs[ident], p.by_id, teams_by_id, p.notes)
        if made is not None:
            built.append((ident, made[0]))
            layer_ids_of[ident] = made[1]
    for ident in sorted(shift_docs):
        doc, customs, _ = shift_docs[ident]
        pulled = convert.shift_schedule(doc, customs, p.by_id, teams_by_id, p.notes)
        if pulled is not None:
            built.append((ident, pulled.schedule))
            pulled_of[ident] = pulled
    built.sort(key=lambda pair: pair[0])
    names = _unique_names(built, "schedule", p.notes)
    schedules_by_id: dict[str, Schedule | ShiftSchedule] = {}
    layer_ids: dict[tuple[str, int], str] = {}
    rotation_ids: dict[tuple[str, int], str] = {}
    event_ids: dict[tuple[str, int, int], str] = {}
    custom_ids: dict[tuple[str, int], str] = {}
    for (ident, any_schedule), name in zip(built, names, strict=True):
        if name != any_schedule.name:
            any_schedule = attrs.evolve(any_schedule, name=name)
        schedules_by_id[ident] = any_schedule
        if ident in layer_ids_of:
            layer_ids.update({(name, i): lid for i, lid in enumerate(layer_ids_of[ident]) if lid})
        else:
            pulled = pulled_of[ident]
            rotation_ids.update({(name, i): r for i, r in enumerate(pulled.rotation_ids) if r})
            event_ids.update(
                {
                    (name, i, j): e
                    for i, events in enumerate(pulled.event_ids)
                    for j, e in enumerate(events)
                    if e
                }
            )
            custom_ids.update({(name, i): c for i, c in enumerate(pulled.custom_shift_ids) if c})

    made_policies: list[tuple[str, EscalationPolicy]] = []
    for doc in sorted(policy_docs, key=lambda d: str(d.get("id"))):
        made_policy = convert.policy(doc, schedules_by_id, p.by_id, teams_by_id, p.notes)
        if made_policy is not None:
            made_policies.append((str(doc.get("id")), made_policy))
    policy_names = _unique_names(made_policies, "escalation policie", p.notes)
    policies = []
    policy_ids: dict[str, str] = {}
    for (ident, made_policy), name in zip(made_policies, policy_names, strict=True):
        if name != made_policy.name:
            made_policy = attrs.evolve(made_policy, name=name)
        policies.append(made_policy)
        policy_ids[name] = ident

    overrides: dict[str, tuple[Override, ...] | tuple[ShiftOverride, ...]] = {}
    override_ids: dict[tuple[str, int], str] = {}
    layered = sorted((i, s) for i, s in schedules_by_id.items() if isinstance(s, Schedule))
    _tick(progress, "overrides", 0, len(layered), "")
    for n, (ident, schedule) in enumerate(layered, start=1):
        path = api_path("schedules", ident, "overrides")
        items = items_of(client.get(path, window), "overrides", path)
        pairs = convert.overrides(items, p.by_id, p.notes, f"schedule {ident} ({schedule.name})")
        if pairs:
            overrides[schedule.name] = tuple(o for o, _ in pairs)
            override_ids.update(
                {(schedule.name, i): oid for i, (_, oid) in enumerate(pairs) if oid}
            )
        _tick(progress, "overrides", n, len(layered), schedule.name)
    for ident, pulled in sorted(pulled_of.items()):
        name = schedules_by_id[ident].name
        shift_pairs = convert.shift_overrides(
            shift_docs[ident][2], pulled, p.by_id, p.notes, f"shift-based schedule {ident} ({name})"
        )
        if shift_pairs:
            overrides[name] = tuple(o for o, _ in shift_pairs)
            override_ids.update({(name, i): oid for i, (_, oid) in enumerate(shift_pairs) if oid})

    page_list: list[Page] = []
    if pages:
        page_list = _pages(
            client,
            p,
            since - history,
            min(until, now),
            team_ids,
            set(policy_ids.values()),
            bool(schedule_ids),
        )

    everyone = not (schedule_ids or team_ids)
    users = sorted(p.by_id.values(), key=lambda u: u.email.lower()) if everyone else []
    teams = list(teams_by_id.values()) if everyone else []
    by_name = sorted(schedules_by_id.values(), key=lambda s: s.name)  # as the plan file has them
    plan = OnCallPlan(
        schedules=[s for s in by_name if isinstance(s, Schedule)],
        escalation_policies=sorted(policies, key=lambda p: p.name),
        users=users,
        teams=teams,
        shift_schedules=[s for s in by_name if isinstance(s, ShiftSchedule)],
    )
    ids = PagerDutyIds(
        users={u.email.lower(): i for i, u in p.by_id.items()},
        teams={t.name: i for i, t in teams_by_id.items()},
        schedules={s.name: i for i, s in schedules_by_id.items()},
        layers=layer_ids,
        policies=policy_ids,
        overrides=override_ids,
        rotations=rotation_ids,
        events=event_ids,
        custom_shifts=custom_ids,
    )
    return Account(plan, overrides, page_list, since, until, ids, p.notes.items)


def _pages(
    client: PagerDutyClient,
    p: _Puller,
    start: dt.datetime,
    end: dt.datetime,
    team_ids: Sequence[str],
    policy_ids: set[str],
    only_policies: bool,
) -> list[Page]:
    incidents: dict[str, dict[str, Any]] = {}
    lo = start
    while lo < end:
        hi = min(end, lo + INCIDENT_CHUNK)
        params: dict[str, Any] = {"since": _iso(lo), "until": _iso(hi), "time_zone": "Etc/UTC"}
        if team_ids:
            params["team_ids[]"] = list(team_ids)
        for item in client.iter_all("/incidents", "incidents", params):
            ident = item.get("id")
            if isinstance(ident, str) and ident:
                incidents.setdefault(ident, item)
            else:
                p.notes.add(
                    "an incident without an id left out of the page history: "
                    f"#{item.get('incident_number', '?')}"
                )
        lo = hi
    chosen = [
        doc
        for doc in incidents.values()
        if not only_policies or (doc.get("escalation_policy") or {}).get("id") in policy_ids
    ]
    chosen.sort(key=lambda d: (str(d.get("created_at")), str(d.get("id"))))
    out = []
    _tick(p.progress, "incidents", 0, len(chosen), "")
    for n, doc in enumerate(chosen, start=1):
        ident = str(doc.get("id"))
        entries = list(
            client.iter_all(
                api_path("incidents", ident, "log_entries"),
                "log_entries",
                {"is_overview": False, "time_zone": "Etc/UTC"},
            )
        )
        try:
            out.append(convert.page(doc, entries, p.by_id))
        except OnCallPlannerError as error:
            p.notes.add(f"incident {ident} left out of the page history: {error}")
        _tick(p.progress, "incidents", n, len(chosen), f"#{doc.get('incident_number', ident)}")
    return out


def schedule_ids_of(client: PagerDutyClient, team_ids: Iterable[str] = ()) -> list[str]:
    """The IDs of the account's layer-based schedules (of ``team_ids`` when given)."""
    teams = list(team_ids)
    params = {"team_ids[]": teams} if teams else None
    return ids_of(client.iter_all("/schedules", "schedules", params))
