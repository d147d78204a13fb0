"""Import PagerDuty Terraform: HCL, ``.tf.json``, CDKTF's ``cdk.tf.json``, plan and state JSON.

The package is split by job:

* :mod:`.syntax`, :mod:`.hcl`, :mod:`.jsonsyntax`, :mod:`.files` — **parse**: files, safely
  read, into blocks, attributes and expression nodes;
* :mod:`.expressions`, :mod:`.values` — **evaluate expressions** by Terraform's rules;
* :mod:`.functions` — Terraform's **functions**;
* :mod:`.expand` — **expand** ``count``/``for_each`` instances and ``dynamic`` blocks;
* :mod:`.modules` — **modules**: variables, locals, outputs, local module calls;
* :mod:`.build` — **build the plan**: one builder per resource type;
* :mod:`.state` — Terraform's own evaluation: ``terraform show -json`` of a plan or state, and
  raw state files.

The importer never runs what it reads: no provider, no ``terraform`` binary, no network.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from oncall_planner.errors import InputReadError, ValidationError
from oncall_planner.ingest.terraform import (
    plainbuild,  # noqa: F401  (registers its builders)
    schedulev2,  # noqa: F401  (registers its builder)
)
from oncall_planner.ingest.terraform.build import BUILDERS, NOT_MODELLED, Build, SkipError
from oncall_planner.ingest.terraform.files import (
    default_root,
    inside,
    read_text,
    read_tfvars,
    tfvars_files,
)
from oncall_planner.ingest.terraform.hcl import HclSyntaxError, parse_expression
from oncall_planner.ingest.terraform.jsonsyntax import (
    blocks_from_document,
    decode_checked,
    read_document,
)
from oncall_planner.ingest.terraform.modules import (
    ModuleInstance,
    Parsed,
    World,
    constant_scope,
    given_value,
    type_node,
)
from oncall_planner.ingest.terraform.syntax import Attribute, Source
from oncall_planner.ingest.terraform.values import EvalError, Unknown
from oncall_planner.model import OnCallPlan, ShiftSchedule

__all__ = [
    "Diagnostic",
    "Location",
    "TerraformImport",
    "import_terraform",
    "load_terraform",
]

PLACEHOLDER_DOMAIN = "unknown.invalid"


@attrs.frozen
class Location:
    """Where something is written: a file and, when known, a line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    @classmethod
    def parse(cls, text: str) -> Location:
        file, _, line = text.rpartition(":")
        if file and line.isdigit():
            return cls(file, int(line))
        return cls(text)


@attrs.frozen
class Diagnostic:
    """Something the import wants the reader to know: its finding ``code`` (OCP6xx, see
    docs/checks.md), where it is written, what it is about and what happened; ``hint``, when
    set, is what to do about this one (it replaces the finding's usual hint)."""

    location: Location
    subject: str
    message: str
    code: str = "OCP601"
    hint: str | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.subject}: {self.message}"


@attrs.frozen
class TerraformImport:
    """The result of :func:`import_terraform`: the plan and what could not be taken into it."""

    plan: OnCallPlan
    #: Objects left out (OCP601), modules not read (OCP603), files not read (OCP604).
    warnings: tuple[Diagnostic, ...] = ()
    #: Placeholder users and schedules standing for what the input names but does not declare
    #: (OCP602): undeclared references, literal PagerDuty IDs, schedules looked up by name.
    placeholders: tuple[Diagnostic, ...] = ()
    #: Resources and blocks that do not change who is on call.
    ignored: tuple[Diagnostic, ...] = ()
    files: tuple[str, ...] = ()
    #: Where each imported object is declared, keyed as findings name their subject:
    #: ``("Schedule", name)``, ``("Schedule", name, layer)``, ``("EscalationPolicy", name)``,
    #: ``("EscalationPolicy", name, "level N")``, ``("User", name, email)`` -> ``(file, line)``.
    locations: Mapping[tuple[str, ...], tuple[str, int | None]] = attrs.field(factory=dict)
    #: Every note with a finding code, in the order found (the three lists above, and notes
    #: such as OCP605 about seconds PagerDuty drops).
    notes: tuple[Diagnostic, ...] = ()
    #: The Terraform address of each imported object, keyed like ``locations``.
    addresses: Mapping[tuple[str, ...], str] = attrs.field(factory=dict)
    #: What was read: ``"configuration"``, ``"plan"`` or ``"state"``.
    kind: str = "configuration"

    def report(self) -> str:
        """All diagnostics as text, one per line, grouped by kind (empty when there are none)."""
        lines: list[str] = []
        others = [n for n in self.notes if n not in self.warnings and n not in self.placeholders]
        for title, items in (
            ("not imported", self.warnings),
            ("placeholders", self.placeholders),
            ("notes", tuple(others)),
            ("ignored", self.ignored),
        ):
            if items:
                lines.append(f"{title} ({len(items)}):")
                lines.extend(
                    f"  {item}"
                    if title == "ignored"
                    else f"  {item.code} {item}" + (f" ({item.hint})" if item.hint else "")
                    for item in items
                )
        return "\n".join(lines)

    def summary(self) -> str:
        """One line: how much was imported and how much was left out."""
        plan = self.plan
        parts = [
            f"imported {len(plan.all_schedules)} schedule(s), {len(plan.escalation_policies)} "
            f"escalation policy(ies), {len(plan.users)} user(s), {len(plan.teams)} team(s)"
        ]
        if self.warnings:
            parts.append(f"{len(self.warnings)} left out")
        if self.placeholders:
            parts.append(f"{len(self.placeholders)} placeholder(s)")
        return "; ".join(parts)


