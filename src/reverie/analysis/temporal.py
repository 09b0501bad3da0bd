"""Temporal focus: is a turn about childhood, the adult past, the present or the future?

Rules read time expressions ("last year", "next week", "three years ago", "at the moment"), ages
("when I was seven" is childhood, "when I was twenty-five" the past), childhood settings ("at
primary school", "growing up", "in Year 9"), habits of early figures ("my mum used to"), the
present-tense narration of a childhood scene ("I'm seven and I'm at the window") and the tense of
the verbs. Each cue is a log-odds boost on the trained ``temporal`` head, so a clear cue decides
and the head settles turns with none. A turn with no cue of its own that goes on narrating in the
past continues the focus of the turns just before it (the client was telling a childhood scene).

Early figures (mother, father, grandparent, sibling, caregiver, teacher) mentioned in childhood
material are annotated too, with the mention as evidence.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from reverie.analysis.document import Annotation, Document, Span
from reverie.analysis.heads import head
from reverie.analysis.matching import normalise, sentence_at
from reverie.analysis.people import Mention, people_in
from reverie.record import Speaker

if TYPE_CHECKING:
    from reverie.analysis.labelling import LabelResult

LABELS = ("childhood", "past", "present", "future")
FIGURES = ("mother", "father", "grandparent", "sibling", "caregiver", "teacher")

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBER: dict[str, int] = {w: n for n, w in enumerate(_UNITS)} | {w: 10 + n for n, w in enumerate(_TEENS)}
for _t, _tens in enumerate(_TENS):
    if _tens:
        _NUMBER[_tens] = 10 * _t
        for _u in range(1, 10):
            _NUMBER[f"{_tens}-{_UNITS[_u]}"] = 10 * _t + _u
            _NUMBER[f"{_tens} {_UNITS[_u]}"] = 10 * _t + _u
_AGE = r"(?P<age>\d{1,2}|" + "|".join(sorted(_NUMBER, key=len, reverse=True)) + r")"
_HEDGE = r"(?:about\s+|around\s+|maybe\s+|like\s+|only\s+|just\s+|barely\s+|nearly\s+|almost\s+|probably\s+|roughly\s+|what,?\s+)?"
_NOT_AGE_AFTER = r"(?!\s*(?:minutes?|mins?|hours?|hrs?|pounds?|quid|percent|%|o'?clock|am\b|pm\b|weeks?|months?|days?|kilos?|kg|stone|miles?|times|pence|p\b|euros?|dollars?|grand|k\b|pints?|drinks?|of\s+(?:us|them|you)|people|feet|foot|ft|inches|in\s+the\s+(?:morning|evening|afternoon))|[:.]\d)"
_SUBJECT = r"(?:i|we|you|he|she|they)"


def _age(word: str) -> int | None:
    word = " ".join(word.split())
    if word.isdigit():
        return int(word)
    return _NUMBER.get(word)


@dataclass(frozen=True, slots=True)
class Cue:
    """A time cue in a turn: its label, its weight (log-odds) and what kind of cue it is."""

    label: str
    weight: float
    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    label: str  # or "age": childhood up to 17, past from 18
    weight: float
    kind: str


def _rule(label: str, weight: float, kind: str, regex: str) -> _Rule:
    return _Rule(re.compile(r"(?<![\w'])(?:" + regex + r")(?![\w'])"), label, weight, kind)


_SCHOOL = r"(?:primary|junior|infant|infants|secondary|high|middle|nursery|grammar|boarding|prep|elementary|sunday)\s+school"
_CHILD_NOUN = r"(?:kid|child|baby|toddler|little\s+girl|little\s+boy|little\s+one|young\s+girl|young\s+boy|girl|boy|teenager|teen|schoolgirl|schoolboy|nipper|youngster)"
_FIGURE = r"(?:my\s+|our\s+|me\s+)?(?:mum|mom|mam|mummy|mommy|dad|daddy|mother|father|parents|gran|granny|nan|nana|nanna|grandma|grandad|grandpa|grandmother|grandfather|brother|sister|stepdad|stepmum|auntie|aunt|uncle)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_SEASON = r"(?:summer|winter|spring|autumn|fall|christmas|easter|term|half[- ]term|new\s+year)"
_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a\s+few|a\s+couple\s+of|a\s+couple|couple\s+of|several|many|some|\d+)"

_RULES: tuple[_Rule, ...] = (
    # childhood
    _rule(
        "childhood",
        3.5,
        "age",
        r"when\s+"
        + _SUBJECT
        + r"\s+(?:was|were)\s+(?:still\s+|only\s+|just\s+|really\s+|very\s+|quite\s+|so\s+)?(?:little|young|small|tiny|wee|a\s+(?:little\s+|young\s+|small\s+)?"
        + _CHILD_NOUN
        + r"|kids|children|babies|teenagers|teens|little\s+kids|in\s+nappies|growing\s+up)",
    ),
    _rule(
        "childhood",
        3.0,
        "school",
        r"when\s+"
        + _SUBJECT
        + r"\s+(?:was|were)\s+(?:in|at)\s+(?:"
        + _SCHOOL
        + r"|school|year\s+\w+|the\s+juniors|the\s+infants|sixth\s+form)",
    ),
    _rule("childhood", 2.0, "age", r"when\s+" + _SUBJECT + r"\s+(?:was|were)\s+(?:a\s+lot\s+|much\s+|way\s+)?younger"),
    _rule(
        "childhood",
        3.0,
        "age",
        r"as\s+(?:a\s+(?:little\s+|young\s+|small\s+)?" + _CHILD_NOUN + r"|kids|children|teenagers|teens|little\s+kids)",
    ),
    _rule(
        "childhood",
        3.0,
        "childhood",
        r"growing\s+up|grew\s+up|(?:my|our|whole|entire|happy|unhappy|horrible|normal)\s+childhood|childhood|in\s+my\s+(?:early\s+|late\s+)?teens|(?:my\s+)?teenage\s+years|when\s+i\s+was\s+a\s+child",
    ),
    _rule(
        "childhood",
        2.5,
        "school",
        _SCHOOL
        + r"|sixth\s+form|in\s+(?:year|yr|grade|p|primary)\s*(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|\d{1,2})|(?:my\s+)?gcses|(?:my\s+)?a[- ]levels|o[- ]levels|eleven\s+plus|11\s+plus|(?:first|last)\s+day\s+(?:of|at)\s+school|school\s+(?:holidays|trip|play|disco|uniform|report|playground)|the\s+playground|the\s+school\s+gates?",
    ),
    _rule(
        "childhood",
        1.2,
        "school",
        r"(?:at|from|after|before|in)\s+school|(?:my|our)\s+(?:class|classmates|teacher|headteacher|form\s+tutor)",
    ),
    _rule(
        "childhood",
        2.0,
        "early figure habit",
        _FIGURE
        + r"(?:'s|\s+and\s+(?:i|me))?\s+(?:always\s+|never\s+)?(?:used\s+to|would\s+(?:always|never|often|sometimes|just)|always\s+used\s+to)",
    ),
    _rule(
        "childhood",
        2.0,
        "family event",
        r"when\s+(?:my\s+)?(?:parents|mum\s+and\s+dad|mom\s+and\s+dad)\s+(?:split|divorced|separated|broke\s+up|got\s+divorced)|when\s+(?:my\s+)?(?:dad|mum|father|mother)\s+(?:left|walked\s+out|moved\s+out|went\s+away)|when\s+my\s+(?:little\s+|baby\s+)?(?:brother|sister)\s+was\s+born|(?:my\s+)?(?:stepdad|stepmum|stepfather|stepmother)\s+came\s+(?:along|into)",
    ),
    _rule(
        "childhood",
        1.0,
        "early figure",
        r"(?:my|our)\s+(?:old\s+)?(?:bedroom|room)\s+(?:at|in)\s+(?:home|(?:my\s+)?(?:mum|dad|mom)'s)|(?:tea|bath|bed)\s*time\s+stories|(?:my|our)\s+(?:toys|dolls|lego)|tooth\s+fairy|father\s+christmas|santa",
    ),
    _rule("childhood", 2.5, "historical present", r"i'?m\s+(?:in\s+(?:year|yr)\s+(?:\w+|\d+)|at\s+(?:" + _SCHOOL + r"))"),
    # the adult past
    _rule(
        "past",
        3.0,
        "time expression",
        r"last\s+(?:year|month|week|weekend|night|time|"
        + _SEASON
        + r"|session|"
        + _WEEKDAY
        + r"|"
        + _MONTH
        + r")|(?:year|month|week)\s+before\s+last",
    ),
    _rule(
        "past",
        2.5,
        "time expression",
        r"yesterday|the\s+other\s+(?:day|night|week|morning|evening)|(?:earlier|first\s+thing)\s+(?:today|this\s+(?:week|morning))|on\s+"
        + _WEEKDAY
        + r"(?=[^.!?]{0,60}\b(?:was|were|had|did|went|got|came|said|told|called|rang|texted|\w+ed)\b)",
    ),
    _rule(
        "past",
        3.0,
        "time expression",
        _COUNT
        + r"\s+(?:years?|months?|weeks?|days?|decades?|summers?|winters?|christmases)\s+ago|ages\s+ago|a\s+while\s+(?:ago|back)|a\s+long\s+time\s+ago|not\s+long\s+ago",
    ),
    _rule("past", 2.5, "time expression", r"(?:back\s+)?in\s+(?:19|20)\d\d|back\s+in\s+(?:" + _MONTH + r"|the\s+day|" + _SEASON + r")"),
    # "back then", "that summer": the past the conversation is already in (childhood, if it is)
    _rule(
        "past",
        2.5,
        "anaphoric",
        r"back\s+then|in\s+those\s+days|those\s+days|at\s+the\s+time|at\s+that\s+(?:time|point|stage|age)|that\s+(?:year|summer|winter|christmas|spring|autumn|day|morning|night|week)|the\s+(?:next|following)\s+(?:day|morning|week|summer|year)|in\s+the\s+(?:"
        + _MONTH
        + r")",
    ),
    _rule(
        "past",
        3.0,
        "life stage",
        r"when\s+i\s+was\s+(?:at|in|doing)\s+(?:uni|university|college|my\s+(?:degree|masters|training|twenties|thirties|forties))|(?:in|through|during|(?:most|all|much)\s+of)\s+my\s+(?:early\s+|mid\s+|late\s+)?(?:twenties|thirties|forties|fifties|sixties|20s|30s|40s|50s|60s)|at\s+(?:uni|university|college)|(?:my|in\s+my)\s+(?:first|second|third|final)\s+year(?:\s+(?:at|of)\s+\w+)?",
    ),
    _rule(
        "past",
        2.0,
        "life event",
        r"during\s+(?:lockdown|covid|the\s+pandemic|my\s+pregnancy|the\s+divorce|the\s+separation|my\s+(?:degree|training|marriage))|after\s+(?:the|my|our|his|her)\s+(?:divorce|breakup|break-up|miscarriage|funeral|accident|redundancy|split|separation)(?=[^.!?]{0,60}\b(?:i|we|he|she|they)\s+(?:\w+ed|was|were|had|did|went|got|didn't|never|moved|spent|stopped|started)\b)",
    ),
    _rule(
        "past",
        2.0,
        "life event",
        r"when\s+(?:i|we)\s+(?:first\s+)?(?:started|moved|met|lived|worked|got\s+married|got\s+engaged|was\s+pregnant|had\s+(?:the|my|our)|came\s+(?:here|over|to)|left\s+(?:home|uni|school|him|her)|qualified|graduated|split\s+up|broke\s+up)|before\s+(?:i|we)\s+(?:had|met|moved|started|got|was|were|left)|my\s+first\s+(?:marriage|job|husband|wife|boyfriend|girlfriend|relationship|flat|therapist|proper\s+\w+)|the\s+year\s+(?:after|before)\s+i|when\s+(?:he|she|my\s+\w+)\s+(?:died|passed|was\s+born)|when\s+(?:my\s+)?(?:son|daughter|baby|first|eldest)\s+was\s+born|after\s+(?:my\s+)?(?:son|daughter|the\s+baby|the\s+kids?)\s+(?:was|were)\s+born",
    ),
    _rule(
        "past",
        1.0,
        "habit",
        r"(?<!get\s)(?<!got\s)(?<!be\s)(?<!am\s)(?<!i'm\s)(?<!'re\s)(?<!are\s)(?<!is\s)(?<!was\s)(?<!were\s)(?<!getting\s)(?<!been\s)used\s+to(?!\s+(?:it|this|that|me|him|her|them|being))|once\s+upon|at\s+one\s+point|there\s+was\s+a\s+time",
    ),
    # the present
    _rule(
        "present",
        2.5,
        "time expression",
        r"right\s+now|at\s+the\s+(?:moment|minute|mo)|at\s+present|currently|these\s+days|nowadays|this\s+(?:week|month|term|fortnight)|today|lately|of\s+late|recently|atm|rn|at\s+this\s+point\s+in\s+my\s+life|in\s+my\s+life\s+now",
    ),
    _rule(
        "present",
        1.5,
        "time expression",
        r"(?<!just\s)(?<!by\s)(?<!from\s)(?<!until\s)(?<!till\s)(?<!up\s\sto\s)now(?!\s+and\s+(?:then|again))|still|anymore|any\s+more|every\s+(?:day|night|morning|evening|time)|all\s+the\s+time|most\s+(?:days|nights|mornings)|constantly|these\s+past|the\s+last\s+(?:few|couple\s+of)\s+(?:days|weeks|months)|this\s+morning|tonight|at\s+night",
    ),
    _rule(
        "present",
        1.5,
        "here and now",
        r"sitting\s+here|here\s+with\s+you|in\s+here|in\s+this\s+room|saying\s+(?:this|it)\s+(?:out\s+loud|to\s+you|now)|talking\s+about\s+(?:this|it)\s+(?:now|here)|as\s+i\s+(?:say|talk\s+about)\s+(?:this|it)",
    ),
    # the future
    _rule(
        "future",
        3.0,
        "time expression",
        r"next\s+(?:week|month|year|time|session|weekend|"
        + _SEASON
        + r"|"
        + _WEEKDAY
        + r"|"
        + _MONTH
        + r"|few\s+(?:days|weeks|months))|tomorrow|the\s+day\s+after\s+tomorrow|in\s+the\s+(?:future|years\s+to\s+come|long\s+run)|in\s+future|(?:some|one)\s+day\s+(?:soon|i'?(?:ll|d)|i\s+(?:will|would|want|hope|might))|someday|some\s+day|from\s+now\s+on|down\s+the\s+line|in\s+"
        + _COUNT
        + r"\s+(?:days|weeks|months|years|days'|weeks'|months'|years')(?:\s+time)?|(?:this\s+)?coming\s+(?:week|month|year|weekend|"
        + _WEEKDAY
        + r")|by\s+the\s+end\s+of\s+(?:the|this|next)\s+\w+|upcoming",
    ),
    _rule(
        "future",
        3.0,
        "future tense",
        r"(?:i'?m|i\s+am|we'?re|we\s+are|he'?s|she'?s|they'?re|it'?s|is|are|you'?re|am)\s+(?:not\s+|probably\s+|definitely\s+|really\s+|actually\s+|just\s+|never\s+|finally\s+|also\s+)?(?:going\s+to|gonna)(?=\s+(?!the\b|a\b|an\b|my\b|your\b|his\b|her\b|their\b|our\b|work\b|school\b|bed\b|church\b|uni\b|town\b|be\s+honest)\w)|gonna",
    ),
    _rule(
        "future",
        1.5,
        "future tense",
        r"(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:going|moving|starting|leaving|seeing|meeting|having|getting|flying|visiting)\b(?=[^.!?]{0,40}\b(?:on\s+"
        + _WEEKDAY
        + r"|next|tomorrow|soon|later|tonight|this\s+(?:weekend|"
        + _WEEKDAY
        + r")|in\s+(?:a|two|three|\d)))",
    ),
    _rule(
        "future",
        2.5,
        "future tense",
        r"(?:i|we|he|she|they|it|you|that|things|everything|nothing)(?:'ll|\s+will|\s+won't|\s+shall)(?!\s+(?:be\s+honest|admit|tell\s+you\s+what|give\s+you\s+that|say\s+(?:this|that)|never\s+forget|always\s+remember))|will\s+(?:i|it|he|she|they|we)\b|won't\s+(?:be|ever|ever\s+be)|what'?s\s+going\s+to\s+happen|what\s+(?:will|would)\s+happen|(?:i'?ll|i\s+will|i'?m\s+going\s+to)\s+(?:end\s+up|never|always)",
    ),
    _rule(
        "future",
        2.0,
        "intention",
        r"(?<!than\s)i'?d\s+(?:like|love|quite\s+like)\s+to(?!\s+(?:admit|think))|what\s+happens\s+(?:when|if|after)|i\s+would\s+(?:like|love)\s+to|i\s+(?:want|wanna|hope|plan|intend|mean)\s+to(?=\s+(?:go|get|have|be|start|stop|move|leave|try|tell|see|do|find|live|work|study|quit|finish|learn|travel|retire|change|buy|save|ask|ring|call|say|talk|become|open|run|take))|i\s+hope|hopefully|i'?m\s+hoping|my\s+plan\s+is|(?:i'?m|we'?re)\s+planning|i'?m\s+(?:thinking|considering)\s+(?:of|about)\s+\w+ing|what\s+if|i\s+might|(?:i'?m|we'?re)\s+(?:about|due)\s+to|eventually|one\s+of\s+these\s+days|in\s+a\s+(?:bit|while)(?!\s+ago)|soon|later\s+(?:on|this|today|tonight)|the\s+rest\s+of\s+my\s+life|forever|for\s+the\s+rest\s+of",
    ),
    _rule(
        "future",
        2.0,
        "anticipation",
        r"(?:i'?m|i\s+am)\s+(?:so\s+|really\s+|quite\s+|a\s+bit\s+|pretty\s+)?(?:dreading|terrified|worried|nervous|anxious|scared|excited|apprehensive|frightened)\s+(?:about|that|of)\s+(?:the\s+|my\s+|his\s+|her\s+|our\s+)?(?:\w+\s+)?(?:on\s+"
        + _WEEKDAY
        + r"|next|tomorrow|coming|starting|going|moving|meeting|interview|operation|results?|wedding|exam|appointment|trip|move|test|court|hearing|scan|surgery|birth|due\s+date|funeral|party|holiday|visit|deadline|presentation|review|restructur\w*|what\s+(?:will|might|is\s+going\s+to))|dreading|looking\s+forward\s+to|when\s+the\s+baby\s+(?:comes|arrives|is\s+born)|when\s+(?:he|she|they|we|i)\s+(?:starts?|leaves?|retires?|moves?|finishes|goes|comes\s+back)(?!\s+to\s+work\b)",
    ),
)

_TENSE_PAST = re.compile(
    r"(?<![\w'])(?:i|we|he|she|they|it|there|you|mum|dad|mom|nobody|everyone|everybody)\s+(?:\w+ly\s+|just\s+|never\s+|always\s+|still\s+|even\s+|only\s+|also\s+|then\s+)?"
    r"(?:was|were|had|did|didn't|wasn't|weren't|hadn't|couldn't|wouldn't|went|got|came|said|told|left|made|felt|thought|saw|knew|took|gave|sat|stood|ran|fell|kept|lost|found|heard|brought|bought|began|became|spent|put|let|hit|cut|used|wanted|tried|\w{3,}ed)(?![\w'])"
)
_TENSE_PRESENT = re.compile(
    r"(?<![\w'])(?:i'?m|i\s+am|it'?s|that'?s|he'?s|she'?s|we'?re|they'?re|there'?s|"
    r"(?:i|we|they|you)\s+(?:just\s+|really\s+|still\s+|don't\s+|do\s+not\s+|can't\s+|cannot\s+|never\s+|always\s+|kind\s+of\s+|sort\s+of\s+)?(?:feel|keep|know|think|need|want|have|get|do|go|hate|love|check|miss|wake|sleep|can|can't|don't|dread|worry|try|seem|live|work|spend|drink|eat|find|cry|avoid|wonder)|"
    r"(?:he|she|it|mum|dad|everything|nothing|work)\s+(?:just\s+|still\s+|really\s+|never\s+|always\s+)?(?:is|isn't|does|doesn't|has|keeps|feels|seems|rings|calls|says|wants|thinks|knows|makes|gets|goes))(?![\w'])"
)

_CAREGIVER = re.compile(
    r"(?<![\w'])(?:my\s+|our\s+|me\s+|the\s+)?(?:stepdad|stepmum|stepmom|stepfather|stepmother|step-dad|step-mum|auntie|aunty|aunt|uncle|nanny|childminder|child-minder|babysitter|"
    r"foster\s+(?:mum|mom|dad|parents|carers?|family)|adoptive\s+(?:mum|mom|dad|parents|mother|father)|guardians?|au\s+pair|godmother|godfather|social\s+worker|key\s+worker|house\s+parent)(?![\w'])"
)
_TEACHER = re.compile(
    r"(?<![\w'])(?:(?:my|our|the|a)\s+)?(?:(?:form|class|maths|english|music|pe|art|year\s+\w+)\s+)?(?:teacher|teachers|headteacher|head\s+teacher|headmaster|headmistress|form\s+tutor|dinner\s+lady|swimming\s+coach)(?![\w'])"
)
_STEP = re.compile(r"step|foster|adoptive|guardian|carer")
_FIGURE_OF_ROLE = {"mother": "mother", "father": "father", "grandparent": "grandparent", "sibling": "sibling"}


@dataclass
class TurnTime:
    """What the rules found in one turn, before the head."""

    cues: list[Cue] = field(default_factory=list)
    past_verbs: list[tuple[int, int]] = field(default_factory=list)
    present_verbs: list[tuple[int, int]] = field(default_factory=list)

    def weight(self, label: str) -> float:
        return sum(c.weight for c in self.cues if c.label == label)

    def explicit(self) -> str | None:
        """The label the clear cues (weight of at least 2) point to, if any; "that summer" points nowhere by itself."""
        strong = [c for c in self.cues if c.weight >= 2.0 and c.kind != "anaphoric"]
        if not strong:
            return None
        totals = {label: self.weight(label) for label in LABELS}
        return max(LABELS, key=lambda label: totals[label])


def read_time(text: str) -> TurnTime:
    low = normalise(text)
    out = TurnTime()
    taken: list[tuple[int, int]] = []
    for rule in _RULES:
        for m in rule.pattern.finditer(low):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append(m.span())
            out.cues.append(Cue(rule.label, rule.weight, m.start(), m.end(), rule.kind))
    for regex, strong, kind in _AGE_RULES:
        for m in regex.finditer(low):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            age = _age(m.group("age") or m.groupdict().get("age2") or "")
            if age is None or age > 90:
                continue
            if kind == "historical present" and age > 17:
                continue  # "I'm 29": a present fact, not a scene
            taken.append(m.span())
            label = "childhood" if age <= 17 else "past"
            out.cues.append(Cue(label, strong if age > 1 else strong - 1.0, m.start(), m.end(), kind))
    out.past_verbs = [m.span() for m in _TENSE_PAST.finditer(low)]
    out.present_verbs = [m.span() for m in _TENSE_PRESENT.finditer(low)]
    out.cues.sort(key=lambda c: c.start)
    return out


_AGE_RULES: tuple[tuple[re.Pattern[str], float, str], ...] = tuple(
    (re.compile(r"(?<![\w'])(?:" + regex + r")" + _NOT_AGE_AFTER + r"(?![\w'])"), weight, kind)
    for regex, weight, kind in (
        (r"when\s+" + _SUBJECT + r"\s+(?:was|were)\s+" + _HEDGE + _AGE + r"(?:\s+years?\s+old|\s+or\s+so|ish)?", 3.5, "age"),
        (r"(?:i|we|you)\s+(?:was|were)\s+" + _HEDGE + _AGE + r"(?:\s+years?\s+old|\s+or\s+so|ish)?", 3.5, "age"),
        (r"(?:being|turned|turning)\s+" + _HEDGE + _AGE, 3.0, "age"),
        (r"(?:at|aged|age)\s+(?:the\s+age\s+of\s+)?" + _HEDGE + _AGE + r"(?=\s*,|\s+(?:i|we|my|he|she)\b|\s+years?\s+old)", 3.0, "age"),
        (r"(?:at\s+the\s+age\s+of|aged)\s+" + _HEDGE + _AGE, 3.0, "age"),
        (r"(?:until|till|since|by\s+the\s+time|from\s+when|before)\s+i\s+was\s+" + _HEDGE + _AGE, 3.0, "age"),
        (
            r"(?:little\s+)?"
            + _AGE
            + r"[- ]year[- ]old(?=\s+(?:me|i|self|version\s+of\s+me)\b)|little\s+"
            + _AGE.replace("?P<age>", "?P<age2>")
            + r"[- ]year[- ]old",
            3.0,
            "age",
        ),
        (r"i'?m\s+" + _HEDGE + _AGE + r"(?=\s*[,.!?]|\s+and\b|\s+years\s+old|\s*$)", 2.5, "historical present"),
    )
)


def _softmax_log(values: Mapping[str, float]) -> dict[str, float]:
    top = max(values.values())
    e = {k: math.exp(v - top) for k, v in values.items()}
    total = sum(e.values())
    return {k: v / total for k, v in e.items()}


# How much the head counts against the rules, and what a turn with no cue of its own borrows
# from the turns before it. Set by reasoning and checked on the seeds and the demo, never on dev.
HEAD_WEIGHT = 1.0
CONTEXT_WEIGHT = 1.5
TENSE_WEIGHT = 0.35
TENSE_CAP = 1.4


def decide(time: TurnTime, head_p: Mapping[str, float], context: str | None) -> dict[str, float]:
    """Probabilities of the four labels from the rules' cues, the head and the context."""
    logits = {label: HEAD_WEIGHT * math.log(max(head_p.get(label, 0.25), 1e-4)) + time.weight(label) for label in LABELS}
    if context == "childhood":  # "that summer" in a childhood story is childhood
        moved = sum(c.weight for c in time.cues if c.kind == "anaphoric")
        logits["past"] -= moved
        logits["childhood"] += moved
    past_tense = min(TENSE_CAP, TENSE_WEIGHT * len(time.past_verbs))
    present_tense = min(TENSE_CAP, TENSE_WEIGHT * len(time.present_verbs))
    explicit = time.explicit()
    if explicit is None:
        # Tense only separates "then" from "now": past tense lifts both childhood and the past.
        logits["past"] += past_tense
        logits["childhood"] += past_tense
        logits["present"] += present_tense
        if context in ("childhood", "past") and past_tense >= present_tense and past_tense > 0:
            logits[context] += CONTEXT_WEIGHT
        elif context == "childhood" and present_tense > 0 and not time.cues:
            logits["childhood"] += CONTEXT_WEIGHT / 2  # "And I'm at the window, waiting": the scene goes on
    return _softmax_log(logits)


