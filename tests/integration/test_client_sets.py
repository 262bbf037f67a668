"""Sets logged under the id the web app makes when a set is tapped (PUT /api/v1/sets/{uuid}):
sent twice, stored once; edited on two devices, the later edit wins and the response names the
version that lost. On a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from calfcoach.services import context
from calfcoach.store.tables import set_logs
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT

SAMPLE = (ROOT / "examples" / "profile.toml").read_text()
TODAY = date(2026, 12, 1)  # the sets are logged on their day (a later day is refused)
TUESDAY = "2026-12-01"


@pytest.fixture
def client(database_url: str):
    settings = WebSettings(context.open_database(database_url), lambda: TODAY)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        test_client.post("/api/v1/athletes", json={"profile_toml": SAMPLE, "start": "2026-11-30"})
        yield test_client


def _rows(database_url: str, client_id: str) -> list[dict]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = conn.execute(select(set_logs).where(set_logs.c.client_id == client_id))
        rows = [dict(r._mapping) for r in found]
    engine.dispose()
    return rows


def _body(**changes: object) -> dict:
    return {
        "date": TUESDAY,
        "exercise": "pogo-hops",
        "reps": 20,
        "load_kg": 0,
        "rpe": 6,
        "client_updated_at": "2026-12-01T18:00:00+01:00",
        **changes,
    }


def test_the_same_set_sent_twice_is_stored_once(client: TestClient, database_url: str) -> None:
    client_id = str(uuid.uuid4())
    first = client.put(f"/api/v1/sets/{client_id}", json=_body())
    again = client.put(f"/api/v1/sets/{client_id}", json=_body())
    assert (first.status_code, first.json()["outcome"]) == (201, "created")
    assert (again.status_code, again.json()["outcome"]) == (200, "unchanged")
    assert again.json()["set"]["id"] == first.json()["set"]["id"]
    rows = _rows(database_url, client_id)
    assert len(rows) == 1
    assert (rows[0]["reps"], rows[0]["rpe"], rows[0]["exercise"]) == (20, 6, "pogo-hops")


def test_a_later_edit_wins_and_the_earlier_one_is_named(
    client: TestClient, database_url: str
) -> None:
    client_id = str(uuid.uuid4())
    client.put(f"/api/v1/sets/{client_id}", json=_body())
    # The phone edits at 18:05, the laptop (offline until now) had edited at 18:02.
    phone = client.put(
        f"/api/v1/sets/{client_id}",
        json=_body(reps=18, client_updated_at="2026-12-01T17:05:00Z"),
    )
    laptop = client.put(
        f"/api/v1/sets/{client_id}",
        json=_body(reps=22, client_updated_at="2026-12-01T18:02:00+01:00"),
    )
    assert (phone.status_code, phone.json()["outcome"]) == (200, "updated")
    assert phone.json()["other"]["reps"] == 20  # what it replaced
    assert laptop.json()["outcome"] == "kept_newer"
    assert laptop.json()["other"]["reps"] == 22  # refused, and said so
    assert laptop.json()["set"]["reps"] == 18
    assert [r["reps"] for r in _rows(database_url, client_id)] == [18]


def test_a_hold_and_both_sides_of_a_per_side_set_share_a_number(client: TestClient) -> None:
    hold = {"exercise": "isometric-calf-hold", "reps": 1, "hold_s": 45, "rpe": 5}
    left = client.put(f"/api/v1/sets/{uuid.uuid4()}", json=_body(**hold, side="left"))
    right = client.put(f"/api/v1/sets/{uuid.uuid4()}", json=_body(**hold, side="right"))
    again = client.put(f"/api/v1/sets/{uuid.uuid4()}", json=_body(**hold, side="left"))
    assert left.status_code == 201, left.text
    assert [r.json()["set"]["set"] for r in (left, right, again)] == [1, 1, 2]
    assert left.json()["set"]["hold_s"] == 45


def test_bad_ids_and_a_reused_id_are_refused_with_the_field(client: TestClient) -> None:
    assert client.put("/api/v1/sets/not-a-uuid", json=_body()).status_code == 422
    client_id = str(uuid.uuid4())
    client.put(f"/api/v1/sets/{client_id}", json=_body())
    moved = client.put(f"/api/v1/sets/{client_id}", json=_body(date="2026-11-30"))  # another day
    assert moved.status_code == 422
    assert moved.json()["error"]["field"] == "id"
    naive = client.put(
        f"/api/v1/sets/{uuid.uuid4()}", json=_body(client_updated_at="2026-12-01T18:00:00")
    )
    assert naive.status_code == 422
    assert naive.json()["error"]["field"] == "client_updated_at"


def test_the_openapi_schema_documents_the_idempotent_put(client: TestClient) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/sets/{client_id}"]
    put = operation["put"]
    assert {"200", "201"} <= set(put["responses"])
    assert "stored once" in put["description"]
    assert put["parameters"][0]["schema"]["format"] == "uuid"


def test_what_a_phone_kept_for_another_account_is_refused_and_not_stored(
    client: TestClient, database_url: str
) -> None:
    """A set or check-in kept offline names the account that made it (issue 13): sent while
    another is signed in on the phone it is refused with 409, and nothing is stored; sent
    under its own account (here the local owner) it is stored as ever."""
    client_id = str(uuid.uuid4())
    other = {"X-Calfcoach-Account": "7:pia"}
    refused = client.put(f"/api/v1/sets/{client_id}", json=_body(), headers=other)
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "other_account"
    checkin = {"date": "2026-11-30", "pain_during": 3}
    assert client.post("/api/v1/checkins", json=checkin, headers=other).status_code == 409
    assert _rows(database_url, client_id) == []
    assert client.get("/api/v1/checkins").json() == []
    mine = {"X-Calfcoach-Account": "owner"}
    assert client.put(f"/api/v1/sets/{client_id}", json=_body(), headers=mine).status_code == 201
    assert client.post("/api/v1/checkins", json=checkin, headers=mine).status_code == 201
    assert len(_rows(database_url, client_id)) == 1


def test_a_set_dated_after_today_is_refused_and_not_stored(
    client: TestClient, database_url: str
) -> None:
    """DOMAIN.md §6: a set dated after today is refused. `log` and the page's form refused it;
    the page's queue (PUT) stored it (a review of restore found such sets in a backup)."""
    client_id = str(uuid.uuid4())
    later = client.put(f"/api/v1/sets/{client_id}", json=_body(date="2026-12-02"))
    assert later.status_code == 422, later.text
    assert later.json()["error"]["field"] == "date"
    assert "after today" in later.json()["error"]["message"]
    assert _rows(database_url, client_id) == []
