"""The loads a stepper on the Today page moves through: the one place that says which loads
an athlete can build for an exercise. The page puts them in a data attribute and app.js
steps from one to the next (it knows no step size of its own)."""

from __future__ import annotations

from calfcoach.core.catalog import Exercise
from calfcoach.core.profile import Profile

# How far up the list goes: beyond any calf load a runner lifts, and short enough for a page.
MAX_LOAD_KG = 300.0


def load_steps(exercise: Exercise, profile: Profile) -> list[float]:
    """The buildable loads in kg for ``exercise`` with the athlete's equipment, from 0 (body
    weight) up; [] when the exercise takes no external load.

    For now every load source moves by its one equipment step (norms' ``step_kg``).
    """
    from calfcoach.core.dosing import load_source
    from calfcoach.data import default_norms

    source = load_source(exercise, profile.equipment, default_norms())
    if source is None or source.step_kg <= 0:
        return []
    count = int(MAX_LOAD_KG / source.step_kg)
    return [round(n * source.step_kg, 2) for n in range(count + 1)]
