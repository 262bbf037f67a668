"""The coaching rules R1–R13 of DOMAIN.md §7, each a named, registered check.

A rule takes a :class:`PlanContext` (plan, profile, catalog, norms) and yields
:class:`Violation` values. :func:`check_plan` runs them all and drops the violations a plan
warning excuses. The planner never repeats these checks inline: it builds, and the tests run
these rules over what it builds.

Excuses. DOMAIN.md: "A warning excuses a rule only where it says so". We read that in the more
conservative way: only the rules whose text allows a warning (R2, R3, R5, R8) can be excused, and
only by a warning naming that rule and the week (and, for R5, the date) of the violation. R1, R4,
R6, R7 and R9–R13 cannot be excused by any warning.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from calfcoach.core import conditions
from calfcoach.core.catalog import RAISES, Catalog, Exercise
from calfcoach.core.dosing import estimated_1rm, load_at, load_source, max_weekly_growth
from calfcoach.core.norms import ORDINARY_PHASES, Norms
from calfcoach.core.periodization import Layout, lay_out_weeks
from calfcoach.core.placement import plyo_too_close_to_race, race_problem, running_week_problem
from calfcoach.core.plan import Day, Plan, Prescription, Session, Week
from calfcoach.core.profile import Profile
from calfcoach.core.progression import first_weekly_contacts

SL, BK, PL = "straight_leg", "bent_knee", "plyometric"
VARIATIONS = (SL, BK, PL)
_EPS = 1e-6


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    week: int | None
    date: date | None
    message: str

    def line(self) -> str:
        """``R5 week 3 2026-12-15: message`` (the ``calfcoach check`` text format)."""
        parts = [self.rule]
        if self.week is not None:
            parts.append(f"week {self.week}")
        if self.date is not None:
            parts.append(self.date.isoformat())
        return f"{' '.join(parts)}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "week": self.week,
            "date": None if self.date is None else self.date.isoformat(),
            "message": self.message,
        }


class PlanContext:
    """A plan with what the rules need to judge it, computed once."""

    def __init__(self, plan: Plan, profile: Profile, catalog: Catalog, norms: Norms) -> None:
        self.plan = plan
        self.profile = profile
        self.catalog = catalog
        self.norms = norms
        self.body_mass = profile.athlete.body_mass_kg
        self.equipment = profile.equipment

    @cached_property
    def layout(self) -> Layout:
        return lay_out_weeks(self.profile, self.plan.start, len(self.plan.weeks), self.norms)

    @cached_property
    def first_recovery_week(self) -> int | None:
        return next((w.index for w in self.plan.weeks if w.phase == "recovery"), None)

    def entry(self, p: Prescription) -> Exercise | None:
        return self.catalog.get(p.exercise)

    def variation(self, p: Prescription) -> str:
        """The catalog's variation of an exercise (the plan's own word if unknown)."""
        ex = self.catalog.get(p.exercise)
        return ex.variation if ex is not None else p.variation

    def contacts(self, p: Prescription) -> int:
        ex = self.catalog.get(p.exercise)
        sides = 2 if (ex.per_side if ex is not None else p.per_side) else 1
        return p.sets * p.reps * sides

    def strength(self, week: Week) -> Iterator[tuple[Day, Session]]:
        for day in week.days:
            for session in day.sessions:
                if session.kind == "strength":
                    yield day, session

    def weekly_contacts(self, week: Week) -> int:
        return sum(
            self.contacts(p)
            for day in week.days
            for s in day.sessions
            for p in s.exercises
            if self.variation(p) == PL
        )

    def zone(self, week_index: int) -> str:
        return conditions.profile_zone_for_week(self.profile, week_index, self.norms)


@dataclass(frozen=True, slots=True)
class Rule:
    """A named check. ``excusable``: a plan warning for this rule can excuse a violation;
    ``by_day``: the warning must also name the violation's date."""

    rule_id: str
    summary: str
    evaluate: Callable[[PlanContext], Iterator[Violation]]
    excusable: bool = False
    by_day: bool = False


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, summary: str, *, excusable: bool = False, by_day: bool = False
) -> Callable[
    [Callable[[PlanContext], Iterator[Violation]]], Callable[[PlanContext], Iterator[Violation]]
]:
    def register(
        fn: Callable[[PlanContext], Iterator[Violation]],
    ) -> Callable[[PlanContext], Iterator[Violation]]:
        RULES[rule_id] = Rule(rule_id, summary, fn, excusable, by_day)
        return fn

    return register


