"""Page history at notification level, and the health configuration, from files.

:func:`load_history` reads any number of PagerDuty exports, told apart by their content:

- incidents: ``GET /incidents`` JSON and the incidents report CSV (through
  :mod:`oncall_planner.ingest.pages`), plus what they say beyond a page: severity (the priority,
  or the field you name) and auto-resolution;
- log entries: ``GET /log_entries`` or ``GET /incidents/{id}/log_entries`` JSON, saved with
  ``include[]=channels`` (one response, a list of responses, or a bare list);
- Analytics: ``POST /analytics/raw/responders/{id}/incidents`` (one row per responder and
  incident) and ``POST /analytics/raw/incidents`` (one row per incident); their times have no
  offset and take the response's ``time_zone``;
- alerts: ``GET /incidents/{id}/alerts`` JSON.

A malformed record raises :class:`~oncall_planner.errors.InputReadError` naming the file and the
record (``log.json: log entry 3 (id R3): created_at must be an ISO-8601 date-time, got 'soon'``).
Records left out on purpose (duplicates, kinds of log entry the metrics do not read) are listed
in ``History.skipped``; nothing is dropped silently.

:func:`load_health_config` reads the TOML configuration (docs/health.md).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from oncall_planner.errors import InputReadError, OnCallPlannerError, ValidationError
from oncall_planner.health.config import HealthConfig, config_from_dict
from oncall_planner.health.history import (
    LOG_KINDS,
    Alert,
    AnalyticsIncident,
    History,
    IncidentDetails,
    LogEntry,
    PersonRef,
    ResponderIncident,
    SkippedRecord,
)
from oncall_planner.ingest.pages import _delimiter, _norm, pages_from_csv, pages_from_json
from oncall_planner.timeutil import check_time_zone, parse_iso8601, zone

if sys.version_info >= (3, 11):
    import tomllib as toml
else:  # the backport, a dependency on Python 3.10 only
    import tomli as toml

_UTC = dt.timezone.utc


class _Where:
    """Names a record in messages: ``log.json: log entry 3 (id R3)``."""

    __slots__ = ("source", "text")

    def __init__(self, source: str, noun: str, n: int, ident: Any) -> None:
        self.source = source
        if isinstance(ident, str) and len(ident) > 60:
            ident = ident[:59] + "…"
        self.text = f"{noun} {n}" + (f" (id {ident})" if isinstance(ident, (str, int)) else "")

    def __str__(self) -> str:
        return f"{self.source}: {self.text}"


def _shown(value: Any) -> str:
    """``repr(value)`` for a message, cut short: an export can hold a megabyte in one field."""
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _fail(where: Any, message: str) -> InputReadError:
    return InputReadError(f"{where}: {message}")


_fromiso = dt.datetime.fromisoformat


def _time(value: Any, where: Any, field: str, tz: dt.tzinfo | None) -> dt.datetime:
    """An ISO-8601 time as aware UTC; a time without an offset takes ``tz`` (or is an error)."""
    if not isinstance(value, str) or not value:
        raise _fail(where, f"{field} must be an ISO-8601 date-time, got {_shown(value)}")
    try:
        parsed = _fromiso(value)  # the fast path (Python 3.11 reads Z and offsets)
    except ValueError:
        try:
            parsed = parse_iso8601(value)
        except (ValueError, OverflowError):
            raise _fail(
                where, f"{field} must be an ISO-8601 date-time, got {_shown(value)}"
            ) from None
    if parsed.tzinfo is None:
        if tz is None:
            raise _fail(
                where,
                f"{field} has no UTC offset ({_shown(value)}) and the export names no time_zone; "
                "give the zone it was written in (--pages-tz on the command line)",
            )
        parsed = parsed.replace(tzinfo=tz)
    try:
        return parsed.astimezone(_UTC)
    except OverflowError:
        raise _fail(where, f"{field} is out of range, got {_shown(value)}") from None


_REFS: dict[tuple[Any, ...], PersonRef] = {}


def _ref(obj: Any, where: Any, field: str) -> PersonRef | None:
    """A user reference (``{id, summary}``, or a full user with ``name``/``email``); equal
    references are made once (an export names the same few people thousands of times)."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        key = (obj.get("id"), obj.get("email"), obj.get("name"), obj.get("summary"))
        if not all(part is None or type(part) in (str, int) for part in key):
            return _make_ref(obj, where, field)  # not a key; _make_ref says what is wrong
        known = _REFS.get(key)
        if known is not None:
            return known
        made = _make_ref(obj, where, field)
        if len(_REFS) < 100_000:
            _REFS[key] = made
        return made
    return _make_ref(obj, where, field)


