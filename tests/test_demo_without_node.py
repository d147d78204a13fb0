"""`make demo` on a machine without Node.js: every other section runs, the CDKTF and CDK Terrain
synths each say in one line how to enable them, and the demo never ends in a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import seed_team

REPO = Path(__file__).resolve().parents[1]


def _no_node_path(tmp_path: Path) -> str:
    """A PATH with a shell and make, but neither node nor npm."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sh", "make", "env"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    assert shutil.which("node", path=str(bin_dir)) is None
    assert shutil.which("npm", path=str(bin_dir)) is None
    return str(bin_dir)


@pytest.fixture(scope="module")
def demo_without_node(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """The demo script run directly from a copy of the repository's examples (so no
    ./node_modules next to them) with no node or npm on PATH."""
    tmp = tmp_path_factory.mktemp("no-node")
    shutil.copytree(
        REPO / "examples", tmp / "examples", ignore=shutil.ignore_patterns("out", "cdktf.out")
    )
    (tmp / "tests" / "data").mkdir(parents=True)
    shutil.copy(REPO / "tests" / "data" / "seed-pagerduty.tf", tmp / "tests" / "data")
    env = {"PATH": _no_node_path(tmp), "HOME": str(tmp), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, str(tmp / "examples" / "seed_team.py")],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_demo_without_node_runs_every_section(
    demo_without_node: subprocess.CompletedProcess[str],
) -> None:
    assert demo_without_node.returncode == 0, demo_without_node.stderr
    assert "Traceback" not in demo_without_node.stdout + demo_without_node.stderr
    for number in range(1, len(seed_team.SECTIONS) + 1):
        assert f"\n {number}. " in "\n" + demo_without_node.stdout
    assert "native JSON: examples/out/checkout.tf.json" in demo_without_node.stdout


def test_the_demo_without_node_says_in_one_line_how_to_enable_each_cdk(
    demo_without_node: subprocess.CompletedProcess[str],
) -> None:
    lines = [line for line in demo_without_node.stdout.splitlines() if "skipped" in line]
    assert [line.split(":")[0].strip() for line in lines] == ["cdktf synth", "cdktn synth"]
    for line in lines:
        assert "install Node.js" in line and "make demo" in line


def test_the_demo_without_node_still_proves_the_migration(
    demo_without_node: subprocess.CompletedProcess[str],
) -> None:
    assert "exact: the same people are on call every minute" in demo_without_node.stdout


def test_make_demo_without_npm_does_not_try_to_install_the_node_tools(tmp_path: Path) -> None:
    env = dict(os.environ, PATH=_no_node_path(tmp_path))
    done = subprocess.run(
        ["make", "-n", "demo"], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "npm" not in done.stdout
    assert "examples/seed_team.py" in done.stdout


def test_a_section_that_fails_is_one_line_and_the_demo_goes_on(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise RuntimeError("the disk is full")

    ran: list[str] = []
    monkeypatch.setattr(
        seed_team,
        "SECTIONS",
        (("Broken", broken), ("Next", lambda: ran.append("next"))),
    )
    assert seed_team.main() == 1
    out = capsys.readouterr().out
    assert "section 1 (Broken) failed: RuntimeError: the disk is full" in out
    assert ran == ["next"] and "Traceback" not in out
