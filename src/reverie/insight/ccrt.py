"""The Core Conflictual Relationship Theme (Luborsky) across a client's sessions.

A relationship episode (RE) is a client's narrative of one interaction with a specific other:
what the client wished (W), how the other responded (RO) and how the client responded in turn
(RS). The CCRT is the most frequent W, RO and RS across episodes; its pervasiveness is the share
of episodes that show it (shared/CLINICAL.md). Clinicians score it by hand from transcripts; this
module proposes a scoring for the clinician to check, never a verdict:

1. Episodes. Every client turn is read for the people in it (the people lens's mentions, names
   carried across sessions, plus "he"/"she" resolved to the last person of that gender talked
   about, by either speaker) and split into clauses with a grammatical subject. A turn is an
   episode when another person is the subject of something they did or said, told as a past or
   habitual event (past tense, "she'd say", a time anchor, reported speech). Consecutive client
   turns about the same person make one episode (at most three turns), as a story is often told
   across an exchange with the therapist.
2. Ratings. The other's clauses are rated for RO, the client's ("I ...") for RS, and wishing
   clauses ("I wanted him to ...") for W, in the standard clusters. Two kinds of evidence
   combine: cue patterns (a negated positive response, "she didn't listen", counts as rejecting)
   and the nearest-prototype similarity of sentence embeddings to developer-written, fictional
   seed phrases (``data/ccrt_seeds.yaml``). A wish is often left unsaid; Luborsky's raters infer
   it from the response, so when no wish is voiced it is inferred, with low confidence, as the
   counterpart of the other's response (rejected or understood: to be loved and understood;
   controlled: to assert self), and marked ``inferred``.
3. ``ccrt(episodes)`` ranks the clusters per component with counts and pervasiveness, overall,
   per person and over time (per month and per early/middle/late third), so a shift in the
   theme, the aim of the therapy, shows.

Every rating carries its evidence: session id, date, turn index, character offsets and the
quoted words. The core is pure over a ``CaseRecord`` (and, when given, the stored per-document
annotations); ``ccrt_for_client`` loads both from the store.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml

from reverie.analysis.document import Annotation, Document
from reverie.analysis.embed import Encode
from reverie.analysis.matching import negated_before, normalise, sentences, trim_span
from reverie.analysis.people import Mention, find_mentions, resolve_names
from reverie.record import Attendance, CaseRecord, Session, Speaker
from reverie.store import Store

SEEDS = Path(__file__).parent / "data" / "ccrt_seeds.yaml"

Kind = Literal["wish", "response_of_other", "response_of_self"]
KINDS: tuple[Kind, ...] = ("wish", "response_of_other", "response_of_self")

# Combining the two kinds of evidence: a cue is worth CUE (at most two count per cluster), an
# embedding similarity is scaled by EMBED. A cue therefore decides when there is one; the
# embedding breaks ties and rates what no cue covers. Set by reasoning about the scales (cosine
# differences between clusters are about 0.05-0.2), not fitted to the demo's answer key.
CUE = 1.0
EMBED = 1.5
# Without a cue, a component is rated only when a clause is at least this close to a seed.
MIN_SIMILARITY = 0.45
# The weight of a wish inferred from the other's response (below one cue: a voiced wish wins).
INFERRED_WISH = 0.6
# Softmax temperature turning combined scores into a confidence.
TEMPERATURE = 0.35
# How many turns back a "he"/"she" may reach for the person it stands for.
PRONOUN_REACH = 6
MAX_EPISODE_TURNS = 3
# Clauses shorter than this ("she said") carry too little for the embedding to rate.
MIN_WORDS = 3


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a finding comes from: ``turn`` is the index in the session (``turn + 1`` is what
    `reverie show` and the answer key call turn N), ``start:end`` the characters quoted."""

    session_id: str
    date: date
    turn: int
    start: int
    end: int
    quote: str


@dataclass(frozen=True, slots=True)
class Rating:
    """One component of an episode rated in a standard cluster.

    ``valence`` is "positive" or "negative" for responses (None for wishes); ``scores`` are the
    combined scores of every cluster, so a clinician can see the runner-up; ``inferred`` marks a
    wish not voiced but read from the other's response.
    """

    kind: Kind
    cluster: str
    confidence: float
    valence: str | None
    evidence: tuple[Evidence, ...]
    scores: Mapping[str, float] = field(default_factory=dict)
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class Episode:
    """A relationship episode: the client's story of an interaction with ``other``.

    ``other`` is the person's name when known ("Daniel"), else their role ("mother"); ``role``
    is the people lens's role. ``mention`` is where the other is named or referred to.
    """

    session_id: str
    date: date
    turns: tuple[int, ...]
    other: str
    role: str
    mention: Evidence
    confidence: float
    wish: Rating | None = None
    response_of_other: Rating | None = None
    response_of_self: Rating | None = None

    def rating(self, kind: Kind) -> Rating | None:
        return self.wish if kind == "wish" else self.response_of_other if kind == "response_of_other" else self.response_of_self


