"""The training diary: store an athlete and their plan, show a day, log sets, record pain,
and back everything up. Each function is one command and one transaction."""

from __future__ import annotations

import contextlib
import difflib
import functools
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from calfcoach.core.limits import LOAD_KG
from calfcoach.core.log import CheckIn, SetEntry
from calfcoach.core.return_to_run import ReturnChecklist
from calfcoach.core.units import dose_text, lb_to_kg
from calfcoach.errors import FieldError, FieldNotFound, InputError, NotFoundError
from calfcoach.services.files import read_text
from calfcoach.services.inputs import check_day, checked
from calfcoach.services.inputs import refuse_future as refuse_future
from calfcoach.services.unit_of_work import SqlUnitOfWork
from calfcoach.store.db import ensure_schema, make_engine, resolve_url
from calfcoach.store.repositories import MAX_ID, is_empty, valid_id

if TYPE_CHECKING:
    from calfcoach.core.conditions import PainZone
    from calfcoach.core.profile import Profile

# The planner, pydantic models and the catalog are imported where they are used: commands
# that only read or write rows (CSV exports, runs, backups) then start without them.


@dataclass(frozen=True, slots=True)
class Database:
    engine: Engine
    url: str
    backup: Path | None  # the copy made before an upgrade, if one was


def open_database(option: str | None) -> Database:
    """Open (and if needed create or upgrade) the database named by ``--db``/CALFCOACH_DB."""
    url = resolve_url(option)
    engine = make_engine(url)
    backup = ensure_schema(engine)
    return Database(engine, url, backup)


def find_athlete(uow: SqlUnitOfWork, name: str | None) -> tuple[int, str]:
    """The athlete named, or the only one. :raises InputError: none, unknown, or ambiguous."""
    names = uow.athletes.names()
    if name is None:
        if not names:
            raise NotFoundError(
                "no athlete in this database yet; run: calfcoach init --profile YOUR.toml",
                "athlete",
            )
        if len(names) > 1:
            raise FieldError("athlete", "a name is needed here", ", ".join(names))
        name = names[0]
    athlete_id = uow.athletes.id_of(name)
    if athlete_id is None:
        allowed = ", ".join(names) or "none yet (run calfcoach init)"
        raise FieldNotFound("athlete", f"no athlete {name!r}", allowed)
    return athlete_id, name


def stored_profile(uow: SqlUnitOfWork, athlete_id: int, name: str, today: date) -> Profile:
    """The athlete's stored profile, validated. :raises InputError: it no longer validates."""
    return _parse_stored(uow.athletes.profile_toml(athlete_id), name, today)


@functools.lru_cache(maxsize=64)
def _parse_stored(text: str, name: str, today: date) -> Profile:
    # Profiles are frozen models, so one parse serves every request of the web app that reads
    # the same stored text on the same day (a log parses it twice: to dose and to re-plan).
    from calfcoach.core.profile import ProfileError, parse_profile

    try:
        # Valid when it was stored; a race that has gone by since must not lock the diary.
        return parse_profile(text, f"stored profile of {name}", today, stored=True)
    except ProfileError as exc:
        raise InputError(exc.one_line()) from None


def current_plan(uow: SqlUnitOfWork, athlete_id: int, name: str) -> dict[str, Any]:
    """The athlete's current plan document. :raises InputError: none stored yet."""
    document = uow.plans.current(athlete_id)
    if document is None:
        raise InputError(f"{name} has no plan yet; run: calfcoach init --profile YOUR.toml")
    return document


# Re-planning reads this much of the log: the last two weeks decide double progression and
# missed sessions.
REPLAN_WINDOW_DAYS = 28


def running_history(uow: SqlUnitOfWork, athlete_id: int | None, today: date) -> Any:
    """The athlete's recent running (core.running_load), or None without imported runs."""
    from calfcoach.core.running_load import HISTORY_WEEKS, summarize

    if athlete_id is None:
        return None
    since = datetime.combine(
        today - timedelta(weeks=HISTORY_WEEKS + 1), datetime.min.time(), tzinfo=UTC
    )
    return summarize(uow.runs.activities(athlete_id, since), today)


