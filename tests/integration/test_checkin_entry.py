"""Check-ins as the athlete enters them: the console script, the JSON API, the web form, the
backup, and a database from before migration 0006."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from calfcoach.services import athletes as athletes_service
from calfcoach.services import backup as backup_service
from calfcoach.services import checkins as checkins_service
from calfcoach.services import context
from calfcoach.store.db import HEAD_REVISION, current_revision, ensure_schema, make_engine, upgrade
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT, TODAY
from tests.integration.test_cli import assert_one_line_error

SAMPLE = ROOT / "examples" / "profile.toml"
TUESDAY = date(2026, 12, 1)


def test_checkin_command_takes_every_field_and_updates_the_day(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite")
    assert run_cli("init", "--profile", str(SAMPLE), "--db", db).returncode == 0
    first = run_cli("checkin", "--pain-during", "2", "--pain-before", "2", "--db", db, "-f", "json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["zone"] == "green"
    # The next morning, added to the same day's check-in with the old option names.
    later = run_cli(
        "checkin",
        "--during",
        "2",
        "--next-morning",
        "3",
        "--date",
        TODAY.isoformat(),
        "--db",
        db,
        "-f",
        "json",
        today=date(2026, 11, 25),
    )
    result = json.loads(later.stdout)
    assert (result["pain_before"], result["pain_next_morning"], result["zone"]) == (2, 3, "red")
    flagged = run_cli("checkin", "--pain-during", "1", "--red-flag", "night_pain", "--db", db)
    assert flagged.returncode == 0 and "stop and see a clinician" in flagged.stdout
    today = run_cli("today", "--db", db, "-f", "json")
    assert any("stop and see a clinician" in n.lower() for n in json.loads(today.stdout)["notices"])
    assert "Stop and see a clinician" in run_cli("today", "--db", db).stdout
    cleared = run_cli("checkin", "--pain-during", "1", "--cleared-by-clinician", "--db", db)
    assert cleared.returncode == 0
    assert json.loads(run_cli("today", "--db", db, "-f", "json").stdout)["notices"] == []


def test_dates_after_today_exit_2_with_one_line(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "f.sqlite")
    run_cli("init", "--profile", str(SAMPLE), "--db", db)
    tomorrow = "2026-11-25"
    assert_one_line_error(
        run_cli("checkin", "--pain-during", "7", "--date", tomorrow, "--db", db),
        "--date",
        "after today",
    )
    assert_one_line_error(
        run_cli("log", "pogo-hops", "--reps", "10", "--date", tomorrow, "--db", db),
        "--date",
        "after today",
    )
    assert_one_line_error(
        run_cli("log", "--as-prescribed", "--date", TUESDAY.isoformat(), "--db", db), "--date"
    )
    assert_one_line_error(
        run_cli("checkin", "--pain-during", "1", "--red-flag", "cramp", "--db", db),
        "--red-flag",
        "calf_swelling_redness",
    )
    assert_one_line_error(
        run_cli("checkin", "--pain-during", "1", "--pain-before", "11", "--db", db),
        "--pain-before",
        "0 to 10",
    )
    backup = json.loads(run_cli("export", "--format", "json", "--db", db).stdout)
    assert backup["athletes"][0]["checkins"] == [] and backup["athletes"][0]["sets"] == []


@pytest.fixture
def client(database_url: str):
    database = context.open_database(database_url)
    athletes_service.init_athlete(database, SAMPLE, None, TODAY)
    with TestClient(create_app(WebSettings(database, lambda: TUESDAY))) as test_client:
        yield test_client


def test_the_api_takes_the_new_fields_and_refuses_future_dates(client: TestClient) -> None:
    body = {"date": "2026-11-30", "pain_during": 2, "pain_before": 1}
    created = client.post("/api/v1/checkins", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["pain_before"] == 1 and created.json()["zone"] == "green"
    flagged = client.post(
        "/api/v1/checkins",
        json={"date": TUESDAY.isoformat(), "pain_during": 1, "red_flag": "calf_swelling_redness"},
    )
    assert flagged.status_code == 201
    assert any("deep-vein thrombosis" in n for n in flagged.json()["notices"])
    today = client.get("/api/v1/today", params={"date": TUESDAY.isoformat()}).json()
    assert today["notices"]
    listed = client.get("/api/v1/checkins").json()
    assert [(c["date"], c["red_flag"], c["cleared_by_clinician"]) for c in listed] == [
        ("2026-11-30", None, False),
        (TUESDAY.isoformat(), "calf_swelling_redness", False),
    ]
    future = client.post("/api/v1/checkins", json={"date": "2026-12-02", "pain_during": 1})
    assert future.status_code == 422 and future.json()["error"]["field"] == "date"
    sets = client.post(
        "/api/v1/sets",
        json={"date": "2026-12-02", "exercise": "pogo-hops", "sets": 1, "reps": 10},
    )
    assert sets.status_code == 422 and "after today" in sets.json()["error"]["message"]
    bad_flag = client.post(
        "/api/v1/checkins", json={"date": "2026-11-30", "pain_during": 1, "red_flag": "x"}
    )
    assert bad_flag.status_code == 422
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["CheckInCreate"]
    assert {"pain_before", "red_flag", "cleared_by_clinician"} <= set(schema["properties"])


def test_the_web_form_records_a_red_flag_and_today_shows_the_notice(client: TestClient) -> None:
    page = client.get("/checkin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert (
        token is not None and 'name="red_flag"' in page.text and 'name="pain_before"' in page.text
    )
    form = {
        "csrf_token": token.group(1),
        "date": TUESDAY.isoformat(),
        "pain_during": "2",
        "pain_before": "1",
        "red_flag": "swelling",
    }
    saved = client.post("/checkin", data=form)
    assert saved.status_code == 200 and "stop and see a clinician" in saved.text.lower()
    today = client.get("/today", params={"date": TUESDAY.isoformat()})
    assert 'role="alert"' in today.text and "Stop and see a clinician" in today.text
    future = client.post("/checkin", data={**form, "date": "2026-12-02"})
    assert future.status_code == 422 and "after today" in future.text
    # Out of range is said as such (it was "is too long (3 characters)": a form length cap).
    too_much = client.post("/checkin", data={**form, "pain_before": "100"})
    assert too_much.status_code == 422
    assert "pain_before: 100 is out of range; allowed: 0 to 10" in too_much.text
    cleared = client.post(
        "/checkin",
        data={**form, "red_flag": "", "cleared_by_clinician": "yes"},
    )
    assert cleared.status_code == 200
    assert 'role="alert"' not in client.get("/today", params={"date": TUESDAY.isoformat()}).text


def test_backup_round_trips_the_new_fields(database_url: str, tmp_path: Path) -> None:
    source = context.open_database(database_url)
    athletes_service.init_athlete(source, SAMPLE, None, TODAY)
    checkins_service.record_checkin(
        source, None, TODAY, 2, 3, TODAY, pain_before=2, red_flag="swelling"
    )
    checkins_service.record_checkin(
        source, None, date(2026, 11, 23), 1, None, TODAY, cleared_by_clinician=True
    )
    document = json.loads(json.dumps(backup_service.export_backup(source)))
    checkins = document["athletes"][0]["checkins"]
    by_day = {c["day"]: c for c in checkins}
    today = by_day[TODAY.isoformat()]
    assert today["pain_before"] == 2 and today["red_flag"] == "swelling"
    assert by_day["2026-11-23"]["cleared_by_clinician"] is True
    target = context.open_database(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    backup_service.restore_backup(target, document, "backup.json", today=TODAY)
    assert backup_service.export_backup(target)["athletes"][0]["checkins"] == checkins
    # A backup from before these fields restores with none of them.
    for c in checkins:
        del c["pain_before"], c["red_flag"], c["cleared_by_clinician"]
    older = context.open_database(f"sqlite:///{tmp_path / 'older.sqlite'}")
    backup_service.restore_backup(older, document, "old.json", today=TODAY)
    restored = backup_service.export_backup(older)["athletes"][0]["checkins"]
    assert [(c["red_flag"], c["cleared_by_clinician"]) for c in restored] == [(None, False)] * 2


def test_a_database_at_0003_keeps_its_check_ins(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO athletes (name, profile_toml, created_at) "
                "VALUES ('Old', '[athlete]', '2025-01-01')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO checkins (athlete_id, day, pain_during, pain_next_morning, "
                "created_at) VALUES (1, '2025-01-02', 4, 2, '2025-01-02')"
            )
        )
    ensure_schema(engine)
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM checkins")).mappings().one()
    assert (row["pain_during"], row["pain_next_morning"], row["pain_before"]) == (4, 2, None)
    assert (row["red_flag"], bool(row["cleared_by_clinician"])) == (None, False)
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text("UPDATE checkins SET red_flag = 'cramp'"))
