"""``calfcoach explain`` (issue 11, DESIGN.md "Explanations"): the provenance the planner and
re-planner record, read back through the real console script on a real SQLite diary."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from tests.conftest import ROOT, cli_path

SAMPLE = ROOT / "examples" / "profile.toml"


def _cli(today: str, *args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CALFCOACH_TODAY": today, "COLUMNS": str(columns)}
    return subprocess.run(
        [cli_path(), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_explain_names_the_red_check_in_that_changed_an_exercise(tmp_path: Path) -> None:
    db = str(tmp_path / "diary.sqlite")
    assert _cli("2026-11-24", "init", "--profile", str(SAMPLE), "--db", db).returncode == 0
    # Week 1 done as prescribed, then a red check-in on Wednesday of week 2.
    for day in ("2026-12-01", "2026-12-04"):
        done = _cli("2026-12-05", "log", "--as-prescribed", "--date", day, "--db", db)
        assert done.returncode == 0, done.stderr
    red = _cli("2026-12-09", "checkin", "--pain-during", "7", "--date", "2026-12-09", "--db", db)
    assert red.returncode == 0, red.stderr

    before = _cli("2026-12-09", "explain", "2026-12-01", "--db", db, "--format", "json")
    assert before.returncode == 0, before.stderr
    first = json.loads(before.stdout)["exercises"]
    loaded = next(e for e in first if e["load_kg"])
    about = {r["about"] for r in loaded["reasons"]}
    assert {"load", "volume", "day"} <= about
    load_reason = next(r for r in loaded["reasons"] if r["about"] == "load")
    assert "1RM" in load_reason["text"] and load_reason["section"] == "§2.1"
    assert loaded["system_load_kg"] >= loaded["load_kg"]

    after = _cli("2026-12-09", "explain", "2026-12-15", "--db", db, "--format", "json")
    assert after.returncode == 0, after.stderr
    document = json.loads(after.stdout)
    assert document["date"] == "2026-12-15"
    changes = [c for e in document["exercises"] for c in e["changes"]]
    red_changes = [c for c in changes if c["cause"] == "checkin"]
    assert red_changes, changes
    assert all(c["date"] == "2026-12-09" and c["rule"] == "R11" for c in red_changes)
    # The change lowered the dose it names.
    assert any(
        (c["after"]["load_kg"] or 0) < (c["before"]["load_kg"] or 0)
        or c["after"]["sets"] < c["before"]["sets"]
        for c in red_changes
    )

    text = _cli("2026-12-09", "explain", "2026-12-15", "--db", db)
    assert text.returncode == 0, text.stderr
    assert "2026-12-09" in text.stdout and "[R11]" in text.stdout
    assert max(len(line) for line in text.stdout.splitlines()) <= 80


def test_explain_outside_the_plan_is_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "diary.sqlite")
    assert _cli("2026-11-24", "init", "--profile", str(SAMPLE), "--db", db).returncode == 0
    found = _cli("2026-11-24", "explain", "2031-01-01", "--db", db)
    assert found.returncode == 2
    assert found.stderr.count("\n") == 1 and "2031-01-01" in found.stderr
    assert "Traceback" not in found.stderr


def test_explain_names_a_red_check_in_for_the_rest_of_this_week(tmp_path: Path) -> None:
    """A red check-in on Tuesday changes Friday's session of the same week at once (§6): its
    explanation names that check-in and rule, not the old dose's %1RM and rounding (new-user
    trial: the hold that replaced a raise showed the raise's reasons)."""
    db = str(tmp_path / "diary.sqlite")
    assert _cli("2026-11-24", "init", "--profile", str(SAMPLE), "--db", db).returncode == 0
    # The sample runner's sessions: Tuesdays and Fridays (the plan starts 2026-11-30).
    first, later = "2026-12-08", "2026-12-11"
    planned = json.loads(
        _cli(first, "today", "--date", later, "--db", db, "--format", "json").stdout
    )
    assert any(s["kind"] == "strength" for s in planned["sessions"])
    red = _cli(first, "checkin", "--pain-during", "7", "--date", first, "--db", db)
    assert red.returncode == 0, red.stderr

    shown = _cli(first, "explain", later, "--db", db, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    exercises = json.loads(shown.stdout)["exercises"]
    assert exercises
    names = [e["exercise"] for e in exercises]
    assert len(names) == len(set(names))  # one entry an exercise
    for entry in exercises:
        texts = [r["text"] for r in entry["reasons"]]
        assert any(f"Pain was red at the check-in of {first}" in t for t in texts), texts
        assert not any("Rounded down" in t for t in texts), texts
        assert any(c["cause"] == "checkin" and c["date"] == first for c in entry["changes"])


def test_explain_wraps_each_reason_under_its_own_text(tmp_path: Path) -> None:
    """A wrapped reason goes on under its text, not back at the left edge, so where one
    reason ends and the next begins shows at a glance (a trial finding); no line is padded
    to the width with spaces."""
    db = str(tmp_path / "diary.sqlite")
    assert _cli("2026-11-24", "init", "--profile", str(SAMPLE), "--db", db).returncode == 0
    red = _cli("2026-12-09", "checkin", "--pain-during", "7", "--date", "2026-12-08", "--db", db)
    assert red.returncode == 0, red.stderr
    text = _cli("2026-12-09", "explain", "2026-12-11", "--db", db, columns=60)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    bullets = [n for n, line in enumerate(lines) if line.startswith(("  • ", "  ↻ "))]
    assert len(bullets) >= 4 and any(lines[n].startswith("  ↻ ") for n in bullets)
    wrapped = 0
    for n in bullets:
        after = n + 1
        while after < len(lines) and lines[after].startswith("    ") and lines[after].strip():
            after += 1
            wrapped += 1
        assert after == len(lines) or not lines[after].startswith(" ") or lines[after][2] in "•↻"
    assert wrapped, "at 60 columns some reason wraps"
    # The raise a red hold replaced is the sample's pair of dumbbells: its load reads as the
    # pair it was, never as the total (which reads as that much in each hand).
    changed = " ".join(lines[n] for n in bullets if lines[n].startswith("  ↻ "))
    assert re.search(r"@ 2 × \d+(\.\d+)? kg → 3 × \d+ s hold", changed), changed
    assert all(line == line.rstrip() for line in lines)
    assert max(len(line) for line in lines) <= 60


def test_explain_drops_missed_changes_once_the_past_sessions_are_logged(tmp_path: Path) -> None:
    """Review 13: a plan started three weeks back, each past session logged as prescribed,
    then a check-in. The re-plans on the way found weeks without a session; once all are
    logged, explain listed "↻ missed: 4×8 → 2×10 …" and "2×10 → 3×9" beside a prescription of
    4×8. No missed change stays, and each chain ends at the dose it explains."""
    db = str(tmp_path / "diary.sqlite")
    today = "2026-12-24"  # Thursday of week 4
    started = _cli(today, "init", "--profile", str(SAMPLE), "--db", db, "--start", "2026-11-30")
    assert started.returncode == 0, started.stderr
    midway = None
    for day in ("2026-12-01", "2026-12-04", "2026-12-08", "2026-12-11", "2026-12-15"):
        done = _cli(today, "log", "--as-prescribed", "--date", day, "--db", db)
        assert done.returncode == 0, done.stderr
        if day == "2026-12-08":
            midway = json.loads(
                _cli(today, "explain", "2026-12-29", "--db", db, "--format", "json").stdout
            )
    assert midway is not None
    missed = [c for e in midway["exercises"] for c in e["changes"] if c["cause"] == "missed"]
    assert missed and all(c["rule"] == "R10" for c in missed), missed
    for day in ("2026-12-18", "2026-12-22"):
        done = _cli(today, "log", "--as-prescribed", "--date", day, "--db", db)
        assert done.returncode == 0, done.stderr
    checkin = _cli(today, "checkin", "--pain-during", "1", "--date", "2026-12-22", "--db", db)
    assert checkin.returncode == 0, checkin.stderr
    for day in ("2026-12-29", "2027-01-01", "2027-01-05"):
        shown = _cli(today, "explain", day, "--db", db, "--format", "json")
        assert shown.returncode == 0, shown.stderr
        for entry in json.loads(shown.stdout)["exercises"]:
            changes = entry["changes"]
            assert not [c for c in changes if c["cause"] == "missed"], (day, entry)
            if changes:
                last = changes[-1]["after"]
                now = (entry["sets"], entry["reps"], entry["load_kg"], entry["hold_s"])
                assert (last["sets"], last["reps"], last["load_kg"], last.get("hold_s")) == now
    text = _cli(today, "explain", "2026-12-29", "--db", db)
    assert "missed" not in text.stdout, text.stdout


def test_explain_names_the_way_back_of_plyometrics_after_red(tmp_path: Path) -> None:
    """Review 13: after a red check-in and a green one, the hops came back lower with only
    "12 foot contacts: within the strength cap…" and no change line. Now a change from none
    names the green check-in, and a reason the way back (§6, R11)."""
    db = str(tmp_path / "diary.sqlite")
    assert _cli("2026-11-24", "init", "--profile", str(SAMPLE), "--db", db).returncode == 0
    for day in ("2026-12-01", "2026-12-04", "2026-12-08", "2026-12-11", "2026-12-15"):
        done = _cli(day, "log", "--as-prescribed", "--date", day, "--db", db)
        assert done.returncode == 0, done.stderr
    assert _cli("2026-12-15", "checkin", "--pain-during", "7", "--db", db).returncode == 0
    assert _cli("2026-12-18", "checkin", "--pain-during", "1", "--db", db).returncode == 0
    shown = _cli("2026-12-18", "explain", "2026-12-22", "--db", db, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    (hops,) = [e for e in json.loads(shown.stdout)["exercises"] if e["contacts"]]
    (change,) = hops["changes"]
    assert (change["cause"], change["date"], change["rule"]) == ("checkin", "2026-12-18", "R11")
    assert change["before"]["sets"] == 0 and change["after"]["sets"] == hops["sets"]
    assert any(r["rule"] == "R11" and "2026-12-15" in r["text"] for r in hops["reasons"])
    text = _cli("2026-12-18", "explain", "2026-12-22", "--db", db).stdout
    assert f"checkin: none → {hops['sets']}×{hops['reps']}" in text, text


def test_the_why_page_shows_plyometrics_back_from_none(tmp_path: Path) -> None:
    """The web app's "Why?" page reads the same change: "none → 2 × 6 @ …", not "0 × 0"."""
    from datetime import date

    from fastapi.testclient import TestClient

    from calfcoach.services import athletes, checkins, context, diary
    from calfcoach.web.app import WebSettings, create_app

    start, red, green = date(2026, 11, 30), date(2026, 12, 15), date(2026, 12, 18)
    database = context.open_database(f"sqlite:///{tmp_path / 'pages.sqlite'}")
    athletes.init_athlete_from_text(database, SAMPLE.read_text(), "profile.toml", start, start)
    for day in ("2026-12-01", "2026-12-04", "2026-12-08", "2026-12-11", "2026-12-15"):
        diary.log_as_prescribed(database, None, date.fromisoformat(day), red)
    checkins.record_checkin(database, None, red, 7, 7, red)
    checkins.record_checkin(database, None, green, 1, 1, green)
    client = TestClient(create_app(WebSettings(database, lambda: green)))
    page = client.get("/explain", params={"date": "2026-12-22"}).text
    changes = page[page.index('<ul class="changes">') :]
    assert "checkin: none → 2 × 6 @" in changes, changes
    assert "0 × 0" not in page