def replan_from_history(uow: SqlUnitOfWork, athlete_id: int, name: str, today: date) -> bool:
    """Re-plan the athlete's weeks after ``today`` from their log, check-ins and tests, inside
    the caller's transaction. Returns True when the plan changed.

    The weeks up to and including today's stay as they are (core.replanning).
    """
    from calfcoach.core.plan import plan_from_dict
    from calfcoach.core.planner import replan
    from calfcoach.core.replanning import (
        adjustments_from_history,
        profile_with_assessments,
        red_rest_of_week,
        stop_sessions,
    )

    document = uow.plans.current(athlete_id)
    if document is None:
        return False
    plan = plan_from_dict(document)
    tests = uow.assessments.all(athlete_id)
    profile = profile_with_assessments(stored_profile(uow, athlete_id, name, today), tests)
    # Sets from before the plan started match none of its sessions: leave them unread.
    since = max(today - timedelta(days=REPLAN_WINDOW_DAYS), plan.start)
    sets = uow.sets.between(athlete_id, since, today)
    checkins = uow.checkins.all(athlete_id)
    from calfcoach.core.periodization import PlanInputError
    from calfcoach.core.plan import plan_to_dict
    from calfcoach.data import default_catalog, default_norms

    catalog, norms = default_catalog(), default_norms()
    running = running_history(uow, athlete_id, today)
    # Red pain changes the sessions left in this week too (core.replanning); first, so the
    # weeks re-planned after it grow back from the halved loads one step a week (R10).
    plan = red_rest_of_week(plan, profile, checkins, today, catalog, norms) or plan
    adjustments = adjustments_from_history(
        plan, profile, sets, checkins, today, catalog, norms, running, tests
    )
    if adjustments is not None:
        # PlanInputError: e.g. running = "auto" with no runs left; keep the weeks ahead.
        with contextlib.suppress(PlanInputError):
            plan = replan(plan, profile, adjustments, catalog, norms, running)
    # An uncleared red flag stops every calf session after today (DOMAIN.md §6).
    plan = stop_sessions(plan, checkins, today, norms) or plan
    # A calf strain's run days warn until the return criteria are met (DOMAIN.md §6).
    from calfcoach.core.return_to_run import return_checklist, warn_run_days

    plan = warn_run_days(plan, return_checklist(profile, tests, norms), today)
    again = plan_to_dict(plan, provenance=True)
    if again == document:
        return False
    uow.plans.replace_current(athlete_id, again)
    return True


@dataclass(frozen=True, slots=True)
class InitResult:
    name: str
    created: bool
    weeks: int
    start: date
    notes: tuple[str, ...]


def init_athlete(
    db: Database,
    profile_path: Path,
    start: date | None,
    today: date,
    weeks: int | None = None,
) -> InitResult:
    """Store the profile's athlete (or update the one with that name) and a fresh plan of
    ``weeks`` weeks (default: to the race and 2 recovery weeks, or 12).

    One transaction: on any error nothing is stored.
    :raises InputError: unreadable or invalid profile.
    """
    return init_athlete_from_text(
        db, read_text(profile_path, "profile"), str(profile_path), start, today, weeks
    )


def init_athlete_from_text(
    db: Database,
    profile_text: str,
    source: str,
    start: date | None,
    today: date,
    weeks: int | None = None,
) -> InitResult:
    """:func:`init_athlete` for a profile's TOML text (the web app's first-run form);
    ``source`` names it in errors. One transaction."""
    from calfcoach.core.plan import plan_to_dict
    from calfcoach.services.planning import plan_for_profile, profile_from_text

    profile = profile_from_text(profile_text, source, today)
    name = profile.athlete.name
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        history = running_history(uow, uow.athletes.id_of(name), today)
    result = plan_for_profile(profile, source, start, weeks, today, history, provenance=True)
    with SqlUnitOfWork(db.engine) as uow:
        created = uow.athletes.id_of(name) is None
        athlete_id = uow.athletes.save(name, profile_text)
        document = plan_to_dict(result.plan, provenance=True)
        uow.plans.add_current(athlete_id, result.plan.start, document)
        uow.commit()
    return InitResult(name, created, len(result.plan.weeks), result.plan.start, result.notes)


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
    db: Database, athlete: str | None, day: date, exercises: set[str]
) -> tuple[date, list[SetEntry]] | None:
    """The last day before ``day`` (within eight weeks) with sets of any of ``exercises``,
    and those sets: "last time", for the Today page's summary."""
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        athlete_id, _ = find_athlete(uow, athlete)
        earlier = uow.sets.between(athlete_id, day - timedelta(weeks=8), day - timedelta(days=1))
    matching = [e for e in earlier if e.exercise in exercises]
    if not matching:
        return None
    last = max(e.day for e in matching)
    return last, [e for e in matching if e.day == last]


