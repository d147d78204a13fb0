"""Evaluate expressions by Terraform's rules, for everything knowable without a provider.

:class:`Evaluator` walks the nodes of :mod:`.syntax` in a :class:`Scope`. Operators, conditionals,
``for`` expressions, splats, templates with directives and function calls (:mod:`.functions`)
behave as in Terraform; what cannot be known offline becomes :class:`~.values.Unknown` with the
reason, and what Terraform itself would refuse raises :class:`~.values.EvalError`. Every node
evaluated counts against :data:`~.values.MAX_STEPS`, and every string and collection built is
checked against the size limits, so no input can make evaluation unbounded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oncall_planner.ingest.terraform.syntax import (
    BinOp,
    Call,
    Cond,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    Node,
    ObjectCons,
    Parens,
    Splat,
    SplatItem,
    Template,
    TemplateFor,
    TemplateIf,
    Traversal,
    TupleCons,
    UnaryOp,
    Var,
)
from oncall_planner.ingest.terraform.values import (
    MAX_STEPS,
    EvalError,
    Lazy,
    OpaqueOrderError,
    Ref,
    TfSet,
    TooLargeError,
    Unknown,
    check_items,
    check_string,
    describe,
    format_number,
    id_key,
    iterate,
    normal_number,
)

_SPLAT = "\x00splat"
_MISSING = object()
#: What :meth:`Evaluator.remembered` returns for a value it does not remember.
NOT_REMEMBERED: Any = _MISSING


class Scope:
    """Names visible to an expression: loop variables, ``each``, ``count``, iterators, and,
    through ``root``, the module's namespaces (``var``, ``local``, resources, …)."""

    __slots__ = ("memo", "names", "parent", "root")

    def __init__(
        self,
        root: Callable[[str, Node], Any],
        names: dict[str, Any] | None = None,
        parent: Scope | None = None,
    ) -> None:
        self.root = root
        self.names = names or {}
        self.parent = parent
        #: Values of traversals (``a.b.c``) that start at a name of ``root``, shared by every
        #: scope under the same root: such a value is the same wherever it is written.
        self.memo: dict[str, Any] = parent.memo if parent is not None else {}

    def child(self, names: dict[str, Any]) -> Scope:
        return Scope(self.root, names, self)

    def lookup(self, name: str, node: Node) -> Any:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return self.root(name, node)


def to_string(value: Any, node: Node) -> str | Unknown:
    """``value`` as Terraform converts it to a string (templates, string functions)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Ref):
        return Unknown(
            f"{node.where()}: `{node.text()}` needs the ID of {value.address} as text, which "
            "only PagerDuty knows"
        )
    if value is None:
        raise EvalError("a null value cannot be used as a string", node.where())
    raise EvalError(f"cannot use {describe(value)} as a string", node.where())


def to_number(value: Any, node: Node) -> int | float | Unknown:
    if isinstance(value, bool):
        raise EvalError("a boolean cannot be used as a number", node.where())
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Unknown):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.lstrip("+-").isdigit():
                if len(text) > 400:
                    raise EvalError("the number has too many digits", node.where())
                return int(text)
            return normal_number(float(text))
        except ValueError:
            pass
    raise EvalError(f"a number is required, got {describe(value)}", node.where())


def to_bool(value: Any, node: Node) -> bool | Unknown:
    if isinstance(value, bool):
        return value
    if isinstance(value, Unknown):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    if isinstance(value, Ref):
        return Unknown(f"{node.where()}: `{node.text()}` needs the ID of {value.address}")
    raise EvalError(f"a boolean is required, got {describe(value)}", node.where())


def first_unknown(value: Any, seen: set[int] | None = None) -> Unknown | None:
    """The first Unknown anywhere inside ``value`` (each shared part visited once)."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, (list, dict, TfSet)):
        if seen is None:
            seen = set()
        if id(value) in seen:
            return None
        seen.add(id(value))
        items = value.values() if isinstance(value, dict) else value
        for item in items:
            found = first_unknown(item, seen)
            if found is not None:
                return found
    return None


