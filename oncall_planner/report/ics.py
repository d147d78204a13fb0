"""iCalendar (RFC 5545) files of on-call shifts, for calendar subscriptions.

One event per stretch of one person on call, whole: a shift that overlaps the window is shown from
its real start to its real end (as PagerDuty's ``overflow=true`` does), so the events of a
subscription keep their start, end and UID from one fetch to the next. The output depends only on
the input: ``DTSTAMP`` is
the start of the rendered window (never the current time), ``UID`` is a hash of the schedule,
the person and the interval, lines end in CRLF and are folded at 75 octets without splitting a
UTF-8 character.

A shift-based schedule gives one event per entry of its final schedule (one shift, so events may
overlap: several people on call at once), whose description says where the shift comes from
(``rotation 1 'Office', event 'Weekdays'``); its UID adds that source. Its empty slots are events
too in the schedule's calendar ("Empty slot"), free time rather than busy, since PagerDuty lists
them and nobody is on call then; a person's calendar has only their own shifts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import OnCallPlan, Override, Schedule, ShiftOverride, ShiftSchedule, User
from oncall_planner.render import Entry, ShiftRenderOptions, Source, Vacancy, render
from oncall_planner.textutil import printable
from oncall_planner.timeutil import check_instant

PRODID = "-//oncall-planner//oncall-planner//EN"
UTC = dt.timezone.utc


@attrs.frozen
class Event:
    """One calendar event: ``summary`` over ``[start, end)``."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str = ""
    busy: bool = True


def escape_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 asks: backslash, semicolon, comma, newline.

    RFC 5545 allows no control character in TEXT but the tab: line breaks become ``\\n``, and
    any other control character (or lone surrogate) is written as the text ``\\x1b`` through
    :func:`oncall_planner.textutil.printable`, its backslash escaped like any other.
    """
    text = printable(value.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line into pieces of at most 75 octets (RFC 5545 §3.1), CRLF-terminated.

    Continuation lines start with one space, which counts towards their 75 octets; a multi-byte
    UTF-8 character is never split.
    """
    pieces: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    pieces.append(current)
    return "\r\n".join(pieces) + "\r\n"


