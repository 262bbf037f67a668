"""Loads (DOMAIN.md §2, §2.1): estimated 1RMs and targets on the system load, the external load
that is left once body weight is counted, and the most a load may grow in a week.

The **system load** is what the working calf (or calves) lifts: ``bodyweight_share × body mass
+ load_kg``. Every %1RM, nRM, Epley estimate and progression step works on it; the plan shows
the external load that is left, rounded down to what the equipment can build
(:mod:`calfcoach.core.loads`).
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from calfcoach.core.catalog import Exercise
from calfcoach.core.loads import LoadLadder, ladder_for
from calfcoach.core.norms import LoadSource, Norms
from calfcoach.core.plan import Prescription, Why
from calfcoach.core.profile import Profile
from calfcoach.core.units import format_weight

OneRmSource = str  # "estimate" | "assessment" | "heel_raise_test" | "log"


class OneRepMax(msgspec.Struct, frozen=True):
    """An estimated 1RM of the system load and where it came from (for ``explain``)."""

    kg: float
    source: OneRmSource
    note: str


def load_x_bodyweight(load_kg: float, body_mass_kg: float) -> float:
    return round(load_kg / body_mass_kg, 2)


def body_part_kg(exercise: Exercise, body_mass_kg: float) -> float:
    """The part of the system load that is body weight."""
    return exercise.bodyweight_share * body_mass_kg


def system_load(exercise: Exercise, body_mass_kg: float, load_kg: float) -> float:
    """``bodyweight_share × body mass + load_kg`` (DOMAIN.md §2.1), to 2 decimals."""
    return round(body_part_kg(exercise, body_mass_kg) + load_kg, 2)


def isometric_hold(
    exercise: Exercise, sets: int, norms: Norms, body_mass_kg: float, why: Why | None = None
) -> Prescription:
    """``sets`` holds of ``exercise`` at body weight: the isometric dose of the norms (one
    "rep" of ``isometric_hold_s`` seconds, no tempo), for the planner and red's halving."""
    return Prescription(
        exercise.id,
        exercise.variation,
        sets,
        1,
        exercise.per_side,
        0.0,
        0.0,
        norms.isometric_rpe,
        None,
        norms.isometric_rest_s,
        None,
        norms.isometric_hold_s,
        system_load(exercise, body_mass_kg, 0.0),
        why,
    )


# The primer of a week where only holds may go (DOMAIN.md §6: red twice in a row, pain above
# 5 with Achilles tendinopathy): the planner's, and the rest of a red week's (core.replanning).
HOLDS_PRIMER = ("isometric-calf-hold", "bent-knee-isometric-hold")


def primer_prescription(
    exercise: Exercise, sets: int, reps: int, norms: Norms, body_mass_kg: float
) -> Prescription:
    """One exercise of a primer at body weight (DOMAIN.md §3): ``reps`` of a raise at the
    primer's RPE, tempo and rest; a hold is one "rep" of the norms' seconds, no tempo."""
    hold = exercise.isometric
    return Prescription(
        exercise.id,
        exercise.variation,
        sets,
        1 if hold else reps,
        exercise.per_side,
        0.0,
        0.0,
        norms.primer_rpe,
        None if hold else norms.primer_tempo,
        norms.primer_rest_s,
        None,
        norms.isometric_hold_s if hold else None,
        system_load(exercise, body_mass_kg, 0.0),
    )


def per_calf(exercise: Exercise, body_mass_kg: float, load_kg: float) -> float:
    """The system load ÷ the legs working: what compares two exercises (DOMAIN.md §2.1)."""
    return system_load(exercise, body_mass_kg, load_kg) / exercise.legs


def load_source(exercise: Exercise, equipment: frozenset[str], norms: Norms) -> LoadSource | None:
    """The first of the exercise's load sources the athlete has, or None (body weight)."""
    if not exercise.loadable:
        return None
    for name in exercise.load_via:
        source = norms.load_sources[name]
        if source.provided_by in equipment:
            return source
    return None


def kit_ladder(exercise: Exercise, profile: Profile, norms: Norms) -> LoadLadder | None:
    """What the athlete's kit builds for ``exercise``, in their units and owned loads (None:
    nothing loads it): the ladder every load of it is rounded on."""
    source = load_source(exercise, profile.equipment, norms)
    return None if source is None else ladder_for(source, profile)


