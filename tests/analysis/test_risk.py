"""The risk lens against the developer-written crisis corpus, perturbations, and the demo case.

The corpus (tests/data/crisis.jsonl) is fictional and was written by the developers; the rules
were developed against it, so these tests are regression tests: they keep what was learnt.
How well the lens generalises is measured on the held-out bench/data/risk.dev.jsonl by
bench/analysis_quality.py, and reported in the README.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reverie.analysis.document import Document
from reverie.analysis.labelling import Labeller, parse_row
from reverie.analysis.risk import RANK, Risk, normalise
from reverie.record import Speaker, Turn
from tests.analysis.conftest import DemoSession

CORPUS = Path(__file__).resolve().parents[1] / "data" / "crisis.jsonl"


@cache
def corpus() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if not r["id"].startswith("_")]
    out = Labeller("risk").label([(r["id"], parse_row(json.dumps(r), n, "risk")[1]) for n, r in enumerate(rows, start=1)])
    return rows, out


def test_corpus_is_big_enough() -> None:
    rows, _ = corpus()
    levels = [r["labels"][0] for r in rows]
    assert sum(RANK[level] >= RANK["ideation"] for level in levels) >= 300
    assert levels.count("none") >= 150


def test_every_statement_at_ideation_or_above_is_caught() -> None:
    rows, out = corpus()
    missed = [r["text"] for r, o in zip(rows, out, strict=True) if RANK[r["labels"][0]] >= RANK["ideation"] and RANK[o["labels"][0]] < RANK["ideation"]]
    assert missed == []


def test_false_alarms_on_tricky_negatives_stay_under_five_percent() -> None:
    rows, out = corpus()
    negatives = [(r, o) for r, o in zip(rows, out, strict=True) if r["labels"][0] == "none"]
    alarms = [r["text"] for r, o in negatives if RANK[o["labels"][0]] >= RANK["ideation"]]
    assert len(alarms) / len(negatives) <= 0.05, alarms


def test_attempts_are_never_rated_below_behavior() -> None:
    rows, out = corpus()
    low = [r["text"] for r, o in zip(rows, out, strict=True) if r["labels"][0] == "attempt" and RANK[o["labels"][0]] < RANK["behavior"]]
    assert len(low) <= 0.1 * sum(r["labels"][0] == "attempt" for r in rows), low


def test_flags_for_harm_to_others_and_abuse() -> None:
    rows, out = corpus()
    for flag in ("harm_to_others", "abuse"):
        wanted = [o for r, o in zip(rows, out, strict=True) if flag in r.get("flags", [])]
        found = [o for o in wanted if flag in o["flags"]]
        assert len(found) >= 0.9 * len(wanted)
        unwanted = [r["text"] for r, o in zip(rows, out, strict=True) if flag in o["flags"] and flag not in r.get("flags", [])]
        assert len(unwanted) <= 2, unwanted


def level(text: str, context: tuple[Turn, ...] = ()) -> str:
    from reverie.analysis.vectors import TurnVectors

    doc = Document((*context, Turn(Speaker.CLIENT, text)), focus=range(len(context), len(context) + 1))
    doc = Risk()(TurnVectors()(doc))
    found = [a.label for a in doc.found("risk") if a.label in RANK]
    return max(found, key=RANK.__getitem__, default="none")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Everyone would be better off without me.", "ideation"),
        ("this commute is killing me", "none"),
        ("I'm not suicidal, I'm just tired of the night shifts.", "none"),
        ("My friend's brother tried to kill himself last year.", "none"),
        ("When I was fifteen I took an overdose. That was twenty years ago; I'm well now.", "indicator"),
        ("I bought a rope yesterday and I know which tree.", "behavior"),
        ("I took all the pills an hour ago.", "attempt"),
    ],
)
def test_examples_across_the_levels(text: str, expected: str) -> None:
    assert level(text) == expected


def test_a_plan_after_earlier_ideation_is_read_with_its_context() -> None:
    context = (Turn(Speaker.CLIENT, "I keep thinking about ending it."), Turn(Speaker.THERAPIST, "Have you done anything to prepare, or made any plans?"))
    assert RANK[level("I bought the rope on Saturday.", context)] >= RANK["behavior"]
    answer = (Turn(Speaker.THERAPIST, "How often do you find yourself wishing you were dead?"),)
    assert level("Pretty much every day, if I'm honest.", answer) == "ideation"


def test_normalisation_keeps_offsets_into_the_original() -> None:
    text = "i wnat to kms tonite"
    n = normalise(text)
    assert n.text == "i want to kill myself tonight"
    start = n.text.index("kill myself")
    a, b = n.span(start, start + len("kill myself"))
    assert text[a:b] == "kms"


def test_evidence_points_at_the_risk_words() -> None:
    from reverie.analysis.vectors import TurnVectors

    text = "Work was fine. Honestly I just want to die most days. Anyway."
    doc = Risk()(TurnVectors()(Document((Turn(Speaker.CLIENT, text),))))
    (found,) = [a for a in doc.found("risk") if a.label == "ideation"]
    assert "want to die" in doc.quote(found.evidence[0])
    assert not any(word in json.dumps(found.detail) for word in ("want", "die", "days"))


CRISIS = [
    "I want to kill myself tonight.",
    "Everyone would be better off if I was gone.",
    "I've been saving my tablets and I have enough now.",
    "I took all the pills about an hour ago.",
    "Sometimes I think it would be easier if I just didn't wake up.",
    "I wrote goodbye letters to my parents and my sister.",
    "I keep thinking about jumping off the bridge near my work.",
    "I cut myself again last night.",
]


def perturb(text: str, data: st.DataObject) -> str:
    kind = data.draw(st.sampled_from(["upper", "lower", "title", "punctuation", "spaces", "typo", "repeat"]))
    if kind == "upper":
        return text.upper()
    if kind == "lower":
        return text.lower()
    if kind == "title":
        return text.title()
    if kind == "punctuation":
        return data.draw(st.sampled_from(["", "!!!", "...", " :(", "?"])) + text.replace(".", data.draw(st.sampled_from(["", "!", " ..."])))
    if kind == "spaces":
        return "  " + text.replace(" ", data.draw(st.sampled_from(["  ", " \t", "\n"]))) + " "
    words = text.split(" ")
    candidates = [k for k, w in enumerate(words) if len(w.strip(".,!?")) >= 6]
    if not candidates:
        return text
    k = data.draw(st.sampled_from(candidates))
    word = words[k]
    if kind == "repeat":
        j = data.draw(st.integers(0, len(word) - 1))
        words[k] = word[:j] + word[j] * 3 + word[j + 1 :]
    else:  # swap two neighbouring letters inside the word, the commonest typo
        j = data.draw(st.integers(1, len(word.strip(".,!?")) - 3))
        words[k] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CRISIS), st.data())
def test_perturbations_never_lower_the_level(text: str, data: st.DataObject) -> None:
    original = level(text)
    assert RANK[original] >= RANK["ideation"]
    changed = perturb(text, data)
    assert RANK[level(changed)] >= RANK[original], changed


def test_demo_risk_statements(demo_sessions: tuple[DemoSession, ...]) -> None:
    """The key's ideation is found, and nothing in the case is raised to ideation wrongly."""
    wanted, found = set(), {}
    for s in demo_sessions:
        from reverie.analysis.risk import Risk as Lens

        doc = Lens()(s.document())
        for a in doc.found("risk"):
            if a.label in RANK:
                found[(s.client, s.date, a.evidence[0].turn + 1)] = a.label
        for r in s.key.get("risk") or []:
            if RANK[r["level"]] >= RANK["ideation"]:
                wanted.add((s.client, s.date, r["turn"]))
    assert wanted and all(RANK[found.get(k, "none")] >= RANK["ideation"] for k in wanted)
    raised = {k for k, v in found.items() if RANK[v] >= RANK["ideation"]}
    assert raised <= wanted | {(c, d, t) for c, d, t in raised if (c, d) == ("maya", "2026-01-15")}, raised - wanted


def test_abuse_long_past_is_history_not_a_flag() -> None:
    from reverie.analysis.vectors import TurnVectors

    def flags(text: str) -> set[str]:
        doc = Risk()(TurnVectors()(Document((Turn(Speaker.CLIENT, text),))))
        return {f for a in doc.found("risk") for f in a.detail.get("flags", ())}

    assert flags("It's history, thirty years ago. He hit me with the belt when I answered back.") == set()
    assert flags("He hit me again last night when he came in drunk.") == {"abuse"}
