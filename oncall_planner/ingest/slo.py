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
  kind ``burnrate``; the ``budgetingMethod`` is ``Occurrences`` (time slices are refused);
- Sloth's ``prometheus/v1``: ``service``, ``slos`` with ``objective`` (a percentage),
  ``sli.events.error_query`` and ``total_query`` with ``{{.window}}``, and ``alerting``
  (``name``, ``labels``, ``annotations``, ``page_alert``, ``ticket_alert``): the page and ticket
  alerts are the workbook's (Sloth's own), over a 30-day window.

YAML is read safely: no tags, nothing executed, and size, alias expansion and depth bounded. A
spec that cannot be used raises :class:`~oncall_planner.errors.InputReadError` naming the file
and the field.

History (:func:`load_sli_history`): a CSV of ``timestamp,good,total`` (or ``bad``) counter
samples, or Prometheus ``query_range``/``query`` JSON (see docs/slo.md);
:func:`fetch_sli_history` asks a Prometheus server for the raw samples over HTTP.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import difflib
import http.client
import io
import json
import math
import re
import reprlib
import socket
import threading
import time
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
from oncall_planner.slo.rules import window_query_kind
from oncall_planner.slo.spec import (
    SLI,
    SLO,
    BurnRateAlert,
    BurnWindow,
    SLOSpec,
    default_alerts,
    parse_duration,
)
from oncall_planner.timeutil import TIMESTAMP_YEARS, parse_iso8601

T = TypeVar("T")

_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 80
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6
_REPR.maxlevel = 3


def _show(value: object) -> str:
    """``repr(value)`` cut short (long strings, big lists, deep nesting), for messages: an
    input value never makes an error message longer than a line or two."""
    return _REPR.repr(value)


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
        raise (where / key).error(f"must be a {_noun(name)}, got {_show(value)}")
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
        raise where.error(f"must be a mapping, got {_show(value)}")
    return value


def _duration(obj: Mapping[str, Any], key: str, where: _Where) -> int:
    value = obj.get(key)
    if value is None:
        raise (where / key).error("is missing")
    try:
        return parse_duration(value, "")
    except OnCallPlannerError:
        raise (where / key).error(
            f"must be a duration such as 5m, 1h or 30d, got {_show(value)}"
        ) from None


_ZERO = re.compile(r"^(?:0+[ywdhms])+$")


def _hold(obj: Mapping[str, Any], key: str, where: _Where) -> int:
    """A ``for:`` duration: absent, ``0``, ``0s`` or ``0m`` is no wait at all."""
    value = obj.get(key)
    if value is None or value == 0 or (isinstance(value, str) and _ZERO.match(value.strip())):
        return 0
    if isinstance(value, str) and value.strip() == "0":
        return 0
    return _duration(obj, key, where)


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
                f"must be a percentage such as 99.95% or a fraction, got {_show(value)}"
            ) from None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        raise where.error(f"must be a percentage such as 99.95% or a fraction, got {_show(value)}")
    if is_percent is None:
        is_percent = number > 1
    # keep the decimal digits: 99.95% is 0.9995, not 0.9994999999999999
    fraction = float(Decimal(repr(number)) / 100) if is_percent else number
    if not math.isfinite(fraction):
        raise where.error(f"must be a number below 100%, got {_show(value)}")
    if fraction >= 1:
        raise where.error(
            f"{_show(value)} leaves no error budget; an SLO target must be below 100% "
            "(the budget is what is left up to 100%)"
        )
    if fraction <= 0:
        raise where.error(f"must be above 0%, got {_show(value)}")
    return fraction


def _labels(obj: Mapping[str, Any], key: str, where: _Where) -> dict[str, str]:
    value = obj.get(key)
    if value is None:
        return {}
    mapping = _mapping(value, where / key)
    out = {}
    for name, item in mapping.items():
        if not isinstance(name, str) or isinstance(item, (Mapping, list)) or item is None:
            raise (where / key / str(name)).error(f"must be a string, got {_show(item)}")
        out[name] = str(item)
    return out


