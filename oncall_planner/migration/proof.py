"""The proof of a conversion: both schedules rendered, compared as sets of people over time.

Who is on call is a step function of time: a set of people that changes only where an entry
starts or ends. :func:`prove_conversion` renders the layer-based schedule and the shift-based one over the
same window, turns each into its steps and walks the union of their change points once; between
two change points both sets are constant, so comparing them there compares every minute of the
stretch at once. Each stretch where the sets differ becomes a :class:`Difference`, with the
reason of the :class:`~oncall_planner.migration.Limitation` that covers it.

The comparison is repeated under the other answers to the questions PagerDuty leaves open
(:class:`~oncall_planner.ShiftRenderOptions`): each :class:`Reading` says how many minutes would
differ if PagerDuty behaved that way.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.migration.convert import Conversion
from oncall_planner.model import User
from oncall_planner.render import FinalSchedule, ShiftRenderOptions, render
from oncall_planner.timeutil import MINUTE, check_instant, from_seconds, to_seconds

__all__ = ["ConversionProof", "Difference", "Reading", "compare", "prove_conversion"]

#: The other readings of PagerDuty's open questions the proof tries, by register number.
READINGS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("U1 expand_in='utc'", {"expand_in": "utc"}),
    ("U2 duration='wallclock'", {"duration": "wallclock"}),
    ("U3 unsynced_start='dateutil'", {"unsynced_start": "dateutil"}),
    ("U4 member_anchor='effective_since'", {"member_anchor": "effective_since"}),
    ("U4 member_anchor='rotation'", {"member_anchor": "rotation"}),
    ("U6 effective_bounds='by_start'", {"effective_bounds": "by_start"}),
    ("U6 effective_bounds='drop'", {"effective_bounds": "drop"}),
)

Steps = list[tuple[int, frozenset[User]]]


@attrs.frozen
class Difference:
    """A stretch ``[start, end)`` where the two schedules have different people on call:
    ``before`` (layer-based) and ``after`` (shift-based), sorted by name, and why."""

    start: dt.datetime
    end: dt.datetime
    before: tuple[User, ...]
    after: tuple[User, ...]
    reason: str

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds()) // MINUTE


@attrs.frozen
class Reading:
    """The proof under another answer to one of PagerDuty's open questions: ``label`` names the
    option (``"U2 duration='wallclock'"``), ``minutes`` how many minutes would then differ."""

    label: str
    minutes: int

    @property
    def holds(self) -> bool:
        return self.minutes == 0


@attrs.frozen
class ConversionProof:
    """Both schedules of ``conversion`` compared over ``[since, until)``.

    ``differences`` are the stretches where the people on call differ (none: :attr:`exact`),
    ``minutes`` the number of minutes compared, ``readings`` the same comparison under the other
    answers to PagerDuty's open questions (empty when not asked for).
    """

    conversion: Conversion
    since: dt.datetime
    until: dt.datetime
    options: ShiftRenderOptions
    differences: tuple[Difference, ...]
    readings: tuple[Reading, ...] = ()

    @property
    def exact(self) -> bool:
        """Whether the same people are on call every minute."""
        return not self.differences

    @property
    def minutes(self) -> int:
        return int((self.until - self.since).total_seconds()) // MINUTE

    @property
    def differing_minutes(self) -> int:
        return sum(d.minutes for d in self.differences)

    def to_dict(self) -> dict[str, Any]:
        """The proof as JSON-ready data: instants in UTC, people by email."""

        def iso(value: dt.datetime) -> str:
            return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")

        conv = self.conversion
        return {
            "schedule": conv.source.name,
            "since": iso(self.since),
            "until": iso(self.until),
            "minutes": self.minutes,
            "exact": self.exact,
            "differing_minutes": self.differing_minutes,
            "rotations": len(conv.schedule.rotations),
            "differences": [
                {
                    "start": iso(d.start),
                    "end": iso(d.end),
                    "layer_based": [u.email for u in d.before],
                    "shift_based": [u.email for u in d.after],
                    "reason": d.reason,
                }
                for d in self.differences
            ],
            "readings": {r.label: r.minutes for r in self.readings},
            "limitations": [{"code": lim.code, "message": lim.message} for lim in conv.limitations],
            "notes": list(conv.notes),
        }

    def to_text(self, limit: int = 20, width: int = 80) -> str:
        """The proof in words, lines wrapped at ``width``: the verdict, the differences (at most
        ``limit`` of them, with a count of the rest), the readings and what was left out."""
        conv = self.conversion
        zone = ZoneInfo(conv.source.time_zone)

        def when(value: dt.datetime) -> str:
            return value.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")

        def wrapped(text: str, indent: str, more: str | None = None) -> list[str]:
            return textwrap.wrap(
                text,
                width,
                initial_indent=indent,
                subsequent_indent=more if more is not None else indent + "  ",
                break_on_hyphens=False,
            )

        layers, rotations = len(conv.source.layers), len(conv.schedule.rotations)
        lines = [
            f"Schedule {conv.source.name!r}: {layers} layer{'s' if layers != 1 else ''} -> "
            f"{rotations} rotation{'s' if rotations != 1 else ''}",
            f"  compared from {when(self.since)} to {when(self.until)} ({self.minutes:,} minutes)",
        ]
        if self.exact:
            lines.append("  exact: the same people are on call every minute")
        else:
            lines += wrapped(
                f"DIFFERS for {self.differing_minutes:,} of {self.minutes:,} minutes, in "
                f"{len(self.differences):,} stretch(es):",
                "  ",
            )
            for d in self.differences[:limit]:
                before = ", ".join(u.name for u in d.before) or "nobody"
                after = ", ".join(u.name for u in d.after) or "nobody"
                lines += wrapped(
                    f"{when(d.start)} -> {when(d.end)}: layers {before}; shifts {after}", "    "
                )
                lines += wrapped(f"why: {d.reason}", "      ", "        ")
            if len(self.differences) > limit:
                lines.append(f"    ... and {len(self.differences) - limit:,} more")
        holds = [r.label for r in self.readings if r.holds]
        fails = [f"{r.label} ({r.minutes:,} minutes)" for r in self.readings if not r.holds]
        if holds:
            lines.append("  also holds if PagerDuty reads:")
            lines += [f"    {label}" for label in holds]
        if fails:
            lines.append("  differs if PagerDuty reads:")
            lines += [f"    {label}" for label in fails]
        for limitation in conv.limitations:
            lines += wrapped(f"left out ({limitation.code}): {limitation.message}", "  ")
        return "\n".join(lines)


def _steps(final: FinalSchedule, lo: int, hi: int) -> Steps:
    """Who is on call as change points: from each instant on, the set holds until the next."""
    changes: dict[int, list[tuple[int, User]]] = {}
    for entry in final.entries:
        s, e = max(to_seconds(entry.start), lo), min(to_seconds(entry.end), hi)
        if s < e:
            changes.setdefault(s, []).append((1, entry.user))
            changes.setdefault(e, []).append((-1, entry.user))
    active: Counter[User] = Counter()
    steps: Steps = [(lo, frozenset())]
    for t in sorted(changes):
        for delta, user in changes[t]:
            active[user] += delta
            if not active[user]:
                del active[user]
        people = frozenset(active)
        if steps[-1][0] == t:
            steps[-1] = (t, people)
        elif steps[-1][1] != people:
            steps.append((t, people))
    return steps


def compare(
    before: Steps, after: Steps, hi: int
) -> list[tuple[int, int, frozenset[User], frozenset[User]]]:
    """The stretches of ``[first change point, hi)`` where two step functions differ, joined
    when they touch and differ in the same way."""
    out: list[tuple[int, int, frozenset[User], frozenset[User]]] = []
    points = sorted({t for t, _ in before} | {t for t, _ in after} | {hi})
    i = j = 0
    a: frozenset[User] = frozenset()
    b: frozenset[User] = frozenset()
    for k, t in enumerate(points[:-1]):
        while i < len(before) and before[i][0] <= t:
            a = before[i][1]
            i += 1
        while j < len(after) and after[j][0] <= t:
            b = after[j][1]
            j += 1
        if a == b:
            continue
        end = points[k + 1]
        if out and out[-1][1] == t and out[-1][2] == a and out[-1][3] == b:
            out[-1] = (out[-1][0], end, a, b)
        else:
            out.append((t, end, a, b))
    return out


def _reason(conversion: Conversion, start: int, end: int) -> str:
    for limitation in conversion.limitations:
        for span in limitation.spans:
            if to_seconds(span.start) < end and start < to_seconds(span.end):
                return f"{limitation.code}: {limitation.message}"
    return (
        "not explained by any limitation of the conversion: a defect of oncall-planner, please "
        "report it with the schedule"
    )


def _sorted(people: Iterable[User]) -> tuple[User, ...]:
    return tuple(sorted(people, key=lambda u: (u.name, u.email)))


def prove_conversion(
    conversion: Conversion,
    *,
    until: dt.datetime | None = None,
    options: ShiftRenderOptions | None = None,
    readings: bool = True,
) -> ConversionProof:
    """Render ``conversion.source`` (wall-clock turns) and ``conversion.schedule`` (with
    ``options``, default the reference model's) from ``conversion.switch_at`` to ``until``
    (default: the conversion's horizon later), and compare who is on call.

    With ``readings`` (the default) the comparison is repeated under each other answer to
    PagerDuty's open questions in :data:`READINGS`.
    """
    if not isinstance(conversion, Conversion):
        raise ValidationError(
            f"prove_conversion: conversion must be a Conversion, got {conversion!r}"
        )
    since = conversion.switch_at
    if until is None:
        until = since + conversion.horizon
    check_instant(until, "prove_conversion", "until")
    if until <= since:
        raise ValidationError(
            f"prove_conversion: until must be after the switch ({since.isoformat()}), got {until.isoformat()}"
        )
    if options is None:
        options = ShiftRenderOptions()
    lo, hi = to_seconds(since), to_seconds(until)
    before = _steps(render(conversion.source, since, until), lo, hi)

    def after(opts: ShiftRenderOptions) -> Steps:
        final = render(conversion.schedule, since, until, options=opts)
        return _steps(final, lo, hi)

    found = compare(before, after(options), hi)
    differences = tuple(
        Difference(
            from_seconds(s),
            from_seconds(e),
            _sorted(a),
            _sorted(b),
            _reason(conversion, s, e),
        )
        for s, e, a, b in found
    )
    checked: list[Reading] = []
    if readings:
        for label, change in _readings(options):
            other = compare(before, after(attrs.evolve(options, **change)), hi)
            checked.append(Reading(label, sum(e - s for s, e, _, _ in other) // MINUTE))
    return ConversionProof(
        conversion=conversion,
        since=since,
        until=until,
        options=options,
        differences=differences,
        readings=tuple(checked),
    )


def _readings(options: ShiftRenderOptions) -> Sequence[tuple[str, dict[str, Any]]]:
    return [
        (label, change)
        for label, change in READINGS
        if any(getattr(options, k) != v for k, v in change.items())
    ]
