"""The plan: plain dataclasses mirroring the plan JSON contract (DESIGN.md), and its
conversion to and from that JSON's Python form (dicts and lists).

The rest of the core's value types are msgspec structs (core.norms says why); these stay
dataclasses because a prescription compares equal without its explanation (``why``, a field
left out of ``==``: a re-plan with explanations is the same plan), which a struct cannot say."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from calfcoach.core.profile import WEEKDAYS, RaceDistance

if TYPE_CHECKING:
    from pydantic import TypeAdapter

PLAN_FORMAT_VERSION = 1
Phase = Literal["foundation", "strength", "power", "taper", "race", "recovery", "maintenance"]
PHASES: tuple[Phase, ...] = (
    "foundation",
    "strength",
    "power",
    "taper",
    "race",
    "recovery",
    "maintenance",
)
SessionKind = Literal["strength", "primer"]
# The weekly pattern holds rest/easy/long/workout; the race day itself is "race".
DayRun = Literal["rest", "easy", "long", "workout", "race"]


@dataclass(slots=True)
class Reason:
    """Why one part of a prescription is what it is (DOMAIN.md §7, DESIGN.md "Explanations")."""

    about: str  # load | volume | tempo | rest | day | choice
    text: str
    rule: str | None = None
    section: str | None = None
    source: str | None = None


@dataclass(slots=True)
class Change:
    """A change the re-planner made to a prescription after the plan was first made."""

    date: dt.date
    cause: str  # log | checkin | assessment | missed | import
    rule: str | None
    text: str
    before: dict[str, Any]  # sets, reps, load_kg; hold_s for a hold (change_dose)
    after: dict[str, Any]


def change_dose(p: Prescription) -> dict[str, Any]:
    """A :class:`Change`'s before or after: sets, reps and load, and a hold's seconds (a
    hold read "3×1 @ body weight" in ``explain``: issue 13, physio review B8)."""
    dose: dict[str, Any] = {"sets": p.sets, "reps": p.reps, "load_kg": p.load_kg}
    if p.hold_s is not None:
        dose["hold_s"] = p.hold_s
    return dose


@dataclass(slots=True)
class Why:
    """The provenance the planner records as it decides; ``explain`` reads it back."""

    reasons: list[Reason] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


@dataclass(slots=True)
class Prescription:
    """One exercise of a session. ``reps`` is per set (and per side when ``per_side``)."""

    exercise: str
    variation: str
    sets: int
    reps: int
    per_side: bool
    load_kg: float | None
    load_x_bodyweight: float | None
    rpe: float | None
    tempo: str | None
    rest_s: int | None
    contacts: int | None
    hold_s: int | None = None
    # DOMAIN.md §2.1: bodyweight_share × body mass + load_kg; None for plyometrics.
    system_load_kg: float | None = None
    # Provenance, not dose: two prescriptions with the same dose are equal whatever their why.
    why: Why | None = field(default=None, compare=False)


@dataclass(slots=True)
class SessionTest:
    """A re-test at the start of a session (DOMAIN.md §2.2): the single-leg heel-raise test, or
    a seated test set of ``reps`` at ``rpe`` on ``exercise`` in place of one of its sets."""

    test: str  # heel_raise | seated_test_set
    exercise: str | None = None
    reps: int | None = None
    rpe: float | None = None


@dataclass(slots=True)
class Session:
    kind: SessionKind
    exercises: list[Prescription]
    # Added to the plan contract (optional for readers): re-tests that open the session.
    tests: list[SessionTest] = field(default_factory=list)


@dataclass(slots=True)
class Day:
    date: dt.date
    weekday: str
    run: DayRun
    sessions: list[Session] = field(default_factory=list)


@dataclass(slots=True)
class Week:
    index: int
    start: dt.date
    phase: Phase
    deload: bool
    days: list[Day]


# What a note of the diary's re-plans marks, for the code that reads it back: the week's
# sessions stopped by a red flag, or the rest of the week halved by a red check-in.
WarningMark = Literal["sessions_stopped", "red_rest_of_week"]


@dataclass(slots=True)
class PlanWarning:
    """A rule bent on purpose (``rule`` set) or a note; ``week``/``date`` say where.

    ``mark`` and ``checkin_day`` (added in plan format 1, optional for readers) say what a
    note of the diary's re-plans marks and the day of the check-in it comes from, so that
    core.replanning reads them back rather than the message's words (issue 13: rewording a
    note must not change what it does). None in plans made from a profile; a plan document
    holds them beside each dose's provenance (``plan_to_dict(provenance=True)``)."""

    rule: str | None
    week: int | None
    date: dt.date | None
    message: str
    mark: WarningMark | None = None
    checkin_day: dt.date | None = None


@dataclass(slots=True)
class AthleteRef:
    name: str
    body_mass_kg: float


