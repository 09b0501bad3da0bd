"""The companion's memory from the store: sessions, journal, names and earlier conversations."""

from datetime import UTC, datetime

from reverie.companion.conversation import Mode
from reverie.present.companion import load_memory, start
from reverie.present.demo import load_demo
from reverie.record import JournalKind, Speaker
from reverie.safety.disclosure import FakeClock
from reverie.store import Store


def test_memory_holds_the_record_and_earlier_talk_but_no_therapist_words(store: Store) -> None:
    load_demo(store, None)
    maya = store.find_client("Maya")
    known = load_memory(store, maya.id)
    case = store.load_case(maya.id)
    sessions = {s.id: s for s in case.sessions}
    journal = {e.id: e for e in case.journal}
    assert len(known.index) > 500
    for item in known.index.items:
        if item.kind == "session":
            turn = sessions[item.source_id].turns[item.turn]
            assert turn.speaker is Speaker.CLIENT and turn.text == item.text
        else:
            assert journal[item.source_id].kind is not JournalKind.COUNTERTRANSFERENCE
    assert {"Karen", "Daniel"} <= set(known.names) and known.names["Karen"] == "boss"
    assert known.last_session is not None

    conversation = start(store, maya, Mode.TALK, minutes=50, clock=FakeClock(datetime(2026, 11, 26, 9, tzinfo=UTC)))
    conversation.companion.open()
    conversation.companion.respond("The allotment next door has a fox that sleeps in the compost.")
    conversation.finish()

    again = load_memory(store, maya.id)
    remembered = [item for item in again.index.items if item.kind == "companion"]
    assert [item.text for item in remembered] == ["The allotment next door has a fox that sleeps in the compost."]
    assert remembered[0].source_id == conversation.companion.id
    # The disclosure state travels with the client: the next conversation does not open with it again.
    saved = store.load_companion_state(maya.id)
    assert saved is not None and saved["last_disclosed_at"] is not None
