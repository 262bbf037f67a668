"""What a person may enter: a logged set, a correction, a pain check-in, a test, a catalog
filter. Every limit is defined here once; the command line, the pages and the JSON API all
build these models (issue 13, "one input model").

A refusal is an :class:`InvalidInput` naming the neutral field (``load_kg``, ``pain_during``);
each shell words it its own way (``--load`` on the command line, the form's field on a page)
from one table of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
)

from calfcoach.core.limits import (
    DAYS_ALLOWED,
    FIRST_DAY,
    HEEL_RAISE_REPS,
    HOLD_S,
    LAST_DAY,
    LOAD_KG,
    ONE_RM_KG,
    PAIN,
    REPS,
    RPE,
    SETS,
)
from calfcoach.core.log import RED_FLAGS, RedFlag
from calfcoach.core.profile import EQUIPMENT, Equipment

Side = Literal["left", "right"]
Variation = Literal["straight_leg", "bent_knee", "plyometric"]


class InvalidInput(ValueError):
    """A value a person entered that is not allowed; ``field`` is the neutral name."""

    def __init__(self, field: str, problem: str, allowed: str) -> None:
        self.field = field
        self.problem = problem
        self.allowed = allowed
        super().__init__(f"{field}: {problem}; allowed: {allowed}")


_OUT_OF_CALENDAR = "out of the calendar"


def _in_calendar(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        # Worded by describe() below, with the value and DAYS_ALLOWED.
        raise ValueError(_OUT_OF_CALENDAR)
    return day


Day = Annotated[date, AfterValidator(_in_calendar)]


# One type a limit, so a model's field says its limit by name.
Sets = Annotated[StrictInt, Field(ge=SETS.low, le=SETS.high)]
Reps = Annotated[StrictInt, Field(ge=REPS.low, le=REPS.high)]
LoadKg = Annotated[StrictFloat, Field(ge=LOAD_KG.low, le=LOAD_KG.high)]
Rpe = Annotated[StrictFloat, Field(ge=RPE.low, le=RPE.high)]
HoldS = Annotated[StrictInt, Field(ge=HOLD_S.low, le=HOLD_S.high)]
Pain = Annotated[StrictInt, Field(ge=PAIN.low, le=PAIN.high)]
HeelRaiseReps = Annotated[StrictInt, Field(ge=HEEL_RAISE_REPS.low, le=HEEL_RAISE_REPS.high)]
OneRmKg = Annotated[StrictFloat, Field(gt=ONE_RM_KG.low, le=ONE_RM_KG.high)]


class _Input(BaseModel):
    # Strict numbers: "68" or true is no number (pydantic's lax mode took them, issue 14);
    # finite only. Dates stay lax so the API's ISO strings parse; the calendar bounds them.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class SetInput(_Input):
    """Sets of one exercise, as logged."""

    date: Day
    exercise: str = Field(min_length=1, max_length=100, description="A catalog id.")
    sets: Sets = 1
    reps: Reps = Field(description="Reps per set; foot contacts for plyometrics.")
    load_kg: LoadKg = Field(0.0, description="External load; 0 = body weight.")
    rpe: Rpe | None = None
    side: Side | None = None
    both_sides: StrictBool = Field(False, description="A per-side set done on each leg.")
    hold_s: HoldS | None = Field(None, description="Seconds held (isometric holds).")


class SetChange(_Input):
    """A correction of a logged set: what is given replaces, what is left out stays. One
    that gives nothing is refused by the service every shell calls (it would record in the
    audit trail a change that is none): see :data:`NOTHING_TO_CHANGE`."""

    reps: Reps | None = None
    load_kg: LoadKg | None = None
    rpe: Rpe | None = None


# A correction that gives none of SetChange's fields, as every shell words it (the command
# line and the API alike, issue 13): the problem, and what is allowed after the fields.
NOTHING_TO_CHANGE = "nothing to change"
CHANGE_KEEPS = "what you give replaces, what you leave out stays"


class CheckInInput(_Input):
    date: Day  # the training day; not after today
    pain_during: Pain
    pain_next_morning: Pain | None = Field(
        None, description="Left out: kept from an earlier check-in for the date."
    )
    pain_before: Pain | None = Field(None, description="That morning, before.")
    red_flag: RedFlag | None = Field(
        None, description="Stops the plan's sessions until a clinician's clearance."
    )
    cleared_by_clinician: StrictBool = Field(
        False, description="Lifts the red flags up to the date."
    )


class HeelRaiseInput(_Input):
    date: Day
    left: HeelRaiseReps
    right: HeelRaiseReps
    pain: Pain | None = Field(
        None, description="Pain during the test, 0–10 (0: pain-free); None: not recorded."
    )


class HopInput(_Input):
    """A calf strain's hop test: the pain while hopping on the injured leg (DOMAIN.md §6)."""

    date: Day
    pain: Pain


class SeatedInput(_Input):
    date: Day
    value_kg: OneRmKg | None = Field(
        None, description="Measured 1RM; left out: estimated from the log."
    )


class CatalogFilter(_Input):
    """Which exercises of the catalog to show; None: no filter."""

    variation: Variation | None = None
    equipment: list[Equipment] | None = None


