"""Writing turns back out as text, WebVTT or SRT: the inverse of the ingest readers.

Reading what these write gives the same turns back (a test checks it), which is how the demo's
one session in three formats was made and how a clinician gets a transcript out again.
"""

from collections.abc import Mapping, Sequence

from reverie.ingest.timecode import format_timecode
from reverie.record import Speaker, Turn

ROLE_LABELS: Mapping[Speaker, str] = {Speaker.CLIENT: "Client", Speaker.THERAPIST: "Therapist", Speaker.COMPANION: "Companion"}


def render_text(turns: Sequence[Turn], *, header: Sequence[str] = (), names: Mapping[Speaker, str] = ROLE_LABELS) -> str:
    lines = [f"# {h}" for h in header]
    for turn in turns:
        stamp = ""
        if turn.start_ms is not None:
            end = f" --> {format_timecode(turn.end_ms)}" if turn.end_ms is not None else ""
            stamp = f"[{format_timecode(turn.start_ms)}{end}] "
        lines.append(f"{stamp}{names[turn.speaker]}: {turn.text}")
    return "\n".join(lines) + "\n"


def render_webvtt(turns: Sequence[Turn], *, header: Sequence[str] = (), names: Mapping[Speaker, str] = ROLE_LABELS) -> str:
    blocks = ["WEBVTT"]
    if header:
        blocks.append("NOTE\n" + "\n".join(header))
    for i, turn in enumerate(_timed(turns), start=1):
        text = turn.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(f"{i}\n{format_timecode(turn.start_ms or 0)} --> {format_timecode(turn.end_ms or 0)}\n<v {names[turn.speaker]}>{text}")
    return "\n\n".join(blocks) + "\n"


def render_srt(turns: Sequence[Turn], *, header: Sequence[str] = (), names: Mapping[Speaker, str] = ROLE_LABELS) -> str:
    blocks = ["\n".join(f"# {h}" for h in header)] if header else []
    for i, turn in enumerate(_timed(turns), start=1):
        blocks.append(f"{i}\n{format_timecode(turn.start_ms or 0, ',')} --> {format_timecode(turn.end_ms or 0, ',')}\n{names[turn.speaker]}: {turn.text}")
    return "\n\n".join(blocks) + "\n"


def _timed(turns: Sequence[Turn]) -> Sequence[Turn]:
    if any(t.start_ms is None or t.end_ms is None for t in turns):
        raise ValueError("WebVTT and SRT need a start and an end time on every turn")
    return turns
