"""SLO specs as values: an :class:`SLO` (service, objective, window, SLI queries) and the
multi-window, multi-burn-rate :class:`BurnRateAlert` s that watch it.

Durations are whole seconds; :func:`parse_duration` and :func:`format_duration` read and write
Prometheus's notation (``30d``, ``1h30m``). Objectives are fractions (``0.9995``); the error
budget is ``1 - objective``, computed in decimal so that 99.95% gives a budget of exactly
``0.0005``, the number the article writes into its rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model.inputs import sequence_of

_UNITS = (("y", 365 * 86400), ("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_DURATION = re.compile(r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")

#: Severities that page a person (the others open a ticket): the article's ``critical`` and
#: OpenSLO's and Sloth's ``page``.
PAGING_SEVERITIES = frozenset({"critical", "page"})


def parse_duration(text: object, where: str = "duration") -> int:
    """Seconds in a Prometheus duration: ``5m``, ``1h30m``, ``30d``, ``1w``; whole seconds only.

    Units go from the largest to the smallest (``y`` = 365 days, ``w``, ``d``, ``h``, ``m``,
    ``s``), as Prometheus writes them. Raises :class:`ValidationError` naming ``where``.
    """
    if isinstance(text, str):
        match = _DURATION.match(text.strip())
        if match and text.strip() and any(match.groups()):
            seconds = sum(
                int(g) * size for g, (_, size) in zip(match.groups(), _UNITS, strict=True) if g
            )
            if seconds > 0:
                return seconds
    raise ValidationError(
        f"{where} must be a duration such as 5m, 1h or 30d (units y, w, d, h, m, s), got {text!r}"
    )


def format_duration(seconds: int) -> str:
    """``3600`` as ``1h``, ``5400`` as ``1h30m``, ``2592000`` as ``30d`` (days, not weeks, which
    read better for SLO windows)."""
    if seconds <= 0:
        raise ValidationError(f"format_duration: seconds must be positive, got {seconds}")
    out = []
    rest = seconds
    for unit, size in _UNITS[2:]:
        if rest >= size:
            out.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(out)


def _positive_duration(instance: Any, attribute: attrs.Attribute[int], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValidationError(
            f"{_owner(instance)}: {attribute.name} must be a positive number of seconds, "
            f"got {value!r}"
        )


def _owner(instance: Any) -> str:
    if isinstance(instance, SLO):
        return f"SLO {instance.service}/{instance.name}"
    if isinstance(instance, BurnRateAlert):
        return f"BurnRateAlert {instance.name!r}" if instance.name else "BurnRateAlert"
    return type(instance).__name__


def _text(instance: Any, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{_owner(instance)}: {attribute.name} must be a non-empty string, got {value!r}"
        )


def _optional_text(instance: Any, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        _text(instance, attribute, value)  # type: ignore[arg-type]


def _str_map(value: object) -> Mapping[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationError(f"labels and annotations must be a mapping, got {value!r}")
    out = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, (str, int, float)):
            raise ValidationError(
                f"labels and annotations must map names to strings, got {key!r}: {item!r}"
            )
        out[key] = str(item)
    return dict(sorted(out.items()))


@attrs.frozen(kw_only=True)
class BurnWindow:
    """One condition of an alert: the error ratio over ``long`` seconds (and, when ``short`` is
    given, over ``short`` seconds too) above ``burn_rate`` times the error budget.

    The short window makes the alert stop soon after the errors stop; without it the alert keeps
    firing until the long window no longer sees them (the article's slow-burn rule has none).
    """

    long: int = attrs.field(validator=_positive_duration)
    short: int | None = attrs.field(default=None)
    burn_rate: float = attrs.field(converter=float)
    op: str = attrs.field(default=">")

    @short.validator
    def _check_short(self, attribute: attrs.Attribute[int | None], value: object) -> None:
        if value is None:
            return
        _positive_duration(self, attribute, value)  # type: ignore[arg-type]
        if value >= self.long:  # type: ignore[operator]
            raise ValidationError(
                f"BurnWindow: short ({format_duration(value)}) must be shorter than long "  # type: ignore[arg-type]
                f"({format_duration(self.long)})"
            )

    @burn_rate.validator
    def _check_burn(self, attribute: attrs.Attribute[float], value: float) -> None:
        if not math.isfinite(value) or value <= 0:
            raise ValidationError(f"BurnWindow: burn_rate must be a positive number, got {value}")

    @op.validator
    def _check_op(self, attribute: attrs.Attribute[str], value: object) -> None:
        if value not in (">", ">="):
            raise ValidationError(f"BurnWindow: op must be '>' or '>=', got {value!r}")


def _windows(value: object) -> tuple[BurnWindow, ...]:
    if isinstance(value, BurnWindow):
        return (value,)
    return sequence_of(value, BurnWindow, "BurnRateAlert", "windows")


@attrs.frozen(kw_only=True)
class BurnRateAlert:
    """One alerting rule of an SLO: fires when any of its ``windows`` burns too fast, after the
    condition has held for ``for_duration`` seconds (Prometheus's ``for:``).

    ``name`` is the alert name; ``None`` lets :func:`~oncall_planner.slo.alert_rules` name it
    after the service and SLO. ``severity`` becomes the ``severity`` label; ``page`` says whether
    the alert pages a person (by default when the severity is ``critical`` or ``page``).
    """

    name: str | None = attrs.field(default=None, validator=_optional_text)
    severity: str = attrs.field(validator=_text)
    windows: tuple[BurnWindow, ...] = attrs.field(converter=_windows)
    for_duration: int = attrs.field(default=0)
    page: bool = attrs.field()
    labels: Mapping[str, str] = attrs.field(factory=dict, converter=_str_map)
    annotations: Mapping[str, str] = attrs.field(factory=dict, converter=_str_map)

    @page.default
    def _page_default(self) -> bool:
        return self.severity in PAGING_SEVERITIES

    @windows.validator
    def _check_windows(self, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        if not value:
            raise ValidationError(f"{_owner(self)}: windows must not be empty")
        for item in value:
            if not isinstance(item, BurnWindow):
                raise ValidationError(
                    f"{_owner(self)}: windows must hold BurnWindow objects, got {item!r}"
                )

    @for_duration.validator
    def _check_for(self, attribute: attrs.Attribute[int], value: object) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError(
                f"{_owner(self)}: for_duration must be a number of seconds ≥ 0, got {value!r}"
            )


@attrs.frozen(kw_only=True)
class SLI:
    """A ratio SLI: ``total`` events and either the ``good`` or the ``bad`` ones, as PromQL.

    Each query is the article's form, ``sum(rate(metric{...}[5m]))``: rule generation replaces
    the range of every range selector with the alert window. Sloth's ``{{.window}}`` placeholder
    is replaced the same way, and a bare counter selector (OpenSLO's ``counter: true``) is wrapped
    as ``sum(rate(selector[window]))``.
    """

    total: str = attrs.field(validator=_text)
    good: str | None = attrs.field(default=None, validator=_optional_text)
    bad: str | None = attrs.field(default=None, validator=_optional_text)

    def __attrs_post_init__(self) -> None:
        if (self.good is None) == (self.bad is None):
            raise ValidationError("SLI: give exactly one of good and bad (with total)")


def _objective(instance: Any, attribute: attrs.Attribute[float], value: object) -> None:
    ok = isinstance(value, float) and math.isfinite(value) and 0 < value < 1
    if not ok:
        raise ValidationError(
            f"{_owner(instance)}: objective must be a fraction between 0 and 1, exclusive "
            f"(99.95% is 0.9995; 100% leaves no error budget), got {value!r}"
        )


def _alerts(value: object) -> tuple[BurnRateAlert, ...]:
    return sequence_of(value, BurnRateAlert, "SLO", "alerts")


@attrs.frozen(kw_only=True)
class SLO:
    """A service level objective: ``objective`` (a fraction, e.g. ``0.9995``) of the events the
    ``sli`` counts must be good over a rolling ``window`` (seconds). ``alerts`` are its
    burn-rate alerts; empty means the Google SRE workbook's defaults (:func:`default_alerts`)."""

    service: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    objective: float = attrs.field(converter=float, validator=_objective)
    window: int = attrs.field(default=30 * 86400, validator=_positive_duration)
    sli: SLI = attrs.field(validator=attrs.validators.instance_of(SLI))
    description: str = ""
    alerts: tuple[BurnRateAlert, ...] = attrs.field(default=(), converter=_alerts)
    labels: Mapping[str, str] = attrs.field(factory=dict, converter=_str_map)

    @property
    def error_budget(self) -> float:
        """``1 - objective``, computed in decimal (99.95% gives exactly 0.0005)."""
        return float(Decimal(1) - Decimal(repr(self.objective)))

    @property
    def key(self) -> str:
        """``service/name``: how findings and reports name the SLO."""
        return f"{self.service}/{self.name}"


def _slos(value: object) -> tuple[SLO, ...]:
    return sequence_of(value, SLO, "SLOSpec", "slos")


@attrs.frozen(kw_only=True)
class SLOSpec:
    """The SLOs one spec file defines; ``format`` says which kind of file it was (``article``,
    ``openslo``, ``sloth`` or ``python``) and ``source`` where it came from."""

    slos: tuple[SLO, ...] = attrs.field(converter=_slos)
    format: str = "python"
    source: str = ""

    @slos.validator
    def _check(self, attribute: attrs.Attribute[Any], value: tuple[SLO, ...]) -> None:
        if not value:
            raise ValidationError("SLOSpec: slos must not be empty")
        seen: set[str] = set()
        for slo in value:
            if slo.key in seen:
                raise ValidationError(f"SLOSpec: SLO {slo.key} is defined twice")
            seen.add(slo.key)


#: The Google SRE workbook's multi-window, multi-burn-rate alerts, as budget spent over a long
#: window (with its short window): 2% in 1h (5m) and 5% in 6h (30m) page; 10% in 1d (2h) and
#: 10% in 3d (6h) open a ticket. For a 30-day SLO these are burn rates 14.4, 6, 3 and 1.
WORKBOOK = (
    ("page", 0.02, 3600, 300),
    ("page", 0.05, 6 * 3600, 1800),
    ("ticket", 0.10, 86400, 7200),
    ("ticket", 0.10, 3 * 86400, 6 * 3600),
)


def workbook_burn_rate(budget_share: float, long: int, window: int) -> float:
    """The burn rate that spends ``budget_share`` of an SLO's budget over ``window`` seconds in
    ``long`` seconds: ``share * window / long`` (2% of 30 days in 1 hour is 14.4)."""
    return float(Decimal(repr(budget_share)) * Decimal(window) / Decimal(long))


def default_alerts(window: int = 30 * 86400) -> tuple[BurnRateAlert, BurnRateAlert]:
    """The workbook's page and ticket alerts for an SLO over ``window`` seconds.

    Page: ``critical``, ``for: 2m``; ticket: ``warning``, ``for: 1h`` (the article's ``for``
    durations; the workbook itself uses none). Names are filled in by
    :func:`~oncall_planner.slo.alert_rules`.
    """
    out = []
    for kind, severity, hold in (("page", "critical", 120), ("ticket", "warning", 3600)):
        windows = [
            BurnWindow(long=long, short=short, burn_rate=workbook_burn_rate(share, long, window))
            for k, share, long, short in WORKBOOK
            if k == kind
        ]
        out.append(BurnRateAlert(severity=severity, windows=windows, for_duration=hold))
    return out[0], out[1]


__all__ = [
    "PAGING_SEVERITIES",
    "SLI",
    "SLO",
    "WORKBOOK",
    "BurnRateAlert",
    "BurnWindow",
    "SLOSpec",
    "default_alerts",
    "format_duration",
    "parse_duration",
    "workbook_burn_rate",
]
