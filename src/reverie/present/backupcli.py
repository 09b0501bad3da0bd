"""``reverie backup`` and ``reverie restore``: checked copies of a SQLite database (promise 7).

Light at import: the store loads inside the commands.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reverie.present.context import settings_of

if TYPE_CHECKING:
    from reverie.store.backup import BackupCheck


def _summary(found: "BackupCheck") -> str:
    sessions, turns = found.rows.get("sessions", 0), found.rows.get("turns", 0)
    return f"{found.clients} clients, {sessions} sessions, {turns} turns; integrity ok, schema {found.revision}, audit log intact ({found.audit.rows} rows)"


def backup(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="The new backup file; never overwritten.")],
) -> None:
    """Copy the database, while Reverie may be running, into one checked file.

    Uses SQLite's online backup API inside a transaction that holds the write lock, so the copy is one consistent moment; the copy is then checked (integrity, schema, key, audit chain) and only then given its name. The text in it stays encrypted: keep the key file too, stored apart from the backups. PostgreSQL databases are backed up with PostgreSQL's own tools.

    Example: [bold]reverie backup --out /media/usb/reverie-2026-11-26.db[/bold]
    """
    with settings_of(ctx).open_store() as store:
        found = store.backup(out)
    typer.echo(f"backed up to {out}: {_summary(found)}")


def restore(
    ctx: typer.Context,
    backup_file: Annotated[Path, typer.Argument(help="A file written by 'reverie backup'.", metavar="BACKUP")],
    to: Annotated[Path, typer.Option("--to", help="The new database file to restore into; never overwritten.")],
) -> None:
    """Check a backup, copy it to a new database file and check the copy.

    Needs the key file the backup was made under (the data folder's, or REVERIE_KEY_FILE). Open the restored database with --db sqlite:///PATH, or move it to a data folder as reverie.db.

    Example: [bold]reverie restore /media/usb/reverie-2026-11-26.db --to ~/reverie-restored/reverie.db[/bold]
    """
    from reverie.store.backup import restore as restore_file
    from reverie.store.crypto import key_path

    found = restore_file(backup_file, to, key_path(settings_of(ctx).resolved_data_dir()))
    typer.echo(f"restored to {to}: {_summary(found)}")
    typer.echo(f"open it with: reverie --db sqlite:///{to.resolve()} client list")
