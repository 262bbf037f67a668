"""Importing watch history: every fixture, export zips, duplicates, hostile archives, undo,
and an import killed half-way."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import signal
import subprocess
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gpxpy
import pytest
import sqlalchemy as sa
from garmin_fit_sdk import Decoder, Stream
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfcoach.importers import Rejected
from calfcoach.importers.budget import ImportBudget
from calfcoach.importers.fit import read_fit, read_fit_reference
from calfcoach.importers.fit_fast import scan
from calfcoach.importers.gpx import read_gpx
from calfcoach.importers.tcx import read_tcx
from calfcoach.services import athletes, context, importing
from calfcoach.services.replan import run_waiting_replan
from tests.conftest import ROOT, SHARED_FIXTURES, TODAY, cli_path

SAMPLE = ROOT / "examples" / "profile.toml"
FIT = SHARED_FIXTURES / "fit"
GPX = SHARED_FIXTURES / "gpx"

REJECTED = {
    "Settings.fit": "not an activity (settings file)",
    "WorkoutIndividualSteps.fit": "not an activity (workout file)",
    "WorkoutRepeatSteps.fit": "not an activity (workout file)",
    "gpx_with_garmin_extension.gpx": "no track points",
    "unicode_with_bom.gpx": "no track points",
}
# Damaged files whose session garmin-fit-sdk still reads (issue 14 item 6): kept, marked
# recovered, with the damage in their note. Both hold Activity.fit's run.
RECOVERED = {
    "activity-settings-corruptheader.fit": "corrupt header",
    "activity-unexpected-eof.fit": "truncated",
}


def _all_fixtures() -> list[Path]:
    if not SHARED_FIXTURES.is_dir() and os.environ.get("CI") == "true":
        # In CI a missing fixtures folder is a broken checkout, not a reason to skip.
        raise RuntimeError(f"{SHARED_FIXTURES} is missing: the import tests need it in CI")
    return sorted(p for p in SHARED_FIXTURES.rglob("*") if p.is_file())


def test_the_shared_fixtures_are_there() -> None:
    """Fails (never skips) when ../shared/fixtures is missing, so the tests parametrized over
    it cannot pass by running on nothing (issue 13 item 8)."""
    assert len(list(FIT.glob("*.fit"))) >= 10, f"{FIT} is missing or empty"
    assert len(list(GPX.glob("*.gpx"))) >= 2, f"{GPX} is missing or empty"


@pytest.mark.parametrize("path", _all_fixtures(), ids=lambda p: p.name)
def test_every_fixture_imports_or_is_rejected_with_its_reason(path: Path) -> None:
    reader = {".fit": read_fit, ".gpx": read_gpx, ".tcx": read_tcx}[path.suffix]
    if path.name in REJECTED:
        with pytest.raises(Rejected, match=re.escape(REJECTED[path.name])):
            reader(path.read_bytes())
        return
    activity = reader(path.read_bytes())
    assert activity.start.tzinfo is not None and activity.start.year >= 2000
    assert activity.distance_m is not None and activity.distance_m > 0
    assert activity.recovered == (path.name in RECOVERED)
    if path.name in RECOVERED:
        assert any(RECOVERED[path.name] in note for note in activity.notes)
        whole = read_fit((FIT / "Activity.fit").read_bytes())
        assert (activity.start, activity.distance_m, activity.elapsed_s) == (
            whole.start,
            whole.distance_m,
            whole.elapsed_s,
        )


@pytest.mark.parametrize(
    "name",
    [p.name for p in sorted(FIT.glob("*.fit")) if p.name not in REJECTED | RECOVERED],
)
def test_fit_summaries_match_the_reference_decoder(name: str) -> None:
    data = (FIT / name).read_bytes()
    messages, _ = Decoder(Stream.from_byte_array(bytearray(data))).read(
        convert_datetimes_to_dates=False
    )
    session = messages["session_mesgs"][0]
    activity = read_fit(data)
    assert activity.sport == session["sport"]
    assert activity.distance_m == pytest.approx(session["total_distance"])
    assert activity.elapsed_s == pytest.approx(session["total_elapsed_time"])
    assert activity.moving_s == pytest.approx(session.get("total_timer_time"))
    assert activity.avg_hr == session.get("avg_heart_rate")
    if session["start_time"] >= 0x10000000:
        expected = datetime(1989, 12, 31, tzinfo=UTC) + timedelta(seconds=session["start_time"])
        assert activity.start == expected


@pytest.mark.parametrize("path", sorted(FIT.glob("*.fit")), ids=lambda p: p.name)
def test_the_fast_fit_path_equals_the_reference_decode(path: Path) -> None:
    data = path.read_bytes()

    def outcome(reader):  # type: ignore[no-untyped-def]
        try:
            return reader(data)
        except Rejected as exc:
            return f"rejected: {exc}"

    assert outcome(read_fit) == outcome(read_fit_reference)
    if path.name not in REJECTED | RECOVERED:
        assert scan(data).session is not None  # the fast path itself read it


@pytest.mark.parametrize("name", ["track-with-empty-segment.gpx", "Mojstrovka.gpx"])
def test_gpx_summaries_match_gpxpy(name: str) -> None:
    data = (GPX / name).read_bytes()
    reference = gpxpy.parse(data.decode("utf-8-sig"))
    activity = read_gpx(data)
    assert activity.distance_m == pytest.approx(reference.length_3d(), abs=0.1)
    uphill, _ = reference.get_uphill_downhill()
    assert (activity.ascent_m or 0) == pytest.approx(uphill, abs=0.1)


@pytest.fixture
def db(tmp_path: Path) -> context.Database:
    database = context.open_database(str(tmp_path / "runs.sqlite"))
    athletes.init_athlete(database, SAMPLE, None, TODAY)
    return database


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_garmin_export_shape_with_zips_in_zips(db, tmp_path: Path) -> None:
    inner = _zip(
        {
            "UploadedFiles_0-_Part1/run.fit": (FIT / "garmin-fenix-5-run.fit").read_bytes(),
            "UploadedFiles_0-_Part1/walk.fit": (FIT / "garmin-fenix-5-walk.fit").read_bytes(),
        }
    )
    export = tmp_path / "garmin_export.zip"
    export.write_bytes(
        _zip(
            {
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": inner,
                "DI_CONNECT/DI-Connect-Fitness/summary.json": b"{}",
            }
        )
    )
    report = importing.import_paths(db, None, [export], dry_run=False)
    assert (report.added, report.failures, report.exit_code) == (2, [], 0)
    assert dict(report.by_sport) == {"running": 1, "walking": 1}


def test_strava_export_shape_with_gzip_and_csv(db, tmp_path: Path) -> None:
    csv = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
        "1,x,Morning Run,Run,activities/1.gpx.gz\n"
        "2,x,Lunch Ride,Ride,activities/2.fit.gz\n"
    )
    export = tmp_path / "strava_export.zip"
    export.write_bytes(
        _zip(
            {
                "activities.csv": csv.encode(),
                "activities/1.gpx.gz": gzip.compress(
                    (GPX / "track-with-empty-segment.gpx").read_bytes()
                ),
                "activities/2.fit.gz": gzip.compress((FIT / "sample-activity.fit").read_bytes()),
            }
        )
    )
    report = importing.import_paths(db, None, [export], dry_run=False)
    assert report.added == 2 and report.exit_code == 0
    # The GPX file names no sport: the CSV does.
    assert dict(report.by_sport) == {"running": 1, "cycling": 1}
    runs = importing.list_runs(db, None, None, datetime.now(UTC)).runs
    assert {r["sport"] for r in runs} == {"running", "cycling"}


def test_the_same_activity_from_two_sources_is_stored_once(db, tmp_path: Path) -> None:
    run = (FIT / "activity-small-fenix2-run.fit").read_bytes()
    folder = tmp_path / "twice"
    folder.mkdir()
    (folder / "run.fit").write_bytes(run)
    (folder / "run-copy.fit.gz").write_bytes(gzip.compress(run))
    first = importing.import_paths(db, None, [folder], dry_run=False)
    assert (first.added, first.duplicates) == (1, 1)
    again = importing.import_paths(db, None, [folder, FIT], dry_run=False)
    assert again.added == len(list(FIT.glob("*.fit"))) - 6  # the new FIT activities only
    third = importing.import_paths(db, None, [folder, FIT], dry_run=False)
    assert third.added == 0


def test_hostile_archives_are_refused_and_the_rest_imported(db, tmp_path: Path) -> None:
    budget = ImportBudget(max_file_bytes=1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ok/run.fit", (FIT / "garmin-fenix-5-run.fit").read_bytes())
        archive.writestr("../../etc/evil.fit", b"x")
        archive.writestr("bomb.fit", b"\0" * (3 * 1024 * 1024))
        archive.writestr("notes.bin", b"hello")
    export = tmp_path / "hostile.zip"
    export.write_bytes(buffer.getvalue())
    report = importing.import_paths(db, None, [export], dry_run=False, budget=budget)
    reasons = dict(report.failures)
    assert report.added == 1 and report.exit_code == 1
    assert "leaves the archive" in reasons[f"{export}!../../etc/evil.fit"]
    assert "MB" in reasons[f"{export}!bomb.fit"]
    assert "unknown format" in reasons[f"{export}!notes.bin"]


def test_dry_run_writes_nothing_and_undo_removes_a_batch(db) -> None:
    preview = importing.import_paths(db, None, [FIT], dry_run=True)
    assert preview.added > 0 and preview.batch is None
    assert importing.list_runs(db, None, None, datetime.now(UTC)).runs == []
    first = importing.import_paths(db, None, [FIT / "garmin-fenix-5-run.fit"], dry_run=False)
    second = importing.import_paths(db, None, [FIT], dry_run=False)
    assert second.batch is not None and first.batch is not None
    batch, removed = importing.undo_import(db, None, None)
    assert (batch, removed) == (second.batch, second.added)
    left = importing.list_runs(db, None, None, datetime.now(UTC)).runs
    assert len(left) == 1


def _waits_from(db: context.Database) -> object:
    with db.unit_of_work(read_only=True) as uow:
        athlete_id, _ = context.find_athlete(uow, None)
        return uow.plans.stale_since(athlete_id)


def test_runs_added_or_undone_leave_the_plan_waiting_for_a_re_plan(db) -> None:
    """The running week and a jump in running load come from the runs (DESIGN.md lists
    "import" among what changes a plan): runs added, or an import undone, leave the weeks
    after today waiting for a re-plan, which the next read runs (services.replan). A coach's
    trial found an import changing nothing until the next check-in. A dry run, or an import
    that added nothing, leaves the plan as it was."""
    importing.import_paths(db, None, [FIT], dry_run=True, today=TODAY)
    assert _waits_from(db) is None
    importing.import_paths(db, None, [FIT / "garmin-fenix-5-run.fit"], dry_run=False, today=TODAY)
    assert _waits_from(db) == TODAY
    with db.unit_of_work() as uow:  # as a read would: the re-plan runs, the wait ends
        athlete_id, name = context.find_athlete(uow, None)
        run_waiting_replan(uow, athlete_id, name)
        uow.commit()
    assert _waits_from(db) is None
    again = importing.import_paths(
        db, None, [FIT / "garmin-fenix-5-run.fit"], dry_run=False, today=TODAY
    )
    assert again.added == 0 and _waits_from(db) is None  # a duplicate: nothing new
    importing.undo_import(db, None, None, TODAY)
    assert _waits_from(db) == TODAY


def test_exit_codes(run_cli, tmp_path: Path) -> None:
    database = str(tmp_path / "c.sqlite")
    run_cli("init", "--profile", str(SAMPLE), "--db", database)
    good = run_cli("import", str(FIT / "garmin-fenix-5-run.fit"), "--db", database)
    assert good.returncode == 0, good.stderr
    some = run_cli("import", str(FIT), "--db", database, "--format", "json")
    assert some.returncode == 1
    assert json.loads(some.stdout)["failed"]
    recovered = {n["file"]: n["note"] for n in json.loads(some.stdout)["notes"]}
    assert "truncated" in recovered[str(FIT / "activity-unexpected-eof.fit")]
    junk = tmp_path / "junk.fit"
    junk.write_bytes(b"not a fit file at all")
    none = run_cli("import", str(junk), "--db", database)
    assert none.returncode == 2 and "not a FIT file" in none.stdout
    missing = run_cli("import", str(tmp_path / "nope"), "--db", database)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    runs = run_cli("runs", "--db", database, "--format", "json")
    document = json.loads(runs.stdout)
    assert set(document) == {"runs", "weeks"}
    assert set(document["runs"][0]) == {
        "id",
        "start",
        "sport",
        "sub_sport",
        "distance_m",
        "elapsed_s",
        "moving_s",
        "ascent_m",
        "avg_hr",
        "avg_cadence",
        "intervals",  # added to the contract: laps show a structured session
        "recovered",  # added to the contract: read from a damaged file (issue 14)
        "source",
        "sha256",
        "name",  # added to the contract: the activity's name from its file
        "utc_offset_s",  # added: its local time's offset from UTC, null when unknown
    }


def _gpx_copies(folder: Path, count: int) -> None:
    template = (GPX / "track-with-empty-segment.gpx").read_text()
    folder.mkdir()
    for n in range(count):
        shifted = template.replace(
            "2013-07-06", (datetime(2013, 7, 6) + timedelta(days=n)).strftime("%Y-%m-%d")
        )
        (folder / f"run-{n:04d}.gpx").write_text(shifted)


def test_a_killed_import_resumes_to_the_same_runs(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    _gpx_copies(folder, 1000)
    env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat()}
    killed_db, whole_db = str(tmp_path / "killed.sqlite"), str(tmp_path / "whole.sqlite")
    for database in (killed_db, whole_db):
        subprocess.run(
            [cli_path(), "init", "--profile", str(SAMPLE), "--db", database],
            check=True,
            capture_output=True,
            env=env,
        )
    process = subprocess.Popen(
        [cli_path(), "import", str(folder), "--db", killed_db, "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    counter = sa.create_engine(f"sqlite:///{killed_db}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill it once some files are in
        with counter.connect() as conn:
            if conn.execute(sa.text("SELECT count(*) FROM runs")).scalar() >= 30:
                break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    partial = context.open_database(killed_db)
    done = len(importing.list_runs(partial, None, None, datetime.now(UTC)).runs)
    assert 0 < done < 1000, "the import should have been killed half-way"
    with counter.connect() as conn:
        (files, added, failed) = conn.execute(
            sa.text("SELECT files, added, failed FROM import_batches")
        ).one()
    # The batch row is written in each file's transaction: it counts what the kill left.
    assert (files, added, failed) == (done, done, 0)
    counter.dispose()
    for database in (killed_db, whole_db):
        subprocess.run(
            [cli_path(), "import", str(folder), "--db", database, "--quiet"],
            check=True,
            capture_output=True,
            env=env,
        )

    def starts(database: str) -> list[str]:
        runs = importing.list_runs(context.open_database(database), None, None, datetime.now(UTC))
        return [r["start"] for r in runs.runs]

    assert starts(killed_db) == starts(whole_db)
    assert len(starts(whole_db)) == 1000


# The recovered files hold Activity.fit's run again: duplicates, so not in a subset that counts.
FIXTURE_FILES = [p for p in _all_fixtures() if p.name not in REJECTED | RECOVERED]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.permutations(FIXTURE_FILES), st.integers(min_value=1, max_value=len(FIXTURE_FILES)))
def test_importing_any_subset_twice_in_any_order_is_the_same(tmp_path_factory, order, size):
    folder = tmp_path_factory.mktemp("subset")
    database = context.open_database(str(folder / "p.sqlite"))
    athletes.init_athlete(database, SAMPLE, None, TODAY)
    chosen = order[:size]
    importing.import_paths(database, None, chosen, dry_run=False)
    first = importing.list_runs(database, None, None, datetime.now(UTC)).runs
    importing.import_paths(database, None, list(reversed(chosen)), dry_run=False)
    second = importing.list_runs(database, None, None, datetime.now(UTC)).runs
    assert first == second
    assert len(first) == len(chosen) - 1 * ("Activity.fit" in {p.name for p in chosen} and False)


def _gpx_run(start: datetime, km: float) -> str:
    """A straight run north of `km`, one point a minute at 5:00/km."""
    minutes = int(km * 5)
    points = "".join(
        f'<trkpt lat="{46.0 + km / 111.2 * n / minutes:.6f}" lon="14.5">'
        f"<time>{(start + timedelta(minutes=n)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for n in range(minutes + 1)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
        f"{points}</trkseg></trk></gpx>"
    )


def test_auto_profile_takes_its_running_week_from_imported_runs(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "history"
    folder.mkdir()
    monday = datetime(2026, 10, 12, 7, tzinfo=UTC)
    for week in range(6):
        for day, km in ((2, 8), (5, 16)):  # Wednesday and Saturday (long)
            start = monday + timedelta(weeks=week, days=day)
            (folder / f"{week}-{day}.gpx").write_text(_gpx_run(start, km))
    auto = tmp_path / "auto.toml"
    text = SAMPLE.read_text()
    head, _, rest = text.partition("[running]")
    rest = rest[rest.index("[strength]") :]
    # A top-level key goes before the first [table] in TOML.
    auto.write_text('running = "auto"\n' + head + rest)
    database = str(tmp_path / "auto.sqlite")
    refused = run_cli("plan", "--profile", str(auto))
    assert refused.returncode == 2 and "needs imported runs" in refused.stderr
    assert "calfcoach plan reads no imported runs" in refused.stderr
    # import needs an athlete: a new one is told to init with the days typed first (a trial
    # was told "import them first", which import refused, asking for init first).
    first = run_cli("init", "--profile", str(auto), "--db", database)
    assert first.returncode == 2 and first.stderr.count("\n") == 1, first.stderr
    assert "import needs the athlete first: calfcoach init with the days typed" in first.stderr
    run_cli("init", "--profile", str(SAMPLE), "--db", database)
    before_import = run_cli("init", "--profile", str(auto), "--db", database)
    assert "calfcoach import PATH, then calfcoach init again" in before_import.stderr
    imported = run_cli("import", str(folder), "--db", database)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    again = run_cli("init", "--profile", str(auto), "--db", database)
    assert again.returncode == 0, again.stderr
    day = json.loads(
        run_cli("today", "--date", "2026-12-05", "--db", database, "--format", "json").stdout
    )
    assert day["run"] == "long"  # Saturday, from the runs
    friday = json.loads(
        run_cli("today", "--date", "2026-12-04", "--db", database, "--format", "json").stdout
    )
    assert friday["sessions"] == []  # never the day before the long run


def test_a_nested_zip_larger_than_the_member_limit_is_still_read(db, tmp_path: Path) -> None:
    budget = ImportBudget(max_file_bytes=64 * 1024)
    run = (FIT / "activity-small-fenix2-run.fit").read_bytes()  # 119 KB: over the limit
    small = (FIT / "garmin-fenix-5-run.fit").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as inner:
        inner.writestr("a.fit", small)
        inner.writestr("padding.bin", b"\1" * (100 * 1024))  # makes the inner zip > 64 KB
        inner.writestr("big.fit", run)
    export = tmp_path / "nested.zip"
    export.write_bytes(_zip({"Part1.zip": buffer.getvalue()}))
    report = importing.import_paths(db, None, [export], dry_run=False, budget=budget)
    assert report.added == 1  # a.fit; big.fit is over the (lowered) activity-file limit
    reasons = dict(report.failures)
    assert any("big.fit" in source and "MB" in reason for source, reason in reasons.items())


def _stderr_on_a_terminal(args: list[str]) -> str:
    """Run the CLI with stderr on a pseudo-terminal; return what it wrote there."""
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat(), "TERM": "xterm"}
    subprocess.run(
        [cli_path(), *args],
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env=env,
        check=False,
        timeout=120,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_shows_on_a_terminal_and_not_when_quiet(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    _gpx_copies(folder, 300)
    database = str(tmp_path / "tty.sqlite")
    subprocess.run(
        [cli_path(), "init", "--profile", str(SAMPLE), "--db", database],
        check=True,
        capture_output=True,
        env={**os.environ, "CALFCOACH_TODAY": TODAY.isoformat()},
    )
    shown = _stderr_on_a_terminal(["import", str(folder), "--db", database, "--dry-run"])
    assert "files" in shown and "runs" in shown and "failed" in shown and "files/s" in shown
    quiet = _stderr_on_a_terminal(["import", str(folder), "--db", database, "--dry-run", "--quiet"])
    assert "files/s" not in quiet


def test_a_bad_crc_keeps_the_session_as_recovered(db, tmp_path: Path) -> None:
    whole = (FIT / "garmin-fenix-5-run.fit").read_bytes()
    data = bytearray(whole)
    data[-1] ^= 0xFF  # the stored CRC itself damaged: every message is still there
    activity = read_fit(bytes(data))
    assert activity.recovered and "bad CRC" in activity.notes[-1]
    assert activity.distance_m == read_fit(whole).distance_m
    damaged = tmp_path / "damaged.fit"
    damaged.write_bytes(bytes(data))
    report = importing.import_paths(
        db, None, [damaged, FIT / "garmin-fenix-5-walk.fit"], dry_run=False
    )
    assert report.added == 2 and report.failures == []
    assert any(source == str(damaged) and "bad CRC" in note for source, note in report.notes)
    runs = importing.list_runs(db, None, None, datetime.now(UTC)).runs
    assert {r["source"]: r["recovered"] for r in runs} == {
        str(damaged): True,
        str(FIT / "garmin-fenix-5-walk.fit"): False,
    }


def test_a_file_cut_off_mid_record_keeps_the_records_read_before(tmp_path: Path) -> None:
    """A file cut before its session: the records read before the damage make the run."""
    data = (FIT / "activity-small-fenix2-run.fit").read_bytes()
    messages, _ = Decoder(Stream.from_byte_array(bytearray(data))).read(
        convert_datetimes_to_dates=False
    )
    cut = data[: len(data) // 2]
    activity = read_fit(cut)
    assert activity.recovered and "records" in activity.notes[-1]
    assert "truncated" in activity.notes[-1]
    first = datetime(1989, 12, 31, tzinfo=UTC) + timedelta(
        seconds=messages["record_mesgs"][0]["timestamp"]
    )
    assert activity.start == first
    assert 0 < (activity.distance_m or 0) < messages["session_mesgs"][0]["total_distance"]


def test_damaged_files_say_alike_what_was_kept_and_what_was_skipped() -> None:
    """Issue 13 (a new user's trial): "corrupt header: not readable as a FIT file; the session
    read before the damage kept" left them guessing. Now FIT, GPX and TCX alike say
    "damaged (what): kept …; skipped …", or that none of the file was imported."""
    eof = read_fit((FIT / "activity-unexpected-eof.fit").read_bytes())
    assert eof.notes[-1] == (
        "damaged (truncated: the file ends in the middle of a message): kept the run's "
        "session summary, read before the damage; skipped the unfinished message at its end"
    )
    chained = (FIT / "activity-settings-corruptheader.fit").read_bytes()
    whole = len((FIT / "Activity.fit").read_bytes())
    assert read_fit(chained).notes[-1] == (
        f"damaged (corrupt header: the part from byte {whole} on, a second FIT file chained "
        "to the first, is not readable): kept the run's session summary, read before the "
        f"damage; skipped the {len(chained) - whole} bytes from byte {whole} on"
    )
    crc = bytearray((FIT / "Activity.fit").read_bytes())
    crc[-1] ^= 0xFF
    note = read_fit(bytes(crc)).notes[-1]
    assert note.startswith("damaged (bad CRC: ")
    assert note.endswith(
        "kept the run's session summary, as it decoded (its numbers may be off); skipped nothing"
    )
    # Cut short: the whole file is refused, in the same words for each format.
    cut_fit = (FIT / "Activity.fit").read_bytes()[:100]
    cut_gpx = (GPX / "Mojstrovka.gpx").read_bytes()[:20000]
    cut_tcx = (SHARED_FIXTURES / "tcx" / "sup_activity_1.tcx").read_bytes()[:30000]
    for reader, data, tail in (
        (read_fit, cut_fit, "no session summary or timed record came before the damage, so"),
        (read_gpx, cut_gpx, "a GPX file is read whole, so"),
        (read_tcx, cut_tcx, "a TCX file is read whole, so"),
    ):
        with pytest.raises(Rejected) as refused:
            reader(data)
        assert str(refused.value).startswith("damaged (truncated: ")
        assert str(refused.value).endswith(f"{tail} none of it was imported")


def test_a_parse_past_its_time_limit_fails_that_file_only(db, tmp_path: Path) -> None:
    from tests.fixtures.hostile.generate import fit_records_repeated

    slow = tmp_path / "slow.fit"  # about a second to sum: far past a 1 ms limit
    slow.write_bytes(fit_records_repeated(2 * 1024 * 1024, datetime(2026, 10, 1, tzinfo=UTC)))
    report = importing.import_paths(
        db,
        None,
        [slow, FIT / "garmin-fenix-5-walk.fit"],
        dry_run=False,
        budget=ImportBudget(max_parse_seconds=0.001),
    )
    assert report.added == 1
    assert "took longer than" in dict(report.failures)[str(slow)]


def test_records_without_a_session_sum_the_same_on_both_paths() -> None:
    from tests.fixtures.hostile.generate import fit_records_only

    data = fit_records_only(500, datetime(2026, 10, 1, 7, tzinfo=UTC))
    fast, reference = read_fit(data), read_fit_reference(data)
    assert fast == reference
    assert fast.distance_m == 499 * 3.0 and fast.elapsed_s == 499


def test_one_malformed_file_in_a_batch_is_reported_and_the_rest_imported(db, tmp_path) -> None:
    bad = tmp_path / "bad.tcx"
    bad.write_bytes(
        b'<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/'
        b'xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
        b"<Id>not-a-time</Id></Activity></Activities></TrainingCenterDatabase>"
    )
    paths = [FIT / "garmin-fenix-5-run.fit", bad, FIT / "garmin-fenix-5-walk.fit"]
    report = importing.import_paths(db, None, paths, dry_run=False)
    assert (report.files, report.added, report.exit_code) == (3, 2, 1)
    assert "<Id> 'not-a-time' is not a time" in dict(report.failures)[str(bad)]


def _four_fits(tmp_path: Path) -> Path:
    names = [
        "garmin-fenix-5-run.fit",
        "sample-activity.fit",
        "activity-small-fenix2-run.fit",
        "garmin-fenix-5-walk.fit",
    ]
    export = tmp_path / "four.zip"
    export.write_bytes(_zip({name: (FIT / name).read_bytes() for name in names}))
    return export


def test_the_member_budget_is_for_the_whole_import(db, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    with zipfile.ZipFile(_four_fits(tmp_path)) as archive:
        archive.extractall(folder)
    report = importing.import_paths(
        db, None, [folder], dry_run=False, budget=ImportBudget(max_members=3)
    )
    # Three files are read, then one refusal says the rest was not.
    assert report.added == 3 and report.exit_code == 1
    ((_, reason),) = report.failures
    assert "budget of 3 files" in reason and "nothing after this was read" in reason


def test_the_unpacked_bytes_budget_is_for_the_whole_import(db, tmp_path: Path) -> None:
    budget = ImportBudget(max_total_bytes=150_000)  # the first two members are 111 KB
    report = importing.import_paths(db, None, [_four_fits(tmp_path)], dry_run=False, budget=budget)
    assert report.added == 2 and report.exit_code == 1
    ((_, reason),) = report.failures
    assert "budget of 0.1 MB unpacked" in reason  # 150 kB, rounded down


def test_a_zip_listing_more_members_than_the_budget_is_refused_unread(db, tmp_path) -> None:
    many = tmp_path / "many.zip"
    many.write_bytes(_zip({f"empty-{n}.fit": b"" for n in range(50)}))
    budget = ImportBudget(max_members=20)
    paths = [many, FIT / "garmin-fenix-5-walk.fit"]
    report = importing.import_paths(db, None, paths, dry_run=False, budget=budget)
    assert report.added == 1
    assert dict(report.failures)[str(many)].startswith("refused: the archive lists 50 members")


def test_runs_says_whether_nothing_is_imported_or_nothing_is_recent(run_cli, tmp_path) -> None:
    """Issue 13: with only old activities, `runs --weeks 8` said "No activities imported
    yet"; and one file was "1 files"."""
    database = str(tmp_path / "old.sqlite")
    assert run_cli("init", "--profile", str(SAMPLE), "--db", database).returncode == 0
    empty = run_cli("runs", "--weeks", "8", "--db", database)
    assert (empty.returncode, empty.stdout) == (
        0,
        "No activities imported yet: calfcoach import PATH\n",
    )
    old = run_cli("import", str(GPX / "Mojstrovka.gpx"), "--db", database)  # from 2010
    assert old.returncode == 0, old.stderr
    assert old.stdout.startswith("1 file: added 1 (batch 1)")
    recent = run_cli("runs", "--weeks", "8", "--db", database)
    assert (recent.returncode, recent.stdout) == (
        0,
        "No activities in the last 8 weeks; the latest is from 2010-12-14.\n",
    )
    one = run_cli("runs", "--weeks", "1", "--db", database)
    assert "in the last week;" in one.stdout
    listed = run_cli("runs", "--db", database)
    assert listed.returncode == 0 and "2010-12-14" in listed.stdout
    document = json.loads(run_cli("runs", "--weeks", "8", "--db", database, "-f", "json").stdout)
    assert document == {"runs": [], "weeks": []}  # the JSON contract is unchanged
    two = run_cli("import", str(GPX / "Mojstrovka.gpx"), str(FIT), "--db", database)
    assert re.match(r"\d+ files: added", two.stdout), two.stdout


def test_runs_for_the_last_weeks_lists_whole_weeks(run_cli, tmp_path: Path) -> None:
    """`runs --weeks 3` on a Tuesday lists this week and the two before it, Monday to Sunday:
    it went N × 7 days back, so its first week was a part-week whose total counted only its
    last days (a trial's "32 km, 3 runs" for a week of 48 km and 5)."""
    folder = tmp_path / "weeks"
    folder.mkdir()
    runs = {  # (TODAY is Tuesday 2026-11-24)
        datetime(2026, 11, 3, 7, tzinfo=UTC): 12,  # the week of 11-02: before the three
        datetime(2026, 11, 5, 7, tzinfo=UTC): 7,
        datetime(2026, 11, 9, 7, tzinfo=UTC): 5,  # the week of 11-09, whole
        datetime(2026, 11, 11, 7, tzinfo=UTC): 10,
        datetime(2026, 11, 15, 7, tzinfo=UTC): 20,
        datetime(2026, 11, 19, 7, tzinfo=UTC): 8,
        datetime(2026, 11, 23, 7, tzinfo=UTC): 6,
    }
    for start, km in runs.items():
        (folder / f"{start:%m%d}.gpx").write_text(_gpx_run(start, km))
    database = str(tmp_path / "weeks.sqlite")
    assert run_cli("init", "--profile", str(SAMPLE), "--db", database).returncode == 0
    assert run_cli("import", str(folder), "--db", database).returncode == 0
    listed = json.loads(run_cli("runs", "--weeks", "3", "--db", database, "-f", "json").stdout)
    weeks = {w["start"]: (w["runs"], round(w["km"])) for w in listed["weeks"]}
    assert weeks == {"2026-11-09": (3, 35), "2026-11-16": (1, 8), "2026-11-23": (1, 6)}
    assert len(listed["runs"]) == 5
    one = json.loads(run_cli("runs", "--weeks", "1", "--db", database, "-f", "json").stdout)
    assert [w["start"] for w in one["weeks"]] == ["2026-11-23"]


def test_a_bulk_export_cut_short_is_said_and_nothing_of_it_goes_in(db, tmp_path: Path) -> None:
    """A zip cut short loses its end record; zipfile then reads the end record of a zip
    stored inside it, and the export went in as that inner zip alone, the rest lost without
    a word (a trial's `head -c` of a bulk export). It is now one damaged file, skipped."""
    run = (FIT / "garmin-fenix-5-run.fit").read_bytes()
    other = (FIT / "activity-small-fenix2-run.fit").read_bytes()
    strava, garmin = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(strava, "w", zipfile.ZIP_STORED) as inner:
        inner.writestr("a.fit", run)
    with zipfile.ZipFile(garmin, "w", zipfile.ZIP_STORED) as inner:
        inner.writestr("b.fit", other)
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_STORED) as export:
        export.writestr("strava_export.zip", strava.getvalue())
        export.writestr("garmin_export.zip", garmin.getvalue())
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.getvalue()[: len(strava.getvalue()) + 200])
    kept = tmp_path / "kept.fit"
    kept.write_bytes(other)
    report = importing.import_paths(db, None, [cut, kept], dry_run=False)
    assert dict(report.failures) == {str(cut): "damaged zip: cut short (its end is missing)"}
    assert report.added == 1  # the other file of the batch goes in
    whole_zip = tmp_path / "whole.zip"
    whole_zip.write_bytes(whole.getvalue())
    again = importing.import_paths(db, None, [whole_zip], dry_run=True)
    assert not again.failures, again.failures
    # Cut exactly where the stored inner zip ends (an export stopped between members), and
    # bytes after a whole zip's end (which zipfile reads): the first is damage, not the second.
    inner_end = whole.getvalue().index(strava.getvalue()) + len(strava.getvalue())
    exact = tmp_path / "exact.zip"
    exact.write_bytes(whole.getvalue()[:inner_end])
    trailing = tmp_path / "trailing.zip"
    trailing.write_bytes(whole.getvalue() + b"\0" * 100)
    report = importing.import_paths(db, None, [exact, trailing], dry_run=True)
    assert dict(report.failures) == {str(exact): "damaged zip: cut short (its end is missing)"}


