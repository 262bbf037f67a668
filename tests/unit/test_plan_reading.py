"""Reading a plan document (core.plan.plan_from_dict, msgspec since issue 13's speed work): each
refusal is one line naming the JSON path, the value found and what is allowed, as the
pydantic reader before it said; a plan written by calfcoach reads back equal."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from calfcoach.core.plan import PlanFormatError, plan_from_dict, plan_to_dict
from calfcoach.core.planner import build_plan
from calfcoach.core.profile import parse_profile
from calfcoach.data import default_catalog, default_norms
from tests.conftest import ROOT

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    path = ROOT / "examples" / "profile.toml"
    profile = parse_profile(path.read_text(), str(path), TODAY, max_plan_weeks=52)
    plan = build_plan(profile, date(2026, 11, 30), 12, default_catalog(), default_norms())
    return plan_to_dict(plan, provenance=True)


def _first_exercise(document: dict[str, Any]) -> dict[str, Any]:
    return next(
        s["exercises"][0]
        for week in document["weeks"]
        for day in week["days"]
        for s in day["sessions"]
        if s["exercises"]
    )


def test_a_plan_reads_back_equal_with_its_provenance(document: dict[str, Any]) -> None:
    for strict in (True, False):
        plan = plan_from_dict(copy.deepcopy(document), strict=strict)
        assert plan_to_dict(plan, provenance=True) == document


BROKEN: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "a literal, in its type's order": (
        lambda d: d["weeks"][0].update(phase="bulk"),
        "field weeks[0].phase: 'bulk' is not allowed; allowed: foundation, strength, power, "
        "taper, race, recovery or maintenance",
    ),
    "an optional literal": (
        lambda d: d.update(
            warnings=[{"rule": None, "week": 1, "date": None, "message": "m", "mark": "x"}]
        ),
        "field warnings[0].mark: 'x' is not allowed; allowed: sessions_stopped, "
        "red_rest_of_week or holds_rest_of_week",
    ),
    "a null where a literal belongs": (
        lambda d: d["weeks"][0]["days"][0].update(run=None),
        "field weeks[0].days[0].run: None is not allowed; allowed: rest, easy, long, workout or "
        "race",
    ),
    "a long value, cut": (
        lambda d: d["weeks"][0].update(phase="x" * 10_000_000),
        "field weeks[0].phase: 'xxxxxxxx",
    ),
    "no weeks": (lambda d: d.update(weeks=[]), "field weeks: is empty"),
    "a missing field": (lambda d: d["athlete"].pop("name"), "field athlete.name: is missing"),
    "a number as text": (
        lambda d: _first_exercise(d).update(reps="10"),
        ".exercises[0].reps: '10' is not a whole number; allowed: a whole number",
    ),
    "an optional number as a list": (
        lambda d: _first_exercise(d).update(load_kg=[1]),
        ".exercises[0].load_kg: [1] is not a number; allowed: a number",
    ),
    "a flag as 1": (
        lambda d: d["weeks"][0].update(deload=1),
        "field weeks[0].deload: 1 is not true or false; allowed: true or false",
    ),
    "a date that is none": (
        lambda d: d["weeks"][0].update(start="2026-13-01"),
        "field weeks[0].start: '2026-13-01' is not a date (YYYY-MM-DD)",
    ),
    "a list as an object": (
        lambda d: d.update(weeks={}),
        "field weeks: {} is not a list; allowed: a list",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_plan_is_one_line_naming_path_value_and_allowed(
    case: str, document: dict[str, Any]
) -> None:
    change, expected = BROKEN[case]
    broken = copy.deepcopy(document)
    change(broken)
    with pytest.raises(PlanFormatError) as refused:
        plan_from_dict(broken, strict=True)
    assert expected in str(refused.value)
    assert "\n" not in str(refused.value)
    assert len(str(refused.value)) < 300
