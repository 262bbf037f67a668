"""Opening the database: which URL, the SQLite settings, and bringing the schema to head.

SQLite is the default, a file in the platform's user data folder; ``--db`` or CALFCOACH_DB
choose another file or a ``postgresql+psycopg://`` server.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from calfcoach.errors import CalfcoachError, InputError

# The newest migration. ensure_schema compares the database with it before importing Alembic,
# which costs a tenth of a second, so an up-to-date database opens fast.
HEAD_REVISION = "0012"
_TABLES_0001 = frozenset({"athletes", "plans", "set_logs", "checkins", "assessments"})
_TABLES_0002 = _TABLES_0001 | {"import_batches", "runs"}
_TABLES_0003 = _TABLES_0002 | {"calendar_feeds", "calendar_events"}
_TABLES_0009 = _TABLES_0003 | {"users", "api_tokens", "grants", "audit", "server_keys"}
_TABLES_0010 = _TABLES_0009 | {"club_defaults"}
_TABLES_0011 = _TABLES_0010 | {"stale_plans"}
# The tables (besides alembic_version) of each revision. A calfcoach database made before
# revision 0004 carries no mark; it is recognised by its revision and exactly these tables.
# A revision that adds or drops tables must add its set here.
REVISION_TABLES: dict[str, frozenset[str]] = {
    "0001": _TABLES_0001,
    "0002": _TABLES_0002,
    "0003": _TABLES_0003,
    "0004": _TABLES_0003,
    "0005": _TABLES_0003,  # set_logs.client_id (issue 15)
    "0006": _TABLES_0003,  # check-in fields (issue 12)
    "0007": _TABLES_0003,  # runs.recovered (issue 14)
    "0008": _TABLES_0003,  # assessments.pain and the hop test (issue 12)
    "0009": _TABLES_0009,  # accounts, API tokens, grants, audit (issue 16)
    "0010": _TABLES_0010,  # club defaults (issue 16)
    "0011": _TABLES_0011,  # plans waiting for a re-plan (issue 13)
    "0012": _TABLES_0011,  # the covering index of daily tops (issue 13)
}
KNOWN_REVISIONS = tuple(REVISION_TABLES)
# What marks a database as calfcoach's (from revision 0004): SQLite's application id in the
# file header ("calf" in ASCII), and on PostgreSQL the comment of the alembic_version table.
SQLITE_APPLICATION_ID = 0x63616C66
POSTGRES_MARKER = "calfcoach"
# The drivers calfcoach installs and is tested with.
SUPPORTED_DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}
_ALLOWED_URLS = "allowed: a file path, sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
# How long a SQLite writer waits for another one before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 10_000
# SQLite reads the diary through a memory map of up to this many bytes rather than read()
# calls into its small page cache: each command is a new process whose cache starts cold, and
# a cold query over ten years of sets ran 2.4× faster mapped (43 → 18 ms).
SQLITE_MMAP_BYTES = 256 * 1024 * 1024


class DatabaseError(CalfcoachError):
    """The database cannot be opened or is busy. Exit code 1 unless the URL itself is bad;
    503 on the web (try again)."""

    http_status = 503
    api_code = "unavailable"


class DatabaseUnreachable(DatabaseError):
    """A PostgreSQL server named by ``--db``/CALFCOACH_DB that cannot be reached or refuses
    the connection: the URL given is to check, so exit code 2 as for bad input (a new user's
    trial, issue 13: it was exit 1); still 503 on the web, where it may come back."""

    exit_code = 2


def default_database_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("calfcoach", appauthor=False)) / "calfcoach.sqlite"


def resolve_url(option: str | None) -> str:
    """The database URL: ``--db``, else CALFCOACH_DB, else the default SQLite file.

    A plain path means a SQLite file. An empty CALFCOACH_DB counts as unset, but an empty
    ``--db ''`` is refused: it is a mistake (an unset shell variable), not a wish for the
    default file. :raises InputError: an empty option, or a URL calfcoach cannot use.
    """
    if option is not None and not option.strip():
        raise InputError(f"option --db: {option!r} is empty; {_ALLOWED_URLS}", "db")
    raw = option or os.environ.get("CALFCOACH_DB") or str(default_database_path())
    if "://" not in raw:
        try:
            return f"sqlite:///{Path(raw).expanduser().resolve()}"
        except (OSError, RuntimeError, ValueError) as exc:
            raise InputError(
                f"database {raw!r} is not a usable path ({exc}); {_ALLOWED_URLS}"
            ) from None
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise InputError(f"database {raw!r} is not a URL; {_ALLOWED_URLS}") from None
    backend = url.get_backend_name()
    if backend not in SUPPORTED_DRIVERS:
        raise InputError(
            f"database {raw!r}: {backend} is not supported; allowed: sqlite, postgresql+psycopg"
        )
    if url.get_driver_name() != SUPPORTED_DRIVERS[backend]:
        raise InputError(
            f"database {_shown(raw)}: the driver {url.get_driver_name()} is not supported; "
            f"allowed: {backend}+{SUPPORTED_DRIVERS[backend]}"
            + ("" if backend == "postgresql" else " (sqlite:///PATH)")
        )
    return raw


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (``sqlite:///x``, ``sqlite+pysqlite:///x?timeout=5``); None
    for another database, an in-memory one or a ``file:`` URI (as make_engine reads them)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _shown(raw: str) -> str:
    """A URL as it may be printed: without its password."""
    try:
        return repr(make_url(raw).render_as_string(hide_password=True))
    except (ArgumentError, ValueError):
        return "the database URL"


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
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
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
    """An engine for ``url``; SQLite files get their folder created and their settings.

    A SQLite file must be calfcoach's, or empty, or new: checked before the engine exists, so
    nothing (not even the WAL pragma) touches another program's file. A file this process
    already holds open through SQLite was checked when it was first opened, and is not read
    again (see _OpenFiles).
    :raises InputError: the file is not calfcoach's, is damaged, or cannot be created.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        key = None
        if database and database != ":memory:" and not database.startswith("file:"):
            held = _file_key(database)
            if held is None or not OPEN_FILES.holds(held):
                check_sqlite_file(Path(database))  # creates a missing file
            key = _file_key(database)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_settings)
        event.listen(engine, "begin", _sqlite_begin)
        if key is not None:
            OPEN_FILES.follow(engine, key)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _file_key(path: str) -> tuple[int, int] | None:
    """The file itself (device and inode), whatever path, link or mount reaches it; a file
    replaced at the same path is another file. None while there is no file."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


class _OpenFiles:
    """The SQLite files this process holds connections to, and how many.

    Closing any file descriptor of a file drops every POSIX lock the process holds on it,
    including SQLite's (https://www.sqlite.org/howtocorrupt.html, section 2.2). The header
    check opens and closes the file itself, so a second ``open_database`` of a file in use
    left the first engine's connections unlocked: another process then took the WAL for its
    own, reset it, and the file ended up malformed (seen in bench/log_speed.py: five ``log``
    commands after a second open). Checking only files that no connection of this process
    holds keeps the locks."""

    def __init__(self) -> None:
        self._counts: dict[tuple[int, int], int] = {}
        self._guard = threading.Lock()

    def holds(self, key: tuple[int, int]) -> bool:
        with self._guard:
            return self._counts.get(key, 0) > 0

    def follow(self, engine: Engine, key: tuple[int, int]) -> None:
        def opened(*_: Any) -> None:
            with self._guard:
                self._counts[key] = self._counts.get(key, 0) + 1

        def closed(*_: Any) -> None:
            with self._guard:
                self._counts[key] = max(0, self._counts.get(key, 0) - 1)

        event.listen(engine, "connect", opened)
        event.listen(engine, "close", closed)
        event.listen(engine, "close_detached", closed)


OPEN_FILES = _OpenFiles()


def not_calfcoach(name: str, why: str) -> InputError:
    return InputError(
        f"{name} is not a calfcoach database ({why}); allowed: a calfcoach database, or a new "
        "or empty one"
    )


def check_sqlite_file(path: Path) -> None:
    """Make sure ``path`` is a calfcoach SQLite file, an empty one, or can be created as one.

    Only reads: the header bytes, then (read-only) the application id, the table names and
    the Alembic revision. A missing file is created empty, with its folder.
    :raises InputError: a folder, a device or FIFO, a text file, a damaged or truncated SQLite
        file, another program's database, or a path that cannot be created.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        _create_empty(path)
        return
    except OSError as exc:
        raise InputError(f"{path}: cannot open the database: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(
            f"{path} is a folder; allowed: a database file in it, e.g. --db {path}/calfcoach.sqlite"
        )
    if not stat.S_ISREG(info.st_mode):
        raise not_calfcoach(str(path), "not a regular file")
    try:
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the database: {exc.strerror or exc}") from None
    if not header:
        return  # an empty file: SQLite makes it a new database
    if not header.startswith(b"SQLite format 3\0"):
        raise not_calfcoach(str(path), "not a SQLite file")
    if len(header) < 100 or _cut_short(header, info.st_size):
        raise InputError(f"{path}: the database file is damaged (cut short); restore a backup")
    facts = _read_sqlite_facts(path, wal=header[18] == 2)
    application_id, tables, revision = facts
    if application_id == SQLITE_APPLICATION_ID:
        return
    if application_id != 0:
        raise not_calfcoach(str(path), f"application id {application_id}")
    if not tables:
        return
    if _is_unmarked_calfcoach(tables, revision):
        return  # made before revision 0004; the upgrade marks it
    raise not_calfcoach(str(path), _why_foreign(tables, revision))


