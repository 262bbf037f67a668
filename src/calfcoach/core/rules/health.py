"""R11: pain zones and the conditions' protocols and criteria (DOMAIN.md §6)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

from calfcoach.core import conditions
from calfcoach.core.catalog import RAISES, Catalog, Exercise
from calfcoach.core.dosing import estimated_1rm
from calfcoach.core.norms import ORDINARY_PHASES
from calfcoach.core.plan import Prescription, Week
from calfcoach.core.rules.base import EPSILON, PL, PlanContext, Violation, rule


@rule("R11", "conditions and pain zones as §6")
def r11_conditions(ctx: PlanContext) -> Iterator[Violation]:
    """Pain zones from ``pain_now`` and each condition's protocol and criteria."""
    yield from _pain_zone_findings(ctx)
    yield from _condition_findings(ctx)


def _pain_zone_findings(ctx: PlanContext) -> Iterator[Violation]:
    norms = ctx.norms
    zone = conditions.pain_zone(ctx.profile.health.pain_now, norms)
    # (Weeks whose check-ins replaced pain_now are judged by the check-ins' notes instead.)
    held = [
        v
        for v in ctx.views
        if v.week.index <= norms.pain_profile_weeks and ctx.zone(v.week.index) == zone
    ]
    if zone == "red":
        # Each exercise's limit depends on the week only through its phase (and, under a
        # protocol, the week's place in its table): worked out once for each.
        protocol = conditions.protocol_for(ctx.profile, norms) is not None
        limits: dict[tuple[str, str, int], float | None] = {}
        for view in held:
            week = view.week
            for day, _, p, _, variation in view.items:
                if variation == PL:
                    yield Violation("R11", week.index, day.date, "plyometrics while pain is red")
                key = (p.exercise, week.phase, week.index if protocol else 0)
                if key in limits:
                    limit = limits[key]
                else:
                    limit = limits[key] = _red_load_limit(ctx, week, p)
                if limit is not None and (p.load_kg or 0) > limit + EPSILON:
                    yield Violation(
                        "R11",
                        week.index,
                        day.date,
                        f"{p.exercise} at {p.load_kg} kg while pain is red; at most "
                        f"{limit:g} kg (half)",
                    )
    if (
        zone == "amber"
        and len(held) >= 2
        and held[0].week.phase in ORDINARY_PHASES
        and held[1].week.phase in ORDINARY_PHASES
    ):
        first, second = held[0], held[1]
        dose = {p.exercise: p for _, _, p, _, _ in first.strength_items}
        for day, _, p, _, variation in second.strength_items:
            was = dose.get(p.exercise)
            if was is None and not _lighter_stand_in(ctx, p.exercise, dose):
                yield Violation(
                    "R11",
                    second.week.index,
                    day.date,
                    f"new exercise {p.exercise} while pain is amber",
                )
            elif (
                was is not None
                and variation != PL
                and ((p.load_kg or 0) > (was.load_kg or 0) + EPSILON or p.sets > was.sets)
            ):
                yield Violation(
                    "R11",
                    second.week.index,
                    day.date,
                    f"{p.exercise} progressed while pain is amber (week 1's dose is held)",
                )
        if second.contacts > first.contacts:
            yield Violation(
                "R11",
                second.week.index,
                None,
                "plyometric contacts progressed while pain is amber",
            )


def _lighter_stand_in(ctx: PlanContext, exercise_id: str, dose: dict[str, Prescription]) -> bool:
    """A hold, or the regression of an exercise in ``dose``: lighter than what it replaces,
    so not the new loading amber pain forbids (a red check-in may bring one in)."""
    ex = ctx.catalog.get(exercise_id)
    if ex is None:
        return False
    if ex.isometric:
        return True
    replaces = _stood_in_for(ctx, ex)[1:]  # the exercises whose regression chain reaches it
    return any(e.id in dose for e in replaces)


def _red_load_limit(ctx: PlanContext, week: Week, p: Prescription) -> float | None:
    """The most external load a raise may carry while pain is red: half the per-calf system
    load (DOMAIN.md §6) of the heaviest exercise it may stand in for (itself, or one whose
    regression chain leads to it: a single-leg raise becomes its two-legged form with the
    same external load)."""
    ex = ctx.entry(p)
    if ex is None or week.phase not in ctx.norms.phases:
        return None
    norms = ctx.norms
    protocol = conditions.protocol_for(ctx.profile, norms)
    dose = norms.phases[week.phase]
    # The heaviest share the phase reaches (its bottom reps), or the protocol's nRM.
    share = norms.working_share(dose.rep_steps[-1], dose.rpe)
    if protocol is not None:
        share = max(share, norms.pct_for_reps(protocol.block(week.index).reps))
    per_calf: float | None = None
    for original in _stood_in_for(ctx, ex):
        one_rm = estimated_1rm(original, ctx.profile, norms)
        if one_rm is None:
            continue
        half = one_rm.kg * share * norms.pain_red_share / original.legs
        if original is not ex and ex.bodyweight_share == 0:
            continue  # a seated stand-in halves its own load
        per_calf = half if per_calf is None else max(per_calf, half)
    if per_calf is None:
        return None
    body = ex.bodyweight_share * ctx.body_mass
    return max(0.0, per_calf * ex.legs - body)


