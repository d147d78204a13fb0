"""Page rules (OCP5xx): busy shifts, night pages, pages that cannot be attributed."""

from __future__ import annotations

import datetime as dt

from checkkit import BOSS, DAY, T0, WEEK, A, B, layer, policy, run, schedule, user, weekly_pair

from oncall_planner import OnCallPlan, Page, User

HOUR = dt.timedelta(hours=1)


def plan():
    return OnCallPlan(escalation_policies=[policy("P", (10, [weekly_pair()]), (10, [BOSS]))])


def at(days: float, hours: float = 12) -> dt.datetime:
    return T0 + dt.timedelta(days=days, hours=hours)


# OCP501 busy-shift


def test_busy_shift_fires_for_three_pages_in_one_shift():
    pages = [Page(at(d)) for d in (0, 1, 2)]  # Ann's week, attributed through the schedule
    found = run("OCP501", plan(), pages=pages)
    assert [f.subject for f in found] == ["User 'Ann' <ann@example.com>"]
    assert (found[0].intervals[0].start, found[0].intervals[0].end) == (T0, T0 + WEEK)
    assert found[0].message.startswith("3 pages")


def test_busy_shift_quiet_for_two_pages():
    assert run("OCP501", plan(), pages=[Page(at(0)), Page(at(1))]) == []


def test_busy_shift_leaves_low_urgency_out_by_default():
    pages = [Page(at(0)), Page(at(1)), Page(at(2), urgency="low")]
    assert run("OCP501", plan(), pages=pages) == []


def test_busy_shift_counts_low_urgency_when_asked():
    pages = [Page(at(0)), Page(at(1)), Page(at(2), urgency="low")]
    found = run("OCP501", plan(), pages=pages, thresholds={"include_low_urgency": True})
    assert len(found) == 1


def test_busy_shift_uses_the_user_a_page_names():
    pages = [Page(at(0), user="ben@example.com") for _ in range(3)]  # Ben is off duty in week 1
    assert run("OCP501", plan(), pages=pages) == []
    pages = [Page(at(7 + d), user="Ben") for d in range(3)]  # by display name, in Ben's week
    assert len(run("OCP501", plan(), pages=pages)) == 1


def test_busy_shift_finds_a_named_user_by_email_in_any_case_or_by_display_name():
    # Ben's week; three pages naming him three ways, all counted for him
    named = [" BEN@Example.com ", User("Benjamin", "ben@example.com", "Etc/UTC"), "ben"]
    pages = [Page(at(7 + d), user=who) for d, who in enumerate(named)]
    found = run("OCP501", plan(), pages=pages)
    assert [(f.subject, f.message[:7]) for f in found] == [
        ("User 'Ben' <ben@example.com>", "3 pages")
    ]


def test_pages_name_their_policy_and_a_missing_one_is_reported():
    other = policy("Q", (10, [B]))
    p = OnCallPlan(escalation_policies=[policy("P", (10, [weekly_pair()]), (10, [BOSS])), other])
    pages = [Page(at(d), policy="Q") for d in (7, 8, 9)] + [Page(at(3), policy="Nope")]
    busy = run("OCP501", p, pages=pages)
    assert [f.subject for f in busy] == ["User 'Ben' <ben@example.com>"]
    missing = run("OCP503", p, pages=pages)
    assert [f.message for f in missing] == [
        "1 page(s) not attributed to anyone: its policy 'Nope' is not in the plan"
    ]


# OCP502 night-page


def test_night_page_fires_in_the_paged_persons_local_night():
    found = run("OCP502", plan(), pages=[Page(at(1, hours=23))])
    assert [f.subject for f in found] == ["User 'Ann' <ann@example.com>"]
    assert "Etc/UTC" in found[0].message


def test_night_page_quiet_at_noon():
    assert run("OCP502", plan(), pages=[Page(at(1, hours=12))]) == []


def test_night_page_uses_the_persons_own_time_zone():
    tokyo = user("Kenji", "Asia/Tokyo")
    sched = schedule("S", layer("L", [tokyo, B]))
    p = OnCallPlan(escalation_policies=[policy("P", (10, [sched]), (10, [BOSS]))])
    found = run("OCP502", p, pages=[Page(at(1, hours=14))])  # 14:00 UTC is 23:00 in Tokyo
    assert [f.subject for f in found] == ["User 'Kenji' <kenji@example.com>"]


def test_night_page_hours_are_configurable():
    found = run(
        "OCP502", plan(), pages=[Page(at(1, hours=23))], thresholds={"night_start_hour": 23.5}
    )
    assert found == []


def test_night_page_shows_a_half_hour_threshold_as_it_is():
    late = Page(T0 + dt.timedelta(hours=22, minutes=40))
    found = run("OCP502", plan(), pages=[late], thresholds={"night_start_hour": 22.5})
    assert "in their local night (22:30-08:00 Etc/UTC)" in found[0].message


# OCP503 unattributed-pages


def test_unattributed_pages_reports_someone_outside_the_plan():
    found = run("OCP503", plan(), pages=[Page(at(0), user="Zed")])
    assert [f.message for f in found] == [
        "1 page(s) not attributed to anyone: it names 'Zed', who is not in the plan"
    ]


def test_unattributed_pages_reports_pages_outside_the_horizon():
    found = run("OCP503", plan(), pages=[Page(T0 - DAY)])
    assert "outside the horizon" in found[0].message


def test_unattributed_pages_reports_an_unknown_policy():
    found = run("OCP503", plan(), pages=[Page(at(0), policy="Nope")])
    assert "'Nope' is not in the plan" in found[0].message


def test_unattributed_pages_reports_pages_to_someone_in_no_shift():
    # Ben is off in week 1 and Boss is on no schedule: busy-shift has no shift for these pages.
    pages = [Page(at(1), user=B), Page(at(2), user=BOSS), Page(at(3), user=A)]
    found = run("OCP503", plan(), pages=pages)
    assert [f.message for f in found] == [
        "2 page(s) went to people who were on call on no schedule then ('Ben', 'Boss'), so no "
        "shift counts them for OCP501"
    ]
    assert [i.start for i in found[0].intervals] == [at(1), at(2)]


def test_unattributed_pages_quiet_when_every_page_is_placed():
    assert run("OCP503", plan(), pages=[Page(at(0)), Page(at(1), user=A)]) == []
