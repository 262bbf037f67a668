"""Rules on a plan's make-up: R1 calf work in every session, R2 three variations a week,
R4 equipment, R13 fields that agree with the catalog."""

from __future__ import annotations

from collections.abc import Iterator

from calfcoach.core.catalog import Exercise
from calfcoach.core.norms import ORDINARY_PHASES
from calfcoach.core.plan import Prescription
from calfcoach.core.rules.base import EPSILON, PL, VARIATIONS, PlanContext, Violation, rule


@rule("R1", "every strength session holds at least one calf exercise")
def r1_calf_in_every_session(ctx: PlanContext) -> Iterator[Violation]:
    """Protects the method's second prescription: no strength session without calf work."""
    known = ctx.catalog.by_id  # (the dict itself: Catalog.__contains__ costs a call a lookup)
    for view in ctx.views:
        for day, session in view.strength:
            # (A loop, not any() over a generator: asked for every session of every plan.)
            for p in session.exercises:
                if p.exercise in known:
                    break
            else:
                yield Violation(
                    "R1", view.week.index, day.date, "strength session with no calf exercise"
                )


@rule("R2", "all three variations every ordinary week", excusable=True)
def r2_three_variations(ctx: PlanContext) -> Iterator[Violation]:
    """Straight-leg, bent-knee and plyometric work every foundation, strength, power and
    maintenance week (primers do not count)."""
    for view in ctx.views:
        week = view.week
        if week.phase not in ORDINARY_PHASES:
            continue
        for variation in VARIATIONS:
            if variation not in view.strength_variations and not ctx.excuses("R2", week.index):
                yield Violation(
                    "R2",
                    week.index,
                    None,
                    f"no {variation.replace('_', '-')} exercise in this {week.phase} week's "
                    "strength sessions",
                )


@rule("R4", "every exercise can be done with the profile's equipment", by_day=True)
def r4_equipment(ctx: PlanContext) -> Iterator[Violation]:
    """A plan the athlete cannot do with what they own is no plan."""
    doable: dict[str, bool] = {}  # by exercise id (a local memo: asked every prescription)
    # The ids the kit both does and loads: nothing to find at any load. Most prescriptions
    # are of these, and are passed over with one set lookup (the verdict is the exercise's,
    # found at its first prescription).
    fine: set[str] = set()
    for view in ctx.views:
        index = view.week.index
        for day, _, p, ex, _ in view.items:
            if ex is None or p.exercise in fine:
                continue  # (unknown ids: R13 reports them)
            can = doable.get(p.exercise)
            if can is None:
                can = doable[p.exercise] = ctx.doable(p.exercise)
                if can and ctx.loadable(p.exercise):
                    fine.add(p.exercise)
                    continue
            if not can:
                needs = " and ".join(" or ".join(n) for n in ex.equipment)
                yield Violation("R4", index, day.date, f"{p.exercise} needs {needs}")
            elif (p.load_kg or 0) > 0 and ctx.source(p.exercise) is None:
                yield Violation(
                    "R4",
                    index,
                    day.date,
                    f"{p.exercise} is loaded with {p.load_kg} kg but the profile has "
                    f"nothing to load it with ({', '.join(ex.load_via) or 'not loadable'})",
                )


@rule("R13", "exercise fields agree with the catalog and with each other", by_day=True)
def r13_consistency(ctx: PlanContext) -> Iterator[Violation]:
    """Variation and per_side from the catalog; load × body weight; contacts; holds."""
    if abs(ctx.plan.athlete.body_mass_kg - ctx.body_mass) > EPSILON:
        yield Violation(
            "R13",
            None,
            None,
            f"plan body mass {ctx.plan.athlete.body_mass_kg} kg differs from the profile's "
            f"{ctx.body_mass} kg",
        )
    # A plan repeats few distinct doses (about 30 in 150 prescriptions): each judged once.
    judged: dict[_DoseKey, tuple[str, ...]] = {}
    for view in ctx.views:
        index = view.week.index
        for day, _, p, ex, _ in view.items:
            # Spelled out here rather than a function: asked for every prescription.
            key: _DoseKey = (
                p.exercise,
                p.variation,
                p.per_side,
                p.load_kg,
                p.load_x_bodyweight,
                p.system_load_kg,
                p.contacts,
                p.sets,
                p.reps,
                p.hold_s,
                p.tempo,
            )
            messages = judged.get(key)
            if messages is None:
                messages = judged[key] = _prescription_problems(ctx, p, ex)
            if messages:  # (most doses: nothing, and no iterator made for it)
                for message in messages:
                    yield Violation("R13", index, day.date, message)


# Every field of a prescription that _prescription_problems reads (its catalog entry follows
# from the exercise id): prescriptions alike in these are alike to R13.
_DoseKey = tuple[
    str,
    str,
    bool,
    float | None,
    float | None,
    float | None,
    int | None,
    int,
    int,
    int | None,
    str | None,
]


def _prescription_problems(
    ctx: PlanContext, p: Prescription, ex: Exercise | None
) -> tuple[str, ...]:
    """What in ``p`` disagrees with its catalog entry ``ex`` (None: unknown) or itself.

    (Built and returned, not yielded: asked for each distinct dose of every plan,
    and mostly finding nothing.)"""
    if ex is None:
        return (f"unknown exercise {p.exercise!r}",)
    # (Read once: this runs for every prescription of every plan checked.)
    variation, per_side, isometric = ex.variation, ex.per_side, ex.isometric
    found: list[str] = []
    if p.variation != variation:
        found.append(f"{p.exercise} is {variation}, not {p.variation}")
    if p.per_side != per_side:
        found.append(f"{p.exercise}: per_side is {str(per_side).lower()} in the catalog")
    if variation == PL:
        if p.load_kg is not None:
            found.append(f"{p.exercise}: a plyometric's load_kg is null")
        expected = p.sets * p.reps * (2 if per_side else 1)
        if p.contacts != expected:
            found.append(f"{p.exercise}: contacts {p.contacts}; sets × reps × sides = {expected}")
        if p.system_load_kg is not None:
            found.append(f"{p.exercise}: a plyometric's system_load_kg is null")
        return tuple(found)
    if p.load_kg is None or p.load_kg < 0:
        found.append(f"{p.exercise}: load_kg must be 0 or more for a raise")
        return tuple(found)
    expected_x = round(p.load_kg / ctx.body_mass, 2)
    if p.load_x_bodyweight is None or abs(p.load_x_bodyweight - expected_x) > EPSILON:
        found.append(
            f"{p.exercise}: load_x_bodyweight {p.load_x_bodyweight}; expected {expected_x}"
        )
    if p.system_load_kg is not None:
        # DOMAIN.md §2.1: bodyweight_share × body mass + load_kg (optional for readers).
        expected_system = round(ex.bodyweight_share * ctx.body_mass + p.load_kg, 2)
        if abs(p.system_load_kg - expected_system) > 0.011:
            found.append(
                f"{p.exercise}: system_load_kg {p.system_load_kg}; bodyweight_share "
                f"{ex.bodyweight_share:g} × body mass + load_kg = {expected_system:g}"
            )
    if p.contacts is not None:
        found.append(f"{p.exercise}: contacts are for plyometrics only")
    if isometric and (p.hold_s is None or p.reps != 1 or p.tempo is not None):
        found.append(f"{p.exercise}: an isometric hold has hold_s, reps 1 and no tempo")
    if not isometric and p.hold_s is not None:
        found.append(f"{p.exercise}: hold_s is for isometric exercises only")
    return tuple(found)
