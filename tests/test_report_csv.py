"""CSV output: one writer for the library, safe to open in a spreadsheet (OWASP's CSV injection
advice: a text cell that a spreadsheet would read as a formula starts with a single quote and is
quoted), every field with a line break quoted, numbers the library computes kept as numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from oncall_planner import Layer, OnCallPlan, Schedule, User, fairness_report

UTC = dt.timezone.utc
START = dt.datetime(2025, 1, 6, tzinfo=UTC)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    from oncall_planner.report.csvfile import csv_text as write

    return write(header, rows)


FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTab",
    "\rCR",
    "\nLF",
    " =1+1",
    "\uff1d1+1",  # a full-width equals sign, which some spreadsheets read as '='
]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_leading_cell_starts_with_a_quote_and_is_quoted(text: str) -> None:
    written = csv_text(["name"], [[text]])
    assert written.startswith("name\n\"'")
    assert rows_of(written) == [["name"], ["'" + text]]


def test_plain_text_and_numbers_are_written_as_they_are() -> None:
    written = csv_text(
        ["name", "hours", "above", "rostered", "pay"], [["Ann", 12.5, -3.5, True, None]]
    )
    assert written == "name,hours,above,rostered,pay\nAnn,12.5,-3.5,True,\n"


@pytest.mark.parametrize("value", ["a\rb", "a\nb", "a\r\nb", "a,b", 'say "hi"'])
def test_every_field_with_a_line_break_a_comma_or_a_quote_is_quoted(value: str) -> None:
    written = csv_text(["v", "w"], [[value, "x"]])
    assert written.split("\n", 1)[1].startswith('"')
    assert rows_of(written) == [["v", "w"], [value, "x"]]


def _report_rows(*users: User, turns: int = 1) -> dict[str, dict[str, str]]:
    layer = Layer("Rota", list(users), START, dt.timedelta(days=7))
    more = Layer("Extra", [users[1]], START, dt.timedelta(days=7), end=START + dt.timedelta(days=1))
    plan = OnCallPlan([Schedule("S", "Etc/UTC", [layer] + [more] * (turns - 1))])
    report = fairness_report(plan, START, START + dt.timedelta(days=7 * len(users)))
    return {r["email"]: r for r in csv.DictReader(io.StringIO(report.to_csv(), newline=""))}


def test_the_fairness_report_neutralises_formula_names() -> None:
    rows = _report_rows(User("=cmd|' /C calc'!A0", "a@example.com"), User("+Bo", "b@example.com"))
    assert rows["a@example.com"]["name"] == "'=cmd|' /C calc'!A0"
    assert rows["b@example.com"]["name"] == "'+Bo"


def test_the_fairness_report_neutralises_formula_emails() -> None:
    email = '=HYPERLINK("http://x.co")@e.co'
    rows = _report_rows(User("Ann", email), User("Bo", "b@example.com"))
    assert "'" + email in rows


def test_the_fairness_report_keeps_negative_numbers_numbers() -> None:
    rows = _report_rows(User("Ann", "a@example.com"), User("Bo", "b@example.com"), turns=2)
    below = rows["a@example.com"]["above_average_hours"]
    assert below.startswith("-") and float(below) < 0
