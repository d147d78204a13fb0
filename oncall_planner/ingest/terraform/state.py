"""Terraform's own evaluation as input: ``terraform show -json`` of a plan or of state, and raw
state files (``terraform.tfstate``, ``terraform state pull``, format version 4).

There every ``count``, ``for_each``, module, ``dynamic`` block, function and variable has
already been evaluated by Terraform, so objects are read as they are, with their full address
(``module.team["payments"].pagerduty_schedule.primary``) and the builders of :mod:`.build`.

* **State** (``values`` / raw ``resources``): users and schedules are referenced by PagerDuty
  IDs; each ID is resolved through the file's own ``pagerduty_user``, ``data.pagerduty_user``,
  ``pagerduty_schedule``, ``pagerduty_schedulev2``, ``pagerduty_team`` instances (v3 schedules
  keep their ID, and a target may call it ``schedule_v3_reference``). An ID nothing resolves becomes a
  placeholder (OCP602).
* **Plan** (``planned_values``): what Terraform will create has no ID yet. A reference to such
  an object is resolved through the plan's ``configuration`` (the references Terraform
  recorded, when they name single objects); otherwise the value is unknown and the object that
  needs it is reported (OCP601). Data sources read during planning come from ``prior_state``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oncall_planner.errors import InputReadError
from oncall_planner.ingest.terraform.build import BUILDERS, NOT_MODELLED, Build
from oncall_planner.ingest.terraform.expand import key_text
from oncall_planner.ingest.terraform.jsonsyntax import Offsets
from oncall_planner.ingest.terraform.syntax import Source
from oncall_planner.ingest.terraform.values import Ref, Unknown

if TYPE_CHECKING:
    from oncall_planner.ingest.terraform import TerraformImport

#: Arguments that hold a list of IDs (the rest that hold IDs hold one).
_LIST_OF_IDS = frozenset({"users", "teams"})
#: Types whose ``id`` references are resolved (the objects other objects point at).
_ID_TYPES = frozenset(
    {"pagerduty_user", "pagerduty_schedule", "pagerduty_schedulev2", "pagerduty_team"}
)


def detect(data: Any) -> str | None:
    """``"plan"``, ``"state"`` or ``"raw"`` when ``data`` is one of Terraform's own JSON
    documents, else ``None`` (then it is configuration in JSON syntax)."""
    if not isinstance(data, dict):
        return None
    if "format_version" in data and ("planned_values" in data or "resource_changes" in data):
        return "plan"
    if "format_version" in data and ("values" in data or "terraform_version" in data):
        return "state"
    if isinstance(data.get("version"), int) and isinstance(data.get("resources"), list):
        return "raw"
    return None


def _show_path(path: tuple[Any, ...]) -> str:
    """``values.root_module.resources[3].address`` of a path into the document."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true or false"}.get(
        type(value), "null" if value is None else "a number"
    )


def _shaped(value: Any, shape: type, name: str, path: tuple[Any, ...]) -> Any:
    """``value`` when it is a ``shape`` (``dict`` or ``list``) or absent (``None``: an empty
    one); else the document is not what Terraform writes, and that is an error naming where."""
    if value is None:
        return shape()
    if type(value) is not shape:
        what = "an object" if shape is dict else "a list"
        raise InputReadError(
            f"{name}: {_show_path(path)} must be {what}, as Terraform writes it, got {_kind(value)}"
        )
    return value


