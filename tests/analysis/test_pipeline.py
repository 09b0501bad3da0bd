from typing import ClassVar

import pytest

from reverie.analysis.document import Annotation, Document, Span
from reverie.analysis.pipeline import Pipeline
from reverie.errors import ReverieError
from reverie.record import Speaker, Turn


class Needs:
    name: ClassVar[str] = "needs"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("vectors",)
    assigns: ClassVar[tuple[str, ...]] = ("needs",)

    def __call__(self, doc: Document) -> Document:
        return doc


class Gives:
    name: ClassVar[str] = "gives"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("turns",)
    assigns: ClassVar[tuple[str, ...]] = ("vectors",)

    def __call__(self, doc: Document) -> Document:
        doc.summary["gives"] = len(doc.turns)
        return doc


def test_order_is_checked_before_anything_runs() -> None:
    with pytest.raises(ReverieError) as err:
        Pipeline([Needs(), Gives()])
    assert err.value.code == "R403" and "needs requires vectors" in str(err.value)
    pipeline = Pipeline([Gives(), Needs()])
    doc = pipeline(Document((Turn(Speaker.CLIENT, "hello"),)))
    assert doc.summary["gives"] == 1 and {"turns", "vectors", "needs"} <= doc.assigned
    assert pipeline.versions == {"gives": "1", "needs": "1"}


def test_annotations_need_evidence_a_lens_and_a_probability() -> None:
    with pytest.raises(ValueError, match="evidence"):
        Annotation("affect", "joy", 0.5, "a", "1", ())
    with pytest.raises(ValueError, match="lens"):
        Annotation("mood", "joy", 0.5, "a", "1", (Span(0, 0, 1),))
    with pytest.raises(ValueError, match="probability"):
        Annotation("affect", "joy", 1.5, "a", "1", (Span(0, 0, 1),))


def test_focus_limits_annotation_to_the_row_not_its_context() -> None:
    doc = Document((Turn(Speaker.THERAPIST, "How was it?"), Turn(Speaker.CLIENT, "Fine.")), focus=range(1, 2))
    assert [i for i, _ in doc.focus_turns()] == [1]
    assert [i for i, _ in doc.focus_turns(Speaker.THERAPIST)] == []
