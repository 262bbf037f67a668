"""``calfcoach explain [DATE]`` (DESIGN.md "Explanations", DOMAIN.md §7): why each exercise of
a day is what it is, read back from the provenance the planner and re-planner recorded in the
stored plan as they decided (nothing is re-derived here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from calfcoach.errors import InputError
from calfcoach.services.context import Database, find_athlete
from calfcoach.services.inputs import check_day
from calfcoach.services.replan import fresh_current_plan


@dataclass(frozen=True, slots=True)
class Explanation:
    athlete: str
    day: date
    units: str
    exercises: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    # The see-a-clinician notices standing on the day, as ``today`` shows them (a red flag,
    # red twice in a row, Achilles pain above 5/10: issue 13, physio review S4/S5).
    notices: tuple[str, ...] = ()
    # A day before the plan (a new athlete's normal state, issue 13): its first day, and the
    # first day with calf work, to explain instead.
    plan_starts: date | None = None
    first_session: date | None = None
    pairs: frozenset[str] = frozenset()  # loaded with a pair of dumbbells (context.dumbbell_pairs)
    # Insertional Achilles pain: each raise by its flat-floor name (core.catalog.name_for).
    insertional: bool = False

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's explanation JSON; ``notices`` is added only while one stands, and
        ``plan_starts`` and ``first_session`` only for a day before the plan, so the JSON of
        any other day stays as it was."""
        document: dict[str, Any] = {
            "date": self.day.isoformat(),
            "exercises": self.exercises,
            "warnings": self.warnings,
        }
        if self.notices:
            document["notices"] = list(self.notices)
        if self.plan_starts is not None:
            document["plan_starts"] = self.plan_starts.isoformat()
            first = self.first_session
            document["first_session"] = None if first is None else first.isoformat()
        return document


def explain_day(db: Database, athlete: str | None, day: date) -> Explanation:
    """The stored plan's reasons for each exercise of ``day``. A day before the plan has
    none: the explanation then says when the plan starts (as Today does) and its first day
    with calf work.

    :raises InputError: no athlete or plan, or the day is after the plan.
    """
    from calfcoach.core.catalog import is_insertional
    from calfcoach.services.context import dumbbell_pairs, stored_profile
    from calfcoach.services.diary_views import pain_notices

    check_day(day)
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        document = fresh_current_plan(db, uow, athlete_id, name)
        profile = stored_profile(uow, athlete_id, name, day)
        units = profile.athlete.units
        notices = pain_notices(uow.checkins.all(athlete_id), day, profile)
    pairs = dumbbell_pairs(profile)
    insertional = is_insertional(profile.health.condition, profile.health.achilles_type)
    found = None
    for week in document.get("weeks", []):
        for d in week["days"]:
            if d["date"] == day.isoformat():
                found = (week, d)
    if found is None and day.isoformat() < document["weeks"][0]["start"]:
        sessions = (
            date.fromisoformat(d["date"])
            for w in document["weeks"]
            for d in w["days"]
            if d["sessions"]
        )
        start = date.fromisoformat(document["weeks"][0]["start"])
        return Explanation(
            name,
            day,
            units,
            [],
            [],
            notices,
            plan_starts=start,
            first_session=next(sessions, None),
            pairs=pairs,
            insertional=insertional,
        )
    if found is None:
        first = document["weeks"][0]["start"]
        last = document["weeks"][-1]["days"][-1]["date"]
        raise InputError(
            f"{day} is not in {name}'s plan; allowed: a date from {first} to {last}", "date"
        )
    week, plan_day = found
    exercises = []
    for session in plan_day["sessions"]:
        for ex in session["exercises"]:
            why = ex.get("why") or {"reasons": [], "changes": []}
            exercises.append(
                {
                    "exercise": ex["exercise"],
                    "kind": session["kind"],
                    "sets": ex["sets"],
                    "reps": ex["reps"],
                    "hold_s": ex.get("hold_s"),
                    "per_side": ex["per_side"],
                    "contacts": ex.get("contacts"),
                    "load_kg": ex["load_kg"],
                    "system_load_kg": ex.get("system_load_kg"),
                    "reasons": why["reasons"],
                    "changes": why["changes"],
                }
            )
    warnings = [
        w
        for w in document.get("warnings", [])
        if w.get("week") == week["index"] and w.get("date") in (None, day.isoformat())
    ]
    return Explanation(
        name, day, units, exercises, warnings, notices, pairs=pairs, insertional=insertional
    )
