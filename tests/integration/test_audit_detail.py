"""The audit trail of web and API writes says what changed, and a write that changed nothing
leaves no row (issue 13, a club's trial: every web row had an empty detail, and a set sent
twice, the undo of a set gone already and the revoke of a calendar link there was none of
were each recorded as a change). On a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

from fastapi.testclient import TestClient

from calfcoach.services import accounts
from tests.integration import test_web_access
from tests.integration.test_web_access import PASSWORD, TODAY, Club, csrf_of, sign_in

# test_web_access's fixtures: its club (Sam and Riley, their accounts, coaches with view and
# edit access) and the app's test client on it.
club = test_web_access.club
client = test_web_access.client


def _rows(club: Club) -> list[tuple[str, str, str]]:
    """Sam's audit rows of web writes, oldest first: (who, action, detail)."""
    rows = accounts.audit_of(club.db, "Sam")
    return [(r.actor, r.action, r.detail) for r in reversed(rows) if " /" in r.action]


def test_api_writes_say_what_changed_and_repeats_leave_no_row(
    club: Club, client: TestClient
) -> None:
    coach = club.headers("coach_edit")
    sam = {"athlete": "Sam"}
    before = len(_rows(club))
    body = {"date": TODAY.isoformat(), "exercise": "pogo-hops", "reps": 15}
    (logged,) = client.post("/api/v1/sets", params=sam, json=body, headers=coach).json()
    set_id = logged["id"]
    edited = client.patch(f"/api/v1/sets/{set_id}", params=sam, json={"reps": 14}, headers=coach)
    assert edited.status_code == 200, edited.text
    # The same correction again: answered as before, nothing changed, nothing recorded.
    again = client.patch(f"/api/v1/sets/{set_id}", params=sam, json={"reps": 14}, headers=coach)
    assert again.status_code == 200 and again.json()["reps"] == 14
    client_id = "0b7f5e32-8a0e-4d5c-9a39-7a1f0a9e2b11"
    put = {
        "date": TODAY.isoformat(),
        "exercise": "pogo-hops",
        "reps": 20,
        "load_kg": 0,
        "client_updated_at": "2026-12-01T18:00:00+01:00",
    }
    first = client.put(f"/api/v1/sets/{client_id}", params=sam, json=put, headers=coach)
    assert first.status_code == 201, first.text
    sent_again = client.put(f"/api/v1/sets/{client_id}", params=sam, json=put, headers=coach)
    assert sent_again.json()["outcome"] == "unchanged"
    later = {**put, "reps": 18, "client_updated_at": "2026-12-01T18:05:00+01:00"}
    updated = client.put(f"/api/v1/sets/{client_id}", params=sam, json=later, headers=coach)
    assert updated.json()["outcome"] == "updated"
    older = {**put, "reps": 25, "client_updated_at": "2026-12-01T17:00:00+01:00"}
    kept = client.put(f"/api/v1/sets/{client_id}", params=sam, json=older, headers=coach)
    assert kept.json()["outcome"] == "kept_newer"
    gone = client.delete(f"/api/v1/sets/{set_id}", params=sam, headers=coach)
    assert gone.status_code == 204
    twice = client.delete(f"/api/v1/sets/{set_id}", params=sam, headers=coach)
    assert twice.status_code == 404
    pain = {"date": TODAY.isoformat(), "pain_during": 3}
    assert client.post("/api/v1/checkins", params=sam, json=pain, headers=coach).is_success
    assert client.post("/api/v1/checkins", params=sam, json=pain, headers=coach).is_success
    worse = {**pain, "pain_during": 5, "pain_next_morning": 2}
    assert client.post("/api/v1/checkins", params=sam, json=worse, headers=coach).is_success
    test = {"date": TODAY.isoformat(), "left": 20, "right": 24, "pain": 0}
    assert client.post(
        "/api/v1/assessments/heel-raise", params=sam, json=test, headers=coach
    ).is_success

    number = logged["set"]
    name = f"set {set_id}: pogo-hops set {number} on 2026-12-01"
    put_id = first.json()["set"]["id"]
    put_action = f"PUT /api/v1/sets/{client_id}"[:40]  # an action is kept to 40 characters
    put_name = f"set {put_id}: pogo-hops set {first.json()['set']['set']} on 2026-12-01"
    assert _rows(club)[before:] == [
        ("editor", "POST /api/v1/sets", f"added {name}, 15 reps"),
        ("editor", f"PATCH /api/v1/sets/{set_id}", f"{name}: reps 15→14"),
        ("editor", put_action, f"added {put_name}, 20 reps"),
        ("editor", put_action, f"{put_name}: reps 20→18"),
        ("editor", f"DELETE /api/v1/sets/{set_id}", f"removed {name}, 14 reps"),
        ("editor", "POST /api/v1/checkins", "check-in 2026-12-01: pain during 3"),
        (
            "editor",
            "POST /api/v1/checkins",
            "check-in 2026-12-01: pain during 3→5, next morning none→2",
        ),
        (
            "editor",
            "POST /api/v1/assessments/heel-raise",
            "heel-raise test on 2026-12-01: left 20, right 24, pain 0",
        ),
    ]


def test_page_writes_that_change_nothing_leave_no_row(club: Club, client: TestClient) -> None:
    sign_in(client, "sam", PASSWORD)
    today = client.get("/today")
    token = csrf_of(today)
    before = len(_rows(club))
    # Undo of a set that is gone (a page out of date): the page says so; nothing changed.
    stale = client.post(
        "/sets/999999/delete",
        data={"csrf_token": token, "date": TODAY.isoformat()},
        follow_redirects=False,
    )
    assert stale.status_code == 303 and "stale=999999" in stale.headers["location"]
    # Revoking a calendar link when there is none (whatever the form sends).
    revoke = client.post(
        "/plan/calendar-link/revoke",
        data={"csrf_token": token, "token": "nope"},
        follow_redirects=False,
    )
    assert revoke.status_code == 303
    assert _rows(club)[before:] == []
    made = client.post("/plan/calendar-link", data={"csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303
    client.post("/plan/calendar-link", data={"csrf_token": token}, follow_redirects=False)
    client.post("/plan/calendar-link/revoke", data={"csrf_token": token}, follow_redirects=False)
    undo = client.post(
        f"/sets/{club.sam_set}/delete",
        data={"csrf_token": token, "date": TODAY.isoformat()},
        follow_redirects=False,
    )
    assert undo.status_code == 303 and "stale" not in undo.headers["location"]
    assert _rows(club)[before:] == [
        ("sam", "POST /plan/calendar-link", "calendar link made"),
        ("sam", "POST /plan/calendar-link/revoke", "calendar link revoked"),
        (
            "sam",
            f"POST /sets/{club.sam_set}/delete",
            f"removed set {club.sam_set}: pogo-hops set 1 on 2026-12-01, 10 reps",
        ),
    ]


def test_club_defaults_are_recorded_once_and_on_no_athletes_diary(
    club: Club, client: TestClient
) -> None:
    sign_in(client, "editor", PASSWORD)  # a coach with one athlete, Sam
    form = client.get("/coach/club")
    saved = client.post(
        "/coach/club",
        data={"csrf_token": csrf_of(form), "athlete.equipment": "step"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    everything = accounts.audit_of(club.db, None)
    club_rows = [r for r in everything if "club" in r.action]
    assert [(r.actor, r.action, r.athlete) for r in club_rows] == [
        ("editor", "club_defaults", None)
    ]
