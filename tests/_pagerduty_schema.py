"""A small checker of Terraform JSON against the PagerDuty provider's schema rules.

The rules are those of the PagerDuty provider's resource schemas (v3.32.4): which
fields each block allows and requires, their types and ranges, the provider's CustomizeDiff rules
(``start_day_of_week`` only on weekly restrictions, daily restrictions under 24 h), and the
drift-safe forms the emitter promises on top (whole-minute ``…Z`` times, lower-case emails, at most
one team per policy). ``check_document(doc)`` returns a list of problems; empty means valid.

``pagerduty_schedulev2`` follows the reference's §4.1 (the resource schema and its validators:
``time_zone`` in ``util.ValidTZ``, ``recurrence`` with at least one item, the two
``assignment_strategy.type`` values, the two ``member.type`` values) and the API's rules the
provider leaves to the server (§1.4-1.9: 1 to 20 members, ``shifts_per_member`` ≥ 1, exactly one
RRULE, a ``user_id`` for a ``user_member`` only), plus the emitter checklist of §4.6 on top:
``description`` always, ``shifts_per_member`` written for rotating members and not for every
member, ``Etc/UTC`` only with ``lifecycle.ignore_changes = ["time_zone"]``, events of a rotation in
ascending ``effective_since`` order, ends after starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from oncall_planner import PAGERDUTY_TIME_ZONES

Check = Callable[[Any], str | None]

_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$")
_TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
_REF = re.compile(r"\$\{(data\.)?([a-z_]+)\.([A-Za-z_][A-Za-z0-9_-]*)\.id\}")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _string(max_len: int | None = None, min_len: int = 0) -> Check:
    def check(v: Any) -> str | None:
        if not isinstance(v, str):
            return f"must be a string, got {v!r}"
        if len(v) < min_len or (max_len is not None and len(v) > max_len):
            return f"length must be {min_len}..{max_len}, got {len(v)}"
        return None

    return check


def _int(lo: int, hi: int | None = None) -> Check:
    def check(v: Any) -> str | None:
        if not isinstance(v, int) or isinstance(v, bool):
            return f"must be an integer, got {v!r}"
        if v < lo or (hi is not None and v > hi):
            return f"must be {lo}..{hi}, got {v}"
        return None

    return check


def _one_of(*allowed: str) -> Check:
    def check(v: Any) -> str | None:
        return None if v in allowed else f"must be one of {allowed}, got {v!r}"

    return check


def _time(v: Any) -> str | None:
    if not isinstance(v, str) or not _TIME.match(v):
        return f"must be a whole-minute RFC 3339 UTC time like 2025-01-01T05:00:00Z, got {v!r}"
    return None


def _zone(v: Any) -> str | None:
    return None if v in PAGERDUTY_TIME_ZONES else f"must be a PagerDuty time zone, got {v!r}"


def _email(v: Any) -> str | None:
    problem = _string(100, 6)(v)
    if problem:
        return problem
    if v != v.lower():
        return f"must be lower case (the provider compares lower(config) with state), got {v!r}"
    return None


def _strings(min_items: int = 0, max_items: int | None = None) -> Check:
    def check(v: Any) -> str | None:
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            return f"must be a list of strings, got {v!r}"
        if len(v) < min_items or (max_items is not None and len(v) > max_items):
            return f"must have {min_items}..{max_items} items, got {len(v)}"
        return None

    return check


def _policy_name(v: Any) -> str | None:
    problem = _string(255, 1)(v)
    if problem:
        return problem
    if v != v.rstrip() or re.search(r"[\\/&<>]", v):
        return f"must not end with a space nor contain \\ / & < >, got {v!r}"
    return None


class Block:
    """Allowed fields (name -> (required, check)) and nested blocks (name -> (required, Block,
    min, max)) of one kind of block."""

    def __init__(
        self,
        fields: dict[str, tuple[bool, Check]],
        blocks: dict[str, tuple[bool, Block, int, int | None]] | None = None,
        extra: Callable[[dict[str, Any]], list[str]] | None = None,
    ) -> None:
        self.fields = fields
        self.blocks = blocks or {}
        self.extra = extra

    def check(self, body: Any, where: str) -> list[str]:
        if not isinstance(body, dict):
            return [f"{where}: must be an object, got {body!r}"]
        problems = []
        for key in body:
            if key not in self.fields and key not in self.blocks:
                problems.append(f"{where}: unknown field {key!r}")
        for key, (required, check) in self.fields.items():
            if key not in body:
                if required:
                    problems.append(f"{where}: required field {key!r} is missing")
                continue
            problem = check(body[key])
            if problem:
                problems.append(f"{where}.{key}: {problem}")
        for key, (required, block, lo, hi) in self.blocks.items():
            if key not in body:
                if required:
                    problems.append(f"{where}: required block {key!r} is missing")
                continue
            items = body[key]
            if isinstance(items, dict) and hi == 1:
                items = [items]  # Terraform JSON takes a single block as one object
            if not isinstance(items, list):
                problems.append(f"{where}.{key}: must be a list of blocks, got {items!r}")
                continue
            if len(items) < lo or (hi is not None and len(items) > hi):
                problems.append(f"{where}.{key}: must have {lo}..{hi} blocks, got {len(items)}")
            for i, item in enumerate(items):
                problems.extend(block.check(item, f"{where}.{key}[{i}]"))
        if self.extra is not None and not problems:
            problems.extend(f"{where}: {p}" for p in self.extra(body))
        return problems


def _restriction_rules(body: dict[str, Any]) -> list[str]:
    day = body.get("start_day_of_week")
    if body["type"] == "weekly_restriction":
        if not isinstance(day, int) or not 1 <= day <= 7:
            return [f"a weekly restriction needs start_day_of_week 1..7, got {day!r}"]
    else:
        if day not in (None, 0):
            return [f"a daily restriction must not set start_day_of_week, got {day!r}"]
        if body["duration_seconds"] >= 86400:
            return [f"a daily restriction must last under 24 h, got {body['duration_seconds']} s"]
    return []


RESTRICTION = Block(
    {
        "type": (True, _one_of("daily_restriction", "weekly_restriction")),
        "start_time_of_day": (
            True,
            lambda v: None if isinstance(v, str) and _TIME_OF_DAY.match(v) else f"bad {v!r}",
        ),
        "start_day_of_week": (False, _int(0, 7)),
        "duration_seconds": (True, _int(1, 604799)),
    },
    extra=_restriction_rules,
)

LAYER = Block(
    {
        "name": (False, _string(255)),
        "start": (True, _time),
        "end": (False, _time),
        "rotation_virtual_start": (True, _time),
        "rotation_turn_length_seconds": (True, _int(3600, 31536000)),
        "users": (True, _strings(1)),
    },
    {"restriction": (False, RESTRICTION, 0, None)},
    extra=lambda b: ["end must be after start"] if "end" in b and b["end"] <= b["start"] else [],
)

SCHEDULE = Block(
    {
        "name": (False, _string(255)),
        "time_zone": (True, _zone),
        "description": (False, _string(1024)),
        "overflow": (False, lambda v: None if isinstance(v, bool) else "must be a bool"),
        "teams": (False, _strings()),
    },
    {"layer": (True, LAYER, 1, None)},
)

TARGET = Block(
    {
        "type": (False, _one_of("user_reference", "schedule_reference")),
        "id": (True, _string(min_len=1)),
    }
)

RULE = Block(
    {"escalation_delay_in_minutes": (True, _int(1))},
    {
        "target": (True, TARGET, 1, 10),
        "escalation_rule_assignment_strategy": (
            False,
            Block({"type": (False, _one_of("assign_to_everyone", "round_robin"))}),
            0,
            1,
        ),
    },
)

POLICY = Block(
    {
        "name": (True, _policy_name),
        "description": (False, _string()),
        "num_loops": (False, _int(0, 9)),
        "teams": (False, _strings(0, 1)),
    },
    {"rule": (True, RULE, 1, None)},
)

USER = Block(
    {
        "name": (True, _string(100, 1)),
        "email": (True, _email),
        "role": (
            False,
            _one_of(
                "admin",
                "limited_user",
                "observer",
                "owner",
                "read_only_user",
                "restricted_access",
                "read_only_limited_user",
                "user",
            ),
        ),
        "time_zone": (False, _zone),
        "color": (False, _string()),
        "license": (False, _string()),
        "job_title": (False, _string()),
        "description": (False, _string()),
    }
)

TEAM = Block(
    {
        "name": (True, _string(100, 1)),
        "description": (False, _string(1024)),
        "parent": (False, _string()),
        "default_role": (False, _one_of("manager", "none")),
    }
)

MEMBERSHIP = Block(
    {
        "user_id": (True, _string(min_len=1)),
        "team_id": (True, _string(min_len=1)),
        "role": (False, _one_of("observer", "responder", "manager")),
    }
)


def _rfc3339(v: Any) -> str | None:
    """What the provider parses with Go's ``time.RFC3339`` and the emitter writes: ``…Z``."""
    return _time(v)


