"""WebVTT captions (as exported by video-call tools): cue times and ``<v Name>`` voice tags."""

import html
import re

from reverie.ingest.segments import Segment, no_label, split_label
from reverie.ingest.source import SourceText
from reverie.ingest.speakers import SpeakerMap
from reverie.ingest.timecode import parse_timecode

_VOICE = re.compile(r"^<v(?:\.[^\s>]*)?\s+([^>]+)>")
_TAG = re.compile(r"<[^>]*>")


def blocks(source: SourceText) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks with the line number of their first line."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, raw in enumerate(source.lines, start=1):
        if raw.strip():
            if not current:
                first = number
            current.append(raw.rstrip())
        elif current:
            out.append((first, current))
            current = []
    if current:
        out.append((first, current))
    return out


def cue_times(source: SourceText, line: int, timing: str, code: str) -> tuple[int, int]:
    start_text, _, rest = timing.partition("-->")
    end_text = rest.split()[0] if rest.split() else ""
    start, end = parse_timecode(start_text), parse_timecode(end_text)
    if start is None or end is None:
        raise source.error(
            "R202",
            line,
            f"cue timing {timing.strip()!r} is not 'start --> end'",
            "write it as 00:01:02.500 --> 00:01:05.000" if code == "R207" else "write it as 00:01:02,500 --> 00:01:05,000",
        )
    return start, end


def parse_webvtt(source: SourceText, speakers: SpeakerMap) -> list[Segment]:
    all_blocks = blocks(source)
    if not all_blocks or not all_blocks[0][1][0].startswith("WEBVTT"):
        raise source.error("R207", 1, "the file does not start with 'WEBVTT'", "make 'WEBVTT' the first line of a .vtt file")
    segments: list[Segment] = []
    for first, lines in all_blocks[1:]:
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_at = 0 if "-->" in lines[0] else 1
        if timing_at >= len(lines) or "-->" not in lines[timing_at]:
            raise source.error(
                "R207", first, "a cue has no timing line", "give every cue a line like 00:00:01.000 --> 00:00:04.000"
            )
        line = first + timing_at
        start, end = cue_times(source, line, lines[timing_at], "R207")
        payload = " ".join(p.strip() for p in lines[timing_at + 1 :])
        if not payload:
            continue
        voice = _VOICE.match(payload)
        if voice is not None:
            name = voice.group(1).strip()
            text = _clean(payload)
            role = speakers.role(name)
            if role is None:
                raise source.error(
                    "R205", line + 1, f"voice {name!r} is not a role Reverie knows", f'map it with --speaker "{name}=client" (or =therapist)'
                )
            if not text:
                continue
        else:
            labelled = split_label(source, line + 1, _clean(payload), speakers)
            if labelled is None:
                raise no_label(source, line + 1, 'start the cue text with <v Client> or "Client:" (or map a name with --speaker)')
            role, text = labelled
        segments.append(Segment(role, text, line + 1, start, end))
    return segments


def _clean(payload: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", payload)).split())