@dataclass(frozen=True, slots=True)
class ClusterCount:
    """A cluster's place in a component: how many episodes show it and their share of all
    episodes (pervasiveness), how many of them were rated positive, and a few examples."""

    cluster: str
    count: int
    pervasiveness: float
    positive: int
    negative: int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Profile:
    """The ranked clusters of each component over a set of episodes."""

    episodes: int
    wish: tuple[ClusterCount, ...]
    response_of_other: tuple[ClusterCount, ...]
    response_of_self: tuple[ClusterCount, ...]

    def ranked(self, kind: Kind) -> tuple[ClusterCount, ...]:
        return self.wish if kind == "wish" else self.response_of_other if kind == "response_of_other" else self.response_of_self

    def top(self, kind: Kind, n: int = 1) -> list[str]:
        return [c.cluster for c in self.ranked(kind)[:n]]

    def share(self, kind: Kind, cluster: str) -> float:
        """Share of this profile's episodes rated ``cluster`` (0 when none)."""
        return next((c.pervasiveness for c in self.ranked(kind) if c.cluster == cluster), 0.0)

    def negative_share(self, kind: Kind) -> float | None:
        """Of the rated responses, the share rated negative (None for wishes or when none)."""
        ranked = self.ranked(kind)
        rated = sum(c.positive + c.negative for c in ranked)
        return None if kind == "wish" or not rated else round(sum(c.negative for c in ranked) / rated, 3)


@dataclass(frozen=True, slots=True)
class CCRT:
    """The theme overall, per person, per month ("2026-04") and per third of the therapy
    ("early", "middle", "late", by session date), with the episodes it was read from."""

    overall: Profile
    by_person: Mapping[str, Profile]
    by_month: Mapping[str, Profile]
    by_period: Mapping[str, Profile]
    episodes: tuple[Episode, ...]

    def components(self) -> dict[Kind, str | None]:
        """The CCRT itself: the most frequent cluster of each component."""
        return {kind: (self.overall.ranked(kind)[0].cluster if self.overall.ranked(kind) else None) for kind in KINDS}


# --- seeds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cluster:
    kind: Kind
    name: str
    valence: str | None
    seeds: tuple[str, ...]
    cues: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class _Seeds:
    clusters: dict[Kind, tuple[_Cluster, ...]]
    negated_as: dict[str, str]


@cache
def _seeds() -> _Seeds:
    """The seed file, compiled once: a cue is a whole-word pattern on a lower-cased clause."""
    raw = yaml.safe_load(SEEDS.read_text(encoding="utf-8"))
    clusters: dict[Kind, tuple[_Cluster, ...]] = {}
    negated_as: dict[str, str] = {}
    for kind in KINDS:
        out = []
        for name, spec in raw[kind].items():
            if name == "negated_as":
                negated_as.update(spec)
                continue
            cues = tuple(re.compile(r"(?<![\w'])(?:" + cue + r")(?![\w'])") for cue in spec.get("cues", ()))
            out.append(_Cluster(kind, name, spec.get("valence"), tuple(spec["seeds"]), cues))
        clusters[kind] = tuple(out)
    return _Seeds(clusters, negated_as)


def clusters(kind: Kind) -> tuple[str, ...]:
    """The eight standard clusters of a component, in the seed file's order."""
    return tuple(c.name for c in _seeds().clusters[kind])


_SEED_VECTORS: dict[int, dict[str, np.ndarray]] = {}


def _seed_vectors(encode: Encode) -> dict[str, np.ndarray]:
    """Seed vectors per (kind, cluster) key, encoded once per encoder."""
    key = id(encode)
    if key not in _SEED_VECTORS:
        seeds = _seeds()
        texts: list[str] = []
        owners: list[str] = []
        for kind in KINDS:
            for c in seeds.clusters[kind]:
                texts.extend(c.seeds)
                owners.extend([f"{kind}:{c.name}"] * len(c.seeds))
        vectors = encode(texts)
        grouped: dict[str, list[np.ndarray]] = {}
        for owner, v in zip(owners, vectors, strict=True):
            grouped.setdefault(owner, []).append(v)
        _SEED_VECTORS[key] = {owner: np.stack(vs) for owner, vs in grouped.items()}
    return _SEED_VECTORS[key]


def _default_encode() -> Encode:
    from reverie.analysis.embed import shared_encoder

    return shared_encoder().encode


# --- clauses and who is their subject ------------------------------------------------------