def equal(a: Any, b: Any) -> bool | Unknown:
    """Terraform's ``==``: same type and value; unknowns make it unknown."""
    if isinstance(a, Unknown):
        return a
    if isinstance(b, Unknown):
        return b
    if isinstance(a, Ref) or isinstance(b, Ref):
        if isinstance(a, Ref) and isinstance(b, Ref):
            return a.address == b.address
        if a is None or b is None:
            return False
        other = a if isinstance(a, Ref) else b
        return Unknown(f"comparing the ID of {other.address}, which only PagerDuty knows")
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, Lazy):
        a = a.materialise()
    if isinstance(b, Lazy):
        b = b.materialise()
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        for x, y in zip(a, b):
            r = equal(x, y)
            if r is not True:
                return r
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return False
        for k in a:
            r = equal(a[k], b[k])
            if r is not True:
                return r
        return True
    if isinstance(a, TfSet) and isinstance(b, TfSet):
        return a == b
    if type(a) is not type(b):
        return False
    return bool(a == b)


def _opaque(node: Node) -> Unknown:
    return Unknown(
        f"{node.where()}: `{node.text()}` is a map keyed by PagerDuty IDs; its order depends on "
        "IDs only PagerDuty knows"
    )


class Evaluator:
    """Evaluates nodes; one per import, so the step budget covers the whole import."""

    def __init__(self, functions: dict[str, Callable[..., Any]]) -> None:
        self.functions = functions
        self.steps = 0
        #: Set while a map key is evaluated: an ID then reads as an opaque mark (see ID_MARK).
        self.key_mode = False
        self._dispatch: dict[type, Callable[[Any, Scope], Any]] = {
            Lit: self._lit,
            Var: self._var,
            GetAttr: self._getattr,
            Traversal: self._traversal,
            Index: self._index,
            Splat: self._splat,
            SplatItem: self._splat_item,
            Call: self._call,
            Cond: self._cond,
            BinOp: self._binop,
            UnaryOp: self._unary,
            TupleCons: self._tuple,
            ObjectCons: self._object,
            ForExpr: self._for,
            Template: self._template,
            TemplateIf: self._template,
            TemplateFor: self._template,
            Parens: self._parens,
        }

    def close(self) -> None:
        """Drop the dispatch table (bound methods: a cycle through this evaluator) and the
        functions (some hold the module that reads files); see ``World.close``."""
        self._dispatch.clear()
        self.functions.clear()

    def ev(self, node: Node, scope: Scope) -> Any:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TooLargeError(
                f"{node.where()}: evaluating the configuration takes more than "
                f"{MAX_STEPS:,} steps; the importer stops here"
            )
        return self._dispatch[type(node)](node, scope)

    def remembered(self, path: tuple[str, ...], key: str, scope: Scope) -> Any:
        """What :meth:`reference` would give for the traversal ``path`` (written ``key``) in
        ``scope``, a module's own scope, when its value is already remembered there; it counts
        the same steps, and needs no node. :data:`NOT_REMEMBERED` otherwise (and when the step
        budget would run out: :meth:`reference` then says where)."""
        if scope.names or scope.parent is not None:
            return NOT_REMEMBERED
        known = scope.memo.get(key, NOT_REMEMBERED)
        steps = self.steps + 1
        if known is NOT_REMEMBERED or steps > MAX_STEPS:
            return NOT_REMEMBERED
        self.steps = steps + len(path) - 1
        return known

    def remembered_items(
        self,
        items: list[Any],
        reference: Callable[[str], tuple[tuple[str, ...], str] | None],
        scope: Scope,
    ) -> Any:
        """What :meth:`ev` would give for a tuple of literals and references (Terraform JSON's
        ``["${pagerduty_user.a.id}", …]``, each string holding ``${`` read by ``reference``)
        in a module's own scope when every reference is remembered there, counting the same
        steps; :data:`NOT_REMEMBERED` otherwise."""
        if scope.names or scope.parent is not None:
            return NOT_REMEMBERED
        memo = scope.memo
        steps = 1  # the tuple, then one per literal and one per name of each reference
        out = []
        for item in items:
            if type(item) is str and ("${" in item or "%{" in item):
                ref = reference(item)
                known = memo.get(ref[1], NOT_REMEMBERED) if ref is not None else NOT_REMEMBERED
                if known is NOT_REMEMBERED:
                    return NOT_REMEMBERED
                steps += len(ref[0])  # type: ignore[index]
                out.append(known)
            else:
                out.append(item)
                steps += 1
        if self.steps + steps > MAX_STEPS:
            return NOT_REMEMBERED  # ev() says where the budget ran out
        self.steps += steps
        return out

    def reference(self, node: Traversal, scope: Scope) -> Any:
        """:meth:`ev` of a traversal, without the dispatch: the route builders take for the
        most common non-literal argument, a reference such as ``pagerduty_team.x.id``."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TooLargeError(
                f"{node.where()}: evaluating the configuration takes more than "
                f"{MAX_STEPS:,} steps; the importer stops here"
            )
        return self._traversal(node, scope)

    # -- leaves and traversals ---------------------------------------------------------------

    def _lit(self, node: Lit, scope: Scope) -> Any:
        return node.value

    def _parens(self, node: Parens, scope: Scope) -> Any:
        return self.ev(node.inner, scope)

    def _var(self, node: Var, scope: Scope) -> Any:
        return scope.lookup(node.name, node)

    def _splat_item(self, node: SplatItem, scope: Scope) -> Any:
        return scope.lookup(_SPLAT, node)

    def get_attr(self, obj: Any, name: str, node: Node) -> Any:
        if isinstance(obj, Unknown):
            return obj
        if isinstance(obj, Lazy):
            if not obj.has(name):
                fatal = obj.label in ("var", "local", "module")
                what = {"var": "variable", "local": "local value", "module": "module"}.get(
                    obj.label
                )
                if fatal:
                    raise EvalError(
                        f"{obj.label}.{name}: no {what} {name!r} is declared (declared: "
                        f"{sorted(obj.names()) or 'none'})",
                        node.where(),
                        fatal=True,
                    )
                raise EvalError(f"{obj.label} has no attribute {name!r}", node.where())
            return obj.get(name)
        if isinstance(obj, dict):
            if name not in obj:
                raise EvalError(f"the object has no attribute {name!r}", node.where())
            return obj[name]
        if obj is None:
            raise EvalError(f"cannot read {name!r} of a null value", node.where())
        if isinstance(obj, Ref):
            raise EvalError(
                f"cannot read {name!r} of the ID of {obj.address} (an ID is a string)",
                node.where(),
            )
        raise EvalError(f"cannot read attribute {name!r} of {describe(obj)}", node.where())

    def _getattr(self, node: GetAttr, scope: Scope) -> Any:
        return self.get_attr(self.ev(node.obj, scope), node.name, node)

    def _traversal(self, node: Traversal, scope: Scope) -> Any:
        # As a Var and one GetAttr per name would be evaluated, counting as many steps; a
        # member a Lazy has already computed is read from its cache (what get() returns).
        self.steps += len(node.names)
        root = node.root
        at: Scope | None = scope
        memo = None
        while at is not None:
            if root in at.names:
                value = at.names[root]
                break
            at = at.parent
        else:
            # A module-level name (var, local, data, a resource type, …): every value under it
            # is computed once, so the whole traversal's value is the same wherever it is
            # written and is remembered (errors are not: they name the place).
            memo = scope.memo
            known = memo.get(node.key, _MISSING)
            if known is not _MISSING:
                return known
            value = scope.root(root, node)
        for name in node.names:
            kind = type(value)
            if kind is dict:
                if name not in value:
                    raise EvalError(f"the object has no attribute {name!r}", node.where())
                value = value[name]
            elif kind is not Unknown and isinstance(value, Lazy) and name in value._cache:
                value = value._cache[name]
            else:
                value = self.get_attr(value, name, node)
        if memo is not None:
            memo[node.key] = value
        return value

    def index(self, obj: Any, key: Any, node: Node) -> Any:
        if isinstance(obj, Unknown):
            return obj
        if isinstance(key, Unknown):
            return key
        if isinstance(obj, list):
            k = to_number(key, node)
            if isinstance(k, Unknown):
                return k
            if not isinstance(k, int) and not (isinstance(k, float) and k.is_integer()):
                raise EvalError(f"a list index must be a whole number, got {k}", node.where())
            i = int(k)
            if not 0 <= i < len(obj):
                raise EvalError(f"index {i} is out of range for a list of {len(obj)}", node.where())
            return obj[i]
        if isinstance(obj, (dict, Lazy)):
            if isinstance(key, Ref):
                return Unknown(f"{node.where()}: indexing by the ID of {key.address}")
            ks = to_string(key, node)
            if isinstance(ks, Unknown):
                return ks
            if isinstance(obj, Lazy):
                if not obj.has(ks):
                    raise EvalError(f"{obj.label} has no element {ks!r}", node.where())
                return obj.get(ks)
            if ks not in obj:
                raise EvalError(f"the map has no element for the key {ks[:60]!a}", node.where())
            return obj[ks]
        if isinstance(obj, TfSet):
            raise EvalError("a set cannot be indexed; convert it with tolist()", node.where())
        if obj is None:
            raise EvalError("cannot index a null value", node.where())
        raise EvalError(f"cannot index {describe(obj)}", node.where())

    def _index(self, node: Index, scope: Scope) -> Any:
        obj = self.ev(node.obj, scope)
        key = self.ev(node.key, scope)
        return self.index(obj, key, node)

    def _splat(self, node: Splat, scope: Scope) -> Any:
        obj = self.ev(node.obj, scope)
        if isinstance(obj, Unknown):
            return obj
        if obj is None:
            return []
        items = list(obj) if isinstance(obj, (list, TfSet)) else [obj]
        out = [self.ev(node.each, scope.child({_SPLAT: item})) for item in items]
        return TfSet(out) if isinstance(obj, TfSet) else out

    # -- calls -------------------------------------------------------------------------------

    def _call(self, node: Call, scope: Scope) -> Any:
        name = node.name
        if name in ("try", "can"):
            return self._try_can(node, scope)
        func = self.functions.get(name)
        if func is None:
            if "::" in name:
                return Unknown(
                    f"{node.where()}: `{node.text()}` calls a provider function, which only "
                    "Terraform with the provider can run"
                )
            raise EvalError(f"there is no function named {name!r}", node.where())
        args = [self.ev(arg, scope) for arg in node.args]
        if node.expand:
            last = args.pop() if args else None
            if isinstance(last, Unknown):
                return last
            if isinstance(last, (list, TfSet)):
                args.extend(last)
            else:
                raise EvalError("'...' needs a list to expand", node.where())
        return func(args, node, self)

    def _try_can(self, node: Call, scope: Scope) -> Any:
        if node.name == "can":
            if len(node.args) != 1:
                raise EvalError("can() takes one argument", node.where())
            try:
                value = self.ev(node.args[0], scope)
            except EvalError:
                return False
            if isinstance(value, Unknown):
                return value
            return True
        if not node.args:
            raise EvalError("try() needs at least one argument", node.where())
        last = ""  # the message, not the error: that would hold this frame in a cycle
        for arg in node.args:
            try:
                return self.ev(arg, scope)
            except EvalError as exc:
                last = exc.message
        raise EvalError(f"no argument of try() could be evaluated: {last}", node.where())

    # -- operators ---------------------------------------------------------------------------

    def _cond(self, node: Cond, scope: Scope) -> Any:
        c = to_bool(self.ev(node.cond, scope), node.cond)
        if isinstance(c, Unknown):
            return c
        return self.ev(node.then if c else node.else_, scope)

    def _unary(self, node: UnaryOp, scope: Scope) -> Any:
        value = self.ev(node.operand, scope)
        if node.op == "!":
            b = to_bool(value, node.operand)
            return b if isinstance(b, Unknown) else not b
        n = to_number(value, node.operand)
        return n if isinstance(n, Unknown) else -n

    def _binop(self, node: BinOp, scope: Scope) -> Any:
        op = node.op
        left = self.ev(node.left, scope)
        if op in ("&&", "||"):
            lb = to_bool(left, node.left)
            if lb is False and op == "&&":
                return False
            if lb is True and op == "||":
                return True
            rb = to_bool(self.ev(node.right, scope), node.right)
            if isinstance(lb, Unknown):
                return lb
            return rb
        right = self.ev(node.right, scope)
        if op == "==":
            return equal(left, right)
        if op == "!=":
            r = equal(left, right)
            return r if isinstance(r, Unknown) else not r
        a = to_number(left, node.left)
        b = to_number(right, node.right)
        if isinstance(a, Unknown):
            return a
        if isinstance(b, Unknown):
            return b
        if op == "+":
            return normal_number(a + b)
        if op == "-":
            return normal_number(a - b)
        if op == "*":
            if abs(a) > 1e200 or abs(b) > 1e200:
                raise EvalError("the product is beyond any PagerDuty field", node.where())
            return normal_number(a * b)
        if op == "/":
            if b == 0:
                raise EvalError("division by zero", node.where())
            if isinstance(a, int) and isinstance(b, int) and a % b == 0:
                return a // b
            return normal_number(a / b)
        if op == "%":
            if b == 0:
                raise EvalError("modulo by zero", node.where())
            # Terraform's remainder takes the sign of the dividend (-7 % 3 is -1)
            rest = abs(a) % abs(b)
            return normal_number(-rest if a < 0 else rest)
        if op == "<":
            return a < b
        if op == ">":
            return a > b
        if op == "<=":
            return a <= b
        return a >= b

    # -- constructors ------------------------------------------------------------------------

    def _tuple(self, node: TupleCons, scope: Scope) -> Any:
        check_items(len(node.items), node.where())
        return [self.ev(item, scope) for item in node.items]

    def object_key(self, key: Any, node: Node) -> str | Unknown:
        if isinstance(key, Unknown):
            return key
        if isinstance(key, Ref):
            return id_key(key)
        return to_string(key, node)

    def key(self, node: Node, scope: Scope) -> Any:
        """A map key's value: IDs inside templates read as opaque marks."""
        saved = self.key_mode
        self.key_mode = True
        try:
            return self.ev(node, scope)
        finally:
            self.key_mode = saved

    def _object(self, node: ObjectCons, scope: Scope) -> Any:
        out: dict[str, Any] = {}
        for knode, vnode in node.items:
            if isinstance(knode, Lit) and isinstance(knode.value, str):
                key: Any = knode.value
            else:
                inner = knode.inner if isinstance(knode, Parens) else knode
                key = self.object_key(self.key(inner, scope), knode)
                if isinstance(key, Unknown):
                    return key
            out[key] = self.ev(vnode, scope)
        return out

    def _for(self, node: ForExpr, scope: Scope) -> Any:
        coll = self.ev(node.coll, scope)
        if isinstance(coll, Unknown):
            return coll
        if coll is None:
            raise EvalError("a for expression cannot iterate over null", node.coll.where())
        try:
            pairs = iterate(coll)
        except EvalError as exc:
            raise EvalError(exc.message, node.coll.where()) from None
        except OpaqueOrderError:
            return _opaque(node.coll)
        check_items(len(pairs), node.where())
        is_object = node.key_expr is not None
        out_list: list[Any] = []
        out_obj: dict[str, Any] = {}
        for k, v in pairs:
            names = {node.value_var: v}
            if node.key_var is not None:
                names[node.key_var] = k
            inner = scope.child(names)
            if node.cond is not None:
                c = to_bool(self.ev(node.cond, inner), node.cond)
                if isinstance(c, Unknown):
                    return c
                if not c:
                    continue
            if is_object:
                assert node.key_expr is not None
                key = self.object_key(self.key(node.key_expr, inner), node.key_expr)
                if isinstance(key, Unknown):
                    return key
                value = self.ev(node.value_expr, inner)
                if node.group:
                    out_obj.setdefault(key, []).append(value)
                elif key in out_obj:
                    raise EvalError(
                        f"two elements have the key {key[:60]!a}; add '...' after the "
                        "value to group them",
                        node.where(),
                    )
                else:
                    out_obj[key] = value
            else:
                out_list.append(self.ev(node.value_expr, inner))
        if is_object:
            return out_obj
        return out_list

    # -- templates ---------------------------------------------------------------------------

    def _template(self, node: Node, scope: Scope) -> Any:
        out: list[str] = []
        unknown = self._render(node, scope, out)
        if unknown is not None:
            return unknown
        text = "".join(out)
        if text:
            check_string(text, node.where())
        return text

    def _render(self, node: Node, scope: Scope, out: list[str]) -> Unknown | None:
        if isinstance(node, Template):
            total = 0
            for part in node.parts:
                if isinstance(part, str):
                    out.append(part)
                    total += len(part)
                    continue
                if isinstance(part, (TemplateIf, TemplateFor)):
                    found = self._render(part, scope, out)
                    if found is not None:
                        return found
                    continue
                raw = self.ev(part, scope)
                if isinstance(raw, Ref) and self.key_mode:
                    raw = id_key(raw)
                value = to_string(raw, part)
                if isinstance(value, Unknown):
                    return value
                out.append(value)
                total += len(value)
                if total > 1_000_000:
                    check_string("".join(out), node.where())
            return None
        if isinstance(node, TemplateIf):
            c = to_bool(self.ev(node.cond, scope), node.cond)
            if isinstance(c, Unknown):
                return c
            branch = node.then if c else node.else_
            return self._render(branch, scope, out) if branch is not None else None
        if isinstance(node, TemplateFor):
            coll = self.ev(node.coll, scope)
            if isinstance(coll, Unknown):
                return coll
            try:
                pairs = iterate(coll)
            except OpaqueOrderError:
                return _opaque(node.coll)
            for k, v in pairs:
                names = {node.value: v}
                if node.key is not None:
                    names[node.key] = k
                found = self._render(node.body, scope.child(names), out)
                if found is not None:
                    return found
                if sum(len(s) for s in out) > 1_000_000:
                    check_string("".join(out), node.where())
            return None
        value = to_string(self.ev(node, scope), node)
        if isinstance(value, Unknown):
            return value
        out.append(value)
        return None
