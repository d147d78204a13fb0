"""The health report's findings (OCP8xx), periods, teams and formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from health_helpers import (
    ANN,
    BEN,
    BOSS,
    NY,
    assign,
    by,
    entry,
    history,
    notify,
    utc,
    weekly_plan,
)

from oncall_planner import CheckConfig, Layer, OnCallPlan, Schedule, Team, User, check
from oncall_planner.health import HealthConfig, health_report, postmortem_stats
from oncall_planner.ingest.postmortems import postmortem_from_markdown

MONDAY = dt.datetime(2025, 1, 6, tzinfo=NY)
WEEK = dt.timedelta(weeks=1)


def codes(report):
    return [(f.code, f.severity, f.subject) for f in report.findings]


def caps(**thresholds):
    return HealthConfig(
        period="window",
        checks=CheckConfig(select=["OCP801"], thresholds={"OCP801": thresholds}),
        pay=None,
    )


@pytest.mark.parametrize(
    ("max_hours", "expected"),
    [(160, ["error"]), (180, ["warning"]), (200, [])],  # 168 h: over; 93 % (≥ 90 %); 84 %
)
def test_the_on_call_cap_is_an_error_over_and_a_warning_near(max_hours, expected):
    out = health_report(
        weekly_plan(MONDAY, boss=None),
        None,
        MONDAY,
        MONDAY + WEEK,
        config=caps(max_hours=max_hours),
    )
    assert [f.severity for f in out.findings] == expected
    if expected:
        assert out.findings[0].subject == "User 'Ann' <ann@example.com>"


def test_caps_apply_to_each_period():
    # Two weekly turns of Ann in a fortnight: 168 h a week is within a 200 h cap per week, not
    # within the same cap for the whole window.
    plan = weekly_plan(MONDAY, boss=None)
    per_week = HealthConfig(
        period="week",
        checks=CheckConfig(select=["OCP801"], thresholds={"OCP801": {"max_hours": 200}}),
    )
    whole = HealthConfig(period="window", checks=per_week.checks)
    assert health_report(plan, None, MONDAY, MONDAY + 2 * WEEK, config=per_week).findings == ()
    assert [
        f.message
        for f in health_report(plan, None, MONDAY, MONDAY + 2 * WEEK, config=whole).findings
    ] == ["on call 336 h in the window, over the cap of 200 h (168%)"]
    weeks = (
        health_report(plan, None, MONDAY, MONDAY + 2 * WEEK, config=per_week)
        .person(ANN.email)
        .periods
    )
    assert [(p.label, p.on_call_seconds // 3600) for p in weeks] == [
        ("2025-W02", 168),
        ("2025-W03", 168),
    ]


def test_months_are_calendar_months_in_the_reports_zone():
    start = dt.datetime(2025, 1, 27, tzinfo=NY)  # Monday; the week runs into February
    out = health_report(weekly_plan(start, boss=None), None, start, start + WEEK)
    assert [(p.label, p.on_call_seconds // 3600) for p in out.person(ANN.email).periods] == [
        ("2025-01", 5 * 24),
        ("2025-02", 2 * 24),
    ]


def test_outside_business_hours_cap():
    config = HealthConfig(period="window", checks=CheckConfig(select=["OCP802"]))
    out = health_report(weekly_plan(MONDAY, boss=None), None, MONDAY, MONDAY + WEEK, config=config)
    # 168 h minus 5 x 10 business hours = 118 h outside business hours, over 60.
    assert [f.message for f in out.findings] == [
        "on call outside business hours for 118 h in the window, over the cap of 60 h (197%)"
    ]


def test_an_outlier_carries_at_least_the_multiplier_times_the_team_average():
    cat = User("Cat", "cat@example.com")
    schedule = Schedule("Ops", "America/New_York", [Layer("Main", [ANN], MONDAY, WEEK)])
    plan = OnCallPlan(schedules=[schedule], teams=[Team("Checkout", [ANN, BEN, cat])])
    config = HealthConfig(checks=CheckConfig(select=["OCP803"]))
    out = health_report(plan, None, MONDAY, MONDAY + WEEK, config=config)
    team = out.teams[0]
    # 168, 0 and 0 hours: the average is 56, Ann carries 3 times it.
    assert team.mean_hours == 56
    assert team.outliers == (("ann@example.com", 3.0),)
    assert [f.message for f in out.findings] == [
        "on call 168 h, 3.0× the average of 56 h in 'Checkout' (outlier at 2×)"
    ]
    assert team.equity_score == 0  # σ/μ = 79.2/56 > 1


def test_interruptions_per_on_call_hour():
    t0 = utc(2025, 1, 7, 3)
    pages = [notify(ANN, t0 + dt.timedelta(hours=h), "push", incident=f"Q{h}") for h in range(30)]
    config = HealthConfig(checks=CheckConfig(select=["OCP804"]))
    out = health_report(
        weekly_plan(MONDAY, boss=None), history(*pages), MONDAY, MONDAY + WEEK, config=config
    )
    # 30 interruptions in 168 h: 0.18 an hour, more than 0.17.
    assert out.person(ANN.email).interruption_rate == pytest.approx(30 / 168)
    assert [f.code for f in out.findings] == ["OCP804"]


def test_the_longest_stretch_counts_both_levels_together():
    # Ann on call at level 1 for a week, then at level 2 (as the boss) the week after.
    plan = weekly_plan(MONDAY, people=(ANN, BEN), boss=None)
    out = health_report(
        plan,
        None,
        MONDAY,
        MONDAY + 2 * WEEK,
        config=HealthConfig(checks=CheckConfig(select=["OCP805"])),
    )
    assert out.findings == ()
    boss_plan = weekly_plan(MONDAY, people=(ANN, BEN), boss=BOSS)
    out = health_report(
        boss_plan,
        None,
        MONDAY,
        MONDAY + 2 * WEEK,
        config=HealthConfig(checks=CheckConfig(select=["OCP805"])),
    )
    assert [(f.code, f.subject) for f in out.findings] == [
        ("OCP805", "User 'Boss' <boss@example.com>")
    ]
    assert out.person(BOSS.email).longest_stretch_seconds == 336 * 3600


PM = """# Postmortem: x