@dataclass(slots=True)
class Race:
    date: dt.date
    distance: RaceDistance  # a profile's distances: "42k" is no plan's race (issue 14)


@dataclass(slots=True)
class Plan:
    athlete: AthleteRef
    start: dt.date
    race: Race | None
    weeks: list[Week]
    warnings: list[PlanWarning]
    calfcoach_plan: int = PLAN_FORMAT_VERSION

    def days(self) -> list[tuple[Week, Day]]:
        return [(week, day) for week in self.weeks for day in week.days]


class PlanFormatError(ValueError):
    """A plan document that does not follow the contract; ``field`` is a JSON path."""

    def __init__(self, field: str, problem: str, allowed: str | None = None) -> None:
        self.field = field
        self.problem = problem
        self.allowed = allowed
        text = f"field {field}: {problem}" if field else problem
        if allowed:
            text += f"; allowed: {allowed}"
        super().__init__(text)


def _number(value: float | None) -> float | int | None:
    """Whole numbers print as integers (``"rpe": 7``), others as they are."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def prescription_to_dict(p: Prescription, provenance: bool = False) -> dict[str, Any]:
    out = {
        "exercise": p.exercise,
        "variation": p.variation,
        "sets": p.sets,
        "reps": p.reps,
        "per_side": p.per_side,
        "load_kg": None if p.load_kg is None else float(p.load_kg),
        "load_x_bodyweight": p.load_x_bodyweight,
        "rpe": _number(p.rpe),
        "tempo": p.tempo,
        "rest_s": p.rest_s,
        "contacts": p.contacts,
        "hold_s": p.hold_s,
        "system_load_kg": p.system_load_kg,
    }
    if provenance and p.why is not None:
        out["why"] = why_to_dict(p.why)
    return out


def why_to_dict(why: Why) -> dict[str, Any]:
    return {
        "reasons": [
            {
                "about": r.about,
                "text": r.text,
                "rule": r.rule,
                "section": r.section,
                "source": r.source,
            }
            for r in why.reasons
        ],
        "changes": [
            {
                "date": c.date.isoformat(),
                "cause": c.cause,
                "rule": c.rule,
                "text": c.text,
                "before": c.before,
                "after": c.after,
            }
            for c in why.changes
        ],
    }


def day_to_dict(day: Day, provenance: bool = False) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        "weekday": day.weekday,
        "run": day.run,
        "sessions": [_session_to_dict(s, provenance) for s in day.sessions],
    }


def _session_to_dict(session: Session, provenance: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": session.kind,
        "exercises": [prescription_to_dict(p, provenance) for p in session.exercises],
    }
    if session.tests:
        out["tests"] = [
            {"test": t.test, "exercise": t.exercise, "reps": t.reps, "rpe": _number(t.rpe)}
            for t in session.tests
        ]
    return out


def plan_to_dict(plan: Plan, provenance: bool = False) -> dict[str, Any]:
    """The plan in the JSON contract's shape, field for field. ``provenance`` adds each
    exercise's ``why`` (the diary keeps it for ``explain``)."""
    return {
        "calfcoach_plan": plan.calfcoach_plan,
        "athlete": {"name": plan.athlete.name, "body_mass_kg": float(plan.athlete.body_mass_kg)},
        "start": plan.start.isoformat(),
        "race": None
        if plan.race is None
        else {"date": plan.race.date.isoformat(), "distance": plan.race.distance},
        "weeks": [
            {
                "index": week.index,
                "start": week.start.isoformat(),
                "phase": week.phase,
                "deload": week.deload,
                "days": [day_to_dict(day, provenance) for day in week.days],
            }
            for week in plan.weeks
        ],
        "warnings": [_warning_to_dict(w, provenance) for w in plan.warnings],
    }


def _warning_to_dict(w: PlanWarning, provenance: bool) -> dict[str, Any]:
    found: dict[str, Any] = {
        "rule": w.rule,
        "week": w.week,
        "date": None if w.date is None else w.date.isoformat(),
        "message": w.message,
    }
    if provenance and w.mark is not None:
        found["mark"] = w.mark
        found["checkin_day"] = None if w.checkin_day is None else w.checkin_day.isoformat()
    return found


@lru_cache(maxsize=1)
def _plan_adapter() -> TypeAdapter[Plan]:
    # Imported here: building plans never needs it, only reading plan files does.
    from pydantic import TypeAdapter

    return TypeAdapter(Plan)


