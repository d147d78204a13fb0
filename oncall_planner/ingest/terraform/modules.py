"""Modules: the root folder and every ``module`` block with a local ``source``, evaluated.

A :class:`ModuleInstance` is one instance of a module (the root, or ``module.team["payments"]``):
it gives its expressions their namespaces (``var``, ``local``, ``module``, ``data``, resource
types, ``path``, ``terraform``) and evaluates each variable, local, resource attribute and output
once, on first use. Variables take their value as Terraform does: for the root, ``variables=`` /
``-var``, then ``-var-file``, ``*.auto.tfvars``, ``terraform.tfvars``, then the default; for a
child module, the calling block's argument, then the default. Type constraints convert values,
``optional()`` attributes get their defaults. A module whose ``source`` is not a folder inside
the root (a registry or git address, a path above the root) is not read; its outputs are
unknown and the import says so (for a path above the root, with the ``--root`` that would
follow it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from oncall_planner.errors import InputReadError
from oncall_planner.ingest.terraform.expand import instance_keys, key_text, nested_blocks
from oncall_planner.ingest.terraform.expressions import NOT_REMEMBERED, Evaluator, Scope
from oncall_planner.ingest.terraform.files import (
    Warn,
    inside,
    read_module,
    read_text,
    suggested_root,
)
from oncall_planner.ingest.terraform.functions import FUNCTIONS, file_functions, from_plain
from oncall_planner.ingest.terraform.hcl import HclSyntaxError, parse_expression
from oncall_planner.ingest.terraform.jsonsyntax import JsonBlock, templated
from oncall_planner.ingest.terraform.syntax import (
    Attribute,
    Block,
    Call,
    Lit,
    Node,
    ObjectCons,
    Parens,
    Source,
    Traversal,
    TupleCons,
    Var,
    clipped,
)
from oncall_planner.ingest.terraform.values import (
    EvalError,
    Lazy,
    Ref,
    TfSet,
    Unknown,
    describe,
)

#: Arguments of a resource block that are not attributes of its instances.
_META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider"})

#: Root names that are never a resource type in an expression (``var.x``, ``each.key``, …).
_NOT_TYPES = frozenset({"var", "local", "module", "data", "path", "terraform", "each", "count",
                        "self"})  # fmt: skip

#: How deep module calls may nest (a module that calls itself would never end).
MAX_MODULE_DEPTH = 16


class Parsed:
    """The declarations of one module folder, indexed; duplicates are refused as Terraform
    refuses them, naming both places."""

    def __init__(self, folder: Path, blocks: list[Block], files: list[str]) -> None:
        self.folder = folder
        self.files = files
        self.blocks = blocks
        self.variables: dict[str, Block] = {}
        self.locals: dict[str, Attribute] = {}
        self.resources: dict[tuple[str, str, str], Block] = {}
        self.modules: dict[str, Block] = {}
        self.outputs: dict[str, Block] = {}
        #: Blocks other than resources and data sources, in order.
        self.others: list[Block] = []
        resources = self.resources
        for block in blocks:
            kind = block.type
            if kind == "resource" or kind == "data":
                if len(block.labels) != 2:
                    raise InputReadError(
                        f"{block.where()}: a {kind} block needs two labels (type and "
                        f"name), got {len(block.labels)}"
                    )
                key = ("managed" if kind == "resource" else "data", *block.labels)
                if key in resources:
                    prefix = "data." if key[0] == "data" else ""
                    self._add(resources, key, block, f"{prefix}{key[1]}.{key[2]}")
                resources[key] = block
                continue
            self.others.append(block)
            if block.type == "variable" and len(block.labels) == 1:
                self._add(self.variables, block.labels[0], block, f"variable {block.labels[0]!r}")
            elif block.type == "locals":
                for name, attr in block.attributes.items():
                    self._add(self.locals, name, attr, f"local.{name}")
            elif block.type == "module" and len(block.labels) == 1:
                self._add(self.modules, block.labels[0], block, f"module.{block.labels[0]}")
            elif block.type == "output" and len(block.labels) == 1:
                self._add(self.outputs, block.labels[0], block, f"output {block.labels[0]!r}")
        self.types: dict[tuple[str, str], list[str]] = {}
        for mode, rtype, name in self.resources:
            self.types.setdefault((mode, rtype), []).append(name)

    @staticmethod
    def _add(table: dict[Any, Any], key: Any, item: Any, what: str) -> None:
        if key in table:
            raise InputReadError(
                f"{item.where()}: {what} is declared twice (first at {table[key].where()}); "
                "Terraform refuses this"
            )
        table[key] = item


class Instance:
    """One instance of a resource or data source: its address and its attribute values."""

    __slots__ = ("address", "block", "key", "mode", "module", "name", "scope", "type", "value")

    def __init__(
        self, module: ModuleInstance, mode: str, block: Block, key: Any, scope: Scope
    ) -> None:
        self.module = module
        self.mode = mode
        self.block = block
        self.type, self.name = rtype, name = block.labels
        self.key = key
        self.scope = scope
        local = f"{rtype}.{name}" if mode != "data" else f"data.{rtype}.{name}"
        if key is not None:
            local += key_text(key)
        self.address = f"{module.address}.{local}" if module.address else local
        self.value = _InstanceValue(self)
        if key is None and rtype not in _NOT_TYPES:
            # The single instance's ID, ``type.name.id``, the reference written most: what
            # evaluating it gives (the Ref its value computes for "id") remembered under its
            # text now, as Evaluator._traversal would remember it after the first evaluation,
            # which would otherwise go through the namespaces to find this instance.
            ref = self.value._cache["id"] = Ref(self.address, self)
            scope.memo[f"{local}.id"] = ref

    def attribute(self, name: str) -> Any:
        return self.value.get(name)

    # The builders' view (see build.Obj): arguments as written, None when not set.
    def get(self, name: str) -> Any:
        block = self.block
        if type(block) is JsonBlock and name not in _META_ARGUMENTS:
            value = block.raw.get(name)
            if type(value) is str and "${" not in value and "%{" not in value and name != "//":
                return value  # a literal string (never a nested block's key in a plain block)
            return self._get_plain(block, name)
        attr = block.attributes.get(name)
        if attr is None:
            return None
        expr = attr.expr
        if type(expr) is Lit and name not in _META_ARGUMENTS:
            return expr.value  # what evaluating it gives, without the evaluator
        cache = self.value._cache  # what self.value.get() does, written out
        if name in cache:
            return cache[name]
        if type(expr) is Traversal and name != "id" and name not in _META_ARGUMENTS:
            # a reference (``"${pagerduty_team.x.id}"``): what _attribute() would do through
            # Evaluator.ev(), counting the same steps, with two calls fewer
            value = cache[name] = self.module.world.ev.reference(expr, self.scope)
            return value
        value = cache[name] = self.value._attribute(name)
        return value

    def _get_plain(self, block: JsonBlock, name: str) -> Any:
        """:meth:`get` of a plain block of Terraform JSON, read from its decoded object: the
        same values, cached alike, the same steps counted, without its nodes (a reference
        evaluated before is looked up by its text; anything else gets its node)."""
        value = block.raw.get(name)
        if value is None or name in block.schema or name == "//":
            return None  # not set (or null), or a nested block
        kind = type(value)
        if kind is str:
            if "${" not in value and "%{" not in value:
                return value
        elif kind is not list or not templated(value):
            return value  # a number, a boolean, a list of literals: what its Lit holds
        cache = self.value._cache
        if name in cache:
            return cache[name]
        ev = self.module.world.ev
        if kind is str and name != "id":
            ref = block.conv.simple.get(value)  # a reference, as the block is plain
            if ref is not None:
                found = ev.remembered(ref[0], ref[1], self.scope)
                if found is not NOT_REMEMBERED:
                    cache[name] = found
                    return found
            found = cache[name] = ev.reference(block.argument(name), self.scope)  # type: ignore[arg-type]
            return found
        if name == "id":
            found = cache[name] = self.value._attribute(name)
            return found
        found = ev.remembered_items(value, block.conv.simple.get, self.scope)
        if found is NOT_REMEMBERED:
            found = ev.ev(block.argument(name), self.scope)
        cache[name] = found
        return found

    def has(self, name: str) -> bool:
        block = self.block
        return block.has(name) if type(block) is JsonBlock else name in block.attributes

    def blocks(self, name: str) -> Any:
        return nested_objects(self.module.world, self.block, name, self.scope, self.address)

    def where(self, name: str | None = None) -> str:
        block = self.block
        if type(block) is JsonBlock:
            return block.argument_where(name) if name else block.where()
        attr = block.attributes.get(name) if name else None
        return attr.where() if attr is not None else block.where()


class NestedObj:
    """A nested block (``layer``, ``rule``, a ``dynamic`` one's content) as builders read it."""

    __slots__ = ("address", "block", "mode", "scope", "type", "world")

    def __init__(self, world: World, block: Block, scope: Scope, address: str) -> None:
        self.world, self.block, self.scope, self.address = world, block, scope, address
        self.type = block.type
        self.mode = "block"

    def get(self, name: str) -> Any:
        block = self.block
        if type(block) is JsonBlock:
            value = block.raw.get(name)
            if type(value) is str and "${" not in value and "%{" not in value and name != "//":
                return value  # a literal string (never a nested block's key in a plain block)
            return self._get_plain(block, name)
        attr = block.attributes.get(name)
        if attr is None:
            return None
        expr = attr.expr
        if type(expr) is Lit:
            return expr.value  # what evaluating it gives, without the evaluator
        if type(expr) is Traversal:  # a reference: Evaluator.ev() without the dispatch
            return self.world.ev.reference(expr, self.scope)
        return self.world.ev.ev(expr, self.scope)

    def _get_plain(self, block: JsonBlock, name: str) -> Any:
        """:meth:`get` of a plain nested block of Terraform JSON (see ``Instance._get_plain``)."""
        value = block.raw.get(name)
        if value is None or name in block.schema or name == "//":
            return None
        kind = type(value)
        ev = self.world.ev
        if kind is str:
            if "${" not in value and "%{" not in value:
                return value
            ref = block.conv.simple.get(value)  # a reference, as the block is plain
            if ref is not None:
                found = ev.remembered(ref[0], ref[1], self.scope)
                if found is not NOT_REMEMBERED:
                    return found
            return ev.reference(block.argument(name), self.scope)  # type: ignore[arg-type]
        if kind is not list or not templated(value):
            return value
        found = ev.remembered_items(value, block.conv.simple.get, self.scope)
        if found is NOT_REMEMBERED:
            found = ev.ev(block.argument(name), self.scope)
        return found

    def has(self, name: str) -> bool:
        block = self.block
        return block.has(name) if type(block) is JsonBlock else name in block.attributes

    def blocks(self, name: str) -> Any:
        return nested_objects(self.world, self.block, name, self.scope, self.address)

    def where(self, name: str | None = None) -> str:
        block = self.block
        if type(block) is JsonBlock:
            return block.argument_where(name) if name else block.where()
        attr = block.attributes.get(name) if name else None
        return attr.where() if attr is not None else block.where()


def nested_objects(world: World, block: Block, name: str, scope: Scope, address: str) -> Any:
    made = nested_blocks(block, name, scope, world.ev)
    if isinstance(made, Unknown):
        return made
    return [NestedObj(world, b, s, f"{address}.{name}[{i}]") for i, (b, s) in enumerate(made)]


class _InstanceValue(Lazy):
    """``pagerduty_user.alice`` as a value: ``.id`` is a :class:`Ref`, written arguments are
    evaluated once, anything else is computed by the provider (unknown)."""

    __slots__ = ("instance",)

    def __init__(self, instance: Instance) -> None:
        # Lazy.__init__ written out: one of these is made for every instance. Its methods are
        # overridden rather than stored as bound methods, which would hold the value in a
        # reference cycle with itself (see World.close).
        self.label = instance.address
        self._cache = {}
        self._nameset = None
        self.instance = instance

    def names(self) -> list[str]:
        return list(self.instance.block.attributes)

    def has(self, name: str) -> bool:
        return True

    def get(self, name: str) -> Any:
        cache = self._cache
        if name in cache:
            return cache[name]
        value = cache[name] = self._attribute(name)
        return value

    def _attribute(self, name: str) -> Any:
        inst = self.instance
        if name == "id":
            return Ref(inst.address, inst)
        attr = inst.block.attributes.get(name)
        if attr is not None and name not in _META_ARGUMENTS:
            return inst.module.world.ev.ev(attr.expr, inst.scope)
        if any(b.type == name for b in inst.block.blocks):
            return Unknown(f"{inst.address}.{name} (a nested block) is not read as a value")
        return Unknown(f"{inst.address}.{name} is set by the provider when Terraform applies")


class OutsideRoot(Unknown):
    """A module call whose ``source`` leads outside the root: not read; ``hint`` names the
    ``--root`` that would follow it."""

    __slots__ = ("hint",)

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.hint = hint


class World:
    """Everything one import shares: the root folder (nothing outside it is read), the root
    module's folder as the user named it (``top``, the folder Terraform would run in), the evaluator,
    parsed folders, notes."""

    def __init__(self, root: Path, warn: Warn, top: Path | None = None) -> None:
        self.root = root
        self.top = top if top is not None else root
        self.warn = warn
        self.ev = Evaluator(dict(FUNCTIONS))
        self._parsed: dict[str, Parsed] = {}
        self.files: list[str] = []
        #: Every module instance made, for :meth:`close`.
        self.modules: list[ModuleInstance] = []

    def close(self) -> None:
        """Break the reference cycles evaluation forms (a module and its namespaces, an
        instance and its value, the evaluator and its dispatch table), once the plan is built.

        Without this, everything an import made in passing (blocks, nodes, instances, values:
        about 300,000 objects for 1,000 teams) would stay in memory until Python's cyclic
        collector found it, and that collection, 100 to 200 ms of CPU time, would fall on
        whatever the program does next. With the cycles broken, it is freed by reference
        counting when the import returns."""
        for module in self.modules:
            module.close()
        self.modules.clear()
        self._parsed.clear()
        self.ev.close()

    def __enter__(self) -> World:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def parsed(self, folder: Path) -> Parsed:
        key = os.path.realpath(folder)
        if key not in self._parsed:
            blocks, names = read_module(folder, self.root, self.warn)
            self._parsed[key] = Parsed(folder, blocks, names)
            self.files.extend(names)
        return self._parsed[key]


class ModuleInstance:
    def __init__(
        self,
        world: World,
        parsed: Parsed,
        address: str,
        inputs: Mapping[str, Callable[[], Any]],
        depth: int = 0,
    ) -> None:
        self.world = world
        world.modules.append(self)
        self.parsed = parsed
        self.address = address
        self.inputs = inputs
        self.depth = depth
        self.scope = Scope(self._root)
        self._evaluating: set[str] = set()
        self.var = Lazy("var", lambda: list(parsed.variables), self._variable)
        self.local = Lazy("local", lambda: list(parsed.locals), self._local)
        self.module = Lazy("module", lambda: list(parsed.modules), self._module_value)
        self._namespaces: dict[tuple[str, str], Lazy] = {}
        self.data = Lazy(
            "data",
            lambda: sorted({t for m, t in parsed.types if m == "data"}),
            lambda t: self._namespace("data", t),
        )
        self._values: dict[tuple[str, str, str], Any] = {}
        self._children: dict[str, list[ModuleInstance] | Unknown] = {}
        # As Terraform gives them when it runs in the root module's folder: path.module and
        # path.root relative to it ("." for the root module), path.cwd absolute. file() and
        # friends read relative paths from that folder, so "${path.module}/x" is found whether
        # the user named the folder with a relative or an absolute path.
        top = os.path.abspath(world.top)
        folder = os.path.relpath(os.path.abspath(parsed.folder), top)
        self.path = {"module": folder, "root": ".", "cwd": top}
        #: The namespaces every module has, by name.
        self._fixed: dict[str, Any] = {
            "var": self.var,
            "local": self.local,
            "module": self.module,
            "data": self.data,
            "path": self.path,
            "terraform": {"workspace": "default"},
        }
        self.functions_checked = False
        for name, func in file_functions(self._read, self._list).items():
            world.ev.functions.setdefault(name, func)

    def close(self) -> None:
        """Drop everything this instance holds (see :meth:`World.close`): its resource instances
        let go of their values, and the namespaces, scope and memo that refer back to it go."""
        for made in self._values.values():
            if not isinstance(made, Unknown):
                for inst in made[1]:
                    inst.value = None
        self.scope.memo.clear()
        self.__dict__.clear()

    # -- names -----------------------------------------------------------------------------------

    def _root(self, name: str, node: Node) -> Any:
        fixed = self._fixed.get(name)
        if fixed is not None:
            return fixed
        if name in ("each", "count", "self"):
            raise EvalError(f"{name!r} is only valid inside a block that sets it", node.where())
        if ("managed", name) in self.parsed.types:
            return self._namespace("managed", name)
        if name == "pagerduty_user":
            return _TypeNamespace("pagerduty_user", lambda: [], lambda n: None, True, self.address)
        if "_" in name:
            return _AnyLazy(
                name,
                lambda: [],
                lambda n: Unknown(f"{name}.{n} is not declared in the configuration that was read"),
            )
        raise EvalError(f"unknown name {name!r}", node.where())

    def _namespace(self, mode: str, rtype: str) -> Lazy:
        key = (mode, rtype)
        if key not in self._namespaces:
            names = self.parsed.types.get(key, [])
            prefix = "data." if mode == "data" else ""
            self._namespaces[key] = _TypeNamespace(
                f"{prefix}{rtype}",
                lambda names=names: list(names),  # type: ignore[misc]
                lambda n, mode=mode, rtype=rtype: self.resource_value(mode, rtype, n),  # type: ignore[misc]
                mode == "managed" and rtype == "pagerduty_user",
                self.address,
            )
        return self._namespaces[key]

    # -- variables and locals ----------------------------------------------------------------------

    def _variable(self, name: str) -> Any:
        block = self.parsed.variables[name]
        value: Any
        if name in self.inputs:
            value = self.inputs[name]()
            if value is None and _nullable_false(block):
                value = self._default(block, name)
        else:
            value = self._default(block, name)
        if isinstance(value, Unknown):
            return value
        type_attr = block.attributes.get("type")
        if type_attr is None:
            return value
        try:
            return convert(value, type_node(type_attr), self.world.ev, f"var.{name}")
        except EvalError as exc:
            raise EvalError(f"var.{name}: {exc.message}", type_attr.where()) from None

    def _default(self, block: Block, name: str) -> Any:
        attr = block.attributes.get("default")
        if attr is None:
            where = f"{self.address} " if self.address else ""
            return Unknown(
                f"{block.where()}: variable {name!r} of {where or 'the root module '}has no "
                f"default and no value was given (variables={{{name!r}: …}}, --var {name}=… or "
                "a .tfvars file)"
            )
        check_constant(attr.expr)
        return self.world.ev.ev(attr.expr, constant_scope())

    def _local(self, name: str) -> Any:
        if name in self._evaluating:
            attr = self.parsed.locals[name]
            raise EvalError(f"local.{name} refers to itself (a cycle)", attr.where())
        self._evaluating.add(name)
        try:
            return self.world.ev.ev(self.parsed.locals[name].expr, self.scope)
        finally:
            self._evaluating.discard(name)

    # -- resources ---------------------------------------------------------------------------------

    def instances(self, mode: str, rtype: str, name: str) -> list[Instance] | Unknown:
        """The instances of one resource or data block (memoised)."""
        key = (mode, rtype, name)
        result: Any = self._values.get(key)
        if result is None:
            block = self.parsed.resources[key]
            if type(block) is JsonBlock:  # one instance: _expand's common case, written out
                inst = Instance(self, mode, block, None, self.scope)
                result = self._values[key] = (inst.value, [inst])
            else:
                result = self._values[key] = self._expand(mode, rtype, name)
        return result[1] if type(result) is tuple else result  # type: ignore[no-any-return]

    def _expand(self, mode: str, rtype: str, name: str) -> Any:
        block = self.parsed.resources[(mode, rtype, name)]
        if type(block) is JsonBlock or (  # a plain JSON block has neither
            "count" not in block.attributes and "for_each" not in block.attributes
        ):
            inst = Instance(self, mode, block, None, self.scope)  # one instance: the common case
            return (inst.value, [inst])
        keys = instance_keys(block, self.scope, self.world.ev)
        if isinstance(keys, Unknown):
            return keys
        if keys is None:
            inst = Instance(self, mode, block, None, self.scope)
            return (inst.value, [inst])
        made = [Instance(self, mode, block, k, self.scope.child(names)) for k, names in keys]
        if "count" in block.attributes:
            return ([i.value for i in made], made)
        return ({i.key: i.value for i in made}, made)

    def resource_value(self, mode: str, rtype: str, name: str) -> Any:
        if (mode, rtype, name) not in self.parsed.resources:
            prefix = "data." if mode == "data" else ""
            return Unknown(
                f"{prefix}{rtype}.{name} is not declared in the configuration that was read"
            )
        self.instances(mode, rtype, name)
        result = self._values[(mode, rtype, name)]
        return result if isinstance(result, Unknown) else result[0]

    # -- child modules -----------------------------------------------------------------------------

    def children(self, name: str) -> list[ModuleInstance] | Unknown:
        if name not in self._children:
            self._children[name] = self._call(name)
        return self._children[name]

    def _call(self, name: str) -> list[ModuleInstance] | Unknown:
        block = self.parsed.modules[name]
        address = f"{self.address}.module.{name}" if self.address else f"module.{name}"
        source_attr = block.attributes.get("source")
        source = (
            source_attr.expr.value if source_attr and isinstance(source_attr.expr, Lit) else None
        )
        if not isinstance(source, str):
            return Unknown(f"{block.where()}: {address} has no literal source")
        if not source.startswith(("./", "../")) and source not in (".", ".."):
            return Unknown(
                f"{address}: not read: its source {clipped(source)} is not a local folder; what it "
                "declares is not imported"
            )
        folder = Path(os.path.normpath(Path(self.parsed.folder) / source))
        if not inside(folder, self.world.root):
            wider = suggested_root(self.world.root, folder)
            return OutsideRoot(
                f"{address}: not read: its source {clipped(source)} leads outside the folder the "
                "import was given; what it declares is not imported",
                f"pass --root {wider} (root= in Python) to read it: a folder holding both the "
                "input and the module",
            )
        try:
            exists = folder.is_dir()
        except OSError as exc:  # a name the system refuses to look up, e.g. too long
            where = (source_attr or block).where()
            raise InputReadError(
                f"{where}: {address}: its source {clipped(source)} cannot be looked up: "
                f"{exc.strerror or type(exc).__name__}"
            ) from None
        if not exists:
            return Unknown(
                f"{address}: not read: its source folder {clipped(source)} does not exist"
            )
        if self.depth >= MAX_MODULE_DEPTH:
            raise InputReadError(
                f"{block.where()}: modules nest more than {MAX_MODULE_DEPTH} deep (a module that calls itself?)"
            )
        parsed = self.world.parsed(folder)
        keys = instance_keys(block, self.scope, self.world.ev)
        if isinstance(keys, Unknown):
            return keys
        meta = {"source", "version", "count", "for_each", "providers", "depends_on"}
        out = []
        for key, names in keys if keys is not None else [(None, {})]:
            scope = self.scope.child(names) if names else self.scope
            inputs = {
                arg: (lambda a=attr, s=scope: self.world.ev.ev(a.expr, s))
                for arg, attr in block.attributes.items()
                if arg not in meta
            }
            for arg in inputs:
                if arg not in parsed.variables:
                    raise InputReadError(
                        f"{block.attributes[arg].where()}: {address} is given {arg!r}, which the "
                        "module does not declare as a variable"
                    )
            out.append(
                ModuleInstance(self.world, parsed, address + key_text(key), inputs, self.depth + 1)
            )
        return out

    def _module_value(self, name: str) -> Any:
        children = self.children(name)
        if isinstance(children, Unknown):
            return children
        block = self.parsed.modules[name]
        values = [c.outputs_value() for c in children]
        if "count" in block.attributes:
            return values
        if "for_each" in block.attributes:
            return {self._key_of(c): v for c, v in zip(children, values)}
        return values[0]

    @staticmethod
    def _key_of(child: ModuleInstance) -> str:
        import json

        return str(json.loads(child.address[child.address.rindex("[") + 1 : -1]))

    def outputs_value(self) -> Lazy:
        def compute(name: str) -> Any:
            block = self.parsed.outputs[name]
            attr = block.attributes.get("value")
            if attr is None:
                return None
            return self.world.ev.ev(attr.expr, self.scope)

        return Lazy(self.address or "module", lambda: list(self.parsed.outputs), compute)

    def walk(self) -> Iterator[ModuleInstance | tuple[str, Block, Unknown]]:
        """This instance and every child instance below it (module calls whose instances are
        unknown come as ``(address, block, unknown)``)."""
        yield self
        for name, block in self.parsed.modules.items():
            children = self.children(name)
            if isinstance(children, Unknown):
                yield (name, block, children)
                continue
            for child in children:
                yield from child.walk()

    # -- files -------------------------------------------------------------------------------------

    def _resolve(self, path: str, node: Node) -> Path:
        folder = Path(os.path.realpath(self.parsed.folder))
        target = Path(path) if os.path.isabs(path) else folder / path
        real = Path(os.path.realpath(target))
        if not (real == folder or folder in real.parents):
            raise EvalError(
                f"{clipped(path)} is outside the module's own folder; the importer reads files "
                "only inside it",
                node.where(),
            )
        return real

    def _read(self, path: str, node: Node) -> str:
        real = self._resolve(path, node)
        try:
            exists = real.is_file()
        except OSError as exc:  # a name the system refuses to look up, e.g. too long
            raise InputReadError(
                f"{node.where()}: the file {clipped(path)} cannot be looked up: "
                f"{exc.strerror or type(exc).__name__}"
            ) from None
        if not exists:
            raise EvalError(f"no file {clipped(path)} in the module's folder", node.where())
        try:
            return read_text(real, self.world.root, clipped(path))
        except InputReadError as exc:
            raise EvalError(str(exc), node.where()) from None

    def _list(self, spec: str, node: Node) -> list[str]:
        import fnmatch

        base, _, pattern = spec.partition("\x00")
        folder = self._resolve(base, node)
        out = []
        for dirpath, _dirs, files in os.walk(folder):
            for f in files:
                rel = os.path.relpath(os.path.join(dirpath, f), folder)
                if fnmatch.fnmatch(rel, pattern):
                    out.append(rel)
        return sorted(out)


class _TypeNamespace(Lazy):
    """``pagerduty_user`` in ``pagerduty_user.alice``: resources of one type by name."""

    __slots__ = ("placeholder", "prefix")

    def __init__(
        self,
        label: str,
        names: Callable[[], list[str]],
        compute: Callable[[str], Any],
        placeholder: bool,
        prefix: str,
    ) -> None:
        super().__init__(label, names, compute)
        self.placeholder = placeholder
        self.prefix = prefix

    def has(self, name: str) -> bool:
        return self.placeholder or super().has(name)

    def get(self, name: str) -> Any:
        if self.placeholder and not super().has(name):
            return _placeholder_instance(self.prefix, name)
        return super().get(name)


class Placeholder:
    """An undeclared ``pagerduty_user.NAME``: the builder makes a placeholder user of it."""

    __slots__ = ("address", "name")

    def __init__(self, address: str, name: str) -> None:
        self.address = address
        self.name = name


class _AnyLazy(Lazy):
    """A Lazy that answers for any attribute name."""

    __slots__ = ()

    def has(self, name: str) -> bool:
        return True


def _placeholder_instance(module_address: str, name: str) -> Lazy:
    local = f"pagerduty_user.{name}"
    address = f"{module_address}.{local}" if module_address else local
    target = Placeholder(address, name)

    def attribute(attr: str) -> Any:
        if attr == "id":
            return Ref(address, target)
        return Unknown(f"{address} is not declared in the configuration that was read")

    return _AnyLazy(address, lambda: ["id"], attribute)


def _nullable_false(block: Block) -> bool:
    attr = block.attributes.get("nullable")
    return attr is not None and isinstance(attr.expr, Lit) and attr.expr.value is False


def constant_scope() -> Scope:
    def root(name: str, node: Node) -> Any:
        raise EvalError(
            "a variable definitions file or a variable's default holds only constant values "
            f"(Terraform allows no references or function calls there), got `{node.text()}`",
            node.where(),
        )

    return Scope(root)


def check_constant(node: Node) -> None:
    """Refuse references and function calls where Terraform takes only constants."""
    from oncall_planner.ingest.terraform.syntax import Template, UnaryOp

    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Lit):
            continue
        if isinstance(n, TupleCons):
            stack.extend(n.items)
        elif isinstance(n, ObjectCons):
            for k, v in n.items:
                stack.extend((k, v))
        elif isinstance(n, Parens):
            stack.append(n.inner)
        elif isinstance(n, UnaryOp) and n.op == "-":
            stack.append(n.operand)
        elif isinstance(n, Template) and all(isinstance(p, str) for p in n.parts):
            continue
        else:
            raise EvalError(
                "a variable definitions file or a variable's default holds only constant values "
                f"(Terraform allows no references or function calls there), got `{n.text()}`",
                n.where(),
                fatal=True,
            )


