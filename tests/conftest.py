"""Fixtures: a real SQLite file and a real PostgreSQL schema for every store test.

PostgreSQL comes from REVERIE_TEST_POSTGRES_URL. Without it the PostgreSQL variants are skipped
on a developer's machine, but under CI (CI=true) they fail: CI must prove both backends.
"""

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from reverie.store import Store

PG_URL = os.environ.get("REVERIE_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the user's real data folder or database."""
    monkeypatch.setenv("REVERIE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REVERIE_DATABASE_URL", raising=False)
    monkeypatch.delenv("REVERIE_KEY_FILE", raising=False)


def postgres_schema_url() -> Iterator[str]:
    """A fresh schema on the test server, dropped afterwards; yields a URL that uses it."""
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("REVERIE_TEST_POSTGRES_URL is not set; CI must run the PostgreSQL tests")
        pytest.skip("REVERIE_TEST_POSTGRES_URL is not set")
    schema = f"t_{secrets.token_hex(6)}"
    admin = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL at REVERIE_TEST_POSTGRES_URL is unreachable: {exc}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'reverie.db'}"
    else:
        yield from postgres_schema_url()


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[Store]:
    with Store.open(db_url, tmp_path / "reverie.key", create=True) as s:
        yield s
