"""The CDKTF path: the real `cdktf synth` agrees with the native emitter, resource for resource."""

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
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    OnCallPlannerError,
    Restriction,
    Schedule,
    Target,
    Team,
    User,
    to_terraform_json,
)
from oncall_planner.emit.cdktf_synth import cdktf_environment, run_cdktf_synth

REPO = Path(__file__).resolve().parents[1]
CLI = REPO / "node_modules" / ".bin" / "cdktf"
sys.path.insert(0, str(REPO / "examples"))

from checkout_plan import build_checkout_plan  # noqa: E402

UTC = dt.timezone.utc


def without_metadata(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_metadata(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [without_metadata(v) for v in value]
    return value


@pytest.fixture(scope="module")
def synthesised(tmp_path_factory) -> dict[str, Any]:
    """examples/cdktf synthesised by the real cdktf CLI (installed by `make test`)."""
    assert CLI.is_file(), f"{CLI} is missing: run `make test` (it installs cdktf-cli from npm)"
    out = run_cdktf_synth(
        REPO / "examples" / "cdktf", cli=CLI, output=tmp_path_factory.mktemp("out")
    )
    return json.loads((out / "stacks" / "checkout" / "cdk.tf.json").read_text(encoding="utf-8"))


def test_cdktf_synth_resources_equal_the_native_emitter(synthesised):
    native = to_terraform_json(build_checkout_plan())
    assert without_metadata(synthesised["resource"]) == native["resource"]


def test_cdktf_synth_data_sources_equal_the_native_emitter(synthesised):
    native = to_terraform_json(build_checkout_plan())
    assert without_metadata(synthesised["data"]) == native["data"]


def test_cdktf_synth_output_passes_the_schema_checker(synthesised):
    assert check_document(without_metadata(synthesised)) == []


def test_cdktf_synth_pins_the_provider_of_the_prebuilt_bindings(synthesised):
    assert synthesised["terraform"]["required_providers"]["pagerduty"] == {
        "source": "PagerDuty/pagerduty",
        "version": "3.30.8",
    }


def test_construct_in_a_stack_matches_native_for_users_as_resources(tmp_path):
    from cdktf import App, TerraformStack
    from cdktf_cdktf_provider_pagerduty.provider import PagerdutyProvider

    from oncall_planner.cdktf import PagerDutyOnCall

    alice = User("Alice", "Alice@Example.com", "Europe/Berlin")
    bob = User("Bob", "bob@example.com")
    team = Team("Night Owls", [alice, bob])
    start = dt.datetime(2025, 2, 3, 8, tzinfo=UTC)
    nights = Layer(
        "Nights",
        [alice, bob],
        start,
        dt.timedelta(days=1),
        restrictions=[Restriction.daily("20:00", dt.timedelta(hours=12))],
    )
    weekends = Layer(
        "Weekends",
        [bob],
        start,
        dt.timedelta(weeks=1),
        restrictions=[Restriction.weekly(6, "00:00", dt.timedelta(days=2))],
        end=start + dt.timedelta(weeks=8),
    )
    schedule = Schedule("Nights", "Europe/Berlin", [nights, weekends], teams=[team])
    policy = EscalationPolicy(
        "Nights",
        [EscalationRule(5, [Target.schedule(schedule), Target.user(bob)], round_robin=True)],
        num_loops=1,
        team=team,
        description="Night pager",
    )
    plan = OnCallPlan(escalation_policies=[policy])

    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "nights")
    PagerdutyProvider(stack, "pagerduty")
    PagerDutyOnCall(stack, "oncall", plan, users="resource")
    app.synth()
    synthesised = json.loads((tmp_path / "stacks" / "nights" / "cdk.tf.json").read_text())

    native = to_terraform_json(plan, users="resource")
    assert without_metadata(synthesised["resource"]) == native["resource"]
    assert "data" not in synthesised


def test_environment_silences_only_the_node_20_end_of_life_banner():
    env = cdktf_environment({"PATH": "/usr/bin"})
    assert env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] == "20"
    assert env["CHECKPOINT_DISABLE"] == "1"
    assert env["CI"] == "true"


def test_environment_puts_this_python_first_on_path():
    env = cdktf_environment({"PATH": "/usr/bin"})
    assert env["PATH"].split(":")[0] == str(Path(sys.executable).parent)


def test_environment_drops_a_terraform_cli_config_that_does_not_exist(tmp_path):
    env = cdktf_environment({"PATH": "", "TF_CLI_CONFIG_FILE": str(tmp_path / "missing.tfrc")})
    assert "TF_CLI_CONFIG_FILE" not in env


def test_environment_keeps_a_terraform_cli_config_that_exists(tmp_path):
    config = tmp_path / "real.tfrc"
    config.write_text("")
    env = cdktf_environment({"PATH": "", "TF_CLI_CONFIG_FILE": str(config)})
    assert env["TF_CLI_CONFIG_FILE"] == str(config)


def test_synth_without_the_cli_says_how_to_install_it(tmp_path):
    with pytest.raises(OnCallPlannerError, match=r"npm install cdktf-cli@0\.21\.0"):
        run_cdktf_synth(tmp_path, cli=tmp_path / "no-such-cdktf")


def test_synth_failure_reports_what_the_app_printed(tmp_path):
    assert CLI.is_file(), f"{CLI} is missing: run `make test`"
    (tmp_path / "cdktf.json").write_text(
        json.dumps({"language": "python", "app": "python3 main.py"})
    )
    (tmp_path / "main.py").write_text("raise SystemExit('no stack here: deliberate failure')\n")
    with pytest.raises(OnCallPlannerError, match="deliberate failure"):
        run_cdktf_synth(tmp_path, cli=CLI)


