"""A small, closed subset of Terraform's expression language: parsed, never executed.

The importer understands literals, lists, objects, string templates with ``${...}``
interpolation, and references (``var.x``, ``local.y``, ``pagerduty_user.alice.id``, ``data.…``)
with attribute and index steps. Anything else (function calls, operators, conditionals, ``for``
expressions, splats, template directives) becomes :class:`Unsupported`, which the importer reports
with its location instead of guessing a value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import attrs


@attrs.frozen
class Literal:
    value: str | int | float | bool | None


@attrs.frozen
class ListExpr:
    items: tuple[Any, ...]


@attrs.frozen
class ObjectExpr:
    pairs: tuple[tuple[str, Any], ...]


@attrs.frozen
class Template:
    """A string with interpolations: parts are ``str`` or expressions."""

    parts: tuple[Any, ...]


@attrs.frozen
class Reference:
    """``root.step.step[index]``: steps are attribute names (str) or index expressions."""

    root: str
    steps: tuple[Any, ...]

    def text(self) -> str:
        out = self.root
        for step in self.steps:
            if isinstance(step, str):
                out += f".{step}"
            elif isinstance(step, Literal):
                out += f"[{step.value!r}]" if isinstance(step.value, str) else f"[{step.value}]"
            else:
                out += "[…]"
        return out


@attrs.frozen
class Unsupported:
    """An expression the importer does not evaluate; ``what`` says which kind, ``text`` shows it."""

    what: str
    text: str


Expr = Literal | ListExpr | ObjectExpr | Template | Reference | Unsupported


# ---------------------------------------------------------------------------------------------
# Templates ("...${expr}...") and the expressions inside them
# ---------------------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _skip_string(text: str, i: int) -> int:
    """Index just past the closing quote of the string literal starting at ``text[i] == '"'``."""
    i += 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            return i + 1
        if text.startswith("${", i):
            i = _skip_braces(text, i + 1)
            continue
        i += 1
    return len(text) + 1  # unterminated


def _skip_braces(text: str, i: int) -> int:
    """Index just past the ``}`` matching the ``{`` at ``text[i]``; beyond the end if none."""
    depth = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i = _skip_string(text, i)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text) + 1


def parse_template(text: str, *, escapes: bool) -> Expr:
    """A string's content (without its quotes) as a Literal (no interpolation) or a Template.

    ``escapes`` says whether backslash escapes are still to be decoded (HCL quoted strings: yes;
    JSON strings and heredocs: no).
    """
    parts: list[Any] = []
    buf: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if escapes and ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ESCAPES:
                buf.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt in "uU":
                width = 4 if nxt == "u" else 8
                digits = text[i + 2 : i + 2 + width]
                if len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits):
                    buf.append(chr(int(digits, 16)))
                    i += 2 + width
                    continue
            buf.append(ch)
            i += 1
            continue
        if text.startswith("$${", i) or text.startswith("%%{", i):
            buf.append(text[i + 1 : i + 3])
            i += 3
            continue
        if text.startswith("${", i):
            end = _skip_braces(text, i + 1)
            if end > len(text):
                return Unsupported("unterminated interpolation", text)
            if buf:
                parts.append("".join(buf))
                buf = []
            inner = text[i + 2 : end - 1].strip().strip("~").strip()
            parts.append(parse_expression(inner))
            i = end
            continue
        if text.startswith("%{", i):
            return Unsupported("template directive (%{...})", text)
        buf.append(ch)
        i += 1
    if buf:
        parts.append("".join(buf))
    if not parts:
        return Literal("")
    if len(parts) == 1 and isinstance(parts[0], str):
        return Literal(parts[0])
    if len(parts) == 1:
        only: Expr = parts[0]  # "${expr}" alone keeps the expression's own type
        return only
    return Template(tuple(parts))


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
      | (?P<punct>\.\.\.|[\[\]{}(),.:=*])
      | (?P<string>")
      | (?P<other>\S)
    )""",
    re.VERBOSE,
)


class _StopError(Exception):
    def __init__(self, what: str) -> None:
        self.what = what


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        i = 0
        while i < len(text):
            m = _TOKEN.match(text, i)
            if m is None:  # only trailing whitespace is left
                break
            kind = m.lastgroup or "other"
            if kind == "string":
                start = m.start("string")
                end = _skip_string(text, start)
                if end > len(text):
                    raise _StopError("unterminated string")
                self.tokens.append(("string", text[start + 1 : end - 1]))
                i = end
                continue
            self.tokens.append((kind, m.group(kind)))
            i = m.end()
        self.pos = 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        j = self.pos + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise _StopError("incomplete expression")
        self.pos += 1
        return token

    def expect(self, value: str) -> None:
        token = self.take()
        if token[1] != value:
            raise _StopError(_operator_kind(token[1]))

    def expression(self) -> Expr:
        kind, value = self.take()
        expr: Expr
        if kind == "number":
            number = float(value) if any(c in value for c in ".eE") else int(value)
            expr = Literal(number)
        elif kind == "string":
            expr = parse_template(value, escapes=True)
        elif kind == "ident":
            nxt = self.peek()
            if nxt is not None and nxt[1] == "(":
                raise _StopError(f"function call {value}(...)")
            if value == "for":
                raise _StopError("for expression")
            if value in ("true", "false"):
                expr = Literal(value == "true")
            elif value == "null":
                expr = Literal(None)
            else:
                expr = self.steps(value)
        elif value == "[":
            expr = self.list_expr()
        elif value == "{":
            expr = self.object_expr()
        elif value == "(":
            expr = self.expression()
            self.expect(")")
        else:
            raise _StopError(_operator_kind(value))
        return expr

    def steps(self, root: str) -> Reference:
        steps: list[Any] = []
        while True:
            token = self.peek()
            if token is None:
                break
            if token[1] == ".":
                self.pos += 1
                kind, name = self.take()
                if kind == "ident":
                    steps.append(name)
                elif kind == "number" and name.isdigit():
                    steps.append(Literal(int(name)))
                else:
                    raise _StopError("splat expression" if name == "*" else "computed expression")
            elif token[1] == "[":
                self.pos += 1
                if (self.peek() or ("", ""))[1] == "*":
                    raise _StopError("splat expression")
                steps.append(self.expression())
                self.expect("]")
            else:
                break
        return Reference(root, tuple(steps))

    def list_expr(self) -> ListExpr:
        items: list[Any] = []
        if (self.peek() or ("", ""))[1] == "for":
            raise _StopError("for expression")
        while (self.peek() or ("", ""))[1] != "]":
            items.append(self.expression())
            if (self.peek() or ("", ""))[1] == ",":
                self.pos += 1
            elif (self.peek() or ("", ""))[1] != "]":
                raise _StopError(_operator_kind((self.peek() or ("", ""))[1]))
        self.pos += 1
        return ListExpr(tuple(items))

    def object_expr(self) -> ObjectExpr:
        pairs: list[tuple[str, Any]] = []
        if (self.peek() or ("", ""))[1] == "for":
            raise _StopError("for expression")
        while (self.peek() or ("", ""))[1] != "}":
            kind, key = self.take()
            if kind not in ("ident", "string"):
                raise _StopError("computed object key")
            sep = self.take()[1]
            if sep not in ("=", ":"):
                raise _StopError(_operator_kind(sep))
            pairs.append((key, self.expression()))
            if (self.peek() or ("", ""))[1] == ",":
                self.pos += 1
        self.pos += 1
        return ObjectExpr(tuple(pairs))


