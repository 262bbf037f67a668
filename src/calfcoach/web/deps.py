"""Dependencies shared by the routes, under names that say what they are.

They are ``async`` where they do no blocking I/O, so FastAPI runs them on the event loop: a
sync dependency is a hand-off to the thread pool (two threads, web.app), and under load each
hand-off queues behind other requests' work (issue 13).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import Depends, Form, Header, HTTPException, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from calfcoach.errors import InputError, NotFoundError
from calfcoach.services.access import Identity, athlete_access, visible_names
from calfcoach.services.context import Database
from calfcoach.web.clock import request_today
from calfcoach.web.security import CSRF_COOKIE, csrf_matches


async def _database(request: Request) -> Database:
    """The database for this request: one lookup of the athlete and one fetch of the profile
    serve the access check, every service the route calls and the audit row (web.auth), as
    FastAPI hands every dependant of one request the same value."""
    shared: Database = request.app.state.settings.database
    database = shared.for_request()
    request.state.database = database
    return database


async def _today(request: Request) -> date:
    return request_today(request)


DatabaseDep = Annotated[Database, Depends(_database)]
TodayDep = Annotated[date, Depends(_today)]


async def _identity(request: Request) -> Identity:
    """Who is asking (web.auth.AuthMiddleware put it on the request)."""
    identity: Identity | None = getattr(request.state, "identity", None)
    if identity is None:
        raise HTTPException(401, "sign in first")
    return identity


IdentityDep = Annotated[Identity, Depends(_identity)]


async def _authorized_athlete(
    request: Request,
    db: DatabaseDep,
    identity: IdentityDep,
    athlete: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Athlete name; may be left out when you may see only one athlete.",
        ),
    ] = None,
) -> str | None:
    """The athlete a request is about, checked against who asks: reading needs view access,
    any other method edit access (services.access). Unknown and hidden athletes are the
    same 404, naming no one; a write with view access only is a 403 that says so. What the
    one asking may do ("own", "edit", "view") goes to ``request.state.access`` for the pages
    (web.pages: a view-only coach sees no forms)."""
    need: Literal["view", "edit"] = "view" if request.method in ("GET", "HEAD") else "edit"
    if request.url.path == "/" and athlete is None and identity.role in ("coach", "admin"):
        # A coach's home is the list of their athletes.
        raise HTTPException(303, headers={"Location": "/coach"})
    if identity.is_owner and athlete is None:
        # The local owner leaving the athlete out: nothing to check, and no database read
        # (the page or service takes the only athlete).
        request.state.athlete = None
        request.state.access = "own"
        return None
    try:
        name, level = await run_in_threadpool(_checked_athlete, db, identity, athlete, need)
        request.state.athlete = name  # for the audit row of a write (web.auth)
        request.state.access = level
        return name
    except NotFoundError:
        raise
    except InputError:
        # Several athletes to choose from: a page sends the browser to the chooser.
        if request.url.path.startswith("/api/"):
            raise
        target = quote(request.url.path, safe="/")
        raise HTTPException(303, headers={"Location": f"/athletes?next={target}"}) from None


def _checked_athlete(
    db: Database, identity: Identity, athlete: str | None, need: Literal["view", "edit"]
) -> tuple[str | None, str]:
    """The database half of :func:`_authorized_athlete`, in a worker thread."""
    if identity.is_owner and athlete is not None and athlete not in visible_names(db, identity):
        # Even the local owner's pages never list the athletes in an error: a page of another
        # site that reached the app (DNS rebinding, before the host check) learns nothing.
        raise NotFoundError("no such athlete", "athlete")
    return athlete_access(db, identity, athlete, need)


# Every route that reads or writes an athlete's diary takes the athlete through this: a new
# route cannot skip the check by reading the query itself.
AthleteQuery = Annotated[str | None, Depends(_authorized_athlete)]


async def _check_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    if not csrf_matches(request.cookies.get(CSRF_COOKIE), csrf_token):
        # The page was open too long in another browser, or the request came from elsewhere.
        raise HTTPException(
            403, "the form has expired or did not come from this app; reload the page and try again"
        )


CsrfChecked = Depends(_check_csrf)


async def _same_account(
    identity: IdentityDep,
    x_calfcoach_account: Annotated[
        str | None,
        Header(
            max_length=300,
            description="Who logged this on the phone (the page's `data-account`): sent "
            "under another account it is refused with 409 and left waiting, not stored for "
            "whoever is signed in now.",
        ),
    ] = None,
) -> None:
    """What a phone kept offline is sent under the account that made it (issue 13): on a
    shared phone the next account to sign in must not store another runner's sets."""
    from calfcoach.web.rendering import account_key

    if x_calfcoach_account is not None and x_calfcoach_account != account_key(identity):
        raise HTTPException(
            409, "logged under another account on this phone: it waits until that one signs in"
        )


# First among a route's dependencies (before the athlete's access check, whose 404 would
# make the phone drop what it kept).
SameAccount = Depends(_same_account)

# Ids are 32-bit integers in both databases.
SetId = Annotated[int, Path(ge=1, le=2_147_483_647, description="A logged set's id.")]
