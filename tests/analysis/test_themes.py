import pytest

from reverie.analysis import themes
from reverie.analysis.document import Document
from reverie.analysis.labelling import Labeller, parse_row
from reverie.analysis.labelsets import THEMES
from reverie.analysis.people import People
from reverie.analysis.pipeline import Pipeline
from reverie.analysis.themes import Themes, keyword_spans
from reverie.analysis.vectors import TurnVectors
from reverie.record import Speaker, Turn
from tests.analysis.conftest import DemoSession

PIPELINE = Pipeline([TurnVectors(), Themes()])


def run(*texts: str) -> Document:
    """Turns alternate client, therapist, client, ..."""
    turns = tuple(Turn(Speaker.CLIENT if k % 2 == 0 else Speaker.THERAPIST, t) for k, t in enumerate(texts))
    return PIPELINE(Document(turns))


def found(doc: Document, turn: int = -1) -> dict[str, str]:
    """Theme -> quoted first evidence, for one turn."""
    turn = turn % len(doc.turns)
    return {a.label: doc.quote(a.evidence[0]) for a in doc.found("patterns") if a.evidence[0].turn == turn}


@pytest.mark.parametrize(
    ("text", "theme", "keyword"),
    [
        ("I'm three months behind on rent.", "money", "rent"),
        ("We haven't had sex in over a year.", "sexuality", "sex"),
        ("I got the diagnosis last week. It's MS.", "body", "diagnosis"),
        ("It's been a year since the miscarriage.", "loss", "miscarriage"),
        ("I'm such an idiot, I always mess things up.", "self_worth", "I'm such an idiot"),
        ("I got passed over for promotion again.", "work", "promotion"),
        ("We had a falling-out in the group chat and nobody invites me now.", "friendship", "group chat"),
        ("I'm not sure this therapy is helping.", "therapy", "therapy"),
        ("Every family dinner ends with shouting.", "family", "family"),
        ("We've been together eight years and he won't talk about getting married.", "partner", "been together"),
    ],
)
def test_keywords_give_the_theme_with_their_span(text: str, theme: str, keyword: str) -> None:
    assert found(run(text))[theme] == keyword


def test_several_themes_at_once() -> None:
    assert set(found(run("My wife and I argue about money constantly."))) >= {"partner", "money"}
    assert set(found(run("I lost my job the same week my nan died."))) >= {"work", "loss", "family"}


def test_people_count_for_their_domain() -> None:
    assert found(run("It annoys me when you go quiet."))["therapy"] == "you"
    assert found(run("My mate Dave said I should talk to someone."))["friendship"].startswith("My mate")
    assert "work" in found(run("My line manager gave my project to someone else."))


@pytest.mark.parametrize(
    ("text", "not_theme"),
    [
        ("This job is killing me, honestly.", "loss"),
        ("I nearly died when I saw the time.", "loss"),
        ("I'm sick of being the one who organises everything.", "body"),
        ("I spent the weekend repainting the spare room.", "money"),
        ("It was worth it in the end.", "self_worth"),
        ("I need to work out what I actually want.", "work"),
        ("The chimney was coming out of the side of the drawing.", "sexuality"),
        ("I feel so lost at the moment.", "loss"),
        ("I just needed to get it off my chest.", "body"),
    ],
)
def test_idioms_do_not_count(text: str, not_theme: str) -> None:
    assert not_theme not in keyword_spans(text)


def test_a_negated_domain_is_still_the_domain() -> None:
    # Themes are what a turn is about: "I'm not worried about money" is about money.
    assert "money" in found(run("I'm not worried about money, it's not that."))


def test_evidence_is_the_keyword_then_its_sentence() -> None:
    text = "Honestly? It\u2019s fine. The bills are piling up on the table."
    doc = run(text)
    (money,) = doc.found("patterns", "money")
    assert [doc.quote(s) for s in money.evidence] == ["bills", "The bills are piling up on the table."]
    assert money.detail == {"source": "keyword"}


def test_therapist_turns_are_context_only_and_the_summary_counts() -> None:
    doc = run("My rent went up again.", "How is work?", "Work is fine, it's my mum I worry about.")
    assert {a.evidence[0].turn for a in doc.found("patterns")} == {0, 2}
    assert doc.summary["themes"]["money"] == 1 and doc.summary["themes"]["work"] == 1 and doc.summary["themes"]["family"] == 1
    assert set(doc.summary["themes"]) == set(THEMES)


def test_without_a_trained_head_the_keywords_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(themes, "_head", lambda: None)
    doc = run("My boyfriend checks my phone when I'm in the shower.")
    assert set(found(doc)) == {"partner"}
    assert all(a.detail["source"] == "keyword" for a in doc.found("patterns"))


def test_uses_the_people_lens_when_it_has_run() -> None:
    turns = (Turn(Speaker.CLIENT, "Daniel forgot my birthday dinner."),)
    alone = Pipeline([TurnVectors(), Themes()])(Document(turns))
    with_people = Pipeline([TurnVectors(), People({"Daniel": "partner"}), Themes()])(Document(turns))
    assert "partner" not in found(alone) or found(alone)["partner"] != "Daniel"
    assert found(with_people)["partner"] == "Daniel"


def test_labelling_rows() -> None:
    lines = [
        '{"id": "1", "text": "I owe my best mate two hundred quid and I have been avoiding him."}',
        '{"id": "2", "text": "The traffic this morning was unbelievable."}',
    ]
    out = Labeller("theme").label([parse_row(line, n, "theme") for n, line in enumerate(lines, 1)])
    assert out[0]["labels"] == ["money", "friendship"]  # in the order of the label set
    assert out[1]["labels"] == []
    assert set(out[0]["scores"]) == set(THEMES)
    assert out[1]["scores"]["money"] < 0.5


def test_demo_themes(demo_sessions: tuple[DemoSession, ...]) -> None:
    (first,) = [s for s in demo_sessions if s.client == "maya" and s.date == "2026-01-08"]
    doc = Pipeline([TurnVectors(), People(), Themes()])(first.document())
    counts = doc.summary["themes"]
    # the first session: sleep and tiredness, work, Daniel, her family, and the therapy itself
    assert counts["body"] >= 3 and counts["work"] >= 3 and counts["family"] >= 3 and counts["therapy"] >= 3
    assert counts["partner"] >= 1
    assert counts["sexuality"] == 0
    for a in doc.found("patterns"):
        for span in a.evidence:
            quoted = doc.quote(span)
            assert quoted and quoted == quoted.strip()
