"""Pull an account: users, teams, schedules, escalation policies, overrides and page history.

:func:`pull` makes the calls (listed in docs/pagerduty-api.md with the permission each needs)
and :mod:`oncall_planner.pagerduty_api.convert` turns the answers into an
:class:`~oncall_planner.pagerduty_api.planfile.Account`. Shift-based schedules (``/v3/schedules``)
are counted and named in the notes: this version has no model for them yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import oncall_planner.pagerduty_api.convert as convert
from oncall_planner.errors import APIError, OnCallPlannerError
from oncall_planner.model import EscalationPolicy, OnCallPlan, Override, Schedule, User
from oncall_planner.pagerduty_api.client import PagerDutyClient
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
            answer = self.client.get(f"/schedules/{ident}", params)
            doc = answer.get("schedule") if isinstance(answer, dict) else None
            if not isinstance(doc, dict):
                raise APIError(f"PagerDuty's answer to GET /schedules/{ident} has no 'schedule'")
            docs[ident] = doc
            _tick(self.progress, "schedules", n, len(ids), str(doc.get("name") or ident))
        return docs

    def shift_based(self, team_ids: Sequence[str]) -> None:
        """Shift-based schedules are named in the notes: there is no model for them yet."""
        params = {"team_ids[]": list(team_ids)} if team_ids else None
        try:
            found = list(self.client.iter_all("/v3/schedules", "schedules", params))
        except APIError as error:
            if error.status in (400, 403, 404):
                return  # no shift-based schedules on this account, or not visible to the token
            raise
        if found:
            names = ", ".join(f"{_label(s)} ({s.get('id')})" for s in found)
            self.notes.add(
                f"{len(found)} shift-based schedule(s) left out (PagerDuty's v3 API; this "
                f"version has no model for them yet): {names}"
            )


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

    if schedule_ids:
        wanted = list(dict.fromkeys(schedule_ids))
    else:
        wanted = [str(s["id"]) for s in client.iter_all("/schedules", "schedules", filters)]
    schedule_docs = p.schedules(wanted)
    policy_docs = list(client.iter_all("/escalation_policies", "escalation_policies", filters))
    if schedule_ids:
        chosen = set(wanted)
        policy_docs = [
            d
            for d in policy_docs
            if any(
                t.get("id") in chosen
                for r in d.get("escalation_rules") or []
                for t in r.get("targets") or []
            )
        ]
    extra = [
        str(t["id"])
        for d in policy_docs
        for r in d.get("escalation_rules") or []
        for t in r.get("targets") or []
        if str(t.get("type", "")).startswith("schedule")
        and t.get("id")
        and t["id"] not in schedule_docs
    ]
    extra = list(dict.fromkeys(extra))
    if extra:
        p.notes.add(
            f"pulled {len(extra)} more schedule(s) that the selected policies page: "
            + ", ".join(extra)
        )
        schedule_docs.update(p.schedules(extra))
    p.shift_based(team_ids)

    built: list[tuple[str, Schedule, list[str | None]]] = []
    for ident in sorted(schedule_docs):
        made = convert.schedule(schedule_docs[ident], p.by_id, teams_by_id, p.notes)
        if made is not None:
            built.append((ident, made[0], made[1]))
    names = _unique_names([(i, s) for i, s, _ in built], "schedule", p.notes)
    schedules_by_id: dict[str, Schedule] = {}
    layer_ids: dict[tuple[str, int], str] = {}
    for (ident, schedule, lids), name in zip(built, names):
        if name != schedule.name:
            schedule = Schedule(
                name, schedule.time_zone, schedule.layers, schedule.description, schedule.teams
            )
        schedules_by_id[ident] = schedule
        layer_ids.update({(name, i): lid for i, lid in enumerate(lids) if lid})

    made_policies: list[tuple[str, EscalationPolicy]] = []
    for doc in sorted(policy_docs, key=lambda d: str(d.get("id"))):
        made_policy = convert.policy(doc, schedules_by_id, p.by_id, teams_by_id, p.notes)
        if made_policy is not None:
            made_policies.append((str(doc.get("id")), made_policy))
    policy_names = _unique_names(made_policies, "escalation policie", p.notes)
    policies = []
    policy_ids: dict[str, str] = {}
    for (ident, made_policy), name in zip(made_policies, policy_names):
        if name != made_policy.name:
            made_policy = EscalationPolicy(
                name,
                made_policy.rules,
                made_policy.num_loops,
                made_policy.team,
                made_policy.description,
            )
        policies.append(made_policy)
        policy_ids[name] = ident

    overrides: dict[str, tuple[Override, ...]] = {}
    override_ids: dict[tuple[str, int], str] = {}
    window = {"since": _iso(since), "until": _iso(until)}
    _tick(progress, "overrides", 0, len(schedules_by_id), "")
    for n, (ident, schedule) in enumerate(sorted(schedules_by_id.items()), start=1):
        answer = client.get(f"/schedules/{ident}/overrides", window)
        items = answer.get("overrides") if isinstance(answer, dict) else None
        pairs = convert.overrides(
            items or [], p.by_id, p.notes, f"schedule {ident} ({schedule.name})"
        )
        if pairs:
            overrides[schedule.name] = tuple(o for o, _ in pairs)
            override_ids.update(
                {(schedule.name, i): oid for i, (_, oid) in enumerate(pairs) if oid}
            )
        _tick(progress, "overrides", n, len(schedules_by_id), schedule.name)

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
    plan = OnCallPlan(
        schedules=list(schedules_by_id.values()),
        escalation_policies=policies,
        users=users,
        teams=teams,
    )
    ids = PagerDutyIds(
        users={u.email.lower(): i for i, u in p.by_id.items()},
        teams={t.name: i for i, t in teams_by_id.items()},
        schedules={s.name: i for i, s in schedules_by_id.items()},
        layers=layer_ids,
        policies=policy_ids,
        overrides=override_ids,
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
            incidents.setdefault(str(item.get("id")), item)
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
                f"/incidents/{ident}/log_entries",
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
    return [str(s["id"]) for s in client.iter_all("/schedules", "schedules", params)]
