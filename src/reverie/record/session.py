"""A scheduled therapy session, attended or not.

Non-attendance is data, not absence of data: cancellations, no-shows and lateness are resistance
markers the analysis reads, so a session without a transcript is still a Session.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from reverie.record.identity import new_id
from reverie.record.turn import Turn


class Attendance(StrEnum):
    ATTENDED = "attended"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class CancelledBy(StrEnum):
    CLIENT = "client"
    THERAPIST = "therapist"


@dataclass(frozen=True, slots=True)
class Session:
    """One session of one client.

    ``source`` names the file a transcript came from and ``source_sha256`` its content hash, so a
    clinician can always trace what Reverie holds back to what was imported.
    """

    client_id: str
    starts_at: datetime
    planned_minutes: int = 50
    actual_minutes: int | None = None
    attendance: Attendance = Attendance.ATTENDED
    cancelled_by: CancelledBy | None = None
    notice_hours: float | None = None
    minutes_late: int = 0
    turns: tuple[Turn, ...] = ()
    source: str | None = None
    source_sha256: str | None = None
    id: str = field(default_factory=lambda: new_id("s"))

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is None:
            raise ValueError("starts_at must carry a time zone")
        if self.planned_minutes <= 0:
            raise ValueError("planned_minutes must be positive")
        if self.actual_minutes is not None and self.actual_minutes < 0:
            raise ValueError("actual_minutes cannot be negative")
        if self.minutes_late < 0:
            raise ValueError("minutes_late cannot be negative")
        if self.attendance is Attendance.CANCELLED:
            if self.cancelled_by is None:
                raise ValueError("a cancelled session says who cancelled it")
        elif self.cancelled_by is not None or self.notice_hours is not None:
            raise ValueError("only a cancelled session has cancelled_by and notice_hours")
        if self.notice_hours is not None and self.notice_hours < 0:
            raise ValueError("notice_hours cannot be negative")
        if self.attendance is not Attendance.ATTENDED and self.turns:
            raise ValueError("a session that did not take place has no turns")
