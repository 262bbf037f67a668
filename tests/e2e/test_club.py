"""Club mode in Debian's Chromium (issue 16): a coach invites an athlete, the athlete accepts at
"view", the coach's dashboard and the athlete's pages follow, the athlete revokes and the coach
gets 404; a phone pairs by the ``serve --lan`` link (and signs in once accounts exist) and logs
a set; sign-in is rate-limited per name; the new pages meet the accessibility basics.

Every server here is the real ``calfcoach serve`` on a SQLite file the real command line set up.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, expect

from calfcoach.store.tables import audit, set_logs
from tests.conftest import ROOT, cli_path
from tests.e2e.conftest import E2E_TODAY, free_port, screenshot, stop_server

SAMPLE = ROOT / "examples" / "profile.toml"
PASSWORDS = {"kim": "kim's long password", "sam": "sam's long password", "riley": "riley pw 123"}


@dataclass
class Club:
    base: str
    db: Path
    log: Path

    def cli(self, *args: str, stdin: str = "") -> str:
        return _cli(self.db, *args, stdin=stdin)


def _cli(db: Path, *args: str, stdin: str = "") -> str:
    env = {**os.environ, "CALFCOACH_TODAY": E2E_TODAY, "CALFCOACH_DB": str(db)}
    result = subprocess.run(
        [cli_path(), *args], input=stdin, capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, f"calfcoach {' '.join(args)}: {result.stderr}"
    return result.stdout


def _athlete(db: Path, tmp_path: Path, name: str, start: str) -> None:
    profile = tmp_path / f"{name}.toml"
    profile.write_text(SAMPLE.read_text().replace('name = "Sam"', f'name = "{name}"'))
    _cli(db, "init", "--profile", str(profile), "--start", start)


def _accounts(db: Path) -> None:
    _cli(db, "user", "add", "kim", "--role", "coach", "--password-stdin", stdin=PASSWORDS["kim"])
    for user, athlete in (("sam", "Sam"), ("riley", "Riley")):
        _cli(
            db,
            *("user", "add", user, "--role", "athlete", "--athlete", athlete, "--password-stdin"),
            stdin=PASSWORDS[user],
        )


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., tuple[str, str]]]:
    """Starts ``calfcoach serve`` with the given options on a database; returns its base URL
    and what it printed on start. Stopped (and checked for tracebacks) after the test."""
    running: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(db: Path, *options: str, host: str = "127.0.0.1") -> tuple[str, str]:
        port = free_port()
        log = tmp_path / f"serve-{port}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [cli_path(), "serve", "--port", str(port), "--db", str(db), *options],
                env={**os.environ, "CALFCOACH_TODAY": E2E_TODAY},
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        running.append((process, log))
        base = f"http://{host}:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    return base, log.read_text()
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"calfcoach serve did not start: {log.read_text()}")
            time.sleep(0.1)

    yield start
    for process, _ in running:  # every server stopped before any log is checked
        stop_server(process)
    for _, log in running:
        assert "Traceback" not in log.read_text(), log.read_text()


@pytest.fixture(scope="module")
def club_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The club's database, set up once by the real command line: each test gets a copy of
    the file (setting it up is a dozen calfcoach processes, most of a test's time)."""
    folder = tmp_path_factory.mktemp("club")
    db = folder / "club.sqlite"
    _athlete(db, folder, "Sam", "2026-11-16")
    _athlete(db, folder, "Riley", "2026-11-16")
    _accounts(db)
    return db


@pytest.fixture
def club(tmp_path: Path, club_database: Path, start_server: Callable[..., tuple[str, str]]) -> Club:
    """Sam (plan from two weeks back) and Riley, an athlete account each, coach kim with no
    access yet; the app on loopback, on this test's own copy of the database."""
    db = tmp_path / "club.sqlite"
    for suffix in ("", "-wal", "-shm"):  # the whole database, should a WAL file be left
        source = club_database.with_name(club_database.name + suffix)
        if source.exists():
            shutil.copyfile(source, db.with_name(db.name + suffix))
    base, _ = start_server(db)
    return Club(base, db, tmp_path / "serve.log")


