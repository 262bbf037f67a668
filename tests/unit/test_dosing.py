"""Loads on the system load (DOMAIN.md §2, §2.1): the starting-load table, assessments, the
heel-raise bound, the ladders of buildable loads (default steps, imperial, owned kit), the
regression for a weak calf and the planner's use of all of it."""

from __future__ import annotations

from datetime import date

import pytest

from calfcoach.core.catalog import Catalog
from calfcoach.core.dosing import (
    epley_1rm,
    epley_with_reserve,
    estimated_1rm,
    load_source,
    max_weekly_growth,
    per_calf,
    system_load,
    target_system_load,
)
from calfcoach.core.loads import ladder_for
from calfcoach.core.norms import Norms
from calfcoach.core.planner import build_plan
from calfcoach.core.progression import split_contacts
from calfcoach.core.units import KG_PER_LB
from tests.conftest import START, make_profile


@pytest.mark.parametrize(
    ("experience", "fraction"), [("novice", 0.30), ("intermediate", 0.60), ("advanced", 1.00)]
)
def test_seated_estimate_is_external_and_follows_the_table(
    catalog: Catalog, norms: Norms, experience: str, fraction: float
) -> None:
    profile = make_profile(
        athlete={"strength_experience": experience, "equipment": ["smith_machine", "bench"]}
    )
    ex = catalog.by_id["seated-smith-calf-raise"]
    assert ex.bodyweight_share == 0.0  # seated: the load is all the calf lifts
    one_rm = estimated_1rm(ex, profile, norms)
    assert one_rm is not None
    assert one_rm.kg == pytest.approx(fraction * 68 / 0.72)
    assert one_rm.source == "estimate"


@pytest.mark.parametrize(
    ("experience", "fraction"), [("novice", 1.05), ("intermediate", 1.15), ("advanced", 1.25)]
)
def test_single_leg_standing_estimate_is_on_the_system_load(
    catalog: Catalog, norms: Norms, experience: str, fraction: float
) -> None:
    profile = make_profile(athlete={"strength_experience": experience, "equipment": ["dumbbells"]})
    ex = catalog.by_id["dumbbell-single-leg-calf-raise"]
    one_rm = estimated_1rm(ex, profile, norms)
    assert one_rm is not None
    # The table's fraction is of body + load, so the 1RM includes the 68 kg body.
    assert one_rm.kg == pytest.approx(fraction * 68 / 0.72)
    assert system_load(ex, 68, 10) == 78
    assert per_calf(ex, 68, 10) == 78  # one leg


def test_two_legged_standing_raise_splits_the_system_load_per_calf(catalog: Catalog) -> None:
    ex = catalog.by_id["loaded-double-leg-calf-raise"]
    # DOMAIN.md §2.1's example: a 64 kg runner with 10 kg on two legs is 37 kg a calf.
    assert per_calf(ex, 64, 10) == 37
    assert per_calf(catalog.by_id["dumbbell-single-leg-calf-raise"], 64, 10) == 74


def test_assessed_seated_1rm_scales_only_external_rows(catalog: Catalog, norms: Norms) -> None:
    kit = ["smith_machine", "bench", "plates", "kettlebell", "standing_calf_machine"]
    plain = make_profile(athlete={"equipment": kit})
    tested = make_profile(
        athlete={"equipment": kit}, assessments={"seated_calf_raise_1rm_kg": 56.6}
    )
    seated = catalog.by_id["seated-smith-calf-raise"]
    machine = catalog.by_id["standing-calf-machine-raise"]
    single = catalog.by_id["kettlebell-single-leg-calf-raise"]
    assert estimated_1rm(seated, tested, norms).kg == 56.6
    ratio = 56.6 / (0.30 * 68 / 0.72)
    assert estimated_1rm(machine, tested, norms).kg == pytest.approx(
        estimated_1rm(machine, plain, norms).kg * ratio
    )
    # A strong seated raise says little about a single-leg standing one (§2.1).
    assert estimated_1rm(single, tested, norms).kg == estimated_1rm(single, plain, norms).kg


