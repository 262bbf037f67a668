"""Read-only views of the diary for the web app and the JSON API: the athletes, a week of the
plan with what is logged, the whole plan, the log, check-ins and tests. One short read
transaction each; nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from calfcoach.core.assessments import HeelRaiseReport, heel_raise_report
from calfcoach.core.log import Assessment, CheckIn, SetEntry
from calfcoach.core.profile import Profile
from calfcoach.data import default_norms
from calfcoach.errors import InputError
from calfcoach.services.inputs import check_day
from calfcoach.services.training_log import (
    Database,
    DayView,
    current_plan,
    find_athlete,
    stored_profile,
)
from calfcoach.services.unit_of_work import SqlUnitOfWork


def athlete_names(db: Database) -> list[str]:
    """Every athlete's name, in the order they were added."""
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        return uow.athletes.names()


@dataclass(frozen=True, slots=True)
class AthleteView:
    name: str
    profile: Profile
    profile_toml: str


def athlete_view(db: Database, athlete: str | None, today: date) -> AthleteView:
    """The athlete's stored profile. :raises InputError: no such athlete."""
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
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


def week_view(db: Database, athlete: str | None, day: date) -> WeekView:
    """The plan week holding ``day`` (Monday to Sunday) and every set logged in it."""
    check_day(day)
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, day)
        document = uow.plans.current(athlete_id) or {"weeks": [], "warnings": []}
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
    )


@dataclass(frozen=True, slots=True)
class PlanView:
    athlete: str
    units: str
    document: dict[str, Any]


def plan_view(db: Database, athlete: str | None, today: date) -> PlanView:
    """The athlete's current plan (the plan JSON contract), as re-planned after their logs.

    :raises InputError: no such athlete, or none stored yet.
    """
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, today)
        document = current_plan(uow, athlete_id, name)
    return PlanView(name, profile.athlete.units, document)


def logged_sets(
    db: Database, athlete: str | None, first: date | None, last: date | None
) -> list[SetEntry]:
    """Sets logged from ``first`` to ``last`` (inclusive; None: no limit), oldest first."""
    if first is not None and last is not None and first > last:
        raise InputError(f"option from: {first} is after to: {last}; allowed: from ≤ to", "from")
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        athlete_id, _ = find_athlete(uow, athlete)
        return uow.sets.between(athlete_id, first or date.min, last or date.max)


def checkins(db: Database, athlete: str | None) -> list[CheckIn]:
    """Every pain check-in, oldest first."""
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        athlete_id, _ = find_athlete(uow, athlete)
        return uow.checkins.all(athlete_id)


@dataclass(frozen=True, slots=True)
class TestView:
    assessment: Assessment
    heel_raise: HeelRaiseReport | None  # against the norms, for heel-raise tests


def assessments(db: Database, athlete: str | None, today: date) -> list[TestView]:
    """Every test, oldest first; heel-raise tests compared with the age/sex norms and the
    test before."""
    norms = default_norms()
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
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
