"""Add private calendar feeds and the state of exported calendar events.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Adds tables only: everything stored under 0002 stays as it was. A database upgraded from 0002
has no exported events yet, so its first calendar export starts every event at SEQUENCE 0.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer),
        sa.Column("athlete_id", sa.Integer, nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_feeds"),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            ondelete="CASCADE",
            name="fk_calendar_feeds_athlete_id_athletes",
        ),
        sa.UniqueConstraint("token", name="uq_calendar_feeds_token"),
    )
    op.create_table(
        "calendar_events",
        sa.Column("id", sa.Integer),
        sa.Column("athlete_id", sa.Integer, nullable=False),
        sa.Column("uid", sa.String(200), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("cancelled", sa.Boolean, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_events"),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            ondelete="CASCADE",
            name="fk_calendar_events_athlete_id_athletes",
        ),
        sa.UniqueConstraint("athlete_id", "uid", name="uq_calendar_events_athlete_uid"),
    )


def downgrade() -> None:
    op.drop_table("calendar_events")
    op.drop_table("calendar_feeds")
