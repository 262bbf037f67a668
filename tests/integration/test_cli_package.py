"""The command line as a package (issue 13 item 4): `log edit ID` and `log delete ID` beside
`log EXERCISE …`, the old `--edit`/`--delete` flags as aliases with a note on stderr only,
`--load 0` meaning body weight in an edit, the chart in the athlete's units, one JSON shape
of a test for the CLI and the API, and `python -m calfcoach`."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from calfcoach.services import context
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT, SHARED_FIXTURES

SAMPLE = ROOT / "examples" / "profile.toml"
TUESDAY = "2026-12-01"  # week 1 of the sample plan: a strength session
LATER = date(2026, 12, 2)  # "today" once Tuesday has come


def init(run_cli, tmp_path: Path, units: str = "metric") -> str:
    profile = tmp_path / "profile.toml"
    profile.write_text(SAMPLE.read_text().replace('units = "metric"', f'units = "{units}"'))
    path = str(tmp_path / "diary.sqlite")
    done = run_cli("init", "--profile", str(profile), "--db", path)
    assert done.returncode == 0, done.stderr
    return path


def log_one(run_cli, db: str, load: str = "20") -> dict:
    done = run_cli(
        "log", "seated-dumbbell-calf-raise", "--reps", "10", "--load", load, "--date", TUESDAY,
        "--db", db, "--format", "json", today=LATER,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    [entry] = json.loads(done.stdout)
    return entry


def logged_ids(run_cli, db: str) -> dict[int, float]:
    day = json.loads(run_cli("today", "--date", TUESDAY, "--db", db, "-f", "json").stdout)
    return {
        e["id"]: e["load_kg"]
        for s in day["sessions"]
        for ex in s["exercises"]
        for e in ex["logged"]
    }


def test_log_edit_sets_the_load_to_zero_and_keeps_what_is_left_out(run_cli, tmp_path) -> None:
    db = init(run_cli, tmp_path)
    entry = log_one(run_cli, db)
    done = run_cli("log", "edit", str(entry["id"]), "--load", "0", "--db", db, "-f", "json")
    assert done.returncode == 0, done.stderr
    [edited] = json.loads(done.stdout)
    assert (edited["id"], edited["load_kg"], edited["reps"]) == (entry["id"], 0.0, 10)
    assert done.stderr == ""
    assert logged_ids(run_cli, db)[entry["id"]] == 0.0
    text = run_cli("log", "edit", str(entry["id"]), "--reps", "8", "--db", db)
    assert text.returncode == 0, text.stderr
    assert f"#{entry['id']} {TUESDAY} seated-dumbbell-calf-raise set 1: 8 reps" in text.stdout


def test_the_old_edit_flag_still_works_with_a_note_on_stderr_only(run_cli, tmp_path) -> None:
    db = init(run_cli, tmp_path)
    entry = log_one(run_cli, db)
    done = run_cli("log", "--edit", str(entry["id"]), "--load", "0", "--db", db, "-f", "json")
    assert done.returncode == 0, done.stderr
    [edited] = json.loads(done.stdout)  # stdout is still only the JSON
    assert edited["load_kg"] == 0.0
    assert "deprecated" in done.stderr and "calfcoach log edit ID" in done.stderr


def test_log_delete_and_its_old_flag(run_cli, tmp_path) -> None:
    db = init(run_cli, tmp_path)
    first, second = log_one(run_cli, db), log_one(run_cli, db, "22")
    done = run_cli("log", "delete", str(first["id"]), "--db", db)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"Deleted set {first['id']}.\n", "")
    old = run_cli("log", "--delete", str(second["id"]), "--db", db)
    assert old.returncode == 0 and old.stdout == f"Deleted set {second['id']}.\n"
    assert "calfcoach log delete ID" in old.stderr
    assert logged_ids(run_cli, db) == {}
    missing = run_cli("log", "delete", str(first["id"]), "--db", db)
    assert missing.returncode == 2
    lines = missing.stderr.strip().splitlines()
    assert len(lines) == 1 and f"no logged set {first['id']}" in lines[0]


def test_log_without_a_subcommand_still_logs_and_the_group_has_help(run_cli, tmp_path) -> None:
    db = init(run_cli, tmp_path)
    assert log_one(run_cli, db)["exercise"] == "seated-dumbbell-calf-raise"
    nothing = run_cli("log", "--db", db)
    assert nothing.returncode == 2 and "log needs EXERCISE" in nothing.stderr
    helped = run_cli("log", "--help")
    assert helped.returncode == 0
    assert all(word in helped.stdout for word in ("add", "edit", "delete"))


@pytest.mark.parametrize(("units", "label"), [("metric", "kg"), ("imperial", "lb")])
def test_the_history_chart_is_in_the_athletes_units(run_cli, tmp_path, units, label) -> None:
    db = init(run_cli, tmp_path, units)
    log_one(run_cli, db, "40kg")
    chart = tmp_path / "p.svg"
    done = run_cli("history", "--db", db, "--plot", str(chart), today=LATER)
    assert done.returncode == 0, done.stderr
    svg = chart.read_text()
    assert f"estimated 1RM, {label}" in svg and "seated-dumbbell-calf-raise" in svg
    top = max(float(v) for v in _grid_labels(svg))
    e1rm_kg = 40 * (1 + 10 / 30)  # Epley, seated: no body weight
    assert top >= (e1rm_kg * 2.20462 if units == "imperial" else e1rm_kg)
    assert top < (e1rm_kg * 2 if units == "metric" else e1rm_kg * 2.20462 * 2)


def _grid_labels(svg: str) -> list[str]:
    import re

    return re.findall(r'text-anchor="end" fill="#1f2933">([0-9.]+)</text>', svg)


def test_a_heel_raise_test_is_one_json_for_the_cli_and_the_api(
    run_cli, tmp_path, database_url
) -> None:
    db = init(run_cli, tmp_path)
    done = run_cli(
        "assess", "heel-raise", "--left", "22", "--right", "25", "--date", TUESDAY, "--db", db,
        "-f", "json", today=LATER,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    cli = json.loads(done.stdout)
    # The CLI's names and the API's both.
    assert (cli["left"], cli["right"], cli["left_reps"], cli["right_reps"]) == (22, 25, 22, 25)
    assert cli["median"] == cli["median_reps"] and cli["kind"] == "heel_raise"
    assert cli["lsi"] == 0.88 and cli["lines"]

    settings = WebSettings(context.open_database(database_url), lambda: LATER)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        made = client.post(
            "/api/v1/athletes",
            json={"profile_toml": SAMPLE.read_text(), "start": "2026-11-30"},
        )
        assert made.status_code == 201, made.text
        api = client.post(
            "/api/v1/assessments/heel-raise", json={"date": TUESDAY, "left": 22, "right": 25}
        )
        assert api.status_code == 201, api.text
        listed = client.get("/api/v1/assessments").json()
    for shown in (api.json(), listed[0]):
        assert {k: shown[k] for k in cli if k != "pain"} == {
            k: v for k, v in cli.items() if k != "pain"
        }


def test_runs_json_and_the_runs_export_share_one_row(run_cli, tmp_path) -> None:
    db = init(run_cli, tmp_path)
    gpx = SHARED_FIXTURES / "gpx" / "Mojstrovka.gpx"
    imported = run_cli("import", str(gpx), "--db", db, "--quiet")
    assert imported.returncode == 0, imported.stderr
    [run] = json.loads(run_cli("runs", "--db", db, "-f", "json").stdout)["runs"]
    [row] = json.loads(run_cli("export", "--what", "runs", "--db", db).stdout)
    # Each a cut of one run_json: the same values under each name.
    assert (run["start"], run["distance_m"], run["sha256"]) == (
        row["start"],
        row["distance_m"],
        row["sha256"],
    )
    assert run["avg_hr"] == row["avg_hr_bpm"] and run["avg_cadence"] == row["avg_cadence_spm"]
    csv = run_cli("export", "--format", "csv", "--what", "runs", "--db", db).stdout
    assert csv.splitlines()[0].split(",")[8] == "avg_hr_bpm"  # the CSV's columns as before


def test_python_dash_m_calfcoach_runs_the_same_app() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "calfcoach", "plan", "--profile", str(SAMPLE), "--weeks", "1",
         "-f", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["athlete"]["name"] == "Sam"


def test_every_subcommand_of_a_group_has_help_with_an_example() -> None:
    from calfcoach.cli import app

    groups = {group.name: group.typer_instance for group in app.registered_groups}
    assert {"log", "assess", "user"} <= set(groups)
    for name, group in groups.items():
        assert group is not None
        commands = [c for c in group.registered_commands if c.callback is not None]
        assert commands, name
        for command in commands:
            assert command.callback is not None
            assert "Example:" in (command.callback.__doc__ or ""), (name, command.name)
