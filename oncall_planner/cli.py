"""The ``oncall-planner`` command line: render, check, report, audit, escalation, emit, ics, diff.

Every command reads a plan from a Terraform file or directory (read, never executed), or from a
Python file that defines an :class:`~oncall_planner.OnCallPlan` named ``plan`` (that file *is*
executed: it is your own code). Exit codes follow linters such as ruff: 0 when all is well,
1 when ``check`` finds errors (or ``diff --exit-code`` finds changes), 2 for bad usage or input
that cannot be read. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import json
import os
import re
import runpy
import sys
import textwrap
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from oncall_planner.errors import OnCallPlannerError
from oncall_planner.model import OnCallPlan, Schedule, User
from oncall_planner.render import FinalSchedule, on_call_at, render
from oncall_planner.report.sarif import iso_utc
from oncall_planner.timeutil import (
    TIMESTAMP_YEARS,
    check_time_zone,
    parse_iso8601,
    year_in_range,
    zone,
)

PROG = "oncall-planner"
WIDTH = 80


class UsageError(Exception):
    """Bad arguments or unreadable input: one message, exit code 2."""


# ---------------------------------------------------------------------------------------------
# Progress: a small bar on stderr, only when stderr is a terminal
# ---------------------------------------------------------------------------------------------


class Progress:
    """``with Progress(total, "Rendering") as bar: bar.step(label)``; silent unless on a TTY."""

    def __init__(self, total: int, title: str, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = max(total, 1)
        self.title = title
        self.done = 0
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) and total > 1

    def __enter__(self) -> Progress:
        self._draw("")
        return self

    def step(self, label: str = "") -> None:
        self.done += 1
        self._draw(label)

    def _draw(self, label: str) -> None:
        if not self.enabled:
            return
        width = 24
        filled = width * self.done // self.total
        bar = "#" * filled + "." * (width - filled)
        text = f"{self.title} [{bar}] {self.done}/{self.total} {label}"
        self.stream.write("\r" + text[: WIDTH - 1].ljust(WIDTH - 1))
        self.stream.flush()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (WIDTH - 1) + "\r")
            self.stream.flush()


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def _parse_vars(pairs: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--var must look like NAME=VALUE, got {pair!r}")
        try:
            out[name] = json.loads(value)  # numbers, lists and quoted strings as JSON
        except json.JSONDecodeError:
            out[name] = value
    return out


def load_plan(path: str, variables: Sequence[str] = (), quiet: bool = False) -> Any:
    """The plan in ``path`` and the Terraform import result (``None`` for a Python file)."""
    if path.endswith(".py"):
        return _plan_from_python(Path(path)), None
    from oncall_planner.ingest import import_terraform

    result = import_terraform(path, variables=_parse_vars(variables))
    if not quiet and result.report():
        print(result.report(), file=sys.stderr)
    return result.plan, result


def _plan_from_python(path: Path) -> OnCallPlan:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    sys.path.insert(0, str(path.resolve().parent))
    try:
        namespace = runpy.run_path(str(path), run_name="__oncall_planner__")
    except OnCallPlannerError as exc:
        raise UsageError(f"{path}: {exc}") from None
    except SystemExit:
        raise UsageError(f"{path}: the file called exit() while defining the plan") from None
    except SyntaxError as exc:  # the file does not even compile: its own line and message
        line = f":{exc.lineno}" if exc.lineno else ""
        where = exc.filename or path  # a module it imports may be the one that does not compile
        raise UsageError(f"{where}{line}: {type(exc).__name__}: {exc.msg}") from None
    except Exception as exc:  # the user's own code failed: say where, without a traceback
        line = ""
        tb = exc.__traceback__
        while tb is not None:
            if Path(tb.tb_frame.f_code.co_filename).resolve() == path.resolve():
                line = f":{tb.tb_lineno}"
            tb = tb.tb_next
        raise UsageError(f"{path}{line}: {type(exc).__name__}: {exc}") from None
    finally:
        sys.path.pop(0)
    plan = namespace.get("plan")
    if not isinstance(plan, OnCallPlan):
        got = "nothing" if plan is None else type(plan).__name__
        raise UsageError(f"{path}: must define an OnCallPlan named 'plan', found {got}")
    return plan


def _load_pages(args: argparse.Namespace) -> Any:
    """The page history of ``--pages`` (read with ``--pages-tz``); what was skipped and any
    warning (a truncated export) go to stderr unless ``--quiet``, so nothing is dropped unseen."""
    if args.pages is None:
        if args.pages_tz is not None:
            raise UsageError("--pages-tz needs --pages")
        return ()
    from oncall_planner.ingest.pages import load_pages

    history = load_pages(args.pages, args.pages_tz)
    if not args.quiet and (history.skipped or history.warnings):
        print(history.summary(), file=sys.stderr)
    return history


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEARS = f"use a time in the years {TIMESTAMP_YEARS.start} to {TIMESTAMP_YEARS.stop - 1}"


def parse_instant(text: str, tz: str, flag: str) -> dt.datetime:
    """``2025-03-03``, ``2025-03-03T09:00`` (in ``tz``) or with an offset / ``Z``."""
    try:
        parsed = parse_iso8601(text)
    except ValueError:
        raise UsageError(
            f"{flag}: invalid timestamp {text!r}; use 2025-03-03, 2025-03-03T09:00 or "
            "2025-03-03T09:00:00-05:00"
        ) from None
    if not year_in_range(parsed):
        raise UsageError(f"{flag}: {text!r} is out of range; {_YEARS}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(tz))
    if parsed.second or parsed.microsecond:
        raise UsageError(f"{flag}: use whole minutes (PagerDuty drops seconds), got {text!r}")
    return parsed


def _zone_arg(name: str | None, plan: OnCallPlan) -> str:
    if name is None:
        return plan.schedules[0].time_zone if plan.schedules else "Etc/UTC"
    try:
        return check_time_zone(name, "--tz")
    except OnCallPlannerError as exc:
        raise UsageError(str(exc)) from None


def _window(args: argparse.Namespace, tz: str) -> tuple[dt.datetime, dt.datetime]:
    if args.since is not None:
        since = parse_instant(args.since, tz, "--since")
    else:
        now = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
        since = now.astimezone(zone(tz))
    if args.until is not None and args.days is not None:
        raise UsageError("--until and --days both give the end of the window; use one of them")
    if args.until is not None:
        until = parse_instant(args.until, tz, "--until")
    else:
        days = args.default_days if args.days is None else args.days
        if days <= 0:
            raise UsageError(f"--days must be a positive number of days, got {days}")
        out_of_range = UsageError(f"--days {days} ends the window out of range; {_YEARS}")
        try:
            until = since + dt.timedelta(days=days)
        except OverflowError:
            raise out_of_range from None
        if not year_in_range(until):
            raise out_of_range
    if until <= since:
        raise UsageError(
            f"--until ({until.isoformat()}) must be after --since ({since.isoformat()})"
        )
    return since, until


def _schedules(plan: OnCallPlan, names: Sequence[str] | None) -> list[Schedule]:
    if not names:
        return list(plan.schedules)
    out = []
    for name in names:
        found = [s for s in plan.schedules if s.name == name]
        if not found:
            known = ", ".join(repr(s.name) for s in plan.schedules) or "none"
            raise UsageError(f"--schedule: no schedule named {name!r} (schedules: {known})")
        out.extend(found)
    return out


def _user(plan: OnCallPlan, who: str) -> User:
    for user in plan.users:
        if who.lower() in (user.email.lower(), user.name.lower()):
            return user
    known = ", ".join(u.email for u in plan.users) or "none"
    raise UsageError(f"--person: nobody with email or name {who!r} (users: {known})")


def _write(path: Path, text: str, flag: str) -> None:
    """Write ``text`` exactly (line endings included), making missing parent directories."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"{flag} {path}: {exc.strerror or exc}") from None