class StateObj:
    """A resource instance (or one of its nested blocks) from plan or state JSON."""

    __slots__ = ("address", "doc", "located", "mode", "refs", "type", "unknown", "values")

    def __init__(
        self,
        doc: dict[str, StateObj],
        address: str,
        mode: str,
        type_: str,
        values: dict[str, Any],
        located: str,
        unknown: Any = None,
        refs: Any = None,
    ) -> None:
        #: Every object of the document by address (to resolve plan references).
        self.doc = doc
        self.address, self.mode, self.type = address, mode, type_
        self.values = values
        self.located = located
        self.unknown = unknown if isinstance(unknown, dict) else {}
        #: The configuration's ``expressions`` for this object (plans only).
        self.refs = refs if isinstance(refs, dict) else {}

    def get(self, name: str) -> Any:
        flag = self.unknown.get(name)
        if flag is True:
            return self._from_config(name) or Unknown(
                f"{self.located}: {self.address}.{name} is known only after Terraform applies "
                "the plan"
            )
        value = self.values.get(name)
        if isinstance(flag, list) and isinstance(value, list):
            out = list(value)
            resolved = self._config_ids(name)
            for i, unknown in enumerate(flag):
                if unknown is True and i < len(out):
                    if resolved is not None and len(resolved) == len(flag):
                        out[i] = resolved[i]
                    else:
                        out[i] = Unknown(
                            f"{self.located}: {self.address}.{name}[{i}] is known only after "
                            "Terraform applies the plan"
                        )
            return out
        if value == "":
            return None
        return value

    def _config_ids(self, name: str) -> list[Any] | None:
        expr = self.refs.get(name)
        if not isinstance(expr, dict):
            return None
        refs = [r for r in expr.get("references", []) if isinstance(r, str)]
        ids = [r[:-3] for r in refs if r.endswith(".id")]
        if not ids or any(r.startswith(("each.", "count.", "var.", "local.")) for r in refs):
            return None
        out: list[Any] = []
        for ref in ids:
            address = _join(_module_of(self.address), ref)
            target = self.doc.get(address)
            out.append(
                Ref(address, target)
                if target is not None
                else Unknown(f"{self.located}: {address} is not in the plan")
            )
        return out

    def _from_config(self, name: str) -> Any:
        ids = self._config_ids(name)
        if ids is None:
            return None
        if name in _LIST_OF_IDS:
            return ids
        return ids[0] if len(ids) == 1 else None

    def has(self, name: str) -> bool:
        return name in self.values

    def blocks(self, name: str) -> list[Any] | Unknown:
        if self.unknown.get(name) is True:
            return Unknown(f"{self.located}: the {name} blocks of {self.address} are unknown")
        items = self.values.get(name) or []
        if not isinstance(items, list):
            items = [items]
        flags = self.unknown.get(name)
        exprs = self.refs.get(name)
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            flag = flags[i] if isinstance(flags, list) and i < len(flags) else None
            expr = exprs[i] if isinstance(exprs, list) and i < len(exprs) else None
            out.append(
                StateObj(
                    self.doc,
                    f"{self.address}.{name}[{i}]",
                    "block",
                    name,
                    item,
                    self.located,
                    flag,
                    expr,
                )
            )
        return out

    def where(self, name: str | None = None) -> str:
        return self.located


def _module_of(address: str) -> str:
    """``module.a["x"].module.b`` of ``module.a["x"].module.b.pagerduty_user.u``."""
    parts = address.split(".")
    out: list[str] = []
    i = 0
    while i + 1 < len(parts) and parts[i] == "module":
        out.extend(parts[i : i + 2])
        i += 2
    return ".".join(out)


def _join(module: str, local: str) -> str:
    return f"{module}.{local}" if module else local


class _Reader:
    def __init__(self, name: str, located: tuple[Source, Offsets] | None) -> None:
        self.name = name
        self.located = located
        self.objects: list[StateObj] = []
        self.by_address: dict[str, StateObj] = {}

    def where(self, path: tuple[Any, ...]) -> str:
        if self.located is None:
            return self.name
        src, offsets = self.located
        while path and path not in offsets:
            path = path[:-1]
        return f"{self.name}:{src.line(offsets[path])}" if path else self.name

    def _add(self, obj: StateObj) -> None:
        self.objects.append(obj)
        self.by_address.setdefault(obj.address, obj)

    def module(
        self,
        module: Any,
        path: tuple[Any, ...],
        unknown: dict[str, Any],
        config: dict[str, Any],
        seen: set[str],
    ) -> None:
        module = _shaped(module, dict, self.name, path)
        resources = _shaped(module.get("resources"), list, self.name, (*path, "resources"))
        for i, res in enumerate(resources):
            if not isinstance(res, dict):
                continue
            address = res.get("address", "")
            if not isinstance(address, str):
                raise InputReadError(
                    f"{self.name}: {_show_path((*path, 'resources', i, 'address'))} must be a "
                    f"string, got {_kind(address)}"
                )
            if address in seen:
                continue
            seen.add(address)
            values = res.get("values")
            if not isinstance(values, dict):
                continue
            mode = "data" if res.get("mode") == "data" else "managed"
            refs = config.get(_config_key(address))
            self._add(
                StateObj(
                    self.by_address,
                    address,
                    mode,
                    str(res.get("type", "")),
                    values,
                    self.where((*path, "resources", i)),
                    unknown.get(address),
                    refs,
                )
            )
        children = _shaped(module.get("child_modules"), list, self.name, (*path, "child_modules"))
        for j, child in enumerate(children):
            self.module(child, (*path, "child_modules", j), unknown, config, seen)

    def raw(self, data: dict[str, Any]) -> None:
        for i, res in enumerate(_shaped(data.get("resources"), list, self.name, ("resources",))):
            if not isinstance(res, dict):
                continue
            mode = "data" if res.get("mode") == "data" else "managed"
            rtype, name = str(res.get("type", "")), str(res.get("name", ""))
            module = str(res.get("module") or "")
            prefix = "data." if mode == "data" else ""
            where = ("resources", i, "instances")
            for k, inst in enumerate(_shaped(res.get("instances"), list, self.name, where)):
                if not isinstance(inst, dict) or not isinstance(inst.get("attributes"), dict):
                    continue
                key = inst.get("index_key")
                if key is not None and (type(key) is not str and type(key) is not int):
                    raise InputReadError(
                        f"{self.name}: {_show_path((*where, k, 'index_key'))} must be a string "
                        f"or a whole number, got {_kind(key)}"
                    )
                address = _join(module, f"{prefix}{rtype}.{name}{key_text(key)}")
                self._add(
                    StateObj(
                        self.by_address,
                        address,
                        mode,
                        rtype,
                        inst["attributes"],
                        self.where(("resources", i, "instances", k)),
                    )
                )


