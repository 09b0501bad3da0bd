"""The two kinds of people the record knows about."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from reverie.record.identity import new_id


@dataclass(frozen=True, slots=True)
class Clinician:
    """A therapist (or supervisor) who holds a caseload."""

    name: str
    id: str = field(default_factory=lambda: new_id("t"))

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a clinician needs a name")


@dataclass(frozen=True, slots=True)
class Client:
    """A client, known to Reverie only by a pseudonym.

    The locale picks crisis lines and wording; the time zone turns stored UTC instants back into
    the client's own calendar.
    """

    pseudonym: str
    locale: str = "en-GB"
    time_zone: str = "Europe/London"
    clinician_id: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    id: str = field(default_factory=lambda: new_id("c"))

    def __post_init__(self) -> None:
        if not self.pseudonym.strip():
            raise ValueError("a client needs a pseudonym")
        if self.created_at.tzinfo is None:
            raise ValueError("created_at must carry a time zone")
