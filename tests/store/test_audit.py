"""Promise 5: every read or write of clinical data writes an audit row in the same transaction,
and the log is an HMAC chain whose tampering ``verify_audit`` finds."""

import inspect
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa

from reverie.analysis.document import Annotation, Span
from reverie.errors import ReverieError
from reverie.record import (
    Client,
    Conversation,
    ConversationTurn,
    JournalEntry,
    JournalKind,
    MeasureResponse,
    RiskEvent,
    RiskSource,
    Speaker,
)
from reverie.store import Store
from tests.store.test_store import T0, a_case, a_session

# Not clinical data: opening and closing, and row counts (numbers only, for tests of rollback).
NOT_AUDITED = {"open", "close", "row_counts"}
# Calls made of other public calls log those calls too.
COMPOSED = {"acknowledge_risk_event": {"list_risk_events"}, "load_case": {"load_client", "list_journal"}}


def audit_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(sa.text("SELECT count(*) FROM audit_log")) or 0)


def calls(store: Store, folder: Path) -> dict[str, Callable[[], Any]]:
    """One call of every public method, on a stored case; each must leave audit rows."""
    case = a_case()
    client = case.client
    session = case.sessions[0]
    conversation = Conversation(client.id, "talk", T0)
    turn = ConversationTurn(conversation.id, 1, Speaker.CLIENT, "hello", T0)
    event = RiskEvent(client.id, "ideation", RiskSource.SESSION, session.id, T0, turn=2, reason="test")
    other = Client("Sam")
    note = Annotation("affect", "sadness", 0.8, "affect", "1.1", (Span(1, 0, 5),), {})
    return {
        "save_case": lambda: store.save_case(case),
        "add_client": lambda: store.add_client(other),
        "list_clients": store.list_clients,
        "find_client": lambda: store.find_client("Robin"),
        "load_client": lambda: store.load_client(client.id),
        "add_sessions": lambda: store.add_sessions([a_session(other)]),
        "list_sessions": lambda: store.list_sessions(client.id),
        "get_session": lambda: store.get_session(session.id),
        "add_journal": lambda: store.add_journal([JournalEntry(other.id, JournalKind.FREE_ASSOCIATION, T0, "a thought")]),
        "list_journal": lambda: store.list_journal(client.id),
        "add_measures": lambda: store.add_measures([MeasureResponse(other.id, "gad7", (1, 1, 1, 1, 1, 1, 1), T0)]),
        "add_risk_events": lambda: store.add_risk_events([event]),
        "list_risk_events": lambda: store.list_risk_events(client.id),
        "acknowledge_risk_event": lambda: store.acknowledge_risk_event(event.id, "phoned, safe"),
        "load_case": lambda: store.load_case(client.id),
        "save_conversation": lambda: store.save_conversation(conversation, [turn]),
        "list_conversations": lambda: store.list_conversations(client.id),
        "load_conversation_turns": lambda: store.load_conversation_turns(conversation.id),
        "save_companion_state": lambda: store.save_companion_state(client.id, {"first_use": T0.isoformat()}),
        "load_companion_state": lambda: store.load_companion_state(client.id),
        "save_vectors": lambda: store.save_vectors(session.id, "m", np.ones((2, 4), np.float32)),
        "load_vectors": lambda: store.load_vectors(session.id, "m", 4),
        "save_analysis": lambda: store.save_analysis(client.id, session.id, {"affect": "1.1"}, [note], {"affect": {"turns": 1}}),
        "analysis_versions": lambda: store.analysis_versions(session.id),
        "load_annotations": lambda: store.load_annotations(session.id),
        "analysis_summaries": lambda: store.analysis_summaries(session.id),
        "audit_rows": lambda: store.audit_rows(client.id, limit=5),
        "verify_audit": store.verify_audit,
        "backup": lambda: store.backup(folder / "backup.db"),
    }


def test_every_public_method_is_audited_or_declared_not_clinical(store: Store, tmp_path: Path) -> None:
    public = {name for name, _ in inspect.getmembers(Store, inspect.isfunction) if not name.startswith("_")} | {"open"}
    plan = calls(store, tmp_path)
    assert public == set(plan) | NOT_AUDITED, "a new Store method must be audited (add it to calls()) or declared in NOT_AUDITED"
    for name, call in plan.items():
        before = audit_count(store)
        if name == "backup" and store.engine.dialect.name != "sqlite":
            with pytest.raises(ReverieError, match="R108"):
                call()
            continue
        call()
        rows = store.audit_rows(limit=audit_count(store) - before)  # read before its own row is added
        assert rows, f"{name} wrote no audit row"
        assert name in {r.operation for r in rows} and {r.operation for r in rows} <= {name} | COMPOSED.get(name, set()), name
        assert all(r.action == ("write" if r.operation.startswith(("save", "add", "acknowledge")) else "read") for r in rows), name
    assert store.verify_audit().intact


