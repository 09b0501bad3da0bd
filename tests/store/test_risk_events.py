from datetime import UTC, datetime
from pathlib import Path

import pytest

from reverie.errors import ReverieError
from reverie.record import Client, MeasureResponse, RiskEvent, RiskSource
from reverie.store import Store

T0 = datetime(2026, 1, 8, 17, tzinfo=UTC)


def test_phq9_item_9_above_zero_creates_an_event_with_the_answer(store: Store) -> None:
    client = store.add_client(Client("Maya"))
    store.add_measures([
        MeasureResponse(client.id, "phq9", (2, 2, 2, 2, 1, 1, 1, 1, 1), T0),
        MeasureResponse(client.id, "phq9", (2, 2, 2, 2, 1, 1, 1, 1, 0), T0),
        MeasureResponse(client.id, "phq9", (2, 2, 2, 2, 1, 1, 1, 1, None), T0),
        MeasureResponse(client.id, "gad7", (3, 3, 3, 3, 3, 3, 3), T0),
    ])
    (event,) = store.list_risk_events(client.id)
    assert (event.source, event.level, event.turn, event.reason) == (RiskSource.MEASURE, "ideation", 9, "phq9 item 9 answered 1")


def test_events_are_deduplicated_and_acknowledged_with_an_encrypted_note(store: Store) -> None:
    client = store.add_client(Client("Maya"))
    event = RiskEvent(client.id, "ideation", RiskSource.SESSION, "s-000000000001", T0, turn=36, evidence=((10, 40),), reason="ideation phrase")
    assert store.add_risk_events([event]) == 1
    assert store.add_risk_events([RiskEvent(client.id, "ideation", RiskSource.SESSION, "s-000000000001", T0, turn=36)]) == 0
    assert [e.id for e in store.list_risk_events(unacknowledged=True)] == [event.id]
    done = store.acknowledge_risk_event(event.id, "CANARY-ack-phoned, safe, plan agreed")
    assert done.acknowledged_at is not None and done.acknowledged_note == "CANARY-ack-phoned, safe, plan agreed"
    assert store.list_risk_events(unacknowledged=True) == []
    with pytest.raises(ReverieError) as err:
        store.acknowledge_risk_event("r-nope", "x")
    assert err.value.code == "R502"
    with pytest.raises(ReverieError) as err:
        store.acknowledge_risk_event(event.id, "  ")
    assert err.value.code == "R503"


def test_acknowledgement_notes_are_not_in_the_raw_file(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'r.db'}", tmp_path / "k", create=True) as store:
        client = store.add_client(Client("Maya"))
        event = RiskEvent(client.id, "behavior", RiskSource.SESSION, "s-1", T0, turn=3)
        store.add_risk_events([event])
        store.acknowledge_risk_event(event.id, "CANARY-3f1e rang her mother")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("r.db"))
    assert b"CANARY-3f1e" not in raw


def test_events_below_ideation_need_a_flag() -> None:
    with pytest.raises(ValueError):
        RiskEvent("c-1", "indicator", RiskSource.SESSION, "s-1", T0)
    RiskEvent("c-1", "none", RiskSource.SESSION, "s-1", T0, flags=("abuse",))
