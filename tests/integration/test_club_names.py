"""Names with control characters from a query, a form or the sign-in page (a club's trial,
issue 13): PostgreSQL's text cannot hold NUL, so a name with one once reached the database as a
500 and a reset connection. No stored name holds a control character (the profile and the
account checks refuse them), so such a name names nobody: 404 for a lookup, the sign-in
page's usual refusal, never a 500 — on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from calfcoach.web.app import WebSettings, create_app
from tests.integration.test_web_access import PASSWORD, TODAY, Club, csrf_of, sign_in

NAMES = ["\x00", "a\x00b", "Sam\x00", "Sam\x1b[2J", "\x7f"]


@pytest.fixture
def club(database_url: str) -> Club:
    return Club(database_url)


@pytest.fixture
def coach(club: Club):
    """A signed-in coach with edit access to Sam."""
    with TestClient(create_app(WebSettings(club.db, lambda: TODAY))) as client:
        assert sign_in(client, "editor", PASSWORD).status_code == 303
        yield client


PATHS = ["/today", "/week", "/checkin", "/api/v1/today", "/api/v1/sets", "/api/v1/plan"]


def test_a_name_with_control_characters_names_no_athlete(coach: TestClient) -> None:
    for path in PATHS:
        for name in NAMES:
            response = coach.get(path, params={"athlete": name})
            assert response.status_code == 404, (path, name, response.text)
            assert "no such athlete" in response.text
    body = {"date": TODAY.isoformat(), "exercise": "pogo-hops", "reps": 10}
    for name in NAMES:
        response = coach.post("/api/v1/sets", params={"athlete": name}, json=body)
        assert response.status_code == 404, (name, response.text)
    # The connection and the app are fine after them.
    assert coach.get("/week", params={"athlete": "Sam"}).status_code == 200


def test_signing_in_with_control_characters_is_the_usual_refusal(club: Club) -> None:
    with TestClient(create_app(WebSettings(club.db, lambda: TODAY))) as client:
        for name in ("sam\x00", "\x00", "sa\x00m", "sam\x1b"):
            refused = sign_in(client, name, PASSWORD)
            assert refused.status_code == 401, (name, refused.text)
            assert "wrong user name or password" in refused.text
        assert sign_in(client, "sam", PASSWORD).status_code == 303


def test_ending_a_sharing_with_control_characters_ends_nothing(club: Club) -> None:
    app = create_app(WebSettings(club.db, lambda: TODAY))
    with TestClient(app) as athlete, TestClient(app) as coach:
        sign_in(athlete, "sam", PASSWORD)
        sign_in(coach, "editor", PASSWORD)
        for other in ("a\x00", "\x00", "editor\x00"):
            _end(athlete, other)
            _end(coach, other)
        assert coach.get("/week", params={"athlete": "Sam"}).status_code == 200


def _end(client: TestClient, other: str) -> None:
    page = client.get("/sharing")
    ended = client.post(
        "/sharing/end",
        data={"csrf_token": csrf_of(page), "other": other},
        follow_redirects=False,
    )
    assert ended.status_code == 303, (other, ended.text)


# The pages' query parameters (the pages are not in the OpenAPI document).
PAGE_PARAMETERS = {
    "/": ["athlete"],
    "/athletes": ["next"],
    "/today": ["athlete", "date", "exercise", "logged", "stale"],
    "/week": ["athlete", "date"],
    "/explain": ["athlete", "date", "exercise"],
    "/checkin": ["athlete", "date"],
    "/progress": ["athlete", "weeks"],
    "/plan": ["athlete"],
    "/plan.json": ["athlete"],
    "/exercises": ["athlete", "variation", "equipment"],
    "/signin": ["next"],
    "/sharing": ["invite"],
}


def test_no_query_parameter_of_a_page_or_api_call_is_a_500_with_nul(coach: TestClient) -> None:
    """Every GET operation of the OpenAPI document with each of its query parameters (so an
    API call added later is in the sweep the day it is added), and every page's."""
    schema = coach.app.openapi()  # type: ignore[attr-defined]
    swept = {path: list(names) for path, names in PAGE_PARAMETERS.items()}
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is not None:
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            swept[re.sub(r"\{[^}]+\}", "1", path)] = names
    assert "athlete" in swept["/api/v1/today"]
    for path, names in swept.items():
        for name in names:
            response = coach.get(path, params={name: "a\x00b"}, follow_redirects=False)
            assert response.status_code < 500, (path, name, response.text)
