"""Record identifiers.

Ids are random rather than database sequences so that a client exported from one installation
keeps its ids when imported into another (export → import must be lossless).
"""

import secrets


def new_id(prefix: str) -> str:
    """A short random id such as ``c-3f9a1b2c4d5e`` (48 random bits)."""
    return f"{prefix}-{secrets.token_hex(6)}"
