"""What the companion hears in one client turn: the listening engine's lenses plus a few cues of its own.

The lenses (affect, defenses, resistance, themes, temporal focus, people, transference, dreams)
are the same ones a clinician's analysis uses, so the companion's choices can be explained in
the same terms. The cues here are the conversational ones the lenses do not cover: a boundary
("I don't want to talk about my mother"), a wish for direction ("just tell me what to do"), a
question the companion must not answer (diagnosis, medication) and the wish to stop.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from reverie.analysis.document import Annotation, Document
from reverie.analysis.pipeline import Pipeline
from reverie.analysis.risk import normalise
from reverie.record import Speaker, Turn

#: How many earlier turns the lenses read as context (they annotate only the new turn).
CONTEXT_TURNS: Final = 10

# GoEmotions labels in everyday words, for when the client named no feeling of their own.
PLAIN: Final = {
    "sadness": "sad", "grief": "grief", "disappointment": "disappointed", "remorse": "regret",
    "anger": "angry", "annoyance": "irritated", "disapproval": "disapproval", "disgust": "disgust",
    "fear": "frightened", "nervousness": "anxious", "embarrassment": "embarrassed", "confusion": "confused",
    "joy": "glad", "love": "love", "caring": "tenderness", "gratitude": "grateful", "relief": "relieved",
    "pride": "proud", "optimism": "hopeful", "excitement": "excited", "amusement": "amused",
    "admiration": "admiration", "desire": "longing", "surprise": "surprised", "realization": "struck",
    "curiosity": "curious", "approval": "approval",
}  # fmt: skip

# A feeling word as a noun, for "there's a lot of {noun} in that"; words without one are not used there.
NOUN: Final = {
    "sad": "sadness", "down": "sadness", "low": "sadness", "gutted": "disappointment", "heartbroken": "heartbreak",
    "miserable": "misery", "devastated": "devastation", "upset": "upset", "hurt": "hurt", "crushed": "hurt",
    "angry": "anger", "furious": "fury", "fuming": "anger", "livid": "anger", "pissed off": "anger", "annoyed": "irritation",
    "irritated": "irritation", "frustrated": "frustration", "resentful": "resentment", "bitter": "bitterness", "mad": "anger",
    "ashamed": "shame", "embarrassed": "embarrassment", "humiliated": "humiliation", "guilty": "guilt", "stupid": "shame",
    "pathetic": "shame", "useless": "shame", "worthless": "shame", "small": "shame",
    "anxious": "anxiety", "nervous": "nervousness", "scared": "fear", "afraid": "fear", "terrified": "terror", "frightened": "fear",
    "worried": "worry", "panicky": "panic", "on edge": "tension", "tense": "tension", "lonely": "loneliness", "alone": "loneliness",
    "empty": "emptiness", "numb": "numbness", "hopeless": "hopelessness", "helpless": "helplessness", "trapped": "feeling trapped",
    "exhausted": "exhaustion", "overwhelmed": "overwhelm", "confused": "confusion", "rejected": "rejection", "abandoned": "abandonment",
    "betrayed": "betrayal", "jealous": "jealousy", "envious": "envy", "relieved": "relief", "happy": "happiness", "glad": "gladness",
    "proud": "pride", "grateful": "gratitude", "hopeful": "hope", "disappointed": "disappointment", "regret": "regret",
"grief": "grief", "love": "love", "tenderness": "tenderness", "disgust": "disgust",
    "longing": "longing", "excited": "excitement", "amused": "amusement", "surprised": "surprise", "curious": "curiosity",
}  # fmt: skip
# Plain words that are nouns, not adjectives: "you felt {adjective}" needs another word for them.
NOT_ADJECTIVE: Final = frozenset({"grief", "regret", "disapproval", "disgust", "love", "tenderness", "admiration", "longing", "approval", "struck"})

# Feeling words as people say them; the companion reflects the client's own word when there is one.
_FEELING_WORDS: Final = (
    "sad", "down", "low", "gutted", "heartbroken", "miserable", "devastated", "upset", "hurt", "crushed",
    "angry", "furious", "fuming", "livid", "pissed off", "annoyed", "irritated", "frustrated", "resentful", "bitter", "mad",
    "ashamed", "embarrassed", "humiliated", "guilty", "stupid", "pathetic", "useless", "worthless", "small", "invisible",
    "anxious", "nervous", "scared", "afraid", "terrified", "frightened", "worried", "panicky", "on edge", "tense",
    "lonely", "alone", "empty", "numb", "hopeless", "helpless", "stuck", "lost", "trapped", "exhausted", "overwhelmed",
    "confused", "unheard", "ignored", "rejected", "abandoned", "betrayed", "jealous", "envious",
    "relieved", "happy", "glad", "proud", "grateful", "hopeful", "loved",
)  # fmt: skip
_FEELING = re.compile(
    r"\b(?:i|i'm|im|i am|i was|i've been|i have been|i felt|i feel|felt|feel|feeling|made me|makes me|left me|leaves me)"
    r"(?: (?:so|soo|sooo|really|rly|very|quite|a bit|a little|kind of|kinda|pretty|totally|completely|just|more|less|still|also|all|like))*"
    r" (" + "|".join(re.escape(w) for w in sorted(_FEELING_WORDS, key=len, reverse=True)) + r")\b"
)

_TOPIC_END = (
    r"(?=\s*[.,;:!?]|\s*$| (?:right now|rn|now|today|anymore|any more|again|tonight|with you|here|please|ok|okay|though|tho|tbh|honestly|lol|atm"
    r"|because|cause|cos|but|and)\b)"
)
_CLAUSE = r"(?:^|[.!?,;:] |\b(?:ok|okay|no|look|sorry|honestly|actually|just|please|and|but|so)\s)"  # an imperative starts a clause
_BOUNDARY: Final = re.compile(
    r"(?:\bi (?:really )?(?:don't|dont|do not) (?:want|wanna|wish|feel like|need) (?:to )?(?:talk|talking|speak|speaking|go|going|get|getting|think|thinking) (?:about|into|there|on)"
    r"|\bi(?:'d| would) (?:rather|prefer) not(?: to)? (?:talk|speak|say|discuss|think|get into|go into|go there|get there)(?: about)?"
    r"|\bi(?:'d| would) (?:rather|prefer) not(?: to)?(?= ?[.,;:!?]| ?$| (?:right now|now|today|tonight|thanks|thank you|if that's ok)\b)"
    r"|\b(?:can|could) we (?:please )?(?:not|stop) (?:talk(?:ing)?(?: about)?|discuss(?:ing)?|go(?:ing)? (?:into|there)|get(?:ting)? (?:into|there))"
    r"|\blet's not (?:talk(?: about)?|discuss|go (?:into|there)|get into)"
    r"|\bi'm not (?:ready|going|willing) to (?:talk(?: about)?|discuss|go (?:into|there)|get into)"
    rf"|{_CLAUSE}(?:please )?(?:stop|don't|dont) (?:asking|ask) (?:me )?(?:about)?"
    r"|\b(?:that's|that is|it's|it is) (?:off limits|private|none of your business|not something i want to (?:talk|go) (?:about|into))"
    rf"|\b(?:not|never) going there|{_CLAUSE}(?:just )?(?:leave it|drop it)\b|\bchange the subject|\bnot up for (?:talking|going) (?:about|into)"
    r"|\bi'd rather not say|\brather not say|\bi don't want to say)"
    r"(?: (?:it|that|this|any of (?:it|that|this)|all (?:of )?(?:that|this)|there|them))?"
    r"(?P<topic>(?: (?!(?:it|that|this|there|them|him|her)\b)[\w'-]+){1,4}?)??" + _TOPIC_END
)
_DIRECTION: Final = re.compile(
    r"\b(?:(?:just )?tell me what (?:to do|i should do|i'm supposed to do|to say)|wh?at (?:should|shall|must|can) i (?:do|say)\b"
    r"|what do i do(?: now| about (?:it|this|that|him|her|them))?(?= ?[?.!]| ?$)|what do i say(?: to (?:him|her|them|my \w+))?(?= ?[?.!]| ?$)"
    r"|what would you do|give me (?:some |an? )?(?:advice|answer|solution|plan|tips?)|(?:can|could|would) you (?:just )?(?:advise|tell) me (?:what|how)"
    r"|what(?:'s| is) the (?:right|best) (?:thing|answer|choice) (?:to do|here)|should i (?:leave|quit|stay|tell|call|text|break up|move|forgive|confront|go|say|ask|stop seeing|dump|divorce)"
    r"|i (?:need|want) (?:someone|somebody|you) to (?:just )?tell me what|fix (?:this|it|me) for me|how do i fix)"
)
_CONDITIONS: Final = (
    r"depress(?:ion|ed)|anxiety|an anxiety disorder|adhd|add|autis(?:m|tic)|bipolar|bpd|borderline|ptsd|ocd|a narcissist|narcissistic|"
    r"a psychopath|a sociopath|schizophreni[ac]|psychotic|an eating disorder|anorexi[ac]|bulimi[ac]|a personality disorder|mentally ill|"
    r"a mental illness|a disorder|burn ?out|burnt out|postnatal depression|panic disorder|manic"
)
_LIMITS: Final = re.compile(
    rf"\b(?:do i have |have i got |could i have |might i have |do you think i have |is (?:this|it|that) (?:maybe |just |actually )?|am i (?:just |maybe |actually )?|are you saying i(?:'m| am| have) |would you say i(?:'m| am| have) )(?:{_CONDITIONS})\b"
    r"|\bam i (?:going )?(?:crazy|insane|mad)\b|\bwhat(?:'s| is) wrong with me\b|\b(?:can you|could you|please) diagnose\b|\bwhat(?:'s| is) my diagnosis\b"
)
_MEDICATION: Final = re.compile(
    r"\b(?:(?:should|can|could|shall) i|do i need to|is it (?:ok|okay|safe|fine) (?:to|if i)) (?:stop|quit|come off|get off|skip|halve|double|increase|reduce|cut down|take (?:more|less|fewer|extra)|change)"
    r"(?: taking)? (?:my |the |these |those |all my )?(?:meds|medication|medications|pills|tablets|antidepressants?|sertraline|citalopram|fluoxetine|escitalopram|venlafaxine|mirtazapine|lithium|quetiapine|diazepam|prescription|dose)\b"
)
# A sign-off is the whole of the last sentence ("I need to go now.", "Night!"), not words inside one
# ("I never got to say goodbye to my dad", "I need to go to the shops tomorrow").
_SIGN_OFF: Final = re.compile(
    r"(?:(?:ok|okay|anyway|right|well|sorry|anyways),? )*"
    r"(?:i (?:need|have|got|gotta|must|should|better) (?:to )?(?:go|get going|head off|log off|sign off|sleep|stop)(?: now| here| there| for (?:today|tonight|now))?"
    r"|gotta go|got to go|(?:i'm|im) off(?: now| to bed)?|i'll stop (?:here|there|now)|i'm done for (?:today|tonight|now)|i'm going to (?:go|stop|sleep) now"
    r"|that's (?:all|it|enough) for (?:today|tonight|now)|let's stop (?:here|there|now)|talk (?:to you )?(?:later|tomorrow|soon)|see you(?: soon| later| tomorrow)?"
    r"|good ?night|night(?: night)?|nite|good ?bye|bye(?: for now| bye)?)"
    r"(?:,? (?:now|then|thanks|thank you|x+|night|bye|talk (?:to you )?(?:later|tomorrow|soon)|see you(?: soon| later| tomorrow)?|take care))*"
)
_EPISODE: Final = re.compile(
    r"\b(?:yesterday|last (?:night|week|weekend|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday|time)|this morning|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|the other day|once|one time|that time|when i was|at christmas|at the party|today|tonight|earlier|\d+ (?:days|weeks) ago)\b"
)
_GENERAL: Final = re.compile(r"\b(?:always|never|every time|whenever|constantly|all the time|keeps?|forever)\b")


@dataclass(frozen=True, slots=True)
class Found:
    """One finding of a lens in this turn: its label, the client's words and why."""

    label: str
    quote: str
    confidence: float
    reason: str = ""
    detail: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Reading:
    text: str
    vector: np.ndarray
    feelings: tuple[Found, ...] = ()
    feeling_word: str | None = None
    own_feeling: bool = False  # the client named the feeling in their own word
    intensity: float = 0.0
    valence: float = 0.0
    defenses: tuple[Found, ...] = ()
    resistance: tuple[Found, ...] = ()
    themes: frozenset[str] = frozenset()
    temporal: str | None = None
    people: tuple[Found, ...] = ()  # label: role; detail: ("name", ...)
    transference: Found | None = None
    dream: Found | None = None
    dream_elements: tuple[tuple[str, str], ...] = ()  # (kind, words)
    dream_association: bool = False
    boundary: str | None = None  # the declined topic ("" when it is "that")
    wants_direction: bool = False
    asks_limits: str | None = None  # "diagnosis" or "medication"
    closing: bool = False
    episode: bool = False
    general: bool = False
    words: int = 0
    annotations: tuple[Annotation, ...] = field(default=(), repr=False)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(p.label for p in self.people)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(v.lower() for p in self.people for k, v in p.detail if k == "name" and v)


