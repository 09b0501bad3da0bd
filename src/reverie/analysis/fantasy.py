"""Fantasy: dream reports (also told without the word "dream") and their elements.

Rules find the reporting phrases ("I had a dream", "in the dream", "last night I was ... and then
I woke up"), a dream word or sleep as the frame of a scene told after it ("nightmares again, I'm
trapped in...", "in my sleep I was walking..."), and reject idioms ("dream job", "like a bad
dream", "in your dreams") and other people's dreams ("she'd dreamt"); the trained head decides
the turns the rules leave open. Elements are the people, places, objects, actions and
feelings named in the report, as spans.
"""

import re
from typing import TYPE_CHECKING, ClassVar

from reverie.analysis.document import Annotation, Document, Span
from reverie.analysis.heads import head
from reverie.analysis.matching import normalise, phrases, sentence_at, spans
from reverie.record import Speaker

if TYPE_CHECKING:
    from reverie.analysis.labelling import LabelResult

_REPORT = re.compile(
    r"(?<![\w'])(?:"
    r"i(?:'ve|'d| have| had)? (?:had|have|having) (?:a|an|the|this|that|another|my|one of those|these|those)(?: \w+){0,2} (?:dream|nightmare)s?"
    r"|i(?:'d| had)? (?:dreamt|dreamed)"
    r"|(?:kept|keep|been|was|am|i'm) dreaming (?:that|about|abt|of|i|i'd|i'm|my|the|a|we|you)"
    r"|(?:dreamt|dreamed) (?:abt|that i|i|i'd|i was|my|the|a|an|we|you)"
    r"|(?:^|[.!?] )(?:had|having) (?:a|an|this|that|another|the same)(?: \w+)? (?:dream|nightmare)"
    r"|(?:i )?keep (?:dreaming|having (?:this|that|the same) dream)"
    r"|(?:dreaming|dreamt|dreamed) (?:about|of|that) (?:my|the|a|an|being|i|we|he|she|it|you|our)"
    r"|in (?:my|last night's) (?:dream|nightmare)"
    r"|(?:a|this|that|another) (?:dream|nightmare) (?:where|about|in which|last night|again)"
    r"|(?:dream|nightmare)s? (?:last night|came back|are back|were back)"
    r"|(?:last night's|the other night's|recurring|weird|strange|vivid|horrible|awful|bad|lovely|scary|worst) (?:dream|nightmare)s?"
    r"|(?:my|a|this) (?:dream|nightmare)s? (?:was|is|were|are) (?:about|that|set|so|really|back)"
    r"|(?:my) nightmares"
    r"|(?:saw|see|seeing|met|meet) (?:\w+ ){1,3}in (?:a|my) (?:dream|nightmare)"
    r")(?![\w'])"
)
_NIGHT_SCENE = re.compile(r"(?<![\w'])(?:last night|the other night|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday) night|in my sleep)[^.!?]{0,40}?\bi (?:was|am|'m)\b")
_WOKE = re.compile(r"(?<![\w'])(?:i woke up|woke me up|and then i woke|when i woke|i woke|woke up (?:crying|sweating|shaking|screaming|sobbing))(?![\w'])")
_SLEEP = re.compile(r"(?<![\w'])(?:asleep|sleep|slept|woke|wake|night|bed)(?![\w'])")
# How a dream is told: the dreamer placed somewhere, doing something ("I was in a house").
_TELLING = re.compile(r"(?<![\w'])(?:i was|i'm|i am|we were|there was|there were)(?: \w+)? (?:in|at|on|back|standing|walking|running|sitting|driving|flying|holding|carrying|trying|looking|lost|falling|a|an|this|these|some)(?![\w'])")
_AWAKE = re.compile(r"(?<![\w'])(?:couldn't (?:get back to )?sleep|could not sleep|lay awake|lying awake|wide awake|insomnia|worrying|overthinking|alarm)(?![\w'])")
_ASKED = re.compile(r"(?<![\w'])(?:dream|dreams|dreamt|dreamed|nightmare|nightmares)(?![\w'])")
_IDIOM = re.compile(
    r"(?<![\w'])(?:dream (?:job|house|home|holiday|car|wedding|team|come true|boat|life|school|kitchen|garden|trip)|like a (?:bad )?dream|in your dreams|dream on|dreamy|day ?dream\w*|"
    r"(?:my|his|her|their|our) dream (?:is|was|would be) to|dream(?:s|ed|t|ing)? (?:of|about) (?:being|becoming|having|opening|owning|moving|living|retiring|going|getting|winning|travelling|quitting|one day|a life)|"
    r"i (?:have|had) a dream (?:of|to)|i have a dream|beyond my wildest dreams|wildest dreams|wouldn't dream of|never dreamed|never dreamt|pipe dream|american dream|went like a dream|works like a dream|"
    r"waking (?:up )?from a (?:bad )?dream|in a (?:bit of a )?dream (?:today|this morning|all day)|lucid dreaming|what (?:dreams|my dreams) mean|time for dreams|(?:a|an absolute|a total|a complete) nightmare (?:of a|with|getting|trying|at|on|to)|nightmare of a)(?![\w'])"
)
_PEOPLE = phrases(["mum", "mom", "mother", "dad", "father", "gran", "granny", "grandma", "grandad", "grandfather", "brother", "sister", "husband", "wife", "partner", "boyfriend", "girlfriend", "boss", "friend", "baby", "child", "children", "teacher", "you", "someone", "a man", "a woman", "people"])
_PLACES = phrases(["house", "room", "kitchen", "garden", "school", "station", "train", "beach", "sea", "street", "office", "hospital", "church", "corridor", "forest", "lift", "car", "bus", "city", "flat", "bedroom", "stairs", "workshop", "therapy room", "water"])
_FEELINGS = phrases(["scared", "afraid", "frightened", "terrified", "happy", "sad", "angry", "lost", "alone", "panic", "panicked", "calm", "ashamed", "embarrassed", "relieved", "anxious", "safe", "stuck"])
_ACTIONS = phrases(["running", "ran", "falling", "fell", "flying", "flew", "waiting", "waited", "shouting", "shouted", "calling", "called", "hiding", "hid", "looking for", "searching", "drowning", "crying", "cried", "chasing", "locked"])


