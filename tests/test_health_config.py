"""The health configuration file: every key read, every mistake named with file, key and value."""

from __future__ import annotations

import pytest

from oncall_planner.errors import InputReadError, ValidationError
from oncall_planner.health import CompensationRates, HealthConfig, HourWindows, Window, preset
from oncall_planner.ingest.health import health_config_from_toml, load_health_config

FULL = """
[hours]
preset = "pagerduty"
precedence = ["off", "sleep", "business"]

[interruptions]
merge_seconds = 90

[report]
time_zone = "Europe/London"
severity_field = "incident_type.name"

[caps]
period = "week"
on_call_hours = 120
outside_business_hours = 40
near = 0.8
outlier_multiplier = 1.5
interruptions_per_on_call_hour = 0.5
longest_stretch_hours = 96
overdue_priority = "P0"

[pay]
currency = "EUR"
level_1 = 10
level_2_plus = 5
off_hours = 1.25
weekend = 1.75
holiday = 3

[people."Ana@Example.com"]
pagerduty_id = "PANA001"
country = "GB"
subdivision = "SCT"

[holidays]
from_time_zone = false

[checks]
select = ["OCP8", "OCP401"]
ignore = ["OCP807"]
[checks.severity]
OCP804 = "error"
"""


def test_every_key_of_a_full_configuration_is_read():
    cfg = health_config_from_toml(FULL, "health.toml")
    assert cfg.hours.precedence == ("off", "sleep", "business")
    assert cfg.hours.windows == preset("pagerduty").windows
    assert (cfg.merge_seconds, cfg.period, cfg.time_zone) == (90, "week", "Europe/London")
    assert cfg.severity_field == "incident_type.name"
    assert cfg.checks.thresholds_for("OCP801") == {"max_hours": 120, "near_ratio": 0.8}
    assert cfg.checks.thresholds_for("OCP802") == {"max_hours": 40, "near_ratio": 0.8}
    assert cfg.checks.thresholds_for("OCP803") == {"multiplier": 1.5}
    assert cfg.checks.thresholds_for("OCP804") == {"max_per_hour": 0.5}
    assert cfg.checks.thresholds_for("OCP805") == {"max_hours": 96}
    assert cfg.checks.thresholds_for("OCP806") == {"priority": "P0"}
    assert cfg.pay == CompensationRates(
        currency="EUR", level_1=10, level_2_plus=5, off_hours=1.25, weekend=1.75, holiday=3
    )
    person = cfg.people["ana@example.com"]  # emails are matched in any case
    assert (person.pagerduty_id, person.country, person.subdivision) == ("PANA001", "GB", "SCT")
    assert cfg.holidays_from_zone is False
    assert cfg.checks.enabled("OCP401") and not cfg.checks.enabled("OCP807")
    assert cfg.checks.severity == {"OCP804": "error"}


def test_an_empty_file_is_the_defaults():
    assert health_config_from_toml("", "health.toml") == HealthConfig()