def day_view(db: Database, athlete: str | None, day: date) -> DayView:
    """The day's plan and what is logged for it."""
    check_day(day)
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, day)
        document = uow.plans.current(athlete_id)
        logged = uow.sets.on_day(athlete_id, day)
        checkins = uow.checkins.all(athlete_id)
        tests = [t for t in uow.assessments.all(athlete_id) if t.day <= day]
    plan_day = week_found = None
    for week in (document or {}).get("weeks", []):
        for d in week["days"]:
            if d["date"] == day.isoformat():
                plan_day, week_found = d, week
    notices = pain_notices(checkins, day)
    from calfcoach.core.return_to_run import return_checklist
    from calfcoach.data import default_norms

    checklist = return_checklist(profile, tests, default_norms())
    return DayView(name, day, profile, plan_day, week_found, logged, notices, checklist)


def pain_notices(checkins: list[CheckIn], day: date) -> tuple[str, ...]:
    """The see-a-clinician and red-flag notices standing on ``day`` (core.pain)."""
    if not checkins:
        return ()
    from calfcoach.core.pain import pain_status
    from calfcoach.data import default_norms

    return pain_status(checkins, day, default_norms()).notices()


def numbered_exercises(view: DayView) -> list[str]:
    """The day's planned exercise ids in the order ``today`` numbers them (1, 2, …)."""
    ids: list[str] = []
    for session in (view.plan_day or {}).get("sessions", []):
        for ex in session["exercises"]:
            if ex["exercise"] not in ids:
                ids.append(ex["exercise"])
    return ids


def next_session(db: Database, athlete: str | None, day: date) -> dict[str, Any] | None:
    """The first plan day after ``day`` that holds calf work (the plan's day object)."""
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        athlete_id, _ = find_athlete(uow, athlete)
        document = uow.plans.current(athlete_id)
    for week in (document or {}).get("weeks", []):
        for d in week["days"]:
            if d["date"] > day.isoformat() and d["sessions"]:
                return dict(d)
    return None


def resolve_exercise(db: Database, athlete: str | None, text: str, day: date) -> str:
    """The catalog id meant by ``text``: an id, the number ``today`` shows beside an exercise
    of ``day``, or a piece of a name or id that fits one exercise only (an exact name wins).

    :raises InputError: nothing fits, or several do (they are listed).
    """
    from calfcoach.data import default_catalog

    catalog = default_catalog()
    wanted = text.strip()
    if wanted in catalog:
        return wanted
    if wanted.isdigit():
        numbered = numbered_exercises(day_view(db, athlete, day))
        if not 1 <= int(wanted) <= len(numbered):
            allowed = f"1 to {len(numbered)}" if numbered else "none (no calf work planned)"
            raise InputError(
                f"exercise {wanted}: no exercise {wanted} on {day} (see calfcoach today); "
                f"allowed: {allowed}",
                "exercise",
            )
        return numbered[int(wanted) - 1]
    folded = wanted.casefold()
    exact = [ex.id for ex in catalog.exercises if ex.name.casefold() == folded]
    if len(exact) == 1:
        return exact[0]
    found = [
        ex.id
        for ex in catalog.exercises
        if folded and (folded in ex.name.casefold() or folded in ex.id)
    ]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        # Several fit: the one planned that day wins ("pogo" on a day with pogo hops).
        try:
            planned = set(numbered_exercises(day_view(db, athlete, day)))
        except InputError:
            planned = set()
        today_only = [exercise_id for exercise_id in found if exercise_id in planned]
        if len(today_only) == 1:
            return today_only[0]
        raise InputError(
            f"exercise {wanted!r} fits {len(found)} exercises; allowed: one of {', '.join(found)}",
            "exercise",
        )
    check_exercise(wanted)  # names the closest ids
    return wanted


