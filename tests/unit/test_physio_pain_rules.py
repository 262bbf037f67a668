"""The pain rules of DOMAIN.md §6 as a physio's review found them broken (issue 13): red twice
in a row, withheld plyometrics, profile pain and the Achilles protocol, one red."""

from __future__ import annotations

import copy
from datetime import date, timedelta

from calfcoach.core.catalog import Catalog
from calfcoach.core.log import Assessment, CheckIn
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Plan, Prescription
from calfcoach.core.planner import build_plan, replan
from calfcoach.core.replanning import (
    adjustments_from_history,
    profile_with_assessments,
    red_rest_of_week,
)
from calfcoach.core.rules import check_plan
from tests.conftest import START, make_profile

STRAIN = {
    "athlete": {"equipment": ["dumbbells", "step", "bench"], "birth_year": 1981},
    "health": {"condition": "calf_strain", "pain_now": 2, "previous_calf_strain": True},
}


def strength(plan: Plan, week: int) -> list[tuple[date, Prescription]]:
    return [
        (d.date, p)
        for d in plan.weeks[week - 1].days
        for s in d.sessions
        if s.kind == "strength"
        for p in s.exercises
    ]


def _replanned(profile, plan, checkins, today, catalog, norms, tests=()):
    adjust = adjustments_from_history(
        plan, profile, [], checkins, today, catalog, norms, None, tests
    )
    assert adjust is not None
    return adjust, replan(plan, profile, adjust, catalog, norms)


def test_red_twice_in_a_calf_strain_gives_holds_only_until_a_green(
    catalog: Catalog, norms: Norms
) -> None:
    """§6 "Red twice in a row: the next sessions are isometric holds and seated raises only"
    (R11): in a calf strain's body-weight step too (review S3: two-legged and wall-sit raises
    stayed), every re-planned week until a green check-in."""
    profile = make_profile(**STRAIN)
    plan = build_plan(profile, START, 12, catalog, norms)
    assert any(not catalog.by_id[p.exercise].isometric for _, p in strength(plan, 4)), (
        "the step's raises before the reds"
    )
    reds = [
        CheckIn(None, START + timedelta(days=14), 6, None),
        CheckIn(None, START + timedelta(days=17), 6, None),
    ]
    today = START + timedelta(days=17)
    adjust, again = _replanned(profile, plan, reds, today, catalog, norms)
    assert adjust.isometric_only
    for week in (adjust.from_week, adjust.from_week + 1, adjust.from_week + 3):
        doses = strength(again, week)
        assert doses
        for _, p in doses:
            ex = catalog.by_id[p.exercise]
            assert ex.isometric or "seated" in ex.tags, (week, p.exercise)
            assert p.variation != "plyometric"
    violations = [v for v in check_plan(again, profile, catalog, norms) if (v.week or 0) >= 4]
    assert violations == [], [v.line() for v in violations]
    # A green check-in ends it: the step's raises come back.
    green = [*reds, CheckIn(None, START + timedelta(days=21), 1, 1)]
    adjust, back = _replanned(profile, plan, green, START + timedelta(days=21), catalog, norms)
    assert not adjust.isometric_only
    assert any(not catalog.by_id[p.exercise].isometric for _, p in strength(back, adjust.from_week))


# ---------------------------------------------------------------- B1: withheld plyometrics

PLANTAR = {
    "athlete": {"equipment": ["dumbbells", "step"], "body_mass_kg": 80},
    "health": {"condition": "plantar_heel_pain", "pain_now": 4},
}
MASTERS = {
    "athlete": {
        "equipment": ["smith_machine", "bench", "plates", "dumbbells", "step"],
        "strength_experience": "intermediate",
        "birth_year": 1972,
    },
    "health": {"condition": "achilles_tendinopathy", "pain_now": 3, "painful_side": "left"},
    "assessments": {"single_leg_heel_raise_reps": {"left": 18, "right": 26}},
}
NO_KIT_RED = {"athlete": {"equipment": ["none"], "body_mass_kg": 58}, "health": {"pain_now": 6}}


def _plyometric_weeks(plan: Plan) -> list[int]:
    return [
        w.index
        for w in plan.weeks
        if any(p.variation == "plyometric" for _, p in strength(plan, w.index))
    ]


def _clean(plan: Plan, profile, catalog, norms) -> None:
    found = [v.line() for v in check_plan(plan, profile, catalog, norms)]
    assert found == []


