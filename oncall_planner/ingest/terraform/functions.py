"""Terraform's built-in functions, as far as they are knowable without running anything.

Each function takes the evaluated arguments, the call node (for messages) and the evaluator.
Functions whose result depends on the clock, randomness or the machine (``timestamp``,
``uuid``, ``plantimestamp``, ``abspath``…) return :class:`~.values.Unknown`; ``file``,
``templatefile``, ``fileexists`` and ``fileset`` read only inside the calling module's own
folder, through the reader the importer gives them (:data:`FileReader`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Callable
from typing import Any

from oncall_planner.ingest.terraform.syntax import Call, Node
from oncall_planner.ingest.terraform.values import (
    EvalError,
    Lazy,
    Ref,
    TfSet,
    Unknown,
    check_items,
    check_string,
    describe,
    format_number,
    has_id_key,
    iterate,
    normal_number,
)

Function = Callable[[list[Any], Call, Any], Any]
FUNCTIONS: dict[str, Function] = {}

#: Functions that look at the shape of a collection, never at the text of an element, so an
#: unknown element or an ID inside does not make their result unknown.
_STRUCTURAL = frozenset(
    {
        "length", "keys", "values", "element", "lookup", "concat", "flatten", "merge",
        "tolist", "toset", "tomap", "coalesce", "coalescelist", "slice", "reverse",
        "distinct", "contains", "one", "compact", "setunion", "index", "zipmap",
        "chunklist", "setproduct", "transpose", "alltrue", "anytrue", "matchkeys",
        "setintersection", "setsubtract", "sensitive", "nonsensitive", "type",
    }
)  # fmt: skip


def register(*names: str) -> Callable[[Function], Function]:
    def wrap(func: Function) -> Function:
        for name in names:
            FUNCTIONS[name] = _guard(name, func)
        return func

    return wrap


def _scan(value: Any, seen: set[int]) -> Unknown | Ref | None:
    if isinstance(value, (Unknown, Ref)):
        return value
    if isinstance(value, (list, dict, TfSet)):
        if id(value) in seen:
            return None
        seen.add(id(value))
        for item in value.values() if isinstance(value, dict) else value:
            found = _scan(item, seen)
            if found is not None:
                return found
    return None


def _guard(name: str, func: Function) -> Function:
    def call(args: list[Any], node: Call, ev: Any) -> Any:
        if name in _STRUCTURAL:
            for arg in args:
                if isinstance(arg, Unknown):
                    return arg
        else:
            seen: set[int] = set()
            for arg in args:
                found = _scan(arg, seen)
                if isinstance(found, Unknown):
                    return found
                if isinstance(found, Ref):
                    return Unknown(
                        f"{node.where()}: `{node.text()}` needs the ID of {found.address}, "
                        "which only PagerDuty knows"
                    )
        args = [a.materialise() if isinstance(a, Lazy) else a for a in args]
        try:
            return func(args, node, ev)
        except EvalError:
            raise
        except (ValueError, TypeError, IndexError, KeyError, OverflowError, re.error) as exc:
            raise EvalError(f"{name}(): {str(exc).splitlines()[0][:120]}", node.where()) from None

    return call


def _arity(args: list[Any], node: Call, low: int, high: int | None = None) -> None:
    high = low if high is None else high
    if not low <= len(args) <= (high if high >= 0 else len(args)):
        want = f"{low}" if low == high else f"{low} to {high}" if high >= 0 else f"at least {low}"
        raise EvalError(f"{node.name}() takes {want} argument(s), got {len(args)}", node.where())


def _str(value: Any, node: Node, what: str = "argument") -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    raise EvalError(f"the {what} must be a string, got {describe(value)}", node.where())


def _num(value: Any, node: Node) -> int | float:
    if isinstance(value, bool):
        raise EvalError("a number is required, got a boolean", node.where())
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return (
                normal_number(float(value))
                if not value.strip().lstrip("+-").isdigit()
                else int(value)
            )
        except ValueError:
            pass
    raise EvalError(f"a number is required, got {describe(value)}", node.where())


def _int(value: Any, node: Node) -> int:
    n = _num(value, node)
    if isinstance(n, float) and not n.is_integer():
        raise EvalError(f"a whole number is required, got {n}", node.where())
    return int(n)


def _list(value: Any, node: Node) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, TfSet):
        return list(value.items)
    raise EvalError(f"a list is required, got {describe(value)}", node.where())


def _map(value: Any, node: Node) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise EvalError(f"a map or object is required, got {describe(value)}", node.where())


def _out_str(value: str, node: Node) -> str:
    return check_string(value, node.where())


def _out_list(value: list[Any], node: Node) -> list[Any]:
    check_items(len(value), node.where())
    return value


# -- numbers ------------------------------------------------------------------------------------


@register("abs")
def _abs(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return abs(_num(a[0], n))


@register("ceil")
def _ceil(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return math.ceil(_num(a[0], n))


@register("floor")
def _floor(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return math.floor(_num(a[0], n))


@register("max")
def _max(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1, -1)
    return max(_num(x, n) for x in a)


@register("min")
def _min(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1, -1)
    return min(_num(x, n) for x in a)


@register("signum")
def _signum(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    x = _num(a[0], n)
    return (x > 0) - (x < 0)


@register("pow")
def _pow(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    base, exp = _num(a[0], n), _num(a[1], n)
    if abs(exp) > 1000:
        raise EvalError("the exponent is beyond any PagerDuty field", n.where())
    return normal_number(float(base) ** exp) if isinstance(exp, float) or exp < 0 else base**exp


@register("log")
def _log(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    return math.log(_num(a[0], n), _num(a[1], n))


@register("parseint")
def _parseint(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    text = _str(a[0], n)
    if len(text) > 400:
        raise EvalError("the number has too many digits", n.where())
    return int(text, _int(a[1], n))


# -- strings ------------------------------------------------------------------------------------


@register("chomp")
def _chomp(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return re.sub(r"(\r\n|\n|\r)+$", "", _str(a[0], n))


@register("endswith")
def _endswith(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    return _str(a[0], n).endswith(_str(a[1], n))


@register("startswith")
def _startswith(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    return _str(a[0], n).startswith(_str(a[1], n))


@register("strcontains")
def _strcontains(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    return _str(a[1], n) in _str(a[0], n)


_VERB = re.compile(r"%(?:\[(\d+)\])?([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


def _format(spec: str, args: list[Any], n: Call) -> str:
    out: list[str] = []
    pos = 0
    used = 0
    for m in _VERB.finditer(spec):
        out.append(spec[pos : m.start()])
        pos = m.end()
        verb = m.group(5)
        if verb == "%":
            out.append("%")
            continue
        idx = int(m.group(1)) - 1 if m.group(1) else used
        used = idx + 1
        if idx >= len(args):
            raise EvalError("format(): not enough arguments for the format string", n.where())
        value = args[idx]
        flags, width, prec = m.group(2), m.group(3), m.group(4)
        if verb in ("s", "v"):
            text = json.dumps(value) if isinstance(value, (list, dict)) else _str(value, n)
        elif verb == "q":
            text = json.dumps(_str(value, n))
        elif verb == "d":
            text = str(_int(value, n))
        elif verb in ("f", "e", "g"):
            text = format(float(_num(value, n)), f".{prec or 6}{verb}")
        elif verb == "t":
            text = "true" if value is True else "false"
        elif verb in ("x", "X", "o", "b"):
            text = format(_int(value, n), verb)
        else:
            raise EvalError(f"format(): unsupported verb %{verb}", n.where())
        if width:
            text = (
                text.ljust(int(width))
                if "-" in flags
                else text.rjust(int(width), "0" if "0" in flags and verb in "dfeg" else " ")
            )
        out.append(text)
    out.append(spec[pos:])
    return _out_str("".join(out), n)


@register("format")
def _format_fn(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1, -1)
    return _format(_str(a[0], n), a[1:], n)


@register("formatlist")
def _formatlist(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1, -1)
    spec = _str(a[0], n)
    lengths = {len(x) for x in a[1:] if isinstance(x, (list, TfSet))}
    if len(lengths) > 1:
        raise EvalError("formatlist(): the lists have different lengths", n.where())
    count = lengths.pop() if lengths else 1
    out = []
    for i in range(count):
        row = [list(x)[i] if isinstance(x, (list, TfSet)) else x for x in a[1:]]
        out.append(_format(spec, row, n))
    return _out_list(out, n)


@register("indent")
def _indent(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    pad = " " * _int(a[0], n)
    return _out_str(_str(a[1], n).replace("\n", "\n" + pad), n)


@register("join")
def _join(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2, -1)
    sep = _str(a[0], n)
    items = [_str(x, n, "element") for lst in a[1:] for x in _list(lst, n)]
    return _out_str(sep.join(items), n)


@register("lower")
def _lower(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return _str(a[0], n).lower()


@register("upper")
def _upper(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return _str(a[0], n).upper()


@register("title")
def _title(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return re.sub(r"\b(\w)", lambda m: m.group(1).upper(), _str(a[0], n))


def _regex_pattern(pattern: str, n: Call) -> re.Pattern[str]:
    # RE2 and Python share the syntax configurations use; RE2's named groups are (?P<name>…).
    if len(pattern) > 1000:
        raise EvalError("the regular expression is too long", n.where())
    return re.compile(pattern)


@register("regex")
def _regex(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    pattern = _regex_pattern(_str(a[0], n), n)
    m = pattern.search(_str(a[1], n))
    if m is None:
        raise EvalError("regex(): the pattern does not match", n.where())
    if pattern.groupindex:
        return {k: m.group(k) for k in pattern.groupindex}
    if pattern.groups:
        return list(m.groups())
    return m.group()


@register("regexall")
def _regexall(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    pattern = _regex_pattern(_str(a[0], n), n)
    out: list[Any] = []
    for m in pattern.finditer(_str(a[1], n)):
        if pattern.groupindex:
            out.append({k: m.group(k) for k in pattern.groupindex})
        elif pattern.groups:
            out.append(list(m.groups()))
        else:
            out.append(m.group())
    return _out_list(out, n)


@register("replace")
def _replace(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 3)
    text, search, repl = _str(a[0], n), _str(a[1], n), _str(a[2], n)
    if len(search) >= 2 and search.startswith("/") and search.endswith("/"):
        pattern = _regex_pattern(search[1:-1], n)
        repl_py = re.sub(
            r"\$(\d+|\{(\w+)\})", lambda m: "\\g<" + (m.group(2) or m.group(1)) + ">", repl
        )
        return _out_str(pattern.sub(repl_py, text), n)
    if not search:
        return text
    if len(repl) > len(search) and text.count(search) * (len(repl) - len(search)) > 1_000_000:
        check_string("x" * 1_000_001, n.where())
    return _out_str(text.replace(search, repl), n)


@register("split")
def _split(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    sep, text = _str(a[0], n), _str(a[1], n)
    if sep == "":
        return _out_list(list(text), n)
    return _out_list(text.split(sep), n)


@register("strrev")
def _strrev(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return _str(a[0], n)[::-1]


@register("substr")
def _substr(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 3)
    text, offset, length = _str(a[0], n), _int(a[1], n), _int(a[2], n)
    if offset < 0:
        offset = max(len(text) + offset, 0)
    return text[offset:] if length < 0 else text[offset : offset + length]


@register("trim")
def _trim(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    return _str(a[0], n).strip(_str(a[1], n))


@register("trimprefix")
def _trimprefix(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    return _str(a[0], n).removeprefix(_str(a[1], n))


@register("trimsuffix")
def _trimsuffix(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    return _str(a[0], n).removesuffix(_str(a[1], n))


@register("trimspace")
def _trimspace(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return _str(a[0], n).strip()


# -- collections --------------------------------------------------------------------------------


@register("alltrue")
def _alltrue(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    items = _list(a[0], n)
    for x in items:
        if isinstance(x, Unknown):
            return x
    return all(x is True or x == "true" for x in items)


@register("anytrue")
def _anytrue(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    items = _list(a[0], n)
    if any(x is True or x == "true" for x in items):
        return True
    for x in items:
        if isinstance(x, Unknown):
            return x
    return False


@register("chunklist")
def _chunklist(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    items, size = _list(a[0], n), _int(a[1], n)
    if size <= 0:
        return [items] if size == 0 else []
    return [items[i : i + size] for i in range(0, len(items), size)]


@register("coalesce")
def _coalesce(a: list[Any], n: Call, ev: Any) -> Any:
    for x in a:
        if isinstance(x, Unknown):
            return x
        if x is not None and x != "":
            return x
    raise EvalError("coalesce(): every argument is null or empty", n.where())


@register("coalescelist")
def _coalescelist(a: list[Any], n: Call, ev: Any) -> Any:
    for x in a:
        if isinstance(x, Unknown):
            return x
        if len(_list(x, n)) > 0:
            return x
    raise EvalError("coalescelist(): every argument is empty", n.where())


@register("compact")
def _compact(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    out = []
    for x in _list(a[0], n):
        if isinstance(x, Unknown):
            return x
        if x is not None and x != "":
            out.append(x)
    return out


@register("concat")
def _concat(a: list[Any], n: Call, ev: Any) -> Any:
    out: list[Any] = []
    for x in a:
        out.extend(_list(x, n))
        check_items(len(out), n.where())
    return out


@register("contains")
def _contains(a: list[Any], n: Call, ev: Any) -> Any:
    from oncall_planner.ingest.terraform.expressions import equal

    _arity(a, n, 2)
    result: Any = False
    for x in _list(a[0], n):
        r = equal(x, a[1])
        if r is True:
            return True
        if isinstance(r, Unknown):
            result = r
    return result


@register("distinct")
def _distinct(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    out: list[Any] = []
    seen: set[Any] = set()
    from oncall_planner.ingest.terraform.values import _key

    for x in _list(a[0], n):
        k = _key(x)
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


@register("element")
def _element(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    items = _list(a[0], n)
    if not items:
        raise EvalError("element(): the list is empty", n.where())
    i = _int(a[1], n)
    if i < 0:
        raise EvalError("element(): the index must not be negative", n.where())
    return items[i % len(items)]


@register("flatten")
def _flatten(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    out: list[Any] = []
    _flatten_into(out, _list(a[0], n), n, 0)
    return out


def _flatten_into(out: list[Any], items: Any, n: Call, depth: int) -> None:
    # a module-level function: a nested one that calls itself is a reference cycle
    if depth > 64:
        raise EvalError("flatten(): nested too deeply", n.where())
    for x in items:
        if isinstance(x, (list, TfSet)):
            _flatten_into(out, x, n, depth + 1)
        else:
            out.append(x)
            if len(out) > 200_000:
                check_items(len(out), n.where())


@register("index")
def _index(a: list[Any], n: Call, ev: Any) -> Any:
    from oncall_planner.ingest.terraform.expressions import equal

    _arity(a, n, 2)
    for i, x in enumerate(_list(a[0], n)):
        r = equal(x, a[1])
        if isinstance(r, Unknown):
            return r
        if r:
            return i
    raise EvalError("index(): the value is not in the list", n.where())


def _opaque(m: dict[str, Any], n: Call) -> Unknown | None:
    if has_id_key(m):
        return Unknown(
            f"{n.where()}: `{n.text()}` orders a map keyed by PagerDuty IDs, which only PagerDuty "
            "knows"
        )
    return None


@register("keys")
def _keys(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    m = _map(a[0], n)
    return _opaque(m, n) or sorted(m)


@register("values")
def _values(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    m = _map(a[0], n)
    return _opaque(m, n) or [m[k] for k in sorted(m)]


@register("length")
def _length(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    x = a[0]
    if isinstance(x, (list, dict, TfSet)):
        return len(x)
    if isinstance(x, str):
        return len(x)
    if isinstance(x, Ref):
        return Unknown(f"{n.where()}: the length of the ID of {x.address}")
    raise EvalError(f"length(): cannot take the length of {describe(x)}", n.where())


@register("lookup")
def _lookup(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2, 3)
    m = _map(a[0], n)
    key = a[1]
    if isinstance(key, Unknown):
        return key
    key = _str(key, n)
    if key in m:
        return m[key]
    if len(a) == 3:
        return a[2]
    raise EvalError(f"lookup(): no element for the key {key[:60]!a}", n.where())


@register("matchkeys")
def _matchkeys(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 3)
    vals, keys, search = _list(a[0], n), _list(a[1], n), _list(a[2], n)
    return [v for v, k in zip(vals, keys) if k in search]


@register("merge")
def _merge(a: list[Any], n: Call, ev: Any) -> Any:
    out: dict[str, Any] = {}
    for x in a:
        if x is None:
            continue
        if isinstance(x, Lazy):
            x = x.materialise()
        out.update(_map(x, n))
    check_items(len(out), n.where())
    return out


@register("one")
def _one(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    items = _list(a[0], n)
    if len(items) > 1:
        raise EvalError("one(): the list has more than one element", n.where())
    return items[0] if items else None


@register("range")
def _range(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1, 3)
    nums = [_num(x, n) for x in a]
    start, stop, step = (
        (0, nums[0], 1)
        if len(nums) == 1
        else (nums[0], nums[1], nums[2] if len(nums) == 3 else (1 if nums[1] >= nums[0] else -1))
    )
    if step == 0:
        raise EvalError("range(): the step must not be zero", n.where())
    count = max(0, math.ceil((stop - start) / step))
    check_items(count, n.where())
    return [normal_number(start + i * step) for i in range(count)]


@register("reverse")
def _reverse(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return list(reversed(_list(a[0], n)))


@register("setintersection")
def _setintersection(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1, -1)
    from oncall_planner.ingest.terraform.values import _key

    sets = [TfSet(_list(x, n)) for x in a]
    common = {_key(v) for v in sets[0]}
    for s in sets[1:]:
        common &= {_key(v) for v in s}
    return TfSet(v for v in sets[0] if _key(v) in common)


@register("setproduct")
def _setproduct(a: list[Any], n: Call, ev: Any) -> Any:
    lists = [_list(x, n) for x in a]
    total = 1
    for lst in lists:
        total *= len(lst)
    check_items(total, n.where())
    out: list[list[Any]] = [[]]
    for lst in lists:
        out = [[*row, x] for row in out for x in lst]
    return out


@register("setsubtract")
def _setsubtract(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    from oncall_planner.ingest.terraform.values import _key

    drop = {_key(v) for v in _list(a[1], n)}
    return TfSet(v for v in _list(a[0], n) if _key(v) not in drop)


@register("setunion")
def _setunion(a: list[Any], n: Call, ev: Any) -> Any:
    return TfSet(v for x in a for v in _list(x, n))


@register("slice")
def _slice(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 3)
    items = _list(a[0], n)
    lo, hi = _int(a[1], n), _int(a[2], n)
    if not 0 <= lo <= hi <= len(items):
        raise EvalError("slice(): the indices are out of range", n.where())
    return items[lo:hi]


@register("sort")
def _sort(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return sorted(_str(x, n) for x in _list(a[0], n))


@register("sum")
def _sum(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    items = _list(a[0], n)
    if not items:
        raise EvalError("sum(): the list is empty", n.where())
    return normal_number(sum(_num(x, n) for x in items))


@register("transpose")
def _transpose(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    out: dict[str, list[str]] = {}
    for k, vs in sorted(_map(a[0], n).items()):
        for v in _list(vs, n):
            out.setdefault(_str(v, n), []).append(k)
    return out


@register("zipmap")
def _zipmap(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    keys, vals = _list(a[0], n), _list(a[1], n)
    if len(keys) != len(vals):
        raise EvalError("zipmap(): the lists have different lengths", n.where())
    out: dict[str, Any] = {}
    for k, v in zip(keys, vals):
        if isinstance(k, Unknown):
            return k
        if isinstance(k, Ref):
            return Unknown(f"{n.where()}: a map key holds the ID of {k.address}")
        out[_str(k, n)] = v
    return out


# -- type conversion ----------------------------------------------------------------------------


@register("tobool")
def _tobool(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    x = a[0]
    if x is None or isinstance(x, bool):
        return x
    if x in ("true", "false"):
        return x == "true"
    raise EvalError(f"tobool(): cannot convert {describe(x)}", n.where())


@register("tonumber")
def _tonumber(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return None if a[0] is None else _num(a[0], n)


@register("tostring")
def _tostring(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return None if a[0] is None else _str(a[0], n)


@register("tolist")
def _tolist(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return None if a[0] is None else list(_list(a[0], n))


@register("toset")
def _toset(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    if a[0] is None:
        return None
    items = _list(a[0], n)
    for x in items:
        if isinstance(x, Unknown):
            return x
    if any(isinstance(x, str) for x in items):  # a set of strings: numbers become strings
        items = [
            format_number(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else x
            for x in items
        ]
    return TfSet(items)


@register("tomap")
def _tomap(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return None if a[0] is None else dict(_map(a[0], n))


@register("sensitive", "nonsensitive")
def _same(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return a[0]


# -- encoding -----------------------------------------------------------------------------------


def _to_json(value: Any, n: Call, depth: int = 0) -> Any:
    if depth > 64:
        raise EvalError("jsonencode(): nested too deeply", n.where())
    if isinstance(value, TfSet):
        value = list(value.items)
    if isinstance(value, list):
        return [_to_json(v, n, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v, n, depth + 1) for k, v in value.items()}
    return value


@register("jsonencode")
def _jsonencode(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return _out_str(json.dumps(_to_json(a[0], n), separators=(",", ":"), sort_keys=True), n)


def from_plain(value: Any, depth: int = 0) -> Any:
    """A decoded JSON/YAML value as an evaluator value (numbers normalised, depth bounded)."""
    if depth > 64:
        raise EvalError("the decoded value is nested too deeply")
    if isinstance(value, list):
        check_items(len(value), "decoded value")
        return [from_plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        check_items(len(value), "decoded value")
        return {str(k): from_plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, float):
        return normal_number(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@register("jsondecode")
def _jsondecode(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    text = _str(a[0], n)
    try:
        return from_plain(json.loads(text, parse_int=_bounded_int))
    except RecursionError:
        raise EvalError("jsondecode(): nested too deeply", n.where()) from None
    except json.JSONDecodeError as exc:
        raise EvalError(f"jsondecode(): invalid JSON: {exc.msg}", n.where()) from None


def _bounded_int(text: str) -> int:
    if len(text) > 400:
        raise ValueError("a number with more than 400 digits")
    return int(text)


@register("yamldecode")
def _yamldecode(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    text = _str(a[0], n)
    try:
        import yaml
    except ImportError:
        return Unknown(
            f"{n.where()}: `{n.text()}`: yamldecode needs PyYAML, which is not installed"
        )
    try:
        return from_plain(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        raise EvalError(
            f"yamldecode(): invalid YAML: {str(exc).splitlines()[0]}", n.where()
        ) from None
    except RecursionError:
        raise EvalError("yamldecode(): nested too deeply", n.where()) from None


@register("csvdecode")
def _csvdecode(a: list[Any], n: Call, ev: Any) -> Any:
    import csv
    import io

    _arity(a, n, 1)
    rows = list(csv.reader(io.StringIO(_str(a[0], n))))
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    check_items(len(body), n.where())
    out = []
    for i, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise EvalError(
                f"csvdecode(): line {i} has {len(row)} fields, the header {len(header)}", n.where()
            )
        out.append(dict(zip(header, row)))
    return out


@register("base64encode")
def _b64e(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return base64.b64encode(_str(a[0], n).encode()).decode()


@register("base64decode")
def _b64d(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 1)
    return base64.b64decode(_str(a[0], n)).decode()


@register("urlencode")
def _urlencode(a: list[Any], n: Call, ev: Any) -> Any:
    from urllib.parse import quote

    _arity(a, n, 1)
    return quote(_str(a[0], n), safe="")


for _name, _algo in (("md5", "md5"), ("sha1", "sha1"), ("sha256", "sha256"), ("sha512", "sha512")):

    def _hash(a: list[Any], n: Call, ev: Any, algo: str = _algo) -> Any:
        _arity(a, n, 1)
        return hashlib.new(algo, _str(a[0], n).encode()).hexdigest()

    register(_name)(_hash)


# -- time ---------------------------------------------------------------------------------------

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_DURATION = re.compile(r"([+-]?\d+(?:\.\d+)?)(h|m|s|ms|us|µs|ns)")


def _parse_time(text: str, n: Call) -> dt.datetime:
    if not _RFC3339.match(text):
        raise EvalError(f"not an RFC 3339 timestamp: {text[:40]!a}", n.where())
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if not 1970 <= value.year < 9000:
        raise EvalError(f"the timestamp {text!r} is out of range", n.where())
    return value


def format_rfc3339(value: dt.datetime) -> str:
    text = value.isoformat()
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


@register("timeadd")
def _timeadd(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    base = _parse_time(_str(a[0], n), n)
    spec = _str(a[1], n)
    sign = -1 if spec.startswith("-") else 1
    body = spec.lstrip("+-")
    if not body or _DURATION.sub("", body):
        raise EvalError(f"timeadd(): invalid duration {spec[:40]!a}", n.where())
    seconds = 0.0
    scale = {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
    for m in _DURATION.finditer(body):
        seconds += float(m.group(1)) * scale[m.group(2)]
    if abs(seconds) > 1e11:
        raise EvalError("timeadd(): the duration is beyond any schedule", n.where())
    result = base + dt.timedelta(seconds=sign * seconds)
    if not 1970 <= result.year < 9000:
        raise EvalError("timeadd(): the result is out of range", n.where())
    return format_rfc3339(result)


@register("timecmp")
def _timecmp(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    x, y = _parse_time(_str(a[0], n), n), _parse_time(_str(a[1], n), n)
    return (x > y) - (x < y)


_FORMAT_TOKENS = re.compile(
    r"'(?:[^']|'')*'|YYYY|YY|MMMM|MMM|MM|M|DD|D|EEEE|EEE|hh|h|HH|H|AA|aa|mm|m|ss|s|ZZZZZ|ZZZZ|ZZZ|Z"
)


@register("formatdate")
def _formatdate(a: list[Any], n: Call, ev: Any) -> Any:
    _arity(a, n, 2)
    spec, value = _str(a[0], n), _parse_time(_str(a[1], n), n)
    offset = value.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)

    def token(m: re.Match[str]) -> str:
        t = m.group()
        if t.startswith("'"):
            return t[1:-1].replace("''", "'")
        table = {
            "YYYY": f"{value.year:04d}", "YY": f"{value.year % 100:02d}",
            "MMMM": value.strftime("%B"), "MMM": value.strftime("%b"),
            "MM": f"{value.month:02d}", "M": str(value.month),
            "DD": f"{value.day:02d}", "D": str(value.day),
            "EEEE": value.strftime("%A"), "EEE": value.strftime("%a"),
            "HH": f"{value.hour:02d}", "H": str(value.hour),
            "hh": f"{(value.hour % 12) or 12:02d}", "h": str((value.hour % 12) or 12),
            "AA": "AM" if value.hour < 12 else "PM", "aa": "am" if value.hour < 12 else "pm",
            "mm": f"{value.minute:02d}", "m": str(value.minute),
            "ss": f"{value.second:02d}", "s": str(value.second),
            "ZZZZZ": f"{sign}{hh:02d}:{mm:02d}", "ZZZZ": f"{sign}{hh:02d}{mm:02d}",
            "ZZZ": "UTC" if minutes == 0 else f"{sign}{hh:02d}{mm:02d}",
            "Z": "Z" if minutes == 0 else f"{sign}{hh:02d}:{mm:02d}",
        }  # fmt: skip
        return table[t]

    return _FORMAT_TOKENS.sub(token, spec)


def _unknowable(why: str) -> Function:
    def call(a: list[Any], n: Call, ev: Any) -> Any:
        return Unknown(f"{n.where()}: `{n.text()}` {why}")

    return call


for _name, _why in (
    ("timestamp", "is the time when Terraform runs"),
    ("plantimestamp", "is the time when Terraform plans"),
    ("uuid", "is random"),
    ("bcrypt", "is random"),
    ("abspath", "depends on the machine Terraform runs on"),
    ("pathexpand", "depends on the machine Terraform runs on"),
):
    FUNCTIONS[_name] = _unknowable(_why)


def file_functions(
    read: Callable[[str, Call], str], listdir: Callable[[str, Call], list[str]]
) -> dict[str, Function]:
    """``file``, ``fileexists``, ``fileset`` and ``templatefile`` bound to ``read`` and
    ``listdir``. The importer binds them once per import, to the root module's reader
    (``ModuleInstance._read`` in :mod:`.modules`): a relative path is read from the root
    module's folder (in child modules too), as Terraform reads it from the working directory
    it runs the root module in, and nothing outside the root module's folder is read."""

    def _file(a: list[Any], n: Call, ev: Any) -> Any:
        _arity(a, n, 1)
        return read(_str(a[0], n), n)

    def _fileexists(a: list[Any], n: Call, ev: Any) -> Any:
        _arity(a, n, 1)
        try:
            read(_str(a[0], n), n)
        except EvalError:
            return False
        return True

    def _fileset(a: list[Any], n: Call, ev: Any) -> Any:
        _arity(a, n, 2)
        return TfSet(listdir(_str(a[0], n) + "\x00" + _str(a[1], n), n))

    def _templatefile(a: list[Any], n: Call, ev: Any) -> Any:
        from oncall_planner.ingest.terraform.expressions import Scope
        from oncall_planner.ingest.terraform.hcl import HclSyntaxError, parse_template
        from oncall_planner.ingest.terraform.syntax import Source

        _arity(a, n, 2)
        text = read(_str(a[0], n), n)
        names = _map(a[1], n)
        try:
            node = parse_template(Source(_str(a[0], n), text))
        except HclSyntaxError as exc:
            raise EvalError(f"templatefile(): {exc.message}", n.where()) from None

        def root(name: str, where: Node) -> Any:
            raise EvalError(
                f"templatefile(): the template uses {name!r}, which is not given", where.where()
            )

        return ev.ev(node, Scope(root, dict(names)))

    return {
        "file": _guard("file", _file),
        "fileexists": _guard("fileexists", _fileexists),
        "fileset": _guard("fileset", _fileset),
        "templatefile": _guard("templatefile", _templatefile),
    }


__all__ = ["FUNCTIONS", "file_functions", "from_plain", "iterate"]
