"""The importer under hostile input: nothing read outside the folder, nothing echoed at length,
the documented error (one line, exit 2) in bounded time and memory (issue 10).

Blow-ups run in a child process with a cap on CPU time and memory, so a regression fails the
test instead of hanging the suite or eating the machine; the caps are generous (tens of times
what the importer needs) and are bounds, not speed measurements (those are in benchmarks/).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from oncall_planner import InputReadError
from oncall_planner.cli import main
from oncall_planner.ingest import import_terraform

SECRET = "PAGERDUTY_TOKEN=hunter2-very-secret"
USER = 'resource "pagerduty_user" "u" {\n  name  = "U"\n  email = "u@example.com"\n}\n'


def schedule(turn: str = "86400", duration: str = "3600") -> str:
    return textwrap.dedent(
        f"""
        resource "pagerduty_schedule" "s" {{
          name      = "S"
          time_zone = "Etc/UTC"
          layer {{
            start                        = "2025-01-06T09:00:00Z"
            rotation_virtual_start       = "2025-01-06T09:00:00Z"
            rotation_turn_length_seconds = {turn}
            users                        = [pagerduty_user.u.id]
            restriction {{
              type              = "daily_restriction"
              start_time_of_day = "09:00:00"
              duration_seconds  = {duration}
            }}
          }}
        }}
        """
    )


def policy(delay: str) -> str:
    return textwrap.dedent(
        f"""
        resource "pagerduty_escalation_policy" "p" {{
          name = "P"
          rule {{
            escalation_delay_in_minutes = {delay}
            target {{
              id = pagerduty_user.u.id
            }}
          }}
        }}
        """
    )


def folder(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "config"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    (tmp_path / "secret.env").write_text(SECRET + "\n", encoding="utf-8")
    return root


def bounded(
    code: str, cpu_seconds: int = 30, memory_mib: int = 1500
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child Python with CPU-time and address-space caps."""
    prelude = (
        "import resource\n"
        f"resource.setrlimit(resource.RLIMIT_CPU, ({cpu_seconds}, {cpu_seconds}))\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({memory_mib << 20}, {memory_mib << 20}))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        capture_output=True,
        text=True,
        check=False,
        timeout=cpu_seconds * 4,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def check_cli(path: Path, cpu_seconds: int = 30) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        "from oncall_planner.cli import main\n"
        f"sys.exit(main(['check', {str(path)!r}, '--since', '2025-01-06', '--days', '7', '-q']))\n"
    )
    return bounded(code, cpu_seconds)


# --- nothing read outside the folder, nothing echoed -----------------------------------------


def test_a_tf_symlink_out_of_the_folder_is_not_read(tmp_path: Path) -> None:
    root = folder(tmp_path, {"main.tf": USER + schedule()})
    (root / "env.tf").symlink_to(tmp_path / "secret.env")
    result = import_terraform(root)
    assert [s.name for s in result.plan.schedules] == ["S"]
    (note,) = [n for n in result.notes if n.code == "OCP604"]
    assert note.location.file == str(root / "env.tf")
    assert "symbolic link that leads outside the folder" in note.message
    assert "hunter2" not in result.report()


def test_a_symlink_to_proc_environ_is_not_read(tmp_path: Path) -> None:
    root = folder(tmp_path, {"main.tf": USER + schedule()})
    (root / "env.tf").symlink_to("/proc/self/environ")
    result = import_terraform(root)
    assert any(n.code == "OCP604" for n in result.notes)
    assert "PATH=" not in result.report()


def test_a_tfvars_symlink_out_of_the_folder_is_refused_without_its_content(
    tmp_path: Path,
) -> None:
    root = folder(tmp_path, {"main.tf": USER + schedule()})
    (root / "terraform.tfvars").symlink_to(tmp_path / "secret.env")
    with pytest.raises(InputReadError) as info:
        import_terraform(root)
    assert "leads outside the folder" in str(info.value)
    assert "hunter2" not in str(info.value)


