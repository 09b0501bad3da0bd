"""Engines: where the database is, and the settings that make SQLite safe to trust.

SQLite runs in WAL mode with ``synchronous=FULL`` (an acknowledged write survives a power cut)
and foreign keys on. Transactions are begun explicitly so a writer can take the write lock up
front (``BEGIN IMMEDIATE``) instead of failing half-way with "database is locked".
"""

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError

from reverie.errors import ReverieError

WRITE_FLAG = "reverie_write"
BUSY_TIMEOUT_MS = 30_000


def default_data_dir() -> Path:
    """``REVERIE_DATA_DIR``, else the platform's user data folder."""
    configured = os.environ.get("REVERIE_DATA_DIR")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("reverie", appauthor=False))


def database_url(explicit: str | None, data_dir: Path) -> str:
    """``--db``, else ``REVERIE_DATABASE_URL``, else SQLite in the data folder."""
    url = explicit or os.environ.get("REVERIE_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir / 'reverie.db'}"


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ReverieError("R101", f"{url!r} is not a database URL", "use sqlite:///path/to/reverie.db or postgresql://user@host/dbname") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ReverieError("R101", "an in-memory SQLite database would forget everything", "give a file: sqlite:///path/to/reverie.db")
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReverieError("R105", f"cannot create the folder {folder} ({exc.strerror})", "choose a writable data folder with --data-dir or REVERIE_DATA_DIR") from None
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise ReverieError("R101", f"Reverie does not support {backend!r} databases", "use sqlite:///... or postgresql://...")


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let us issue BEGIN ourselves; pysqlite's implicit transactions defer the write lock.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", f"busy_timeout={BUSY_TIMEOUT_MS}"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    write = connection.info.get(WRITE_FLAG, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
