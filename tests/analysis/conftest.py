"""Shared fixtures: the demo case with its vectors, encoded once per test run."""

from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
import yaml

from reverie.analysis.document import Document
from reverie.analysis.embed import shared_encoder
from reverie.present.demo import demo_folder, read_demo
from reverie.record import Attendance, Session


@dataclass
class DemoSession:
    client: str  # "maya" or "tomas", as in the answer key
    date: str
    session: Session
    key: dict[str, Any]

    def document(self) -> Document:
        """A fresh document (analyzers mutate it) with the cached vectors."""
        return Document(self.session.turns, session=self.session, vectors=_vectors(self.client, self.date).copy())


@cache
def _sessions() -> tuple[DemoSession, ...]:
    key = yaml.safe_load((demo_folder() / "answer_key.yaml").read_text(encoding="utf-8"))
    out = []
    for case, name in zip(read_demo(), ("maya", "tomas"), strict=True):
        by_date = {s["date"]: s for s in key[name]["sessions"]}
        for s in case.sessions:
            if s.attendance is Attendance.ATTENDED:
                date = f"{s.starts_at:%Y-%m-%d}"
                out.append(DemoSession(name, date, s, by_date[date]))
    return tuple(out)


@cache
def _vectors(client: str, date: str) -> Any:
    _all_vectors()
    return _VECTORS[(client, date)]


_VECTORS: dict[tuple[str, str], Any] = {}


def _all_vectors() -> None:
    if _VECTORS:
        return
    sessions = _sessions()
    flat = [t.text for s in sessions for t in s.session.turns]
    vectors = shared_encoder().encode(flat)
    offset = 0
    for s in sessions:
        _VECTORS[(s.client, s.date)] = vectors[offset : offset + len(s.session.turns)]
        offset += len(s.session.turns)


@pytest.fixture(scope="session")
def demo_sessions() -> tuple[DemoSession, ...]:
    return _sessions()
