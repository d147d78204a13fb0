"""Episodes to incidents to pages through the rota; the forecast; OCP901-OCP904."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import (
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
)
from oncall_planner.checks import CheckConfig
from oncall_planner.errors import ValidationError
from oncall_planner.slo import SLI, SLO, BurnRateAlert, BurnWindow, alert_rules
from oncall_planner.slo.forecast import forecast, poisson_quantile, poisson_tail
from oncall_planner.slo.incident import IncidentSetup, Severity
from oncall_planner.slo.paging import incidents, pages_through_rota
from oncall_planner.slo.replay import Backtest, Episode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

UTC = dt.timezone.utc
T0 = dt.datetime(2025, 1, 6, tzinfo=UTC)  # a Monday
ANN = User("Ann", "ann@example.com", "Etc/UTC")
BEN = User("Ben", "ben@example.com", "Etc/UTC")
BOSS = User("Boss", "boss@example.com", "Etc/UTC")
SLO_ = SLO(
    service="shop",
    name="availability",
    objective=0.999,
    sli=SLI(bad="sum(rate(e[5m]))", total="sum(rate(t[5m]))"),
)
PAGE, TICKET = alert_rules(SLO_)
OTHER = alert_rules(
    SLO_, alerts=[BurnRateAlert(name="ShopOther", severity="page", windows=[BurnWindow(long=600, burn_rate=2)])]
)[0]  # fmt: skip


def weekly() -> Schedule:
    return Schedule("Ops", "Etc/UTC", [Layer("L", [ANN, BEN], T0, dt.timedelta(weeks=1))])


def policy(schedule: Schedule | None = None) -> EscalationPolicy:
    return EscalationPolicy(
        "Ops",
        [
            EscalationRule(10, [Target.schedule(schedule or weekly())]),
            EscalationRule(10, [Target.user(BOSS)]),
        ],
    )


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def ep(rule, start: float, end: float | None) -> Episode:
    return Episode(
        rule=rule,
        key=rule.key,
        pending_at=at(start),
        start=at(start),
        end=None if end is None else at(end),
    )


def backtest(*episodes: Episode, days: float = 14) -> Backtest:
    return Backtest(
        episodes=tuple(episodes),
        rules=(PAGE, TICKET, OTHER),
        since=T0,
        until=T0 + dt.timedelta(days=days),
        interval=60,
        evaluations=int(days * 1440),
    )


def test_firings_within_the_group_gap_fold_into_one_incident() -> None:
    found = incidents([ep(PAGE, 0, 10), ep(PAGE, 14, 20), ep(PAGE, 25, 30)])
    assert [(i.start, i.end, len(i.episodes)) for i in found] == [
        (at(0), at(20), 2),
        (at(25), at(30), 1),
    ]


def test_ticket_alerts_page_nobody_and_other_alerts_are_other_incidents() -> None:
    found = incidents([ep(TICKET, 0, 100), ep(PAGE, 1, 5), ep(OTHER, 2, 6)])
    assert [i.alert for i in found] == [PAGE.alert, "ShopOther"]
    assert len(incidents([ep(PAGE, 1, 5), ep(OTHER, 2, 6)], group_by="slo")) == 1


def test_an_open_incident_takes_every_later_firing() -> None:
    (only,) = incidents([ep(PAGE, 0, None), ep(PAGE, 500, 510)])
    assert only.end is None and len(only.episodes) == 2


def test_grouping_refuses_unknown_keys() -> None:
    with pytest.raises(ValidationError, match="group_by must be one of"):
        incidents([], group_by="team")


def test_each_incident_pages_whoever_the_policy_reaches_first() -> None:
    week = 7 * 24 * 60
    pages = pages_through_rota([ep(PAGE, 60, 70), ep(PAGE, week + 60, week + 70)], policy())
    assert [p.user for p in pages] == [ANN, BEN]
    assert all(p.urgency == "high" and p.policy == "Ops" and p.service == "shop" for p in pages)
    assert pages[0].resolved_at == at(70)
    assert pages[0].id == pages_through_rota([ep(PAGE, 60, 70)], policy())[0].id  # stable


def test_an_incident_between_minutes_is_paged_too() -> None:
    half = Episode(
        rule=PAGE, key=PAGE.key, pending_at=at(60.5), start=at(60.5), end=at(70.5)
    )  # a 30-second evaluation interval
    (page,) = pages_through_rota([half], policy())
    assert page.user == ANN and page.at == at(60.5)


def test_overrides_and_empty_levels_are_followed() -> None:
    schedule = weekly()
    cover = Override(at(0), at(120), BEN)
    pages = pages_through_rota([ep(PAGE, 60, 70)], policy(schedule), overrides={"Ops": [cover]})
    assert pages[0].user == BEN
    nights = Schedule(
        "Days",
        "Etc/UTC",
        [
            Layer(
                "L", [ANN], T0, dt.timedelta(weeks=1),
                restrictions=[Restriction.daily("09:00", dt.timedelta(hours=8))],
            )
        ],
    )  # fmt: skip
    night_page = pages_through_rota([ep(PAGE, 60, 70)], policy(nights))  # 01:00: nobody there
    assert night_page[0].user == BOSS


def test_backtest_pages_feed_the_page_rules() -> None:
    pages = pages_through_rota([ep(PAGE, m, m + 5) for m in (60, 600, 1200)], policy())
    plan = OnCallPlan(escalation_policies=[policy()])
    codes = [f.code for f in check(plan, T0, at(2 * 7 * 1440), pages=pages)]
    assert "OCP501" in codes  # three pages in Ann's shift
    assert "OCP502" in codes  # the 01:00 page is in her night


def test_poisson_quantiles() -> None:
    assert [poisson_quantile(1, q) for q in (0.05, 0.5, 0.95)] == [0, 1, 3]
    assert [poisson_quantile(10, q) for q in (0.05, 0.95)] == [5, 15]
    assert poisson_quantile(0, 0.95) == 0
    assert poisson_tail(1, 2) == pytest.approx(1 - 2.5 * 2.718281828459045**-1)


def test_poisson_quantiles_of_huge_means_start_near_the_mean() -> None:
    # scipy.stats.poisson.ppf gives these; summing from 0 took minutes for a mean of 10^8
    assert [poisson_quantile(1e4, q) for q in (0.05, 0.95)] == [9836, 10165]
    assert [poisson_quantile(1e8, q) for q in (0.05, 0.95)] == [99983552, 100016449]


@given(st.floats(0.01, 300), st.floats(0.01, 0.99))
def test_poisson_quantile_is_the_first_value_reaching_q(mean: float, q: float) -> None:
    k = poisson_quantile(mean, q)
    assert 1 - poisson_tail(mean, k) >= q - 1e-9
    assert k == 0 or 1 - poisson_tail(mean, k - 1) < q + 1e-9


def test_the_forecast_spreads_the_rate_over_the_shifts() -> None:
    bt = backtest(*(ep(PAGE, m, m + 5) for m in (100, 3000, 9000, 15000)), days=14)
    found = incidents(bt)
    since = T0 + dt.timedelta(weeks=4)
    fc = forecast(bt, found, policy(), since, since + dt.timedelta(weeks=2))
    assert [r.pages for r in fc.rates] == [4, 0]
    assert fc.per_week == pytest.approx(2.0)
    assert [(s.user, s.expected) for s in fc.shifts] == [
        (ANN, pytest.approx(2.0)),
        (BEN, pytest.approx(2.0)),
    ]
    assert (fc.shifts[0].low, fc.shifts[0].high) == (0, 5)
    assert [p.expected for p in fc.people] == [pytest.approx(2.0)] * 2
    assert fc.busy() == ()


def test_a_busy_forecast_is_an_ocp901_finding_naming_the_slo_and_alert() -> None:
    bt = backtest(*(ep(PAGE, 1000 * i, 1000 * i + 5) for i in range(12)), days=14)
    since = T0 + dt.timedelta(weeks=4)
    until = since + dt.timedelta(weeks=2)
    fc = forecast(bt, incidents(bt), policy(), since, until)
    plan = OnCallPlan(escalation_policies=[policy()])
    found = check(plan, since, until, forecast=fc, config=CheckConfig(select=["OCP9"]))
    assert [f.code for f in found] == ["OCP901", "OCP901"]
    assert "expected 6.0 pages" in found[0].message
    assert f"shop/availability {PAGE.alert} 6.0" in found[0].message
    quiet = check(
        plan, since, until, forecast=fc,
        config=CheckConfig(select=["OCP9"], thresholds={"OCP901": {"max_pages": 10}}),
    )  # fmt: skip
    assert quiet == ()


@given(st.lists(st.integers(0, 20000), max_size=20), st.integers(1, 30))
def test_a_persons_forecast_adds_up_their_shifts(starts: list[int], days: int) -> None:
    bt = backtest(*(ep(PAGE, m, m + 1) for m in sorted(set(starts))), days=14)
    since = T0 + dt.timedelta(weeks=3)
    fc = forecast(
        bt,
        incidents(bt, group_gap=dt.timedelta()),
        policy(),
        since,
        since + dt.timedelta(days=days),
    )
    assert sum(p.expected for p in fc.people) == pytest.approx(sum(s.expected for s in fc.shifts))
    assert sum(s.hours for s in fc.shifts) == pytest.approx(days * 24)


# --- the article's severity and incident-role rules --------------------------------------------


def seed_plan() -> OnCallPlan:
    from seed_plan import build_plan

    return build_plan()


def test_ocp902_the_articles_policy_is_too_slow_for_a_sev1() -> None:
    since = dt.datetime(2025, 3, 3, tzinfo=UTC)
    until = since + dt.timedelta(weeks=4)
    found = check(
        seed_plan(), since, until, incident=IncidentSetup(), config=CheckConfig(select=["OCP902"])
    )
    (finding,) = found
    assert "notified after 10 minutes" in finding.message
    assert "SEV-1's response time of 5 minutes" in finding.message
    sev2 = IncidentSetup(policy_severity={"Checkout Escalation": "SEV-2"})
    assert (
        check(seed_plan(), since, until, incident=sev2, config=CheckConfig(select=["OCP902"])) == ()
    )
    assert check(seed_plan(), since, until, config=CheckConfig(select=["OCP902"])) == ()


def test_ocp902_a_single_level_never_reaches_anyone_else() -> None:
    lone = EscalationPolicy("Lone", [EscalationRule(30, [Target.schedule(weekly())])])
    plan = OnCallPlan(escalation_policies=[lone])
    custom = IncidentSetup(severities=[Severity("P1", 60)])
    (finding,) = check(
        plan, T0, at(7 * 1440), incident=custom, config=CheckConfig(select=["OCP902"])
    )
    assert (
        "nobody else is ever notified" in finding.message
        and "P1's response time" in finding.message
    )


def roles_plan() -> tuple[OnCallPlan, Schedule, Schedule, Schedule]:
    primary = weekly()
    same = Schedule("Commanders", "Etc/UTC", [Layer("L", [ANN, BEN], T0, dt.timedelta(weeks=1))])
    offset = Schedule("Scribes", "Etc/UTC", [Layer("L", [BEN, ANN], T0, dt.timedelta(weeks=1))])
    plan = OnCallPlan(schedules=[same, offset], escalation_policies=[policy(primary)])
    return plan, primary, same, offset


def test_ocp903_one_person_in_two_roles_at_once() -> None:
    plan, _, commanders, scribes = roles_plan()
    setup = IncidentSetup(roles={"commander": commanders, "scribe": commanders})
    found = check(plan, T0, at(14 * 1440), incident=setup, config=CheckConfig(select=["OCP903"]))
    assert [f.subject for f in found] == [
        "User 'Ann' <ann@example.com>",
        "User 'Ben' <ben@example.com>",
    ]
    assert "commander and scribe" in found[0].message
    apart = IncidentSetup(roles={"commander": commanders, "scribe": scribes})
    assert (
        check(plan, T0, at(14 * 1440), incident=apart, config=CheckConfig(select=["OCP903"])) == ()
    )


def test_ocp904_the_commander_is_the_primary_responder() -> None:
    plan, _, commanders, scribes = roles_plan()
    clash = IncidentSetup(roles={"commander": commanders})
    found = check(plan, T0, at(14 * 1440), incident=clash, config=CheckConfig(select=["OCP904"]))
    assert len(found) == 2 and "first to be paged for 'Ops'" in found[0].message
    fine = IncidentSetup(roles={"commander": scribes}, responders={"shop": "Ops"})
    assert (
        check(plan, T0, at(14 * 1440), incident=fine, config=CheckConfig(select=["OCP904"])) == ()
    )


def test_ocp904_counts_everyone_the_first_level_pages_not_only_the_first_listed() -> None:
    # Level 1 notifies Ann and Ben at once; Ben, second in the list, is also the commander.
    both = EscalationPolicy(
        "Ops",
        [
            EscalationRule(10, [Target.user(ANN), Target.user(BEN)]),
            EscalationRule(10, [Target.user(BOSS)]),
        ],
    )
    commanders = Schedule("Commanders", "Etc/UTC", [Layer("L", [BEN], T0, dt.timedelta(weeks=1))])
    plan = OnCallPlan(schedules=[commanders], escalation_policies=[both])
    setup = IncidentSetup(roles={"commander": commanders})
    found = check(plan, T0, at(7 * 1440), incident=setup, config=CheckConfig(select=["OCP904"]))
    assert [f.subject for f in found] == ["User 'Ben' <ben@example.com>"]


def test_incident_setup_checks_its_names() -> None:
    with pytest.raises(ValidationError, match="unknown role 'boss'"):
        IncidentSetup(roles={"boss": weekly()})
    with pytest.raises(ValidationError, match="names severity 'SEV-9'"):
        IncidentSetup(policy_severity={"Ops": "SEV-9"})
    plan = OnCallPlan(escalation_policies=[policy()])
    with pytest.raises(ValidationError, match="names escalation policy 'Nope'"):
        check(plan, T0, at(60), incident=IncidentSetup(policy_severity={"Nope": "SEV-2"}))


def test_a_shift_based_schedule_is_read_through_render() -> None:
    """A policy whose schedule is shift-based (pagerduty_schedulev2): pages and the forecast's
    shifts come from what render() gives for it, like for a layer-based one."""
    from oncall_planner import RotatingMembers, Rotation, ShiftEvent, ShiftSchedule

    daily = ShiftEvent(
        "Day",
        T0,
        T0 + dt.timedelta(days=1),
        "RRULE:FREQ=DAILY",
        RotatingMembers([ANN, BEN]),
    )
    shifts = ShiftSchedule("Shifts", "Etc/UTC", [Rotation([daily])])
    day = 24 * 60
    pages = pages_through_rota([ep(PAGE, 600, 610), ep(PAGE, day + 600, day + 610)], policy(shifts))
    assert [p.user for p in pages] == [ANN, BEN]
    bt = backtest(*(ep(PAGE, 1000 * i, 1000 * i + 5) for i in range(14)), days=14)
    since = T0 + dt.timedelta(weeks=3)
    fc = forecast(bt, incidents(bt), policy(shifts), since, since + dt.timedelta(days=4))
    assert [(s.user, s.hours) for s in fc.shifts] == [(BEN, 24), (ANN, 24), (BEN, 24), (ANN, 24)]
    assert fc.shifts[0].expected == pytest.approx(1.0)