def test_assessment_ratio_is_kept_within_bounds(catalog: Catalog, norms: Norms) -> None:
    kit = ["standing_calf_machine"]
    plain = make_profile(athlete={"equipment": kit})
    huge = make_profile(athlete={"equipment": kit}, assessments={"seated_calf_raise_1rm_kg": 900})
    machine = catalog.by_id["standing-calf-machine-raise"]
    assert estimated_1rm(machine, huge, norms).kg == pytest.approx(
        2.0 * estimated_1rm(machine, plain, norms).kg
    )


def test_heel_raise_test_bounds_the_single_leg_estimate(catalog: Catalog, norms: Norms) -> None:
    ex = catalog.by_id["dumbbell-single-leg-calf-raise"]
    weak = make_profile(
        athlete={"strength_experience": "advanced", "equipment": ["dumbbells"]},
        assessments={"single_leg_heel_raise_reps": {"left": 14, "right": 20}},
    )
    strong = make_profile(
        athlete={"strength_experience": "advanced", "equipment": ["dumbbells"]},
        assessments={"single_leg_heel_raise_reps": {"left": 30, "right": 31}},
    )
    bounded = estimated_1rm(ex, weak, norms)
    assert bounded.source == "heel_raise_test"
    assert bounded.kg == pytest.approx(epley_1rm(68, 14))  # the weaker side
    assert estimated_1rm(ex, strong, norms).source == "estimate"


def test_targets_use_reps_in_reserve(norms: Norms) -> None:
    # 12 reps at RPE 7 is the 15RM load (65 %); 10 at RPE 8 the 12RM (70 %).
    assert target_system_load(100, 12, 7, norms) == pytest.approx(65)
    assert target_system_load(100, 10, 8, norms) == pytest.approx(70)
    assert target_system_load(100, 15, 6, norms) == pytest.approx(57.5)  # 19RM, interpolated
    # Epley counts the reps left in the tank.
    assert epley_with_reserve(78, 10, 8) == pytest.approx(epley_1rm(78, 12))


def test_dumbbell_pairs_step_4kg_single_dumbbells_2kg(catalog: Catalog, norms: Norms) -> None:
    have = frozenset({"dumbbells", "step", "bench"})
    assert load_source(catalog.by_id["lunge-calf-raise"], have, norms).step_kg == 4.0
    assert load_source(catalog.by_id["dumbbell-single-leg-calf-raise"], have, norms).step_kg == 2.0
    assert load_source(catalog.by_id["single-leg-calf-raise"], have, norms) is None


def test_imperial_ladders_hold_only_loads_built_in_pounds(norms: Norms) -> None:
    profile = make_profile(athlete={"units": "imperial", "equipment": ["dumbbells"]})
    single = ladder_for(norms.load_sources["dumbbell"], profile)
    pair = ladder_for(norms.load_sources["dumbbell_pair"], profile)
    pounds = [round(kg / KG_PER_LB, 1) for kg in single.loads_kg]
    assert pounds[:4] == [5.0, 10.0, 15.0, 20.0]
    assert pounds[-1] == 90.0  # the default maximum
    assert single.at_most(4.0) == pytest.approx(5 * KG_PER_LB, abs=0.01)  # not 8.8 lb
    assert pair.describe(pair.at_most(9.5)) == "2 × 10 lb"


def test_bar_floor_and_owned_plates(norms: Norms) -> None:
    default = ladder_for(norms.load_sources["barbell"], make_profile(athlete={"equipment": []}))
    assert default.floor_kg == 20.0
    assert default.at_most(12) is None  # below the bar: not a load the kit can make
    owned = ladder_for(
        norms.load_sources["barbell"],
        make_profile(equipment_loads={"plates": [5, 10], "barbell": 15}),
    )
    assert owned.loads_kg[:4] == (15.0, 25.0, 35.0, 45.0)
    assert owned.gap_above(25.0) == 10.0  # one step is the gap to the next owned load


