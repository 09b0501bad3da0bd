"""Loading the fictional demo case shipped in ``demo/``."""

from importlib import resources
from pathlib import Path

from reverie.errors import ReverieError
from reverie.ingest import read_case
from reverie.record import CaseRecord
from reverie.store import Store

DEMO_CLIENTS = ("maya", "tomas")


def demo_folder() -> Path:
    """The packaged copy in a wheel, else the ``demo/`` folder of a source checkout."""
    packaged = Path(str(resources.files("reverie"))) / "_demo"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "demo"
    if checkout.is_dir():
        return checkout
    raise ReverieError("R217", "the demo case is not installed", "run Reverie from a source checkout, or pass --case DIR")


def read_demo(folder: Path | None = None) -> list[CaseRecord]:
    root = folder or demo_folder()
    return [read_case(root / name / "case.yaml") for name in DEMO_CLIENTS]


def load_demo(store: Store, folder: Path | None = None) -> tuple[list[CaseRecord], list[str]]:
    """Load every demo client not yet in the store; returns (loaded, already present)."""
    loaded: list[CaseRecord] = []
    present: list[str] = []
    known = {s.client.pseudonym.casefold() for s in store.list_clients()}
    for case in read_demo(folder):
        if case.client.pseudonym.casefold() in known:
            present.append(case.client.pseudonym)
            continue
        store.save_case(case)
        loaded.append(case)
    return loaded, present
