"""The document the analyzers read and annotate: a sequence of turns plus what was found in them."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reverie.record import Session, Speaker, Turn

# Lenses of DESIGN.md, plus the two that run on every turn.
LENSES = ("affect", "avoidance", "patterns", "past", "relationships", "therapy_relationship", "fantasy", "interventions", "risk")


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of turn ``turn`` (its index in the document)."""

    turn: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Annotation:
    """One finding: a hypothesis for the clinician, never a verdict, always with its evidence."""

    lens: str
    label: str
    confidence: float
    analyzer: str
    version: str
    evidence: tuple[Span, ...]
    detail: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.lens not in LENSES:
            raise ValueError(f"unknown lens {self.lens!r}")
        if not self.evidence:
            raise ValueError("an annotation needs evidence")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError("confidence is a probability")


@dataclass
class Document:
    """Turns to analyse; ``focus`` limits which turns are annotated (the rest is context).

    For a session the whole transcript is in focus; for one row of ``reverie label`` only the
    last turn is, and the earlier turns are read as its context.
    """

    turns: tuple[Turn, ...]
    session: Session | None = None
    focus: range | None = None
    vectors: np.ndarray | None = None
    annotations: list[Annotation] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    # Per task, per turn index, the score of every label: what `reverie label` reports. Not stored.
    scores: dict[str, dict[int, dict[str, float]]] = field(default_factory=dict)
    assigned: set[str] = field(default_factory=lambda: {"turns"})

    @property
    def in_focus(self) -> range:
        return self.focus if self.focus is not None else range(len(self.turns))

    def focus_turns(self, speaker: Speaker | None = None) -> Iterator[tuple[int, Turn]]:
        for i in self.in_focus:
            if speaker is None or self.turns[i].speaker is speaker:
                yield i, self.turns[i]

    def quote(self, span: Span) -> str:
        return self.turns[span.turn].text[span.start : span.end]

    def whole(self, i: int) -> Span:
        return Span(i, 0, len(self.turns[i].text))

    def score(self, task: str, turn: int, values: Mapping[str, float]) -> None:
        self.scores.setdefault(task, {})[turn] = {k: round(float(v), 4) for k, v in values.items()}

    def found(self, lens: str, label: str | None = None) -> list[Annotation]:
        return [a for a in self.annotations if a.lens == lens and (label is None or a.label == label)]
