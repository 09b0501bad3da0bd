"""The safety check as the companion will call it: first, locally, in the same turn."""

import socket
from datetime import UTC, datetime, timedelta

import pytest

from reverie.record import Client, RiskSource, Speaker, Turn
from reverie.safety.check import SafetyCheck, SafetyState
from reverie.safety.disclosure import DISCLOSURE_TEXT

NOW = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def check() -> SafetyCheck:
    return SafetyCheck()


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Safety must work with every network (and so any LLM) unreachable."""

    def refuse(self: socket.socket, address: object) -> None:
        raise OSError("network disabled in safety tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_a_crisis_statement_gets_the_fixed_response_with_the_local_line(check: SafetyCheck) -> None:
    client = Client("Robin", locale="en-US", time_zone="America/New_York")
    decision = check.client_turn(client, (), "Everyone would be better off without me.", SafetyState(), NOW, conversation_id="v-1")
    assert decision.level == "ideation" and decision.takes_over
    assert decision.reply is not None and "988" in decision.reply and "911" in decision.reply
    assert "safe" in decision.reply.lower()
    (event,) = decision.events
    assert (event.level, event.source, event.document_id, event.turn) == ("ideation", RiskSource.COMPANION, "v-1", 1)

    history = (Turn(Speaker.CLIENT, "Everyone would be better off without me."), Turn(Speaker.COMPANION, decision.reply))
    still = check.client_turn(client, history, "I don't know.", decision.state, NOW + timedelta(minutes=1), conversation_id="v-1")
    assert still.takes_over and still.reply is not None and "988" in still.reply and still.reply != decision.reply
    safe = check.client_turn(client, history, "I'm safe, my sister is here with me now.", still.state, NOW + timedelta(minutes=2), conversation_id="v-1")
    assert not safe.takes_over and not safe.state.in_crisis


@pytest.mark.parametrize(("locale", "line"), [("en-GB", "116 123"), ("en-IE", "116 123"), ("en-AU", "13 11 14"), ("fr-CA", "988")])
def test_the_line_follows_the_clients_locale(check: SafetyCheck, locale: str, line: str) -> None:
    decision = check.client_turn(Client("Robin", locale=locale), (), "I want to kill myself.", SafetyState(), NOW, conversation_id="v-2")
    assert decision.reply is not None and line in decision.reply


def test_an_unknown_locale_gets_the_international_fallback(check: SafetyCheck) -> None:
    decision = check.client_turn(Client("Robin", locale="xx"), (), "I want to die.", SafetyState(), NOW, conversation_id="v-3")
    assert decision.reply is not None and "local emergency number" in decision.reply and "iasp" in decision.reply.lower()


def test_attempts_urge_emergency_contact_now(check: SafetyCheck) -> None:
    decision = check.client_turn(Client("Robin", locale="en-GB"), (), "I took all the pills an hour ago.", SafetyState(), NOW, conversation_id="v-4")
    assert decision.level == "attempt" and decision.reply is not None
    assert "999" in decision.reply and "now" in decision.reply


def test_an_indicator_gets_a_check_in_and_the_conversation_goes_on(check: SafetyCheck) -> None:
    decision = check.client_turn(Client("Robin"), (), "I feel completely hopeless, nothing ever changes.", SafetyState(), NOW, conversation_id="v-5")
    assert decision.level == "indicator" and not decision.takes_over and decision.check_in
    assert decision.events == ()


def test_check_ins_are_spaced_but_ideation_is_never_held_back(check: SafetyCheck) -> None:
    """Asking the same question every few messages drowns people in alarms; a crisis is always answered."""
    client, state = Client("Robin"), SafetyState()
    hopeless = "I feel completely hopeless, nothing ever changes."
    asked = []
    for n in range(7):
        decision = check.client_turn(client, (), hopeless, state, NOW + timedelta(minutes=n), conversation_id="v-8")
        assert decision.level == "indicator" and not decision.takes_over
        asked.append(decision.check_in)
        state = decision.state
    assert [q is not None for q in asked] == [True, False, False, False, False, False, True]
    assert asked[0] != asked[6]  # the next check-in is phrased differently
    # Within the spacing, ideation still gets the full safety response at once.
    state = check.client_turn(client, (), hopeless, SafetyState(), NOW, conversation_id="v-9").state
    crisis = check.client_turn(client, (), "Honestly I just want to die.", state, NOW + timedelta(minutes=1), conversation_id="v-9")
    assert crisis.takes_over and crisis.reply is not None and "116 123" in crisis.reply


def test_idioms_change_nothing(check: SafetyCheck) -> None:
    decision = check.client_turn(Client("Robin"), (), "This commute is killing me, honestly.", SafetyState(), NOW, conversation_id="v-6")
    assert (decision.level, decision.reply, decision.check_in, decision.events) == ("none", None, None, ())


def test_abuse_reaches_the_clinician_without_a_crisis_response(check: SafetyCheck) -> None:
    decision = check.client_turn(Client("Robin"), (), "He hit me again last night when he came in drunk.", SafetyState(), NOW, conversation_id="v-7")
    assert "abuse" in decision.flags and decision.events and decision.events[0].flags == ("abuse",)


def test_disclosure_first_when_asked_and_after_a_long_absence(check: SafetyCheck) -> None:
    client = Client("Robin")
    first = check.client_turn(client, (), "Hi.", SafetyState(), NOW, conversation_id="v-8")
    assert first.disclosure == DISCLOSURE_TEXT
    later = check.client_turn(client, (), "Okay.", first.state, NOW + timedelta(minutes=5), conversation_id="v-8")
    assert later.disclosure is None
    asked = check.client_turn(client, (), "wait, are you a real person?", later.state, NOW + timedelta(minutes=6), conversation_id="v-8")
    assert asked.disclosure == DISCLOSURE_TEXT
    back = check.client_turn(client, (), "Hello again.", asked.state, NOW + timedelta(days=8), conversation_id="v-9")
    assert back.disclosure == DISCLOSURE_TEXT


def test_replies_pass_the_output_gate(check: SafetyCheck) -> None:
    text, result = check.reply("You clearly have depression, and you should stop taking your meds.")
    assert not result.passed and text != "You clearly have depression, and you should stop taking your meds."
    ok, fine = check.reply("I wonder what comes to mind as you say that?")
    assert fine.passed and ok == "I wonder what comes to mind as you say that?"
