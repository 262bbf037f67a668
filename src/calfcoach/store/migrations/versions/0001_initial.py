"""Create athletes, plans, set logs, check-ins and assessments.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "athletes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("profile_toml", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_athletes"),
        sa.UniqueConstraint("name", name="uq_athletes_name"),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer),
        sa.Column("athlete_id", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("current", sa.Boolean, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plans"),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            ondelete="CASCADE",
            name="fk_plans_athlete_id_athletes",
        ),
    )
    op.create_index("ix_plans_athlete_current", "plans", ["athlete_id", "current"])
    op.create_table(
        "set_logs",
        sa.Column("id", sa.Integer),
        sa.Column("athlete_id", sa.Integer, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("exercise", sa.String(80), nullable=False),
        sa.Column("set_number", sa.Integer, nullable=False),
        sa.Column("reps", sa.Integer, nullable=False),
        sa.Column("load_kg", sa.Float, nullable=False),
        sa.Column("rpe", sa.Float),
        sa.Column("side", sa.String(5)),
        sa.Column("hold_s", sa.Integer),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_set_logs"),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            ondelete="CASCADE",
            name="fk_set_logs_athlete_id_athletes",
        ),
        sa.CheckConstraint("reps >= 0", name="ck_set_logs_reps_not_negative"),
        sa.CheckConstraint("load_kg >= 0", name="ck_set_logs_load_not_negative"),
        sa.CheckConstraint(
            "side IS NULL OR side IN ('left', 'right')", name="ck_set_logs_side_known"
        ),
    )
    op.create_index("ix_set_logs_athlete_day", "set_logs", ["athlete_id", "day"])
    op.create_index(
        "ix_set_logs_athlete_exercise_day", "set_logs", ["athlete_id", "exercise", "day"]
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer),
        sa.Column("athlete_id", sa.Integer, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("pain_during", sa.Integer, nullable=False),
        sa.Column("pain_next_morning", sa.Integer),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checkins"),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            ondelete="CASCADE",
            name="fk_checkins_athlete_id_athletes",
        ),
        sa.CheckConstraint("pain_during BETWEEN 0 AND 10", name="ck_checkins_pain_during_range"),
        sa.CheckConstraint(
            "pain_next_morning IS NULL OR pain_next_morning BETWEEN 0 AND 10",
            name="ck_checkins_pain_next_morning_range",
        ),
        sa.UniqueConstraint("athlete_id", "day", name="uq_checkins_athlete_day"),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer),
        sa.Column("athlete_id", sa.Integer, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("left_reps", sa.Integer),
        sa.Column("right_reps", sa.Integer),
        sa.Column("value_kg", sa.Float),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assessments"),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            ondelete="CASCADE",
            name="fk_assessments_athlete_id_athletes",
        ),
        sa.CheckConstraint(
            "kind IN ('heel_raise', 'seated_1rm')", name="ck_assessments_kind_known"
        ),
    )
    op.create_index("ix_assessments_athlete_day", "assessments", ["athlete_id", "day"])


def downgrade() -> None:
    for table in ("assessments", "checkins", "set_logs", "plans", "athletes"):
        op.drop_table(table)
