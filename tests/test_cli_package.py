"""The command line's shape: one module per command, shared options in one place.

docs/architecture.md ("Adding a command") describes the interface these tests hold every
command module to.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
from pathlib import Path

import pytest

from oncall_planner import cli
from oncall_planner.cli import COMMANDS, build_parser

PACKAGE = Path(cli.__file__).resolve().parent
SHARED = {"__init__", "__main__", "_common"}
#: What a command module may import at module level: the standard library, ``cli._common``,
#: and the two light modules at the bottom of the library. Everything else (the importer,
#: render, checks, fairness, reports, hypothesis) is imported inside ``run``.
ALLOWED_OURS = {"oncall_planner.cli._common", "oncall_planner.errors", "oncall_planner.timeutil"}


def _command_files() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in SHARED)


def test_every_command_module_is_listed_once_and_every_listed_one_exists() -> None:
    assert sorted(COMMANDS) == _command_files()
    assert len(set(COMMANDS)) == len(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_module_has_register_and_run(name: str) -> None:
    module = importlib.import_module(f"oncall_planner.cli.{name}")
    assert list(inspect.signature(module.register).parameters) == ["sub"]
    assert list(inspect.signature(module.run).parameters) == ["args"]


def test_the_parser_offers_the_commands_in_the_listed_order() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert tuple(sub.choices) == COMMANDS
    for name, command_parser in sub.choices.items():
        run = command_parser.get_default("func")
        assert run is importlib.import_module(f"oncall_planner.cli.{name}").run


def _module_level_imports(path: Path) -> set[str]:
    """Modules imported when ``path`` is loaded (``if TYPE_CHECKING:`` blocks left out)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_module_loads_nothing_heavy_at_import(name: str) -> None:
    ours = {
        m for m in _module_level_imports(PACKAGE / f"{name}.py") if m.startswith("oncall_planner")
    }
    assert ours <= ALLOWED_OURS, f"import these inside run(): {sorted(ours - ALLOWED_OURS)}"


def test_the_import_check_sees_a_heavy_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from typing import TYPE_CHECKING\n"
        "from oncall_planner.render import render\n"
        "if TYPE_CHECKING:\n"
        "    from oncall_planner.model import User\n",
        encoding="utf-8",
    )
    assert _module_level_imports(bad) == {"typing", "oncall_planner.render"}


def test_the_shared_options_are_defined_only_in_common() -> None:
    """``--var``, ``--tz``, ``-q``, the window and ``-o`` have one definition each."""
    for name in COMMANDS:
        source = (PACKAGE / f"{name}.py").read_text(encoding="utf-8")
        for flag in ('"--var"', '"--tz"', '"--quiet"', '"--days"', '"--output"'):
            assert flag not in source, f"{name}.py defines {flag}: use the helpers in _common"
