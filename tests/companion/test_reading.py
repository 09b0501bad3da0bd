"""What the companion hears: the conversational cues (boundary, direction, limits, closing, feeling
words) on real phrasings, typos and texting included, and the listening engine's lenses on real turns.

A cue that fires wrongly changes what the companion does next (a false "closing" ends the
conversation), so every detector has tricky negatives beside its positives; the cases once misread
are kept, marked "was a bug", as regressions.
"""

import numpy as np
import pytest

from reverie.analysis.embed import Encoder, shared_encoder
from reverie.companion.reading import Listener, Reading, asks_limits, boundary, closing, feeling_word, wants_direction
from reverie.record import Speaker, Turn

# ---------------------------------------------------------------------------------------------
# boundary(): the declined topic, "" for "that/it", None when nothing was declined


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("i dont wanna talk about it", ""),
        ("can we not go there", ""),
        ("I'd rather not say", ""),
        ("I\u2019d rather not say", ""),  # a typographic apostrophe
        ("Id rather not talk about it", ""),
        ("Please stop asking about my dad", "my dad"),
        ("leave it", ""),
        ("Leave it.", ""),
        ("drop it.", ""),
        ("I'm not ready to talk about the divorce", "the divorce"),
        ("I don't want to talk about my mother", "my mother"),
        ("i dont want to talk about my mum right now", "my mum"),
        ("Can we stop talking about work?", "work"),
        ("Can we please not talk about my brother", "my brother"),
        ("I'd rather not talk about my ex", "my ex"),
        ("I'd prefer not to talk about the abortion", "the abortion"),
        ("i do not want to think about my dad anymore", "my dad"),
        ("dont ask me about my father", "my father"),
        ("DON'T ASK ABOUT MY SISTER", "my sister"),
        ("let's not go there", ""),
        ("not going there", ""),
        ("that's private", ""),
        ("It's none of your business", ""),
        ("change the subject pls", ""),
        ("I don't feel like talking about it today", ""),
        ("I would prefer not to discuss it", ""),
        ("I'm not going to talk about that", ""),
        ("I don't wanna go into it rn", ""),  # "rn" is normalised to "right now", which ends the topic
    ],
)
def test_boundary_finds_the_declined_topic(text: str, topic: str) -> None:
    assert boundary(text) == topic


def test_boundary_ignores_texting_filler_after_it() -> None:
    assert boundary("i really dont wanna talk about it tbh") == ""


@pytest.mark.parametrize(
    "text",
    [
        "I want to talk about my mother",
        "let's talk about my dad",
        "she doesn't want to talk about it",  # third person: her boundary, not the client's
        "he said he doesn't want to talk about it",
        "I don't want to go to work",
        "I don't want to go to the party",
        "I don't want to get out of bed",
        "I never want to leave him",
        "I'd rather stay home",
        "We could not stop laughing",
        "can we not be late",
        "I'm not going to the wedding",
        "I can't stop thinking about him",
        "i want to get into therapy",
        "I don't know",
        "my mum wouldn't stop asking about my grades",  # was a bug: 'stop asking about' fires without a subject check: a third person's nagging
        "I can't leave it alone",  # was a bug: 'leave it' fires anywhere in the sentence; topic 'alone'
        "I used to leave it all to my sister",  # was a bug: 'leave it' fires anywhere; topic 'all to my sister'
        "they told me to drop it",  # was a bug: reported speech: someone else's 'drop it'
        "My boss said leave it",  # was a bug: reported speech: someone else's 'leave it'
        "I'd rather not be alone",  # was a bug: 'I'd rather not' takes any verb phrase as a topic ('be alone')
        "I'm not ready to go back to work",  # was a bug: 'not ready to go' is read as declining a topic ('back to work')
    ],
)
def test_boundary_is_not_fired_by_lookalikes(text: str) -> None:
    assert boundary(text) is None


# ---------------------------------------------------------------------------------------------
# wants_direction()


@pytest.mark.parametrize(
    "text",
    [
        "just tell me what to do",
        "Just tell me what to do!!",
        "what should I do?",
        "what do i do now",
        "should I leave him?",
        "should i text him",
        "give me advice",
        "can you tell me what to do",
        "what do i say to her",
        "wat should i do",  # was a bug: texting spelling 'wat' is not normalised, so the wish is missed
    ],
)
def test_wants_direction(text: str) -> None:
    assert wants_direction(text)


