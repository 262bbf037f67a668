"""What a body-weight raise, or a raise too heavy at body weight, becomes (issue 13, a physio's
review: S1, S2, B3, B5, B6, B8).

DOMAIN.md §2.1: "When body weight alone is more than the target (a weak calf: e.g. the single-leg
heel raise test is under the set's reps), the exercise's regression is prescribed instead …
never a set the athlete cannot complete"; a load the kit cannot reach is "capped at the heaviest
that it can, with slower tempo or more reps per set … (a warning says so, naming the exercise
and the next piece of equipment that would help)". §6: "Red halves the per-calf system load …
a single-leg standing raise becomes its two-legged form".
"""

from __future__ import annotations

import re
from typing import Any

from calfcoach.core.catalog import RAISES, Catalog
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Plan, Prescription
from calfcoach.core.planner import build_plan
from calfcoach.core.rules import check_plan
from tests.conftest import START, make_profile

NO_KIT = {"equipment": ["none"], "body_mass_kg": 58.0}


def plan_of(
    catalog: Catalog, norms: Norms, weeks: int | None = None, **sections: dict[str, Any]
) -> Plan:
    profile = make_profile(**sections)
    plan = build_plan(profile, START, weeks, catalog, norms, provenance=True)
    assert check_plan(plan, profile, catalog, norms) == []
    return plan


def raises(plan: Plan, week: int) -> list[Prescription]:
    return [
        p
        for d in plan.weeks[week - 1].days
        for s in d.sessions
        if s.kind == "strength"
        for p in s.exercises
        if p.variation in RAISES
    ]


def reasons(p: Prescription) -> list[str]:
    return [r.text for r in p.why.reasons] if p.why else []


def per_calf(p: Prescription) -> float:
    """The per-calf system load (§2.1): system load ÷ the legs working."""
    assert p.system_load_kg is not None
    return p.system_load_kg / (1 if p.per_side else 2)


# ---------------------------------------------------------------- S2: red, body-weight raises


def test_s2_red_halves_the_per_calf_load_of_body_weight_raises(
    catalog: Catalog, norms: Norms
) -> None:
    """§6: red halves the per-calf system load, not only the sets: a single-leg raise at body
    weight becomes its two-legged form (the bug: `single-leg-calf-raise 2x15/s` in red)."""
    athlete = {**NO_KIT, "strength_experience": "advanced"}
    green = plan_of(catalog, norms, athlete=athlete, health={"pain_now": 0})
    red = plan_of(catalog, norms, athlete=athlete, health={"pain_now": 6})
    # The hold case: green week 1 has a single-leg raise at body weight (58 kg a calf).
    assert any(p.per_side and per_calf(p) > 58.0 / 2 + 1e-6 for p in raises(green, 1))
    for week in (1, 2):
        week_raises = raises(red, week)
        assert week_raises
        for p in week_raises:
            assert per_calf(p) <= 58.0 / 2 + 1e-6, (week, p.exercise, p.system_load_kg)
        assert "single-leg-calf-raise" not in {p.exercise for p in week_raises}
        assert "double-leg-calf-raise" in {p.exercise for p in week_raises}


def test_s2_a_two_legged_body_weight_raise_in_red_becomes_a_hold(
    catalog: Catalog, norms: Norms
) -> None:
    """§6: "a standing raise that cannot be halved standing becomes a seated raise or an
    isometric hold of the same variation" (a two-legged raise at body weight is the lightest
    standing form)."""
    plan = plan_of(catalog, norms, athlete=NO_KIT, health={"pain_now": 6})
    week = raises(plan, 1)
    assert week and all(p.hold_s is not None for p in week), [p.exercise for p in week]


# ---------------------------------------------------------------- B5: the no-kit novice


def test_b5_no_kit_novice_takes_the_regression_when_body_weight_is_above_the_target(
    catalog: Catalog, norms: Norms
) -> None:
    """§2.1: the novice's estimated single-leg 1RM is 1.05 × 58 / 0.72 ≈ 85 kg; 15 reps at RPE
    7 is its 18RM, ≈ 51 kg, under body weight: the regression, not 3 × 15 single-leg."""
    plan = plan_of(catalog, norms, athlete={**NO_KIT, "strength_experience": "novice"})
    week1 = raises(plan, 1)
    assert "single-leg-calf-raise" not in {p.exercise for p in week1}
    two_legged = [p for p in week1 if p.exercise == "double-leg-calf-raise"]
    assert two_legged
    assert any("instead of Single-leg calf raise" in t for t in reasons(two_legged[0]))
    # The hold case: an advanced runner's 1RM (1.25 × 58 / 0.72) puts body weight within it.
    strong = plan_of(catalog, norms, athlete={**NO_KIT, "strength_experience": "advanced"})
    assert "single-leg-calf-raise" in {p.exercise for p in raises(strong, 1)}


