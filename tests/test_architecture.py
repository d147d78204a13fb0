"""The imports point one way (DESIGN.md §1): the pure core never reaches the edge.

Only module-level imports count for the layers; a method may import an output format lazily as
a convenience (``FairnessReport.to_html()``), which keeps ``import oncall_planner.fairness`` free
of it. That exception is listed below, and no module may import itself back at load time.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "oncall_planner"
BOTTOM = {"errors", "textutil", "timeutil", "model"}
CORE = BOTTOM | {
    "render",
    "render_shift",
    "escalation",
    "pages",
    "checks",
    "fairness",
    "planning",
    "migration",
    "health",
    "slo",
}
EDGE = {"ingest", "emit", "report", "cli", "cdktf", "cdktn", "pagerduty_api", "testing", "files"}
NODE_BINDINGS = {
    "cdktf",
    "cdktn",
    "jsii",
    "constructs",
    "cdktf_cdktf_provider_pagerduty",
    "cdktn_provider_pagerduty",
}
#: The adapter modules, the only ones that load a CDK's bindings, each its own.
ADAPTERS = {
    "cdktf": {"cdktf", "cdktf_cdktf_provider_pagerduty", "constructs"},
    "cdktn": {"cdktn", "cdktn_provider_pagerduty", "constructs"},
}


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
    allowed = ADAPTERS.get(family, set())
    assert not imports & (NODE_BINDINGS - allowed), (
        f"{path.name} imports CDK bindings at load time: {imports & (NODE_BINDINGS - allowed)}"
    )


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
    Only the adapters may need more: ``oncall_planner.cdktf`` the ``cdktf`` extra and
    ``oncall_planner.cdktn`` the ``cdktn`` extra, each named in its error."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["project"]
    runtime = _declared(project["dependencies"])
    extras = project["optional-dependencies"]
    with_extra = {f"{name}.py": runtime | _declared(extras[name]) for name in ("cdktf", "cdktn")}
    provider = importlib.metadata.packages_distributions()
    missing = set()
    for path in _modules():
        top_module = path.parent == PACKAGE
        allowed = with_extra.get(path.name, runtime) if top_module else runtime
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for top in {n.split(".")[0] for n in names}:
                # _typeshed is the standard library's stub-only module (TYPE_CHECKING imports)
                if top in sys.stdlib_module_names or top in ("oncall_planner", "_typeshed"):
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


# --- no import cycles ---------------------------------------------------------------------------
#
# The report package renders what the fairness package produces, never the reverse: report/
# imports fairness.report at module level, and fairness imports report only inside the
# convenience methods FairnessReport.to_text() and friends (docs/architecture.md says why).


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _load_time_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that run when the module is loaded: at module level, in class bodies
    and in ``if``/``try``/``with`` blocks, but not in functions or ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        elif isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
        elif isinstance(node, ast.stmt):
            pending.extend(ast.iter_child_nodes(node))
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module of the package in ``root`` and the package's modules it imports at load
    time. ``from a import b`` counts as importing ``a`` and, when ``a.b`` is a module, ``a.b``."""
    package = root.name
    files = {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in _load_time_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
                continue
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, *([base] if base else [])])
            targets.add(base)
            targets.update(f"{base}.{a.name}" for a in node.names)
        graph[name] = {t for t in targets if t in files and t != name and t.startswith(package)}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(cycles)


def test_no_module_imports_itself_back_at_load_time() -> None:
    assert import_cycles(import_graph(PACKAGE)) == []


