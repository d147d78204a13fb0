"""Per-person load over a horizon, from the rendered final schedules and the levels they serve.

All arithmetic is on ``int`` POSIX seconds; hours appear only in the results.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import OnCallPlan, Target, User
from oncall_planner.render import FinalSchedule
from oncall_planner.timeutil import (
    DAY,
    HOUR,
    ZoneClock,
    clock,
    iso_weekday,
    public_holidays,
    to_seconds,
)

Span = tuple[int, int]
HolidayRegion = tuple[str, "str | None"]

#: Schedules that no escalation policy targets are counted at this level.
UNREFERENCED_LEVEL = 1


def _most_urgent_levels(plan: OnCallPlan, key: Callable[[Target], str | None]) -> dict[str, int]:
    """``key(target)`` -> the most urgent level (1 = first rule) of any policy with that target;
    targets whose key is ``None`` are left out."""
    levels: dict[str, int] = {}
    for policy in plan.escalation_policies:
        for level, rule in enumerate(policy.rules, start=1):
            for target in rule.targets:
                name = key(target)
                if name is not None:
                    levels[name] = min(levels.get(name, level), level)
    return levels


def schedule_levels(plan: OnCallPlan) -> dict[str, int]:
    """Schedule name -> the level it serves: 1 + the index of the first rule of a policy that
    targets it (the most urgent over all policies); schedules no policy targets get level 1."""
    levels = _most_urgent_levels(plan, lambda t: None if t.schedule is None else t.schedule.name)
    return {s.name: levels.get(s.name, UNREFERENCED_LEVEL) for s in plan.all_schedules}


def user_target_levels(plan: OnCallPlan) -> dict[str, int]:
    """Email (lower case) -> the most urgent level that targets that user directly."""
    return _most_urgent_levels(plan, lambda t: None if t.user is None else t.user.email.lower())


def union(spans: Iterable[Span]) -> list[Span]:
    """Sorted, disjoint, merged spans (touching spans merge)."""
    merged: list[Span] = []
    for s, e in sorted(spans):
        if s >= e:
            continue
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def total(spans: Iterable[Span]) -> int:
    return sum(e - s for s, e in spans)


#: Sleep (night) hours, local time: from 22:00 to 08:00; business hours end at 18:00.
SLEEP_START_HOUR, SLEEP_END_HOUR = 22, 8
BUSINESS_END_HOUR = 18


@attrs.frozen
class Buckets:
    """Seconds of on-call time by kind of hour, in the person's own zone.

    ``business`` (08–18 Monday–Friday), ``off`` (18–22 Monday–Friday and 08–22 Saturday–Sunday)
    and ``sleep`` (22–08 every day) partition the time; ``night`` is the same as ``sleep``.
    ``weekend`` is Saturday and Sunday; ``holiday`` the person's public holidays. For pay,
    ``weekday_plain`` + ``weekend_plain`` + ``holiday`` partition the time (a holiday on a weekend
    counts as holiday).
    """

    business: int = 0
    off: int = 0
    sleep: int = 0
    weekend: int = 0
    holiday: int = 0
    weekday_plain: int = 0
    weekend_plain: int = 0


def day_type(day: int, holiday_dates: frozenset[dt.date]) -> str:
    """``"holiday"``, ``"weekend"`` or ``"weekday"`` for a local day number."""
    if _date(day) in holiday_dates:
        return "holiday"
    return "weekend" if iso_weekday(day * DAY) >= 6 else "weekday"


def _date(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=day)


def bucket(spans: Sequence[Span], zclock: ZoneClock, holiday_dates: frozenset[dt.date]) -> Buckets:
    """Split ``spans`` into business/off/sleep, weekend and holiday seconds in ``zclock``'s zone."""
    acc = {k: 0 for k in attrs.fields_dict(Buckets)}

    def overlap(a: int, b: int, s: int, e: int) -> int:
        return max(0, min(b, e) - max(a, s))

    for s, e in spans:
        first = zclock.to_local(s) // DAY
        last = zclock.to_local(e - 1) // DAY
        for day in range(first, last + 1):
            base = day * DAY
            hours = (0, SLEEP_END_HOUR, BUSINESS_END_HOUR, SLEEP_START_HOUR, 24)
            midnight, wake, close, bedtime, next_midnight = (
                zclock.from_local(base + h * HOUR) for h in hours
            )
            weekend = iso_weekday(base) >= 6
            sleep = overlap(midnight, wake, s, e) + overlap(bedtime, next_midnight, s, e)
            day_part = overlap(wake, close, s, e)
            evening = overlap(close, bedtime, s, e)
            acc["sleep"] += sleep
            if weekend:
                acc["off"] += day_part + evening
            else:
                acc["business"] += day_part
                acc["off"] += evening
            whole = overlap(midnight, next_midnight, s, e)
            kind = day_type(day, holiday_dates)
            if weekend:
                acc["weekend"] += whole
            if kind == "holiday":
                acc["holiday"] += whole
            elif kind == "weekend":
                acc["weekend_plain"] += whole
            else:
                acc["weekday_plain"] += whole
    return Buckets(**acc)


