"""Promise 1: the fixed safety responses, level by level, and the "I'm safe" check that ends them."""

import re

import pytest

from reverie.analysis.risk import LEVELS, MEANS, RANK
from reverie.safety.responses import PHRASINGS, STILL_AT_RISK, safety_response, says_safe, still_at_risk_reply

RESOURCES = "You can call or text 988, the Suicide & Crisis Lifeline, any time, day or night."
EMERGENCY = "911"
CRISIS = [level for level in LEVELS if RANK[level] >= RANK["ideation"]]
URGENT = [level for level in LEVELS if RANK[level] >= RANK["behavior"]]
SEEDS = range(6)

MINIMISING = (
    "not that bad", "not so bad", "cheer up", "could be worse", "calm down", "overreact", "dramatic", "at least",
    "bright side", "worse off", "get over", "snap out", "it's nothing", "don't worry", "no big deal", "just a phase",
    "you'll be fine", "everything will be", "it will be ok", "it'll be ok", "attention", "silly", "stupid", "promise",
    "others have it", "look on the", "smile",
)  # fmt: skip
MEANS_WORDS = re.compile(
    r"(?<![\w'])(?:pills?|tablets?|bridges?|ropes?|heights?|doses?|overdos\w*|knife|knives|guns?|blades?|razors?|poison\w*"
    r"|hang\w*|jump\w*|cut\w*|trains?|ledges?|roofs?|noose|medication|meds|drown\w*|firearms?|weapons?|method\w*|lethal)(?![\w'])"
)
MEANS_FROM_RISK = re.compile(r"(?<![\w'])" + MEANS + r"(?![\w'])")


def every_text() -> list[str]:
    """Every text the policy can produce, with a neutral resources sentence filled in."""
    texts = [safety_response(level, RESOURCES, EMERGENCY, seed) for level in LEVELS for seed in SEEDS]
    texts += [still_at_risk_reply(RESOURCES, seed) for seed in SEEDS]
    return [t for t in texts if t is not None]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.replace(RESOURCES, "").strip()) if s]


# -- levels --------------------------------------------------------------------------------------


def test_none_gets_no_response() -> None:
    for seed in SEEDS:
        assert safety_response("none", RESOURCES, EMERGENCY, seed) is None


def test_unknown_level_raises() -> None:
    with pytest.raises(ValueError, match="unknown risk level"):
        safety_response("high", RESOURCES, EMERGENCY)


def test_every_level_is_covered() -> None:
    assert set(PHRASINGS) == set(LEVELS)
    assert all(len(PHRASINGS[level]) >= 3 for level in LEVELS if level != "none")
    assert len(STILL_AT_RISK) >= 3


@pytest.mark.parametrize("seed", SEEDS)
def test_indicator_is_a_gentle_check_in(seed: int) -> None:
    text = safety_response("indicator", RESOURCES, EMERGENCY, seed)
    assert text is not None
    assert text.endswith("?")
    assert re.search(r"hurting yourself|harming yourself|harming themselves", text)
    assert re.search(r"not wanting to be here|not being alive|ending your life", text)
    assert RESOURCES not in text and EMERGENCY not in text  # a question, not a crisis response


def test_indicator_first_phrasing_is_the_policy_text() -> None:
    assert safety_response("indicator", RESOURCES, EMERGENCY) == (
        "It sounds really heavy right now. Are you having any thoughts of hurting yourself or of not wanting to be here?"
    )


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("level", CRISIS)
def test_crisis_levels_name_help_ask_about_safety_and_offer_to_stay(level: str, seed: int) -> None:
    text = safety_response(level, RESOURCES, EMERGENCY, seed)
    assert text is not None
    assert RESOURCES in text
    assert EMERGENCY in text
    assert any("safe" in s.lower() and s.endswith("?") for s in sentences(text)), text
    assert "stay" in text.lower()


def test_ideation_first_phrasing_offers_to_stay_in_the_policy_words() -> None:
    text = safety_response("ideation", RESOURCES, EMERGENCY)
    assert text is not None
    assert "Are you safe right now?" in text
    assert "I'm here, and I'll stay with you while you decide what to do." in text


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("level", URGENT)
def test_behavior_and_attempt_urge_emergency_services_or_someone_nearby_now(level: str, seed: int) -> None:
    text = safety_response(level, RESOURCES, EMERGENCY, seed)
    assert text is not None
    assert re.search(rf"(?:call|contact) {EMERGENCY} now", text), text
    assert re.search(r"someone (?:near you|nearby|close by)", text), text


@pytest.mark.parametrize("seed", SEEDS)
def test_attempt_asks_to_call_now_or_have_someone_call(seed: int) -> None:
    text = safety_response("attempt", RESOURCES, EMERGENCY, seed)
    assert text is not None
    assert f"please call {EMERGENCY} now or ask someone near you to" in text.lower()


def test_ideation_does_not_make_an_urgent_demand() -> None:
    for seed in SEEDS:
        text = safety_response("ideation", RESOURCES, EMERGENCY, seed)
        assert text is not None and f"{EMERGENCY} now" not in text


@pytest.mark.parametrize("emergency", ["112", "999", "000", "1-1-2"])
def test_the_given_emergency_number_is_used(emergency: str) -> None:
    for level in CRISIS:
        text = safety_response(level, RESOURCES, emergency)
        assert text is not None and emergency in text and "911" not in text


def test_resources_sentence_is_kept_word_for_word_and_punctuated() -> None:
    odd = "Text {HOME} to 741741 - Crisis Text Line"
    text = safety_response("ideation", odd, EMERGENCY)
    assert text is not None and odd + "." in text
    assert f"{RESOURCES} " in (safety_response("attempt", "  " + RESOURCES + "\n", EMERGENCY) or "")


