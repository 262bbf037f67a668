"""Loads in kg (DOMAIN.md §2): estimated 1RMs, %1RM by reps, rounding to equipment steps."""

from __future__ import annotations

import math

from calfcoach.core.catalog import Exercise
from calfcoach.core.norms import LoadSource, Norms
from calfcoach.core.profile import Profile


def round_down(load_kg: float, step_kg: float) -> float:
    """``load_kg`` rounded down to a whole number of ``step_kg`` (never below zero)."""
    if load_kg <= 0:
        return 0.0
    # The small epsilon keeps 40.0 / 2.5 from flooring to 15.999… steps.
    return round(math.floor(load_kg / step_kg + 1e-9) * step_kg, 2)


def load_x_bodyweight(load_kg: float, body_mass_kg: float) -> float:
    return round(load_kg / body_mass_kg, 2)


def load_source(exercise: Exercise, equipment: frozenset[str], norms: Norms) -> LoadSource | None:
    """The first of the exercise's load sources the athlete has, or None (body weight)."""
    if not exercise.loadable:
        return None
    for name in exercise.load_via:
        source = norms.load_sources[name]
        if source.provided_by in equipment:
            return source
    return None


def assessment_ratio(profile: Profile, norms: Norms) -> float:
    """Assessed / estimated seated 1RM, kept within the norms' bounds; 1 without a test."""
    assessed = profile.assessments.seated_calf_raise_1rm_kg
    if assessed is None:
        return 1.0
    estimated = _estimated_from_body_mass(norms.assessed_load_class, profile, norms)
    ratio = assessed / estimated
    return min(norms.assessment_ratio_max, max(norms.assessment_ratio_min, ratio))


def _estimated_from_body_mass(load_class: str, profile: Profile, norms: Norms) -> float:
    fraction = norms.start_load_fraction[load_class][profile.experience]
    return fraction * profile.athlete.body_mass_kg / norms.start_load_share_of_1rm


def estimated_1rm(exercise: Exercise, profile: Profile, norms: Norms) -> float | None:
    """Estimated 1RM (external kg) of a loadable exercise, or None for body-weight ones.

    An assessed seated 1RM is used as it is for both-leg seated raises and scales every other
    estimate by the same ratio (DOMAIN.md §2).
    """
    if exercise.load_class is None:
        return None
    assessed = profile.assessments.seated_calf_raise_1rm_kg
    if assessed is not None and exercise.load_class == norms.assessed_load_class:
        return assessed
    estimate = _estimated_from_body_mass(exercise.load_class, profile, norms)
    return estimate * assessment_ratio(profile, norms)


def load_at(exercise: Exercise, profile: Profile, norms: Norms, share_of_1rm: float) -> float:
    """External load for ``share_of_1rm`` of the exercise's estimated 1RM, rounded down to the
    equipment's step; 0 for body weight. A loadable exercise gets at least one step, so a light
    athlete's first dumbbell is still a dumbbell."""
    source = load_source(exercise, profile.equipment, norms)
    e1rm = estimated_1rm(exercise, profile, norms)
    if source is None or e1rm is None:
        return 0.0
    return max(source.step_kg, round_down(e1rm * share_of_1rm, source.step_kg))


def epley_1rm(load_kg: float, reps: int) -> float:
    """Epley's estimate of a 1RM from a set: ``w · (1 + reps/30)``."""
    return load_kg * (1 + reps / 30)


def max_weekly_growth(previous_kg: float, step_kg: float, norms: Norms) -> float:
    """The most a load may grow in a week (DOMAIN.md §4): the largest of 2.5 kg, 5 % of the
    load and the equipment's step."""
    return max(norms.max_weekly_step_kg, norms.max_weekly_step_share * previous_kg, step_kg)
