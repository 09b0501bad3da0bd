"""Overall Defensive Functioning (ODF) over time: per session, per month, and its trend.

The defenses lens stores, for every document it reads, the session's ODF (the mean DMRS level of
the defenses it found, each counted as often as it occurs) with the number of defenses and the
share of each level (``analysis_summaries(id)["defenses"]``). This module reads those summaries for
the attended sessions only, because a cancelled session has no speech to rate, and turns them into
what a clinician asks across months: is defensive functioning getting healthier?

Why these choices:
- a month's ODF pools every defense of the month (each counted as often as it occurs), as the
  DMRS defines ODF; the mean of the sessions' ODFs is given beside it because a session with two
  defenses and one with twenty then weigh the same, which some readers prefer;
- the trend is the least-squares slope of session ODF on time (in months), with a confidence
  interval from the t-distribution of the slope (no SciPy: the quantile is computed here from the
  regularised incomplete beta function). Sessions are the unit, not months, so a month with one
  session does not count as much as a month with five;
- small samples are named, not smoothed over: with fewer than ``MIN_SESSIONS`` rated sessions or
  ``MIN_DEFENSES`` defenses in all the answer is "too few to tell", with the numbers, and a
  confidence interval that includes 0 is "no clear trend", never a direction.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reverie.record import Attendance, Session
from reverie.store import Store

MIN_SESSIONS = 5
MIN_DEFENSES = 10
DAYS_PER_MONTH = 365.2425 / 12

Date = date  # a field named ``date`` below would shadow the type in its own annotation
RISING = "rising"
FALLING = "falling"
NO_CLEAR_TREND = "no clear trend"
TOO_FEW = "too few to tell"


@dataclass(frozen=True, slots=True)
class SessionODF:
    """One attended session's defensive functioning, as the defenses lens stored it.

    ``odf`` is ``None`` when no defense was found (or the session was never analysed): that is
    not a level of 0, it is no rating at all, and it is left out of the trend.
    """

    session_id: str
    starts_at: datetime
    month: str
    odf: float | None
    defenses: int
    level_counts: dict[int, int] = field(default_factory=dict)
    analysed: bool = True
    date: "Date | None" = None  # the local calendar date (the client's time zone)

    @property
    def level_shares(self) -> dict[int, float]:
        return _shares(self.level_counts)


@dataclass(frozen=True, slots=True)
class MonthODF:
    """A calendar month (in the client's time zone) of attended sessions."""

    month: str
    sessions: int
    defenses: int
    odf: float | None  # pooled over every defense of the month
    mean_session_odf: float | None  # each rated session weighs the same
    level_counts: dict[int, int] = field(default_factory=dict)

    @property
    def level_shares(self) -> dict[int, float]:
        return _shares(self.level_counts)


@dataclass(frozen=True, slots=True)
class Trend:
    """A least-squares slope with its confidence interval, and what it honestly allows one to say.

    ``direction`` is one of ``rising``, ``falling``, ``no clear trend`` (the interval includes 0)
    or ``too few to tell`` (then slope and interval may still be given, for the record, or be
    ``None`` when they cannot be computed at all). ``summary`` says it in one sentence with the
    numbers, for a report.
    """

    direction: str
    slope_per_month: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    points: int
    observations: int
    method: str
    summary: str
    intercept: float | None = None  # fitted value at x = 0 (the first point's time)


@dataclass(frozen=True, slots=True)
class DefensiveProfile:
    client_id: str
    sessions: tuple[SessionODF, ...]
    months: tuple[MonthODF, ...]
    trend: Trend

    def odf_by_month(self) -> dict[str, float | None]:
        """Month (``YYYY-MM``) -> pooled ODF: the series a chart draws."""
        return {m.month: m.odf for m in self.months}


def _zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def month_of(when: datetime, time_zone: str = "UTC") -> str:
    """``YYYY-MM`` of a moment in the client's own time zone (a late session stays in its month)."""
    return f"{when.astimezone(_zone(time_zone)):%Y-%m}"


def local_date(when: datetime, time_zone: str = "UTC") -> date:
    """The calendar date of a moment in the client's own time zone."""
    return when.astimezone(_zone(time_zone)).date()


def session_odf(store: Store, session: Session, time_zone: str = "UTC") -> SessionODF:
    """The stored ODF of one session, with its level counts recovered from the level shares."""
    summary = store.analysis_summaries(session.id).get("defenses")
    month = month_of(session.starts_at, time_zone)
    day = local_date(session.starts_at, time_zone)
    if not summary:
        return SessionODF(session.id, session.starts_at, month, None, 0, {}, analysed=False, date=day)
    n = int(summary.get("n") or 0)
    counts = {int(level): round(float(share) * n) for level, share in (summary.get("levels") or {}).items()}
    counts = {level: c for level, c in sorted(counts.items()) if c > 0}
    odf = summary.get("odf")
    return SessionODF(session.id, session.starts_at, month, float(odf) if odf is not None else None, n, counts, date=day)


def monthly(sessions: Sequence[SessionODF]) -> tuple[MonthODF, ...]:
    """Per-month aggregates, months in order; only months with an attended session appear."""
    by_month: dict[str, list[SessionODF]] = {}
    for s in sorted(sessions, key=lambda s: s.starts_at):
        by_month.setdefault(s.month, []).append(s)
    out = []
    for month, group in by_month.items():
        counts: Counter[int] = Counter()
        for s in group:
            counts.update(s.level_counts)
        n = sum(counts.values())
        rated = [s.odf for s in group if s.odf is not None]
        pooled = round(sum(level * c for level, c in counts.items()) / n, 3) if n else None
        mean = round(sum(rated) / len(rated), 3) if rated else None
        out.append(MonthODF(month, len(group), sum(s.defenses for s in group), pooled, mean, dict(sorted(counts.items()))))
    return tuple(out)


def defensive_profile(store: Store, client_id: str, *, confidence: float = 0.95) -> DefensiveProfile:
    """ODF per attended session, per month and its trend over time, for one client."""
    case = store.load_case(client_id)
    zone = case.client.time_zone
    attended = sorted((s for s in case.sessions if s.attendance is Attendance.ATTENDED and s.turns), key=lambda s: s.starts_at)
    sessions = tuple(session_odf(store, s, zone) for s in attended)
    return DefensiveProfile(client_id, sessions, monthly(sessions), odf_trend(sessions, confidence=confidence))


def odf_trend(sessions: Sequence[SessionODF], *, confidence: float = 0.95) -> Trend:
    """The slope of session ODF per month, with its CI; "too few to tell" below the minimums."""
    rated = [s for s in sessions if s.odf is not None]
    defenses = sum(s.defenses for s in rated)
    if not rated:
        return Trend(TOO_FEW, None, None, None, confidence, 0, 0, "least squares over sessions",
                     f"too few to tell: no session has a rated defense (needs at least {MIN_SESSIONS} sessions and {MIN_DEFENSES} defenses)")
    start = min(s.starts_at for s in rated)
    xs = [(s.starts_at - start).total_seconds() / 86400 / DAYS_PER_MONTH for s in rated]
    ys = [float(s.odf) for s in rated if s.odf is not None]
    enough = len(rated) >= MIN_SESSIONS and defenses >= MIN_DEFENSES
    short = (
        None
        if enough
        else f"{len(rated)} rated session{'s' if len(rated) != 1 else ''} with {defenses} defense{'s' if defenses != 1 else ''} in all "
        f"(needs at least {MIN_SESSIONS} sessions and {MIN_DEFENSES} defenses)"
    )
    return fit_trend(xs, ys, confidence=confidence, observations=defenses, too_few=short, what="ODF", unit="ODF points per month")


def fit_trend(
    xs: Sequence[float],
    ys: Sequence[float],
    *,
    confidence: float = 0.95,
    observations: int | None = None,
    too_few: str | None = None,
    min_points: int = 3,
    what: str = "value",
    unit: str = "per month",
) -> Trend:
    """Least-squares slope of ``ys`` on ``xs`` with a t-distribution confidence interval.

    Shared by the goal proxies, so every trajectory in Reverie is judged the same way. ``too_few``
    (a reason) forces "too few to tell"; so do fewer than ``min_points`` points (at least three are
    needed for any interval) or ``xs`` that do not vary.
    """
    n = len(xs)
    obs = observations if observations is not None else n
    method = f"least squares over {n} points, {round(confidence * 100)}% CI from the t-distribution of the slope"
    if n != len(ys):
        raise ValueError("xs and ys differ in length")
    x = [float(v) for v in xs]
    y = [float(v) for v in ys]
    mx = sum(x) / n if n else 0.0
    sxx = sum((v - mx) ** 2 for v in x)
    if n < max(3, min_points) or sxx <= 0:
        reason = too_few or f"{n} point{'s' if n != 1 else ''} (needs at least {max(3, min_points)} at different times)"
        slope = None
        if n >= 2 and sxx > 0:
            my = sum(y) / n
            slope = round(sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sxx, 4)
        return Trend(TOO_FEW, slope, None, None, confidence, n, obs, method, f"too few to tell: {reason}")
    my = sum(y) / n
    slope = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sxx
    intercept = my - slope * mx
    residual = sum((b - intercept - slope * a) ** 2 for a, b in zip(x, y, strict=True))
    se = math.sqrt(residual / (n - 2) / sxx)
    half = t_quantile(0.5 + confidence / 2, n - 2) * se
    low, high = slope - half, slope + half
    if too_few is not None:
        direction = TOO_FEW
        text = f"too few to tell: {too_few}; slope {slope:+.2f} {unit} [{low:+.2f}, {high:+.2f}]"
    else:
        direction = RISING if low > 0 else FALLING if high < 0 else NO_CLEAR_TREND
        text = f"{what} {direction}: slope {slope:+.2f} {unit}, {round(confidence * 100)}% CI [{low:+.2f}, {high:+.2f}] over {n} points"
    return Trend(direction, round(slope, 4), round(low, 4), round(high, 4), confidence, n, obs, method, text, round(intercept, 4))


def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (bisection on the CDF)."""
    if not 0.0 < p < 1.0 or df < 1:
        raise ValueError("p must lie in (0, 1) and df be at least 1")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        mid = (low + high) / 2
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
        if high - low < 1e-10:
            break
    return (low + high) / 2


def t_cdf(t: float, df: int) -> float:
    """Student's t CDF through the regularised incomplete beta function."""
    x = df / (df + t * t)
    tail = 0.5 * _betainc(df / 2, 0.5, x)
    return 1.0 - tail if t >= 0 else tail


def _betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b) by Lentz's continued fraction."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x > (a + 1) / (a + b + 2):
        return 1.0 - _betainc(b, a, 1.0 - x)
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)), -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-14:
            break
    return front * h / a