@rule("R1", "every strength session holds at least one calf exercise")
def r1_calf_in_every_session(ctx: PlanContext) -> Iterator[Violation]:
    """Protects the method's second prescription: no strength session without calf work."""
    for week in ctx.plan.weeks:
        for day, session in ctx.strength(week):
            if not any(p.exercise in ctx.catalog for p in session.exercises):
                yield Violation(
                    "R1", week.index, day.date, "strength session with no calf exercise"
                )


@rule("R2", "all three variations every ordinary week", excusable=True)
def r2_three_variations(ctx: PlanContext) -> Iterator[Violation]:
    """Straight-leg, bent-knee and plyometric work every foundation, strength, power and
    maintenance week (primers do not count)."""
    for week in ctx.plan.weeks:
        if week.phase not in ORDINARY_PHASES:
            continue
        present = {ctx.variation(p) for _, s in ctx.strength(week) for p in s.exercises}
        for variation in VARIATIONS:
            if variation not in present:
                yield Violation(
                    "R2",
                    week.index,
                    None,
                    f"no {variation.replace('_', '-')} exercise in this {week.phase} week's "
                    "strength sessions",
                )


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


@rule("R4", "every exercise can be done with the profile's equipment", by_day=True)
def r4_equipment(ctx: PlanContext) -> Iterator[Violation]:
    """A plan the athlete cannot do with what they own is no plan."""
    for week in ctx.plan.weeks:
        for day in week.days:
            for session in day.sessions:
                for p in session.exercises:
                    ex = ctx.entry(p)
                    if ex is None:
                        continue  # R13 reports unknown ids
                    if not ex.needs_met_by(ctx.equipment):
                        needs = " and ".join(" or ".join(n) for n in ex.equipment)
                        yield Violation("R4", week.index, day.date, f"{p.exercise} needs {needs}")
                    elif (p.load_kg or 0) > 0 and load_source(ex, ctx.equipment, ctx.norms) is None:
                        yield Violation(
                            "R4",
                            week.index,
                            day.date,
                            f"{p.exercise} is loaded with {p.load_kg} kg but the profile has "
                            f"nothing to load it with ({', '.join(ex.load_via) or 'not loadable'})",
                        )


@rule("R5", "strength sessions fit the running week", excusable=True, by_day=True)
def r5_running_week(ctx: PlanContext) -> Iterator[Violation]:
    """Hard days hard, easy days easy: no strength the day before a workout, long run or race,
    none on the long-run day, and preferred days used unless they break that."""
    preferred = set(ctx.profile.strength.preferred_days)
    for week in ctx.plan.weeks:
        session_days = [day for day, _ in ctx.strength(week)]
        for day in session_days:
            problem = running_week_problem(ctx.profile, day.date)
            if problem is not None:
                yield Violation("R5", week.index, day.date, f"strength session although {problem}")
        if week.phase not in ORDINARY_PHASES or not preferred:
            continue
        used = {day.weekday for day in session_days}
        if not used - preferred:
            continue
        for day in week.days:
            if day.weekday in preferred and day.weekday not in used:
                yield Violation(
                    "R5",
                    week.index,
                    day.date,
                    f"preferred day {day.weekday} unused while a session is on another day",
                )


@rule("R6", "plyometric spacing, caps, taper and none after the race")
def r6_plyometrics(ctx: PlanContext) -> Iterator[Violation]:
    """≥ 48 h between plyometric days; contacts within §2's caps; taper ≤ half the last
    ordinary week; none in race weeks or the first recovery week."""
    norms, exp = ctx.norms, ctx.profile.experience
    previous_plyo_day: date | None = None
    last_ordinary: int | None = None
    last_ordinary_phase = "maintenance"
    for week in ctx.plan.weeks:
        weekly = 0
        plyo_sessions = 0
        for day in week.days:
            day_has_plyo = False
            for session in day.sessions:
                contacts = sum(ctx.contacts(p) for p in session.exercises if ctx.variation(p) == PL)
                if not contacts:
                    continue
                day_has_plyo = True
                plyo_sessions += 1
                weekly += contacts
                cap = _session_cap(ctx, week, last_ordinary_phase)
                if contacts > cap:
                    yield Violation(
                        "R6",
                        week.index,
                        day.date,
                        f"{contacts} plyometric contacts in a session; the {week.phase} cap "
                        f"for a {exp} is {cap}",
                    )
            if day_has_plyo:
                if previous_plyo_day is not None and (day.date - previous_plyo_day).days < (
                    norms.plyo_min_days_between
                ):
                    yield Violation(
                        "R6",
                        week.index,
                        day.date,
                        f"plyometrics on consecutive days ({previous_plyo_day} and {day.date})",
                    )
                previous_plyo_day = day.date
        if week.phase == "taper" and weekly:
            base = last_ordinary
            if base is None:
                base = first_weekly_contacts(
                    norms.phases["maintenance"].plyo_cap[exp], plyo_sessions, norms
                )
            limit = int(base * norms.taper_contact_share)
            if weekly > limit:
                yield Violation(
                    "R6",
                    week.index,
                    None,
                    f"{weekly} plyometric contacts in a taper week; at most {limit} (half the "
                    "last ordinary week)",
                )
        if week.phase in ORDINARY_PHASES and not week.deload:
            last_ordinary = weekly
            last_ordinary_phase = week.phase