def _query(obj: Mapping[str, Any], key: str, where: _Where) -> str:
    value = obj.get(key)
    if value is None:
        raise (where / key).error("is missing: the SLI needs a PromQL query here")
    if not isinstance(value, str) or not value.strip():
        raise (where / key).error(f"must be a PromQL query, got {_show(value)}")
    return value.strip()


_ALERT_FIELDS = ("name", "severity", "windows", "for", "page", "labels", "annotations")
_WINDOW_FIELDS = ("long", "short", "burn_rate")


def _known_fields(obj: Mapping[Any, Any], fields: tuple[str, ...], where: _Where) -> None:
    """Refuse a field ``fields`` does not name: in our own ``alerting`` extension a misspelt
    field (``shrt``, ``fr``) would otherwise change the alert without a word."""
    for key in obj:
        if key not in fields:
            raise where.error(f"unknown field {_show(key)}; the fields are {', '.join(fields)}")


_ARTICLE_FIELDS = ("service", "slos")
_ARTICLE_SLO_FIELDS = ("name", "description", "target", "window", "sli", "alerting")
_ARTICLE_SLI_FIELDS = ("type", "good", "bad", "total")


def _no_misspelling(obj: Mapping[Any, Any], fields: tuple[str, ...], where: _Where) -> None:
    """Refuse a field that is a near miss of one the article's format reads (``alertng``,
    ``traget``): it would otherwise be ignored and the SLO quietly take the defaults. Other
    fields (a team's own metadata) are ignored, as the article's readers ignore them."""
    for key in obj:
        if isinstance(key, str) and key not in fields:
            close = difflib.get_close_matches(key, fields, n=1, cutoff=0.75)
            if close:
                raise where.error(f"unknown field {_show(key)}; did you mean {close[0]!r}?")


def _article_alerts(value: Any, where: _Where) -> tuple[BurnRateAlert, ...]:
    if not isinstance(value, list) or not value:
        raise where.error("must be a list of alerts")
    out = []
    for i, item in enumerate(value):
        w = where / i
        alert = _mapping(item, w)
        _known_fields(alert, _ALERT_FIELDS, w)
        windows_raw = _get(alert, "windows", w, list)
        windows = []
        for j, win in enumerate(windows_raw):
            ww = w / "windows" / j
            win_m = _mapping(win, ww)
            _known_fields(win_m, _WINDOW_FIELDS, ww)
            short = _duration(win_m, "short", ww) if win_m.get("short") is not None else None
            rate = _get(win_m, "burn_rate", ww, (int, float))
            windows.append(
                _make(
                    ww, BurnWindow, long=_duration(win_m, "long", ww), short=short, burn_rate=rate
                )
            )
        hold = _hold(alert, "for", w)
        kwargs: dict[str, Any] = {}
        if alert.get("page") is not None:
            if not isinstance(alert["page"], bool):
                raise (w / "page").error(f"must be true or false, got {_show(alert['page'])}")
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
    _no_misspelling(doc, _ARTICLE_FIELDS, root)
    service = _text(doc, "service", root)
    slos_raw = _get(doc, "slos", root, list)
    if not slos_raw:
        raise (root / "slos").error("must list at least one SLO")
    slos = []
    for i, item in enumerate(slos_raw):
        w = root / "slos" / i
        slo = _mapping(item, w)
        _no_misspelling(slo, _ARTICLE_SLO_FIELDS, w)
        sli_w = w / "sli"
        sli = _mapping(_get(slo, "sli", w, dict), sli_w)
        _no_misspelling(sli, _ARTICLE_SLI_FIELDS, sli_w)
        kind = sli.get("type", "ratio")
        if kind != "ratio":
            raise (sli_w / "type").error(f"only ratio SLIs are supported, got {_show(kind)}")
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


