"""Page history at notification level: the values the health metrics are computed from.

These are plain records of what PagerDuty's exports say, already read and checked
(:mod:`oncall_planner.ingest.health` reads the files): log entries (``GET /log_entries``,
``GET /incidents/{id}/log_entries`` with ``include[]=channels``), rows of the Analytics raw
exports (``POST /analytics/raw/responders/{id}/incidents`` and ``POST /analytics/raw/incidents``),
alerts (``GET /incidents/{id}/alerts``), and what the incidents exports say beyond a
:class:`~oncall_planner.pages.Page` (severity, auto-resolution). A :class:`History` holds them
all, with the incidents as :class:`~oncall_planner.pages.Page` values and what was left out on
purpose.

People are named the way the exports name them: a PagerDuty user id (``PUSR001``) and a label
(the display name, or an email). :func:`oncall_planner.health.people.PersonIndex` matches them
with the plan's users.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.pages import Page
from oncall_planner.timeutil import is_aware

#: The log entry kinds (PagerDuty's ``type`` without ``_log_entry``) the metrics read.
LOG_KINDS: tuple[str, ...] = (
    "acknowledge",
    "annotate",
    "assign",
    "custom_field_value_change",
    "delegate",
    "escalate",
    "exhaust_escalation_path",
    "field_value_change",
    "notify",
    "reach_ack_limit",
    "reach_trigger_limit",
    "repeat_escalation_path",
    "resolve",
    "snooze",
    "trigger",
    "unacknowledge",
    "urgency_change",
)
#: Notification methods that interrupt someone (PagerDuty's definition); email does not.
INTERRUPTING: tuple[str, ...] = ("push", "phone", "sms")
METHODS: tuple[str, ...] = ("push", "phone", "sms", "email")


def _aware(name: str) -> Any:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, dt.datetime) or not is_aware(value):
            raise ValidationError(
                f"{name}: {attribute.name} must be a timezone-aware datetime, got {value!r}"
            )

    return check


def _optional_aware(name: str) -> Any:
    inner = _aware(name)

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value is not None:
            inner(instance, attribute, value)

    return check


def _text(name: str) -> Any:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(
                f"{name}: {attribute.name} must be a non-empty string, got {value!r}"
            )

    return check


def _optional_text(name: str) -> Any:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValidationError(
                f"{name}: {attribute.name} must be a non-empty string or None, got {value!r}"
            )

    return check


def _optional_count(name: str) -> Any:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise ValidationError(
                f"{name}: {attribute.name} must be a whole number ≥ 0 or None, got {value!r}"
            )

    return check


def _to_utc(value: Any) -> Any:
    if isinstance(value, dt.datetime) and is_aware(value):
        return value.astimezone(dt.timezone.utc)
    return value


def _kind(instance: Any, attribute: Any, value: Any) -> None:
    if value not in LOG_KINDS:
        raise ValidationError(
            f"LogEntry {instance.id!r}: kind must be one of {', '.join(LOG_KINDS)}, got {value!r}"
        )


@attrs.frozen
class PersonRef:
    """A person as an export names them: PagerDuty's user ``id`` and a ``label`` (display name or
    email); either may be missing, not both."""

    id: str | None = attrs.field(default=None, validator=_optional_text("PersonRef"))
    label: str | None = attrs.field(default=None, validator=_optional_text("PersonRef"))

    def __attrs_post_init__(self) -> None:
        if self.id is None and self.label is None:
            raise ValidationError("PersonRef: give an id, a label or both")

    def __str__(self) -> str:
        if self.label and self.id:
            return f"{self.label} ({self.id})"
        return self.label or self.id or "?"


def _people(value: Any) -> tuple[PersonRef, ...]:
    items = tuple(value)
    for item in items:
        if not isinstance(item, PersonRef):
            raise ValidationError(f"LogEntry: assignees must hold PersonRef values, got {item!r}")
    return items


@attrs.frozen(kw_only=True)
class LogEntry:
    """One log entry of an incident.

    ``kind`` is PagerDuty's ``type`` without the ``_log_entry`` suffix (``notify``, ``assign``,
    ``acknowledge``...). ``at`` is when it happened (UTC). ``user`` is who a ``notify`` entry
    contacted; ``agent`` who (or what) acted, with ``agent_type`` (``user``, ``service``,
    ``integration``...; the ``_reference`` suffix stripped); ``assignees`` whom an ``assign``,
    ``escalate`` or ``delegate`` entry made responsible. ``channel`` is ``channel.type``;
    ``method`` the notification's type without the ``_notification`` suffix (``push``,
    ``phone``, ``sms``, ``email``) and ``address`` where it went (``None`` for push).
    """

    id: str = attrs.field(validator=_text("LogEntry"))
    kind: str = attrs.field(validator=_kind)
    at: dt.datetime = attrs.field(converter=_to_utc, validator=_aware("LogEntry"))
    incident: str = attrs.field(validator=_text("LogEntry"))
    user: PersonRef | None = None
    agent: PersonRef | None = None
    agent_type: str | None = attrs.field(default=None, validator=_optional_text("LogEntry"))
    assignees: tuple[PersonRef, ...] = attrs.field(default=(), converter=_people)
    channel: str | None = attrs.field(default=None, validator=_optional_text("LogEntry"))
    method: str | None = attrs.field(default=None, validator=_optional_text("LogEntry"))
    address: str | None = None

    @property
    def by_person(self) -> bool:
        """Whether a person (not a service or an integration) did this."""
        return self.agent is not None and self.agent_type == "user"


@attrs.frozen(kw_only=True)
class ResponderIncident:
    """One row of ``POST /analytics/raw/responders/{responder_id}/incidents``: one responder's
    part in one incident, as PagerDuty's Analytics computed it (its windows, its merging)."""

    incident: str = attrs.field(validator=_text("ResponderIncident"))
    created_at: dt.datetime = attrs.field(converter=_to_utc, validator=_aware("ResponderIncident"))
    responder: PersonRef
    urgency: str | None = None
    priority: str | None = None
    service: str | None = None
    interruptions: int | None = attrs.field(
        default=None, validator=_optional_count("ResponderIncident")
    )
    business: int | None = attrs.field(default=None, validator=_optional_count("ResponderIncident"))
    off: int | None = attrs.field(default=None, validator=_optional_count("ResponderIncident"))
    sleep: int | None = attrs.field(default=None, validator=_optional_count("ResponderIncident"))
    engaged_seconds: int | None = attrs.field(
        default=None, validator=_optional_count("ResponderIncident")
    )
    seconds_to_acknowledge: int | None = attrs.field(
        default=None, validator=_optional_count("ResponderIncident")
    )
    acknowledgements: int | None = attrs.field(
        default=None, validator=_optional_count("ResponderIncident")
    )


