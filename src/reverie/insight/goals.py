"""The six goals of psychodynamic therapy, each followed month by month through a stated proxy.

None of these goals can be read off a transcript. What can be counted are traces that should move
when the goal is reached, so each one is reported as a *proxy*: its name, what it counts, one
sentence on why it is only a proxy, its value per month and a direction judged the same way
everywhere (least-squares slope over the months with a 95% t-interval: a direction only when the
interval excludes 0, else "no clear trend", and "too few to tell" under three months).

| goal | proxy (better when) |
|---|---|
| self-awareness | share of client turns with a self-observation (higher) |
| emotional expression | distinct emotions per session (higher); mean affect intensity (higher) |
| relationships | valence of what is felt about the people mentioned (higher); replaceable by CCRT |
| internal conflicts | recurring themes approached and then left per session (lower) |
| symptoms | PHQ-9 and GAD-7 totals, plain sums of the answers (lower) |
| long-term growth | Overall Defensive Functioning (higher) |

Symptom totals here are plain sums of complete questionnaires, enough for a trajectory; banding,
missing-item rules and reliable change belong to the measures module.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import mean

from reverie.analysis.document import Annotation
from reverie.insight.defensive import DefensiveProfile, Trend, defensive_profile, fit_trend, local_date, month_of
from reverie.insight.themes import Evidence, ThemeMap, month_range, theme_map
from reverie.record import Attendance, CaseRecord, Session, Speaker
from reverie.store import Store

GOALS: dict[str, str] = {
    "self_awareness": "Self-awareness",
    "emotional_expression": "Emotional expression",
    "relationships": "Better relationships",
    "internal_conflicts": "Resolving internal conflicts",
    "symptoms": "Fewer symptoms",
    "growth": "Long-term growth",
}

# Statements of self-observation the defenses lens may not rate as a defense ("I notice I...").
SELF_OBSERVATION = re.compile(
    r"\bi(?:'ve| have)? (?:notice|noticed|realise|realised|realize|realized|recognise|recognised|recognize|recognized|can see|see now|catch myself|caught myself)\b"
    r"|\bmaybe i (?:\w+ ){0,4}because\b|\bi think i (?:\w+ ){0,4}because\b|\bthat's (?:why|what) i (?:do|did|always)\b|\bi wonder if i\b|\bpart of me\b",
)
# The people lens attaches the nearest feeling to a mention; "close" is the only warm one.
FEELING_VALENCE: dict[str, float] = {"close": 1.0, "afraid": -1.0, "angry": -1.0, "hurt": -1.0, "guilty": -1.0, "jealous": -1.0, "distant": -1.0}
INSTRUMENTS = {"phq9": ("PHQ-9", 9), "gad7": ("GAD-7", 7)}


@dataclass(frozen=True, slots=True)
class GoalProxy:
    """One proxy's trajectory; ``values[k]`` belongs to ``months[k]`` (``None``: nothing to count)."""

    goal: str
    name: str
    label: str
    measures: str
    caveat: str
    unit: str
    better: str  # "higher" or "lower"
    months: tuple[str, ...]
    values: tuple[float | None, ...]
    counts: tuple[int, ...]  # observations behind each month's value
    trend: Trend
    examples: tuple[Evidence, ...] = ()

    @property
    def direction(self) -> str:
        return self.trend.direction

    @property
    def improving(self) -> bool | None:
        """Whether the direction is the better one; ``None`` when there is no clear direction."""
        if self.direction == "rising":
            return self.better == "higher"
        if self.direction == "falling":
            return self.better == "lower"
        return None

    def by_month(self) -> dict[str, float | None]:
        return dict(zip(self.months, self.values, strict=True))


# A replacement for the relationships proxy (the CCRT module's, later): per session, a score in
# [-1, 1] (or None) from the session and its stored annotations.
SessionScore = Callable[[Session, Sequence[Annotation]], float | None]


@dataclass(frozen=True, slots=True)
class RelationshipProxy:
    name: str
    measures: str
    caveat: str
    score: SessionScore


@dataclass(frozen=True, slots=True)
class GoalReport:
    client_id: str
    months: tuple[str, ...]
    proxies: tuple[GoalProxy, ...]
    notes: tuple[str, ...] = field(default=())

    def for_goal(self, goal: str) -> tuple[GoalProxy, ...]:
        return tuple(p for p in self.proxies if p.goal == goal)

    def proxy(self, name: str) -> GoalProxy:
        return next(p for p in self.proxies if p.name == name)