def _output(args: argparse.Namespace, text: str) -> None:
    """``text`` to ``--output`` (a file, made with its folders) or to standard output."""
    path = getattr(args, "output", None)
    if path in (None, "-"):
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stream, e.g. under redirect_stdout
            sys.stdout.write(text)
        else:  # bytes as they are: no newline translation, so ICS keeps its CRLF
            sys.stdout.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        return
    _write(Path(path), text, "--output")
    print(f"wrote {path}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Tables that fit 80 columns
# ---------------------------------------------------------------------------------------------


def _when(value: dt.datetime, tz: str) -> str:
    return value.astimezone(zone(tz)).strftime("%a %Y-%m-%d %H:%M")


def _hours(delta: dt.timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f}h" if hours == int(hours) else f"{hours:.1f}h"


def table(rows: Sequence[Sequence[str]], header: Sequence[str], width: int = WIDTH) -> str:
    """Left-aligned columns; the last column is cut with … so each line fits ``width``."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    fixed = sum(widths[:-1]) + 2 * (len(header) - 1) + 2
    last = max(width - fixed, 8)
    lines = []
    for row in [header, *rows]:
        cells = [str(c).ljust(widths[i]) for i, c in enumerate(row[:-1])]
        tail = str(row[-1])
        if len(tail) > last:
            tail = tail[: last - 1] + "…"
        lines.append(("  " + "  ".join([*cells, tail])).rstrip())
    return "\n".join(lines)


def _entries_table(entries: Sequence[Any], tz: str) -> str:
    """Who is on call when, one row per entry, or ``nobody``."""
    if not entries:
        return "  nobody"
    rows = [
        [_when(e.start, tz), _when(e.end, tz), _hours(e.end - e.start), e.user.name]
        for e in entries
    ]
    return table(rows, ["Start", "End", "Hours", "Who"])


def _json(doc: Any) -> str:
    """A JSON document as the commands write it: sorted keys, two-space indent, UTF-8 kept."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


def cmd_render(args: argparse.Namespace) -> int:
    plan, _ = load_plan(args.input, args.var, args.quiet)
    schedules = _schedules(plan, args.schedule)
    if not schedules:
        raise UsageError(f"{args.input}: the plan has no schedules to render")
    tz_in = _zone_arg(args.tz, plan)
    if args.at is not None:
        at = parse_instant(args.at, tz_in, "--at")
        return _render_at(args, schedules, at)
    since, until = _window(args, tz_in)
    finals: list[tuple[Schedule, FinalSchedule]] = []
    with Progress(len(schedules) if (until - since).days > 90 else 0, "Rendering") as bar:
        for schedule in schedules:
            finals.append((schedule, render(schedule, since, until, mode=args.mode)))
            bar.step(schedule.name)
    if args.format == "json":
        _output(args, _json(_render_json(finals, since, until)))
        return 0
    _output(args, _render_text(finals, since, until, args.tz, args.layers))
    return 0


def _render_text(
    finals: Sequence[tuple[Schedule, FinalSchedule]],
    since: dt.datetime,
    until: dt.datetime,
    tz_out: str | None,
    layers: bool,
) -> str:
    """``render``'s text: per schedule its coverage, (with ``layers``) each layer on its own,
    the final schedule and its gaps, in ``tz_out`` or the schedule's own zone."""
    out: list[str] = []
    for schedule, final in finals:
        tz = tz_out or schedule.time_zone
        out.append(f"Schedule {schedule.name!r} ({tz})")
        out.append(
            f"  {_when(since, tz)} -> {_when(until, tz)}: coverage {final.coverage:.0%}, "
            f"{len(final.gaps)} gap{'s' if len(final.gaps) != 1 else ''}"
        )
        if layers:
            for i, (layer, entries, visible) in enumerate(
                zip(schedule.layers, final.layers, final.visible, strict=True)
            ):
                shown = sum((e.end - e.start for e in visible), dt.timedelta()) / (until - since)
                out.append("")
                out.append(f"Layer {i + 1} {layer.name!r} alone (shown in the final: {shown:.0%})")
                out.append(_entries_table(entries, tz))
        out.append("")
        out.append("Final schedule")
        out.append(_entries_table(final.entries, tz))
        if final.gaps:
            out.append("")
            out.append("Gaps (nobody on call)")
            out.append(
                table(
                    [
                        [_when(g.start, tz), _when(g.end, tz), _hours(g.end - g.start)]
                        for g in final.gaps
                    ],
                    ["Start", "End", "Hours"],
                )
            )
        out.append("")
    return "\n".join(out)


def _render_json(
    finals: Sequence[tuple[Schedule, FinalSchedule]], since: dt.datetime, until: dt.datetime
) -> dict[str, Any]:
    def entry(e: Any) -> dict[str, str]:
        return {"start": iso_utc(e.start), "end": iso_utc(e.end), "user": e.user.email}

    return {
        "since": iso_utc(since),
        "until": iso_utc(until),
        "schedules": [
            {
                "name": s.name,
                "time_zone": s.time_zone,
                "coverage": round(f.coverage, 6),
                "final": [entry(e) for e in f.entries],
                "gaps": [{"start": iso_utc(g.start), "end": iso_utc(g.end)} for g in f.gaps],
                "layers": [
                    {"name": layer.name, "entries": [entry(e) for e in entries]}
                    for layer, entries in zip(s.layers, f.layers, strict=True)
                ],
            }
            for s, f in finals
        ],
    }


def _email(user: User | None) -> str | None:
    return user.email if user is not None else None


def _render_at(args: argparse.Namespace, schedules: Sequence[Schedule], at: dt.datetime) -> int:
    from oncall_planner.render import layer_on_call_at

    if args.format == "json":
        doc = {
            "at": iso_utc(at),
            "schedules": [
                {
                    "name": schedule.name,
                    "time_zone": schedule.time_zone,
                    "user": _email(on_call_at(schedule, at, mode=args.mode)),
                    "layers": [
                        {
                            "name": layer.name,
                            "user": _email(
                                layer_on_call_at(layer, schedule.time_zone, at, mode=args.mode)
                            ),
                        }
                        for layer in schedule.layers
                    ],
                }
                for schedule in schedules
            ],
        }
        _output(args, _json(doc))
        return 0
    out = []
    for schedule in schedules:
        tz = args.tz or schedule.time_zone
        who = on_call_at(schedule, at, mode=args.mode)
        out.append(
            f"Schedule {schedule.name!r} at {_when(at, tz)} ({tz}): {who.name if who else 'nobody'}"
        )
        if args.layers:
            for i, layer in enumerate(schedule.layers):
                user = layer_on_call_at(layer, schedule.time_zone, at, mode=args.mode)
                out.append(f"  layer {i + 1} {layer.name!r}: {user.name if user else 'nobody'}")
    _output(args, "\n".join(out) + "\n")
    return 0


def _codes(values: Sequence[str] | None) -> list[str] | None:
    if not values:
        return None
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def cmd_check(args: argparse.Namespace) -> int:
    from oncall_planner.checks import RULES, CheckConfig, check

    plan, imported = load_plan(args.input, args.var, args.quiet)
    tz = _zone_arg(args.tz, plan)
    since, until = _window(args, tz)
    config = CheckConfig(select=_codes(args.select), ignore=_codes(args.ignore) or ())
    findings = check(plan, since, until, pages=_load_pages(args), config=config)
    errors = sum(1 for f in findings if f.severity == "error")
    if args.format == "json":
        from oncall_planner.report.sarif import finding_dicts

        counts = {
            s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")
        }
        doc = {
            "since": iso_utc(since),
            "until": iso_utc(until),
            "findings": finding_dicts(findings),
            "summary": counts,
        }
        _output(args, _json(doc))
    elif args.format == "sarif":
        from oncall_planner import __version__
        from oncall_planner.report.sarif import to_sarif

        # A result needs a file to point at; for a directory, that is its first Terraform file.
        artifact = None
        if imported is not None:
            artifact = args.input if Path(args.input).is_file() else imported.files[0]
        doc = to_sarif(
            findings,
            RULES,
            tool_version=__version__,
            artifact=artifact,
            locations=imported.locations if imported is not None else None,
        )
        _output(args, _json(doc))
    else:
        _output(args, _findings_text(findings, tz))
    return 1 if errors else 0


def _wrap(label: str, text: str) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=f"    {label}",
        subsequent_indent="      ",
        break_on_hyphens=False,
    )


