"""Interruptions: PagerDuty's definition, made exact.

PagerDuty (``AnalyticsResponderMetrics``, Responder Insights) counts an *interruption* when an
on-call responder gets a push, phone or SMS notification; notifications to one destination over
several channels count once, notifications within 60 seconds of each other count once, and email
is not an interruption. PagerDuty does not say how the two merges combine; here, for one person:

1. **Email and unknown methods are left out** (they are still counted per channel).
2. **Channel merge.** Within one incident, the notifications to one destination (the same
   ``address``: a phone number reached by SMS and by a call; push notifications, which have no
   address, all go to the one app) are taken in time order: a notification joins the current
   group unless the group already holds one through the same method, which starts a new group.
   So an SMS and a call to the same number count once, however far apart; two calls count twice.
3. **Time merge.** The groups, across incidents, in order of their first notification: a group
   that starts at most ``merge_seconds`` (60) after the start of the current interruption joins
   it; otherwise it starts a new one. The window is anchored at the interruption's first
   notification, so a steady stream of notifications a minute apart is several interruptions,
   not one.

The interruption's instant is its first notification. With ``counting="acknowledgements"``
(Multitudes' reading) every acknowledgement by the person is one interruption instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence

import attrs

from oncall_planner.health.history import INTERRUPTING, LogEntry, PersonRef

#: PagerDuty merges notifications that arrive within this many seconds of each other.
MERGE_SECONDS = 60


@attrs.frozen
class Interruption:
    """One interruption of one person: when (the first notification), which incidents, and the
    notifications merged into it."""

    person: PersonRef
    at: dt.datetime
    incidents: tuple[str, ...]
    notifications: tuple[LogEntry, ...]

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(sorted({n.method for n in self.notifications if n.method}))


def _person_key(ref: PersonRef) -> Hashable:
    return ref.id or (ref.label or "").strip().lower()


def _destination(entry: LogEntry) -> str:
    if entry.method == "push" or not entry.address:
        return f"{entry.method}:" if entry.method != "push" else "push"
    return entry.address.strip().lower()


def _channel_groups(notes: Sequence[LogEntry]) -> list[list[LogEntry]]:
    """Step 2: one person's notifications (time order) in groups per incident and destination."""
    open_groups: dict[tuple[str, str], list[LogEntry]] = {}
    groups: list[list[LogEntry]] = []
    for note in notes:
        key = (note.incident, _destination(note))
        group = open_groups.get(key)
        if group is None or any(n.method == note.method for n in group):
            group = []
            open_groups[key] = group
            groups.append(group)
        group.append(note)
    return groups


def interruptions(
    entries: Iterable[LogEntry],
    merge_seconds: int = MERGE_SECONDS,
    counting: str = "notifications",
) -> tuple[Interruption, ...]:
    """The interruptions the log entries show, per person, in time order (see the module
    docstring for the definition). Entries of other kinds are ignored."""
    per: dict[Hashable, list[LogEntry]] = {}
    refs: dict[Hashable, PersonRef] = {}
    for entry in entries:
        if counting == "acknowledgements":
            if entry.kind != "acknowledge" or not entry.by_person or entry.agent is None:
                continue
            ref = entry.agent
        else:
            if entry.kind != "notify" or entry.user is None or entry.method not in INTERRUPTING:
                continue
            ref = entry.user
        key = _person_key(ref)
        refs.setdefault(key, ref)
        per.setdefault(key, []).append(entry)
    out: list[Interruption] = []
    window = dt.timedelta(seconds=merge_seconds)
    for key in sorted(per, key=str):
        notes = sorted(per[key], key=lambda e: (e.at, e.id))
        if counting == "acknowledgements":
            out.extend(Interruption(refs[key], n.at, (n.incident,), (n,)) for n in notes)
            continue
        groups = sorted(_channel_groups(notes), key=lambda g: (g[0].at, g[0].id))
        current: list[LogEntry] = []
        for group in groups:
            if current and group[0].at - current[0].at <= window:
                current.extend(group)
                continue
            if current:
                out.append(_make(refs[key], current))
            current = list(group)
        if current:
            out.append(_make(refs[key], current))
    return tuple(sorted(out, key=lambda i: (i.at, str(_person_key(i.person)))))


def _make(ref: PersonRef, notes: list[LogEntry]) -> Interruption:
    ordered = sorted(notes, key=lambda e: (e.at, e.id))
    incidents = tuple(dict.fromkeys(n.incident for n in ordered))
    return Interruption(ref, ordered[0].at, incidents, tuple(ordered))


__all__ = ["MERGE_SECONDS", "Interruption", "interruptions"]
