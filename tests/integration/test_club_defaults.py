"""Club defaults (issue 16): set once by an admin or coach (`calfcoach club set`, the coach
dashboard's form), stored in the database and its backup, offered when a coach adds an athlete
(the first-run form pre-filled, `calfcoach init` filling what a profile leaves out). On a real
SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from calfcoach.services import accounts, club, context
from calfcoach.services import athletes as athletes_service
from calfcoach.services.access import LOCAL_OWNER
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT

TODAY = date(2026, 11, 24)
PASSWORD = "correct horse battery"
SET_ARGS = (
    "club",
    "set",
    "--equipment",
    "dumbbells,step",
    "--equipment",
    "plates",
    "--loads",
    "dumbbells=2,4,6,8",
    "--loads",
    "plates=1.25, 2.5, 5",
    "--days",
    "tuesday,friday",
)
# A new athlete's profile that says nothing of equipment, loads or strength days.
BARE = """# Kim, added by the club's coach
[athlete]
name = "Kim"
body_mass_kg = 61

[running]
monday = "rest"
tuesday = "workout"
wednesday = "easy"
thursday = "easy"
friday = "rest"
saturday = "easy"
sunday = "long"
"""


def csrf_of(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert found is not None
    return found.group(1)


def stored_profile(database_url: str, name: str) -> dict[str, object]:
    import sqlalchemy as sa

    db = context.open_database(database_url)
    try:
        with db.engine.connect() as conn:
            text = conn.scalar(
                sa.text("select profile_toml from athletes where name = :name"), {"name": name}
            )
        return tomllib.loads(text)
    finally:
        db.engine.dispose()


def test_club_set_show_and_init_fill_a_new_athlete(
    database_url: str, run_cli, tmp_path: Path
) -> None:
    shown = run_cli("club", "show", "--db", database_url)
    assert shown.returncode == 0 and "No club defaults yet" in shown.stdout
    assert run_cli(*SET_ARGS, "--db", database_url).returncode == 0
    shown = run_cli("club", "show", "--db", database_url, "--format", "json")
    assert json.loads(shown.stdout)["equipment"] == ["dumbbells", "step", "plates"]
    assert json.loads(shown.stdout)["equipment_loads"] == {
        "dumbbells": [2.0, 4.0, 6.0, 8.0],
        "plates": [1.25, 2.5, 5.0],
    }
    # An option left out keeps what was set.
    assert run_cli("club", "set", "--days", "wednesday", "--db", database_url).returncode == 0
    kept = json.loads(run_cli("club", "show", "--db", database_url, "-f", "json").stdout)
    assert kept["preferred_days"] == ["wednesday"]
    assert kept["equipment"] == ["dumbbells", "step", "plates"]
    # A kind of load given replaces that kind's loads and keeps the others.
    assert run_cli("club", "set", "--loads", "plates=2.5,5", "--db", database_url).returncode == 0
    kept = json.loads(run_cli("club", "show", "--db", database_url, "-f", "json").stdout)
    assert kept["equipment_loads"] == {"dumbbells": [2.0, 4.0, 6.0, 8.0], "plates": [2.5, 5.0]}
    back = run_cli("club", "set", "--loads", "plates=1.25,2.5,5", "--db", database_url)
    assert back.returncode == 0

    profile = tmp_path / "kim.toml"
    profile.write_text(BARE)
    added = run_cli("init", "--profile", str(profile), "--db", database_url)
    assert added.returncode == 0, added.stderr
    assert "club defaults used for athlete.equipment" in added.stderr
    stored = stored_profile(database_url, "Kim")
    assert stored["athlete"]["equipment"] == ["dumbbells", "step", "plates"]  # type: ignore[index]
    assert stored["equipment_loads"]["plates"] == [1.25, 2.5, 5.0]  # type: ignore[index]
    assert stored["strength"]["preferred_days"] == ["wednesday"]  # type: ignore[index]
    assert profile.read_text() == BARE  # the person's file is not touched

    # A profile's own values win; an athlete already stored is not given the defaults.
    own = BARE.replace('name = "Kim"', 'name = "Lee"\nequipment = ["kettlebell"]')
    profile.write_text(own)
    assert run_cli("init", "--profile", str(profile), "--db", database_url).returncode == 0
    lee = stored_profile(database_url, "Lee")
    assert lee["athlete"]["equipment"] == ["kettlebell"]  # type: ignore[index]
    assert lee["strength"]["preferred_days"] == ["wednesday"]  # type: ignore[index]
    profile.write_text(BARE)
    again = run_cli("init", "--profile", str(profile), "--db", database_url)
    assert again.returncode == 0 and "club defaults" not in again.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--equipment", "rowing_machine"), "option --equipment: 'rowing_machine' is not allowed"),
        (("--loads", "dumbbells=2,x"), "option --loads dumbbells: 'x' is not a number"),
        (("--loads", "barbell=900"), "option --loads barbell:"),
        (("--loads", "sandbags=10"), "option --loads: 'sandbags' has no loads"),
        (("--loads", "dumbbells"), "option --loads: 'dumbbells' is not KIND=LOADS"),
        (("--days", "funday"), "option --days: 'funday' is not allowed"),
        (("--days", "monday,monday"), "option --days: a day is listed twice"),
        ((), "club set: nothing to set"),
    ],
)
def test_bad_club_defaults_are_one_line_and_store_nothing(
    database_url: str, run_cli, args: tuple[str, ...], expected: str
) -> None:
    refused = run_cli("club", "set", *args, "--db", database_url)
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"calfcoach: error: {expected}"), refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "No club defaults yet" in run_cli("club", "show", "--db", database_url).stdout


def test_club_defaults_are_in_the_backup(database_url: str, run_cli, tmp_path: Path) -> None:
    assert run_cli(*SET_ARGS, "--db", database_url).returncode == 0
    backup = tmp_path / "backup.json"
    assert run_cli("export", "--db", database_url, "--out", str(backup)).returncode == 0
    document = json.loads(backup.read_text())
    assert json.loads(document["club"]["preferred_days"]) == ["tuesday", "friday"]
    restored = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    assert run_cli("restore", str(backup), "--db", restored).returncode == 0
    shown = json.loads(run_cli("club", "show", "--db", restored, "-f", "json").stdout)
    assert shown["equipment"] == ["dumbbells", "step", "plates"]
    assert shown["updated_by"].startswith("cli:")  # who ran club set (issue 13: "owner")
    again = tmp_path / "again.json"
    assert run_cli("export", "--db", restored, "--out", str(again)).returncode == 0
    assert json.loads(again.read_text()) == document
    # A hand-edited backup with broken JSON in the club row is refused, naming the field.
    document["club"]["equipment_loads"] = "[not json"
    backup.write_text(json.dumps(document))
    refused = run_cli("restore", str(backup), "--db", str(tmp_path / "third.sqlite"))
    assert refused.returncode == 2
    assert "club.equipment_loads" in refused.stderr


@pytest.fixture
def coached(database_url: str):
    """A club database: an admin, a coach, and athlete Sam with an account."""
    db = context.open_database(database_url)
    text = (ROOT / "examples" / "profile.toml").read_text()
    athletes_service.init_athlete_from_text(db, text, "profile", date(2026, 11, 30), TODAY)
    accounts.add_user(db, "coach", "coach", PASSWORD, None, LOCAL_OWNER)
    accounts.add_user(db, "sam", "athlete", PASSWORD, "Sam", LOCAL_OWNER)
    yield db
    db.engine.dispose()


def signed_in(db: context.Database, name: str) -> TestClient:
    client = TestClient(create_app(WebSettings(db, lambda: TODAY)), raise_server_exceptions=False)
    form = client.get("/signin")
    answer = client.post(
        "/signin",
        data={"name": name, "password": PASSWORD, "csrf_token": csrf_of(form.text), "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return client


def test_a_coach_sets_defaults_on_the_dashboard_and_the_setup_form_offers_them(
    coached: context.Database,
) -> None:
    coach = signed_in(coached, "coach")
    dashboard = coach.get("/coach")
    assert 'href="/coach/club"' in dashboard.text
    page = coach.get("/coach/club")
    assert page.status_code == 200
    form = {
        "csrf_token": csrf_of(page.text),
        "athlete.equipment": ["dumbbells", "bench"],
        "strength.preferred_days": ["monday", "thursday"],
        "equipment_loads.dumbbells": "2, 4, 6",
        "equipment_loads.barbell": "",
    }
    saved = coach.post("/coach/club", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    stored = club.club_defaults(coached)
    assert stored is not None
    assert stored.equipment == ("dumbbells", "bench")
    assert stored.loads == {"dumbbells": [2.0, 4.0, 6.0]}
    assert stored.preferred_days == ("monday", "thursday")
    assert stored.updated_by == "coach"
    history = accounts.audit_of(coached, None)
    assert any(row.action == "club_defaults" and row.actor == "coach" for row in history)

    # Offered on the first-run form: checked, filled, and changeable.
    setup = coach.get("/setup").text
    assert re.search(r'name="athlete.equipment" value="dumbbells" checked', setup)
    assert re.search(r'name="athlete.equipment" value="bench" checked', setup)
    assert not re.search(r'name="athlete.equipment" value="step" checked', setup)
    assert re.search(r'name="strength.preferred_days" value="thursday" checked', setup)
    assert 'name="equipment_loads.dumbbells" value="2, 4, 6"' in setup
    assert 'id="club-note"' in setup

    # A bad value is refused on the form with the field named, and nothing changes.
    refused = coach.post(
        "/coach/club",
        data={**form, "equipment_loads.dumbbells": "2, heavy"},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert "equipment_loads.dumbbells: &#39;heavy&#39; is not a number" in refused.text
    assert 'value="2, heavy"' in refused.text  # what was typed stays in the form
    assert club.club_defaults(coached) == stored


def test_athletes_cannot_see_or_set_the_club_defaults(coached: context.Database) -> None:
    athlete = signed_in(coached, "sam")
    assert athlete.get("/coach/club").status_code == 404
    token = csrf_of(athlete.get("/account").text)
    posted = athlete.post(
        "/coach/club",
        data={"csrf_token": token, "athlete.equipment": ["barbell"]},
        follow_redirects=False,
    )
    assert posted.status_code == 404
    assert club.club_defaults(coached) is None


def test_without_defaults_the_setup_form_is_as_before(coached: context.Database) -> None:
    setup = signed_in(coached, "coach").get("/setup").text
    assert 'id="club-note"' not in setup
    assert not re.search(r'name="athlete.equipment" value="[a-z_]+" checked', setup)


def test_an_athlete_account_has_no_coach_dashboard(coached: context.Database) -> None:
    athlete = signed_in(coached, "sam")
    assert athlete.get("/coach").status_code == 404
    assert athlete.get("/").status_code == 200  # their own diary is their home