def _why_foreign(tables: set[str], revision: str | None) -> str:
    known = set().union(*REVISION_TABLES.values()) | {"alembic_version"}
    if revision in REVISION_TABLES:
        # Measured against its own revision: a "users" table in a 0003 file is another
        # program's, although revision 0009 has a table of that name.
        known = REVISION_TABLES[revision] | {"alembic_version"}
    if tables - known:
        return f"it holds {_listing(tables - known)}"
    if revision is None:
        return f"it holds {_listing(tables)} but no calfcoach revision"
    if revision not in REVISION_TABLES:
        return f"its revision {revision} is not calfcoach's"
    missing = REVISION_TABLES[revision] - tables
    return f"revision {revision} without {_listing(missing)}"


def _listing(tables: set[str]) -> str:
    shown = sorted(tables)[:5]
    more = f" and {len(tables) - len(shown)} more" if len(tables) > len(shown) else ""
    return f"table{'s' if len(tables) > 1 else ''} {', '.join(shown)}{more}"


def _is_unmarked_calfcoach(tables: set[str], revision: str | None) -> bool:
    if revision is None or revision not in REVISION_TABLES:
        return False
    return tables == REVISION_TABLES[revision] | {"alembic_version"}


def _cut_short(header: bytes, size: int) -> bool:
    """The header's page count (valid when its change counter matches) says the file was
    longer: a truncated copy, which would fail later in the middle of a command."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    return valid and pages > 0 and size < pages * page_size


def _read_sqlite_facts(path: Path, wal: bool) -> tuple[int, set[str], str | None]:
    # Read-only; a WAL file without its -wal file is opened immutable, so no -wal or -shm file
    # appears beside another program's database (there is nothing in a WAL to read then).
    immutable = wal and not Path(f"{path}-wal").exists()
    uri = f"file:{quote(str(path))}?{'immutable=1' if immutable else 'mode=ro'}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            tables = {
                str(row[0])
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
                )
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = None if row is None else str(row[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "locked" in message or "busy" in message:
            raise DatabaseError(f"{path}: database busy, try again") from None
        raise InputError(f"{path}: the database file is damaged or unreadable: {message}") from None
    return application_id, tables, revision


def _create_empty(path: Path) -> None:
    """Create the folder and an empty file, so a path that cannot hold a database is one
    clear error now; SQLite makes the empty file a database."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))
    except OSError as exc:
        raise InputError(
            f"{path}: cannot create the database: {exc.strerror or exc}; allowed: a file in a "
            "folder you can write to"
        ) from None


