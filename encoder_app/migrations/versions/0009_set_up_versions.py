"""A version for each part of the practice set-up the workstations share (the practice, the
fee schedule, each pick list), so an editor saving over a newer save is refused as an
encounter's save is.

Revision ID: 0009_set_up_versions
Revises: 0008_user_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_set_up_versions"
down_revision = "0008_user_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "set_up_versions" not in set(sa.inspect(op.get_bind()).get_table_names()):
        op.create_table(
            "set_up_versions",
            sa.Column("name", sa.String(length=250), primary_key=True),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
            sa.Column("updated_by", sa.String(length=100), nullable=False),
        )
    op.execute("UPDATE schema_info SET version = 9")


def downgrade() -> None:
    op.drop_table("set_up_versions")
    op.execute("UPDATE schema_info SET version = 8")
