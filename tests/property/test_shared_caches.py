"""The caches plans share (layouts, a kit's choices, the weeks' table doses, the catalog's
lookups for the rules) never change a plan or a check: a plan made after many others equals the
same plan made with every cache empty, and a cached layout equals one laid out afresh."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfcoach.core import periodization, planner, selection
from calfcoach.core.plan import plan_to_dict
from calfcoach.core.planner import build_plan
from calfcoach.core.profile import profile_from_data
from calfcoach.core.rules import base, check_plan
from calfcoach.data import default_catalog, default_norms
from tests.profiles import PLAN_START, TODAY, profile_dicts

CATALOG = default_catalog()
NORMS = default_norms()


def _empty_shared_caches() -> None:
    periodization._LAYOUTS.clear()
    selection._KITS.clear()
    selection._SLOT_ENTRIES.clear()
    selection._SLOT_NEEDS.clear()
    selection._PLYOMETRICS.clear()
    planner._WEEK_DOSES.clear()
    base._LOOKUPS.clear()


def _plan_and_check(data: dict[str, Any], weeks: int | None) -> tuple[Any, Any, list[str]]:
    profile = profile_from_data(data, TODAY)
    plan = build_plan(profile, PLAN_START, weeks, CATALOG, NORMS)
    explained = build_plan(profile, PLAN_START, weeks, CATALOG, NORMS, provenance=True)
    # A check that finds something: the plan with its warnings taken away and its loads
    # raised, so the cached lookups of the rules are exercised on violations too.
    bent = copy.deepcopy(plan)
    bent.warnings.clear()
    for week in bent.weeks:
        for day in week.days:
            for session in day.sessions:
                for p in session.exercises:
                    if p.load_kg:
                        p.load_kg = p.load_kg * 1.5 + 2.5
    found = [v.line() for v in check_plan(bent, profile, CATALOG, NORMS)]
    return plan_to_dict(plan), plan_to_dict(explained, provenance=True), found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(profile_dicts(), min_size=2, max_size=4),
    st.sampled_from([None, 6, 20]),
)
def test_a_plan_does_not_depend_on_the_plans_made_before_it(
    others: list[dict[str, Any]], weeks: int | None
) -> None:
    data = others[-1]
    _empty_shared_caches()
    alone = _plan_and_check(data, weeks)
    _empty_shared_caches()
    for before in others[:-1]:  # fill the caches with other kits, layouts and levels
        _plan_and_check(before, weeks)
    after_others = _plan_and_check(data, weeks)
    assert after_others == alone
    again = _plan_and_check(data, weeks)  # every cache warm with this very profile
    assert again == alone


@settings(max_examples=100, deadline=None)
@given(profile_dicts(), st.sampled_from([None, 1, 8, 30]), st.integers(min_value=0, max_value=3))
def test_a_cached_layout_equals_one_laid_out_afresh(
    data: dict[str, Any], weeks: int | None, later: int
) -> None:
    profile = profile_from_data(data, TODAY)
    start = PLAN_START + timedelta(weeks=later)
    if profile.goal.race_date is not None and profile.goal.race_date < start:
        return  # a race before the start is refused either way
    fresh = periodization._lay_out_weeks(profile, start, weeks, NORMS)
    first = periodization.lay_out_weeks(profile, start, weeks, NORMS)
    second = periodization.lay_out_weeks(profile, start, weeks, NORMS)
    assert first == fresh
    assert second == fresh
    # Warnings go into each plan's own list: no two layouts hand out the same objects.
    for a, b in zip(first.warnings, second.warnings, strict=True):
        assert a == b
        assert a is not b


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile_dicts(), st.sampled_from([None, 20]))
def test_plans_alike_but_for_level_or_condition_share_nothing_they_should_not(
    data: dict[str, Any], weeks: int | None
) -> None:
    """The same profile at each level and with each condition: what plans share by norms,
    condition and level (the weeks' table doses) never reaches a plan of another."""
    variants = [
        {**data, "athlete": {**data["athlete"], "strength_experience": level}}
        for level in ("novice", "intermediate", "advanced")
    ] + [
        {**data, "health": {**data["health"], "condition": condition}}
        for condition in ("none", "achilles_tendinopathy", "calf_strain", "plantar_heel_pain")
    ]
    alone = []
    for variant in variants:
        _empty_shared_caches()
        alone.append(_plan_and_check(variant, weeks))
    _empty_shared_caches()
    together = [_plan_and_check(variant, weeks) for variant in variants]
    assert together == alone
