"""Schemathesis as a signed-in athlete (issue 16): every API operation called with one
athlete's ``Authorization: Bearer`` token answers no 5xx, matches its schema, and never holds
another athlete's data — a second athlete with distinctive names and values shares the
database, and none of them may appear in any response."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from calfcoach.services import accounts, context
from calfcoach.services import athletes as athletes_service
from calfcoach.services.access import LOCAL_OWNER
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT
from tests.integration.test_api_schema import CHECKS

TODAY = date(2026, 11, 30)
SAMPLE = ROOT / "examples" / "profile.toml"
# The other athlete: a name, an account name and a body mass no generated request makes up.
OTHER = "Xanthippe Quorvald"
OTHER_ACCOUNT = "quorvald-account"
OTHER_MASS = "93.7"


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, str, str]:
    """Sam with an athlete account and a token; the other athlete with a diary, an account,
    a token and a coach. Returns the app, Sam's token and the other athlete's token."""
    folder: Path = tmp_path_factory.mktemp("schemathesis-token")
    database = context.open_database(f"sqlite:///{folder / 'club.sqlite'}")
    athletes_service.init_athlete(database, SAMPLE, TODAY - timedelta(days=7), TODAY)
    other = folder / "other.toml"
    other.write_text(
        SAMPLE.read_text()
        .replace('name = "Sam"', f'name = "{OTHER}"')
        .replace("body_mass_kg = 68", f"body_mass_kg = {OTHER_MASS}")
    )
    athletes_service.init_athlete(database, other, TODAY - timedelta(days=7), TODAY)
    # The other athlete's diary, written as the local owner before any account exists.
    owner = TestClient(create_app(WebSettings(database, lambda: TODAY)))
    day = (TODAY - timedelta(days=1)).isoformat()
    logged = owner.post(
        f"/api/v1/sets?athlete={OTHER}",
        json={"date": day, "exercise": "pogo-hops", "reps": 17, "sets": 2},
    )
    assert logged.status_code == 201, logged.text
    checked = owner.post(f"/api/v1/checkins?athlete={OTHER}", json={"date": day, "pain_during": 3})
    assert checked.status_code == 201, checked.text
    password = "a long enough password"
    accounts.add_user(database, "sam", "athlete", password, "Sam", LOCAL_OWNER)
    accounts.add_user(database, OTHER_ACCOUNT, "athlete", password, OTHER, LOCAL_OWNER)
    accounts.add_user(database, "coach-kim", "coach", password, None, LOCAL_OWNER)
    accounts.grant(database, OTHER, "coach-kim", "edit", LOCAL_OWNER)
    app = create_app(WebSettings(database, lambda: TODAY))
    return (
        app,
        accounts.new_token(database, "sam", LOCAL_OWNER),
        accounts.new_token(database, OTHER_ACCOUNT, LOCAL_OWNER),
    )


def _markers(other_token: str) -> tuple[str, ...]:
    return (OTHER, OTHER.split()[0], OTHER_ACCOUNT, "coach-kim", other_token, OTHER_MASS)


def test_the_token_signs_in_as_sam_only(club: tuple[object, str, str]) -> None:
    # The generated test below means something only if the token works and the other athlete
    # is really there for another identity.
    app, token, other_token = club
    client = TestClient(app)  # type: ignore[arg-type]
    assert client.get("/api/v1/athletes").status_code == 401
    mine = client.get("/api/v1/athletes", headers={"Authorization": f"Bearer {token}"})
    assert mine.json() == [{"name": "Sam"}]
    theirs = client.get("/api/v1/history", headers={"Authorization": f"Bearer {other_token}"})
    assert theirs.status_code == 200 and OTHER_MASS not in theirs.text  # mass is profile-only
    profile = client.get(
        "/api/v1/athletes", headers={"Authorization": f"Bearer {other_token}"}
    ).json()
    assert profile == [{"name": OTHER}]
    unknown = client.get(
        f"/api/v1/today?athlete={OTHER}", headers={"Authorization": f"Bearer {token}"}
    )
    assert unknown.status_code == 404 and OTHER not in unknown.text


def test_generated_requests_with_a_token_leak_no_other_athlete(
    club: tuple[object, str, str],
) -> None:
    app, token, other_token = club
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, headers=headers)
    markers = _markers(other_token)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    answered: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)
            answered.append(response.status_code)
            leaked = [marker for marker in markers if marker in response.text]
            assert leaked == [], f"{case.method} {case.formatted_path}: {leaked}"

        check()
    # Not all refused: the token reached the diary on many calls.
    assert sum(1 for status in answered if status < 300) >= 20, sorted(set(answered))
