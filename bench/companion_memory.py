"""Benchmark: memory across sessions at five years of weekly history (part of the companion's
budget: p95 <= 150 ms per reply on 2 cores; retrieval should take only a few of those ms).

    python bench/companion_memory.py [--turns 50000] [--searches 1000]

Builds a synthetic index of 50,000 client turns (260 weekly sessions), times its build, then
1,000 searches with random queries and random people/feeling/theme filters, half of them with
``before`` and ``prefer_childhood``; then 200 turns of a companion conversation, each one
``add``-ed and searched, as a reply does. Vectors are clustered like real sentence vectors (40
topics, cosine about 0.5 within one), so many items pass ``min_similarity`` and the candidate
selection is exercised, not skipped.

``synthetic_index`` is shared with the end-to-end reply benchmark:
``sys.path.insert(0, "bench"); from companion_memory import synthetic_index``.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from reverie.analysis.embed import DIMENSIONS
from reverie.analysis.labelsets import GOEMOTIONS, ROLES, THEMES
from reverie.companion.memory import MemoryIndex, MemoryItem

START = datetime(2020, 1, 6, 18, 0, tzinfo=UTC)
TOPICS = 40
NAMES = ("anna", "sam", "jo", "mark", "priya", "tom", "lucy", "ben")
FEELINGS = tuple(e for e in GOEMOTIONS if e != "neutral")
PEOPLE = tuple(r for r in ROLES if r != "other") + NAMES
TEMPORAL = ("childhood", "past", "present", "future")
TEMPORAL_P = (0.15, 0.25, 0.5, 0.1)


def _unit(rows: np.ndarray) -> np.ndarray:
    unit: np.ndarray = (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)
    return unit


def _labels(rng: np.random.Generator, pool: tuple[str, ...], most: int) -> frozenset[str]:
    return frozenset(str(x) for x in rng.choice(pool, size=int(rng.integers(0, most + 1)), replace=False))


def synthetic_vectors(rng: np.random.Generator, n: int, centroids: np.ndarray) -> np.ndarray:
    """Unit vectors near one of the topic centroids (cosine to it about 0.7)."""
    topics = rng.integers(0, len(centroids), size=n)
    noise = _unit(rng.standard_normal((n, DIMENSIONS)))
    return _unit(centroids[topics] + noise)


def synthetic_history(turns: int = 50_000, seed: int = 0) -> tuple[list[MemoryItem], np.ndarray]:
    """Five years of weekly sessions holding ``turns`` client turns in all, with realistic labels."""
    rng = np.random.default_rng(seed)
    centroids = _unit(rng.standard_normal((TOPICS, DIMENSIONS)))
    sessions = max(1, min(260, turns))
    per = -(-turns // sessions)
    items = [
        MemoryItem(
            source_id=f"s{i // per:04d}",
            kind="session",
            turn=i % per,
            when=START + timedelta(weeks=i // per),
            text=f"synthetic client turn {i}",
            people=_labels(rng, PEOPLE, 2),
            feelings=_labels(rng, FEELINGS, 2),
            themes=_labels(rng, THEMES, 2),
            temporal=str(rng.choice(TEMPORAL, p=TEMPORAL_P)),
        )
        for i in range(turns)
    ]
    return items, synthetic_vectors(rng, turns, centroids)


def synthetic_index(turns: int = 50_000, seed: int = 0) -> MemoryIndex:
    """The index of ``synthetic_history``: what the reply benchmark searches."""
    return MemoryIndex(*synthetic_history(turns, seed))


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms · p95 {p95 * 1000:.2f} ms · max {ordered[-1] * 1000:.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=50_000)
    parser.add_argument("--searches", type=int, default=1_000)
    args = parser.parse_args()

    items, vectors = synthetic_history(args.turns, seed=0)
    start = time.perf_counter()
    index = MemoryIndex(items, vectors)
    build_s = time.perf_counter() - start

    rng = np.random.default_rng(1)
    centroids = _unit(np.random.default_rng(0).standard_normal((TOPICS, DIMENSIONS)))
    queries = synthetic_vectors(rng, args.searches, centroids)
    end = START + timedelta(weeks=260)
    index.search(queries[0])  # first-call overheads (BLAS threads) outside the timing
    searches: list[float] = []
    found = 0
    for n, query in enumerate(queries):
        half = n % 2 == 0
        before = START + timedelta(weeks=int(rng.integers(1, 261))) if half else None
        start = time.perf_counter()
        found += len(
            index.search(
                query,
                people=_labels(rng, PEOPLE, 2),
                feelings=_labels(rng, FEELINGS, 2),
                themes=_labels(rng, THEMES, 1),
                before=before,
                prefer_childhood=half,
            )
        )
        searches.append(time.perf_counter() - start)

    conversation: list[float] = []
    for turn, vector in enumerate(synthetic_vectors(rng, 200, centroids)):
        said = end + timedelta(minutes=turn)
        start = time.perf_counter()
        index.add(MemoryItem("conversation", "companion", turn, said, f"companion turn {turn}"), vector)
        index.search(vector, before=said, prefer_childhood=True)
        conversation.append(time.perf_counter() - start)

    print(f"{args.turns:,} items, {os.cpu_count()} CPUs\n")
    print("| measure | figure |")
    print("|---|---|")
    print(f"| build the index | {build_s:.2f} s |")
    print(f"| {args.searches:,} searches with filters | {_ms(searches)} |")
    print(f"| results per search | {found / len(queries):.2f} |")
    print(f"| add + search, 200 conversation turns | {_ms(conversation)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
