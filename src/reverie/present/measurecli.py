"""``reverie measure``: add, take and list symptom measures (PHQ-9, GAD-7, PCL-5).

Kept apart from ``cli.py`` and light at import: the store, the scoring and Rich are imported
inside the commands, so registering this sub-app costs ``reverie --help`` nothing. What it
shares with the other commands comes from ``context.py``; the console helpers of ``cli.py`` are
fetched inside the commands (``cli`` imports this module).
"""

import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from reverie.errors import ReverieError
from reverie.present.context import ClientRef, ReverieGroup, settings_of

if TYPE_CHECKING:
    from reverie.insight.measures import Instrument, Point, Score
    from reverie.record import Client, MeasureResponse
    from reverie.store import Store


measure_app = typer.Typer(
    cls=ReverieGroup,
    no_args_is_help=True,
    help="Symptom measures: PHQ-9 (depression), GAD-7 (anxiety), PCL-5 (trauma), with severity and reliable change.\n\n"
    "Example: [bold]reverie measure add phq9 --client Maya --items 1,2,1,1,0,2,1,0,0[/bold]",
)

InstrumentArg = Annotated[str, typer.Argument(metavar="INSTRUMENT", help="phq9 (PHQ-9), gad7 (GAD-7) or pcl5 (PCL-5).", show_default=False)]

# Said to the person answering when PHQ-9 item 9 is above 0, before the next item: warm, short,
# and with the crisis line of their own region (safety.resources), whatever else happens.
SAFETY_NOTE = (
    "Thank you for answering that honestly. Thoughts like these can be very heavy to carry, and you do not have to "
    "carry them alone: your therapist will see this answer and can talk it through with you."
)


@measure_app.command("add")
def measure_add(
    ctx: typer.Context,
    name: InstrumentArg,
    client: ClientRef,
    items: Annotated[str, typer.Option("--items", "-i", help="One answer per item, in order, comma-separated; leave a place empty (or '-') for a skipped item.")],
    date: Annotated[str | None, typer.Option(help="When it was answered, e.g. 2026-01-08 or 2026-01-08T17:00 (default: now), in the client's time zone.")] = None,
) -> None:
    """Record a completed questionnaire and print its total, severity and change since the first.

    Everything is checked before anything is stored: the instrument (R701), the number of answers (R702) and each answer (R703). A PHQ-9 item 9 answered above 0 creates a risk event for the clinician in the same transaction.

    Example: [bold]reverie measure add phq9 --client Maya --items 1,2,1,1,0,2,1,0,0 --date 2026-01-08[/bold]
    """
    from reverie.insight.measures import instrument, parse_items

    inst = instrument(name)
    answers = parse_items(items, inst)
    with settings_of(ctx).open_store() as store:
        who = store.find_client(client)
        when = _when(date, who)
        _store_and_report(store, who, inst, answers, when)


@measure_app.command("take")
def measure_take(
    ctx: typer.Context,
    name: InstrumentArg,
    client: ClientRef,
) -> None:
    """Answer a questionnaire in the terminal, item by item, then store it and print the result.

    Shows the instructions and each item with its answer labels; type the number of an answer, or press Enter to skip an item. A PHQ-9 item 9 answered above 0 shows the client's local crisis line at once, and creates a risk event for the clinician. Ctrl-D stops without storing anything.

    Example: [bold]reverie measure take gad7 --client Maya[/bold]
    """
    from reverie.insight.measures import answer_scale, instrument, parse_answer

    inst = instrument(name)
    interactive = sys.stdin.isatty()
    with settings_of(ctx).open_store() as store:
        who = store.find_client(client)
        typer.echo(f"{inst.title} for {who.pseudonym}")
        typer.echo(inst.instructions)
        typer.echo(f"Answers: {answer_scale(inst)}. Press Enter to skip an item.\n")
        answers: list[int | None] = []
        for n, text in enumerate(inst.items, start=1):
            typer.echo(f"{n}. {text}")
            while True:
                if interactive:
                    typer.echo(f"   answer 0-{inst.max_answer}> ", nl=False)
                line = sys.stdin.readline()
                if not line:
                    typer.echo("stopped before the end: nothing was stored", err=True)
                    raise typer.Exit(1)
                try:
                    answer = parse_answer(line, inst, n)
                except ReverieError:
                    typer.echo(f"   Please type a number from 0 to {inst.max_answer} ({answer_scale(inst)}), or press Enter to skip.")
                    continue
                break
            answers.append(answer)
            if inst.risk_item == n - 1 and answer is not None and answer > 0:
                _safety_note(who)
        typer.echo("")
        _store_and_report(store, who, inst, answers, datetime.now(UTC))