def _plain(variables: Mapping[str, Any] | None) -> dict[str, Any]:
    if variables is None:
        return {}
    if not isinstance(variables, Mapping):
        raise InputReadError(
            f"variables must be a mapping of names to values, got {type(variables).__name__}"
        )
    return {str(k): given_value(v, str(k)) for k, v in variables.items()}


def import_terraform(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    variables: Mapping[str, Any] | None = None,
    var_strings: Mapping[str, str] | None = None,
    var_files: Sequence[str | os.PathLike[str]] = (),
    root: str | os.PathLike[str] | None = None,
) -> TerraformImport:
    """Read Terraform into a plan, and say what was left out.

    ``source`` is a folder (a root module: its ``*.tf`` and ``*.tf.json`` files, its
    ``terraform.tfvars`` and ``*.auto.tfvars``, and modules with a local ``source``), one
    ``.tf`` or ``.tf.json`` file, the JSON of ``terraform show -json`` on a plan or on state, a
    raw state file (``terraform.tfstate``, ``terraform state pull``), or already-parsed
    Terraform JSON (a ``dict``). JSON is told apart by its content.

    ``variables`` gives root variables as Python values; ``var_strings`` as ``-var`` gives them
    (text, read by the variable's type: as is for a string, as an HCL expression for a list,
    map or object); ``var_files`` are ``-var-file`` files. Later sources win: ``.tfvars`` in
    the folder, then ``var_files`` in order, then ``var_strings``, then ``variables``.

    Nothing is read outside the folder named (for a file, its folder): a symbolic link out of a
    module's folder is not read, and a module ``source`` that leads above the folder is not
    followed (an OCP603 note whose hint names the ``root`` that would follow it). ``root``
    widens where module sources may lead; it must hold the input.

    Raises :class:`~oncall_planner.InputReadError` (message ``file:line: …``) for input that is
    wrong whatever the variables are; see docs/import.md for what is a finding instead.
    """
    # The import builds many small objects and no reference cycles worth collecting before it
    # ends; pausing the cyclic collector for its duration makes it about a third faster.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(source, variables, var_strings or {}, var_files, root)
    except RecursionError:
        raise InputReadError(f"{_shown(source)}: the input is nested too deeply to read") from None
    finally:
        if collecting:
            gc.enable()


def _shown(source: Any) -> str:
    return "<terraform json>" if isinstance(source, Mapping) else str(source)


