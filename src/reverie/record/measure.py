"""A completed (or partly completed) questionnaire.

Scoring lives in ``insight``; the record keeps only what was answered, with ``None`` for a skipped
item, because missing-item rules differ by instrument.
"""

from dataclasses import dataclass, field
from datetime import datetime

from reverie.record.identity import new_id


@dataclass(frozen=True, slots=True)
class MeasureResponse:
    client_id: str
    instrument: str
    answers: tuple[int | None, ...]
    taken_at: datetime
    id: str = field(default_factory=lambda: new_id("m"))

    def __post_init__(self) -> None:
        if self.taken_at.tzinfo is None:
            raise ValueError("taken_at must carry a time zone")
        if not self.instrument.strip():
            raise ValueError("a measure response names its instrument")
        if not self.answers:
            raise ValueError("a measure response has at least one item")
