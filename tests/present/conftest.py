from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reverie.present.cli import app

Invoke = Callable[..., Result]


@pytest.fixture
def reverie(db_url: str) -> Invoke:
    """Run ``reverie --db URL ARGS...`` in-process, capturing stdout and stderr separately."""
    runner = CliRunner()

    def invoke(*args: str | Path) -> Result:
        return runner.invoke(app, ["--db", db_url, *map(str, args)], catch_exceptions=False)

    assert invoke("init").exit_code == 0
    return invoke
