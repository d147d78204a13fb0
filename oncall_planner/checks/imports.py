"""Import rules (OCP6xx): what the Terraform import left out or stood in for.

A check on a plan read from Terraform is only as good as what was read. These rules turn the
importer's notes (:attr:`oncall_planner.ingest.TerraformImport.notes`, passed to ``check`` as
``import_notes``) into findings, with the file and line of each, so a CI run shows what it did
not check in every output format, SARIF included.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from oncall_planner.checks._engine import Context, Hit, rule


def _own(ctx: Context, code: str) -> list[Any]:
    return [note for note in ctx.import_notes if getattr(note, "code", None) == code]


def _notes(ctx: Context, code: str) -> Iterator[Hit]:
    for note in _own(ctx, code):
        location = note.location
        where = (str(location.file), location.line)
        yield Hit(
            subject=f"Terraform {note.subject}",
            message=f"{location}: {note.message}",
            location=where,
        )


@rule(
    "OCP601",
    "not-imported",
    "warning",
    "An object the import left out: a value only Terraform or PagerDuty knows (a computed "
    "attribute, timestamp(), a variable nobody gave), or a kind of object not modelled yet "
    "(pagerduty_schedulev2). Nothing about it is checked.",
)
def not_imported(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for hit in _notes(ctx, "OCP601"):
        yield Hit(
            hit.subject,
            hit.message,
            hint="give the missing values (--var, --var-file) or check the plan JSON "
            "(terraform show -json), where Terraform has evaluated everything",
            location=hit.location,
        )


@rule(
    "OCP602",
    "placeholder",
    "warning",
    "A user or schedule the input names but does not declare (an undeclared reference, a "
    "literal PagerDuty ID, a schedule looked up by name) is a placeholder in the plan: its "
    "findings are about the placeholder, not the real person or schedule.",
)
def placeholder(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for hit in _notes(ctx, "OCP602"):
        yield Hit(
            hit.subject,
            hit.message,
            hint="declare the user or schedule in the configuration, or check the state JSON, "
            "where PagerDuty IDs resolve",
            location=hit.location,
        )


@rule(
    "OCP603",
    "module-not-read",
    "warning",
    "A module the import did not read (a registry or git source, a folder outside the one "
    "given, which --root can widen): whatever it declares is not checked.",
)
def module_not_read(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    for note, hit in zip(_own(ctx, "OCP603"), _notes(ctx, "OCP603")):
        yield Hit(
            hit.subject,
            hit.message,
            hint=getattr(note, "hint", None)
            or "check the plan JSON instead, where Terraform has read every module",
            location=hit.location,
        )


@rule(
    "OCP604",
    "file-not-read",
    "warning",
    "A file the import did not read: a symbolic link out of the folder, or a file that is not "
    "valid Terraform and mentions nothing PagerDuty.",
)
def file_not_read(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    yield from _notes(ctx, "OCP604")


@rule(
    "OCP605",
    "seconds-dropped",
    "info",
    "A timestamp with seconds: PagerDuty drops them, and so does the import.",
)
def seconds_dropped(ctx: Context, t: Mapping[str, Any]) -> Iterator[Hit]:
    yield from _notes(ctx, "OCP605")