## Incident Summary

- **Date**: 2025-01-07

## Action Items

| Action | Owner | Priority | Due date | Status |
|---|---|---|---|---|
| Fix the alert | ann@example.com | P1 | 2025-01-08 | Open |
| Write the runbook | ben@example.com | P2 | 2025-01-08 | Open |
| Add the canary | ben@example.com | P1 | 2025-01-20 | Open |
"""


def test_an_overdue_p1_action_item_is_an_error():
    post = postmortem_from_markdown(PM, "pm/x.md")
    config = HealthConfig(checks=CheckConfig(select=["OCP806"]))
    out = health_report(
        weekly_plan(MONDAY),
        None,
        MONDAY,
        MONDAY + WEEK,
        config=config,
        postmortems=[post],
        now=dt.datetime(2025, 1, 10, tzinfo=NY),
    )
    # Due on the 8th, open on the 10th (in New York, the report's zone): two days late. The P2 item is late too, but not P1;
    # the other P1 is not due yet.
    assert [(f.code, f.severity, f.subject, f.message) for f in out.findings] == [
        (
            "OCP806",
            "error",
            "Postmortem 'pm/x.md', line 11",
            "P1 action 'Fix the alert' (owner ann@example.com) was due 2025-01-08, 2 day(s) ago, and is Open",
        )
    ]
    assert out.postmortems == postmortem_stats([post], dt.date(2025, 1, 10))


def test_action_items_are_judged_on_the_report_zones_date():
    # The window ends at 9 January 00:00 in Tokyo, which is still the 8th in UTC: the item due
    # on the 8th is overdue on the team's calendar, as it would be in New York.
    tokyo = dt.timezone(dt.timedelta(hours=9))
    post = postmortem_from_markdown(PM, "pm/x.md")
    config = HealthConfig(checks=CheckConfig(select=["OCP806"]), time_zone="Asia/Tokyo")
    until = dt.datetime(2025, 1, 9, tzinfo=tokyo)
    out = health_report(weekly_plan(MONDAY), None, MONDAY, until, config=config, postmortems=[post])
    assert out.postmortems == postmortem_stats([post], dt.date(2025, 1, 9))
    assert [f.code for f in out.findings] == ["OCP806"]


def test_history_the_report_could_not_use_is_reported():
    stranger = User("Zed", "zed@example.com")
    from health_helpers import REFS

    from oncall_planner.health import PersonRef

    REFS[stranger] = PersonRef("PZED001", "Zed")
    t0 = utc(2025, 1, 7, 15)
    entries = [notify(stranger, t0, "push"), by(None, "trigger", t0 - WEEK, "QOLD")]
    out = health_report(
        weekly_plan(MONDAY),
        history(*entries),
        MONDAY,
        MONDAY + WEEK,
        config=HealthConfig(checks=CheckConfig(select=["OCP807"])),
    )
    assert [f.message for f in out.findings] == [
        "1 incident(s) triggered outside the window were not counted",
        "interruptions of people who are not in the plan: Zed (PZED001) (1)",
    ]


def test_check_stays_quiet_on_health_rules_without_a_health_report():
    plan = weekly_plan(MONDAY)
    assert [f for f in check(plan, MONDAY, MONDAY + 4 * WEEK) if f.code.startswith("OCP8")] == []


def test_pagerduty_ids_in_the_configuration_match_people_whose_names_differ():
    from oncall_planner.health import PersonRef, PersonSettings

    t0 = utc(2025, 1, 7, 15)
    odd = notify(ANN, t0, "push")
    odd = odd.__class__(
        **{
            **{
                f: getattr(odd, f)
                for f in ("id", "kind", "at", "incident", "method", "address", "channel")
            },
            "user": PersonRef("PANN001", "Ann Q. Public"),
        }
    )
    plain = health_report(weekly_plan(MONDAY), history(odd), MONDAY, MONDAY + WEEK)
    assert plain.person(ANN.email).interruptions == 0 and plain.unattributed
    config = HealthConfig(people={ANN.email: PersonSettings(pagerduty_id="PANN001")})
    mapped = health_report(weekly_plan(MONDAY), history(odd), MONDAY, MONDAY + WEEK, config=config)
    assert mapped.person(ANN.email).interruptions == 1 and not mapped.unattributed


def test_a_display_name_two_people_share_matches_neither():
    # Two people called Ann: a page to "Ann" from an export without emails cannot tell which,
    # so it is unattributed (OCP807) rather than given to whichever the plan lists first.
    from oncall_planner.health import PersonRef, PersonSettings

    other = User("ann", "ann.other@example.com", "America/New_York")
    t0 = utc(2025, 1, 7, 15)
    page = entry("notify", t0, "Q1", user=PersonRef("PANN002", "Ann"), method="push")
    plan = weekly_plan(MONDAY, people=(ANN, other))
    out = health_report(plan, history(page), MONDAY, MONDAY + WEEK)
    assert out.person(ANN.email).interruptions == 0
    assert out.person(other.email).interruptions == 0
    assert out.unattributed == {"Ann (PANN002)": 1}
    config = HealthConfig(people={other.email: PersonSettings(pagerduty_id="PANN002")})
    mapped = health_report(plan, history(page), MONDAY, MONDAY + WEEK, config=config)
    assert mapped.person(other.email).interruptions == 1 and not mapped.unattributed


def _busy_report():
    t0 = utc(2025, 1, 7, 4)
    entries = [
        by(None, "trigger", t0),
        assign(ANN, t0),
        notify(ANN, t0, "push"),
        notify(ANN, t0 + dt.timedelta(seconds=2), "email"),
        by(ANN, "acknowledge", t0 + dt.timedelta(minutes=3)),
        by(ANN, "resolve", t0 + dt.timedelta(minutes=33)),
    ]
    return health_report(weekly_plan(MONDAY), history(*entries), MONDAY, MONDAY + WEEK)


def test_every_format_is_byte_identical_for_the_same_input():
    a, b = _busy_report(), _busy_report()
    for name in ("to_text", "to_markdown", "to_json", "to_csv", "to_html"):
        assert getattr(a, name)() == getattr(b, name)(), name


def test_json_and_csv_carry_the_heat_map_and_the_trend():
    out = _busy_report()
    data = json.loads(out.to_json())
    ann = next(p for p in data["people"] if p["email"] == ANN.email)
    # 04:00 UTC on Tuesday is 23:00 on Monday in New York.
    assert ann["heat_map"]["Mon"][23] == 1 and ann["interruptions_by_bucket"]["sleep"] == 1
    assert [w["week_of"] for w in data["weeks"]] == ["2025-01-06"]
    assert data["weeks"][0]["mtta_seconds"] == 180
    rows = list(csv.reader(io.StringIO(out.to_csv())))
    assert rows[0] == ["section", "subject", "period", "key", "value"]
    assert ["heatmap", ANN.email, "Mon", "23:00", "1"] in rows
    assert ["trend", "all", "2025-01-06", "mtta_seconds", "180.0"] in rows


def test_csv_cells_from_users_cannot_be_formulas():
    evil = User('=HYPERLINK("http://x")', "evil@example.com")
    plan = OnCallPlan(
        schedules=[Schedule("Ops", "America/New_York", [Layer("Main", [evil], MONDAY, WEEK)])],
        teams=[Team("-team", [evil])],
    )
    text = health_report(plan, None, MONDAY, MONDAY + WEEK).to_csv()
    rows = list(csv.reader(io.StringIO(text)))
    assert ["team", "'-team", "", "equity_score", "100.0"] in rows
    assert all(
        not cell.startswith(("=", "+", "-", "@"))
        for row in rows
        for cell in row
        if not cell.lstrip("-").replace(".", "").isdigit()
    )


def test_not_available_is_shown_as_such_in_every_format():
    out = health_report(weekly_plan(MONDAY), None, MONDAY, MONDAY + WEEK)
    reason = out.person(ANN.email).interruptions.reason
    text = out.to_text()
    assert "n/a" in text and reason in " ".join(text.split())  # wrapped to 80 columns
    assert reason.replace("[]", "\\[\\]") in out.to_markdown()  # include[]=channels, escaped
    assert json.loads(out.to_json())["people"][0]["interruptions"] == {"unavailable": reason}
    assert "not available from this input" in out.to_csv()
    assert "not available from this input" in out.to_html()


def test_the_text_report_fits_80_columns():
    text = _busy_report().to_text()
    assert max(len(line) for line in text.splitlines()) <= 80


def test_history_left_out_is_listed_in_every_format():
    from oncall_planner.health import History, SkippedRecord

    t0 = utc(2025, 1, 7, 15)
    skipped = (SkippedRecord("log.json", "log entry 7 (id X7)", "duplicate of log entry 2"),)
    out = health_report(
        weekly_plan(MONDAY),
        History(log_entries=(notify(ANN, t0, "push"),), skipped=skipped),
        MONDAY,
        MONDAY + WEEK,
    )
    for text in (out.to_text(), out.to_markdown(), out.to_html(), out.to_csv()):
        assert "duplicate of log entry 2" in " ".join(text.split())
    assert json.loads(out.to_json())["history"]["skipped"] == [
        {
            "source": "log.json",
            "record": "log entry 7 (id X7)",
            "reason": "duplicate of log entry 2",
        }
    ]


def test_a_postmortem_title_never_reaches_an_output_raw():
    # Postmortems are the team's own Markdown: an escape sequence in a title (or an owner) is
    # shown as \x1b in every format, never sent to a terminal or a browser as it is.
    post = postmortem_from_markdown(
        PM.replace("Fix the alert", "Fix \x1b[2J the alert").replace(
            "ann@example.com", "ann\x9b@x.co"
        ),
        "pm/\x1b]0;x\x07.md",
    )
    out = health_report(
        weekly_plan(MONDAY), None, MONDAY, MONDAY + WEEK, postmortems=[post], now=utc(2025, 1, 10)
    )
    for text in (out.to_text(), out.to_markdown(), out.to_json(), out.to_html()):
        assert not any(c in text for c in "\x1b\x07\x9b"), text
    assert "\\x1b" in out.to_text()


def test_markup_from_inputs_reads_as_text_in_the_markdown():
    # A name, an owner or an action is text: in a pull request comment or a wiki it must not
    # become a link, an image fetched from elsewhere, or HTML.
    post = postmortem_from_markdown(
        PM.replace("Fix the alert", "Fix ![x](http://tracker.example/p.png) <img src=x>").replace(
            "ann@example.com", "[ann](http://evil.example)"
        ),
        "pm/x.md",
    )
    evil = User("Ann <b>*bold*</b>", "ann@example.com", "America/New_York")
    plan = OnCallPlan(
        schedules=[Schedule("Ops", "America/New_York", [Layer("Main", [evil], MONDAY, WEEK)])],
    )
    md = health_report(
        plan, None, MONDAY, MONDAY + WEEK, postmortems=[post], now=utc(2025, 1, 10)
    ).to_markdown()
    unescaped = re.compile(r"(?<!\\)(<b>|<img|\*bold|!\[|\]\(http)")
    assert unescaped.search(md) is None, unescaped.search(md)
    assert "Ann \\<b\\>\\*bold\\*\\</b\\>" in md
