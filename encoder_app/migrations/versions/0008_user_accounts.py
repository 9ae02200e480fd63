"""Practice accounts (users: name, role, argon2 password hash) and the practice's own audit
trail of changes to the set-up, fees, pick lists and accounts.

Revision ID: 0008_user_accounts
Revises: 0007_encounter_client_key
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_user_accounts"
down_revision = "0007_encounter_client_key"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Each table only where it is missing, as the baseline does: a database is never half
    # made by this revision, but one copied together by hand may already hold them.
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "users" not in present:
        _create_users()
    if "practice_audit_log" not in present:
        _create_practice_audit_log()
    op.execute("UPDATE schema_info SET version = 8")


def _create_users() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_users_name_key", "users", ["name_key"], unique=True)


def _create_practice_audit_log() -> None:
    op.create_table(
        "practice_audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=100), nullable=False),
        sa.Column("workstation", sa.String(length=100), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
    )
    op.create_index("ix_practice_audit_at", "practice_audit_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_practice_audit_at", table_name="practice_audit_log")
    op.drop_table("practice_audit_log")
    op.drop_index("ix_users_name_key", table_name="users")
    op.drop_table("users")
    op.execute("UPDATE schema_info SET version = 7")
