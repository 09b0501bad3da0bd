from pathlib import Path

import pytest

from reverie.errors import ReverieError
from reverie.ingest import SpeakerMap, read_transcript
from reverie.record import Speaker, Turn

SPEAKERS = SpeakerMap.parse(["Maya=client", "Dr Hart=therapist"])


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


VTT = """WEBVTT

NOTE
FICTIONAL test file.

intro
00:00:04.000 --> 00:00:06.500
<v Dr Hart>Where would you like to start?</v>

00:00:07.000 --> 00:00:09.000
<v.loud Maya>I don't <i>know</i> &amp; I</v>

00:00:09.500 --> 00:00:11.000
<v Maya>just don't.

00:01:00.000 --> 00:01:02.000
Therapist: Mm.
"""


def test_webvtt_voices_tags_and_merging(tmp_path: Path) -> None:
    parsed = read_transcript(write(tmp_path, "s.vtt", VTT), SPEAKERS)
    assert parsed.turns == (
        Turn(Speaker.THERAPIST, "Where would you like to start?", 4000, 6500),
        Turn(Speaker.CLIENT, "I don't know & I just don't.", 7000, 11000),
        Turn(Speaker.THERAPIST, "Mm.", 60000, 62000),
    )


def test_webvtt_needs_header(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, "s.vtt", "00:00:01.000 --> 00:00:02.000\n<v Maya>hi\n"), SPEAKERS)
    assert (err.value.code, err.value.line) == ("R207", 1)


def test_webvtt_bad_timing(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, "s.vtt", "WEBVTT\n\n00:00:01.000 --> 00:0x:02.000\n<v Maya>hi\n"), SPEAKERS)
    assert (err.value.code, err.value.line) == ("R202", 3)


def test_webvtt_unknown_voice(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, "s.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Sam>hi\n"), SPEAKERS)
    assert err.value.code == "R205" and "Sam" in err.value.problem


def test_webvtt_cue_without_speaker(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, "s.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello there\n"), SPEAKERS)
    assert (err.value.code, err.value.line) == ("R201", 4)


SRT = """# FICTIONAL test file.
1
00:00:04,000 --> 00:00:06,500
Dr Hart: Where would you like
to start?

2
00:00:07,000 --> 00:00:09,000
Maya: I don't know.

3
00:00:09,500 --> 00:00:11,000
Really.
"""


def test_srt_prefixes_continuations_and_comments(tmp_path: Path) -> None:
    parsed = read_transcript(write(tmp_path, "s.srt", SRT), SPEAKERS)
    assert parsed.turns == (
        Turn(Speaker.THERAPIST, "Where would you like to start?", 4000, 6500),
        Turn(Speaker.CLIENT, "I don't know. Really.", 7000, 11000),
    )


def test_srt_missing_number(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, "s.srt", "00:00:04,000 --> 00:00:06,500\nMaya: hi\n"), SPEAKERS)
    assert (err.value.code, err.value.line) == ("R208", 1)


def test_srt_first_cue_needs_a_speaker(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, "s.srt", "1\n00:00:04,000 --> 00:00:06,500\nhi there\n"), SPEAKERS)
    assert (err.value.code, err.value.line) == ("R201", 3)


def test_json_transcript(tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", '{"reverie": "transcript/1", "date": "2026-01-08T17:00", "turns": ['
                 '{"speaker": "therapist", "text": "Hello.", "start": 4, "end": 5.5}, {"speaker": "Maya", "text": "Hi."}]}')
    parsed = read_transcript(path, SPEAKERS)
    assert parsed.turns == (Turn(Speaker.THERAPIST, "Hello.", 4000, 5500), Turn(Speaker.CLIENT, "Hi.", None, None))
    assert parsed.date is not None and parsed.date.hour == 17


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('{"reverie": "transcript/1", "turns": [}', "R209"),
        ('{"turns": []}', "R210"),
        ('{"reverie": "transcript/1", "turns": [{"speaker": "client"}]}', "R210"),
        ('{"reverie": "transcript/1", "turns": [{"speaker": "client", "text": "x", "mood": 1}]}', "R210"),
        ('{"reverie": "transcript/1", "turns": [{"speaker": "client", "text": "x", "start": "soon"}]}', "R202"),
        ('{"reverie": "transcript/1", "turns": [{"speaker": "Zed", "text": "x"}]}', "R205"),
        ('{"reverie": "transcript/1", "date": "next week", "turns": [{"speaker": "client", "text": "x"}]}', "R214"),
    ],
)
def test_json_errors(tmp_path: Path, body: str, code: str) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, "s.json", body), SPEAKERS)
    assert err.value.code == code


def test_speaker_mapping_syntax() -> None:
    for bad in ["Maya", "=client", "Maya=patient-ish"]:
        with pytest.raises(ReverieError) as err:
            SpeakerMap.parse([bad])
        assert err.value.code == "R215"
