"""The home page (today's session of the athlete) and the chooser when the database holds
several athletes."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from calfcoach.services import access
from calfcoach.web.deps import AthleteQuery, DatabaseDep, IdentityDep
from calfcoach.web.pages import choose_athlete, link, page, redirect

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(db: DatabaseDep, athlete: AthleteQuery = None) -> Response:
    name = choose_athlete(db, athlete, "/week")
    return redirect(link("/today", name if athlete else None))


@router.get("/athletes")
def athletes(
    request: Request, db: DatabaseDep, identity: IdentityDep, next: str = "/week"
) -> HTMLResponse:
    # Only this app's own pages: "//host" or "/\\host" would send the browser elsewhere.
    target = next if re.fullmatch(r"/[A-Za-z0-9_./-]*", next) and "//" not in next else "/week"
    names = access.visible_names(db, identity)
    may_add = access.may_add_athletes(identity)
    return page(request, "athletes.html", None, names=names, target=target, may_add=may_add)
