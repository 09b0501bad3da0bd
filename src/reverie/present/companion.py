"""The companion wired to the store: the client's memory in, every turn and event out as it happens.

``reverie session`` and ``reverie companion replay`` are thin over this module. A conversation is
saved after every reply (turns are append-only), so a terminal closed mid-sentence keeps every
turn already answered, its risk events included.
"""

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from reverie.companion.conversation import Companion, LoggedTurn, Mode, Reply
from reverie.companion.llm import LLMConfig, LLMRenderer
from reverie.companion.memory import MemoryIndex, MemoryItem, memory_from_parts
from reverie.errors import ReverieError
from reverie.record import Attendance, Client, Conversation, ConversationTurn, JournalKind, Speaker, Turn
from reverie.safety.disclosure import Clock, DisclosureState
from reverie.store import Store


@dataclass(frozen=True)
class ClientMemory:
    """What the companion knows of a client before the conversation starts."""

    index: MemoryIndex
    last_session: MemoryItem | None
    names: Mapping[str, str]  # "Karen" -> "boss": names the client has introduced, for the people lens


#: Earlier companion turns (talk mode) that memory holds; older ones stay in the record.
COMPANION_TURNS_REMEMBERED = 500


def load_memory(store: Store, client_id: str) -> ClientMemory:
    """Every earlier client turn and journal entry, with the analysis and vectors already stored.

    Sessions and entries not yet analysed are still remembered (by their words alone); run
    ``reverie analyze`` to add people, feelings and themes to what memory can match on.
    Also returns the most feeling-laden client turn of the latest session, for reflection mode.
    """
    from reverie.analysis.document import Document
    from reverie.analysis.embed import DIMENSIONS, MODEL_ID, shared_encoder
    from reverie.analysis.people import resolve_names

    case = store.load_case(client_id)
    documents = [s.id for s in case.sessions if s.attendance is Attendance.ATTENDED and s.turns]
    documents += [e.id for e in case.journal if e.kind is not JournalKind.COUNTERTRANSFERENCE]
    annotations = {d: store.load_annotations(d) for d in documents}
    vectors = {}
    for s in case.sessions:
        if s.turns:
            found = store.load_vectors(s.id, MODEL_ID, DIMENSIONS)
            if found is None or len(found) != len(s.turns):
                # Not analysed yet: encode once and keep the vectors, as `reverie analyze` would.
                found = shared_encoder().encode([t.text for t in s.turns])
                store.save_vectors(s.id, MODEL_ID, found)
            vectors[s.id] = found
    memory = memory_from_parts(case, annotations, vectors, shared_encoder().encode)
    # What the client said to the companion in talk mode (the other modes are journal entries
    # already): the most recent turns, remembered by their words.
    talked = [
        turn
        for conversation in store.list_conversations(client_id)
        if conversation.mode == "talk"
        for turn in store.load_conversation_turns(conversation.id)
        if turn.speaker is Speaker.CLIENT
    ][-COMPANION_TURNS_REMEMBERED:]
    if talked:
        encoded = shared_encoder().encode([t.text for t in talked])
        for turn, vector in zip(talked, encoded, strict=True):
            memory.add(MemoryItem(turn.conversation_id, "companion", turn.seq - 1, turn.at, turn.text), vector)
    # Names introduced over the record ("my boss Karen"), in the order they were said.
    dated = [(s.starts_at, Document(s.turns)) for s in case.sessions if s.turns]
    dated += [(e.written_at, Document((Turn(Speaker.CLIENT, e.text),))) for e in case.journal if e.kind is not JournalKind.COUNTERTRANSFERENCE]
    names: dict[str, str] = {}
    for _, doc in sorted(dated, key=lambda pair: pair[0]):
        names.update(resolve_names(doc, names))
    attended = [s for s in case.sessions if s.turns]
    last: MemoryItem | None = None
    if attended:
        latest = max(attended, key=lambda s: s.starts_at).id
        said = [item for item in memory.items if item.source_id == latest]
        if said:
            last = max(said, key=lambda i: (len(i.feelings) + len(i.people), min(len(i.text), 300)))
    return ClientMemory(memory, last, names)


def llm_from_environment(env: Mapping[str, str] | None = None) -> LLMRenderer | None:
    config = LLMConfig.from_env(os.environ if env is None else env)
    return LLMRenderer(config) if config is not None else None


@dataclass
class StoredConversation:
    """Keeps a companion conversation in the store as it goes."""

    store: Store
    companion: Companion
    mode: Mode

    def save(self) -> None:
        c = self.companion
        ended = c.log[-1].at if c.ended and c.log else None
        conversation = Conversation(c.client.id, str(self.mode), c.started_at, ended, c.id)
        self.store.save_conversation(conversation, [_stored(c.id, t) for t in c.log])
        for turn in c.log:
            if turn.reply is not None and turn.reply.events:
                self.store.add_risk_events(turn.reply.events)
        self.store.save_companion_state(c.client.id, c.disclosure.to_dict())

    def finish(self) -> None:
        self.save()
        entries = self.companion.journal_entries()
        if entries:
            self.store.add_journal(entries)


