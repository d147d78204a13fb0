"""Builders for plain blocks of Terraform JSON, reading their decoded objects directly.

The builders of :mod:`.build` read every argument through :class:`~.build.Obj` and the typed
reads of :class:`~.build.Build`: a few calls per argument, and a :class:`~.modules.NestedObj`
per nested block. For the four types an organisation writes most (``pagerduty_team_membership``,
``data "pagerduty_user"``, ``pagerduty_schedule``, ``pagerduty_escalation_policy``), when the
instance is the single one of a plain :class:`~.jsonsyntax.JsonBlock` in a module's own scope,
the functions here read the block's ``raw`` dictionary instead.

Each one first checks, without changing anything, that the general builder would take its
common path: every argument it reads is a literal of the expected kind, or a reference whose
value the module already remembers (a :class:`~.values.Ref` to an object built already), no
nested block other than the ones it reads, nothing left to the evaluator, room in the step
budget. When anything else is written, it returns ``None`` before any side effect, and the
general builder reads the object as always. When it goes on, it makes what the general builder
makes, in the same order: the same model objects (through their validating constructors), the
same values remembered on the instance, the same evaluation steps counted, the same locations
and addresses, the same notes and messages (a refused value is reported through the same
:class:`~.modules.NestedObj` the general builder would have used, made only then).

``build.READ_PLAIN = False`` turns them off (the tests compare both ways).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oncall_planner.errors import InputReadError, ValidationError
from oncall_planner.ingest.terraform.build import BUILDERS, Build
from oncall_planner.ingest.terraform.expressions import Scope
from oncall_planner.ingest.terraform.jsonsyntax import JsonBlock
from oncall_planner.ingest.terraform.modules import Instance, NestedObj
from oncall_planner.ingest.terraform.values import ID_MARK, MAX_STEPS, Ref
from oncall_planner.model import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    Schedule,
    ShiftSchedule,
    Target,
    Team,
    User,
)
from oncall_planner.timeutil import check_time_zone

_MISSING = object()
_SCHEDULES = (Schedule, ShiftSchedule)
_USER_KINDS = ("user_reference", "user")
_SCHEDULE_KINDS = ("schedule_reference", "schedule", "schedule_v3_reference")


def _literal(value: Any) -> bool:
    """Whether ``value`` is a string the typed reads return as it is (no template, no ID)."""
    return type(value) is str and "${" not in value and "%{" not in value and ID_MARK not in value


def _optional_literal(value: Any) -> bool:
    return value is None or _literal(value)


def _whole(value: Any, low: int, high: int) -> bool:
    """Whether ``Build.integer`` would return ``value`` as it is."""
    return type(value) is int and low <= value <= high


def _remembered(block: JsonBlock, value: Any, memo: dict[str, Any]) -> tuple[Any, int] | None:
    """The value remembered for ``value``, a ``"${a.b.c}"`` string, and the steps evaluating
    it counts; None when it is anything else or not remembered."""
    if type(value) is not str:
        return None
    ref = block.conv.simple.get(value)
    if ref is None:
        return None
    known = memo.get(ref[1], _MISSING)
    if known is _MISSING:
        return None
    return known, len(ref[0])


def _built_user(ctx: Build, value: Any) -> User | None:
    """What ``Build.user`` returns at once for ``value`` (a Ref to a user built already)."""
    if type(value) is not Ref:
        return None
    target = value.target
    done = ctx._built.get(getattr(target, "address", ""))
    if type(done) is User and getattr(target, "type", None) == "pagerduty_user":
        return done
    return None


def _own_scope(obj: Instance) -> Scope | None:
    """The instance's scope when it is a module's own (where remembered values are read)."""
    scope = obj.scope
    if scope.names or scope.parent is not None:
        return None
    return scope


def _where_block(ctx: Build, key: tuple[str, ...], block: JsonBlock, address: str) -> None:
    """``Build.where_key`` for the nested block ``block`` at ``address``."""
    if key not in ctx.locations:
        ctx.locations[key] = (block.src.name, None)
        ctx._unresolved.setdefault(block.src, []).append((key, block.pos))
    ctx.addresses.setdefault(key, address)


def _refused(obj: Any, exc: ValidationError) -> InputReadError:
    return InputReadError(f"{obj.where()}: {obj.address}: {exc}")


# -- pagerduty_team_membership ------------------------------------------------------------------


def plain_membership(obj: Any, ctx: Build) -> Any:
    if type(obj) is not Instance or type(obj.block) is not JsonBlock:
        return None
    scope = _own_scope(obj)
    if scope is None:
        return None
    block, cache = obj.block, obj.value._cache
    if "team_id" in cache or "user_id" in cache:
        return None
    raw, memo = block.raw, scope.memo
    team = _remembered(block, raw.get("team_id"), memo)
    user = _remembered(block, raw.get("user_id"), memo)
    if team is None or user is None:
        return None
    team_ref, team_steps = team
    if type(team_ref) is not Ref or type(user[0]) is not Ref:
        return None
    target = team_ref.target
    if type(target) is not Instance or target.type != "pagerduty_team":
        return None
    ev = obj.module.world.ev
    if ev.steps + team_steps + user[1] > MAX_STEPS:
        return None
    # what reading team_id and then user_id remembers and counts
    cache["team_id"] = team_ref
    ev.steps += team_steps
    cache["user_id"] = user[0]
    ev.steps += user[1]
    return target.address, ctx.user(user[0], obj, "user_id")


# -- data "pagerduty_user" ----------------------------------------------------------------------


def plain_data_user(obj: Any, ctx: Build) -> Any:
    if type(obj) is not Instance or type(obj.block) is not JsonBlock:
        return None
    email: Any = obj.block.raw.get("email")
    if not _literal(email):
        return None
    managed = ctx.managed_users.get(email.lower())
    if managed is not None:
        return None  # the general builder returns the managed user
    try:
        user = User(email, email)
    except ValidationError as exc:
        raise _refused(obj, exc) from None
    ctx.where_key(("User", user.name, user.email), obj)
    return user


# -- pagerduty_schedule -------------------------------------------------------------------------


def _layer_ready(layer: Any, ctx: Build, memo: dict[str, Any]) -> tuple[list[User], int] | None:
    """The users of the layer and the steps reading them counts, when the general ``_layer``
    would take its common path on it; else None."""
    if type(layer) is not JsonBlock or layer.type != "layer" or layer.blocks:
        return None  # restrictions are left to the general builder
    raw = layer.raw
    if not (
        _optional_literal(raw.get("name"))
        and _literal(raw.get("start"))
        and _optional_literal(raw.get("rotation_virtual_start"))
        and _optional_literal(raw.get("end"))
        and _whole(raw.get("rotation_turn_length_seconds"), 3600, 31_536_000)
    ):
        return None
    items = raw.get("users")
    if type(items) is not list or not items:
        return None
    # _remembered and _built_user for each item, written out: the loop the import runs most
    simple, built = layer.conv.simple, ctx._built
    steps = 1  # the tuple
    users = []
    for item in items:
        ref = simple.get(item) if type(item) is str else None
        if ref is None:
            return None
        value = memo.get(ref[1])
        if type(value) is not Ref:
            return None
        target = value.target
        done = built.get(getattr(target, "address", ""))
        if type(done) is not User or getattr(target, "type", None) != "pagerduty_user":
            return None
        users.append(done)
        steps += len(ref[0])
    return users, steps


def _timestamp(
    ctx: Build, layer: JsonBlock, name: str, tz: str, obj: Instance, index: int
) -> dt.datetime | None:
    """``Build.timestamp`` of the layer's ``name`` (a literal or null)."""
    value = layer.raw.get(name)
    if value is None:
        if name == "start":  # required: the general read says so
            return ctx.timestamp(_nested(obj, layer, index), name, tz)
        return None
    known = ctx._instants.get((value, tz))
    if known is not None and known[1] is None:
        return known[0]
    return ctx.timestamp(_nested(obj, layer, index), name, tz)


