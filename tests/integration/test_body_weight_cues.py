"""A raise loaded in the hand but prescribed at body weight is cued without the weight: `today`,
the Today page and the calendar say "body weight" and never hand the runner a dumbbell (a
trial's runner read "BW" beside "a dumbbell in each hand")."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from icalendar import Calendar

from calfcoach.core.catalog import BODY_WEIGHT_CUE
from calfcoach.data import default_catalog
from calfcoach.services import athletes, context
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT, TODAY

SAMPLE = ROOT / "examples" / "profile.toml"
PLAN_START = date(2026, 11, 30)  # the Monday after the tests' today
IN_HAND = ("dumbbell in", "same-side hand", "in each hand", "kettlebell in")


def _plantar_profile(tmp_path: Path) -> Path:
    # The sample runner (dumbbells, a kettlebell, a step, a bench) with plantar heel pain: the
    # towel raise and the lunge raise start at body weight.
    profile = tmp_path / "plantar.toml"
    text = SAMPLE.read_text().replace('condition = "none"', 'condition = "plantar_heel_pain"')
    profile.write_text(text)
    return profile


def _body_weight_days(run_cli, db: str) -> list[str]:
    """The days of the plan's first week with a held-load raise at body weight."""
    catalog, found = default_catalog(), []
    for n in range(7):
        day = (PLAN_START + timedelta(days=n)).isoformat()
        shown = json.loads(run_cli("today", "--date", day, "--db", db, "-f", "json").stdout)
        if any(
            ex["load_kg"] == 0 and catalog.by_id[ex["exercise"]].load_via
            for s in shown["sessions"]
            for ex in s["exercises"]
        ):
            found.append(day)
    return found


def test_today_cues_a_raise_at_body_weight_without_the_weight(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "diary.sqlite")
    assert run_cli("init", "--profile", str(_plantar_profile(tmp_path)), "--db", db).returncode == 0
    days = _body_weight_days(run_cli, db)
    assert days, "the plantar sample should start a held-load raise at body weight"
    day = days[0]
    shown = run_cli("today", "--date", day, "--db", db)
    assert shown.returncode == 0, shown.stderr
    text = " ".join(shown.stdout.split())  # the table wraps cues
    assert BODY_WEIGHT_CUE in text
    assert not any(words in text for words in IN_HAND), text


def test_the_calendar_cue_of_a_body_weight_raise_sets_it_up(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "diary.sqlite")
    assert run_cli("init", "--profile", str(_plantar_profile(tmp_path)), "--db", db).returncode == 0
    out = tmp_path / "plan.ics"
    done = run_cli("export", "--format", "ics", "--weeks", "2", "--out", str(out), "--db", db)
    assert done.returncode == 0, done.stderr
    cues = [
        line.strip()
        for event in Calendar.from_ical(out.read_bytes()).walk("VEVENT")
        for line in str(event["DESCRIPTION"]).splitlines()
        if line.strip().startswith("Cue:")
    ]
    assert "Cue: Deep lunge, the front foot's toes on a plate." in cues  # the lunge at BW
    assert not any(words in cue for cue in cues for words in IN_HAND), cues
    assert not any(BODY_WEIGHT_CUE in cue for cue in cues)  # the load line says it already


def test_the_today_page_cues_a_raise_at_body_weight_without_the_weight(tmp_path: Path) -> None:
    database = context.open_database(f"sqlite:///{tmp_path / 'today.sqlite'}")
    athletes.init_athlete(database, _plantar_profile(tmp_path), TODAY, TODAY)
    client = TestClient(create_app(WebSettings(database, lambda: TODAY)))
    page = client.get("/today", params={"date": date(2026, 12, 1).isoformat()}).text
    assert "lunge-calf-raise" in page  # at body weight in week 1 (the CLI test reads it)
    assert BODY_WEIGHT_CUE in page
    assert not any(words in page for words in IN_HAND)
