"""The docs are tested: every ```python block in README.md and docs/*.md runs as it is.

Each file's blocks run in order in one namespace (a later block may use what an earlier one
defined), with the repository root as the working directory. A block that raises fails the test of
its file, and the message names the file and the line where the block starts; tracebacks point at
lines of the Markdown file itself.
"""

from __future__ import annotations

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


class DocBlockError(AssertionError):
    """A block of a Markdown file raised."""


def run_blocks(path: Path, text: str, label: str) -> dict[str, object]:
    """Run the python blocks of ``text`` in order in one fresh module namespace; return it.

    Raises DocBlockError naming ``label`` and the block's first line when a block raises.
    """
    module = types.ModuleType(f"_docs_{Path(label).stem.replace('-', '_')}")
    module.__file__ = str(path)
    sys.modules[module.__name__] = module
    try:
        for line, code in python_blocks(text):
            # Pad with newlines so that tracebacks give line numbers of the Markdown file.
            source = "\n" * (line - 1) + code
            try:
                exec(compile(source, str(path), "exec"), module.__dict__)
            except Exception as exc:
                detail = "".join(traceback.format_exception(exc)[-12:])
                raise DocBlockError(
                    f"{label}: the python block starting at line {line} raised "
                    f"{type(exc).__name__}: {exc}\n{detail}"
                ) from exc
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
