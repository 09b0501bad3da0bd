"""The audit log: who read or wrote whose clinical data, as an HMAC chain.

Each row is appended in the transaction of the access it records, so a read or write that
happened has its row and one that rolled back has none. Each row's MAC covers its own fields and
the MAC of the row before, under a key derived from the data key (kept outside the database):
editing, deleting or reordering a row breaks the chain from there on, and a sealed copy of the
last row's number and MAC in ``meta`` shows rows cut from the end. What the chain cannot show:
the whole database file swapped for an older copy of itself (keep backups of the file elsewhere).
Rows hold ids and names of operations, never clinical text.
"""

import getpass
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import insert, select, text, update
from sqlalchemy.engine import Connection

from reverie.store import schema as t
from reverie.store.crypto import TextCipher

GENESIS = "0" * 64
_HEAD = "audit_head"
_HEAD_COLUMN = "meta.value:audit_head"


def audit_key(data_key: bytes) -> bytes:
    """A key for the chain only: knowing it does not open the encrypted text."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"reverie audit chain v1").derive(data_key)


def default_actor() -> str:
    """``REVERIE_ACTOR``, else the operating-system login name."""
    configured = os.environ.get("REVERIE_ACTOR", "").strip()
    if configured:
        return configured[:128]
    try:
        return getpass.getuser()[:128]
    except (KeyError, OSError):
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str  # "read" or "write"
    operation: str
    client_id: str | None
    subjects: tuple[str, ...]
    mac: str

    def body(self, previous: str) -> bytes:
        fields = [self.id, self.at.isoformat(), self.actor, self.action, self.operation, self.client_id, list(self.subjects), previous]
        return json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass
class Access:
    """What one store call touched, gathered while it runs and written when it commits."""

    action: str
    operation: str
    touched: dict[str | None, list[str]] = field(default_factory=dict)

    def saw(self, client_id: str | None, *subjects: str) -> None:
        found = self.touched.setdefault(client_id, [])
        found.extend(s for s in subjects if s not in found)


@dataclass(frozen=True, slots=True)
class Verdict:
    rows: int
    first: datetime | None
    last: datetime | None
    broken_at: int | None = None
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


class AuditLog:
    def __init__(self, key: bytes, cipher: TextCipher, actor: str) -> None:
        self._key = key
        self._cipher = cipher
        self.actor = actor

    def _mac(self, row: AuditRow, previous: str) -> str:
        return hmac.new(self._key, row.body(previous), hashlib.sha256).hexdigest()

    @staticmethod
    def lock(conn: Connection) -> None:
        """Queue behind other processes' accesses until this transaction ends, so the chain never
        forks (SQLite's ``BEGIN IMMEDIATE`` already does this)."""
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7281604)"))

    def append(self, conn: Connection, access: Access) -> None:
        """Append the rows of one access, inside its transaction, after ``lock``."""
        last = conn.execute(select(t.audit_log.c.id, t.audit_log.c.mac).order_by(t.audit_log.c.id.desc()).limit(1)).first()
        number, previous = (last.id, last.mac) if last is not None else (0, GENESIS)
        at = datetime.now(UTC).replace(microsecond=0)
        rows = []
        for client_id, subjects in (access.touched or {None: []}).items():
            number += 1
            draft = AuditRow(number, at, self.actor, access.action, access.operation, client_id, tuple(subjects), "")
            mac = self._mac(draft, previous)
            rows.append({"id": number, "at": at, "actor": self.actor, "action": access.action, "operation": access.operation, "client_id": client_id, "subjects": list(subjects), "mac": mac})
            previous = mac
        conn.execute(insert(t.audit_log), rows)
        head = self._cipher.seal(f"{number}:{previous}", _HEAD_COLUMN)
        if conn.execute(update(t.meta).where(t.meta.c.key == _HEAD).values(value=head)).rowcount == 0:
            conn.execute(insert(t.meta).values(key=_HEAD, value=head))

    def rows(self, conn: Connection, client_id: str | None = None, limit: int | None = None) -> list[AuditRow]:
        query = select(t.audit_log).order_by(t.audit_log.c.id.desc())
        if client_id is not None:
            query = query.where(t.audit_log.c.client_id == client_id)
        if limit is not None:
            query = query.limit(limit)
        return [_row(r) for r in conn.execute(query)][::-1]

    def verify(self, conn: Connection) -> Verdict:
        previous, expected, count = GENESIS, 1, 0
        first: datetime | None = None
        last: datetime | None = None
        for row in _stream(conn):
            if row.id != expected:
                return Verdict(count, first, last, expected, f"row {expected} is missing (the next row is {row.id})")
            if not hmac.compare_digest(self._mac(row, previous), row.mac):
                return Verdict(count, first, last, row.id, f"row {row.id} does not match its MAC: it was changed after it was written")
            first = first or row.at
            last = row.at
            previous, expected, count = row.mac, expected + 1, count + 1
        blob = conn.scalar(select(t.meta.c.value).where(t.meta.c.key == _HEAD))
        if blob is None:
            if count:
                return Verdict(count, first, last, count, "the sealed record of the last row is missing")
            return Verdict(0, None, None)
        head = self._cipher.open(blob, _HEAD_COLUMN)
        if head != f"{count}:{previous}":
            return Verdict(count, first, last, count + 1, f"the log ends at row {count} but was last written at row {head.split(':')[0]}: rows were cut from the end")
        return Verdict(count, first, last)


def _row(r: object) -> AuditRow:
    m = r._mapping  # type: ignore[attr-defined]
    return AuditRow(m["id"], m["at"], m["actor"], m["action"], m["operation"], m["client_id"], tuple(m["subjects"]), m["mac"])


def _stream(conn: Connection) -> Iterator[AuditRow]:
    last = 0
    while True:
        batch = conn.execute(select(t.audit_log).where(t.audit_log.c.id > last).order_by(t.audit_log.c.id).limit(5000)).all()
        if not batch:
            return
        for r in batch:
            yield _row(r)
        last = batch[-1].id

