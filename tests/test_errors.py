"""Error codes are unique, registered, documented, and every one that is raised is known."""

import re
from pathlib import Path

from reverie.errors import CODES, ReverieError

ROOT = Path(__file__).resolve().parents[1]


def test_codes_are_unique_in_the_registry() -> None:
    source = (ROOT / "src" / "reverie" / "errors.py").read_text(encoding="utf-8")
    listed = re.findall(r'ErrorCode\("(R\d{3})"', source)
    assert len(listed) == len(set(listed)) == len(CODES)


def test_every_code_used_in_the_source_is_registered() -> None:
    used = set()
    for path in (ROOT / "src").rglob("*.py"):
        used |= set(re.findall(r'"(R\d{3})"', path.read_text(encoding="utf-8")))
    assert used <= set(CODES), sorted(used - set(CODES))


def test_every_code_is_documented() -> None:
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    documented = re.findall(r"^## (R\d{3})\b", doc, flags=re.M)
    assert sorted(documented) == sorted(CODES), "docs/errors.md needs one '## Rxxx' section per code"
    for code, entry in CODES.items():
        assert re.search(rf"^## {code} {re.escape(entry.title)}$", doc, flags=re.M), f"{code}: heading must read '## {code} {entry.title}'"


def test_rendering_names_code_place_problem_and_fix() -> None:
    err = ReverieError("R201", "a line has no speaker label", 'write "Client:" or "Therapist:" before it', path="transcript.txt", line=14)
    assert str(err) == '[R201] transcript.txt:14: a line has no speaker label; write "Client:" or "Therapist:" before it'


def test_unregistered_codes_cannot_be_raised() -> None:
    try:
        ReverieError("R999", "x", "y")
    except KeyError:
        return
    raise AssertionError("an unregistered code was accepted")
