"""Club defaults: the club gym's equipment, loads and preferred strength days (issue 16).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

One new table of one row at most; nothing else changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "club_defaults",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("equipment", sa.Text, nullable=False),
        sa.Column("equipment_loads", sa.Text, nullable=False),
        sa.Column("preferred_days", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.CheckConstraint("id = 1", name="one_club"),
    )


def downgrade() -> None:
    op.drop_table("club_defaults")
