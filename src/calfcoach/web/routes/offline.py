"""What makes the app installable and usable offline: the web app manifest and the service
worker, served from the root so the worker's scope is the whole app."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)


@cache
def _static(name: str) -> bytes:
    return (files("calfcoach.web") / "static" / name).read_bytes()


@router.get("/sw.js")
def service_worker() -> Response:
    # no-cache: the browser checks for a new worker on every visit (a stale one would keep
    # serving old pages).
    return Response(
        _static("sw.js"),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return Response(
        _static("manifest.webmanifest"),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )
