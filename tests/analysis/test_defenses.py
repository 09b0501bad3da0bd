import json
from collections import defaultdict
from itertools import pairwise

import pytest

from reverie.analysis.defenses import REASONS, Defenses, label_defense, odf_summary
from reverie.analysis.document import Annotation, Document
from reverie.analysis.labelling import Labeller, parse_row
from reverie.analysis.labelsets import DEFENSE_LEVEL, DMRS_LEVELS
from reverie.analysis.pipeline import Pipeline
from reverie.analysis.vectors import TurnVectors
from reverie.record import Speaker, Turn
from tests.analysis.conftest import DemoSession

PIPELINE = Pipeline([TurnVectors(), Defenses()])


def turns(*pairs: tuple[str, str]) -> Document:
    return PIPELINE(Document(tuple(Turn(Speaker(speaker), text) for speaker, text in pairs)))


def client(text: str) -> Document:
    return turns(("client", text))


def found(doc: Document, i: int = 0) -> list[Annotation]:
    return [a for a in doc.found("avoidance") if a.analyzer == "defenses" and a.evidence[0].turn == i]


@pytest.mark.parametrize(
    ("text", "defense", "cue"),
    [
        ("After she dumped me I went straight to the pub and drank until closing.", "acting_out", "went straight to the pub"),
        ("My husband asked me to book the holiday. Funny how I keep forgetting.", "passive_aggression", "Funny how I keep forgetting"),
        ("Nothing works for me, I've tried everything, so what's the point.", "help_rejecting_complaining", "Nothing works"),
        ("I'm either brilliant at my job or a total fraud, there's no in between.", "splitting_of_self_image", "I'm either"),
        ("The divorce doesn't bother me at all. It's just paperwork.", "denial", "It's just paperwork"),
        ("You're probably sick of me by now, I can tell.", "projection", "You're probably sick of"),
        ("I only shouted because the kids need to learn, it's for their own good.", "rationalization", "for their own good"),
        ("I spend hours every night imagining a different life in Canada.", "autistic_fantasy", "spend hours every night imagining"),
        ("I don't need anyone's help, I've always handled everything myself.", "omnipotence", "I don't need anyone"),
        ("My manager's an idiot, he couldn't run a bath.", "devaluation_of_object_image", "My manager's an idiot"),
        ("I'm such an idiot, I mess up everything.", "devaluation_of_self_image", "I'm such an idiot"),
        ("She's perfect, honestly, she's never done a single thing wrong.", "idealization_of_object_image", "She's perfect"),
        ("I can't remember anything about that year, it's just blank.", "repression", "I can't remember anything"),
        ("When he started yelling it felt like I was floating above my body.", "dissociation", "felt like I was floating"),
        ("My boss humiliated me so I came home and yelled at the kids over nothing.", "displacement", "came home and yelled"),
        ("Cortisol, adrenaline, it's just chemistry really.", "intellectualization", "Cortisol"),
        ("My sister can be so selfish. Sorry, that's not fair, she's been great.", "undoing", "Sorry, that's not fair"),
        ("I've noticed that I go quiet whenever I feel criticised.", "self_observation", "I've noticed that"),
        ("I told my dad calmly that I felt hurt when he cancelled.", "self_assertion", "I told my dad calmly that I felt"),
        ("I was scared about the scan, but I decided I'll deal with it on Thursday, not now.", "suppression", "I'll deal with it on"),
        # texting style and non-native English
        ("im fine tbh idc", "denial", "idc"),
        ("i am not need nobody to tell me how to do my job", "omnipotence", "i am not need nobody"),
        ("my boss is useless tbh, hes such a joke lol", "devaluation_of_object_image", "my boss is useless"),
    ],
)
def test_each_defense_is_found_with_its_cue_as_evidence(text: str, defense: str, cue: str) -> None:
    doc = client(text)
    annotations = found(doc)
    assert [a.label for a in annotations] == [defense]
    (annotation,) = annotations
    assert doc.quote(annotation.evidence[0]) == cue
    assert annotation.lens == "avoidance"
    assert annotation.detail == {"level": DEFENSE_LEVEL[defense], "reason": REASONS[defense]}
    result = label_defense(doc, 0)
    assert result.labels == [str(DEFENSE_LEVEL[defense])]
    assert result.extra == {"defenses": [defense]}


@pytest.mark.parametrize(
    "text",
    [
        # feelings owned plainly: no defense, and not level 7 either
        "My mum's operation is on Thursday and I'm scared about it.",
        "I was angry at my sister when she cancelled again, and I'm still a bit angry.",
        "We went to my in-laws for the weekend and it rained the whole time, so we mostly stayed in.",
        # idioms
        "I nearly died laughing at the film on Saturday night with my friends and it was great.",
        "We had perfect timing, the train came just as we got there and we found seats.",
        # negation: the cue is there, but denied
        "I don't think my boss is an idiot, we just disagree about the rota sometimes.",
        # reported speech is not the speaker's own defense
        'I said "It\'s fine, honestly" to the waiter and we ordered the pasta instead.',
    ],
)
def test_no_defense_where_there_is_none(text: str) -> None:
    doc = client(text)
    assert found(doc) == []
    result = label_defense(doc, 0)
    assert result.labels == ["0"]
    assert result.extra == {"defenses": []}


