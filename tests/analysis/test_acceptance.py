"""Issue 3's acceptance on the demo case: the whole pipeline, stored, with evidence, offline."""

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from reverie.analysis.document import Annotation
from reverie.analysis.lenses import default_pipeline
from reverie.present.analyze import analyze_client
from reverie.present.demo import read_demo
from reverie.store import Store
from tests.analysis.conftest import DemoSession


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Both demo clients loaded into SQLite and analysed once, with the network switched off."""
    folder: Path = tmp_path_factory.mktemp("acceptance")
    real_connect = socket.socket.connect

    def refuse(self: socket.socket, address: object) -> None:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)  # type: ignore[arg-type]
        raise AssertionError(f"network access attempted: {address!r}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        store = Store.open(f"sqlite:///{folder / 'r.db'}", folder / "k", create=True)
        pipeline = default_pipeline()
        for case in read_demo():
            store.save_case(case)
            report = analyze_client(store, case.client.id, pipeline)
            assert report.analysed > 0
        yield store
    store.close()


def stored(store: Store, demo_sessions: tuple[DemoSession, ...]) -> Iterator[tuple[DemoSession, list[Annotation]]]:
    """Each demo session with what the store holds for it (ids differ per load: match by date)."""
    ids = {}
    for summary in store.list_clients():
        for row in store.list_sessions(summary.client.id):
            ids[("maya" if summary.client.pseudonym == "Maya" else "tomas", f"{row.session.starts_at:%Y-%m-%d}")] = row.session.id
    for s in demo_sessions:
        yield s, store.load_annotations(ids[(s.client, s.date)])


def test_every_annotation_has_evidence_inside_its_turn(analysed: Store, demo_sessions: tuple[DemoSession, ...]) -> None:
    checked = 0
    for s, found in stored(analysed, demo_sessions):
        for a in found:
            for span in a.evidence:
                text = s.session.turns[span.turn].text
                quoted = text[span.start : span.end]
                assert 0 <= span.start < span.end <= len(text), (s.date, a)
                assert quoted.strip() == quoted and quoted, (s.date, a.label, quoted)
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize(("section", "lens", "labels"), [("dreams", "fantasy", {"dream"}), ("transference", "therapy_relationship", {"transference"}), ("defenses", "avoidance", None)])
def test_recall_of_the_answer_key(analysed: Store, demo_sessions: tuple[DemoSession, ...], section: str, lens: str, labels: set[str] | None) -> None:
    wanted: set[tuple[str, str, int]] = set()
    found: set[tuple[str, str, int]] = set()
    for s, annotations in stored(analysed, demo_sessions):
        wanted |= {(s.client, s.date, item["turn"]) for item in s.key.get(section) or []}
        for a in annotations:
            if a.lens == lens and ((labels is None and "level" in a.detail) or (labels is not None and a.label in labels)):
                found.add((s.client, s.date, a.evidence[0].turn + 1))
    assert wanted
    assert len(wanted & found) / len(wanted) >= 0.8


def test_nothing_is_analysed_twice(analysed: Store, demo_sessions: tuple[DemoSession, ...]) -> None:
    client_id = analysed.find_client("Maya").id
    report = analyze_client(analysed, client_id, default_pipeline())
    assert report.analysed == 0 and report.up_to_date > 24


def test_annotations_store_no_client_words_in_clear(analysed: Store, demo_sessions: tuple[DemoSession, ...]) -> None:
    """Details are stored unencrypted: they may hold labels and reasons, never the client's phrases."""
    import json

    leaks = []
    for s, annotations in stored(analysed, demo_sessions):
        for a in annotations:
            words = s.session.turns[a.evidence[0].turn].text.lower().split()
            phrases = {" ".join(words[k : k + 3]) for k in range(len(words) - 2)}
            detail = json.dumps(a.detail).lower()
            leaks += [p for p in phrases if len(p) > 12 and p in detail]
    assert leaks == []


def test_names_learnt_in_earlier_sessions_resolve_later_ones(analysed: Store, demo_sessions: tuple[DemoSession, ...]) -> None:
    """Daniel is named as Maya's partner in January; in June "Daniel" alone is still her partner."""
    june = [(s, found) for s, found in stored(analysed, demo_sessions) if s.client == "maya" and s.date == "2026-06-04"]
    ((session, found),) = june
    partner_daniel = [a for a in found if a.lens == "relationships" and a.label == "partner" and session.session.turns[a.evidence[0].turn].text[a.evidence[0].start : a.evidence[0].end] == "Daniel"]
    assert partner_daniel