def test_the_cycle_finder_sees_a_cycle_through_a_package(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    (root / "fairness").mkdir(parents=True)
    (root / "report").mkdir()
    (root / "__init__.py").write_text("")
    (root / "fairness" / "__init__.py").write_text("from pkg.fairness.report import Report\n")
    (root / "fairness" / "report.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from pkg.report import text\n"
        "if TYPE_CHECKING:\n"
        "    from pkg import fairness\n"
        "class Report:\n"
        "    def to_text(self):\n"
        "        from pkg.fairness import Report\n"
    )
    (root / "report" / "__init__.py").write_text("")
    (root / "report" / "text.py").write_text("from pkg.fairness import Report\n")
    graph = import_graph(root)
    assert graph["pkg.report.text"] == {"pkg.fairness"}
    assert graph["pkg.fairness.report"] == {"pkg.report", "pkg.report.text"}
    assert import_cycles(graph) == [["pkg.fairness", "pkg.fairness.report", "pkg.report.text"]]


def test_the_cycle_finder_resolves_relative_imports(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "sub" / "__init__.py").write_text("from . import a\n")
    (root / "sub" / "a.py").write_text(
        "try:\n    from .b import x\nexcept ImportError:\n    pass\n"
    )
    (root / "sub" / "b.py").write_text("from ..sub import a\n")
    graph = import_graph(root)
    assert graph["pkg.sub"] == {"pkg.sub.a"}
    assert graph["pkg.sub.a"] == {"pkg.sub.b"}
    assert graph["pkg.sub.b"] == {"pkg.sub", "pkg.sub.a"}
    assert import_cycles(graph) == [["pkg.sub", "pkg.sub.a", "pkg.sub.b"]]


def _lazy_edge_imports() -> set[tuple[str, str]]:
    """``(core module, edge module)`` for every import of the edge inside a core function."""
    found = set()
    for path in _modules():
        if _family(path) not in CORE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        load_time = {id(node) for node in _load_time_imports(tree)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and id(node) not in load_time:
                parts = node.module.split(".")
                if parts[0] == "oncall_planner" and len(parts) > 1 and parts[1] in EDGE:
                    found.add((_module_name(path, PACKAGE), node.module))
    return found


def test_the_core_reaches_the_edge_only_through_the_report_conveniences() -> None:
    """The one documented exception to "the core never imports the edge": FairnessReport's and
    HealthReport's to_text/to_markdown/to_html/to_json/to_csv/to_dict delegate to the report
    package."""
    assert _lazy_edge_imports() == {
        ("oncall_planner.fairness.report", "oncall_planner.report.data"),
        ("oncall_planner.fairness.report", "oncall_planner.report.text"),
        ("oncall_planner.fairness.report", "oncall_planner.report.html"),
        ("oncall_planner.health.report", "oncall_planner.report.health"),
        ("oncall_planner.health.report", "oncall_planner.report.health_html"),
    }


def test_the_stand_in_is_one_job_a_module_and_its_imports_point_one_way() -> None:
    """``oncall_planner.testing``: the account and the two reference renderers import only what
    they share (so the v2 and v3 renderers share nothing else), the server imports the renderers,
    and ``pagerduty``, the module the stand-in used to be, only hands names on."""
    graph = import_graph(PACKAGE)
    home = "oncall_planner.testing"
    inside = {
        name.removeprefix(home + "."): {
            t.removeprefix(home + ".") for t in targets if t.startswith(home + ".")
        }
        for name, targets in graph.items()
        if name.startswith(home + ".")
    }
    assert inside == {
        "_common": set(),
        "account": {"_common"},
        "render_v2": {"_common"},
        "render_v3": {"_common"},
        "server": {"_common", "render_v2", "render_v3"},
        "pagerduty": {"_common", "account", "render_v2", "render_v3", "server"},
    }


# The health package: one module per job, each importing only the ones above it in the table of
# docs/architecture.md ("The health package, one module per job").

ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"


def _health_table(text: str) -> list[str]:
    """The modules of the health package's table, top to bottom."""
    section = text.split("**The health package, one module per job.**", 1)[1]
    rows = []
    for line in section.splitlines()[1:]:
        if rows and not line.startswith("|"):
            break
        if m := re.match(r"\| `(\w+)` \|", line):
            rows.append(m.group(1))
    return rows


def _upward_imports(order: list[str], graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """``(module, module it imports)`` for every import of a module at or below it in ``order``."""
    prefix = "oncall_planner.health."
    found = []
    for i, name in enumerate(order):
        for target in sorted(graph.get(prefix + name, ())):
            if target.startswith(prefix) and target.removeprefix(prefix) in order[i:]:
                found.append((name, target.removeprefix(prefix)))
    return found


def test_the_health_table_lists_every_module_of_the_package() -> None:
    listed = _health_table(ARCHITECTURE.read_text(encoding="utf-8"))
    present = sorted(p.stem for p in (PACKAGE / "health").glob("*.py") if p.stem != "__init__")
    assert sorted(listed) == present


def test_each_health_module_imports_only_those_above_it_in_the_table() -> None:
    order = _health_table(ARCHITECTURE.read_text(encoding="utf-8"))
    assert _upward_imports(order, import_graph(PACKAGE)) == []


def test_the_health_layering_test_sees_an_import_from_below() -> None:
    graph = {"oncall_planner.health.hours": {"oncall_planner.health.report"}}
    assert _upward_imports(["hours", "report"], graph) == [("hours", "report")]
