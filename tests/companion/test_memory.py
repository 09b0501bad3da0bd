"""Memory across sessions: what enters a client's memory, how it is ranked, and how it says when."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from reverie.analysis.document import Annotation, Span
from reverie.analysis.embed import DIMENSIONS, shared_encoder
from reverie.companion.memory import (
    CHILDHOOD_BONUS,
    HEADROOM,
    PERSON_WEIGHT,
    MemoryIndex,
    MemoryItem,
    memory_from_parts,
    memory_items,
    when_said,
)
from reverie.record import Attendance, CancelledBy, CaseRecord, Client, JournalEntry, JournalKind, Session, Speaker, Turn

T0 = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)


def unit(*weights: tuple[int, float]) -> np.ndarray:
    """A unit vector from (axis, weight) pairs: exact cosines for ranking tests."""
    v = np.zeros(DIMENSIONS, dtype=np.float32)
    for axis, weight in weights:
        v[axis] = weight
    return v / np.linalg.norm(v)


def item(source: str, turn: int = 0, *, days: int = 0, text: str = "", kind: str = "session", **labels: object) -> MemoryItem:
    return MemoryItem(source, kind, turn, T0 + timedelta(days=days), text or f"{source} turn {turn}", **labels)  # type: ignore[arg-type]


def note(lens: str, label: str, turn: int, end: int = 5, confidence: float = 0.8, **detail: object) -> Annotation:
    return Annotation(lens, label, confidence, "test", "1", (Span(turn, 0, end),), detail)


def fake_encode(texts: list[str]) -> np.ndarray:
    """Deterministic vectors: words hashed onto axes (same words, same direction)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in text.lower().split():
            out[row, sum(map(ord, word)) % DIMENSIONS] += 1.0
    unit_rows: np.ndarray = out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return unit_rows


# ---------------------------------------------------------------------------------------------
# What enters memory


@pytest.fixture
def case() -> CaseRecord:
    client = Client("Robin")
    cid = client.id
    first = Session(
        cid,
        T0,
        id="s1",
        turns=(
            Turn(Speaker.THERAPIST, "What comes to mind about your mother?"),
            Turn(Speaker.CLIENT, "My mother Anna never listened when I was little."),
            Turn(Speaker.THERAPIST, "THERAPIST-ONLY interpretation about the mother."),
            Turn(Speaker.CLIENT, "I feel calm about work today."),
        ),
    )
    cancelled = Session(cid, T0 + timedelta(days=7), id="s2", attendance=Attendance.CANCELLED, cancelled_by=CancelledBy.CLIENT)
    later = Session(cid, T0 + timedelta(days=14), id="s3", turns=(Turn(Speaker.CLIENT, "Anna rang and I was furious."),))
    journal = (
        JournalEntry(cid, JournalKind.DREAM, T0 + timedelta(days=3), "I dreamt of the old house.", id="j1"),
        JournalEntry(cid, JournalKind.COUNTERTRANSFERENCE, T0 + timedelta(days=4), "COUNTER note: I felt protective.", id="j2"),
    )
    return CaseRecord(client, sessions=(later, first, cancelled), journal=journal)


ANNOTATIONS = {
    "s1": [
        note("relationships", "mother", 1, 12, name_span=[10, 14], feeling=None, action=None),
        note("affect", "sadness", 1),
        note("affect", "neutral", 3),
        note("patterns", "family", 1),
        note("past", "childhood", 1, confidence=0.7),
        note("past", "past", 1, confidence=0.2),
        note("past", "early_figure", 1, role="caregiver"),
        note("patterns", "work", 3),
        note("past", "present", 3),
        note("relationships", "other", 3, name_span=None),
    ],
    "s3": [note("relationships", "sibling", 0, 4, name_span=[0, 4]), note("affect", "anger", 0)],
    "j1": [note("fantasy", "dream", 0)],
    "j2": [note("affect", "love", 0)],
}


def test_memory_holds_only_the_clients_own_words_oldest_first(case: CaseRecord) -> None:
    items = memory_items(case, ANNOTATIONS)
    assert [(x.source_id, x.kind, x.turn) for x in items] == [
        ("s1", "session", 1),
        ("s1", "session", 3),
        ("j1", "journal", 0),
        ("s3", "session", 0),
    ]
    texts = " ".join(x.text for x in items)
    assert "THERAPIST-ONLY" not in texts and "What comes to mind" not in texts
    assert "COUNTER" not in texts  # countertransference is the therapist's alone
    assert items[2].when == T0 + timedelta(days=3) and items[3].when == T0 + timedelta(days=14)