_QUOTE = re.compile(r'"[^"\n]*"?')
_CLAUSE_BREAK = re.compile(r"(?:[,;:]|\s-\s|\.\.\.)\s*(?:and\s+|but\s+|so\s+|then\s+)?|\s+(?:and then|and|but|so|because|then|when|while)\s+")
_FILLER = re.compile(r"^(?:(?:and|but|so|then|like|just|oh|well|um|uh|yeah|okay|anyway|and then|or|because|actually|even|sort of|kind of|still|also|now|only)\b[\s,]*)+")
_SELF = re.compile(r"^(?:i|i'd|i'm|i've|i'll|i was|me)(?![\w'])")
_PRONOUN = re.compile(r"(?<![\w'])(?P<p>he|she|him|his|her|hers|he'd|she'd|he's|she's|he'll|she'll)(?![\w'])")
_SUBJECT_PRONOUN = re.compile(r"^(?P<p>he|she|he'd|she'd|he's|she's|he'll|she'll)(?![\w'])")
_FEMALE = frozenset({"she", "her", "hers", "she'd", "she's", "she'll"})
_FEMALE_WORDS = re.compile(
    r"(?<![\w'])(?:mum|mom|mother|mam|mummy|mommy|mama|ma|gran|granny|grandma|grandmother|nan|nana|nanna|sister|sis|wife|girlfriend|aunt|auntie|aunty|niece|"
    r"daughter|stepmum|stepmother|madre|abuela|hermana|novia|esposa|missus|she)(?![\w'])"
)
_MALE_WORDS = re.compile(
    r"(?<![\w'])(?:dad|father|daddy|papa|pa|grandad|granddad|grandpa|grandfather|brother|bro|husband|boyfriend|uncle|nephew|son|stepdad|stepfather|"
    r"padre|abuelo|hermano|novio|esposo|marido|bloke|fella|he)(?![\w'])"
)
_PAST = re.compile(
    r"(?<![\w'])(?:\w{2,}ed|said|told|went|came|got|took|gave|made|sat|stood|left|rang|sent|saw|put|thought|felt|knew|heard|brought|bought|kept|"
    r"wrote|ran|was|were|had|did|didn't|wasn't|couldn't|wouldn't|hadn't|forgot|began|spoke|met|found|lost|held|sang|slept|woke|fell|"
    r"stuck|hung|caught|taught|threw|shook|broke|chose|drove|ate|drank|swam|sold|paid|read|meant|used to)(?![\w'])|(?<![\w'])(?:he|she|they|i|you)'d(?![\w'])"
)
_ANCHOR = re.compile(
    r"(?<![\w'])(?:yesterday|last (?:night|week|weekend|month|year|time)|this (?:morning|week|afternoon)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?|"
    r"(?:at|about|around) (?:\w+ )?o'clock|at (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|quarter|\d)|when i was|once|the other day|"
    r"that (?:day|night|morning|evening|time)|after(?:wards)?|in the (?:morning|evening)|tonight|today)(?![\w'])"
)
_DESIRE = re.compile(r"(?<![\w'])(?:want|wanted|wants|wish|wished|hope|hoped|need|needed|'d like|would like|'d love|would love|longed|just wanted)(?![\w'])")
# Words that start a capitalised token that is not a person's name.
_NOT_A_NAME = frozenset(
    ["i", "i'd", "i'm", "i've", "i'll", "the", "a", "an", "and", "but", "so", "then", "he", "she", "they", "we", "you", "it", "this", "that", "there", "my", "your", "his", "her", "our", "their", "mum", "dad", "gran", "god", "oh", "okay", "ok", "yeah", "yes", "no", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "christmas", "easter", "sorry", "thanks", "hi", "hello", "well", "like", "just", "anyway", "maybe", "sometimes", "everyone", "everybody", "nobody", "someone", "somebody", "because", "when", "what", "why", "how", "who", "where", "which", "after", "before", "even", "nothing", "not", "one", "really", "right", "good", "great", "fine", "also", "mister", "miss", "mrs", "mr", "dr", "doctor"]
)
_NAME_VERB = re.compile(
    r"(?<![\w'])(?P<name>[A-Z][a-zà-ÿ]{2,})\s+(?:just\s+|then\s+|also\s+|actually\s+|had\s+|has\s+|finally\s+)?"
    r"(?:said|says|told|tells|asked|asks|texted|texts|replied|wrote|writes|emailed|forwarded|announced|answered)(?![\w'])"
)


@dataclass(frozen=True, slots=True)
class _Ref:
    """A person in a turn: named (``explicit``) or a pronoun resolved to them."""

    person: str
    role: str
    start: int
    end: int
    explicit: bool


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int
    end: int
    subject: str | None  # "self", a person key, or None (unknown)
    text: str  # lower-cased, as the cues read it


def _quote_spans(low: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTE.finditer(low)]


