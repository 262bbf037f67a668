"""The plan: plain msgspec structs mirroring the plan JSON contract (DESIGN.md), and its
conversion to and from that JSON's Python form (dicts and lists).

Structs, not dataclasses (issue 13's speed): a plan of 20 weeks makes a few hundred of them, and
a struct is made in C, several times faster than a dataclass's generated ``__init__`` (and its
class without compiling generated methods at import). They are not tracked by the cyclic
collector (``gc=False``): a plan is a tree (a week holds its days, a day its sessions), never a
cycle, so the collector has nothing to find in one; its lists are still tracked. A prescription
compares equal without its explanation (``why``: a re-plan with explanations is the same plan),
said by its own ``__eq__``."""

from __future__ import annotations

import datetime as dt
import math
import re
from datetime import timedelta
from typing import Any, Literal

import msgspec

from calfcoach.core.msgspec_errors import split_error
from calfcoach.core.profile import WEEKDAYS, RaceDistance

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


class Reason(msgspec.Struct, gc=False):
    """Why one part of a prescription is what it is (DOMAIN.md §7, DESIGN.md "Explanations")."""

    about: str  # load | volume | tempo | rest | day | choice
    text: str
    rule: str | None = None
    section: str | None = None
    source: str | None = None


class Change(msgspec.Struct, gc=False):
    """A change the re-planner made to a prescription after the plan was first made."""

    date: dt.date
    cause: str  # log | checkin | assessment | missed | import
    rule: str | None
    text: str
    # sets, reps, load_kg; hold_s for a hold; the exercise where it was another (change_dose)
    before: dict[str, Any]
    after: dict[str, Any]


def change_dose(p: Prescription, instead_of: Prescription | None = None) -> dict[str, Any]:
    """A :class:`Change`'s before or after: sets, reps and load, and a hold's seconds (a
    hold read "3×1 @ body weight" in ``explain``: issue 13, physio review B8). The before of
    a change to another exercise (``instead_of``: the after) names its exercise too: its
    load reads by that exercise's kit ("2 × 2 kg" for a pair of dumbbells, not "4 kg")."""
    dose: dict[str, Any] = {"sets": p.sets, "reps": p.reps, "load_kg": p.load_kg}
    if p.hold_s is not None:
        dose["hold_s"] = p.hold_s
    if instead_of is not None and instead_of.exercise != p.exercise:
        dose["exercise"] = p.exercise
    return dose


class Why(msgspec.Struct, gc=False):
    """The provenance the planner records as it decides; ``explain`` reads it back."""

    reasons: list[Reason] = msgspec.field(default_factory=list)
    changes: list[Change] = msgspec.field(default_factory=list)


class Prescription(msgspec.Struct, gc=False):
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
    why: Why | None = None

    def __eq__(self, other: object) -> bool:
        """The dose, field for field; ``why`` left out (its provenance, not the dose)."""
        if not isinstance(other, Prescription):
            return NotImplemented
        o = other
        return (
            self.exercise == o.exercise
            and self.variation == o.variation
            and self.sets == o.sets
            and self.reps == o.reps
            and self.per_side == o.per_side
            and self.load_kg == o.load_kg
            and self.load_x_bodyweight == o.load_x_bodyweight
            and self.rpe == o.rpe
            and self.tempo == o.tempo
            and self.rest_s == o.rest_s
            and self.contacts == o.contacts
            and self.hold_s == o.hold_s
            and self.system_load_kg == o.system_load_kg
        )


class SessionTest(msgspec.Struct, gc=False):
    """A re-test at the start of a session (DOMAIN.md §2.2): the single-leg heel-raise test, or
    a seated test set of ``reps`` at ``rpe`` on ``exercise`` in place of one of its sets."""

    test: str  # heel_raise | seated_test_set
    exercise: str | None = None
    reps: int | None = None
    rpe: float | None = None


class Session(msgspec.Struct, gc=False):
    kind: SessionKind
    exercises: list[Prescription]
    # Added to the plan contract (optional for readers): re-tests that open the session.
    tests: list[SessionTest] = msgspec.field(default_factory=list)


class Day(msgspec.Struct, gc=False):
    date: dt.date
    weekday: str
    run: DayRun
    sessions: list[Session] = msgspec.field(default_factory=list)


class Week(msgspec.Struct, gc=False):
    index: int
    start: dt.date
    phase: Phase
    deload: bool
    days: list[Day]


# What a note of the diary's re-plans marks, for the code that reads it back: the week's
# sessions stopped by a red flag, the rest of the week halved by a red check-in, or turned into
# holds and seated raises only (red twice in a row; pain above 5 with Achilles tendinopathy).
WarningMark = Literal["sessions_stopped", "red_rest_of_week", "holds_rest_of_week"]


