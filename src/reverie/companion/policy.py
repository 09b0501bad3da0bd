"""The policy: which move the companion makes, in a fixed and inspectable order.

Every rule below has a precondition (what must be true of this turn and the conversation), a
priority (its place in ``RULES``) and the evidence it rests on (the client's own words). The
first rule whose precondition holds proposes the move; if the renderer cannot phrase it without
repeating itself, the next one is tried. Nothing here is learnt or random, so a clinician can
read the rule that produced any reply, and a test can prove each one.

Safety comes first and is decided by ``reverie.safety`` before the policy runs; disclosure next;
then the client's boundaries, which every later rule also respects (no move may quote or name a
topic the client declined).
"""

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from reverie.companion.memory import Recall, when_said
from reverie.companion.moves import Evidence, Move, MoveName
from reverie.companion.reading import NOT_ADJECTIVE, NOUN, Found, Reading
from reverie.safety.check import SafetyDecision

#: Feelings of one family count as the same feeling when a pattern is looked for.
FAMILY: Final = {
    "anger": "anger", "annoyance": "anger", "disapproval": "anger", "disgust": "anger",
    "sadness": "sadness", "grief": "sadness", "disappointment": "sadness", "remorse": "sadness",
    "fear": "fear", "nervousness": "fear", "embarrassment": "shame",
}  # fmt: skip
#: Labels the affect head reads reliably enough to reflect back when the client named no feeling.
REFLECTED: Final = frozenset(
    {"sadness", "grief", "anger", "annoyance", "fear", "nervousness", "disappointment", "remorse", "embarrassment", "joy", "relief", "pride", "love", "gratitude"}
)
FAMILY_WORD: Final = {"anger": "anger", "sadness": "sadness, or being let down", "fear": "anxiety", "shame": "shame"}

#: Feeling words that a "doesn't bother me" can be set against.
NEGATIVE_WORDS: Final = frozenset(w for w, noun in NOUN.items() if noun not in {"relief", "happiness", "gladness", "pride", "gratitude", "hope", "love", "tenderness", "longing", "excitement", "amusement", "surprise", "curiosity"})
#: A recalled turn is linked only when it is at least this similar, or shares a person or feeling.
LINK_SIMILARITY: Final = 0.5
#: Moves that should not come back within this many replies.
SPACING: Final = {
    MoveName.LINK_PAST_PRESENT: 3,
    MoveName.NOTICE_DEFENSE: 3,
    MoveName.NOTICE_AVOIDANCE: 3,
    MoveName.SPECIFIC_MOMENT: 3,
    MoveName.INVITE_ASSOCIATION: 2,
    MoveName.TRANSFERENCE: 2,
    MoveName.REFLECT_FEELING: 1,
}
#: Client turns before a recurring pattern may be named, and the episodes it needs.
PATTERN_AFTER_TURNS: Final = 6
PATTERN_EPISODES: Final = 3


@dataclass
class DreamWork:
    """A dream being worked with: its elements in order, and what the client associated to each."""

    quote: str
    elements: list[str]
    asked: int = 0  # elements already asked about
    associations: list[tuple[str, str]] = field(default_factory=list)
    linked: bool = False

    @property
    def done(self) -> bool:
        return self.linked


@dataclass
class Context:
    """Everything a rule may read. Built by the conversation for each client turn."""

    reading: Reading
    safety: SafetyDecision
    now: datetime
    mode: str = "talk"
    earlier: Sequence[Reading] = ()  # this conversation's earlier client turns, oldest first
    moves: Sequence[Move] = ()  # this conversation's earlier moves, oldest first
    declined: Sequence[str] = ()  # topics the client declined, lower case
    recalls: Sequence[Recall] = ()
    dream: DreamWork | None = None
    time_up: bool = False
    pattern_named: bool = False

    def recent(self, name: MoveName, within: int) -> bool:
        return any(m.name is name for m in self.moves[-within:])


# -- wording helpers ----------------------------------------------------------------------------

_YOU: Final = {
    "i": "you", "i'm": "you're", "im": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "me": "you",
    "my": "your", "mine": "yours", "myself": "yourself", "am": "are", "was": "were",
}  # fmt: skip


def you_form(phrase: str) -> str:
    """ "my mum" -> "your mum": the client's words turned towards them, for slots that are not quotes."""
    words = phrase.split()
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        if low in ("am", "was") and (i == 0 or words[i - 1].lower() not in ("i",)):
            out.append(w)
            continue
        out.append(_YOU.get(low, w))
    return " ".join(out)


