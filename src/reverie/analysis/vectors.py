"""The first analyzer: a sentence vector per turn, which every lens after it may read."""

from typing import ClassVar

from reverie.analysis.document import Document
from reverie.analysis.embed import MODEL_ID, shared_encoder


class TurnVectors:
    name: ClassVar[str] = "vectors"
    version: ClassVar[str] = MODEL_ID
    requires: ClassVar[tuple[str, ...]] = ("turns",)
    assigns: ClassVar[tuple[str, ...]] = ("vectors",)

    def __call__(self, doc: Document) -> Document:
        # Vectors may arrive from the store's cache; only encode when they are missing.
        if doc.vectors is None or len(doc.vectors) != len(doc.turns):
            doc.vectors = shared_encoder().encode([t.text for t in doc.turns])
        return doc
