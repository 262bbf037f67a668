"""The club's defaults on the coach dashboard (issue 16): an admin or coach sets the club
gym's equipment, its loads and the preferred strength days once; the first-run form offers
them to every athlete added after."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from calfcoach.errors import FieldError, NotFoundError
from calfcoach.services import club
from calfcoach.services.access import Identity
from calfcoach.web.club_form import LIST_FIELDS, defaults_from_form, form_values
from calfcoach.web.deps import CsrfChecked, DatabaseDep, IdentityDep, TodayDep
from calfcoach.web.profile_form import EQUIPMENT_CHOICES, WEEKDAYS
from calfcoach.web.rendering import render

router = APIRouter(include_in_schema=False)


def _setter(identity: Identity) -> None:
    # Athletes get the same 404 as any page that is not theirs.
    if identity.role not in club.SETTERS:
        raise NotFoundError("no such page")


def _page(
    request: Request,
    values: dict[str, Any],
    lists: dict[str, list[str]],
    error: dict[str, Any] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "club.html",
        {
            "title": "Club defaults",
            "values": values,
            "lists": lists,
            "equipment": EQUIPMENT_CHOICES,
            "weekdays": WEEKDAYS,
            "load_keys": club.LOAD_KEYS,
            "error": error,
            "saved": saved,
        },
        status_code=status_code,
    )


@router.get("/coach/club")
def club_form(
    request: Request, db: DatabaseDep, identity: IdentityDep, saved: bool = False
) -> HTMLResponse:
    _setter(identity)
    values, lists = form_values(club.club_defaults(db))
    return _page(request, values, lists, saved=saved)


@router.post("/coach/club", dependencies=[CsrfChecked])
async def club_submit(
    request: Request, db: DatabaseDep, identity: IdentityDep, today: TodayDep
) -> Response:
    _setter(identity)
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k not in LIST_FIELDS}
    lists = {key: [str(v) for v in form.getlist(key)] for key in LIST_FIELDS}
    try:
        defaults = defaults_from_form(values, lists, today)
    except FieldError as exc:
        field = ".".join(part for part in (exc.field or "").split(".") if not part.isdigit())
        error = {"field": field, "message": exc.worded(field)}
        return _page(request, values, lists, error=error, status_code=422)
    await run_in_threadpool(club.set_club_defaults, db, identity, defaults)
    return RedirectResponse("/coach/club?saved=1", status_code=303)
