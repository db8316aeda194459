"""Indexes for the read paths: each target's latest report, a unit's targets by deadline.

`progress_reports(target_id, as_of DESC, id DESC)`:
Tracking reads each target's latest report up to a date. With this index the reports of a
target come newest first, ties broken by the later record, so neither back end sorts: SQLite
seeks once per target, PostgreSQL walks the index once for all targets. It replaces the
index on (target_id, as_of), which it covers.

`targets(unit_id, deadline, id)`: a unit's page lists its targets by deadline; with this index
PostgreSQL reads the first 200 in order instead of fetching and sorting all of them. It
replaces the index on `unit_id` alone, which it covers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain CREATE/DROP INDEX: SQLite needs no table copy for these
    op.create_index(
        "ix_progress_reports_latest",
        "progress_reports",
        ["target_id", sa.text("as_of DESC"), sa.text("id DESC")],
    )
    op.drop_index("ix_progress_reports_target_as_of", table_name="progress_reports")
    op.create_index("ix_targets_unit_deadline", "targets", ["unit_id", "deadline", "id"])
    op.drop_index("ix_targets_unit_id", table_name="targets")


def downgrade() -> None:
    op.create_index("ix_targets_unit_id", "targets", ["unit_id"])
    op.drop_index("ix_targets_unit_deadline", table_name="targets")
    op.create_index(
        "ix_progress_reports_target_as_of", "progress_reports", ["target_id", "as_of"]
    )
    op.drop_index("ix_progress_reports_latest", table_name="progress_reports")
