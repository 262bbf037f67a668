"""The local web app: ``create_app`` wires the pages, the JSON API under ``/api/v1``, static
files, the API docs, and one error handler for both HTML and JSON.

The app keeps no state of its own apart from the database (and a CSRF cookie in the browser),
so a club deployment can run several processes on one PostgreSQL.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from calfcoach import __version__
from calfcoach.errors import CalfcoachError, FieldError, NotFoundError
from calfcoach.runtime import tune_collector
from calfcoach.services.context import Database
from calfcoach.web.clock import BrowserClock
from calfcoach.web.pairing import Pairing
from calfcoach.web.security import GuardMiddleware

log = logging.getLogger("calfcoach.web")

# Forms and API bodies are small; an uploaded profile is a few kB.
MAX_BODY_BYTES = 256 * 1024


def _default_threads() -> int:
    # The pages' work is Python (GIL-bound) and SQLite; more threads than cores only make each
    # request share the interpreter with more others. Measured with bench/web_load.py on 2
    # cores: 2 threads gave 92 requests/s at 10 clients against 70 with AnyIO's default 40,
    # and "log a set" a p99 of 232 ms against 452 ms (a writer holding SQLite's lock was
    # starved by readers).
    import os

    return max(2, os.cpu_count() or 2)


@dataclass(frozen=True, slots=True)
class WebSettings:
    database: Database
    today: Callable[[], date]  # CALFCOACH_TODAY in tests and demos, else the real date
    # The day in the browser's time zone (web.clock); None: ``today`` for every request.
    browser_clock: BrowserClock | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    worker_threads: int = field(default_factory=_default_threads)
    # Host names the app answers to; None: any. On loopback, `serve` allows only the loopback
    # names, so a web page cannot reach the diary through DNS rebinding.
    allowed_hosts: tuple[str, ...] | None = None
    # serve --lan: other machines need the owner's paired device cookie (web.pairing).
    pairing: Pairing | None = None
    # The address phones and calendars reach the app at (serve --public-url); None: the
    # address of each request.
    public_url: str | None = None


def create_app(settings: WebSettings) -> FastAPI:
    """The FastAPI app for one database."""
    from calfcoach.web.routes import (
        api,
        athletes,
        auth,
        calendar_feed,
        checkin,
        club,
        exercises,
        first_run,
        offline,
        pairing,
        plan,
        progress,
        sharing,
        today,
        week,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        # After start-up: routes, templates, the catalog and the models are never rescanned
        # by the collector (issue 13: its pauses landed in the p99). Loaded first, so that
        # the freeze covers what the first requests would otherwise load after it.
        _warm_up()
        gc.collect()  # start-up's garbage is not kept frozen
        tune_collector()
        gc.freeze()  # (tune_collector freezes too; this says so where the server starts)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="calfcoach",
        version=__version__,
        description="Calf-strength coaching for runners: the plan, the training log, pain "
        "check-ins and tests. Loads are in kg; dates are ISO (YYYY-MM-DD). Where a database "
        "holds more than one athlete, pass `athlete`.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    from calfcoach.web.auth import AuthMiddleware

    # Innermost: every route (and the OpenAPI document) sees who is asking; refusals pass
    # through the guard and so carry the security headers.
    app.add_middleware(AuthMiddleware, database=settings.database)
    from calfcoach.web.gate import PriorityGate

    # Outside the identity check (it reads the database too) and inside the guard, whose
    # limits on body size and speed apply while the gate reads a body in full: under load a
    # logged set is served before the pages asked for earlier (web.gate).
    app.add_middleware(PriorityGate, slots=_gate_slots(settings))
    if settings.pairing is not None:
        from calfcoach.web.pairing import PairingMiddleware

        # Inside the guard, so its refusals carry the security headers too.
        app.add_middleware(PairingMiddleware, pairing=settings.pairing)
    app.add_middleware(GuardMiddleware, max_body_bytes=settings.max_body_bytes)
    if settings.allowed_hosts is not None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    static = Path(str(files("calfcoach.web") / "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.mount("/api/docs/assets", StaticFiles(directory=_swagger_dir()), name="swagger")
    app.include_router(api.router)
    app.include_router(offline.router)
    app.include_router(pairing.router)
    app.include_router(auth.router)
    app.include_router(sharing.router)
    app.include_router(club.router)
    # The pages, in the order they were written in one module before (issue 13).
    for pages in (athletes, first_run, week, today, checkin, progress, plan, calendar_feed):
        app.include_router(pages.router)
    app.include_router(exercises.router)
    _add_error_handlers(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        return Response("ok\n", media_type="text/plain")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    return app


def _gate_slots(settings: WebSettings) -> int:
    """How many requests the app serves at once (web.gate). On SQLite one: its work is Python
    and SQLite in this process, so a second request in the app only shares the interpreter
    (bench/web_load.py at 10 clients: the same requests a second with one slot or two), and
    with one a logged set waits for at most one request ahead of it (its p99 44 ms, not 67).
    On PostgreSQL one a worker thread: a request waiting on the server leaves the CPU to
    another."""
    if settings.database.engine.dialect.name == "sqlite":
        return 1
    return settings.worker_threads


def _warm_up() -> None:
    """Load what the first requests would: the catalog, the norms, the planner and the
    profile models, and every template compiled."""
    import calfcoach.core.planner
    import calfcoach.core.profile
    import calfcoach.core.replanning  # noqa: F401
    from calfcoach.data import default_catalog, default_norms
    from calfcoach.web.rendering import templates

    default_catalog()
    default_norms()
    env = templates().env
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)


def _swagger_dir() -> Path:
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)


# Swagger UI from the swagger-ui-bundle package, started by a served script (no inline JS).
DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>calfcoach API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body></html>
"""


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


