"""The diary's writes of sets: log sets (one by one, as prescribed, or as a client sends them
under its own id), correct and delete them; and reading what a user typed for an exercise and
a load. Each command is one transaction.

Logging a set lets the re-plan wait (services.replan) until the day's prescribed sets are all
logged; a correction or a deletion re-plans at once.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from msgspec.structs import replace

from calfcoach.core.limits import LOAD_KG, ONE_RM_KG
from calfcoach.core.log import SetEntry
from calfcoach.core.units import kg_to_lb, lb_to_kg
from calfcoach.errors import FieldError, FieldNotFound, InputError
from calfcoach.services.context import find_athlete, stored_profile
from calfcoach.services.diary_views import day_view, numbered_exercises
from calfcoach.services.inputs import check_client_time, checked
from calfcoach.services.inputs import refuse_future as refuse_future
from calfcoach.services.replan import (
    defer_replan,
    replan_from_history,
    run_waiting_replan,
    settle_before_write,
)
from calfcoach.services.unit_of_work import UnitOfWork, UnitOfWorkFactory
from calfcoach.store.repositories import MAX_ID, valid_id


def resolve_exercise(db: UnitOfWorkFactory, athlete: str | None, text: str, day: date) -> str:
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
    # A decimal comma, but not before exactly three digits: "1,000" is a thousands separator
    # or a decimal, and is not guessed (a review's finding: it was read as 1.0).
    r"^\s*(?:(?P<count>2)\s*[x×*]\s*)?(?P<value>\d+(?:\.\d+|,(?!\d{3}(?!\d))\d+)?)\s*"
    r"(?P<unit>kg|lb|lbs)?\s*$",
    re.IGNORECASE,
)


MAX_LOAD_KG = LOAD_KG.high

# A load written below zero ("-10", "-2,5kg"): a load, outside its range (the pattern above
# reads no sign, and a coach's trial was told "'-10' is not a load" with no range).
_NEGATIVE_LOAD = re.compile(r"^\s*-\s*\d+(?:[.,]\d+)?\s*(?:kg|lb|lbs)?\s*$", re.IGNORECASE)


def _typed_kg(text: str, units: str) -> float | None:
    """What a person typed for a weight, in kg: ``"42.5"`` (in ``units``), ``"42.5kg"``,
    ``"95lb"``, ``"2x8"`` (a pair: twice 8); None when it is none of these."""
    found = _LOAD.match(text)
    if not found:
        return None
    # A decimal comma is a point: a phone's decimal keypad types "22,5" in much of Europe.
    value = float(found.group("value").replace(",", ".")) * (2 if found.group("count") else 1)
    unit = (found.group("unit") or "").lower()
    if unit.startswith("lb") or (not unit and units == "imperial"):
        return round(lb_to_kg(value), 2)
    return value


def parse_load(text: str, units: str = "metric") -> float:
    """``"42.5"``, ``"42.5kg"``, ``"95lb"`` or ``"2x8"`` (a pair of 8 kg dumbbells: 16 kg, the
    total external load the plan shows as "2 × 8 kg") → kg. A bare number is in the profile's
    units; up to 1000 kg.

    :raises InputError: anything else.
    """
    if units == "imperial":
        # In the runner's units: a bare number is in lb for them (a trial was offered kg).
        allowed = (
            f"the total external load in lb or kg, from {LOAD_KG.low:g} (body weight alone) "
            f"up to {math.floor(kg_to_lb(MAX_LOAD_KG))} lb ({MAX_LOAD_KG:g} kg), e.g. 95, "
            "95lb, 42.5kg, or 2x20 for a pair of 20 lb dumbbells; a bare number is in lb"
        )
    else:
        allowed = (
            f"the total external load in kg or lb, from {LOAD_KG.low:g} (body weight alone) "
            f"up to {MAX_LOAD_KG:g} kg, e.g. 42.5, 42.5kg, 95lb, or 2x8 for a pair of 8 kg "
            "dumbbells"
        )
    kg = _typed_kg(text, units)
    if kg is None and _NEGATIVE_LOAD.match(text):
        raise FieldError("load_kg", f"{text.strip()} is out of range", allowed)
    if kg is None:
        raise FieldError("load_kg", f"{text!r} is not a load", allowed)
    if not LOAD_KG.contains(kg):
        raise FieldError("load_kg", f"{text} is out of range", allowed)
    return kg


def parse_one_rm(text: str, units: str = "metric") -> float:
    """A seated 1RM as a person typed it → kg, read as ``log --load`` reads a load (issue 13,
    one input model): ``"95"`` in the profile's ``units``, ``"95kg"``, ``"200lb"``, ``"2x40"``
    (a pair of dumbbells); within core.limits' ONE_RM_KG.

    :raises FieldError: ``value_kg``, with the allowed values in the profile's units too.
    """
    unit, most = "kg", ""
    if units == "imperial":
        unit, most = "lb", f", that is up to {math.floor(kg_to_lb(ONE_RM_KG.high))} lb"
    allowed = (
        f"{ONE_RM_KG.allowed()}{most}, in kg or lb, e.g. 95, 95kg, 200lb; a bare number is in "
        f"your profile's units ({unit})"
    )
    kg = _typed_kg(text, units)
    if kg is None:
        try:
            number = float(text)
        except ValueError:
            number = None
        # A number the load pattern does not read (inf, nan, -5) is outside the limit, as
        # the argument's old float parsing said; anything else is no load at all.
        if number is None or (math.isfinite(number) and number > 0):
            raise FieldError("value_kg", f"{text!r} is not a load", allowed)
        raise FieldError("value_kg", f"{text.strip()} is out of range", allowed)
    if not ONE_RM_KG.contains(kg):
        raise FieldError("value_kg", f"{text.strip()} is out of range", allowed)
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
    db: UnitOfWorkFactory,
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
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        profile = stored_profile(uow, athlete_id, name, day)
        load_kg = parse_load(request.load, profile.athlete.units)
        settle_before_write(uow, athlete_id, name, today or day)
        first = uow.sets.next_set_number(athlete_id, day, request.exercise)
        sides = ["left", "right"] if request.both_sides else [request.side]
        # Each side numbered after its own sets, as the day as prescribed numbers them: a set
        # logged on both sides after one logged on the left alone was set 2 on the right too,
        # and the right side's sets then ran 2, 3, 4 (a trial).
        firsts = {
            side: first
            if side is None
            else _first_on_side(uow, athlete_id, day, request.exercise, side)
            for side in sides
        }
        entries = [
            SetEntry(
                None,
                day,
                request.exercise,
                firsts[side] + n,
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
        stored = [replace(e, id=i) for e, i in zip(entries, ids, strict=True)]
        _replan_once_a_session(uow, athlete_id, name, day, today or day, stored)
        uow.commit()
    return stored


def _first_on_side(uow: UnitOfWork, athlete_id: int, day: date, exercise: str, side: str) -> int:
    """The number of the next set on one ``side``: after that side's own sets (and those
    logged without a side), so ``--side left`` then ``--side right`` is set 1 on each side,
    one set, as the pages, ``PUT /sets/{id}`` and the day as prescribed number a pair (issue
    13: the right side took set 2, and the page counted the pair as two sets)."""
    taken = uow.sets.numbers_and_sides(athlete_id, day, exercise)
    return 1 + max((n for n, logged in taken if logged in (side, "")), default=0)


def _replan_once_a_session(
    uow: UnitOfWork,
    athlete_id: int,
    name: str,
    day: date,
    replan_day: date,
    added: list[SetEntry],
) -> None:
    """After ``added`` sets of ``day`` were stored: re-plan from ``replan_day`` now when they
    complete the day's prescribed sets (the session is over), else let the re-plan wait
    (services.replan: a check-in, another write or a read of a later day runs it). Sets logged
    after the session was complete, or on a day without calf work, wait too: once a session."""
    wanted = _prescribed_sets(uow, athlete_id, day)
    logged = uow.sets.counts_on_day(athlete_id, day)
    before = dict(logged)
    for entry in added:
        before[entry.exercise] -= 1

    def complete(counts: dict[str, int]) -> bool:
        return all(counts.get(exercise, 0) >= n for exercise, n in wanted.items())

    if wanted and complete(logged) and not complete(before):
        replan_from_history(uow, athlete_id, name, replan_day)
    else:
        defer_replan(uow, athlete_id, name, replan_day)


def _prescribed_sets(uow: UnitOfWork, athlete_id: int, day: date) -> dict[str, int]:
    """The sets the plan prescribes on ``day`` by exercise (a per-side set counts once a
    side, as it is stored); empty on a day without calf work."""
    wanted: dict[str, int] = {}
    for week in (uow.plans.current(athlete_id) or {}).get("weeks", []):
        for plan_day in week["days"]:
            if plan_day["date"] != day.isoformat():
                continue
            for session in plan_day["sessions"]:
                for ex in session["exercises"]:
                    per_set = 2 if ex["per_side"] else 1
                    wanted[ex["exercise"]] = wanted.get(ex["exercise"], 0) + ex["sets"] * per_set
    return wanted


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
    uow: UnitOfWork, athlete_id: int, day: date, exercise: str, side: str | None
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
    db: UnitOfWorkFactory,
    athlete: str | None,
    client_id: str,
    item: ClientSet,
    today: date | None = None,
    now: datetime | None = None,
) -> ClientSetResult:
    """:func:`_put_client_set`, once more when the same id was stored by a request running
    at the same moment (the page and the service worker both sending a set): the second
    then finds it and changes nothing. ``now``: the server's clock (default: the real one)."""
    from sqlalchemy.exc import IntegrityError

    try:
        return _put_client_set(db, athlete, client_id, item, today, now)
    except IntegrityError:
        return _put_client_set(db, athlete, client_id, item, today, now)


