"""Give logged sets the id the client made when the set was tapped, and the client's time of
its last edit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

The web app logs a set under a UUID made on the phone (``PUT /api/v1/sets/{uuid}``), so a set
sent twice (offline, then again when the network returns) is stored once; ``client_updated_at``
lets the later of two edits made on two devices win. Both columns are nullable: sets logged
before this revision, and from the CLI, have no client id. Adds columns only: every stored set
stays as it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN and CREATE UNIQUE INDEX, no batch mode: SQLite's table copy would reflect
    # set_logs without 0004's expression index on set numbers (SQLAlchemy cannot reflect it)
    # and so drop it.
    op.add_column("set_logs", sa.Column("client_id", sa.String(36)))
    op.add_column("set_logs", sa.Column("client_updated_at", sa.DateTime(timezone=True)))
    op.create_index(
        "uq_set_logs_athlete_client_id", "set_logs", ["athlete_id", "client_id"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_set_logs_athlete_client_id", table_name="set_logs")
    op.drop_column("set_logs", "client_updated_at")
    op.drop_column("set_logs", "client_id")
