"""The ``reverie`` command: a thin layer over the library.

Heavy modules (SQLAlchemy, the parsers) are imported inside commands so ``reverie --help`` stays
fast; the budget is one second (DESIGN.md).
"""

import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reverie import __version__
from reverie.errors import ReverieError
from reverie.present import backupcli
from reverie.present.auditcli import audit_app
from reverie.present.context import ClientRef, ReverieGroup, Settings, settings_of
from reverie.present.measurecli import measure_app

if TYPE_CHECKING:
    from rich.console import Console

    from reverie.companion.conversation import Reply
    from reverie.record import Session


app = typer.Typer(
    cls=ReverieGroup,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    help="Reverie: a local-first workbench for psychodynamic therapy.\n\n"
    "Data lives in REVERIE_DATA_DIR (default: your platform's user data folder) in SQLite; "
    "set REVERIE_DATABASE_URL or --db to use PostgreSQL.\n\n"
    "Example: [bold]reverie demo[/bold] loads the fictional demo case and shows it.",
)
client_app = typer.Typer(cls=ReverieGroup, no_args_is_help=True, help="Add and list clients.\n\nExample: [bold]reverie client add Maya[/bold]")
journal_app = typer.Typer(cls=ReverieGroup, no_args_is_help=True, help="Journal entries and countertransference notes.\n\nExample: [bold]reverie journal add --client Maya --kind dream dream.md[/bold]")
risk_app = typer.Typer(cls=ReverieGroup, no_args_is_help=True, help="The clinician's queue of risk events: ideation and above, harm flags, PHQ-9 item 9.\n\nExample: [bold]reverie risk list --unacknowledged[/bold]")
app.add_typer(client_app, name="client")
app.add_typer(risk_app, name="risk")
app.add_typer(journal_app, name="journal")
companion_app = typer.Typer(cls=ReverieGroup, no_args_is_help=True, help="The companion, offline: replay client turns for review.\n\nExample: [bold]reverie companion replay turns.jsonl --client Maya --out replies.jsonl[/bold]")
app.add_typer(companion_app, name="companion")
app.add_typer(measure_app, name="measure")
app.add_typer(audit_app, name="audit")
app.command("backup")(backupcli.backup)
app.command("restore")(backupcli.restore)