#: Sloth's contrib plugin that sets the alerts' ``for`` from ``page_alert.for`` and
#: ``ticket_alert.for`` (Sloth's core plugins ignore those fields).
SLOTH_ALERT_FOR = "sloth.dev/contrib/alert_for/v1"


def _sloth_plugins(obj: Mapping[str, Any]) -> set[str]:
    plugins = obj.get("slo_plugins")
    chain = plugins.get("chain") if isinstance(plugins, Mapping) else None
    if not isinstance(chain, list):
        return set()
    return {str(p.get("id")) for p in chain if isinstance(p, Mapping)}


def _sloth(doc: Mapping[str, Any], file: str) -> SLOSpec:
    root = _Where(file)
    service = _text(doc, "service", root)
    common = _labels(doc, "labels", root)
    spec_plugins = _sloth_plugins(doc)
    slos = []
    for i, item in enumerate(_get(doc, "slos", root, list)):
        w = root / "slos" / i
        slo = _mapping(item, w)
        _no_misspelling(slo, _ARTICLE_SLO_FIELDS, w)
        sli_w = w / "sli"
        sli = _mapping(_get(slo, "sli", w, dict), sli_w)
        _no_misspelling(sli, _ARTICLE_SLI_FIELDS, sli_w)
        if sli.get("events") is None:
            raise sli_w.error("only events SLIs (error_query and total_query) are supported")
        events_w = sli_w / "events"
        events = _mapping(sli["events"], events_w)
        window = 30 * 86400
        alerting = _mapping(slo.get("alerting") or {}, w / "alerting")
        alerts = []
        page, ticket = default_alerts(window)
        base_name = _optional(alerting, "name", w / "alerting", str)
        alert_for = SLOTH_ALERT_FOR in spec_plugins | _sloth_plugins(slo)
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
                    for_duration=_hold(spec, "for", aw) if alert_for else 0,
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
            raise where.error(f"refers to {kind} {_show(name)}, which the file does not define")
        return named[(kind, name)]

    def metric_query(spec: Mapping[str, Any], key: str, w: _Where) -> str:
        part = _mapping(_get(spec, key, w, dict), w / key)
        source_w = w / key / "metricSource"
        source = _mapping(_get(part, "metricSource", w / key, dict), source_w)
        source_type = str(source.get("type", "Prometheus"))
        if source_type.lower() != "prometheus":
            raise (source_w / "type").error(
                f"only Prometheus sources are supported, got {_show(source_type)}"
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
        if ratio.get("counter") is False:  # a gauge: wrapping it in rate() would be wrong
            for key, query in queries.items():
                if window_query_kind(query) == "selector":
                    raise (ratio_w / key).error(
                        "with counter: false the query is a gauge, which cannot be put over the "
                        f"alert windows as it is ({_show(query)}); write it with a range, such "
                        "as avg_over_time(metric[5m]), or say counter: true"
                    )
        windows = _get(spec, "timeWindow", spec_w, list)
        if len(windows) != 1:
            raise (spec_w / "timeWindow").error(f"must have one entry, has {len(windows)}")
        tw_w = spec_w / "timeWindow" / 0
        time_window = _mapping(windows[0], tw_w)
        if time_window.get("isRolling", True) is not True or time_window.get("calendar"):
            # a calendar window's budget resets at its start: the burn-rate alerts and the
            # backtest assume a window that rolls, so reading it as one would change the SLO
            raise (tw_w / "isRolling").error(
                "only rolling windows are supported (isRolling: true, no calendar): the "
                "burn-rate alerts spend the budget of a window that rolls, got "
                f"isRolling: {_show(time_window.get('isRolling'))}"
            )
        window = _duration(time_window, "duration", tw_w)
        method = spec.get("budgetingMethod")
        if method is not None and method != "Occurrences":
            # a time-slice budget counts good minutes, not good requests: the burn-rate alerts
            # on the request ratio would watch another SLO
            raise (spec_w / "budgetingMethod").error(
                f"only Occurrences is supported (the alerts count requests), got {_show(method)}"
            )
        objectives = _get(spec, "objectives", spec_w, list)
        if len(objectives) != 1:  # burn rates are relative to one target
            raise (spec_w / "objectives").error(
                f"must have one entry, has {len(objectives)}: the burn rates are relative to "
                "one target, so give each objective an SLO of its own"
            )
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
                f"only burnrate conditions are supported, got {_show(cond.get('kind'))}"
            )
        op = {"gt": ">", "gte": ">="}.get(str(cond.get("op", "gt")))
        if op is None:
            raise (cond_w / "op").error(
                f"must be gt or gte for a burn rate, got {_show(cond.get('op'))}"
            )
        holds.add(_hold(cond, "alertAfter", cond_w))
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
            # a CSV, a list or a word read as YAML: say what it is without quoting the file
            kind = (
                "a list"
                if isinstance(doc, list)
                else "plain text"
                if isinstance(doc, str)
                else "a single value"
            )
            where = f"document {i + 1}" if len(docs) > 1 else "the file"
            raise InputReadError(
                f"{file}: not an SLO spec: {where} is {kind}, not a YAML mapping; {_SPEC_KINDS}"
            )
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
            f"{file}: version must be prometheus/v1 for a Sloth spec, got {_show(first['version'])}"
        )
    if "slos" in first or "service" in first:
        return _article(first, file)
    raise InputReadError(f"{file}: not an SLO spec: {_SPEC_KINDS}")


