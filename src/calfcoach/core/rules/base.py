"""What every rule shares: the violation, the plan context, the registry and excuses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import cached_property

import msgspec

from calfcoach.core import conditions, strain_steps
from calfcoach.core.catalog import Catalog, Exercise
from calfcoach.core.dosing import load_source
from calfcoach.core.loads import LoadLadder, ladder_for
from calfcoach.core.norms import LoadSource, Norms
from calfcoach.core.periodization import Layout, lay_out_weeks
from calfcoach.core.plan import Day, Plan, Prescription, Session, Week
from calfcoach.core.profile import WEEKDAYS, Goal, Profile, Running

SL, BK, PL = "straight_leg", "bent_knee", "plyometric"
VARIATIONS = (SL, BK, PL)
# Float comparisons of kg and contacts allow this much rounding noise.
EPSILON = 1e-6
# A memo's "not looked up yet" (None is an answer there).
_UNKNOWN = object()


class Violation(msgspec.Struct, frozen=True):
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


# One prescription as the rules read it: its day and session, the prescription, its catalog
# entry (None: unknown id) and the catalog's variation (the plan's own word where unknown).
Item = tuple[Day, Session, Prescription, Exercise | None, str]


class WeekView(msgspec.Struct):
    """A week of the plan as the rules read it: walked once, shared by every rule."""

    week: Week
    days: list[Day]  # the days with sessions (most days have none)
    strength: list[tuple[Day, Session]]  # the strength sessions with their days
    items: list[Item]  # every prescription, day by day (primers too)
    strength_items: list[Item]  # the strength sessions' prescriptions
    strength_variations: set[str]  # their variations (the catalog's)
    # Days with plyometric contacts, each with its sessions' contacts (sessions without any
    # left out), and the week's plyometric contacts in all sessions.
    plyo_days: list[tuple[Day, list[int]]]
    contacts: int


class PlanContext:
    """A plan with what the rules need to judge it, computed once.

    :attr:`views` walks the plan once for all rules (their catalog entries and variations
    looked up once), and the per-week lookups (pain zone, calf-strain step) are kept, so 13
    rules do not each walk and look up every prescription of the plan again.
    """

    def __init__(self, plan: Plan, profile: Profile, catalog: Catalog, norms: Norms) -> None:
        self.plan = plan
        self.profile = _with_plan_race(_with_plan_running(profile, plan), plan)
        self.catalog = catalog
        self.norms = norms
        self.body_mass = profile.athlete.body_mass_kg
        self.equipment = profile.equipment
        # (Read once: every rule asks for it.)
        self._condition = profile.health.condition
        # Looked up for every prescription by several rules: computed once a catalog (shared
        # by every check against it: read, never changed). ``variations``: the catalog's
        # variation by exercise id (a plain dict: Exercise is a model, dearer to read).
        self.variations, self._sides = _catalog_lookups(catalog)
        self._zones: dict[int, str] = {}
        self._noted: dict[str, int | None] = {}
        self._steps: dict[int, int] | None = None
        self._sources: dict[str, LoadSource | None] = {}
        self._ladders: dict[str, LoadLadder | None] = {}
        self._doable: dict[str, bool] = {}

    @cached_property
    def warned(self) -> dict[tuple[str | None, int | None], set[date | None]]:
        """The dates the plan's warnings name, by rule and week (for :func:`excused`; read
        only where a rule finds something, so a plan that passes never gathers them)."""
        found: dict[tuple[str | None, int | None], set[date | None]] = {}
        for warning in self.plan.warnings:
            found.setdefault((warning.rule, warning.week), set()).add(warning.date)
        return found

    def excuses(self, rule_id: str, week: int, day: date | None = None) -> bool:
        """A plan warning excuses ``rule_id``'s violation in week ``week`` (on ``day``, for a
        rule judged by day): what :func:`excused` answers for that violation. The excusable
        rules ask it before they word a violation: a plan's own warnings excuse dozens of
        them, each worded only to be dropped by ``check_plan``."""
        dates = self.warned.get((rule_id, week))
        if dates is None:
            return False
        return not RULES[rule_id].by_day or day in dates

    @cached_property
    def views(self) -> list[WeekView]:
        """Each week of the plan, in order (see :class:`WeekView`)."""
        return [self._view(week) for week in self.plan.weeks]

    def _view(self, week: Week) -> WeekView:
        entries, sides = self.catalog.by_id, self._sides
        variations = self.variations
        busy: list[Day] = []
        strength: list[tuple[Day, Session]] = []
        items: list[Item] = []
        strength_items: list[Item] = []
        held: set[str] = set()
        plyo_days: list[tuple[Day, list[int]]] = []
        weekly = 0
        for day in week.days:
            if not day.sessions:
                continue  # most days: nothing to walk
            busy.append(day)
            plyo: list[int] = []
            for session in day.sessions:
                is_strength = session.kind == "strength"
                if is_strength:
                    strength.append((day, session))
                contacts = 0
                for p in session.exercises:
                    ex = entries.get(p.exercise)
                    variation = p.variation if ex is None else variations[p.exercise]
                    item = (day, session, p, ex, variation)
                    items.append(item)
                    if is_strength:
                        strength_items.append(item)
                        held.add(variation)
                    if variation == PL:
                        contacts += p.sets * p.reps * sides.get(p.exercise, 2 if p.per_side else 1)
                if contacts:
                    plyo.append(contacts)
                    weekly += contacts
            if plyo:
                plyo_days.append((day, plyo))
        return WeekView(week, busy, strength, items, strength_items, held, plyo_days, weekly)

    @cached_property
    def layout(self) -> Layout:
        return lay_out_weeks(self.profile, self.plan.start, len(self.plan.weeks), self.norms)

    @cached_property
    def first_recovery_week(self) -> int | None:
        return next((w.index for w in self.plan.weeks if w.phase == "recovery"), None)

    def source(self, exercise_id: str) -> LoadSource | None:
        """What loads this exercise with the profile's equipment (None: nothing does)."""
        if exercise_id not in self._sources:
            ex = self.catalog.get(exercise_id)
            found = None if ex is None else load_source(ex, self.equipment, self.norms)
            self._sources[exercise_id] = found
        return self._sources[exercise_id]

    def loadable(self, exercise_id: str) -> bool:
        """Something in the profile's kit loads this exercise (``source`` is not None)."""
        found = self._sources.get(exercise_id, _UNKNOWN)
        if found is _UNKNOWN:
            found = self.source(exercise_id)
        return found is not None

    def ladder(self, exercise_id: str) -> LoadLadder | None:
        """The loads the profile's kit can build for this exercise (None: nothing loads it)."""
        if exercise_id not in self._ladders:
            source = self.source(exercise_id)
            found = None if source is None else ladder_for(source, self.profile)
            self._ladders[exercise_id] = found
        return self._ladders[exercise_id]

    def doable(self, exercise_id: str) -> bool:
        """True when the profile's equipment meets every need of the exercise."""
        if exercise_id not in self._doable:
            ex = self.catalog.get(exercise_id)
            self._doable[exercise_id] = ex is not None and ex.needs_met_by(self.equipment)
        return self._doable[exercise_id]

    def entry(self, p: Prescription) -> Exercise | None:
        return self.catalog.get(p.exercise)

    def variation(self, p: Prescription) -> str:
        """The catalog's variation of an exercise (the plan's own word if unknown)."""
        return self.variations.get(p.exercise, p.variation)

    def contacts(self, p: Prescription) -> int:
        sides = self._sides.get(p.exercise, 2 if p.per_side else 1)
        return p.sets * p.reps * sides

    def red_checkin(self, week_index: int) -> bool:
        """The plan records a red check-in that re-dosed this week (its R11 note): the week's
        sessions follow the red regime of DOMAIN.md §6 (halved, or holds and seated raises,
        or amber after red holding the dose since the red) rather than the protocol's
        table."""
        return week_index in self._red_checkin_weeks

    @cached_property
    def _red_checkin_weeks(self) -> frozenset[int | None]:
        """The weeks ``red_checkin`` answers yes for (the notes read once: R10 asks every
        week)."""
        red_notes = ("Pain was red", "Red pain at two check-ins in a row", conditions.RED_DOSE_HELD)
        return frozenset(
            w.week
            for w in self.plan.warnings
            if w.rule == "R11" and w.message.startswith(red_notes)
        )

    def zone(self, week_index: int) -> str:
        """The pain zone the profile's ``pain_now`` gives this week: green from the week whose
        R11 note says the check-ins replaced it (DOMAIN.md §6)."""
        found = self._zones.get(week_index)
        if found is None:
            replaced = self._noted_from(conditions.CHECKINS_REPLACE_PROFILE_PAIN)
            found = self._zones[week_index] = (
                "green"
                if replaced is not None and week_index >= replaced
                else conditions.profile_zone_for_week(self.profile, week_index, self.norms)
            )
        return found

    def plyometrics_back(self, week_index: int) -> bool:
        """Whether plyometrics the profile withholds came back by this week: an R11 note of
        a re-plan says a check-in or assessment met the criterion (DOMAIN.md §6)."""
        back = self._noted_from(conditions.PLYOMETRICS_COME_BACK)
        return back is not None and week_index >= back

    def _noted_from(self, prefix: str) -> int | None:
        """The first week holding an R11 note that starts with ``prefix``; None without.
        (Kept by prefix: ``zone`` asks it for every week, and the plan's warnings are many.)"""
        if prefix in self._noted:
            return self._noted[prefix]
        found = self._noted[prefix] = min(
            (
                w.week
                for w in self.plan.warnings
                if w.rule == "R11" and w.week is not None and w.message.startswith(prefix)
            ),
            default=None,
        )
        return found

    def strain_step(self, week_index: int) -> int:
        """The week's calf-strain step as the plan holds it (``strain_steps.plan_step``: the
        step its R11 note names, else the up-front schedule; 0 without a calf strain)."""
        if self._condition != "calf_strain":
            return 0
        if self._steps is None:
            # The notes read once for all weeks (the first note of a week counts).
            self._steps = {}
            for w in self.plan.warnings:
                if w.rule == "R11" and w.week is not None and w.week not in self._steps:
                    found = strain_steps.noted_step(w.message)
                    if found is not None:
                        self._steps[w.week] = found
        found = self._steps.get(week_index)
        if found is None:
            # No note: the up-front schedule's, kept beside the notes (R3 and R11 each ask
            # every week, and it reads a handful of the profile's attributes).
            found = self._steps[week_index] = conditions.strain_step(
                self.profile, self.plan.start, week_index, self.norms
            )
        return found


