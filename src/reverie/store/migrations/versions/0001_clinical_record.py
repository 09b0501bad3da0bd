"""The clinical record: clinicians, clients, sessions, turns, journal, measures, consents.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from reverie.store.columns import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )
    op.create_table(
        "clinicians",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clinicians"),
    )
    op.create_table(
        "clients",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("pseudonym", sa.String(200), nullable=False),
        sa.Column("pseudonym_key", sa.String(200), nullable=False),
        sa.Column("locale", sa.String(35), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("clinician_id", sa.String(32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["clinician_id"], ["clinicians.id"], name="fk_clients_clinician_id_clinicians"),
        sa.PrimaryKeyConstraint("id", name="pk_clients"),
        sa.UniqueConstraint("pseudonym_key", name="uq_clients_pseudonym_key"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("planned_minutes", sa.Integer(), nullable=False),
        sa.Column("actual_minutes", sa.Integer(), nullable=True),
        sa.Column("attendance", sa.String(16), nullable=False),
        sa.Column("cancelled_by", sa.String(16), nullable=True),
        sa.Column("notice_hours", sa.Float(), nullable=True),
        sa.Column("minutes_late", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(500), nullable=True),
        sa.Column("source_sha256", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_sessions_client_id_clients", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.UniqueConstraint("client_id", "starts_at", name="uq_sessions_client_id_starts_at"),
    )
    op.create_index("ix_sessions_client_id", "sessions", ["client_id"])
    op.create_table(
        "turns",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(16), nullable=False),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        sa.Column("start_ms", sa.Integer(), nullable=True),
        sa.Column("end_ms", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], name="fk_turns_session_id_sessions", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_turns"),
        sa.UniqueConstraint("session_id", "seq", name="uq_turns_session_id_seq"),
    )
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("written_at", UTCDateTime(), nullable=False),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        sa.Column("title", sa.LargeBinary(), nullable=True),
        sa.Column("shared_with_therapist", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_journal_entries_client_id_clients", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_journal_entries"),
    )
    op.create_index("ix_journal_entries_client_id", "journal_entries", ["client_id"])
    op.create_table(
        "measure_responses",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("instrument", sa.String(32), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("taken_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_measure_responses_client_id_clients", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_measure_responses"),
    )
    op.create_index("ix_measure_responses_client_id", "measure_responses", ["client_id"])
    op.create_table(
        "consents",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.Column("note", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_consents_client_id_clients", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_consents"),
    )
    op.create_index("ix_consents_client_id", "consents", ["client_id"])


def downgrade() -> None:
    for index, table in (
        ("ix_consents_client_id", "consents"),
        ("ix_measure_responses_client_id", "measure_responses"),
        ("ix_journal_entries_client_id", "journal_entries"),
        ("ix_sessions_client_id", "sessions"),
    ):
        op.drop_index(index, table_name=table)
    for table in ("consents", "measure_responses", "journal_entries", "turns", "sessions", "clients", "clinicians", "meta"):
        op.drop_table(table)
