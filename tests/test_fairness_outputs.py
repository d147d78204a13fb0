"""The report formats: text, Markdown, JSON, CSV and HTML, all deterministic."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import pytest
from fairness_helpers import A, at
from seed_plan import build_plan

from oncall_planner import PayRates, fairness_report


@pytest.fixture(scope="module")
def report():
    pages = [SimpleNamespace(at=at(2025, 1, 10, 2), user=A)]
    return fairness_report(
        build_plan(), rates=PayRates(per_hour=2, per_shift=100, currency="EUR"), pages=pages
    )


@pytest.mark.parametrize("fmt", ["to_text", "to_markdown", "to_json", "to_csv", "to_html"])
def test_every_format_gives_identical_bytes_for_identical_input(fmt):
    first = getattr(fairness_report(build_plan()), fmt)()
    second = getattr(fairness_report(build_plan()), fmt)()
    assert first == second


def test_text_says_which_horizon_it_used(report):
    assert "Horizon: Wed 2025-01-01 00:00 EST to Wed 2025-01-29 00:00 EST" in report.to_text()
    assert "1 whole rotation cycle of 28 days" in report.to_text()


def test_text_lists_every_person(report):
    text = report.to_text()
    for name in ("Alice", "Bob", "Carol", "Dave", "Engineering Manager"):
        assert f"\n{name} " in text


def test_markdown_has_the_load_and_indices_tables(report):
    md = report.to_markdown()
    assert "| Person | Rostered | Hours |" in md
    assert "| balance (mean pairwise min/max, 1 = even) | 1.000 | 1.000 |" in md
    assert "Pay (EUR)" in md


def test_json_has_sorted_keys_and_the_numbers(report):
    data = json.loads(report.to_json())
    assert list(data) == sorted(data)
    alice = data["people"][0]
    assert (alice["email"], alice["hours"], alice["pay_shifts"]) == (
        "alice@example.com",
        168.0,
        100.0,
    )
    assert data["horizon"]["kind"] == "cycle"
    assert data["indices"]["hours"]["balance"] == 1.0


def test_csv_has_one_row_per_person(report):
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert [r["name"] for r in rows] == ["Alice", "Bob", "Carol", "Dave", "Engineering Manager"]
    assert rows[4]["above_average_hours"] == ""  # not rostered: not in the indices


def test_pages_show_in_the_tables_when_given(report):
    assert "Sleep pages" in report.to_text()
    assert "Sleep pages" not in fairness_report(build_plan()).to_text()


def test_html_is_self_contained(report):
    html = report.to_html()
    assert "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_html_has_a_timeline_row_per_layer_and_the_final_schedule(report):
    html = report.to_html()
    assert html.count('<svg class="timeline"') == 1
    assert ">Layer Primary</text>" in html
    assert ">Layer Secondary</text>" in html
    assert ">Final schedule</text>" in html


def test_html_escapes_names():
    from fairness_helpers import one_layer

    from oncall_planner import OnCallPlan, User

    odd = User("<b>Eve & co</b>", "eve@example.com")
    html = fairness_report(OnCallPlan(schedules=[one_layer([odd])])).to_html()
    assert "<b>Eve" not in html
    assert "&lt;b&gt;Eve &amp; co&lt;/b&gt;" in html


def test_text_tables_fit_an_80_column_terminal(report):
    # The report with pages and pay has the most columns; prose lines may wrap, tables may not.
    lines = report.to_text().splitlines()
    table_lines = [line for line in lines if "  " in line and not line.startswith("Horizon")]
    assert table_lines, "no table found"
    assert max(len(line) for line in table_lines) <= 80


def test_every_line_of_the_text_report_fits_80_columns(report):
    # Prose too: the horizon, the schedule list and the headings wrap instead of running on.
    from fairness_helpers import A, B, at, one_layer

    from oncall_planner import OnCallPlan

    long_names = OnCallPlan(
        schedules=[one_layer([A, B], name=f"Payments platform {n} - Primary") for n in range(3)]
    )
    window = fairness_report(long_names, at(2025, 1, 6), at(2025, 3, 3))
    for text in (report.to_text(), window.to_text()):
        assert max(len(line) for line in text.splitlines()) <= 80, text
    assert "\n  56 days: window chosen by the caller (the rotation cycle is 14 days)\n" in (
        window.to_text()
    )


def test_markdown_escapes_names_so_tables_keep_their_columns():
    import re

    from fairness_helpers import one_layer

    from oncall_planner import OnCallPlan, User

    odd = [User("Ann | SRE", "ann@example.com"), User("*Bob*", "bob@example.com")]
    odd.append(User("_on_call_", "cy@example.com"))
    md = fairness_report(OnCallPlan(schedules=[one_layer(odd, name="Ops|Core")])).to_markdown()
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    cells = {len(re.split(r"(?<!\\)\|", row)) for row in rows[:4]}  # head, rule, two people
    assert len(cells) == 1, rows[:4]
    assert "| Ann \\| SRE |" in md
    assert "| \\*Bob\\* |" in md  # not italics
    assert "| \\_on_call\\_ |" in md  # inside a word "_" is plain text already
    assert "'Ops\\|Core' at level 1" in md


def _timeline(plan, since, until, **kwargs):
    import re

    html = fairness_report(plan, since, until, **kwargs).to_html()
    svg = html[html.index('<svg class="timeline"') :]
    svg = svg[: svg.index("</svg>")]
    width = float(re.search(r'width="([\d.]+)"', svg).group(1))
    texts = [(float(x), t) for x, t in re.findall(r'<text x="([\d.]+)"[^>]*>([^<]*)</text>', svg)]
    return width, texts


def test_timeline_tick_labels_fit_and_name_the_year():
    from fairness_helpers import A, B, at, one_layer

    from oncall_planner import OnCallPlan

    plan = OnCallPlan(schedules=[one_layer([A, B])])
    width, texts = _timeline(plan, at(2024, 12, 16), at(2025, 1, 20, 9))
    ticks = [(x, t) for x, t in texts if t[:3] in ("Dec", "Jan")]
    assert ticks[-1][1] == "Jan 20"
    assert ticks[-1][0] + 6.5 * len(ticks[-1][1]) <= width  # the last date is not cut off
    assert [t for _, t in texts if t.isdigit()] == ["2024", "2025"]  # first tick, year change


def test_timeline_names_only_the_visible_parts_of_a_hidden_layer():
    # Ann's week on the base layer is hidden for two days by an override: her name is written on
    # the visible parts only, never on the faded bar underneath (where it peeked out between them).
    from fairness_helpers import A, B, at, one_layer

    from oncall_planner import OnCallPlan, Override

    plan = OnCallPlan(schedules=[one_layer([A, B])])
    cover = Override(at(2025, 1, 8), at(2025, 1, 10), B)
    _, texts = _timeline(plan, at(2025, 1, 6), at(2025, 1, 13), overrides={"Ops": [cover]})
    layer_names = [x for x, t in texts if t == "Ann"]
    # Base row: two visible parts; final row: the same two. No third label at the faded bar's x.
    assert len(layer_names) == 4, texts


# --- pages that all fall outside the horizon ----------------------------------------------------

OLD_PAGES = [
    SimpleNamespace(at=at(2024, 3, 8, 22), user=A),
    SimpleNamespace(at=at(2024, 3, 29, 3), user=A),
]


@pytest.fixture(scope="module")
def stale():
    """Pages from a year before the horizon: none of them is counted."""
    return fairness_report(build_plan(), pages=OLD_PAGES)


def test_the_report_counts_the_pages_outside_its_horizon(stale, report):
    assert (stale.pages_outside, report.pages_outside) == (2, 0)
    assert all(p.pages == 0 for p in stale.people)


def test_text_says_no_page_falls_in_the_horizon(stale):
    text = " ".join(stale.to_text().split())
    assert (
        "Pages: none of the 2 pages given falls in the horizon (they run from 2024-03-08 to "
        "2024-03-29), so every page count is 0." in text
    )


def test_markdown_and_html_say_no_page_falls_in_the_horizon(stale):
    assert "none of the 2 pages given falls in the horizon" in stale.to_markdown()
    assert "none of the 2 pages given falls in the horizon" in stale.to_html()


def test_json_has_the_pages_outside_the_horizon(stale):
    data = json.loads(stale.to_json())
    assert data["pages_outside_horizon"] == 2
    assert data["pages_note"].startswith("none of the 2 pages given falls in the horizon")


def test_a_report_whose_pages_are_all_counted_has_no_pages_note(report):
    assert "pages given" not in report.to_text()
    assert json.loads(report.to_json())["pages_note"] is None


def test_pages_partly_outside_the_horizon_are_said_to_be_left_out():
    pages = [*OLD_PAGES, SimpleNamespace(at=at(2025, 1, 10, 2), user=A)]
    text = " ".join(fairness_report(build_plan(), pages=pages).to_text().split())
    assert "Pages: 2 of the 3 pages given fall outside the horizon and are not counted." in text


# --- the escalation-level columns are named for what they count ---------------------------------


def test_text_names_the_level_columns_by_escalation_level(report):
    header = next(line for line in report.to_text().splitlines() if line.startswith("Person "))
    assert header.split() == ["Person", "Rostered", "Hours", "Level", "1", "Level", "2+",
                              "Shifts", "vs", "avg"]  # fmt: skip


def test_markdown_and_html_name_the_level_columns_by_escalation_level(report):
    assert "| Person | Rostered | Hours | Level 1 | Level 2+ |" in report.to_markdown()
    assert "<th>Level 1</th>\n<th>Level 2+</th>" in report.to_html()
    assert "<th>Primary</th>" not in report.to_html()


def test_json_and_csv_name_level_1_hours_for_what_they_are(report):
    person = json.loads(report.to_json())["people"][0]
    assert (person["level1_hours"], person["later_hours"]) == (168.0, 0.0)
    assert "primary_hours" not in person
    header = next(csv.reader(io.StringIO(report.to_csv())))
    assert header[6:8] == ["level1_hours", "later_hours"]


def test_primary_hours_is_a_deprecated_name_of_level1_hours(report):
    alice = report.people[0]
    with pytest.warns(DeprecationWarning, match="level1_hours"):
        assert alice.primary_hours == alice.level1_hours == 168.0
