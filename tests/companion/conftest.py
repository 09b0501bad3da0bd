"""The demo client's memory, built once per test run the way `reverie session` builds it."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reverie.analysis.lenses import default_pipeline
from reverie.present.analyze import analyze_client
from reverie.present.companion import ClientMemory, load_memory
from reverie.present.demo import load_demo
from reverie.record import Client
from reverie.store import Store


@dataclass(frozen=True)
class DemoMemory:
    client: Client
    known: ClientMemory


@pytest.fixture(scope="session")
def maya(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoMemory]:
    """Maya (fictional): loaded, analysed and remembered from a real SQLite store (about 20 s, once)."""
    folder: Path = tmp_path_factory.mktemp("maya")
    with Store.open(f"sqlite:///{folder / 'reverie.db'}", folder / "reverie.key", create=True) as store:
        load_demo(store, None)
        client = store.find_client("Maya")
        analyze_client(store, client.id, default_pipeline())
        known = load_memory(store, client.id)
    yield DemoMemory(client, known)