_LOAD = re.compile(
    r"^\s*(?:(?P<count>2)\s*[x×*]\s*)?(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>kg|lb|lbs)?\s*$",
    re.IGNORECASE,
)
MAX_LOAD_KG = LOAD_KG.high


def parse_load(text: str, units: str = "metric") -> float:
    """``"42.5"``, ``"42.5kg"``, ``"95lb"`` or ``"2x8"`` (a pair of 8 kg dumbbells: 16 kg, the
    total external load the plan shows as "2 × 8 kg") → kg. A bare number is in the profile's
    units; up to 1000 kg.

    :raises InputError: anything else.
    """
    found = _LOAD.match(text)
    allowed = (
        f"the total external load in kg or lb, up to {MAX_LOAD_KG:g} kg, e.g. 42.5, 42.5kg, "
        "95lb, or 2x8 for a pair of 8 kg dumbbells"
    )
    if not found:
        raise FieldError("load_kg", f"{text!r} is not a load", allowed)
    value = float(found.group("value")) * (2 if found.group("count") else 1)
    unit = (found.group("unit") or "").lower()
    kg = (
        round(lb_to_kg(value), 2)
        if unit.startswith("lb") or (not unit and units == "imperial")
        else value
    )
    if not 0 <= kg <= MAX_LOAD_KG:
        raise FieldError("load_kg", f"{text} is out of range", allowed)
    return kg


def check_exercise(exercise_id: str) -> None:
    """:raises InputError: unknown id, with the closest ids as suggestions."""
    from calfcoach.data import default_catalog

    catalog = default_catalog()
    if exercise_id in catalog:
        return
    close = difflib.get_close_matches(exercise_id, list(catalog.by_id), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "see calfcoach exercises"
    raise InputError(f"exercise {exercise_id!r} is not in the catalog; {hint}", "exercise")


@dataclass(frozen=True, slots=True)
class LogRequest:
    exercise: str
    sets: int
    reps: int
    load: str
    rpe: float | None
    side: str | None
    # A per-side exercise done on both legs: each set is stored once a side, with one number
    # (as ``log_as_prescribed`` stores it).
    both_sides: bool = False
    hold_s: int | None = None  # seconds held, for an isometric hold


def _checked_set(
    day: date,
    exercise: str,
    sets: int,
    reps: int,
    rpe: float | None,
    side: str | None,
    hold_s: int | None,
    load_kg: float = 0.0,
) -> None:
    """:raises FieldError: a value outside core.inputs' limits."""
    from calfcoach.core.inputs import SetInput

    checked(
        SetInput,
        date=day,
        exercise=exercise,
        sets=sets,
        reps=reps,
        load_kg=load_kg,
        rpe=rpe,
        side=side,
        hold_s=hold_s,
    )


def log_sets(
    db: Database,
    athlete: str | None,
    day: date,
    request: LogRequest,
    today: date | None = None,
) -> list[SetEntry]:
    """Log ``sets`` sets of an exercise on ``day`` and re-plan the weeks after ``today``
    (default: ``day``). One transaction. :raises InputError: ``day`` is after ``today``."""
    _checked_set(
        day,
        request.exercise,
        request.sets,
        request.reps,
        request.rpe,
        request.side,
        request.hold_s,
    )
    refuse_future(day, today or day)
    check_exercise(request.exercise)
    with SqlUnitOfWork(db.engine) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, day)
        load_kg = parse_load(request.load, profile.athlete.units)
        first = uow.sets.next_set_number(athlete_id, day, request.exercise)
        sides = ["left", "right"] if request.both_sides else [request.side]
        entries = [
            SetEntry(
                None,
                day,
                request.exercise,
                first + n,
                request.reps,
                load_kg,
                request.rpe,
                side,  # type: ignore[arg-type]
                request.hold_s,
            )
            for n in range(request.sets)
            for side in sides
        ]
        ids = uow.sets.add(athlete_id, entries)
        replan_from_history(uow, athlete_id, name, today or day)
        uow.commit()
    return [replace(e, id=i) for e, i in zip(entries, ids, strict=True)]


