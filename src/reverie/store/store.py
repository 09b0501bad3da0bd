"""The store: reading and writing the clinical record.

Every public call that reads or writes clinical data goes through ``_audited()``, which appends
its audit row (``audit.py``) in the same transaction. That transaction is a write, through
``_writing()``: one lock per process and, on SQLite, ``BEGIN IMMEDIATE``, so concurrent writers
queue instead of failing with "database is locked", and a multi-row write (a whole case, a batch
of sessions) is all-or-nothing.
"""

import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from reverie.analysis.document import Annotation, Span
from reverie.errors import ReverieError
from reverie.record import (
    Attendance,
    CancelledBy,
    CaseRecord,
    Client,
    Clinician,
    Consent,
    ConsentScope,
    Conversation,
    ConversationTurn,
    JournalEntry,
    JournalKind,
    MeasureResponse,
    RiskEvent,
    RiskSource,
    Session,
    Speaker,
    Turn,
)
from reverie.record.instruments import INSTRUMENTS
from reverie.store import migrate
from reverie.store import schema as t
from reverie.store.audit import Access, AuditLog, AuditRow, Verdict, audit_key, default_actor
from reverie.store.crypto import KEY_CHECK, KEY_CHECK_TEXT, TextCipher, create_key, load_key
from reverie.store.database import WRITE_FLAG, make_engine

if TYPE_CHECKING:
    from reverie.store.backup import BackupCheck



@dataclass(frozen=True, slots=True)
class ClientSummary:
    client: Client
    sessions: int
    last_session: datetime | None


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """A session without its turns, for listings."""

    session: Session
    turn_count: int


