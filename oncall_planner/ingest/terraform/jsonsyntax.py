"""Read JSON: Terraform's JSON syntax (``.tf.json``, CDKTF's ``cdk.tf.json``) into the same
blocks as HCL, and any JSON document with the offset of every key.

Decoding is done by the standard library's C decoder. One linear pass of a regular expression
over the text finds where each object starts and each key is written (for ``file:line``),
refuses duplicate keys as Terraform does, and bounds nesting, so a hostile file can neither hide
an attribute nor exhaust the stack, and a large one costs time in proportion to its size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from oncall_planner.errors import InputReadError
from oncall_planner.ingest.terraform.hcl import HclSyntaxError, parse_template
from oncall_planner.ingest.terraform.syntax import (
    MAX_NUMBER_DIGITS,
    Attribute,
    Block,
    Lit,
    Node,
    ObjectCons,
    Source,
    Traversal,
    TupleCons,
)
from oncall_planner.ingest.terraform.values import MAX_ITEMS

#: The deepest JSON nesting accepted (real Terraform JSON stays under 15 levels).
MAX_JSON_DEPTH = 200
_TOKENS = re.compile(
    r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|-?\d{' + str(MAX_NUMBER_DIGITS + 1) + ",}", re.S
)

#: ``${a.b.c}``, by far the most common string in generated JSON, read without the parser.
_SIMPLE = re.compile(r"\$\{([^\W\d][\w-]*(?:\.[^\W\d][\w-]*)*)\}\Z")
_KEYWORDS = frozenset({"true", "false", "null", "for", "if", "in"})


#: Paths (tuples of keys and indices) to the offset where the value at that path starts.
Offsets = dict[tuple[Any, ...], int]


def scan(src: Source, keep_depth: int = 8) -> Offsets:
    """Offsets of the values at every path up to ``keep_depth`` deep; refuses duplicate keys,
    numbers with too many digits and too deep nesting, each with ``file:line``."""
    text = src.text
    offsets: Offsets = {}
    # Each frame: [is_object, path, keys seen (objects), next index (arrays), expecting key]
    stack: list[list[Any]] = []
    pending_key: str | None = None
    for m in _TOKENS.finditer(text):
        tok = m.group()
        c = tok[0]
        if c == '"':
            if stack and stack[-1][0] and stack[-1][4]:
                key = tok[1:-1] if "\\" not in tok else json.loads(tok)
                frame = stack[-1]
                if key in frame[2]:
                    where = f"{src.name}:{src.line(m.start())}"
                    raise InputReadError(
                        f"{where}: duplicate key {key[:60]!a} in one object (first on line "
                        f"{src.line(frame[2][key])}); Terraform refuses this"
                    )
                frame[2][key] = m.start()
                frame[4] = False
                pending_key = key
                if len(frame[1]) < keep_depth:
                    offsets[(*frame[1], key)] = m.start()
            continue
        if c in "{[":
            if len(stack) >= MAX_JSON_DEPTH:
                raise InputReadError(
                    f"{src.name}:{src.line(m.start())}: JSON nested more than {MAX_JSON_DEPTH} "
                    "levels deep"
                )
            if not stack:
                path: tuple[Any, ...] = ()
            elif stack[-1][0]:
                path = (*stack[-1][1], pending_key)
            else:
                path = (*stack[-1][1], stack[-1][3])
            if len(path) <= keep_depth:
                offsets.setdefault(path, m.start())
            stack.append([c == "{", path, {}, 0, True])
        elif c in "}]":
            if stack:
                stack.pop()
        elif c == ",":
            if stack:
                if stack[-1][0]:
                    stack[-1][4] = True
                else:
                    stack[-1][3] += 1
        elif c == ":":
            pass
        else:  # a run of digits longer than any PagerDuty field
            raise InputReadError(
                f"{src.name}:{src.line(m.start())}: a number with more than "
                f"{MAX_NUMBER_DIGITS} digits is beyond any PagerDuty field"
            )
    return offsets


def decode(src: Source) -> Any:
    """The JSON value of ``src``; invalid JSON raises InputReadError with line and column."""
    try:
        return json.loads(src.text)
    except json.JSONDecodeError as exc:
        raise InputReadError(
            f"{src.name}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise InputReadError(f"{src.name}: invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. Python's own limit on digits in an integer
        raise InputReadError(
            f"{src.name}: invalid JSON: {str(exc).splitlines()[0][:120]}"
        ) from None


class _RereadError(Exception):
    """The fast path met a number it leaves to :func:`scan`, which names the line."""


def _number(text: str) -> Any:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _RereadError  # re-read by the slow scanner, which names the line
    return float(text) if any(c in text for c in ".eE") else int(text)


def read_document(src: Source, keep_depth: int = 8) -> tuple[Any, Offsets]:
    """The JSON value of ``src`` and the offsets of its keys, in time linear in its size.

    The C decoder reads the value (refusing over-long numbers through its hooks); one pass of a
    regular expression lists where each key is written, in document order, which is the order
    of a depth-first walk of the decoded objects. A duplicate key, which the decoder collapses,
    leaves a key written but never walked: then :func:`scan` reads the text again and names the
    line of both."""
    try:
        data = json.loads(src.text, parse_int=_number, parse_float=_number)
    except _RereadError:
        scan(src, keep_depth)  # raises, naming the line
        raise InputReadError(f"{src.name}: invalid JSON") from None  # pragma: no cover
    except json.JSONDecodeError as exc:
        raise InputReadError(
            f"{src.name}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise InputReadError(
            f"{src.name}:1: JSON nested more than {MAX_JSON_DEPTH} levels deep"
        ) from None
    except ValueError as exc:
        raise InputReadError(
            f"{src.name}: invalid JSON: {str(exc).splitlines()[0][:120]}"
        ) from None
    keys = iter(key_offsets(src.text))
    offsets: Offsets = {}
    _assign(data, (), keys, offsets, keep_depth, src)
    if next(keys, None) is not None:
        scan(src, keep_depth)  # raises, naming the line of the duplicate key
        raise InputReadError(f"{src.name}: invalid JSON") from None  # pragma: no cover
    return data, offsets


#: Every JSON string, and whether a colon follows it (then it is a key). Matching whole strings
#: from the first quote keeps the matches aligned: outside strings JSON has no quotes. The
#: string is written as runs of plain characters between escapes, which the engine matches in
#: one step each (about five times faster than one character at a time).
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?')


def key_offsets(text: str) -> list[int]:
    """Where each key of a valid JSON text is written, in document order."""
    return [m.start() for m in _STRINGS.finditer(text) if m.lastindex]


def _assign(
    value: Any,
    path: tuple[Any, ...],
    keys: Iterator[int],
    offsets: Offsets,
    keep: int,
    src: Source,
) -> None:
    """Give every key its offset, walking ``value`` depth first (nesting is bounded by the
    decoder's own limit and checked against :data:`MAX_JSON_DEPTH` here). A key written twice
    leaves an offset over at the end (see :func:`read_document`)."""
    if len(path) > MAX_JSON_DEPTH:
        raise InputReadError(f"{src.name}: JSON nested more than {MAX_JSON_DEPTH} levels deep")
    if type(value) is dict:
        if len(path) >= keep:
            for child in value.values():
                next(keys, 0)
                if type(child) is dict or type(child) is list:
                    _assign(child, path, keys, offsets, keep, src)
            return
        first = True
        for key, child in value.items():
            pos = next(keys, 0)
            child_path = (*path, key)
            offsets[child_path] = pos
            if first and path and path not in offsets:
                # an object in a list: it starts at its brace, just before its first key
                offsets[path] = max(src.text.rfind("{", 0, pos), 0)
            first = False
            if type(child) is dict or type(child) is list:
                _assign(child, child_path, keys, offsets, keep, src)
    else:
        deep = len(path) >= keep
        for i, child in enumerate(value):
            if type(child) is dict or type(child) is list:
                _assign(child, path if deep else (*path, i), keys, offsets, keep, src)


# ---------------------------------------------------------------------------------------------
# Terraform JSON syntax
# ---------------------------------------------------------------------------------------------

#: Which keys inside a resource's JSON body are nested blocks (not attributes), per type.
#: Terraform knows this from the provider's schema; these are the types the importer builds.
BLOCK_SCHEMA: dict[str, dict[str, Any]] = {
    "pagerduty_schedule": {"layer": {"restriction": {}}},
    "pagerduty_escalation_policy": {
        "rule": {"target": {}, "escalation_rule_assignment_strategy": {}}
    },
    "pagerduty_schedulev2": {"rotation": {"event": {"assignment_strategy": {"member": {}}}}},
}
_META_BLOCKS: dict[str, dict[str, Any]] = {"lifecycle": {}, "provisioner": {}, "connection": {}}
_LABELS = {"resource": 2, "data": 2, "variable": 1, "module": 1, "output": 1, "provider": 1}


class _NotLiteral:
    """Marks a JSON value that holds a template somewhere (see :func:`_literal`)."""


_NOT_LITERAL = _NotLiteral()


def _literal(value: Any, template: bool) -> Any:
    """``value`` as the evaluator's value when it holds no template (no ``${`` or ``%{`` in a
    string or key, no collection beyond the size limit, which is then refused where it is
    evaluated, as before): whole floats become ints and ``"//"`` comment keys are dropped, as
    reading it node by node would. Else :data:`_NOT_LITERAL`."""
    kind = type(value)
    if kind is str:
        if template and ("${" in value or "%{" in value):
            return _NOT_LITERAL
        return value
    if kind is list:
        if len(value) > MAX_ITEMS:
            return _NOT_LITERAL
        items: list[Any] | None = None
        for i, item in enumerate(value):
            made = _literal(item, template)
            if made is _NOT_LITERAL:
                return _NOT_LITERAL
            if made is not item:
                if items is None:
                    items = list(value)
                items[i] = made
        return value if items is None else items
    if kind is dict:
        if len(value) > MAX_ITEMS:
            return _NOT_LITERAL
        out: dict[str, Any] = {}
        changed = False
        for key, item in value.items():
            if key == "//":
                changed = True
                continue
            if template and "${" in key:
                return _NOT_LITERAL
            made = _literal(item, template)
            if made is _NOT_LITERAL:
                return _NOT_LITERAL
            changed = changed or made is not item
            out[key] = made
        return out if changed else value
    if kind is float and value.is_integer():
        return int(value)
    return value


class _Converter:
    """Terraform JSON values into blocks, attributes and expression nodes.

    JSON is mostly literal data and ``"${a.b.c}"`` references, so both have a direct route: a
    value with no template anywhere is one :class:`Lit` holding the value the evaluator would
    have built from it, and a reference is one :class:`Traversal` (each distinct reference
    string is recognised once). Anything else goes through the template parser."""

    def __init__(self, src: Source, offsets: Offsets) -> None:
        self.src = src
        self.offsets = offsets
        self._simple: dict[str, tuple[str, ...] | None] = {}

    def pos(self, path: tuple[Any, ...]) -> int:
        while path:
            if path in self.offsets:
                return self.offsets[path]
            path = path[:-1]
        return 0

    def template(self, value: str, pos: int) -> Node:
        """A JSON string holding ``${`` or ``%{``."""
        if value.startswith("${"):
            parts = self._simple.get(value, ())
            if parts == ():
                m = _SIMPLE.match(value)
                parts = self._simple[value] = tuple(m.group(1).split(".")) if m else None
            if parts and parts[0] not in _KEYWORDS:
                return Traversal(parts[0], parts[1:], self.src, pos, pos)
            if parts:
                return parse_template(Source(self.src.name, value))
        try:
            return parse_template(Source(f"{self.src.name}:{self.src.line(pos)}", value))
        except HclSyntaxError as exc:
            raise InputReadError(
                f"{self.src.name}:{self.src.line(pos)}: invalid template in a JSON "
                f"string: {exc.message}"
            ) from None

    def expr(
        self, value: Any, path: tuple[Any, ...], template: bool = True, pos: int | None = None
    ) -> Node:
        if pos is None:
            pos = self.pos(path)
        kind = type(value)
        if kind is str:
            if template and ("${" in value or "%{" in value):
                return self.template(value, pos)
            return Lit(value, self.src, pos, pos)
        if kind is list or kind is dict:
            literal = _literal(value, template)
            if literal is not _NOT_LITERAL:
                return Lit(literal, self.src, pos, pos)
        if kind is list:
            return TupleCons(
                tuple(
                    self.expr(v, (*path, i), template, pos if type(v) is not dict else None)
                    for i, v in enumerate(value)
                ),
                self.src,
                pos,
                pos,
            )
        if kind is dict:
            get = self.offsets.get
            items = tuple(
                (self.expr(k, (*path, k), template) if "${" in k else Lit(k, self.src, pos, pos),
                 self.expr(v, (*path, k), template, get((*path, k), pos)))
                for k, v in value.items()
                if k != "//"
            )  # fmt: skip
            return ObjectCons(items, self.src, pos, pos)
        if kind is float and value.is_integer():
            value = int(value)
        return Lit(value, self.src, pos, pos)

    def body(
        self,
        type_: str,
        labels: tuple[str, ...],
        body: Any,
        schema: dict[str, Any],
        path: tuple[Any, ...],
        literal: frozenset[str] = frozenset(),
    ) -> Block:
        src = self.src
        offsets = self.offsets
        bpos = offsets[path] if path in offsets else self.pos(path)
        if not isinstance(body, dict):
            where = f"{src.name}:{src.line(bpos)}"
            raise InputReadError(f"{where}: the body of {type_} must be a JSON object")
        block = Block(type_, labels, src, bpos)
        attributes = block.attributes
        meta = _META_BLOCKS if type_ in ("resource", "data") else _NO_BLOCKS
        for key, value in body.items():
            if key == "//":
                continue
            kpath = (*path, key)
            if key == "dynamic" and isinstance(value, dict):
                for label, spec in value.items():
                    for i, item in enumerate(spec if isinstance(spec, list) else [spec]):
                        ipath = (*kpath, label, i) if isinstance(spec, list) else (*kpath, label)
                        dyn = self.body(
                            "dynamic", (label,), item, {"content": schema.get(label, {})}, ipath
                        )
                        block.blocks.append(dyn)
                continue
            sub = schema.get(key)
            if sub is None:
                sub = meta.get(key)
            if sub is not None and isinstance(value, (dict, list)):
                items = value if isinstance(value, list) else [value]
                for i, item in enumerate(items):
                    ipath = (*kpath, i) if isinstance(value, list) else kpath
                    block.blocks.append(self.body(key, (), item, sub, ipath))
                continue
            apos = offsets.get(kpath, bpos)
            if type(value) is str and not ("${" in value or "%{" in value):
                expr: Node = Lit(value, src, apos, apos)
            else:
                expr = self.expr(value, kpath, key not in literal, apos)
            attributes[key] = Attribute(key, expr, src, apos)
        return block


_NO_BLOCKS: dict[str, Any] = {}


def blocks_from_document(data: Any, src: Source, offsets: Offsets) -> list[Block]:
    """The blocks of a Terraform JSON document."""
    if not isinstance(data, dict):
        raise InputReadError(f"{src.name}: a Terraform JSON file must hold an object")
    conv = _Converter(src, offsets)
    out: list[Block] = []
    for kind, content in data.items():
        if kind == "//":
            continue
        sections = content if isinstance(content, list) else [content]
        for si, section in enumerate(sections):
            base: tuple[Any, ...] = (kind, si) if isinstance(content, list) else (kind,)
            out.extend(_section(conv, kind, section, base))
    return out


def _section(conv: _Converter, kind: str, section: Any, path: tuple[Any, ...]) -> list[Block]:
    def where() -> str:
        return f"{conv.src.name}:{conv.src.line(conv.pos(path))}"

    if kind == "locals":
        return [conv.body("locals", (), section, {}, path)]
    depth = _LABELS.get(kind, 0)
    if depth == 0:
        return [Block(kind, (), conv.src, conv.pos(path))]
    if not isinstance(section, dict):
        raise InputReadError(f"{where()}: {kind} must be a JSON object")
    out: list[Block] = []
    if depth == 1:
        for name, body in section.items():
            if name == "//":
                continue
            items = body if isinstance(body, list) else [body]
            for i, item in enumerate(items):
                ipath = (*path, name, i) if isinstance(body, list) else (*path, name)
                literal = frozenset({"default", "type"}) if kind == "variable" else frozenset()
                out.append(conv.body(kind, (name,), item, {}, ipath, literal))
        return out
    for rtype, by_name in section.items():
        if rtype == "//":
            continue
        if not isinstance(by_name, dict):
            raise InputReadError(f"{where()}: {kind}.{rtype} must be a JSON object")
        schema = BLOCK_SCHEMA.get(rtype, {})
        for name, body in by_name.items():
            if name == "//":
                continue
            items = body if isinstance(body, list) else [body]
            for i, item in enumerate(items):
                ipath = (*path, rtype, name, i) if isinstance(body, list) else (*path, rtype, name)
                out.append(conv.body(kind, (rtype, name), item, schema, ipath))
    return out
