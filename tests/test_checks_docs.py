"""docs/checks.md documents every registered rule with its code, severity and thresholds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oncall_planner import RULES

DOC = (Path(__file__).resolve().parents[1] / "docs" / "checks.md").read_text()


def section(code: str) -> str:
    match = re.search(rf"^### {code} .*?(?=^### |^## )", DOC, re.S | re.M)
    assert match, f"docs/checks.md has no section for {code}"
    return match.group(0)


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_a_section_with_name_and_severity(code):
    rule = RULES[code]
    heading = section(code).splitlines()[0]
    assert heading.startswith(f"### {code} {rule.name} (")
    assert rule.severity in heading


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_threshold_is_documented_with_its_default(code):
    text = section(code)
    for name, default in RULES[code].thresholds.items():
        assert f"`{name}={default}`" in text, f"{code}: `{name}={default}` missing"
    if not RULES[code].thresholds:
        assert "**Thresholds**: none" in text


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_shows_an_example_finding(code):
    assert f" {code} {RULES[code].name}: " in section(code)


def test_no_section_for_a_rule_that_does_not_exist():
    assert set(re.findall(r"^### (OCP\d+) ", DOC, re.M)) == set(RULES)
