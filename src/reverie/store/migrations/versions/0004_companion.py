"""Companion conversations: their turns (text and reasons encrypted) and each client's disclosure state.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from reverie.store.columns import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "companion_conversations",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("mode", sa.String(24), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_companion_conversations_client_id_clients", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_companion_conversations"),
    )
    op.create_index("ix_companion_conversations_client_id", "companion_conversations", ["client_id"])
    op.create_table(
        "companion_turns",
        sa.Column("conversation_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(16), nullable=False),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("move", sa.String(32), nullable=True),
        sa.Column("explanation", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["companion_conversations.id"], name="fk_companion_turns_conversation_id_companion_conversations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("conversation_id", "seq", name="pk_companion_turns"),
    )
    op.create_table(
        "companion_state",
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("disclosure", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_companion_state_client_id_clients", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("client_id", name="pk_companion_state"),
    )


def downgrade() -> None:
    op.drop_table("companion_state")
    op.drop_table("companion_turns")
    op.drop_index("ix_companion_conversations_client_id", table_name="companion_conversations")
    op.drop_table("companion_conversations")
