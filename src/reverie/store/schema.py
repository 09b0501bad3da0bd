"""The tables. Alembic migrations under ``migrations/`` create them; a test checks both agree.

Free text (turn text, journal text and titles, consent notes) is stored only as ciphertext
(``LargeBinary``): see ``crypto.py``.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from reverie.store.columns import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)

clinicians = Table(
    "clinicians",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
)

clients = Table(
    "clients",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("pseudonym", String(200), nullable=False),
    # Lower-cased pseudonym: unique, so "maya" and "Maya" cannot be two clients.
    Column("pseudonym_key", String(200), nullable=False, unique=True),
    Column("locale", String(35), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("clinician_id", String(32), ForeignKey("clinicians.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("client_id", String(32), ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("planned_minutes", Integer, nullable=False),
    Column("actual_minutes", Integer, nullable=True),
    Column("attendance", String(16), nullable=False),
    Column("cancelled_by", String(16), nullable=True),
    Column("notice_hours", Float, nullable=True),
    Column("minutes_late", Integer, nullable=False),
    Column("source", String(500), nullable=True),
    Column("source_sha256", String(64), nullable=True),
    UniqueConstraint("client_id", "starts_at", name="uq_sessions_client_id_starts_at"),
)

turns = Table(
    "turns",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("session_id", String(32), ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("speaker", String(16), nullable=False),
    Column("text", LargeBinary, nullable=False),
    Column("start_ms", Integer, nullable=True),
    Column("end_ms", Integer, nullable=True),
    UniqueConstraint("session_id", "seq", name="uq_turns_session_id_seq"),
)

journal_entries = Table(
    "journal_entries",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("client_id", String(32), ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("written_at", UTCDateTime, nullable=False),
    Column("text", LargeBinary, nullable=False),
    Column("title", LargeBinary, nullable=True),
    Column("shared_with_therapist", Boolean, nullable=False),
    Column("source", String(500), nullable=True),
)

measure_responses = Table(
    "measure_responses",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("client_id", String(32), ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    Column("instrument", String(32), nullable=False),
    Column("answers", JSON, nullable=False),
    Column("taken_at", UTCDateTime, nullable=False),
)

consents = Table(
    "consents",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("client_id", String(32), ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    Column("scope", String(32), nullable=False),
    Column("granted", Boolean, nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    Column("note", LargeBinary, nullable=False),
)

# -- analysis results (migration 0002) ------------------------------------------------------------

# Per-turn sentence vectors, keyed by the model that made them; sealed like the text they encode.
turn_vectors = Table(
    "turn_vectors",
    metadata,
    Column("session_id", String(32), ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("model", String(64), primary_key=True),
    Column("vectors", LargeBinary, nullable=False),
)

# Which analyzer version last ran over which document, and the session-level values it found.
analysis_runs = Table(
    "analysis_runs",
    metadata,
    Column("document_id", String(32), primary_key=True),
    Column("analyzer", String(64), primary_key=True),
    Column("client_id", String(32), ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    Column("version", String(32), nullable=False),
    Column("ran_at", UTCDateTime, nullable=False),
    Column("summary", JSON, nullable=False),
)

# Findings. Evidence is offsets into turns ([[seq, start, end], ...]), never a copy of the words.
annotations = Table(
    "annotations",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("document_id", String(32), nullable=False),
    Column("client_id", String(32), ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    Column("analyzer", String(64), nullable=False),
    Column("version", String(32), nullable=False),
    Column("lens", String(32), nullable=False),
    Column("label", String(64), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("detail", JSON, nullable=False),
)

# -- risk events (migration 0003) -----------------------------------------------------------------

risk_events = Table(
    "risk_events",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("client_id", String(32), ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    Column("level", String(16), nullable=False),
    Column("flags", JSON, nullable=False),
    Column("source", String(16), nullable=False),
    Column("document_id", String(32), nullable=False),
    Column("turn", Integer, nullable=True),
    Column("evidence", JSON, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("detected_at", UTCDateTime, nullable=False),
    Column("acknowledged_at", UTCDateTime, nullable=True),
    Column("acknowledged_note", LargeBinary, nullable=True),
    UniqueConstraint("document_id", "turn", "level", "source", name="uq_risk_events_document_id"),
)

Index("ix_risk_events_client_id", risk_events.c.client_id)

# -- companion conversations (migration 0004) -----------------------------------------------------

companion_conversations = Table(
    "companion_conversations",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("client_id", String(32), ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    Column("mode", String(24), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
)
Index("ix_companion_conversations_client_id", companion_conversations.c.client_id)

companion_turns = Table(
    "companion_turns",
    metadata,
    Column("conversation_id", String(32), ForeignKey("companion_conversations.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("speaker", String(16), nullable=False),
    Column("text", LargeBinary, nullable=False),  # encrypted
    Column("at", UTCDateTime, nullable=False),
    Column("move", String(32), nullable=True),
    Column("explanation", LargeBinary, nullable=True),  # encrypted JSON: evidence quotes are free text
)

companion_state = Table(
    "companion_state",
    metadata,
    Column("client_id", String(32), ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
    Column("disclosure", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
# Append-only; no foreign key: the record of an access outlives what was accessed.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(8), nullable=False),
    Column("operation", String(48), nullable=False),
    Column("client_id", String(32), nullable=True),
    Column("subjects", JSON, nullable=False),
    Column("mac", String(64), nullable=False),
)
Index("ix_audit_log_client_id", audit_log.c.client_id)

Index("ix_annotations_document_id", annotations.c.document_id)
Index("ix_annotations_client_id", annotations.c.client_id)
Index("ix_sessions_client_id", sessions.c.client_id)
Index("ix_journal_entries_client_id", journal_entries.c.client_id)
Index("ix_measure_responses_client_id", measure_responses.c.client_id)
Index("ix_consents_client_id", consents.c.client_id)

CLINICAL_TABLES = (clinicians, clients, sessions, turns, journal_entries, measure_responses, consents, companion_conversations, companion_turns)
