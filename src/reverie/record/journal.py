"""Writing between sessions: the client's journal and the therapist's countertransference notes."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from reverie.record.identity import new_id


class JournalKind(StrEnum):
    FREE_ASSOCIATION = "free-association"
    DREAM = "dream"
    REFLECTION = "reflection"
    COUNTERTRANSFERENCE = "countertransference"


class JournalAuthor(StrEnum):
    CLIENT = "client"
    THERAPIST = "therapist"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A journal entry about one client.

    Sharing defaults to off: a client's journal is private until they choose otherwise, and a
    countertransference note is the therapist's alone and can never be shared.
    """

    client_id: str
    kind: JournalKind
    written_at: datetime
    text: str
    shared_with_therapist: bool = False
    title: str | None = None
    source: str | None = None
    id: str = field(default_factory=lambda: new_id("j"))

    @property
    def author(self) -> JournalAuthor:
        if self.kind is JournalKind.COUNTERTRANSFERENCE:
            return JournalAuthor.THERAPIST
        return JournalAuthor.CLIENT

    def __post_init__(self) -> None:
        if self.written_at.tzinfo is None:
            raise ValueError("written_at must carry a time zone")
        if not self.text.strip():
            raise ValueError("a journal entry needs text")
        if self.kind is JournalKind.COUNTERTRANSFERENCE and self.shared_with_therapist:
            raise ValueError("a countertransference note belongs to the therapist; it is not shared")
