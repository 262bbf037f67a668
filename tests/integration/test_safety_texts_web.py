"""The Today and Why pages after a physio's review (issue 13): Achilles pain above 5/10 asks
to see a clinician there too (DOMAIN.md §6), and a raise that red pain made a hold shows the
hold's seconds on the Why page (§7)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from calfcoach.services import athletes, checkins, context, diary
from calfcoach.web.app import WebSettings, create_app
from tests.integration.test_safety_texts_cli import MASTERS_ACHILLES

START = date(2026, 11, 30)


def client_for(
    tmp_path: Path, profile_text: str, today: date
) -> tuple[context.Database, TestClient]:
    database = context.open_database(f"sqlite:///{tmp_path / 'pages.sqlite'}")
    athletes.init_athlete_from_text(database, profile_text, "profile.toml", START, START)
    return database, TestClient(create_app(WebSettings(database, lambda: today)))


def test_achilles_pain_above_5_reaches_the_today_and_why_pages(tmp_path: Path) -> None:
    _, client = client_for(
        tmp_path, MASTERS_ACHILLES.replace("pain_now = 0", "pain_now = 6"), START
    )
    said = "Pain above 5/10 with Achilles tendinopathy (6/10 in your profile)"
    assert said in client.get("/today").text
    assert said in client.get("/explain", params={"date": "2026-12-01"}).text


def test_achilles_hold_pain_5_asks_nothing_on_the_pages(tmp_path: Path) -> None:
    _, client = client_for(
        tmp_path, MASTERS_ACHILLES.replace("pain_now = 0", "pain_now = 5"), START
    )
    assert "physiotherapist" not in client.get("/today").text
    assert "physiotherapist" not in client.get("/explain", params={"date": "2026-12-01"}).text


def test_why_page_shows_a_hold_in_seconds(tmp_path: Path) -> None:
    tuesday, wednesday = date(2026, 12, 1), date(2026, 12, 2)
    database, client = client_for(tmp_path, MASTERS_ACHILLES, wednesday)
    diary.log_as_prescribed(database, None, tuesday, wednesday)
    checkins.record_checkin(database, None, tuesday, 2, 3, wednesday, pain_before=2)
    page = client.get("/explain", params={"date": "2026-12-03"}).text
    changes = page[page.index('<ul class="changes">') :]
    assert "→ 3 × 45 s hold." in changes  # it read "→ 3 × 1 @ body weight."
    assert "× 1 @" not in page


def test_why_page_shows_the_pair_a_red_hold_replaced_as_a_pair(tmp_path: Path) -> None:
    """The sample runner's two-legged raise is loaded with a pair of dumbbells; red makes it
    a hold. The change reads the raise's load as the pair it was ("2 × 2 kg"), never as the
    total, which reads as that much in each hand."""
    from tests.conftest import ROOT

    sample = (ROOT / "examples" / "profile.toml").read_text()
    tuesday, wednesday = date(2026, 12, 8), date(2026, 12, 9)
    database, client = client_for(tmp_path, sample, wednesday)
    checkins.record_checkin(database, None, tuesday, 7, 7, wednesday)
    page = client.get("/explain", params={"date": "2026-12-11"}).text
    changes = page[page.index('<ul class="changes">') :]
    assert re.search(r"@ 2 × \d+(\.\d+)? kg → 3 × \d+ s hold", changes), changes


def test_red_flag_r11_any_runner_s_run_day_says_see_a_clinician_first(tmp_path: Path) -> None:
    """Not only a calf strain's checklist: the day's run line on the Today page (§6 red
    flags; the conservative reading, physio review S4)."""
    tuesday = date(2026, 12, 1)  # a workout day in MASTERS_ACHILLES
    database, client = client_for(
        tmp_path, MASTERS_ACHILLES.replace("achilles_tendinopathy", "none"), tuesday
    )
    before = client.get("/today").text
    assert "before running" not in before  # held: no flag, nothing said
    checkins.record_checkin(database, None, tuesday, 1, None, tuesday, red_flag="swelling")
    page = client.get("/today").text
    assert f"see a clinician before running (swelling reported on {tuesday})" in page


def test_a_red_flag_on_the_pages_says_how_the_page_records_a_clearance(tmp_path: Path) -> None:
    """The stop notice told a phone to run `calfcoach checkin … --cleared-by-clinician` (a
    trial): the pages name the check-in form's box instead; the command line keeps its own."""
    from tests.conftest import ROOT

    sample = (ROOT / "examples" / "profile.toml").read_text()
    tuesday, wednesday = date(2026, 12, 8), date(2026, 12, 9)
    database, client = client_for(tmp_path, sample, wednesday)
    checkins.record_checkin(database, None, tuesday, 2, None, wednesday, red_flag="swelling")
    for page in (
        client.get("/today").text,
        client.get("/explain", params={"date": "2026-12-09"}).text,
    ):
        assert "A clinician has seen me and cleared me to train" in page
        assert "--cleared-by-clinician" not in page