def test_rows_name_the_client_and_the_ids_never_the_words(store: Store, db_url: str) -> None:
    case = a_case()
    store.save_case(case)
    store.get_session(case.sessions[0].id)
    (row,) = store.audit_rows(case.client.id, limit=1)
    assert (row.operation, row.action, row.client_id, row.subjects) == ("get_session", "read", case.client.id, (case.sessions[0].id,))
    everything = " ".join(f"{r.operation} {r.client_id} {' '.join(r.subjects)}" for r in store.audit_rows())
    assert "where to start" not in everything and "rooms" not in everything


def test_a_failed_write_leaves_no_audit_row(store: Store) -> None:
    case = a_case()
    store.save_case(case)
    before = audit_count(store)
    with pytest.raises(ReverieError, match="R304"):
        store.save_case(case)
    with pytest.raises(ReverieError, match="R305"):
        store.get_session("s-nothere")
    assert audit_count(store) == before


def test_actor_comes_from_the_opener_or_the_environment(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVERIE_ACTOR", "dr.okafor")
    with Store.open(db_url, tmp_path / "k", create=True) as s:
        s.list_clients()
        assert s.audit_rows(limit=1)[0].actor == "dr.okafor"
    with Store.open(db_url, tmp_path / "k", actor="researcher-2") as s:
        s.list_clients()
        assert s.audit_rows(limit=1)[0].actor == "researcher-2"


def tamper(store: Store, sql: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text(sql))


@pytest.mark.parametrize(
    ("sql", "broken", "reason"),
    [
        ("UPDATE audit_log SET actor = 'someone else' WHERE id = 3", 3, "does not match its MAC"),
        ("UPDATE audit_log SET client_id = NULL WHERE id = 4", 4, "does not match its MAC"),
        ("DELETE FROM audit_log WHERE id = 5", 5, "row 5 is missing"),
        ("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)", None, "cut from the end"),
        ("UPDATE audit_log SET mac = (SELECT mac FROM audit_log WHERE id = 2) WHERE id = 6", 6, "does not match its MAC"),
    ],
)
def test_verify_finds_edited_deleted_and_cut_rows(store: Store, sql: str, broken: int | None, reason: str) -> None:
    case = a_case()
    store.save_case(case)
    for s in case.sessions:
        store.get_session(s.id)
    store.list_journal(case.client.id)
    good = store.verify_audit()
    assert good.intact and good.rows == 6
    tamper(store, sql)
    verdict = store.verify_audit()
    assert not verdict.intact
    assert reason in (verdict.reason or "")
    if broken is not None:
        assert verdict.broken_at == broken


def test_a_chain_under_another_key_does_not_verify(db_url: str, tmp_path: Path) -> None:
    with Store.open(db_url, tmp_path / "k", create=True) as s:
        s.save_case(a_case())
    # The same rows, checked with a key that did not write them: a forger without the key file.
    (tmp_path / "other").mkdir()
    with Store.open(db_url, tmp_path / "k") as s:
        assert s.verify_audit().intact
    from reverie.store.audit import AuditLog, audit_key
    from reverie.store.crypto import TextCipher, create_key, load_key

    create_key(tmp_path / "other" / "k")
    with Store.open(db_url, tmp_path / "k") as s:
        forged = AuditLog(audit_key(load_key(tmp_path / "other" / "k")), TextCipher(load_key(tmp_path / "k")), "x")
        with s.engine.connect() as conn:
            verdict = forged.verify(conn)
    assert not verdict.intact and verdict.broken_at == 1


def test_concurrent_accesses_keep_one_chain(db_url: str, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with Store.open(db_url, tmp_path / "k", create=True) as s:
        case = a_case()
        s.save_case(case)
    stores = [Store.open(db_url, tmp_path / "k", actor=f"p{n}") for n in range(3)]
    try:
        with ThreadPoolExecutor(6) as pool:
            list(pool.map(lambda n: stores[n % 3].list_sessions(case.client.id), range(30)))
        verdict = stores[0].verify_audit()
        assert verdict.intact and verdict.rows >= 31
    finally:
        for s in stores:
            s.close()


def test_timestamps_are_whole_seconds_in_utc(store: Store) -> None:
    store.list_clients()
    (row,) = store.audit_rows(limit=1)
    assert row.at.tzinfo == UTC and row.at.microsecond == 0
    assert abs(row.at - datetime.now(UTC)) < timedelta(minutes=1)