def _session_cap(ctx: PlanContext, week: Week, last_ordinary_phase: str) -> int:
    caps = ctx.norms.phases
    exp = ctx.profile.experience
    if week.phase == "race":
        return 0
    if week.phase == "recovery":
        return 0 if week.index == ctx.first_recovery_week else caps["foundation"].plyo_cap[exp]
    if week.phase == "taper":
        return caps[last_ordinary_phase].plyo_cap[exp]
    return caps[week.phase].plyo_cap[exp]


@rule("R7", "the race: last strength early enough, no late plyometrics, nothing on race day")
def r7_race(ctx: PlanContext) -> Iterator[Violation]:
    """Fresh legs on race day."""
    race = ctx.profile.goal.race_date
    if race is None:
        return
    for week in ctx.plan.weeks:
        holds_race = week.start <= race < week.start + timedelta(days=7)
        if holds_race and week.phase != "race":
            yield Violation("R7", week.index, None, f"the week of the race is {week.phase}")
        for day in week.days:
            if day.date == race and day.sessions:
                yield Violation("R7", week.index, day.date, "calf work on race day")
                continue
            for session in day.sessions:
                if session.kind == "strength":
                    if holds_race:
                        yield Violation(
                            "R7", week.index, day.date, "strength session in the race week"
                        )
                    problem = race_problem(ctx.profile, day.date, ctx.norms)
                    if problem is not None and day.date != race:
                        yield Violation("R7", week.index, day.date, f"strength session: {problem}")
                if plyo_too_close_to_race(ctx.profile, day.date, ctx.norms) and any(
                    ctx.variation(p) == PL for p in session.exercises
                ):
                    yield Violation(
                        "R7",
                        week.index,
                        day.date,
                        f"plyometrics within {ctx.norms.no_plyo_days_before} days of the race",
                    )


@rule("R8", "strength sessions per week", excusable=True)
def r8_sessions_per_week(ctx: PlanContext) -> Iterator[Violation]:
    """``sessions_per_week`` (or the protocol's) each ordinary week, fewer only in deload,
    taper, race and recovery weeks; with 3+ sessions the same raise ≥ 48 h apart."""
    norms = ctx.norms
    wanted = conditions.protocol_sessions(ctx.profile, norms)
    asked = ctx.profile.strength.sessions_per_week
    for week in ctx.plan.weeks:
        sessions = list(ctx.strength(week))
        count = len(sessions)
        if week.phase in ORDINARY_PHASES:
            if count > wanted or (count < wanted and not week.deload):
                yield Violation(
                    "R8", week.index, None, f"{count} strength sessions; §5 asks for {wanted}"
                )
            if wanted != asked:
                yield Violation(
                    "R8",
                    week.index,
                    None,
                    f"the protocol's {wanted} sessions differ from sessions_per_week = {asked}",
                )
        elif count > wanted:
            yield Violation(
                "R8", week.index, None, f"{count} strength sessions in a {week.phase} week"
            )
        if count >= 3:
            last: dict[str, date] = {}
            for day, session in sessions:
                for variation in {ctx.variation(p) for p in session.exercises} & set(RAISES):
                    seen = last.get(variation)
                    gap = norms.min_days_between_same_variation
                    if seen is not None and (day.date - seen).days < gap:
                        yield Violation(
                            "R8",
                            week.index,
                            day.date,
                            f"{variation.replace('_', '-')} work on {seen} and {day.date}: "
                            "less than 48 h apart",
                        )
                    last[variation] = day.date