def test_green_check_ins_bring_back_plyometrics_that_profile_pain_withheld(catalog, norms) -> None:
    """§6 "Withheld plyometrics stay withheld until an assessment or check-in meets the
    criterion" (R11; review B1: plantar heel pain at 4/10 kept them out all plan long, two
    green check-ins whatever)."""
    profile = make_profile(**PLANTAR)
    plan = build_plan(profile, START, 8, catalog, norms)
    assert _plyometric_weeks(plan) == []
    greens = [
        CheckIn(None, START + timedelta(days=1), 2, 1),
        CheckIn(None, START + timedelta(days=3), 0, 0),
    ]
    _, again = _replanned(profile, plan, greens, START + timedelta(days=3), catalog, norms)
    assert _plyometric_weeks(again) == list(range(2, 9))
    # The warning matches: no week with plyometrics says they are withheld.
    assert not [w for w in again.warnings if w.rule == "R2" and (w.week or 0) >= 2]
    # The note says it is this criterion that is met: a week that pain (or a calf strain's
    # step) still keeps them out of says why beside it, which read as a contradiction (trial).
    back = [w.message for w in again.warnings if w.message.startswith("Plyometrics come back")]
    assert back and all("may still keep them out of a week, which then says why" in m for m in back)
    _clean(again, profile, catalog, norms)


def test_an_amber_check_in_keeps_them_withheld_and_says_the_criterion(catalog, norms) -> None:
    """The hold case of the same rule: amber (3/10) does not meet "pain ≤ 2"."""
    profile = make_profile(**PLANTAR)
    plan = build_plan(profile, START, 8, catalog, norms)
    amber = [CheckIn(None, START + timedelta(days=3), 3, 3)]
    _, again = _replanned(profile, plan, amber, START + timedelta(days=3), catalog, norms)
    assert _plyometric_weeks(again) == []
    notes = [w.message for w in again.warnings if w.rule == "R2" and w.week == 4]
    assert notes == [
        "Plyometrics withheld: plantar heel pain at 3/10. They come back after pain ≤ 2/10 "
        "on a check-in."
    ]


def test_a_pain_free_heel_raise_test_meets_the_achilles_criterion(catalog, norms) -> None:
    """§2.2: a heel-raise result re-applies §6's plyometric criterion (review B1: a green
    check-in and 30/30 at pain 0 left an Achilles runner with pain_now 3 without them)."""
    profile = make_profile(**MASTERS)
    plan = build_plan(profile, START, 12, catalog, norms)
    assert _plyometric_weeks(plan) == []
    day = START + timedelta(days=3)
    tests = [Assessment(None, day, "heel_raise", 30, 30, pain=0)]
    tested = profile_with_assessments(profile, tests)
    green = [CheckIn(None, START + timedelta(days=1), 1, 1)]
    adjust, again = _replanned(tested, plan, green, day, catalog, norms, tests)
    assert _plyometric_weeks(again)[0] == adjust.from_week
    # Hold: the same test with pain 3 meets nothing.
    sore = [Assessment(None, day, "heel_raise", 30, 30, pain=3)]
    _, held = _replanned(
        profile_with_assessments(profile, sore), plan, green, day, catalog, norms, sore
    )
    assert _plyometric_weeks(held) == []


def test_check_fails_plyometrics_the_profile_withholds_without_the_plans_note(
    catalog, norms
) -> None:
    """R11 reads the re-plan's note: plyometrics without it are still a violation."""
    profile = make_profile(**PLANTAR)
    plan = build_plan(profile, START, 8, catalog, norms)
    greens = [
        CheckIn(None, START + timedelta(days=1), 2, 1),
        CheckIn(None, START + timedelta(days=3), 0, 0),
    ]
    _, again = _replanned(profile, plan, greens, START + timedelta(days=3), catalog, norms)
    again.warnings = [
        w for w in again.warnings if not w.message.startswith("Plyometrics come back")
    ]
    assert any(
        "plyometrics withheld" in v.message for v in check_plan(again, profile, catalog, norms)
    )


