from pathlib import Path

import pytest

from reverie.ingest import SpeakerMap, read_transcript
from reverie.present.transcripts import render_srt, render_text, render_webvtt
from reverie.record import Speaker, Turn

TURNS = (
    Turn(Speaker.THERAPIST, "Where would you like to start?", 4000, 6500),
    Turn(Speaker.CLIENT, "I don't know & I <really> don't: it's hard.", 8000, 15250),
    Turn(Speaker.THERAPIST, "Mm.", 60000, 61000),
)


@pytest.mark.parametrize(("render", "suffix"), [(render_text, "txt"), (render_webvtt, "vtt"), (render_srt, "srt")])
def test_what_is_written_reads_back_identically(tmp_path: Path, render: object, suffix: str) -> None:
    path = tmp_path / f"s.{suffix}"
    names = {Speaker.CLIENT: "Maya", Speaker.THERAPIST: "Dr Hart", Speaker.COMPANION: "Companion"}
    path.write_text(render(TURNS, header=["FICTIONAL test"], names=names), encoding="utf-8")  # type: ignore[operator]
    assert read_transcript(path, SpeakerMap.parse(["Maya=client", "Dr Hart=therapist"])).turns == TURNS


def test_captions_need_times() -> None:
    with pytest.raises(ValueError, match="start and an end"):
        render_srt([Turn(Speaker.CLIENT, "hi")])
