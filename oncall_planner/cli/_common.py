"""What every command shares: the shared options, reading inputs, the window, writing output.

The shared options are defined here and nowhere else (:func:`add_input`, :func:`add_common`,
:func:`add_window`, :func:`add_output`), and so is their validation (:func:`check_args`), which
``main`` runs before a command reads any input. Heavy parts of the library (the importer,
render, checks, fairness, reports) are imported inside the functions that use them, so that
``oncall-planner --help`` does not load them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TextIO, TypeAlias

from oncall_planner.errors import OnCallPlannerError
from oncall_planner.textutil import json_safe, printable
from oncall_planner.timeutil import (
    TIMESTAMP_YEARS,
    check_time_zone,
    parse_iso8601,
    year_in_range,
    zone,
)

if TYPE_CHECKING:
    from oncall_planner.model import OnCallPlan, Schedule, ShiftSchedule, User

PROG = "oncall-planner"
WIDTH = 80
#: The subparsers object that each command module's ``register`` adds its parser to.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

EPILOG = (
    "INPUT is a Terraform file (.tf, .tf.json, cdk.tf.json) or directory, read and never "
    "executed, a plan file written by 'oncall-planner pull' (told by its content), or a Python "
    "file defining an OnCallPlan named 'plan', which is executed. "
    "Exit codes: 0 ok, 1 check found errors (audit: a counterexample; diff --exit-code: "
    "changes), 2 bad usage or unreadable input."
)


class UsageError(Exception):
    """Bad arguments or unreadable input: one message, exit code 2."""


class OutputError(UsageError):
    """Standard output cannot be written (a full disk, ``/dev/full``): one message, exit code 2."""


def stdout_failed(exc: OSError) -> OutputError:
    """The error for a failed write to standard output; standard output is pointed at the null
    device, so that Python's last flush at exit does not fail again with a traceback."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return OutputError(f"cannot write to standard output: {exc.strerror or exc}")


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
        text = printable(f"{self.title} [{bar}] {self.done}/{self.total} {label}")
        self.stream.write("\r" + text[: WIDTH - 1].ljust(WIDTH - 1))
        self.stream.flush()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (WIDTH - 1) + "\r")
            self.stream.flush()


# ---------------------------------------------------------------------------------------------
# The shared options, defined once
# ---------------------------------------------------------------------------------------------


def add_command(
    sub: Subparsers, name: str, *, help: str, description: str
) -> argparse.ArgumentParser:
    """A command's parser, with the epilog every command shows."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help, description=description, epilog=EPILOG
    )
    return parser


def add_input(parser: argparse.ArgumentParser) -> None:
    """The ``INPUT`` positional: the plan a command reads."""
    parser.add_argument(
        "input",
        metavar="INPUT",
        help="Terraform folder or file (.tf, .tf.json, cdk.tf.json), the JSON of "
        "`terraform show -json` on a plan or state, a .tfstate file, or plan.py",
    )


def add_common(parser: argparse.ArgumentParser, *, pages: bool = False) -> None:
    """Options every command takes; ``--pages`` only where page history is used (check and
    report): elsewhere it was accepted and ignored, even naming a file that does not exist."""
    parser.add_argument(
        "--var",
        "-var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="value for a root Terraform variable, read as terraform -var reads it (repeatable)",
    )
    parser.add_argument(
        "--var-file",
        "-var-file",
        action="append",
        default=[],
        metavar="FILE",
        help="a .tfvars or .tfvars.json file, as terraform -var-file (repeatable)",
    )
    parser.add_argument(
        "--root",
        metavar="DIR",
        help="a folder holding INPUT, to let local module sources lead above INPUT (default: "
        "INPUT's folder, nothing above it is read); files are always read only inside their "
        "own folder",
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
        "(default: the first schedule's, or the first --schedule's)",
    )
    notes = parser.add_mutually_exclusive_group()
    notes.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="do not print the import notes (placeholders, ignored resources)",
    )
    notes.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print every import note with its file and line, not only the one-line summary",
    )


def add_window(parser: argparse.ArgumentParser, days: int = 28) -> None:
    """``--since``, ``--until`` and ``--days``: the window a command looks at."""
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


def add_output(parser: argparse.ArgumentParser) -> None:
    """``-o/--output FILE``: where :func:`output` writes."""
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def parse_vars(pairs: Sequence[str]) -> dict[str, str]:
    """``--var NAME=VALUE`` pairs as text; the importer reads each value as ``terraform -var``
    does, by the variable's type (as is for a string, as an HCL expression for a list, map or
    object), with nesting bounded."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--var must look like NAME=VALUE, got {pair[:60]!r}")
        out[name.strip()] = value
    return out