def _context(browser: Browser, **options: object) -> BrowserContext:
    """A phone-sized context; its service worker blocked unless ``service_workers="allow"``
    (a test of what it keeps offline): without it pages and forms reach the server directly."""
    options.setdefault("service_workers", "block")
    context = browser.new_context(viewport={"width": 390, "height": 844}, **options)
    context.set_default_timeout(10_000)
    return context


def sign_in(page: Page, base: str, user: str, next_path: str = "/") -> None:
    page.goto(f"{base}/signin?next={next_path}")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORDS[user])
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/signin"))


def _strength_days(db: Path, athlete: str) -> list[date]:
    """The strength days of the athlete's stored plan (read from the backup document)."""
    backup = json.loads(_cli(db, "export", "--format", "json"))
    (found,) = [a for a in backup["athletes"] if a["name"] == athlete]
    (plan,) = [p for p in found["plans"] if p["current"]]
    return [
        date.fromisoformat(day["date"])
        for week in json.loads(plan["document"])["weeks"]
        for day in week["days"]
        if any(s["kind"] == "strength" for s in day["sessions"])
    ]


def test_invite_accept_dashboard_then_revoke_ends_the_coachs_access(
    browser: Browser, club: Club
) -> None:
    today = date.fromisoformat(E2E_TODAY)
    window = [d for d in _strength_days(club.db, "Sam") if today - timedelta(days=14) <= d < today]
    assert len(window) >= 2, window
    logged = window[0]
    club.cli("log", "pogo-hops", "--reps", "20", "--date", logged.isoformat(), "--athlete", "Sam")
    assert "amber" in club.cli("checkin", "--pain-during", "4", "--athlete", "Sam")

    coach_context, athlete_context = _context(browser), _context(browser)
    coach, athlete = coach_context.new_page(), athlete_context.new_page()
    sign_in(coach, club.base, "kim")
    coach.goto(club.base + "/coach")
    expect(coach.get_by_role("heading", level=1)).to_have_text("Athletes")
    expect(coach.get_by_text("No athlete has given you access yet")).to_be_visible()
    # Before any invitation, Sam's diary is the same 404 as an athlete that does not exist.
    assert coach.request.get(club.base + "/week?athlete=Sam").status == 404
    assert coach.request.get(club.base + "/api/v1/today?athlete=Sam").status == 404

    coach.goto(club.base + "/sharing")
    coach.get_by_role("link", name="Make an invitation link").click()
    link = coach.get_by_label(re.compile("Send this link")).input_value()
    assert re.fullmatch(re.escape(club.base) + r"/invite/[A-Za-z0-9_.-]+", link), link

    sign_in(athlete, club.base, "sam")
    athlete.goto(link)
    expect(athlete.get_by_role("heading", level=1)).to_have_text("kim asks to follow your training")
    athlete.get_by_role("radio", name=re.compile("View your plan")).check()
    athlete.get_by_role("button", name="Give access").click()
    expect(athlete).to_have_url(re.compile(r"/sharing$"))
    expect(athlete.get_by_role("listitem").filter(has_text="kim")).to_contain_text("kim: view")

    coach.goto(club.base + "/coach")
    row = coach.get_by_role("row", name=re.compile("^Sam"))
    cells = row.get_by_role("cell")
    expect(cells.nth(0)).to_have_text(f"1 of {len(window)}")  # adherence, last 2 weeks
    expect(cells.nth(1)).to_have_text("amber")  # the last check-in's zone
    expect(cells.nth(2)).to_have_text(f"{(today - logged).days} days ago")
    expect(coach.get_by_role("row", name=re.compile("^Riley"))).to_have_count(0)
    screenshot(coach, "club-01-dashboard")
    row.get_by_role("link", name="week").click()
    expect(coach).to_have_url(re.compile(r"/week\?athlete=Sam$"))
    expect(coach.get_by_role("heading", level=1)).to_contain_text("Week of")
    coach.goto(club.base + "/coach")
    coach.get_by_role("row", name=re.compile("^Sam")).get_by_role("link", name="explain").click()
    expect(coach).to_have_url(re.compile(r"/explain\?athlete=Sam$"))
    expect(coach.get_by_role("heading", level=1)).to_be_visible()
    assert coach.request.get(club.base + "/api/v1/today?athlete=Sam").status == 200
    # Riley gave no access: still the 404 of an unknown athlete.
    assert coach.request.get(club.base + "/week?athlete=Riley").status == 404

    athlete.goto(club.base + "/sharing")
    athlete.get_by_role("button", name="End kim's access").click()
    expect(athlete.get_by_text("Nobody but you")).to_be_visible()

    for path in ("/week?athlete=Sam", "/explain?athlete=Sam", "/api/v1/today?athlete=Sam"):
        gone = coach.request.get(club.base + path)
        assert gone.status == 404, path
        assert "Riley" not in gone.text()  # a 404 lists no names
    coach.goto(club.base + "/coach")
    expect(coach.get_by_role("row", name=re.compile("^Sam"))).to_have_count(0)
    expect(coach.get_by_text("No athlete has given you access yet")).to_be_visible()
    # The athlete's history shows who gave and ended the access.
    athlete.goto(club.base + "/progress")
    changes = athlete.get_by_role("table", name="Who changed what, newest first")
    expect(changes).to_contain_text("revoke")
    expect(changes).to_contain_text("grant")
    coach_context.close()
    athlete_context.close()


