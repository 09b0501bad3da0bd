"""Companion conversations in the store, on SQLite and on PostgreSQL: append-only turns, encrypted text."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from reverie.record import Client, Conversation, ConversationTurn, Speaker
from reverie.store import Store
from reverie.store import schema as t

T0 = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)

EXPLANATION: dict[str, Any] = {
    "move": "link_past_present",
    "reason": "an earlier turn shares its words (0.50)",
    "evidence": [
        {"quote": "I had a long week", "source": "this turn", "why": "now", "when": None, "turn": None},
        {"quote": "Which is weird, because in January", "source": "s-0c4951d590d4", "why": "similar words 0.50", "when": "2026-07-02T16:00:00+00:00", "turn": 5},
    ],
    "slots": {},
    "renderer": "template",
    "risk": "none",
    "flags": [],
    "disclosed": True,
    "gate": [],
    "llm": None,
    "conformance": [],
}


def a_conversation(client: Client, started: datetime = T0, mode: str = "talk") -> Conversation:
    return Conversation(client.id, mode, started)


def turns_of(conversation: Conversation, n: int) -> list[ConversationTurn]:
    """``n`` turns, the companion first (it opens), alternating with the client, a minute apart."""
    out = []
    for seq in range(1, n + 1):
        at = conversation.started_at + timedelta(minutes=seq - 1)
        if seq % 2:
            out.append(ConversationTurn(conversation.id, seq, Speaker.COMPANION, f"companion turn {seq}", at, "follow", {"move": "follow", "seq": seq}))
        else:
            out.append(ConversationTurn(conversation.id, seq, Speaker.CLIENT, f"client turn {seq}", at))
    return out


def test_a_conversation_round_trips_with_its_reasons(store: Store) -> None:
    client = store.add_client(Client("Maya"))
    conversation = a_conversation(client)
    turns = [
        ConversationTurn(conversation.id, 1, Speaker.COMPANION, "I'm here. What's on your mind?", T0, "open", {"move": "open", "evidence": []}),
        ConversationTurn(conversation.id, 2, Speaker.CLIENT, "I had a long week — café, ümlaut, 日本語.", T0 + timedelta(minutes=1)),
        ConversationTurn(conversation.id, 3, Speaker.COMPANION, 'In July, you said: "Which is weird".', T0 + timedelta(minutes=1), "link_past_present", EXPLANATION),
    ]
    assert store.save_conversation(conversation, turns) == 3
    assert store.list_conversations(client.id) == [conversation]
    loaded = store.load_conversation_turns(conversation.id)
    assert loaded == turns
    assert loaded[2].explanation == EXPLANATION  # nested lists, None and booleans come back as they went in
    assert loaded[1].move is None and loaded[1].explanation is None
    assert loaded[1].at.tzinfo is not None and loaded[1].at == T0 + timedelta(minutes=1)


def test_saving_again_appends_only_the_new_turns(store: Store) -> None:
    client = store.add_client(Client("Maya"))
    conversation = a_conversation(client)
    turns = turns_of(conversation, 5)
    assert store.save_conversation(conversation, turns[:1]) == 1
    assert store.save_conversation(conversation, turns[:3]) == 2
    assert store.save_conversation(conversation, turns[:3]) == 0
    # A stored turn is never rewritten, even if the caller hands in different words for it.
    changed = [ConversationTurn(conversation.id, 1, Speaker.COMPANION, "rewritten", T0, "follow", {}), *turns[1:5]]
    assert store.save_conversation(conversation, changed) == 2
    assert store.load_conversation_turns(conversation.id) == turns
    assert store.row_counts()["companion_conversations"] == 1
    assert store.row_counts()["companion_turns"] == 5


def test_ended_at_is_set_by_a_later_save(store: Store) -> None:
    client = store.add_client(Client("Maya"))
    conversation = a_conversation(client)
    turns = turns_of(conversation, 4)
    store.save_conversation(conversation, turns[:2])
    assert store.list_conversations(client.id)[0].ended_at is None
    ended = Conversation(client.id, "talk", T0, T0 + timedelta(minutes=42), conversation.id)
    assert store.save_conversation(ended, turns) == 2
    (stored,) = store.list_conversations(client.id)
    assert stored == ended and stored.ended_at == T0 + timedelta(minutes=42)


def test_a_conversation_saved_ended_at_once(store: Store) -> None:
    client = store.add_client(Client("Maya"))
    conversation = Conversation(client.id, "reflection", T0, T0 + timedelta(minutes=5))
    assert store.save_conversation(conversation, []) == 0
    assert store.list_conversations(client.id) == [conversation]
    assert store.load_conversation_turns(conversation.id) == []


def test_list_conversations_is_ordered_by_start_and_per_client(store: Store) -> None:
    maya = store.add_client(Client("Maya"))
    tomas = store.add_client(Client("Tomás"))
    later = a_conversation(maya, T0 + timedelta(days=2), "dream")
    earliest = a_conversation(maya, T0 - timedelta(days=3), "free-association")
    # The same instant written in another zone still sorts as that instant.
    middle = a_conversation(maya, (T0 + timedelta(hours=1)).astimezone(ZoneInfo("America/New_York")))
    other = a_conversation(tomas, T0)
    for c in (later, other, middle, earliest):
        store.save_conversation(c, turns_of(c, 2))
    listed = store.list_conversations(maya.id)
    assert [c.id for c in listed] == [earliest.id, middle.id, later.id]
    assert [c.mode for c in listed] == ["free-association", "talk", "dream"]
    assert listed[1].started_at == middle.started_at
    assert store.list_conversations(tomas.id) == [other]
    assert store.list_conversations("c-nobody") == []
    assert store.load_conversation_turns("cv-nobody") == []


def test_a_turn_of_another_conversation_writes_nothing(store: Store) -> None:
    client = store.add_client(Client("Maya"))
    conversation = a_conversation(client)
    stray = ConversationTurn(a_conversation(client).id, 2, Speaker.CLIENT, "x", T0)
    before = store.row_counts()
    with pytest.raises(ValueError, match="another conversation"):
        store.save_conversation(conversation, [*turns_of(conversation, 1), stray])
    assert store.row_counts() == before
    assert store.list_conversations(client.id) == []


def test_companion_state_is_saved_updated_and_loaded(store: Store) -> None:
    maya = store.add_client(Client("Maya"))
    tomas = store.add_client(Client("Tomás"))
    assert store.load_companion_state(maya.id) is None
    first = {"last_disclosed_at": "2026-11-26T20:00:00+00:00", "last_message_at": "2026-11-26T20:05:00+00:00", "session_started_at": None}
    store.save_companion_state(maya.id, first)
    assert store.load_companion_state(maya.id) == first
    second = {**first, "last_message_at": "2026-11-27T09:30:00+00:00"}
    store.save_companion_state(maya.id, second)
    assert store.load_companion_state(maya.id) == second
    assert store.load_companion_state(tomas.id) is None
    with store.engine.connect() as conn:
        assert conn.scalar(select(t.companion_state.c.client_id).where(t.companion_state.c.client_id == maya.id)) == maya.id
        assert len(conn.execute(select(t.companion_state)).all()) == 1


def test_turn_text_and_reasons_are_sealed_in_the_database(store: Store) -> None:
    """On both backends, the columns hold ciphertext, not the words."""
    canary, quote = "CANARY-companion-a1b2", "CANARY-quote-c3d4"
    client = store.add_client(Client("Maya"))
    conversation = a_conversation(client)
    explanation = {"move": "follow", "evidence": [{"quote": quote, "source": "this turn"}]}
    store.save_conversation(conversation, [ConversationTurn(conversation.id, 1, Speaker.COMPANION, canary, T0, "follow", explanation)])
    with store.engine.connect() as conn:
        row = conn.execute(select(t.companion_turns.c.text, t.companion_turns.c.explanation, t.companion_turns.c.move)).one()
    assert canary.encode() not in bytes(row.text) and quote.encode() not in bytes(row.explanation)
    assert row.move == "follow"  # the move's name is an identifier, kept in clear for queries
    assert store.load_conversation_turns(conversation.id)[0].explanation == explanation


def test_companion_words_are_encrypted_at_rest(tmp_path: Path) -> None:
    """The raw SQLite file (and its WAL) never holds a companion turn or a quote from its reasons."""
    canary, quote = "CANARY-9d1c-the-companion-said", "CANARY-5b7e-she-quoted-the-lake"
    url, key = f"sqlite:///{tmp_path / 'r.db'}", tmp_path / "k"
    with Store.open(url, key, create=True) as s:
        client = s.add_client(Client("Maya"))
        conversation = a_conversation(client)
        explanation = {**EXPLANATION, "evidence": [{"quote": quote, "source": "this turn", "why": "now", "when": None, "turn": None}]}
        s.save_conversation(conversation, [
            ConversationTurn(conversation.id, 1, Speaker.COMPANION, f"I'm here. {canary}", T0, "open", {"move": "open"}),
            ConversationTurn(conversation.id, 2, Speaker.CLIENT, f"client {canary}", T0),
            ConversationTurn(conversation.id, 3, Speaker.COMPANION, canary, T0, "link_past_present", explanation),
        ])
        loaded = s.load_conversation_turns(conversation.id)
        assert canary in loaded[2].text and loaded[2].explanation is not None
        assert loaded[2].explanation["evidence"][0]["quote"] == quote
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("r.db"))
    assert canary.encode() not in raw
    assert quote.encode() not in raw
    assert b"link_past_present" in raw  # the scan does see plaintext columns