def _shares(counts: dict[int, int]) -> dict[int, float]:
    total = sum(counts.values())
    return {level: round(c / total, 3) for level, c in sorted(counts.items())} if total else {}


@dataclass(frozen=True, slots=True)
class DefenseExample:
    """One defense the lens read, with its evidence, for a report to cite."""

    defense: str
    level: int
    session_id: str
    date: date
    turn: int  # 1-based, as ``reverie show`` lists turns
    quote: str


@dataclass(frozen=True, slots=True)
class ODFPoint:
    """A rated session on the chart: its local date and ODF."""

    session_id: str
    date: date
    odf: float
    defenses: int


@dataclass(frozen=True, slots=True)
class ODFOverTime:
    """What a chart of ODF over time needs: rated sessions, the fitted line and its band.

    ``trend_line`` runs from the first to the last rated session; ``trend_band`` gives, at each
    rated session's date, the confidence band of the fitted line (not of single sessions). Both
    are empty when the trend is "too few to tell", so a chart never draws a line it cannot back.
    """

    profile: DefensiveProfile
    sessions: tuple[ODFPoint, ...]
    trend_line: tuple[tuple[date, float], ...]
    trend_band: tuple[tuple[date, float, float], ...]
    examples: tuple[DefenseExample, ...]

    @property
    def trend(self) -> Trend:
        return self.profile.trend

    @property
    def summary(self) -> str:
        return self.profile.trend.summary


