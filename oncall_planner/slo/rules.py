"""Prometheus alerting rules from SLOs: one :class:`AlertRule` per burn-rate alert.

Each rule keeps its structure (the windows, thresholds and ``for:``) next to its PromQL text, so
the replay evaluates exactly what the rule file says without parsing PromQL. The expression has
the article's shape::

    (
      sum(rate(bad[1h])) / sum(rate(total[1h]))
    ) > (14.4 * 0.0005)
    and
    (
      sum(rate(bad[5m])) / sum(rate(total[5m]))
    ) > (14.4 * 0.0005)

with ``1 - (good / total)`` when the SLI counts good events, and ``or`` between the windows of
an alert that has several (the workbook's page alert: 1h/5m or 6h/30m).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.slo.spec import (
    SLI,
    SLO,
    BurnRateAlert,
    BurnWindow,
    SLOSpec,
    default_alerts,
    format_duration,
)

# A range selector's range, e.g. the ``[5m]`` of ``rate(x[5m])`` (not a subquery ``[1h:5m]``).
_RANGE = re.compile(r"\[\s*(\d+[ywdhms]+(?:\d+[ywdhms]+)*)\s*\]")
_WINDOW = re.compile(r"\{\{\s*\.window\s*\}\}")
# A plain selector: a metric name with optional label matchers, nothing else.
_SELECTOR = re.compile(r"^\s*[A-Za-z_:][A-Za-z0-9_:]*\s*(\{[^{}]*\})?\s*$|^\s*\{[^{}]+\}\s*$")


@attrs.frozen(kw_only=True)
class Condition:
    """One window pair of a rule: the error ratio over ``long`` (and ``short``) seconds compared
    with ``threshold`` (``burn_rate * error budget``) by ``op``."""

    long: int
    short: int | None
    burn_rate: float
    budget: float
    op: str = ">"

    @property
    def threshold(self) -> float:
        """``burn_rate * budget`` as Prometheus computes ``(14.4 * 0.0005)``: one float product."""
        return self.burn_rate * self.budget

    @property
    def windows(self) -> tuple[int, ...]:
        return (self.long,) if self.short is None else (self.long, self.short)


@attrs.frozen(kw_only=True)
class AlertRule:
    """A generated alerting rule: ``alert`` name, the SLO it watches, its conditions (any one
    fires it), ``for_duration`` seconds, labels, annotations and the PromQL ``expr``."""

    alert: str
    slo: SLO
    severity: str
    page: bool
    conditions: tuple[Condition, ...]
    for_duration: int
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    expr: str

    @property
    def key(self) -> str:
        """``service/slo/alert``, unique within a spec: how episodes and pages name the rule."""
        return f"{self.slo.key}/{self.alert}"

    def to_dict(self) -> dict[str, Any]:
        """The rule as Prometheus's rule file has it (``for`` only when it is not zero)."""
        out: dict[str, Any] = {"alert": self.alert, "expr": self.expr}
        if self.for_duration:
            out["for"] = format_duration(self.for_duration)
        out["labels"] = dict(self.labels)
        out["annotations"] = dict(self.annotations)
        return out