def _put_client_set(
    db: UnitOfWorkFactory,
    athlete: str | None,
    client_id: str,
    item: ClientSet,
    today: date | None = None,
    now: datetime | None = None,
) -> ClientSetResult:
    """Store a set under the id its client made, once: the same set sent again changes
    nothing; a changed one replaces the stored values when its edit is later (by the client's
    clock) and is refused otherwise, and the result says which. One transaction; re-plans when
    something was stored.

    :raises FieldError: a value not allowed; ``updated_at`` more than CLIENT_CLOCK_AHEAD
        ahead of ``now`` (the real clock by default), or of the end of ``today`` when that
        is later (it would win every later edit).
    """
    _checked_set(
        item.day, item.exercise, 1, item.reps, item.rpe, item.side, item.hold_s, item.load_kg
    )
    check_exercise(item.exercise)
    if today is not None:
        # DOMAIN.md §6: a set dated after today is refused, from the page's queue as from
        # `log` (the restore review found the sync took one; today is the browser's day,
        # web.clock, so a phone ahead of the server logs its own day).
        refuse_future(item.day, today)
    # In UTC: SQLite keeps a time's wall clock and drops its offset.
    clock = now or datetime.now(UTC)
    if today is not None:
        # A fixed "today" (CALFCOACH_TODAY: tests and demos) may be ahead of the real clock: a
        # set tapped on it is not from the future.
        clock = max(clock, datetime.combine(today + timedelta(days=1), time(), tzinfo=UTC))
    moment = check_client_time(
        item.updated_at if item.updated_at.tzinfo else item.updated_at.replace(tzinfo=UTC), clock
    )
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        found = uow.sets.by_client_id(athlete_id, client_id)
        if found is None:
            settle_before_write(uow, athlete_id, name, today or item.day)
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
            _replan_once_a_session(uow, athlete_id, name, item.day, today or item.day, [entry])
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
        settle_before_write(uow, athlete_id, name, today or item.day)
        uow.sets.replace_from_client(athlete_id, sent, moment)
        _replan_once_a_session(uow, athlete_id, name, item.day, today or item.day, [])
        uow.commit()
    return ClientSetResult(sent, "updated", stored)


