"""SLO specs and SLI history in: YAML spec files, history files, and a live Prometheus.

Specs (:func:`load_slo_spec`), told apart by their content:

- the article's ``slo-definition.yaml``: ``service``, then ``slos`` with ``name``,
  ``description``, ``target`` (``99.95%``), ``window`` (``30d``) and ``sli: {type: ratio,
  good: <PromQL>, total: <PromQL>}`` (``bad`` instead of ``good`` works too). An ``alerting``
  list per SLO (our extension) sets the alerts; without it the SRE workbook's are used;
- OpenSLO v1: ``SLO`` documents with an inline ``indicator`` or an ``indicatorRef`` to an
  ``SLI`` document (``ratioMetric`` with ``good`` or ``bad`` and ``total``), ``timeWindow``,
  ``objectives[0].target``, and ``alertPolicies`` (inline, or references to ``AlertPolicy``
  documents) whose conditions (inline, or references to ``AlertCondition`` documents) are of
  kind ``burnrate``;
- Sloth's ``prometheus/v1``: ``service``, ``slos`` with ``objective`` (a percentage),
  ``sli.events.error_query`` and ``total_query`` with ``{{.window}}``, and ``alerting``
  (``name``, ``labels``, ``annotations``, ``page_alert``, ``ticket_alert``): the page and ticket
  alerts are the workbook's (Sloth's own), over a 30-day window.

YAML is read with ``yaml.safe_load_all``: no tags, nothing executed. A spec that cannot be used
raises :class:`~oncall_planner.errors.InputReadError` naming the file and the field.

History (:func:`load_sli_history`): a CSV of ``timestamp,good,total`` (or ``bad``) counter
samples, or Prometheus ``query_range``/``query`` JSON (see docs/slo.md);
:func:`fetch_sli_history` asks a Prometheus server for the raw samples over HTTP.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import io
import json
import math
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import yaml

from oncall_planner.errors import InputReadError, OnCallPlannerError
from oncall_planner.slo.replay import CounterSeries, SLIHistory
from oncall_planner.slo.spec import (
    SLI,
    SLO,
    BurnRateAlert,
    BurnWindow,
    SLOSpec,
    default_alerts,
    parse_duration,
)
from oncall_planner.timeutil import parse_iso8601

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------
# Specs
# ---------------------------------------------------------------------------------------------


class _Where:
    """A file and a field path, for messages: ``spec.yaml: slos[0].sli.good``."""

    def __init__(self, file: str, path: str = "") -> None:
        self.file = file
        self.path = path

    def __truediv__(self, part: str | int) -> _Where:
        if isinstance(part, int):
            return _Where(self.file, f"{self.path}[{part}]")
        return _Where(self.file, f"{self.path}.{part}" if self.path else part)

    def error(self, message: str) -> InputReadError:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return InputReadError(f"{where}: {message}")


def _get(obj: Mapping[str, Any], key: str, where: _Where, kind: type | tuple[type, ...]) -> Any:
    if key not in obj or obj[key] is None:
        raise (where / key).error("is missing")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise (where / key).error(f"must be a {_noun(name)}, got {value!r}")
    return value


def _noun(name: str) -> str:
    return {"str": "string", "dict": "mapping", "list": "list", "int": "number"}.get(name, name)


def _text(obj: Mapping[str, Any], key: str, where: _Where) -> str:
    value = _get(obj, key, where, str)
    if not value.strip():
        raise (where / key).error("must not be empty")
    return str(value)


def _optional(obj: Mapping[str, Any], key: str, where: _Where, kind: type) -> Any:
    if obj.get(key) is None:
        return None
    return _get(obj, key, where, kind)


def _mapping(value: Any, where: _Where) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise where.error(f"must be a mapping, got {value!r}")
    return value


def _duration(obj: Mapping[str, Any], key: str, where: _Where) -> int:
    value = obj.get(key)
    if value is None:
        raise (where / key).error("is missing")
    try:
        return parse_duration(value, "")
    except OnCallPlannerError:
        raise (where / key).error(
            f"must be a duration such as 5m, 1h or 30d, got {value!r}"
        ) from None


def _objective(value: Any, where: _Where, *, percent: bool | None = None) -> float:
    """``99.95%``, ``99.95`` (a percentage when above 1) or ``0.9995`` as a fraction."""
    text = value
    is_percent = percent
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            text = text[:-1].strip()
            is_percent = True
        try:
            number = float(text)
        except ValueError:
            raise where.error(
                f"must be a percentage such as 99.95% or a fraction, got {value!r}"
            ) from None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        raise where.error(f"must be a percentage such as 99.95% or a fraction, got {value!r}")
    if is_percent is None:
        is_percent = number > 1
    # keep the decimal digits: 99.95% is 0.9995, not 0.9994999999999999
    fraction = float(Decimal(repr(number)) / 100) if is_percent else number
    if not math.isfinite(fraction) or fraction >= 1:
        raise where.error(
            f"{value!r} leaves no error budget; an SLO target must be below 100% "
            "(the budget is what is left up to 100%)"
        )
    if fraction <= 0:
        raise where.error(f"must be above 0%, got {value!r}")
    return fraction


def _labels(obj: Mapping[str, Any], key: str, where: _Where) -> dict[str, str]:
    value = obj.get(key)
    if value is None:
        return {}
    mapping = _mapping(value, where / key)
    out = {}
    for name, item in mapping.items():
        if not isinstance(name, str) or isinstance(item, (Mapping, list)) or item is None:
            raise (where / key / str(name)).error(f"must be a string, got {item!r}")
        out[name] = str(item)
    return out


def _query(obj: Mapping[str, Any], key: str, where: _Where) -> str:
    value = obj.get(key)
    if value is None:
        raise (where / key).error("is missing: the SLI needs a PromQL query here")
    if not isinstance(value, str) or not value.strip():
        raise (where / key).error(f"must be a PromQL query, got {value!r}")
    return value.strip()


def _article_alerts(value: Any, where: _Where) -> tuple[BurnRateAlert, ...]:
    if not isinstance(value, list) or not value:
        raise where.error("must be a list of alerts")
    out = []
    for i, item in enumerate(value):
        w = where / i
        alert = _mapping(item, w)
        windows_raw = _get(alert, "windows", w, list)
        windows = []
        for j, win in enumerate(windows_raw):
            ww = w / "windows" / j
            win_m = _mapping(win, ww)
            short = _duration(win_m, "short", ww) if win_m.get("short") is not None else None
            rate = _get(win_m, "burn_rate", ww, (int, float))
            windows.append(
                _make(
                    ww, BurnWindow, long=_duration(win_m, "long", ww), short=short, burn_rate=rate
                )
            )
        hold = _duration(alert, "for", w) if alert.get("for") not in (None, 0, "0", "0s") else 0
        kwargs: dict[str, Any] = {}
        if alert.get("page") is not None:
            if not isinstance(alert["page"], bool):
                raise (w / "page").error(f"must be true or false, got {alert['page']!r}")
            kwargs["page"] = alert["page"]
        out.append(
            _make(
                w,
                BurnRateAlert,
                name=_optional(alert, "name", w, str),
                severity=_text(alert, "severity", w),
                windows=windows,
                for_duration=hold,
                labels=_labels(alert, "labels", w),
                annotations=_labels(alert, "annotations", w),
                **kwargs,
            )
        )
    return tuple(out)


def _make(where: _Where, cls: type[T], **kwargs: Any) -> T:
    """Build a model value; its own validation errors get the file and field in front."""
    try:
        return cls(**kwargs)
    except OnCallPlannerError as exc:
        raise where.error(str(exc)) from None


def _article(doc: Mapping[str, Any], file: str) -> SLOSpec:
    root = _Where(file)
    service = _text(doc, "service", root)
    slos_raw = _get(doc, "slos", root, list)
    if not slos_raw:
        raise (root / "slos").error("must list at least one SLO")
    slos = []
    for i, item in enumerate(slos_raw):
        w = root / "slos" / i
        slo = _mapping(item, w)
        sli_w = w / "sli"
        sli = _mapping(_get(slo, "sli", w, dict), sli_w)
        kind = sli.get("type", "ratio")
        if kind != "ratio":
            raise (sli_w / "type").error(f"only ratio SLIs are supported, got {kind!r}")
        if sli.get("good") is not None and sli.get("bad") is not None:
            raise sli_w.error("give good or bad, not both")
        side = "bad" if sli.get("bad") is not None else "good"
        queries = {side: _query(sli, side, sli_w), "total": _query(sli, "total", sli_w)}
        alerts = _article_alerts(slo["alerting"], w / "alerting") if slo.get("alerting") else ()
        slos.append(
            _make(
                w,
                SLO,
                service=service,
                name=_text(slo, "name", w),
                description=str(slo.get("description") or ""),
                objective=_objective(slo.get("target"), w / "target")
                if slo.get("target") is not None
                else _missing(w / "target"),
                window=_duration(slo, "window", w),
                sli=_make(sli_w, SLI, **queries),
                alerts=alerts,
            )
        )
    return _make(root, SLOSpec, slos=slos, format="article", source=file)


def _missing(where: _Where) -> Any:
    raise where.error("is missing")


def _sloth(doc: Mapping[str, Any], file: str) -> SLOSpec:
    root = _Where(file)
    service = _text(doc, "service", root)
    common = _labels(doc, "labels", root)
    slos = []
    for i, item in enumerate(_get(doc, "slos", root, list)):
        w = root / "slos" / i
        slo = _mapping(item, w)
        sli_w = w / "sli"
        sli = _mapping(_get(slo, "sli", w, dict), sli_w)
        if sli.get("events") is None:
            raise sli_w.error("only events SLIs (error_query and total_query) are supported")
        events_w = sli_w / "events"
        events = _mapping(sli["events"], events_w)
        window = 30 * 86400
        alerting = _mapping(slo.get("alerting") or {}, w / "alerting")
        alerts = []
        page, ticket = default_alerts(window)
        base_name = _optional(alerting, "name", w / "alerting", str)
        for kind, template in (("page_alert", page), ("ticket_alert", ticket)):
            aw = w / "alerting" / kind
            spec = _mapping(alerting.get(kind) or {}, aw)
            if spec.get("disable") is True:
                continue
            labels = {**_labels(alerting, "labels", w / "alerting"), **_labels(spec, "labels", aw)}
            labels.setdefault("sloth_severity", "page" if kind == "page_alert" else "ticket")
            severity = labels.pop("severity", "critical" if kind == "page_alert" else "warning")
            alerts.append(
                _make(
                    aw,
                    BurnRateAlert,
                    name=base_name,
                    severity=severity,
                    page=kind == "page_alert",
                    windows=template.windows,
                    for_duration=0,
                    labels=labels,
                    annotations={
                        **_labels(alerting, "annotations", w / "alerting"),
                        **_labels(spec, "annotations", aw),
                    },
                )
            )
        slos.append(
            _make(
                w,
                SLO,
                service=service,
                name=_text(slo, "name", w),
                description=str(slo.get("description") or ""),
                objective=_objective(slo.get("objective"), w / "objective", percent=True)
                if slo.get("objective") is not None
                else _missing(w / "objective"),
                window=window,
                sli=_make(
                    events_w,
                    SLI,
                    bad=_query(events, "error_query", events_w),
                    total=_query(events, "total_query", events_w),
                ),
                alerts=tuple(alerts) or (),
                labels={**common, **_labels(slo, "labels", w)},
            )
        )
    return _make(root, SLOSpec, slos=slos, format="sloth", source=file)


def _openslo(docs: Sequence[Mapping[str, Any]], file: str) -> SLOSpec:
    root = _Where(file)
    named: dict[tuple[str, str], tuple[Mapping[str, Any], _Where]] = {}
    slo_docs = []
    for i, doc in enumerate(docs):
        w = _Where(file, f"document {i + 1}")
        kind = _text(doc, "kind", w)
        meta = _mapping(_get(doc, "metadata", w, dict), w / "metadata")
        name = _text(meta, "name", w / "metadata")
        named[(kind, name)] = (doc, w)
        if kind == "SLO":
            slo_docs.append((doc, w))
    if not slo_docs:
        raise root.error("has no OpenSLO document of kind SLO")

    def ref(kind: str, name: str, where: _Where) -> tuple[Mapping[str, Any], _Where]:
        if (kind, name) not in named:
            raise where.error(f"refers to {kind} {name!r}, which the file does not define")
        return named[(kind, name)]

    def metric_query(spec: Mapping[str, Any], key: str, w: _Where) -> str:
        part = _mapping(_get(spec, key, w, dict), w / key)
        source_w = w / key / "metricSource"
        source = _mapping(_get(part, "metricSource", w / key, dict), source_w)
        source_type = str(source.get("type", "Prometheus"))
        if source_type.lower() != "prometheus":
            raise (source_w / "type").error(
                f"only Prometheus sources are supported, got {source_type!r}"
            )
        return _query(
            _mapping(_get(source, "spec", source_w, dict), source_w / "spec"),
            "query",
            source_w / "spec",
        )

    slos = []
    for doc, w in slo_docs:
        spec_w = w / "spec"
        spec = _mapping(_get(doc, "spec", w, dict), spec_w)
        service = _text(spec, "service", spec_w)
        if spec.get("indicator") is not None:
            ind, ind_w = _mapping(spec["indicator"], spec_w / "indicator"), spec_w / "indicator"
        elif spec.get("indicatorRef") is not None:
            ind, ind_w = ref("SLI", str(spec["indicatorRef"]), spec_w / "indicatorRef")
        else:
            raise spec_w.error("needs an indicator or an indicatorRef")
        ind_spec_w = ind_w / "spec"
        ind_spec = _mapping(_get(ind, "spec", ind_w, dict), ind_spec_w)
        if ind_spec.get("ratioMetric") is None:
            raise ind_spec_w.error("only ratioMetric indicators are supported")
        ratio_w = ind_spec_w / "ratioMetric"
        ratio = _mapping(ind_spec["ratioMetric"], ratio_w)
        side = "bad" if ratio.get("bad") is not None else "good"
        if ratio.get(side) is None:
            raise (ratio_w / "good").error("is missing: give good or bad, and total")
        queries = {
            side: metric_query(ratio, side, ratio_w),
            "total": metric_query(ratio, "total", ratio_w),
        }
        windows = _get(spec, "timeWindow", spec_w, list)
        if not windows:
            raise (spec_w / "timeWindow").error("must have one entry")
        tw_w = spec_w / "timeWindow" / 0
        window = _duration(_mapping(windows[0], tw_w), "duration", tw_w)
        objectives = _get(spec, "objectives", spec_w, list)
        if not objectives:
            raise (spec_w / "objectives").error("must have one entry")
        obj_w = spec_w / "objectives" / 0
        obj = _mapping(objectives[0], obj_w)
        if obj.get("target") is not None:
            objective = _objective(obj["target"], obj_w / "target", percent=False)
        elif obj.get("targetPercent") is not None:
            objective = _objective(obj["targetPercent"], obj_w / "targetPercent", percent=True)
        else:
            raise (obj_w / "target").error("is missing")
        alerts = []
        for j, policy_item in enumerate(spec.get("alertPolicies") or ()):
            pw = spec_w / "alertPolicies" / j
            item = _mapping(policy_item, pw)
            if item.get("alertPolicyRef") is not None:
                policy, pw = ref("AlertPolicy", str(item["alertPolicyRef"]), pw / "alertPolicyRef")
            else:
                policy = item
            alerts.append(_openslo_alert(policy, pw, ref))
        meta = _mapping(doc["metadata"], w / "metadata")
        slos.append(
            _make(
                w,
                SLO,
                service=service,
                name=str(meta["name"]),
                description=str(spec.get("description") or ""),
                objective=objective,
                window=window,
                sli=_make(ratio_w, SLI, **queries),
                alerts=tuple(alerts),
            )
        )
    return _make(root, SLOSpec, slos=slos, format="openslo", source=file)


def _openslo_alert(policy: Mapping[str, Any], pw: _Where, ref: Any) -> BurnRateAlert:
    meta = _mapping(policy.get("metadata") or {}, pw / "metadata")
    spec_w = pw / "spec"
    spec = _mapping(_get(policy, "spec", pw, dict), spec_w)
    conditions = _get(spec, "conditions", spec_w, list)
    windows = []
    severities = set()
    holds = set()
    for k, cond_item in enumerate(conditions):
        cw = spec_w / "conditions" / k
        item = _mapping(cond_item, cw)
        if item.get("conditionRef") is not None:
            item, cw = ref("AlertCondition", str(item["conditionRef"]), cw / "conditionRef")
        cspec_w = cw / "spec"
        cspec = _mapping(_get(item, "spec", cw, dict), cspec_w)
        severities.add(_text(cspec, "severity", cspec_w))
        cond_w = cspec_w / "condition"
        cond = _mapping(_get(cspec, "condition", cspec_w, dict), cond_w)
        kind = str(cond.get("kind", "")).replace("-", "").lower()
        if kind != "burnrate":
            raise (cond_w / "kind").error(
                f"only burnrate conditions are supported, got {cond.get('kind')!r}"
            )
        op = {"gt": ">", "gte": ">="}.get(str(cond.get("op", "gt")))
        if op is None:
            raise (cond_w / "op").error(
                f"must be gt or gte for a burn rate, got {cond.get('op')!r}"
            )
        holds.add(_duration(cond, "alertAfter", cond_w) if cond.get("alertAfter") else 0)
        windows.append(
            _make(
                cond_w,
                BurnWindow,
                long=_duration(cond, "lookbackWindow", cond_w),
                burn_rate=_get(cond, "threshold", cond_w, (int, float)),
                op=op,
            )
        )
    if len(severities) > 1 or len(holds) > 1:
        raise (spec_w / "conditions").error(
            "conditions of one alert policy must share severity and alertAfter; "
            "use one AlertPolicy per severity"
        )
    from oncall_planner.slo.rules import camel

    name = meta.get("name")
    return _make(
        pw,
        BurnRateAlert,
        name=camel(str(name)) if name else None,
        severity=severities.pop(),
        windows=windows,
        for_duration=holds.pop(),
    )


def slo_spec_from_documents(docs: Sequence[Any], file: str = "<spec>") -> SLOSpec:
    """The spec in already-parsed YAML documents (the format is told by their content)."""
    docs = [d for d in docs if d is not None]
    if not docs:
        raise InputReadError(f"{file}: the file is empty")
    for i, doc in enumerate(docs):
        if not isinstance(doc, Mapping):
            raise InputReadError(f"{file}: document {i + 1} must be a mapping, got {doc!r}")
    first = docs[0]
    if any(str(d.get("apiVersion", "")).startswith("openslo/") for d in docs):
        versions = {str(d.get("apiVersion")) for d in docs}
        if versions != {"openslo/v1"}:
            raise InputReadError(
                f"{file}: apiVersion must be openslo/v1, got {', '.join(sorted(versions))}"
            )
        return _openslo(docs, file)
    if len(docs) > 1:
        raise InputReadError(f"{file}: several YAML documents, but none is OpenSLO")
    if first.get("version") == "prometheus/v1":
        return _sloth(first, file)
    if "version" in first and "slos" in first:
        raise InputReadError(
            f"{file}: version must be prometheus/v1 for a Sloth spec, got {first['version']!r}"
        )
    if "slos" in first or "service" in first:
        return _article(first, file)
    raise InputReadError(
        f"{file}: not an SLO spec: expected the article's format (service, slos), "
        "OpenSLO v1 (apiVersion: openslo/v1) or Sloth (version: prometheus/v1)"
    )


def load_slo_spec(path: str | Path) -> SLOSpec:
    """The SLO spec in a YAML file: the article's format, OpenSLO v1 or Sloth prometheus/v1."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputReadError(f"{file}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputReadError(f"{file}: cannot be read: {exc}") from None
    try:
        docs = list(yaml.safe_load_all(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputReadError(f"{file}{line}: not valid YAML: {problem}") from None
    return slo_spec_from_documents(docs, str(file))


# ---------------------------------------------------------------------------------------------
# SLI history
# ---------------------------------------------------------------------------------------------


def _timestamp(text: str, where: str) -> float:
    value = text.strip()
    try:
        return float(value)
    except ValueError:
        pass
    try:
        parsed = parse_iso8601(value)
    except ValueError:
        raise InputReadError(
            f"{where}: timestamp must be POSIX seconds or an ISO 8601 date-time with an offset, "
            f"got {text!r}"
        ) from None
    if parsed.tzinfo is None:
        raise InputReadError(f"{where}: timestamp {text!r} has no UTC offset (add Z or +00:00)")
    return parsed.timestamp()


def _sample(text: str, where: str, field: str) -> float:
    value = text.strip()
    if value == "" or value.lower() in ("nan", "stale"):
        return math.nan  # no sample (a gap or a staleness marker)
    try:
        number = float(value)
    except ValueError:
        raise InputReadError(f"{where}: {field} must be a number, got {text!r}") from None
    if math.isinf(number) or number < 0:
        raise InputReadError(f"{where}: {field} must be a counter value ≥ 0, got {text!r}")
    return number


def history_from_csv(text: str, file: str = "<history>") -> SLIHistory:
    """``timestamp,good,total`` (or ``bad``) rows of counter samples: POSIX seconds or ISO 8601
    with an offset; an empty or ``NaN`` cell is no sample."""
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputReadError(f"{file}: the file is empty")
    header = [c.strip().lower() for c in rows[0]]
    side = "good" if "good" in header else "bad" if "bad" in header else None
    if "timestamp" not in header or "total" not in header or side is None:
        raise InputReadError(
            f"{file}: line 1: the header must name timestamp, good (or bad) and total, got "
            f"{','.join(rows[0])!r}"
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
            f"{file}: {where}: the response says {doc.get('status')!r}: {doc.get('error', '')}"
        )
    data = doc.get("data", doc)
    if not isinstance(data, Mapping) or data.get("resultType") != "matrix":
        raise InputReadError(
            f"{file}: {where}: expected a matrix result (query_range, or a range selector "
            f"through query), got {data.get('resultType') if isinstance(data, Mapping) else data!r}"
        )
    out = []
    for i, item in enumerate(data.get("result") or ()):
        w = f"{where} result[{i}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("values"), list):
            raise InputReadError(f"{file}: {w}: expected metric and values")
        metric = {str(k): str(v) for k, v in (item.get("metric") or {}).items()}
        times, values = [], []
        for j, pair in enumerate(item["values"]):
            if not isinstance(pair, list) or len(pair) != 2:
                raise InputReadError(f'{file}: {w}.values[{j}]: expected [timestamp, "value"]')
            try:
                times.append(float(pair[0]))
                values.append(float(pair[1]))
            except (TypeError, ValueError):
                raise InputReadError(f"{file}: {w}.values[{j}]: not a number: {pair!r}") from None
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


def load_sli_history(path: str | Path) -> SLIHistory:
    """SLI history from a file: CSV (``timestamp,good,total``) or Prometheus API JSON."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputReadError(f"{file}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputReadError(f"{file}: cannot be read: {exc}") from None
    if text.lstrip().startswith(("{", "[")):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputReadError(f"{file}:{exc.lineno}: not valid JSON: {exc.msg}") from None
        return history_from_json(doc, str(file))
    return history_from_csv(text, str(file))


_SUM_RATE = re.compile(
    r"^\s*sum\s*\(\s*(?:rate|increase)\s*\(\s*(?P<sel>[^\[\]()]+?)\s*\[[^\]]+\]\s*\)\s*\)\s*$"
)


def counter_selector(query: str) -> str:
    """The counter selector inside ``sum(rate(selector[5m]))`` (also with ``{{.window}}``), or a
    bare selector as it is: what :func:`fetch_sli_history` asks Prometheus for."""
    from oncall_planner.slo.rules import _SELECTOR, _WINDOW

    text = _WINDOW.sub("5m", query.strip())
    match = _SUM_RATE.match(text)
    if match:
        return match.group("sel").strip()
    if _SELECTOR.match(text):
        return text
    raise InputReadError(
        f"--prometheus reads raw counter samples, so each SLI query must be "
        f"sum(rate(selector[window])) or a bare counter selector, got {query.strip()!r}; "
        "save the history with query_range instead (docs/slo.md)"
    )


def _split_credentials(url: str) -> tuple[str, dict[str, str]]:
    """The URL without ``user:password@`` and the Basic authorization header it gave, so that
    credentials go in a header and never into a message."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, {}
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    token = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
    header = "Basic " + base64.b64encode(token.encode("utf-8")).decode("ascii")
    return parts._replace(netloc=netloc).geturl(), {"Authorization": header}


def _get_json(url: str, timeout: float, headers: Mapping[str, str] | None = None) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json", **(headers or {})})
    shown = urllib.parse.urlsplit(url)._replace(query="", fragment="").geturl()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        detail = ""
        with contextlib.suppress(ValueError, AttributeError):
            detail = json.loads(exc.read().decode("utf-8")).get("error", "")
        raise InputReadError(f"{shown}: HTTP {exc.code} {detail}".rstrip()) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputReadError(f"{shown}: cannot reach Prometheus: {reason}") from None
    except ValueError:
        raise InputReadError(f"{shown}: the answer is not JSON") from None


def fetch_sli_history(
    url: str,
    slo: SLO,
    since: dt.datetime,
    until: dt.datetime,
    *,
    chunk: int = 86400,
    timeout: float = 30.0,
) -> SLIHistory:
    """The raw samples of the SLO's counters in ``[since, until]`` from the Prometheus at
    ``url`` (``/api/v1/query`` with a range selector, a day at a time), so the replay sees
    exactly what Prometheus's rules would. Credentials in the URL are never shown in errors."""
    base, headers = _split_credentials(url.rstrip("/"))
    sides = {"total": slo.sli.total}
    sides["bad" if slo.sli.bad is not None else "good"] = slo.sli.bad or slo.sli.good or ""
    selectors = {side: counter_selector(q) for side, q in sides.items()}
    start, end = since.timestamp(), until.timestamp()
    parts: dict[str, list[tuple[str, list[float], list[float]]]] = {}
    for side, selector in selectors.items():
        merged: dict[str, dict[float, float]] = {}
        at = start
        while at < end:
            stop = min(at + chunk, end)
            query = f"{selector}[{round(stop - at)}s]"
            params = urllib.parse.urlencode({"query": query, "time": f"{stop:.3f}"})
            doc = _get_json(f"{base}/api/v1/query?{params}", timeout, headers)
            for metric, times, values in _matrix(doc, base, side):
                series = merged.setdefault(_label_text(metric), {})
                series.update(zip(times, values, strict=True))
            at = stop
        parts[side] = [
            (name, sorted(points), [points[t] for t in sorted(points)])
            for name, points in sorted(merged.items())
        ]
        if not parts[side]:
            raise InputReadError(f"{base}: no samples of {selector} between {since} and {until}")
    return _history(parts, base)


def history_to_csv(times: Sequence[float], good: Sequence[float], total: Sequence[float]) -> str:
    """``timestamp,good,total`` rows (POSIX seconds, integer counters where whole)."""

    def num(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else repr(float(x))

    lines = ["timestamp,good,total"]
    lines += [f"{num(t)},{num(g)},{num(o)}" for t, g, o in zip(times, good, total, strict=True)]
    return "\n".join(lines) + "\n"


__all__ = [
    "counter_selector",
    "fetch_sli_history",
    "history_from_csv",
    "history_from_json",
    "history_to_csv",
    "load_sli_history",
    "load_slo_spec",
    "slo_spec_from_documents",
]
