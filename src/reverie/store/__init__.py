"""The only package that talks to a database (SQLite by default, PostgreSQL when configured)."""

from reverie.store.database import database_url, default_data_dir
from reverie.store.store import ClientSummary, SessionSummary, Store

__all__ = ["ClientSummary", "SessionSummary", "Store", "database_url", "default_data_dir"]
