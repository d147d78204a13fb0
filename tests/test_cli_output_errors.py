"""A failed write to standard output (a full disk, /dev/full) is one line on stderr and a
non-zero exit code, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SEED = str(Path(__file__).parent / "data" / "seed-pagerduty.tf")
FULL = Path("/dev/full")


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "argv",
    [
        ["render", SEED, "-q", "--since", "2025-03-03"],
        ["render", SEED, "-q", "--since", "2025-03-03", "--format", "json"],
        ["ics", SEED, "-q", "--since", "2025-03-03"],
        ["check", SEED, "-q", "--since", "2025-03-03", "--format", "sarif"],
    ],
    ids=["render text", "render json", "ics", "check sarif"],
)
def test_a_full_standard_output_is_one_line_and_exit_2(argv: list[str]) -> None:
    with FULL.open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "oncall_planner.cli", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.endswith("error: cannot write to standard output: No space left on device\n")
    assert done.stderr.count("\n") == 1


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["render", "--help"]])
def test_help_that_cannot_be_written_is_an_error_not_success(argv: list[str]) -> None:
    # argparse ignores a failed write of its own messages; a script piping --help somewhere
    # full must not be told all went well with nothing written.
    with FULL.open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "oncall_planner.cli", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 2
    assert (
        done.stderr
        == "oncall-planner: error: cannot write to standard output: No space left on device\n"
    )


def test_help_into_a_closed_pipe_is_quiet_success() -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "oncall_planner.cli", "render", "--help"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # the reader went away before the help was written
    error = reader.stderr.read()
    assert reader.wait(timeout=120) == 0
    assert error == ""