class Rule(msgspec.Struct, frozen=True):
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


def excused(violation: Violation, ctx: PlanContext) -> bool:
    """True when a plan warning names this violation's rule and place (see module doc)."""
    spec = RULES[violation.rule]
    if not spec.excusable or violation.week is None:
        return False
    dates = ctx.warned.get((violation.rule, violation.week))
    if dates is None:
        return False
    return not spec.by_day or violation.date in dates


# Each catalog's variation and sides by exercise id, by the catalog's id; the catalog itself is
# kept beside them, so an id reused by another object is never mistaken for it.
_LOOKUPS: dict[int, tuple[Catalog, dict[str, str], dict[str, int]]] = {}


def _catalog_lookups(catalog: Catalog) -> tuple[dict[str, str], dict[str, int]]:
    """The catalog's variation and sides (2 per side, else 1) of each exercise id (read-only:
    every check of a plan against this catalog shares them)."""
    found = _LOOKUPS.get(id(catalog))
    if found is None or found[0] is not catalog:
        if len(_LOOKUPS) >= 8:
            _LOOKUPS.clear()
        variation: dict[str, str] = {ex.id: ex.variation for ex in catalog}
        sides: dict[str, int] = {ex.id: 2 if ex.per_side else 1 for ex in catalog}
        found = _LOOKUPS[id(catalog)] = (catalog, variation, sides)
    return found[1], found[2]


