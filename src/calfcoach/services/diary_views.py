"""Read-only views of the diary for the CLI, the web app and the JSON API: the athletes, a day
and a week of the plan with what is logged, the whole plan, the log, check-ins and tests. One
short read transaction each; nothing here writes, except a re-plan that waits from before a
day shown (services.replan.fresh_plan), which runs first in its own transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from calfcoach.core.assessments import HeelRaiseReport, heel_raise_report
from calfcoach.core.catalog import is_insertional
from calfcoach.core.log import Assessment, CheckIn, SetEntry
from calfcoach.core.pain import JudgedCheckIn, judge
from calfcoach.core.profile import Profile
from calfcoach.core.return_to_run import ReturnChecklist
from calfcoach.data import default_norms
from calfcoach.errors import InputError
from calfcoach.services.context import dumbbell_pairs, find_athlete, stored_profile
from calfcoach.services.inputs import check_day
from calfcoach.services.replan import fresh_current_plan, fresh_plan
from calfcoach.services.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class DayView:
    athlete: str
    day: date
    profile: Profile
    plan_day: dict[str, Any] | None  # the plan contract's day object, or None outside the plan
    week: dict[str, Any] | None
    logged: list[SetEntry]
    # What the check-ins up to the day ask the athlete to do before training: see a clinician
    # (red twice in a row, until a green check-in; a red flag, until a clearance).
    notices: tuple[str, ...] = ()
    # A calf strain's return-to-running criteria, each met or not (core.return_to_run); None
    # without a calf strain.
    return_to_run: ReturnChecklist | None = None
    # While a red flag is not cleared: "see a clinician before running (…)" beside the day's
    # run (core.pain, physio review S4); None otherwise.
    before_running: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The plan day with each exercise's ``logged`` sets added (DESIGN.md ``today``) and
        the pain ``notices``."""
        if self.plan_day is None:
            day: dict[str, Any] = {
                "date": self.day.isoformat(),
                "weekday": self.day.strftime("%A").lower(),
                "run": None,
                "sessions": [],
            }
        else:
            day = {**self.plan_day, "sessions": [dict(s) for s in self.plan_day["sessions"]]}
        seen: set[int] = set()
        for session in day["sessions"]:
            exercises = []
            for ex in session["exercises"]:
                logged = [e for e in self.logged if e.exercise == ex["exercise"]]
                seen.update(e.id for e in logged if e.id is not None)
                shown = {k: v for k, v in ex.items() if k != "why"}  # explain has it
                exercises.append({**shown, "logged": [logged_dict(e) for e in logged]})
            session["exercises"] = exercises
        extra = [e for e in self.logged if e.id not in seen]
        if extra:
            # Sets logged for exercises the plan did not hold that day still show.
            day["unplanned"] = [{"exercise": e.exercise, **logged_dict(e)} for e in extra]
        day["notices"] = list(self.notices)
        if self.return_to_run is not None:
            day["return_to_running"] = self.return_to_run.to_json()
        return day


def logged_dict(e: SetEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "set": e.set_number,
        "reps": e.reps,
        "load_kg": e.load_kg,
        "rpe": e.rpe,
        "side": e.side,
        "hold_s": e.hold_s,
    }


def previous_session(
    db: UnitOfWorkFactory, athlete: str | None, day: date, exercises: set[str]
) -> tuple[date, list[SetEntry]] | None:
    """The last day before ``day`` (within eight weeks) with sets of any of ``exercises``,
    and those sets: "last time", for the Today page's summary."""
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, _ = find_athlete(uow, athlete)
        earlier = uow.sets.between(athlete_id, day - timedelta(weeks=8), day - timedelta(days=1))
    matching = [e for e in earlier if e.exercise in exercises]
    if not matching:
        return None
    last = max(e.day for e in matching)
    return last, [e for e in matching if e.day == last]