def load_plan(args: argparse.Namespace, path: str | None = None) -> Any:
    """The plan in ``path`` (default: ``INPUT``) and the Terraform import result (``None`` for a
    Python file). What the importer could not take as it is goes to stderr as one summary line
    (:func:`import_summary`), every note with ``-v``, nothing with ``-q``."""
    path = args.input if path is None else path
    if path.endswith(".py"):
        return plan_from_python(Path(path)), None
    from oncall_planner.pagerduty_api.planfile import sniff_plan_file

    if sniff_plan_file(path):
        account = _account(path)
        if account.notes and not args.quiet:
            count = _count(len(account.notes), "note")
            if args.verbose:
                say(f"note: {path}: {count} from the pull:")
                for text in account.notes:
                    say(f"  {text}")
            else:
                say(f"note: {path}: {count} from the pull (-v for details)")
        return account.plan, None
    from oncall_planner.ingest import import_terraform

    result = import_terraform(
        path,
        var_strings=parse_vars(getattr(args, "var", ())),
        var_files=getattr(args, "var_file", ()) or (),
        root=getattr(args, "root", None),
    )
    summary = import_summary(path, result, verbose=args.verbose)
    if summary and not args.quiet:
        say(summary)
    return result.plan, result


_ACCOUNTS: dict[tuple[str, int, int], Any] = {}