@rule("R9", "phases and deloads as §4")
def r9_periodization(ctx: PlanContext) -> Iterator[Violation]:
    """Each week's phase and deload mark are those §4 gives for this profile and start."""
    for week, expected in zip(ctx.plan.weeks, ctx.layout.weeks, strict=False):
        if week.phase != expected.phase:
            yield Violation(
                "R9", week.index, None, f"phase {week.phase}; §4 gives {expected.phase}"
            )
        elif week.deload != expected.deload:
            state = "a deload" if expected.deload else "an ordinary week"
            yield Violation(
                "R9",
                week.index,
                None,
                f"deload is {str(week.deload).lower()}; §4 makes this week {state}",
            )


@rule("R10", "loads grow ≤ one step a week, contacts ≤ 20 %; phase changes follow %1RM")
def r10_progression(ctx: PlanContext) -> Iterator[Violation]:
    """Gradual progression within a phase; a new phase starts at its own intensity."""
    norms = ctx.norms
    previous: Week | None = None
    protocol = ctx.profile.health.condition != "none"
    for week in ctx.plan.weeks:
        loads = _top_loads(ctx, week)
        contacts = ctx.weekly_contacts(week)
        same_phase = previous is not None and previous.phase == week.phase
        if previous is not None and same_phase:
            before = _top_loads(ctx, previous)
            for exercise_id, load in loads.items():
                if exercise_id not in before:
                    continue
                ex = ctx.catalog.get(exercise_id)
                source = load_source(ex, ctx.equipment, norms) if ex else None
                allowed = max_weekly_growth(
                    before[exercise_id], source.step_kg if source else 0.0, norms
                )
                if load > before[exercise_id] + allowed + _EPS:
                    yield Violation(
                        "R10",
                        week.index,
                        None,
                        f"{exercise_id} grows from {before[exercise_id]} to {load} kg; at most "
                        f"{allowed:g} kg a week",
                    )
            earlier = ctx.weekly_contacts(previous)
            limit = earlier * (1 + norms.plyo_weekly_growth_max)
            if earlier and contacts > limit + _EPS:
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
                if ex is None or load_source(ex, ctx.equipment, norms) is None:
                    continue
                expected = load_at(ex, ctx.profile, norms, share)
                if abs(load - expected) > _EPS:
                    yield Violation(
                        "R10",
                        week.index,
                        None,
                        f"{exercise_id} starts the {week.phase} phase at {load} kg; its %1RM "
                        f"({share:.0%}) gives {expected:g} kg",
                    )
        previous = week


def _top_loads(ctx: PlanContext, week: Week) -> dict[str, float]:
    loads: dict[str, float] = {}
    for _, session in ctx.strength(week):
        for p in session.exercises:
            if p.load_kg is not None and p.load_kg > 0:
                loads[p.exercise] = max(loads.get(p.exercise, 0.0), p.load_kg)
    return loads


@rule("R11", "conditions and pain zones as §6")
def r11_conditions(ctx: PlanContext) -> Iterator[Violation]:
    """Pain zones from ``pain_now`` and each condition's protocol and criteria."""
    yield from _pain_zone_findings(ctx)
    yield from _condition_findings(ctx)


def _pain_zone_findings(ctx: PlanContext) -> Iterator[Violation]:
    norms, weeks = ctx.norms, ctx.plan.weeks
    zone = conditions.pain_zone(ctx.profile.health.pain_now, norms)
    held = [w for w in weeks if w.index <= norms.pain_profile_weeks]
    if zone == "red":
        for week in held:
            for day in week.days:
                for session in day.sessions:
                    for p in session.exercises:
                        if ctx.variation(p) == PL:
                            yield Violation(
                                "R11", week.index, day.date, "plyometrics while pain is red"
                            )
                        limit = _red_load_limit(ctx, week, p)
                        if limit is not None and (p.load_kg or 0) > limit + _EPS:
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
        and held[0].phase in ORDINARY_PHASES
        and held[1].phase in ORDINARY_PHASES
    ):
        first, second = held[0], held[1]
        dose = {p.exercise: p for _, s in ctx.strength(first) for p in s.exercises}
        for day, session in ctx.strength(second):
            for p in session.exercises:
                was = dose.get(p.exercise)
                if was is None:
                    yield Violation(
                        "R11",
                        second.index,
                        day.date,
                        f"new exercise {p.exercise} while pain is amber",
                    )
                elif ctx.variation(p) != PL and (
                    (p.load_kg or 0) > (was.load_kg or 0) + _EPS or p.sets > was.sets
                ):
                    yield Violation(
                        "R11",
                        second.index,
                        day.date,
                        f"{p.exercise} progressed while pain is amber (week 1's dose is held)",
                    )
        if ctx.weekly_contacts(second) > ctx.weekly_contacts(first):
            yield Violation(
                "R11", second.index, None, "plyometric contacts progressed while pain is amber"
            )


