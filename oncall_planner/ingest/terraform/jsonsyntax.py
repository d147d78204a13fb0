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


def _int(text: str) -> int:
    # The decoder calls this for every integer it reads: one length test, then int().
    if len(text) > MAX_NUMBER_DIGITS:
        raise _RereadError  # re-read by the slow scanner, which names the line
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _RereadError
    return float(text)


def read_document(src: Source, keep_depth: int = 8) -> tuple[Any, Offsets]:
    """The JSON value of ``src`` and the offsets of its keys, in time linear in its size.

    The C decoder reads the value (refusing over-long numbers through its hooks); one pass of a
    regular expression lists where each key is written, in document order, which is the order
    of a depth-first walk of the decoded objects. A duplicate key, which the decoder collapses,
    leaves a key written but never walked: then :func:`scan` reads the text again and names the
    line of both."""
    data = decode_checked(src)
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


class _TooDeepError(Exception):
    """JSON nested more than :data:`MAX_JSON_DEPTH` levels."""


def _literal(value: Any, template: bool, depth: int = 0) -> Any:
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
        if depth > MAX_JSON_DEPTH:
            raise _TooDeepError
        items: list[Any] | None = None
        for i, item in enumerate(value):
            made = _literal(item, template, depth + 1)
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
        if depth > MAX_JSON_DEPTH:
            raise _TooDeepError
        out: dict[str, Any] = {}
        changed = False
        for key, item in value.items():
            if key == "//":
                changed = True
                continue
            if template and "${" in key:
                return _NOT_LITERAL
            made = _literal(item, template, depth + 1)
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

    Positions come from the list of key offsets in document order (:func:`key_offsets`): the
    converter walks the decoded value in that same order and takes one offset per key, so no
    table of paths is built. A block, attribute or value is located at its key; an object in a
    list at its brace; a value with no key of its own (a list element, an empty object in a
    list) at the nearest key above it. A key left over at the end is a duplicate the decoder
    collapsed (:func:`terraform_blocks` then names it).

    JSON is mostly literal data and ``"${a.b.c}"`` references, so both have a direct route: a
    value with no template anywhere is one :class:`Lit` holding the value the evaluator would
    have built from it, and a reference is one :class:`Traversal` (each distinct reference
    string is recognised once). Anything else goes through the template parser."""

    def __init__(self, src: Source, keys: list[int]) -> None:
        self.src = src
        self.keys = keys
        self.at = 0
        #: Each string holding ``${`` seen so far: ``(path, text)`` when it is exactly one
        #: ``${a.b.c}`` reference, else None. In a plain block every such string is one.
        self.simple: dict[str, tuple[tuple[str, ...], str] | None] = {}

    def take(self) -> int:
        """The offset of the next key written."""
        at = self.at
        self.at = at + 1
        return self.keys[at] if at < len(self.keys) else 0

    def skip(self, value: Any, depth: int = 0) -> None:
        """Take the keys written inside ``value``, which is not converted."""
        if depth > MAX_JSON_DEPTH:
            raise _TooDeepError
        if type(value) is dict:
            for item in value.values():
                self.at += 1
                if type(item) is dict or type(item) is list:
                    self.skip(item, depth + 1)
        elif type(value) is list:
            for item in value:
                if type(item) is dict or type(item) is list:
                    self.skip(item, depth + 1)

    def brace(self, value: Any, near: int) -> int:
        """Where an object in a list starts: its brace, just before its first key (``near``, the
        nearest key above, for anything else)."""
        if type(value) is dict and value and self.at < len(self.keys):
            return max(self.src.text.rfind("{", 0, self.keys[self.at]), 0)
        return near

    def done(self) -> bool:
        """Whether every key written was taken (none was written twice)."""
        return self.at == len(self.keys)

    def where(self, pos: int) -> str:
        return f"{self.src.name}:{self.src.line(pos)}"

    def reference(self, value: str) -> tuple[tuple[str, ...], str] | None:
        """``(path, text)`` when ``value`` is exactly ``"${a.b.c}"`` (and ``a`` is no keyword),
        else None; remembered in the same table as :meth:`template` uses."""
        known = self.simple.get(value, _UNSEEN)
        if known is _UNSEEN:
            if not value.startswith("${"):
                return None
            m = _SIMPLE.match(value)
            text = m.group(1) if m else ""
            found = tuple(text.split(".")) if text else None
            if found and found[0] in _KEYWORDS:
                return None  # left to the template parser, and not remembered, as template() does
            known = self.simple[value] = (found, text) if found else None
        return known  # type: ignore[return-value]

    def plain(
        self, body: dict[str, Any], schema: dict[str, Any], first: int
    ) -> tuple[int, list[Block]] | None:
        """When every argument of ``body`` is plain (a string with no template or exactly one
        ``"${a.b.c}"`` reference, a whole number, a boolean, null, a list of those) and every
        other key is a nested block of ``schema`` whose body is plain: how many keys are
        written inside it, and its nested blocks, as :class:`JsonBlock` (``first`` is the
        index of its first key). None when anything else is written (a ``//`` comment,
        ``dynamic``, ``count``, ``for_each``, a meta-argument block, a float, an object, any
        other template): :meth:`body` then converts it as always."""
        at = first
        children: list[Block] = []
        simple, not_plain_keys = self.simple, _NOT_PLAIN_KEYS
        for key, value in body.items():
            at += 1  # the index of the first key inside value
            if key in not_plain_keys:
                return None
            if key == "//":  # a comment (CDKTF's metadata): skipped, as body() skips it
                inside = _keys_inside(value, 0)
                if inside < 0:
                    return None
                at += inside
                continue
            kind = type(value)
            sub = schema.get(key)
            if sub is not None:  # a nested block: one object, or a list of them
                if kind is not list and kind is not dict:
                    return None
                keys, count, src = self.keys, len(self.keys), self.src
                kpos = keys[at - 1] if at - 1 < count else 0
                for item in value if kind is list else (value,):
                    if type(item) is not dict:
                        return None
                    made = self.plain(item, sub, at)
                    if made is None:
                        return None
                    ipos = kpos
                    if kind is list and item and at < count:
                        ipos = max(src.text.rfind("{", 0, keys[at]), 0)  # as brace() finds it
                    children.append(JsonBlock(key, (), src, ipos, item, sub, self, at, made[1]))
                    at += made[0]
                continue
            if kind is str:
                if ("${" in value or "%{" in value) and (
                    simple.get(value) is None and self.reference(value) is None
                ):
                    return None
            elif kind is list:
                if len(value) > MAX_ITEMS:
                    return None
                for item in value:
                    t = type(item)
                    if t is str:
                        if ("${" in item or "%{" in item) and (
                            simple.get(item) is None and self.reference(item) is None
                        ):
                            return None
                    elif not (t is int or t is bool or item is None):
                        return None
            elif not (kind is int or kind is bool or value is None):
                return None
        return at - first, children

    def node(self, value: Any, pos: int) -> Node:
        """The node of a plain argument's ``value`` written at ``pos``, as :meth:`body` makes it
        (a plain value holds no object, so no key is taken)."""
        if type(value) is str:
            if "${" in value or "%{" in value:
                return self.template(value, pos)
            return Lit(value, self.src, pos, pos)
        return self.expr(value, pos)

    def template(self, value: str, pos: int) -> Node:
        """A JSON string holding ``${`` or ``%{``."""
        known = self.simple.get(value)
        if known is not None:  # a reference seen before: the common case
            return Traversal(known[0], self.src, pos, pos, known[1])
        if value.startswith("${") and value not in self.simple:
            m = _SIMPLE.match(value)
            text = m.group(1) if m else ""
            found = tuple(text.split(".")) if text else None
            if found and found[0] in _KEYWORDS:
                return parse_template(Source(self.src.name, value))
            self.simple[value] = (found, text) if found else None
            if found:
                return Traversal(found, self.src, pos, pos, text)
        try:
            return parse_template(Source(f"{self.src.name}:{self.src.line(pos)}", value))
        except HclSyntaxError as exc:
            raise InputReadError(
                f"{self.where(pos)}: invalid template in a JSON string: {exc.message}"
            ) from None

    def expr(self, value: Any, pos: int, template: bool = True, depth: int = 0) -> Node:
        """``value``, written at ``pos`` (its key, or the nearest key above), as a node."""
        kind = type(value)
        if kind is str:
            if template and ("${" in value or "%{" in value):
                return self.template(value, pos)
            return Lit(value, self.src, pos, pos)
        if kind is list or kind is dict:
            literal = _literal(value, template, depth)
            if literal is not _NOT_LITERAL:
                self.skip(value, depth)
                return Lit(literal, self.src, pos, pos)
            if depth > MAX_JSON_DEPTH:
                raise _TooDeepError
        if kind is list:
            items: list[Node] = []
            src = self.src
            for v in value:
                if type(v) is str:  # the common element, converted here
                    if template and ("${" in v or "%{" in v):
                        items.append(self.template(v, pos))
                    else:
                        items.append(Lit(v, src, pos, pos))
                else:
                    at = self.brace(v, pos) if type(v) is dict else pos
                    items.append(self.expr(v, at, template, depth + 1))
            return TupleCons(tuple(items), src, pos, pos)
        if kind is dict:
            pairs = []
            for k, v in value.items():
                kpos = self.take()
                if k == "//":
                    self.skip(v, depth + 1)
                    continue
                key = (
                    self.template(k, kpos) if template and "${" in k else Lit(k, self.src, pos, pos)
                )
                pairs.append((key, self.expr(v, kpos, template, depth + 1)))
            return ObjectCons(tuple(pairs), self.src, pos, pos)
        if kind is float and value.is_integer():
            value = int(value)
        return Lit(value, self.src, pos, pos)

    def body(
        self,
        type_: str,
        labels: tuple[str, ...],
        body: Any,
        schema: dict[str, Any],
        bpos: int,
        literal: frozenset[str] = frozenset(),
        depth: int = 0,
    ) -> Block:
        """The block whose JSON object is ``body``, located at ``bpos`` (``depth`` blocks deep)."""
        if depth > MAX_JSON_DEPTH // 2:
            raise _TooDeepError
        src = self.src
        if (
            depth == 0
            and (type_ == "resource" or type_ == "data")
            and type(body) is dict
            and READ_PLAIN
        ):
            made = self.plain(body, schema, self.at)
            if made is not None:  # read as written, its nodes made only when asked for
                plain = JsonBlock(type_, labels, src, bpos, body, schema, self, self.at, made[1])
                self.at += made[0]
                return plain
        if not isinstance(body, dict):
            raise InputReadError(f"{self.where(bpos)}: the body of {type_} must be a JSON object")
        block = Block(type_, labels, src, bpos)
        attributes = block.attributes
        meta = _META_BLOCKS if type_ in ("resource", "data") else _NO_BLOCKS
        keys, count = self.keys, len(self.keys)
        for key, value in body.items():
            at = self.at  # self.take(), written out: this loop runs for every argument
            self.at = at + 1
            kpos = keys[at] if at < count else 0
            if key == "//":
                self.skip(value, depth)
                continue
            if key == "dynamic" and isinstance(value, dict):
                for label, spec in value.items():
                    lpos = self.take()
                    content = {"content": schema.get(label, {})}
                    for item in spec if isinstance(spec, list) else [spec]:
                        ipos = self.brace(item, lpos) if isinstance(spec, list) else lpos
                        dyn = self.body("dynamic", (label,), item, content, ipos, depth=depth + 1)
                        block.blocks.append(dyn)
                continue
            sub = schema.get(key)
            if sub is None:
                sub = meta.get(key)
            if sub is not None and isinstance(value, (dict, list)):
                for item in value if isinstance(value, list) else [value]:
                    ipos = self.brace(item, kpos) if isinstance(value, list) else kpos
                    block.blocks.append(self.body(key, (), item, sub, ipos, depth=depth + 1))
                continue
            if type(value) is str:  # the common argument, converted here without expr()
                if not ("${" in value or "%{" in value):
                    expr: Node = Lit(value, src, kpos, kpos)
                elif key in literal:
                    expr = Lit(value, src, kpos, kpos)
                else:
                    expr = self.template(value, kpos)
            else:
                expr = self.expr(value, kpos, key not in literal, depth)
            attributes[key] = Attribute(key, expr, src, kpos)
        return block


_NO_BLOCKS: dict[str, Any] = {}
_UNSEEN = object()
#: Whether plain resource and data blocks are kept as :class:`JsonBlock` (False converts every
#: block at once; the tests compare the two).
READ_PLAIN = True
#: Keys that make a body not plain (see :meth:`_Converter.plain`).
_NOT_PLAIN_KEYS = frozenset({"dynamic", "count", "for_each", *_META_BLOCKS})
#: The slots of :class:`Block` that :class:`JsonBlock` fills when first read.
_ATTRIBUTES_SLOT: Any = Block.__dict__["attributes"]
_BLOCKS_SLOT: Any = Block.__dict__["blocks"]


def templated(items: list[Any]) -> bool:
    """Whether a plain list holds a reference (else it is its own value, as a literal)."""
    return any(type(x) is str and ("${" in x or "%{" in x) for x in items)


def _keys_inside(value: Any, depth: int = 0) -> int:
    """How many keys are written inside ``value`` (as :meth:`_Converter.skip` takes them);
    -1 when it nests more than 32 levels (left to the converter, which bounds nesting)."""
    if depth > 32:
        return -1
    count = 0
    if type(value) is dict:
        for item in value.values():
            count += 1
            if type(item) is dict or type(item) is list:
                inside = _keys_inside(item, depth + 1)
                if inside < 0:
                    return -1
                count += inside
    elif type(value) is list:
        for item in value:
            if type(item) is dict or type(item) is list:
                inside = _keys_inside(item, depth + 1)
                if inside < 0:
                    return -1
                count += inside
    return count


class JsonBlock(Block):
    """A plain block of Terraform JSON (see :meth:`_Converter.plain`), kept as its decoded
    object, ``raw``: the builders read its arguments straight from it (``Instance.get`` and
    ``NestedObj.get`` in :mod:`.modules`), and its attributes and nested blocks become nodes
    only when something else asks for them, the same nodes, at the same offsets, as
    converting it at once would make. ``first`` is the index of its first key among the
    file's key offsets."""

    __slots__ = ("_first", "conv", "raw", "schema")

    def __init__(
        self,
        type_: str,
        labels: tuple[str, ...],
        src: Source,
        pos: int,
        raw: dict[str, Any],
        schema: dict[str, Any],
        conv: _Converter,
        first: int,
        blocks: list[Block],
    ) -> None:
        # Block.__init__ is not called: the attributes are made when first read
        self.type, self.labels, self.src, self.pos = type_, labels, src, pos
        self.raw, self.schema, self.conv, self._first = raw, schema, conv, first
        _BLOCKS_SLOT.__set__(self, blocks)

    def _layout(self) -> Iterator[tuple[str, Any, int, int]]:
        """Each key with its value, its offset and the index of the first key inside it."""
        keys, at, count = self.conv.keys, self._first, len(self.conv.keys)
        schema = self.schema
        for key, value in self.raw.items():
            kpos = keys[at] if at < count else 0
            at += 1
            if key == "//":
                at += _keys_inside(value)
                continue
            yield key, value, kpos, at
            if key in schema:
                at += _keys_inside(value)

    def offset(self, name: str) -> int:
        """Where the argument ``name`` is written (its key)."""
        for key, _, kpos, _ in self._layout():
            if key == name:
                return kpos
        return self.pos  # pragma: no cover  (only asked for arguments it has)

    def argument(self, name: str) -> Node:
        """The node of the argument ``name``, written in it."""
        return self.conv.node(self.raw[name], self.offset(name))

    def has(self, name: str) -> bool:
        """Whether the argument ``name`` is written in it (as ``name in attributes``)."""
        return name in self.raw and name not in self.schema and name != "//"

    def argument_where(self, name: str) -> str:
        """``file:line`` of the argument ``name`` (of the block when it has none)."""
        if self.has(name):
            return f"{self.src.name}:{self.src.line(self.offset(name))}"
        return self.where()

    @property
    def attributes(self) -> dict[str, Attribute]:
        try:
            made: dict[str, Attribute] = _ATTRIBUTES_SLOT.__get__(self, JsonBlock)
        except AttributeError:
            made = {}
            src, schema, node = self.src, self.schema, self.conv.node
            for key, value, kpos, _ in self._layout():
                if key not in schema:
                    made[key] = Attribute(key, node(value, kpos), src, kpos)
            _ATTRIBUTES_SLOT.__set__(self, made)
        return made

    @attributes.setter
    def attributes(self, value: dict[str, Attribute]) -> None:
        _ATTRIBUTES_SLOT.__set__(self, value)

    @property
    def blocks(self) -> list[Block]:
        made: list[Block] = _BLOCKS_SLOT.__get__(self, JsonBlock)  # set when made
        return made

    @blocks.setter
    def blocks(self, value: list[Block]) -> None:
        _BLOCKS_SLOT.__set__(self, value)


def terraform_blocks(src: Source) -> list[Block]:
    """The blocks of a Terraform JSON file (``.tf.json``, CDKTF's ``cdk.tf.json``)."""
    return blocks_from_document(decode_checked(src), src)


def decode_checked(src: Source) -> Any:
    """The JSON value of ``src``, numbers bounded as :func:`read_document` bounds them."""
    try:
        return json.loads(src.text, parse_int=_int, parse_float=_float)
    except _RereadError:
        scan(src)  # raises, naming the line
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


def blocks_from_document(data: Any, src: Source) -> list[Block]:
    """The blocks of a Terraform JSON document: ``data`` decoded from ``src.text``."""
    conv = _Converter(src, key_offsets(src.text))
    try:
        if not isinstance(data, dict):
            raise InputReadError(f"{src.name}: a Terraform JSON file must hold an object")
        out: list[Block] = []
        for kind, content in data.items():
            kpos = conv.take()
            if kind == "//":
                conv.skip(content)
                continue
            if isinstance(content, list):
                for section in content:
                    out.extend(_section(conv, kind, section, conv.brace(section, kpos)))
            else:
                out.extend(_section(conv, kind, content, kpos))
    except InputReadError:
        _refuse_duplicates(src)  # a key written twice is named first, as Terraform does
        raise
    except (_TooDeepError, RecursionError):
        raise _too_deep(src) from None
    if not conv.done():
        _refuse_duplicates(src)
        raise InputReadError(f"{src.name}: invalid JSON")  # pragma: no cover
    return out


def _too_deep(src: Source) -> InputReadError:
    return InputReadError(f"{src.name}: JSON nested more than {MAX_JSON_DEPTH} levels deep")


def _refuse_duplicates(src: Source) -> None:
    """Raise, naming the line, when a key is written twice in one object of ``src``."""
    scan(src, MAX_JSON_DEPTH)


def tfvars_attributes(src: Source) -> dict[str, Attribute]:
    """The assignments of a JSON variable definitions file (``terraform.tfvars.json``)."""
    data = decode_checked(src)
    if not isinstance(data, dict):
        raise InputReadError(f"{src.name}: a variable definitions file must hold a JSON object")
    conv = _Converter(src, key_offsets(src.text))
    out: dict[str, Attribute] = {}
    try:
        for key, value in data.items():
            pos = conv.take()
            out[key] = Attribute(key, conv.expr(value, pos, template=False), src, pos)
    except (_TooDeepError, RecursionError):
        raise _too_deep(src) from None
    if not conv.done():
        _refuse_duplicates(src)
    return out


def _section(conv: _Converter, kind: str, section: Any, pos: int) -> list[Block]:
    """The blocks of one top-level section (``resource``, ``variable``, …) written at ``pos``."""
    if kind == "locals":
        return [conv.body("locals", (), section, {}, pos)]
    depth = _LABELS.get(kind, 0)
    if depth == 0:
        conv.skip(section)
        return [Block(kind, (), conv.src, pos)]
    if not isinstance(section, dict):
        raise InputReadError(f"{conv.where(pos)}: {kind} must be a JSON object")
    out: list[Block] = []
    literal = frozenset({"default", "type"}) if kind == "variable" else frozenset()
    if depth == 1:
        for name, body in section.items():
            npos = conv.take()
            if name == "//":
                conv.skip(body)
                continue
            if isinstance(body, list):
                for item in body:
                    out.append(conv.body(kind, (name,), item, {}, conv.brace(item, npos), literal))
            else:
                out.append(conv.body(kind, (name,), body, {}, npos, literal))
        return out
    plain = READ_PLAIN and (kind == "resource" or kind == "data")
    for rtype, by_name in section.items():
        tpos = conv.take()
        if rtype == "//":
            conv.skip(by_name)
            continue
        if not isinstance(by_name, dict):
            raise InputReadError(f"{conv.where(tpos)}: {kind}.{rtype} must be a JSON object")
        schema = BLOCK_SCHEMA.get(rtype, {})
        for name, body in by_name.items():
            npos = conv.take()
            if name == "//":
                conv.skip(body)
                continue
            labels = (rtype, name)
            if type(body) is dict and plain:
                # what conv.body() does first for a resource or data block, written out: the
                # loop runs once per block of the file
                at = conv.at
                made = conv.plain(body, schema, at)
                if made is not None:
                    out.append(
                        JsonBlock(kind, labels, conv.src, npos, body, schema, conv, at, made[1])
                    )
                    conv.at = at + made[0]
                    continue
            if isinstance(body, list):
                for item in body:
                    out.append(conv.body(kind, labels, item, schema, conv.brace(item, npos)))
            else:
                out.append(conv.body(kind, labels, body, schema, npos))
    return out