# The web's words for the neutral field names of core.inputs and the services, one table
# each: the API's body and path fields, and the pages' form fields (the form sends "load").
API_FIELD_NAMES = {"set_id": "id"}
PAGE_FIELD_NAMES = {"set_id": "id", "load_kg": "load"}


def _field_name(request: Request, field: str) -> str:
    names = API_FIELD_NAMES if _wants_json(request) else PAGE_FIELD_NAMES
    return names.get(field, field)


def _body_fields(request: Request) -> list[str]:
    """The fields of the route's JSON body model, to name what is allowed when a request
    sends a field the model has not, or no object at all; none for a route without one."""
    from pydantic import BaseModel

    body = getattr(request.scope.get("route"), "body_field", None)
    model = getattr(getattr(body, "field_info", None), "annotation", None)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _parameter_bounds(request: Request, name: str | None) -> dict[str, Any]:
    """The bounds (ge, le, …) the route declares for its query or path parameter ``name``."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None or name is None:
        return {}
    for param in [*dependant.query_params, *dependant.path_params]:
        if name in (param.name, param.alias):
            return {
                key: getattr(rule, key)
                for rule in getattr(param.field_info, "metadata", ())
                for key in ("ge", "gt", "le", "lt")
                if getattr(rule, key, None) is not None
            }
    return {}


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    field: str | None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The one shape of an error: JSON ``{"error": {...}}`` under /api, a page elsewhere."""
    if _wants_json(request):
        return JSONResponse(
            {"error": {"code": code, "message": message, "field": field}},
            status_code=status,
            headers=headers,
        )
    from calfcoach.web.rendering import render

    response = render(
        request,
        "error.html",
        {"status": status, "message": message, "field": field},
        status_code=status,
    )
    response.headers.update(headers or {})
    return response


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CalfcoachError)
    async def calfcoach_error(request: Request, exc: CalfcoachError) -> Response:
        # Each error class carries its status and code word (calfcoach.errors).
        status, code = exc.http_status, exc.api_code
        field: str | None = getattr(exc, "field", None)
        message = str(exc)
        if isinstance(exc, NotFoundError) and field == "athlete":
            # The services' message lists the athletes there are (right for the local command
            # line); the web names no one, whoever asks (issue 16: unknown and forbidden are
            # the same 404).
            message = "no such athlete"
        elif isinstance(exc, FieldError) and field is not None:
            field = _field_name(request, field)
            message = exc.worded(field)
            if field == "request":
                field = None  # the whole request, as for a body that is no JSON object
        return error_response(request, status, code, message, field)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        from calfcoach.core.inputs import describe

        first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
        loc = [part for part in first.get("loc", ()) if part not in ("body", "query", "path")]
        if first.get("type") == "json_invalid":
            loc = []  # (pydantic places it at the character where the JSON broke)
        field = ".".join(str(part) for part in loc) or None
        if first.get("type") == "missing" and field is None:
            # No body at all (it said "request: is missing; allowed: Field required").
            fields = _body_fields(request)
            allowed = "a JSON object" + (f" with {', '.join(fields)}" if fields else "")
            message = f"request: the JSON body is missing; allowed: {allowed}"
            return error_response(request, 422, "invalid_input", message, None)
        # Worded as every other refusal: the value, and the values allowed (core.inputs).
        # A parameter that is not even a number carries no bounds in its error: the route's
        # declaration has them.
        ctx = first.get("ctx") or _parameter_bounds(request, field)
        invalid = describe({**first, "loc": tuple(loc), "ctx": ctx}, _body_fields(request))
        message = f"{field or 'request'}: {invalid.problem}; allowed: {invalid.allowed}"
        return error_response(request, 422, "invalid_input", message, field)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        location = (exc.headers or {}).get("Location")
        if 300 <= exc.status_code < 400 and location:
            return RedirectResponse(location, status_code=exc.status_code)
        code = {
            404: "not_found",
            405: "method_not_allowed",
            403: "forbidden",
            409: "other_account",
        }.get(exc.status_code, "http_error")
        # Headers the exception carries stay: a 405 says which methods are Allow-ed.
        return error_response(request, exc.status_code, code, str(exc.detail), None, exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(
            request, 500, "internal", "something went wrong on our side; it is logged", None
        )
