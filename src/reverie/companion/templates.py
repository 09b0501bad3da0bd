"""The default renderer: each move phrased from a bank of tentative, short templates.

Templates are the renderer that always works (no model, no network), so they carry the wording
rules themselves: tentative ("I wonder", "perhaps"), one to three sentences, the client's own
words where there are some, at most one question, and never the same sentence twice in a
conversation. Variants are tried in an order that changes the opening words from one reply to
the next, and a variant whose sentences were already said is skipped.
"""

import re
from collections.abc import Mapping, Sequence
from typing import Final

from reverie.companion.moves import Move, MoveName

# {slot} names a piece of the move's slots; a variant is used only when all its slots are filled.
BANKS: Final[Mapping[MoveName, tuple[str, ...]]] = {
    MoveName.OPEN: (
        "I'm here, and there's no agenda: we can start wherever you like. What's on your mind today?",
        "Hello again. Wherever you'd like to begin is the right place. What's with you at the moment?",
        "It's good to hear from you. Take your time; what would you like to start with?",
    ),
    MoveName.REFLECT_FEELING: (
        "It sounds like you were {feeling}.",
        "There's a lot of {feeling_noun} in what you're describing.",
        "I can hear that it left you {feeling}.",
        "\"{feeling_quote}\": that sounds like a lot to carry.",
        "Perhaps part of you is still {feeling} about it.",
        "It sounds as if the {feeling_noun} is close to the surface right now.",
        "The {feeling_noun} comes through strongly as you tell it.",
        "It makes sense that you were {feeling}.",
        "Something in this has left you {feeling}, it seems.",
        "There seems to be real {feeling_noun} underneath this.",
        "\"{feeling_quote}\". I can hear how much that matters.",
        "I'm struck by the {feeling_noun} in what you say.",
    ),
    MoveName.INVITE_ASSOCIATION: (),  # built from parts below
    MoveName.SPECIFIC_MOMENT: (
        "Could you tell me about one particular time that happened with {person}?",
        "Is there a moment with {person} that stands out, one you could walk me through?",
        "I wonder if a specific time comes to mind, when that happened with {person}?",
        "Perhaps you could describe one recent moment with {person}, as it actually unfolded?",
        "Can you think of a particular occasion when you felt that way?",
        "Is there one moment that stands out, one we could look at more closely?",
    ),
    MoveName.LINK_PAST_PRESENT: (),  # built from parts below
    MoveName.NOTICE_DEFENSE: (),  # worded by the defense's level: see LEVEL_BANKS
    MoveName.NOTICE_AVOIDANCE: (),  # built from parts below
    MoveName.TRANSFERENCE: (),  # built from parts below
    MoveName.DREAM_WORK: (),  # the stages of dream work have their own banks: see DREAM_BANKS
    MoveName.NAME_PATTERN: (
        "I may be wrong, but something seems to come up more than once: with {people}, there was {feeling}. Does that fit?",
        "I wonder if there's a pattern here: with {people}, the same {feeling} seems to return. Does that ring true for you?",
        "Perhaps this is familiar: {people}, and each time a sense of {feeling}. I might have it wrong; how does it sound to you?",
    ),
    MoveName.BOUNDARY: (),  # built from parts below
    MoveName.DIRECTION: (),  # built from parts below
    MoveName.FOLLOW: (),  # built from parts below
    MoveName.CLOSE: (
        "Before you go: today you spoke about {emerged}. Thank you for bringing it here; it will keep until next time.",
        "We're coming to an end for now. A lot came up, {emerged}, and it's fine to leave it open.",
        "Let's pause here. Today touched on {emerged}; there's no need to tie it up neatly.",
        "Thank you for today. What emerged, {emerged}, is here whenever you want to come back to it.",
    ),
}



def _pairs(first: Sequence[str], second: Sequence[str], seed: int, joint: str = ", ") -> tuple[str, ...]:
    """Every combination of two parts, in a fixed shuffled order, so neighbours differ in both."""
    import random

    combos = [f"{a} {b}" if a.endswith((".", "?", "!", ":", ";")) else f"{a}{joint}{b}" for a in first for b in second]
    random.Random(seed).shuffle(combos)
    return tuple(combos)