def test_construct_module_without_the_cdktf_extra_says_what_to_install():
    code = (
        "import sys; sys.modules['cdktf_cdktf_provider_pagerduty'] = None\n"
        "try:\n    import oncall_planner.cdktf\nexcept ImportError as e:\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'oncall-planner[cdktf]'" in done.stdout


def test_construct_leaves_out_layers_that_ended_before_now(tmp_path):
    from cdktf import App, TerraformStack
    from cdktf_cdktf_provider_pagerduty.provider import PagerdutyProvider

    from oncall_planner import TerraformEmitWarning
    from oncall_planner.cdktf import PagerDutyOnCall

    alice = User("Alice", "alice@example.com")
    start = dt.datetime(2025, 1, 6, tzinfo=UTC)
    old = Layer("Old", [alice], start, dt.timedelta(weeks=1), end=start + dt.timedelta(weeks=4))
    new = Layer("New", [alice], start + dt.timedelta(weeks=4), dt.timedelta(weeks=1))
    plan = OnCallPlan(schedules=[Schedule("Ops", "Etc/UTC", [old, new])])
    now = dt.datetime(2025, 3, 1, tzinfo=UTC)

    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "ops")
    PagerdutyProvider(stack, "pagerduty")
    with pytest.warns(TerraformEmitWarning, match="layer 'Old' ended"):
        PagerDutyOnCall(stack, "oncall", plan, now=now)
    app.synth()
    synthesised = json.loads((tmp_path / "stacks" / "ops" / "cdk.tf.json").read_text())

    layers = synthesised["resource"]["pagerduty_schedule"]["ops"]["layer"]
    assert [layer["name"] for layer in layers] == ["New"]
    with pytest.warns(TerraformEmitWarning):
        native = to_terraform_json(plan, now=now)
    assert without_metadata(synthesised["resource"]) == native["resource"]


# --- Node.js 22 from npm, and quiet outside make ------------------------------------------------

NODE_BIN = REPO / "node_modules" / ".bin"


def _outside_make(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment as a user's shell has it outside make: the system's Node.js 20 first on
    PATH, none of jsii's switches, telemetry on, no CI."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
    } | extra


def _noise(text: str) -> list[str]:
    """Lines of jsii's banner (written as byte-string reprs) and of the CLI's logged errors."""
    return [line for line in text.splitlines() if "!!" in line or "b'" in line or "[ERROR]" in line]


def test_package_json_pins_a_node_22_that_cdk_terrain_can_use_too():
    pins = json.loads((REPO / "package.json").read_text())["devDependencies"]
    major, minor, _ = (int(p) for p in pins["node"].split("."))
    assert (major, minor) >= (22, 19)
    lock = json.loads((REPO / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/node"]["version"] == pins["node"]


def test_npm_ci_installs_the_pinned_node_into_node_modules():
    from oncall_planner.emit.node import node_bin_dir, pinned_node_version

    assert node_bin_dir(REPO / "examples" / "cdktf") == NODE_BIN
    done = subprocess.run([str(NODE_BIN / "node"), "--version"], capture_output=True, text=True)
    version = tuple(int(p) for p in done.stdout.strip().lstrip("v").split("."))
    assert version == pinned_node_version(NODE_BIN) and version[:2] >= (22, 19)


def test_environment_runs_the_cli_and_jsii_on_the_pinned_node():
    env = cdktf_environment({"PATH": "/usr/bin"}, bin_dir=NODE_BIN)
    assert env["PATH"].split(":")[:2] == [str(Path(sys.executable).parent), str(NODE_BIN)]
    assert env["JSII_NODE"] == str(NODE_BIN / "node")


def test_the_construct_is_quiet_outside_make(tmp_path):
    script = (
        "import oncall_planner.cdktf, os\n"
        "from cdktf import App, TerraformStack\n"
        "from cdktf_cdktf_provider_pagerduty.provider import PagerdutyProvider\n"
        "from oncall_planner import OnCallPlan, Team, User\n"
        "app = App(outdir=os.environ['OUT'])\n"
        "stack = TerraformStack(app, 'team')\n"
        "PagerdutyProvider(stack, 'pagerduty')\n"
        "plan = OnCallPlan(teams=[Team('Checkout', [User('Alice', 'alice@example.com')])])\n"
        "oncall_planner.cdktf.PagerDutyOnCall(stack, 'oncall', plan)\n"
        "app.synth()\n"
        "print(os.environ['JSII_NODE'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=_outside_make(tmp_path, OUT=str(tmp_path / "out")),
        capture_output=True,
        text=True,
        check=True,
    )
    assert _noise(done.stdout + done.stderr) == []
    assert done.stdout.strip() == str(NODE_BIN / "node")
    assert (tmp_path / "out" / "stacks" / "team" / "cdk.tf.json").is_file()


def test_cdktf_synth_of_the_example_is_quiet_outside_make(tmp_path):
    # The CLI reads its telemetry switch from the environment only: CHECKPOINT_DISABLE is what
    # docs/terraform.md tells users to set. The app it runs (main.py) is quiet by itself.
    env = _outside_make(tmp_path, CHECKPOINT_DISABLE="1", CI="true")
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    done = subprocess.run(
        [str(CLI), "synth", "--output", str(tmp_path / "out")],
        cwd=REPO / "examples" / "cdktf",
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=True,
    )
    assert _noise(done.stdout + done.stderr) == []
    assert (tmp_path / "out" / "stacks" / "checkout" / "cdk.tf.json").is_file()


def test_the_example_app_synthesises_by_itself_quietly(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "cdktf" / "main.py")],
        cwd=tmp_path,
        env=_outside_make(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    assert _noise(done.stdout + done.stderr) == []
    assert (tmp_path / "cdktf.out" / "stacks" / "checkout" / "cdk.tf.json").is_file()
