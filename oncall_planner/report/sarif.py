"""Findings as SARIF 2.1.0, the format GitHub code scanning and other CI tools read.

Each finding becomes a result with its rule code, level and message. When the plan came from
Terraform, ``locations`` (object keys -> ``(file, line)``, see
:attr:`oncall_planner.ingest.TerraformImport.locations`) points each result at the block that
declares the schedule, layer, policy, level or user it is about.

File locations follow SARIF's convention for portable logs: a file inside the repository root
(``root``; the command line passes the folder it runs in, which is the checkout in CI) is a
percent-encoded URI relative to it, with ``"uriBaseId": "%SRCROOT%"``, and the run declares
``%SRCROOT%`` in ``originalUriBaseIds`` without saying where it is on this machine (so the log is
the same on every machine); a file outside the root is an absolute ``file://`` URI.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from oncall_planner.checks._engine import object_subject

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: The base that relative artifact URIs are relative to: the repository root.
SRCROOT = "%SRCROOT%"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


Locations = Mapping[tuple[str, ...], tuple[str, "int | None"]]


#: Kinds of object that findings name at the start of their subject, as the importer keys them.
_KINDS = frozenset({"Schedule", "ShiftSchedule", "EscalationPolicy", "User"})


def _names(key: tuple[str, ...]) -> str:
    """How a finding's subject begins when it is about the object ``key`` names, for keys that
    start with a kind (see :func:`oncall_planner.checks._engine.object_subject`)."""
    kind, name, *rest = key
    return object_subject(kind, name, rest[0] if rest else None)


class _LocationIndex:
    """The locations, indexed once, by the most specific known object a subject is about.

    Keys that start with a kind (``("Schedule", name)``, ``("Schedule", name, layer)``,
    ``("EscalationPolicy", name, "level 2")``, ``("User", name, email)``) match a subject that
    begins with that object, followed by the end, a comma or a space, so a schedule and a policy
    of the same name stay apart: they are found by looking up each such beginning of the subject
    in a dict. Other keys are plain names, matched quoted (``'Primary'``) anywhere in the
    subject, by a scan of those keys only (the importer makes none). A longer key beats a shorter
    one (a layer beats its schedule); among equals, the first in ``locations``.
    """

    def __init__(self, locations: Locations) -> None:
        self.by_prefix: dict[str, tuple[tuple[int, int, int], tuple[str, int | None]]] = {}
        self.plain: list[tuple[tuple[str, ...], tuple[int, int, int], tuple[str, int | None]]] = []
        for order, (names, where) in enumerate(locations.items()):
            if len(names) >= 2 and names[0] in _KINDS:
                rank = (len(names) - 1, sum(len(n) for n in names), -order)
                prefix = _names(names)
                if prefix not in self.by_prefix or rank > self.by_prefix[prefix][0]:
                    self.by_prefix[prefix] = (rank, where)
            elif names:
                self.plain.append((names, (len(names), sum(len(n) for n in names), -order), where))

    def find(self, subject: str) -> tuple[str, int | None] | None:
        """The location of the most specific known object ``subject`` is about, or ``None``."""
        best: tuple[tuple[int, int, int], tuple[str, int | None]] | None = None
        ends = [i for i, c in enumerate(subject) if c in ", "]
        for end in [*ends, len(subject)]:
            found = self.by_prefix.get(subject[:end])
            if found is not None and (best is None or found[0] > best[0]):
                best = found
        for names, rank, where in self.plain:
            if all(repr(name) in subject for name in names) and (best is None or rank > best[0]):
                best = (rank, where)
        return None if best is None else best[1]


def artifact_location(path: str, root: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """A SARIF ``artifactLocation`` for a file ``path`` (absolute, or relative to the current
    directory): percent-encoded and relative to ``root`` with ``uriBaseId`` ``%SRCROOT%`` when it
    lies inside ``root``, else an absolute ``file://`` URI. Without ``root``, a relative path is
    taken as relative to the repository root already."""
    given = Path(path)
    if root is None:
        if given.is_absolute():
            return {"uri": given.as_uri()}
        return {"uri": quote(given.as_posix(), safe="/"), "uriBaseId": SRCROOT}
    full = Path(os.path.abspath(given))
    try:
        inside = full.relative_to(os.path.abspath(root))
    except ValueError:
        return {"uri": full.as_uri()}
    return {"uri": quote(inside.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def to_sarif(
    findings: Sequence[Any],
    rules: Mapping[str, Any],
    *,
    tool_version: str,
    artifact: str | None = None,
    locations: Locations | None = None,
    root: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """A SARIF log (as a dict) for ``findings``; ``rules`` is the registry (code -> Rule).

    ``artifact`` is the file a finding points at when ``locations`` knows no block for it;
    file paths are written relative to the repository ``root`` (see the module docstring)."""
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
    index = _LocationIndex(locations or {})
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
        where = getattr(finding, "location", None) or index.find(finding.subject)
        uri = where[0] if where else artifact
        if uri is not None:
            physical: dict[str, Any] = {"artifactLocation": artifact_location(uri, root)}
            if where and where[1] is not None:
                physical["region"] = {"startLine": where[1]}
            result["locations"] = [{"physicalLocation": physical}]
        results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "oncall-planner",
                "version": tool_version,
                "rules": driver_rules,
            }
        },
        "results": results,
    }
    if any(
        loc["physicalLocation"]["artifactLocation"].get("uriBaseId") == SRCROOT
        for result in results
        for loc in result.get("locations", ())
    ):
        run["originalUriBaseIds"] = {
            SRCROOT: {"description": {"text": "The repository root: the folder the tool ran in."}}
        }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


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
