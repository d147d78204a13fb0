"""Parse HCL, Terraform's native syntax, into :mod:`.syntax` nodes.

A hand-written recursive-descent parser with precedence climbing for operators. It follows the
HCL native syntax specification (blocks, attributes, every expression form, quoted templates and
heredocs with ``${}`` interpolation and ``%{}`` directives, comments), keeps the offset of every
node for ``file:line`` messages, refuses what Terraform refuses (an attribute set twice in one
body), and bounds nesting at :data:`~.syntax.MAX_DEPTH` so no input can exhaust the stack.
It never evaluates anything and writes nothing anywhere.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from oncall_planner.ingest.terraform.syntax import (
    MAX_DEPTH,
    MAX_NUMBER_DIGITS,
    Attribute,
    BinOp,
    Block,
    Call,
    Cond,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    Node,
    ObjectCons,
    Parens,
    Source,
    Splat,
    SplatItem,
    Template,
    TemplateFor,
    TemplateIf,
    TupleCons,
    UnaryOp,
    Var,
)


class HclSyntaxError(Exception):
    """Where and why a file is not valid HCL."""

    def __init__(self, src: Source, pos: int, message: str) -> None:
        super().__init__(message)
        self.src, self.pos, self.message = src, pos, message

    def describe(self) -> str:
        text = self.src.text
        line = self.src.line(self.pos)
        column = self.pos - (text.rfind("\n", 0, self.pos) + 1) + 1
        return (
            f"{self.src.name}:{line}:{column}: HCL syntax error: {self.message}; "
            f"the line reads {self.src.excerpt(self.pos)}"
        )


_WS_NL = re.compile(r"(?:[ \t\r\n]+|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.S)
_WS = re.compile(r"(?:[ \t\r]+|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.S)
_IDENT = re.compile(r"[^\W\d][\w-]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_FUNC = re.compile(r"[^\W\d][\w-]*(?:::[^\W\d][\w-]*)*(?=\s*\()")
_TEMPLATE_CHUNK = re.compile(r"[^\"\\$%\n]+")
_HEREDOC_CHUNK = re.compile(r"[^$%]+")
_HEREDOC_START = re.compile(r"<<(-?)([^\W\d][\w-]*)[ \t]*\r?\n")
_BINARY = (
    ("||", 1),
    ("&&", 2),
    ("==", 3),
    ("!=", 3),
    ("<=", 4),
    (">=", 4),
    ("<", 4),
    (">", 4),
    ("+", 5),
    ("-", 5),
    ("*", 6),
    ("/", 6),
    ("%", 6),
)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def parse_number(text: str, fail: Any) -> int | float:
    """A number literal as an int when it is whole, else a float; refuses absurd sizes."""
    digits = sum(c.isdigit() for c in text)
    if digits > MAX_NUMBER_DIGITS:
        fail(f"a number with {digits} digits is beyond any PagerDuty field")
    if "." not in text and "e" not in text and "E" not in text:
        return int(text)
    try:
        value = Decimal(text)
    except InvalidOperation:
        fail(f"invalid number {text[:40]!r}")
        raise
    if value.is_finite() and value.adjusted() > MAX_NUMBER_DIGITS:
        fail(f"the number {text[:40]} is beyond any PagerDuty field")
    if value == value.to_integral_value():
        return int(value)
    if value.adjusted() < -MAX_NUMBER_DIGITS:
        return 0.0
    return float(value)


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """The end of ``pattern`` (which also matches nothing) at ``pos``."""
    m = pattern.match(text, pos)
    return m.end() if m is not None else pos


class _Parser:
    def __init__(self, src: Source, start: int = 0, end: int | None = None) -> None:
        self.src = src
        self.text = src.text
        self.pos = start
        self.limit = len(self.text) if end is None else end
        self.depth = 0  # nesting of brackets: newlines are ignored when > 0
        self.levels = 0  # every kind of nesting, bounded by MAX_DEPTH

    # -- basics -------------------------------------------------------------------------------

    def fail(self, message: str, pos: int | None = None) -> NoReturn:
        raise HclSyntaxError(self.src, self.pos if pos is None else pos, message)

    def ws(self) -> None:
        self.pos = _skip(_WS_NL if self.depth else _WS, self.text, self.pos)

    def ws_nl(self) -> None:
        self.pos = _skip(_WS_NL, self.text, self.pos)

    def peek(self, s: str) -> bool:
        return self.text.startswith(s, self.pos)

    def expect(self, s: str) -> None:
        self.ws()
        if not self.text.startswith(s, self.pos):
            self.fail(f"expected {s!r}, found {self._found()}")
        self.pos += len(s)

    def _found(self) -> str:
        if self.pos >= self.limit:
            return "the end of the file"
        ch = self.text[self.pos]
        if ch == "\n":
            return "a new line"
        return ascii(ch)

    def enter(self) -> None:
        self.levels += 1
        if self.levels > MAX_DEPTH:
            self.fail(f"nested more than {MAX_DEPTH} levels deep")

    def leave(self) -> None:
        self.levels -= 1

    # -- bodies -------------------------------------------------------------------------------

    def body(self, block: Block | None, top: bool) -> tuple[dict[str, Attribute], list[Block]]:
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        text = self.text
        while True:
            self.ws_nl()
            if self.pos >= self.limit:
                if not top:
                    self.fail("a block is not closed with '}'")
                return attributes, blocks
            if text[self.pos] == "}":
                if top:
                    self.fail("unexpected '}'")
                self.pos += 1
                return attributes, blocks
            start = self.pos
            m = _IDENT.match(text, self.pos)
            if m is None:
                self.fail(f"expected an attribute or a block, found {self._found()}")
            name = m.group()
            self.pos = m.end()
            self.ws()
            if text.startswith("=", self.pos) and not text.startswith("==", self.pos):
                self.pos += 1
                expr = self.expression()
                if name in attributes:
                    first = attributes[name].line
                    self.fail(
                        f"the argument {name!r} is set twice (first on line {first}); "
                        "Terraform refuses this",
                        start,
                    )
                attributes[name] = Attribute(name, expr, self.src, start)
                self.ws()
                if self.pos < self.limit and text[self.pos] not in "\n}":
                    self.fail(f"expected a new line after the argument {name!r}")
                continue
            labels: list[str] = []
            while True:
                if text.startswith('"', self.pos):
                    labels.append(self.label())
                else:
                    lm = _IDENT.match(text, self.pos)
                    if lm is None:
                        break
                    labels.append(lm.group())
                    self.pos = lm.end()
                self.ws()
            if not text.startswith("{", self.pos):
                self.fail(f"expected '=' or a block after {name!r}, found {self._found()}")
            self.pos += 1
            child = Block(name, tuple(labels), self.src, start)
            self.enter()
            child.attributes, child.blocks = self.body(child, False)
            self.leave()
            blocks.append(child)

    def label(self) -> str:
        start = self.pos
        node = self.quoted()
        if isinstance(node, Lit) and isinstance(node.value, str):
            return node.value
        if isinstance(node, Template) and not node.parts:
            return ""
        self.fail("a block label cannot hold an interpolation", start)

    # -- expressions --------------------------------------------------------------------------

    def expression(self) -> Node:
        self.enter()
        self.ws()
        start = self.pos
        cond = self.binary(1)
        self.ws()
        if self.text.startswith("?", self.pos):
            self.pos += 1
            self.depth += 1  # a conditional may continue on the next lines
            then = self.expression()
            self.expect(":")
            self.depth -= 1
            else_ = self.expression()
            cond = Cond(cond, then, else_, self.src, start, self.pos)
        self.leave()
        return cond

    def binary(self, min_prec: int) -> Node:
        start = self.pos
        left = self.unary()
        text = self.text
        while True:
            self.ws()
            for op, prec in _BINARY:  # noqa: B007 - the loop finds the operator and its precedence
                if text.startswith(op, self.pos):
                    break
            else:
                return left
            if prec < min_prec:
                return left
            self.pos += len(op)
            self.depth += 1
            self.ws()
            self.depth -= 1
            right = self.binary(prec + 1)
            left = BinOp(op, left, right, self.src, start, self.pos)

    def unary(self) -> Node:
        self.ws()
        start = self.pos
        ch = self.text[self.pos : self.pos + 1]
        if ch in ("!", "-"):
            self.pos += 1
            self.enter()
            operand = self.unary()
            self.leave()
            return UnaryOp(ch, operand, self.src, start, self.pos)
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        text = self.text
        start = node.pos
        while True:
            save = self.pos
            self.ws()
            if text.startswith(".", self.pos) and not text.startswith("...", self.pos):
                self.pos += 1
                self.ws()
                if text.startswith("*", self.pos):
                    self.pos += 1
                    node = self.splat(node, full=False)
                    continue
                node = self.attr_step(node, start)
            elif text.startswith("[", self.pos):
                self.pos += 1
                self.depth += 1
                self.ws()
                if text.startswith("*", self.pos):
                    self.pos += 1
                    self.expect("]")
                    self.depth -= 1
                    node = self.splat(node, full=True)
                    continue
                key = self.expression()
                self.expect("]")
                self.depth -= 1
                node = Index(node, key, self.src, start, self.pos)
            else:
                self.pos = save
                return node

    def attr_step(self, node: Node, start: int) -> Node:
        m = _NUMBER.match(self.text, self.pos)
        if m is not None and m.group().isdigit():  # legacy index syntax: list.0
            at = m.start()
            number = parse_number(m.group(), lambda message: self.fail(message, at))
            self.pos = m.end()
            key = Lit(number, self.src, at, m.end())
            return Index(node, key, self.src, start, self.pos)
        m = _IDENT.match(self.text, self.pos)
        if m is None:
            self.fail(f"expected an attribute name after '.', found {self._found()}")
        self.pos = m.end()
        return GetAttr(node, m.group(), self.src, start, self.pos)

    def splat(self, obj: Node, full: bool) -> Node:
        text = self.text
        item: Node = SplatItem(self.src, self.pos, self.pos)
        each = item
        while True:
            save = self.pos
            self.ws()
            if text.startswith(".", self.pos) and not text.startswith("...", self.pos):
                self.pos += 1
                self.ws()
                if text.startswith("*", self.pos):
                    self.pos = save
                    break
                each = self.attr_step(each, item.pos)
            elif full and text.startswith("[", self.pos) and not text.startswith("[*", self.pos):
                self.pos += 1
                self.depth += 1
                key = self.expression()
                self.expect("]")
                self.depth -= 1
                each = Index(each, key, self.src, item.pos, self.pos)
            else:
                self.pos = save
                break
        return Splat(obj, each, self.src, obj.pos, self.pos)

    def primary(self) -> Node:
        text = self.text
        start = self.pos
        if self.pos >= self.limit:
            self.fail("expected an expression, found the end of the file")
        ch = text[self.pos]
        if ch in "0123456789":
            m = _NUMBER.match(text, self.pos)
            assert m is not None
            self.pos = m.end()
            return Lit(
                parse_number(m.group(), lambda msg: self.fail(msg, start)),
                self.src,
                start,
                self.pos,
            )
        if ch == '"':
            return self.quoted()
        if text.startswith("<<", self.pos):
            return self.heredoc()
        if ch == "(":
            self.pos += 1
            self.depth += 1
            inner = self.expression()
            self.expect(")")
            self.depth -= 1
            return Parens(inner, self.src, start, self.pos)
        if ch == "[":
            return self.tuple_or_for()
        if ch == "{":
            return self.object_or_for()
        m = _FUNC.match(text, self.pos)
        if m is not None:
            return self.call(m.group(), m.end())
        m = _IDENT.match(text, self.pos)
        if m is None:
            self.fail(f"expected an expression, found {self._found()}")
        self.pos = m.end()
        word = m.group()
        if word == "true":
            return Lit(True, self.src, start, self.pos)
        if word == "false":
            return Lit(False, self.src, start, self.pos)
        if word == "null":
            return Lit(None, self.src, start, self.pos)
        return Var(word, self.src, start, self.pos)

    def call(self, name: str, after: int) -> Node:
        start = self.pos
        self.pos = after
        self.ws()
        self.pos += 1  # "("
        self.depth += 1
        self.enter()
        args: list[Node] = []
        expand = False
        while True:
            self.ws()
            if self.text.startswith(")", self.pos):
                self.pos += 1
                break
            if expand:
                self.fail("'...' may only follow the last argument")
            args.append(self.expression())
            self.ws()
            if self.text.startswith("...", self.pos):
                self.pos += 3
                expand = True
                self.ws()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith(")", self.pos):
                self.fail(f"expected ',' or ')' in the call of {name}, found {self._found()}")
        self.leave()
        self.depth -= 1
        return Call(name, tuple(args), expand, self.src, start, self.pos)

    def _for_header(self) -> tuple[str | None, str, Node]:
        self.pos += 3  # "for"
        self.ws()
        m = _IDENT.match(self.text, self.pos)
        if m is None:
            self.fail("expected a variable name after 'for'")
        first = m.group()
        self.pos = m.end()
        self.ws()
        key: str | None = None
        value = first
        if self.text.startswith(",", self.pos):
            self.pos += 1
            self.ws()
            m = _IDENT.match(self.text, self.pos)
            if m is None:
                self.fail("expected a second variable name after ','")
            key, value = first, m.group()
            self.pos = m.end()
            self.ws()
        if not self.text.startswith("in", self.pos):
            self.fail(f"expected 'in' in the for expression, found {self._found()}")
        self.pos += 2
        coll = self.expression()
        self.expect(":")
        return key, value, coll

    def _is_for(self) -> bool:
        m = _IDENT.match(self.text, self.pos)
        return m is not None and m.group() == "for"

    def tuple_or_for(self) -> Node:
        start = self.pos
        self.pos += 1
        self.depth += 1
        self.enter()
        self.ws()
        if self._is_for():
            key, value, coll = self._for_header()
            expr = self.expression()
            cond = self._for_if()
            self.expect("]")
            node: Node = ForExpr(
                key, value, coll, None, expr, cond, False, self.src, start, self.pos
            )
        else:
            items: list[Node] = []
            while True:
                self.ws()
                if self.text.startswith("]", self.pos):
                    self.pos += 1
                    break
                items.append(self.expression())
                self.ws()
                if self.text.startswith(",", self.pos):
                    self.pos += 1
                elif not self.text.startswith("]", self.pos):
                    self.fail(f"expected ',' or ']' in a list, found {self._found()}")
            node = TupleCons(tuple(items), self.src, start, self.pos)
        self.leave()
        self.depth -= 1
        return node

    def _for_if(self) -> Node | None:
        self.ws()
        m = _IDENT.match(self.text, self.pos)
        if m is not None and m.group() == "if":
            self.pos = m.end()
            return self.expression()
        return None

    def object_or_for(self) -> Node:
        start = self.pos
        self.pos += 1
        self.depth += 1
        self.enter()
        self.ws()
        text = self.text
        if self._is_for():
            key, value, coll = self._for_header()
            key_expr = self.expression()
            self.expect("=>")
            value_expr = self.expression()
            self.ws()
            group = False
            if text.startswith("...", self.pos):
                self.pos += 3
                group = True
            cond = self._for_if()
            self.expect("}")
            node: Node = ForExpr(
                key, value, coll, key_expr, value_expr, cond, group, self.src, start, self.pos
            )
        else:
            items: list[tuple[Node, Node]] = []
            while True:
                self.ws()
                if text.startswith("}", self.pos):
                    self.pos += 1
                    break
                kstart = self.pos
                m = _IDENT.match(text, self.pos)
                k: Node
                if m is not None:
                    after = _skip(_WS, text, m.end())
                    if (text.startswith("=", after) and not text.startswith("==", after)) or (
                        text.startswith(":", after)
                    ):
                        word = m.group()
                        k = Lit(word, self.src, kstart, m.end())
                        self.pos = after
                    else:
                        k = self.expression()
                else:
                    k = self.expression()
                self.ws()
                if (
                    text.startswith("=", self.pos) and not text.startswith("==", self.pos)
                ) or text.startswith(":", self.pos):
                    self.pos += 1
                else:
                    self.fail(f"expected '=' or ':' after an object key, found {self._found()}")
                v = self.expression()
                items.append((k, v))
                self.ws()
                if text.startswith(",", self.pos):
                    self.pos += 1
            node = ObjectCons(tuple(items), self.src, start, self.pos)
        self.leave()
        self.depth -= 1
        return node

    # -- templates ----------------------------------------------------------------------------

    def quoted(self) -> Node:
        start = self.pos
        self.pos += 1
        parts = self.template_parts(quoted=True)
        return _template(parts, self.src, start, self.pos, self)

    def heredoc(self) -> Node:
        start = self.pos
        m = _HEREDOC_START.match(self.text, self.pos)
        if m is None:
            self.fail("a heredoc starts with <<ID or <<-ID and a new line")
        assert m is not None
        indent, marker = m.group(1) == "-", m.group(2)
        body_start = m.end()
        closing = re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*\r?$", re.M)
        c = closing.search(self.text, body_start)
        if c is None:
            self.fail(f"the heredoc {marker} is never closed")
        assert c is not None
        body_end = c.start()
        end = c.end()
        body = self.text[body_start:body_end]
        if indent:
            lines = body.split("\n")
            widths = [len(x) - len(x.lstrip(" \t")) for x in lines if x.strip()]
            cut = min(widths, default=0)
            body = "\n".join(x[cut:] for x in lines)
            sub = Source(self.src.name, self.text[:body_start] + body)
            parser = _Parser(sub, body_start)
        else:
            parser = _Parser(self.src, body_start, body_end)
        parser.levels = self.levels
        parts = parser.template_parts(quoted=False)
        self.pos = end
        return _template(parts, self.src, start, end, self)

    def template_parts(self, quoted: bool) -> list[Any]:
        """Flat parts: str, ("expr", node, strip_l, strip_r), ("if"/"else"/"endif"/"for"/
        "endfor", …, strip_l, strip_r). Ends past the closing quote (quoted) or at the limit."""
        text = self.text
        parts: list[Any] = []
        buf: list[str] = []
        chunk = _TEMPLATE_CHUNK if quoted else _HEREDOC_CHUNK
        while True:
            if self.pos >= self.limit:
                if quoted:
                    self.fail("a string is not closed with '\"'")
                break
            m = chunk.match(text, self.pos)
            if m is not None:
                buf.append(m.group())
                self.pos = m.end()
                continue
            ch = text[self.pos]
            if quoted and ch == '"':
                self.pos += 1
                break
            if quoted and ch == "\n":
                self.fail("a quoted string cannot span lines (use a heredoc, <<EOT)")
            if quoted and ch == "\\":
                nxt = text[self.pos + 1 : self.pos + 2]
                if nxt in _ESCAPES:
                    buf.append(_ESCAPES[nxt])
                    self.pos += 2
                    continue
                if nxt in ("u", "U"):
                    width = 4 if nxt == "u" else 8
                    digits = text[self.pos + 2 : self.pos + 2 + width]
                    if len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits):
                        code = int(digits, 16)
                        if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                            buf.append(chr(code))
                            self.pos += 2 + width
                            continue
                self.fail("invalid escape sequence in a string")
            if text.startswith("$${", self.pos) or text.startswith("%%{", self.pos):
                buf.append(text[self.pos + 1 : self.pos + 3])
                self.pos += 3
                continue
            if text.startswith("${", self.pos) or text.startswith("%{", self.pos):
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(self.template_item(ch == "%"))
                continue
            buf.append(ch)
            self.pos += 1
        if buf:
            parts.append("".join(buf))
        return parts

    def template_item(self, directive: bool) -> tuple[Any, ...]:
        self.pos += 2
        self.depth += 1
        self.enter()
        strip_l = False
        if self.text.startswith("~", self.pos):
            strip_l = True
            self.pos += 1
        self.ws()
        item: tuple[Any, ...]
        if not directive:
            item = ("expr", self.expression())
        else:
            m = _IDENT.match(self.text, self.pos)
            word = m.group() if m else ""
            if word == "if" and m is not None:
                self.pos = m.end()
                item = ("if", self.expression())
            elif word in ("else", "endif", "endfor") and m is not None:
                self.pos = m.end()
                item = (word,)
            elif word == "for":
                key, value, coll = self._for_header_directive()
                item = ("for", key, value, coll)
            else:
                self.fail("expected if, else, endif, for or endfor in a %{ } directive")
        self.ws()
        strip_r = False
        if self.text.startswith("~", self.pos):
            strip_r = True
            self.pos += 1
        self.ws()
        if not self.text.startswith("}", self.pos):
            self.fail(f"expected '}}' to close the template item, found {self._found()}")
        self.pos += 1
        self.leave()
        self.depth -= 1
        return (*item, strip_l, strip_r)

    def _for_header_directive(self) -> tuple[str | None, str, Node]:
        self.pos += 3
        self.ws()
        names = []
        while True:
            m = _IDENT.match(self.text, self.pos)
            if m is None:
                self.fail("expected a variable name in the for directive")
            assert m is not None
            names.append(m.group())
            self.pos = m.end()
            self.ws()
            if self.text.startswith(",", self.pos) and len(names) == 1:
                self.pos += 1
                self.ws()
                continue
            break
        if not self.text.startswith("in", self.pos):
            self.fail("expected 'in' in the for directive")
        self.pos += 2
        coll = self.expression()
        if len(names) == 2:
            return names[0], names[1], coll
        return None, names[0], coll


def _template(parts: list[Any], src: Source, start: int, end: int, parser: _Parser) -> Node:
    """Apply strip markers, nest directives, and simplify: no interpolation gives a Lit, a lone
    ``${expr}`` gives the expression itself (which keeps its type, as in Terraform)."""
    # strip markers
    for i, part in enumerate(parts):
        if isinstance(part, tuple):
            if part[-2] and i > 0 and isinstance(parts[i - 1], str):
                parts[i - 1] = parts[i - 1].rstrip()
            if part[-1] and i + 1 < len(parts) and isinstance(parts[i + 1], str):
                parts[i + 1] = parts[i + 1].lstrip()
    nodes, _ = _Nesting(parts, src, start, end, parser).build(())
    if not nodes:
        return Lit("", src, start, end)
    if len(nodes) == 1 and isinstance(nodes[0], str):
        return Lit(nodes[0], src, start, end)
    if (
        len(nodes) == 1
        and isinstance(nodes[0], Node)
        and not isinstance(nodes[0], (TemplateIf, TemplateFor))
    ):
        only: Node = nodes[0]
        return only
    return Template(tuple(nodes), src, start, end)


class _Nesting:
    """Nests a template's directives (``%{if}``, ``%{for}``) into nodes, reading ``parts`` from
    ``pos`` on. (A class rather than a nested function calling itself, which would be a
    reference cycle left for the cyclic collector.)"""

    def __init__(
        self, parts: list[Any], src: Source, start: int, end: int, parser: _Parser
    ) -> None:
        self.parts, self.src, self.start, self.end, self.parser = parts, src, start, end, parser
        self.pos = 0

    def build(self, stop: tuple[str, ...]) -> tuple[list[Any], str | None]:
        parts, src, start, end = self.parts, self.src, self.start, self.end
        out: list[Any] = []
        while self.pos < len(parts):
            part = parts[self.pos]
            self.pos += 1
            if isinstance(part, str):
                if part:
                    out.append(part)
                continue
            kind = part[0]
            if kind == "expr":
                out.append(part[1])
            elif kind in stop:
                return out, kind
            elif kind == "if":
                then, ended = self.build(("else", "endif"))
                else_: list[Any] | None = None
                if ended == "else":
                    else_, ended = self.build(("endif",))
                if ended != "endif":
                    self.parser.fail("an %{if} directive is not closed with %{endif}", start)
                out.append(
                    TemplateIf(
                        part[1],
                        Template(tuple(then), src, start, end),
                        Template(tuple(else_), src, start, end) if else_ is not None else None,
                        src,
                        start,
                        end,
                    )
                )
            elif kind == "for":
                body, ended = self.build(("endfor",))
                if ended != "endfor":
                    self.parser.fail("a %{for} directive is not closed with %{endfor}", start)
                out.append(
                    TemplateFor(
                        part[1],
                        part[2],
                        part[3],
                        Template(tuple(body), src, start, end),
                        src,
                        start,
                        end,
                    )
                )
            else:
                self.parser.fail(f"%{{{kind}}} without the directive it closes", start)
        return out, None


def parse_file(src: Source) -> list[Block]:
    """The top-level blocks of an HCL file; raises :class:`HclSyntaxError`."""
    parser = _Parser(src)
    attributes, blocks = parser.body(None, True)
    if attributes:
        first = min(attributes.values(), key=lambda a: a.pos)
        parser.fail(
            f"an argument ({first.name!r}) outside any block; Terraform files hold only blocks "
            "at the top level",
            first.pos,
        )
    return blocks


def parse_attributes(src: Source) -> dict[str, Attribute]:
    """The ``name = value`` lines of a variable definitions file (``.tfvars``)."""
    parser = _Parser(src)
    attributes, blocks = parser.body(None, True)
    if blocks:
        parser.fail(
            "a variable definitions file holds only assignments such as name = value, not blocks",
            blocks[0].pos,
        )
    return attributes


def parse_expression(src: Source) -> Node:
    """One expression filling the whole text (a ``-var`` value, a ``.tf.json`` string)."""
    parser = _Parser(src)
    parser.depth = 1
    node = parser.expression()
    parser.ws_nl()
    if parser.pos < parser.limit:
        parser.fail(f"unexpected {parser._found()} after the expression")
    return node


def parse_template(src: Source) -> Node:
    """The whole text as a template (a string in Terraform JSON syntax)."""
    parser = _Parser(src)
    parts = parser.template_parts(quoted=False)
    return _template(parts, src, 0, len(src.text), parser)
