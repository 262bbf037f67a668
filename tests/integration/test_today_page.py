"""The Today page's done state: once every prescribed set is logged, a session summary with
the last time beside it; before that, none."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from calfcoach.services import athletes, context, diary
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT

TODAY = date(2026, 11, 30)


def test_the_summary_shows_when_the_session_is_done_beside_last_time(tmp_path: Path) -> None:
    database = context.open_database(f"sqlite:///{tmp_path / 'today.sqlite'}")
    athletes.init_athlete(database, ROOT / "examples" / "profile.toml", TODAY, TODAY)
    client = TestClient(create_app(WebSettings(database, lambda: TODAY)))
    first, second = date(2026, 12, 1), date(2026, 12, 8)  # two Tuesdays
    before = client.get("/today", params={"date": first.isoformat()}).text
    assert "Session done" not in before
    later = date(2026, 12, 9)  # logs are for days that have come
    diary.log_as_prescribed(database, None, first, later)
    done = client.get("/today", params={"date": first.isoformat()}).text
    assert "Session done" in done
    assert "this is your first time" in done
    assert "Log an extra set" in done
    logged = diary.log_as_prescribed(database, None, second, later)
    page = client.get("/today", params={"date": second.isoformat()}).text
    assert "Last time (Tue 1 Dec)" in page
    sets = len({(e.exercise, e.set_number) for e in logged})
    assert re.search(rf"<dt>Sets</dt><dd>{sets}</dd>", page)
    contacts = sum(e.reps for e in logged if e.exercise == "pogo-hops")
    assert f"<dt>Contacts</dt><dd>{contacts}</dd>" in page


def test_a_hold_posted_without_javascript_keeps_its_seconds(tmp_path: Path) -> None:
    database = context.open_database(f"sqlite:///{tmp_path / 'hold.sqlite'}")
    athletes.init_athlete(database, ROOT / "examples" / "profile.toml", TODAY, TODAY)
    tuesday = date(2026, 12, 1)  # the hold is logged on the day itself
    client = TestClient(create_app(WebSettings(database, lambda: tuesday)))
    client.get("/today")
    form = {
        "csrf_token": client.cookies.get("calfcoach_csrf"),
        "date": "2026-12-01",
        "exercise": "isometric-calf-hold",
        "reps": "1",
        "hold_s": "45",
        "rpe": "5",
    }
    posted = client.post("/today/log", data=form, follow_redirects=False)
    assert posted.status_code == 303
    sets = client.get("/api/v1/sets").json()
    assert [(s["exercise"], s["hold_s"], s["rpe"]) for s in sets] == [
        ("isometric-calf-hold", 45, 5.0)
    ]
    too_long = client.post("/today/log", data={**form, "hold_s": "601"})
    assert too_long.status_code == 422 and "hold_s" in too_long.text


def test_the_running_line_reads_naturally_for_every_run_kind(tmp_path: Path) -> None:
    """Issue 13 (a new user's trial): the Today page said "Running: run workout" (and
    "Running: no run"); each run kind of the profile contract, and the race, now reads as
    English after the label."""
    profile = tmp_path / "marathon.toml"
    profile.write_text(
        (ROOT / "examples" / "marathon.toml")
        .read_text()
        .replace("race_date = 2027-04-18", "race_date = 2027-01-17")
    )
    database = context.open_database(f"sqlite:///{tmp_path / 'run.sqlite'}")
    athletes.init_athlete(database, profile, TODAY, TODAY)
    client = TestClient(create_app(WebSettings(database, lambda: TODAY)))
    expected = {
        "2026-11-30": "rest day",  # Monday: rest
        "2026-12-01": "workout (a hard run)",  # Tuesday: workout
        "2026-12-02": "easy run",  # Wednesday: easy
        "2026-12-06": "long run",  # Sunday: long
        "2027-01-17": "race day",  # the race
    }
    for day, words in expected.items():
        page = client.get("/today", params={"date": day}).text
        assert re.findall(r"Running: ([^<\n]+)", page) == [words], day