def _clauses(text: str, refs: Sequence[_Ref]) -> list[_Clause]:
    """The turn cut into clauses, each with its subject: the client ("I"), a person (a name or
    a pronoun resolved to them, at the clause's start), or the previous clause's subject when
    it has none ("he came in and went straight to bed"). Quoted speech is never cut, so
    "she said, 'not now, love'" stays one clause, the other's."""
    low = normalise(text)
    quotes = _quote_spans(low)
    out: list[_Clause] = []
    for s_start, s_end in sentences(text):
        pieces: list[tuple[int, int]] = []
        begin = s_start
        for m in _CLAUSE_BREAK.finditer(low, s_start, s_end):
            if any(q0 < m.start() < q1 for q0, q1 in quotes):
                continue
            pieces.append((begin, m.start()))
            begin = m.end()
        pieces.append((begin, s_end))
        previous: str | None = out[-1].subject if out else None
        for a, b in pieces:
            start, end = trim_span(text, a, b)
            if end - start < 2:
                continue
            head = low[start:end]
            filler = _FILLER.match(head)
            offset = start + (filler.end() if filler else 0)
            rest = low[offset:end]
            subject: str | None = None
            if _SELF.match(rest):
                subject = "self"
            else:
                for ref in refs:
                    if offset <= ref.start <= offset + 12 and (ref.explicit or _SUBJECT_PRONOUN.match(low[ref.start : ref.end + 4])):
                        subject = ref.person
                        break
            if subject is None and rest[:1] in "\"'":
                subject = previous  # a quote after "she said,"
            if subject is None and not re.match(r"^(?:you|we|they|it|there|that|this|what|who|everyone|nobody|someone)(?![\w'])", rest):
                subject = previous
            out.append(_Clause(start, end, subject, low[start:end]))
            previous = subject
    return out


# --- people across a case -------------------------------------------------------------------


def _gender_of_text(word: str) -> str | None:
    low = word.lower()
    if _FEMALE_WORDS.search(low):
        return "f"
    if _MALE_WORDS.search(low):
        return "m"
    return None


def _extra_names(case: CaseRecord, known: Mapping[str, str]) -> dict[str, str]:
    """Names the client uses for people without tying them to a role ("Priya said ..."): a
    capitalised word that is the subject of a speech or action verb somewhere in the client's
    turns. Their role is "other"; the client's own name is never one."""
    own = {w.casefold() for w in case.client.pseudonym.split()}
    counts: Counter[str] = Counter()
    for session in case.sessions:
        for turn in session.turns:
            if turn.speaker is Speaker.CLIENT:
                for m in _NAME_VERB.finditer(turn.text):
                    name = m.group("name")
                    if name.casefold() not in own and name.lower() not in _NOT_A_NAME and name not in known:
                        counts[name] += 1
    return dict.fromkeys(counts, "other")


@dataclass
class _Cast:
    """Who is who in a case: names and roles, the person key of each, and their gender."""

    known: dict[str, str]  # name -> role
    gender: dict[str, str]  # person key -> "m" / "f"
    role_name: dict[str, str]  # a singular role held by exactly one name -> that name

    def key(self, mention: Mention, text: str) -> str:
        if mention.name is not None:
            name = text[mention.name[0] : mention.name[1]]
            for known in self.known:
                if known.casefold() == name.casefold():
                    return known
            return name
        if mention.role == "therapist":
            return "therapist"
        return self.role_name.get(mention.role, mention.role)


_SINGULAR_ROLES = ("mother", "father", "partner")


def _known_names(case: CaseRecord) -> dict[str, str]:
    known: dict[str, str] = {}
    for session in _attended(case):
        known.update(resolve_names(Document(session.turns, session=session), known))
    own = {w.casefold() for w in case.client.pseudonym.split()}
    known = {n: r for n, r in known.items() if n.casefold() not in own}
    known.update(_extra_names(case, known))
    return known


def _attended(case: CaseRecord) -> list[Session]:
    return sorted((s for s in case.sessions if s.attendance is Attendance.ATTENDED and s.turns), key=lambda s: s.starts_at)


def _mentions_from(annotations: Sequence[Annotation]) -> dict[int, list[Mention]]:
    """The people lens's stored mentions per turn."""
    out: dict[int, list[Mention]] = {}
    for a in annotations:
        if a.analyzer == "people" and a.lens == "relationships":
            first = a.evidence[0]
            name = a.detail.get("name_span")
            out.setdefault(first.turn, []).append(Mention(first.turn, first.start, first.end, a.label, a.confidence, (name[0], name[1]) if name else None))
    return out


