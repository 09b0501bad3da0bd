"""``reverie audit list / verify``, ``reverie backup`` and ``reverie restore`` on SQLite and PostgreSQL."""

from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from reverie.present.cli import app
from reverie.store.database import make_engine
from tests.present.conftest import Invoke


def test_list_shows_who_read_whose_record_and_verify_passes(reverie: Invoke) -> None:
    reverie("client", "add", "Ana")
    reverie("client", "add", "Ben")
    reverie("client", "list")
    listed = reverie("audit", "list", "--client", "Ana")
    assert listed.exit_code == 0, listed.output
    lines = [line for line in listed.stdout.splitlines() if "add_client" in line or "find_client" in line]
    assert any("add_client" in line and "write" in line for line in lines)
    assert "Ben" not in listed.stdout  # rows hold ids, and only Ana's were asked for
    everything = reverie("audit", "list", "--last", "100")
    assert "list_clients" in everything.stdout and "read" in everything.stdout
    verified = reverie("audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.startswith("audit log intact: ")
    assert int(verified.stdout.split(": ")[1].split()[0]) >= 5


def test_verify_names_the_first_altered_row(reverie: Invoke, db_url: str) -> None:
    reverie("client", "add", "Ana")
    reverie("client", "list")
    reverie("client", "list")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET actor = 'nobody' WHERE id = 2"))
    engine.dispose()
    broken = reverie("audit", "verify")
    assert broken.exit_code == 1
    assert "[R106]" in broken.stderr and "row 2" in broken.stderr and "changed after it was written" in broken.stderr
    assert "restore the last backup that verifies" in broken.stderr


def test_backup_and_restore_commands(reverie: Invoke, db_url: str, tmp_path: Path) -> None:
    folder = tmp_path
    reverie("client", "add", "Ana")
    made = reverie("backup", "--out", folder / "b.db")
    if not db_url.startswith("sqlite"):
        assert made.exit_code == 1 and "[R108]" in made.stderr and "pg_dump" in made.stderr
        return
    assert made.exit_code == 0, made.output
    assert made.stdout.startswith(f"backed up to {folder / 'b.db'}: 1 clients, 0 sessions")
    again = reverie("backup", "--out", folder / "b.db")
    assert again.exit_code == 1 and "[R108]" in again.stderr and "already exists" in again.stderr
    back = reverie("restore", folder / "b.db", "--to", folder / "r.db")
    assert back.exit_code == 0, back.output
    assert "audit log intact" in back.stdout and f"sqlite:///{(folder / 'r.db').resolve()}" in back.stdout
    listed = CliRunner().invoke(app, ["--db", f"sqlite:///{folder / 'r.db'}", "client", "list"], catch_exceptions=False)
    assert "Ana" in listed.stdout
