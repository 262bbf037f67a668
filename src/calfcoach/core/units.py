"""Display units. Storage and plans are SI (kg); imperial profiles see pounds."""

from __future__ import annotations

KG_PER_LB = 0.45359237


def kg_to_lb(kg: float) -> float:
    return kg / KG_PER_LB


def lb_to_kg(lb: float) -> float:
    return lb * KG_PER_LB


KM_PER_MILE = 1.609344


def miles_to_km(miles: float) -> float:
    return miles * KM_PER_MILE


def format_load(kg: float | None, units: str, pair: bool = False) -> str:
    """``"42.5 kg"``, ``"20 lb"``, ``"2 × 10 lb"`` for a pair of dumbbells (``load_kg`` is both
    together), or ``"body weight"`` for 0; ``""`` when not applicable. Plans hold loads built
    in the athlete's units, so the pounds shown are whole plates, not 8.8 lb."""
    if kg is None:
        return ""
    if kg == 0:
        return "body weight"
    # Loads are kept in kg to 2 decimals: 15 lb comes back as 14.99 lb, so pounds show to 0.1.
    value, unit, places = (kg_to_lb(kg), "lb", 1) if units == "imperial" else (kg, "kg", 2)
    if pair:
        return f"2 × {round(value / 2, places):g} {unit}"
    return f"{round(value, places):g} {unit}"


def format_weight(kg: float, units: str, places: int | None = None) -> str:
    """A weight that is no load to build (a 1RM, a target, the body weight a raise lifts), in
    the athlete's units: ``places`` fixed decimals (``"144 kg"``, ``"317 lb"``), or as
    :func:`format_load` shows a load (kg as given, pounds to 0.1) when None. Never "body
    weight": 0 is ``"0 kg"``."""
    if units == "imperial":
        pounds = kg_to_lb(kg)
        return f"{round(pounds, 1):g} lb" if places is None else f"{pounds:.{places}f} lb"
    return f"{kg:g} kg" if places is None else f"{kg:.{places}f} kg"


def format_mass(kg: float, units: str) -> str:
    """Body mass for display: ``"68 kg"`` or ``"150 lb"``."""
    if units == "imperial":
        return f"{kg_to_lb(kg):.0f} lb"
    return f"{kg:g} kg"


def dose_text(exercise: dict[str, object], units: str, pairs: frozenset[str] = frozenset()) -> str:
    """A plan exercise object as one line: ``"3 × 10 @ 40 kg"``, ``"3 × 12/side @ body
    weight"``, ``"5 × 45 s hold"``, ``"2 × 10 (20 contacts)"``."""
    side = "/side" if exercise.get("per_side") else ""
    sets, reps = exercise.get("sets"), exercise.get("reps")
    if exercise.get("hold_s"):
        return f"{sets} × {exercise['hold_s']} s hold{side}"
    if exercise.get("variation") == "plyometric":
        return f"{sets} × {reps}{side} ({exercise.get('contacts')} contacts)"
    load = exercise.get("load_kg")
    pair = exercise.get("exercise") in pairs
    weight = (
        format_load(float(load), units, pair) if isinstance(load, int | float) else "body weight"
    )
    return f"{sets} × {reps}{side} @ {weight}"