def test_items_carry_people_names_feelings_themes_and_focus(case: CaseRecord) -> None:
    first, calm, dream, later = memory_items(case, ANNOTATIONS)
    assert first.people == {"mother", "anna", "caregiver"}
    assert first.feelings == {"sadness"} and first.themes == {"family"}
    assert first.temporal == "childhood"  # the more confident of the two readings
    assert calm.feelings == frozenset()  # neutral is not a feeling worth linking on
    assert calm.people == frozenset()  # a vague "other" role is not a link
    assert calm.temporal == "present" and calm.themes == {"work"}
    assert later.people == {"sibling", "anna"} and later.feelings == {"anger"}
    assert dream.people == dream.feelings == frozenset() and dream.temporal is None


# ---------------------------------------------------------------------------------------------
# The index


def test_shapes_are_checked() -> None:
    one = [item("s1")]
    with pytest.raises(ValueError, match="shape"):
        MemoryIndex(one, np.zeros((1, 10), dtype=np.float32))
    with pytest.raises(ValueError, match="1 items but 2 vectors"):
        MemoryIndex(one, np.zeros((2, DIMENSIONS), dtype=np.float32))
    with pytest.raises(ValueError, match="finite"):
        MemoryIndex(one, np.full((1, DIMENSIONS), np.nan, dtype=np.float32))
    index = MemoryIndex(one, unit((0, 1.0))[None, :])
    with pytest.raises(ValueError, match="query"):
        index.search(np.zeros(10, dtype=np.float32))
    with pytest.raises(ValueError, match="memory vector"):
        index.add(item("s2"), np.zeros((2, DIMENSIONS), dtype=np.float32))


def test_empty_index_finds_nothing() -> None:
    index = MemoryIndex.empty()
    assert len(index) == 0
    assert index.search(unit((0, 1.0))) == []


def test_rows_are_normalised_defensively() -> None:
    index = MemoryIndex([item("s1")], np.full((1, DIMENSIONS), 7.0, dtype=np.float32))
    (found,) = index.search(np.ones(DIMENSIONS, dtype=np.float32) * 3)
    assert found.similarity == pytest.approx(1.0, abs=1e-4)
    assert found.reasons == ("similar words 1.00",)


def test_a_shared_person_outranks_slightly_closer_words() -> None:
    items = [item("close"), item("mum", people=frozenset({"mother"}), feelings=frozenset({"anger"}))]
    vectors = np.stack([unit((0, 0.8), (1, 0.6)), unit((0, 0.7), (1, 0.714))])
    index = MemoryIndex(items, vectors)
    query = unit((0, 1.0))
    plain = index.search(query)
    assert [r.item.source_id for r in plain] == ["close", "mum"]
    ranked = index.search(query, people=frozenset({"Mother"}), feelings=frozenset({"anger"}))
    assert [r.item.source_id for r in ranked] == ["mum", "close"]
    top = ranked[0]
    assert top.score == pytest.approx(top.similarity + PERSON_WEIGHT + 0.08, abs=1e-3)
    assert top.reasons == (f"similar words {top.similarity:.2f}", "same person: mother", "same feeling: anger")


def test_min_similarity_before_and_exclusion_filter() -> None:
    items = [item("old", days=0), item("new", days=10), item("far", days=1), item("now", days=20, kind="companion")]
    vectors = np.stack([unit((0, 1.0)), unit((0, 1.0)), unit((1, 1.0)), unit((0, 1.0))])
    index = MemoryIndex(items, vectors)
    query = unit((0, 1.0))
    assert {r.item.source_id for r in index.search(query, k=10)} == {"old", "new", "now"}  # "far" is orthogonal
    before = T0 + timedelta(days=10)
    assert [r.item.source_id for r in index.search(query, before=before, k=10)] == ["old"]  # strictly before
    assert {r.item.source_id for r in index.search(query, exclude_sources=frozenset({"now", "unknown"}), k=10)} == {"old", "new"}
    assert [r.item.source_id for r in index.search(query, min_similarity=0.0, before=T0 + timedelta(days=2), k=10)] == ["old", "far"]


