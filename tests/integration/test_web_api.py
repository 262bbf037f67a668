"""The JSON API and the pages' HTTP behaviour through FastAPI's test client, on a real SQLite
file and a real PostgreSQL server."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from calfcoach.data import default_catalog, default_norms
from calfcoach.services import context, diary_views
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT

SAMPLE = (ROOT / "examples" / "profile.toml").read_text()
TODAY = date(2026, 11, 30)  # the sample plan's first Monday, when made on 2026-11-24
TUESDAY = date(2026, 12, 1)  # week 1: a strength session


@pytest.fixture
def clock() -> dict[str, date]:
    """The app's "today"; a test moves it on to log a day once it has come (days after
    today are refused)."""
    return {"today": TODAY}


@pytest.fixture
def client(database_url: str, clock: dict[str, date]):
    settings = WebSettings(context.open_database(database_url), lambda: clock["today"])
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def athlete(client: TestClient) -> str:
    response = client.post("/api/v1/athletes", json={"profile_toml": SAMPLE, "start": "2026-11-30"})
    assert response.status_code == 201, response.text
    return response.json()["name"]


def first_strength_exercise(client: TestClient) -> dict:
    day = client.get("/api/v1/today", params={"date": TUESDAY.isoformat()}).json()
    return day["sessions"][0]["exercises"][0]


def test_an_empty_database_has_no_athletes_and_the_pages_send_you_to_setup(
    client: TestClient,
) -> None:
    assert client.get("/api/v1/athletes").json() == []
    response = client.get("/api/v1/plan")
    assert response.status_code == 404
    assert response.json()["error"]["field"] == "athlete"
    for page in ("/", "/week", "/today", "/progress"):
        landed = client.get(page, follow_redirects=False)
        assert (landed.status_code, landed.headers["location"]) == (303, "/setup")


def test_create_athlete_and_read_the_plan(client: TestClient, athlete: str) -> None:
    assert athlete == "Sam"
    assert client.get("/api/v1/athletes").json() == [{"name": "Sam"}]
    plan = client.get("/api/v1/plan").json()
    assert plan["calfcoach_plan"] == 1 and plan["start"] == "2026-11-30"
    assert len(plan["weeks"]) == 12
    profile = client.get("/api/v1/athlete").json()
    assert profile["units"] == "metric" and profile["profile"]["athlete"]["body_mass_kg"] == 68


def test_an_invalid_profile_names_the_field(client: TestClient) -> None:
    bad = SAMPLE.replace("body_mass_kg = 68", "body_mass_kg = 20")
    response = client.post("/api/v1/athletes", json={"profile_toml": bad})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["field"] == "athlete.body_mass_kg"
    assert "30 to 250" in error["message"]


def test_sets_crud_and_the_day_shows_them(
    client: TestClient, athlete: str, clock: dict[str, date]
) -> None:
    clock["today"] = TUESDAY  # the sets are logged on Tuesday
    exercise = first_strength_exercise(client)
    body = {
        "date": TUESDAY.isoformat(),
        "exercise": exercise["exercise"],
        "sets": 2,
        "reps": exercise["reps"],
        "load_kg": exercise["load_kg"],
        "rpe": 7,
    }
    created = client.post("/api/v1/sets", json=body)
    assert created.status_code == 201, created.text
    ids = [s["id"] for s in created.json()]
    assert [s["set"] for s in created.json()] == [1, 2]
    day = client.get("/api/v1/today", params={"date": TUESDAY.isoformat()}).json()
    logged = day["sessions"][0]["exercises"][0]["logged"]
    assert [s["id"] for s in logged] == ids
    edited = client.patch(f"/api/v1/sets/{ids[0]}", json={"reps": 8, "load_kg": 6.5})
    assert edited.status_code == 200
    assert (edited.json()["reps"], edited.json()["load_kg"]) == (8, 6.5)
    assert client.delete(f"/api/v1/sets/{ids[1]}").status_code == 204
    listed = client.get("/api/v1/sets", params={"from": "2026-12-01", "to": "2026-12-01"})
    assert [(s["id"], s["reps"]) for s in listed.json()] == [(ids[0], 8)]
    missing = client.delete(f"/api/v1/sets/{ids[1]}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_a_correction_that_changes_nothing_is_refused_as_on_the_command_line(
    client: TestClient, athlete: str, clock: dict[str, date]
) -> None:
    """Issue 13: `PATCH /sets/N` with `{}` answered 200 and recorded a change that was none,
    where `calfcoach log edit N` alone exits 2; both now go through the service's one check."""
    clock["today"] = TUESDAY
    body = {"date": TUESDAY.isoformat(), "exercise": "pogo-hops", "reps": 20}
    set_id = client.post("/api/v1/sets", json=body).json()[0]["id"]
    changes = len(client.get("/api/v1/history").json()["changes"])
    for nothing in ({}, {"reps": None, "load_kg": None, "rpe": None}):
        refused = client.patch(f"/api/v1/sets/{set_id}", json=nothing)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"] == {
            "code": "invalid_input",
            "message": "request: nothing to change; allowed: reps, load_kg, rpe "
            "(what you give replaces, what you leave out stays)",
            "field": None,
        }
    assert len(client.get("/api/v1/history").json()["changes"]) == changes
    assert client.patch(f"/api/v1/sets/{set_id}", json={"rpe": 8}).json()["rpe"] == 8


