"""What a client has agreed to; deny by default means no row, no permission."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from reverie.record.identity import new_id


class ConsentScope(StrEnum):
    RECORDING = "recording"
    ANALYSIS = "analysis"
    COMPANION = "companion"
    LLM = "llm"
    RESEARCH = "research"


@dataclass(frozen=True, slots=True)
class Consent:
    """One decision, granted or withdrawn; the latest decision per scope is the one in force."""

    client_id: str
    scope: ConsentScope
    granted: bool
    decided_at: datetime
    note: str = ""
    id: str = field(default_factory=lambda: new_id("k"))

    def __post_init__(self) -> None:
        if self.decided_at.tzinfo is None:
            raise ValueError("decided_at must carry a time zone")