def _account(path: str) -> Any:
    """The :class:`~oncall_planner.pagerduty_api.Account` in the plan file at ``path``, read once
    per command (the plan, its overrides and its pages are asked for separately)."""
    from oncall_planner.pagerduty_api.planfile import load_account

    try:
        stat = Path(path).stat()
        key = (str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return load_account(path)
    if key not in _ACCOUNTS:
        _ACCOUNTS.clear()  # one file at a time is all a command needs
        _ACCOUNTS[key] = load_account(path)
    return _ACCOUNTS[key]


def load_overrides(args: argparse.Namespace, path: str | None = None) -> dict[str, Any]:
    """The overrides that the plan file in ``path`` (default: ``INPUT``) carries, by schedule
    name (``Override`` objects for a layer-based schedule, ``ShiftOverride`` for a shift-based
    one), as ``pull`` found them in its window; ``{}`` for Terraform or a Python file, which hold
    no overrides. Commands apply them, so ``render`` of a pulled plan shows what PagerDuty
    shows during an override."""
    from oncall_planner.pagerduty_api.planfile import sniff_plan_file

    path = args.input if path is None else path
    if path.endswith(".py") or not sniff_plan_file(path):
        return {}
    return dict(_account(path).overrides)


def layered_overrides(overrides: dict[str, Any], plan: OnCallPlan) -> dict[str, Any]:
    """The overrides of the plan's layer-based schedules only: for the functions that take
    ``Override`` lists and no ``ShiftOverride`` ones yet."""
    names = {s.name for s in plan.schedules}
    return {name: items for name, items in overrides.items() if name in names}


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def import_summary(path: str, result: Any, *, verbose: bool = False) -> str:
    """``note: main.tf: imported 1 schedule, 1 escalation policy; 5 placeholder users (-v for
    details)``, or with ``verbose`` that line and every note under it; empty when the importer
    took everything as written."""
    if not result.report():
        return ""
    plan = result.plan
    imported = ", ".join(
        [
            _count(len(plan.all_schedules), "schedule"),
            _count(len(plan.escalation_policies), "escalation policy", "escalation policies"),
        ]
    )
    listed = {id(d) for d in (*result.warnings, *result.placeholders)}
    others = sum(1 for d in getattr(result, "notes", ()) if id(d) not in listed)
    notes = ", ".join(
        text
        for n, text in (
            (len(result.warnings), f"{len(result.warnings)} not imported"),
            (len(result.placeholders), _count(len(result.placeholders), "placeholder")),
            (len(result.ignored), f"{len(result.ignored)} ignored"),
            (others, _count(others, "other note")),
        )
        if n
    )
    line = f"note: {path}: imported {imported}; {notes}"
    hint = next((w.hint for w in result.warnings if w.hint), None)
    if hint:
        line = f"{line}; {hint}"
    if verbose:
        return f"{line}\n{result.report()}"
    return f"{line} (-v for details)"


def plan_from_python(path: Path) -> OnCallPlan:
    """The ``plan`` a Python file defines (the file is run: it is the user's own code)."""
    from oncall_planner.model import OnCallPlan

    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    sys.path.insert(0, str(path.resolve().parent))
    try:
        import runpy

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


def load_pages(args: argparse.Namespace) -> Any:
    """The page history of ``--pages`` (read with ``--pages-tz``); what was skipped and any
    warning (a truncated export) go to stderr unless ``--quiet``, so nothing is dropped unseen."""
    from oncall_planner.pagerduty_api.planfile import sniff_plan_file

    if args.pages is None:  # --pages-tz without --pages is refused by check_args
        # a pulled plan carries its page history: it counts unless --pages names another
        source = getattr(args, "input", None)
        if source and sniff_plan_file(source):
            return _pulled_pages(source)
        return ()
    if sniff_plan_file(args.pages):
        return _pulled_pages(args.pages)
    from oncall_planner.ingest.pages import load_pages as read_pages

    history = read_pages(args.pages, args.pages_tz)
    if not args.quiet and (history.skipped or history.warnings):
        say(history.summary())
    return history


def _pulled_pages(path: str) -> Any:
    from oncall_planner.ingest.pages import PageHistory

    return PageHistory(_account(path).pages, source=path)


# ---------------------------------------------------------------------------------------------
# PagerDuty's API: the options of pull, verify and overrides apply
# ---------------------------------------------------------------------------------------------


def add_api(parser: argparse.ArgumentParser, *, replay: bool = True) -> None:
    """``--base-url``, ``--record DIR`` and (where reading is all a command does) ``--replay
    DIR``: where PagerDuty is, and saving or serving its answers. The token is never an
    option: it comes from ``PAGERDUTY_TOKEN`` (or ``PAGERDUTY_USER_TOKEN``)."""
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="PagerDuty's API (default https://api.pagerduty.com, or the EU one when "
        "PAGERDUTY_SERVICE_REGION=eu; http:// only for a stand-in on 127.0.0.1)",
    )
    parser.add_argument(
        "--record",
        metavar="DIR",
        help="save every API response (without the token) into DIR, e.g. for a bug report",
    )
    if replay:
        parser.add_argument(
            "--replay",
            metavar="DIR",
            help="answer from the responses saved with --record instead of calling PagerDuty",
        )


def api_client(args: argparse.Namespace) -> Any:
    """The API client the options and the environment describe (the token from
    ``PAGERDUTY_TOKEN``; none needed with ``--replay``)."""
    from oncall_planner.pagerduty_api.client import PagerDutyClient, Recorder, ReplayTransport

    recorder = Recorder(args.record) if args.record else None
    replay = getattr(args, "replay", None)
    if replay:
        if args.record:
            raise UsageError("--record and --replay: use one of them")
        return PagerDutyClient(
            "replay", "https://api.pagerduty.com", recorder=None, transport=ReplayTransport(replay)
        )
    return PagerDutyClient.from_environment(args.base_url, recorder=recorder)


class PhaseProgress:
    """A :class:`Progress` bar per phase of a pull (``progress(phase, done, total, label)``)."""

    TITLES: ClassVar[dict[str, str]] = {
        "schedules": "Schedules",
        "overrides": "Overrides",
        "incidents": "Incidents",
    }

    def __init__(self) -> None:
        self.bar: Progress | None = None

    def __call__(self, phase: str, done: int, total: int, label: str) -> None:
        if done == 0:
            self.close()
            self.bar = Progress(total if total > 20 else 0, self.TITLES.get(phase, phase))
            self.bar.__enter__()
            return
        if self.bar is not None:
            self.bar.step(label)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__()
            self.bar = None


# ---------------------------------------------------------------------------------------------
# Times, zones and the window
# ---------------------------------------------------------------------------------------------

YEARS = f"use a time in the years {TIMESTAMP_YEARS.start} to {TIMESTAMP_YEARS.stop - 1}"