def _red_load_limit(ctx: PlanContext, week: Week, p: Prescription) -> float | None:
    ex = ctx.entry(p)
    if ex is None or week.phase not in ctx.norms.phases:
        return None
    e1rm = estimated_1rm(ex, ctx.profile, ctx.norms)
    if e1rm is None:
        return None
    protocol = conditions.protocol_for(ctx.profile, ctx.norms)
    share = ctx.norms.phases[week.phase].pct_max
    if protocol is not None:
        share = max(share, ctx.norms.pct_for_reps(protocol.block(week.index).reps))
    return e1rm * share * ctx.norms.pain_red_share


def _condition_findings(ctx: PlanContext) -> Iterator[Violation]:
    norms, profile = ctx.norms, ctx.profile
    condition = profile.health.condition
    withheld = conditions.withheld_plyometrics(profile, norms)
    for week in ctx.plan.weeks:
        ordinary = week.phase in ORDINARY_PHASES
        step = conditions.strain_step(profile, ctx.plan.start, week.index, norms)
        red = ctx.zone(week.index) == "red"
        strength_days: list[date] = []
        has_towel = False
        for day, session in ctx.strength(week):
            strength_days.append(day.date)
            for p in session.exercises:
                ex = ctx.entry(p)
                if ex is None:
                    continue
                if withheld is not None and ex.variation == PL:
                    yield Violation(
                        "R11",
                        week.index,
                        day.date,
                        f"plyometrics withheld until {withheld.criterion}",
                    )
                if ex.variation not in RAISES:
                    continue
                has_towel = has_towel or "towel" in ex.tags
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
        if condition == "plantar_heel_pain" and ordinary and strength_days and not has_towel:
            yield Violation(
                "R11",
                week.index,
                None,
                "no high-load towel raise this week (plantar heel pain protocol)",
            )


@rule("R12", "primers as §3", by_day=True)
def r12_primers(ctx: PlanContext) -> Iterator[Violation]:
    """Short calf primers on run days without strength, only when the profile asks."""
    norms = ctx.norms
    every = ctx.profile.strength.calf_in_every_session == "all"
    race = ctx.profile.goal.race_date
    for week in ctx.plan.weeks:
        race_primers = 0
        for day in week.days:
            primers = [s for s in day.sessions if s.kind == "primer"]
            has_strength = any(s.kind == "strength" for s in day.sessions)
            runs = day.run in ("easy", "long", "workout")
            for primer in primers:
                yield from _primer_findings(ctx, week, day, primer)
            if not every:
                if primers:
                    yield Violation(
                        "R12", week.index, day.date, 'primer without calf_in_every_session = "all"'
                    )
                continue
            if len(primers) > 1:
                yield Violation("R12", week.index, day.date, "more than one primer in a day")
            if primers and (has_strength or not runs):
                why = "a strength day" if has_strength else f"a {day.run} day"
                yield Violation("R12", week.index, day.date, f"primer on {why}")
            if week.phase in ORDINARY_PHASES:
                if runs and not has_strength and not primers:
                    yield Violation(
                        "R12",
                        week.index,
                        day.date,
                        f"{day.weekday}'s {day.run} run has no primer",
                    )
            elif week.phase == "race":
                race_primers += len(primers)
                if (
                    primers
                    and race is not None
                    and ((race - day.date).days < norms.race_primer_days_before_min)
                ):
                    yield Violation(
                        "R12", week.index, day.date, "race-week primer too close to the race"
                    )
            elif primers:
                yield Violation("R12", week.index, day.date, f"primer in a {week.phase} week")
        if race_primers > 1:
            yield Violation("R12", week.index, None, "more than one primer in the race week")


