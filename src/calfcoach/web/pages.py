"""What every HTML page route shares (web.routes): links that keep the chosen athlete, the
redirect after a form, choosing the athlete a page is about, rendering a page, and the form
values the pages parse alike (dates, optional pain and RPE)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from calfcoach.core.inputs import Day
from calfcoach.core.limits import PAIN
from calfcoach.errors import InputError
from calfcoach.services import diary_views
from calfcoach.web.rendering import render

DayQuery = Annotated[Day | None, Query(alias="date")]
# A form's date: the limits of core.inputs (1900-2100) hold for every date a page sends.
DayForm = Annotated[Day, Form(alias="date")]


def link(path: str, athlete: str | None, **params: Any) -> str:
    """A URL of this app keeping the chosen athlete."""
    query = {k: v for k, v in {"athlete": athlete, **params}.items() if v is not None}
    return f"{path}?{urlencode(query)}" if query else path


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def choose_athlete(db: Any, athlete: str | None, next_path: str) -> str:
    """The athlete the page is about; sends the browser to the first-run form when there is
    none yet, and to a chooser when there are several.

    A name given has been checked already by the route's ``AthleteQuery`` (web.deps: it
    exists and the one asking may see it), so it costs no read here (issue 13: one athlete
    lookup a request); the service finds the athlete by that name. An athlete deleted in
    between is the service's 404."""
    if athlete is not None:
        return athlete
    names = diary_views.athlete_names(db)
    if not names:
        raise HTTPException(303, headers={"Location": "/setup"})
    if len(names) == 1:
        return names[0]
    raise HTTPException(303, headers={"Location": link("/athletes", None, next=next_path)})


def page(request: Request, name: str, athlete: str | None, **context: Any) -> HTMLResponse:
    """Render a page about ``athlete``. ``read_only``: the one asking has view access only
    (web.deps), so the page shows no form that changes the diary and says why."""
    read_only = getattr(request.state, "access", None) == "view"
    return render(
        request,
        name,
        {
            "athlete": athlete,
            "link": lambda path, **p: link(path, athlete, **p),
            "read_only": read_only,
            **context,
        },
    )


def optional_pain(field: str, text: str) -> int | None:
    """A 0–10 form value, or None when left blank. :raises InputError: anything else."""
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise InputError(f"{field}: {text!r} is not a number; allowed: {PAIN.allowed()}", field)
    return int(text)
