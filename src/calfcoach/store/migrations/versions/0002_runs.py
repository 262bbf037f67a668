"""Add imported runs and the import batches that undo them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Adds tables only: a database of 0001 keeps every athlete, plan, set, check-in and assessment
as it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer),
        sa.Column("athlete_id", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("files", sa.Integer, nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_import_batches"),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            ondelete="CASCADE",
            name="fk_import_batches_athlete_id_athletes",
        ),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer),
        sa.Column("athlete_id", sa.Integer, nullable=False),
        sa.Column("batch_id", sa.Integer, nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utc_offset_s", sa.Integer),
        sa.Column("sport", sa.String(40), nullable=False),
        sa.Column("sub_sport", sa.String(40)),
        sa.Column("distance_m", sa.Float),
        sa.Column("elapsed_s", sa.Float),
        sa.Column("moving_s", sa.Float),
        sa.Column("ascent_m", sa.Float),
        sa.Column("avg_hr", sa.Float),
        sa.Column("avg_cadence", sa.Float),
        sa.Column("name", sa.String(200)),
        sa.Column("intervals", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            ondelete="CASCADE",
            name="fk_runs_athlete_id_athletes",
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            ondelete="CASCADE",
            name="fk_runs_batch_id_import_batches",
        ),
        sa.UniqueConstraint("athlete_id", "sha256", name="uq_runs_athlete_sha256"),
    )
    op.create_index("ix_runs_athlete_start", "runs", ["athlete_id", "start"])


def downgrade() -> None:
    op.drop_table("runs")
    op.drop_table("import_batches")
