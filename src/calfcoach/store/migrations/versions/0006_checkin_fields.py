"""Add the check-in fields of DOMAIN.md §6: pain before training, red flags, a clinician's
clearance.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

Adds nullable columns (and a clearance that defaults to false): every check-in stored before
stays as it was, with no pain before, no red flag and no clearance.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

RED_FLAGS = "('sudden_pop', 'swelling', 'night_pain', 'calf_swelling_redness')"


def upgrade() -> None:
    # Batch mode: SQLite adds check constraints only by copying the table (Alembic does it).
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("pain_before", sa.Integer))
        batch.add_column(sa.Column("red_flag", sa.String(30)))
        batch.add_column(
            sa.Column("cleared_by_clinician", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.create_check_constraint(
            "ck_checkins_pain_before_range", "pain_before IS NULL OR pain_before BETWEEN 0 AND 10"
        )
        batch.create_check_constraint(
            "ck_checkins_red_flag_known", f"red_flag IS NULL OR red_flag IN {RED_FLAGS}"
        )


def downgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.drop_constraint("ck_checkins_red_flag_known", type_="check")
        batch.drop_constraint("ck_checkins_pain_before_range", type_="check")
        batch.drop_column("cleared_by_clinician")
        batch.drop_column("red_flag")
        batch.drop_column("pain_before")