def _import(
    source: Any,
    variables: Mapping[str, Any] | None,
    var_strings: Mapping[str, str],
    var_files: Sequence[Any],
    root_arg: Any,
) -> TerraformImport:
    from oncall_planner.ingest.terraform import state as state_json

    given = _plain(variables)
    if isinstance(source, Mapping):
        data = dict(source)
        if state_json.detect(data):
            return state_json.import_document(data, "<terraform json>", None)
        src = Source("<terraform json>", json.dumps(data))
        blocks = blocks_from_document(decode_checked(src), src)
        top = Path(root_arg) if root_arg is not None else Path(".")
        root = _root(root_arg, top)
        parsed_fn = lambda world: Parsed(top, blocks, ["<terraform json>"])  # noqa: E731
        return _run_config(root, top, parsed_fn, given, var_strings, var_files, [], False)
    path = Path(source)
    if not path.exists() and not path.is_symlink():
        raise InputReadError(f"{path}: no such file or directory")
    folder = path if path.is_dir() else path.parent
    root = _root(root_arg, folder)
    if not inside(path, root):
        raise InputReadError(
            f"{path}: is outside the root folder {root_arg} (a symbolic link?); not read"
            if root_arg is not None
            else f"{path}: is a symbolic link that leads outside its folder; not read"
        )
    own = Path(os.path.realpath(folder))
    if path.is_dir():
        parsed_fn = lambda world: world.parsed(path)  # noqa: E731
        return _run_config(
            root, path, parsed_fn, given, var_strings, var_files, tfvars_files(path), True
        )
    text = read_text(path, own, str(path))
    if path.name.endswith((".json", ".tfstate")) and not path.name.endswith(".tf.json"):
        src = Source(str(path), text)
        data, offsets = read_document(src, keep_depth=12)
        if state_json.detect(data):
            return state_json.import_document(data, str(path), (src, offsets))
        if path.name.endswith(".tfstate"):
            raise InputReadError(f'{path}: not a Terraform state file (no version 4 "resources")')
    if path.name.endswith(".json"):
        src = Source(str(path), text)
        data = decode_checked(src)
        if state_json.detect(data):
            _, offsets = read_document(src)
            return state_json.import_document(data, str(path), (src, offsets))
        blocks = blocks_from_document(data, src)
    else:
        from oncall_planner.ingest.terraform.files import parse_source

        blocks = parse_source(Source(str(path), text))
    parsed_fn = lambda world: Parsed(folder, blocks, [str(path)])  # noqa: E731
    return _run_config(root, folder, parsed_fn, given, var_strings, var_files, [], False)


def _root(root_arg: Any, folder: Path) -> Path:
    """The folder nothing is read outside of: ``root=`` when given (it must exist), else the
    folder the user named."""
    if root_arg is None:
        return default_root(folder)
    root = Path(os.path.realpath(root_arg))
    if not root.is_dir():
        raise InputReadError(f"{root_arg}: the root folder does not exist")
    return root


def _run_config(
    root: Path,
    folder: Path,
    parsed_fn: Any,
    given: dict[str, Any],
    var_strings: Mapping[str, str],
    var_files: Sequence[Any],
    auto_var_files: list[Path],
    is_dir: bool,
) -> TerraformImport:
    notes: list[Diagnostic] = []
    ignored: list[Diagnostic] = []

    def warn(code: str, where: str, message: str) -> None:
        notes.append(Diagnostic(Location.parse(where), where.rsplit("/", 1)[-1], message, code))

    with World(root, warn, folder) as world:  # its cycles broken on the way out
        parsed: Parsed = parsed_fn(world)
        if not world.files:
            world.files.extend(parsed.files)
        if is_dir and not parsed.files:
            raise InputReadError(f"{folder}: the folder holds no .tf or .tf.json files")
        inputs = _root_inputs(
            world, parsed, given, var_strings, var_files, auto_var_files, root, ignored
        )
        world.files.extend(str(p) for p in [*auto_var_files, *var_files])
        module = ModuleInstance(world, parsed, "", inputs)
        ctx = Build()
        todo: list[Any] = []
        for item in _walk(module, ctx):
            if isinstance(item, tuple):
                continue
            for (mode, rtype, name), block in item.parsed.resources.items():
                entry = BUILDERS.get((mode, rtype))
                if entry is None and (mode, rtype) not in NOT_MODELLED:
                    address = _address(item.address, mode, rtype, name)
                    ignored.append(
                        Diagnostic(
                            Location.parse(block.where()),
                            address,
                            "does not change who is on call; ignored",
                            "ignored",
                        )
                    )
                    continue
                try:
                    made = item.instances(mode, rtype, name)
                except EvalError as exc:
                    if exc.fatal:
                        raise InputReadError(str(exc)) from None
                    ctx.note(
                        "OCP601",
                        exc.where or block.where(),
                        _address(item.address, mode, rtype, name),
                        f"not imported: Terraform would refuse this: {exc.message}",
                    )
                    continue
                if isinstance(made, Unknown):
                    ctx.note(
                        "OCP601",
                        block.where(),
                        _address(item.address, mode, rtype, name),
                        f"not imported: its instances are unknown: {made.reason}",
                    )
                    continue
                kind = entry.kind if entry is not None else "unmodelled"
                if kind == "membership":
                    ctx.memberships.extend(made)
                for inst in made:
                    todo.append((kind, inst))
        for block in parsed.others:
            if block.type not in _SILENT:
                name = ".".join([block.type, *block.labels])
                ignored.append(
                    Diagnostic(Location.parse(block.where()), name, "ignored", "ignored")
                )
        return _assemble(ctx, todo, notes, ignored, tuple(world.files), "configuration")


