"""A conversation with the companion, as the record keeps it.

The companion's reasons (the move, its evidence, what the safety layer found) are kept with each
of its turns, so "why did it say that?" always has an answer in the client's own words.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reverie.record.identity import new_id
from reverie.record.turn import Speaker

MODES = ("talk", "free-association", "dream", "reflection")


@dataclass(frozen=True, slots=True)
class Conversation:
    client_id: str
    mode: str
    started_at: datetime
    ended_at: datetime | None = None
    id: str = field(default_factory=lambda: new_id("cv"))

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown companion mode {self.mode!r}")
        if self.started_at.tzinfo is None:
            raise ValueError("started_at must carry a time zone")
        if self.ended_at is not None and self.ended_at.tzinfo is None:
            raise ValueError("ended_at must carry a time zone")
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise ValueError("a conversation cannot end before it starts")


@dataclass(frozen=True, slots=True)
class ConversationTurn:
    """One turn; ``explanation`` (companion turns only) is the move with its evidence, as JSON-ready data."""

    conversation_id: str
    seq: int
    speaker: Speaker
    text: str
    at: datetime
    move: str | None = None
    explanation: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.seq < 1:
            raise ValueError("turns are numbered from 1")
        if not self.text.strip():
            raise ValueError("a turn needs text")
        if self.at.tzinfo is None:
            raise ValueError("at must carry a time zone")
        if self.speaker is Speaker.THERAPIST:
            raise ValueError("a companion conversation is between the client and the companion")
        if (self.move is not None or self.explanation is not None) and self.speaker is not Speaker.COMPANION:
            raise ValueError("only the companion's turns carry a move")
