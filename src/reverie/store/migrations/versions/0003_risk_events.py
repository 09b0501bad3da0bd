"""Risk events: the clinician's queue of ideation and above, harm flags and PHQ-9 item 9.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from reverie.store.columns import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "risk_events",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("detected_at", UTCDateTime(), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_note", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_risk_events_client_id_clients", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_risk_events"),
        sa.UniqueConstraint("document_id", "turn", "level", "source", name="uq_risk_events_document_id"),
    )
    op.create_index("ix_risk_events_client_id", "risk_events", ["client_id"])


def downgrade() -> None:
    op.drop_index("ix_risk_events_client_id", table_name="risk_events")
    op.drop_table("risk_events")