def test_two_greens_after_red_profile_pain_bring_the_full_dose_back(catalog, norms) -> None:
    """§6 "each green check-in brings load and sets back halfway to the pre-flare dose (two
    greens: back to it)" (review B1: pain_now 6, two greens, week 2 stayed at 2 halved sets)."""
    profile = make_profile(**NO_KIT_RED)
    plan = build_plan(profile, START, 8, catalog, norms)
    full = build_plan(
        make_profile(**{**NO_KIT_RED, "health": {"pain_now": 0}}), START, 8, catalog, norms
    )
    halved = {p.exercise: p.sets for _, p in strength(plan, 2)}
    one = [CheckIn(None, START, 2, 1)]
    _, kept = _replanned(profile, plan, one, START + timedelta(days=1), catalog, norms)
    # One green: the profile's red week 2 stays (the conservative reading) and plyometrics
    # wait for the first week that is not red.
    assert {p.exercise: p.sets for _, p in strength(kept, 2)} == halved
    assert _plyometric_weeks(kept)[0] == 3
    _clean(kept, profile, catalog, norms)
    two = [*one, CheckIn(None, START + timedelta(days=3), 0, 0)]
    _, back = _replanned(profile, plan, two, START + timedelta(days=3), catalog, norms)
    raises = [
        (p.exercise, p.sets, p.reps) for _, p in strength(back, 2) if p.variation != "plyometric"
    ]
    assert raises == [
        (p.exercise, p.sets, p.reps) for _, p in strength(full, 2) if p.variation != "plyometric"
    ]
    assert _plyometric_weeks(back)[0] == 2
    _clean(back, profile, catalog, norms)


# ---------------------------------------------------------------- B4: profile pain, protocol


def _first_doses(plan: Plan, weeks: int) -> list[tuple[int, int]]:
    """(sets, reps) of each week's seated raise, the protocol's bent-knee raise."""
    out = []
    for week in range(1, weeks + 1):
        seated = next(p for _, p in strength(plan, week) if "seated" in p.exercise)
        out.append((seated.sets, seated.reps))
    return out


def test_amber_profile_pain_repeats_protocol_week_one_instead_of_using_it_up(
    catalog, norms
) -> None:
    """§6 "An amber or red check-in repeats the protocol week once instead of skipping it";
    the profile's pain alike (review B4: pain_now 3 left one 12RM week of Beyer's two)."""
    profile = make_profile(**MASTERS)
    plan = build_plan(profile, START, None, catalog, norms)
    assert _first_doses(plan, 6) == [(3, 15), (3, 15), (3, 12), (3, 12), (4, 10), (4, 10)]
    assert any(
        w.rule == "R11" and w.week == 2 and "repeats once" in w.message for w in plan.warnings
    )
    _clean(plan, profile, catalog, norms)


def test_red_profile_pain_repeats_it_too_and_green_profile_pain_does_not(catalog, norms) -> None:
    red = make_profile(**{**MASTERS, "health": {**MASTERS["health"], "pain_now": 6}})
    plan = build_plan(red, START, None, catalog, norms)
    # Weeks 1–2 halved (3 sets → 2, red), both protocol week 1; then 12RM twice.
    assert [reps for _, reps in _first_doses(plan, 5)] == [15, 15, 12, 12, 10]
    green = make_profile(**{**MASTERS, "health": {**MASTERS["health"], "pain_now": 1}})
    plan = build_plan(green, START, None, catalog, norms)
    assert _first_doses(plan, 4) == [(3, 15), (3, 12), (3, 12), (4, 10)]


def test_profile_pain_still_repeats_week_one_after_a_replan_in_week_one(catalog, norms) -> None:
    """A re-plan decides only the weeks its check-ins reach; the profile's pain, known from
    the start, still repeats week 1 (it is not a later check-in the plan cannot see)."""
    profile = make_profile(**MASTERS)
    plan = build_plan(profile, START, None, catalog, norms)
    green = [CheckIn(None, START + timedelta(days=1), 1, 1)]
    _, again = _replanned(profile, plan, green, START + timedelta(days=1), catalog, norms)
    assert [reps for _, reps in _first_doses(again, 5)] == [15, 15, 12, 12, 10]


# ---------------------------------------------------------------- B3: one red, the way back

MASTERS_GREEN = {**MASTERS, "health": {**MASTERS["health"], "pain_now": 0}}


def _rose(day: date, during: int) -> CheckIn:
    """Red by a next-morning rise (3 above that morning's 2), with ``during`` pain."""
    return CheckIn(None, day, during, 3, pain_before=2)


def _only_holds_and_seated(catalog: Catalog, doses: list[tuple[date, Prescription]]) -> bool:
    return all(
        catalog.by_id[p.exercise].isometric or "seated" in catalog.by_id[p.exercise].tags
        for _, p in doses
    )