def _context_label(doc: Document, i: int, labels: Mapping[int, str], times: Mapping[int, TurnTime], back: int = 8) -> str | None:
    """The time frame the conversation was in before turn ``i``.

    The nearest earlier turn that narrates the past (childhood or adult) sets the frame; a clear
    present or future cue in between closes it; passing comments in the present tense ("it's
    just facts") and short turns ("(crying) Yeah.") neither keep nor break it.
    """
    for j in range(i - 1, max(-1, i - 1 - back), -1):
        time = times.get(j)
        if time is None:
            continue
        explicit = time.explicit()
        if doc.turns[j].speaker is Speaker.CLIENT and j in labels:
            if labels[j] in ("childhood", "past"):
                return labels[j]
            if explicit is not None:
                return explicit
            continue
        if explicit is not None:
            return explicit
    return None


def _trimmed(doc: Document, i: int) -> Span:
    text = doc.turns[i].text
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(i, start, max(end, start + 1))


class TemporalFocus:
    name: ClassVar[str] = "temporal"
    version: ClassVar[str] = "1.0"
    requires: ClassVar[tuple[str, ...]] = ("vectors",)
    assigns: ClassVar[tuple[str, ...]] = ("temporal",)

    def __call__(self, doc: Document) -> Document:
        assert doc.vectors is not None
        model = head("temporal")
        focus = set(doc.in_focus)
        # Context turns before the focus are read too (a childhood scene that goes on).
        last = max(focus) if focus else -1
        readable = [i for i in range(last + 1) if doc.turns[i].text.strip()]
        client = [i for i in readable if doc.turns[i].speaker is Speaker.CLIENT]
        probabilities = model.probabilities(doc.vectors[client]) if client else np.zeros((0, len(model.labels)))
        head_p = {i: dict(zip(model.labels, p.tolist(), strict=True)) for i, p in zip(client, probabilities, strict=True)}
        times = {i: read_time(doc.turns[i].text) for i in readable}
        labels: dict[int, str] = {}
        mentions = people_in(doc) if focus else {}
        counts = dict.fromkeys(LABELS, 0)
        for i in client:
            context = _context_label(doc, i, labels, times)
            p = decide(times[i], head_p[i], context)
            label = max(LABELS, key=lambda k: p[k])
            labels[i] = label
            if i not in focus:
                continue
            doc.score("temporal", i, p)
            counts[label] += 1
            cue, kind = self._evidence(doc, i, times[i], label, context)
            doc.annotations.append(Annotation("past", label, round(p[label], 3), self.name, self.version, cue, {"cue": kind}))
            self._early_figures(doc, i, times[i], label, p[label], mentions.get(i, []))
        total = sum(counts.values())
        doc.summary["temporal"] = {label: round(counts[label] / total, 3) if total else 0.0 for label in LABELS}
        return doc

    @staticmethod
    def _evidence(doc: Document, i: int, time: TurnTime, label: str, context: str | None) -> tuple[tuple[Span, ...], str]:
        text = doc.turns[i].text
        own = [c for c in time.cues if c.label == label or (c.kind == "anaphoric" and label == context == "childhood")]
        if own:
            best = max(own, key=lambda c: c.weight)
            s, e = sentence_at(text, best.start)
            spans = (Span(i, best.start, best.end),) + ((Span(i, s, e),) if (s, e) != (best.start, best.end) else ())
            return spans, best.kind
        verbs = time.past_verbs if label in ("childhood", "past") else time.present_verbs if label == "present" else []
        kind = "continues the scene before" if context == label and label in ("childhood", "past") else "tense" if verbs else "model"
        if verbs:
            s, e = sentence_at(text, verbs[0][0])
            return (Span(i, verbs[0][0], verbs[0][1]), Span(i, s, e)), kind
        return (_trimmed(doc, i),), kind

    def _early_figures(self, doc: Document, i: int, time: TurnTime, label: str, confidence: float, mentions: list[Mention]) -> None:
        text = doc.turns[i].text
        childhood_sentences = {sentence_at(text, c.start) for c in time.cues if c.label == "childhood"}
        found: list[tuple[int, int, str, float]] = []
        for m in mentions:
            if _STEP.search(normalise(text[m.start : m.end])):
                continue  # a step- or foster parent is a caregiver, found below
            if m.role in _FIGURE_OF_ROLE:
                found.append((m.start, m.end, _FIGURE_OF_ROLE[m.role], m.confidence))
            elif m.role == "parent" and re.search(r"parents|mum\s+and\s+dad|mom\s+and\s+dad", normalise(text[m.start : m.end])):
                found += [(m.start, m.end, "mother", 0.7), (m.start, m.end, "father", 0.7)]
        low = normalise(text)
        found += [(m.start(), m.end(), "caregiver", 0.8) for m in _CAREGIVER.finditer(low)]
        found += [(m.start(), m.end(), "teacher", 0.8) for m in _TEACHER.finditer(low)]
        seen: set[str] = set()
        for start, end, role, mention_confidence in sorted(found):
            if role in seen:
                continue
            sentence = sentence_at(text, start)
            if label != "childhood" and sentence not in childhood_sentences:
                continue
            seen.add(role)
            evidence = (Span(i, start, end), Span(i, *sentence))
            strength = confidence if label == "childhood" else 0.7
            doc.annotations.append(
                Annotation(
                    "past", "early_figure", round(min(strength, mention_confidence), 3), self.name, self.version, evidence, {"role": role}
                )
            )


def label_temporal(doc: Document, i: int) -> "LabelResult":
    from reverie.analysis.labelling import LabelResult

    scores = doc.scores.get("temporal", {}).get(i)
    if scores is None:  # not a client turn: read it with the same rules and head
        scores = _score_any(doc, i)
    label = max(LABELS, key=lambda k: scores.get(k, 0.0))
    return LabelResult([label], scores)


def _score_any(doc: Document, i: int) -> dict[str, float]:
    model = head("temporal")
    p = model.probabilities(doc.vectors[[i]])[0] if doc.vectors is not None else np.full(len(model.labels), 0.25)
    return {k: round(v, 4) for k, v in decide(read_time(doc.turns[i].text), dict(zip(model.labels, p.tolist(), strict=True)), None).items()}
