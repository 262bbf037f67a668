"""Athlete names that differ only in letter case and spaces are one name (a coach's trial:
"SAM " was added beside "Sam", and `--athlete sam` then listed "SAM , Sam"): adding an
athlete refuses them on every shell, and a name stored before the rule keeps working.
Through FastAPI's test client and the real command line, on a real SQLite file and a real
PostgreSQL server."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from calfcoach.services import context
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT
from tests.integration.test_club_api import _page_form

SAMPLE = (ROOT / "examples" / "profile.toml").read_text()
START = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)


def named(name: str) -> str:
    assert 'name = "Sam"' in SAMPLE
    return SAMPLE.replace('name = "Sam"', f'name = "{name}"')


@pytest.fixture
def client(database_url: str):
    settings = WebSettings(context.open_database(database_url), lambda: TUESDAY)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        for name in ("Sam", "Jo Lee"):
            made = test_client.post("/api/v1/athletes", json={"profile_toml": named(name)})
            assert made.status_code == 201, made.text
        yield test_client


def _names(client: TestClient) -> list[str]:
    return [row["name"] for row in client.get("/api/v1/athletes").json()]


@pytest.mark.parametrize("name", ["sam", "SAM", "jo lee", "JO  LEE", "Jo\u00a0Lee"])
def test_the_api_refuses_a_name_taken_in_another_case_or_spacing(
    client: TestClient, name: str
) -> None:
    refused = client.post("/api/v1/athletes", json={"profile_toml": named(name)})
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == "athlete.name"
    assert _names(client) == ["Jo Lee", "Sam"]


@pytest.mark.parametrize("name", ["SAM ", " Sam", "Kai "])
def test_the_api_refuses_spaces_around_a_name(client: TestClient, name: str) -> None:
    refused = client.post("/api/v1/athletes", json={"profile_toml": named(name)})
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "athlete.name"
    assert f"{name!r} has spaces before or after it" in error["message"]
    assert _names(client) == ["Jo Lee", "Sam"]


def _form(client: TestClient, name: str) -> dict[str, str]:
    return _page_form(client, **{"athlete.name": name})


@pytest.mark.parametrize("name", ["SAM ", "sam", "jo   lee"])
def test_the_first_run_form_refuses_a_name_taken_in_another_case_or_spacing(
    client: TestClient, name: str
) -> None:
    page = client.post("/setup", data=_form(client, name), follow_redirects=False)
    assert page.status_code == 422, page.text
    assert "athlete.name" in page.text
    assert _names(client) == ["Jo Lee", "Sam"]


def test_the_command_lines_init_refuses_another_spelling_of_a_stored_name(
    run_cli, tmp_path: Path
) -> None:
    """`init` adds or updates by name: a name that is a stored one in another letter case or
    spacing is neither, and the line says which athlete it is (the command line is the
    database's owner, who sees every athlete)."""
    db = str(tmp_path / "club.sqlite")
    profiles = {}
    for key, name in {"sam": "Sam", "lower": "sam", "spaced": " Sam", "lee": "JO  lee"}.items():
        profiles[key] = tmp_path / f"{key}.toml"
        profiles[key].write_text(named(name))
    assert run_cli("init", "--profile", str(profiles["sam"]), "--db", db).returncode == 0
    jo = tmp_path / "jo.toml"
    jo.write_text(named("Jo Lee"))
    assert run_cli("init", "--profile", str(jo), "--db", db).returncode == 0
    for key, parts in {
        "lower": ["field athlete.name: 'sam' is the stored athlete 'Sam'", "allowed: 'Sam'"],
        "lee": ["'JO  lee' is the stored athlete 'Jo Lee'"],
        "spaced": ["' Sam' has spaces before or after it"],
    }.items():
        refused = run_cli("init", "--profile", str(profiles[key]), "--db", db)
        assert refused.returncode == 2, refused.stderr
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("calfcoach: error: "), refused.stderr
        for part in parts:
            assert part in lines[0], lines[0]
    # The stored spelling still updates the athlete.
    again = run_cli("init", "--profile", str(profiles["sam"]), "--db", db)
    assert again.returncode == 0 and again.stdout.startswith("Updated Sam:"), again.stderr
    database = context.open_database(f"sqlite:///{db}")
    with database.unit_of_work(read_only=True) as uow:
        assert uow.athletes.names() == ["Jo Lee", "Sam"]


def test_a_name_stored_before_the_rule_keeps_working(
    client: TestClient, run_cli, tmp_path: Path
) -> None:
    """A name "SAM " stored beside "Sam" before this rule (the trial's database): its diary
    reads, and its own profile can still be changed under its own name, on the command line
    and through the API; nothing renames it."""
    db = client.app.state.settings.database  # type: ignore[attr-defined]
    with db.unit_of_work() as uow:
        uow.athletes.save("SAM ", named("SAM "))
        uow.commit()
    heavier = named("SAM ").replace("body_mass_kg = 68", "body_mass_kg = 70")
    changed = client.put(
        "/api/v1/athlete", params={"athlete": "SAM "}, json={"profile_toml": heavier}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "SAM " and changed.json()["created"] is False
    today = client.get("/api/v1/today", params={"athlete": "SAM "})
    assert today.status_code == 200, today.text
    assert _names(client) == ["Jo Lee", "SAM ", "Sam"]
    if not db.url.startswith("sqlite"):
        return
    profile = tmp_path / "sam-space.toml"
    profile.write_text(heavier)
    updated = run_cli("init", "--profile", str(profile), "--db", db.url)
    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.startswith("Updated SAM :"), updated.stdout
    assert _names(client) == ["Jo Lee", "SAM ", "Sam"]


def test_restore_keeps_names_as_they_were_backed_up(client: TestClient, tmp_path: Path) -> None:
    """A backup of a database made before the rule (two spellings of one name) restores as
    it was: refusing it would lose a diary, and renaming one would change a stored name."""
    from calfcoach.services.backup import export_backup, restore_backup

    db = client.app.state.settings.database  # type: ignore[attr-defined]
    with db.unit_of_work() as uow:
        uow.athletes.save("SAM ", named("SAM "))
        uow.commit()
    document = export_backup(db)
    fresh = context.open_database(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    restore_backup(fresh, document, "backup.json", today=TUESDAY)
    with fresh.unit_of_work(read_only=True) as uow:
        assert uow.athletes.names() == ["Jo Lee", "SAM ", "Sam"]
