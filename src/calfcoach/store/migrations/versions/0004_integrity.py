"""Mark the database as calfcoach's, and let it enforce unique set numbers and activities.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

- SQLite: ``PRAGMA application_id`` gets calfcoach's number; PostgreSQL: the alembic_version
  table gets calfcoach's comment. calfcoach opens no other database (store.db).
- A unique index on (athlete, day, exercise, side, set number): concurrent loggers on
  PostgreSQL could store the same number twice before. Such duplicates are renumbered first:
  the later set (by id) gets the next free number of its exercise that day; no set is removed.
- A unique index on (athlete, sport, start, distance): concurrent imports on PostgreSQL could
  store the same activity twice. Of rows equal in all four, the first stored stays and the
  later copies go: they are the same activity, which a serial import would have skipped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from calfcoach.store.db import POSTGRES_MARKER, SQLITE_APPLICATION_ID

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    _renumber_duplicate_sets(bind)
    op.execute(
        "DELETE FROM runs WHERE id IN (SELECT later.id FROM runs later JOIN runs earlier "
        "ON earlier.athlete_id = later.athlete_id AND earlier.sport = later.sport "
        "AND earlier.start = later.start AND earlier.distance_m = later.distance_m "
        "AND earlier.id < later.id)"
    )
    op.create_index(
        "uq_set_logs_number",
        "set_logs",
        ["athlete_id", "day", "exercise", sa.text("coalesce(side, '')"), "set_number"],
        unique=True,
    )
    op.create_index(
        "uq_runs_activity", "runs", ["athlete_id", "sport", "start", "distance_m"], unique=True
    )
    if bind.dialect.name == "sqlite":
        op.execute(f"PRAGMA application_id = {SQLITE_APPLICATION_ID}")
    else:
        op.execute(f"COMMENT ON TABLE alembic_version IS '{POSTGRES_MARKER}'")


def _renumber_duplicate_sets(bind: sa.Connection) -> None:
    rows = bind.execute(
        sa.text("SELECT id, athlete_id, day, exercise, side, set_number FROM set_logs ORDER BY id")
    ).all()
    numbers: dict[tuple[object, ...], set[int]] = {}
    for row in rows:
        numbers.setdefault((row[1], row[2], row[3], row[4] or ""), set()).add(row[5])
    seen: dict[tuple[object, ...], set[int]] = {}
    for row in rows:
        key = (row[1], row[2], row[3], row[4] or "")
        taken = seen.setdefault(key, set())
        number = row[5]
        if number in taken:
            number = max(numbers[key]) + 1
            numbers[key].add(number)
            bind.execute(
                sa.text("UPDATE set_logs SET set_number = :number WHERE id = :id"),
                {"number": number, "id": row[0]},
            )
        taken.add(number)


def downgrade() -> None:
    op.drop_index("uq_runs_activity", "runs")
    op.drop_index("uq_set_logs_number", "set_logs")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA application_id = 0")
    else:
        op.execute("COMMENT ON TABLE alembic_version IS NULL")
