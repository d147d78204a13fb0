"""The docs are tested: every ```python block in README.md and docs/*.md runs as it is, and so
does every `oncall-planner` line of a ```sh block (see "shell examples" below).

Each file's blocks run in order in one namespace (a later block may use what an earlier one
defined), with the repository root as the working directory. A block that raises fails the test of
its file, and the message names the file and the line where the block starts; tracebacks point at
lines of the Markdown file itself.

A ```text block that directly follows a python block (nothing but blank lines between them) is
the output that block prints, and must match it: a line holding only ``...`` stands for any number
of lines, ``...`` inside a line for any text, and trailing spaces do not count.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
import textwrap
import traceback
import types
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC_FILES = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])
PYTHON_FENCES = ("```python", "```py")


def python_blocks(text: str) -> list[tuple[int, str]]:
    """The ```python blocks of a Markdown text as (line number of the first code line, code).

    Fences may be indented (inside a list item); the code is dedented by the fence's indentation.
    """
    blocks: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        stripped = lines[i].lstrip()
        info = stripped[3:].strip() if stripped.startswith("```") else None
        if info is None:
            i += 1
            continue
        indent = len(lines[i]) - len(stripped)
        start = i + 1
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            i += 1
        if info.split(" ")[0] in ("python", "py"):
            body = [line[indent:] if line[:indent].isspace() else line for line in lines[start:i]]
            blocks.append((start + 1, textwrap.dedent("\n".join(body)) + "\n"))
        i += 1
    return blocks


def printed_outputs(text: str) -> dict[int, str]:
    """The ```text blocks that directly follow a ```python block, keyed by that python block's
    first code line (as :func:`python_blocks` numbers it)."""
    lines = text.splitlines()
    outputs: dict[int, str] = {}
    for line, _code in python_blocks(text):
        i = line - 1
        while lines[i].strip() != "```":
            i += 1
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and lines[j].strip() == "```text":
            k = j + 1
            while k < len(lines) and lines[k].strip() != "```":
                k += 1
            outputs[line] = "\n".join(lines[j + 1 : k])
    return outputs


def output_matches(expected: str, printed: str) -> bool:
    """Whether ``printed`` is what ``expected`` shows, ``...`` being a wildcard."""
    pattern = []
    for line in expected.strip("\n").splitlines():
        line = line.rstrip()
        if line.strip() == "...":
            pattern.append(r"(?:.*\n)*?")
        else:
            pattern.append(".*?".join(re.escape(part) for part in line.split("...")) + r"\n")
    text = "".join(line.rstrip() + "\n" for line in printed.strip("\n").splitlines())
    return re.fullmatch("".join(pattern), text) is not None


class DocBlockError(AssertionError):
    """A block of a Markdown file raised."""


