"""One phone, no network, several runners (issue 13, a club's trial), in Debian's Chromium:
signing out leaves no diary readable offline; a set logged offline waits for the account that
logged it and is never stored under another; a check-in saved offline waits and is sent once;
undo and "Log the whole session" offline say they need a connection; a waiting set can be
removed; the offline page links to pages that open offline; the rest timer is the runner's."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import ROOT
from tests.e2e import test_club
from tests.e2e.test_club import Club, sign_in

# The club's fixtures (Sam and Riley, an athlete account each, on a copy of one database).
start_server = test_club.start_server
club_database = test_club.club_database
club = test_club.club


def _context(browser: Browser) -> BrowserContext:
    """A phone whose service worker keeps pages offline: what every test here is about."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, service_workers="allow"
    )
    context.set_default_timeout(15_000)
    return context


def _wait_for_kept_pages(page: Page) -> list[str]:
    """Wait until the service worker controls the page and keeps this week's pages and this
    one."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    for _ in range(300):
        kept = page.evaluate(
            """async () => {
                const pages = document.body.dataset.offlinePages.split(' ');
                const wanted = [...pages, location.href];
                const found = await Promise.all(wanted.map(p => caches.match(p)));
                return found.every(Boolean) ? pages : null;
            }"""
        )
        if kept:
            return list(kept)
        page.wait_for_timeout(100)
    pytest.fail("the service worker did not keep this week's pages")


def _sets_of(db: Path, athlete: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT s.exercise, s.client_id FROM set_logs s JOIN athletes a "
            "ON a.id = s.athlete_id WHERE a.name = ? ORDER BY s.id",
            (athlete,),
        ).fetchall()


def _waiting(page: Page) -> list[dict]:
    """Every item in the phone's store, whichever account's (IndexedDB read directly)."""
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open('calfcoach');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const db = open.result;
                const all = db.transaction('pending-sets').objectStore('pending-sets').getAll();
                all.onsuccess = () => { db.close(); resolve(all.result); };
            };
        })"""
    )


def _sign_out(page: Page, base: str) -> None:
    page.goto(base + "/account")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signin"))


