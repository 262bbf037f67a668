"""The coach dashboard, and sharing a diary between a coach and an athlete (issue 16): a coach
makes an invitation link, the athlete opens it signed in and chooses the level (view, or edit);
either side ends it. The athlete's page shows who has access and every change to the diary.

The invitation is the coach's id and the time, signed with the server's key (itsdangerous):
nothing is stored until the athlete accepts, and a link is good for seven days.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from calfcoach.errors import InputError, NotFoundError
from calfcoach.services import accounts
from calfcoach.services.access import may_add_athletes, session_key
from calfcoach.web.clock import request_today
from calfcoach.web.deps import CsrfChecked, DatabaseDep, IdentityDep
from calfcoach.web.rendering import render

router = APIRouter(include_in_schema=False)

INVITE_MAX_AGE = 7 * 24 * 3600


def _signer(db: DatabaseDep) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(session_key(db), salt="calfcoach-invite")


def _base(request: Request) -> str:
    base: str = request.app.state.settings.public_url or str(request.base_url)
    return base.rstrip("/")


@router.get("/sharing")
def sharing_page(
    request: Request, db: DatabaseDep, identity: IdentityDep, invite: bool = False
) -> HTMLResponse:
    if identity.is_owner:
        raise NotFoundError("sharing needs accounts: calfcoach user add NAME --role athlete")
    link = None
    if invite and identity.role in ("coach", "admin"):
        token = _signer(db).dumps({"c": identity.user_id})
        link = f"{_base(request)}/invite/{token}"
    return render(
        request,
        "sharing.html",
        {
            "title": "Sharing",
            "identity": identity,
            "sharing": accounts.sharing_of(db, identity),
            "invite_link": link,
            "may_add": may_add_athletes(identity),
        },
    )


@router.post("/sharing/end", dependencies=[CsrfChecked])
def sharing_end(
    db: DatabaseDep,
    identity: IdentityDep,
    other: Annotated[str, Form(max_length=100)],
) -> Response:
    accounts.end_sharing(db, identity, other)
    return RedirectResponse("/sharing", status_code=303)


@router.get("/coach")
def coach_dashboard(request: Request, db: DatabaseDep, identity: IdentityDep) -> HTMLResponse:
    """The athletes a coach follows: adherence, pain, days since the last log, next race."""
    from calfcoach.services.dashboard import ADHERENCE_DAYS, ROLES, dashboard

    if identity.role not in ROLES:
        # An athlete account's home is its own diary: the same 404 as any page not theirs
        # (it showed a dashboard of one row, with a club-defaults link that was a 404).
        raise NotFoundError("no such page")
    today = request_today(request)
    return render(
        request,
        "coach.html",
        {
            "title": "Athletes",
            "rows": dashboard(db, identity, today),
            "days": ADHERENCE_DAYS,
            # (A coach found no way to /setup from here: a club's trial.)
            "may_add": may_add_athletes(identity),
        },
    )


InviteToken = Annotated[str, Path(max_length=300, pattern=r"^[A-Za-z0-9_.-]+$")]


def _coach_of(db: DatabaseDep, token: str) -> int:
    try:
        data = _signer(db).loads(token, max_age=INVITE_MAX_AGE)
    except BadSignature:
        raise NotFoundError(
            "this invitation is not valid or has expired; ask for a new one"
        ) from None
    coach = data.get("c") if isinstance(data, dict) else None
    if not isinstance(coach, int):
        raise NotFoundError("this invitation is not valid or has expired; ask for a new one")
    return coach


@router.get("/invite/{token}")
def invite_page(
    request: Request, db: DatabaseDep, identity: IdentityDep, token: InviteToken
) -> HTMLResponse:
    coach = accounts.coach_name(db, _coach_of(db, token))
    if coach is None:
        raise NotFoundError("this invitation's coach has no account any more")
    return render(
        request,
        "invite.html",
        {"title": "Invitation", "identity": identity, "coach": coach, "token": token},
    )


@router.post("/invite/{token}", dependencies=[CsrfChecked])
def invite_accept(
    db: DatabaseDep,
    identity: IdentityDep,
    token: InviteToken,
    level: Annotated[str, Form(max_length=10)],
) -> Response:
    coach_id = _coach_of(db, token)
    if identity.role != "athlete":
        raise InputError("only an athlete account accepts an invitation; sign in as one")
    accounts.accept_invite(db, identity, coach_id, level)
    return RedirectResponse("/sharing", status_code=303)
