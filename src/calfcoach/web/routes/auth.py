"""Signing in and out, and changing one's password (issue 16). Only used once the database has
an account; before that the local owner needs none of it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from calfcoach.core import limits
from calfcoach.errors import InputError
from calfcoach.services import accounts
from calfcoach.web.auth import SESSION_COOKIE, SESSION_MAX_AGE, Sessions, safe_next
from calfcoach.web.deps import CsrfChecked, DatabaseDep, IdentityDep
from calfcoach.web.rendering import render

router = APIRouter(include_in_schema=False)

# Any stored name signs in (accounts made before core.limits' rule for new names keep theirs):
# the form takes the rule's length, and an unknown name is the same refusal as a wrong password.
NameField = Annotated[str, Form(max_length=limits.USER_NAME_MAX)]
PasswordField = Annotated[str, Form(max_length=accounts.PASSWORD_MAX)]


def _signin_page(
    request: Request, next_path: str, error: str | None, status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "signin.html",
        {"hide_nav": True, "title": "Sign in", "next": next_path, "error": error},
        status_code=status_code,
    )


@router.get("/signin")
def signin_form(request: Request, next: str = "/") -> HTMLResponse:
    return _signin_page(request, safe_next(next), None)


@router.post("/signin", dependencies=[CsrfChecked])
async def signin_submit(
    request: Request,
    db: DatabaseDep,
    name: NameField,
    password: PasswordField,
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    try:
        # argon2 takes tens of milliseconds of CPU: off the event loop.
        identity = await run_in_threadpool(accounts.sign_in, db, name, password)
    except accounts.SignInRefused as exc:
        limited = "too many" in str(exc)
        return _signin_page(request, safe_next(next), str(exc), 429 if limited else 401)
    sessions: Sessions = request.state.sessions
    password_hash = await run_in_threadpool(accounts.password_hash_of, db, identity.name)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        await run_in_threadpool(sessions.cookie_for, identity.user_id or 0, password_hash),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/signout", dependencies=[CsrfChecked])
def signout(request: Request) -> Response:
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/account")
def account_page(request: Request, identity: IdentityDep) -> HTMLResponse:
    return render(
        request,
        "account.html",
        {"title": "Account", "identity": identity, "error": None, "changed": False},
    )


@router.post("/account/password", dependencies=[CsrfChecked])
async def password_submit(
    request: Request,
    db: DatabaseDep,
    identity: IdentityDep,
    current_password: PasswordField,
    new_password: PasswordField,
) -> Response:
    try:
        await run_in_threadpool(
            accounts.change_password, db, identity, current_password, new_password
        )
    except InputError as exc:
        # Too many wrong passwords: the sign-in page's 429 (one count for both, issue 13).
        limited = isinstance(exc, accounts.PasswordsLimited)
        return render(
            request,
            "account.html",
            {"title": "Account", "identity": identity, "error": str(exc), "changed": False},
            status_code=429 if limited else 422,
        )
    # The new password ends the old sessions, this one included: sign this browser in again.
    sessions: Sessions = request.state.sessions
    password_hash = await run_in_threadpool(accounts.password_hash_of, db, identity.name)
    response = render(
        request,
        "account.html",
        {"title": "Account", "identity": identity, "error": None, "changed": True},
    )
    response.set_cookie(
        SESSION_COOKIE,
        sessions.cookie_for(identity.user_id or 0, password_hash),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response