def camel(text: str) -> str:
    """``checkout-api`` as ``CheckoutApi``: the parts of an alert name."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def window_query(query: str, window: int, where: str = "SLI") -> str:
    """``query`` over ``window`` seconds: ``{{.window}}`` and every range selector's range
    replaced by the window; a bare selector becomes ``sum(rate(selector[window]))``."""
    text = query.strip()
    w = format_duration(window)
    if _WINDOW.search(text):
        return _WINDOW.sub(w, text)
    if _RANGE.search(text):
        return _RANGE.sub(f"[{w}]", text)
    if _SELECTOR.match(text):
        return f"sum(rate({text}[{w}]))"
    raise ValidationError(
        f"{where}: query {text!r} has no range selector such as [5m] and no {{{{.window}}}} "
        "placeholder, so the alert windows cannot be put into it"
    )


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else line for line in text.splitlines())


def error_ratio_query(sli: SLI, window: int) -> str:
    """The error ratio over ``window`` seconds, as PromQL on several lines."""
    total = window_query(sli.total, window, "SLI total")
    if sli.bad is not None:
        bad = window_query(sli.bad, window, "SLI bad")
        return f"(\n{_indent(bad, 2)}\n  /\n{_indent(total, 2)}\n)"
    good = window_query(sli.good or "", window, "SLI good")
    return f"(\n  1 - (\n{_indent(good, 4)}\n    /\n{_indent(total, 4)}\n  )\n)"


def _number(value: float) -> str:
    """A float as PromQL reads it back to the same value (``14.4``, ``0.0005``, ``6``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def condition_expr(sli: SLI, condition: Condition) -> str:
    thr = f"({_number(condition.burn_rate)} * {_number(condition.budget)})"
    parts = [f"{error_ratio_query(sli, w)} {condition.op} {thr}" for w in condition.windows]
    return "\nand\n".join(parts)


def rule_expr(sli: SLI, conditions: Iterable[Condition]) -> str:
    parts = [condition_expr(sli, c) for c in conditions]
    if len(parts) == 1:
        return parts[0]
    return "\nor\n".join(f"(\n{_indent(p, 2)}\n)" for p in parts)


def _default_name(slo: SLO, alert: BurnRateAlert) -> str:
    speed = "High" if alert.page else "Slow"
    return f"{camel(slo.service)}{camel(slo.name)}{speed}ErrorBudgetBurn"


def _annotations(
    slo: SLO, alert: BurnRateAlert, conditions: tuple[Condition, ...]
) -> dict[str, str]:
    target = f"{slo.objective * 100:.6g}%"
    windows = "; ".join(
        f"{_number(c.burn_rate)}x over {format_duration(c.long)}"
        + (f" and {format_duration(c.short)}" if c.short else "")
        for c in conditions
    )
    speed = "fast" if alert.page else "slowly"
    out = {
        "summary": f"{slo.service} {slo.name}: error budget burning {speed}",
        "description": (
            f"The error ratio of {slo.service} {slo.name} (SLO {target} over "
            f"{format_duration(slo.window)}) is above the burn rate: {windows}."
        ),
    }
    out.update(alert.annotations)
    return out


def rule_for(slo: SLO, alert: BurnRateAlert) -> AlertRule:
    """The :class:`AlertRule` of one alert of ``slo``."""
    budget = slo.error_budget
    conditions = tuple(
        Condition(long=w.long, short=w.short, burn_rate=w.burn_rate, budget=budget, op=w.op)
        for w in alert.windows
    )
    labels = {"severity": alert.severity, "service": slo.service, "slo": slo.name}
    labels.update(slo.labels)
    labels.update(alert.labels)
    return AlertRule(
        alert=alert.name or _default_name(slo, alert),
        slo=slo,
        severity=alert.severity,
        page=alert.page,
        conditions=conditions,
        for_duration=alert.for_duration,
        labels=dict(sorted(labels.items())),
        annotations=dict(sorted(_annotations(slo, alert, conditions).items())),
        expr=rule_expr(slo.sli, conditions),
    )


def alert_rules(
    spec: SLOSpec | SLO | Iterable[SLO],
    alerts: Iterable[BurnRateAlert] | None = None,
) -> tuple[AlertRule, ...]:
    """The alerting rules of every SLO in ``spec``.

    Each SLO's own ``alerts`` are used; an SLO without any gets ``alerts`` when given, else the
    SRE workbook's defaults for its window (:func:`~oncall_planner.slo.default_alerts`).
    """
    if isinstance(spec, SLOSpec):
        slos: tuple[SLO, ...] = spec.slos
    elif isinstance(spec, SLO):
        slos = (spec,)
    else:
        slos = tuple(spec)
    given = None if alerts is None else tuple(alerts)
    out: list[AlertRule] = []
    seen: dict[str, str] = {}
    for slo in slos:
        if not isinstance(slo, SLO):
            raise ValidationError(f"alert_rules: expected SLO objects, got {slo!r}")
        chosen = slo.alerts or given or default_alerts(slo.window)
        for alert in chosen:
            rule = rule_for(slo, alert)
            ident = f"{rule.alert} {sorted(rule.labels.items())}"
            if ident in seen:
                raise ValidationError(
                    f"alert_rules: SLOs {seen[ident]} and {slo.key} both give alert "
                    f"{rule.alert!r} with the same labels; name the alerts apart"
                )
            seen[ident] = slo.key
            out.append(rule)
    return tuple(out)


def group_name(rules: Iterable[AlertRule]) -> str:
    services = sorted({r.slo.service for r in rules})
    return "-".join(services) + "-slo-alerts" if services else "slo-alerts"


__all__ = [
    "AlertRule",
    "BurnWindow",
    "Condition",
    "alert_rules",
    "camel",
    "condition_expr",
    "error_ratio_query",
    "group_name",
    "rule_for",
    "window_query",
]