def check_postgres(conn: Connection, name: str) -> None:
    """Make sure the PostgreSQL database is calfcoach's or empty, reading only.

    calfcoach's is marked by the comment on alembic_version (from revision 0004), or, before
    that, recognised by its revision and exactly its tables. Tables in any other schema make
    a database foreign too: calfcoach shares no database with another program.
    :raises InputError: anything else.
    """
    rows = conn.execute(
        text(
            "SELECT n.nspname = current_schema(), c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') "
            "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg!_%' ESCAPE '!'"
        )
    ).all()
    if not rows:
        return
    ours = {str(relname) for in_schema, relname in rows if in_schema}
    elsewhere = {str(relname) for in_schema, relname in rows if not in_schema}
    revision = None
    if "alembic_version" in ours:
        marker = conn.scalar(
            text("SELECT obj_description(to_regclass('alembic_version'), 'pg_class')")
        )
        if marker == POSTGRES_MARKER:
            return
        revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
    if elsewhere:
        raise not_calfcoach(name, f"it holds {_listing(elsewhere)} in another schema")
    if _is_unmarked_calfcoach(ours, revision):
        return  # made before revision 0004; the upgrade marks it
    raise not_calfcoach(name, _why_foreign(ours, revision))


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
        if engine.dialect.name == "postgresql":
            try:
                conn = engine.connect()
            except OperationalError as exc:
                raise unreachable(engine, exc) from None
            with conn:
                check_postgres(conn, repr(engine.url.render_as_string(hide_password=True)))
        revision = current_revision(engine)
    except OperationalError as exc:
        raise DatabaseError(f"cannot open the database: {_first_line(exc)}") from None
    except SQLAlchemyError as exc:
        raise translated_error(exc) from None
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