def in_hours(hour: float, start: float, end: float) -> bool:
    """Whether a local hour of the day (22.5 is 22:30) falls in ``[start, end)``, a window that
    runs past midnight when ``start > end`` (22 to 8 is the night)."""
    return start <= hour or hour < end if start > end else start <= hour < end


def is_sleep_time(instant: int, zclock: ZoneClock) -> bool:
    """Whether an instant falls in 22:00–08:00 local time."""
    hour = (zclock.to_local(instant) % DAY) // HOUR
    return in_hours(hour, SLEEP_START_HOUR, SLEEP_END_HOUR)


@functools.lru_cache(maxsize=256)
def holiday_dates(
    country: str, subdivision: str | None, years: tuple[int, ...]
) -> frozenset[dt.date]:
    """Public-holiday dates from the ``holidays`` package (unknown region: ValidationError)."""
    where = f"fairness_report: holiday region ({country!r}, {subdivision!r})"
    return frozenset(public_holidays(country, years, subdivision, where))


def check_regions(regions: object) -> dict[str, HolidayRegion]:
    """Normalise the email -> (country, subdivision) mapping (a bare country string is allowed)."""
    if regions is None:
        return {}
    if not isinstance(regions, Mapping):
        raise ValidationError(
            "fairness_report: holidays must map user email -> (country, subdivision), "
            f"got {regions!r}"
        )
    out: dict[str, HolidayRegion] = {}
    for email, value in regions.items():
        if not isinstance(email, str):
            raise ValidationError(f"fairness_report: holidays keys must be emails, got {email!r}")
        if isinstance(value, str):
            out[email.lower()] = (value, None)
        elif (
            isinstance(value, tuple)
            and len(value) == 2
            and isinstance(value[0], str)
            and (value[1] is None or isinstance(value[1], str))
        ):
            out[email.lower()] = (value[0], value[1])
        else:
            raise ValidationError(
                f"fairness_report: holidays[{email!r}] must be a country code or a "
                f"(country, subdivision) pair, got {value!r}"
            )
    return out


def page_user_key(user: object, users: Iterable[User] = ()) -> str | None:
    """The lower-case email a page's ``user`` refers to: a User, an email, or the display name of
    one of ``users`` (PagerDuty's exports name people by display name)."""
    if isinstance(user, User):
        return user.email.lower()
    if isinstance(user, str) and user.strip():
        key = user.strip().lower()
        if "@" not in key:
            for known in users:
                if known.name.strip().lower() == key:
                    return known.email.lower()
        return key
    email = getattr(user, "email", None)
    return email.lower() if isinstance(email, str) else None


def spans_by_user(finals: Iterable[tuple[FinalSchedule, int]]) -> dict[str, dict[int, list[Span]]]:
    """Email -> level -> spans, from each final schedule and its level."""
    out: dict[str, dict[int, list[Span]]] = {}
    for final, level in finals:
        for entry in final.entries:
            key = entry.user.email.lower()
            out.setdefault(key, {}).setdefault(level, []).append(
                (to_seconds(entry.start), to_seconds(entry.end))
            )
    return out


def zone_of(user: User, home_zones: Mapping[str, str]) -> str:
    """The user's own zone, else the zone of the first schedule that rosters them, else UTC."""
    return user.time_zone or home_zones.get(user.email.lower(), "Etc/UTC")


__all__ = [
    "UNREFERENCED_LEVEL",
    "Buckets",
    "bucket",
    "check_regions",
    "clock",
    "day_type",
    "holiday_dates",
    "in_hours",
    "is_sleep_time",
    "page_user_key",
    "schedule_levels",
    "spans_by_user",
    "total",
    "union",
    "user_target_levels",
    "zone_of",
]