# A dream word anywhere; with a scene told in the same turn it is a telling, not talk about dreams.
_DREAM_WORD = re.compile(r"(?<![\w'])(?:dream|dreams|dreamt|dreamed|dreaming|nightmare|nightmares|night terrors?)(?![\w'])")
# Sleep as the frame of what follows: "in my sleep I was", "just as I was dropping off I saw".
_SLEEP_FRAME = re.compile(
    r"(?<![\w'])(?:in my sleep|when i sleep|while i (?:was )?(?:sleeping|asleep)|(?:half|fell|was) asleep|as i was (?:dropping|drifting|nodding) off|"
    r"before i (?:drop|drift|nod) off|went back under|surfac(?:ed|ing) from|straight out of a|woke (?:up )?(?:from|out of)|all night i was|talking in my sleep|sleep is full of)(?![\w'])"
)
# Dream logic and scene-setting: places that turn into others, things that cannot be, a scene told.
_SCENE = re.compile(
    r"(?<![\w'])(?:turn(?:s|ed)? into|(?:was|is) also (?:my|a|the)|except (?:it was|it's|they were)|for some reason|suddenly|out of nowhere|"
    r"(?:i|we) (?:couldn't|can't|could not) (?:move|run|scream|speak|breathe|find)|no (?:face|faces|shoes|passport|driver)|"
    r"(?:i'm|i am|i was|we were|we're) (?:in|at|on|back|behind|standing|walking|running|driving|flying|trying|being|trapped|lost|married)|"
    r"(?:i|i'm|i am|we|we're) (?:was |were )?\w+ing (?:with|to|in|at|on|over|through|for|after|and|my|the|a|an|him|her|them|me)|there(?:'s| is| was| were) (?:this|these|no)|it(?:'s| was) always|"
    r"(?:was|were) (?:a|my) (?:\w+ )?(?:goose|stranger|teacher|child))(?![\w'])"
)


