"""SARIF output: rules, levels, and results pointing at the Terraform block they are about."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from oncall_planner import Interval
from oncall_planner.report.sarif import artifact_location, finding_dicts, to_sarif

UTC = dt.timezone.utc


@attrs.frozen
class StubRule:
    code: str
    name: str
    severity: str
    doc: str


@attrs.frozen
class StubFinding:
    code: str
    rule: str
    severity: str
    subject: str
    message: str
    intervals: tuple[Interval, ...] = ()
    hint: str = ""


RULES = {
    "OCP103": StubRule("OCP103", "shadowed-layer", "error", "A layer is never shown."),
    "OCP201": StubRule("OCP201", "gap", "warning", "Nobody is on call."),
}
LOCATIONS = {
    ("Checkout",): ("pagerduty.tf", 3),
    ("Checkout", "Primary"): ("pagerduty.tf", 7),
}
SHADOWED = StubFinding(
    "OCP103",
    "shadowed-layer",
    "error",
    "Schedule 'Checkout', layer 'Primary'",
    "never shown",
    hint="move it last",
)


def sarif(*findings: StubFinding) -> dict:  # type: ignore[type-arg]
    return to_sarif(
        findings, RULES, tool_version="0.1.0", artifact="pagerduty.tf", locations=LOCATIONS
    )


def test_every_rule_is_described_with_its_default_level() -> None:
    rules = sarif()["runs"][0]["tool"]["driver"]["rules"]
    assert [(r["id"], r["defaultConfiguration"]["level"]) for r in rules] == [
        ("OCP103", "error"),
        ("OCP201", "warning"),
    ]


def test_a_layer_finding_points_at_the_layer_block() -> None:
    (result,) = sarif(SHADOWED)["runs"][0]["results"]
    assert result["ruleId"] == "OCP103" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "pagerduty.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 7},
    }
    assert result["message"]["text"].endswith("never shown (hint: move it last)")


def test_info_becomes_note_and_unknown_subjects_point_at_the_file() -> None:
    finding = attrs.evolve(SHADOWED, severity="info", subject="User 'x'")
    (result,) = sarif(finding)["runs"][0]["results"]
    assert result["level"] == "note"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "pagerduty.tf", "uriBaseId": "%SRCROOT%"}
    }


def test_finding_dicts_give_utc_intervals() -> None:
    start = dt.datetime(2025, 3, 3, 5, tzinfo=UTC)
    finding = attrs.evolve(SHADOWED, intervals=(Interval(start, start + dt.timedelta(hours=1)),))
    (entry,) = finding_dicts([finding])
    assert entry["intervals"] == [["2025-03-03T05:00:00Z", "2025-03-03T06:00:00Z"]]


def test_a_file_outside_the_repository_root_is_an_absolute_file_uri(tmp_path: Path) -> None:
    inside, outside = tmp_path / "repo", tmp_path / "elsewhere"
    assert artifact_location(str(inside / "a b.tf"), inside) == {
        "uri": "a%20b.tf",
        "uriBaseId": "%SRCROOT%",
    }
    assert artifact_location(str(outside / "c.tf"), inside) == {"uri": (outside / "c.tf").as_uri()}


def test_the_run_declares_the_repository_root_without_saying_where_it_is() -> None:
    run = sarif(SHADOWED)["runs"][0]
    assert run["originalUriBaseIds"] == {
        "%SRCROOT%": {"description": {"text": "The repository root: the folder the tool ran in."}}
    }


class CountingLocations(dict):  # type: ignore[type-arg]
    """Locations that count how many entries are looked at."""

    seen = 0

    def items(self):  # type: ignore[no-untyped-def]
        for item in super().items():
            CountingLocations.seen += 1
            yield item


def test_locations_are_indexed_once_not_searched_per_finding() -> None:
    # 300 teams: --format sarif took 32 s where text took 12 s, matching every finding against
    # every location.
    locations = CountingLocations(
        {("Schedule", f"S{i}", "Primary"): ("pagerduty.tf", i) for i in range(300)}
    )
    findings = [
        attrs.evolve(SHADOWED, subject=f"Schedule 'S{i}', layer 'Primary'") for i in range(300)
    ]
    CountingLocations.seen = 0
    doc = to_sarif(findings, RULES, tool_version="0", artifact="pagerduty.tf", locations=locations)
    lines = [
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in doc["runs"][0]["results"]
    ]
    assert lines == list(range(300))
    assert CountingLocations.seen <= 2 * len(locations)