# Following: a short acknowledgement and an open invitation, one sentence (120 of them, never repeated).
_ACK: Final = ("Mm", "I see", "I'm with you", "I hear you", "Okay", "Right", "I'm listening", "Yes", "Ah", "I'm following")
_INVITE: Final = (
    "say a little more?", "what else is there?", "where does it go from there?", "what's that like for you?",
    "how do you mean?", "what comes up as you say it?", "tell me more?", "what happened then?",
    "how does it feel to say that?", "is there more to it?", "what else comes to mind?", "what's it like to put that into words?",
)  # fmt: skip
_ECHO: Final = (
    "\"{quote}\": tell me more about that?",
    "\"{quote}\". What's that like for you?",
    "\"{quote}\", you say. How do you mean?",
    "\"{quote}\". Say a little more?",
    "Go on, I'm listening.",
    "Take your time; I'm here.",
    "I'd like to hear more, whenever you're ready.",
    "I'm still listening, if there's more.",
)
# Association: what comes to mind, asked many ways.
_ASSOCIATE: Final = ("What comes to mind", "What comes up for you", "Where does your mind go", "What do you notice", "What else comes to mind", "What images come")
_ASSOCIATE_WHEN: Final = (
    "as you say that?", "when you stay with that feeling for a moment?", "if you don't censor it?", "around \"{quote}\"?",
    "when you think of it now?", "if you let your thoughts drift?", "with \"{quote}\", however unconnected?",
)
# A past-present link: the client's earlier words with when they were said, then one tentative question.
_LINK_LEAD: Final = (
    "{When}, you said: \"{earlier}\".",
    "This makes me think of something you said {when}: \"{earlier}\".",
    "I'm reminded of what you said {when}: \"{earlier}\".",
    "{When} you told me: \"{earlier}\".",
    "You said {when}: \"{earlier}\".",
)
_LINK_QUESTION: Final = (
    "I wonder whether something of that is here again now?",
    "Does it feel connected in any way?",
    "Perhaps there's an echo of that in what's happening now?",
    "I wonder if it's a similar feeling?",
    "Is there a link between that and how it feels today?",
    "Does anything of then feel familiar now?",
    "I wonder if the two belong together somehow?",
    "Might that feeling be visiting again?",
)

# A boundary: accept it, and hand the space back; never a question about the declined topic.
_ACCEPT: Final = (
    "Of course, we don't need to go there.", "That's completely fine; we can leave {topic} alone.", "Understood, we'll leave it.",
    "Okay, we won't go into {topic}.", "Sure, we can put that to one side.", "That's yours to decide, and I'll respect it.",
    "Of course.", "That's fine; we'll leave it there.",
)  # fmt: skip
_SPACE: Final = (
    "I'm here for whatever you'd like to talk about.", "You set the pace here.", "We can talk about anything else, or just sit with how today is.",
    "What you share here is always up to you.", "Whatever feels right is welcome here.", "There's no need to explain.",
)  # fmt: skip
# "Just tell me what to do": the wish reflected, the honest limit, and one exploring question.
_WISH: Final = (
    "It sounds like you'd really like someone to tell you the way through this.", "I can hear how much you want a clear answer right now.",
    "Wanting someone to just say what's right makes sense when it all feels this heavy.", "It must be exhausting to carry this decision.",
    "Part of you seems to long for someone else to take this over.", "It sounds like a hard place to be, not knowing which way to go.",
)  # fmt: skip
_NOT_MINE: Final = (
    "I can't decide it for you, but what makes it so hard to choose?", "Choosing isn't something I can do for you; what would each choice mean to you?",
    "Choosing for you isn't something I can do, but what do you imagine I'd say?", "I won't choose for you, though I'm curious: whose voice comes to mind when you ask?",
    "I can't give you the answer; what would it be like if someone did decide for you?", "I can't choose for you. What do you find yourself leaning towards, even a little?",
)  # fmt: skip
# The relationship here: the client's words about it, then one question about where else it lives.
_HERE_LEAD: Final = (
    "You wonder {wonder}.", "It sounds like part of you expects {expect}.", "I'm glad you said that out loud: \"{quote}\".",
    "\"{quote}\": that seems important to notice.",
)  # fmt: skip
_HERE_QUESTION: Final = (
    "I'm curious what it's like to expect that here?", "Where else have you felt that?", "What do you imagine I'm thinking?",
    "I wonder whether that feeling belongs to other relationships too?", "What makes you feel that way right now?",
    "When have you felt like that with someone before?", "Does it feel familiar?",
)  # fmt: skip
# Leads without the client's words only go with questions that need no referent.
_HERE_PLAIN: Final = ("It matters what happens between us here too.", "Thank you for saying that to me directly.")
_HERE_PLAIN_QUESTION: Final = ("What do you imagine I'm thinking?", "What makes you feel that way right now?", "What is it like to say that to me?")
# Avoidance: what was left, gently, and whether it is hard to stay there.
_LEFT: Final = (
    "I notice we moved away from {left} just as it seemed to matter.", "A moment ago you were talking about {left}, and then we moved on.",
    "It seems we left {left} quite quickly.", "I notice the conversation moved on just as it got closer to the feeling.",
    "Perhaps \"{quote}\" is a way of stepping back a little.", "Perhaps it's hard to say more just now.",
)  # fmt: skip
_LEFT_QUESTION: Final = (
    "Perhaps it's hard to stay there?", "I wonder what happened just then?", "Is it difficult to stay with?",
    "What was that like?", "What do you think makes it hard?", "Does that feel right?",
)  # fmt: skip

