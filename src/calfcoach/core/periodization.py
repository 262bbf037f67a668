"""Phases and deloads of a plan, week by week (DOMAIN.md §4).

The planner lays its weeks out with :func:`lay_out_weeks`; rule R9 compares a plan's phases and
deload marks with the same function, so there is one definition of the calendar.
"""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

from calfcoach.core.norms import BUILD_PHASES, Norms
from calfcoach.core.plan import Phase, PlanWarning
from calfcoach.core.profile import Profile


class PlanInputError(ValueError):
    """Profile and options that cannot make a plan (e.g. a race before the start).

    ``field`` is a profile field (``goal.race_date``) or a neutral parameter name (``weeks``,
    ``start``) that each shell words its own way."""

    def __init__(self, field: str, problem: str, allowed: str) -> None:
        self.field = field
        self.problem = problem
        self.allowed = allowed
        super().__init__(f"field {field}: {problem}; allowed: {allowed}")


class WeekLayout(msgspec.Struct, frozen=True):
    index: int  # 1-based
    start: date
    phase: Phase
    deload: bool


class Layout(msgspec.Struct, frozen=True):
    weeks: tuple[WeekLayout, ...]
    warnings: tuple[PlanWarning, ...]
    race_week: int | None  # 1-based index of the week holding the race, if in range


# A week, made once: ``_WEEK * n`` rather than timedelta(weeks=n), which parses its keyword
# argument at every call (every week of every layout, the planner's and R9's).
_WEEK = timedelta(weeks=1)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def next_monday(today: date) -> date:
    """The Monday after ``today`` (a week later when today is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


def protocol_runs(profile: Profile) -> bool:
    """A condition's protocol replaces §2 dosing, §4 deloads and sessions_per_week (§6)."""
    return profile.health.condition != "none"


def build_split(build_weeks: int, norms: Norms) -> dict[str, int]:
    """Weeks of foundation, strength and power for ``build_weeks`` ≥ the minimum (§4)."""
    split = dict.fromkeys(BUILD_PHASES, 1)
    left = build_weeks - len(BUILD_PHASES)
    for phase, ceiling in norms.build_fill:
        grow = max(0, min(ceiling - split[phase], left))
        split[phase] += grow
        left -= grow
    split[norms.build_rest_to] += left
    return split


# Layouts already made, by what they are made of (see _layout_key), each with its norms so an
# id reused by new norms is never mistaken for them. The planner and rule R9 lay out the same
# plan (and the Achilles protocol's length asks again): made once, then shared — a Layout is
# immutable but for its warnings, which every caller gets fresh (see lay_out_weeks).
_LAYOUTS: dict[tuple[object, ...], tuple[Norms, Layout]] = {}
_MAX_LAYOUTS = 1024


def _layout_key(
    profile: Profile, start: date, weeks: int | None, norms: Norms
) -> tuple[object, ...]:
    """Everything of the profile, start and norms that :func:`_lay_out_weeks` reads."""
    goal = profile.goal
    return (
        id(norms),
        start,
        weeks,
        goal.race_date,
        goal.race_distance,
        protocol_runs(profile),
        profile.experience,
    )


def lay_out_weeks(profile: Profile, start: date, weeks: int | None, norms: Norms) -> Layout:
    """Phase and deload mark of every week from ``start`` (a Monday).

    :param weeks: the number of weeks; None runs to the race and its recovery, or the default.
    :raises PlanInputError: the race is before the start, or ``weeks`` is out of range.
    """
    key = _layout_key(profile, start, weeks, norms)
    found = _LAYOUTS.get(key)
    if found is None or found[0] is not norms:
        if len(_LAYOUTS) >= _MAX_LAYOUTS:
            _LAYOUTS.clear()
        found = _LAYOUTS[key] = (norms, _lay_out_weeks(profile, start, weeks, norms))
    layout = found[1]
    if not layout.warnings:
        return layout
    # Warnings end up in a plan's own list: each plan gets its own.
    fresh = tuple(PlanWarning(w.rule, w.week, w.date, w.message) for w in layout.warnings)
    return Layout(layout.weeks, fresh, layout.race_week)


