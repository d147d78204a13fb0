"""Each of PagerDuty's definitions on a hand-built history; every expected number is worked out
here, from the definition, not read off the code's output."""

from __future__ import annotations

import datetime as dt

import pytest
from health_helpers import (
    ANN,
    BEN,
    BOSS,
    NY,
    REFS,
    assign,
    by,
    entry,
    history,
    notify,
    utc,
    weekly_plan,
)

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Schedule,
    Target,
    ValidationError,
)
from oncall_planner.health import (
    Alert,
    CompensationRates,
    HealthConfig,
    HourWindows,
    PersonSettings,
    equity_score,
    health_report,
    interruptions,
    preset,
)

S = dt.timedelta(seconds=1)
MONDAY = dt.datetime(2025, 3, 3, tzinfo=NY)  # Monday 3 March 2025, before the DST change
WINDOW = (MONDAY, MONDAY + dt.timedelta(weeks=1))


def report(*entries, config=None, plan=None, window=WINDOW, **kwargs):
    plan = plan or weekly_plan(MONDAY, (ANN, BEN))
    return health_report(plan, history(*entries, **kwargs), *window, config=config)


# --- interruptions ----------------------------------------------------------------------------


def test_notifications_within_sixty_seconds_are_one_interruption():
    t0 = utc(2025, 3, 4, 15)  # Tuesday 10:00 in New York
    notes = [
        notify(ANN, t0, "push"),
        notify(ANN, t0 + 40 * S, "phone", "+15550101"),
        notify(ANN, t0 + 60 * S, "sms", "+15550102"),  # 60 s after the first: still merged
        notify(ANN, t0 + 61 * S, "push"),  # 61 s: a new interruption starts here
        notify(ANN, t0 + 100 * S, "phone", "+15550103"),  # 39 s after that one: merged into it
    ]
    found = interruptions(notes)
    # Anchored at each interruption's first notification: [0, 40, 60] and [61, 100].
    assert [(i.at - t0).seconds for i in found] == [0, 61]
    assert [len(i.notifications) for i in found] == [3, 2]
    assert report(*notes).person(ANN.email).interruptions == 2


def test_channels_to_one_destination_count_once_even_minutes_apart():
    t0 = utc(2025, 3, 4, 15)
    same_number = [
        notify(ANN, t0, "sms", "+15550101"),
        notify(ANN, t0 + 90 * S, "phone", "+15550101"),
    ]
    # 90 s apart, so the 60-second merge does not join them; one destination, two channels does.
    assert len(interruptions(same_number)) == 1
    # The same channel twice is the notification rule firing again: two interruptions.
    repeated = [
        notify(ANN, t0, "phone", "+15550101"),
        notify(ANN, t0 + 90 * S, "phone", "+15550101"),
    ]
    assert len(interruptions(repeated)) == 2
    # Two numbers are two destinations.
    apart = [notify(ANN, t0, "sms", "+15550101"), notify(ANN, t0 + 90 * S, "phone", "+15550199")]
    assert len(interruptions(apart)) == 2


def test_email_is_not_an_interruption_but_is_a_notification():
    t0 = utc(2025, 3, 4, 15)
    person = report(notify(ANN, t0, "email"), notify(ANN, t0 + 300 * S, "email")).person(ANN.email)
    assert person.interruptions == 0
    assert person.notifications == {"email": 2}


def test_notifications_of_different_people_are_never_merged():
    t0 = utc(2025, 3, 4, 15)
    found = interruptions([notify(ANN, t0, "push"), notify(BOSS, t0 + S, "push")])
    assert [i.person for i in found] == [REFS[ANN], REFS[BOSS]]


def _pagerduty_bucket(local: dt.datetime, precedence: tuple[str, ...]) -> str:
    """PagerDuty's windows as the docs word them, applied by hand to a local time."""
    hour, weekday = local.hour, local.weekday()  # Monday 0
    inside = set()
    if weekday < 5 and 8 <= hour < 18:
        inside.add("business")
    if (weekday < 5 and 18 <= hour < 22) or weekday >= 5:
        inside.add("off")
    if hour >= 22 or hour < 8:
        inside.add("sleep")
    return next(b for b in precedence if b in inside)


