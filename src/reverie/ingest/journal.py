"""Journal entries as Markdown or text, with an optional front matter::

    ---
    date: 2026-01-12
    kind: free-association
    shared: false
    ---
    What came to mind...
"""

from datetime import UTC, datetime
from pathlib import Path

from reverie.errors import ReverieError
from reverie.ingest.source import SourceText, read_source
from reverie.ingest.transcript import localize, parse_when
from reverie.record import Client, JournalEntry, JournalKind

_KEYS = {"date", "kind", "shared", "title"}
_TRUE, _FALSE = {"true", "yes", "on"}, {"false", "no", "off"}


def read_journal(
    path: Path,
    client: Client,
    *,
    kind: JournalKind | None = None,
    shared: bool | None = None,
    date: datetime | None = None,
) -> JournalEntry:
    """Options given here win over the front matter, except that a contradiction is an error."""
    source = read_source(path)
    front, body, body_line = _split(source)
    if "kind" in front:
        value, line = front["kind"]
        try:
            file_kind = JournalKind(value)
        except ValueError:
            raise source.error("R212", line, f"kind {value!r} is unknown", f"use one of {', '.join(k.value for k in JournalKind)}") from None
        if kind is not None and kind is not file_kind:
            raise source.error("R212", line, f"the file says kind {file_kind.value} but --kind says {kind.value}", "drop --kind or correct the file")
        kind = file_kind
    if kind is None:
        raise source.error("R212", None, "the entry's kind is not given", "pass --kind (free-association, dream, reflection, countertransference) or add 'kind:' to the front matter")
    if "shared" in front:
        value, line = front["shared"]
        if value.lower() not in _TRUE | _FALSE:
            raise source.error("R211", line, f"shared: {value!r} is not true or false", "write shared: true or shared: false")
        if shared is None:
            shared = value.lower() in _TRUE
    if "date" in front and date is None:
        value, line = front["date"]
        try:
            date = parse_when(value)
        except ReverieError as exc:
            raise source.error("R214", line, exc.problem, exc.fix) from None
    if not body.strip():
        raise source.error("R204", body_line, "the entry has no text after its front matter", "write the entry below the closing '---'")
    if kind is JournalKind.COUNTERTRANSFERENCE and shared:
        raise source.error("R211", None, "a countertransference note cannot be shared", "remove 'shared: true'; these notes are the therapist's alone")
    title = front["title"][0] if "title" in front else None
    return JournalEntry(
        client_id=client.id,
        kind=kind,
        written_at=localize(date, client.time_zone) if date else datetime.now(UTC),
        text=body.strip("\n"),
        shared_with_therapist=bool(shared),
        title=title,
        source=path.name,
    )


def _split(source: SourceText) -> tuple[dict[str, tuple[str, int]], str, int]:
    lines = source.lines
    if not lines or lines[0].strip() != "---":
        return {}, source.text, 1
    front: dict[str, tuple[str, int]] = {}
    for number, raw in enumerate(lines[1:], start=2):
        content = raw.strip()
        if content == "---":
            return front, "\n".join(lines[number:]), number + 1
        if not content or content.startswith("#"):
            continue
        key, sep, value = content.partition(":")
        key = key.strip().lower()
        if not sep or key not in _KEYS:
            raise source.error("R211", number, f"{content[:40]!r} is not one of date, kind, shared, title", "write 'key: value' lines with those keys, or '#' for a comment")
        if key in front:
            raise source.error("R211", number, f"{key} is given twice", "keep one of them")
        front[key] = (value.strip().strip("\"'"), number)
    raise source.error("R211", 1, "the front matter is never closed", "end it with a line holding only '---'")
