"""The done state of the Today page: what a session added up to, beside the last time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class SessionTotals:
    sets: int  # a per-side set (left and right) counts once
    volume_kg: float  # reps × external load over every side
    holds: int
    hold_s: int
    contacts: int  # foot contacts of plyometrics


def totals(sets: list[dict[str, Any]], plyometric: set[str]) -> SessionTotals:
    """Totals of logged sets (``logged_dict`` rows with their ``exercise``).

    Volume is on the external load, as the Progress page charts it; body weight is left out
    (the conservative reading: the same number the athlete sees elsewhere).
    """
    numbered = {(s["exercise"], s["set"]) for s in sets}
    holds = [s for s in sets if s.get("hold_s")]
    return SessionTotals(
        sets=len(numbered),
        volume_kg=round(sum(s["reps"] * s["load_kg"] for s in sets if not s.get("hold_s")), 1),
        holds=len(holds),
        hold_s=sum(int(s["hold_s"]) for s in holds),
        contacts=sum(s["reps"] for s in sets if s["exercise"] in plyometric),
    )


@dataclass(frozen=True, slots=True)
class SessionSummary:
    now: SessionTotals
    last_day: date | None
    last: SessionTotals | None
