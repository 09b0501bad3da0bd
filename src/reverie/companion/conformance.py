"""Does a phrased reply do what the chosen move asked, and only that?

The policy decides; a renderer (template or LLM) only phrases. An LLM drifts: it stacks questions,
gives advice, talks like a therapist, sets homework, or states a verdict where the companion should
wonder. ``check`` is the second filter after the safety gate (``reverie.safety.gate``): a reply with
any problem is replaced by the template reply, so a false alarm costs one plainer turn while a
missed one puts a bad sentence in front of someone who may be fragile. The rules therefore lean
towards flagging, and stay a short list of phrase patterns a reader can check by eye.

Problems (the stable names in ``REPORT_PROBLEMS``):

``empty``                   nothing to say.
``too_long``                more than 3 sentences or more than 400 characters.
``question_stacking``       more than one question.
``missing_question``        a move in ``ASKING`` that asks nothing.
``asks_when_it_should_not`` ``BOUNDARY`` asking about the declined topic (``slots["topic"]``) or why.
``advice``                  telling the client what to do ("you should", "have you tried", an
                            imperative opening a sentence). A modal like "you should" is fine when
                            it reports the client's own sense of obligation ("you feel you should");
                            the companion's own voice ("I think you should", "I wonder what you
                            should have felt") is a verdict on what the client ought to do or feel,
                            and is flagged.
``claims_human``            speaking as a therapist or a person (promise 2).
``cbt_homework``            worksheets, thought records, reframing: not this companion's method.
``wrong_move``              light structural checks per move (a link to the past names the past).
``certainty``               a verdict ("this is because", "you always") outside a question and
                            without a tentative word before it in the same clause.

Text in quotation marks is the client's own words and is not scanned for advice, certainty,
homework or human claims: "you said you 'need to' rest" reflects, it does not instruct. Diagnosis,
means and promises are the gate's job, not this module's.

``SAFETY`` and ``DISCLOSURE`` replies are fixed, reviewed texts from the safety layer (a crisis
reply must urge a call and may ask twice whether the person is safe): only ``empty``,
``claims_human``, ``cbt_homework`` and ``wrong_move`` apply to them. ``make bench`` runs the same
check over template replies for its conformance report.
"""

import re
from collections.abc import Iterable, Sequence

from reverie.companion.moves import ASKING, Evidence, Move, MoveName

EMPTY = "empty"
TOO_LONG = "too_long"
QUESTION_STACKING = "question_stacking"
MISSING_QUESTION = "missing_question"
ASKS_WHEN_IT_SHOULD_NOT = "asks_when_it_should_not"
ADVICE = "advice"
CLAIMS_HUMAN = "claims_human"
CBT_HOMEWORK = "cbt_homework"
WRONG_MOVE = "wrong_move"
CERTAINTY = "certainty"

#: Every problem ``check`` can report, in the order it reports them.
REPORT_PROBLEMS: tuple[str, ...] = (
    EMPTY,
    TOO_LONG,
    QUESTION_STACKING,
    MISSING_QUESTION,
    ASKS_WHEN_IT_SHOULD_NOT,
    ADVICE,
    CLAIMS_HUMAN,
    CBT_HOMEWORK,
    WRONG_MOVE,
    CERTAINTY,
)

MAX_SENTENCES = 3
MAX_CHARS = 400

#: Fixed texts from the safety layer; see the module docstring.
_FIXED = frozenset({MoveName.SAFETY, MoveName.DISCLOSURE})

# -- text handling ---------------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'})
_DOUBLE_QUOTED = re.compile(r'"[^"]*"')
# A single-quoted span opens after a non-word character and closes before one, so the apostrophes
# in "don't" or "kids' toys" never open or close a quotation.
_SINGLE_QUOTED = re.compile(r"(?<!\w)'[^\s'](?:.*?[^\s])?'(?!\w)")
_MASK = "_"
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?]+|$)")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _fold(text: str) -> str:
    """Case-folded, quotes straightened, whitespace runs as one space; same length is not kept."""
    return " ".join(text.translate(_QUOTES).casefold().split())


def _mask_quotes(folded: str) -> str:
    """``folded`` with every quoted span (the client's words) blanked out, length kept."""

    def blank(m: re.Match[str]) -> str:
        return _MASK * len(m.group())

    return _SINGLE_QUOTED.sub(blank, _DOUBLE_QUOTED.sub(blank, folded))


