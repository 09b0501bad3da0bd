"""Benchmark: companion reply time with five years of weekly history (budget: p95 <= 150 ms, 2 cores).

    python bench/companion_latency.py

Maya's real memory from the demo case (her analysed client turns and journal entries, with their
vectors, people, feelings and themes) is repeated back in time until it holds 50,000 turns, about
five years of weekly sessions, so retrieval finds realistic matches at realistic cost. The 200
replay turns of `bench/data/companion_replay.jsonl` are then answered one by one, as in
`reverie session` with the template renderer (safety check, lenses, memory, policy, gate).
Baselines in the same run: the same replies with an empty memory, and the encoder alone on each
client turn (the floor every reply pays).
"""

import os
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from companion_quality import maya_memory, percentile, replay_rows, timed
from reverie.analysis.embed import shared_encoder
from reverie.companion.memory import MemoryIndex
from reverie.present.companion import replay_replies

TURNS = 50_000


def stretched(memory: MemoryIndex, turns: int) -> MemoryIndex:
    """The memory repeated further and further back (26 weeks a copy) until it has ``turns`` items."""
    items = list(memory.items)
    vectors = memory.vectors
    out_items, out_vectors = [], []
    copy = 0
    while len(out_items) < turns:
        shift = timedelta(weeks=26 * copy)
        out_items += [replace(item, when=item.when - shift, source_id=f"{item.source_id}~{copy}") for item in items]
        out_vectors.append(vectors)
        copy += 1
    return MemoryIndex(out_items[:turns], np.vstack(out_vectors)[:turns])


def timings(memory: MemoryIndex, label: str, results: dict[str, list[float]]) -> None:
    maya, known = CASE
    seconds: list[float] = []
    for _ in timed(replay_replies(replay_rows(), maya, replace(known, index=memory), start_at=datetime.now(UTC)), seconds):
        pass
    results[label] = seconds


def ms(values: list[float], q: float) -> float:
    return percentile(values, q) * 1000


CASE = maya_memory()


def main() -> int:
    memory = CASE[1].index
    big = stretched(memory, TURNS)
    results: dict[str, list[float]] = {}
    timings(MemoryIndex.empty(), "warm-up", {})
    timings(big, f"reply, {len(big):,} turns of memory", results)
    timings(MemoryIndex.empty(), "reply, empty memory (baseline)", results)
    encoder = shared_encoder()
    alone = []
    for row in replay_rows():
        t = time.perf_counter()
        encoder.encode([row.text])
        alone.append(time.perf_counter() - t)
    results["encoder alone on the client turn (floor)"] = alone
    print(f"{len(replay_rows())} replies, Maya's memory ({len(memory):,} turns) stretched to {len(big):,}, {os.cpu_count()} CPUs\n")
    print("| measure | p50 | p95 | max |")
    print("|---|---|---|---|")
    for label, values in results.items():
        print(f"| {label} | {ms(values, 0.5):.1f} ms | {ms(values, 0.95):.1f} ms | {ms(values, 1.0):.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
