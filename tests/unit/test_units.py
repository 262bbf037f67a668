"""Weights in the athlete's units wherever a text shows one (a new-user trial with an imperial
profile): the explanations the planner records, the seated-1RM report, and a 1RM typed as
`log --load` takes a load. The numbers the plan and the JSON keep stay kg."""

from __future__ import annotations

import math
import re

import pytest

from calfcoach.core.assessments import seated_1rm_report
from calfcoach.core.catalog import Catalog
from calfcoach.core.dosing import estimated_1rm
from calfcoach.core.limits import LOAD_KG, ONE_RM_KG
from calfcoach.core.norms import Norms
from calfcoach.core.plan import Plan
from calfcoach.core.planner import build_plan
from calfcoach.core.units import KG_PER_LB, format_weight
from calfcoach.errors import FieldError
from calfcoach.services.diary import parse_load, parse_one_rm
from tests.conftest import START, make_profile

KG_NUMBER = re.compile(r"\d kg\b")


def test_a_weight_shows_in_the_athletes_units() -> None:
    assert format_weight(80, "metric", 0) == "80 kg"
    assert format_weight(86.66, "metric", 1) == "86.7 kg"
    assert format_weight(92.345, "metric") == "92.345 kg"  # as f"{kg:g} kg" always did
    assert format_weight(80, "imperial", 0) == "176 lb"
    assert format_weight(80, "imperial", 1) == "176.4 lb"
    assert format_weight(90.72, "imperial") == "200 lb"  # 200 lb kept to 2 decimals of kg
    assert format_weight(0, "imperial", 1) == "0.0 lb"  # a weight, never "body weight"


def test_a_limit_contains_its_bounds_and_excludes_a_low_it_is_above() -> None:
    assert LOAD_KG.contains(0) and LOAD_KG.contains(1000) and not LOAD_KG.contains(1000.01)
    assert not LOAD_KG.contains(-0.1) and not LOAD_KG.contains(math.nan)
    assert not ONE_RM_KG.contains(0) and ONE_RM_KG.contains(0.01)
    assert ONE_RM_KG.contains(1000) and not ONE_RM_KG.contains(math.inf)


def test_the_seated_report_speaks_pounds_to_an_imperial_athlete(norms: Norms) -> None:
    metric = seated_1rm_report(95.0, 68.0, norms)
    assert metric.lines[:2] == (
        "seated calf raise 1RM 95 kg = 1.40 × body weight",
        "93% of the 1.5 × body weight target (102 kg)",
    )
    imperial = seated_1rm_report(200 * KG_PER_LB, 80.0, norms, "imperial")
    assert imperial.lines[:2] == (
        "seated calf raise 1RM 200 lb = 1.13 × body weight",
        "76% of the 1.5 × body weight target (265 lb)",
    )
    assert imperial.target_kg == pytest.approx(120.0)  # the numbers stay kg
    assert imperial.value_kg == pytest.approx(90.718, abs=0.001)


def test_a_typed_1rm_is_read_as_a_typed_load() -> None:
    for text in ("200", "200lb", "200 LBS", "90.72kg", "2x100"):
        assert parse_one_rm(text, "imperial") == parse_load(text, "imperial") == 90.72
    assert parse_one_rm("95") == parse_load("95") == 95.0  # metric: a bare number is kg
    assert parse_one_rm("95lb") == parse_load("95lb") == 43.09


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("200x", "'200x' is not a load"),
        ("1e3", "'1e3' is not a load"),  # as log --load refuses '1e19'
        ("abc", "'abc' is not a load"),
        ("0", "0 is out of range"),
        ("0lb", "0lb is out of range"),
        ("2205", "2205 is out of range"),  # 1000.2 kg
        ("1001kg", "1001kg is out of range"),
        ("inf", "inf is out of range"),
        ("-5", "-5 is out of range"),
        ("nan", "nan is out of range"),
    ],
)
def test_a_typed_1rm_not_allowed_names_the_field_and_its_limit(text: str, problem: str) -> None:
    with pytest.raises(FieldError) as refused:
        parse_one_rm(text, "imperial")
    assert refused.value.field == "value_kg"
    assert refused.value.problem == problem
    assert refused.value.allowed.startswith(ONE_RM_KG.allowed())
    assert "up to 2204 lb" in refused.value.allowed
    assert "your profile's units (lb)" in refused.value.allowed
    with pytest.raises(FieldError, match=r"units \(kg\)$"):
        parse_one_rm(text, "metric")
    assert parse_one_rm("2204", "imperial") == pytest.approx(999.72)


def _reasons(plan: Plan) -> list[str]:
    return [
        r.text
        for w in plan.weeks
        for d in w.days
        for s in d.sessions
        for p in s.exercises
        if p.why is not None
        for r in p.why.reasons
    ]


@pytest.mark.parametrize(
    ("units", "body", "bw_part"),
    [("metric", "(80 kg)", "of which 80.0 kg is body weight"), ("imperial", "(176 lb)", None)],
)
def test_the_planners_reasons_show_weights_in_the_athletes_units(
    catalog: Catalog, norms: Norms, units: str, body: str, bw_part: str | None
) -> None:
    profile = make_profile(athlete={"body_mass_kg": 80, "units": units})
    texts = _reasons(build_plan(profile, START, 4, catalog, norms, provenance=True))
    alone = [t for t in texts if "body weight alone" in t]
    assert alone and all(f"body weight alone {body} is more than" in t for t in alone)
    one_rms = [t for t in texts if t.startswith("1RM ")]
    assert one_rms
    if units == "imperial":
        assert all(re.search(r"^1RM \d+ lb \(system load\)", t) for t in one_rms), one_rms
        assert any("of which 176.4 lb is body weight" in t for t in one_rms)
        assert not [t for t in texts if KG_NUMBER.search(t)]
    else:  # metric: the words every explanation had
        assert all(re.search(r"^1RM \d+ kg \(system load\)", t) for t in one_rms), one_rms
        assert any(bw_part in t for t in one_rms if bw_part)


def test_an_assessed_1rm_is_named_in_the_athletes_units(catalog: Catalog, norms: Norms) -> None:
    seated = catalog.by_id["seated-dumbbell-calf-raise"]
    for units, words in (("metric", "(90.72 kg)"), ("imperial", "(200 lb)")):
        profile = make_profile(
            athlete={"units": units}, assessments={"seated_calf_raise_1rm_kg": 90.72}
        )
        one_rm = estimated_1rm(seated, profile, norms)
        assert one_rm is not None and one_rm.note == f"your seated 1RM test {words}"
        assert one_rm.kg == pytest.approx(90.72)


def test_a_load_typed_with_a_decimal_comma_is_read_as_a_point() -> None:
    """A phone's decimal keypad types "22,5" in much of Europe (a trial's finding: the page
    read it as 225): a load, in the page and on the command line, takes it as 22.5."""
    from calfcoach.services.diary import parse_load

    assert parse_load("22,5") == 22.5
    assert parse_load("2x12,5") == 25.0
    assert parse_load("45,5lb") == round(45.5 * 0.45359237, 2)
    # A comma before exactly three digits is a thousands separator or a decimal: not guessed.
    with pytest.raises(FieldError):
        parse_load("1,000")
