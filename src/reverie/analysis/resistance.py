"""Avoidance, part two: resistance in what is said, in the timing of turns and in attendance.

Text markers, one per client turn at most, read against the turns just before it:
- ``topic_shift``: leaving a feeling-laden topic the therapist or the client has just raised
  ("Anyway, did you see the match?"), or asking outright to talk about something else;
- ``minimising``: making light of what was just named ("it's not a big deal", "it was ages ago");
- ``dont_know``: "I don't know" as the answer to an exploring question (not "I don't know what
  time it starts");
- ``deflecting_question``: a question or quip turned back on the therapist instead of an answer;
- ``intellectualising``: theory or statistics in place of the feeling asked about.

Timing and attendance, when the document is a session: ``lateness`` (minutes late, on the
client's first turn), ``silence`` (a gap of at least a minute between one turn's end, or its start
when the end is unknown, and the next turn's start, annotated on the turn after the gap), and, for
sessions that did not take place, cancellations and no-shows counted in the summary (there are no
turns to annotate). A cancellation by the therapist is counted apart: it is not the client's.

Clear phrase rules decide first; the trained ``resistance`` head decides the turns they leave
open, but only when it is sure, and only for a client turn that follows a therapist's turn.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from reverie.analysis.defenses import RULES as DEFENSE_RULES
from reverie.analysis.document import Annotation, Document, Span
from reverie.analysis.heads import Head, head
from reverie.analysis.matching import negated_before, normalise, sentence_at, trim_span
from reverie.errors import ReverieError
from reverie.record import Attendance, CancelledBy, Speaker

if TYPE_CHECKING:
    from reverie.analysis.labelling import LabelResult

TEXT_MARKERS = ("topic_shift", "minimising", "dont_know", "deflecting_question", "intellectualising")
LABELS = (*TEXT_MARKERS, "none")
MARKERS = (*TEXT_MARKERS, "silence", "lateness", "cancellation", "no_show")
SILENCE_MS = 60_000

REASONS = {
    "topic_shift": "moves away from a feeling-laden topic just raised",
    "minimising": "makes light of what was just named",
    "dont_know": "'don't know' in answer to an exploring question",
    "deflecting_question": "turns the question back on the therapist",
    "intellectualising": "theory or facts in place of the feeling",
    "silence": "a gap of a minute or more before this turn",
    "lateness": "the client arrived late",
}


def _rx(*alternatives: str) -> re.Pattern[str]:
    """Whole-word alternatives; an apostrophe is optional (texting) and a space is any spacing."""
    body = "|".join(a.replace("'", "'?").replace(" ", r"\s+") for a in alternatives)
    return re.compile(r"(?<![\w'])(?:" + body + r")(?:(?<=\s)|(?!\w))")


_STAGE = re.compile(r"\((?:[a-z]+(?: [a-z]+){0,3})\)")
_QUOTED = re.compile(r'"[^"\n]{1,300}"')
_WORD = re.compile(r"[\w']+")
_FILLER = re.compile(r"^(?:\W|um+|uh+|erm+|er|hm+|mm+|mhm|yeah|yes|no|well|so|oh|ah|okay|ok|right|hi|hello|sorry|i mean|god)*", re.IGNORECASE)

# What the therapist (or the client) has just raised: feelings, or an invitation to explore.
_FEELING = _rx(
    r"feel\w*", r"felt", r"hurt\w*", r"sad\w*", r"angry", r"anger", r"upset\w*", r"afraid", r"scared", r"frighten\w*", r"lonely", r"alone", r"cry\w*", r"cried", r"tears",
    r"ashamed", r"shame", r"guilt\w*", r"grief", r"griev\w*", r"miss\w*", r"loss", r"lost", r"died", r"death", r"funeral", r"pain\w*", r"humiliat\w*", r"awful", r"hard",
    r"difficult", r"shock\w*", r"worr\w*", r"anxious", r"panic\w*", r"furious", r"jealous", r"rejected", r"abandon\w*", r"left (?:you|me|us)", r"leaving", r"hit (?:you|me)",
    r"miscarriage", r"diagnos\w*", r"break-?up", r"divorce", r"accident", r"afraid", r"quiet", r"voice changes", r"disappoint\w*", r"failure", r"embarrass\w*", r"heartbr\w*",
)  # fmt: skip
_EXPLORING = _rx(
    r"what (?:was|is) (?:that|it) like", r"what's (?:that|it) like", r"how (?:did|do|does|was|is) (?:that|it|you)", r"what do you (?:feel|think|make|imagine|notice|need|want)",
    r"what (?:did|does|would) (?:you|that|it)", r"what comes", r"why do you think", r"what happened", r"tell me (?:about|more)", r"say more", r"i wonder", r"it sounds like",
    r"that sounds", r"you seem", r"you look", r"you said", r"you mentioned", r"what stops you", r"where do you feel", r"is there a reason", r"how come", r"what about",
    r"what (?:was|were) you", r"what do you remember", r"what (?:would|has|hasn't|have|haven't|else|is it|was it)",
)  # fmt: skip

_DONT_KNOW = _rx(
    r"i (?:really |honestly |just )?(?:don't|do not|dont) (?:really |honestly )?know", r"idk", r"dunno", r"i dunno", r"no idea", r"couldn't tell you", r"god knows",
    r"can't say", r"(?:i'm )?not sure", r"don't know", r"i have no idea", r"who knows", r"beats me", r"no clue",
)  # fmt: skip
# "I don't know" followed by a plain fact it lacks is not resistance.
_INFORMATIONAL = _rx(r"(?:yet|if (?:the|they|it|he|she)|when (?:the|it|they)|what time|where (?:the|it)|how much|how many|how long|which (?:day|bus|one))")
_DONT_KNOW_WHAT_TO_SAY = _rx(r"(?:don't|dont|do not) (?:really )?know (?:what (?:else )?(?:to say|you want me to say)|where to start)")
# What may follow "I don't know" and still leave the question unanswered.
_HEDGE = _rx(r"nothing(?:,? really)?", r"maybe", r"i guess", r"i suppose", r"can we leave it", r"does it matter", r"it just happened", r"i (?:don't|dont) (?:really )?remember",
    r"can't say", r"just stuff", r"not really", r"no idea", r"sort of", r"kind of", r"i just (?:do|did)", r"it was just how it was", r"god knows")

_MINIMISING = _rx(
    r"(?:not|no|isn't|wasn't|it's not|it was not) (?:a |that |such a )?big (?:deal|thing)", r"(?:it's|it was|it is|that's|that was) nothing(?: really| much| serious)?", r"nothing (?:serious|major|much)", r"it's only a",
    r"(?:only|just) (?:a|a couple|a little|a bit|a small|a few)(?: of)? (?:\w+ )?(?:bump|scratch|lump|times|glasses|drinks|stress|thing|bit|row|argument|job)",
    r"(?:other|loads of|lots of) people (?:have it|had it|have|are) (?:way |much |a lot )?worse", r"making it sound worse",
    r"(?:it was|that was|it's|all|this was) (?:ages|years|a long time|so long|\w+ years|\w+ years ago,? more)(?: ago)?",
    r"(?:it|that) doesn't (?:really )?(?:matter|affect me)", r"that's all", r"i didn't (?:really )?mind", r"(?:a bit|slightly|a little) (?:awkward|annoying|much)", r"not that bad",
    r"could (?:have been|be) worse", r"no drama", r"these things happen", r"more of a \w+ than anything", r"it's fine,? (?:honestly|really|anyway)", r"honestly,? it's fine",
    r"it was fine,? honestly", r"i'm fine(?: now)?,? (?:honestly|really)", r"(?:^|[.,!?] )whatever(?=\s*(?:[.!]|$))", r"that's life",
    r"(?:it's|it was) just (?:work|a dream|what happened|a bag|stress|a job|a birthday|a phase|history|a work thing|a thing people say)", r"there's not (?:a lot|much) to (?:say|tell)",
    r"(?:it's|it is) hardly", r"hardly anything", r"it's history", r"it was just a \w+ thing",
    r"not really news", r"a bit of a leap", r"let's not waste", r"i don't see why it matters", r"it's not all me", r"(?:i )?grew out of it", r"people do(?=[.!])",
    r"(?:just|only) a (?:stupid |silly )?little", r"too old to care", r"it was normal", r"everyone (?:shouts|does it|does)", r"it's no big", r"meh", r"(?:it was )?no biggie",
    r"(?:loads|half) of (?:people's|my class|my friends)", r"i'm okay about it", r"it doesn't bother me", r"we're fine now", r"it's just a (?:dream|job|bag|scratch|bump|birthday|rota|text|email|meeting|restaurant|phase)",
    r"it was just a (?:bag|dream|job|scratch|bump|phase|joke)", r"it's a restaurant", r"nothing to do with",
    r"doesn't (?:really )?bother me", r"made my peace", r"i'm too tired to", r"i'm not trying to do the",
    r"not the end of the world", r"i'll live", r"it is what it is", r"part of life", r"happens to everyone", r"everyone goes through", r"(?:i'm|i am|i was) (?:probably )?(?:overreacting|being dramatic|exaggerating)",
    r"(?:it )?wasn't (?:that|so) bad", r"(?:it's|it is) not (?:that|so) (?:serious|bad)", r"i'm used to it", r"it's whatever", r"not worth (?:talking about|mentioning|it)", r"silly little",
    r"i'm sure it's nothing", r"(?:just|only) (?:a bit )?(?:tired|stressed)", r"(?:a bit of )?a (?:rough|bad|off) (?:patch|day|week)", r"nothing to (?:write home|worry) about",
    r"water under the bridge", r"(?:it's|that's) in the past", r"no biggie", r"small thing", r"(?:only|just) a (?:job|birthday|scratch|bump|lump|couple)", r"no big thing",
    r"(?:that's|it's) all(?=\s*[.!]?\s*$)", r"too old to care", r"(?:a bit|a little) (?:down|off|awkward)",
)  # fmt: skip
_SHIFT_EXPLICIT = _rx(
    r"(?:can|could) we (?:talk about|do|move on to|change) (?:something else|the subject|\w+ instead)", r"let's (?:talk about|change) (?:something else|the subject)",
    r"changing the subject", r"moving on", r"(?:i )?(?:don't|dont) (?:really )?want to (?:talk|think|go) (?:about|into) (?:it|that|this|the \w+|him|her)",
    r"(?:don't|dont) (?:really )?want to do the \w+ thing", r"can we leave it", r"can i tell you about \w+ instead", r"is it nearly time", r"can we do \w+",
    r"(?:can we|let's) (?:just )?(?:skip|not do|not talk about)",
)  # fmt: skip
_SHIFT_CUE = _rx(
    r"anyway", r"anyhow", r"by the way", r"that reminds me", r"(?:oh,? )?i forgot to (?:say|tell you|mention)", r"did i tell you", r"did you (?:see|watch|hear)",
    r"have you seen", r"is that a new", r"can we open", r"speaking of", r"i wanted to ask (?:about|you)", r"oh!", r"i've been meaning to", r"on another note",
    r"what time is it", r"i've got this (?:massive|huge|big)", r"work's been",
)  # fmt: skip
_DEFLECT = _rx(
    r"you tell me", r"you're the (?:expert|therapist|professional)", r"what (?:do|would) you (?:think|do|say)(?=\W*(?:\?|$))", r"what would you do", r"what about you",
    r"(?:do|did|have|are|were|would) you (?:ever|\w+ ever)", r"(?:do|did) you (?:argue|cry|fight|get on)", r"(?:have|did) you (?:ever )?(?:had|failed|been)",
    r"(?:are|were) you (?:married|a parent|single)", r"do you have (?:kids|children|a partner|a family)", r"how old are you", r"where are you going", r"(?:has|have) your",
    r"what do (?:most |other )?people", r"what's normal", r"do people (?:\w+ )?(?:cry|usually|say|come)", r"why do you (?:ask|want to know)", r"isn't that your job",
    r"now you(?:'re| are) going to (?:say|tell)", r"you don't let go", r"you'd be a good", r"you know where", r"you know what i mean", r"don't you ever",
)  # fmt: skip
_LOGISTICS = _rx(r"shall we (?:start|begin|stop)", r"next (?:week|time|session|monday|tuesday|wednesday|thursday|friday)", r"o'clock", r"invoice", r"we (?:need|have) to stop", r"see you", r"time's up", r"holiday dates")
_CLARIFY = _rx(r"what do you mean", r"sorry\?", r"pardon", r"can you (?:say|repeat)", r"say that again", r"what was the question")
_NOT_DEFLECT = _rx(r"can we (?:move|change|finish|start)", r"is it nearly time", r"did you have a (?:good|nice)", r"can i (?:pay|ask about the invoice)")
# A question put back to the therapist (about them, or about what people in general do).
_QUESTION_BACK = re.compile(r"(?:^|[.!?]\s+|\s)(?:(?:do|did|have|are|were|would|could|will|can|don't|wouldn't) (?:you|u|people|most people|others)\b|(?:what|how|why|where|who)(?:'s| is| are| do| did| would)? (?:you|u|your|people|normal)\b)[^.!?]{0,80}\?")
_FIRST_PERSON_FEELING = re.compile(r"\bi(?: feel| felt| was| am|'m|m) (?:so |really |very )?(?:sad|angry|hurt|scared|upset|lonely|ashamed|afraid|anxious|guilty|furious|worried)")
_OWNED = _rx(r"(?:it is|it was|it's|it really is|it really was) a big deal", r"it (?:does|did|really does) (?:matter|bother me|hurt)", r"i'm (?:really )?struggling")
_LAUGH_FIRST = re.compile(r"^\s*\(laugh(?:s|ing)?\)", re.IGNORECASE)
_INTELLECTUAL = _rx(
    r"theory", r"classic", r"typically", r"statistically", r"weren't taught", r"structural (?:issue|thing)", r"power dynamic", r"schema", r"(?:a|the) \w+ response",
    r"serotonin", r"dopamine", r"evolutionary", r"freud", r"predictable", r"well documented", r"psychologists?", r"biological", r"wired for",
    r"studies show", r"rates peak", r"birth order", r"attachment", r"textbook", r"meant to (?:rework|represent|symboli[sz]e)", r"parasympathetic", r"sympathetic",
    r"generation", r"makes sense", r"in general", r"on some level", r"technically", r"objectively", r"rationally",
)  # fmt: skip
_INTELLECTUAL_RULES = tuple(r for r in DEFENSE_RULES if r.defense == "intellectualization")


@dataclass(frozen=True)
class Marker:
    label: str
    confidence: float
    start: int
    end: int
    source: str  # "rule" or "head"


def _masked(text: str) -> str:
    low = normalise(text)
    low = _STAGE.sub(lambda m: " " * len(m.group()), low)
    return _QUOTED.sub(lambda m: " " * len(m.group()), low)


def _first(pattern: re.Pattern[str], low: str, *, negatable: bool = True) -> re.Match[str] | None:
    for m in pattern.finditer(low):
        if not (negatable and negated_before(low, m.start(), 30)):
            return m
    return None


def _words(text: str) -> int:
    return len(_WORD.findall(_STAGE.sub(" ", normalise(text))))


def _prompt(doc: Document, i: int) -> tuple[bool, bool, bool]:
    """About what was said just before turn i: (feeling-laden, the therapist spoke last, it was a question).

    Feeling-laden: feeling words in the last two turns, or a therapist's turn about the client
    (a reflection, an interpretation, a question) that is not about the arrangements.
    """
    before = [doc.turns[j] for j in range(max(0, i - 2), i)]
    if not before:
        return False, False, False
    last = before[-1]
    therapist = last.speaker is Speaker.THERAPIST
    said = normalise(last.text)
    about_client = therapist and bool(re.search(r"\byou(?:r|'re|'d|'ve)?\b", said)) and not _LOGISTICS.search(said)
    exploring = therapist and bool(_EXPLORING.search(said)) and not _LOGISTICS.search(said)
    asked = therapist and ("?" in said or exploring)
    laden = any(_FEELING.search(normalise(t.text)) for t in before) or about_client or exploring
    return laden, therapist, asked


def _similarity(doc: Document, i: int) -> float:
    """Highest cosine between turn i and the two turns before it (vectors are unit length)."""
    if doc.vectors is None or i == 0:
        return 0.0
    return max(float(doc.vectors[i] @ doc.vectors[j]) for j in range(max(0, i - 2), i))


def _sentence_initial(low: str, start: int) -> bool:
    before = low[:start].rstrip()
    return not before or before[-1] in ".!?:" or before.endswith(("oh,", "um,", "so,", "right,", "okay,", "ok,", "yeah,"))


def text_markers(doc: Document, i: int) -> list[Marker]:
    """The resistance markers the rules find in client turn ``i``, strongest first."""
    text = doc.turns[i].text
    low = _masked(text)
    laden, after_therapist, asked = _prompt(doc, i)
    n = _words(text)
    opening = _FILLER.match(low)
    head_start = opening.end() if opening else 0
    found: list[Marker] = []

    def add(label: str, confidence: float, m: re.Match[str] | tuple[int, int]) -> None:
        a, b = (m.start(), m.end()) if isinstance(m, re.Match) else m
        a, b = trim_span(text, a, b)
        if b > a:
            found.append(Marker(label, confidence, a, b, "rule"))

    # Topic shift: asked outright, or a new subject opened right after something feeling-laden.
    explicit = _first(_SHIFT_EXPLICIT, low, negatable=False)
    if explicit:
        add("topic_shift", 0.85, explicit)
    elif laden and _similarity(doc, i) < 0.3:
        for cue in _SHIFT_CUE.finditer(low):
            rest = low[cue.end() :]
            if _sentence_initial(low, cue.start()) and len(_WORD.findall(rest)) >= 3 and not _FEELING.search(rest):
                add("topic_shift", 0.75, cue)
                break
    # Intellectualising: the defense's own cues, or theory words in answer to a feeling.
    for rule in _INTELLECTUAL_RULES:
        m = _first(rule.pattern, low)
        if m:
            add("intellectualising", 0.8, m)
            break
    else:
        m = _first(_INTELLECTUAL, low)
        if m and laden and not _FEELING.search(low[: m.start()]):
            add("intellectualising", 0.6, m)
    # Deflecting question: the question turned back on the therapist, or a quip instead of an answer.
    if after_therapist and laden and not _CLARIFY.search(low) and not _NOT_DEFLECT.search(low):
        deflect = _first(_DEFLECT, low, negatable=False)
        laughing = _LAUGH_FIRST.match(normalise(text))
        first_sentence = low[head_start:].split(".")[0].split("?")[0]
        if deflect and ("?" in low or deflect.start() <= head_start + 1 or laughing):
            add("deflecting_question", 0.8, deflect)
        elif asked and n <= 25 and _QUESTION_BACK.search(low) and not _FIRST_PERSON_FEELING.search(low):
            m = _QUESTION_BACK.search(low)
            assert m is not None
            add("deflecting_question", 0.7, sentence_at(text, m.start()))
        elif laughing and n <= 25 and re.search(r"\byou(?:'re|'d|'ll)?\b", first_sentence):
            add("deflecting_question", 0.6, sentence_at(text, head_start))
    # "I don't know" as the whole answer, not as the start of one, nor a plain fact one lacks.
    dk = _first(_DONT_KNOW, low, negatable=False)
    if dk and not (_INFORMATIONAL.match(low[dk.end() :].strip()) and not laden):
        rest = _DONT_KNOW.sub(" ", _HEDGE.sub(" ", low))
        substance = len(_WORD.findall(rest))
        repeated = len(_DONT_KNOW.findall(low)) >= 2
        if substance <= 6 or (repeated and dk.start() <= head_start + 1) or _DONT_KNOW_WHAT_TO_SAY.search(low):
            add("dont_know", 0.8 if (asked or laden) else 0.6, dk)
    # Minimising: making light of what was just named.
    mini = _first(_MINIMISING, low)
    if mini and (laden or after_therapist or _FEELING.search(low)):
        add("minimising", 0.75 if laden else 0.65, mini)
    return sorted(found, key=lambda m: -m.confidence)


class Resistance:
    """Resistance markers (lens ``avoidance``) per client turn, with timing and attendance."""

    name: ClassVar[str] = "resistance"
    version: ClassVar[str] = "1.0"
    requires: ClassVar[tuple[str, ...]] = ("vectors",)
    assigns: ClassVar[tuple[str, ...]] = ("resistance",)
    head_threshold: ClassVar[float] = 0.6
    # The head's topic shifts must also move away: low similarity to the two turns before.
    head_threshold_topic_shift: ClassVar[float] = 0.45
    shift_similarity: ClassVar[float] = 0.25
    head_min_words: ClassVar[int] = 4

    def __call__(self, doc: Document) -> Document:
        counts = dict.fromkeys(MARKERS, 0)
        session = doc.session
        if session is not None and session.attendance is not Attendance.ATTENDED:
            if session.attendance is Attendance.NO_SHOW:
                counts["no_show"] = 1
            elif session.cancelled_by is CancelledBy.THERAPIST:
                counts["therapist_cancellation"] = 1
            else:
                counts["cancellation"] = 1
            doc.summary["resistance"] = counts
            return doc
        self._text(doc, counts)
        if session is not None:
            self._timing(doc, counts, session.minutes_late)
        doc.summary["resistance"] = counts
        return doc

    def _text(self, doc: Document, counts: dict[str, int]) -> None:
        assert doc.vectors is not None
        focus = [i for i, _ in doc.focus_turns(Speaker.CLIENT)]
        if not focus:
            return
        model = _head()
        probabilities = model.probabilities(doc.vectors[focus]) if model is not None else None
        for row, i in enumerate(focus):
            p = dict.fromkeys(LABELS, 1 / len(LABELS))
            if probabilities is not None and model is not None:
                p = {label: float(v) for label, v in zip(model.labels, probabilities[row], strict=True)}
            markers = text_markers(doc, i)
            if not markers:
                markers = self._from_head(doc, i, p)
            chosen = markers[0] if markers else None
            doc.score("resistance", i, _scores(chosen, p))
            if chosen is None:
                continue
            counts[chosen.label] += 1
            text = doc.turns[i].text
            evidence = [Span(i, chosen.start, chosen.end)]
            s, e = trim_span(text, *sentence_at(text, chosen.start))
            if e > s and (s, e) != (chosen.start, chosen.end) and s <= chosen.start and e >= chosen.end:
                evidence.append(Span(i, s, e))
            reason = REASONS[chosen.label] if chosen.source == "rule" else "the trained model's reading of the turn (no phrase rule fired)"
            doc.annotations.append(Annotation("avoidance", chosen.label, round(chosen.confidence, 3), self.name, self.version, tuple(evidence), {"marker": "text", "reason": reason}))

    def _from_head(self, doc: Document, i: int, p: dict[str, float]) -> list[Marker]:
        """The head decides only right after the therapist spoke, and only when it is sure."""
        if i == 0 or doc.turns[i - 1].speaker is not Speaker.THERAPIST or _words(doc.turns[i].text) < self.head_min_words:
            return []
        low = _masked(doc.turns[i].text)
        if _FIRST_PERSON_FEELING.search(low) or _OWNED.search(low):
            return []  # the feeling is owned ("it IS a big deal"): the head cannot read that
        label = max(TEXT_MARKERS, key=lambda k: p.get(k, 0.0))
        threshold = self.head_threshold_topic_shift if label == "topic_shift" else self.head_threshold
        if p.get(label, 0.0) < threshold or p.get(label, 0.0) <= p.get("none", 0.0):
            return []
        laden, _, asked = _prompt(doc, i)
        if label == "topic_shift" and (not laden or _FEELING.search(normalise(doc.turns[i].text)) or _similarity(doc, i) >= self.shift_similarity):
            return []  # a change of subject needs a feeling-laden subject to leave, and must leave it
        if label == "deflecting_question" and not asked:
            return []
        text = doc.turns[i].text
        start, end = trim_span(text, 0, len(text))
        return [Marker(label, p[label] * 0.8, start, end, "head")] if end > start else []

    def _timing(self, doc: Document, counts: dict[str, int], minutes_late: int) -> None:
        focus = set(doc.in_focus)
        if minutes_late > 0:
            first = next((i for i, t in enumerate(doc.turns) if t.speaker is Speaker.CLIENT), 0 if doc.turns else None)
            if first is not None and first in focus:
                span = _whole(doc, first)
                if span is not None:
                    counts["lateness"] += 1
                    doc.annotations.append(Annotation("avoidance", "lateness", 1.0, self.name, self.version, (span,), {"marker": "attendance", "minutes_late": minutes_late, "reason": REASONS["lateness"]}))
        for i in range(1, len(doc.turns)):
            before, after = doc.turns[i - 1], doc.turns[i]
            if i not in focus or before.start_ms is None or after.start_ms is None:
                continue
            gap = after.start_ms - (before.end_ms if before.end_ms is not None else before.start_ms)
            span = _whole(doc, i)
            if gap >= SILENCE_MS and span is not None:
                counts["silence"] += 1
                doc.annotations.append(Annotation("avoidance", "silence", 1.0, self.name, self.version, (span,), {"marker": "timing", "gap_seconds": round(gap / 1000), "reason": REASONS["silence"]}))


def _whole(doc: Document, i: int) -> Span | None:
    text = doc.turns[i].text
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    return Span(i, start, end) if end > start else None


def _head() -> Head | None:
    try:
        return head("resistance")
    except ReverieError:  # no trained head yet: the rules work alone
        return None


def _scores(chosen: Marker | None, p: dict[str, float]) -> dict[str, float]:
    label = chosen.label if chosen else "none"
    confidence = max(0.5, chosen.confidence) if chosen else max(0.5, p.get("none", 0.0))
    rest = {k: p.get(k, 0.0) for k in LABELS if k != label}
    total = sum(rest.values()) or 1.0
    scores = {k: (1 - confidence) * v / total for k, v in rest.items()}
    scores[label] = confidence
    return {k: scores[k] for k in LABELS}


def label_resistance(doc: Document, i: int) -> "LabelResult":
    from reverie.analysis.labelling import LabelResult

    scores = doc.scores.get("resistance", {}).get(i)
    if scores is None:  # not a client turn
        scores = {k: (1.0 if k == "none" else 0.0) for k in LABELS}
    label = max(LABELS, key=lambda k: scores.get(k, 0.0))
    return LabelResult([label], scores)
