"""Build the plan: turn resource instances into Users, Teams, Schedules and EscalationPolicies.

Each resource type the importer understands has one builder function, registered with
:func:`builder`. A builder reads its object through :class:`Obj` (the same interface whether the
object comes from configuration, evaluated by :mod:`.modules`, or from plan or state JSON,
:mod:`.state`) and the :class:`Build` context (typed reads, references to other objects,
placeholders, notes). **Adding a resource type is one builder function** in this module (or a
module that imports it) plus, for ``.tf.json`` input, its nested block names in
:data:`~.jsonsyntax.BLOCK_SCHEMA`.

A value that cannot be known offline raises :class:`SkipError`: the object is left out and a finding
(OCP601) says where and why; objects that need it are left out too, naming it. Values that break
PagerDuty's rules raise :class:`~oncall_planner.InputReadError`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from oncall_planner.errors import InputReadError, ValidationError
from oncall_planner.ingest.terraform.syntax import Source
from oncall_planner.ingest.terraform.values import (
    ID_MARK,
    EvalError,
    Ref,
    TfSet,
    Unknown,
    describe,
    readable,
)
from oncall_planner.model import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    Restriction,
    Schedule,
    ShiftSchedule,
    Target,
    Team,
    User,
)
from oncall_planner.timeutil import TIMESTAMP_YEARS, check_time_zone, parse_iso8601, zone

PLACEHOLDER_DOMAIN = "unknown.invalid"
#: The start of the one layer of a placeholder schedule (any fixed instant would do).
_PLACEHOLDER_START = dt.datetime(2020, 1, 6, tzinfo=dt.timezone.utc)
_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$"
)


class SkipError(Exception):
    """The object cannot be built offline: ``reason`` says why, ``where`` (``file:line``)
    points at the argument that needs the unknown value."""

    def __init__(self, reason: str, where: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.where = where


class Obj(Protocol):
    """One resource or data source instance, or a nested block of one, as builders read it."""

    address: str
    type: str
    mode: str

    def get(self, name: str) -> Any:
        """The value of an argument (``None`` when not set); may be :class:`Unknown`."""

    def has(self, name: str) -> bool: ...

    def blocks(self, name: str) -> list[Obj] | Unknown:
        """The nested blocks of one type, in order (``dynamic`` ones expanded)."""

    def where(self, name: str | None = None) -> str:
        """``file:line`` of the argument (or of the block)."""


Builder = Callable[[Obj, "Build"], Any]


class _Entry:
    __slots__ = ("func", "kind", "plain")

    def __init__(self, kind: str, func: Builder) -> None:
        self.kind = kind
        self.func = func
        #: A builder for plain blocks of Terraform JSON tried first (see :mod:`.plainbuild`):
        #: it returns None, having changed nothing, when ``func`` must read the object.
        self.plain: Builder | None = None


#: ``(mode, type)`` -> the builder and the kind of object it makes
#: (``user``, ``team``, ``schedule``, ``policy``, ``membership``).
BUILDERS: dict[tuple[str, str], _Entry] = {}

#: Types that change who is on call but are not modelled yet: reported as not imported.
#: (``pagerduty_schedulev2`` was here until its builder, in :mod:`.schedulev2`, came.)
NOT_MODELLED: dict[tuple[str, str], str] = {}

#: Whether the builders for plain blocks of Terraform JSON (:mod:`.plainbuild`) are tried
#: first (False reads every object through the general builders; the tests compare the two).
READ_PLAIN = True

#: The resource types an escalation target may name as a schedule.
_SCHEDULE_TYPES = ("pagerduty_schedule", "pagerduty_schedulev2")


def builder(mode: str, rtype: str, kind: str) -> Callable[[Builder], Builder]:
    """Register ``func`` as the builder of ``rtype`` (``mode`` is ``managed`` or ``data``)."""

    def register(func: Builder) -> Builder:
        BUILDERS[(mode, rtype)] = _Entry(kind, func)
        NOT_MODELLED.pop((mode, rtype), None)
        return func

    return register


class Note:
    """Something the import wants the reader to know: a finding code, where, about what, and
    (rarely) a hint of its own that replaces the finding's usual one."""

    __slots__ = ("code", "hint", "message", "subject", "where")

    def __init__(
        self, code: str, where: str, subject: str, message: str, hint: str | None = None
    ) -> None:
        self.code, self.where, self.subject, self.message = code, where, subject, message
        self.hint = hint


