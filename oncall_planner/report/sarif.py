"""Findings as SARIF 2.1.0, the format GitHub code scanning and other CI tools read.

Each finding becomes a result with its rule code, level and message. When the plan came from
Terraform, ``locations`` (object keys -> ``(file, line)``, see
:attr:`oncall_planner.ingest.TerraformImport.locations`) points each result at the block that
declares the schedule, layer, policy, level or user it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from oncall_planner.checks._engine import object_subject

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


Locations = Mapping[tuple[str, ...], tuple[str, "int | None"]]


#: Kinds of object that findings name at the start of their subject, as the importer keys them.
_KINDS = frozenset({"Schedule", "ShiftSchedule", "EscalationPolicy", "User"})


def _names(key: tuple[str, ...]) -> str:
    """How a finding's subject begins when it is about the object ``key`` names, for keys that
    start with a kind (see :func:`oncall_planner.checks._engine.object_subject`)."""
    kind, name, *rest = key
    return object_subject(kind, name, rest[0] if rest else None)


def _location(subject: str, locations: Locations) -> tuple[str, int | None] | None:
    """The most specific known object that ``subject`` is about.

    Keys that start with a kind (``("Schedule", name)``, ``("Schedule", name, layer)``,
    ``("EscalationPolicy", name, "level 2")``, ``("User", name, email)``) match a subject that
    begins with that object, so a schedule and a policy of the same name stay apart. Other keys are
    plain names, matched quoted (``'Primary'``) anywhere in the subject. A longer key beats a
    shorter one (a layer beats its schedule).
    """
    best: tuple[str, int | None] | None = None
    best_key: tuple[int, int] = (0, 0)
    for names, where in locations.items():
        if len(names) >= 2 and names[0] in _KINDS:
            prefix = _names(names)
            found = subject == prefix or subject.startswith((prefix + ",", prefix + " "))
            size = len(names) - 1
        else:
            found = bool(names) and all(repr(name) in subject for name in names)
            size = len(names)
        if found:
            key = (size, sum(len(n) for n in names))
            if key > best_key:
                best, best_key = where, key
    return best


def to_sarif(
    findings: Sequence[Any],
    rules: Mapping[str, Any],
    *,
    tool_version: str,
    artifact: str | None = None,
    locations: Locations | None = None,
) -> dict[str, Any]:
    """A SARIF log (as a dict) for ``findings``; ``rules`` is the registry (code -> Rule)."""
    used = sorted({f.code for f in findings} | set(rules))
    rule_index = {code: i for i, code in enumerate(used)}
    driver_rules = []
    for code in used:
        rule = rules.get(code)
        entry: dict[str, Any] = {"id": code}
        if rule is not None:
            entry["name"] = rule.name
            entry["shortDescription"] = {"text": rule.doc}
            entry["defaultConfiguration"] = {"level": _LEVELS.get(rule.severity, "warning")}
        driver_rules.append(entry)
    results = []
    for finding in findings:
        text = f"{finding.subject}: {finding.message}"
        if finding.hint:
            text += f" (hint: {finding.hint})"
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": rule_index[finding.code],
            "level": _LEVELS.get(finding.severity, "warning"),
            "message": {"text": text},
        }
        where = getattr(finding, "location", None) or _location(finding.subject, locations or {})
        uri = where[0] if where else artifact
        if uri is not None:
            physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
            if where and where[1] is not None:
                physical["region"] = {"startLine": where[1]}
            result["locations"] = [{"physicalLocation": physical}]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "oncall-planner",
                        "version": tool_version,
                        "rules": driver_rules,
                    }
                },
                "results": results,
            }
        ],
    }


def iso_utc(value: dt.datetime) -> str:
    """``2025-03-03T08:00:00Z``: an instant as the JSON outputs write it."""
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def finding_dicts(findings: Iterable[Any]) -> list[dict[str, Any]]:
    """Findings as plain JSON-ready dicts (intervals as ISO 8601 UTC pairs)."""
    out = []
    for f in findings:
        out.append(
            {
                "code": f.code,
                "rule": f.rule,
                "severity": f.severity,
                "subject": f.subject,
                "message": f.message,
                "hint": f.hint,
                "intervals": [[iso_utc(i.start), iso_utc(i.end)] for i in f.intervals],
            }
        )
    return out
