"""Conversation and ConversationTurn refuse what the record must never hold."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from reverie.record import Conversation, ConversationTurn, Speaker
from reverie.record.conversation import MODES

T0 = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)


def test_a_valid_conversation_and_its_turns() -> None:
    conversation = Conversation("c-000000000001", "dream", T0, T0 + timedelta(minutes=20))
    assert conversation.id.startswith("cv-") and conversation.id != Conversation("c-000000000001", "talk", T0).id
    client = ConversationTurn(conversation.id, 1, Speaker.CLIENT, "I dreamt of a house.", T0)
    companion = ConversationTurn(conversation.id, 2, Speaker.COMPANION, "Tell me more.", T0, "dream_work", {"move": "dream_work", "evidence": []})
    assert client.move is None and client.explanation is None
    assert companion.move == "dream_work"


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_is_accepted(mode: str) -> None:
    assert Conversation("c-1", mode, T0).mode == mode


def test_a_conversation_may_end_the_moment_it_starts() -> None:
    assert Conversation("c-1", "talk", T0, T0).ended_at == T0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Conversation("c-1", "chat", T0), "unknown companion mode"),
        (lambda: Conversation("c-1", "Talk", T0), "unknown companion mode"),
        (lambda: Conversation("c-1", "", T0), "unknown companion mode"),
        (lambda: Conversation("c-1", "talk", datetime(2026, 11, 26, 20, 0)), "time zone"),
        (lambda: Conversation("c-1", "talk", T0, T0 - timedelta(seconds=1)), "cannot end before it starts"),
    ],
    ids=["unknown mode", "mode is case-sensitive", "empty mode", "naive start", "ends before it starts"],
)
def test_invalid_conversations_are_refused(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_a_naive_end_is_refused_as_invalid() -> None:
    with pytest.raises(ValueError, match="time zone"):
        Conversation("c-1", "talk", T0, datetime(2026, 11, 26, 21, 0))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: ConversationTurn("cv-1", 0, Speaker.CLIENT, "hello", T0), "numbered from 1"),
        (lambda: ConversationTurn("cv-1", -3, Speaker.CLIENT, "hello", T0), "numbered from 1"),
        (lambda: ConversationTurn("cv-1", 1, Speaker.CLIENT, "", T0), "needs text"),
        (lambda: ConversationTurn("cv-1", 1, Speaker.COMPANION, " \n\t ", T0), "needs text"),
        (lambda: ConversationTurn("cv-1", 1, Speaker.CLIENT, "hello", datetime(2026, 11, 26, 20, 0)), "time zone"),
        (lambda: ConversationTurn("cv-1", 1, Speaker.THERAPIST, "How are you?", T0), "between the client and the companion"),
        (lambda: ConversationTurn("cv-1", 1, Speaker.CLIENT, "hello", T0, move="follow"), "only the companion"),
        (lambda: ConversationTurn("cv-1", 1, Speaker.CLIENT, "hello", T0, explanation={"move": "follow"}), "only the companion"),
        (lambda: ConversationTurn("cv-1", 1, Speaker.CLIENT, "hello", T0, explanation={}), "only the companion"),
    ],
    ids=["seq 0", "negative seq", "empty text", "blank text", "naive time", "therapist speaks", "move on a client turn", "explanation on a client turn", "empty explanation on a client turn"],
)
def test_invalid_turns_are_refused(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_a_companion_turn_need_not_carry_a_move() -> None:
    # The record allows it (e.g. text from before moves were kept); the store keeps None as None.
    turn = ConversationTurn("cv-1", 1, Speaker.COMPANION, "Hello.", T0)
    assert turn.move is None and turn.explanation is None
