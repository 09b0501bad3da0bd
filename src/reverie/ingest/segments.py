"""What every transcript reader produces before it becomes turns: timed, attributed speech."""

import re
from dataclasses import dataclass

from reverie.errors import ReverieError
from reverie.ingest.source import SourceText
from reverie.ingest.speakers import SpeakerMap
from reverie.record import Speaker

# A label is short: "Client", "T", "Dr Hart", "Maya". Longer text before a colon is speech.
_LABEL = re.compile(r"^(?P<label>[^:\[\]<>]{1,40}?)\s*:\s*(?P<text>.*)$")
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-Þ][\w'\u2019.-]*|[a-z]{1,3}\.?)$")


@dataclass(frozen=True, slots=True)
class Segment:
    """One cue or line: who, what, when, and the line it came from (for errors)."""

    speaker: Speaker
    text: str
    line: int
    start_ms: int | None = None
    end_ms: int | None = None


def split_label(
    source: SourceText, line: int, content: str, speakers: SpeakerMap
) -> tuple[Speaker, str] | None:
    """``"Client: hello"`` → (client, "hello"); None when there is no label at all.

    A label-shaped name that is not mapped is an error rather than speech, because silently
    reading "Maya: I'm fine" as unlabelled text would lose who said it.
    """
    m = _LABEL.match(content)
    if m is None:
        return None
    label, text = m.group("label").strip(), m.group("text").strip()
    words = label.split()
    if not words or len(words) > 4:
        return None
    role = speakers.role(label)
    if role is None:
        if all(_NAME_WORD.match(w) for w in words) and any(w[0].isupper() for w in words):
            raise source.error(
                "R205",
                line,
                f"speaker {label!r} is not a role Reverie knows",
                f'map it with --speaker "{label}=client" (or =therapist), or write "Client:" / "Therapist:"',
            )
        return None
    if not text:
        raise source.error(
            "R201", line, f"the line has the label {label!r} but no words", "write what was said after the label, or delete the line"
        )
    return role, text


def no_label(source: SourceText, line: int, fix: str | None = None) -> ReverieError:
    return source.error(
        "R201",
        line,
        "a line has no speaker label",
        fix or 'write "Client:" or "Therapist:" before it (or map a name with --speaker NAME=role)',
    )
