"""Kinds of hours: business, off and sleep, as PagerDuty and other tools define them.

A :class:`HourWindows` is a set of weekly :class:`Window`\\ s, each naming the bucket it belongs
to, plus a precedence for the moments that fall in several windows and a fallback bucket for the
moments that fall in none. Instants are classified on the wall clock of a zone (the person's
own), through :class:`~oncall_planner.timeutil.ZoneClock`, so a DST change moves the local hours
with the clocks.

PagerDuty's Analytics windows (``AnalyticsResponderMetrics``): business 08:00-18:00 Monday to
Friday, off 18:00-22:00 Monday to Friday and all of Saturday and Sunday, sleep 22:00-08:00 every
day, in the user's time zone. As written, off and sleep overlap on weekend nights; the default
precedence is sleep, then off, then business.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.timeutil import DAY, HOUR, MINUTE, ZoneClock, iso_weekday, parse_time_of_day

#: The three kinds of hours every preset sorts time into.
BUCKETS: tuple[str, ...] = ("business", "off", "sleep")
#: How interruptions are counted: PagerDuty counts notifications, Multitudes acknowledgements.
COUNTINGS: tuple[str, ...] = ("notifications", "acknowledgements")
DAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS = frozenset(range(1, 6))
WEEKEND = frozenset((6, 7))
EVERY_DAY = frozenset(range(1, 8))


def _minutes(value: Any, where: str, field: str) -> int:
    """``"08:00"`` (or a ``time``) as minutes after midnight; ``"24:00"`` is 1440."""
    if value == "24:00":
        return 24 * 60
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24 * 60:
        return value
    parsed = parse_time_of_day(value, where, field)
    if parsed.second or parsed.microsecond:
        raise ValidationError(f"{where}: {field} must be a whole minute, got {value!r}")
    return parsed.hour * 60 + parsed.minute


def parse_days(value: Any, where: str = "Window") -> frozenset[int]:
    """Days of the week as ISO numbers (Monday 1 to Sunday 7), from numbers, names (``"Sat"``),
    a range (``"Mon-Fri"``) or ``"every day"``."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("every day", "daily", "all"):
            return EVERY_DAY
        if "-" in text:
            first, _, last = value.strip().partition("-")
            a, b = _day(first, where), _day(last, where)
            if a > b:
                raise ValidationError(f"{where}: days range {value!r} must run forwards")
            return frozenset(range(a, b + 1))
        return frozenset((_day(value.strip(), where),))
    if isinstance(value, int) and not isinstance(value, bool):
        return frozenset((_day(value, where),))
    if isinstance(value, Iterable):
        days: set[int] = set()
        for item in value:
            days |= parse_days(item, where)
        if not days:
            raise ValidationError(f"{where}: days must name at least one day, got {value!r}")
        return frozenset(days)
    raise ValidationError(
        f"{where}: days must be day names ('Mon-Fri', ['Sat', 'Sun']) or numbers 1-7, got {value!r}"
    )


