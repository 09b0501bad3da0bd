"""The fixed texts of the safety response policy, one set per risk level.

DESIGN.md promise 1: a crisis statement gets the fixed safety response with the local crisis
line in the same turn, also when the LLM is down. These texts are that response. They are
written by people and never generated, so that what a person in crisis reads has been reviewed
word by word: warm, direct, asking about safety now, naming where help is, and offering to stay.

What every text here avoids, and a test checks:
- means: no word about methods (not even "put the pills away"), because naming a method can
  prompt it;
- minimising ("it's not that bad", "cheer up", "at least"), which tells a person their pain is
  not being heard;
- promises ("everything will be OK"), which the companion cannot keep.

Several phrasings per level, picked by ``seed``: a caller that passes a counter (for example
the number of safety responses already given in the session) never repeats a sentence, and
no sentence is shared between levels, so escalating from ideation to behavior does not repeat
either. The resources sentence is the caller's, e.g. "You can call or text 988, the Suicide &
Crisis Lifeline, any time." It always appears, unchanged, from ideation upwards.
"""

import re
from typing import Final

from reverie.analysis.risk import LEVELS, RANK, normalise

__all__ = [
    "CHECK_IN_LEVEL",
    "PHRASINGS",
    "STILL_AT_RISK",
    "safety_response",
    "says_safe",
    "still_at_risk_reply",
]

#: The level that gets a gentle check-in rather than a crisis response.
CHECK_IN_LEVEL: Final = "indicator"

# {resources}: the caller's crisis-line sentence; {emergency}: the local emergency number.
PHRASINGS: Final[dict[str, tuple[str, ...]]] = {
    "none": (),
    "indicator": (
        "It sounds really heavy right now. Are you having any thoughts of hurting yourself or of not wanting to be here?",
        "That is a lot to be carrying on your own. When things feel this hard, some people start to think about harming "
        "themselves or about not being alive. Is anything like that happening for you?",
        "I can hear how much pain you're in. Can I ask you something directly: have you had thoughts of harming yourself "
        "or of ending your life?",
        "This sounds really hard to live with. I want to check, gently: have there been thoughts of hurting yourself, or "
        "of not wanting to be here?",
        "Thank you for telling me how bad it's been. When things are this heavy, thoughts of harming yourself or of not "
        "being alive can come up. Have any come up for you?",
        "It sounds exhausting, carrying all of this. May I ask: are you having any thoughts of harming yourself or of "
        "ending your life?",
    ),
    "ideation": (
        "I'm really glad you told me, and I'm taking it seriously. Are you safe right now? {resources} "
        "If you feel you're in immediate danger, please call {emergency}. "
        "I'm here, and I'll stay with you while you decide what to do.",
        "Thank you for trusting me with something this painful. Can I ask you plainly: are you safe at this moment? {resources} "
        "If it starts to feel like you might act on these thoughts, you can call {emergency} at any hour. "
        "I'm not going anywhere, and I'll stay with you while you work out your next step.",
        "What you're feeling matters, and I want to make sure you're safe. Are you safe where you are right now? {resources} "
        "If you ever feel you can't keep yourself safe, {emergency} can send help straight away. "
        "I'll stay right here with you for as long as you want while you think about who to reach out to.",
    ),
    "behavior": (
        "I'm really worried about your safety, and I'm glad you told me. Right now, are you safe? "
        "Please call {emergency} now, or reach out to someone near you and ask them to be with you. {resources} "
        "I'll stay with you while you get that help.",
        "What you've told me makes me concerned for you right now. Please contact {emergency} now, "
        "or go to someone nearby and tell them what's happening. {resources} "
        "Is it safe where you are at this moment? I'm right here, and I'll stay with you while you reach out.",
        "Thank you for being honest with me about this; it took courage. I need to ask you straight away: "
        "are you safe in this moment? Please call {emergency} now, or ask someone close by to come and stay with you. "
        "{resources} I'm staying with you here while you make that call.",
    ),
    "attempt": (
        "Please call {emergency} now or ask someone near you to. I'm very worried about you, and I'm so glad you told me. "
        "Are you safe right now, and is anyone with you? {resources} I'm here, and I'm staying with you while help gets to you.",
        "What you've told me is an emergency, and your life matters: please call {emergency} now or ask someone near you to. "
        "Are you somewhere safe at this moment? {resources} I'll stay right here with you while you call.",
        "I'm so glad you're still talking to me. Please call {emergency} now or ask someone near you to do it for you. "
        "Is anyone there who can keep you safe until help arrives? {resources} "
        "I'll stay with you in this conversation while you get help.",
    ),
}

