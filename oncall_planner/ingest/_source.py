"""Reading Terraform files into one neutral shape: blocks with attributes and nested blocks.

HCL (``.tf``) is parsed with python-hcl2, walking its rule tree so that every block and attribute
keeps its line number. JSON (``.tf.json``, including CDKTF's ``cdk.tf.json``) keeps a path such as
``resource.pagerduty_schedule.x.layer[0]`` instead, plus the line where the parser could tell.
Nothing here evaluates anything: values become :mod:`._expr` expressions.
"""

from __future__ import annotations

import json
import json.scanner
from pathlib import Path
from typing import Any

import attrs

from oncall_planner.errors import InputReadError
from oncall_planner.ingest._expr import Expr, ListExpr, Literal, ObjectExpr, from_hcl, from_json


@attrs.frozen
class Location:
    """Where something is written: a file, a line when known, and a path inside the file."""

    file: str
    line: int | None = None
    path: str = ""

    #: JSON has no attribute lines: ``line`` is where the enclosing object starts, and the
    #: path (e.g. ``resource.pagerduty_schedule.x.layer[0].start``) names the value itself.
    json: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where} ({self.path})" if self.path and (self.json or self.line is None) else where


@attrs.frozen
class Attribute:
    name: str
    expr: Expr
    location: Location


@attrs.define
class Block:
    """``kind "label" "label" { attributes; blocks }``."""

    kind: str
    labels: tuple[str, ...]
    location: Location
    attributes: dict[str, Attribute] = attrs.Factory(dict)
    blocks: list[Block] = attrs.Factory(list)

    def nested(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]


# ---------------------------------------------------------------------------------------------
# HCL
# ---------------------------------------------------------------------------------------------


def _hcl_options() -> Any:
    from hcl2.utils import SerializationOptions

    return SerializationOptions(
        with_comments=False,
        explicit_blocks=False,
        preserve_heredocs=True,
        preserve_scientific_notation=False,
    )


def _label(rule: Any, options: Any) -> str:
    text = str(rule.serialize(options))
    return text[1:-1] if len(text) >= 2 and text.startswith('"') and text.endswith('"') else text


def _line(rule: Any) -> int | None:
    meta = getattr(rule, "_meta", None)
    line = getattr(meta, "line", None)
    return line if isinstance(line, int) else None


def _hcl_block(rule: Any, file: str, options: Any, parent_path: str) -> Block:
    from hcl2.rules.base import AttributeRule, BlockRule

    labels = [_label(label, options) for label in rule.labels]
    kind, rest = labels[0], tuple(labels[1:])
    path = ".".join([parent_path, kind, *rest] if parent_path else [kind, *rest])
    block = Block(kind, rest, Location(file, _line(rule), path))
    for child in rule.body.children:
        if isinstance(child, AttributeRule):
            name = _label(child.identifier, options)
            where = Location(file, _line(child), f"{path}.{name}")
            if name in block.attributes:
                raise InputReadError(f"{where}: attribute {name!r} is set twice in {path}")
            value = child.expression.serialize(options)
            block.attributes[name] = Attribute(name, from_hcl(value), where)
        elif isinstance(child, BlockRule):
            block.blocks.append(_hcl_block(child, file, options, path))
    return block


def _parse_hcl(text: str, file: str, *, quote_line: bool) -> Any:
    """python-hcl2's rule tree of ``text``; a syntax error raises InputReadError with its line and
    column (and, with ``quote_line``, the start of the line itself)."""
    import hcl2
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        return hcl2.parses(text, discard_comments=True)
    except UnexpectedInput as exc:
        line = getattr(exc, "line", None)
        column = getattr(exc, "column", None)
        where = f"{file}:{line}:{column}" if isinstance(line, int) and line > 0 else file
        snippet = ""
        if quote_line and isinstance(line, int) and 0 < line <= len(text.splitlines()):
            snippet = f": {text.splitlines()[line - 1].strip()[:60]!r}"
        raise InputReadError(f"{where}: HCL syntax error{snippet}") from None
    except (LarkError, RecursionError, ValueError, TypeError, RuntimeError, AttributeError) as exc:
        raise InputReadError(f"{file}: HCL syntax error: {_first_line(exc)}") from None


