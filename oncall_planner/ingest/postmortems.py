"""Postmortems in the article's Markdown template, read from a folder.

The template (docs/health.md shows it whole) has three parts, each under a heading:

- ``## Incident Summary``: the fields ``Date`` (``2025-03-04``), ``Duration`` (``47 minutes``,
  ``1h 20m``), ``Severity`` and ``Impact``, as a list (``- **Date**: 2025-03-04``) or a
  two-column table;
- ``## Timeline (UTC)``: one entry per list item or table row, a time first (``14:02``, or
  ``2025-03-04 14:02``), then what happened; a time earlier than the one before it is on the next
  day;
- ``## Action Items``: a table with the columns Action, Owner, Priority, Due date and Status.

A file that does not follow it raises :class:`~oncall_planner.errors.InputReadError` naming the
file and the line (``pm/2025-03-04.md:7: Date must be a date like 2025-03-04, got 'Tuesday'``).
Only the folder's own ``*.md`` files are read (not its subfolders, and never a link that leads
out of it); ``README.md`` and files whose name starts with ``_`` (a template) are left out and
listed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path

from oncall_planner.errors import InputReadError
from oncall_planner.health.history import SkippedRecord
from oncall_planner.health.postmortems import ActionItem, Postmortem, TimelineEntry

# Every pattern here runs in one pass over a line: a file is the user's, and a line of 20,000
# spaces once took hours to match (tests/test_health_postmortems.py).
_HEADING_START = re.compile(r"(#{1,6})(?:[ \t]|$)")
_FIELD = re.compile(
    r"(?:[-*+][ \t]*)?(?:\*\*|__)?([A-Za-z][A-Za-z ]*?)"
    r"(?::[ \t]*(?:\*\*|__)|(?:\*\*|__)[ \t]*:|:)[ \t]*(.*)"
)
_TIME = re.compile(
    r"^\s*(?:[-*+]\s*)?(?:\*\*|__)?"
    r"(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:UTC|Z)?(?:\*\*|__)?"
    r"\s*(?:[-–—:|]\s*)?(.*)$"
)
_TAG = re.compile(r"\[(start|detected|resolved)\]", re.I)
_DURATION = re.compile(
    r"(?<![\d.])(\d{1,9}(?:\.\d{1,6})?)[ \t]*"
    r"(d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)\b",
    re.I,
)
#: A section starts at a heading that names it (whole words, any case).
_SECTION_WORDS = (
    ("summary", re.compile(r"\bsummary\b", re.I)),
    ("timeline", re.compile(r"\btimeline\b", re.I)),
    ("actions", re.compile(r"\b(?:action items?|actions?)\b", re.I)),
)
#: A postmortem is a page or two; anything this large is not one.
MAX_BYTES = 4 * 1024 * 1024
_UNIT = {"d": 86400, "h": 3600, "m": 60, "s": 1}
SUMMARY_FIELDS = ("date", "duration", "severity", "impact")
ACTION_COLUMNS = ("action", "owner", "priority", "due date", "status")


def _fail(source: str, line: int, message: str) -> InputReadError:
    return InputReadError(f"{source}:{line}: {message}")


def _cells(line: str) -> list[str]:
    """A table row's cells; the outer pipes are optional and ``\\|`` is a pipe inside a cell."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", text)]


def _is_row(line: str) -> bool:
    """Whether a line is a table row: it holds a pipe that is not escaped."""
    return re.search(r"(?<!\\)\|", line) is not None