def feeling_word(text: str) -> str | None:
    """The client's own word for a feeling, when they used one ("fuming", "gutted")."""
    norm = normalise(text).text
    for match in _FEELING.finditer(norm):
        if match.group(1) in ("down", "low") and re.match(r" (?:to|on) ", norm[match.end() :]):
            continue  # "down to my last fiver", "low on money"
        return match.group(1)
    return None


_DECLINE_ANY: Final = re.compile(r"\b(?:i'd|i would) rather not (?:say|go into (?:it|that|detail))\b|\bi don't want to say\b|\b(?:it's|that's) private\b")


def boundary(text: str) -> str | None:
    """The topic the client declines ("" when it is "that"), or None when they declined nothing."""
    norm = normalise(text).text
    match = _BOUNDARY.search(norm)
    if match is None:
        return "" if _DECLINE_ANY.search(norm) else None
    topic = (match.group("topic") or "").strip()
    topic = re.sub(r"^(?:about|into|on|to) ", "", topic)
    return "" if topic in ("", "it", "that", "this", "there", "any of that", "all that") else topic


def wants_direction(text: str) -> bool:
    return _DIRECTION.search(normalise(text).text) is not None


def asks_limits(text: str) -> str | None:
    norm = normalise(text).text
    if _MEDICATION.search(norm):
        return "medication"
    if _LIMITS.search(norm):
        return "diagnosis"
    return None


