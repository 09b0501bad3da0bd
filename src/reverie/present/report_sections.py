"""The sections of the clinician's report, each from one part of `reverie.insight`.

A section returns its (anchor, heading) for the contents, or None when the client has no data for
it (a report for a client with measures only has no defense section, rather than an empty chart).
"""

from collections import defaultdict
from zoneinfo import ZoneInfo

from reverie.present import charts
from reverie.present.report import Cite, Page, Section, esc
from reverie.store import Store


def measures(store: Store, client_id: str, page: Page, zone: ZoneInfo) -> tuple[str, str] | None:
    """Symptoms: each questionnaire over time on its severity bands, with reliable change."""
    from reverie.insight.measures import trajectory

    points = trajectory(store.load_case(client_id).measures)
    if not points:
        return None
    by_instrument = defaultdict(list)
    for p in points:
        by_instrument[p.instrument.name].append(p)
    body = []
    rows = []
    for name, series in by_instrument.items():
        inst = series[0].instrument
        scored = [(p.response.taken_at.astimezone(zone).date(), float(p.score.total)) for p in series if p.score.total is not None]
        if scored:
            body.append(page.chart(charts.measure_chart(name, inst.title, scored, inst.max_total), f"{inst.title}: totals with severity bands."))
        last = series[-1]
        change = last.from_first
        rows.append(
            f"<tr><td>{esc(inst.title)}</td><td>{len(series)}</td><td>{esc(series[0].score.total)} ({esc(series[0].score.band)})</td>"
            f"<td>{esc(last.score.total)} ({esc(last.score.band)})</td><td>{esc(change.verdict) if change else '-'}</td>"
            f"<td>{esc(f'{change.rci:+.2f}') if change else '-'}</td></tr>"
        )
    risk = [p for p in points if p.score.risk_item_positive]
    flagged = (
        f"<p><strong>PHQ-9 item 9</strong> (thoughts of being better off dead or of self-harm) was answered above 0 on "
        f"{', '.join(esc(p.response.taken_at.astimezone(zone).date().isoformat()) for p in risk)}; each created a risk event (<code>reverie risk list</code>).</p>"
        if risk
        else ""
    )
    body.insert(
        0,
        "<table><tr><th>measure</th><th>forms</th><th>first (band)</th><th>latest (band)</th><th>change since the first</th><th>RCI</th></tr>"
        + "".join(rows)
        + "</table>"
        + flagged
        + '<p class="small">Reliable change after Jacobson &amp; Truax (1991): |RCI| &gt; 1.96; constants and sources in the README.</p>',
    )
    page.section("Symptoms (questionnaires)", "".join(body), "symptoms")
    return "symptoms", "Symptoms (questionnaires)"


def defensive_functioning(store: Store, client_id: str, page: Page, zone: ZoneInfo) -> tuple[str, str] | None:
    """Overall Defensive Functioning per session, its trend and how sure the trend is."""
    from reverie.insight.defensive import odf_over_time

    result = odf_over_time(store, client_id)
    if not result.sessions:
        return None
    sessions = [(s.date, s.odf) for s in result.sessions]
    trend = [(d, v) for d, v in result.trend_line] if result.trend_line else None
    band = [(d, lo, hi) for d, lo, hi in result.trend_band] if result.trend_band else None
    body = [page.chart(charts.odf_chart(sessions, trend, band), "ODF per session from the defenses the lens found (Perry's DMRS, 1 to 7); dashed: the least-squares trend.")]
    body.append(f'<p class="hypothesis">{esc(result.summary)}</p>')
    examples = "".join(
        f"<li>{esc(e.defense.replace('_', ' '))} (level {esc(e.level)}){page.cite(Cite(e.session_id, e.date, e.quote, e.turn))}</li>" for e in result.examples[:6]
    )
    if examples:
        body.append(f"<p>Examples the lens read, earliest and latest:</p><ul>{examples}</ul>")
    page.section("Defensive functioning over time", "".join(body), "defenses")
    return "defenses", "Defensive functioning over time"


_KIND_NAMES = {"wish": "Wish (W)", "response_of_other": "Response of other (RO)", "response_of_self": "Response of self (RS)"}


