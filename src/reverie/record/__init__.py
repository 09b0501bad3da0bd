"""The clinical record: plain dataclasses with no I/O and no imports from the rest of Reverie.

Everything else (parsers, the store, the CLI) speaks in these types, so a change here is a change
to the whole system's vocabulary.
"""

from reverie.record.case import CaseRecord
from reverie.record.consent import Consent, ConsentScope
from reverie.record.conversation import Conversation, ConversationTurn
from reverie.record.journal import JournalAuthor, JournalEntry, JournalKind
from reverie.record.measure import MeasureResponse
from reverie.record.people import Client, Clinician
from reverie.record.risk_event import RiskEvent, RiskSource
from reverie.record.session import Attendance, CancelledBy, Session
from reverie.record.turn import Speaker, Turn

__all__ = [
    "Attendance",
    "CancelledBy",
    "CaseRecord",
    "Client",
    "Clinician",
    "Consent",
    "ConsentScope",
    "Conversation",
    "ConversationTurn",
    "JournalAuthor",
    "JournalEntry",
    "JournalKind",
    "MeasureResponse",
    "RiskEvent",
    "RiskSource",
    "Session",
    "Speaker",
    "Turn",
]