def _session_mentions(session: Session, known: Mapping[str, str], stored: Sequence[Annotation]) -> dict[int, list[Mention]]:
    """Mentions in every turn: the stored ones for client turns when given, plus what the
    people finder sees with every name the case knows (therapist turns too, without "you")."""
    names = {n: (r, 0.85) for n, r in known.items()}
    from_store = _mentions_from(stored)
    out: dict[int, list[Mention]] = {}
    for i, turn in enumerate(session.turns):
        is_client = turn.speaker is Speaker.CLIENT
        found = list(from_store.get(i, [])) if is_client else []
        for m in find_mentions(turn.text, i, names, therapist_you=is_client):
            if not any(m.start < f.end and f.start < m.end for f in found):
                found.append(m)
        out[i] = sorted(found, key=lambda m: m.start)
    return out


def _learn_cast(case: CaseRecord, known: dict[str, str], mentions: Mapping[str, Mapping[int, list[Mention]]]) -> _Cast:
    """Person keys and genders: gender from the role word ("my mum") or, for a name, from the
    pronouns that follow it in the same or next sentence, by majority over the whole case."""
    by_role: dict[str, set[str]] = {}
    for name, role in known.items():
        by_role.setdefault(role, set()).add(name)
    role_name = {role: next(iter(names)) for role, names in by_role.items() if role in _SINGULAR_ROLES and len(names) == 1}
    cast = _Cast(known, {}, role_name)
    votes: dict[str, Counter[str]] = {}
    for session in _attended(case):
        for i, found in mentions[session.id].items():
            text = session.turns[i].text
            low = normalise(text)
            for m in found:
                person = cast.key(m, text)
                if person == "therapist":
                    continue
                word_gender = _gender_of_text(low[m.start : m.end]) if m.name is None else None
                if word_gender:
                    votes.setdefault(person, Counter())[word_gender] += 3
                    continue
                after = low[m.end : m.end + 160]
                p = _PRONOUN.search(after)
                if p and not any(other.start > m.end and other.start < m.end + p.start() for other in found):
                    votes.setdefault(person, Counter())["f" if p.group("p") in _FEMALE else "m"] += 1
    cast.gender = {person: v.most_common(1)[0][0] for person, v in votes.items() if v}
    return cast


def _session_refs(session: Session, mentions: Mapping[int, list[Mention]], cast: _Cast) -> dict[int, list[_Ref]]:
    """Per client turn, the people in it: named ones, and "he"/"she" resolved to the last person
    of that gender named by either speaker within ``PRONOUN_REACH`` turns."""
    last: dict[str, tuple[str, str, int]] = {}  # gender -> (person, role, turn)
    out: dict[int, list[_Ref]] = {}
    for i, turn in enumerate(session.turns):
        text = turn.text
        low = normalise(text)
        events: list[tuple[int, int, Mention | None]] = [(m.start, m.end, m) for m in mentions.get(i, [])]
        taken = [(m.start, m.end) for m in mentions.get(i, [])]
        quotes = _quote_spans(low)
        for p in _PRONOUN.finditer(low):
            if not any(a <= p.start() < b for a, b in taken) and not any(a < p.start() < b for a, b in quotes):
                events.append((p.start(), p.end(), None))
        refs: list[_Ref] = []
        for start, end, mention in sorted(events, key=lambda e: e[0]):
            if mention is not None:
                person = cast.key(mention, text)
                refs.append(_Ref(person, mention.role, start, end, True))
                gender = cast.gender.get(person)
                if gender:
                    last[gender] = (person, mention.role, i)
            elif turn.speaker is Speaker.CLIENT:
                gender = "f" if low[start:end] in _FEMALE else "m"
                if gender in last and i - last[gender][2] <= PRONOUN_REACH:
                    person, role, _ = last[gender]
                    refs.append(_Ref(person, role, start, end, False))
                    last[gender] = (person, role, i)
        if turn.speaker is Speaker.CLIENT:
            out[i] = refs
    return out


# --- episodes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    turn: int
    person: str
    role: str
    mention: _Ref
    clauses: tuple[_Clause, ...]
    strength: float


def _candidate(i: int, text: str, refs: Sequence[_Ref]) -> _Candidate | None:
    """A client turn that tells an interaction: another person is the subject of a clause told
    as an event (a past or habitual verb, or their words quoted), the client appears too, and
    the turn as a whole is narrative (past verbs, a time anchor, reported speech)."""
    if not refs:
        return None
    clauses = _clauses(text, refs)
    acts: Counter[str] = Counter()
    for c in clauses:
        if c.subject not in (None, "self") and (_PAST.search(c.text) or '"' in c.text):
            acts[c.subject] += 1
    if not acts or (not any(c.subject == "self" for c in clauses) and not any('"' in c.text for c in clauses)):
        return None
    low = normalise(text)
    past = len(_PAST.findall(low))
    anchors = len(_ANCHOR.findall(low))
    quotes = len(_quote_spans(low))
    narrative = past + 2 * anchors + 2 * quotes
    if narrative < 4:
        return None
    person, count = acts.most_common(1)[0]
    first = next(r for r in refs if r.person == person)
    strength = min(1.0, 0.3 + 0.15 * count + 0.04 * narrative)
    return _Candidate(i, person, first.role, first, tuple(clauses), round(strength, 3))


