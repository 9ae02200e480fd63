"""Encounters carry a version and who saved it last, for optimistic saves from several
workstations; each audit entry names the workstation it came from.

Revision ID: 0006_encounter_versions
Revises: 0005_baseline
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_encounter_versions"
down_revision = "0005_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("encounters") as table:
        # Every encounter saved before this revision is its version 1.
        table.add_column(sa.Column("version", sa.Integer(), nullable=False,
                                   server_default="1"))
        table.add_column(sa.Column("updated_by", sa.String(length=100), nullable=False,
                                   server_default=""))
    with op.batch_alter_table("audit_log") as table:
        table.add_column(sa.Column("workstation", sa.String(length=100), nullable=True))
    op.execute("UPDATE schema_info SET version = 6")


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as table:
        table.drop_column("workstation")
    with op.batch_alter_table("encounters") as table:
        table.drop_column("updated_by")
        table.drop_column("version")
    op.execute("UPDATE schema_info SET version = 5")
