"""The package's public names: imported on first use, the same objects as before, fast to load.

``oncall_planner/__init__.py`` imports nothing when it is loaded; each name in ``__all__`` comes
from the module ``_EXPORTS`` names the first time it is read. Type checkers read the imports under
``TYPE_CHECKING`` instead, so the two lists must agree.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import oncall_planner

INIT = Path(oncall_planner.__file__)


def _type_checking_imports() -> dict[str, str]:
    """Name -> module of the imports under ``if TYPE_CHECKING:`` in the package's __init__."""
    found: dict[str, str] = {}
    for node in ast.parse(INIT.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for item in node.body:
                if isinstance(item, ast.ImportFrom) and item.module:
                    found.update({alias.name: item.module for alias in item.names})
    return found


def test_what_type_checkers_read_is_what_the_package_imports() -> None:
    assert _type_checking_imports() == oncall_planner._EXPORTS


def test_every_public_name_is_exported_from_its_module() -> None:
    assert set(oncall_planner.__all__) == {*oncall_planner._EXPORTS, "__version__"}


@pytest.mark.parametrize("name", sorted(oncall_planner._EXPORTS))
def test_a_public_name_is_the_object_its_module_defines(name: str) -> None:
    module = importlib.import_module(oncall_planner._EXPORTS[name])
    assert getattr(oncall_planner, name) is getattr(module, name)


def test_render_stays_the_function_when_its_module_is_imported() -> None:
    importlib.import_module("oncall_planner.render")
    import oncall_planner.render  # binds the submodule's name in the package

    assert callable(oncall_planner.render)
    assert oncall_planner.render is importlib.import_module("oncall_planner.render").render


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        oncall_planner.nope  # noqa: B018


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


HEAVY = {
    "attrs",
    "dateutil",
    "hypothesis",
    "zoneinfo",
    "oncall_planner.model",
    "oncall_planner.render",
}


def test_importing_the_package_loads_none_of_the_library() -> None:
    loaded = _modules_after("import oncall_planner")
    assert {m for m in loaded if m.startswith("oncall_planner.")} == set()
    assert not HEAVY & loaded


def test_the_command_line_help_loads_none_of_the_library() -> None:
    loaded = _modules_after("from oncall_planner.cli import build_parser\nbuild_parser()")
    ours = {m for m in loaded if m.startswith("oncall_planner.") and ".cli" not in m}
    # the small helpers every command uses (errors, text escaping, time parsing): the standard
    # library's re and datetime, nothing of the model or the renderer
    assert ours <= {"oncall_planner.errors", "oncall_planner.textutil", "oncall_planner.timeutil"}
    assert not HEAVY & loaded
