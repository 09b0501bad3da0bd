"""A risk detection the clinician must see: stored, queued, acknowledged with a note."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from reverie.record.identity import new_id


class RiskSource(StrEnum):
    SESSION = "session"
    JOURNAL = "journal"
    COMPANION = "companion"
    MEASURE = "measure"


@dataclass(frozen=True, slots=True)
class RiskEvent:
    """One finding of ideation or above, a harm flag, or a PHQ-9 item 9 answered above 0.

    The evidence is offsets into the turn (never a copy of the words): the clinician reads them in
    the transcript, where they are encrypted like every other word the client said.
    """

    client_id: str
    level: str
    source: RiskSource
    document_id: str
    detected_at: datetime
    flags: tuple[str, ...] = ()
    turn: int | None = None  # 1-based turn number in the session or conversation
    evidence: tuple[tuple[int, int], ...] = ()
    reason: str = ""
    acknowledged_at: datetime | None = None
    acknowledged_note: str | None = None
    id: str = field(default_factory=lambda: new_id("r"))

    def __post_init__(self) -> None:
        if self.detected_at.tzinfo is None:
            raise ValueError("detected_at must carry a time zone")
        if self.level not in ("none", "indicator", "ideation", "behavior", "attempt"):
            raise ValueError(f"unknown risk level {self.level!r}")
        if self.level in ("none", "indicator") and not self.flags and self.source is not RiskSource.MEASURE:
            raise ValueError("an event below ideation needs a flag or a measure behind it")
