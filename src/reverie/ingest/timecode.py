"""Timestamps as written in transcripts and subtitles, to whole milliseconds."""

import re

_TIME = re.compile(r"^(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)(?:[.,](\d{1,3}))?$")


def parse_timecode(text: str) -> int | None:
    """``01:02:03.5`` → 3723500; ``02:03`` → 123000. None when it is not a timestamp."""
    m = _TIME.match(text.strip())
    if m is None:
        return None
    hours, minutes, seconds, fraction = m.groups()
    ms = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + ms


def format_timecode(ms: int, sep: str = ".") -> str:
    """3723500 → ``01:02:03.500`` (``sep=","`` for SRT)."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{sep}{millis:03d}"