def _make_ref(obj: Any, where: Any, field: str) -> PersonRef:
    if not isinstance(obj, Mapping):
        raise _fail(where, f"{field} must be an object with an id, got {_shown(obj)}")
    ident = obj.get("id")
    if isinstance(ident, int) and not isinstance(ident, bool):
        ident = str(ident)
    if ident is not None and not isinstance(ident, str):
        raise _fail(where, f"{field}.id must be a string, got {_shown(ident)}")
    label = None
    for key in ("email", "name", "summary"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise _fail(where, f"{field}.{key} must be a string, got {_shown(value)}")
        if label is None and isinstance(value, str) and value.strip():
            label = value.strip()
    ident = ident.strip() if ident is not None and ident.strip() else None
    if ident is None and label is None:
        raise _fail(where, f"{field} has neither an id nor a name, got {_shown(obj)}")
    return PersonRef(ident, label)


def _kind_of(obj: Any) -> str | None:
    kind = obj.get("type") if isinstance(obj, Mapping) else None
    if not isinstance(kind, str):
        return None
    return kind.removesuffix("_reference")


def _count(value: Any, where: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _fail(where, f"{field} must be a whole number ≥ 0, got {_shown(value)}")
    if isinstance(value, str):
        digits = value.strip()
        # ASCII digits only ("²" is a digit to str.isdigit, not to int), and few enough that
        # the bound below can say so (int() refuses strings of thousands of digits).
        if digits.isascii() and digits.isdigit() and len(digits) <= 13:
            value = int(digits)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or value < 0 or value > 10**12:
        raise _fail(where, f"{field} must be a whole number ≥ 0, got {_shown(value)}")
    return value


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, Mapping):
        for key in ("name", "summary", "value"):
            inner = value.get(key)
            if isinstance(inner, str) and inner.strip():
                return inner.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _field(obj: Mapping[str, Any], path: str) -> str | None:
    """The value at a dotted ``path`` of a JSON object, as a label."""
    value: Any = obj
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return _text(value)


# --------------------------------------------------------------------------------------------
# Log entries


def _log_entry(item: Any, where: _Where) -> LogEntry | str:
    """A log entry, or the reason it is left out."""
    if not isinstance(item, Mapping):
        raise _fail(where, f"must be a JSON object, got {type(item).__name__}")
    ident = item.get("id")
    if not isinstance(ident, str) or not ident:
        raise _fail(where, f"id must be a string, got {_shown(ident)}")
    raw = item.get("type")
    if not isinstance(raw, str):
        raise _fail(where, f"type must be a string such as 'notify_log_entry', got {_shown(raw)}")
    kind = raw.removesuffix("_reference").removesuffix("_log_entry")
    if kind == "acknowledgement":  # the schema's spelling of acknowledge_log_entry
        kind = "acknowledge"
    if kind not in LOG_KINDS:
        return f"type {_shown(raw)} is not a log entry type the health metrics read"
    at = _time(item.get("created_at"), where, "created_at", None)
    incident = item.get("incident")
    inc_id = incident.get("id") if isinstance(incident, Mapping) else None
    if not isinstance(inc_id, str) or not inc_id:
        raise _fail(where, "has no incident.id; export log entries with their incident references")
    channel = item.get("channel")
    channel_type = method = address = None
    if channel is not None:
        if not isinstance(channel, Mapping):
            raise _fail(where, f"channel must be an object, got {_shown(channel)}")
        channel_type = channel.get("type") if isinstance(channel.get("type"), str) else None
        note = channel.get("notification")
        if isinstance(note, Mapping):
            ntype = note.get("type")
            if not isinstance(ntype, str) or not ntype:
                raise _fail(
                    where, f"channel.notification.type must be a string, got {_shown(ntype)}"
                )
            method = ntype.removesuffix("_notification")
            addr = note.get("address")
            address = addr if isinstance(addr, str) and addr.strip() else None
        elif note is not None:
            raise _fail(where, f"channel.notification must be an object, got {_shown(note)}")
    agent = item.get("agent")
    assignees = item.get("assignees") or ()
    if not isinstance(assignees, list | tuple):
        raise _fail(where, f"assignees must be a list, got {_shown(assignees)}")
    # Every field is checked above, so the entry is built without running the validators
    # again (a large export has a hundred thousand of them; benchmarks/health_bench.py).
    return _new_entry(
        ident,
        kind,
        at,
        inc_id,
        _ref(item.get("user"), where, "user") if kind == "notify" else None,
        _ref(agent, where, "agent") if agent is not None else None,
        _kind_of(agent) or None,
        tuple(r for a in assignees if (r := _ref(a, where, "assignees[]")) is not None),
        channel_type or None,
        method,
        address,
    )


_LOG_FIELDS = tuple(f.name for f in attrs.fields(LogEntry))
_set = object.__setattr__


def _new_entry(*values: Any) -> LogEntry:
    """A :class:`LogEntry` from values already checked, in field order: the same object as
    ``LogEntry(...)`` builds (equal, hashed alike), without its validators."""
    entry = object.__new__(LogEntry)
    for name, value in zip(_LOG_FIELDS, values, strict=True):
        _set(entry, name, value)
    return entry


def _envelopes(data: Any, key: str, source: str) -> list[tuple[list[Any], bool]]:
    """The lists under ``key`` in one response, a list of responses, or a bare list."""
    if isinstance(data, Mapping):
        items = data.get(key)
        if not isinstance(items, list):
            raise InputReadError(f"{source}: {key!r} must be a list, got {type(items).__name__}")
        return [(items, bool(data.get("more")))]
    if isinstance(data, list):
        if data and all(isinstance(d, Mapping) and key in d for d in data):
            out: list[tuple[list[Any], bool]] = []
            for d in data:
                out.extend(_envelopes(d, key, source))
            return out
        return [(data, False)]
    raise InputReadError(f"{source}: expected a JSON object or a list, got {type(data).__name__}")


def log_entries_from_json(data: Any, source: str = "JSON") -> History:
    """Log entries from decoded ``GET /log_entries`` output."""
    envelopes = _envelopes(data, "log_entries", source)
    entries: list[LogEntry] = []
    skipped: list[SkippedRecord] = []
    seen: dict[str, str] = {}
    n = 0
    no_method = 0
    for items, _ in envelopes:
        for item in items:
            n += 1
            ident = item.get("id") if isinstance(item, Mapping) else None
            where = _Where(source, "log entry", n, ident)
            if isinstance(ident, str) and ident in seen:
                skipped.append(SkippedRecord(source, where.text, f"duplicate of {seen[ident]}"))
                continue
            made = _log_entry(item, where)
            if isinstance(made, str):
                skipped.append(SkippedRecord(source, where.text, made))
                continue
            seen[made.id] = where.text
            if made.kind == "notify" and made.method is None:
                no_method += 1
            entries.append(made)
    warnings = []
    if envelopes and envelopes[-1][1]:
        warnings.append(
            f"{source}: the last page says more: true, so the export is truncated; fetch the "
            "remaining pages"
        )
    if no_method:
        warnings.append(
            f"{source}: {no_method} notify entr{'y has' if no_method == 1 else 'ies have'} no "
            "channel.notification type, so they cannot count as interruptions; export with "
            "include[]=channels"
        )
    return History(log_entries=entries, skipped=skipped, warnings=warnings, sources=(source,))


# --------------------------------------------------------------------------------------------
# Analytics and alerts


def _response_zone(data: Any, source: str, fallback: str | None) -> dt.tzinfo | None:
    name = data.get("time_zone") if isinstance(data, Mapping) else None
    name = name or fallback
    if name is None:
        return None
    try:
        return zone(check_time_zone(name, f"{source}: time_zone"))
    except OnCallPlannerError as err:
        raise InputReadError(str(err)) from None


def _rows(data: Any, source: str) -> list[tuple[Mapping[str, Any], list[Any]]]:
    """(envelope, rows) of each Analytics response in the file (one, or a list of them)."""
    if isinstance(data, Mapping):
        rows = data.get("data")
        if not isinstance(rows, list):
            raise InputReadError(f"{source}: 'data' must be a list, got {type(rows).__name__}")
        return [(data, rows)]
    if isinstance(data, list) and all(isinstance(d, Mapping) and "data" in d for d in data):
        out = []
        for d in data:
            out.extend(_rows(d, source))
        return out
    raise InputReadError(f"{source}: expected an Analytics response ({{'data': [...]}})")


def _priority(row: Mapping[str, Any], field: str, prefix: str = "") -> str | None:
    if field == "priority":
        return _text(row.get(f"{prefix}priority_name"))
    return _text(row.get(field)) or _text(row.get(f"{prefix}{field}"))


def analytics_from_json(
    data: Any,
    source: str = "JSON",
    *,
    severity_field: str = "priority",
    time_zone: str | None = None,
) -> History:
    """Rows of ``POST /analytics/raw/responders/{id}/incidents`` (``incident_id`` per row) or of
    ``POST /analytics/raw/incidents`` (``id`` per row)."""
    responders: list[ResponderIncident] = []
    incidents: list[AnalyticsIncident] = []
    skipped: list[SkippedRecord] = []
    seen: set[tuple[str, str]] = set()
    n = 0
    for envelope, rows in _rows(data, source):
        tz = _response_zone(envelope, source, time_zone)
        for row in rows:
            n += 1
            ident = row.get("incident_id", row.get("id")) if isinstance(row, Mapping) else None
            where = _Where(source, "row", n, ident)
            if not isinstance(row, Mapping):
                raise _fail(where, f"must be a JSON object, got {type(row).__name__}")
            try:
                if "incident_id" in row:
                    made: Any = _responder_row(row, envelope, where, tz, severity_field)
                    key = (made.incident, str(made.responder))
                else:
                    made = _incident_row(row, where, tz, severity_field)
                    key = (made.id, "")
            except ValidationError as err:
                raise _fail(where, str(err)) from None
            if key in seen:
                skipped.append(SkippedRecord(source, where.text, "duplicate row"))
                continue
            seen.add(key)
            (responders if isinstance(made, ResponderIncident) else incidents).append(made)
    return History(responders=responders, analytics=incidents, skipped=skipped, sources=(source,))


def _id(value: Any, where: Any, field: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"{field} must be an id, got {_shown(value)}")
    return value.strip()


def _responder_row(
    row: Mapping[str, Any],
    envelope: Mapping[str, Any],
    where: _Where,
    tz: dt.tzinfo | None,
    severity_field: str,
) -> ResponderIncident:
    rid = row.get("responder_id", envelope.get("responder_id"))
    name = row.get("responder_name")
    responder = _ref({"id": rid, "name": name}, where, "responder")
    assert responder is not None
    return ResponderIncident(
        incident=_id(row.get("incident_id"), where, "incident_id"),
        created_at=_time(row.get("incident_created_at"), where, "incident_created_at", tz),
        responder=responder,
        urgency=_text(row.get("incident_urgency")),
        priority=_priority(row, severity_field, "incident_"),
        service=_text(row.get("service_name")),
        interruptions=_count(row.get("total_interruptions"), where, "total_interruptions"),
        business=_count(
            row.get("total_business_hour_interruptions"), where, "total_business_hour_interruptions"
        ),
        off=_count(row.get("total_off_hour_interruptions"), where, "total_off_hour_interruptions"),
        sleep=_count(
            row.get("total_sleep_hour_interruptions"), where, "total_sleep_hour_interruptions"
        ),
        engaged_seconds=_count(row.get("total_engaged_seconds"), where, "total_engaged_seconds"),
        seconds_to_acknowledge=_count(
            row.get("mean_time_to_acknowledge_seconds"), where, "mean_time_to_acknowledge_seconds"
        ),
        acknowledgements=_count(row.get("total_acknowledgements"), where, "total_acknowledgements"),
    )


def _incident_row(
    row: Mapping[str, Any], where: _Where, tz: dt.tzinfo | None, severity_field: str
) -> AnalyticsIncident:
    resolved = row.get("resolved_at")
    auto = row.get("auto_resolved")
    if auto is not None and not isinstance(auto, bool):
        raise _fail(where, f"auto_resolved must be true, false or null, got {_shown(auto)}")
    ids = row.get("assigned_user_ids") or []
    names = row.get("assigned_user_names") or []
    if not isinstance(ids, list) or not isinstance(names, list):
        raise _fail(where, "assigned_user_ids and assigned_user_names must be lists")
    assigned = tuple(
        PersonRef(
            str(i), names[k] if k < len(names) and isinstance(names[k], str) and names[k] else None
        )
        for k, i in enumerate(ids)
        if isinstance(i, str) and i
    )
    resolver = row.get("resolved_by_user_id")
    return AnalyticsIncident(
        id=_id(row.get("id"), where, "id"),
        created_at=_time(row.get("created_at"), where, "created_at", tz),
        resolved_at=_time(resolved, where, "resolved_at", tz) if resolved else None,
        urgency=_text(row.get("urgency")),
        priority=_priority(row, severity_field),
        auto_resolved=auto,
        seconds_to_first_ack=_count(row.get("seconds_to_first_ack"), where, "seconds_to_first_ack"),
        seconds_to_resolve=_count(row.get("seconds_to_resolve"), where, "seconds_to_resolve"),
        engaged_seconds=_count(row.get("engaged_seconds"), where, "engaged_seconds"),
        acknowledgements=_count(
            row.get("acknowledgement_count", row.get("acknowledgment_count")),
            where,
            "acknowledgement_count",
        ),
        interruptions=_count(row.get("total_interruptions"), where, "total_interruptions"),
        business=_count(
            row.get("business_hour_interruptions"), where, "business_hour_interruptions"
        ),
        off=_count(row.get("off_hour_interruptions"), where, "off_hour_interruptions"),
        sleep=_count(row.get("sleep_hour_interruptions"), where, "sleep_hour_interruptions"),
        assigned=assigned,
        resolved_by=PersonRef(resolver, _text(row.get("resolved_by_user_name")))
        if isinstance(resolver, str) and resolver
        else None,
    )


def alerts_from_json(data: Any, source: str = "JSON") -> History:
    """Alerts from ``GET /incidents/{id}/alerts`` output (one response or a list of them)."""
    alerts: list[Alert] = []
    skipped: list[SkippedRecord] = []
    seen: set[str] = set()
    n = 0
    for items, _ in _envelopes(data, "alerts", source):
        for item in items:
            n += 1
            ident = item.get("id") if isinstance(item, Mapping) else None
            where = _Where(source, "alert", n, ident)
            if not isinstance(item, Mapping):
                raise _fail(where, f"must be a JSON object, got {type(item).__name__}")
            incident = item.get("incident")
            inc_id = incident.get("id") if isinstance(incident, Mapping) else None
            alert_id = _id(ident, where, "id")
            if alert_id in seen:
                skipped.append(SkippedRecord(source, where.text, "duplicate alert"))
                continue
            seen.add(alert_id)
            alerts.append(
                Alert(
                    id=alert_id,
                    incident=_id(inc_id, where, "incident.id"),
                    created_at=_time(item.get("created_at"), where, "created_at", None),
                )
            )
    return History(alerts=alerts, skipped=skipped, sources=(source,))


# --------------------------------------------------------------------------------------------
# Incidents: pages, plus severity and auto-resolution


def incidents_from_json(
    data: Any, source: str = "JSON", *, severity_field: str = "priority"
) -> History:
    """``GET /incidents`` output: the pages (see :func:`~oncall_planner.ingest.pages.
    pages_from_json`) and each incident's severity and auto-resolution."""
    pages = pages_from_json(data, source)
    details: list[IncidentDetails] = []
    envelopes = _envelopes(data, "incidents", source)
    for items, _ in envelopes:
        for item in items:
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
                continue
            auto = acked = None
            status = item.get("status")
            if status == "resolved":
                by = item.get("last_status_change_by")
                kind = _kind_of(by)
                if kind is not None:
                    auto = kind != "user"
            if status == "acknowledged" or item.get("acknowledgements"):
                acked = True
            details.append(
                IncidentDetails(
                    id=item["id"],
                    severity=_field(item, severity_field),
                    auto_resolved=auto,
                    acknowledged=acked,
                )
            )
    return History(
        pages=pages.pages,
        details=_unique(details),
        skipped=[SkippedRecord(source, s.row, s.reason) for s in pages.skipped],
        warnings=pages.warnings,
        sources=(source,),
    )


def _unique(details: Sequence[IncidentDetails]) -> list[IncidentDetails]:
    seen: set[str] = set()
    out = []
    for d in details:
        if d.id not in seen:
            seen.add(d.id)
            out.append(d)
    return out


def incidents_from_csv(
    text: str,
    source: str = "CSV",
    *,
    severity_field: str = "priority",
    time_zone: str | None = None,
) -> History:
    """The incidents report CSV: the pages, and each incident's severity (a ``priority`` or
    ``priority_name`` column, or the column you name) and auto-resolution (``auto_resolved``,
    ``seconds_to_first_ack``)."""
    pages = pages_from_csv(text, source, time_zone)
    clean = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(clean, newline=""), delimiter=_delimiter(clean))
    header: list[str] | None = None
    details: list[IncidentDetails] = []
    wanted = _norm(severity_field)
    names = ("priority", "priority_name") if wanted == "priority" else (wanted,)
    for cells in reader:
        if header is None:
            if any(c.strip() for c in cells):
                header = [_norm(c) for c in cells]
            continue
        if not any(c.strip() for c in cells) or len(cells) != len(header):
            continue
        row = dict(zip(header, (c.strip() for c in cells), strict=True))
        ident = row.get("id") or row.get("incident_number")
        if not ident:
            continue
        auto_text = row.get("auto_resolved", "").lower()
        auto = {"1": True, "true": True, "0": False, "false": False}.get(auto_text)
        acked = None
        if "seconds_to_first_ack" in row:
            acked = bool(row["seconds_to_first_ack"])
        severity = next((row[n] for n in names if row.get(n)), None)
        details.append(
            IncidentDetails(id=ident, severity=severity, auto_resolved=auto, acknowledged=acked)
        )
    return History(
        pages=pages.pages,
        details=_unique(details),
        skipped=[SkippedRecord(source, s.row, s.reason) for s in pages.skipped],
        warnings=pages.warnings,
        sources=(source,),
    )


