"""Interventions: what each therapist turn does, and whether a session leans psychodynamic or CBT.

Every therapist turn in focus gets exactly one of six labels:
- ``question``: asks for material ("what comes to mind?", "tell me more", "say more?");
- ``reflection``: gives the client's words or feeling back ("you felt invisible", "polite.",
  "it sounds like..."), recognised also by its lexical overlap with the client's previous turn;
- ``interpretation``: offers a meaning the client did not state: "I wonder if...", "perhaps ...
  a way of / because...", patterns ("every time you..."), and links between the past, the present
  and the therapist ("like your mum", "anger at me for the break");
- ``advice``: tells the client what to do ("try...", "you should...", "it might help to...");
- ``information``: facts about the frame or the world ("we have ten minutes", "I'll be away on
  the 16th", fees, confidentiality, psychoeducation);
- ``other``: minimal encouragers ("Mm"), greetings, endings, courtesies.

Each sentence of a turn (stage directions such as "(laughs)" masked) is read by phrase rules that
give a label and a strength (3: a clear form, 2: a usual sign, 1: a weak one); the turn takes its
strongest sentence, ties going to the more specific label (interpretation, advice, question,
reflection, information, other). Imperatives and fragments made mostly of the client's own words
are echoes, so reflections; words inside quotes are never read as the therapist's own advice; "you
don't need to apologise" is a courtesy, "your GP thought you should come" reported advice. The
rule's label then gets ``BOOST[strength]`` added to the trained ``intervention`` head's
log-probability and the highest wins: a clear form decides, a weak sign only tips a head that is
unsure, and when no rule fires the head decides alone. ``detail`` holds a generic reason and the
lexical overlap with the client's previous turn, never the words.

Session summary (``doc.summary["interventions"]``), after the idea of the Comparative
Psychotherapy Process Scale (Hilsenroth et al., 2005; ``../shared/CLINICAL.md``), which rates a
session on psychodynamic-interpersonal items (exploring, reflecting and interpreting feelings,
patterns, the past and the therapy relationship) and on cognitive-behavioural items (advice,
homework, psychoeducation, explaining the rationale, structuring, planning). The CPPS rates
whole sessions by observers; this is a turn-count proxy of it:
- ``counts``: turns per label (all six);
- ``psychodynamic_share`` = (question + reflection + interpretation) / (turns not labelled other);
- ``cbt_share`` = (advice + information) / (turns not labelled other); the two shares sum to 1;
- ``leaning``: "psychodynamic" when ``psychodynamic_share`` ≥ 0.75, "cbt" when ``cbt_share`` ≥
  0.35, "mixed" otherwise, and "mixed" when fewer than ``MIN_TURNS`` turns are not "other" (too
  little to say). The thresholds are asymmetric because questions count on the psychodynamic side
  although CBT therapists ask many (Socratic) questions too: a CBT session can still show a
  psychodynamic share near one half, while a psychodynamic one gives little advice or teaching;
- ``turns``: the number of turns not labelled other.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from reverie.analysis.document import Annotation, Document, Span
from reverie.analysis.heads import head
from reverie.analysis.matching import normalise, sentences
from reverie.record import Speaker

if TYPE_CHECKING:
    from reverie.analysis.labelling import LabelResult

LABELS = ("question", "reflection", "interpretation", "advice", "information", "other")
PRIORITY = ("interpretation", "advice", "question", "reflection", "information", "other")
PSYCHODYNAMIC = frozenset({"question", "reflection", "interpretation"})
CBT = frozenset({"advice", "information"})
PSYCHODYNAMIC_LEANING = 0.75
CBT_LEANING = 0.35
MIN_TURNS = 5
# Added to the head's log-probability of the rule's label: 3 a clear form, 2 a usual sign, 1 a weak one.
BOOST = {1: 0.5, 2: 1.0, 3: 2.0}


def _rx(*alternatives: str) -> re.Pattern[str]:
    """Whole-word alternatives; ``'`` also matches a missing apostrophe."""
    body = "|".join(alternatives).replace("'", "'?")
    return re.compile(r"(?<![\w'])(?:" + body + r")(?![\w'])")


