from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reverie.errors import ReverieError
from reverie.record import (
    Attendance,
    CancelledBy,
    CaseRecord,
    Client,
    Clinician,
    Consent,
    ConsentScope,
    JournalEntry,
    JournalKind,
    MeasureResponse,
    Session,
    Speaker,
    Turn,
)
from reverie.store import Store

T0 = datetime(2026, 1, 8, 17, 0, tzinfo=UTC)


def a_session(client: Client, when: datetime = T0, text: str = "I don't know where to start.") -> Session:
    return Session(
        client_id=client.id,
        starts_at=when,
        actual_minutes=49,
        turns=(Turn(Speaker.THERAPIST, "Where would you like to start?", 4000, 6000), Turn(Speaker.CLIENT, text, 7000, None)),
        source="s.txt",
        source_sha256="0" * 64,
    )


def a_case() -> CaseRecord:
    clinician = Clinician("Dr Test")
    client = Client("Robin", locale="en-US", time_zone="America/New_York", clinician_id=clinician.id)
    return CaseRecord(
        client=client,
        clinician=clinician,
        sessions=(
            a_session(client),
            Session(client.id, T0 + timedelta(days=7), attendance=Attendance.CANCELLED, cancelled_by=CancelledBy.THERAPIST, notice_hours=336.0),
            Session(client.id, T0 + timedelta(days=14), attendance=Attendance.NO_SHOW),
            replace(a_session(client, T0 + timedelta(days=21)), minutes_late=12, id="s-000000000001"),
        ),
        journal=(
            JournalEntry(client.id, JournalKind.DREAM, T0, "A house with rooms I didn't know.", shared_with_therapist=True, title="house"),
            JournalEntry(client.id, JournalKind.COUNTERTRANSFERENCE, T0 + timedelta(hours=3), "Sleepy in the session."),
        ),
        measures=(MeasureResponse(client.id, "phq9", (1, 2, None, 3, 0, 1, 2, 1, 0), T0),),
        consents=(Consent(client.id, ConsentScope.ANALYSIS, True, T0, "spoken consent"),),
    )


def test_case_round_trip_is_lossless(store: Store) -> None:
    case = a_case()
    store.save_case(case)
    assert store.load_case(case.client.id) == case


def test_times_come_back_as_the_same_instant(store: Store) -> None:
    client = store.add_client(Client("Ada", time_zone="Asia/Tokyo"))
    local = datetime(2026, 1, 9, 2, 0, tzinfo=__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    store.add_sessions([a_session(client, local)])
    (summary,) = store.list_sessions(client.id)
    assert summary.session.starts_at == local and summary.turn_count == 2


def test_find_client_by_id_or_pseudonym(store: Store) -> None:
    client = store.add_client(Client("Maya"))
    assert store.find_client(client.id) == client
    assert store.find_client("maya") == client
    with pytest.raises(ReverieError) as err:
        store.find_client("Nobody")
    assert err.value.code == "R301"


def test_pseudonyms_are_unique_ignoring_case(store: Store) -> None:
    store.add_client(Client("Maya"))
    with pytest.raises(ReverieError) as err:
        store.add_client(Client("MAYA"))
    assert err.value.code == "R306"


def test_duplicate_session_writes_nothing(store: Store) -> None:
    client = store.add_client(Client("Maya"))
    store.add_sessions([a_session(client)])
    before = store.row_counts()
    with pytest.raises(ReverieError) as err:
        store.add_sessions([a_session(client, T0 + timedelta(days=7)), a_session(client)])
    assert err.value.code == "R302"
    assert store.row_counts() == before


def test_duplicate_within_one_batch(store: Store) -> None:
    client = store.add_client(Client("Maya"))
    with pytest.raises(ReverieError) as err:
        store.add_sessions([a_session(client), a_session(client)])
    assert err.value.code == "R302"
    assert store.row_counts()["sessions"] == 0


def test_importing_a_case_twice_is_refused(store: Store) -> None:
    case = a_case()
    store.save_case(case)
    before = store.row_counts()
    with pytest.raises(ReverieError) as err:
        store.save_case(case)
    assert err.value.code == "R304"
    assert store.row_counts() == before


def test_concurrent_writers_never_see_database_locked(store: Store) -> None:
    client = store.add_client(Client("Maya"))

    def writer(k: int) -> None:
        for i in range(15):
            store.add_sessions([a_session(client, T0 + timedelta(hours=k * 100 + i))])

    with ThreadPoolExecutor(max_workers=6) as pool:
        for future in [pool.submit(writer, k) for k in range(6)]:
            future.result()  # re-raises any error from the thread, "database is locked" included
    assert store.row_counts()["sessions"] == 90


def test_two_processes_worth_of_stores_share_one_sqlite_file(tmp_path: Path) -> None:
    """Separate Store objects (as two CLI processes would be) queue on BEGIN IMMEDIATE."""
    url, key = f"sqlite:///{tmp_path / 'r.db'}", tmp_path / "k"
    first = Store.open(url, key, create=True)
    second = Store.open(url, key)
    client = first.add_client(Client("Maya"))

    def writer(s: Store, base: int) -> None:
        for i in range(20):
            s.add_sessions([a_session(client, T0 + timedelta(hours=base + i))])

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(writer, s, b) for s, b in ((first, 0), (second, 1000))]:
            future.result()
    assert first.row_counts()["sessions"] == 40
    first.close()
    second.close()