def _recurrence(v: Any) -> str | None:
    problem = _strings(1)(v)  # listvalidator.SizeAtLeast(1)
    if problem:
        return problem
    rrules = [line for line in v if line.upper().startswith("RRULE:")]
    if len(rrules) != 1:
        return f"must hold exactly one RRULE line (the API's rule), got {len(rrules)}"
    for line in v:
        if not line.upper().startswith(("RRULE:", "EXDATE", "RDATE")):
            return f"must hold RRULE, EXDATE or RDATE lines, got {line!r}"
    return None


def _member_rules(body: dict[str, Any]) -> list[str]:
    if body["type"] == "user_member" and not body.get("user_id"):
        return ["a user_member needs a user_id"]
    if body["type"] == "empty_member" and "user_id" in body:
        return ["an empty_member must not have a user_id"]
    return []


SCHEDULEV2_MEMBER = Block(
    {
        "type": (True, _one_of("user_member", "empty_member")),
        "user_id": (False, _string(min_len=1)),
    },
    extra=_member_rules,
)


def _strategy_rules(body: dict[str, Any]) -> list[str]:
    rotating = body["type"] == "rotating_member_assignment_strategy"
    if rotating and "shifts_per_member" not in body:
        return ["shifts_per_member must be written for rotating members (§4.3: null ≠ 1 on import)"]
    if not rotating and "shifts_per_member" in body:
        return ["shifts_per_member must be left out for every_member (§4.6-5)"]
    return []


