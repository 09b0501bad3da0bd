import json

import pytest

from reverie.analysis.document import Annotation, Document
from reverie.analysis.labelling import Labeller, parse_row
from reverie.analysis.pipeline import Pipeline
from reverie.analysis.transference import KINDS, Transference, label_transference
from reverie.analysis.vectors import TurnVectors
from reverie.record import Speaker, Turn
from tests.analysis.conftest import DemoSession

PIPELINE = Pipeline([TurnVectors(), Transference()])


def turns(*pairs: tuple[str, str]) -> Document:
    return PIPELINE(Document(tuple(Turn(Speaker(speaker), text) for speaker, text in pairs)))


def client(text: str) -> Document:
    return turns(("client", text))


def found(doc: Document, i: int = 0) -> list[Annotation]:
    return [a for a in doc.found("therapy_relationship", "transference") if a.evidence[0].turn == i]


@pytest.mark.parametrize(
    ("text", "kind", "cue"),
    [
        ("You're probably bored of me by now.", "expectation", "You're probably bored"),
        ("I thought you'd be angry with me for cancelling.", "expectation", "I thought you'd"),
        ("You're a bit like my father, honestly.", "feeling", "You're a bit like my father"),
        ("Coming here feels like the only hour of the week that's mine.", "feeling", "Coming here feels"),
        ("I can tell you things here I can't tell anyone else.", "feeling", "I can tell you things"),
        ("I imagine you go home and forget all about us.", "fantasy", "I imagine you"),
        # texting style and non-native English
        ("ur probably sick of me lol", "expectation", "ur probably"),
        ("I am thinking you are bored with me, no?", "expectation", "you are bored"),
        # the therapist in the third person
        ("My therapist probably thinks I'm a mess.", "expectation", "My therapist probably thinks"),
    ],
)
def test_feelings_expectations_and_fantasies_about_the_therapist(text: str, kind: str, cue: str) -> None:
    doc = client(text)
    (annotation,) = found(doc)
    assert annotation.detail["kind"] == kind
    assert doc.quote(annotation.evidence[0]) == cue
    assert annotation.confidence >= Transference.threshold
    assert doc.scores["transference"][0]["transference"] == pytest.approx(annotation.confidence, abs=1e-3)


@pytest.mark.parametrize(
    "text",
    [
        # practical remarks about the frame
        "Can we move Thursday to five o'clock?",
        "I'll pay the invoice tomorrow, sorry.",
        "Is the heating broken in here? It's freezing.",
        # "you know", generic "you", farewells, reported speech
        "You know, my sister never calls me back.",
        "You just get used to it when you're a kid.",
        "See you next week.",
        'My mum said "I can\'t cope with you as well" and went upstairs.',
        # feelings about someone else
        "My boss is always looking at the clock when I talk.",
    ],
)
def test_practical_remarks_fillers_and_other_people_are_not_transference(text: str) -> None:
    doc = client(text)
    assert found(doc) == []
    assert doc.scores["transference"][0]["transference"] < Transference.threshold


def test_a_disclaimer_sets_the_therapist_aside_but_a_denied_feeling_still_counts() -> None:
    # "that's not about you" names the therapist only to exclude them
    assert found(client("Sorry, that's not about you, it's my boss.")) == []
    # "I'm not angry with you" is still a feeling about the therapist, voiced as a denial
    (denied,) = found(client("I'm not angry with you. I'm just tired."))
    assert denied.detail["kind"] == "feeling"


def test_the_therapists_previous_turn_is_read_as_context() -> None:
    answer = "I'm not cross. I'm just tired."
    after_relational = turns(("therapist", "You sound cross with me."), ("client", answer))
    after_small_talk = turns(("therapist", "How was the weekend?"), ("client", answer))
    (annotation,) = found(after_relational, 1)
    assert after_relational.quote(annotation.evidence[0]) == "cross"
    assert found(after_small_talk, 1) == []
    assert after_relational.scores["transference"][1]["transference"] > after_small_talk.scores["transference"][1]["transference"]


def test_only_client_turns_are_annotated() -> None:
    doc = turns(("therapist", "You're probably wondering why I asked."), ("client", "You're probably bored of me by now."))
    assert [a.evidence[0].turn for a in doc.found("therapy_relationship")] == [1]
    assert set(doc.scores["transference"]) == {1}
    assert doc.summary["transference"] == {"client_turns": 1, "turns": 1, "kinds": {"feeling": 0, "expectation": 1, "fantasy": 0}}


def test_evidence_offsets_point_into_the_original_text() -> None:
    text = "Honestly?  I was sure you\u2019d be cross with me. (pause) Sorry."
    doc = client(text)
    (annotation,) = found(doc)
    cue, sentence = annotation.evidence
    assert text[cue.start : cue.end] == "I was sure you\u2019d"
    assert text[sentence.start : sentence.end] == "I was sure you\u2019d be cross with me."
    for span in annotation.evidence:
        quote = doc.quote(span)
        assert quote and quote == quote.strip()


def test_detail_holds_labels_and_generic_reasons_never_the_clients_words() -> None:
    text = "I bet you've got a lovely house in Hampstead with a garden."
    (annotation,) = found(client(text))
    assert annotation.detail["kind"] in KINDS
    assert set(annotation.detail) == {"kind", "reason"}
    assert not {"hampstead", "garden", "lovely"} & set(annotation.detail["reason"].lower().split())


def test_label_transference_and_the_batch_labeller() -> None:
    doc = client("You must think I'm pathetic.")
    result = label_transference(doc, 0)
    assert result.labels == ["transference"] and result.extra == {"kind": "expectation"}
    assert result.scores["transference"] >= Transference.threshold
    negative = label_transference(client("Could I get a receipt for my insurance?"), 0)
    assert negative.labels == [] and negative.extra == {}

    lines = [
        json.dumps({"id": "a", "text": "Right. Fine. Off you go then.", "context": [{"speaker": "therapist", "text": "I'll be away for two weeks over Easter."}]}),
        json.dumps({"id": "b", "text": "Sorry I'm late, the train was stuck outside the station."}),
    ]
    out = Labeller("transference").label([parse_row(line, n, "transference") for n, line in enumerate(lines, 1)])
    assert [(row["id"], row["labels"]) for row in out] == [("a", ["transference"]), ("b", [])]
    assert out[0]["kind"] in KINDS and "kind" not in out[1]


def test_demo_transference_is_found_with_few_false_positives(demo_sessions: tuple[DemoSession, ...]) -> None:
    wanted: set[tuple[str, str, int]] = set()
    flagged: set[tuple[str, str, int]] = set()
    client_turns = 0
    for s in demo_sessions:
        wanted |= {(s.client, s.date, t["turn"]) for t in s.key.get("transference") or []}
        doc = Transference()(s.document())
        flagged |= {(s.client, s.date, a.evidence[0].turn + 1) for a in doc.found("therapy_relationship", "transference")}
        client_turns += sum(t.speaker is Speaker.CLIENT for t in s.session.turns)
    assert len(wanted) > 100
    recall = len(wanted & flagged) / len(wanted)
    false_positive_rate = len(flagged - wanted) / (client_turns - len(wanted))
    assert recall >= 0.8
    # measured 0.907 and 0.089; the key marks what the writers put there, not every relational remark
    assert false_positive_rate <= 0.12