@pytest.mark.parametrize(
    ("precedence", "expected"),
    [(("sleep", "off", "business"), "sleep"), (("off", "sleep", "business"), "off")],
)
def test_a_saturday_2300_page_is_sleep_by_default_and_off_when_off_comes_first(
    precedence, expected
):
    at = dt.datetime(2025, 3, 8, 23, 0, tzinfo=NY)  # Saturday 23:00 in Ann's zone
    assert _pagerduty_bucket(at, precedence) == expected  # both windows hold it
    hours = preset("pagerduty")
    config = HealthConfig(hours=HourWindows("custom", hours.windows, precedence))
    person = report(notify(ANN, at.astimezone(dt.timezone.utc), "push"), config=config).person(
        ANN.email
    )
    assert person.interruptions_by_bucket == {"business": 0, "off": 0, "sleep": 0} | {expected: 1}


def test_a_page_is_judged_in_the_users_own_zone_across_a_dst_change():
    # The same UTC time of day, 12:30, before and after New York falls back (3 November 2024).
    friday, monday = utc(2024, 11, 1, 12, 30), utc(2024, 11, 4, 12, 30)
    locals_ = [t.astimezone(NY) for t in (friday, monday)]
    assert [(t.hour, t.minute) for t in locals_] == [(8, 30), (7, 30)]  # EDT, then EST
    expected = [_pagerduty_bucket(t, ("sleep", "off", "business")) for t in locals_]
    assert expected == ["business", "sleep"]
    start = dt.datetime(2024, 10, 28, tzinfo=NY)
    out = report(
        notify(ANN, friday, "push", incident="Q1"),
        notify(ANN, monday, "push", incident="Q2"),
        plan=weekly_plan(start, boss=None),
        window=(start, start + dt.timedelta(weeks=2)),
    ).person(ANN.email)
    assert out.interruptions_by_bucket == {"business": 1, "off": 0, "sleep": 1}
    # The heat map puts them at Friday 08:00 and Monday 07:00, Ann's wall clock.
    assert out.heat_map[4][8] == 1 and out.heat_map[0][7] == 1
    assert sum(map(sum, out.heat_map)) == 2


def test_a_user_without_a_zone_is_judged_in_their_schedules_zone():
    plain = ANN.__class__("Ann", "ann@example.com")  # no time zone of her own
    schedule = Schedule(
        "Ops", "Asia/Tokyo", [Layer("Main", [plain], MONDAY, dt.timedelta(weeks=1))]
    )
    plan = OnCallPlan(schedules=[schedule])
    at = utc(2025, 3, 4, 15)  # Wednesday 00:00 in Tokyo: sleep there, business in New York
    out = report(notify(ANN, at, "push"), plan=plan)
    person = out.person("ann@example.com")
    assert (person.time_zone, person.zone_source) == ("Asia/Tokyo", "schedule 'Ops'")
    assert person.interruptions_by_bucket["sleep"] == 1


# --- on call at level 1 and level 2+ -----------------------------------------------------------


def _two_level_plan(backup_order):
    start = dt.datetime(2025, 1, 6, tzinfo=NY)  # Monday; no DST change in January
    week = dt.timedelta(weeks=1)
    primary = Schedule("Primary", "America/New_York", [Layer("P", [ANN, BEN], start, week)])
    backup = Schedule("Backup", "America/New_York", [Layer("B", backup_order, start, week)])
    policy = EscalationPolicy(
        "Ops",
        [
            EscalationRule(10, [Target.schedule(primary)]),
            EscalationRule(10, [Target.schedule(backup), Target.user(BOSS)]),
        ],
    )
    return OnCallPlan(escalation_policies=[policy]), (start, start + 2 * week)


