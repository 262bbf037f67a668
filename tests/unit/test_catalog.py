"""The catalog: the method's ids, coverage of every equipment set, loud failures."""

from __future__ import annotations

import itertools

import pytest

from calfcoach.core.catalog import METHOD_IDS, VARIATIONS, Catalog, CatalogError, parse_catalog
from calfcoach.core.norms import Norms
from calfcoach.core.profile import EQUIPMENT
from calfcoach.data import read_data

CONTRACT_FIELDS = [
    "id",
    "name",
    "variation",
    "equipment",
    "per_side",
    "loadable",
    "level",
    "isometric",
    "cues",
    "regression",
    "progression",
]


def test_the_methods_seven_exercises_are_there(catalog: Catalog) -> None:
    expected = {
        "barbell-single-leg-calf-raise": "straight_leg",
        "kettlebell-single-leg-calf-raise": "straight_leg",
        "seated-smith-calf-raise": "bent_knee",
        "lunge-calf-raise": "bent_knee",
        "rear-foot-elevated-pogo": "plyometric",
        "pogo-hops": "plyometric",
        "alternating-hops": "plyometric",
    }
    assert set(expected) == METHOD_IDS
    for exercise_id, variation in expected.items():
        entry = catalog.get(exercise_id)
        assert entry is not None and entry.variation == variation


def test_method_equipment_matches_domain(catalog: Catalog) -> None:
    def needs(exercise_id: str) -> list[set[str]]:
        entry = catalog.by_id[exercise_id]
        return [set(need) for need in entry.equipment]

    assert needs("barbell-single-leg-calf-raise") == [{"barbell"}, {"rack"}, {"bench"}]
    assert needs("kettlebell-single-leg-calf-raise") == [{"kettlebell"}, {"plates", "step"}]
    assert needs("seated-smith-calf-raise") == [{"smith_machine"}, {"bench"}, {"plates"}]
    assert needs("lunge-calf-raise") == [{"dumbbells"}, {"plates", "step"}]
    assert needs("rear-foot-elevated-pogo") == [{"bench"}]
    assert needs("pogo-hops") == [] and needs("alternating-hops") == []


def test_every_equipment_set_yields_all_three_variations_at_every_level(
    catalog: Catalog,
) -> None:
    kit = [item for item in EQUIPMENT if item != "none"]
    sets = [("none",)] + [
        combo for size in range(1, len(kit) + 1) for combo in itertools.combinations(kit, size)
    ]
    assert len(sets) == 2 ** len(kit)
    for equipment in sets:
        for level in ("novice", "intermediate", "advanced"):
            found = {
                ex.variation
                for ex in catalog.filter(equipment=equipment)
                if ex.level_fits(level) and "rehab" not in ex.tags and not ex.isometric
            }
            assert found == set(VARIATIONS), (equipment, level)


def test_entries_carry_the_contract_fields(catalog: Catalog) -> None:
    for ex in catalog:
        data = ex.contract_dict()
        assert list(data)[: len(CONTRACT_FIELDS)] == CONTRACT_FIELDS
        assert 2 <= len(ex.cues) <= 4
        for link in (ex.regression, ex.progression):
            assert link is None or link in catalog
        if ex.variation == "plyometric":
            assert not ex.loadable and ex.intensity is not None


def _with_entry(extra: str) -> str:
    return read_data("exercises.toml") + extra


def test_a_repeated_id_fails_loudly(norms: Norms) -> None:
    duplicate = """
[[exercise]]
id = "pogo-hops"
name = "Pogo again"
variation = "plyometric"
equipment = []
per_side = false
loadable = false
level = "novice"
isometric = false
bodyweight_share = 1.0
intensity = "low"
cues = ["a", "b"]
regression = ""
progression = ""
"""
    with pytest.raises(CatalogError, match="'pogo-hops' appears twice"):
        parse_catalog(_with_entry(duplicate), norms, EQUIPMENT)


def test_a_link_to_nowhere_fails_loudly(norms: Norms) -> None:
    text = read_data("exercises.toml").replace(
        'regression = "skipping"', 'regression = "moon-hops"', 1
    )
    with pytest.raises(CatalogError, match="points to no exercise"):
        parse_catalog(text, norms, EQUIPMENT)


def test_unknown_equipment_fails_loudly(norms: Norms) -> None:
    text = read_data("exercises.toml").replace('[["bench"]]', '[["trampoline"]]', 1)
    with pytest.raises(CatalogError, match="unknown equipment"):
        parse_catalog(text, norms, EQUIPMENT)


def test_a_missing_method_exercise_fails_loudly(norms: Norms) -> None:
    text = read_data("exercises.toml").replace('id = "lunge-calf-raise"', 'id = "lunge-raise"')
    text = text.replace('"lunge-calf-raise"', '"lunge-raise"')
    with pytest.raises(CatalogError, match="method's exercises are missing"):
        parse_catalog(text, norms, EQUIPMENT)


def test_filter_by_variation_and_equipment(catalog: Catalog) -> None:
    bent = catalog.filter(variation="bent_knee", equipment=["none"])
    assert bent and all(ex.variation == "bent_knee" and not ex.equipment for ex in bent)
    with_machine = {ex.id for ex in catalog.filter(equipment=["seated_calf_machine"])}
    assert "seated-calf-machine-raise" in with_machine
    assert "seated-smith-calf-raise" not in with_machine


def test_a_raise_held_at_body_weight_is_cued_without_the_weight(catalog: Catalog) -> None:
    """A raise loaded in the hand or on the back but prescribed at body weight says so first,
    and no cue hands the runner the weight; its set-up clauses stay. Raises under a bar keep
    their cues (their kit cannot go without the bar), as do loaded ones."""
    from calfcoach.core.catalog import BODY_WEIGHT_CUE, cues_for

    held = {"dumbbell", "dumbbell_pair", "kettlebell", "plates", "backpack"}
    in_hand = ("dumbbell", "kettlebell", "backpack", "plate held", "in each hand", "same-side")
    seen = 0
    for ex in catalog.exercises:
        cues = cues_for(ex, False, 0.0)
        if not (ex.load_via and ex.bodyweight_share > 0 and held.issuperset(ex.load_via)):
            assert cues == ex.cues, ex.id
            continue
        seen += 1
        assert cues[0] == BODY_WEIGHT_CUE, ex.id
        assert len(cues) >= 3, (ex.id, cues)
        assert not any(word in cue.lower() for cue in cues[1:] for word in in_hand), cues
        assert all(cue[0].isupper() and cue.endswith(".") for cue in cues), cues
        assert cues_for(ex, False, 4.0) == ex.cues  # loaded: as the catalog writes them
        assert cues_for(ex, False, None) == ex.cues  # a plyometric's or a hold's: no load
    assert seen >= 8
    lunge = catalog.by_id["lunge-calf-raise"]
    assert "Deep lunge, the front foot's toes on a plate." in cues_for(lunge, False, 0.0)
