"""Affect: the 28 GoEmotions emotions of each turn, with valence and intensity.

The head is an MLP over the turn's sentence vector averaged with a bag-of-words model over its
text (``tools/train_affect.py``, GoEmotions train, thresholds on dev): the words add what the
shared encoder blurs without a second encoder pass. Valence follows the paper's sentiment grouping of the emotions, weighted by
their probabilities; intensity is the strongest non-neutral emotion, raised by intensifiers and
exclamation. VADER is never used for risk.
"""

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from reverie.analysis.document import Annotation, Document
from reverie.analysis.heads import affect_head
from reverie.analysis.matching import phrases, spans
from reverie.record import Speaker

if TYPE_CHECKING:
    from reverie.analysis.labelling import LabelResult

POSITIVE = frozenset({"admiration", "amusement", "approval", "caring", "desire", "excitement", "gratitude", "joy", "love", "optimism", "pride", "relief"})
NEGATIVE = frozenset({"anger", "annoyance", "disappointment", "disapproval", "disgust", "embarrassment", "fear", "grief", "nervousness", "remorse", "sadness"})
_INTENSIFIERS = phrases(["so", "really", "very", "completely", "totally", "absolutely", "utterly", "extremely", "fucking", "bloody", "so much", "can't stand", "hate"])


class Affect:
    name: ClassVar[str] = "affect"
    version: ClassVar[str] = "1.1"
    requires: ClassVar[tuple[str, ...]] = ("vectors",)
    assigns: ClassVar[tuple[str, ...]] = ("affect",)

    def __call__(self, doc: Document) -> Document:
        assert doc.vectors is not None
        model = affect_head()
        focus = [i for i, t in doc.focus_turns() if t.speaker is not Speaker.THERAPIST]
        if not focus:
            return doc
        probabilities = model.probabilities(doc.vectors[focus], [doc.turns[i].text for i in focus])
        valences = []
        for row, i in enumerate(focus):
            p = probabilities[row]
            text = doc.turns[i].text
            scores = dict(zip(model.labels, p.tolist(), strict=True))
            doc.score("emotion", i, scores)
            valence = sum(scores[e] for e in POSITIVE) - sum(scores[e] for e in NEGATIVE)
            valence = float(np.clip(valence, -1.0, 1.0))
            strongest = max((v for e, v in scores.items() if e != "neutral"), default=0.0)
            boost = 0.1 * min(3, len(spans(_INTENSIFIERS, text)) + text.count("!"))
            intensity = float(min(1.0, strongest + boost))
            valences.append(valence)
            for j, emotion in enumerate(model.labels):
                if emotion != "neutral" and p[j] >= model.thresholds[j]:
                    doc.annotations.append(
                        Annotation(
                            "affect",
                            emotion,
                            round(float(p[j]), 3),
                            self.name,
                            self.version,
                            (doc.whole(i),),
                            {"valence": round(valence, 3), "intensity": round(intensity, 3)},
                        )
                    )
        doc.summary["affect"] = {"mean_valence": round(float(np.mean(valences)), 3), "turns": len(focus)}
        return doc


def label_emotion(doc: Document, i: int) -> "LabelResult":
    from reverie.analysis.labelling import LabelResult

    scores = doc.scores.get("emotion", {}).get(i, {})
    model = affect_head()
    labels = [e for j, e in enumerate(model.labels) if scores.get(e, 0.0) >= model.thresholds[j]]
    if not labels:
        labels = [max(scores, key=lambda e: scores[e])] if scores else ["neutral"]
    return LabelResult(labels, scores)
