"""Memory across sessions: the client's own earlier words, found again when they matter now.

Psychodynamic work links a present struggle to earlier experience, and the link lands only in
the client's own words. So the companion keeps a per-client index of every earlier client turn
(sessions, the client's journal, earlier companion conversations) with the listening engine's
sentence vector and what the lenses read in it: people, feelings, themes and temporal focus.
Retrieval ranks by meaning first and lets shared people, feelings and themes lift an item; when
the move is a past-present link, childhood material is preferred.

The index is built from plain values (a ``CaseRecord``, annotations per document and the cached
turn vectors): ``present`` loads them from the store. Therapist speech and countertransference
notes never enter it; a client's memory holds only what the client said or wrote.

Budget (DESIGN.md): a reply in ≤ 150 ms with five years of weekly history (about 50,000 turns),
so a search is one float32 matrix-vector product plus boosts from inverted lists: no Python loop
over the items (``bench/companion_memory.py`` measures it).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import numpy as np

from reverie.analysis.document import Annotation
from reverie.analysis.embed import DIMENSIONS, Encode
from reverie.record import Attendance, CaseRecord, JournalKind, Speaker

MemoryKind = Literal["session", "journal", "companion"]

#: Score = cosine similarity + these boosts. A shared person weighs most: "the same person again"
#: is what an object-relations link rests on. Each kind counts at most ``MAX_SHARED`` matches, so
#: a turn that names everyone cannot outrank one that is truly about the same thing.
PERSON_WEIGHT = 0.15
FEELING_WEIGHT = 0.08
THEME_WEIGHT = 0.05
MAX_SHARED = 2
#: Added to childhood turns when the move links past and present (``prefer_childhood``).
CHILDHOOD_BONUS = 0.12
#: Person roles too vague to link on ("someone at the shop"); their names still count.
VAGUE_ROLES = frozenset({"other"})
#: Free rows kept past the history: growing copies every vector (~80 MB at 50,000 items), which
#: would cost one reply tens of milliseconds.
HEADROOM = 1024


@dataclass(frozen=True, slots=True)
class MemoryItem:
    """One earlier client turn. ``turn`` is its index in its document (a journal entry is turn 0).

    ``people`` holds roles ("mother") and lower-cased names ("anna"); ``feelings`` the affect
    labels except "neutral"; ``temporal`` the past lens's focus (childhood, past, present, future).
    """

    source_id: str
    kind: MemoryKind
    turn: int
    when: datetime
    text: str
    people: frozenset[str] = frozenset()
    feelings: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    temporal: str | None = None


@dataclass(frozen=True, slots=True)
class Recall:
    """An item found again, its score, cosine similarity, and why it was chosen (shown to the user)."""

    item: MemoryItem
    score: float
    similarity: float
    reasons: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Building items from a case and its annotations


def _name(text: str, span: object) -> str | None:
    if not isinstance(span, list | tuple) or len(span) != 2:
        return None
    start, end = span
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    name = " ".join(text[start:end].replace(".", "").split()).lower()
    return name or None


def _read_turn(text: str, found: Iterable[Annotation]) -> tuple[frozenset[str], frozenset[str], frozenset[str], str | None]:
    people: set[str] = set()
    feelings: set[str] = set()
    themes: set[str] = set()
    temporal: tuple[float, str] | None = None
    for a in found:
        if a.lens == "relationships":
            if a.label not in VAGUE_ROLES:
                people.add(a.label)
            name = _name(text, a.detail.get("name_span"))
            if name:
                people.add(name)
        elif a.lens == "affect" and a.label != "neutral":
            feelings.add(a.label)
        elif a.lens == "patterns":
            themes.add(a.label)
        elif a.lens == "past":
            if a.label == "early_figure":
                role = a.detail.get("role")
                if isinstance(role, str):
                    people.add(role)
            elif a.label in ("childhood", "past", "present", "future") and (temporal is None or a.confidence > temporal[0]):
                temporal = (a.confidence, a.label)
    return frozenset(people), frozenset(feelings), frozenset(themes), temporal[1] if temporal else None


def _by_turn(annotations: Sequence[Annotation]) -> dict[int, list[Annotation]]:
    # The first span is the turn an annotation is about; later spans widen it to its sentence.
    out: dict[int, list[Annotation]] = {}
    for a in annotations:
        out.setdefault(a.evidence[0].turn, []).append(a)
    return out


def memory_items(case: CaseRecord, annotations: Mapping[str, Sequence[Annotation]]) -> list[MemoryItem]:
    """Every client turn of the case's sessions and client journal entries, oldest first.

    ``annotations`` are keyed by document id (session id or journal entry id); their evidence
    spans index that document's turns. Therapist turns, countertransference notes and sessions
    that did not take place are left out: they are not the client's words.
    """
    items: list[MemoryItem] = []
    for session in case.sessions:
        if session.attendance is not Attendance.ATTENDED:
            continue
        found = _by_turn(annotations.get(session.id, ()))
        for i, turn in enumerate(session.turns):
            if turn.speaker is not Speaker.CLIENT or not turn.text.strip():
                continue
            people, feelings, themes, temporal = _read_turn(turn.text, found.get(i, ()))
            items.append(MemoryItem(session.id, "session", i, session.starts_at, turn.text, people, feelings, themes, temporal))
    for entry in case.journal:
        if entry.kind is JournalKind.COUNTERTRANSFERENCE or not entry.text.strip():
            continue  # the therapist's own notes are never the client's memory
        people, feelings, themes, temporal = _read_turn(entry.text, _by_turn(annotations.get(entry.id, ())).get(0, ()))
        items.append(MemoryItem(entry.id, "journal", 0, entry.written_at, entry.text, people, feelings, themes, temporal))
    items.sort(key=lambda x: (x.when, x.source_id, x.turn))
    return items


def memory_from_parts(
    case: CaseRecord,
    annotations: Mapping[str, Sequence[Annotation]],
    session_vectors: Mapping[str, np.ndarray],
    encode: Encode,
) -> "MemoryIndex":
    """The index of a case, re-using the store's turn vectors and encoding only what lacks them.

    ``session_vectors[session_id]`` holds one row per turn of the whole session (all speakers) in
    turn order, as the analysis caches it; client rows are sliced from it. A cache whose row
    count does not match the session (stale) is ignored. Journal entries are encoded here, all in
    one call to ``encode`` (``shared_encoder().encode`` in production).
    """
    items = memory_items(case, annotations)
    turns = {s.id: len(s.turns) for s in case.sessions}
    vectors = np.zeros((len(items), DIMENSIONS), dtype=np.float32)
    missing: list[int] = []
    for row, item in enumerate(items):
        cached = session_vectors.get(item.source_id) if item.kind == "session" else None
        if cached is not None and cached.ndim == 2 and cached.shape == (turns[item.source_id], DIMENSIONS):
            vectors[row] = cached[item.turn]
        else:
            missing.append(row)
    if missing:
        encoded = np.asarray(encode([items[row].text for row in missing]), dtype=np.float32)
        if encoded.shape != (len(missing), DIMENSIONS):
            raise ValueError(f"encode returned shape {encoded.shape} for {len(missing)} texts; expected ({len(missing)}, {DIMENSIONS})")
        vectors[missing] = encoded
    return MemoryIndex(items, vectors)


# ---------------------------------------------------------------------------------------------
# The index


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(vectors)):
        raise ValueError("memory vectors must be finite")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    # A zero row stays zero: it matches nothing rather than dividing by zero.
    return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32, copy=False)


class MemoryIndex:
    """A client's earlier turns and their unit vectors, searchable in a few milliseconds.

    Rows live in growable buffers (capacity doubles) so ``add`` during a conversation is
    amortised O(1); people, feelings and themes are inverted lists (label -> rows), so a query's
    boosts cost only the rows that share one of its few labels.
    """

    def __init__(self, items: Sequence[MemoryItem], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape[1] != DIMENSIONS:
            raise ValueError(f"vectors must have shape (n, {DIMENSIONS}); got {vectors.shape}")
        if vectors.shape[0] != len(items):
            raise ValueError(f"{len(items)} items but {vectors.shape[0]} vectors")
        n = len(items)
        capacity = n + HEADROOM  # a conversation adds turns without copying the history
        self._items: list[MemoryItem] = list(items)
        self._vectors = np.zeros((capacity, DIMENSIONS), dtype=np.float32)
        self._vectors[:n] = _unit_rows(vectors.astype(np.float32, copy=False))
        self._times = np.zeros(capacity, dtype=np.float64)
        self._times[:n] = [x.when.timestamp() for x in self._items]
        self._childhood = np.zeros(capacity, dtype=bool)
        self._childhood[:n] = [x.temporal == "childhood" for x in self._items]
        self._source_code: dict[str, int] = {}
        self._sources = np.zeros(capacity, dtype=np.int32)
        self._sources[:n] = [self._source_code.setdefault(x.source_id, len(self._source_code)) for x in self._items]
        lists: tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]]] = ({}, {}, {})
        for row, x in enumerate(self._items):
            for table, labels in zip(lists, (x.people, x.feelings, x.themes), strict=True):
                for label in labels:
                    table.setdefault(label, []).append(row)
        self._people, self._feelings, self._themes = ({k: np.asarray(v, dtype=np.int64) for k, v in t.items()} for t in lists)

    @classmethod
    def empty(cls) -> "MemoryIndex":
        return cls([], np.zeros((0, DIMENSIONS), dtype=np.float32))

    def __len__(self) -> int:
        return len(self._items)

    @property
    def items(self) -> tuple[MemoryItem, ...]:
        return tuple(self._items)

    @property
    def vectors(self) -> np.ndarray:
        """The unit vectors, one row per item (a copy: the index stays consistent)."""
        return self._vectors[: len(self._items)].copy()

    def add(self, item: MemoryItem, vector: np.ndarray) -> None:
        """Remember a turn said now (``kind="companion"``), so later in the conversation it can be
        found again; ``search(before=...)`` keeps it out of the reply to the turn itself."""
        vector = np.asarray(vector, dtype=np.float32).reshape(-1)
        if vector.shape != (DIMENSIONS,):
            raise ValueError(f"a memory vector has {DIMENSIONS} values; got shape {np.shape(vector)}")
        row = len(self._items)
        if row == self._vectors.shape[0]:
            self._grow(2 * row)
        self._vectors[row] = _unit_rows(vector[None, :])[0]
        self._times[row] = item.when.timestamp()
        self._childhood[row] = item.temporal == "childhood"
        self._sources[row] = self._source_code.setdefault(item.source_id, len(self._source_code))
        for table, labels in ((self._people, item.people), (self._feelings, item.feelings), (self._themes, item.themes)):
            for label in labels:
                table[label] = np.append(table.get(label, np.zeros(0, dtype=np.int64)), row)
        self._items.append(item)

    def _grow(self, capacity: int) -> None:
        def grown(a: np.ndarray) -> np.ndarray:
            out = np.zeros((capacity, *a.shape[1:]), dtype=a.dtype)
            out[: a.shape[0]] = a
            return out

        self._vectors, self._times = grown(self._vectors), grown(self._times)
        self._childhood, self._sources = grown(self._childhood), grown(self._sources)

    def search(
        self,
        query: np.ndarray,
        *,
        people: frozenset[str] = frozenset(),
        feelings: frozenset[str] = frozenset(),
        themes: frozenset[str] = frozenset(),
        before: datetime | None = None,
        exclude_sources: frozenset[str] = frozenset(),
        prefer_childhood: bool = False,
        min_similarity: float = 0.3,
        k: int = 3,
    ) -> list[Recall]:
        """The ``k`` best earlier turns for a query vector (the current turn's), best first.

        An item must be at least ``min_similarity`` similar in meaning (cosine); shared people,
        feelings and themes, and childhood when ``prefer_childhood``, only reorder what passes.
        Only items said strictly ``before`` count when it is given. Distinct sessions and
        entries come first: three turns of one session are returned only when nothing else is.
        """
        n = len(self._items)
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        if q.shape != (DIMENSIONS,):
            raise ValueError(f"a query vector has {DIMENSIONS} values; got shape {np.shape(query)}")
        if n == 0 or k <= 0:
            return []
        norm = float(np.linalg.norm(q))
        if not np.isfinite(norm) or norm == 0.0:
            return []
        similarity = self._vectors[:n] @ (q / norm)
        valid = similarity >= min_similarity
        if before is not None:
            valid &= self._times[:n] < before.timestamp()
        codes = [self._source_code[s] for s in exclude_sources if s in self._source_code]
        if codes:
            valid &= ~np.isin(self._sources[:n], codes)
        count = int(valid.sum())
        if count == 0:
            return []
        score = similarity.astype(np.float64)
        people = frozenset(" ".join(p.split()).lower() for p in people) - VAGUE_ROLES
        for table, labels, weight in (
            (self._people, people, PERSON_WEIGHT),
            (self._feelings, feelings, FEELING_WEIGHT),
            (self._themes, themes, THEME_WEIGHT),
        ):
            shared = np.zeros(n, dtype=np.int32)
            for label in labels:
                rows = table.get(label)
                if rows is not None:
                    shared[rows] += 1
            if labels:
                score += weight * np.minimum(shared, MAX_SHARED)
        if prefer_childhood:
            score += CHILDHOOD_BONUS * self._childhood[:n]
        score[~valid] = -np.inf
        chosen = self._pick(score, count, k)
        return [self._recall(row, float(score[row]), float(similarity[row]), people, feelings, themes, prefer_childhood) for row in chosen]

    def _pick(self, score: np.ndarray, count: int, k: int) -> list[int]:
        # Look at the best few candidates first; widen only when one source fills them all.
        m = min(count, max(32, 8 * k))
        while True:
            top = np.argpartition(-score, m - 1)[:m] if m < score.shape[0] else np.arange(score.shape[0])
            ranked = [int(r) for r in top[np.argsort(-score[top], kind="stable")] if np.isfinite(score[r])]
            fresh: list[int] = []
            rest: list[int] = []
            sources: set[str] = set()
            turns: set[tuple[str, int]] = set()
            for row in ranked:
                item = self._items[row]
                key = (item.source_id, item.turn)
                if key in turns:
                    continue  # the same turn remembered twice
                turns.add(key)
                if item.source_id in sources:
                    rest.append(row)
                else:
                    sources.add(item.source_id)
                    fresh.append(row)
            if len(fresh) >= k or m >= count:
                picked = fresh[:k] + rest[: max(0, k - len(fresh))]
                return sorted(picked, key=lambda r: -score[r])
            m = min(count, 4 * m)

    def _recall(
        self,
        row: int,
        score: float,
        similarity: float,
        people: frozenset[str],
        feelings: frozenset[str],
        themes: frozenset[str],
        prefer_childhood: bool,
    ) -> Recall:
        item = self._items[row]
        reasons = [f"similar words {similarity:.2f}"]
        reasons += [f"same person: {p}" for p in sorted(item.people & people)]
        reasons += [f"same feeling: {f}" for f in sorted(item.feelings & feelings)]
        reasons += [f"same theme: {t}" for t in sorted(item.themes & themes)]
        if prefer_childhood and item.temporal == "childhood":
            reasons.append("childhood")
        return Recall(item, round(score, 4), round(similarity, 4), tuple(reasons))


# ---------------------------------------------------------------------------------------------
# Saying when


_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _count(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n)


def when_said(when: datetime, now: datetime) -> str:
    """How long ago, as a person would say it: a link quotes the client and says when.

    Calendar days are counted in ``now``'s time zone (pass it in the client's zone): "yesterday"
    is the day before today, not 24 hours ago. Up to six days names the weekday; up to seven
    weeks counts weeks; within this year names the month; within two years the month and year;
    beyond that, whole years ("about three years ago").
    """
    if when.tzinfo is None or now.tzinfo is None:
        raise ValueError("when_said needs times that carry a time zone")
    local = when.astimezone(now.tzinfo)
    days = (now.date() - local.date()).days
    if days <= 0:
        return "earlier today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"on {_DAYS[local.weekday()]}"
    if days < 14:
        return "last week"
    if days < 49:
        return f"{_count(days // 7)} weeks ago"
    if local.year == now.year:
        return f"in {_MONTHS[local.month - 1]}"
    months = (now.year - local.year) * 12 + now.month - local.month
    if months < 24:
        return f"in {_MONTHS[local.month - 1]} {local.year}"
    years = max(2, round(days / 365.25))
    return f"about {_count(years)} years ago"