def _console() -> "Console":
    from rich.console import Console

    # Piped output is read by grep and scripts: keep rows on one line rather than 80 columns.
    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reverie {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", help="Database URL (sqlite:///file.db or postgresql://user@host/db). Overrides REVERIE_DATABASE_URL.")] = None,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Data folder (database, key). Overrides REVERIE_DATA_DIR.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    ctx.obj = Settings(db=db, data_dir=data_dir)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create (or upgrade) the database and the encryption key.

    Safe to run again: an existing database is upgraded to the current schema, never emptied.

    Example: [bold]reverie init[/bold]
    """
    settings = settings_of(ctx)
    with settings.open_store(create=True) as store:
        url = store.engine.url.render_as_string(hide_password=True)
    typer.echo(f"database ready: {url}")
    from reverie.store.crypto import key_path

    typer.echo(f"encryption key: {key_path(settings.resolved_data_dir())} (back it up: without it the text cannot be read)")


@client_app.command("add")
def client_add(
    ctx: typer.Context,
    pseudonym: Annotated[str, typer.Argument(help="A pseudonym, never the client's real name.")],
    locale: Annotated[str, typer.Option(help="Language and region, e.g. en-GB; picks crisis lines.")] = "en-GB",
    time_zone: Annotated[str, typer.Option("--time-zone", help="IANA time zone, e.g. Europe/London.")] = "Europe/London",
) -> None:
    """Add a client and print the new id.

    Example: [bold]reverie client add Maya --locale en-GB --time-zone Europe/London[/bold]
    """
    from zoneinfo import available_timezones

    from reverie.record import Client

    if time_zone not in available_timezones():
        raise typer.BadParameter(f"{time_zone!r} is not an IANA time zone such as Europe/London", param_hint="--time-zone")
    with settings_of(ctx).open_store() as store:
        client = store.add_client(Client(pseudonym=pseudonym.strip(), locale=locale, time_zone=time_zone))
    typer.echo(client.id)


@client_app.command("list")
def client_list(ctx: typer.Context) -> None:
    """List clients with their number of sessions.

    Example: [bold]reverie client list[/bold]
    """
    from rich.table import Table

    with settings_of(ctx).open_store() as store:
        clients = store.list_clients()
    table = Table("id", "pseudonym", "locale", "time zone", "sessions", "last session")
    for c in clients:
        last = _local(c.last_session, c.client.time_zone).strftime("%Y-%m-%d") if c.last_session else "-"
        table.add_row(c.client.id, c.client.pseudonym, c.client.locale, c.client.time_zone, str(c.sessions), last)
    _console().print(table if clients else "no clients yet: add one with 'reverie client add PSEUDONYM'")


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Transcript files (.txt, .vtt, .srt, .json) or folders of them; or a case export (.json).")],
    client: Annotated[str | None, typer.Option("--client", "-c", help="Client id or pseudonym (not needed for a case export).")] = None,
    date: Annotated[str | None, typer.Option(help="Session start, e.g. 2026-01-08T17:00, when the file name has no date.")] = None,
    speaker: Annotated[list[str] | None, typer.Option(help='Map a name to a role: --speaker "Dr Hart=therapist". Repeatable.')] = None,
    planned_minutes: Annotated[int, typer.Option(min=1, help="Planned length of the session(s).")] = 50,
    minutes_late: Annotated[int, typer.Option(min=0, help="How late the client arrived.")] = 0,
) -> None:
    """Import session transcripts for a client, or a whole client from 'reverie export'.

    All files are read and checked before anything is written: if one file has an error, nothing
    is imported, and the error names the file, the line and the fix.

    Example: [bold]reverie import sessions/2026-01-08.vtt --client Maya --speaker "Dr Hart=therapist" --speaker Maya=client[/bold]
    """
    from reverie.ingest import SpeakerMap, load_case, read_session
    from reverie.ingest.bundle import is_case_file
    from reverie.ingest.transcript import FORMATS, parse_when

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in FORMATS))
        else:
            files.append(path)
    if not files:
        raise ReverieError("R217", "no transcript files found", "name files ending in .txt, .vtt, .srt or .json")
    cases = [f for f in files if is_case_file(f)]
    with settings_of(ctx).open_store() as store:
        if cases:
            if len(cases) != len(files):
                raise ReverieError("R220", "a case export was given together with transcripts", "import the case export on its own")
            for f in cases:
                case = load_case(f)
                store.save_case(case)
                typer.echo(f"imported client {case.client.pseudonym} ({case.client.id}): {len(case.sessions)} sessions, {len(case.journal)} journal entries, {len(case.measures)} measures")
            return
        if client is None:
            raise ReverieError("R301", "no client given", "pass --client ID or --client PSEUDONYM")
        if date is not None and len(files) > 1:
            raise ReverieError("R302", "--date would give every file the same session time", "import the files one at a time, or put the date in each file's name")
        who = store.find_client(client)
        speakers = SpeakerMap.parse(speaker or [])
        when = parse_when(date, where="--date") if date else None
        sessions = [read_session(f, who, speakers, date=when, planned_minutes=planned_minutes, minutes_late=minutes_late) for f in files]
        store.add_sessions(sessions)
    for s in sessions:
        typer.echo(f"{s.id}  {_local(s.starts_at, who.time_zone):%Y-%m-%d %H:%M}  {len(s.turns)} turns  from {s.source}")


@app.command()
def sessions(ctx: typer.Context, client: ClientRef) -> None:
    """List a client's sessions, attended or not.

    Example: [bold]reverie sessions --client Maya[/bold]
    """
    from rich.table import Table

    with settings_of(ctx).open_store() as store:
        who = store.find_client(client)
        rows = store.list_sessions(who.id)
    table = Table("id", "date", "attendance", "minutes", "turns", "source", title=f"{who.pseudonym} ({who.id})")
    for row in rows:
        s = row.session
        table.add_row(s.id, f"{_local(s.starts_at, who.time_zone):%Y-%m-%d %H:%M}", _attendance(s), _minutes(s), str(row.turn_count), s.source or "")
    _console().print(table if rows else f"{who.pseudonym} has no sessions yet: import one with 'reverie import FILE --client {who.pseudonym}'")


@app.command()
def show(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(help="A session id from 'reverie sessions'.")],
    annotated: Annotated[bool, typer.Option("--annotated", "-a", help="Highlight what the analysis found (run 'reverie analyze' first).")] = False,
) -> None:
    """Show one session with its turns, and with --annotated what each lens found.

    Example: [bold]reverie show s-3f9a1b2c4d5e --annotated[/bold]
    """
    from rich.markup import escape

    from reverie.ingest.timecode import format_timecode

    with settings_of(ctx).open_store() as store:
        s = store.get_session(session_id)
        who = store.load_client(s.client_id)
        found = store.load_annotations(s.id) if annotated else []
        summaries = store.analysis_summaries(s.id) if annotated else {}
    console = _console()
    console.print(f"[bold]{escape(who.pseudonym)}[/bold] {_local(s.starts_at, who.time_zone):%A %Y-%m-%d %H:%M} ({who.time_zone})")
    console.print(f"{_attendance(s)}, {_minutes(s)}; {len(s.turns)} turns; source {escape(s.source or '-')}\n")
    if annotated:
        from reverie.present.annotated import legend, render

        if not summaries:
            raise ReverieError("R305", f"session {s.id} has not been analysed yet", f"run 'reverie analyze --client {who.pseudonym}' first")
        console.print(legend())
        odf = summaries.get("defenses", {}).get("odf")
        leaning = summaries.get("interventions", {}).get("leaning")
        console.print(f"Overall Defensive Functioning {f'{odf:.2f}' if odf is not None else '-'}; interventions lean {leaning or '-'}; {len(found)} findings\n")
        for line in render(s.turns, found):
            console.print(line)
        return
    colour = {"client": "cyan", "therapist": "magenta", "companion": "green"}
    for turn in s.turns:
        stamp = f"[dim]{format_timecode(turn.start_ms)[:8]}[/dim] " if turn.start_ms is not None else ""
        console.print(f"{stamp}[{colour[turn.speaker.value]}]{turn.speaker.value}[/]: {escape(turn.text)}")


@journal_app.command("add")
def journal_add(
    ctx: typer.Context,
    client: ClientRef,
    file: Annotated[Path, typer.Argument(help="A .md or .txt file, optionally with front matter (date, kind, shared, title).")],
    kind: Annotated[str | None, typer.Option(help="free-association, dream, reflection or countertransference.")] = None,
    shared: Annotated[bool | None, typer.Option("--shared/--private", help="Whether the client shares it with the therapist (default private).")] = None,
    date: Annotated[str | None, typer.Option(help="When it was written, e.g. 2026-01-12 (default: the front matter, else now).")] = None,
) -> None:
    """Add a journal entry and print its id.

    Example: [bold]reverie journal add --client Maya --kind dream --shared dream-2026-01-20.md[/bold]
    """
    from reverie.ingest import read_journal
    from reverie.ingest.transcript import parse_when
    from reverie.record import JournalKind

    journal_kind = None
    if kind is not None:
        try:
            journal_kind = JournalKind(kind)
        except ValueError:
            raise ReverieError("R212", f"--kind {kind!r} is unknown", f"use one of {', '.join(k.value for k in JournalKind)}") from None
    with settings_of(ctx).open_store() as store:
        who = store.find_client(client)
        entry = read_journal(file, who, kind=journal_kind, shared=shared, date=parse_when(date, where="--date") if date else None)
        store.add_journal([entry])
    typer.echo(entry.id)


@journal_app.command("list")
def journal_list(ctx: typer.Context, client: ClientRef) -> None:
    """List a client's journal entries (countertransference notes are marked as the therapist's).

    Example: [bold]reverie journal list --client Maya[/bold]
    """
    from rich.table import Table

    with settings_of(ctx).open_store() as store:
        who = store.find_client(client)
        entries = store.list_journal(who.id)
    table = Table("id", "date", "kind", "author", "shared", "begins", title=f"{who.pseudonym} ({who.id})")
    for e in entries:
        table.add_row(e.id, f"{_local(e.written_at, who.time_zone):%Y-%m-%d}", e.kind.value, e.author.value, "yes" if e.shared_with_therapist else "no", e.text[:48].replace("\n", " ") + "…")
    _console().print(table if entries else f"{who.pseudonym} has no journal entries yet")


@app.command()
def export(
    ctx: typer.Context,
    client: ClientRef,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the JSON ('-' for standard output).")],
) -> None:
    """Export everything about a client as one JSON file that 'reverie import' takes back.

    The file holds the client's words in clear text: keep it as safe as the database.

    Example: [bold]reverie export --client Maya --out maya.json[/bold]
    """
    import json

    from reverie.ingest import dump_case

    with settings_of(ctx).open_store() as store:
        case = store.load_case(store.find_client(client).id)
    text = json.dumps(dump_case(case), ensure_ascii=False, indent=1) + "\n"
    if str(out) == "-":
        sys.stdout.write(text)
        return
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)
    typer.echo(f"wrote {out}: {len(case.sessions)} sessions, {len(case.journal)} journal entries, {len(case.measures)} measures")


@app.command()
def analyze(
    ctx: typer.Context,
    client: ClientRef,
    force: Annotated[bool, typer.Option("--force", help="Analyse everything again, even what is up to date.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the one-line summary.")] = False,
) -> None:
    """Read a client's sessions and journal through the seven lenses; only what is stale is re-run.

    Results are stored with the analyzer versions; a document is analysed again when an analyzer changes. Every finding is a hypothesis with its evidence, for the clinician.

    Example: [bold]reverie analyze --client Maya[/bold]
    """
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from reverie.analysis.lenses import default_pipeline
    from reverie.present.analyze import analyze_client

    pipeline = default_pipeline()
    with settings_of(ctx).open_store() as store:
        who = store.find_client(client)
        with Progress(console=Console(stderr=True), transient=True) as progress:
            bar = progress.add_task(f"analysing {who.pseudonym}", total=None)
            report = analyze_client(store, who.id, pipeline, force=force, progress=lambda done, total: progress.update(bar, completed=done, total=total))
        rows = [(summary, store.analysis_summaries(summary.session.id)) for summary in store.list_sessions(who.id) if summary.turn_count]
        counts = {summary.session.id: Counter(a.lens + ":" + a.label for a in store.load_annotations(summary.session.id)) for summary, _ in rows}
    typer.echo(f"{who.pseudonym}: {report.analysed} documents analysed ({report.turns} turns, {report.annotations} findings), {report.up_to_date} up to date")
    if report.risk_events:
        typer.echo(f"{report.risk_events} new risk event(s) for the clinician: see 'reverie risk list --client {who.pseudonym}'")
    if quiet:
        return
    table = Table("session", "date", "ODF", "defenses", "dreams", "transference", "interventions lean", "mean valence", title=f"{who.pseudonym}: hypotheses for the clinician")
    for summary, found in rows:
        c = counts[summary.session.id]
        odf = found.get("defenses", {}).get("odf")
        table.add_row(
            summary.session.id,
            f"{_local(summary.session.starts_at, who.time_zone):%Y-%m-%d}",
            f"{odf:.2f}" if odf is not None else "-",
            str(found.get("defenses", {}).get("n", 0)),
            str(c["fantasy:dream"]),
            str(c["therapy_relationship:transference"]),
            str(found.get("interventions", {}).get("leaning", "-")),
            f"{found.get('affect', {}).get('mean_valence', 0):+.2f}",
        )
    _console().print(table)


@risk_app.command("list")
def risk_list(
    ctx: typer.Context,
    client: Annotated[str | None, typer.Option("--client", "-c", help="Only this client (id or pseudonym).")] = None,
    unacknowledged: Annotated[bool, typer.Option("--unacknowledged", "-u", help="Only events nobody has acknowledged yet.")] = False,
) -> None:
    """List risk events, newest first: what was found, where, and whether it was acknowledged.

    Events come from 'reverie analyze' (ideation and above, harm to others, abuse), from PHQ-9 item 9 answered above 0, and later from the companion. They are hypotheses to check, with the evidence in the transcript.

    Example: [bold]reverie risk list --client Maya --unacknowledged[/bold]
    """
    from rich.table import Table

    with settings_of(ctx).open_store() as store:
        who = store.find_client(client) if client else None
        events = store.list_risk_events(who.id if who else None, unacknowledged=unacknowledged)
        names = {c.client.id: c.client for c in store.list_clients()}
    table = Table("id", "client", "detected", "level", "flags", "source", "where", "reason", "acknowledged", title="risk events")
    for e in events:
        person = names[e.client_id]
        where = f"{e.document_id} turn {e.turn}" if e.turn is not None else e.document_id
        acknowledged = f"{_local(e.acknowledged_at, person.time_zone):%Y-%m-%d}: {e.acknowledged_note}" if e.acknowledged_at else "no"
        table.add_row(e.id, person.pseudonym, f"{_local(e.detected_at, person.time_zone):%Y-%m-%d %H:%M}", e.level, ", ".join(e.flags) or "-", e.source.value, where, e.reason, acknowledged)
    _console().print(table if events else "no risk events" + (" waiting for acknowledgement" if unacknowledged else ""))


@risk_app.command("ack")
def risk_ack(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(help="An event id from 'reverie risk list'.")],
    note: Annotated[str, typer.Option("--note", "-n", help="What you did: checked in, safety plan, referral...")] = "",
) -> None:
    """Acknowledge a risk event with a note (stored encrypted).

    Example: [bold]reverie risk ack r-3f9a1b2c4d5e --note "phoned Tuesday, safe, plan agreed"[/bold]
    """
    with settings_of(ctx).open_store() as store:
        event = store.acknowledge_risk_event(event_id, note)
    typer.echo(f"acknowledged {event.id} ({event.level})")


@app.command()
def session(
    ctx: typer.Context,
    client: ClientRef,
    mode: Annotated[str, typer.Option("--mode", "-m", help="talk, free-association, dream or reflection (on the last therapy session).")] = "talk",
    minutes: Annotated[int, typer.Option("--minutes", min=1, max=240, help="Length of the conversation; at the end the companion reflects what emerged.")] = 50,
    explain: Annotated[bool, typer.Option("--explain", help="After each reply, show the move chosen and the client's words it rests on.")] = False,
) -> None:
    """Talk with the companion in the terminal: an AI listening space between sessions, not a therapist.

    The client leads. Every turn passes the risk check first: a crisis statement gets the safety response with the local crisis line in the same turn, whatever else is configured. Type /end (or press Ctrl-D) to finish. Everything is stored (encrypted) as the conversation goes; dream, free-association and reflection conversations also become journal entries. With REVERIE_LLM_URL set, an LLM phrases the chosen move; its words pass the same safety gate, and the templates answer whenever it is slow, wrong or down.

    Example: [bold]reverie session --client Maya --mode dream[/bold]
    """
    from reverie.companion.conversation import parse_mode
    from reverie.present.companion import llm_from_environment, start

    chosen = parse_mode(mode)
    llm = llm_from_environment()
    interactive = sys.stdin.isatty()
    with settings_of(ctx).open_store() as store:
        who = store.find_client(client)
        conversation = start(store, who, chosen, minutes=minutes, llm=llm)
        companion = conversation.companion

        def say(reply: "Reply") -> None:
            typer.echo(f"reverie> {reply.text}")
            if explain:
                typer.secho(f"  [{reply.move.name}: {reply.move.reason}; {reply.renderer}]", dim=True)
                for e in reply.move.evidence:
                    typer.secho(f"    \"{e.quote}\" ({e.source}; {e.why})", dim=True)

        say(companion.open())
        conversation.save()
        try:
            while not companion.ended:
                if interactive:
                    typer.echo("you> ", nl=False)
                line = sys.stdin.readline()
                if not line or line.strip() in ("/end", "/quit"):
                    say(companion.close())
                    break
                if not line.strip():
                    continue
                say(companion.respond(line))
                conversation.save()
        finally:
            conversation.finish()
            if llm is not None:
                llm.close()
    typer.echo(f"saved conversation {companion.id} ({len(companion.log)} turns)", err=True)


@companion_app.command("replay")
def companion_replay(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help='JSONL rows {"id", "text", "context"?}; "context" is a list of {"speaker", "text"}, oldest first.')],
    client: ClientRef,
    out: Annotated[str, typer.Option("--out", help="JSONL output file, or '-' for standard output.")] = "-",
) -> None:
    """Replay client turns through the companion and write what it would answer, and why, for offline review.

    Each row is the next turn of one conversation, unless it carries its own "context". Output rows are {"id", "reply", "move", "evidence", "reason", "risk", "flags", "renderer"}. The client's memory comes from the database; nothing is written to the client's record. Every row is checked first: a malformed row stops the replay before anything is written (R603).

    Example: [bold]reverie companion replay bench/data/companion_replay.jsonl --client Maya --out replies.jsonl[/bold]
    """
    from datetime import UTC

    from reverie.present.companion import llm_from_environment, load_memory, read_replay, replay, write_rows

    try:
        lines = source.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReverieError("R203" if isinstance(exc, UnicodeDecodeError) else "R217", f"cannot read {source}", "give a UTF-8 JSONL file") from None
    rows = read_replay(lines, str(source))
    llm = llm_from_environment()
    with settings_of(ctx).open_store() as store:
        who = store.find_client(client)
        known = load_memory(store, who.id)
    answers = replay(rows, who, known, start_at=datetime.now(UTC), llm=llm)
    if out == "-":
        write_rows(answers, sys.stdout)
    else:
        partial = Path(out + ".partial")
        with partial.open("w", encoding="utf-8") as f:
            n = write_rows(answers, f)
        partial.replace(out)
        typer.echo(f"{n} replies written to {out}", err=True)
    if llm is not None:
        llm.close()


@app.command()
def report(
    ctx: typer.Context,
    client: ClientRef,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write (one self-contained file).")] = Path("report.html"),
) -> None:
    """Write the clinician's report for supervision: one HTML file with its charts inside, that opens offline and prints.

    Symptoms over time with severity bands and reliable change, defensive functioning over time with its trend, recurring themes (month by theme), the people and the feelings attached to them, the Core Conflictual Relationship Theme and how it moved, and the goals of psychodynamic therapy as labelled proxies. Every finding is a hypothesis and cites the client's words. Run 'reverie analyze' first so the lenses have read the sessions.

    Example: [bold]reverie report --client Maya --out maya-report.html[/bold]
    """
    from reverie.present.report import write
    from reverie.present.report_sections import SECTIONS

    with settings_of(ctx).open_store() as store:
        who = store.find_client(client)
        written = write(store, who.id, out, SECTIONS)
    typer.echo(f"wrote {written} ({written.stat().st_size // 1024} KB): open it in a browser; it needs no network")


@app.command()
def label(
    task: Annotated[str, typer.Option("--task", "-t", help="emotion, defense, dream, temporal, transference, intervention (and theme, people, resistance).")],
    source: Annotated[str, typer.Option("--in", help="JSONL input file, or '-' for standard input.")] = "-",
    out: Annotated[str, typer.Option("--out", help="JSONL output file, or '-' for standard output.")] = "-",
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (each loads the model).")] = 1,
) -> None:
    """Label research data: JSONL rows {"id", "text", "speaker"?, "context"?} in, one labelled row out per row, in order.

    Output rows are {"id", "task", "labels", "scores", ...}; a malformed row gets an error row and a message on stderr, the others are still labelled, and the exit status is 1. Needs no database.

    Example: [bold]reverie label --task defense --in turns.jsonl --out defense.jsonl[/bold]
    """
    from reverie.present.labelcli import run_label

    total = None
    if source != "-":
        try:
            with open(source, encoding="utf-8-sig") as f:
                total = sum(1 for line in f if line.strip())
        except OSError as exc:
            raise ReverieError("R217", f"cannot read {source} ({exc.strerror})", "check the path given with --in") from None
    reader = sys.stdin if source == "-" else open(source, encoding="utf-8-sig")  # noqa: SIM115 - closed below
    writer = sys.stdout if out == "-" else open(out + ".partial", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        errors = run_label(task, reader, writer, workers=workers, total=total)
    finally:
        if reader is not sys.stdin:
            reader.close()
        if writer is not sys.stdout:
            writer.close()
    if writer is not sys.stdout:
        Path(out + ".partial").replace(out)
    if errors:
        typer.echo(f"{errors} malformed row(s); see the error rows in the output", err=True)
        raise typer.Exit(1)


@app.command()
def demo(
    ctx: typer.Context,
    case: Annotated[Path | None, typer.Option("--case", help="A folder holding maya/ and tomas/ case folders (default: the shipped demo).")] = None,
    load_only: Annotated[bool, typer.Option("--load-only", help="Load the case without analysing it (analysis takes about 20 s on 2 cores).")] = False,
) -> None:
    """Load the fictional demo case (Maya, 24 sessions; Tomás, 8), analyse it, show what was found and write Maya's report.

    Initialises the database if needed. Running it again loads and analyses nothing twice.

    Example: [bold]REVERIE_DATA_DIR=./data reverie demo[/bold]
    """
    from reverie.present.demo import load_demo

    settings = settings_of(ctx)
    with settings.open_store(create=True) as store:
        loaded, present = load_demo(store, case)
        summaries = store.list_clients()
    console = _console()
    for c in loaded:
        attended = sum(1 for s in c.sessions if s.turns)
        console.print(f"loaded {c.client.pseudonym} (fictional): {attended} transcripts, {len(c.sessions) - attended} sessions not attended, {len(c.journal)} journal entries, {len(c.measures)} measures")
    for name in present:
        console.print(f"{name} is already loaded")
    console.print(f"database: {settings.url()}\n")
    ctx.invoke(client_list, ctx)
    if load_only:
        return
    # The listening engine over both clients (only what is stale), then Maya's sessions as it read them.
    for summary in summaries:
        if summary.client.pseudonym != "Maya":
            ctx.invoke(analyze, ctx, client=summary.client.id, quiet=True)
    maya = next((s for s in summaries if s.client.pseudonym == "Maya"), None)
    if maya is not None:
        ctx.invoke(analyze, ctx, client=maya.client.id)
        ctx.invoke(risk_list, ctx, client=None, unacknowledged=True)
        where = f"--data-dir {settings.resolved_data_dir()} " if settings.db is None else f"--db {settings.url()} "
        report_path = settings.resolved_data_dir() / "maya-report.html"
        report_path.parent.mkdir(parents=True, exist_ok=True)
        ctx.invoke(report, ctx, client=maya.client.id, out=report_path)
        console.print(
            f"\nNext: [bold]reverie {where}sessions --client Maya[/bold], then [bold]reverie {where}show SESSION_ID --annotated[/bold] reads a session with what each lens found; "
            f"open {report_path} in a browser for the supervision report; [bold]reverie {where}session --client Maya[/bold] talks with the companion."
        )


def _local(when: datetime, time_zone: str) -> datetime:
    from zoneinfo import ZoneInfo

    return when.astimezone(ZoneInfo(time_zone))


def _attendance(s: "Session") -> str:
    if s.attendance.value == "cancelled":
        notice = f", {s.notice_hours:g} h notice" if s.notice_hours is not None else ""
        return f"cancelled by {s.cancelled_by.value if s.cancelled_by else '?'}{notice}"
    if s.attendance.value == "no_show":
        return "no-show"
    return f"attended, {s.minutes_late} min late" if s.minutes_late else "attended"


def _minutes(s: "Session") -> str:
    return f"{s.actual_minutes}/{s.planned_minutes}" if s.actual_minutes is not None else f"-/{s.planned_minutes}"