def ccrt(store: Store, client_id: str, page: Page, zone: ZoneInfo) -> tuple[str, str] | None:
    """The Core Conflictual Relationship Theme: the most frequent W, RO and RS, per period and person."""
    from reverie.insight.ccrt import KINDS, ccrt_for_client

    found = ccrt_for_client(store, client_id)
    if not found.episodes:
        return None
    overall = found.overall
    rows = []
    for kind in KINDS:
        ranked = overall.ranked(kind)[:3]
        cells = []
        for c in ranked:
            example = c.evidence[0] if c.evidence else None
            cited = page.cite(Cite(example.session_id, example.date, example.quote, example.turn + 1)) if example else ""
            cells.append(f"{esc(c.cluster)} <span class='small'>({c.pervasiveness:.0%})</span>{cited}")
        rows.append(f"<tr><th>{esc(_KIND_NAMES[kind])}</th>{''.join(f'<td>{c}</td>' for c in cells)}</tr>")
    table = (
        f"<p>{len(found.episodes)} relationship episodes (the client's stories of an interaction with someone) were read and rated "
        "in Luborsky's standard clusters. The theme is the most frequent cluster of each component; the share is its pervasiveness "
        "(the share of episodes showing it).</p>"
        "<table><tr><th>component</th><th>first</th><th>second</th><th>third</th></tr>" + "".join(rows) + "</table>"
    )
    periods = {name: profile for name, profile in found.by_period.items() if profile.episodes}
    body = [table]
    if len(periods) >= 2:
        for kind in ("response_of_self", "response_of_other"):
            labels = [c.cluster for c in overall.ranked(kind)[:5]]
            groups = {f"{name} ({profile.episodes} episodes)": [(label, profile.share(kind, label)) for label in labels] for name, profile in periods.items()}
            body.append(page.chart(charts.bars(f"{_KIND_NAMES[kind]} by third of the therapy", groups, axis="share of episodes"), "Early, middle and late thirds by session date: how the responses move."))
        negative = [(name, profile.negative_share("response_of_self")) for name, profile in periods.items()]
        shares = ", ".join(f"{esc(name)} {share:.0%}" for name, share in negative if share is not None)
        body.append(f'<p class="hypothesis">Share of the client\'s own responses rated negative, by period: {shares}. In good outcomes this share falls.</p>')
    people = sorted(((name, p) for name, p in found.by_person.items() if name not in ("therapist", "other")), key=lambda kv: -kv[1].episodes)[:6]
    if people:
        person_rows = "".join(
            f"<tr><td>{esc(name)}</td><td>{p.episodes}</td><td>{esc(', '.join(p.top('wish')) or '-')}</td><td>{esc(', '.join(p.top('response_of_other')) or '-')}</td><td>{esc(', '.join(p.top('response_of_self')) or '-')}</td></tr>"
            for name, p in people
        )
        body.append("<p>Per person (the most frequent of each component):</p><table><tr><th>person</th><th>episodes</th><th>W</th><th>RO</th><th>RS</th></tr>" + person_rows + "</table>")
    page.section("Core Conflictual Relationship Theme", "".join(body), "ccrt")
    return "ccrt", "Core Conflictual Relationship Theme"


def themes(store: Store, client_id: str, page: Page, zone: ZoneInfo) -> tuple[str, str] | None:
    """Recurring themes: a month by theme heatmap, when each was first and last seen, and where it was left."""
    from reverie.insight.themes import theme_map

    found = theme_map(store, client_id)
    if not found.themes:
        return None
    shown = [t for t in found.themes if t.recurring][:10]
    names = [t.domain.replace("_", " ") for t in shown]
    index = {t.domain: k for k, t in enumerate(found.themes)}
    matrix = [[row[index[t.domain]] for t in shown] for row in found.matrix]
    body = [page.chart(charts.heatmap("Themes by month (client turns)", list(found.months), names, matrix, colour_title="turns"), "Life domains the themes lens read in the client's turns, counted per month.")]
    rows = []
    for t in shown:
        example = t.examples[0] if t.examples else None
        cited = page.cite(Cite(example.session_id, example.date, example.quote, example.turn)) if example else ""
        sub = ", ".join(st.phrase for st in t.subthemes[:4])
        rows.append(
            f"<tr><td>{esc(t.domain.replace('_', ' '))}{cited}</td><td>{esc(sub or '-')}</td><td>{t.sessions}</td><td>{esc(t.first_seen.isoformat())}</td>"
            f"<td>{esc(t.last_seen.isoformat())}</td><td>{len(t.departures)}</td></tr>"
        )
    body.append("<table><tr><th>theme</th><th>key phrases</th><th>sessions</th><th>first seen</th><th>last seen</th><th>approached and left</th></tr>" + "".join(rows) + "</table>")
    left = found.departures[:6]
    if left:
        items = "".join(
            f"<li>{esc(d.date.isoformat())}: {esc(d.domain.replace('_', ' '))} approached"
            f"{page.cite(Cite(d.session_id, d.date, d.approached.quote, d.approached.turn, 'therapist' if d.by_therapist else 'client'))}, "
            f"then left{page.cite(Cite(d.session_id, d.date, d.shift.quote, d.shift.turn))}</li>"
            for d in left
        )
        body.append(f"<p>Moments a theme was approached and then left with a change of topic (a resistance marker; worth returning to):</p><ul>{items}</ul>")
    page.section("Recurring themes", "".join(body), "themes")
    return "themes", "Recurring themes"


