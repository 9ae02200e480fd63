"""Each new encounter carries a key its workstation made, so a save retried after the server
went away mid-save (the row may or may not have been written) finds the row instead of
writing the encounter twice.

Revision ID: 0007_encounter_client_key
Revises: 0006_encounter_versions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_encounter_client_key"
down_revision = "0006_encounter_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("encounters") as table:
        table.add_column(sa.Column("client_key", sa.String(length=36), nullable=True))
    op.create_index("ix_encounters_client_key", "encounters", ["client_key"], unique=True)
    op.execute("UPDATE schema_info SET version = 7")


def downgrade() -> None:
    op.drop_index("ix_encounters_client_key", table_name="encounters")
    with op.batch_alter_table("encounters") as table:
        table.drop_column("client_key")
    op.execute("UPDATE schema_info SET version = 6")
