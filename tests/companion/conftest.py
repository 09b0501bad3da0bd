"""The demo client's memory, built once per test run the way `reverie session` builds it."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from reverie.present.companion import ClientMemory, load_memory
from reverie.record import Client
from tests.demo_store import analysed_demo


@dataclass(frozen=True)
class DemoMemory:
    client: Client
    known: ClientMemory


@pytest.fixture(scope="session")
def maya() -> Iterator[DemoMemory]:
    """Maya (fictional): loaded, analysed (once per test run) and remembered the way `reverie session` does."""
    demo = analysed_demo()
    with demo.open() as store:
        client = store.load_client(demo.maya)
        known = load_memory(store, demo.maya)
    yield DemoMemory(client, known)
