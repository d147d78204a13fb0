"""What text the library accepts (decided once, at the model's edge) and how it shows text it
did not check: no control character reaches a terminal, a calendar or a UTF-8 file raw."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    InputReadError,
    Layer,
    Page,
    Schedule,
    Target,
    Team,
    User,
    ValidationError,
    load_pages,
)
from oncall_planner.cli import main
from oncall_planner.report.ics import Event, to_ics

UTC = dt.timezone.utc
START = dt.datetime(2025, 1, 6, tzinfo=UTC)
ANN = User("Ann", "ann@example.com")
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

BAD = {
    "ESC": "\x1b[31m",
    "NUL": "\x00",
    "BEL": "\x07",
    "DEL": "\x7f",
    "CSI (C1)": "\x9b2J",
    "NEL (C1)": "\x85",
    "a lone surrogate": "\ud800",
    "line separator": "\u2028",
}


def layer(name: str = "Rota") -> Layer:
    return Layer(name, [ANN], START, dt.timedelta(days=7))


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize(
    ("make", "kind", "field"),
    [
        (lambda v: User(f"A{v}", "a@example.com"), "User", "name"),
        (lambda v: User("Ann", f"a{v}@example.com"), "User", "email"),
        (lambda v: Team(f"T{v}"), "Team", "name"),
        (lambda v: Schedule(f"S{v}", "Etc/UTC", [layer()]), "Schedule", "name"),
        (lambda v: layer(f"L{v}"), "Layer", "name"),
        (
            lambda v: EscalationPolicy(f"P{v}", [EscalationRule(5, [Target.user(ANN)])]),
            "EscalationPolicy",
            "name",
        ),
        (
            lambda v: Schedule("S", "Etc/UTC", [layer()], description=f"d{v}"),
            "Schedule",
            "description",
        ),
        (lambda v: Team("T", description=f"d{v}"), "Team", "description"),
    ],
)
def test_names_emails_and_descriptions_refuse_control_characters(
    make: object, kind: str, field: str, bad: str
) -> None:
    with pytest.raises(ValidationError, match=rf"^{kind}\b.*: {field} must not hold") as info:
        make(bad)  # type: ignore[operator]
    assert f"U+{ord(bad[0]):04X}" in str(info.value)
    assert RAW_CONTROL.search(str(info.value)) is None  # the message itself is safe to print


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
def test_names_refuse_tabs_and_line_breaks(char: str) -> None:
    with pytest.raises(ValidationError, match="name must not hold"):
        User(f"A{char}B", "a@example.com")


def test_descriptions_may_hold_tabs_and_line_breaks() -> None:
    text = "Primary on-call.\n\tEscalate after 5 minutes.\r\nCall the lead."
    assert Schedule("S", "Etc/UTC", [layer()], description=text).description == text


@pytest.mark.parametrize("field", ["title", "service", "policy", "id", "user"])
def test_a_page_refuses_a_lone_surrogate_which_no_utf8_output_can_hold(field: str) -> None:
    with pytest.raises(ValidationError, match=rf"Page.*: {field} must not hold .*U\+D800"):
        Page(START, **{field: "x\ud800"})  # type: ignore[arg-type]


def test_a_page_keeps_other_control_characters_from_the_export_as_they_are() -> None:
    # Monitoring systems write what they like into titles; refusing the export would lose it.
    assert Page(START, title="disk \x1b[31mfull").title == "disk \x1b[31mfull"


def test_a_page_export_with_a_lone_surrogate_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "incidents.json"
    path.write_text('[{"id": "P1", "created_at": "2025-01-06T00:00:00Z", "title": "x\\ud800"}]')
    with pytest.raises(InputReadError, match=r"incident 1 \(id P1\): .*title must not hold"):
        load_pages(path)


def test_ics_never_carries_a_raw_control_character() -> None:
    event = Event(
        "u1@x", START, START + dt.timedelta(hours=1), "Ann \x1b[31m\x07 on call", "a\x00b\nc"
    )
    text = to_ics("Cal\x9b", [event], START)
    assert RAW_CONTROL.search(text.replace("\r\n", "")) is None
    assert "\n" not in text.replace("\r\n", "")
    assert "SUMMARY:Ann \\\\x1b[31m\\\\x07 on call" in text


def _pages_file(tmp_path: Path, incidents: list[dict[str, object]]) -> str:
    path = tmp_path / "incidents.json"
    path.write_text(json.dumps(incidents), encoding="utf-8")
    return str(path)


def test_skipped_page_rows_are_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = "\x1b]0;owned\x07\x1b[2J"
    incident = {"id": evil, "created_at": "2025-01-06T10:00:00Z"}
    pages = _pages_file(tmp_path, [incident, incident])
    plan = Path(__file__).parent / "data" / "seed-pagerduty.tf"
    code = main(["check", str(plan), "--since", "2025-01-06", "--pages", pages])
    out, err = capsys.readouterr()
    assert code in (0, 1)
    assert "skipped" in err and "\\x1b]0;owned\\x07" in err
    assert RAW_CONTROL.search(out + err) is None


def test_an_error_about_a_page_is_printed_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = _pages_file(tmp_path, [{"id": "\x1b[2J\x9b1m", "created_at": "yesterday"}])
    plan = Path(__file__).parent / "data" / "seed-pagerduty.tf"
    code = main(["check", str(plan), "-q", "--since", "2025-01-06", "--pages", pages])
    err = capsys.readouterr().err
    assert code == 2
    assert "\\x1b[2J\\x9b1m" in err and RAW_CONTROL.search(err) is None


def test_sarif_uris_are_percent_encoded_and_relative_to_the_repository_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = (Path(__file__).parent / "data" / "seed-pagerduty.tf").read_text(encoding="utf-8")
    folder = tmp_path / "infra" / "on call #1"
    folder.mkdir(parents=True)
    (folder / "pager duty.tf").write_text(seed, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(
        [
            "check",
            os.path.join("infra", "on call #1"),
            "-q",
            "--since",
            "2025-03-03",
            "--format",
            "sarif",
        ]
    )
    run = json.loads(capsys.readouterr().out)["runs"][0]
    located = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert located and all(
        loc == {"uri": "infra/on%20call%20%231/pager%20duty.tf", "uriBaseId": "%SRCROOT%"}
        for loc in located
    )
    assert set(run["originalUriBaseIds"]) == {"%SRCROOT%"}
    assert "uri" not in run["originalUriBaseIds"]["%SRCROOT%"]  # where the checkout is: not known
