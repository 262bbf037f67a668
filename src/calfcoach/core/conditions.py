"""Pain zones, conditions and their criteria (DOMAIN.md §6), shared by planner and rules."""

from __future__ import annotations

from datetime import date
from typing import Literal

import msgspec

from calfcoach.core.norms import Norms, Protocol
from calfcoach.core.plan import PlanWarning
from calfcoach.core.profile import Profile

PainZone = Literal["green", "amber", "red"]


def pain_zone(pain: int, norms: Norms) -> PainZone:
    """Silbernagel et al. 2007: ≤ 2 green, 3–5 amber, > 5 red."""
    if pain <= norms.pain_green_max:
        return "green"
    if pain <= norms.pain_amber_max:
        return "amber"
    return "red"


def profile_zone_for_week(profile: Profile, week_index: int, norms: Norms) -> PainZone:
    """The zone a plan made from a profile applies: ``pain_now``'s zone in the first weeks,
    green after (the plan assumes pain settles; check-ins re-plan)."""
    if week_index > norms.pain_profile_weeks:
        return "green"
    return pain_zone(profile.health.pain_now, norms)


# The start of the R11 note of the first re-planned week whose check-ins have replaced the
# profile's ``pain_now`` (DOMAIN.md §6: "the athlete's check-ins re-plan the future as they
# come"): from that week the profile's zone no longer applies. The planner writes it and the
# rules read it (a plan file carries no check-ins).
CHECKINS_REPLACE_PROFILE_PAIN = "Your check-ins replace the pain of your profile"
# The start of the R11 note of the first re-planned week in which plyometrics the profile
# withheld come back: a check-in or assessment met the criterion (DOMAIN.md §6).
PLYOMETRICS_COME_BACK = "Plyometrics come back"
# The start of the R11 note of a re-planned week that amber after red pain holds at the dose
# since that red, before a second green (DOMAIN.md §6): the week follows the way back from
# red, not a protocol's table, as a red check-in's week does (``check`` reads it so).
RED_DOSE_HELD = "Amber after red pain"


def greens_to_replace_profile_pain(profile: Profile, norms: Norms) -> int:
    """Green check-ins in a row that replace a non-green ``pain_now`` (0: it is green).

    Amber: one (§6, green "progress as planned"). Red: two (§6, "each green check-in brings
    load and sets back halfway to the pre-flare dose (two greens: back to it)"). After a red
    ``pain_now`` and a single green the plan keeps the profile's red weeks rather than come
    halfway back: the more conservative reading, since the plan holds no pre-flare dose to
    come halfway back to (it was made in pain)."""
    zone = pain_zone(profile.health.pain_now, norms)
    return {"green": 0, "amber": 1, "red": 2}[zone]


class Withheld(msgspec.Struct, frozen=True):
    """A variation the plan leaves out, why, and what brings it back."""

    variation: str
    reason: str
    criterion: str


def _painful_sides_reps(profile: Profile) -> list[int] | None:
    test = profile.assessments.single_leg_heel_raise_reps
    if test is None:
        return None
    side = profile.health.painful_side
    if side == "left":
        return [test.left]
    if side == "right":
        return [test.right]
    return [test.left, test.right]


def limb_symmetry_index(left: int, right: int) -> float:
    """Weaker / stronger side; 1.0 when both are zero."""
    stronger = max(left, right)
    return 1.0 if stronger == 0 else min(left, right) / stronger


def withheld_plyometrics(
    profile: Profile,
    norms: Norms,
    raises_pain_free: bool | None = None,
    pain: int | None = None,
) -> Withheld | None:
    """Plyometrics withheld for the whole plan, or None when they may be prescribed.

    ``raises_pain_free``: whether the newest stored heel-raise test was assessed with pain 0
    (``assess heel-raise … --pain 0``; a test without a recorded pain is not pain-free); None
    without a stored test, when the profile's ``pain_now`` says (a calf strain's criterion).
    ``pain``: the newest pain the athlete reported (a check-in, or a heel-raise test with its
    pain), which replaces ``pain_now`` in the pain criteria (DOMAIN.md §6: withheld
    plyometrics come back once "an assessment or check-in meets the criterion"; §2.2: a
    heel-raise result re-applies it); None: ``pain_now``'s.

    A plan made from a profile cannot see future check-ins, so a criterion the profile does not
    meet today keeps plyometrics out until a check-in or assessment re-plans (DOMAIN.md §6).
    Red pain withholds them the same way: the conservative reading of "withheld plyometrics
    stay withheld until an assessment or check-in meets the criterion".
    """
    if pain is None:
        pain = profile.health.pain_now
    zone = pain_zone(pain, norms)
    condition = profile.health.condition
    sides = _painful_sides_reps(profile)
    test = profile.assessments.single_leg_heel_raise_reps
    if condition == "achilles_tendinopathy":
        lsi = None if test is None else limb_symmetry_index(test.left, test.right)
        floor = norms.achilles_plyo_heel_raise_min
        met = (
            zone == "green"
            and sides is not None
            and min(sides) >= floor
            and lsi is not None
            and lsi >= norms.achilles_plyo_lsi_min
        )
        if not met:
            return Withheld(
                "plyometric",
                "Achilles tendinopathy: the tendon is not yet ready for hopping",
                f"pain ≤ {norms.pain_green_max}/10 and a single-leg heel-raise test of "
                f"≥ {floor} reps on the painful side with LSI ≥ {norms.achilles_plyo_lsi_min:.2f}",
            )
        return None
    if condition == "calf_strain":
        floor = norms.strain_plyo_heel_raise_min
        # "Pain-free" single-leg raises: pain 0, stricter than the green zone; the test's
        # own pain once a test is stored (DOMAIN.md §6), the profile's pain before (a
        # check-in's pain is not a raise test's: not read here).
        pain_free = profile.health.pain_now == 0 if raises_pain_free is None else raises_pain_free
        met = pain_free and sides is not None and min(sides) >= floor
        if not met:
            return Withheld(
                "plyometric",
                "calf strain: hopping comes after the calf can do pain-free single-leg raises",
                f"{floor} pain-free single-leg heel raises on the injured side",
            )
        return None
    if condition == "plantar_heel_pain" and zone != "green":
        return Withheld(
            "plyometric",
            f"plantar heel pain at {pain}/10",
            f"pain ≤ {norms.pain_green_max}/10 on a check-in",
        )
    if zone == "red":
        return Withheld(
            "plyometric",
            f"pain {pain}/10 is in the red zone",
            f"a check-in with pain ≤ {norms.pain_green_max}/10",
        )
    return None