def _evidence(session: Session, turn: int, start: int, end: int) -> Evidence:
    text = session.turns[turn].text
    start, end = trim_span(text, start, end)
    return Evidence(session.id, session.starts_at.date(), turn, start, end, text[start:end])


@dataclass(frozen=True)
class _Scored:
    kind: Kind
    scores: dict[str, float]
    best_clause: dict[str, tuple[int, _Clause]]


def _cue_hits(kind: Kind, clause: _Clause) -> dict[str, int]:
    """Cue matches per cluster in one clause; a negated positive response of the other counts
    for its ``negated_as`` cluster, any other negated cue not at all."""
    seeds = _seeds()
    hits: Counter[str] = Counter()
    for c in seeds.clusters[kind]:
        for cue in c.cues:
            for m in cue.finditer(clause.text):
                if re.match(r"(?:didn't|doesn't|never|did not|does not|wouldn't|won't|hasn't|hadn't|nobody|no one|not|don't|can't|couldn't)\b", m.group(0)):
                    hits[c.name] += 1
                elif negated_before(clause.text, m.start()):
                    target = seeds.negated_as.get(c.name) if kind == "response_of_other" else None
                    if target:
                        hits[target] += 1
                else:
                    hits[c.name] += 1
    return dict(hits)


def _score(kind: Kind, clauses: Sequence[tuple[int, _Clause]], vectors: Mapping[tuple[int, int], np.ndarray], seed_vectors: Mapping[str, np.ndarray]) -> _Scored | None:
    """Combined cue and embedding scores of each cluster over the clauses."""
    if not clauses:
        return None
    names = clusters(kind)
    cue_total: Counter[str] = Counter()
    best: dict[str, tuple[float, tuple[int, _Clause]]] = {}
    similarity: dict[str, float] = dict.fromkeys(names, 0.0)
    for turn, clause in clauses:
        hits = _cue_hits(kind, clause)
        v = vectors.get((turn, clause.start)) if len(clause.text.split()) >= MIN_WORDS else None
        for name in names:
            sim = float(np.max(seed_vectors[f"{kind}:{name}"] @ v)) if v is not None else 0.0
            similarity[name] = max(similarity[name], sim)
            contribution = CUE * hits.get(name, 0) + EMBED * sim
            if name not in best or contribution > best[name][0]:
                best[name] = (contribution, (turn, clause))
            cue_total[name] += hits.get(name, 0)
    if not cue_total and max(similarity.values()) < MIN_SIMILARITY:
        return None
    scores = {name: CUE * min(cue_total[name], 2) + EMBED * similarity[name] for name in names}
    return _Scored(kind, scores, {name: best[name][1] for name in names})


def _softmax_top(scores: Mapping[str, float]) -> tuple[str, float]:
    values = np.array(list(scores.values()), dtype=np.float64) / TEMPERATURE
    p = np.exp(values - values.max())
    p /= p.sum()
    k = int(np.argmax(p))
    return list(scores)[k], round(float(p[k]), 3)


# A wish read from the other's response when none is voiced (see the module docstring).
_WISH_FROM_RESPONSE = {
    "rejecting and opposing": "to be loved and understood",
    "understanding": "to be loved and understood",
    "controlling": "to assert self and be independent",
    "likes me": "to be close and accepting",
    "helpful": "to be close and accepting",
}


def _rating(scored: _Scored, session: Session, *, inferred_from: Rating | None = None) -> Rating:
    cluster, confidence = _softmax_top(scored.scores)
    turn, clause = scored.best_clause[cluster]
    valence = next((c.valence for c in _seeds().clusters[scored.kind] if c.name == cluster), None)
    return Rating(scored.kind, cluster, confidence, valence, (_evidence(session, turn, clause.start, clause.end),), {k: round(v, 3) for k, v in scored.scores.items()})