class PlanWarning(msgspec.Struct, gc=False):
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
    # On a red_rest_of_week mark: the week's plyometric contacts as planned before red cut
    # them, the pre-flare dose of a flare in the plan's first week (core.replanning).
    contacts: int | None = None


class AthleteRef(msgspec.Struct, gc=False):
    name: str
    body_mass_kg: float


class Race(msgspec.Struct, gc=False):
    date: dt.date
    distance: RaceDistance  # a profile's distances: "42k" is no plan's race (issue 14)


class Plan(msgspec.Struct, gc=False):
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
        if w.contacts is not None:
            found["contacts"] = w.contacts
    return found


def plan_from_dict(data: Any, strict: bool = False) -> Plan:
    """Read a plan document (parsed JSON), checking its shape.

    Unknown extra fields are ignored (contracts grow by adding fields). ``strict``: a plan
    file from anywhere: a number is a JSON number and a flag a JSON boolean ("3" and 1 are
    refused, issue 14); plans the diary stored itself are read without that extra care.

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
    try:
        # Strict: nothing is coerced but an ISO date's text (JSON has no dates).
        plan = msgspec.convert(data, Plan, strict=strict)
    except msgspec.ValidationError as exc:
        raise _format_error(str(exc), data) from exc
    _check_calendar(plan)
    _check_numbers(plan)
    return plan


# msgspec's words for a value it refused ("Expected `int | null`, got `str` - at
# `$.weeks[0].days[1]`"), read back into the one line a user gets: the JSON path, the value
# found and what is allowed.
_EXPECTED = re.compile(r"^Expected `(?P<expected>[^`]*)`, got `[^`]*`$")
_MISSING = re.compile(r"^Object missing required field `(?P<field>[^`]*)`$")
_ALLOWED_OF_TYPE = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "str": "a string",
    "date": "a date (YYYY-MM-DD)",
    "array": "a list",
    "object": "an object",
}


def _format_error(message: str, data: Any) -> PlanFormatError:
    what, where = split_error(message)
    parts: list[str | int] = [name if name else int(index) for name, index in where]
    missing = _MISSING.match(what)
    if missing:
        return PlanFormatError(_json_path([*parts, missing["field"]]), "is missing")
    path = _json_path(parts)
    value = _shown(_value_at(data, parts))
    literal = _literal_at(parts)
    if literal is not None and (what.startswith("Invalid enum value") or _EXPECTED.match(what)):
        # (A null or a number where a string of fixed values belongs: those values.)
        return PlanFormatError(path, f"{value} is not allowed", literal)
    expected = _EXPECTED.match(what)
    if expected:
        kinds = [kind for kind in expected["expected"].split(" | ") if kind != "null"]
        allowed = " or ".join(_ALLOWED_OF_TYPE.get(kind, kind) for kind in kinds)
        return PlanFormatError(path, f"{value} is not {allowed}", allowed)
    if "date" in what:  # "Invalid RFC3339 encoded date"
        allowed = _ALLOWED_OF_TYPE["date"]
        return PlanFormatError(path, f"{value} is not {allowed}", allowed)
    return PlanFormatError(path, f"{value}: {what[:1].lower()}{what[1:]}")


# The most of a refused value an error line shows (a 10 MB string was echoed whole).
_SHOWN_CHARS = 60


def _shown(value: Any) -> str:
    """A refused value as the error line shows it: its repr, cut to _SHOWN_CHARS."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _json_path(parts: list[str | int]) -> str:
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _value_at(data: Any, parts: list[str | int]) -> Any:
    for part in parts:  # where msgspec found the value it refused: it is there
        data = data[part]
    return data


def _literal_at(parts: list[str | int]) -> str | None:
    """What the Literal field at ``parts`` of a plan allows, in the order its type lists them
    (msgspec's message names none)."""
    import types
    import typing

    kind: Any = Plan
    for part in [*parts, None]:
        if typing.get_origin(kind) in (typing.Union, types.UnionType):  # optional: not None
            kind = next(k for k in typing.get_args(kind) if k is not type(None))
        if part is None:
            break
        if isinstance(part, int) and typing.get_origin(kind) is list:
            (kind,) = typing.get_args(kind)
        elif isinstance(part, str) and isinstance(kind, type) and issubclass(kind, msgspec.Struct):
            kind = typing.get_type_hints(kind)[part]
        else:
            return None
    if typing.get_origin(kind) is not Literal:
        return None
    values = [str(value) for value in typing.get_args(kind)]
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


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


def _check_calendar(plan: Plan) -> None:
    if not plan.weeks:  # (every command reads a plan's first week)
        raise PlanFormatError("weeks", "is empty", allowed="a plan's weeks, one or more")
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
