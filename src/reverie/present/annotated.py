"""A transcript with its annotations, for the terminal: lenses in colour, evidence underlined."""

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reverie.analysis.document import Annotation
from reverie.record import Turn

if TYPE_CHECKING:
    from rich.console import RenderableType

LENS_STYLE = {
    "affect": "yellow",
    "avoidance": "red",
    "patterns": "blue",
    "past": "green",
    "relationships": "cyan",
    "therapy_relationship": "magenta",
    "fantasy": "bright_magenta",
    "interventions": "bright_blue",
    "risk": "bold white on red",
}


def legend() -> "RenderableType":
    from rich.text import Text

    text = Text("lenses: ")
    for lens, style in LENS_STYLE.items():
        text.append(f" {lens} ", style=style)
    text.append("  (evidence is underlined; every finding is a hypothesis for the clinician)")
    return text


def render(turns: Sequence[Turn], found: Sequence[Annotation], *, timestamps: bool = True) -> list["RenderableType"]:
    from rich.text import Text

    from reverie.ingest.timecode import format_timecode

    by_turn: dict[int, list[Annotation]] = defaultdict(list)
    for a in found:
        by_turn[a.evidence[0].turn].append(a)
    out: list[RenderableType] = []
    for i, turn in enumerate(turns):
        line = Text()
        if timestamps and turn.start_ms is not None:
            line.append(format_timecode(turn.start_ms)[:8] + " ", style="dim")
        line.append(f"{turn.speaker.value}: ", style="bold")
        offset = len(line.plain)
        line.append(turn.text)
        for a in by_turn.get(i, []):
            # The triggering phrase (first span) is underlined in the lens colour.
            span = a.evidence[0]
            line.stylize(f"underline {LENS_STYLE[a.lens]}", offset + span.start, offset + span.end)
        out.append(line)
        for a in sorted(by_turn.get(i, []), key=lambda a: (a.lens, -a.confidence)):
            note = Text("    ")
            note.append(f"{a.lens}", style=LENS_STYLE[a.lens])
            extra = ""
            if "level" in a.detail:
                extra = f", DMRS level {a.detail['level']}"
            elif "kind" in a.detail:
                extra = f", {a.detail['kind']}"
            elif "role" in a.detail:
                extra = f", {a.detail['role']}"
            quote = turn.text[span.start : span.end] if (span := a.evidence[0]) else ""
            note.append(f" {a.label} ({a.confidence:.2f}{extra}): \u201c{quote}\u201d", style="dim")
            out.append(note)
    return out