def _nested(obj: Instance, layer: JsonBlock, index: int) -> NestedObj:
    """The layer as the general builder reads it (made only to report something)."""
    return NestedObj(obj.module.world, layer, obj.scope, f"{obj.address}.layer[{index}]")


def plain_schedule(obj: Any, ctx: Build) -> Any:
    if type(obj) is not Instance or type(obj.block) is not JsonBlock:
        return None
    scope = _own_scope(obj)
    if scope is None:
        return None
    block = obj.block
    raw: Any = block.raw
    name, tz, description = raw.get("name"), raw.get("time_zone"), raw.get("description")
    if not (_literal(name) and _literal(tz) and _optional_literal(description)):
        return None
    if raw.get("teams") is not None:
        return None
    layers_blocks: list[Any] = block.blocks
    if not layers_blocks:
        return None
    memo = scope.memo
    total = 0
    ready = []
    for layer in layers_blocks:
        found = _layer_ready(layer, ctx, memo)
        if found is None:
            return None
        ready.append(found)
        total += found[1]
    ev = obj.module.world.ev
    if ev.steps + total > MAX_STEPS:
        return None
    # the general builder's path, in its order
    try:
        check_time_zone(tz, f"Schedule {name!r}")
    except ValidationError as exc:
        raise InputReadError(f"{obj.where('time_zone')}: {obj.address}: {exc}") from None
    layers = []
    for index, (layer, (users, steps)) in enumerate(zip(layers_blocks, ready)):
        lraw = layer.raw
        start: Any = _timestamp(ctx, layer, "start", tz, obj, index)
        virtual = _timestamp(ctx, layer, "rotation_virtual_start", tz, obj, index)
        end = _timestamp(ctx, layer, "end", tz, obj, index)
        ev.steps += steps
        try:
            made = Layer(
                lraw.get("name") or f"Layer {index + 1}",
                users,
                start,
                dt.timedelta(seconds=lraw["rotation_turn_length_seconds"]),
                rotation_virtual_start=virtual or start,
                restrictions=[],
                end=end,
            )
        except ValidationError as exc:
            raise _refused(_nested(obj, layer, index), exc) from None
        layers.append(made)
    try:
        schedule = Schedule(name, tz, layers, description=description, teams=[])
    except ValidationError as exc:
        raise _refused(obj, exc) from None
    ctx.where_key(("Schedule", name), obj)
    address = obj.address
    for index, (made, layer) in enumerate(zip(layers, layers_blocks)):
        _where_block(ctx, ("Schedule", name, made.name), layer, f"{address}.layer[{index}]")
    return schedule