@dataclass(frozen=True, slots=True)
class ClientSet:
    """A set as the web app sends it under its client-made id (``PUT /api/v1/sets/{id}``)."""

    day: date
    exercise: str
    reps: int
    load_kg: float
    rpe: float | None
    side: str | None
    hold_s: int | None
    updated_at: datetime  # the client's clock when the set was tapped or last edited


@dataclass(frozen=True, slots=True)
class ClientSetResult:
    """What a client's set did: ``created``; ``unchanged`` (sent again, stored once);
    ``updated`` (a later edit replaced ``other``); ``kept_newer`` (a later edit from another
    device was already stored, so this one, ``other``, was not)."""

    entry: SetEntry  # the set as stored now
    outcome: str
    other: SetEntry | None = None


def _number_for(
    uow: SqlUnitOfWork, athlete_id: int, day: date, exercise: str, side: str | None
) -> int:
    """A new set's number: the next one, except that the other side of a per-side set logged
    just before shares its number (left then right is one set, as the pages show it)."""
    taken = uow.sets.numbers_and_sides(athlete_id, day, exercise)
    if not taken:
        return 1
    last = max(number for number, _ in taken)
    at_last = {s for number, s in taken if number == last}
    if side and side not in at_last and "" not in at_last:
        return last
    return last + 1


def put_client_set(
    db: Database, athlete: str | None, client_id: str, item: ClientSet, today: date | None = None
) -> ClientSetResult:
    """:func:`_put_client_set`, once more when the same id was stored by a request running
    at the same moment (the page and the service worker both sending a set): the second
    then finds it and changes nothing."""
    from sqlalchemy.exc import IntegrityError

    try:
        return _put_client_set(db, athlete, client_id, item, today)
    except IntegrityError:
        return _put_client_set(db, athlete, client_id, item, today)


def _put_client_set(
    db: Database, athlete: str | None, client_id: str, item: ClientSet, today: date | None = None
) -> ClientSetResult:
    """Store a set under the id its client made, once: the same set sent again changes
    nothing; a changed one replaces the stored values when its edit is later (by the client's
    clock) and is refused otherwise, and the result says which. One transaction; re-plans when
    something was stored."""
    _checked_set(
        item.day, item.exercise, 1, item.reps, item.rpe, item.side, item.hold_s, item.load_kg
    )
    check_exercise(item.exercise)
    # In UTC: SQLite keeps a time's wall clock and drops its offset.
    moment = (
        item.updated_at if item.updated_at.tzinfo else item.updated_at.replace(tzinfo=UTC)
    ).astimezone(UTC)
    with SqlUnitOfWork(db.engine) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        found = uow.sets.by_client_id(athlete_id, client_id)
        if found is None:
            number = _number_for(uow, athlete_id, item.day, item.exercise, item.side)
            entry = SetEntry(
                None,
                item.day,
                item.exercise,
                number,
                item.reps,
                item.load_kg,
                item.rpe,
                item.side,  # type: ignore[arg-type]
                item.hold_s,
            )
            entry = replace(
                entry, id=uow.sets.add_from_client(athlete_id, entry, client_id, moment)
            )
            replan_from_history(uow, athlete_id, name, today or item.day)
            uow.commit()
            return ClientSetResult(entry, "created")
        stored, stored_at = found
        if (stored.day, stored.exercise) != (item.day, item.exercise):
            raise InputError(
                f"id: {client_id} already names set {stored.set_number} of {stored.exercise} on "
                f"{stored.day}; allowed: a new id for another exercise or day",
                "id",
            )
        sent = replace(
            stored,
            reps=item.reps,
            load_kg=item.load_kg,
            rpe=item.rpe,
            side=item.side,  # type: ignore[arg-type]
            hold_s=item.hold_s,
        )
        if sent == stored:
            return ClientSetResult(stored, "unchanged")
        if stored_at is not None and moment <= stored_at:
            return ClientSetResult(stored, "kept_newer", sent)
        uow.sets.replace_from_client(athlete_id, sent, moment)
        replan_from_history(uow, athlete_id, name, today or item.day)
        uow.commit()
    return ClientSetResult(sent, "updated", stored)


