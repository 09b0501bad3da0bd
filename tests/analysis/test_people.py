from collections.abc import Mapping

import pytest

from reverie.analysis.document import Annotation, Document
from reverie.analysis.labelling import Labeller, parse_row
from reverie.analysis.labelsets import ROLES
from reverie.analysis.people import People, resolve_names
from reverie.record import Speaker, Turn
from tests.analysis.conftest import DemoSession

FEELINGS = {None, "angry", "hurt", "close", "afraid", "guilty", "jealous", "distant"}
ACTIONS = {None, "ignored", "criticised", "supported", "harmed", "argued", "left", "contact", "controlled", "died"}


def run(*texts: str, known: Mapping[str, str] | None = None) -> Document:
    """Client turns, except those written "T: ..." (the therapist's)."""
    turns = tuple(Turn(Speaker.THERAPIST, t[3:]) if t.startswith("T: ") else Turn(Speaker.CLIENT, t) for t in texts)
    return People(known)(Document(turns))


def mentions(doc: Document, turn: int = -1) -> list[tuple[str, str]]:
    turn = turn % len(doc.turns)
    return [(doc.quote(a.evidence[0]), a.label) for a in doc.found("relationships") if a.evidence[0].turn == turn]


def only(doc: Document, role: str, turn: int = -1) -> Annotation:
    turn = turn % len(doc.turns)
    (found,) = [a for a in doc.found("relationships", role) if a.evidence[0].turn == turn]
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My mum phoned three times today.", [("My mum", "mother")]),
        ("Me and my old man never got on.", [("my old man", "father")]),
        ("Mum and Dad never argued in front of us.", [("Mum", "mother"), ("Dad", "father")]),
        ("mi madre she died when I was young", [("mi madre", "mother")]),
        ("Both my parents worked nights.", [("Both my parents", "parent")]),
        ("My stepmum never liked me.", [("My stepmum", "mother")]),
        ("My ex-wife won't let me see my son.", [("My ex-wife", "ex_partner"), ("my son", "child")]),
        ("My first husband was a drinker.", [("My first husband", "ex_partner")]),
        ("My oldest friend is getting married.", [("My oldest friend", "friend")]),
        ("A guy on my team keeps interrupting me.", [("A guy on my team", "colleague")]),
        ("The regional manager wants to see me.", [("The regional manager", "boss")]),
        ("bf didnt text back again", [("bf", "partner")]),
        ("My sister's husband is a nightmare.", [("My sister", "sibling"), ("My sister's husband", "other_family")]),
        ("My son's father and I split up when he was two.", [("My son", "child"), ("My son's father", "ex_partner")]),
        ("My father and his brother ran a pub together.", [("My father", "father"), ("his brother", "other_family")]),
        ("My friend Tom and his wife had me round.", [("My friend Tom", "friend"), ("his wife", "other")]),
    ],
)
def test_roles(text: str, expected: list[tuple[str, str]]) -> None:
    assert mentions(run(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Oh brother, what a week.",
        "That was the mother of all hangovers.",
        "A mum at the school gate asked if I was okay.",  # not the client's mother
        "You never know who you can trust these days.",  # generic "you"
        "You just get used to eating on your own, you know.",
        "She never calls, she never writes.",  # a pronoun names no one
        "I'm a nurse, I work nights.",  # what the client is, not someone they know
    ],
)
def test_no_person(text: str) -> None:
    assert mentions(run(text)) == []


def test_names_are_remembered_for_later_turns() -> None:
    doc = run("My sister Anna rang last night.", "T: How was that?", "Anna called again, I'm so angry with her.")
    assert mentions(doc, 0) == [("My sister Anna", "sibling")]
    found = only(doc, "sibling", 2)
    assert doc.quote(found.evidence[0]) == "Anna"
    assert found.detail == {"name_span": [0, 4], "feeling": "angry", "action": "contact"}
    assert resolve_names(doc) == {"Anna": "sibling"}


@pytest.mark.parametrize(
    ("texts", "name", "role"),
    [
        (("Karen, my manager, took all the credit.",), "Karen", "boss"),
        (("Karen's my manager, my dad's my dad.",), "Karen", "boss"),
        (("My new boss is there, Graham, he came in January.",), "Graham", "boss"),
        (("Sam. My brother. I couldn't do that to him.",), "Sam", "sibling"),
        (("My flatmate Rosie is also my best friend.",), "Rosie", "friend"),
        (("T: And the letter mentioned your partner.", "Daniel, yeah. We live together."), "Daniel", "partner"),
        (("T: Your dad.", "Okay. Um. So. Richard. He's a very charming man."), "Richard", "father"),
    ],
)
def test_name_binding(texts: tuple[str, ...], name: str, role: str) -> None:
    doc = run(*texts)
    assert resolve_names(doc)[name] == role
    named = [(a.detail["name_span"], a.label, a.evidence[0].turn) for a in doc.found("relationships") if a.detail["name_span"]]
    assert (name, role) in [(doc.turns[turn].text[span[0] : span[1]], label) for span, label, turn in named]