def _address(module: str, mode: str, rtype: str, name: str) -> str:
    prefix = "data." if mode == "data" else ""
    return f"{module + '.' if module else ''}{prefix}{rtype}.{name}"


def _walk(module: ModuleInstance, ctx: Build) -> Any:
    stack = [module]
    while stack:
        current = stack.pop(0)
        yield current
        for name, block in current.parsed.modules.items():
            address = f"{current.address}.module.{name}" if current.address else f"module.{name}"
            try:
                children = current.children(name)
            except EvalError as exc:
                if exc.fatal:
                    raise InputReadError(str(exc)) from None
                ctx.note(
                    "OCP603",
                    exc.where or block.where(),
                    address,
                    f"not read: Terraform would refuse this: {exc.message}",
                )
                continue
            if isinstance(children, Unknown):
                ctx.note(
                    "OCP603",
                    block.where(),
                    address,
                    children.reason.removeprefix(f"{address}: "),
                    getattr(children, "hint", None),
                )
                continue
            stack.extend(children)


_SILENT = frozenset(
    {"terraform", "provider", "locals", "variable", "moved", "import", "removed", "check",
     "resource", "data", "module"}
)  # fmt: skip
_ORDER = {"membership": 0, "user": 1, "team": 2, "schedule": 3, "policy": 4, "unmodelled": 5}


def _assemble(
    ctx: Build,
    todo: list[Any],
    notes: list[Diagnostic],
    ignored: list[Diagnostic],
    files: tuple[str, ...],
    kind: str,
) -> TerraformImport:
    built: dict[str, list[tuple[Any, Any]]] = {k: [] for k in _ORDER}
    by_kind: dict[str, list[Any]] = {k: [] for k in _ORDER}  # the order objects are built in
    for kind_name, obj in todo:
        by_kind[kind_name].append(obj)
    for obj in by_kind["user"]:
        if obj.mode == "managed":
            try:
                email = obj.get("email")
            except EvalError:
                continue
            if isinstance(email, str):
                ctx.managed_users.setdefault(email.lower(), obj)
    build = ctx.build
    for kind_name, objs in by_kind.items():
        out = built[kind_name]
        for obj in objs:
            try:
                made = build(obj)
            except SkipError as exc:
                ctx.note(
                    "OCP601", exc.where or obj.where(), obj.address, f"not imported: {exc.reason}"
                )
                continue
            if kind_name != "membership":
                out.append((made, obj))
    ctx.resolve_locations()
    _check_names(built)
    users = _unique(x for x, _ in built["user"])
    teams = _unique(x for x, _ in built["team"])
    schedules = [x for x, _ in built["schedule"] if not isinstance(x, ShiftSchedule)]
    shift_schedules = [x for x, _ in built["schedule"] if isinstance(x, ShiftSchedule)]
    policies = [x for x, _ in built["policy"]]
    try:
        plan = OnCallPlan(schedules, policies, users, teams, shift_schedules)
    except ValidationError as exc:
        text = str(exc)
        raise InputReadError(f"{files[0] if files else '<input>'}: {text[:300]}") from None
    for note in ctx.notes:
        notes.append(
            Diagnostic(Location.parse(note.where), note.subject, note.message, note.code, note.hint)
        )
    warnings = tuple(d for d in notes if d.code in ("OCP601", "OCP603", "OCP604"))
    placeholders = tuple(d for d in notes if d.code == "OCP602")
    return TerraformImport(
        plan,
        warnings,
        placeholders,
        tuple(ignored),
        files,
        ctx.locations,
        tuple(notes),
        ctx.addresses,
        kind,
    )


def _unique(items: Any) -> list[Any]:
    return list(dict.fromkeys(items))


