"""The loads a stepper on the Today page moves through: the one place that says which loads
an athlete can build for an exercise. The page puts them in a data attribute and app.js
steps from one to the next (it knows no step size of its own)."""

from __future__ import annotations

from calfcoach.core.catalog import Exercise
from calfcoach.core.profile import Profile

# How far up the list goes: beyond any calf load a runner lifts, and short enough for a page.
MAX_LOAD_KG = 300.0


def load_steps(exercise: Exercise, profile: Profile) -> list[float]:
    """The buildable loads in kg for ``exercise`` with the athlete's equipment and units (the
    default steps, or what ``[equipment_loads]`` says is owned, DOMAIN.md §2.1), from 0 (body
    weight, where the exercise allows it) up; [] when the exercise takes no external load."""
    from calfcoach.core.dosing import load_source
    from calfcoach.core.loads import ladder_for
    from calfcoach.data import default_norms

    source = load_source(exercise, profile.equipment, default_norms())
    if source is None:
        return []
    ladder = ladder_for(source, profile)
    loads = [kg for kg in ladder.loads_kg if kg <= MAX_LOAD_KG]
    return ([0.0] if ladder.body_weight_ok else []) + loads
