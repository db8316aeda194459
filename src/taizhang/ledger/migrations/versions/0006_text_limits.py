"""Long text is stored on both databases: the names, titles, sources, indicators and quotes that
were VARCHAR(n) become TEXT (PostgreSQL refused a 600-character title and aborted the whole
ingest; SQLite never enforced the lengths).

Column types are spelled out, so this file keeps describing revision 0006_text_limits.

Revision ID: 0006_text_limits
Revises: 0005
Create Date: 2026-12-01 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_text_limits"
down_revision = "0005"
branch_labels = None
depends_on = None

# table → (column, former VARCHAR length)
COLUMNS = {
    "documents": (("title", 500), ("source", 1000)),
    "units": (("name", 100), ("full_name", 200)),
    "unit_aliases": (("alias", 200),),
    "unit_proposals": (("name", 200),),
    "targets": (("subject", 200), ("indicator", 300), ("indicator_key", 300),
                ("qualifier", 500), ("value_text", 200)),
    "progress_reports": (("evidence_path", 1000), ("evidence_name", 300)),
    "proposed_results": (("indicator", 300),),
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column, length in columns:
                batch.alter_column(column, type_=sa.Text(), existing_type=sa.String(length))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column, length in columns:
                batch.alter_column(column, type_=sa.String(length), existing_type=sa.Text())
