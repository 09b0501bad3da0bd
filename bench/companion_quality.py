"""Benchmark: the companion over 200 varied client turns (the conformance report of `make bench`).

    python bench/companion_quality.py [--json out.json] [--show]

Loads the fictional demo case into a temporary SQLite database, analyses Maya's record (her
memory), and replays `bench/data/companion_replay.jsonl` (200 developer-written turns, one
conversation that the client closes and reopens) through the companion with the template
renderer. Reports:

- the moves chosen;
- sentences repeated within a conversation (the rule: never; the fixed safety response is exempt);
- replies that fail the output gate (means, diagnosis, confidentiality, medication, promises);
- replies the interventions analyzer reads as advice, in the same run for a baseline of
  advice-giving replies written to look like a CBT chatbot's (so the figure means something);
- conformance problems per move (`reverie.companion.conformance`);
- the time each reply took, with Maya's real memory (24 sessions, 16 journal entries).
"""

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reverie.analysis.document import Document
from reverie.analysis.labelling import Labeller
from reverie.analysis.lenses import default_pipeline
from reverie.companion import conformance
from reverie.companion.moves import MoveName
from reverie.companion.templates import fold, sentences
from reverie.present.analyze import analyze_client
from reverie.present.companion import ClientMemory, ReplayRow, load_memory, read_replay, replay_replies
from reverie.present.demo import load_demo
from reverie.record import Client, Speaker, Turn
from reverie.safety.gate import check_reply
from reverie.store import Store

ROOT = Path(__file__).resolve().parents[1]
REPLAY = ROOT / "bench" / "data" / "companion_replay.jsonl"

# What a directive chatbot says: the baseline the advice count is read against.
ADVICE_BASELINE = (
    "You should talk to Karen tomorrow and tell her the design was yours.",
    "Try writing down three things you're grateful for before bed.",
    "I recommend setting a boundary with your mother: call her once a week, not every day.",
    "Have you tried going for a walk when you feel like this? Exercise really helps.",
    "You need to tell Daniel how you feel tonight.",
    "Make a list of the pros and cons of leaving him.",
    "Why don't you ask your GP about a higher dose?",
    "Next time you notice that thought, challenge it: is it really true?",
    "It would be a good idea to take a break from work this weekend.",
    "Just tell yourself that it doesn't matter what Karen thinks.",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def maya_memory() -> tuple[Client, ClientMemory]:
    """The demo client's memory as `reverie session` builds it: loaded, analysed, from a real store."""
    with tempfile.TemporaryDirectory() as tmp, Store.open(f"sqlite:///{Path(tmp) / 'bench.db'}", Path(tmp) / "bench.key", create=True) as store:
        load_demo(store, None)
        maya = store.find_client("Maya")
        analyze_client(store, maya.id, default_pipeline())
        known = load_memory(store, maya.id)
    return maya, known


def replay_rows() -> list[ReplayRow]:
    return read_replay(REPLAY.read_text(encoding="utf-8").splitlines(), str(REPLAY))


def run(show: bool) -> dict[str, Any]:
    maya, known = maya_memory()
    rows = replay_rows()
    moves: Counter[str] = Counter()
    problems: Counter[str] = Counter()
    repeated: list[tuple[str, str]] = []
    gate_failures: list[str] = []
    seconds: list[float] = []
    replies: list[tuple[str, str]] = []
    seen: dict[str, set[str]] = {}
    start = time.perf_counter()
    for row, reply, companion in timed(replay_replies(rows, maya, known, start_at=datetime.now(UTC)), seconds):
        moves[str(reply.move.name)] += 1
        # The analyzer reads the companion's own words: the client's, quoted back, are masked.
        replies.append((row.id, re.sub(r'"[^"]*"', '"…"', reply.phrased or reply.text)))
        if show:
            print(f"{row.id} {reply.move.name:<22} {row.text[:60]!r:<64} => {reply.text}")
        if reply.move.name is not MoveName.SAFETY:
            used = seen.setdefault(companion.id, set())
            for s in sentences(reply.text):
                if fold(s) in used and not s.startswith("Just so you know"):
                    repeated.append((row.id, s))
                used.add(fold(s))
            for p in conformance.check(reply.move, reply.phrased or reply.text):
                problems[f"{reply.move.name}: {p}"] += 1
        if not check_reply(reply.text).passed:
            gate_failures.append(row.id)
    total = time.perf_counter() - start
    labeller = Labeller("intervention")
    docs = [(i, Document((Turn(Speaker.THERAPIST, text),))) for i, text in replies]
    advice = [o["id"] for o in labeller.label(docs) if "advice" in o["labels"]]
    baseline = [o["id"] for o in labeller.label([(str(n), Document((Turn(Speaker.THERAPIST, t),))) for n, t in enumerate(ADVICE_BASELINE)]) if "advice" in o["labels"]]
    conversations = len(seen)
    return {
        "rows": len(rows),
        "conversations": conversations,
        "moves": dict(moves.most_common()),
        "repeated_sentences": repeated,
        "gate_failures": gate_failures,
        "advice_replies": advice,
        "advice_baseline": f"{len(baseline)}/{len(ADVICE_BASELINE)}",
        "conformance_problems": dict(problems.most_common()),
        "reply_ms": {"p50": round(percentile(seconds, 0.5) * 1000, 1), "p95": round(percentile(seconds, 0.95) * 1000, 1), "max": round(max(seconds) * 1000, 1)},
        "seconds": round(total, 1),
    }


def timed(replies: Any, seconds: list[float]) -> Any:
    """Yields from ``replies``, appending how long each item took to produce (the reply time)."""
    while True:
        t = time.perf_counter()
        try:
            item = next(replies)
        except StopIteration:
            return
        seconds.append(time.perf_counter() - t)
        yield item


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--show", action="store_true", help="print every turn and reply")
    args = parser.parse_args()
    r = run(args.show)
    print(f"{r['rows']} client turns in {r['conversations']} conversations (Maya's memory from the demo case)\n")
    print("| check | result |")
    print("|---|---|")
    print(f"| sentences repeated within a conversation | {len(r['repeated_sentences'])} |")
    print(f"| replies failing the output gate | {len(r['gate_failures'])} |")
    print(f"| replies the interventions analyzer reads as advice | {len(r['advice_replies'])} (directive baseline: {r['advice_baseline']} read as advice) |")
    print(f"| conformance problems | {sum(r['conformance_problems'].values())} |")
    print(f"| reply time p50 / p95 / max | {r['reply_ms']['p50']} / {r['reply_ms']['p95']} / {r['reply_ms']['max']} ms |")
    print("\n| move | replies |")
    print("|---|---|")
    for move, n in r["moves"].items():
        print(f"| {move} | {n} |")
    if r["conformance_problems"]:
        print("\nconformance problems:", json.dumps(r["conformance_problems"]))
    for row_id, sentence in r["repeated_sentences"]:
        print(f"repeated in {row_id}: {sentence}")
    if args.json:
        args.json.write_text(json.dumps(r, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
