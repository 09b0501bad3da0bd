"""The template renderer: every variant of every bank is short, asks at most once, uses only slots
its move fills, passes the safety gate and the conformance check, and is never said twice."""

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pytest

from reverie.companion.conformance import check
from reverie.companion.conversation import ASKED, CHAIN_CLOSE, LIMITS
from reverie.companion.moves import Evidence, Move, MoveName
from reverie.companion.templates import (
    AFTER_SAFETY,
    BANKS,
    BUILT,
    DREAM_BANKS,
    LEVEL_BANKS,
    _fill,
    bank_for,
    fold,
    opening,
    render,
    sentences,
)
from reverie.safety.gate import check_reply

EARLIER_WORDS = "my mother never listened to me at the dinner table"
LINK_EVIDENCE = (
    Evidence("nobody at work listens to me either", "this turn", "now"),
    Evidence(EARLIER_WORDS, "s-0003", "same person: mother", datetime(2024, 3, 1, tzinfo=UTC), 4),
)


def case(name: MoveName, evidence: tuple[Evidence, ...] = (), **slots: str) -> Move:
    return Move(name, "test", evidence, slots)


# One move per bank, with the slots the policy's rule for it fills (representative client words).
CASES: Mapping[str, Move] = {
    "open": case(MoveName.OPEN),
    "reflect_feeling": case(
        MoveName.REFLECT_FEELING, feeling="fuming", feeling_noun="anger", feeling_quote="I was fuming when he cancelled again"
    ),
    "ask_specific_moment": case(MoveName.SPECIFIC_MOMENT, person="your mum"),
    "name_pattern": case(MoveName.NAME_PATTERN, people="your mum, Anna and your boss", feeling="anger"),
    "close": case(MoveName.CLOSE, emerged="your mum, the anger and a dream"),
    "respect_boundary": case(MoveName.BOUNDARY, topic="your dad"),
    "wish_for_direction": case(MoveName.DIRECTION),
    "relationship_here": case(
        MoveName.TRANSFERENCE,
        quote="You probably think I'm pathetic",
        wonder="whether I think you're pathetic",
        expect="judgement, that I'd see you as pathetic,",
    ),
    "notice_avoidance": case(MoveName.NOTICE_AVOIDANCE, quote="anyway it doesn't matter", left="your sister"),
    "follow": case(MoveName.FOLLOW, quote="the house felt so quiet after"),
    "invite_association": case(MoveName.INVITE_ASSOCIATION, quote="like a door closing"),
    "link_past_present": case(MoveName.LINK_PAST_PRESENT, LINK_EVIDENCE, earlier=EARLIER_WORDS, when="in March", When="In March"),
    "dream:capture": case(MoveName.DREAM_WORK, stage="capture", element="the old house"),
    "dream:element": case(MoveName.DREAM_WORK, stage="element", element="your brother"),
    "dream:link": case(
        MoveName.DREAM_WORK, stage="link", links='the old house with "where I grew up" and the water with "drowning at work"'
    ),
    "dream:capture_plain": case(MoveName.DREAM_WORK, stage="capture_plain"),
    "defense:6": case(MoveName.NOTICE_DEFENSE, bank="6", quote="Statistically most people get over it"),
    "defense:3-contrast": case(
        MoveName.NOTICE_DEFENSE, bank="3-contrast", quote="it doesn't bother me", earlier="I was fuming when she left"
    ),
    "defense:3": case(MoveName.NOTICE_DEFENSE, bank="3", quote="it doesn't bother me"),
    "defense:4": case(MoveName.NOTICE_DEFENSE, bank="4", quote="she is completely perfect"),
    "defense:5": case(MoveName.NOTICE_DEFENSE, bank="5", quote="I shouted at the cat"),
    "defense:low": case(MoveName.NOTICE_DEFENSE, bank="low", quote="everyone is against me"),
    "after_safety": case(MoveName.FOLLOW, bank="after_safety"),
}