def repository_with_a_module_above(tmp_path: Path) -> Path:
    """A git work tree whose ``live/`` folder calls ``../modules/team``; the module's file would
    refuse the whole import if it were read (it mentions PagerDuty and does not parse)."""
    (tmp_path / ".git").mkdir()
    module = tmp_path / "modules" / "team"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(
        USER + 'resource "pagerduty_team" "t" {\n  name = \n', encoding="utf-8"
    )
    live = tmp_path / "live"
    live.mkdir()
    (live / "main.tf").write_text(
        USER + schedule() + 'module "team" {\n  source = "../modules/team"\n}\n',
        encoding="utf-8",
    )
    return live


def test_a_module_source_above_the_folder_named_is_not_read(tmp_path: Path) -> None:
    live = repository_with_a_module_above(tmp_path)
    result = import_terraform(live)  # the module would refuse the import if it were read
    assert [s.name for s in result.plan.schedules] == ["S"]
    (note,) = [n for n in result.notes if n.code == "OCP603"]
    assert note.subject == "module.team"
    assert str(note.location) == f"{live / 'main.tf'}:21"
    assert "leads outside the folder the import was given" in note.message
    assert note.hint is not None and f"--root {tmp_path} " in note.hint


def test_a_module_source_above_the_named_file_is_not_read(tmp_path: Path) -> None:
    live = repository_with_a_module_above(tmp_path)
    result = import_terraform(live / "main.tf")
    assert [n.subject for n in result.notes if n.code == "OCP603"] == ["module.team"]


def test_root_widens_where_module_sources_may_lead(tmp_path: Path) -> None:
    live = repository_with_a_module_above(tmp_path)
    with pytest.raises(InputReadError) as info:
        import_terraform(live, root=tmp_path)
    assert "modules/team/main.tf:6" in str(info.value)  # now it is read


def test_a_root_that_does_not_hold_the_input_is_refused(tmp_path: Path) -> None:
    live = repository_with_a_module_above(tmp_path)
    with pytest.raises(InputReadError) as info:
        import_terraform(live, root=tmp_path / "modules")
    assert "outside the root folder" in str(info.value)


def test_the_cli_names_the_root_to_pass_and_reads_the_module_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repository_with_a_module_above(tmp_path)
    monkeypatch.chdir(tmp_path)
    args = ["check", "live", "--since", "2025-01-06", "--days", "7"]
    main(args)
    out, err = capsys.readouterr()
    assert "OCP603 module-not-read: Terraform module.team" in out
    assert "hint: pass --root . (root= in Python) to read it" in out
    assert "pass --root ." in err.splitlines()[0]
    assert main([*args, "--root", "."]) == 2
    assert "modules/team/main.tf:6" in capsys.readouterr().err


def test_a_symlink_inside_the_folder_is_read(tmp_path: Path) -> None:
    root = folder(tmp_path, {"users.tf.txt": USER, "main.tf": schedule()})
    (root / "users.tf").symlink_to(root / "users.tf.txt")
    assert [u.email for u in import_terraform(root).plan.users] == ["u@example.com"]


def test_a_syntax_error_quotes_only_a_short_escaped_excerpt(tmp_path: Path) -> None:
    line = 'name = "' + "\x1b[31m" + "x" * 500 + " = = ="
    root = folder(
        tmp_path, {"main.tf": USER + 'resource "pagerduty_team" "t" {\n' + line + "\n}\n"}
    )
    with pytest.raises(InputReadError) as info:
        import_terraform(root)
    message = str(info.value)
    assert "\x1b" not in message
    assert "x" * 61 not in message
    assert len(message.splitlines()) == 1