def _with_plan_race(profile: Profile, plan: Plan) -> Profile:
    """The profile, with the plan's own race where the profile names none: a plan made for a
    race (or edited to hold one) checked against a profile without a goal was judged as if no
    race were coming, so R7 let a session on race day pass (the more conservative reading:
    DOMAIN.md checks "any plan"; a race the plan itself names is one to keep fresh legs for).
    A profile's own race is the one judged where both name one."""
    if profile.goal.race_date is not None or plan.race is None:
        return profile
    return profile.replace(goal=Goal(race_date=plan.race.date, race_distance=plan.race.distance))


def _with_plan_running(profile: Profile, plan: Plan) -> Profile:
    """The profile, its untyped running days (``running = "auto"`` or left out) taken from the
    plan's own days: the planner filled them from history the checker cannot see."""
    typed = profile.running.typed_days()
    if len(typed) == len(WEEKDAYS):
        return profile
    shown: dict[str, str] = {}
    for week in plan.weeks:
        for day in week.days:
            if day.run != "race":
                shown.setdefault(day.weekday, day.run)
    days = {d: profile.running.on(d) if d in typed else shown.get(d, "rest") for d in WEEKDAYS}
    running = Running.from_days(days, profile.running.weekly_km)
    return profile.replace(running=running)