@measure_app.command("list")
def measure_list(
    ctx: typer.Context,
    client: ClientRef,
    name: Annotated[str | None, typer.Option("--instrument", help="Only this instrument (phq9, gad7, pcl5).")] = None,
) -> None:
    """List a client's measures over time: total, severity and reliable change since the first.

    Reliable change is the Jacobson-Truax index (|RCI| > 1.96); "clinically significant" adds crossing the instrument's cut-off (PHQ-9 10, GAD-7 10, PCL-5 33). A prorated total is marked with *; a form with too many skipped items has no total.

    Example: [bold]reverie measure list --client Maya --instrument phq9[/bold]
    """
    from rich.table import Table

    from reverie.insight.measures import instrument, trajectory
    from reverie.present.cli import _console, _local

    only = instrument(name).name if name else None
    with settings_of(ctx).open_store() as store:
        who = store.find_client(client)
        points = trajectory([m for m in store.load_case(who.id).measures if only is None or m.instrument == only])
    baselines = {p.response.instrument: p.response.id for p in reversed(points) if p.score.total is not None}
    table = Table("date", "instrument", "total", "severity", "from first", "reliable change", "note", title=f"{who.pseudonym} ({who.id}): measures")
    for p in points:
        s = p.score
        total = "-" if s.total is None else f"{s.total}*" if s.prorated else str(s.total)
        change = p.from_first
        table.add_row(
            f"{_local(p.response.taken_at, who.time_zone):%Y-%m-%d}",
            p.instrument.title,
            total,
            s.band or "incomplete",
            "-" if change is None else f"{change.difference:+d}",
            change.verdict if change is not None else "baseline" if baselines.get(p.response.instrument) == p.response.id else "-",
            _note(p.score, p.instrument),
        )
    empty = f"{who.pseudonym} has no measures yet: add one with 'reverie measure add phq9 --client {who.pseudonym} --items ...'"
    _console().print(table if points else empty)
    if points:
        _console().print("* prorated from the answered items (missing-item rule in the README)")


def _note(score: "Score", inst: "Instrument") -> str:
    notes = []
    if score.missing:
        notes.append(f"skipped item{'s' if len(score.missing) > 1 else ''} {', '.join(map(str, score.missing))}")
    if score.risk_item_positive and inst.risk_item is not None:
        notes.append(f"item {inst.risk_item + 1} above 0: see 'reverie risk list'")
    elif score.risk_item_missing and inst.risk_item is not None:
        notes.append(f"item {inst.risk_item + 1} skipped: ask about it")
    return "; ".join(notes)


def _when(date: str | None, who: "Client") -> datetime:
    """``--date`` in the client's time zone (the date they answered where they live), else now."""
    if date is None:
        return datetime.now(UTC)
    from reverie.ingest.transcript import localize, parse_when

    return localize(parse_when(date, where="--date"), who.time_zone)


def _safety_note(who: "Client") -> None:
    from reverie.safety.resources import load_resources

    typer.echo("")
    typer.echo(f"   {SAFETY_NOTE}")
    typer.echo(f"   If you need to talk to someone now: {load_resources().for_locale(who.locale).sentence()}")
    typer.echo("")


def _store_and_report(store: "Store", who: "Client", inst: "Instrument", answers: list[int | None], when: datetime) -> None:
    """Store the response, then print its score and how it compares with the client's first and previous."""
    from reverie.insight.measures import trajectory
    from reverie.present.cli import _local
    from reverie.record import MeasureResponse

    response = MeasureResponse(client_id=who.id, instrument=inst.name, answers=tuple(answers), taken_at=when)
    store.add_measures([response])
    points = trajectory(_responses(store, who.id, inst.name))
    point = next(p for p in points if p.response.id == response.id)
    s = point.score
    day = f"{_local(when, who.time_zone):%Y-%m-%d}"
    if s.total is None:
        typer.echo(
            f"{inst.title} for {who.pseudonym} on {day}: stored ({response.id}), but not scored: {len(s.missing)} of {len(inst.items)} items "
            f"skipped and at most {inst.max_missing} may be"
        )
    else:
        typer.echo(f"{inst.title} for {who.pseudonym} on {day}: total {s.total} of {inst.max_total}, {s.band} ({response.id})")
        if s.prorated:
            typer.echo(f"  prorated from {s.answered} of {len(inst.items)} answered items (skipped: {', '.join(map(str, s.missing))})")
        first, previous = _first(points, point), _previous(points, point)
        for label, change, other in (("first", point.from_first, first), ("previous", point.from_previous, previous)):
            if change is not None and other is not None and not (label == "previous" and other is first):
                typer.echo(
                    f"  since the {label} ({_local(other.response.taken_at, who.time_zone):%Y-%m-%d}, {change.before}): "
                    f"{change.difference:+d}, {change.verdict} (RCI {change.rci:+.2f})"
                )
    if s.risk_item_positive and inst.risk_item is not None:
        typer.echo(
            f"Item {inst.risk_item + 1} was answered {answers[inst.risk_item]}: a risk event was created for the clinician; "
            f"see 'reverie risk list --client {who.pseudonym}'"
        )
    elif s.risk_item_missing and inst.risk_item is not None:
        typer.echo(f"Item {inst.risk_item + 1} (thoughts of being better off dead or of self-harm) was skipped: ask about it.")


def _first(points: "list[Point]", point: "Point") -> "Point | None":
    return next((p for p in points if p.score.total is not None), None) if point.from_first else None


def _previous(points: "list[Point]", point: "Point") -> "Point | None":
    before = [p for p in points[: points.index(point)] if p.score.total is not None]
    return before[-1] if before else None


def _responses(store: "Store", client_id: str, name: str) -> "list[MeasureResponse]":
    """A client's stored responses to one instrument (the store keeps them with the case record)."""
    return [m for m in store.load_case(client_id).measures if m.instrument == name]
