"""Targets get `indicator_key` (normalised indicator) and an index on (unit_id, indicator_key).

Ingest recognises a restatement by the same unit and the same indicator; comparing normalised
keys in an index is what keeps that lookup fast on a large ledger. Existing rows are backfilled
in place. The normaliser is copied here (not imported) so this revision never changes meaning.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 00:50:00
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_NOISE = re.compile(r"[\s\u3000“”‘’\"'《》「」『』()（）\[\]【】、，,。.·・:：;；-]+")


def _key(indicator: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", indicator)).lower()[:300]


def upgrade() -> None:
    with op.batch_alter_table("targets") as batch_op:
        batch_op.add_column(
            sa.Column("indicator_key", sa.String(length=300), nullable=False, server_default="")
        )
    targets = sa.table(
        "targets",
        sa.column("id", sa.Integer),
        sa.column("indicator", sa.String),
        sa.column("indicator_key", sa.String),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(targets.c.id, targets.c.indicator)).all()
    if rows:
        conn.execute(
            targets.update()
            .where(targets.c.id == sa.bindparam("tid"))
            .values(indicator_key=sa.bindparam("key")),
            [{"tid": r.id, "key": _key(r.indicator)} for r in rows],
        )
    with op.batch_alter_table("targets") as batch_op:
        batch_op.create_index("ix_targets_unit_indicator_key", ["unit_id", "indicator_key"])


def downgrade() -> None:
    with op.batch_alter_table("targets") as batch_op:
        batch_op.drop_index("ix_targets_unit_indicator_key")
        batch_op.drop_column("indicator_key")
