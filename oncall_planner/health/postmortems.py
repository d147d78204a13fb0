"""Postmortems written in the article's template, and the "are you actually learning?" numbers.

A :class:`Postmortem` is what :func:`oncall_planner.ingest.postmortems.load_postmortems` reads
from one Markdown file: the incident summary (date, duration, severity, impact), the timeline in
UTC, and the action items (action, owner, priority, due date, status). docs/health.md shows the
template.

- **Time to detect**: from the start of impact to detection (the timeline entries marked so,
  see :func:`timeline_marks`).
- **Time to resolve**: from the start of impact to resolution.
- **Completion rate**: done action items over all action items; **overdue**: not done and due
  before ``today`` (a parameter; the command line uses the UTC date of ``--now``).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterable, Mapping

import attrs

#: Timeline words that mark the start of impact, detection and resolution (whole words, any
#: case). An explicit tag (``[start]``, ``[detected]``, ``[resolved]``) wins over the words.
START_WORDS = re.compile(r"\b(start|starts|started|begin|begins|began)\b", re.I)
DETECT_WORDS = re.compile(
    r"\b(detect|detects|detected|alert|alerts|alerted|page|paged|fired)\b", re.I
)
RESOLVE_WORDS = re.compile(r"\b(resolve|resolved|recovered|mitigated|fixed|restored)\b", re.I)
DONE_STATUSES = ("done", "complete", "completed", "closed", "fixed", "resolved")


@attrs.frozen
class TimelineEntry:
    """One line of the timeline: an instant (UTC) and what happened; ``line`` in the file."""

    at: dt.datetime
    text: str
    line: int
    tag: str | None = None


@attrs.frozen
class ActionItem:
    """One row of the action-items table."""

    action: str
    owner: str
    priority: str
    due: dt.date | None
    status: str
    line: int

    @property
    def done(self) -> bool:
        return self.status.strip().lower() in DONE_STATUSES

    def overdue(self, today: dt.date) -> bool:
        return not self.done and self.due is not None and self.due < today


@attrs.frozen
class Postmortem:
    """One postmortem: its file (``source``), title and summary fields, timeline, action items."""

    source: str
    title: str
    date: dt.date
    duration: dt.timedelta | None
    severity: str | None
    impact: str | None
    timeline: tuple[TimelineEntry, ...]
    actions: tuple[ActionItem, ...]

    def marks(self) -> dict[str, TimelineEntry]:
        """The timeline entries that mark ``start``, ``detected`` and ``resolved``."""
        return timeline_marks(self.timeline)

    @property
    def time_to_detect(self) -> dt.timedelta | None:
        m = self.marks()
        if "start" in m and "detected" in m and m["detected"].at >= m["start"].at:
            return m["detected"].at - m["start"].at
        return None

    @property
    def time_to_resolve(self) -> dt.timedelta | None:
        m = self.marks()
        if "start" in m and "resolved" in m and m["resolved"].at >= m["start"].at:
            return m["resolved"].at - m["start"].at
        return None


def timeline_marks(timeline: Iterable[TimelineEntry]) -> dict[str, TimelineEntry]:
    """``start``: the entry tagged ``[start]``, else the first that says the impact started
    (``start``, ``began``), else the first entry; ``detected``: the entry tagged ``[detected]``,
    else the first that mentions an alert, a page or detection; ``resolved``: the entry tagged
    ``[resolved]``, else the last that says resolved, recovered, mitigated, fixed or restored."""
    entries = sorted(timeline, key=lambda e: (e.at, e.line))
    out: dict[str, TimelineEntry] = {}
    for mark in ("start", "detected", "resolved"):
        tagged = [e for e in entries if e.tag == mark]
        if tagged:
            out[mark] = tagged[0]
    if "start" not in out and entries:
        said = [e for e in entries if e.tag is None and START_WORDS.search(e.text)]
        out["start"] = said[0] if said else entries[0]
    if "detected" not in out:
        said = [e for e in entries if e.tag is None and DETECT_WORDS.search(e.text)]
        if said:
            out["detected"] = said[0]
    if "resolved" not in out:
        said = [e for e in entries if e.tag is None and RESOLVE_WORDS.search(e.text)]
        if said:
            out["resolved"] = said[-1]
    return out


@attrs.frozen
class ActionCounts:
    """Action items of one owner or one priority: how many, done, overdue."""

    total: int
    done: int
    overdue: int

    @property
    def completion_rate(self) -> float | None:
        return self.done / self.total if self.total else None


@attrs.frozen
class PostmortemStats:
    """What a folder of postmortems says, as of ``today``."""

    today: dt.date
    postmortems: tuple[Postmortem, ...]
    mean_time_to_detect: dt.timedelta | None
    mean_time_to_resolve: dt.timedelta | None
    detect_count: int
    resolve_count: int
    actions: ActionCounts
    by_owner: Mapping[str, ActionCounts]
    by_priority: Mapping[str, ActionCounts]
    overdue: tuple[tuple[Postmortem, ActionItem], ...]


def _counts(items: list[ActionItem], today: dt.date) -> ActionCounts:
    return ActionCounts(
        total=len(items),
        done=sum(1 for a in items if a.done),
        overdue=sum(1 for a in items if a.overdue(today)),
    )


def _mean(values: list[dt.timedelta]) -> dt.timedelta | None:
    if not values:
        return None
    return dt.timedelta(seconds=statistics.fmean(v.total_seconds() for v in values))


def postmortem_stats(postmortems: Iterable[Postmortem], today: dt.date) -> PostmortemStats:
    """Mean time to detect and to resolve, completion and overdue items per owner and
    priority."""
    items = tuple(sorted(postmortems, key=lambda p: (p.date, p.source)))
    detect = [p.time_to_detect for p in items if p.time_to_detect is not None]
    resolve = [p.time_to_resolve for p in items if p.time_to_resolve is not None]
    actions = [a for p in items for a in p.actions]
    owners: dict[str, list[ActionItem]] = {}
    priorities: dict[str, list[ActionItem]] = {}
    for a in actions:
        owners.setdefault(a.owner, []).append(a)
        priorities.setdefault(a.priority, []).append(a)
    return PostmortemStats(
        today=today,
        postmortems=items,
        mean_time_to_detect=_mean(detect),
        mean_time_to_resolve=_mean(resolve),
        detect_count=len(detect),
        resolve_count=len(resolve),
        actions=_counts(actions, today),
        by_owner={k: _counts(v, today) for k, v in sorted(owners.items())},
        by_priority={k: _counts(v, today) for k, v in sorted(priorities.items())},
        overdue=tuple((p, a) for p in items for a in p.actions if a.overdue(today)),
    )


__all__ = [
    "DONE_STATUSES",
    "ActionCounts",
    "ActionItem",
    "Postmortem",
    "PostmortemStats",
    "TimelineEntry",
    "postmortem_stats",
    "timeline_marks",
]
