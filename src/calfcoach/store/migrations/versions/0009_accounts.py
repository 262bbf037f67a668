"""Accounts and access: users, API tokens, coach grants and the audit trail (issue 16).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

Five new tables (server_keys holds the key that signs session cookies) and no change
to the old ones: a database without users keeps working as a single runner's (the local
owner, no login), exactly as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("athlete_id", sa.Integer, sa.ForeignKey("athletes.id", ondelete="SET NULL")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'coach', 'athlete')", name="role_known"),
        sa.UniqueConstraint("name", name="uq_users_name"),
        sa.UniqueConstraint("athlete_id", name="uq_users_athlete_id"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("token_sha256", name="uq_api_tokens_token_sha256"),
    )
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "athlete_id",
            sa.Integer,
            sa.ForeignKey("athletes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "coach_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("level", sa.String(4), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level IN ('view', 'edit')", name="level_known"),
        sa.UniqueConstraint("athlete_id", "coach_id", name="uq_grants_athlete_coach"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("athlete_id", sa.Integer, sa.ForeignKey("athletes.id", ondelete="CASCADE")),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_audit_athlete_at", "audit", ["athlete_id", "at"])
    op.create_table(
        "server_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("purpose", sa.String(40), nullable=False),
        sa.Column("secret", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("purpose", name="uq_server_keys_purpose"),
    )


def downgrade() -> None:
    op.drop_table("server_keys")
    op.drop_index("ix_audit_athlete_at", table_name="audit")
    op.drop_table("audit")
    op.drop_table("grants")
    op.drop_table("api_tokens")
    op.drop_table("users")
