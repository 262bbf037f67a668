"""R12: primers only when asked, short, light and without plyometrics (DOMAIN.md §3)."""

from __future__ import annotations

from collections.abc import Iterator

from calfcoach.core.norms import ORDINARY_PHASES
from calfcoach.core.plan import Session
from calfcoach.core.rules.base import EPSILON, PL, PlanContext, Violation, rule


@rule("R12", "primers as §3", by_day=True)
def r12_primers(ctx: PlanContext) -> Iterator[Violation]:
    """Short calf primers on run days without strength, only when the profile asks."""
    norms = ctx.norms
    every = ctx.profile.strength.calf_in_every_session == "all"
    race = ctx.profile.goal.race_date
    # The same few primers recur all plan long: each distinct one judged once.
    judged: dict[tuple[tuple[str, str, int, float | None, int | None], ...], list[str]] = {}
    for view in ctx.views:
        week = view.week
        race_primers = 0
        ordinary = week.phase in ORDINARY_PHASES
        # Without primers asked for, a day without sessions has nothing to find: only the
        # days with sessions are walked.
        for day in week.days if every else view.days:
            if not day.sessions:
                # Most days: without sessions, the one thing to find is a run with no primer.
                if every and ordinary and day.run in ("easy", "long", "workout"):
                    yield Violation(
                        "R12", week.index, day.date, f"{day.weekday}'s {day.run} run has no primer"
                    )
                continue
            primers: list[Session] = []
            has_strength = False
            for session in day.sessions:
                if session.kind == "primer":
                    primers.append(session)
                elif session.kind == "strength":
                    has_strength = True
            runs = day.run in ("easy", "long", "workout")
            for primer in primers:
                # Every field _primer_problems reads. (Gathered by a loop: no comprehension
                # frame for each primer of a third of the plans' days.)
                fields = []
                for p in primer.exercises:
                    fields.append((p.exercise, p.variation, p.sets, p.load_kg, p.rest_s))
                key = tuple(fields)
                found = judged.get(key)
                if found is None:
                    found = judged[key] = list(_primer_problems(ctx, primer))
                for message in found:
                    yield Violation("R12", week.index, day.date, message)
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


def _primer_problems(ctx: PlanContext, primer: Session) -> Iterator[str]:
    """What makes ``primer`` more than a short, light primer without plyometrics."""
    norms = ctx.norms
    count = len(primer.exercises)
    if not 1 <= count <= norms.primer_max_exercises:
        yield f"primer with {count} exercises; 1 to {norms.primer_max_exercises}"
    seconds = 0
    for p in primer.exercises:
        if ctx.variation(p) == PL:
            yield f"plyometric {p.exercise} in a primer"
        if p.sets > norms.primer_max_sets:
            yield f"{p.exercise}: {p.sets} sets in a primer; at most {norms.primer_max_sets}"
        if (p.load_kg or 0) / ctx.body_mass > norms.primer_max_load_x_bodyweight + EPSILON:
            yield f"{p.exercise}: primer load is not light"
        # DOMAIN.md §3 counts "45 s a set": a set a side counts once, as its notation writes
        # it. (Counting each side's would be the stricter reading, and would fail plans the
        # previous release made and `check` passed; the planner's primers are two-legged now,
        # so none of its own is near the limit either way.)
        seconds += p.sets * (norms.primer_seconds_per_set + (p.rest_s or 0))
    if seconds > norms.primer_max_seconds:
        yield (
            f"primer takes {seconds // 60} min {seconds % 60} s; at most "
            f"{norms.primer_max_seconds // 60} min"
        )
