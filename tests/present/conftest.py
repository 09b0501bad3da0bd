from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reverie.present.cli import app
from tests.conftest import postgres_schema_url

Invoke = Callable[..., Result]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def cli_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The database URL the CLI runs against, passed with --db like a user would."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.db'}"
    else:
        yield from postgres_schema_url()


@pytest.fixture
def reverie(cli_db: str) -> Invoke:
    """Run ``reverie --db URL ARGS...`` in-process, capturing stdout and stderr separately."""
    runner = CliRunner()

    def invoke(*args: str | Path) -> Result:
        return runner.invoke(app, ["--db", cli_db, *map(str, args)], catch_exceptions=False)

    assert invoke("init").exit_code == 0
    return invoke
