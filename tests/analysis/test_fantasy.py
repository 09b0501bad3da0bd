import pytest

from reverie.analysis.document import Document
from reverie.analysis.fantasy import Dreams
from reverie.analysis.pipeline import Pipeline
from reverie.analysis.vectors import TurnVectors
from reverie.record import Speaker, Turn
from tests.analysis.conftest import DemoSession

PIPELINE = Pipeline([TurnVectors(), Dreams()])


def client(*texts: str) -> Document:
    turns = []
    for k, text in enumerate(texts):
        turns.append(Turn(Speaker.CLIENT if k % 2 == 0 else Speaker.THERAPIST, text))
    return PIPELINE(Document(tuple(turns)))


@pytest.mark.parametrize(
    "text",
    [
        "I had a dream last night that I was back in my old school and the corridors kept going.",
        "I dreamt my dad was alive again and we were having tea in the kitchen.",
        "i keep having this dream where my teeth fall out",
        "Last night I was on a boat with my brother, it was sinking, and then I woke up.",
        "My nightmares are back, every night the same crash.",
        # without "I had a dream": dropped subjects, texting, sleep as the frame, dream logic
        "Kept dreaming my car was parked inside the church and I couldn't find the keys.",
        "dreamt abt my exam again, the paper was blank and the clock kept going backwards",
        "In my sleep I was walking through my old school with no shoes on.",
        "Had a strange dream, the bus turned into a boat halfway down the high street.",
        "Nightmares again this week. I'm trapped in the basement and nobody hears me.",
    ],
)
def test_dream_reports(text: str) -> None:
    doc = client(text)
    (found,) = doc.found("fantasy", "dream")
    cue = found.evidence[0]
    assert doc.quote(cue) and doc.quote(cue) == doc.quote(cue).strip()


@pytest.mark.parametrize(
    "text",
    [
        "My daughter had a nightmare about spiders, so I was up at three.",
        "She'd dreamt I was in hospital, she said, and rang me at work.",
        "Sorry, I'm in a bit of a dream this morning, what did you ask?",
        "I'm reading about lucid dreaming at the moment, it's fascinating.",
        "I was half asleep on the sofa when he rang to cancel.",
    ],
)
def test_other_peoples_dreams_and_talk_about_dreaming_are_not_reports(text: str) -> None:
    assert not client(text).found("fantasy", "dream")


@pytest.mark.parametrize(
    "text",
    [
        "Honestly the whole year felt like a bad dream.",
        "It's my dream job, I can't believe I got it.",
        "I have a dream of opening a little bakery one day.",
        "In your dreams, mate.",
        "I was daydreaming in the meeting again.",
        "I woke up at four and couldn't get back to sleep, I was worrying about money.",
    ],
)
def test_idioms_and_waking_life_are_not_dreams(text: str) -> None:
    assert client(text).found("fantasy", "dream") == []


def test_announced_dream_is_attributed_to_the_turn_that_tells_it() -> None:
    doc = client(
        "I had a dream, actually. I don't usually remember them.",
        "I'd like to hear it.",
        "So I was in a house with rooms I didn't know, and my mother was in the kitchen with her back to me.",
        "What comes to mind?",
        "In the dream I was shouting and she didn't turn round.",
    )
    (dream,) = doc.found("fantasy", "dream")
    assert dream.evidence[0].turn == 2
    assert doc.quote(dream.evidence[-1]).startswith("I had a dream")
    (association,) = doc.found("fantasy", "dream_association")
    assert association.evidence[0].turn == 4 and doc.quote(association.evidence[0]) == "In the dream"
    elements = dream.detail["elements"]
    assert {"people", "places"} <= set(elements)
    assert "kitchen" in [doc.turns[2].text[a:b] for a, b in elements["places"]]


def test_demo_dreams_are_found_without_false_reports(demo_sessions: tuple[DemoSession, ...]) -> None:
    wanted, found = set(), set()
    for s in demo_sessions:
        for d in s.key.get("dreams") or []:
            wanted.add((s.client, s.date, d["turn"]))
        doc = Dreams()(s.document())
        found |= {(s.client, s.date, a.evidence[0].turn + 1) for a in doc.found("fantasy", "dream")}
    assert len(wanted) == 7
    assert len(wanted & found) / len(wanted) >= 0.8
    assert len(found - wanted) <= 1
