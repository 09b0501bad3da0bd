"""Promise 2: the companion says it is an AI and not a therapist, on every rule, at the boundaries."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from reverie.safety.disclosure import (
    CONTINUOUS_GAP,
    DISCLOSURE_TEXT,
    REASONS,
    Clock,
    DisclosureState,
    FakeClock,
    SystemClock,
    asks_if_human,
    disclosure_due,
    record_disclosure,
    record_message,
)

HELLO = "hi, I had a strange dream last night"


def converse(state: DisclosureState, clock: FakeClock, text: str = HELLO) -> tuple[DisclosureState, str | None]:
    """What the companion does on each message: check, disclose if due, then note the message."""
    now = clock.now()
    reason = disclosure_due(state, now, text)
    if reason is not None:
        state = record_disclosure(state, now)
    return record_message(state, now), reason


def started(clock: FakeClock) -> DisclosureState:
    """A person who has been told once and sent a first message, at the clock's time."""
    state, reason = converse(DisclosureState(), clock)
    assert reason == "first_use"
    return state


# -- the text -----------------------------------------------------------------------------------


def test_disclosure_text_says_what_the_companion_is_and_is_not() -> None:
    text = DISCLOSURE_TEXT.lower()
    assert "ai" in text.split() or "an ai" in text
    assert "not a therapist" in text
    assert "not a person" in text or "not a human" in text
    assert "diagnose" in text and "medical advice" in text
    assert "emergency" in text
    sentences = [s for s in DISCLOSURE_TEXT.replace("!", ".").split(". ") if s.strip()]
    assert 1 <= len(sentences) <= 3


# -- clocks -------------------------------------------------------------------------------------


def test_system_clock_is_aware_and_current() -> None:
    clock: Clock = SystemClock()
    now = clock.now()
    assert now.tzinfo is not None
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)
    assert isinstance(clock, Clock)


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock()
    first = clock.now()
    assert clock.now() == first and first.tzinfo is not None
    assert clock.advance(minutes=5) == first + timedelta(minutes=5)
    assert clock.advance(timedelta(hours=1), minutes=1) == first + timedelta(hours=1, minutes=6)
    target = datetime(2030, 5, 1, tzinfo=UTC)
    assert clock.set(target) == target == clock.now()
    assert isinstance(clock, Clock)