def _stood_in_for(ctx: PlanContext, ex: Exercise) -> list[Exercise]:
    """``ex`` and the catalog exercises whose regression chain reaches it."""
    return [ex, *_reverse_regressions(ctx.catalog).get(ex.id, ())]


# Keyed by the catalog's id; the catalog itself is kept beside it, so an id reused by another
# object is never mistaken for it.
_REVERSE: dict[int, tuple[Catalog, dict[str, tuple[Exercise, ...]]]] = {}


def _reverse_regressions(catalog: Catalog) -> dict[str, tuple[Exercise, ...]]:
    """For each exercise, those whose regression chain reaches it; once per catalog."""
    cached = _REVERSE.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    reach: dict[str, list[Exercise]] = {}
    for other in catalog:
        seen: set[str] = set()
        current: Exercise | None = other
        while current is not None and current.regression is not None:
            if current.regression in seen:
                break
            seen.add(current.regression)
            reach.setdefault(current.regression, []).append(other)
            current = catalog.get(current.regression)
    found = {k: tuple(v) for k, v in reach.items()}
    _REVERSE[id(catalog)] = (catalog, found)
    return found


def _condition_findings(ctx: PlanContext) -> Iterator[Violation]:
    norms, profile = ctx.norms, ctx.profile
    condition = profile.health.condition
    withheld = conditions.withheld_plyometrics(profile, norms)
    protocol_condition = condition in ("achilles_tendinopathy", "plantar_heel_pain")
    strain = condition == "calf_strain"
    for view in ctx.views:
        week = view.week
        ordinary = week.phase in ORDINARY_PHASES
        step = ctx.strain_step(week.index) if strain else 0
        # Most weeks (no plyometrics withheld, no body-weight strain step, no protocol) have
        # nothing to find: neither their prescriptions nor their days are walked.
        walk = withheld is not None or step in (1, 2) or (ordinary and protocol_condition)
        if not walk:
            continue
        red = ctx.zone(week.index) == "red"
        strength_days: list[date] = [day.date for day, _ in view.strength]
        has_towel = False
        for day, _, p, ex, variation in view.strength_items:
            if ex is None:
                continue
            # (``variation`` is the catalog's, ``ex.variation``, read once in the view.)
            if withheld is not None and variation == PL and not ctx.plyometrics_back(week.index):
                yield Violation(
                    "R11",
                    week.index,
                    day.date,
                    f"plyometrics withheld until {withheld.criterion}",
                )
            if variation not in RAISES:
                continue
            if not has_towel and condition == "plantar_heel_pain":  # (the one reader)
                has_towel = "towel" in ex.tags
            if step in (1, 2) and (p.load_kg or 0) > 0:
                yield Violation(
                    "R11",
                    week.index,
                    day.date,
                    f"{p.exercise} loaded in the calf strain's body-weight step {step}",
                )
            if step == 1 and not (ex.isometric or "double_leg" in ex.tags):
                yield Violation(
                    "R11",
                    week.index,
                    day.date,
                    f"{p.exercise} in the calf strain's first step (holds and two-legged "
                    "raises only)",
                )
            if condition == "achilles_tendinopathy" and ordinary:
                if red and not (ex.isometric or "seated" in ex.tags):
                    yield Violation(
                        "R11",
                        week.index,
                        day.date,
                        f"{p.exercise}: with pain > 5, isometric holds and seated raises only",
                    )
                if not ex.isometric and p.tempo != norms.achilles.tempo:
                    yield Violation(
                        "R11",
                        week.index,
                        day.date,
                        f"{p.exercise} tempo {p.tempo}; heavy slow resistance is "
                        f"{norms.achilles.tempo}",
                    )
        if condition == "achilles_tendinopathy" and ordinary:
            for a, b in itertools.pairwise(strength_days):
                if (b - a).days < 2:
                    yield Violation(
                        "R11",
                        week.index,
                        b,
                        "heavy slow resistance sessions on consecutive days",
                    )
        if (
            condition == "plantar_heel_pain"
            and ordinary
            and strength_days
            and not has_towel
            and not ctx.red_checkin(week.index)
        ):
            yield Violation(
                "R11",
                week.index,
                None,
                "no high-load towel raise this week (plantar heel pain protocol)",
            )
