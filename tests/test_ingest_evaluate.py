"""The static evaluator, one Terraform rule per test, seen through the description of an imported
team."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oncall_planner import InputReadError
from oncall_planner.ingest import import_terraform


def evaluate(tmp_path: Path, expression: str, extra: str = "") -> str:
    """The value Terraform gives ``expression``, read back as the description of a team (a name
    is one line: docs/semantics.md, "Text")."""
    (tmp_path / "main.tf").write_text(
        f'resource "pagerduty_team" "t" {{\n  description = {expression}\n  name = "T"\n}}\n'
        f"{extra}",
        encoding="utf-8",
    )
    result = import_terraform(tmp_path)
    assert result.warnings == (), result.warnings
    (team,) = result.plan.teams
    assert team.description is not None
    return team.description


def left_out(tmp_path: Path, expression: str, extra: str = "") -> str:
    (tmp_path / "main.tf").write_text(
        f'resource "pagerduty_team" "t" {{\n  name = {expression}\n}}\n{extra}', encoding="utf-8"
    )
    result = import_terraform(tmp_path)
    assert result.plan.teams == ()
    (warning,) = result.warnings
    return warning.message


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ('"a-${1 + 2 * 3}"', "a-7"),
        ('"${10 / 4}"', "2.5"),
        ('"${10 / 2}"', "5"),
        ('"${-7 % 3}"', "-1"),
        ('"${true && !false ? "y" : "n"}"', "y"),
        ('"${1 == 1.0}"', "true"),
        ('"${"1" == 1}"', "false"),
        ('join(",", [for x in [3, 1, 2] : x * 2 if x != 1])', "6,4"),
        ('join(",", [for k, v in { b = 2, a = 1 } : "${k}${v}"])', "a1,b2"),
        ('join(",", keys({ for s in ["x", "y"] : s => upper(s) }))', "x,y"),
        ('jsonencode({ for s in ["a", "b", "a"] : s => s... })', '{"a":["a","a"],"b":["b"]}'),
        ('join(",", [{ n = "p" }, { n = "q" }][*].n)', "p,q"),
        ('join(",", [{ n = ["p"] }, { n = ["q"] }][*].n[0])', "p,q"),
        # an attribute-only splat ends before an index, which then picks from the result
        ('join(",", [{ n = ["p"] }, { n = ["q"] }].*.n[0])', "p"),
        ('format("%s-%03d", "t", 7)', "t-007"),
        ('try(local.m["missing"], "fallback")', "fallback"),
        ('can(local.m["missing"]) ? "yes" : "no"', "no"),
        ('coalesce("", null, "c")', "c"),
        ('element(["a", "b"], 3)', "b"),
        ('lookup({ a = "x" }, "b", "d")', "d"),
        ('join("", flatten([["a"], [["b"]], "c"]))', "abc"),
        ('join(",", sort(toset(["b", "a", "b"])))', "a,b"),
        ('join(",", distinct(concat(["a"], ["a", "b"])))', "a,b"),
        ('replace("a.b.c", "/\\\\./", "-")', "a-b-c"),
        ('title(trimspace("  hello world "))', "Hello World"),
        ('formatdate("DD MMM YYYY hh:mm", "2025-03-04T15:05:00Z")', "04 Mar 2025 03:05"),
        ('timeadd("2025-03-04T15:05:00Z", "-1h30m")', "2025-03-04T13:35:00Z"),
        ('yamldecode("a: [x, y]")["a"][1]', "y"),
        ('jsondecode("{\\"k\\": \\"v\\"}").k', "v"),
        ('"%{ for x in ["a", "b"] }${x}%{ endfor }%{ if true }!%{ else }?%{ endif }"', "ab!"),
        ('"  ${~ "x" ~}  "', "x"),
        ("<<-EOT\n    two\n      lines\n    EOT\n", "two\n  lines\n"),
        ("local.m.nested[1]", "n1"),
        ("local.m.nested.0", "n0"),
    ],
)
def test_expression(tmp_path: Path, expression: str, value: str) -> None:
    extra = 'locals {\n  m = { nested = ["n0", "n1"] }\n}\n'
    assert evaluate(tmp_path, expression, extra) == value


def test_count_and_for_each_make_instances_with_their_keys(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
resource "pagerduty_team" "counted" {
  count = 2
  name  = "c${count.index}"
}
resource "pagerduty_team" "each" {
  for_each    = { x = "X", y = "Y" }
  name        = "${each.key}=${each.value}"
  description = pagerduty_team.counted[1].name
}
""",
        encoding="utf-8",
    )
    result = import_terraform(tmp_path)
    assert sorted(t.name for t in result.plan.teams) == ["c0", "c1", "x=X", "y=Y"]
    assert result.addresses[("Team", "x=X")] == 'pagerduty_team.each["x"]'
    assert {t.description for t in result.plan.teams if "=" in t.name} == {"c1"}


