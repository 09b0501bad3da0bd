"""The conformance check: for each problem, a reply that has it and a tricky one that does not."""

from datetime import UTC, datetime

import pytest

from reverie.companion.conformance import REPORT_PROBLEMS, check
from reverie.companion.moves import ASKING, Evidence, Move, MoveName

FOLLOW = Move(MoveName.FOLLOW, "the client leads")
ASSOCIATE = Move(MoveName.INVITE_ASSOCIATION, "a charged word")
BOUNDARY = Move(MoveName.BOUNDARY, "the client declined a topic", slots={"topic": "my father"})
LINK = Move(
    MoveName.LINK_PAST_PRESENT,
    "this turn echoes an earlier session",
    evidence=(
        Evidence("nobody sees me at work", "this turn", "affect: sadness 0.6"),
        Evidence("I always felt invisible at the dinner table", "s-0003", "shared theme: being unseen", when=datetime(2023, 3, 1, tzinfo=UTC)),
        Evidence("my sister got all the attention", "s-0009", "shared person: sister", when=datetime(2023, 9, 1, tzinfo=UTC)),
    ),
    slots={"when": "last March"},
)


def test_report_problems_lists_every_problem_once() -> None:
    assert REPORT_PROBLEMS == (
        "empty",
        "too_long",
        "question_stacking",
        "missing_question",
        "asks_when_it_should_not",
        "advice",
        "claims_human",
        "cbt_homework",
        "wrong_move",
        "certainty",
    )


def test_a_good_reply_conforms() -> None:
    assert check(ASSOCIATE, "You used the word 'trapped' twice. I wonder what comes to mind when you say it?") == ()
    assert check(FOLLOW, "Go on, I'm listening.") == ()


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "...", '""'])
def test_empty(text: str) -> None:
    assert "empty" in check(FOLLOW, text)


def test_punctuation_around_words_is_not_empty() -> None:
    assert check(FOLLOW, "Mm.") == ()


def test_too_long() -> None:
    assert check(FOLLOW, "I hear you. That sounds hard. It was a long day. And a long week.") == ("too_long",)
    assert check(FOLLOW, "I hear that " + "very " * 90 + "much.") == ("too_long",)


def test_an_ellipsis_and_quoted_sentences_do_not_lengthen_a_reply() -> None:
    # Three sentences; the full stops inside the client's quoted words and the ellipsis end nothing.
    text = 'You wrote "I left. I came back. I left again." Hmm... it sounds like a lot of leaving.'
    assert check(FOLLOW, text) == ()


def test_question_stacking() -> None:
    assert "question_stacking" in check(ASSOCIATE, "What comes to mind? And how did that feel?")
    assert "question_stacking" in check(ASSOCIATE, "Was it sadness? or anger?")


def test_a_question_the_client_asked_is_not_stacked_on_ours() -> None:
    assert check(ASSOCIATE, 'You asked "why me?" back then. What comes to mind about that now?') == ()
    assert check(ASSOCIATE, "What comes to mind?!") == ()  # one question, emphatic


@pytest.mark.parametrize("name", sorted(ASKING))
def test_missing_question_for_every_asking_move(name: MoveName) -> None:
    assert "missing_question" in check(Move(name, "r"), "I wonder about that.")


def test_a_move_that_does_not_ask_may_end_without_a_question() -> None:
    assert check(Move(MoveName.REFLECT_FEELING, "r"), "It sounds as if there is a lot of sadness in this.") == ()
    assert check(Move(MoveName.REFLECT_FEELING, "r"), "It sounds sad. Is that close?") == ()


def test_a_boundary_does_not_ask_about_the_declined_topic() -> None:
    assert check(BOUNDARY, "Okay. What is it about your father that feels hard?") == ("asks_when_it_should_not",)
    assert check(BOUNDARY, "Of course. Why would you rather not go there?") == ("asks_when_it_should_not",)


def test_a_boundary_may_name_the_topic_without_asking_and_ask_about_something_else() -> None:
    assert check(BOUNDARY, "Of course, we can leave your father aside. What would you like to talk about instead?") == ()


@pytest.mark.parametrize(
    "text",
    [
        "You should call her.",
        "I think you should tell him how you feel.",
        "So I feel you need to rest more.",
        "I wonder what you should have felt.",  # the companion's own verdict on what the client ought to feel
        "Try to breathe slowly when it happens.",
        "Maybe call your sister tonight.",
        "Perhaps go for a walk.",
        "Don't be so hard on yourself.",
        "Have you tried writing it down?",
        "Why don't you tell her?",
        "I suggest taking a break.",
        "I'd recommend speaking to someone.",
        "My advice would be to wait.",
        "Make sure you eat something.",
        "You could try talking to her.",
        "It might help to keep a diary.",
    ],
)
def test_advice(text: str) -> None:
    assert "advice" in check(FOLLOW, text)


@pytest.mark.parametrize(
    "text",
    [
        "You said you 'need to' rest.",  # the client's words, quoted
        "You said you need to rest.",  # reported, not recommended
        "It sounds as if you feel you should be stronger than this.",
        "You were told you must never cry.",
        "You try to keep everyone happy.",
        "You always try so hard to please them, it sounds.",
        "Go on.",
        "Take your time.",
        "Tell me more about that.",
        "Why don't you want to talk about her?",
        "I wonder what you felt you should feel.",
    ],
)
def test_not_advice(text: str) -> None:
    assert "advice" not in check(FOLLOW, text)


