"""Mark runs recovered from damaged watch files.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

One column: ``runs.recovered``, false for every run stored before (each was read from an
undamaged file, since damaged ones were refused until now).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("recovered", sa.Boolean, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("recovered")
