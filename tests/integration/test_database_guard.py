"""calfcoach opens only its own databases: another program's SQLite file or PostgreSQL
database, a damaged file, a path that cannot hold a database or a bad URL is one error line
(exit 2), and a refused file stays byte for byte as it was."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from calfcoach.errors import InputError
from calfcoach.services import athletes as athletes_service
from calfcoach.services import context, diary
from calfcoach.store.db import (
    HEAD_REVISION,
    SQLITE_APPLICATION_ID,
    current_revision,
    ensure_schema,
    make_engine,
    upgrade,
)
from tests.conftest import ROOT, TODAY
from tests.integration.test_cli import assert_one_line_error

SAMPLE = ROOT / "examples" / "profile.toml"
NOT_OURS = "is not a calfcoach database"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sqlite(path: Path, *statements: str, wal: bool = False) -> Path:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


def _foreign_files(folder: Path) -> dict[str, Path]:
    return {
        "another program's tables": _sqlite(
            folder / "notes.sqlite",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
            "INSERT INTO notes (body) VALUES ('keep me')",
        ),
        "another program in WAL mode": _sqlite(
            folder / "wal.sqlite", "CREATE TABLE athletes (id INTEGER)", wal=True
        ),
        # Another Alembic-managed program at "its" revision 0001: calfcoach used to upgrade it.
        "another program's alembic_version 0001": _sqlite(
            folder / "alembic.sqlite",
            "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)",
            "INSERT INTO alembic_version VALUES ('0001')",
            "CREATE TABLE users (id INTEGER PRIMARY KEY)",
        ),
        "alembic_version 0001 alone": _sqlite(
            folder / "alembic-only.sqlite",
            "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)",
            "INSERT INTO alembic_version VALUES ('0001')",
        ),
        "another program's application id": _sqlite(
            folder / "app-id.sqlite", "PRAGMA application_id = 1234", "CREATE TABLE t (x)"
        ),
    }


@pytest.mark.parametrize("command", [["today"], ["init", "--profile", str(SAMPLE)], ["serve"]])
def test_a_foreign_sqlite_file_is_refused_and_left_byte_identical(
    run_cli, tmp_path: Path, command: list[str]
) -> None:
    for what, path in _foreign_files(tmp_path).items():
        before = _digest(path)
        result = run_cli(*command, "--db", str(path))
        assert_one_line_error(result, f"{path} {NOT_OURS}")
        assert _digest(path) == before, what
        assert not Path(f"{path}-wal").exists() and not Path(f"{path}-journal").exists(), what


def test_a_foreign_file_is_refused_by_the_services_too(tmp_path: Path) -> None:
    path = _foreign_files(tmp_path)["another program's alembic_version 0001"]
    before = _digest(path)
    with pytest.raises(InputError, match=NOT_OURS):
        context.open_database(str(path))
    with pytest.raises(InputError, match=NOT_OURS):
        make_engine(f"sqlite:///{path}")
    assert _digest(path) == before
    with sqlite3.connect(path) as conn:  # nothing was added
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert tables == {"alembic_version", "users", "sqlite_autoindex_alembic_version_1"}


def _calfcoach_file(path: Path) -> Path:
    database = context.open_database(str(path))
    athletes_service.init_athlete(database, SAMPLE, None, TODAY)
    diary.log_as_prescribed(database, None, date(2026, 12, 1))
    database.engine.dispose()
    with sqlite3.connect(path) as conn:  # everything into the main file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def test_damaged_files_and_unusable_paths_are_one_line(run_cli, tmp_path: Path) -> None:
    whole = _calfcoach_file(tmp_path / "whole.sqlite").read_bytes()
    truncated = tmp_path / "truncated.sqlite"
    truncated.write_bytes(whole[: len(whole) // 2])
    damaged = bytearray(whole)
    for page in range(3, len(whole) // 4096):  # every page after the schema, scribbled over
        damaged[page * 4096 + 100 : page * 4096 + 400] = os.urandom(300)
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(bytes(damaged))
    text = tmp_path / "notes.txt"
    text.write_text("just some notes\n")
    header_only = tmp_path / "header.sqlite"
    header_only.write_bytes(whole[:50])
    fifo = tmp_path / "pipe.sqlite"
    os.mkfifo(fifo)
    cases = [
        (str(truncated), "damaged"),
        (str(header_only), "damaged"),
        (str(text), NOT_OURS),
        (str(fifo), NOT_OURS),
        ("/proc/self/status", NOT_OURS),
        # (today and log read a diary: no file there is refused before any is made.)
        ("/proc/no-such-process/x.sqlite", "no database at /proc/no-such-process/x.sqlite"),
        (str(text / "x.sqlite"), f"no database at {text / 'x.sqlite'}"),
        (str(tmp_path), "is a folder"),
        ("", "option --db"),
        ("postgresql+psycopg2://user@localhost/db", "psycopg2 is not supported"),
        ("sqlite+pysqlcipher:///x.sqlite", "not supported"),
    ]
    for db, part in cases:
        before = _digest(Path(db)) if db and Path(db).is_file() and Path(db).stat().st_size else ""
        for command in (["today"], ["log", "--as-prescribed"]):
            assert_one_line_error(run_cli(*command, "--db", db), part)
        if before:
            assert _digest(Path(db)) == before, db
    # A command that begins a database says why it cannot.
    made = run_cli("init", "--profile", str(SAMPLE), "--db", "/proc/no-such-process/x.sqlite")
    assert_one_line_error(made, "cannot create the database")
    under_a_file = run_cli("init", "--profile", str(SAMPLE), "--db", str(text / "x.sqlite"))
    assert_one_line_error(under_a_file, "Not a directory")
    # Damage the header check cannot see is still one line when a command reads it.
    for command in (["today", "--date", "2026-12-01"], ["export", "--format", "json"]):
        assert_one_line_error(run_cli(*command, "--db", str(corrupt)), "damaged")


def test_new_and_empty_files_become_calfcoach_databases(run_cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    fresh = tmp_path / "sub" / "dir" / "new.sqlite"
    no_tables = _sqlite(tmp_path / "no-tables.sqlite", "CREATE TABLE t (x)", "DROP TABLE t")
    for path in (empty, fresh, no_tables):
        result = run_cli("init", "--profile", str(SAMPLE), "--db", str(path))
        assert result.returncode == 0, result.stderr
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA application_id").fetchone()[0] == SQLITE_APPLICATION_ID


def test_a_calfcoach_file_from_before_the_mark_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO athletes (name, profile_toml, created_at) "
                "VALUES ('Old', '[athlete]', '2025-01-01')"
            )
        )
    engine.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0
    database = context.open_database(str(path))
    assert database.backup is not None and current_revision(database.engine) == HEAD_REVISION
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA application_id").scalar() == SQLITE_APPLICATION_ID
        assert conn.execute(sa.text("SELECT name FROM athletes")).scalar() == "Old"


def test_a_calfcoach_file_with_a_table_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mixed.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0003")  # unmarked, as before revision 0004
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE users (id INTEGER)"))
    engine.dispose()
    before = _digest(path)
    with pytest.raises(InputError, match=f"{NOT_OURS} .*users"):
        context.open_database(str(path))
    assert _digest(path) == before


def test_huge_set_ids_are_one_line(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "ids.sqlite")
    run_cli("init", "--profile", str(SAMPLE), "--db", db)
    for option in ("--edit", "--delete"):
        for value in ("9223372036854775808", "99999999999999999999999999", "0", "-1"):
            extra = ["--reps", "5"] if option == "--edit" else []
            result = run_cli("log", option, value, *extra, "--db", db)
            assert_one_line_error(result, f"option {option}", "1 to 9223372036854775807")
    assert_one_line_error(
        run_cli("log", "--delete", "9223372036854775807", "--db", db), "no logged set"
    )
    assert_one_line_error(
        run_cli("import", "--undo", "99999999999999999999999", "--db", db), "no import batch"
    )


# --- PostgreSQL ---------------------------------------------------------------------------


def _postgres(database_url: str) -> sa.Engine:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    return sa.create_engine(database_url)


def _tables(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def test_a_foreign_postgresql_database_is_refused(run_cli, database_url: str) -> None:
    engine = _postgres(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
        conn.execute(sa.text("INSERT INTO invoices VALUES (1)"))
    assert_one_line_error(run_cli("init", "--profile", str(SAMPLE), "--db", database_url), NOT_OURS)
    assert _tables(engine) == {"invoices"}
    # Another program's Alembic table at "0001" is not calfcoach's either.
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES ('0001')"))
    with pytest.raises(InputError, match=NOT_OURS):
        context.open_database(database_url)
    assert _tables(engine) == {"invoices", "alembic_version"}
    engine.dispose()


def test_a_table_in_another_schema_makes_a_postgresql_database_foreign(database_url: str) -> None:
    engine = _postgres(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE SCHEMA billing"))
        conn.execute(sa.text("CREATE TABLE billing.invoices (id INTEGER)"))
    with pytest.raises(InputError, match=NOT_OURS):
        context.open_database(database_url)
    assert _tables(engine) == set()
    engine.dispose()


def test_postgresql_marks_its_schema_and_accepts_an_unmarked_older_one(database_url: str) -> None:
    engine = _postgres(database_url)
    calfcoach = make_engine(database_url)
    upgrade(calfcoach, "0003")  # as an older calfcoach left it: no mark
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT obj_description('alembic_version'::regclass)")) is None
    ensure_schema(calfcoach)
    assert current_revision(calfcoach) == HEAD_REVISION
    with engine.connect() as conn:
        marker = conn.scalar(sa.text("SELECT obj_description('alembic_version'::regclass)"))
    assert marker == "calfcoach"
    # Marked, it opens even with a table calfcoach does not know (a newer calfcoach's).
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE accounts (id INTEGER)"))
    context.open_database(database_url)
    calfcoach.dispose()
    engine.dispose()


def test_an_unreachable_postgresql_server_is_one_line_exit_2_naming_the_url(
    run_cli, tmp_path: Path
) -> None:
    """Issue 13 (a new user's trial): a server nobody listens for exited 1 with the driver's
    words only. Now exit 2, the URL with its password masked, and what to check — from
    --db and from CALFCOACH_DB alike."""
    import subprocess

    from tests.conftest import cli_path

    url = "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/x"
    shown = "postgresql+psycopg://nobody:***@127.0.0.1:1/x"
    expected = (
        f"calfcoach: error: cannot reach the database {shown}: ",
        "check that a PostgreSQL server runs at the URL's host and port and takes connections",
        "(--db or CALFCOACH_DB)",
    )
    by_option = run_cli("today", "--db", url)
    assert_one_line_error(by_option, *expected)
    by_env = subprocess.run(
        [cli_path(), "history"],
        capture_output=True,
        text=True,
        env={**os.environ, "CALFCOACH_DB": url},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert_one_line_error(by_env, *expected)
    for result in (by_option, by_env):
        assert "s3cret" not in result.stderr + result.stdout
    in_query = run_cli("runs", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x?password=s3cret")
    assert_one_line_error(in_query, "x?password=***")
    assert "s3cret" not in in_query.stderr


def test_a_server_that_refuses_the_user_or_has_no_such_database_says_what_to_check(
    database_url: str, run_cli
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL server's refusals")
    url = sa.engine.make_url(database_url)
    wrong_user = url.set(username="no_such_role", password="pw").render_as_string(False)
    assert_one_line_error(
        run_cli("today", "--db", wrong_user),
        "no_such_role:***@",
        "check the user name and password in the URL",
    )
    no_database = url.set(database="no_such_database").render_as_string(False)
    assert_one_line_error(
        run_cli("today", "--db", no_database),
        '"no_such_database" does not exist',
        "check the database name in the URL",
    )