class Build:
    """The context builders share: memoised objects, references, placeholders, notes."""

    def __init__(self, resolve_id: Callable[[str], Obj | None] | None = None) -> None:
        self.notes: list[Note] = []
        self._built: dict[str, Any] = {}
        self._building: set[str] = set()
        self._placeholder_users: dict[str, User] = {}
        self._placeholder_schedules: dict[str, Schedule] = {}
        self.resolve_id = resolve_id
        self.memberships: list[Obj] = []
        self._members: dict[str, dict[User, None]] | None = None
        self.locations: dict[tuple[str, ...], tuple[str, int | None]] = {}
        #: Locations whose line is counted later, all at once (see resolve_locations).
        self._unresolved: dict[Source, list[tuple[tuple[str, ...], int]]] = {}
        self.addresses: dict[tuple[str, ...], str] = {}
        #: Managed users by lower-case email: a ``data "pagerduty_user"`` that looks up a user
        #: the same configuration creates is that user, not a second one.
        self.managed_users: dict[str, Obj] = {}
        #: Timestamps already read, by text and zone: the instant and whether seconds were cut.
        self._instants: dict[tuple[str, str], tuple[dt.datetime, str | None]] = {}

    def note(
        self, code: str, where: str, subject: str, message: str, hint: str | None = None
    ) -> None:
        self.notes.append(Note(code, where, subject, message, hint))

    # -- building objects ------------------------------------------------------------------------

    def build(self, obj: Obj) -> Any:
        """The model object of ``obj``, built once; raises SkipError when it cannot be built."""
        address = obj.address
        if address in self._built:
            done = self._built[address]
            if isinstance(done, SkipError):
                raise _fresh(done)
            return done
        if address in self._building:
            raise InputReadError(
                f"{obj.where()}: {address} refers to itself through its references"
            )
        entry = BUILDERS.get((obj.mode, obj.type))
        result: Any
        if entry is None:
            why = NOT_MODELLED.get((obj.mode, obj.type), "the importer does not model it")
            result = SkipError(why, obj.where())
        else:
            self._building.add(address)
            try:
                plain = entry.plain
                result = plain(obj, self) if plain is not None and READ_PLAIN else None
                if result is None:
                    result = entry.func(obj, self)
            except SkipError as exc:
                result = _fresh(exc)
            except EvalError as exc:
                if exc.fatal:
                    raise InputReadError(str(exc)) from None
                result = SkipError(
                    f"Terraform would refuse this: {exc.message}", exc.where or obj.where()
                )
            finally:
                self._building.discard(address)
        self._built[address] = result
        if isinstance(result, SkipError):
            raise _fresh(result)
        return result

    def referenced(self, obj: Obj, by: Obj, name: str) -> Any:
        """``obj`` built for ``by.name``; when it cannot be, ``by`` says which object it needs."""
        done = self._built.get(obj.address)
        if done is not None and not isinstance(done, SkipError):
            return done  # built already: the common case, first
        try:
            return self.build(obj)
        except SkipError as exc:
            cause = f"{exc.where}: {exc.reason}" if exc.where else exc.reason
            raise SkipError(
                f"needs {obj.address}, which is not imported ({cause})", by.where(name)
            ) from None

    # -- typed reads -----------------------------------------------------------------------------

    def value(self, obj: Obj, name: str, required: bool = True) -> Any:
        try:
            value = obj.get(name)
        except EvalError as exc:
            raise _refused(exc, obj, name) from None
        if value is None or isinstance(value, Unknown):
            return _known(obj, name, value, required)
        return value

    def string(self, obj: Obj, name: str) -> str:
        value = self.opt_string(obj, name, required=True)
        assert value is not None
        return value

    def opt_string(self, obj: Obj, name: str, required: bool = False) -> str | None:
        try:
            value = obj.get(name)  # self.value(), written out for the common case
        except EvalError as exc:
            raise _refused(exc, obj, name) from None
        if type(value) is str and ID_MARK not in value:
            return value
        if value is None or isinstance(value, Unknown):
            value = _known(obj, name, value, required)
        if value is None:
            return None
        if isinstance(value, Ref):
            raise SkipError(
                f"{obj.address}.{name} holds the ID of {value.address}, which only PagerDuty knows",
                obj.where(name),
            )
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            from oncall_planner.ingest.terraform.values import format_number

            return format_number(value)
        if not isinstance(value, str):
            raise InputReadError(
                f"{obj.where(name)}: {obj.address}: {name} must be a string, got {describe(value)}"
            )
        if ID_MARK in value:
            raise SkipError(
                f"{obj.address}.{name} is built from a PagerDuty ID ({readable(value)}), which "
                "only PagerDuty knows",
                obj.where(name),
            )
        return value

    def integer(self, obj: Obj, name: str, low: int, high: int | None) -> int:
        value = self.opt_integer(obj, name, low, high, required=True)
        assert value is not None
        return value

    def opt_integer(
        self, obj: Obj, name: str, low: int, high: int | None, required: bool = False
    ) -> int | None:
        value = self.value(obj, name, required)
        if value is None:
            return None
        number: Any = value
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,30}\s*", value):
            number = int(value)
        if isinstance(number, float) and number.is_integer() and abs(number) < 1e300:
            number = int(number)
        if isinstance(number, bool) or not isinstance(number, int):
            raise InputReadError(
                f"{obj.where(name)}: {obj.address}: {name} must be a whole number, got {describe(value)}"
            )
        if number < low or (high is not None and number > high):
            limit = f"between {low:,} and {high:,}" if high is not None else f"at least {low:,}"
            shown = describe(number).removeprefix("the number ")
            raise InputReadError(
                f"{obj.where(name)}: {obj.address}: {name} must be {limit}, got {shown}"
            )
        return number

    def timestamp(self, obj: Obj, name: str, tz: str, required: bool = True) -> dt.datetime | None:
        value = self.opt_string(obj, name, required)
        if value is None:
            return None
        known = self._instants.get((value, tz))
        if known is not None:  # the same text in the same zone: checked once (noted each time)
            local, cut = known
            if cut is not None:
                self._dropped_seconds(obj, name, value, cut)
            return local
        if not _RFC3339.match(value):
            raise InputReadError(
                f"{obj.where(name)}: {obj.address}: {name} must be an RFC 3339 timestamp with an offset such as "
                f"'2025-01-01T00:00:00-05:00', got {describe(value)}"
            )
        try:
            parsed = parse_iso8601(value)
        except ValueError as exc:
            raise InputReadError(
                f"{obj.where(name)}: {obj.address}: {name} is not a valid timestamp: {exc}"
            ) from None
        if parsed.year not in TIMESTAMP_YEARS:
            raise InputReadError(
                f"{obj.where(name)}: {obj.address}: {name} {value!r} is out of range; use a time in the years "
                f"{TIMESTAMP_YEARS.start} to {TIMESTAMP_YEARS.stop - 1}"
            )
        cut = None
        if parsed.second or parsed.microsecond:
            parsed = parsed.replace(second=0, microsecond=0)
            cut = parsed.isoformat()
            self._dropped_seconds(obj, name, value, cut)
        local = parsed.astimezone(zone(tz))
        self._instants[(value, tz)] = (local, cut)
        return local

    def _dropped_seconds(self, obj: Obj, name: str, value: str, cut: str) -> None:
        self.note(
            "OCP605", obj.where(name), obj.address,
            f"{name} {value!r} has seconds; PagerDuty drops them, and so does the import ({cut})",
        )  # fmt: skip

    def ids(self, obj: Obj, name: str, required: bool) -> list[Any]:
        value = self.value(obj, name, required)
        if value is None:
            return []
        if isinstance(value, TfSet):
            value = list(value.items)
        if not isinstance(value, list):
            raise InputReadError(
                f"{obj.where(name)}: {obj.address}: {name} must be a list of IDs, got {describe(value)}"
            )
        for item in value:
            if isinstance(item, Unknown):
                raise SkipError(
                    f"an element of {obj.address}.{name} is unknown: {item.reason}", obj.where(name)
                )
        return value

    # -- references --------------------------------------------------------------------------------

    def _target(self, value: Any, obj: Obj, name: str) -> Obj | str:
        if type(value) is Ref and value.target is not None and not isinstance(value.target, str):
            return value.target  # type: ignore[no-any-return]  # the common case, first
        if isinstance(value, Unknown):
            raise SkipError(f"{obj.address}.{name} is unknown: {value.reason}", obj.where(name))
        if isinstance(value, Ref):
            target = value.target
            if target is None or isinstance(target, str):
                return value.address
            return target  # type: ignore[no-any-return]
        if isinstance(value, str):
            if self.resolve_id is not None:
                found = self.resolve_id(value)
                if found is not None:
                    return found
            return value
        raise InputReadError(
            f"{obj.where(name)}: {obj.address}: {name} must hold IDs, got {describe(value)}"
        )

    def user(self, value: Any, obj: Obj, name: str) -> User:
        if type(value) is Ref:  # a declared user, built already: the common case, first
            done = self._built.get(getattr(value.target, "address", ""))
            if type(done) is User and getattr(value.target, "type", None) == "pagerduty_user":
                return done
        target = self._target(value, obj, name)
        if getattr(target, "type", None) == "pagerduty_user":  # a declared user: the common case
            user = self.referenced(target, obj, name)  # type: ignore[arg-type]
            assert isinstance(user, User)
            return user
        from oncall_planner.ingest.terraform.modules import Placeholder

        if isinstance(target, Placeholder):
            return self._placeholder_user(
                target.name, obj.where(name), target.address, "not declared in the configuration"
            )
        if isinstance(target, str):
            return self._placeholder_user(
                target,
                obj.where(name),
                f"{obj.address}.{name}",
                f"the literal PagerDuty ID {target!r} names a user outside the configuration",
            )
        if target.type != "pagerduty_user":
            raise InputReadError(
                f"{obj.where(name)}: {obj.address}: {name} must name a user, got {target.address}"
            )
        user = self.referenced(target, obj, name)
        assert isinstance(user, User)
        return user

    def _placeholder_user(
        self, key: str, where: str, subject: str, why: str, note: bool = True
    ) -> User:
        if key not in self._placeholder_users:
            email = f"{key}@{PLACEHOLDER_DOMAIN}"
            try:
                user = User(key, email)
            except ValidationError as exc:
                raise InputReadError(f"{where}: {subject}: {exc}") from None
            self._placeholder_users[key] = user
            if note:
                self.note("OCP602", where, subject, f"{why}: placeholder user {key!r}, {email}")
        return self._placeholder_users[key]

    def schedule(self, value: Any, obj: Obj, name: str) -> Schedule | ShiftSchedule:
        """The schedule a target names: a ``pagerduty_schedule`` (layer-based) or a
        ``pagerduty_schedulev2`` (shift-based), or a placeholder for one defined elsewhere."""
        target = self._target(value, obj, name)
        if isinstance(target, str):
            return self._placeholder_schedule(
                target,
                obj.where(name),
                f"{obj.address}.{name}",
                f"the literal PagerDuty ID {target!r} names a schedule outside the configuration",
            )
        _refuse_undeclared(target, obj, name, "a schedule")
        if target.mode == "data" and target.type in _SCHEDULE_TYPES:
            looked_up = self.string(target, "name")
            assert looked_up is not None
            return self._placeholder_schedule(
                looked_up,
                target.where(),
                target.address,
                f"looks up the schedule {looked_up!r} defined outside the configuration",
            )
        if target.type not in _SCHEDULE_TYPES or target.mode != "managed":
            if (target.mode, target.type) in NOT_MODELLED:
                self.referenced(target, obj, name)
            raise InputReadError(
                f"{obj.where(name)}: {obj.address}: {name} must name a schedule, got {target.address}"
            )
        schedule = self.referenced(target, obj, name)
        assert isinstance(schedule, (Schedule, ShiftSchedule))
        return schedule

    def _placeholder_schedule(self, key: str, where: str, subject: str, why: str) -> Schedule:
        if key not in self._placeholder_schedules:
            person = self._placeholder_user(
                f"on-call-{_slug(key)}",
                where,
                subject,
                f"someone on call on the schedule {key!r}",
                note=False,
            )
            layer = Layer("placeholder", [person], _PLACEHOLDER_START, dt.timedelta(weeks=1))
            self._placeholder_schedules[key] = Schedule(key, "Etc/UTC", [layer])
            self.note(
                "OCP602",
                where,
                subject,
                f"{why}: placeholder schedule {key!r} where one placeholder person is always on call",
            )
        return self._placeholder_schedules[key]

    def team(self, value: Any, obj: Obj, name: str) -> Team:
        target = self._target(value, obj, name)
        if isinstance(target, str):
            raise SkipError(
                f"{obj.address}.{name} names the team {target!r} by its PagerDuty ID, which the configuration does not declare",
                obj.where(name),
            )
        _refuse_undeclared(target, obj, name, "a team")
        if target.type != "pagerduty_team":
            raise InputReadError(
                f"{obj.where(name)}: {obj.address}: {name} must name a team, got {target.address}"
            )
        team = self.referenced(target, obj, name)
        assert isinstance(team, Team)
        return team

    def members(self, team: Obj) -> list[User]:
        if self._members is None:
            self._members = {}
            for membership in self.memberships:
                try:
                    team_address, user = self.build(membership)
                except SkipError:
                    continue
                self._members.setdefault(team_address, {})[user] = None  # equal users once
        return sorted(self._members.get(team.address, ()), key=_by_email)

    def where_key(self, key: tuple[str, ...], obj: Obj, where: str | None = None) -> None:
        if key not in self.locations:
            block = getattr(obj, "block", None) if where is None else None
            if block is not None:  # configuration: the block's file; its line comes later
                self.locations[key] = (block.src.name, None)
                self._unresolved.setdefault(block.src, []).append((key, block.pos))
            else:
                text = where or obj.where()
                file, _, line = text.rpartition(":")
                self.locations[key] = (file, int(line)) if line.isdigit() else (text, None)
        self.addresses.setdefault(key, obj.address)

    def resolve_locations(self) -> None:
        """Give the locations recorded from blocks their lines: one pass per file, in offset
        order, instead of a line lookup per imported object."""
        for src, pending in self._unresolved.items():
            lines = src.lines([pos for _, pos in pending])
            for (key, _), line in zip(pending, lines):
                self.locations[key] = (src.name, line)
        self._unresolved.clear()


