"""Reading a file as text: UTF-8 with or without a byte-order mark, any line ending."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from reverie.errors import ReverieError


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded file: its lines (1-based in errors) and the hash of its bytes for provenance."""

    path: Path
    text: str
    sha256: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def error(self, code: str, line: int | None, problem: str, fix: str) -> ReverieError:
        return ReverieError(code, problem, fix, path=self.path, line=line)


def read_source(path: Path) -> SourceText:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReverieError(
            "R217", "no such file", "check the path (it is relative to where you run reverie)", path=path
        ) from None
    except OSError as exc:
        raise ReverieError("R217", f"cannot read the file ({exc.strerror})", "check its permissions", path=path) from None
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReverieError(
            "R203",
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not UTF-8",
            "save the file as UTF-8 (most editors offer it under 'Save as' or 'Encoding')",
            path=path,
            line=line,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReverieError("R204", "the file is empty", "check that you picked the right file", path=path)
    return SourceText(path=path, text=text, sha256=digest)