def short(text: str, words: int = 22) -> str:
    """A quote short enough to read back: the sentence that carries it, cut at ``words`` words.

    Double quotes inside become single ones, so the quote reads as one quotation.
    """
    text = " ".join(text.replace('"', "'").replace("\u201c", "'").replace("\u201d", "'").split()).strip(" \"'")
    parts = text.split()
    if len(parts) <= words:
        return text.rstrip(".,;:")
    return " ".join(parts[:words]).rstrip(".,;:") + " …"


def sentence_with(text: str, needles: Sequence[str]) -> str:
    """The sentence of ``text`` that mentions one of ``needles`` (else the first), shortened."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+", text.strip()) if p.strip()]
    for needle in needles:
        for p in parts:
            if needle and re.search(rf"\b{re.escape(needle)}\b", p, re.IGNORECASE):
                return short(p)
    return short(parts[0] if parts else text)


def fragment(text: str) -> str:
    """A few of the client's last words to echo ("\\"the floor was water\\". Tell me more?")."""
    clauses = [c.strip(" \"'") for c in re.split(r"[.!?;,:\n]|\bbut\b|\band\b", text) if len(c.split()) >= 2]
    if not clauses:
        return ""
    last = clauses[-1]
    words = last.split()
    return " ".join(words[-7:]) if len(words) > 7 else last


def person(found: Found) -> str:
    name = dict(found.detail).get("name", "")
    if name:
        return name
    mention = dict(found.detail).get("mention", "")
    if mention and mention.lower().startswith(("my ", "our ")):
        return you_form(mention.lower())
    return {"sibling": "your brother or sister", "ex_partner": "your ex", "other_family": "your family"}.get(
        found.label, f"your {found.label.replace('_', ' ')}"
    )


def someone(found: Sequence[Found]) -> str | None:
    """The first person worth naming back: not the therapist (that is the relationship here), not a nameless "other"."""
    for p in found:
        if p.label == "therapist" or (p.label == "other" and not dict(p.detail).get("name")):
            continue
        return person(p)
    return None


def _this(quote: str, why: str) -> Evidence:
    return Evidence(quote=quote, source="this turn", why=why)


def _declined_in(texts: Sequence[str], declined: Sequence[str]) -> bool:
    blob = " ".join(texts).lower()
    return any(re.search(rf"\b{re.escape(topic)}\b", blob) for topic in declined if topic)


# -- the rules ----------------------------------------------------------------------------------


def rule_safety(ctx: Context) -> Move | None:
    """The risk check decided this turn's reply (ideation or above, or still in crisis)."""
    if not ctx.safety.takes_over:
        return None
    return Move(MoveName.SAFETY, f"risk level {ctx.safety.level}", (_this(ctx.reading.text, f"risk: {ctx.safety.level}"),))


def rule_disclosure(ctx: Context) -> Move | None:
    """The client asked whether the companion is a person, a bot or a therapist."""
    from reverie.safety.disclosure import asks_if_human

    if not asks_if_human(ctx.reading.text):
        return None
    return Move(MoveName.DISCLOSURE, "asked what the companion is", (_this(ctx.reading.text, "asks whether it is a person"),))


def rule_after_safety(ctx: Context) -> Move | None:
    """The last reply was the safety response and the client now says they are safe: thank them, go on gently."""
    if not ctx.moves or ctx.moves[-1].name is not MoveName.SAFETY or ctx.safety.takes_over:
        return None
    return Move(MoveName.FOLLOW, "the client says they are safe after the safety response", (_this(ctx.reading.text, "says they are safe"),), {"bank": "after_safety"})


def rule_boundary(ctx: Context) -> Move | None:
    """The client declines a topic: accept it, do not ask about it, and remember it."""
    topic = ctx.reading.boundary
    if topic is None:
        return None
    return Move(
        MoveName.BOUNDARY,
        f"declined {'a topic: ' + topic if topic else 'the topic just raised'}",
        (_this(ctx.reading.text, "a boundary"),),
        {"topic": you_form(topic)} if topic else {},
    )


def rule_direction(ctx: Context) -> Move | None:
    """The client asks to be told what to do: reflect and explore the wish, with honest limits."""
    if not ctx.reading.wants_direction:
        return None
    return Move(MoveName.DIRECTION, "asks for advice", (_this(ctx.reading.text, "a wish for direction"),))


