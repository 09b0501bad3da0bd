"""``reverie audit``: read and verify the audit log (DESIGN promise 5).

Light at import like ``measurecli.py``: the store and Rich load inside the commands.
"""

from typing import Annotated

import typer

from reverie.errors import ReverieError
from reverie.present.context import ReverieGroup, fail, settings_of

audit_app = typer.Typer(
    cls=ReverieGroup,
    no_args_is_help=True,
    help="The audit log: every read and write of clinical data, who made it and when, as an HMAC chain.\n\n"
    "Example: [bold]reverie audit verify[/bold]",
)


@audit_app.command("verify")
def audit_verify(ctx: typer.Context) -> None:
    """Check the whole chain: no row changed, deleted or cut from the end since it was written.

    Exit status 0 when intact; 1 with error R106 and the first bad row when not. The check itself is logged. Needs the key file the database was created with.

    Example: [bold]reverie audit verify[/bold]
    """
    with settings_of(ctx).open_store() as store:
        verdict = store.verify_audit()
    if not verdict.intact:
        fail(ReverieError("R106", f"the audit log is broken at row {verdict.broken_at}: {verdict.reason}", "keep this database as it is, restore the last backup that verifies, and compare the logs from that row (docs/errors.md)"))
    span = f", {verdict.first:%Y-%m-%d %H:%M} to {verdict.last:%Y-%m-%d %H:%M} UTC" if verdict.first and verdict.last else ""
    typer.echo(f"audit log intact: {verdict.rows} rows{span}")


@audit_app.command("list")
def audit_list(
    ctx: typer.Context,
    client: Annotated[str | None, typer.Option("--client", "-c", help="Only accesses to this client (id or pseudonym).")] = None,
    last: Annotated[int, typer.Option("--last", "-n", min=1, help="How many of the newest rows to show.")] = 50,
) -> None:
    """Show the newest rows of the audit log, oldest of them first: when, who, read or write, what, whose.

    Rows hold ids, never clinical text. Reading the log is itself logged.

    Example: [bold]reverie audit list --client Maya --last 20[/bold]
    """
    from rich.table import Table

    from reverie.present.cli import _console

    with settings_of(ctx).open_store() as store:
        who = store.find_client(client) if client else None
        rows = store.audit_rows(who.id if who else None, limit=last)
    table = Table("row", "at (UTC)", "actor", "action", "operation", "client", "ids", title="audit log")
    for r in rows:
        ids = ", ".join(r.subjects[:3]) + (f" and {len(r.subjects) - 3} more" if len(r.subjects) > 3 else "")
        table.add_row(str(r.id), f"{r.at:%Y-%m-%d %H:%M:%S}", r.actor, r.action, r.operation, r.client_id or "-", ids or "-")
    _console().print(table if rows else "no audit rows")
