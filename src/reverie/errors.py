"""Reverie's coded errors: every failure a user can meet has a stable code, a place and a fix.

Codes are never reused or renumbered: scripts, docs and support threads refer to them. The
registry below is the single list; ``docs/errors.md`` documents each code and a test checks that
the two agree and that no code is used in the source without being registered.
"""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ErrorCode:
    code: str
    title: str


# fmt: off
CODES: dict[str, ErrorCode] = {c.code: c for c in (
    # R1xx: configuration, database and keys
    ErrorCode("R101", "unsupported database URL"),
    ErrorCode("R102", "database unreachable"),
    ErrorCode("R103", "database not initialised or from a newer Reverie"),
    ErrorCode("R104", "encryption key missing or wrong"),
    ErrorCode("R105", "data folder not usable"),
    ErrorCode("R106", "audit log altered"),
    ErrorCode("R107", "backup unusable"),
    ErrorCode("R108", "backup or restore not possible here"),
    # R2xx: input files
    ErrorCode("R201", "line without a speaker label"),
    ErrorCode("R202", "bad timestamp"),
    ErrorCode("R203", "file is not UTF-8 text"),
    ErrorCode("R204", "empty file"),
    ErrorCode("R205", "unknown speaker name"),
    ErrorCode("R206", "unsupported file type"),
    ErrorCode("R207", "malformed WebVTT"),
    ErrorCode("R208", "malformed SRT"),
    ErrorCode("R209", "malformed JSON"),
    ErrorCode("R210", "JSON does not follow the schema"),
    ErrorCode("R211", "malformed journal front matter"),
    ErrorCode("R212", "unknown journal kind"),
    ErrorCode("R213", "session date unknown"),
    ErrorCode("R214", "bad date or time"),
    ErrorCode("R215", "bad speaker mapping"),
    ErrorCode("R216", "timestamps out of order"),
    ErrorCode("R217", "file not found or unreadable"),
    ErrorCode("R218", "malformed case manifest"),
    ErrorCode("R219", "invalid measure answers"),
    ErrorCode("R220", "case export mixed with transcripts"),
    # R4xx: analysis
    ErrorCode("R401", "embedding model missing"),
    ErrorCode("R402", "embedding model altered"),
    ErrorCode("R403", "analyzers in an impossible order"),
    ErrorCode("R404", "malformed labelling row"),
    ErrorCode("R405", "unknown labelling task"),
    ErrorCode("R406", "trained weights missing or altered"),
    # R5xx: safety
    ErrorCode("R501", "malformed crisis resource"),
    ErrorCode("R502", "unknown risk event"),
    ErrorCode("R503", "acknowledgement without a note"),
    # R6xx: the companion
    ErrorCode("R601", "malformed LLM endpoint setting"),
    ErrorCode("R602", "LLM key file unreadable"),
    ErrorCode("R603", "malformed replay row"),
    ErrorCode("R604", "unknown companion mode"),
    # R7xx: insight, measures and reports
    ErrorCode("R701", "unknown instrument"),
    ErrorCode("R702", "wrong number of answers"),
    ErrorCode("R703", "answer out of range"),
    ErrorCode("R704", "report cannot be written"),
    ErrorCode("R705", "nothing to report yet"),
    # R3xx: the clinical record in the database
    ErrorCode("R301", "unknown client"),
    ErrorCode("R302", "duplicate session"),
    ErrorCode("R304", "client already exists"),
    ErrorCode("R305", "unknown session"),
    ErrorCode("R306", "pseudonym already in use"),
)}
# fmt: on


class ReverieError(Exception):
    """An error a user can act on.

    Rendered as ``[R201] transcript.txt:14: a line has no speaker label; write "Client:" ...``:
    code, where, what is wrong, and how to fix it.
    """

    def __init__(
        self,
        code: str,
        problem: str,
        fix: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
    ) -> None:
        if code not in CODES:
            raise KeyError(f"unregistered error code {code}")
        self.code = code
        self.problem = problem
        self.fix = fix
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    @property
    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"[{self.code}]{where} {self.problem}; {self.fix}"
