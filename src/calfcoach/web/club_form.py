"""The club defaults' form fields (issue 16): named as the first-run form's (the profile's
dotted names), so the defaults pre-fill that form and are refused with its field names."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from calfcoach.services.club import LOAD_KEYS, ClubDefaults, parse_loads, validated

EQUIPMENT_FIELD = "athlete.equipment"
DAYS_FIELD = "strength.preferred_days"
LIST_FIELDS = (EQUIPMENT_FIELD, DAYS_FIELD)


def form_values(defaults: ClubDefaults | None) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The form's text fields and checkbox groups holding ``defaults``."""
    if defaults is None:
        return {}, {}
    values = {
        f"equipment_loads.{key}": _shown(value) for key, value in sorted(defaults.loads.items())
    }
    lists = {
        EQUIPMENT_FIELD: list(defaults.equipment),
        DAYS_FIELD: list(defaults.preferred_days),
    }
    return values, lists


def defaults_from_form(
    values: Mapping[str, str], lists: Mapping[str, list[str]], today: date
) -> ClubDefaults:
    """:raises FieldError: a value a profile would refuse, naming the form's field."""
    loads: dict[str, Any] = {}
    for key in LOAD_KEYS:
        raw = str(values.get(f"equipment_loads.{key}", "")).strip()
        if raw:
            loads[key] = parse_loads(key, raw)
    return validated(lists.get(EQUIPMENT_FIELD, []), loads, lists.get(DAYS_FIELD, []), today)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(f"{item:g}" for item in value)
    return f"{value:g}"