def read_hcl(text: str, file: str) -> list[Block]:
    """The top-level blocks of an HCL file; a syntax error raises InputReadError with its line."""
    from hcl2.rules.base import AttributeRule, BlockRule
    from lark.exceptions import LarkError

    tree = _parse_hcl(text, file, quote_line=True)
    options = _hcl_options()
    blocks = []
    try:
        for child in tree.body.children:
            if isinstance(child, BlockRule):
                blocks.append(_hcl_block(child, file, options, ""))
            elif isinstance(child, AttributeRule):
                name = _label(child.identifier, options)
                raise InputReadError(
                    f"{file}:{_line(child)}: an attribute ({name!r}) outside any block; "
                    "Terraform files hold only blocks at the top level"
                )
    except InputReadError:
        raise
    except (LarkError, RecursionError, ValueError, TypeError, RuntimeError, AttributeError) as exc:
        raise InputReadError(f"{file}: cannot read HCL: {_first_line(exc)}") from None
    return blocks


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------

#: Which nested keys of a JSON resource body are blocks (not attributes), per resource type.
_JSON_BLOCKS: dict[str, dict[str, Any]] = {
    "pagerduty_schedule": {"layer": {"restriction": {}}},
    "pagerduty_escalation_policy": {
        "rule": {"target": {}, "escalation_rule_assignment_strategy": {}}
    },
}
_LABEL_COUNT = {"resource": 2, "data": 2, "variable": 1, "module": 1, "output": 1, "provider": 1}


def _json_body(
    kind: str, labels: tuple[str, ...], body: Any, nested: dict[str, Any], loc: Location
) -> Block:
    if not isinstance(body, dict):
        raise InputReadError(f"{loc}: {loc.path} must be a JSON object, got {_kind_of(body)}")
    loc = attrs.evolve(loc, line=_line_of(body), json=True)
    block = Block(kind, labels, loc)
    for key, value in body.items():
        if key == "//":
            continue
        child_path = f"{loc.path}.{key}"
        if key in nested:
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                where = attrs.evolve(loc, path=f"{child_path}[{i}]")
                block.blocks.append(_json_body(key, (), item, nested[key], where))
        else:
            block.attributes[key] = Attribute(
                key, from_json(value), attrs.evolve(loc, path=child_path)
            )
    return block


def _kind_of(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else "null"
    )


class _LinedDict(dict):  # type: ignore[type-arg]
    """A JSON object that remembers the line of its opening brace."""

    line: int | None = None


def _lined_decoder(text: str) -> json.JSONDecoder:
    decoder: Any = json.JSONDecoder(object_pairs_hook=_LinedDict)
    plain_object = decoder.parse_object

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        value, end = plain_object(s_and_end, *args)
        if isinstance(value, _LinedDict):
            value.line = text.count("\n", 0, s_and_end[1]) + 1
        return value, end

    # The pure-Python scanner calls decoder.parse_object, so every object records its line.
    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    return decoder  # type: ignore[no-any-return]


def _line_of(value: Any) -> int | None:
    return getattr(value, "line", None)


def _decode_json(text: str, file: str) -> Any:
    """``text`` decoded, every object remembering its line; bad JSON raises InputReadError."""
    try:
        return _lined_decoder(text).decode(text)
    except json.JSONDecodeError as exc:
        raise InputReadError(f"{file}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputReadError(f"{file}: invalid JSON: nested too deeply") from None


def read_json(text: str, file: str) -> list[Block]:
    """The blocks of a Terraform JSON file (``resource``, ``data``, ``variable``, ``locals``, …)."""
    return blocks_from_json(_decode_json(text, file), file)


def blocks_from_json(data: Any, file: str) -> list[Block]:
    """The blocks of already-parsed Terraform JSON."""
    if not isinstance(data, dict):
        raise InputReadError(
            f"{file}: a Terraform JSON file must hold an object, got {_kind_of(data)}"
        )
    blocks: list[Block] = []
    for kind, content in data.items():
        if kind == "//":
            continue
        for section in content if isinstance(content, list) else [content]:
            blocks.extend(_json_section(kind, section, file))
    return blocks


def _json_section(kind: str, section: Any, file: str) -> list[Block]:
    loc = Location(file, _line_of(section), kind, json=True)
    if kind == "locals":
        return [_json_body("locals", (), section, {}, loc)]
    depth = _LABEL_COUNT.get(kind, 0)
    if depth == 0:
        return [Block(kind, (), loc)]  # terraform, moved, import, …: kept only to be ignored
    if not isinstance(section, dict):
        raise InputReadError(f"{loc}: {kind} must be a JSON object, got {_kind_of(section)}")
    out = []
    if depth == 1:
        for name, body in section.items():
            if name == "//":
                continue
            for item in body if isinstance(body, list) else [body]:
                where = Location(file, _line_of(section), f"{kind}.{name}", json=True)
                out.append(_json_body(kind, (name,), item, {}, where))
        return out
    for rtype, by_name in section.items():
        if rtype == "//":
            continue
        where = Location(file, _line_of(by_name), f"{kind}.{rtype}", json=True)
        if not isinstance(by_name, dict):
            raise InputReadError(f"{where}: must be a JSON object, got {_kind_of(by_name)}")
        for name, body in by_name.items():
            if name == "//":
                continue
            for item in body if isinstance(body, list) else [body]:
                where = Location(file, _line_of(by_name), f"{kind}.{rtype}.{name}", json=True)
                nested = _JSON_BLOCKS.get(rtype, {}) if kind == "resource" else {}
                out.append(_json_body(kind, (rtype, name), item, nested, where))
    return out


# ---------------------------------------------------------------------------------------------
# Files and directories
# ---------------------------------------------------------------------------------------------


def terraform_files(path: Path) -> list[Path]:
    """The files to read: the file itself, or a directory's ``*.tf`` and ``*.tf.json`` (sorted)."""
    if not path.exists():
        raise InputReadError(f"{path}: no such file or directory")
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.is_file() and (p.name.endswith((".tf", ".tf.json")))
        )
        if not files:
            raise InputReadError(f"{path}: the directory holds no .tf or .tf.json files")
        return files
    return [path]