# ---------------------------------------------------------------------------------------------
# Type constraints
# ---------------------------------------------------------------------------------------------


def type_node(attr: Attribute) -> Node:
    node = attr.expr
    if isinstance(node, Lit) and isinstance(node.value, str):  # JSON syntax: a type as a string
        try:
            return parse_expression(Source(attr.where(), node.value))
        except HclSyntaxError as exc:
            raise EvalError(f"invalid type: {exc.message}", attr.where()) from None
    return node


def convert(value: Any, type_: Node, ev: Evaluator, what: str, depth: int = 0) -> Any:
    """``value`` converted to the type constraint ``type_`` as Terraform converts variables."""
    if depth > 32:
        raise EvalError("the type is nested too deeply")
    if isinstance(value, (Unknown, Ref)) or value is None:
        return value
    if isinstance(type_, Parens):
        type_ = type_.inner
    if isinstance(value, Lazy):
        value = value.materialise()
    if isinstance(type_, Var):
        kind = type_.name
        if kind == "any":
            return value
        if kind == "string":
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, (int, float)):
                from oncall_planner.ingest.terraform.values import format_number

                return format_number(value)
            if isinstance(value, str):
                return value
            raise EvalError(f"{what} must be a string, got {describe(value)}")
        if kind == "number":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return value
            if isinstance(value, str):
                from oncall_planner.ingest.terraform.expressions import to_number

                n = to_number(value, type_)
                return n
            raise EvalError(f"{what} must be a number, got {describe(value)}")
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if value in ("true", "false"):
                return value == "true"
            raise EvalError(f"{what} must be a bool, got {describe(value)}")
        return value
    if isinstance(type_, Call):
        name, args = type_.name, type_.args
        if name in ("list", "set") and args:
            if not isinstance(value, (list, TfSet)):
                raise EvalError(f"{what} must be a {name}, got {describe(value)}")
            items = [convert(v, args[0], ev, f"{what} element", depth + 1) for v in value]
            return TfSet(items) if name == "set" else items
        if name == "map" and args:
            if not isinstance(value, dict):
                raise EvalError(f"{what} must be a map, got {describe(value)}")
            return {
                k: convert(v, args[0], ev, f"{what}[{k!r}]", depth + 1) for k, v in value.items()
            }
        if name == "tuple" and args and isinstance(args[0], TupleCons):
            if not isinstance(value, list) or len(value) != len(args[0].items):
                raise EvalError(f"{what} must be a tuple of {len(args[0].items)}")
            return [convert(v, t, ev, what, depth + 1) for v, t in zip(value, args[0].items)]
        if name == "object" and args and isinstance(args[0], ObjectCons):
            if not isinstance(value, dict):
                raise EvalError(f"{what} must be an object, got {describe(value)}")
            out: dict[str, Any] = {}
            for knode, tnode in args[0].items:
                key = knode.value if isinstance(knode, Lit) else None
                if not isinstance(key, str):
                    continue
                optional = isinstance(tnode, Call) and tnode.name == "optional"
                opt_args = tnode.args if isinstance(tnode, Call) else ()
                inner = opt_args[0] if optional and opt_args else tnode
                if key in value and value[key] is not None:
                    out[key] = convert(value[key], inner, ev, f"{what}.{key}", depth + 1)
                elif optional:
                    default = None
                    if len(opt_args) > 1:
                        default = ev.ev(opt_args[1], constant_scope())
                        default = convert(default, inner, ev, f"{what}.{key}", depth + 1)
                    out[key] = default
                elif key in value:
                    out[key] = None
                else:
                    raise EvalError(f"{what} is missing the attribute {key!r}")
            return out
        if name == "optional" and args:
            return convert(value, args[0], ev, what, depth + 1)
    return value


def given_value(value: Any, name: str) -> Any:
    """A value given from Python (``variables=``) as an evaluator value, depth bounded."""
    try:
        return from_plain(_tuples_to_lists(value, 0))
    except EvalError as exc:
        raise InputReadError(f"variables[{name!r}]: {exc.message}") from None


def _tuples_to_lists(value: Any, depth: int) -> Any:
    if depth > 64:
        raise EvalError("the value is nested too deeply")
    if isinstance(value, (list, tuple)):
        return [_tuples_to_lists(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return TfSet(_tuples_to_lists(v, depth + 1) for v in value)
    if isinstance(value, Mapping):
        return {str(k): _tuples_to_lists(v, depth + 1) for k, v in value.items()}
    return value