def protocol_for(profile: Profile, norms: Norms) -> Protocol | None:
    """The sets × nRM table of the condition, for the conditions that have one."""
    condition = profile.health.condition
    if condition == "achilles_tendinopathy":
        return norms.achilles
    if condition == "plantar_heel_pain":
        return norms.plantar
    return None


def protocol_sessions(profile: Profile, norms: Norms) -> int:
    """Strength sessions a week while the profile's condition runs (§5, §6)."""
    protocol = protocol_for(profile, norms)
    return profile.strength.sessions_per_week if protocol is None else protocol.sessions_per_week


def strain_risk_factors(profile: Profile, plan_start: date, norms: Norms) -> int:
    """0, 1 or 2: older (≥ 40 in the plan's first year) and an earlier calf strain (Green &
    Pizzari 2017: the two strongest risk factors)."""
    age = profile.age_in(plan_start.year)
    older = age is not None and age >= norms.strain_older_age
    return int(older) + int(profile.health.previous_calf_strain)


def strain_step_weeks(profile: Profile, plan_start: date, norms: Norms) -> int:
    """Weeks per calf-strain step: 2, 3 with one risk factor, 4 with both (they stack,
    DOMAIN.md §6)."""
    return (
        norms.strain_step_weeks,
        norms.strain_step_weeks_slow,
        norms.strain_step_weeks_both,
    )[strain_risk_factors(profile, plan_start, norms)]


def strain_greens_to_advance(profile: Profile, plan_start: date, norms: Norms) -> int:
    """Green check-ins in a row that move a calf strain to its next step: 2, 3 with a risk
    factor, 4 with both (DOMAIN.md §6 stacks the risk factors; for the greens with both we
    take the more conservative reading, one more than with one)."""
    return (
        norms.strain_greens_to_advance,
        norms.strain_greens_to_advance_slow,
        norms.strain_greens_to_advance_both,
    )[strain_risk_factors(profile, plan_start, norms)]


def strain_step(profile: Profile, plan_start: date, week_index: int, norms: Norms) -> int:
    """Calf-strain step for a week: 1 isometrics and two-legged raises, 2 single-leg body
    weight, 3 loaded raises. 0 when the profile has no calf strain."""
    if profile.health.condition != "calf_strain":
        return 0
    per_step = strain_step_weeks(profile, plan_start, norms)
    return min(3, (week_index - 1) // per_step + 1)


def health_notes(profile: Profile, plan_start: date, norms: Norms) -> list[PlanWarning]:
    """The plan-wide R11 notes a profile's pain and condition call for (DOMAIN.md §6)."""
    health = profile.health
    condition = health.condition
    notes: list[PlanWarning] = []
    zone = pain_zone(health.pain_now, norms)
    if zone != "green":
        notes.append(
            PlanWarning(
                "R11",
                None,
                None,
                f"Pain {health.pain_now}/10 is in the {zone} zone: weeks 1–"
                f"{norms.pain_profile_weeks} "
                + ("hold week 1's dose" if zone == "amber" else "halve load and volume")
                + f". The plan assumes pain settles to ≤ {norms.pain_green_max}/10 after "
                "that; check in after sessions so calfcoach can re-plan.",
            )
        )
    if condition == "achilles_tendinopathy":
        if zone == "red":
            notes.append(
                PlanWarning(
                    "R11",
                    None,
                    None,
                    "Pain above 5/10 with Achilles tendinopathy: see a physiotherapist or "
                    "doctor. Until then, low-load isometric holds and seated raises only; "
                    "holds keep the tendon loaded but are not promised to relieve pain.",
                )
            )
        if health.achilles_type == "insertional":
            notes.append(
                PlanWarning(
                    "R11",
                    None,
                    None,
                    "Insertional Achilles pain: do every raise from the floor or keep the "
                    "heels level with the step — never let the heel drop below it.",
                )
            )
    if condition == "calf_strain":
        notes.append(
            PlanWarning(
                "R11",
                None,
                None,
                "Calf strain: back to full and fast running only after "
                f"≥ {norms.strain_return_heel_raise_min} single-leg raises each side with "
                f"LSI ≥ {norms.strain_return_lsi_min:.2f} and pain-free hopping. The steps "
                f"(holds and two-legged raises, single-leg, loaded) assume "
                f"{strain_step_weeks(profile, plan_start, norms)} weeks "
                "each; your check-ins move them: "
                f"{strain_greens_to_advance(profile, plan_start, norms)} green check-ins in a "
                "row to the next step, amber holds the step, red goes back one.",
            )
        )

    return notes
