"""Verify: our render of each schedule against PagerDuty's own, minute by minute.

For every schedule, ``GET /schedules/{id}?since&until`` gives both the definition and PagerDuty's
rendering of it (``final_schedule``, ``overrides_subschedule`` and each layer's
``rendered_schedule_entries``); ``GET /schedules/{id}/overrides`` gives the overrides.
:func:`compare_schedule` renders the definition with :func:`oncall_planner.render` and compares
who is on call at every minute of the window. Each stretch where the two differ is a
:class:`Disagreement` that says who each side has on call, which layer or override put them
there, which layers disagree on their own, and what is near (a daylight-saving change, a
handoff, a restriction edge, a layer's start or end), so a bug report can name the rule.

:func:`compare_schedule` is pure; :func:`verify` makes the calls.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

import oncall_planner.pagerduty_api.convert as convert
from oncall_planner.model import Layer, Override, Schedule, User
from oncall_planner.pagerduty_api.client import PagerDutyClient
from oncall_planner.render import Entry, Mode, render
from oncall_planner.timeutil import zone

UTC = dt.timezone.utc
MINUTE = dt.timedelta(minutes=1)

# (start, end, key): key is a PagerDuty user ID (or our email when we know no ID)
_Span = tuple[dt.datetime, dt.datetime, str]


def _iso(value: dt.datetime) -> str:
    utc = value.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"


@attrs.frozen
class Disagreement:
    """Over ``[start, end)`` we have ``ours`` on call and PagerDuty has ``theirs`` (names, or
    ``None`` for nobody). ``ours_from``/``theirs_from`` say which layer or override each side's
    person comes from; ``layers`` lists the layers whose own rendering differs; ``hints`` what
    is near the stretch (a DST change, a handoff, a restriction edge, a layer's start or end)."""

    start: dt.datetime
    end: dt.datetime
    ours: str | None
    theirs: str | None
    ours_from: str
    theirs_from: str
    layers: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        return int((self.end - self.start) / MINUTE)


@attrs.frozen
class ScheduleCheck:
    """One schedule's verdict over ``[since, until)``."""

    name: str
    pagerduty_id: str
    time_zone: str
    since: dt.datetime
    until: dt.datetime
    disagreements: tuple[Disagreement, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.disagreements

    @property
    def minutes(self) -> int:
        return int((self.until - self.since) / MINUTE)

    @property
    def minutes_apart(self) -> int:
        return sum(d.minutes for d in self.disagreements)


@attrs.frozen
class Verification:
    """Every schedule's :class:`ScheduleCheck`, and notes on what could not be checked."""

    since: dt.datetime
    until: dt.datetime
    schedules: tuple[ScheduleCheck, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.schedules)

    def to_text(self) -> str:
        lines = []
        for s in self.schedules:
            tz = zone(s.time_zone)
            window = f"{_when(s.since, tz)} → {_when(s.until, tz)} {s.time_zone}"
            if s.ok:
                lines.append(
                    f"Schedule {s.name!r} ({s.pagerduty_id}), {window}: agrees with PagerDuty "
                    f"at every minute ({s.minutes} minutes)"
                )
            else:
                count = len(s.disagreements)
                lines.append(
                    f"Schedule {s.name!r} ({s.pagerduty_id}), {window}: {count} "
                    f"disagreement{'s' if count != 1 else ''} with PagerDuty, "
                    f"{s.minutes_apart} of {s.minutes} minutes"
                )
                for d in s.disagreements:
                    lines.append(
                        f"  {_when(d.start, tz)} → {_when(d.end, tz)} ({d.minutes} min): "
                        f"ours {d.ours or 'nobody'}, PagerDuty {d.theirs or 'nobody'}"
                    )
                    lines.append(f"    ours from {d.ours_from}")
                    lines.append(f"    PagerDuty's from {d.theirs_from}")
                    lines.extend(f"    {text}" for text in d.layers)
                    lines.extend(f"    near: {text}" for text in d.hints)
            lines.extend(f"  note: {n}" for n in s.notes)
        lines.extend(f"note: {n}" for n in self.notes)
        if not self.schedules:
            lines.append("No schedules to verify.")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": _iso(self.since),
            "until": _iso(self.until),
            "ok": self.ok,
            "notes": list(self.notes),
            "schedules": [
                {
                    "name": s.name,
                    "pagerduty_id": s.pagerduty_id,
                    "time_zone": s.time_zone,
                    "ok": s.ok,
                    "minutes": s.minutes,
                    "minutes_apart": s.minutes_apart,
                    "notes": list(s.notes),
                    "disagreements": [
                        {
                            "start": _iso(d.start),
                            "end": _iso(d.end),
                            "minutes": d.minutes,
                            "ours": d.ours,
                            "pagerduty": d.theirs,
                            "ours_from": d.ours_from,
                            "pagerduty_from": d.theirs_from,
                            "layers": list(d.layers),
                            "near": list(d.hints),
                        }
                        for d in s.disagreements
                    ],
                }
                for s in self.schedules
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _when(value: dt.datetime, tz: dt.tzinfo) -> str:
    return value.astimezone(tz).strftime("%a %Y-%m-%d %H:%M")


class _Timeline:
    """Who is on call when, from spans; ``at(t)`` is the key at ``t`` or ``None``. Spans may
    overlap in PagerDuty's answers: the latest-starting one that covers ``t`` counts."""

    def __init__(self, spans: Sequence[_Span]) -> None:
        self.spans = sorted(spans)
        self.starts = [s[0] for s in self.spans]
        self.reach: list[dt.datetime] = []  # the latest end among spans[0..i]
        for span in self.spans:
            self.reach.append(max(self.reach[-1], span[1]) if self.reach else span[1])

    def at(self, t: dt.datetime) -> str | None:
        i = bisect.bisect_right(self.starts, t) - 1
        while i >= 0 and self.reach[i] > t:
            start, end, key = self.spans[i]
            if start <= t < end:
                return key
            i -= 1
        return None

    def edges(self) -> set[dt.datetime]:
        return {s[0] for s in self.spans} | {s[1] for s in self.spans}


def _their_spans(
    entries: Any, since: dt.datetime, until: dt.datetime, names: dict[str, str]
) -> list[_Span]:
    out = []
    for item in entries or []:
        if not isinstance(item, Mapping):
            continue
        ref = item.get("user") or {}
        uid = ref.get("id") if isinstance(ref, Mapping) else None
        if not isinstance(uid, str):
            continue
        start = max(convert.instant(item.get("start"), "PagerDuty entry start"), since)
        end = min(convert.instant(item.get("end"), "PagerDuty entry end"), until)
        if start < end:
            out.append((start, end, uid))
            summary = ref.get("summary") if isinstance(ref, Mapping) else None
            if isinstance(summary, str) and uid not in names:
                names[uid] = summary
    return out


def _our_spans(entries: Sequence[Entry], key: Callable[[User], str]) -> list[_Span]:
    return [(e.start, e.end, key(e.user)) for e in entries]


def _subschedule(doc: Mapping[str, Any], field: str) -> Any:
    sub = doc.get(field)
    return sub.get("rendered_schedule_entries") if isinstance(sub, Mapping) else None


def compare_schedule(
    schedule: Schedule,
    doc: Mapping[str, Any],
    since: dt.datetime,
    until: dt.datetime,
    overrides: Sequence[Override] = (),
    user_ids: Mapping[str, str] | None = None,
    mode: Mode = "wall",
) -> ScheduleCheck:
    """``schedule`` rendered with ``overrides`` over ``[since, until)`` against PagerDuty's
    rendering in ``doc`` (the ``schedule`` of ``GET /schedules/{id}?since&until``). ``user_ids``
    maps lower-case emails to PagerDuty user IDs, so that people are compared by ID."""
    ids = {k.lower(): v for k, v in (user_ids or {}).items()}
    names: dict[str, str] = {}

    def key(user: User) -> str:
        ident = ids.get(user.email.lower(), user.email)
        names.setdefault(ident, user.name)
        return ident

    final = render(schedule, since, until, overrides, mode=mode)
    ours = _Timeline(_our_spans(final.entries, key))
    ours_layers = [_Timeline(_our_spans(entries, key)) for entries in final.layers]
    ours_visible = [_Timeline(_our_spans(entries, key)) for entries in final.visible]
    ours_overrides = _Timeline(_our_spans(final.overrides, key))
    their_entries = _their_spans(_subschedule(doc, "final_schedule"), since, until, names)
    theirs = _Timeline(their_entries)
    their_layer_docs = convert.layers_in_order(doc)
    theirs_layers = [
        _Timeline(_their_spans(layer.get("rendered_schedule_entries"), since, until, names))
        for layer in their_layer_docs
    ]
    theirs_overrides = _Timeline(
        _their_spans(_subschedule(doc, "overrides_subschedule"), since, until, names)
    )
    notes: list[str] = []
    if _subschedule(doc, "final_schedule") is None:
        notes.append("PagerDuty's answer has no final_schedule entries (asked with since/until?)")
    if len(their_layer_docs) != len(schedule.layers):
        notes.append(
            f"PagerDuty lists {len(their_layer_docs)} layers, the definition {len(schedule.layers)}"
        )
    cuts = sorted({since, until} | ours.edges() | theirs.edges())
    cuts = [c for c in cuts if since <= c <= until]
    raw: list[tuple[dt.datetime, dt.datetime, str | None, str | None]] = []
    for a, b in itertools.pairwise(cuts):
        o, t = ours.at(a), theirs.at(a)
        if o != t:
            if raw and raw[-1][1] == a and raw[-1][2:] == (o, t):
                raw[-1] = (raw[-1][0], b, o, t)
            else:
                raw.append((a, b, o, t))
    tz = zone(schedule.time_zone)
    found = []
    for a, b, o, t in raw:
        found.append(
            _explain(
                schedule,
                a,
                b,
                o,
                t,
                names,
                tz,
                ours_layers,
                ours_visible,
                ours_overrides,
                theirs_layers,
                theirs_overrides,
                their_layer_docs,
            )
        )
    if not raw and len(final.entries) != len(their_entries):
        notes.append(
            f"PagerDuty lists {len(their_entries)} final entries where we list "
            f"{len(final.entries)}: the same person at every minute, only split differently"
        )
    ident = str(doc.get("id") or "?")
    return ScheduleCheck(
        schedule.name, ident, schedule.time_zone, since, until, tuple(found), tuple(notes)
    )


def _explain(
    schedule: Schedule,
    a: dt.datetime,
    b: dt.datetime,
    o: str | None,
    t: str | None,
    names: Mapping[str, str],
    tz: dt.tzinfo,
    ours_layers: Sequence[_Timeline],
    ours_visible: Sequence[_Timeline],
    ours_overrides: _Timeline,
    theirs_layers: Sequence[_Timeline],
    theirs_overrides: _Timeline,
    their_docs: Sequence[Mapping[str, Any]],
) -> Disagreement:
    def who(k: str | None) -> str | None:
        return None if k is None else names.get(k, k)

    def layer_name(i: int) -> str:
        if i < len(schedule.layers):
            return f"layer {i + 1} {schedule.layers[i].name!r}"
        doc = their_docs[i] if i < len(their_docs) else {}
        return f"layer {i + 1} {doc.get('name') or '?'!r}"

    if o is None:
        ours_from = "no layer or override: a gap"
    elif ours_overrides.at(a) == o:
        ours_from = "an override"
    else:
        top = [i for i, tl in enumerate(ours_visible) if tl.at(a) == o]
        ours_from = layer_name(top[-1]) if top else "?"
    if t is None:
        theirs_from = "no layer or override: a gap"
    elif theirs_overrides.at(a) == t:
        theirs_from = "an override"
    else:
        top = [i for i, tl in enumerate(theirs_layers) if tl.at(a) == t]
        theirs_from = (
            f"{layer_name(top[-1])} (its own rendered entries)"
            if top
            else "no layer's rendered entries: PagerDuty does not say which"
        )
    layers = []
    for i in range(max(len(ours_layers), len(theirs_layers))):
        mine = ours_layers[i].at(a) if i < len(ours_layers) else None
        its = theirs_layers[i].at(a) if i < len(theirs_layers) else None
        if mine != its:
            layers.append(
                f"{layer_name(i)} on its own: ours {who(mine) or 'nobody'}, "
                f"PagerDuty {who(its) or 'nobody'}"
            )
    if ours_overrides.at(a) != theirs_overrides.at(a):
        layers.append(
            f"the overrides: ours {who(ours_overrides.at(a)) or 'none'}, "
            f"PagerDuty {who(theirs_overrides.at(a)) or 'none'}"
        )
    hints = []
    if not layers:
        hints.append(
            "every layer and override agrees on its own: the two differ on which one wins "
            "(later layers win, the latest override wins)"
        )
    for i, layer in enumerate(schedule.layers):
        hints.extend(_layer_hints(layer, layer_name(i), a, b, tz, ours_layers, theirs_layers, i))
    return Disagreement(a, b, who(o), who(t), ours_from, theirs_from, tuple(layers), tuple(hints))


def _layer_hints(
    layer: Layer,
    name: str,
    a: dt.datetime,
    b: dt.datetime,
    tz: dt.tzinfo,
    ours_layers: Sequence[_Timeline],
    theirs_layers: Sequence[_Timeline],
    i: int,
) -> list[str]:
    out = []
    for edge in (a, b):
        at = _when(edge, tz)
        if edge == layer.start:
            out.append(f"{name} starts at {at}")
        if layer.end is not None and edge == layer.end:
            out.append(f"{name} ends at {at}")
        if (
            i < len(ours_layers)
            and edge in ours_layers[i].edges()
            and edge
            not in (
                layer.start,
                layer.end,
            )
        ):
            what = "a restriction window edge or handoff" if layer.restrictions else "a handoff"
            out.append(f"{name} has {what} in our render at {at}")
        if i < len(theirs_layers) and edge in theirs_layers[i].edges():
            out.append(f"{name} changes hands in PagerDuty's rendering at {at}")
    change = _offset_change(a - layer.turn_length, b, tz)
    if change is not None:
        out.append(
            f"a daylight-saving change in {getattr(tz, 'key', tz)} on {change:%Y-%m-%d} falls in "
            f"{name}'s turn (turns count on the wall clock)"
        )
    if layer.restrictions:
        kinds = "; ".join(str(r) for r in layer.restrictions)
        out.append(f"{name} is restricted: {kinds}")
    return list(dict.fromkeys(out))


def _offset_change(a: dt.datetime, b: dt.datetime, tz: dt.tzinfo) -> dt.date | None:
    """The local date of the first UTC-offset change in ``[a, b]``, if any (hourly steps)."""
    step = dt.timedelta(hours=1)
    t = a
    before = t.astimezone(tz).utcoffset()
    while t < b:
        nxt = min(t + step, b)
        after = nxt.astimezone(tz).utcoffset()
        if after != before:
            return nxt.astimezone(tz).date()
        t, before = nxt, after
    return None


def verify(
    client: PagerDutyClient,
    *,
    since: dt.datetime,
    until: dt.datetime,
    schedule_ids: Sequence[str] = (),
    team_ids: Sequence[str] = (),
    mode: Mode = "wall",
    progress: Callable[[str, int, int, str], None] | None = None,
) -> Verification:
    """Pull each schedule (all of them, or ``schedule_ids``, or those of ``team_ids``) with
    PagerDuty's rendering of ``[since, until)`` and compare it with ours."""
    from oncall_planner.pagerduty_api.pull import schedule_ids_of

    notes = convert.Notes()
    user_docs = list(client.iter_all("/users", "users"))
    by_id = convert.users(user_docs, notes)
    ids = list(dict.fromkeys(schedule_ids)) or schedule_ids_of(client, team_ids)
    window = {"since": _iso(since), "until": _iso(until)}
    checks = []
    if progress is not None:
        progress("schedules", 0, len(ids), "")
    for n, ident in enumerate(ids, start=1):
        answer = client.get(f"/schedules/{ident}", window)
        doc = answer.get("schedule") if isinstance(answer, dict) else None
        if not isinstance(doc, dict):
            notes.add(f"schedule {ident}: PagerDuty's answer has no 'schedule'; not verified")
            continue
        made = convert.schedule(doc, by_id, {}, notes)
        listed = client.get(f"/schedules/{ident}/overrides", window)
        items = listed.get("overrides") if isinstance(listed, dict) else None
        if made is None:
            continue
        schedule, _ = made
        pairs = convert.overrides(items or [], by_id, notes, f"schedule {ident}")
        email_ids = {u.email.lower(): uid for uid, u in by_id.items()}
        checks.append(
            compare_schedule(schedule, doc, since, until, [o for o, _ in pairs], email_ids, mode)
        )
        if progress is not None:
            progress("schedules", n, len(ids), schedule.name)
    checks.sort(key=lambda c: (c.name, c.pagerduty_id))
    return Verification(since, until, tuple(checks), tuple(notes.items))
