"""What the athlete's log, check-ins and tests change in the weeks ahead (issue #4; DOMAIN.md
§4, §6). Pure: a plan and the history in, :class:`Adjustments` out; ``planner.replan`` applies
them to the weeks from ``from_week`` on, and the weeks before stay exactly as they were.

- Double progression, per exercise, from its last logged session: every prescribed set done
  at the prescribed reps or more, at or under the target RPE, lets the plan progress; reps
  missed by more than 2 in a set or an RPE of 9.5 or more holds the load, and a second such
  session in a row lowers it by 10 % (the conservative end of DOMAIN's 5–10 %); anything in
  between holds it. (ACSM 2009: load +2–10 % once the reps are there.)
- Pain (Silbernagel et al. 2007), from the last check-in: amber holds the last week's dose; red
  — pain above 5, next-morning pain higher than at the check-in before — halves load and
  volume and withholds plyometrics until a green check-in; red twice in a row adds the advice
  to see a clinician.
- Missed sessions: a week with a planned session missed repeats its dose; two weeks with none
  done step back to the dose of the week before them.
- Assessments: the newest heel-raise test and seated 1RM replace the profile's, so loads are
  re-estimated and withheld plyometrics come back once the §6 criterion is met.

The week holding "today" stays as planned (its first days are past and a week's rules hold
for whole weeks); re-planning starts the Monday after.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from calfcoach.core import log_progression
from calfcoach.core.catalog import Catalog
from calfcoach.core.conditions import PainZone, Withheld, pain_zone
from calfcoach.core.dosing import load_source, load_x_bodyweight, round_down
from calfcoach.core.log import Assessment, CheckIn, SetEntry
from calfcoach.core.log_progression import LoggedOneRm
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Plan, PlanWarning, Prescription, Week
from calfcoach.core.profile import Assessments, HeelRaiseReps, Profile
from calfcoach.core.progression import red_sets
from calfcoach.core.running_load import RunningHistory


@dataclass(frozen=True, slots=True)
class Adjustments:
    from_week: int  # the first re-planned week (1-based)
    zone: PainZone = "green"  # the pain zone the first re-planned week is dosed in
    held: dict[str, Prescription] | None = None  # a dose to repeat, by exercise
    held_contacts: int | None = None
    caps: dict[str, float] = field(default_factory=dict)  # loads not to exceed next week
    withheld: Withheld | None = None  # plyometrics out until the criterion is met
    notes: tuple[PlanWarning, ...] = ()
    # For the explanations (DOMAIN.md §7): the day the history was read, and what moved the
    # doses: (cause, date, rule, text), cause one of log | checkin | assessment | missed | import.
    decided: date | None = None
    causes: tuple[tuple[str, date, str | None, str], ...] = ()
    # From the log (core.log_progression): reps to take off next week, and 1RMs it raised.
    fewer_reps: dict[str, int] = field(default_factory=dict)
    one_rms: dict[str, LoggedOneRm] = field(default_factory=dict)


def profile_with_assessments(profile: Profile, tests: list[Assessment]) -> Profile:
    """The profile with its assessments replaced by the newest stored tests."""
    heel = [a for a in tests if a.kind == "heel_raise"]
    seated = [a for a in tests if a.kind == "seated_1rm" and a.value_kg]
    if not heel and not seated:
        return profile
    current = profile.assessments
    reps = current.single_leg_heel_raise_reps
    if heel:
        last = max(heel, key=lambda a: (a.day, a.id or 0))
        reps = HeelRaiseReps(left=last.left_reps or 0, right=last.right_reps or 0)
    one_rm = current.seated_calf_raise_1rm_kg
    if seated:
        one_rm = max(seated, key=lambda a: (a.day, a.id or 0)).value_kg
    updated = Assessments(single_leg_heel_raise_reps=reps, seated_calf_raise_1rm_kg=one_rm)
    return profile.model_copy(update={"assessments": updated})


def first_replanned_week(plan: Plan, today: date) -> int | None:
    """The index of the week starting the Monday after ``today``; None past the plan's end."""
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    for week in plan.weeks:
        if week.start == monday:
            return week.index
    return 1 if monday <= plan.start else None


def _strength(week: Week) -> list[tuple[date, Prescription]]:
    return [
        (day.date, p)
        for day in week.days
        for s in day.sessions
        if s.kind == "strength"
        for p in s.exercises
    ]


def _dose(week: Week) -> tuple[dict[str, Prescription], int]:
    dose = {p.exercise: p for _, p in _strength(week)}
    contacts = sum(p.contacts or 0 for _, p in _strength(week) if p.variation == "plyometric")
    return dose, contacts


