"""The only place raw input is parsed.

Every reader here either returns complete record values or raises a coded ``ReverieError`` that
names the file, the line, what is wrong and what to write instead. Nothing here touches the
database, so an import that fails has written nothing.
"""

from reverie.ingest.bundle import dump_case, load_case
from reverie.ingest.casefile import read_case
from reverie.ingest.journal import read_journal
from reverie.ingest.speakers import SpeakerMap
from reverie.ingest.transcript import ParsedTranscript, read_session, read_transcript

__all__ = [
    "ParsedTranscript",
    "SpeakerMap",
    "dump_case",
    "load_case",
    "read_case",
    "read_journal",
    "read_session",
    "read_transcript",
]