def test_level_2_time_is_the_time_on_call_only_at_later_levels():
    plan, window = _two_level_plan([BEN, ANN])  # the backup is the other person each week
    out = health_report(plan, None, *window)
    week = 7 * 24 * 3600
    # Week 1: Ann primary, Ben backup; week 2 the other way round; the boss at level 2 always.
    assert (out.person(ANN.email).level_1_seconds, out.person(ANN.email).level_2_plus_seconds) == (
        week,
        week,
    )
    assert (out.person(BEN.email).level_1_seconds, out.person(BEN.email).level_2_plus_seconds) == (
        week,
        week,
    )
    assert (
        out.person(BOSS.email).level_1_seconds,
        out.person(BOSS.email).level_2_plus_seconds,
    ) == (0, 2 * week)


def test_time_at_level_1_is_not_counted_again_at_level_2():
    plan, window = _two_level_plan([ANN, BEN])  # the same person on both levels each week
    out = health_report(plan, None, *window)
    week = 7 * 24 * 3600
    for person in (ANN, BEN):
        numbers = out.person(person.email)
        assert (numbers.level_1_seconds, numbers.level_2_plus_seconds) == (week, 0)
        assert numbers.on_call_seconds == week


# --- response: MTTA, engaged time, MTTR --------------------------------------------------------


def _response_history():
    t1, t2, t3 = utc(2025, 3, 4, 15), utc(2025, 3, 5, 15), utc(2025, 3, 6, 15)
    return [
        # Q1: Ann assigned, escalated to Ben after 10 min; Ben acks at +700 s, Ann at +900 s.
        by(None, "trigger", t1, "Q1"),
        assign(ANN, t1, "Q1"),
        notify(ANN, t1 + S, "push", incident="Q1"),
        assign(BEN, t1 + 600 * S, "Q1", kind="escalate"),
        by(BEN, "acknowledge", t1 + 700 * S, "Q1"),
        by(ANN, "acknowledge", t1 + 900 * S, "Q1"),
        by(BEN, "resolve", t1 + 1800 * S, "Q1"),
        # Q2: Ann reassigns it to Ben, who resolves it: neither acknowledged.
        by(None, "trigger", t2, "Q2"),
        assign(ANN, t2, "Q2"),
        by(ANN, "assign", t2 + 120 * S, "Q2", assignees=(REFS[BEN],)),
        by(BEN, "resolve", t2 + 600 * S, "Q2"),
        # Q3: resolves by itself, nobody acts.
        by(None, "trigger", t3, "Q3"),
        assign(ANN, t3, "Q3"),
        notify(ANN, t3 + S, "push", incident="Q3"),
        by(None, "resolve", t3 + 180 * S, "Q3"),
    ]


def test_mtta_runs_from_the_users_first_assignment_to_their_first_acknowledgement():
    out = report(*_response_history())
    # Ann: assigned at 0, acknowledged at 900 (Q1); reassigning Q2 is no acknowledgement.
    assert out.person(ANN.email).mtta_seconds == 900
    # Ben: assigned by the escalation at 600, acknowledged at 700; resolving Q2 is none either.
    assert out.person(BEN.email).mtta_seconds == 100
    # The team's MTTA runs from the trigger to the first acknowledgement: Q1 only, 700 s.
    assert (out.incidents.mtta_seconds, out.incidents.acknowledged) == (700, 1)


def test_engaged_time_runs_from_the_users_acknowledgement_to_the_resolution():
    out = report(*_response_history())
    assert out.person(ANN.email).engaged_seconds == 1800 - 900
    assert out.person(BEN.email).engaged_seconds == 1800 - 700


def test_mttr_and_the_noise_ratio():
    out = report(*_response_history())
    # Resolved after 1800, 600 and 180 s; only Q3 resolved with nobody acting.
    assert out.incidents.mttr_seconds == pytest.approx((1800 + 600 + 180) / 3)
    assert (out.incidents.noise, out.incidents.noise_known) == (1, 3)
    assert out.incidents.noise_ratio == pytest.approx(1 / 3)


