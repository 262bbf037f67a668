"""The backup document (``calfcoach export --format json``), validated on restore."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from calfcoach.core.log import Assessment
from calfcoach.errors import InputError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanBackup(_Strict):
    created_at: datetime
    start: date
    current: bool
    document: str


class SetBackup(_Strict):
    day: date
    exercise: str = Field(min_length=1, max_length=80)
    set: int = Field(ge=1)
    reps: int = Field(ge=0)
    load_kg: float = Field(ge=0)
    rpe: float | None = Field(default=None, ge=1, le=10)
    side: Literal["left", "right"] | None = None
    hold_s: int | None = Field(default=None, ge=1)


class CheckInBackup(_Strict):
    day: date
    pain_during: int = Field(ge=0, le=10)
    pain_next_morning: int | None = Field(default=None, ge=0, le=10)
    # Added with migration 0006; backups written before it have none of them.
    pain_before: int | None = Field(default=None, ge=0, le=10)
    red_flag: Literal["sudden_pop", "swelling", "night_pain", "calf_swelling_redness"] | None = None
    cleared_by_clinician: bool = False


class AssessmentBackup(_Strict):
    day: date
    kind: Literal["heel_raise", "seated_1rm"]
    left_reps: int | None = Field(default=None, ge=0)
    right_reps: int | None = Field(default=None, ge=0)
    value_kg: float | None = Field(default=None, gt=0)

    def to_core(self) -> Assessment:
        return Assessment(None, self.day, self.kind, self.left_reps, self.right_reps, self.value_kg)


class AthleteBackup(_Strict):
    name: str = Field(min_length=1, max_length=100)
    profile_toml: str
    created_at: datetime
    plans: list[PlanBackup]
    sets: list[SetBackup]
    checkins: list[CheckInBackup]
    assessments: list[AssessmentBackup]


class BackupDocument(_Strict):
    calfcoach_backup: Literal[1]
    athletes: list[AthleteBackup]


def read_backup(document: Any, source: str) -> BackupDocument:
    """:raises InputError: not a calfcoach backup, or a bad value, naming its path."""
    if not isinstance(document, dict) or "calfcoach_backup" not in document:
        raise InputError(
            f"{source}: not a calfcoach backup; allowed: a file written by "
            "`calfcoach export --format json`"
        )
    try:
        return BackupDocument.model_validate(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        path = ".".join(str(p) for p in error["loc"])
        raise InputError(f"{source}: field {path}: {error['msg']}") from None