def _rate(
    session: Session,
    person: str,
    clauses: Sequence[tuple[int, _Clause]],
    vectors: Mapping[tuple[int, int], np.ndarray],
    seed_vectors: Mapping[str, np.ndarray],
) -> tuple[Rating | None, Rating | None, Rating | None]:
    """W, RO and RS of one episode from its clauses."""
    other = [(t, c) for t, c in clauses if c.subject == person]
    own = [(t, c) for t, c in clauses if c.subject == "self" and not _DESIRE.search(c.text)]
    if other:  # the response of self is what follows the other's response (W -> RO -> RS)
        after = [(t, c) for t, c in own if (t, c.start) > (other[0][0], other[0][1].start)]
        own = after or own
    wishing = [(t, c) for t, c in clauses if _DESIRE.search(c.text)]
    ro_scored = _score("response_of_other", other, vectors, seed_vectors)
    ro = _rating(ro_scored, session) if ro_scored else None
    if ro is not None:  # what the client did after the response that was rated
        at = (ro.evidence[0].turn, ro.evidence[0].start)
        own = [(t, c) for t, c in own if (t, c.start) > at] or own
    rs_scored = _score("response_of_self", own, vectors, seed_vectors)
    rs = _rating(rs_scored, session) if rs_scored else None
    w_scored = _score("wish", wishing, vectors, seed_vectors)
    prior = _WISH_FROM_RESPONSE.get(ro.cluster) if ro else None
    voiced = w_scored is not None and any(_cue_hits("wish", c) for _, c in wishing)
    wish: Rating | None = None
    if w_scored is not None:
        if prior:
            w_scored.scores[prior] += INFERRED_WISH
        wish = _rating(w_scored, session)
        if not voiced and prior and wish.cluster == prior and ro is not None:
            wish = Rating("wish", prior, wish.confidence, None, wish.evidence + ro.evidence, wish.scores, inferred=True)
    elif prior and ro is not None:
        wish = Rating("wish", prior, round(0.5 * ro.confidence, 3), None, ro.evidence, {prior: INFERRED_WISH}, inferred=True)
    return wish, ro, rs


def _group(candidates: Sequence[_Candidate], session: Session) -> list[list[_Candidate]]:
    """Consecutive client turns about the same person (only therapist turns between) as one
    episode, at most ``MAX_EPISODE_TURNS`` turns."""
    client_turns = [i for i, t in enumerate(session.turns) if t.speaker is Speaker.CLIENT]
    position = {turn: k for k, turn in enumerate(client_turns)}
    groups: list[list[_Candidate]] = []
    for c in candidates:
        g = groups[-1] if groups else None
        if g and g[-1].person == c.person and position[c.turn] - position[g[-1].turn] == 1 and len(g) < MAX_EPISODE_TURNS:
            g.append(c)
        else:
            groups.append([c])
    return groups


def find_episodes(
    case: CaseRecord,
    annotations: Mapping[str, Sequence[Annotation]] | None = None,
    *,
    encode: Encode | None = None,
) -> list[Episode]:
    """Every relationship episode in the client's attended sessions, rated.

    ``annotations`` (session id -> the stored annotations) lets the people lens's mentions be
    reused; without them the mentions are found here. ``encode`` maps texts to unit vectors
    (default: the shared MiniLM encoder); every clause of every episode is encoded in one batch.
    """
    annotations = annotations or {}
    sessions = _attended(case)
    known = _known_names(case)
    mentions = {s.id: _session_mentions(s, known, annotations.get(s.id, ())) for s in sessions}
    cast = _learn_cast(case, known, mentions)
    found: list[tuple[Session, list[_Candidate]]] = []
    for session in sessions:
        refs = _session_refs(session, mentions[session.id], cast)
        candidates = [c for i, r in sorted(refs.items()) if (c := _candidate(i, session.turns[i].text, r)) is not None]
        found.extend((session, g) for g in _group(candidates, session))
    encode = encode or _default_encode()
    seed_vectors = _seed_vectors(encode)
    keys: list[tuple[str, int, int]] = []
    texts: list[str] = []
    for session, group in found:
        for cand in group:
            for clause in cand.clauses:
                if clause.subject is not None or _DESIRE.search(clause.text):
                    keys.append((session.id, cand.turn, clause.start))
                    texts.append(session.turns[cand.turn].text[clause.start : clause.end])
    matrix = encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    by_session: dict[str, dict[tuple[int, int], np.ndarray]] = {}
    for (sid, turn, start), v in zip(keys, matrix, strict=True):
        by_session.setdefault(sid, {})[(turn, start)] = v
    episodes: list[Episode] = []
    for session, group in found:
        first = group[0]
        clauses = [(cand.turn, clause) for cand in group for clause in cand.clauses]
        wish, ro, rs = _rate(session, first.person, clauses, by_session.get(session.id, {}), seed_vectors)
        episodes.append(
            Episode(
                session.id,
                session.starts_at.date(),
                tuple(c.turn for c in group),
                first.person,
                first.role,
                _evidence(session, first.turn, first.mention.start, first.mention.end),
                max(c.strength for c in group),
                wish,
                ro,
                rs,
            )
        )
    return episodes


