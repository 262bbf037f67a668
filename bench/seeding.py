"""A logged diary for the benches: sessions of three calf exercises, a side each for the
single-leg ones, with reps and loads drawn from a seeded generator (the same diary every run).

bench/log_speed.py fills ten years of daily sessions for one runner; bench/web_load_club.py a
year of two or three sessions a week for each of a club's athletes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

# (exercise id, base load in kg, logged a side at a time)
EXERCISES = (
    ("seated-dumbbell-calf-raise", 20.0, False),
    ("kettlebell-single-leg-calf-raise", 6.0, True),
    ("lunge-calf-raise", 8.0, True),
    ("dumbbell-single-leg-calf-raise", 6.0, True),
    ("seated-smith-calf-raise", 40.0, False),
)


def session_rows(
    athlete_id: int, day: date, rng: random.Random, sets: tuple[int, ...], now: datetime
) -> Iterator[dict[str, Any]]:
    """One session's `set_logs` rows: three exercises, each of a number of sets drawn from
    ``sets``."""
    for exercise, load, per_side in rng.sample(EXERCISES, 3):
        for number in range(1, rng.choice(sets) + 1):
            for side in ("left", "right") if per_side else (None,):
                yield {
                    "athlete_id": athlete_id,
                    "day": day,
                    "exercise": exercise,
                    "set_number": number,
                    "reps": rng.randint(6, 15),
                    "load_kg": load + rng.randint(0, 10) * 2,
                    "rpe": 7.0,
                    "side": side,
                    "hold_s": None,
                    "created_at": now,
                }
