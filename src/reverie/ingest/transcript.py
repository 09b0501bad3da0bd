"""Reading a session transcript in any supported format, and making a Session of it."""

import re
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from reverie.errors import ReverieError
from reverie.ingest.jsontranscript import load_json, parse_json_transcript
from reverie.ingest.plaintext import parse_plaintext
from reverie.ingest.segments import Segment
from reverie.ingest.source import SourceText, read_source
from reverie.ingest.speakers import SpeakerMap
from reverie.ingest.srt import parse_srt
from reverie.ingest.webvtt import parse_webvtt
from reverie.record import Client, Session, Turn

FORMATS = {".txt": "text", ".text": "text", ".md": "text", ".vtt": "webvtt", ".srt": "srt", ".json": "json"}
# Cues of one speaker closer than this are one turn: caption tools split long speech into cues.
MERGE_GAP_MS = 2000
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T_ ](\d{2})[:h.-]?(\d{2}))?")


@dataclass(frozen=True, slots=True)
class ParsedTranscript:
    turns: tuple[Turn, ...]
    format: str
    source: SourceText
    date: datetime | None = None  # naive: in the client's time zone


def read_transcript(path: Path, speakers: SpeakerMap | None = None) -> ParsedTranscript:
    speakers = speakers or SpeakerMap()
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ReverieError(
            "R206",
            f"Reverie cannot read {path.suffix or 'files without a suffix'} files",
            "convert it to .txt, .vtt, .srt or .json (see docs/formats.md)",
            path=path,
        )
    source = read_source(path)
    date: datetime | None = None
    if kind == "text":
        segments = parse_plaintext(source, speakers)
    elif kind == "webvtt":
        segments = parse_webvtt(source, speakers)
    elif kind == "srt":
        segments = parse_srt(source, speakers)
    else:
        doc = load_json(source)
        segments = parse_json_transcript(source, doc, speakers)
        if doc.get("date") is not None:
            date = parse_when(str(doc["date"]), where=f"{path}: date")
    _check_order(source, segments)
    return ParsedTranscript(tuple(_merge(segments)), kind, source, date or date_from_name(path))


def read_session(
    path: Path,
    client: Client,
    speakers: SpeakerMap | None = None,
    *,
    date: datetime | None = None,
    planned_minutes: int = 50,
    minutes_late: int = 0,
) -> Session:
    """A transcript as an attended session of ``client``; ``date`` overrides the file's own."""
    parsed = read_transcript(path, speakers)
    when = date or parsed.date
    if when is None:
        raise ReverieError(
            "R213",
            "the session's date is not in the file or its name",
            "pass --date 2026-01-08T17:00, or put the date in the file name (session-2026-01-08.txt)",
            path=path,
        )
    last = max((t.end_ms or t.start_ms or 0) for t in parsed.turns)
    return Session(
        client_id=client.id,
        starts_at=localize(when, client.time_zone),
        planned_minutes=planned_minutes,
        actual_minutes=round(last / 60000) if last else None,
        minutes_late=minutes_late,
        turns=parsed.turns,
        source=path.name,
        source_sha256=parsed.source.sha256,
    )


def parse_when(text: str, *, where: str = "date") -> datetime:
    """``2026-01-08``, ``2026-01-08 17:00`` or ISO 8601 with an offset."""
    try:
        value = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise ReverieError("R214", f"{where}: {text!r} is not a date", "write it as 2026-01-08 or 2026-01-08T17:00") from None
    return value


def localize(when: datetime, time_zone: str) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=ZoneInfo(time_zone))


def date_from_name(path: Path) -> datetime | None:
    m = _DATE_IN_NAME.search(path.stem)
    if m is None:
        return None
    try:
        day = datetime.fromisoformat(m.group(1))
        at = time(int(m.group(2)), int(m.group(3))) if m.group(2) else time(0, 0)
    except ValueError:
        return None
    return datetime.combine(day.date(), at)


def _check_order(source: SourceText, segments: list[Segment]) -> None:
    previous = -1
    for seg in segments:
        if seg.end_ms is not None and seg.start_ms is not None and seg.end_ms < seg.start_ms:
            raise source.error("R216", seg.line or None, "a turn ends before it starts", "swap or correct the two times")
        if seg.start_ms is not None:
            if seg.start_ms < previous:
                raise source.error("R216", seg.line or None, "this turn starts before the one above it", "put the turns in time order or correct the timestamp")
            previous = seg.start_ms


def _merge(segments: list[Segment]) -> list[Turn]:
    turns: list[Turn] = []
    for seg in segments:
        if turns and _continues(turns[-1], seg):
            last = turns[-1]
            turns[-1] = Turn(last.speaker, f"{last.text} {seg.text}", last.start_ms, seg.end_ms if seg.end_ms is not None else last.end_ms)
        else:
            turns.append(Turn(seg.speaker, seg.text, seg.start_ms, seg.end_ms))
    return turns


def _continues(last: Turn, seg: Segment) -> bool:
    if last.speaker != seg.speaker:
        return False
    if last.start_ms is None and seg.start_ms is None:
        return True
    return last.end_ms is not None and seg.start_ms is not None and seg.start_ms - last.end_ms < MERGE_GAP_MS
