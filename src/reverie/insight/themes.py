"""Recurring themes across sessions: which life domains come back, when, and where they are left.

The themes lens labels every client turn with the life domains it is about (family, partner,
work, ...). One session says little; what a clinician wants is the pattern over months: which
domains recur, from when to when, how often each month (a month x theme matrix, the heatmap),
what the client keeps saying inside a domain (sub-themes), and where a domain was approached and
then left with a topic shift (resistance), since what is avoided is often what matters.

How, and why:
- a theme's turns are the client turns the lens annotated with that domain, in attended sessions;
  a theme *recurs* when it is found in at least ``min_sessions`` sessions;
- sub-themes are key phrases, not clusters: within a domain each turn goes to the highest-ranked
  phrase it contains, phrases ranked by TF-IDF (turn count in the domain times the phrase's
  inverse frequency over all the client's turns, so "mum" in family outranks "really"). A phrase
  is a transparent reason a clinician can check in the quote; an embedding cluster is not;
- "approached and left": a ``topic_shift`` the resistance lens found in client turn *i*, where a
  domain was present in the ``window`` turns before it (client turns as the lens labelled them,
  the therapist's by the same keyword lexicon and the people they name, "your mum" being
  family) and is absent from turn *i* itself;
- every theme, sub-theme and departure carries its evidence: session, date, turn (1-based, as
  ``reverie show`` lists turns) and the client's own words.
"""

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from reverie.analysis.document import Annotation, Document
from reverie.analysis.labelsets import THEMES
from reverie.analysis.matching import sentence_at
from reverie.analysis.people import find_mentions, resolve_names
from reverie.analysis.themes import _ROLE_THEME, keyword_spans
from reverie.insight.defensive import local_date, month_of
from reverie.record import Attendance, Session, Speaker
from reverie.store import Store

WINDOW = 6  # turns before a topic shift in which an approached theme is looked for
MAX_QUOTE = 240
_STAGE = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[a-z][a-z']+")
_YOUR = re.compile(r"\b[Yy]our\b")
# Function words and the fillers of transcribed speech: never a sub-theme.
_STOPWORD_TEXT = """a about above after again against all also am an and any are aren't as at be because been before being below between both but by can
    can't cannot could couldn't did didn't do does doesn't doing don't down during each even ever every few for from further get gets getting
    got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've
    if in into is isn't it it's its itself just let's like me more most much must mustn't my myself no nor not now of off on once only or other
    ought our ours ourselves out over own quite really same she she'd she'll she's should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've this those though through to too under until up upon
    us very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's will
    with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves yeah yes um uh mm mhm okay ok oh well right sort
    kind bit thing things stuff know think thought mean said say says saying go goes going went gone come came comes coming make made want
    wanted one two lot lots maybe probably actually honestly basically literally anyway though still back way ever never always something
    anything everything nothing someone anyone everyone nobody time times today yesterday tomorrow week day days year years tell told feel
    felt feeling see saw look looked little big good bad fine sure guess suppose put take took let thing gonna gotta kinda sorta ages
    pause laughs laughing crying sighs silence next last whole first minutes hours night monday tuesday wednesday thursday friday saturday
    sunday weekend"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a finding can be checked: the session, its date, the turn (1-based) and the words."""

    session_id: str
    date: date
    turn: int
    quote: str


@dataclass(frozen=True, slots=True)
class SubTheme:
    """A key phrase the client keeps using inside one domain ("family: mum")."""

    domain: str
    phrase: str
    turns: int
    sessions: int
    first_seen: date
    last_seen: date
    examples: tuple[Evidence, ...]

    @property
    def name(self) -> str:
        return f"{self.domain}: {self.phrase}"


@dataclass(frozen=True, slots=True)
class Departure:
    """A domain approached and then left with a topic shift (a resistance marker)."""

    domain: str
    session_id: str
    date: date
    approached: Evidence  # the last turn before the shift where the domain was present
    shift: Evidence  # the client's topic shift
    by_therapist: bool  # the domain was raised by the therapist's turn, not the client's


@dataclass(frozen=True, slots=True)
class Theme:
    domain: str
    turns: int
    sessions: int
    first_seen: date
    last_seen: date
    by_month: dict[str, int]
    subthemes: tuple[SubTheme, ...]
    examples: tuple[Evidence, ...]
    departures: tuple[Departure, ...] = ()

    @property
    def recurring(self) -> bool:
        return self.sessions >= 2


@dataclass(frozen=True, slots=True)
class ThemeMap:
    """A client's themes over time; ``matrix[m][k]`` counts client turns on ``themes[k]`` in ``months[m]``.

    ``months`` run without gaps from the first to the last attended session, so a heatmap's rows
    are evenly spaced; ``client_turns[m]`` is the number of client turns that month (0 when no
    session took place), the denominator for shares.
    """

    client_id: str
    months: tuple[str, ...]
    themes: tuple[Theme, ...]
    matrix: tuple[tuple[int, ...], ...]
    client_turns: tuple[int, ...]
    sessions: int
    departures: tuple[Departure, ...] = field(default=())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.domain for t in self.themes)

    def theme(self, domain: str) -> Theme | None:
        return next((t for t in self.themes if t.domain == domain), None)

    def shares(self) -> tuple[tuple[float | None, ...], ...]:
        """The matrix as shares of the month's client turns (``None`` for a month without turns)."""
        return tuple(
            tuple(round(c / total, 3) if total else None for c in row) for row, total in zip(self.matrix, self.client_turns, strict=True)
        )


