"""Calf strain (Green et al. 2022; DOMAIN.md §6): which rehab step each week is at, driven by the
check-ins. Pure: the plan's week starts and the judged check-ins in, a step per week out.

Steps: 1 isometric holds and two-legged raises, 2 single-leg raises at body weight, 3 loaded
raises. Check-ins drive the steps: amber holds the step, red goes back one, and green check-ins
in a row move to the next — two, three with one risk factor (age ≥ 40, an earlier strain; Green
& Pizzari 2017), four with both (the risk factors stack: DOMAIN.md gives "three with a risk
factor" and, for both, one week a step more; we read "stack" for the greens too, the more
conservative reading). Between check-ins the plan's up-front assumption holds: one step every
2 weeks (3 with a risk factor, 4 with both), counting the weeks at the step that had no check-in
or only greens.
That is also how the weeks after today are planned until their check-ins come. After an amber
or red check-in, the step's weeks count again from the week after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from calfcoach.core.conditions import strain_greens_to_advance, strain_step, strain_step_weeks
from calfcoach.core.norms import Norms
from calfcoach.core.pain import JudgedCheckIn
from calfcoach.core.plan import Plan, PlanWarning
from calfcoach.core.profile import Profile

FIRST_STEP = 1
LAST_STEP = 3
STEP_NAMES = {
    1: "isometric holds and two-legged raises",
    2: "single-leg raises at body weight",
    3: "loaded raises",
}


def steps_by_week(
    week_starts: Sequence[date],
    profile: Profile,
    judged: Sequence[JudgedCheckIn],
    norms: Norms,
) -> dict[int, int]:
    """The step of each week (1-based index → 1..3), walking the weeks in order.

    ``week_starts``: the plan's Mondays, week 1 first. ``judged``: the check-ins in date order
    with their zones (core.pain.judge); a check-in changes the step from the week after its
    own (weeks are re-planned from the next Monday). Check-ins dated before the plan's start
    count before week 1. Without a check-in the result is the up-front schedule,
    ``conditions.strain_step``.
    """
    if not week_starts:
        return {}
    start = week_starts[0]
    per_step = strain_step_weeks(profile, start, norms)
    needed = strain_greens_to_advance(profile, start, norms)
    by_week: dict[int, list[JudgedCheckIn]] = {}
    for j in judged:
        index = max(0, (j.checkin.day - start).days // 7 + 1)
        by_week.setdefault(index, []).append(j)
    step, weeks_at_step, greens = FIRST_STEP, 0, 0

    def apply(checkins: list[JudgedCheckIn]) -> None:
        nonlocal step, weeks_at_step, greens
        for j in checkins:
            if j.zone == "green":
                greens += 1
                if greens >= needed and step < LAST_STEP:
                    step, weeks_at_step, greens = step + 1, 0, 0
            elif j.zone == "amber":
                # The step holds, and its weeks count again from here (the conservative
                # reading of "amber holds the step"); the greens are no longer in a row.
                weeks_at_step, greens = 0, 0
            else:
                step, weeks_at_step, greens = max(FIRST_STEP, step - 1), 0, 0

    apply(by_week.get(0, []))
    steps: dict[int, int] = {}
    for index in range(1, len(week_starts) + 1):
        steps[index] = step
        checkins = by_week.get(index, [])
        before = step
        apply(checkins)
        if step != before or any(j.zone != "green" for j in checkins):
            continue  # the check-ins decided this week
        # A week at the step without a check-in, or with greens short of the count: it counts
        # towards the up-front schedule (so green check-ins never slow a runner down).
        weeks_at_step += 1
        if weeks_at_step >= per_step and step < LAST_STEP:
            step, weeks_at_step = step + 1, 0
    return steps


def replanned_steps(
    week_starts: Sequence[date],
    profile: Profile,
    judged: Sequence[JudgedCheckIn],
    norms: Norms,
) -> dict[int, int]:
    """The weeks whose step the check-ins moved away from the up-front schedule (index →
    step); empty without a calf strain or a check-in, so the planner keeps its schedule."""
    if profile.health.condition != "calf_strain" or not judged or not week_starts:
        return {}
    start = week_starts[0]
    return {
        index: step
        for index, step in steps_by_week(week_starts, profile, judged, norms).items()
        if step != strain_step(profile, start, index, norms)
    }


def step_words(step: int) -> str:
    """ "step 2 of 3 (single-leg raises at body weight)" """
    return f"step {step} of {LAST_STEP} ({STEP_NAMES[step]})"


# The note a re-planned week carries where the check-ins moved its step. ``check`` sees only
# the plan and the profile, not the check-ins: it reads the step from this note (rule R11,
# the week) and judges the week by it; a week without one follows the up-front schedule.
_STEP_NOTE = re.compile(r"^Calf strain at step ([123]) of 3 ")


def step_note(week: int, step: int, planned: int) -> PlanWarning:
    """The R11 note that says a week's step came from the check-ins."""
    return PlanWarning(
        "R11",
        week,
        None,
        f"Calf strain at {step_words(step)} from your check-ins (the up-front schedule had "
        f"step {planned}): green check-ins in a row move you on, amber holds the step, red goes "
        "back one (Green et al. 2022).",
    )


def plan_step(plan: Plan, profile: Profile, week: int, norms: Norms) -> int:
    """A week's calf-strain step as the plan holds it: the check-ins' step its R11 note names,
    else the up-front schedule (0 without a calf strain)."""
    if profile.health.condition != "calf_strain":
        return 0
    for w in plan.warnings:
        if w.rule == "R11" and w.week == week and (found := noted_step(w.message)) is not None:
            return found
    return strain_step(profile, plan.start, week, norms)


def noted_step(message: str) -> int | None:
    """The step an R11 note of :func:`step_note` names, or None for another message."""
    found = _STEP_NOTE.match(message)
    return None if found is None else int(found.group(1))
