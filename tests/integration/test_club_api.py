"""A club's trial of the API and the command line (issue 13): what a coach's and an athlete's
requests found, through FastAPI's test client on a real SQLite file and a real PostgreSQL
server, and through the real command line."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from calfcoach.services import context
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
