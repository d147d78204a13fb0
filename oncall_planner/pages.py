"""Page history: one :class:`Page` per incident, and the metrics teams track every month.

This module is pure: loading PagerDuty exports from files lives in
:mod:`oncall_planner.ingest.pages`. A page's ``user`` is either a :class:`User` of the plan or the
text an export gives (an email or a display name); :func:`resolve_user` matches it against a plan.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import User
from oncall_planner.model.inputs import sequence_of
from oncall_planner.render import Entry, FinalSchedule
from oncall_planner.textutil import check_unicode, printable
from oncall_planner.timeutil import check_aware, check_year, is_aware

URGENCIES = ("high", "low")


def _describe(page: Any) -> str:
    ident = getattr(page, "id", None)
    return f"Page {ident!r}" if ident else "Page"


def _check_at(instance: Any, attribute: Any, value: Any) -> None:
    check_aware(value, _describe(instance), "at")


def _check_optional_text(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValidationError(
            f"{_describe(instance)}: {attribute.name} must be a non-empty string or None, "
            f"got {value!r}"
        )
    if value is not None:
        check_unicode(value, _describe(instance), attribute.name)


def _check_title(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise ValidationError(
            f"{_describe(instance)}: title must be a string or None, got {type(value).__name__}"
        )
    check_unicode(value, _describe(instance), "title")


def _check_user(instance: Any, attribute: Any, value: Any) -> None:
    if value is None or isinstance(value, User):
        return
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{_describe(instance)}: user must be a User, an email or a name, got {value!r}"
        )
    check_unicode(value, _describe(instance), "user")


def _check_urgency(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and value not in URGENCIES:
        raise ValidationError(
            f"{_describe(instance)}: urgency must be 'high', 'low' or None, got {value!r}"
        )


def _check_later(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dt.datetime) or not is_aware(value):
        raise ValidationError(
            f"{_describe(instance)}: {attribute.name} must be a timezone-aware datetime or None, "
            f"got {value!r}"
        )
    check_year(value, _describe(instance), attribute.name)
    if value < instance.at:
        raise ValidationError(
            f"{_describe(instance)}: {attribute.name} must not be before at "
            f"({instance.at.isoformat()}), got {value.isoformat()}"
        )


@attrs.frozen
class Page:
    """One incident that paged someone.

    ``at`` is when it triggered (aware; seconds allowed, since real pages have them). ``user`` is
    who was paged: a :class:`User`, or an email or display name from an export, or ``None`` to let
    the checks attribute it through the rendered schedule. ``policy`` and ``service`` are names.
    ``merged`` marks an incident PagerDuty resolved by merging it into another: it did page, but
    its resolve time says nothing about the work, so it stays out of time-to-resolve.
    """

    at: dt.datetime = attrs.field(validator=_check_at)
    user: User | str | None = attrs.field(default=None, validator=_check_user)
    service: str | None = attrs.field(default=None, validator=_check_optional_text)
    policy: str | None = attrs.field(default=None, validator=_check_optional_text)
    urgency: str | None = attrs.field(default=None, validator=_check_urgency)
    acknowledged_at: dt.datetime | None = attrs.field(default=None, validator=_check_later)
    resolved_at: dt.datetime | None = attrs.field(default=None, validator=_check_later)
    id: str | None = attrs.field(default=None, kw_only=True, validator=_check_optional_text)
    title: str | None = attrs.field(default=None, kw_only=True, validator=_check_title)
    merged: bool = attrs.field(
        default=False, kw_only=True, validator=attrs.validators.instance_of(bool)
    )

    @property
    def time_to_acknowledge(self) -> dt.timedelta | None:
        """``acknowledged_at - at``, or ``None`` when nobody acknowledged (never zero)."""
        return None if self.acknowledged_at is None else self.acknowledged_at - self.at

    @property
    def time_to_resolve(self) -> dt.timedelta | None:
        """``resolved_at - at``, or ``None`` when unresolved or resolved by a merge."""
        if self.resolved_at is None or self.merged:
            return None
        return self.resolved_at - self.at


def resolve_user(page: Page, users: Iterable[User]) -> User | None:
    """The plan's user a page names: the same :class:`User`, else by email (any case), else by
    display name; ``None`` when the page names nobody or someone outside ``users``."""
    if page.user is None:
        return None
    pool = tuple(users)
    if isinstance(page.user, User):
        return page.user if page.user in pool else _match(page.user.email, pool)
    return _match(page.user, pool)


def _match(text: str, users: Sequence[User]) -> User | None:
    key = text.strip().lower()
    for user in users:
        if user.email.lower() == key:
            return user
    for user in users:
        if user.name.strip().lower() == key:
            return user
    return None


@attrs.frozen
class DurationStats:
    """Mean and median of some durations, and how many pages had one (``count``) or not."""

    count: int
    missing: int
    mean: dt.timedelta | None
    median: dt.timedelta | None


@attrs.frozen
class ShiftLoad:
    """One shift (an :class:`Entry`) and the pages that fell into it."""

    shift: Entry
    pages: tuple[Page, ...]

    @property
    def count(self) -> int:
        return len(self.pages)


@attrs.frozen
class PageMetrics:
    """What :func:`page_metrics` returns. Durations skip pages that lack them and say how many."""

    total: int
    by_urgency: Mapping[str, int]
    time_to_acknowledge: DurationStats
    time_to_resolve: DurationStats
    merged: int
    per_shift: tuple[ShiftLoad, ...]
    outside_shifts: int

    def to_text(self) -> str:
        """A short plain-text summary, deterministic."""
        lines = [f"Pages: {self.total}"]
        if self.by_urgency:
            parts = ", ".join(f"{k} {v}" for k, v in self.by_urgency.items())
            lines.append(f"By urgency: {parts}")
        for label, stats in (
            ("acknowledge", self.time_to_acknowledge),
            ("resolve", self.time_to_resolve),
        ):
            if stats.mean is None or stats.median is None:
                lines.append(f"Time to {label}: no data ({stats.missing} without)")
            else:
                lines.append(
                    f"Time to {label}: mean {_minutes(stats.mean)}, median "
                    f"{_minutes(stats.median)} "
                    f"over {_count(stats.count, 'page')} ({stats.missing} without)"
                )
        if self.per_shift:
            counts = [load.count for load in self.per_shift]
            lines.append(
                f"Pages per shift: mean {sum(counts) / len(counts):.2f}, max {max(counts)} "
                f"over {_count(len(counts), 'shift')} "
                f"({_count(self.outside_shifts, 'page')} outside them)"
            )
        return printable("\n".join(lines))


def _minutes(value: dt.timedelta) -> str:
    return f"{value.total_seconds() / 60:.1f} min"


def _stats(values: Sequence[dt.timedelta | None]) -> DurationStats:
    present = [v for v in values if v is not None]
    if not present:
        return DurationStats(count=0, missing=len(values), mean=None, median=None)
    seconds = [v.total_seconds() for v in present]
    return DurationStats(
        count=len(present),
        missing=len(values) - len(present),
        mean=dt.timedelta(seconds=statistics.fmean(seconds)),
        median=dt.timedelta(seconds=statistics.median(seconds)),
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def page_metrics(
    pages: Iterable[Page], shifts: Iterable[Entry] | FinalSchedule = ()
) -> PageMetrics:
    """Time to acknowledge and to resolve (mean, median), pages by urgency, pages per shift.

    ``shifts`` are entries of a rendered schedule (``render(...).entries``), or the rendered
    schedule itself; a page counts for a shift when it triggered inside it and names the shift's
    user or nobody. Each page counts for one shift at most: where shifts overlap (several people
    on call at once on a shift-based schedule), a page that names nobody goes to the person the
    schedule lists first at that instant (``FinalSchedule.people_on_call_at``: the first person
    its policy reaches) when ``shifts`` is a rendered schedule, else to the first shift in time
    order. Pages in no shift are counted in ``outside_shifts``. Merged pages count as pages but
    not for time to resolve.
    """
    items = sequence_of(pages, Page, "page_metrics", "pages")
    by_urgency: dict[str, int] = {}
    for page in items:
        key = page.urgency or "unknown"
        by_urgency[key] = by_urgency.get(key, 0) + 1
    ordered = {k: by_urgency[k] for k in sorted(by_urgency, key=lambda k: (k == "unknown", k))}

    final = shifts if isinstance(shifts, FinalSchedule) else None
    entries = (
        final.entries if final is not None else sequence_of(shifts, Entry, "page_metrics", "shifts")
    )
    ordered_shifts = sorted(entries, key=lambda e: (e.start, e.end, e.user.email))
    owner: dict[int, int] = {}  # page -> the shift it counts for
    for i, page in enumerate(items):
        holding = [
            n
            for n, shift in enumerate(ordered_shifts)
            if shift.start <= page.at < shift.end
            and (page.user is None or resolve_user(page, (shift.user,)) is not None)
        ]
        if not holding:
            continue
        if final is not None and page.user is None and len(holding) > 1:
            first = final.people_on_call_at(page.at)
            rank = {u: r for r, u in enumerate(first)}
            holding.sort(key=lambda n: rank.get(ordered_shifts[n].user, len(rank)))
        owner[i] = holding[0]
    loads = [
        ShiftLoad(
            shift=shift,
            pages=tuple(page for i, page in enumerate(items) if owner.get(i) == n),
        )
        for n, shift in enumerate(ordered_shifts)
    ]

    return PageMetrics(
        total=len(items),
        by_urgency=ordered,
        time_to_acknowledge=_stats([p.time_to_acknowledge for p in items]),
        time_to_resolve=_stats([p.time_to_resolve for p in items if not p.merged]),
        merged=sum(1 for p in items if p.merged),
        per_shift=tuple(loads),
        outside_shifts=len(items) - len(owner),
    )


__all__ = ["DurationStats", "Page", "PageMetrics", "ShiftLoad", "page_metrics", "resolve_user"]
