"""The ``oncall-planner`` command line: render, check, report, health, audit, escalation, emit,
migrate, ics, diff, slo and forecast, and PagerDuty's API (pull, verify, overrides).

Every command reads a plan from a Terraform file or directory (read, never executed), or from a
Python file that defines an :class:`~oncall_planner.OnCallPlan` named ``plan`` (that file *is*
executed: it is your own code). Exit codes follow linters such as ruff: 0 when all is well,
1 when ``check`` finds errors (or ``diff --exit-code`` finds changes), 2 for bad usage or input
that cannot be read. Errors are one line on stderr, never a traceback.

Each command is a module of this package with two functions, ``register(sub)`` (adds its
parser) and ``run(args) -> int`` (the exit code); :data:`COMMANDS` lists them in the order
``--help`` shows them. docs/architecture.md ("Adding a command") says how to add one.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from oncall_planner.cli._common import (
    PROG,
    YEARS,
    Progress,
    UsageError,
    check_args,
    say,
    stdout_failed,
    time_options,
)
from oncall_planner.errors import OnCallPlannerError

#: The command modules (``oncall_planner.cli.<name>``), in the order ``--help`` lists them.
COMMANDS = (
    "render",
    "check",
    "report",
    "health",
    "audit",
    "escalation",
    "emit",
    "migrate",
    "ics",
    "diff",
    "pull",
    "verify",
    "overrides",
    "slo",
    "forecast",
)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, except that a failed write of ``--help``, ``--version`` or a usage
    message is raised (argparse ignores it, so ``--help > /dev/full`` would exit 0 with nothing
    written). Sub-command parsers are made of the same class."""

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            (file if file is not None else sys.stderr).write(message)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """A command's parser refuses what it does not know itself: argparse would hand it up
        to the top parser, whose usage (``oncall-planner [-h] [--version] COMMAND``) reads as if
        the command were wrong rather than the option."""
        parsed, extras = super().parse_known_args(args, namespace)
        if extras and self._subparsers is None:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command in :data:`COMMANDS`."""
    from oncall_planner import __version__
    from oncall_planner.cli._common import EPILOG

    parser = _Parser(
        prog=PROG,
        description="Know who will be on call, when, before you terraform apply.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"{__name__}.{name}")
        command_parser = module.register(sub)
        command_parser.set_defaults(func=module.run, time_options=time_options(command_parser))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)  # usage errors exit with code 2 here
    except BrokenPipeError as exc:  # `oncall-planner --help | head -1`: the reader is content
        stdout_failed(exc)
        return 0
    except OSError as exc:  # --help or --version could not be written
        say(f"{PROG}: error: {stdout_failed(exc)}")
        return 2
    # Errors name the command as its usage line does: ``oncall-planner slo rules: error: ...``
    # like argparse's own for that command, not ``oncall-planner slo``.
    name = " ".join(filter(None, (PROG, args.command, getattr(args, "verb", None))))
    try:
        check_args(args)  # argument errors come first, before any input is read
        return int(args.func(args))
    except (UsageError, OnCallPlannerError) as exc:
        say(f"{name}: error: {exc}")
        return 2
    except RecursionError:  # a safety net: every reader refuses deep nesting on its own
        say(f"{name}: error: the input is nested too deeply to read")
        return 2
    except OverflowError:  # a date beyond what datetime holds, however the input reached it
        say(f"{name}: error: a date is out of range; {YEARS}")
        return 2
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def run() -> None:
    """Console-script entry point. Standard output is flushed here, so that a write that fails
    only then is one line and exit code 2 like any other (argparse's own ``--help`` ignores
    write errors)."""
    try:
        code = main()
    except SystemExit as done:  # --help, --version and argument errors exit from argparse
        code = done.code if isinstance(done.code, int) else 2
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        stdout_failed(BrokenPipeError())
    except OSError as exc:
        say(f"{PROG}: error: {stdout_failed(exc)}")
        code = 2
    sys.exit(code)


__all__ = ["COMMANDS", "Progress", "UsageError", "build_parser", "main", "run"]
