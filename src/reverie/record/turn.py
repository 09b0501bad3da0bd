"""One utterance in a session or a companion conversation."""

from dataclasses import dataclass
from enum import StrEnum


class Speaker(StrEnum):
    """Who spoke: the analysis treats each role differently (interventions are therapist turns)."""

    CLIENT = "client"
    THERAPIST = "therapist"
    COMPANION = "companion"


@dataclass(frozen=True, slots=True)
class Turn:
    """A turn; times are milliseconds from the start of the recording, when known.

    Times are integers so that the same session read from text, WebVTT and SRT compares equal.
    """

    speaker: Speaker
    text: str
    start_ms: int | None = None
    end_ms: int | None = None

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a turn needs text")
        if self.start_ms is not None and self.start_ms < 0:
            raise ValueError("a turn cannot start before the recording")
        if self.end_ms is not None and (self.start_ms is None or self.end_ms < self.start_ms):
            raise ValueError("a turn's end needs a start and cannot come before it")
