"""Property tests: random valid profiles -> plans that pass every rule, round-trip through
JSON, and keep the calendar's shape."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfcoach.core.catalog import Catalog
from calfcoach.core.norms import ORDINARY_PHASES, Norms
from calfcoach.core.plan import plan_from_dict, plan_to_dict
from calfcoach.core.planner import build_plan
from calfcoach.core.profile import WEEKDAYS, profile_from_data
from calfcoach.core.rules import check_plan
from calfcoach.data import default_catalog, default_norms
from tests.profiles import PLAN_START, TODAY, profile_dicts

CATALOG: Catalog = default_catalog()
NORMS: Norms = default_norms()
PROFILE_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _plan(data: dict[str, Any], weeks: int | None = None):
    profile = profile_from_data(data, TODAY)
    return build_plan(profile, PLAN_START, weeks, CATALOG, NORMS), profile


@PROFILE_SETTINGS
@given(profile_dicts())
def test_every_plan_passes_every_rule(data: dict[str, Any]) -> None:
    plan, profile = _plan(data)
    violations = check_plan(plan, profile, CATALOG, NORMS)
    assert violations == [], [v.line() for v in violations]


@settings(max_examples=100, deadline=None)
@given(profile_dicts(), st.integers(min_value=1, max_value=60))
def test_plans_of_any_length_pass_every_rule(data: dict[str, Any], weeks: int) -> None:
    plan, profile = _plan(data, weeks)
    assert len(plan.weeks) == weeks
    violations = check_plan(plan, profile, CATALOG, NORMS)
    assert violations == [], [v.line() for v in violations]


@settings(max_examples=100, deadline=None)
@given(profile_dicts())
def test_json_round_trips(data: dict[str, Any]) -> None:
    plan, _ = _plan(data)
    document = plan_to_dict(plan)
    text = json.dumps(document)
    again = plan_from_dict(json.loads(text))
    assert again == plan
    assert plan_to_dict(again) == document


@settings(max_examples=100, deadline=None)
@given(profile_dicts())
def test_every_week_has_seven_days_monday_first(data: dict[str, Any]) -> None:
    plan, profile = _plan(data)
    assert plan.start.weekday() == 0
    for n, week in enumerate(plan.weeks):
        assert week.index == n + 1
        assert week.start == plan.start + timedelta(weeks=n)
        assert [d.weekday for d in week.days] == list(WEEKDAYS)
        assert [d.date for d in week.days] == [week.start + timedelta(days=k) for k in range(7)]
    race = profile.goal.race_date
    # DOMAIN.md §6: amber or red pain_now repeats the Achilles protocol's week 1 once, and
    # the plan extends by that week to hold all 12 (review B4), where the protocol begins
    # in the plan's first week: a plan that opens with the race week starts the protocol
    # after recovery, when the profile's pain (weeks 1-2) no longer holds a dose.
    achilles = profile.health.condition == "achilles_tendinopathy"
    repeated = int(
        achilles
        and profile.health.pain_now > NORMS.pain_green_max
        and plan.weeks[0].phase in ORDINARY_PHASES
    )
    if race is not None:
        phases = [w.phase for w in plan.weeks]
        at = phases.index("race")
        assert phases[at : at + 3] == ["race", "recovery", "recovery"]
        assert plan.weeks[at].start <= race < plan.weeks[at].start + timedelta(days=7)
        after = phases[at + 3 :]
        if after:
            # DOMAIN.md §6: the Achilles protocol runs its 12 weeks whatever the race; the
            # plan extends after recovery until they are done, and no further.
            assert profile.health.condition == "achilles_tendinopathy"
            assert after == ["maintenance"] * len(after)
            ordinary = sum(p in ORDINARY_PHASES for p in phases)
            assert ordinary == NORMS.achilles.length_weeks + repeated
    else:
        assert len(plan.weeks) == NORMS.default_weeks_without_race + repeated


@settings(max_examples=100, deadline=None)
@given(profile_dicts(race=True))
def test_warnings_name_a_known_rule(data: dict[str, Any]) -> None:
    plan, _ = _plan(data)
    for warning in plan.warnings:
        assert warning.rule is None or warning.rule in {f"R{n}" for n in range(1, 14)}
        assert warning.message