@pytest.mark.parametrize(
    "text",
    [
        "I don't know what to do with myself on Sundays",
        "my mum always tells me what to do",
        "Nobody tells me what to do",
        "I hate being told what to do",
        "I never know what to say",
        "what do I do for fun? nothing much",  # was a bug: 'what do i do' fires on a rhetorical description of oneself
    ],
)
def test_direction_is_not_fired_by_lookalikes(text: str) -> None:
    assert not wants_direction(text)


# ---------------------------------------------------------------------------------------------
# asks_limits(): "diagnosis", "medication" or None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("do I have depression?", "diagnosis"),
        ("am I a narcissist", "diagnosis"),
        ("Do I have ADHD", "diagnosis"),
        ("Could I have BPD?", "diagnosis"),
        ("is this anxiety?", "diagnosis"),
        ("am i just depressed", "diagnosis"),
        ("whats wrong with me", "diagnosis"),
        ("should I stop my sertraline?", "medication"),
        ("can I come off my meds", "medication"),
        ("is it ok to skip my pills", "medication"),
        ("should I take more pills", "medication"),
    ],
)
def test_asks_limits(text: str, kind: str) -> None:
    assert asks_limits(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "my depression was worse last year",
        "I stopped my meds in 2019 with my GP",
        "I have depression",
        "my mum is a narcissist",
        "I'm not crazy",
        "I take sertraline",
        "I was crazy about him",
        "I bought a second cat, is that crazy?",  # was a bug: everyday 'is that crazy?' is read as a request for a diagnosis
        "the doctor said I could stop my medication",  # was a bug: a report of the prescriber's decision is read as asking for a medication change
    ],
)
def test_limits_are_not_fired_by_statements(text: str) -> None:
    assert asks_limits(text) is None


# ---------------------------------------------------------------------------------------------
# closing(): the wish to stop (it ends the conversation, so false positives are costly)


@pytest.mark.parametrize(
    "text",
    [
        "I need to go now",
        "gotta go",
        "Gotta go, talk later",
        "bye",
        "that's all for today",
        "ok im off",
        "good night",
        "I have to stop now",
        "see you tomorrow",
        "im done for today",
        "night!",  # was a bug: a bare 'night' is not read as goodnight (only 'good night' / 'goodnight')
    ],
)
def test_closing(text: str) -> None:
    assert closing(text)


@pytest.mark.parametrize(
    "text",
    [
        "tonight was hard",
        "I had to buy bread",
        "it felt like staring into the abyss",
        "I was done for",
        "I need to go to the shops tomorrow",  # was a bug: 'i need to go' matches with no check of what follows
        "I need to go back to the doctor",  # was a bug: 'i need to go' matches with no check of what follows
        "goodbye was the hardest word my father said",  # was a bug: 'goodbye' anywhere is read as the client leaving
        "I never got to say goodbye to my dad",  # was a bug: grief about a goodbye ends the conversation
        "I need to stop drinking",  # was a bug: 'i need to stop' matches a resolution, not leaving
        "I have to leave him",  # was a bug: 'i have to leave' matches a relationship decision, not leaving the chat
        "i'm off work this week",  # was a bug: 'i'm off' matches 'off work' / 'off sick'
    ],
)
def test_closing_is_not_fired_by_lookalikes(text: str) -> None:
    assert not closing(text)


# ---------------------------------------------------------------------------------------------
# feeling_word(): the client's own word for a feeling


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("I was fuming", "fuming"),
        ("I feel so alone", "alone"),
        ("im gutted", "gutted"),
        ("it made me really angry", "angry"),
        ("I'm kinda pissed off", "pissed off"),
        ("I feel lost", "lost"),
        ("i was so HURT", "hurt"),
        ("I'm on edge all the time", "on edge"),
        ("feeling kinda stuck", "stuck"),
        ("I felt small", "small"),
        ("im so sad", "sad"),
        ("im soooo sad", "sad"),
    ],
)
def test_feeling_word(text: str, word: str) -> None:
    assert feeling_word(text) == word


