"""The audit log: one HMAC-chained row per read or write of clinical data.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from reverie.store.columns import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("operation", sa.String(48), nullable=False),
        sa.Column("client_id", sa.String(32), nullable=True),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_client_id", "audit_log", ["client_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_client_id", table_name="audit_log")
    op.drop_table("audit_log")