def plan_from_dict(data: Any, strict: bool = False) -> Plan:
    """Read a plan document (parsed JSON), checking its shape.

    Unknown extra fields are ignored (contracts grow by adding fields). ``strict``: a plan
    file from anywhere: a number is a JSON number and a flag a JSON boolean ("3" and 1 are
    refused, issue 14); plans the diary stored itself are read without that extra pass.

    :raises PlanFormatError: a missing or mistyped field, or weeks/days out of order.
    """
    if not isinstance(data, dict):
        raise PlanFormatError("", "a plan is a JSON object", allowed='{"calfcoach_plan": 1, ...}')
    version = data.get("calfcoach_plan")
    if "calfcoach_plan" not in data:
        # Most likely some other JSON file: say what a plan file is.
        raise PlanFormatError(
            "calfcoach_plan",
            "is missing: not a calfcoach plan",
            allowed=f"a plan written by calfcoach plan --format json (calfcoach_plan = "
            f"{PLAN_FORMAT_VERSION})",
        )
    if type(version) is not int or version != PLAN_FORMAT_VERSION:  # `true` is not 1
        raise PlanFormatError(
            "calfcoach_plan",
            f"unsupported plan format {version!r}",
            allowed=str(PLAN_FORMAT_VERSION),
        )
    from pydantic import ValidationError

    try:
        if strict:
            import json

            # Strict JSON mode: ISO dates parse as in the file, nothing else is coerced.
            plan = _plan_adapter().validate_json(json.dumps(data), strict=True)
        else:
            plan = _plan_adapter().validate_python(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        path = _json_path(error["loc"])
        kind = str(error["type"])
        problem, allowed = str(error["msg"]), _ALLOWED_OF_TYPE.get(kind)
        if kind == "literal_error":
            problem = f"{error.get('input')!r} is not allowed"
            allowed = str(error.get("ctx", {}).get("expected", "")).replace("'", "")
        elif allowed is not None:
            problem = f"{error.get('input')!r} is not {allowed}"
        raise PlanFormatError(path, problem, allowed) from exc
    _check_calendar(plan)
    _check_numbers(plan)
    return plan


# The one line for a value of the wrong JSON type (a strict plan file).
_ALLOWED_OF_TYPE = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string",
    "date_type": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "list_type": "a list",
    "dict_type": "an object",
    "dataclass_type": "an object",
}


# What a plan's numbers may be (issue 14: a plan file is checked against the contract before
# any rule runs): finite, and within what any calf plan holds.
_LIMITS = {
    "sets": (1, 50),
    "reps": (1, 1000),
    "load_kg": (0, 1000),
    "load_x_bodyweight": (0, 50),
    "system_load_kg": (0, 2000),
    "rpe": (1, 10),
    "rest_s": (0, 3600),
    "contacts": (0, 10_000),
    "hold_s": (1, 3600),
}


def _check_numbers(plan: Plan) -> None:
    if not 30 <= plan.athlete.body_mass_kg <= 250:
        raise PlanFormatError(
            "athlete.body_mass_kg", f"is {plan.athlete.body_mass_kg}", allowed="30 to 250"
        )
    for w, week in enumerate(plan.weeks):
        for d, day in enumerate(week.days):
            for s, session in enumerate(day.sessions):
                for e, ex in enumerate(session.exercises):
                    for name, (low, high) in _LIMITS.items():
                        value = getattr(ex, name)
                        if value is None:
                            continue
                        if isinstance(value, bool) or not (
                            math.isfinite(value) and low <= value <= high
                        ):
                            raise PlanFormatError(
                                f"weeks[{w}].days[{d}].sessions[{s}].exercises[{e}].{name}",
                                f"{value!r} is out of range",
                                allowed=f"{low} to {high}",
                            )


def _json_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            path += f"[{part}]"
        elif part in ("dataclass-arguments", "function-after"):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path


def _check_calendar(plan: Plan) -> None:
    if plan.start.weekday() != 0:
        raise PlanFormatError("start", f"{plan.start} is not a Monday", allowed="a Monday")
    for w, week in enumerate(plan.weeks):
        where = f"weeks[{w}]"
        expected_start = plan.start + timedelta(weeks=w)
        if week.index != w + 1:
            raise PlanFormatError(f"{where}.index", f"is {week.index}", allowed=str(w + 1))
        if week.start != expected_start:
            raise PlanFormatError(
                f"{where}.start", f"is {week.start}", allowed=expected_start.isoformat()
            )
        if len(week.days) != 7:
            raise PlanFormatError(
                f"{where}.days", f"holds {len(week.days)} days", allowed="7 days, Monday first"
            )
        for d, day in enumerate(week.days):
            expected = expected_start + timedelta(days=d)
            if day.date != expected or day.weekday != WEEKDAYS[d]:
                raise PlanFormatError(
                    f"{where}.days[{d}]",
                    f"is {day.weekday} {day.date}",
                    allowed=f"{WEEKDAYS[d]} {expected.isoformat()}",
                )
            for s, session in enumerate(day.sessions):
                for e, ex in enumerate(session.exercises):
                    if ex.sets < 1 or ex.reps < 1:
                        raise PlanFormatError(
                            f"{where}.days[{d}].sessions[{s}].exercises[{e}]",
                            "sets and reps must be at least 1",
                            allowed="whole numbers from 1",
                        )
