"""Mutation fuzzing of the Terraform importer, through its public API only (``import_terraform``)
and the command line: every mutant of the corpus (HCL, ``.tf.json``, ``.tfvars``) either imports
or raises the documented error (exit code 2 from the command line, one line), never another
exception, within the watchdog's bound."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fuzzkit import DATA, SCALE, SEED, Crashes, mutants

from oncall_planner import OnCallPlannerError, import_terraform
from oncall_planner.cli import main

SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")


def _seed_files() -> list[Path]:
    """Every Terraform file of the test data, but the generated CDKTF output trees."""
    found = [
        p
        for p in sorted(DATA.rglob("*"))
        if p.is_file() and p.name.endswith(SUFFIXES) and "cdktf.out" not in p.parts
    ]
    return found


SEEDS = _seed_files()


def _case_folder(tmp: Path, source: Path, data: bytes) -> Path:
    """A copy of ``source``'s folder (and the modules below it) with ``source`` replaced."""
    folder = tmp / "case"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source.parent, folder, ignore=shutil.ignore_patterns("*.md", "expected*"))
    (folder / source.name).write_bytes(data)
    return folder


def test_the_corpus_is_there() -> None:
    assert len(SEEDS) > 50


@pytest.mark.parametrize("part", range(4))
def test_mutated_terraform_imports_or_is_refused(tmp_path: Path, part: int) -> None:
    seeds = SEEDS[part::4]
    texts = [p.read_bytes() for p in seeds]
    crashes = Crashes((OnCallPlannerError,))
    for index, case, data in mutants(texts, 2 * SCALE, SEED + part):
        folder = _case_folder(tmp_path, seeds[index], data)
        name = seeds[index].relative_to(DATA)
        crashes.run(
            f"{name} case {case} (seed {SEED + part})",
            lambda folder=folder: import_terraform(folder),
        )
    assert not crashes.found, crashes.report()


@pytest.mark.parametrize("part", range(2))
def test_the_command_line_exits_0_1_or_2_on_mutated_terraform(
    tmp_path: Path, part: int, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = SEEDS[part::8]
    texts = [p.read_bytes() for p in seeds]
    crashes = Crashes(())
    for index, case, data in mutants(texts, SCALE, SEED + 10 + part):
        folder = _case_folder(tmp_path, seeds[index], data)
        argv = ["check", str(folder), "-q", "--since", "2025-03-03", "--days", "7"]
        code = crashes.run(
            f"{seeds[index].relative_to(DATA)} case {case}", lambda argv=argv: main(argv)
        )
        err = capsys.readouterr().err
        if code is not None:
            assert code in (0, 1, 2), (seeds[index], case, code)
            if code == 2:
                assert err.count("\n") == 1 and "error: " in err, err[:300]
    assert not crashes.found, crashes.report()