DREAM_BANKS: Final[Mapping[str, tuple[str, ...]]] = {
    "capture": _pairs(
        ("Thank you for telling me the dream.", "That's a vivid dream.", "What a striking dream.", "I'm glad you brought the dream here.", "That's quite a dream to wake up with."),
        ("Shall we take it piece by piece: what comes to mind when you think of {element}?", "Let's stay with {element} for a moment: what does it bring to mind?",
         "Perhaps we could start with {element}: what do you associate with it?", "What comes to mind first about {element}?"),
        11,
    ),
    "element": (
        "And {element}: what comes to mind with that?", "Let's go on to {element}. What does it make you think of?", "What about {element}? Whatever comes up is fine.",
        "If you think of {element}, where does your mind go?", "And {element}, what do you associate with it?", "Now {element}: what comes up?",
        "What does {element} bring to mind?", "And when you picture {element}?",
    ),
    "link": _pairs(
        ("You've connected {links}.", "Putting it together: {links}.", "So there was {links}."),
        ("I wonder whether any of that is around in your life at the moment?", "Perhaps the dream is saying something about how things feel just now?",
         "Does any of that remind you of something in your waking life?", "What might the dream be touching on in your life now?"),
        13,
    ),
    "capture_plain": _pairs(
        ("Thank you for telling me the dream.", "That's a striking dream.", "I'm glad you brought the dream here."),
        ("What stays with you most from it?", "What part of it feels most alive as you remember it?", "What feeling did you wake up with?"),
        17,
    ),
}

BUILT: Final[Mapping[MoveName, tuple[str, ...]]] = {
    MoveName.BOUNDARY: _pairs(_ACCEPT, _SPACE, 19),
    MoveName.DIRECTION: _pairs(_WISH, _NOT_MINE, 23),
    MoveName.TRANSFERENCE: _pairs(_HERE_LEAD, _HERE_QUESTION, 29) + _pairs(_HERE_PLAIN, _HERE_PLAIN_QUESTION, 37),
    MoveName.NOTICE_AVOIDANCE: _pairs(_LEFT, _LEFT_QUESTION, 31),
    MoveName.FOLLOW: _ECHO + _pairs(_ACK, _INVITE, 3),
    MoveName.INVITE_ASSOCIATION: _pairs(_ASSOCIATE, _ASSOCIATE_WHEN, 5, " "),
    MoveName.LINK_PAST_PRESENT: _pairs(_LINK_LEAD, _LINK_QUESTION, 7),
}

# After the safety response, when the client says they are safe: no exploring push, the line stays in view.
AFTER_SAFETY: Final = (
    "Thank you for telling me, and I'm glad you're safe right now. The line is there any time you need it. What's been making things feel so low?",
    "I'm relieved to hear you're safe. The crisis line is there whenever you need it, day or night. What's been weighing on you most?",
    "Thank you for letting me know. It took something to say how bad it's been. Would you like to say a little more about it?",
)

