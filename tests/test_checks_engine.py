"""The checks engine: registry, configuration, ordering, input errors, the seed's findings."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from checkkit import BOSS, T0, WEEK, A, B, C, D, layer, policy, schedule, weekly_pair

from oncall_planner import (
    RULES,
    CheckConfig,
    OnCallPlan,
    Override,
    ValidationError,
    check,
)
from oncall_planner.checks import SEVERITIES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from seed_plan import NEW_YORK, build_plan

SEED_SINCE = dt.datetime(2025, 3, 3, tzinfo=NEW_YORK)
SEED_UNTIL = SEED_SINCE + dt.timedelta(weeks=8)


def test_every_rule_has_a_stable_code_name_severity_and_doc():
    for code, r in RULES.items():
        assert re.fullmatch(r"OCP[1-9]\d\d", code) and r.code == code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name)
        assert r.severity in SEVERITIES
        assert r.doc.endswith(".")


def test_rule_families_match_their_code_hundreds():
    families = {
        "1": "rotation",
        "2": "coverage",
        "3": "escalation",
        "4": "rest",
        "5": "pages",
        "6": "imports",
        "7": "shifts",
        "8": "health",
        "9": "slo",
    }
    assert {code: r.family for code, r in RULES.items()} == {
        code: families[code[3]] for code in RULES
    }


def test_rule_names_are_unique():
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))


def test_seed_findings_start_with_the_shadowed_primary_layer():
    found = check(build_plan(), SEED_SINCE, SEED_UNTIL)
    assert (found[0].code, found[0].subject) == (
        "OCP103",
        "Schedule 'Checkout Team On-Call', layer 'Primary'",
    )
    assert found[0].severity == "error"


def test_seed_findings_are_exactly_these():
    found = check(build_plan(), SEED_SINCE, SEED_UNTIL)
    assert [(f.code, f.subject) for f in found] == [
        ("OCP103", "Schedule 'Checkout Team On-Call', layer 'Primary'"),
        ("OCP306", "EscalationPolicy 'Checkout Escalation', level 2"),
    ]


def test_swapping_the_seed_layers_shadows_the_other_one():
    plan = build_plan()
    sched = plan.schedules[0]
    fixed = schedule(sched.name, sched.layers[1], sched.layers[0], tz=sched.time_zone)
    found = check(
        OnCallPlan(schedules=[fixed]), SEED_SINCE, SEED_UNTIL, config=CheckConfig(select=["OCP103"])
    )
    assert [f.subject for f in found] == ["Schedule 'Checkout Team On-Call', layer 'Secondary'"]


def test_findings_are_sorted_by_severity_then_code():
    plan = OnCallPlan(
        schedules=[schedule("Spare", layer("Solo", [C]))],
        escalation_policies=[policy("P", (45, [weekly_pair()]), (10, [BOSS]))],
    )
    found = check(plan, T0, T0 + 4 * WEEK)
    keys = [(SEVERITIES.index(f.severity), f.code) for f in found]
    assert keys == sorted(keys)
    assert {"OCP102", "OCP301", "OCP304", "OCP306"} <= {f.code for f in found}


def test_check_is_deterministic():
    plan = build_plan()
    assert check(plan, SEED_SINCE, SEED_UNTIL) == check(plan, SEED_SINCE, SEED_UNTIL)


def test_select_by_family_prefix():
    found = check(build_plan(), SEED_SINCE, SEED_UNTIL, config=CheckConfig(select=["OCP3"]))
    assert [f.code for f in found] == ["OCP306"]


def test_ignore_by_code():
    found = check(build_plan(), SEED_SINCE, SEED_UNTIL, config=CheckConfig(ignore=["OCP103"]))
    assert [f.code for f in found] == ["OCP306"]


def test_severity_can_be_overridden_by_code():
    config = CheckConfig(select=["OCP306"], severity={"OCP306": "info"})
    found = check(build_plan(), SEED_SINCE, SEED_UNTIL, config=config)
    assert [f.severity for f in found] == ["info"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (CheckConfig(select=["OCP999"]), "select names 'OCP999', which matches no rule"),
        (CheckConfig(thresholds={"OCP999": {}}), "thresholds names 'OCP999', which is no rule"),
        (CheckConfig(thresholds={"OCP101": {"days": 3}}), "rule OCP101 has no threshold 'days'"),
        (
            CheckConfig(thresholds={"OCP101": {"warn_days": "7"}}),
            r"must be a number ≥ 0 and at most 1,000,000, got '7'",
        ),
        (CheckConfig(severity={"OCP101": "fatal"}), "must be 'error', 'warning' or 'info'"),
    ],
)
def test_bad_config_is_a_clear_error(config, message):
    with pytest.raises(ValidationError, match=message):
        check(build_plan(), SEED_SINCE, SEED_UNTIL, config=config)


def test_overrides_for_an_unknown_schedule_are_an_error():
    with pytest.raises(ValidationError, match="overrides name the schedule 'Nope'"):
        check(
            build_plan(), SEED_SINCE, SEED_UNTIL, overrides={"Nope": [Override(T0, T0 + WEEK, A)]}
        )


def test_until_must_follow_since():
    with pytest.raises(ValidationError, match="until must be after since"):
        check(build_plan(), SEED_UNTIL, SEED_SINCE)


def test_pages_must_be_pages():
    with pytest.raises(ValidationError, match="pages must hold Page objects"):
        check(build_plan(), SEED_SINCE, SEED_UNTIL, pages=["2025-03-04"])


def test_finding_text_is_one_line():
    found = check(build_plan(), SEED_SINCE, SEED_UNTIL)
    assert (
        found[0]
        .to_text()
        .startswith("error OCP103 shadowed-layer: Schedule 'Checkout Team On-Call'")
    )
    assert all("\n" not in f.to_text() for f in found)


def test_a_quiet_plan_has_no_findings():
    secondary = schedule("Secondary", layer("L", [C, D, A, B]))
    primary = schedule("Primary", layer("L", [A, B, C, D]))
    plan = OnCallPlan(escalation_policies=[policy("P", (10, [primary]), (10, [secondary]))])
    assert check(plan, T0, T0 + 4 * WEEK) == ()


def test_finding_to_dict_is_plain_data_in_utc():
    found = check(build_plan(), SEED_SINCE, SEED_UNTIL)
    data = found[0].to_dict()
    assert data["code"] == "OCP103" and data["severity"] == "error"
    assert data["intervals"] == [
        {"start": "2025-03-03T05:00:00+00:00", "end": "2025-04-28T04:00:00+00:00"}
    ]


def test_config_codes_must_be_strings():
    with pytest.raises(ValidationError, match="select must be a list of rule codes, got 5"):
        CheckConfig(select=5)
    with pytest.raises(ValidationError, match="ignore must hold rule codes such as 'OCP101'"):
        CheckConfig(ignore=[101])


def test_config_accepts_one_code_as_a_string():
    assert CheckConfig(select="OCP1", ignore=None) == CheckConfig(select=("OCP1",), ignore=())


def test_hours_in_messages_are_elapsed_when_the_window_is_given_in_a_dst_zone():
    # 2025-03-03 to 2025-03-31 in New York holds the spring-forward night: 671 h, not 672 h.
    # Datetimes sharing one ZoneInfo subtract on the wall clock, so the engine must not.
    plan = build_plan()
    until = dt.datetime(2025, 3, 31, tzinfo=NEW_YORK)
    local = check(plan, SEED_SINCE, until, config=CheckConfig(select=["OCP306"]))
    in_utc = check(
        plan,
        SEED_SINCE.astimezone(dt.timezone.utc),
        until.astimezone(dt.timezone.utc),
        config=CheckConfig(select=["OCP306"]),
    )
    assert [f.to_text() for f in local] == [f.to_text() for f in in_utc]
    assert [iv.end - iv.start for f in local for iv in f.intervals] == [dt.timedelta(hours=671)]


def test_a_person_without_a_zone_reads_times_in_the_first_schedule_that_rosters_them():
    from checkkit import user

    from oncall_planner.checks._engine import Context

    ann, ben, cat = user("Ann", None), user("Ben", None), user("Cat", "America/Chicago")
    tokyo = schedule("Tokyo", layer("L", [ben]), tz="Asia/Tokyo")
    paris = schedule("Paris", layer("L", [ann, ben, cat]), tz="Europe/Paris")
    plan = OnCallPlan(schedules=[tokyo, paris])
    ctx = Context(plan, T0, T0 + WEEK, (), {}, ())
    assert ctx.user_zone(ann) == "Europe/Paris"
    assert ctx.user_zone(ben) == "Asia/Tokyo"  # the first schedule naming him, not the last
    assert ctx.user_zone(cat) == "America/Chicago"  # her own zone first
    assert ctx.user_zone(user("Eve", None)) == "Etc/UTC"  # rostered nowhere