def test_mttd_counts_from_the_first_alert_to_the_incident():
    entries = _response_history()
    t1, t2 = utc(2025, 3, 4, 15), utc(2025, 3, 5, 15)
    alerts = (
        Alert(id="A1", incident="Q1", created_at=t1 - 240 * S),  # paused for 4 minutes
        Alert(id="A2", incident="Q1", created_at=t1 - 60 * S),  # a later alert: not the first
        Alert(id="A3", incident="Q2", created_at=t2),  # created with its incident
    )
    out = report(*entries, alerts=alerts)
    assert (out.incidents.mttd_seconds, out.incidents.detected) == ((240 + 0) / 2, 2)
    assert out.incidents.detected_early == 1


def test_multitudes_counts_acknowledgements_as_interruptions():
    out = report(*_response_history(), config=HealthConfig(hours=preset("multitudes")))
    assert out.person(ANN.email).interruptions == 1  # Ann acknowledged once (Q1)
    assert out.person(BEN.email).interruptions == 1


# --- pay, equity ---------------------------------------------------------------------------


def test_pay_at_the_level_1_rate_with_the_off_hours_and_weekend_multipliers():
    start = dt.datetime(2025, 1, 6, tzinfo=NY)  # a week with no public holiday
    config = HealthConfig(holidays_from_zone=False)
    out = health_report(
        weekly_plan(start), None, start, start + dt.timedelta(weeks=1), config=config
    )
    rates = CompensationRates()
    # Monday to Friday: 10 business hours and 14 off or sleep hours a day; the weekend 48 hours.
    business, off_hours, weekend = 5 * 10, 5 * 14, 48
    expected = rates.level_1 * (business + rates.off_hours * off_hours + rates.weekend * weekend)
    assert out.person(ANN.email).pay.total == expected == 5020
    # The boss, at level 2 all week: the same hours at the level 2+ rate.
    assert out.person(BOSS.email).pay.total == 15 * (50 + 1.5 * 70 + 2 * 48)


def test_pay_takes_the_holiday_multiplier_on_the_persons_public_holidays():
    start = dt.datetime(2025, 1, 20, tzinfo=NY)  # Martin Luther King Jr. Day, a US holiday
    config = HealthConfig(people={ANN.email: PersonSettings(country="US")})
    out = health_report(
        weekly_plan(start), None, start, start + dt.timedelta(weeks=1), config=config
    )
    ann = out.person(ANN.email)
    # Monday is a holiday (24 h x 2.5); Tuesday to Friday 40 business and 56 off hours.
    assert ann.pay.total == 20 * (24 * 2.5 + 40 + 56 * 1.5 + 48 * 2.0)
    assert (ann.holiday_region, ann.region_source) == ("US", "configuration")
    assert ann.holiday_seconds == 24 * 3600


def test_the_equity_score_is_100_minus_the_coefficient_of_variation_clamped():
    # Hours 100 and 50: mean 75, population standard deviation 25.
    assert equity_score([100, 50]) == pytest.approx(100 - 25 / 75 * 100)
    assert equity_score([10, 0, 0, 0]) == 0  # σ/μ = 4.33/2.5 > 1: clamped
    assert equity_score([0, 0]) == 100
    assert equity_score([40, 40, 40]) == 100


@pytest.mark.parametrize("hours", [[float("nan"), 1.0], [float("inf"), 1.0], [-1.0, 1.0]])
def test_the_equity_score_refuses_hours_that_are_not_a_finite_non_negative_number(hours):
    # A public function: a NaN raised AttributeError from statistics, and [-1, 1] scored 100.
    with pytest.raises(ValidationError, match="equity_score: hours must be finite numbers >= 0"):
        equity_score(hours)


def test_an_entry_by_a_person_counts_as_acting_on_an_incident():
    t0 = utc(2025, 3, 4, 15)
    noted = [
        by(None, "trigger", t0),
        by(ANN, "annotate", t0 + 60 * S),
        by(None, "resolve", t0 + 120 * S),
    ]
    assert report(*noted).incidents.noise_ratio == 0
    plain = [by(None, "trigger", t0), by(None, "resolve", t0 + 120 * S)]
    assert report(*plain).incidents.noise_ratio == 1


