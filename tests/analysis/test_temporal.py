import pytest

from reverie.analysis.document import Document
from reverie.analysis.labelling import Labeller, parse_row
from reverie.analysis.pipeline import Pipeline
from reverie.analysis.temporal import FIGURES, LABELS, TemporalFocus, read_time
from reverie.analysis.vectors import TurnVectors
from reverie.record import Speaker, Turn
from tests.analysis.conftest import DemoSession

PIPELINE = Pipeline([TurnVectors(), TemporalFocus()])


def run(*texts: str) -> Document:
    """Turns alternate client, therapist, client, ...; the whole document is in focus."""
    turns = tuple(Turn(Speaker.CLIENT if k % 2 == 0 else Speaker.THERAPIST, t) for k, t in enumerate(texts))
    return PIPELINE(Document(turns))


def focus_of(doc: Document, i: int = -1) -> tuple[str, str]:
    """(label, quoted evidence) of the temporal annotation of turn ``i``."""
    i = i % len(doc.turns)
    (found,) = [a for a in doc.found("past") if a.label in LABELS and a.evidence[0].turn == i]
    return found.label, doc.quote(found.evidence[0])


@pytest.mark.parametrize(
    ("text", "label", "cue"),
    [
        ("When I was seven my mum used to lock the bathroom door and cry.", "childhood", "When I was seven"),
        ("At primary school I was always the last one picked for anything.", "childhood", "primary school"),
        ("i was like 8 and my dad just didnt come", "childhood", "i was like 8"),
        ("Growing up, nobody in our house ever said sorry.", "childhood", "Growing up"),
        ("Last year I was made redundant and I spent months in the flat.", "past", "Last year"),
        ("When I was twenty-five I got engaged to a man I barely knew.", "past", "When I was twenty-five"),
        ("Three years ago my dad died and I went straight back to work.", "past", "Three years ago"),
        ("Next week I'm telling my sister how I feel.", "future", "Next week"),
        ("I'm going to ring my dad this weekend, I think.", "future", "I'm going to"),
        ("Right now I feel a bit shaky, talking about this.", "present", "Right now"),
    ],
)
def test_time_expressions_decide_and_are_the_evidence(text: str, label: str, cue: str) -> None:
    assert focus_of(run(text)) == (label, cue)


def test_present_tense_narration_of_a_childhood_scene() -> None:
    label, cue = focus_of(run("I'm nine, and I'm standing at the front window with my drawings, and his car doesn't come."))
    assert (label, cue) == ("childhood", "I'm nine")


@pytest.mark.parametrize(
    ("text", "not_label"),
    [
        ("I'm used to it by now, it's just how things are with him.", "past"),  # "used to" is not a past habit here
        ("I'll be honest, I'm exhausted at the moment.", "future"),  # a discourse marker, not a plan
        ("I was ten minutes late today and I hated walking in.", "childhood"),  # "ten" is not an age
        ("I'm 29 and I still can't ring the bank without panicking.", "childhood"),  # a present age
    ],
)
def test_idioms_and_non_ages_are_not_cues(text: str, not_label: str) -> None:
    assert not_label not in {c.label for c in read_time(text).cues}
    assert focus_of(run(text))[0] != not_label


def test_a_scene_without_its_own_cue_continues_the_childhood_before_it() -> None:
    doc = run(
        "When I was nine my dad left, on a Saturday in the spring.",
        "What do you remember of that morning?",
        "He packed the car and crouched down in front of me in the hall, and I said okay.",
    )
    assert focus_of(doc) == ("childhood", "He packed")
    assert doc.found("past", "childhood")[-1].detail["cue"] == "continues the scene before"


def test_that_summer_belongs_to_the_childhood_being_told() -> None:
    doc = run("When I was ten my parents split up.", "Mm.", "I went to my gran's that summer and she let me help in the garden.")
    assert focus_of(doc) == ("childhood", "that summer")