@pytest.mark.parametrize("text", ["yeah", "mm", "I guess so.", "so then she—"])
def test_short_or_broken_turns_need_more_information(text: str) -> None:
    doc = client(text)
    assert found(doc) == []
    assert label_defense(doc, 0).labels == ["8"]


def test_scores_cover_the_nine_levels_and_agree_with_the_label() -> None:
    doc = client("The divorce doesn't bother me at all. It's just paperwork.")
    scores = doc.scores["defense"][0]
    assert list(scores) == list(DMRS_LEVELS)
    assert sum(scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert max(scores, key=lambda k: scores[k]) == "3"


def test_evidence_offsets_point_into_the_original_text_with_curly_quotes_and_stage_directions() -> None:
    text = "(pause) Honestly\u2026 I\u2019m fine, honestly. It doesn\u2019t bother me."
    doc = client(text)
    (annotation,) = found(doc)
    first = annotation.evidence[0]
    assert annotation.label == "denial"
    assert text[first.start : first.end] == "I\u2019m fine, honestly"
    for span in annotation.evidence:
        quoted = doc.quote(span)
        assert quoted and quoted == quoted.strip()


def test_observing_ones_own_defense_is_self_observation_not_the_defense() -> None:
    doc = client('I can hear myself doing it, the "it\'s fine" voice. It does bother me.')
    assert [a.label for a in found(doc)] == ["self_observation"]


def test_only_client_turns_are_rated_and_context_is_read() -> None:
    doc = turns(
        ("therapist", "You're probably sick of me by now."),
        ("client", "She took credit for my design in front of the partners."),
        ("client", "So I made sure she got the first coffee and I made a point of congratulating her."),
    )
    assert found(doc, 0) == []
    assert 0 not in doc.scores["defense"]
    # the hostility two turns earlier is the context that makes this reaction formation
    assert [a.label for a in found(doc, 2)] == ["reaction_formation"]


def test_detail_never_holds_the_clients_words() -> None:
    doc = client("My manager's an idiot, he couldn't run a bath, and I don't need anyone's help anyway.")
    for annotation in found(doc):
        stored = json.dumps(dict(annotation.detail))
        assert "manager" not in stored and "idiot" not in stored and "bath" not in stored


def test_odf_is_the_mean_level_of_every_defense_found() -> None:
    doc = turns(
        ("client", "I don't need anyone's help, I've always handled everything myself."),
        ("therapist", "Mm."),
        ("client", "Nothing works for me, I've tried everything, so what's the point."),
        ("client", "I've noticed that I go quiet whenever I feel criticised."),
    )
    summary = doc.summary["defenses"]
    assert summary["n"] == 3
    assert summary["odf"] == pytest.approx((4 + 1 + 7) / 3, abs=1e-3)
    assert summary["levels"] == {"1": pytest.approx(1 / 3, abs=1e-3), "4": pytest.approx(1 / 3, abs=1e-3), "7": pytest.approx(1 / 3, abs=1e-3)}
    assert odf_summary([]) == {"odf": None, "n": 0, "levels": {}}
    assert client("My brother moved to Canada in June and I miss him a lot.").summary["defenses"]["odf"] is None


def test_the_labeller_gives_a_level_scores_and_names() -> None:
    line = json.dumps({"id": "r1", "text": "It doesn't bother me, honestly. It's just paperwork.", "context": [{"speaker": "therapist", "text": "How was signing the divorce papers?"}]})
    (row,) = Labeller("defense").label([parse_row(line, 1, "defense")])
    assert row["id"] == "r1" and row["task"] == "defense"
    assert row["labels"] == ["3"]
    assert set(row["scores"]) == set(DMRS_LEVELS)
    assert row["defenses"] == ["denial"]


def test_demo_recall_and_odf_rising_over_maya_s_months(demo_sessions: tuple[DemoSession, ...]) -> None:
    pipeline = Pipeline([TurnVectors(), Defenses()])
    total = hit = exact = same_level = 0
    levels_by_month: dict[str, list[int]] = defaultdict(list)
    for demo in demo_sessions:
        doc = pipeline(demo.document())
        by_turn: dict[int, list[Annotation]] = defaultdict(list)
        for annotation in doc.found("avoidance"):
            by_turn[annotation.evidence[0].turn].append(annotation)
            for span in annotation.evidence:
                assert doc.quote(span) and doc.quote(span) == doc.quote(span).strip()
        for item in demo.key.get("defenses", []):
            got = by_turn.get(item["turn"] - 1, [])
            total += 1
            hit += bool(got)
            exact += any(a.label == item["name"] for a in got)
            same_level += any(a.detail["level"] == item["level"] for a in got)
        if demo.client == "maya":
            levels_by_month[demo.date[:7]].extend(a.detail["level"] for a in doc.found("avoidance"))
    assert total > 200
    assert hit / total >= 0.8
    assert exact / total >= 0.7
    assert same_level / total >= 0.7
    odf = [sum(v) / len(v) for _, v in sorted(levels_by_month.items())]
    assert len(odf) == 7  # January to July
    assert odf[-1] - odf[0] >= 1.5
    assert all(later > earlier - 0.15 for earlier, later in pairwise(odf))