#: Replies for the turns after a safety response, until the person says they are safe.
STILL_AT_RISK: Final[tuple[str, ...]] = (
    "I'm still thinking about your safety. Before we go on, can you tell me whether you're safe right now, "
    "or whether you've been able to reach someone? {resources} I'm still here with you.",
    "Your safety matters more to me than anything else we could talk about. Are you safe at the moment, "
    "or is someone with you? {resources} I'll keep you company while you reach out.",
    "I want to come back to how you're doing, because I care about what happens to you. "
    "Have you been able to contact someone, or are you safe where you are? {resources} I'm staying right here with you.",
)


def _sentence(text: str, what: str) -> str:
    """A caller's text, stripped and refused when blank: a crisis response without help named must not go out."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{what} must be a non-empty sentence")
    text = " ".join(text.split())
    return text if text[-1] in ".!?" else text + "."


def safety_response(level: str, resources_sentence: str, emergency_number: str, seed: int = 0) -> str | None:
    """The fixed reply for a risk ``level`` from ``reverie.analysis.risk.LEVELS``, or None for "none".

    ``indicator`` gets a gentle check-in after which the conversation goes on; ``ideation`` and
    above get the crisis response with ``resources_sentence`` and ``emergency_number`` in it.
    ``seed`` picks the phrasing: consecutive seeds give different texts with no sentence in common.
    An unknown level is a programming error and raises, rather than silently saying nothing.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown risk level {level!r}; expected one of {', '.join(LEVELS)}")
    phrasings = PHRASINGS[level]
    if not phrasings:
        return None
    template = phrasings[seed % len(phrasings)]
    if RANK[level] < RANK["ideation"]:
        return template
    return template.format(
        resources=_sentence(resources_sentence, "resources_sentence"),
        emergency=_sentence(emergency_number, "emergency_number").rstrip(".!?"),
    )


def still_at_risk_reply(resources_sentence: str, seed: int = 0) -> str:
    """The reply for a turn after a safety response while the person has not yet said they are safe."""
    return STILL_AT_RISK[seed % len(STILL_AT_RISK)].format(resources=_sentence(resources_sentence, "resources_sentence"))


# -- "I'm safe" ---------------------------------------------------------------------------------

_PEOPLE = (
    r"(?:mum|mom|mother|dad|father|parents|sister|brother|sibling|friend|best friend|partner|wife|husband|boyfriend|girlfriend"
    r"|fiance|fiancee|flatmate|roommate|housemate|neighbou?r|aunt|auntie|uncle|gran|granny|grandma|grandmother|grandad|grandpa"
    r"|nan|nana|son|daughter|cousin|family|carer|support worker|therapist|counsell?or|doctor|gp|nurse|mate|colleague|landlady|landlord)"
)
_HELP = (
    r"(?:them|her|him|someone|somebody|the (?:crisis )?(?:line|hotline|helpline|number|team)|a (?:crisis )?(?:line|hotline|helpline|team)"
    r"|(?:the )?(?:crisis|suicide|samaritans|lifeline|emergency services|emergency number|ambulance|police|paramedics|999|911|988|112|111|000|116 ?123)"
    rf"|an ambulance|(?:my |a )(?:{_PEOPLE})|\d{{3,}})"
)
_NEGATION = (
    r"(?:not|never|don't|do not|didn't|did not|can't|cannot|can not|won't|will not|isn't|aren't|wasn't|couldn't|doesn't|no longer|hardly)"
)