def test_one_red_at_pain_four_halves_and_keeps_standing_raises(catalog, norms) -> None:
    """§6: one red halves the per-calf load and the sets ("a single-leg standing raise
    becomes its two-legged form"); holds and seated raises only are for pain > 5 or red twice
    in a row (R11; review B3: a red by a next-morning rise gave a whole week of holds)."""
    profile = make_profile(**MASTERS_GREEN)
    plan = build_plan(profile, START, None, catalog, norms)
    day = START + timedelta(days=1)
    adjust, again = _replanned(profile, plan, [_rose(day, 4)], day, catalog, norms)
    assert adjust.zone == "red"
    week = strength(again, adjust.from_week)
    assert not _only_holds_and_seated(catalog, week)
    assert all(p.variation != "plyometric" for _, p in week)
    _clean(again, profile, catalog, norms)
    # The hold case: pain 6 is > 5, holds and seated raises only.
    adjust, six = _replanned(profile, plan, [_rose(day, 6)], day, catalog, norms)
    assert _only_holds_and_seated(catalog, strength(six, adjust.from_week))


def _heaviest(plan: Plan, week: int) -> dict[str, tuple[int, float]]:
    out: dict[str, tuple[int, float]] = {}
    for _, p in strength(plan, week):
        if p.load_kg is not None and p.variation != "plyometric":
            sets, load = out.get(p.exercise, (0, 0.0))
            out[p.exercise] = (max(sets, p.sets), max(load, p.load_kg))
    return out


def test_no_green_after_one_red_keeps_the_weeks_after_at_reds_dose(catalog, norms) -> None:
    """§6: red halves "the sessions that follow"; "each green check-in brings load and sets
    back halfway to the pre-flare dose (two greens: back to it)". Without a green the weeks
    after the first re-planned one do not jump back to the pre-flare dose (review B3)."""
    profile = make_profile(**MASTERS_GREEN)
    plan = build_plan(profile, START, None, catalog, norms)
    day = START + timedelta(days=1)
    adjust, again = _replanned(profile, plan, [_rose(day, 4)], day, catalog, norms)
    pre = _heaviest(plan, 1)
    for week in (adjust.from_week + 1, adjust.from_week + 2):
        doses = strength(again, week)
        assert all(p.variation != "plyometric" for _, p in doses)
        for name, (sets, load) in _heaviest(again, week).items():
            if name in pre:
                assert sets < pre[name][0], (week, name)
                assert load <= pre[name][1] / 2, (week, name)
        assert any(w.week == week and w.message.startswith("Pain was red") for w in again.warnings)
    _clean(again, profile, catalog, norms)


def test_one_green_brings_it_halfway_and_no_further_until_the_next(catalog, norms) -> None:
    profile = make_profile(**MASTERS_GREEN)
    plan = build_plan(profile, START, None, catalog, norms)
    red = _rose(START + timedelta(days=1), 4)
    green = CheckIn(None, START + timedelta(days=8), 1, 1)
    today = START + timedelta(days=8)
    adjust, again = _replanned(profile, plan, [red, green], today, catalog, norms)
    pre = _heaviest(plan, 1)
    seated = "seated-smith-calf-raise"
    halfway = _heaviest(again, adjust.from_week)[seated][1]
    assert pre[seated][1] / 2 < halfway < pre[seated][1]
    for week in (adjust.from_week + 1, adjust.from_week + 2):
        assert _heaviest(again, week)[seated][1] <= halfway, week
    _clean(again, profile, catalog, norms)


# ------------------------------------- the rest of this week: holds and seated raises only


def _after(plan: Plan, week: int, day: date) -> list[tuple[date, Prescription]]:
    return [(d, p) for d, p in strength(plan, week) if d > day]


def _standing(catalog: Catalog, doses: list[tuple[date, Prescription]]) -> list[str]:
    return [
        p.exercise
        for _, p in doses
        if not catalog.by_id[p.exercise].isometric
        and catalog.by_id[p.exercise].bodyweight_share > 0
    ]