def log_as_prescribed(
    db: Database, athlete: str | None, day: date, today: date | None = None
) -> list[SetEntry]:
    """Log every strength and primer set of the day's plan as prescribed, and re-plan the
    weeks after ``today`` (default: ``day``). One transaction.

    :raises InputError: the plan holds no calf work that day, or ``day`` is after ``today``.
    """
    refuse_future(day, today or day)
    view = day_view(db, athlete, day)
    if view.plan_day is None or not view.plan_day["sessions"]:
        raise InputError(f"the plan holds no calf work on {day}; log the sets one by one")
    with SqlUnitOfWork(db.engine) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        entries: list[SetEntry] = []
        for session in view.plan_day["sessions"]:
            for ex in session["exercises"]:
                first = uow.sets.next_set_number(athlete_id, day, ex["exercise"]) + len(
                    {e.set_number for e in entries if e.exercise == ex["exercise"]}
                )
                sides: list[str | None] = ["left", "right"] if ex["per_side"] else [None]
                for number in range(first, first + ex["sets"]):
                    for side in sides:  # a per-side set is one set on each side
                        entries.append(
                            SetEntry(
                                None,
                                day,
                                ex["exercise"],
                                number,
                                ex["reps"],
                                float(ex["load_kg"] or 0.0),
                                ex["rpe"],
                                side,  # type: ignore[arg-type]
                                ex.get("hold_s"),
                            )
                        )
        ids = uow.sets.add(athlete_id, entries)
        replan_from_history(uow, athlete_id, name, today or day)
        uow.commit()
    return [replace(e, id=i) for e, i in zip(entries, ids, strict=True)]


def edit_set(
    db: Database,
    athlete: str | None,
    entry_id: int,
    reps: int | None,
    load: str | None,
    rpe: float | None,
    today: date | None = None,
) -> SetEntry:
    """Correct a logged set and re-plan. :raises InputError: no such set for this athlete."""
    from calfcoach.core.inputs import SetChange

    _check_set_id(entry_id)
    checked(SetChange, reps=reps, rpe=rpe)
    with SqlUnitOfWork(db.engine) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        entry = uow.sets.get(athlete_id, entry_id)
        if entry is None:
            raise FieldNotFound("set_id", f"no logged set {entry_id} for {name}", _SET_IDS)
        units = stored_profile(uow, athlete_id, name, entry.day).athlete.units
        changed = replace(
            entry,
            reps=entry.reps if reps is None else reps,
            load_kg=entry.load_kg if load is None else parse_load(load, units),
            rpe=entry.rpe if rpe is None else rpe,
        )
        uow.sets.replace(athlete_id, changed)
        replan_from_history(uow, athlete_id, name, today or date.today())
        uow.commit()
    return changed


_SET_IDS = f"a set id from 1 to {MAX_ID} (see calfcoach today)"


def _check_set_id(entry_id: int) -> None:
    if not valid_id(entry_id):
        raise FieldError("set_id", f"{entry_id} is out of range", _SET_IDS)


def delete_set(db: Database, athlete: str | None, entry_id: int, today: date | None = None) -> None:
    """Delete a logged set and re-plan. :raises InputError: no such set for this athlete."""
    _check_set_id(entry_id)
    with SqlUnitOfWork(db.engine) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        if not uow.sets.delete(athlete_id, entry_id):
            raise FieldNotFound("set_id", f"no logged set {entry_id} for {name}", _SET_IDS)
        replan_from_history(uow, athlete_id, name, today or date.today())
        uow.commit()