def day_view(db: UnitOfWorkFactory, athlete: str | None, day: date) -> DayView:
    """The day's plan and what is logged for it."""
    check_day(day)
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, day)
        document = fresh_plan(db, uow, athlete_id, name, last_day_shown=day)
        logged = uow.sets.on_day(athlete_id, day)
        checkins = uow.checkins.all(athlete_id)
        tests = [t for t in uow.assessments.all(athlete_id) if t.day <= day]
    plan_day = week_found = None
    for week in (document or {}).get("weeks", []):
        for d in week["days"]:
            if d["date"] == day.isoformat():
                plan_day, week_found = d, week
    notices = pain_notices(checkins, day, profile)
    from calfcoach.core.pain import pain_status
    from calfcoach.core.return_to_run import return_checklist
    from calfcoach.data import default_norms

    norms = default_norms()
    status = pain_status(checkins, day, norms) if checkins else None
    before_running = None if status is None else status.before_running
    last_red = None if status is None else status.last_red
    checklist = return_checklist(profile, tests, norms, before_running, last_red)
    return DayView(
        name, day, profile, plan_day, week_found, logged, notices, checklist, before_running
    )


def pain_notices(
    checkins: list[CheckIn], day: date, profile: Profile | None = None
) -> tuple[str, ...]:
    """The see-a-clinician and red-flag notices standing on ``day`` (core.pain); with the
    ``profile``, Achilles pain above 5/10 too (core.pain.achilles_clinician_notice)."""
    from calfcoach.core.pain import achilles_clinician_notice, pain_status
    from calfcoach.data import default_norms

    norms = default_norms()
    found = pain_status(checkins, day, norms).notices() if checkins else ()
    if profile is not None:
        health = profile.health
        achilles = achilles_clinician_notice(
            health.condition, health.pain_now, checkins, day, norms
        )
        if achilles is not None:
            found = (*found, achilles)
    return found


def numbered_exercises(view: DayView) -> list[str]:
    """The day's planned exercise ids in the order ``today`` numbers them (1, 2, …)."""
    ids: list[str] = []
    for session in (view.plan_day or {}).get("sessions", []):
        for ex in session["exercises"]:
            if ex["exercise"] not in ids:
                ids.append(ex["exercise"])
    return ids


def next_session(db: UnitOfWorkFactory, athlete: str | None, day: date) -> dict[str, Any] | None:
    """The first plan day after ``day`` that holds calf work (the plan's day object)."""
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        document = fresh_plan(db, uow, athlete_id, name)
    for week in (document or {}).get("weeks", []):
        for d in week["days"]:
            if d["date"] > day.isoformat() and d["sessions"]:
                return dict(d)
    return None


def athlete_names(db: UnitOfWorkFactory) -> list[str]:
    """Every athlete's name, in the order they were added."""
    with db.unit_of_work(read_only=True) as uow:
        return uow.athletes.names()


@dataclass(frozen=True, slots=True)
class AthleteView:
    name: str
    profile: Profile
    profile_toml: str


def athlete_view(db: UnitOfWorkFactory, athlete: str | None, today: date) -> AthleteView:
    """The athlete's stored profile. :raises InputError: no such athlete."""
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        return AthleteView(
            name,
            stored_profile(uow, athlete_id, name, today),
            uow.athletes.profile_toml(athlete_id),
        )


@dataclass(frozen=True, slots=True)
class WeekView:
    athlete: str
    units: str
    monday: date
    week: dict[str, Any] | None  # the plan's week object (without days), None outside the plan
    days: list[dict[str, Any]]  # seven `today` day objects, each exercise with its `logged`
    warnings: list[dict[str, Any]]  # the plan's warnings for this week, and plan-wide ones
    plan_first: date | None
    plan_last: date | None
    pairs: frozenset[str] = frozenset()  # loaded with a pair of dumbbells (context.dumbbell_pairs)
    insertional: bool = False  # insertional Achilles pain: flat-floor names (catalog.name_for)


