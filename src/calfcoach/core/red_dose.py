"""A prescription at red pain's dose (DOMAIN.md §6; Silbernagel et al. 2007). Pure.

Red halves the **per-calf** system load (§2.1: body weight share × body mass + the external
load, ÷ the legs working) and the sets (rounded up):

- a seated raise (no body weight in its system load) halves its external load;
- a single-leg standing raise becomes its two-legged form with the same external load (each
  calf then takes half);
- a standing raise that cannot be halved standing (a two-legged raise: its body weight alone
  is more than half) becomes the next step of its regression chain that fits — a seated raise
  or the isometric hold of the same variation;
- holds keep their seconds and halve their sets.

Halving the external load of a single-leg raise, as before, left most of the per-calf load in
place (body weight is most of it): that is what this module corrects.
"""

from __future__ import annotations

from collections.abc import Mapping

from msgspec.structs import replace

from calfcoach.core.catalog import Catalog, Exercise
from calfcoach.core.dosing import (
    body_part_kg,
    isometric_hold,
    kit_ladder,
    load_x_bodyweight,
)
from calfcoach.core.loads import LoadLadder
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Prescription
from calfcoach.core.profile import Profile
from calfcoach.core.progression import red_sets
from calfcoach.core.selection import ExerciseChooser


def per_calf_kg(p: Prescription, ex: Exercise, body_mass_kg: float) -> float:
    """What each calf takes in ``p`` (DOMAIN.md §2.1)."""
    return (body_part_kg(ex, body_mass_kg) + (p.load_kg or 0.0)) / ex.legs


def red_halved(
    p: Prescription,
    profile: Profile,
    catalog: Catalog,
    norms: Norms,
    chooser: ExerciseChooser | None = None,
    recent_loads: Mapping[str, float] | None = None,
) -> Prescription:
    """``p`` at half its per-calf load and half its sets (rounded up); plyometrics are the
    caller's to remove. ``recent_loads``: each exercise's external load where the plan last
    gave it (see below).

    A seated raise that stands in for a standing one takes half the per-calf load; where the
    plan already gives a seated raise of its load class (Smith, machine or dumbbells on the
    knees: one row of §2.1's table), red halves that one's external load too (§6: "seated
    raises halve their external load"), and the lower of the two stands. Read alone, the
    first put a seated dumbbell raise at 80 kg in place of an 8 kg lunge raise (half of body
    weight and 8 kg, per calf) in a week whose seated dumbbell raise was 40 kg: red doubled a
    load the runner was lifting. We take the more conservative reading: red never raises one.
    Without a seated raise in the plan the stand-in is new to the runner, and §6 starts an
    exercise entering after a pain restriction at half its target: half the per-calf half.

    A single-leg raise's two-legged stand-in keeps its external load, but no more than the
    plan last gave that two-legged raise: a red week's stand-in for a 4 kg kettlebell raise
    was the 4 kg two-legged raise, and a second red a week later, on a 27.5 kg barbell
    single-leg raise, made the same two-legged raise 27.5 kg (R10; issue 13's pain sweep).
    """
    sets = red_sets(p.sets, norms)
    ex = catalog.get(p.exercise)
    if ex is None or p.load_kg is None or ex.isometric or p.hold_s is not None:
        return replace(p, sets=sets)
    mass = profile.athlete.body_mass_kg
    chooser = chooser or ExerciseChooser(profile, catalog, norms)
    if ex.bodyweight_share == 0:
        return _halved_seated(p, ex, sets, profile, norms, chooser)
    target = per_calf_kg(p, ex, mass) * norms.pain_red_share
    for option in chooser.regressions(ex):
        if option.isometric:
            return _hold(p, option, norms, mass)
        if body_part_kg(option, mass) / option.legs > target + 1e-9:
            continue  # body weight alone is more than half: not halved this way
        ladder = kit_ladder(option, profile, norms)
        if option.bodyweight_share == 0:
            # A seated raise: half the per-calf load, on what its own kit builds; at most
            # half its own load where the plan gives it (the docstring).
            load = _at_most(ladder, target * option.legs)
            own = _heaviest_of_class(option, recent_loads, catalog)
            if own is not None and ladder is not None:
                load = min(load, _at_most(ladder, own * norms.pain_red_share))
            elif recent_loads is not None and ladder is not None:
                # No seated raise in the plan: one entering after a pain restriction starts
                # at half its target (§6), here half of red's per-calf half.
                load = _at_most(ladder, load * norms.pain_red_share)
        else:
            # The two-legged standing form with the same external load, where its kit can
            # carry it (never more per calf than the target), and never more than the plan
            # last gave that form (the docstring: red never raises a load the runner lifts).
            load = _at_most(ladder, p.load_kg)
            own = None if recent_loads is None else recent_loads.get(option.id)
            if own is not None:
                load = min(load, own)
            while load > 0 and (body_part_kg(option, mass) + load) / option.legs > target + 1e-9:
                load = _at_most(ladder, load - _STEP_DOWN_KG)
        return _at_load(p, option, load, sets, mass)
    # Nothing lighter in the athlete's kit: the same raise, its external load halved (the
    # most this exercise can give; the sets are halved too).
    halved = _at_most(kit_ladder(ex, profile, norms), p.load_kg * norms.pain_red_share)
    return _at_load(p, ex, halved, sets, mass)


