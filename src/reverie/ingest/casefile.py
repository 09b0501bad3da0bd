"""A case folder: ``case.yaml`` naming a client's sessions, journal and measures.

This is how the demo case is shipped, and how a clinician can bring a whole existing caseload in
one step. The manifest is documented in docs/formats.md.
"""

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from reverie.errors import ReverieError
from reverie.ingest.journal import read_journal
from reverie.ingest.source import read_source
from reverie.ingest.speakers import SpeakerMap
from reverie.ingest.transcript import localize, parse_when, read_session
from reverie.record import (
    Attendance,
    CancelledBy,
    CaseRecord,
    Client,
    Clinician,
    Consent,
    ConsentScope,
    MeasureResponse,
    Session,
)
from reverie.record.instruments import INSTRUMENTS

_SESSION_KEYS = {"file", "starts", "planned_minutes", "minutes_late", "attendance", "cancelled_by", "notice_hours"}


def read_case(manifest: Path) -> CaseRecord:
    source = read_source(manifest)
    folder = manifest.parent

    def fail(where: str, problem: str, fix: str) -> ReverieError:
        return ReverieError("R218", f"{where}: {problem}", fix, path=manifest)

    try:
        doc = yaml.safe_load(source.text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ReverieError("R218", f"invalid YAML: {getattr(exc, 'problem', exc)}", "fix the YAML syntax there", path=manifest, line=mark.line + 1 if mark else None) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("client"), dict):
        raise fail("client", "missing", "start the manifest with a 'client:' mapping (pseudonym, locale, time_zone)")
    c = doc["client"]
    clinician = _clinician(doc.get("clinician"), fail)
    try:
        client = Client(
            pseudonym=str(c.get("pseudonym", "")),
            locale=str(c.get("locale", "en-GB")),
            time_zone=str(c.get("time_zone", "Europe/London")),
            clinician_id=clinician.id if clinician else None,
        )
        if c.get("id"):
            client = replace(client, id=str(c["id"]))
    except ValueError as exc:
        raise fail("client", str(exc), "give the client a pseudonym") from None
    speakers = SpeakerMap.parse(f"{k}={v}" for k, v in (doc.get("speakers") or {}).items())

    sessions: list[Session] = []
    for i, s in enumerate(doc.get("sessions") or []):
        where = f"sessions[{i}]"
        if not isinstance(s, dict) or set(s) - _SESSION_KEYS:
            raise fail(where, f"unknown keys {sorted(set(s) - _SESSION_KEYS) if isinstance(s, dict) else s!r}", f"use only {', '.join(sorted(_SESSION_KEYS))}")
        starts = _when(s.get("starts"), f"{manifest}: {where}.starts")
        attendance = _enum(Attendance, s.get("attendance", "attended"), fail, f"{where}.attendance")
        if attendance is Attendance.ATTENDED:
            if not s.get("file"):
                raise fail(where, "an attended session needs its transcript 'file'", "add file: sessions/NAME.txt")
            sessions.append(read_session(
                folder / str(s["file"]),
                client,
                speakers,
                date=starts,
                planned_minutes=int(s.get("planned_minutes", 50)),
                minutes_late=int(s.get("minutes_late", 0)),
            ))
            continue
        try:
            sessions.append(Session(
                client_id=client.id,
                starts_at=localize(starts, client.time_zone),
                planned_minutes=int(s.get("planned_minutes", 50)),
                attendance=attendance,
                cancelled_by=_enum(CancelledBy, s["cancelled_by"], fail, f"{where}.cancelled_by") if s.get("cancelled_by") else None,
                notice_hours=float(s["notice_hours"]) if s.get("notice_hours") is not None else None,
            ))
        except ValueError as exc:
            raise fail(where, str(exc), "see docs/formats.md for cancelled and no-show sessions") from None

    journal = []
    if doc.get("journal"):
        journal_dir = folder / str(doc["journal"])
        journal = [read_journal(p, client) for p in sorted(journal_dir.glob("*.md"))]

    measures = []
    for i, m in enumerate(doc.get("measures") or []):
        where = f"measures[{i}]"
        name = str(m.get("instrument", ""))
        answers = m.get("answers")
        problem = answer_problem(name, answers)
        if problem is not None:
            raise ReverieError("R219", f"{where}: {problem}", "correct the instrument name or the answers", path=manifest)
        measures.append(MeasureResponse(client.id, name, tuple(answers), localize(_when(m.get("taken"), f"{manifest}: {where}.taken"), client.time_zone)))

    consents = []
    for i, k in enumerate(doc.get("consents") or []):
        where = f"consents[{i}]"
        consents.append(Consent(
            client.id,
            _enum(ConsentScope, k.get("scope"), fail, f"{where}.scope"),
            bool(k.get("granted")),
            localize(_when(k.get("decided"), f"{manifest}: {where}.decided"), client.time_zone),
            str(k.get("note", "")),
        ))
    return CaseRecord(client, clinician, tuple(sessions), tuple(journal), tuple(measures), tuple(consents))


def answer_problem(name: str, answers: Any) -> str | None:
    """Why these answers cannot belong to the instrument (wrong count, out of range), or None."""
    shape = INSTRUMENTS.get(name)
    if shape is None:
        return f"instrument {name!r} is unknown; use one of {', '.join(INSTRUMENTS)}"
    ok = isinstance(answers, list | tuple) and len(answers) == shape.items and all(
        a is None or (isinstance(a, int) and not isinstance(a, bool) and shape.min_answer <= a <= shape.max_answer)
        for a in answers
    )
    if ok:
        return None
    return f"{name} needs {shape.items} answers from {shape.min_answer} to {shape.max_answer} (null for a skipped item)"


def _clinician(value: Any, fail: Any) -> Clinician | None:
    """``clinician: Dr Hart`` or, to share one clinician between case folders, ``{id, name}``."""
    if not value:
        return None
    if isinstance(value, dict):
        if not value.get("name"):
            raise fail("clinician", "a clinician needs a name", "write clinician: {id: t-..., name: ...}")
        return Clinician(name=str(value["name"]), **({"id": str(value["id"])} if value.get("id") else {}))
    return Clinician(name=str(value))


def _when(value: Any, where: str) -> datetime:
    if isinstance(value, datetime):
        return value
    if value is None:
        raise ReverieError("R214", f"{where}: missing", "write it as 2026-01-08T17:00")
    return parse_when(str(value), where=where)


def _enum(kind: Any, value: Any, fail: Any, where: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise fail(where, f"{value!r} is not one of {', '.join(m.value for m in kind)}", "correct the value") from None