def odf_over_time(store: Store, client_id: str, *, confidence: float = 0.95, examples_per_end: int = 3) -> ODFOverTime:
    """The defensive profile shaped for a chart, with defense examples from the earliest and latest sessions."""
    profile = defensive_profile(store, client_id, confidence=confidence)
    rated = tuple(s for s in profile.sessions if s.odf is not None and s.date is not None)
    points = tuple(ODFPoint(s.session_id, s.date, s.odf, s.defenses) for s in rated if s.date is not None and s.odf is not None)
    trend = profile.trend
    line: tuple[tuple[date, float], ...] = ()
    band: tuple[tuple[date, float, float], ...] = ()
    if rated and trend.direction != TOO_FEW and trend.slope_per_month is not None and trend.intercept is not None:
        start = rated[0].starts_at
        xs = [(s.starts_at - start).total_seconds() / 86400 / DAYS_PER_MONTH for s in rated]
        ys = [float(s.odf) for s in rated if s.odf is not None]
        n, mx = len(xs), sum(xs) / len(xs)
        sxx = sum((x - mx) ** 2 for x in xs)
        fitted = [trend.intercept + trend.slope_per_month * x for x in xs]
        sd = math.sqrt(sum((y - f) ** 2 for y, f in zip(ys, fitted, strict=True)) / (n - 2))
        q = t_quantile(0.5 + confidence / 2, n - 2)
        line = ((points[0].date, round(fitted[0], 3)), (points[-1].date, round(fitted[-1], 3)))
        band = tuple(
            (p.date, round(f - q * sd * math.sqrt(1 / n + (x - mx) ** 2 / sxx), 3), round(f + q * sd * math.sqrt(1 / n + (x - mx) ** 2 / sxx), 3))
            for p, x, f in zip(points, xs, fitted, strict=True)
        )
    return ODFOverTime(profile, points, line, band, _examples(store, rated, examples_per_end))


def _examples(store: Store, rated: Sequence[SessionODF], per_end: int) -> tuple[DefenseExample, ...]:
    """The most confident defenses of the earliest sessions, then of the latest ones."""
    out: list[DefenseExample] = []
    ends = (list(rated), list(reversed(rated)))
    for k, order in enumerate(ends):
        found: list[DefenseExample] = []
        for s in order:
            if len(found) >= per_end or s.date is None:
                break
            case_turns = {s.session_id: store.get_session(s.session_id).turns}
            chosen = sorted((a for a in store.load_annotations(s.session_id) if a.analyzer == "defenses"), key=lambda a: -a.confidence)
            for a in chosen[: per_end - len(found)]:
                span = a.evidence[-1]
                text = case_turns[s.session_id][span.turn].text[span.start : span.end]
                found.append(DefenseExample(a.label, int(a.detail.get("level", 0)), s.session_id, s.date, span.turn + 1, " ".join(text.split())))
        out.extend(found if k == 0 else reversed(found))
    seen: set[tuple[str, int, str]] = set()
    unique = []
    for e in out:
        if (e.session_id, e.turn, e.defense) not in seen:
            seen.add((e.session_id, e.turn, e.defense))
            unique.append(e)
    return tuple(unique)
