"""The week page: this week's sessions and runs, a week at a time."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from calfcoach.services import diary_views
from calfcoach.web.deps import AthleteQuery, DatabaseDep, TodayDep
from calfcoach.web.pages import DayQuery, choose_athlete, page

router = APIRouter(include_in_schema=False)


@router.get("/week")
def week(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
    day: DayQuery = None,
) -> HTMLResponse:
    name = choose_athlete(db, athlete, "/week")
    view = diary_views.week_view(db, name, day or today)
    if day is None and view.week is None and view.plan_first and view.plan_first > today:
        # A new plan starts next Monday: show its first week rather than an empty one.
        view = diary_views.week_view(db, name, view.plan_first)
    return page(
        request,
        "week.html",
        athlete,
        view=view,
        today=today,
        previous=view.monday - timedelta(days=7),
        following=view.monday + timedelta(days=7),
        title=f"Week of {view.monday:%-d %B}",
    )