# "In the dream", "the dream": a mention of a dream already told, when one was told before.
_MENTION = re.compile(r"(?<![\w'])(?:(?:in|like in|from) (?:the|my|that) (?:dream|nightmare)|the (?:dream|nightmare))(?![\w'])")
_ANNOUNCE_WORDS = 20


class Dreams:
    """Dream reports, and the later turns that associate to them.

    In a session a dream is often announced ("I had a dream.") and told in the next turn; the
    report is annotated on the turn that tells it, with the announcement as further evidence.
    Later mentions of that dream ("in the dream I wanted...") are associations, not new reports.
    """

    name: ClassVar[str] = "dreams"
    version: ClassVar[str] = "1.2"
    requires: ClassVar[tuple[str, ...]] = ("vectors",)
    assigns: ClassVar[tuple[str, ...]] = ("dreams",)
    threshold: ClassVar[float] = 0.5  # head probability with a night scene or waking
    head_alone: ClassVar[float] = 0.9  # head probability with only a word about sleep

    def __call__(self, doc: Document) -> Document:
        assert doc.vectors is not None
        model = head("dream")
        focus = [i for i, t in doc.focus_turns() if t.speaker is not Speaker.THERAPIST]
        if not focus:
            return doc
        probabilities = dict(zip(focus, model.probabilities(doc.vectors[focus])[:, 0].tolist(), strict=True))
        dreams_told = 0
        pending: tuple[int, tuple[int, int], float] | None = None  # an announcement waiting for its telling
        for i in focus:
            text = doc.turns[i].text
            low = normalise(text)
            found = self._cue(doc, i, low, probabilities[i])
            if pending is not None:
                # The turn after an announcement tells the dream, unless it is itself a new cue.
                announced_at, cue, confidence = pending
                pending = None
                if found is None or found[2] != "report":
                    self._report(doc, i, (0, len(text)), confidence, extra=(Span(announced_at, *cue),))
                    dreams_told += 1
                    doc.score("dream", i, {"dream": confidence})
                    continue
            if found is None:
                doc.score("dream", i, {"dream": min(probabilities[i], 0.49)})
                continue
            cue, confidence, kind = found
            if kind == "told" and dreams_told:
                kind = "mention"  # after a telling, narrative about the night is association
            if kind == "mention" and not dreams_told and _told_after(low, cue[1]):
                kind = "told"  # the first words here about a dream that tell it: a report
            if kind == "mention":
                # Talk about a dream told earlier here (or in an earlier session): association.
                start, end = sentence_at(text, cue[0])
                doc.annotations.append(Annotation("fantasy", "dream_association", round(confidence, 3), self.name, self.version, (Span(i, cue[0], cue[1]), Span(i, start, end)), {"dream": dreams_told or None}))
                doc.score("dream", i, {"dream": min(probabilities[i], 0.49)})
                continue
            doc.score("dream", i, {"dream": confidence})
            rest = low[cue[1] :]
            next_client = next((j for j in focus if j > i), None)
            announced_only = len(rest.split()) < _ANNOUNCE_WORDS or not _TELLING.search(rest)
            if kind == "report" and announced_only and next_client is not None:
                pending = (i, cue, confidence)
                continue
            self._report(doc, i, cue, confidence)
            dreams_told += 1
        if pending is not None:
            announced_at, cue, confidence = pending
            self._report(doc, announced_at, cue, confidence)
        return doc

    def _cue(self, doc: Document, i: int, low: str, p_head: float) -> tuple[tuple[int, int], float, str] | None:
        idioms = [(m.start(), m.end()) for m in _IDIOM.finditer(low)]

        def clear(m: re.Match[str]) -> bool:
            return not any(a < m.end() and m.start() < b for a, b in idioms)

        report = [(m.start(), m.end()) for m in _REPORT.finditer(low) if clear(m) and not _someone_else(low, m.start())]
        if report:
            return report[0], max(0.9, p_head), "report"
        mention = [(m.start(), m.end()) for m in _MENTION.finditer(low) if clear(m)]
        if mention:
            return mention[0], max(0.6, p_head), "mention"
        words = [(m.start(), m.end()) for m in _DREAM_WORD.finditer(low) if clear(m) and not _someone_else(low, m.start())]
        if words and _told_after(low, words[0][1]):
            return words[0], max(0.75, p_head), "told"
        framed = [(m.start(), m.end()) for m in _SLEEP_FRAME.finditer(low)]
        if framed and _told_after(low, framed[0][1]):
            return framed[0], max(0.7, p_head), "told"
        scene = [(m.start(), m.end()) for m in _NIGHT_SCENE.finditer(low)]
        woke = [(m.start(), m.end()) for m in _WOKE.finditer(low)]
        if scene and woke:
            return scene[0], max(0.8, p_head), "told"
        if idioms or _AWAKE.search(low):
            return None
        narrative = [(m.start(), m.end()) for m in _TELLING.finditer(low)]
        asked = i > 0 and doc.turns[i - 1].speaker is Speaker.THERAPIST and _ASKED.search(normalise(doc.turns[i - 1].text))
        if narrative and (woke or asked):
            return (woke or narrative)[0], max(0.7, p_head), "told"
        if p_head >= self.threshold and (scene or woke):
            return (scene or woke)[0], p_head, "told"
        sleep = [(m.start(), m.end()) for m in _SLEEP.finditer(low)]
        if p_head >= self.head_alone and sleep:
            return sleep[0], p_head, "told"
        return None

    def _report(self, doc: Document, i: int, cue: tuple[int, int], confidence: float, extra: tuple[Span, ...] = ()) -> None:
        text = doc.turns[i].text
        start, _ = sentence_at(text, cue[0])
        evidence = (Span(i, cue[0], cue[1]), Span(i, start, len(text)), *extra)
        doc.annotations.append(Annotation("fantasy", "dream", round(confidence, 3), self.name, self.version, evidence, {"elements": _elements(text, start)}))


