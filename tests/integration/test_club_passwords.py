"""The Account page's "current password" check has the sign-in page's limit (a club's trial,
issue 13): eight wrong tries there were each a 422 and the ninth, right, changed the password;
a session left open on a shared computer was a way round the five tries of /signin. One count
serves both, on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from calfcoach.services import accounts
from calfcoach.web.app import WebSettings, create_app
from tests.integration.test_web_access import PASSWORD, TODAY, Club, csrf_of, sign_in


@pytest.fixture
def club(database_url: str) -> Club:
    return Club(database_url)


def _change(client: TestClient, current: str, new: str = "a brand new one") -> httpx.Response:
    page = client.get("/account")
    return client.post(
        "/account/password",
        data={"csrf_token": csrf_of(page), "current_password": current, "new_password": new},
    )


def test_the_current_password_check_locks_after_the_sign_in_pages_tries(club: Club) -> None:
    app = create_app(WebSettings(club.db, lambda: TODAY))
    with TestClient(app) as laptop, TestClient(app) as phone:
        assert sign_in(laptop, "sam", PASSWORD).status_code == 303
        for _ in range(accounts.SIGN_IN_ATTEMPTS):
            wrong = _change(laptop, "a guess")
            assert wrong.status_code == 422 and "wrong password" in wrong.text
        right = _change(laptop, PASSWORD)
        assert right.status_code == 429, right.text
        assert "too many wrong passwords for this account" in right.text
        # The password did not change, and the sign-in page counts the same tries.
        limited = sign_in(phone, "sam", PASSWORD)
        assert limited.status_code == 429 and "too many failed sign-ins" in limited.text
        # Another account is not locked by Sam's tries.
        assert sign_in(phone, "riley", PASSWORD).status_code == 303


def test_failed_sign_ins_count_toward_the_account_pages_limit(club: Club) -> None:
    sam = accounts.sign_in(club.db, "sam", PASSWORD)
    for _ in range(accounts.SIGN_IN_ATTEMPTS):
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(club.db, "sam", "a guess")
    with pytest.raises(accounts.PasswordsLimited):
        accounts.change_password(club.db, sam, PASSWORD, "a brand new one")
    # Once the window has passed, the right password changes it.
    later = datetime.now(UTC) + accounts.SIGN_IN_WINDOW + timedelta(seconds=1)
    accounts.change_password(club.db, sam, PASSWORD, "a brand new one", now=later)
    assert accounts.sign_in(club.db, "sam", "a brand new one", now=later).name == "sam"
