"""The coach dashboard (issue 16): one row per athlete the coach may see, the ones who need a
look first (a red flag, two reds in a row, a red zone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from calfcoach.core.pain import pain_status
from calfcoach.data import default_norms
from calfcoach.services.access import Identity, visible_athletes
from calfcoach.services.context import Database, stored_profile
from calfcoach.services.replan import fresh_plan

ADHERENCE_DAYS = 14


@dataclass(frozen=True, slots=True)
class AthleteRow:
    name: str
    sessions_logged: int  # of the last two weeks' prescribed sessions (days before today)
    sessions_prescribed: int
    zone: str | None  # the last check-in's pain zone; None without check-ins
    red_flag: str | None
    see_clinician: bool  # two reds in a row, no green since
    days_since_log: int | None
    next_race: date | None

    @property
    def needs_a_look(self) -> bool:
        return self.red_flag is not None or self.see_clinician or self.zone == "red"


# Who has a dashboard: those who may follow athletes other than themselves.
ROLES = ("owner", "admin", "coach")


def dashboard(db: Database, identity: Identity, today: date) -> list[AthleteRow]:
    """The athletes ``identity`` may see, those needing a look first, then by name."""
    norms = default_norms()
    rows = []
    with db.unit_of_work(read_only=True) as uow:
        for name in visible_athletes(uow, identity):
            athlete_id = uow.athletes.id_of(name)
            if athlete_id is None:
                continue
            first = today - timedelta(days=ADHERENCE_DAYS)
            logged_days = {e.day for e in uow.sets.between(athlete_id, first, today)}
            plan = fresh_plan(db, uow, athlete_id, name, last_day_shown=today) or {"weeks": []}
            prescribed = [
                date.fromisoformat(day["date"])
                for week in plan["weeks"]
                for day in week["days"]
                if any(s["kind"] == "strength" for s in day["sessions"])
                and first <= date.fromisoformat(day["date"]) < today
            ]
            last_log = uow.sets.last_day(athlete_id)
            status = pain_status(uow.checkins.all(athlete_id), today, norms)
            last = status.last
            race_day = stored_profile(uow, athlete_id, name, today).goal.race_date
            rows.append(
                AthleteRow(
                    name=name,
                    sessions_logged=sum(1 for day in prescribed if day in logged_days),
                    sessions_prescribed=len(prescribed),
                    zone=None if last is None else str(last.zone),
                    red_flag=None if status.red_flag is None else str(status.red_flag[1]),
                    see_clinician=status.clinician_since is not None,
                    days_since_log=None if last_log is None else (today - last_log).days,
                    next_race=race_day if race_day is not None and race_day >= today else None,
                )
            )
    return sorted(rows, key=lambda row: (not row.needs_a_look, row.name))