def goal_report(
    store: Store,
    client_id: str,
    *,
    relationships: RelationshipProxy | None = None,
    themes: ThemeMap | None = None,
    profile: DefensiveProfile | None = None,
) -> GoalReport:
    """Every goal's proxies for one client, month by month.

    ``themes`` and ``profile`` may be passed when already computed (a report builds them anyway);
    ``relationships`` replaces the default relationships proxy, e.g. with the CCRT's share of
    positive responses.
    """
    case = store.load_case(client_id)
    zone = case.client.time_zone
    sessions = sorted((s for s in case.sessions if s.attendance is Attendance.ATTENDED and s.turns), key=lambda s: s.starts_at)
    dated = [month_of(s.starts_at, zone) for s in sessions] + [month_of(m.taken_at, zone) for m in case.measures]
    months = month_range(min(dated), max(dated)) if dated else ()
    annotations = {s.id: store.load_annotations(s.id) for s in sessions}
    themes = themes if themes is not None else theme_map(store, client_id)
    profile = profile if profile is not None else defensive_profile(store, client_id)
    proxies = [
        _self_awareness(sessions, annotations, zone, months),
        *_emotional_expression(sessions, annotations, zone, months),
        _relationships(sessions, annotations, zone, months, relationships),
        _conflicts(sessions, themes, zone, months),
        *_symptoms(case, months),
        _growth(profile, months),
    ]
    notes = ("Every value is a proxy computed from the automatic analysis: a hypothesis for the clinician, not a clinical rating.",)
    return GoalReport(client_id, months, tuple(proxies), notes)


def _proxy(goal: str, name: str, short: str, measures: str, caveat: str, unit: str, better: str, months: Sequence[str],
           samples: Mapping[str, Sequence[float]], examples: Sequence[Evidence] = (), digits: int = 3) -> GoalProxy:
    """Monthly means of the samples, and the trend over the months that have any."""
    label = proxy_label(goal, short)
    values = tuple(round(mean(samples[m]), digits) if samples.get(m) else None for m in months)
    counts = tuple(len(samples.get(m, ())) for m in months)
    xs = [float(k) for k, v in enumerate(values) if v is not None]
    ys = [v for v in values if v is not None]
    trend = fit_trend(xs, ys, what=label, unit=f"{unit} per month")
    return GoalProxy(goal, name, label, measures, caveat, unit, better, tuple(months), values, counts, trend, tuple(examples))


def proxy_label(goal: str, short: str) -> str:
    """"Goal (proxy): what is counted": the label says on its face that this is a proxy."""
    return f"{GOALS[goal]} (proxy): {short}"


def _self_awareness(sessions: Sequence[Session], annotations: Mapping[str, Sequence[Annotation]], zone: str, months: Sequence[str]) -> GoalProxy:
    samples: dict[str, list[float]] = {}
    examples: list[Evidence] = []
    for s in sessions:
        rated = {a.evidence[0].turn for a in annotations[s.id] if a.analyzer == "defenses" and a.label == "self_observation"}
        month = month_of(s.starts_at, zone)
        for i, turn in enumerate(s.turns):
            if turn.speaker is not Speaker.CLIENT:
                continue
            hit = i in rated or bool(SELF_OBSERVATION.search(turn.text.lower().replace("\u2019", "'")))
            samples.setdefault(month, []).append(1.0 if hit else 0.0)
            if hit and (not examples or examples[-1].session_id != s.id) and len(examples) < 50:
                examples.append(Evidence(s.id, local_date(s.starts_at, zone), i + 1, " ".join(turn.text.split())[:240]))
    picks = [examples[round(k * (len(examples) - 1) / 2)] for k in range(3)] if len(examples) >= 3 else examples
    return _proxy(
        "self_awareness", "self_observation_share", "self-observation share",
        "share of the client's turns that observe her own feelings or patterns (the defenses lens's self-observation, "
        "or phrases such as 'I notice I', 'I realise', 'maybe I ... because')",
        "saying 'I notice' is not the same as knowing oneself better: the phrases can be learnt from the therapist's language.",
        "share of turns", "higher", months, samples, list(dict.fromkeys(picks)),
    )


def _emotional_expression(sessions: Sequence[Session], annotations: Mapping[str, Sequence[Annotation]], zone: str, months: Sequence[str]) -> list[GoalProxy]:
    ranges: dict[str, list[float]] = {}
    intensity: dict[str, list[float]] = {}
    for s in sessions:
        month = month_of(s.starts_at, zone)
        affect = [a for a in annotations[s.id] if a.analyzer == "affect"]
        ranges.setdefault(month, []).append(float(len({a.label for a in affect})))
        per_turn = {a.evidence[0].turn: float(a.detail.get("intensity", 0.0)) for a in affect}
        intensity.setdefault(month, []).extend(per_turn.values())
    return [
        _proxy(
            "emotional_expression", "emotion_range", "emotional range",
            "distinct emotions (of the 28 GoEmotions labels) the affect lens finds in the client's turns per session, averaged over the month",
            "the labels come from a model trained on online comments, and a wider range can mean more turmoil as well as more freedom to feel.",
            "emotions per session", "higher", months, ranges, digits=2,
        ),
        _proxy(
            "emotional_expression", "emotion_intensity", "affect intensity",
            "mean intensity (0-1) of the client's turns that carry an emotion: the strongest emotion's probability, raised by intensifiers",
            "intensity of wording is not depth of feeling, and a calmer client may express feeling better at lower intensity.",
            "intensity", "higher", months, intensity,
        ),
    ]