def rate_text(text: str, other: str = "other", *, encode: Encode | None = None) -> tuple[Rating | None, Rating | None, Rating | None]:
    """W, RO and RS of one client's account given as plain text, the other referred to by a
    pronoun or ``other`` (a name). For checking the rules on single sentences; evidence points
    into ``text`` as turn 0 of an unnamed session."""
    from datetime import UTC, datetime

    from reverie.record import Turn

    session = Session("adhoc", datetime(2000, 1, 1, tzinfo=UTC), turns=(Turn(Speaker.CLIENT, text),), id="adhoc")
    low = normalise(text)
    refs = [_Ref(other, "other", m.start(), m.end(), False) for m in _PRONOUN.finditer(low)]
    refs += [_Ref(other, "other", m.start(), m.end(), True) for m in re.finditer(r"(?<![\w'])" + re.escape(other.lower()) + r"(?![\w'])", low)]
    refs.sort(key=lambda r: r.start)
    clauses = _clauses(text, refs)
    encode = encode or _default_encode()
    seed_vectors = _seed_vectors(encode)
    wanted = [c for c in clauses if c.subject is not None or _DESIRE.search(c.text)]
    matrix = encode([text[c.start : c.end] for c in wanted]) if wanted else np.zeros((0, 1), dtype=np.float32)
    vectors = {(0, c.start): v for c, v in zip(wanted, matrix, strict=True)}
    return _rate(session, other, [(0, c) for c in clauses], vectors, seed_vectors)


# --- the theme ----------------------------------------------------------------------------


def _profile(episodes: Sequence[Episode]) -> Profile:
    n = len(episodes)
    ranked: dict[Kind, tuple[ClusterCount, ...]] = {}
    for kind in KINDS:
        rows: dict[str, list[Rating]] = {}
        for e in episodes:
            r = e.rating(kind)
            if r is not None:
                rows.setdefault(r.cluster, []).append(r)
        counts = [
            ClusterCount(
                cluster,
                len(rs),
                round(len(rs) / n, 3) if n else 0.0,
                sum(1 for r in rs if r.valence == "positive"),
                sum(1 for r in rs if r.valence == "negative"),
                tuple(r.evidence[0] for r in sorted(rs, key=lambda r: -r.confidence)[:3]),
            )
            for cluster, rs in rows.items()
        ]
        weight = {cluster: sum(r.confidence for r in rs) for cluster, rs in rows.items()}
        ranked[kind] = tuple(sorted(counts, key=lambda c: (-c.count, -weight[c.cluster], c.cluster)))
    return Profile(n, ranked["wish"], ranked["response_of_other"], ranked["response_of_self"])


def _periods(dates: Iterable[date]) -> dict[date, str]:
    """Each session date to the third of the therapy it falls in (by session count)."""
    ordered = sorted(set(dates))
    n = len(ordered)
    names = ("early", "middle", "late")
    return {d: names[min(2, (3 * k) // n)] for k, d in enumerate(ordered)} if n else {}


def ccrt(episodes: Sequence[Episode], *, session_dates: Iterable[date] | None = None) -> CCRT:
    """The theme of a set of episodes: ranked clusters overall, per person, per month and per
    third of the therapy. Thirds are cut by ``session_dates`` (every attended session) when
    given, else by the dates the episodes come from."""
    periods = _periods(session_dates if session_dates is not None else (e.date for e in episodes))
    by_person: dict[str, list[Episode]] = {}
    by_month: dict[str, list[Episode]] = {}
    by_period: dict[str, list[Episode]] = {name: [] for name in ("early", "middle", "late")}
    for e in episodes:
        by_person.setdefault(e.other, []).append(e)
        by_month.setdefault(f"{e.date:%Y-%m}", []).append(e)
        period = periods.get(e.date)
        if period is not None:
            by_period[period].append(e)
    return CCRT(
        _profile(episodes),
        {p: _profile(es) for p, es in sorted(by_person.items(), key=lambda item: -len(item[1]))},
        {m: _profile(es) for m, es in sorted(by_month.items())},
        {p: _profile(es) for p, es in by_period.items() if es},
        tuple(episodes),
    )


def ccrt_for_case(case: CaseRecord, annotations: Mapping[str, Sequence[Annotation]] | None = None, *, encode: Encode | None = None) -> CCRT:
    """Episodes found and rated, then the theme, thirds cut over every attended session."""
    episodes = find_episodes(case, annotations, encode=encode)
    return ccrt(episodes, session_dates=[s.starts_at.date() for s in _attended(case)])


def ccrt_for_client(store: Store, client_id: str, *, encode: Encode | None = None) -> CCRT:
    """The CCRT of a stored client, reusing the people lens's stored mentions."""
    case = store.load_case(client_id)
    annotations = {s.id: store.load_annotations(s.id) for s in _attended(case)}
    return ccrt_for_case(case, annotations, encode=encode)


def as_dict(value: Any) -> Any:
    """A CCRT, profile, episode or rating as plain JSON-ready data (dates as ISO strings)."""
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return {name: as_dict(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, Mapping):
        return {str(k): as_dict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_dict(v) for v in value]
    return value