def adjustments_from_history(
    plan: Plan,
    profile: Profile,
    sets: list[SetEntry],
    checkins: list[CheckIn],
    today: date,
    catalog: Catalog,
    norms: Norms,
    running: RunningHistory | None = None,
) -> Adjustments | None:
    """What the history changes from the week after ``today``; None when no week is left.

    ``running``: a jump in running load holds plyometric progression (core.running_load)."""
    from_week = first_replanned_week(plan, today)
    if from_week is None:
        return None
    past = plan.weeks[: from_week - 1]
    notes: list[PlanWarning] = []
    zone, withheld = _pain(checkins, today, from_week, norms, notes)
    held, held_contacts = _missed(past, sets, from_week, notes)
    if zone == "amber" and held is None and past:
        held, held_contacts = _dose(past[-1])
    logged = log_progression.decide(past, sets, profile, catalog, norms)
    caps = logged.caps
    if running is not None and running.load_jump and held_contacts is None and past:
        held_contacts = _dose(past[-1])[1] or None
        notes.append(
            PlanWarning(
                None,
                from_week,
                None,
                f"Running jumped to {running.last_week_km:g} km last week from about "
                f"{running.baseline_km:g} km: plyometric contacts are held this week, since "
                "the extra running already adds thousands of ground contacts.",
            )
        )
    return Adjustments(
        from_week,
        zone,
        held,
        held_contacts,
        caps,
        withheld,
        tuple(notes),
        today,
        _causes(notes, checkins, sets, today, caps),
        logged.fewer_reps,
        logged.one_rms,
    )


def _causes(
    notes: list[PlanWarning],
    checkins: list[CheckIn],
    sets: list[SetEntry],
    today: date,
    caps: dict[str, float],
) -> tuple[tuple[str, date, str | None, str], ...]:
    """What moved the doses, each with its date and rule, for ``explain``."""
    out: list[tuple[str, date, str | None, str]] = []
    last_checkin = max((c.day for c in checkins if c.day <= today), default=None)
    for note in notes:
        text = note.message
        if "check-in" in text and last_checkin is not None:
            out.append(("checkin", last_checkin, note.rule, text))
        elif "Running jumped" in text:
            out.append(("import", today, note.rule, text))
        elif "logged" in text or "missed" in text or "nothing" in text:
            out.append(("missed", today, note.rule, text))
    if caps:
        last_log = max((e.day for e in sets if e.day <= today), default=today)
        out.append(
            (
                "log",
                last_log,
                "R10",
                "Your logged sets held or lowered the load (double progression, ACSM 2009).",
            )
        )
    # Pain outranks the log: a check-in's change is the one a runner needs to see first.
    order = {"checkin": 0, "log": 1, "missed": 2, "assessment": 3, "import": 4}
    return tuple(sorted(out, key=lambda c: order.get(c[0], 9)))


def _pain(
    checkins: list[CheckIn],
    today: date,
    from_week: int,
    norms: Norms,
    notes: list[PlanWarning],
) -> tuple[PainZone, Withheld | None]:
    history = sorted((c for c in checkins if c.day <= today), key=lambda c: c.day)
    if not history:
        return "green", None
    zones: list[PainZone] = []
    previous: CheckIn | None = None
    for c in history:
        worst = max(c.pain_during, c.pain_next_morning or 0)
        zone = pain_zone(worst, norms)
        rising = (
            previous is not None
            and c.pain_next_morning is not None
            and previous.pain_next_morning is not None
            and c.pain_next_morning > previous.pain_next_morning
        )
        zones.append("red" if rising else zone)
        previous = c
    last = zones[-1]
    last_green = max((n for n, z in enumerate(zones) if z == "green"), default=-1)
    since_green = zones[last_green + 1 :]
    withheld = None
    if "red" in since_green:
        withheld = Withheld(
            "plyometric",
            "a red pain check-in",
            f"a check-in with pain ≤ {norms.pain_green_max}/10",
        )
    if last == "red":
        notes.append(
            PlanWarning(
                "R11",
                from_week,
                None,
                f"Pain was red at the last check-in ({history[-1].day}): this week halves load "
                "and volume and leaves plyometrics out.",
            )
        )
        if len(zones) >= 2 and zones[-2] == "red":
            notes.append(
                PlanWarning(
                    "R11",
                    from_week,
                    None,
                    "Red pain at two check-ins in a row: see a physiotherapist or doctor.",
                )
            )
    elif last == "amber":
        notes.append(
            PlanWarning(
                "R11",
                from_week,
                None,
                f"Pain was amber at the last check-in ({history[-1].day}): last week's loads "
                "and volume are held, nothing new added.",
            )
        )
    return last, withheld