@pytest.mark.parametrize(
    "text",
    [
        "she was furious",  # someone else's feeling
        "He is sad",
        "I am not sad",  # a negated feeling is not reflected back as felt
        "i feel like going home",
        "I felt like a failure",
        "I'm down to my last fiver",  # was a bug: 'down' is read as a feeling in 'down to my last fiver'
        "I was low on money",  # was a bug: 'low' is read as a feeling in 'low on money'
    ],
)
def test_feeling_word_is_not_fired_by_lookalikes(text: str) -> None:
    assert feeling_word(text) is None


# ---------------------------------------------------------------------------------------------
# Listener().read on real turns (the real encoder and lenses)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return shared_encoder()


@pytest.fixture(scope="module")
def listener() -> Listener:
    return Listener()


def read(listener: Listener, encoder: Encoder, text: str, history: tuple[Turn, ...] = ()) -> Reading:
    vectors = encoder.encode([*(t.text for t in history), text])
    return listener.read(history, vectors[:-1] if history else None, text, vectors[-1])


def test_a_dream_report_yields_the_dream_and_its_elements(listener: Listener, encoder: Encoder) -> None:
    text = "Last night I dreamt I was in my grandmother's house and the floor turned to water, and my brother was standing at the door."
    r = read(listener, encoder, text)
    assert r.dream is not None and r.dream.label == "dream"
    assert "dreamt" in r.dream.quote
    assert ("places", "house") in r.dream_elements
    assert ("people", "brother") in r.dream_elements
    assert {"grandparent", "sibling"} <= r.roles


def test_an_expectation_of_the_companion_is_transference(listener: Listener, encoder: Encoder) -> None:
    r = read(listener, encoder, "You probably think I'm pathetic.")
    assert r.transference is not None and r.transference.label == "transference"
    assert r.transference.quote == "You probably think I'm pathetic."
    assert r.feeling_word == "pathetic" and r.own_feeling
    assert r.boundary is None and not r.closing and not r.wants_direction


def test_statistics_in_place_of_feeling_is_intellectualization_at_level_6(listener: Listener, encoder: Encoder) -> None:
    r = read(
        listener, encoder, "Statistically, most people get over a divorce in about two years, so it's really just a matter of the numbers."
    )
    found = [d for d in r.defenses if d.label == "intellectualization"]
    assert found, r.defenses
    assert dict(found[0].detail)["level"] == "6"
    assert found[0].quote.startswith("Statistically")
    assert not r.own_feeling  # no feeling of the client's own was named


def test_an_own_feeling_word_is_kept_as_said(listener: Listener, encoder: Encoder) -> None:
    history = (
        Turn(Speaker.CLIENT, "Work has been a lot this week."),
        Turn(Speaker.COMPANION, "Mm. Say a little more?"),
    )
    r = read(listener, encoder, "I was fuming when my boss cancelled the meeting again.", history)
    assert r.feeling_word == "fuming" and r.own_feeling
    assert "boss" in r.roles
    assert r.episode is False and r.general is False
    assert r.words == 10
    assert r.vector.shape == (384,)


def test_a_general_description_of_a_person_is_marked_general(listener: Listener, encoder: Encoder) -> None:
    r = read(listener, encoder, "My mum always tells me what to do.")
    assert r.general and not r.episode
    assert "mother" in r.roles
    assert not r.wants_direction


def test_no_feeling_word_falls_back_to_the_affect_label_in_plain_words(listener: Listener, encoder: Encoder) -> None:
    r = read(listener, encoder, "Honestly I have been crying all week since she left.")
    assert not r.own_feeling
    assert r.feelings and r.feelings[0].label == "sadness"
    assert r.feeling_word == "sad"  # PLAIN["sadness"]
    assert np.isclose(np.linalg.norm(r.vector), 1.0, atol=1e-3)


def test_a_grief_turn_about_a_goodbye_is_not_read_as_closing(listener: Listener, encoder: Encoder) -> None:
    r = read(listener, encoder, "I never got to say goodbye to my dad before he died and it still hurts to think about it.")
    assert "father" in r.roles and r.feelings[0].label == "sadness"
    assert not r.closing