def _fresh(exc: SkipError) -> SkipError:
    """A copy of ``exc`` with no traceback. What is kept, and raised, is never the error a
    frame caught: that error's traceback holds the frame, whose variables hold the error, a
    reference cycle that would keep the whole import in memory until the cyclic collector
    runs."""
    return SkipError(exc.reason, exc.where)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:60] or "schedule"


def _by_email(user: User) -> tuple[str, str]:
    return (user.email.lower(), user.email)


def _refused(exc: EvalError, obj: Obj, name: str) -> Exception:
    """What an evaluation error reading ``obj.name`` means: the import stops (InputReadError)
    when Terraform would refuse the configuration whatever the values, else ``obj`` is left
    out (SkipError)."""
    if exc.fatal:
        return InputReadError(str(exc))
    return SkipError(f"Terraform would refuse this: {exc.message}", exc.where or obj.where(name))


def _known(obj: Obj, name: str, value: Any, required: bool) -> Any:
    """``value`` (None or Unknown) read from ``obj.name``: None when that is allowed."""
    if isinstance(value, Unknown):
        raise SkipError(f"{obj.address}.{name} is unknown: {value.reason}", obj.where(name))
    if value is None and required:
        raise InputReadError(f"{obj.where()}: {obj.address}: {name} is required but not set")
    return value