def parse_instant(text: str, tz: str | None, flag: str) -> dt.datetime:
    """``2025-03-03``, ``2025-03-03T09:00`` (in ``tz``) or with an offset / ``Z``; with ``tz``
    ``None`` (the zone is not known yet) a time without an offset stays naive."""
    try:
        parsed = parse_iso8601(text)
    except ValueError:
        raise UsageError(
            f"{flag}: invalid timestamp {text!r}; use 2025-03-03, 2025-03-03T09:00 or "
            "2025-03-03T09:00:00-05:00"
        ) from None
    if not year_in_range(parsed):
        raise UsageError(f"{flag}: {text!r} is out of range; {YEARS}")
    if parsed.tzinfo is None and tz is not None:
        parsed = parsed.replace(tzinfo=zone(tz))
    if parsed.second or parsed.microsecond:
        raise UsageError(f"{flag}: use whole minutes (PagerDuty drops seconds), got {text!r}")
    return parsed


def zone_arg(name: str | None, plan: OnCallPlan, chosen: Sequence[str] | None = None) -> str:
    """``--tz``, or the zone of the first schedule ``--schedule`` names (``chosen``), or of the
    plan's first schedule (of either kind)."""
    if name is None:
        for wanted in chosen or ():
            for schedule in plan.all_schedules:
                if schedule.name == wanted:
                    return schedule.time_zone
        return plan.all_schedules[0].time_zone if plan.all_schedules else "Etc/UTC"
    try:
        return check_time_zone(name, "--tz")
    except OnCallPlannerError as exc:
        raise UsageError(str(exc)) from None


def window(args: argparse.Namespace, tz: str | None) -> tuple[dt.datetime, dt.datetime]:
    """The window of ``--since``, ``--until`` and ``--days`` (see :func:`add_window`).

    ``tz`` ``None`` checks the options before the plan is read, when the zone that times
    without an offset are in is not known yet: such times stay naive, and ``--until`` is
    compared with ``--since`` only where no zone could change the answer."""
    if args.since is not None:
        since = parse_instant(args.since, tz, "--since")
    else:
        now = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
        since = now.astimezone(zone(tz)) if tz is not None else now
    if args.until is not None and args.days is not None:
        raise UsageError("--until and --days both give the end of the window; use one of them")
    if args.until is not None:
        until = parse_instant(args.until, tz, "--until")
    else:
        days = args.default_days if args.days is None else args.days
        if days <= 0:
            raise UsageError(f"--days must be a positive number of days, got {days}")
        out_of_range = UsageError(f"--days {days} ends the window out of range; {YEARS}")
        try:
            until = since + dt.timedelta(days=days)
        except OverflowError:
            raise out_of_range from None
        if not year_in_range(until):
            raise out_of_range
    if _not_after(until, since):
        raise UsageError(
            f"--until ({until.isoformat()}) must be after --since ({since.isoformat()})"
        )
    return since, until


def _not_after(until: dt.datetime, since: dt.datetime) -> bool:
    """``until <= since``; when only one of them is naive (its zone not known yet), only if
    that holds in every zone: UTC offsets are within a day of each other."""
    if (until.tzinfo is None) == (since.tzinfo is None):
        return until <= since
    utc = dt.timezone.utc
    as_utc = [t.replace(tzinfo=utc) if t.tzinfo is None else t for t in (until, since)]
    return as_utc[1] - as_utc[0] >= dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Arguments are checked before any input is read
# ---------------------------------------------------------------------------------------------


def time_options(parser: argparse.ArgumentParser) -> tuple[tuple[str, str], ...]:
    """``(dest, flag)`` of each option whose metavar is ``TIME``: :func:`check_args` checks
    them all, so a command's own times (``--at``, ``--now``) are checked without more code."""
    return tuple(
        (action.dest, action.option_strings[-1])
        for action in parser._actions
        if action.metavar == "TIME" and action.option_strings
    )