def run_blocks(path: Path, text: str, label: str) -> dict[str, object]:
    """Run the python blocks of ``text`` in order in one fresh module namespace; return it.

    Raises DocBlockError naming ``label`` and the block's first line when a block raises, or when
    what it prints does not match the ```text block shown after it.
    """
    outputs = printed_outputs(text)
    module = types.ModuleType(f"_docs_{Path(label).stem.replace('-', '_')}")
    module.__file__ = str(path)
    sys.modules[module.__name__] = module
    try:
        for line, code in python_blocks(text):
            # Pad with newlines so that tracebacks give line numbers of the Markdown file.
            source = "\n" * (line - 1) + code
            printed = io.StringIO()
            try:
                with contextlib.redirect_stdout(printed):
                    exec(compile(source, str(path), "exec"), module.__dict__)
            except Exception as exc:
                detail = "".join(traceback.format_exception(exc)[-12:])
                raise DocBlockError(
                    f"{label}: the python block starting at line {line} raised "
                    f"{type(exc).__name__}: {exc}\n{detail}"
                ) from exc
            if line in outputs and not output_matches(outputs[line], printed.getvalue()):
                raise DocBlockError(
                    f"{label}: the python block starting at line {line} printed something else "
                    f"than the text block after it shows.\n--- shown:\n{outputs[line]}\n"
                    f"--- printed:\n{printed.getvalue()}"
                )
    finally:
        del sys.modules[module.__name__]
    return module.__dict__


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_python_blocks_run(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    text = path.read_text(encoding="utf-8")
    if not python_blocks(text):
        pytest.fail(f"{path.relative_to(REPO)} has no ```python block; is the fence mistyped?")
    run_blocks(path, text, str(path.relative_to(REPO)))


def test_docs_directory_has_the_semantics_page() -> None:
    assert REPO / "docs" / "semantics.md" in DOC_FILES


def test_blocks_of_one_file_share_a_namespace(tmp_path: Path) -> None:
    text = "```python\nx = 2\n```\n\ntext\n\n```python\nassert x == 2\ny = x + 1\n```\n"
    namespace = run_blocks(tmp_path / "a.md", text, "a.md")
    assert namespace["y"] == 3


def test_a_raising_block_fails_naming_file_and_line(tmp_path: Path) -> None:
    text = "# Title\n\n```python\nx = 1\n```\n\n```python\nassert x == 2, 'x is not 2'\n```\n"
    with pytest.raises(DocBlockError, match=r"a\.md: the python block starting at line 8 raised"):
        run_blocks(tmp_path / "a.md", text, "a.md")


def test_traceback_points_at_the_markdown_line(tmp_path: Path) -> None:
    text = "intro\n\n```python\nok = 1\n\nraise RuntimeError('boom')\n```\n"
    with pytest.raises(DocBlockError) as info:
        run_blocks(tmp_path / "a.md", text, "a.md")
    assert f'File "{tmp_path / "a.md"}", line 6' in str(info.value)


def test_text_and_sh_blocks_are_not_run() -> None:
    text = "```text\nnot python\n```\n```sh\nmake test\n```\n```python\npass\n```\n"
    assert python_blocks(text) == [(8, "pass\n")]


def test_indented_fences_are_dedented() -> None:
    text = "- item\n\n    ```python\n    x = 1\n    if x:\n        y = 2\n    ```\n"
    assert python_blocks(text) == [(4, "x = 1\nif x:\n    y = 2\n")]


def test_printed_output_must_match_the_text_block_after_it(tmp_path: Path) -> None:
    text = "```python\nprint('a  ')\nprint('b')\n```\n\n```text\na\nc\n```\n"
    with pytest.raises(DocBlockError, match=r"line 2 printed something else"):
        run_blocks(tmp_path / "a.md", text, "a.md")
    run_blocks(tmp_path / "a.md", text.replace("\nc\n", "\nb\n"), "a.md")


def test_only_a_text_block_right_after_a_python_block_is_its_output() -> None:
    text = "```python\nx = 1\n```\nprose\n```text\nnot output\n```\n```python\npass\n```\n\n```text\nout\n```\n"
    assert printed_outputs(text) == {9: "out"}


def test_ellipsis_stands_for_lines_or_text() -> None:
    assert output_matches("head\n  ...\ntail", "head\none\ntwo\ntail\n")
    assert output_matches("head\n...\ntail", "head\ntail")
    assert output_matches(
        "read from /tmp/.../x.csv, 1 skipped", "read from /tmp/abc/x.csv, 1 skipped"
    )
    assert not output_matches("read from /tmp/.../x.csv", "read from /tmp/a\nb/x.csv")
    assert not output_matches("a\nb", "a\nb\nc")


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file."""
    anchors, in_code = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        elif line.startswith("#") and not in_code:
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_resolve(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        assert linked.is_file(), f"{path.name}: the link {target!r} names no file"
        if anchor:
            assert anchor in _anchors(linked), f"{path.name}: the link {target!r} has no anchor"


def test_nothing_points_outside_the_repository() -> None:
    """A clone has no ``../shared`` folder: docs, examples and code name files inside the repo."""
    files = [REPO / "README.md", REPO / "CHANGELOG.md"]
    for folder in ("docs", "examples", "oncall_planner", "tests", "benchmarks"):
        files += sorted(f for f in (REPO / folder).rglob("*") if f.suffix in (".md", ".py"))
    offenders = [
        str(file.relative_to(REPO))
        for file in files
        if file != Path(__file__).resolve()
        and re.search(r"\.\./shared/|/work/", file.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_ci_example_uploads_the_findings_when_check_fails() -> None:
    """`check` exits 1 on an error finding, and a failed step skips the steps after it unless
    they say otherwise: the upload must run then, when the findings matter most."""
    lines = (REPO / "docs" / "cli.md").read_text(encoding="utf-8").splitlines()
    upload = next(i for i, line in enumerate(lines) if "upload-sarif" in line)
    assert "check" in lines[upload - 1] and "--format sarif" in lines[upload - 1]
    assert "failure()" in lines[upload + 1] or "always()" in lines[upload + 1]


# --- shell examples -----------------------------------------------------------------------------
#
# Every `oncall-planner …` line of a ```sh block in README.md and docs/*.md runs as written from
# the repository root, and exits with the code its comment names (`# exit 1 …`; 0 otherwise).
# Files it writes (-o/--output/--output-dir) go to a temporary folder instead. When a ```text
# block directly follows the ```sh block, it is what the block's commands print (stdout, then
# stderr), with the same wildcards as for Python. A command that cannot run as written here says
# so with a comment holding NOT_RUN and the reason, on its line or the line before it; there are
# few of them.

SHELL_FENCES = ("sh", "bash", "shell")
NOT_RUN = "not run by the tests:"
OUTPUT_FLAGS = ("-o", "--output", "--output-dir")


class ShellCommand:
    """One `oncall-planner` line of a ```sh block."""

    def __init__(self, line: int, text: str, skipped: str | None) -> None:
        self.line = line
        self.text = text
        self.skipped = skipped  # the reason given with NOT_RUN, or None
        code, _, comment = text.partition("#")
        self.argv = shlex.split(code)
        match = re.search(r"\bexit (\d+)", comment)
        self.exit_code = int(match.group(1)) if match else 0


def fenced_blocks(text: str) -> list[tuple[str, int, list[str]]]:
    """Every fenced block as (info word, line number of its first line, its lines)."""
    blocks: list[tuple[str, int, list[str]]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped.startswith("```"):
            i += 1
            continue
        info = stripped[3:].strip().split(" ")[0]
        start = i + 1
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            i += 1
        blocks.append((info, start + 1, lines[start:i]))
        i += 1
    return blocks


def shell_examples(text: str) -> list[tuple[list[ShellCommand], str | None]]:
    """The ```sh blocks that hold `oncall-planner` lines: their commands, and the ```text block
    right after the block (its expected output), if any."""
    blocks = fenced_blocks(text)
    lines = text.splitlines()
    out: list[tuple[list[ShellCommand], str | None]] = []
    for n, (info, first, body) in enumerate(blocks):
        if info not in SHELL_FENCES:
            continue
        commands = []
        body = [line.strip() for line in body]
        for k, line in enumerate(body):
            if not line.startswith("oncall-planner "):
                continue
            marked = (
                line if NOT_RUN in line else body[k - 1] if k and NOT_RUN in body[k - 1] else ""
            )
            reason = marked.partition(NOT_RUN)[2].strip() if marked else None
            commands.append(ShellCommand(first + k, line, reason))
        if not commands:
            continue
        expected = None
        if n + 1 < len(blocks) and blocks[n + 1][0] == "text":
            between = lines[first + len(body) : blocks[n + 1][1] - 2]
            if not any(line.strip() for line in between):
                expected = "\n".join(blocks[n + 1][2])
        out.append((commands, expected))
    return out


def _run_shell_example(
    path: Path, commands: list[ShellCommand], expected: str | None, tmp_path: Path
) -> None:
    cli = Path(sys.executable).parent / "oncall-planner"
    printed = []
    for command in commands:
        if command.skipped is not None:
            continue
        args = list(command.argv[1:])
        for i, arg in enumerate(args[:-1]):
            if arg in OUTPUT_FLAGS:
                args[i + 1] = str(tmp_path / Path(args[i + 1]).name)
        done = subprocess.run(
            [str(cli), *args],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            env=dict(os.environ, COLUMNS="80"),
        )
        where = f"{path.relative_to(REPO)}:{command.line}: {command.text}"
        assert "Traceback" not in done.stderr, f"{where}\n{done.stderr}"
        assert done.returncode == command.exit_code, (
            f"{where}: exit {done.returncode}, the doc implies {command.exit_code}\n"
            f"{done.stdout}{done.stderr}"
        )
        printed.append(done.stdout + done.stderr)
    if expected is not None:
        assert output_matches(expected, "".join(printed)), (
            f"{path.relative_to(REPO)}:{commands[0].line}: the commands printed something else "
            f"than the text block after them shows.\n--- shown:\n{expected}\n--- printed:\n"
            f"{''.join(printed)}"
        )


SHELL_EXAMPLES = [
    pytest.param(path, commands, expected, id=f"{path.relative_to(REPO)}:{commands[0].line}")
    for path in DOC_FILES
    for commands, expected in shell_examples(path.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize(("path", "commands", "expected"), SHELL_EXAMPLES)
def test_shell_examples_run_as_written(
    path: Path, commands: list[ShellCommand], expected: str | None, tmp_path: Path
) -> None:
    _run_shell_example(path, commands, expected, tmp_path)


def test_output_files_of_the_docs_go_to_the_current_folder() -> None:
    """The run above writes every output in a temporary folder, which would hide an example that
    writes into a folder a fresh clone does not have (``-o out/x.html``): ``-o`` refuses a
    missing folder, so a reader copying the line would get an error."""
    outputs = [
        (f"{path.name}:{c.line}", c.argv[i + 1])
        for path, commands, _ in (p.values for p in SHELL_EXAMPLES)
        for c in commands
        for i, arg in enumerate(c.argv[:-1])
        if arg in ("-o", "--output")
    ]
    assert outputs
    assert [(where, out) for where, out in outputs if Path(out).parent != Path(".")] == []


def test_the_docs_have_shell_examples_to_run() -> None:
    runnable = [c for _, commands, _ in (p.values for p in SHELL_EXAMPLES) for c in commands]
    assert len([c for c in runnable if c.skipped is None]) >= 6


def test_commands_not_run_are_few_and_say_why() -> None:
    markers = [
        (path.name, first + k, line.partition(NOT_RUN)[2].strip())
        for path in DOC_FILES
        for _, first, body in fenced_blocks(path.read_text(encoding="utf-8"))
        for k, line in enumerate(body)
        if NOT_RUN in line
    ]
    assert len(markers) <= 3, markers
    assert all(len(reason) >= 20 for _, _, reason in markers), markers


def _is_synopsis(command: str) -> bool:
    """``oncall-planner verify [--since TIME]``: a usage line with placeholders, not a command."""
    return "[" in command or any(re.fullmatch(r"[A-Z][A-Z_]+", w) for w in command.split())


def test_no_command_of_the_docs_hides_in_a_text_block() -> None:
    """A command in another kind of block (a `$ oncall-planner …` transcript, a plain command
    line, a CI `run: oncall-planner …` step) would not be run: commands go in ```sh blocks (their
    output in a ```text block after), and one that cannot run here carries NOT_RUN and its
    reason. Usage lines with placeholders (``INPUT``, ``[--since TIME]``) are not commands."""
    hidden = []
    for path in DOC_FILES:
        for info, first, body in fenced_blocks(path.read_text(encoding="utf-8")):
            if info in SHELL_FENCES:
                continue
            for k, line in enumerate([text_line.strip() for text_line in body]):
                command = re.sub(r"^(\$ |- run: )", "", line)
                if not command.startswith("oncall-planner ") or _is_synopsis(command):
                    continue
                if NOT_RUN not in line and not (k and NOT_RUN in body[k - 1]):
                    hidden.append(f"{path.name}:{first + k}: {line}")
    assert hidden == []


def test_shell_examples_are_found_with_exit_codes_and_markers() -> None:
    text = (
        "```sh\n. .venv/bin/activate\noncall-planner check a.tf  # exit 1 on errors\n"
        f"# {NOT_RUN} needs your own folder of Terraform\noncall-planner render infra/\n```\n\n"
        "```text\nerror ...\n```\n"
    )
    [(commands, expected)] = shell_examples(text)
    assert [(c.argv, c.exit_code, c.skipped) for c in commands] == [
        (["oncall-planner", "check", "a.tf"], 1, None),
        (["oncall-planner", "render", "infra/"], 0, "needs your own folder of Terraform"),
    ]
    assert expected == "error ..."


def test_the_usage_block_of_cli_md_names_every_command_and_verb() -> None:
    """The summary at the top of "The command line" is where a reader looks for what exists: every
    command the parser knows (and every verb of one with verbs) has a line there."""
    import argparse

    from oncall_planner.cli import build_parser

    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    usage = next(
        lines
        for info, _, lines in fenced_blocks(text)
        if info == "text" and any(line.startswith("oncall-planner render ") for line in lines)
    )
    starts = [line.split()[1:3] for line in usage if line.startswith("oncall-planner ")]

    def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                return dict(action.choices)
        return {}

    missing = []
    for name, command in subcommands(build_parser()).items():
        verbs = subcommands(command)
        for verb in verbs or [None]:
            if not any(s[0] == name and (verb is None or s[1:] == [verb]) for s in starts):
                missing.append(f"{name} {verb or ''}".strip())
    assert missing == []