def _utc(value: dt.datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def to_ics(name: str, events: Iterable[Event], dtstamp: dt.datetime) -> str:
    """A VCALENDAR named ``name`` with ``events`` (sorted by start, end and UID)."""
    if not isinstance(dtstamp, dt.datetime) or dtstamp.utcoffset() is None:
        raise ValidationError(f"to_ics: dtstamp must be a timezone-aware datetime, got {dtstamp!r}")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in sorted(events, key=lambda e: (e.start, e.end, e.uid)):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{_utc(dtstamp)}",
            f"DTSTART:{_utc(event.start)}",
            f"DTEND:{_utc(event.end)}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines += [f"TRANSP:{'OPAQUE' if event.busy else 'TRANSPARENT'}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


def _check_window(since: object, until: object, where: str) -> None:
    check_instant(since, where, "since")
    check_instant(until, where, "until")
    assert isinstance(since, dt.datetime) and isinstance(until, dt.datetime)
    if until <= since:
        raise ValidationError(
            f"{where}: until must be after since ({since.isoformat()}), got {until.isoformat()}"
        )


def _uid(
    schedule: str,
    user: User | None,
    start: dt.datetime,
    end: dt.datetime,
    source: Source | None = None,
    copy: int = 0,
) -> str:
    parts = [schedule, user.email.lower() if user is not None else "", _utc(start), _utc(end)]
    if copy:  # the same shift twice (two occurrences of one event overlapping): one UID each
        parts.append(f"copy {copy}")
    if source is not None:  # a shift-based entry: two rotations may give one person one interval
        parts.append(
            ":".join(
                str(v)
                for v in (
                    source.kind,
                    source.rotation,
                    source.event,
                    source.custom_shift,
                    source.override,
                )
            )
        )
    key = "\n".join(parts)
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@oncall-planner"


#: How far past the window a shift is followed to its real start or end, at the most.
_MAX_OVERFLOW = dt.timedelta(days=2 * 366)


def _whole_entries(
    schedule: Schedule, since: dt.datetime, until: dt.datetime, overrides: Sequence[Override]
) -> list[Entry]:
    """The final entries overlapping ``[since, until)``, not cut at its edges: the window is
    widened until the first and last shifts start and end inside the rendered span (or the
    widening reaches ``_MAX_OVERFLOW``)."""
    margin = dt.timedelta(days=8)
    while True:
        lo, hi = since - margin, until + margin
        entries = [
            e
            for e in render(schedule, lo, hi, overrides).entries
            if e.end > since and e.start < until
        ]
        cut = entries and (entries[0].start <= lo or entries[-1].end >= hi)
        if not cut or margin >= _MAX_OVERFLOW:
            return entries
        margin = min(margin * 4, _MAX_OVERFLOW)


def _whole_shifts(
    schedule: ShiftSchedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides: Sequence[ShiftOverride],
    options: ShiftRenderOptions | None,
) -> tuple[list[Entry], list[Vacancy]]:
    """A shift-based schedule's entries and empty slots that overlap ``[since, until)``, each
    whole (the renderer's ``overflow`` option)."""
    final = render(
        schedule,
        since,
        until,
        overrides,
        options=attrs.evolve(options or ShiftRenderOptions(), overflow=True),
    )
    return list(final.entries), list(final.vacancies)


def whole_shifts(
    schedule: Schedule | ShiftSchedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides: Sequence[Override] | Sequence[ShiftOverride] = (),
    *,
    options: ShiftRenderOptions | None = None,
) -> tuple[list[Entry], list[Vacancy]]:
    """What :func:`schedule_events` makes events of: the entries (and a shift-based schedule's
    empty slots) that overlap ``[since, until)``, each whole. One render of the schedule; pass it
    as ``rendered=`` to make several calendars (one per person) from it."""
    if isinstance(schedule, ShiftSchedule):
        return _whole_shifts(schedule, since, until, overrides, options)  # type: ignore[arg-type]
    return _whole_entries(schedule, since, until, overrides), []  # type: ignore[arg-type]


def schedule_events(
    schedule: Schedule | ShiftSchedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides: Sequence[Override] | Sequence[ShiftOverride] = (),
    *,
    person: User | None = None,
    options: ShiftRenderOptions | None = None,
    rendered: tuple[Sequence[Entry], Sequence[Vacancy]] | None = None,
) -> list[Event]:
    """Events of a schedule's final schedule that overlap ``[since, until)``, each a whole shift
    (only ``person``'s if given). A shift-based schedule gives one event per shift, the source in
    its description, and (without ``person``) one per empty slot; ``options`` are its render
    options. ``rendered`` is :func:`whole_shifts` of the same arguments, when the caller has it
    already."""
    _check_window(since, until, "schedule_events")
    if rendered is None:
        rendered = whole_shifts(schedule, since, until, overrides, options=options)
    entries, vacancies = rendered
    out = []
    copies: dict[object, int] = {}

    def copy(key: object) -> int:
        copies[key] = copies.get(key, -1) + 1
        return copies[key]

    for entry in entries:
        if person is not None and entry.user.email.lower() != person.email.lower():
            continue
        summary = (
            f"On call: {schedule.name}"
            if person is not None
            else f"{entry.user.name} on call ({schedule.name})"
        )
        description = (
            f"{entry.user.name} <{entry.user.email}> is on call for {schedule.name} "
            f"({schedule.time_zone})"
        )
        description += f": {entry.source}." if entry.source is not None else "."
        out.append(
            Event(
                _uid(
                    schedule.name,
                    entry.user,
                    entry.start,
                    entry.end,
                    entry.source,
                    copy(entry) if entry.source is not None else 0,
                ),
                entry.start,
                entry.end,
                summary,
                description,
            )
        )
    if person is None:
        for vacancy in vacancies:
            out.append(
                Event(
                    _uid(
                        schedule.name,
                        None,
                        vacancy.start,
                        vacancy.end,
                        vacancy.source,
                        copy(vacancy),
                    ),
                    vacancy.start,
                    vacancy.end,
                    f"Empty slot ({schedule.name})",
                    f"Nobody is on call in this slot of {schedule.name} "
                    f"({schedule.time_zone}): {vacancy.source}.",
                    busy=False,
                )
            )
    return out


def schedule_ics(
    schedule: Schedule | ShiftSchedule,
    since: dt.datetime,
    until: dt.datetime,
    overrides: Sequence[Override] | Sequence[ShiftOverride] = (),
    *,
    options: ShiftRenderOptions | None = None,
) -> str:
    """The calendar of one schedule (of either kind): who is on call when, in ``[since, until)``."""
    return to_ics(
        schedule.name, schedule_events(schedule, since, until, overrides, options=options), since
    )


def person_ics(
    plan: OnCallPlan,
    user: User,
    since: dt.datetime,
    until: dt.datetime,
    overrides: Mapping[str, Sequence[Override] | Sequence[ShiftOverride]] | None = None,
    *,
    options: ShiftRenderOptions | None = None,
) -> str:
    """The calendar of one person: their on-call time on every schedule of ``plan`` (both
    kinds)."""
    _check_window(since, until, "person_ics")
    overrides = overrides or {}
    events = [
        event
        for schedule in plan.all_schedules
        for event in schedule_events(
            schedule, since, until, overrides.get(schedule.name, ()), person=user, options=options
        )
    ]
    return to_ics(f"On call: {user.name}", events, since)