def holds_and_seated_only(
    p: Prescription,
    profile: Profile,
    catalog: Catalog,
    norms: Norms,
    *,
    halved_already: bool,
    chooser: ExerciseChooser | None = None,
    recent_loads: Mapping[str, float] | None = None,
) -> Prescription:
    """``p`` where only isometric holds and seated raises may go (DOMAIN.md §6: red twice in a
    row; pain above 5 with Achilles tendinopathy): a standing raise becomes the isometric hold
    of its variation at red's sets, as the planner's weeks of holds give it; a seated raise
    takes red's halving (:func:`red_halved`), unless ``halved_already`` (red halved this
    session already: §6's "half of the pre-flare per-calf load" is what it has); a hold keeps
    its seconds and takes red's sets. Plyometrics are the caller's to remove."""
    ex = catalog.get(p.exercise)
    if ex is None or ex.isometric or p.hold_s is not None:
        return p if halved_already else replace(p, sets=red_sets(p.sets, norms))
    if ex.bodyweight_share == 0:
        if halved_already:
            return p
        return red_halved(p, profile, catalog, norms, chooser, recent_loads)
    chooser = chooser or ExerciseChooser(profile, catalog, norms)
    for option in chooser.regressions(ex):
        if option.isometric:
            return _hold(p, option, norms, profile.athlete.body_mass_kg)
    # No hold of this variation in the athlete's reach (the catalog has one for each): red's
    # ordinary halving, the nearest the kit allows.
    return p if halved_already else red_halved(p, profile, catalog, norms, chooser, recent_loads)


# Below a load by more than the ladder's match (loads are kept to 0.01 kg): the next one down.
_STEP_DOWN_KG = 0.02


def _at_most(ladder: LoadLadder | None, kg: float) -> float:
    return 0.0 if ladder is None else ladder.down_to(kg)


def _halved_seated(
    p: Prescription,
    ex: Exercise,
    sets: int,
    profile: Profile,
    norms: Norms,
    chooser: ExerciseChooser,
) -> Prescription:
    """A seated raise halves its external load (§6), on what its kit builds. Where the half is
    under a bar's weight (a 30 kg seated barbell raise: 15 kg, and the bar is 20), no load
    the kit makes is half: the variation's isometric hold, as for a raise that cannot be
    halved standing (never a load the kit cannot make, §2.1)."""
    mass = profile.athlete.body_mass_kg
    ladder = kit_ladder(ex, profile, norms)
    half = (p.load_kg or 0.0) * norms.pain_red_share
    if ladder is not None and ladder.at_most(half) is None:
        for option in chooser.regressions(ex):
            if option.isometric:
                return _hold(p, option, norms, mass)
    return _at_load(p, ex, _at_most(ladder, half), sets, mass)


def _heaviest_of_class(
    option: Exercise, recent_loads: Mapping[str, float] | None, catalog: Catalog
) -> float | None:
    """The heaviest recent external load of an exercise of ``option``'s load class."""
    if not recent_loads or option.load_class is None:
        return None
    loads = [
        load
        for exercise_id, load in recent_loads.items()
        if (ex := catalog.get(exercise_id)) is not None and ex.load_class == option.load_class
    ]
    return max(loads, default=None)


def _at_load(p: Prescription, ex: Exercise, load: float, sets: int, mass: float) -> Prescription:
    return replace(
        p,
        exercise=ex.id,
        variation=ex.variation,
        per_side=ex.per_side,
        sets=sets,
        load_kg=load,
        load_x_bodyweight=load_x_bodyweight(load, mass),
        system_load_kg=round(body_part_kg(ex, mass) + load, 2),
    )


def _hold(p: Prescription, ex: Exercise, norms: Norms, mass: float) -> Prescription:
    """The isometric hold of the variation, at red's half of its sets (the planner's dose)."""
    return isometric_hold(ex, red_sets(norms.isometric_sets, norms), norms, mass, p.why)
