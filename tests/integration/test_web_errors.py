"""Each error class carries its HTTP status next to its exit code (calfcoach.errors), and the
web app answers with it through one handler: bad input 422, something not there 404, a busy
database 503, on the JSON API and on the pages, through real requests on real databases."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from calfcoach.errors import CalfcoachError, FieldError, FieldNotFound, InputError, NotFoundError
from calfcoach.services import athletes as athletes_service
from calfcoach.services import context
from calfcoach.store.db import SQLITE_BUSY_TIMEOUT_MS, DatabaseError, DatabaseUnreachable
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT

TODAY = date(2026, 12, 1)  # a Tuesday of the sample plan's first week


@pytest.fixture
def client(database_url: str):
    database = context.open_database(database_url)
    athletes_service.init_athlete(
        database, ROOT / "examples" / "profile.toml", date(2026, 11, 30), TODAY
    )
    with TestClient(create_app(WebSettings(database, lambda: TODAY))) as test_client:
        yield test_client


def _page_form(client: TestClient, **values: str) -> dict[str, str]:
    client.get("/today")  # the CSRF cookie
    return {"csrf_token": client.cookies.get("calfcoach_csrf") or "", **values}


def test_each_error_class_carries_its_exit_code_and_http_status() -> None:
    assert [
        (cls.exit_code, cls.http_status, cls.api_code)
        for cls in (InputError, FieldError, NotFoundError, FieldNotFound, DatabaseError)
    ] == [
        (2, 422, "invalid_input"),
        (2, 422, "invalid_input"),
        (2, 404, "not_found"),
        (2, 404, "not_found"),
        (1, 503, "unavailable"),
    ]
    assert issubclass(DatabaseError, CalfcoachError)
    # A server --db names that cannot be reached: the URL is to check (exit 2, issue 13); the
    # web app still answers 503, as it may come back.
    assert (
        DatabaseUnreachable.exit_code,
        DatabaseUnreachable.http_status,
        DatabaseUnreachable.api_code,
    ) == (2, 503, "unavailable")


def test_bad_input_answers_422_on_the_api_and_the_pages(client: TestClient) -> None:
    # InputError from a route: a side and both sides at once.
    both = client.post(
        "/api/v1/sets",
        json={
            "date": TODAY.isoformat(),
            "exercise": "seated-dumbbell-calf-raise",
            "reps": 10,
            "side": "left",
            "both_sides": True,
        },
    )
    assert both.status_code == InputError.http_status == 422
    assert both.json()["error"]["code"] == "invalid_input"
    assert both.json()["error"]["field"] == "side"
    # FieldError from a service, worded with the page's name for the field.
    heavy = client.post(
        "/today/log",
        data=_page_form(
            client,
            date=TODAY.isoformat(),
            exercise="seated-dumbbell-calf-raise",
            reps="10",
            load="5000",
        ),
    )
    assert heavy.status_code == FieldError.http_status == 422
    assert heavy.headers["content-type"].startswith("text/html")
    assert "load: 5000 is out of range" in heavy.text
    assert client.get("/api/v1/sets").json() == []


def test_something_not_there_answers_404(client: TestClient) -> None:
    # FieldNotFound from a service: worded with the API's name for the field.
    gone = client.delete("/api/v1/sets/4242")
    assert gone.status_code == FieldNotFound.http_status == 404
    assert gone.json()["error"]["code"] == "not_found"
    assert gone.json()["error"]["field"] == "id"
    assert gone.json()["error"]["message"].startswith("id: no logged set 4242")
    # NotFoundError on a page: a calendar feed whose link was never made (or was revoked).
    feed = client.get("/calendar/not-a-live-token.ics")
    assert feed.status_code == NotFoundError.http_status == 404
    assert "no such calendar feed" in feed.text
    # And an athlete nobody has.
    nobody = client.get("/api/v1/today", params={"athlete": "Nobody"})
    assert nobody.status_code == 404 and nobody.json()["error"]["field"] == "athlete"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_busy_database_answers_503_and_stores_nothing(client: TestClient, tmp_path: Path) -> None:
    # Another process holds SQLite's write lock for longer than a writer waits for it
    # (store.db's busy timeout): the log is refused with "try again", not a 500.
    holder = sqlite3.connect(tmp_path / "calfcoach.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(SQLITE_BUSY_TIMEOUT_MS / 1000 + 20, holder.rollback)
    released.start()
    try:
        busy = client.post(
            "/api/v1/sets",
            json={"date": TODAY.isoformat(), "exercise": "seated-dumbbell-calf-raise", "reps": 10},
        )
    finally:
        released.cancel()
        holder.rollback()
        holder.close()
    assert busy.status_code == DatabaseError.http_status == 503
    assert busy.json()["error"] == {
        "code": "unavailable",
        "message": "database busy, try again",
        "field": None,
    }
    assert client.get("/api/v1/sets").json() == []


def test_an_athlete_gone_by_the_time_a_service_looks_names_no_one(client: TestClient) -> None:
    """The services' "no athlete" error lists the athletes there are (for the command line);
    an athlete deleted between a request's access check and its service call reaches the web
    handler so, and the answer must still name no one (issue 16)."""

    def service_after_a_delete() -> None:
        raise FieldNotFound("athlete", "no athlete 'Gone'", "Sam, Riley")

    client.app.add_api_route("/api/v1/raced", service_after_a_delete)  # type: ignore[attr-defined]
    client.app.add_api_route("/raced", service_after_a_delete)  # type: ignore[attr-defined]
    api = client.get("/api/v1/raced")
    assert api.status_code == 404
    assert api.json()["error"]["message"] == "no such athlete"
    page = client.get("/raced", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "Sam" not in page.text and "Riley" not in page.text
    assert "no such athlete" in page.text


SET_FIELDS = "date, exercise, sets, reps, load_kg, rpe, side, both_sides, hold_s"


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "message"),
    [
        ("POST", "/api/v1/sets", "not json", None, "request: is not valid JSON; allowed: a JSON"),
        (
            "POST",
            "/api/v1/sets",
            "[]",
            None,
            f"[] is not an object; allowed: an object with the fields {SET_FIELDS}",
        ),
        (
            "POST",
            "/api/v1/sets",
            '{"date": "2026-12-01", "exercise": "pogo-hops", "reps": 5, "bogus": 1}',
            "bogus",
            f"bogus: is not a field here; allowed: an object with the fields {SET_FIELDS}",
        ),
        (
            "PUT",
            "/api/v1/sets/not-a-uuid",
            "{}",
            "client_id",
            "'not-a-uuid' is not a UUID; allowed: a UUID such as",
        ),
        (
            "GET",
            "/api/v1/history?weeks=abc",
            None,
            "weeks",
            "weeks: 'abc' is not a whole number; allowed: 1 to ",
        ),
        (
            "POST",
            "/api/v1/athletes",
            '{"profile_toml": ""}',
            "profile_toml",
            "profile_toml: is empty; allowed: at least 1 character",
        ),
    ],
)
def test_a_request_the_api_cannot_read_is_refused_in_its_own_words(
    client: TestClient, method: str, path: str, body: str | None, field: str | None, message: str
) -> None:
    """Not pydantic's messages echoed as the values allowed ("allowed: Extra inputs are not
    permitted", "allowed: JSON decode error"), but what the request must hold."""
    answer = client.request(
        method, path, content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["field"] == field
    assert message in error["message"]
    for pydantic_words in ("Input should", "Extra inputs", "JSON decode", "valid dictionary"):
        assert pydantic_words not in error["message"]


def test_a_calendar_token_of_any_shape_not_live_is_not_found(client: TestClient) -> None:
    for token in ("abc", "not-the-right-token", "x" * 300, "%C3%A9t%C3%A9"):
        assert client.get(f"/calendar/{token}.ics").status_code == 404, token