def test_the_import_report_counts_in_words_and_cuts_reasons_at_a_word(run_cli, tmp_path) -> None:
    """ "1 duplicates" (a trial nit), and a damaged gzip's reason cut mid-word ("…marker was
    re"): one duplicate reads in the singular, and a long reason ends at a word with "…"."""
    database = str(tmp_path / "words.sqlite")
    assert run_cli("init", "--profile", str(SAMPLE), "--db", database).returncode == 0
    run = GPX / "Mojstrovka.gpx"
    assert run_cli("import", str(run), "--db", database).returncode == 0
    again = run_cli("import", str(run), "--db", database)
    assert ", 1 duplicate, 0 skipped." in again.stdout, again.stdout
    cut = tmp_path / "cut.gpx.gz"
    cut.write_bytes(gzip.compress(run.read_bytes())[:200])
    broken = run_cli("import", str(cut), "--db", database)
    line = next(x for x in broken.stdout.splitlines() if x.startswith("skipped"))
    reason = line.split("corrupt gzip (", 1)[1].rstrip(")")
    assert reason.endswith(("…", "marker was reached")) and not reason.endswith(" re"), line


def test_a_gpx_point_off_the_globe_is_named(db, tmp_path: Path) -> None:
    """lat="95" made a track of thousands of km, reported as "distance_m … is out of range"
    (a trial): the coordinate is named, with its range, and the file skipped."""
    good = _gpx_run(datetime(2026, 11, 3, 7, tzinfo=UTC), 5)
    north = tmp_path / "north.gpx"
    north.write_text(good.replace('lat="46.000000"', 'lat="95"', 1))
    east = tmp_path / "east.gpx"
    east.write_text(good.replace('lon="14.5"', 'lon="200"', 1))
    report = importing.import_paths(db, None, [north, east], dry_run=True)
    assert dict(report.failures) == {
        str(north): "latitude 95 is out of range (-90 to 90)",
        str(east): "longitude 200 is out of range (-180 to 180)",
    }


def test_runs_lists_distances_in_the_athletes_units(run_cli, tmp_path: Path) -> None:
    """A trial's imperial runner read km in `runs`; the table follows the profile's units,
    the JSON stays in km and metres (its contract)."""
    imperial = tmp_path / "imperial.toml"
    imperial.write_text(SAMPLE.read_text().replace('units = "metric"', 'units = "imperial"', 1))
    database = str(tmp_path / "miles.sqlite")
    assert run_cli("init", "--profile", str(imperial), "--db", database).returncode == 0
    run = tmp_path / "run.gpx"
    run.write_text(_gpx_run(datetime(2026, 11, 17, 7, tzinfo=UTC), 10))
    assert run_cli("import", str(run), "--db", database).returncode == 0
    document = json.loads(run_cli("runs", "--db", database, "-f", "json").stdout)
    km = document["weeks"][0]["km"]
    table = run_cli("runs", "--db", database).stdout
    assert " mi " in table and " km " not in table, table
    assert f"{km / 1.609344:.1f}" in table, table
