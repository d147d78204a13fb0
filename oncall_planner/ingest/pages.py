"""Page history from PagerDuty exports: incidents from the REST API (JSON) and the incidents report
CSV. The file readers are thin; :func:`pages_from_json` and :func:`pages_from_csv` do the work on
data already in memory.

A malformed record raises :class:`~oncall_planner.errors.InputReadError` naming the file and the
row. Records that are deliberately left out (blank CSV rows, duplicates of an incident already
read, non-incident objects) are listed in :attr:`PageHistory.skipped`, never dropped silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from oncall_planner.errors import InputReadError, OnCallPlannerError
from oncall_planner.pages import Page
from oncall_planner.timeutil import check_time_zone, parse_iso8601, zone

#: PagerDuty's incidents report stops at this many rows; a file this long is probably cut short.
CSV_ROW_CAP = 20_000


@attrs.frozen
class SkippedRow:
    """A record left out on purpose: where it was (``row``) and why (``reason``)."""

    row: str
    reason: str


@attrs.frozen
class PageHistory:
    """The pages read from one export, what was skipped, and warnings (e.g. a truncated export).

    Iterating over it gives the pages, so ``check(plan, since, until, pages=load_pages(path))``
    works as it is.
    """

    pages: tuple[Page, ...]
    skipped: tuple[SkippedRow, ...] = ()
    warnings: tuple[str, ...] = ()
    source: str = ""

    def __iter__(self) -> Iterator[Page]:
        return iter(self.pages)

    def __len__(self) -> int:
        return len(self.pages)

    def summary(self) -> str:
        """``12 pages read from incidents.csv, 1 row skipped (row 4: blank row)``."""
        text = f"{len(self.pages)} page(s) read from {self.source or 'the export'}"
        if self.skipped:
            listed = "; ".join(f"{s.row}: {s.reason}" for s in self.skipped)
            text += f", {len(self.skipped)} skipped ({listed})"
        for warning in self.warnings:
            text += f"\nwarning: {warning}"
        return text


def _parse_time(value: Any, where: str, field: str, time_zone: str | None = None) -> dt.datetime:
    if not isinstance(value, str) or not value.strip():
        raise InputReadError(f"{where}: {field} must be an ISO-8601 date-time, got {value!r}")
    try:
        parsed = parse_iso8601(value)
    except ValueError:
        raise InputReadError(
            f"{where}: {field} must be an ISO-8601 date-time, got {value!r}"
        ) from None
    if parsed.tzinfo is None:
        if time_zone is None:
            raise InputReadError(
                f"{where}: {field} has no UTC offset ({value!r}); give the zone the export "
                "was written in (time_zone='America/New_York', or --pages-tz on the command "
                "line) rather than guessing"
            )
        parsed = parsed.replace(tzinfo=zone(time_zone))
    try:
        return parsed.astimezone(dt.timezone.utc)
    except OverflowError:
        raise InputReadError(f"{where}: {field} is out of range, got {value!r}") from None


def _later(at: dt.datetime, seconds: int | None, where: str, field: str) -> dt.datetime | None:
    """``at`` plus ``seconds`` (a duration column), ``None`` when the cell was empty."""
    if seconds is None:
        return None
    try:
        return at + dt.timedelta(seconds=seconds)
    except OverflowError:
        raise InputReadError(f"{where}: {field} goes past the year 9999, got {seconds}") from None


def _label(obj: Any) -> str | None:
    """A user, service or policy as text: email for full users, else name, else summary."""
    if not isinstance(obj, Mapping):
        return None
    for key in ("email", "name", "summary", "id"):
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _is_user(obj: Any) -> bool:
    return isinstance(obj, Mapping) and str(obj.get("type", "user")).startswith("user")


def _make_page(where: str, **fields: Any) -> Page:
    try:
        return Page(**fields)
    except OnCallPlannerError as err:
        raise InputReadError(f"{where}: {err}") from None


def _incident_to_page(item: Any, where: str) -> Page:
    if not isinstance(item, Mapping):
        raise InputReadError(f"{where}: must be a JSON object, got {type(item).__name__}")
    at = _parse_time(item.get("created_at"), where, "created_at")
    urgency = item.get("urgency")
    if urgency is not None and urgency not in ("high", "low"):
        raise InputReadError(f"{where}: urgency must be 'high', 'low' or null, got {urgency!r}")
    acks = item.get("acknowledgements") or []
    if not isinstance(acks, list):
        raise InputReadError(f"{where}: acknowledgements must be a list, got {acks!r}")
    # A service can acknowledge too (an integration): only people count for time to acknowledge.
    ack_times = [
        _parse_time(a.get("at") if isinstance(a, Mapping) else a, where, "acknowledgements[].at")
        for a in acks
        if not isinstance(a, Mapping)
        or a.get("acknowledger") is None
        or _is_user(a["acknowledger"])
    ]
    resolved_raw = item.get("resolved_at")
    if resolved_raw is None and item.get("status") == "resolved":
        resolved_raw = item.get("last_status_change_at")
    resolved = _parse_time(resolved_raw, where, "resolved_at") if resolved_raw is not None else None
    user = None
    assignments = item.get("assignments") or []
    if isinstance(assignments, list) and assignments:
        first = min(
            (a for a in assignments if isinstance(a, Mapping)),
            key=lambda a: str(a.get("at", "")),
            default=None,
        )
        user = _label(first.get("assignee")) if first else None
    if user is None:
        for a in acks:
            if isinstance(a, Mapping) and _is_user(a.get("acknowledger")):
                user = _label(a.get("acknowledger"))
                break
    reason = item.get("resolve_reason")
    merged = isinstance(reason, Mapping) and reason.get("type") == "merge_resolve_reason"
    ident = item.get("id")
    return _make_page(
        where,
        at=at,
        user=user,
        service=_label(item.get("service")),
        policy=_label(item.get("escalation_policy")),
        urgency=urgency,
        acknowledged_at=min(ack_times) if ack_times else None,
        resolved_at=resolved,
        id=str(ident) if ident is not None else None,
        title=item.get("title") if isinstance(item.get("title"), str) else None,
        merged=merged,
    )


def _envelopes(data: Any, source: str) -> list[tuple[list[Any], bool]]:
    """The incident lists in a saved response: one page, a list of pages, or a bare list.
    Each comes with its ``more`` flag."""
    if isinstance(data, Mapping):
        if "incidents" in data:
            incidents = data["incidents"]
            if not isinstance(incidents, list):
                raise InputReadError(
                    f"{source}: 'incidents' must be a list, got {type(incidents).__name__}"
                )
            return [(incidents, bool(data.get("more")))]
        if "log_entries" in data:
            raise InputReadError(
                f"{source}: this is a log-entries export; load the incidents (GET /incidents) "
                "instead"
            )
        raise InputReadError(
            f"{source}: expected PagerDuty incidents ({{'incidents': [...]}}, a list of such "
            f"pages, or a list of incidents), got an object with keys {sorted(map(str, data))[:8]}"
        )
    if isinstance(data, list):
        if data and all(isinstance(d, Mapping) and "incidents" in d for d in data):
            out: list[tuple[list[Any], bool]] = []
            for d in data:
                out.extend(_envelopes(d, source))
            return out
        return [(data, False)]
    raise InputReadError(
        f"{source}: expected a JSON object or list of incidents, got {type(data).__name__}"
    )


def pages_from_json(data: Any, source: str = "JSON") -> PageHistory:
    """Pages from decoded ``GET /incidents`` output (one page, a list of pages, or a bare list)."""
    envelopes = _envelopes(data, source)
    pages: list[Page] = []
    skipped: list[SkippedRow] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    n = 0
    for incidents, _ in envelopes:
        for item in incidents:
            n += 1
            ident = item.get("id") if isinstance(item, Mapping) else None
            row = f"incident {n}" + (f" (id {ident})" if ident else "")
            where = f"{source}: {row}"
            kind = item.get("type") if isinstance(item, Mapping) else None
            if kind is not None and kind not in ("incident", "incident_reference"):
                skipped.append(SkippedRow(row, f"type {kind!r} is not an incident"))
                continue
            if ident is not None and str(ident) in seen:
                skipped.append(SkippedRow(row, f"duplicate of {seen[str(ident)]}"))
                continue
            pages.append(_incident_to_page(item, where))
            if ident is not None:
                seen[str(ident)] = row
    if envelopes and envelopes[-1][1]:
        warnings.append(
            f"{source}: the last page says more: true, so the export is truncated; fetch the "
            "remaining pages (or split the history by date)"
        )
    return PageHistory(tuple(pages), tuple(skipped), tuple(warnings), source)


def _norm(header: str) -> str:
    return re.sub(r"\s+", "_", header.strip().lstrip("\ufeff").lower())


_ALIASES = {
    "created": ("created_on", "created_at", "opened_on"),
    "resolved": ("resolved_on", "resolved_at"),
    "id": ("id",),
    "number": ("incident_number", "#"),
    "title": ("description", "title"),
    "service": ("service_name", "service"),
    "policy": ("escalation_policy_name",),
    "urgency": ("urgency",),
    "tta": ("seconds_to_first_ack",),
    "ttr": ("seconds_to_resolve",),
    "user_ids": ("assigned_to_user_ids", "assigned_user_ids"),
    "user_names": ("assigned_to_user_names", "assigned_user_names"),
}


#: Longer than any incident stays open: durations above it are typos that would overflow dates.
_MAX_SECONDS = 10 * 366 * 86400


def _seconds(value: str, where: str, field: str) -> int | None:
    if not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise InputReadError(f"{where}: {field} must be a number of seconds, got {value!r}")
    if number < 0:
        raise InputReadError(f"{where}: {field} must not be negative, got {value!r}")
    if number > _MAX_SECONDS:
        raise InputReadError(
            f"{where}: {field} must be at most {_MAX_SECONDS} seconds (ten years), got {value!r}"
        )
    return int(number)


def _assignee(ids: str, names: str) -> str | None:
    """The one assigned user's name (or id when the name is missing); ``None`` when several were
    assigned, because the report lists them in no documented order (the schedule then says who
    was paged first). With one id, the whole name cell is that user's name, commas and all."""
    id_list = [i for i in re.split(r"[,;| ]+", ids.strip()) if i]
    if len(id_list) > 1:
        return None
    return names.strip() or (id_list[0] if id_list else None)


