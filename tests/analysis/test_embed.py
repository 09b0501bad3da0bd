import socket
from pathlib import Path

import numpy as np
import pytest

from reverie.analysis.embed import Encoder, model_file, shared_encoder
from reverie.errors import ReverieError


def test_vectors_are_unit_length_and_meaningful() -> None:
    v = shared_encoder().encode(["I miss my grandmother so much.", "I really miss my gran.", "The invoice is attached.", ""])
    assert v.shape == (4, 384)
    assert np.allclose(np.linalg.norm(v[:3], axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3


def test_batching_and_order_do_not_change_vectors() -> None:
    texts = ["short", "a much longer sentence about a dream I had last night in my old school", "medium length one"]
    one_by_one = np.stack([shared_encoder().encode([t])[0] for t in texts])
    assert np.allclose(shared_encoder().encode(texts), one_by_one, atol=1e-4)


def test_altered_model_is_refused(tmp_path: Path) -> None:
    altered = tmp_path / "model.onnx"
    data = bytearray(model_file().read_bytes())
    data[1000] ^= 0xFF
    altered.write_bytes(bytes(data))
    with pytest.raises(ReverieError) as err:
        Encoder(altered)
    assert err.value.code == "R402"
    with pytest.raises(ReverieError) as err:
        Encoder(tmp_path / "missing.onnx")
    assert err.value.code == "R401"


def test_encoding_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert Encoder().encode(["offline"]).shape == (1, 384)
