"""Huge numbers through the Python API, the page loaders and the command line: the documented
error (ValidationError / InputReadError, exit 2 with one line), never an OverflowError, a
RecursionError or a ValueError from deep inside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from oncall_planner import (
    CheckConfig,
    EscalationPolicy,
    EscalationRule,
    InputReadError,
    Layer,
    OnCallPlan,
    PayRates,
    Schedule,
    Target,
    User,
    ValidationError,
    Weights,
    audit,
    check,
    escalation_timeline,
    fairness_report,
    load_pages,
)
from oncall_planner.cli import main

UTC = dt.timezone.utc
START = dt.datetime(2025, 1, 6, tzinfo=UTC)
ANN, BEN = User("Ann", "ann@example.com"), User("Ben", "ben@example.com")
SCHEDULE = Schedule("S", "Etc/UTC", [Layer("L", [ANN, BEN], START, dt.timedelta(days=1))])
PLAN = OnCallPlan([SCHEDULE])
SEED = str(Path(__file__).parent / "data" / "seed-pagerduty.tf")


@pytest.mark.parametrize("delay", [10**22, 525_601], ids=["1e22", "a year and a minute"])
def test_an_escalation_delay_beyond_a_year_is_refused(delay: int) -> None:
    with pytest.raises(ValidationError, match=r"delay_minutes must be .* at most 525600"):
        EscalationRule(delay, [Target.user(ANN)])


def test_a_timeline_that_runs_past_the_dates_the_library_handles_is_refused() -> None:
    year = 525_600
    levels = [EscalationRule(year, [Target.schedule(SCHEDULE)]) for _ in range(1000)]
    policy = EscalationPolicy("Slow", levels, num_loops=9)
    at = dt.datetime(8999, 6, 1, tzinfo=UTC)
    with pytest.raises(ValidationError, match=r"EscalationPolicy 'Slow'.*past the year"):
        escalation_timeline(policy, at)


def test_check_copes_with_the_longest_delays() -> None:
    levels = [EscalationRule(525_600, [Target.schedule(SCHEDULE)]) for _ in range(3)]
    plan = OnCallPlan([SCHEDULE], [EscalationPolicy("Slow", levels, num_loops=9)])
    assert isinstance(check(plan, START, START + dt.timedelta(days=7)), tuple)


def test_a_huge_number_of_cycles_gives_the_truncated_horizon() -> None:
    report = fairness_report(PLAN, cycles=10**22)
    assert report.horizon.kind == "truncated-cycle"


@pytest.mark.parametrize("value", [10**22, 10**400, 1e300], ids=["1e22", "1e400", "1e300 float"])
@pytest.mark.parametrize(("code", "name"), [("OCP201", "min_gap_minutes"), ("OCP101", "warn_days")])
def test_a_huge_threshold_is_refused(code: str, name: str, value: float) -> None:
    config = CheckConfig(thresholds={code: {name: value}})
    with pytest.raises(ValidationError, match=rf"thresholds\['{code}'\]\['{name}'\] must be"):
        check(PLAN, START, START + dt.timedelta(days=7), config=config)


@pytest.mark.parametrize(
    "value", [10**400, float("inf"), float("nan"), 1e300], ids=["1e400", "inf", "nan", "1e300"]
)
def test_weights_and_rates_must_be_finite_and_sane(value: float) -> None:
    with pytest.raises(ValidationError, match="night must be a number"):
        Weights(night=value)
    with pytest.raises(ValidationError, match="per_hour must be a number"):
        PayRates(per_hour=value)


def test_audit_refuses_an_endless_number_of_examples() -> None:
    with pytest.raises(ValidationError, match=r"max_examples must be .* at most"):
        audit(PLAN, max_examples=10**22)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "incidents.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_5000_digit_number_in_page_history_is_an_input_error(tmp_path: Path) -> None:
    path = _write(tmp_path, '[{"created_at": "2025-01-01T00:00:00Z", "id": ' + "9" * 5000 + "}]")
    with pytest.raises(InputReadError, match=r"incidents.json: not valid JSON: .*digits"):
        load_pages(path)


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_deeply_nested_page_history_is_an_input_error(tmp_path: Path, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    path = _write(tmp_path, opening * 100_000 + "1" + closing * 100_000)
    with pytest.raises(InputReadError, match="nested too deeply"):
        load_pages(path)


HOSTILE_JSON = {
    "nested": "[" * 100_000 + "]" * 100_000,
    "5000 digits": '[{"created_at": "2025-01-01T00:00:00Z", "id": ' + "9" * 5000 + "}]",
    # An object is first asked whether it is a plan file (pull -o): the same must hold there.
    "nested object": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "5000 digits in an object": '{"incidents": [{"id": ' + "9" * 5000 + "}]}",
}


@pytest.mark.parametrize("text", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_check_exits_2_with_one_line_on_hostile_page_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    pages = _write(tmp_path, text)
    code = main(["check", SEED, "-q", "--since", "2025-03-03", "--pages", str(pages)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("oncall-planner check: error: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    "value", ["[" * 100_000 + "]" * 100_000, "9" * 5000], ids=["nested", "5000 digits"]
)
def test_a_hostile_var_value_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    # The importer reads --var values as Terraform does (as an HCL expression for a list).
    seed = Path(SEED).read_text(encoding="utf-8")
    (tmp_path / "main.tf").write_text(
        seed + '\nvariable "x" {\n  type = any\n}\n', encoding="utf-8"
    )
    code = main(["render", str(tmp_path), "-q", "--since", "2025-03-03", "--var", f"x={value}"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("oncall-planner render: error: ") and err.count("\n") == 1


@pytest.mark.parametrize("text", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_render_exits_2_with_one_line_on_a_hostile_json_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(text, encoding="utf-8")
    code = main(["render", str(plan), "-q", "--since", "2025-03-03"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("oncall-planner render: error: ") and err.count("\n") == 1
