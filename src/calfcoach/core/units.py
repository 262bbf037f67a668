"""Display units. Storage and plans are SI (kg); imperial profiles see pounds."""

from __future__ import annotations

KG_PER_LB = 0.45359237


def kg_to_lb(kg: float) -> float:
    return kg / KG_PER_LB


def lb_to_kg(lb: float) -> float:
    return lb * KG_PER_LB


def format_load(kg: float | None, units: str) -> str:
    """``"42.5 kg"``, ``"93.7 lb"``, or ``"body weight"`` for 0; ``""`` when not applicable."""
    if kg is None:
        return ""
    if kg == 0:
        return "body weight"
    if units == "imperial":
        return f"{kg_to_lb(kg):.1f} lb"
    return f"{kg:g} kg"


def format_mass(kg: float, units: str) -> str:
    """Body mass for display: ``"68 kg"`` or ``"150 lb"``."""
    if units == "imperial":
        return f"{kg_to_lb(kg):.0f} lb"
    return f"{kg:g} kg"