def _made(cls: Callable[..., Any], obj: Obj, *args: Any, **kwargs: Any) -> Any:
    """``cls(*args, **kwargs)``, a model object; its ValidationError names ``obj``."""
    try:
        return cls(*args, **kwargs)
    except ValidationError as exc:
        raise InputReadError(f"{obj.where()}: {obj.address}: {exc}") from None


def _refuse_undeclared(target: Any, obj: Obj, name: str, what: str) -> None:
    """An undeclared ``pagerduty_user.X`` (a :class:`~.modules.Placeholder`) where ``what`` must
    be named: the configuration is wrong, and Terraform would refuse it too."""
    from oncall_planner.ingest.terraform.modules import Placeholder

    if isinstance(target, Placeholder):
        raise InputReadError(
            f"{obj.where(name)}: {obj.address}: {name} must name {what}, got {target.address}, "
            "which the configuration does not declare"
        )


def _validated(build: Callable[[], Any], obj: Obj) -> Any:
    try:
        return build()
    except ValidationError as exc:
        raise InputReadError(f"{obj.where()}: {obj.address}: {exc}") from None


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------


@builder("managed", "pagerduty_user", "user")
def build_user(obj: Obj, ctx: Build) -> User:
    name = ctx.string(obj, "name")
    email = ctx.string(obj, "email")
    tz = ctx.opt_string(obj, "time_zone")
    user = _made(User, obj, name, email, tz)
    ctx.where_key(("User", user.name, user.email), obj)
    return user  # type: ignore[no-any-return]