_SPEC_KINDS = (
    "expected the article's format (service, slos), OpenSLO v1 (apiVersion: openslo/v1) or "
    "Sloth (version: prometheus/v1)"
)


#: The largest spec file read: a spec with a hundred SLOs is a few dozen kilobytes.
MAX_SPEC_BYTES = 4 * 1024 * 1024
#: The most values a spec may hold once its aliases are expanded (a "billion laughs" holds a
#: billion in a few hundred bytes) and how deep its collections may nest.
MAX_SPEC_VALUES = 100_000
MAX_SPEC_DEPTH = 64

# libyaml's parser when PyYAML has it (much faster); the pure-Python one otherwise.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _line(event: Any) -> str:
    mark = getattr(event, "start_mark", None)
    return f":{mark.line + 1}" if mark is not None else ""


def _check_yaml_shape(text: str, file: str, loader: Any = None) -> None:
    """Refuse YAML that would expand past :data:`MAX_SPEC_VALUES` values through its aliases,
    refers to itself, or nests deeper than :data:`MAX_SPEC_DEPTH`, from the event stream alone
    (the parser keeps its own stack, so this needs no recursion and builds nothing)."""
    sizes: dict[str, int] = {}  # anchor -> values it stands for, once complete
    stack: list[list[Any]] = [[None, 0]]  # per open collection: its anchor, values so far
    total = 0

    def add(count: int) -> None:
        nonlocal total
        stack[-1][1] += count
        if stack[-1][1] > MAX_SPEC_VALUES or total + stack[0][1] > MAX_SPEC_VALUES:
            raise InputReadError(
                f"{file}: holds more than {MAX_SPEC_VALUES:,} values once its aliases are "
                "expanded; an SLO spec is far smaller (is it a YAML bomb?)"
            )

    for event in yaml.parse(text, Loader=loader or _Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) > MAX_SPEC_DEPTH:
                raise InputReadError(
                    f"{file}{_line(event)}: nested more than {MAX_SPEC_DEPTH} "
                    "levels deep; an SLO spec is far flatter"
                )
            stack.append([event.anchor, 1])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, count = stack.pop()
            if anchor is not None:
                sizes[anchor] = count
            add(count)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            add(1)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in sizes:  # still open: the alias is inside its own anchor
                raise InputReadError(
                    f"{file}{_line(event)}: the alias *{event.anchor} refers to itself"
                )
            add(sizes[event.anchor])
        elif isinstance(event, yaml.DocumentEndEvent):
            total += stack[0][1]
            stack[0][1] = 0


