"""The one input model (core.inputs, issue 13): every limit in one place, strict and finite
numbers, dates from 1900 to 2100, refusals under neutral field names that each shell words
from its own table."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from calfcoach.cli import OPTION_NAMES
from calfcoach.core.inputs import (
    ALLOWED,
    CatalogFilter,
    CheckInInput,
    HeelRaiseInput,
    HopInput,
    InvalidInput,
    SeatedInput,
    SetChange,
    SetInput,
    validated,
)
from calfcoach.core.limits import DAYS_ALLOWED, LOAD_KG
from calfcoach.errors import FieldError
from calfcoach.services.inputs import checked, refuse_future

DAY = date(2026, 12, 1)
A_SET: dict[str, Any] = {"date": DAY, "exercise": "pogo-hops", "reps": 10}


def test_a_valid_set_keeps_its_values() -> None:
    entry = validated(SetInput, **A_SET, load_kg=42.5, rpe=8, side="left", hold_s=30)
    assert (entry.load_kg, entry.rpe, entry.side, entry.hold_s) == (42.5, 8.0, "left", 30)
    assert entry.sets == 1 and entry.both_sides is False


@pytest.mark.parametrize(
    ("values", "field", "problem"),
    [
        ({"load_kg": 5000.0}, "load_kg", "5000 is out of range"),
        ({"load_kg": 1e19}, "load_kg", "1e+19 is out of range"),
        ({"load_kg": math.inf}, "load_kg", "inf is out of range"),
        ({"load_kg": -0.5}, "load_kg", "-0.5 is out of range"),
        ({"rpe": math.nan}, "rpe", "nan is out of range"),
        ({"sets": 21}, "sets", "21 is out of range"),
        ({"reps": 501}, "reps", "501 is out of range"),
        ({"reps": "10"}, "reps", "'10' is not a whole number"),
        ({"reps": True}, "reps", "True is not a whole number"),
        ({"reps": 10.0}, "reps", "10.0 is not a whole number"),
        ({"load_kg": "42"}, "load_kg", "'42' is not a number"),
        ({"hold_s": 601}, "hold_s", "601 is out of range"),
        ({"side": "up"}, "side", "'up' is not allowed"),
        ({"both_sides": "yes"}, "both_sides", "'yes'"),
        ({"date": date(1, 1, 1)}, "date", "0001-01-01 is out of range"),
        ({"date": date(9999, 12, 31)}, "date", "9999-12-31 is out of range"),
        ({"colour": "red"}, "colour", "is not a field here"),
    ],
)
def test_a_set_out_of_its_limits_names_the_neutral_field(
    values: dict[str, Any], field: str, problem: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        validated(SetInput, **{**A_SET, **values})
    assert refused.value.field == field
    assert refused.value.problem.startswith(problem)
    assert refused.value.allowed  # the values allowed are always said
    assert "--" not in str(refused.value)  # no command-line words below the shells


def test_the_limits_are_said_once_and_the_same_everywhere() -> None:
    assert ALLOWED["load_kg"] == LOAD_KG.allowed() == "0 to 1000 (kg)"
    assert ALLOWED["date"] == DAYS_ALLOWED
    assert ALLOWED["pain_during"] == ALLOWED["pain_before"] == "0 to 10"
    assert ALLOWED["value_kg"] == "above 0 up to 1000 (kg)"
    with pytest.raises(InvalidInput, match="value_kg: 0 is out of range"):
        validated(SeatedInput, date=DAY, value_kg=0.0)
    assert validated(SeatedInput, date=DAY, value_kg=1000.0).value_kg == 1000.0
    assert validated(SeatedInput, date=DAY).value_kg is None


def test_check_ins_tests_corrections_and_filters_have_their_limits() -> None:
    assert validated(CheckInInput, date=DAY, pain_during=0).pain_next_morning is None
    with pytest.raises(InvalidInput, match="pain_next_morning: 11 is out of range"):
        validated(CheckInInput, date=DAY, pain_during=3, pain_next_morning=11)
    with pytest.raises(InvalidInput, match="red_flag: 'cramp' is not allowed; allowed: sudden"):
        validated(CheckInInput, date=DAY, pain_during=3, red_flag="cramp")
    with pytest.raises(InvalidInput, match="cleared_by_clinician"):
        validated(CheckInInput, date=DAY, pain_during=3, cleared_by_clinician=1)
    with pytest.raises(InvalidInput, match="right: 301 is out of range; allowed: 0 to 300"):
        validated(HeelRaiseInput, date=DAY, left=20, right=301)
    assert validated(SetChange).reps is None
    with pytest.raises(InvalidInput, match="rpe: 11 is out of range"):
        validated(SetChange, rpe=11.0)
    with pytest.raises(InvalidInput, match=r"equipment: 'anvil' is not allowed; allowed: .*bench"):
        validated(CatalogFilter, equipment=["bench", "anvil"])
    with pytest.raises(InvalidInput, match="variation: 'calves' is not allowed"):
        validated(CatalogFilter, variation="calves")


def test_services_raise_the_field_error_every_shell_words() -> None:
    with pytest.raises(FieldError) as refused:
        checked(SetInput, **{**A_SET, "load_kg": 5000.0})
    assert refused.value.field == "load_kg" and refused.value.exit_code == 2
    assert refused.value.worded("option --load").startswith("option --load: 5000 is out of")
    with pytest.raises(FieldError, match="is after today"):
        refuse_future(date(2026, 12, 2), DAY)
    with pytest.raises(FieldError, match=r"2101-01-01 is out of range; allowed: a date"):
        refuse_future(date(2101, 1, 1), date(2101, 1, 1))
    refuse_future(DAY, DAY)


def test_the_command_line_has_a_word_for_every_field_a_command_takes() -> None:
    # "exercise", "both_sides" and "cleared_by_clinician" are an argument and flags whose
    # values the command line parses itself.
    for field in set(ALLOWED) - {"exercise", "both_sides", "cleared_by_clinician"}:
        assert field in OPTION_NAMES, field


def test_a_huge_value_is_echoed_short() -> None:
    """A 400-digit number is refused with its size, not echoed whole into the one line."""
    with pytest.raises(InvalidInput) as refused:
        validated(SetInput, **{**A_SET, "reps": int("9" * 400)})
    assert refused.value.field == "reps"
    assert "(400 characters)" in refused.value.problem
    assert len(str(refused.value)) < 120


def test_a_hop_test_takes_pain_from_0_to_10_only() -> None:
    assert validated(HopInput, date=date(2026, 12, 1), pain=0).pain == 0
    for bad in (11, -1, True, 2.5, "3"):
        with pytest.raises(InvalidInput) as refused:
            validated(HopInput, date=date(2026, 12, 1), pain=bad)
        assert refused.value.field == "pain" and "0 is pain-free" in refused.value.allowed
    with pytest.raises(InvalidInput) as refused:
        validated(HeelRaiseInput, date=date(2026, 12, 1), left=20, right=20, pain=11)
    assert refused.value.field == "pain"
