"""An imperial profile through the real console script (a new-user trial): a bare 1RM is in the
profile's units and takes "lb"/"kg" as `log --load` does; `assess`, `history` and `explain`
show pounds in their text (the JSON keeps its kg fields); the club's loads are kg, and its
errors say so."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from calfcoach.core.units import KG_PER_LB
from tests.conftest import ROOT

SAMPLE = ROOT / "examples" / "profile.toml"  # Sam, 68 kg, metric
TUESDAY = "2026-12-01"  # week 1 of the sample plan: a strength session
LATER = date(2026, 12, 2)


def _imperial(tmp_path: Path, body_mass_kg: int = 80) -> Path:
    """The sample runner with ``units = "imperial"`` (80 kg: two standing raises are too heavy
    at body weight in week 1, so their regressions carry a "body weight alone" reason)."""
    profile = tmp_path / "imperial.toml"
    profile.write_text(
        SAMPLE.read_text()
        .replace('units = "metric"', 'units = "imperial"')
        .replace("body_mass_kg = 68", f"body_mass_kg = {body_mass_kg}")
    )
    return profile


@pytest.fixture
def imperial_db(run_cli, tmp_path: Path) -> str:
    path = str(tmp_path / "imperial.sqlite")
    made = run_cli("init", "--profile", str(_imperial(tmp_path)), "--db", path)
    assert made.returncode == 0, made.stderr
    return path


@pytest.fixture
def metric_db(run_cli, tmp_path: Path) -> str:
    path = str(tmp_path / "metric.sqlite")
    assert run_cli("init", "--profile", str(SAMPLE), "--db", path).returncode == 0
    return path


def _one_line_error(done) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("calfcoach: error: "), done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def test_a_bare_seated_1rm_is_in_pounds_for_an_imperial_profile(run_cli, imperial_db: str) -> None:
    done = run_cli("assess", "seated-1rm", "200", "--db", imperial_db)
    assert done.returncode == 0, done.stderr
    assert "seated calf raise 1RM 200 lb = 1.13 × body weight" in done.stdout
    # 1.5 × 80 kg = 120 kg = 264.6 lb
    assert "76% of the 1.5 × body weight target (265 lb)" in done.stdout
    assert " kg" not in done.stdout
    history = run_cli("history", "--db", imperial_db)
    assert "seated 1RM: 200 lb" in history.stdout, history.stdout
    stored = json.loads(run_cli("history", "--db", imperial_db, "--format", "json").stdout)
    assert [t["value_kg"] for t in stored["assessments"]] == [pytest.approx(200 * KG_PER_LB, 0.01)]


def test_a_seated_1rm_takes_lb_and_kg_as_log_load_does(run_cli, imperial_db: str) -> None:
    typed = {"200lb": 90.72, "200 lbs": 90.72, "90kg": 90.0, "90.5KG": 90.5, "2x40": 36.29}
    for value, kg in typed.items():
        done = run_cli("assess", "seated-1rm", value, "--db", imperial_db, "--format", "json")
        assert done.returncode == 0, (value, done.stderr)
        result = json.loads(done.stdout)
        assert result["value_kg"] == pytest.approx(kg), value
        assert result["target_kg"] == pytest.approx(120.0)  # the JSON keeps its kg fields


def test_a_metric_profile_reads_a_bare_1rm_as_kg_and_takes_pounds(run_cli, metric_db: str) -> None:
    bare = run_cli("assess", "seated-1rm", "95", "--db", metric_db, "--format", "json")
    assert json.loads(bare.stdout)["value_kg"] == 95.0
    text = run_cli("assess", "seated-1rm", "200lb", "--db", metric_db)
    assert text.returncode == 0, text.stderr
    assert "seated calf raise 1RM 90.72 kg" in text.stdout


def test_a_seated_1rm_not_allowed_is_one_line_naming_the_argument(
    run_cli, imperial_db: str
) -> None:
    refused = {
        "200x": "'200x' is not a load",
        "5000": "5000 is out of range",  # 5000 lb is 2268 kg
        "3000kg": "3000kg is out of range",
        "0": "0 is out of range",
        "nan": "nan is out of range",
    }
    for typed, problem in refused.items():
        line = _one_line_error(run_cli("assess", "seated-1rm", typed, "--db", imperial_db))
        assert f"1RM (kg): {problem}; allowed: above 0 up to 1000 (kg)" in line
        assert "that is up to 2204 lb" in line and "200lb" in line and "units (lb)" in line
        assert "value_kg" not in line and "float" not in line
    stored = json.loads(run_cli("history", "--db", imperial_db, "--format", "json").stdout)
    assert stored["assessments"] == []


def test_explain_shows_pounds_throughout_for_an_imperial_profile(run_cli, imperial_db: str) -> None:
    text = run_cli("explain", TUESDAY, "--db", imperial_db)
    assert text.returncode == 0, text.stderr
    flat = " ".join(text.stdout.split())
    # 80 kg is 176 lb; this week's targets 70 kg = 154 lb; the 1RM 144 kg = 318 lb.
    assert "body weight alone (176 lb) is more than this week's target for it (154 lb)" in flat
    assert re.search(r"1RM \d+ lb \(system load\)", flat), flat
    assert re.search(r"of it is \d+\.\d lb, of which 176\.4 lb is body weight", flat), flat
    assert not re.search(r"\d kg\b", flat), flat

    document = json.loads(run_cli("explain", TUESDAY, "--db", imperial_db, "-f", "json").stdout)
    assert set(document) == {"date", "exercises", "warnings"}
    for exercise in document["exercises"]:
        assert {"load_kg", "system_load_kg", "reasons", "changes"} <= set(exercise)
    loaded = next(e for e in document["exercises"] if e["load_kg"])
    assert loaded["system_load_kg"] >= loaded["load_kg"]  # kg: 80 kg of body weight and more


def test_explain_names_a_test_and_a_logged_set_in_pounds(run_cli, imperial_db: str) -> None:
    logged = run_cli(
        "log",
        "seated-dumbbell-calf-raise",
        "--sets",
        "3",
        "--reps",
        "15",
        "--load",
        "100",
        "--rpe",
        "6",
        "--date",
        TUESDAY,
        "--db",
        imperial_db,
        today=LATER,
    )
    assert logged.returncode == 0, logged.stderr
    week_two = run_cli("explain", "2026-12-08", "--db", imperial_db, today=LATER)
    flat = " ".join(week_two.stdout.split())
    assert "from your set of 2026-12-01: 15 × 100 lb at RPE 6" in flat, flat
    assert not re.search(r"\d kg\b", flat), flat

    tested = run_cli("assess", "seated-1rm", "200", "--db", imperial_db, today=LATER)
    assert tested.returncode == 0, tested.stderr
    week_three = run_cli("explain", "2026-12-15", "--db", imperial_db, today=LATER)
    flat = " ".join(week_three.stdout.split())
    assert "your seated 1RM test (200 lb)" in flat, flat
    assert not re.search(r"\d kg\b", flat), flat


def test_an_estimated_1rm_names_its_set_in_pounds(run_cli, imperial_db: str) -> None:
    logged = run_cli(
        "log",
        "seated-dumbbell-calf-raise",
        "--reps",
        "10",
        "--load",
        "100",
        "--date",
        TUESDAY,
        "--db",
        imperial_db,
        today=LATER,
    )
    assert logged.returncode == 0, logged.stderr
    done = run_cli("assess", "seated-1rm", "--db", imperial_db, today=LATER)
    assert done.returncode == 0, done.stderr
    assert "estimated with Epley from 100 lb × 10 on 2026-12-01" in done.stdout
    assert " kg" not in done.stdout


def test_club_load_errors_say_kg_as_club_show_does(run_cli, imperial_db: str) -> None:
    for given in ("dumbbells=2,x", "plates=5000", "backpack_max=abc"):
        line = _one_line_error(run_cli("club", "set", "--loads", given, "--db", imperial_db))
        assert line.endswith(", in kg"), line
        assert "profile's units" not in line
    done = run_cli("club", "set", "--loads", "dumbbells=2,4", "--db", imperial_db)
    assert done.returncode == 0, done.stderr
    assert "loads (kg): dumbbells 2, 4" in run_cli("club", "show", "--db", imperial_db).stdout


def test_a_refused_load_says_what_is_allowed_in_pounds(run_cli, imperial_db: str) -> None:
    """A trial: an imperial runner's refused `--load` was offered "2x8 for a pair of 8 kg
    dumbbells", though a bare number is in lb for them."""
    line = _one_line_error(
        run_cli(
            "log", "seated-dumbbell-calf-raise", "--reps", "10", "--load=-10", "--db", imperial_db
        )
    )
    assert "2x20 for a pair of 20 lb dumbbells" in line and "a bare number is in lb" in line
    assert "8 kg dumbbells" not in line