def _told_after(low: str, position: int) -> bool:
    """A scene is told after ``position``: the dreamer placed somewhere, or dream logic."""
    return bool(_TELLING.search(low, position) or _SCENE.search(low, position))


_OTHER_DREAMER = re.compile(r"(?<![\w'])(?:he|she|they|he'd|she'd|they'd|mum|mom|dad|my (?:son|daughter|partner|husband|wife|mum|mom|dad|sister|brother|friend)) (?:\w+ ){0,2}$")


def _someone_else(low: str, start: int) -> bool:
    """The dream belongs to someone else: "she'd dreamt", "my son had a nightmare"."""
    return bool(_OTHER_DREAMER.search(low[max(0, start - 30) : start]))


def _elements(text: str, start: int) -> dict[str, list[list[int]]]:
    """Spans (as [start, end]) of each kind of element from ``start`` to the end of the turn."""
    out: dict[str, list[list[int]]] = {}
    for kind, pattern in (("people", _PEOPLE), ("places", _PLACES), ("actions", _ACTIONS), ("feelings", _FEELINGS)):
        found = [[a, b] for a, b in spans(pattern, text) if a >= start]
        if found:
            out[kind] = found
    return out


def label_dream(doc: Document, i: int) -> "LabelResult":
    from reverie.analysis.labelling import LabelResult

    found = [a for a in doc.found("fantasy", "dream") if a.evidence[0].turn == i]
    scores = doc.scores.get("dream", {}).get(i, {"dream": 0.0})
    extra: dict[str, object] = {}
    if found:
        extra["elements"] = {k: [doc.turns[i].text[a:b] for a, b in v] for k, v in found[0].detail.get("elements", {}).items()}
    return LabelResult(["dream"] if found else [], scores, extra)