def test_signing_out_leaves_no_diary_offline_and_no_rest_timer_for_the_next_runner(
    browser: Browser, club: Club
) -> None:
    context = _context(browser)
    page = context.new_page()
    sign_in(page, club.base, "sam", "/today")
    kept = _wait_for_kept_pages(page)
    card = page.locator("article.card").first
    card.get_by_role("button", name=re.compile(r"^Log set 1 of \d")).click()
    expect(card.get_by_role("list", name="Logged sets")).to_contain_text("Set 1")
    expect(page.locator("#rest-bar")).to_contain_text("Rest")  # Sam's rest, running
    _sign_out(page, club.base)
    # Nothing of Sam's is left for the phone to show.
    for _ in range(100):
        left = page.evaluate(
            """async (kept) => {
                const found = await Promise.all(kept.map(p => caches.match(p)));
                return found.filter(Boolean).length;
            }""",
            kept,
        )
        if not left:
            break
        page.wait_for_timeout(100)
    assert left == 0, f"{left} of Sam's pages are still kept"
    context.set_offline(True)
    for path in kept[:3]:  # Today, Week and Check-in, as kept for Sam
        page.goto(club.base + path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Offline")
        expect(page.locator("main")).not_to_contain_text("Sam")
    context.set_offline(False)
    # Riley signs in on the same phone: Sam's rest timer is not hers.
    sign_in(page, club.base, "riley", "/today")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    page.wait_for_timeout(500)  # the bar would show at once (it is read on load)
    expect(page.locator("#rest-bar")).to_be_hidden()
    context.close()


def test_a_set_logged_offline_waits_for_its_own_account_on_a_shared_phone(
    browser: Browser, club: Club
) -> None:
    context = _context(browser)
    page = context.new_page()
    sign_in(page, club.base, "sam", "/account")  # kept as visited, for later
    page.goto(club.base + "/today")
    _wait_for_kept_pages(page)
    sam_key = page.evaluate("() => document.body.dataset.account")
    context.set_offline(True)
    page.reload()
    card = page.locator("article.card").first
    card.get_by_role("button", name=re.compile(r"^Log set 1 of \d")).click()
    expect(page.locator("li.pending")).to_have_count(1)
    page.goto(club.base + "/account")  # still offline: the kept copy says what waits
    expect(page.locator("p.waiting-note")).to_contain_text("1 entry waits to sync")
    context.clear_cookies()  # Sam's session ends (a new password on another device)
    context.set_offline(False)
    sign_in(page, club.base, "riley", "/today")  # Riley, on Sam's phone
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    page.wait_for_timeout(1000)  # time for a flush to go wrong
    expect(page.locator("li.pending")).to_have_count(0)  # not shown to Riley
    expect(page.locator("#sync-note")).to_be_hidden()  # no "Not stored: … no such athlete"
    assert [item["account"] for item in _waiting(page)] == [sam_key]  # kept, not lost
    assert _sets_of(club.db, "Sam") == [] and _sets_of(club.db, "Riley") == []
    # Sent by hand under Riley it is refused, and not stored for anyone.
    item = _waiting(page)[0]
    answer = page.request.put(
        club.base + item["url"], data=item["body"], headers={"X-Calfcoach-Account": sam_key}
    )
    assert answer.status == 409, answer.text()
    assert answer.json()["error"]["code"] == "other_account"
    _sign_out(page, club.base)
    sign_in(page, club.base, "sam", "/today")  # Sam again: his set is sent, under him
    expect(page.locator("li.pending")).to_have_count(0)
    expect(card.get_by_role("list", name="Logged sets")).to_contain_text("Set 1")
    assert [row[1] for row in _sets_of(club.db, "Sam")] == [item["id"]]
    assert _waiting(page) == []
    context.close()


@pytest.fixture
def athlete(server: str) -> str:
    """The sample profile (Sam), whose plan holds a strength session today (Tuesday)."""
    profile = (ROOT / "examples" / "profile.toml").read_text()
    reply = httpx.post(
        f"{server}/api/v1/athletes", json={"profile_toml": profile, "start": "2026-11-30"}
    )
    assert reply.status_code == 201, reply.text
    return server


def _offline_on_today(phone: Page, base: str) -> Page:
    """Today with a set logged, kept by the service worker; then the network goes."""
    # The athlete named in the address, as a coach's link has it: the pages kept carry it.
    phone.goto(base + "/today?athlete=Sam")
    _wait_for_kept_pages(phone)
    card = phone.locator("article.card").first
    card.get_by_role("button", name=re.compile(r"^Log set 1 of \d")).tap()
    expect(card.get_by_role("list", name="Logged sets")).to_contain_text("Set 1")
    _wait_for_kept_pages(phone)
    for _ in range(300):  # the copy kept is the page with the set (and its undo)
        if phone.evaluate(
            "async () => (await (await caches.match(location.href)).text()).includes('undo-form')"
        ):
            break
        phone.wait_for_timeout(100)
    phone.context.set_offline(True)
    phone.reload()
    return phone


@pytest.mark.service_worker
def test_offline_undo_and_log_the_whole_session_say_they_need_a_connection(
    phone: Page, athlete: str
) -> None:
    _offline_on_today(phone, athlete)
    card = phone.locator("article.card").first
    note = phone.locator("#sync-note")
    # Undo and "Log the whole session" need the server: said here, nothing changed.
    card.get_by_role("button", name=re.compile("^Delete set 1")).tap()
    expect(note).to_contain_text("undo needs one")
    phone.get_by_role("button", name="Log the whole session as prescribed").tap()
    expect(note).to_contain_text("logging the whole session needs one")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Today")
    # A form sent past the page's script (a connection that only looked alive) gets a page
    # that says so, not the browser's error page.
    phone.evaluate("() => document.querySelector('.undo-form').submit()")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Not sent: no connection")
    phone.get_by_role("link", name="Back").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Today")
    # A set waiting to sync can be taken back.
    card.get_by_role("button", name=re.compile(r"^Log set 2 of \d")).tap()
    expect(card.locator("li.pending")).to_have_count(1)
    card.get_by_role("button", name=re.compile("^Remove the waiting set")).tap()
    expect(card.locator("li.pending")).to_have_count(0)
    expect(card.get_by_role("button", name=re.compile(r"^Log set 2 of \d"))).to_be_visible()
    phone.context.set_offline(False)
    phone.reload()
    expect(card.get_by_role("list", name="Logged sets")).to_have_text(
        re.compile(r"^\s*Set 1[^2]*$")
    )


def _check_in_offline(phone: Page, athlete: str) -> None:
    """A check-in (pain during 3, amber) saved with no network: it waits on the phone."""
    phone.goto(athlete + "/checkin?athlete=Sam")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Pain check-in")
    phone.locator("label.pip", has_text=re.compile(r"^3$")).first.tap()
    phone.get_by_role("button", name="Save check-in").tap()
    waiting = phone.get_by_role("list", name="Check-ins waiting to sync")
    expect(waiting).to_contain_text("pain during 3 — waiting to sync")
    expect(phone.locator("#sync-note")).to_contain_text("the check-in is kept on this phone")
    assert httpx.get(f"{athlete}/api/v1/checkins").json() == []


def _fire_background_sync(page: Page, origin: str) -> None:
    """The browser's Background Sync event for the queue, sent to the service worker now
    (Chromium's DevTools protocol), as a phone fires it when the network returns."""
    cdp = page.context.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(
            r["registrationId"] for r in event["registrations"] if not r["isDeleted"]
        ),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(100):
        if registrations:
            break
        page.wait_for_timeout(50)
    assert registrations, "no service worker registered"
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": origin,
            "registrationId": registrations[-1],
            "tag": "calfcoach-sets",
            "lastChance": False,
        },
    )
    cdp.detach()