@builder("data", "pagerduty_user", "user")
def build_data_user(obj: Obj, ctx: Build) -> User:
    email = ctx.string(obj, "email")
    managed = ctx.managed_users.get(email.lower())
    if managed is not None:
        user = ctx.referenced(managed, obj, "email")
        assert isinstance(user, User)
        return user
    user = _made(User, obj, email, email)
    ctx.where_key(("User", user.name, user.email), obj)
    return user  # type: ignore[no-any-return]


@builder("managed", "pagerduty_team", "team")
def build_team(obj: Obj, ctx: Build) -> Team:
    name = ctx.string(obj, "name")
    description = ctx.opt_string(obj, "description")
    team = _made(Team, obj, name, ctx.members(obj), description)
    ctx.addresses.setdefault(("Team", name), obj.address)
    return team  # type: ignore[no-any-return]


@builder("data", "pagerduty_team", "team")
def build_data_team(obj: Obj, ctx: Build) -> Team:
    name = ctx.string(obj, "name")
    return _validated(lambda: Team(name, ctx.members(obj)), obj)  # type: ignore[no-any-return]


@builder("managed", "pagerduty_team_membership", "membership")
def build_membership(obj: Obj, ctx: Build) -> tuple[str, User]:
    team_value = ctx.value(obj, "team_id")
    target = ctx._target(team_value, obj, "team_id")
    if isinstance(target, str):
        raise SkipError(
            f"{obj.address}: team_id {target!r} names a team outside the configuration",
            obj.where("team_id"),
        )
    _refuse_undeclared(target, obj, "team_id", "a team")
    if target.type != "pagerduty_team":
        raise InputReadError(
            f"{obj.where('team_id')}: {obj.address}: team_id must name a team, got {target.address}"
        )
    user = ctx.user(ctx.value(obj, "user_id"), obj, "user_id")
    return target.address, user