def rule_limits(ctx: Context) -> Move | None:
    """The client asks for a diagnosis or a medication change: not the companion's to give."""
    kind = ctx.reading.asks_limits
    if kind is None:
        return None
    return Move(MoveName.LIMITS, f"asks about {kind}", (_this(ctx.reading.text, f"a question about {kind}"),), {"kind": kind})


def rule_close(ctx: Context) -> Move | None:
    """The client wants to stop, or the configured length is reached: a short reflection, no homework."""
    if not (ctx.reading.closing or ctx.time_up):
        return None
    return closing_move([*ctx.earlier, ctx.reading], ctx.mode, ctx.declined)


def closing_move(readings: Sequence[Reading], mode: str, declined: Sequence[str] = ()) -> Move:
    """What emerged, in a few of the client's own terms: people, feelings, a dream."""
    people: list[str] = []
    feelings: list[str] = []
    evidence: list[Evidence] = []
    for r in readings:
        for p in r.people:
            shown = someone([p])
            if shown is not None and shown not in people and not _declined_in([shown, p.label], declined):
                people.append(shown)
                evidence.append(_this(p.quote, f"person: {p.label}"))
        noun = NOUN.get(r.feeling_word or "")
        if r.own_feeling and noun and f"the {noun}" not in feelings:
            feelings.append(f"the {noun}")
            evidence.append(_this(r.feelings[0].quote if r.feelings else r.text, f"feeling: {r.feeling_word}"))
    items = people[:2] + feelings[:2]
    if any(r.dream for r in readings):
        items.append("a dream")
    slots = {"emerged": _series(items)} if items else {}
    if mode == "free-association":
        chain = free_association_chain(readings)
        if chain:
            slots["chain"] = chain[0]
            if chain[1]:
                slots["broke"] = chain[1]
    unique = list({e.quote: e for e in evidence}.values())
    return Move(MoveName.CLOSE, "the client is leaving or the time is up", tuple(unique[:4]), slots)


def free_association_chain(readings: Sequence[Reading]) -> tuple[str, str] | None:
    """The chain of topics the writing moved through, and where it broke off (a resistance marker)."""
    steps: list[str] = []
    broke = ""
    for r in readings:
        topic = next((person(p) for p in r.people), None) or next(iter(sorted(r.themes)), None) or r.feeling_word
        if topic and (not steps or steps[-1] != topic):
            steps.append(topic)
        if r.resistance and not broke and steps:
            broke = steps[-1]
    if len(steps) < 2:
        return None
    return " to ".join(steps[:5]), broke