def _heading(line: str) -> tuple[int, str] | None:
    """``(level, text)`` of an ATX heading (``## Timeline (UTC) ##``), else ``None``."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    m = _HEADING_START.match(stripped)
    if m is None:
        return None
    text = stripped[m.end() :].strip()
    closed = text.rstrip("#")
    if closed != text and (not closed or closed[-1] in " \t"):
        text = closed.rstrip()  # the optional closing run of #s
    return len(m.group(1)), text


def _is_rule(cells: Sequence[str]) -> bool:
    return all(re.fullmatch(r":?-{3,}:?", c) for c in cells) and bool(cells)


def _plain(text: str) -> str:
    return re.sub(r"(\*\*|__|`)", "", text).strip()


def _sections(
    lines: Sequence[str],
) -> tuple[str | None, dict[str, tuple[int, list[tuple[int, str]]]]]:
    """The title (first ``#`` heading) and each ``##`` section: its heading line and lines."""
    title = None
    sections: dict[str, tuple[int, list[tuple[int, str]]]] = {}
    current: list[tuple[int, str]] | None = None
    current_level = 0
    in_code = False
    for n, line in enumerate(lines, start=1):
        if line.strip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = _heading(line)
        if heading is not None:
            level, text = heading
            if level == 1 and title is None:
                title = text
                current = None
                continue
            key = next((k for k, words in _SECTION_WORDS if words.search(text)), None)
            if key is not None:
                if key in sections:
                    raise InputReadError(f"line {n}: a second {text!r} section")
                current = []
                current_level = level
                sections[key] = (n, current)
            elif level <= current_level:
                current = None  # a sibling section ends this one; a subheading does not
                current_level = 0
            continue
        if current is not None and line.strip():
            current.append((n, line))
    return title, sections


def _date(text: str, source: str, line: int, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(_plain(text))
    except ValueError:
        raise _fail(source, line, f"{field} must be a date like 2025-03-04, got {text!r}") from None


def _duration(text: str, source: str, line: int) -> dt.timedelta:
    plain = _plain(text)
    shown = text if len(text) <= 60 else text[:59] + "…"
    hm = re.fullmatch(r"(\d{1,6}):(\d{2})", plain)
    parts = [] if hm or len(plain) > 200 else _DURATION.findall(plain)
    rest = _DURATION.sub("", plain).replace(",", " ").replace("and", " ").strip()
    if not hm and (not parts or rest):
        raise _fail(
            source, line, f"Duration must be like '47 minutes', '1h 20m' or '1:20', got {shown!r}"
        )
    try:
        if hm:
            return dt.timedelta(hours=int(hm.group(1)), minutes=int(hm.group(2)))
        seconds = sum(float(value) * _UNIT[unit[0].lower()] for value, unit in parts)
        return dt.timedelta(seconds=round(seconds))
    except OverflowError:
        raise _fail(source, line, f"Duration is out of range, got {shown!r}") from None


def _summary(lines: Sequence[tuple[int, str]], source: str) -> dict[str, tuple[int, str]]:
    fields: dict[str, tuple[int, str]] = {}
    for n, line in lines:
        m = None if line.strip().startswith("|") else _FIELD.fullmatch(line.strip())
        if m is not None:
            key, value = m.group(1).strip().lower(), m.group(2)
        elif _is_row(line):  # a two-column table, with or without outer pipes
            cells = _cells(line)
            if _is_rule(cells) or len(cells) < 2:
                continue
            key, value = _plain(cells[0]).lower(), cells[1]
            if key in ("field", ""):
                continue
        else:
            continue
        if key in SUMMARY_FIELDS:
            if key in fields:
                raise _fail(source, n, f"the summary gives {key.title()} twice")
            fields[key] = (n, value.strip())
    return fields


def _timeline(
    lines: Sequence[tuple[int, str]], day: dt.date, source: str
) -> tuple[TimelineEntry, ...]:
    out: list[TimelineEntry] = []
    current = day
    last: dt.datetime | None = None
    for n, line in lines:
        text = line.strip()
        if text.startswith("|"):
            cells = _cells(text)
            if _is_rule(cells) or _plain(cells[0]).lower().startswith("time"):
                continue
            text = f"{cells[0]} - {' | '.join(cells[1:])}"
        elif not re.match(r"^[-*+]\s|^\d", text):
            continue  # prose between the entries
        m = _TIME.match(text)
        if not m:
            raise _fail(
                source,
                n,
                f"a timeline entry must start with a UTC time like 14:02, got {line.strip()!r}",
            )
        date_text, hour, minute, second, what = m.groups()
        if int(hour) > 23 or int(minute) > 59 or (second and int(second) > 59):
            raise _fail(source, n, f"{hour}:{minute} is not a time of day")
        if date_text:
            current = _date(date_text, source, n, "the timeline's date")
        at = dt.datetime.combine(
            current, dt.time(int(hour), int(minute), int(second or 0)), dt.timezone.utc
        )
        if not date_text and last is not None and at < last:
            try:
                current += dt.timedelta(days=1)  # past midnight
                at += dt.timedelta(days=1)
            except OverflowError:
                raise _fail(source, n, "the timeline runs past 9999-12-31") from None
        last = at
        tag = _TAG.search(what)
        out.append(
            TimelineEntry(
                at=at,
                text=_plain(_TAG.sub("", what)).strip(" -–—|"),
                line=n,
                tag=tag.group(1).lower() if tag else None,
            )
        )
    return tuple(out)


def _actions(lines: Sequence[tuple[int, str]], source: str) -> tuple[ActionItem, ...]:
    # The table's rows: those starting with a pipe, or, in a table written without outer pipes
    # (GitHub reads both), every line holding one.
    rows = [(n, line) for n, line in lines if line.strip().startswith("|")]
    if not rows:
        rows = [(n, line) for n, line in lines if _is_row(line)]
    if not rows:
        return ()
    head_line, head = rows[0]
    columns = [_plain(c).lower() for c in _cells(head)]
    columns = ["due date" if c in ("due", "due date", "deadline") else c for c in columns]
    missing = [c for c in ACTION_COLUMNS if c != "status" and c not in columns]
    if missing:
        raise _fail(
            source,
            head_line,
            f"the action-items table needs the columns Action, Owner, Priority, Due date (and "
            f"Status); missing {', '.join(m.title() for m in missing)}",
        )
    out = []
    for n, line in rows[1:]:
        cells = _cells(line)
        if _is_rule(cells):
            continue
        if len(cells) != len(columns):
            raise _fail(
                source, n, f"this row has {len(cells)} cells, the table's header has {len(columns)}"
            )
        row = dict(zip(columns, cells, strict=True))
        action = _plain(row["action"])
        if not action:
            raise _fail(source, n, "an action item needs an action")
        due_text = _plain(row["due date"])
        due = None
        if due_text and due_text.lower() not in ("tbd", "n/a", "-", "none"):
            due = _date(due_text, source, n, "Due date")
        out.append(
            ActionItem(
                action=action,
                owner=_plain(row["owner"]) or "(nobody)",
                priority=_plain(row["priority"]) or "(none)",
                due=due,
                status=_plain(row.get("status", "")) or "open",
                line=n,
            )
        )
    return tuple(out)


def postmortem_from_markdown(text: str, source: str = "postmortem.md") -> Postmortem:
    """One postmortem from its Markdown text (the template in the module docstring)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    try:
        title, sections = _sections(lines)
    except InputReadError as err:
        raise InputReadError(f"{source}:{str(err).removeprefix('line ')}") from None
    if "summary" not in sections:
        raise _fail(source, 1, "no '## Incident Summary' section (the template's first part)")
    head, body = sections["summary"]
    fields = _summary(body, source)
    if "date" not in fields:
        raise _fail(source, head, "the incident summary has no Date")
    day = _date(fields["date"][1], source, fields["date"][0], "Date")
    duration = (
        _duration(fields["duration"][1], source, fields["duration"][0])
        if fields.get("duration", (0, ""))[1]
        else None
    )
    timeline: tuple[TimelineEntry, ...] = ()
    if "timeline" in sections:
        timeline = _timeline(sections["timeline"][1], day, source)
    actions: tuple[ActionItem, ...] = ()
    if "actions" in sections:
        actions = _actions(sections["actions"][1], source)
    return Postmortem(
        source=source,
        title=title or Path(source).stem,
        date=day,
        duration=duration,
        severity=_plain(fields["severity"][1]) or None if "severity" in fields else None,
        impact=_plain(fields["impact"][1]) or None if "impact" in fields else None,
        timeline=timeline,
        actions=actions,
    )


def load_postmortems(
    folder: str | os.PathLike[str],
) -> tuple[tuple[Postmortem, ...], tuple[SkippedRecord, ...]]:
    """The postmortems of a folder (its ``*.md`` files, by name) and the files left out."""
    root = Path(folder)
    if not root.is_dir():
        raise InputReadError(f"{os.fspath(folder)}: not a folder of postmortems")
    base = root.resolve()
    posts: list[Postmortem] = []
    skipped: list[SkippedRecord] = []
    for path in sorted(root.iterdir(), key=lambda p: p.name):
        if path.suffix.lower() != ".md" or path.is_dir():
            continue
        if not path.is_file():
            skipped.append(
                SkippedRecord(
                    os.fspath(root),
                    path.name,
                    "not a regular file (a broken link, a pipe or a device): not read",
                )
            )
            continue
        source = os.fspath(path)
        if path.name.lower() == "readme.md" or path.name.startswith("_"):
            skipped.append(
                SkippedRecord(os.fspath(root), path.name, "not a postmortem (README or template)")
            )
            continue
        if not path.resolve().is_relative_to(base):
            skipped.append(
                SkippedRecord(os.fspath(root), path.name, "a link out of the folder: not read")
            )
            continue
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                size = path.stat().st_size / (1024 * 1024)
                raise InputReadError(
                    f"{source}: {size:.1f} MB is too large for a postmortem (at most "
                    f"{MAX_BYTES // (1024 * 1024)} MB)"
                )
            text = data.decode("utf-8-sig")
        except OSError as err:
            raise InputReadError(f"{source}: cannot read: {err.strerror}") from None
        except UnicodeDecodeError as err:
            raise InputReadError(f"{source}: not UTF-8 text: {err}") from None
        posts.append(postmortem_from_markdown(text, source))
    return tuple(posts), tuple(skipped)


__all__ = ["load_postmortems", "postmortem_from_markdown"]