@dataclass
class _Turn:
    session: Session
    index: int
    month: str
    themes: dict[str, Annotation]


def month_range(first: str, last: str) -> tuple[str, ...]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return tuple(out)


def theme_map(store: Store, client_id: str, *, min_sessions: int = 2, window: int = WINDOW, max_subthemes: int = 6) -> ThemeMap:
    """The recurring themes of one client's attended sessions, with sub-themes and departures."""
    case = store.load_case(client_id)
    zone = case.client.time_zone
    sessions = sorted((s for s in case.sessions if s.attendance is Attendance.ATTENDED and s.turns), key=lambda s: s.starts_at)
    turns: list[_Turn] = []
    all_turns_by_month: Counter[str] = Counter()
    departures: list[Departure] = []
    names: dict[str, str] = {}
    for session in sessions:
        month = month_of(session.starts_at, zone)
        names.update(resolve_names(Document(session.turns, session=session), names))
        annotations = store.load_annotations(session.id)
        by_turn: dict[int, dict[str, Annotation]] = {}
        for a in annotations:
            if a.analyzer == "themes" and a.label in THEMES:
                by_turn.setdefault(a.evidence[0].turn, {}).setdefault(a.label, a)
        for i, turn in enumerate(session.turns):
            if turn.speaker is Speaker.CLIENT:
                all_turns_by_month[month] += 1
                turns.append(_Turn(session, i, month, by_turn.get(i, {})))
        shifts = [a for a in annotations if a.analyzer == "resistance" and a.label == "topic_shift"]
        departures.extend(_departures(session, zone, by_turn, shifts, names, window))
    if not sessions:
        return ThemeMap(client_id, (), (), (), (), 0, ())
    months = month_range(month_of(sessions[0].starts_at, zone), month_of(sessions[-1].starts_at, zone))
    idf = _idf(turns)
    themes: list[Theme] = []
    for domain in THEMES:
        mine = [t for t in turns if domain in t.themes]
        if len({t.session.id for t in mine}) < min_sessions:
            continue
        by_month = Counter(t.month for t in mine)
        left = tuple(d for d in departures if d.domain == domain)
        themes.append(
            Theme(
                domain,
                len(mine),
                len({t.session.id for t in mine}),
                _local_date(mine[0].session, zone),
                _local_date(mine[-1].session, zone),
                {m: by_month.get(m, 0) for m in months},
                _subthemes(domain, mine, idf, zone, max_subthemes),
                _spread([_evidence(t, domain, zone) for t in mine]),
                left,
            )
        )
    themes.sort(key=lambda t: (-t.turns, t.domain))
    matrix = tuple(tuple(t.by_month[m] for t in themes) for m in months)
    return ThemeMap(
        client_id,
        months,
        tuple(themes),
        matrix,
        tuple(all_turns_by_month.get(m, 0) for m in months),
        len(sessions),
        tuple(departures),
    )


def _departures(
    session: Session,
    zone: str,
    by_turn: dict[int, dict[str, Annotation]],
    shifts: Iterable[Annotation],
    names: dict[str, str],
    window: int,
) -> list[Departure]:
    table = {n: (r, 0.85) for n, r in names.items()}
    day = _local_date(session, zone)
    out: list[Departure] = []
    for shift in shifts:
        i = shift.evidence[0].turn
        stays = set(by_turn.get(i, {}))
        approached: dict[str, int] = {}
        for j in range(max(0, i - window), i):
            for domain in _themes_of_turn(session, j, by_turn, table):
                approached[domain] = j
        shift_evidence = Evidence(session.id, day, i + 1, _clip(session.turns[i].text))
        for domain, j in sorted(approached.items(), key=lambda kv: kv[1]):
            if domain in stays:
                continue
            turn = session.turns[j]
            annotation = by_turn.get(j, {}).get(domain)
            quote = _quote(turn.text, annotation) if annotation is not None else _clip(turn.text)
            out.append(Departure(domain, session.id, day, Evidence(session.id, day, j + 1, quote), shift_evidence, turn.speaker is Speaker.THERAPIST))
    return out


