"""Plans waiting for a re-plan (issue 13, lazy re-planning).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

One new table, stale_plans: an athlete's row says their plan's weeks after ``since`` wait for
a re-plan. An empty table is the old behaviour (every plan up to date), so nothing to migrate.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stale_plans",
        sa.Column(
            "athlete_id",
            sa.Integer,
            sa.ForeignKey("athletes.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("since", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stale_plans")