def _stored_check_ins(athlete: str) -> list[tuple[str, int]]:
    stored = httpx.get(f"{athlete}/api/v1/checkins").json()
    return [(c["date"], c["pain_during"]) for c in stored]


@pytest.mark.service_worker
def test_offline_a_check_in_waits_and_the_offline_page_links_to_kept_pages(
    phone: Page, athlete: str
) -> None:
    _offline_on_today(phone, athlete)
    note = phone.locator("#sync-note")
    # The offline page links to the pages kept (with their athlete), not back to itself.
    phone.goto(athlete + "/progress?athlete=Sam")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Offline")
    phone.get_by_role("link", name="Check-in (Sam)").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Pain check-in")

    # A check-in saved offline waits, and the form keeps what was entered.
    phone.locator("label.pip", has_text=re.compile(r"^3$")).first.tap()
    phone.get_by_role("button", name="Save check-in").tap()
    waiting = phone.get_by_role("list", name="Check-ins waiting to sync")
    expect(waiting).to_contain_text("pain during 3 — waiting to sync")
    expect(note).to_contain_text("the check-in is kept on this phone")
    expect(phone.locator("input[name=pain_during][value='3']")).to_be_checked()
    assert httpx.get(f"{athlete}/api/v1/checkins").json() == []
    phone.reload()  # still offline: the page from the cache, the check-in from the store
    expect(waiting).to_contain_text("pain during 3")

    phone.context.set_offline(False)  # sent once, and said so
    expect(note).to_contain_text("stored (amber zone")
    expect(waiting).to_be_hidden()
    stored = httpx.get(f"{athlete}/api/v1/checkins").json()
    assert [(c["date"], c["pain_during"]) for c in stored] == [("2026-12-01", 3)]
    expect(phone.get_by_role("main")).to_contain_text("during 3")  # the recent check-ins


@pytest.mark.service_worker
def test_a_check_in_the_worker_sends_first_is_said_on_the_page(phone: Page, athlete: str) -> None:
    """Back online, the service worker's Background Sync and the page's own flush both send
    the queue; when the worker wins, the page still says what was stored (it reloaded with no
    note before: CI once failed on it)."""
    _offline_on_today(phone, athlete)
    _check_in_offline(phone, athlete)
    # This page's own flush finds nothing to send, as when the worker got there first.
    phone.evaluate(
        "() => { CalfQueue.flush = () => Promise.resolve({ sent: [], refused: [], left: 0 }); }"
    )
    phone.context.set_offline(False)
    _fire_background_sync(phone, athlete)
    expect(phone.locator("#sync-note")).to_contain_text("stored (amber zone")
    expect(phone.get_by_role("list", name="Check-ins waiting to sync")).to_be_hidden()
    assert _stored_check_ins(athlete) == [("2026-12-01", 3)]


@pytest.mark.service_worker
def test_a_check_in_the_worker_sends_with_no_page_open_is_said_on_the_next_page(
    phone: Page, athlete: str
) -> None:
    _offline_on_today(phone, athlete)
    _check_in_offline(phone, athlete)
    phone.goto("about:blank")  # no page of the app open
    phone.context.set_offline(False)
    _fire_background_sync(phone, athlete)
    for _ in range(100):
        if _stored_check_ins(athlete):
            break
        phone.wait_for_timeout(100)
    assert _stored_check_ins(athlete) == [("2026-12-01", 3)]
    phone.goto(athlete + "/today?athlete=Sam")
    expect(phone.locator("#sync-note")).to_contain_text("stored (amber zone")
    phone.reload()  # said once
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(phone.locator("#sync-note")).to_be_hidden()
