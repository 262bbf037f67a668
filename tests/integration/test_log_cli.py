"""Logging from the command line as fast as from the web: `today` numbers the exercises,
`log` takes that number, an id or a piece of a name, `--hold` for holds, both sides of a
per-side exercise; and every table command fits an 80-column terminal."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY, cli_path

SAMPLE = ROOT / "examples" / "profile.toml"
TUESDAY = "2026-12-01"  # week 1 of the sample plan: a strength session
LATER = date(2026, 12, 2)  # "today" once Tuesday has come: days after today are refused


@pytest.fixture
def db(run_cli, tmp_path: Path) -> str:
    path = str(tmp_path / "diary.sqlite")
    assert run_cli("init", "--profile", str(SAMPLE), "--db", path).returncode == 0
    return path


def log_json(run_cli, db: str, *args: str) -> list[dict]:
    done = run_cli("log", *args, "--date", TUESDAY, "--db", db, "--format", "json", today=LATER)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_today_numbers_each_exercise_and_log_takes_the_number(run_cli, db: str) -> None:
    today = run_cli("today", "--date", TUESDAY, "--db", db)
    assert today.returncode == 0, today.stderr
    day = json.loads(run_cli("today", "--date", TUESDAY, "--db", db, "-f", "json").stdout)
    planned = [ex["exercise"] for s in day["sessions"] for ex in s["exercises"]]
    for number, exercise in enumerate(planned, start=1):
        row = next(line for line in today.stdout.splitlines() if f" {number}   " in line)
        assert row.split()[0] == str(number)
        assert exercise in today.stdout  # the id is shown whole
    logged = log_json(run_cli, db, "2", "--reps", "10", "--load", "20")
    assert {e["exercise"] for e in logged} == {planned[1]}
    assert {(e["reps"], e["load_kg"]) for e in logged} == {(10, 20.0)}


def test_log_takes_a_piece_of_a_name_and_refuses_an_ambiguous_one(run_cli, db: str) -> None:
    logged = log_json(run_cli, db, "Single-leg dumbbell calf raise on a step", "--reps", "12")
    assert {e["exercise"] for e in logged} == {"dumbbell-single-leg-calf-raise"}
    logged = log_json(run_cli, db, "pogo hops", "--reps", "20")
    assert [e["exercise"] for e in logged] == ["pogo-hops"]
    ambiguous = run_cli("log", "calf raise", "--reps", "10", "--db", db)
    assert ambiguous.returncode == 2
    lines = ambiguous.stderr.strip().splitlines()
    assert len(lines) == 1 and "fits" in lines[0] and "seated-dumbbell-calf-raise" in lines[0]
    too_far = run_cli("log", "9", "--reps", "10", "--date", TUESDAY, "--db", db, today=LATER)
    assert too_far.returncode == 2
    assert "allowed: 1 to 3" in too_far.stderr


def test_hold_seconds_are_stored_and_per_side_logs_both_sides(run_cli, db: str) -> None:
    holds = log_json(run_cli, db, "isometric-calf-hold", "--hold", "45", "--sets", "5")
    assert [(e["set"], e["hold_s"], e["reps"]) for e in holds] == [(n, 45, 1) for n in range(1, 6)]
    pair = log_json(run_cli, db, "kettlebell-single-leg-calf-raise", "--reps", "12")
    assert [(e["set"], e["side"]) for e in pair] == [(1, "left"), (1, "right")]
    one = log_json(
        run_cli, db, "kettlebell-single-leg-calf-raise", "--reps", "12", "--side", "left"
    )
    assert [(e["set"], e["side"]) for e in one] == [(2, "left")]
    text = run_cli("log", "isometric-calf-hold", "--hold", "30", "--side", "right", "--db", db)
    assert text.returncode == 0 and "30 s hold" in text.stdout
    bad = run_cli("log", "isometric-calf-hold", "--hold", "0", "--db", db)
    assert bad.returncode == 2 and "--hold" in bad.stderr


def test_today_on_a_rest_day_names_the_next_session(run_cli, db: str) -> None:
    wednesday = run_cli("today", "--date", "2026-12-02", "--db", db)
    assert wednesday.returncode == 0
    assert "Next session: Friday 04 Dec" in " ".join(wednesday.stdout.split())


def test_every_table_command_fits_80_columns(run_cli, db: str, tmp_path: Path) -> None:
    log_json(run_cli, db, "--as-prescribed")
    gpx = ROOT.parent / "shared" / "fixtures" / "gpx" / "Mojstrovka.gpx"
    assert run_cli("import", str(gpx), "--db", db).returncode == 0  # a run for `runs`
    env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat(), "COLUMNS": "80"}
    commands = [
        ["plan", "--profile", str(SAMPLE)],
        ["today", "--date", TUESDAY, "--db", db],
        ["today", "--date", "2026-12-02", "--db", db],
        ["exercises"],
        ["history", "--db", db],
        ["runs", "--db", db],
        ["explain", TUESDAY, "--db", db],
    ]
    for command in commands:
        done = subprocess.run(
            [cli_path(), *command], capture_output=True, text=True, env=env, timeout=60
        )
        assert done.returncode in (0, 1), (command, done.stderr)
        long = [line for line in done.stdout.splitlines() if len(line) > 80]
        assert long == [], (command, long[:3])
    exercises = subprocess.run(
        [cli_path(), "exercises"], capture_output=True, text=True, env=env, timeout=60
    ).stdout
    assert "\n\nseated-dumbbell-calf-raise  " in exercises  # one block per exercise


def test_a_name_piece_prefers_the_days_planned_exercise(run_cli, db: str) -> None:
    """ "pogo" fits pogo-hops and rear-foot-elevated-pogo; on a day that plans one of them,
    that one is meant."""
    day = json.loads(run_cli("today", "--date", TUESDAY, "--db", db, "-f", "json").stdout)
    planned = {ex["exercise"] for s in day["sessions"] for ex in s["exercises"]}
    pogos = {"pogo-hops", "rear-foot-elevated-pogo"} & planned
    assert len(pogos) == 1, planned
    logged = log_json(run_cli, db, "pogo", "--reps", "20")
    assert {e["exercise"] for e in logged} == pogos


def test_sets_logged_off_the_plan_show_their_hold_and_side(run_cli, tmp_path: Path) -> None:
    """A hold logged on a day without it showed as "1 × body weight", and a one-sided set
    without its side, on `today` and on the Today page."""
    db = str(tmp_path / "d.sqlite")
    later = date(2026, 12, 8)
    done = run_cli("init", "--profile", str(ROOT / "examples" / "profile.toml"), "--db", db)
    assert done.returncode == 0, done.stderr
    for args in (
        ("isometric-calf-hold", "--hold", "45", "--date", "2026-12-07"),
        ("seated-dumbbell-calf-raise", "--reps", "10", "--load", "20", "--side", "left",
         "--date", "2026-12-07"),
    ):  # fmt: skip
        done = run_cli("log", *args, "--db", db, today=later)
        assert done.returncode == 0, done.stderr
    shown = run_cli("today", "--date", "2026-12-07", "--db", db, today=later)
    assert "isometric-calf-hold set 1: 45 s hold" in shown.stdout, shown.stdout
    assert "seated-dumbbell-calf-raise set 1 left: 10 × 20 kg" in shown.stdout, shown.stdout

    from fastapi.testclient import TestClient

    from calfcoach.services import context
    from calfcoach.web.app import WebSettings, create_app

    app = create_app(WebSettings(context.open_database(db), lambda: later))
    with TestClient(app) as client:
        page = client.get("/today", params={"date": "2026-12-07"}).text
    assert "isometric-calf-hold set 1: 45 s hold" in page
    assert "seated-dumbbell-calf-raise set 1 (left): 10 × 20 kg" in page


def test_as_prescribed_twice_logs_the_day_once_and_says_so(run_cli, db: str) -> None:
    """Issue 13: a second `log --as-prescribed` logged the whole session again."""
    first = log_json(run_cli, db, "--as-prescribed")
    day = json.loads(run_cli("today", "--date", TUESDAY, "--db", db, "-f", "json").stdout)
    prescribed = sum(ex["sets"] for s in day["sessions"] for ex in s["exercises"])
    again = run_cli("log", "--as-prescribed", "--date", TUESDAY, "--db", db, today=LATER)
    assert again.returncode == 0, again.stderr
    assert again.stdout == (
        f"Nothing to log: the {prescribed} prescribed sets of {TUESDAY} are all logged "
        "already (see calfcoach today).\n"
    )
    assert log_json(run_cli, db, "--as-prescribed") == []
    day = json.loads(run_cli("today", "--date", TUESDAY, "--db", db, "-f", "json").stdout)
    logged = [set_ for s in day["sessions"] for ex in s["exercises"] for set_ in ex["logged"]]
    assert sorted(s["id"] for s in logged) == sorted(e["id"] for e in first)


def test_as_prescribed_after_some_sets_logs_only_the_rest(run_cli, db: str) -> None:
    day = json.loads(run_cli("today", "--date", TUESDAY, "--db", db, "-f", "json").stdout)
    planned = [ex for s in day["sessions"] for ex in s["exercises"]]
    log_json(run_cli, db, "1", "--reps", "8", "--sets", "2")
    rest = run_cli("log", "--as-prescribed", "--date", TUESDAY, "--db", db, today=LATER)
    assert rest.returncode == 0, rest.stderr
    prescribed = sum(ex["sets"] for ex in planned)
    assert rest.stdout.splitlines()[-1] == (
        f"2 of the {prescribed} prescribed sets of {TUESDAY} were logged already; logged the rest."
    )
    assert f"{planned[0]['exercise']} set 3:" in rest.stdout
    assert f"{planned[0]['exercise']} set 4:" not in rest.stdout
    day = json.loads(run_cli("today", "--date", TUESDAY, "--db", db, "-f", "json").stdout)
    for ex in (ex for s in day["sessions"] for ex in s["exercises"]):
        assert sorted(s["set"] for s in ex["logged"]) == list(range(1, ex["sets"] + 1))


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["2", "--reps", "3"], "EXERCISE, --reps"),
        (["--load", "20"], "--load"),
        (["--sets", "1"], "--sets"),
        (["--hold", "30", "--rpe", "8"], "--hold, --rpe"),
        (["--side", "left"], "--side"),
        (["--edit", "1"], "--edit"),
    ],
)
def test_as_prescribed_with_an_exercise_or_a_sets_values_is_refused(
    run_cli, db: str, args: list[str], named: str
) -> None:
    """Issue 13: `log 2 --as-prescribed --reps 3` ignored the 2 and --reps and logged the
    whole day; now one line naming what came with it, and nothing is logged."""
    done = run_cli("log", *args, "--as-prescribed", "--date", TUESDAY, "--db", db, today=LATER)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("calfcoach: error: option --as-prescribed: ")
    assert f"takes no {named};" in lines[0] and "allowed: " in lines[0]
    day = json.loads(run_cli("today", "--date", TUESDAY, "--db", db, "-f", "json").stdout)
    assert [set_ for s in day["sessions"] for ex in s["exercises"] for set_ in ex["logged"]] == []


def test_log_without_anything_names_the_edit_and_delete_subcommands(run_cli, db: str) -> None:
    done = run_cli("log", "--db", db)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "log edit ID" in lines[0] and "log delete ID" in lines[0]
    assert "--edit" not in lines[0] and "--delete" not in lines[0]
    assert "allowed: " in lines[0]
