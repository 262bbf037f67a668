"""The planner: a profile in, a periodized plan out (DOMAIN.md §2–§6).

It builds; it does not judge. Every plan it makes is meant to pass ``core.rules``, and the tests
run those rules over generated profiles. Where a rule has to bend (no equipment to load, a race
too close, preferred days that break §3), the plan carries a warning naming the rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache
from itertools import starmap
from typing import TYPE_CHECKING, Any

import msgspec

from calfcoach.core import conditions, progression
from calfcoach.core.catalog import RAISES, Catalog, Exercise, is_insertional, name_for
from calfcoach.core.conditions import PainZone, Withheld
from calfcoach.core.dosing import (
    HOLDS_PRIMER,
    OneRepMax,
    WayBack,
    body_part_kg,
    isometric_hold,
    load_x_bodyweight,
    max_weekly_growth,
    primer_prescription,
    system_load,
)
from calfcoach.core.loads import LoadLadder
from calfcoach.core.norms import (
    AWAY_FROM_RACE_DAYS,
    ORDINARY_PHASES,
    Norms,
    PhaseDose,
    Protocol,
)
from calfcoach.core.pain import JudgedCheckIn, worst_pain
from calfcoach.core.periodization import WeekLayout, lay_out_weeks, monday_of
from calfcoach.core.placement import (
    placement_problem,
    plyo_too_close_to_race,
    race_problem,
    run_on,
)
from calfcoach.core.plan import (
    AthleteRef,
    Change,
    Day,
    Plan,
    PlanWarning,
    Prescription,
    Race,
    Reason,
    Session,
    SessionTest,
    Week,
    Why,
    change_dose,
)
from calfcoach.core.profile import WEEKDAYS, Profile
from calfcoach.core.protocol_weeks import (
    ProtocolWeek,
    profile_pain_checkin,
    protocol_weeks,
    protocol_weeks_short,
)
from calfcoach.core.running_load import RunningHistory, apply_history
from calfcoach.core.scheduling import assign_variations, choose_days
from calfcoach.core.selection import ExerciseChooser
from calfcoach.core.strain_steps import step_note, step_words
from calfcoach.core.units import format_weight

if TYPE_CHECKING:
    # Only named in annotations: a fresh plan (`calfcoach plan`) never loads the re-planning
    # modules (core.replanning, log_progression, red_dose; issue 13 item 7).
    from calfcoach.core.replanning import Adjustments

SL, BK, PL = "straight_leg", "bent_knee", "plyometric"
# The protocols' names and sources, for the explanations (DOMAIN.md §6).
_PROTOCOL_SOURCES = {
    "achilles": ("heavy slow resistance", "Beyer et al. 2015"),
    "plantar": ("high-load plantar heel pain", "Rathleff et al. 2015"),
}


# Monday to Sunday, as offsets from Monday (built once: every week of every plan asks).
_WEEK_OFFSETS = tuple(timedelta(days=k) for k in range(7))


@lru_cache(maxsize=2048)
def _week_dates(monday: date) -> tuple[date, ...]:
    """The seven dates from ``monday`` (plans of one club share their calendar weeks)."""
    return tuple(monday + offset for offset in _WEEK_OFFSETS)


# What the rounded load depends on: exercise, target, reps, RPE, bottom and top of the range,
# and whether week 3 has come (R3's smallest step).
_LoadKey = tuple[str, float, int, float, int, int | None, bool]


# How a load's rounding reason begins (_external_load): a copied dose whose load is lowered
# drops it (the load it names is no longer the dose's).
_ROUNDING_WORDS = ("Rounded down to ", "Lowered to ")
# How a copied dose's own reason begins (_copy), with the load it holds after the colon: a
# hold of a hold, or a copy lowered, says it once, with the load it now holds (a review).
_HELD_WORDS = "The dose of an earlier week, held (pain or missed sessions)"
_DELOAD_WORDS = "Deload week: the last ordinary week's load and reps, sets × 0.6"


def _load_words(kg: float, ladder: LoadLadder) -> str:
    return ladder.describe(kg) if kg > 0 else "body weight"


# A calf strain's step 2 as the fit reads it: the week's RPE and its rep range's bottom.
_Step = tuple[float, int] | None


class _WeekPlan(msgspec.Struct):
    layout: WeekLayout
    zone: PainZone
    dose_phase: str  # the phase whose table doses this week
    ordinary_index: int  # 0-based ordinary week within the dosing phase
    mode: str  # exercise selection: normal | strain1 | strain2 | achilles | plantar
    protocol_week: int
    # A dose held from an earlier week (amber pain, missed sessions): exercise -> prescription,
    # and the weekly plyometric contacts held with it.
    held: dict[str, Prescription] | None = None
    held_contacts: int | None = None
    caps: dict[str, float] | None = None  # loads the log says not to exceed this week
    # The zone the profile's pain_now gives this week. Exercise choices follow it (the
    # Achilles protocol's holds and seated raises at pain > 5); a check-in's red only
    # halves and drops plyometrics (DOMAIN.md §6 table).
    profile_zone: PainZone = "green"
    # The week's raise dose, the same for every raise dosed from the tables (see
    # _Planner._week_dose); worked out at the first such raise.
    dose: _WeekDose | None = None
    # No exercise new to the held dose (amber, and the way back's held weeks: DOMAIN.md §6).
    nothing_new: bool = False


class _WeekDose(msgspec.Struct):
    """What a week's table dose is, whatever the raise: a protocol's block (``protocol``) or
    the dose phase's row, and the sets once the deload and red pain have cut them. (Not
    frozen: a frozen dataclass is several times dearer to make, and this is made every week.)"""

    protocol: bool
    table_sets: int  # the table's sets, before the deload and red cut them
    sets: int
    reps: int
    rpe: float
    tempo: str
    rest_s: int
    share: float  # of the 1RM, for these reps at this RPE
    bottom: int  # the bottom of the rep range
    top: int | None  # the top of the rep range (None while a protocol fixes the reps)
    bodyweight_reps: int  # a body-weight raise's reps, outside the protocols
    past_week_two: bool  # week 3 on: R3's smallest step may load a raise


# The weeks' table doses of every plan (_Planner._shared_week_dose), by norms identity (the
# norms kept beside, so a new norms object at a freed address is never taken for an old one),
# condition, level and what _week_dose keys a plan's doses by: a club's plans share the few
# dozen there are. Read only, never changed; started afresh when full (tests make many norms).
_WEEK_DOSES: dict[tuple[Any, ...], tuple[Norms, _WeekDose]] = {}
_MAX_WEEK_DOSES = 4096


class _RaiseFit(msgspec.Struct):
    """What _dose_raise reads of a raise's fit (_Planner._fit) at a share of its 1RM, red or
    not: the exercise chosen, the fields of it a prescription copies (the catalog's exercises
    are pydantic models, dear to read: each read goes through their __getattr__ hook), its
    system-load target and 1RM (None: body weight), why it stands in, the body weight it moves
    and its load ladder."""

    exercise: Exercise
    id: str
    variation: str
    per_side: bool
    isometric: bool
    target: float | None
    one_rm: OneRepMax | None
    why: str
    bw: float
    ladder: LoadLadder | None
    # The reps to failure the %1RM table allows at body weight alone (``bw`` over the 1RM),
    # worked out at its first ask (_Planner._bodyweight_reps): a body-weight raise asks it
    # every week, and it is the same every week.
    bw_reps: float | None = None


class _State(msgspec.Struct):
    """What carries from one week to the next."""

    last_day: dict[str, date] = msgspec.field(default_factory=dict)  # last date of each variation
    last_strength_day: date | None = None
    prev_loads: dict[str, float] = msgspec.field(default_factory=dict)  # last week's, by exercise
    week_loads: dict[str, float] = msgspec.field(default_factory=dict)  # this week's so far
    # The last load of each exercise, kept across phases: red pain never goes above it.
    last_loads: dict[str, float] = msgspec.field(default_factory=dict)
    prev_phase: str | None = None
    prev_weekly_contacts: int = 0
    # Weekly contacts that the next week grows from: the last week that was not a deload
    # (DOMAIN.md §2.2: a deload never lowers the base); 0 after a week without plyometrics.
    contact_base: int = 0
    last_ordinary: dict[str, Prescription] = msgspec.field(default_factory=dict)
    last_ordinary_contacts: int = 0
    last_ordinary_phase: str | None = None
    week1: dict[str, Prescription] = msgspec.field(default_factory=dict)
    week1_contacts: int = 0
    phase_ordinary: dict[str, int] = msgspec.field(default_factory=dict)
    # DOMAIN.md §6: the raises of the latest run of restricted weeks (red, the isometric
    # stage); None once a week without restriction has followed it.
    restricted: set[str] | None = None
    # Raises new after a restriction: the share of their target they are at this week
    # (½, then half the remaining gap closed each week).
    ramps: dict[str, float] = msgspec.field(default_factory=dict)
    # Why each ramp started: "restriction" (after a pain restriction) or "reentry" (not done
    # in the last weeks, DOMAIN.md §6), for the reason ``explain`` gives.
    ramp_causes: dict[str, str] = msgspec.field(default_factory=dict)
    # The last plan week each raise was prescribed in (the 4-week re-entry rule, §6).
    last_week: dict[str, int] = msgspec.field(default_factory=dict)


def build_plan(
    profile: Profile,
    start: date,
    weeks: int | None,
    catalog: Catalog,
    norms: Norms,
    history: RunningHistory | None = None,
    provenance: bool = False,
) -> Plan:
    """Plan calf training from ``start`` (moved to its Monday).

    :param weeks: number of weeks; None runs to the race and 2 recovery weeks, or 12 weeks.
    :param history: the athlete's recent running; it fills the running week's untyped days.
    :param provenance: record why each dose is what it is (``Prescription.why``) for
        ``explain``; the diary asks for it, a one-off plan does not pay for it.
    :raises PlanInputError: the race is before the start, ``weeks`` is out of range, or
        ``running = "auto"`` without history.
    """
    profile, notes = apply_history(profile, history)
    if weeks is None:
        weeks = _weeks_for_protocol(profile, monday_of(start), None, (), None, norms)
    planner = _Planner(profile, monday_of(start), weeks, catalog, norms, provenance)
    planner.warnings.extend(notes)
    return planner.build()


def _weeks_for_protocol(
    profile: Profile,
    start: date,
    weeks: int | None,
    judged: Sequence[JudgedCheckIn],
    decided_through: int | None,
    norms: Norms,
) -> int | None:
    """The plan's length once the Achilles protocol holds all its weeks (DOMAIN.md §6: it
    runs its 12 weeks whatever the race, resumes after recovery, and the plan extends until
    they are done; a repeated protocol week adds one). ``weeks`` unchanged otherwise: for
    other conditions, and for a plan asked shorter than the protocol (``--weeks``)."""
    length = norms.achilles.length_weeks
    if profile.health.condition != "achilles_tendinopathy" or length is None:
        return weeks
    layout = lay_out_weeks(profile, start, weeks, norms).weeks
    if weeks is not None and sum(wl.phase in ORDINARY_PHASES for wl in layout) < length:
        return weeks  # a plan cut short on purpose (fewer ordinary weeks than the table)
    total = len(layout)
    opening = _profile_pain_checkin(profile, start, norms)
    while total < norms.max_plan_weeks:
        layout = lay_out_weeks(profile, start, total, norms).weeks
        rows = [(wl.index, wl.start, wl.phase) for wl in layout]
        places = protocol_weeks(rows, judged, decided_through, opening)
        short = protocol_weeks_short(places, length)
        if not short:
            break
        total = min(norms.max_plan_weeks, total + short)
    return total


def _profile_pain_checkin(profile: Profile, start: date, norms: Norms) -> tuple[JudgedCheckIn, ...]:
    """The profile's non-green ``pain_now`` as a check-in on the plan's first day, as the
    Achilles protocol counts it: it repeats protocol week 1 once instead of using it up
    (DOMAIN.md §6, review B4: an amber profile had only one 12RM week)."""
    pain = profile.health.pain_now
    return profile_pain_checkin(pain, conditions.pain_zone(pain, norms), monday_of(start))


def replan(
    previous: Plan,
    profile: Profile,
    adjustments: Adjustments,
    catalog: Catalog,
    norms: Norms,
    history: RunningHistory | None = None,
    provenance: bool = True,
) -> Plan:
    """The plan again from week ``adjustments.from_week`` on, the weeks before it untouched.

    The calendar (phases, deloads) is the previous plan's; the new weeks continue from where
    the kept ones stop (loads, contacts, the days of the last sessions) and apply what the log
    and check-ins changed (see ``core.replanning``).
    """
    profile, notes = apply_history(profile, history)
    length = _weeks_for_protocol(
        profile,
        previous.start,
        len(previous.weeks),
        adjustments.judged,
        adjustments.from_week,
        norms,
    )
    planner = _Planner(profile, previous.start, length, catalog, norms, provenance)
    planner.warnings.extend(notes)
    plan = planner.build(previous, adjustments)
    if provenance:
        _record_changes(previous, plan, adjustments)
    return plan


def _record_changes(previous: Plan, plan: Plan, adjustments: Adjustments) -> None:
    """Each re-planned prescription keeps its earlier changes and, where its dose moved,
    gains one naming the cause, date and rule (DOMAIN.md §7: recorded as decided).

    Earlier changes whose cause no longer holds (``adjustments.withdrawn``) go, and a chain
    that no longer ends at the dose it explains is cut back to where that dose stood before
    (_ending_at): a dose that moves back with nothing to name (a cause withdrawn, a check-in
    or set corrected) is the dose before those changes, not the last one they made. A dose
    that moved elsewhere with nothing to name gains ``adjustments.settled``: the held dose
    let go. So the last change always ends at the dose explained."""
    withdrawn = adjustments.withdrawn
    before: dict[tuple[date, str], Prescription] = {}
    for week in previous.weeks[adjustments.from_week - 1 :]:
        for day in week.days:
            for s in day.sessions:
                for p in s.exercises:
                    before.setdefault((day.date, p.variation), p)  # a swapped exercise
                    before[(day.date, p.exercise)] = p
    cause = adjustments.causes[0] if adjustments.causes else None
    for week in plan.weeks[adjustments.from_week - 1 :]:
        for day in week.days:
            for s in day.sessions:
                for p in s.exercises:
                    was = before.get((day.date, p.exercise)) or before.get((day.date, p.variation))
                    if p.why is None:
                        p.why = Why()
                    if was is None:
                        back = adjustments.contacts_back
                        if back is not None and p.variation == "plyometric":
                            # None that day before: red took them out (§6); the green
                            # check-in brings them back (review 13: no change said so).
                            p.why.changes.append(_contacts_back_change(back, p))
                        continue
                    if was.why is not None:
                        p.why.changes = [
                            c for c in was.why.changes if (c.cause, c.date, c.text) not in withdrawn
                        ]
                    dose = (was.exercise, was.sets, was.reps, was.load_kg)
                    if cause is None or dose == (p.exercise, p.sets, p.reps, p.load_kg):
                        if not p.why.changes:
                            continue  # (most prescriptions: nothing to end)
                        now = change_dose(p)
                        chain = p.why.changes = _ending_at(p.why.changes, now)
                        settled = adjustments.settled if cause is None else None
                        if chain and not _same_dose(chain[-1].after, now) and settled:
                            # The dose left what the changes made it, and nothing holds
                            # it now: said, so that the changes end at the dose.
                            kind, when, rule, text = settled
                            chain.append(Change(when, kind, rule, text, chain[-1].after, now))
                        continue
                    kind, when, rule, text = cause
                    p.why.changes.append(
                        Change(
                            when,
                            kind,
                            rule,
                            text,
                            change_dose(was, p),
                            change_dose(p),
                        )
                    )


def _contacts_back_change(back: tuple[date, date, int], p: Prescription) -> Change:
    """The change that brings a plyometric back after red (Adjustments.contacts_back): from
    none (``sets`` 0) to ``p``."""
    red, green, pre = back
    text = (
        f"Green check-in after red pain (red on {red}): plyometrics come back at half the "
        f"pre-flare weekly contacts ({pre} a week), then +20 % a week at most, never above "
        f"{pre} until a week has reached it (§6)."
    )
    none = {"sets": 0, "reps": 0, "load_kg": None}
    return Change(green, "checkin", "R11", text, none, change_dose(p))


def _ending_at(changes: list[Change], now: dict[str, Any]) -> list[Change]:
    """``changes`` cut back to end at the dose ``now``: unchanged when the last one made it
    (or none is left); else up to the last change made from ``now``, the changes after it
    undone; unchanged when none was (nothing says which of them still holds)."""
    if not changes or _same_dose(changes[-1].after, now):
        return changes
    for n in range(len(changes) - 1, -1, -1):
        if _same_dose(changes[n].before, now):
            return changes[:n]
    return changes


def _same_dose(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two of a change's doses alike in sets, reps, load and hold (the exercise aside: a
    change's ``after`` does not name it)."""
    keys = ("sets", "reps", "load_kg", "hold_s")
    return all(a.get(k) == b.get(k) for k in keys)