# The allowed values of each field, as the one line of an error says them.
ALLOWED: dict[str, str] = {
    "date": DAYS_ALLOWED,
    "exercise": "a catalog id (see calfcoach exercises)",
    "sets": SETS.allowed(),
    "reps": REPS.allowed(),
    "load_kg": LOAD_KG.allowed(),
    "rpe": RPE.allowed(),
    "side": "left, right",
    "both_sides": "true or false",
    "hold_s": HOLD_S.allowed(),
    "pain_during": PAIN.allowed(),
    "pain_next_morning": PAIN.allowed(),
    "pain_before": PAIN.allowed(),
    "red_flag": ", ".join(RED_FLAGS),
    "cleared_by_clinician": "true or false",
    "pain": PAIN.allowed() + " (0 is pain-free)",
    "left": HEEL_RAISE_REPS.allowed(),
    "right": HEEL_RAISE_REPS.allowed(),
    "value_kg": ONE_RM_KG.allowed(),
    "variation": "straight_leg, bent_knee, plyometric",
    "equipment": ", ".join(EQUIPMENT),
}

_OUT_OF_RANGE = {
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "finite_number",
    "value_error",
}

M = TypeVar("M", bound=BaseModel)


def describe(error: Mapping[str, Any], fields: Iterable[str] = ()) -> InvalidInput:
    """One pydantic error (``ValidationError.errors()[0]``) as an :class:`InvalidInput`.
    ``fields``: the fields the model has, named as what is allowed for a field it has not."""
    field = ".".join(str(part) for part in error.get("loc", ()) if not isinstance(part, int))
    raw = error.get("input")
    # A value is echoed so the person sees what was refused, but never a 400-digit one whole.
    value: Any = _shortened(raw)
    shown = f"{raw:g}" if isinstance(raw, float) else str(value)
    kind = str(error.get("type", ""))
    if kind in _OUT_OF_RANGE:
        problem = f"{shown} is out of range"
    elif kind == "missing":
        problem = "is missing"
    elif kind == "extra_forbidden":
        problem = "is not a field here"
    elif kind in ("literal_error", "enum"):
        problem = f"{value!r} is not allowed"
    elif kind.startswith("int"):
        problem = f"{value!r} is not a whole number"
    elif kind.startswith("float"):
        problem = f"{value!r} is not a number"
    elif kind.startswith("date"):
        problem = f"{value!r} is not a date"
    elif kind == "json_invalid":
        problem = "is not valid JSON"
    elif kind in _NOT_AN_OBJECT:
        problem = f"{value!r} is not an object"
    elif kind.startswith("uuid"):
        problem = f"{value!r} is not a UUID"
    elif kind.startswith("bool"):
        problem = f"{value!r} is not true or false"
    elif kind == "string_too_short":
        problem = "is empty" if raw == "" else f"{value!r} is too short"
    elif kind == "string_too_long":
        problem = f"is too long ({len(str(raw))} characters)"
    else:
        problem = f"{value!r}: {error.get('msg', 'is not allowed')}"
    top = field.split(".")[-1]
    allowed = (
        ALLOWED.get(top)
        or _bounds(error.get("ctx") or {})
        or _allowed_for_kind(kind, fields)
        or str(error.get("msg", ""))
    )
    if _OUT_OF_CALENDAR in str(error.get("msg", "")):
        allowed = DAYS_ALLOWED  # any date field: "from", "to", "start"
    return InvalidInput(field or "request", problem, allowed)


_ECHO_MAX = 40


def _shortened(value: Any) -> Any:
    """``value``, or for a long one its text cut in the middle ("99999…99999 (400 characters)")."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= _ECHO_MAX:
        return value
    return f"{text[:16]}…{text[-8:]} ({len(text)} characters)"


# A pydantic error that means the request was not an object (a list, a string, a number).
_NOT_AN_OBJECT = frozenset({"dict_type", "model_type", "model_attributes_type"})
# What a value of each kind must look like, for errors that carry no bounds and fields with
# no entry in ALLOWED (pydantic's own message is no list of allowed values).
_KIND_ALLOWED = (
    ("int", "a whole number"),
    ("float", "a number"),
    ("date", "a date as YYYY-MM-DD"),
    ("uuid", "a UUID such as 0b6e1d1c-3f7a-4c1e-9a53-2f6c1b0e8d41"),
    ("bool", "true or false"),
    ("json_invalid", "a JSON object"),
    ("string_type", "text"),
)


def _allowed_for_kind(kind: str, fields: Iterable[str]) -> str:
    if kind == "extra_forbidden" or kind in _NOT_AN_OBJECT:
        names = ", ".join(fields)
        return f"an object with the fields {names}" if names else "an object"
    return next((allowed for prefix, allowed in _KIND_ALLOWED if kind.startswith(prefix)), "")


def _bounds(ctx: dict[str, Any]) -> str:
    """A range from a pydantic error's context ({"le": 10}), for a field not in ALLOWED."""
    if "min_length" in ctx or "max_length" in ctx:
        low, high = ctx.get("min_length"), ctx.get("max_length")
        if low is not None and high is not None:
            return f"{low} to {high} characters"
        if high is not None:
            return f"up to {high} characters"
        return f"at least {low} character{'' if low == 1 else 's'}"
    low = ctx.get("ge", ctx.get("gt"))
    high = ctx.get("le", ctx.get("lt"))
    if low is not None and high is not None:
        return f"{low} to {high}"
    if high is not None:
        return f"up to {high}"
    return "" if low is None else f"from {low}"


def validated(model: type[M], **values: Any) -> M:
    """``model(**values)``. :raises InvalidInput: the first value not allowed."""
    try:
        return model(**values)
    except ValidationError as exc:
        raise describe(exc.errors()[0], model.model_fields) from None