# --- huge numbers and deep nesting: the documented error ---------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (USER + schedule(turn="1e30"), "rotation_turn_length_seconds must be between 3,600 and"),
        (USER + schedule(duration="1e30"), "duration_seconds must be between 1 and 604,799"),
        (USER + policy("10000000000000000000000"), "escalation_delay_in_minutes must be between"),
        (USER + policy("1e22"), "escalation_delay_in_minutes must be between"),
    ],
    ids=["turn 1e30", "duration 1e30", "delay 10^22", "delay 1e22"],
)
def test_huge_numbers_are_refused_naming_the_argument(
    tmp_path: Path, text: str, expected: str
) -> None:
    root = folder(tmp_path, {"main.tf": text})
    with pytest.raises(InputReadError, match=expected):
        import_terraform(root)


def test_a_5000_digit_json_number_is_refused(tmp_path: Path) -> None:
    doc = (
        '{"resource": {"pagerduty_user": {"u": {"name": "U", "email": "u@example.com", "x": %s}}}}'
    )
    root = folder(tmp_path, {"main.tf.json": doc % ("9" * 5000)})
    with pytest.raises(InputReadError, match="more than 400 digits"):
        import_terraform(root)


DIGITS_INDEX = 'resource "pagerduty_team" "t" {\n  name = pagerduty_user.u.' + "9" * 5000 + "\n}\n"


def test_a_5000_digit_index_in_a_reference_is_refused(tmp_path: Path) -> None:
    root = folder(tmp_path, {"main.tf": USER + DIGITS_INDEX})
    with pytest.raises(InputReadError) as info:
        import_terraform(root)
    message = str(info.value)
    assert "main.tf:6" in message and "a number with 5000 digits" in message
    assert len(message) < 300 and len(message.splitlines()) == 1


def test_a_5000_digit_index_in_a_tf_json_reference_is_refused(tmp_path: Path) -> None:
    doc = {
        "resource": {
            "pagerduty_user": {"u": {"name": "U", "email": "u@example.com"}},
            "pagerduty_team": {"t": {"name": "${pagerduty_user.u.%s}" % ("9" * 5000)}},
        }
    }
    root = folder(tmp_path, {"main.tf.json": json.dumps(doc, indent=1)})
    with pytest.raises(InputReadError) as info:
        import_terraform(root)
    message = str(info.value)
    assert "a number with 5000 digits" in message
    assert len(message) < 300 and len(message.splitlines()) == 1


LONG_NAME = "x" * 5000
LONG_SOURCE = 'module "m" {\n  source = "./' + LONG_NAME + '"\n}\n'
LONG_FILEEXISTS = (
    'resource "pagerduty_user" "u" {\n'
    f'  name  = fileexists("{LONG_NAME}") ? "A" : "B"\n'
    '  email = "u@example.com"\n}\n'
)


def test_a_5000_character_module_source_is_refused_cut_short(tmp_path: Path) -> None:
    root = folder(tmp_path, {"main.tf": USER + LONG_SOURCE})
    with pytest.raises(InputReadError) as info:
        import_terraform(root)
    message = str(info.value)
    assert "main.tf:6" in message and "module.m" in message
    assert "File name too long" in message and "5,002 characters" in message
    assert len(message) < 300 and len(message.splitlines()) == 1


def test_a_5000_character_file_path_is_refused_cut_short(tmp_path: Path) -> None:
    user = f'resource "pagerduty_user" "u" {{\n  name  = file("{LONG_NAME}")\n'
    root = folder(tmp_path, {"main.tf": user + '  email = "u@example.com"\n}\n'})
    with pytest.raises(InputReadError) as info:
        import_terraform(root)
    message = str(info.value)
    assert "main.tf:2" in message and "File name too long" in message
    assert "5,000 characters" in message
    assert len(message) < 300 and len(message.splitlines()) == 1


