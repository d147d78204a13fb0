"""The values the evaluator computes, and the limits that keep evaluation bounded.

Terraform's values map onto Python's: strings, numbers (``int`` when whole, else ``float``),
booleans, ``None`` for null, ``list`` for lists and tuples, ``dict`` for maps and objects, and
:class:`TfSet` for sets. Three kinds are the importer's own:

* :class:`Unknown` — a value only ``terraform plan`` or PagerDuty could know (a computed
  attribute, ``timestamp()``, a variable nobody gave, a remote module's output). It carries the
  reason, with ``file:line`` and the expression, and taints whatever is computed from it.
* :class:`Ref` — the ID of an object: PagerDuty assigns it, so only the object it names is known.
* :class:`Lazy` — a namespace (``var``, ``local``, ``module.x``, ``pagerduty_user.x``) whose
  members are evaluated when first read, each exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from oncall_planner.errors import InputReadError

#: The longest string any expression may build, in characters.
MAX_STRING = 1_000_000
#: The most elements one list, set, map or object may hold.
MAX_ITEMS = 200_000
#: The most expression nodes one import may evaluate: a bound on time, far above what the
#: largest real configurations need (a 3,000-team organisation takes about two million).
MAX_STEPS = 30_000_000


class EvalError(Exception):
    """Terraform itself would refuse this expression (a type error, a missing key, …)."""

    def __init__(self, message: str, where: str = "", fatal: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        #: Wrong whatever the values are (an undeclared variable or local): refuse the import.
        self.fatal = fatal

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class OpaqueOrderError(Exception):
    """Iterating a map whose keys hold IDs: the order depends on IDs only PagerDuty knows."""


class TooLargeError(InputReadError):
    """A value or an evaluation beyond the importer's limits (refused, with where and why)."""


class Unknown:
    """A value that cannot be known without Terraform and PagerDuty; ``reason`` says why."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"


class Ref:
    """The ID of a resource or data source instance (``address``); ``target`` is the object
    the importer can build from it, or ``None`` when the ID names something outside."""

    __slots__ = ("address", "target")

    def __init__(self, address: str, target: Any) -> None:
        self.address = address
        self.target = target

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and other.address == self.address

    def __hash__(self) -> int:
        return hash(("Ref", self.address))

    def __repr__(self) -> str:
        return f"Ref({self.address})"


class TfSet:
    """A Terraform set: unique elements in Terraform's order (strings sorted)."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        unique: dict[Any, Any] = {}
        for item in items:
            unique.setdefault(_key(item), item)
        values = list(unique.values())
        if all(isinstance(v, str) for v in values) or all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
        ):
            values.sort()
        self.items = values

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TfSet) and {_key(i) for i in self.items} == {
            _key(i) for i in other.items
        }

    def __hash__(self) -> int:
        return hash(frozenset(_key(i) for i in self.items))

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"TfSet({self.items!r})"


def _key(value: Any) -> Any:
    """A hashable stand-in for a value, equal where Terraform's equality says equal."""
    if isinstance(value, list):
        return ("list", tuple(_key(v) for v in value))
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, _key(v)) for k, v in value.items())))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, Lazy):
        return ("lazy", id(value))
    if isinstance(value, Unknown):
        return ("unknown", id(value))
    return value


class Lazy:
    """A namespace or object whose members are computed on first access, each once."""

    __slots__ = ("_cache", "_compute", "_names", "_nameset", "label")

    def __init__(
        self, label: str, names: Callable[[], list[str]], compute: Callable[[str], Any]
    ) -> None:
        self.label = label
        self._names = names
        self._compute = compute
        self._cache: dict[str, Any] = {}
        self._nameset: frozenset[str] | None = None

    def has(self, name: str) -> bool:
        if name in self._cache:
            return True
        if self._nameset is None:
            self._nameset = frozenset(self._names())
        return name in self._nameset

    def names(self) -> list[str]:
        return self._names()

    def get(self, name: str) -> Any:
        if name in self._cache:
            return self._cache[name]
        value = self._compute(name)
        self._cache[name] = value
        return value

    def materialise(self) -> dict[str, Any]:
        return {name: self.get(name) for name in self.names()}

    def __repr__(self) -> str:
        return f"Lazy({self.label})"


#: How the ID of an object is written where only its identity matters: a map key in a ``for``
#: expression or ``for_each`` built from IDs (``"${u}" => …`` over user IDs). Instances can be
#: told apart by it, but nothing is ever ordered by it or shown as text: iterating such a map is
#: unknown (the order depends on IDs only PagerDuty knows), and builders refuse strings holding it.
ID_MARK = "\x00ID("


def id_key(ref: Ref) -> str:
    return f"{ID_MARK}{ref.address})\x00"


def has_id_key(value: Any) -> bool:
    if isinstance(value, str):
        return ID_MARK in value
    if isinstance(value, dict):
        return any(ID_MARK in k for k in value)
    return False


def readable(text: str) -> str:
    """``text`` with ID marks shown as ``<ID of address>``."""
    import re

    return re.sub(r"\x00ID\((.*?)\)\x00", r"<ID of \1>", text)


def type_name(value: Any) -> str:
    """How Terraform names the type of ``value`` in its messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, TfSet):
        return "set"
    if isinstance(value, (dict, Lazy)):
        return "object"
    if isinstance(value, Ref):
        return "string (an ID)"
    return "unknown"


def describe(value: Any) -> str:
    """A short description of a value for messages, never longer than about 80 characters."""
    if isinstance(value, Ref):
        return f"the ID of {value.address}"
    if isinstance(value, Unknown):
        return "an unknown value"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        text = format_number(value)
        return f"the number {text if len(text) <= 30 else text[:27] + '…'}"
    if isinstance(value, str):
        return f"the string {value[:60]!a}" + ("…" if len(value) > 60 else "")
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, TfSet):
        return f"a set of {len(value)}"
    return "an object"


def format_number(value: int | float) -> str:
    """A number as Terraform writes it in a string: ``5``, ``1.5``, ``1e+30`` never for a whole
    number that fits."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(value)


def normal_number(value: int | float) -> int | float:
    """Whole floats become ints, so ``10 / 2`` is ``5`` as in Terraform."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e300:
        return int(value)
    return value


def check_string(value: str, where: str) -> str:
    if len(value) > MAX_STRING:
        raise TooLargeError(
            f"{where}: a string of more than {MAX_STRING:,} characters is beyond what the "
            "importer builds (no PagerDuty field is that long)"
        )
    return value


def check_items(count: int, where: str) -> None:
    if count > MAX_ITEMS:
        raise TooLargeError(
            f"{where}: a collection of more than {MAX_ITEMS:,} elements is beyond what the "
            "importer builds"
        )


def iterate(value: Any) -> list[tuple[Any, Any]]:
    """``(key, value)`` pairs as a ``for`` expression sees them: indices for lists, the element
    for sets, keys in lexical order for maps and objects."""
    if isinstance(value, list):
        return list(enumerate(value))
    if isinstance(value, TfSet):
        return [(v, v) for v in value.items]
    if isinstance(value, dict):
        if any(ID_MARK in k for k in value):
            raise OpaqueOrderError()
        return [(k, value[k]) for k in sorted(value)]
    if isinstance(value, Lazy):
        return [(k, value.get(k)) for k in sorted(value.names())]
    raise EvalError(f"cannot iterate over {describe(value)}")