def test_b5_no_kit_plan_progresses_and_names_the_next_piece_of_kit(
    catalog: Catalog, norms: Norms
) -> None:
    """§2.2: the plan progresses without kit (the two-legged raise gives way to the single-leg
    one as the target passes body weight); §2.1: where body weight is the most the kit puts on
    a raise, more reps keep the effort and a warning names the exercise and what would load it."""
    plan = plan_of(catalog, norms, athlete={**NO_KIT, "strength_experience": "novice"})
    straight = [
        max(per_calf(p) for p in raises(plan, w.index) if p.variation == "straight_leg")
        for w in plan.weeks
        if w.phase in ("foundation", "strength") and not w.deload
    ]
    assert straight[-1] > straight[0], straight
    capped = [w for w in plan.warnings if w.rule is None and "body weight is the most" in w.message]
    assert capped
    assert all("Adding " in w.message and "backpack" in w.message for w in capped)
    assert all(re.match(r"^[A-Z][^:]+: body weight", w.message) for w in capped)
    # More reps keep the effort: a capped raise shows more reps than the week's table.
    week = next(w.week for w in capped if w.week is not None)
    named = {w.message.split(":")[0] for w in capped if w.week == week}
    shown = [p for p in raises(plan, week) if catalog.by_id[p.exercise].name in named]
    assert shown and all(any("keep the effort" in t for t in reasons(p)) for p in shown)


# ---------------------------------------------------------------- S1: the calf strain


STRAIN = {"condition": "calf_strain", "painful_side": "right"}


def test_s1_a_calf_that_tested_9_gets_no_single_leg_raises_at_the_single_leg_step(
    catalog: Catalog, norms: Norms
) -> None:
    """§2.1: "with n < 12 the standing single-leg exercises start at body weight alone (or
    their regression)"; never a set the athlete cannot complete: 3 × 15 single-leg raises for
    a calf that did 9 is not one."""
    weak = plan_of(
        catalog,
        norms,
        health=STRAIN,
        assessments={"single_leg_heel_raise_reps": {"left": 28, "right": 9}},
    )
    step2 = raises(weak, 3)  # (one step every 2 weeks, no risk factor: week 3 is step 2)
    assert step2 and not any(p.per_side for p in step2), [p.exercise for p in step2]
    for p in step2:
        texts = reasons(p)
        assert any("heel-raise test was 9 reps" in t for t in texts), texts
        # The real reason for body weight: the step, not the kit (she owns dumbbells).
        assert not any("nothing in your kit loads" in t for t in texts), texts
        assert any("calf strain's step 2 of 3" in t for t in texts), texts
    # The hold case: a calf that did 28 on both sides does the single-leg step.
    fine = plan_of(
        catalog,
        norms,
        health=STRAIN,
        assessments={"single_leg_heel_raise_reps": {"left": 28, "right": 28}},
    )
    assert "single-leg-calf-raise" in {p.exercise for p in raises(fine, 3)}


def test_step_2_reached_by_check_ins_is_single_leg_raises_at_body_weight(
    catalog: Catalog, norms: Norms
) -> None:
    """§6, calf strain: "progressing to single-leg and then loaded raises". Two greens in
    week 1 move the strain to step 2 in week 2, whose dose sits at the top of foundation's
    range (15 reps): the table's target for 15 was under body weight, so the single-leg raise
    gave way to the two-legged one and the step was never given (a physio's review). Body
    weight is the step's dose where the table allows the range's bottom reps at it."""
    from datetime import timedelta

    from calfcoach.core.log import CheckIn
    from calfcoach.core.planner import replan
    from calfcoach.core.replanning import adjustments_from_history

    profile = make_profile(
        health=STRAIN, athlete={"birth_year": 1990, "strength_experience": "intermediate"}
    )
    plan = build_plan(profile, START, None, catalog, norms, provenance=True)
    assert not any(p.per_side for p in raises(plan, 2))  # the premise: step 1 up front
    greens = [CheckIn(None, START, 0, 0), CheckIn(None, START + timedelta(days=2), 0, 0)]
    today = START + timedelta(days=3)
    adjust = adjustments_from_history(plan, profile, [], greens, today, catalog, norms)
    assert adjust is not None and adjust.strain_steps.get(2) == 2
    again = replan(plan, profile, adjust, catalog, norms)
    step2 = raises(again, 2)
    assert {p.exercise for p in step2} >= {"single-leg-calf-raise"}, [p.exercise for p in step2]
    assert all(p.per_side and not p.load_kg for p in step2)
    assert all(norms.phases["foundation"].rep_steps[-1] <= p.reps <= 15 for p in step2)
    assert [v for v in check_plan(again, profile, catalog, norms) if (v.week or 0) >= 2] == []