_STAGE = re.compile(r"\((?:laughs?|pause|pauses|sighs?|silence|long pause|smiles?|quietly|softly|gently|crying|\w+ing)\)|\[[^\]\n]{0,40}\]")
_FAMILY = r"(?:mum|mom|mother|mam|dad|father|parents?|gran|granny|grandma|grandmother|grandad|grandfather|nan|brother|sister|family|papá|mamá)"

_OTHER_WHOLE = re.compile(
    r"^\s*(?:(?:mm+|m-?hm+|mhm+|uh-?huh|uh huh|hm+|hmm+|ah+|oh+|okay|ok|alright|all right|right|yes|yeah|yep|yup|sure|i see|of course|please|thank you|thanks|cheers|no|nope|sorry|go on|go ahead|carry on|indeed|absolutely|exactly|true|fair enough|got it|gosh|goodness|wow|i do|i know|i'm sorry|hello|hi|hey|good (?:morning|afternoon|evening)(?:,? \w+)?|hello,? \w+|hi,? \w+|then)[\s.,!]*)+$"
)
_OTHER = _rx(
    r"(?:hello|hi|good (?:morning|afternoon|evening)|welcome back)(?:,? (?!come\b|in\b|again\b|there\b)\w+)?",
    r"come (?:in|on in)",
    r"(?:have|take) a seat(?: wherever you like)?",
    r"sit (?:down|wherever)",
    r"(?:see|i'll see) you(?: (?:next|on|then|soon|in|after|same)\b.*)?",
    r"take care",
    r"have a (?:good|nice|lovely|safe) (?:holiday|break|week|weekend|trip|christmas|easter|summer|time)",
    r"happy (?:new year|christmas|easter|birthday)",
    r"bless you",
    r"(?:we|we'll|let's|we need to|we have to|we'll have to) (?:stop|leave it|finish|end|pick this up|pick it up|come back to this)(?: there| here)?(?: for (?:today|now))?(?: next (?:time|week))?",
    r"(?:our|that's our|the) time(?:'s| is) up(?: for today)?",
    r"that's (?:our|the) time",
    r"take your time",
    r"(?:sorry,? )?(?:go on|carry on|you go)",
    r"sorry,? i didn't (?:catch|hear) that",
    r"thank you(?: for (?:telling|sharing|saying|bringing|coming|doing|letting|sending)\b.*)?",
    r"thanks(?: for \w+)?",
    r"(?:that's|it's|that is) (?:okay|ok|fine|all right|alright)",
    r"(?:there's )?no need to (?:be sorry|apologise|apologize)",
    r"you don't (?:need|have) to (?:apologise|apologize|be sorry)",
    r"none taken",
    r"(?:terrible|lovely|awful|nice|horrible) weather",
    r"can you hear me(?: (?:all right|alright|okay|ok))?",
    r"catch your breath",
    r"take a moment",
    r"(?:would|do) you (?:like|want) (?:some |a )?(?:water|tissue|tea|glass|drink|cup)",
    r"(?:here's|there's|have) a tissue",
    r"shall we (?:start|begin|get started|make a start)",
    r"(?:did you find|was it easy to find) (?:us|the place|it|the building)",
    r"how was (?:the|your) (?:traffic|journey|drive|trip|bus|train)",
    r"(?:nice|good|lovely) to (?:see|meet) you",
    r"(?:excuse me|one (?:moment|second|sec)|just a (?:moment|second|sec)|let me just)",
    r"sorry (?:about|for) (?:the|that|my) (?:wait|noise|delay|phone|interruption)",
    r"is (?:the|this) (?:temperature|room|heating|chair|light) (?:okay|ok|all right|alright)",
)
_QUOTED = re.compile(r"\"[^\"\n]{1,300}\"")
_TIME_LEFT = _rx(
    r"we(?:'ve got| have| have got)(?: about| only| just)? (?:\w+ )?minutes(?: left)?",
    r"(?:\w+ )?minutes left",
    r"we(?:'re| are) (?:nearly|almost|close to|near|coming (?:up )?to(?:wards)?|getting near) (?:at |out of )?(?:time|the end)",
    r"we (?:need|have) to stop in (?:a few|a couple of|about \w+|\w+) minutes",
)
_INFORMATION = _rx(
    r"(?:we'll|we will) (?:still )?(?:finish|end|stop) at",
    r"i(?:'ll| will| am|'m) (?:be )?(?:away|off|on leave|back on|back from|not here|not be here)",
    r"(?:there'll|there will) be no session",
    r"no session (?:on|next)",
    r"(?:the|our|my) (?:break|holiday|leave) (?:is|will be|starts|runs)",
    r"(?:our|the|your) (?:last|next|first) session (?:is|will be|before)",
    r"sessions (?:are|last|run|will be)",
    r"(?:next week's|the next|this) session (?:will be|is) (?:on|at|online)",
    r"same time next week",
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday) the \d+\w*",
    r"the \d+(?:st|nd|rd|th) of \w+",
    r"(?:fee|fees|invoice|receipt|payment|charged|charges|cancellation policy|hours' notice|notice period)",
    r"(?:everything|what) you (?:say|tell me) (?:here )?(?:is|stays) (?:confidential|between us)",
    r"confidential(?:ity)?",
    r"(?:crisis line|samaritans|111|999|a&e|emergency department|out of hours)",
    r"(?:your gp|your doctor|a pharmacist|your pharmacist) (?:can|will|could)",
    r"i (?:keep|make|take|write) (?:some )?notes",
    r"you have the right to",
    r"(?:the|this) (?:questionnaire|form|measure|phq|gad)",
    r"(?:zoom|teams|the link|video link|online session)",
    r"(?:the way i work|what we do here|how this works|how therapy works|in this kind of therapy)",
    r"i(?:'ll| will) (?:mostly )?follow what you bring",
    r"(?:the waiting room|the building|the door) (?:opens|closes|is open)",
    r"(?:is|are|can be|is often|are often) (?:a |very )?(?:common|normal|usual|typical) (?:after|when|in|for|with|symptom|reaction|response)",
    r"(?:usually|often|commonly|typically|generally|tend to|tends to) (?:peak|take|last|get|make|improve|pass|start|happen|come|go|interact|settle|cause|affect|help)",
    r"(?:is|are) a (?:depressant|stimulant|symptom|side effect|sign)",
    r"can (?:interact|cause|trigger|worsen|make \w+ worse|affect)",
    r"it takes (?:about )?\w+ (?:weeks|days|minutes|months)",
    r"(?:at|by|from|until|till) \d{1,2}(?:[:.]\d\d)?(?: ?[ap]m)?",
    r"(?:at|by|from|until|till) (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?: thirty| fifteen| forty-five)? (?:o'clock|am|pm|in the (?:morning|afternoon|evening))",
    r"(?:on|from|until|till|after|before) the \d+(?:st|nd|rd|th)?",
    r"(?:january|february|march|april|june|july|august|september|october|november|december)",
    r"(?:appointments?|the clinic|reception|receptionist|referral|waiting list|the practice|the service|the surgery)",
    r"(?:open|closed|shut) (?:on|over|from|until|for|between)",
    r"(?:research|studies|the evidence) (?:shows?|suggests?|says)",
    r"(?:many|most|a lot of|lots of) people (?:find|feel|experience|have|get|notice)",
    r"(?:it's|it is) (?:very |really |quite )?(?:common|normal) (?:for|to|after|when)",
    r"(?:medication|tablets|antidepressants|the dose|side effects?)",
)
_ADVICE = _rx(
    r"(?<!thought )(?<!think )(?<!thinks )(?<!said )(?<!says )(?<!told )you (?:should|ought to|must|need to)(?! (?:apologise|apologize|be sorry|decide today|decide now|have|be feeling))",
    r"(?:i'd|i would|i) (?:suggest|recommend|advise|encourage you)",
    r"my (?:advice|suggestion|recommendation)",
    r"why (?:not|don't you)",
    r"how about (?:you|trying|if you)",
    r"what if you (?:tried|were to|try)",
    r"(?:it|that|this) (?:might|may|could|would|will|can) (?:really )?(?:help|be (?:good|useful|helpful|worth|a good idea|wise|important))(?: to| if| for you to)",
    r"(?<!whether )(?<!if )(?<!then )(?:you|perhaps you|maybe you) (?:could|might|may want to|might want to|could always) (?:try|ask|write|talk|tell|go|make|keep|say|call|ring|practise|practice|use|set|plan|take|give|start|stop|book|see|speak|put|do|check|look into|think about doing)",
    r"have you (?:tried|thought about|considered) \w+ing",
    r"let's (?:try|practise|practice|do|make|plan|set|write|work out|agree)",
    r"next time,",
    r"for homework|as homework|this week,? (?:try|see if you can|practise|practice|keep)",
    r"(?:give yourself|allow yourself|let yourself) (?:permission|ten|\w+ minutes|time|a break)",
    r"ask yourself",
    r"(?:it's|it is|it might be|it may be|it could be|it would be|might be|could be) worth (?:\w+ing|a try|trying)",
    r"you (?:might|may|could) find it (?:helpful|useful|easier)",
    r"(?:one thing|something) (?:you could|that (?:can|might|could|may) help|to try|worth trying)",
    r"(?:i'd|i would) like you to",
    r"i want you to (?:try|write|keep|practise|practice|notice|do|make|go|think about)",
    r"make sure (?:you|to)",
    r"(?:could|can|would|will) you try",
    r"see if you can",
    r"(?:what|something that|one thing that) (?:helps|can help|often helps|might help)",
    r"(?:be kind|be gentle) (?:to|with) yourself",
)
_IMPERATIVE = re.compile(
    r"^(?:(?:and|so|then|just|now|please|maybe|perhaps|first|also),? )*(?:try|make|write|tell (?!me\b)|go (?!on\b)|don't (?!worry\b)|do not|practise|practice|challenge|keep|remember to|stop|put|set|call|ring|talk to|speak to|breathe|use|avoid|plan|eat|drink|get|label|schedule|book|contact|email|text|sit with|take (?!your time\b|care\b|a moment\b|a breath\b)|give|write down|notice|pay attention|focus|count|list|think of|consider|leave|say no|say yes|stick to|turn off|switch off|limit|cut down|exercise|walk|sleep|go to bed)\b"
)
_INTERPRETATION = _rx(
    r"i wonder (?:if|whether)",
    r"i wonder,",
    r"(?:could|can) it be (?:that|because)",
    r"is it possible (?:that)?",
    r"(?:might|could|can) (?:it|this|that|some of (?:it|this|that)|the \w+|part of it) (?:be|have been|have something|also be|really be) (?:about|that|because|to do|connected|linked|related|a way|partly|more|less)",
    r"is there (?:a|some|any) (?:link|connection|similarity|pattern)",
    r"(?:connected|linked|related) to (?:what|how|your|the way|when|something)",
    r"(?:something|anything) to do with",
    r"what if (?:it's|it is|this is|that's|the \w+ (?:is|was))",
    r"(?:it|this|that) (?:may|might|could) (?:be|have been) (?:that|because|a way|as if|about|partly|also)",
    r"it (?:seems|feels|looks) (?:to me )?(?:as if|as though|like|that)",
    r"(?:it's|it is) as if",
    r"as if",
    r"as though",
    r"(?:a|one) way (?:of|to) (?:not|avoid|keep|protect|make|get|tell|say|stay|test|find|push|be)",
    r"(?:there's|there is|i see|i notice) a pattern",
    r"i notice (?:that )?(?:you|when|each|every|whenever|we|something|how|it)",
    r"(?:each|every) time (?:you|we|someone|he|she|they)",
    r"whenever (?:you|we|someone|he|she|they)",
    r"so (?:that )?(?:you|nobody|no one|he|she) (?:wouldn't|don't|didn't|won't|can't|couldn't|never) (?:have to|need to|get|be)",
    r"(?:rather|instead) than (?:feel|feeling|let|letting|say|saying|be|being|ask|asking|risk)",
    r"partly because",
    r"keeps? you from",
    r"protects? you from",
    r"stands? in for",
    r"(?:also|really|partly) (?:about|anger at|angry with|a way|telling me)",
    r"(?:anger|angry|cross|furious|disappointment|disappointed) (?:at|with|in) me",
    r"the same (?:feeling|thing|way|pattern) (?:as|that|with)",
    r"(?:like|as with|the way|just as|as) (?:your|with your) " + _FAMILY,
    r"the way (?:your|my) \w+ (?:did|used to|does)",
    r"like at home",
    r"like (?:me|with me|here) ",
    r"(?:here|with me),? (?:too|as well)",
    r"(?:with|and) (?:me|us),? (?:too|as well|now|here)",
    r"and now me",
    r"i (?:think|suspect|guess) (?:that )?(?:part of you|perhaps|maybe|the|it's|it is|what|when|you're|you are|you)",
    r"part of you",
    r"just as (?:we|you) (?:got|get|were getting|are getting|came|come)",
    r"(?:we|you) (?:moved|changed|switched|jumped) (?:to|the subject|away|on)",
    r"a (?:very )?(?:old|familiar) (?:way|feeling|place|pattern|story)",
    r"(?:familiar|it's familiar)",
    r"(?:because|since) (?:you|he|she|they|no one|nobody) (?:didn't|never|couldn't|wouldn't|learned|had)",
)
_QUESTION = _rx(
    r"tell me (?:more|about|a (?:bit|little)|what|how|something)",
    r"(?:can|could|would) you (?:say|tell (?:me )?|talk) (?:a (?:bit|little) )?(?:more|about)",
    r"say (?:a (?:bit|little) )?more",
    r"(?:i'm|i am|i'd be) (?:interested|curious) (?:in|about|to)",
    r"i wonder (?:what|how|where|who|when|why)",
    r"what comes (?:to mind|up)",
    r"i'd like to (?:hear|understand|know)",
)
_INVITATION = _rx(
    r"(?:start|begin|go) (?:wherever|where you|with whatever|with what)",
    r"where would you like to (?:start|begin|go)",
)
_REFLECTION = _rx(
    r"(?:it|that) sounds (?:like|as if|as though|very|really|quite|so|\w+)",
    r"you sound",
    r"you (?:seem|seemed) (?:very |really |quite |so )?(?:\w+)",
    r"you(?:'re| are| were|'ve been| have been) (?:feeling|wondering|expecting|worried|telling|saying|describing|keeping|getting)",
    r"you (?:felt|feel|wanted|want|wish|wished|miss|missed|hoped|needed|learned|learnt|kept|had|remember|imagine|imagined|expect|expected|reach for|came|went|told|said|brought|rang|let|didn't|don't|couldn't|can|can't|never|nearly|still|just|get|got|mean)",
    r"so (?:you|he|she|they|part of you|it|the|there|that|your)",
    r"(?:what i'm hearing|i hear|i'm hearing) (?:is|that)",
    r"part of you (?:wanted|wants|feels|felt)",
)
_FIRST_PERSON = _rx(r"i", r"i'm", r"i'll", r"i'd", r"i've", r"me", r"my")
_STOP = frozenset((
    "a", "an", "the", "and", "or", "but", "so", "if", "then", "than", "that", "this", "these", "those", "it", "its", "it's", "is", "was", "were",
    "be", "been", "being", "am", "are", "to", "of", "in", "on", "at", "by", "for", "with", "from", "as", "i", "me", "my", "you", "your",
    "you're", "he", "him", "his", "she", "her", "they", "them", "their", "we", "us", "our", "what", "which", "who", "whom", "how", "when", "where", "why",
    "do", "did", "does", "done", "not", "no", "just", "very", "really", "quite", "also", "too", "there", "here", "all", "any", "some", "one", "can", "could",
    "would", "should", "will", "shall", "may", "might", "must", "have", "has", "had", "about", "into", "out", "up", "down", "over", "again", "more", "most", "much",
    "like", "only", "own", "same", "such", "yes", "yeah", "mm", "okay", "oh", "well", "now",
))  # fmt: skip
_WORD = re.compile(r"[a-z][a-z']+")


