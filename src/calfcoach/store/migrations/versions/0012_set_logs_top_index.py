"""The history's daily tops read from an index alone (issue 13).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

`history` and the Progress page ask, per exercise and day, for the top set and the day's
volume (SetLogRepository.daily_tops). The (athlete, exercise, day) index found the rows, but
each row's reps, load and RPE were then read from the table: over ten years of logs (158,000
sets) the query took 150 ms of the 230 ms that ten years add to `history`. The same index
with each set's id and those three columns added answers it from the index alone, and still
serves every query the old one did, so it replaces it. Of two sets with the same estimate,
SQLite now names the first logged the day's top, as PostgreSQL does.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OLD = ("ix_set_logs_athlete_exercise_day", ["athlete_id", "exercise", "day"])
# id before the values: of a day's sets with the same estimate, SQLite's max() keeps the first
# it reads, which is then the first logged, as PostgreSQL's query orders them (the old plan
# read the left side's sets before the right's, so the two databases could name different
# top sets).
NEW = (
    "ix_set_logs_exercise_tops",
    ["athlete_id", "exercise", "day", "id", "reps", "load_kg", "rpe"],
)


def upgrade() -> None:
    op.create_index(NEW[0], "set_logs", NEW[1])
    op.drop_index(OLD[0], table_name="set_logs")


def downgrade() -> None:
    op.create_index(OLD[0], "set_logs", OLD[1])
    op.drop_index(NEW[0], table_name="set_logs")
