"""What the companion can do in a turn, and the evidence each choice rests on.

A move is data, not text: the policy chooses it, the renderer phrases it, and the move with its
evidence is stored beside the reply so a clinician (or the client) can always ask "why did it say
that?" and get the client's own words back.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class MoveName(StrEnum):
    SAFETY = "safety"
    DISCLOSURE = "disclosure"
    BOUNDARY = "respect_boundary"
    DIRECTION = "wish_for_direction"  # "just tell me what to do"
    LIMITS = "honest_limits"  # a diagnosis, a medication change, an appointment: not the companion's to give
    OPEN = "open"
    REFLECT_FEELING = "reflect_feeling"
    INVITE_ASSOCIATION = "invite_association"
    SPECIFIC_MOMENT = "ask_specific_moment"
    LINK_PAST_PRESENT = "link_past_present"
    NOTICE_DEFENSE = "notice_defense"
    NOTICE_AVOIDANCE = "notice_avoidance"
    TRANSFERENCE = "relationship_here"
    DREAM_WORK = "dream_work"
    NAME_PATTERN = "name_pattern"
    FOLLOW = "follow"  # the client leads: a short, open invitation to go on
    CLOSE = "close"


#: The policy's order: the first move whose preconditions hold is chosen.
PRIORITY: tuple[MoveName, ...] = (
    MoveName.SAFETY,
    MoveName.DISCLOSURE,
    MoveName.BOUNDARY,
    MoveName.DIRECTION,
    MoveName.LIMITS,
    MoveName.CLOSE,
    MoveName.OPEN,
    MoveName.DREAM_WORK,
    MoveName.TRANSFERENCE,
    MoveName.REFLECT_FEELING,
    MoveName.INVITE_ASSOCIATION,
    MoveName.SPECIFIC_MOMENT,
    MoveName.LINK_PAST_PRESENT,
    MoveName.NOTICE_DEFENSE,
    MoveName.NOTICE_AVOIDANCE,
    MoveName.NAME_PATTERN,
    MoveName.FOLLOW,
)

#: Moves that ask the client something: exactly one question, never a stack of them.
ASKING: frozenset[MoveName] = frozenset(
    {
        MoveName.INVITE_ASSOCIATION,
        MoveName.SPECIFIC_MOMENT,
        MoveName.LINK_PAST_PRESENT,
        MoveName.NOTICE_DEFENSE,
        MoveName.NOTICE_AVOIDANCE,
        MoveName.TRANSFERENCE,
        MoveName.DREAM_WORK,
        MoveName.NAME_PATTERN,
        MoveName.DIRECTION,
    }
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A piece of what the client said that a move rests on.

    ``quote`` is verbatim. ``source`` is "this turn", "this conversation", or the id of the
    session or journal entry it came from; ``when`` is when it was said (None for this turn).
    ``why`` says what the listening engine read in it ("affect: sadness 0.71", "shared person: mother").
    """

    quote: str
    source: str
    why: str
    when: datetime | None = None
    turn: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "quote": self.quote,
            "source": self.source,
            "why": self.why,
            "when": self.when.isoformat() if self.when is not None else None,
            "turn": self.turn,
        }


@dataclass(frozen=True, slots=True)
class Move:
    """The chosen move, why its preconditions held, and the words it may use.

    ``slots`` are the small pieces the template fills in (a feeling word, a person, a quote);
    the LLM renderer receives the same move and may only phrase it.
    """

    name: MoveName
    reason: str
    evidence: tuple[Evidence, ...] = ()
    slots: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "move": str(self.name),
            "reason": self.reason,
            "evidence": [e.to_dict() for e in self.evidence],
            "slots": dict(self.slots),
        }