def test_log_a_day_as_prescribed(client: TestClient, athlete: str, clock: dict[str, date]) -> None:
    clock["today"] = TUESDAY  # the sets are logged on Tuesday
    response = client.post("/api/v1/sets/as-prescribed", json={"date": TUESDAY.isoformat()})
    assert response.status_code == 201
    day = client.get("/api/v1/today", params={"date": TUESDAY.isoformat()}).json()
    for ex in day["sessions"][0]["exercises"]:
        assert len({s["set"] for s in ex["logged"]}) == ex["sets"]


def test_an_athlete_whose_plan_would_be_too_long_is_refused_with_the_start(
    client: TestClient,
) -> None:
    """Issue 13: the same limit as the command line's (one place: norms.max_plan_weeks)."""
    marathon = (ROOT / "examples" / "marathon.toml").read_text()
    far = client.post("/api/v1/athletes", json={"profile_toml": marathon, "start": "2020-01-06"})
    assert far.status_code == 422
    assert far.json()["error"]["field"] == "start"
    assert "at most 156 weeks" in far.json()["error"]["message"]
    assert client.get("/api/v1/athletes").json() == []


def test_a_day_logged_as_prescribed_again_stores_nothing(
    client: TestClient, athlete: str, clock: dict[str, date]
) -> None:
    """Issue 13: the API, and the Today page's button, logged the whole day again each time;
    the same service now logs only what is not logged yet."""
    clock["today"] = TUESDAY
    first = client.post("/api/v1/sets/as-prescribed", json={"date": TUESDAY.isoformat()})
    assert first.status_code == 201
    again = client.post("/api/v1/sets/as-prescribed", json={"date": TUESDAY.isoformat()})
    assert (again.status_code, again.json()) == (200, [])
    client.get("/today", params={"date": TUESDAY.isoformat()})
    form = {"csrf_token": client.cookies.get("calfcoach_csrf"), "date": TUESDAY.isoformat()}
    posted = client.post("/today/log-all", data=form, follow_redirects=False)
    assert posted.status_code == 303
    stored = client.get("/api/v1/sets", params={"from": "2026-12-01", "to": "2026-12-01"})
    assert sorted(s["id"] for s in stored.json()) == sorted(s["id"] for s in first.json())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"exercise": "no-such-raise", "reps": 10}, "exercise"),
        ({"exercise": "pogo-hops", "reps": -1}, "reps"),
        ({"exercise": "pogo-hops", "reps": 10, "rpe": 11}, "rpe"),
        ({"exercise": "pogo-hops", "reps": 10, "colour": "red"}, "colour"),
        ({"exercise": "pogo-hops", "reps": 10, "side": "left", "both_sides": True}, "side"),
    ],
)
def test_bad_sets_are_refused_with_the_field(
    client: TestClient, athlete: str, body: dict, field: str, clock: dict[str, date]
) -> None:
    clock["today"] = TUESDAY  # the sets are logged on Tuesday
    response = client.post("/api/v1/sets", json={"date": TUESDAY.isoformat(), **body})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    assert client.get("/api/v1/sets").json() == []  # nothing half-written