@dataclass(frozen=True)
class _Reading:
    label: str
    strength: int
    start: int
    end: int
    reason: str


def _content(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(normalise(text)) if w not in _STOP and len(w) > 2]


def _stem(word: str) -> str:
    for suffix in ("'s", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def overlap(sentence: str, client: str) -> float:
    """Share of the sentence's content words that the client used just before."""
    words = _content(sentence)
    if not words:
        return 0.0
    theirs = set(_content(client))
    return sum(w in theirs for w in words) / len(words)


def _read_sentence(low: str, unquoted: str, start: int, end: int, client: str, alone: bool) -> _Reading | None:
    """One sentence; ``unquoted`` is the turn with quoted words blanked, ``alone`` that it is the turn's only sentence."""
    s = low[start:end]
    own = unquoted[start:end]
    stripped = s.strip(" .!,;:-\"'")
    words = len(stripped.split())
    ov = overlap(stripped, client) if client else 0.0

    def hit(pattern: re.Pattern[str], text: str = s) -> tuple[int, int] | None:
        m = pattern.search(text)
        return (start + m.start(), start + m.end()) if m else None

    if not stripped:
        return None
    if not own.strip(" .!,;:-\"'?"):
        return _Reading("reflection", 2, start, end, "words quoted back")
    if _OTHER_WHOLE.match(s):
        return _Reading("other", 3 if alone else 1, start, end, "minimal response or greeting")
    found = hit(_INVITATION)
    if found:
        return _Reading("question", 3, *found, "invitation to say more")
    found = hit(_ADVICE, own)
    if found:
        return _Reading("advice", 3, *found, "advice or suggestion")
    if _IMPERATIVE.match(own.strip(" .!,;:-\"'")) and ov < 0.5:
        return _Reading("advice", 3, start, end, "imperative")
    if ov >= 0.6 and words <= 12 and not s.rstrip().endswith("?") and not re.search(r"\b(?:wonder|perhaps|maybe|possible|could it)\b", s):
        return _Reading("reflection", 3, start, end, "client's words given back")
    found = hit(_INTERPRETATION)
    if found:
        linked = bool(re.search(r"\b(?:me|my|here|us)\b", s)) or bool(re.search(_FAMILY, s))
        echo = ov >= 0.6 and words <= 8
        if not echo:
            strength = 3 if (linked or not s.rstrip().endswith("?") or "wonder" in s) else 1
            return _Reading("interpretation", strength, *found, "link or hypothesis offered")
    found = hit(_QUESTION)
    if found:
        return _Reading("question", 3, *found, "invitation to say more")
    if s.rstrip().endswith("?"):
        if words >= 3 and re.match(r"^(?:and |so )?(?:you|you're|you've|you'd|so you|it sounds|that sounds|he|she|they)\b", stripped):
            return _Reading("reflection", 2, start, end, "feeling or content given back as a question")
        clear = re.match(r"^(?:and |but |so |then )?(?:what|how|who|where|when|why|which|whose)\b", stripped)
        return _Reading("question", 3 if clear else 2, start, end, "question")
    found = hit(_INFORMATION)
    if found:
        return _Reading("information", 3, *found, "information about the frame or facts")
    found = hit(_TIME_LEFT)
    if found:
        return _Reading("information", 2, *found, "time left in the session")
    found = hit(_OTHER)
    if found and (found[1] - found[0]) >= len(stripped) - 2:
        return _Reading("other", 3 if alone else 1, start, end, "greeting, ending or courtesy")
    if re.match(r"^(?:like|as with|just like) ", stripped) and not ov >= 0.6:
        return _Reading("interpretation", 1, start, end, "link offered")
    found = hit(_REFLECTION)
    if found:
        return _Reading("reflection", 2, *found, "feeling or content given back")
    if _IMPERATIVE.match(stripped):
        return _Reading("reflection", 1, start, end, "client's words given back")
    if ov >= 0.6 and words <= 12:
        return _Reading("reflection", 3, start, end, "client's words given back")
    if ov >= 0.5 and words <= 15:
        return _Reading("reflection", 2, start, end, "client's words given back")
    if words <= 10 and not _FIRST_PERSON.search(s) and (ov >= 0.25 or re.match(r"^(?:and |but |so |or )?(?:you|your|he|she|they|his|her|their|it's|that's|a|an|the|not|no|nobody|no one|someone|something|nothing|still|never|always|only|being|to)\b", stripped)):
        return _Reading("reflection", 1, start, end, "short restatement")
    if found := hit(_OTHER):
        return _Reading("other", 1, *found, "greeting, ending or courtesy")
    return None


def _read_turn(text: str, client: str) -> _Reading | None:
    low = normalise(text)
    masked = _STAGE.sub(lambda m: " " * len(m.group()), low)
    unquoted = _QUOTED.sub(lambda m: '"' + " " * (len(m.group()) - 2) + '"', masked)
    parts = list(sentences(masked))
    readings = [r for a, b in parts if (r := _read_sentence(masked, unquoted, a, b, client, len(parts) == 1))]
    if not readings:
        return None
    return max(readings, key=lambda r: (r.strength, -PRIORITY.index(r.label)))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\"'"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Interventions:
    name: ClassVar[str] = "interventions"
    version: ClassVar[str] = "1.0"
    requires: ClassVar[tuple[str, ...]] = ("vectors",)
    assigns: ClassVar[tuple[str, ...]] = ("interventions",)

    def __call__(self, doc: Document) -> Document:
        assert doc.vectors is not None
        focus = [i for i, t in doc.focus_turns() if t.speaker is Speaker.THERAPIST]
        counts: Counter[str] = Counter()
        if focus:
            model = head("intervention")
            probabilities = model.probabilities(doc.vectors[focus])
            for row, i in enumerate(focus):
                label = self._label(doc, i, dict(zip(model.labels, probabilities[row].tolist(), strict=True)))
                counts[label] += 1
        doc.summary[self.name] = session_summary(counts)
        return doc

    def _label(self, doc: Document, i: int, p_head: dict[str, float]) -> str:
        text = doc.turns[i].text
        client = _previous_client(doc, i)
        reading = _read_turn(text, client)
        # The rule shifts the head's log-probabilities: a clear form decides, a weak sign tips.
        logits = {k: math.log(max(p_head.get(k, 0.0), 1e-6)) for k in LABELS}
        if reading is not None:
            logits[reading.label] += BOOST[reading.strength]
        top = max(logits.values())
        total = sum(math.exp(v - top) for v in logits.values())
        scores = {k: math.exp(v - top) / total for k, v in logits.items()}
        label = max(scores, key=lambda k: scores[k])
        doc.score("intervention", i, scores)
        if reading is not None and reading.label == label:
            cue = _trim(text, reading.start, reading.end)
            reason = reading.reason
        else:
            cue = _trim(text, 0, len(text))
            reason = "read by the trained head"
        if cue[0] >= cue[1]:
            cue = _trim(text, 0, len(text))
        evidence = [Span(i, *cue)]
        whole = _trim(text, 0, len(text))
        if whole != cue:
            evidence.append(Span(i, *whole))
        detail = {"reason": reason, "overlap": round(overlap(text, client), 2) if client else 0.0}
        doc.annotations.append(Annotation("interventions", label, round(float(scores[label]), 3), self.name, self.version, tuple(evidence), detail))
        return label


def _previous_client(doc: Document, i: int) -> str:
    for j in range(i - 1, max(-1, i - 3), -1):
        if doc.turns[j].speaker is Speaker.CLIENT:
            return doc.turns[j].text
    return ""


def session_summary(counts: Counter[str] | dict[str, int]) -> dict[str, object]:
    """Counts, shares and leaning as the module docstring defines them."""
    full = {label: int(counts.get(label, 0)) for label in LABELS}
    substantive = sum(v for k, v in full.items() if k != "other")
    pd = sum(full[k] for k in PSYCHODYNAMIC) / substantive if substantive else 0.0
    cbt = sum(full[k] for k in CBT) / substantive if substantive else 0.0
    if substantive < MIN_TURNS:
        leaning = "mixed"
    elif pd >= PSYCHODYNAMIC_LEANING:
        leaning = "psychodynamic"
    elif cbt >= CBT_LEANING:
        leaning = "cbt"
    else:
        leaning = "mixed"
    return {"counts": full, "psychodynamic_share": round(pd, 3), "cbt_share": round(cbt, 3), "leaning": leaning, "turns": substantive}


def label_intervention(doc: Document, i: int) -> "LabelResult":
    from reverie.analysis.labelling import LabelResult

    found = [a for a in doc.found("interventions") if a.evidence[0].turn == i]
    scores = doc.scores.get("intervention", {}).get(i, {})
    if found:
        return LabelResult([found[0].label], scores)
    if scores:
        return LabelResult([max(scores, key=lambda k: scores[k])], scores)
    return LabelResult(["other"], {k: float(k == "other") for k in LABELS})


__all__ = ["LABELS", "Interventions", "label_intervention", "overlap", "session_summary"]
