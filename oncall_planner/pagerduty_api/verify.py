"""Verify: our render of each schedule against PagerDuty's own, minute by minute.

For every layer-based schedule, ``GET /schedules/{id}?since&until`` gives both the definition and
PagerDuty's rendering of it (``final_schedule``, ``overrides_subschedule`` and each layer's
``rendered_schedule_entries``); ``GET /schedules/{id}/overrides`` gives the overrides.
:func:`compare_schedule` renders the definition with :func:`oncall_planner.render` and compares
who is on call at every minute of the window. Each stretch where the two differ is a
:class:`Disagreement` that says who each side has on call, which layer or override put them
there, which layers disagree on their own, and what is near (a daylight-saving change, a
handoff, a restriction edge, a layer's start or end), so a bug report can name the rule.

For a shift-based schedule, ``GET /v3/schedules/{id}?include[]=final_schedule&since&until`` gives
the definition and PagerDuty's ``final_schedule``, and the ``custom_shifts`` and ``overrides`` of
the window come from their own calls. :func:`compare_shift_schedule` compares the *sets* of people
on call (several at once is normal there), traces each person to the rotation, custom shift or
override that put them there on both sides, and renders again under each other value of every
:class:`~oncall_planner.ShiftRenderOptions` field that changes who is on call: an option under
which a disagreement goes away explains it, and one under which the whole window agrees answers
that open question of docs/schedulev2.md for the account.

:func:`compare_schedule` and :func:`compare_shift_schedule` are pure; :func:`verify` makes the
calls.
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
from oncall_planner.errors import ValidationError
from oncall_planner.model import Layer, Override, Schedule, ShiftOverride, ShiftSchedule, User
from oncall_planner.pagerduty_api.client import PagerDutyClient, api_path, items_of
from oncall_planner.render import Entry, Mode, ShiftRenderOptions, render
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
    """Over ``[start, end)`` we have ``ours`` on call and PagerDuty has ``theirs`` (names, comma
    separated for a shift-based schedule, or ``None`` for nobody). ``ours_from``/``theirs_from``
    say which layer, rotation, custom shift or override each side's person comes from (for a
    shift-based schedule: the people only one side has); ``layers`` lists the layers (rotations,
    custom shifts) whose own rendering differs; ``hints`` what is near the stretch (a DST change,
    a handoff, a restriction edge, a layer's start or end, an event's effective bounds).
    ``options`` names the render options (:class:`~oncall_planner.ShiftRenderOptions`) under
    which ours would agree with PagerDuty over the stretch; ``ours_people``/``theirs_people``
    are the sets of names."""

    start: dt.datetime
    end: dt.datetime
    ours: str | None
    theirs: str | None
    ours_from: str
    theirs_from: str
    layers: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    ours_people: tuple[str, ...] = ()
    theirs_people: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        return int((self.end - self.start) / MINUTE)


@attrs.frozen
class ScheduleCheck:
    """One schedule's verdict over ``[since, until)``. ``kind`` is ``"layer-based"`` or
    ``"shift-based"``; for a shift-based schedule that disagrees, ``settled`` says which render
    option makes the whole window agree (the answer to an open question, for this account)."""

    name: str
    pagerduty_id: str
    time_zone: str
    since: dt.datetime
    until: dt.datetime
    disagreements: tuple[Disagreement, ...]
    notes: tuple[str, ...] = ()
    kind: str = "layer-based"
    settled: tuple[str, ...] = ()

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
                    if s.kind == "shift-based":
                        if d.ours_from:
                            lines.append(f"    only ours: {d.ours_from}")
                        if d.theirs_from:
                            lines.append(f"    only PagerDuty's: {d.theirs_from}")
                    else:
                        lines.append(f"    ours from {d.ours_from}")
                        lines.append(f"    PagerDuty's from {d.theirs_from}")
                    lines.extend(f"    {text}" for text in d.layers)
                    lines.extend(f"    explained by {text}" for text in d.options)
                    lines.extend(f"    near: {text}" for text in d.hints)
                lines.extend(f"  settled: {text}" for text in s.settled)
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
                    "kind": s.kind,
                    "pagerduty_id": s.pagerduty_id,
                    "time_zone": s.time_zone,
                    "settled": list(s.settled),
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
                            "ours_people": list(d.ours_people),
                            "pagerduty_people": list(d.theirs_people),
                            "layers": list(d.layers),
                            "explained_by": list(d.options),
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
    return Disagreement(
        a,
        b,
        who(o),
        who(t),
        ours_from,
        theirs_from,
        tuple(layers),
        tuple(hints),
        (),
        tuple(x for x in (who(o),) if x),
        tuple(x for x in (who(t),) if x),
    )


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


# ---------------------------------------------------------------------------------------------
# Shift-based schedules: sets of people, minute by minute
# ---------------------------------------------------------------------------------------------

#: The render options that change who is on call, each value, and the open question it
#: answers (docs/schedulev2.md numbers them as the project's research does).
QUESTIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "expand_in": (("event_zone", "utc"), "U1", "which clock repeats the rule"),
    "duration": (
        ("exact", "wallclock"),
        "U2",
        "how long an occurrence lasts across a daylight-saving change",
    ),
    "unsynced_start": (("rfc5545", "dateutil"), "U3", "a start_time the rule does not match"),
    "member_anchor": (
        ("start_time", "effective_since", "rotation"),
        "U4",
        "where member counting starts",
    ),
    "excluded_dates": (("not_counted", "counted"), "U5", "whether an EXDATE uses up a turn"),
    "effective_bounds": (
        ("clip", "by_start", "drop"),
        "U6",
        "an occurrence across effective_since or effective_until",
    ),
}


def _question(field: str) -> str:
    _, code, text = QUESTIONS[field]
    return f"{code} ({text})"


# (start, end, PagerDuty user ID or our email, where it comes from in words, source key)
_Shift = tuple[dt.datetime, dt.datetime, str, str, tuple[str, int | str]]


class _Sets:
    """Who is on call at each instant, as a set, from spans that may overlap."""

    def __init__(self, spans: Sequence[_Shift]) -> None:
        self.spans = list(spans)
        changes: dict[dt.datetime, list[tuple[str, int]]] = {}
        for s, e, k, _, _ in spans:
            changes.setdefault(s, []).append((k, 1))
            changes.setdefault(e, []).append((k, -1))
        self.starts = sorted(changes)
        self.values: list[frozenset[str]] = []
        count: dict[str, int] = {}
        for t in self.starts:  # one sweep: the set from each edge to the next
            for k, step in changes[t]:
                count[k] = count.get(k, 0) + step
            self.values.append(frozenset(k for k, c in count.items() if c > 0))
        self._only: dict[tuple[str, int | str], _Sets] = {}

    def at(self, t: dt.datetime) -> frozenset[str]:
        i = bisect.bisect_right(self.starts, t) - 1
        if 0 <= i < len(self.values):
            return self.values[i]
        return frozenset()

    def edges(self) -> set[dt.datetime]:
        return set(self.starts)

    def sources(self, t: dt.datetime, key: str) -> list[str]:
        return sorted({w for s, e, k, w, _ in self.spans if k == key and s <= t < e})

    def only(self, source: tuple[str, int | str]) -> _Sets:
        """The spans of one rotation or custom shift."""
        if source not in self._only:
            self._only[source] = _Sets([s for s in self.spans if s[4] == source])
        return self._only[source]

    def keys(self) -> list[tuple[str, int | str]]:
        return sorted({s[4] for s in self.spans}, key=lambda k: (k[0], str(k[1])))


def _stretches(
    ours: _Sets, theirs: _Sets, since: dt.datetime, until: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime, frozenset[str], frozenset[str]]]:
    """The stretches of ``[since, until)`` where the two sets differ, neighbours merged."""
    cuts = sorted(c for c in {since, until} | ours.edges() | theirs.edges() if since <= c <= until)
    out: list[tuple[dt.datetime, dt.datetime, frozenset[str], frozenset[str]]] = []
    for a, b in itertools.pairwise(cuts):
        o, t = ours.at(a), theirs.at(a)
        if o != t:
            if out and out[-1][1] == a and out[-1][2:] == (o, t):
                out[-1] = (out[-1][0], b, o, t)
            else:
                out.append((a, b, o, t))
    return out


def _agrees(alt: _Sets, theirs: _Sets, a: dt.datetime, b: dt.datetime) -> bool:
    cuts = sorted(c for c in {a} | alt.edges() | theirs.edges() if a <= c < b)
    return all(alt.at(c) == theirs.at(c) for c in cuts)


def _options_text(field: str, value: str) -> str:
    return f"ShiftRenderOptions({field}={value!r})"


def _alternatives(options: ShiftRenderOptions) -> list[tuple[str, str, ShiftRenderOptions]]:
    """Each option that changes who is on call, set to each of its other values: ``(field,
    value, options)``; unmatched overrides are ignored, so that every alternative renders."""
    out = []
    for field, (values, _, _) in QUESTIONS.items():
        for value in values:
            if value != getattr(options, field):
                changed: dict[str, Any] = {field: value, "unmatched_overrides": "ignore"}
                alt = attrs.evolve(options, **changed)
                out.append((field, value, alt))
    return out


def _member_key(member: Any) -> str | None:
    if isinstance(member, Mapping) and member.get("type") == "user_member":
        uid = member.get("user_id")
        return str(uid) if uid else None
    return None


def _floor(value: dt.datetime) -> dt.datetime:
    return value.replace(second=0, microsecond=0)


def compare_shift_schedule(
    schedule: ShiftSchedule,
    doc: Mapping[str, Any],
    since: dt.datetime,
    until: dt.datetime,
    overrides: Sequence[ShiftOverride] = (),
    user_ids: Mapping[str, str] | None = None,
    options: ShiftRenderOptions | None = None,
    pagerduty_ids: Mapping[str, Sequence[str | None]] | None = None,
) -> ScheduleCheck:
    """A shift-based ``schedule`` rendered with ``overrides`` and ``options`` over ``[since,
    until)`` against PagerDuty's ``final_schedule`` in ``doc`` (the ``schedule`` of ``GET
    /v3/schedules/{id}?include[]=final_schedule&since&until``), as sets of people at every
    minute. ``user_ids`` maps lower-case emails to PagerDuty user IDs; ``pagerduty_ids`` gives
    PagerDuty's IDs of the schedule's ``rotations``, ``custom_shifts`` and ``overrides`` by
    position, so that each side's shifts are traced to the same rotation, custom shift or
    override. Each disagreement names the render options under which ours would agree there;
    :attr:`ScheduleCheck.settled` those under which it agrees at every minute."""
    options = options or ShiftRenderOptions()
    ids = {k.lower(): v for k, v in (user_ids or {}).items()}
    known = {key: list(value) for key, value in (pagerduty_ids or {}).items()}
    names: dict[str, str] = {}
    notes: list[str] = []

    def key(user: User) -> str:
        ident = ids.get(user.email.lower(), user.email)
        names.setdefault(ident, user.name)
        return ident

    def ours_of(opts: ShiftRenderOptions) -> _Sets:
        final = render(schedule, since, until, overrides, options=opts)
        spans: list[_Shift] = []
        for e in final.entries:
            source = e.source
            assert source is not None
            where: tuple[str, int | str] = (
                ("rotation", source.rotation)
                if source.rotation is not None
                else ("custom shift", source.custom_shift or 0)
            )
            spans.append((e.start, e.end, key(e.user), str(source), where))
        return _Sets(spans)

    try:
        ours = ours_of(options)
    except ValidationError as error:
        if options.unmatched_overrides != "error":
            raise
        notes.append(f"{error}; rendered with unmatched_overrides='ignore'")
        options = attrs.evolve(options, unmatched_overrides="ignore")
        ours = ours_of(options)

    position = {
        kind: {ident: i for i, ident in enumerate(known.get(kind, [])) if ident}
        for kind in ("rotations", "custom_shifts", "overrides")
    }
    final_doc = doc.get("final_schedule")
    assignments = (
        final_doc.get("computed_shift_assignments") if isinstance(final_doc, Mapping) else None
    )
    if not isinstance(assignments, list):
        notes.append(
            "PagerDuty's answer has no final_schedule (asked with include[]=final_schedule, "
            "since and until?)"
        )
        assignments = []
    their_spans: list[_Shift] = []
    for item in assignments:
        if not isinstance(item, Mapping):
            continue
        uid = _member_key(item.get("member"))
        if uid is None:
            continue
        start = max(_floor(convert.instant(item.get("start_time"), "PagerDuty start_time")), since)
        end = min(_floor(convert.instant(item.get("end_time"), "PagerDuty end_time")), until)
        if start >= end:
            continue
        given = item.get("source")
        source: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
        words, where = _their_source(schedule, source, position)
        their_spans.append((start, end, uid, words, where))
    theirs = _Sets(their_spans)
    for uid in {s[2] for s in their_spans} - set(names):
        names[uid] = uid

    def who(keys: frozenset[str]) -> str | None:
        return ", ".join(sorted(names.get(k, k) for k in keys)) or None

    stretches = _stretches(ours, theirs, since, until)
    # rendered again under each other option only when there is something to explain
    alternatives = [(f, v, ours_of(alt)) for f, v, alt in _alternatives(options) if stretches]
    tz = zone(schedule.time_zone)
    found = []
    for a, b, o, t in stretches:
        ours_from = [
            f"{names.get(k, k)} from {'; '.join(ours.sources(a, k)) or '?'}" for k in sorted(o - t)
        ]
        theirs_from = [
            f"{names.get(k, k)} from {'; '.join(theirs.sources(a, k)) or '?'}"
            for k in sorted(t - o)
        ]
        parts = []
        for where in sorted({*ours.keys(), *theirs.keys()}, key=lambda k: (k[0], str(k[1]))):
            mine, its = ours.only(where).at(a), theirs.only(where).at(a)
            if mine != its:
                parts.append(
                    f"{_where_text(schedule, where)} on its own: ours {who(mine) or 'nobody'}, "
                    f"PagerDuty {who(its) or 'nobody'}"
                )
        explained = [
            f"{_options_text(f, v)}: {_question(f)}"
            for f, v, alt in alternatives
            if _agrees(alt, theirs, a, b)
        ]
        found.append(
            Disagreement(
                a,
                b,
                who(o),
                who(t),
                "; ".join(ours_from),
                "; ".join(theirs_from),
                tuple(parts),
                _shift_hints(schedule, a, b, tz),
                tuple(explained),
                tuple(sorted(names.get(k, k) for k in o)),
                tuple(sorted(names.get(k, k) for k in t)),
            )
        )
    settled: list[str] = []
    if found:
        for f, v, alt in alternatives:
            if not _stretches(alt, theirs, since, until):
                settled.append(
                    f"with {_options_text(f, v)} our render agrees with PagerDuty at every "
                    f"minute: your account answers the open question {_question(f)} with "
                    f"{v!r} (see 'The open questions' in docs/schedulev2.md)"
                )
        if not settled:
            notes.append(
                "no single render option makes ours agree at every minute: a bug in "
                "oncall-planner or a rule PagerDuty never documented; please report it with "
                "--record (docs/pagerduty-api.md)"
            )
    ident = str(doc.get("id") or "?")
    return ScheduleCheck(
        schedule.name,
        ident,
        schedule.time_zone,
        since,
        until,
        tuple(found),
        tuple(notes),
        kind="shift-based",
        settled=tuple(settled),
    )


def _rotation_text(schedule: ShiftSchedule, index: int) -> str:
    rotation = schedule.rotations[index]
    return f"rotation {index + 1}" + (f" {rotation.name!r}" if rotation.name else "")


def _where_text(schedule: ShiftSchedule, where: tuple[str, int | str]) -> str:
    kind, index = where
    if kind == "rotation" and isinstance(index, int):
        return _rotation_text(schedule, index)
    if kind == "custom shift" and isinstance(index, int):
        return f"custom shift {index + 1}"
    return f"PagerDuty's {kind} {index}"


def _their_source(
    schedule: ShiftSchedule,
    source: Mapping[str, Any],
    position: Mapping[str, Mapping[str, int]],
) -> tuple[str, tuple[str, int | str]]:
    """PagerDuty's ``source`` of an assignment in words (with its IDs), and the rotation or
    custom shift it belongs to."""
    kind = str(source.get("type") or "?")
    rid, sid, oid = source.get("rotation_id"), source.get("shift_id"), source.get("override_id")
    if rid is not None:
        at = position["rotations"].get(str(rid))
        where: tuple[str, int | str] = (
            ("rotation", at) if at is not None else ("rotation", str(rid))
        )
        base = (
            f"{_rotation_text(schedule, at)} (PagerDuty's {rid})"
            if at is not None
            else f"rotation {rid}, which the definition does not have"
        )
    elif sid is not None:
        at = position["custom_shifts"].get(str(sid))
        where = ("custom shift", at) if at is not None else ("custom shift", str(sid))
        base = (
            f"custom shift {at + 1} (PagerDuty's {sid})"
            if at is not None
            else f"custom shift {sid}, which was not pulled"
        )
    else:
        return f"PagerDuty's source {kind!r}", ("unknown", kind)
    if oid is not None and kind.endswith("_override"):
        n = position["overrides"].get(str(oid))
        said = f"override {n + 1} (PagerDuty's {oid})" if n is not None else f"override {oid}"
        return f"{said} on {base}", where
    return base, where


def _shift_hints(
    schedule: ShiftSchedule, a: dt.datetime, b: dt.datetime, tz: dt.tzinfo
) -> tuple[str, ...]:
    """What is near ``[a, b)``: an event whose length differs between real time and its wall
    clock, a daylight-saving change within an occurrence's length, an event's effective bounds."""
    out = []
    for i, rotation in enumerate(schedule.rotations):
        for event in rotation.events:
            name = f"{_rotation_text(schedule, i)}, event {event.name!r}"
            ez = zone(event.time_zone or schedule.time_zone)
            real = event.end_time - event.start_time
            wall = event.end_time.astimezone(ez).replace(tzinfo=None) - event.start_time.astimezone(
                ez
            ).replace(tzinfo=None)
            active = event.effective_since <= b and (
                event.effective_until is None or a <= event.effective_until
            )
            if not active:
                continue
            if real != wall:
                out.append(
                    f"{name} lasts {_span(real)} of real time but {_span(wall)} on the wall clock "
                    f"of {getattr(ez, 'key', ez)} (its first occurrence spans a daylight-saving "
                    "change): U2"
                )
            change = _offset_change(a - real, b, ez)
            if change is not None:
                out.append(
                    f"a daylight-saving change in {getattr(ez, 'key', ez)} on {change:%Y-%m-%d} "
                    f"falls within an occurrence's length of {name}"
                )
            for label, edge in (
                ("takes effect", event.effective_since),
                ("stops", event.effective_until),
            ):
                if edge is not None and edge in (a, b):
                    out.append(f"{name} {label} at {_when(edge, tz)}: U6")
    return tuple(dict.fromkeys(out))


def _span(delta: dt.timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:g} h"


def verify(
    client: PagerDutyClient,
    *,
    since: dt.datetime,
    until: dt.datetime,
    schedule_ids: Sequence[str] = (),
    team_ids: Sequence[str] = (),
    mode: Mode = "wall",
    options: ShiftRenderOptions | None = None,
    progress: Callable[[str, int, int, str], None] | None = None,
) -> Verification:
    """Pull each schedule (all of them, or ``schedule_ids``, or those of ``team_ids``) with
    PagerDuty's rendering of ``[since, until)`` and compare it with ours: layer-based schedules
    rendered in ``mode``, shift-based ones with ``options``."""
    from oncall_planner.pagerduty_api.pull import schedule_ids_of, v3_schedule_ids

    notes = convert.Notes()
    user_docs = list(client.iter_all("/users", "users"))
    by_id = convert.users(user_docs, notes)
    v3_known = set(v3_schedule_ids(client, (), notes) or ())
    if schedule_ids:
        ids = list(dict.fromkeys(schedule_ids))
    else:
        ids = [i for i in schedule_ids_of(client, team_ids) if i not in v3_known]
        if team_ids:
            ids += [i for i in v3_schedule_ids(client, team_ids, notes) or () if i in v3_known]
        else:
            ids += sorted(v3_known)
    window = {"since": _iso(since), "until": _iso(until)}
    checks = []
    if progress is not None:
        progress("schedules", 0, len(ids), "")
    for n, ident in enumerate(ids, start=1):
        if ident in v3_known:
            found = _verify_shift(client, ident, window, since, until, by_id, options, notes)
        else:
            found = _verify_layered(client, ident, window, since, until, by_id, mode, notes)
        if found is not None:
            checks.append(found)
        if progress is not None:
            progress("schedules", n, len(ids), found.name if found else ident)
    checks.sort(key=lambda c: (c.name, c.pagerduty_id))
    return Verification(since, until, tuple(checks), tuple(notes.items))


def _verify_layered(
    client: PagerDutyClient,
    ident: str,
    window: Mapping[str, str],
    since: dt.datetime,
    until: dt.datetime,
    by_id: dict[str, User],
    mode: Mode,
    notes: convert.Notes,
) -> ScheduleCheck | None:
    answer = client.get(api_path("schedules", ident), window)
    doc = answer.get("schedule") if isinstance(answer, dict) else None
    if not isinstance(doc, dict):
        notes.add(f"schedule {ident}: PagerDuty's answer has no 'schedule'; not verified")
        return None
    made = convert.schedule(doc, by_id, {}, notes)
    path = api_path("schedules", ident, "overrides")
    items = items_of(client.get(path, window), "overrides", path)
    if made is None:
        return None
    if not isinstance(_subschedule(doc, "final_schedule"), list):
        # nothing to compare with: neither agreement nor a PagerDuty with nobody on call
        notes.add(
            f"schedule {ident} ({made[0].name}): PagerDuty's answer has no final_schedule "
            "entries; not verified"
        )
        return None
    schedule, _ = made
    pairs = convert.overrides(items, by_id, notes, f"schedule {ident}")
    email_ids = {u.email.lower(): uid for uid, u in by_id.items()}
    return compare_schedule(schedule, doc, since, until, [o for o, _ in pairs], email_ids, mode)


def _verify_shift(
    client: PagerDutyClient,
    ident: str,
    window: Mapping[str, str],
    since: dt.datetime,
    until: dt.datetime,
    by_id: dict[str, User],
    options: ShiftRenderOptions | None,
    notes: convert.Notes,
) -> ScheduleCheck | None:
    from oncall_planner.pagerduty_api.pull import v3_schedule

    doc = v3_schedule(client, ident, {"include[]": ["final_schedule"], **window})
    customs = list(
        client.iter_all(
            api_path("v3", "schedules", ident, "custom_shifts"), "custom_shifts", window
        )
    )
    listed = list(
        client.iter_all(api_path("v3", "schedules", ident, "overrides"), "overrides", window)
    )
    pulled = convert.shift_schedule(doc, customs, by_id, {}, notes)
    if pulled is None:
        return None
    where = f"shift-based schedule {ident} ({pulled.schedule.name})"
    final = doc.get("final_schedule")
    if not isinstance(final, Mapping) or not isinstance(
        final.get("computed_shift_assignments"), list
    ):
        notes.add(
            f"{where}: PagerDuty's answer has no final_schedule (asked with "
            "include[]=final_schedule); not verified"
        )
        return None
    pairs = convert.shift_overrides(listed, pulled, by_id, notes, where)
    email_ids = {u.email.lower(): uid for uid, u in by_id.items()}
    return compare_shift_schedule(
        pulled.schedule,
        doc,
        since,
        until,
        [o for o, _ in pairs],
        email_ids,
        options,
        {
            "rotations": pulled.rotation_ids,
            "custom_shifts": pulled.custom_shift_ids,
            "overrides": [oid for _, oid in pairs],
        },
    )
