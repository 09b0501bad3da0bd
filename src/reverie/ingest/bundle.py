"""The complete export of one client (schema ``case/1``, documented in docs/formats.md).

One module owns both directions so that what ``reverie export`` writes is exactly what
``reverie import`` reads back, field for field.
"""

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from reverie.errors import ReverieError
from reverie.ingest.jsontranscript import load_json
from reverie.ingest.source import SourceText, read_source
from reverie.record import (
    Attendance,
    CancelledBy,
    CaseRecord,
    Client,
    Clinician,
    Consent,
    ConsentScope,
    JournalEntry,
    JournalKind,
    MeasureResponse,
    Session,
    Speaker,
    Turn,
)

CASE_FORMAT = "case/1"
T = TypeVar("T")


def dump_case(case: CaseRecord) -> dict[str, Any]:
    c = case.client
    return {
        "reverie": CASE_FORMAT,
        "client": {
            "id": c.id,
            "pseudonym": c.pseudonym,
            "locale": c.locale,
            "time_zone": c.time_zone,
            "clinician_id": c.clinician_id,
            "created_at": c.created_at.isoformat(),
        },
        "clinician": None if case.clinician is None else {"id": case.clinician.id, "name": case.clinician.name},
        "sessions": [
            {
                "id": s.id,
                "starts_at": s.starts_at.isoformat(),
                "planned_minutes": s.planned_minutes,
                "actual_minutes": s.actual_minutes,
                "attendance": s.attendance.value,
                "cancelled_by": s.cancelled_by.value if s.cancelled_by else None,
                "notice_hours": s.notice_hours,
                "minutes_late": s.minutes_late,
                "source": s.source,
                "source_sha256": s.source_sha256,
                "turns": [
                    {"speaker": t.speaker.value, "text": t.text, "start_ms": t.start_ms, "end_ms": t.end_ms}
                    for t in s.turns
                ],
            }
            for s in case.sessions
        ],
        "journal": [
            {
                "id": j.id,
                "kind": j.kind.value,
                "written_at": j.written_at.isoformat(),
                "shared_with_therapist": j.shared_with_therapist,
                "title": j.title,
                "source": j.source,
                "text": j.text,
            }
            for j in case.journal
        ],
        "measures": [
            {"id": m.id, "instrument": m.instrument, "taken_at": m.taken_at.isoformat(), "answers": list(m.answers)}
            for m in case.measures
        ],
        "consents": [
            {"id": k.id, "scope": k.scope.value, "granted": k.granted, "decided_at": k.decided_at.isoformat(), "note": k.note}
            for k in case.consents
        ],
    }


def is_case_file(path: Path) -> bool:
    """True for a ``case/1`` export; cheap enough to ask of any .json file before importing it."""
    if path.suffix.lower() != ".json":
        return False
    try:
        head = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    return f'"{CASE_FORMAT}"' in head


def load_case(path: Path) -> CaseRecord:
    source = read_source(path)
    doc = load_json(source)
    return case_from_dict(source, doc)


def case_from_dict(source: SourceText, doc: Any) -> CaseRecord:
    r = _Reader(source)
    if not isinstance(doc, dict) or doc.get("reverie") != CASE_FORMAT:
        raise r.fail("reverie", f'expected "{CASE_FORMAT}"', "import a file written by 'reverie export'")
    cl = r.obj(doc, "client")
    client = r.build("client", lambda: Client(
        id=r.text(cl, "id", "client"),
        pseudonym=r.text(cl, "pseudonym", "client"),
        locale=r.text(cl, "locale", "client"),
        time_zone=r.text(cl, "time_zone", "client"),
        clinician_id=r.opt_text(cl, "clinician_id", "client"),
        created_at=r.when(cl, "created_at", "client"),
    ))
    clinician = None
    if doc.get("clinician") is not None:
        cd = r.obj(doc, "clinician")
        clinician = r.build("clinician", lambda: Clinician(id=r.text(cd, "id", "clinician"), name=r.text(cd, "name", "clinician")))
    sessions = [r.build(f"sessions[{i}]", partial(r.session, s, f"sessions[{i}]", client.id)) for i, s in enumerate(r.items(doc, "sessions"))]
    journal = [r.build(f"journal[{i}]", partial(r.journal_entry, j, f"journal[{i}]", client.id)) for i, j in enumerate(r.items(doc, "journal"))]
    measures = [r.build(f"measures[{i}]", partial(r.measure, m, f"measures[{i}]", client.id)) for i, m in enumerate(r.items(doc, "measures"))]
    consents = [r.build(f"consents[{i}]", partial(r.consent, k, f"consents[{i}]", client.id)) for i, k in enumerate(r.items(doc, "consents"))]
    return r.build("case", lambda: CaseRecord(client, clinician, tuple(sessions), tuple(journal), tuple(measures), tuple(consents)))