def _delimiter(text: str) -> str:
    """``,`` as PagerDuty writes it, or the ``;`` or tab of a spreadsheet that saved the file
    again in a locale where the comma is the decimal mark: whichever splits the header most."""
    header = next((line for line in text.split("\n") if line.strip()), "")
    return max((",", ";", "\t"), key=header.count)


def pages_from_csv(text: str, source: str = "CSV", time_zone: str | None = None) -> PageHistory:
    """Pages from the incidents report CSV (Reports, Download CSV). Times need a UTC offset unless
    ``time_zone`` names the zone the export was written in."""
    if time_zone is not None:
        check_time_zone(time_zone, "pages_from_csv")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header: list[str] | None = None
    cols: dict[str, int] = {}
    pages: list[Page] = []
    skipped: list[SkippedRow] = []
    seen: dict[str, str] = {}
    rows = 0
    first_line = 1  # where the row being read starts: a quoted cell may span several lines
    try:
        for cells in reader:
            line, first_line = first_line, reader.line_num + 1
            if header is None:
                if not any(c.strip() for c in cells):
                    continue
                header = [_norm(c) for c in cells]
                for key, names in _ALIASES.items():
                    for name in names:
                        if name in header:
                            cols[key] = header.index(name)
                            break
                if "created" not in cols:
                    raise InputReadError(
                        f"{source}: no created_on column; this does not look like PagerDuty's "
                        f"incidents report (columns found: {', '.join(header)})"
                    )
                continue
            rows += 1
            row = f"row {rows} (line {line})"
            where = f"{source}: {row}"
            if not any(c.strip() for c in cells):
                skipped.append(SkippedRow(row, "blank row"))
                continue
            if len(cells) != len(header):
                raise InputReadError(
                    f"{where}: has {len(cells)} cells, the header has {len(header)}"
                )
            pages_or_skip = _csv_row(cells, cols, where, time_zone)
            ident = pages_or_skip.id
            if ident is not None and ident in seen:
                skipped.append(SkippedRow(row, f"duplicate of {seen[ident]}"))
                continue
            if ident is not None:
                seen[ident] = row
            pages.append(pages_or_skip)
    except csv.Error as err:
        raise InputReadError(f"{source}: line {reader.line_num}: not valid CSV: {err}") from None
    if header is None:
        raise InputReadError(f"{source}: empty file, expected PagerDuty's incidents report CSV")
    warnings = []
    if rows >= CSV_ROW_CAP:
        warnings.append(
            f"{source}: {rows} rows, PagerDuty's export cap; the report is probably cut short, so "
            "export shorter date ranges"
        )
    return PageHistory(tuple(pages), tuple(skipped), tuple(warnings), source)


