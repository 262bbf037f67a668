"""A club's trial of the API and the command line (issue 13): what a coach's and an athlete's
requests found, through FastAPI's test client on a real SQLite file and a real PostgreSQL
server, and through the real command line."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from calfcoach.services import context
from calfcoach.services.athletes import NAME_TAKEN
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT

SAMPLE = (ROOT / "examples" / "profile.toml").read_text()
START = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)  # week 1: a strength session


@pytest.fixture
def client(database_url: str):
    settings = WebSettings(context.open_database(database_url), lambda: TUESDAY)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        made = test_client.post(
            "/api/v1/athletes", json={"profile_toml": SAMPLE, "start": START.isoformat()}
        )
        assert made.status_code == 201, made.text
        yield test_client


def test_a_seated_1rm_estimated_beyond_the_limit_is_refused_naming_the_set(
    client: TestClient,
) -> None:
    typo = {
        "date": TUESDAY.isoformat(),
        "exercise": "seated-dumbbell-calf-raise",
        "reps": 10,
        "load_kg": 999,  # 99 kg with one 9 too many: within a set's 0–1000 kg
    }
    assert client.post("/api/v1/sets", json=typo).status_code == 201
    estimated = client.post("/api/v1/assessments/seated-1rm", json={"date": TUESDAY.isoformat()})
    assert estimated.status_code == 422, estimated.text
    error = estimated.json()["error"]
    assert error["field"] == "value_kg"
    assert "999 kg × 10 on 2026-12-01 (seated-dumbbell-calf-raise) is 1332 kg" in error["message"]
    assert "allowed: a 1RM above 0 up to 1000 (kg)" in error["message"]
    assert client.get("/api/v1/assessments").json() == []
    # A measured 1RM is still taken, and the plan still reads.
    measured = client.post(
        "/api/v1/assessments/seated-1rm", json={"date": TUESDAY.isoformat(), "value_kg": 95}
    )
    assert measured.status_code == 201, measured.text
    assert client.get("/api/v1/plan").status_code == 200


def test_the_command_line_says_the_same_in_one_line(run_cli, tmp_path) -> None:
    db = str(tmp_path / "club.sqlite")
    profile = str(ROOT / "examples" / "profile.toml")
    assert run_cli("init", "--profile", profile, "--db", db, today=TUESDAY).returncode == 0
    logged = run_cli(
        "log",
        "seated-dumbbell-calf-raise",
        "--reps",
        "10",
        "--load",
        "999",
        "--db",
        db,
        today=TUESDAY,
    )
    assert logged.returncode == 0, logged.stderr
    done = run_cli("assess", "seated-1rm", "--db", db, today=TUESDAY)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("calfcoach: error: seated 1RM: the estimate from 999 kg × 10")
    assert "calfcoach log edit" in lines[0]


def _page_form(client: TestClient, **values: str) -> dict[str, str]:
    page = client.get("/setup")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    form = {
        "csrf_token": token.group(1),
        "athlete.body_mass_kg": "60",
        "body_mass_unit": "kg",
        "athlete.units": "metric",
        "athlete.strength_experience": "novice",
        "strength.sessions_per_week": "2",
        "health.condition": "none",
        "health.pain_now": "0",
    }
    return {**form, **values}


def test_adding_an_athlete_never_replaces_one(client: TestClient) -> None:
    before = client.get("/api/v1/athlete", params={"athlete": "Sam"}).json()["profile_toml"]
    minimal = '[athlete]\nname = "Sam"\nbody_mass_kg = 60\n'
    for name in ("Sam", "sam", "SAM"):
        refused = client.post(
            "/api/v1/athletes", json={"profile_toml": minimal.replace("Sam", name)}
        )
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        assert error["field"] == "athlete.name"
        # The same words whoever asks (the local owner here), naming no one.
        assert error["message"] == NAME_TAKEN
        page = client.post(
            "/setup", data=_page_form(client, **{"athlete.name": name}), follow_redirects=False
        )
        assert page.status_code == 422 and html.escape(NAME_TAKEN) in page.text
    after = client.get("/api/v1/athlete", params={"athlete": "Sam"}).json()["profile_toml"]
    assert after == before
    assert client.get("/api/v1/athletes").json() == [{"name": "Sam"}]


def test_a_blank_name_is_refused_not_made_runner(client: TestClient) -> None:
    for name in ("", "   "):
        page = client.post(
            "/setup", data=_page_form(client, **{"athlete.name": name}), follow_redirects=False
        )
        assert page.status_code == 422, page.text
        assert "athlete.name" in page.text and "Runner" not in page.text
    nameless = client.post(
        "/api/v1/athletes", json={"profile_toml": "[athlete]\nbody_mass_kg = 60\n"}
    )
    assert nameless.status_code == 422, nameless.text
    assert nameless.json()["error"]["field"] == "athlete.name"
    assert "is missing" in nameless.json()["error"]["message"]
    spaces = client.post(
        "/api/v1/athletes", json={"profile_toml": '[athlete]\nname = "  "\nbody_mass_kg = 60\n'}
    )
    assert spaces.status_code == 422 and "spaces only" in spaces.text
    assert client.get("/api/v1/athletes").json() == [{"name": "Sam"}]


def test_a_profile_is_changed_where_profiles_are_changed(client: TestClient) -> None:
    heavier = SAMPLE.replace("body_mass_kg = 68", "body_mass_kg = 70")
    changed = client.put(
        "/api/v1/athlete", params={"athlete": "Sam"}, json={"profile_toml": heavier}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "Sam" and changed.json()["created"] is False
    profile = client.get("/api/v1/athlete").json()["profile"]
    assert profile["athlete"]["body_mass_kg"] == 70
    # A profile naming someone else is no way to rename or replace them.
    renamed = client.put(
        "/api/v1/athlete",
        params={"athlete": "Sam"},
        json={"profile_toml": SAMPLE.replace('name = "Sam"', 'name = "Ola"')},
    )
    assert renamed.status_code == 422 and renamed.json()["error"]["field"] == "athlete.name"
    assert client.get("/api/v1/athletes").json() == [{"name": "Sam"}]


def test_adding_an_athlete_through_the_api_takes_the_club_defaults(client: TestClient) -> None:
    from calfcoach.services.access import LOCAL_OWNER
    from calfcoach.services.club import ClubDefaults, set_club_defaults

    db = client.app.state.settings.database  # type: ignore[attr-defined]
    defaults = ClubDefaults(
        equipment=("dumbbells", "step"),
        equipment_loads={"dumbbells": [2, 4, 6, 8]},
        preferred_days=("tuesday", "friday"),
    )
    set_club_defaults(db, LOCAL_OWNER, defaults)
    bare = '[athlete]\nname = "Kim"\nbody_mass_kg = 61\n'
    made = client.post("/api/v1/athletes", json={"profile_toml": bare})
    assert made.status_code == 201, made.text
    notes = made.json()["notes"]
    assert notes[0] == (
        "club defaults used for athlete.equipment, equipment_loads, strength.preferred_days"
    )
    profile = client.get("/api/v1/athlete", params={"athlete": "Kim"}).json()["profile"]
    assert profile["athlete"]["equipment"] == ["dumbbells", "step"]
    assert profile["equipment_loads"]["dumbbells"] == [2, 4, 6, 8]
    assert profile["strength"]["preferred_days"] == ["tuesday", "friday"]
    # What the profile says wins.
    own = '[athlete]\nname = "Lee"\nbody_mass_kg = 70\nequipment = ["kettlebell"]\n'
    made = client.post("/api/v1/athletes", json={"profile_toml": own})
    assert made.status_code == 201, made.text
    profile = client.get("/api/v1/athlete", params={"athlete": "Lee"}).json()["profile"]
    assert profile["athlete"]["equipment"] == ["kettlebell"]


@pytest.mark.parametrize(
    "stamp",
    [
        "9999-12-31T23:59:59+14:00",  # the trial's: every later edit was "kept_newer"
        "9999-12-31T23:59:00-14:00",  # no UTC time in range at all
        "0001-01-01T00:00:00+14:00",
        "1899-12-31T23:59:59+00:00",
    ],
)
def test_a_client_clock_out_of_range_is_refused_naming_the_field(
    client: TestClient, stamp: str
) -> None:
    url = "/api/v1/sets/6f1c8a52-1111-4222-8333-444455556662"
    body = {"date": TUESDAY.isoformat(), "exercise": "pogo-hops", "reps": 10}
    refused = client.put(url, json={**body, "client_updated_at": stamp})
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "client_updated_at"
    assert error["message"].startswith(f"client_updated_at: {stamp} is out of range; allowed: ")
    assert "from 1900-01-01T00:00Z to " in error["message"]
    assert "24 hours of drift" in error["message"]
    assert client.get("/api/v1/sets", params={"date": TUESDAY.isoformat()}).json() == []


def test_a_client_clock_a_little_ahead_is_taken_and_later_edits_still_win(
    client: TestClient,
) -> None:
    from datetime import UTC, datetime, timedelta

    url = "/api/v1/sets/6f1c8a52-1111-4222-8333-444455556663"
    body = {"date": TUESDAY.isoformat(), "exercise": "pogo-hops", "reps": 10}
    # A phone's clock an hour fast, in another time zone: within the drift allowed.
    ahead = (datetime.now(UTC) + timedelta(hours=1)).astimezone(timezone_of(+5))
    made = client.put(url, json={**body, "client_updated_at": ahead.isoformat()})
    assert made.status_code == 201, made.text
    later = (ahead + timedelta(minutes=5)).isoformat()
    edited = client.put(url, json={**body, "reps": 12, "client_updated_at": later})
    assert edited.status_code == 200 and edited.json()["outcome"] == "updated", edited.text


def timezone_of(hours: int):
    from datetime import timedelta, timezone

    return timezone(timedelta(hours=hours))


def test_why_before_the_plan_starts_says_when_it_starts(client: TestClient) -> None:
    ola = SAMPLE.replace('name = "Sam"', 'name = "Ola"')  # no start: next Monday, 7 December
    assert client.post("/api/v1/athletes", json={"profile_toml": ola}).status_code == 201
    why = client.get("/explain", params={"athlete": "Ola"})
    assert why.status_code == 200, why.text
    assert "Your plan starts on" in why.text and "Monday 7 December 2026" in why.text
    assert "/explain?athlete=Ola&amp;date=2026-12-08" in why.text
    first = client.get("/explain", params={"athlete": "Ola", "date": "2026-12-08"})
    assert first.status_code == 200 and "system load" in first.text


def test_explain_before_the_plan_starts_is_no_error(run_cli, tmp_path) -> None:
    db = str(tmp_path / "club.sqlite")
    profile = str(ROOT / "examples" / "profile.toml")
    assert run_cli("init", "--profile", profile, "--db", db, today=TUESDAY).returncode == 0
    text = run_cli("explain", "--db", db, today=TUESDAY)
    assert text.returncode == 0, text.stderr
    assert "The plan starts on Monday 07 Dec 2026" in text.stdout
    assert "Its first session: calfcoach explain 2026-12-08" in text.stdout
    as_json = run_cli("explain", "--db", db, "--format", "json", today=TUESDAY)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == {
        "date": "2026-12-01",
        "exercises": [],
        "warnings": [],
        "plan_starts": "2026-12-07",
        "first_session": "2026-12-08",
    }
    # After the plan's end it is still one line naming the dates allowed.
    after = run_cli("explain", "2031-01-01", "--db", db, today=TUESDAY)
    assert after.returncode == 2 and "allowed: a date from 2026-12-07" in after.stderr


def test_adding_checks_the_name_again_where_it_writes(client: TestClient) -> None:
    """An athlete of that name added between the look and the write (another request) is
    not replaced either: the write's own transaction refuses."""
    from calfcoach.errors import InputError
    from calfcoach.services.athletes import init_athlete_from_text

    db = client.app.state.settings.database  # type: ignore[attr-defined]
    heavy = SAMPLE.replace("body_mass_kg = 68", "body_mass_kg = 90")
    with pytest.raises(InputError) as refused:
        init_athlete_from_text(db, heavy, "profile_toml", None, TUESDAY, only_new=True)
    assert str(refused.value) == NAME_TAKEN
    profile = client.get("/api/v1/athlete").json()["profile"]
    assert profile["athlete"]["body_mass_kg"] == 68