def _sentences(text: str) -> list[str]:
    """Sentences: runs ending in ``.``, ``!`` or ``?`` (an ellipsis or "?!" ends just one)."""
    return [s.strip() for s in _SENTENCE.findall(text) if re.search(r"\w", s)]


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text).replace(_MASK, " "))


def _rx(*alternatives: str) -> re.Pattern[str]:
    """Whole-word alternatives."""
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


# -- rules -----------------------------------------------------------------------------------------

# Modals of obligation addressed to the client.
_MODAL = _rx(r"you(?:'ve| have)? (?:really |probably |just |definitely |absolutely )?(?:should(?:n't)?|ought to|need to|needn't|must|have to|'ve got to|got to|gotta)")
# ... which report the client's (or someone else's) sense of obligation when a verb of feeling,
# saying or expecting comes before them in the clause, with a subject other than the companion.
_REPORTING = re.compile(
    r"(?<![\w'])(?:feel|feels|felt|feeling|sense|sensed|told|tell|tells|telling|expect|expects|expected|expecting"
    r"|believe|believes|believed|think|thinks|thought|said|say|says|saying|heard|hear|worry|worried|afraid|pressure|pressured|as if|as though)(?![\w'])"
)
_COMPANION_SUBJECTS = frozenset({"i", "i'd", "i'm", "i've", "we", "we'd"})
_HEDGES = frozenset({"really", "do", "also", "just", "honestly", "still", "genuinely", "truly", "kind", "of", "sort"})

_ADVICE = _rx(
    r"i(?:'d| would)? (?:strongly )?(?:suggest|recommend|advise|encourage you)",
    r"my (?:advice|suggestion|recommendation)",
    r"have you (?:tried|considered|thought about trying)",
    r"why (?:don't|do not) you(?! (?:want|feel|like|think|know|believe|trust))",  # "why don't you want to ..." asks, it does not advise
    r"why not (?:try|just)",
    r"make sure",
    r"(?:you|it) (?:could|might|may|would) (?:want to|wish to|help to|be (?:good|helpful|worth) to)",
    r"(?:you|maybe you|perhaps you) (?:could|might|can) (?:try|consider|start|go|call|write|talk to|reach out)",
    r"i(?:'d| would) like you to",
    r"i want you to",
    r"it's important (?:that you|to)",
    r"it is important (?:that you|to)",
)
# "try to" is advice unless someone does the trying: "you try to keep everyone happy" reflects.
_TRY = _rx(r"try (?:to|and)")
_TRY_SUBJECTS = frozenset({"you", "i", "we", "they", "she", "he", "people", "everyone", "would", "will", "did", "do", "does", "you'd", "they'd"})
_ADVERBS = frozenset({"always", "often", "still", "usually", "sometimes", "really", "never", "also", "constantly", "all", "just", "so", "hard"})

# An imperative verb opening a sentence (after an optional softener) is an instruction.
_IMPERATIVE = re.compile(
    r"^(?:(?:maybe|perhaps|just|please|so|then|now|and|first|next)[, ]+)*"
    r"(?:go|call|try|take|stop|start|write|talk|breathe|remember|ask|think about|consider|focus|practi[cs]e|avoid|keep|get|put|find|give"
    r"|reach out|journal|list|don't|do not|never|text|contact|tell (?:him|her|them|your)|leave|see|book|drink|exercise|meditate|distract|relax"
    r"|be (?:kind|gentle|patient|easy)|let (?:go|yourself|it))(?![\w'])"
)
_IMPERATIVE_OK = re.compile(r"^(?:go on|keep going|take your time|tell me|say more|feel free|let me|let's)(?![\w'])")

_CLAIMS_HUMAN = _rx(
    r"as (?:a|your) (?:therapist|counsel+or|psychologist|psychotherapist|psychoanalyst|analyst|psychiatrist|doctor|human|person)",
    r"i(?:'m| am) (?:a |an |your )?(?:therapist|counsel+or|psychologist|psychotherapist|psychoanalyst|analyst|psychiatrist|doctor|human(?: being)?|real person|person)",
    r"i(?:'m| am) (?:only|just) human",
    r"in my (?:own )?(?:experience|practice|clinical work)",
    r"my (?:other )?(?:clients|patients)",
    r"i(?:'ve| have) been through (?:that|this|the same|something)",
    r"when i was (?:a child|young|your age|a kid)",
)

