"""Rules on load: R3 loaded raises, R10 progression and phase changes."""

from __future__ import annotations

from collections.abc import Iterator

from calfcoach.core import conditions
from calfcoach.core.catalog import RAISES
from calfcoach.core.dosing import load_at, max_weekly_growth
from calfcoach.core.norms import ORDINARY_PHASES
from calfcoach.core.plan import Week
from calfcoach.core.rules.base import EPSILON, PlanContext, Violation, rule


@rule("R3", "raises carry external load from week 3 when equipment allows", excusable=True)
def r3_loaded_raises(ctx: PlanContext) -> Iterator[Violation]:
    """Body-weight raises do not strengthen a soleus that meets 6–8× body weight a stride."""
    if not ctx.equipment & ctx.norms.loadable_equipment:
        return
    for week in ctx.plan.weeks:
        if week.phase not in ORDINARY_PHASES or week.index < 3:
            continue
        if ctx.zone(week.index) == "red":
            continue
        step = conditions.strain_step(ctx.profile, ctx.plan.start, week.index, ctx.norms)
        if step in (1, 2):
            continue
        for day, session in ctx.strength(week):
            for p in session.exercises:
                if ctx.variation(p) in RAISES and not (p.load_kg or 0) > 0:
                    yield Violation(
                        "R3",
                        week.index,
                        day.date,
                        f"{p.exercise} carries no external load though the profile has "
                        "loadable equipment",
                    )


@rule("R10", "loads grow ≤ one step a week, contacts ≤ 20 %; phase changes follow %1RM")
def r10_progression(ctx: PlanContext) -> Iterator[Violation]:
    """Gradual progression within a phase; a new phase starts at its own intensity."""
    norms = ctx.norms
    previous: Week | None = None
    before: dict[str, float] = {}
    protocol = ctx.profile.health.condition != "none"
    for week in ctx.plan.weeks:
        loads = _top_loads(ctx, week)
        contacts = ctx.weekly_contacts(week)
        same_phase = previous is not None and previous.phase == week.phase
        if previous is not None and same_phase:
            for exercise_id, load in loads.items():
                if exercise_id not in before:
                    continue
                source = ctx.source(exercise_id)
                allowed = max_weekly_growth(
                    before[exercise_id], source.step_kg if source else 0.0, norms
                )
                if load > before[exercise_id] + allowed + EPSILON:
                    yield Violation(
                        "R10",
                        week.index,
                        None,
                        f"{exercise_id} grows from {before[exercise_id]} to {load} kg; at most "
                        f"{allowed:g} kg a week",
                    )
            earlier = ctx.weekly_contacts(previous)
            limit = earlier * (1 + norms.plyo_weekly_growth_max)
            if earlier and contacts > limit + EPSILON:
                yield Violation(
                    "R10",
                    week.index,
                    None,
                    f"plyometric contacts grow from {earlier} to {contacts}; at most +20 %",
                )
        if (
            not same_phase
            and not protocol
            and week.phase in norms.phases
            and ctx.zone(week.index) == "green"
        ):
            share = norms.phases[week.phase].pct_start
            for exercise_id, load in loads.items():
                ex = ctx.catalog.get(exercise_id)
                if ex is None or ctx.source(exercise_id) is None:
                    continue
                expected = load_at(ex, ctx.profile, norms, share)
                # "At a phase change loads follow the new phase's %1RM" (DOMAIN.md §4), read
                # conservatively: never above it. A re-planned plan may start a phase lower,
                # where the log, a check-in or missed sessions held the load back.
                if load > expected + EPSILON:
                    yield Violation(
                        "R10",
                        week.index,
                        None,
                        f"{exercise_id} starts the {week.phase} phase at {load} kg, above its "
                        f"%1RM ({share:.0%}: {expected:g} kg)",
                    )
        previous, before = week, loads


def _top_loads(ctx: PlanContext, week: Week) -> dict[str, float]:
    loads: dict[str, float] = {}
    for _, session in ctx.strength(week):
        for p in session.exercises:
            if p.load_kg is not None and p.load_kg > 0:
                loads[p.exercise] = max(loads.get(p.exercise, 0.0), p.load_kg)
    return loads