# --------------------------------------------------------------------------------------------
# Any export, by content


def _first(data: Any) -> Any:
    if isinstance(data, list):
        for item in data:
            if isinstance(item, Mapping):
                return item
    return None


def history_from_json(
    data: Any,
    source: str = "JSON",
    *,
    severity_field: str = "priority",
    time_zone: str | None = None,
) -> History:
    """Any of the JSON exports above, told apart by its content."""
    probe = data
    if isinstance(data, list):
        probe = _first(data) or {}
    if isinstance(probe, Mapping):
        if "log_entries" in probe:
            return log_entries_from_json(data, source)
        if "incidents" in probe:
            return incidents_from_json(data, source, severity_field=severity_field)
        if "alerts" in probe:
            return alerts_from_json(data, source)
        if "data" in probe:
            return analytics_from_json(
                data, source, severity_field=severity_field, time_zone=time_zone
            )
        kind = probe.get("type")
        if isinstance(kind, str) and kind.endswith(("_log_entry", "_log_entry_reference")):
            return log_entries_from_json(data, source)
        if kind in ("incident", "incident_reference") or "incident_number" in probe:
            return incidents_from_json(data, source, severity_field=severity_field)
        if kind == "alert":
            return alerts_from_json(data, source)
    if isinstance(data, list) and not data:
        return History(sources=(source,), warnings=(f"{source}: an empty list",))
    keys = sorted(map(str, probe))[:8] if isinstance(probe, Mapping) else type(probe).__name__
    raise InputReadError(
        f"{source}: not a PagerDuty export this reads (incidents, log entries, Analytics raw "
        f"rows or alerts); found {keys}"
    )