def test_dynamic_blocks_with_iterator_and_nesting(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
locals {
  people = { a = "a@example.com", b = "b@example.com" }
  levels = [{ delay = 5, who = ["a"] }, { delay = 15, who = ["a", "b"] }]
}
resource "pagerduty_user" "p" {
  for_each = local.people
  name     = upper(each.key)
  email    = each.value
}
resource "pagerduty_escalation_policy" "e" {
  name = "E"
  dynamic "rule" {
    for_each = local.levels
    iterator = level
    content {
      escalation_delay_in_minutes = level.value.delay
      dynamic "target" {
        for_each = level.value.who
        content {
          id = pagerduty_user.p[target.value].id
        }
      }
    }
  }
}
""",
        encoding="utf-8",
    )
    (policy,) = import_terraform(tmp_path).plan.escalation_policies
    assert [(r.delay_minutes, [t.user.name for t in r.targets]) for r in policy.rules] == [
        (5, ["A"]),
        (15, ["A", "B"]),
    ]


def test_module_for_each_inputs_outputs_and_optional_defaults(tmp_path: Path) -> None:
    module = tmp_path / "modules" / "team"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(
        """
variable "spec" {
  type = object({ name = string, suffix = optional(string, "team") })
}
resource "pagerduty_team" "t" {
  name = "${var.spec.name} ${var.spec.suffix}"
}
output "name" {
  value = pagerduty_team.t.name
}
""",
        encoding="utf-8",
    )
    root = tmp_path / "live"
    root.mkdir()
    (root / "main.tf").write_text(
        """
module "teams" {
  source   = "../modules/team"
  for_each = { one = { name = "One" }, two = { name = "Two", suffix = "crew" } }
  spec     = each.value
}
resource "pagerduty_team" "summary" {
  name = join("+", [for k, m in module.teams : m.name])
}
""",
        encoding="utf-8",
    )
    result = import_terraform(root, root=tmp_path)
    assert sorted(t.name for t in result.plan.teams) == [
        "One team",
        "One team+Two crew",
        "Two crew",
    ]
    assert result.addresses[("Team", "Two crew")] == 'module.teams["two"].pagerduty_team.t'


def test_path_values_are_terraforms_run_in_the_root_modules_folder(tmp_path: Path) -> None:
    live = tmp_path / "live"
    (live / "mod").mkdir(parents=True)
    (live / "main.tf").write_text(
        'module "m" {\n  source = "./mod"\n}\n'
        'resource "pagerduty_team" "t" {\n  name = "${path.root}|${path.module}|${path.cwd}"\n}\n',
        encoding="utf-8",
    )
    (live / "mod" / "main.tf").write_text(
        'resource "pagerduty_team" "c" {\n  name = "child ${path.module}|${path.root}"\n}\n',
        encoding="utf-8",
    )
    result = import_terraform(live, root=tmp_path)
    assert sorted(t.name for t in result.plan.teams) == [f".|.|{live}", "child mod|."]


def test_a_child_module_reads_its_files_whether_the_folder_is_named_relative_or_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ff" / "mod").mkdir(parents=True)
    (tmp_path / "ff" / "main.tf").write_text('module "m" {\n  source = "./mod"\n}\n')
    (tmp_path / "ff" / "mod" / "name.txt").write_text("Crew\n", encoding="utf-8")
    (tmp_path / "ff" / "mod" / "main.tf").write_text(
        'resource "pagerduty_team" "u" {\n  name = trimspace(file("${path.module}/name.txt"))\n}\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    for named in ("ff", str(tmp_path / "ff")):
        assert [t.name for t in import_terraform(named).plan.teams] == ["Crew"], named


def test_a_map_keyed_by_ids_gives_instances_but_no_order(tmp_path: Path) -> None:
    extra = """
resource "pagerduty_user" "u" {
  for_each = toset(["a", "b"])
  name     = each.key
  email    = "${each.key}@example.com"
}
locals {
  by_id = { for u in pagerduty_user.u : u.id => u.name }
}
"""
    message = left_out(tmp_path, 'join(",", values(local.by_id))', extra)
    assert "keyed by PagerDuty IDs" in message


def test_locals_in_a_cycle_are_left_out_with_the_reason(tmp_path: Path) -> None:
    extra = "locals {\n  a = local.b\n  b = local.a\n}\n"
    message = left_out(tmp_path, "local.a", extra)
    assert "refers to itself" in message


def test_an_undeclared_local_is_an_error_naming_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputReadError, match=r"main.tf:2: local.nope: no local value 'nope'"):
        evaluate(tmp_path, "local.nope")


def test_file_reads_only_inside_the_modules_own_folder(tmp_path: Path) -> None:
    root = tmp_path / "live"
    root.mkdir()
    (root / "name.txt").write_text("Inside\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("hunter2\n", encoding="utf-8")
    assert evaluate(root, 'trimspace(file("${path.module}/name.txt"))') == "Inside"
    message = left_out(root, 'file("../secret.txt")')
    assert "outside the module's own folder" in message and "hunter2" not in message


def test_values_only_terraform_knows_are_never_guessed(tmp_path: Path) -> None:
    assert "`uuid()` is random" in left_out(tmp_path, "uuid()")
    extra = 'data "aws_caller_identity" "me" {}\n'
    message = left_out(tmp_path, "data.aws_caller_identity.me.account_id", extra)
    assert "set by the provider" in message


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            'resource "pagerduty_team_membership" "m" {\n  user_id = pagerduty_user.a.id\n'
            "  team_id = pagerduty_user.ghost.id\n}\n",
            "team_id must name a team, got pagerduty_user.ghost, which the configuration does "
            "not declare",
        ),
        (
            'resource "pagerduty_escalation_policy" "p" {\n  name  = "P"\n'
            "  teams = [pagerduty_user.ghost.id]\n  rule {\n    escalation_delay_in_minutes = 10\n"
            '    target {\n      type = "user_reference"\n      id   = pagerduty_user.a.id\n    }\n'
            "  }\n}\n",
            "teams must name a team, got pagerduty_user.ghost",
        ),
        (
            'resource "pagerduty_escalation_policy" "p" {\n  name  = "P"\n  rule {\n'
            "    escalation_delay_in_minutes = 10\n"
            '    target {\n      type = "schedule_reference"\n      id   = pagerduty_user.ghost.id\n'
            "    }\n  }\n}\n",
            "id must name a schedule, got pagerduty_user.ghost",
        ),
    ],
)
def test_an_undeclared_user_where_a_team_or_schedule_is_named_is_an_error_not_a_crash(
    tmp_path: Path, block: str, message: str
) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "pagerduty_user" "a" {\n  name  = "A"\n  email = "a@example.com"\n}\n' + block,
        encoding="utf-8",
    )
    with pytest.raises(InputReadError, match=re.escape(message)):
        import_terraform(tmp_path)