def _day(value: Any, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 7:
        return value
    if isinstance(value, str):
        key = value.strip().lower()[:3]
        for i, name in enumerate(DAY_NAMES, start=1):
            if name.lower() == key and len(value.strip()) >= 3:
                return i
    raise ValidationError(
        f"{where}: {value!r} is not a day; use Mon, Tue, Wed, Thu, Fri, Sat, Sun or 1-7"
    )


def _to_days(value: Any) -> frozenset[int]:
    return parse_days(value, "Window")


def _start(value: Any) -> int:
    return _minutes(value, "Window", "start")


def _end(value: Any) -> int:
    return _minutes(value, "Window", "end")


def _check_bucket(instance: Any, attribute: Any, value: Any) -> None:
    if value not in BUCKETS:
        raise ValidationError(f"Window: bucket must be 'business', 'off' or 'sleep', got {value!r}")


@attrs.frozen
class Window:
    """Local hours ``[start, end)`` on the given ``days`` that count as ``bucket``.

    ``start`` and ``end`` are times of day (``"08:00"``; ``"24:00"`` is the end of the day). When
    ``end`` is not after ``start`` the window runs past midnight into the next day and belongs to
    the day it starts on: ``Window("sleep", "Fri", "22:00", "08:00")`` is Friday night.
    """

    bucket: str = attrs.field(validator=_check_bucket)
    days: frozenset[int] = attrs.field(converter=_to_days)
    start: int = attrs.field(converter=_start)
    end: int = attrs.field(converter=_end)

    def __attrs_post_init__(self) -> None:
        if self.start == self.end and not (self.start == 0):
            raise ValidationError(
                f"Window: start and end are both {_clock(self.start)}; give a window of some "
                "length (00:00 to 24:00 for a whole day)"
            )
        if self.start >= 24 * 60:
            raise ValidationError("Window: start must be before 24:00")

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def contains(self, weekday: int, second_of_day: int) -> bool:
        """Whether a local moment (ISO weekday, seconds after local midnight) is inside."""
        lo, hi = self.start * MINUTE, self.end * MINUTE
        if not self.crosses_midnight:
            return weekday in self.days and lo <= second_of_day < hi
        before = 7 if weekday == 1 else weekday - 1
        return (weekday in self.days and second_of_day >= lo) or (
            before in self.days and second_of_day < hi
        )

    def describe(self) -> str:
        return f"{describe_days(self.days)} {_clock(self.start)}-{_clock(self.end)}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe_days(days: frozenset[int]) -> str:
    """``Mon-Fri``, ``Sat-Sun``, ``every day`` or ``Mon, Wed``."""
    if days == EVERY_DAY:
        return "every day"
    ordered = sorted(days)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 1:
        return f"{DAY_NAMES[ordered[0] - 1]}-{DAY_NAMES[ordered[-1] - 1]}"
    return ", ".join(DAY_NAMES[d - 1] for d in ordered)


def _check_precedence(instance: Any, attribute: Any, value: Any) -> None:
    if sorted(value) != sorted(BUCKETS):
        raise ValidationError(
            "HourWindows: precedence must list 'business', 'off' and 'sleep' once each, "
            f"got {list(value)!r}"
        )


def _check_fallback(instance: Any, attribute: Any, value: Any) -> None:
    if value not in BUCKETS:
        raise ValidationError(
            f"HourWindows: fallback must be 'business', 'off' or 'sleep', got {value!r}"
        )


def _check_counting(instance: Any, attribute: Any, value: Any) -> None:
    if value not in COUNTINGS:
        raise ValidationError(
            f"HourWindows: counting must be 'notifications' or 'acknowledgements', got {value!r}"
        )


def _windows(value: Any) -> tuple[Window, ...]:
    items = tuple(value)
    for item in items:
        if not isinstance(item, Window):
            raise ValidationError(f"HourWindows: windows must hold Window objects, got {item!r}")
    return items


@attrs.frozen
class HourWindows:
    """How local time is sorted into business, off and sleep hours.

    A moment inside several windows takes the bucket that comes first in ``precedence``; a moment
    inside none takes ``fallback``. ``counting`` says what an interruption is counted from:
    ``"notifications"`` (PagerDuty: push, phone and SMS notifications, merged) or
    ``"acknowledgements"`` (Multitudes).
    """

    name: str
    windows: tuple[Window, ...] = attrs.field(converter=_windows)
    precedence: tuple[str, ...] = attrs.field(
        default=("sleep", "off", "business"), converter=tuple, validator=_check_precedence
    )
    fallback: str = attrs.field(default="off", validator=_check_fallback)
    counting: str = attrs.field(default="notifications", validator=_check_counting)

    def bucket_at(self, local: int) -> str:
        """The bucket of a local wall-clock time (local seconds, see ``ZoneClock.to_local``)."""
        weekday = iso_weekday(local)
        second = local % DAY
        inside = {w.bucket for w in self.windows if w.contains(weekday, second)}
        for bucket in self.precedence:
            if bucket in inside:
                return bucket
        return self.fallback

    def bucket_of(self, instant: int, zclock: ZoneClock) -> str:
        """The bucket of an instant (POSIX seconds) on ``zclock``'s wall clock."""
        return self.bucket_at(zclock.to_local(instant))

    def split(self, spans: Sequence[tuple[int, int]], zclock: ZoneClock) -> dict[str, int]:
        """Seconds of ``spans`` (instants, half-open) in each bucket; they add up to the spans'
        total. Every window edge and local midnight is a possible change of bucket: the spans are
        cut there (through the wall clock, DST included) and each piece takes the bucket of its
        first moment."""
        out = dict.fromkeys(BUCKETS, 0)
        for s, e in spans:
            for a, b in self.pieces(s, e, zclock):
                out[self.bucket_of(a, zclock)] += b - a
        return out

    def pieces(self, s: int, e: int, zclock: ZoneClock) -> list[tuple[int, int]]:
        """``[s, e)`` cut wherever the bucket may change."""
        if e <= s:
            return []
        edges = sorted(
            {w.start * MINUTE for w in self.windows} | {w.end * MINUTE for w in self.windows} | {0}
        )
        first = zclock.to_local(s) // DAY - 1
        last = zclock.to_local(e - 1) // DAY + 1
        cuts = {s, e}
        for day in range(first, last + 1):
            for edge in edges:
                t = zclock.from_local(day * DAY + edge)
                if s < t < e:
                    cuts.add(t)
        ordered = sorted(cuts)
        return list(itertools.pairwise(ordered))

    def describe(self) -> dict[str, str]:
        """Each bucket's windows in words, e.g. ``{"business": "Mon-Fri 08:00-18:00", ...}``."""
        out = {}
        gaps = self._uncovered()
        for bucket in BUCKETS:
            parts = [w.describe() for w in self.windows if w.bucket == bucket]
            if bucket == self.fallback and gaps:
                parts.append("any other time")
            out[bucket] = ", ".join(parts) or "never"
        return out

    def _uncovered(self) -> bool:
        """Whether some minute of the week is in no window (and so takes the fallback)."""
        edges = sorted({0, *(w.start for w in self.windows), *(w.end % 1440 for w in self.windows)})
        for weekday in range(1, 8):
            for minute in edges:
                if not any(w.contains(weekday, minute * MINUTE) for w in self.windows):
                    return True
        return False


def _pagerduty() -> HourWindows:
    return HourWindows(
        "pagerduty",
        (
            Window("business", WEEKDAYS, "08:00", "18:00"),
            Window("off", WEEKDAYS, "18:00", "22:00"),
            Window("off", WEEKEND, "00:00", "24:00"),
            Window("sleep", EVERY_DAY, "22:00", "08:00"),
        ),
    )


def _rootly() -> HourWindows:
    return HourWindows(
        "rootly",
        (
            Window("business", WEEKDAYS, "09:00", "17:00"),
            Window("sleep", EVERY_DAY, "22:00", "06:00"),
        ),
    )


def _multitudes() -> HourWindows:
    return HourWindows(
        "multitudes",
        (Window("business", WEEKDAYS, "08:00", "18:00"),),
        counting="acknowledgements",
    )


#: The presets by name: PagerDuty's Analytics (the default), Rootly's and Multitudes'.
PRESETS = {"pagerduty": _pagerduty, "rootly": _rootly, "multitudes": _multitudes}


def preset(name: str) -> HourWindows:
    """The preset called ``name`` (``pagerduty``, ``rootly`` or ``multitudes``)."""
    if name not in PRESETS:
        raise ValidationError(
            f"hours preset must be one of {', '.join(sorted(PRESETS))} (or custom windows), "
            f"got {name!r}"
        )
    return PRESETS[name]()


def hour_of_week(instant: int, zclock: ZoneClock) -> tuple[int, int]:
    """(ISO weekday 1-7, hour 0-23) of an instant on ``zclock``'s wall clock."""
    local = zclock.to_local(instant)
    return iso_weekday(local), (local % DAY) // HOUR


def local_date(instant: int, zclock: ZoneClock) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=zclock.to_local(instant) // DAY)


__all__ = [
    "BUCKETS",
    "COUNTINGS",
    "DAY_NAMES",
    "PRESETS",
    "HourWindows",
    "Window",
    "describe_days",
    "hour_of_week",
    "local_date",
    "parse_days",
    "preset",
]