def _findings_text(findings: Sequence[Any], tz: str) -> str:
    lines = []
    for f in findings:
        lines.extend(
            textwrap.wrap(
                f"{f.severity} {f.code} {f.rule}: {f.subject}", WIDTH, subsequent_indent="      "
            )
        )
        lines.extend(_wrap("", f.message))
        if f.intervals:
            first = f.intervals[0]
            more = f" (+{len(f.intervals) - 1} more)" if len(f.intervals) > 1 else ""
            lines.extend(
                _wrap("when: ", f"{_when(first.start, tz)} -> {_when(first.end, tz)} {tz}{more}")
            )
        if f.hint:
            lines.extend(_wrap("hint: ", f.hint))
    counts = [sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")]
    if findings:
        lines.append("")
    lines.append(f"{counts[0]} error(s), {counts[1]} warning(s), {counts[2]} info")
    return "\n".join(lines) + "\n"


def cmd_report(args: argparse.Namespace) -> int:
    from oncall_planner.fairness import fairness_report

    plan, _ = load_plan(args.input, args.var, args.quiet)
    tz = _zone_arg(args.tz, plan)
    since = parse_instant(args.since, tz, "--since") if args.since else None
    until = parse_instant(args.until, tz, "--until") if args.until else None
    if until is not None and since is None:
        raise UsageError("--until needs --since")
    pages = _load_pages(args)
    report = fairness_report(plan, since, until, pages=list(pages) or None)
    render_format: dict[str, Callable[[], str]] = {
        "text": report.to_text,
        "markdown": report.to_markdown,
        "json": report.to_json,
        "csv": report.to_csv,
        "html": report.to_html,
    }
    text = render_format[args.format]()
    _output(args, text if text.endswith("\n") else text + "\n")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from oncall_planner.fairness import audit
    from oncall_planner.fairness.audit import PROPERTIES, AuditReport

    plan, _ = load_plan(args.input, args.var, args.quiet)
    since = parse_instant(args.since, _zone_arg(args.tz, plan), "--since") if args.since else None
    names = args.property or list(PROPERTIES)
    unknown = [n for n in names if n not in PROPERTIES]
    if unknown:
        raise UsageError(f"--property: unknown {unknown[0]!r}; choose from {', '.join(PROPERTIES)}")
    if args.max_examples < 1:
        raise UsageError(f"--max-examples must be at least 1, got {args.max_examples}")
    results: list[Any] = []
    with Progress(len(names), "Auditing") as bar:
        for name in names:
            part = audit(plan, [name], max_examples=args.max_examples, seed=args.seed, since=since)
            results.extend(part.results)
            bar.step(name)
    report = AuditReport(tuple(results), args.seed, args.max_examples)
    if args.format == "json":
        text = _json(report.to_dict())
    else:
        lines = []
        for line in report.to_text().splitlines():
            indent = " " * (len(line) - len(line.lstrip()))
            lines.extend(
                textwrap.wrap(line, WIDTH, subsequent_indent=indent + "  ", break_on_hyphens=False)
                or [""]
            )
        text = "\n".join(lines) + "\n"
    _output(args, text)
    return 0 if report.ok else 1


def cmd_escalation(args: argparse.Namespace) -> int:
    from oncall_planner.escalation import escalation_timeline

    plan, _ = load_plan(args.input, args.var, args.quiet)
    policies = plan.escalation_policies
    if args.policy is not None:
        found = [p for p in policies if p.name == args.policy]
        if not found:
            known = ", ".join(repr(p.name) for p in policies) or "none"
            raise UsageError(f"--policy: no escalation policy named {args.policy!r} ({known})")
        policy = found[0]
    elif len(policies) == 1:
        policy = policies[0]
    elif not policies:
        raise UsageError(f"{args.input}: the plan has no escalation policies")
    else:
        known = ", ".join(repr(p.name) for p in policies) or "none"
        raise UsageError(f"--policy is needed: the plan has {len(policies)} policies ({known})")
    tz = _zone_arg(args.tz, plan)
    at = parse_instant(args.at, tz, "--at")
    timeline = escalation_timeline(policy, at)
    # Notes (round robin, skipped levels) would be cut off at the end of a row: each row gets a
    # [n] mark instead, and the notes are written out in full under the table.
    notes: list[str] = []
    rows = []
    for n in timeline:
        who = n.user.name if n.user is not None else "nobody"
        via = "direct" if n.target.kind == "user" else f"schedule {n.target.name}"
        mark = ""
        if n.note:
            if n.note not in notes:
                notes.append(n.note)
            mark = f"[{notes.index(n.note) + 1}]"
        row = [f"+{n.minute}m", _when(n.at, tz), f"{n.level}/{n.loop}", who]
        rows.append([*row, mark, via] if any(m.note for m in timeline) else [*row, via])
    head = (
        f"Escalation policy {policy.name!r}\nIncident at {_when(at, tz)} ({tz}), never acknowledged"
    )
    header = ["After", "When", "Lvl/loop", "Who"] + (["Note"] if notes else []) + ["Via"]
    body = table(rows, header) if rows else "  nobody is notified"
    for i, note in enumerate(notes):
        body += "\n" + "\n".join(
            textwrap.wrap(
                f"[{i + 1}] {note}", WIDTH, initial_indent="  ", subsequent_indent="      "
            )
        )
    _output(args, f"{head}\n{body}\n")
    return 0


def cmd_emit(args: argparse.Namespace) -> int:
    from oncall_planner.emit import to_terraform_json
    from oncall_planner.emit.terraform_json import TerraformEmitWarning

    plan, _ = load_plan(args.input, args.var, args.quiet)
    now = parse_instant(args.now, _zone_arg(args.tz, plan), "--now") if args.now else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TerraformEmitWarning)
        doc = to_terraform_json(plan, users=args.users, now=now)
    for warning in caught:
        if not args.quiet and issubclass(warning.category, TerraformEmitWarning):
            print(f"left out: {warning.message}", file=sys.stderr)
    _output(args, _json(doc))
    return 0


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "calendar"


