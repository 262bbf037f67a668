"""What each role sees, in Debian's Chromium on a 390 px phone (issue 13, a club's trial): a
coach with view access gets read-only pages that say so, and a write from a page left open
since the access was edit answers 403 "view access only", not 404 "no such athlete"; an
athlete account is not offered "Add an athlete" and /setup tells it who adds athletes; the
coach dashboard fits the phone and words its red flags; the pages have their own titles; a
heel-raise test of 0 and 0 meets no symmetry goal.

The servers are the real ``calfcoach serve`` on a copy of test_club's database (Sam and
Riley, an athlete account each, coach kim with no access yet).
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e import test_club
from tests.e2e.conftest import E2E_TODAY, screenshot
from tests.e2e.test_club import SAMPLE, Club, _context, sign_in

# test_club's fixtures, for this module's tests: the club's database set up once, and a
# server on a copy of it for each test.
club_database = test_club.club_database
start_server = test_club.start_server
club = test_club.club


def test_a_coach_with_view_access_gets_read_only_pages_and_a_clear_403(
    browser: Browser, club: Club
) -> None:
    club.cli("grant", "--athlete", "Sam", "--coach", "kim", "--level", "edit")
    club.cli("log", "--as-prescribed", "--athlete", "Sam")  # today's session, logged
    context = _context(browser)
    coach = context.new_page()
    sign_in(coach, club.base, "kim")
    coach.goto(club.base + "/today?athlete=Sam")
    # With edit access: the forms are there, and none says view access only.
    expect(coach.locator("form.log-form").first).to_be_visible()
    expect(coach.get_by_text("View access only")).to_have_count(0)
    log_form = coach.locator("form.log-form").first

    club.cli("grant", "--athlete", "Sam", "--coach", "kim", "--level", "view")
    # The page open since edit access: its form (sent by the page's script) is refused, and
    # the page says why.
    log_form.locator("button[type=submit]").click()
    note = coach.locator("#sync-note")
    expect(note).to_contain_text("view access only")
    expect(note).not_to_contain_text("no such athlete")
    # The same form without the script: a 403 page saying why.
    (csrf,) = [c["value"] for c in context.cookies() if c["name"] == "calfcoach_csrf"]
    posted = coach.request.post(
        club.base + "/today/log?athlete=Sam",
        form={"csrf_token": csrf, "date": E2E_TODAY, "exercise": "pogo-hops", "reps": "10"},
    )
    assert posted.status == 403, posted.text()
    assert "view access only" in posted.text() and "no such athlete" not in posted.text()

    for path in ("/today", "/checkin", "/progress", "/week", "/plan"):
        coach.goto(f"{club.base}{path}?athlete=Sam")
        expect(coach.get_by_role("status").filter(has_text="View access only")).to_be_visible()
        # No form that changes the diary: no log, undo, whole session, check-in or test.
        writes = coach.locator("main form[method=post]")
        expect(writes).to_have_count(0)
        screenshot(coach, "roles-view" + path.replace("/", "-"))
    # The API answers the same: 403 with the reason, not the 404 of a stranger.
    answer = coach.request.post(
        club.base + "/api/v1/sets?athlete=Sam",
        data={"date": E2E_TODAY, "exercise": "pogo-hops", "reps": 10},
    )
    assert answer.status == 403, answer.text()
    assert answer.json()["error"]["message"].startswith("view access only"), answer.text()
    # Sam's own pages keep every form.
    athlete_context = _context(browser)
    athlete = athlete_context.new_page()
    sign_in(athlete, club.base, "sam")
    athlete.goto(club.base + "/today")
    expect(athlete.locator("form.undo-form").first).to_be_visible()
    expect(athlete.get_by_text("View access only")).to_have_count(0)
    athlete.goto(club.base + "/checkin")
    expect(athlete.get_by_role("button", name="Save check-in")).to_be_visible()
    context.close()
    athlete_context.close()


def test_an_athlete_account_is_not_offered_adding_athletes(browser: Browser, club: Club) -> None:
    context = _context(browser)
    page = context.new_page()
    sign_in(page, club.base, "sam")
    page.goto(club.base + "/athletes")
    expect(page.get_by_role("link", name="Sam", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Add an athlete")).to_have_count(0)
    answer = page.goto(club.base + "/setup")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("alert")).to_have_text("only coaches and admins add athletes")
    made = page.request.post(
        club.base + "/api/v1/athletes",
        data={"profile_toml": SAMPLE.read_text().replace('name = "Sam"', 'name = "Mo"')},
    )
    assert made.status == 403
    assert made.json()["error"]["message"] == "only coaches and admins add athletes"
    context.close()
    # A coach is offered it.
    club.cli("grant", "--athlete", "Sam", "--coach", "kim", "--level", "view")
    club.cli("grant", "--athlete", "Riley", "--coach", "kim", "--level", "view")
    coach_context = _context(browser)
    coach = coach_context.new_page()
    sign_in(coach, club.base, "kim")
    coach.goto(club.base + "/athletes")
    expect(coach.get_by_role("link", name="Add an athlete")).to_be_visible()
    coach_context.close()


def test_the_coach_dashboard_fits_a_phone_and_words_its_red_flags(
    browser: Browser, club: Club
) -> None:
    for athlete in ("Sam", "Riley"):
        club.cli("grant", "--athlete", athlete, "--coach", "kim", "--level", "view")
    club.cli(
        *("checkin", "--pain-during", "2", "--red-flag", "calf_swelling_redness"),
        *("--athlete", "Riley"),
    )
    context = _context(browser)
    coach = context.new_page()
    sign_in(coach, club.base, "kim")
    coach.goto(club.base + "/coach")
    riley = coach.get_by_role("row", name=re.compile("^Riley"))
    expect(riley).to_contain_text("red flag: calf swelling with redness")
    expect(riley).not_to_contain_text("calf_swelling_redness")
    overflow = coach.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"/coach scrolls sideways by {overflow}px at 390 px"
    expect(riley.get_by_role("link", name="week")).to_be_in_viewport()
    screenshot(coach, "roles-dashboard-390")
    context.close()


def test_pages_have_their_own_titles_and_a_test_of_nothing_meets_no_goal(
    browser: Browser, club: Club
) -> None:
    context = _context(browser)
    page = context.new_page()
    sign_in(page, club.base, "sam")
    for path, title in (
        ("/checkin", "Check-in · calfcoach"),
        ("/progress", "Progress · calfcoach"),
        ("/plan", "Sam's plan · calfcoach"),
    ):
        page.goto(club.base + path)
        expect(page).to_have_title(title)
    page.goto(club.base + "/progress")
    page.get_by_label("Left, reps to failure").fill("0")
    page.get_by_label("Right, reps to failure").fill("0")
    page.get_by_role("button", name="Save test").click()
    tests = page.locator("#tests")
    expect(tests).to_contain_text("limb symmetry not measurable")
    expect(tests).not_to_contain_text("goal ≥ 0.90 met")
    context.close()