# ---------------------------------------------------------------- B3: a ramp under body weight


def test_b3_no_loadable_raise_is_prescribed_at_body_weight_under_its_target(
    catalog: Catalog, norms: Norms
) -> None:
    """§2.1: where half its target (§6's re-entry ramp) is under body weight, the Smith standing
    raise takes its regression; it was `smith-standing-calf-raise 3×12 @ body weight` (a Smith
    bar weighs 15 kg: "never a load the kit cannot make")."""
    plan = plan_of(
        catalog,
        norms,
        athlete={"equipment": ["smith_machine", "plates", "bench", "step"]},
        health={"condition": "achilles_tendinopathy", "pain_now": 7},
    )
    for week in plan.weeks:
        for p in raises(plan, week.index):
            if p.exercise == "smith-standing-calf-raise":
                assert p.load_kg, (week.index, p)


# ---------------------------------------------------------------- B6 and B8: what the plan says


IMPERIAL = {
    "body_mass_kg": 82.0,
    "strength_experience": "intermediate",
    "equipment": ["kettlebell", "backpack", "step"],
    "units": "imperial",
}


def test_b6_warnings_name_the_kit_the_runner_has(catalog: Catalog, norms: Norms) -> None:
    """A kettlebell owner's cap warning names a heavier kettlebell, not dumbbells; R3 never
    says a variation cannot be loaded when the kit loads one of its raises (the backpack
    bent-knee raise), but why body weight stands in (§2.1)."""
    plan = plan_of(
        catalog,
        norms,
        athlete=IMPERIAL,
        equipment_loads={"kettlebells": [18, 26, 35, 44], "backpack_max": 40},
        goal={"race_date": "2027-05-30", "race_distance": "ultra"},
    )
    capped = [w.message for w in plan.warnings if "capped at the heaviest" in w.message]
    assert capped and not any("dumbbell" in m for m in capped), capped
    assert any("a heavier kettlebell" in m for m in capped), capped
    r3 = [w.message for w in plan.warnings if w.rule == "R3"]
    assert r3
    assert not any("no exercise of that variation can be loaded" in m for m in r3), r3
    assert any("wall-sit" in m and "is more than this week's target" in m for m in r3), r3


def _weights(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"\((\d+(?:\.\d+)?) (?:kg|lb)\)", text)]


def test_b8_a_regression_gives_its_real_reason(catalog: Catalog, norms: Norms) -> None:
    """B8: the plan said "body weight alone (62 kg) is more than this week's target for it
    (69 kg)" where the bar's 20 kg floor was the reason; every such sentence must be true."""
    elite = {
        "body_mass_kg": 62.0,
        "strength_experience": "advanced",
        "equipment": ["barbell", "rack", "bench", "plates", "dumbbells", "smith_machine"],
    }
    plan = plan_of(catalog, norms, athlete=elite, weeks=16)
    said = {
        t
        for w in plan.weeks
        for p in raises(plan, w.index)
        for t in reasons(p)
        if "instead of Barbell single-leg calf raise" in t
    }
    assert said
    for text in said:
        if "is more than this week's target" in text:
            body, target = _weights(text)[:2]
            assert body > target, text
        else:
            assert "less than the lightest load your kit makes" in text, text


