"""Exports from a real diary on SQLite through the real command line: the calendar (and its
feed in the web app), FIT workouts checked by two decoders, the printable PDF checked with
poppler, and CSV against JSON."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import fitdecode
import pytest
from fastapi.testclient import TestClient
from garmin_fit_sdk import Decoder, Stream
from icalendar import Calendar

from calfcoach.data import default_catalog
from calfcoach.exporters.sessions import planned_sessions
from calfcoach.services import context, exporting, unit_of_work
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT, SHARED_FIXTURES, TODAY

SAMPLE = ROOT / "examples" / "profile.toml"
CATALOG = default_catalog()


@pytest.fixture
def db_path(tmp_path: Path, run_cli) -> Path:
    path = tmp_path / "diary.sqlite"
    result = run_cli("init", "--profile", str(SAMPLE), "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


def current_plan(path: Path) -> dict:
    database = context.open_database(str(path))
    with unit_of_work.SqlUnitOfWork(database.engine) as uow:
        athlete_id, _ = context.find_athlete(uow, None)
        document = uow.plans.current(athlete_id)
    assert document is not None
    return document


def events_of(ics: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(ics)
    events = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in events, f"{uid} twice"
        events[uid] = event
    return events


def export_ics(run_cli, path: Path, *extra: str) -> bytes:
    out = path.parent / "plan.ics"
    result = run_cli("export", "--format", "ics", "--db", str(path), "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


# ---------------------------------------------------------------------------- iCalendar


def test_every_session_is_one_event_with_its_date_and_text(run_cli, db_path: Path) -> None:
    plan = current_plan(db_path)
    events = events_of(export_ics(run_cli, db_path))
    sessions = list(planned_sessions(plan))
    assert len(events) == len(sessions) > 0
    by_day = {e["DTSTART"].dt: e for e in events.values()}
    for session in sessions:
        event = by_day[session.day]
        assert str(event["SEQUENCE"]) == "0" and str(event["STATUS"]) == "CONFIRMED"
        variations = {ex["variation"].replace("_", "-") for ex in session.exercises}
        assert all(v in str(event["SUMMARY"]) for v in variations)
        for ex in session.exercises:
            assert CATALOG.get(ex["exercise"]).name in str(event["DESCRIPTION"])
            assert f"{ex['sets']} × {ex['reps']}" in str(event["DESCRIPTION"])


def test_timed_events_carry_the_time_zone(run_cli, db_path: Path) -> None:
    events = events_of(
        export_ics(run_cli, db_path, "--time", "18:30", "--tz", "Europe/Berlin", "--weeks", "2")
    )
    start = next(iter(events.values()))["DTSTART"].dt
    assert (start.hour, start.minute, str(start.tzinfo)) == (18, 30, "Europe/Berlin")
    text = (db_path.parent / "plan.ics").read_text()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Berlin" in text
    assert all(
        date(2026, 11, 30) <= e["DTSTART"].dt.date() < date(2026, 12, 14) for e in events.values()
    )
    assert len(events) == 4  # two weeks of two sessions


def test_re_export_after_re_planning_keeps_uids_bumps_sequence_and_cancels(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    first = events_of(export_ics(run_cli, db_path))
    # A red check-in re-plans the weeks ahead: loads halve, plyometrics go.
    assert run_cli("checkin", "--pain-during", "7", "--db", str(db_path)).returncode == 0
    second = events_of(export_ics(run_cli, db_path))
    assert set(second) == set(first)
    bumped = [uid for uid in second if str(second[uid]["SEQUENCE"]) == "1"]
    assert bumped and all(
        str(second[u]["DESCRIPTION"]) != str(first[u]["DESCRIPTION"]) for u in bumped
    )
    unchanged = set(second) - set(bumped)
    assert all(str(second[u]["DESCRIPTION"]) == str(first[u]["DESCRIPTION"]) for u in unchanged)
    # One session a week instead of two: the sessions that are gone come back cancelled.
    fewer = tmp_path / "fewer.toml"
    fewer.write_text(
        SAMPLE.read_text()
        .replace("sessions_per_week = 2", "sessions_per_week = 1")
        .replace('preferred_days = ["tuesday", "friday"]', 'preferred_days = ["tuesday"]')
    )
    assert run_cli("init", "--profile", str(fewer), "--db", str(db_path)).returncode == 0
    third = events_of(export_ics(run_cli, db_path))
    cancelled = {u for u, e in third.items() if str(e["STATUS"]) == "CANCELLED"}
    assert cancelled and cancelled <= set(second)
    assert all(int(third[u]["SEQUENCE"]) > int(second[u]["SEQUENCE"]) for u in cancelled)
    # Exporting again changes nothing: same UIDs, same SEQUENCE numbers.
    fourth = events_of(export_ics(run_cli, db_path))
    assert {u: str(e["SEQUENCE"]) for u, e in fourth.items()} == {
        u: str(e["SEQUENCE"]) for u, e in third.items()
    }


def test_the_feed_serves_the_same_calendar_and_a_wrong_token_404s(run_cli, db_path: Path) -> None:
    cli = events_of(export_ics(run_cli, db_path))
    database = context.open_database(str(db_path))
    token = exporting.feed_token(database, None, create=True)
    assert token is not None and exporting.feed_token(database, None, create=True) == token
    app = create_app(WebSettings(database, lambda: TODAY))
    with TestClient(app) as client:
        response = client.get(f"/calendar/{token}.ics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/calendar")
        feed = events_of(response.content)
        assert {u: (str(e["SUMMARY"]), str(e["SEQUENCE"])) for u, e in feed.items()} == {
            u: (str(e["SUMMARY"]), str(e["SEQUENCE"])) for u, e in cli.items()
        }
        assert client.get("/calendar/not-the-right-token.ics").status_code == 404
        exporting.revoke_feed(database, None)
        assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_plan_format_ics_needs_no_database(run_cli) -> None:
    result = subprocess.run(
        [
            str(Path(os.sys.executable).parent / "calfcoach"),
            "plan",
            "--profile",
            str(SAMPLE),
            "--format",
            "ics",
        ],
        capture_output=True,
        env={**os.environ, "CALFCOACH_TODAY": TODAY.isoformat()},
        check=True,
    )
    assert len(events_of(result.stdout)) == 24  # 12 weeks of two sessions


# ---------------------------------------------------------------------------- FIT


def decode_both(path: Path) -> list[dict]:
    data = path.read_bytes()
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()  # header, CRC
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    assert messages["file_id_mesgs"][0]["type"] == "workout"
    workout = messages["workout_mesgs"][0]
    assert (workout["sport"], workout["sub_sport"]) == ("training", "strength_training")
    steps = messages["workout_step_mesgs"]
    assert workout["num_valid_steps"] == len(steps)
    second: list[dict] = []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "workout_step":
                second.append({f.name: f.value for f in frame.fields})
    assert len(second) == len(steps)
    for ours, theirs in zip(steps, second, strict=True):
        for key in ("duration_type", "exercise_category", "wkt_step_name"):
            assert ours.get(key) == theirs.get(key)
    return second


def test_fit_workouts_hold_every_set_rep_load_and_rest(run_cli, db_path: Path) -> None:
    out = db_path.parent / "fit"
    result = run_cli(
        "export", "--format", "fit", "--week", "2", "--db", str(db_path), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    plan = current_plan(db_path)
    sessions = [s for s in planned_sessions(plan) if s.kind == "strength" and s.week == 2]
    files = sorted(out.glob("*.fit"))
    assert len(files) == len(sessions) == 2
    for path, session in zip(files, sessions, strict=True):
        assert session.day.isoformat() in path.name
        steps = decode_both(path)
        i = 0
        for ex in session.exercises:
            first = i
            for side in ("left", "right") if ex["per_side"] else (None,):
                step = steps[i]
                assert step["intensity"] == "active"
                assert step["duration_type"] == "reps" and step["duration_reps"] == ex["reps"]
                assert step["exercise_category"] in ("calf_raise", "plyo")
                assert CATALOG.get(ex["exercise"]).name in step["wkt_step_name"]
                if side:
                    assert side in step["wkt_step_name"]
                if ex["load_kg"]:
                    assert step["exercise_weight"] == pytest.approx(ex["load_kg"])
                    assert step["weight_display_unit"] == "kilogram"
                i += 1
            rest = steps[i]
            assert rest["intensity"] == "rest" and rest["duration_time"] == ex["rest_s"]
            i += 1
            repeat = steps[i]
            assert repeat["duration_type"] == "repeat_until_steps_cmplt"
            assert (repeat["duration_step"], repeat["repeat_steps"]) == (first, ex["sets"])
            i += 1
        assert i == len(steps)


def test_fit_export_without_a_session_that_day_is_refused(run_cli, db_path: Path) -> None:
    result = run_cli(
        "export",
        "--format",
        "fit",
        "--date",
        "2026-11-30",
        "--db",
        str(db_path),
        "--out",
        str(db_path.parent / "fit"),
    )
    assert result.returncode == 2
    assert result.stderr.startswith("calfcoach: error: no strength session on 2026-11-30")


# ---------------------------------------------------------------------------- PDF


def need(tool: str) -> None:
    if shutil.which(tool) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is missing in CI: run the tests through make test")
        pytest.skip(f"no {tool} here (make test installs it)")


def test_the_printable_pdf_has_a_page_a_week_naming_every_exercise(run_cli, db_path: Path) -> None:
    for tool in ("chromium", "pdftoppm", "pdftotext"):
        need(tool)
    out = db_path.parent / "plan.pdf"
    result = run_cli(
        "export", "--format", "pdf", "--weeks", "4", "--db", str(db_path), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    pages = db_path.parent / "page"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(pages)], check=True)
    rendered = sorted(db_path.parent.glob("page-*.png"))
    assert len(rendered) == 1 + 4  # the cover, then a page a week
    artifacts = ROOT / "tests" / "e2e" / "screenshots"
    artifacts.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "80",
            "-png",
            "-f",
            "2",
            "-l",
            "2",
            "-singlefile",
            str(out),
            str(artifacts / "printable-week-1"),
        ],
        check=True,
    )
    plan = current_plan(db_path)
    cover = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Calf plan: Sam" in cover and "Phase calendar" in cover
    for n, week in enumerate(plan["weeks"][:4], start=2):
        text = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(out), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        flat = " ".join(text.split())
        assert f"Week {week['index']}" in flat
        for day in week["days"]:
            for session in day["sessions"]:
                for ex in session["exercises"]:
                    assert CATALOG.get(ex["exercise"]).name in flat, (n, ex["exercise"])


def test_html_uses_letter_paper_for_imperial_profiles(run_cli, tmp_path: Path) -> None:
    imperial = tmp_path / "imperial.toml"
    imperial.write_text(SAMPLE.read_text().replace('units = "metric"', 'units = "imperial"'))
    path = tmp_path / "imperial.sqlite"
    assert run_cli("init", "--profile", str(imperial), "--db", str(path)).returncode == 0
    html = run_cli("export", "--format", "html", "--db", str(path)).stdout
    assert "size: letter" in html and " lb" in html


# ---------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("what", ["sets", "checkins", "assessments", "runs"])
def test_csv_round_trips_to_the_json_values(run_cli, db_path: Path, what: str) -> None:
    db = str(db_path)
    tuesday = date(2026, 12, 1)  # logged that day: days after today are refused
    logged = run_cli("log", "--as-prescribed", "--date", "2026-12-01", "--db", db, today=tuesday)
    assert logged.returncode == 0
    assert run_cli("log", "pogo-hops", "--reps", "20", "--db", db).returncode == 0
    assert (
        run_cli("checkin", "--pain-during", "2", "--pain-next-morning", "1", "--db", db).returncode
        == 0
    )
    assert (
        run_cli("assess", "heel-raise", "--left", "24", "--right", "27", "--db", db).returncode == 0
    )
    assert run_cli(
        "import", str(SHARED_FIXTURES / "gpx" / "Mojstrovka.gpx"), "--db", db
    ).returncode in (0, 1)
    as_csv = run_cli("export", "--format", "csv", "--what", what, "--db", db)
    as_json = run_cli("export", "--format", "json", "--what", what, "--db", db)
    assert as_csv.returncode == as_json.returncode == 0, as_csv.stderr + as_json.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    expected = [
        {k: "" if v is None else str(v) for k, v in row.items()}
        for row in json.loads(as_json.stdout)
    ]
    assert rows == expected and len(rows) >= 1
    header = as_csv.stdout.splitlines()[0].split(",")
    if what == "sets":
        assert "load_kg" in header and rows[0]["date"] == "2026-12-01"
    if what == "runs":
        assert {"start", "distance_m", "elapsed_s"} <= set(header)


def test_csv_needs_what(run_cli, db_path: Path) -> None:
    result = run_cli("export", "--format", "csv", "--db", str(db_path))
    assert result.returncode == 2
    assert "allowed: sets, checkins, runs, assessments" in result.stderr


def test_an_export_to_a_file_says_where_it_went(run_cli, db_path: Path) -> None:
    """Every export to --out names its file (FIT and PDF did; CSV, JSON, ICS and HTML said
    nothing), and a calendar with no sessions says why it is empty."""
    for fmt, out, told in (
        (["--format", "csv", "--what", "sets"], "sets.csv", "the sets written to"),
        (["--format", "json"], "backup.json", "the backup written to"),
        (["--format", "html"], "plan.html", "the plan to print written to"),
        # (The whole plan: with --weeks before the plan starts, a note says so first.)
        (["--format", "ics"], "plan.ics", "24 calf sessions written to"),
    ):
        target = db_path.parent / out
        done = run_cli("export", *fmt, "--out", str(target), "--db", str(db_path))
        assert done.returncode == 0, done.stderr
        assert done.stderr == f"calfcoach: note: {told} {target}\n"
        assert target.stat().st_size > 0
    # A red flag stops the sessions: this week's calendar holds none, and says so.
    stopped = db_path.parent / "stopped.sqlite"
    run_cli("init", "--profile", str(SAMPLE), "--db", str(stopped), "--start", "2026-11-30")
    flagged = run_cli(
        "checkin", "--pain-during", "2", "--red-flag", "swelling", "--db", str(stopped)
    )
    assert flagged.returncode == 0, flagged.stderr
    empty = run_cli("export", "--format", "ics", "--weeks", "1", "--db", str(stopped))
    assert empty.returncode == 0, empty.stderr
    assert events_of(empty.stdout.encode()) == {}
    assert "no calf sessions in the weeks exported" in empty.stderr


def test_an_export_to_a_pipe_or_a_link_writes_through_and_replaces_neither(
    run_cli, db_path: Path
) -> None:
    """The export writes a temporary file and renames it into place; renamed onto a device
    (as root, ``--out /dev/null``) it put a regular file there for every program on the
    machine (issue 13's trial). A pipe is written to and stays a pipe; a link to a file stays
    a link, and the file it names gets the export with its permissions kept."""
    import stat
    import threading

    pipe = db_path.parent / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    done = run_cli("export", "--format", "ics", "--out", str(pipe), "--db", str(db_path))
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert got and got[0].startswith(b"BEGIN:VCALENDAR")
    kept = db_path.parent / "calendars" / "plan.ics"
    kept.parent.mkdir()
    kept.write_text("old")
    kept.chmod(0o644)
    link = db_path.parent / "plan-link.ics"
    link.symlink_to(kept)
    done = run_cli("export", "--format", "ics", "--out", str(link), "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert kept.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o644


def test_an_export_to_dev_stdout_appends_to_the_file_a_redirect_opened(
    db_path: Path, tmp_path: Path
) -> None:
    """``--out /dev/stdout >> app.log``: /dev/stdout is a link to /proc/self/fd/1, here a
    file; following the link and renaming onto it would have replaced the log (review)."""
    import subprocess

    from tests.conftest import TODAY, cli_path

    log = tmp_path / "app.log"
    log.write_text("earlier lines\n")
    env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat()}
    with log.open("a") as appended:
        done = subprocess.run(
            [cli_path(), "export", "--format", "ics", "--out", "/dev/stdout", "--db", str(db_path)],
            stdout=appended, stderr=subprocess.PIPE, text=True, env=env, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    assert text.startswith("earlier lines\nBEGIN:VCALENDAR"), text[:80]


def test_a_pair_of_dumbbells_reads_the_same_everywhere(run_cli, tmp_path: Path) -> None:
    """Today said "2 × 8 kg" for a seated raise with a dumbbell on each knee; the calendar,
    the printed plan, the Week page, explain and the check-in's summary said "16 kg", and after
    a red check-in "@ 8 kg": 8 kg a knee, twice the halved dose (issue 13's trial). Every
    place now says "2 × …" for a pair."""
    db = tmp_path / "pairs.sqlite"
    made = run_cli("init", "--profile", str(SAMPLE), "--db", str(db), "--start", "2026-11-30")
    assert made.returncode == 0, made.stderr
    plan = current_plan(db)
    day, seated = next(
        (d["date"], ex)
        for w in plan["weeks"]
        for d in w["days"]
        for s in d["sessions"]
        for ex in s["exercises"]
        if ex["exercise"] == "seated-dumbbell-calf-raise" and ex["load_kg"]
    )
    each = f"2 × {seated['load_kg'] / 2:g} kg"
    calendar = run_cli("export", "--format", "ics", "--db", str(db))
    assert each in calendar.stdout.replace("\r\n ", ""), calendar.stderr
    printed = run_cli("export", "--format", "html", "--db", str(db))
    assert each in printed.stdout, printed.stderr
    explained = run_cli("explain", day, "--db", str(db))
    assert each in explained.stdout, explained.stderr
    checked_in = run_cli("checkin", "--pain-during", "7", "--db", str(db))
    assert checked_in.returncode == 0, checked_in.stderr
    line = next(x for x in checked_in.stdout.splitlines() if "seated-dumbbell" in x)
    assert line.count("@ 2 × ") == 2, line  # before and after the red halving
    # The change it made, as explain shows it (it said "3×15 @ 16 kg → 2×15 @ 8 kg").
    found = re.search(r"Next calf session, (\d{4}-\d\d-\d\d)", checked_in.stdout)
    assert found, checked_in.stdout
    why = run_cli("explain", found[1], "--db", str(db))
    # (The seated raise's line: a raise that became a hold shows its pair too, one side.)
    changed = [
        x for x in why.stdout.splitlines() if "↻" in x and "@ 2 × " in x and " s hold" not in x
    ]
    assert changed and changed[0].count("@ 2 × ") == 2, why.stdout


def test_the_checkins_table_holds_red_flags_and_clearances(run_cli, db_path: Path) -> None:
    """The check-ins' CSV and JSON held only the date and two pains: a coach's export showed no
    red flag, no clearance and no pain before (issue 13's trial). Columns only added."""
    import csv
    import io

    flagged = run_cli(
        "checkin", "--pain-during", "2", "--pain-before", "1", "--red-flag", "swelling",
        "--db", str(db_path),
    )  # fmt: skip
    assert flagged.returncode == 0, flagged.stderr
    cleared = run_cli(
        "checkin", "--pain-during", "1", "--cleared-by-clinician", "--db", str(db_path)
    )
    assert cleared.returncode == 0, cleared.stderr
    table = run_cli("export", "--format", "csv", "--what", "checkins", "--db", str(db_path))
    assert table.returncode == 0, table.stderr
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert list(rows[0])[:3] == ["date", "pain_during", "pain_next_morning"]
    assert rows[-1]["red_flag"] == "swelling" and rows[-1]["pain_before"] == "1"
    assert rows[-1]["cleared_by_clinician"] == "True"


# ---------------------------------------------------------------------------- --out files


# Every format that takes --out FILE (fit takes a folder), with the options it needs.
FILE_FORMATS = {
    "ics": ["--format", "ics", "--weeks", "1"],
    "html": ["--format", "html", "--weeks", "1"],
    "csv": ["--format", "csv", "--what", "sets"],
    "json": ["--format", "json"],
    "pdf": ["--format", "pdf", "--weeks", "1"],
}


def _need_formats(fmt: str) -> None:
    if fmt == "pdf":
        need("chromium")


@pytest.mark.parametrize("fmt", [*FILE_FORMATS, "fit"])
def test_an_export_refuses_to_replace_a_read_only_file(run_cli, db_path: Path, fmt: str) -> None:
    """``chmod 444 ro.ics; export --out ro.ics`` exited 0 with the file replaced: the export
    renames a temporary file over it, which needs only the folder's write permission (new
    user's trial, issue 13). The tests run as root, for whom every file is writable: the
    refusal goes by the file's own write bit."""
    import stat

    _need_formats(fmt)
    if fmt == "fit":
        folder = db_path.parent / "fit"
        folder.mkdir()
        target = folder / "calves-2026-12-04-1.fit"  # the second of week 1's two sessions
        args = ["--format", "fit", "--week", "1", "--out", str(folder)]
    else:
        target = db_path.parent / f"ro.{fmt}"
        args = [*FILE_FORMATS[fmt], "--out", str(target)]
    target.write_text("kept\n")
    target.chmod(0o444)
    done = run_cli("export", *args, "--db", str(db_path))
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"calfcoach: error: option --out: cannot write {target} (the file is read-only)\n"
    )
    assert target.read_text() == "kept\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temporary
    if fmt == "fit":  # checked before any file is written: week 1's other session is not
        assert [p.name for p in folder.iterdir()] == [target.name]


def _run_with_umask(umask: str, *args: str) -> subprocess.CompletedProcess[str]:
    from tests.conftest import TODAY, cli_path

    return subprocess.run(
        ["sh", "-c", f'umask {umask} && exec "$0" "$@"', cli_path(), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CALFCOACH_TODAY": TODAY.isoformat()},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("fmt", [*FILE_FORMATS, "fit"])
def test_a_new_export_file_gets_the_umasks_permissions_and_a_replaced_one_keeps_its_own(
    db_path: Path, fmt: str
) -> None:
    """New export files were created -rw------- whatever the umask (the temporary file's
    mode), while ``history --plot`` gave -rw-r--r--: a new file now gets what open() gives
    under the umask, and a file being replaced keeps its mode (new user's trial, issue 13)."""
    import stat

    _need_formats(fmt)
    if fmt == "fit":
        out = db_path.parent / "fit"
        args = ["--format", "fit", "--week", "1", "--out", str(out)]
    else:
        out = db_path.parent / f"new.{fmt}"
        args = [*FILE_FORMATS[fmt], "--out", str(out)]
    done = _run_with_umask("027", "export", *args, "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    made = sorted(out.glob("*.fit")) if fmt == "fit" else [out]
    # The backup (json) is its owner's alone (it holds password hashes): see below.
    expected = 0o600 if fmt == "json" else 0o640
    assert made and all(stat.S_IMODE(p.stat().st_mode) == expected for p in made)
    for path in made:
        path.chmod(0o600)  # the owner's own choice, kept through a re-export
    again = _run_with_umask("022", "export", *args, "--db", str(db_path))
    assert again.returncode == 0, again.stderr
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in made)


def test_a_backup_is_its_owners_alone_whatever_the_umask(db_path: Path) -> None:
    """The JSON backup holds the accounts' password hashes and calendar tokens: a new backup
    file is 0600 under umask 022, where other exports follow the umask."""
    import stat

    out = db_path.parent / "backup.json"
    args = ["export", "--format", "json", "--out", str(out), "--db", str(db_path)]
    done = _run_with_umask("022", *args)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    out.chmod(0o644)  # replaced, it is made private again (a review: it kept 0644)
    again = _run_with_umask("022", *args)
    assert again.returncode == 0, again.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_fit_export_refuses_a_missing_folder_as_the_other_formats_do(
    run_cli, db_path: Path
) -> None:
    """``--format fit --out a/b`` made ``a`` and ``b``, where every other format says the folder
    does not exist (new user's trial, issue 13). The last folder is made, as a file would be."""
    missing = db_path.parent / "missing" / "fit"
    done = run_cli("export", "--format", "fit", "--out", str(missing), "--db", str(db_path))
    assert done.returncode == 2
    assert (
        done.stderr == f"calfcoach: error: option --out: the folder of {missing} does not exist\n"
    )
    assert not missing.parent.exists()
    html = run_cli("export", "--format", "html", "--out", str(missing), "--db", str(db_path))
    assert html.returncode == 2 and html.stderr == done.stderr
    made = db_path.parent / "fit"
    done = run_cli("export", "--format", "fit", "--out", str(made), "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    assert len(list(made.glob("*.fit"))) == 2
    a_file = db_path.parent / "plan.ics"
    a_file.write_text("kept\n")
    done = run_cli("export", "--format", "fit", "--out", str(a_file), "--db", str(db_path))
    assert done.returncode == 2 and a_file.read_text() == "kept\n"
    assert done.stderr == (
        f"calfcoach: error: option --out: {a_file} is a file; allowed: a folder for fit\n"
    )


def test_one_workout_file_is_one_file_not_files(run_cli, db_path: Path) -> None:
    out = db_path.parent / "fit"
    done = run_cli(
        "export", "--format", "fit", "--date", "2026-12-01", "--out", str(out), "--db", str(db_path)
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"calfcoach: note: 1 workout file written to {out}\n"
    done = run_cli(
        "export", "--format", "fit", "--week", "2", "--out", str(out), "--db", str(db_path)
    )
    assert done.stderr == f"calfcoach: note: 2 workout files written to {out}\n"


def test_the_calendars_name_is_one_escaped_property_value(run_cli, tmp_path: Path) -> None:
    """X-WR-CALNAME was written raw: a comma, a semicolon or a backslash in the athlete's name
    changed what a calendar program reads (new user's trial, issue 13). It is escaped as TEXT
    (RFC 5545 3.3.11) by icalendar, as the events' descriptions are."""
    from icalendar.parser import unescape_backslash

    name = 'Ann, O"Neil; Jr\\n=1+1'  # a backslash and an n: names hold no control characters
    profile = tmp_path / "ann.toml"
    profile.write_text(SAMPLE.read_text().replace('name = "Sam"', f"name = {json.dumps(name)}"))
    db = tmp_path / "ann.sqlite"
    made = run_cli("init", "--profile", str(profile), "--db", str(db))
    assert made.returncode == 0, made.stderr
    calendar = run_cli("export", "--format", "ics", "--weeks", "1", "--db", str(db))
    assert calendar.returncode == 0, calendar.stderr
    parsed = Calendar.from_ical(calendar.stdout.encode())
    # (icalendar reads an X- property as an unknown type, left escaped: its TEXT escapes are
    # undone here with icalendar's own function, as a calendar program would undo them.)
    raw = parsed["X-WR-CALNAME"].to_ical().decode()
    assert unescape_backslash(raw) == f"calfcoach: {name}"
    assert len(events_of(calendar.stdout.encode())) == 2


# ---------------------------------------------------------------------------- outside the plan


PLAN_STARTS = (
    "calfcoach: note: the plan starts on 2026-11-30, after this week; "
    "the export starts with its first week\n"
)


def test_exports_before_the_plan_starts_say_they_begin_with_its_first_week(
    run_cli, db_path: Path
) -> None:
    """Before the plan's first Monday, a FIT export (this week by default) quietly wrote the
    plan's first week, and so did the calendar and the printed plan with --weeks (from this
    week on): each still does, the week the runner trains next, and says so (new user's
    trial, issue 13). Asked for the whole plan or a week, nothing is said."""
    fit = db_path.parent / "fit"
    done = run_cli("export", "--format", "fit", "--out", str(fit), "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == PLAN_STARTS + f"calfcoach: note: 2 workout files written to {fit}\n"
    assert sorted(p.name[7:17] for p in fit.glob("*.fit")) == ["2026-12-01", "2026-12-04"]
    for fmt in ("ics", "html"):
        windowed = run_cli("export", "--format", fmt, "--weeks", "1", "--db", str(db_path))
        assert windowed.returncode == 0, windowed.stderr
        assert windowed.stderr == PLAN_STARTS
        whole = run_cli("export", "--format", fmt, "--db", str(db_path))
        assert whole.returncode == 0 and whole.stderr == ""
    week = run_cli(
        "export", "--format", "fit", "--week", "1", "--out", str(fit), "--db", str(db_path)
    )
    assert week.stderr == f"calfcoach: note: 2 workout files written to {fit}\n"


def test_a_fit_export_after_the_plan_ended_writes_no_old_week(run_cli, db_path: Path) -> None:
    """After the plan's last week, the FIT export wrote week 1's sessions, months past; it says
    this week holds no plan day, as the printed plan does (new user's trial, issue 13)."""
    fit = db_path.parent / "fit"
    late = date(2027, 6, 1)
    done = run_cli("export", "--format", "fit", "--out", str(fit), "--db", str(db_path), today=late)
    assert done.returncode == 2
    assert done.stderr == (
        "calfcoach: error: this week holds no plan day (the plan ended on 2027-02-21); "
        "allowed: --week 1 to 12, or --date\n"
    )
    assert not fit.exists()
    week = run_cli(
        "export", "--format", "fit", "--week", "12", "--out", str(fit), "--db", str(db_path),
        today=late,
    )  # fmt: skip
    assert week.returncode == 0, week.stderr