def pair_exercise_ids(
    exercises: Iterable[Exercise], equipment: frozenset[str], norms: Norms
) -> frozenset[str]:
    """The exercises this athlete loads with a pair of dumbbells (shown as "2 × 10 kg")."""
    return frozenset(
        ex.id
        for ex in exercises
        if (source := load_source(ex, equipment, norms)) is not None and source.kind == "pair"
    )


def assessment_ratio(profile: Profile, norms: Norms) -> float:
    """Assessed / estimated seated 1RM, kept within the norms' bounds; 1 without a test."""
    assessed = profile.assessments.seated_calf_raise_1rm_kg
    if assessed is None:
        return 1.0
    estimated = _table_working_load(norms.assessed_load_class, 0.0, profile, norms)
    ratio = assessed / (estimated / norms.start_load_share_of_1rm)
    return min(norms.assessment_ratio_max, max(norms.assessment_ratio_min, ratio))


def _table_working_load(
    load_class: str, bodyweight_share: float, profile: Profile, norms: Norms
) -> float:
    """DOMAIN.md §2.1's estimated 10–12-rep working load, as a system load."""
    mass = profile.athlete.body_mass_kg
    fraction = norms.start_load_fraction[load_class][profile.experience] * mass
    if norms.start_load_basis[load_class] == "external":
        return bodyweight_share * mass + fraction
    return fraction


def estimated_1rm(exercise: Exercise, profile: Profile, norms: Norms) -> OneRepMax | None:
    """The estimated 1RM of the system load of a loadable exercise; None for body-weight ones.

    An assessed seated 1RM is used as it is for both-leg seated raises and scales the other
    external-load rows of the table (never the system-load rows, DOMAIN.md §2.1). A single-leg
    heel-raise test bounds the single-leg standing estimate: Epley on the test's reps at body
    weight (to fatigue) is the most that estimate may be, below the "may start loaded" count.
    """
    if exercise.load_class is None:
        return None
    assessed = profile.assessments.seated_calf_raise_1rm_kg
    if assessed is not None and exercise.load_class == norms.assessed_load_class:
        system = assessed + body_part_kg(exercise, profile.athlete.body_mass_kg)
        test = format_weight(assessed, profile.athlete.units)
        return OneRepMax(system, "assessment", f"your seated 1RM test ({test})")
    return _table_1rm(exercise, exercise.load_class, profile, norms)


def bodyweight_1rm(exercise: Exercise, profile: Profile, norms: Norms) -> OneRepMax | None:
    """The estimated system-load 1RM of a body-weight raise (one that takes no external load),
    or None for holds, plyometrics, loadable exercises and those that carry no body weight.

    A body-weight raise is the movement of §2.1's handheld-load row with nothing in hand, so
    that row (``norms.bodyweight_raise_class``, by legs) estimates it, bounded by a single-leg
    heel-raise test as the loaded forms are. The planner compares it with body weight: a
    target under body weight takes the regression (§2.1 "never a set the athlete cannot
    complete"), a target above it keeps body weight with more reps.
    """
    if (
        exercise.loadable
        or exercise.isometric
        or exercise.variation == "plyometric"
        or exercise.bodyweight_share <= 0
    ):
        return None
    heel = profile.assessments.single_leg_heel_raise_reps
    if heel is not None and exercise.per_side and exercise.bodyweight_share >= 1.0:
        # The test is this very raise at body weight, to fatigue: Epley on it measures what
        # the table only estimates (a test of 25 or more "may start loaded", §2.1, so body
        # weight is then well within the target; under 12, the regression).
        reps = min(heel.left, heel.right)
        body = body_part_kg(exercise, profile.athlete.body_mass_kg)
        note = f"from your single-leg heel-raise test ({reps} reps, §2.1)"
        return OneRepMax(epley_1rm(body, reps), "heel_raise_test", note)
    return _table_1rm(exercise, norms.bodyweight_raise_class[exercise.legs], profile, norms)


