"""Rules on load: R3 loaded raises, R10 progression and phase changes."""

from __future__ import annotations

from collections.abc import Iterator

from calfcoach.core.catalog import RAISES
from calfcoach.core.dosing import WayBack, max_weekly_growth
from calfcoach.core.norms import ORDINARY_PHASES
from calfcoach.core.rules.base import EPSILON, PlanContext, Violation, WeekView, rule


@rule("R3", "raises carry external load from week 3 when equipment allows", excusable=True)
def r3_loaded_raises(ctx: PlanContext) -> Iterator[Violation]:
    """Body-weight raises do not strengthen a soleus that meets 6–8× body weight a stride."""
    if not ctx.equipment & ctx.norms.loadable_equipment:
        return
    for view in ctx.views:
        week = view.week
        if week.phase not in ORDINARY_PHASES or week.index < 3:
            continue
        if ctx.zone(week.index) == "red":
            continue
        if ctx.strain_step(week.index) in (1, 2):
            continue
        for day, _, p, _, variation in view.strength_items:
            if variation in RAISES and not (p.load_kg or 0) > 0:
                if ctx.excuses("R3", week.index):
                    break  # the week's R3 warning excuses each of its raises
                yield Violation(
                    "R3",
                    week.index,
                    day.date,
                    f"{p.exercise} carries no external load though the profile has "
                    "loadable equipment",
                )


@rule("R10", "loads grow ≤ one step a week, phase changes too; contacts ≤ 20 %; deloads hold")
def r10_progression(ctx: PlanContext) -> Iterator[Violation]:
    """Gradual progression (DOMAIN.md §2.2, §4): each exercise's load grows at most one step a
    week from its last appearance, phase changes included; weekly plyometric contacts at most
    20 % over the last week that was not a deload (from none: half the session cap); a deload
    keeps the last ordinary week's loads and adds no contacts."""
    norms = ctx.norms
    last_load: dict[str, float] = {}  # each exercise's load where it last appeared
    # The way back after red pain (DOMAIN.md §6) is "not as new progression" (dosing.WayBack).
    way_back = WayBack(norms.pain_red_share)
    ordinary_loads: dict[str, float] = {}  # the last ordinary (not deload) week's
    contact_base = 0  # the weekly contacts the next week grows from
    loadable: dict[str, bool] = {}  # by exercise id, for _loads
    for view in ctx.views:
        week = view.week
        loads = _loads(ctx, view, loadable)
        ordinary = week.phase in ORDINARY_PHASES and not week.deload
        # A red check-in halves the sessions left in its week (DOMAIN.md §6): the week's
        # heaviest load is then the one before the red, and the way back starts from the
        # halved sessions after it. In such a week the way back sees each session's load in
        # day order, as the planner's own carried weeks do; elsewhere the week's heaviest, as
        # before (the more conservative reading: only a week whose R11 note says a check-in
        # was red can open a way back from the middle of a week).
        by_session = ctx.red_checkin(week.index)
        for exercise_id, load in loads.items():
            before = last_load.get(exercise_id)
            returning = way_back.allows(exercise_id, load)
            if not by_session:
                way_back.see(exercise_id, load, ordinary)
            if before is None or load <= before + EPSILON or returning:
                continue
            ladder = ctx.ladder(exercise_id)
            ex = ctx.catalog.get(exercise_id)
            body = 0.0 if ex is None else ex.bodyweight_share * ctx.body_mass
            step = 0.0 if ladder is None else ladder.gap_above(before)
            allowed = max_weekly_growth(body + before, step, norms)
            if load > before + allowed + 0.011:
                yield Violation(
                    "R10",
                    week.index,
                    None,
                    f"{exercise_id} grows from {before:g} to {load:g} kg; at most "
                    f"{allowed:.4g} kg a week",
                )
        if by_session:
            for exercise_id, load in _session_loads(view, loadable):
                way_back.see(exercise_id, load, ordinary)
        contacts = view.contacts
        if week.deload:
            for exercise_id, load in loads.items():
                kept = ordinary_loads.get(exercise_id)
                if kept is not None and load > kept + EPSILON:
                    yield Violation(
                        "R10",
                        week.index,
                        None,
                        f"{exercise_id} at {load:g} kg in a deload week, above the last "
                        f"ordinary week's {kept:g} kg",
                    )
            if contact_base and contacts > contact_base:
                yield Violation(
                    "R10",
                    week.index,
                    None,
                    f"a deload week adds plyometric contacts ({contact_base} to {contacts})",
                )
        elif contact_base and contacts > contact_base * (1 + norms.plyo_weekly_growth_max) + 1e-9:
            yield Violation(
                "R10",
                week.index,
                None,
                f"plyometric contacts grow from {contact_base} to {contacts}; at most +20 %",
            )
        elif not contact_base and contacts and week.phase in ("recovery", *norms.phases):
            yield from _from_none(ctx, view)
        last_load.update(loads)
        if not week.deload:
            contact_base = contacts
            if week.phase in ORDINARY_PHASES:
                ordinary_loads = loads  # (each week's own dict, never changed after)


def _from_none(ctx: PlanContext, view: WeekView) -> Iterator[Violation]:
    """Plyometrics starting from none: each session at most half the phase's session cap."""
    norms, week = ctx.norms, view.week
    phase = "foundation" if week.phase == "recovery" else week.phase
    cap = norms.phases[phase].plyo_cap[ctx.profile.experience]
    limit = int(cap * norms.plyo_start_share_of_cap)
    for day, session in view.strength:
        held = sum(ctx.contacts(p) for p in session.exercises if ctx.variation(p) == "plyometric")
        if held > limit:
            yield Violation(
                "R10",
                week.index,
                day.date,
                f"{held} plyometric contacts in a session starting from none; at most {limit} "
                "(half the session cap)",
            )


def _session_loads(view: WeekView, loadable: dict[str, bool]) -> list[tuple[str, float]]:
    """Each loadable raise's load in each strength session of the week, in day order (after
    ``_loads``, which fills ``loadable`` for every exercise of the week)."""
    return [
        (p.exercise, p.load_kg)
        for _, _, p, _, _ in view.strength_items
        if p.load_kg is not None and loadable.get(p.exercise)
    ]


def _loads(ctx: PlanContext, view: WeekView, loadable: dict[str, bool]) -> dict[str, float]:
    """Each loadable raise's heaviest load of the week (0 for body weight); ``loadable``: a
    memo of ``ctx.loadable`` the caller keeps for all weeks."""
    loads: dict[str, float] = {}
    for _, _, p, _, _ in view.strength_items:
        load = p.load_kg
        if load is None:
            continue
        can = loadable.get(p.exercise)
        if can is None:
            can = loadable[p.exercise] = ctx.loadable(p.exercise)
        if can:
            # (max() spelled as a comparison: the builtin parses keyword arguments at every
            # call, and this runs for every strength prescription of every plan.)
            kept = loads.get(p.exercise, 0.0)
            loads[p.exercise] = load if load > kept else kept
    return loads
