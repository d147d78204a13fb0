"""SLO specs in: the article's format, OpenSLO v1 and Sloth, read from YAML.

:func:`load_slo_spec` reads a file and :func:`slo_spec_from_documents` documents already parsed;
the format is told by the content:

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
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import yaml

from oncall_planner.errors import InputReadError, OnCallPlannerError
from oncall_planner.ingest.slo._common import _read_capped, _show
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

T = TypeVar("T")


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


def load_slo_spec(path: str | Path) -> SLOSpec:
    """The SLO spec in a YAML file: the article's format, OpenSLO v1 or Sloth prometheus/v1.

    Read safely: no tags (nothing is executed), at most :data:`MAX_SPEC_BYTES`, and no more
    than :data:`MAX_SPEC_VALUES` values once aliases are expanded, nested at most
    :data:`MAX_SPEC_DEPTH` deep."""
    file = Path(path)
    text = _read_capped(file, MAX_SPEC_BYTES, "an SLO spec is a few kilobytes", "utf-8")
    return slo_spec_from_documents(_yaml_documents(text, str(file)), str(file))


__all__ = ["load_slo_spec", "slo_spec_from_documents"]