def _stored(conversation_id: str, turn: LoggedTurn) -> ConversationTurn:
    reply = turn.reply
    return ConversationTurn(
        conversation_id,
        turn.seq,
        turn.speaker,
        turn.text,
        turn.at,
        str(reply.move.name) if reply is not None else None,
        reply.explain() if reply is not None else None,
    )


def start(
    store: Store,
    client: Client,
    mode: Mode,
    *,
    minutes: int,
    clock: Clock | None = None,
    llm: LLMRenderer | None = None,
) -> StoredConversation:
    known = load_memory(store, client.id)
    saved = store.load_companion_state(client.id)
    disclosure = DisclosureState.from_dict(saved) if saved is not None else None
    companion = Companion(
        client, memory=known.index, mode=mode, minutes=minutes, clock=clock, llm=llm, disclosure=disclosure, last_session=known.last_session, names=known.names
    )
    return StoredConversation(store, companion, mode)


# -- replay -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplayRow:
    id: str
    text: str
    context: tuple[Turn, ...] | None


def read_replay(lines: Sequence[str], path: str) -> list[ReplayRow]:
    """Every row, checked before anything is replayed: one malformed row and nothing is written."""
    rows: list[ReplayRow] = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReverieError("R603", f"not JSON ({exc.msg})", 'write one object per line: {"id": "r1", "text": "..."}', path=path, line=n) from None
        if not isinstance(raw, dict):
            raise ReverieError("R603", "the row is not a JSON object", 'write one object per line: {"id": "r1", "text": "..."}', path=path, line=n)
        ident, text = raw.get("id"), raw.get("text")
        if not isinstance(ident, str) or not ident:
            raise ReverieError("R603", "the row has no string id", 'give each row an "id", e.g. "r1"', path=path, line=n)
        if not isinstance(text, str) or not text.strip():
            raise ReverieError("R603", f"row {ident} has no text", 'give each row a non-empty "text": what the client says', path=path, line=n)
        rows.append(ReplayRow(ident, text, _context(raw.get("context"), path, n) if "context" in raw else None))
    return rows


def _context(value: Any, path: str, n: int) -> tuple[Turn, ...]:
    fix = 'write "context" as a list of {"speaker": "client" or "companion", "text": "..."}, oldest first'
    if not isinstance(value, list):
        raise ReverieError("R603", "context is not a list", fix, path=path, line=n)
    turns = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            raise ReverieError("R603", "a context turn is not an object with text", fix, path=path, line=n)
        speaker = item.get("speaker", "client")
        if speaker not in ("client", "companion", "therapist"):
            raise ReverieError("R603", f"unknown context speaker {speaker!r}", fix, path=path, line=n)
        turns.append(Turn(Speaker(speaker), item["text"]))
    return tuple(turns)


class _ReplayClock:
    """A minute between replayed turns, from a fixed start: replays are repeatable."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def tick(self) -> None:
        from datetime import timedelta

        self._now += timedelta(minutes=1)


def replay_replies(
    rows: Sequence[ReplayRow],
    client: Client,
    known: ClientMemory,
    *,
    start_at: datetime,
    llm: LLMRenderer | None = None,
) -> Iterator[tuple[ReplayRow, Reply, Companion]]:
    """Each row with the companion's reply; rows without context continue one conversation
    (a new one starts after the companion closed the last), rows with context are answered alone."""
    clock = _ReplayClock(start_at)
    shared: Companion | None = None
    disclosure: DisclosureState | None = None
    for row in rows:
        clock.tick()
        if row.context is not None:
            companion = _replay_companion(client, known, clock, llm, disclosure)
            companion.prime(row.context)
        else:
            if shared is None or shared.ended:
                shared = _replay_companion(client, known, clock, llm, disclosure)
            companion = shared
        reply = companion.respond(row.text)
        disclosure = companion.disclosure
        yield row, reply, companion


def _replay_companion(client: Client, known: ClientMemory, clock: Clock, llm: LLMRenderer | None, disclosure: DisclosureState | None) -> Companion:
    # A day's length: replayed rows are a minute apart and should not run into the closing.
    return Companion(
        client, memory=known.index, clock=clock, llm=llm, last_session=known.last_session, names=known.names, minutes=24 * 60, disclosure=disclosure
    )


def replay(
    rows: Sequence[ReplayRow],
    client: Client,
    known: ClientMemory,
    *,
    start_at: datetime,
    llm: LLMRenderer | None = None,
) -> Iterator[dict[str, Any]]:
    """One output row per input row, as ``reverie companion replay`` writes them."""
    for row, reply, _ in replay_replies(rows, client, known, start_at=start_at, llm=llm):
        yield {
            "id": row.id,
            "reply": reply.text,
            "move": str(reply.move.name),
            "evidence": [e.to_dict() for e in reply.move.evidence],
            "reason": reply.move.reason,
            "risk": reply.level,
            "flags": list(reply.flags),
            "renderer": reply.renderer,
        }


def write_rows(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
        n += 1
    return n
