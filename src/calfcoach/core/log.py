"""What the athlete did and felt: logged sets, pain check-ins and assessments (plain values)."""

from __future__ import annotations

from datetime import date
from typing import Literal

import msgspec

Side = Literal["left", "right"]
AssessmentKind = Literal["heel_raise", "seated_1rm", "hop"]
# DOMAIN.md §6: signs that stop the plan until a clinician has seen them.
RedFlag = Literal["sudden_pop", "swelling", "night_pain", "calf_swelling_redness"]
RED_FLAGS: tuple[RedFlag, ...] = ("sudden_pop", "swelling", "night_pain", "calf_swelling_redness")


class SetEntry(msgspec.Struct, frozen=True):
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


class CheckIn(msgspec.Struct, frozen=True):
    """One training day's pain, 0–10 (Silbernagel et al. 2007): during calf loading, the next
    morning (may come later) and that morning before training; a red flag seen, and whether a
    clinician has cleared the athlete (which lifts the red flags recorded up to this day)."""

    id: int | None
    day: date
    pain_during: int
    pain_next_morning: int | None
    pain_before: int | None = None
    red_flag: RedFlag | None = None
    cleared_by_clinician: bool = False


class Assessment(msgspec.Struct, frozen=True):
    """A heel-raise test (reps each side), a seated-raise 1RM (kg) or a hop test (pain only).

    ``pain``: 0–10 during a heel-raise or hop test, None when not recorded; "pain-free" raises
    and hops are the ones assessed with pain 0 (DOMAIN.md §6)."""

    id: int | None
    day: date
    kind: AssessmentKind
    left_reps: int | None = None
    right_reps: int | None = None
    value_kg: float | None = None
    pain: int | None = None
