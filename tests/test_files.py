"""Writing files: a failed write never leaves a truncated file where a good one was (a temporary
file in the same folder, renamed over the target), permissions are those of the file replaced
(or of a new file). `-o` into a folder that does not exist is an error: tests/test_cli.py."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from oncall_planner.cli import main

SEED = str(Path(__file__).parent / "data" / "seed-pagerduty.tf")
WINDOW = ["--since", "2025-03-03", "--days", "21"]

# Runs with the size of any file written capped at 2,000 bytes, as a full disk would stop it.
CAPPED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))
"""


def capped(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CAPPED + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


GOOD = '{"good": "the file from the last run"}\n'


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_failed_write_leaves_the_old_terraform_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "pagerduty.tf.json"
    target.write_text(GOOD, encoding="utf-8")
    done = capped(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parents[1] / "examples")!r})
        from seed_plan import build_plan
        from oncall_planner import write_terraform_json
        try:
            write_terraform_json(build_plan(), {str(target)!r})
        except OSError as exc:
            print("failed:", exc.strerror)
        """
    )
    assert "failed: File too large" in done.stdout, done.stderr
    assert target.read_text(encoding="utf-8") == GOOD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pagerduty.tf.json"]  # no leftovers


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_failed_output_leaves_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "calendar.ics"
    target.write_text(GOOD, encoding="utf-8")
    done = capped(
        f"""
        from oncall_planner.cli import main
        sys.exit(main(["ics", {SEED!r}, "-q", "--since", "2025-03-03", "--days", "120", "-o", {str(target)!r}]))
        """
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "File too large" in done.stderr
    assert target.read_text(encoding="utf-8") == GOOD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calendar.ics"]


def test_a_new_file_gets_the_usual_permissions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    assert main(["render", SEED, *WINDOW, "-q", "--format", "json", "-o", str(target)]) == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_a_replaced_file_keeps_its_permissions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    assert main(["render", SEED, *WINDOW, "-q", "--format", "json", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("{")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_output_through_a_symlink_writes_the_file_it_points_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.json"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert main(["render", SEED, *WINDOW, "-q", "--format", "json", "-o", str(link)]) == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("{")


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_output_to_a_device_is_written_in_place(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", SEED, *WINDOW, "-q", "-o", "/dev/null"]) == 0
    assert stat.S_ISCHR(
        os.stat("/dev/null").st_mode
    )  # still the device, not a file renamed over it
