"""The CDK Terrain path: the real `cdktn synth` of examples/cdktn agrees with the native emitter,
and both pass the provider's schedulev2 rules."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _pagerduty_schema import check_document

from oncall_planner import (
    EMPTY_MEMBER,
    EscalationPolicy,
    EscalationRule,
    EveryMember,
    Layer,
    OnCallPlan,
    OnCallPlannerError,
    RotatingMembers,
    Rotation,
    Schedule,
    ShiftEvent,
    ShiftSchedule,
    Target,
    Team,
    User,
    ValidationError,
    to_terraform_json,
)
from oncall_planner.emit.cdktn_synth import run_cdktn_synth

REPO = Path(__file__).resolve().parents[1]
CLI = REPO / "node_modules" / ".bin" / "cdktn"
sys.path.insert(0, str(REPO / "examples"))

from seed_plan import build_migrated_plan  # noqa: E402

UTC = dt.timezone.utc


def without_metadata(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_metadata(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [without_metadata(v) for v in value]
    return value


@pytest.fixture(scope="module")
def synthesised(tmp_path_factory) -> dict[str, Any]:
    """examples/cdktn synthesised by the real cdktn CLI (installed by `make test`)."""
    assert CLI.is_file(), f"{CLI} is missing: run `make test` (it installs cdktn-cli from npm)"
    out = run_cdktn_synth(
        REPO / "examples" / "cdktn", cli=CLI, output=tmp_path_factory.mktemp("out")
    )
    return json.loads((out / "stacks" / "seed" / "cdk.tf.json").read_text(encoding="utf-8"))


def test_cdktn_synth_schedulev2_resources_equal_the_native_emitter(synthesised):
    native = to_terraform_json(build_migrated_plan())
    synthesised_v2 = without_metadata(synthesised["resource"]["pagerduty_schedulev2"])
    assert synthesised_v2 == native["resource"]["pagerduty_schedulev2"]
    assert synthesised_v2["checkout_team_on_call"]["rotation"]  # not vacuously equal


def test_cdktn_synth_every_resource_and_data_source_equals_the_native_emitter(synthesised):
    native = to_terraform_json(build_migrated_plan())
    assert without_metadata(synthesised["resource"]) == native["resource"]
    assert without_metadata(synthesised["data"]) == native["data"]


def test_cdktn_synth_and_native_output_pass_the_schedulev2_rules(synthesised):
    assert check_document(without_metadata(synthesised)) == []
    assert check_document(to_terraform_json(build_migrated_plan())) == []


def test_cdktn_synth_pins_the_provider_of_the_prebuilt_bindings(synthesised):
    assert synthesised["terraform"]["required_providers"]["pagerduty"] == {
        "source": "PagerDuty/pagerduty",
        "version": "3.36.0",
    }


def test_the_construct_writes_every_schedulev2_form_as_the_native_emitter(tmp_path):
    """Every member type, both strategies, teams, Etc/UTC's lifecycle, a layer-based schedule
    beside it and users as resources: block for block what to_terraform_json writes."""
    from cdktn import App, TerraformStack
    from cdktn_provider_pagerduty.provider import PagerdutyProvider

    from oncall_planner.cdktn import PagerDutyOnCall

    ann, ben = User("Ann", "Ann@Example.com", "Etc/UTC"), User("Ben", "ben@example.com")
    team = Team("Ops", [ann, ben])
    start = dt.datetime(2026, 6, 1, 9, tzinfo=UTC)
    rotating = ShiftEvent(
        "Days",
        start,
        start + dt.timedelta(hours=8),
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        RotatingMembers([ann, EMPTY_MEMBER, ben], shifts_per_member=5),
        effective_until=start + dt.timedelta(weeks=10),
    )
    everyone = ShiftEvent(
        "Weekend",
        start,
        start + dt.timedelta(hours=12),
        "RRULE:FREQ=DAILY",
        EveryMember([ann, ben]),
    )
    shifts = ShiftSchedule(
        "Ops", "Etc/UTC", [Rotation([rotating]), Rotation([everyone])], teams=[team]
    )
    old = Schedule("Old", "Etc/UTC", [Layer("L", [ann], start, dt.timedelta(weeks=1))])
    policy = EscalationPolicy(
        "Ops", [EscalationRule(5, [Target.schedule(shifts), Target.schedule(old)])], team=team
    )
    plan = OnCallPlan(escalation_policies=[policy])

    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "ops")
    PagerdutyProvider(stack, "pagerduty")
    PagerDutyOnCall(stack, "oncall", plan, users="resource")
    app.synth()
    synthesised = json.loads((tmp_path / "stacks" / "ops" / "cdk.tf.json").read_text())

    native = to_terraform_json(plan, users="resource")
    assert without_metadata(synthesised["resource"]) == native["resource"]
    assert synthesised["resource"]["pagerduty_schedulev2"]["ops"]["lifecycle"] == {
        "ignore_changes": ["time_zone"]
    }
    assert check_document(without_metadata(synthesised)) == []


def test_the_cdktf_construct_refuses_a_shift_schedule_in_words(tmp_path):
    from cdktf import App, TerraformStack

    from oncall_planner.cdktf import PagerDutyOnCall

    start = dt.datetime(2026, 6, 1, 9, tzinfo=UTC)
    event = ShiftEvent(
        "Days",
        start,
        start + dt.timedelta(hours=8),
        "RRULE:FREQ=DAILY",
        RotatingMembers([User("Ann", "ann@example.com")]),
    )
    plan = OnCallPlan(shift_schedules=[ShiftSchedule("Ops", "Etc/UTC", [Rotation([event])])])
    stack = TerraformStack(App(outdir=str(tmp_path)), "ops")
    with pytest.raises(ValidationError, match=r"use oncall_planner\.cdktn\.PagerDutyOnCall"):
        PagerDutyOnCall(stack, "oncall", plan)


def test_synth_without_the_cdktn_cli_says_how_to_install_it(tmp_path):
    with pytest.raises(OnCallPlannerError, match=r"npm install cdktn-cli@0\.24\.0"):
        run_cdktn_synth(tmp_path, cli=tmp_path / "no-such-cdktn")


def test_construct_module_without_the_cdktn_extra_says_what_to_install():
    code = (
        "import sys; sys.modules['cdktn_provider_pagerduty'] = None\n"
        "try:\n    import oncall_planner.cdktn\nexcept ImportError as e:\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'oncall-planner[cdktn]'" in done.stdout


def test_importing_the_library_loads_neither_cdk():
    code = (
        "import sys, oncall_planner, oncall_planner.migration, oncall_planner.emit\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('cdktf', 'cdktn', 'jsii', 'constructs', 'cdktn_provider_pagerduty')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_both_cdks_load_in_one_process_on_one_jsii_runtime():
    # The reason they share .venv (docs/terraform.md): constructs 10.7 suits both, jsii is one.
    code = (
        "import oncall_planner.cdktf, oncall_planner.cdktn, importlib.metadata as m\n"
        "print(m.version('constructs'), m.version('cdktf'), m.version('cdktn'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    constructs, cdktf, cdktn = done.stdout.split()
    assert (
        constructs.startswith("10.7.") and cdktf.startswith("0.21.") and cdktn.startswith("0.24.")
    )


def test_the_example_app_synthesises_by_itself_quietly(tmp_path):
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "cdktn" / "main.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    noise = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if "!!" in line or "b'" in line or "[ERROR]" in line
    ]
    assert noise == []
    assert (tmp_path / "cdktf.out" / "stacks" / "seed" / "cdk.tf.json").is_file()
