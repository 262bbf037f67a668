"""Several calfcoach processes at once give what the same commands give one after another:
overlapping imports store each activity once, the same folder imported twice at once is no
crash, and loggers never share a set number. On SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import POSTGRES_ENV, ROOT, TODAY, cli_path
from tests.integration.test_import import _gpx_run

SAMPLE = ROOT / "examples" / "profile.toml"
ACTIVITIES = 150
IMPORTERS = 4
LOGGERS = 4
ROUNDS = 2
SETS = 3


def _env(today: date = TODAY) -> dict[str, str]:
    return {**os.environ, "CALFCOACH_TODAY": today.isoformat()}


def _at_once(
    commands: list[list[str]], today: date = TODAY
) -> list[subprocess.CompletedProcess[str]]:
    """Start every command, then wait for all: they run at the same time."""
    processes = [
        subprocess.Popen(
            [cli_path(), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(today),
            stdin=subprocess.DEVNULL,
        )
        for command in commands
    ]
    results = []
    for process, command in zip(processes, commands, strict=True):
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return results


def _one_after_another(commands: list[list[str]]) -> None:
    for command in commands:
        subprocess.run(
            [cli_path(), *command], capture_output=True, text=True, env=_env(), check=True
        )


def _second_database(database_url: str, tmp_path: Path) -> str:
    """Another empty database on the same backend (for the serial run)."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'serial.sqlite'}"
    server = os.environ[POSTGRES_ENV]
    name = f"calfcoach_{uuid.uuid4().hex[:12]}"
    with sa.create_engine(server, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)


def _drop(url: str) -> None:
    if url.startswith("postgresql"):
        name = sa.engine.make_url(url).database
        admin = sa.create_engine(os.environ[POSTGRES_ENV], isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _rows(url: str, query: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(query))]
    finally:
        engine.dispose()


def _import_folders(root: Path) -> list[Path]:
    """One folder per importer, each holding every activity, in the same order (so the
    importers reach each one at about the same time), in one of three forms: a file, a
    gzipped copy of it (the same bytes inside), or the same run from another device (its start
    30 s later: another file, the same activity)."""
    first = datetime(2026, 1, 1, 6, 0)
    folders = []
    for k in range(IMPORTERS):
        folder = root / f"importer-{k}"
        folder.mkdir()
        for n in range(ACTIVITIES):
            start = first + timedelta(days=n, minutes=n % 50)
            km = 5 + n % 7
            form = (n + k) % 3
            if form == 0:
                text = _gpx_run(start + timedelta(seconds=30), km)
                (folder / f"run-{n:04d}-watch.gpx").write_text(text)
            elif form == 1:
                data = _gpx_run(start, km).encode()
                (folder / f"run-{n:04d}.gpx.gz").write_bytes(gzip.compress(data))
            else:
                (folder / f"run-{n:04d}.gpx").write_text(_gpx_run(start, km))
        folders.append(folder)
    return folders


def _init(url: str) -> None:
    _one_after_another([["init", "--profile", str(SAMPLE), "--db", url]])


def test_overlapping_imports_at_once_store_what_serial_imports_store(
    database_url: str, tmp_path: Path
) -> None:
    folders = _import_folders(tmp_path)
    # The first folder twice: the same files imported twice at the same time.
    commands = [["import", str(f), "--quiet"] for f in [*folders, folders[0]]]
    serial = _second_database(database_url, tmp_path)
    try:
        for url in (database_url, serial):
            _init(url)
        results = _at_once([[*c, "--db", database_url] for c in commands])
        for result in results:
            assert result.returncode == 0, result.stderr
            assert "internal error" not in result.stderr + result.stdout
        _one_after_another([[*c, "--db", serial] for c in commands])
        query = "SELECT count(*), count(DISTINCT sha256) FROM runs"
        stored, expected = _rows(database_url, query)[0], _rows(serial, query)[0]
        assert stored[0] == expected[0] == ACTIVITIES
        assert stored[0] == stored[1]
        days = {str(row[0])[:10] for row in _rows(database_url, "SELECT start FROM runs")}
        assert len(days) == ACTIVITIES
        batches = _rows(database_url, "SELECT sum(added) FROM import_batches")[0][0]
        assert batches == ACTIVITIES  # each batch counted only what it stored
    finally:
        _drop(serial)


def test_loggers_at_once_never_share_a_set_number(database_url: str) -> None:
    """Loggers of one exercise and the whole day as prescribed, all at once, a few rounds:
    every set is stored, and each exercise and side is numbered 1, 2, 3 … without a number
    taken twice or skipped, as when the same commands run one after another."""
    _init(database_url)
    day = "2026-12-01"
    common = ["--date", day, "--db", database_url, "--format", "json"]
    logger = ["log", "seated-dumbbell-calf-raise", "--load", "16", "--sets", str(SETS)]
    reported = 0
    for _ in range(ROUNDS):
        results = _at_once(
            [[*logger, "--reps", "10", *common] for _ in range(LOGGERS)]
            + [["log", "--as-prescribed", *common]],
            today=date(2026, 12, 2),  # logs are for days that have come
        )
        for result in results:
            assert result.returncode == 0, result.stderr
            reported += len(json.loads(result.stdout))
    numbers = _rows(database_url, "SELECT exercise, coalesce(side, ''), set_number FROM set_logs")
    assert len(numbers) == reported
    groups: dict[tuple[object, object], list[object]] = defaultdict(list)
    for exercise, side, number in numbers:
        groups[(exercise, side)].append(number)
    for key, taken in groups.items():
        assert sorted(taken) == list(range(1, len(taken) + 1)), key  # type: ignore[type-var]
    assert len(groups[("seated-dumbbell-calf-raise", "")]) >= ROUNDS * LOGGERS * SETS
