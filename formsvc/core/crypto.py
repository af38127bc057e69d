"""Personal data at rest: what the database keeps of a document is encrypted (Fernet:
AES-128-CBC with HMAC-SHA256, from the `cryptography` package).

The keys live outside the database (instance/data_key, or DATA_KEYS). The first key encrypts;
every key decrypts, so a new key can be put first while the old ones still read what they
wrote, and `flask --app formsvc rotate-keys` then re-encrypts every row with the new key.
"""
from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import LargeBinary, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class KeyRing:
    """The keys this process knows: the newest configured encrypts, all decrypt."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def configure(self, keys: list[str]) -> None:
        """Make keys[0] the one that encrypts; remember every key for decrypting."""
        if not keys:
            raise ValueError("at least one data key is needed")
        for key in keys:
            Fernet(key.encode())   # a malformed key stops the start-up here
        self.keys = list(dict.fromkeys([*keys, *self.keys]))

    def _fernet(self) -> MultiFernet:
        if not self.keys:
            raise RuntimeError("no data key configured")
        return MultiFernet([Fernet(k.encode()) for k in self.keys])

    def encrypt(self, data: bytes) -> bytes:
        """A token for `data` made with the first key."""
        return self._fernet().encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        """The data of a token made with any known key (InvalidToken if none made it)."""
        return self._fernet().decrypt(token)

    def rotate(self, token: bytes) -> bytes:
        """The token re-made with the first key."""
        return self._fernet().rotate(token)


RING = KeyRing()


def new_key() -> str:
    """A fresh random key."""
    return Fernet.generate_key().decode()


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value stored as an encrypted token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return RING.encrypt(json.dumps(value, ensure_ascii=False).encode("utf-8")).decode("ascii")

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(RING.decrypt(str(value).encode("ascii")))


class EncryptedBytes(TypeDecorator[bytes]):
    """Bytes (a document file) stored as an encrypted token."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else RING.encrypt(value)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else RING.decrypt(bytes(value))


__all__ = ["RING", "EncryptedBytes", "EncryptedJSON", "InvalidToken", "KeyRing", "new_key"]