def _yaml_error(exc: yaml.YAMLError, file: str) -> InputReadError:
    mark = getattr(exc, "problem_mark", None)
    line = f":{mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return InputReadError(f"{file}{line}: not valid YAML: {problem}")


def _yaml_documents(text: str, file: str) -> list[Any]:
    try:
        _check_yaml_shape(text, file)
        return list(yaml.load_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        if _Loader is not yaml.SafeLoader:
            # Say what is wrong as the pure-Python parser does (its lines and words), so the
            # message does not depend on whether libyaml is installed.
            try:
                _check_yaml_shape(text, file, yaml.SafeLoader)
            except yaml.YAMLError as pure:
                raise _yaml_error(pure, file) from None
        raise _yaml_error(exc, file) from None


def _read_capped(file: Path, limit: int, hint: str, encoding: str) -> str:
    """The text of ``file``, read up to ``limit`` bytes (a pipe or device that never ends stops
    there); every failure is one :class:`InputReadError` naming the file."""
    try:
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise InputReadError(f"{file}: is larger than {_bytes(limit)}; {hint}")
        return data.decode(encoding)
    except FileNotFoundError:
        raise InputReadError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise InputReadError(f"{file}: is a folder; name the file in it") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputReadError(f"{file}: cannot be read: {exc}") from None


def load_slo_spec(path: str | Path) -> SLOSpec:
    """The SLO spec in a YAML file: the article's format, OpenSLO v1 or Sloth prometheus/v1.

    Read safely: no tags (nothing is executed), at most :data:`MAX_SPEC_BYTES`, and no more
    than :data:`MAX_SPEC_VALUES` values once aliases are expanded, nested at most
    :data:`MAX_SPEC_DEPTH` deep."""
    file = Path(path)
    text = _read_capped(file, MAX_SPEC_BYTES, "an SLO spec is a few kilobytes", "utf-8")
    return slo_spec_from_documents(_yaml_documents(text, str(file)), str(file))


# ---------------------------------------------------------------------------------------------
# SLI history
# ---------------------------------------------------------------------------------------------


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


def _bytes(size: int) -> str:
    mib = 1024 * 1024
    return f"{size // mib} MiB" if size % mib == 0 else f"{size:,} bytes"


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
        f"sum(rate(selector[window])) or a bare counter selector, got {_show(query.strip())}; "
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


#: The most one answer from Prometheus may hold (a day of one series scraped every 15 s is
#: about 200 KB).
MAX_ANSWER_BYTES = 256 * 1024 * 1024


class _Deadline:
    """One request's deadline: when it passes, every socket the request opened is shut down,
    so a server that answers a byte at a time cannot hold the read for ever (a socket timeout
    only bounds the wait for each byte)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.001, self.at - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # the plain socket's shutdown, under any TLS
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _WatchedHTTP(http.client.HTTPConnection):
    deadline: _Deadline

    def connect(self) -> None:
        self.timeout = min(self.timeout or self.deadline.remaining(), self.deadline.remaining())
        super().connect()
        self.deadline.watch(self.sock)


class _WatchedHTTPS(http.client.HTTPSConnection):
    deadline: _Deadline

    def connect(self) -> None:
        self.timeout = min(self.timeout or self.deadline.remaining(), self.deadline.remaining())
        super().connect()
        self.deadline.watch(self.sock)


def _same_site(old: str, new: str) -> bool:
    """Whether credentials for ``old`` may go to ``new``: the same host and port, or the same
    host moving from http to https on the default ports."""
    a, b = urllib.parse.urlsplit(old), urllib.parse.urlsplit(new)
    if a.hostname != b.hostname:
        return False
    if a.scheme == b.scheme:
        return a.port == b.port
    return (
        (a.scheme, b.scheme) == ("http", "https")
        and a.port in (None, 80)
        and b.port
        in (
            None,
            443,
        )
    )


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows http and https redirects only, and drops the Authorization header when one
    leads to another site (urllib would send it on to any host)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        scheme = urllib.parse.urlsplit(newurl).scheme
        if scheme not in ("http", "https"):
            shown = urllib.parse.urlsplit(req.full_url)._replace(query="", netloc=_host(req))
            raise InputReadError(
                f"{shown.geturl()}: redirected to {_show(newurl)[1:-1]}; only http and https "
                "redirects are followed"
            )
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and not _same_site(req.full_url, new.full_url):
            new.remove_header("Authorization")
        return new


def _host(req: urllib.request.Request) -> str:
    parts = urllib.parse.urlsplit(req.full_url)
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname or ""


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    class Plain(_WatchedHTTP):
        pass

    class Secure(_WatchedHTTPS):
        pass

    Plain.deadline = Secure.deadline = deadline

    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Plain, req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            context = getattr(self, "_context", None)
            return self.do_open(Secure, req, context=context)

    return urllib.request.build_opener(HTTP(), HTTPS(), _Redirects())


def _read_bounded(response: Any, shown: str) -> bytes:
    chunks, size = [], 0
    while block := response.read(65536):
        size += len(block)
        if size > MAX_ANSWER_BYTES:
            raise InputReadError(f"{shown}: the answer is larger than {MAX_ANSWER_BYTES:,} bytes")
        chunks.append(block)
    return b"".join(chunks)


def _get_json(url: str, timeout: float, headers: Mapping[str, str] | None = None) -> Any:
    """The JSON answer to a GET of ``url``, all of it within ``timeout`` seconds and
    :data:`MAX_ANSWER_BYTES`; redirects only to http(s), credentials only to the same site."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", **(headers or {})})
    shown = urllib.parse.urlsplit(url)._replace(query="", fragment="").geturl()
    deadline = _Deadline(timeout)
    late = InputReadError(f"{shown}: no answer within {timeout:g} s")
    try:
        with _opener(deadline).open(request, timeout=timeout) as response:
            data = _read_bounded(response, shown)
        if deadline.expired:
            raise late
        return json.loads(data.decode("utf-8"))
    except urllib.error.HTTPError as exc:
        if deadline.expired:
            raise late from None
        detail = ""
        with contextlib.suppress(ValueError, AttributeError, OSError, http.client.HTTPException):
            detail = str(json.loads(exc.read(65536).decode("utf-8")).get("error", ""))
        raise InputReadError(f"{shown}: HTTP {exc.code} {_show(detail)[1:-1]}".rstrip()) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        if deadline.expired:
            raise late from None
        reason = getattr(exc, "reason", exc)
        raise InputReadError(f"{shown}: cannot reach Prometheus: {reason}") from None
    except ValueError:
        if deadline.expired:
            raise late from None
        raise InputReadError(f"{shown}: the answer is not JSON") from None
    finally:
        deadline.cancel()


def fetch_sli_history(
    url: str,
    slo: SLO,
    since: dt.datetime,
    until: dt.datetime,
    *,
    chunk: int = 86400,
    timeout: float = 60.0,
) -> SLIHistory:
    """The raw samples of the SLO's counters in ``[since, until]`` from the Prometheus at
    ``url`` (``/api/v1/query`` with a range selector, a day at a time), so the replay sees
    exactly what Prometheus's rules would. Credentials in the URL are never shown in errors,
    and never sent on when a redirect leads to another site.

    Each request must be answered in full within ``timeout`` seconds (a server that answers
    slowly is cut off at that point) and hold at most :data:`MAX_ANSWER_BYTES`."""
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
