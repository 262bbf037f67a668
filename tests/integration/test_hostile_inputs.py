"""Hostile inputs through the real CLI (issue 14): each case of the generated corpus is
imported in a subprocess with a memory cap and a timeout. It must exit 0, 1 or 2 with no
traceback, import the valid files beside it, and a refused command must change nothing
stored. The same for the profile, plan and backup readers (/dev/zero, a FIFO, a huge file,
brackets nested 5,000 deep)."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from calfcoach.store.tables import metadata
from tests.conftest import ROOT, SHARED_FIXTURES, TODAY, cli_path
from tests.fixtures.hostile import generate

SAMPLE = ROOT / "examples" / "profile.toml"
# Address space for the CLI: Python, SQLAlchemy and a 32 MB file fit in a fraction of this;
# the bombs that took 1-23 GB before (issue 14) would not.
MEMORY_LIMIT = 1536 * 1024 * 1024
TIMEOUT_S = 60


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat(), "COLUMNS": "120"}
    return subprocess.run(
        [cli_path(), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_S,
        stdin=subprocess.DEVNULL,
        preexec_fn=_cap_memory,
    )


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output[-2000:]


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "template.sqlite"
    made = _cli("init", "--profile", str(SAMPLE), "--db", str(path))
    assert made.returncode == 0, made.stderr
    return path


def _copy(template: Path, database: Path) -> Path:
    """A copy of the initialised database (with its write-ahead log, if one is left)."""
    for suffix in ("", "-wal"):
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copy(source, f"{database}{suffix}")
    return database


def _stored(database: Path) -> dict[str, list[tuple[object, ...]]]:
    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            return {
                table: [tuple(row) for row in conn.execute(sa.text(f"SELECT * FROM {table}"))]
                for table in sorted(metadata.tables)
            }
    finally:
        engine.dispose()


CASES = generate.cases(SHARED_FIXTURES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_hostile_imports_are_refused_and_the_rest_imported(
    case: generate.Case, initialised: Path, tmp_path: Path
) -> None:
    database = _copy(initialised, tmp_path / "case.sqlite")
    paths = case.make(tmp_path)
    before = _stored(database)
    result = _cli("import", *map(str, paths), "--db", str(database), "--format", "json")
    _no_traceback(result)
    assert result.returncode in case.exit_codes, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["added"] == case.added
    assert report["failed"], "the hostile file must be reported"
    assert all(failure["reason"].strip() for failure in report["failed"])
    assert any(case.reason in failure["reason"] for failure in report["failed"]), report
    after = _stored(database)
    assert len(after["runs"]) == len(before["runs"]) + case.added
    if result.returncode == 2:
        assert after == before  # a refused command changes nothing stored
    else:
        (batch,) = [row for row in after["import_batches"] if row not in before["import_batches"]]
        # id, athlete_id, created_at, sources, files, added, failed
        assert batch[4:] == (report["files"], report["added"], len(report["failed"]))


def _fifo(folder: Path) -> Path:
    path = folder / "pipe"
    os.mkfifo(path)
    return path


def _huge(folder: Path) -> Path:
    path = folder / "huge.toml"
    with path.open("wb") as out:
        out.truncate(65 * 1024 * 1024 + 1)  # sparse: no disk used
    return path


USER_FILES = {
    "dev-zero": (lambda folder: Path("/dev/zero"), "not a regular file"),
    "fifo": (_fifo, "not a regular file"),
    "huge": (_huge, "larger than"),
    "deep-toml": (
        lambda folder: _text(folder / "deep.toml", generate.deep_toml(5000)),
        "nests brackets",
    ),
    "deep-json": (
        lambda folder: _text(folder / "deep.json", generate.deep_json(5000)),
        "nests brackets",
    ),
}


def _text(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.mark.parametrize("kind", USER_FILES)
@pytest.mark.parametrize("command", ["plan --profile", "check --plan", "restore"])
def test_hostile_user_files_exit_2_with_one_line(
    command: str, kind: str, initialised: Path, tmp_path: Path
) -> None:
    make, reason = USER_FILES[kind]
    path = str(make(tmp_path))
    database = _copy(initialised, tmp_path / "user.sqlite")
    before = _stored(database)
    args = {
        "plan --profile": ["plan", "--profile", path],
        "check --plan": ["check", path, "--profile", str(SAMPLE)],
        "restore": ["restore", path, "--db", str(database)],
    }[command]
    result = _cli(*args)
    _no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0] and path in lines[0], result.stderr
    assert _stored(database) == before