def _file_names(names: Sequence[str]) -> list[str]:
    """``slug.ics`` for each name; names that slug alike ('Ops (EU)', 'Ops EU') get a short hash
    of the name as well, so no calendar overwrites another."""
    slugs = [_slug(n) for n in names]
    out = []
    for name, slug in zip(names, slugs, strict=True):
        if slugs.count(slug) > 1:
            slug += "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        out.append(f"{slug}.ics")
    return out


def cmd_ics(args: argparse.Namespace) -> int:
    from oncall_planner.report.ics import schedule_events, schedule_ics, to_ics

    plan, _ = load_plan(args.input, args.var, args.quiet)
    since, until = _window(args, _zone_arg(args.tz, plan))
    schedules = _schedules(plan, args.schedule)

    def person_calendar(user: User) -> str:
        # The person's shifts on the chosen schedules (every schedule without --schedule).
        events = [e for s in schedules for e in schedule_events(s, since, until, person=user)]
        return to_ics(f"On call: {user.name}", events, since)

    if args.split:
        if not args.output_dir:
            raise UsageError("--split needs --output-dir DIR")
        if args.output is not None:
            raise UsageError("--split writes one file per calendar into --output-dir, not --output")
        if args.split == "schedule" and args.person:
            raise UsageError("--person picks one calendar; with --split schedule, leave it out")
        out_dir = Path(args.output_dir)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"--output-dir {out_dir}: {exc.strerror or exc}") from None
        items: list[tuple[str, Callable[[], str]]]
        if args.split == "schedule":
            items = [(s.name, functools.partial(schedule_ics, s, since, until)) for s in schedules]
        else:
            people = [_user(plan, p) for p in args.person] if args.person else list(plan.users)
            items = [(u.email, functools.partial(person_calendar, u)) for u in people]
        names = _file_names([name for name, _ in items])
        with Progress(len(items), "Calendars") as bar:
            for (name, build), file_name in zip(items, names, strict=True):
                _write(out_dir / file_name, build(), "--output-dir")
                bar.step(name)
        print(f"wrote {len(items)} calendar(s) to {out_dir}", file=sys.stderr)
        return 0
    if args.person:
        if len(args.person) > 1:
            raise UsageError("give one --person, or --split person --output-dir DIR")
        text = person_calendar(_user(plan, args.person[0]))
    elif len(schedules) == 1:
        text = schedule_ics(schedules[0], since, until)
    else:
        events = [e for s in schedules for e in schedule_events(s, since, until)]
        text = to_ics("On call", events, since)
    _output(args, text)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from oncall_planner.planning import diff, format_diff

    before, _ = load_plan(args.before, args.var, args.quiet)
    after, _ = load_plan(args.after, args.var, args.quiet)
    tz = _zone_arg(args.tz, after)
    since, until = _window(args, tz)
    changes = diff(before, after, since, until)
    _output(args, format_diff(changes, tz))
    return 1 if (args.exit_code and changes) else 0