def check_args(args: argparse.Namespace) -> None:
    """Refuse bad shared options before a command reads its input, so an argument error is the
    first and only thing printed: ``--var``, ``--tz``, ``--pages``/``--pages-tz``, every
    ``TIME`` option, the window, ``--var-file`` and ``-o``. ``main`` calls it before the command's ``run``;
    what depends on the plan (a schedule's name, the default zone) is checked after reading it.
    """
    parse_vars(getattr(args, "var", ()))
    for var_file in getattr(args, "var_file", None) or ():
        if not Path(var_file).is_file():  # as --pages: an argument error, not an input one
            raise UsageError(f"--var-file {var_file}: {why_not_a_file(var_file)}")
    tz = getattr(args, "tz", None)
    if tz is not None:
        try:
            check_time_zone(tz, "--tz")
        except OnCallPlannerError as exc:
            raise UsageError(str(exc)) from None
    if hasattr(args, "pages"):
        _check_pages(args)
    for dest, flag in getattr(args, "time_options", ()):
        value = getattr(args, dest)
        if value is not None:
            parse_instant(value, tz, flag)
    if hasattr(args, "days"):
        window(args, tz)
    if hasattr(args, "output"):
        check_writable(args.output, "--output")
    if getattr(args, "record", None):
        check_writable(args.record, "--record", folder=True)
    if getattr(args, "replay", None) and not Path(args.replay).is_dir():
        why = "is a file, not a folder" if Path(args.replay).exists() else "no such folder"
        raise UsageError(f"--replay {args.replay}: {why} (it names what --record wrote)")


def _check_pages(args: argparse.Namespace) -> None:
    if args.pages is None:
        if args.pages_tz is not None:
            raise UsageError("--pages-tz needs --pages")
        return
    if args.pages_tz is not None:
        try:
            check_time_zone(args.pages_tz, "--pages-tz")
        except OnCallPlannerError as exc:
            raise UsageError(str(exc)) from None
    if not Path(args.pages).is_file():
        raise UsageError(f"--pages {args.pages}: {why_not_a_file(args.pages)}")


def why_not_a_file(path: str) -> str:
    """Why ``path``, which is not a regular file, cannot be read as one. A pipe or a device
    would be read for ever: it is refused, in words that say what it is."""
    if Path(path).exists():
        return "not a regular file (a folder, pipe or device)"
    return "no such file"


def check_writable(path: str | None, flag: str, *, folder: bool = False) -> None:
    """Refuse an output path that cannot be written before any work is done: a file where a
    folder must be (on the way to it, or, for ``folder``, the path itself), a folder where the
    file would go, or (for a file) a folder that does not exist: a typo in ``-o`` is an error,
    not a new folder. ``--output-dir`` (``folder``) is made when missing."""
    if path in (None, "-"):
        return
    target = Path(path)
    if target.exists():
        if target.is_dir() != folder:
            raise UsageError(
                f"{flag} {target}: is a file, not a folder"
                if folder
                else f"{flag} {target}: is a folder; name a file in it, such as {target / 'out'}"
            )
        return
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"{flag} {target}: {parent} is a file, not a folder")
            break
    if not folder and not target.parent.is_dir():
        raise UsageError(f"{flag} {target}: the folder {target.parent} does not exist")


# ---------------------------------------------------------------------------------------------
# Looking things up in the plan
# ---------------------------------------------------------------------------------------------


def schedules(plan: OnCallPlan, names: Sequence[str] | None) -> list[Schedule | ShiftSchedule]:
    """The schedules (of either kind) named by ``--schedule`` (all of them without it)."""
    if not names:
        return list(plan.all_schedules)
    out: list[Schedule | ShiftSchedule] = []
    for name in names:
        found = [s for s in plan.all_schedules if s.name == name]
        if not found:
            known = ", ".join(repr(s.name) for s in plan.all_schedules) or "none"
            raise UsageError(f"--schedule: no schedule named {name!r} (schedules: {known})")
        out.extend(found)
    return out


def user(plan: OnCallPlan, who: str) -> User:
    """The user a ``--person`` names, by email or name."""
    for candidate in plan.users:
        if who.lower() in (candidate.email.lower(), candidate.name.lower()):
            return candidate
    known = ", ".join(u.email for u in plan.users) or "none"
    raise UsageError(f"--person: nobody with email or name {who!r} (users: {known})")


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def say(text: str) -> None:
    """One message on standard error, shown through :func:`~oncall_planner.textutil.printable`:
    text from an input (a page id, a file name) never sends a control sequence to the terminal."""
    print(printable(text), file=sys.stderr)


