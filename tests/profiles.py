"""Hypothesis strategies for valid profiles, shared by the property tests and the benchmark."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from calfcoach.core.profile import EQUIPMENT, WEEKDAYS

TODAY = date(2026, 11, 24)
PLAN_START = date(2026, 11, 30)

_kit = [item for item in EQUIPMENT if item != "none"]


@st.composite
def profile_dicts(draw: st.DrawFn, race: bool | None = None) -> dict[str, Any]:
    """A valid profile as the dict a TOML file would parse into."""
    equipment = draw(st.lists(st.sampled_from(_kit), unique=True, max_size=len(_kit)))
    athlete: dict[str, Any] = {
        "name": "Gen",
        "body_mass_kg": draw(st.floats(min_value=30, max_value=250, allow_nan=False)),
        "strength_experience": draw(st.sampled_from(["novice", "intermediate", "advanced"])),
        "equipment": equipment or ["none"],
        "units": draw(st.sampled_from(["metric", "imperial"])),
    }
    if draw(st.booleans()):
        athlete["birth_year"] = draw(st.integers(min_value=1940, max_value=2010))
    if draw(st.booleans()):
        athlete["sex"] = draw(st.sampled_from(["female", "male"]))
    running = {day: draw(st.sampled_from(["rest", "easy", "long", "workout"])) for day in WEEKDAYS}
    strength: dict[str, Any] = {
        "sessions_per_week": draw(st.integers(min_value=1, max_value=4)),
        "preferred_days": draw(st.lists(st.sampled_from(WEEKDAYS), unique=True, max_size=4)),
        "calf_in_every_session": draw(st.sampled_from(["strength", "all"])),
    }
    health: dict[str, Any] = {
        "condition": draw(
            st.sampled_from(
                ["none", "none", "achilles_tendinopathy", "calf_strain", "plantar_heel_pain"]
            )
        ),
        "pain_now": draw(st.integers(min_value=0, max_value=10)),
        "previous_calf_strain": draw(st.booleans()),
        "painful_side": draw(st.sampled_from(["left", "right", "both"])),
        "achilles_type": draw(st.sampled_from(["midportion", "insertional"])),
    }
    profile: dict[str, Any] = {
        "athlete": athlete,
        "running": running,
        "strength": strength,
        "health": health,
    }
    with_race = draw(st.booleans()) if race is None else race
    if with_race:
        weeks_away = draw(st.integers(min_value=0, max_value=40))
        profile["goal"] = {
            "race_date": PLAN_START
            + timedelta(weeks=weeks_away, days=draw(st.integers(min_value=0, max_value=6))),
            "race_distance": draw(st.sampled_from(["5k", "10k", "half", "marathon", "ultra"])),
        }
    assessments: dict[str, Any] = {}
    if draw(st.booleans()):
        assessments["single_leg_heel_raise_reps"] = {
            "left": draw(st.integers(min_value=0, max_value=50)),
            "right": draw(st.integers(min_value=0, max_value=50)),
        }
    if draw(st.booleans()):
        assessments["seated_calf_raise_1rm_kg"] = draw(
            st.floats(min_value=10, max_value=300, allow_nan=False)
        )
    if assessments:
        profile["assessments"] = assessments
    if draw(st.booleans()):
        # What the athlete owns (DOMAIN.md §2.1), in the profile's units.
        loads = st.floats(min_value=1, max_value=60, allow_nan=False).map(lambda v: round(v, 1))
        owned: dict[str, Any] = {}
        for key in ("dumbbells", "kettlebells", "plates"):
            if draw(st.booleans()):
                owned[key] = draw(st.lists(loads, min_size=1, max_size=8, unique=True))
        if draw(st.booleans()):
            owned["backpack_max"] = draw(loads)
        if draw(st.booleans()):
            owned["barbell"] = draw(st.sampled_from([10, 15, 20]))
        profile["equipment_loads"] = owned
    return profile
