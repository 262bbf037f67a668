"""Phases, deloads, taper and race week (DOMAIN.md §4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from calfcoach.core.norms import Norms
from calfcoach.core.periodization import (
    PlanInputError,
    build_split,
    lay_out_weeks,
    monday_of,
    next_monday,
)
from tests.conftest import START, make_profile


@pytest.mark.parametrize(
    ("build", "split"),
    [
        (3, (1, 1, 1)),
        (4, (1, 1, 2)),
        (6, (2, 1, 3)),
        (8, (2, 3, 3)),
        (11, (2, 6, 3)),
        (20, (11, 6, 3)),
    ],
)
def test_build_weeks_are_shared_out_as_domain_says(norms: Norms, build: int, split: tuple) -> None:
    got = build_split(build, norms)
    assert (got["foundation"], got["strength"], got["power"]) == split


def test_without_a_race_12_weeks_foundation_then_strength(norms: Norms) -> None:
    layout = lay_out_weeks(make_profile(), START, None, norms)
    phases = [w.phase for w in layout.weeks]
    assert phases == ["foundation"] * 3 + ["strength"] * 9
    assert [w.index for w in layout.weeks if w.deload] == [4, 8, 12]


def test_weeks_beyond_the_default_are_maintenance(norms: Norms) -> None:
    layout = lay_out_weeks(make_profile(), START, 15, norms)
    assert [w.phase for w in layout.weeks][-3:] == ["maintenance"] * 3


def test_marathon_plan_runs_to_race_and_two_recovery_weeks(norms: Norms) -> None:
    race = START + timedelta(weeks=19, days=6)  # Sunday of week 20
    profile = make_profile(goal={"race_date": race, "race_distance": "marathon"})
    layout = lay_out_weeks(profile, START, None, norms)
    phases = [w.phase for w in layout.weeks]
    # N = 20, T = 2, B = 17 -> foundation 8, strength 6, power 3
    assert phases == (
        ["foundation"] * 8
        + ["strength"] * 6
        + ["power"] * 3
        + ["taper"] * 2
        + ["race"]
        + ["recovery"] * 2
    )
    assert layout.race_week == 20
    # Every 4th build week is a deload (novice); week 17 is the last before the taper.
    assert [w.index for w in layout.weeks if w.deload] == [4, 8, 12, 16]


def test_last_build_week_before_taper_is_never_a_deload(norms: Norms) -> None:
    race = START + timedelta(weeks=14)  # N = 15, T = 2, B = 12: week 12 would be a deload
    profile = make_profile(goal={"race_date": race, "race_distance": "marathon"})
    layout = lay_out_weeks(profile, START, None, norms)
    assert layout.weeks[11].phase == "power" and layout.weeks[12].phase == "taper"
    assert not layout.weeks[11].deload
    assert [w.index for w in layout.weeks if w.deload] == [4, 8]


def test_advanced_athletes_deload_every_third_build_week(norms: Norms) -> None:
    profile = make_profile(athlete={"strength_experience": "advanced"})
    layout = lay_out_weeks(profile, START, None, norms)
    assert [w.index for w in layout.weeks if w.deload] == [3, 6, 9, 12]


def test_a_protocol_replaces_deloads(norms: Norms) -> None:
    profile = make_profile(health={"condition": "achilles_tendinopathy"})
    assert not any(w.deload for w in lay_out_weeks(profile, START, None, norms).weeks)


def test_race_too_close_to_build_is_maintenance_with_a_warning(norms: Norms) -> None:
    race = START + timedelta(weeks=3, days=5)  # N = 4, T = 1 (10k), B = 2
    profile = make_profile(goal={"race_date": race, "race_distance": "10k"})
    layout = lay_out_weeks(profile, START, None, norms)
    assert [w.phase for w in layout.weeks] == [
        "maintenance",
        "maintenance",
        "taper",
        "race",
        "recovery",
        "recovery",
    ]
    assert len(layout.warnings) == 1 and layout.warnings[0].rule is None
    assert "no time to build" in layout.warnings[0].message


def test_race_in_the_first_week(norms: Norms) -> None:
    profile = make_profile(goal={"race_date": START + timedelta(days=5), "race_distance": "5k"})
    phases = [w.phase for w in lay_out_weeks(profile, START, None, norms).weeks]
    assert phases == ["race", "recovery", "recovery"]


def test_race_before_the_start_is_refused(norms: Norms) -> None:
    profile = make_profile(goal={"race_date": date(2026, 11, 28), "race_distance": "5k"})
    with pytest.raises(PlanInputError) as caught:
        lay_out_weeks(profile, START, None, norms)
    assert caught.value.field == "goal.race_date"


def test_weeks_out_of_range_are_refused(norms: Norms) -> None:
    with pytest.raises(PlanInputError):
        lay_out_weeks(make_profile(), START, 0, norms)


def test_a_race_far_from_the_start_is_held_to_the_longest_plan(norms: Norms) -> None:
    """Issue 13: a start years before the race made a 382-week plan, though --weeks stops at
    norms.max_plan_weeks; now the race's plan is held to the same limit."""
    race = date(2027, 4, 18)  # a Sunday
    profile = make_profile(goal={"race_date": race, "race_distance": "marathon"})
    most = norms.max_plan_weeks
    earliest = monday_of(race) - timedelta(weeks=most - norms.recovery_weeks - 1)
    assert len(lay_out_weeks(profile, earliest, None, norms).weeks) == most
    with pytest.raises(PlanInputError) as caught:
        lay_out_weeks(profile, earliest - timedelta(weeks=1), None, norms)
    assert caught.value.field == "start"
    assert f"would run {most + 1} weeks" in caught.value.problem
    assert f"at most {most} weeks: a start on or after {earliest}" in caught.value.allowed
    with pytest.raises(PlanInputError) as far:
        lay_out_weeks(profile, date(2020, 1, 6), None, norms)
    assert "would run 382 weeks" in far.value.problem


def test_mondays() -> None:
    assert monday_of(date(2026, 12, 3)) == date(2026, 11, 30)
    assert next_monday(date(2026, 11, 24)) == date(2026, 11, 30)
    assert next_monday(date(2026, 11, 30)) == date(2026, 12, 7)
