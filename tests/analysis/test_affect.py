from reverie.analysis.affect import Affect
from reverie.analysis.document import Document
from reverie.analysis.heads import affect_head
from reverie.analysis.pipeline import Pipeline
from reverie.analysis.vectors import TurnVectors
from reverie.record import Speaker, Turn

PIPELINE = Pipeline([TurnVectors(), Affect()])


def test_emotions_valence_and_intensity() -> None:
    doc = PIPELINE(
        Document(
            (
                Turn(Speaker.CLIENT, "Thank you so much, that really helped, I'm so grateful."),
                Turn(Speaker.THERAPIST, "I'm glad."),
                Turn(Speaker.CLIENT, "I'm furious with him. He lied to me again and I hate it."),
            )
        )
    )
    first = {a.label for a in doc.annotations if a.evidence[0].turn == 0}
    third = {a.label for a in doc.annotations if a.evidence[0].turn == 2}
    assert "gratitude" in first
    assert third & {"anger", "annoyance", "disapproval"}
    assert not [a for a in doc.annotations if a.evidence[0].turn == 1], "therapist turns are not read for affect"
    valence = {a.evidence[0].turn: a.detail["valence"] for a in doc.annotations}
    assert valence[0] > 0.3 and valence[2] < -0.3
    assert all(0 <= a.detail["intensity"] <= 1 for a in doc.annotations)
    assert set(doc.scores["emotion"][0]) == set(affect_head().labels)


def test_shipped_head_matches_its_recorded_metrics() -> None:
    import json

    from reverie.analysis.heads import MODELS

    meta = json.loads((MODELS / "affect_head.json").read_text(encoding="utf-8"))
    assert meta["dev_macro_f1_thresholds_on_dev"] >= 0.46
    assert meta["dev_macro_f1_thresholds_cross_half"] >= 0.44
    assert len(affect_head().labels) == 28
