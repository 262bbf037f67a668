"""One athlete lookup and one profile fetch a web request (issue 13): the access check, every
service a route calls and the audit row of a write share what the request read of the
athletes table (store.repositories.AthleteReads), on a real SQLite file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from calfcoach.services import athletes, context
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT

TODAY = date(2026, 12, 1)  # a Tuesday: a strength session today
PROFILE_FETCH = re.compile(r"SELECT athletes\.profile_toml FROM athletes", re.I)
# Any other read of the athletes table: by name, by id, or the list of names.
ATHLETE_LOOKUP = re.compile(r"SELECT athletes\.(name|id)\b[^()]*FROM athletes\b", re.I)


class Statements:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def lookups(self) -> list[str]:
        return [s for s in self.seen if ATHLETE_LOOKUP.search(s)]

    def profile_fetches(self) -> list[str]:
        return [s for s in self.seen if PROFILE_FETCH.search(s)]


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[TestClient, Statements]]:
    database = context.open_database(f"sqlite:///{tmp_path / 'lookups.sqlite'}")
    athletes.init_athlete(database, ROOT / "examples" / "profile.toml", TODAY, TODAY)
    statements = Statements()

    @event.listens_for(database.engine, "before_cursor_execute")
    def note(*args: object) -> None:
        statements.seen.append(" ".join(str(args[2]).split()))

    with TestClient(create_app(WebSettings(database, lambda: TODAY))) as client:
        client.get("/today")  # the CSRF cookie
        yield client, statements


def _form(client: TestClient, **fields: str) -> dict[str, str]:
    return {"csrf_token": client.cookies.get("calfcoach_csrf") or "", **fields}


REQUESTS = {
    "today": lambda c: c.get("/today"),
    "today of a named athlete": lambda c: c.get("/today", params={"athlete": "Sam"}),
    "week": lambda c: c.get("/week"),
    "progress": lambda c: c.get("/progress", params={"weeks": 12}),
    "log a set": lambda c: c.post(
        "/today/log",
        data=_form(
            c,
            date=TODAY.isoformat(),
            exercise="seated-dumbbell-calf-raise",
            reps="10",
            load="20",
            rpe="8",
        ),
        follow_redirects=False,
    ),
    "check-in": lambda c: c.post(
        "/checkin",
        data=_form(c, date=TODAY.isoformat(), pain_during="2"),
        follow_redirects=False,
    ),
    "api today": lambda c: c.get("/api/v1/today"),
    "api sets": lambda c: c.get("/api/v1/sets"),
}


@pytest.mark.parametrize("kind", REQUESTS)
def test_a_request_looks_the_athlete_up_once_and_fetches_the_profile_once(
    web: tuple[TestClient, Statements], kind: str
) -> None:
    client, statements = web
    statements.seen.clear()
    response = REQUESTS[kind](client)
    assert response.status_code in (200, 303), response.text
    assert len(statements.lookups()) == 1, statements.lookups()
    assert len(statements.profile_fetches()) <= 1, statements.profile_fetches()


def test_a_profile_changed_in_a_request_is_read_again_within_it(tmp_path: Path) -> None:
    """The request's reads are forgotten when it writes the athletes table: a route that
    stores a profile and then plans from it sees the new one."""
    database = context.open_database(f"sqlite:///{tmp_path / 'changed.sqlite'}").for_request()
    athletes.init_athlete(database, ROOT / "examples" / "profile.toml", TODAY, TODAY)
    with database.unit_of_work(read_only=True) as uow:
        athlete_id, name = context.find_athlete(uow, None)
        before = uow.athletes.profile_toml(athlete_id)
    changed = before.replace('name = "Sam"', 'name = "Sam"\n# edited')
    with database.unit_of_work() as uow:
        uow.athletes.save(name, changed)
        uow.commit()
    with database.unit_of_work(read_only=True) as uow:
        assert uow.athletes.profile_toml(athlete_id) == changed
        assert uow.athletes.id_of(name) == athlete_id


def test_a_coachs_request_looks_the_athlete_up_once(tmp_path: Path) -> None:
    """Club mode: the access check of a coach's grant and the services it allows share the
    one lookup; the audit row of the write names the athlete without another."""
    from calfcoach.services import accounts
    from calfcoach.services.access import LOCAL_OWNER

    database = context.open_database(f"sqlite:///{tmp_path / 'club.sqlite'}")
    sample = (ROOT / "examples" / "profile.toml").read_text()
    for text in (sample, sample.replace('name = "Sam"', 'name = "Riley"')):
        athletes.init_athlete_from_text(database, text, "profile", TODAY, TODAY)
    accounts.add_user(database, "editor", "coach", "correct horse battery", None, LOCAL_OWNER)
    accounts.grant(database, "Sam", "editor", "edit", LOCAL_OWNER)
    token = accounts.new_token(database, "editor", LOCAL_OWNER)
    statements = Statements()

    @event.listens_for(database.engine, "before_cursor_execute")
    def note(*args: object) -> None:
        statements.seen.append(" ".join(str(args[2]).split()))

    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(WebSettings(database, lambda: TODAY))) as client:
        for method, path, body in (
            ("GET", "/api/v1/today", None),
            ("GET", "/api/v1/history", None),
            (
                "POST",
                "/api/v1/sets",
                {"exercise": "pogo-hops", "sets": 1, "reps": 10, "date": TODAY.isoformat()},
            ),
        ):
            statements.seen.clear()
            response = client.request(
                method, path, params={"athlete": "Sam"}, json=body, headers=headers
            )
            assert response.status_code in (200, 201), response.text
            assert len(statements.lookups()) == 1, (path, statements.lookups())
            assert len(statements.profile_fetches()) <= 1, (path, statements.profile_fetches())
            if method == "POST":
                assert any(s.startswith("INSERT INTO audit") for s in statements.seen)


def test_an_athlete_added_in_a_request_is_found_within_it(tmp_path: Path) -> None:
    """A name looked up before the athlete existed is looked up again once it is added (the
    coach who adds an athlete is then granted them, in the same request)."""
    database = context.open_database(f"sqlite:///{tmp_path / 'added.sqlite'}").for_request()
    with database.unit_of_work() as uow:
        assert uow.athletes.id_of("Ola") is None
        made = uow.athletes.save("Ola", (ROOT / "examples" / "profile.toml").read_text())
        assert uow.athletes.id_of("Ola") == made
        assert uow.athletes.names() == ["Ola"]
        uow.commit()


def test_what_another_writer_changes_during_a_request_is_seen_where_it_matters(
    tmp_path: Path,
) -> None:
    """A name another process adds is found (absence is never remembered), and a unit of
    work that writes reads the profile again (it must not re-plan or store from a profile
    replaced since the request read it), once per transaction."""
    url = f"sqlite:///{tmp_path / 'others.sqlite'}"
    request = context.open_database(url).for_request()
    other = context.open_database(url)  # another process: no share in the request's reads
    sample = (ROOT / "examples" / "profile.toml").read_text()
    with request.unit_of_work(read_only=True) as uow:
        assert uow.athletes.id_of("Sam") is None
    athletes.init_athlete_from_text(other, sample, "profile", TODAY, TODAY)
    with request.unit_of_work(read_only=True) as uow:
        athlete_id = uow.athletes.id_of("Sam")
        assert athlete_id is not None
        before = uow.athletes.profile_toml(athlete_id)
    changed = before + "\n# changed elsewhere\n"
    with other.unit_of_work() as uow:
        uow.athletes.save("Sam", changed)
        uow.commit()
    with request.unit_of_work() as uow:  # writes: the profile as it is now
        assert uow.athletes.profile_toml(athlete_id) == changed
        assert uow.athletes.profile_toml(athlete_id) == changed
    with request.unit_of_work(read_only=True) as uow:
        assert uow.athletes.profile_toml(athlete_id) == changed