def tfvars_files(path: Path) -> list[Path]:
    """The variable definitions files Terraform loads by itself from a directory, in its order.

    ``terraform.tfvars``, then ``terraform.tfvars.json``, then every ``*.auto.tfvars`` and
    ``*.auto.tfvars.json`` by name; a later file wins. A single file given as input has none: only
    a directory is a configuration Terraform would run in.
    """
    if not path.is_dir():
        return []
    fixed = [path / "terraform.tfvars", path / "terraform.tfvars.json"]
    auto = sorted(
        p for p in path.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )
    return [p for p in [*fixed, *auto] if p.is_file()]


def read_tfvars(path: Path) -> list[Attribute]:
    """The assignments of a variable definitions file (``.tfvars`` is HCL, ``.tfvars.json`` JSON).

    JSON values are taken as they are (Terraform does not interpolate them here); HCL values
    become expressions for the importer to evaluate.
    """
    text = _read_text(path)
    file = str(path)
    if path.name.endswith(".json"):
        data = _decode_json(text, file)
        if not isinstance(data, dict):
            raise InputReadError(
                f"{file}: a variable definitions file must hold an object, got {_kind_of(data)}"
            )
        where = Location(file, _line_of(data))
        return [
            Attribute(name, _raw(value), attrs.evolve(where, path=name, json=True))
            for name, value in data.items()
        ]
    from hcl2.rules.base import AttributeRule
    from lark.exceptions import LarkError

    tree = _parse_hcl(text, file, quote_line=False)
    options = _hcl_options()
    out = []
    for child in tree.body.children:
        if not isinstance(child, AttributeRule):
            raise InputReadError(
                f"{file}:{_line(child)}: a variable definitions file holds only assignments "
                "such as name = value, not blocks"
            )
        name = _label(child.identifier, options)
        try:
            value = from_hcl(child.expression.serialize(options))
        except (LarkError, RecursionError, ValueError, TypeError, RuntimeError) as exc:
            raise InputReadError(
                f"{file}:{_line(child)}: cannot read HCL: {_first_line(exc)}"
            ) from None
        out.append(Attribute(name, value, Location(file, _line(child), name)))
    return out


def _raw(value: Any) -> Expr:
    """A JSON value as a constant expression, strings untouched."""
    if isinstance(value, list):
        return ListExpr(tuple(_raw(item) for item in value))
    if isinstance(value, dict):
        return ObjectExpr(tuple((str(k), _raw(v)) for k, v in value.items()))
    return Literal(value)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputReadError(f"{path}: not a UTF-8 text file (byte {exc.start})") from None
    except OSError as exc:
        raise InputReadError(f"{path}: cannot read the file: {exc.strerror or exc}") from None


def read_file(path: Path) -> list[Block]:
    """Blocks of one file: JSON when it ends in ``.json``, else HCL."""
    text = _read_text(path)
    if path.name.endswith(".json"):
        return read_json(text, str(path))
    return read_hcl(text, str(path))