def athlete_units(db: Database, athlete: str | None) -> str:
    """The athlete's display units (metric or imperial)."""
    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        return stored_profile(uow, athlete_id, name, date.today()).athlete.units


@dataclass(frozen=True, slots=True)
class LoadChange:
    """One exercise of the next calf session, before and after a re-plan."""

    exercise: str
    before: dict[str, Any] | None  # the plan's exercise object, None when newly added
    after: dict[str, Any] | None  # None when the re-plan removed it

    def describe(self, units: str) -> str:
        """``"seated-smith-calf-raise: 3 × 10 @ 40 kg → 2 × 10 @ 20 kg"``."""
        was = "—" if self.before is None else dose_text(self.before, units)
        now = "left out" if self.after is None else dose_text(self.after, units)
        if self.before is not None and was == now:
            return f"{self.exercise}: {now} (unchanged)"
        return f"{self.exercise}: {was} → {now}"


@dataclass(frozen=True, slots=True)
class CheckInResult:
    checkin: CheckIn
    zone: PainZone
    advice: str
    next_session_date: date | None = None
    next_session: tuple[LoadChange, ...] = ()
    units: str = "metric"  # the athlete's display units
    reasons: tuple[str, ...] = ()  # why the zone, beyond the pain numbers (core.pain)
    notices: tuple[str, ...] = ()  # the clinician notices now standing

    def to_json(self) -> dict[str, Any]:
        return {
            **checkin_dict(self.checkin),
            "zone": self.zone,
            "advice": self.advice,
            "reasons": list(self.reasons),
            "notices": list(self.notices),
            "next_session": None
            if self.next_session_date is None
            else {
                "date": self.next_session_date.isoformat(),
                "changes": [
                    {"exercise": c.exercise, "before": c.before, "after": c.after}
                    for c in self.next_session
                ],
            },
        }


def checkin_dict(c: CheckIn) -> dict[str, Any]:
    """A check-in's stored fields, as the API and ``--format json`` give them."""
    return {
        "id": c.id,
        "date": c.day.isoformat(),
        "pain_during": c.pain_during,
        "pain_next_morning": c.pain_next_morning,
        "pain_before": c.pain_before,
        "red_flag": c.red_flag,
        "cleared_by_clinician": c.cleared_by_clinician,
    }


def next_session_changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None, today: date
) -> tuple[date | None, tuple[LoadChange, ...]]:
    """The first strength session after ``today`` in ``after``, each exercise beside the same
    day's prescription in ``before`` (plan documents)."""

    def strength_days(document: dict[str, Any] | None) -> dict[str, list[dict[str, Any]]]:
        days: dict[str, list[dict[str, Any]]] = {}
        for week in (document or {}).get("weeks", []):
            for day in week["days"]:
                for session in day["sessions"]:
                    if session["kind"] == "strength" and day["date"] > today.isoformat():
                        days.setdefault(day["date"], []).extend(session["exercises"])
        return days

    new, old = strength_days(after), strength_days(before)
    if not new:
        return None, ()
    first = min(new)
    was = {ex["exercise"]: ex for ex in old.get(first, [])}
    now = {ex["exercise"]: ex for ex in new[first]}
    changes = [LoadChange(name, was.get(name), ex) for name, ex in now.items()]
    changes += [LoadChange(name, ex, None) for name, ex in was.items() if name not in now]
    return date.fromisoformat(first), tuple(changes)


