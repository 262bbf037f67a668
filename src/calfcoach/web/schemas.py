"""Bodies and responses of the JSON API (pydantic), one class per shape a client sends or gets.

Plans, days and histories are the documents of DESIGN.md's contracts; they are passed through
as objects so the API and the CLI's JSON never drift apart.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from calfcoach.core.inputs import (
    CheckInInput,
    Day,
    HeelRaiseInput,
    HoldS,
    HopInput,
    LoadKg,
    Reps,
    Rpe,
    SeatedInput,
    SetChange,
    SetInput,
    Side,
)
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
    start: Day | None = Field(None, description="First day of the plan; default next Monday.")


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


class SetCreate(SetInput):
    """Sets of one exercise (core.inputs: the limits the CLI and the pages use too)."""


class ClientSetPut(_Body):
    """One set under the id the client made when it was tapped (see ``PUT /sets/{client_id}``)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    date: Day
    exercise: str = Field(min_length=1, max_length=100, description="A catalog id.")
    reps: Reps = Field(description="Reps; foot contacts for plyometrics.")
    load_kg: LoadKg = Field(0.0, description="External load; 0 = body weight.")
    rpe: Rpe | None = None
    side: Side | None = None
    hold_s: HoldS | None = Field(None, description="Seconds held (isometric holds).")
    client_updated_at: AwareDatetime = Field(
        description="The client's clock when the set was tapped or last edited, with its UTC "
        "offset; of two different versions of a set, the later one is kept."
    )


class AsPrescribed(_Body):
    date: Day


class SetUpdate(SetChange):
    """A correction: what is given replaces, what is left out stays."""


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


class CheckInCreate(CheckInInput):
    """A training day's pain; the date not after today (core.inputs)."""


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


class HeelRaiseCreate(HeelRaiseInput):
    """Single-leg heel raises to failure, each side, and the pain during the test."""


class HopCreate(HopInput):
    """A hop test on the injured leg (calf strain, DOMAIN.md §6): only its pain is recorded."""


class SeatedCreate(SeatedInput):
    """A seated calf-raise 1RM, measured or (left out) estimated from the log."""


class AssessmentOut(BaseModel):
    """A test as services.progress.AssessmentResult.to_json gives it, the same JSON as
    `calfcoach assess --format json`: the fields below and, by kind, the comparison with
    the norms (`percent_of_median`, `meets_return_to_run`, `target_kg`, …)."""

    model_config = ConfigDict(extra="allow")
    date: date
    kind: Literal["heel_raise", "seated_1rm", "hop"]
    left_reps: int | None = None
    right_reps: int | None = None
    value_kg: float | None = None
    pain: int | None = Field(None, description="Pain during a heel-raise or hop test, 0–10.")
    lsi: float | None = None
    median_reps: int | None = None
    median: int | None = Field(
        None, description="The same as median_reps (the name `calfcoach assess` uses)."
    )
    lines: list[str] = Field(default_factory=list, description="What the test means.")


class ExerciseOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str
    variation: str
