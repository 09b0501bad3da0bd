"""Backups of a SQLite database through SQLite's online backup API, verified before they count.

A backup is made while Reverie runs (``Store.backup``: one consistent snapshot, taken inside a
transaction that holds the write lock, so no write is half in it), written to a temporary file
beside the target, switched to a rollback journal so it is one self-contained file, checked, and
only then renamed into place: a backup that exists has passed its check. ``check`` opens a file
read-only and proves it is usable: SQLite's integrity check, the schema this Reverie expects, the
key opens it, and the audit chain is intact. ``restore`` copies a checked backup to a new
database file (never over an existing one) and checks the copy.
"""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.exc import DatabaseError, OperationalError

from reverie.errors import ReverieError
from reverie.store import migrate
from reverie.store import schema as t
from reverie.store.audit import AuditLog, Verdict, audit_key
from reverie.store.crypto import KEY_CHECK, KEY_CHECK_TEXT, TextCipher, load_key


@dataclass(frozen=True, slots=True)
class BackupCheck:
    path: Path
    revision: str
    rows: dict[str, int]
    audit: Verdict

    @property
    def clients(self) -> int:
        return self.rows.get("clients", 0)


@contextmanager
def _read_only(path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///file:{path.resolve()}?mode=ro&uri=true")
    try:
        yield engine
    finally:
        engine.dispose()


def check(path: Path, key_file: Path) -> BackupCheck:
    """Prove ``path`` is a whole, current, openable Reverie database with an intact audit log."""
    if not path.is_file():
        raise ReverieError("R107", f"{path} does not exist", "give the path of a file written by 'reverie backup'", path=path)
    key = load_key(key_file)
    try:
        with _read_only(path) as engine, engine.connect() as conn:
            integrity = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
            if integrity != "ok":
                raise ReverieError("R107", f"SQLite's integrity check failed: {integrity}", "make a new backup from the live database", path=path)
            revision = migrate.current_revision(conn)
            if revision != migrate.head_revision():
                raise ReverieError("R107", f"the backup is at schema {revision}, this Reverie expects {migrate.head_revision()}", "restore it with the Reverie that wrote it, then upgrade with 'reverie init'", path=path)
            cipher = TextCipher(key)
            blob = conn.scalar(select(t.meta.c.value).where(t.meta.c.key == KEY_CHECK))
            if blob is None or cipher.open(blob, "meta.value") != KEY_CHECK_TEXT:
                raise ReverieError("R104", "the key check failed", "use the key file this database was created with", path=path)
            verdict = AuditLog(audit_key(key), cipher, "check").verify(conn)
            if not verdict.intact:
                raise ReverieError("R106", f"the backup's audit log is broken at row {verdict.broken_at}: {verdict.reason}", "use an earlier backup that verifies", path=path)
            rows = {table.name: int(conn.scalar(select(func.count()).select_from(table)) or 0) for table in t.CLINICAL_TABLES}
    except (DatabaseError, OperationalError) as exc:
        raise ReverieError("R107", f"not a readable SQLite database ({str(exc.orig).splitlines()[0]})", "give a file written by 'reverie backup'", path=path) from None
    return BackupCheck(path, revision, rows, verdict)


def copy_into(source: sqlite3.Connection, target: Path) -> None:
    """Snapshot ``source`` into a new file at ``target`` in one backup step, as one self-contained file."""
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()


def temporary_beside(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.partial")


def refuse_existing(target: Path) -> None:
    if target.exists():
        raise ReverieError("R108", f"{target} already exists", "choose a new file name; a backup or restore never overwrites a file", path=target)
    if not target.parent.is_dir():
        raise ReverieError("R108", f"the folder {target.parent} does not exist", "create it first, or choose another folder", path=target)


def restore(backup: Path, target: Path, key_file: Path) -> BackupCheck:
    """Check ``backup``, copy it to the new file ``target`` and check the copy."""
    refuse_existing(target)
    check(backup, key_file)
    partial = temporary_beside(target)
    source = sqlite3.connect(f"file:{backup.resolve()}?mode=ro", uri=True)
    try:
        copy_into(source, partial)
    finally:
        source.close()
    try:
        restored = check(partial, key_file)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupCheck(target, restored.revision, restored.rows, restored.audit)
