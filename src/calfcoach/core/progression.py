"""How doses change from week to week (DOMAIN.md §4, §6): load steps, contact growth,
deloads, the taper and the pain zones."""

from __future__ import annotations

import math

from calfcoach.core.norms import Norms


def grown_load(base_kg: float, ordinary_week: int, step_kg: float, cap_kg: float) -> float:
    """Load in the ``ordinary_week``-th (0-based) ordinary week of a phase: one equipment step
    a week from the phase's starting load, never past the phase's top load."""
    return round(max(base_kg, min(base_kg + ordinary_week * step_kg, cap_kg)), 2)


def toward(target_kg: float, previous_kg: float | None, step_kg: float) -> float:
    """A protocol's target load, reached at most one step a week (DOMAIN.md §4)."""
    if previous_kg is None or target_kg <= previous_kg:
        return target_kg
    return round(min(target_kg, previous_kg + step_kg), 2)


def deload_sets(sets: int, norms: Norms) -> int:
    """Sets of a deload week: × 0.6, rounded, at least one."""
    return max(1, round(sets * norms.deload_set_share))


def taper_sets(sets: int, norms: Norms) -> int:
    """Half the sets of the last ordinary week, rounded up."""
    return max(1, math.ceil(sets * norms.taper_set_share))


def red_sets(sets: int, norms: Norms) -> int:
    """Red pain halves volume (rounded up, at least one set)."""
    return max(1, math.ceil(sets * norms.pain_red_share))


def next_weekly_contacts(previous: int, cap_total: int, norms: Norms) -> int:
    """Weekly plyometric contacts after ``previous``: at most +20 %, within the caps."""
    return min(cap_total, math.floor(previous * (1 + norms.plyo_weekly_growth_max)))


def first_weekly_contacts(cap_per_session: int, sessions: int, norms: Norms) -> int:
    """Weekly contacts in the first ordinary week of a phase."""
    return math.floor(cap_per_session * norms.plyo_start_share_of_cap) * sessions


def split_contacts(total: int, per_side: bool, norms: Norms) -> tuple[int, int, int]:
    """Sets, reps and contacts for a plyometric of at most ``total`` contacts.

    ``reps`` counts contacts per set (per side when ``per_side``).
    """
    sides = 2 if per_side else 1
    per_set = norms.plyo_reps_per_set_per_side if per_side else norms.plyo_reps_per_set
    if total < sides:
        return 0, 0, 0
    # Sets of about `per_set` contacts; past `plyo_sets_max` sets, the sets get longer.
    sets = min(norms.plyo_sets_max, max(1, math.ceil(total / (per_set * sides))))
    sets = min(sets, total // sides)
    reps = total // (sets * sides)
    return sets, reps, sets * reps * sides