def _check_names(built: dict[str, list[tuple[Any, Any]]]) -> None:
    """Two different objects of one kind with the same name (email for users) are refused,
    naming both places, before the plan is made."""
    for kind in ("schedule", "policy", "team", "user"):
        seen: dict[Any, tuple[Any, Any]] = {}
        for value, obj in built[kind]:
            k = value.email.lower() if kind == "user" else value.name
            first = seen.setdefault(k, (value, obj))
            if first[0] is not value and first[0] != value and obj.mode != "data":
                what = "email" if kind == "user" else "name"
                raise InputReadError(
                    f"{obj.where()}: {obj.address} has the same {what} {k!r} as "
                    f"{first[1].address} ({first[1].where()}), but they differ; PagerDuty "
                    f"needs each {kind}'s {what} to be unique"
                )


def _root_inputs(
    world: World,
    parsed: Parsed,
    given: dict[str, Any],
    var_strings: Mapping[str, str],
    var_files: Sequence[Any],
    auto_var_files: list[Path],
    root: Path,
    ignored: list[Diagnostic],
) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for path in auto_var_files:
        own = Path(os.path.realpath(path.parent))
        _var_file(world, parsed, read_tfvars(path, own), inputs, ignored)
    for path in var_files:
        real = Path(os.path.realpath(path))
        _var_file(world, parsed, read_tfvars(Path(path), real.parent), inputs, ignored)
    for name, text in var_strings.items():
        if name not in parsed.variables:
            raise InputReadError(_undeclared(name, parsed))
        inputs[name] = _var_string(parsed, name, str(text))
    for name, value in given.items():
        if name not in parsed.variables:
            raise InputReadError(_undeclared(name, parsed))
        inputs[name] = lambda v=value: v
    return inputs


def _undeclared(name: str, parsed: Parsed) -> str:
    return (
        f"variable {name!r} was given a value but the configuration declares no such "
        f"variable (declared: {sorted(parsed.variables) or 'none'})"
    )


def _var_file(
    world: World,
    parsed: Parsed,
    attrs_: dict[str, Attribute],
    inputs: dict[str, Any],
    ignored: list[Diagnostic],
) -> None:
    for name, attr in attrs_.items():
        if name not in parsed.variables:
            ignored.append(
                Diagnostic(
                    Location.parse(attr.where()),
                    f"var.{name}",
                    "set in a variable definitions file but not declared; ignored (Terraform "
                    "warns about it too)",
                    "ignored",
                )
            )
            continue
        inputs[name] = lambda a=attr: _constant(world, a)


def _constant(world: World, attr: Attribute) -> Any:
    from oncall_planner.ingest.terraform.modules import check_constant

    try:
        check_constant(attr.expr)
        return world.ev.ev(attr.expr, constant_scope())
    except EvalError as exc:
        raise InputReadError(str(exc) if exc.where else f"{attr.where()}: {exc.message}") from None


def _var_string(parsed: Parsed, name: str, text: str) -> Any:
    block = parsed.variables[name]
    type_attr = block.attributes.get("type")
    type_ = type_node(type_attr) if type_attr is not None else None
    from oncall_planner.ingest.terraform.syntax import Var

    if type_ is None or (isinstance(type_, Var) and type_.name in ("string", "number", "bool")):
        return lambda: text
    try:
        node = parse_expression(Source(f"--var {name}", text))
    except HclSyntaxError as exc:
        raise InputReadError(
            f"--var {name}: not a valid value for its type: {exc.message}"
        ) from None
    world_ev = None

    def value() -> Any:
        from oncall_planner.ingest.terraform.expressions import Evaluator
        from oncall_planner.ingest.terraform.functions import FUNCTIONS

        nonlocal world_ev
        world_ev = world_ev or Evaluator(dict(FUNCTIONS))
        try:
            return world_ev.ev(node, constant_scope())
        except EvalError as exc:
            raise InputReadError(f"--var {name}: {exc.message}") from None

    return value


def load_terraform(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    variables: Mapping[str, Any] | None = None,
    var_strings: Mapping[str, str] | None = None,
    var_files: Sequence[str | os.PathLike[str]] = (),
    root: str | os.PathLike[str] | None = None,
) -> OnCallPlan:
    """The :class:`~oncall_planner.OnCallPlan` in Terraform input (see :func:`import_terraform`,
    which also says what was left out)."""
    return import_terraform(
        source, variables=variables, var_strings=var_strings, var_files=var_files, root=root
    ).plan