class Store:
    def __init__(self, engine: Engine, cipher: TextCipher, audit: AuditLog, key_file: Path) -> None:
        self.engine = engine
        self._key_file = key_file
        self._cipher = cipher
        self._audit = audit
        self._write_lock = threading.Lock()

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, key_file: Path, *, create: bool = False, actor: str | None = None) -> "Store":
        """Open an initialised database; with ``create``, initialise or upgrade it first.

        ``actor`` names who the audit log says made each access (default: ``REVERIE_ACTOR``, else
        the operating-system login name).
        """
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                revision = migrate.current_revision(conn)
        except OperationalError as exc:
            engine.dispose()
            raise ReverieError("R102", f"cannot reach the database ({_first_line(exc)})", "check the URL given with --db or REVERIE_DATABASE_URL, and that the server is running") from None
        head = migrate.head_revision()
        if revision != head and not create:
            engine.dispose()
            if revision is None:
                raise ReverieError("R103", "the database has not been initialised", "run 'reverie init' first")
            raise ReverieError("R103", f"the database is at schema {revision}, this Reverie expects {head}", "run 'reverie init' to upgrade it (back it up first), or use the Reverie that wrote it")
        if create and not key_file.exists():
            if revision is not None:
                engine.dispose()
                load_key(key_file)  # raises: the data exists, its key is gone
            create_key(key_file)
        key = load_key(key_file)
        cipher = TextCipher(key)
        store = cls(engine, cipher, AuditLog(audit_key(key), cipher, actor or default_actor()), key_file)
        if create and revision != head:
            with store._writing() as conn:
                migrate.upgrade(conn)
        store._check_key()
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_key(self) -> None:
        with self.engine.connect() as conn:
            blob = conn.scalar(select(t.meta.c.value).where(t.meta.c.key == KEY_CHECK))
        if blob is None:
            with self._writing() as conn:
                conn.execute(insert(t.meta).values(key=KEY_CHECK, value=self._cipher.seal(KEY_CHECK_TEXT, "meta.value")))
        elif self._cipher.open(blob, "meta.value") != KEY_CHECK_TEXT:
            raise ReverieError("R104", "the key check failed", "use the key file this database was created with")

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self._write_lock, self.engine.connect() as conn:
            conn.info[WRITE_FLAG] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info.pop(WRITE_FLAG, None)

    @contextmanager
    def _audited(self, action: str, operation: str) -> Iterator[tuple[Connection, Access]]:
        """One transaction for the access and its audit rows: both happen, or neither."""
        access = Access(action, operation)
        with self._writing() as conn:
            self._audit.lock(conn)
            yield conn, access
            self._audit.append(conn, access)

    # -- the audit log -------------------------------------------------------------------------

    def audit_rows(self, client_id: str | None = None, limit: int | None = None) -> list[AuditRow]:
        """The audit log, oldest first (the last ``limit`` rows); reading it is itself logged."""
        with self._audited("read", "audit_rows") as (conn, access):
            rows = self._audit.rows(conn, client_id, limit)
            access.saw(client_id)
        return rows

    def verify_audit(self) -> Verdict:
        """Check the whole chain; the check's own row is appended after it, in the same transaction."""
        with self._audited("read", "verify_audit") as (conn, _):
            return self._audit.verify(conn)

    # -- clients -----------------------------------------------------------------------------

    def add_client(self, client: Client, clinician: Clinician | None = None) -> Client:
        with self._audited("write", "add_client") as (conn, access):
            self._insert_client(conn, client, clinician)
            access.saw(client.id, client.id)
        return client

    def _insert_client(self, conn: Connection, client: Client, clinician: Clinician | None) -> None:
        if conn.scalar(select(t.clients.c.id).where(t.clients.c.id == client.id)) is not None:
            raise ReverieError("R304", f"client {client.id} ({client.pseudonym}) is already in this database", "import into another database (--db), or leave this one as it is")
        taken = conn.scalar(select(t.clients.c.id).where(t.clients.c.pseudonym_key == _pseudonym_key(client.pseudonym)))
        if taken is not None:
            raise ReverieError("R306", f"the pseudonym {client.pseudonym!r} is already used by client {taken}", "choose another pseudonym (pseudonyms are unique, ignoring case)")
        if clinician is not None and conn.scalar(select(t.clinicians.c.id).where(t.clinicians.c.id == clinician.id)) is None:
            conn.execute(insert(t.clinicians).values(id=clinician.id, name=clinician.name))
        conn.execute(insert(t.clients).values(
            id=client.id,
            pseudonym=client.pseudonym,
            pseudonym_key=_pseudonym_key(client.pseudonym),
            locale=client.locale,
            time_zone=client.time_zone,
            clinician_id=client.clinician_id,
            created_at=client.created_at,
        ))

    def list_clients(self) -> list[ClientSummary]:
        query = (
            select(t.clients, func.count(t.sessions.c.id).label("n"), func.max(t.sessions.c.starts_at).label("last"))
            .outerjoin(t.sessions, t.sessions.c.client_id == t.clients.c.id)
            .group_by(*t.clients.c)
            .order_by(t.clients.c.pseudonym_key)
        )
        with self._audited("read", "list_clients") as (conn, access):
            rows = conn.execute(query).all()
            access.saw(None, *(r.id for r in rows))
        return [ClientSummary(_client(r._mapping), r.n, r.last) for r in rows]

    def find_client(self, ref: str) -> Client:
        """A client by id or by pseudonym (ignoring case)."""
        with self._audited("read", "find_client") as (conn, access):
            row = conn.execute(select(t.clients).where(t.clients.c.id == ref)).first()
            if row is None:
                row = conn.execute(select(t.clients).where(t.clients.c.pseudonym_key == _pseudonym_key(ref))).first()
            if row is not None:
                access.saw(row.id, row.id)
        if row is None:
            raise ReverieError("R301", f"no client with id or pseudonym {ref!r}", "see 'reverie client list', or add one with 'reverie client add PSEUDONYM'")
        return _client(row._mapping)

    def load_client(self, client_id: str) -> Client:
        with self._audited("read", "load_client") as (conn, access):
            row = conn.execute(select(t.clients).where(t.clients.c.id == client_id)).first()
            access.saw(client_id, client_id)
        if row is None:
            raise ReverieError("R301", f"no client with id {client_id!r}", "see 'reverie client list'")
        return _client(row._mapping)

    # -- sessions ----------------------------------------------------------------------------

    def add_sessions(self, sessions: Sequence[Session]) -> None:
        """Add sessions all together or not at all."""
        with self._audited("write", "add_sessions") as (conn, access):
            self._insert_sessions(conn, sessions)
            for s in sessions:
                access.saw(s.client_id, s.id)

    def _insert_sessions(self, conn: Connection, sessions: Sequence[Session]) -> None:
        if not sessions:
            return
        # Keyed by the UTC instant: two wall-clock times can name one instant across a DST change.
        seen: dict[tuple[str, datetime], Session] = {}
        for s in sessions:
            key = (s.client_id, s.starts_at.astimezone(UTC))
            if key in seen:
                raise ReverieError("R302", f"{s.source or s.id} and {seen[key].source or seen[key].id} are both the session of {s.starts_at:%Y-%m-%d %H:%M}", "give each file its own --date")
            seen[key] = s
        client_ids = {s.client_id for s in sessions}
        existing = conn.execute(
            select(t.sessions.c.id, t.sessions.c.client_id, t.sessions.c.starts_at, t.sessions.c.source).where(
                t.sessions.c.client_id.in_(client_ids), t.sessions.c.starts_at.in_({s.starts_at for s in sessions})
            )
        ).all()
        for row in existing:
            clash = seen.get((row.client_id, row.starts_at))
            if clash is not None:
                raise ReverieError("R302", f"the client already has session {row.id} at {clash.starts_at:%Y-%m-%d %H:%M} (from {row.source or 'an earlier import'})", "this file was probably imported already; to import it as another session, pass a different --date", path=clash.source)
        try:
            conn.execute(insert(t.sessions), [
            {
                "id": s.id,
                "client_id": s.client_id,
                "starts_at": s.starts_at,
                "planned_minutes": s.planned_minutes,
                "actual_minutes": s.actual_minutes,
                "attendance": s.attendance.value,
                "cancelled_by": s.cancelled_by.value if s.cancelled_by else None,
                "notice_hours": s.notice_hours,
                "minutes_late": s.minutes_late,
                "source": s.source,
                "source_sha256": s.source_sha256,
            }
            for s in sessions
            ])
        except IntegrityError:
            # Another process added a clashing session between our check and our insert.
            raise ReverieError("R302", "another import added a session at one of these times just now", "list the sessions and import the rest again") from None
        turn_rows = [
            {
                "session_id": s.id,
                "seq": seq,
                "speaker": turn.speaker.value,
                "text": self._cipher.seal(turn.text, "turns.text"),
                "start_ms": turn.start_ms,
                "end_ms": turn.end_ms,
            }
            for s in sessions
            for seq, turn in enumerate(s.turns, start=1)
        ]
        if turn_rows:
            conn.execute(insert(t.turns), turn_rows)

    def list_sessions(self, client_id: str) -> list[SessionSummary]:
        query = (
            select(t.sessions, func.count(t.turns.c.id).label("n"))
            .outerjoin(t.turns, t.turns.c.session_id == t.sessions.c.id)
            .where(t.sessions.c.client_id == client_id)
            .group_by(*t.sessions.c)
            .order_by(t.sessions.c.starts_at)
        )
        with self._audited("read", "list_sessions") as (conn, access):
            rows = conn.execute(query).all()
            access.saw(client_id, *(r.id for r in rows))
        return [SessionSummary(_session(r._mapping, ()), r.n) for r in rows]

    def get_session(self, session_id: str) -> Session:
        with self._audited("read", "get_session") as (conn, access):
            row = conn.execute(select(t.sessions).where(t.sessions.c.id == session_id)).first()
            if row is None:
                raise ReverieError("R305", f"no session with id {session_id!r}", "see 'reverie sessions --client ID' for the ids")
            access.saw(row.client_id, session_id)
            return _session(row._mapping, tuple(self._turns(conn, [session_id])[session_id]))

    def _turns(self, conn: Connection, session_ids: Sequence[str]) -> dict[str, list[Turn]]:
        out: dict[str, list[Turn]] = {sid: [] for sid in session_ids}
        rows = conn.execute(
            select(t.turns.c.session_id, t.turns.c.speaker, t.turns.c.text, t.turns.c.start_ms, t.turns.c.end_ms)
            .where(t.turns.c.session_id.in_(session_ids))
            .order_by(t.turns.c.session_id, t.turns.c.seq)
        )
        for r in rows:
            out[r.session_id].append(Turn(Speaker(r.speaker), self._cipher.open(r.text, "turns.text"), r.start_ms, r.end_ms))
        return out

    # -- journal, measures, consents -----------------------------------------------------------

    def add_journal(self, entries: Sequence[JournalEntry]) -> None:
        with self._audited("write", "add_journal") as (conn, access):
            self._insert_journal(conn, entries)
            for j in entries:
                access.saw(j.client_id, j.id)

    def _insert_journal(self, conn: Connection, entries: Sequence[JournalEntry]) -> None:
        if entries:
            conn.execute(insert(t.journal_entries), [
                {
                    "id": j.id,
                    "client_id": j.client_id,
                    "kind": j.kind.value,
                    "written_at": j.written_at,
                    "text": self._cipher.seal(j.text, "journal_entries.text"),
                    "title": None if j.title is None else self._cipher.seal(j.title, "journal_entries.title"),
                    "shared_with_therapist": j.shared_with_therapist,
                    "source": j.source,
                }
                for j in entries
            ])

    def list_journal(self, client_id: str) -> list[JournalEntry]:
        with self._audited("read", "list_journal") as (conn, access):
            rows = conn.execute(
                select(t.journal_entries).where(t.journal_entries.c.client_id == client_id).order_by(t.journal_entries.c.written_at, t.journal_entries.c.id)
            ).all()
            access.saw(client_id, *(r.id for r in rows))
        return [
            JournalEntry(
                id=r.id,
                client_id=r.client_id,
                kind=JournalKind(r.kind),
                written_at=r.written_at,
                text=self._cipher.open(r.text, "journal_entries.text"),
                title=None if r.title is None else self._cipher.open(r.title, "journal_entries.title"),
                shared_with_therapist=r.shared_with_therapist,
                source=r.source,
            )
            for r in rows
        ]

    def add_measures(self, responses: Sequence[MeasureResponse]) -> None:
        with self._audited("write", "add_measures") as (conn, access):
            self._insert_measures(conn, responses)
            for m in responses:
                access.saw(m.client_id, m.id)

    def _insert_measures(self, conn: Connection, responses: Sequence[MeasureResponse]) -> None:
        if not responses:
            return
        conn.execute(insert(t.measure_responses), [
            {"id": m.id, "client_id": m.client_id, "instrument": m.instrument, "answers": list(m.answers), "taken_at": m.taken_at}
            for m in responses
        ])
        # A risk item answered above 0 reaches the clinician, in the same transaction as the answer.
        events = []
        for m in responses:
            shape = INSTRUMENTS.get(m.instrument)
            if shape is None or shape.risk_item is None or shape.risk_item >= len(m.answers):
                continue
            answer = m.answers[shape.risk_item]
            if answer is not None and answer > 0:
                events.append(RiskEvent(m.client_id, "ideation", RiskSource.MEASURE, m.id, m.taken_at, turn=shape.risk_item + 1, reason=f"{m.instrument} item {shape.risk_item + 1} answered {answer}"))
        self._insert_risk_events(conn, events)

    # -- risk events ---------------------------------------------------------------------------

    def add_risk_events(self, events: Sequence[RiskEvent]) -> int:
        """Store new events; one already stored for the same document, turn, level and source is
        kept as it is (with its acknowledgement). Returns how many were new."""
        with self._audited("write", "add_risk_events") as (conn, access):
            for e in events:
                access.saw(e.client_id, e.id)
            return self._insert_risk_events(conn, events)

    def _insert_risk_events(self, conn: Connection, events: Sequence[RiskEvent]) -> int:
        new = 0
        for e in events:
            exists = conn.scalar(
                select(t.risk_events.c.id).where(
                    t.risk_events.c.document_id == e.document_id,
                    t.risk_events.c.turn == e.turn if e.turn is not None else t.risk_events.c.turn.is_(None),
                    t.risk_events.c.level == e.level,
                    t.risk_events.c.source == e.source.value,
                )
            )
            if exists is not None:
                continue
            conn.execute(insert(t.risk_events).values(
                id=e.id,
                client_id=e.client_id,
                level=e.level,
                flags=list(e.flags),
                source=e.source.value,
                document_id=e.document_id,
                turn=e.turn,
                evidence=[list(span) for span in e.evidence],
                reason=e.reason[:200],
                detected_at=e.detected_at,
                acknowledged_at=e.acknowledged_at,
                acknowledged_note=None if e.acknowledged_note is None else self._cipher.seal(e.acknowledged_note, "risk_events.acknowledged_note"),
            ))
            new += 1
        return new

    def list_risk_events(self, client_id: str | None = None, *, unacknowledged: bool = False) -> list[RiskEvent]:
        query = select(t.risk_events).order_by(t.risk_events.c.detected_at.desc(), t.risk_events.c.id)
        if client_id is not None:
            query = query.where(t.risk_events.c.client_id == client_id)
        if unacknowledged:
            query = query.where(t.risk_events.c.acknowledged_at.is_(None))
        with self._audited("read", "list_risk_events") as (conn, access):
            rows = conn.execute(query).all()
            if client_id is not None:
                access.saw(client_id)
            for r in rows:
                access.saw(r.client_id, r.id)
        return [
            RiskEvent(
                id=r.id,
                client_id=r.client_id,
                level=r.level,
                flags=tuple(r.flags),
                source=RiskSource(r.source),
                document_id=r.document_id,
                turn=r.turn,
                evidence=tuple((a, b) for a, b in r.evidence),
                reason=r.reason,
                detected_at=r.detected_at,
                acknowledged_at=r.acknowledged_at,
                acknowledged_note=None if r.acknowledged_note is None else self._cipher.open(r.acknowledged_note, "risk_events.acknowledged_note"),
            )
            for r in rows
        ]

    def acknowledge_risk_event(self, event_id: str, note: str, at: datetime | None = None) -> RiskEvent:
        if not note.strip():
            raise ReverieError("R503", "an acknowledgement needs a note", "say what you did, e.g. --note 'phoned, safe, plan agreed'")
        with self._audited("write", "acknowledge_risk_event") as (conn, access):
            found = conn.execute(
                update(t.risk_events)
                .where(t.risk_events.c.id == event_id)
                .values(acknowledged_at=at or datetime.now(UTC), acknowledged_note=self._cipher.seal(note, "risk_events.acknowledged_note"))
            )
            if found.rowcount == 0:
                raise ReverieError("R502", f"no risk event with id {event_id!r}", "see 'reverie risk list' for the ids")
            access.saw(conn.scalar(select(t.risk_events.c.client_id).where(t.risk_events.c.id == event_id)), event_id)
        (event,) = [e for e in self.list_risk_events() if e.id == event_id]
        return event

    def _insert_consents(self, conn: Connection, consents: Sequence[Consent]) -> None:
        if consents:
            conn.execute(insert(t.consents), [
                {"id": k.id, "client_id": k.client_id, "scope": k.scope.value, "granted": k.granted, "decided_at": k.decided_at, "note": self._cipher.seal(k.note, "consents.note")}
                for k in consents
            ])

    # -- whole cases ---------------------------------------------------------------------------

    def save_case(self, case: CaseRecord) -> None:
        """Write a whole client in one transaction (import of an export, the demo)."""
        with self._audited("write", "save_case") as (conn, access):
            access.saw(case.client.id, case.client.id, *(s.id for s in case.sessions), *(j.id for j in case.journal), *(m.id for m in case.measures))
            self._insert_client(conn, case.client, case.clinician)
            self._insert_sessions(conn, case.sessions)
            self._insert_journal(conn, case.journal)
            self._insert_measures(conn, case.measures)
            self._insert_consents(conn, case.consents)

    def load_case(self, client_id: str) -> CaseRecord:
        client = self.load_client(client_id)
        with self._audited("read", "load_case") as (conn, access):
            access.saw(client_id, client_id)
            clinician = None
            if client.clinician_id is not None:
                trow = conn.execute(select(t.clinicians).where(t.clinicians.c.id == client.clinician_id)).one()
                clinician = Clinician(id=trow.id, name=trow.name)
            srows = conn.execute(select(t.sessions).where(t.sessions.c.client_id == client_id).order_by(t.sessions.c.starts_at)).all()
            turns = self._turns(conn, [r.id for r in srows])
            sessions = tuple(_session(r._mapping, tuple(turns[r.id])) for r in srows)
            measures = tuple(
                MeasureResponse(id=r.id, client_id=r.client_id, instrument=r.instrument, answers=tuple(r.answers), taken_at=r.taken_at)
                for r in conn.execute(select(t.measure_responses).where(t.measure_responses.c.client_id == client_id).order_by(t.measure_responses.c.taken_at, t.measure_responses.c.id))
            )
            consents = tuple(
                Consent(id=r.id, client_id=r.client_id, scope=ConsentScope(r.scope), granted=r.granted, decided_at=r.decided_at, note=self._cipher.open(r.note, "consents.note"))
                for r in conn.execute(select(t.consents).where(t.consents.c.client_id == client_id).order_by(t.consents.c.decided_at, t.consents.c.id))
            )
        return CaseRecord(client, clinician, sessions, tuple(self.list_journal(client_id)), measures, consents)

    # -- companion conversations ------------------------------------------------------------------

    def save_conversation(self, conversation: Conversation, turns: Sequence[ConversationTurn]) -> int:
        """Store the conversation and those of its turns not yet stored (turns are append-only).

        Called after every reply, so a conversation cut off mid-way keeps every acknowledged turn.
        Returns how many turns were new.
        """
        if any(turn.conversation_id != conversation.id for turn in turns):
            raise ValueError("a turn of another conversation")
        with self._audited("write", "save_conversation") as (conn, access):
            access.saw(conversation.client_id, conversation.id)
            c = t.companion_conversations.c
            if conn.scalar(select(c.id).where(c.id == conversation.id)) is None:
                conn.execute(insert(t.companion_conversations).values(
                    id=conversation.id, client_id=conversation.client_id, mode=conversation.mode,
                    started_at=conversation.started_at, ended_at=conversation.ended_at,
                ))
            elif conversation.ended_at is not None:
                conn.execute(update(t.companion_conversations).where(c.id == conversation.id).values(ended_at=conversation.ended_at))
            stored = conn.scalar(select(func.max(t.companion_turns.c.seq)).where(t.companion_turns.c.conversation_id == conversation.id)) or 0
            new = [turn for turn in turns if turn.seq > stored]
            if new:
                conn.execute(insert(t.companion_turns), [
                    {
                        "conversation_id": turn.conversation_id,
                        "seq": turn.seq,
                        "speaker": turn.speaker.value,
                        "text": self._cipher.seal(turn.text, "companion_turns.text"),
                        "at": turn.at,
                        "move": turn.move,
                        "explanation": None if turn.explanation is None else self._cipher.seal(json.dumps(turn.explanation, sort_keys=True), "companion_turns.explanation"),
                    }
                    for turn in new
                ])
            return len(new)

    def list_conversations(self, client_id: str) -> list[Conversation]:
        c = t.companion_conversations.c
        with self._audited("read", "list_conversations") as (conn, access):
            rows = conn.execute(select(t.companion_conversations).where(c.client_id == client_id).order_by(c.started_at, c.id)).all()
            access.saw(client_id, *(r.id for r in rows))
        return [Conversation(r.client_id, r.mode, r.started_at, r.ended_at, r.id) for r in rows]

    def load_conversation_turns(self, conversation_id: str) -> list[ConversationTurn]:
        c = t.companion_turns.c
        with self._audited("read", "load_conversation_turns") as (conn, access):
            rows = conn.execute(select(t.companion_turns).where(c.conversation_id == conversation_id).order_by(c.seq)).all()
            owner = t.companion_conversations.c
            access.saw(conn.scalar(select(owner.client_id).where(owner.id == conversation_id)), conversation_id)
        return [
            ConversationTurn(
                r.conversation_id,
                r.seq,
                Speaker(r.speaker),
                self._cipher.open(r.text, "companion_turns.text"),
                r.at,
                r.move,
                None if r.explanation is None else json.loads(self._cipher.open(r.explanation, "companion_turns.explanation")),
            )
            for r in rows
        ]

    def load_companion_state(self, client_id: str) -> dict[str, Any] | None:
        """The client's disclosure state (when the companion last said what it is), or None: never used."""
        with self._audited("read", "load_companion_state") as (conn, access):
            found = conn.scalar(select(t.companion_state.c.disclosure).where(t.companion_state.c.client_id == client_id))
            access.saw(client_id)
        return dict(found) if found is not None else None

    def save_companion_state(self, client_id: str, disclosure: Mapping[str, Any]) -> None:
        with self._audited("write", "save_companion_state") as (conn, access):
            access.saw(client_id)
            c = t.companion_state.c
            values = {"disclosure": dict(disclosure), "updated_at": datetime.now(UTC)}
            if conn.execute(update(t.companion_state).where(c.client_id == client_id).values(**values)).rowcount == 0:
                conn.execute(insert(t.companion_state).values(client_id=client_id, **values))

    # -- analysis results ------------------------------------------------------------------------

    def save_vectors(self, session_id: str, model: str, vectors: np.ndarray) -> None:
        """Cache a session's turn vectors (float16, sealed: they encode the client's words)."""
        blob = self._cipher.seal_bytes(np.ascontiguousarray(vectors, dtype=np.float16).tobytes(), "turn_vectors.vectors")
        with self._audited("write", "save_vectors") as (conn, access):
            access.saw(_owner(conn, session_id), session_id)
            conn.execute(delete(t.turn_vectors).where(t.turn_vectors.c.session_id == session_id, t.turn_vectors.c.model == model))
            conn.execute(insert(t.turn_vectors).values(session_id=session_id, model=model, vectors=blob))

    def load_vectors(self, session_id: str, model: str, dimensions: int) -> np.ndarray | None:
        with self._audited("read", "load_vectors") as (conn, access):
            access.saw(_owner(conn, session_id), session_id)
            blob = conn.scalar(select(t.turn_vectors.c.vectors).where(t.turn_vectors.c.session_id == session_id, t.turn_vectors.c.model == model))
        if blob is None:
            return None
        raw = np.frombuffer(self._cipher.open_bytes(blob, "turn_vectors.vectors"), dtype=np.float16)
        return raw.reshape(-1, dimensions).astype(np.float32)

    def analysis_versions(self, document_id: str) -> dict[str, str]:
        with self._audited("read", "analysis_versions") as (conn, access):
            access.saw(_owner(conn, document_id), document_id)
            rows = conn.execute(select(t.analysis_runs.c.analyzer, t.analysis_runs.c.version).where(t.analysis_runs.c.document_id == document_id))
            return {r.analyzer: r.version for r in rows}

    def save_analysis(
        self,
        client_id: str,
        document_id: str,
        versions: Mapping[str, str],
        found: Sequence[Annotation],
        summaries: Mapping[str, Mapping[str, Any]],
    ) -> None:
        """Replace what the given analyzers found in one document, all at once."""
        now = datetime.now(UTC)
        with self._audited("write", "save_analysis") as (conn, access):
            access.saw(client_id, document_id)
            names = list(versions)
            conn.execute(delete(t.annotations).where(t.annotations.c.document_id == document_id, t.annotations.c.analyzer.in_(names)))
            conn.execute(delete(t.analysis_runs).where(t.analysis_runs.c.document_id == document_id, t.analysis_runs.c.analyzer.in_(names)))
            conn.execute(insert(t.analysis_runs), [
                {"document_id": document_id, "analyzer": name, "client_id": client_id, "version": version, "ran_at": now, "summary": dict(summaries.get(name, {}))}
                for name, version in versions.items()
            ])
            if found:
                conn.execute(insert(t.annotations), [
                    {
                        "document_id": document_id,
                        "client_id": client_id,
                        "analyzer": a.analyzer,
                        "version": a.version,
                        "lens": a.lens,
                        "label": a.label,
                        "confidence": a.confidence,
                        "evidence": [[e.turn + 1, e.start, e.end] for e in a.evidence],
                        "detail": dict(a.detail),
                    }
                    for a in found
                ])

    def load_annotations(self, document_id: str) -> list[Annotation]:
        """Annotations of one document; evidence turns are indices (seq - 1) again."""
        with self._audited("read", "load_annotations") as (conn, access):
            access.saw(_owner(conn, document_id), document_id)
            rows = conn.execute(select(t.annotations).where(t.annotations.c.document_id == document_id).order_by(t.annotations.c.id)).all()
        return [
            Annotation(
                lens=r.lens,
                label=r.label,
                confidence=r.confidence,
                analyzer=r.analyzer,
                version=r.version,
                evidence=tuple(Span(seq - 1, start, end) for seq, start, end in r.evidence),
                detail=r.detail,
            )
            for r in rows
        ]

    def analysis_summaries(self, document_id: str) -> dict[str, dict[str, Any]]:
        with self._audited("read", "analysis_summaries") as (conn, access):
            access.saw(_owner(conn, document_id), document_id)
            rows = conn.execute(select(t.analysis_runs.c.analyzer, t.analysis_runs.c.summary).where(t.analysis_runs.c.document_id == document_id))
            return {r.analyzer: r.summary for r in rows}

    def backup(self, target: Path) -> "BackupCheck":
        """Write a checked copy of a SQLite database to the new file ``target`` (``backup.py``)."""
        from reverie.store.backup import check, copy_into, refuse_existing, temporary_beside

        if self.engine.dialect.name != "sqlite":
            raise ReverieError("R108", "'reverie backup' copies SQLite databases", "back PostgreSQL up with its own tools (pg_dump, or your server's base backups), together with the key file")
        refuse_existing(target)
        partial = temporary_beside(target)
        # One backup step copies every page under one read snapshot: a committed state, with no
        # half-done write in it, while writers go on (WAL). It cannot run inside our own write
        # transaction (SQLite answers LOCKED), so the audit row follows the checked copy.
        raw = self.engine.raw_connection()
        try:
            copy_into(raw.dbapi_connection, partial)  # type: ignore[arg-type]
            found = check(partial, self._key_file)
            os.replace(partial, target)
        finally:
            raw.close()
            partial.unlink(missing_ok=True)
        with self._audited("read", "backup") as (_, access):
            access.saw(None, target.name)
        return replace(found, path=target)

    def row_counts(self) -> dict[str, int]:
        """Rows per clinical table: how tests prove a failed import wrote nothing."""
        with self.engine.connect() as conn:
            return {table.name: conn.scalar(select(func.count()).select_from(table)) or 0 for table in t.CLINICAL_TABLES}