def test_fake_clock_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeClock(datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeClock().set(datetime(2025, 1, 1))


# -- first use ----------------------------------------------------------------------------------


def test_first_use_is_disclosed_before_anything_else() -> None:
    clock = FakeClock()
    assert disclosure_due(DisclosureState(), clock.now(), HELLO) == "first_use"
    assert disclosure_due(DisclosureState(), clock.now(), "") == "first_use"
    # first use wins over being asked: one disclosure answers both
    assert disclosure_due(DisclosureState(), clock.now(), "are you a bot?") == "first_use"


def test_first_use_is_not_repeated_once_disclosed() -> None:
    clock = FakeClock()
    state = started(clock)
    for _ in range(5):
        clock.advance(minutes=10)
        state, reason = converse(state, clock)
        assert reason is None


def test_first_use_before_any_message_even_long_after_install() -> None:
    state = DisclosureState()
    clock = FakeClock()
    clock.advance(days=400)
    assert disclosure_due(state, clock.now(), HELLO) == "first_use"


# -- asked --------------------------------------------------------------------------------------


def test_asked_is_disclosed_every_time() -> None:
    clock = FakeClock()
    state = started(clock)
    for _ in range(3):
        clock.advance(minutes=1)
        state, reason = converse(state, clock, "wait... are you a real person?")
        assert reason == "asked"


def test_asked_right_after_a_disclosure_is_still_answered() -> None:
    clock = FakeClock()
    state = started(clock)
    assert disclosure_due(state, clock.now(), "am I talking to a robot?") == "asked"


def test_small_talk_does_not_trigger() -> None:
    clock = FakeClock()
    state = started(clock)
    clock.advance(minutes=2)
    assert disclosure_due(state, clock.now(), "are you there?") is None
    assert disclosure_due(state, clock.now(), "are you free on Tuesday?") is None


ASKS = [
    "are you real?",
    "Are you a real person?",
    "are you human",
    "are you a person",
    "are you an actual person",
    "are you a bot",
    "r u a bot lol",
    "ru real",
    "are yuo a huamn",
    "arr you a person",
    "ARE YOU REAL",
    "are you reeeeal",
    "are you even real",
    "are you actually a human being",
    "are you alive?",
    "are you sentient",
    "are you a therapist?",
    "are you a therpist",
    "are you a real counsellor?",
    "are you a real counselor",
    "are you my therapist?",
    "are you a licensed therapist?",
    "are you qualified?",
    "are you a psychologist",
    "are you a doctor?",
    "is this a real therapist?",
    "Am I talking to a robot?",
    "am i talkin to a robto",
    "am i just talking to a machine",
    "Am I chatting with a real person right now?",
    "am i talking to a robot right now",
    "I've been talking to a bot this whole time?",
    "is this AI?",
    "Is this A.I.?",
    "is this an ai",
    "is this some kind of AI?",
    "is this a chatbot",
    "is it a bot",
    "is this automated?",
    "are these replies automated?",
    "did a bot write this?",
    "Are you ChatGPT?",
    "wait, are you a computer?",
    "are you a machine",
    "are you a robot or something",
    "are you a real person though",
    "Are you a real human or a bot?",
    "are you a human being or an AI",
    "human or bot?",
    "you're a bot, aren't you?",
    "you're not real, are you?",
    "youre just a program",
    "ur a bot",
    "ur not real r u",
    "your a robot lol",
    "u r a bot",
    "is there a real person on the other end?",
    "is anyone actually reading this?",
    "can I talk to a real person?",
    "can i speak to a human",
    "who am I talking to?",
    "what are you?",
]

NOT_ASKS = [
    "are you there?",
    "are you free on Tuesday?",
    "are you still there?",
    "are you really there?",
    "are you there? I need to talk",
    "is anyone there?",
    "are you okay?",
    "are you listening?",
    "are you busy",
    "are you real busy today",
    "are you sure?",
    "are you really sure?",
    "are you mad at me?",
    "are you kidding me",
    "are you going to remember this?",
    "are you able to help",
    "are you on my side?",
    "are you a fan of Radiohead?",
    "are you a morning person?",
    "are you a cat person",
    "are you human rights aware",
    "I'm not a people person",
    "is this normal?",
    "is this my fault?",
    "is this real life",
    "is it real love or am I kidding myself",
    "is it ok to cry",
    "is it someone I know?",
    "is this the right place to write?",
    "is that a therapist thing to say",
    "I feel like nothing is real",
    "my dream felt so real",
    "my therapist is a real person",
    "is my therapist a bad person?",
    "am I talking too much?",
    "am I talking to myself here?",
    "I'm talking to my therapist tomorrow",
    "I'm talking to a counsellor at work as well",
    "I want to be a therapist one day",
    "my sister is a doctor",
    "my mum is a nurse",
    "I am a person too",
    "you are a good person",
    "the robot vacuum broke",
    "I watched a film about AI",
    "who are you talking about?",
    "what are you doing?",
    "what are you up to",
    "is there anyone who cares about me",
    "talk to your therapist, everyone says",
    "",
    "   ",
]


def test_enough_examples() -> None:
    assert len(ASKS) >= 20 and len(NOT_ASKS) >= 20


@pytest.mark.parametrize("text", ASKS)
def test_asks_if_human_positive(text: str) -> None:
    assert asks_if_human(text), text


@pytest.mark.parametrize("text", NOT_ASKS)
def test_asks_if_human_negative(text: str) -> None:
    assert not asks_if_human(text), text


@pytest.mark.parametrize("text", ["are you real?", "are you a therapist?", "am I talking to a robot", "is this AI"])
def test_asking_is_found_inside_a_longer_message(text: str) -> None:
    assert asks_if_human(f"Sorry, this might be a weird question. {text} I just need to know.")


# -- long absence -------------------------------------------------------------------------------


def test_absence_of_6_days_23_hours_is_not_long() -> None:
    clock = FakeClock()
    state = started(clock)
    clock.advance(days=6, hours=23)
    assert disclosure_due(state, clock.now(), HELLO) is None


def test_absence_of_7_days_is_long() -> None:
    clock = FakeClock()
    state = started(clock)
    clock.advance(days=7)
    assert disclosure_due(state, clock.now(), HELLO) == "long_absence"


def test_absence_of_7_days_minus_a_second_is_not_long() -> None:
    clock = FakeClock()
    state = started(clock)
    clock.advance(days=7, seconds=-1)
    assert disclosure_due(state, clock.now(), HELLO) is None


def test_absence_counts_from_the_last_message_not_the_last_disclosure() -> None:
    clock = FakeClock()
    state = started(clock)
    for _ in range(5):  # visits every 2 days keep it from being "long"
        clock.advance(days=2)
        state, reason = converse(state, clock)
        assert reason is None
    clock.advance(days=7)
    state, reason = converse(state, clock)
    assert reason == "long_absence"
    clock.advance(minutes=1)
    assert converse(state, clock)[1] is None  # told once, not again on the next message


def test_absence_after_a_disclosure_without_any_message() -> None:
    clock = FakeClock()
    state = record_disclosure(DisclosureState(), clock.now())
    clock.advance(days=8)
    assert disclosure_due(state, clock.now(), HELLO) == "long_absence"


def test_asked_wins_over_long_absence() -> None:
    clock = FakeClock()
    state = started(clock)
    clock.advance(days=30)
    assert disclosure_due(state, clock.now(), "are you human?") == "asked"


# -- continuous use -----------------------------------------------------------------------------


def chat_for(state: DisclosureState, clock: FakeClock, duration: timedelta, every: timedelta) -> tuple[DisclosureState, list[str | None]]:
    """Messages every ``every`` until ``duration`` has passed since now; returns the reasons seen."""
    end = clock.now() + duration
    reasons: list[str | None] = []
    while clock.now() + every <= end:
        clock.advance(every)
        state, reason = converse(state, clock)
        reasons.append(reason)
    return state, reasons


def test_2h59_of_continuous_use_is_not_due() -> None:
    clock = FakeClock()
    state = started(clock)
    state, reasons = chat_for(state, clock, timedelta(hours=2, minutes=59), timedelta(minutes=1))
    assert state.session_started_at is not None
    assert clock.now() - state.session_started_at == timedelta(hours=2, minutes=59)
    assert set(reasons) == {None}


def test_3h_of_continuous_use_is_due() -> None:
    clock = FakeClock()
    state = started(clock)
    state, _ = chat_for(state, clock, timedelta(hours=2, minutes=59), timedelta(minutes=1))
    clock.advance(minutes=1)
    assert disclosure_due(state, clock.now(), HELLO) == "continuous_use"


def test_continuous_use_repeats_every_3_hours() -> None:
    clock = FakeClock()
    state = started(clock)
    state, reasons = chat_for(state, clock, timedelta(hours=9), timedelta(minutes=15))
    due_at = [n for n, r in enumerate(reasons, start=1) if r is not None]
    assert [r for r in reasons if r is not None] == ["continuous_use"] * 3
    assert due_at == [12, 24, 36]  # every 3 h of 15-minute messages


def test_gap_of_30_minutes_keeps_use_continuous() -> None:
    clock = FakeClock()
    state = started(clock)
    state, reasons = chat_for(state, clock, timedelta(hours=3), CONTINUOUS_GAP)
    assert reasons[-1] == "continuous_use"
    assert set(reasons[:-1]) == {None}


def test_gap_over_30_minutes_starts_a_new_stretch() -> None:
    clock = FakeClock()
    state = started(clock)
    state, reasons = chat_for(state, clock, timedelta(hours=2), timedelta(minutes=10))
    assert set(reasons) == {None}
    clock.advance(minutes=31)  # a break
    state, reason = converse(state, clock)
    assert reason is None and state.session_started_at == clock.now()
    state, reasons = chat_for(state, clock, timedelta(hours=2, minutes=50), timedelta(minutes=10))
    assert set(reasons) == {None}  # 2 h + 2 h 50 of use, but never 3 h without a break
    clock.advance(minutes=10)
    assert disclosure_due(state, clock.now(), HELLO) == "continuous_use"


def test_the_message_after_a_gap_is_not_counted_as_continuous() -> None:
    clock = FakeClock()
    state = started(clock)
    state, _ = chat_for(state, clock, timedelta(hours=2, minutes=50), timedelta(minutes=10))
    clock.advance(minutes=31)  # 3 h 21 after the start, but after a break
    assert disclosure_due(state, clock.now(), HELLO) is None


def test_continuous_use_counts_from_the_later_of_stretch_start_and_disclosure() -> None:
    clock = FakeClock()
    state = started(clock)
    start = clock.now()
    state, _ = chat_for(state, clock, timedelta(minutes=50), timedelta(minutes=10))
    clock.advance(minutes=10)  # asked an hour in: the 3 hours start again from here
    state, reason = converse(state, clock, "are you a robot")
    assert reason == "asked"
    state, reasons = chat_for(state, clock, timedelta(hours=2, minutes=50), timedelta(minutes=10))
    assert set(reasons) == {None}
    assert state.session_started_at == start and clock.now() - start == timedelta(hours=3, minutes=50)
    clock.advance(minutes=10)
    assert disclosure_due(state, clock.now(), HELLO) == "continuous_use"


def test_a_clock_that_goes_backwards_does_not_disclose_spuriously() -> None:
    clock = FakeClock()
    state = started(clock)
    clock.advance(minutes=-20)
    assert disclosure_due(state, clock.now(), HELLO) is None


# -- state ---------------------------------------------------------------------------------------


def test_record_disclosure_and_message_return_new_states() -> None:
    clock = FakeClock()
    empty = DisclosureState()
    told = record_disclosure(empty, clock.now())
    assert empty.last_disclosed_at is None and told.last_disclosed_at == clock.now()
    sent = record_message(told, clock.now())
    assert sent.last_message_at == sent.session_started_at == clock.now()
    clock.advance(minutes=5)
    again = record_message(sent, clock.now())
    assert again.session_started_at == sent.session_started_at and again.last_message_at == clock.now()


def test_state_round_trips_through_json() -> None:
    clock = FakeClock(datetime(2025, 3, 30, 0, 30, tzinfo=timezone(timedelta(hours=2))))
    state = started(clock)
    clock.advance(minutes=20)
    state, _ = converse(state, clock)
    data = json.loads(json.dumps(state.to_dict()))
    assert DisclosureState.from_dict(data) == state
    assert DisclosureState.from_dict(DisclosureState().to_dict()) == DisclosureState()
    assert DisclosureState.from_dict({}) == DisclosureState()


@pytest.mark.parametrize(
    "data",
    [
        {"last_disclosed_at": "yesterday"},
        {"last_message_at": "2025-01-01T10:00:00"},  # naive
        {"session_started_at": 12},
        {"last_seen": "2025-01-01T10:00:00+00:00"},
    ],
)
def test_malformed_state_is_refused(data: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        DisclosureState.from_dict(data)


def test_naive_times_are_refused() -> None:
    naive = datetime(2025, 1, 1, 12, 0)
    with pytest.raises(ValueError):
        DisclosureState(last_disclosed_at=naive)
    with pytest.raises(ValueError):
        disclosure_due(DisclosureState(), naive, HELLO)
    with pytest.raises(ValueError):
        record_disclosure(DisclosureState(), naive)
    with pytest.raises(ValueError):
        record_message(DisclosureState(), naive)


def test_reasons_are_the_documented_ones() -> None:
    assert REASONS == ("first_use", "asked", "long_absence", "continuous_use")