def test_custom_windows_replace_a_presets_bucket():
    cfg = health_config_from_toml(
        """
[hours]
preset = "custom"
business = [{ days = "Mon-Thu", start = "09:00", end = "17:00" }]
sleep = [{ days = "every day", start = "23:00", end = "07:00" }]
fallback = "off"
""",
        "h.toml",
    )
    assert cfg.hours == HourWindows(
        "custom",
        (
            Window("business", (1, 2, 3, 4), "09:00", "17:00"),
            Window("sleep", "every day", "23:00", "07:00"),
        ),
    )
    # Local times as seconds from 1970-01-01, a Thursday: Friday 10:00 is in no window, so it
    # takes the fallback; Tuesday 10:00 is business, Tuesday 23:30 sleep.
    assert cfg.hours.bucket_at(1 * 86400 + 10 * 3600) == "off"  # Friday 2 January 1970
    assert cfg.hours.bucket_at(5 * 86400 + 10 * 3600) == "business"  # Tuesday the 6th
    assert cfg.hours.bucket_at(5 * 86400 + 23 * 3600 + 1800) == "sleep"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[caps]\non_call_hours = 'lots'",
            "health.toml: caps.on_call_hours must be a number > 0, got 'lots'",
        ),
        (
            "[caps]\nnear = 1.5",
            "health.toml: caps.near must be a share of the cap from 0 to 1, got 1.5",
        ),
        (
            "[caps]\noutlier_multiplier = 7",
            "health.toml: caps.outlier_multiplier must be from 1.5 to 5, got 7",
        ),
        (
            "[caps]\nperiod = 'quarter'",
            "health.toml: caps.period must be 'week', 'month' or 'window', got 'quarter'",
        ),
        ("[cap]\nx = 1", "health.toml: unknown key cap; known keys here:"),
        ("[caps]\nonCallHours = 1", "health.toml: unknown key caps.onCallHours; known keys here:"),
        (
            "[hours]\npreset = 'opsgenie'",
            "health.toml: hours.preset must be one of multitudes, pagerduty, rootly or 'custom', got 'opsgenie'",
        ),
        (
            "[hours]\nprecedence = ['sleep', 'off']",
            "health.toml: hours.precedence must list business, off and sleep once each",
        ),
        (
            "[hours]\nbusiness = [{ days = 'Funday', start = '09:00', end = '17:00' }]",
            "health.toml: hours.business[0]: Window: 'Funday' is not a day",
        ),
        (
            "[hours]\nsleep = [{ days = 'Mon', start = '25:00', end = '07:00' }]",
            "health.toml: hours.sleep[0]: Window: start",
        ),
        (
            "[interruptions]\nmerge_seconds = 60.5",
            "health.toml: interruptions.merge_seconds must be a whole number ≥ 0, got 60.5",
        ),
        ("[report]\ntime_zone = 'UTC'", "health.toml: report.time_zone"),
        (
            "[pay]\nlevel_1 = -20",
            "health.toml: pay.level_1 must be a number ≥ 0 and at most 1,000,000,000, got -20",
        ),
        (
            "[people.bob]\ncountry = 'US'",
            "health.toml: people.\"bob\" must be keyed by the person's email, got 'bob'",
        ),
        (
            "[people.'bob@example.com']\ncountry = 'XX'",
            "no public-holiday calendar for country 'XX'",
        ),
        (
            "[checks]\nselect = ['OCP999']",
            "health.toml: checks.select names a code that matches no rule, got 'OCP999'",
        ),
        (
            "[checks.severity]\nOCP801 = 'fatal'",
            "health.toml: checks.severity.OCP801 must be 'error', 'warning' or 'info', got 'fatal'",
        ),
        ("hours = 3", "health.toml: hours must be a table, got 3"),
    ],
)
def test_a_mistake_names_the_file_the_key_and_the_value(text, message):
    with pytest.raises(InputReadError) as info:
        health_config_from_toml(text, "health.toml")
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[hours]\npreset = ['pagerduty']", "health.toml: hours.preset must be one of"),
        ("[hours.preset]\nname = 'rootly'", "health.toml: hours.preset must be one of"),
        (
            "[hours]\nprecedence = [1, 'off', 'sleep']",
            "health.toml: hours.precedence must list business, off and sleep once each",
        ),
        (
            "[hours]\nprecedence = [['sleep'], 'off', 'business']",
            "health.toml: hours.precedence must list business, off and sleep once each",
        ),
        ("[caps]\non_call_hours = " + "9" * 5000, "health.toml: not valid TOML"),
        ("x = " + "[" * 5000 + "]" * 5000, "health.toml: not valid TOML"),
    ],
)
def test_a_value_of_the_wrong_shape_is_refused_not_a_crash(text, message):
    with pytest.raises(InputReadError) as info:
        health_config_from_toml(text, "health.toml")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_toml_syntax_errors_name_the_file(tmp_path):
    path = tmp_path / "health.toml"
    path.write_text("[caps\n")
    with pytest.raises(InputReadError, match=r"health.toml: not valid TOML"):
        load_health_config(path)
    with pytest.raises(InputReadError, match="cannot read the configuration"):
        load_health_config(tmp_path / "missing.toml")


def test_pay_can_be_turned_off():
    assert health_config_from_toml("pay = false", "h.toml").pay is None


def test_the_python_api_checks_the_outlier_range_too():
    from oncall_planner import CheckConfig

    with pytest.raises(ValidationError, match=r"must be from 1\.5 to 5, got 1\.2"):
        HealthConfig(
            checks=CheckConfig(select=["OCP8"], thresholds={"OCP803": {"multiplier": 1.2}})
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[pay]\nlevel_1 = 1" + "0" * 400,
            "health.toml: pay.level_1 must be a number ≥ 0 and at most 1,000,000,000, got 1000",
        ),
        (
            "[pay]\nweekend = 1e308",
            "health.toml: pay.weekend must be a number ≥ 0 and at most 1,000,000,000, got 1e+308",
        ),
    ],
)
def test_a_pay_number_too_large_to_compute_with_is_refused(text, message):
    # 10**400 an hour raised OverflowError in the report; 1e308 made the pay 'inf'.
    with pytest.raises(InputReadError) as info:
        health_config_from_toml(text, "health.toml")
    assert str(info.value).startswith(message)


def test_the_python_api_bounds_pay_numbers_too():
    with pytest.raises(ValidationError, match="level_1 must be a number ≥ 0 and at most"):
        CompensationRates(level_1=10**400)