def _read(path: str | os.PathLike[str]) -> str:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except OSError as err:
        raise InputReadError(
            f"{os.fspath(path)}: cannot read page history: {err.strerror}"
        ) from None
    except UnicodeDecodeError as err:
        raise InputReadError(f"{os.fspath(path)}: not UTF-8 text: {err}") from None


def _decode(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputReadError(f"{source}: not valid JSON: {err}") from None
    except RecursionError:
        raise InputReadError(f"{source}: JSON nested too deeply to be a PagerDuty export") from None
    except ValueError as err:  # e.g. an integer too long to convert
        raise InputReadError(f"{source}: not valid JSON: {err}") from None


def load_history(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    severity_field: str = "priority",
    time_zone: str | None = None,
) -> History:
    """Every export in ``paths`` (JSON or CSV, told apart by content) as one :class:`History`.

    ``time_zone`` is the zone of times written without an offset (a CSV a spreadsheet saved
    again, an Analytics response without ``time_zone``); it is never guessed.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if time_zone is not None:
        try:
            check_time_zone(time_zone, "load_history")
        except ValidationError as err:
            raise InputReadError(str(err)) from None
    total = History()
    seen: dict[tuple[str, ...], str] = {}
    for path in paths:
        source = os.fspath(path)
        text = _read(path)
        if not text.strip():
            raise InputReadError(
                f"{source}: the file is empty; expected a PagerDuty export: incidents, log "
                "entries, alerts or Analytics as JSON, or the incidents report CSV"
            )
        with _collector_paused():
            if text.lstrip().startswith(("{", "[")):
                part = history_from_json(
                    _decode(text, source),
                    source,
                    severity_field=severity_field,
                    time_zone=time_zone,
                )
            else:
                part = incidents_from_csv(
                    text, source, severity_field=severity_field, time_zone=time_zone
                )
        total = total + _without_repeats(part, source, seen)
    return total


_RECORD_NAMES = {
    "Page": "incident",
    "LogEntry": "log entry",
    "AnalyticsIncident": "Analytics incident row",
    "Alert": "alert",
}


def _record_key(record: Any) -> tuple[str, ...] | None:
    """What makes a record the same one in two exports, as words: its PagerDuty id (incidents,
    log entries, alerts, Analytics incident rows), or its incident and responder (Analytics
    responder rows); None when it has none."""
    if isinstance(record, ResponderIncident):
        who = record.responder.id or record.responder.label or "?"
        return ("Analytics responder row", f"(incident {record.incident}, responder {who})")
    ident = getattr(record, "id", None)
    name = _RECORD_NAMES.get(type(record).__name__, type(record).__name__)
    return (name, f"(id {ident})") if isinstance(ident, str) and ident else None


def _without_repeats(part: History, source: str, seen: dict[tuple[str, ...], str]) -> History:
    """``part`` without the records an earlier export (``seen``: key -> file) already gave:
    overlapping downloads of the same days are read once, and each repeat is listed."""
    skipped = list(part.skipped)
    kept: dict[str, list[Any]] = {}
    for field in ("pages", "log_entries", "responders", "analytics", "alerts"):
        mine: list[Any] = []
        for record in getattr(part, field):
            key = _record_key(record)
            if key is not None and key in seen:
                skipped.append(
                    SkippedRecord(
                        source, " ".join(key), f"duplicate of a record read from {seen[key]}"
                    )
                )
                continue
            if key is not None:
                seen.setdefault(key, source)
            mine.append(record)
        kept[field] = mine
    return attrs.evolve(part, skipped=tuple(skipped), **kept)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while an export is read: decoding and reading
    a large export make millions of objects and no cycles, and the collector's passes over them
    took half the time (benchmarks/health_bench.py). It runs again afterwards, as before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------------------------
# The configuration file


def health_config_from_toml(text: str, source: str = "TOML") -> HealthConfig:
    """A :class:`HealthConfig` from TOML text (docs/health.md lists every key)."""
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as err:
        raise InputReadError(f"{source}: not valid TOML: {err}") from None
    except ValueError:  # an integer of thousands of digits, which int() refuses
        raise InputReadError(
            f"{source}: not valid TOML: a number too long to read (over 4,300 digits)"
        ) from None
    except RecursionError:
        raise InputReadError(
            f"{source}: not valid TOML: arrays or tables nested too deeply"
        ) from None
    try:
        return config_from_dict(data, source)
    except ValidationError as err:
        raise InputReadError(str(err)) from None


def load_health_config(path: str | os.PathLike[str]) -> HealthConfig:
    """The health configuration in a TOML file."""
    source = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as err:
        raise InputReadError(f"{source}: cannot read the configuration: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise InputReadError(f"{source}: not UTF-8 text: {err}") from None
    return health_config_from_toml(text, source)


__all__ = [
    "alerts_from_json",
    "analytics_from_json",
    "health_config_from_toml",
    "history_from_json",
    "incidents_from_csv",
    "incidents_from_json",
    "load_health_config",
    "load_history",
    "log_entries_from_json",
]
