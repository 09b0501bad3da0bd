"""The questionnaires Reverie knows: their shape only (item count and answer range).

Item wording, scoring and severity bands live in ``insight.measures``; the record needs only
enough to refuse an answer that cannot belong to the instrument.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InstrumentShape:
    name: str
    items: int
    min_answer: int
    max_answer: int
    # 0-based index of an item whose answer above 0 must reach the clinician as a risk event
    # (PHQ-9 item 9: thoughts that you would be better off dead, or of hurting yourself).
    risk_item: int | None = None


INSTRUMENTS: dict[str, InstrumentShape] = {
    s.name: s
    for s in (
        InstrumentShape("phq9", 9, 0, 3, risk_item=8),
        InstrumentShape("gad7", 7, 0, 3),
        InstrumentShape("pcl5", 20, 0, 4),
    )
}