def _table_1rm(exercise: Exercise, load_class: str, profile: Profile, norms: Norms) -> OneRepMax:
    """:func:`estimated_1rm` from §2.1's table row ``load_class``, bounded by the heel-raise
    test (single-leg standing raises)."""
    assessed = profile.assessments.seated_calf_raise_1rm_kg
    working = _table_working_load(load_class, exercise.bodyweight_share, profile, norms)
    estimate = working / norms.start_load_share_of_1rm
    note = f"estimated from body mass and {profile.experience} experience (§2.1)"
    source = "estimate"
    if norms.start_load_basis[load_class] == "external" and assessed is not None:
        estimate *= assessment_ratio(profile, norms)
        note = "estimated from body mass, scaled by your seated 1RM test (§2.1)"
        source = "assessment"
    heel = profile.assessments.single_leg_heel_raise_reps
    if heel is not None and exercise.per_side and exercise.bodyweight_share >= 1.0:
        reps = min(heel.left, heel.right)
        if reps < norms.heel_raise_loaded_from:
            bound = epley_1rm(body_part_kg(exercise, profile.athlete.body_mass_kg), reps)
            if bound < estimate:
                estimate = bound
                note = f"bounded by your single-leg heel-raise test ({reps} reps, §2.1)"
                source = "heel_raise_test"
    return OneRepMax(estimate, source, note)


def target_system_load(one_rm_kg: float, reps: int, rpe: float, norms: Norms) -> float:
    """The working system load for ``reps`` at ``rpe``: the (reps + 10 − rpe)RM load."""
    return one_rm_kg * norms.working_share(reps, rpe)


def epley_1rm(load_kg: float, reps: float) -> float:
    """Epley's estimate of a 1RM from a set: ``w · (1 + reps/30)``."""
    return load_kg * (1 + reps / 30)


def epley_with_reserve(system_kg: float, reps: int, rpe: float | None) -> float:
    """Epley on the system load, counting the reps in reserve that the RPE says were left
    (DOMAIN.md §2.2): 10 reps at RPE 8 estimate like 12 to failure."""
    in_reserve = 0.0 if rpe is None else max(0.0, 10 - rpe)
    return epley_1rm(system_kg, reps + in_reserve)


def max_weekly_growth(previous_system_kg: float, step_kg: float, norms: Norms) -> float:
    """The most a load may grow in a week (DOMAIN.md §4): the largest of 2.5 kg, 5 % of the
    system load and the equipment's step (with owned kit, the gap to the next owned load)."""
    return max(norms.max_weekly_step_kg, norms.max_weekly_step_share * previous_system_kg, step_kg)


# Loads within this of each other are the same load (rounding of kg and lb).
_SAME_KG = 1e-6


class WayBack(msgspec.Struct):
    """The way back after red pain (DOMAIN.md §6), as the loads of a plan show it: red halves
    a load, and each green brings it halfway back, two greens to the pre-flare load itself,
    "not as new progression". A load that fell to half its highest or less may climb back to
    that highest faster than R10's one step a week; above it, growth is progression again.
    The planner (a held dose) and R10 read it alike."""

    red_share: float
    highest: dict[str, float] = msgspec.field(default_factory=dict)
    returning_to: dict[str, float] = msgspec.field(default_factory=dict)

    def see(self, exercise: str, load: float, ordinary: bool) -> None:
        """A week's load of ``exercise``, in plan order. ``ordinary``: a week of an ordinary
        phase, not a deload, where only red pain halves a load (a race's recovery weeks
        lower loads too, and climb back one step a week)."""
        # (Asked for every raise of every week, planner and R10 alike: most calls find
        # nothing returning and a load no higher than the peak, and write nothing.)
        highest, returning_to = self.highest, self.returning_to
        peak = highest.get(exercise, 0.0)
        if ordinary and peak > 0 and load <= peak * self.red_share + _SAME_KG:
            returning_to[exercise] = peak
        elif (
            returning_to  # (mostly empty: no membership test then)
            and exercise in returning_to
            and load >= returning_to[exercise] - _SAME_KG
        ):
            del returning_to[exercise]  # back: progression from here on
        if load > peak:
            highest[exercise] = load

    def allows(self, exercise: str, load: float) -> bool:
        """Whether ``load`` is a return to the load ``exercise`` had before red halved it."""
        back_to = self.returning_to.get(exercise)
        return back_to is not None and load <= back_to + _SAME_KG
