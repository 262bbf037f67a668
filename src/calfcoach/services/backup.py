"""The whole-database backup (or one athlete's part of it): export every table a user would
miss as one JSON document (services.backup_format), and restore one into an empty database
through the repositories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from calfcoach.errors import InputError
from calfcoach.services.context import Database, find_athlete
from calfcoach.services.replan import run_waiting_replan

# Rows that are the club's, not one athlete's: its accounts (password hashes included), their
# API tokens, the coaches' grants and the club gym's defaults. One athlete's backup leaves
# them out (issue 13: `export --athlete Sam` wrote every athlete's diary and every account).
_CLUB_TABLES = frozenset({"users", "api_tokens", "grants", "club_defaults"})


def export_backup(db: Database, athlete: str | None = None) -> dict[str, Any]:
    """Every table a user would miss, every column (services.backup_format), one document;
    with ``athlete``, that athlete's part only: their plans, sets, check-ins, tests, imports
    and runs, calendar feeds and the audit trail of their diary, in the same format, ids
    kept, without the club's accounts, grants and defaults.

    Restoring it into an empty database and exporting again gives the same document.

    :raises NotFoundError: no athlete ``athlete`` (the athletes there are are listed).
    """
    from calfcoach.services.backup_format import backup_document
    from calfcoach.store.repositories import BACKUP_TABLES

    with db.unit_of_work() as uow:
        # A backup holds no plan waiting for a re-plan (store.repositories.NOT_BACKED_UP): they
        # run first, in their own short transaction.
        chosen = None if athlete is None else find_athlete(uow, athlete)
        for name in uow.athletes.names() if chosen is None else [chosen[1]]:
            athlete_id = uow.athletes.id_of(name)
            if athlete_id is not None:
                run_waiting_replan(uow, athlete_id, name)
        uow.commit()
    with db.unit_of_work(read_only=True) as uow:
        if chosen is None:
            tables = {table.name: uow.backup.rows(table.name) for table in BACKUP_TABLES}
        else:
            tables = {
                table.name: []
                if table.name in _CLUB_TABLES
                else uow.backup.rows(table.name, chosen[0])
                for table in BACKUP_TABLES
            }
    return backup_document(tables)


def restore_backup(
    db: Database | Callable[[], Database], document: Any, source: str, *, today: date
) -> dict[str, int]:
    """Load a backup (either format version) into an empty database, all of it or nothing.
    ``db``: the database, or what opens it once the backup has been read whole (the command
    line's: a backup refused made an empty new database file anyway, issue 13's trial).
    ``today``: the day sets, check-ins and tests may not come after (as `log` says it).

    :raises InputError: not a calfcoach backup, a bad value (with its path), a record that
        `init`, `log`, `checkin` or `assess` would refuse (services.backup_check), rows the
        database refuses, or a database that already holds athletes.

    Athletes' names are restored as they were backed up: two spellings of one name
    (core.profile.name_key) stored before such names were refused are kept, not refused or
    renamed, so the backup of such a diary still restores.
    """
    from sqlalchemy.exc import IntegrityError

    from calfcoach.services.backup_check import check_records
    from calfcoach.services.backup_format import read_backup, rows_of
    from calfcoach.store.repositories import BACKUP_TABLES

    backup = read_backup(document, source)
    check_records(backup, source, today)
    tables = rows_of(backup)
    if callable(db):
        db = db()
    with db.unit_of_work() as uow:
        if uow.athletes.names():
            raise InputError(
                f"{source}: the database already holds athletes; restore goes into an empty "
                "database (use --db NEW.sqlite)"
            )
        try:
            for table in BACKUP_TABLES:
                uow.backup.insert(table.name, tables.get(table.name, []))
            uow.backup.restart_ids()
        except IntegrityError as exc:
            # A hand-edited backup: two check-ins on one day, a feed token twice, ...
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "a constraint"
            raise InputError(f"{source}: the database refuses its rows: {reason}") from None
        uow.commit()
    return {_COUNT_NAMES[name]: len(rows) for name, rows in _counted(tables)}


# How restore names the tables it counts ("Restored 1 athletes, 12 plans, ...").
_COUNT_NAMES = {
    "athletes": "athletes",
    "plans": "plans",
    "set_logs": "sets",
    "checkins": "checkins",
    "assessments": "assessments",
    "import_batches": "import batches",
    "runs": "runs",
    "calendar_feeds": "calendar feeds",
    "calendar_events": "calendar events",
}


def _counted(tables: dict[str, list[dict[str, Any]]]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(name, tables.get(name, [])) for name in _COUNT_NAMES]