def people(store: Store, client_id: str, page: Page, zone: ZoneInfo) -> tuple[str, str] | None:
    """The people in the client's world and the feelings the client attached to each."""
    case = store.load_case(client_id)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    mentions: dict[str, int] = defaultdict(int)
    for session in case.sessions:
        if not session.turns:
            continue
        for a in store.load_annotations(session.id):
            if a.lens != "relationships" or a.label == "therapist":
                continue
            span = a.detail.get("name_span")
            turn = session.turns[a.evidence[0].turn].text
            who = turn[span[0] : span[1]] if isinstance(span, list) and len(span) == 2 else a.label.replace("_", " ")
            who = who if who[:1].isupper() else a.label.replace("_", " ")
            mentions[who] += 1
            feeling = a.detail.get("feeling")
            if feeling:
                counts[who][str(feeling)] += 1
    if not counts:
        return None
    people_shown = sorted(counts, key=lambda w: -mentions[w])[:10]
    feelings = sorted({f for w in people_shown for f in counts[w]})
    values = [[counts[w].get(f, 0) for f in feelings] for w in people_shown]
    body = page.chart(
        charts.heatmap("People and the feelings attached to them", people_shown, feelings, values, colour_title="mentions"),
        "Feelings the people lens found in the same sentence as each person (the therapist is left out: see the relationship lens).",
    )
    page.section("People and feelings", body + f'<p class="small">{sum(mentions.values())} mentions of people read across the sessions.</p>', "people")
    return "people", "People and feelings"


def goals(store: Store, client_id: str, page: Page, zone: ZoneInfo) -> tuple[str, str] | None:
    """The six goals of psychodynamic therapy, each through a labelled, honest proxy."""
    from reverie.insight.goals import goal_report

    report = goal_report(store, client_id)
    if not report.proxies:
        return None
    rows = []
    body = []
    for proxy in report.proxies:
        present = [(m, v) for m, v in zip(proxy.months, proxy.values, strict=True) if v is not None]
        first = f"{present[0][1]:.2f}" if present else "-"
        last = f"{present[-1][1]:.2f}" if present else "-"
        verdict = {True: "improving", False: "worsening", None: "no clear direction"}[proxy.improving]
        rows.append(f"<tr><td>{esc(proxy.label)}</td><td>{esc(proxy.measures)}</td><td>{first} → {last} {esc(proxy.unit)}</td><td>{esc(proxy.direction)} ({verdict})</td><td class='small'>{esc(proxy.caveat)}</td></tr>")
        if proxy.name not in ("phq9_total", "gad7_total", "odf") and len(present) >= 2:
            body.append(page.chart(charts.lines(proxy.label, {proxy.name.replace("_", " "): present}, axis=proxy.unit, height=240), proxy.measures))
    table = "<table><tr><th>goal (proxy)</th><th>what is counted</th><th>first → last month</th><th>trend</th><th>why it is only a proxy</th></tr>" + "".join(rows) + "</table>"
    notes = "".join(f"<li>{esc(n)}</li>" for n in report.notes)
    page.section(
        "The goals of psychodynamic therapy (proxies)",
        '<p class="hypothesis">Each goal is followed through something software can count; none of them is the goal itself.</p>' + table + (f"<ul class='small'>{notes}</ul>" if notes else "") + "".join(body),
        "goals",
    )
    return "goals", "The goals of psychodynamic therapy (proxies)"


SECTIONS: tuple[Section, ...] = (measures, defensive_functioning, ccrt, themes, people, goals)
