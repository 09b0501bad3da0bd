"""Plain-text transcripts: one turn per line, ``Label: words``, optionally timestamped.

    # comments start with '#'
    [00:00:04] Therapist: Where would you like to start?
    [00:00:09.500 --> 00:00:15.000] Client: I don't know, really.
    Client: A line without a timestamp is fine too.
"""

import re

from reverie.ingest.segments import Segment, no_label, split_label
from reverie.ingest.source import SourceText
from reverie.ingest.speakers import SpeakerMap
from reverie.ingest.timecode import parse_timecode

_BRACKET = re.compile(r"^\[(?P<inside>[^\]]*)\]\s*(?P<rest>.*)$")
_RANGE = re.compile(r"\s*(?:-->|\u2013|\u2014|-)\s*")


def parse_plaintext(source: SourceText, speakers: SpeakerMap) -> list[Segment]:
    segments: list[Segment] = []
    for number, raw in enumerate(source.lines, start=1):
        content = raw.strip()
        if not content or content.startswith("#"):
            continue
        start = end = None
        m = _BRACKET.match(content)
        if m is not None:
            start, end = _bracket_times(source, number, m.group("inside"))
            content = m.group("rest")
        labelled = split_label(source, number, content, speakers)
        if labelled is None:
            raise no_label(source, number)
        speaker, text = labelled
        segments.append(Segment(speaker, text, number, start, end))
    return segments


def _bracket_times(source: SourceText, line: int, inside: str) -> tuple[int, int | None]:
    parts = _RANGE.split(inside.strip(), maxsplit=1)
    times = [parse_timecode(p) for p in parts]
    if any(t is None for t in times):
        raise source.error(
            "R202",
            line,
            f"[{inside}] is not a timestamp",
            "write [hh:mm:ss] or [hh:mm:ss.mmm], or a range [hh:mm:ss --> hh:mm:ss], e.g. [00:12:05]",
        )
    start = times[0]
    assert start is not None
    return start, times[1] if len(times) > 1 else None