def test_owned_dumbbells_replace_the_default_steps(norms: Norms) -> None:
    profile = make_profile(equipment_loads={"dumbbells": [2, 4, 6, 8, 10, 12.5, 15]})
    single = ladder_for(norms.load_sources["dumbbell"], profile)
    pair = ladder_for(norms.load_sources["dumbbell_pair"], profile)
    assert single.loads_kg == (2, 4, 6, 8, 10, 12.5, 15)
    assert pair.at_most(29.0) == 25.0
    assert single.gap_above(10) == 2.5 and single.gap_above(12.5) == 2.5
    assert single.at_most(40) == 15  # the heaviest owned


def test_weekly_growth_is_the_largest_of_three(norms: Norms) -> None:
    assert max_weekly_growth(20, 2.0, norms) == 2.5
    assert max_weekly_growth(100, 2.5, norms) == 5.0
    assert max_weekly_growth(20, 5.0, norms) == 5.0


def _strength(plan, week_index):
    week = plan.weeks[week_index - 1]
    return [p for d in week.days for s in d.sessions if s.kind == "strength" for p in s.exercises]


def test_a_weak_calf_gets_the_regression_never_a_set_it_cannot_complete(
    catalog: Catalog, norms: Norms
) -> None:
    # A novice's single-leg estimate puts body weight above foundation's 15-rep target.
    profile = make_profile(athlete={"equipment": ["dumbbells", "step", "bench"]})
    plan = build_plan(profile, START, 12, catalog, norms)
    week1 = {p.exercise for p in _strength(plan, 1)}
    assert "dumbbell-single-leg-calf-raise" not in week1
    assert "loaded-double-leg-calf-raise" in week1
    for p in _strength(plan, 1):
        ex = catalog.by_id[p.exercise]
        one_rm = estimated_1rm(ex, profile, norms)
        if one_rm is not None and p.variation != "plyometric":
            # The prescribed system load is within the week's target (reps at RPE 7).
            assert p.system_load_kg <= target_system_load(one_rm.kg, p.reps, p.rpe, norms) + 0.01


def test_novice_single_leg_raise_gets_heavier_through_the_build(
    catalog: Catalog, norms: Norms
) -> None:
    profile = make_profile(
        athlete={"body_mass_kg": 61, "equipment": ["dumbbells", "step", "bench"]},
        goal={"race_date": date(2027, 4, 4), "race_distance": "half"},
    )
    plan = build_plan(profile, START, None, catalog, norms)
    loads = [
        p.load_kg
        for week in plan.weeks
        if week.phase in ("foundation", "strength", "power")
        for p in _strength(plan, week.index)
        if p.exercise == "dumbbell-single-leg-calf-raise"
    ]
    assert loads and loads[-1] > loads[0]
    # 15RM -> 6RM on the system load: far more than the few kg the dumbbell alone would add.
    assert loads[-1] >= 10


def test_capped_equipment_keeps_the_effort_with_more_reps_and_says_so(
    catalog: Catalog, norms: Norms
) -> None:
    profile = make_profile(
        athlete={"strength_experience": "advanced", "equipment": ["kettlebell", "step"]},
        equipment_loads={"kettlebells": [8]},
    )
    plan = build_plan(profile, START, 12, catalog, norms)
    raises = [p for p in _strength(plan, 10) if p.exercise == "kettlebell-single-leg-calf-raise"]
    assert raises and all(p.load_kg == 8 for p in raises)
    assert all(p.reps > 6 for p in raises)  # more reps than the phase's 6 to keep the effort
    assert any("capped" in w.message and w.week == 10 for w in plan.warnings)


@pytest.mark.parametrize("total", [1, 7, 27, 40, 84, 120])
@pytest.mark.parametrize("per_side", [False, True])
def test_contacts_split_never_exceeds_the_target(norms: Norms, total: int, per_side: bool) -> None:
    sets, reps, contacts = split_contacts(total, per_side, norms)
    assert contacts == sets * reps * (2 if per_side else 1)
    assert contacts <= total
    if total >= 12:
        assert contacts >= total * 0.75
