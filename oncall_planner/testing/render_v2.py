"""The stand-in's reference renderer of layer-based (v2) schedules: each layer's entries, the
overrides' and the final schedule, minute by minute, straight from the documented rules
(independent of :mod:`oncall_planner.render`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from oncall_planner.testing._common import MINUTE, _from_local, _iso, _parse


class _LayerRules:
    def __init__(self, doc: Mapping[str, Any], tz: ZoneInfo) -> None:
        self.tz = tz
        self.start = _parse(doc["start"])
        self.end = _parse(doc["end"]) if doc.get("end") else None
        self.anchor = _parse(doc["rotation_virtual_start"]).astimezone(tz).replace(tzinfo=None)
        self.length = dt.timedelta(seconds=int(doc["rotation_turn_length_seconds"]))
        self.users = [u["user"] for u in doc.get("users") or []]
        self.restrictions = list(doc.get("restrictions") or [])
        self._bounds: dict[int, dt.datetime] = {}
        self._windows: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}

    def bound(self, k: int) -> dt.datetime:
        if k not in self._bounds:
            self._bounds[k] = _from_local(self.anchor + k * self.length, self.tz)
        return self._bounds[k]

    def windows(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if day not in self._windows:
            out = []
            for r in self.restrictions:
                clock = dt.time.fromisoformat(r["start_time_of_day"])
                if r["type"] == "weekly_restriction" and day.isoweekday() != r["start_day_of_week"]:
                    continue
                naive = dt.datetime.combine(day, clock)
                length = dt.timedelta(seconds=int(r["duration_seconds"]))
                out.append((_from_local(naive, self.tz), _from_local(naive + length, self.tz)))
            self._windows[day] = out
        return self._windows[day]

    def who(self, t: dt.datetime) -> Mapping[str, Any] | None:
        if t < self.start or (self.end is not None and t >= self.end) or not self.users:
            return None
        if self.restrictions:
            today = t.astimezone(self.tz).date()
            days = [today - dt.timedelta(days=d) for d in range(8)]
            if not any(a <= t < b for day in days for a, b in self.windows(day)):
                return None
        local = t.astimezone(self.tz).replace(tzinfo=None)
        k = (local - self.anchor) // self.length
        while self.bound(k) > t:
            k -= 1
        while self.bound(k + 1) <= t:
            k += 1
        return self.users[k % len(self.users)]  # type: ignore[no-any-return]


def _entries(
    who: Any, since: dt.datetime, until: dt.datetime, tz: ZoneInfo
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    t = since
    current: Mapping[str, Any] | None = None
    start = since
    while t <= until:
        person = who(t) if t < until else None
        if (person or {}).get("id") != (current or {}).get("id") or t == until:
            if current is not None and start < t:
                out.append({"user": dict(current), "start": _iso(start, tz), "end": _iso(t, tz)})
            current, start = person, t
        t += MINUTE
    return out


def render_schedule(
    doc: Mapping[str, Any],
    overrides: Sequence[Mapping[str, Any]],
    since: dt.datetime,
    until: dt.datetime,
) -> dict[str, Any]:
    """Each layer's entries (by layer ID), the overrides' and the final schedule's, over
    ``[since, until)``, in the schedule's zone, minute by minute."""
    tz = ZoneInfo(doc["time_zone"] if doc["time_zone"] != "UTC" else "Etc/UTC")
    layers = [_LayerRules(layer, tz) for layer in doc.get("schedule_layers") or []]
    spans = [(_parse(o["start"]), _parse(o["end"]), o["user"]) for o in overrides]

    def override_at(t: dt.datetime) -> Mapping[str, Any] | None:
        for start, end, user in reversed(spans):  # the latest created wins
            if start <= t < end:
                return user  # type: ignore[no-any-return]
        return None

    def final_at(t: dt.datetime) -> Mapping[str, Any] | None:
        person = override_at(t)
        if person is not None:
            return person
        for layer in reversed(layers):  # the last layer wins
            person = layer.who(t)
            if person is not None:
                return person
        return None

    return {
        "layers": {
            str(layer_doc.get("id")): _entries(rules.who, since, until, tz)
            for layer_doc, rules in zip(doc.get("schedule_layers") or [], layers)
        },
        "overrides": _entries(override_at, since, until, tz),
        "final": _entries(final_at, since, until, tz),
    }
