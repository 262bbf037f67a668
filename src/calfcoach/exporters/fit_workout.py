"""FIT workout files (one per strength session) written with garmin-fit-sdk's Encoder, for a
Garmin watch's strength-training workouts: each exercise is a block of an active step (reps,
weight, FIT exercise category and name) and a rest step, repeated for its sets.

The Encoder writes only a message's main fields (a sub-field name such as ``duration_reps``
or ``repeat_steps`` is dropped without a word), so the raw ``duration_value`` and
``target_value`` are written and tests check the files by decoding them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from garmin_fit_sdk import Encoder, Profile

from calfcoach.core.catalog import Catalog, name_for
from calfcoach.exporters.sessions import PlannedSession, title

MESG = Profile["mesg_num"]
CALF_RAISE, PLYO = 1, 20  # exercise_category
DURATION_TIME, DURATION_REPS, REPEAT_UNTIL_STEPS = 0, 29, 6  # wkt_step_duration
ACTIVE, REST = 0, 1  # intensity
KILOGRAM, POUND = 1, 2  # fit_base_unit
STEP_NAME_BYTES = 50

# Catalog id → (exercise_category, exercise_name) of the FIT profile. The FIT profile has no
# pogo, skip or bound: vertical in-place hops take jump_squat, travelling hops
# lateral_leap_and_hop (the closest there are); the step keeps the catalog's name.
FIT_EXERCISE: dict[str, tuple[int, int]] = {
    "barbell-single-leg-calf-raise": (CALF_RAISE, 16),  # single_leg_standing_dumbbell_…
    "kettlebell-single-leg-calf-raise": (CALF_RAISE, 16),
    "dumbbell-single-leg-calf-raise": (CALF_RAISE, 16),
    "plate-single-leg-calf-raise": (CALF_RAISE, 16),
    "backpack-single-leg-calf-raise": (CALF_RAISE, 16),
    "towel-single-leg-calf-raise": (CALF_RAISE, 16),
    "standing-calf-machine-raise": (CALF_RAISE, 19),  # weighted_standing_calf_raise
    "smith-standing-calf-raise": (CALF_RAISE, 17),  # standing_barbell_calf_raise
    "leg-press-calf-press": (CALF_RAISE, 19),
    "single-leg-calf-raise": (CALF_RAISE, 15),  # single_leg_standing_calf_raise
    "eccentric-heel-drop": (CALF_RAISE, 15),
    "double-leg-calf-raise": (CALF_RAISE, 18),  # standing_calf_raise
    "isometric-calf-hold": (CALF_RAISE, 18),
    "seated-smith-calf-raise": (CALF_RAISE, 7),  # weighted_seated_calf_raise
    "seated-calf-machine-raise": (CALF_RAISE, 7),
    "seated-barbell-calf-raise": (CALF_RAISE, 7),
    "seated-dumbbell-calf-raise": (CALF_RAISE, 7),
    "seated-kettlebell-calf-raise": (CALF_RAISE, 7),
    "seated-plate-calf-raise": (CALF_RAISE, 7),
    "bent-knee-isometric-hold": (CALF_RAISE, 6),  # seated_calf_raise
    "wall-sit-calf-raise": (CALF_RAISE, 6),
    "lunge-calf-raise": (CALF_RAISE, 10),  # weighted_single_leg_bent_knee_calf_raise
    "backpack-bent-knee-calf-raise": (CALF_RAISE, 10),
    "single-leg-bent-knee-calf-raise": (CALF_RAISE, 9),  # single_leg_bent_knee_calf_raise
    "pogo-hops": (PLYO, 37),  # jump_squat
    "rear-foot-elevated-pogo": (PLYO, 37),
    "skipping": (PLYO, 37),
    "line-hops": (PLYO, 17),  # lateral_leap_and_hop
    "alternating-hops": (PLYO, 17),
    "single-leg-hops": (PLYO, 17),
    "bounding": (PLYO, 17),
    "drop-jumps": (PLYO, 7),  # depth_jump
}


def fit_exercise(exercise_id: str, variation: str) -> tuple[int, int]:
    """The FIT category and name for a catalog exercise (a calf raise or plyo by variation
    for an id this table does not know)."""
    if exercise_id in FIT_EXERCISE:
        return FIT_EXERCISE[exercise_id]
    if variation == "plyometric":
        return PLYO, 37
    return (CALF_RAISE, 7) if variation == "bent_knee" else (CALF_RAISE, 18)


def _name(text: str) -> str:
    # FIT strings are bytes on the watch; keep names short enough for its screen.
    return text.encode("utf-8")[:STEP_NAME_BYTES].decode("utf-8", "ignore")


def workout_steps(
    session: PlannedSession, units: str, catalog: Catalog, insertional: bool = False
) -> list[dict[str, Any]]:
    """The workout_step messages: per exercise, an active step a side, a rest step, and a
    repeat step back to the block's first step for its sets. ``insertional``: each raise by
    its flat-floor name (core.catalog.name_for): a watch shows the name alone, and a coach's
    trial found "on a step" on an insertional Achilles runner's watch."""
    steps: list[dict[str, Any]] = []
    display = POUND if units == "imperial" else KILOGRAM
    for ex in session.exercises:
        entry = catalog.get(ex["exercise"])
        name = name_for(entry, insertional) if entry else ex["exercise"]
        category, fit_name = fit_exercise(ex["exercise"], ex["variation"])
        first = len(steps)
        sides = ("left", "right") if ex.get("per_side") else (None,)
        for side in sides:
            step: dict[str, Any] = {
                "message_index": len(steps),
                "wkt_step_name": _name(f"{name} ({side})" if side else name),
                "intensity": ACTIVE,
                "target_type": 2,  # open: no pace or heart-rate target
                "exercise_category": category,
                "exercise_name": fit_name,
                "weight_display_unit": display,
            }
            if ex.get("hold_s"):
                step["duration_type"] = DURATION_TIME
                step["duration_value"] = int(ex["hold_s"]) * 1000  # ms, duration_time's scale
            else:
                step["duration_type"] = DURATION_REPS
                step["duration_value"] = int(ex["reps"])
            if ex.get("load_kg"):
                step["exercise_weight"] = float(ex["load_kg"])  # kg; the Encoder scales by 100
            if ex.get("tempo"):
                step["notes"] = _name(f"tempo {ex['tempo']}")
            steps.append(step)
        if ex.get("rest_s"):
            steps.append(
                {
                    "message_index": len(steps),
                    "wkt_step_name": "Rest",
                    "intensity": REST,
                    "duration_type": DURATION_TIME,
                    "duration_value": int(ex["rest_s"]) * 1000,
                    "target_type": 2,
                }
            )
        if ex["sets"] > 1:
            steps.append(
                {
                    "message_index": len(steps),
                    "duration_type": REPEAT_UNTIL_STEPS,
                    "duration_value": first,  # back to the block's first step
                    "target_value": int(ex["sets"]),  # repeat_steps: sets in all
                }
            )
    return steps


def workout_file(
    session: PlannedSession,
    units: str,
    catalog: Catalog,
    created: datetime,
    serial: int,
    insertional: bool = False,
) -> bytes:
    """One FIT workout file (file_id of type workout, a workout message, its steps);
    ``insertional``: flat-floor names (workout_steps)."""
    steps = workout_steps(session, units, catalog, insertional)
    encoder = Encoder()
    encoder.on_mesg(
        MESG["FILE_ID"],
        {
            "type": 5,  # workout
            "manufacturer": 255,  # development
            "product": 0,
            "serial_number": serial,
            "time_created": created,
        },
    )
    encoder.on_mesg(
        MESG["WORKOUT"],
        {
            "wkt_name": _name(title(session)),
            "wkt_description": _name(f"{session.day:%a %d %b %Y}, week {session.week}, calfcoach"),
            "sport": 10,  # training
            "sub_sport": 20,  # strength_training
            "num_valid_steps": len(steps),
        },
    )
    for step in steps:
        encoder.on_mesg(MESG["WORKOUT_STEP"], step)
    return bytes(encoder.close())
