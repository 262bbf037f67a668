"""Opening the database: which URL, the SQLite settings, and bringing the schema to head.

SQLite is the default, a file in the platform's user data folder; ``--db`` or CALFCOACH_DB
choose another file or a ``postgresql+psycopg://`` server.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from calfcoach.errors import CalfcoachError, InputError

# The newest migration. ensure_schema compares the database with it before importing Alembic,
# which costs a tenth of a second, so an up-to-date database opens fast.
HEAD_REVISION = "0007"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0005", "0006", "0007")
# How long a SQLite writer waits for another one before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseError(CalfcoachError):
    """The database cannot be opened or is busy. Exit code 1 unless the URL itself is bad."""


def default_database_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("calfcoach", appauthor=False)) / "calfcoach.sqlite"


def resolve_url(option: str | None) -> str:
    """The database URL: ``--db``, else CALFCOACH_DB, else the default SQLite file.

    A plain path means a SQLite file. :raises InputError: a URL SQLAlchemy cannot read.
    """
    raw = option or os.environ.get("CALFCOACH_DB") or str(default_database_path())
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    try:
        url = make_url(raw)
    except ArgumentError:
        raise InputError(
            f"database {raw!r} is not a URL; allowed: a file path, sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/DB"
        ) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise InputError(
            f"database {raw!r}: {url.get_backend_name()} is not supported; allowed: sqlite, "
            "postgresql+psycopg"
        )
    return raw


def _sqlite_settings(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy opens the transactions itself (see _sqlite_begin), not the sqlite3 module.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one process writes; foreign keys are off by default in
    # SQLite; the busy timeout makes a second writer wait instead of failing at once.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Take the write lock when the transaction starts: two processes logging at once then
    # queue on the busy timeout instead of one failing on a lock upgrade (SQLite's deferred
    # transactions deadlock when both read first and then write). Read-only units of work
    # begin deferred: in WAL mode they read a snapshot and never wait for a writer.
    if conn.get_execution_options().get(READ_ONLY_OPTION):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


READ_ONLY_OPTION = "calfcoach_read_only"
_WRITE_LOCKS_GUARD = threading.Lock()


def write_lock(engine: Engine) -> threading.Lock | None:
    """For a SQLite engine, the lock its writers take in this process first.

    Threads of one process (the web app's) then queue on this lock instead of on SQLite's
    busy handler, which polls with sleeps of up to 100 ms and gives long tail latencies. Other
    processes still wait on the busy timeout. None for PostgreSQL, whose row locks need none.
    """
    if engine.dialect.name != "sqlite":
        return None
    with _WRITE_LOCKS_GUARD:
        lock: threading.Lock | None = getattr(engine, "_calfcoach_write_lock", None)
        if lock is None:
            lock = threading.Lock()
            engine._calfcoach_write_lock = lock  # type: ignore[attr-defined]
        return lock


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and their settings."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_settings)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def current_revision(engine: Engine) -> str | None:
    """The database's Alembic revision; None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def backup_sqlite_file(path: Path, now: datetime | None = None) -> Path:
    """Copy a SQLite file (consistently, WAL included) to a timestamped file beside it."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}-before-upgrade-{stamp}{path.suffix}")
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` in one transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "calfcoach.store:migrations")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def ensure_schema(engine: Engine) -> Path | None:
    """Bring the database to the newest schema; returns the backup made first, if any.

    An empty database is created from the first migration. An older SQLite file is copied
    to a timestamped backup beside it before it is upgraded.

    :raises DatabaseError: the database cannot be reached or is from a newer calfcoach.
    """
    try:
        revision = current_revision(engine)
    except OperationalError as exc:
        raise DatabaseError(f"cannot open the database: {_first_line(exc)}") from None
    if revision == HEAD_REVISION:
        return None
    backup = None
    if revision is not None:
        if revision not in KNOWN_REVISIONS:
            raise DatabaseError(
                f"the database is at revision {revision}, which this calfcoach does not know "
                f"(it knows {', '.join(KNOWN_REVISIONS)}); a newer calfcoach made it?"
            )
        if engine.dialect.name == "sqlite" and engine.url.database:
            backup = backup_sqlite_file(Path(engine.url.database))
    upgrade(engine)
    return backup


def _first_line(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", exc)).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__
