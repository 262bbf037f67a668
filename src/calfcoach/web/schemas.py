"""Bodies and responses of the JSON API (pydantic), one class per shape a client sends or gets.

Plans, days and histories are the documents of DESIGN.md's contracts; they are passed through
as objects so the API and the CLI's JSON never drift apart.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt

from calfcoach.core.log import SetEntry


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    code: str = Field(description="not_found, invalid_input, too_large, cross_site, …")
    message: str = Field(description="One line naming the field and the allowed values.")
    field: str | None = Field(description="The field at fault, when there is one.")


class ErrorOut(BaseModel):
    error: ErrorDetail


class AthleteCreate(_Body):
    profile_toml: str = Field(
        min_length=1,
        max_length=64_000,
        description="A profile in DESIGN.md's TOML format (see examples/profile.toml).",
    )
    start: date | None = Field(None, description="First day of the plan; default next Monday.")


class AthleteCreated(BaseModel):
    name: str
    created: bool
    weeks: int
    start: date
    notes: list[str]


class AthleteOut(BaseModel):
    name: str
    units: Literal["metric", "imperial"]
    profile: dict[str, Any] = Field(description="The validated profile, section by section.")
    profile_toml: str


class AthleteListItem(BaseModel):
    name: str


class SetCreate(_Body):
    date: date
    exercise: str = Field(min_length=1, max_length=100, description="A catalog id.")
    sets: int = Field(1, ge=1, le=20)
    reps: int = Field(ge=0, le=500, description="Reps per set; foot contacts for plyometrics.")
    load_kg: float = Field(0.0, ge=0, le=1000, description="External load; 0 = body weight.")
    rpe: float | None = Field(None, ge=1, le=10)
    side: Literal["left", "right"] | None = None
    both_sides: bool = Field(False, description="A per-side set done on each leg.")
    hold_s: int | None = Field(None, ge=1, le=600, description="Seconds held (isometric holds).")


class ClientSetPut(_Body):
    """One set under the id the client made when it was tapped (see ``PUT /sets/{client_id}``)."""

    date: date
    exercise: str = Field(min_length=1, max_length=100, description="A catalog id.")
    reps: int = Field(ge=0, le=500, description="Reps; foot contacts for plyometrics.")
    load_kg: float = Field(0.0, ge=0, le=1000, description="External load; 0 = body weight.")
    rpe: float | None = Field(None, ge=1, le=10)
    side: Literal["left", "right"] | None = None
    hold_s: int | None = Field(None, ge=1, le=600, description="Seconds held (isometric holds).")
    client_updated_at: AwareDatetime = Field(
        description="The client's clock when the set was tapped or last edited, with its UTC "
        "offset; of two different versions of a set, the later one is kept."
    )


class AsPrescribed(_Body):
    date: date


class SetUpdate(_Body):
    reps: int | None = Field(None, ge=0, le=500)
    load_kg: float | None = Field(None, ge=0, le=1000)
    rpe: float | None = Field(None, ge=1, le=10)


class SetOut(BaseModel):
    id: int
    date: date
    exercise: str
    set: int
    reps: int
    load_kg: float
    rpe: float | None
    side: Literal["left", "right"] | None
    hold_s: int | None

    @classmethod
    def of(cls, entry: SetEntry) -> SetOut:
        assert entry.id is not None
        return cls(
            id=entry.id,
            date=entry.day,
            exercise=entry.exercise,
            set=entry.set_number,
            reps=entry.reps,
            load_kg=entry.load_kg,
            rpe=entry.rpe,
            side=entry.side,
            hold_s=entry.hold_s,
        )


RedFlagName = Literal["sudden_pop", "swelling", "night_pain", "calf_swelling_redness"]


class SetValues(BaseModel):
    """A version of a set that was not kept (see ``ClientSetOut.other``)."""

    reps: int
    load_kg: float
    rpe: float | None
    side: Literal["left", "right"] | None
    hold_s: int | None


class ClientSetOut(BaseModel):
    set: SetOut = Field(description="The set as stored now.")
    outcome: Literal["created", "unchanged", "updated", "kept_newer"] = Field(
        description="created: stored now (201). unchanged: this id was stored with these "
        "values already; nothing changed. updated: this later edit replaced `other`. "
        "kept_newer: a later edit (by `client_updated_at`) was stored already, so these "
        "values, echoed in `other`, were not."
    )
    other: SetValues | None = Field(
        None, description="The version that lost: replaced (updated) or refused (kept_newer)."
    )


class CheckInCreate(_Body):
    date: date  # the training day; not after today
    pain_during: int = Field(ge=0, le=10)
    pain_next_morning: int | None = Field(
        None, ge=0, le=10, description="Left out: kept from an earlier check-in for the date."
    )
    pain_before: int | None = Field(None, ge=0, le=10, description="That morning, before.")
    red_flag: RedFlagName | None = Field(
        None, description="Stops the plan's sessions until a clinician's clearance."
    )
    cleared_by_clinician: bool = Field(False, description="Lifts the red flags up to the date.")


class LoadChangeOut(BaseModel):
    exercise: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class NextSession(BaseModel):
    date: date
    changes: list[LoadChangeOut]


class CheckInOut(BaseModel):
    id: int | None
    date: date
    pain_during: int
    pain_next_morning: int | None
    pain_before: int | None = None
    red_flag: RedFlagName | None = None
    cleared_by_clinician: bool = False
    zone: Literal["green", "amber", "red"] | None = None
    advice: str | None = None
    reasons: list[str] = Field(default_factory=list, description="Why the zone, beyond 0–10.")
    notices: list[str] = Field(default_factory=list, description="See-a-clinician notices.")
    next_session: NextSession | None = None


TEST_PAIN = "Pain during the test, 0–10 (0 is pain-free); left out: not recorded."


class HeelRaiseCreate(_Body):
    date: date
    left: int = Field(ge=0, le=300)
    right: int = Field(ge=0, le=300)
    # Strict: a JSON true is no pain rating, nor is 2.0 (the CLI takes whole numbers too).
    pain: StrictInt | None = Field(None, ge=0, le=10, description=TEST_PAIN)


class HopCreate(_Body):
    """A hop test on the injured leg (calf strain, DOMAIN.md §6): only its pain is recorded."""

    date: date
    pain: StrictInt = Field(ge=0, le=10, description=TEST_PAIN)


class SeatedCreate(_Body):
    date: date
    value_kg: float | None = Field(
        None, gt=0, le=1000, description="Measured 1RM; left out: estimated from the log."
    )


class AssessmentOut(BaseModel):
    date: date
    kind: Literal["heel_raise", "seated_1rm", "hop"]
    left_reps: int | None
    right_reps: int | None
    value_kg: float | None
    pain: int | None = Field(None, description="Pain during a heel-raise or hop test, 0–10.")
    lsi: float | None = None
    median_reps: int | None = None
    lines: list[str] = Field(default_factory=list, description="What the test means.")


class ExerciseOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str
    variation: str
