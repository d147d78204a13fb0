"""What the stand-in's modules share: PagerDuty's base URL and references, ISO 8601 times, and the
wall-clock rule (gaps and folds) both reference renderers read local times by."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc
MINUTE = dt.timedelta(minutes=1)
SELF = "https://api.pagerduty.com"


def _iso(value: dt.datetime, tz: dt.tzinfo = UTC) -> str:
    return value.astimezone(tz).isoformat()


def _parse(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _ref(kind: str, ident: str, summary: str) -> dict[str, Any]:
    path = {"user": "users", "team": "teams", "schedule": "schedules"}.get(kind, kind + "s")
    return {
        "id": ident,
        "type": f"{kind}_reference",
        "summary": summary,
        "self": f"{SELF}/{path}/{ident}",
    }


def _iana(zone: str) -> str:
    return "Etc/UTC" if zone == "UTC" else zone


def _from_local(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The instant of a local wall-clock time: the first occurrence when it happens twice, the
    instant the clocks jump when it does not exist."""
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first
    lo = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    hi = first
    if lo > hi:
        lo, hi = hi, lo
    while hi - lo > MINUTE:
        mid = lo + ((hi - lo) // 2 // MINUTE) * MINUTE
        if mid.astimezone(tz).replace(tzinfo=None) < naive:
            lo = mid
        else:
            hi = mid
    return hi
