"""Running the listening engine over a client's record and keeping the results.

A document (a session or a journal entry) is analysed again only when an analyzer's version
differs from the one stored with its results, or when ``force`` is set. Documents are read in
the order they were written, so names a client introduced earlier resolve later mentions; a
document already up to date is not re-read when a later one teaches a new name. Turn vectors are cached
per session, so a changed lens does not re-encode the transcript.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from reverie.analysis.document import Document
from reverie.analysis.embed import DIMENSIONS, MODEL_ID
from reverie.analysis.people import People, resolve_names
from reverie.analysis.pipeline import Pipeline
from reverie.record import Attendance, JournalKind, RiskEvent, RiskSource, Speaker, Turn
from reverie.store import Store


@dataclass
class AnalysisReport:
    analysed: int = 0
    up_to_date: int = 0
    annotations: int = 0
    turns: int = 0
    risk_events: int = 0


def risk_events(client_id: str, document_id: str, doc: Document) -> list[RiskEvent]:
    """Every finding of ideation or above, and every harm flag, as an event for the clinician."""
    source = RiskSource.SESSION if doc.session is not None else RiskSource.JOURNAL
    when = doc.session.starts_at if doc.session is not None else datetime.now(UTC)
    events = []
    for a in doc.found("risk"):
        flags = tuple(a.detail.get("flags", ()))
        if a.label in ("ideation", "behavior", "attempt") or a.label in ("harm_to_others", "abuse"):
            level = a.label if a.label in ("ideation", "behavior", "attempt") else "none"
            span = a.evidence[0]
            events.append(RiskEvent(client_id, level, source, document_id, when, flags=flags or ((a.label,) if level == "none" else ()), turn=span.turn + 1, evidence=((span.start, span.end),), reason=str(a.detail.get("reason", ""))))
    return events


def analyze_client(
    store: Store,
    client_id: str,
    pipeline: Pipeline,
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> AnalysisReport:
    versions = pipeline.versions
    report = AnalysisReport()
    case = store.load_case(client_id)
    documents: list[tuple[str, Document]] = []
    for session in case.sessions:
        if session.attendance is Attendance.ATTENDED and not session.turns:
            continue
        documents.append((session.id, Document(session.turns, session=session)))
    dated = [(s.starts_at, s.id) for s in case.sessions]
    for entry in case.journal:
        if entry.kind is JournalKind.COUNTERTRANSFERENCE:
            continue  # the therapist's own notes are not read as the client's speech
        documents.append((entry.id, Document((Turn(Speaker.CLIENT, entry.text),))))
        dated.append((entry.written_at, entry.id))
    order = {document_id: n for n, (_, document_id) in enumerate(sorted(dated))}
    documents.sort(key=lambda item: order[item[0]])
    # Names learnt in earlier documents ("my sister Anna") resolve later ones ("Anna called").
    people = next((a for a in pipeline.analyzers if isinstance(a, People)), None)
    names: dict[str, str] = {}
    for done, (document_id, doc) in enumerate(documents, start=1):
        if people is not None:
            people.known = dict(names)
            names.update(resolve_names(doc, names))
        if not force and store.analysis_versions(document_id) == versions:
            report.up_to_date += 1
        else:
            is_session = doc.session is not None
            if is_session and doc.turns:
                doc.vectors = store.load_vectors(document_id, MODEL_ID, DIMENSIONS)
            cached = doc.vectors is not None
            doc = pipeline(doc)
            if is_session and doc.turns and not cached and doc.vectors is not None:
                store.save_vectors(document_id, MODEL_ID, doc.vectors)
            summaries = {name: value for name, value in doc.summary.items() if name in versions}
            store.save_analysis(client_id, document_id, versions, doc.annotations, summaries)
            report.risk_events += store.add_risk_events(risk_events(client_id, document_id, doc))
            report.analysed += 1
            report.annotations += len(doc.annotations)
            report.turns += len(doc.turns)
        if progress is not None:
            progress(done, len(documents))
    return report