def _lay_out_weeks(profile: Profile, start: date, weeks: int | None, norms: Norms) -> Layout:
    if weeks is not None and not 1 <= weeks <= norms.max_plan_weeks:
        raise PlanInputError("weeks", f"{weeks} is out of range", f"1 to {norms.max_plan_weeks}")
    phases: list[Phase]
    warnings: list[PlanWarning] = []
    race_date = profile.goal.race_date
    race_week: int | None = None
    if race_date is not None and profile.goal.race_distance is not None:
        if race_date < start:
            raise PlanInputError(
                "goal.race_date",
                f"the race ({race_date}) is before the plan start ({start})",
                "a race on or after the start, or an earlier start",
            )
        weeks_to_race = (monday_of(race_date) - start).days // 7 + 1
        race_week = weeks_to_race
        taper = min(norms.taper_weeks[profile.goal.race_distance], weeks_to_race - 1)
        build = weeks_to_race - 1 - taper
        phases = []
        if build >= norms.build_min_weeks:
            split = build_split(build, norms)
            phases += ["foundation"] * split["foundation"]
            phases += ["strength"] * split["strength"]
            phases += ["power"] * split["power"]
        elif build >= 1:
            phases += ["maintenance"] * build
            warnings.append(
                PlanWarning(
                    None,
                    None,
                    None,
                    f"Only {build} week(s) before the taper: no time to build calf strength "
                    f"safely before this race, so those weeks maintain it.",
                )
            )
        phases += ["taper"] * taper
        phases += ["race"]
        phases += ["recovery"] * norms.recovery_weeks
    else:
        foundation = norms.foundation_weeks_without_race
        phases = ["foundation"] * foundation
        phases += ["strength"] * (norms.strength_until_week_without_race - foundation)
        del phases[norms.default_weeks_without_race :]
    total = len(phases) if weeks is None else weeks
    if race_date is not None and total > norms.max_plan_weeks:
        # Only the race can make it so (`weeks` is checked above): a race far from the start,
        # or a start far before the race, is held to the same longest plan (issue 13).
        to_race = norms.max_plan_weeks - norms.recovery_weeks  # weeks up to the race week
        earliest = monday_of(race_date) - timedelta(weeks=to_race - 1)
        latest = start + timedelta(weeks=to_race, days=-1)
        raise PlanInputError(
            "start",
            f"the plan from {start} to the race on {race_date} and its "
            f"{norms.recovery_weeks} recovery weeks would run {total} weeks",
            f"a plan of at most {norms.max_plan_weeks} weeks: a start on or after {earliest}, "
            f"or a race on or before {latest}",
        )
    # Deloads are placed on the whole calendar before cutting it to `weeks`, so a short plan
    # marks the same weeks as the long one (the last build week before a taper stays ordinary).
    phases += ["maintenance"] * max(0, total - len(phases))
    deloads = _deloads(phases, profile, norms)[:total]
    phases = phases[:total]
    layout = tuple(
        WeekLayout(n + 1, start + _WEEK * n, phase, deloads[n]) for n, phase in enumerate(phases)
    )
    if race_week is not None and race_week > total:
        race_week = None
    return Layout(layout, tuple(warnings), race_week)


def _deloads(phases: list[Phase], profile: Profile, norms: Norms) -> list[bool]:
    marks = [False] * len(phases)
    if protocol_runs(profile):
        return marks
    every = norms.deload_every[profile.experience]
    build_count = 0
    for n, phase in enumerate(phases):
        if phase not in BUILD_PHASES:
            continue
        build_count += 1
        before_taper = n + 1 < len(phases) and phases[n + 1] == "taper"
        if build_count % every == 0 and not before_taper:
            marks[n] = True
    return marks