# -- pagerduty_escalation_policy ----------------------------------------------------------------


def _target_ready(target: Any, ctx: Build, memo: dict[str, Any]) -> tuple[Any, Any, int] | None:
    """How to make the plain target (``Target.user`` or ``Target.schedule``), the model
    object it names and the steps reading its ID counts, when the general ``_rule`` would
    take its common path on it; else None."""
    if type(target) is not JsonBlock or target.type != "target" or target.blocks:
        return None
    raw = target.raw
    kind = raw.get("type")
    if not _optional_literal(kind):
        return None
    kind = kind or "user_reference"
    found = _remembered(target, raw.get("id"), memo)
    if found is None:
        return None
    value, steps = found
    if kind in _USER_KINDS:
        user = _built_user(ctx, value)
        return (Target.user, user, steps) if user is not None else None
    if kind not in _SCHEDULE_KINDS or type(value) is not Ref:
        return None
    named = value.target
    if type(named) is not Instance or named.mode != "managed":
        return None
    if named.type not in ("pagerduty_schedule", "pagerduty_schedulev2"):
        return None
    done = ctx._built.get(named.address)
    if type(done) not in _SCHEDULES:
        return None
    return (Target.schedule, done, steps)


def _rule_ready(rule: Any, ctx: Build, memo: dict[str, Any]) -> list[Any] | None:
    if type(rule) is not JsonBlock or rule.type != "rule":
        return None
    if not _whole(rule.raw.get("escalation_delay_in_minutes"), 1, 525_600):
        return None
    targets = []
    for target in rule.blocks:
        ready = _target_ready(target, ctx, memo)
        if ready is None:
            return None  # an assignment strategy, too, is left to the general builder
        targets.append(ready)
    return targets if targets else None


def plain_policy(obj: Any, ctx: Build) -> Any:
    if type(obj) is not Instance or type(obj.block) is not JsonBlock:
        return None
    scope = _own_scope(obj)
    if scope is None:
        return None
    block, cache = obj.block, obj.value._cache
    raw: Any = block.raw
    name, description = raw.get("name"), raw.get("description")
    if not (_literal(name) and _optional_literal(description)):
        return None
    loops = raw.get("num_loops")
    if loops is not None and not _whole(loops, 0, 9):
        return None
    memo = scope.memo
    total = 0
    team_ids = raw.get("teams")
    team_found: tuple[Any, int] | None = None
    if team_ids is not None:
        if "teams" in cache or type(team_ids) is not list or len(team_ids) != 1:
            return None
        team_found = _remembered(block, team_ids[0], memo)
        if team_found is None or type(team_found[0]) is not Ref:
            return None
        named = team_found[0].target
        if type(named) is not Instance or named.type != "pagerduty_team":
            return None
        if type(ctx._built.get(named.address)) is not Team:
            return None
        total += 1 + team_found[1]
    rules_blocks: list[Any] = block.blocks
    if not rules_blocks:
        return None
    ready_rules = []
    for rule in rules_blocks:
        ready = _rule_ready(rule, ctx, memo)
        if ready is None:
            return None
        ready_rules.append(ready)
        total += sum(steps for _, _, steps in ready)
    ev = obj.module.world.ev
    if ev.steps + total > MAX_STEPS:
        return None
    # the general builder's path, in its order
    team = None
    if team_found is not None:
        cache["teams"] = [team_found[0]]
        ev.steps += 1 + team_found[1]
        team = ctx._built[team_found[0].target.address]
    rules = []
    for index, (rule, ready) in enumerate(zip(rules_blocks, ready_rules)):
        targets = []
        for make, made, steps in ready:
            ev.steps += steps
            targets.append(make(made))
        try:
            rules.append(
                EscalationRule(rule.raw["escalation_delay_in_minutes"], targets, round_robin=False)
            )
        except ValidationError as exc:
            nested = NestedObj(obj.module.world, rule, obj.scope, f"{obj.address}.rule[{index}]")
            raise _refused(nested, exc) from None
    try:
        policy = EscalationPolicy(name, rules, loops or 0, team=team, description=description)
    except ValidationError as exc:
        raise _refused(obj, exc) from None
    ctx.where_key(("EscalationPolicy", name), obj)
    address = obj.address
    for level, rule in enumerate(rules_blocks, start=1):
        _where_block(
            ctx, ("EscalationPolicy", name, f"level {level}"), rule, f"{address}.rule[{level - 1}]"
        )
    return policy


for _key, _plain in (
    (("managed", "pagerduty_team_membership"), plain_membership),
    (("data", "pagerduty_user"), plain_data_user),
    (("managed", "pagerduty_schedule"), plain_schedule),
    (("managed", "pagerduty_escalation_policy"), plain_policy),
):
    BUILDERS[_key].plain = _plain
