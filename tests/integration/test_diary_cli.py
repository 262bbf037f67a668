"""The diary commands through the real console script, and the database under stress."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import ROOT, cli_path
from tests.integration.test_cli import assert_one_line_error

SAMPLE = ROOT / "examples" / "profile.toml"
FRIDAY = date(2026, 12, 4)  # the sample plan's first Friday: its sets are logged that day


def test_init_log_today_checkin_export_restore(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "diary.sqlite")
    init = run_cli("init", "--profile", str(SAMPLE), "--db", db)
    assert init.returncode == 0, init.stderr
    assert "Added Sam: a 12-week plan from 2026-11-30" in init.stdout

    logged = run_cli(
        "log",
        "seated-dumbbell-calf-raise",
        "--sets",
        "3",
        "--reps",
        "12",
        "--load",
        "16",
        "--rpe",
        "7",
        "--date",
        "2026-12-04",
        "--db",
        db,
        "--format",
        "json",
        today=FRIDAY,
    )
    assert logged.returncode == 0, logged.stderr
    assert [e["set"] for e in json.loads(logged.stdout)] == [1, 2, 3]

    today = run_cli("today", "--date", "2026-12-04", "--db", db, "--format", "json")
    day = json.loads(today.stdout)
    seated = next(
        ex
        for s in day["sessions"]
        for ex in s["exercises"]
        if ex["exercise"] == "seated-dumbbell-calf-raise"
    )
    assert [e["load_kg"] for e in seated["logged"]] == [16.0, 16.0, 16.0]
    table = run_cli("today", "--date", "2026-12-04", "--db", db)
    assert "Seated dumbbell calf raise" in table.stdout and "#1 set 1" in table.stdout

    checkin = run_cli(
        "checkin",
        "--pain-during",
        "4",
        "--pain-next-morning",
        "1",
        "--date",
        "2026-12-04",
        "--db",
        db,
        today=FRIDAY,
    )
    assert checkin.returncode == 0 and "amber" in checkin.stdout

    backup = run_cli("export", "--format", "json", "--db", db)
    assert backup.returncode == 0
    backup_file = tmp_path / "backup.json"
    backup_file.write_text(backup.stdout)
    fresh = str(tmp_path / "fresh.sqlite")
    # (On the day the sets were logged: restore, as log, refuses days after today.)
    restored = run_cli("restore", str(backup_file), "--db", fresh, today=FRIDAY)
    assert restored.returncode == 0, restored.stderr
    assert "1 athlete," in restored.stdout and "3 sets" in restored.stdout
    again = json.loads(run_cli("export", "--db", fresh).stdout)
    # The restore is a write of its own: the audit trail gains one row saying who restored.
    restore_row = again["access"]["audit"].pop()
    assert restore_row["action"] == "calfcoach restore" and restore_row["actor"].startswith("cli:")
    assert again == json.loads(backup.stdout)


def test_diary_bad_input_exits_2_with_one_line(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "diary.sqlite")
    assert_one_line_error(run_cli("today", "--db", db), "calfcoach init")
    run_cli("init", "--profile", str(SAMPLE), "--db", db)
    cases = [
        (["log", "kettlebel-raise", "--reps", "5"], ["did you mean"]),
        (["log", "pogo-hops", "--reps", "-2"], ["--reps", "0 to 500"]),
        (["log", "pogo-hops", "--reps", "10", "--load", "3stone"], ["--load", "95lb"]),
        (["log", "pogo-hops", "--reps", "10", "--date", "2026-02-30"], ["--date", "YYYY-MM-DD"]),
        (["log", "pogo-hops"], ["--reps"]),
        (["checkin", "--pain-during", "12"], ["--pain-during", "0 to 10"]),
        (["log", "--delete", "77"], ["no logged set 77"]),
        # What to look for, not "from 1 to 9223372036854775807".
        (["log", "edit", "77", "--reps", "3"], ["no logged set 77", "the #N of calfcoach today"]),
        (["today", "--athlete", "Nobody"], ["Nobody", "allowed: Sam"]),
        (["restore", str(SAMPLE)], ["not valid JSON"]),
    ]
    for args, parts in cases:
        assert_one_line_error(run_cli(*args, "--db", db), *parts)
    assert_one_line_error(run_cli("today", "--db", "mysql://x/y"), "not supported")


def _count(db: Path) -> int:
    with sa.create_engine(f"sqlite:///{db}").connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM set_logs")).scalar() or 0)


def test_two_processes_logging_at_once_both_succeed(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "busy.sqlite"
    run_cli("init", "--profile", str(SAMPLE), "--db", str(db))
    # Both log Tuesday 2026-12-01, on that day (days after today are refused).
    env = {**os.environ, "CALFCOACH_TODAY": "2026-12-01"}
    procs = [
        subprocess.Popen(
            [
                cli_path(),
                "log",
                "pogo-hops",
                "--sets",
                "5",
                "--reps",
                "10",
                "--db",
                str(db),
                "--date",
                "2026-12-01",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(6)
    ]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, results
    assert _count(db) == 30


WRITER = """
import sys
from datetime import date
from calfcoach.services import context
from calfcoach.services import diary
db = context.open_database(sys.argv[1])
print("ready", flush=True)
n = 0
while True:
    diary.log_sets(db, None, date(2026, 12, 1),
                   diary.LogRequest("pogo-hops", 7, 10, "0", None, None))
    n += 1
"""


def test_a_killed_writer_leaves_whole_transactions_only(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite"
    run_cli("init", "--profile", str(SAMPLE), "--db", str(db))
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, f"sqlite:///{db}"], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    # Kill it mid-stream: once it has committed something (its first log warms the planner
    # up, which takes a while on a busy machine), then half a second later.
    watcher = sa.create_engine(f"sqlite:///{db}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with watcher.connect() as conn:
            if conn.execute(sa.text("SELECT count(*) FROM set_logs")).scalar():
                break
        time.sleep(0.05)
    watcher.dispose()
    time.sleep(0.5)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        rows = conn.execute(sa.text("SELECT set_number FROM set_logs ORDER BY id")).all()
    numbers = [r[0] for r in rows]
    assert numbers, "the writer committed nothing in a second"
    # Every command logs 7 sets in one transaction: a kill never leaves part of one.
    assert len(numbers) % 7 == 0
    assert numbers == list(range(1, len(numbers) + 1))
    # The database still works after the kill.
    assert run_cli("log", "pogo-hops", "--reps", "5", "--db", str(db)).returncode == 0
