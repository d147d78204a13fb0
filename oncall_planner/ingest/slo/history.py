"""SLI history files in: a CSV of counter samples, or Prometheus API JSON saved from a query.

:func:`load_sli_history` reads a file: a CSV of ``timestamp,good,total`` (or ``bad``) counter
samples, or Prometheus ``query_range``/``query`` JSON (see docs/slo.md); :func:`history_from_csv`
and :func:`history_from_json` read text and documents already in memory, and
:func:`history_to_csv` writes the CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from oncall_planner.errors import InputReadError, OnCallPlannerError
from oncall_planner.ingest.slo._common import _read_capped, _show
from oncall_planner.slo.replay import CounterSeries, SLIHistory
from oncall_planner.timeutil import TIMESTAMP_YEARS, parse_iso8601

# POSIX seconds of the years the library takes (1970 to 8999, as everywhere else).
_FIRST_SECOND = dt.datetime(TIMESTAMP_YEARS.start, 1, 1, tzinfo=dt.timezone.utc).timestamp()
_LAST_SECOND = dt.datetime(TIMESTAMP_YEARS.stop, 1, 1, tzinfo=dt.timezone.utc).timestamp()
_YEARS = f"the years {TIMESTAMP_YEARS.start} to {TIMESTAMP_YEARS.stop - 1}"


def _in_years(seconds: float) -> bool:
    return _FIRST_SECOND <= seconds < _LAST_SECOND


def _timestamp(text: str, where: str) -> float:
    value = text.strip()
    try:
        seconds = float(value)
    except ValueError:
        seconds = None
    if seconds is not None and math.isfinite(seconds):
        if not _in_years(seconds):
            raise InputReadError(
                f"{where}: timestamp {value[:40]} is not in {_YEARS} (POSIX seconds, not "
                "milliseconds)"
            )
        return seconds
    try:
        if seconds is not None:  # NaN or infinity
            raise ValueError(value)
        parsed = parse_iso8601(value)
    except (ValueError, OverflowError):
        raise InputReadError(
            f"{where}: timestamp must be POSIX seconds or an ISO 8601 date-time with an offset, "
            f"got {_show(text)}"
        ) from None
    if parsed.tzinfo is None:
        raise InputReadError(
            f"{where}: timestamp {_show(text)} has no UTC offset (add Z or +00:00)"
        )
    if not _in_years(parsed.timestamp()):
        raise InputReadError(f"{where}: timestamp {value[:40]} is not in {_YEARS}")
    return parsed.timestamp()


def _sample(text: str, where: str, field: str) -> float:
    value = text.strip()
    if value == "" or value.lower() in ("nan", "stale"):
        return math.nan  # no sample (a gap or a staleness marker)
    try:
        number = float(value)
    except ValueError:
        raise InputReadError(f"{where}: {field} must be a number, got {_show(text)}") from None
    if math.isinf(number) or number < 0:
        raise InputReadError(f"{where}: {field} must be a counter value ≥ 0, got {_show(text)}")
    return number


def history_from_csv(text: str, file: str = "<history>") -> SLIHistory:
    """``timestamp,good,total`` (or ``bad``) rows of counter samples: POSIX seconds or ISO 8601
    with an offset; an empty or ``NaN`` cell is no sample."""
    reader = csv.reader(io.StringIO(text))
    try:
        rows = [r for r in reader if any(c.strip() for c in r)]
    except csv.Error as exc:
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            raise InputReadError(
                f"{file}: line {line}: a cell is longer than {csv.field_size_limit():,} characters"
            ) from None
        raise InputReadError(f"{file}: line {line}: not valid CSV: {exc}") from None
    if not rows:
        raise InputReadError(f"{file}: the file is empty")
    header = [c.strip().lower() for c in rows[0]]
    side = "good" if "good" in header else "bad" if "bad" in header else None
    if "timestamp" not in header or "total" not in header or side is None:
        raise InputReadError(
            f"{file}: line 1: the header must name timestamp, good (or bad) and total, got "
            f"{_show(','.join(rows[0]))}"
        )
    ti, si, oi = header.index("timestamp"), header.index(side), header.index("total")
    times, counts, totals = [], [], []
    for n, row in enumerate(rows[1:], start=2):
        where = f"{file}: row {n - 1} (line {n})"
        if len(row) < len(header):
            raise InputReadError(f"{where}: {len(row)} cells, the header has {len(header)}")
        times.append(_timestamp(row[ti], where))
        counts.append(_sample(row[si], where, side))
        totals.append(_sample(row[oi], where, "total"))
    return _history({side: [(side, times, counts)], "total": [("total", times, totals)]}, file)


def _history(
    parts: Mapping[str, list[tuple[str, list[float], list[float]]]], file: str
) -> SLIHistory:
    try:
        series = {
            side: tuple(CounterSeries.of(name, t, v) for name, t, v in items)
            for side, items in parts.items()
        }
        return SLIHistory(**series, source=file)
    except OnCallPlannerError as exc:
        raise InputReadError(f"{file}: {exc}") from None


def _matrix(
    doc: Any, file: str, where: str
) -> list[tuple[dict[str, str], list[float], list[float]]]:
    if not isinstance(doc, Mapping):
        raise InputReadError(
            f"{file}: {where} must be a Prometheus API response, got {type(doc).__name__}"
        )
    if doc.get("status") not in (None, "success"):
        raise InputReadError(
            f"{file}: {where}: the response says {_show(doc.get('status'))}: {_show(str(doc.get('error', '')))}"
        )
    data = doc.get("data", doc)
    if not isinstance(data, Mapping) or data.get("resultType") != "matrix":
        raise InputReadError(
            f"{file}: {where}: expected a matrix result (query_range, or a range selector "
            f"through query), got {_show(data.get('resultType') if isinstance(data, Mapping) else data)}"
        )
    out = []
    for i, item in enumerate(data.get("result") or ()):
        w = f"{where} result[{i}]"
        if (
            not isinstance(item, Mapping)
            or not isinstance(item.get("values"), list)
            or not isinstance(item.get("metric") or {}, Mapping)
        ):
            raise InputReadError(f"{file}: {w}: expected metric and values")
        metric = {str(k): str(v) for k, v in (item.get("metric") or {}).items()}
        times, values = [], []
        for j, pair in enumerate(item["values"]):
            if not isinstance(pair, list) or len(pair) != 2:
                raise InputReadError(f'{file}: {w}.values[{j}]: expected [timestamp, "value"]')
            try:
                if isinstance(pair[0], bool):
                    raise TypeError(pair[0])
                stamp, value = float(pair[0]), float(pair[1])
            except (TypeError, ValueError, OverflowError):
                raise InputReadError(
                    f"{file}: {w}.values[{j}]: not a number: {_show(pair)}"
                ) from None
            if not _in_years(stamp):  # NaN is in no years
                raise InputReadError(
                    f"{file}: {w}.values[{j}]: the timestamp must be POSIX seconds in {_YEARS}, "
                    f"got {_show(pair[0])}"
                )
            if math.isinf(value) or value < 0:  # NaN stays: no sample, as in a CSV
                raise InputReadError(
                    f"{file}: {w}.values[{j}]: the value must be a counter value ≥ 0, got "
                    f"{_show(pair[1])}"
                )
            times.append(stamp)
            values.append(value)
        out.append((metric, times, values))
    return out


def _label_text(metric: Mapping[str, str]) -> str:
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(metric.items()))
    return "{" + inner + "}"


def history_from_json(doc: Any, file: str = "<history>") -> SLIHistory:
    """SLI history from Prometheus API JSON: either ``{"good"|"bad": response, "total":
    response}``, or one response whose series carry a label ``sli`` of ``good`` (or ``bad``) and
    ``total``. Each side may hold several series (their rates are summed)."""
    parts: dict[str, list[tuple[str, list[float], list[float]]]] = {}
    if isinstance(doc, Mapping) and "total" in doc and ("good" in doc or "bad" in doc):
        for side in ("good", "bad", "total"):
            if side in doc:
                parts[side] = [
                    (_label_text(m), t, v) for m, t, v in _matrix(doc[side], file, f"{side}:")
                ]
    else:
        for metric, t, v in _matrix(doc, file, "response"):
            label = metric.get("sli")
            if label not in ("good", "bad", "total"):
                raise InputReadError(
                    f'{file}: series {_label_text(metric)} has no label sli="good", "bad" '
                    'or "total"; label the series (label_replace) or save the sides apart as '
                    '{"good": ..., "total": ...}'
                )
            rest = {k: v for k, v in metric.items() if k != "sli"}
            parts.setdefault(str(label), []).append((_label_text(rest), t, v))
    if "total" not in parts or ("good" in parts) == ("bad" in parts):
        raise InputReadError(f"{file}: the history needs total series and good or bad ones")
    for side, items in parts.items():
        if not items:
            raise InputReadError(f"{file}: the {side} response has no series")
    return _history(parts, file)


#: The most a history file may hold, as much as one answer of ``--prometheus`` (a year of
#: one-minute samples of one counter pair is about 16 MB of CSV).
MAX_HISTORY_BYTES = 256 * 1024 * 1024


def load_sli_history(path: str | Path) -> SLIHistory:
    """SLI history from a file: CSV (``timestamp,good,total``) or Prometheus API JSON, at most
    :data:`MAX_HISTORY_BYTES` (a device or pipe that never ends stops there)."""
    file = Path(path)
    text = _read_capped(
        file, MAX_HISTORY_BYTES, "split the history or read fewer days", "utf-8-sig"
    )
    if text.lstrip().startswith(("{", "[")):
        try:
            # integers as floats: a 5,000-digit one is then out of range, not a ValueError
            doc = json.loads(text, parse_int=float)
        except json.JSONDecodeError as exc:
            raise InputReadError(f"{file}:{exc.lineno}: not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise InputReadError(f"{file}: not valid JSON here: nested too deeply") from None
        return history_from_json(doc, str(file))
    return history_from_csv(text, str(file))


def history_to_csv(times: Sequence[float], good: Sequence[float], total: Sequence[float]) -> str:
    """``timestamp,good,total`` rows (POSIX seconds, integer counters where whole)."""

    def num(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else repr(float(x))

    lines = ["timestamp,good,total"]
    lines += [f"{num(t)},{num(g)},{num(o)}" for t, g, o in zip(times, good, total, strict=True)]
    return "\n".join(lines) + "\n"


__all__ = ["history_from_csv", "history_from_json", "history_to_csv", "load_sli_history"]