_CBT = _rx(
    r"worksheets?",
    "".join(f"(?<!{w} )" for w in ("her", "his", "their", "kids'", "children's", "son's", "daughter's", "school", "course", "college", "uni", "class"))
    + "homework",
    r"exercises? for (?:this|the|next) week",
    r"this week's exercise",
    r"thought (?:records?|diary|diaries|logs?)",
    r"reframe (?:your|those|that|these|the|this) (?:thoughts?|beliefs?)",
    r"reframing (?:your|those|that|these|the|this) (?:thoughts?|beliefs?)",
    r"challenge (?:that|this|your|those|these|the) (?:negative )?(?:thoughts?|beliefs?)",
    r"cognitive distortions?",
    r"(?:negative )?automatic thoughts?",
    r"behaviou?ral (?:experiments?|activation)",
)

_CERTAINTY = _rx(
    r"the (?:real )?reason (?:is|you|why you)",
    r"(?:this|that|it) is (?:just |simply |really )?because",
    r"(?:this|that|it)'s (?:just |simply |really )?because",
    r"(?:this|that) is why you",
    r"(?:this|that)'s why you",
    r"clearly,? you",
    r"obviously,? you",
    r"you always",
    r"you never",
    r"the truth is",
    r"what(?:'s| is) really (?:going on|happening)",
    r"deep down,? you",
    r"there(?:'s| is) no (?:doubt|question)",
    r"without (?:a )?doubt",
    r"you(?:'re| are) (?:the kind of person|someone) who",
)
# A tentative word or a report of the client's words earlier in the clause makes it a hypothesis.
_TENTATIVE = _rx(
    r"perhaps", r"maybe", r"might", r"may", r"could", r"possibly", r"wonder(?:ing)?", r"seems?", r"sounds?", r"if", r"whether",
    r"as if", r"as though", r"feel(?:s)? like", r"you (?:\w+ )?(?:said|say|says|mentioned|told me|feel|felt|think|thought|wrote|described)",
)

_WHY = _rx(r"why")
_STOP_WORDS = frozenset(
    {"a", "an", "the", "my", "your", "his", "her", "their", "our", "its", "of", "in", "on", "at", "to", "for", "from", "about", "with"}
    | {"and", "or", "but", "that", "this", "those", "these", "it", "back", "last", "me", "you", "him", "them", "us", "we", "i", "some", "any"}
)
_AI = _rx(r"ai", r"a\.i\.", r"artificial intelligence", r"computer program", r"chatbot", r"bot", r"not a (?:therapist|person|human)")


def _clause_before(text: str, start: int) -> str:
    """The part of the clause (from the last , ; : . ! ? or dash) that precedes ``start``."""
    head = text[:start]
    cut = max(head.rfind(c) for c in ",;:.!?\u2014-")
    return head[cut + 1 :]


def _reported(clause: str) -> bool:
    """Whether ``clause`` (just before a modal) reports someone's sense of obligation, not the companion's."""
    for m in _REPORTING.finditer(clause):
        before = [w for w in clause[: m.start()].split() if w not in _HEDGES]
        if not before or before[-1] not in _COMPANION_SUBJECTS:
            return True
    return False


def _has_advice(masked: str) -> bool:
    for m in _MODAL.finditer(masked):
        if not _reported(_clause_before(masked, m.start())):
            return True
    if _ADVICE.search(masked):
        return True
    for m in _TRY.finditer(masked):
        before = [w for w in _clause_before(masked, m.start()).split() if w not in _ADVERBS]
        if not before or before[-1] not in _TRY_SUBJECTS:
            return True
    return any(_IMPERATIVE.match(s) is not None and _IMPERATIVE_OK.match(s) is None for s in _sentences(masked))


def _has_certainty(masked: str) -> bool:
    for sentence in _sentences(masked):
        if sentence.endswith("?"):
            continue  # a question asks; it does not deliver a verdict
        for m in _CERTAINTY.finditer(sentence):
            if not _TENTATIVE.search(_clause_before(sentence, m.start())):
                return True
    return False


