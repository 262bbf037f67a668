"""The progress page (the history of each exercise, weekly volume and the tests, with charts)
and its test forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from calfcoach import charts
from calfcoach.core.limits import HISTORY_WEEKS
from calfcoach.services import change_notes, diary_views, progress
from calfcoach.web.auth import note_change
from calfcoach.web.deps import AthleteQuery, CsrfChecked, DatabaseDep, TodayDep
from calfcoach.web.pages import DayForm, choose_athlete, link, optional_pain, page, redirect
from calfcoach.web.rendering import catalog_name

router = APIRouter(include_in_schema=False)


@router.get("/progress")
def progress_page(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
    weeks: Annotated[int | None, Query(ge=HISTORY_WEEKS.low, le=HISTORY_WEEKS.high)] = None,
) -> HTMLResponse:
    name = choose_athlete(db, athlete, "/progress")
    found = progress.history(db, name, None, weeks, today)
    tests = diary_views.assessments(db, name, today)
    volume = diary_views.weekly_volume(found.exercises)
    loaded = [ex for ex in found.exercises if any(s["e1rm_kg"] > 0 for s in ex["sessions"])]
    return page(
        request,
        "progress.html",
        athlete,
        history=found,
        units=found.units,
        e1rm_charts=[
            (
                ex,
                charts.e1rm_svg(ex, found.units),
                charts.volume_svg(
                    diary_views.weekly_volume([ex]),
                    found.units,
                    f"{catalog_name(ex['exercise'], found.insertional)}: weekly volume",
                ),
            )
            for ex in loaded
        ],
        volume=volume,
        volume_chart=charts.volume_svg(volume, found.units, "Weekly calf volume"),
        tests=tests,
        hop_test=progress.hop_test_offer(db, name, today),
        tests_chart=charts.heel_raise_svg(tests),
        today=today,
        weeks=weeks,
        title="Progress",
    )


@router.post("/progress/heel-raise", dependencies=[CsrfChecked])
def heel_raise_submit(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    day: DayForm,
    left: Annotated[int, Form()],
    right: Annotated[int, Form()],
    pain: Annotated[str, Form(max_length=2)] = "",
    athlete: AthleteQuery = None,
) -> Response:
    name = choose_athlete(db, athlete, "/progress")
    # Blank: not recorded; the service checks the 0–10 range (InputError names the field).
    felt = optional_pain("pain", pain)
    progress.assess_heel_raise(db, name, day, left, right, today, pain=felt)
    note_change(request, change_notes.heel_raise_test(day, left, right, felt))
    return redirect(link("/progress", athlete) + "#tests")


@router.post("/progress/hop", dependencies=[CsrfChecked])
def hop_submit(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    day: DayForm,
    pain: Annotated[int, Form()],
    athlete: AthleteQuery = None,
) -> Response:
    name = choose_athlete(db, athlete, "/progress")
    progress.assess_hop(db, name, day, pain, today)
    note_change(request, change_notes.hop_test(day, pain))
    return redirect(link("/progress", athlete) + "#tests")