def test_free_text_is_encrypted_at_rest(tmp_path: Path) -> None:
    canary = "CANARY-7f3e-the-bridge-on-Tuesday"
    url, key = f"sqlite:///{tmp_path / 'r.db'}", tmp_path / "k"
    with Store.open(url, key, create=True) as s:
        client = s.add_client(Client("Maya"))
        s.add_sessions([a_session(client, text=canary)])
        s.add_journal([JournalEntry(client.id, JournalKind.DREAM, T0, f"dream {canary}", title=canary)])
        assert canary in s.load_case(client.id).sessions[0].turns[1].text
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("r.db"))
    assert canary.encode() not in raw
    assert b"Maya" in raw  # the pseudonym is an identifier, stored in clear: the scan does see plaintext


def test_wrong_or_missing_key_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    Store.open(url, tmp_path / "k", create=True).close()
    (tmp_path / "other").mkdir()
    Store.open(f"sqlite:///{tmp_path / 'other' / 'r.db'}", tmp_path / "other" / "k", create=True).close()
    with pytest.raises(ReverieError) as err:
        Store.open(url, tmp_path / "other" / "k")
    assert err.value.code == "R104"
    with pytest.raises(ReverieError) as err:
        Store.open(url, tmp_path / "missing-key", create=True)
    assert err.value.code == "R104"
    assert not (tmp_path / "missing-key").exists()


def test_uninitialised_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        Store.open(f"sqlite:///{tmp_path / 'r.db'}", tmp_path / "k")
    assert err.value.code == "R103"


@pytest.mark.parametrize("url", ["mysql://x@y/z", "not a url", "sqlite://"])
def test_unsupported_urls(url: str, tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        Store.open(url, tmp_path / "k")
    assert err.value.code == "R101"


def test_unreachable_postgres(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        Store.open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", tmp_path / "k")
    assert err.value.code == "R102"


def test_unusable_data_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ReverieError) as err:
        Store.open(f"sqlite:///{blocker / 'sub' / 'r.db'}", tmp_path / "k", create=True)
    assert err.value.code == "R105"


def test_one_instant_named_twice_across_a_dst_change_is_a_duplicate(store: Store) -> None:
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    client = store.add_client(Client("Maya"))
    # 2026-03-29 01:30 does not exist in London (clocks go forward): it names 01:30 UTC, as 02:30 does.
    skipped, real = datetime(2026, 3, 29, 1, 30, tzinfo=london), datetime(2026, 3, 29, 2, 30, tzinfo=london)
    assert skipped != real and skipped.astimezone(UTC) == real.astimezone(UTC)
    with pytest.raises(ReverieError) as err:
        store.add_sessions([a_session(client, skipped), a_session(client, real)])
    assert err.value.code == "R302"
    store.add_sessions([a_session(client, skipped)])
    with pytest.raises(ReverieError) as err:
        store.add_sessions([a_session(client, real)])
    assert err.value.code == "R302"
