"""How much a fairness report costs compared with rendering the same schedules.

Baseline: rendering every schedule of a plan over one year. Measured: ``fairness_report`` over the
same year (it renders, then splits everyone's time by hour kind, day type and holiday), and an
``audit`` of 50 cases per property. Prints ratios against the baseline from the same run.

Then ``audit()`` on 30 teams (a primary and a secondary schedule of four people each, a policy of
two levels), 25 cases per property: examples per second against the audit as it was before issue
13 (``audit_before`` here, on the same plan, seed and search, in the same run, best of a few runs
each, taken in turn): each property made and rendered its own scenarios, a perturbation made and
validated every layer, schedule and policy again, and a week off rendered every schedule twice.
Issue 13 asks for twice the examples per second (it measured 38 examples/s on 30 teams, about 5.5
renders of the plan per example). The baseline renders with today's renderer, so the ratio counts
the audit's own work only; the renderer's own speed-up (``render_bench.py``) comes on top.

"Renders per example" is printed for reference, in renders of the plan over the audit's window
(one rotation cycle) by today's renderer. It is not the goal: the issue's 5.5 was in renders of
the renderer of that time, about 1.45 times as slow on plain rotations, so "twice the examples per
second" is about 4 of today's renders per example, not 2.75. The counts of ``render()`` calls per example are printed too.
Times are CPU time of this process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import time
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

from seed_plan import NEW_YORK, build_plan

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Schedule,
    Target,
    User,
    audit,
    fairness_report,
    render,
)
from oncall_planner.fairness.audit import (
    _CHECKS,
    PERTURBATIONS,
    Perturbation,
    Scenario,
    _bind,
    _strategy,
    apply,
)
from oncall_planner.fairness.horizon import (
    MAX_CYCLE,
    cycle_length,
    default_since,
    members,
    time_zone_of,
)
from oncall_planner.fairness.load import union
from oncall_planner.model import ShiftSchedule
from oncall_planner.timeutil import HOUR, to_seconds

# The module (``oncall_planner.fairness.audit`` the attribute is the function of that name).
audit_module = sys.modules["oncall_planner.fairness.audit"]

SINCE = dt.datetime(2025, 1, 1, tzinfo=NEW_YORK)
UNTIL = dt.datetime(2026, 1, 1, tzinfo=NEW_YORK)
ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata")
GOAL_EXAMPLES_PER_SECOND = 2.0  # times the audit before issue 13, in the same run


def teams_plan(teams: int) -> OnCallPlan:
    """``teams`` teams: a weekly primary and a weekly secondary of four people each."""
    policies = []
    for t in range(teams):
        tz = ZONES[t % len(ZONES)]
        people = [User(f"T{t}P{i}", f"t{t}p{i}@example.com") for i in range(8)]
        start = dt.datetime(2025, 1, 6, 9, tzinfo=dt.timezone.utc)
        week = dt.timedelta(weeks=1)
        primary = Schedule(f"Team {t} primary", tz, [Layer("Weekly", people[:4], start, week)])
        secondary = Schedule(f"Team {t} secondary", tz, [Layer("Weekly", people[4:], start, week)])
        policies.append(
            EscalationPolicy(
                f"Team {t}",
                [
                    EscalationRule(10, [Target.schedule(primary)]),
                    EscalationRule(10, [Target.schedule(secondary)]),
                ],
            )
        )
    return OnCallPlan(escalation_policies=policies)


def _map_layers_before(plan, fn, members_fn=None, made=None):
    """``_map_layers`` as it was before issue 13: every layer, schedule, rule and policy made and
    validated again, changed or not (shift-based events too when ``members_fn`` is given)."""
    new = {}
    for s in plan.schedules:
        layers = []
        for layer in s.layers:
            changed = fn(layer)
            layers.append(attrs.evolve(changed) if changed is layer else changed)
        new[s.name] = attrs.evolve(s, layers=layers)
    for shift in plan.shift_schedules:
        if members_fn is None:
            new[shift.name] = shift
            continue
        rotations = [
            attrs.evolve(
                r,
                events=[
                    attrs.evolve(
                        e, assignment=attrs.evolve(e.assignment, members=members_fn(e.members))
                    )
                    for e in r.events
                ],
            )
            for r in shift.rotations
        ]
        new[shift.name] = attrs.evolve(shift, rotations=rotations)

    def target(t):
        return Target.schedule(new[t.schedule.name]) if t.schedule is not None else t

    policies = [
        attrs.evolve(
            p, rules=[attrs.evolve(r, targets=[target(t) for t in r.targets]) for r in p.rules]
        )
        for p in plan.escalation_policies
    ]
    kept = set(members(new.values(), None))
    users = [
        u
        for u in plan.users
        if u in kept or u in {t.user for p in policies for r in p.rules for t in r.targets}
    ]
    return OnCallPlan(
        schedules=[s for s in new.values() if isinstance(s, Schedule)],
        shift_schedules=[s for s in new.values() if isinstance(s, ShiftSchedule)],
        escalation_policies=policies,
        users=users,
    )


def _schedule_hours_before(final):
    """``_schedule_hours`` as it was before issue 13: the union of each person's entries."""
    spans = {}
    for e in final.entries:
        spans.setdefault(e.user.email.lower(), []).append((to_seconds(e.start), to_seconds(e.end)))
    return {key: sum(b - a for a, b in union(v)) for key, v in spans.items()}


