"""The exercise catalog page, filtered by variation and by the equipment at hand (the
athlete's own kit on the first visit)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from calfcoach.services import diary_views
from calfcoach.web.deps import AthleteQuery, DatabaseDep, TodayDep
from calfcoach.web.pages import page
from calfcoach.web.profile_form import EQUIPMENT_CHOICES

router = APIRouter(include_in_schema=False)


def _athlete_equipment(db: Any, athlete: str | None, today: date) -> list[str] | None:
    """The equipment in the athlete's profile (the one athlete when none is named); None
    when there is no such single athlete."""
    names = diary_views.athlete_names(db)
    if athlete is None and len(names) != 1:
        return None
    if athlete is not None and athlete not in names:
        return None
    profile = diary_views.athlete_view(db, athlete, today).profile
    return sorted(profile.equipment)


@router.get("/exercises")
def exercises_page(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    variation: Annotated[str | None, Query(max_length=20)] = None,
    equipment: Annotated[list[str] | None, Query()] = None,
    athlete: AthleteQuery = None,
) -> HTMLResponse:
    from calfcoach.services.planning import find_exercises

    if variation == "":
        variation = None
    if equipment is None:
        # First visit: what the athlete can do with their own kit. The form always sends an
        # empty "equipment" too, so unticking every box shows the whole catalog.
        equipment = _athlete_equipment(db, athlete, today)
    kit = [e for e in (equipment or []) if e]
    found = find_exercises(variation, kit or None)
    return page(
        request,
        "exercises.html",
        athlete,
        found=found,
        variation=variation,
        kit=kit,
        equipment=EQUIPMENT_CHOICES,
    )