def test_pain_above_five_with_achilles_leaves_only_holds_and_seated_this_week(
    catalog, norms
) -> None:
    """§6, Achilles tendinopathy: "with pain > 5 (profile or check-in alike): low-load
    isometric holds and seated raises only" — the sessions left this week too, not only the
    weeks from Monday (a physio's review: a standing raise two days after pain 6). A red by
    a rise in pain at 4 stays red's ordinary halving (review B3)."""
    profile = make_profile(**MASTERS_GREEN)
    plan = build_plan(profile, START, None, catalog, norms)
    monday = plan.weeks[2].start
    assert _standing(catalog, _after(plan, 3, monday))  # the premise: standing raises ahead
    six = [CheckIn(None, monday, 6, None)]
    changed = red_rest_of_week(copy.deepcopy(plan), profile, six, monday, catalog, norms)
    assert changed is not None
    ahead = _after(changed, 3, monday)
    assert ahead and _standing(catalog, ahead) == []
    assert all(p.variation != "plyometric" for _, p in ahead)
    assert any(w.mark == "holds_rest_of_week" for w in changed.warnings)
    assert red_rest_of_week(changed, profile, six, monday, catalog, norms) is None  # once
    adjust = adjustments_from_history(changed, profile, [], six, monday, catalog, norms)
    assert adjust is not None
    assert (
        check_plan(replan(changed, profile, adjust, catalog, norms), profile, catalog, norms) == []
    )
    four = red_rest_of_week(
        copy.deepcopy(plan), profile, [_rose(monday, 4)], monday, catalog, norms
    )
    assert four is not None and _standing(catalog, _after(four, 3, monday))


def test_a_second_red_this_week_turns_the_halved_standing_raises_into_holds(catalog, norms) -> None:
    """§6: red twice in a row — "the next sessions are isometric holds and seated raises only
    at half of the pre-flare per-calf load". The first red halved the week (standing raises
    in their two-legged form); the second, a day later, leaves holds and the seated raises at
    the load the first red gave them (already half the pre-flare), not halved again."""
    profile = make_profile(athlete={"equipment": ["dumbbells", "kettlebell", "step", "bench"]})
    plan = build_plan(profile, START, None, catalog, norms)
    monday = plan.weeks[4].start
    first = [CheckIn(None, monday, 7, None)]
    halved = red_rest_of_week(copy.deepcopy(plan), profile, first, monday, catalog, norms)
    assert halved is not None
    tuesday = monday + timedelta(days=1)
    assert _standing(catalog, _after(halved, 5, tuesday))  # the premise
    seated = {p.exercise: p.load_kg for _, p in _after(halved, 5, tuesday) if p.hold_s is None}
    both = [*first, CheckIn(None, tuesday, 7, None)]
    held = red_rest_of_week(halved, profile, both, tuesday, catalog, norms)
    assert held is not None
    ahead = _after(held, 5, tuesday)
    assert ahead and _standing(catalog, ahead) == []
    for _, p in ahead:
        if p.hold_s is None:
            assert p.load_kg == seated[p.exercise]  # not halved a second time
    assert red_rest_of_week(held, profile, both, tuesday, catalog, norms) is None  # once
    adjust = adjustments_from_history(held, profile, [], both, tuesday, catalog, norms)
    assert adjust is not None and adjust.isometric_only
    assert check_plan(replan(held, profile, adjust, catalog, norms), profile, catalog, norms) == []


def _primers_after(plan: Plan, week: int, day: date) -> list[Prescription]:
    return [
        p
        for d in plan.weeks[week - 1].days
        if d.date > day
        for s in d.sessions
        if s.kind == "primer"
        for p in s.exercises
    ]


def test_red_halves_this_weeks_primers_and_holds_only_makes_them_holds(catalog, norms) -> None:
    """§6 for the primers left this week as for its sessions (a review: a day's primer of
    standing raises stayed at full sets, under the notice saying holds and seated raises
    only): one red halves their sets, red twice in a row makes them holds."""
    profile = make_profile(
        athlete={"equipment": ["dumbbells", "kettlebell", "step", "bench"]},
        strength={"calf_in_every_session": "all"},
    )
    plan = build_plan(profile, START, None, catalog, norms)
    monday = plan.weeks[4].start
    before = _primers_after(plan, 5, monday)
    assert before and all(p.hold_s is None for p in before)  # the premise
    first = [CheckIn(None, monday, 7, None)]
    halved = red_rest_of_week(copy.deepcopy(plan), profile, first, monday, catalog, norms)
    assert halved is not None
    after = _primers_after(halved, 5, monday)
    assert after and all(p.sets <= -(-norms.primer_max_sets // 2) for p in after)
    tuesday = monday + timedelta(days=1)
    both = [*first, CheckIn(None, tuesday, 7, None)]
    held = red_rest_of_week(halved, profile, both, tuesday, catalog, norms)
    assert held is not None
    primers = _primers_after(held, 5, tuesday)
    assert primers and all(catalog.by_id[p.exercise].isometric for p in primers)
    assert [v for v in check_plan(held, profile, catalog, norms) if v.rule == "R12"] == []