@attrs.frozen(kw_only=True)
class AnalyticsIncident:
    """One row of ``POST /analytics/raw/incidents``: one incident as Analytics summarises it."""

    id: str = attrs.field(validator=_text("AnalyticsIncident"))
    created_at: dt.datetime = attrs.field(converter=_to_utc, validator=_aware("AnalyticsIncident"))
    resolved_at: dt.datetime | None = attrs.field(
        default=None, converter=_to_utc, validator=_optional_aware("AnalyticsIncident")
    )
    urgency: str | None = None
    priority: str | None = None
    auto_resolved: bool | None = None
    seconds_to_first_ack: int | None = attrs.field(
        default=None, validator=_optional_count("AnalyticsIncident")
    )
    seconds_to_resolve: int | None = attrs.field(
        default=None, validator=_optional_count("AnalyticsIncident")
    )
    engaged_seconds: int | None = attrs.field(
        default=None, validator=_optional_count("AnalyticsIncident")
    )
    acknowledgements: int | None = attrs.field(
        default=None, validator=_optional_count("AnalyticsIncident")
    )
    interruptions: int | None = attrs.field(
        default=None, validator=_optional_count("AnalyticsIncident")
    )
    business: int | None = attrs.field(default=None, validator=_optional_count("AnalyticsIncident"))
    off: int | None = attrs.field(default=None, validator=_optional_count("AnalyticsIncident"))
    sleep: int | None = attrs.field(default=None, validator=_optional_count("AnalyticsIncident"))
    assigned: tuple[PersonRef, ...] = attrs.field(default=(), converter=_people)
    resolved_by: PersonRef | None = None


@attrs.frozen(kw_only=True)
class Alert:
    """An alert of an incident (``GET /incidents/{id}/alerts``): when it was created. An alert
    created before its incident (a paused or grouped alert) is what time to detect measures."""

    id: str = attrs.field(validator=_text("Alert"))
    incident: str = attrs.field(validator=_text("Alert"))
    created_at: dt.datetime = attrs.field(converter=_to_utc, validator=_aware("Alert"))


@attrs.frozen(kw_only=True)
class IncidentDetails:
    """What an incidents export says beyond the :class:`Page`: the severity label (from the
    priority, or the field the user names), whether it resolved by itself and whether anyone
    acknowledged it (``None`` where the export does not say)."""

    id: str = attrs.field(validator=_text("IncidentDetails"))
    severity: str | None = None
    auto_resolved: bool | None = None
    acknowledged: bool | None = None


