"""Write plan.json, state.json and terraform.tfstate for config/ as Terraform 1.11 writes them.

The envelopes (format_version, values.root_module.child_modules, addresses with index keys,
instance index_key in raw state, after_unknown in plans) are those `terraform show -json` and
`terraform state pull` print, checked against the terraform binary with a provider-free
configuration; the attribute sets are those the PagerDuty provider (v3.32) stores. The objects
are written out here by hand from what config/ declares, with made-up PagerDuty IDs: the test
imports the folder and these files and expects the same plan.

Run: python tests/data/tfjson/make_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROVIDER = "registry.terraform.io/pagerduty/pagerduty"
VERSION = "1.11.4"

PEOPLE = {
    "ada": ("PADA001", "Ada Quist", "ada@example.com", "Europe/London"),
    "alan": ("PALAN01", "Alan Brook", "alan@example.com", "Europe/Dublin"),
    "barbara": ("PBARB01", "Barbara Lind", "barbara@example.com", "Europe/Dublin"),
    "grace": ("PGRAC01", "Grace Holm", "grace@example.com", "Europe/London"),
}
TEAM = "PTEAM01"
ROTAS = {"payments": ("PSCHPAY", ["ada", "grace"]), "search": ("PSCHSRC", ["alan", "barbara"])}


def resource(
    address: str, type_: str, name: str, values: dict[str, Any], index: Any = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"address": address, "mode": "managed", "type": type_, "name": name}
    if index is not None:
        out["index"] = index
    out.update(provider_name=PROVIDER, schema_version=0, values=values, sensitive_values={})
    return out


def user(key: str) -> dict[str, Any]:
    pid, name, email, tz = PEOPLE[key]
    values = {
        "avatar_url": f"https://secure.gravatar.com/avatar/{pid.lower()}.png",
        "color": "purple",
        "description": "Managed by Terraform",
        "email": email,
        "html_url": f"https://example.pagerduty.com/users/{pid}",
        "id": pid,
        "invitation_sent": True,
        "job_title": "",
        "license": "PLICENS",
        "name": name,
        "role": "user",
        "teams": [],
        "time_zone": tz,
    }
    return resource(f'pagerduty_user.people["{key}"]', "pagerduty_user", "people", values, key)


def schedule(team: str) -> dict[str, Any]:
    sid, members = ROTAS[team]
    values = {
        "description": "Weekly, weekdays",
        "final_schedule": [{"name": "Final Schedule", "rendered_coverage_percentage": ""}],
        "id": sid,
        "layer": [
            {
                "end": "",
                "id": f"L{sid[1:]}",
                "name": "Weekly",
                "rendered_coverage_percentage": "",
                "restriction": [
                    {
                        "duration_seconds": 388800,
                        "start_day_of_week": 1,
                        "start_time_of_day": "09:00:00",
                        "type": "weekly_restriction",
                    }
                ],
                "rotation_turn_length_seconds": 604800,
                "rotation_virtual_start": "2025-01-06T09:00:00Z",
                "start": "2025-01-06T09:00:00Z",
                "users": [PEOPLE[m][0] for m in members],
            }
        ],
        "name": f"{team.title()} Primary",
        "overflow": False,
        "teams": [TEAM],
        "time_zone": "Europe/London",
    }
    return resource(
        f'module.rota["{team}"].pagerduty_schedule.primary', "pagerduty_schedule", "primary", values
    )


def root_resources() -> list[dict[str, Any]]:
    policy = resource(
        "pagerduty_escalation_policy.main",
        "pagerduty_escalation_policy",
        "main",
        {
            "description": "Pages each rota in turn",
            "id": "PEPMAIN",
            "name": "Main",
            "num_loops": 1,
            "rule": [
                {
                    "escalation_delay_in_minutes": 15,
                    "escalation_rule_assignment_strategy": [{"type": "assign_to_everyone"}],
                    "id": f"PRULE0{i}",
                    "target": [{"id": ROTAS[team][0], "type": "schedule_reference"}],
                }
                for i, team in enumerate(sorted(ROTAS), 1)
            ],
            "teams": [TEAM],
        },
    )
    team = resource(
        "pagerduty_team.ops",
        "pagerduty_team",
        "ops",
        {
            "default_role": "manager",
            "description": "Operations",
            "html_url": "",
            "id": TEAM,
            "name": "Ops",
            "parent": None,
        },
    )
    memberships = [
        resource(
            f'pagerduty_team_membership.ops["{key}"]',
            "pagerduty_team_membership",
            "ops",
            {
                "id": f"{PEOPLE[key][0]}:{TEAM}",
                "role": "manager",
                "team_id": TEAM,
                "user_id": PEOPLE[key][0],
            },
            key,
        )
        for key in sorted(PEOPLE)
    ]
    return [policy, team, *memberships, *(user(k) for k in sorted(PEOPLE))]


def child_modules() -> list[dict[str, Any]]:
    return [
        {"resources": [schedule(team)], "address": f'module.rota["{team}"]'}
        for team in sorted(ROTAS)
    ]


def state_json() -> dict[str, Any]:
    return {
        "format_version": "1.0",
        "terraform_version": VERSION,
        "values": {
            "root_module": {"resources": root_resources(), "child_modules": child_modules()}
        },
    }


def raw_state() -> dict[str, Any]:
    def instances(group: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for r in group:
            inst: dict[str, Any] = {
                "schema_version": 0,
                "attributes": r["values"],
                "sensitive_attributes": [],
                "private": "bnVsbA==",
            }
            if "index" in r:
                inst = {"index_key": r["index"], **inst}
            out.append(inst)
        return out

    entries: list[dict[str, Any]] = []
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in root_resources():
        groups.setdefault(("", r["type"], r["name"]), []).append(r)
    for m in child_modules():
        for r in m["resources"]:
            groups.setdefault((m["address"], r["type"], r["name"]), []).append(r)
    for (module, type_, name), group in groups.items():
        entry: dict[str, Any] = {}
        if module:
            entry["module"] = module
        entry.update(mode="managed", type=type_, name=name,
                     provider=f'provider["{PROVIDER}"]', instances=instances(group))  # fmt: skip
        entries.append(entry)
    return {
        "version": 4,
        "terraform_version": VERSION,
        "serial": 7,
        "lineage": "0f5c2a8e-3d41-4c9b-9a57-6b1e0d2f7c11",
        "outputs": {},
        "resources": entries,
        "check_results": None,
    }


def plan_json() -> dict[str, Any]:
    """A plan made after the first apply: one change (the policy's description), the rest
    unchanged, so every ID is known."""
    state = state_json()
    planned = json.loads(json.dumps(state["values"]))
    changes = []
    for r in planned["root_module"]["resources"] + [
        r for m in planned["root_module"]["child_modules"] for r in m["resources"]
    ]:
        change = {"actions": ["no-op"], "before": r["values"], "after": r["values"],
                  "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}  # fmt: skip
        entry = {k: r[k] for k in ("address", "mode", "type", "name") if k in r}
        if "index" in r:
            entry["index"] = r["index"]
        if r["address"].startswith("module."):
            entry["module_address"] = r["address"].rsplit(".pagerduty_", 1)[0]
        entry.update(provider_name=PROVIDER, change=change)
        changes.append(entry)
    return {
        "format_version": "1.2",
        "terraform_version": VERSION,
        "planned_values": planned,
        "resource_changes": changes,
        "prior_state": {
            "format_version": "1.0",
            "terraform_version": VERSION,
            "values": state["values"],
        },
        "configuration": {
            "provider_config": {"pagerduty": {"name": "pagerduty", "full_name": PROVIDER}}
        },
        "timestamp": "2025-03-01T10:00:00Z",
        "applyable": False,
        "complete": True,
        "errored": False,
    }


def main() -> None:
    for name, doc in (
        ("state.json", state_json()),
        ("terraform.tfstate", raw_state()),
        ("plan.json", plan_json()),
    ):
        (HERE / name).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
