"""Reading page history at notification level: log entries, Analytics rows, alerts, incidents."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Schedule,
    Target,
    User,
)
from oncall_planner.errors import InputReadError
from oncall_planner.health import HealthConfig, PersonRef, health_report, preset
from oncall_planner.ingest.health import (
    analytics_from_json,
    health_config_from_toml,
    history_from_json,
    incidents_from_csv,
    incidents_from_json,
    load_history,
    log_entries_from_json,
)

DATA = Path(__file__).resolve().parent / "data" / "health"
UTC = dt.timezone.utc
KIM = User("Kim Lee", "kim@example.com", "America/New_York")


def _load(name: str) -> object:
    return json.loads((DATA / name).read_text())


def test_log_entries_keep_kind_channel_method_and_instant():
    h = log_entries_from_json(_load("log_entries.json"), "log.json")
    by_id = {e.id: e for e in h.log_entries}
    push, sms = by_id["RZ4"], by_id["RZ5"]
    assert (push.kind, push.method, push.address, push.channel) == ("notify", "push", None, "auto")
    assert (sms.method, sms.address) == ("sms", "+15550147")
    assert push.user == PersonRef("PKIM001", "Kim Lee")
    # 23:01:01 in New York (UTC-5 until the change at 02:00 that night) is 04:01:01 UTC.
    assert push.at == dt.datetime(2025, 3, 9, 4, 1, 1, tzinfo=UTC)
    # The schema's spelling of the acknowledgement and the _reference suffix are read too.
    assert by_id["RZ8"].kind == "acknowledge" and by_id["RZ8"].by_person
    assert by_id["RZ3"].kind == "assign" and by_id["RZ3"].assignees == (
        PersonRef("PKIM001", "Kim Lee"),
    )
    assert by_id["RZ3"].agent_type == "service"


def test_a_log_entry_type_the_metrics_do_not_read_is_listed_as_skipped():
    h = log_entries_from_json(_load("log_entries.json"), "log.json")
    assert [(s.record, s.reason) for s in h.skipped] == [
        (
            "log entry 10 (id RZ0)",
            "type 'responder_request_log_entry' is not a log entry type the health metrics read",
        )
    ]
    assert len(h.log_entries) == 9


def test_duplicates_across_saved_pages_are_skipped_and_listed():
    data = _load("log_entries.json")
    pages = [data, {"log_entries": data["log_entries"][:2], "more": False}]
    h = log_entries_from_json(pages, "log.json")
    dupes = [s for s in h.skipped if s.reason.startswith("duplicate")]
    assert [s.record for s in dupes] == ["log entry 11 (id RZ9)", "log entry 12 (id RZ8)"]
    assert dupes[0].reason == "duplicate of log entry 1 (id RZ9)"


def test_overlapping_exports_in_two_files_are_read_once_and_the_repeats_listed(tmp_path):
    # Two downloads of the same days: every record was read twice, so Analytics interruptions,
    # engaged time and notifications per channel doubled.
    for name in ("log_entries.json", "responders.json", "alerts.json"):
        (tmp_path / name).write_text((DATA / name).read_text())
    once = load_history([DATA / "log_entries.json", DATA / "responders.json", DATA / "alerts.json"])
    twice = load_history(
        [
            DATA / "log_entries.json",
            DATA / "responders.json",
            DATA / "alerts.json",
            tmp_path / "log_entries.json",
            tmp_path / "responders.json",
            tmp_path / "alerts.json",
        ]
    )
    assert (twice.log_entries, twice.responders, twice.alerts) == (
        once.log_entries,
        once.responders,
        once.alerts,
    )
    repeats = [s for s in twice.skipped if s.reason.startswith("duplicate of a record read")]
    assert len(repeats) == len(once.log_entries) + len(once.responders) + len(once.alerts)
    first = repeats[0]
    assert first.source == str(tmp_path / "log_entries.json")
    assert first.reason == f"duplicate of a record read from {DATA / 'log_entries.json'}"
    window = (dt.datetime(2025, 3, 8, tzinfo=UTC), dt.datetime(2025, 3, 15, tzinfo=UTC))
    kim = health_report(_kim_plan(), twice, *window).person(KIM.email)
    assert kim.notifications == {"email": 1, "phone": 1, "push": 1, "sms": 1}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"created_at": "soon"},
            "log.json: log entry 2 (id RZ8): created_at must be an ISO-8601 date-time, got 'soon'",
        ),
        ({"incident": None}, "log.json: log entry 2 (id RZ8): has no incident.id"),
        ({"id": 42}, "log.json: log entry 2 (id 42): id must be a string, got 42"),
        ({"channel": "phone"}, "log.json: log entry 2 (id RZ8): channel must be an object"),
        (
            {"agent": {"type": "user_reference"}},
            "log.json: log entry 2 (id RZ8): agent has neither an id nor a name",
        ),
    ],
)
def test_a_malformed_log_entry_names_the_file_and_the_record(change, message):
    data = _load("log_entries.json")
    data["log_entries"][1].update(change)
    with pytest.raises(InputReadError) as info:
        log_entries_from_json(data, "log.json")
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("user", {"id": ["PKIM001"], "summary": "Kim Lee"}),
        ("user", {"id": {"nested": 1}}),
        ("user", {"id": "PKIM001", "summary": ["Kim Lee"]}),
    ],
)
def test_a_person_whose_id_or_name_is_not_text_is_refused_not_a_crash(field, value):
    data = _load("log_entries.json")
    data["log_entries"][2][field] = value  # RZ7, a notify entry
    with pytest.raises(InputReadError, match=r"log.json: log entry 3 \(id RZ7\): user"):
        log_entries_from_json(data, "log.json")


def test_an_assignee_whose_id_is_a_list_is_refused_not_a_crash():
    data = _load("log_entries.json")
    data["log_entries"][2]["type"] = "assign_log_entry"
    data["log_entries"][2]["assignees"] = [{"id": [1, 2]}]
    with pytest.raises(InputReadError, match=r"log entry 3 \(id RZ7\): assignees\[\]"):
        log_entries_from_json(data, "log.json")


@pytest.mark.parametrize("value", [["PKIM001"], "9" * 5000, "\u00b2"])
def test_an_analytics_row_with_an_unreadable_responder_or_count_is_refused(value):
    data = _load("responders.json")
    key = "responder_id" if isinstance(value, list) else "total_interruptions"
    data["data"][0][key] = value
    with pytest.raises(InputReadError, match=r"resp.json: row 1 \(id PINC777\)"):
        analytics_from_json(data, "resp.json")


def test_a_time_without_an_offset_in_a_log_entry_is_an_error_not_a_guess():
    data = _load("log_entries.json")
    data["log_entries"][0]["created_at"] = "2025-03-08T23:41:00"
    with pytest.raises(InputReadError, match="no UTC offset"):
        log_entries_from_json(data, "log.json")


def test_a_truncated_export_and_notifications_without_a_type_are_warned_about():
    data = _load("log_entries.json")
    data["more"] = True
    del data["log_entries"][2]["channel"]["notification"]
    h = log_entries_from_json(data, "log.json")
    assert any("truncated" in w for w in h.warnings)
    assert any("1 notify entry has no channel.notification type" in w for w in h.warnings)


def test_analytics_responder_rows_take_the_responses_time_zone():
    h = analytics_from_json(_load("responders.json"), "resp.json")
    first, second = h.responders
    # 23:01 New York time on 8 March is 04:01 UTC on the 9th.
    assert first.created_at == dt.datetime(2025, 3, 9, 4, 1, tzinfo=UTC)
    assert first.responder == PersonRef("PKIM001", "Kim Lee")  # the id from the envelope
    assert (first.sleep, first.off, first.priority) == (1, 0, "P2")  # "0", a string, is read
    assert (second.seconds_to_acknowledge, second.priority) == (None, None)


def test_an_analytics_response_without_a_zone_needs_one():
    data = _load("responders.json")
    del data["time_zone"]
    with pytest.raises(InputReadError, match="no UTC offset"):
        analytics_from_json(data, "resp.json")
    h = analytics_from_json(data, "resp.json", time_zone="Etc/UTC")
    assert h.responders[0].created_at == dt.datetime(2025, 3, 8, 23, 1, tzinfo=UTC)


def test_an_analytics_row_with_a_negative_count_is_refused():
    data = _load("responders.json")
    data["data"][1]["total_interruptions"] = -2
    with pytest.raises(
        InputReadError, match=r"resp.json: row 2 \(id PINC778\): total_interruptions"
    ):
        analytics_from_json(data, "resp.json")


def test_analytics_incident_rows_say_what_resolved_itself():
    h = analytics_from_json(_load("analytics_incidents.json"), "inc.json")
    assert [(a.id, a.auto_resolved, a.acknowledgements) for a in h.analytics] == [
        ("PINC777", False, 1),
        ("PINC778", True, 0),
    ]


def test_the_incidents_csv_gives_severity_and_auto_resolution():
    h = incidents_from_csv((DATA / "incidents.csv").read_text(), "inc.csv")
    assert [(d.id, d.severity, d.auto_resolved, d.acknowledged) for d in h.details] == [
        ("PINC777", "P2", False, True),
        ("PINC778", None, True, False),
        ("PINC779", "P1", False, False),
    ]
    named = incidents_from_csv(
        (DATA / "incidents.csv").read_text(), "inc.csv", severity_field="team"
    )
    assert {d.severity for d in named.details} == {"payments"}


def test_rest_incidents_give_severity_from_the_priority_or_a_named_field():
    data = {
        "incidents": [
            {
                "id": "PX1",
                "type": "incident",
                "created_at": "2025-03-04T10:00:00Z",
                "status": "resolved",
                "resolved_at": "2025-03-04T10:30:00Z",
                "priority": {"id": "PP1", "type": "priority_reference", "summary": "P1"},
                "incident_type": {"name": "security"},
                "last_status_change_by": {"id": "PSVC1", "type": "service_reference"},
            }
        ]
    }
    h = incidents_from_json(data, "inc.json")
    assert (h.details[0].severity, h.details[0].auto_resolved) == ("P1", True)
    named = incidents_from_json(data, "inc.json", severity_field="incident_type.name")
    assert named.details[0].severity == "security"


def test_load_history_tells_the_exports_apart_by_their_content(tmp_path):
    names = [
        "log_entries.json",
        "responders.json",
        "analytics_incidents.json",
        "alerts.json",
        "incidents.csv",
    ]
    h = load_history([DATA / n for n in names])
    assert h.kinds == (
        "incidents",
        "log entries",
        "Analytics responder rows",
        "Analytics incident rows",
        "alerts",
    )
    assert len(h.sources) == 5
    assert "2 Analytics responder row(s)" in h.summary()


def test_load_history_refuses_what_it_cannot_read(tmp_path):
    odd = tmp_path / "odd.json"
    odd.write_text('{"schedules": []}')
    with pytest.raises(InputReadError, match=r"odd.json: not a PagerDuty export this reads"):
        load_history(odd)
    broken = tmp_path / "broken.json"
    broken.write_text('{"log_entries": [')
    with pytest.raises(InputReadError, match=r"broken\.json: not valid JSON"):
        load_history(broken)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputReadError, match=r"deep\.json"):
        load_history(deep)


def _kim_plan() -> OnCallPlan:
    start = dt.datetime(2025, 3, 3, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    schedule = Schedule(
        "Ledger", "America/New_York", [Layer("Main", [KIM], start, dt.timedelta(weeks=1))]
    )
    return OnCallPlan(
        escalation_policies=[
            EscalationPolicy("Ledger EP", [EscalationRule(10, [Target.schedule(schedule)])])
        ]
    )


def test_log_entries_and_analytics_agree_on_kims_night():
    window = (dt.datetime(2025, 3, 8, tzinfo=UTC), dt.datetime(2025, 3, 15, tzinfo=UTC))
    from_logs = health_report(_kim_plan(), load_history(DATA / "log_entries.json"), *window)
    from_rows = health_report(_kim_plan(), load_history(DATA / "responders.json"), *window)
    kim_logs, kim_rows = from_logs.person(KIM.email), from_rows.person(KIM.email)
    # Push, SMS and phone to one number within two minutes, and an email: one interruption, at
    # 23:01 on a Saturday, which is sleep time; Analytics says the same for that incident.
    assert kim_logs.interruptions == 1
    assert kim_logs.interruptions_by_bucket == {"business": 0, "off": 0, "sleep": 1}
    assert kim_logs.notifications == {"email": 1, "phone": 1, "push": 1, "sms": 1}
    assert kim_rows.interruptions == 1 + 2
    assert kim_rows.interruptions_by_bucket == {"business": 2, "off": 0, "sleep": 1}
    assert kim_rows.interruption_source == "Analytics responder rows"
    # Analytics rows say how many, not when: no heat map from them.
    assert str(kim_rows.heat_map) == "not available from this input"
    assert "do not say when" in kim_rows.heat_map.reason
    # Both give the acknowledgement after 330 s and 2070 s engaged.
    assert kim_logs.mtta_seconds == kim_rows.mtta_seconds == 330
    assert kim_logs.engaged_seconds == kim_rows.engaged_seconds == 2070


def test_analytics_buckets_are_pagerdutys_own_and_not_another_presets():
    window = (dt.datetime(2025, 3, 8, tzinfo=UTC), dt.datetime(2025, 3, 15, tzinfo=UTC))
    out = health_report(
        _kim_plan(),
        load_history(DATA / "responders.json"),
        *window,
        config=HealthConfig(hours=preset("rootly")),
    )
    kim = out.person(KIM.email)
    assert kim.interruptions == 3
    assert "PagerDuty's own windows" in kim.interruptions_by_bucket.reason


@pytest.mark.parametrize(
    "hours",
    [
        '[hours]\npreset = "pagerduty"\nsleep = [{ days = "every day", start = "23:00", end = "07:00" }]',
        '[hours]\npreset = "pagerduty"\nprecedence = ["off", "sleep", "business"]',
    ],
)
def test_analytics_buckets_are_not_shown_as_a_changed_pagerduty_presets(hours):
    # The preset keeps its name when a bucket or the precedence is changed, but Analytics still
    # counted in PagerDuty's own windows: its split would be reported under hours it was not
    # counted in.
    window = (dt.datetime(2025, 3, 8, tzinfo=UTC), dt.datetime(2025, 3, 15, tzinfo=UTC))
    config = health_config_from_toml(hours, "h.toml")
    out = health_report(_kim_plan(), load_history(DATA / "responders.json"), *window, config=config)
    kim = out.person(KIM.email)
    assert kim.interruptions == 3
    assert kim.interruptions_by_bucket.reason == (
        "Analytics counts interruptions in PagerDuty's own windows, not the changed "
        "'pagerduty' preset's; give log entries"
    )


def test_the_weekly_trend_counts_what_the_people_count_from_analytics_rows():
    # Multitudes counts acknowledgements: Kim acknowledged one of her three incidents. The
    # trend counted Analytics' interruptions (3) while the people and the total said 1.
    window = (dt.datetime(2025, 3, 3, tzinfo=UTC), dt.datetime(2025, 3, 31, tzinfo=UTC))
    out = health_report(
        _kim_plan(),
        load_history(DATA / "responders.json"),
        *window,
        config=HealthConfig(hours=preset("multitudes")),
    )
    assert out.person(KIM.email).interruptions == out.incidents.interruptions == 1
    assert sum(w.interruptions for w in out.weeks) == 1


def test_analytics_counts_are_not_shown_as_merged_over_another_window():
    # PagerDuty merges notifications within 60 s; its counts cannot be re-merged over 120 s.
    window = (dt.datetime(2025, 3, 3, tzinfo=UTC), dt.datetime(2025, 3, 31, tzinfo=UTC))
    out = health_report(
        _kim_plan(),
        load_history(DATA / "responders.json"),
        *window,
        config=HealthConfig(merge_seconds=120),
    )
    reason = "Analytics merges notifications within 60 s, not 120 s; give log entries"
    kim = out.person(KIM.email)
    assert kim.interruptions.reason == reason
    assert kim.interruptions_by_bucket.reason == reason
    assert out.incidents.interruptions.reason == reason
    assert {w.interruptions.reason for w in out.weeks} == {reason}


@pytest.mark.parametrize(
    ("files", "hours", "expected"),
    [
        (["log_entries.json"], "pagerduty", 1),
        (["responders.json"], "pagerduty", 3),
        (["log_entries.json", "responders.json"], "pagerduty", 1),  # was 1 + 3
        (["responders.json"], "multitudes", 1),  # her acknowledgements, as for people
    ],
)
def test_interruptions_of_someone_not_in_the_plan_are_counted_once_as_configured(
    files, hours, expected
):
    other = User("X", "x@example.com", "America/New_York")
    schedule = Schedule(
        "S",
        "America/New_York",
        [Layer("Main", [other], dt.datetime(2025, 3, 3, tzinfo=UTC), dt.timedelta(weeks=1))],
    )
    window = (dt.datetime(2025, 3, 3, tzinfo=UTC), dt.datetime(2025, 3, 31, tzinfo=UTC))
    out = health_report(
        OnCallPlan(schedules=[schedule]),
        load_history([DATA / f for f in files]),
        *window,
        config=HealthConfig(hours=preset(hours)),
    )
    assert out.unattributed == {"Kim Lee (PKIM001)": expected}


def test_the_noise_ratio_is_not_available_when_self_resolved_incidents_cannot_be_judged():
    # GET /incidents says which incidents a service resolved, but resolved incidents have lost
    # their acknowledgements: only the ones a person resolved could be judged, which made the
    # ratio 0% over them on every such export (32 of the 62 March incidents resolved themselves).
    repo = Path(__file__).resolve().parents[1]
    history = load_history(repo / "examples" / "health" / "incidents.json")
    ny = dt.timezone(dt.timedelta(hours=-5))
    window = (dt.datetime(2025, 3, 1, tzinfo=ny), dt.datetime(2025, 4, 1, tzinfo=ny))
    import sys

    sys.path.insert(0, str(repo / "examples"))
    from seed_plan import build_plan

    stats = health_report(build_plan(), history, *window).incidents
    assert str(stats.noise_ratio) == "not available from this input"
    assert stats.noise_ratio.reason.startswith(
        "32 of 62 resolved incidents were resolved by a service, and the exports do not say "
        "whether someone acknowledged them first"
    )
    # With the log entries every incident can be judged again.
    both = load_history(
        [repo / "examples" / "health" / n for n in ("incidents.json", "log_entries.json")]
    )
    assert health_report(build_plan(), both, *window).incidents.noise_ratio == 32 / 62


def test_history_from_json_reads_a_bare_list_of_log_entries():
    entries = _load("log_entries.json")["log_entries"]
    assert len(history_from_json(entries, "bare.json").log_entries) == 9


def test_incidents_alone_leave_interruptions_not_available_never_zero():
    window = (dt.datetime(2025, 3, 8, tzinfo=UTC), dt.datetime(2025, 3, 15, tzinfo=UTC))
    out = health_report(_kim_plan(), load_history(DATA / "incidents.csv"), *window)
    kim = out.person(KIM.email)
    assert str(kim.interruptions) == "not available from this input"
    assert kim.interruptions != 0
    # The CSV does say who resolved by themselves: one of three, with no acknowledgement.
    assert (out.incidents.noise, out.incidents.noise_known) == (1, 3)
    assert out.incidents.by_severity == {"P1": 1, "P2": 1, "unknown": 1}
    data = out.to_dict()
    assert data["people"][0]["interruptions"] == {"unavailable": kim.interruptions.reason}
    assert "interruptions,not available from this input" in out.to_csv()


def test_entries_read_from_a_file_equal_the_ones_the_checked_constructor_builds():
    import attrs

    from oncall_planner.health import LogEntry

    for e in log_entries_from_json(_load("log_entries.json"), "log.json").log_entries:
        assert LogEntry(**attrs.asdict(e, recurse=False)) == e
        assert hash(LogEntry(**attrs.asdict(e, recurse=False))) == hash(e)


def test_the_garbage_collector_runs_again_after_reading_even_on_an_error(tmp_path):
    import gc

    broken = tmp_path / "broken.json"
    broken.write_text('{"log_entries": [{"id": "X", "type": "notify_log_entry"}]}')
    assert gc.isenabled()
    load_history(DATA / "log_entries.json")
    assert gc.isenabled()
    with pytest.raises(InputReadError):
        load_history(broken)
    assert gc.isenabled()
    gc.disable()
    try:
        load_history(DATA / "log_entries.json")
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_a_huge_field_is_quoted_short_in_the_message():
    data = _load("log_entries.json")
    data["log_entries"][1]["created_at"] = "2025-" + "9" * 1_000_000
    data["log_entries"][1]["id"] = "R" * 1000
    with pytest.raises(InputReadError) as info:
        log_entries_from_json(data, "log.json")
    message = str(info.value)
    assert message.startswith("log.json: log entry 2 (id RRRR")
    assert "created_at must be an ISO-8601 date-time, got '2025-9999" in message
    assert len(message) < 250 and "\n" not in message
