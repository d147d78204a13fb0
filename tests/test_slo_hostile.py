"""Hostile SLO specs and SLI history: YAML bombs, deep nesting, huge files, numbers that are not
numbers, and label names Prometheus refuses. Each one is an InputReadError naming the file (or
a ValidationError naming the field), never a hang, a crash or a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall_planner.errors import InputReadError, ValidationError
from oncall_planner.ingest import slo as ingest
from oncall_planner.ingest.slo import load_slo_spec
from oncall_planner.slo import SLI, SLO, BurnRateAlert, BurnWindow

REPO = Path(__file__).resolve().parents[1]
ARTICLE = (REPO / "examples" / "slo" / "slo-definition.yaml").read_text(encoding="utf-8")

# Nine levels of ten aliases each: a billion strings once expanded, a few hundred bytes here.
LAUGHS = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)
)


def write(tmp_path: Path, text: str, name: str = "slo.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("service: checkout", "service: *a8"),
        ('description: "Checkout requests that succeed"', "description: *a8"),
        ("target: 99.95%", "target: *a8"),
        ("window: 30d", "window: *a8"),
        ("    sli:\n", "    sli: *a8\n    unused:\n"),
    ],
)
def test_a_billion_laughs_is_refused_before_it_is_expanded(
    tmp_path: Path, old: str, new: str
) -> None:
    path = write(tmp_path, LAUGHS + ARTICLE.replace(old, new))
    with pytest.raises(InputReadError, match="aliases") as info:
        load_slo_spec(path)
    assert str(info.value).startswith(str(path))


def test_a_few_anchors_and_aliases_are_fine(tmp_path: Path) -> None:
    text = ARTICLE.replace("service: checkout", "common: &svc checkout\nservice: *svc")
    (slo,) = load_slo_spec(write(tmp_path, text)).slos
    assert slo.service == "checkout"


def test_an_alias_that_contains_itself_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputReadError, match="refers to itself"):
        load_slo_spec(write(tmp_path, "service: x\nslos: &loop [*loop]\n"))


@pytest.mark.parametrize(
    "text",
    [
        "service: x\nslos: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "service: x\nslos:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(1, 200)),
    ],
    ids=["flow", "block"],
)
def test_deep_nesting_is_refused(tmp_path: Path, text: str) -> None:
    # ours, or libyaml's own limit on the way
    with pytest.raises(InputReadError, match=r": (nested more than 64|.*maximum nesting depth)"):
        load_slo_spec(write(tmp_path, text))


def test_a_huge_spec_is_refused_without_parsing_it(tmp_path: Path) -> None:
    path = write(tmp_path, ARTICLE + "#" * (ingest.MAX_SPEC_BYTES + 1))
    with pytest.raises(InputReadError, match="larger than"):
        load_slo_spec(path)


def test_a_long_value_is_cut_short_in_the_message(tmp_path: Path) -> None:
    text = ARTICLE.replace("target: 99.95%", "target: [" + ", ".join(["1"] * 5000) + "]")
    with pytest.raises(InputReadError) as info:
        load_slo_spec(write(tmp_path, text))
    assert "slos[0].target: must be a percentage" in str(info.value)
    assert len(str(info.value)) < 400


@pytest.mark.parametrize(("target", "shown"), [(".nan", "nan"), ("NaN%", "'NaN%'")])
def test_a_target_that_is_not_a_number_says_so(tmp_path: Path, target: str, shown: str) -> None:
    with pytest.raises(InputReadError) as info:
        load_slo_spec(write(tmp_path, ARTICLE.replace("99.95%", target)))
    assert f"slos[0].target: must be a number below 100%, got {shown}" in str(info.value)


@pytest.mark.parametrize("name", ["bad-label", "0x", "with space", "é", ""])
def test_label_names_prometheus_refuses_are_refused(name: str) -> None:
    window = BurnWindow(long=3600, burn_rate=14.4)
    with pytest.raises(ValidationError, match="label names"):
        BurnRateAlert(severity="critical", windows=[window], labels={name: "x"})
    with pytest.raises(ValidationError, match="label names"):
        BurnRateAlert(severity="critical", windows=[window], annotations={name: "x"})
    with pytest.raises(ValidationError, match="label names"):
        SLO(service="s", name="n", objective=0.99, sli=SLI(good="g[5m]", total="t[5m]"),
            labels={name: "x"})  # fmt: skip


def test_a_bad_label_name_in_a_spec_names_the_field(tmp_path: Path) -> None:
    text = ARTICLE + (
        "    alerting:\n"
        "      - severity: critical\n"
        '        labels: {"team-name": checkout}\n'
        "        windows: [{long: 1h, short: 5m, burn_rate: 14.4}]\n"
    )
    with pytest.raises(InputReadError, match=r"slos\[0\]\.alerting\[0\]: .*'team-name'"):
        load_slo_spec(write(tmp_path, text))