def closing(text: str) -> bool:
    """Whether the client is signing off: the last sentence (or the one before a last "thanks") is a sign-off."""
    flat = normalise(text).text.replace(" ,", ",")
    parts = [p.strip(" ,") for p in re.split(r"[.!?\n]+", flat) if p.strip(" ,")]
    if not parts:
        return False
    if _SIGN_OFF.fullmatch(parts[-1]):
        return True
    courtesy = re.fullmatch(r"(?:thanks|thank you|thank you for[\w' ,]+|thanks for[\w' ,]+|x+|night|bye|take care)", parts[-1])
    return len(parts) >= 2 and courtesy is not None and _SIGN_OFF.fullmatch(parts[-2]) is not None


def _name(text: str, span: object) -> str:
    if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(x, int) for x in span):
        return text[span[0] : span[1]]
    return ""


def _quote(doc: Document, a: Annotation) -> str:
    """The widest piece of evidence in the new turn (a cue and its sentence overlap: the sentence wins)."""
    spans = [span for span in a.evidence if span.turn == len(doc.turns) - 1] or list(a.evidence[:1])
    return doc.quote(max(spans, key=lambda span: span.end - span.start)).strip()


class Listener:
    """Reads a client turn with the listening engine's lenses, the conversation so far as context."""

    def __init__(self, pipeline: Pipeline | None = None, names: Mapping[str, str] | None = None) -> None:
        """``names``: the names the client introduced earlier ("Karen" -> "boss"), so "Karen said" is a person."""
        if pipeline is None:
            from reverie.analysis.affect import Affect
            from reverie.analysis.defenses import Defenses
            from reverie.analysis.fantasy import Dreams
            from reverie.analysis.people import People
            from reverie.analysis.resistance import Resistance
            from reverie.analysis.temporal import TemporalFocus
            from reverie.analysis.themes import Themes
            from reverie.analysis.transference import Transference
            from reverie.analysis.vectors import TurnVectors

            pipeline = Pipeline(
                [TurnVectors(), Affect(), Defenses(), Resistance(), Themes(), TemporalFocus(), People(), Transference(), Dreams()]
            )
        self.pipeline = pipeline
        from reverie.analysis.people import People

        for analyzer in pipeline.analyzers:
            if isinstance(analyzer, People) and names:
                analyzer.known = dict(names)

    def read(self, history: Sequence[Turn], history_vectors: np.ndarray | None, text: str, vector: np.ndarray) -> Reading:
        """``history_vectors`` are the rows of ``history`` (None: encode them); only ``text`` is annotated."""
        context = list(history[-CONTEXT_TURNS:])
        # The companion speaks where a therapist would: the lenses read its turns that way.
        turns = tuple(Turn(Speaker.THERAPIST if t.speaker is Speaker.COMPANION else t.speaker, t.text) for t in context)
        turns = (*turns, Turn(Speaker.CLIENT, text))
        vectors: np.ndarray | None = None
        if history_vectors is not None and len(history_vectors) == len(history):
            earlier = history_vectors[len(history) - len(context) :]
            vectors = np.vstack([earlier.reshape(len(context), -1), vector.reshape(1, -1)]) if context else vector.reshape(1, -1)
        doc = Document(turns, focus=range(len(turns) - 1, len(turns)), vectors=vectors)
        doc = self.pipeline(doc)
        last = len(turns) - 1
        mine = [a for a in doc.annotations if any(span.turn == last for span in a.evidence)]

        affect = sorted((a for a in mine if a.lens == "affect"), key=lambda a: -a.confidence)
        feelings = tuple(Found(a.label, _quote(doc, a), a.confidence) for a in affect)
        intensity = float(affect[0].detail.get("intensity", 0.0)) if affect else 0.0
        valence = float(affect[0].detail.get("valence", 0.0)) if affect else 0.0
        defenses = tuple(
            Found(a.label, _quote(doc, a), a.confidence, str(a.detail.get("reason", "")), (("level", str(a.detail.get("level", ""))),))
            for a in sorted((a for a in mine if a.lens == "avoidance" and "level" in a.detail), key=lambda a: -a.confidence)
        )
        resistance = tuple(
            Found(a.label, _quote(doc, a), a.confidence, str(a.detail.get("reason", "")))
            for a in mine
            if a.lens == "avoidance" and a.detail.get("marker") == "text"
        )
        themes = frozenset(a.label for a in mine if a.lens == "patterns")
        temporal_found = sorted((a for a in mine if a.lens == "past" and a.label in ("childhood", "past", "present", "future")), key=lambda a: -a.confidence)
        people = tuple(
            Found(
                a.label,
                doc.quote(a.evidence[-1]),
                a.confidence,
                str(a.detail.get("feeling") or ""),
                (("name", _name(text, a.detail.get("name_span"))), ("mention", doc.quote(a.evidence[0]))),
            )
            for a in mine
            if a.lens == "relationships"
        )
        transference = next(
            (Found(a.label, _quote(doc, a), a.confidence, str(a.detail.get("reason", a.detail.get("cue", "")))) for a in mine if a.lens == "therapy_relationship"),
            None,
        )
        dream_a = next((a for a in mine if a.lens == "fantasy" and a.label == "dream"), None)
        elements: list[tuple[str, str]] = []
        if dream_a is not None:
            raw = dream_a.detail.get("elements") or {}
            for kind, spans in raw.items():
                for start, end in spans:
                    words = text[start:end].strip()
                    if words and (kind, words) not in elements:
                        elements.append((str(kind), words))
        norm = normalise(text).text
        return Reading(
            text=text,
            vector=vector,
            feelings=feelings,
            feeling_word=feeling_word(text) or (PLAIN.get(feelings[0].label) if feelings else None),
            own_feeling=feeling_word(text) is not None,
            intensity=intensity,
            valence=valence,
            defenses=defenses,
            resistance=resistance,
            themes=themes,
            temporal=temporal_found[0].label if temporal_found else None,
            people=people,
            transference=transference,
            dream=Found("dream", _quote(doc, dream_a), dream_a.confidence) if dream_a is not None else None,
            dream_elements=tuple(elements),
            dream_association=any(a.lens == "fantasy" and a.label == "dream_association" for a in mine),
            boundary=boundary(text),
            wants_direction=wants_direction(text),
            asks_limits=asks_limits(text),
            closing=closing(text),
            episode=_EPISODE.search(norm) is not None,
            general=_GENERAL.search(norm) is not None,
            words=len(text.split()),
            annotations=tuple(mine),
        )
