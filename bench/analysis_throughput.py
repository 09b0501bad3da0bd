"""Benchmark: the listening engine end to end on 2 cores (budget: >= 150 turns/s; a 200-turn
session in <= 2 s).

    python bench/analysis_throughput.py

Runs the default pipeline (vectors and every lens) over all demo transcripts, then over one
200-turn session made of two demo sessions back to back. The baseline in the same run is the
encoder alone: the share of the time the lenses add on top of the sentence vectors.
"""

import os
import sys
import time

from reverie.analysis.document import Document
from reverie.analysis.embed import shared_encoder
from reverie.analysis.lenses import default_pipeline
from reverie.present.demo import read_demo


def main() -> int:
    sessions = [s for case in read_demo() for s in case.sessions if s.turns]
    turns = [t for s in sessions for t in s.turns]
    pipeline = default_pipeline()
    pipeline(Document(sessions[0].turns[:5]))  # load the model and heads once, outside the timing
    start = time.perf_counter()
    shared_encoder().encode([t.text for t in turns])
    encode_s = time.perf_counter() - start
    start = time.perf_counter()
    for s in sessions:
        pipeline(Document(s.turns, session=s))
    total_s = time.perf_counter() - start
    long_turns = (sessions[0].turns + sessions[1].turns + sessions[2].turns)[:200]
    start = time.perf_counter()
    pipeline(Document(long_turns))
    long_s = time.perf_counter() - start
    print(f"{len(sessions)} demo sessions, {len(turns)} turns, {os.cpu_count()} CPUs\n")
    print("| measure | figure |")
    print("|---|---|")
    print(f"| whole pipeline, all demo sessions | {len(turns) / total_s:.0f} turns/s ({total_s:.1f} s) |")
    print(f"| encoder alone (baseline) | {len(turns) / encode_s:.0f} turns/s ({encode_s:.1f} s) |")
    print(f"| lenses on top of the encoder | {max(0.0, total_s - encode_s) / total_s:.0%} of the time |")
    print(f"| one 200-turn session | {long_s:.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
