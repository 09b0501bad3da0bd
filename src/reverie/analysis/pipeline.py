"""Analyzers and the pipeline that runs them in a checked order (after spaCy's components)."""

from collections.abc import Sequence
from typing import ClassVar, Protocol, runtime_checkable

from reverie.analysis.document import Document
from reverie.errors import ReverieError


@runtime_checkable
class Analyzer(Protocol):
    """``name`` and ``version`` are stored with every result, so a changed analyzer re-runs."""

    name: ClassVar[str]
    version: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[tuple[str, ...]]

    def __call__(self, doc: Document) -> Document: ...


class Pipeline:
    def __init__(self, analyzers: Sequence[Analyzer]) -> None:
        available = {"turns"}
        for analyzer in analyzers:
            missing = [r for r in analyzer.requires if r not in available]
            if missing:
                raise ReverieError(
                    "R403",
                    f"analyzer {analyzer.name} requires {', '.join(missing)}, which nothing before it assigns",
                    "put the analyzer that assigns it earlier in the pipeline",
                )
            available.update(analyzer.assigns)
        self.analyzers = tuple(analyzers)

    @property
    def versions(self) -> dict[str, str]:
        return {a.name: a.version for a in self.analyzers}

    def __call__(self, doc: Document) -> Document:
        for analyzer in self.analyzers:
            doc = analyzer(doc)
            doc.assigned.update(analyzer.assigns)
        return doc
