"""The labelling tasks of ``reverie label`` and the label sets the analyzers share.

DESIGN.md fixes the first seven; ``theme``, ``people`` and ``resistance`` are Reverie's own
additions for researchers coding those lenses. The same definitions drive the dev sets in
``bench/data`` and the seed sets the heads are trained on.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOEMOTIONS = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion", "curiosity", "desire",
    "disappointment", "disapproval", "disgust", "embarrassment", "excitement", "fear", "gratitude", "grief", "joy",
    "love", "nervousness", "optimism", "pride", "realization", "relief", "remorse", "sadness", "surprise", "neutral",
)  # fmt: skip

DMRS_LEVELS = ("0", "1", "2", "3", "4", "5", "6", "7", "8")
DEFENSE_LEVEL: dict[str, int] = {
    **dict.fromkeys(("affiliation", "altruism", "anticipation", "humor", "self_assertion", "self_observation", "sublimation", "suppression"), 7),
    **dict.fromkeys(("isolation_of_affect", "intellectualization", "undoing"), 6),
    **dict.fromkeys(("repression", "dissociation", "reaction_formation", "displacement"), 5),
    **dict.fromkeys(("omnipotence", "idealization_of_self_image", "idealization_of_object_image", "devaluation_of_self_image", "devaluation_of_object_image"), 4),
    **dict.fromkeys(("denial", "projection", "rationalization", "autistic_fantasy"), 3),
    **dict.fromkeys(("splitting_of_self_image", "splitting_of_object_image", "projective_identification"), 2),
    **dict.fromkeys(("acting_out", "passive_aggression", "help_rejecting_complaining"), 1),
}
THEMES = ("family", "partner", "work", "body", "loss", "self_worth", "sexuality", "money", "friendship", "therapy")
ROLES = ("mother", "father", "parent", "sibling", "partner", "ex_partner", "child", "grandparent", "other_family", "friend", "boss", "colleague", "therapist", "other")
RISK_LEVELS = ("none", "indicator", "ideation", "behavior", "attempt")


@dataclass(frozen=True)
class TaskSpec:
    name: str
    labels: tuple[str, ...]
    multi_label: bool
    files: str  # seed and dev files are named FILES*.seed.jsonl / FILES*.dev.jsonl
    speaker: str = "client"
    head: tuple[str, ...] | None = None  # labels of the trained head, when they differ

    @property
    def head_labels(self) -> tuple[str, ...]:
        return self.head or self.labels


TASKS: dict[str, TaskSpec] = {
    t.name: t
    for t in (
        TaskSpec("emotion", GOEMOTIONS, True, "emotion"),
        TaskSpec("defense", DMRS_LEVELS, False, "defense"),
        TaskSpec("risk", RISK_LEVELS, False, "risk"),
        TaskSpec("dream", ("dream",), True, "dream"),
        TaskSpec("temporal", ("childhood", "past", "present", "future"), False, "temporal"),
        TaskSpec("transference", ("transference",), True, "transference"),
        TaskSpec("intervention", ("question", "reflection", "interpretation", "advice", "information", "other"), False, "intervention", speaker="therapist"),
        TaskSpec("theme", THEMES, True, "theme"),
        TaskSpec("people", ROLES, True, "people"),
        TaskSpec("resistance", ("topic_shift", "minimising", "dont_know", "deflecting_question", "intellectualising", "none"), False, "resistance"),
    )
}


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a seed or dev file; ids starting with '_' are notes, not data."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if not str(row.get("id", "")).startswith("_"):
                rows.append(row)
    return rows