# Any of these means the person has not (yet) said they are safe: caution wins over a positive phrase.
_UNSAFE = re.compile(
    "|".join(
        (
            rf"\b{_NEGATION} (?:[\w']+ ){{0,3}}(?:safe|ok|okay|alright|all right|fine|in control)\b",
            r"\b(?:don't know|do not know|dunno|idk|not sure|unsure|maybe|i guess|probably|kind of|sort of|i hope|hopefully"
            r"|no idea|can't say|not really|who knows|i think so|for a bit|for a while|for the moment)\b",
            r"\b(?:nobody|no one|noone|no-one)\b",
            r"(?<!not )(?<!no longer )\b(?:all )?alone\b|\bon my own\b|\bby myself\b",
            rf"\b{_NEGATION} (?:[\w']+ ){{0,2}}(?:call|calling|ring|phone|text|contact|reach|answer|answering|pick up|picked up|get through|come|coming|here|with me|tell|talk)",
            r"\b(?:no answer|hung up|busy signal|voicemail|on hold|engaged tone|tried (?:to )?(?:call|calling|ring|ringing|phone|phoning|text|texting|reach|contact))\b",
            r"(?<!not )(?<!never )(?<!n't )\b(?:going to|gonna|will|i'll|want to|wanna|need to|have to|about to|plan to|planning to|ready to)"
            r" (?:do it|kill myself|end it|end my life|die|hurt myself|harm myself|be dead|not be here|disappear|go through with it)\b",
            r"\bnot (?:anymore|any more|now|tonight|for long|yet)\b",
            r"\b(?:safe|ok|okay) from (?:what|who)\b|\bam i (?:safe|ok|okay)\b|\bwhat do you mean\b",
        )
    )
)

_SAFE = re.compile(
    "|".join(
        (
            # "I'm safe", "I feel safer now", "yes, we're safe", "I'm somewhere safe"
            r"\b(?:i'm|i am|i feel|i'm feeling|feeling|i think i'm|we're|we are|i'll be|i will be|i'm going to be|i'm staying|i'll stay|i will stay|staying)"
            r" (?:now |really |totally |completely |definitely |ok and |okay and |fine and )?(?:safe|safer|out of danger|somewhere safe|in a safe place|at a safe place)\b",
            r"^(?:yes |yeah |yep |yes i am |yeah i am )?(?:i'm |i am )?safe(?: now| right now)?\W*$",
            # "I won't do anything", "I'm not going to hurt myself", "I promise not to act on it"
            r"\b(?:i won't|i will not|i'm not going to|i am not going to|not going to|i'm not gonna|not gonna|promise not to|i'm not about to|i won't be)"
            r" (?:\w+ )?(?:do anything|do it|do something|hurt myself|harm myself|kill myself|act on (?:it|them|those thoughts|these thoughts|anything)|go through with it|try anything|try it)\b",
            r"\bthe (?:urge|feeling|thoughts?|moment|worst) (?:has |have |is |are )?(?:passed|gone|over)\b",
            # "I called them", "I've texted the crisis line", "I'm on the phone with Samaritans"
            rf"\b(?:i've|i have|i|i just|i've just|already|i already) (?:called|rang|phoned|texted|messaged|contacted|reached|emailed|spoke to|spoken to|talked to|got through to|got hold of|told) {_HELP}\b",
            rf"\b(?:i'm|i am) (?:now )?(?:talking to|speaking to|speaking with|talking with|texting|on the phone (?:to|with)|in touch with|chatting with|chatting to) {_HELP}\b",
            # "my sister is with me", "mum's here", "the ambulance is on its way", "help is coming"
            rf"\b(?:(?:my |our |a )?(?:{_PEOPLE})s?|someone|somebody|he|she|they|the paramedics|paramedics|the ambulance|an ambulance|the police|help|the crisis team)"
            r"(?:'s| is| are|'re| has| have)? ?(?:now |already )?(?:here|with me|here with me|staying with me|staying over|coming over|coming(?! (?:for|to get|after|to hurt))|on (?:the|her|his|their|its|it's) way|arrived|come over|home)\b",
            # "I'm with my mum", "I'm at my friend's", "I'm at the hospital"
            rf"\b(?:i'm|i am|we're|we are) (?:now |staying |going to stay |sitting |at home )?(?:with|at) (?:my |a |our |some )?(?:{_PEOPLE}|friends|people|someone|somebody)(?:'s|s)?\b",
            r"\b(?:i'm|i am|we're|we are) (?:now )?(?:at|in) (?:the |a )?(?:hospital|a & e|a&e|er|emergency room|emergency department|crisis centre|crisis center|urgent care|ambulance|gp|doctor's)\b",
        )
    )
)


def says_safe(text: str) -> bool:
    """Whether ``text`` says the person is safe or has reached help, ending the safety follow-up.

    Leans towards "not yet": any doubt, negation, being alone, help not reached or intent to act
    outweighs a safe-sounding phrase, and "I'm fine" or a bare "yes" on their own do not count,
    because they are what people say to end a conversation they are struggling in. The cost of
    asking once more is small; the cost of stopping too early is not.
    """
    if not text or not text.strip():
        return False
    canonical = normalise(text).text
    if _UNSAFE.search(canonical):
        return False
    return _SAFE.search(canonical) is not None