def _series(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def rule_dream(ctx: Context) -> Move | None:
    """A dream told (or dream mode): capture it, ask about its elements one by one, then link to waking life."""
    r = ctx.reading
    dream = ctx.dream
    if dream is not None and not dream.done:
        if dream.asked < len(dream.elements):
            element = dream.elements[dream.asked]
            return Move(
                MoveName.DREAM_WORK,
                f"dream work: element {dream.asked + 1} of {len(dream.elements)}",
                (Evidence(dream.quote, "this conversation", "the dream"), _this(r.text, f"association to {dream.elements[dream.asked - 1]}")),
                {"stage": "element", "element": element},
            )
        if dream.associations:
            links = _series([f"{element} with \"{short(words, 12)}\"" for element, words in dream.associations[:3]])
            return Move(
                MoveName.DREAM_WORK,
                "dream work: elements associated, now towards waking life",
                tuple(Evidence(words, "this conversation", f"association to {element}") for element, words in dream.associations[:3]),
                {"stage": "link", "links": links},
            )
    if r.dream is None and not (ctx.mode == "dream" and not ctx.earlier):
        return None
    elements = dream_elements(r)
    quote = r.dream.quote if r.dream is not None else r.text
    if elements:
        return Move(MoveName.DREAM_WORK, "a dream was told", (_this(quote, "a dream report"),), {"stage": "capture", "element": elements[0]})
    return Move(MoveName.DREAM_WORK, "a dream was told", (_this(quote, "a dream report"),), {"stage": "capture_plain"})


_STAGE = re.compile(r"\((?:pause|pauses|long pause|silence|laughs|sighs|crying|cries|inaudible)[^)]*\)\s*", re.IGNORECASE)
_DETERMINER = re.compile(r"^(?:the|a|an|my|our|his|her|their|your|some|this|that)\b", re.IGNORECASE)


def dream_elements(r: Reading, most: int = 3) -> list[str]:
    """Up to three elements, places and people first, each as a phrase that reads in a question."""
    order = {"places": 0, "people": 1, "actions": 2, "feelings": 3}
    chosen: list[str] = []
    for kind, words in sorted(r.dream_elements, key=lambda e: order.get(e[0], 9)):
        phrase = words.strip(" ,.")
        if kind == "feelings" or len(phrase) < 3:
            continue
        if kind == "actions":
            phrase = f"the {phrase}" if not phrase.lower().startswith(("being ", "to ")) else phrase
        elif not _DETERMINER.match(phrase) and not phrase[:1].isupper():
            phrase = f"the {phrase}"
        phrase = you_form(phrase)
        if phrase.lower() not in (c.lower() for c in chosen):
            chosen.append(phrase)
        if len(chosen) == most:
            break
    return chosen


_HERE = re.compile(r"\b(?:you|your|you're|youre|u|ur|yourself|therapist|dr|doctor|reverie|this app|this chat|talking here|coming here|in here|these sessions|our sessions)\b", re.IGNORECASE)
_THINKS = re.compile(r"\byou (?:probably |must |might |prob |definitely |secretly )?(?:think|thinks|find|see) (?:that )?(?:i'm|i am|me as) ([\w' ]{3,30}?)(?:[.,!?]|$| because| now| too)", re.IGNORECASE)


def rule_transference(ctx: Context) -> Move | None:
    """Feelings, expectations or fantasies about the companion or the therapist ("you must think I'm pathetic")."""
    found = ctx.reading.transference
    if found is None or ctx.recent(MoveName.TRANSFERENCE, SPACING[MoveName.TRANSFERENCE]):
        return None
    if not _HERE.search(ctx.reading.text):
        return None  # the lens's cue must be about this relationship, not only about someone from the past
    slots = {"quote": short(found.quote, 16)}
    match = _THINKS.search(ctx.reading.text)
    if match:
        slots["wonder"] = f"whether I think you're {match.group(1).strip()}"
        slots["expect"] = f"judgement from me, that I'd see you as {match.group(1).strip()}"
    return Move(MoveName.TRANSFERENCE, "a feeling or expectation about the relationship here", (_this(found.quote, f"transference: {found.reason}"),), slots)


def rule_reflect(ctx: Context) -> Move | None:
    """A feeling is named or clearly implied, and the last reply did not already reflect one."""
    r = ctx.reading
    if r.feeling_word is None or r.words < 3:
        return None
    if not r.own_feeling and not (r.feelings and r.feelings[0].label in REFLECTED and r.feelings[0].confidence >= 0.5 and r.words >= 6):
        return None
    if ctx.recent(MoveName.REFLECT_FEELING, SPACING[MoveName.REFLECT_FEELING]):
        return None
    quote = r.feelings[0].quote if r.feelings else r.text
    why = f"feeling word: {r.feeling_word}" if r.own_feeling or not r.feelings else f"affect: {r.feelings[0].label} {r.feelings[0].confidence:.2f}"
    slots = {"feeling_quote": short(quote, 10)} if len(quote.split()) >= 5 else {}
    if r.feeling_word not in NOT_ADJECTIVE:
        slots["feeling"] = r.feeling_word
    if r.feeling_word in NOUN:
        slots["feeling_noun"] = NOUN[r.feeling_word]
    return Move(MoveName.REFLECT_FEELING, "a feeling is present", (_this(short(quote), why),), slots)


def rule_associate(ctx: Context) -> Move | None:
    """After a feeling was reflected (or in free association), invite what comes to mind."""
    if ctx.recent(MoveName.INVITE_ASSOCIATION, SPACING[MoveName.INVITE_ASSOCIATION]):
        return None
    if ctx.reading.resistance or any(dict(d.detail).get("level") not in ("7", "", None) for d in ctx.reading.defenses):
        return None  # a defense or a step back is met first, by the rules that notice them
    after_reflection = bool(ctx.moves) and ctx.moves[-1].name is MoveName.REFLECT_FEELING
    if not (after_reflection or (ctx.reading.words >= 12 and ctx.reading.intensity >= 0.3)):
        return None
    quote = fragment(ctx.reading.text)
    return Move(
        MoveName.INVITE_ASSOCIATION,
        "after a reflected feeling" if after_reflection else "a feeling-laden turn",
        (_this(ctx.reading.text, "what the client just said"),),
        {"quote": quote} if quote else {},
    )


def rule_specific(ctx: Context) -> Move | None:
    """A person described in general terms ("she always ..."): ask for one particular episode."""
    r = ctx.reading
    shown = someone(r.people)
    if shown is None or not r.general or r.episode or ctx.recent(MoveName.SPECIFIC_MOMENT, SPACING[MoveName.SPECIFIC_MOMENT]):
        return None
    who = next(p for p in r.people if person(p) == shown)
    return Move(MoveName.SPECIFIC_MOMENT, "a relationship described in general terms", (_this(who.quote, f"person: {who.label}, in general"),), {"person": shown})


def rule_link(ctx: Context) -> Move | None:
    """Something said earlier (preferably in childhood) shares a person, a feeling or its words with now."""
    r = ctx.reading
    if r.temporal in ("childhood", "past") or ctx.recent(MoveName.LINK_PAST_PRESENT, SPACING[MoveName.LINK_PAST_PRESENT]):
        return None
    if r.words < 5:
        return None
    for recall in ctx.recalls:
        shared = [x for x in recall.reasons if x.startswith(("same person", "same feeling")) and "therapist" not in x]
        if not shared and recall.similarity < LINK_SIMILARITY:
            continue
        item = recall.item
        needles = [*sorted(item.people & (r.roles | r.names)), *r.names]
        earlier = sentence_with(_STAGE.sub("", item.text), needles or [r.feeling_word or ""])
        if len(earlier.split()) < 6:
            continue  # "Mm", "Okay": nothing worth reading back
        if _declined_in([earlier], ctx.declined):
            continue
        when = when_said(item.when, ctx.now)
        return Move(
            MoveName.LINK_PAST_PRESENT,
            "an earlier turn shares " + (", ".join(shared) if shared else f"its words ({recall.similarity:.2f})"),
            (_this(short(r.text), "now"), Evidence(earlier, item.source_id, "; ".join(recall.reasons), item.when, item.turn)),
            {"earlier": earlier, "when": when, "When": when[:1].upper() + when[1:]},
        )
    return None


def rule_defense(ctx: Context) -> Move | None:
    """A defense below the high-adaptive level, noticed gently; wording depends on its level."""
    r = ctx.reading
    if ctx.recent(MoveName.NOTICE_DEFENSE, SPACING[MoveName.NOTICE_DEFENSE]):
        return None
    found = next((d for d in r.defenses if d.confidence >= 0.5 and dict(d.detail).get("level") not in ("7", "", None)), None)
    if found is None:
        return None
    level = dict(found.detail).get("level", "")
    slots = {"quote": short(found.quote, 14)}
    evidence = [_this(found.quote, f"defense: {found.label} (level {level}): {found.reason}")]
    if level == "3":
        earlier = next((e for e in reversed(ctx.earlier) if e.own_feeling and e.feeling_word in NEGATIVE_WORDS), None)
        if earlier is not None and earlier.feeling_word is not None:
            said = sentence_with(earlier.text, [earlier.feeling_word])
            slots["earlier"] = short(said, 14)
            evidence.append(Evidence(said, "this conversation", f"feeling word: {earlier.feeling_word}"))
            bank = "3-contrast"
        else:
            bank = "3"
    elif level in ("4", "5", "6"):
        bank = level
    else:
        bank = "low"
    slots["bank"] = bank
    return Move(MoveName.NOTICE_DEFENSE, f"{found.label} (DMRS level {level})", tuple(evidence), slots)


def rule_avoidance(ctx: Context) -> Move | None:
    """A resistance marker (topic shift as feeling rose, minimising, "I don't know") after a feeling-laden turn."""
    r = ctx.reading
    if not r.resistance or ctx.recent(MoveName.NOTICE_AVOIDANCE, SPACING[MoveName.NOTICE_AVOIDANCE]):
        return None
    before = ctx.earlier[-1] if ctx.earlier else None
    if before is None or not (someone(before.people) or before.own_feeling):
        return None  # nothing feeling-laden was left behind
    marker = r.resistance[0]
    slots = {"quote": short(marker.quote, 10)}
    evidence = [_this(marker.quote, f"resistance: {marker.label}: {marker.reason}")]
    if before.people or before.feeling_word:
        left = someone(before.people) or (f"the {NOUN[before.feeling_word]}" if before.own_feeling and before.feeling_word in NOUN else None)
        if left and not _declined_in([left], ctx.declined):
            slots["left"] = left
            evidence.append(Evidence(short(before.text), "this conversation", "the topic left"))
    return Move(MoveName.NOTICE_AVOIDANCE, f"resistance: {marker.label}", tuple(evidence), slots)


def rule_pattern(ctx: Context) -> Move | None:
    """Only after several episodes: the same feeling with different people, named tentatively, once."""
    r = ctx.reading
    if ctx.pattern_named or len(ctx.earlier) + 1 < PATTERN_AFTER_TURNS or not r.feelings:
        return None
    family = FAMILY.get(r.feelings[0].label)
    if family is None:
        return None
    episodes: list[tuple[str, Evidence]] = []
    for e in [*ctx.earlier, r]:
        shown = someone(e.people)
        if shown is not None and any(FAMILY.get(f.label) == family for f in e.feelings):
            episodes.append((shown, Evidence(short(e.text), "this conversation", f"{shown} with {family}")))
    for recall in ctx.recalls:
        named = sorted(p for p in recall.item.people if p not in ("therapist", "other"))
        if named and any(FAMILY.get(f) == family for f in recall.item.feelings):
            who = named[0]
            episodes.append((who if who[:1].isupper() else f"your {who}", Evidence(short(recall.item.text), recall.item.source_id, f"{who} with {family}", recall.item.when, recall.item.turn)))
    people = list(dict.fromkeys(p for p, _ in episodes if not _declined_in([p], ctx.declined)))
    if len(episodes) < PATTERN_EPISODES or len(people) < 2:
        return None
    return Move(
        MoveName.NAME_PATTERN,
        f"{len(episodes)} episodes of {family} with {len(people)} people",
        tuple(ev for _, ev in episodes[:4]),
        {"people": _series(people[:3]), "feeling": FAMILY_WORD[family]},
    )


def rule_follow(ctx: Context) -> Move | None:
    """Nothing else applies: the client leads, the companion follows."""
    quote = fragment(ctx.reading.text)
    if quote and _declined_in([quote], ctx.declined):
        quote = ""  # back near a declined topic: follow without naming it
    return Move(MoveName.FOLLOW, "the client leads", (_this(ctx.reading.text, "what the client just said"),), {"quote": quote} if quote else {})


@dataclass(frozen=True)
class Rule:
    move: MoveName
    propose: Callable[[Context], Move | None]

    @property
    def precondition(self) -> str:
        return (self.propose.__doc__ or "").strip()


RULES: Final = (
    Rule(MoveName.SAFETY, rule_safety),
    Rule(MoveName.DISCLOSURE, rule_disclosure),
    Rule(MoveName.FOLLOW, rule_after_safety),
    Rule(MoveName.BOUNDARY, rule_boundary),
    Rule(MoveName.DIRECTION, rule_direction),
    Rule(MoveName.LIMITS, rule_limits),
    Rule(MoveName.CLOSE, rule_close),
    Rule(MoveName.DREAM_WORK, rule_dream),
    Rule(MoveName.TRANSFERENCE, rule_transference),
    Rule(MoveName.REFLECT_FEELING, rule_reflect),
    Rule(MoveName.INVITE_ASSOCIATION, rule_associate),
    Rule(MoveName.SPECIFIC_MOMENT, rule_specific),
    Rule(MoveName.LINK_PAST_PRESENT, rule_link),
    Rule(MoveName.NOTICE_DEFENSE, rule_defense),
    Rule(MoveName.NOTICE_AVOIDANCE, rule_avoidance),
    Rule(MoveName.NAME_PATTERN, rule_pattern),
    Rule(MoveName.FOLLOW, rule_follow),
)

# In free association the companion keeps out of the way: only these rules speak.
FREE_ASSOCIATION: Final = frozenset(
    {MoveName.SAFETY, MoveName.DISCLOSURE, MoveName.BOUNDARY, MoveName.DIRECTION, MoveName.LIMITS, MoveName.CLOSE, MoveName.FOLLOW}
)


def candidates(ctx: Context) -> Iterator[Move]:
    """The moves whose preconditions hold, in priority order, minus any that touch a declined topic."""
    for rule in RULES:
        if ctx.mode == "free-association" and rule.move not in FREE_ASSOCIATION:
            continue
        move = rule.propose(ctx)
        if move is None:
            continue
        if move.name not in (MoveName.SAFETY, MoveName.BOUNDARY) and ctx.declined:
            texts = [*move.slots.values(), *(e.quote for e in move.evidence if e.source != "this turn")]
            if _declined_in(texts, ctx.declined):
                continue
        yield move
