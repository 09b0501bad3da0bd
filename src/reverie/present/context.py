"""Where the CLI's data lives, resolved once from options and environment."""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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
