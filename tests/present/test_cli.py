import json
from pathlib import Path

import pytest

from reverie.store import Store
from reverie.store.crypto import key_path
from reverie.store.database import default_data_dir
from tests.present.conftest import Invoke

TRANSCRIPT = "# FICTIONAL test transcript\n[00:00:04] Therapist: Where would you like to start?\n[00:00:09] Client: I don't know.\n"


def counts(db: str) -> dict[str, int]:
    with Store.open(db, key_path(default_data_dir())) as store:
        return store.row_counts()


def test_client_add_prints_the_id_and_list_shows_it(reverie: Invoke) -> None:
    added = reverie("client", "add", "Maya", "--time-zone", "Europe/London")
    assert added.exit_code == 0
    client_id = added.stdout.strip()
    assert client_id.startswith("c-")
    listing = reverie("client", "list")
    assert client_id in listing.stdout and "Maya" in listing.stdout


def test_bad_time_zone_is_a_usage_error(reverie: Invoke) -> None:
    result = reverie("client", "add", "Maya", "--time-zone", "Mars/Olympus")
    assert result.exit_code != 0
    assert "IANA" in result.output


def test_import_then_sessions_then_show(reverie: Invoke, tmp_path: Path) -> None:
    reverie("client", "add", "Maya")
    path = tmp_path / "maya-2026-01-08_1700.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    imported = reverie("import", path, "--client", "maya")
    assert imported.exit_code == 0, imported.output
    session_id = imported.stdout.split()[0]
    assert "2026-01-08 17:00" in imported.stdout and "2 turns" in imported.stdout
    listed = reverie("sessions", "--client", "Maya")
    assert session_id in listed.stdout and "attended" in listed.stdout
    shown = reverie("show", session_id)
    assert "Where would you like to start?" in shown.stdout and "00:00:04" in shown.stdout


def test_import_with_speaker_names_and_date(reverie: Invoke, tmp_path: Path) -> None:
    reverie("client", "add", "Maya")
    path = tmp_path / "call.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Dr Hart>Hello.\n\n00:00:03.000 --> 00:00:04.000\n<v Maya>Hi.\n", encoding="utf-8")
    result = reverie("import", path, "--client", "Maya", "--date", "2026-01-15T17:00", "--speaker", "Dr Hart=therapist", "--speaker", "Maya=client")
    assert result.exit_code == 0, result.output


MALFORMED = {
    "no speaker label": ("s-2026-01-08.txt", b"Client: hello\nthen I left\n", "R201"),
    "bad timestamp": ("s-2026-01-08.txt", b"[00:99:00] Client: hello\n", "R202"),
    "undecodable bytes": ("s-2026-01-08.txt", "Client: caf\xe9\n".encode("latin-1"), "R203"),
    "empty file": ("s-2026-01-08.txt", b"", "R204"),
    "unknown speaker": ("s-2026-01-08.txt", b"Maya: hello\n", "R205"),
    "no date": ("session.txt", b"Client: hello\n", "R213"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_input_is_coded_and_writes_nothing(reverie: Invoke, db_url: str, tmp_path: Path, case: str) -> None:
    name, content, code = MALFORMED[case]
    reverie("client", "add", "Maya")
    good = tmp_path / "good-2026-01-01.txt"
    good.write_text(TRANSCRIPT, encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(content)
    before = counts(db_url)
    result = reverie("import", good, bad, "--client", "Maya")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: [{code}] {bad}")
    assert counts(db_url) == before


def test_unknown_client_is_coded_and_writes_nothing(reverie: Invoke, db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "s-2026-01-08.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    before = counts(db_url)
    result = reverie("import", path, "--client", "Nobody")
    assert result.exit_code == 1 and "[R301]" in result.stderr
    assert counts(db_url) == before


def test_duplicate_session_is_coded_and_writes_nothing(reverie: Invoke, db_url: str, tmp_path: Path) -> None:
    reverie("client", "add", "Maya")
    path = tmp_path / "s-2026-01-08.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    assert reverie("import", path, "--client", "Maya").exit_code == 0
    other = tmp_path / "t-2026-01-15.txt"
    other.write_text(TRANSCRIPT, encoding="utf-8")
    before = counts(db_url)
    result = reverie("import", other, path, "--client", "Maya")
    assert result.exit_code == 1 and "[R302]" in result.stderr
    assert counts(db_url) == before


def test_journal_add_and_list(reverie: Invoke, tmp_path: Path) -> None:
    reverie("client", "add", "Maya")
    entry = tmp_path / "dream.md"
    entry.write_text("---\ndate: 2026-01-20\nkind: dream\nshared: true\n---\nA house with rooms I didn't know.\n", encoding="utf-8")
    added = reverie("journal", "add", "--client", "Maya", entry)
    assert added.exit_code == 0 and added.stdout.startswith("j-")
    listed = reverie("journal", "list", "--client", "Maya")
    assert "dream" in listed.stdout and "2026-01-20" in listed.stdout and "yes" in listed.stdout
    contradiction = reverie("journal", "add", "--client", "Maya", "--kind", "reflection", entry)
    assert contradiction.exit_code == 1 and "[R212]" in contradiction.stderr


def test_export_then_import_into_a_fresh_database(reverie: Invoke, tmp_path: Path) -> None:
    reverie("client", "add", "Maya")
    path = tmp_path / "s-2026-01-08.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    reverie("import", path, "--client", "Maya")
    out = tmp_path / "maya.json"
    assert reverie("export", "--client", "Maya", "--out", out).exit_code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["reverie"] == "case/1" and exported["sessions"][0]["turns"][1]["text"] == "I don't know."
    again = reverie("import", out)
    assert again.exit_code == 1 and "[R304]" in again.stderr


def test_commands_refuse_an_uninitialised_database(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reverie.present.cli import app

    result = CliRunner().invoke(app, ["--db", f"sqlite:///{tmp_path / 'new.db'}", "client", "list"])
    assert result.exit_code == 1 and "[R103]" in result.stderr and "reverie init" in result.stderr
