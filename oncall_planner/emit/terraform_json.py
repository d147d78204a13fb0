"""Terraform JSON (``*.tf.json``) for the PagerDuty provider, straight from Python: no Node.js.

:func:`to_terraform_json` turns an :class:`~oncall_planner.OnCallPlan` into the dictionary Terraform
reads from a ``.tf.json`` file; :func:`write_terraform_json` writes it with sorted keys, so the same
plan always gives the same bytes. The output steers clear of the provider's drift traps (see
docs/terraform.md): instants are whole-minute RFC 3339 times in UTC (``…Z``), emails are lower
case, ``start_day_of_week`` only appears on weekly restrictions, and layers that have already ended
are left out (with a :class:`TerraformEmitWarning`) because the provider hides ended layers and
would otherwise add them back on every ``terraform plan``.

Shift-based schedules become ``pagerduty_schedulev2`` blocks, written by the reference's emitter
checklist (docs/schedulev2.md, "Terraform out"): ``description`` always present, a zone the
provider accepts (never ``UTC``; ``Etc/UTC`` with ``lifecycle.ignore_changes = [time_zone]``, since
the provider reads it back as ``UTC``), instants as ``…Z`` UTC times, each rotation's events in
ascending ``effective_since`` order, ``shifts_per_member`` always written for rotating members.
Escalation policies target them with ``schedule_reference``, as the provider wants.

Overrides have no Terraform resource in the PagerDuty provider. :func:`overrides_api_body` gives
them as the JSON body of PagerDuty's ``POST /schedules/{id}/overrides`` call instead; custom
shifts of a shift-based schedule have no Terraform block either and are left out with a warning.

The same attribute dictionaries feed the CDKTF construct (:mod:`oncall_planner.cdktf`), through
:func:`plan_layout`, so both paths emit the same resources.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.files import write_atomic
from oncall_planner.model import (
    EscalationPolicy,
    EveryMember,
    Layer,
    OnCallPlan,
    Override,
    Restriction,
    Schedule,
    ShiftEvent,
    ShiftSchedule,
    Team,
    User,
)
from oncall_planner.textutil import json_safe
from oncall_planner.timeutil import PAGERDUTY_TIME_ZONES

UTC = dt.timezone.utc

#: Where the provider comes from and which versions the emitted JSON is written for.
PROVIDER_SOURCE = "PagerDuty/pagerduty"
PROVIDER_VERSION = "~> 3.30"
#: The versions a plan with shift-based schedules needs: ``pagerduty_schedulev2`` came in 3.32.0;
#: 3.32.1 reads ``schedule_v3_reference`` targets back, 3.32.4 keeps event IDs stable (#1123).
SCHEDULEV2_PROVIDER_VERSION = ">= 3.32.4, < 4.0.0"
#: What a shift-based schedule without a description gets: the provider leaves an omitted
#: description unknown after create (reference §4.4-4), and the legacy resource's default is this.
DEFAULT_DESCRIPTION = "Managed by Terraform"

UsersMode = Literal["data", "resource"]
#: A resource or data source as ``(terraform type, name, is data source)``.
Address = tuple[str, str, bool]


class TerraformEmitWarning(UserWarning):
    """Something in the plan was left out of the Terraform (e.g. a layer that has already ended)."""


# --------------------------------------------------------------------------------------------
#: The reserved domain of placeholder users' emails (RFC 2606: it can never be real).
PLACEHOLDER_DOMAIN = "unknown.invalid"

# Names: valid, stable Terraform identifiers derived from object names


_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def is_identifier(text: str) -> bool:
    """Whether ``text`` is a valid Terraform identifier (a letter or ``_`` first)."""
    return bool(_IDENT_RE.match(text))


def base_identifier(text: str, fallback: str) -> str:
    """``"Checkout Team On-Call"`` -> ``"checkout_team_on_call"``.

    Accents are dropped (``Zoë`` -> ``zoe``), every run of other characters becomes one ``_``. A
    name with no letters or digits left becomes ``fallback``; one starting with a digit gets
    ``fallback_`` in front.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ident = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if not ident:
        return fallback
    if ident[0].isdigit():
        return f"{fallback}_{ident}"
    return ident


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def unique_identifiers(
    items: Sequence[tuple[str, str]],
    fallback: str,
    preferred: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Identifiers for ``(key, name)`` pairs, keyed by ``key`` (unique per object).

    ``preferred`` (key -> identifier) names objects that already have a Terraform name, such as
    those imported from Terraform: each keeps it when it is a valid identifier that no other
    preferred object took first.

    Each object gets :func:`base_identifier` of its name. When several share one, the first in
    ``items`` keeps it and each later one gets ``_`` and the first 8 hex digits of the SHA-256 of
    its key appended: the suffix depends only on the object itself, so adding objects after it,
    or objects with another base, never renames it. Removing the first of two namesakes gives the
    other the plain name (no rule without Terraform's state can avoid that).
    """
    taken: set[str] = set()
    out: dict[str, str] = {}
    for key, _ in items:
        want = (preferred or {}).get(key)
        if want is not None and key not in out and is_identifier(want) and want not in taken:
            out[key] = want
            taken.add(want)
    wanted = [(key, base_identifier(name, fallback)) for key, name in items]
    bases = {base for _, base in wanted}
    for key, base in wanted:
        if key in out:
            continue
        ident = base
        if ident in taken:
            digest = _digest(key)
            width = 8
            ident = f"{base}_{digest[:width]}"
            while ident in taken or ident in bases:
                width += 4
                ident = f"{base}_{digest[:width]}"
        taken.add(ident)
        out[key] = ident
    return out


@attrs.frozen
class Names:
    """The Terraform names of every object of a plan (users by email, others by name)."""

    users: Mapping[str, str]
    teams: Mapping[str, str]
    memberships: Mapping[tuple[str, str], str]
    schedules: Mapping[str, str]
    policies: Mapping[str, str]

    @classmethod
    def of(cls, plan: OnCallPlan, keep: Mapping[str, Mapping[str, str]] | None = None) -> Names:
        """Names for every object; ``keep`` gives names to keep, by kind (``users`` by
        lower-case email, ``teams``, ``schedules``, ``policies`` by name)."""
        keep = keep or {}
        users = unique_identifiers(
            [(u.email.lower(), u.name) for u in plan.users], "user", keep.get("users")
        )
        teams = unique_identifiers(
            [(t.name, t.name) for t in plan.teams], "team", keep.get("teams")
        )
        pairs = [(t.name, u.email.lower()) for t in plan.teams for u in t.members]
        membership_names = unique_identifiers(
            [(f"{team}\n{email}", f"{teams[team]}_{users[email]}") for team, email in pairs],
            "membership",
        )
        # Layer-based first, so a plan that gains shift-based schedules renames none of them.
        schedules = unique_identifiers(
            [(s.name, s.name) for s in plan.all_schedules], "schedule", keep.get("schedules")
        )
        policies = unique_identifiers(
            [(p.name, p.name) for p in plan.escalation_policies],
            "escalation_policy",
            keep.get("policies"),
        )
        return cls(
            users=users,
            teams=teams,
            memberships={pair: membership_names[f"{pair[0]}\n{pair[1]}"] for pair in pairs},
            schedules=schedules,
            policies=policies,
        )


# --------------------------------------------------------------------------------------------
# Attribute dictionaries


def literal(text: str) -> str:
    """A string Terraform reads as itself: ``${`` and ``%{`` start templates in every Terraform
    string, so they are written ``$${`` and ``%%{``."""
    return text.replace("${", "$${").replace("%{", "%%{")


def rfc3339(value: dt.datetime) -> str:
    """A whole-minute instant as RFC 3339 in UTC: ``2025-01-01T05:00:00Z``."""
    utc = value.astimezone(UTC)  # the year with four digits: strftime's %Y drops leading zeros
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"


def _restriction(restriction: Restriction) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"{restriction.kind}_restriction",
        "start_time_of_day": restriction.start_time_of_day.strftime("%H:%M:%S"),
        "duration_seconds": int(restriction.duration.total_seconds()),
    }
    if restriction.kind == "weekly":
        body["start_day_of_week"] = restriction.start_day_of_week
    return body


def _check_now(now: object) -> dt.datetime | None:
    if now is None:
        return None
    if not isinstance(now, dt.datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError(
            f"to_terraform_json: now must be a timezone-aware datetime, got {now!r}"
        )
    return now


def current_layers(schedule: Schedule, now: dt.datetime | None) -> tuple[Layer, ...]:
    """The layers of ``schedule`` still to emit at ``now``: those with no ``end`` or an ``end``
    after ``now``. Each layer left out is reported with a :class:`TerraformEmitWarning`; a
    schedule with no layer left raises :class:`~oncall_planner.ValidationError`."""
    if now is None:
        return schedule.layers
    kept = []
    for layer in schedule.layers:
        if layer.end is not None and layer.end <= now:
            warnings.warn(
                f"Schedule {schedule.name!r}: layer {layer.name!r} ended at {rfc3339(layer.end)}, "
                f"before now ({rfc3339(now)}); left out of the Terraform (the provider hides ended "
                "layers, so emitting it would show a change on every plan)",
                TerraformEmitWarning,
                stacklevel=3,
            )
        else:
            kept.append(layer)
    if not kept:
        raise ValidationError(
            f"Schedule {schedule.name!r}: every layer ended before now ({rfc3339(now)}), so there "
            "is nothing left to emit; remove the schedule or give it a layer that has not ended"
        )
    return tuple(kept)


@attrs.frozen
class Resource:
    """One Terraform block to emit: its address, its attributes and the objects it refers to."""

    address: Address
    attributes: dict[str, Any]


Ref = Callable[[Address], Any]


def plan_layout(
    plan: OnCallPlan,
    ref: Ref,
    users: UsersMode = "data",
    now: dt.datetime | None = None,
    names: Names | None = None,
) -> list[Resource]:
    """Every block of the plan in dependency order (users, teams, memberships, schedules,
    policies), with references built by ``ref(address)``: a ``"${type.name.id}"`` string for
    JSON, the referenced construct's ``id`` token for CDKTF."""
    if not isinstance(plan, OnCallPlan):
        raise ValidationError(f"to_terraform_json: plan must be an OnCallPlan, got {plan!r}")
    if users not in ("data", "resource"):
        raise ValidationError(
            f"to_terraform_json: users must be 'data' (look users up by email) or 'resource' "
            f"(manage them), got {users!r}"
        )
    now = _check_now(now)
    if names is None:
        names = Names.of(plan)
    out: list[Resource] = []

    def user_address(user: User) -> Address:
        return ("pagerduty_user", names.users[user.email.lower()], users == "data")

    def team_address(team: Team) -> Address:
        return ("pagerduty_team", names.teams[team.name], False)

    for user in plan.users:
        attributes: dict[str, Any] = {"email": literal(user.email.lower())}
        if user.email.lower().endswith("@" + PLACEHOLDER_DOMAIN):
            attributes["//"] = (
                "placeholder: the input named this user without declaring it; "
                "replace the email with the real one before applying"
            )
        if users == "resource":
            attributes["name"] = literal(user.name)
            if user.time_zone is not None:
                attributes["time_zone"] = user.time_zone
        out.append(Resource(user_address(user), attributes))

    for team in plan.teams:
        attributes = {"name": literal(team.name)}
        if team.description is not None:
            attributes["description"] = literal(team.description)
        out.append(Resource(team_address(team), attributes))

    for team in plan.teams:
        for user in team.members:
            name = names.memberships[(team.name, user.email.lower())]
            attributes = {
                "team_id": ref(team_address(team)),
                "user_id": ref(user_address(user)),
            }
            out.append(Resource(("pagerduty_team_membership", name, False), attributes))

    schedule_addresses: dict[str, Address] = {}
    for schedule in plan.schedules:
        layers = []
        for layer in current_layers(schedule, now):
            body: dict[str, Any] = {
                "name": literal(layer.name),
                "start": rfc3339(layer.start),
                "rotation_virtual_start": rfc3339(layer.rotation_virtual_start),
                "rotation_turn_length_seconds": int(layer.turn_length.total_seconds()),
                "users": [ref(user_address(u)) for u in layer.users],
            }
            if layer.end is not None:
                body["end"] = rfc3339(layer.end)
            if layer.restrictions:
                body["restriction"] = [_restriction(r) for r in layer.restrictions]
            layers.append(body)
        attributes = {
            "name": literal(schedule.name),
            "time_zone": schedule.time_zone,
            "layer": layers,
        }
        if schedule.description is not None:
            attributes["description"] = literal(schedule.description)
        if schedule.teams:
            attributes["teams"] = [ref(team_address(t)) for t in schedule.teams]
        address = ("pagerduty_schedule", names.schedules[schedule.name], False)
        schedule_addresses[schedule.name] = address
        out.append(Resource(address, attributes))

    for shift_schedule in plan.shift_schedules:
        address = ("pagerduty_schedulev2", names.schedules[shift_schedule.name], False)
        schedule_addresses[shift_schedule.name] = address
        out.append(
            Resource(
                address, schedulev2_attributes(shift_schedule, ref, user_address, team_address)
            )
        )

    for policy in plan.escalation_policies:
        out.append(
            Resource(
                ("pagerduty_escalation_policy", names.policies[policy.name], False),
                _policy(policy, ref, user_address, team_address, schedule_addresses),
            )
        )
    return out


def schedulev2_time_zone(schedule: ShiftSchedule) -> str:
    """The ``time_zone`` to write for ``schedule``: one the provider's validator accepts.

    ``UTC`` (and its aliases) is refused with a hint: the provider rejects it, and ``Etc/UTC``
    is the same clock. Any other name off the provider's list is refused too.
    """
    zone = schedule.time_zone
    if zone in PAGERDUTY_TIME_ZONES:
        return zone
    hint = (
        "use 'Etc/UTC', the same clock (the provider rejects 'UTC' although its docs use it)"
        if zone in ("UTC", "GMT", "Etc/GMT", "Zulu", "Etc/Zulu", "Universal", "Etc/Universal")
        else "pick the zone with the same rules from oncall_planner.PAGERDUTY_TIME_ZONES"
    )
    raise ValidationError(
        f"ShiftSchedule {schedule.name!r}: time_zone {zone!r} is not one the Terraform provider "
        f"accepts for pagerduty_schedulev2; {hint}"
    )


def _event_order(event: ShiftEvent) -> tuple[dt.datetime, dt.datetime]:
    return (event.effective_since, event.start_time)


def schedulev2_attributes(
    schedule: ShiftSchedule,
    ref: Ref,
    user_address: Callable[[User], Address],
    team_address: Callable[[Team], Address],
) -> dict[str, Any]:
    """The attributes of one ``pagerduty_schedulev2`` block (the reference's checklist, §4.6).

    Rotations keep their order (the provider matches them by position); each rotation's events
    are written in ascending ``effective_since`` (then ``start_time``) order, the order the API
    lists them in. Custom shifts have no Terraform block: they are left out with a
    :class:`TerraformEmitWarning`. An event with a time zone of its own is refused, since the
    provider writes the schedule's zone on every event (§4.6-7).
    """
    zone = schedulev2_time_zone(schedule)
    rotations = []
    for r, rotation in enumerate(schedule.rotations, start=1):
        events = []
        for event in sorted(rotation.events, key=_event_order):
            if event.time_zone is not None and event.time_zone != schedule.time_zone:
                raise ValidationError(
                    f"ShiftSchedule {schedule.name!r}, rotation {r}, event {event.name!r}: its "
                    f"time_zone {event.time_zone!r} differs from the schedule's "
                    f"({schedule.time_zone!r}), which pagerduty_schedulev2 cannot express: the "
                    "provider writes the schedule's zone on every event; give the event the "
                    "schedule's zone or move it to a schedule of its own"
                )
            events.append(_schedulev2_event(event, ref, user_address))
        rotations.append({"event": events})
    attributes: dict[str, Any] = {
        "name": literal(schedule.name),
        "time_zone": zone,
        "description": literal(
            schedule.description if schedule.description is not None else DEFAULT_DESCRIPTION
        ),
        "rotation": rotations,
    }
    if schedule.teams:
        attributes["teams"] = [ref(team_address(t)) for t in schedule.teams]
    if zone == "Etc/UTC":
        # The provider reads Etc/UTC back as "UTC" (reference §4.4-1): without this every plan
        # shows a change of time_zone.
        attributes["lifecycle"] = {"ignore_changes": ["time_zone"]}
    if schedule.custom_shifts:
        warnings.warn(
            f"ShiftSchedule {schedule.name!r}: {len(schedule.custom_shifts)} custom shift(s) left "
            "out of the Terraform (pagerduty_schedulev2 has no block for them; create them "
            "through PagerDuty's API, POST /v3/schedules/{id}/custom_shifts)",
            TerraformEmitWarning,
            stacklevel=4,
        )
    return attributes


def _schedulev2_event(
    event: ShiftEvent, ref: Ref, user_address: Callable[[User], Address]
) -> dict[str, Any]:
    members = [
        {"type": "user_member", "user_id": ref(user_address(m))}
        if isinstance(m, User)
        else {"type": "empty_member"}
        for m in event.members
    ]
    strategy: dict[str, Any]
    if isinstance(event.assignment, EveryMember):
        strategy = {"type": "every_member_assignment_strategy", "member": members}
    else:
        # Always explicit: the provider sends 1 when it is missing but keeps null in state, which
        # an import then shows as a change (reference §4.3).
        strategy = {
            "type": "rotating_member_assignment_strategy",
            "shifts_per_member": event.assignment.shifts_per_member,
            "member": members,
        }
    body: dict[str, Any] = {
        "name": literal(event.name),
        "start_time": rfc3339(event.start_time),
        "end_time": rfc3339(event.end_time),
        "effective_since": rfc3339(event.effective_since),
        "recurrence": [literal(line) for line in event.recurrence],
        "assignment_strategy": [strategy],
    }
    if event.effective_until is not None:
        body["effective_until"] = rfc3339(event.effective_until)
    return body


def _policy(
    policy: EscalationPolicy,
    ref: Ref,
    user_address: Callable[[User], Address],
    team_address: Callable[[Team], Address],
    schedule_addresses: Mapping[str, Address],
) -> dict[str, Any]:
    rules = []
    for rule in policy.rules:
        targets = []
        for target in rule.targets:
            if target.schedule is not None:
                targets.append(
                    {
                        "type": "schedule_reference",
                        "id": ref(schedule_addresses[target.schedule.name]),
                    }
                )
            elif target.user is not None:
                targets.append({"type": "user_reference", "id": ref(user_address(target.user))})
        body: dict[str, Any] = {
            "escalation_delay_in_minutes": rule.delay_minutes,
            "target": targets,
        }
        if rule.round_robin:
            # Only when asked: the block needs a plan with round robin (403 otherwise). A block
            # with at most one item may be one JSON object; CDKTF writes it that way too.
            body["escalation_rule_assignment_strategy"] = {"type": "round_robin"}
        rules.append(body)
    attributes: dict[str, Any] = {
        "name": literal(policy.name),
        "num_loops": policy.num_loops,
        "rule": rules,
    }
    if policy.description is not None:
        attributes["description"] = literal(policy.description)
    if policy.team is not None:
        attributes["teams"] = [ref(team_address(policy.team))]
    return attributes


def reference(address: Address) -> str:
    """The Terraform expression for an object's ID: ``${pagerduty_schedule.x.id}``."""
    kind, name, data = address
    return f"${{{'data.' if data else ''}{kind}.{name}.id}}"


def to_terraform_json(
    plan: OnCallPlan,
    users: UsersMode = "data",
    required_providers: bool = True,
    *,
    now: dt.datetime | None = None,
    names: Names | None = None,
) -> dict[str, Any]:
    """The plan as a Terraform JSON document (a dict ready for :func:`json.dumps`).

    ``users="data"`` looks every user up by email with ``data "pagerduty_user"`` (users usually
    exist already through SSO); ``users="resource"`` manages them as ``pagerduty_user``.
    ``required_providers`` adds the ``terraform.required_providers`` block for PagerDuty/pagerduty.
    Layers whose ``end`` is at or before ``now`` are left out with a :class:`TerraformEmitWarning`;
    with ``now=None`` (the default) every layer is emitted. ``names`` (:meth:`Names.of`) keeps
    the Terraform names objects already have, such as those of an imported configuration. A
    placeholder user (email ``…@unknown.invalid``, see the importer) is written with a ``//``
    comment saying so. The result depends only on the arguments.
    """
    doc: dict[str, Any] = {}
    for item in plan_layout(plan, reference, users=users, now=now, names=names):
        kind, name, data = item.address
        section = doc.setdefault("data" if data else "resource", {})
        section.setdefault(kind, {})[name] = item.attributes
    if required_providers:
        version = SCHEDULEV2_PROVIDER_VERSION if plan.shift_schedules else PROVIDER_VERSION
        doc["terraform"] = {
            "required_providers": {"pagerduty": {"source": PROVIDER_SOURCE, "version": version}}
        }
    return doc


_encode_string = json.encoder.encode_basestring  # the C version where available


def _append(value: Any, pad: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_encode_string(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = pad + "  "
        out.append("{")
        sep = "\n"
        for key in sorted(value):
            out.append(sep)
            out.append(inner)
            out.append(_encode_string(key))
            out.append(": ")
            _append(value[key], inner, out)
            sep = ",\n"
        out.append("\n")
        out.append(pad)
        out.append("}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = pad + "  "
        out.append("[")
        sep = "\n"
        for item in value:
            out.append(sep)
            out.append(inner)
            _append(item, inner, out)
            sep = ",\n"
        out.append("\n")
        out.append(pad)
        out.append("]")
    else:  # numbers, booleans, null: exactly as the json module writes them
        out.append(
            json.dumps(value)
            if not isinstance(value, int) or isinstance(value, bool)
            else str(value)
        )


def dumps(doc: Mapping[str, Any]) -> str:
    """The canonical text of a Terraform JSON document: sorted keys, two-space indent, UTF-8
    characters kept, a trailing newline. The same text as ``json.dumps(doc, indent=2,
    sort_keys=True, ensure_ascii=False) + "\\n"``, written about three times faster (the json
    module falls back to pure Python when indenting)."""
    out: list[str] = []
    _append(dict(doc), "", out)
    out.append("\n")
    return json_safe("".join(out))


def write_terraform_json(
    plan: OnCallPlan,
    path: str | os.PathLike[str],
    users: UsersMode = "data",
    required_providers: bool = True,
    *,
    now: dt.datetime | None = None,
) -> Path:
    """Write :func:`to_terraform_json` to ``path`` (e.g. ``pagerduty.tf.json``) and return it.

    Here, at the edge, ``now`` defaults to the current time so that layers which have already
    ended are left out; pass ``now`` for output that never depends on the clock.
    """
    if now is None:
        now = dt.datetime.now(UTC)
    text = dumps(to_terraform_json(plan, users, required_providers, now=now))
    # Through a temporary file renamed over the old one: a failed write leaves it whole.
    return write_atomic(path, text, make_folders=True)


# --------------------------------------------------------------------------------------------
# Overrides: no Terraform resource, so the body of PagerDuty's API call instead


def overrides_api_body(
    schedule: Schedule,
    overrides: Iterable[Override],
    user_ids: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The JSON body of ``POST /schedules/{id}/overrides`` for ``overrides`` on ``schedule``.

    The PagerDuty provider has no override resource, so overrides cannot go into Terraform. The
    API wants PagerDuty user IDs: give ``user_ids`` (email -> ID, any case); users not in it get a
    placeholder ``"<PagerDuty ID of alice@example.com>"`` to fill in. Times are whole-minute UTC
    and ``time_zone`` is the schedule's.
    """
    if not isinstance(schedule, Schedule):
        raise ValidationError(f"overrides_api_body: schedule must be a Schedule, got {schedule!r}")
    if user_ids is not None and (
        not isinstance(user_ids, Mapping)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in user_ids.items())
    ):
        raise ValidationError(
            "overrides_api_body: user_ids must map emails to PagerDuty user IDs "
            f"({{'alice@example.com': 'PABC123'}}), got {user_ids!r}"
        )
    ids = {email.lower(): value for email, value in (user_ids or {}).items()}
    items = []
    if isinstance(overrides, (str, bytes)) or not isinstance(overrides, Iterable):
        raise ValidationError(
            f"overrides_api_body: overrides for schedule {schedule.name!r} must be a list of "
            f"Override objects, got {overrides!r}"
        )
    for override in overrides:
        if not isinstance(override, Override):
            raise ValidationError(
                f"overrides_api_body: overrides for schedule {schedule.name!r} must be Override "
                f"objects, got {override!r}"
            )
        email = override.user.email.lower()
        items.append(
            {
                "start": rfc3339(override.start),
                "end": rfc3339(override.end),
                "time_zone": schedule.time_zone,
                "user": {
                    "type": "user_reference",
                    "id": ids.get(email, f"<PagerDuty ID of {email}>"),
                },
            }
        )
    return {"overrides": items}
