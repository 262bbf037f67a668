"""Loads in kg: the starting-load table, assessments, rounding to the equipment's steps."""

from __future__ import annotations

import pytest

from calfcoach.core.catalog import Catalog
from calfcoach.core.dosing import (
    epley_1rm,
    estimated_1rm,
    load_at,
    load_source,
    max_weekly_growth,
    round_down,
)
from calfcoach.core.norms import Norms
from calfcoach.core.progression import split_contacts
from tests.conftest import make_profile


def test_round_down_to_steps() -> None:
    assert round_down(41.9, 2.5) == 40.0
    assert round_down(40.0, 2.5) == 40.0
    assert round_down(7.9, 2.0) == 6.0
    assert round_down(-3, 2.0) == 0.0


@pytest.mark.parametrize(
    ("experience", "fraction"), [("novice", 0.30), ("intermediate", 0.60), ("advanced", 1.00)]
)
def test_seated_estimate_follows_the_table(
    catalog: Catalog, norms: Norms, experience: str, fraction: float
) -> None:
    profile = make_profile(
        athlete={
            "strength_experience": experience,
            "equipment": ["smith_machine", "bench", "plates"],
        }
    )
    ex = catalog.by_id["seated-smith-calf-raise"]
    e1rm = estimated_1rm(ex, profile, norms)
    assert e1rm == pytest.approx(fraction * 68 / 0.72)
    # The 10–12-rep working load is the table's fraction of body mass, rounded down to 2.5 kg.
    assert load_at(ex, profile, norms, 0.72) == round_down(fraction * 68, 2.5)


def test_assessed_seated_1rm_is_used_and_scales_the_others(catalog: Catalog, norms: Norms) -> None:
    kit = ["smith_machine", "bench", "plates", "kettlebell"]
    plain = make_profile(athlete={"equipment": kit})
    tested = make_profile(
        athlete={"equipment": kit}, assessments={"seated_calf_raise_1rm_kg": 56.6}
    )
    seated = catalog.by_id["seated-smith-calf-raise"]
    single = catalog.by_id["kettlebell-single-leg-calf-raise"]
    assert estimated_1rm(seated, tested, norms) == 56.6
    ratio = 56.6 / (0.30 * 68 / 0.72)
    assert estimated_1rm(single, tested, norms) == pytest.approx(
        estimated_1rm(single, plain, norms) * ratio
    )


def test_assessment_ratio_is_kept_within_bounds(catalog: Catalog, norms: Norms) -> None:
    kit = ["smith_machine", "bench", "plates", "kettlebell"]
    plain = make_profile(athlete={"equipment": kit})
    huge = make_profile(athlete={"equipment": kit}, assessments={"seated_calf_raise_1rm_kg": 900})
    single = catalog.by_id["kettlebell-single-leg-calf-raise"]
    assert estimated_1rm(single, huge, norms) == pytest.approx(
        2.0 * estimated_1rm(single, plain, norms)
    )


def test_dumbbell_pairs_step_4kg_single_dumbbells_2kg(catalog: Catalog, norms: Norms) -> None:
    have = frozenset({"dumbbells", "step", "bench"})
    assert load_source(catalog.by_id["lunge-calf-raise"], have, norms).step_kg == 4.0
    assert load_source(catalog.by_id["dumbbell-single-leg-calf-raise"], have, norms).step_kg == 2.0
    assert load_source(catalog.by_id["single-leg-calf-raise"], have, norms) is None


def test_body_weight_exercises_carry_no_load(catalog: Catalog, norms: Norms) -> None:
    profile = make_profile()
    assert load_at(catalog.by_id["wall-sit-calf-raise"], profile, norms, 0.8) == 0.0


def test_epley() -> None:
    assert epley_1rm(60, 10) == pytest.approx(80.0)


def test_weekly_growth_is_the_largest_of_three(norms: Norms) -> None:
    assert max_weekly_growth(20, 2.0, norms) == 2.5
    assert max_weekly_growth(100, 2.5, norms) == 5.0
    assert max_weekly_growth(20, 5.0, norms) == 5.0


@pytest.mark.parametrize("total", [1, 7, 27, 40, 84, 120])
@pytest.mark.parametrize("per_side", [False, True])
def test_contacts_split_never_exceeds_the_target(norms: Norms, total: int, per_side: bool) -> None:
    sets, reps, contacts = split_contacts(total, per_side, norms)
    assert contacts == sets * reps * (2 if per_side else 1)
    assert contacts <= total
    if total >= 12:
        assert contacts >= total * 0.75