# ---------------------------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------------------------

_EPILOG = (
    "INPUT is a Terraform file (.tf, .tf.json, cdk.tf.json) or directory, read and never "
    "executed, or a Python file defining an OnCallPlan named 'plan', which is executed. "
    "Exit codes: 0 ok, 1 check found errors (audit: a counterexample; diff --exit-code: "
    "changes), 2 bad usage or unreadable input."
)


def _common(
    parser: argparse.ArgumentParser, *, input_arg: bool = True, pages: bool = False
) -> None:
    """Options every command takes; ``--pages`` only where page history is used (check and
    report): elsewhere it was accepted and ignored, even naming a file that does not exist."""
    if input_arg:
        parser.add_argument(
            "input", metavar="INPUT", help="Terraform file or directory, or plan.py"
        )
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="value for a Terraform variable (repeatable)",
    )
    if pages:
        parser.add_argument(
            "--pages", metavar="FILE", help="page history, PagerDuty JSON or CSV export"
        )
        parser.add_argument(
            "--pages-tz",
            metavar="ZONE",
            help="the zone a --pages CSV was written in, for times without a UTC offset "
            "(never guessed)",
        )
    parser.add_argument(
        "--tz",
        metavar="ZONE",
        help="time zone for times given without an offset and for display "
        "(default: the first schedule's)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="do not print the import notes (placeholders, ignored resources)",
    )


