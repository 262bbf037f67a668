"""The pairing pages of ``serve --lan``: the one-time link sets the owner's device cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from calfcoach.web.pairing import DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE, Pairing
from calfcoach.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/pair")
def pair_page(request: Request) -> HTMLResponse:
    return render(request, "pair.html", {"hide_nav": True, "refused": False, "title": "Pair"})


@router.get("/pair/{code}")
def pair_device(
    request: Request, code: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
) -> Response:
    pairing: Pairing | None = request.app.state.settings.pairing
    cookie = None if pairing is None else pairing.redeem(code)
    if cookie is None:
        return render(
            request,
            "pair.html",
            {"hide_nav": True, "refused": True, "title": "Pair"},
            status_code=403,
        )
    response = RedirectResponse("/today", status_code=303)
    response.set_cookie(
        DEVICE_COOKIE,
        cookie,
        max_age=DEVICE_COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",  # the link is opened from the camera app: a top-level navigation
        secure=request.url.scheme == "https",
        path="/",
    )
    return response
