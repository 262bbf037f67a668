"""Where calf work may go in the running week and around the race (DOMAIN.md §3).

Shared by the planner (to place sessions) and rules R5/R7 (to judge them).
"""

from __future__ import annotations

from datetime import date, timedelta

from calfcoach.core.norms import Norms
from calfcoach.core.plan import DayRun
from calfcoach.core.profile import Profile, RunType

HARD_RUNS: frozenset[str] = frozenset({"workout", "long", "race"})
# One day, made once: timedelta(days=1) parses its keyword argument at each call, and
# running_week_problem asks for the next day of every day the planner places a session on.
_ONE_DAY = timedelta(days=1)


def run_on(profile: Profile, day: date) -> DayRun:
    """The run of a date: the race on ``goal.race_date``, else the weekly pattern."""
    return _run_on(profile.goal.race_date, profile.running.pattern, day)


def _run_on(race: date | None, pattern: tuple[RunType, ...], day: date) -> DayRun:
    """:func:`run_on` from the profile's race date and weekly pattern (read by the caller:
    the profile is a pydantic model, its attributes dear to read)."""
    if day == race:
        return "race"
    return pattern[day.weekday()]


def running_week_problem(profile: Profile, day: date) -> str | None:
    """Why the running week forbids a strength session on ``day`` (R5), or None."""
    race, pattern = profile.goal.race_date, profile.running.pattern  # (read once)
    run = _run_on(race, pattern, day)
    if run == "race":
        return "it is race day"
    if run == "long":
        return "it is the long-run day"
    after = _run_on(race, pattern, day + _ONE_DAY)
    if after == "race":
        return "the next day is race day"
    if after in HARD_RUNS:
        return f"the next day is a {after} day"
    return None


def race_problem(profile: Profile, day: date, norms: Norms) -> str | None:
    """Why the race forbids a strength session on ``day`` (R7), or None."""
    goal = profile.goal  # (read once)
    race, distance = goal.race_date, goal.race_distance
    if race is None or distance is None:
        return None
    if day == race:
        return "it is race day"
    gap = norms.last_strength_days_before[distance]
    if day < race and (race - day).days < gap:
        return f"it is less than {gap} days before the {distance} race"
    return None


def placement_problem(profile: Profile, day: date, norms: Norms) -> str | None:
    """Why §3 forbids a strength session on ``day`` (R5 or R7), or None."""
    return race_problem(profile, day, norms) or running_week_problem(profile, day)


def plyo_too_close_to_race(profile: Profile, day: date, norms: Norms) -> bool:
    """No plyometrics in the last days before the race (R7)."""
    race = profile.goal.race_date
    return race is not None and day < race and (race - day).days <= norms.no_plyo_days_before
