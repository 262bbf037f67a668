"""R6: plyometric spacing, caps, taper and none after the race."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from calfcoach.core.norms import ORDINARY_PHASES
from calfcoach.core.plan import Week
from calfcoach.core.progression import first_weekly_contacts
from calfcoach.core.rules.base import PlanContext, Violation, rule


@rule("R6", "plyometric spacing, caps, taper and none after the race")
def r6_plyometrics(ctx: PlanContext) -> Iterator[Violation]:
    """≥ 48 h between plyometric days; contacts within §2's caps; taper ≤ half the last
    ordinary week; none in race weeks or the first recovery week."""
    norms, exp = ctx.norms, ctx.profile.experience
    previous_plyo_day: date | None = None
    last_ordinary: int | None = None
    last_ordinary_phase = "maintenance"
    for view in ctx.views:
        week = view.week
        weekly = 0
        plyo_sessions = 0
        for day, sessions in view.plyo_days:
            for contacts in sessions:
                plyo_sessions += 1
                weekly += contacts
                cap = _session_cap(ctx, week, last_ordinary_phase, exp)
                if contacts > cap:
                    yield Violation(
                        "R6",
                        week.index,
                        day.date,
                        f"{contacts} plyometric contacts in a session; the {week.phase} cap "
                        f"for a {exp} is {cap}",
                    )
            if previous_plyo_day is not None and (day.date - previous_plyo_day).days < (
                norms.plyo_min_days_between
            ):
                yield Violation(
                    "R6",
                    week.index,
                    day.date,
                    f"plyometrics on consecutive days ({previous_plyo_day} and {day.date})",
                )
            previous_plyo_day = day.date
        if week.phase == "taper" and weekly:
            base = last_ordinary
            if base is None:
                base = first_weekly_contacts(
                    norms.phases["maintenance"].plyo_cap[exp], plyo_sessions, norms
                )
            limit = int(base * norms.taper_contact_share)
            if weekly > limit:
                yield Violation(
                    "R6",
                    week.index,
                    None,
                    f"{weekly} plyometric contacts in a taper week; at most {limit} (half the "
                    "last ordinary week)",
                )
        if week.phase in ORDINARY_PHASES and not week.deload:
            last_ordinary = weekly
            last_ordinary_phase = week.phase


def _session_cap(ctx: PlanContext, week: Week, last_ordinary_phase: str, exp: str) -> int:
    """The contacts a session of ``week`` may hold for a runner of level ``exp`` (read once
    by the caller, for every week)."""
    caps = ctx.norms.phases
    if week.phase == "race":
        return 0
    if week.phase == "recovery":
        return 0 if week.index == ctx.first_recovery_week else caps["foundation"].plyo_cap[exp]
    if week.phase == "taper":
        return caps[last_ordinary_phase].plyo_cap[exp]
    return caps[week.phase].plyo_cap[exp]
