"""Opening a SQLite database that this process already holds open must not drop the locks of
the open connections (closing any descriptor of a file drops every POSIX lock the process holds
on it): another process could then take the WAL for its own and leave the file malformed, as
bench/log_speed.py once did after five `log` commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from calfcoach.services import athletes, context
from tests.conftest import ROOT, TODAY

# Another process asks to leave WAL mode, which SQLite allows only when no other connection
# holds the file: "wal" (or busy) means our connections still hold their locks.
PROBE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=0)
try:
    print(conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0])
except sqlite3.OperationalError as exc:
    print(exc)
"""


def _other_process_may_take_the_file(path: Path) -> bool:
    found = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True
    )
    return found.stdout.strip() == "delete"


def test_a_second_open_keeps_the_locks_of_the_first(tmp_path: Path) -> None:
    path = tmp_path / "held.sqlite"
    first = context.open_database(str(path))
    athletes.init_athlete(first, ROOT / "examples" / "profile.toml", None, TODAY)
    with first.engine.connect() as held:
        held.exec_driver_sql("SELECT count(*) FROM athletes").all()
        held.rollback()  # open and idle, as a pooled connection between two commands
        assert not _other_process_may_take_the_file(path)
        second = context.open_database(str(path))  # as a test, a bench or a service may
        with second.unit_of_work(read_only=True) as uow:
            assert uow.athletes.names() == ["Sam"]
        assert not _other_process_may_take_the_file(path)
        # The same file by another name: a symlink.
        linked = tmp_path / "linked.sqlite"
        linked.symlink_to(path)
        third = context.open_database(str(linked))
        assert not _other_process_may_take_the_file(path)
    for database in (first, second, third):
        database.engine.dispose()
    assert _other_process_may_take_the_file(path)  # nothing holds it now: the probe is fair


def test_a_file_no_longer_held_is_checked_again(tmp_path: Path) -> None:
    """Once every connection is closed, opening the file checks it again (it may have been
    replaced by another program's file meanwhile)."""
    import pytest

    from calfcoach.errors import InputError

    path = tmp_path / "replaced.sqlite"
    first = context.open_database(str(path))
    first.engine.dispose()
    path.write_text("not a database\n")
    with pytest.raises(InputError, match="not a SQLite file"):
        context.open_database(str(path))


def test_another_file_put_in_the_place_of_a_held_one_is_checked(tmp_path: Path) -> None:
    """What this process holds is the file, not its name: another file moved to the same path
    is checked like any other."""
    import pytest

    from calfcoach.errors import InputError

    path = tmp_path / "held.sqlite"
    first = context.open_database(str(path))
    with first.engine.connect() as held:
        held.exec_driver_sql("SELECT 1").all()
        held.rollback()
        other = tmp_path / "other.txt"
        other.write_text("not a database\n")
        os.replace(other, path)
        with pytest.raises(InputError, match="not a SQLite file"):
            context.open_database(str(path))
    first.engine.dispose()