# Banks the conversation keeps (fixed answers); they are checked the same way.
FIXED: Mapping[str, tuple[Move, tuple[str, ...]]] = {
    "asked": (case(MoveName.DISCLOSURE), ASKED),
    "limits:diagnosis": (case(MoveName.LIMITS, kind="diagnosis"), LIMITS["diagnosis"]),
    "limits:medication": (case(MoveName.LIMITS, kind="medication"), LIMITS["medication"]),
    "chain_close": (case(MoveName.CLOSE, chain="your mum to work to the anger", broke="work"), CHAIN_CLOSE),
}


def variants() -> list[object]:
    banks = [(key, move, bank_for(move)) for key, move in CASES.items()]
    banks += [(key, move, bank) for key, (move, bank) in FIXED.items()]
    return [pytest.param(key, move, template, id=f"{key}-{i}") for key, move, bank in banks for i, template in enumerate(bank)]


VARIANTS = variants()


def slots_of(template: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", template))


def questions_outside_quotes(text: str) -> int:
    return len(re.findall(r"\?+", re.sub(r'"[^"]*"', "", text)))


def filled(move: Move, template: str) -> str:
    text = _fill(template, move.slots)
    assert text is not None, f"{template!r} has a slot the move does not fill"
    return text


# ---------------------------------------------------------------------------------------------
# The banks


def test_every_bank_has_a_case_and_the_case_selects_that_bank() -> None:
    expected: dict[str, Sequence[str]] = {str(name): bank for name, bank in BANKS.items() if bank}
    expected.update({str(name): bank for name, bank in BUILT.items()})
    expected.update({f"dream:{stage}": bank for stage, bank in DREAM_BANKS.items()})
    expected.update({f"defense:{level}": bank for level, bank in LEVEL_BANKS.items()})
    expected["after_safety"] = AFTER_SAFETY
    assert set(CASES) == set(expected)
    for key, move in CASES.items():
        assert bank_for(move) == tuple(expected[key]), key


def test_every_move_but_the_safety_layers_and_limits_has_template_words() -> None:
    for name in MoveName:
        if name in (MoveName.SAFETY, MoveName.DISCLOSURE, MoveName.LIMITS):
            assert bank_for(Move(name, "test")) == ()
        else:
            assert len(bank_for(Move(name, "test", slots={"stage": "capture"}))) >= 2, name


def test_the_cases_cover_many_variants() -> None:
    assert len(VARIANTS) > 450
    assert len(BUILT[MoveName.FOLLOW]) == 8 + 10 * 12  # echoes, then every acknowledgement with every invitation


@pytest.mark.parametrize(("key", "move", "template"), VARIANTS)
def test_a_variant_uses_only_the_slots_its_move_fills(key: str, move: Move, template: str) -> None:
    assert slots_of(template) <= set(move.slots), key


@pytest.mark.parametrize(("key", "move", "template"), VARIANTS)
def test_a_variant_is_one_to_three_sentences_with_at_most_one_question(key: str, move: Move, template: str) -> None:
    text = filled(move, template)
    assert 1 <= len(sentences(text)) <= 3, text
    assert questions_outside_quotes(text) <= 1, text
    assert text.rstrip()[-1] in ".?!", text  # ends as a sentence (a quote may open in the client's own case)


@pytest.mark.parametrize(("key", "move", "template"), VARIANTS)
def test_a_filled_variant_passes_the_safety_gate(key: str, move: Move, template: str) -> None:
    result = check_reply(filled(move, template))
    assert result.passed, (key, result.reasons, result.findings)


@pytest.mark.parametrize(("key", "move", "template"), VARIANTS)
def test_a_filled_variant_conforms_to_its_move(key: str, move: Move, template: str) -> None:
    assert check(move, filled(move, template)) == (), key


@pytest.mark.parametrize("name", sorted(BUILT))
def test_built_banks_have_no_duplicates(name: MoveName) -> None:
    bank = BUILT[name]
    assert len(bank) == len(set(bank))
    assert len({fold(t) for t in bank}) == len(bank)  # not even after case and punctuation are folded


@pytest.mark.parametrize(
    "bank",
    [*(b for b in BANKS.values() if b), *DREAM_BANKS.values(), *LEVEL_BANKS.values(), AFTER_SAFETY],
)
def test_hand_written_banks_have_no_duplicates(bank: tuple[str, ...]) -> None:
    assert len({fold(t) for t in bank}) == len(bank)


def test_a_boundary_variant_never_asks_about_the_declined_topic() -> None:
    move = CASES["respect_boundary"]
    for template in BUILT[MoveName.BOUNDARY]:
        text = filled(move, template)
        assert "?" not in text, text  # the space is handed back, nothing is asked


# ---------------------------------------------------------------------------------------------
# render()


def said(text: str) -> set[str]:
    return {fold(s) for s in sentences(text)}


@pytest.mark.parametrize("key", ["follow", "reflect_feeling", "respect_boundary", "dream:element", "defense:6", "invite_association"])
def test_render_never_repeats_a_sentence_and_runs_out_with_none(key: str) -> None:
    move = CASES[key]
    used: set[str] = set()
    replies: list[str] = []
    while (text := render(move, used, offset=len(replies) * 7)) is not None:
        assert not said(text) & used, text
        used |= said(text)
        replies.append(text)
        assert len(replies) <= len(bank_for(move))
    assert replies
    # Nothing left: every variant repeats at least one sentence already said.
    for template in bank_for(move):
        text = _fill(template, move.slots)
        assert text is None or said(text) & used


def test_render_returns_none_when_every_sentence_was_used() -> None:
    move = CASES["ask_specific_moment"]
    used = set().union(*(said(filled(move, t)) for t in bank_for(move)))
    assert render(move, used) is None
    assert render(move, used, offset=3) is None


def test_render_returns_none_without_the_slots_any_variant_needs() -> None:
    assert render(Move(MoveName.NAME_PATTERN, "test"), set()) is None
    assert render(Move(MoveName.LINK_PAST_PRESENT, "test"), set()) is None
    assert render(Move(MoveName.SAFETY, "test"), set()) is None


def test_render_uses_only_variants_whose_slots_are_filled() -> None:
    # Without a person only the two variants that name nobody can be said.
    move = Move(MoveName.SPECIFIC_MOMENT, "test")
    used: set[str] = set()
    seen = []
    while (text := render(move, used)) is not None:
        seen.append(text)
        used |= said(text)
    assert sorted(seen) == sorted(t for t in BANKS[MoveName.SPECIFIC_MOMENT] if "{" not in t)


def test_render_skips_a_variant_sharing_one_sentence_with_what_was_said() -> None:
    move = CASES["respect_boundary"]
    first = render(move, set())
    assert first is not None
    used = {fold(sentences(first)[0])}  # only its first sentence was said before
    second = render(move, used)
    assert second is not None and fold(sentences(second)[0]) not in used


def test_render_starts_at_the_offset() -> None:
    move = CASES["close"]
    bank = bank_for(move)
    for offset in range(len(bank)):
        assert render(move, set(), offset=offset) == filled(move, bank[offset])


def test_render_prefers_a_different_opening_from_the_previous_reply() -> None:
    move = CASES["reflect_feeling"]
    first = render(move, set())
    assert first is not None
    second = render(move, set(), previous_openings=[opening(first)])
    assert second is not None and opening(second).lower() != opening(first).lower()
    # The same holds for every offset and every bank with more than one opening.
    for key, m in CASES.items():
        bank = [t for t in (_fill(t, m.slots) for t in bank_for(m)) if t is not None]
        if len({opening(t).lower() for t in bank}) < 2:
            continue
        for offset in range(len(bank)):
            plain = render(m, set(), offset=offset)
            assert plain is not None
            other = render(m, set(), [opening(plain)], offset=offset)
            assert other is not None and opening(other).lower() != opening(plain).lower(), key


def test_render_still_answers_when_every_fresh_variant_opens_like_the_last_reply() -> None:
    move = CASES["defense:5"]
    openings = [opening(filled(move, t)) for t in bank_for(move)]
    assert render(move, set(), openings) == filled(move, bank_for(move)[0])


def test_opening_is_the_first_two_words() -> None:
    assert opening('"I was fuming": that sounds like a lot.') == "I was"
    assert opening("Mm, say a little more?") == "Mm say"