def _primer_findings(
    ctx: PlanContext, week: Week, day: Day, primer: Session
) -> Iterator[Violation]:
    norms = ctx.norms
    count = len(primer.exercises)
    if not 1 <= count <= norms.primer_max_exercises:
        yield Violation(
            "R12",
            week.index,
            day.date,
            f"primer with {count} exercises; 1 to {norms.primer_max_exercises}",
        )
    seconds = 0
    for p in primer.exercises:
        if ctx.variation(p) == PL:
            yield Violation("R12", week.index, day.date, f"plyometric {p.exercise} in a primer")
        if p.sets > norms.primer_max_sets:
            yield Violation(
                "R12",
                week.index,
                day.date,
                f"{p.exercise}: {p.sets} sets in a primer; at most {norms.primer_max_sets}",
            )
        if (p.load_kg or 0) / ctx.body_mass > norms.primer_max_load_x_bodyweight + _EPS:
            yield Violation("R12", week.index, day.date, f"{p.exercise}: primer load is not light")
        seconds += p.sets * (norms.primer_seconds_per_set + (p.rest_s or 0))
    if seconds > norms.primer_max_seconds:
        yield Violation(
            "R12",
            week.index,
            day.date,
            f"primer takes {seconds // 60} min {seconds % 60} s; at most "
            f"{norms.primer_max_seconds // 60} min",
        )


@rule("R13", "exercise fields agree with the catalog and with each other", by_day=True)
def r13_consistency(ctx: PlanContext) -> Iterator[Violation]:
    """Variation and per_side from the catalog; load × body weight; contacts; holds."""
    if abs(ctx.plan.athlete.body_mass_kg - ctx.body_mass) > _EPS:
        yield Violation(
            "R13",
            None,
            None,
            f"plan body mass {ctx.plan.athlete.body_mass_kg} kg differs from the profile's "
            f"{ctx.body_mass} kg",
        )
    for week in ctx.plan.weeks:
        for day in week.days:
            for session in day.sessions:
                for p in session.exercises:
                    for message in _prescription_problems(ctx, p):
                        yield Violation("R13", week.index, day.date, message)


def _prescription_problems(ctx: PlanContext, p: Prescription) -> Iterator[str]:
    ex = ctx.entry(p)
    if ex is None:
        yield f"unknown exercise {p.exercise!r}"
        return
    if p.variation != ex.variation:
        yield f"{p.exercise} is {ex.variation}, not {p.variation}"
    if p.per_side != ex.per_side:
        yield f"{p.exercise}: per_side is {str(ex.per_side).lower()} in the catalog"
    if ex.variation == PL:
        if p.load_kg is not None:
            yield f"{p.exercise}: a plyometric's load_kg is null"
        expected = p.sets * p.reps * (2 if ex.per_side else 1)
        if p.contacts != expected:
            yield f"{p.exercise}: contacts {p.contacts}; sets × reps × sides = {expected}"
        return
    if p.load_kg is None or p.load_kg < 0:
        yield f"{p.exercise}: load_kg must be 0 or more for a raise"
        return
    expected_x = round(p.load_kg / ctx.body_mass, 2)
    if p.load_x_bodyweight is None or abs(p.load_x_bodyweight - expected_x) > _EPS:
        yield f"{p.exercise}: load_x_bodyweight {p.load_x_bodyweight}; expected {expected_x}"
    if p.contacts is not None:
        yield f"{p.exercise}: contacts are for plyometrics only"
    if ex.isometric and (p.hold_s is None or p.reps != 1 or p.tempo is not None):
        yield f"{p.exercise}: an isometric hold has hold_s, reps 1 and no tempo"
    if not ex.isometric and p.hold_s is not None:
        yield f"{p.exercise}: hold_s is for isometric exercises only"


def excused(violation: Violation, ctx: PlanContext) -> bool:
    """True when a plan warning names this violation's rule and place (see module doc)."""
    spec = RULES[violation.rule]
    if not spec.excusable or violation.week is None:
        return False
    for warning in ctx.plan.warnings:
        if warning.rule != violation.rule or warning.week != violation.week:
            continue
        if spec.by_day and warning.date != violation.date:
            continue
        return True
    return False


def check_plan(
    plan: Plan,
    profile: Profile,
    catalog: Catalog,
    norms: Norms,
    only: tuple[str, ...] | None = None,
) -> list[Violation]:
    """Run every rule (or ``only`` those) and return the violations no warning excuses,
    in rule order."""
    ctx = PlanContext(plan, profile, catalog, norms)
    found: list[Violation] = []
    for rule_id, spec in RULES.items():
        if only is not None and rule_id not in only:
            continue
        found.extend(v for v in spec.evaluate(ctx) if not excused(v, ctx))
    return found


__all__ = ["RULES", "PlanContext", "Rule", "Violation", "check_plan"]