def test_the_safety_reply_may_urge_a_call() -> None:
    text = "I'm really glad you told me. Are you safe right now? Please call 999 now. You should not be alone with this."
    assert check(Move(MoveName.SAFETY, "crisis"), text) == ()
    assert "advice" in check(FOLLOW, text)


@pytest.mark.parametrize(
    "text",
    [
        "As a therapist, I hear this often.",
        "I'm a therapist, and this is common.",
        "I am human too, you know.",
        "As your therapist I care about this.",
        "I'm a person who gets that.",
        "In my experience, that passes.",
        "Many of my clients feel this way.",
    ],
)
def test_claims_human(text: str) -> None:
    assert "claims_human" in check(FOLLOW, text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm an AI, not a therapist, but I'm listening.",
        "You said 'I'm a person who never gives up'.",  # the client's words
        "You wondered whether your therapist would understand.",
    ],
)
def test_not_claims_human(text: str) -> None:
    assert "claims_human" not in check(FOLLOW, text)


@pytest.mark.parametrize(
    "text",
    [
        "Here is a worksheet for you.",
        "Your homework this week is to notice it.",
        "An exercise for this week: write it down.",
        "A thought record might show the pattern.",
        "Could you reframe your thoughts about it?",
        "Let's challenge that thought together.",
    ],
)
def test_cbt_homework(text: str) -> None:
    assert "cbt_homework" in check(FOLLOW, text)


@pytest.mark.parametrize(
    "text",
    [
        "It sounds like her homework turns into a fight every night.",
        "You called it 'homework for life'.",
        "Perhaps the thought that you failed is a heavy one.",
    ],
)
def test_not_cbt_homework(text: str) -> None:
    assert "cbt_homework" not in check(FOLLOW, text)


def test_a_link_to_the_past_names_the_earliest_words_or_their_date() -> None:
    by_quote = "Back then you said you felt invisible at the dinner table. Does work feel a bit like that?"
    by_date = "Last March you spoke about something similar; I wonder if this feels alike?"
    assert check(LINK, by_quote) == ()
    assert check(LINK, by_date) == ()
    assert check(LINK, "Does work feel familiar somehow?") == ("wrong_move",)
    # Quoting only later evidence, or fewer than four words of the earliest, is not a link to it.
    assert check(LINK, "You said my sister got all the attention; does work feel like that?") == ("wrong_move",)
    assert check(LINK, "Feeling invisible, perhaps, is familiar?") == ("wrong_move",)


def test_reflect_feeling_names_the_feeling() -> None:
    move = Move(MoveName.REFLECT_FEELING, "affect: anger 0.7", slots={"feeling": "angry"})
    assert check(move, "There seems to be a lot of anger in what you say.") == ()  # another form of the word
    assert check(move, "It sounds as if that really stayed with you.") == ("wrong_move",)


def test_dream_work_names_the_element() -> None:
    move = Move(MoveName.DREAM_WORK, "a dream", slots={"element": "the locked house"})
    assert check(move, "I wonder what the house brings to mind?") == ()
    assert check(move, "What comes to mind about the dream?") == ("wrong_move",)
    assert check(Move(MoveName.DREAM_WORK, "a dream"), "What comes to mind about the dream?") == ()


def test_a_disclosure_says_it_is_an_ai() -> None:
    move = Move(MoveName.DISCLOSURE, "first use")
    assert check(move, "Just so you know: I'm an AI companion, not a therapist and not a person.") == ()
    assert check(move, "Just so you know: I'm here to listen.") == ("wrong_move",)


@pytest.mark.parametrize(
    "text",
    [
        "This is because of your mother.",
        "The reason is that you were never seen.",
        "Clearly you are still angry with him.",
        "Obviously you want her approval.",
        "You always push people away.",
        "Deep down you know the answer.",
    ],
)
def test_certainty(text: str) -> None:
    assert "certainty" in check(FOLLOW, text)


@pytest.mark.parametrize(
    "text",
    [
        "Perhaps this is because of your mother.",
        "I wonder if the reason is that you were never seen.",
        "You said you always push people away.",
        "Do you always end up feeling this way?",  # a question asks, it gives no verdict
        'You wrote "it\'s because I am unlovable".',  # the client's words
    ],
)
def test_not_certainty(text: str) -> None:
    assert "certainty" not in check(FOLLOW, text)


def test_curly_quotes_and_case_are_handled_like_straight_ones() -> None:
    assert check(FOLLOW, "You said you \u2018NEED TO\u2019 rest.") == ()
    assert "advice" in check(FOLLOW, "YOU SHOULD call her.")


def test_problems_come_in_report_order() -> None:
    found = check(ASSOCIATE, "You should do a worksheet. Clearly you always avoid it. Do it now. Tonight.")
    assert found == ("too_long", "missing_question", "advice", "cbt_homework", "certainty")
    assert list(found) == sorted(found, key=REPORT_PROBLEMS.index)