@pytest.mark.parametrize("blank", ["", "   ", "\n"])
def test_a_crisis_response_without_help_named_is_refused(blank: str) -> None:
    with pytest.raises(ValueError, match="resources_sentence"):
        safety_response("ideation", blank, EMERGENCY)
    with pytest.raises(ValueError, match="emergency_number"):
        safety_response("attempt", RESOURCES, blank)
    with pytest.raises(ValueError, match="resources_sentence"):
        still_at_risk_reply(blank)


# -- phrasings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [level for level in LEVELS if level != "none"])
def test_same_seed_same_text_and_consecutive_seeds_differ(level: str) -> None:
    n = len(PHRASINGS[level])
    texts = [safety_response(level, RESOURCES, EMERGENCY, seed) for seed in range(n)]
    assert len(set(texts)) == n
    assert safety_response(level, RESOURCES, EMERGENCY, 7) == safety_response(level, RESOURCES, EMERGENCY, 7)
    assert safety_response(level, RESOURCES, EMERGENCY, n) == texts[0]  # wraps around


def test_no_sentence_repeats_within_a_session() -> None:
    """Across all levels and the follow-ups, each sentence is used by one phrasing only."""
    seen: dict[str, str] = {}
    for level in LEVELS:
        for seed in range(len(PHRASINGS[level])):
            text = safety_response(level, RESOURCES, EMERGENCY, seed)
            assert text is not None
            for s in sentences(text):
                assert s not in seen, f"{s!r} in {level}/{seed} and {seen[s]}"
                seen[s] = f"{level}/{seed}"
    for seed in range(len(STILL_AT_RISK)):
        for s in sentences(still_at_risk_reply(RESOURCES, seed)):
            assert s not in seen, f"{s!r} in still_at_risk/{seed} and {seen[s]}"
            seen[s] = f"still_at_risk/{seed}"


@pytest.mark.parametrize("seed", SEEDS)
def test_still_at_risk_reply(seed: int) -> None:
    text = still_at_risk_reply(RESOURCES, seed)
    assert RESOURCES in text
    assert any("safe" in s.lower() and s.endswith("?") for s in sentences(text))
    assert still_at_risk_reply(RESOURCES, seed) != still_at_risk_reply(RESOURCES, seed + 1)


# -- what no text may say ------------------------------------------------------------------------


def test_no_text_minimises() -> None:
    for text in every_text():
        lower = text.lower().replace("\u2019", "'")
        assert not [m for m in MINIMISING if m in lower], text


def test_no_text_mentions_means() -> None:
    for text in every_text():
        lower = text.lower()
        assert not MEANS_WORDS.search(lower), (MEANS_WORDS.search(lower), text)
        assert not MEANS_FROM_RISK.search(lower), (MEANS_FROM_RISK.search(lower), text)


def test_means_check_would_catch_means() -> None:
    """The two checks above are not vacuous."""
    assert MEANS_WORDS.search("put the pills away") and MEANS_WORDS.search("stay away from heights")
    assert MEANS_WORDS.search("a bridge") and MEANS_WORDS.search("rope") and MEANS_WORDS.search("the dose")
    assert MEANS_FROM_RISK.search("the bridge")


# -- says_safe -----------------------------------------------------------------------------------

SAFE = [
    "I'm safe",
    "I called them",
    "my sister is with me",
    "I'm ok now, I won't do anything",
    "im safe now",
    "yes, I'm safe",
    "I am safe.",
    "safe",
    "yeah im safe rn",
    "I'm feeling safer now",
    "I'm somewhere safe",
    "I'm safe, I'm scared but safe",
    "I'm safe, I don't want to die anymore",
    "I've called the crisis line",
    "I texted 988",
    "I called 911",
    "I rang Samaritans and talked to someone",
    "I'm on the phone with the helpline",
    "my mum is here with me",
    "my friend's on her way over",
    "I'm with my boyfriend now",
    "I'm at my mum's",
    "I told my flatmate and she's staying with me",
    "I'm not alone, my sister is with me",
    "I'm at the hospital",
    "we're at A&E",
    "the ambulance is on its way",
    "I promise I won't do anything",
    "i wont do anything tonight i promise",
    "I'm not going to hurt myself",
    "I'm okay now, not going to act on it",
    "the urge has passed, I'm safe",
]

NOT_SAFE = [
    "I'm not safe",
    "I don't know",
    "I don't feel safe",
    "I don't think I'm safe",
    "not sure",
    "I'm not sure I'm safe",
    "I'll never be safe",
    "I'm not okay",
    "I'm not safe, I won't lie",
    "no",
    "maybe",
    "yes",
    "I'm fine",
    "I'm ok",
    "I'm safe for now I guess",
    "I can't call them",
    "I didn't call anyone",
    "I won't call them",
    "they didn't answer",
    "I tried calling but nobody picked up",
    "I called them but they hung up",
    "I'm on hold with them",
    "nobody is with me",
    "no one is coming",
    "my sister isn't with me",
    "I'm alone",
    "leave me alone",
    "I'm safe but I still want to die",
    "I want to die",
    "I'm going to do it anyway",
    "I was safe until tonight",
    "safe from what?",
    "am I safe?",
    "what's the point",
    "I don't want to talk about it",
    "they're coming for me",
    "",
]


def test_enough_says_safe_examples() -> None:
    assert len(SAFE) >= 15 and len(NOT_SAFE) >= 15


@pytest.mark.parametrize("text", SAFE)
def test_says_safe_positive(text: str) -> None:
    assert says_safe(text), text


@pytest.mark.parametrize("text", NOT_SAFE)
def test_says_safe_negative(text: str) -> None:
    assert not says_safe(text), text