def test_s1_the_loaded_step_is_no_lighter_a_calf_than_the_single_leg_step(
    catalog: Catalog, norms: Norms
) -> None:
    """§6: "progressing to single-leg and then loaded raises": the loaded step's straight-leg
    raises take each calf at least the load of the single-leg step before it (it was a
    two-legged raise at body weight, half of it); §2.1: a test of 25 or more "may start
    loaded", so the single-leg loaded raise is not regressed for body weight."""
    plan = plan_of(
        catalog,
        norms,
        athlete={
            "body_mass_kg": 63.0,
            "strength_experience": "intermediate",
            "equipment": ["dumbbells", "step", "bench"],
        },
        health=STRAIN,
        assessments={"single_leg_heel_raise_reps": {"left": 28, "right": 28}},
        # A race far off: a long foundation, so both steps are dosed at its 15 reps.
        goal={"race_date": "2027-05-09", "race_distance": "half"},
    )
    steps = {w.index: w for w in plan.weeks}
    single = [p for p in raises(plan, 4) if p.variation == "straight_leg"]
    loaded = [p for p in raises(plan, 5) if p.variation == "straight_leg"]
    assert single and all(p.exercise == "single-leg-calf-raise" for p in single), single
    assert loaded and not any(p.exercise == "single-leg-calf-raise" for p in loaded), loaded
    assert steps[5].phase == steps[4].phase
    assert max(per_calf(p) for p in loaded) >= max(per_calf(p) for p in single) - 1e-6
    assert any(p.per_side for p in loaded), [p.exercise for p in loaded]


# ------------------------------------------------- a target under the floor of a bar's kit


def _bent_knee(plan: Plan, week: int) -> list[Prescription]:
    return [p for p in raises(plan, week) if p.variation == "bent_knee"]


def test_a_seated_raise_under_the_bar_takes_a_loaded_stand_in(
    catalog: Catalog, norms: Norms
) -> None:
    """DOMAIN.md §2.1: "A target below the floor takes another loadable exercise of the same
    variation that the kit allows". A light novice's seated target (about 15 kg) is under the
    bar's 20 kg: the seated calf machine stands in, loaded, where the seated barbell raise was
    prescribed "at body weight" (nothing on the knees: no load for the soleus)."""
    athlete = {
        "equipment": ["barbell", "bench", "seated_calf_machine"],
        "body_mass_kg": 60.0,
        "strength_experience": "novice",
    }
    plan = plan_of(catalog, norms, 16, athlete=athlete, strength={"sessions_per_week": 2})
    first = _bent_knee(plan, 1)
    assert {p.exercise for p in first} == {"seated-calf-machine-raise"}
    assert all(p.load_kg for p in first)
    assert any(
        "Seated calf machine raise instead of Seated barbell calf raise" in text
        and "less than the lightest load your kit makes for it (20 kg" in text
        for p in first
        for text in reasons(p)
    )
    for week in range(1, 17):
        for p in _bent_knee(plan, week):
            assert p.load_kg or p.hold_s, (week, p.exercise)
    # Once its target reaches the bar, the barbell raise takes its slot back at the bar's
    # weight: the weeks on the machine were the same movement, no re-entry at half its target.
    back = [p for w in range(1, 17) for p in _bent_knee(plan, w) if "barbell" in p.exercise]
    assert back and back[0].load_kg == 20.0
    assert not any("Not done in the last" in text for p in back for text in reasons(p))


def test_a_seated_raise_under_the_bar_alone_takes_its_body_weight_regression(
    catalog: Catalog, norms: Norms
) -> None:
    """ "... else the regression": with a bar and a bench only, a 40 kg novice's seated target is
    under the bar, and the wall-sit calf raise (body weight, both legs bent) takes its place,
    never a seated barbell raise without the bar."""
    athlete = {"equipment": ["barbell", "bench"], "body_mass_kg": 40.0}
    plan = plan_of(catalog, norms, 4, athlete=athlete, strength={"sessions_per_week": 2})
    first = _bent_knee(plan, 1)
    assert first and {p.exercise for p in first} == {"wall-sit-calf-raise"}
    assert all(p.system_load_kg == 40.0 for p in first)  # both legs lift body weight


def test_a_seated_raises_load_reason_names_no_body_weight(catalog: Catalog, norms: Norms) -> None:
    """explain said "… 60% of it is 15.0 kg, of which 0.0 kg is body weight" of a seated raise
    (a trial's reading): a seated raise lifts no body weight, and its reason says none."""
    plan = plan_of(catalog, norms, 2)
    said = {p.exercise: reasons(p) for p in raises(plan, 1)}
    seated = [
        t for ex, texts in said.items() if "seated" in ex for t in texts if "(system load)" in t
    ]
    standing = [
        t for ex, texts in said.items() if "seated" not in ex for t in texts if "(system load)" in t
    ]
    assert seated and not any("is body weight" in t for t in seated), seated
    assert standing and all("is body weight" in t for t in standing), standing