def _config_key(address: str) -> str:
    """The configuration address of an instance: its module path without keys, its resource
    without its own key (``module.team.pagerduty_schedule.primary``)."""
    out = []
    depth = 0
    word = ""
    for ch in address:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            word += ch
    out.append(word)
    return "".join(out)


def _configuration(config: Any) -> dict[str, Any]:
    """Configuration address (``module.a.pagerduty_user.x``) -> that resource's expressions."""
    out: dict[str, Any] = {}
    if isinstance(config, dict):
        _walk_configuration(config.get("root_module"), "", 0, out)
    return out


def _walk_configuration(module: Any, prefix: str, depth: int, out: dict[str, Any]) -> None:
    if not isinstance(module, dict) or depth > 32:
        return
    resources = module.get("resources")
    for res in resources if isinstance(resources, list) else ():
        if isinstance(res, dict) and isinstance(res.get("address"), str):
            expressions = res.get("expressions")
            out[_join(prefix, res["address"])] = (
                expressions if isinstance(expressions, dict) else {}
            )
    calls = module.get("module_calls")
    for name, call in calls.items() if isinstance(calls, dict) else ():
        if isinstance(call, dict):
            _walk_configuration(call.get("module"), _join(prefix, f"module.{name}"), depth + 1, out)


def import_document(
    data: dict[str, Any], name: str, located: tuple[Source, Offsets] | None
) -> TerraformImport:
    from oncall_planner.ingest.terraform import _assemble

    kind = detect(data)
    reader = _Reader(name, located)
    if kind == "plan":
        unknown: dict[str, Any] = {}
        changes = _shaped(data.get("resource_changes"), list, name, ("resource_changes",))
        for i, rc in enumerate(changes):
            if isinstance(rc, dict):
                change = _shaped(rc.get("change"), dict, name, ("resource_changes", i, "change"))
                unknown[str(rc.get("address"))] = change.get("after_unknown")
        config = _configuration(data.get("configuration"))
        seen: set[str] = set()
        planned = _shaped(data.get("planned_values"), dict, name, ("planned_values",))
        path: tuple[Any, ...] = ("planned_values", "root_module")
        reader.module(planned.get("root_module"), path, unknown, config, seen)
        prior = _shaped(data.get("prior_state"), dict, name, ("prior_state",))
        prior_values = _shaped(prior.get("values"), dict, name, ("prior_state", "values"))
        path = ("prior_state", "values", "root_module")
        reader.module(prior_values.get("root_module"), path, {}, config, seen)
        label = "plan"
    elif kind == "state":
        values = _shaped(data.get("values"), dict, name, ("values",))
        reader.module(values.get("root_module"), ("values", "root_module"), {}, {}, set())
        label = "state"
    elif kind == "raw":
        if data.get("version") != 4:
            raise InputReadError(
                f"{name}: state format version {data.get('version')!r} is not supported "
                "(Terraform 0.12 and later write version 4)"
            )
        reader.raw(data)
        label = "state"
    else:
        raise InputReadError(f"{name}: not a Terraform plan or state document")
    by_id: dict[str, StateObj] = {}
    for obj in reader.objects:
        ident = obj.values.get("id")
        if obj.type in _ID_TYPES and isinstance(ident, str) and ident:
            by_id.setdefault(ident, obj)

    def resolve(value: str) -> StateObj | None:
        return by_id.get(value)

    ctx = Build(resolve_id=resolve)
    todo: list[tuple[str, Any]] = []
    for obj in reader.objects:
        entry = BUILDERS.get((obj.mode, obj.type))
        if entry is None:
            if (obj.mode, obj.type) in NOT_MODELLED:
                todo.append(("unmodelled", obj))
            continue
        if entry.kind == "membership":
            ctx.memberships.append(obj)
        todo.append((entry.kind, obj))
    try:
        return _assemble(ctx, todo, [], [], (name,), label)
    finally:
        # every object refers to the table of all objects, which refers back to it: emptied,
        # they are freed on return rather than by the cyclic collector
        reader.by_address.clear()
