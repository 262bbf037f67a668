"""Arbitrary JSON and TOML values into the profile, plan and check-in parsers (issue 14): each
gives either the project's input error or a valid object; never another exception."""

from __future__ import annotations

import copy
import json
import math
from datetime import date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfcoach.core.inputs import CheckInInput, SetInput
from calfcoach.core.limits import FIRST_DAY, LAST_DAY
from calfcoach.core.plan import PlanFormatError, plan_from_dict, plan_to_dict
from calfcoach.core.profile import Profile, ProfileError, parse_profile
from calfcoach.errors import FieldError
from calfcoach.services.inputs import checked
from calfcoach.services.planning import make_plan
from tests.conftest import MAX_PLAN_WEEKS, ROOT, TODAY

SAMPLE_PATH = ROOT / "examples" / "marathon.toml"
SAMPLE = SAMPLE_PATH.read_text()
PLAN = plan_to_dict(make_plan(SAMPLE_PATH, None, None, TODAY).plan)
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any JSON value: what an API body or a plan file can hold.
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities too: Python's JSON reader takes them
    | st.text(max_size=20)
    | st.sampled_from(["2026-12-01", "9999-12-31", "0001-01-01", "42k", "marathon", "left"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)

# Any TOML value (TOML has no null), written as TOML by _toml below.
TOML_SCALAR = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats()
    | st.text(max_size=20)
    | st.dates()
    | st.datetimes()
)
TOML = st.recursive(TOML_SCALAR, lambda inner: st.lists(inner, max_size=4), max_leaves=8)


def _toml(value: Any) -> str:
    """``value`` as a TOML value (the test writes TOML; calfcoach only reads it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, (int, date, datetime)):
        return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    return "[" + ", ".join(_toml(item) for item in value) + "]"


PROFILE_LINES = [line for line in SAMPLE.splitlines() if "=" in line and not line.startswith("#")]


def _profile_outcome(text: str) -> Profile | None:
    try:
        profile = parse_profile(text, "fuzz.toml", TODAY, max_plan_weeks=MAX_PLAN_WEEKS)
    except ProfileError as exc:
        line = exc.one_line()
        assert line.startswith("fuzz.toml") and "\n" not in line, line
        return None
    assert 30 <= profile.athlete.body_mass_kg <= 250
    return profile


@PROFILE
@given(st.sampled_from(PROFILE_LINES), TOML)
def test_any_toml_value_in_a_profile_field(line: str, value: Any) -> None:
    key = line.split("=", 1)[0]
    _profile_outcome(SAMPLE.replace(line, f"{key}= {_toml(value)}", 1))


@PROFILE
@given(st.dictionaries(st.sampled_from(["athlete", "running", "goal", "x"]), st.none()), TOML)
def test_any_toml_value_under_any_key(sections: dict[str, None], value: Any) -> None:
    text = "".join(f"[{name}]\nfield = {_toml(value)}\n" for name in sections)
    _profile_outcome(f"value = {_toml(value)}\n{text}")


@PROFILE
@given(st.text(max_size=300))
def test_any_text_as_a_profile(text: str) -> None:
    _profile_outcome(text)


def _leaves(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(document, dict):
        return [p for key, item in document.items() for p in _leaves(item, (*path, key))]
    if isinstance(document, list):
        return [p for i, item in enumerate(document) for p in _leaves(item, (*path, i))]
    return [path]


# The first week's leaves and the top-level ones: where a hand edit would go.
PLAN_LEAVES = [p for p in _leaves(PLAN) if p[0] != "weeks" or p[1] == 0]


def _plan_outcome(document: Any) -> None:
    try:
        plan = plan_from_dict(document, strict=True)
    except PlanFormatError as exc:
        assert "\n" not in str(exc) and str(exc).strip()
        return
    for week in plan.weeks:
        for day in week.days:
            for session in day.sessions:
                for ex in session.exercises:
                    assert 1 <= ex.reps <= 1000 and 1 <= ex.sets <= 50
                    assert ex.load_kg is None or math.isfinite(ex.load_kg)


@PROFILE
@given(st.sampled_from(PLAN_LEAVES), JSON)
def test_any_json_value_in_a_plan_field(path: tuple[Any, ...], value: Any) -> None:
    document = copy.deepcopy(PLAN)
    holder = document
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    _plan_outcome(document)


@PROFILE
@given(JSON)
def test_any_json_value_as_a_plan(value: Any) -> None:
    _plan_outcome(value)


CHECKIN_FIELDS = [
    "date",
    "pain_during",
    "pain_next_morning",
    "pain_before",
    "red_flag",
    "cleared_by_clinician",
]


@PROFILE
@given(st.dictionaries(st.sampled_from([*CHECKIN_FIELDS, "other"]), JSON))
def test_any_json_object_as_a_check_in(body: dict[str, Any]) -> None:
    try:
        checkin = checked(CheckInInput, **body)
    except FieldError as exc:
        assert exc.field and exc.allowed and exc.exit_code == 2
        return
    assert FIRST_DAY <= checkin.date <= LAST_DAY
    for pain in (checkin.pain_during, checkin.pain_next_morning, checkin.pain_before):
        assert pain is None or (type(pain) is int and 0 <= pain <= 10)


@PROFILE
@given(
    st.fixed_dictionaries(
        {"date": st.just("2026-11-24"), "exercise": st.just("pogo-hops")},
        optional={name: JSON for name in ("sets", "reps", "load_kg", "rpe", "side", "hold_s")},
    )
)
def test_any_json_values_as_a_set(body: dict[str, Any]) -> None:
    try:
        entry = checked(SetInput, **body)
    except FieldError as exc:
        assert exc.field and exc.allowed
        return
    assert math.isfinite(entry.load_kg) and 0 <= entry.load_kg <= 1000
    assert entry.rpe is None or (math.isfinite(entry.rpe) and 1 <= entry.rpe <= 10)