@builder("managed", "pagerduty_schedule", "schedule")
def build_schedule(obj: Obj, ctx: Build) -> Schedule:
    name = ctx.string(obj, "name")
    tz = ctx.string(obj, "time_zone")
    assert name is not None and tz is not None
    try:
        check_time_zone(tz, f"Schedule {name!r}")
    except ValidationError as exc:
        raise InputReadError(f"{obj.where('time_zone')}: {obj.address}: {exc}") from None
    description = ctx.opt_string(obj, "description")
    blocks = obj.blocks("layer")
    if isinstance(blocks, Unknown):
        raise SkipError(f"the layers of {obj.address} are unknown: {blocks.reason}", obj.where())
    if not blocks:
        raise InputReadError(
            f"{obj.where()}: {obj.address}: a schedule needs at least one layer block"
        )
    layers = [_layer(b, ctx, i, tz) for i, b in enumerate(blocks)]
    teams = [ctx.team(v, obj, "teams") for v in ctx.ids(obj, "teams", required=False)]
    schedule = _made(Schedule, obj, name, tz, layers, description=description, teams=teams)
    ctx.where_key(("Schedule", name), obj)
    for layer, block in zip(layers, blocks):
        ctx.where_key(("Schedule", name, layer.name), block)
    return schedule  # type: ignore[no-any-return]


def _layer(obj: Obj, ctx: Build, index: int, tz: str) -> Layer:
    name = ctx.opt_string(obj, "name") or f"Layer {index + 1}"
    start = ctx.timestamp(obj, "start", tz)
    virtual = ctx.timestamp(obj, "rotation_virtual_start", tz, required=False)
    end = ctx.timestamp(obj, "end", tz, required=False)
    seconds = ctx.integer(obj, "rotation_turn_length_seconds", 3600, 31_536_000)
    assert start is not None and seconds is not None
    users = [ctx.user(v, obj, "users") for v in ctx.ids(obj, "users", required=True)]
    blocks = obj.blocks("restriction")
    if isinstance(blocks, Unknown):
        raise SkipError(
            f"the restrictions of {obj.address} are unknown: {blocks.reason}", obj.where()
        )
    restrictions = [_restriction(b, ctx) for b in blocks]
    return _made(  # type: ignore[no-any-return]
        Layer,
        obj,
        name,
        users,
        start,
        dt.timedelta(seconds=seconds),
        rotation_virtual_start=virtual or start,
        restrictions=restrictions,
        end=end,
    )