def _window_args(parser: argparse.ArgumentParser, days: int = 28) -> None:
    parser.add_argument(
        "--since",
        metavar="TIME",
        help="window start, e.g. 2025-03-03 or 2025-03-03T09:00-05:00 (default: now)",
    )
    parser.add_argument("--until", metavar="TIME", help="window end (default: --since + --days)")
    parser.add_argument(
        "--days",
        type=int,
        help=f"window length in days, instead of --until (default {days})",
    )
    parser.set_defaults(default_days=days)


def _out_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Know who will be on call, when, before you terraform apply.",
        epilog=_EPILOG,
    )
    from oncall_planner import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser(
        "render",
        help="who is on call when: per layer and final",
        description="Render schedules: the final schedule PagerDuty would show, "
        "with --layers each layer on its own, or who is on call --at an instant.",
        epilog=_EPILOG,
    )
    _common(p)
    _window_args(p)
    p.add_argument("--at", metavar="TIME", help="show who is on call at one instant instead")
    p.add_argument(
        "--schedule", action="append", metavar="NAME", help="only this schedule (repeatable)"
    )
    p.add_argument("--layers", action="store_true", help="also show each layer on its own")
    p.add_argument(
        "--mode",
        choices=["wall", "elapsed"],
        default="wall",
        help="turn arithmetic: wall clock (PagerDuty's, default) or elapsed time",
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    _out_arg(p)
    p.set_defaults(func=cmd_render)

    p = sub.add_parser(
        "check",
        help="lint the set-up: fatigue and health findings",
        description="Run the checks. Exit 0 when no finding is an error, 1 when "
        "some are, 2 for bad usage or input.",
        epilog=_EPILOG,
    )
    _common(p, pages=True)
    _window_args(p)
    p.add_argument(
        "--format",
        choices=["text", "json", "sarif"],
        default="text",
        help="output format (sarif for code scanning)",
    )
    p.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="only these rule codes or prefixes, comma-separated (e.g. OCP1,OCP203)",
    )
    p.add_argument(
        "--ignore",
        action="append",
        metavar="CODES",
        help="skip these rule codes or prefixes, comma-separated",
    )
    _out_arg(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "report",
        help="fairness report: load per person, indices",
        description="The fairness report. Without --since, whole rotation cycles "
        "from the start of the last layer.",
        epilog=_EPILOG,
    )
    _common(p, pages=True)
    p.add_argument("--since", metavar="TIME", help="window start (default: whole rotation cycles)")
    p.add_argument("--until", metavar="TIME", help="window end (needs --since)")
    p.add_argument(
        "--format",
        choices=["text", "markdown", "json", "csv", "html"],
        default="text",
        help="output format",
    )
    _out_arg(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "audit",
        help="search perturbations for fairness counterexamples",
        description="Fairness audit: hypothesis searches start dates, DST weeks, time off and "
        "members joining or leaving for counterexamples. Exit 1 when a property is violated.",
        epilog=_EPILOG,
    )
    _common(p)
    p.add_argument(
        "--since",
        metavar="TIME",
        help="start of the unperturbed window (default: when the last layer starts)",
    )
    p.add_argument(
        "--property",
        action="append",
        metavar="NAME",
        help="only this property (repeatable): balanced, max_streak, not_starved, distinct_levels",
    )
    p.add_argument(
        "--max-examples",
        type=int,
        default=100,
        metavar="N",
        help="cases per property, after the plan as written (default 100)",
    )
    p.add_argument(
        "--seed", type=int, default=0, metavar="N", help="search seed (same seed, same report)"
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    _out_arg(p)
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser(
        "escalation",
        help="who is notified when, for an incident at an instant",
        description="The notification timeline of an escalation policy for an "
        "incident nobody acknowledges.",
        epilog=_EPILOG,
    )
    _common(p)
    p.add_argument("--at", metavar="TIME", required=True, help="when the incident is triggered")
    p.add_argument("--policy", metavar="NAME", help="the policy (needed when there are several)")
    _out_arg(p)
    p.set_defaults(func=cmd_escalation)

    p = sub.add_parser(
        "emit",
        help="the plan as Terraform JSON (pagerduty.tf.json)",
        description="Write the plan as Terraform JSON for the PagerDuty provider.",
        epilog=_EPILOG,
    )
    _common(p)
    p.add_argument(
        "--users",
        choices=["data", "resource"],
        default="data",
        help="look users up by email (data, default) or manage them (resource)",
    )
    p.add_argument(
        "--now",
        metavar="TIME",
        help="leave out layers that have ended by TIME: a past end makes the provider "
        "re-add the layer on every plan (default: keep every layer)",
    )
    _out_arg(p)
    p.set_defaults(func=cmd_emit)

    p = sub.add_parser(
        "ics",
        help="iCalendar of shifts, per schedule or per person",
        description="iCalendar (RFC 5545) of on-call shifts for calendar "
        "subscriptions. Output depends only on the input.",
        epilog=_EPILOG,
    )
    _common(p)
    _window_args(p, days=90)
    p.add_argument(
        "--schedule", action="append", metavar="NAME", help="only this schedule (repeatable)"
    )
    p.add_argument(
        "--person",
        action="append",
        metavar="EMAIL",
        help="one person's shifts on every schedule (email or name)",
    )
    p.add_argument(
        "--split",
        choices=["schedule", "person"],
        help="write one file per schedule or per person into --output-dir",
    )
    p.add_argument("--output-dir", metavar="DIR", help="directory for --split")
    _out_arg(p)
    p.set_defaults(func=cmd_ics)

    p = sub.add_parser(
        "diff",
        help="who is on call differently between two plans",
        description="Compare the final schedules of BEFORE and AFTER.",
        epilog=_EPILOG,
    )
    p.add_argument("before", metavar="BEFORE", help="the current plan (Terraform or plan.py)")
    p.add_argument("after", metavar="AFTER", help="the proposed plan")
    _common(p, input_arg=False)
    _window_args(p)
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there are changes")
    _out_arg(p)
    p.set_defaults(func=cmd_diff)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)  # usage errors exit with code 2 here
    try:
        return int(args.func(args))
    except (UsageError, OnCallPlannerError) as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OverflowError:  # a date beyond what datetime holds, however the input reached it
        print(f"{PROG} {args.command}: error: a date is out of range; {_YEARS}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
