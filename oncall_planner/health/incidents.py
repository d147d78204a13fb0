"""Incidents joined across the page-history exports: the one job of this module.

:func:`_join` makes one :class:`IncidentRecord` per incident id out of every export of a
:class:`~oncall_planner.health.history.History` that mentions it (incidents, log entries,
Analytics incident and responder rows, incident details, alerts), taking each fact from the
first export that has it in a fixed order, and says which incidents no time could be found for.
:func:`_noise` judges whether an incident needed nobody; :func:`_time_to_ack` and
:func:`_time_to_resolve` give one incident's response times.
:mod:`oncall_planner.health.report` computes the metrics from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from oncall_planner.health.history import History, LogEntry, PersonRef
from oncall_planner.health.people import PersonIndex
from oncall_planner.model import User
from oncall_planner.pages import Page


@attrs.frozen
class IncidentRecord:
    """One incident, joined across every export that mentions it (by id)."""

    id: str
    triggered_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None
    urgency: str | None
    severity: str | None
    merged: bool
    noise: bool | None
    alert_created_at: dt.datetime | None
    assigned: tuple[str, ...]
    ack_known: bool
    #: Resolved by a service, but no export says whether someone acknowledged it first
    #: (``GET /incidents`` drops the acknowledgements of resolved incidents): maybe noise.
    noise_maybe: bool = False


@attrs.frozen
class _LogFacts:
    first_at: dt.datetime
    triggered_at: dt.datetime | None
    first_ack: dt.datetime | None
    resolved_at: dt.datetime | None
    person_acted: bool
    assigned: dict[PersonRef, dt.datetime]
    acks: dict[PersonRef, dt.datetime]


def _log_facts(entries: Sequence[LogEntry]) -> _LogFacts:
    ordered = sorted(entries, key=lambda e: (e.at, e.id))
    triggered = next((e.at for e in ordered if e.kind == "trigger"), None)
    resolved = None
    for e in ordered:
        if e.kind == "resolve":
            resolved = e.at
    assigned: dict[PersonRef, dt.datetime] = {}
    notified: dict[PersonRef, dt.datetime] = {}
    acks: dict[PersonRef, dt.datetime] = {}
    acted = False
    for e in ordered:
        if e.by_person and e.kind not in ("notify",):
            acted = True
        if e.kind in ("assign", "escalate", "delegate"):
            for who in e.assignees:
                assigned.setdefault(who, e.at)
        elif e.kind == "notify" and e.user is not None:
            notified.setdefault(e.user, e.at)
        elif e.kind == "acknowledge" and e.by_person and e.agent is not None:
            acks.setdefault(e.agent, e.at)
    for who, at in notified.items():  # notified without an assign entry: the notification shows it
        assigned.setdefault(who, at)
    return _LogFacts(
        first_at=ordered[0].at,
        triggered_at=triggered,
        first_ack=min(acks.values()) if acks else None,
        resolved_at=resolved,
        person_acted=acted,
        assigned=assigned,
        acks=acks,
    )


def _join(
    history: History, index: PersonIndex, logs: Mapping[str, _LogFacts]
) -> tuple[list[IncidentRecord], list[str]]:
    """One :class:`IncidentRecord` per incident id, and the ids no time could be found for."""
    ids: list[str] = []
    pages: dict[str, Page] = {}
    for n, given in enumerate(history.pages, start=1):
        key = given.id or f"page {n}"
        if key not in pages:
            pages[key] = given
            ids.append(key)
    details = {d.id: d for d in history.details}
    analytics = {a.id: a for a in history.analytics}
    responders: dict[str, list[Any]] = {}
    for row in history.responders:
        responders.setdefault(row.incident, []).append(row)
    alerts: dict[str, dt.datetime] = {}
    for alert in history.alerts:
        if alert.incident not in alerts or alert.created_at < alerts[alert.incident]:
            alerts[alert.incident] = alert.created_at
    known = set(ids)
    for key in [*analytics, *logs, *responders]:
        if key not in known:
            known.add(key)
            ids.append(key)
    seen: set[str] = set()
    out: list[IncidentRecord] = []
    undated: list[str] = []
    for key in ids:
        if key in seen:
            continue
        seen.add(key)
        page, log, arow = pages.get(key), logs.get(key), analytics.get(key)
        detail, rows = details.get(key), responders.get(key, [])
        triggered = (
            (log.triggered_at if log else None)
            or (page.at if page else None)
            or (arow.created_at if arow else None)
            or (min(r.created_at for r in rows) if rows else None)
            or (log.first_at if log else None)  # no trigger entry: its earliest entry
        )
        if triggered is None:
            undated.append(key)
            continue
        triggered = triggered.astimezone(dt.timezone.utc)
        ack: dt.datetime | None = None
        ack_known = False
        if log is not None and log.triggered_at is not None:
            ack, ack_known = log.first_ack, True
        elif page is not None and page.acknowledged_at is not None:
            ack, ack_known = page.acknowledged_at, True
        elif arow is not None:
            ack_known = True
            if arow.seconds_to_first_ack is not None:
                ack = arow.created_at + dt.timedelta(seconds=arow.seconds_to_first_ack)
        elif detail is not None and detail.acknowledged is not None:
            ack_known = True
        resolved = (
            (log.resolved_at if log else None)
            or (page.resolved_at if page else None)
            or (arow.resolved_at if arow else None)
        )
        if resolved is None and arow is not None and arow.seconds_to_resolve is not None:
            resolved = arow.created_at + dt.timedelta(seconds=arow.seconds_to_resolve)
        urgency = (
            (page.urgency if page else None)
            or (arow.urgency if arow else None)
            or next((r.urgency for r in rows if r.urgency), None)
        )
        severity = (
            (detail.severity if detail else None)
            or (arow.priority if arow else None)
            or next((r.priority for r in rows if r.priority), None)
        )
        merged = bool(page.merged) if page else False
        noise = _noise(resolved, merged, log, arow, detail, ack)
        noise_maybe = (
            noise is None
            and resolved is not None
            and detail is not None
            and detail.auto_resolved is True
        )
        refs: list[PersonRef] = []
        if log is not None:
            refs.extend(log.assigned)
        if page is not None and page.user is not None:
            label = page.user.email if isinstance(page.user, User) else page.user
            refs.append(PersonRef(label=label))
        refs.extend(r.responder for r in rows)
        if arow is not None:
            refs.extend(arow.assigned)
        who: list[str] = []
        for ref in refs:
            user = index.find(ref)
            if user is not None and user.email.lower() not in who:
                who.append(user.email.lower())
        out.append(
            IncidentRecord(
                id=key,
                triggered_at=triggered,
                acknowledged_at=ack.astimezone(dt.timezone.utc) if ack else None,
                resolved_at=resolved.astimezone(dt.timezone.utc) if resolved else None,
                urgency=urgency,
                severity=severity,
                merged=merged,
                noise=noise,
                alert_created_at=alerts.get(key),
                assigned=tuple(who),
                ack_known=ack_known,
                noise_maybe=noise_maybe,
            )
        )
    return out, undated


def _noise(
    resolved: dt.datetime | None,
    merged: bool,
    log: _LogFacts | None,
    row: Any,
    detail: Any,
    ack: dt.datetime | None,
) -> bool | None:
    """Whether an incident needed nobody: resolved with no acknowledgement and no person acting
    on it (auto-resolved); ``None`` when open or when the exports cannot tell."""
    if resolved is None:
        return None
    if merged or ack is not None:
        return False
    if log is not None and log.resolved_at is not None:
        return not log.person_acted
    if row is not None and row.auto_resolved is not None:
        acked = (row.acknowledgements or 0) > 0 or row.seconds_to_first_ack is not None
        return row.auto_resolved and not acked
    if detail is not None and detail.auto_resolved is not None:
        if not detail.auto_resolved:
            return False
        return None if detail.acknowledged is None else not detail.acknowledged
    return None


def _time_to_ack(r: IncidentRecord) -> float | None:
    """Seconds from trigger to the first acknowledgement; None when either is unknown, or when
    the exports put the acknowledgement before the trigger (left out, never negative)."""
    if r.acknowledged_at is None or r.triggered_at is None or r.acknowledged_at < r.triggered_at:
        return None
    return (r.acknowledged_at - r.triggered_at).total_seconds()


def _time_to_resolve(r: IncidentRecord) -> float | None:
    """Seconds from trigger to resolution; None when either is unknown, for a merged incident,
    or when the exports put the resolution before the trigger (left out, never negative)."""
    if r.resolved_at is None or r.triggered_at is None or r.merged:
        return None
    if r.resolved_at < r.triggered_at:
        return None
    return (r.resolved_at - r.triggered_at).total_seconds()