def _themes_of_turn(session: Session, j: int, by_turn: dict[int, dict[str, Annotation]], names: dict[str, tuple[str, float]]) -> set[str]:
    """A client turn's domains as the lens labelled them; a therapist's by keywords and people named."""
    turn = session.turns[j]
    if turn.speaker is not Speaker.THERAPIST:
        return set(by_turn.get(j, {}))
    found = {domain for domain, spans in keyword_spans(turn.text).items() if any(w >= 1.0 for _, _, w in spans)}
    # "your mum" in the therapist's mouth is the client's mother: read it as the client's "my mum".
    for mention in find_mentions(_YOUR.sub("my", turn.text), j, names, therapist_you=False):
        domain = _ROLE_THEME.get(mention.role)
        if domain is not None and domain != "therapy":
            found.add(domain)
    return found


def _tokens(text: str) -> list[str]:
    return [w.strip("'").removesuffix("'s") for w in _WORD.findall(_STAGE.sub(" ", text.lower().replace("\u2019", "'")))]


def _terms(text: str) -> set[str]:
    """Content words and adjacent content-word pairs of a turn."""
    words = _tokens(text)
    content = [w if w not in STOPWORDS and len(w) > 2 else None for w in words]
    terms = {w for w in content if w}
    terms.update(f"{a} {b}" for a, b in itertools.pairwise(content) if a and b)
    return terms


def _idf(turns: Sequence[_Turn]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for t in turns:
        df.update(_terms(t.session.turns[t.index].text))
    n = max(1, len(turns))
    return {term: math.log((1 + n) / (1 + c)) + 1.0 for term, c in df.items()}


def _subthemes(domain: str, turns: Sequence[_Turn], idf: dict[str, float], zone: str, limit: int) -> tuple[SubTheme, ...]:
    terms = [_terms(t.session.turns[t.index].text) for t in turns]
    counts: Counter[str] = Counter()
    sessions: dict[str, set[str]] = {}
    for t, found in zip(turns, terms, strict=True):
        counts.update(found)
        for term in found:
            sessions.setdefault(term, set()).add(t.session.id)
    # A phrase must recur (two sessions at least); a pair must be a real phrase (seen twice).
    ranked = sorted(
        (term for term, c in counts.items() if c >= 2 and len(sessions[term]) >= 2),
        key=lambda term: (-(counts[term] * idf.get(term, 1.0) * (1.3 if " " in term else 1.0)), term),
    )
    out: list[SubTheme] = []
    taken: set[int] = set()
    for term in ranked:
        if len(out) >= limit:
            break
        if any(term in s.phrase.split(" ") or s.phrase in term.split(" ") for s in out):
            continue  # "mum" and "mum's house" would be the same sub-theme twice
        members = [k for k, found in enumerate(terms) if term in found and k not in taken]
        if len({turns[k].session.id for k in members}) < 2:
            continue
        taken.update(members)
        chosen = [turns[k] for k in members]
        examples = _spread([_phrase_evidence(t, term, zone) for t in chosen])
        out.append(
            SubTheme(domain, term, len(chosen), len({t.session.id for t in chosen}), _local_date(chosen[0].session, zone), _local_date(chosen[-1].session, zone), examples)
        )
    return tuple(out)


def _evidence(t: _Turn, domain: str, zone: str) -> Evidence:
    return Evidence(t.session.id, _local_date(t.session, zone), t.index + 1, _quote(t.session.turns[t.index].text, t.themes.get(domain)))


def _phrase_evidence(t: _Turn, phrase: str, zone: str) -> Evidence:
    """The sentence of the turn where the phrase (its first word) occurs: the reason it is here."""
    text = t.session.turns[t.index].text
    first = phrase.split(" ")[0]
    m = re.search(r"(?<![a-z])" + re.escape(first), text.lower().replace("\u2019", "'"))
    quote = _clip(text[slice(*sentence_at(text, m.start()))]) if m else _clip(text)
    return Evidence(t.session.id, _local_date(t.session, zone), t.index + 1, quote)


def _quote(text: str, annotation: Annotation | None) -> str:
    """The sentence the lens cites (its last evidence span), else the turn, clipped."""
    if annotation is None:
        return _clip(text)
    span = annotation.evidence[-1]
    return _clip(text[span.start : span.end] or text)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1].rstrip() + "…"


def _spread(evidence: Sequence[Evidence], k: int = 3) -> tuple[Evidence, ...]:
    """Up to ``k`` examples from different sessions, first, middle and last: the arc, not one day."""
    per_session: dict[str, Evidence] = {}
    for e in evidence:
        per_session.setdefault(e.session_id, e)
    pool = list(per_session.values()) or list(evidence)
    if len(pool) <= k:
        return tuple(pool)
    picks = sorted({round(n * (len(pool) - 1) / (k - 1)) for n in range(k)})
    return tuple(pool[p] for p in picks)


def _local_date(session: Session, zone: str) -> date:
    return local_date(session.starts_at, zone)
