"""The policy: each rule's precondition and the fixed priority between rules, on hand-built readings.

The readings are built directly (a zero vector is enough: no rule reads the vector), the safety
decision is a real ``SafetyDecision``, and recalls are real ``Recall``/``MemoryItem`` values.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from reverie.analysis.embed import DIMENSIONS
from reverie.companion.conformance import check
from reverie.companion.memory import MemoryItem, Recall, when_said
from reverie.companion.moves import PRIORITY, Evidence, Move, MoveName
from reverie.companion.policy import (
    FREE_ASSOCIATION,
    LINK_SIMILARITY,
    PATTERN_AFTER_TURNS,
    PATTERN_EPISODES,
    RULES,
    SPACING,
    Context,
    candidates,
    rule_after_safety,
    rule_link,
    rule_pattern,
    rule_specific,
)
from reverie.companion.reading import Found, Reading
from reverie.companion.templates import render
from reverie.safety.check import SafetyDecision, SafetyState

NOW = datetime(2024, 6, 3, 18, 0, tzinfo=UTC)
ZERO = np.zeros(DIMENSIONS, dtype=np.float32)


def reading(text: str = "It has been a strange week, honestly, and I keep thinking about it.", **fields: Any) -> Reading:
    fields.setdefault("words", len(text.split()))
    return Reading(text=text, vector=ZERO, **fields)


def decision(reply: str | None = None, level: str = "none") -> SafetyDecision:
    return SafetyDecision(level, (), reply, None, None, (), SafetyState(in_crisis=reply is not None, highest=level))


def ctx(r: Reading, **fields: Any) -> Context:
    fields.setdefault("safety", decision())
    return Context(reading=r, now=NOW, **fields)


def names(c: Context) -> list[MoveName]:
    return [m.name for m in candidates(c)]


def first(c: Context) -> Move:
    return next(candidates(c))


def move(name: MoveName) -> Move:
    return Move(name, "earlier")


def who(role: str, name: str = "", mention: str = "", quote: str = "") -> Found:
    return Found(role, quote or f"{mention or name or role} was there", 0.95, "", (("name", name), ("mention", mention)))


def feeling(label: str, confidence: float = 0.8, quote: str = "") -> Found:
    return Found(label, quote or f"a turn with {label}", confidence)


SAD: dict[str, Any] = {"feeling_word": "gutted", "own_feeling": True, "feelings": (feeling("sadness"),), "intensity": 0.6}


# ---------------------------------------------------------------------------------------------
# The rules themselves


def test_every_rule_has_a_precondition_a_clinician_can_read() -> None:
    for rule in RULES:
        assert rule.precondition, rule.propose.__name__
        assert len(rule.precondition.split()) >= 5, rule.precondition
        assert rule.precondition == (rule.propose.__doc__ or "").strip()


def test_rules_cover_every_move_but_open() -> None:
    assert {rule.move for rule in RULES} == set(MoveName) - {MoveName.OPEN}


def test_rules_run_in_the_documented_priority_order() -> None:
    order = [rule.move for rule in RULES if rule.propose is not rule_after_safety]
    assert len(order) == len(set(order))
    assert order == [name for name in PRIORITY if name is not MoveName.OPEN]
    assert RULES[-1].move is MoveName.FOLLOW  # the last rule always answers


def test_something_is_always_proposed_and_it_is_follow_when_nothing_else_holds() -> None:
    r = reading("Okay.")
    assert names(ctx(r)) == [MoveName.FOLLOW]
    m = first(ctx(reading("I went to the shops after work and then came home")))
    assert m.name is MoveName.FOLLOW and m.slots["quote"] == "then came home"  # the last clause, echoed


# ---------------------------------------------------------------------------------------------
# Priority


def test_safety_that_takes_over_wins_over_everything() -> None:
    r = reading(
        "I don't want to talk about my mother, just tell me what to do, do I have depression? bye",
        boundary="my mother",
        wants_direction=True,
        asks_limits="diagnosis",
        closing=True,
        transference=Found("transference", "you", 0.9),
        **SAD,
    )
    c = ctx(r, safety=decision("Are you safe right now? You can call the crisis line.", "ideation"))
    chosen = first(c)
    assert chosen.name is MoveName.SAFETY
    assert "ideation" in chosen.reason and chosen.evidence[0].quote == r.text
    # without the takeover the same turn goes to the next rule: the boundary
    assert first(ctx(r, safety=decision(None, "indicator"))).name is MoveName.BOUNDARY


def test_disclosure_comes_before_a_boundary() -> None:
    r = reading("Are you a real person? I'd rather not say more.", boundary="")
    assert names(ctx(r))[:2] == [MoveName.DISCLOSURE, MoveName.BOUNDARY]


def test_after_the_safety_response_a_safe_client_is_followed_gently() -> None:
    r = reading("Yes, I'm safe. I'm at my sister's.", **SAD)
    chosen = first(ctx(r, moves=(move(MoveName.SAFETY),)))
    assert chosen.name is MoveName.FOLLOW and chosen.slots["bank"] == "after_safety"
    assert first(ctx(r, moves=(move(MoveName.FOLLOW),))).name is MoveName.REFLECT_FEELING


def test_a_boundary_wins_over_reflecting_a_feeling() -> None:
    r = reading("I'm gutted but I don't want to talk about my mother.", boundary="my mother", **SAD)
    found = names(ctx(r))
    assert found[0] is MoveName.BOUNDARY and MoveName.REFLECT_FEELING in found[1:]
    assert first(ctx(r)).slots == {"topic": "your mother"}


def test_a_boundary_on_that_names_no_topic() -> None:
    chosen = first(ctx(reading("can we not go there", boundary="")))
    assert chosen.name is MoveName.BOUNDARY and chosen.slots == {}
    assert "the topic just raised" in chosen.reason


def test_a_wish_for_direction_wins_over_reflecting_a_feeling() -> None:
    r = reading("I'm gutted. Just tell me what to do.", wants_direction=True, **SAD)
    found = names(ctx(r))
    assert found[0] is MoveName.DIRECTION and MoveName.REFLECT_FEELING in found
    assert found.index(MoveName.DIRECTION) < found.index(MoveName.REFLECT_FEELING)


def test_direction_comes_before_limits_and_limits_before_close() -> None:
    r = reading("What should I do, should I stop my sertraline? Gotta go.", wants_direction=True, asks_limits="medication", closing=True)
    assert names(ctx(r))[:3] == [MoveName.DIRECTION, MoveName.LIMITS, MoveName.CLOSE]
    limits = next(m for m in candidates(ctx(r)) if m.name is MoveName.LIMITS)
    assert limits.slots == {"kind": "medication"}


def test_close_when_the_client_leaves_or_the_time_is_up() -> None:
    assert first(ctx(reading("gotta go, bye", closing=True))).name is MoveName.CLOSE
    assert first(ctx(reading(**SAD), time_up=True)).name is MoveName.CLOSE


def test_close_reflects_what_emerged_but_not_a_declined_person() -> None:
    earlier = (
        reading("My mum rang again.", people=(who("mother", mention="my mum"),)),
        reading("I was gutted after.", **SAD),
        reading("And Anna didn't even text.", people=(who("friend", name="Anna"),)),
    )
    r = reading("I need to go now.", closing=True)
    chosen = first(ctx(r, earlier=earlier))
    assert chosen.slots["emerged"] == "your mum, Anna and the disappointment"  # NOUN["gutted"]
    declined = first(ctx(r, earlier=earlier, declined=("anna",)))
    assert declined.slots["emerged"] == "your mum and the disappointment"


def test_a_dream_wins_over_reflecting_a_feeling() -> None:
    r = reading(
        "I dreamt the house was flooding and I felt so scared.",
        dream=Found("dream", "I dreamt the house was flooding", 0.9),
        dream_elements=(("places", "house"), ("feelings", "scared")),
        feeling_word="scared",
        own_feeling=True,
    )
    chosen = first(ctx(r))
    assert chosen.name is MoveName.DREAM_WORK
    assert chosen.slots == {"stage": "capture", "element": "the house"}


# ---------------------------------------------------------------------------------------------
# Reflecting and inviting association


def test_reflect_is_not_chosen_twice_in_a_row() -> None:
    r = reading("I'm still gutted about the whole thing with work", **SAD)
    assert first(ctx(r)).name is MoveName.REFLECT_FEELING
    after = names(ctx(r, moves=(move(MoveName.REFLECT_FEELING),)))
    assert MoveName.REFLECT_FEELING not in after
    assert after[0] is MoveName.INVITE_ASSOCIATION  # after a reflected feeling, what comes to mind
    assert SPACING[MoveName.REFLECT_FEELING] == 1
    assert first(ctx(r, moves=(move(MoveName.REFLECT_FEELING), move(MoveName.FOLLOW)))).name is MoveName.REFLECT_FEELING


def test_reflect_uses_the_clients_own_word_and_its_noun() -> None:
    r = reading(
        "I was fuming when he cancelled again",
        feeling_word="fuming",
        own_feeling=True,
        feelings=(feeling("anger", quote="I was fuming when he cancelled again"),),
    )
    chosen = first(ctx(r))
    assert chosen.slots == {"feeling": "fuming", "feeling_noun": "anger", "feeling_quote": "I was fuming when he cancelled again"}


def test_an_unnamed_feeling_is_reflected_only_when_the_affect_is_confident_and_reflectable() -> None:
    text = "She left and the flat has been so quiet since then"
    sure = reading(text, feeling_word="sad", feelings=(feeling("sadness", 0.7),))
    unsure = reading(text, feeling_word="sad", feelings=(feeling("sadness", 0.3),))
    odd = reading(text, feeling_word="curious", feelings=(feeling("curiosity", 0.9),))
    short = reading("so quiet", feeling_word="sad", feelings=(feeling("sadness", 0.9),))
    assert first(ctx(sure)).name is MoveName.REFLECT_FEELING
    for r in (unsure, odd, short):
        assert MoveName.REFLECT_FEELING not in names(ctx(r))


# ---------------------------------------------------------------------------------------------
# A specific moment


MUM = who("mother", mention="my mum", quote="My mum always criticises everything I do")


def test_a_named_person_described_with_always_asks_for_one_specific_moment() -> None:
    r = reading("My mum always criticises everything I do", people=(MUM,), general=True)
    chosen = first(ctx(r))
    assert chosen.name is MoveName.SPECIFIC_MOMENT
    assert chosen.slots == {"person": "your mum"}
    assert chosen.evidence[0].quote == MUM.quote


def test_a_person_by_name_is_asked_about_by_name() -> None:
    r = reading("Anna never listens to me", people=(who("friend", name="Anna"),), general=True)
    assert first(ctx(r)).slots == {"person": "Anna"}


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"people": (MUM,), "general": True, "episode": True}, "an episode was already told"),
        ({"people": (MUM,), "general": False}, "not described in general terms"),
        ({"people": (who("therapist", mention="you"),), "general": True}, "the therapist is the relationship here"),
        ({"people": (who("other", mention="someone"),), "general": True}, "a nameless other"),
        ({"general": True}, "nobody named"),
    ],
)
def test_no_specific_moment_without_a_named_person_in_general_terms(fields: dict[str, Any], why: str) -> None:
    assert rule_specific(ctx(reading("They always do this to me", **fields))) is None, why


def test_a_specific_moment_is_not_asked_again_too_soon() -> None:
    r = reading("My mum always criticises everything I do", people=(MUM,), general=True)
    recent = (move(MoveName.SPECIFIC_MOMENT), move(MoveName.FOLLOW))
    assert rule_specific(ctx(r, moves=recent)) is None
    later = (move(MoveName.SPECIFIC_MOMENT), *(move(MoveName.FOLLOW) for _ in range(SPACING[MoveName.SPECIFIC_MOMENT])))
    assert rule_specific(ctx(r, moves=later)) is not None


# ---------------------------------------------------------------------------------------------
# Linking past and present


EARLIER = "When I was little my mother never came to a single one of my school plays."


def recall(
    text: str = EARLIER,
    reasons: Sequence[str] = ("similar words 0.31", "same person: mother"),
    similarity: float = 0.31,
    days: int = 20,
    people: frozenset[str] = frozenset({"mother"}),
) -> Recall:
    item = MemoryItem(
        "s-0007", "session", 3, NOW - timedelta(days=days), text, people=people, feelings=frozenset({"sadness"}), temporal="childhood"
    )
    return Recall(item, similarity + 0.15, similarity, tuple(reasons))


NOW_TURN = reading(
    "My mother didn't come to my graduation either and I'm gutted.", people=(who("mother", mention="my mother"),), temporal="present"
)


def test_a_recall_sharing_a_person_is_linked_in_the_clients_earlier_words_and_says_when() -> None:
    found = rule_link(ctx(NOW_TURN, recalls=(recall(),)))
    assert found is not None and found.name is MoveName.LINK_PAST_PRESENT
    assert found.slots["earlier"] == EARLIER.rstrip(".")
    assert found.slots["when"] == when_said(NOW - timedelta(days=20), NOW) == "two weeks ago"
    assert found.slots["When"] == "Two weeks ago"
    past = found.evidence[1]
    assert past == Evidence(EARLIER.rstrip("."), "s-0007", "similar words 0.31; same person: mother", NOW - timedelta(days=20), 3)
    assert "same person: mother" in found.reason
    text = render(found, set())
    assert text is not None and EARLIER.rstrip(".") in text
    assert check(found, text) == ()


def test_a_recall_sharing_a_feeling_is_linked_too() -> None:
    r = reading("I've been gutted all week about the job.", **SAD)
    shared = recall(
        "I felt so sad for months after we moved house when I was nine.",
        ("similar words 0.2", "same feeling: sadness"),
        0.2,
        400,
        frozenset(),
    )
    found = rule_link(ctx(r, recalls=(shared,)))
    assert found is not None and found.slots["when"] == "in April 2023"


def test_the_earlier_sentence_that_names_the_shared_person_is_quoted() -> None:
    text = "Work was fine that week. My mother rang and said I was selfish for not visiting. Then I went to bed."
    found = rule_link(ctx(NOW_TURN, recalls=(recall(text),)))
    assert found is not None and found.slots["earlier"] == "My mother rang and said I was selfish for not visiting"


@pytest.mark.parametrize(
    ("c", "why"),
    [
        (ctx(NOW_TURN, recalls=(recall(reasons=("similar words 0.31", "same theme: family")),)), "nothing shared and not similar enough"),
        (ctx(NOW_TURN, recalls=(recall(reasons=("similar words 0.31", "same person: therapist")),)), "the therapist is not a link"),
        (ctx(NOW_TURN, recalls=(recall("Mm, okay.", similarity=0.9),)), "nothing worth reading back"),
        (ctx(NOW_TURN, recalls=(recall(),), declined=("mother",)), "the earlier words touch a declined topic"),
        (ctx(NOW_TURN, recalls=(recall(),), moves=(move(MoveName.LINK_PAST_PRESENT),)), "linked too recently"),
        (
            ctx(reading("When I was seven my mother left us.", temporal="childhood"), recalls=(recall(),)),
            "this turn is already about the past",
        ),
        (ctx(reading("Mum again.", people=(who("mother"),)), recalls=(recall(),)), "too short a turn"),
        (ctx(NOW_TURN), "nothing recalled"),
    ],
)
def test_no_link_without_a_shared_person_or_feeling(c: Context, why: str) -> None:
    assert rule_link(c) is None, why


def test_a_similar_enough_recall_links_without_a_shared_person() -> None:
    similar = recall(reasons=(f"similar words {LINK_SIMILARITY:.2f}",), similarity=LINK_SIMILARITY)
    found = rule_link(ctx(NOW_TURN, recalls=(similar,)))
    assert found is not None and "its words (0.50)" in found.reason


def test_a_declined_topic_is_never_quoted_by_a_later_move() -> None:
    """The client declined their mother earlier: no link or pattern may read her back."""
    c = ctx(NOW_TURN, recalls=(recall(),), declined=("mother",), moves=(move(MoveName.BOUNDARY),))
    for m in candidates(c):
        quoted = [*m.slots.values(), *(e.quote for e in m.evidence if e.source != "this turn")]
        assert not any("mother" in q.lower() for q in quoted), m
    assert MoveName.LINK_PAST_PRESENT not in names(c)
    # the same turn without the boundary does link
    assert MoveName.LINK_PAST_PRESENT in names(ctx(NOW_TURN, recalls=(recall(),)))


# ---------------------------------------------------------------------------------------------
# Naming a pattern


def angry_with(person: Found, text: str) -> Reading:
    return reading(text, people=(person,), feelings=(feeling("anger"),), feeling_word="angry", own_feeling=True)


BOSS = who("boss", mention="my boss")
ANNA = who("friend", name="Anna")


def pattern_turns(people: Sequence[Found] = (MUM, BOSS, ANNA), filler: int = PATTERN_AFTER_TURNS) -> list[Reading]:
    episodes = [angry_with(p, f"I got so angry with {p.label} when it happened again") for p in people]
    plain = [reading("Not much else happened this week to be honest.") for _ in range(max(0, filler - len(episodes)))]
    return [*plain, *episodes]


def pattern_ctx(turns: Sequence[Reading], **fields: Any) -> Context:
    return ctx(turns[-1], earlier=tuple(turns[:-1]), **fields)


def test_a_pattern_is_named_after_enough_turns_and_episodes_with_different_people() -> None:
    turns = pattern_turns()
    assert len(turns) == PATTERN_AFTER_TURNS
    found = rule_pattern(pattern_ctx(turns))
    assert found is not None and found.name is MoveName.NAME_PATTERN
    assert found.slots == {"people": "your mum, your boss and Anna", "feeling": "anger"}
    assert found.reason == f"{PATTERN_EPISODES} episodes of anger with 3 people"
    assert len(found.evidence) == 3
    text = render(found, set())
    assert text is not None and check(found, text) == ()


def test_a_pattern_is_named_only_once() -> None:
    assert rule_pattern(pattern_ctx(pattern_turns(), pattern_named=True)) is None


def test_no_pattern_before_enough_client_turns() -> None:
    assert rule_pattern(pattern_ctx(pattern_turns(filler=PATTERN_AFTER_TURNS - 1))) is None


def test_no_pattern_with_fewer_than_the_episodes_it_needs() -> None:
    assert rule_pattern(pattern_ctx(pattern_turns((MUM, BOSS)))) is None


def test_no_pattern_when_every_episode_is_with_the_same_person() -> None:
    assert rule_pattern(pattern_ctx(pattern_turns((MUM, MUM, MUM)))) is None


def test_two_people_are_enough_for_a_pattern() -> None:
    found = rule_pattern(pattern_ctx(pattern_turns((MUM, BOSS, MUM))))
    assert found is not None and found.slots["people"] == "your mum and your boss"


def test_episodes_of_a_different_feeling_family_do_not_count() -> None:
    turns = pattern_turns()
    turns[-3] = reading("My mum rang and I was scared", people=(MUM,), feelings=(feeling("fear"),))
    assert rule_pattern(pattern_ctx(turns)) is None


def test_earlier_sessions_count_as_episodes() -> None:
    turns = pattern_turns((MUM, BOSS))  # two episodes here...
    old = recall("My sister took my things again and I was furious with her.", people=frozenset({"sibling"}))
    old = Recall(
        MemoryItem(
            "s-0002", "session", 1, NOW - timedelta(days=60), old.item.text, people=frozenset({"sibling"}), feelings=frozenset({"anger"})
        ),
        0.5,
        0.4,
        ("same feeling: anger",),
    )
    found = rule_pattern(pattern_ctx(turns, recalls=(old,)))  # ...and one from a session
    assert found is not None and found.slots["people"] == "your mum, your boss and your sibling"
    assert found.evidence[-1].source == "s-0002"


def test_a_declined_person_is_not_named_in_a_pattern() -> None:
    found = rule_pattern(pattern_ctx(pattern_turns(), declined=("anna",)))
    assert found is not None and "Anna" not in found.slots["people"]
    # declining two of the three leaves one person: no pattern
    assert rule_pattern(pattern_ctx(pattern_turns(), declined=("anna", "boss"))) is None


def test_through_candidates_a_pattern_never_quotes_a_declined_topic() -> None:
    c = pattern_ctx(pattern_turns(), declined=("anna",), moves=(move(MoveName.REFLECT_FEELING),))
    for m in candidates(c):
        assert not any("anna" in v.lower() for v in m.slots.values()), m


# ---------------------------------------------------------------------------------------------
# Free association


FREE_TURNS = [
    reading(**SAD),
    reading(
        "You probably think I'm pathetic",
        transference=Found("transference", "You probably think I'm pathetic", 0.99),
        feeling_word="pathetic",
        own_feeling=True,
    ),
    reading("I dreamt of the sea", dream=Found("dream", "I dreamt of the sea", 0.9), dream_elements=(("places", "sea"),)),
    reading("My mum always criticises everything I do", people=(MUM,), general=True, **SAD),
    reading(
        "Statistically most people get over it",
        defenses=(Found("intellectualization", "Statistically most people", 0.9, "", (("level", "6"),)),),
    ),
    reading("I don't want to talk about work", boundary="work"),
    reading("just tell me what to do", wants_direction=True),
    reading("do I have depression?", asks_limits="diagnosis"),
    reading("gotta go", closing=True),
]


@pytest.mark.parametrize("r", FREE_TURNS, ids=lambda r: r.text[:24])
def test_free_association_only_proposes_the_quiet_moves(r: Reading) -> None:
    c = ctx(r, mode="free-association", recalls=(recall(),), earlier=tuple(pattern_turns()[:-1]))
    found = names(c)
    assert found and set(found) <= FREE_ASSOCIATION
    assert found[-1] is MoveName.FOLLOW


def test_free_association_keeps_the_cues_the_client_sets() -> None:
    assert {
        MoveName.SAFETY,
        MoveName.DISCLOSURE,
        MoveName.BOUNDARY,
        MoveName.DIRECTION,
        MoveName.LIMITS,
        MoveName.CLOSE,
        MoveName.FOLLOW,
    } == FREE_ASSOCIATION
    assert first(ctx(FREE_TURNS[0], mode="free-association")).name is MoveName.FOLLOW
    assert first(ctx(FREE_TURNS[0])).name is MoveName.REFLECT_FEELING  # the same turn in talk mode


def test_the_same_turns_in_talk_mode_do_propose_the_moves_free_association_holds_back() -> None:
    held_back = {name for r in FREE_TURNS for name in names(ctx(r, recalls=(recall(),))) if name not in FREE_ASSOCIATION}
    assert {
        MoveName.REFLECT_FEELING,
        MoveName.TRANSFERENCE,
        MoveName.DREAM_WORK,
        MoveName.SPECIFIC_MOMENT,
        MoveName.NOTICE_DEFENSE,
    } <= held_back


def test_a_client_returning_to_a_topic_they_declined_still_gets_a_move() -> None:
    r = reading("Anyway, I keep thinking about my mother")
    assert names(ctx(r, declined=("mother",), moves=(move(MoveName.BOUNDARY),)))
