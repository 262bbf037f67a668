"""The plan page (every week of the current plan, and the private calendar link) and the plan
as a JSON download."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from calfcoach.errors import NotFoundError
from calfcoach.services import access, change_notes, diary_views, exporting
from calfcoach.web.auth import note_change
from calfcoach.web.deps import AthleteQuery, CsrfChecked, DatabaseDep, IdentityDep, TodayDep
from calfcoach.web.pages import choose_athlete, link, page, redirect

router = APIRouter(include_in_schema=False)


@router.get("/plan")
def plan_page(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    identity: IdentityDep,
    athlete: AthleteQuery = None,
) -> HTMLResponse:
    name = choose_athlete(db, athlete, "/plan")
    view = diary_views.plan_view(db, name, today)
    # The private calendar link is the athlete's own: a coach's grant does not show it.
    own_feed = access.may_hold_feed(identity, name, db)
    token = exporting.feed_token(db, name) if own_feed else None
    # The address the phone used (or serve's --public-url), never a loopback one on a LAN.
    base = request.app.state.settings.public_url or str(request.base_url)
    feed = None if token is None else f"{base.rstrip('/')}/calendar/{token}.ics"
    return page(
        request,
        "plan.html",
        athlete,
        view=view,
        plan=view.document,
        today=today,
        feed=feed,
        own_feed=own_feed,
        title=f"{name}'s plan",
    )


@router.post("/plan/calendar-link", dependencies=[CsrfChecked])
def calendar_link_create(
    request: Request, db: DatabaseDep, identity: IdentityDep, athlete: AthleteQuery = None
) -> Response:
    name = choose_athlete(db, athlete, "/plan")
    _own_feed_only(db, identity, name)
    had = exporting.feed_token(db, name) is not None
    exporting.feed_token(db, name, create=True)
    # A form sent twice (a second tab) finds the link made already: nothing changed.
    note_change(request, None if had else "calendar link made")
    return redirect(link("/plan", athlete) + "#calendar")


@router.post("/plan/calendar-link/revoke", dependencies=[CsrfChecked])
def calendar_link_revoke(
    request: Request, db: DatabaseDep, identity: IdentityDep, athlete: AthleteQuery = None
) -> Response:
    name = choose_athlete(db, athlete, "/plan")
    _own_feed_only(db, identity, name)
    note_change(request, change_notes.calendar_links_revoked(exporting.revoke_feed(db, name)))
    return redirect(link("/plan", athlete) + "#calendar")


def _own_feed_only(db: Any, identity: access.Identity, name: str) -> None:
    if not access.may_hold_feed(identity, name, db):
        raise NotFoundError("no such athlete", "athlete")


@router.get("/plan.json")
def plan_download(db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None) -> Response:
    name = choose_athlete(db, athlete, "/plan")
    view = diary_views.plan_view(db, name, today)
    import json

    filename = f"calfcoach-plan-{view.document['start']}.json"
    return Response(
        json.dumps(view.document, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
