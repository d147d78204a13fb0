"""Find and read the files of a Terraform module, never outside the folder the user named.

Every path is resolved to its real path first. A module's files are read only when their real
path is inside that module's own folder (a symbolic link to ``/proc/self/environ`` or
``../.env`` is not read, and the import says so); a module ``source`` is followed only inside the
root: the folder the user named (a file's own folder), or a wider one given explicitly as
``root=`` / ``--root``. Files are decoded as UTF-8 and parsed
with :mod:`.hcl` or :mod:`.jsonsyntax`; a file that does not parse is an error when it mentions
PagerDuty and a warning otherwise (nothing in it could change who is on call). Messages quote
at most a short, escaped excerpt of the offending line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from oncall_planner.errors import InputReadError
from oncall_planner.ingest.terraform.hcl import HclSyntaxError, parse_attributes, parse_file
from oncall_planner.ingest.terraform.jsonsyntax import terraform_blocks, tfvars_attributes
from oncall_planner.ingest.terraform.syntax import Attribute, Block, Source

#: The largest file read (bytes): far above any real configuration, well below trouble.
MAX_FILE_BYTES = 50_000_000

Warn = Callable[[str, str, str], None]  # (code, where, message)


def inside(path: Path, root: Path) -> bool:
    """Whether the real path of ``path`` is ``root`` or below it (``root`` already real)."""
    try:
        real = Path(os.path.realpath(path))
    except (OSError, ValueError):
        return False
    return real == root or root in real.parents


def read_text(path: Path, root: Path, shown: str) -> str:
    """The UTF-8 text of ``path``; refuses a path whose real path leaves ``root``."""
    if not inside(path, root):
        raise InputReadError(
            f"{shown}: leads outside the folder {root} (a symbolic link?); not read"
        )
    try:
        with open(os.path.realpath(path), "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputReadError(f"{shown}: cannot read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputReadError(f"{shown}: larger than {MAX_FILE_BYTES:,} bytes; not read")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputReadError(f"{shown}: not a UTF-8 text file (byte {exc.start})") from None


def parse_source(src: Source) -> list[Block]:
    """The blocks of one Terraform file (HCL, or JSON syntax for ``.json``)."""
    if src.name.endswith(".json"):
        return terraform_blocks(src)
    try:
        return parse_file(src)
    except HclSyntaxError as exc:
        raise InputReadError(exc.describe()) from None


def _mentions_pagerduty(text: str) -> bool:
    return "pagerduty" in text.lower()


def module_files(folder: Path, root: Path, warn: Warn) -> list[Path]:
    """A module folder's ``*.tf`` and ``*.tf.json`` files, sorted by name, with those that lead
    outside the folder itself left out (and reported): a symbolic link may point at another
    file of the same folder, never elsewhere."""
    own = Path(os.path.realpath(folder))
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise InputReadError(f"{folder}: cannot list the folder: {exc.strerror or exc}") from None
    out: list[Path] = []
    for entry in entries:
        if not entry.name.endswith((".tf", ".tf.json")) or entry.name.startswith("."):
            continue
        if not inside(entry, own):
            warn(
                "OCP604",
                str(entry),
                "not read: it is a symbolic link that leads outside the folder the import "
                "was given",
            )
            continue
        if entry.is_file():
            out.append(entry)
    return out


def read_module(folder: Path, root: Path, warn: Warn) -> tuple[list[Block], list[str]]:
    """The blocks of every file of a module folder, and the names of the files read."""
    blocks: list[Block] = []
    names: list[str] = []
    own = Path(os.path.realpath(folder))
    for path in module_files(folder, root, warn):
        blocks.extend(read_one(path, own, warn))
        names.append(str(path))
    return blocks, names


def read_one(path: Path, root: Path, warn: Warn) -> list[Block]:
    text = read_text(path, root, str(path))
    src = Source(str(path), text)
    try:
        return parse_source(src)
    except InputReadError as exc:
        if _mentions_pagerduty(text):
            raise
        warn(
            "OCP604",
            str(path),
            f"not read: it is not valid Terraform ({_first(exc)}), and it declares nothing "
            "PagerDuty",
        )
        return []


def _first(exc: Exception) -> str:
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text


def default_root(folder: Path) -> Path:
    """The folder module sources may lead into when none is given: the folder the user named
    (for a file, its folder). Nothing above it is read unless ``root=`` / ``--root`` widens it."""
    return Path(os.path.realpath(folder))


def suggested_root(root: Path, target: Path) -> str:
    """The folder to give as ``--root`` so that ``target`` (a module folder outside ``root``) is
    inside it: the lowest folder holding both, relative to the working folder when it is below
    it, else absolute."""
    common = Path(os.path.commonpath([root, os.path.realpath(target)]))
    try:
        relative = os.path.relpath(common, os.path.realpath(os.getcwd()))
    except ValueError:
        return str(common)
    return relative if not relative.startswith(os.pardir) else str(common)


def tfvars_files(folder: Path) -> list[Path]:
    """The variable files Terraform loads by itself, in its order: ``terraform.tfvars``,
    ``terraform.tfvars.json``, then ``*.auto.tfvars(.json)`` by name; later files win."""
    fixed = [folder / "terraform.tfvars", folder / "terraform.tfvars.json"]
    auto = sorted(
        (p for p in folder.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))),
        key=lambda p: p.name,
    )
    return [p for p in [*fixed, *auto] if p.is_file() or p.is_symlink()]


def read_tfvars(path: Path, root: Path) -> dict[str, Attribute]:
    """The assignments of a variable definitions file (HCL, or JSON for ``.json``)."""
    text = read_text(path, root, str(path))
    src = Source(str(path), text)
    if path.name.endswith(".json"):
        return tfvars_attributes(src)
    try:
        return parse_attributes(src)
    except HclSyntaxError as exc:
        raise InputReadError(exc.describe()) from None