@attrs.frozen
class SkippedRecord:
    """A record left out on purpose: which file (``source``), which record, and why."""

    source: str
    record: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.record}: {self.reason}"


def _items(kind: type, value: Any) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValidationError(f"History: expected a list of {kind.__name__}, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, kind):
            raise ValidationError(
                f"History: expected {kind.__name__} values, got {type(item).__name__} {item!r}"
            )
    return items


def _pages(value: Any) -> tuple[Page, ...]:
    return _items(Page, value)


def _log_entries(value: Any) -> tuple[LogEntry, ...]:
    return _items(LogEntry, value)


def _responders(value: Any) -> tuple[ResponderIncident, ...]:
    return _items(ResponderIncident, value)


def _analytics(value: Any) -> tuple[AnalyticsIncident, ...]:
    return _items(AnalyticsIncident, value)


def _alerts(value: Any) -> tuple[Alert, ...]:
    return _items(Alert, value)


def _details(value: Any) -> tuple[IncidentDetails, ...]:
    return _items(IncidentDetails, value)


def _skipped(value: Any) -> tuple[SkippedRecord, ...]:
    return _items(SkippedRecord, value)


def _strings(value: Any) -> tuple[str, ...]:
    return _items(str, value)


@attrs.frozen(kw_only=True)
class History:
    """Everything read about past incidents, from any number of exports.

    ``pages`` are the incidents (JSON or CSV incidents exports, or pages made in Python);
    ``log_entries``, ``responders`` (Analytics per-responder rows), ``analytics`` (Analytics
    per-incident rows), ``alerts`` and ``details`` add what those exports know. ``skipped`` lists
    the records left out on purpose and ``warnings`` what the reader noticed; ``sources`` names
    the files read.
    """

    pages: tuple[Page, ...] = attrs.field(default=(), converter=_pages)
    log_entries: tuple[LogEntry, ...] = attrs.field(default=(), converter=_log_entries)
    responders: tuple[ResponderIncident, ...] = attrs.field(default=(), converter=_responders)
    analytics: tuple[AnalyticsIncident, ...] = attrs.field(default=(), converter=_analytics)
    alerts: tuple[Alert, ...] = attrs.field(default=(), converter=_alerts)
    details: tuple[IncidentDetails, ...] = attrs.field(default=(), converter=_details)
    skipped: tuple[SkippedRecord, ...] = attrs.field(default=(), converter=_skipped)
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    sources: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    def __add__(self, other: History) -> History:
        if not isinstance(other, History):
            return NotImplemented
        return History(
            **{
                f.name: getattr(self, f.name) + getattr(other, f.name)
                for f in attrs.fields(History)
            }
        )

    @property
    def kinds(self) -> tuple[str, ...]:
        """Which kinds of record the history holds, e.g. ``("incidents", "log entries")``."""
        names = (
            ("incidents", self.pages),
            ("log entries", self.log_entries),
            ("Analytics responder rows", self.responders),
            ("Analytics incident rows", self.analytics),
            ("alerts", self.alerts),
        )
        return tuple(name for name, items in names if items)

    def summary(self, shown: int | None = 10) -> str:
        """One line per file kind read, and what was skipped: for the command line's stderr.
        Only the first ``shown`` records left out are listed (``None``: all), then how many
        more: a history that repeats itself thousands of times does not flood the terminal."""
        counts = [
            f"{len(self.pages)} incident(s)",
            f"{len(self.log_entries)} log entr{'y' if len(self.log_entries) == 1 else 'ies'}",
        ]
        if self.responders:
            counts.append(f"{len(self.responders)} Analytics responder row(s)")
        if self.analytics:
            counts.append(f"{len(self.analytics)} Analytics incident row(s)")
        if self.alerts:
            counts.append(f"{len(self.alerts)} alert(s)")
        text = f"read {', '.join(counts)} from {len(self.sources)} file(s)"
        if self.skipped:
            text += f", {len(self.skipped)} record(s) left out on purpose:"
            listed = self.skipped if shown is None else self.skipped[:shown]
            text += "".join(f"\n  {s}" for s in listed)
            if len(listed) < len(self.skipped):
                text += f"\n  ... and {len(self.skipped) - len(listed)} more (-v lists each)"
        for warning in self.warnings:
            text += f"\nwarning: {warning}"
        return text


__all__ = [
    "INTERRUPTING",
    "LOG_KINDS",
    "METHODS",
    "Alert",
    "AnalyticsIncident",
    "History",
    "IncidentDetails",
    "LogEntry",
    "PersonRef",
    "ResponderIncident",
    "SkippedRecord",
]