def week_view(db: UnitOfWorkFactory, athlete: str | None, day: date) -> WeekView:
    """The plan week holding ``day`` (Monday to Sunday) and every set logged in it."""
    check_day(day)
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, day)
        document = fresh_plan(db, uow, athlete_id, name, last_day_shown=sunday) or {
            "weeks": [],
            "warnings": [],
        }
        logged = uow.sets.between(athlete_id, monday, sunday)
    by_day: dict[date, list[SetEntry]] = defaultdict(list)
    for entry in logged:
        by_day[entry.day].append(entry)
    weeks = document["weeks"]
    found = next((w for w in weeks if w["start"] == monday.isoformat()), None)
    plan_days = {d["date"]: d for d in (found or {}).get("days", [])}
    days = []
    for offset in range(7):
        current = monday + timedelta(days=offset)
        view = DayView(
            name, current, profile, plan_days.get(current.isoformat()), found, by_day[current]
        )
        days.append(view.to_json())
    index = None if found is None else found["index"]
    warnings: list[dict[str, Any]] = []
    seen: set[tuple[Any, Any]] = set()
    for w in document.get("warnings", []):
        # A note said for several days of the week (a calf strain's run days) is said once.
        key = (w.get("rule"), w.get("message"))
        if (w.get("week") is None or w.get("week") == index) and key not in seen:
            seen.add(key)
            warnings.append(w)
    return WeekView(
        name,
        profile.athlete.units,
        monday,
        None if found is None else {k: v for k, v in found.items() if k != "days"},
        days,
        warnings if found is not None else [],
        date.fromisoformat(weeks[0]["start"]) if weeks else None,
        date.fromisoformat(weeks[-1]["days"][-1]["date"]) if weeks else None,
        dumbbell_pairs(profile),
        _insertional(profile),
    )


@dataclass(frozen=True, slots=True)
class PlanView:
    athlete: str
    units: str
    document: dict[str, Any]
    pairs: frozenset[str] = frozenset()  # loaded with a pair of dumbbells (context.dumbbell_pairs)
    insertional: bool = False  # insertional Achilles pain: flat-floor names (catalog.name_for)


def plan_view(db: UnitOfWorkFactory, athlete: str | None, today: date) -> PlanView:
    """The athlete's current plan (the plan JSON contract), as re-planned after their logs.

    :raises InputError: no such athlete, or none stored yet.
    """
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, today)
        document = fresh_current_plan(db, uow, athlete_id, name)
    return PlanView(
        name, profile.athlete.units, document, dumbbell_pairs(profile), _insertional(profile)
    )


def _insertional(profile: Profile) -> bool:
    return is_insertional(profile.health.condition, profile.health.achilles_type)


def logged_sets(
    db: UnitOfWorkFactory, athlete: str | None, first: date | None, last: date | None
) -> list[SetEntry]:
    """Sets logged from ``first`` to ``last`` (inclusive; None: no limit), oldest first."""
    if first is not None and last is not None and first > last:
        raise InputError(f"option from: {first} is after to: {last}; allowed: from ≤ to", "from")
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, _ = find_athlete(uow, athlete)
        return uow.sets.between(athlete_id, first or date.min, last or date.max)


def checkins(db: UnitOfWorkFactory, athlete: str | None) -> list[CheckIn]:
    """Every pain check-in, oldest first."""
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, _ = find_athlete(uow, athlete)
        return uow.checkins.all(athlete_id)


def judged_checkins(db: UnitOfWorkFactory, athlete: str | None) -> list[JudgedCheckIn]:
    """Every pain check-in, oldest first, with the zone it had on its day and why
    (core.pain: the same judgement the re-plan made of it)."""
    return judge(checkins(db, athlete), default_norms())


@dataclass(frozen=True, slots=True)
class TestView:
    assessment: Assessment
    heel_raise: HeelRaiseReport | None  # against the norms, for heel-raise tests


def assessments(db: UnitOfWorkFactory, athlete: str | None, today: date) -> list[TestView]:
    """Every test, oldest first; heel-raise tests compared with the age/sex norms and the
    test before."""
    norms = default_norms()
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, today)
        tests = uow.assessments.all(athlete_id)
    out: list[TestView] = []
    previous: tuple[int, int] | None = None
    for test in tests:
        report = None
        if test.kind == "heel_raise" and test.left_reps is not None and test.right_reps is not None:
            report = heel_raise_report(
                test.left_reps,
                test.right_reps,
                profile.age_in(test.day.year),
                profile.athlete.sex,
                previous,
                norms,
            )
            previous = (test.left_reps, test.right_reps)
        out.append(TestView(test, report))
    return out


def weekly_volume(exercises: list[dict[str, Any]]) -> list[tuple[date, float]]:
    """Load × reps summed by training week (Monday) over every exercise of a `history`."""
    totals: dict[date, float] = defaultdict(float)
    for exercise in exercises:
        for session in exercise["sessions"]:
            day = date.fromisoformat(session["date"])
            totals[day - timedelta(days=day.weekday())] += session["volume_kg"]
    return sorted((monday, round(kg, 1)) for monday, kg in totals.items())
