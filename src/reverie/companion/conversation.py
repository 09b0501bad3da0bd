"""One conversation with the companion: safety first, then listening, a move, and its words.

For every client turn, in this order and without exception:

1. the safety check (``reverie.safety``) reads the turn with the conversation so far; if it
   decides the reply (ideation or above, or still in crisis) that reply is given, in this same
   turn, and nothing else is tried: no lens, no LLM, no network;
2. the listening engine reads the turn (``reading.py``) and memory recalls earlier words;
3. the policy proposes moves in priority order (``policy.py``);
4. the move is phrased by the LLM when one is configured and it conforms, else by templates;
5. the reply passes the output gate before it is returned.

The conversation holds no database: the caller stores what it returns (turns with their moves,
risk events, journal entries) and hands in the client's memory at the start.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final, Protocol

import numpy as np

from reverie.companion import conformance
from reverie.companion.llm import LLMRenderer
from reverie.companion.memory import MemoryIndex, MemoryItem, when_said
from reverie.companion.moves import Evidence, Move, MoveName
from reverie.companion.policy import Context, DreamWork, candidates, closing_move, dream_elements, short
from reverie.companion.reading import Listener, Reading
from reverie.companion.templates import fold, opening, render, sentences
from reverie.errors import ReverieError
from reverie.record import Client, JournalEntry, JournalKind, RiskEvent, Speaker, Turn
from reverie.record.identity import new_id
from reverie.safety.check import SafetyCheck, SafetyDecision, SafetyState
from reverie.safety.disclosure import DISCLOSURE_TEXT, Clock, DisclosureState, SystemClock, disclosure_due, record_disclosure


class Mode(StrEnum):
    TALK = "talk"
    FREE_ASSOCIATION = "free-association"
    DREAM = "dream"
    REFLECTION = "reflection"


def parse_mode(value: str) -> Mode:
    try:
        return Mode(value)
    except ValueError:
        raise ReverieError(
            "R604", f"there is no companion mode {value!r}", "use --mode talk, free-association, dream or reflection"
        ) from None


#: The default length of a conversation, like a session.
DEFAULT_MINUTES: Final = 50

OPENINGS: Final = {
    Mode.FREE_ASSOCIATION: "Write whatever comes to mind, as it comes, without tidying it up. I'll mostly stay quiet and listen.",
    Mode.DREAM: "Tell me the dream as you remember it, even the fragments. Nothing is too small or too strange.",
}
REFLECTION_OPENING: Final = "In your session {when}, you said: \"{earlier}\". What stays with you from it?"
REFLECTION_OPENING_PLAIN: Final = "Let's think back to your last session. What stays with you from it?"

# When asked what it is, the companion answers plainly, then returns the space to the client.
ASKED: Final = (
    "I'm an AI companion, not a person and not a therapist, and I can't diagnose or give medical advice. "
    "I'm here to listen, though. What made you wonder?",
    "No, I'm not a person: I'm an AI companion, and not a therapist. Whatever you bring here, I'll listen. What's on your mind?",
    "I'm software, an AI companion rather than a person or a therapist. Your therapist is the person to bring the big things to. "
    "I'm still here to listen.",
)
LIMITS: Final = {
    "diagnosis": (
        "I can't tell you whether you have a condition: I'm not able to diagnose, and that's one for your therapist or doctor. "
        "I wonder what has made the question feel pressing?",
        "That isn't something I can answer; only a clinician who knows you can talk about a diagnosis. What would it mean to you if there were a name for it?",
        "I'm not able to give a diagnosis. Perhaps we could stay with what it feels like, which matters whatever it's called?",
    ),
    "medication": (
        "That's a question for the doctor who prescribes it, as changes to medication need their advice. "
        "I wonder what's making you think about it now?",
        "I can't advise on medication; please keep that conversation with your prescriber. What is it about the tablets that's on your mind?",
        "Decisions about medication belong with your doctor, not with me. How are you feeling about taking it?",
    ),
}
CHAIN_CLOSE: Final = (
    "Your thoughts went from {chain}, and seemed to break off around {broke}. Perhaps that's worth noticing, without needing to explain it.",
    "Looking back over what you wrote: from {chain}. I notice it broke off around {broke}; we can leave that open for now.",
    "Your writing moved from {chain}. Thank you for letting it run.",
)


class Encodes(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Reply:
    """What the companion said, why, and what the safety layer found: stored beside the turn."""

    text: str
    move: Move
    renderer: str  # "template", "llm" or "safety"
    at: datetime
    level: str = "none"
    flags: tuple[str, ...] = ()
    events: tuple[RiskEvent, ...] = ()
    disclosed: bool = False
    gate: tuple[str, ...] = ()  # why the output gate replaced a reply, if it did
    llm: str | None = None  # the LLM's outcome, when one was asked
    conformance: tuple[str, ...] = ()  # why an LLM reply was not used
    phrased: str = ""  # the move's own words, before any check-in or disclosure was put in front

    def explain(self) -> dict[str, Any]:
        return {
            **self.move.to_dict(),
            "renderer": self.renderer,
            "risk": self.level,
            "flags": list(self.flags),
            "disclosed": self.disclosed,
            "gate": list(self.gate),
            "llm": self.llm,
            "conformance": list(self.conformance),
        }


@dataclass(frozen=True)
class LoggedTurn:
    """A turn of the conversation as it is stored: who, what, when, and for the companion, why."""

    seq: int
    speaker: Speaker
    text: str
    at: datetime
    reply: Reply | None = None


@dataclass
class _State:
    turns: list[Turn] = field(default_factory=list)
    vectors: list[np.ndarray | None] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    openings: list[str] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)
    dream: DreamWork | None = None
    pattern_named: bool = False
    safety: SafetyState = field(default_factory=SafetyState)
    log: list[LoggedTurn] = field(default_factory=list)
    ended: bool = False


class Companion:
    """A conversation with one client. ``open()`` first, then ``respond()`` per client turn."""

    def __init__(
        self,
        client: Client,
        *,
        memory: MemoryIndex | None = None,
        mode: Mode = Mode.TALK,
        minutes: int = DEFAULT_MINUTES,
        clock: Clock | None = None,
        safety: SafetyCheck | None = None,
        listener: Listener | None = None,
        encoder: Encodes | None = None,
        llm: LLMRenderer | None = None,
        disclosure: DisclosureState | None = None,
        last_session: MemoryItem | None = None,
        names: Mapping[str, str] | None = None,
        conversation_id: str | None = None,
    ) -> None:
        if minutes <= 0:
            raise ValueError("a conversation lasts at least a minute")
        self.client = client
        self.memory = memory if memory is not None else MemoryIndex.empty()
        self.mode = mode
        self.length = timedelta(minutes=minutes)
        self.clock = clock or SystemClock()
        self.safety = safety or SafetyCheck()
        self.listener = listener or Listener(names=names)
        if encoder is None:
            from reverie.analysis.embed import shared_encoder

            encoder = shared_encoder()
        self.encoder = encoder
        self.llm = llm
        self.last_session = last_session
        self.id = conversation_id or new_id("cv")
        self.started_at = self.clock.now()
        self._s = _State(safety=SafetyState(disclosure=disclosure or DisclosureState()))

    # -- what the caller keeps ------------------------------------------------------------------

    @property
    def log(self) -> list[LoggedTurn]:
        return list(self._s.log)

    @property
    def disclosure(self) -> DisclosureState:
        return self._s.safety.disclosure

    @property
    def ended(self) -> bool:
        return self._s.ended

    @property
    def in_crisis(self) -> bool:
        return self._s.safety.in_crisis

    def journal_entries(self) -> list[JournalEntry]:
        """Free-association, dream and reflection conversations also become journal entries."""
        kind = {
            Mode.FREE_ASSOCIATION: JournalKind.FREE_ASSOCIATION,
            Mode.DREAM: JournalKind.DREAM,
            Mode.REFLECTION: JournalKind.REFLECTION,
        }.get(self.mode)
        said = [t.text for t in self._s.log if t.speaker is Speaker.CLIENT]
        if kind is None or not said:
            return []
        return [JournalEntry(self.client.id, kind, self._s.log[0].at, "\n\n".join(said), source=f"companion:{self.id}")]

    # -- the conversation -----------------------------------------------------------------------

    def open(self) -> Reply:
        """The companion's first words: with the AI disclosure whenever it is due (always, the first time)."""
        now = self.clock.now()
        state = self._s.safety
        due = disclosure_due(state.disclosure, now, "")
        if due is not None:
            self._s.safety = replace(state, disclosure=record_disclosure(state.disclosure, now))
        if self.mode is Mode.REFLECTION and self.last_session is not None:
            item = self.last_session
            earlier = short(item.text, 20)
            text = REFLECTION_OPENING.format(when=when_said(item.when, now), earlier=earlier)
            move = Move(MoveName.OPEN, "reflection on the last session", (Evidence(earlier, item.source_id, "the last session", item.when, item.turn),))
        elif self.mode is Mode.REFLECTION:
            text, move = REFLECTION_OPENING_PLAIN, Move(MoveName.OPEN, "reflection on the last session (none on record)")
        elif self.mode in OPENINGS:
            text, move = OPENINGS[self.mode], Move(MoveName.OPEN, f"{self.mode} mode")
        else:
            move = Move(MoveName.OPEN, "the conversation begins")
            text = render(move, self._s.used, offset=len(self._s.log)) or "I'm here. What's on your mind?"
        if due is not None:
            text = f"{DISCLOSURE_TEXT} {text}"
        return self._say(Reply(text, move, "template", now, disclosed=due is not None))

    def respond(self, text: str) -> Reply:
        if not text or not text.strip():
            raise ValueError("a client turn needs text")
        now = self.clock.now()
        text = text.strip()
        history = list(self._s.turns)
        vectors = self._vectors(text)
        decision = self.safety.client_turn(
            self.client, history, text, self._s.safety, now, conversation_id=self.id, vectors=np.vstack(vectors)
        )
        self._s.safety = decision.state
        self._hear(text, now, vectors[-1])
        if decision.takes_over:
            assert decision.reply is not None
            move = Move(MoveName.SAFETY, f"risk level {decision.level}", (Evidence(text, "this turn", f"risk: {decision.level}"),))
            reply_text = decision.reply if decision.disclosure is None else f"{decision.reply} {decision.disclosure}"
            reply = Reply(reply_text, move, "safety", now, decision.level, decision.flags, decision.events, decision.disclosure is not None)
            self._s.moves.append(move)
            return self._say(reply)

        reading = self.listener.read(history, np.vstack(vectors[:-1]) if history else None, text, vectors[-1])
        self._note_dream_association(reading)
        if reading.boundary is not None:
            self._decline(reading)
        recalls = self._recall(reading)
        ctx = Context(
            reading=reading,
            safety=decision,
            now=now,
            mode=str(self.mode),
            earlier=tuple(self._s.readings),
            moves=tuple(self._s.moves),
            declined=tuple(self._s.declined),
            recalls=recalls,
            dream=self._s.dream,
            time_up=now - self.started_at >= self.length,
            pattern_named=self._s.pattern_named,
        )
        self._s.readings.append(reading)
        move, words = self._choose(ctx)
        reply = self._phrase(move, words, text, decision, now)
        self._after(move, reading)
        return self._say(reply)

    def close(self) -> Reply:
        """End the conversation with a short reflection of what emerged (the client left or time is up)."""
        now = self.clock.now()
        move = closing_move(self._s.readings, str(self.mode), self._s.declined)
        words = self._template(move) or "Thank you for today. Let's pause here."
        if self._s.safety.in_crisis:
            # Leaving while the crisis is open: the line again, not a summary.
            crisis = self.safety.resources.for_locale(self.client.locale)
            words = f"Before you go: {crisis.sentence()} You don't have to get through this alone."
            move = Move(MoveName.SAFETY, "leaving while the safety response is still open")
        self._after(move, self._s.readings[-1] if self._s.readings else _EMPTY)
        self._s.ended = True
        return self._say(Reply(words, move, "template", now))

    def prime(self, turns: Sequence[Turn]) -> None:
        """Earlier turns of this conversation (a replay row's context): heard, not answered, not logged."""
        for turn in turns:
            speaker = Speaker.COMPANION if turn.speaker is not Speaker.CLIENT else Speaker.CLIENT
            self._s.turns.append(Turn(speaker, turn.text))
            self._s.vectors.append(None)

    # -- the steps ------------------------------------------------------------------------------

    def _vectors(self, text: str) -> list[np.ndarray]:
        """Vectors for every turn so far plus ``text``: only the ones not yet encoded are encoded, in one batch."""
        missing = [i for i, v in enumerate(self._s.vectors) if v is None]
        encoded = self.encoder.encode([self._s.turns[i].text for i in missing] + [text])
        for row, i in enumerate(missing):
            self._s.vectors[i] = encoded[row]
        known = [v for v in self._s.vectors if v is not None]
        return [*known, encoded[-1]]

    def _hear(self, text: str, now: datetime, vector: np.ndarray) -> None:
        self._s.turns.append(Turn(Speaker.CLIENT, text))
        self._s.vectors.append(vector)
        self._s.log.append(LoggedTurn(len(self._s.log) + 1, Speaker.CLIENT, text, now))

    def _recall(self, reading: Reading) -> list[Any]:
        if len(self.memory) == 0:
            return []
        return self.memory.search(
            reading.vector,
            people=reading.roles | reading.names,
            feelings=frozenset(f.label for f in reading.feelings),
            themes=reading.themes,
            before=self.started_at,
            exclude_sources=frozenset({self.id}),
            prefer_childhood=True,
            k=3,
        )

    def _decline(self, reading: Reading) -> None:
        """Remember what the client declined: the named topic, or what the last turns were about."""
        topic = reading.boundary
        words: list[str] = []
        if topic:
            words.append(topic.lower().removeprefix("my ").removeprefix("the "))
            words += [p.label for p in reading.people] + [v.lower() for p in reading.people for k, v in p.detail if k == "name" and v]
        else:
            earlier = self._s.readings[-1] if self._s.readings else None
            if earlier is not None:
                words += [p.label for p in earlier.people] + [v.lower() for p in earlier.people for k, v in p.detail if k == "name" and v]
                words += sorted(earlier.themes)
        for word in words:
            if word and word not in self._s.declined:
                self._s.declined.append(word)

    def _note_dream_association(self, reading: Reading) -> None:
        dream = self._s.dream
        if dream is None or dream.done or not self._s.moves or self._s.moves[-1].name is not MoveName.DREAM_WORK:
            return
        if dream.asked and len(dream.associations) < dream.asked:
            dream.associations.append((dream.elements[dream.asked - 1], reading.text))

    def _choose(self, ctx: Context) -> tuple[Move, str]:
        for move in candidates(ctx):
            words = self._template(move)
            if words is not None:
                return move, words
        # Nothing applicable could be said without repeating itself: follow plainly, and only when
        # even that is spent, close (the conversation never ends because of a declined topic).
        follow = Move(MoveName.FOLLOW, "the client leads", (Evidence(ctx.reading.text, "this turn", "what the client just said"),))
        words = self._template(follow)
        if words is not None:
            return follow, words
        move = closing_move([*ctx.earlier, ctx.reading], ctx.mode, ctx.declined)
        return move, self._template(move) or "Thank you for this. Let's pause here for now."

    def _template(self, move: Move) -> str | None:
        offset = len(self._s.moves) * 7
        if move.name is MoveName.SAFETY:
            return None  # decided by the safety check, never reached through the policy
        if move.name is MoveName.DISCLOSURE:
            return self._first_fresh(ASKED, offset)
        if move.name is MoveName.LIMITS:
            return self._first_fresh(LIMITS[move.slots.get("kind", "diagnosis")], offset)
        if move.name is MoveName.CLOSE and self.mode is Mode.FREE_ASSOCIATION and move.slots.get("chain"):
            filled = [t.format(**move.slots) for t in CHAIN_CLOSE if all("{" + k + "}" not in t or move.slots.get(k) for k in ("chain", "broke"))]
            return self._first_fresh(tuple(filled), 0)
        return render(move, self._s.used, self._s.openings[-2:], offset)

    def _first_fresh(self, bank: Sequence[str], offset: int) -> str | None:
        for i in range(len(bank)):
            text = bank[(offset + i) % len(bank)]
            if not any(fold(s) in self._s.used for s in sentences(text)):
                return text
        return None

    def _phrase(self, move: Move, template: str, client_text: str, decision: SafetyDecision, now: datetime) -> Reply:
        renderer, text, llm_reason = "template", template, None
        problems: tuple[str, ...] = ()
        if self.llm is not None and move.name not in (MoveName.DISCLOSURE, MoveName.LIMITS, MoveName.CLOSE):
            history = [(str(t.speaker), t.text) for t in self._s.turns[:-1]]
            outcome = self.llm.phrase(move, client_text, history, template)
            llm_reason = outcome.reason
            if outcome.text is not None:
                problems = conformance.check(move, outcome.text)
                if any(fold(s) in self._s.used for s in sentences(outcome.text)):
                    problems = (*problems, "repeats")
                if not problems:
                    renderer, text = "llm", outcome.text
        phrased = text
        if decision.check_in:
            # The check-in asks its own question; the move keeps one statement at most, so questions never stack.
            kept = next((s for s in sentences(text) if not s.rstrip().endswith("?")), "")
            text = f"{decision.check_in} {kept}".strip()
        if decision.disclosure and move.name is not MoveName.DISCLOSURE:
            text = f"{decision.disclosure} {text}"
        shown, result = self.safety.reply(text)
        gate_reasons: tuple[str, ...] = ()
        if not result.passed:
            gate_reasons = tuple(sorted({f.reason for f in result.findings}))
            if renderer == "llm":
                # The LLM's words failed the gate: fall back to the template, which is checked too.
                fallback = f"{decision.disclosure + ' ' if decision.disclosure else ''}{decision.check_in + ' ' if decision.check_in else ''}{template}"
                shown, again = self.safety.reply(fallback)
                renderer = "template" if again.passed else "gate"
            else:
                renderer = "gate"
        return Reply(
            shown,
            move,
            renderer,
            now,
            decision.level,
            decision.flags,
            decision.events,
            decision.disclosure is not None,
            gate_reasons,
            llm_reason,
            problems,
            phrased,
        )

    def _after(self, move: Move, reading: Reading) -> None:
        self._s.moves.append(move)
        if move.name is MoveName.NAME_PATTERN:
            self._s.pattern_named = True
        if move.name is MoveName.CLOSE:
            self._s.ended = True
        if move.name is MoveName.DREAM_WORK:
            stage = move.slots.get("stage")
            if stage in ("capture", "capture_plain"):
                quote = move.evidence[0].quote if move.evidence else reading.text
                self._s.dream = DreamWork(quote, dream_elements(reading))
                if stage == "capture":
                    self._s.dream.asked = 1
            elif stage == "element" and self._s.dream is not None:
                self._s.dream.asked += 1
            elif stage == "link" and self._s.dream is not None:
                self._s.dream.linked = True

    def _say(self, reply: Reply) -> Reply:
        if reply.move.name is not MoveName.SAFETY:
            self._s.used.update(fold(s) for s in sentences(reply.text) if fold(s) not in _REPEATABLE)
        self._s.openings.append(opening(reply.text))
        self._s.turns.append(Turn(Speaker.COMPANION, reply.text))
        self._s.vectors.append(None)
        self._s.log.append(LoggedTurn(len(self._s.log) + 1, Speaker.COMPANION, reply.text, reply.at, reply))
        return reply


_EMPTY: Final = Reading(text="", vector=np.zeros(0, dtype=np.float32))

# The disclosure's fixed sentences must be said again whenever it is due; they are exempt from the
# no-repetition rule (which is about the companion's own reflections, not its safety statements).
_REPEATABLE: Final = frozenset(fold(s) for s in sentences(DISCLOSURE_TEXT))
