"""The safety check: first on every client turn, before anything else, and it cannot be skipped.

``SafetyCheck.client_turn`` reads the turn (with the conversation so far) through the risk lens
and decides what must happen in this same turn, with no network and no LLM:

- ideation or above: the fixed safety response with the crisis line of the client's locale; the
  conversation stays in safety mode until the person says they are safe or have reached help;
- indicator: a gentle check-in, and the conversation goes on;
- a harm flag or ideation and above: a risk event for the clinician's queue;
- the AI disclosure, when it is due (first use, asked, a long absence, long continuous use).

``SafetyCheck.reply`` is the other half: every reply, template or LLM, passes the output gate
before it is shown.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np

from reverie.analysis.document import Document
from reverie.analysis.risk import RANK, Risk
from reverie.analysis.vectors import TurnVectors
from reverie.record import Client, RiskEvent, RiskSource, Speaker, Turn
from reverie.safety.disclosure import DISCLOSURE_TEXT, DisclosureState, disclosure_due, record_disclosure, record_message
from reverie.safety.gate import GateResult, gate
from reverie.safety.resources import Resources, load_resources
from reverie.safety.responses import safety_response, says_safe, still_at_risk_reply

#: Client turns after a check-in during which a further indicator does not ask again: asking the
#: same question every few messages drowns people in alarms; ideation and above always answer at once.
CHECK_IN_SPACING = 5

# "Yes" answers the safety response's own question "Are you safe right now?".
_PLAIN_YES = frozenset({"yes", "yes.", "yeah", "yeah.", "yep", "yes i am", "yes, i am", "yes i'm safe", "i am", "i am."})


@dataclass(frozen=True)
class SafetyState:
    """What the check remembers between turns of one conversation (serialisable by its caller)."""

    in_crisis: bool = False
    highest: str = "none"
    responses: int = 0  # how many safety replies were given: chooses the next phrasing
    check_ins: int = 0  # how many indicator check-ins were given: chooses the next phrasing
    since_check_in: int | None = None  # client turns since the last check-in (None: none yet)
    disclosure: DisclosureState = field(default_factory=DisclosureState)


@dataclass(frozen=True)
class SafetyDecision:
    level: str
    flags: tuple[str, ...]
    # The reply this turn must be, when safety decides it (the companion adds nothing after it).
    reply: str | None
    # A gentle check-in to put before the companion's own reply (indicator).
    check_in: str | None
    disclosure: str | None
    events: tuple[RiskEvent, ...]
    state: SafetyState

    @property
    def takes_over(self) -> bool:
        return self.reply is not None


class SafetyCheck:
    def __init__(self, resources: Resources | None = None) -> None:
        self.resources = resources or load_resources()
        self._vectors = TurnVectors()
        self._risk = Risk()

    def client_turn(
        self,
        client: Client,
        history: Sequence[Turn],
        text: str,
        state: SafetyState,
        now: datetime,
        *,
        conversation_id: str,
        vectors: np.ndarray | None = None,
    ) -> SafetyDecision:
        """``vectors``: one row per turn of ``history`` plus ``text`` when the caller has them (else encoded here)."""
        turns = (*history, Turn(Speaker.CLIENT, text))
        if vectors is not None and len(vectors) != len(turns):
            vectors = None  # a mismatch is the caller's bug; the check still runs, on fresh vectors
        doc = Document(tuple(turns), focus=range(len(turns) - 1, len(turns)), vectors=vectors)
        doc = self._risk(self._vectors(doc))
        found = [a for a in doc.found("risk") if a.evidence[0].turn == len(turns) - 1]
        level = max((a.label for a in found if a.label in RANK), key=RANK.__getitem__, default="none")
        flags = tuple(sorted({f for a in found for f in a.detail.get("flags", ())}))
        crisis = self.resources.for_locale(client.locale)
        sentence, emergency = crisis.sentence(), crisis.emergency_number

        reason = disclosure_due(state.disclosure, now, text)
        disclosure_state = record_message(state.disclosure, now)
        if reason is not None:
            disclosure_state = record_disclosure(disclosure_state, now)
        state = replace(state, disclosure=disclosure_state, highest=max(state.highest, level, key=RANK.__getitem__))

        reply: str | None = None
        check_in: str | None = None
        if RANK[level] >= RANK["ideation"]:
            reply = safety_response(level, sentence, emergency, seed=state.responses)
            state = replace(state, in_crisis=True, responses=state.responses + 1)
        elif state.in_crisis:
            if says_safe(text) or text.strip().lower() in _PLAIN_YES:
                state = replace(state, in_crisis=False)
            else:
                reply = still_at_risk_reply(sentence, seed=state.responses)
                state = replace(state, responses=state.responses + 1)
        elif level == "indicator" and (state.since_check_in is None or state.since_check_in >= CHECK_IN_SPACING):
            check_in = safety_response("indicator", sentence, emergency, seed=state.check_ins)
        if check_in is not None:
            state = replace(state, check_ins=state.check_ins + 1, since_check_in=0)
        elif state.since_check_in is not None:
            state = replace(state, since_check_in=state.since_check_in + 1)

        events = []
        if RANK[level] >= RANK["ideation"] or flags:
            cue = next((a for a in found if a.label == level), found[0])
            span = cue.evidence[0]
            events.append(
                RiskEvent(
                    client.id,
                    level if RANK[level] >= RANK["ideation"] else "none",
                    RiskSource.COMPANION,
                    conversation_id,
                    now,
                    flags=flags,
                    turn=len(turns),
                    evidence=((span.start, span.end),),
                    reason=str(cue.detail.get("reason", "")),
                )
            )
        return SafetyDecision(level, flags, reply, check_in, DISCLOSURE_TEXT if reason else None, tuple(events), state)

    def reply(self, text: str) -> tuple[str, GateResult]:
        """The output gate: a reply that fails is replaced by a safe one (the result says why)."""
        return gate(text)
