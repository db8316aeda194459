"""One pending unit proposal per name: a partial unique index (state = 'pending').

Concurrent ingests proposed the same unknown subject twice; accepting one left the other
pending for ever. The upgrade keeps the oldest pending proposal of each name and deletes the
later copies (nothing refers to a proposal: targets name their subject), then adds the index.

Revision ID: 0008_pending_proposals
Revises: 0007_sessions
Create Date: 2026-12-01 23:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_pending_proposals"
down_revision = "0007_sessions"
branch_labels = None
depends_on = None

PENDING = sa.text("state = 'pending'")


def upgrade() -> None:
    op.execute(
        "DELETE FROM unit_proposals WHERE state = 'pending' AND id NOT IN "
        "(SELECT min(id) FROM unit_proposals WHERE state = 'pending' GROUP BY name)"
    )
    op.create_index("uq_unit_proposals_pending_name", "unit_proposals", ["name"], unique=True,
                    sqlite_where=PENDING, postgresql_where=PENDING)


def downgrade() -> None:
    op.drop_index("uq_unit_proposals_pending_name", table_name="unit_proposals")
