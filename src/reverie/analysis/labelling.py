"""Batch labelling for researchers: one JSONL row in, one JSONL row out (DESIGN.md).

Input rows are ``{"id", "text", "speaker"?, "context"?}``; context turns are read but only the
row's own turn is labelled. Output rows are ``{"id", "task", "labels", "scores", ...}`` with
task-specific fields (``defenses`` for the defense task, ``flags`` for risk, ``people`` for
people). A malformed row gives a coded error with its line number and the rest go on.
"""

import importlib
import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reverie.analysis.document import Document
from reverie.analysis.labelsets import TASKS
from reverie.analysis.pipeline import Analyzer, Pipeline
from reverie.errors import ReverieError
from reverie.record import Speaker, Turn


@dataclass
class LabelResult:
    labels: list[str]
    scores: dict[str, float]
    extra: dict[str, Any] = field(default_factory=dict)


Extractor = Callable[[Document, int], LabelResult]

# task -> (module, names of the analyzer classes it needs after the vectors, extractor function)
_REGISTRY: dict[str, tuple[str, tuple[str, ...], str]] = {
    "emotion": ("reverie.analysis.affect", ("Affect",), "label_emotion"),
    "dream": ("reverie.analysis.fantasy", ("Dreams",), "label_dream"),
    "defense": ("reverie.analysis.defenses", ("Defenses",), "label_defense"),
    "resistance": ("reverie.analysis.resistance", ("Resistance",), "label_resistance"),
    "temporal": ("reverie.analysis.temporal", ("TemporalFocus",), "label_temporal"),
    "people": ("reverie.analysis.people", ("People",), "label_people"),
    "transference": ("reverie.analysis.transference", ("Transference",), "label_transference"),
    "intervention": ("reverie.analysis.interventions", ("Interventions",), "label_intervention"),
    "theme": ("reverie.analysis.themes", ("Themes",), "label_theme"),
    "risk": ("reverie.analysis.risk", ("Risk",), "label_risk"),
}


def available_tasks() -> list[str]:
    out = []
    for task, (module, _, _) in _REGISTRY.items():
        if importlib.util.find_spec(module) is not None:
            out.append(task)
    return out


class Labeller:
    """Labels rows for one task with the analyzers that task needs."""

    def __init__(self, task: str) -> None:
        if task not in _REGISTRY or task not in available_tasks():
            raise ReverieError("R405", f"there is no labelling task {task!r}", f"use one of {', '.join(available_tasks())}")
        from reverie.analysis.vectors import TurnVectors

        module_name, classes, extractor = _REGISTRY[task]
        module = importlib.import_module(module_name)
        analyzers: list[Analyzer] = [TurnVectors(), *(getattr(module, c)() for c in classes)]
        self.task = task
        self.pipeline = Pipeline(analyzers)
        self.extract: Extractor = getattr(module, extractor)

    def label(self, rows: list[tuple[str, Document]]) -> list[dict[str, Any]]:
        """Label a batch; vectors for all rows are computed together (much faster)."""
        from reverie.analysis.embed import shared_encoder

        if rows:
            flat = [t.text for _, doc in rows for t in doc.turns]
            vectors = shared_encoder().encode(flat)
            offset = 0
            for _, doc in rows:
                doc.vectors = vectors[offset : offset + len(doc.turns)]
                offset += len(doc.turns)
        out = []
        for row_id, doc in rows:
            doc = self.pipeline(doc)
            result = self.extract(doc, len(doc.turns) - 1)
            out.append({"id": row_id, "task": self.task, "labels": result.labels, "scores": result.scores, **result.extra})
        return out


def parse_row(line: str, number: int, task: str) -> tuple[str, Document]:
    """A JSONL line as (id, document); ``ReverieError`` R404 names the line and the fix."""

    def bad(problem: str, fix: str) -> ReverieError:
        return ReverieError("R404", f"line {number}: {problem}", fix)

    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise bad(f"invalid JSON ({exc.msg})", 'write one JSON object per line: {"id": "1", "text": "..."}') from None
    if not isinstance(row, dict):
        raise bad("the row is not a JSON object", 'write {"id": "1", "text": "..."}')
    row_id, text = row.get("id"), row.get("text")
    if not isinstance(row_id, str | int) or isinstance(row_id, bool) or str(row_id) == "":
        raise bad("missing 'id'", "give every row an id (a string or a number)")
    if not isinstance(text, str) or not text.strip():
        raise bad("missing or empty 'text'", "give the words to label in 'text'")
    default = TASKS[task].speaker
    speaker = _speaker(row.get("speaker", default), bad)
    turns: list[Turn] = []
    context = row.get("context", [])
    if not isinstance(context, list):
        raise bad("'context' is not a list", 'write context as [{"speaker": "therapist", "text": "..."}, ...], oldest first')
    for k, item in enumerate(context):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            raise bad(f"context[{k}] has no text", 'write each context turn as {"speaker": "...", "text": "..."}')
        turns.append(Turn(_speaker(item.get("speaker", "client"), bad), item["text"]))
    turns.append(Turn(speaker, text))
    return str(row_id), Document(tuple(turns), focus=range(len(turns) - 1, len(turns)))


def _speaker(value: Any, bad: Callable[[str, str], ReverieError]) -> Speaker:
    try:
        return Speaker(value)
    except ValueError:
        raise bad(f"speaker {value!r} is not client, therapist or companion", "use one of those, or leave speaker out") from None
