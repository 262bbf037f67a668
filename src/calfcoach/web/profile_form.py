"""The first-run form's fields, and the profile TOML text made from them, so the form is
validated by exactly the code that validates a profile file (core.profile)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from calfcoach.core.profile import EQUIPMENT
from calfcoach.core.units import lb_to_kg, miles_to_km

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RUN_TYPES = ("rest", "easy", "long", "workout")
EXPERIENCE = ("novice", "intermediate", "advanced")
DISTANCES = ("5k", "10k", "half", "marathon", "ultra")
CONDITIONS = ("none", "achilles_tendinopathy", "calf_strain", "plantar_heel_pain")
DEFAULT_WEEK = {
    "monday": "rest",
    "tuesday": "workout",
    "wednesday": "easy",
    "thursday": "easy",
    "friday": "rest",
    "saturday": "easy",
    "sunday": "long",
}

# Form field → (section, key). Field names are the profile's dotted names, so an error that
# names "athlete.body_mass_kg" names the form field too.
_TEXT_FIELDS = {
    "athlete.name": str,
    "athlete.sex": str,
    "athlete.birth_year": int,
    "athlete.strength_experience": str,
    "athlete.units": str,
    "strength.sessions_per_week": int,
    "strength.calf_in_every_session": str,
    "goal.race_date": "date",
    "goal.race_distance": str,
    "health.condition": str,
    "health.pain_now": int,
    "health.painful_side": str,
    "health.achilles_type": str,
    "equipment_loads.backpack_max": float,
    "equipment_loads.barbell": float,
    "equipment_loads.smith_bar": float,
}
# What the athlete owns (DOMAIN.md §2.1): comma-separated numbers, in the profile's units.
_LIST_FIELDS = (
    "equipment_loads.dumbbells",
    "equipment_loads.kettlebells",
    "equipment_loads.plates",
)


def profile_toml_from_form(form: Mapping[str, Any], lists: Mapping[str, list[str]]) -> str:
    """TOML text for the profile the form describes. Values that are not numbers where numbers
    belong are written as strings, so the profile's validation names the field.

    :param form: single values by field name; ``lists``: the checkbox groups.
    """
    sections: dict[str, dict[str, str]] = {
        "athlete": {},
        "running": {},
        "strength": {},
        "goal": {},
        "health": {},
        "assessments": {},
        "equipment_loads": {},
    }
    for field, kind in _TEXT_FIELDS.items():
        raw = str(form.get(field, "")).strip()
        if not raw and field != "athlete.name":
            # (A blank name is written, so the profile's validation refuses it: left out, it
            # would be the default "Runner", and two blank forms one athlete, issue 13.)
            continue
        section, key = field.split(".")
        sections[section][key] = _toml_value(raw, kind)
    # Numbers the form takes in either unit (a select beside each), written in the profile's
    # SI field: body mass to 0.1 kg, a 1RM to 0.01 kg (a load), a distance to 0.1 km.
    for field, unit_field, other, to_si, places in (
        ("athlete.body_mass_kg", "body_mass_unit", "lb", lb_to_kg, 1),
        ("assessments.seated_calf_raise_1rm_kg", "seated_1rm_unit", "lb", lb_to_kg, 2),
        ("running.weekly_km", "distance_unit", "mi", miles_to_km, 1),
    ):
        raw = str(form.get(field, "")).strip()
        if not raw:
            continue
        section, key = field.split(".")
        try:
            number = float(raw)
            value = round(to_si(number), places) if form.get(unit_field) == other else number
            sections[section][key] = repr(value) if value == value else json.dumps(raw)
        except ValueError:
            sections[section][key] = json.dumps(raw)
    sections["athlete"]["equipment"] = json.dumps(lists.get("athlete.equipment") or ["none"])
    for day in WEEKDAYS:
        run = str(form.get(f"running.{day}", "")).strip()
        if run:
            sections["running"][day] = json.dumps(run)
    if form.get("health.previous_calf_strain"):
        sections["health"]["previous_calf_strain"] = "true"
    left = str(form.get("assessments.heel_raise_left", "")).strip()
    right = str(form.get("assessments.heel_raise_right", "")).strip()
    if left or right:
        sections["assessments"]["single_leg_heel_raise_reps"] = (
            f"{{ left = {_toml_value(left, int)}, right = {_toml_value(right, int)} }}"
        )
    for field in _LIST_FIELDS:
        raw = str(form.get(field, "")).strip()
        if raw:
            items = [item.strip() for item in raw.replace(";", ",").split(",") if item.strip()]
            key = field.split(".")[1]
            sections["equipment_loads"][key] = (
                "[" + ", ".join(_toml_value(item, float) for item in items) + "]"
            )
    preferred = lists.get("strength.preferred_days") or []
    if preferred:
        sections["strength"]["preferred_days"] = json.dumps(preferred)
    lines: list[str] = []
    for section, values in sections.items():
        if not values:
            continue
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {value}" for key, value in values.items())
        lines.append("")
    return "\n".join(lines)


def _toml_value(raw: str, kind: object) -> str:
    if not raw:
        return '""'  # refused by the profile's validation, which names the field
    if kind is int or kind is float:
        try:
            number = int(raw) if kind is int else float(raw)
        except ValueError:
            return json.dumps(raw)
        return str(number)
    if kind == "date" and len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        return raw  # a TOML local date; anything else goes in as a string and is refused
    return json.dumps(raw)


EQUIPMENT_CHOICES = tuple(e for e in EQUIPMENT if e != "none")
