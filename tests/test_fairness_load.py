"""Per-person load: hours, levels, buckets in each person's zone, holidays, pages, zero hours."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from fairness_helpers import WEEK, A, B, C, at, one_layer
from seed_plan import MANAGER, build_plan

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
    ValidationError,
    fairness_report,
)


def _solo(user: User) -> OnCallPlan:
    return OnCallPlan(schedules=[one_layer([user])])


def test_seed_team_is_perfectly_balanced_over_its_cycle():
    report = fairness_report(build_plan())
    assert [p.hours for p in report.rostered] == [168.0] * 4
    assert report.hours.balance == 1.0


def test_a_user_target_is_on_call_for_the_whole_horizon_at_its_level():
    manager = fairness_report(build_plan()).person(MANAGER.email)
    assert (manager.hours, manager.level1_hours, manager.later_hours) == (672.0, 0.0, 672.0)


def test_people_only_targeted_by_a_policy_are_not_rostered_and_not_in_the_indices():
    report = fairness_report(build_plan())
    assert report.person(MANAGER.email).rostered is False
    assert report.person(MANAGER.email).above_average_hours is None


def test_schedule_level_is_the_first_rule_that_targets_it():
    first, second = one_layer([A], name="First"), one_layer([B], name="Second")
    policy = EscalationPolicy(
        "P",
        [EscalationRule(5, [Target.schedule(first)]), EscalationRule(5, [Target.schedule(second)])],
    )
    report = fairness_report(OnCallPlan(escalation_policies=[policy]))
    assert dict(report.levels) == {"First": 1, "Second": 2}
    assert report.person(B.email).later_hours == 168.0
    assert report.person(A.email).level1_hours == 168.0


def test_rostered_people_hidden_by_a_later_layer_appear_with_zero_hours():
    s = Schedule(
        "Ops",
        "America/New_York",
        [
            Layer("Hidden", [C], at(2025, 1, 6), WEEK),
            Layer("Top", [A, B], at(2025, 1, 6), WEEK),
        ],
    )
    report = fairness_report(OnCallPlan(schedules=[s]))
    assert [(p.user.name, p.hours) for p in report.people] == [
        ("Cat", 0.0),
        ("Ann", 168.0),
        ("Ben", 168.0),
    ]
    assert report.hours.balance == pytest.approx(1 / 3)


def test_business_off_and_sleep_split_a_week_around_the_clock():
    p = fairness_report(_solo(A)).person(A.email)
    assert (p.business_hours, p.off_hours, p.sleep_hours) == (50.0, 48.0, 70.0)
    assert p.weekend_hours == 48.0


def test_buckets_follow_the_persons_own_time_zone():
    window = (at(2025, 1, 6, 9), at(2025, 1, 6, 17))  # Monday 09-17 in New York
    ny = fairness_report(_solo(A), *window).person(A.email)
    london = User("Ann", "ann@example.com", "Europe/London")  # 14:00-22:00 there
    ldn = fairness_report(_solo(london), *window).person(A.email)
    tokyo = User("Ann", "ann@example.com", "Asia/Tokyo")  # 23:00-07:00 there
    tyo = fairness_report(_solo(tokyo), *window).person(A.email)
    assert (ny.business_hours, ny.off_hours, ny.sleep_hours) == (8.0, 0.0, 0.0)
    assert (ldn.business_hours, ldn.off_hours, ldn.sleep_hours) == (4.0, 4.0, 0.0)
    assert (tyo.business_hours, tyo.off_hours, tyo.sleep_hours) == (0.0, 0.0, 8.0)


def test_public_holidays_come_from_the_users_country():
    window = (at(2025, 6, 30), at(2025, 7, 7))  # Friday 4 July is a US holiday
    us = fairness_report(_solo(A), *window, holidays={A.email: ("US", None)}).person(A.email)
    gb = fairness_report(_solo(A), *window, holidays={A.email: "GB"}).person(A.email)
    assert (us.holiday_hours, gb.holiday_hours) == (24.0, 0.0)


def test_subdivision_holidays_count():
    # New York State keeps Lincoln's Birthday (12 Feb) and Susan B. Anthony Day (15 Feb).
    window = (at(2025, 2, 10), at(2025, 2, 17))
    ny = fairness_report(_solo(A), *window, holidays={A.email: ("US", "NY")}).person(A.email)
    us = fairness_report(_solo(A), *window, holidays={A.email: ("US", None)}).person(A.email)
    assert (ny.holiday_hours, us.holiday_hours) == (48.0, 0.0)


def test_an_unknown_holiday_country_is_a_clear_error():
    with pytest.raises(ValidationError, match="'XX'"):
        fairness_report(_solo(A), holidays={A.email: ("XX", None)})


def test_burden_adds_the_weighted_extras_to_the_hours():
    window = (at(2025, 6, 30), at(2025, 7, 7))
    p = fairness_report(_solo(A), *window, holidays={A.email: "US"}).person(A.email)
    # 168 h + (2 − 1)·70 night + (1.5 − 1)·48 weekend + (2 − 1)·24 holiday
    assert p.burden == 168 + 70 + 24 + 24


def test_shifts_count_continuous_stretches():
    s = Schedule(
        "Ops",
        "America/New_York",
        [
            Layer(
                "Days",
                [A],
                at(2025, 1, 6),
                WEEK,
                restrictions=[Restriction.daily("09:00", dt.timedelta(hours=8))],
            )
        ],
    )
    p = fairness_report(OnCallPlan(schedules=[s])).person(A.email)
    assert (p.shifts, p.hours, p.longest_stretch_hours) == (7, 56.0, 8.0)


def test_overrides_move_hours_between_people():
    plan = OnCallPlan(schedules=[one_layer([A, B])])
    cover = Override(at(2025, 1, 6), at(2025, 1, 13), B)
    report = fairness_report(plan, overrides={"Ops": [cover]})
    assert (report.person(A.email).hours, report.person(B.email).hours) == (0.0, 336.0)


def test_overrides_for_an_unknown_schedule_are_refused():
    with pytest.raises(ValidationError, match="'Nope'"):
        fairness_report(_solo(A), overrides={"Nope": []})


def test_pages_are_counted_per_person_with_sleep_hour_pages():
    pages = [
        SimpleNamespace(at=at(2025, 1, 7, 3), user=A),  # 03:00: sleep
        SimpleNamespace(at=at(2025, 1, 7, 14), user="ANN@example.com"),
        SimpleNamespace(at=at(2025, 1, 7, 15), user=None),
        SimpleNamespace(at=at(2024, 1, 1), user=A),  # outside the horizon
    ]
    report = fairness_report(_solo(A), pages=pages)
    assert (report.person(A.email).pages, report.person(A.email).sleep_pages) == (2, 1)
    assert report.unattributed_pages == 1


def test_without_page_history_page_counts_are_absent_not_zero():
    assert fairness_report(_solo(A)).person(A.email).pages is None


def test_a_page_without_an_aware_time_is_a_clear_error():
    with pytest.raises(ValidationError, match=r"pages\[0\]"):
        fairness_report(_solo(A), pages=[SimpleNamespace(at=dt.datetime(2025, 1, 7), user=A)])


def test_time_counts_once_when_someone_is_on_two_schedules_at_once():
    plan = OnCallPlan(schedules=[one_layer([A], name="One"), one_layer([A], name="Two")])
    assert fairness_report(plan).person(A.email).hours == 168.0


def test_pages_from_real_exports_keep_their_seconds_and_name_people_by_display_name():
    pages = [
        SimpleNamespace(at=at(2025, 1, 7, 3) + dt.timedelta(seconds=40), user=A.name),
        SimpleNamespace(at=at(2025, 1, 7, 14, 12) + dt.timedelta(seconds=5), user=A.name.upper()),
    ]
    report = fairness_report(_solo(A), pages=pages)
    assert (report.person(A.email).pages, report.person(A.email).sleep_pages) == (2, 1)
    assert report.unattributed_pages == 0


def test_an_unknown_subdivision_is_named_as_such_with_the_known_ones():
    from fairness_helpers import A, one_layer

    from oncall_planner import OnCallPlan, ValidationError, fairness_report

    plan = OnCallPlan(schedules=[one_layer([A])])
    with pytest.raises(ValidationError, match="does not know this subdivision of US") as error:
        fairness_report(plan, holidays={A.email: ("US", "ZZ")})
    assert "NY" in str(error.value) and "this country" not in str(error.value)
