"""Club defaults (issue 16): checked as a profile's fields, and filled into a new athlete's
profile only where it says nothing."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from calfcoach.core.profile import parse_profile
from calfcoach.errors import FieldError
from calfcoach.services.club import (
    ClubDefaults,
    parse_loads,
    profile_with_defaults,
    validated,
)
from calfcoach.web.club_form import defaults_from_form, form_values
from tests.conftest import MAX_PLAN_WEEKS

TODAY = date(2026, 11, 24)
GYM = ClubDefaults(
    ("dumbbells", "plates", "barbell", "rack"),
    {"dumbbells": [2.0, 4.0, 6.0], "plates": [1.25, 2.5, 5.0], "barbell": 20.0},
    ("tuesday", "friday"),
)
PROFILE = """# a comment the person wrote
[athlete]
name = "Kim"  # new
body_mass_kg = 61

[running]
monday = "rest"
"""


def test_valid_defaults_come_back_normalised_as_a_profile_reads_them() -> None:
    defaults = validated(
        ["step", "dumbbells"], {"dumbbells": [6.0, 2.0, 4.0, 2.0]}, ["friday", "tuesday"], TODAY
    )
    assert defaults.equipment == ("step", "dumbbells")
    assert defaults.loads == {"dumbbells": [2.0, 4.0, 6.0]}  # sorted, each once
    assert defaults.preferred_days == ("tuesday", "friday")  # week order
    assert validated([], {}, [], TODAY).is_empty


@pytest.mark.parametrize(
    ("equipment", "loads", "days", "field"),
    [
        (["treadmill"], {}, [], "athlete.equipment.0"),
        (["none", "step"], {}, [], "athlete.equipment"),
        ([], {"plates": [0.0]}, [], "equipment_loads.plates.0"),
        ([], {"barbell": "heavy"}, [], "equipment_loads.barbell"),
        ([], {"dumbbells": []}, [], "equipment_loads.dumbbells"),
        ([], {}, ["monday", "monday"], "strength.preferred_days"),
        ([], {}, ["someday"], "strength.preferred_days.0"),
    ],
)
def test_what_a_profile_refuses_the_defaults_refuse(
    equipment: list[str], loads: dict[str, object], days: list[str], field: str
) -> None:
    with pytest.raises(FieldError) as refused:
        validated(equipment, loads, days, TODAY)
    assert refused.value.field == field
    assert refused.value.allowed


@pytest.mark.parametrize(
    "loads",
    [
        {"dumbbells": [2.0, "x"]},
        {"plates": [5000.0]},
        {"backpack_max": "abc"},
        {"barbell": -20.0},
    ],
)
def test_a_refused_club_load_says_kg_as_the_defaults_are(loads: dict[str, object]) -> None:
    """The club gym's loads are kg (``club show``, README); a profile's own words for these
    limits ("in the profile's units") read as pounds to an imperial user."""
    with pytest.raises(FieldError) as refused:
        validated([], loads, [], TODAY)
    assert refused.value.field.startswith("equipment_loads")
    assert refused.value.allowed.endswith(", in kg")
    assert "profile's units" not in str(refused.value)


def test_loads_typed_by_a_person() -> None:
    assert parse_loads("dumbbells", "2, 4;6.5") == [2.0, 4.0, 6.5]
    assert parse_loads("barbell", "20") == 20.0
    assert parse_loads("barbell", "20, 15") == "20, 15"  # one bar: left for the profile to refuse
    assert parse_loads("plates", "1.25, x") == [1.25, "x"]
    with pytest.raises(FieldError) as refused:
        parse_loads("sandbags", "10")
    assert refused.value.field == "equipment_loads"


def test_defaults_fill_only_what_the_profile_leaves_out_and_keep_its_comments() -> None:
    text, filled = profile_with_defaults(PROFILE, GYM)
    assert filled == ["athlete.equipment", "equipment_loads", "strength.preferred_days"]
    assert "# a comment the person wrote" in text and "# new" in text
    profile = parse_profile(text, "kim.toml", TODAY, max_plan_weeks=MAX_PLAN_WEEKS)
    assert profile.equipment == {"dumbbells", "plates", "barbell", "rack"}
    assert profile.equipment_loads.barbell == 20.0
    assert profile.strength.preferred_days == ("tuesday", "friday")

    own = (
        PROFILE.replace("body_mass_kg = 61", 'body_mass_kg = 61\nequipment = ["kettlebell"]')
        + '\n[strength]\nsessions_per_week = 3\npreferred_days = ["monday"]\n'
    )
    text, filled = profile_with_defaults(own, GYM)
    data = tomllib.loads(text)
    assert filled == ["equipment_loads"]
    assert data["athlete"]["equipment"] == ["kettlebell"]
    assert data["strength"] == {"sessions_per_week": 3, "preferred_days": ["monday"]}


def test_kilogram_loads_are_not_offered_to_an_imperial_profile() -> None:
    imperial = PROFILE.replace("body_mass_kg = 61", 'body_mass_kg = 61\nunits = "imperial"')
    text, filled = profile_with_defaults(imperial, GYM)
    assert "equipment_loads" not in filled
    assert "equipment_loads" not in tomllib.loads(text)


@pytest.mark.parametrize("text", ["not [toml", "[running]\nmonday = 'rest'\n", ""])
def test_text_that_is_no_profile_comes_back_untouched(text: str) -> None:
    assert profile_with_defaults(text, GYM) == (text, [])


def test_no_defaults_change_nothing() -> None:
    assert profile_with_defaults(PROFILE, None) == (PROFILE, [])
    assert profile_with_defaults(PROFILE, ClubDefaults()) == (PROFILE, [])


def test_the_form_shows_the_defaults_and_reads_them_back() -> None:
    values, lists = form_values(GYM)
    assert values == {
        "equipment_loads.barbell": "20",
        "equipment_loads.dumbbells": "2, 4, 6",
        "equipment_loads.plates": "1.25, 2.5, 5",
    }
    assert lists["strength.preferred_days"] == ["tuesday", "friday"]
    again = defaults_from_form(values, lists, TODAY)
    assert (again.equipment, again.loads, again.preferred_days) == (
        GYM.equipment,
        GYM.loads,
        GYM.preferred_days,
    )
    assert form_values(None) == ({}, {})