def unreachable(engine: Engine, exc: OperationalError) -> DatabaseUnreachable:
    """One line for a PostgreSQL server that cannot be connected to: the URL (its password
    masked), the driver's reason, and what to check for that reason."""
    url = engine.url
    if "password" in url.query:  # libpq takes ?password= too
        url = url.update_query_dict({"password": "***"})
    shown = url.render_as_string(hide_password=True).replace("%2A%2A%2A", "***")
    reason = _first_line(exc).removeprefix("connection failed: ")
    # libpq's "connection to server at "HOST", port N failed: WHY": the URL already says where.
    reason = re.sub(r"^connection to server (?:at|on) .*? failed: ", "", reason)
    reason = re.sub(r"^FATAL:\s+", "", reason)
    lowered = reason.lower()
    if "password" in lowered or "authentication" in lowered or "role" in lowered:
        check = "the user name and password in the URL"
    elif "database" in lowered and "does not exist" in lowered:
        check = "the database name in the URL (or create the database: createdb NAME)"
    elif "resolve host" in lowered or "translate host" in lowered:
        check = "the host name in the URL"
    else:
        check = "that a PostgreSQL server runs at the URL's host and port and takes connections"
    return DatabaseUnreachable(
        f"cannot reach the database {shown}: {reason[:_MESSAGE_CHARS]}; check {check} "
        "(--db or CALFCOACH_DB)"
    )


# SQLite's messages for a file damaged past what the checks on opening see (they read only the
# header and the schema; reading every page on each command would cost too much).
_DAMAGED = ("malformed", "not a database", "disk i/o error", "corrupt", "could not decode")
# A driver's message can quote a whole stored value; the user needs its start.
_MESSAGE_CHARS = 160


def translated_error(exc: SQLAlchemyError) -> CalfcoachError:
    """The one-line error a user sees for a database error that is not a bug in calfcoach."""
    message = _first_line(exc)
    if len(message) > _MESSAGE_CHARS:
        message = message[: _MESSAGE_CHARS - 1] + "…"
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return DatabaseError("database busy, try again")
    if any(word in lowered for word in _DAMAGED):
        return InputError(f"the database is damaged: {message}; restore a backup")
    return DatabaseError(f"cannot open the database: {message}")


def _first_line(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", exc)).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__
