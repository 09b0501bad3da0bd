"""Finding phrases in turns, with offsets that point back into the original text.

Normalisation keeps every character's position (curly quotes become straight ones, letters are
lower-cased one for one), so a match in the normalised text is evidence in the original.
"""

import re
from collections.abc import Iterable, Iterator

_SAME_LENGTH = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def normalise(text: str) -> str:
    lowered = text.translate(_SAME_LENGTH).lower()
    # str.lower can change length for a few characters (e.g. 'İ'); fall back to per-character.
    if len(lowered) != len(text):
        lowered = "".join(c.translate(_SAME_LENGTH).lower()[:1] or c for c in text)
    return lowered


def phrases(words: Iterable[str]) -> re.Pattern[str]:
    """One pattern for a list of phrases, whole words only; spaces match any run of spaces."""
    alternatives = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(normalise(text))]


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Sentence spans, trimmed of surrounding spaces."""
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield start, end


def sentence_at(text: str, position: int) -> tuple[int, int]:
    for start, end in sentences(text):
        if start <= position < end:
            return start, end
    return 0, len(text)


# A negation in the words just before a cue: "I'm not saying he's an idiot".
NEGATOR = re.compile(r"(?:\bnot\b|n't\b|\bnever\b|\bno longer\b|\b(?:dont|doesnt|didnt|isnt|wasnt|cant|wont|aint)\b|\bwouldn't say\b)")


def negated_before(low: str, start: int, window: int = 32) -> bool:
    """Whether a negation stands in the same clause within ``window`` characters before ``start``."""
    before = low[max(0, start - window) : start]
    cut = max(before.rfind(c) for c in ".!?;,")
    if cut >= 0:
        before = before[cut + 1 :]
    return bool(NEGATOR.search(before))


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to start and end on a word or a quote, so evidence never shows stray spaces."""
    while start < end and not (text[start].isalnum() or text[start] in "\"'("):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in "\"'.!?)"):
        end -= 1
    return start, end


def one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of exactly one: a letter added, dropped or changed, or two
    neighbours swapped. How far a typo may be from the word it stands for."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))