def _operator_kind(token: str) -> str:
    if token in ("?", ":"):
        return "conditional expression"
    if token in ("+", "-", "*", "/", "%", "!", "<", ">", "=", "&", "|"):
        return f"operator {token!r}"
    return f"computed expression (at {token!r})" if token else "incomplete expression"


def parse_expression(text: str) -> Expr:
    """Parse one expression (the inside of ``${...}``); unsupported forms give ``Unsupported``."""
    try:
        parser = _Parser(text)
        expr = parser.expression()
        rest = parser.peek()
        if rest is not None:
            raise _StopError(_operator_kind(rest[1]))
        return expr
    except _StopError as stop:
        return Unsupported(stop.what, text)


# ---------------------------------------------------------------------------------------------
# Converting parsed HCL (python-hcl2) and JSON values to expressions
# ---------------------------------------------------------------------------------------------


def _heredoc(text: str) -> Expr:
    """``<<EOT\\n...\\nEOT`` or ``<<-EOT`` (indented) as a template."""
    first, _, rest = text.partition("\n")
    lines = rest.split("\n")
    body = lines[:-1] if lines and lines[-1].strip() == first.lstrip("<-").strip() else lines
    if first.startswith("<<-"):
        indents = [len(line) - len(line.lstrip()) for line in body if line.strip()]
        cut = min(indents, default=0)
        body = [line[cut:] for line in body]
    return parse_template("\n".join(body) + "\n" if body else "", escapes=False)


def from_hcl(value: Any) -> Expr:
    """A value as python-hcl2 serialises it (quoted strings, ``${...}`` expressions)."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return Literal(value)
    if isinstance(value, str):
        if value.startswith('"<<') and value.endswith('"'):
            return _heredoc(value[1:-1])
        if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
            return parse_template(value[1:-1], escapes=True)
        if value.startswith("${") and value.endswith("}"):
            return parse_expression(value[2:-1])
        return parse_expression(value)
    if isinstance(value, list):
        return ListExpr(tuple(from_hcl(item) for item in value))
    if isinstance(value, dict):
        return ObjectExpr(tuple((_unquote(str(k)), from_hcl(v)) for k, v in value.items()))
    return Unsupported("value of an unknown kind", repr(value))


def _unquote(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key.startswith('"') and key.endswith('"') else key


def from_json(value: Any) -> Expr:
    """A value from Terraform JSON syntax: strings are templates, the rest literal."""
    if isinstance(value, str):
        return parse_template(value, escapes=False)
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return Literal(value)
    if isinstance(value, list):
        return ListExpr(tuple(from_json(item) for item in value))
    if isinstance(value, dict):
        return ObjectExpr(tuple((str(k), from_json(v)) for k, v in value.items()))
    return Unsupported("value of an unknown kind", repr(value))


def source_text(expr: Expr) -> str:
    """A short rendering of an expression for messages."""
    if isinstance(expr, Unsupported):
        return expr.text
    if isinstance(expr, Reference):
        return expr.text()
    if isinstance(expr, Literal):
        return repr(expr.value)
    if isinstance(expr, Template):
        return (
            '"'
            + "".join(p if isinstance(p, str) else "${" + source_text(p) + "}" for p in expr.parts)
            + '"'
        )
    if isinstance(expr, ListExpr):
        return "[" + ", ".join(source_text(i) for i in expr.items) + "]"
    return "{" + ", ".join(f"{k} = {source_text(v)}" for k, v in expr.pairs) + "}"


def references(expr: Expr) -> Sequence[Reference]:
    """Every reference inside an expression (for messages)."""
    out: list[Reference] = []
    if isinstance(expr, Reference):
        out.append(expr)
    elif isinstance(expr, Template):
        for part in expr.parts:
            if not isinstance(part, str):
                out.extend(references(part))
    elif isinstance(expr, ListExpr):
        for item in expr.items:
            out.extend(references(item))
    elif isinstance(expr, ObjectExpr):
        for _, item in expr.pairs:
            out.extend(references(item))
    return out