def write(path: Path, text: str, flag: str) -> None:
    """Write ``text`` exactly (line endings included) through the shared atomic writer
    (:func:`oncall_planner.files.write_atomic`): a failed write leaves the old file whole, and
    the folder must exist."""
    from oncall_planner.files import write_atomic

    try:
        write_atomic(path, printable(text))
    except OSError as exc:
        raise UsageError(f"{flag} {path}: {exc.strerror or exc}") from None


def output(args: argparse.Namespace, text: str) -> None:
    """``text`` to ``--output`` (a file, replaced whole; its folder must exist) or to standard
    output."""
    path = getattr(args, "output", None)
    if path in (None, "-"):
        text = printable(text)  # no raw control character reaches the terminal
        buffer = getattr(sys.stdout, "buffer", None)
        try:
            if buffer is None:  # a text-only stream, e.g. under redirect_stdout
                sys.stdout.write(text)
            else:  # bytes as they are: no newline translation, so ICS keeps its CRLF
                sys.stdout.flush()
                buffer.write(text.encode("utf-8"))
                buffer.flush()
        except BrokenPipeError:  # `| head`: the reader has seen enough; main exits quietly
            raise
        except OSError as exc:
            raise stdout_failed(exc) from None
        return
    write(Path(path), text, "--output")
    say(f"wrote {path}")


def json_text(doc: Any) -> str:
    """A JSON document as the commands write it: sorted keys, two-space indent, UTF-8 kept."""
    return json_safe(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)) + "\n"


# ---------------------------------------------------------------------------------------------
# Tables that fit 80 columns
# ---------------------------------------------------------------------------------------------


def when(value: dt.datetime, tz: str) -> str:
    """``Mon 2025-03-03 09:00`` in ``tz``."""
    return value.astimezone(zone(tz)).strftime("%a %Y-%m-%d %H:%M")


def hours(delta: dt.timedelta) -> str:
    """``48h`` or ``1.5h``."""
    value = delta.total_seconds() / 3600
    return f"{value:.0f}h" if value == int(value) else f"{value:.1f}h"


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


def source_text(source: Any) -> str:
    """A shift's source in a few words for a table: ``rotation 2``, ``custom 1``,
    ``override 3, rot 1`` (positions from 1)."""
    if source.kind == "rotation":
        return f"rotation {source.rotation + 1}"
    if source.kind == "custom_shift":
        return f"custom {source.custom_shift + 1}"
    if source.kind == "rotation_override":
        return f"override {source.override + 1}, rot {source.rotation + 1}"
    return f"override {source.override + 1}, custom {source.custom_shift + 1}"


def entries_table(entries: Sequence[Any], tz: str) -> str:
    """Who is on call when, one row per entry, or ``nobody``. Entries of a shift-based schedule
    (they carry a ``source``) add a column saying where each comes from."""
    if not entries:
        return "  nobody"
    sourced = any(getattr(e, "source", None) is not None for e in entries)
    rows = [
        [when(e.start, tz), when(e.end, tz), hours(e.end - e.start), e.user.name]
        + ([source_text(e.source) if e.source is not None else ""] if sourced else [])
        for e in entries
    ]
    return table(rows, ["Start", "End", "Hours", "Who"] + (["From"] if sourced else []))


def kept_names(imported: Any) -> dict[str, dict[str, str]]:
    """The Terraform names an imported plan's objects had, where they can be kept: a root
    module's object without ``count``/``for_each`` (``pagerduty_schedule.primary``) keeps
    ``primary``; an object in a module or with an instance key gets a name of its own. A
    schedule migrated to ``pagerduty_schedulev2`` keeps its name under the new type."""
    keep: dict[str, dict[str, str]] = {"users": {}, "teams": {}, "schedules": {}, "policies": {}}
    kinds = {
        "Schedule": "schedules",
        "ShiftSchedule": "schedules",
        "EscalationPolicy": "policies",
        "User": "users",
        "Team": "teams",
    }
    for key, address in imported.addresses.items():
        kind = kinds.get(key[0])
        if kind is None or (kind != "users" and len(key) != 2):
            continue
        parts = address.split(".")
        if parts[0] == "data":
            parts = parts[1:]
        if len(parts) != 2 or "[" in address or address.startswith("module."):
            continue
        name = key[2].lower() if kind == "users" else key[1]
        keep[kind][name] = parts[1]
    return keep
