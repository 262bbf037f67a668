"""The HTML pages: first run, this week, today's session, check-in, progress, the plan and
the catalog. Forms POST and redirect (works without JavaScript); static/app.js adds steppers
and the rest timer on top."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from calfcoach import charts
from calfcoach.core.inputs import Day
from calfcoach.core.limits import HISTORY_WEEKS, PAIN, RPE
from calfcoach.errors import InputError, NotFoundError
from calfcoach.services import access, checkins, diary, diary_views, exporting, progress
from calfcoach.web import summary
from calfcoach.web.deps import (
    AthleteQuery,
    CsrfChecked,
    DatabaseDep,
    IdentityDep,
    SetId,
    TodayDep,
)
from calfcoach.web.profile_form import (
    CONDITIONS,
    DEFAULT_WEEK,
    DISTANCES,
    EQUIPMENT_CHOICES,
    EXPERIENCE,
    RUN_TYPES,
    WEEKDAYS,
    profile_toml_from_form,
)
from calfcoach.web.rendering import catalog_name, load_in_units, render
from calfcoach.web.steps import load_steps

router = APIRouter(include_in_schema=False)

DayQuery = Annotated[Day | None, Query(alias="date")]
# A form's date: the limits of core.inputs (1900-2100) hold for every date a page sends.
DayForm = Annotated[Day, Form(alias="date")]


def _link(path: str, athlete: str | None, **params: Any) -> str:
    """A URL of this app keeping the chosen athlete."""
    query = {k: v for k, v in {"athlete": athlete, **params}.items() if v is not None}
    return f"{path}?{urlencode(query)}" if query else path


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _choose_athlete(db: Any, athlete: str | None, next_path: str) -> str:
    """The athlete the page is about; sends the browser to the first-run form when there is
    none yet, and to a chooser when there are several."""
    names = diary_views.athlete_names(db)
    if not names:
        raise HTTPException(303, headers={"Location": "/setup"})
    if athlete is None:
        if len(names) == 1:
            return names[0]
        raise HTTPException(303, headers={"Location": _link("/athletes", None, next=next_path)})
    if athlete not in names:
        raise NotFoundError(f"no athlete {athlete!r}; allowed: {', '.join(names)}", "athlete")
    return athlete


def _page(request: Request, name: str, athlete: str | None, **context: Any) -> HTMLResponse:
    return render(
        request,
        name,
        {"athlete": athlete, "link": lambda path, **p: _link(path, athlete, **p), **context},
    )


@router.get("/")
def home(db: DatabaseDep, athlete: AthleteQuery = None) -> Response:
    name = _choose_athlete(db, athlete, "/week")
    return _redirect(_link("/today", name if athlete else None))


@router.get("/athletes")
def athletes(
    request: Request, db: DatabaseDep, identity: IdentityDep, next: str = "/week"
) -> HTMLResponse:
    # Only this app's own pages: "//host" or "/\\host" would send the browser elsewhere.
    target = next if re.fullmatch(r"/[A-Za-z0-9_./-]*", next) and "//" not in next else "/week"
    names = access.visible_names(db, identity)
    return _page(request, "athletes.html", None, names=names, target=target)


# ---------------------------------------------------------------------------- first run


def _setup_context(
    values: dict[str, Any], lists: dict[str, list[str]], today: date
) -> dict[str, Any]:
    return {
        "hide_nav": True,
        "this_monday": today - timedelta(days=today.weekday()),
        "next_monday": today + timedelta(days=7 - today.weekday()),
        "values": values,
        "lists": lists,
        "weekdays": WEEKDAYS,
        "run_types": RUN_TYPES,
        "experience": EXPERIENCE,
        "distances": DISTANCES,
        "conditions": CONDITIONS,
        "equipment": EQUIPMENT_CHOICES,
    }


@router.get("/setup")
def setup_form(request: Request, db: DatabaseDep, today: TodayDep) -> HTMLResponse:
    from calfcoach.services.club import club_defaults
    from calfcoach.web.club_form import form_values

    # The club's defaults (issue 16), offered: the form shows them and the athlete changes
    # them freely. Its loads are kg, as the form's default units.
    club_values, lists = form_values(club_defaults(db))
    values: dict[str, Any] = {
        **club_values,
        "athlete.units": "metric",
        "athlete.strength_experience": "novice",
        "strength.sessions_per_week": "2",
        "strength.calf_in_every_session": "strength",
        "health.condition": "none",
        "health.pain_now": "0",
        **{f"running.{day}": run for day, run in DEFAULT_WEEK.items()},
    }
    context = _setup_context(values, lists, today)
    return _page(request, "setup.html", None, **context, error=None, club=bool(lists))


@router.post("/setup", dependencies=[CsrfChecked])
async def setup_submit(
    request: Request, db: DatabaseDep, today: TodayDep, identity: IdentityDep
) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    lists = {
        key: [str(v) for v in form.getlist(key)]
        for key in ("athlete.equipment", "strength.preferred_days")
    }
    upload = form.get("profile_file")
    text, source = None, "form"
    if upload is not None and not isinstance(upload, str) and upload.filename:
        raw = await upload.read()
        source = upload.filename
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            error = InputError(f"{source}: not UTF-8 text; allowed: a profile TOML file")
            return _setup_error(request, values, lists, error, today)
    if text is None:
        text = profile_toml_from_form(values, lists)
    # "this week" starts the plan on this week's Monday, so today's session is in it.
    start = today - timedelta(days=today.weekday()) if values.get("start") == "this_week" else None
    try:
        result = await run_in_threadpool(
            access.init_athlete_as, db, identity, text, source, start, today
        )
    except InputError as exc:
        return _setup_error(request, values, lists, exc, today)
    return _redirect(_link("/week", result.name))


def _setup_error(
    request: Request,
    values: dict[str, Any],
    lists: dict[str, list[str]],
    exc: InputError,
    today: date,
) -> HTMLResponse:
    response = _page(
        request,
        "setup.html",
        None,
        **_setup_context(values, lists, today),
        # Line numbers point into the TOML made from the form, which the runner never saw.
        error={"message": re.sub(r"^form, line \d+, ", "", str(exc)), "field": exc.field},
    )
    response.status_code = 422
    return response


# ---------------------------------------------------------------------------- the week


@router.get("/week")
def week(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
    day: DayQuery = None,
) -> HTMLResponse:
    name = _choose_athlete(db, athlete, "/week")
    view = diary_views.week_view(db, name, day or today)
    if day is None and view.week is None and view.plan_first and view.plan_first > today:
        # A new plan starts next Monday: show its first week rather than an empty one.
        view = diary_views.week_view(db, name, view.plan_first)
    return _page(
        request,
        "week.html",
        athlete,
        view=view,
        today=today,
        previous=view.monday - timedelta(days=7),
        following=view.monday + timedelta(days=7),
        title=f"Week of {view.monday:%-d %B}",
    )


# ---------------------------------------------------------------------------- today


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

    name = _choose_athlete(db, athlete, "/explain")
    shown = day or today
    found = explain_day(db, name, shown)
    return _page(
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
    name = _choose_athlete(db, athlete, "/today")
    shown = day or today
    view = diary_views.day_view(db, name, shown)
    plan_first = diary_views.week_view(db, name, shown).plan_first if not view.plan_day else None
    from calfcoach.core.catalog import cues_for, is_insertional
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
    return _page(
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
        cues_of=lambda entry: cues_for(entry, insertional),
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
    name = _choose_athlete(db, athlete, "/today")
    effort = _optional_rpe(rpe)
    entries = diary.log_sets(
        db,
        name,
        day,
        diary.LogRequest(exercise, 1, reps, load or "0", effort, None, per_side, hold_s=hold_s),
        today,
    )
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"logged": [e.id for e in entries]}, status_code=201)
    return _redirect(
        _link("/today", athlete, date=day.isoformat(), logged=exercise) + f"#{exercise}"
    )


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
    db: DatabaseDep,
    today: TodayDep,
    day: DayForm,
    athlete: AthleteQuery = None,
) -> Response:
    name = _choose_athlete(db, athlete, "/today")
    diary.log_as_prescribed(db, name, day, today)
    return _redirect(_link("/today", athlete, date=day.isoformat()))


@router.post("/sets/{set_id}/delete", dependencies=[CsrfChecked])
def delete_set(
    set_id: SetId,
    db: DatabaseDep,
    today: TodayDep,
    day: DayForm,
    exercise: Annotated[str, Form(max_length=100, pattern=r"^[a-z0-9-]*$")] = "",
    athlete: AthleteQuery = None,
) -> Response:
    name = _choose_athlete(db, athlete, "/today")
    place = f"#{exercise}" if exercise else ""  # back to the card, not the top of the page
    try:
        diary.delete_set(db, name, set_id, today)
    except NotFoundError:
        # Undo from a page out of date (after Back, or in a second tab): the set is gone
        # already; the page says so rather than "Not found".
        return _redirect(_link("/today", athlete, date=day.isoformat(), stale=set_id) + place)
    return _redirect(_link("/today", athlete, date=day.isoformat()) + place)


# ---------------------------------------------------------------------------- check-in


def _optional_pain(field: str, text: str) -> int | None:
    """A 0–10 form value, or None when left blank. :raises InputError: anything else."""
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise InputError(f"{field}: {text!r} is not a number; allowed: {PAIN.allowed()}", field)
    return int(text)


@router.get("/checkin")
def checkin_form(
    request: Request, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> HTMLResponse:
    name = _choose_athlete(db, athlete, "/checkin")
    recent = diary_views.checkins(db, name)[-5:]
    return _page(request, "checkin.html", athlete, today=today, recent=recent, result=None)


@router.post("/checkin", dependencies=[CsrfChecked])
def checkin_submit(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    day: DayForm,
    pain_during: Annotated[int, Form()],
    pain_next_morning: Annotated[str, Form(max_length=2)] = "",
    pain_before: Annotated[str, Form(max_length=2)] = "",
    red_flag: Annotated[str, Form(max_length=30)] = "",
    cleared_by_clinician: Annotated[str, Form(max_length=5)] = "",
    athlete: AthleteQuery = None,
) -> HTMLResponse:
    name = _choose_athlete(db, athlete, "/checkin")
    result = checkins.record_checkin(
        db,
        name,
        day,
        pain_during,
        _optional_pain("pain_next_morning", pain_next_morning),
        today,
        pain_before=_optional_pain("pain_before", pain_before),
        red_flag=red_flag.strip() or None,
        cleared_by_clinician=bool(cleared_by_clinician.strip()),
    )
    recent = diary_views.checkins(db, name)[-5:]
    return _page(request, "checkin.html", athlete, today=today, recent=recent, result=result)


# ---------------------------------------------------------------------------- progress


@router.get("/progress")
def progress_page(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
    weeks: Annotated[int | None, Query(ge=HISTORY_WEEKS.low, le=HISTORY_WEEKS.high)] = None,
) -> HTMLResponse:
    name = _choose_athlete(db, athlete, "/progress")
    found = progress.history(db, name, None, weeks, today)
    tests = diary_views.assessments(db, name, today)
    volume = diary_views.weekly_volume(found.exercises)
    loaded = [ex for ex in found.exercises if any(s["e1rm_kg"] > 0 for s in ex["sessions"])]
    return _page(
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
                    f"{catalog_name(ex['exercise'])}: weekly volume",
                ),
            )
            for ex in loaded
        ],
        volume=volume,
        volume_chart=charts.volume_svg(volume, found.units, "Weekly calf volume"),
        tests=tests,
        tests_chart=charts.heel_raise_svg(tests),
        today=today,
        weeks=weeks,
    )


@router.post("/progress/heel-raise", dependencies=[CsrfChecked])
def heel_raise_submit(
    db: DatabaseDep,
    today: TodayDep,
    day: DayForm,
    left: Annotated[int, Form()],
    right: Annotated[int, Form()],
    pain: Annotated[str, Form(max_length=2)] = "",
    athlete: AthleteQuery = None,
) -> Response:
    name = _choose_athlete(db, athlete, "/progress")
    # Blank: not recorded; the service checks the 0–10 range (InputError names the field).
    progress.assess_heel_raise(db, name, day, left, right, today, pain=_optional_pain("pain", pain))
    return _redirect(_link("/progress", athlete) + "#tests")


@router.post("/progress/hop", dependencies=[CsrfChecked])
def hop_submit(
    db: DatabaseDep,
    today: TodayDep,
    day: DayForm,
    pain: Annotated[int, Form()],
    athlete: AthleteQuery = None,
) -> Response:
    name = _choose_athlete(db, athlete, "/progress")
    progress.assess_hop(db, name, day, pain, today)
    return _redirect(_link("/progress", athlete) + "#tests")


# ---------------------------------------------------------------------------- plan, catalog


@router.get("/plan")
def plan_page(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    identity: IdentityDep,
    athlete: AthleteQuery = None,
) -> HTMLResponse:
    name = _choose_athlete(db, athlete, "/plan")
    view = diary_views.plan_view(db, name, today)
    # The private calendar link is the athlete's own: a coach's grant does not show it.
    own_feed = access.may_hold_feed(identity, name, db)
    token = exporting.feed_token(db, name) if own_feed else None
    # The address the phone used (or serve's --public-url), never a loopback one on a LAN.
    base = request.app.state.settings.public_url or str(request.base_url)
    feed = None if token is None else f"{base.rstrip('/')}/calendar/{token}.ics"
    return _page(
        request,
        "plan.html",
        athlete,
        view=view,
        plan=view.document,
        today=today,
        feed=feed,
        own_feed=own_feed,
    )


@router.post("/plan/calendar-link", dependencies=[CsrfChecked])
def calendar_link_create(
    db: DatabaseDep, identity: IdentityDep, athlete: AthleteQuery = None
) -> Response:
    name = _choose_athlete(db, athlete, "/plan")
    _own_feed_only(db, identity, name)
    exporting.feed_token(db, name, create=True)
    return _redirect(_link("/plan", athlete) + "#calendar")


@router.post("/plan/calendar-link/revoke", dependencies=[CsrfChecked])
def calendar_link_revoke(
    db: DatabaseDep, identity: IdentityDep, athlete: AthleteQuery = None
) -> Response:
    name = _choose_athlete(db, athlete, "/plan")
    _own_feed_only(db, identity, name)
    exporting.revoke_feed(db, name)
    return _redirect(_link("/plan", athlete) + "#calendar")


def _own_feed_only(db: Any, identity: access.Identity, name: str) -> None:
    if not access.may_hold_feed(identity, name, db):
        raise NotFoundError("no such athlete", "athlete")


@router.get("/calendar/{token}.ics")
def calendar_feed(
    token: Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
    db: DatabaseDep,
    today: TodayDep,
    at: Annotated[str | None, Query(alias="time", max_length=5)] = None,
    tz: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The athlete's private calendar feed; all-day events unless ?time=HH:MM (&tz=Zone)."""
    from datetime import time

    clock = None
    if at is not None:
        try:
            clock = time.fromisoformat(at)
        except ValueError:
            raise InputError(f"time: {at!r} is not a time; allowed: HH:MM", "time") from None
    zone = exporting.check_zone(tz) if tz else ("UTC" if clock else None)
    body = exporting.calendar_feed(db, token, exporting.CalendarOptions(None, clock, zone), today)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )


@router.get("/plan.json")
def plan_download(db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None) -> Response:
    name = _choose_athlete(db, athlete, "/plan")
    view = diary_views.plan_view(db, name, today)
    import json

    filename = f"calfcoach-plan-{view.document['start']}.json"
    return Response(
        json.dumps(view.document, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


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
    return _page(
        request,
        "exercises.html",
        athlete,
        found=found,
        variation=variation,
        kit=kit,
        equipment=EQUIPMENT_CHOICES,
    )
