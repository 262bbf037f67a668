"""Pain during a test, and the hop test (DOMAIN.md §6, calf strain).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

``assessments.pain``: the 0–10 pain during a heel-raise or hop test (``assess … --pain N``);
"pain-free" raises and hops are the ones assessed with pain 0. Every test stored before keeps
no pain (NULL: not recorded, which never counts as pain-free). The kind check widens to
``hop``; nothing stored is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite changes check constraints only by copying the table (Alembic does it).
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("pain", sa.Integer))
        batch.drop_constraint("ck_assessments_kind_known", type_="check")
        batch.create_check_constraint(
            "ck_assessments_kind_known", "kind IN ('heel_raise', 'seated_1rm', 'hop')"
        )
        batch.create_check_constraint(
            "ck_assessments_pain_range", "pain IS NULL OR pain BETWEEN 0 AND 10"
        )


def downgrade() -> None:
    op.execute("DELETE FROM assessments WHERE kind = 'hop'")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint("ck_assessments_pain_range", type_="check")
        batch.drop_constraint("ck_assessments_kind_known", type_="check")
        batch.create_check_constraint(
            "ck_assessments_kind_known", "kind IN ('heel_raise', 'seated_1rm')"
        )
        batch.drop_column("pain")
