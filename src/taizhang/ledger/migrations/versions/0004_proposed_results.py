"""Proposed results: what a later document reports for a target, awaiting a supervisor.

`taizhang results propose` links each target to the result a later report prints for the same
unit, indicator and year (promise versus delivery); confirming one turns it into a progress
report. Column types are spelled out (not imported from models), as in 0001.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 08:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposed_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=30, scale=6), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("indicator", sa.String(length=300), nullable=False),
        sa.Column("value_start", sa.Integer(), nullable=False),
        sa.Column("value_end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("quote_start", sa.Integer(), nullable=False),
        sa.Column("quote_end", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("progress_report_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_proposed_results_document_id_documents")),
        sa.ForeignKeyConstraint(
            ["progress_report_id"], ["progress_reports.id"], ondelete="SET NULL",
            name=op.f("fk_proposed_results_progress_report_id_progress_reports"),
        ),
        sa.ForeignKeyConstraint(["target_id"], ["targets.id"], ondelete="CASCADE", name=op.f("fk_proposed_results_target_id_targets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposed_results")),
        sa.UniqueConstraint("target_id", "document_id", "value_start", name="uq_proposed_results_statement"),
    )
    with op.batch_alter_table("proposed_results") as batch_op:
        batch_op.create_index(batch_op.f("ix_proposed_results_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposed_results_target_id"), ["target_id"], unique=False)


def downgrade() -> None:
    op.drop_table("proposed_results")
