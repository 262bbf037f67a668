"""What the athlete did and felt: logged sets, pain check-ins and assessments (plain values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Side = Literal["left", "right"]
AssessmentKind = Literal["heel_raise", "seated_1rm"]


@dataclass(frozen=True, slots=True)
class SetEntry:
    """One logged set. ``load_kg`` is external load (0 for body weight); ``reps`` counts
    foot contacts for plyometrics; ``hold_s`` is set for isometric holds."""

    id: int | None
    day: date
    exercise: str
    set_number: int
    reps: int
    load_kg: float
    rpe: float | None = None
    side: Side | None = None
    hold_s: int | None = None


@dataclass(frozen=True, slots=True)
class CheckIn:
    """Pain during calf loading and the next morning, 0–10 (Silbernagel et al. 2007)."""

    id: int | None
    day: date
    pain_during: int
    pain_next_morning: int | None


@dataclass(frozen=True, slots=True)
class Assessment:
    """A heel-raise test (reps each side) or a seated-raise 1RM (kg)."""

    id: int | None
    day: date
    kind: AssessmentKind
    left_reps: int | None = None
    right_reps: int | None = None
    value_kg: float | None = None
