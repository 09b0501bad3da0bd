"""`reverie report`: one self-contained HTML file a clinician can bring to supervision.

Everything is in the file (Plotly's script, the charts, the styles): it opens offline, prints on
paper, and can be archived with the case. Every finding is a hypothesis and cites its evidence:
a numbered note leads to the session, the date, the turn and the client's own words.
"""

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from reverie.errors import ReverieError
from reverie.present import charts
from reverie.store import Store


@dataclass(frozen=True)
class Cite:
    """Where a finding comes from: a session (or journal entry) on a date, a turn, the words."""

    source: str
    when: date
    quote: str
    turn: int | None = None  # 1-based, as `reverie show` numbers turns
    speaker: str = "client"


@dataclass
class Page:
    """The report being written: sections in order, charts to draw, and the numbered evidence."""

    title: str
    sections: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    notes: list[Cite] = field(default_factory=list)
    _charts: int = 0

    def cite(self, cite: Cite) -> str:
        """A superscript link to the evidence note (the same evidence keeps one number)."""
        if cite in self.notes:
            n = self.notes.index(cite) + 1
        else:
            self.notes.append(cite)
            n = len(self.notes)
        return f'<sup><a href="#e{n}" id="c{n}-{len(self.scripts)}-{len(self.sections)}">{n}</a></sup>'

    def chart(self, figure: dict[str, Any], caption: str) -> str:
        self._charts += 1
        div = f"chart{self._charts}"
        self.scripts.append(charts.figure_script(div, figure))
        return f'<figure><div class="chart" id="{div}"></div><figcaption>{html.escape(caption)}</figcaption></figure>'

    def section(self, heading: str, body: str, anchor: str) -> None:
        self.sections.append(f'<section id="{anchor}"><h2>{html.escape(heading)}</h2>{body}</section>')


def esc(text: object) -> str:
    return html.escape(str(text))


def quote(text: str, words: int = 40) -> str:
    parts = " ".join(text.split()).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; color: #111; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { font-size: 1.3rem; border-bottom: 1px solid #999; padding-bottom: .2rem; margin-top: 2.2rem; }
.meta { color: #444; } .hypothesis { background: #f3f3f3; border-left: 4px solid #666; padding: .6rem .9rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .95rem; } th, td { border-bottom: 1px solid #ccc; padding: .3rem .4rem; text-align: left; vertical-align: top; }
th { background: #eee; } .chart { width: 100%; min-height: 300px; } figure { margin: 1rem 0; } figcaption { font-size: .85rem; color: #444; }
ol.evidence li { margin-bottom: .4rem; } .q { font-style: italic; } sup a { text-decoration: none; }
nav ol { columns: 2; } .small { font-size: .85rem; color: #444; }
@media print { body { margin: 0; max-width: none; } nav { display: none; } section { break-inside: avoid-page; } figure { break-inside: avoid; } a { color: #000; } }
"""


def render(page: Page, contents: Sequence[tuple[str, str]]) -> str:
    notes = "".join(
        f'<li id="e{n}">{esc(c.when.isoformat())}, {esc(c.source)}{f", turn {c.turn}" if c.turn else ""}{" (the therapist)" if c.speaker != "client" else ""}: '
        f'<span class="q">“{esc(quote(c.quote))}”</span></li>'
        for n, c in enumerate(page.notes, start=1)
    )
    nav = "".join(f'<li><a href="#{a}">{esc(h)}</a></li>' for a, h in contents)
    scripts = "\n".join(page.scripts)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(page.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{STYLE}</style>
<script>{charts.plotly_js()}</script>
</head><body>
<h1>{esc(page.title)}</h1>
{"".join(page.sections[:1])}
<nav><h2>Contents</h2><ol>{nav}</ol></nav>
{"".join(page.sections[1:])}
<section id="evidence"><h2>Evidence</h2><p class="small">The words behind each numbered finding (the client's unless marked), with the session date and the turn as <code>reverie show SESSION_ID</code> numbers it.</p><ol class="evidence">{notes}</ol></section>
<script>
window.addEventListener("load", function () {{
var plots = [];
{scripts}
Promise.all(plots).then(function () {{
  var drawn = Array.prototype.filter.call(document.querySelectorAll(".chart"), function (d) {{ return d.querySelector(".main-svg") !== null; }});
  document.body.setAttribute("data-charts-drawn", String(drawn.length));
}});
}});
</script>
</body></html>
"""


Section = Callable[[Store, str, Page, ZoneInfo], tuple[str, str] | None]


def build(store: Store, client_id: str, sections: Sequence[Section], *, now: datetime | None = None) -> str:
    """The whole page for one client; each section adds itself (or nothing, when it has no data)."""
    client = store.load_client(client_id)
    case = store.load_case(client_id)
    attended = [s for s in case.sessions if s.turns]
    if not attended and not case.journal and not case.measures:
        raise ReverieError("R705", f"{client.pseudonym} has no sessions, journal entries or measures on record", "import sessions or add measures first")
    zone = ZoneInfo(client.time_zone)
    moments = [s.starts_at for s in case.sessions] + [m.taken_at for m in case.measures] + [e.written_at for e in case.journal]
    first, last = min(moments).astimezone(zone).date(), max(moments).astimezone(zone).date()
    written = (now or datetime.now(UTC)).astimezone(zone)
    page = Page(f"{client.pseudonym}: psychodynamic process report")
    page.sections.append(
        f'<p class="meta">{esc(first.isoformat())} to {esc(last.isoformat())} · {len(attended)} sessions with transcripts, '
        f"{len(case.sessions) - len(attended)} not attended · {len(case.journal)} journal entries · {len(case.measures)} questionnaires · "
        f"written {esc(written.strftime('%Y-%m-%d %H:%M'))} by Reverie</p>"
        '<p class="hypothesis">Everything below is a hypothesis for the clinician, read from the transcripts by software, never a verdict. '
        "Each finding cites the client's words (numbered notes, listed at the end). Proxies are labelled as proxies. "
        "Nothing here reaches a formulation or a note until you decide it does.</p>"
    )
    contents: list[tuple[str, str]] = []
    for section in sections:
        added = section(store, client_id, page, zone)
        if added is not None:
            contents.append(added)
    return render(page, contents)


def write(store: Store, client_id: str, out: Path, sections: Sequence[Section], *, now: datetime | None = None) -> Path:
    """Write the report atomically (a half-written report is never left behind)."""
    out = out.expanduser()
    if out.is_dir() or not out.parent.is_dir():
        raise ReverieError("R704", f"cannot write the report to {out}", "give a file path like report.html in a folder that exists", path=out)
    text = build(store, client_id, sections, now=now)
    partial = out.with_name(out.name + ".partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ReverieError("R704", f"cannot write the report to {out} ({exc.strerror})", "choose a writable folder", path=out) from None
    return out
