"""Streaming ``reverie label``: JSONL in, JSONL out, in order, with a progress bar on stderr."""

import json
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import IO, Any

from reverie.errors import ReverieError

CHUNK = 64


def _label_chunk(task: str, numbered: list[tuple[int, str]]) -> list[dict[str, Any]]:
    """Label one chunk in a worker process; errors become rows so order is kept."""
    from reverie.analysis.labelling import Labeller, parse_row

    labeller = _labellers.get(task) or _labellers.setdefault(task, Labeller(task))
    parsed: list[tuple[int, Any]] = []
    for number, line in numbered:
        try:
            parsed.append((number, parse_row(line, number, task)))
        except ReverieError as exc:
            parsed.append((number, exc))
    good = [item for _, item in parsed if not isinstance(item, ReverieError)]
    results = iter(labeller.label(good))
    out: list[dict[str, Any]] = []
    for number, item in parsed:
        if isinstance(item, ReverieError):
            out.append({"id": _raw_id(numbered, number), "task": task, "error": str(item), "line": number})
        else:
            out.append(next(results))
    return out


_labellers: dict[str, Any] = {}


def _raw_id(numbered: list[tuple[int, str]], number: int) -> Any:
    line = dict(numbered)[number]
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return None
    return value.get("id") if isinstance(value, dict) else None


def _chunks(lines: Iterable[str]) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            chunk.append((number, line))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_label(task: str, source: IO[str], sink: IO[str], *, workers: int = 1, total: int | None = None) -> int:
    """Label every row; returns the number of malformed rows."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from reverie.analysis.labelling import Labeller

    Labeller(task)  # fail fast on an unknown task, before reading any input
    errors = 0
    progress = Progress(TextColumn(f"labelling {task}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=False)
    with progress:
        bar = progress.add_task(task, total=total)
        for rows in _results(task, source, workers):
            for row in rows:
                if "error" in row:
                    errors += 1
                    print(f"error: {row['error']}", file=sys.stderr)
                sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            sink.flush()
            progress.advance(bar, len(rows))
    return errors


def _results(task: str, source: IO[str], workers: int) -> Iterator[list[dict[str, Any]]]:
    if workers <= 1:
        for chunk in _chunks(source):
            yield _label_chunk(task, chunk)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        in_flight: deque[Future[list[dict[str, Any]]]] = deque()
        for chunk in _chunks(source):
            in_flight.append(pool.submit(_label_chunk, task, chunk))
            if len(in_flight) >= 2 * workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
