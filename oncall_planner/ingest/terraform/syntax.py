"""The shapes every Terraform input is read into: files, blocks, attributes and expressions.

HCL (``.tf``), Terraform JSON (``.tf.json``) and variable files all become the same nodes, so
the evaluator has one language to understand. Nodes keep where they are written (a file and an
offset, turned into a line only when a message needs it) and are never changed once built.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate
from typing import Any

#: The deepest nesting of brackets, blocks or templates any reader accepts. Real configurations
#: stay far below it; deeper input is refused with a message instead of exhausting the stack.
MAX_DEPTH = 64
#: The most characters one number may have; Terraform has arbitrary precision, PagerDuty's
#: fields do not, and a 5,000-digit number is never a schedule.
MAX_NUMBER_DIGITS = 400


def clipped(value: str, width: int = 60) -> str:
    """``value`` quoted and escaped for a message, its first ``width`` characters only when it is
    longer (with how long it is): a 5,000-character path must not become a 5,000-character line."""
    if len(value) <= width:
        return ascii(value)
    return f"{value[:width]!a}… ({len(value):,} characters)"


#: Source.line counts newlines per chunk of this many characters (a power of two).
_CHUNK_BITS = 9


class Source:
    """One file's text, with the number of newlines before each chunk of it, for turning
    offsets into line numbers."""

    __slots__ = ("_before", "name", "text")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self._before: list[int] | None = None

    def line(self, pos: int) -> int:
        """The line (from 1) holding offset ``pos``: the newlines before its 512-character chunk,
        then those of the chunk before ``pos``, all counted in C. A table of every line start
        took longer to build (a split into 100,000 strings) than the lines an import asks for."""
        text = self.text
        before = self._before
        if before is None:
            count, size = text.count, 1 << _CHUNK_BITS
            chunks = (count("\n", i, i + size) for i in range(0, len(text), size))
            before = self._before = list(accumulate(chunks, initial=0))
        pos = min(max(pos, 0), len(text))
        chunk = pos >> _CHUNK_BITS
        return before[chunk] + text.count("\n", chunk << _CHUNK_BITS, pos) + 1

    def lines(self, positions: list[int]) -> list[int]:
        """:meth:`line` of each of ``positions``, in one pass over the text in offset order (for
        many offsets at once: the newlines between neighbours counted in C)."""
        text = self.text
        size = len(text)
        count = text.count
        out = [0] * len(positions)
        line, prev = 1, 0
        for i in sorted(range(len(positions)), key=positions.__getitem__):
            pos = min(max(positions[i], 0), size)
            line += count("\n", prev, pos)
            prev = pos
            out[i] = line
        return out

    def excerpt(self, pos: int, width: int = 60) -> str:
        """The line holding ``pos``, cut to ``width`` characters and escaped (control characters
        and quotes shown as escapes), for messages that must not echo a file at length."""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        line = self.text[start : end if end >= 0 else len(self.text)].strip()
        cut = line[:width] + ("…" if len(line) > width else "")
        return ascii(cut)


class Node:
    """An expression; ``src``/``pos``/``end`` say where it is written."""

    __slots__ = ("end", "pos", "src")

    def __init__(self, src: Source | None, pos: int, end: int) -> None:
        self.src = src
        self.pos = pos
        self.end = end

    def text(self, width: int = 120) -> str:
        """The expression as written (shortened), for messages."""
        if self.src is None:
            return "<value>"
        raw = " ".join(self.src.text[self.pos : self.end].split())
        return raw if len(raw) <= width else raw[: width - 1] + "…"

    def where(self) -> str:
        if self.src is None:
            return "<input>"
        return f"{self.src.name}:{self.src.line(self.pos)}"


class Lit(Node):
    __slots__ = ("value",)

    def __init__(self, value: Any, src: Source | None = None, pos: int = 0, end: int = 0) -> None:
        # Node.__init__ written out: literals are the most common node by far.
        self.src, self.pos, self.end = src, pos, end
        self.value = value


class Template(Node):
    """A string with interpolations and directives: ``parts`` are str or nodes."""

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[Any, ...], src: Source | None, pos: int, end: int) -> None:
        super().__init__(src, pos, end)
        self.parts = parts


class TemplateIf(Node):
    __slots__ = ("cond", "else_", "then")

    def __init__(
        self, cond: Node, then: Template, else_: Template | None, src: Source, pos: int, end: int
    ) -> None:
        super().__init__(src, pos, end)
        self.cond, self.then, self.else_ = cond, then, else_


class TemplateFor(Node):
    __slots__ = ("body", "coll", "key", "value")

    def __init__(
        self,
        key: str | None,
        value: str,
        coll: Node,
        body: Template,
        src: Source,
        pos: int,
        end: int,
    ) -> None:
        super().__init__(src, pos, end)
        self.key, self.value, self.coll, self.body = key, value, coll, body


class Var(Node):
    """The root of a traversal: ``var``, ``local``, ``each``, a resource type, a loop variable."""

    __slots__ = ("name",)

    def __init__(self, name: str, src: Source | None, pos: int, end: int) -> None:
        super().__init__(src, pos, end)
        self.name = name


class GetAttr(Node):
    __slots__ = ("name", "obj")

    def __init__(self, obj: Node, name: str, src: Source | None, pos: int, end: int) -> None:
        super().__init__(src, pos, end)
        self.obj, self.name = obj, name


class Traversal(Node):
    """``a.b.c``, a name and attribute names: what ``Var`` and ``GetAttr`` nodes nested would
    say, in one node. Terraform JSON's ``"${data.pagerduty_user.x.id}"`` is read into it
    without the template parser."""

    __slots__ = ("key", "names", "path", "root")

    def __init__(
        self,
        path: tuple[str, ...],
        src: Source | None,
        pos: int,
        end: int,
        key: str | None = None,
    ) -> None:
        self.src, self.pos, self.end = src, pos, end
        #: ``("a", "b", "c")``: the name, then the attribute names.
        self.path = path
        self.root, self.names = path[0], path[1:]
        #: ``"a.b.c"``: what the evaluator remembers the value under (a string keeps its hash,
        #: a tuple computes it again at every lookup). Readers pass it when they have it.
        self.key = key if key is not None else ".".join(path)


class Index(Node):
    __slots__ = ("key", "obj")

    def __init__(self, obj: Node, key: Node, src: Source | None, pos: int, end: int) -> None:
        super().__init__(src, pos, end)
        self.obj, self.key = obj, key


class Splat(Node):
    """``obj.*.a`` or ``obj[*].a[0]``: ``each`` is applied to every element, written on the
    placeholder :class:`SplatItem`."""

    __slots__ = ("each", "obj")

    def __init__(self, obj: Node, each: Node, src: Source | None, pos: int, end: int) -> None:
        super().__init__(src, pos, end)
        self.obj, self.each = obj, each


class SplatItem(Node):
    """The element a splat is applied to (the start of ``Splat.each``)."""

    __slots__ = ()


class Call(Node):
    __slots__ = ("args", "expand", "name")

    def __init__(
        self, name: str, args: tuple[Node, ...], expand: bool, src: Source, pos: int, end: int
    ) -> None:
        super().__init__(src, pos, end)
        self.name, self.args, self.expand = name, args, expand


class Cond(Node):
    __slots__ = ("cond", "else_", "then")

    def __init__(
        self, cond: Node, then: Node, else_: Node, src: Source, pos: int, end: int
    ) -> None:
        super().__init__(src, pos, end)
        self.cond, self.then, self.else_ = cond, then, else_


class BinOp(Node):
    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left: Node, right: Node, src: Source, pos: int, end: int) -> None:
        super().__init__(src, pos, end)
        self.op, self.left, self.right = op, left, right


class UnaryOp(Node):
    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: Node, src: Source, pos: int, end: int) -> None:
        super().__init__(src, pos, end)
        self.op, self.operand = op, operand


class TupleCons(Node):
    __slots__ = ("items",)

    def __init__(self, items: tuple[Node, ...], src: Source | None, pos: int, end: int) -> None:
        super().__init__(src, pos, end)
        self.items = items


class ObjectCons(Node):
    """``{ key = value }``: a key is a node; a bare identifier key is a :class:`Lit` string."""

    __slots__ = ("items",)

    def __init__(
        self, items: tuple[tuple[Node, Node], ...], src: Source | None, pos: int, end: int
    ) -> None:
        super().__init__(src, pos, end)
        self.items = items


class ForExpr(Node):
    __slots__ = ("coll", "cond", "group", "key_expr", "key_var", "value_expr", "value_var")

    def __init__(
        self,
        key_var: str | None,
        value_var: str,
        coll: Node,
        key_expr: Node | None,
        value_expr: Node,
        cond: Node | None,
        group: bool,
        src: Source,
        pos: int,
        end: int,
    ) -> None:
        super().__init__(src, pos, end)
        self.key_var, self.value_var, self.coll = key_var, value_var, coll
        self.key_expr, self.value_expr, self.cond, self.group = key_expr, value_expr, cond, group


class Parens(Node):
    """``( expr )``: kept only where parentheses change meaning (an object key)."""

    __slots__ = ("inner",)

    def __init__(self, inner: Node, src: Source, pos: int, end: int) -> None:
        super().__init__(src, pos, end)
        self.inner = inner


class Attribute:
    __slots__ = ("expr", "name", "pos", "src")

    def __init__(self, name: str, expr: Node, src: Source, pos: int) -> None:
        self.name, self.expr, self.src, self.pos = name, expr, src, pos

    @property
    def line(self) -> int:
        return self.src.line(self.pos)

    def where(self) -> str:
        return f"{self.src.name}:{self.line}"


class Block:
    """``type "label" … { attributes; blocks }``."""

    __slots__ = ("attributes", "blocks", "labels", "pos", "src", "type")

    def __init__(self, type_: str, labels: tuple[str, ...], src: Source, pos: int) -> None:
        self.type = type_
        self.labels = labels
        self.src = src
        self.pos = pos
        self.attributes: dict[str, Attribute] = {}
        self.blocks: list[Block] = []

    @property
    def line(self) -> int:
        return self.src.line(self.pos)

    def where(self) -> str:
        return f"{self.src.name}:{self.line}"

    def nested(self, type_: str) -> Iterator[Block]:
        return (b for b in self.blocks if b.type == type_)


Expr = Node