@pytest.mark.parametrize(
    "text",
    [
        USER + DIGITS_INDEX,
        USER + LONG_SOURCE,
        LONG_FILEEXISTS,
    ],
    ids=["digits", "module source", "fileexists"],
)
def test_the_cli_refuses_hostile_lengths_in_one_line_with_exit_2(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(tmp_path, {"main.tf": text})
    code = main(["check", str(root), "--since", "2025-01-06", "--days", "7", "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and len(err) < 400, err[:400]


def test_deeply_nested_tf_json_is_refused(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    root = folder(tmp_path, {"main.tf.json": f'{{"locals": {{"pagerduty": {deep}}}}}'})
    with pytest.raises(InputReadError, match="nested more than"):
        import_terraform(root)


def test_deeply_nested_hcl_is_refused(tmp_path: Path) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    root = folder(tmp_path, {"main.tf": USER + f"locals {{\n  pagerduty = {deep}\n}}\n"})
    with pytest.raises(InputReadError, match="nested more than"):
        import_terraform(root)


def test_a_deeply_nested_var_is_exit_2_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(
        tmp_path,
        {"main.tf": USER + schedule() + 'variable "x" {\n  type = any\n}\n'},
    )
    deep = "[" * 100_000 + "]" * 100_000
    code = main(["check", str(root), "--since", "2025-01-06", "--days", "7", "--var", f"x={deep}"])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_deeply_nested_python_variables_are_refused(tmp_path: Path) -> None:
    root = folder(tmp_path, {"main.tf": USER + 'variable "x" {}\n'})
    value: list[object] = []
    for _ in range(5000):
        value = [value]
    with pytest.raises(InputReadError, match="nested too deeply"):
        import_terraform(root, variables={"x": value})


# --- blow-ups: bounded time and memory ---------------------------------------------------------


def test_a_string_doubled_forty_times_is_refused_within_bounds(tmp_path: Path) -> None:
    lines = ['  s0 = "ab"'] + [
        f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"' for i in range(1, 41)
    ]
    text = "locals {\n" + "\n".join(lines) + "\n}\n"
    text += 'resource "pagerduty_user" "u" {\n  name  = local.s40\n  email = "u@example.com"\n}\n'
    root = folder(tmp_path, {"main.tf": text})
    done = check_cli(root)
    assert done.returncode == 2, done.stderr[-500:]
    assert "beyond what the importer builds" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_chain_of_references_is_evaluated_once_per_value(tmp_path: Path) -> None:
    # Each team reads the one before twice; evaluating each value once keeps this linear.
    parts = ['resource "pagerduty_team" "t0" {\n  name = "T"\n  description = "d"\n}\n']
    for i in range(1, 61):
        prev = f"pagerduty_team.t{i - 1}.description"
        parts.append(
            f'resource "pagerduty_team" "t{i}" {{\n  name = "T{i}"\n'
            f'  description = {prev} == {prev} ? {prev} : "x"\n}}\n'
        )
    root = folder(tmp_path, {"main.tf": "".join(parts) + USER + policy("5")})
    done = check_cli(root)
    assert done.returncode == 0, done.stderr[-500:]


def test_a_chain_of_templates_between_resources_is_evaluated_once_per_value(
    tmp_path: Path,
) -> None:
    # Each description joins the one before twice: 2**40 evaluations without memoising.
    parts = ['resource "pagerduty_team" "t0" {\n  name = "T"\n  description = ""\n}\n']
    for i in range(1, 41):
        prev = f"${{pagerduty_team.t{i - 1}.description}}"
        parts.append(
            f'resource "pagerduty_team" "t{i}" {{\n  name = "T{i}"\n'
            f'  description = "{prev}{prev}"\n}}\n'
        )
    root = folder(tmp_path, {"main.tf": "".join(parts) + USER + policy("5")})
    done = check_cli(root)
    assert done.returncode == 0, done.stderr[-500:]


def test_twenty_thousand_users_are_deduplicated_in_linear_time(tmp_path: Path) -> None:
    users = "".join(
        f'resource "pagerduty_user" "u{i}" {{\n  name = "U{i}"\n  email = "u{i}@example.com"\n}}\n'
        for i in range(20_000)
    )
    root = folder(tmp_path, {"main.tf": users})
    code = (
        "from oncall_planner.ingest import import_terraform\n"
        f"print(len(import_terraform({str(root)!r}).plan.users))\n"
    )
    done = bounded(code, cpu_seconds=12)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "20000"


def test_tf_json_import_is_not_quadratic(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        from emit_bench import build_plan
    finally:
        sys.path.pop(0)
    from oncall_planner.emit.terraform_json import dumps, to_terraform_json

    path = tmp_path / "big.tf.json"
    path.write_text(dumps(to_terraform_json(build_plan(3000))), encoding="utf-8")
    code = (
        "from oncall_planner.ingest import import_terraform\n"
        f"print(len(import_terraform({str(path)!r}).plan.schedules))\n"
    )
    done = bounded(code, cpu_seconds=40, memory_mib=3000)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "6000"


# --- duplicates: refused as Terraform refuses them, named by file:line ---------------------------


def test_duplicate_keys_in_tf_json_are_refused_with_line_and_key(tmp_path: Path) -> None:
    text = (
        '{\n "resource": {\n  "pagerduty_user": {\n'
        '   "u": {"name": "U", "email": "u@example.com"},\n'
        '   "u": {"name": "V", "email": "v@example.com"}\n  }\n }\n}\n'
    )
    root = folder(tmp_path, {"main.tf.json": text})
    with pytest.raises(InputReadError) as info:
        import_terraform(root)
    assert str(info.value) == (
        f"{root / 'main.tf.json'}:5: duplicate key 'u' in one object (first on line 4); "
        "Terraform refuses this"
    )


def test_duplicate_names_name_both_definitions_by_file_and_line(tmp_path: Path) -> None:
    layers = "".join(
        '  layer {\n    start = "2025-01-06T09:00:00Z"\n    rotation_virtual_start = '
        '"2025-01-06T09:00:00Z"\n    rotation_turn_length_seconds = %s\n'
        "    users = [pagerduty_user.u.id]\n  }\n"
        for _ in range(10)
    )
    text = USER
    for name, turn in (("a", "86400"), ("b", "43200")):
        text += (
            f'resource "pagerduty_schedule" "{name}" {{\n  name = "Same"\n  time_zone = "Etc/UTC"\n'
        )
        text += layers.replace("%s", turn) + "}\n"
    root = folder(tmp_path, {"main.tf": text})
    with pytest.raises(InputReadError) as info:
        import_terraform(root)
    message = str(info.value)
    first = text.splitlines().index('resource "pagerduty_schedule" "a" {') + 1
    second = text.splitlines().index('resource "pagerduty_schedule" "b" {') + 1
    assert message.startswith(f"{root / 'main.tf'}:{second}: pagerduty_schedule.b ")
    assert f"pagerduty_schedule.a ({root / 'main.tf'}:{first})" in message
    assert len(message) < 400


# --- nothing written outside the user's output -----------------------------------------------


def test_reading_hcl_loads_no_parser_that_writes_a_cache(tmp_path: Path) -> None:
    root = folder(tmp_path, {"main.tf": USER + schedule()})
    code = (
        "import sys\n"
        "from oncall_planner.ingest import import_terraform\n"
        f"import_terraform({str(root)!r})\n"
        "print(sorted(m for m in ('lark', 'hcl2') if m in sys.modules))\n"
    )
    done = bounded(code)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "[]"


def test_a_var_file_is_read_where_the_user_names_it(tmp_path: Path) -> None:
    root = folder(tmp_path, {"main.tf": USER + schedule("var.turn") + 'variable "turn" {}\n'})
    values = tmp_path / "prod.tfvars.json"
    values.write_text(json.dumps({"turn": 7200}), encoding="utf-8")
    plan = import_terraform(root, var_files=[values]).plan
    assert plan.schedules[0].layers[0].turn_length.total_seconds() == 7200
