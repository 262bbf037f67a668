"""R12: primers only when asked, short, light and without plyometrics (DOMAIN.md §3)."""

from __future__ import annotations

from collections.abc import Iterator

from calfcoach.core.norms import ORDINARY_PHASES
from calfcoach.core.plan import Day, Session, Week
from calfcoach.core.rules.base import EPSILON, PL, PlanContext, Violation, rule


@rule("R12", "primers as §3", by_day=True)
def r12_primers(ctx: PlanContext) -> Iterator[Violation]:
    """Short calf primers on run days without strength, only when the profile asks."""
    norms = ctx.norms
    every = ctx.profile.strength.calf_in_every_session == "all"
    race = ctx.profile.goal.race_date
    for week in ctx.plan.weeks:
        race_primers = 0
        for day in week.days:
            primers = [s for s in day.sessions if s.kind == "primer"]
            has_strength = any(s.kind == "strength" for s in day.sessions)
            runs = day.run in ("easy", "long", "workout")
            for primer in primers:
                yield from _primer_findings(ctx, week, day, primer)
            if not every:
                if primers:
                    yield Violation(
                        "R12", week.index, day.date, 'primer without calf_in_every_session = "all"'
                    )
                continue
            if len(primers) > 1:
                yield Violation("R12", week.index, day.date, "more than one primer in a day")
            if primers and (has_strength or not runs):
                why = "a strength day" if has_strength else f"a {day.run} day"
                yield Violation("R12", week.index, day.date, f"primer on {why}")
            if week.phase in ORDINARY_PHASES:
                if runs and not has_strength and not primers:
                    yield Violation(
                        "R12",
                        week.index,
                        day.date,
                        f"{day.weekday}'s {day.run} run has no primer",
                    )
            elif week.phase == "race":
                race_primers += len(primers)
                if (
                    primers
                    and race is not None
                    and ((race - day.date).days < norms.race_primer_days_before_min)
                ):
                    yield Violation(
                        "R12", week.index, day.date, "race-week primer too close to the race"
                    )
            elif primers:
                yield Violation("R12", week.index, day.date, f"primer in a {week.phase} week")
        if race_primers > 1:
            yield Violation("R12", week.index, None, "more than one primer in the race week")


def _primer_findings(
    ctx: PlanContext, week: Week, day: Day, primer: Session
) -> Iterator[Violation]:
    norms = ctx.norms
    count = len(primer.exercises)
    if not 1 <= count <= norms.primer_max_exercises:
        yield Violation(
            "R12",
            week.index,
            day.date,
            f"primer with {count} exercises; 1 to {norms.primer_max_exercises}",
        )
    seconds = 0
    for p in primer.exercises:
        if ctx.variation(p) == PL:
            yield Violation("R12", week.index, day.date, f"plyometric {p.exercise} in a primer")
        if p.sets > norms.primer_max_sets:
            yield Violation(
                "R12",
                week.index,
                day.date,
                f"{p.exercise}: {p.sets} sets in a primer; at most {norms.primer_max_sets}",
            )
        if (p.load_kg or 0) / ctx.body_mass > norms.primer_max_load_x_bodyweight + EPSILON:
            yield Violation("R12", week.index, day.date, f"{p.exercise}: primer load is not light")
        seconds += p.sets * (norms.primer_seconds_per_set + (p.rest_s or 0))
    if seconds > norms.primer_max_seconds:
        yield Violation(
            "R12",
            week.index,
            day.date,
            f"primer takes {seconds // 60} min {seconds % 60} s; at most "
            f"{norms.primer_max_seconds // 60} min",
        )
