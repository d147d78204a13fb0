"""The imports point one way (DESIGN.md §1): the pure core never reaches the edge.

Only module-level imports count: a method may import an output format lazily as a convenience
(``FairnessReport.to_html()``), which keeps ``import oncall_planner.fairness`` free of it.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "oncall_planner"
BOTTOM = {"errors", "timeutil", "model"}
CORE = BOTTOM | {"render", "render_shift", "escalation", "pages", "checks", "fairness", "planning"}
EDGE = {"ingest", "emit", "report", "cli", "cdktf"}
NODE_BINDINGS = {"cdktf", "jsii", "constructs", "cdktf_cdktf_provider_pagerduty"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _top_level_imports(path: Path) -> set[str]:
    """Names imported at module level: ``oncall_planner.X`` as ``X``, others by first part."""
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            found.add(parts[1] if parts[0] == "oncall_planner" and len(parts) > 1 else parts[0])
    return found


def _family(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_one_way(path: Path) -> None:
    family = _family(path)
    imports = _top_level_imports(path) - {family}
    if family in BOTTOM:
        assert not imports & (CORE - BOTTOM | EDGE), f"{family} must import only {BOTTOM}"
    if family == "render":
        assert not imports & (CORE - BOTTOM | EDGE)
    if family == "render_shift":
        assert not imports & (CORE - BOTTOM - {"render"} | EDGE)
    if family in CORE:
        assert not imports & EDGE, f"the core module {path.name} imports the edge: {imports & EDGE}"
    if family != "cdktf":
        assert not imports & NODE_BINDINGS, f"{path.name} imports the CDKTF bindings at load time"


def test_the_layering_test_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from oncall_planner.report.text import to_text\nimport jsii\n")
    assert _top_level_imports(bad) == {"report", "jsii"}


def _declared(requirements: list[str]) -> set[str]:
    """Distribution names of PEP 508 requirement strings, normalised."""
    return {
        re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements
    }


def test_every_third_party_import_is_a_declared_dependency() -> None:
    """`pip install oncall-planner` must bring what the library imports, at any depth: a user
    without the dev extra ran `oncall-planner audit` into a traceback for want of hypothesis.
    Only ``oncall_planner.cdktf`` may need more (the ``cdktf`` extra, named in its error)."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["project"]
    runtime = _declared(project["dependencies"])
    with_cdktf = runtime | _declared(project["optional-dependencies"]["cdktf"])
    provider = importlib.metadata.packages_distributions()
    missing = set()
    for path in _modules():
        allowed = with_cdktf if path.name == "cdktf.py" else runtime
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for top in {n.split(".")[0] for n in names}:
                if top in sys.stdlib_module_names or top == "oncall_planner":
                    continue
                dists = {d.lower().replace("_", "-") for d in provider.get(top, [top])}
                if not dists & allowed:
                    missing.add(f"{path.relative_to(PACKAGE.parent)}: {top}")
    assert sorted(missing) == []


def test_the_build_metadata_raises_no_deprecation() -> None:
    """setuptools warns at length on every install (``make demo`` on a fresh clone printed 40
    lines) about a ``license`` table and license classifiers, and will refuse them from 2027."""
    tomllib = pytest.importorskip("tomllib")
    meta = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())
    assert isinstance(meta["project"]["license"], str)  # an SPDX expression
    assert not [c for c in meta["project"]["classifiers"] if c.startswith("License ::")]
    assert "setuptools>=77" in meta["build-system"]["requires"]  # the first to read SPDX
