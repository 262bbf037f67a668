"""The real command line for a calf strain: `assess heel-raise … --pain N`, `assess hop --pain
N` (refused outside 0–10 with one line, exit 2) and the return-to-running checklist in `today`
(text and JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT

SAMPLE = ROOT / "examples" / "profile.toml"
TUESDAY = "2026-12-01"


@pytest.fixture
def db(run_cli, tmp_path: Path) -> str:
    profile = tmp_path / "strain.toml"
    profile.write_text(
        SAMPLE.read_text().replace('condition = "none"', 'condition = "calf_strain"')
    )
    path = str(tmp_path / "diary.sqlite")
    result = run_cli("init", "--profile", str(profile), "--db", path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.mark.parametrize("pain", ["11", "-1", "2.5", "nan", "inf"])
def test_test_pain_outside_0_to_10_exits_2_with_one_line(run_cli, db: str, pain: str) -> None:
    for command in (
        ("assess", "heel-raise", "--left", "20", "--right", "20"),
        ("assess", "hop"),
    ):
        result = run_cli(*command, f"--pain={pain}", "--db", db)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "--pain" in lines[0], lines
        assert "Traceback" not in result.stderr
    stored = run_cli("export", "--format", "json", "--what", "assessments", "--db", db)
    assert json.loads(stored.stdout) == []


def test_today_shows_the_checklist_and_tests_with_pain_tick_it(run_cli, tmp_path, db) -> None:
    today = run_cli("today", "--date", TUESDAY, "--format", "json", "--db", db)
    assert today.returncode == 0, today.stderr
    checklist = json.loads(today.stdout)["return_to_running"]
    assert checklist["met"] is False
    assert [c["key"] for c in checklist["criteria"]] == [
        "heel_raises",
        "symmetry",
        "raises_pain_free",
        "hop_pain_free",
    ]
    raised = run_cli(
        "assess", "heel-raise", "--left", "30", "--right", "31", "--pain", "0", "--db", db
    )
    assert raised.returncode == 0, raised.stderr
    assert "Pain during the test: 0/10: raises pain-free." in raised.stdout
    hop = run_cli("assess", "hop", "--pain", "2", "--format", "json", "--db", db)
    assert hop.returncode == 0, hop.stderr
    assert json.loads(hop.stdout) == {
        "date": "2026-11-24",
        "kind": "hop",
        "pain": 2,
        "pain_free": False,
    }
    text = run_cli("today", "--db", db)
    assert text.returncode == 0, text.stderr
    flat = " ".join(text.stdout.split())
    assert "Return to running (calf strain): runs stay easy and short" in flat
    assert "[met] ≥ 30 single-leg heel raises each side: left 30 of 30, right 31 of 30" in flat
    assert "[not met] pain-free hopping (0/10): pain 2/10" in flat
    tests = json.loads(
        run_cli("export", "--format", "json", "--what", "assessments", "--db", db).stdout
    )
    assert [(t["kind"], t["pain"]) for t in tests] == [("heel_raise", 0), ("hop", 2)]


def test_a_hop_test_before_the_raises_is_stored_and_said_to_come_too_soon(run_cli, db) -> None:
    """DOMAIN.md §6: hopping comes after 25 pain-free single-leg raises. `assess hop` before
    them stores the test (it was done) and says it came too soon; with JSON, on stderr, so
    standard output stays the JSON. After a pain-free test of 25 or more, nothing is said."""
    early = run_cli("assess", "hop", "--pain", "0", "--db", db)
    assert early.returncode == 0, early.stderr
    assert "Too soon for a hop test" in early.stdout
    assert "no heel-raise test yet" in early.stdout
    as_json = run_cli("assess", "hop", "--pain", "0", "--format", "json", "--db", db)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["pain_free"] is True
    assert "Too soon for a hop test" in as_json.stderr
    raised = run_cli(
        "assess", "heel-raise", "--left", "26", "--right", "27", "--pain", "0", "--db", db
    )
    assert raised.returncode == 0, raised.stderr
    later = run_cli("assess", "hop", "--pain", "0", "--db", db)
    assert later.returncode == 0, later.stderr
    assert "Too soon" not in later.stdout + later.stderr
    tests = json.loads(
        run_cli("export", "--format", "json", "--what", "assessments", "--db", db).stdout
    )
    assert [t["kind"] for t in tests] == ["hop", "hop", "heel_raise", "hop"]
