from pathlib import Path

import pytest

from reverie.errors import ReverieError
from reverie.ingest import SpeakerMap, read_transcript
from reverie.record import Speaker, Turn


def write(tmp_path: Path, text: str, name: str = "session.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_labels_timestamps_and_comments(tmp_path: Path) -> None:
    path = write(tmp_path, "# a comment\n[00:00:04] Therapist: Where would you like to start?\n\n[00:00:09.5 --> 00:00:15] C: I don't know.\nT: Mm.\n")
    parsed = read_transcript(path)
    assert parsed.format == "text"
    assert parsed.turns == (
        Turn(Speaker.THERAPIST, "Where would you like to start?", 4000, None),
        Turn(Speaker.CLIENT, "I don't know.", 9500, 15000),
        Turn(Speaker.THERAPIST, "Mm.", None, None),
    )


def test_colon_inside_speech_is_kept(tmp_path: Path) -> None:
    parsed = read_transcript(write(tmp_path, "Client: She said: don't be so dramatic.\n"))
    assert parsed.turns[0].text == "She said: don't be so dramatic."


def test_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes(b"\xef\xbb\xbfClient: one\r\nTherapist: two\r\n")
    assert [t.text for t in read_transcript(path).turns] == ["one", "two"]


def test_names_need_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "Maya: I'm fine.\nDr Hart: Fine?\n")
    with pytest.raises(ReverieError) as err:
        read_transcript(path)
    assert err.value.code == "R205" and err.value.line == 1
    assert '--speaker "Maya=client"' in str(err.value)
    parsed = read_transcript(path, SpeakerMap.parse(["Maya=client", "Dr Hart=therapist"]))
    assert [t.speaker for t in parsed.turns] == [Speaker.CLIENT, Speaker.THERAPIST]


def test_line_without_label_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "Client: one\nand then I just left\n")
    with pytest.raises(ReverieError) as err:
        read_transcript(path)
    assert err.value.code == "R201"
    assert str(err.value).startswith(f"[R201] {path}:2: a line has no speaker label; write \"Client:\"")


def test_bad_timestamp(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, "[00:00:04] Client: one\n[00:61:00] Therapist: two\n"))
    assert (err.value.code, err.value.line) == ("R202", 2)


def test_timestamps_going_backwards(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, "[00:01:00] Client: one\n[00:00:30] Therapist: two\n"))
    assert (err.value.code, err.value.line) == ("R216", 2)


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Client: fine\nTherapist: café\n".encode("latin-1"))
    with pytest.raises(ReverieError) as err:
        read_transcript(path)
    assert (err.value.code, err.value.line) == ("R203", 2)


@pytest.mark.parametrize("content", ["", "  \n\n", "\ufeff"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, content))
    assert err.value.code == "R204"


def test_label_without_words(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, "Client: hello\nTherapist:\n"))
    assert (err.value.code, err.value.line) == ("R201", 2)


def test_unsupported_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as err:
        read_transcript(write(tmp_path, "Client: hi\n", name="s.docx"))
    assert err.value.code == "R206"
    with pytest.raises(ReverieError) as err:
        read_transcript(tmp_path / "nope.txt")
    assert err.value.code == "R217"


def test_date_from_file_name(tmp_path: Path) -> None:
    parsed = read_transcript(write(tmp_path, "Client: hi\n", name="maya-2026-01-08_1700.txt"))
    assert parsed.date is not None and parsed.date.isoformat() == "2026-01-08T17:00:00"


def test_unlabelled_consecutive_lines_of_one_speaker_merge(tmp_path: Path) -> None:
    parsed = read_transcript(write(tmp_path, "Client: one\nClient: two\nTherapist: three\n"))
    assert [t.text for t in parsed.turns] == ["one two", "three"]
