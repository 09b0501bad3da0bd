"""AI disclosure: the companion says what it is, so that nobody mistakes it for a therapist.

DESIGN.md promise 2: the companion says it is an AI and not a therapist before first use,
whenever asked, after a long absence and at least every 3 hours of continuous use. People in
distress can forget, or never notice, that they are talking to software; someone who believes a
person is reading may wait for help that is not coming. The rules here are deliberately simple
and deterministic so that a test can prove each one, and time comes from a ``Clock`` so the tests
never sleep or depend on the wall clock.

Everything in this module is pure: ``disclosure_due`` only reads the state, and
``record_disclosure`` / ``record_message`` return a new state. Persisting the state is the
caller's job (it serialises with ``to_dict`` / ``from_dict``).
"""

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Final, Protocol, runtime_checkable

from reverie.analysis.matching import one_edit
from reverie.analysis.risk import normalise

__all__ = [
    "CONTINUOUS_GAP",
    "CONTINUOUS_USE",
    "DISCLOSURE_TEXT",
    "LONG_ABSENCE",
    "REASONS",
    "Clock",
    "DisclosureState",
    "FakeClock",
    "SystemClock",
    "asks_if_human",
    "disclosure_due",
    "record_disclosure",
    "record_message",
]

DISCLOSURE_TEXT: Final = (
    "Just so you know: I'm an AI companion, not a therapist and not a person, "
    "and I can't diagnose anything or give medical advice. "
    "If you are ever in an emergency, please call your local emergency number."
)

#: Time away after which the companion introduces itself again.
LONG_ABSENCE: Final = timedelta(days=7)
#: Continuous use after which the companion reminds the person what it is.
CONTINUOUS_USE: Final = timedelta(hours=3)
#: A gap between messages longer than this ends a stretch of continuous use.
CONTINUOUS_GAP: Final = timedelta(minutes=30)

#: The reasons ``disclosure_due`` can give, in the order they are checked.
REASONS: Final = ("first_use", "asked", "long_absence", "continuous_use")


# -- time ---------------------------------------------------------------------------------------


def _require_aware(value: datetime, what: str) -> datetime:
    """Naive datetimes make every interval ambiguous across time zones and DST: refuse them."""
    if not isinstance(value, datetime):
        raise TypeError(f"{what} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (got naive {value.isoformat()})")
    return value


@runtime_checkable
class Clock(Protocol):
    """Where the safety layer reads the time; injected so tests control it."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in UTC so stored times compare correctly whatever the machine's zone."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when a test moves it, so time rules are tested without sleeping."""

    DEFAULT_START: Final = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)

    def __init__(self, start: datetime | None = None) -> None:
        self._now = _require_aware(start, "start") if start is not None else self.DEFAULT_START

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> datetime:
        """Jump to ``when`` (backwards too: tests of a misbehaving clock need that)."""
        self._now = _require_aware(when, "when")
        return self._now

    def advance(self, delta: timedelta | None = None, /, **parts: float) -> datetime:
        """Move forward by ``delta`` or by ``timedelta(**parts)``; returns the new time."""
        step = (delta or timedelta()) + timedelta(**parts)
        self._now += step
        return self._now


