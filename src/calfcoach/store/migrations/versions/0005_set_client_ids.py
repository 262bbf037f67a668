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
    # batch mode: SQLite cannot add a constraint to an existing table in place.
    with op.batch_alter_table("set_logs") as batch:
        batch.add_column(sa.Column("client_id", sa.String(36)))
        batch.add_column(sa.Column("client_updated_at", sa.DateTime(timezone=True)))
        batch.create_unique_constraint("uq_set_logs_athlete_client_id", ["athlete_id", "client_id"])


def downgrade() -> None:
    with op.batch_alter_table("set_logs") as batch:
        batch.drop_constraint("uq_set_logs_athlete_client_id", type_="unique")
        batch.drop_column("client_updated_at")
        batch.drop_column("client_id")
