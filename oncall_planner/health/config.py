"""The health configuration: hours, merging, caps, pay, people and which findings to report.

:class:`HealthConfig` is a frozen value; :func:`config_from_dict` builds one from the data of a
configuration file (TOML; :func:`oncall_planner.ingest.health.load_health_config` reads the
file) and refuses anything it does not know, with the file, the key and the value in the message:
``health.toml: caps.on_call_hours must be a number > 0, got 'lots'``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from oncall_planner.checks import RULES, CheckConfig
from oncall_planner.errors import ValidationError
from oncall_planner.health.hours import BUCKETS, COUNTINGS, PRESETS, HourWindows, Window, preset
from oncall_planner.health.interruptions import MERGE_SECONDS
from oncall_planner.health.people import PersonSettings
from oncall_planner.timeutil import check_time_zone

PERIODS = ("week", "month", "window")
#: The health findings' code prefix: ``oncall-planner health`` runs these by default.
HEALTH_CODES = "OCP8"
#: The outlier multiplier's allowed range (PagerDuty's compensation report offers 1.5x to 5x).
OUTLIER_RANGE = (1.5, 5.0)


#: The largest pay rate or multiplier: an hour's pay stays a finite float (10 years of hours at
#: this rate times this multiplier is about 1e23), and it leaves room for any currency.
MAX_PAY_NUMBER = 1_000_000_000


def _number(where: str, *, positive: bool = False, most: float | None = None) -> Any:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        if ok and positive and value == 0:
            ok = False
        if ok and most is not None and value > most:
            ok = False
        if not ok or value != value or value in (float("inf"),):
            want = "> 0" if positive else "≥ 0"
            if most is not None:
                want += f" and at most {most:,}"
            raise ValidationError(
                f"{where}: {attribute.name} must be a number {want}, got {value!r}"
            )

    return check


def _currency(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > 8:
        raise ValidationError(
            f"CompensationRates: currency must be a short code such as 'USD', got {value!r}"
        )


@attrs.frozen(kw_only=True)
class CompensationRates:
    """On-call pay, as PagerDuty's compensation report computes it: every hour on call at level 1
    earns ``level_1`` and every hour only at level 2 or higher ``level_2_plus``, times the
    multiplier of its kind of hour: ``holiday`` (a public holiday of the person), else ``weekend``
    (Saturday, Sunday), else ``off_hours`` (outside business hours on a working day), else 1."""

    level_1: float = attrs.field(
        default=20.0, validator=_number("CompensationRates", most=MAX_PAY_NUMBER)
    )
    level_2_plus: float = attrs.field(
        default=15.0, validator=_number("CompensationRates", most=MAX_PAY_NUMBER)
    )
    off_hours: float = attrs.field(
        default=1.5, validator=_number("CompensationRates", most=MAX_PAY_NUMBER)
    )
    weekend: float = attrs.field(
        default=2.0, validator=_number("CompensationRates", most=MAX_PAY_NUMBER)
    )
    holiday: float = attrs.field(
        default=2.5, validator=_number("CompensationRates", most=MAX_PAY_NUMBER)
    )
    currency: str = attrs.field(default="USD", validator=_currency)

    def multiplier(self, kind: str) -> float:
        return {
            "business": 1.0,
            "off_hours": self.off_hours,
            "weekend": self.weekend,
            "holiday": self.holiday,
        }[kind]

    def rate(self, level: str) -> float:
        return self.level_1 if level == "level_1" else self.level_2_plus


def _check_period(instance: Any, attribute: Any, value: Any) -> None:
    if value not in PERIODS:
        raise ValidationError(
            f"HealthConfig: period must be 'week', 'month' or 'window', got {value!r}"
        )


def _check_zone(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        check_time_zone(value, "HealthConfig")


def _check_merge(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3600:
        raise ValidationError(
            f"HealthConfig: merge_seconds must be a whole number of seconds from 0 to 3600, "
            f"got {value!r}"
        )


def _check_people(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, PersonSettings) for k, v in value.items()
    ):
        raise ValidationError(
            f"HealthConfig: people must map emails to PersonSettings, got {value!r}"
        )


def _lower_keys(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k).lower(): v for k, v in value.items()}
    return value


def _check_checks(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, CheckConfig):
        raise ValidationError(f"HealthConfig: checks must be a CheckConfig, got {value!r}")
    value.validate()
    multiplier = value.thresholds_for("OCP803")["multiplier"]
    lo, hi = OUTLIER_RANGE
    if not lo <= multiplier <= hi:
        raise ValidationError(
            f"HealthConfig: the outlier multiplier (OCP803 multiplier) must be from {lo:g} to "
            f"{hi:g}, got {multiplier!r}"
        )


@attrs.frozen(kw_only=True)
class HealthConfig:
    """Everything ``health_report`` can be told.

    - ``hours``: the windows of business, off and sleep hours (a preset: ``preset("pagerduty")``,
      the default, ``"rootly"``, ``"multitudes"``, or your own :class:`HourWindows`).
    - ``merge_seconds``: notifications this close count as one interruption (60).
    - ``period``: the period caps apply to: ``"month"`` (calendar months, the default), ``"week"``
      (ISO weeks from Monday) or ``"window"`` (the whole report), in the report's zone.
    - ``time_zone``: the report's zone (weeks, months, display); ``None``: the first schedule's.
    - ``severity_field``: where severity is read from (``"priority"``, or a field you name).
    - ``checks``: which findings to report and their thresholds (caps); by default the health
      findings ``OCP8xx``.
    - ``pay``: the rates of :class:`CompensationRates` (``None`` leaves pay out).
    - ``people``: per email, :class:`PersonSettings` (PagerDuty id, country, subdivision).
    - ``holidays_from_zone``: take a person's country from their zone when ``people`` names none.
    """

    hours: HourWindows = attrs.field(factory=lambda: preset("pagerduty"))
    merge_seconds: int = attrs.field(default=MERGE_SECONDS, validator=_check_merge)
    period: str = attrs.field(default="month", validator=_check_period)
    time_zone: str | None = attrs.field(default=None, validator=_check_zone)
    severity_field: str = "priority"
    checks: CheckConfig = attrs.field(
        factory=lambda: CheckConfig(select=[HEALTH_CODES]), validator=_check_checks
    )
    pay: CompensationRates | None = attrs.field(factory=CompensationRates)
    people: Mapping[str, PersonSettings] = attrs.field(
        factory=dict, converter=_lower_keys, validator=_check_people
    )
    holidays_from_zone: bool = True


# --------------------------------------------------------------------------------------------
# From a configuration file's data


#: ``[caps]`` keys and the rule thresholds they set.
CAPS: dict[str, tuple[tuple[str, str], ...]] = {
    "on_call_hours": (("OCP801", "max_hours"),),
    "outside_business_hours": (("OCP802", "max_hours"),),
    "near": (("OCP801", "near_ratio"), ("OCP802", "near_ratio")),
    "outlier_multiplier": (("OCP803", "multiplier"),),
    "interruptions_per_on_call_hour": (("OCP804", "max_per_hour"),),
    "longest_stretch_hours": (("OCP805", "max_hours"),),
    "overdue_priority": (("OCP806", "priority"),),
}


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, message: str, value: Any) -> ValidationError:
        return ValidationError(f"{self.source}: {key} {message}, got {value!r}")

    def table(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key.rsplit(".", 1)[-1], {})
        if not isinstance(value, Mapping):
            raise self.fail(key, "must be a table", value)
        return value

    def known(self, data: Mapping[str, Any], where: str, keys: set[str]) -> None:
        for key in data:
            if key not in keys:
                path = f"{where}.{key}" if where else key
                raise ValidationError(
                    f"{self.source}: unknown key {path}; known keys here: {', '.join(sorted(keys))}"
                )

    def number(
        self,
        value: Any,
        key: str,
        *,
        positive: bool = False,
        whole: bool = False,
        most: float | None = None,
    ) -> Any:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        ok = ok and value == value and value not in (float("inf"), float("-inf"))
        ok = ok and (value > 0 if positive else value >= 0)
        if whole:
            ok = ok and isinstance(value, int)
        if ok and most is not None:
            ok = value <= most
        if not ok:
            kind = "a whole number" if whole else "a number"
            bound = f" and at most {most:,}" if most is not None else ""
            raise self.fail(key, f"must be {kind} {'> 0' if positive else '≥ 0'}{bound}", value)
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string", value)
        return value.strip()

    def boolean(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false", value)
        return value

    def codes(self, value: Any, key: str) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, "must be a list of rule codes such as 'OCP801'", value)
        known = sorted(RULES)
        for code in value:
            if not any(c.startswith(code) for c in known):
                raise self.fail(key, "names a code that matches no rule", code)
        return list(value)


def config_from_dict(data: Mapping[str, Any], source: str = "configuration") -> HealthConfig:
    """A :class:`HealthConfig` from a configuration file's data (see docs/health.md for every
    key). Unknown keys and wrongly typed values raise :class:`ValidationError` naming ``source``,
    the key and the value."""
    r = _Reader(source)
    if not isinstance(data, Mapping):
        raise r.fail("the file", "must be a table of settings", data)
    r.known(
        data,
        "",
        {"hours", "interruptions", "report", "caps", "pay", "people", "holidays", "checks"},
    )
    kwargs: dict[str, Any] = {}

    hours = r.table(data, "hours")
    r.known(
        hours, "hours", {"preset", "precedence", "fallback", "business", "off", "sleep", "counting"}
    )
    kwargs["hours"] = _hours(r, hours)

    inter = r.table(data, "interruptions")
    r.known(inter, "interruptions", {"merge_seconds"})
    if "merge_seconds" in inter:
        value = r.number(inter["merge_seconds"], "interruptions.merge_seconds", whole=True)
        if value > 3600:
            raise r.fail("interruptions.merge_seconds", "must be at most 3600", value)
        kwargs["merge_seconds"] = value

    report = r.table(data, "report")
    r.known(report, "report", {"time_zone", "severity_field"})
    if "time_zone" in report:
        name = r.text(report["time_zone"], "report.time_zone")
        try:
            check_time_zone(name, f"{source}: report.time_zone")
        except ValidationError as exc:
            raise ValidationError(str(exc)) from None
        kwargs["time_zone"] = name
    if "severity_field" in report:
        kwargs["severity_field"] = r.text(report["severity_field"], "report.severity_field")

    caps = r.table(data, "caps")
    r.known(caps, "caps", {*CAPS, "period"})
    if "period" in caps:
        if caps["period"] not in PERIODS:
            raise r.fail("caps.period", "must be 'week', 'month' or 'window'", caps["period"])
        kwargs["period"] = caps["period"]
    thresholds: dict[str, dict[str, Any]] = {}
    for key, targets in CAPS.items():
        if key not in caps:
            continue
        if key == "overdue_priority":
            value = r.text(caps[key], f"caps.{key}")
        else:
            value = r.number(caps[key], f"caps.{key}", positive=True)
        if key == "near" and value > 1:
            raise r.fail("caps.near", "must be a share of the cap from 0 to 1", value)
        if key == "outlier_multiplier" and not OUTLIER_RANGE[0] <= value <= OUTLIER_RANGE[1]:
            raise r.fail("caps.outlier_multiplier", "must be from 1.5 to 5", value)
        for code, name in targets:
            thresholds.setdefault(code, {})[name] = value

    checks = r.table(data, "checks")
    r.known(checks, "checks", {"select", "ignore", "severity"})
    select = r.codes(checks["select"], "checks.select") if "select" in checks else [HEALTH_CODES]
    ignore = r.codes(checks["ignore"], "checks.ignore") if "ignore" in checks else []
    severity = r.table(checks, "checks.severity")
    for code, sev in severity.items():
        if code not in RULES:
            raise r.fail(f"checks.severity.{code}", "names no rule", code)
        if sev not in ("error", "warning", "info"):
            raise r.fail(f"checks.severity.{code}", "must be 'error', 'warning' or 'info'", sev)
    kwargs["checks"] = CheckConfig(
        select=select, ignore=ignore, thresholds=thresholds, severity=dict(severity)
    )

    if "pay" in data:
        pay = data["pay"]
        if pay is False:
            kwargs["pay"] = None
        else:
            pay = r.table(data, "pay")
            fields = {"level_1", "level_2_plus", "off_hours", "weekend", "holiday", "currency"}
            r.known(pay, "pay", fields)
            values: dict[str, Any] = {}
            for key in sorted(fields - {"currency"}):
                if key in pay:
                    values[key] = r.number(pay[key], f"pay.{key}", most=MAX_PAY_NUMBER)
            if "currency" in pay:
                values["currency"] = r.text(pay["currency"], "pay.currency")
            kwargs["pay"] = CompensationRates(**values)

    people = r.table(data, "people")
    settings: dict[str, PersonSettings] = {}
    for email, entry in people.items():
        where = f'people."{email}"'
        if "@" not in email:
            raise r.fail(where, "must be keyed by the person's email", email)
        if not isinstance(entry, Mapping):
            raise r.fail(where, "must be a table", entry)
        r.known(entry, where, {"pagerduty_id", "country", "subdivision"})
        got = {k: r.text(v, f"{where}.{k}") for k, v in entry.items()}
        if "subdivision" in got and "country" not in got:
            raise r.fail(f"{where}.subdivision", "needs a country", got["subdivision"])
        if "country" in got:
            from oncall_planner.timeutil import public_holidays

            public_holidays(got["country"], [2025], got.get("subdivision"), f"{source}: {where}")
        settings[email.lower()] = PersonSettings(**got)
    kwargs["people"] = settings

    holidays = r.table(data, "holidays")
    r.known(holidays, "holidays", {"from_time_zone"})
    if "from_time_zone" in holidays:
        kwargs["holidays_from_zone"] = r.boolean(
            holidays["from_time_zone"], "holidays.from_time_zone"
        )

    try:
        return HealthConfig(**kwargs)
    except ValidationError as exc:
        raise ValidationError(f"{source}: {exc}") from None


def _hours(r: _Reader, hours: Mapping[str, Any]) -> HourWindows:
    name = hours.get("preset", "pagerduty")
    if not isinstance(name, str):
        raise r.fail(
            "hours.preset", f"must be one of {', '.join(sorted(PRESETS))} or 'custom'", name
        )
    custom = any(b in hours for b in BUCKETS)
    if name == "custom" or (custom and "preset" not in hours):
        name = "custom"
        if not custom:
            raise r.fail(
                "hours",
                "with preset = 'custom' must give business, off or sleep windows",
                dict(hours),
            )
        base = HourWindows("custom", ())
    else:
        if name not in PRESETS:
            raise r.fail(
                "hours.preset", f"must be one of {', '.join(sorted(PRESETS))} or 'custom'", name
            )
        base = preset(name)
    windows = list(base.windows)
    if custom:
        replaced = [b for b in BUCKETS if b in hours]
        windows = [w for w in windows if w.bucket not in replaced]
        for bucket in replaced:
            items = hours[bucket]
            if isinstance(items, Mapping):
                items = [items]
            if not isinstance(items, list):
                raise r.fail(f"hours.{bucket}", "must be a list of windows", items)
            for i, item in enumerate(items):
                where = f"hours.{bucket}[{i}]"
                if not isinstance(item, Mapping):
                    raise r.fail(where, "must be a table with days, start and end", item)
                r.known(item, where, {"days", "start", "end"})
                for key in ("days", "start", "end"):
                    if key not in item:
                        raise r.fail(where, f"needs {key}", dict(item))
                try:
                    windows.append(Window(bucket, item["days"], item["start"], item["end"]))
                except ValidationError as exc:
                    raise ValidationError(f"{r.source}: {where}: {exc}") from None
    precedence = hours.get("precedence", base.precedence)
    if not isinstance(precedence, (list, tuple)) or sorted(map(str, precedence)) != sorted(BUCKETS):
        raise r.fail("hours.precedence", "must list business, off and sleep once each", precedence)
    fallback = hours.get("fallback", base.fallback)
    if fallback not in BUCKETS:
        raise r.fail("hours.fallback", "must be business, off or sleep", fallback)
    counting = hours.get("counting", base.counting)
    if counting not in COUNTINGS:
        raise r.fail("hours.counting", "must be 'notifications' or 'acknowledgements'", counting)
    return HourWindows(name, tuple(windows), tuple(precedence), fallback, counting)


__all__ = [
    "CAPS",
    "HEALTH_CODES",
    "PERIODS",
    "CompensationRates",
    "HealthConfig",
    "config_from_dict",
]