def record_checkin(
    db: Database,
    athlete: str | None,
    day: date,
    during: int,
    next_morning: int | None = None,
    today: date | None = None,
    *,
    pain_before: int | None = None,
    red_flag: str | None = None,
    cleared_by_clinician: bool = False,
) -> CheckInResult:
    """Store the training ``day``'s pain check-in, say its zone, and re-plan the weeks after
    ``today`` (default: ``day``).

    A second check-in for the same day updates the first: what it reports replaces, what it
    leaves out (next-morning pain, pain before, a red flag) stays; a clearance stays given.
    One transaction. :raises InputError: a value out of range, or a day after ``today``.
    """
    from calfcoach.core.inputs import CheckInInput

    checked(
        CheckInInput,
        date=day,
        pain_during=during,
        pain_next_morning=next_morning,
        pain_before=pain_before,
        red_flag=red_flag,
        cleared_by_clinician=cleared_by_clinician,
    )
    today = today or day
    refuse_future(day, today)
    from calfcoach.core.pain import ADVICE, pain_status
    from calfcoach.data import default_norms

    norms = default_norms()
    with SqlUnitOfWork(db.engine) as uow:
        athlete_id, name = find_athlete(uow, athlete)
        units = stored_profile(uow, athlete_id, name, day).athlete.units
        stored = {c.day: c for c in uow.checkins.all(athlete_id)}
        first = stored.get(day)
        checkin = CheckIn(
            None,
            day,
            during,
            _kept(next_morning, first and first.pain_next_morning),
            _kept(pain_before, first and first.pain_before),
            _kept(red_flag, first and first.red_flag),
            cleared_by_clinician or bool(first and first.cleared_by_clinician),
        )
        checkin_id = uow.checkins.save(athlete_id, checkin)
        checkin = replace(checkin, id=checkin_id)
        stored[day] = checkin
        before = uow.plans.current(athlete_id)
        replan_from_history(uow, athlete_id, name, today)
        after = uow.plans.current(athlete_id)
        uow.commit()
    next_date, changes = next_session_changes(before, after, today)
    status = pain_status(stored.values(), today, norms)
    judged = next(j for j in status.judged if j.checkin.day == day)
    # The advice is about where the athlete stands now; for a back-dated check-in with later
    # ones after it, the zone shown is its own.
    advice = status.advice if status.last is judged else ADVICE[judged.zone]
    return CheckInResult(
        checkin,
        judged.zone,
        advice,
        next_date,
        changes,
        units,
        judged.reasons,
        status.notices(),
    )


def _kept(new: Any, old: Any) -> Any:
    return old if new is None else new


def export_backup(db: Database) -> dict[str, Any]:
    """Every table a user would miss, every column (services.backup_format), one document.

    Restoring it into an empty database and exporting again gives the same document.
    """
    from calfcoach.services.backup_format import backup_document
    from calfcoach.store.repositories import BACKUP_TABLES

    with SqlUnitOfWork(db.engine, read_only=True) as uow:
        tables = {table.name: uow.backup.rows(table.name) for table in BACKUP_TABLES}
    return backup_document(tables)


def restore_backup(db: Database, document: Any, source: str) -> dict[str, int]:
    """Load a backup (either format version) into an empty database, all of it or nothing.

    :raises InputError: not a calfcoach backup, a bad value (with its path), rows the
        database refuses, or a database that already holds athletes.
    """
    from sqlalchemy.exc import IntegrityError

    from calfcoach.services.backup_format import read_backup, rows_of
    from calfcoach.store.repositories import BACKUP_TABLES

    tables = rows_of(read_backup(document, source))
    with SqlUnitOfWork(db.engine) as uow:
        if not is_empty(uow.connection):
            raise InputError(
                f"{source}: the database already holds athletes; restore goes into an empty "
                "database (use --db NEW.sqlite)"
            )
        try:
            for table in BACKUP_TABLES:
                uow.backup.insert(table.name, tables.get(table.name, []))
            uow.backup.restart_ids()
        except IntegrityError as exc:
            # A hand-edited backup: two check-ins on one day, a feed token twice, ...
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "a constraint"
            raise InputError(f"{source}: the database refuses its rows: {reason}") from None
        uow.commit()
    return {_COUNT_NAMES[name]: len(rows) for name, rows in _counted(tables)}


# How restore names the tables it counts ("Restored 1 athletes, 12 plans, ...").
_COUNT_NAMES = {
    "athletes": "athletes",
    "plans": "plans",
    "set_logs": "sets",
    "checkins": "checkins",
    "assessments": "assessments",
    "import_batches": "import batches",
    "runs": "runs",
    "calendar_feeds": "calendar feeds",
    "calendar_events": "calendar events",
}


def _counted(tables: dict[str, list[dict[str, Any]]]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(name, tables.get(name, [])) for name in _COUNT_NAMES]
