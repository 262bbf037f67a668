"""What a refusal on the command line says (a coach's trial of a fresh clone): one line on
stderr, `calfcoach: error: ...`, naming what was given and the values allowed, with the
limits read where they are defined."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calfcoach.core.limits import HISTORY_WEEKS
from calfcoach.data import default_norms
from calfcoach.services.exporting import MAX_WEEKS
from tests.conftest import ROOT

SAMPLE = ROOT / "examples" / "profile.toml"


def one_line(result) -> str:  # type: ignore[no-untyped-def]
    """The refusal's one line (exit 2, no traceback)."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("calfcoach: error: "), lines[0]
    return lines[0]


@pytest.fixture
def db(run_cli, tmp_path: Path) -> str:
    database = str(tmp_path / "diary.sqlite")
    assert run_cli("init", "--profile", str(SAMPLE), "--db", database).returncode == 0
    return database


def test_an_import_that_imported_nothing_says_so_on_stderr(run_cli, db: str, tmp_path: Path):
    junk = tmp_path / "junk.fit"
    junk.write_bytes(b"not a fit file at all")
    text = run_cli("import", str(junk), "--db", db)
    line = one_line(text)
    assert f"nothing imported: {junk}: not a FIT file" in line, line
    assert "allowed: .fit, .gpx or .tcx files" in line, line
    # The report is still there, on stdout.
    assert "1 file: added 0, 0 duplicates, 1 skipped." in text.stdout
    assert f"skipped {junk}: not a FIT file" in text.stdout
    other = tmp_path / "junk.gpx"
    other.write_text("<gpx")
    both = run_cli("import", str(junk), str(other), "--db", db, "--format", "json")
    line = one_line(both)
    assert f"nothing imported: the 2 files were all skipped (the first, {junk}: " in line, line
    assert len(json.loads(both.stdout)["failed"]) == 2  # stdout is still the JSON report


@pytest.mark.parametrize("given", ["abc", "1.5", "1 2"])
def test_undo_says_which_batch_numbers_it_takes(run_cli, db: str, given: str) -> None:
    line = one_line(run_cli("import", "--undo", *given.split(), "--db", db))
    assert f"option --undo: {given!r} is not a batch number" in line, line
    assert "allowed: a batch number as `calfcoach import` printed it" in line, line
    unknown = one_line(run_cli("import", "--undo", "7", "--db", db))
    assert "option --undo: no import batch 7 for Sam" in unknown
    assert "allowed: a batch number as `calfcoach import` printed it" in unknown


def test_weeks_that_are_no_number_say_the_commands_range(run_cli, db: str, tmp_path: Path):
    longest = default_norms().max_plan_weeks
    for command, high in (
        (["plan", "--profile", str(SAMPLE)], longest),
        (["init", "--profile", str(SAMPLE), "--db", db], longest),
        (["history", "--db", db], HISTORY_WEEKS.high),
        (["runs", "--db", db], HISTORY_WEEKS.high),
        (["export", "--format", "ics", "--out", str(tmp_path / "x.ics"), "--db", db], MAX_WEEKS),
    ):
        line = one_line(run_cli(*command, "--weeks", "ten"))
        expected = "option --weeks: 'ten' is not a whole number; allowed: a whole number 1 to "
        assert line.endswith(expected + f"{high:g}"), (command[0], line)


@pytest.mark.parametrize("given", ["-10", "-2.5", "-3kg"])
def test_a_negative_load_is_out_of_range_and_says_the_range(run_cli, db: str, given: str):
    line = one_line(run_cli("log", "pogo-hops", "--reps", "5", "--load", given, "--db", db))
    assert f"option --load: {given} is out of range; allowed: " in line, line
    assert "from 0 (body weight alone) up to 1000 kg" in line, line


@pytest.mark.parametrize(
    "command",
    [
        ["user", "list"],
        ["today"],
        ["history"],
        ["runs"],
        ["explain"],
        ["export", "--format", "csv", "--what", "sets"],
    ],
)
def test_a_mistyped_db_path_is_refused_not_made(run_cli, tmp_path: Path, command) -> None:
    """A coach's trial: `user list --db` with a mistyped folder said "No accounts" and left a
    new folder and an empty database behind. A command that reads a diary is refused a SQLite
    file that is not there; the commands that begin one (init, user add, club set, restore,
    serve) still make it."""
    missing = tmp_path / "no-such-folder" / "club.sqlite"
    line = one_line(run_cli(*command, "--db", str(missing)))
    assert f"no database at {missing}" in line and "calfcoach init --profile FILE" in line
    assert not missing.parent.exists()
    made = run_cli("init", "--profile", str(SAMPLE), "--db", str(missing))
    assert made.returncode == 0, made.stderr
    assert run_cli(*command, "--db", str(missing)).returncode in (0, 1)


def test_the_missing_database_check_reads_the_url_as_the_engine_does(
    run_cli, db: str, tmp_path: Path
) -> None:
    """A review: the check read the raw string, so `sqlite+pysqlite:///typo/x.sqlite` still
    made a database, and `sqlite:///x.sqlite?timeout=5` of a file that is there was refused."""
    missing = tmp_path / "typo" / "x.sqlite"
    line = one_line(run_cli("today", "--db", f"sqlite+pysqlite:///{missing}"))
    assert f"no database at {missing}" in line and not missing.parent.exists()
    there = run_cli("today", "--db", f"sqlite:///{db}?timeout=5")
    assert there.returncode == 0, there.stderr
    assert (
        run_cli("today", "--db", "sqlite:///:memory:").returncode == 2
    )  # no athlete: not "no database"


def test_a_refused_init_leaves_no_new_database_behind(run_cli, tmp_path: Path) -> None:
    """A trial: `init` of a profile it refused (a missing file, a name with a trailing space,
    a body mass out of range) still made an empty database, and the next read then said "no
    athlete" rather than "no database"."""
    spaced = tmp_path / "spaced.toml"
    spaced.write_text(SAMPLE.read_text().replace('name = "Sam"', 'name = "Sam "', 1))
    heavy = tmp_path / "heavy.toml"
    heavy.write_text(SAMPLE.read_text().replace("body_mass_kg = 68", "body_mass_kg = 900", 1))
    for profile in (tmp_path / "missing.toml", spaced, heavy):
        path = tmp_path / f"{profile.stem}.sqlite"
        one_line(run_cli("init", "--profile", str(profile), "--db", str(path)))
        assert not path.exists(), profile


def test_a_backup_redirected_to_a_file_is_private(db: str, tmp_path: Path) -> None:
    """README: `calfcoach export --format json > backup.json`; the backup holds password
    hashes, and `--out` writes it readable by its owner alone. Redirected by the shell, the
    file came out readable by everyone (a trial)."""
    import os
    import subprocess

    from tests.conftest import cli_path

    backup = tmp_path / "backup.json"
    with backup.open("w") as out:
        os.chmod(backup, 0o644)  # as a shell with umask 022 makes it
        done = subprocess.run(
            [cli_path(), "export", "--format", "json", "--db", db],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "CALFCOACH_TODAY": "2026-11-24"},
        )
    assert done.returncode == 0, done.stderr
    assert json.loads(backup.read_text())["calfcoach_backup"]
    assert backup.stat().st_mode & 0o777 == 0o600