def audit_before(plan: OnCallPlan, max_examples: int, seed: int) -> list[tuple[int, object]]:
    """The audit's search as it was before issue 13, on today's model and renderer: the same
    hypothesis search (strategy, settings, seed) with each example's scenario made from scratch
    for each property (every object made again, nothing shared) and rendered again (a week off
    renders every schedule to find the time off, then every schedule again). Returns, per
    property, the examples run and the last violation (to check it searched as ``audit`` does).
    """
    from hypothesis import HealthCheck, Phase, Verbosity, example, given, settings
    from hypothesis import seed as hseed

    start = default_since(plan.all_schedules)
    cycle = cycle_length(plan.all_schedules, start)
    base, tz = to_seconds(start), time_zone_of(plan)
    cycle_hours = int(min(cycle, MAX_CYCLE).total_seconds()) // HOUR
    out: list[tuple[int, object]] = []
    real = audit_module._map_layers, audit_module._schedule_hours
    audit_module._map_layers = _map_layers_before
    audit_module._schedule_hours = _schedule_hours_before
    try:
        for name in PERTURBATIONS:
            state: dict = {"runs": 0, "last": None}

            def body(p, check=_CHECKS[name], state=state):
                state["runs"] += 1
                made = apply(plan, base, p, tz)  # renders every schedule for a week off
                sc = Scenario(
                    made.plan, made.since, made.until, made.overrides, made.absent, made.words
                )  # its own renders: every schedule rendered again
                problem = check(sc, tz, None)
                if problem is not None:
                    state["last"] = (sc.words, problem)
                    raise AssertionError(problem)

            test = given(_strategy(list(PERTURBATIONS[name]), cycle_hours))(
                example(Perturbation())(_bind(body))
            )
            run = hseed(seed)(
                settings(
                    max_examples=max_examples,
                    database=None,
                    deadline=None,
                    derandomize=False,
                    verbosity=Verbosity.quiet,
                    phases=(Phase.explicit, Phase.generate, Phase.shrink),
                    suppress_health_check=list(HealthCheck),
                    report_multiple_bugs=False,
                )(test)
            )
            with contextlib.suppress(AssertionError):
                run()
            out.append((state["runs"], state["last"]))
    finally:
        audit_module._map_layers, audit_module._schedule_hours = real
    return out


def count_renders(fn) -> int:
    """How many times ``fn()`` calls ``render()`` through the audit module."""
    calls = [0]
    real = audit_module.render

    def counted(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    audit_module.render = counted
    try:
        fn()
    finally:
        audit_module.render = real
    return calls[0]


def audit_cost(teams: int = 30, rounds: int = 5) -> None:
    plan = teams_plan(teams)
    start = default_since(plan.all_schedules)
    assert start is not None
    cycle = min(cycle_length(plan.all_schedules, start) or dt.timedelta(weeks=1), MAX_CYCLE)
    one = best_of(lambda: [render(s, start, start + cycle) for s in plan.all_schedules])
    report = audit(plan, max_examples=25, seed=1)
    before = audit_before(plan, 25, 1)
    # The baseline searched what audit() searched: the same examples and the same violations.
    for r, (runs, last) in zip(report.results, before, strict=True):
        assert r.tried + r.shrink_steps == runs, (r.name, r.tried + r.shrink_steps, runs)
        assert (None if r.held else (r.counterexample, r.violation)) == last, r.name
    examples = sum(r.tried + r.shrink_steps for r in report.results)
    now_times, before_times = [], []
    for _ in range(rounds):  # in turn, so both sides see the same load on a shared machine
        before_times.append(best_of(lambda: audit_before(plan, 25, 1), repeat=1))
        now_times.append(best_of(lambda: audit(plan, max_examples=25, seed=1), repeat=1))
    spent, old = min(now_times), min(before_times)
    renders_now = count_renders(lambda: audit(plan, max_examples=25, seed=1))
    renders_before = count_renders(lambda: audit_before(plan, 25, 1))
    ratio = old / spent
    print(
        f"audit, {teams} teams x 4 properties: {examples} examples; one render of the plan over "
        f"the audit window ({cycle.days} days, {2 * teams} schedules) {one * 1000:.1f} ms"
    )
    print(
        f"  before issue 13 (same run): {old:.2f} s CPU = {examples / old:.0f} examples/s, "
        f"{old / examples / one:.2f} renders of the plan per example, "
        f"{renders_before / examples / (2 * teams):.2f} render() calls per schedule per example"
    )
    print(
        f"  audit() now:                {spent:.2f} s CPU = {examples / spent:.0f} examples/s, "
        f"{spent / examples / one:.2f} renders of the plan per example, "
        f"{renders_now / examples / (2 * teams):.2f} render() calls per schedule per example"
    )
    print(
        f"RESULT: audit() examples/s {ratio:.2f}x the audit before issue 13 in the same run "
        f"(goal >= {GOAL_EXAMPLES_PER_SECOND:g}x: "
        f"{'met' if ratio >= GOAL_EXAMPLES_PER_SECOND else 'NOT met'})"
    )


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def main() -> None:
    plan = build_plan()
    regions = {u.email: ("US", "NY") for u in plan.users}
    base = best_of(lambda: [render(s, SINCE, UNTIL) for s in plan.schedules])
    report = best_of(lambda: fairness_report(plan, SINCE, UNTIL, holidays=regions))
    html = best_of(lambda: fairness_report(plan, SINCE, UNTIL).to_html())
    audited = best_of(lambda: audit(plan, max_examples=50, seed=1), repeat=2)
    print(f"render, 1 year (baseline)           {base * 1000:8.2f} ms   1.0x")
    print(f"fairness_report, 1 year, holidays   {report * 1000:8.2f} ms {report / base:5.1f}x")
    print(f"fairness_report + to_html, 1 year   {html * 1000:8.2f} ms {html / base:5.1f}x")
    print(f"audit, 4 properties x 50 cases      {audited * 1000:8.2f} ms {audited / base:5.1f}x")
    audit_cost()


if __name__ == "__main__":
    main()