def people_valence(session: Session, annotations: Sequence[Annotation]) -> float | None:
    """The default relationships score: mean valence of the feelings attached to people mentioned.

    A mention with a feeling the people lens attached counts +1 (close) or -1 (afraid, angry,
    hurt, guilty, jealous, distant); without one, the affect valence of its turn counts, when the
    turn carries an emotion. The therapist is left out: that is transference, not the client's
    relationships outside.
    """
    valence = {a.evidence[0].turn: float(a.detail.get("valence", 0.0)) for a in annotations if a.analyzer == "affect"}
    scores = []
    for a in annotations:
        if a.analyzer != "people" or a.lens != "relationships" or a.label == "therapist":
            continue
        feeling = a.detail.get("feeling")
        if feeling in FEELING_VALENCE:
            scores.append(FEELING_VALENCE[str(feeling)])
        elif a.evidence[0].turn in valence:
            scores.append(valence[a.evidence[0].turn])
    return mean(scores) if scores else None


DEFAULT_RELATIONSHIPS = RelationshipProxy(
    "people_valence",
    "mean valence (-1 to 1) of what is felt where the client mentions the people in her life: the feeling the people lens attaches "
    "to a mention, else the affect of the turn",
    "how she speaks of people in the session is not how the relationships go outside it, and a client who starts to name anger may "
    "be relating better, not worse.",
    people_valence,
)


def _relationships(sessions: Sequence[Session], annotations: Mapping[str, Sequence[Annotation]], zone: str, months: Sequence[str],
                   spec: RelationshipProxy | None) -> GoalProxy:
    spec = spec or DEFAULT_RELATIONSHIPS
    samples: dict[str, list[float]] = {}
    for s in sessions:
        value = spec.score(s, annotations[s.id])
        if value is not None:
            samples.setdefault(month_of(s.starts_at, zone), []).append(float(value))
    return _proxy("relationships", spec.name, f"{spec.name.replace('_', ' ')}", spec.measures, spec.caveat,
                  "valence", "higher", months, samples)


def _conflicts(sessions: Sequence[Session], themes: ThemeMap, zone: str, months: Sequence[str]) -> GoalProxy:
    recurring = {t.domain for t in themes.themes}
    left: dict[str, set[str]] = {}
    for d in themes.departures:
        if d.domain in recurring:
            left.setdefault(d.session_id, set()).add(d.domain)
    samples: dict[str, list[float]] = {}
    for s in sessions:
        samples.setdefault(month_of(s.starts_at, zone), []).append(float(len(left.get(s.id, ()))))
    examples = [d.shift for d in themes.departures if d.domain in recurring]
    return _proxy(
        "internal_conflicts", "themes_left_per_session", "recurring themes approached and left",
        "per session, how many recurring themes were approached and then left with a topic shift (resistance), averaged over the month",
        "a conflict can be avoided without a detectable topic shift, and a shift can be a healthy choice of what to bring today.",
        "themes left per session", "lower", months, samples, list(dict.fromkeys(examples))[:3], digits=2,
    )


def _symptoms(case: CaseRecord, months: Sequence[str]) -> list[GoalProxy]:
    zone = case.client.time_zone
    out = []
    for instrument, (title, items) in INSTRUMENTS.items():
        samples: dict[str, list[float]] = {}
        for m in sorted(case.measures, key=lambda m: m.taken_at):
            complete = [a for a in m.answers if a is not None]
            if m.instrument.lower().replace("-", "") != instrument or len(complete) != items:
                continue  # an incomplete questionnaire has no plain total
            samples.setdefault(month_of(m.taken_at, zone), []).append(float(sum(complete)))
        out.append(
            _proxy(
                "symptoms", f"{instrument}_total", f"{title} total",
                f"the {title} total (plain sum of {items} items scored 0-3), the mean of the month's questionnaires",
                "a questionnaire counts symptoms of the last two weeks, not the root causes the therapy addresses.",
                "points", "lower", months, samples, digits=1,
            )
        )
    return out


def _growth(profile: DefensiveProfile, months: Sequence[str]) -> GoalProxy:
    by_month = {m.month: m for m in profile.months}
    values = tuple(by_month[m].odf if m in by_month else None for m in months)
    counts = tuple(by_month[m].defenses if m in by_month else 0 for m in months)
    return GoalProxy(
        "growth", "odf", proxy_label("growth", "Overall Defensive Functioning"),
        "the mean DMRS level (1-7) of the defenses found in the month's sessions; its trend is the slope over sessions",
        "defenses are rated automatically from words alone, and healthier defenses are one sign of growth among many.",
        "ODF points", "higher", tuple(months), values, counts, profile.trend,
    )