class _Reader:
    """Typed access to a JSON document, failing with the JSON path of the first bad field."""

    def __init__(self, source: SourceText) -> None:
        self.source = source

    def fail(self, where: str, problem: str, fix: str = "compare it with docs/formats.md") -> ReverieError:
        return self.source.error("R210", None, f"{where}: {problem}", fix)

    def build(self, where: str, make: Callable[[], T]) -> T:
        try:
            return make()
        except ValueError as exc:
            raise self.fail(where, str(exc)) from None

    def session(self, s: dict[str, Any], w: str, client_id: str) -> Session:
        turns = tuple(self.build(f"{w}.turns[{k}]", partial(self.turn, t, f"{w}.turns[{k}]")) for k, t in enumerate(self.items(s, "turns", w)))
        return Session(
            id=self.text(s, "id", w),
            client_id=client_id,
            starts_at=self.when(s, "starts_at", w),
            planned_minutes=self.int_(s, "planned_minutes", w),
            actual_minutes=self.opt_int(s, "actual_minutes", w),
            attendance=self.enum(Attendance, s, "attendance", w),
            cancelled_by=self.enum(CancelledBy, s, "cancelled_by", w) if s.get("cancelled_by") is not None else None,
            notice_hours=self.opt_float(s, "notice_hours", w),
            minutes_late=self.int_(s, "minutes_late", w),
            source=self.opt_text(s, "source", w),
            source_sha256=self.opt_text(s, "source_sha256", w),
            turns=turns,
        )

    def turn(self, t: dict[str, Any], w: str) -> Turn:
        return Turn(
            speaker=self.enum(Speaker, t, "speaker", w),
            text=self.text(t, "text", w),
            start_ms=self.opt_int(t, "start_ms", w),
            end_ms=self.opt_int(t, "end_ms", w),
        )

    def journal_entry(self, j: dict[str, Any], w: str, client_id: str) -> JournalEntry:
        return JournalEntry(
            id=self.text(j, "id", w),
            client_id=client_id,
            kind=self.enum(JournalKind, j, "kind", w),
            written_at=self.when(j, "written_at", w),
            text=self.text(j, "text", w),
            shared_with_therapist=self.bool_(j, "shared_with_therapist", w),
            title=self.opt_text(j, "title", w),
            source=self.opt_text(j, "source", w),
        )

    def measure(self, m: dict[str, Any], w: str, client_id: str) -> MeasureResponse:
        return MeasureResponse(
            id=self.text(m, "id", w), client_id=client_id, instrument=self.text(m, "instrument", w), taken_at=self.when(m, "taken_at", w), answers=self.answers(m, w)
        )

    def consent(self, k: dict[str, Any], w: str, client_id: str) -> Consent:
        return Consent(
            id=self.text(k, "id", w),
            client_id=client_id,
            scope=self.enum(ConsentScope, k, "scope", w),
            granted=self.bool_(k, "granted", w),
            decided_at=self.when(k, "decided_at", w),
            note=self.text(k, "note", w, allow_empty=True),
        )

    def obj(self, doc: dict[str, Any], key: str) -> dict[str, Any]:
        value = doc.get(key)
        if not isinstance(value, dict):
            raise self.fail(key, "missing or not an object")
        return value

    def items(self, doc: dict[str, Any], key: str, where: str = "") -> list[dict[str, Any]]:
        value = doc.get(key, [])
        path = f"{where}.{key}" if where else key
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(path, "is not a list of objects")
        return value

    def text(self, doc: dict[str, Any], key: str, where: str, *, allow_empty: bool = False) -> str:
        value = doc.get(key)
        if not isinstance(value, str) or (not allow_empty and not value):
            raise self.fail(f"{where}.{key}", "missing or not a string")
        return value

    def opt_text(self, doc: dict[str, Any], key: str, where: str) -> str | None:
        return None if doc.get(key) is None else self.text(doc, key, where)

    def int_(self, doc: dict[str, Any], key: str, where: str) -> int:
        value = doc.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"{where}.{key}", "missing or not a whole number")
        return value

    def opt_int(self, doc: dict[str, Any], key: str, where: str) -> int | None:
        return None if doc.get(key) is None else self.int_(doc, key, where)

    def opt_float(self, doc: dict[str, Any], key: str, where: str) -> float | None:
        value = doc.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{where}.{key}", "not a number")
        return float(value)

    def bool_(self, doc: dict[str, Any], key: str, where: str) -> bool:
        value = doc.get(key)
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", "missing or not true/false")
        return value

    def when(self, doc: dict[str, Any], key: str, where: str) -> datetime:
        raw = self.text(doc, key, where)
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise self.fail(f"{where}.{key}", f"{raw!r} is not an ISO 8601 time") from None
        if value.tzinfo is None:
            raise self.fail(f"{where}.{key}", f"{raw!r} has no UTC offset", "write it with an offset, e.g. 2026-01-08T17:00:00+00:00")
        return value

    def enum(self, kind: type[Any], doc: dict[str, Any], key: str, where: str) -> Any:
        raw = doc.get(key)
        try:
            return kind(raw)
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            raise self.fail(f"{where}.{key}", f"{raw!r} is not one of {allowed}") from None

    def answers(self, doc: dict[str, Any], where: str) -> tuple[int | None, ...]:
        value = doc.get("answers")
        if not isinstance(value, list) or not all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in value):
            raise self.fail(f"{where}.answers", "not a list of whole numbers or nulls")
        return tuple(value)
