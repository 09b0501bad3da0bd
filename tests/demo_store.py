"""The fictional demo case in a real SQLite store with Maya analysed: built once per test run.

Analysis of Maya's 24 sessions takes most of a minute on 2 cores; the companion, insight and CCRT
tests all read the same store (each opens its own connection), so it is built once.
"""

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reverie.analysis.lenses import default_pipeline
from reverie.present.analyze import analyze_client
from reverie.present.demo import load_demo
from reverie.store import Store


@dataclass(frozen=True)
class AnalysedDemo:
    url: str
    key: Path
    maya: str  # Maya's client id

    def open(self) -> Store:
        return Store.open(self.url, self.key)


@cache
def analysed_demo() -> AnalysedDemo:
    folder = Path(tempfile.mkdtemp(prefix="reverie-demo-"))
    atexit.register(shutil.rmtree, folder, True)
    url, key = f"sqlite:///{folder / 'demo.db'}", folder / "demo.key"
    with Store.open(url, key, create=True) as store:
        load_demo(store)
        maya = store.find_client("Maya").id
        analyze_client(store, maya, default_pipeline())
    return AnalysedDemo(url, key, maya)