def _csv_row(
    cells: Sequence[str], cols: Mapping[str, int], where: str, time_zone: str | None
) -> Page:
    def get(key: str) -> str:
        return cells[cols[key]].strip() if key in cols else ""

    at = _parse_time(get("created"), where, "created_on", time_zone)
    resolved_text = get("resolved")
    resolved = (
        _parse_time(resolved_text, where, "resolved_on", time_zone) if resolved_text else None
    )
    ttr = _seconds(get("ttr"), where, "seconds_to_resolve")
    if resolved is None:
        resolved = _later(at, ttr, where, "seconds_to_resolve")
    tta = _seconds(get("tta"), where, "seconds_to_first_ack")
    urgency = get("urgency").lower() or None
    if urgency is not None and urgency not in ("high", "low"):
        raise InputReadError(
            f"{where}: urgency must be 'high', 'low' or empty, got {get('urgency')!r}"
        )
    return _make_page(
        where,
        at=at,
        user=_assignee(get("user_ids"), get("user_names")),
        service=get("service") or None,
        policy=get("policy") or None,
        urgency=urgency,
        acknowledged_at=_later(at, tta, where, "seconds_to_first_ack"),
        resolved_at=resolved,
        id=get("id") or get("number") or None,
        title=get("title") or None,
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


def load_pages_json(path: str | os.PathLike[str]) -> PageHistory:
    """Pages from a file of ``GET /incidents`` output (one page, a list of pages, or a bare
    list)."""
    source = os.fspath(path)
    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as err:
        raise InputReadError(f"{source}: not valid JSON: {err}") from None
    except RecursionError:
        raise InputReadError(f"{source}: not valid page history: nested too deeply") from None
    except ValueError:  # Python refuses to read integers of more than 4300 digits
        raise InputReadError(
            f"{source}: not valid JSON: a number has more than {sys.get_int_max_str_digits()} "
            "digits"
        ) from None
    return pages_from_json(data, source)


def load_pages_csv(path: str | os.PathLike[str], time_zone: str | None = None) -> PageHistory:
    """Pages from an incidents report CSV file."""
    return pages_from_csv(_read(path), os.fspath(path), time_zone)


def load_pages(path: str | os.PathLike[str], time_zone: str | None = None) -> PageHistory:
    """Pages from a PagerDuty export, JSON or CSV, told apart by the content."""
    text = _read(path).lstrip()
    if not text:
        raise InputReadError(
            f"{os.fspath(path)}: the file is empty; expected PagerDuty's incidents as JSON or its "
            "incidents report CSV"
        )
    if text.startswith(("{", "[")):
        return load_pages_json(path)
    return load_pages_csv(path, time_zone)


__all__ = [
    "CSV_ROW_CAP",
    "PageHistory",
    "SkippedRow",
    "load_pages",
    "load_pages_csv",
    "load_pages_json",
    "pages_from_csv",
    "pages_from_json",
]