def test_a_place_or_a_quality_is_not_bound_as_a_name() -> None:
    doc = run(
        "T: What was your father like, when you were growing up?",
        "Strict. Andrés went to university in Zaragoza, my father paid everything.",
    )
    assert resolve_names(doc) == {}


def test_names_known_from_earlier_documents() -> None:
    assert mentions(run("Daniel forgot the dinner again.")) == []
    doc = run("Daniel forgot the dinner again.", known={"Daniel": "partner"})
    assert mentions(doc) == [("Daniel", "partner")]
    assert only(doc, "partner").detail["action"] == "ignored"


def test_lowercase_texting_still_finds_a_known_name() -> None:
    doc = run("My sister Anna rang.", "anna said shes not coming lol")
    assert mentions(doc, 1) == [("anna", "sibling")]


@pytest.mark.parametrize(
    ("text", "feeling", "action"),
    [
        ("I'm not angry with Karen, my manager.", None, None),  # negated
        ("I know it sounds like I'm angry with my dad and I'm not, really.", None, None),
        ("I can't stand my brother.", "angry", None),  # the negation is the idiom
        ("My dad didn't ring on my birthday.", None, "ignored"),
        ("Mum never helped.", None, "ignored"),
        ("I was scared of my stepdad.", "afraid", None),
        ("My gran listened to me, I loved her.", "close", "supported"),
    ],
)
def test_feelings_and_actions_with_negation(text: str, feeling: str | None, action: str | None) -> None:
    (found,) = run(text).found("relationships")
    assert (found.detail["feeling"], found.detail["action"]) == (feeling, action)


def test_a_feeling_goes_to_the_nearest_person() -> None:
    doc = run("My mother died when I was young and my brother and sister were sad.")
    details = {doc.quote(a.evidence[0]): (a.detail["feeling"], a.detail["action"]) for a in doc.found("relationships")}
    assert details == {"My mother": (None, "died"), "my brother": ("hurt", None), "sister": ("hurt", None)}


@pytest.mark.parametrize(
    "text",
    [
        "I'm angry with you, actually, for cancelling last minute.",
        "You probably think I'm pathetic.",
        "Do you ever get annoyed with me?",
        "Enjoy your holiday.",
    ],
)
def test_you_said_to_the_therapist(text: str) -> None:
    assert [role for _, role in mentions(run(text))] == ["therapist"]


def test_you_in_reported_speech_is_not_the_therapist() -> None:
    doc = run('And then he said "but why didn\'t you remind me?" and I just left.')
    assert [m for m in mentions(doc) if m[1] == "therapist"] == []


def test_details_never_hold_the_clients_words() -> None:
    doc = run("My sister Anna is furious with my ex, and my boss Karen shouted at me on Friday.")
    for a in doc.found("relationships"):
        assert set(a.detail) == {"name_span", "feeling", "action"}
        assert a.detail["feeling"] in FEELINGS and a.detail["action"] in ACTIONS
        assert a.detail["name_span"] is None or all(isinstance(x, int) for x in a.detail["name_span"])
        assert a.label in ROLES and a.lens == "relationships"
        first, sentence = a.evidence
        assert first.start >= sentence.start and first.end <= sentence.end


def test_summary_counts_mentions_of_client_turns_only() -> None:
    doc = run("My mum and my sister came.", "T: Your mum and your sister.", "Mum stayed for tea.")
    assert doc.summary["people"] == {"mother": 2, "sibling": 1}
    assert {a.evidence[0].turn for a in doc.found("relationships")} == {0, 2}


def test_labelling_rows() -> None:
    lines = [
        '{"id": "1", "text": "Anna just assumes I\'ll organise everything.", "context": [{"speaker": "client", "text": "My sister Anna keeps ringing."}]}',
        '{"id": "2", "text": "My boyfriend Jamal is meeting my parents next week."}',
        '{"id": "3", "text": "Nobody ever asks how I am."}',
    ]
    out = Labeller("people").label([parse_row(line, n, "people") for n, line in enumerate(lines, 1)])
    assert [o["labels"] for o in out] == [["sibling"], ["parent", "partner"], []]
    assert out[1]["people"] == [{"mention": "My boyfriend Jamal", "role": "partner"}, {"mention": "my parents", "role": "parent"}]
    assert out[1]["scores"]["partner"] > 0.5 and out[1]["scores"]["boss"] == 0.0
    assert set(out[0]["scores"]) == set(ROLES)


def test_demo_people_across_sessions(demo_sessions: tuple[DemoSession, ...]) -> None:
    known: dict[str, str] = {}
    roles: dict[str, set[str]] = {}
    for s in demo_sessions:
        if s.client != "maya":
            continue
        doc = People(known)(s.document())
        known.update(resolve_names(doc, known))
        for a in doc.found("relationships"):
            if a.detail["name_span"]:
                start, end = a.detail["name_span"]
                roles.setdefault(doc.turns[a.evidence[0].turn].text[start:end], set()).add(a.label)
    assert known["Daniel"] == "partner"
    assert known["Karen"] == "boss"
    assert known["Sam"] == "sibling"
    assert known["Jess"] == "friend"
    assert roles["Daniel"] == {"partner"} and roles["Karen"] == {"boss"}
