"""Promise 7: backups through SQLite's online backup API, restored and verified; kill -9 loses no
acknowledged write."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reverie.errors import ReverieError
from reverie.store import Store
from reverie.store.backup import check, restore
from tests.store.test_store import a_case


def sqlite_store(tmp_path: Path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'live.db'}", tmp_path / "reverie.key", create=True)


def test_backup_then_restore_gives_back_the_same_record(tmp_path: Path) -> None:
    case = a_case()
    with sqlite_store(tmp_path) as live:
        live.save_case(case)
        made = live.backup(tmp_path / "b.db")
        assert made.path == tmp_path / "b.db" and made.clients == 1 and made.rows["sessions"] == 4 and made.audit.intact
        assert [r.operation for r in live.audit_rows(limit=1)] == ["backup"]
        original = live.load_case(case.client.id)
    assert not list(tmp_path.glob(".*.partial"))
    restored = restore(tmp_path / "b.db", tmp_path / "restored.db", tmp_path / "reverie.key")
    assert restored.rows == made.rows
    with Store.open(f"sqlite:///{tmp_path / 'restored.db'}", tmp_path / "reverie.key") as back:
        assert back.load_case(case.client.id) == original
        assert back.verify_audit().intact


def test_backup_and_restore_never_overwrite(tmp_path: Path) -> None:
    with sqlite_store(tmp_path) as live:
        live.save_case(a_case())
        (tmp_path / "taken.db").write_bytes(b"keep me")
        with pytest.raises(ReverieError, match=r"\[R108\].*already exists"):
            live.backup(tmp_path / "taken.db")
        with pytest.raises(ReverieError, match=r"\[R108\].*does not exist"):
            live.backup(tmp_path / "no-such-folder" / "b.db")
        live.backup(tmp_path / "b.db")
    with pytest.raises(ReverieError, match=r"\[R108\]"):
        restore(tmp_path / "b.db", tmp_path / "taken.db", tmp_path / "reverie.key")
    assert (tmp_path / "taken.db").read_bytes() == b"keep me"


def test_a_damaged_or_foreign_backup_is_refused(tmp_path: Path) -> None:
    with sqlite_store(tmp_path) as live:
        live.save_case(a_case())
        live.backup(tmp_path / "b.db")
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(ReverieError, match=r"\[R107\].*not a readable SQLite database"):
        check(tmp_path / "junk.db", tmp_path / "reverie.key")
    with pytest.raises(ReverieError, match=r"\[R107\].*does not exist"):
        check(tmp_path / "nothing.db", tmp_path / "reverie.key")
    # An audit row edited in the copy: the chain says so.
    tampered = tmp_path / "tampered.db"
    tampered.write_bytes((tmp_path / "b.db").read_bytes())
    with sqlite3.connect(tampered) as conn:
        conn.execute("UPDATE audit_log SET actor = 'x' WHERE id = 1")
    with pytest.raises(ReverieError, match=r"\[R106\].*row 1"):
        check(tampered, tmp_path / "reverie.key")
    # Another key cannot open it.
    from reverie.store.crypto import create_key

    create_key(tmp_path / "other.key")
    with pytest.raises(ReverieError, match=r"\[R104\]"):
        check(tmp_path / "b.db", tmp_path / "other.key")


def test_postgresql_is_sent_to_its_own_tools(db_url: str, tmp_path: Path) -> None:
    with Store.open(db_url, tmp_path / "k", create=True) as store:
        if store.engine.dialect.name == "sqlite":
            store.backup(tmp_path / "fine.db")
            return
        with pytest.raises(ReverieError, match=r"\[R108\].*pg_dump"):
            store.backup(tmp_path / "b.db")


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import timedelta
    from reverie.store import Store
    from tests.store.test_store import T0, a_session
    from reverie.record import Client
    store = Store.open(sys.argv[1], __import__("pathlib").Path(sys.argv[2]), create=True)
    client = store.add_client(Client("Kim"))
    print("client", client.id, flush=True)
    for n in range(100000):
        session = a_session(client, T0 + timedelta(days=n))
        store.add_sessions([session])
        print("acked", session.id, flush=True)
    """
)


def test_kill_9_during_writes_loses_no_acknowledged_write(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'src'}"}
    writer = subprocess.Popen([sys.executable, "-c", WRITER, url, str(tmp_path / "reverie.key")], stdout=subprocess.PIPE, text=True, env=env, cwd=root)
    assert writer.stdout is not None
    acked: list[str] = []
    client = writer.stdout.readline().split()[1]
    deadline = time.monotonic() + 60
    while len(acked) < 40 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if line.startswith("acked"):
            acked.append(line.split()[1])
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    # The writer may have acknowledged more before dying than we read; those count too.
    acked += [line.split()[1] for line in writer.stdout.read().splitlines() if line.startswith("acked")]
    assert len(acked) >= 40
    with Store.open(url, tmp_path / "reverie.key") as store:
        stored = {s.session.id for s in store.list_sessions(client)}
        assert set(acked) <= stored
        assert store.verify_audit().intact
    assert sqlite3.connect(tmp_path / "live.db").execute("PRAGMA integrity_check").fetchone() == ("ok",)