def _owner(conn: Connection, document_id: str) -> str | None:
    """The client a session, journal entry or conversation belongs to (None if there is none)."""
    for table in (t.sessions, t.journal_entries, t.companion_conversations):
        found = conn.scalar(select(table.c.client_id).where(table.c.id == document_id))
        if found is not None:
            return str(found)
    return None


def _pseudonym_key(pseudonym: str) -> str:
    return " ".join(pseudonym.split()).casefold()


def _client(m: Any) -> Client:
    return Client(
        id=m["id"], pseudonym=m["pseudonym"], locale=m["locale"], time_zone=m["time_zone"], clinician_id=m["clinician_id"], created_at=m["created_at"]
    )


def _session(m: Any, turns: tuple[Turn, ...]) -> Session:
    return Session(
        id=m["id"],
        client_id=m["client_id"],
        starts_at=m["starts_at"],
        planned_minutes=m["planned_minutes"],
        actual_minutes=m["actual_minutes"],
        attendance=Attendance(m["attendance"]),
        cancelled_by=CancelledBy(m["cancelled_by"]) if m["cancelled_by"] else None,
        notice_hours=m["notice_hours"],
        minutes_late=m["minutes_late"],
        source=m["source"],
        source_sha256=m["source_sha256"],
        turns=turns,
    )


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]
