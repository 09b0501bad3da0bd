import json
from collections import Counter

import pytest

from reverie.analysis.document import Document
from reverie.analysis.interventions import LABELS, Interventions, label_intervention, overlap, session_summary
from reverie.analysis.labelling import Labeller, parse_row
from reverie.analysis.pipeline import Pipeline
from reverie.analysis.vectors import TurnVectors
from reverie.record import Speaker, Turn
from tests.analysis.conftest import DemoSession

PIPELINE = Pipeline([TurnVectors(), Interventions()])


def session(*pairs: tuple[str, str]) -> Document:
    return PIPELINE(Document(tuple(Turn(Speaker(speaker), text) for speaker, text in pairs)))


def therapist(text: str, after: str = "") -> tuple[str, str]:
    """The label of one therapist turn and the quote of its first evidence span."""
    pairs = ([("client", after)] if after else []) + [("therapist", text)]
    doc = session(*pairs)
    (annotation,) = doc.found("interventions")
    return annotation.label, doc.quote(annotation.evidence[0])


@pytest.mark.parametrize(
    ("after", "text", "label", "cue"),
    [
        ("I keep thinking about the old flat.", "What comes to mind about the flat?", "question", "What comes to mind"),
        ("My gran was the only one who visited.", "Tell me more about your grandmother.", "question", "Tell me more"),
        ("It was a strange kind of week.", "Say a bit more?", "question", "Say a bit more"),
        ("Nobody said a word to me the whole evening.", "You felt invisible.", "reflection", "You felt"),
        ("Nobody said a word to me the whole evening.", "Nobody said a word to you.", "reflection", "Nobody said a word to you."),
        ("Daniel just left for a fortnight, typical.", "I wonder if the anger at Daniel is also anger at me for the break.", "interpretation", "I wonder if"),
        ("I can't believe I forgot. I never forget.", "Perhaps forgetting was a way of not feeling how much you missed coming.", "interpretation", "a way of not"),
        ("My boss walked past and didn't even look at me.", "Like your dad on Sundays.", "interpretation", "Like your dad"),
        ("I haven't said anything to him.", "You should tell him how you feel.", "advice", "You should"),
        ("I never know what sets it off.", "Try writing your thoughts down when the panic starts.", "advice", "Try writing your thoughts down when the panic starts."),
        ("", "We have ten minutes left.", "information", "We have ten minutes left"),
        ("When are you back?", "I'll be away on the 16th, so there's no session that week.", "information", "I'll be away"),
        ("And so I just, I don't know.", "Mm.", "other", "Mm."),
        ("", "Hello, come in.", "other", "Hello"),
        ("Sorry, I need a second.", "Take your time.", "other", "Take your time."),
    ],
)
def test_each_therapist_turn_gets_one_intervention(after: str, text: str, label: str, cue: str) -> None:
    assert therapist(text, after) == (label, cue)


@pytest.mark.parametrize(
    ("after", "text", "label"),
    [
        # reassurance, not advice: "you don't need to"
        ("Sorry I'm so late, sorry.", "You don't need to apologise.", "other"),
        # reported advice given back, not the therapist's own
        ("My wife and my GP both said I should come.", "Your wife and your GP both thought you should come.", "reflection"),
        # an imperative made of the client's own words is an echo
        ("I just keep going as if nothing's happening.", "Keep going as if nothing's happening.", "reflection"),
        # a quoted instruction is someone else's words given back
        ("And Mum goes, you should look after yourself.", '"You should look after yourself."', "reflection"),
        # a farewell, not an instruction
        ("I'm off on Friday.", "Take care, see you next week.", "other"),
    ],
)
def test_negations_echoes_and_quotes_are_not_advice(after: str, text: str, label: str) -> None:
    assert therapist(text, after)[0] == label


def test_evidence_offsets_skip_stage_directions_and_point_into_the_original() -> None:
    text = "(laughs)  I wonder if that\u2019s familiar."
    doc = session(("client", "Nothing really."), ("therapist", text))
    (annotation,) = doc.found("interventions")
    assert annotation.label == "interpretation"
    cue = annotation.evidence[0]
    assert text[cue.start : cue.end] == "I wonder if"
    for span in annotation.evidence:
        quote = doc.quote(span)
        assert quote and quote == quote.strip()
    assert set(annotation.detail) == {"reason", "overlap"}