def test_a_coach_with_edit_access_is_shown_on_the_athletes_history(
    browser: Browser, club: Club
) -> None:
    club.cli("grant", "--athlete", "Sam", "--coach", "kim", "--level", "edit")
    coach_context, athlete_context = _context(browser), _context(browser)
    coach, athlete = coach_context.new_page(), athlete_context.new_page()
    sign_in(coach, club.base, "kim")
    answer = coach.request.post(
        club.base + "/api/v1/checkins?athlete=Sam",
        data={"date": "2026-11-30", "pain_during": 1},
    )
    assert answer.status < 300, answer.text()
    sign_in(athlete, club.base, "sam")
    athlete.goto(club.base + "/progress")
    changes = athlete.get_by_role("table", name="Who changed what, newest first")
    newest = changes.get_by_role("row").nth(1)
    expect(newest).to_contain_text("kim")
    expect(newest).to_contain_text("POST /api/v1/checkins")
    coach_context.close()
    athlete_context.close()


def test_sign_in_is_rate_limited_per_name(browser: Browser, club: Club) -> None:
    context = _context(browser)
    page = context.new_page()
    page.goto(club.base + "/signin")
    for _ in range(5):
        page.get_by_label("User name").fill("sam")
        page.get_by_label("Password").fill("not the password")
        with page.expect_response(re.compile(r"/signin$")) as answer:
            page.get_by_role("button", name="Sign in").click()
        assert answer.value.status == 401
        expect(page.get_by_role("alert")).to_have_text("wrong user name or password")
    # The sixth attempt is refused even with the right password, with its own message.
    page.get_by_label("User name").fill("sam")
    page.get_by_label("Password").fill(PASSWORDS["sam"])
    with page.expect_response(re.compile(r"/signin$")) as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 429
    expect(page.get_by_role("alert")).to_contain_text("too many failed sign-ins")
    assert page.request.get(club.base + "/api/v1/today").status == 401  # not signed in
    screenshot(page, "club-02-rate-limited")
    # Another name is not locked out by sam's failures.
    sign_in(page, club.base, "riley")
    context.clear_cookies()
    # Once the 15-minute window has passed (the failures made older in the database), the
    # right password works again.
    engine = sa.create_engine(f"sqlite:///{club.db}")
    with engine.begin() as conn:
        failed = conn.execute(sa.select(audit.c.id, audit.c.at).where(audit.c.detail == "sam"))
        for row_id, at in failed.all():
            conn.execute(
                sa.update(audit).where(audit.c.id == row_id).values(at=at - timedelta(minutes=16))
            )
    engine.dispose()
    sign_in(page, club.base, "sam")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.request.get(club.base + "/api/v1/today").status == 200
    context.close()