def test_a_red_checkin_halves_the_next_session_and_drops_plyometrics(
    client: TestClient, athlete: str
) -> None:
    """DOMAIN.md §6: pain over 5 is red: load and volume halved, plyometrics removed."""
    before = client.get("/api/v1/today", params={"date": TUESDAY.isoformat()}).json()
    response = client.post("/api/v1/checkins", json={"date": TODAY.isoformat(), "pain_during": 7})
    assert response.status_code == 201
    result = response.json()
    assert result["zone"] == "red"
    assert result["next_session"]["date"] == TUESDAY.isoformat()
    after = client.get("/api/v1/today", params={"date": TUESDAY.isoformat()}).json()
    # Per calf (§2.1, §6): a raise may become its two-legged form, a seated raise or a hold
    # of the same variation, so each is compared with the variation it replaces.
    old = {e["variation"]: e for e in before["sessions"][0]["exercises"]}
    new = after["sessions"][0]["exercises"]
    assert not any(e["variation"] == "plyometric" for e in new)
    catalog, norms = default_catalog(), default_norms()
    mass = 68.0  # examples/profile.toml

    def per_calf(ex: dict[str, Any]) -> float:
        entry = catalog.get(ex["exercise"])
        assert entry is not None
        return (entry.bodyweight_share * mass + (ex["load_kg"] or 0)) / entry.legs

    for ex in new:
        was = old[ex["variation"]]
        if ex.get("hold_s"):
            assert ex["sets"] <= -(-norms.isometric_sets // 2)
            continue
        assert ex["sets"] <= max(1, -(-was["sets"] // 2))
        assert per_calf(ex) <= per_calf(was) / 2 + 1e-9
    listed = client.get("/api/v1/checkins").json()
    assert [(c["date"], c["pain_during"]) for c in listed] == [(TODAY.isoformat(), 7)]


def test_listed_checkins_carry_the_zone_they_had_on_their_day(
    client: TestClient, athlete: str
) -> None:
    """GET /checkins said "zone": null, even for a red one (a new user's trial)."""
    sunday = TODAY - timedelta(days=1)
    for body in (
        {"date": sunday.isoformat(), "pain_during": 4},
        {"date": TODAY.isoformat(), "pain_during": 1, "red_flag": "night_pain"},
    ):
        assert client.post("/api/v1/checkins", json=body).status_code == 201
    listed = client.get("/api/v1/checkins").json()
    assert [(c["date"], c["zone"]) for c in listed] == [
        (sunday.isoformat(), "amber"),
        (TODAY.isoformat(), "red"),
    ]
    assert listed[0]["reasons"] == []
    assert any("red flag" in reason for reason in listed[1]["reasons"])


def test_a_heel_raise_test_of_no_raises_has_no_symmetry_index(
    client: TestClient, athlete: str
) -> None:
    """0 raises each side: the lines say symmetry is not measurable, and the JSON's lsi is
    null (it was 1.0, read as perfect symmetry: a trial's finding)."""
    test = client.post(
        "/api/v1/assessments/heel-raise", json={"date": TODAY.isoformat(), "left": 0, "right": 0}
    )
    assert test.status_code == 201, test.text
    assert test.json()["lsi"] is None
    assert any("not measurable" in line for line in test.json()["lines"])


def test_assessments_and_history(client: TestClient, athlete: str, clock: dict[str, date]) -> None:
    clock["today"] = TUESDAY  # the sets are logged on Tuesday
    test = client.post(
        "/api/v1/assessments/heel-raise",
        json={"date": TODAY.isoformat(), "left": 22, "right": 25},
    )
    assert test.status_code == 201 and test.json()["lsi"] == pytest.approx(0.88, abs=0.01)
    exercise = first_strength_exercise(client)
    client.post(
        "/api/v1/sets",
        json={
            "date": TUESDAY.isoformat(),
            "exercise": exercise["exercise"],
            "reps": 10,
            "load_kg": 10,
        },
    )
    history = client.get("/api/v1/history").json()
    assert history["exercises"][0]["sessions"][0]["e1rm_kg"] > 10
    assert history["assessments"][0]["left_reps"] == 22
    seated = client.post("/api/v1/assessments/seated-1rm", json={"date": "2026-11-30"})
    assert seated.status_code == 422  # nothing seated logged to estimate from
    assert len(client.get("/api/v1/assessments").json()) == 1


def test_exercises_filter(client: TestClient) -> None:
    found = client.get(
        "/api/v1/exercises", params={"variation": "bent_knee", "equipment": ["none"]}
    ).json()
    assert found and all(e["variation"] == "bent_knee" for e in found)
    bad = client.get("/api/v1/exercises", params={"equipment": ["trampoline"]})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "equipment"


def test_security_headers_on_pages_and_api(client: TestClient) -> None:
    for path in ("/setup", "/api/v1/athletes", "/static/app.css", "/api/v1/nope"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("style-src")[0]


def test_request_bodies_are_limited(client: TestClient) -> None:
    huge = {"profile_toml": "#" * 300_000}
    response = client.post("/api/v1/athletes", json=huge)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_cross_site_posts_are_refused(client: TestClient, athlete: str) -> None:
    response = client.post(
        "/api/v1/checkins",
        json={"date": TODAY.isoformat(), "pain_during": 1},
        headers={"Origin": "http://evil.example"},
    )
    assert response.status_code == 403
    assert client.get("/api/v1/checkins").json() == []


def test_form_posts_need_the_csrf_token(
    client: TestClient, athlete: str, clock: dict[str, date]
) -> None:
    clock["today"] = TUESDAY  # the sets are logged on Tuesday
    page = client.get("/today", params={"date": TUESDAY.isoformat()})
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    form = {"date": TUESDAY.isoformat(), "exercise": "pogo-hops", "reps": "8"}
    refused = client.post("/today/log", data=form, follow_redirects=False)
    assert refused.status_code == 403 and "<h1>" in refused.text
    forged = client.post(
        "/today/log", data={**form, "csrf_token": "x" * 43}, follow_redirects=False
    )
    assert forged.status_code == 403
    assert client.get("/api/v1/sets").json() == []
    accepted = client.post(
        "/today/log", data={**form, "csrf_token": token.group(1)}, follow_redirects=False
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"].startswith("/today?date=2026-12-01&logged=pogo-hops")
    assert len(client.get("/api/v1/sets").json()) == 1


def test_html_errors_are_pages_and_json_errors_are_json(client: TestClient, athlete: str) -> None:
    page = client.get("/week", params={"date": "not-a-date"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "Traceback" not in page.text and "date" in page.text
    api = client.get("/api/v1/today", params={"date": "not-a-date"})
    assert api.status_code == 422 and api.json()["error"]["field"] == "date"
    assert client.get("/nowhere").status_code == 404
    assert client.get("/api/v1/nowhere").json()["error"]["code"] == "not_found"


def test_an_unexpected_error_is_a_plain_500_without_a_traceback(
    client: TestClient, athlete: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fault injection: no real input makes the planner fail, so break it on purpose.
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(diary_views, "day_view", broken)
    for path, kind in (("/api/v1/today", "application/json"), ("/today", "text/html")):
        response = client.get(path)
        assert response.status_code == 500
        assert response.headers["content-type"].startswith(kind)
        assert "secret internal detail" not in response.text
        assert "Traceback" not in response.text


def test_openapi_and_docs_are_served_without_a_cdn(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/sets" in schema["paths"] and "/api/v1/checkins" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "http" not in re.sub(r'xmlns="[^"]+"', "", docs.text)
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/healthz").text == "ok\n"


def test_serve_refuses_to_listen_beyond_this_computer_without_accounts(run_cli, tmp_path) -> None:
    """Issue 16: no accounts and no pairing, so nothing but this computer may reach the
    diary."""
    from tests.e2e.conftest import free_port

    port = str(free_port())
    result = run_cli("serve", "--host", "0.0.0.0", "--port", port, "--db", str(tmp_path / "w.db"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("calfcoach: error: option --host: 0.0.0.0")
    assert "no accounts" in lines[0] and "--lan" in lines[0] and "calfcoach user add" in lines[0]


def test_serve_beyond_loopback_with_accounts_asks_everyone_to_sign_in(tmp_path) -> None:
    import socket
    import subprocess
    import time

    import httpx

    from calfcoach.services import accounts
    from calfcoach.services.access import LOCAL_OWNER
    from tests.conftest import cli_path

    database = tmp_path / "w.sqlite"
    db = context.open_database(str(database))
    accounts.add_user(db, "kim", "coach", "correct horse battery", None, LOCAL_OWNER)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            cli_path(),
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
            "--allowed-host",
            "calves.example.net",
            "--db",
            str(database),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        assert first == "calfcoach: accounts are set up: everyone signs in at /signin\n"
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                assert httpx.get(f"{base}/healthz").text == "ok\n"
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("serve did not answer")
        assert httpx.get(f"{base}/api/v1/athletes").status_code == 401
        named = httpx.get(f"{base}/healthz", headers={"Host": "calves.example.net"})
        assert named.status_code == 200
        # DNS rebinding: a page of another site reaching this port under its own name.
        rebound = httpx.get(f"{base}/healthz", headers={"Host": "evil.example"})
        assert rebound.status_code == 400
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_refuses_a_bad_port(run_cli) -> None:
    result = run_cli("serve", "--port", "70000")
    assert result.returncode == 2
    assert (
        result.stderr
        == "calfcoach: error: option --port: 70000 is out of range; allowed: 1 to 65535\n"
    )


def first_run_form(client: TestClient) -> dict[str, object]:
    page = client.get("/setup")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return {
        "csrf_token": token.group(1),
        "athlete.name": "Kim",
        "athlete.body_mass_kg": "150",
        "body_mass_unit": "lb",
        "athlete.units": "imperial",
        "athlete.strength_experience": "intermediate",
        "athlete.equipment": ["dumbbells", "step"],
        "running.tuesday": "workout",
        "running.sunday": "long",
        "strength.sessions_per_week": "2",
        "health.condition": "achilles_tendinopathy",
        "health.pain_now": "2",
        "health.previous_calf_strain": "true",
        "health.painful_side": "left",
        "health.achilles_type": "midportion",
        "assessments.heel_raise_left": "20",
        "assessments.heel_raise_right": "26",
        "assessments.seated_calf_raise_1rm_kg": "70",
    }


def test_the_first_run_form_stores_every_profile_field(client: TestClient) -> None:
    response = client.post("/setup", data=first_run_form(client), follow_redirects=False)
    assert response.status_code == 303, response.text
    profile = client.get("/api/v1/athlete").json()["profile"]
    assert profile["athlete"]["body_mass_kg"] == pytest.approx(68.0, abs=0.1)  # 150 lb
    assert profile["athlete"]["units"] == "imperial"
    assert profile["health"] == {
        **profile["health"],
        "condition": "achilles_tendinopathy",
        "previous_calf_strain": True,
        "painful_side": "left",
        "achilles_type": "midportion",
    }
    assert profile["assessments"]["single_leg_heel_raise_reps"] == {"left": 20, "right": 26}
    assert profile["assessments"]["seated_calf_raise_1rm_kg"] == 70


def test_the_first_run_form_takes_a_1rm_in_pounds_and_a_distance_in_miles(
    client: TestClient,
) -> None:
    """An imperial runner types pounds and miles where the form used to ask for kg and km only
    (trial 11): each field has its unit beside it, as body mass does, and the profile keeps
    SI (DOMAIN.md: stored in kg)."""
    form = {
        **first_run_form(client),
        "assessments.seated_calf_raise_1rm_kg": "154",
        "seated_1rm_unit": "lb",
        "running.weekly_km": "25",
        "distance_unit": "mi",
    }
    page = client.get("/setup").text
    assert 'name="seated_1rm_unit"' in page and 'name="distance_unit"' in page
    response = client.post("/setup", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    profile = client.get("/api/v1/athlete").json()["profile"]
    assert profile["assessments"]["seated_calf_raise_1rm_kg"] == pytest.approx(69.85, abs=0.01)
    assert profile["running"]["weekly_km"] == pytest.approx(40.2, abs=0.05)


def test_a_number_in_another_unit_that_is_not_a_number_is_said_beside_its_field(
    client: TestClient,
) -> None:
    form = {**first_run_form(client), "running.weekly_km": "nan", "distance_unit": "mi"}
    response = client.post("/setup", data=form)
    assert response.status_code == 422
    assert "running.weekly_km" in response.text
    assert client.get("/api/v1/athletes").json() == []


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("running.monday", "sprint", "rest, easy, long, workout"),
        ("athlete.sex", "robot", "female, male"),
        ("athlete.units", "furlongs", "metric, imperial"),
        ("athlete.strength_experience", "guru", "novice"),
        ("start", "garbage", "next_week, this_week"),
    ],
)
def test_a_choice_the_first_run_form_does_not_offer_is_said_beside_it(
    client: TestClient, field: str, value: str, allowed: str
) -> None:
    """A drop-down's value the form does not offer answered 422 with the form and no message
    (no error slot beside a select), and a start that is no choice planned from next Monday
    without a word (issue 13's trial). Each is now one alert naming field and choices."""
    response = client.post("/setup", data={**first_run_form(client), field: value})
    assert response.status_code == 422
    alerts = re.findall(r'role="alert"[^>]*>(.*?)</p>', response.text, re.S)
    assert len(alerts) == 1, alerts
    assert field in alerts[0] and value in alerts[0] and allowed in alerts[0], alerts[0]
    assert client.get("/api/v1/athletes").json() == []


def test_a_seated_1rm_no_calf_lifts_is_said_beside_its_field(client: TestClient) -> None:
    """700 kg for a 68 kg runner (70 typed with a 0 too many): refused beside the field, with
    the limit in the runner's own units, and no athlete is made (trial 11)."""
    form = {**first_run_form(client), "assessments.seated_calf_raise_1rm_kg": "700"}
    response = client.post("/setup", data=form)
    assert response.status_code == 422
    alerts = re.findall(r'role="alert"[^>]*>(.*?)</p>', response.text, re.S)
    assert len(alerts) == 1, alerts
    assert "× body weight" in alerts[0] and "at most 5 × body weight" in alerts[0], alerts[0]
    assert client.get("/api/v1/athletes").json() == []


def test_the_first_run_form_takes_an_uploaded_profile(client: TestClient) -> None:
    form = first_run_form(client)
    response = client.post(
        "/setup",
        data={"csrf_token": form["csrf_token"]},
        files={"profile_file": ("me.toml", SAMPLE.encode(), "application/toml")},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/week?athlete=Sam"
    bad = client.post(
        "/setup",
        data={"csrf_token": form["csrf_token"]},
        files={"profile_file": ("bad.toml", b"[athlete]\nbody_mass_kg = 'x'\n", "text/plain")},
    )
    assert bad.status_code == 422 and "bad.toml" in bad.text and "Traceback" not in bad.text


def test_on_loopback_other_host_names_are_refused(database_url: str) -> None:
    """DNS rebinding: a page from elsewhere resolving its own name to 127.0.0.1 gets nothing."""
    settings = WebSettings(
        context.open_database(database_url), lambda: TODAY, allowed_hosts=("127.0.0.1",)
    )
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as local:
        assert local.get("/healthz").status_code == 200
        assert local.get("/api/v1/athletes", headers={"host": "evil.example"}).status_code == 400


def test_the_athlete_chooser_only_sends_you_to_this_apps_pages(client: TestClient) -> None:
    client.post("/api/v1/athletes", json={"profile_toml": SAMPLE})
    client.post(
        "/api/v1/athletes", json={"profile_toml": SAMPLE.replace('name = "Sam"', 'name = "Al"')}
    )
    for target, expected in (
        ("/progress", "/progress?"),
        ("//evil.example", "/week?"),
        ("/\\\\evil.example", "/week?"),
        ("https://evil.example", "/week?"),
    ):
        page = client.get("/athletes", params={"next": target})
        assert f'href="{expected}athlete=Sam"' in page.text, target


def test_serve_refuses_a_port_in_use(run_cli, tmp_path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--db", str(tmp_path / "w.sqlite"))
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"calfcoach: error: option --port: cannot listen on 127.0.0.1:{port}"
    )
    assert "Traceback" not in result.stderr


def test_today_links_each_exercise_to_its_why_page(client: TestClient, athlete: str) -> None:
    today = client.get("/today", params={"date": TUESDAY.isoformat()})
    assert today.status_code == 200
    links = re.findall(r'href="(/explain\?[^"]+)"', today.text)
    assert links, "no Why? link on Today"
    why = client.get(links[0].replace("&amp;", "&"))
    assert why.status_code == 200, why.text
    # The load's source, the phase and the day, each with its rule or section tag.
    assert "1RM" in why.text and "foundation phase" in why.text and "§2.1" in why.text
    assert "system load" in why.text
    missing = client.get("/explain", params={"date": "2031-01-05"})
    assert missing.status_code in (404, 422) and "Traceback" not in missing.text


def test_the_first_run_form_takes_owned_equipment(client: TestClient) -> None:
    form = {**first_run_form(client), "equipment_loads.dumbbells": "5, 10, 15, 20"}
    response = client.post("/setup", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    profile = client.get("/api/v1/athlete").json()["profile"]
    assert profile["equipment_loads"]["dumbbells"] == [5, 10, 15, 20]
    plan = client.get("/api/v1/plan").json()
    loads = {
        round(e["load_kg"] / 0.45359237, 1)
        for w in plan["weeks"]
        for d in w["days"]
        for s in d["sessions"]
        for e in s["exercises"]
        if e["load_kg"]
    }
    # Imperial, owned dumbbells: every load is one of them (or a pair of them).
    assert loads and loads <= {5.0, 10.0, 15.0, 20.0, 30.0, 40.0}
    bad = {**first_run_form(client), "equipment_loads.dumbbells": "5, heavy"}
    refused = client.post("/setup", data=bad, follow_redirects=False)
    assert refused.status_code == 422 and "equipment_loads.dumbbells" in refused.text


def test_steppers_walk_the_loads_the_athlete_owns(client: TestClient) -> None:
    """Issue 11 item 4: the web − / + move through the owned loads, not a fixed 2.5 kg."""
    import json as _json

    owned = SAMPLE.replace(
        "[running]", "[equipment_loads]\ndumbbells = [3, 7, 12.5]\n\n[running]", 1
    )
    made = client.post("/api/v1/athletes", json={"profile_toml": owned, "start": "2026-11-30"})
    assert made.status_code == 201, made.text
    page = client.get("/today", params={"date": TUESDAY.isoformat()})
    lists = [
        _json.loads(raw.replace("&#34;", '"'))
        for raw in re.findall(r'data-loads="([^"]*)"', page.text)
    ]
    lists = [loads for loads in lists if loads]
    assert lists, "no stepper on Today"
    allowed = {0.0, 3.0, 7.0, 12.5, 6.0, 14.0, 25.0}  # single dumbbells or pairs of them
    for loads in lists:
        assert set(loads) <= allowed, loads