# Dream work goes element by element, then towards waking life.

# Defenses are noticed by their level (DMRS), gently and as a question, never as a verdict.
LEVEL_BANKS: Final[Mapping[str, tuple[str, ...]]] = {
    # Obsessional: thinking in place of feeling; be curious about the feeling.
    "6": (
        "You've thought this through very carefully. I wonder what you felt, though, when it happened?",
        "That makes a lot of sense as an explanation. I'm curious what it was like to live it, rather than think it?",
        "You've put that very carefully. Perhaps there's a feeling somewhere underneath the explanation?",
    ),
    # Disavowal: contrast with what was said before, if there is something to contrast with.
    "3-contrast": (
        "You say \"{quote}\". A little earlier you said \"{earlier}\". Perhaps both are true in some way?",
        "I'm holding two things you've said: \"{earlier}\" and now \"{quote}\". I wonder how they fit together?",
    ),
    "3": (
        "You say \"{quote}\". I wonder if it matters a little more than that?",
        "Perhaps there's another side to it than \"{quote}\". What would it mean if it did bother you?",
        "I notice you put it as \"{quote}\". I'm curious whether part of you feels differently?",
    ),
    # Minor image-distorting: all good or all bad; wonder about the other side.
    "4": (
        "It sounds as if it's all one way just now: \"{quote}\". I wonder if there's another side that's harder to hold?",
        "\"{quote}\": that's a strong way to put it. Perhaps there's more mixed feeling in it too?",
    ),
    # Neurotic: the feeling has gone somewhere else.
    "5": (
        "I wonder if the feeling in this belongs partly somewhere else?",
        "Perhaps what you're feeling is about more than this one thing. What else might it be connected to?",
    ),
    # Image-distorting and action levels: stay close and steady, no interpretation.
    "low": (
        "It sounds like things feel very stark right now. What is the hardest part of it for you?",
        "That sounds like a lot to hold. What happened just before it got to this point?",
    ),
}

_SENTENCE = re.compile(r"(?<=[.?!])[\"']?\s+(?=[\"A-Z(])")


def sentences(text: str) -> list[str]:
    """The reply's sentences, as they are compared for repetition (case and spacing folded)."""
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def fold(sentence: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", "", sentence.lower())).strip()


def _fill(template: str, slots: Mapping[str, str]) -> str | None:
    wanted = re.findall(r"{(\w+)}", template)
    if any(not slots.get(name) for name in wanted):
        return None
    text = template
    for name in wanted:
        text = text.replace("{" + name + "}", slots[name])
    return text[0].upper() + text[1:] if text else text


def bank_for(move: Move) -> tuple[str, ...]:
    if move.name is MoveName.DREAM_WORK:
        return DREAM_BANKS[move.slots.get("stage", "capture_plain")]
    if move.name is MoveName.NOTICE_DEFENSE:
        return LEVEL_BANKS[move.slots.get("bank", "low")]
    if move.slots.get("bank") == "after_safety":
        return AFTER_SAFETY
    return BUILT.get(move.name) or BANKS.get(move.name, ())


def render(move: Move, used: set[str], previous_openings: Sequence[str] = (), offset: int = 0) -> str | None:
    """The first variant (from ``offset``, wrapping) that has its slots and repeats no sentence.

    A variant that opens like one of ``previous_openings`` (the first two words of the last
    replies) is tried last, so consecutive replies begin differently. None when every variant
    would repeat a sentence: the caller then chooses another move.
    """
    bank = bank_for(move)
    if not bank:
        return None
    ordered = [bank[(offset + i) % len(bank)] for i in range(len(bank))]
    filled = [text for text in (_fill(t, move.slots) for t in ordered) if text is not None]
    fresh = [t for t in filled if not any(fold(s) in used for s in sentences(t))]
    openings = {o.lower() for o in previous_openings}
    fresh.sort(key=lambda t: opening(t).lower() in openings)
    return fresh[0] if fresh else None


def opening(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text).split()[:2])
