"""Rules on the calendar: R5 the running week, R7 the race, R8 sessions a week, R9 phases
and deloads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from calfcoach.core import conditions
from calfcoach.core.catalog import RAISES
from calfcoach.core.norms import ORDINARY_PHASES
from calfcoach.core.placement import plyo_too_close_to_race, race_problem, running_week_problem
from calfcoach.core.rules.base import PL, PlanContext, Violation, rule

# A week, made once (R7 asks for every week of a plan with a race; timedelta(days=7) parses
# its keyword argument at each call).
_WEEK = timedelta(days=7)


@rule("R5", "strength sessions fit the running week", excusable=True, by_day=True)
def r5_running_week(ctx: PlanContext) -> Iterator[Violation]:
    """Hard days hard, easy days easy: no strength the day before a workout, long run or race,
    none on the long-run day, and preferred days used unless they break that."""
    preferred = set(ctx.profile.strength.preferred_days)
    race = ctx.profile.goal.race_date
    # Away from the race (neither the day nor the next is race day) a day's problem is its
    # weekday's in the weekly pattern: asked once a weekday.
    by_weekday: dict[int, str | None] = {}
    for view in ctx.views:
        week = view.week
        for day, _ in view.strength:
            if race is not None and 0 <= (race - day.date).days <= 1:
                problem = running_week_problem(ctx.profile, day.date)
            else:
                weekday = day.date.weekday()
                if weekday in by_weekday:
                    problem = by_weekday[weekday]
                else:
                    problem = by_weekday[weekday] = running_week_problem(ctx.profile, day.date)
            if problem is not None and not ctx.excuses("R5", week.index, day.date):
                yield Violation("R5", week.index, day.date, f"strength session although {problem}")
        if week.phase not in ORDINARY_PHASES or not preferred:
            continue
        used = {day.weekday for day, _ in view.strength}
        if not used - preferred:
            continue
        for day in week.days:
            if (
                day.weekday in preferred
                and day.weekday not in used
                and not ctx.excuses("R5", week.index, day.date)
            ):
                yield Violation(
                    "R5",
                    week.index,
                    day.date,
                    f"preferred day {day.weekday} unused while a session is on another day",
                )


@rule("R7", "the race: last strength early enough, no late plyometrics, nothing on race day")
def r7_race(ctx: PlanContext) -> Iterator[Violation]:
    """Fresh legs on race day."""
    race = ctx.profile.goal.race_date
    if race is None:
        return
    distance = ctx.profile.goal.race_distance
    # race_problem and plyo_too_close_to_race find nothing on a day after the race or further
    # before it than either of their limits: those days are not asked.
    horizon = ctx.norms.no_plyo_days_before
    if distance is not None:
        horizon = max(horizon, ctx.norms.last_strength_days_before[distance])
    for view in ctx.views:
        week = view.week
        holds_race = week.start <= race < week.start + _WEEK
        if holds_race and week.phase != "race":
            yield Violation("R7", week.index, None, f"the week of the race is {week.phase}")
        for day in view.days:  # (a day without sessions has nothing to find)
            if day.date == race:
                yield Violation("R7", week.index, day.date, "calf work on race day")
                continue
            near = 0 <= (race - day.date).days <= horizon
            for session in day.sessions:
                if session.kind == "strength":
                    if holds_race:
                        yield Violation(
                            "R7", week.index, day.date, "strength session in the race week"
                        )
                    problem = race_problem(ctx.profile, day.date, ctx.norms) if near else None
                    if problem is not None and day.date != race:
                        yield Violation("R7", week.index, day.date, f"strength session: {problem}")
                if (near and plyo_too_close_to_race(ctx.profile, day.date, ctx.norms)) and any(
                    ctx.variation(p) == PL for p in session.exercises
                ):
                    yield Violation(
                        "R7",
                        week.index,
                        day.date,
                        f"plyometrics within {ctx.norms.no_plyo_days_before} days of the race",
                    )


@rule("R8", "strength sessions per week", excusable=True)
def r8_sessions_per_week(ctx: PlanContext) -> Iterator[Violation]:
    """``sessions_per_week`` (or the protocol's) each ordinary week, fewer only in deload,
    taper, race and recovery weeks; with 3+ sessions the same raise ≥ 48 h apart."""
    norms = ctx.norms
    wanted = conditions.protocol_sessions(ctx.profile, norms)
    asked = ctx.profile.strength.sessions_per_week
    variations = ctx.variations  # (ctx.variation's dict: read for every prescription)
    for view in ctx.views:
        week, sessions = view.week, view.strength
        count = len(sessions)
        if week.phase in ORDINARY_PHASES:
            off = count > wanted or (count < wanted and not week.deload)
            if (off or wanted != asked) and not ctx.excuses("R8", week.index):
                if off:
                    yield Violation(
                        "R8", week.index, None, f"{count} strength sessions; §5 asks for {wanted}"
                    )
                if wanted != asked:
                    yield Violation(
                        "R8",
                        week.index,
                        None,
                        f"the protocol's {wanted} sessions differ from sessions_per_week = {asked}",
                    )
        elif count > wanted and not ctx.excuses("R8", week.index):
            yield Violation(
                "R8", week.index, None, f"{count} strength sessions in a {week.phase} week"
            )
        if count >= 3:
            last: dict[str, date] = {}
            for day, session in sessions:
                present = {variations.get(p.exercise, p.variation) for p in session.exercises}
                # In RAISES' order, not the set's: a set of strings iterates in an order that
                # changes with each process's hash seed, and so did `check`'s lines. (A loop
                # that skips, not a generator made for every session of these weeks.)
                for variation in RAISES:
                    if variation not in present:
                        continue
                    seen = last.get(variation)
                    gap = norms.min_days_between_same_variation
                    if (
                        seen is not None
                        and (day.date - seen).days < gap
                        and not ctx.excuses("R8", week.index)
                    ):
                        yield Violation(
                            "R8",
                            week.index,
                            day.date,
                            f"{variation.replace('_', '-')} work on {seen} and {day.date}: "
                            "less than 48 h apart",
                        )
                    last[variation] = day.date


@rule("R9", "phases and deloads as §4")
def r9_periodization(ctx: PlanContext) -> Iterator[Violation]:
    """Each week's phase and deload mark are those §4 gives for this profile and start."""
    for week, expected in zip(ctx.plan.weeks, ctx.layout.weeks, strict=False):
        if week.phase != expected.phase:
            yield Violation(
                "R9", week.index, None, f"phase {week.phase}; §4 gives {expected.phase}"
            )
        elif week.deload != expected.deload:
            state = "a deload" if expected.deload else "an ordinary week"
            yield Violation(
                "R9",
                week.index,
                None,
                f"deload is {str(week.deload).lower()}; §4 makes this week {state}",
            )
