"""The grammar of an event's ``recurrence``: RFC 5545 ``RRULE``, ``EXDATE`` and ``RDATE`` lines.

PagerDuty stores a shift-based event's recurrence as a list of strings such as
``["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]``. This module reads such a list once, checks it by
parsing every RRULE with python-dateutil, and keeps the parts the renderer needs. Nothing here knows
about time zones beyond the names written in the text: the renderer decides which wall clock the
rule is expanded on.

Date values of ``EXDATE``/``RDATE`` lines may be UTC (``20260601T090000Z``), local to a named zone
(``EXDATE;TZID=America/New_York:20260601T090000``) or floating (``20260601T090000``: local to the
event's own zone). Several values may be given, separated by commas. Dates without a time
(``VALUE=DATE``) are refused: what PagerDuty does with them is not documented.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from dateutil.rrule import rrule, rrulestr

from oncall_planner.errors import ValidationError
from oncall_planner.timeutil import TIMESTAMP_YEARS, YEARS_TEXT

#: The RRULE ``FREQ`` values PagerDuty's web editor can open.
EDITOR_FREQUENCIES = ("WEEKLY", "DAILY", "MONTHLY", "HOURLY")
#: The ``BYDAY`` values PagerDuty's web editor can open (no ordinals such as ``1MO`` or ``-1FR``).
EDITOR_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

_NAIVE_EPOCH = dt.datetime(1970, 1, 1)
_DATE_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$")


@attrs.frozen
class DateValue:
    """One ``EXDATE``/``RDATE`` value: ``seconds`` are POSIX seconds when ``zone`` is ``"UTC"``,
    else local wall-clock seconds in ``zone`` (``None``: the event's own zone)."""

    seconds: int
    zone: str | None


@attrs.frozen
class Recurrence:
    """A parsed recurrence: the RRULE values (the text after ``RRULE:``), RDATE and EXDATE values."""

    rrules: tuple[str, ...]
    rdates: tuple[DateValue, ...]
    exdates: tuple[DateValue, ...]

    def parts(self, index: int = 0) -> dict[str, str]:
        """The ``KEY=VALUE`` parts of RRULE number ``index``, keys upper-cased."""
        return rule_parts(self.rrules[index])


def rule_parts(value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in value.split(";"):
        if "=" in part:
            key, _, val = part.partition("=")
            out[key.strip().upper()] = val.strip()
    return out


def local_seconds(value: dt.datetime) -> int:
    """A naive wall-clock datetime as local seconds (seconds since 1970-01-01 00:00 on that clock)."""
    delta = value - _NAIVE_EPOCH
    return delta.days * 86400 + delta.seconds


def naive(local: int) -> dt.datetime:
    """Local seconds as a naive wall-clock datetime."""
    return _NAIVE_EPOCH + dt.timedelta(seconds=local)


def _date_values(line: str, where: str) -> tuple[DateValue, ...]:
    head, sep, values = line.partition(":")
    if not sep or not values.strip():
        raise ValidationError(f"{where}: recurrence line {line!r} has no value after ':'")
    params = head.split(";")[1:]
    zone: str | None = None
    for param in params:
        key, _, val = param.partition("=")
        key = key.strip().upper()
        if key == "TZID":
            try:
                ZoneInfo(val.strip())
            except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: name too long
                raise ValidationError(
                    f"{where}: recurrence line {line!r} names an unknown time zone {val!r}"
                ) from None
            zone = val.strip()
        elif key == "VALUE":
            if val.strip().upper() != "DATE-TIME":
                raise ValidationError(
                    f"{where}: recurrence line {line!r}: only date-time values are supported "
                    "(PagerDuty does not document VALUE=DATE or PERIOD), e.g. 20260601T090000Z"
                )
        else:
            raise ValidationError(
                f"{where}: recurrence line {line!r} has an unsupported parameter {key!r}"
            )
    out = []
    for raw in values.split(","):
        m = _DATE_TIME.match(raw.strip())
        if not m:
            raise ValidationError(
                f"{where}: recurrence line {line!r}: {raw.strip()!r} is not a date-time such as "
                "20260601T090000Z"
            )
        year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
        if second:
            raise ValidationError(
                f"{where}: recurrence line {line!r}: {raw.strip()!r} must be in whole minutes "
                "(PagerDuty drops seconds)"
            )
        if year not in TIMESTAMP_YEARS:
            raise ValidationError(
                f"{where}: recurrence line {line!r}: {raw.strip()!r} must fall in the years "
                f"{YEARS_TEXT}"
            )
        try:
            moment = dt.datetime(year, month, day, hour, minute)
        except ValueError:
            raise ValidationError(
                f"{where}: recurrence line {line!r}: {raw.strip()!r} is not a valid date"
            ) from None
        if m.group(7):
            if zone is not None:
                raise ValidationError(
                    f"{where}: recurrence line {line!r}: a value ending in Z cannot have a TZID"
                )
            out.append(DateValue(local_seconds(moment), "UTC"))
        else:
            out.append(DateValue(local_seconds(moment), zone))
    return tuple(out)


def check_rrule(value: str, where: str) -> rrule:
    """Parse one RRULE value with python-dateutil (from a fixed start), or raise ValidationError.

    ``UNTIL`` in UTC (ending in ``Z``) is read as a local time here: this checks the syntax only.
    """
    parts = rule_parts(value)
    if "DTSTART" in parts or "TZID" in parts:
        raise ValidationError(
            f"{where}: recurrence 'RRULE:{value}' must not carry DTSTART: the event's start_time "
            "is the first occurrence"
        )
    _check_bounds(value, parts, where)
    text = value
    until = parts.get("UNTIL")
    if until and until.upper().endswith("Z"):
        text = ";".join(
            f"UNTIL={until[:-1]}" if p.strip().upper().startswith("UNTIL=") else p
            for p in value.split(";")
        )
    try:
        rule = rrulestr(text, dtstart=dt.datetime(2026, 1, 5, 9, 0))
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        reason = str(exc) if not isinstance(exc, TypeError) else "FREQ is missing"
        raise ValidationError(
            f"{where}: recurrence 'RRULE:{value}' is not an RFC 5545 rule python-dateutil can "
            f"read ({reason})"
        ) from None
    if not isinstance(rule, rrule):
        raise ValidationError(f"{where}: recurrence 'RRULE:{value}' must be a single rule")
    seconds = [s.strip() for s in parts.get("BYSECOND", "0").split(",")]
    if parts.get("FREQ", "").upper() == "SECONDLY" or any(s not in ("0", "00") for s in seconds):
        raise ValidationError(
            f"{where}: recurrence 'RRULE:{value}' must repeat in whole minutes (PagerDuty drops "
            "seconds): no FREQ=SECONDLY, no BYSECOND other than 0"
        )
    return rule


_ORDINAL_DAY = re.compile(r"^([+-]?\d+)?([A-Z]{2})$")
#: The largest BYDAY ordinal (``-1FR``, ``+2MO``) within a period of each FREQ.
_MAX_ORDINAL = {"MONTHLY": 5, "YEARLY": 53}


def _check_bounds(value: str, parts: dict[str, str], where: str) -> None:
    """Refuse what python-dateutil reads but cannot expand: ``INTERVAL=0`` repeats for ever
    on one instant, a negative ``INTERVAL`` or a BYDAY ordinal beyond its period fails in the
    middle of a render."""
    for key in ("INTERVAL", "COUNT"):
        raw = parts.get(key)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationError(
                f"{where}: recurrence 'RRULE:{value}': {key} must be a whole number of at "
                f"least 1, got {raw!r}"
            )
    freq = parts.get("FREQ", "").upper()
    limit = _MAX_ORDINAL.get(freq)
    if limit is None:
        return
    period = "month" if freq == "MONTHLY" else "year"
    for day in parts.get("BYDAY", "").upper().split(","):
        m = _ORDINAL_DAY.match(day.strip())
        if m and m.group(1) and not 1 <= abs(int(m.group(1))) <= limit:
            raise ValidationError(
                f"{where}: recurrence 'RRULE:{value}': BYDAY {day.strip()!r}: a {period} has at "
                f"most {limit} of each weekday, so the ordinal must be 1 to {limit} or -1 to "
                f"-{limit}"
            )


@functools.lru_cache(maxsize=4096)
def parse_recurrence(lines: tuple[str, ...], where: str) -> Recurrence:
    """Read a recurrence list; raise ValidationError naming ``where`` for anything else."""
    rrules: list[str] = []
    rdates: list[DateValue] = []
    exdates: list[DateValue] = []
    for line in lines:
        if not isinstance(line, str):
            raise ValidationError(
                f"{where}: recurrence must hold strings such as 'RRULE:FREQ=DAILY', got {line!r}"
            )
        text = line.strip()
        name = re.split(r"[;:]", text, maxsplit=1)[0].upper()
        if name == "RRULE":
            if not text[5:].startswith(":"):
                raise ValidationError(
                    f"{where}: recurrence line {line!r} must read 'RRULE:FREQ=...'"
                )
            value = text[6:]
            check_rrule(value, where)
            rrules.append(value)
        elif name == "RDATE":
            rdates.extend(_date_values(text, where))
        elif name == "EXDATE":
            exdates.extend(_date_values(text, where))
        else:
            raise ValidationError(
                f"{where}: recurrence lines must start with RRULE:, EXDATE or RDATE, got {line!r}"
            )
    if not rrules:
        raise ValidationError(
            f"{where}: recurrence must hold an RRULE (PagerDuty requires exactly one), got "
            f"{list(lines)!r}"
        )
    return Recurrence(tuple(rrules), tuple(rdates), tuple(exdates))