@dataclass(frozen=True, slots=True)
class DayAsPrescribed:
    """What logging a day as prescribed did: the sets it ``added``; of the ``prescribed``
    sets of the day's plan, how many were logged ``already`` (a per-side set counts once both
    its sides are, as the plan shows it); ``one_sided``: per-side sets logged on one side
    only, whose other side was added."""

    added: list[SetEntry]
    prescribed: int
    already: int
    one_sided: int = 0


def log_as_prescribed(
    db: UnitOfWorkFactory, athlete: str | None, day: date, today: date | None = None
) -> list[SetEntry]:
    """:func:`log_day_as_prescribed`'s new sets (none when the day was logged already)."""
    return log_day_as_prescribed(db, athlete, day, today).added


def log_day_as_prescribed(
    db: UnitOfWorkFactory, athlete: str | None, day: date, today: date | None = None
) -> DayAsPrescribed:
    """Log the strength and primer sets of the day's plan that are not logged yet, as
    prescribed, and re-plan the weeks after ``today`` (default: ``day``). One transaction.

    Sets already logged on ``day`` count toward their exercise's prescription (issue 13: the
    command line, the Today page and the API each logged the whole day again on every call),
    so the day ends with its prescribed sets logged once; when they all were, nothing is
    written and ``added`` is empty. Logging the whole day again is a repeat, not bad input:
    it answers as a repeated ``PUT /sets/{id}`` does (nothing stored twice, no error), which
    also keeps two clients that both tap "as prescribed" from seeing an error.

    :raises InputError: the plan holds no calf work that day, or ``day`` is after ``today``.
    """
    refuse_future(day, today or day)
    view = day_view(db, athlete, day)
    if view.plan_day is None or not view.plan_day["sessions"]:
        raise InputError(f"the plan holds no calf work on {day}; log the sets one by one")
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        run_waiting_replan(uow, athlete_id, name)
        entries, prescribed, already, one_sided = _unlogged_sets(
            uow, athlete_id, day, view.plan_day["sessions"]
        )
        if not entries:
            return DayAsPrescribed([], prescribed, already, one_sided)  # nothing written
        ids = uow.sets.add(athlete_id, entries)
        replan_from_history(uow, athlete_id, name, today or day)
        uow.commit()
    added = [replace(e, id=i) for e, i in zip(entries, ids, strict=True)]
    return DayAsPrescribed(added, prescribed, already, one_sided)


