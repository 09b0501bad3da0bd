"""Everything Reverie holds about one client, as one value.

Export writes a CaseRecord, import and the demo loader read one, and the store writes one in a
single transaction: a case is either entirely in the database or not at all.
"""

from dataclasses import dataclass

from reverie.record.consent import Consent
from reverie.record.journal import JournalEntry
from reverie.record.measure import MeasureResponse
from reverie.record.people import Client, Clinician
from reverie.record.session import Session


@dataclass(frozen=True, slots=True)
class CaseRecord:
    client: Client
    clinician: Clinician | None = None
    sessions: tuple[Session, ...] = ()
    journal: tuple[JournalEntry, ...] = ()
    measures: tuple[MeasureResponse, ...] = ()
    consents: tuple[Consent, ...] = ()

    def __post_init__(self) -> None:
        cid = self.client.id
        owners = [(x.id, x.client_id) for x in self.sessions] + [(x.id, x.client_id) for x in self.journal]
        owners += [(x.id, x.client_id) for x in self.measures] + [(x.id, x.client_id) for x in self.consents]
        for item_id, owner in owners:
            if owner != cid:
                raise ValueError(f"{item_id} belongs to {owner}, not {cid}")
        if self.clinician is not None and self.client.clinician_id not in (None, self.clinician.id):
            raise ValueError("the client's clinician_id does not match the clinician")