def test_distinct_sources_come_before_more_turns_of_one_session() -> None:
    items = [item("a", 0), item("a", 1), item("a", 2), item("b", 0), item("c", 5)]
    vectors = np.stack(
        [unit((0, 1.0)), unit((0, 0.99), (1, 0.1)), unit((0, 0.98), (1, 0.2)), unit((0, 0.7), (1, 0.7)), unit((0, 0.6), (1, 0.8))]
    )
    index = MemoryIndex(items, vectors)
    found = index.search(unit((0, 1.0)))
    assert [(r.item.source_id, r.item.turn) for r in found] == [("a", 0), ("b", 0), ("c", 5)]
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    # With nothing else to offer, more turns of the same session fill the answer.
    only_a = index.search(unit((0, 1.0)), exclude_sources=frozenset({"b", "c"}))
    assert [(r.item.source_id, r.item.turn) for r in only_a] == [("a", 0), ("a", 1), ("a", 2)]


def test_the_same_turn_is_never_returned_twice() -> None:
    index = MemoryIndex([item("a", 0), item("a", 0)], np.stack([unit((0, 1.0)), unit((0, 1.0))]))
    assert len(index.search(unit((0, 1.0)))) == 1


def test_prefer_childhood_lifts_early_material() -> None:
    items = [item("now", temporal="present"), item("then", temporal="childhood")]
    index = MemoryIndex(items, np.stack([unit((0, 0.8), (1, 0.6)), unit((0, 0.75), (1, 0.661))]))
    query = unit((0, 1.0))
    assert [r.item.source_id for r in index.search(query)] == ["now", "then"]
    linked = index.search(query, prefer_childhood=True)
    assert [r.item.source_id for r in linked] == ["then", "now"]
    assert linked[0].reasons[-1] == "childhood"
    assert linked[0].score == pytest.approx(linked[0].similarity + CHILDHOOD_BONUS, abs=1e-3)


def test_many_sources_wider_than_the_first_candidates() -> None:
    # 100 turns of one session outrank everything; the distinct second source lies beyond them.
    items = [item("big", i) for i in range(100)] + [item("other", 0)]
    vectors = np.stack([unit((0, 1.0), (1, 0.001 * i)) for i in range(100)] + [unit((0, 0.6), (1, 0.8))])
    found = MemoryIndex(items, vectors).search(unit((0, 1.0)), k=2)
    assert [r.item.source_id for r in found] == ["big", "other"]


def test_add_remembers_the_conversation_and_grows() -> None:
    index = MemoryIndex.empty()
    for i in range(HEADROOM + 40):  # past the initial capacity
        index.add(
            item("conv", i, days=i, kind="companion", people=frozenset({"father"}) if i == 33 else frozenset()), unit((i % DIMENSIONS, 1.0))
        )
    assert len(index) == HEADROOM + 40
    (found,) = index.search(unit((33, 2.0)), people=frozenset({"father"}), k=1)
    assert found.item.turn == 33 and "same person: father" in found.reasons
    assert index.search(unit((33, 1.0)), before=T0 + timedelta(days=33)) == []
    assert index.items[-1].turn == HEADROOM + 39
    last = index.search(unit(((HEADROOM + 39) % DIMENSIONS, 1.0)), k=10)
    assert HEADROOM + 39 in {r.item.turn for r in last}  # rows added after growing are searched


# ---------------------------------------------------------------------------------------------
# Vectors from the store, and the real encoder


def test_memory_from_parts_slices_cached_rows_and_encodes_the_rest(case: CaseRecord) -> None:
    calls: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return fake_encode(texts)

    s1 = np.stack([unit((i + 100, 1.0)) for i in range(4)])  # one row per turn, all speakers
    stale = np.zeros((3, DIMENSIONS), dtype=np.float32)  # s3 has one turn: ignored
    index = memory_from_parts(case, ANNOTATIONS, {"s1": s1, "s3": stale}, encode)
    assert len(index) == 4
    assert calls == [["I dreamt of the old house.", "Anna rang and I was furious."]]  # never the therapist's note
    (found,) = index.search(s1[3], k=1)
    assert (found.item.source_id, found.item.turn) == ("s1", 3) and found.similarity == pytest.approx(1.0, abs=1e-5)
    (dream,) = index.search(fake_encode(["I dreamt of the old house."])[0], k=1)
    assert dream.item.source_id == "j1"


def test_encoder_shape_is_checked(case: CaseRecord) -> None:
    with pytest.raises(ValueError, match="encode returned"):
        memory_from_parts(case, ANNOTATIONS, {}, lambda texts: np.zeros((1, DIMENSIONS), dtype=np.float32))


