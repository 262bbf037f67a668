"""Assessments and history against real databases, and through the console script."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from calfcoach.core.assessments import heel_raise_median, heel_raise_report
from calfcoach.core.norms import Norms
from calfcoach.errors import FieldError, InputError
from calfcoach.services import athletes, context, diary, progress
from calfcoach.services import checkins as checkins_service
from tests.conftest import ROOT, TODAY
from tests.integration.test_cli import assert_one_line_error

SAMPLE = ROOT / "examples" / "profile.toml"  # Sam: female, born 1990, 68 kg


@pytest.fixture
def db(database_url: str) -> context.Database:
    database = context.open_database(database_url)
    athletes.init_athlete(database, SAMPLE, None, TODAY)
    return database


def test_heel_raise_norms_by_age_and_sex(norms: Norms) -> None:
    assert heel_raise_median(36, "female", norms) == 27
    assert heel_raise_median(25, "male", norms) == 37
    assert heel_raise_median(17, "male", norms) == 37  # under 20: the youngest band
    assert heel_raise_median(85, "female", norms) == 16
    assert heel_raise_median(None, "female", norms) is None


def test_heel_raise_report(norms: Norms) -> None:
    report = heel_raise_report(24, 30, 36, "female", (20, 22), norms)
    assert report.lsi == pytest.approx(0.8)
    assert not report.meets_floor and not report.meets_return_to_run
    assert report.change == 4 and report.change_is_noise is True
    better = heel_raise_report(31, 32, 36, "female", (20, 22), norms)
    assert better.meets_return_to_run and better.change == 11 and not better.change_is_noise
    # §2.2: the goal after a calf injury; a healthy runner read "not met yet" as their own.
    assert any("return-to-run goal after a calf injury" in line for line in report.lines)


def test_assessments_are_stored_and_compared(db: context.Database) -> None:
    day = date(2026, 12, 10)
    first = progress.assess_heel_raise(db, None, day, 24, 27)
    assert first.change is None and first.median == 27
    second = progress.assess_heel_raise(db, None, date(2026, 12, 24), 30, 31)
    assert second.change == 6 and second.change_is_noise is False
    with pytest.raises(FieldError, match=r"^left: -1 is out of range; allowed: 0 to 300$"):
        progress.assess_heel_raise(db, None, day, -1, 27)
    seated = progress.assess_seated_1rm(db, None, day, 95.0)
    assert seated.report.target_kg == pytest.approx(102.0)
    assert seated.estimated_from is None


def test_seated_1rm_estimated_with_epley_from_the_log(db: context.Database) -> None:
    with pytest.raises(InputError, match="no seated both-leg raise logged"):
        progress.assess_seated_1rm(db, None, date(2026, 12, 10), None)
    diary.log_sets(
        db,
        None,
        date(2026, 12, 4),
        diary.LogRequest("seated-dumbbell-calf-raise", 3, 10, "60", 8, None),
    )
    result = progress.assess_seated_1rm(db, None, date(2026, 12, 10), None)
    # Epley counting the 2 reps RPE 8 leaves in reserve (DOMAIN.md §2.2): 60 × (1 + 12/30)
    assert result.report.value_kg == pytest.approx(84.0)
    assert result.estimated_from and "seated-dumbbell-calf-raise" in result.estimated_from


def test_history_tops_e1rm_and_volume(db: context.Database) -> None:
    diary.log_sets(
        db,
        None,
        date(2026, 12, 1),
        diary.LogRequest("seated-dumbbell-calf-raise", 2, 12, "16", None, None),
    )
    diary.log_sets(
        db,
        None,
        date(2026, 12, 1),
        diary.LogRequest("seated-dumbbell-calf-raise", 1, 8, "20", None, None),
    )
    diary.log_sets(
        db,
        None,
        date(2026, 12, 8),
        diary.LogRequest("seated-dumbbell-calf-raise", 3, 10, "20", None, None),
    )
    checkins_service.record_checkin(db, None, date(2026, 12, 8), 2, 1)
    result = progress.history(db, None, None, None, date(2026, 12, 10)).to_json()
    (seated,) = result["exercises"]
    assert seated["exercise"] == "seated-dumbbell-calf-raise"
    first, second = seated["sessions"]
    # 20 × 8 (Epley 25.3) beats 16 × 12 (22.4); volume 2×12×16 + 8×20
    assert (first["top_set_kg"], first["reps"], first["e1rm_kg"], first["volume_kg"]) == (
        20.0,
        8,
        25.3,
        544.0,
    )
    assert second["volume_kg"] == 600.0
    assert result["checkins"] == [{"date": "2026-12-08", "pain_during": 2, "pain_next_morning": 1}]
    recent = progress.history(db, None, None, 1, date(2026, 12, 10)).to_json()
    assert [s["date"] for s in recent["exercises"][0]["sessions"]] == ["2026-12-08"]


def test_history_says_which_e1rm_and_volume_count_body_weight(db: context.Database) -> None:
    """Issue 13 (a new user's trial): "8 kg × 10" beside an est. 1RM of 101.3 kg, with no word
    that the 1RM (and the volume) are of the system load, body weight included (§2.1)."""
    from fastapi.testclient import TestClient
    from rich.console import Console

    from calfcoach.cli.presenters import render_history
    from calfcoach.web.app import WebSettings, create_app

    day = date(2026, 12, 1)
    standing = "kettlebell-single-leg-calf-raise"
    diary.log_sets(db, None, day, diary.LogRequest(standing, 2, 10, "8", None, None))
    diary.log_sets(
        db, None, day, diary.LogRequest("seated-dumbbell-calf-raise", 3, 10, "20", None, None)
    )
    found = progress.history(db, None, None, None, date(2026, 12, 10))
    console = Console(record=True, width=100)
    render_history(found, console)
    text = console.export_text()
    tables = {title: text.split(title, 1)[1] for title in (standing, "seated-dumbbell-calf-raise")}
    standing_header = tables[standing].splitlines()[2]
    assert "est. 1RM, body + load" in standing_header and "volume, body + load" in standing_header
    seated_header = tables["seated-dumbbell-calf-raise"].splitlines()[2]
    assert "est. 1RM" in seated_header and "body + load" not in seated_header
    assert "body + load: your body weight (68 kg) and the load in hand" in " ".join(text.split())
    # The JSON contract keeps its fields.
    (first, _) = found.to_json()["exercises"]
    assert set(first["sessions"][0]) == {
        "date",
        "top_set_kg",
        "reps",
        "top_set_system_kg",
        "e1rm_kg",
        "volume_kg",
    }
    with TestClient(create_app(WebSettings(db, lambda: date(2026, 12, 10)))) as client:
        page = client.get("/progress").text
    assert page.count("Est. 1RM, body + load") == 1 and page.count("Est. 1RM</th>") == 1
    assert "counting your body weight (68 kg) with the load in hand" in page


def test_assess_and_history_commands(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "d.sqlite")
    run_cli("init", "--profile", str(SAMPLE), "--db", db)
    heel = run_cli("assess", "heel-raise", "--left", "24", "--right", "27", "--db", db)
    assert heel.returncode == 0 and "within" not in heel.stdout and "0.89" in heel.stdout
    as_json = run_cli("assess", "seated-1rm", "95", "--db", db, "--format", "json")
    assert json.loads(as_json.stdout)["percent_of_target"] == pytest.approx(93.1, abs=0.1)
    run_cli(
        "log",
        "seated-dumbbell-calf-raise",
        "--sets",
        "3",
        "--reps",
        "10",
        "--load",
        "20",
        "--db",
        db,
    )
    chart = tmp_path / "p.svg"
    result = run_cli("history", "--db", db, "--plot", str(chart))
    assert result.returncode == 0 and "seated-dumbbell-calf-raise" in result.stdout
    svg = chart.read_text()
    assert svg.startswith("<svg") and "seated-dumbbell-calf-raise" in svg and "<polyline" in svg
    assert_one_line_error(
        run_cli("history", "--db", db, "--plot", str(tmp_path / "p.png")), "--plot", "FILE.svg"
    )
    assert_one_line_error(run_cli("history", "--db", db, "--exercise", "pogo"), "did you mean")
    assert_one_line_error(run_cli("assess", "seated-1rm", "0", "--db", db), "out of range")


def test_of_two_sets_with_the_same_estimate_the_first_logged_is_the_days_top(
    db: context.Database,
) -> None:
    """SQLite and PostgreSQL name the same top set when two of a day's sets tie: the first
    logged (SQLite once read the left side's sets first, whatever was logged first)."""
    from calfcoach.core.log import SetEntry

    day = date(2026, 11, 23)
    with db.unit_of_work() as uow:
        athlete_id, _ = context.find_athlete(uow, None)
        # 25 kg × 6 and 20 kg × 15 both estimate 30 kg exactly (Epley, no RPE); the seated
        # raise lifts no body weight.
        uow.sets.add(
            athlete_id,
            [
                SetEntry(None, day, "seated-dumbbell-calf-raise", 1, 6, 25.0, side="right"),
                SetEntry(None, day, "seated-dumbbell-calf-raise", 2, 15, 20.0, side="left"),
            ],
        )
        uow.commit()
    for exercise in (None, "seated-dumbbell-calf-raise"):  # every exercise, and this one
        found = progress.history(db, None, exercise, None, TODAY)
        [session] = found.exercises[0]["sessions"]
        assert (session["top_set_kg"], session["reps"], session["e1rm_kg"]) == (25.0, 6, 30.0)
