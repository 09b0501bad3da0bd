"""Analysis results: turn vectors, analyzer runs (for staleness) and annotations with evidence.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from reverie.store.columns import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "turn_vectors",
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("vectors", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], name="fk_turn_vectors_session_id_sessions", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "model", name="pk_turn_vectors"),
    )
    op.create_table(
        "analysis_runs",
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("analyzer", sa.String(64), nullable=False),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("ran_at", UTCDateTime(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_analysis_runs_client_id_clients", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "analyzer", name="pk_analysis_runs"),
    )
    op.create_table(
        "annotations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("analyzer", sa.String(64), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("lens", sa.String(32), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_annotations_client_id_clients", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_annotations"),
    )
    op.create_index("ix_annotations_document_id", "annotations", ["document_id"])
    op.create_index("ix_annotations_client_id", "annotations", ["client_id"])


def downgrade() -> None:
    op.drop_index("ix_annotations_client_id", table_name="annotations")
    op.drop_index("ix_annotations_document_id", table_name="annotations")
    op.drop_table("annotations")
    op.drop_table("analysis_runs")
    op.drop_table("turn_vectors")