def _unlogged_sets(
    uow: UnitOfWork, athlete_id: int, day: date, sessions: list[dict[str, Any]]
) -> tuple[list[SetEntry], int, int, int]:
    """The day's prescribed sets that are not logged yet, each numbered after the sets of its
    exercise and side; how many sets the plan prescribes, how many of them are logged, and
    how many are logged on one side only.

    Logged sets count toward the plan's exercises in the plan's order, whatever their reps or
    load; on a per-side exercise each side counts on its own (a set logged without a side
    counts for both), and a set missing on one side only is logged on that side, under the
    number of its other side; on a two-legged one each set number counts once, whatever
    sides it was logged with."""
    taken: dict[str, list[tuple[int, str]]] = {}
    counted: dict[tuple[str, str], int] = {}  # logged sets already set against the plan
    next_number: dict[tuple[str, str], int] = {}
    entries: list[SetEntry] = []
    prescribed = already = one_sided = 0
    for session in sessions:
        for ex in session["exercises"]:
            exercise = ex["exercise"]
            if exercise not in taken:
                # Holds the athlete's row until commit (repositories: the next set number),
                # so loggers at once neither count nor number the same sets.
                uow.sets.next_set_number(athlete_id, day, exercise)
                taken[exercise] = uow.sets.numbers_and_sides(athlete_id, day, exercise)
            sides = ("left", "right") if ex["per_side"] else ("",)
            missing: dict[str, int] = {}
            for side in sides:
                numbers = [
                    number
                    for number, logged_side in taken[exercise]
                    if not ex["per_side"] or logged_side in (side, "")
                ]
                if not ex["per_side"]:
                    # A two-legged exercise sent a side at a time (left, then right under the
                    # same number, as PUT /sets/{id} numbers them) is one set a number, as the
                    # pages count it; it counted as two and one prescribed set went unlogged.
                    numbers = list(dict.fromkeys(numbers))
                key = (exercise, side)
                done = min(ex["sets"], len(numbers) - counted.get(key, 0))
                counted[key] = counted.get(key, 0) + done
                missing[side] = ex["sets"] - done
                next_number.setdefault(key, 1 + max(numbers, default=0))
            prescribed += ex["sets"]
            already += ex["sets"] - max(missing.values())
            one_sided += max(missing.values()) - min(missing.values())
            for n in range(max(missing.values())):
                for side in sides:  # a per-side set is one set on each side
                    if n >= missing[side]:
                        continue
                    number = next_number[(exercise, side)]
                    next_number[(exercise, side)] = number + 1
                    entries.append(
                        SetEntry(
                            None,
                            day,
                            exercise,
                            number,
                            ex["reps"],
                            float(ex["load_kg"] or 0.0),
                            ex["rpe"],
                            side or None,  # type: ignore[arg-type]
                            ex.get("hold_s"),
                        )
                    )
    return entries, prescribed, already, one_sided