def _restriction(obj: Obj, ctx: Build) -> Restriction:
    kind = ctx.string(obj, "type")
    start = ctx.string(obj, "start_time_of_day")
    seconds = ctx.integer(obj, "duration_seconds", 1, 604_799)
    assert start is not None and seconds is not None
    duration = dt.timedelta(seconds=seconds)
    if kind == "daily_restriction":
        day = ctx.value(obj, "start_day_of_week", required=False)
        if day not in (None, 0, "0"):
            raise InputReadError(
                f"{obj.where('start_day_of_week')}: {obj.address}: start_day_of_week is only for "
                "weekly_restriction (the provider shows a permanent diff otherwise)"
            )
        return _validated(lambda: Restriction.daily(start, duration), obj)  # type: ignore[no-any-return]
    if kind == "weekly_restriction":
        day = ctx.integer(obj, "start_day_of_week", 1, 7)
        assert day is not None
        return _validated(lambda: Restriction.weekly(day, start, duration), obj)  # type: ignore[no-any-return]
    raise InputReadError(
        f"{obj.where('type')}: {obj.address}: type must be 'daily_restriction' or "
        f"'weekly_restriction', got {kind!r}"
    )


@builder("managed", "pagerduty_escalation_policy", "policy")
def build_policy(obj: Obj, ctx: Build) -> EscalationPolicy:
    name = ctx.string(obj, "name")
    description = ctx.opt_string(obj, "description")
    loops = ctx.opt_integer(obj, "num_loops", 0, 9) or 0
    team_ids = ctx.ids(obj, "teams", required=False)
    if len(team_ids) > 1:
        raise InputReadError(
            f"{obj.where('teams')}: {obj.address}: PagerDuty allows one team per escalation policy, got {len(team_ids)}"
        )
    team = ctx.team(team_ids[0], obj, "teams") if team_ids else None
    blocks = obj.blocks("rule")
    if isinstance(blocks, Unknown):
        raise SkipError(f"the rules of {obj.address} are unknown: {blocks.reason}", obj.where())
    if not blocks:
        raise InputReadError(
            f"{obj.where()}: {obj.address}: a policy needs at least one rule block"
        )
    rules = [_rule(b, ctx) for b in blocks]
    policy = _made(EscalationPolicy, obj, name, rules, loops, team=team, description=description)
    ctx.where_key(("EscalationPolicy", name), obj)
    for level, block in enumerate(blocks, start=1):
        ctx.where_key(("EscalationPolicy", name, f"level {level}"), block)
    return policy  # type: ignore[no-any-return]


def _rule(obj: Obj, ctx: Build) -> EscalationRule:
    delay = ctx.integer(obj, "escalation_delay_in_minutes", 1, 525_600)
    blocks = obj.blocks("target")
    if isinstance(blocks, Unknown):
        raise SkipError(f"the targets of {obj.address} are unknown: {blocks.reason}", obj.where())
    targets = []
    for target in blocks:
        kind = ctx.opt_string(target, "type") or "user_reference"
        value = ctx.value(target, "id")
        if kind in ("user_reference", "user"):
            targets.append(Target.user(ctx.user(value, target, "id")))
        elif kind in ("schedule_reference", "schedule", "schedule_v3_reference"):
            targets.append(Target.schedule(ctx.schedule(value, target, "id")))
        else:
            raise InputReadError(
                f"{target.where('type')}: {target.address}: type must be 'user_reference' or "
                f"'schedule_reference', got {kind!r}"
            )
    round_robin = False
    strategies = obj.blocks("escalation_rule_assignment_strategy")
    if isinstance(strategies, Unknown):
        raise SkipError(
            f"the assignment strategy of {obj.address} is unknown: {strategies.reason}", obj.where()
        )
    for strategy in strategies:
        kind = ctx.opt_string(strategy, "type") or "assign_to_everyone"
        if kind not in ("round_robin", "assign_to_everyone"):
            raise InputReadError(
                f"{strategy.where('type')}: {strategy.address}: escalation_rule_assignment_strategy "
                f"type must be 'round_robin' or 'assign_to_everyone', got {kind!r}"
            )
        round_robin = kind == "round_robin"
    return _made(EscalationRule, obj, delay, targets, round_robin=round_robin)  # type: ignore[no-any-return]


def kinds_in_order() -> Iterable[str]:
    return ("membership", "user", "team", "schedule", "policy")