def test_real_encoder_links_a_present_scene_to_a_childhood_one() -> None:
    client = Client("Sam")
    childhood = "When I was a kid my dad used to shout at the dinner table and I'd go completely silent."
    colleague = "My colleague shouted at me across the office yesterday and I just froze."
    sessions = (
        Session(client.id, T0, id="early", turns=(Turn(Speaker.CLIENT, childhood),)),
        Session(client.id, T0 + timedelta(days=300), id="recent", turns=(Turn(Speaker.CLIENT, colleague),)),
        Session(
            client.id,
            T0 + timedelta(days=301),
            id="other",
            turns=(Turn(Speaker.CLIENT, "I've been sleeping badly and work is piling up."),),
        ),
    )
    annotations = {
        "early": [note("relationships", "father", 0, 12), note("past", "childhood", 0), note("affect", "fear", 0)],
        "recent": [note("relationships", "colleague", 0, 12), note("past", "present", 0)],
    }
    encoder = shared_encoder()
    index = memory_from_parts(CaseRecord(client, sessions=sessions), annotations, {}, encoder.encode)
    now = T0 + timedelta(days=330)

    (father,) = encoder.encode(["It's like my father shouting at dinner all over again."])
    found = index.search(father, people=frozenset({"father"}), before=now, prefer_childhood=True)
    assert [r.item.source_id for r in found] == ["early", "recent"]  # "sleeping badly" is not similar enough
    assert found[0].item.text == childhood
    assert "same person: father" in found[0].reasons and "childhood" in found[0].reasons

    # A present-day scene: by words alone the colleague is nearer; a past-present link prefers childhood.
    (manager,) = encoder.encode(["My manager raised his voice in the meeting and I couldn't say anything."])
    assert index.search(manager, before=now)[0].item.source_id == "recent"
    assert index.search(manager, before=now, prefer_childhood=True)[0].item.source_id == "early"


# ---------------------------------------------------------------------------------------------
# Saying when

NOW = datetime(2025, 6, 18, 15, 0, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("when", "phrase"),
    [
        (datetime(2025, 6, 18, 9, 0, tzinfo=UTC), "earlier today"),
        (datetime(2025, 6, 17, 23, 30, tzinfo=UTC), "yesterday"),
        (datetime(2025, 6, 16, 9, 0, tzinfo=UTC), "on Monday"),
        (datetime(2025, 6, 12, 9, 0, tzinfo=UTC), "on Thursday"),
        (datetime(2025, 6, 11, 9, 0, tzinfo=UTC), "last week"),
        (datetime(2025, 6, 5, 9, 0, tzinfo=UTC), "last week"),
        (datetime(2025, 6, 4, 9, 0, tzinfo=UTC), "two weeks ago"),
        (datetime(2025, 5, 28, 9, 0, tzinfo=UTC), "three weeks ago"),
        (datetime(2025, 5, 1, 9, 0, tzinfo=UTC), "six weeks ago"),
        (datetime(2025, 4, 29, 9, 0, tzinfo=UTC), "in April"),
        (datetime(2025, 3, 10, 9, 0, tzinfo=UTC), "in March"),
        (datetime(2025, 1, 1, 9, 0, tzinfo=UTC), "in January"),
        (datetime(2024, 12, 20, 9, 0, tzinfo=UTC), "in December 2024"),
        (datetime(2024, 3, 10, 9, 0, tzinfo=UTC), "in March 2024"),
        (datetime(2023, 7, 1, 9, 0, tzinfo=UTC), "in July 2023"),
        (datetime(2023, 6, 1, 9, 0, tzinfo=UTC), "about two years ago"),
        (datetime(2022, 2, 1, 9, 0, tzinfo=UTC), "about three years ago"),
        (datetime(2021, 12, 1, 9, 0, tzinfo=UTC), "about four years ago"),
        (datetime(2020, 7, 1, 9, 0, tzinfo=UTC), "about five years ago"),
    ],
)
def test_when_said(when: datetime, phrase: str) -> None:
    assert when_said(when, NOW) == phrase


def test_when_said_counts_days_in_the_clients_time_zone() -> None:
    now = datetime(2025, 6, 18, 8, 0, tzinfo=ZoneInfo("Australia/Sydney"))  # 22:00 UTC on the 17th
    late_evening = datetime(2025, 6, 17, 13, 0, tzinfo=UTC)  # 23:00 on the 17th in Sydney
    assert when_said(late_evening, now) == "yesterday"
    assert when_said(late_evening, now.astimezone(UTC)) == "earlier today"


def test_when_said_needs_time_zones() -> None:
    with pytest.raises(ValueError, match="time zone"):
        when_said(datetime(2025, 6, 1, 9, 0), NOW)
