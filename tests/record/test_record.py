from datetime import UTC, datetime

import pytest

from reverie.record import (
    Attendance,
    CancelledBy,
    CaseRecord,
    Client,
    JournalAuthor,
    JournalEntry,
    JournalKind,
    MeasureResponse,
    Session,
    Speaker,
    Turn,
)

T0 = datetime(2026, 1, 8, 17, tzinfo=UTC)


def test_ids_are_prefixed_and_distinct() -> None:
    ids = {Client("A").id for _ in range(200)}
    assert len(ids) == 200 and all(i.startswith("c-") and len(i) == 14 for i in ids)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Turn(Speaker.CLIENT, "   "),
        lambda: Turn(Speaker.CLIENT, "x", start_ms=-1),
        lambda: Turn(Speaker.CLIENT, "x", start_ms=5, end_ms=4),
        lambda: Turn(Speaker.CLIENT, "x", end_ms=4),
        lambda: Client(" "),
        lambda: Client("A", created_at=datetime(2026, 1, 1)),
        lambda: Session("c-1", datetime(2026, 1, 8, 17)),
        lambda: Session("c-1", T0, planned_minutes=0),
        lambda: Session("c-1", T0, minutes_late=-5),
        lambda: Session("c-1", T0, attendance=Attendance.CANCELLED),
        lambda: Session("c-1", T0, cancelled_by=CancelledBy.CLIENT),
        lambda: Session("c-1", T0, attendance=Attendance.NO_SHOW, turns=(Turn(Speaker.CLIENT, "x"),)),
        lambda: JournalEntry("c-1", JournalKind.DREAM, T0, ""),
        lambda: JournalEntry("c-1", JournalKind.COUNTERTRANSFERENCE, T0, "sleepy", shared_with_therapist=True),
        lambda: MeasureResponse("c-1", "phq9", (), T0),
    ],
)
def test_invalid_records_cannot_be_built(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]


def test_countertransference_is_the_therapists() -> None:
    assert JournalEntry("c-1", JournalKind.COUNTERTRANSFERENCE, T0, "x").author is JournalAuthor.THERAPIST
    assert JournalEntry("c-1", JournalKind.DREAM, T0, "x").author is JournalAuthor.CLIENT
    assert JournalEntry("c-1", JournalKind.DREAM, T0, "x").shared_with_therapist is False


def test_a_case_holds_one_client_only() -> None:
    client = Client("A")
    with pytest.raises(ValueError, match="belongs to"):
        CaseRecord(client, sessions=(Session("c-someone-else", T0),))