def test_a_seated_1rm_no_calf_lifts_is_refused_on_every_shell(
    client: TestClient, run_cli, tmp_path
) -> None:
    """900 for 90: an assessed 1RM sets every seated raise's load directly (DOMAIN.md §2.1),
    so one beyond norms.toml's body weights is refused, naming the number and the limit, and
    nothing is stored (a trial's plantar plan went to 5 × 17 at the kit's 100 kg)."""
    typo = client.post(
        "/api/v1/assessments/seated-1rm", json={"date": TUESDAY.isoformat(), "value_kg": 900}
    )
    assert typo.status_code == 422, typo.text
    error = typo.json()["error"]
    assert error["field"] == "value_kg"
    assert "a seated 1RM of 900 kg is 13.2 × body weight (68 kg)" in error["message"]
    assert "allowed: at most 5 × body weight (340 kg)" in error["message"]
    assert client.get("/api/v1/assessments").json() == []
    db = str(tmp_path / "cli.sqlite")
    profile = str(ROOT / "examples" / "profile.toml")
    assert run_cli("init", "--profile", profile, "--db", db, today=TUESDAY).returncode == 0
    done = run_cli("assess", "seated-1rm", "900", "--db", db, today=TUESDAY)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "13.2 × body weight" in done.stderr and "Traceback" not in done.stderr
    history = run_cli("history", "--db", db, "--format", "json", today=TUESDAY)
    assert json.loads(history.stdout)["assessments"] == []
    # A strong calf is still taken.
    assert run_cli("assess", "seated-1rm", "300", "--db", db, today=TUESDAY).returncode == 0
