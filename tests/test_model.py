"""The model validates PagerDuty's limits where objects are built, with messages that say what and why."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import pytz

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Override,
    Restriction,
    Schedule,
    Target,
    Team,
    TimeOff,
    User,
    ValidationError,
)

UTC = dt.timezone.utc
T0 = dt.datetime(2025, 1, 6, 9, tzinfo=UTC)
WEEK = dt.timedelta(weeks=1)
ALICE = User("Alice", "alice@example.com")
BOB = User("Bob", "bob@example.com")


def layer(**kw: object) -> Layer:
    args: dict[str, object] = {
        "name": "Primary",
        "users": [ALICE, BOB],
        "start": T0,
        "turn_length": WEEK,
    }
    args.update(kw)
    return Layer(**args)  # type: ignore[arg-type]


def raises(message: str) -> pytest.RaisesContext[ValidationError]:
    return pytest.raises(ValidationError, match=re.escape(message))


def test_validation_error_is_a_value_error() -> None:
    assert issubclass(ValidationError, ValueError)


def test_user_needs_an_email_address() -> None:
    with raises("User 'Alice': email must look like name@example.com, got 'alice'"):
        User("Alice", "alice")


def test_user_needs_a_name() -> None:
    with raises("User: name must be a non-empty string, got ''"):
        User("", "a@example.com")


def test_user_time_zone_must_be_one_pagerduty_accepts() -> None:
    with raises(
        "User 'Alice': time_zone must be one of the 135 names PagerDuty accepts, got 'UTC'; use 'Etc/UTC'"
    ):
        User("Alice", "alice@example.com", "UTC")


def test_user_zone_outside_the_allow_list_is_refused_even_if_iana_knows_it() -> None:
    with raises("got 'Europe/Oslo'"):
        User("Alice", "alice@example.com", "Europe/Oslo")


def test_restriction_accepts_strings_for_the_time_of_day() -> None:
    r = Restriction.daily("09:00", dt.timedelta(hours=8))
    assert r.start_time_of_day == dt.time(9, 0)
    assert Restriction.daily("09:00:00", dt.timedelta(hours=8)) == r
    assert str(r) == "daily from 09:00 for 8 hours"


def test_weekly_restriction_days_are_iso_monday_one() -> None:
    r = Restriction.weekly(1, dt.time(9), dt.timedelta(days=4, hours=8))
    assert str(r) == "weekly from Monday 09:00 for 4 days 8 hours"


def test_daily_restriction_must_be_shorter_than_a_day() -> None:
    with raises(
        "a daily duration must be at least 1 second and less than 24 hours (for whole days use no restriction), got 1 day"
    ):
        Restriction.daily("00:00", dt.timedelta(hours=24))


def test_weekly_restriction_must_be_shorter_than_a_week() -> None:
    with raises("a weekly duration must be at least 1 second and less than 7 days, got 7 days"):
        Restriction.weekly(1, "00:00", dt.timedelta(days=7))


def test_weekly_restriction_day_must_be_one_to_seven() -> None:
    with raises("start_day_of_week must be 1 (Monday) to 7 (Sunday), got 0"):
        Restriction.weekly(0, "09:00", dt.timedelta(hours=8))


def test_restriction_time_of_day_is_whole_minutes() -> None:
    with raises("start_time_of_day must be in whole minutes, got 09:00:30"):
        Restriction.daily("09:00:30", dt.timedelta(hours=1))


def test_restriction_time_of_day_must_parse() -> None:
    with raises("start_time_of_day must be a datetime.time or 'HH:MM' / 'HH:MM:SS', got '9am'"):
        Restriction.daily("9am", dt.timedelta(hours=1))


def test_layer_turn_length_has_pagerduty_bounds() -> None:
    with raises("Layer 'Primary': turn_length must be between 1 hour and 365 days, got 30 minutes"):
        layer(turn_length=dt.timedelta(minutes=30))
    with raises("got 366 days"):
        layer(turn_length=dt.timedelta(days=366))
    assert layer(turn_length=dt.timedelta(hours=1)).turn_length == dt.timedelta(hours=1)
    assert layer(turn_length=dt.timedelta(days=365)).turn_length == dt.timedelta(days=365)


def test_layer_needs_a_user() -> None:
    with raises("Layer 'Primary': users must have at least 1 User, got 0"):
        layer(users=[])


def test_layer_users_must_be_users() -> None:
    with raises("Layer 'Primary': users must hold User objects, got str 'alice@example.com'"):
        layer(users=["alice@example.com"])


def test_layer_times_must_be_aware() -> None:
    with raises("Layer 'Primary': start must be timezone-aware"):
        layer(start=dt.datetime(2025, 1, 6, 9))


def test_layer_times_must_be_whole_minutes() -> None:
    with raises(
        "Layer 'Primary': start must be in whole minutes (PagerDuty drops seconds), got 2025-01-06T09:00:30+00:00"
    ):
        layer(start=T0 + dt.timedelta(seconds=30))


def test_pytz_zone_attached_with_tzinfo_is_caught() -> None:
    with raises("a pytz zone attached with tzinfo="):
        layer(start=dt.datetime(2025, 1, 6, 9, tzinfo=pytz.timezone("America/New_York")))


def test_layer_end_must_follow_start() -> None:
    with raises(
        "Layer 'Primary': end must be after start (2025-01-06T09:00:00+00:00), got 2025-01-06T09:00:00+00:00"
    ):
        layer(end=T0)


def test_layer_rotation_virtual_start_defaults_to_start() -> None:
    assert layer().rotation_virtual_start == T0


def test_layer_refuses_daily_and_weekly_restrictions_together() -> None:
    with raises("restrictions must be all daily or all weekly"):
        layer(
            restrictions=[
                Restriction.daily("09:00", dt.timedelta(hours=8)),
                Restriction.weekly(1, "09:00", dt.timedelta(hours=8)),
            ]
        )


def test_schedule_needs_a_layer_and_a_known_zone() -> None:
    with raises("Schedule 'Checkout': layers must have at least 1 Layer, got 0"):
        Schedule("Checkout", "Etc/UTC", [])
    with raises(
        "Schedule 'Checkout': time_zone must be one of the 135 names PagerDuty accepts, got 'Mars/Olympus'"
    ):
        Schedule("Checkout", "Mars/Olympus", [layer()])


def test_lists_become_tuples_so_values_are_hashable() -> None:
    s = Schedule("Checkout", "Etc/UTC", [layer()])
    assert isinstance(s.layers, tuple)
    assert hash(s) == hash(Schedule("Checkout", "Etc/UTC", (layer(),)))


def test_override_end_must_follow_start() -> None:
    with raises("Override: end must be after start"):
        Override(T0, T0 - dt.timedelta(hours=1), ALICE)


def test_time_off_end_must_follow_start() -> None:
    with raises("TimeOff: end must be after start"):
        TimeOff(ALICE, T0, T0)


def test_escalation_rule_limits() -> None:
    with raises(
        "EscalationRule: delay_minutes must be a whole number ≥ 1 and at most 525600 (a year), got 0"
    ):
        EscalationRule(0, [Target.user(ALICE)])
    with raises("EscalationRule: targets must have at least 1 Target, got 0"):
        EscalationRule(5, [])
    many = [Target.user(User(f"U{i}", f"u{i}@example.com")) for i in range(11)]
    with raises("EscalationRule: targets must have at most 10 Targets, got 11"):
        EscalationRule(5, many)


def test_policy_loops_are_zero_to_nine() -> None:
    rule = EscalationRule(5, [Target.user(ALICE)])
    with raises("EscalationPolicy 'Checkout': num_loops must be 0 to 9, got 10"):
        EscalationPolicy("Checkout", [rule], num_loops=10)


def test_policy_name_characters() -> None:
    rule = EscalationRule(5, [Target.user(ALICE)])
    with raises("EscalationPolicy: name must not end with a space nor contain \\ / & < >"):
        EscalationPolicy("Checkout & Payments", [rule])
    with raises("EscalationPolicy 'Checkout\\tPayments': name must not hold control characters"):
        EscalationPolicy("Checkout\tPayments", [rule])
    with raises("EscalationPolicy: name must be printable"):
        EscalationPolicy("Checkout\u00a0Payments", [rule])


def test_team_description_is_text_of_at_most_1024_characters() -> None:
    assert Team("Checkout", description="x" * 1024).description == "x" * 1024
    with raises("Team 'Checkout': description must be at most 1024 characters, got 1025"):
        Team("Checkout", description="x" * 1025)
    with raises("Team 'Checkout': description must be a string or None, got 5"):
        Team("Checkout", description=5)  # type: ignore[arg-type]


def test_schedule_lists_each_team_once() -> None:
    ops = Team("Ops", [ALICE])
    with raises("Schedule 'Checkout': teams lists 'Ops' twice"):
        Schedule("Checkout", "Etc/UTC", [layer()], teams=[ops, ops])


def test_policy_has_at_most_one_team() -> None:
    rule = EscalationRule(5, [Target.user(ALICE)])
    with raises("team must be one Team or None"):
        EscalationPolicy("Checkout", [rule], team=[Team("A"), Team("B")])  # type: ignore[arg-type]


def test_targets_name_users_and_schedules() -> None:
    schedule = Schedule("Checkout", "Etc/UTC", [layer()])
    assert Target.user(ALICE).user == ALICE
    assert Target.user(ALICE).schedule is None
    assert Target.schedule(schedule).schedule == schedule
    assert Target.schedule(schedule).name == "Checkout"
    with raises("Target: a user target needs a User, got Schedule"):
        Target.user(schedule)  # type: ignore[arg-type]


def test_plan_collects_what_policies_and_schedules_refer_to() -> None:
    manager = User("Manager", "manager@example.com")
    team = Team("Checkout", [ALICE, BOB])
    schedule = Schedule("Checkout", "Etc/UTC", [layer()], teams=[team])
    policy = EscalationPolicy(
        "Checkout",
        [
            EscalationRule(10, [Target.schedule(schedule)]),
            EscalationRule(15, [Target.user(manager)]),
        ],
    )
    plan = OnCallPlan(escalation_policies=[policy])
    assert plan.schedules == (schedule,)
    assert plan.users == (ALICE, BOB, manager)
    assert plan.teams == (team,)
    assert plan.user("ALICE@example.com") == ALICE
    assert plan.schedule("Checkout") == schedule


def test_plan_refuses_two_users_with_one_email_naming_where_each_is_given() -> None:
    other = User("Alice Smith", "alice@example.com")
    s1 = Schedule("A", "Etc/UTC", [layer()])
    s2 = Schedule("B", "Etc/UTC", [layer(users=[BOB, other])])
    with raises(
        "OnCallPlan: two users with the email 'alice@example.com' "
        "(schedules[0].layers[0].users[0] and schedules[1].layers[0].users[1]); they differ in "
        "name; each needs its own email"
    ):
        OnCallPlan(schedules=[s1, s2])


def test_plan_refuses_two_schedules_with_one_name_naming_where_each_is_given() -> None:
    s1 = Schedule("A", "Etc/UTC", [layer()])
    s2 = Schedule("A", "Europe/London", [layer()])
    policy = EscalationPolicy("P", [EscalationRule(5, [Target.schedule(s2)])])
    with raises(
        "OnCallPlan: two schedules named 'A' (schedules[0] and "
        "escalation_policies[0].rules[0].targets[0].schedule); they differ in time_zone; each "
        "needs its own name"
    ):
        OnCallPlan(schedules=[s1], escalation_policies=[policy])


def test_a_duplicate_name_is_one_short_line_however_big_the_objects() -> None:
    crowd = [User(f"Person {i}", f"person{i}@example.com") for i in range(300)]
    s1 = Schedule("Big", "Etc/UTC", [layer(users=crowd)])
    s2 = Schedule("Big", "Etc/UTC", [layer(users=crowd[::-1])])
    with pytest.raises(ValidationError) as info:
        OnCallPlan(schedules=[s1, s2])
    assert str(info.value) == (
        "OnCallPlan: two schedules named 'Big' (schedules[0] and schedules[1]); they differ in "
        "layers; each needs its own name"
    )


def test_a_duplicate_email_differing_in_case_shows_both_spellings() -> None:
    with raises("two users with the email 'ann@example.com' / 'Ann@example.com' (users[0] and"):
        OnCallPlan(users=[User("Ann", "ann@example.com"), User("Ann", "Ann@example.com")])


def test_zoneinfo_and_pytz_instants_make_equal_layers() -> None:
    ny_zi = ZoneInfo("America/New_York")
    ny_pytz = pytz.timezone("America/New_York")
    a = layer(start=dt.datetime(2025, 1, 6, 9, tzinfo=ny_zi))
    b = layer(start=ny_pytz.localize(dt.datetime(2025, 1, 6, 9)))
    assert a == b
