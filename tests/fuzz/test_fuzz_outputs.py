"""Every output format on plans whose names are as hostile as the model allows (formula
characters, quotes, markup, template openers, right-to-left marks, emoji, long names): each
output parses as what it claims to be (JSON, CSV, HTML, ICS, SARIF, Terraform JSON), holds no
raw control character, and the Terraform JSON imports back to the same document."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from fuzzkit import (
    LONG,
    csv_table,
    html_page,
    ics_calendar,
    json_doc,
    no_raw_control,
    sarif_log,
    watchdog,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncall_planner import (
    RULES,
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Override,
    Restriction,
    Schedule,
    Target,
    User,
    check,
    diff,
    fairness_report,
    format_diff,
    import_terraform,
    to_terraform_json,
)
from oncall_planner.cli import main
from oncall_planner.emit.terraform_json import dumps
from oncall_planner.report.ics import person_ics, schedule_ics
from oncall_planner.report.sarif import finding_dicts, to_sarif

UTC = dt.timezone.utc
START = dt.datetime(2025, 1, 6, tzinfo=UTC)
SINCE, UNTIL = START, START + dt.timedelta(days=21)

HOSTILE = st.sampled_from(
    [
        "=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "${var.x}",
        "%{ if x }", "$${y}", "<script>alert(1)</script>", "a & b", "'; DROP", "\"quoted\"",
        "comma, name", "semi;colon", "back\\slash", "pipe | name", "*bold* _it_ `code` #h",
        "[link](x)", "\u202eevil", "\u200fRTL", "e\u0301", "\U0001f600", "Zoë Ångström",
        "名前", "x" * 100, " lead", "trail ",
    ]
)  # fmt: skip
NAME = st.one_of(
    HOSTILE,
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        min_size=1,
        max_size=20,
    ),
).filter(lambda s: bool(s.strip()))
LOCAL = st.one_of(
    st.sampled_from(["=x", "+y", "-z", "@", '"q"', "a'b", "x,y", "${v}", "é", '=HYPERLINK("x")']),
    st.from_regex(r"[a-z][a-z0-9.+-]{0,10}", fullmatch=True),
).filter(lambda s: "@" not in s)


@st.composite
def hostile_plans(draw: st.DrawFn) -> OnCallPlan:
    count = draw(st.integers(1, 4))
    locals_ = draw(st.lists(LOCAL, min_size=count, max_size=count, unique_by=str.lower))
    people = [
        User(
            draw(NAME)[:100], f"{local}{i}@example.com", draw(st.sampled_from([None, "Asia/Tokyo"]))
        )
        for i, local in enumerate(locals_)
    ]
    names = draw(st.lists(NAME, min_size=1, max_size=2, unique=True))
    schedules = []
    for name in names:
        layers = []
        for _ in range(draw(st.integers(1, 2))):
            roster = draw(st.lists(st.sampled_from(people), min_size=1, max_size=3, unique=True))
            office = draw(st.booleans())
            layers.append(
                Layer(
                    draw(NAME)[:255],
                    roster,
                    START + dt.timedelta(hours=draw(st.integers(0, 200))),
                    draw(
                        st.sampled_from(
                            [dt.timedelta(hours=12), dt.timedelta(days=1), dt.timedelta(weeks=1)]
                        )
                    ),
                    restrictions=[Restriction.daily("09:00", dt.timedelta(hours=8))]
                    if office
                    else [],
                )
            )
        schedules.append(
            Schedule(
                name[:255],
                draw(st.sampled_from(["Etc/UTC", "America/New_York"])),
                layers,
                description=draw(st.none() | NAME),
            )
        )
    policy_name = draw(
        NAME.filter(lambda s: s.isprintable() and s == s.rstrip() and not set(s) & set("\\/&<>"))
    )
    policy = EscalationPolicy(
        policy_name[:255],
        [EscalationRule(10, [Target.schedule(s)]) for s in schedules]
        + [EscalationRule(5, [Target.user(people[0])])],
        num_loops=1,
    )
    return OnCallPlan(schedules, [policy])


def _csv_names(text: str, plan: OnCallPlan) -> None:
    rows = {r[1]: r for r in csv_table(text, "fairness CSV")[1:]}
    for user in plan.users:
        email = user.email
        shown = "'" + email if email[:1] in "=+-@" else email
        if shown in rows:
            name = rows[shown][0]
            assert name in (user.name, "'" + user.name), (name, user.name)


@settings(
    max_examples=400 if LONG else 25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(plan=hostile_plans())
def test_every_output_of_a_hostile_plan_is_well_formed(plan: OnCallPlan, tmp_path: Path) -> None:
    with watchdog():
        report = fairness_report(plan, SINCE, UNTIL)
        no_raw_control(report.to_text(), "fairness text")
        no_raw_control(report.to_markdown(), "fairness markdown")
        json_doc(report.to_json(), "fairness JSON")
        _csv_names(report.to_csv(), plan)
        html_page(report.to_html(), "fairness HTML")

        findings = check(plan, SINCE, UNTIL)
        for finding in findings:
            no_raw_control(finding.to_text(), "finding")
        sarif = to_sarif(findings, RULES, tool_version="0", artifact="main.tf.json")
        sarif_log(json.dumps(sarif, ensure_ascii=False), "SARIF")
        json_doc(json.dumps(finding_dicts(findings), ensure_ascii=False), "findings JSON")

        for schedule in plan.schedules:
            ics_calendar(schedule_ics(schedule, SINCE, UNTIL), "schedule ICS")
        ics_calendar(person_ics(plan, plan.users[0], SINCE, UNTIL), "person ICS")

        cover = Override(SINCE, SINCE + dt.timedelta(days=1), plan.users[-1])
        changes = diff(plan, plan, SINCE, UNTIL, overrides_after={plan.schedules[0].name: [cover]})
        no_raw_control(format_diff(changes), "diff")

        emitted = dumps(to_terraform_json(plan, users="resource", now=SINCE))
        json_doc(emitted, "Terraform JSON")
        folder = tmp_path / "tf"
        folder.mkdir(exist_ok=True)
        (folder / "main.tf.json").write_text(emitted, encoding="utf-8")
        again = import_terraform(folder).plan
        assert dumps(to_terraform_json(again, users="resource", now=SINCE)) == emitted


@settings(
    max_examples=100 if LONG else 8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(plan=hostile_plans())
def test_every_command_line_output_of_a_hostile_plan_is_well_formed(
    plan: OnCallPlan, tmp_path: Path
) -> None:
    folder = tmp_path / "cli"
    folder.mkdir(exist_ok=True)
    (folder / "main.tf.json").write_text(
        dumps(to_terraform_json(plan, now=SINCE)), encoding="utf-8"
    )
    window = ["--since", "2025-01-06", "--until", "2025-01-27"]
    runs = {
        ("render", *window, "--layers"): no_raw_control,
        ("render", *window, "--format", "json"): json_doc,
        ("check", *window): no_raw_control,
        ("check", *window, "--format", "sarif"): sarif_log,
        ("report", *window): no_raw_control,
        ("report", *window, "--format", "markdown"): no_raw_control,
        ("report", *window, "--format", "csv"): csv_table,
        ("report", *window, "--format", "html"): html_page,
        ("ics", *window): ics_calendar,
        ("emit",): json_doc,
        ("escalation", "--at", "2025-01-07T10:00"): no_raw_control,
    }
    for (command, *options), oracle in runs.items():
        out, err = io.StringIO(), io.StringIO()
        with watchdog(), redirect_stdout(out), redirect_stderr(err):
            code = main([command, str(folder), "-q", *options])
        assert code in (0, 1), (command, options, code, err.getvalue())
        oracle(out.getvalue(), f"{command} {' '.join(options)}")  # type: ignore[operator]
        no_raw_control(err.getvalue(), f"{command} stderr")