def _content_words(text: str) -> list[str]:
    return [w for w in _words(text) if w not in _STOP_WORDS]


def _mentions(words: Sequence[str], target: str) -> bool:
    """Whether ``target`` (one word) appears among ``words``, allowing a change of ending (sad/sadness, angry/anger)."""
    stem = target[: max(3, len(target) - 3)]
    return any(w == target or w.startswith(stem) for w in words)


def _contains_run(haystack: Sequence[str], needle: Sequence[str], run: int) -> bool:
    """Whether ``haystack`` contains ``run`` consecutive words of ``needle`` (all of it if shorter)."""
    run = min(run, len(needle))
    if run == 0:
        return False
    grams = {tuple(haystack[i : i + run]) for i in range(len(haystack) - run + 1)}
    return any(tuple(needle[i : i + run]) in grams for i in range(len(needle) - run + 1))


def _earliest(evidence: Iterable[Evidence]) -> Evidence | None:
    """The evidence said longest ago (dated before undated, which is "this turn"), or None."""
    items = list(evidence)
    if not items:
        return None
    dated = [(e.when.timestamp(), i, e) for i, e in enumerate(items) if e.when is not None]
    return min(dated)[2] if dated else items[0]


def _wrong_move(move: Move, text: str) -> bool:
    words = _words(text)
    if move.name is MoveName.LINK_PAST_PRESENT:
        past = _earliest(move.evidence)
        when = _content_words(move.slots.get("when", ""))
        names_quote = past is not None and _contains_run(words, _words(past.quote), 4)
        names_date = bool(when) and all(w in words for w in when)
        return (past is not None or bool(when)) and not (names_quote or names_date)
    if move.name is MoveName.REFLECT_FEELING and (move.slots.get("feeling") or move.slots.get("feeling_noun")):
        # The feeling may be named as the client said it ("fuming") or as a noun ("the anger"), or quoted.
        named = [*_content_words(move.slots.get("feeling", "")), *_content_words(move.slots.get("feeling_noun", ""))]
        quoted = move.slots.get("feeling_quote", "")
        return not (any(_mentions(words, w) for w in named) or (quoted and _contains_run(words, _words(quoted), 4)))
    if move.name is MoveName.DREAM_WORK and move.slots.get("element"):
        return not any(_mentions(words, w) for w in _content_words(move.slots["element"]))
    if move.name is MoveName.DISCLOSURE:
        return not _AI.search(_fold(text))
    return False


def _asks_about_topic(move: Move, questions: Sequence[str]) -> bool:
    topic = _content_words(move.slots.get("topic", ""))
    for question in questions:
        words = _words(question)
        if _WHY.search(_fold(question)) or any(_mentions(words, w) for w in topic):
            return True
    return False


def check(move: Move, text: str) -> tuple[str, ...]:
    """The problems with ``text`` as a phrasing of ``move``, in ``REPORT_PROBLEMS`` order; () when it conforms."""
    folded = _fold(text)
    if not re.search(r"\w", folded):
        return (EMPTY,)
    masked = _mask_quotes(folded)
    sentences = _sentences(masked)
    # Question marks inside quotes are the client's; "??" or "?!" is one question.
    asked = len(re.findall(r"\?+!*", masked))
    questions = [folded[m.start() : m.end()] for m in re.finditer(r"[^.!?]*\?", masked)]
    fixed = move.name in _FIXED
    found: list[str] = []
    if not fixed:
        if len(sentences) > MAX_SENTENCES or len(text.strip()) > MAX_CHARS:
            found.append(TOO_LONG)
        if asked > 1:
            found.append(QUESTION_STACKING)
        if move.name in ASKING and asked == 0:
            found.append(MISSING_QUESTION)
        if move.name is MoveName.BOUNDARY and _asks_about_topic(move, questions):
            found.append(ASKS_WHEN_IT_SHOULD_NOT)
        if _has_advice(masked):
            found.append(ADVICE)
    if _CLAIMS_HUMAN.search(masked):
        found.append(CLAIMS_HUMAN)
    if _CBT.search(masked):
        found.append(CBT_HOMEWORK)
    if _wrong_move(move, text):
        found.append(WRONG_MOVE)
    if not fixed and _has_certainty(masked):
        found.append(CERTAINTY)
    return tuple(found)