def test_a_clear_present_cue_ends_the_story() -> None:
    doc = run("When I was nine my dad left.", "And now?", "These days I hardly think about him.")
    assert focus_of(doc) == ("present", "These days")


def test_early_figures_in_childhood_material() -> None:
    doc = run("When I was little my mum used to brush my hair too hard, and Gran would tell her to stop. My teacher noticed the bruises.")
    figures = {a.detail["role"]: doc.quote(a.evidence[0]) for a in doc.found("past", "early_figure")}
    assert figures == {"mother": "my mum", "grandparent": "Gran", "teacher": "My teacher"}
    assert all(set(a.detail) == {"role"} and a.detail["role"] in FIGURES for a in doc.found("past", "early_figure"))


def test_early_figures_named_earlier_in_the_session() -> None:
    doc = run("My mum, Carol, lives in Leicester now.", "And when you were small?", "When I was six Carol was in bed most of the time.")
    (figure,) = [a for a in doc.found("past", "early_figure") if a.evidence[0].turn == 2]
    assert (figure.detail["role"], doc.quote(figure.evidence[0])) == ("mother", "Carol")


def test_no_early_figure_outside_childhood() -> None:
    doc = run("My mum rings me every day and I dread it. My brother never does.")
    assert focus_of(doc)[0] == "present"
    assert doc.found("past", "early_figure") == []


def test_stepparents_and_carers_are_caregivers() -> None:
    doc = run("When I was eight my stepdad moved in and my auntie stopped visiting.")
    assert {a.detail["role"] for a in doc.found("past", "early_figure")} == {"caregiver"}


def test_evidence_points_into_the_original_text() -> None:
    text = "  Um\u2026 when I was 7, my \u201cdad\u201d left.  "
    doc = run(text)
    label, cue = focus_of(doc)
    assert (label, cue) == ("childhood", "when I was 7")
    for a in doc.annotations:
        for span in a.evidence:
            quoted = doc.quote(span)
            assert quoted and quoted == quoted.strip()


def test_only_client_turns_are_annotated_and_the_summary_is_shares() -> None:
    doc = run("Last year was awful.", "When you were little, who looked after you?", "Next month I'm moving out.")
    assert {a.evidence[0].turn for a in doc.annotations} == {0, 2}
    assert doc.summary["temporal"] == {"childhood": 0.0, "past": 0.5, "present": 0.0, "future": 0.5}
    assert set(doc.scores["temporal"]) == {0, 2}
    assert abs(sum(doc.scores["temporal"][0].values()) - 1) < 0.01


def test_labelling_rows_with_context_and_for_the_therapist() -> None:
    rows = [
        parse_row(
            '{"id": "a", "text": "I remember the cold kitchen.", "context": [{"speaker": "client", "text": "When I was six we lived above a shop."}]}',
            1,
            "temporal",
        ),
        parse_row('{"id": "b", "text": "Next week is the anniversary.", "speaker": "therapist"}', 2, "temporal"),
    ]
    out = Labeller("temporal").label(rows)
    assert [o["labels"] for o in out] == [["childhood"], ["future"]]
    assert all(set(o["scores"]) == set(LABELS) for o in out)


def test_demo_childhood_material_and_early_figures(demo_sessions: tuple[DemoSession, ...]) -> None:
    (s,) = [s for s in demo_sessions if s.client == "maya" and s.date == "2026-03-12"]  # the day her father left
    doc = TemporalFocus()(s.document())
    labels = {a.evidence[0].turn + 1: a.label for a in doc.found("past") if a.label in LABELS}
    assert labels[15] == "childhood"  # "I was nine"
    assert labels[21] == labels[23] == "childhood"  # the scene goes on without a cue
    assert labels[59] == "childhood"  # "when I was fourteen"
    figures = {a.detail["role"] for a in doc.found("past", "early_figure")}
    assert {"mother", "father", "grandparent"} <= figures
    assert doc.summary["temporal"]["childhood"] >= 0.25