def _done_days(week: Week, sets: list[SetEntry]) -> int:
    end = week.start + timedelta(days=7)
    return len({e.day for e in sets if week.start <= e.day < end})


def _missed(
    past: list[Week], sets: list[SetEntry], from_week: int, notes: list[PlanWarning]
) -> tuple[dict[str, Prescription] | None, int | None]:
    """A dose to hold because of missed sessions, or (None, None)."""
    if not past:
        return None, None
    planned = [len({d for d, _ in _strength(w)}) for w in past]
    done = [_done_days(w, sets) for w in past]
    if len(past) >= 2 and planned[-1] and planned[-2] and not done[-1] and not done[-2]:
        back = past[-3] if len(past) >= 3 else past[0]
        notes.append(
            PlanWarning(
                "R11",
                from_week,
                None,
                f"No calf session logged in weeks {past[-2].index}–{past[-1].index}: this week "
                f"steps back to the dose of week {back.index}.",
            )
        )
        return _dose(back)
    if planned[-1] and done[-1] < planned[-1]:
        notes.append(
            PlanWarning(
                "R11",
                from_week,
                None,
                f"{planned[-1] - done[-1]} of week {past[-1].index}'s sessions not logged: this "
                "week repeats its dose.",
            )
        )
        return _dose(past[-1])
    return None, None


RED_THIS_WEEK = (
    "Pain was red at the check-in of {day}: the rest of this week halves load and volume and "
    "leaves plyometrics out."
)


def red_rest_of_week(
    plan: Plan,
    profile: Profile,
    checkins: list[CheckIn],
    today: date,
    catalog: Catalog,
    norms: Norms,
) -> Plan | None:
    """The plan with DOMAIN.md §6's red applied to the strength sessions after ``today`` in
    today's week; None when nothing changes.

    Re-planning rebuilds whole weeks from next Monday (the module docstring), but a red
    check-in must not wait for Monday: a session later this week would otherwise go ahead at
    full load with plyometrics. Applied once a week (its warning marks the week), so a second
    log or check-in does not halve the halved sessions again.
    """
    recent = [c for c in checkins if c.day <= today]
    if not recent:
        return None
    zone, _ = _pain(recent, today, 0, norms, [])
    monday = today - timedelta(days=today.weekday())
    week = next((w for w in plan.weeks if w.start == monday), None)
    if zone != "red" or week is None:
        return None
    last = max(recent, key=lambda c: c.day)
    if last.day < monday:
        return None  # a red from an earlier week has shaped this week already
    if any(
        w.week == week.index and w.message.startswith("Pain was red at the check-in of")
        for w in plan.warnings
    ):
        return None
    changed = False
    for day in week.days:
        if day.date <= today:
            continue
        for session in day.sessions:
            if session.kind != "strength":
                continue
            kept = []
            for p in session.exercises:
                if p.variation == "plyometric":
                    changed = True
                    continue
                kept.append(_halved(p, profile, catalog, norms))
                changed = True
            session.exercises = kept
        day.sessions = [s for s in day.sessions if s.exercises]
    if not changed:
        return None
    plan.warnings.append(PlanWarning("R11", week.index, None, RED_THIS_WEEK.format(day=last.day)))
    variations = {p.variation for _, p in _strength(week)}
    if "plyometric" not in variations:
        plan.warnings.append(
            PlanWarning("R2", week.index, None, "Plyometrics withheld while pain is red.")
        )
    unloaded = sorted(
        {p.exercise for _, p in _strength(week) if p.variation != "plyometric" and not p.load_kg}
    )
    if unloaded:
        plan.warnings.append(
            PlanWarning(
                "R3",
                week.index,
                None,
                f"{', '.join(unloaded)} at body weight: pain was red at the last check-in, so "
                "the load comes off this week.",
            )
        )
    return plan


def _halved(p: Prescription, profile: Profile, catalog: Catalog, norms: Norms) -> Prescription:
    ex = catalog.get(p.exercise)
    source = None if ex is None else load_source(ex, profile.equipment, norms)
    step = source.step_kg if source else 0.0
    load = round_down((p.load_kg or 0.0) * norms.pain_red_share, step) if step else 0.0
    if p.load_kg is None:
        return replace(p, sets=red_sets(p.sets, norms))
    body = 0.0 if ex is None else ex.bodyweight_share * profile.athlete.body_mass_kg
    return replace(
        p,
        sets=red_sets(p.sets, norms),
        load_kg=load,
        load_x_bodyweight=load_x_bodyweight(load, profile.athlete.body_mass_kg),
        system_load_kg=round(body + load, 2),
    )
