"""Today's session: the day's exercises with their logged sets, the "Why?" page, and the forms
that log a set, log the day as prescribed and undo a set."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from calfcoach.core.limits import RPE
from calfcoach.errors import InputError, NotFoundError
from calfcoach.services import change_notes, diary, diary_views
from calfcoach.web import summary
from calfcoach.web.auth import note_change
from calfcoach.web.deps import AthleteQuery, CsrfChecked, DatabaseDep, SetId, TodayDep
from calfcoach.web.pages import DayForm, DayQuery, choose_athlete, link, page, redirect
from calfcoach.web.rendering import load_in_units
from calfcoach.web.steps import load_steps

router = APIRouter(include_in_schema=False)


@router.get("/explain")
def explain_page(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
    day: DayQuery = None,
    exercise: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    """Why each exercise of a day is what it is (DOMAIN.md §7): the "Why?" link of Today."""
    from calfcoach.data import default_catalog
    from calfcoach.services.explain import explain_day

    name = choose_athlete(db, athlete, "/explain")
    shown = day or today
    found = explain_day(db, name, shown)
    return page(
        request,
        "explain.html",
        athlete,
        found=found,
        units=found.units,
        catalog=default_catalog(),
        shown=shown,
        focus=exercise,
        title=f"Why {shown:%A %-d %B}",
    )


@router.get("/today")
def today_page(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
    day: DayQuery = None,
    logged: Annotated[str | None, Query(max_length=100)] = None,
    stale: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> HTMLResponse:
    name = choose_athlete(db, athlete, "/today")
    shown = day or today
    view = diary_views.day_view(db, name, shown)
    plan_first = diary_views.week_view(db, name, shown).plan_first if not view.plan_day else None
    from calfcoach.core.catalog import cues_for, is_insertional, name_for
    from calfcoach.core.dosing import pair_exercise_ids
    from calfcoach.data import default_catalog, default_norms

    catalog = default_catalog()
    health = view.profile.health
    insertional = is_insertional(health.condition, health.achilles_type)
    day_json = view.to_json()
    units = view.profile.athlete.units
    planned = [ex for session in day_json["sessions"] for ex in session["exercises"]]
    steps = {
        ex["exercise"]: [
            float(load_in_units(kg, units))
            for kg in load_steps(catalog.by_id[ex["exercise"]], view.profile)
        ]
        for ex in planned
        if ex["exercise"] in catalog.by_id
    }
    return page(
        request,
        "today.html",
        athlete,
        view=view,
        day=day_json,
        units=units,
        steps=steps,
        summary=_session_summary(db, name, shown, planned),
        stale=stale,
        pairs=pair_exercise_ids(catalog, view.profile.equipment, default_norms()),
        insertional=insertional,
        cues_of=lambda entry, load_kg: cues_for(entry, insertional, load_kg),
        name_of=lambda entry: name_for(entry, insertional),
        catalog=catalog,
        shown=shown,
        today=today,
        just_logged=logged,
        plan_first=plan_first,
        previous=shown - timedelta(days=1),
        following=shown + timedelta(days=1),
        title="Today" if shown == today else f"{shown:%A %-d %B}",
    )


def _session_summary(
    db: Any, name: str, day: date, planned: list[dict[str, Any]]
) -> summary.SessionSummary | None:
    """Totals once every prescribed set of the day is logged, beside the last time; None
    before."""
    if not planned or any(len({s["set"] for s in ex["logged"]}) < ex["sets"] for ex in planned):
        return None
    plyometric = {ex["exercise"] for ex in planned if ex["variation"] == "plyometric"}
    now = [{"exercise": ex["exercise"], **s} for ex in planned for s in ex["logged"]]
    found = diary_views.previous_session(db, name, day, {ex["exercise"] for ex in planned})
    if found is None:
        return summary.SessionSummary(summary.totals(now, plyometric), None, None)
    last_day, entries = found
    last = [{"exercise": e.exercise, **diary_views.logged_dict(e)} for e in entries]
    return summary.SessionSummary(
        summary.totals(now, plyometric), last_day, summary.totals(last, plyometric)
    )


@router.post("/today/log", dependencies=[CsrfChecked])
def log_set(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    day: DayForm,
    exercise: Annotated[str, Form(max_length=100)],
    reps: Annotated[int, Form()],
    load: Annotated[str, Form(max_length=20)] = "0",
    rpe: Annotated[str, Form(max_length=4)] = "",
    per_side: Annotated[bool, Form()] = False,
    hold_s: Annotated[int | None, Form()] = None,
    athlete: AthleteQuery = None,
) -> Response:
    name = choose_athlete(db, athlete, "/today")
    effort = _optional_rpe(rpe)
    entries = diary.log_sets(
        db,
        name,
        day,
        diary.LogRequest(exercise, 1, reps, load or "0", effort, None, per_side, hold_s=hold_s),
        today,
    )
    note_change(request, change_notes.sets_added(entries))
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"logged": [e.id for e in entries]}, status_code=201)
    return redirect(link("/today", athlete, date=day.isoformat(), logged=exercise) + f"#{exercise}")


def _optional_rpe(text: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(
            f"rpe: {text!r} is not a number; allowed: {RPE.allowed()}", "rpe"
        ) from None


@router.post("/today/log-all", dependencies=[CsrfChecked])
def log_all(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    day: DayForm,
    athlete: AthleteQuery = None,
) -> Response:
    name = choose_athlete(db, athlete, "/today")
    added = diary.log_day_as_prescribed(db, name, day, today).added  # the sets not logged yet
    note_change(request, change_notes.sets_added(added))
    return redirect(link("/today", athlete, date=day.isoformat()))


@router.post("/sets/{set_id}/delete", dependencies=[CsrfChecked])
def delete_set(
    request: Request,
    set_id: SetId,
    db: DatabaseDep,
    today: TodayDep,
    day: DayForm,
    exercise: Annotated[str, Form(max_length=100, pattern=r"^[a-z0-9-]*$")] = "",
    athlete: AthleteQuery = None,
) -> Response:
    name = choose_athlete(db, athlete, "/today")
    place = f"#{exercise}" if exercise else ""  # back to the card, not the top of the page
    try:
        removed = diary.delete_set(db, name, set_id, today)
    except NotFoundError:
        # Undo from a page out of date (after Back, or in a second tab): the set is gone
        # already; the page says so rather than "Not found". Nothing changed: no audit row.
        note_change(request, None)
        return redirect(link("/today", athlete, date=day.isoformat(), stale=set_id) + place)
    note_change(request, change_notes.set_removed(removed))
    return redirect(link("/today", athlete, date=day.isoformat()) + place)
