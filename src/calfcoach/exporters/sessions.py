"""The plan's sessions as things to put in a calendar or on a watch: a title naming the
variations, a line per exercise in the athlete's units, and how long the session takes."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from calfcoach.core.catalog import BODY_WEIGHT_CUE, Catalog, cues_for, name_for
from calfcoach.core.units import dose_text

VARIATION_WORD = {
    "straight_leg": "straight-leg",
    "bent_knee": "bent-knee",
    "plyometric": "plyometric",
}
# Seconds a rep takes when the tempo is not given (plyometric contacts, primers).
DEFAULT_REP_S = 2
WARM_UP_MIN = 5


@dataclass(frozen=True, slots=True)
class PlannedSession:
    day: date
    kind: str  # strength | primer
    number: int  # 1 for the day's first session of this kind
    week: int
    phase: str
    exercises: tuple[dict[str, Any], ...]  # the plan contract's exercise objects
    tests: tuple[dict[str, Any], ...] = ()  # re-tests that open the session (DOMAIN.md §2.2)


def planned_sessions(plan: dict[str, Any]) -> Iterator[PlannedSession]:
    """Every session of a plan document, in date order."""
    for week in plan["weeks"]:
        for day in week["days"]:
            seen: dict[str, int] = {}
            for session in day["sessions"]:
                seen[session["kind"]] = seen.get(session["kind"], 0) + 1
                yield PlannedSession(
                    date.fromisoformat(day["date"]),
                    session["kind"],
                    seen[session["kind"]],
                    week["index"],
                    week["phase"],
                    tuple(session["exercises"]),
                    tuple(session.get("tests") or ()),
                )


def title(session: PlannedSession) -> str:
    """ "Calves: bent-knee + plyometric" for a strength session, "Calf primer: …" otherwise."""
    words: list[str] = []
    for ex in session.exercises:
        word = VARIATION_WORD.get(ex["variation"], ex["variation"])
        if word not in words:
            words.append(word)
    head = "Calves" if session.kind == "strength" else "Calf primer"
    return f"{head}: {' + '.join(words)}"


def exercise_line(
    ex: dict[str, Any],
    units: str,
    catalog: Catalog,
    insertional: bool = False,
    pairs: frozenset[str] = frozenset(),
) -> str:
    """ "Seated dumbbell calf raise — 3 × 12 @ 2 × 6 kg · tempo 3-1-1-0 · rest 75 s";
    ``insertional``: the flat-floor name its cue goes with (core.catalog.name_for);
    ``pairs``: the exercises loaded with a pair of dumbbells (a load then reads "2 × 6 kg")."""
    entry = catalog.get(ex["exercise"])
    name = name_for(entry, insertional) if entry else ex["exercise"]
    parts = [f"{name} — {dose_text(ex, units, pairs)}"]
    if ex.get("tempo"):
        parts.append(f"tempo {ex['tempo']}")
    if ex.get("rest_s"):
        parts.append(f"rest {ex['rest_s']} s")
    return " · ".join(parts)


def test_line(test: dict[str, Any], catalog: Catalog, insertional: bool = False) -> str:
    """A re-test in one line, for the calendar and the printed plan; ``insertional``: the
    heel-raise test on the flat floor (DOMAIN.md §6)."""
    if test.get("test") == "heel_raise":
        where = " on the flat floor" if insertional else ""
        return f"Test first: single-leg heel-raise test{where}, 1 raise / 2 s, to fatigue, each leg"
    entry = catalog.get(test.get("exercise") or "")
    name = entry.name if entry else test.get("exercise")
    return (
        f"Test: one set of {name} is a test set, {test.get('reps')} reps at RPE {test.get('rpe')}"
    )


def first_cue(ex: dict[str, Any], catalog: Catalog, insertional: bool = False) -> str | None:
    """The exercise's first cue; for insertional Achilles pain the flat-floor one, the cue
    ``today`` shows too (core.catalog.cues_for, DOMAIN.md §6)."""
    entry = catalog.get(ex["exercise"])
    if entry is None:
        return None
    # At body weight, the first cue that sets the raise up: the load beside it says "body
    # weight" already.
    cues = [c for c in cues_for(entry, insertional, ex.get("load_kg")) if c != BODY_WEIGHT_CUE]
    return cues[0] if cues else None


def minutes(session: PlannedSession) -> int:
    """An estimate of the session's length: every set's reps at its tempo plus the rest
    after it, and a short warm-up; rounded up to 5 minutes."""
    seconds = WARM_UP_MIN * 60
    for ex in session.exercises:
        sides = 2 if ex.get("per_side") else 1
        if ex.get("hold_s"):
            work = ex["hold_s"]
        else:
            tempo = ex.get("tempo")
            # An "X" (explosive) phase counts a second.
            per_rep = (
                sum(int(p) if p.isdigit() else 1 for p in tempo.split("-"))
                if tempo
                else DEFAULT_REP_S
            )
            work = ex["reps"] * per_rep
        seconds += ex["sets"] * (sides * work + (ex.get("rest_s") or 0))
    return max(10, 5 * math.ceil(seconds / 300))


def session_uid(athlete: str, session: PlannedSession) -> str:
    """Stable across re-plans and re-exports: athlete, date and session, nothing else."""
    who = hashlib.sha256(athlete.encode()).hexdigest()[:12]
    return f"{session.day.isoformat()}-{session.kind}-{session.number}-{who}@calfcoach"
