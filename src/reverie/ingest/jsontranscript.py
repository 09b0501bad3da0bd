"""Transcripts as JSON (schema ``transcript/1``, documented in docs/formats.md).

    {"reverie": "transcript/1", "date": "2026-01-08T17:00",
     "turns": [{"speaker": "therapist", "text": "Hello.", "start": 4.0, "end": 5.5}]}
"""

import json
from typing import Any

from reverie.errors import ReverieError
from reverie.ingest.segments import Segment
from reverie.ingest.source import SourceText
from reverie.ingest.speakers import SpeakerMap

TRANSCRIPT_FORMAT = "transcript/1"


def load_json(source: SourceText) -> Any:
    try:
        return json.loads(source.text)
    except json.JSONDecodeError as exc:
        raise source.error("R209", exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})", "fix the JSON syntax there (a missing comma or quote is the usual cause)") from None


def schema_error(source: SourceText, where: str, problem: str, fix: str) -> ReverieError:
    return source.error("R210", None, f"{where}: {problem}", fix)


def parse_json_transcript(source: SourceText, doc: Any, speakers: SpeakerMap) -> list[Segment]:
    if not isinstance(doc, dict) or doc.get("reverie") != TRANSCRIPT_FORMAT:
        raise schema_error(source, "reverie", f'expected "{TRANSCRIPT_FORMAT}"', f'add "reverie": "{TRANSCRIPT_FORMAT}" at the top level (see docs/formats.md)')
    turns = doc.get("turns")
    if not isinstance(turns, list) or not turns:
        raise schema_error(source, "turns", "missing or empty", 'give "turns" as a list of {"speaker", "text", "start"?, "end"?}')
    segments: list[Segment] = []
    for i, item in enumerate(turns):
        where = f"turns[{i}]"
        if not isinstance(item, dict):
            raise schema_error(source, where, "is not an object", 'write each turn as {"speaker": "client", "text": "..."}')
        unknown = set(item) - {"speaker", "text", "start", "end"}
        if unknown:
            raise schema_error(source, where, f"unknown field(s) {sorted(unknown)}", "use only speaker, text, start and end")
        name, text = item.get("speaker"), item.get("text")
        if not isinstance(name, str) or not name.strip():
            raise schema_error(source, f"{where}.speaker", "missing", 'write "speaker": "client" or "therapist" (or a name mapped with --speaker)')
        role = speakers.role(name)
        if role is None:
            raise ReverieError("R205", f"{where}.speaker: {name!r} is not a role Reverie knows", f'map it with --speaker "{name}=client" (or =therapist)', path=source.path)
        if not isinstance(text, str) or not text.strip():
            raise schema_error(source, f"{where}.text", "missing or empty", "give the words spoken as a string")
        start, end = (_seconds(source, f"{where}.{key}", item.get(key)) for key in ("start", "end"))
        segments.append(Segment(role, " ".join(text.split()), 0, start, end))
    return segments


def _seconds(source: SourceText, where: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise source.error("R202", None, f"{where}: {value!r} is not a time in seconds", "write seconds from the start as a number, e.g. 12.5")
    return round(value * 1000)