def test_times_before_the_trigger_are_left_out_of_the_means_not_negative():
    # Exports that disagree (an acknowledgement and a resolution logged before the trigger)
    # gave a team MTTA of -50 s and MTTR of -100 s; a person's numbers already left them out.
    t0 = utc(2025, 3, 4, 15)
    garbled = [
        by(None, "trigger", t0),
        assign(ANN, t0),
        by(ANN, "acknowledge", t0 - 50 * S),
        by(ANN, "resolve", t0 - 100 * S),
    ]
    sane = [
        by(None, "trigger", t0, "Q2"),
        assign(ANN, t0, "Q2"),
        by(ANN, "acknowledge", t0 + 30 * S, "Q2"),
        by(ANN, "resolve", t0 + 90 * S, "Q2"),
    ]
    out = report(*garbled, *sane)
    assert (out.incidents.mtta_seconds, out.incidents.acknowledged) == (30, 1)
    assert (out.incidents.mttr_seconds, out.incidents.resolved) == (90, 1)
    assert out.person(ANN.email).mttr_seconds == 90
    assert [(w.mtta_seconds, w.mttr_seconds) for w in out.weeks if w.incidents] == [(30, 90)]


def test_entry_helper_builds_what_the_loader_builds():
    e = entry("trigger", utc(2025, 3, 4))
    assert e.kind == "trigger" and e.incident == "Q1"


def test_a_shift_based_schedule_counts_everyone_it_has_on_call():
    from oncall_planner import EveryMember, Rotation, ShiftEvent, ShiftSchedule

    # Saturdays and Sundays 09:00-21:00, both Ann and Ben at once, as level 1 of the policy.
    weekend = ShiftEvent(
        "Weekend",
        start_time=dt.datetime(2025, 3, 8, 9, tzinfo=NY),  # a Saturday
        end_time=dt.datetime(2025, 3, 8, 21, tzinfo=NY),
        recurrence="RRULE:FREQ=WEEKLY;BYDAY=SA,SU",
        assignment=EveryMember([ANN, BEN]),
    )
    shifts = ShiftSchedule("Weekend support", "America/New_York", [Rotation([weekend])])
    plan = OnCallPlan(
        escalation_policies=[
            EscalationPolicy(
                "Support",
                [
                    EscalationRule(10, [Target.schedule(shifts)]),
                    EscalationRule(10, [Target.user(BOSS)]),
                ],
            )
        ]
    )
    t = dt.datetime(2025, 3, 8, 15, tzinfo=NY).astimezone(dt.timezone.utc)  # Saturday 15:00
    out = report(notify(ANN, t, "push"), notify(BEN, t, "push"), plan=plan)
    # Two weekend days of 12 hours in the week, at level 1, for each of them.
    for person in (ANN, BEN):
        numbers = out.person(person.email)
        assert (numbers.level_1_seconds, numbers.level_2_plus_seconds) == (24 * 3600, 0)
        # Saturday 15:00 in New York is 20:00 in London: off hours for both.
        assert numbers.interruptions_by_bucket == {"business": 0, "off": 1, "sleep": 0}
    # Ann's weekend daytime is all off hours in New York. Ben lives in London: Saturday's shift
    # runs 14:00-02:00 there (4 hours after 22:00) and Sunday's, New York having sprung
    # forward, 13:00-01:00 (3 hours): 7 hours of sleep time.
    assert out.person(ANN.email).hours_by_bucket == {"business": 0, "off": 24 * 3600, "sleep": 0}
    assert out.person(BEN.email).hours_by_bucket == {
        "business": 0,
        "off": (24 - 7) * 3600,
        "sleep": 7 * 3600,
    }
    # The boss, a user target at level 2, is on call all week (167 hours: New York springs
    # forward on Sunday) and at level 1 never.
    assert out.person(BOSS.email).level_2_plus_seconds == (7 * 24 - 1) * 3600
    assert out.person(BOSS.email).level_1_seconds == 0