# -- state --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DisclosureState:
    """What the disclosure rules need to remember about one person's use of the companion.

    ``last_disclosed_at``: when the disclosure was last shown (None: never, so it is due).
    ``last_message_at``: the person's latest message, to measure absence and gaps.
    ``session_started_at``: the start of the current stretch of continuous use.
    """

    last_disclosed_at: datetime | None = None
    last_message_at: datetime | None = None
    session_started_at: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("last_disclosed_at", "last_message_at", "session_started_at"):
            value = getattr(self, name)
            if value is not None:
                _require_aware(value, name)

    def to_dict(self) -> dict[str, str | None]:
        """ISO 8601 strings (or None), so the state fits in JSON or a text column."""
        return {
            "last_disclosed_at": _iso(self.last_disclosed_at),
            "last_message_at": _iso(self.last_message_at),
            "session_started_at": _iso(self.session_started_at),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DisclosureState":
        """The inverse of ``to_dict``; missing keys mean "never", anything else malformed is refused."""
        if not isinstance(data, dict):
            raise TypeError(f"disclosure state must be a dict, not {type(data).__name__}")
        unknown = set(data) - {"last_disclosed_at", "last_message_at", "session_started_at"}
        if unknown:
            raise ValueError(f"unknown keys in disclosure state: {sorted(unknown)}")
        return cls(
            last_disclosed_at=_parse(data.get("last_disclosed_at"), "last_disclosed_at"),
            last_message_at=_parse(data.get("last_message_at"), "last_message_at"),
            session_started_at=_parse(data.get("session_started_at"), "session_started_at"),
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: object, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be an ISO 8601 string or null, not {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{name} is not an ISO 8601 time: {value!r}") from exc
    return _require_aware(parsed, name)


# -- the rules ----------------------------------------------------------------------------------


def disclosure_due(state: DisclosureState, now: datetime, text: str) -> str | None:
    """Why the disclosure must be shown before replying to ``text`` at ``now``, or None.

    Call it with the state as it was *before* this message (``record_message`` comes after),
    so the gap since the previous message can be measured. Reasons, first match wins:

    - ``first_use``: it has never been shown.
    - ``asked``: the message asks whether the companion is a person, a bot or a therapist.
    - ``long_absence``: 7 days or more since the person was last here.
    - ``continuous_use``: 3 hours or more of continuous use (no gap over 30 minutes between
      messages) since the start of that stretch or the last disclosure, whichever is later.
    """
    _require_aware(now, "now")
    if state.last_disclosed_at is None:
        return "first_use"
    if asks_if_human(text):
        return "asked"
    last_seen = max(t for t in (state.last_message_at, state.last_disclosed_at) if t is not None)
    if now - last_seen >= LONG_ABSENCE:
        return "long_absence"
    if state.last_message_at is None or state.session_started_at is None:
        return None  # no stretch of use has started yet: this message starts one
    if now - state.last_message_at > CONTINUOUS_GAP:
        return None  # this message starts a new stretch
    since = max(state.session_started_at, state.last_disclosed_at)
    if now - since >= CONTINUOUS_USE:
        return "continuous_use"
    return None


def record_disclosure(state: DisclosureState, now: datetime) -> DisclosureState:
    """The state after the disclosure was shown at ``now``."""
    return replace(state, last_disclosed_at=_require_aware(now, "now"))


def record_message(state: DisclosureState, now: datetime) -> DisclosureState:
    """The state after the person sent a message at ``now``.

    A gap over ``CONTINUOUS_GAP`` (or a first message) starts a new stretch of continuous use.
    """
    _require_aware(now, "now")
    previous = state.last_message_at
    if previous is None or state.session_started_at is None or now - previous > CONTINUOUS_GAP:
        return replace(state, last_message_at=now, session_started_at=now)
    return replace(state, last_message_at=now)


# -- "are you a real person?" -------------------------------------------------------------------

# Texting spellings and typos that the risk lens's normaliser leaves alone (it skips short words).
_SPELLINGS: Final = {
    "r": "are", "ru": "are you", "ar": "are", "arr": "are", "aer": "are", "rae": "are", "are'nt": "aren't", "arent": "aren't",
    "ya": "you", "yu": "you", "yuo": "you", "yoo": "you", "yo": "you", "uo": "you", "oyu": "you", "yyou": "you",
    "youre": "you're", "your're": "you're", "ur": "you're", "yr": "you're", "yore": "you're",
    "iz": "is", "si": "is", "tihs": "this", "thsi": "this", "htis": "this", "dis": "this", "tis": "this",
    "a.i": "ai", "a.i.": "ai", "a.i.s": "ais", "ais": "ai", "bots": "bot", "robots": "robot", "chatbots": "chatbot",
    "humans": "human", "hooman": "human", "humn": "human", "huamn": "human", "hmuan": "human", "persn": "person",
    "prson": "person", "perosn": "person", "peron": "person", "rela": "real", "rael": "real", "reel": "real", "reall": "real",
    "talkin": "talking", "speakin": "speaking", "chattin": "chatting", "textin": "texting", "talkign": "talking",
    "therapists": "therapist", "counsellors": "counsellor", "counselors": "counselor", "docter": "doctor", "docotr": "doctor",
    "ppl": "people", "sum1": "someone", "some1": "someone", "any1": "anyone", "ne1": "anyone",
}  # fmt: skip

# Words worth correcting when a typo is one edit away; common words one edit from these are kept.
_FUZZY: Final = (
    "human", "person", "robot", "chatbot", "machine", "computer", "program", "programme", "therapist", "counsellor",
    "counselor", "psychologist", "psychiatrist", "psychotherapist", "talking", "speaking", "chatting", "texting",
    "actually", "really", "automated", "artificial", "intelligence", "someone", "somebody", "anyone", "anybody",
)  # fmt: skip
_NOT_TYPOS: Final = frozenset({
    "humane", "humans", "walking", "stalking", "balking", "taking", "talkin", "parson", "persona", "persons", "prison",
    "robots", "robert", "machines", "computers", "programs", "therapists", "counsellors", "counselors", "counseling",
    "speaker", "sneaking", "chatting", "charting", "testing", "texting", "tasting", "actual", "really", "realty",
    "anyone", "someone", "somehow", "anyhow",
})  # fmt: skip


@cache
def _fix(token: str) -> str:
    token = _SPELLINGS.get(token, token)
    if len(token) < 5 or not token.isalpha() or token in _NOT_TYPOS or token in _FUZZY:
        return token
    matches = [target for target in _FUZZY if one_edit(token, target)]
    return matches[0] if len(matches) == 1 else token


def _canonical(text: str) -> str:
    """Lower case, texting spellings and typos undone, one space between tokens."""
    dotted = re.sub(r"(?i)(?<![\w.])a\s?\.\s?i\b\.?", " ai ", text)  # "A.I." / "a. i." before tokens are split
    return " ".join(_fix(t) for t in normalise(dotted).text.split())


_ARTICLE = r"(?:an? |the |some |one of (?:those|them|these) )"
_HEDGE = r"(?:(?:even|actually|really|just|only|like|truly|honestly|seriously|literally|definitely|still|all|kind of|sort of|some kind of|some sort of|basically|secretly|therefore) )"
_MODIFIER = r"(?:(?:real|actual|live|living|genuine|proper|human|trained|licensed|licenced|qualified|professional|certified|registered|fake|ai|computer|artificial|automated|online|virtual|chat|fellow|flesh and blood|breathing) )"
_ENTITY = (
    r"(?:human beings?|human|person|bot|robot|chatbot|ai|artificial intelligence|machine|computer(?: program(?:me)?)?"
    r"|program(?:me)?|algorithm|software|language model|llm|gpt|chatgpt|therapist|counsell?or|psychologist|psychiatrist"
    r"|psychotherapist|psychoanalyst|analyst|doctor|shrink|clinician|nurse|professional(?= ?(?:$|[?!.,]))|automated (?:system|service|reply|response)s?|bot reply|script)"
)
_MACHINE = r"(?:bot|robot|chatbot|ai|artificial intelligence|machine|computer(?: program(?:me)?)?|program(?:me)?|algorithm|software|language model|llm|script)"
# What may follow the entity: not a noun that turns "a human" into "a human rights lawyer".
_END = (
    r"(?! (?:rights|resources|nature|body|race|error|being (?!real)|kind\b|league|of |in (?:my|the|your|a) |for (?:my|the)|about|at (?!all)"
    r"|person|pleaser|friend|fan|thing|things|stuff|question|word|term|job|degree|school|course|appointment|sessions?|office|visit|voice|said|says|told|thinks?)|[\w'])"
)
_NOUN = rf"{_ARTICLE}?{_HEDGE}*{_MODIFIER}*{_ENTITY}{_END}"
_ADJ = r"(?:real|human|alive|sentient|conscious|a real one|automated|artificial|programmed|licensed|licenced|qualified|certified|trained|registered|a bot or a human|a bot or human|fake|a person or a bot)"
# What may follow an adjective: the end of the question, not "real busy" or "real life".
_ADJ_END = r"(?= ?(?:$|[?!.,;:)(]|(?:or|and|tho|though|lol|haha|right|at all|actually|really|then|too|now|even|either|anymore|to me|i mean|because|cause|cos|like|here|there|or not|in there|behind this|are you|aren't you|isn't it|is it|am i|huh|eh|yeah|yes|no|tbh|honestly|after all|anyway)\b))"
_YOU_HEDGE = r"(?:not |just |only |obviously |clearly |probably |definitely |actually |really |so |totally |literally |secretly |even )"
_YOU_ADJ = r"(?:real|human|alive|sentient|conscious|automated|programmed|fake)"
_TALK = r"(?:talking|speaking|chatting|texting|writing|typing|messaging|venting|speaking|opening up|telling (?:all )?this)"

_ASKS = re.compile(
    "|".join(
        (
            # "are you a bot", "r u a real therapist", "is this AI", "are you actually human"
            rf"\b(?:are you|were you|is this|is it|is that|is this thing|is this app|is this chat|is this service|is reverie|are these (?:replies|messages|answers)) {_HEDGE}*(?:(?:my |our )(?:new )?(?:therapist|counsell?or|shrink|doctor)\b|{_NOUN}|{_ADJ}{_ADJ_END})",
            # "you're a bot, aren't you?", "you're not real, are you", "you're just a program"
            rf"\b(?:you're|you are|u r|you r) {_YOU_HEDGE}*(?:a |an )?(?:{_MODIFIER}*{_ENTITY}{_END}|{_YOU_ADJ}{_ADJ_END})",
            # the same with "your" for "you're" ("ur a bot" is read as "your a bot"), which needs an article or a hedge
            rf"\b(?:your) (?:{_YOU_HEDGE}+(?:a |an )?|a |an )(?:{_MODIFIER}*{_ENTITY}{_END}|{_YOU_ADJ}{_ADJ_END})",
            rf"\b(?:your) {_YOU_ADJ}{_ADJ_END}",
            # "am I talking to a robot", "who am I speaking with", "am i just venting to a machine"
            rf"\b(?:am i|are we|is it|have i been|was i) (?:even |actually |really |just |only |still )*{_TALK} (?:to|with) (?:{_NOUN}|(?:a |an )?(?:real|human|machine|bot)\b)",
            rf"\b(?:i'm|i am|i've been|i have been) (?:even |actually |really |just |only |still )*{_TALK} (?:to|with) {_ARTICLE}?{_HEDGE}*{_MACHINE}{_END}",
            rf"\bwho (?:am i|are we|is this i'm|is it i'm|have i been) (?:even |actually |really )?{_TALK}(?: to| with)?\b",
            r"\b(?:who|what) (?:are you|is this|am i talking to|exactly are you)(?: exactly| really| actually)?(?: \?|$| !| \.)",
            # "is there a real person on the other end?", "is anyone actually reading this"
            r"\b(?:is there|is|are there) (?:a |an |any )?(?:real |actual |live |human )*(?:person|people|human|humans|someone|somebody|anyone|anybody|therapist|counsell?or)(?: real| actually| really)? (?:there |here )?(?:on the other (?:end|side)|behind (?:this|the|these|you)|reading|typing|writing|answering|replying|responding|behind the screen|at the other end|checking|watching)",
            # "can I talk to a real person / a human / a real therapist"
            r"\b(?:can|could|may) i (?:please )?(?:talk|speak|chat) (?:to|with) (?:an? )?(?:real |actual |live )+(?:person|human|therapist|counsell?or|someone|one)\b",
            r"\b(?:can|could|may) i (?:please )?(?:talk|speak|chat) (?:to|with) (?:a |an )?human\b",
            # "do you have a licence", "are you trained as a therapist"
            r"\b(?:are|were) you (?:trained|qualified|licensed|licenced|certified|registered) (?:as )?(?:an? )?(?:therapist|counsell?or|psychologist|professional|doctor)?",
            r"\bdo you have (?:a |any )?(?:licence|license|qualifications?|credentials|training as)",
            # "is this automated?", "is this AI generated", "did a bot write this"
            r"\b(?:is this|is it|are these|is that) (?:reply |message |response )?(?:automated|auto ?generated|ai generated|generated|computer generated|scripted|a script|a recording)\b",
            r"\b(?:did|does) (?:a |an )?(?:bot|robot|ai|machine|computer|program(?:me)?) (?:write|wrote|answer|reply|send|generate)",
            r"\b(?:human|person|bot|robot|ai|machine|real person|real human) or (?:a |an )?(?:bot|robot|ai|machine|computer|human|person|program(?:me)?)\s*\?",
        )
    )
)


def asks_if_human(text: str) -> bool:
    """Whether ``text`` asks if the companion is a person, a bot, an AI or a therapist.

    Matches the question in its many spellings ("are you real?", "r u a bot", "am I talking to a
    robot", "is this AI", "you're not a real counsellor, are you") and not the small talk that
    shares its opening ("are you there?", "are you free on Tuesday?", "are you a morning person?").
    Leaning towards disclosing is cheap, so ambiguous questions about what the companion is count.
    """
    if not text or not text.strip():
        return False
    return _ASKS.search(_canonical(text)) is not None
