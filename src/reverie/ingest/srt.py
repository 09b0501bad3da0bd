"""SubRip subtitles with ``Name:`` prefixes.

A cue without a prefix continues the previous cue's speaker, as subtitle tools split long speech.
Lines starting with ``#`` before the first cue are comments (a Reverie extension, so a file can
say where it came from).
"""

import re

from reverie.ingest.segments import Segment, no_label, split_label
from reverie.ingest.source import SourceText
from reverie.ingest.speakers import SpeakerMap
from reverie.ingest.webvtt import blocks, cue_times
from reverie.record import Speaker

# SRT styles text with a few HTML-like tags; anything else in angle brackets is speech.
_TAG = re.compile(r"</?(?:i|b|u|font)(?:\s[^>]*)?>", re.IGNORECASE)


def parse_srt(source: SourceText, speakers: SpeakerMap) -> list[Segment]:
    segments: list[Segment] = []
    previous: Speaker | None = None
    for first, lines in blocks(source):
        while lines and lines[0].lstrip().startswith("#") and not segments:
            lines = lines[1:]
            first += 1
        if not lines:
            continue
        if not lines[0].strip().isdigit():
            raise source.error("R208", first, f"expected a cue number, found {lines[0].strip()[:40]!r}", "start each cue with its number on its own line, then the timing line")
        if len(lines) < 2 or "-->" not in lines[1]:
            raise source.error("R208", first + 1, "the cue has no timing line", "put a line like 00:00:01,000 --> 00:00:04,000 after the cue number")
        start, end = cue_times(source, first + 1, lines[1], "R208")
        payload = " ".join(_TAG.sub("", p).strip() for p in lines[2:]).strip()
        if not payload:
            continue
        labelled = split_label(source, first + 2, payload, speakers)
        if labelled is None:
            if previous is None:
                raise no_label(source, first + 2, 'start the first cue\'s text with "Client:" or "Therapist:" (or map a name with --speaker)')
            role, text = previous, " ".join(payload.split())
        else:
            role, text = labelled[0], " ".join(labelled[1].split())
        previous = role
        segments.append(Segment(role, text, first + 2, start, end))
    if not segments:
        raise source.error("R208", 1, "the file has no subtitle cues", "check that it is an .srt file with numbered cues")
    return segments