def edit_set(
    db: UnitOfWorkFactory,
    athlete: str | None,
    entry_id: int,
    reps: int | None,
    load: str | None,
    rpe: float | None,
    today: date | None = None,
) -> SetEntry:
    """Correct a logged set and re-plan.

    :raises FieldError: nothing given (field ``request``: a correction that changes nothing
        would record a change in the audit trail that is none), or a value out of range.
    :raises InputError: no such set for this athlete.
    """
    return correct_set(db, athlete, entry_id, reps, load, rpe, today).after


@dataclass(frozen=True, slots=True)
class SetCorrection:
    """A logged set ``before`` and ``after`` a correction (the same when it changed nothing,
    which writes nothing)."""

    before: SetEntry
    after: SetEntry

    @property
    def changed(self) -> bool:
        return self.before != self.after


def correct_set(
    db: UnitOfWorkFactory,
    athlete: str | None,
    entry_id: int,
    reps: int | None,
    load: str | None,
    rpe: float | None,
    today: date | None = None,
) -> SetCorrection:
    """:func:`edit_set`, saying what the set was before: the web app's audit row names what
    changed ("reps 15→14"). Values equal to the stored ones write nothing and re-plan
    nothing (issue 13: a correction that corrects nothing was recorded as a change). One
    transaction. :raises InputError: no such set for this athlete, or a value out of range.
    """
    from calfcoach.core.inputs import CHANGE_KEEPS, NOTHING_TO_CHANGE, SetChange

    _check_set_id(entry_id)
    if reps is None and load is None and rpe is None:
        fields = ", ".join(SetChange.model_fields)
        raise FieldError("request", NOTHING_TO_CHANGE, f"{fields} ({CHANGE_KEEPS})")
    checked(SetChange, reps=reps, rpe=rpe)
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        run_waiting_replan(uow, athlete_id, name)
        entry = uow.sets.get(athlete_id, entry_id)
        if entry is None:
            raise FieldNotFound("set_id", f"no logged set {entry_id} for {name}", _LOGGED_SET_IDS)
        units = stored_profile(uow, athlete_id, name, entry.day).athlete.units
        changed = replace(
            entry,
            reps=entry.reps if reps is None else reps,
            load_kg=entry.load_kg if load is None else parse_load(load, units),
            rpe=entry.rpe if rpe is None else rpe,
        )
        if changed == entry:
            return SetCorrection(entry, changed)  # nothing to write (the block rolls back)
        uow.sets.replace(athlete_id, changed)
        replan_from_history(uow, athlete_id, name, today or date.today())
        uow.commit()
    return SetCorrection(entry, changed)


_SET_IDS = f"a set id from 1 to {MAX_ID} (see calfcoach today)"
# An id in range that is no logged set: what to look for, not the range (which said
# "from 1 to 9223372036854775807" to a runner who mistyped an id).
_LOGGED_SET_IDS = "the id of a logged set (the #N of calfcoach today, --date for another day)"


def _check_set_id(entry_id: int) -> None:
    if not valid_id(entry_id):
        raise FieldError("set_id", f"{entry_id} is out of range", _SET_IDS)


def delete_set(
    db: UnitOfWorkFactory, athlete: str | None, entry_id: int, today: date | None = None
) -> SetEntry:
    """Delete a logged set and re-plan; returns the set as it was (for the audit trail).

    :raises InputError: no such set for this athlete.
    """
    _check_set_id(entry_id)
    with db.unit_of_work() as uow:
        athlete_id, name = find_athlete(uow, athlete)
        run_waiting_replan(uow, athlete_id, name)
        entry = uow.sets.get(athlete_id, entry_id)
        if entry is None or not uow.sets.delete(athlete_id, entry_id):
            raise FieldNotFound("set_id", f"no logged set {entry_id} for {name}", _LOGGED_SET_IDS)
        replan_from_history(uow, athlete_id, name, today or date.today())
        uow.commit()
    return entry
