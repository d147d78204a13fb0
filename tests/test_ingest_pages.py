"""Page history loaders: PagerDuty REST incidents (JSON) and the incidents report (CSV)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from oncall_planner import InputReadError, load_pages, load_pages_csv, load_pages_json
from oncall_planner.ingest.pages import CSV_ROW_CAP, pages_from_csv, pages_from_json

DATA = Path(__file__).resolve().parent / "data"
JSON_FILE = DATA / "pagerduty-incidents.json"
CSV_FILE = DATA / "pagerduty-incidents.csv"
UTC = dt.timezone.utc
HEADER = CSV_FILE.read_text().splitlines()[0]


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# REST JSON


def test_json_acknowledgement_by_a_service_is_not_time_to_acknowledge():
    incident = {
        "id": "P1",
        "created_at": "2025-01-07T02:10:00Z",
        "acknowledgements": [
            {
                "at": "2025-01-07T02:10:05Z",
                "acknowledger": {"id": "S", "type": "service_reference"},
            },
            {"at": "2025-01-07T02:14:00Z", "acknowledger": {"id": "U", "type": "user_reference"}},
        ],
    }
    page = pages_from_json([incident]).pages[0]
    assert page.time_to_acknowledge == dt.timedelta(minutes=4)


def test_json_reads_each_incident_as_a_page():
    history = load_pages_json(JSON_FILE)
    assert [p.id for p in history] == ["PXA1B2C", "PQ3ESC9"]
    assert history.skipped == () and history.warnings == ()


def test_json_night_page_times_are_utc():
    a = load_pages_json(JSON_FILE).pages[0]
    assert a.at == utc(2024, 3, 9, 3, 12, 40)
    assert a.time_to_resolve == dt.timedelta(seconds=2720)
    assert (a.service, a.policy, a.urgency) == ("checkout-api", "Checkout EP", "high")


def test_json_resolved_incident_has_no_ack_rather_than_zero():
    a = load_pages_json(JSON_FILE).pages[0]
    assert a.acknowledged_at is None and a.time_to_acknowledge is None
    assert a.user is None  # resolved incidents lose their assignments


def test_json_open_incident_takes_assignee_and_first_ack():
    c = load_pages_json(JSON_FILE).pages[1]
    assert c.user == "Ben Okafor"
    assert c.acknowledged_at == utc(2024, 3, 10, 6, 47, 30)
    assert c.resolved_at is None


def test_json_accepts_a_list_of_pages_and_dedupes_by_id():
    page = json.loads(JSON_FILE.read_text())
    history = pages_from_json([page, page], "pages.json")
    assert len(history) == 2
    assert [s.reason for s in history.skipped] == [
        "duplicate of incident 1 (id PXA1B2C)",
        "duplicate of incident 2 (id PQ3ESC9)",
    ]


def test_json_accepts_a_bare_incident_list():
    incidents = json.loads(JSON_FILE.read_text())["incidents"]
    assert len(pages_from_json(incidents)) == 2


def test_json_warns_when_the_last_page_says_more():
    page = json.loads(JSON_FILE.read_text())
    page["more"] = True
    assert "truncated" in pages_from_json(page).warnings[0]


def test_json_merged_incident_stays_out_of_time_to_resolve():
    page = json.loads(JSON_FILE.read_text())
    page["incidents"][0]["resolve_reason"] = {
        "type": "merge_resolve_reason",
        "incident": {"id": "X"},
    }
    a = pages_from_json(page).pages[0]
    assert a.merged and a.time_to_resolve is None


def test_json_malformed_incident_names_the_row():
    page = json.loads(JSON_FILE.read_text())
    page["incidents"][1]["created_at"] = "yesterday"
    with pytest.raises(
        InputReadError, match=r"incident 2 \(id PQ3ESC9\): created_at must be an ISO-8601"
    ):
        pages_from_json(page, "x.json")


def test_json_skips_and_counts_objects_that_are_not_incidents():
    page = json.loads(JSON_FILE.read_text())
    page["incidents"].append({"id": "S1", "type": "service"})
    history = pages_from_json(page)
    assert len(history) == 2
    assert [(s.row, s.reason) for s in history.skipped] == [
        ("incident 3 (id S1)", "type 'service' is not an incident")
    ]


def test_json_log_entries_are_refused_clearly():
    with pytest.raises(InputReadError, match="log-entries export"):
        pages_from_json({"log_entries": []})


def test_json_invalid_file_names_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InputReadError, match=r"bad\.json: not valid JSON"):
        load_pages_json(bad)


# Incidents report CSV


def test_csv_reads_the_three_incidents():
    history = load_pages_csv(CSV_FILE)
    assert [p.id for p in history] == ["PXA1B2C", "P8LOWUR", "PQ3ESC9"]


def test_csv_ack_and_resolve_times():
    a, b, _ = load_pages_csv(CSV_FILE).pages
    assert a.time_to_acknowledge == dt.timedelta(seconds=210)
    assert a.time_to_resolve == dt.timedelta(seconds=2720)
    assert b.time_to_acknowledge is None
    assert b.urgency == "low"


def test_csv_resolve_time_across_daylight_saving_is_real_time():
    c = load_pages_csv(CSV_FILE).pages[2]
    assert c.at == utc(2024, 3, 10, 6, 30)
    assert c.time_to_resolve == dt.timedelta(seconds=3600)


def test_csv_several_assignees_leave_the_user_to_the_schedule():
    a, _, c = load_pages_csv(CSV_FILE).pages
    assert a.user == "Ana Ruiz"
    assert c.user is None


def test_csv_blank_rows_are_skipped_and_counted():
    text = CSV_FILE.read_text().replace("\nP8LOWUR", "\n,,,,,,,,,,,,,,,,,,,,,,\nP8LOWUR")
    history = pages_from_csv(text, "x.csv")
    assert len(history) == 3
    assert [(s.row, s.reason) for s in history.skipped] == [("row 2 (line 3)", "blank row")]
    assert "1 skipped (row 2 (line 3): blank row)" in history.summary()


def test_csv_malformed_row_names_the_row():
    text = CSV_FILE.read_text().replace("2024-03-09T09:05:00-05:00", "soon")
    with pytest.raises(
        InputReadError, match=r"x.csv: row 2 \(line 3\): created_on must be an ISO-8601"
    ):
        pages_from_csv(text, "x.csv")


def test_csv_row_with_missing_cells_names_the_row():
    text = HEADER + "\nPXA1B2C,4101\n"
    with pytest.raises(InputReadError, match=r"row 1 \(line 2\): has 2 cells, the header has 23"):
        pages_from_csv(text)


def test_csv_row_spanning_lines_is_named_by_its_first_line():
    # PagerDuty's descriptions may hold quoted newlines; an editor shows the row where it starts.
    text = 'id,description,created_on\nP1,"disk full\non two lines",soon\n'
    with pytest.raises(InputReadError, match=r"row 1 \(line 2\): created_on must be"):
        pages_from_csv(text, "x.csv")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("inf", "seconds_to_first_ack must be a number of seconds, got 'inf'"),
        ("1e30", "seconds_to_first_ack must be at most 316224000 seconds"),
    ],
)
def test_csv_absurd_durations_name_the_row(cell, message):
    text = f"id,created_on,seconds_to_first_ack\nP1,2025-01-07T02:10:00Z,{cell}\n"
    with pytest.raises(InputReadError, match=rf"x.csv: row 1 \(line 2\): {message}"):
        pages_from_csv(text, "x.csv")


@pytest.mark.parametrize(
    ("created", "ack", "message"),
    [
        ("9999-12-31T23:00:00Z", "7200", "seconds_to_first_ack goes past the year 9999"),
        ("0001-01-01T00:00:00+05:00", "", "created_on is out of range"),
    ],
)
def test_csv_times_out_of_range_name_the_row(created, ack, message):
    text = f"id,created_on,seconds_to_first_ack\nP1,{created},{ack}\n"
    with pytest.raises(InputReadError, match=rf"x.csv: row 1 \(line 2\): {message}"):
        pages_from_csv(text, "x.csv")


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_saved_again_by_a_spreadsheet_with_another_delimiter(delimiter):
    # A spreadsheet in a locale with a decimal comma saves the report with semicolons.
    text = CSV_FILE.read_text().replace(",", delimiter)
    history = pages_from_csv(text, "x.csv")
    assert [p.id for p in history] == ["PXA1B2C", "P8LOWUR", "PQ3ESC9"]
    assert history.pages[0].time_to_acknowledge == dt.timedelta(seconds=210)


def test_csv_time_without_offset_needs_a_zone():
    row = "P1,1,t,S,svc,E,ep,2024-03-08T22:12:40,,,,0,0,0,0,1,,,,,,,high"
    with pytest.raises(InputReadError, match="has no UTC offset"):
        pages_from_csv(HEADER + "\n" + row)
    page = pages_from_csv(HEADER + "\n" + row, time_zone="America/New_York").pages[0]
    assert page.at == utc(2024, 3, 9, 3, 12, 40)


def test_csv_bad_urgency_is_an_error():
    text = CSV_FILE.read_text().replace(",low\n", ",urgent\n")
    with pytest.raises(
        InputReadError, match=r"row 2 .*urgency must be 'high', 'low' or empty, got 'urgent'"
    ):
        pages_from_csv(text)


def test_csv_that_is_not_an_incident_report_is_refused():
    with pytest.raises(InputReadError, match="no created_on column"):
        pages_from_csv("name,email\nAnn,ann@example.com\n")


def test_csv_at_the_row_cap_warns_of_truncation():
    row = "P{},1,t,S,svc,E,ep,2024-03-08T22:12:40Z,,,,0,0,0,0,1,,,,,,,high"
    text = HEADER + "\n" + "\n".join(row.format(i) for i in range(CSV_ROW_CAP))
    assert "cut short" in pages_from_csv(text).warnings[0]


# load_pages


def test_load_pages_tells_json_from_csv():
    assert load_pages(JSON_FILE).source.endswith(".json")
    assert [p.id for p in load_pages(CSV_FILE)] == ["PXA1B2C", "P8LOWUR", "PQ3ESC9"]


def test_load_pages_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputReadError, match="cannot read page history"):
        load_pages(tmp_path / "nope.csv")


def test_an_empty_file_says_both_formats_are_read(tmp_path: Path) -> None:
    empty = tmp_path / "pages.json"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputReadError, match="empty; expected PagerDuty's incidents as JSON or"):
        load_pages(empty)
