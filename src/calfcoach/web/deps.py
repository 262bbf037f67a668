"""Dependencies shared by the routes, under names that say what they are."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Path, Query, Request

from calfcoach.services.training_log import Database
from calfcoach.web.security import CSRF_COOKIE, csrf_matches


def _database(request: Request) -> Database:
    database: Database = request.app.state.settings.database
    return database


def _today(request: Request) -> date:
    today: date = request.app.state.settings.today()
    return today


DatabaseDep = Annotated[Database, Depends(_database)]
TodayDep = Annotated[date, Depends(_today)]
AthleteQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="Athlete name; may be left out when the database holds one athlete.",
    ),
]


def _check_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    if not csrf_matches(request.cookies.get(CSRF_COOKIE), csrf_token):
        # The page was open too long in another browser, or the request came from elsewhere.
        raise HTTPException(
            403, "the form has expired or did not come from this app; reload the page and try again"
        )


CsrfChecked = Depends(_check_csrf)

# Ids are 32-bit integers in both databases.
SetId = Annotated[int, Path(ge=1, le=2_147_483_647, description="A logged set's id.")]
