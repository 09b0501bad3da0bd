from datetime import UTC, datetime
from pathlib import Path

import pytest

from reverie.errors import ReverieError
from reverie.ingest import read_journal
from reverie.record import Client, JournalKind

CLIENT = Client("Maya", time_zone="Europe/London")


def write(tmp_path: Path, text: str, name: str = "entry.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_is_read_and_dates_are_local(tmp_path: Path) -> None:
    path = write(tmp_path, "---\n# FICTIONAL\ndate: 2026-07-01 22:30\nkind: dream\nshared: yes\ntitle: \"The garden\"\n---\nI was back in the garden.\n")
    entry = read_journal(path, CLIENT)
    assert entry.kind is JournalKind.DREAM and entry.shared_with_therapist and entry.title == "The garden"
    assert entry.written_at.astimezone(UTC) == datetime(2026, 7, 1, 21, 30, tzinfo=UTC)  # BST
    assert entry.text == "I was back in the garden."


def test_plain_text_with_options(tmp_path: Path) -> None:
    entry = read_journal(write(tmp_path, "Just words.\n", "e.txt"), CLIENT, kind=JournalKind.REFLECTION)
    assert entry.kind is JournalKind.REFLECTION and not entry.shared_with_therapist


@pytest.mark.parametrize(
    ("text", "kwargs", "code", "line"),
    [
        ("no kind anywhere\n", {}, "R212", None),
        ("---\nkind: nightmare\n---\nx\n", {}, "R212", 2),
        ("---\nkind: dream\n---\nx\n", {"kind": JournalKind.REFLECTION}, "R212", 2),
        ("---\nkind: dream\nmood: low\n---\nx\n", {}, "R211", 3),
        ("---\nkind: dream\nkind: dream\n---\nx\n", {}, "R211", 3),
        ("---\nkind: dream\nshared: maybe\n---\nx\n", {}, "R211", 3),
        ("---\nkind: dream\n", {}, "R211", 1),
        ("---\nkind: dream\ndate: last Tuesday\n---\nx\n", {}, "R214", 3),
        ("---\nkind: dream\n---\n\n", {}, "R204", 4),
        ("---\nkind: countertransference\nshared: true\n---\nx\n", {}, "R211", None),
    ],
)
def test_errors(tmp_path: Path, text: str, kwargs: dict[str, object], code: str, line: int | None) -> None:
    with pytest.raises(ReverieError) as err:
        read_journal(write(tmp_path, text), CLIENT, **kwargs)  # type: ignore[arg-type]
    assert (err.value.code, err.value.line) == (code, line)