def _lan_server(start_server: Callable[..., tuple[str, str]], db: Path) -> tuple[str, str]:
    """``serve --lan`` on this computer's network address (not loopback: the phone must not
    be let through as this computer). Skipped where the machine has no network address."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))
            address = sock.getsockname()[0]
        except OSError:
            address = ""
    if not address or address.startswith("127."):
        pytest.skip("this machine has no local network address for serve --lan")
    return start_server(db, "--lan", host=address)


def _log_first_set(page: Page) -> None:
    card = page.locator("article.card").first
    card.get_by_role("button", name=re.compile(r"^Log set 1 of \d")).click()
    expect(
        page.locator("article.card").first.get_by_role("list", name="Logged sets")
    ).to_contain_text("Set 1")


def test_pages_kept_offline_after_the_session_ends_leave_the_sign_in_form_working(
    browser: Browser, club: Club
) -> None:
    """The service worker keeps this week's pages in the background. Once the session has ended
    they redirect to /signin; following that rendered a sign-in page whose fresh CSRF cookie
    replaced the one of the form on screen, and the next sign-in said "the form has expired"."""
    context = _context(browser, service_workers="allow")
    page = context.new_page()
    sign_in(page, club.base, "riley", "/today")
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    pages = page.evaluate("() => document.body.dataset.offlinePages.split(' ')")
    assert pages
    context.clear_cookies()
    kept = page.evaluate(
        """(urls) => new Promise((resolve) => {
            setTimeout(() => resolve('no reply in 10 s'), 10000);
            navigator.serviceWorker.addEventListener('message', (event) => {
                if (event.data && event.data.type === 'pages-kept' && event.data.id === 'test') {
                    resolve(event.data.count);
                }
            });
            navigator.serviceWorker.controller.postMessage({type: 'cache-pages', urls, id: 'test'});
        })""",
        pages,
    )
    assert kept == 0  # signed out: nothing kept, nothing followed
    assert [c["name"] for c in context.cookies()] == []
    sign_in(page, club.base, "riley", "/today")
    context.close()


def test_a_phone_pairs_by_the_lan_link_and_logs_a_set(
    browser: Browser, tmp_path: Path, start_server: Callable[..., tuple[str, str]]
) -> None:
    db = tmp_path / "lan.sqlite"
    _athlete(db, tmp_path, "Sam", "2026-11-30")
    base, printed = _lan_server(start_server, db)
    links = re.findall(re.escape(base) + r"/pair/[A-Za-z0-9_-]+", printed)
    assert len(links) == 1, printed

    phone_context = _context(browser, has_touch=True, is_mobile=True)
    phone = phone_context.new_page()
    phone.goto(base + "/today")
    expect(phone).to_have_url(base + "/pair")  # not paired yet: nothing of the diary
    expect(phone.get_by_role("heading", level=1)).to_have_text("Pair this device")
    phone.goto(links[0])
    expect(phone).to_have_url(re.compile(r"/today$"))
    _log_first_set(phone)
    screenshot(phone, "club-03-paired-phone")

    # The link worked once: another browser is refused, and has no diary.
    other_context = _context(browser)
    other = other_context.new_page()
    assert other.goto(links[0]).status == 403
    assert other.request.get(base + "/api/v1/today").status == 401
    with sa.create_engine(f"sqlite:///{db}").connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(set_logs)) == 1
        actors = conn.scalars(sa.select(audit.c.actor).where(audit.c.action.like("%/sets%")))
        assert set(actors.all()) == {"device"}  # the write is recorded as the paired phone
    phone_context.close()
    other_context.close()


def test_with_accounts_the_phone_signs_in_instead_of_pairing(
    browser: Browser, tmp_path: Path, start_server: Callable[..., tuple[str, str]]
) -> None:
    # Once accounts exist, serve --lan prints no pairing link: everyone signs in (a pairing
    # link would let a device in as nobody in particular).
    db = tmp_path / "lan-club.sqlite"
    _athlete(db, tmp_path, "Sam", "2026-11-30")
    _athlete(db, tmp_path, "Riley", "2026-11-30")
    _accounts(db)
    base, printed = _lan_server(start_server, db)
    assert "/pair/" not in printed and "everyone signs in" in printed
    phone_context = _context(browser, has_touch=True, is_mobile=True)
    phone = phone_context.new_page()
    assert phone.goto(base + "/pair/anything").status in (303, 200)
    expect(phone).to_have_url(re.compile(r"/signin\?next="))
    sign_in(phone, base, "sam", "/today")
    expect(phone).to_have_url(re.compile(r"/today$"))
    _log_first_set(phone)
    with sa.create_engine(f"sqlite:///{db}").connect() as conn:
        actors = conn.scalars(sa.select(audit.c.actor).where(audit.c.action.like("%/sets%")))
        assert set(actors.all()) == {"sam"}
    phone_context.close()


# --- accessibility of the club pages ----------------------------------------------------------

CLUB_PAGES = (
    ("/signin", None),
    ("/sharing", "sam"),
    ("/sharing?invite=1", "kim"),
    ("/coach", "kim"),
    ("/invite", "sam"),  # the invitation an athlete opens
    ("/progress", "sam"),  # the history with its changes
)


def _open_club_page(page: Page, club: Club, path: str, user: str | None) -> None:
    if user is not None:
        sign_in(page, club.base, user)
    if path == "/invite":
        club.cli("grant", "--athlete", "Sam", "--coach", "kim", "--level", "view")
        inviter = page.context.browser.new_context(service_workers="block")  # type: ignore[union-attr]
        coach = inviter.new_page()
        sign_in(coach, club.base, "kim")
        coach.goto(club.base + "/sharing?invite=1")
        path = coach.get_by_label(re.compile("Send this link")).input_value()
        inviter.close()
        page.goto(path)
        return
    page.goto(club.base + path)


@pytest.mark.parametrize(("path", "user"), CLUB_PAGES)
def test_club_pages_meet_the_accessibility_basics(
    browser: Browser, club: Club, path: str, user: str | None
) -> None:
    context = _context(browser)
    page = context.new_page()
    _open_club_page(page, club, path, user)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => el.type !== 'hidden')
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby'))
            .map(el => el.outerHTML)"""
    )
    assert unlabelled == []
    nameless = page.evaluate(
        """() => [...document.querySelectorAll('button, a[href]')]
            .filter(el => !(el.innerText || el.textContent || '').trim()
                          && !el.getAttribute('aria-label'))
            .map(el => el.outerHTML)"""
    )
    assert nameless == []
    headless_tables = page.evaluate(
        """() => [...document.querySelectorAll('table')]
            .filter(t => !t.querySelector('th')).map(t => t.outerHTML.slice(0, 80))"""
    )
    assert headless_tables == []
    # Keyboard: Tab reaches every link, field and button, each with a visible focus mark.
    focusable = page.evaluate(
        """() => [...document.querySelectorAll(
            'a[href], button, input:not([type=hidden]), select, textarea'
        )].filter(el => el.offsetParent !== null).length"""
    )
    unmarked: list[str] = []
    for _ in range(2 * focusable + 10):  # charts may hold tab stops of their own
        page.keyboard.press("Tab")
        seen = page.evaluate(
            """() => { const el = document.activeElement; if (!el || el === document.body)
                return null; el.dataset.tabbed = 'yes'; const s = getComputedStyle(el);
                // Chromium marks a focused date field by highlighting its day, month or
                // year inside the field, not with an outline on the field.
                const marked = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                    || s.boxShadow !== 'none' || el.type === 'date';
                return [el.outerHTML.slice(0, 120), marked]; }"""
        )
        if seen is not None and not seen[1]:
            unmarked.append(seen[0])
    assert unmarked == []
    missed = page.evaluate(
        """() => [...document.querySelectorAll(
            'a[href], button, input:not([type=hidden]), select, textarea'
        )].filter(el => el.offsetParent !== null && el.dataset.tabbed !== 'yes')
          // A radio group is one tab stop (arrow keys move within it): its checked radio.
          .filter(el => !(el.type === 'radio' && !el.checked))
          .map(el => el.outerHTML.slice(0, 120))"""
    )
    assert missed == []  # every link, field and button is reached by Tab
    screenshot(page, "club-page" + path.replace("/", "-").replace("?", "-"))
    context.close()


@pytest.mark.parametrize(("path", "user"), CLUB_PAGES)
def test_club_pages_work_at_200_percent_zoom(
    browser: Browser, club: Club, path: str, user: str | None
) -> None:
    # A 1280×800 desktop at 200 % zoom lays out like a 640×400 viewport at twice the pixels.
    context = browser.new_context(
        viewport={"width": 640, "height": 400}, device_scale_factor=2, service_workers="block"
    )
    page = context.new_page()
    _open_club_page(page, club, path, user)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 200 % zoom"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    context.close()