class _Planner:
    def __init__(
        self,
        profile: Profile,
        start: date,
        weeks: int | None,
        catalog: Catalog,
        norms: Norms,
        provenance: bool = False,
    ) -> None:
        self.profile = profile
        # Record why each dose is what it is (``explain``); off where nobody will read it.
        self.provenance = provenance
        self.start = start
        self.catalog = catalog
        self.norms = norms
        self.layout = lay_out_weeks(profile, start, weeks, norms)
        self.equipment = profile.equipment
        self.experience = profile.experience
        self.body_mass = profile.athlete.body_mass_kg
        # The units the reasons' weights are written in (the plan's numbers stay kg).
        self.units = profile.athlete.units
        self.condition = profile.health.condition
        # Insertional Achilles pain: the notes and reasons name each raise by its flat-floor
        # name, as its cues and every page do (core.catalog.name_for; DOMAIN.md §6).
        self.insertional = is_insertional(self.condition, profile.health.achilles_type)
        self.withheld: Withheld | None = conditions.withheld_plyometrics(profile, norms)
        self.protocol = conditions.protocol_for(profile, norms)
        self.has_loadable = bool(self.equipment & norms.loadable_equipment)
        self.warnings: list[PlanWarning] = list(self.layout.warnings)
        self.state = _State()
        # The loads seen so far, for a held dose's way back after red (dosing.WayBack).
        self.way_back = WayBack(norms.pain_red_share)
        self.chooser = ExerciseChooser(profile, catalog, norms)
        # Away from the race, §3's objections to each weekday and the days without one: the
        # same every week (see _placement_problems).
        self._usual_problems: tuple[list[str | None], tuple[int, ...]] | None = None
        # Without a race, the protocol's long days, clean days and both (_protocol_days).
        self._usual_protocol_days: tuple[list[int], tuple[int, ...], tuple[int, ...]] | None = None
        # Read once, asked every week. (The profile is a pydantic model: each attribute read
        # goes through its __getattr__ hook, several times a dataclass's.)
        self._race = race = profile.goal.race_date
        self._primers_asked = profile.strength.calf_in_every_session == "all"
        self._sessions_asked = profile.strength.sessions_per_week
        # The Monday of the race's week (None without a race): that week's days ask run_on.
        self._race_monday = None if race is None else monday_of(race)
        # Each weekday's run in the weekly pattern (Monday first), for the weeks without the
        # race.
        self._runs = profile.running.pattern
        # The plyometric pool of each phase and the split of each weekly dose (_plyo).
        self._plyo_pools: dict[str, tuple[Exercise, ...]] = {}
        self._splits: dict[tuple[int, bool], tuple[int, int, int]] = {}
        self._kit_words: str | None = None  # the equipment, named in R3's warning
        # R3's advice by the variations of the raises it is for (_what_would_load).
        self._load_advice: dict[frozenset[str], str] = {}
        # Rounded load ratios by load, system loads by body part and load (_dose_raise).
        self._x_bodyweight: dict[float, float] = {}
        self._system_loads: dict[tuple[float, float], float] = {}
        self._preferred = tuple(WEEKDAYS.index(d) for d in profile.strength.preferred_days)
        self.adjustments: Adjustments | None = None
        self._protocol_places: dict[int, ProtocolWeek] = {}
        self._contact_cap: int | None = None  # the way back from red (core.replanning)
        # The first re-planned week's dose, which the weeks after it hold after red, one
        # green and then amber (Adjustments.hold_after_red).
        self._first_replanned: dict[str, Prescription] = {}
        # Ordinary weeks in each week's run of one phase (the rep steps spread over them).
        self._ordinary_in_run = _ordinary_weeks_in_runs(self.layout.weeks)
        # The re-test weeks (§2.2): every 4th build or maintenance week, counted from the
        # first (found once: _retest is asked only in them).
        retest_weeks: set[int] = set()
        seen = 0
        for wl in self.layout.weeks:
            if wl.phase in ORDINARY_PHASES:
                seen += 1
                if seen % norms.retest_every_weeks == 0:
                    retest_weeks.add(wl.index)
        self._retest_weeks = frozenset(retest_weeks)
        # Looked up every week and fixed for the plan: the profile's pain zone and calf-strain
        # step of each week (conditions' one definition, asked once a week), and the sessions
        # a week the profile or its protocol asks for.
        self._profile_zones = {
            wl.index: conditions.profile_zone_for_week(profile, wl.index, norms)
            for wl in self.layout.weeks
        }
        self._planned_steps = (
            {
                wl.index: conditions.strain_step(profile, start, wl.index, norms)
                for wl in self.layout.weeks
            }
            if self.condition == "calf_strain"
            else {}
        )
        self._sessions_wanted = conditions.protocol_sessions(profile, norms)
        # Each primer's fields (the arguments of its Prescription), by exercises and red.
        self._primer_memo: dict[tuple[tuple[str, str], bool], list[tuple[Any, ...]]] = {}
        # The explanations' reasons that recur all plan long (provenance only): a day's
        # without §3 objection, by weekday and run; a primer's, by its dose and what chose
        # it; a primer's day, by weekday, run, phase and deload. (Reasons are never changed
        # in place: a prescription's list of them is its own.)
        self._day_reasons: dict[tuple[str, str], Reason] = {}
        self._primer_why: dict[tuple[Any, ...], list[Reason]] = {}
        self._primer_days: dict[tuple[Any, ...], Reason] = {}
        # This week's findings for the warnings: raises capped by the kit, and raises kept at
        # body weight until a rep count is reached (exercise -> reps).
        self._capped: set[str] = set()
        # The note of each capped raise, by exercise (_capped_text: the same every week).
        self._capped_texts: dict[str, str] = {}
        self._bodyweight_until: dict[str, int] = {}
        # The rep counts of _bodyweight_until as last found, for a deload or held week that
        # copies such a raise at body weight: the reason stays the same (R3's warning).
        self._bodyweight_until_seen: dict[str, int] = {}
        # Body-weight regressions of raises whose target body weight alone was above, with
        # the reason (R3's warning says it rather than "nothing can be loaded").
        self._too_heavy: dict[str, str] = {}
        self._week_raises: dict[str, Prescription] = {}  # this week's doses, by exercise
        # The weeks' table doses by what they depend on (_dose_raise, _week_dose).
        self._doses: dict[tuple[Any, ...], _WeekDose] = {}
        # Away from the race, each choice of session days and its warnings (_session_days).
        self._usual_days: dict[
            tuple[bool, bool, bool, int | None, bool],
            tuple[list[int], list[tuple[str | None, int | None, str]]],
        ] = {}
        # Each week's plyometric sessions and slots by its days, last days of each variation,
        # plyometric permissions, mode and zone (_strength_sessions).
        self._week_slots: dict[
            tuple[Any, ...],
            tuple[int, tuple[tuple[tuple[str, tuple[Exercise, ...]], ...], ...]],
        ] = {}
        # Each session's slots by the week's assignment, mode and zone (_session_slots).
        self._slots: dict[
            tuple[tuple[frozenset[str], ...], str, str],
            tuple[tuple[tuple[str, tuple[Exercise, ...]], ...], ...],
        ] = {}
        # Pure parts of the dosing, the same for every week with the same inputs.
        self._fit_memo: dict[
            tuple[str, float, bool, _Step], tuple[Exercise, float | None, OneRepMax | None, str]
        ] = {}
        # The loaded stand-ins (_loaded_stand_in) each exercise has had: the same movement
        # for the 4-week re-entry rule (_reenters).
        self._stand_ins: dict[str, list[str]] = {}  # (lists: a set's order varies by run)
        self._stand_in_candidates: dict[str, tuple[Exercise, ...]] = {}
        # _dose_raise's _fit, with what it reads next of the exercise chosen (by exercise,
        # share and red; read for every raise).
        self._raise_fits: dict[tuple[str, float, bool, _Step], _RaiseFit] = {}
        self._load_memo: dict[
            tuple[str, float, int, float, int, int | None, bool],
            tuple[float, int, bool, int | None],
        ] = {}

    # ------------------------------------------------------------------ the whole plan

    def build(self, previous: Plan | None = None, adjustments: Adjustments | None = None) -> Plan:
        self.warnings.extend(conditions.health_notes(self.profile, self.start, self.norms))
        kept: list[Week] = []
        layout = self.layout.weeks
        if previous is not None and adjustments is not None:
            first = adjustments.from_week
            kept = previous.weeks[: first - 1]
            layout = layout[first - 1 :]
            self.adjustments = adjustments
            for exercise_id, logged in adjustments.one_rms.items():
                rpe = "" if logged.rpe is None else f" at RPE {logged.rpe:g}"
                self.chooser.logged_1rms[exercise_id] = OneRepMax(
                    logged.kg,
                    "log",
                    f"from your set of {logged.day}: {logged.reps} × "
                    f"{format_weight(logged.load_kg, self.units)}{rpe} "
                    "(Epley on the system load, reps in reserve counted, §2.2)",
                )
            from_profile = self.withheld
            latest = adjustments.latest_pain
            # Met once (an earlier re-plan's note), the criterion stays met: amber pain after
            # it holds plyometric progression, red withholds them again (below), §6.
            met_before = any(
                w.week is not None
                and w.week < first
                and w.message.startswith(conditions.PLYOMETRICS_COME_BACK)
                for w in previous.warnings
            )
            if met_before:
                self.withheld = None
            elif adjustments.raises_pain_free is not None or latest is not None:
                # The newest check-in or test replaces pain_now in the criteria (§6, §2.2).
                self.withheld = conditions.withheld_plyometrics(
                    self.profile,
                    self.norms,
                    adjustments.raises_pain_free,
                    None if latest is None else latest[0],
                )
            if adjustments.withheld is not None:
                self.withheld = adjustments.withheld
            self.warnings = [w for w in self.warnings if w.week is None] + [
                w for w in previous.warnings if w.week is not None and w.week < first
            ]
            self.warnings.extend(adjustments.notes)
            self._replace_profile_pain(previous, adjustments)
            if from_profile is not None and self.withheld is None and not met_before:
                said = "" if latest is None else f" (your {latest[2]} of {latest[1]})"
                # (From the first week the profile's red no longer keeps them out.)
                back = first
                while back <= self.norms.pain_profile_weeks and self._profile_zone(back) == "red":
                    back += 1
                self.warnings.append(
                    PlanWarning(
                        "R11",
                        back,
                        None,
                        f"{conditions.PLYOMETRICS_COME_BACK} from week {back}: "
                        f"{from_profile.criterion} — met{said} (DOMAIN.md §6). Pain and a "
                        "calf strain's body-weight steps may still keep them out of a week, "
                        "which then says why.",
                    )
                )
            for week in kept:
                self._carry(week)
        self._protocol_places = self._number_protocol_weeks()
        if self.adjustments is not None:
            self._contact_cap = self.adjustments.contact_cap
        weeks = kept + [self._week(wl) for wl in layout]
        goal = self.profile.goal
        race = (
            Race(goal.race_date, goal.race_distance)
            if goal.race_date is not None and goal.race_distance is not None
            else None
        )
        return Plan(
            athlete=AthleteRef(self.profile.athlete.name, float(self.body_mass)),
            start=self.start,
            race=race,
            weeks=weeks,
            warnings=self.warnings,
        )

    def _replace_profile_pain(self, previous: Plan, adjustments: Adjustments) -> None:
        """DOMAIN.md §6: the profile's ``pain_now`` holds in the first weeks only until the
        athlete's check-ins re-plan them. Once the last check-ins are green (one after amber,
        two after red: conditions.greens_to_replace_profile_pain), the re-planned weeks are
        green, and a note says so (the rules read it); a week an earlier re-plan made green
        stays green."""
        first = adjustments.from_week
        noted = [
            w.week
            for w in previous.warnings
            if w.week is not None
            and w.week < first
            and w.message.startswith(conditions.CHECKINS_REPLACE_PROFILE_PAIN)
        ]
        since = min(noted, default=None)
        wanted = conditions.greens_to_replace_profile_pain(self.profile, self.norms)
        zones = [j.zone for j in adjustments.judged]
        greens = len(zones) - max((n + 1 for n, z in enumerate(zones) if z != "green"), default=0)
        if since is None and wanted and greens >= wanted and first <= self.norms.pain_profile_weeks:
            since = first
            self.warnings.append(
                PlanWarning(
                    "R11",
                    first,
                    None,
                    f"{conditions.CHECKINS_REPLACE_PROFILE_PAIN} "
                    f"({self.profile.health.pain_now}/10) from week {first}: "
                    + (
                        "your last check-in was green"
                        if greens == 1
                        else f"{greens} green check-ins in a row"
                    )
                    + ", so the plan goes on as planned (DOMAIN.md §6).",
                )
            )
        if since is not None:
            for index in self._profile_zones:
                if index >= since:
                    self._profile_zones[index] = "green"

    def _number_protocol_weeks(self) -> dict[int, ProtocolWeek]:
        """Each protocol week's place in its table (core.protocol_weeks); check-ins move
        the Achilles protocol's (§6), and the plan says where the protocol repeats a week or
        runs past the race."""
        if self.protocol is None:
            return {}
        rows = [(wl.index, wl.start, wl.phase) for wl in self.layout.weeks]
        adjust = self.adjustments
        achilles = self.condition == "achilles_tendinopathy"
        opening = _profile_pain_checkin(self.profile, self.start, self.norms) if achilles else ()
        if adjust is None or not achilles:
            places = protocol_weeks(rows, opening=opening)
            for index, moved in places.items():
                if adjust is None and moved.why is not None:
                    # (The profile's pain: a plan made from it says where week 1 repeats.)
                    self.warnings.append(self._protocol_note(index, moved))
        else:
            places = protocol_weeks(rows, adjust.judged, adjust.from_week, opening)
            place = places.get(adjust.from_week)
            if place is not None and place.why is not None:
                self.warnings.append(self._protocol_note(adjust.from_week, place))
        race = self.layout.race_week
        after_race = [n for n in places if race is not None and n > race]
        if achilles and after_race:
            first = places[min(after_race)].number
            last = len(self.layout.weeks)
            length = self.protocol.length_weeks
            short = 0 if length is None else protocol_weeks_short(places, length)
            # A plan cut short by --weeks does not finish it: said so (a physio's review read
            # "runs to week 16 to finish it" on a plan whose protocol needed week 17).
            end = (
                f"and the plan runs to week {last} to finish it."
                if not short
                else f"but this plan ends in week {last}, {short} protocol week"
                f"{'s' if short > 1 else ''} short of it (plan {last + short} weeks to finish it)."
            )
            self.warnings.append(
                PlanWarning(
                    "R11",
                    None,
                    None,
                    f"The heavy slow resistance protocol runs its {self.protocol.length_weeks}"
                    f" weeks whatever the race (Beyer et al. 2015, DOMAIN.md §6): it resumes at "
                    f"its week {first} in plan week {min(after_race)}, after the recovery weeks, "
                    + end,
                )
            )
        return places

    @staticmethod
    def _protocol_note(index: int, place: ProtocolWeek) -> PlanWarning:
        """The R11 note of a week whose protocol place pain moved (§6)."""
        return PlanWarning(
            "R11",
            index,
            None,
            f"Week {index} runs week {place.number} of the heavy slow "
            f"resistance protocol: {place.why} (DOMAIN.md §6; Beyer et al. 2015, "
            "Silbernagel et al. 2007).",
        )

    # ------------------------------------------------------------------ one week

    def _week_plan(self, wl: WeekLayout) -> _WeekPlan:
        state = self.state
        zone = self._profile_zone(wl.index)
        phase: str = wl.phase
        if phase in ("taper", "race"):
            dose_phase = state.last_ordinary_phase or "maintenance"
        else:
            dose_phase = phase
        # (Without a calf strain or check-ins, no step: not asked every week.)
        plain = self.condition != "calf_strain" and self.adjustments is None
        step = 0 if plain else self._strain_step(wl.index)
        if step in (1, 2):
            mode = f"strain{step}"
        elif self.condition == "achilles_tendinopathy":
            mode = "achilles"
        elif self.condition == "plantar_heel_pain":
            mode = "plantar"
        else:
            mode = "normal"
        ordinary = state.phase_ordinary.get(dose_phase, 0)
        if phase != state.prev_phase:
            ordinary = 0
        if step == 3 and 0 < self._strain_step(wl.index - 1) < 3:
            ordinary = 0  # loaded raises start at the phase's first-week load
        place = self._protocol_places.get(wl.index)
        protocol_week = wl.index if place is None else place.number
        plan = _WeekPlan(wl, zone, dose_phase, ordinary, mode, protocol_week, profile_zone=zone)
        if zone == "amber" and wl.index > 1 and phase in ORDINARY_PHASES:
            # Amber: week 1's dose held (DOMAIN.md §6).
            first_phase = self.layout.weeks[0].phase
            if first_phase in ORDINARY_PHASES:
                plan.dose_phase = first_phase
            plan.ordinary_index = 0
            plan.held, plan.held_contacts = state.week1, state.week1_contacts
        adjust = self.adjustments
        if adjust is not None and wl.index == adjust.from_week:
            # What the log and the check-ins say about the first re-planned week.
            if adjust.zone == "red" or (adjust.zone == "amber" and plan.zone == "green"):
                plan.zone = adjust.zone
            if adjust.held is not None and phase in ORDINARY_PHASES:
                plan.held, plan.held_contacts = adjust.held, adjust.held_contacts
            elif adjust.held_contacts is not None and phase in ORDINARY_PHASES:
                plan.held_contacts = adjust.held_contacts  # running load jumped
            plan.caps = dict(adjust.caps)
            if adjust.isometric_only and phase != "race":
                # Red at two check-ins in a row: holds and seated raises only (DOMAIN.md §6).
                plan.mode = _isometric_mode(mode)
        if adjust is not None and wl.index > adjust.from_week:
            self._way_back_from_red(plan, adjust)
        return plan

    def _profile_zone(self, index: int) -> PainZone:
        """The zone the profile's ``pain_now`` gives week ``index``."""
        found = self._profile_zones.get(index)
        if found is None:  # a week past the layout (a kept week of a longer plan)
            found = conditions.profile_zone_for_week(self.profile, index, self.norms)
        return found

    def _planned_step(self, index: int) -> int:
        """The up-front calf-strain step of week ``index`` (0 without a calf strain)."""
        if self.condition != "calf_strain":
            return 0
        found = self._planned_steps.get(index)
        if found is None:
            found = conditions.strain_step(self.profile, self.start, index, self.norms)
        return found

    def _strain_step(self, index: int) -> int:
        """The calf-strain step of a week (0 without a calf strain, or before week 1): the
        check-ins' step where they moved it (core.strain_steps), else the up-front schedule."""
        if index < 1:
            return 0
        moved = self.adjustments.strain_steps if self.adjustments is not None else {}
        if index in moved:
            return moved[index]
        return self._planned_step(index)

    def _strain_step_warnings(self, wl: WeekLayout) -> None:
        """Say where the check-ins moved a calf strain's step; a step held below the loaded
        one bends R3 (raises at body weight though the kit could load them) on purpose."""
        moved = self.adjustments.strain_steps if self.adjustments is not None else {}
        if wl.index not in moved:
            return
        step = moved[wl.index]
        planned = self._planned_step(wl.index)
        self.warnings.append(step_note(wl.index, step, planned))
        if step < 3 <= planned and wl.phase in ORDINARY_PHASES:
            self.warnings.append(
                PlanWarning(
                    "R3",
                    wl.index,
                    None,
                    f"Raises at body weight: your check-ins hold the calf strain at "
                    f"{step_words(step)}.",
                )
            )

    def _way_back_from_red(self, plan: _WeekPlan, adjust: Adjustments) -> None:
        """DOMAIN.md §6's return after red for the re-planned weeks after the first: they
        cannot see the check-ins to come, so what holds until a check-in ends it holds for
        each of them — loads at most the pre-flare dose (before two greens), and isometric
        holds and seated raises only while red stands twice in a row (until a green)."""
        if adjust.lasting_caps:
            caps = dict(plan.caps or {})
            for name, limit in adjust.lasting_caps.items():
                caps[name] = min(caps.get(name, limit), limit)
            plan.caps = caps
        red = adjust.red_until_green
        if red is not None and plan.layout.phase != "race":
            # No green check-in since the red: the weeks after the first stay at red's dose
            # rather than jump back to the pre-flare one (§6: each green brings it halfway).
            plan.zone = "red"
            self.warnings.append(
                PlanWarning(
                    "R11",
                    plan.layout.index,
                    None,
                    f"Pain was red at the check-in of {red} and no green check-in has "
                    "followed: this week too halves load and volume and leaves plyometrics "
                    "out; each green check-in brings the dose halfway back (DOMAIN.md §6).",
                )
            )
        first = self._first_replanned
        red_day = adjust.hold_after_red
        if red_day is not None and first and plan.layout.phase in ORDINARY_PHASES:
            # Amber after red and one green: the first re-planned week's dose, held (no step
            # up, nothing new) until the next check-in; plyometrics grow as the way back
            # allows.
            plan.held, plan.held_contacts, plan.nothing_new = dict(first), None, True
            self.warnings.append(
                PlanWarning(
                    "R11",
                    plan.layout.index,
                    None,
                    f"{conditions.RED_DOSE_HELD}: pain was red at the check-in of {red_day}, "
                    "then one green and an amber check-in; this week too holds week "
                    f"{adjust.from_week}'s loads and volume, nothing new added; a green check-in "
                    "brings the dose back (DOMAIN.md §6).",
                )
            )
        if adjust.isometric_only and plan.layout.phase != "race":
            plan.mode = _isometric_mode(plan.mode)
            # Said for each week it holds (the week's sessions follow §6, not the protocol).
            self.warnings.append(
                PlanWarning(
                    "R11",
                    plan.layout.index,
                    None,
                    "Red pain at two check-ins in a row: until a green check-in, this week "
                    "too holds isometric holds and seated raises only, at half the pre-flare "
                    "load.",
                )
            )

    def _week(self, wl: WeekLayout) -> Week:
        state = self.state
        days = self._days(wl.start)
        wp = self._week_plan(wl)
        if self.adjustments is not None:  # (only check-ins move a step)
            self._strain_step_warnings(wl)
        phase = wl.phase
        self._capped.clear()
        self._bodyweight_until.clear()
        self._week_raises.clear()
        self._grow_ramps()
        weekly_contacts = 0
        # The week's strength prescriptions, in day order, for everything below.
        strength: list[Prescription] = []
        if phase != "race":
            session_days = self._session_days(wl, days)
            if session_days:
                weekly_contacts = self._strength_sessions(wp, days, session_days, strength)
        if wl.index in self._retest_weeks:
            self._retest(wp, days)
        if self._primers_asked:
            self._primers(wp, days)
        last_week, holds = state.last_week, False
        for p in strength:
            if p.variation in RAISES:
                last_week[p.exercise] = wl.index
            if p.hold_s is not None:
                holds = True
        if phase != "race":
            restricted = self._restricted_week(wp) or holds
            # (The week's raises matter only to a restricted week.)
            raises = (
                {p.exercise for p in strength if p.variation in RAISES} if restricted else set()
            )
            self._note_restriction(restricted, raises)
        if self._contact_cap is not None and weekly_contacts >= self._contact_cap:
            self._contact_cap = None  # reached once: the planner's own progression again
        # carry state
        ordinary = phase in ORDINARY_PHASES and not wl.deload
        for exercise_id, load in state.week_loads.items():
            self.way_back.see(exercise_id, load, ordinary)
        state.prev_loads.update(state.week_loads)
        state.last_loads.update(state.week_loads)
        state.week_loads = {}
        if phase in ORDINARY_PHASES and not wl.deload and wp.zone != "red":
            state.phase_ordinary[phase] = wp.ordinary_index + 1
        state.prev_phase = phase
        state.prev_weekly_contacts = weekly_contacts
        if not wl.deload:
            state.contact_base = weekly_contacts
        week = Week(wl.index, wl.start, wl.phase, wl.deload, days)
        if phase in ORDINARY_PHASES and not wl.deload:
            state.last_ordinary = {p.exercise: p for p in strength}
            state.last_ordinary_contacts = weekly_contacts
            state.last_ordinary_phase = phase
        if wl.index == 1:
            state.week1 = {p.exercise: p for p in strength}
            state.week1_contacts = weekly_contacts
        adjust = self.adjustments
        if (
            adjust is not None
            and adjust.hold_after_red is not None
            and wl.index == adjust.from_week
            and ordinary  # (a deload's or taper's cut sets are not the dose to hold)
        ):
            self._first_replanned = {p.exercise: p for p in strength}
        self._week_warnings(wp, week, strength)
        return week

    def _days(self, monday: date) -> list[Day]:
        """The seven days of the week from ``monday``, each with its run."""
        dates = _week_dates(monday)
        if monday == self._race_monday:
            return [Day(d, WEEKDAYS[n], run_on(self.profile, d), []) for n, d in enumerate(dates)]
        # No race this week: the weekly pattern as it stands (run_on's answer, without asking
        # it seven times a week), each day with a list of its own. (map over the columns: a
        # comprehension's frame costs more than the seven Days it makes.)
        return list(map(Day, dates, WEEKDAYS, self._runs, ([], [], [], [], [], [], [])))

    def _carry(self, week: Week) -> None:
        """Take the state a kept week leaves, as if this planner had planned it."""
        state = self.state
        index = 0 if week.phase != state.prev_phase else state.phase_ordinary.get(week.phase, 0)
        strength = self._strength_prescriptions(week)
        for p in strength:
            if p.load_kg is not None and p.variation != "plyometric":
                state.prev_loads[p.exercise] = p.load_kg
                state.last_loads[p.exercise] = p.load_kg
        ordinary = week.phase in ORDINARY_PHASES and not week.deload
        # Each session's load in day order, not the week's heaviest: a red check-in halves the
        # sessions left in its week (DOMAIN.md §6), and the way back from that halving starts
        # there (physio review: two greens held 22.5 kg, not the pre-flare 40, after a red
        # that came between a 40 kg session and two 20 kg ones).
        for p in strength:
            if p.load_kg is not None and p.variation != "plyometric":
                self.way_back.see(p.exercise, p.load_kg, ordinary)
        for day in week.days:
            for session in day.sessions:
                if session.kind != "strength":
                    continue
                state.last_strength_day = day.date
                for p in session.exercises:
                    state.last_day[p.variation] = day.date
        contacts = sum(p.contacts or 0 for p in strength if p.variation == PL)
        for p in strength:
            if p.variation in RAISES:
                state.last_week[p.exercise] = week.index
        red = self._profile_zone(week.index) == "red"
        if week.phase != "race":
            self._grow_ramps()
            # A kept week was restricted when it held isometric holds or its profile pain was
            # red (a check-in's red week is known by its holds or seated raises only: the
            # conservative reading counts a week with any hold).
            holds = any(p.hold_s is not None for p in strength)
            self._note_restriction(
                red or holds, {p.exercise for p in strength if p.variation in RAISES}
            )
        if week.phase in ORDINARY_PHASES and not week.deload and not red:
            state.phase_ordinary[week.phase] = index + 1
        if week.phase in ORDINARY_PHASES and not week.deload:
            state.last_ordinary = {p.exercise: p for p in strength}
            state.last_ordinary_contacts = contacts
            state.last_ordinary_phase = week.phase
        if week.index == 1:
            state.week1 = {p.exercise: p for p in strength}
            state.week1_contacts = contacts
        state.prev_phase = week.phase
        state.prev_weekly_contacts = contacts
        if not week.deload:
            state.contact_base = contacts

    @staticmethod
    def _strength_prescriptions(week: Week) -> list[Prescription]:
        return [
            p
            for day in week.days
            for s in day.sessions
            if s.kind == "strength"
            for p in s.exercises
        ]

    # ------------------------------------------------------------------ days

    def _target_sessions(self, wl: WeekLayout) -> int:
        wanted = self._sessions_wanted
        if wl.phase == "recovery":
            return min(wanted, 2)
        return wanted

    def _session_days(self, wl: WeekLayout, days: list[Day]) -> list[int]:
        """The week's strength session days (0 = Monday), with the warnings their choice
        makes (R5, R8)."""
        problems, clean = self._placement_problems(wl, days)
        usual = self._usual_problems
        if usual is None or problems is not usual[0]:
            return self._choose_session_days(wl, days, problems, clean)
        # Away from the race the week's days are the weekly pattern's: the choice and its
        # warnings depend only on the key below (the race is neither in the week nor near
        # it; see _placement_problems, _protocol_days, _bend_placement). Made once a plan for
        # each, and said again for each week it holds (its index, its dates).
        prev = self.state.last_strength_day
        race = self._race
        key = (
            wl.phase in ORDINARY_PHASES,
            wl.phase == "recovery",
            wl.deload,
            None if prev is None else (prev - wl.start).days,
            race is not None and race >= wl.start,
        )
        found = self._usual_days.get(key)
        if found is None:
            mark = len(self.warnings)
            chosen = self._choose_session_days(wl, days, problems, clean)
            notes = [
                (w.rule, None if w.date is None else (w.date - wl.start).days, w.message)
                for w in self.warnings[mark:]
            ]
            self._usual_days[key] = (chosen, notes)
            return chosen
        chosen, notes = found
        for rule_id, offset, message in notes:
            when = None if offset is None else days[offset].date
            self.warnings.append(PlanWarning(rule_id, wl.index, when, message))
        return chosen

    def _choose_session_days(
        self, wl: WeekLayout, days: list[Day], problems: list[str | None], clean: tuple[int, ...]
    ) -> list[int]:
        wanted = self._target_sessions(wl)
        ordinary = wl.phase in ORDINARY_PHASES
        prev = self.state.last_strength_day
        prev_offset = None if prev is None else (prev - wl.start).days
        preferred = self._preferred
        # A protocol keeps a day between its sessions in every week (Beyer 2015).
        spaced = self.protocol is not None
        chosen = choose_days(clean, wanted, preferred, prev_offset, spaced)
        if spaced:
            chosen = self._protocol_days(wl, days, problems, chosen, wanted, preferred)
        if ordinary and not chosen:
            chosen = self._bend_placement(wl, days, problems)
        if ordinary and len(chosen) < wanted and not wl.deload:
            why = (
                "the protocol needs a rest day between sessions"
                if spaced and len(clean) >= wanted
                else "too few days fit around your running week (§3)"
            )
            if spaced:
                why += ", so the dose is a third below the protocol's"
            self.warnings.append(
                PlanWarning(
                    "R8",
                    wl.index,
                    None,
                    f"{len(chosen)} strength session(s) this week instead of {wanted}: {why}.",
                )
            )
        if ordinary and preferred:
            moved_to = tuple(n for n in chosen if n not in preferred)
            if moved_to:
                for n in preferred:
                    if n not in chosen:
                        self.warnings.append(
                            PlanWarning(
                                "R5",
                                wl.index,
                                days[n].date,
                                _moved_text(n, moved_to, tuple(chosen), problems[n]),
                            )
                        )
        return chosen

    def _protocol_days(
        self,
        wl: WeekLayout,
        days: list[Day],
        problems: list[str | None],
        chosen: list[int],
        wanted: int,
        preferred: tuple[int, ...],
    ) -> list[int]:
        """A protocol's sessions on non-consecutive days that repeat week after week, using
        the long day (after the long run) where §3 leaves too few days (DOMAIN.md §6) before
        the protocol drops a session; an R5 warning names that day. The long day qualifies
        when nothing hard follows it and the race allows it."""
        norms, profile = self.norms, self.profile
        # Away from the race (or without one) the problems are the weekly pattern's, the same
        # every week (_placement_problems hands out its one kept list), and so are the days
        # below: the day after is never the race, nor the day within the race's days before
        # it (§3's gaps are shorter than the days that count as away: core.norms checks it).
        # Found once a plan.
        usual = self._usual_problems is not None and problems is self._usual_problems[0]
        if usual and self._usual_protocol_days is not None:
            long_days, clean, wider = self._usual_protocol_days
        else:
            long_days = [
                n
                for n, problem in enumerate(problems)
                if problem == "it is the long-run day"
                and run_on(profile, days[n].date + timedelta(days=1))
                not in ("workout", "long", "race")
                and race_problem(profile, days[n].date, norms) is None
            ]
            clean = tuple(n for n, p in enumerate(problems) if p is None)
            wider = tuple(sorted({*clean, *long_days}))
            if usual:
                self._usual_protocol_days = (long_days, clean, wider)
        prev = self.state.last_strength_day
        prev_offset = None if prev is None else (prev - wl.start).days
        best = _protocol_choice(clean, wider, tuple(chosen), wanted, preferred, prev_offset)
        for n in best:
            if n in long_days:
                self.warnings.append(
                    PlanWarning(
                        "R5",
                        wl.index,
                        days[n].date,
                        f"{WEEKDAYS[n].title()}'s session goes after the long run: "
                        f"{_needs(wl, wanted)} on non-consecutive days and no other day of "
                        "your running week allows it (§6). Keep it after the run, never "
                        "before it.",
                    )
                )
        return best

    def _placement_problems(
        self, wl: WeekLayout, days: list[Day]
    ) -> tuple[list[str | None], tuple[int, ...]]:
        """§3's objection to a session on each day of the week (None: the day is fine), and
        the days without one."""
        norms, profile = self.norms, self.profile
        race = self._race
        away = AWAY_FROM_RACE_DAYS
        far_from_race = race is None or not -away <= (race - wl.start).days <= away
        if far_from_race and self._usual_problems is not None:
            # Away from the race only the weekly pattern matters: the same every week.
            return self._usual_problems
        problems: list[str | None] = []
        for day in days:
            problem = placement_problem(profile, day.date, norms)
            too_soon = (
                race is not None
                and wl.phase == "recovery"
                and (day.date - race).days < norms.recovery_days_after
            )
            if problem is None and too_soon:
                problem = "it is too soon after the race"
            problems.append(problem)
        found = problems, tuple(n for n, p in enumerate(problems) if p is None)
        if far_from_race:
            self._usual_problems = found
        return found

    def _bend_placement(
        self, wl: WeekLayout, days: list[Day], problems: list[str | None]
    ) -> list[int]:
        """No day fits §3: one session on the least bad day, with an R5 warning."""
        race = self.profile.goal.race_date

        def badness(n: int) -> tuple[int, int]:
            # The long-run day itself is the last resort; after a workout beats an easy day.
            return (1 if days[n].run == "long" else 0, 0 if days[n].run == "workout" else 1)

        options = [
            n
            for n, problem in enumerate(problems)
            if problem is not None
            and race_problem(self.profile, days[n].date, self.norms) is None
            and days[n].run != "race"
            and not (race is not None and wl.phase == "recovery" and days[n].date <= race)
        ]
        if not options:
            return []
        best = min(options, key=lambda n: (badness(n), n))
        self.warnings.append(
            PlanWarning(
                "R5",
                wl.index,
                days[best].date,
                f"Strength on {WEEKDAYS[best]} although {problems[best]}: no day of this "
                "week fits the running week (§3). Keep it controlled and skip the plyometrics "
                "if your legs are heavy.",
            )
        )
        return [best]

    # ------------------------------------------------------------------ sessions

    def _strength_sessions(
        self, wp: _WeekPlan, days: list[Day], session_days: list[int], strength: list[Prescription]
    ) -> int:
        """Place the week's strength sessions on ``session_days``; their prescriptions are
        added to ``strength``. Returns the week's plyometric contacts."""
        norms, state, wl = self.norms, self.state, wp.layout
        plyo_wanted = self._plyo_wanted(wp)
        if not plyo_wanted or self._race is None:
            plyo_ok = (plyo_wanted,) * len(session_days)  # no race to keep plyometrics from
        else:
            plyo_ok = tuple(
                not plyo_too_close_to_race(self.profile, days[n].date, norms) for n in session_days
            )
        last_day, monday = state.last_day, wl.start
        sl_day, bk_day, pl_day = last_day.get(SL), last_day.get(BK), last_day.get(PL)
        carry = (
            None if sl_day is None else (sl_day - monday).days,
            None if bk_day is None else (bk_day - monday).days,
            None if pl_day is None else (pl_day - monday).days,
        )
        # The same days, last days, plyometric permissions, mode and zone give the same
        # assignment and slots: most weeks of a plan repeat the week before (kept a plan).
        days_chosen = tuple(session_days)
        mode, zone = wp.mode, self._choice_zone(wp)
        key = (days_chosen, carry, plyo_ok, mode, zone)
        found = self._week_slots.get(key)
        if found is None:
            assignment = self._assign(days_chosen, carry, plyo_ok)
            plyo_sessions = sum(1 for parts in assignment if PL in parts)
            slots = self._session_slots(assignment, mode, zone, wp.dose_phase)
            found = self._week_slots[key] = (plyo_sessions, slots)
        plyo_sessions, slots = found
        per_session = self._plyo_per_session(wp, plyo_sessions)
        if plyo_sessions and per_session <= 0:
            # No contacts to give this week (a held dose without any): plan it without
            # plyometrics rather than leave a plyometric-only session empty (R1, R8).
            assignment = self._assign(days_chosen, carry, tuple(False for _ in session_days))
            slots = self._session_slots(assignment, mode, zone, wp.dose_phase)
        weekly = 0
        plyo_ordinal = 0  # plyometric sessions so far (they alternate their pool)
        for n, session_slots in zip(session_days, slots, strict=True):
            day = days[n]
            exercises: list[Prescription] = []
            dosed_ids: set[str] = set()  # (a set, not a scan of ``exercises``: every raise)
            for variation, chosen in session_slots:
                if variation != PL:  # a raise's slot: its exercise(s)
                    for ex in chosen:
                        dosed = self._raise(wp, ex)
                        if dosed.exercise in dosed_ids:
                            # Two slots dosed as the same exercise (a raise and the hold
                            # that stands in for it): the session holds it once, as a red
                            # check-in's halving of the rest of a week does.
                            continue
                        dosed_ids.add(dosed.exercise)
                        exercises.append(dosed)
                else:
                    prescription = self._plyo(wp, plyo_ordinal, per_session)
                    if prescription is None:
                        continue
                    weekly += prescription.contacts or 0
                    exercises.append(prescription)
                    plyo_ordinal += 1
                last_day[variation] = day.date
            if exercises:
                if self.provenance:
                    day_reason = self._day_reason(day, wl, days)
                    for p in exercises:
                        if p.why is None:
                            p.why = Why()
                        p.why.reasons.append(day_reason)
                day.sessions.append(Session("strength", exercises))
                strength.extend(exercises)
                state.last_strength_day = day.date
        return weekly

    def _assign(
        self, days: tuple[int, ...], carry: tuple[int | None, ...], plyo_ok: tuple[bool, ...]
    ) -> tuple[frozenset[str], ...]:
        """The variations of each session on ``days`` (scheduling.assign_variations). (A method,
        not a closure in _strength_sessions: that made a function every week for a rare ask.)"""
        norms = self.norms
        return assign_variations(
            days,
            carry,
            plyo_ok,
            norms.plyo_max_sessions_per_week,
            norms.min_days_between_same_variation,
            norms.plyo_min_days_between,
        )

    def _session_slots(
        self, assignment: tuple[frozenset[str], ...], mode: str, zone: str, dose_phase: str
    ) -> tuple[tuple[tuple[str, tuple[Exercise, ...]], ...], ...]:
        """Each session's variations in order (straight-leg, bent-knee, plyometric), each with
        the raise(s) the chooser gives its slot (the n-th session of that variation this week;
        an empty tuple for plyometrics, dosed per week by _plyo). The same assignment, mode and
        zone give the same slots every week: kept for the plan."""
        key = (assignment, mode, zone)
        found = self._slots.get(key)
        if found is not None:
            return found
        raises = self.chooser.raises
        ordinal = {SL: 0, BK: 0}
        sessions = []
        for parts in assignment:
            slots: list[tuple[str, tuple[Exercise, ...]]] = []
            for variation in (SL, BK):
                if variation in parts:
                    slots.append(
                        (variation, raises(variation, ordinal[variation], mode, zone, dose_phase))
                    )
                    ordinal[variation] += 1
            if PL in parts:
                slots.append((PL, ()))
            sessions.append(tuple(slots))
        found = self._slots[key] = tuple(sessions)
        return found

    def _retest(self, wp: _WeekPlan, days: list[Day]) -> None:
        """A re-test week (every 4th build or maintenance week, ``_retest_weeks``) opens its
        first session with a heel-raise test and, with a loaded seated both-leg raise in it, a
        seated test set in place of one of its sets (DOMAIN.md §2.2) — not while pain is amber
        or red, nor in a calf strain's body-weight steps."""
        norms = self.norms
        if wp.zone != "green":
            return
        if wp.mode in ("strain1", "strain2", "holds") or wp.profile_zone != "green":
            return
        first = next((s for d in days for s in d.sessions if s.kind == "strength"), None)
        if first is None:
            return
        first.tests.append(SessionTest("heel_raise"))
        if self.protocol is not None:
            return  # a protocol's sets and reps are its own (DOMAIN.md §6)
        for p in first.exercises:
            ex = self.chooser.by_id(p.exercise)
            # The seated test re-doses from a seated both-leg raise (the exercises `assess
            # seated-1rm` reads): on a lunge or backpack raise its follow-up had nothing to
            # read (issue 13, physio review B7). Without one, no seated test this week.
            seated = ex.load_class == norms.assessed_load_class
            if p.variation == BK and seated and p.load_kg and p.sets > 1:
                p.sets -= 1
                first.tests.append(
                    SessionTest(
                        "seated_test_set",
                        p.exercise,
                        norms.seated_test_reps,
                        norms.seated_test_rpe,
                    )
                )
                if p.why is not None:
                    p.why.reasons.append(
                        Reason(
                            "volume",
                            f"One set is the seated test set ({norms.seated_test_reps} reps at "
                            f"RPE {norms.seated_test_rpe:g}): its result re-doses bent-knee loads.",
                            None,
                            "§2.2",
                        )
                    )
                break

    def _day_reason(self, day: Day, wl: WeekLayout, days: list[Day]) -> Reason:
        """Why a strength session is on ``day`` (R5, §3), in its own day's words: where §3
        objects to the day, the exception that put it there and its R5 warning (the
        protocol's session after the long run, §6; the least bad day of a week in which no
        day fits, §3), not the rule it bends. (``days``: the week's, for §3's objections as
        _placement_problems keeps them; the reason of a day without one is kept too.)"""
        problem = self._placement_problems(wl, days)[0][(day.date - wl.start).days]
        if problem is None:
            key = (day.weekday, day.run)
            found = self._day_reasons.get(key)
            if found is None:
                found = self._day_reasons[key] = self._make_day_reason(day, wl, None)
            return found
        return self._make_day_reason(day, wl, problem)

    def _make_day_reason(self, day: Day, wl: WeekLayout, problem: str | None) -> Reason:
        """:meth:`_day_reason` worked out, §3's objection to the day (``problem``) given."""
        run = {
            "rest": "a rest day",
            "easy": "an easy run day",
            "workout": "a workout day",
            "long": "your long-run day",
        }
        what = run.get(day.run, f"a {day.run} day")
        preferred = day.weekday in self.profile.strength.preferred_days
        head = f"{day.weekday.title()}: {what}" + (
            ", one of your preferred days" if preferred else ""
        )
        if problem is None:
            rule = "strength never goes on the day before a workout, long run or race (§3)"
            return Reason("day", f"{head}; {rule}.", "R5", "§3")
        after_long_run = any(
            w.rule == "R5" and w.date == day.date and "goes after the long run" in w.message
            for w in self.warnings
        )
        if after_long_run and self.protocol is not None:
            # _protocol_days put the protocol's session here (DOMAIN.md §6).
            name = "achilles" if self.condition == "achilles_tendinopathy" else "plantar"
            text = (
                f"{head}; the session goes after the long run, never before it: "
                f"{_needs(wl, self._target_sessions(wl))} on non-consecutive days and no other "
                "day of your running week allows it (§6)."
            )
            return Reason("day", text, "R5", "§6", _PROTOCOL_SOURCES[name][1])
        # _bend_placement: the least bad day of a week in which no day fits.
        plain = _plain_reason(problem, WEEKDAYS.index(day.weekday)) or problem
        text = (
            f"{head}; strength here although {plain}: no day of this week fits the running "
            "week (§3), so keep it controlled."
        )
        return Reason("day", text, "R5", "§3")

    def _choice_zone(self, wp: _WeekPlan) -> str:
        """The zone that picks the exercises: the profile's pain, or, for the Achilles
        protocol, red from a check-in with pain > 5 too (§6: "with pain > 5, profile or
        check-in alike", holds and seated raises only). A check-in red by a rise in pain
        (next morning, week on week) at 5 or less is red's ordinary halving (review B3)."""
        if self.condition == "achilles_tendinopathy" and wp.zone == "red":
            adjust = self.adjustments
            red = (
                next(
                    (j for j in reversed(adjust.judged) if j.zone == "red"),
                    None,
                )
                if adjust is not None
                else None
            )
            if red is not None and worst_pain(red.checkin) > self.norms.pain_amber_max:
                return "red"
        return wp.profile_zone

    def _plyo_wanted(self, wp: _WeekPlan) -> bool:
        phase = wp.layout.phase
        if self.withheld is not None or wp.zone == "red" or phase == "race":
            return False
        if phase == "recovery":
            return self._recovery_week_number(wp.layout) > 1
        return wp.mode not in ("strain1", "strain2", "isometric", "holds")

    def _recovery_week_number(self, wl: WeekLayout) -> int:
        first = next(w.index for w in self.layout.weeks if w.phase == "recovery")
        return wl.index - first + 1

    def _plyo_per_session(self, wp: _WeekPlan, sessions: int) -> int:
        """Contacts per plyometric session this week (DOMAIN.md §2, §4, R6, R10)."""
        if sessions == 0:
            return 0
        norms, state, wl = self.norms, self.state, wp.layout
        phase = wl.phase
        if phase == "taper":
            cap = norms.phases[wp.dose_phase].plyo_cap[self.experience]
            base = state.last_ordinary_contacts
            if not state.last_ordinary:
                base = progression.first_weekly_contacts(
                    norms.phases["maintenance"].plyo_cap[self.experience], sessions, norms
                )
            weekly = int(base * norms.taper_contact_share)
            return min(cap, weekly // sessions)
        dose_phase = "foundation" if phase == "recovery" else wp.dose_phase
        cap = norms.phases[dose_phase].plyo_cap[self.experience]
        base = state.contact_base
        if wp.held_contacts is not None and (wp.held_contacts > 0 or wp.zone == "amber"):
            weekly = wp.held_contacts  # no plyometric progression while a dose is held
            if base and wl.deload:
                # A deload adds no contacts (DOMAIN.md §4, R10), a held dose's neither (issue
                # 13: a green after red held 16 contacts into a deload after a week of 14).
                weekly = min(weekly, base)
            elif base:
                # A dose held from before a lighter week still grows back ≤ 20 % (R10).
                weekly = min(weekly, progression.next_weekly_contacts(base, weekly, norms))
        elif wl.deload:
            # A deload adds no contacts (DOMAIN.md §2.2): the last ordinary week's, × 0.6.
            start = base or progression.first_weekly_contacts(cap, sessions, norms)
            weekly = int(min(start, cap * sessions) * norms.deload_set_share)
        elif base:
            # +20 % a week at most, phase changes included (R10).
            weekly = progression.next_weekly_contacts(base, cap * sessions, norms)
        else:
            # From none: at most half the session cap (DOMAIN.md §2.2).
            weekly = progression.first_weekly_contacts(cap, sessions, norms)
        if self._contact_cap is not None:
            # After a red: never above the pre-flare weekly contacts before a week has
            # reached them (DOMAIN.md §6), in every re-planned week.
            weekly = min(weekly, self._contact_cap)
        return min(cap, weekly // sessions)

    # ------------------------------------------------------------------ dosing

    def _raise(self, wp: _WeekPlan, ex: Exercise) -> Prescription:
        """The dose of ``ex`` this week; the week's second session of it gets the same."""
        # (An exercise is a pydantic model: each attribute read goes through its __getattr__
        # hook, several times a dataclass's. Here and below, read once for every raise.)
        ex_id = ex.id
        done = self._week_raises.get(ex_id)
        if done is None:
            done = self._week_raises[ex_id] = self._dose_raise(wp, ex, ex_id)
            return done
        why = done.why
        if why is None:
            return _clone(done)
        # The first session's dose, less the reason for its day: that reason is the first
        # session's (_strength_sessions gives each session its own; review 13: Sunday's raise
        # read "Tuesday: an easy run day" and "Sunday: …").
        reasons = [r for r in why.reasons if r.about != "day"]
        return _clone(done, Why(reasons, [*why.changes]))

    def _dose_raise(self, wp: _WeekPlan, ex: Exercise, ex_id: str) -> Prescription:
        """``ex``'s dose this week (``ex_id``: its id, read by the caller)."""
        norms, state, wl = self.norms, self.state, wp.layout
        phase = wl.phase
        if ex.isometric:
            return self._hold(wp, ex)
        if phase == "taper":
            return self._taper(wp, ex)
        if wp.caps and ex_id in wp.caps:
            under = self._hold_under_floor(ex, wp.caps[ex_id])
            if under is not None:
                return self._hold(wp, under)
        held = self._dose_for(wp.held, ex) if wp.held else None
        if held is None and wp.held and (wp.zone == "amber" or wp.nothing_new):
            # Amber: no new exercise (DOMAIN.md §6). The chooser's pick for this slot was not
            # in the held week and is no lighter form of an exercise in it (a calf strain's
            # step back may ask for one): the held week's own exercise of the variation
            # instead (issue 13: a two-legged raise came in where a red week held a hold).
            # In a calf strain's body-weight steps only an unloaded one stands in: a loaded
            # raise held from before the step back would break the step (R11).
            body_weight_step = wp.mode in ("strain1", "strain2")
            held = self._held_in_place_of(wp.held, ex, unloaded_only=body_weight_step)
            if held is not None and held.hold_s is not None:
                return self._hold(wp, self.chooser.by_id(held.exercise))
        if held is not None and wp.zone != "red":
            if held.exercise != ex_id and held.hold_s is None and "towel" in ex.tags:
                held = self._back_on_the_towel(held, ex)
            copied = self._copy(held, self.chooser.by_id(held.exercise), wl.deload, "held")
            if self.protocol is not None and phase in ORDINARY_PHASES and wp.mode != "normal":
                # A dose held from a week outside the protocol (recovery, taper: the plan now
                # runs the protocol past the race) keeps its sets, reps and load and takes
                # the protocol's tempo and rest (DOMAIN.md §6, R11).
                copied.tempo, copied.rest_s = self.protocol.tempo, self.protocol.rest_s
                copied.rpe = min(copied.rpe or self.protocol.rpe, self.protocol.rpe)
            moved = self._protocol_moved(wl.index)
            if moved is not None and copied.why is not None and wp.mode != "normal":
                copied.why.reasons.append(moved)
            self._one_step_at_most(copied)
            if wl.deload:
                self._deload_keeps_last_ordinary(copied)
            return copied
        # (Looked up only in a deload: the other weeks never read it.)
        last = self._dose_for(state.last_ordinary, ex) if wl.deload else None
        if last is not None and wp.zone != "red":
            # A deload keeps the last ordinary week's load and reps (DOMAIN.md §2.2, R10),
            # or less where the log lowered it.
            copied = self._copy(last, self.chooser.by_id(last.exercise), True, "deload")
            if not copied.load_kg and copied.exercise in self._bodyweight_until_seen:
                until = self._bodyweight_until_seen[copied.exercise]
                self._bodyweight_until[copied.exercise] = until
            cap = (wp.caps or {}).get(copied.exercise)
            if cap is not None and copied.load_kg is not None and cap < copied.load_kg:
                self._lower_load(
                    copied,
                    self.chooser.by_id(copied.exercise),
                    cap,
                    "your log or a red check-in held or lowered it",
                    "R10",
                )
            return copied
        dose = wp.dose
        if dose is None:
            dose = wp.dose = self._week_dose(wp)
        sets, reps, rpe, tempo, rest = dose.sets, dose.reps, dose.rpe, dose.tempo, dose.rest_s
        red = wp.zone == "red"
        reasons: list[Reason] = self._dose_reasons(wp, dose) if self.provenance else []
        # A calf strain's step 2 (single-leg raises at body weight) fits at body weight.
        step = (float(dose.rpe), dose.bottom) if wp.mode == "strain2" else None
        fit_key = (ex_id, dose.share, red, step)
        fit = self._raise_fits.get(fit_key)
        if fit is None:
            fit = self._raise_fits[fit_key] = self._raise_fit(ex, dose.share, red, step)
        chosen, chosen_id = fit.exercise, fit.id
        if fit.isometric:
            return self._hold(wp, chosen)
        target, one_rm, why_choice, bw = fit.target, fit.one_rm, fit.why, fit.bw
        # Most raises neither ramp nor start one (no restriction behind them, nothing ramping,
        # done lately): _ramp is asked only where it may answer otherwise (see _reenters).
        last_week = state.last_week
        since = wl.index - norms.pain_reentry_weeks
        if (
            state.restricted is None
            and not state.ramps
            and (not last_week or last_week.get(chosen_id, since - 1) >= since)
        ):
            ramp = None
        else:
            ramp = self._ramp(wp, chosen)
        if fit.ladder is None:
            # A body-weight raise has no load to ramp (as before it had a 1RM): the calf
            # strain's steps and the regressions are its way up.
            ramp = None
        ramped = False
        if (
            ramp is not None
            and target is not None
            and self.condition == "calf_strain"
            and fit.exercise.bodyweight_share > 0
        ):
            # The calf strain's loaded step follows its single-leg step (DOMAIN.md §6:
            # "progressing to single-leg and then loaded raises"): half its target must not
            # take a calf below the per-calf load it did last week, a two-legged raise at
            # body weight after weeks of single-leg ones (the review's S1). Standing raises
            # only: a seated raise keeps its ramp (the more conservative reading, as before).
            done = self._per_calf_done(fit.variation) * (1 if fit.per_side else 2)
            if target * ramp < done:
                ramp = min(1.0, done / target)
        if ramp is not None and target is not None and target * ramp < bw - 1e-9:
            # The ramp's share takes the target under body weight: the fit at that share
            # (DOMAIN.md §2.1: the regression, never a set the athlete cannot complete).
            fit = self._raise_fit(ex, dose.share * ramp, red, step)
            chosen, chosen_id = fit.exercise, fit.id
            if fit.isometric:
                return self._hold(wp, chosen)
            target, one_rm, why_choice, bw = fit.target, fit.one_rm, fit.why, fit.bw
            ramped = True  # (the fit's target is at the ramp's share already)
        if ramp is not None and target is not None:
            if not ramped:
                target *= ramp
            if self.provenance:
                new_to = (
                    f"Not done in the last {norms.pain_reentry_weeks} weeks"
                    if self.state.ramp_causes.get(chosen_id) == "reentry"
                    else "New after a pain restriction"
                )
                reasons.append(
                    Reason(
                        "load",
                        f"{new_to}: {ramp:.0%} of its target this week (it starts at half and "
                        "closes half the remaining gap each week; never a jump to a full RM).",
                        "R11",
                        "§6",
                        "Silbernagel et al. 2007",
                    )
                )
        if why_choice and not red and fit.ladder is None and self.chooser.ladder(ex) is not None:
            # The kit loads ``ex`` but body weight alone is above its target: R3's reason
            # where its body-weight regression is unloaded (not "nothing can be loaded").
            self._too_heavy[chosen_id] = why_choice
        if why_choice and self.provenance:
            reasons.append(Reason("choice", why_choice, None, "§2.1", None))
        if one_rm is None or target is None:
            # A body-weight raise: its reps are the only progression body weight allows.
            load = 0.0
            if not dose.protocol or wp.mode not in ("achilles", "plantar"):
                reps = dose.bodyweight_reps
            if self.provenance:
                reasons.append(Reason("load", self._bodyweight_words(wp, red)))
        elif fit.ladder is None and wp.mode in ("strain1", "strain2"):
            # A calf strain's body-weight steps (DOMAIN.md §6): body weight is the step's dose,
            # not the kit's limit; a target under it has taken the regression above.
            load = 0.0
            reps = self._reps_at_body_weight(fit, one_rm, dose.bodyweight_reps, dose.rpe)
            if self.provenance:
                reasons.append(Reason("load", self._bodyweight_words(wp, red)))
        else:
            load, reps = self._external_load(wp, fit, target, one_rm, dose, reasons)
        adjust = self.adjustments
        if adjust is not None and wl.index == adjust.from_week and chosen_id in adjust.fewer_reps:
            # Failed twice at body weight: fewer reps rather than less than body weight (§2.2).
            reps = max(1, reps - adjust.fewer_reps[chosen_id])
            if self.provenance:
                reasons.append(
                    Reason("volume", "Two hard weeks in a row at body weight: 2 fewer reps.", "R10")
                )
        state.week_loads[chosen_id] = load
        # The same few loads recur all plan long: their rounded ratios and system loads are
        # kept (round() is among the dearer builtins, asked twice a prescription).
        x_bodyweight = self._x_bodyweight.get(load)
        if x_bodyweight is None:
            x_bodyweight = self._x_bodyweight[load] = load_x_bodyweight(load, self.body_mass)
        system = self._system_loads.get((bw, load))
        if system is None:
            system = self._system_loads[(bw, load)] = round(bw + load, 2)
        return Prescription(
            chosen_id,
            fit.variation,
            sets,
            reps,
            fit.per_side,
            load,
            x_bodyweight,
            rpe,
            tempo,
            rest,
            None,
            None,
            system,
            Why(reasons) if self.provenance else None,
        )

    def _week_dose(self, wp: _WeekPlan) -> _WeekDose:
        """The week's table dose (DOMAIN.md §2, §4, §6): the protocol's block in a protocol
        week, else the dose phase's sets and this week's reps; sets cut in a deload and in
        red pain. The same for every raise of the week, and for weeks alike in what it reads:
        kept for the plan, and shared by plans alike in their norms, condition and level
        (_WEEK_DOSES)."""
        norms, wl = self.norms, wp.layout
        dose_phase = wp.dose_phase if wp.dose_phase in norms.phases else "maintenance"
        phase_dose = norms.phases[dose_phase]
        protocol = (
            self.protocol
            if wl.phase in ORDINARY_PHASES and wp.mode in ("achilles", "plantar", "isometric")
            else None
        )
        # A protocol's reps are its block's, the phases' this week's step of the range.
        step = wp.protocol_week if protocol is not None else self._week_reps(wp, phase_dose)
        key = (
            protocol is not None,
            wp.mode,
            dose_phase,
            step,
            wl.deload,
            wp.zone == "red",
            wl.index >= 3,
        )
        found = self._doses.get(key)
        if found is None:
            found = self._doses[key] = self._shared_week_dose(wp, phase_dose, protocol, step, key)
        return found

    def _shared_week_dose(
        self,
        wp: _WeekPlan,
        phase_dose: PhaseDose,
        protocol: Protocol | None,
        step: int,
        key: tuple[Any, ...],
    ) -> _WeekDose:
        """:meth:`_make_week_dose` from _WEEK_DOSES, made there when new. Beside ``key`` it
        reads only the norms, the condition (its protocol) and the level."""
        norms = self.norms
        shared_key = (id(norms), self.condition, self.experience, *key)
        found = _WEEK_DOSES.get(shared_key)
        if found is not None and found[0] is norms:
            return found[1]
        if len(_WEEK_DOSES) >= _MAX_WEEK_DOSES:
            _WEEK_DOSES.clear()
        dose = self._make_week_dose(wp, phase_dose, protocol, step)
        _WEEK_DOSES[shared_key] = (norms, dose)
        return dose

    def _make_week_dose(
        self, wp: _WeekPlan, phase_dose: PhaseDose, protocol: Protocol | None, step: int
    ) -> _WeekDose:
        """:meth:`_week_dose` worked out: ``protocol`` where its block doses the week (then
        ``step`` is the protocol week), else ``step`` is the week's reps."""
        norms, wl = self.norms, wp.layout
        if protocol is not None:
            block = protocol.block(step)
            sets, reps = block.sets, block.reps
            rpe, tempo, rest = protocol.rpe, protocol.tempo, protocol.rest_s
            # "nRM" in a protocol is the load for n reps of §2.1's table, at RPE 8–9.
            share = norms.pct_for_reps(reps)
            bottom = reps
        else:
            sets, reps = phase_dose.sets[self.experience], step
            rpe, tempo, rest = phase_dose.rpe, phase_dose.tempo, phase_dose.rest_s
            share = norms.working_share(reps, rpe)
            bottom = phase_dose.rep_steps[-1]
        cut = sets
        if wl.deload:
            cut = progression.deload_sets(cut, norms)
        if wp.zone == "red":
            cut = progression.red_sets(cut, norms)
        return _WeekDose(
            protocol=protocol is not None,
            table_sets=sets,
            sets=cut,
            reps=reps,
            rpe=rpe,
            tempo=tempo,
            rest_s=rest,
            share=share,
            bottom=bottom,
            top=self._top_reps(wp),
            bodyweight_reps=phase_dose.bodyweight_reps,
            past_week_two=wl.index >= 3,
        )

    def _dose_reasons(self, wp: _WeekPlan, dose: _WeekDose) -> list[Reason]:
        """Why a raise dosed from the tables has its sets, reps, tempo and rest (``explain``)."""
        reasons: list[Reason] = []
        if dose.protocol:
            name, source = _PROTOCOL_SOURCES[
                "achilles" if self.condition == "achilles_tendinopathy" else "plantar"
            ]
            reasons.append(
                Reason(
                    "volume",
                    f"{dose.table_sets} × {dose.reps}RM: week {wp.protocol_week} of the {name} "
                    "protocol.",
                    "R11",
                    "§6",
                    source,
                )
            )
            moved = self._protocol_moved(wp.layout.index)
            if moved is not None:
                reasons.append(moved)
        else:
            steps = self.norms.phases[
                wp.dose_phase if wp.dose_phase in self.norms.phases else "maintenance"
            ].rep_steps
            # A phase with one rep step (recovery: 15) has no range to start at the top of
            # ("15–15 reps", physio review B8).
            reps_words = (
                f"{steps[0]} reps"
                if steps[0] == dose.bottom
                else f"{steps[0]}–{dose.bottom} reps, top of the range first"
            )
            reasons.append(
                Reason(
                    "volume",
                    f"{dose.table_sets} × {dose.reps} at RPE {dose.rpe:g}: the {wp.dose_phase} "
                    f"phase ({reps_words}).",
                    None,
                    "§2",
                    None,
                )
            )
        if wp.layout.deload:
            reasons.append(Reason("volume", "Deload week: sets × 0.6, same load.", "R9", "§4"))
        if wp.zone == "red":
            reasons.append(
                Reason(
                    "volume",
                    "Pain is red: half the per-calf load and the sets.",
                    "R11",
                    "§6",
                    "Silbernagel et al. 2007",
                )
            )
        reasons.append(
            Reason("tempo", f"{dose.tempo}, rest {dose.rest_s} s: as the dose above sets.")
        )
        return reasons

    def _raise_fit(
        self, ex: Exercise, share: float, red: bool, single_leg_step: _Step = None
    ) -> _RaiseFit:
        """:meth:`_fit` as _dose_raise reads it (see _RaiseFit)."""
        chosen, target, one_rm, why = self._fit(ex, share, red, single_leg_step)
        return _RaiseFit(
            chosen,
            chosen.id,
            chosen.variation,
            chosen.per_side,
            chosen.isometric,
            target,
            one_rm,
            why,
            body_part_kg(chosen, self.body_mass),
            self.chooser.ladder(chosen),
        )

    def _fit(
        self, ex: Exercise, share: float, red: bool, single_leg_step: _Step = None
    ) -> tuple[Exercise, float | None, OneRepMax | None, str]:
        """The exercise that this week's target allows, its system-load target and 1RM.

        Where body weight alone is more than the target (a weak calf, or red pain halving the
        per-calf load), the regression is prescribed instead (DOMAIN.md §2.1, §6): never a set
        the athlete cannot complete. Red compares per calf (a single-leg raise becomes its
        two-legged form with the same external load); a weak calf takes the regression's own
        estimate, the more conservative of the two.

        ``single_leg_step``: the week's RPE and its rep range's bottom in a calf strain's step 2
        (None otherwise), whose single-leg raises are at body weight (DOMAIN.md §6) where the
        table allows the range's bottom reps at it (:meth:`_single_leg_step_fits`): a physio's
        review found the step never given, its single-leg raise always giving way to the
        two-legged one.
        """
        key = (ex.id, share, red, single_leg_step)
        found = self._fit_memo.get(key)
        if found is None:
            found = self._fit_memo[key] = self._fit_uncached(ex, share, red, single_leg_step)
        return found

    def _fit_uncached(
        self, ex: Exercise, share: float, red: bool, single_leg_step: _Step = None
    ) -> tuple[Exercise, float | None, OneRepMax | None, str]:
        chooser, mass = self.chooser, self.body_mass
        one_rm = chooser.one_rm(ex)
        if one_rm is None:
            return self._fit_bodyweight(ex, share, red, single_leg_step)
        target = one_rm.kg * share
        if self._test_carries_body_weight(ex):
            # §2.1: with a heel-raise test of 25 or more "they may start loaded": the test's
            # calf carries body weight for more reps than any set asks, whatever the table's
            # estimate (the calf strain's loaded step after its single-leg one: review S1).
            target = max(target, body_part_kg(ex, mass))
        elif not red and self._single_leg_step_fits(ex, one_rm, single_leg_step):
            target = max(target, body_part_kg(ex, mass))
        per_calf_target = target * (self.norms.pain_red_share if red else 1.0) / ex.legs
        if red:
            target *= self.norms.pain_red_share
        if self._fits(ex, target) or "towel" in ex.tags:
            # The towel raise is the protocol itself (Rathleff et al. 2015): a weak calf does
            # it at body weight, with the reps it can do (see _external_load).
            return ex, target, one_rm, ""
        for option in chooser.regressions(ex):
            if option.isometric:
                if red:  # what cannot be halved standing becomes a hold (DOMAIN.md §6)
                    return (
                        option,
                        None,
                        None,
                        f"{self._instead(option, ex)}: red pain.",
                    )
                continue
            bw_per_calf = body_part_kg(option, mass) / option.legs
            if bw_per_calf > per_calf_target + 1e-9:
                continue
            option_rm = chooser.one_rm(option)
            if option_rm is None and not red:
                # A body-weight regression: its own estimate says whether body weight is
                # above its target too (its reps then), or below (more reps keep the effort).
                option_rm = chooser.bodyweight_one_rm(option)
            option_target = None if option_rm is None else option_rm.kg * share
            if red and option_target is not None:
                option_target *= self.norms.pain_red_share
                if option.bodyweight_share > 0:
                    # The standing two-legged form keeps the external load: the same
                    # per-calf half (DOMAIN.md §6); a seated one halves its own load.
                    option_target = per_calf_target * option.legs
            if (
                option_rm is not None
                and option_target is not None
                and not self._fits(option, option_target)
            ):
                continue
            why = (
                f"{self._instead(option, ex)}: "
                + (
                    "red pain halves the load each calf takes"
                    if red
                    else self._why_lighter(ex, target, one_rm)
                )
                + "."
            )
            return option, option_target, option_rm, why
        if not red:
            lighter = self._lighter_form(ex, share, target, one_rm)
            if lighter is not None:
                return lighter
            loaded = self._loaded_stand_in(ex, share, target, one_rm)
            if loaded is not None:
                return loaded
        # Nothing lighter fits: the exercise at body weight (its reps are the progression).
        return ex, None, None, ""

    def _loaded_stand_in(
        self, ex: Exercise, share: float, target: float, one_rm: OneRepMax
    ) -> tuple[Exercise, float | None, OneRepMax | None, str] | None:
        """Where ``ex``'s kit has a floor above its target and neither a regression nor a
        lighter form carries it: another exercise of its variation that the kit loads at its
        own target (DOMAIN.md §2.1: "a target below the floor takes another loadable exercise
        of the same variation that the kit allows"; never a load the kit cannot make).

        Without it a seated barbell raise under the bar's 20 kg was prescribed at "body
        weight": a seated raise with nothing on the knees, no load at all for the soleus.
        Only where ``ex`` cannot go without load (a bar's or a machine's floor), and only a
        stand-in that carries external load; seated for seated, standing for standing (their
        1RMs are of different loads, and heavy slow resistance asks for seated raises); else
        its body-weight regression. The stand-in comes after the regressions the caller tried,
        so plans that had one keep it (DOMAIN.md lists the stand-in first: the narrower
        change, and both are right for the athlete).
        """
        ladder = self.chooser.ladder(ex)
        if ladder is None or ladder.body_weight_ok:
            return None
        mass, under_floor = self.body_mass, self._why_lighter(ex, target, one_rm)
        for option in self._stand_in_options(ex):
            option_ladder = self.chooser.ladder(option)
            option_rm = self.chooser.one_rm(option)
            if option_ladder is None or option_rm is None:
                continue
            option_target = option_rm.kg * share
            in_hand = option_ladder.at_most(option_target - body_part_kg(option, mass))
            if not in_hand:  # None: nothing buildable; 0: body weight, the same empty set
                continue
            why = f"{self._instead(option, ex)}: {under_floor}."
            stood_in = self._stand_ins.setdefault(ex.id, [])
            if option.id not in stood_in:
                stood_in.append(option.id)
            return option, option_target, option_rm, why
        # "... else the regression": the first of the chain done at body weight, with the reps
        # the table allows there (a wall-sit calf raise for a light runner with a bar alone).
        for option in self.chooser.regressions(ex):
            if option.isometric or self.chooser.ladder(option) is not None:
                continue
            option_rm = self.chooser.bodyweight_one_rm(option)
            if option_rm is not None:
                why = f"{self._instead(option, ex)}: {under_floor}."
                return option, option_rm.kg * share, option_rm, why
        return None

    def _stand_in_options(self, ex: Exercise) -> tuple[Exercise, ...]:
        """The exercises that may stand in for ``ex`` under its kit's floor, in the chooser's
        order: the athlete's loadable ones of its variation, seated for seated, standing for
        standing (see _loaded_stand_in); none where ``ex`` can go without load."""
        found = self._stand_in_candidates.get(ex.id)
        if found is None:
            ladder, seated = self.chooser.ladder(ex), "seated" in ex.tags
            found = self._stand_in_candidates[ex.id] = (
                ()
                if ladder is None or ladder.body_weight_ok
                else tuple(
                    option
                    for option in self.chooser.candidates(ex.variation, "")
                    if option.id != ex.id
                    and ("seated" in option.tags) == seated
                    and self.chooser.ladder(option) is not None
                )
            )
        return found

    def _hold_under_floor(self, ex: Exercise, cap: float) -> Exercise | None:
        """The variation's isometric hold where the way back from red caps ``ex`` under its
        kit's floor (a seated bar raise at three quarters of 22.5 kg, and the bar is 20): no
        load the kit makes is within the cap, and the bar itself was more than "halfway back"
        (DOMAIN.md §6; a review's finding). None where a load fits under the cap."""
        ladder = self.chooser.ladder(ex)
        if ladder is None or ladder.body_weight_ok or ladder.at_most(cap) is not None:
            return None
        return next((o for o in self.chooser.regressions(ex) if o.isometric), None)

    def _dose_for(self, doses: dict[str, Prescription], ex: Exercise) -> Prescription | None:
        """``ex``'s dose in ``doses``, or that of the regression or loaded stand-in that took
        its place (a deload keeps the stand-in's load, as it keeps a regression's)."""
        if not doses:
            return None
        if ex.id in doses:
            return doses[ex.id]
        for option in self.chooser.regressions(ex):
            # A hold that stood in during red pain is not the exercise's dose to carry on.
            if option.id in doses and not option.isometric:
                return doses[option.id]
        # The stand-ins this plan gave it; where it has given none yet (a re-plan whose first
        # week is a deload after carried weeks), any that could stand in: the load done.
        for stand_in in self._stand_ins.get(ex.id) or (e.id for e in self._stand_in_options(ex)):
            if stand_in in doses:
                return doses[stand_in]
        return None

    def _lighter_form(
        self, ex: Exercise, share: float, target: float, one_rm: OneRepMax
    ) -> tuple[Exercise, float | None, OneRepMax | None, str] | None:
        """Where no regression carries the target, the first body-weight one no heavier per
        calf than ``ex`` (DOMAIN.md §2.1: the regression, never a set the athlete cannot
        complete; and never ``ex`` "at body weight" where its kit has a floor, a Smith bar at
        15 kg): with its own target, its reps are those the table allows at body weight."""
        chooser, mass = self.chooser, self.body_mass
        heaviest = body_part_kg(ex, mass) / ex.legs
        for option in chooser.regressions(ex):
            if option.isometric or chooser.ladder(option) is not None:
                continue
            if body_part_kg(option, mass) / option.legs > heaviest + 1e-9:
                continue
            option_rm = chooser.bodyweight_one_rm(option)
            if option_rm is None:
                continue
            why = f"{self._instead(option, ex)}: {self._why_lighter(ex, target, one_rm)}."
            return option, option_rm.kg * share, option_rm, why
        return None

    def _why_lighter(self, ex: Exercise, target: float, one_rm: OneRepMax) -> str:
        """Why ``ex`` gave way to its regression: body weight alone is more than its target
        (DOMAIN.md §2.1), or, where body weight is within it, the kit cannot build what is
        left (a bar's own weight is above it)."""
        units, body = self.units, body_part_kg(ex, self.body_mass)
        if target + 1e-9 < body:
            shown_body, shown_target = _apart(body, target, units)
            why = (
                f"body weight alone ({shown_body}) is more than this week's target for it "
                f"({shown_target})"
            )
            heel = self.profile.assessments.single_leg_heel_raise_reps
            if one_rm.source == "heel_raise_test" and heel is not None:
                why += (
                    f": your single-leg heel-raise test was {min(heel.left, heel.right)} reps, "
                    "under this set's reps and the reps in hand"
                )
            return why
        ladder = self.chooser.ladder(ex)
        left = target - body
        if not body and ladder is not None:
            # A seated raise: no body weight to add to, the target is all in hand.
            target_words, floor_words = _apart(target, ladder.floor_kg, units)
            return (
                f"this week's target for it ({target_words}) is less than the lightest load "
                f"your kit makes for it ({floor_words}; §2.1: never a load the kit cannot make)"
            )
        floor = ""
        if ladder is not None:
            left_words, floor_words = _apart(left, ladder.floor_kg, units)
            floor = f" ({floor_words})"
        else:
            left_words = format_weight(left, units, 0)
        return (
            f"this week's target for it ({format_weight(target, units, 0)}) leaves "
            f"{left_words} to add to body weight, less than the lightest load your kit makes "
            f"for it{floor} (§2.1: never a load the kit cannot make)"
        )

    def _single_leg_step_fits(self, ex: Exercise, one_rm: OneRepMax, step: _Step) -> bool:
        """In a calf strain's step 2 (``step``: the week's RPE and rep range's bottom; None in
        any other week): a single-leg raise at body weight, where the %1RM table allows the
        range's bottom reps at it at that RPE (DOMAIN.md §6: "progressing to single-leg"; as
        R3 allows a load step, §2.1). Fewer, and its two-legged form stays: a calf that tested
        9 raises is not given single-leg sets (§2.1, review S1)."""
        if step is None or ex.legs != 1 or ex.bodyweight_share <= 0:
            return False
        rpe, bottom = step
        body = body_part_kg(ex, self.body_mass)
        return self.norms.reps_at_share(body / one_rm.kg) - (10 - rpe) >= bottom

    def _fit_bodyweight(
        self, ex: Exercise, share: float, red: bool, single_leg_step: _Step = None
    ) -> tuple[Exercise, float | None, OneRepMax | None, str]:
        """:meth:`_fit` for a raise that takes no external load (DOMAIN.md §2.1, §6).

        Its estimated 1RM (the handheld-load row with nothing in hand) says whether body weight
        alone is above the week's target: then the regression, never a set the athlete cannot
        complete. Red halves the per-calf load it would carry (body weight, or the target where
        the calf is weaker): a single-leg raise becomes its two-legged form, a two-legged one
        a hold of its variation. Holds and plyometrics are not asked (no 1RM: as they are).
        """
        chooser, mass = self.chooser, self.body_mass
        one_rm = chooser.bodyweight_one_rm(ex)
        if one_rm is None:
            return ex, None, None, ""
        body = body_part_kg(ex, mass)
        target = one_rm.kg * share
        if not red and target + 1e-9 >= body:
            return ex, target, one_rm, ""
        if not red and self._single_leg_step_fits(ex, one_rm, single_leg_step):
            return ex, body, one_rm, ""
        # The per-calf load it would carry: body weight, or the target where the calf is
        # weaker (its green dose is then the regression already, and red halves that: the
        # more conservative reading of §6's "halves the per-calf system load").
        per_calf = min(body, target) * (self.norms.pain_red_share if red else 1.0) / ex.legs
        for option in chooser.regressions(ex):
            if option.isometric and not red:
                continue
            if not option.isometric and body_part_kg(option, mass) / option.legs > per_calf + 1e-9:
                continue
            if red:
                # Halved (DOMAIN.md §6): the two-legged form at body weight, or a hold of the
                # variation where no standing form is that light; red's reps and sets.
                why = f"{self._instead(option, ex)}: red pain halves the load each calf takes."
                return option, None, None, why
            option_rm = chooser.one_rm(option) or chooser.bodyweight_one_rm(option)
            option_target = None if option_rm is None else option_rm.kg * share
            if option_target is not None and not self._fits(option, option_target):
                continue
            return (
                option,
                option_target,
                option_rm,
                f"{self._instead(option, ex)}: {self._why_lighter(ex, target, one_rm)}.",
            )
        if red:
            return ex, None, None, ""
        lighter = self._lighter_form(ex, share, target, one_rm)
        if lighter is not None:
            return lighter
        # Nothing lighter fits: the exercise at body weight with the reps the table allows.
        return ex, target, one_rm, ""

    def _test_carries_body_weight(self, ex: Exercise) -> bool:
        """A single-leg standing raise, and a heel-raise test at or above the count from which
        such raises may start loaded (DOMAIN.md §2.1)."""
        heel = self.profile.assessments.single_leg_heel_raise_reps
        return (
            heel is not None
            and ex.per_side
            and ex.bodyweight_share >= 1.0
            and min(heel.left, heel.right) >= self.norms.heel_raise_loaded_from
        )

    def _per_calf_done(self, variation: str) -> float:
        """The highest per-calf system load of the last ordinary week's raises of
        ``variation`` (holds aside: a hold is no step to load from)."""
        done = 0.0
        for p in self.state.last_ordinary.values():
            if p.variation == variation and p.hold_s is None and p.system_load_kg:
                done = max(done, p.system_load_kg / (1 if p.per_side else 2))
        return done

    def _bodyweight_words(self, wp: _WeekPlan, red: bool) -> str:
        """Why a raise carries no external load (``explain``)."""
        if wp.mode in ("strain1", "strain2"):
            step = step_words(1 if wp.mode == "strain1" else 2)
            return f"Body weight: the calf strain's {step} comes before loaded raises (§6)."
        if red:
            return "Body weight: red pain takes the load off (§6)."
        return "Body weight: nothing in your kit loads this one."

    def _reps_at_body_weight(self, fit: _RaiseFit, one_rm: OneRepMax, reps: int, rpe: float) -> int:
        """``reps``, or fewer where the %1RM table allows fewer at body weight and ``rpe``
        (DOMAIN.md §2.1: never a set the athlete cannot complete); at least one."""
        can = self._bodyweight_reps(fit, one_rm) - (10 - rpe)
        return max(1, min(reps, int(can)))

    def _bodyweight_reps(self, fit: _RaiseFit, one_rm: OneRepMax) -> float:
        """The reps to failure the %1RM table allows with body weight alone on the exercise
        ``fit`` chose (``one_rm``: the fit's 1RM), kept in the fit (see _RaiseFit.bw_reps)."""
        found = fit.bw_reps
        if found is None:
            found = fit.bw_reps = self.norms.reps_at_share(fit.bw / one_rm.kg)
        return found

    def _one_step_at_most(self, copied: Prescription) -> None:
        """A dose held from an earlier week grows at most one step on the week before it (R10,
        DOMAIN.md §4), unless it is the way back to a load red halved (§6: "not as new
        progression", dosing.WayBack). Found by hypothesis: after a race's recovery weeks at
        27.5–35 kg, two greens held the 40 kg of the week before a red that had come in the
        taper, a 5 kg jump where R10 allows 2.5."""
        previous = self.state.prev_loads.get(copied.exercise)
        load = copied.load_kg
        if previous is None or not load or load <= previous:
            return
        if self.way_back.allows(copied.exercise, load):
            return
        entry = self.chooser.by_id(copied.exercise)
        ladder = self.chooser.ladder(entry)
        if ladder is None:
            return
        capped = _one_step_above(ladder, body_part_kg(entry, self.body_mass), previous, self.norms)
        if capped < load:
            self._lower_load(copied, entry, capped, "one step a week at most", "R10")

    def _deload_keeps_last_ordinary(self, copied: Prescription) -> None:
        """A dose held into a deload week keeps at most the last ordinary week's load of its
        exercise (DOMAIN.md §4: a deload keeps that load; R10). Issue 13: after a red week, a
        green held the way back's halfway dose (12 kg) into a deload whose last ordinary week,
        the red one, gave 4 kg. §6 (each green brings the dose halfway back) and §4 (a deload
        keeps the last ordinary week's load) then ask for different loads; we take the more
        conservative, the lower: the way back resumes the week after the deload."""
        last = self.state.last_ordinary.get(copied.exercise)
        if last is None or last.load_kg is None or not copied.load_kg:
            return
        if copied.load_kg > last.load_kg:
            self._lower_load(
                copied,
                self.chooser.by_id(copied.exercise),
                last.load_kg,
                "a deload keeps the last ordinary week's load",
                "R10",
            )

    def _lower_load(
        self, copied: Prescription, entry: Exercise, kg: float, because: str, rule: str
    ) -> None:
        """A copied dose at the lower load ``kg``, its ratios and this week's load with it;
        ``because`` (and ``rule``) say why, in place of the copied dose's own rounding, which
        named the load before (a trial's explain read "Rounded down to 2 × 4 kg" beside a
        prescription of 2 × 2 kg)."""
        copied.load_kg = kg
        copied.load_x_bodyweight = load_x_bodyweight(kg, self.body_mass)
        copied.system_load_kg = system_load(entry, self.body_mass, kg)
        self.state.week_loads[copied.exercise] = kg
        if copied.why is not None:
            words = self._held_load_words(entry, kg)
            held = next(
                (
                    w
                    for r in copied.why.reasons
                    for w in (_HELD_WORDS, _DELOAD_WORDS)
                    if r.text.startswith(w)
                ),
                None,
            )
            text = (
                f"Lowered to {words}: {because}."
                if held is None
                else (f"{held}: {words} ({because}).")
            )
            copied.why.reasons = [
                r
                for r in copied.why.reasons
                if not r.text.startswith((*_ROUNDING_WORDS, _HELD_WORDS, _DELOAD_WORDS))
            ]
            copied.why.reasons.insert(0, Reason("load", text, rule, "§2.2"))

    def _fits(self, ex: Exercise, target: float) -> bool:
        """Body weight is within the target and the kit can build what is left."""
        external = target - body_part_kg(ex, self.body_mass)
        if external < -1e-9:
            return False
        ladder = self.chooser.ladder(ex)
        return ladder is None or ladder.at_most(external) is not None

    def _external_load(
        self,
        wp: _WeekPlan,
        fit: _RaiseFit,
        target: float,
        one_rm: OneRepMax,
        dose: _WeekDose,
        reasons: list[Reason],
    ) -> tuple[float, int]:
        """The external load (and reps) of the exercise ``fit`` chose for a system-load
        ``target`` from its ``one_rm`` (DOMAIN.md §2.1, §4); ``dose``: the week's table dose."""
        norms, state = self.norms, self.state
        ex, ex_id, ladder, bw = fit.exercise, fit.id, fit.ladder, fit.bw
        reps, rpe = dose.reps, dose.rpe
        if self.provenance:
            share = target / one_rm.kg
            units = self.units
            # A seated raise lifts no body weight: "of which 0.0 kg is body weight" said
            # nothing (a trial's reading of explain).
            body = f", of which {format_weight(bw, units, 1)} is body weight" if bw else ""
            reasons.append(
                Reason(
                    "load",
                    f"1RM {format_weight(one_rm.kg, units, 0)} (system load), {one_rm.note}; "
                    f"{share:.0%} of it is {format_weight(target, units, 1)}{body}.",
                    None,
                    "§2.1",
                    "Epley" if one_rm.source == "log" else None,
                )
            )
        if target < bw:
            # Body weight alone is above the target: the reps the table allows at the RPE.
            can = self._bodyweight_reps(fit, one_rm) - (10 - rpe)
            fewer = max(1, min(reps, int(can)))
            if self.provenance:
                reasons.append(
                    Reason(
                        "load",
                        f"Body weight alone is above that target: {fewer} reps at RPE {rpe:g}, "
                        "what the %1RM table allows at body weight (never a set you cannot "
                        "complete).",
                        None,
                        "§2.1",
                    )
                )
            return 0.0, fewer
        if ladder is None:
            # A body-weight raise whose target is above body weight: body weight is the most
            # the kit puts on it, so more reps keep the effort (DOMAIN.md §2.1, as for a kit's
            # heaviest load), and a warning names what would load it.
            # (max(reps, min(int(can), reps + 10)) spelled as comparisons: the builtins parse
            # keyword arguments at every call, dear in a branch a body-weight raise takes
            # every week.)
            more = int(self._bodyweight_reps(fit, one_rm) - (10 - rpe))
            if reps + 10 < more:
                more = reps + 10
            if more < reps:
                more = reps
            if more > reps:
                self._capped.add(ex_id)
            if self.provenance:
                words = "Body weight: nothing in your kit loads this one."
                if more > reps:
                    words = (
                        f"Body weight is the most your kit puts on it: {more} reps at RPE "
                        f"{rpe:g} keep the effort of {reps} at the target."
                    )
                reasons.append(Reason("load", words, None, "§2.1"))
            return 0.0, more
        key = (ex_id, target, reps, rpe, dose.bottom, dose.top, dose.past_week_two)
        memo = self._load_memo.get(key)
        if memo is None:
            # (What is wanted in hand is worked out only here: the memo answers most asks.)
            wanted = max(0.0, target - bw)
            memo = self._load_memo[key] = self._rounded_load(
                wp, ex, ladder, one_rm, bw, wanted, reps, rpe, dose.bottom
            )
        load, reps, capped, until = memo
        if capped:
            self._capped.add(ex_id)
        if until is not None:
            self._bodyweight_until[ex_id] = until
            self._bodyweight_until_seen[ex_id] = until
        before = load
        previous = state.prev_loads.get(ex_id)
        if previous is not None and load > previous:
            # One step a week at most, phase changes included (DOMAIN.md §4, R10).
            load = min(load, _one_step_above(ladder, bw, previous, norms))
        if wp.zone == "red" and ex_id in state.last_loads:
            load = min(load, state.last_loads[ex_id])  # red pain never raises a load
        if wp.caps and ex_id in wp.caps:
            capped_load = min(load, wp.caps[ex_id])  # the log or a red held or lowered it
            lasting = self.adjustments.lasting_caps if self.adjustments else {}
            if capped_load < load and ex_id in lasting and self.provenance:
                reasons.append(
                    Reason(
                        "load",
                        f"At most {_load_words(lasting[ex_id], ladder)} until two green "
                        "check-ins: the way back from red, each green halfway back to the "
                        "dose before the pain flared.",
                        "R11",
                        "§6",
                        "Silbernagel et al. 2007",
                    )
                )
            load = capped_load
        if self.provenance:
            rounding = f"Rounded down to {_load_words(load, ladder)}"
            # Rounding to the kit is §2.1; R10 only where its one step a week held the load
            # (issue 13, physio review B8: every rounding was cited as R10).
            rule = None
            if load < before - 1e-9:
                rounding += " (one step a week at most, R10)"
                rule = "R10"
            reasons.append(Reason("load", rounding + ".", rule, "§2.1"))
        return load, reps

    def _rounded_load(
        self,
        wp: _WeekPlan,
        ex: Exercise,
        ladder: LoadLadder,
        one_rm: OneRepMax,
        bw: float,
        wanted: float,
        reps: int,
        rpe: float,
        bottom: int,
    ) -> tuple[float, int, bool, int | None]:
        """The external load the kit builds for ``wanted`` in hand, with the reps that keep
        the effort, whether the kit capped it, and the reps to reach before any load."""
        norms = self.norms
        capped, until = False, None
        load = ladder.at_most(wanted) or 0.0
        if wanted >= ladder.max_kg - 1e-9 and (wanted > ladder.max_kg + 1e-9 or ladder.owned):
            # More than the kit can make: its heaviest, with more reps to keep the effort.
            load = ladder.max_kg
            can = norms.reps_at_share((bw + load) / one_rm.kg) - (10 - rpe)
            reps = max(reps, min(int(can), reps + 10))
            capped = True
        elif load == 0 and wanted > 0 and wp.layout.index >= 3:
            # Less than one step in hand: the smallest step from week 3 on (R3) only if the
            # table still allows the range's bottom reps at that load.
            smallest = ladder.floor_kg
            can = norms.reps_at_share((bw + smallest) / one_rm.kg) - (10 - rpe)
            if can >= bottom:
                load = smallest
                reps = max(bottom, min(reps, int(can)))
            else:
                until = bottom + int(10 - rpe)
        top = self._top_reps(wp)
        if top is not None and 0 < load < wanted and not capped:
            # The kit's steps left the load under the target: more reps (up to the top of
            # the phase's range) keep the effort, rather than a lighter set at fewer reps.
            can = norms.reps_at_share((bw + load) / one_rm.kg) - (10 - rpe)
            reps = max(reps, min(int(can), top))
        return load, reps, capped, until

    def _top_reps(self, wp: _WeekPlan) -> int | None:
        """The top of this week's rep range; None while a protocol fixes the reps."""
        if self.protocol is not None and wp.mode in ("achilles", "plantar", "isometric"):
            return None
        phase = wp.dose_phase if wp.dose_phase in self.norms.phases else "maintenance"
        return self.norms.phases[phase].rep_steps[0]

    def _week_reps(self, wp: _WeekPlan, dose: PhaseDose) -> int:
        """This ordinary week's reps: the phase's rep steps spread over its ordinary weeks,
        top of the range first (DOMAIN.md §2.2)."""
        steps = dose.rep_steps
        total = max(1, self._ordinary_in_run.get(wp.layout.index, 1))
        k = min(len(steps) - 1, wp.ordinary_index * len(steps) // total)
        return steps[k]

    def _hold(self, wp: _WeekPlan, ex: Exercise) -> Prescription:
        norms, wl = self.norms, wp.layout
        sets = norms.isometric_sets
        if wl.deload:
            sets = progression.deload_sets(sets, norms)
        if wp.zone == "red":
            sets = progression.red_sets(sets, norms)
        held = wp.held.get(ex.id) if wp.held and wp.zone != "red" else None
        if held is None and wp.held and (wp.zone == "amber" or wp.nothing_new):
            # Amber, and the hold stands in for a raise of the held week: that raise's sets
            # (amber holds volume; the more conservative reading, DOMAIN.md being silent).
            held = max(
                (p for p in wp.held.values() if p.variation == ex.variation),
                key=lambda p: p.sets,
                default=None,
            )
        if held is not None:
            # A held dose holds the holds too (DOMAIN.md §6: amber holds volume; the way back
            # from red brings the sets halfway): never more sets than it held (issue 13: red,
            # red, amber went from 3 holds to 5; one green after red, to 5 rather than 4).
            kept = progression.deload_sets(held.sets, norms) if wl.deload else held.sets
            sets = min(sets, kept)
        why = (
            None
            if not self.provenance
            else Why(
                [
                    Reason(
                        "volume",
                        f"{sets} × {norms.isometric_hold_s} s holds at body weight: the isometric "
                        "dose keeps the tendon loaded without movement.",
                        "R11",
                        "§6",
                        "Rio et al. 2015",
                    )
                ]
            )
        )
        return isometric_hold(ex, sets, norms, self.body_mass, why)

    def _back_on_the_towel(self, held: Prescription, towel: Exercise) -> Prescription:
        """A held dose of the raise that stood in for the towel raise, put back on the towel
        raise. The towel raise is the plantar protocol itself (Rathleff et al. 2015; _fit
        never regresses it but for red pain), so a two-legged raise that stood in while pain
        was red is not held into a week that is not red (R11: a missed-session hold repeated
        a red week's stand-in in a green protocol week). The held sets, reps and external
        load go back on it, as red's stand-in took them ("the same external load", DOMAIN.md
        §6), at most what the kit makes for it."""
        load = held.load_kg or 0.0
        if load > 0:
            ladder = self.chooser.ladder(towel)
            load = 0.0 if ladder is None else min(load, ladder.at_most(load) or 0.0)
        why = None
        if self.provenance:
            # (In place of the stand-in's reasons, which _copy would carry: they name the
            # towel raise as the exercise it replaced.)
            why = Why(
                [
                    Reason(
                        "load",
                        f"{self._named(towel)} again, where a two-legged raise stood in for it "
                        "while pain was red: the plantar heel pain protocol's own exercise, at the "
                        "held sets, reps and external load.",
                        "R11",
                        "§6",
                        "Rathleff et al. 2015",
                    )
                ]
            )
        return msgspec.structs.replace(
            held,
            exercise=towel.id,
            variation=towel.variation,
            per_side=towel.per_side,
            load_kg=load,
            load_x_bodyweight=load_x_bodyweight(load, self.body_mass),
            system_load_kg=system_load(towel, self.body_mass, load),
            why=why,
        )

    def _held_in_place_of(
        self, held: dict[str, Prescription], ex: Exercise, *, unloaded_only: bool = False
    ) -> Prescription | None:
        """The held dose an amber week gives in place of ``ex`` (not in ``held``): the last of
        its variation, unless ``ex`` is a lighter form of one in it (the regression chain of a
        held exercise reaches it), which is no new loading; None then or without one.
        ``unloaded_only``: held doses with an external load do not stand in."""
        chooser, found = self.chooser, None
        for p in held.values():
            if p.variation != ex.variation or (unloaded_only and (p.load_kg or 0) > 0):
                continue
            if any(r.id == ex.id for r in chooser.regressions(chooser.by_id(p.exercise))):
                return None
            found = p
        return found

    def _named(self, ex: Exercise) -> str:
        """``ex``'s name in the notes and reasons: flat-floor for insertional pain."""
        return name_for(ex, self.insertional)

    def _instead(self, option: Exercise, ex: Exercise) -> str:
        return f"{self._named(option)} instead of {self._named(ex)}"

    def _restricted_week(self, wp: _WeekPlan) -> bool:
        """A week under a pain restriction (DOMAIN.md §6): red, or holds and seated raises
        only (red twice in a row, pain > 5 in a protocol)."""
        return wp.zone == "red" or wp.mode in ("isometric", "holds") or wp.profile_zone == "red"

    def _ramp(self, wp: _WeekPlan, ex: Exercise) -> float | None:
        """The share of its target a raise takes this week when it is new after a pain
        restriction (DOMAIN.md §6: half its target, then half the remaining gap each week);
        None otherwise. The share applies to its system load, so it halves the per-calf
        load whatever the exercise's legs."""
        state = self.state
        if ex.variation not in RAISES or ex.isometric:
            return None
        if (
            state.restricted is not None
            and not self._restricted_week(wp)
            and ex.id not in state.restricted
            and ex.id not in state.ramps
        ):
            state.ramps[ex.id] = self.norms.pain_red_share
            state.ramp_causes[ex.id] = "restriction"
        elif ex.id not in state.ramps and self._reenters(wp, ex):
            state.ramps[ex.id] = self.norms.pain_red_share
            state.ramp_causes[ex.id] = "reentry"
        return state.ramps.get(ex.id)

    def _reenters(self, wp: _WeekPlan, ex: Exercise) -> bool:
        """DOMAIN.md §6: a raise the athlete has not done in the last 4 weeks starts at half its
        per-calf target. Read within what the plan knows: a raise entering after the plan's
        first week when neither it nor a form of the same movement (an exercise of its
        regression chain, or one whose chain reaches it: a two-legged raise before its
        single-leg form) was prescribed in the last four weeks. A progression from an easier
        form is earned, not new; the first week of a fresh plan already starts at the top of
        each rep range from the estimates."""
        state, week = self.state, wp.layout.index
        if not state.last_week:
            return False  # the plan's first week
        since = week - self.norms.pain_reentry_weeks
        last_week = state.last_week
        if last_week.get(ex.id, since - 1) >= since:
            return False  # the usual case, done lately itself: its family need not be asked
        # A loaded stand-in is the same movement with other kit (a seated calf machine for
        # a seated barbell raise under the bar's weight): the raise taking its slot back is
        # no re-entry.
        family = [*self.chooser.family_ids(ex.id), *self._stand_ins.get(ex.id, ())]
        return not any(name in last_week and last_week[name] >= since for name in family)

    def _grow_ramps(self) -> None:
        """A week on: each ramping raise closes half its remaining gap; within 1/16 of its
        target (four weeks from half) it is simply dosed as planned."""
        state = self.state
        if not state.ramps:  # most weeks: nothing ramping, nothing to grow
            if state.ramp_causes:
                state.ramp_causes = {}
            return
        grown = {name: share + (1 - share) / 2 for name, share in state.ramps.items()}
        state.ramps = {name: share for name, share in grown.items() if share < 1 - 1 / 16}
        state.ramp_causes = {n: c for n, c in state.ramp_causes.items() if n in state.ramps}

    def _note_restriction(self, restricted: bool, raises: set[str]) -> None:
        """Remember the raises of a run of restricted weeks; a free week ends the run (the
        raises new in it have started their ramps)."""
        state = self.state
        if restricted:
            state.restricted = (state.restricted or set()) | raises
            state.ramps = {n: r for n, r in state.ramps.items() if n not in raises}
        else:
            state.restricted = None

    def _protocol_moved(self, week_index: int) -> Reason | None:
        """Why a check-in repeated this protocol week or let amber advance it (§6), for
        ``explain``; None where the protocol simply went on."""
        place = self._protocol_places.get(week_index)
        if place is None or place.why is None:
            return None
        return Reason(
            "volume",
            f"Week {place.number} of the heavy slow resistance protocol: {place.why}.",
            "R11",
            "§6",
            "Beyer et al. 2015; Silbernagel et al. 2007",
        )

    def _copy(self, held: Prescription, ex: Exercise, deload: bool, why: str) -> Prescription:
        self.state.week_loads[ex.id] = held.load_kg or 0.0
        reasons: list[Reason] = []
        if self.provenance:  # (the reasons only where someone will read them)
            words = self._held_load_words(ex, held.load_kg)
            text = f"{_DELOAD_WORDS if why == 'deload' else _HELD_WORDS}: {words}."
            reasons.append(Reason("load", text, "R10" if why == "deload" else "R11", "§2.2"))
            if held.why is not None:
                # Its load reasons, but not its rounding nor its own holding: the held dose
                # may not be the load that was rounded (the way back from red holds half-way
                # loads), and the load is said above (a trial's explain read "Rounded down to
                # 27.5 kg" beside 20).
                reasons += [
                    r
                    for r in held.why.reasons
                    if r.about == "load"
                    and not r.text.startswith((*_ROUNDING_WORDS, _HELD_WORDS, _DELOAD_WORDS))
                ]
        return Prescription(
            held.exercise,
            held.variation,
            progression.deload_sets(held.sets, self.norms) if deload else held.sets,
            held.reps,
            held.per_side,
            held.load_kg,
            held.load_x_bodyweight,
            held.rpe,
            held.tempo,
            held.rest_s,
            held.contacts,
            held.hold_s,
            system_load(ex, self.body_mass, held.load_kg or 0.0),
            Why(reasons) if self.provenance else None,
        )

    def _held_load_words(self, ex: Exercise, load: float | None) -> str:
        """A held dose's load in words: "2 × 8 kg" for a pair, "body weight" for none."""
        if not load:
            return "body weight"
        ladder = self.chooser.ladder(ex)
        return _load_words(load, ladder) if ladder is not None else format_weight(load, self.units)

    def _taper(self, wp: _WeekPlan, ex: Exercise) -> Prescription:
        norms = self.norms
        last = self.state.last_ordinary.get(ex.id)
        reasons = [
            Reason(
                "volume",
                "Taper: half the sets of the last ordinary week at the same load.",
                None,
                "§2",
                "Bosquet et al. 2007",
            )
        ]
        if last is None:
            # No ordinary week before (a race very close to the start): halve what a
            # maintenance week would hold (DOMAIN.md §2).
            dose = norms.phases["maintenance"]
            reps = dose.rep_steps[0]
            chosen, target, _, _ = self._fit(ex, norms.working_share(reps, dose.rpe), False)
            ladder = self.chooser.ladder(chosen)
            load = 0.0
            if target is not None and ladder is not None:
                wanted = max(0.0, target - body_part_kg(chosen, self.body_mass))
                load = ladder.at_most(wanted) or 0.0
                previous = self.state.prev_loads.get(chosen.id)
                if previous is not None:
                    load = min(load, previous)  # a taper never raises a load (R10)
            sets = dose.sets[self.experience]
            reps = reps if load > 0 else dose.bodyweight_reps
            if self.provenance:
                reasons = [self._taper_from_maintenance(ex, chosen, sets, reps, load)]
            ex = chosen
        else:
            load, sets, reps = last.load_kg or 0.0, last.sets, last.reps
            previous = self.state.prev_loads.get(ex.id)
            if previous is not None and previous < load:
                # A taper never raises a load (R10): where the week before went lower than
                # the last ordinary week (issue 13: a red check-in halved a taper week from
                # 100 to 50 kg, and after an amber one the next taper week went back to 100),
                # the lower load stands, the more conservative reading of "the same load".
                load = previous
        self.state.week_loads[ex.id] = load
        return Prescription(
            ex.id,
            ex.variation,
            progression.taper_sets(sets, norms),
            reps,
            ex.per_side,
            load,
            load_x_bodyweight(load, self.body_mass),
            norms.taper_rpe,
            norms.taper_tempo,
            norms.taper_rest_s,
            None,
            None,
            system_load(ex, self.body_mass, load),
            Why(reasons) if self.provenance else None,
        )

    def _taper_from_maintenance(
        self, ex: Exercise, chosen: Exercise, sets: int, reps: int, load: float
    ) -> Reason:
        """Why a taper dose with no ordinary week of its exercise before it is what it is
        (DOMAIN.md §2: half what a maintenance week would hold), for ``explain``: "half the
        sets of the last ordinary week" named a week the plan does not have (review 13)."""
        if not self.state.last_ordinary:
            before = "No ordinary week comes before this taper (the race is close to the start)"
        else:
            before = f"{self._named(ex)} was not in the last ordinary week"
        held = progression.taper_sets(sets, self.norms)
        where = (
            "at body weight"
            if not load
            else f"at a maintenance week's load, {self._held_load_words(chosen, load)}"
        )
        text = (
            f"{before}: the taper halves what a maintenance week would hold, {sets} × {reps}, "
            f"to {held} set{'s' if held != 1 else ''} (rounded up), {where}."
        )
        return Reason("volume", text, None, "§2", "Bosquet et al. 2007")

    def _plyo(self, wp: _WeekPlan, ordinal: int, contacts: int) -> Prescription | None:
        if contacts <= 0:
            return None
        phase = wp.dose_phase if wp.dose_phase in self.norms.phases else "maintenance"
        if wp.layout.phase == "recovery":
            phase = "recovery"
        pool = self._plyo_pools.get(phase)
        if pool is None:
            pool = self._plyo_pools[phase] = self.chooser.candidates(PL, phase)[:2]
        ex = pool[ordinal % len(pool)]
        per_side = ex.per_side  # (a pydantic model's attribute: read once)
        split = self._splits.get((contacts, per_side))
        if split is None:
            split = self._splits[(contacts, per_side)] = progression.split_contacts(
                contacts, per_side, self.norms
            )
        sets, reps, total = split
        if total == 0:
            return None
        why = None
        if self.provenance and wp.layout.phase == "taper":
            # The taper's own rule, not the cap of the phase it doses from ("within the
            # power cap of 120", physio review B8).
            share = self.norms.taper_contact_share
            of_what = "the last ordinary week's contacts"
            if not self.state.last_ordinary:
                # _plyo_per_session: a maintenance week's first contacts (review 13).
                cap = self.norms.phases["maintenance"].plyo_cap[self.experience]
                of_what = (
                    "what a maintenance week starting plyometrics would hold (half its cap "
                    f"of {cap} a session): no ordinary week comes before this taper"
                )
            why = Why(
                [
                    Reason(
                        "volume",
                        f"{total} foot contacts: a taper week holds at most "
                        f"{share * 100:g} % of {of_what}.",
                        "R6",
                        "§2",
                        None,
                    )
                ]
            )
        elif self.provenance and self._contact_cap is not None and self._contacts_back():
            why = Why(self._contacts_back_reasons(total, phase))
        elif self.provenance:
            why = Why(
                [
                    Reason(
                        "volume",
                        f"{total} foot contacts: within the {phase} cap of "
                        f"{self.norms.phases[phase].plyo_cap[self.experience]} a session "
                        f"for {self.experience} runners, at most +20 % a week (from none: "
                        "half the cap).",
                        "R6",
                        "§2.2",
                        "NSCA",
                    )
                ]
            )
        return Prescription(
            ex.id,
            ex.variation,
            sets,
            reps,
            per_side,
            None,
            None,
            None,
            None,
            self.norms.plyo_rest_s,
            total,
            None,
            None,
            why,
        )

    def _contacts_back(self) -> tuple[date, date, int] | None:
        """Plyometrics on their way back after red (Adjustments.contacts_back), else None."""
        return None if self.adjustments is None else self.adjustments.contacts_back

    def _contacts_back_reasons(self, total: int, phase: str) -> list[Reason]:
        """Why a plyometric on its way back after red has ``total`` contacts (DOMAIN.md §6):
        not the phase's progression from none (review 13: "12 foot contacts: within the
        strength cap" where the week before the flare held 27 a session)."""
        back = self._contacts_back()
        assert back is not None
        red, green, pre = back
        cap = self.norms.phases[phase].plyo_cap[self.experience]
        return [
            Reason(
                "volume",
                f"{total} foot contacts: the way back after pain was red at the check-in of "
                f"{red}. Since the green check-in of {green}, plyometrics come back at half "
                f"the pre-flare weekly contacts ({pre} a week), then grow at most 20 % a "
                f"week, never above {pre} until a week has reached it.",
                "R11",
                "§6",
                "Silbernagel et al. 2007",
            ),
            Reason(
                "volume",
                f"Within the {phase} cap of {cap} a session for {self.experience} runners.",
                "R6",
                "§2",
                "NSCA",
            ),
        ]

    # ------------------------------------------------------------------ primers

    def _primers(self, wp: _WeekPlan, days: list[Day]) -> None:
        norms, wl = self.norms, wp.layout
        if wl.phase in ORDINARY_PHASES:
            targets = [
                day for day in days if day.run in ("easy", "long", "workout") and not day.sessions
            ]
        elif wl.phase == "race":
            race = self.profile.goal.race_date
            early = [
                day
                for day in days
                if day.run in ("easy", "long", "workout")
                and race is not None
                and (race - day.date).days >= norms.race_primer_days_before_min
            ]
            targets = early[:1]
        else:
            targets = []
        if not targets:
            return
        # The week's primer, asked once; each day gets its own copies (a later change to one
        # day's prescription must not reach the others), made from the kept fields.
        made = self._primer_fields(wp)
        for day in targets:
            # (starmap: no comprehension frame made for each of a third of the plans' days.)
            primers = list(starmap(Prescription, made))
            if self.provenance:
                day_key = (day.weekday, day.run, wl.phase, wl.deload)
                day_reason = self._primer_days.get(day_key)
                if day_reason is None:
                    day_reason = self._primer_days[day_key] = self._primer_day_reason(day, wl)
                for p in primers:
                    # (The exercise and its sets fix the rest of a primer's dose.)
                    key = (p.exercise, p.sets, wp.mode == "strain1", wp.zone == "red")
                    reasons = self._primer_why.get(key)
                    if reasons is None:
                        reasons = self._primer_why[key] = self._primer_reasons(wp, p)
                    p.why = Why([*reasons, day_reason])
            day.sessions.append(Session("primer", primers))

    def _primer_reasons(self, wp: _WeekPlan, p: Prescription) -> list[Reason]:
        """Why a primer exercise is what it is (DOMAIN.md §3, R12; §7: every prescription
        says why), but for its day: the exercise, its sets and reps or holds, RPE, tempo
        and rest, and the pain or calf-strain step that chose holds or two-legged raises."""
        norms = self.norms
        ex = self.chooser.by_id(p.exercise)
        muscle = {SL: "gastrocnemius (knee straight)", BK: "soleus (knee bent)"}.get(
            p.variation, "calf"
        )
        reasons = [
            Reason(
                "choice",
                f"Primer: {self._named(ex)} keeps the {muscle} working on a run day without a "
                "strength session (your profile asks for calf work in every session). A primer "
                "holds raises or holds only, never plyometrics (they belong to strength "
                "sessions), and does not count as a strength session.",
                "R12",
                "§3",
            )
        ]
        if wp.mode == "strain1":
            reasons.append(
                Reason(
                    "choice",
                    "Calf strain, first step: two-legged raises and holds at body weight only, "
                    "so the primer is one of them.",
                    "R11",
                    "§6",
                    "Green et al. 2022",
                )
            )
        elif p.hold_s is not None:
            reasons.append(
                Reason(
                    "choice",
                    "While pain keeps the calf work to isometric holds and seated raises (§6), "
                    "the primer is a hold too.",
                    "R11",
                    "§6",
                    "Silbernagel et al. 2007",
                )
            )
        what = f"{p.sets} × {p.hold_s} s holds" if p.hold_s is not None else f"{p.sets} × {p.reps}"
        if p.rpe is not None:
            what += f" at RPE {p.rpe:g}"
        reasons.append(
            Reason(
                "volume",
                f"{what}, body weight: a primer is light, at most {norms.primer_max_sets} sets "
                f"of each of {norms.primer_max_exercises} exercises and "
                f"{norms.primer_max_seconds // 60} minutes in all "
                f"({norms.primer_seconds_per_set} s a set plus its rest).",
                "R12",
                "§3",
            )
        )
        if wp.zone == "red":
            reasons.append(
                Reason(
                    "volume",
                    "Pain is red: half the primer's sets.",
                    "R11",
                    "§6",
                    "Silbernagel et al. 2007",
                )
            )
        rest = (
            f"Rest {p.rest_s} s between holds."
            if p.tempo is None
            else f"{p.tempo}, rest {p.rest_s} s: to wake the calf up, not to tire it."
        )
        reasons.append(Reason("tempo" if p.tempo else "rest", rest, "R12", "§3"))
        return reasons

    def _primer_day_reason(self, day: Day, wl: WeekLayout) -> Reason:
        """Why a primer is on ``day`` (DOMAIN.md §3, R12)."""
        run = {"easy": "an easy run day", "workout": "a workout day", "long": "your long-run day"}
        what = run.get(day.run, f"a {day.run} day")
        if wl.phase == "race":
            days = self.norms.race_primer_days_before_min
            text = (
                f"{day.weekday.title()}: {what}. Race week holds no strength session; its one "
                f"primer goes early in the week, at least {days} days before the race (§3)."
            )
        else:
            week = f"{wl.phase} {'deload ' if wl.deload else ''}week"
            text = (
                f"{day.weekday.title()}: {what} without a strength session; in a {week} every "
                "such run day gets a primer (§3)."
            )
        return Reason("day", text, "R12", "§3")

    def _primer_fields(self, wp: _WeekPlan) -> list[tuple[Any, ...]]:
        """The fields of the week's primer prescriptions (the arguments of each one's
        ``Prescription``)."""
        if (wp.mode == "achilles" and wp.profile_zone == "red") or wp.mode in (
            "isometric",
            "holds",
        ):
            # (Red twice in a row: primers too are holds only, DOMAIN.md §6.)
            ids = HOLDS_PRIMER
        else:
            # Two-legged raises at body weight: "body weight or light load" (§3). Body weight
            # on one calf is about a 13- to 19-rep maximum by §2.1's estimates, so 15 single-leg
            # reps were near-maximal, not RPE 5 (a physio's review), and a set a side doubled
            # the minutes; on two calves it is about a 20-rep maximum, where 15 reps are RPE 5.
            ids = ("double-leg-calf-raise", "wall-sit-calf-raise")
        red = wp.zone == "red"
        # The same few primers recur all plan long: dosed once (a third of the plans hold a
        # primer most days).
        key = (ids, red)
        made = self._primer_memo.get(key)
        if made is None:
            made = self._primer_memo[key] = [_fields(p) for p in self._dose_primers(ids, red)]
        return made

    def _dose_primers(self, ids: tuple[str, str], red: bool) -> list[Prescription]:
        norms = self.norms
        sets = norms.primer_max_sets
        if red:
            sets = progression.red_sets(sets, norms)
        out = []
        for exercise_id in ids[: norms.primer_max_exercises]:
            ex = self.chooser.by_id(exercise_id)
            reps = 1 if ex.isometric else self._primer_reps(ex)
            out.append(primer_prescription(ex, sets, reps, norms, self.body_mass))
        return out

    def _primer_reps(self, ex: Exercise) -> int:
        """A primer raise's reps: the norms' count, or fewer where the %1RM table puts body
        weight closer to the calf's maximum than the primer's RPE allows (§2.1, §2)."""
        norms = self.norms
        one_rm = self.chooser.one_rm(ex) or self.chooser.bodyweight_one_rm(ex)
        if one_rm is None:
            return norms.primer_reps
        body = body_part_kg(ex, self.body_mass)
        can = norms.reps_at_share(body / one_rm.kg) - (10 - norms.primer_rpe)
        return max(1, min(norms.primer_reps, round(can)))

    # ------------------------------------------------------------------ warnings

    def _unloaded_why(self, wp: _WeekPlan, unloaded: list[str]) -> str:
        """Why R3's raises ``unloaded`` are at body weight this week (its warning's reason)."""
        until = {e: self._bodyweight_until[e] for e in unloaded if e in self._bodyweight_until}
        ramping = {e for e in unloaded if e in self.state.ramps}
        if wp.zone == "red":
            return "pain was red at the last check-in, so the load comes off this week"
        if ramping and ramping == set(unloaded):
            return (
                "new after a pain restriction, it starts at half its target and closes "
                "half the gap each week (§6)"
            )
        if until and len(until) == len(unloaded):
            return "; ".join(
                f"{self._named(self.chooser.by_id(e))} stays at body weight until you can do "
                f"{n} reps (§2.1), then the log adds the first step"
                for e, n in until.items()
            )
        too_heavy = [self._too_heavy[e] for e in unloaded if e in self._too_heavy]
        if too_heavy and len(too_heavy) == len(unloaded):
            # The loadable raise is in the kit, but body weight alone is above its target
            # (DOMAIN.md §2.1: the regression); the week's target rises through the build.
            return (
                "; ".join(why.rstrip(".") for why in too_heavy)
                + " (§2.1: never a set you cannot complete; the loaded raise comes back once "
                "its target passes body weight)"
            )
        if self._kit_words is None:
            self._kit_words = ", ".join(sorted(self.equipment))
        return (
            f"no exercise of that variation can be loaded with your equipment "
            f"({self._kit_words}). {self._what_would_load(unloaded)}"
        )

    def _what_would_load(self, unloaded: list[str]) -> str:
        """The advice of R3's warning: the pieces of kit that, added one alone, would make a
        loaded raise of the same variation possible, from the catalog's needs. (The advice
        once named a bench, a step or dumbbells whatever the athlete had: runners who owned
        them were told to get them.) The same for every week with raises of those variations
        unloaded: worked out once a plan for each (a walk of the whole catalog)."""
        variations = frozenset(self.chooser.by_id(e).variation for e in unloaded)
        found = self._load_advice.get(variations)
        if found is None:
            found = self._load_advice[variations] = self._load_advice_for(variations)
        return found

    def _load_advice_for(self, variations: frozenset[str]) -> str:
        """:meth:`_what_would_load` for raises of ``variations``."""
        owned = frozenset(self.equipment)
        items: set[str] = set()
        for ex in self.catalog:
            if (
                ex.variation not in variations
                or not ex.loadable
                or ex.isometric
                or not ex.level_fits(self.experience)
            ):
                continue
            unmet = [need for need in ex.equipment if owned.isdisjoint(need)]
            if len(unmet) == 1:
                items.update(unmet[0])
        if not items:
            return "More equipment would let the raises carry load"
        names = [item.replace("_", " ") for item in sorted(items)]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        return f"Adding {listed} would let them carry load"

    def _capped_warnings(self, wl: WeekLayout) -> None:
        """A note for each raise this week capped at the kit's heaviest load."""
        texts = self._capped_texts
        for exercise_id in sorted(self._capped):
            text = texts.get(exercise_id)
            if text is None:
                text = texts[exercise_id] = self._capped_text(exercise_id)
            self.warnings.append(PlanWarning(None, wl.index, None, text))

    def _capped_text(self, exercise_id: str) -> str:
        """:meth:`_capped_warnings`' note for one raise: it reads only the exercise and the
        kit, so a raise capped week after week is worded once a plan."""
        ex = self.chooser.by_id(exercise_id)
        source = self.chooser.source(ex)
        if source is None:
            # A body-weight raise above its target (DOMAIN.md §2.1): name the kit that
            # would load a raise of its variation.
            advice = self._what_would_load([exercise_id]).replace("let them", "let it")
            return (
                f"{self._named(ex)}: body weight is the most your kit puts on it, so more reps "
                f"keep the effort. {advice}."
            )
        return (
            f"{self._named(ex)} is capped at the heaviest load your kit makes, with more reps "
            f"to keep the effort: {_heavier_kit(source.name)} would let it progress."
        )

    def _no_plyometrics_note(self, wp: _WeekPlan) -> str | None:
        """Why an ordinary week holds no plyometrics (R2's warning), or None."""
        if self.withheld is not None:
            return (
                f"Plyometrics withheld: {self.withheld.reason}. They come back after "
                f"{self.withheld.criterion}."
            )
        if wp.zone == "red":
            return "Plyometrics withheld while pain is red."
        if wp.zone == "amber":
            return "Plyometrics stay out while pain is amber: no plyometric progression."
        if wp.mode in ("strain1", "strain2", "holds"):
            return "Plyometrics withheld in the calf strain's body-weight steps."
        return None

    def _week_warnings(self, wp: _WeekPlan, week: Week, strength: list[Prescription]) -> None:
        """The week's warnings; ``strength``: its strength sessions' prescriptions."""
        wl = wp.layout
        if wl.phase not in ORDINARY_PHASES:
            return
        # Without plyometrics, R2's note says why (most weeks hold them, or nothing holds
        # them back: the week's prescriptions are not walked for it).
        holding_back = (
            self.withheld is not None
            or wp.zone in ("red", "amber")
            or wp.mode in ("strain1", "strain2", "holds")
        )
        if holding_back:
            # (A loop, not all() over a generator: asked in every week that holds them back.)
            for p in strength:
                if p.variation == PL:
                    break
            else:
                note = self._no_plyometrics_note(wp)
                if note is not None:
                    self.warnings.append(PlanWarning("R2", wl.index, None, note))
        # R3 itself excuses the profile's red weeks; red from a check-in needs the warning.
        profile_red = wp.profile_zone == "red"  # (the week's _profile_zone)
        if (
            self.has_loadable
            and wl.index >= 3
            and not profile_red
            and wp.mode not in ("strain1", "strain2", "holds")
        ):
            unloaded = sorted(
                {p.exercise for p in strength if p.variation in RAISES and not p.load_kg}
            )
            if unloaded:  # (most weeks: every raise loaded, nothing to say)
                why = self._unloaded_why(wp, unloaded)
                self.warnings.append(
                    PlanWarning(
                        "R3", wl.index, None, f"{', '.join(unloaded)} at body weight: {why}."
                    )
                )
        if self._capped:
            self._capped_warnings(wl)
        wanted = self._sessions_wanted
        if wanted != self._sessions_asked:
            self.warnings.append(
                PlanWarning(
                    "R8",
                    wl.index,
                    None,
                    f"The {self.condition.replace('_', ' ')} protocol runs {wanted} sessions a "
                    f"week (your profile asks for {self._sessions_asked}).",
                )
            )


@lru_cache(maxsize=1024)
def _protocol_choice(
    clean: tuple[int, ...],
    wider: tuple[int, ...],
    chosen: tuple[int, ...],
    wanted: int,
    preferred: tuple[int, ...],
    prev_offset: int | None,
) -> list[int]:
    """The protocol's session days (_Planner._protocol_days): the first of these with enough
    days, else the one with most: steady spaced days among ``clean``, then among ``wider``
    (long days too), ``chosen`` (the usual choice), spaced days among ``wider``. Pure, and the
    same every week of a steady running week: kept (callers never change it)."""
    options = [
        choose_days(clean, wanted, preferred, prev_offset, True, steady=True),
        choose_days(wider, wanted, preferred, prev_offset, True, steady=True),
        list(chosen),
        choose_days(wider, wanted, preferred, prev_offset, True),
    ]
    return next((o for o in options if len(o) >= wanted), max(options, key=len))


def _isometric_mode(mode: str) -> str:
    """The mode of a week while red stands at two check-ins in a row (DOMAIN.md §6: "isometric
    holds and seated raises only"): ``isometric``, or ``holds`` in a calf strain's body-weight
    steps, whose raises carry no load before the loaded step: there the bent-knee slot takes
    the seated isometric hold rather than a loaded seated raise (the conservative reading)."""
    return "holds" if mode in ("strain1", "strain2") else "isometric"


def _needs(wl: WeekLayout, sessions: int) -> str:
    """What asks for a week's sessions: the protocol in its own weeks; in a taper or recovery
    week, which pause or reduce it (§6), the week itself (a physio's review read "the protocol
    needs 2 sessions" in a recovery week)."""
    if wl.phase in ORDINARY_PHASES:
        return f"the protocol needs {sessions} sessions a week"
    return f"this {wl.phase} week keeps {sessions} sessions"


def _and_list(names: list[str]) -> str:
    """ "Monday", "Monday and Wednesday", "Monday, Wednesday and Saturday"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@lru_cache(maxsize=1024)
def _moved_text(
    weekday: int, moved_to: tuple[int, ...], chosen: tuple[int, ...], problem: str | None
) -> str:
    """R5's note that a preferred day's session moved (the same most weeks of a plan):
    ``moved_to`` the week's days that are not preferred ones, ``chosen`` all its days."""
    reason = _plain_reason(problem, weekday) or "sessions need a day between them"
    day = WEEKDAYS[weekday].title()
    if len(moved_to) == 1:
        return f"{day}'s session moved to {WEEKDAYS[moved_to[0]].title()}: {reason}."
    # One session does not move to three days (a physio's review read "Monday's session moved
    # to Tuesday, Thursday and Sunday"): where the week's sessions are, all of them (a trial
    # read "on Tuesday and Sunday" of a week whose Thursday, a preferred day, had one too).
    names = _and_list([WEEKDAYS[n].title() for n in sorted(chosen)])
    return f"{day}'s session moved: {reason}; the week's sessions are on {names}."


def _plain_reason(problem: str | None, weekday: int) -> str | None:
    """§3's objection in words that name the day: "the next day is a workout day" on a
    Monday reads "Monday is the day before Tuesday's workout" (R5 forbids the day before;
    "Tuesday is a workout day" read as if the workout day were the problem: issue 13, physio
    review W4)."""
    if problem is None:
        return None
    day = WEEKDAYS[weekday].title()
    following = WEEKDAYS[(weekday + 1) % 7].title()
    if problem == "the next day is race day":
        return f"{day} is the day before race day"
    if problem.startswith("the next day is a ") and problem.endswith(" day"):
        run = problem.removeprefix("the next day is a ").removesuffix(" day")
        run = "long run" if run == "long" else run
        return f"{day} is the day before {following}'s {run}"
    if problem == "it is the long-run day":
        return f"{WEEKDAYS[weekday].title()} is your long-run day"
    return problem


def _clone(p: Prescription, why: Why | None = None) -> Prescription:
    """A copy of ``p`` with ``why``: a second session's dose, a recurring primer."""
    return msgspec.structs.replace(p, why=why)


def _fields(p: Prescription) -> tuple[Any, ...]:
    """``p``'s dose fields in ``Prescription``'s order, its ``why`` left out (see _clone)."""
    return (
        p.exercise,
        p.variation,
        p.sets,
        p.reps,
        p.per_side,
        p.load_kg,
        p.load_x_bodyweight,
        p.rpe,
        p.tempo,
        p.rest_s,
        p.contacts,
        p.hold_s,
        p.system_load_kg,
    )


def _apart(a: float, b: float, units: str) -> tuple[str, str]:
    """Two weights in words, with a decimal where whole units would show them equal (61.9 kg
    is not "more than" 62 kg to a reader)."""
    first, second = format_weight(a, units, 0), format_weight(b, units, 0)
    if first == second:
        first, second = format_weight(a, units, 1), format_weight(b, units, 1)
    return first, second


def _heavier_kit(via: str) -> str:
    """The next piece of kit for a raise loaded by the load source ``via`` (the athlete's own,
    not the catalog's first: a kettlebell owner was told of dumbbells)."""
    return {
        "dumbbell": "a heavier dumbbell",
        "dumbbell_pair": "a heavier pair of dumbbells",
        "kettlebell": "a heavier kettlebell",
        "backpack": "a backpack that takes more",
        "plates": "more plates",
        "barbell": "more plates",
        "smith_machine": "more plates",
    }.get(via, "heavier equipment")


def _ordinary_weeks_in_runs(weeks: Sequence[WeekLayout]) -> dict[int, int]:
    """For each week, the number of ordinary (not deload) weeks in its run of one phase."""
    out: dict[int, int] = {}
    run: list[WeekLayout] = []
    ends: list[WeekLayout | None] = [*weeks, None]
    for wl in ends:
        if run and (wl is None or wl.phase != run[-1].phase):
            count = sum(1 for w in run if not w.deload)
            for w in run:
                out[w.index] = count
            run = []
        if wl is not None:
            run.append(wl)
    return out


def _one_step_above(ladder: LoadLadder, body_kg: float, previous: float, norms: Norms) -> float:
    """The heaviest load the kit makes within one week's growth on ``previous`` (DOMAIN.md §4,
    R10); 0 when it makes none."""
    allowed = max_weekly_growth(body_kg + previous, ladder.gap_above(previous), norms)
    return ladder.at_most(previous + allowed) or 0.0
