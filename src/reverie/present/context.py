"""What every command shares: where the data lives (resolved once from options and
environment), how a coded error reaches the user, and the client option."""

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from reverie.errors import ReverieError

if TYPE_CHECKING:
    from reverie.store import Store


@dataclass
class Settings:
    db: str | None = None
    data_dir: Path | None = None

    def resolved_data_dir(self) -> Path:
        from reverie.store import default_data_dir

        return self.data_dir or default_data_dir()

    def url(self) -> str:
        from reverie.store import database_url

        return database_url(self.db, self.resolved_data_dir())

    def open_store(self, *, create: bool = False) -> "Store":
        from reverie.store import Store
        from reverie.store.crypto import key_path

        return Store.open(self.url(), key_path(self.resolved_data_dir()), create=create)


class ReverieGroup(TyperGroup):
    """Turns a coded error anywhere below into one line on stderr and exit status 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ReverieError as exc:
            fail(exc)


def fail(exc: ReverieError) -> NoReturn:
    typer.echo(f"error: {exc}", err=True)
    sys.exit(1)


def settings_of(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


ClientRef = Annotated[str, typer.Option("--client", "-c", help="Client id or pseudonym.")]
