"""Import existing PagerDuty Terraform: ``.tf``, ``.tf.json``, CDKTF's ``cdk.tf.json``, a directory.

The importer reads the configuration, never runs it: no provider, no ``terraform`` binary, no
function is evaluated. It understands what a reviewer can see on the page — literals, references
between resources (``pagerduty_user.alice.id``), ``data "pagerduty_user"`` lookups by email,
``variable`` defaults and ``locals`` — and reports everything else precisely:

* **errors** (raised as :class:`~oncall_planner.ImportError_`, message starting ``file:line:``):
  the input is wrong whatever the values of variables would be — a syntax error, a value of the
  wrong type, a time zone PagerDuty rejects, a timestamp that is not RFC 3339, a reference to an
  undeclared variable;
* **warnings** (:attr:`TerraformImport.warnings`): valid Terraform the importer does not evaluate
  (a module, a function call, an operator, ``count``/``for_each``, a computed attribute, a variable
  without a default). The object that needs the value (the user, schedule or policy) is left out
  of the plan and the warning says where and why;
* **placeholders** (:attr:`TerraformImport.placeholders`): a user referenced as
  ``pagerduty_user.NAME.id`` (or ``data.pagerduty_user.NAME.id``) that the configuration does not
  declare becomes ``User(name="NAME", email="NAME@unknown.invalid")``. ``.invalid`` is the
  top-level domain reserved for names that can never exist (RFC 2606), so a placeholder can never
  be mistaken for, or mailed as, a real address;
* **ignored** (:attr:`TerraformImport.ignored`): resources and data sources that do not change who
  is on call (``pagerduty_service``, ``pagerduty_slack_connection``, …) and blocks such as
  ``output``.

Users found through ``data "pagerduty_user"`` are known only by email: their name is their email.
A layer without a ``name`` is called ``Layer 1``, ``Layer 2``, … as PagerDuty shows it. A team's
members (``pagerduty_team_membership``) are sorted by email, since Terraform gives them no order.
Timestamps keep their instant and are shown in the schedule's time zone.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from oncall_planner.errors import ImportError_, ValidationError
from oncall_planner.ingest._expr import (
    Expr,
    ListExpr,
    Literal,
    ObjectExpr,
    Reference,
    Template,
    Unsupported,
    source_text,
)
from oncall_planner.ingest._source import (
    Attribute,
    Block,
    Location,
    blocks_from_json,
    read_file,
    read_tfvars,
    terraform_files,
    tfvars_files,
)
from oncall_planner.model import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Restriction,
    Schedule,
    Target,
    Team,
    User,
)
from oncall_planner.timeutil import (
    TIMESTAMP_YEARS,
    check_time_zone,
    parse_iso8601,
    year_in_range,
    zone,
)

PLACEHOLDER_DOMAIN = "unknown.invalid"

#: Resource and data types the importer turns into model objects.
MODELLED_RESOURCES = frozenset(
    {
        "pagerduty_user",
        "pagerduty_team",
        "pagerduty_team_membership",
        "pagerduty_schedule",
        "pagerduty_escalation_policy",
    }
)
MODELLED_DATA = frozenset({"pagerduty_user", "pagerduty_team", "pagerduty_schedule"})
_SILENT = frozenset({"terraform", "provider", "locals", "variable", "moved", "import", "removed"})


@attrs.frozen
class Diagnostic:
    """Something the importer wants the reader to know, with where it is written."""

    location: Location
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.subject}: {self.message}"


@attrs.frozen
class TerraformImport:
    """The result of :func:`import_terraform`: the plan and what could not be taken into it."""

    plan: OnCallPlan
    warnings: tuple[Diagnostic, ...] = ()
    placeholders: tuple[Diagnostic, ...] = ()
    ignored: tuple[Diagnostic, ...] = ()
    files: tuple[str, ...] = ()
    #: Where each imported object is declared, keyed the way findings name their subject:
    #: ``("Schedule", name)``, ``("Schedule", name, layer name)``, ``("EscalationPolicy", name)``,
    #: ``("EscalationPolicy", name, "level N")`` or ``("User", name, email)`` ->
    #: ``(file, line or None)``. A schedule and a policy may share a name.
    locations: Mapping[tuple[str, ...], tuple[str, int | None]] = attrs.field(factory=dict)

    def report(self) -> str:
        """All diagnostics as text, one per line, grouped by kind (empty when there are none)."""
        lines: list[str] = []
        for title, items in (
            ("not imported", self.warnings),
            ("placeholder users", self.placeholders),
            ("ignored", self.ignored),
        ):
            if items:
                lines.append(f"{title} ({len(items)}):")
                lines.extend(f"  {item}" for item in items)
        return "\n".join(lines)


@attrs.frozen(eq=True)
class _Ref:
    """The ``.id`` of a resource or data source: what references resolve to."""

    kind: str  # "resource" or "data"
    type: str
    name: str

    def address(self) -> str:
        prefix = "data." if self.kind == "data" else ""
        return f"{prefix}{self.type}.{self.name}"


class _UnresolvedError(Exception):
    """A value the importer does not evaluate; carries where and why."""

    def __init__(self, location: Location, message: str) -> None:
        super().__init__(message)
        self.location = location
        self.message = message


_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$"
)
_FIELD_TO_ATTRIBUTE = {
    "turn_length": "rotation_turn_length_seconds",
    "rotation_virtual_start": "rotation_virtual_start",
    "start": "start",
    "end": "end",
    "users": "users",
    "restrictions": "restriction",
    "name": "name",
    "email": "email",
    "time_zone": "time_zone",
    "num_loops": "num_loops",
    "delay_minutes": "escalation_delay_in_minutes",
    "description": "description",
    "targets": "target",
    "duration": "duration_seconds",
    "start_day_of_week": "start_day_of_week",
    "start_time_of_day": "start_time_of_day",
}


def _validated(build: Callable[[], Any], block: Block, subject: str) -> Any:
    """Run a model constructor; its ValidationError becomes ImportError_ at the best location."""
    try:
        return build()
    except ValidationError as exc:
        message = str(exc)
        where = block.location
        for field, attribute in _FIELD_TO_ATTRIBUTE.items():
            if f": {field} " in message and attribute in block.attributes:
                where = block.attributes[attribute].location
                break
        raise ImportError_(f"{where}: {subject}: {message}") from None


class _Importer:
    def __init__(
        self,
        blocks: list[Block],
        variables: Mapping[str, Any],
        definitions: Sequence[Attribute] = (),
    ) -> None:
        self.blocks = blocks
        self.given = dict(variables)
        self.definitions = list(definitions)
        #: Values from terraform.tfvars and *.auto.tfvars: below ``given``, above defaults.
        self.defined: dict[str, Any] = {}
        self.variables: dict[str, Block] = {}
        self.locals: dict[str, Attribute] = {}
        self.resources: dict[tuple[str, str], Block] = {}
        self.data: dict[tuple[str, str], Block] = {}
        self.warnings: list[Diagnostic] = []
        self.placeholders: list[Diagnostic] = []
        self.ignored: list[Diagnostic] = []
        self._evaluating: list[str] = []
        self._local_values: dict[str, Any] = {}
        self._built: dict[_Ref, Any] = {}
        self._placeholder_users: dict[str, User] = {}
        self._members: dict[_Ref, list[User]] = {}
        self.locations: dict[tuple[str, ...], tuple[str, int | None]] = {}
        self._index()

    # -- declarations ---------------------------------------------------------------------

    def _declare(
        self, table: dict[Any, Any], key: Any, value: Any, what: str, loc: Location
    ) -> None:
        if key in table:
            first = table[key]
            first_loc = first.location if hasattr(first, "location") else first
            raise ImportError_(f"{loc}: {what} is declared twice (first at {first_loc})")
        table[key] = value

    def _index(self) -> None:
        for block in self.blocks:
            if block.kind == "variable" and len(block.labels) == 1:
                name = block.labels[0]
                self._declare(self.variables, name, block, f"variable {name!r}", block.location)
            elif block.kind == "locals":
                for name, attribute in block.attributes.items():
                    self._declare(
                        self.locals, name, attribute, f"local {name!r}", attribute.location
                    )
            elif block.kind in ("resource", "data") and len(block.labels) == 2:
                table = self.resources if block.kind == "resource" else self.data
                address = _Ref(block.kind, *block.labels).address()
                self._declare(table, block.labels, block, address, block.location)
            elif block.kind in ("resource", "data"):
                raise ImportError_(
                    f"{block.location}: a {block.kind} block needs two labels (type and name), "
                    f"got {len(block.labels)}"
                )
        for assignment in self.definitions:
            if assignment.name not in self.variables:
                self.ignored.append(
                    Diagnostic(
                        assignment.location,
                        f"var.{assignment.name}",
                        "set in a variable definitions file but not declared; ignored "
                        "(Terraform warns about it too)",
                    )
                )
                continue
            self.defined[assignment.name] = _constant(assignment.expr, assignment.location)
        for name in sorted(self.given):
            if name not in self.variables:
                raise ImportError_(
                    f"variable {name!r} was given a value but the configuration declares no such "
                    f"variable (declared: {sorted(self.variables) or 'none'})"
                )

    # -- evaluation -----------------------------------------------------------------------

    def value(self, attribute: Attribute) -> Any:
        return self.evaluate(attribute.expr, attribute.location)

    def evaluate(self, expr: Expr, loc: Location) -> Any:
        if isinstance(expr, Literal):
            return expr.value
        if isinstance(expr, ListExpr):
            return [self.evaluate(item, loc) for item in expr.items]
        if isinstance(expr, ObjectExpr):
            return {key: self.evaluate(item, loc) for key, item in expr.pairs}
        if isinstance(expr, Template):
            out = []
            for part in expr.parts:
                if isinstance(part, str):
                    out.append(part)
                    continue
                value = self.evaluate(part, loc)
                if isinstance(value, _Ref):
                    raise _UnresolvedError(
                        loc,
                        f"the ID of {value.address()} is known only to PagerDuty, "
                        f"so the string {source_text(expr)} cannot be computed",
                    )
                if isinstance(value, (list, dict)) or value is None:
                    raise ImportError_(
                        f"{loc}: cannot put {_describe(value)} into the string {source_text(expr)}"
                    )
                out.append(_to_string(value))
            return "".join(out)
        if isinstance(expr, Reference):
            return self._reference(expr, loc)
        assert isinstance(expr, Unsupported)
        raise _UnresolvedError(
            loc, f"{expr.what} in `{expr.text}` is not evaluated (the importer never runs code)"
        )

    def _reference(self, ref: Reference, loc: Location) -> Any:
        root, steps = ref.root, list(ref.steps)
        text = ref.text()

        def name_step(i: int, what: str) -> str:
            if i >= len(steps) or not isinstance(steps[i], str):
                raise ImportError_(f"{loc}: {text!r} needs {what} after {root!r}")
            return str(steps[i])

        if root == "var":
            name = name_step(0, "a variable name")
            return self._index_into(self._variable(name, loc), steps[1:], loc, text)
        if root == "local":
            name = name_step(0, "a local name")
            return self._index_into(self._local(name, loc), steps[1:], loc, text)
        if root == "module":
            name = name_step(0, "a module name")
            raise _UnresolvedError(
                loc, f"{text!r} reads an output of module {name!r}, which is not followed"
            )
        if root in ("count", "each", "self", "path", "terraform"):
            raise _UnresolvedError(
                loc, f"{text!r} is known only when Terraform plans the configuration"
            )
        if root == "data":
            rtype = name_step(0, "a data source type")
            name = name_step(1, "a data source name")
            return self._resource_attribute("data", rtype, name, steps[2:], loc, text)
        name = name_step(0, "a resource name")
        return self._resource_attribute("resource", root, name, steps[1:], loc, text)

    def _resource_attribute(
        self, kind: str, rtype: str, name: str, steps: list[Any], loc: Location, text: str
    ) -> Any:
        ref = _Ref(kind, rtype, name)
        block = self._block(ref)
        if not steps:
            raise _UnresolvedError(
                loc, f"{text!r} refers to a whole {kind}; the importer needs .id"
            )
        attribute = steps[0]
        if attribute == "id":
            if block is None and rtype != "pagerduty_user":
                raise _UnresolvedError(
                    loc, f"{ref.address()} is not declared in the configuration that was read"
                )
            return self._index_into(ref, steps[1:], loc, text)
        if not isinstance(attribute, str):
            raise _UnresolvedError(
                loc, f"{text!r}: indexing a resource (count/for_each) is not followed"
            )
        if block is not None and attribute in block.attributes:
            return self._index_into(self.value(block.attributes[attribute]), steps[1:], loc, text)
        raise _UnresolvedError(
            loc, f"{text!r} is an attribute PagerDuty computes; it is not in the configuration"
        )

    def _index_into(self, value: Any, steps: list[Any], loc: Location, text: str) -> Any:
        for step in steps:
            key = step if isinstance(step, str) else self.evaluate(step, loc)
            if isinstance(value, list) and isinstance(key, int) and not isinstance(key, bool):
                if not 0 <= key < len(value):
                    raise ImportError_(
                        f"{loc}: {text!r}: index {key} is out of range for a list of {len(value)}"
                    )
                value = value[key]
            elif isinstance(value, dict) and isinstance(key, str):
                if key not in value:
                    raise ImportError_(
                        f"{loc}: {text!r}: the object has no key {key!r} (keys: {sorted(value)})"
                    )
                value = value[key]
            else:
                raise ImportError_(f"{loc}: {text!r}: cannot take {key!r} of {_describe(value)}")
        return value

    def _variable(self, name: str, loc: Location) -> Any:
        if name not in self.variables:
            raise ImportError_(
                f"{loc}: var.{name} is not declared (declared variables: "
                f"{sorted(self.variables) or 'none'})"
            )
        if name in self.given:
            return self.given[name]
        if name in self.defined:
            return self.defined[name]
        block = self.variables[name]
        if "default" not in block.attributes:
            raise _UnresolvedError(
                loc,
                f"variable {name!r} ({block.location}) has no default; give its value "
                f"(variables={{{name!r}: ...}} or --var {name}=...)",
            )
        return self.value(block.attributes["default"])

    def _local(self, name: str, loc: Location) -> Any:
        if name in self._local_values:
            return self._local_values[name]
        if name not in self.locals:
            raise ImportError_(
                f"{loc}: local.{name} is not declared "
                f"(declared locals: {sorted(self.locals) or 'none'})"
            )
        if name in self._evaluating:
            cycle = " -> ".join([*self._evaluating[self._evaluating.index(name) :], name])
            raise ImportError_(f"{loc}: locals refer to each other in a cycle: {cycle}")
        self._evaluating.append(name)
        try:
            value = self.value(self.locals[name])
        finally:
            self._evaluating.pop()
        self._local_values[name] = value
        return value

    # -- typed reads ----------------------------------------------------------------------

    def attr(self, block: Block, name: str, subject: str, *, required: bool) -> Any:
        attribute = block.attributes.get(name)
        if attribute is None:
            if required:
                raise ImportError_(f"{block.location}: {subject}: {name} is required but not set")
            return None
        return self.value(attribute)

    def where(self, block: Block, name: str) -> Location:
        attribute = block.attributes.get(name)
        return attribute.location if attribute is not None else block.location

    def string(self, block: Block, name: str, subject: str) -> str:
        value = self.opt_string(block, name, subject, required=True)
        assert value is not None
        return value

    def integer(self, block: Block, name: str, subject: str) -> int:
        value = self.opt_integer(block, name, subject, required=True)
        assert value is not None
        return value

    def opt_string(
        self, block: Block, name: str, subject: str, *, required: bool = False
    ) -> str | None:
        value = self.attr(block, name, subject, required=required)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ImportError_(
                f"{self.where(block, name)}: {subject}: {name} must be a string, "
                f"got {_describe(value)}"
            )
        return _to_string(value)

    def opt_integer(
        self, block: Block, name: str, subject: str, *, required: bool = False
    ) -> int | None:
        value = self.attr(block, name, subject, required=required)
        if value is None and not required:
            return None
        number = _as_int(value)
        if number is None:
            raise ImportError_(
                f"{self.where(block, name)}: {subject}: {name} must be a whole number, "
                f"got {_describe(value)}"
            )
        return number

    def timestamp(
        self, block: Block, name: str, subject: str, tz: str, *, required: bool = True
    ) -> dt.datetime | None:
        value = self.attr(block, name, subject, required=required)
        if value is None and not required:
            return None
        where = self.where(block, name)
        if not isinstance(value, str) or not _RFC3339.match(value):
            raise ImportError_(
                f"{where}: {subject}: {name} must be an RFC 3339 timestamp with an offset such as "
                f"'2025-01-01T00:00:00-05:00', got {_describe(value)}"
            )
        try:
            parsed = parse_iso8601(value)
        except ValueError as exc:
            raise ImportError_(
                f"{where}: {subject}: {name} is not a valid timestamp: {exc}"
            ) from None
        if not year_in_range(parsed):
            raise ImportError_(
                f"{where}: {subject}: {name} {value!r} is out of range; use a time in the years "
                f"{TIMESTAMP_YEARS.start} to {TIMESTAMP_YEARS.stop - 1}"
            )
        return parsed.astimezone(zone(tz))

    def refs(self, block: Block, name: str, subject: str, *, required: bool) -> list[_Ref]:
        value = self.attr(block, name, subject, required=required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise ImportError_(
                f"{self.where(block, name)}: {subject}: {name} must be a list of IDs, "
                f"got {_describe(value)}"
            )
        return [self.ref(item, self.where(block, name), subject, name) for item in value]

    def ref(self, value: Any, loc: Location, subject: str, name: str) -> _Ref:
        if isinstance(value, _Ref):
            return value
        if isinstance(value, str):
            raise _UnresolvedError(
                loc,
                f"{subject}: {name} holds the literal PagerDuty ID {value!r}; the importer "
                "can only follow references to resources in the configuration",
            )
        raise ImportError_(f"{loc}: {subject}: {name} must hold IDs, got {_describe(value)}")

    # -- model objects --------------------------------------------------------------------

    def _block(self, ref: _Ref) -> Block | None:
        """The block that declares ``ref``, if the configuration read declares it."""
        table = self.resources if ref.kind == "resource" else self.data
        return table.get((ref.type, ref.name))

    def _once(
        self, ref: _Ref, build: Callable[[], Any], loc: Location, block: Block | None = None
    ) -> Any:
        """Build the object for ``ref`` once. ``loc`` is where it is asked for: its own block, or
        a reference to it from another object, which is then told which object is missing and
        why (not only the cause, which would read as if it were in the referring object)."""
        if ref not in self._built:
            try:
                self._built[ref] = build()
            except _UnresolvedError as exc:
                self._built[ref] = exc
        result = self._built[ref]
        if isinstance(result, _UnresolvedError):
            if block is None or loc == block.location:
                raise result
            raise _UnresolvedError(
                loc, f"{ref.address()} is not imported ({result.location}: {result.message})"
            )
        return result

    def _check_instances(self, block: Block, subject: str) -> None:
        for meta in ("count", "for_each"):
            if meta in block.attributes:
                raise _UnresolvedError(
                    block.attributes[meta].location,
                    f"{subject} uses {meta}, which makes several instances; the importer does not "
                    "expand it",
                )
        for nested in block.blocks:
            if nested.kind == "dynamic":
                raise _UnresolvedError(
                    nested.location,
                    f"{subject} builds blocks with dynamic {'/'.join(nested.labels)!r}, "
                    "which the importer does not expand",
                )

    def user(self, ref: _Ref, loc: Location) -> User:
        if ref.type != "pagerduty_user":
            raise ImportError_(f"{loc}: expected a pagerduty_user, got {ref.address()}")
        block = self._block(ref)
        if block is None:
            user = self._placeholder(ref, loc)
            where = loc  # a placeholder is pointed at where it is first referenced
        else:
            user = self._once(ref, lambda: self._build_user(ref, block), loc, block)
            where = block.location
        self.locations.setdefault(("User", user.name, user.email), (where.file, where.line))
        return user

    def _placeholder(self, ref: _Ref, loc: Location) -> User:
        if ref.name not in self._placeholder_users:
            email = f"{ref.name}@{PLACEHOLDER_DOMAIN}"
            user = _validated(
                lambda: User(ref.name, email), Block("resource", (), loc), ref.address()
            )
            self._placeholder_users[ref.name] = user
            self.placeholders.append(
                Diagnostic(
                    loc,
                    ref.address(),
                    f"not declared: placeholder user {ref.name!r}, {email}",
                )
            )
        return self._placeholder_users[ref.name]

    def _build_user(self, ref: _Ref, block: Block) -> User:
        subject = ref.address()
        self._check_instances(block, subject)
        if ref.kind == "data":
            email = self.string(block, "email", subject)
            assert email is not None
            return _validated(lambda: User(email, email), block, subject)  # type: ignore[no-any-return]
        name = self.string(block, "name", subject)
        email = self.string(block, "email", subject)
        tz = self.opt_string(block, "time_zone", subject)
        return _validated(lambda: User(name, email, tz), block, subject)  # type: ignore[no-any-return]

    def team(self, ref: _Ref, loc: Location) -> Team:
        if ref.type != "pagerduty_team":
            raise ImportError_(f"{loc}: expected a pagerduty_team, got {ref.address()}")
        block = self._block(ref)
        if block is None:
            raise _UnresolvedError(loc, f"{ref.address()} is not declared in the configuration")
        return self._once(ref, lambda: self._build_team(ref, block), loc, block)  # type: ignore[no-any-return]

    def _build_team(self, ref: _Ref, block: Block) -> Team:
        subject = ref.address()
        self._check_instances(block, subject)
        name = self.string(block, "name", subject)
        description = None
        if ref.kind == "resource":
            description = self.opt_string(block, "description", subject)
        # Memberships are separate resources with no order between them: members are sorted by
        # email so that the same configuration always gives the same Team.
        members = sorted(self._members.get(ref, []), key=lambda u: (u.email.lower(), u.email))
        return _validated(lambda: Team(name, members, description), block, subject)  # type: ignore[no-any-return]

    def schedule(self, ref: _Ref, loc: Location) -> Schedule:
        if ref.type != "pagerduty_schedule":
            raise ImportError_(f"{loc}: expected a pagerduty_schedule, got {ref.address()}")
        if ref.kind == "data":
            raise _UnresolvedError(
                loc,
                f"{ref.address()} looks up a schedule defined outside this configuration; "
                "its layers are unknown here",
            )
        block = self.resources.get((ref.type, ref.name))
        if block is None:
            raise _UnresolvedError(loc, f"{ref.address()} is not declared in the configuration")
        return self._once(ref, lambda: self._build_schedule(ref, block), loc, block)  # type: ignore[no-any-return]

    def _build_schedule(self, ref: _Ref, block: Block) -> Schedule:
        subject = ref.address()
        self._check_instances(block, subject)
        name = self.string(block, "name", subject)
        tz = self.string(block, "time_zone", subject)
        assert name is not None and tz is not None
        try:
            check_time_zone(tz, f"Schedule {name!r}")
        except ValidationError as exc:
            raise ImportError_(f"{self.where(block, 'time_zone')}: {subject}: {exc}") from None
        description = self.opt_string(block, "description", subject)
        layers = [
            self._build_layer(layer, f"{subject} layer {i + 1}", i, tz)
            for i, layer in enumerate(block.nested("layer"))
        ]
        if not layers:
            raise ImportError_(
                f"{block.location}: {subject}: a schedule needs at least one layer block"
            )
        teams = []
        for team_ref in self.refs(block, "teams", subject, required=False):
            teams.append(self.team(team_ref, self.where(block, "teams")))
        schedule = _validated(
            lambda: Schedule(name, tz, layers, description=description, teams=teams), block, subject
        )
        self.locations[("Schedule", name)] = (block.location.file, block.location.line)
        for layer, layer_block in zip(layers, block.nested("layer"), strict=True):
            where = layer_block.location
            self.locations.setdefault(("Schedule", name, layer.name), (where.file, where.line))
        return schedule  # type: ignore[no-any-return]

    def _build_layer(self, block: Block, subject: str, index: int, tz: str) -> Layer:
        name = self.opt_string(block, "name", subject) or f"Layer {index + 1}"
        start = self.timestamp(block, "start", subject, tz)
        virtual = self.timestamp(block, "rotation_virtual_start", subject, tz, required=False)
        end = self.timestamp(block, "end", subject, tz, required=False)
        seconds = self.integer(block, "rotation_turn_length_seconds", subject)
        assert seconds is not None and start is not None
        where = self.where(block, "users")
        users = [self.user(r, where) for r in self.refs(block, "users", subject, required=True)]
        restrictions = [
            self._build_restriction(r, f"{subject} restriction {i + 1}")
            for i, r in enumerate(block.nested("restriction"))
        ]
        return _validated(  # type: ignore[no-any-return]
            lambda: Layer(
                name,
                users,
                start,
                dt.timedelta(seconds=seconds),
                rotation_virtual_start=virtual or start,
                restrictions=restrictions,
                end=end,
            ),
            block,
            subject,
        )

    def _build_restriction(self, block: Block, subject: str) -> Restriction:
        kind = self.string(block, "type", subject)
        start = self.string(block, "start_time_of_day", subject)
        seconds = self.integer(block, "duration_seconds", subject)
        assert start is not None and seconds is not None
        duration = dt.timedelta(seconds=seconds)
        if kind == "daily_restriction":
            if "start_day_of_week" in block.attributes:
                raise ImportError_(
                    f"{self.where(block, 'start_day_of_week')}: {subject}: start_day_of_week is "
                    "only for weekly_restriction (the provider shows a permanent diff otherwise)"
                )
            return _validated(lambda: Restriction.daily(start, duration), block, subject)  # type: ignore[no-any-return]
        if kind == "weekly_restriction":
            day = self.integer(block, "start_day_of_week", subject)
            assert day is not None
            return _validated(lambda: Restriction.weekly(day, start, duration), block, subject)  # type: ignore[no-any-return]
        raise ImportError_(
            f"{self.where(block, 'type')}: {subject}: type must be 'daily_restriction' or "
            f"'weekly_restriction', got {kind!r}"
        )

    def policy(self, ref: _Ref, block: Block) -> EscalationPolicy:
        return self._once(ref, lambda: self._build_policy(ref, block), block.location, block)  # type: ignore[no-any-return]

    def _build_policy(self, ref: _Ref, block: Block) -> EscalationPolicy:
        subject = ref.address()
        self._check_instances(block, subject)
        name = self.string(block, "name", subject)
        description = self.opt_string(block, "description", subject)
        loops = self.opt_integer(block, "num_loops", subject) or 0
        team_refs = self.refs(block, "teams", subject, required=False)
        if len(team_refs) > 1:
            raise ImportError_(
                f"{self.where(block, 'teams')}: {subject}: PagerDuty allows one team per "
                f"escalation policy, got {len(team_refs)}"
            )
        team = self.team(team_refs[0], self.where(block, "teams")) if team_refs else None
        rules = [
            self._build_rule(rule, f"{subject} rule {i + 1}")
            for i, rule in enumerate(block.nested("rule"))
        ]
        if not rules:
            raise ImportError_(
                f"{block.location}: {subject}: a policy needs at least one rule block"
            )
        policy = _validated(
            lambda: EscalationPolicy(name, rules, loops, team=team, description=description),
            block,
            subject,
        )
        self.locations[("EscalationPolicy", name)] = (block.location.file, block.location.line)
        for level, rule_block in enumerate(block.nested("rule"), start=1):
            where = rule_block.location
            self.locations[("EscalationPolicy", name, f"level {level}")] = (where.file, where.line)
        return policy  # type: ignore[no-any-return]

    def _build_rule(self, block: Block, subject: str) -> EscalationRule:
        delay = self.integer(block, "escalation_delay_in_minutes", subject)
        targets = []
        for i, target in enumerate(block.nested("target")):
            where = f"{subject} target {i + 1}"
            kind = self.opt_string(target, "type", where) or "user_reference"
            value = self.ref(
                self.attr(target, "id", where, required=True), self.where(target, "id"), where, "id"
            )
            if kind in ("user_reference", "user"):
                targets.append(Target.user(self.user(value, self.where(target, "id"))))
            elif kind in ("schedule_reference", "schedule"):
                targets.append(Target.schedule(self.schedule(value, self.where(target, "id"))))
            else:
                raise ImportError_(
                    f"{self.where(target, 'type')}: {where}: type must be 'user_reference' or "
                    f"'schedule_reference', got {kind!r}"
                )
        round_robin = False
        for strategy in block.nested("escalation_rule_assignment_strategy"):
            kind = self.opt_string(strategy, "type", subject) or "assign_to_everyone"
            if kind not in ("round_robin", "assign_to_everyone"):
                raise ImportError_(
                    f"{self.where(strategy, 'type')}: {subject}: "
                    "escalation_rule_assignment_strategy type must be 'round_robin' or "
                    f"'assign_to_everyone', got {kind!r}"
                )
            round_robin = kind == "round_robin"
        return _validated(  # type: ignore[no-any-return]
            lambda: EscalationRule(delay, targets, round_robin=round_robin), block, subject
        )

    # -- the whole configuration ----------------------------------------------------------

    def _skip(self, exc: _UnresolvedError, subject: str, what: str) -> None:
        self.warnings.append(
            Diagnostic(exc.location, subject, f"{what} not imported: {exc.message}")
        )

    def run(self) -> OnCallPlan:
        users: list[User] = []
        teams: list[Team] = []
        schedules: list[Schedule] = []
        policies: list[EscalationPolicy] = []
        memberships: list[Block] = []
        for block in self.blocks:
            if block.kind == "module":
                source = block.attributes.get("source")
                shown = source_text(source.expr) if source else "?"
                self.warnings.append(
                    Diagnostic(
                        block.location,
                        f"module.{'.'.join(block.labels)}",
                        f"modules are not followed (source {shown}); read the module's own "
                        "directory to import what it declares",
                    )
                )
            elif block.kind in ("resource", "data"):
                rtype = block.labels[0]
                modelled = MODELLED_RESOURCES if block.kind == "resource" else MODELLED_DATA
                if rtype not in modelled:
                    self.ignored.append(
                        Diagnostic(
                            block.location,
                            _Ref(block.kind, *block.labels).address(),
                            "does not change who is on call; ignored",
                        )
                    )
                elif block.kind == "resource" and rtype == "pagerduty_team_membership":
                    memberships.append(block)
            elif block.kind not in _SILENT:
                self.ignored.append(
                    Diagnostic(block.location, ".".join([block.kind, *block.labels]), "ignored")
                )
        for block in memberships:
            self._membership(block)
        for block in self.blocks:
            if block.kind not in ("resource", "data"):
                continue
            ref = _Ref(block.kind, *block.labels)
            try:
                if ref.type == "pagerduty_user":
                    users.append(self.user(ref, block.location))
                elif ref.type == "pagerduty_team":
                    teams.append(self.team(ref, block.location))
                elif ref.type == "pagerduty_schedule" and ref.kind == "resource":
                    schedules.append(self.schedule(ref, block.location))
                elif ref.type == "pagerduty_escalation_policy" and ref.kind == "resource":
                    policies.append(self.policy(ref, block))
            except _UnresolvedError as exc:
                what = ref.type.removeprefix("pagerduty_").replace("_", " ")
                self._skip(exc, ref.address(), what)
        try:
            return OnCallPlan(schedules, policies, _unique(users), _unique(teams))
        except ValidationError as exc:
            raise ImportError_(
                f"{self.blocks[0].location.file if self.blocks else '?'}: {exc}"
            ) from None

    def _membership(self, block: Block) -> None:
        subject = f"pagerduty_team_membership.{block.labels[1]}"
        try:
            self._check_instances(block, subject)
            team_ref = self.ref(
                self.attr(block, "team_id", subject, required=True),
                self.where(block, "team_id"),
                subject,
                "team_id",
            )
            user_ref = self.ref(
                self.attr(block, "user_id", subject, required=True),
                self.where(block, "user_id"),
                subject,
                "user_id",
            )
            if team_ref.type != "pagerduty_team":
                raise ImportError_(
                    f"{self.where(block, 'team_id')}: {subject}: team_id must be a "
                    f"pagerduty_team ID, got {team_ref.address()}"
                )
            user = self.user(user_ref, self.where(block, "user_id"))
        except _UnresolvedError as exc:
            self._skip(exc, subject, "team membership")
            return
        members = self._members.setdefault(team_ref, [])
        if user not in members:
            members.append(user)


def _constant(expr: Expr, loc: Location) -> Any:
    """The value of an expression in a variable definitions file, where Terraform allows only
    constants: no references, no function calls."""
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, ListExpr):
        return [_constant(item, loc) for item in expr.items]
    if isinstance(expr, ObjectExpr):
        return {key: _constant(item, loc) for key, item in expr.pairs}
    raise ImportError_(
        f"{loc}: a variable definitions file holds only constant values (Terraform allows no "
        f"references or function calls there), got `{source_text(expr)}`"
    )


def _unique(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value)  # Terraform converts numeric strings to numbers
    return None


def _to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _describe(value: Any) -> str:
    if isinstance(value, _Ref):
        return f"the ID of {value.address()}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value[:80]!r}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return "an object"


def import_terraform(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    variables: Mapping[str, Any] | None = None,
) -> TerraformImport:
    """Read Terraform into a plan, and say what was left out.

    ``source`` is a ``.tf`` or ``.tf.json`` file, a directory (all its ``*.tf`` and ``*.tf.json``
    files, like Terraform reads a module), or already-parsed Terraform JSON (a ``dict``, such as
    the output of ``to_terraform_json``). ``variables`` gives values for ``variable`` blocks
    (taking the place of their defaults), as ``-var`` does. A directory's ``terraform.tfvars``,
    ``terraform.tfvars.json`` and ``*.auto.tfvars(.json)`` are read as Terraform reads them: they
    override defaults, and ``variables`` override them.

    Raises :class:`~oncall_planner.ImportError_` (message ``file:line: …``) for input that is
    wrong; see the module documentation for what is a warning instead.
    """
    definitions: list[Attribute] = []
    if isinstance(source, Mapping):
        blocks = blocks_from_json(dict(source), "<terraform json>")
        files: tuple[str, ...] = ("<terraform json>",)
    else:
        paths = terraform_files(Path(source))
        blocks = [block for path in paths for block in read_file(path)]
        var_paths = tfvars_files(Path(source))
        definitions = [a for path in var_paths for a in read_tfvars(path)]
        files = tuple(str(p) for p in [*paths, *var_paths])
    importer = _Importer(blocks, variables or {}, definitions)
    try:
        plan = importer.run()
    except RecursionError:
        raise ImportError_(f"{files[0]}: the configuration is nested too deeply to read") from None
    return TerraformImport(
        plan,
        tuple(importer.warnings),
        tuple(importer.placeholders),
        tuple(importer.ignored),
        files,
        importer.locations,
    )


def load_terraform(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    variables: Mapping[str, Any] | None = None,
) -> OnCallPlan:
    """The :class:`~oncall_planner.OnCallPlan` in a Terraform file or directory.

    A shortcut for ``import_terraform(source).plan``; use :func:`import_terraform` to see the
    warnings, placeholder users and ignored resources as well.
    """
    return import_terraform(source, variables=variables).plan