SCHEDULEV2_STRATEGY = Block(
    {
        "type": (
            True,
            _one_of("rotating_member_assignment_strategy", "every_member_assignment_strategy"),
        ),
        "shifts_per_member": (False, _int(1)),
    },
    {"member": (True, SCHEDULEV2_MEMBER, 1, 20)},
    extra=_strategy_rules,
)


def _event_rules(body: dict[str, Any]) -> list[str]:
    problems = []
    if body["end_time"] <= body["start_time"]:
        problems.append("end_time must be after start_time")
    until = body.get("effective_until")
    if until is not None and until <= body["effective_since"]:
        problems.append("effective_until must be after effective_since")
    return problems


SCHEDULEV2_EVENT = Block(
    {
        "name": (True, _string(255, 1)),
        "start_time": (True, _rfc3339),
        "end_time": (True, _rfc3339),
        "effective_since": (True, _rfc3339),
        "effective_until": (False, _rfc3339),
        "recurrence": (True, _recurrence),
    },
    # buildEventV3Input uses assignment_strategy[0] only: exactly one.
    {"assignment_strategy": (True, SCHEDULEV2_STRATEGY, 1, 1)},
    extra=_event_rules,
)


def _rotation_rules(body: dict[str, Any]) -> list[str]:
    since = [event["effective_since"] for event in body["event"]]
    if since != sorted(since):
        return ["events must be in ascending effective_since order (§4.3)"]
    return []


SCHEDULEV2_ROTATION = Block({}, {"event": (True, SCHEDULEV2_EVENT, 1, 5)}, extra=_rotation_rules)


def _lifecycle(v: Any) -> str | None:
    if not isinstance(v, dict) or set(v) - {"ignore_changes"}:
        return f"must be an object with ignore_changes only, got {v!r}"
    return _strings()(v.get("ignore_changes", []))


def _schedulev2_rules(body: dict[str, Any]) -> list[str]:
    ignored = body.get("lifecycle", {}).get("ignore_changes", [])
    if body["time_zone"] == "Etc/UTC" and "time_zone" not in ignored:
        return ["Etc/UTC comes back as UTC: lifecycle.ignore_changes must list time_zone"]
    return []


SCHEDULEV2 = Block(
    {
        "name": (True, _string(255, 1)),
        "time_zone": (True, _zone),  # validate.ValidTimeZone(): util.ValidTZ, no "UTC"
        "description": (True, _string(1024)),  # optional in the schema, always written (§4.4-4)
        "teams": (False, _strings()),
        "lifecycle": (False, _lifecycle),
    },
    {"rotation": (True, SCHEDULEV2_ROTATION, 1, 10)},
    extra=_schedulev2_rules,
)

RESOURCES = {
    "pagerduty_schedule": SCHEDULE,
    "pagerduty_schedulev2": SCHEDULEV2,
    "pagerduty_escalation_policy": POLICY,
    "pagerduty_user": USER,
    "pagerduty_team": TEAM,
    "pagerduty_team_membership": MEMBERSHIP,
}
DATA_SOURCES = {"pagerduty_user": Block({"email": (True, _email)})}


def _strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings_in(v)]
    return []


def check_document(doc: Any) -> list[str]:
    """Every schema problem of a Terraform JSON document (with CDKTF's ``//`` keys ignored)."""
    if not isinstance(doc, dict):
        return [f"document must be an object, got {doc!r}"]
    problems = []
    for key in doc:
        if key not in ("terraform", "resource", "data", "provider", "//"):
            problems.append(f"unknown top-level key {key!r}")
    declared: set[tuple[bool, str, str]] = set()
    for section, kinds in (("resource", RESOURCES), ("data", DATA_SOURCES)):
        for kind, blocks in doc.get(section, {}).items():
            if kind not in kinds:
                problems.append(f"{section}: unexpected type {kind!r}")
                continue
            for name, body in blocks.items():
                if not _IDENT.match(name):
                    problems.append(f"{section}.{kind}: {name!r} is not a Terraform identifier")
                declared.add((section == "data", kind, name))
                body = {k: v for k, v in body.items() if k != "//"}
                problems.extend(kinds[kind].check(body, f"{section}.{kind}.{name}"))
    for text in _strings_in({k: v for k, v in doc.items() if k in ("resource", "data")}):
        for match in _REF.finditer(text):
            target = (bool(match.group(1)), match.group(2), match.group(3))
            if target not in declared:
                problems.append(f"reference {match.group(0)} points to no block")
    providers = doc.get("terraform", {}).get("required_providers", {})
    if "pagerduty" in providers and providers["pagerduty"].get("source") != "PagerDuty/pagerduty":
        problems.append(f"required_providers.pagerduty.source is {providers['pagerduty']!r}")
    return problems
