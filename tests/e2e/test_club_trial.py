"""A club's trial in Debian's Chromium (issue 13): "Why?" before a new athlete's plan starts,
the first-run form meant for adding that replaced an athlete of the same name, and the Account
page's current-password check without the sign-in page's limit. The real ``calfcoach serve``
on a SQLite file the real command line set up."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.conftest import ROOT, cli_path
from tests.e2e.conftest import E2E_TODAY, screenshot
from tests.e2e.test_club import (  # noqa: F401  (fixtures)
    PASSWORDS,
    Club,
    _context,
    club,
    club_database,
    sign_in,
    start_server,
)
from tests.e2e.test_setup_prefill import stored_profile_toml

SAMPLE = ROOT / "examples" / "profile.toml"


def _init(db: Path) -> None:
    """Sam from the sample profile, the plan from next Monday (7 December): a new athlete."""
    env = {**os.environ, "CALFCOACH_TODAY": E2E_TODAY}
    subprocess.run(
        [cli_path(), "init", "--profile", str(SAMPLE), "--db", str(db)],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_why_before_the_plan_starts_says_when_and_leads_to_its_first_session(
    phone: Page, server: str, tmp_path: Path
) -> None:
    _init(tmp_path / "e2e.sqlite")
    with phone.expect_response(re.compile(r"/explain")) as answer:
        phone.goto(server + "/explain?athlete=Sam")
    assert answer.value.status == 200
    expect(phone.get_by_text("Your plan starts on")).to_contain_text("Monday 7 December 2026")
    screenshot(phone, "club-trial-why-before-the-plan")
    phone.get_by_role("link", name="Why its first session is what it is").click()
    expect(phone).to_have_url(re.compile(r"/explain\?athlete=Sam&date=2026-12-08"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Why Tuesday 8 December")
    expect(phone.get_by_text("system load").first).to_be_visible()


def test_the_first_run_form_never_replaces_an_athlete(
    phone: Page, server: str, tmp_path: Path
) -> None:
    db = tmp_path / "e2e.sqlite"
    _init(db)
    before = stored_profile_toml(db, "Sam")
    for name in ("Sam", "sam", "   "):
        phone.goto(server + "/setup")
        phone.get_by_label("Name").fill(name)
        phone.get_by_label("Body mass").fill("60")
        with phone.expect_response(re.compile(r"/setup$")) as answer:
            phone.get_by_role("button", name="Make my plan").click()
        assert answer.value.status == 422
        alert = phone.get_by_role("alert").first
        if name.strip():
            expect(alert).to_contain_text("that name cannot be used here")
        else:
            expect(alert).to_contain_text("athlete.name")
    screenshot(phone, "club-trial-setup-name-taken")
    assert stored_profile_toml(db, "Sam") == before


def test_the_account_pages_current_password_locks_like_sign_in(
    browser: Browser,
    club: Club,  # noqa: F811  (the fixture imported above)
) -> None:
    context = _context(browser)
    page = context.new_page()
    sign_in(page, club.base, "sam", "/account")
    for _ in range(5):
        page.get_by_label("Current password").fill("a guess")
        page.get_by_label("New password (8 characters or more)").fill("a brand new one")
        with page.expect_response(re.compile(r"/account/password$")) as answer:
            page.get_by_role("button", name="Change password").click()
        assert answer.value.status == 422
        expect(page.get_by_role("alert")).to_contain_text("wrong password")
    page.get_by_label("Current password").fill(PASSWORDS["sam"])
    page.get_by_label("New password (8 characters or more)").fill("a brand new one")
    with page.expect_response(re.compile(r"/account/password$")) as answer:
        page.get_by_role("button", name="Change password").click()
    assert answer.value.status == 429
    expect(page.get_by_role("alert")).to_contain_text("too many wrong passwords")
    screenshot(page, "club-trial-account-locked")
    context.close()
    # The old password is still the password, and the sign-in page counts the same tries.
    other = _context(browser)
    page = other.new_page()
    page.goto(club.base + "/signin")
    page.get_by_label("User name").fill("sam")
    page.get_by_label("Password").fill(PASSWORDS["sam"])
    with page.expect_response(re.compile(r"/signin$")) as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 429
    expect(page.get_by_role("alert")).to_contain_text("too many failed sign-ins")
    other.close()
