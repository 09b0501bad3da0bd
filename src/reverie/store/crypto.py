"""Encryption of free text at rest.

Transcripts and journals are the most sensitive things Reverie holds, so they never reach the
database file in clear: each value is sealed with AES-256-GCM under a key kept outside the
database (``reverie.key`` in the data folder, or ``REVERIE_KEY_FILE``). The associated data names
the column, so a ciphertext moved to another column does not open.
"""

import base64
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from reverie.errors import ReverieError

# A known text sealed into ``meta`` when a database is created: opening it proves the key is right.
KEY_CHECK = "key_check"
KEY_CHECK_TEXT = "reverie key check"

_VERSION = b"\x01"
_NONCE_BYTES = 12


def key_path(data_dir: Path) -> Path:
    configured = os.environ.get("REVERIE_KEY_FILE")
    return Path(configured).expanduser() if configured else data_dir / "reverie.key"


def create_key(path: Path) -> None:
    """Write a new random key readable by its owner only; never overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(base64.b64encode(secrets.token_bytes(32)) + b"\n")


def load_key(path: Path) -> bytes:
    try:
        raw = path.read_bytes().strip()
    except FileNotFoundError:
        raise ReverieError(
            "R104",
            f"the encryption key {path} is missing",
            "restore it from your backup (without it the text in this database cannot be read), or run 'reverie init' for a new, empty database",
        ) from None
    try:
        key = base64.b64decode(raw, validate=True)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ReverieError("R104", f"{path} does not hold a Reverie key", "restore the key file from your backup")
    return key


class TextCipher:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, text: str, column: str) -> bytes:
        return self.seal_bytes(text.encode("utf-8"), column)

    def open(self, blob: bytes, column: str) -> str:
        return self.open_bytes(blob, column).decode("utf-8")

    def seal_bytes(self, data: bytes, column: str) -> bytes:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, data, column.encode())

    def open_bytes(self, blob: bytes, column: str) -> bytes:
        if blob[:1] != _VERSION:
            raise ReverieError("R104", f"a value in {column} is not sealed by Reverie", "restore the database from a backup")
        nonce, body = blob[1 : 1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, column.encode())
        except InvalidTag:
            raise ReverieError("R104", f"the key does not open the text in {column}", "use the key file this database was created with (REVERIE_KEY_FILE)") from None
