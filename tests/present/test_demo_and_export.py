"""The acceptance path: load the demo, export Maya, import her elsewhere, lose nothing."""

import json
from pathlib import Path

from typer.testing import CliRunner

from reverie.ingest import load_case
from reverie.present.cli import app
from reverie.store import Store
from reverie.store.crypto import key_path
from reverie.store.database import default_data_dir
from tests.present.conftest import Invoke


def test_demo_loads_once_and_shows_the_case(reverie: Invoke) -> None:
    first = reverie("demo", "--load-only")
    assert first.exit_code == 0, first.output
    assert "loaded Maya (fictional): 24 transcripts, 4 sessions not attended" in first.stdout
    assert "loaded Tomás (fictional): 8 transcripts" in first.stdout
    sessions = reverie("sessions", "--client", "Maya").stdout
    assert "cancelled by therapist, 336 h notice" in sessions and "no-show" in sessions
    again = reverie("demo", "--load-only")
    assert again.exit_code == 0 and "Maya is already loaded" in again.stdout and "loaded Maya" not in again.stdout


def test_whole_demo_client_survives_export_and_import(reverie: Invoke, db_url: str, tmp_path: Path) -> None:
    assert reverie("demo", "--load-only").exit_code == 0
    exported = tmp_path / "maya.json"
    assert reverie("export", "--client", "Maya", "--out", exported).exit_code == 0
    with Store.open(db_url, key_path(default_data_dir())) as store:
        original = store.load_case(store.find_client("Maya").id)
    assert load_case(exported) == original

    other_db = f"sqlite:///{tmp_path / 'other.db'}"
    runner = CliRunner()
    other_data = tmp_path / "other-data"
    assert runner.invoke(app, ["--db", other_db, "--data-dir", str(other_data), "init"]).exit_code == 0
    result = runner.invoke(app, ["--db", other_db, "--data-dir", str(other_data), "import", str(exported)])
    assert result.exit_code == 0, result.output
    with Store.open(other_db, key_path(other_data)) as store:
        copied = store.load_case(original.client.id)
    # Dataclass equality compares every field of every session, turn, entry, measure and consent.
    assert copied == original
    assert len(copied.sessions) == 28 and sum(len(s.turns) for s in copied.sessions) > 1800

    again = tmp_path / "again.json"
    assert runner.invoke(app, ["--db", other_db, "--data-dir", str(other_data), "export", "--client", original.client.id, "--out", str(again)]).exit_code == 0
    assert json.loads(again.read_text(encoding="utf-8")) == json.loads(exported.read_text(encoding="utf-8"))


def test_export_to_stdout(reverie: Invoke) -> None:
    reverie("demo", "--load-only")
    result = reverie("export", "--client", "Tomás", "--out", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["client"]["pseudonym"] == "Tomás"