def test_only_therapist_turns_are_labelled_and_scores_are_a_distribution() -> None:
    doc = session(("client", "What should I do?"), ("therapist", "What comes to mind?"), ("client", "You should tell me."))
    assert [a.evidence[0].turn for a in doc.found("interventions")] == [1]
    scores = doc.scores["intervention"][1]
    assert set(scores) == set(LABELS) and sum(scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert max(scores, key=lambda k: scores[k]) == "question"


def test_overlap_measures_the_clients_words_in_the_therapists() -> None:
    assert overlap("Paid friendship.", "It's basically paid friendship, isn't it?") == 1.0
    assert overlap("What comes to mind?", "I had a dream about the sea.") == 0.0


def test_summary_of_a_psychodynamic_session() -> None:
    doc = session(
        ("therapist", "Hello, come in."),
        ("client", "I don't know where to start. It's been a weird week."),
        ("therapist", "A weird week."),
        ("client", "My dad cancelled again. It's fine."),
        ("therapist", "What was that like, when he cancelled?"),
        ("client", "Same as always. I just waited by the window."),
        ("therapist", "You waited by the window, like when you were nine."),
        ("client", "I suppose."),
        ("therapist", "I wonder if it's also how it felt when I was away last month."),
        ("client", "Maybe."),
        ("therapist", "Tell me more about the waiting."),
        ("client", "I'm not sure what to say."),
        ("therapist", "Mm."),
    )
    summary = doc.summary["interventions"]
    assert sum(summary["counts"].values()) == 7
    assert summary["counts"]["other"] == 2 and summary["turns"] == 5
    assert summary["counts"]["advice"] == summary["counts"]["information"] == 0
    assert summary["psychodynamic_share"] == 1.0 and summary["cbt_share"] == 0.0
    assert summary["leaning"] == "psychodynamic"


def test_summary_of_a_cbt_session() -> None:
    doc = session(
        ("therapist", "Let's set the agenda for today."),
        ("client", "Okay, the panic and the work stuff."),
        ("therapist", "Panic attacks usually peak within about ten minutes and then settle."),
        ("client", "It feels like forever."),
        ("therapist", "Next time, try slow breathing and notice the thought that comes."),
        ("client", "I can try that."),
        ("therapist", "What evidence do you have that you'll faint?"),
        ("client", "None really, I never have."),
        ("therapist", "For homework, keep a thought record every evening this week."),
        ("client", "Okay."),
        ("therapist", "We have ten minutes left."),
    )
    summary = doc.summary["interventions"]
    assert summary["counts"]["advice"] >= 3 and summary["counts"]["information"] >= 2
    assert summary["cbt_share"] >= 0.35
    assert summary["leaning"] == "cbt"


def test_session_summary_definition() -> None:
    counts = Counter({"question": 4, "reflection": 3, "interpretation": 1, "advice": 1, "information": 1, "other": 5})
    summary = session_summary(counts)
    assert summary == {
        "counts": {"question": 4, "reflection": 3, "interpretation": 1, "advice": 1, "information": 1, "other": 5},
        "psychodynamic_share": 0.8,
        "cbt_share": 0.2,
        "leaning": "psychodynamic",
        "turns": 10,
    }
    assert session_summary(Counter({"question": 3, "advice": 3, "information": 1}))["leaning"] == "cbt"
    assert session_summary(Counter({"question": 4, "reflection": 1, "advice": 2}))["leaning"] == "mixed"
    # too few turns to say; no division by zero
    assert session_summary(Counter({"other": 4}))["leaning"] == "mixed"
    assert session_summary(Counter({"question": 2}))["leaning"] == "mixed"
    assert session_summary({})["psychodynamic_share"] == 0.0
    assert json.loads(json.dumps(summary)) == summary


def test_label_intervention_and_the_batch_labeller() -> None:
    doc = session(("client", "I just snap at her."), ("therapist", "You could try counting to ten before you answer."))
    result = label_intervention(doc, 1)
    assert result.labels == ["advice"] and result.scores["advice"] > 0.5

    lines = [
        json.dumps({"id": "1", "text": "How old were you then?", "context": [{"speaker": "client", "text": "We moved after Grandad died."}]}),
        json.dumps({"id": "2", "text": "Sessions are fifty minutes."}),
        json.dumps({"id": "3", "text": "Mm-hm."}),
    ]
    out = Labeller("intervention").label([parse_row(line, n, "intervention") for n, line in enumerate(lines, 1)])
    assert [(row["id"], row["labels"]) for row in out] == [("1", ["question"]), ("2", ["information"]), ("3", ["other"])]


def test_demo_sessions_lean_psychodynamic(demo_sessions: tuple[DemoSession, ...]) -> None:
    total: Counter[str] = Counter()
    for s in demo_sessions:
        doc = Interventions()(s.document())
        summary = doc.summary["interventions"]
        therapist_turns = sum(t.speaker is Speaker.THERAPIST for t in s.session.turns)
        assert sum(summary["counts"].values()) == therapist_turns == len(doc.found("interventions"))
        assert summary["leaning"] == "psychodynamic", (s.client, s.date, summary)
        total.update(summary["counts"])
    # the demo therapist reflects, asks and interprets; advice is rare
    assert total["advice"] < 0.05 * sum(total.values())
    assert total["interpretation"] > total["advice"] + total["information"]
