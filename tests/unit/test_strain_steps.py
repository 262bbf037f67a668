"""Calf strain (DOMAIN.md §6, Green et al. 2022): check-ins move the rehab steps, and the
return-to-running checklist reads the tests' pain. Pure core, no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from calfcoach.core import conditions
from calfcoach.core.log import Assessment, CheckIn
from calfcoach.core.pain import judge
from calfcoach.core.return_to_run import RUN_DAY_PREFIX, return_checklist, warn_run_days
from calfcoach.core.strain_steps import replanned_steps, steps_by_week
from calfcoach.data import default_norms
from tests.conftest import START, make_profile

NORMS = default_norms()
WEEKS = [START + timedelta(weeks=n) for n in range(12)]


def strain(**health: object):
    return make_profile(health={"condition": "calf_strain", **health})


def checkins(*pains: tuple[int, int]) -> list:
    """(week, pain) pairs; each check-in on a later day of its week than the one before."""
    out, used = [], {}
    for week, pain in pains:
        n = used.get(week, 0)
        used[week] = n + 1
        day = WEEKS[week - 1] + timedelta(days=2 * n)  # up to four a week
        out.append(CheckIn(None, day, pain, None))
    return judge(out, NORMS)


def steps(profile, *pains: tuple[int, int]) -> list[int]:
    by_week = steps_by_week(WEEKS, profile, checkins(*pains), NORMS)
    return [by_week[n] for n in range(1, len(WEEKS) + 1)]


def test_without_check_ins_the_steps_follow_the_up_front_schedule() -> None:
    profile = strain()
    expected = [conditions.strain_step(profile, START, n, NORMS) for n in range(1, 13)]
    assert steps(profile) == expected == [1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3]
    assert replanned_steps(WEEKS, profile, [], NORMS) == {}


def test_two_greens_in_a_row_move_to_the_next_step_from_the_next_week() -> None:
    assert steps(strain(), (1, 0), (1, 1))[:3] == [1, 2, 2]
    # In a row: an amber between them starts the count again.
    assert steps(strain(), (1, 0), (1, 3), (2, 0))[:3] == [1, 1, 1]


def test_amber_holds_the_step_where_the_schedule_would_move_on() -> None:
    # Week 2's amber: weeks 3 and 4 stay at step 1 (the schedule had step 2 from week 3);
    # the step's two weeks count again after it.
    assert steps(strain(), (2, 4))[:6] == [1, 1, 1, 1, 2, 2]


def test_red_goes_back_one_step() -> None:
    assert steps(strain(), (1, 0), (1, 0), (2, 7))[:4] == [1, 2, 1, 1]
    # Never below the first step.
    assert steps(strain(), (1, 8))[:2] == [1, 1]


@pytest.mark.parametrize(
    ("health", "greens", "weeks_a_step"),
    [
        ({}, 2, 2),
        ({"previous_calf_strain": True}, 3, 3),
        ({"previous_calf_strain": True, "older": True}, 4, 4),
    ],
)
def test_risk_factors_stack(health: dict, greens: int, weeks_a_step: int) -> None:
    athlete = {"birth_year": 1980} if health.pop("older", False) else {"birth_year": 1995}
    profile = make_profile(athlete=athlete, health={"condition": "calf_strain", **health})
    assert conditions.strain_step_weeks(profile, START, NORMS) == weeks_a_step
    assert conditions.strain_greens_to_advance(profile, START, NORMS) == greens
    one_short = steps(profile, *[(1, 0)] * (greens - 1))
    enough = steps(profile, *[(1, 0)] * greens)
    assert one_short[1] == 1
    assert enough[1] == 2


def test_replanned_steps_name_only_the_weeks_that_moved() -> None:
    profile = strain()
    moved = replanned_steps(WEEKS, profile, checkins((1, 0), (1, 0)), NORMS)
    # Step 2 from week 2 (schedule: 1), step 3 from week 4 (schedule: 2).
    assert moved == {2: 2, 4: 3}
    assert replanned_steps(WEEKS, make_profile(), checkins((1, 0), (1, 0)), NORMS) == {}


def _test(kind: str, pain: int | None, left: int | None = None, right: int | None = None):
    return Assessment(None, date(2026, 12, 20), kind, left, right, None, pain)


def test_checklist_needs_thirty_symmetric_pain_free_raises_and_pain_free_hops() -> None:
    profile = strain()
    assert return_checklist(make_profile(), [], NORMS) is None
    empty = return_checklist(profile, [], NORMS)
    assert empty is not None and not empty.met
    assert [c.met for c in empty.criteria] == [False, False, False, False]
    close = return_checklist(profile, [_test("heel_raise", 0, 31, 27), _test("hop", 1)], NORMS)
    assert close is not None
    shown = {c.key: (c.met, c.detail) for c in close.criteria}
    assert shown["heel_raises"][0] is False
    assert shown["heel_raises"][1].startswith("left 31 of 30, right 27 of 30")
    assert shown["symmetry"] == (False, "0.87 of 0.90 (test of 2026-12-20)")
    assert shown["raises_pain_free"][0] is True
    assert shown["hop_pain_free"] == (False, "pain 1/10 (test of 2026-12-20)")
    # Pain not recorded is not pain-free.
    unknown = return_checklist(profile, [_test("heel_raise", None, 31, 32), _test("hop", 0)], NORMS)
    assert unknown is not None and not unknown.met
    done = return_checklist(profile, [_test("heel_raise", 0, 31, 32), _test("hop", 0)], NORMS)
    assert done is not None and done.met


def test_a_red_check_in_after_the_tests_means_testing_again() -> None:
    """Red pain after the tests is a setback: the criteria they met no longer count until
    tests after it (the more conservative reading; a trial's checklist said "[met] pain-free
    hopping" the day after a red check-in of 6/10). Tests after the red count again."""
    profile = strain()
    passed = [_test("heel_raise", 0, 31, 32), _test("hop", 0)]
    day = passed[0].day
    assert (return_checklist(profile, passed, NORMS) or _never()).met
    after_red = return_checklist(profile, passed, NORMS, None, day + timedelta(days=1))
    assert after_red is not None and not after_red.met
    assert [c.met for c in after_red.criteria] == [False, False, False, False]
    shown = {c.key: c.detail for c in after_red.criteria}
    red = day + timedelta(days=1)
    assert shown["heel_raises"] == f"no heel-raise test since the red check-in of {red}"
    assert shown["hop_pain_free"] == f"no hop test since {red}'s red"
    again = [
        Assessment(None, red + timedelta(days=3), "heel_raise", 31, 32, pain=0),
        Assessment(None, red + timedelta(days=3), "hop", pain=0),
    ]
    assert (return_checklist(profile, [*passed, *again], NORMS, None, red) or _never()).met
    # The red on the tests' own day counts as after them: test again.
    assert not (return_checklist(profile, passed, NORMS, None, day) or _never()).met


def _never():
    raise AssertionError("a calf strain has a checklist")


def test_every_run_day_warns_until_the_criteria_are_met(plan_for) -> None:
    plan, profile = plan_for(health={"condition": "calf_strain"})
    checklist = return_checklist(profile, [], NORMS)
    warn_run_days(plan, checklist, START)
    run_days = {d.date for w in plan.weeks for d in w.days if d.run != "rest"}
    warned = {w.date for w in plan.warnings if w.message.startswith(RUN_DAY_PREFIX)}
    assert run_days and warned == run_days
    long_day = next(d for w in plan.weeks for d in w.days if d.run == "long")
    text = next(w.message for w in plan.warnings if w.date == long_day.date)
    assert "long run" in text and "pain-free hopping" in text
    # Met from a day on: the warnings from that day go, the earlier ones stay.
    met = return_checklist(profile, [_test("heel_raise", 0, 31, 32), _test("hop", 0)], NORMS)
    since = START + timedelta(weeks=3)
    warn_run_days(plan, met, since)
    left = {w.date for w in plan.warnings if w.message.startswith(RUN_DAY_PREFIX)}
    assert left == {d for d in run_days if d < since}


def test_a_hop_test_before_25_pain_free_raises_comes_too_soon() -> None:
    """DOMAIN.md §6, calf strain: "plyometrics only after 25 pain-free single-leg raises". A
    hop test is hopping on the injured leg: before them it is said to come too soon (a trial's
    runner hopped before any heel-raise test, and nothing said so)."""
    from calfcoach.core.return_to_run import hop_test_caution

    profile = strain(painful_side="left")
    assert hop_test_caution(make_profile(), [], NORMS) is None  # no calf strain: not its test
    none_yet = hop_test_caution(profile, [], NORMS)
    assert none_yet is not None and "25 pain-free single-leg heel raises" in none_yet
    assert "no heel-raise test yet" in none_yet
    short = hop_test_caution(profile, [_test("heel_raise", 0, 20, 40)], NORMS)
    assert short is not None and "20 on the injured side, pain 0/10" in short
    painful = hop_test_caution(profile, [_test("heel_raise", 1, 30, 30)], NORMS)
    assert painful is not None and "pain 1/10" in painful
    unrecorded = hop_test_caution(profile, [_test("heel_raise", None, 30, 30)], NORMS)
    assert unrecorded is not None and "pain not recorded" in unrecorded
    # The injured side is the one counted: 25 on the left is enough, whatever the right.
    assert hop_test_caution(profile, [_test("heel_raise", 0, 25, 12)], NORMS) is None
    assert hop_test_caution(strain(), [_test("heel_raise", 0, 25, 12)], NORMS) is not None
    # A red check-in after the test: it no longer counts.
    red = _test("heel_raise", 0, 30, 30).day + timedelta(days=1)
    after_red = hop_test_caution(profile, [_test("heel_raise", 0, 30, 30)], NORMS, red)
    assert after_red is not None and f"none since {red}'s red" in after_red
    # Before any stored test, the profile's reps and pain now.
    given = {"single_leg_heel_raise_reps": {"left": 28, "right": 28}}
    ready = make_profile(health={"condition": "calf_strain", "pain_now": 0}, assessments=given)
    assert hop_test_caution(ready, [], NORMS) is None
    sore = make_profile(health={"condition": "calf_strain", "pain_now": 2}, assessments=given)
    assert "pain now 2/10" in (hop_test_caution(sore, [], NORMS) or "")


def test_a_hop_test_said_to_come_too_soon_does_not_meet_the_checklist() -> None:
    """A hop test before 25 pain-free raises is stored and said to come too soon; it met the
    return-to-running checklist weeks later once the raises were there (a review). It counts
    only when hopping was allowed as it was done; a hop after the raises does."""
    profile = strain()
    early = Assessment(None, date(2026, 12, 7), "hop", pain=0)
    raises = Assessment(None, date(2026, 12, 28), "heel_raise", 31, 30, pain=0)
    shown = return_checklist(profile, [early, raises], NORMS) or _never()
    assert not shown.met
    hop = {c.key: c for c in shown.criteria}["hop_pain_free"]
    assert not hop.met and "came before 25 pain-free single-leg raises" in hop.detail
    again = Assessment(None, date(2026, 12, 29), "hop", pain=0)
    assert (return_checklist(profile, [early, raises, again], NORMS) or _never()).met


def test_no_raise_on_either_side_is_no_symmetry() -> None:
    """A 0/0 test read "[met] limb symmetry index ≥ 0.90: 1.00" (a review)."""
    shown = return_checklist(strain(), [_test("heel_raise", 0, 0, 0)], NORMS) or _never()
    symmetry = {c.key: c for c in shown.criteria}["symmetry"]
    assert not symmetry.met and "not measurable" in symmetry.detail
