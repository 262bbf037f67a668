"""The first-run page: the athlete's profile from a form (or an uploaded profile TOML) and
their first plan."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from calfcoach.errors import FieldError, ForbiddenError, InputError
from calfcoach.services import access
from calfcoach.web.deps import CsrfChecked, DatabaseDep, IdentityDep, TodayDep
from calfcoach.web.pages import link, page, redirect
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

router = APIRouter(include_in_schema=False)


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


def _may_add(identity: access.Identity) -> None:
    """:raises ForbiddenError: an athlete account (it owns one diary and adds nobody): said
    plainly, before the form is filled in (issue 13: it answered 422 "no such athlete")."""
    if not access.may_add_athletes(identity):
        raise ForbiddenError(access.ADD_ATHLETES_ROLES)


@router.get("/setup")
def setup_form(
    request: Request, db: DatabaseDep, today: TodayDep, identity: IdentityDep
) -> HTMLResponse:
    from calfcoach.services.club import club_defaults
    from calfcoach.web.club_form import form_values

    _may_add(identity)

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
    return page(request, "setup.html", None, **context, error=None, club=bool(lists))


@router.post("/setup", dependencies=[CsrfChecked])
async def setup_submit(
    request: Request, db: DatabaseDep, today: TodayDep, identity: IdentityDep
) -> Response:
    _may_add(identity)
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
    chosen = values.get("start", "next_week")
    if chosen not in ("next_week", "this_week"):  # (not a choice the form gives)
        error = FieldError("start", f"{chosen[:40]!r} is not allowed", "next_week, this_week")
        return _setup_error(request, values, lists, error, today)
    start = today - timedelta(days=today.weekday()) if chosen == "this_week" else None
    try:
        result = await run_in_threadpool(
            access.init_athlete_as, db, identity, text, source, start, today
        )
    except InputError as exc:
        return _setup_error(request, values, lists, exc, today)
    return redirect(link("/week", result.name))


def _setup_error(
    request: Request,
    values: dict[str, Any],
    lists: dict[str, list[str]],
    exc: InputError,
    today: date,
) -> HTMLResponse:
    response = page(
        request,
        "setup.html",
        None,
        **_setup_context(values, lists, today),
        # Line numbers point into the TOML made from the form, which the runner never saw.
        error={"message": re.sub(r"^form, line \d+, ", "", str(exc)), "field": exc.field},
    )
    response.status_code = 422
    return response
