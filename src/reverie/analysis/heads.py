"""Small classifier heads over sentence vectors, trained by ``tools/train_heads.py``.

Each head is a linear layer (softmax for single-label tasks, sigmoid for multi-label ones), except
affect: an MLP over the vector averaged with a bag-of-words model over the text. Weights ship in ``models/`` with a JSON file giving the command that made them, the
dev metrics they reached and their sha256, which is checked at load: altered weights would change
every analysis without a trace.
"""

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reverie.analysis.lexical import LexicalModel
from reverie.errors import ReverieError

MODELS = Path(__file__).parent / "models"


@dataclass(frozen=True)
class Head:
    task: str
    labels: tuple[str, ...]
    multi_label: bool
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]
    thresholds: np.ndarray

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        x = vectors
        for i, (w, b) in enumerate(self.layers):
            x = x @ w + b
            if i < len(self.layers) - 1:
                x = np.maximum(x, 0)
        if self.multi_label:
            sigmoid: np.ndarray = 1 / (1 + np.exp(-np.clip(x, -60, 60)))
            return sigmoid
        e = np.exp(x - x.max(axis=1, keepdims=True))
        softmax: np.ndarray = e / e.sum(axis=1, keepdims=True)
        return softmax


@dataclass(frozen=True)
class AffectHead:
    """The vector MLP and the word model, mixed as ``(1 - mix) * mlp + mix * words``."""

    vectors: Head
    words: LexicalModel
    mix: float

    @property
    def labels(self) -> tuple[str, ...]:
        return self.vectors.labels

    @property
    def thresholds(self) -> np.ndarray:
        return self.vectors.thresholds

    def probabilities(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        mixed: np.ndarray = (1 - self.mix) * self.vectors.probabilities(vectors) + self.mix * self.words.probabilities(texts)
        return mixed


def _verified(npz: Path) -> dict[str, np.ndarray]:
    meta = npz.with_suffix(".json")
    try:
        expected = json.loads(meta.read_text(encoding="utf-8"))["weights_sha256"]
        data = npz.read_bytes()
    except (FileNotFoundError, KeyError, json.JSONDecodeError):
        raise ReverieError("R406", f"the trained weights {npz.name} or their record {meta.name} are missing", "reinstall Reverie, or retrain with the command in the tools/ folder", path=npz) from None
    if hashlib.sha256(data).hexdigest() != expected:
        raise ReverieError("R406", f"{npz.name} does not match the sha256 recorded in {meta.name}", "reinstall Reverie, or retrain with the tools/ script, which writes both files", path=npz)
    with np.load(npz) as loaded:
        return {k: loaded[k] for k in loaded.files}


def _load_affect() -> AffectHead:
    d = _verified(MODELS / "affect_head.npz")
    layers = ((d["w1"].astype(np.float32), d["b1"].astype(np.float32)), (d["w2"].astype(np.float32), d["b2"].astype(np.float32)))
    mlp = Head("affect", tuple(str(x) for x in d["labels"]), True, layers, d["thresholds"].astype(np.float32))
    return AffectHead(mlp, LexicalModel.from_arrays(d["lex_terms"], d["lex_idf"], d["lex_w"], d["lex_b"]), float(d["mix"]))


def _load_tasks() -> dict[str, Head]:
    d = _verified(MODELS / "task_heads.npz")
    heads: dict[str, Head] = {}
    for task in sorted({k.split(".")[0] for k in d if not k.endswith(("knn_vectors", "knn_risky"))}):
        heads[task] = Head(
            task,
            tuple(str(x) for x in d[f"{task}.labels"]),
            bool(d[f"{task}.multi_label"]),
            ((d[f"{task}.w"].astype(np.float32), d[f"{task}.b"].astype(np.float32)),),
            d[f"{task}.thresholds"].astype(np.float32),
        )
    return heads


def risk_examples() -> tuple[np.ndarray, np.ndarray]:
    """The risk head's training examples: unit vectors and whether each is ideation or above."""
    with _lock:
        if "risk" not in _examples:
            d = _verified(MODELS / "task_heads.npz")
            _examples["risk"] = (d["risk.knn_vectors"].astype(np.float32), d["risk.knn_risky"].astype(bool))
        return _examples["risk"]


def affect_head() -> AffectHead:
    with _lock:
        if not _affect:
            _affect.append(_load_affect())
        return _affect[0]


_affect: list[AffectHead] = []
_examples: dict[str, tuple[np.ndarray, np.ndarray]] = {}
_cache: dict[str, Head] = {}
_lock = threading.Lock()


def head(task: str) -> Head:
    with _lock:
        if not _cache:
            _cache.update(_load_tasks())
        if task not in _cache:
            raise ReverieError("R406", f"no trained head for {task!r}", "retrain with tools/train_heads.py")
        return _cache[task]
