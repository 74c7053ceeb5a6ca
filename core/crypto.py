"""Encryption at rest for the identity vault, and keyed hashes for exact-match search.

Keys live outside the database (environment variables or key files, see settings). Several
encryption keys may be configured: the first encrypts, every one decrypts, so keys rotate
without downtime (``manage.py rotate_keys`` re-encrypts every row with the first key).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models
from django.db.models.expressions import Combinable

if TYPE_CHECKING:
    # django-stubs' fields are generic (the set and get types); at runtime they are not subscriptable.
    _TextField = models.TextField[str | Combinable, str]
    _BinaryField = models.BinaryField[bytes | bytearray | memoryview | Combinable | None, bytes | None]
else:
    _TextField = models.TextField
    _BinaryField = models.BinaryField


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SINTAS_ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return fernet().decrypt(token)


def encrypt_str(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_str(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:  # a key was removed before every row was rotated
        raise ValueError("Identity data cannot be decrypted with the configured keys.") from exc


def rotate_token(token: str) -> str:
    """Re-encrypt with the primary (first) key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a normalised value: equal inputs match, the hash alone reveals nothing
    without the key (a 16-digit NIK could be brute-forced from a plain hash)."""
    key = hashlib.sha256(f"{purpose}:{settings.SINTAS_HASH_KEY}".encode()).digest()
    return hmac.new(key, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(_TextField):
    """A text column holding a Fernet token; Python code only ever sees the plain text.

    Encrypted values cannot be filtered or sorted in SQL; pair the field with a keyed hash
    where exact-match search is needed (``Identity.nik_hash``).
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_str(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_str(str(value))


class EncryptedBinaryField(_BinaryField):
    """Encrypted file contents (a survivor's photo)."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> bytes | None:
        if value is None:
            return None
        return decrypt_bytes(bytes(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is not None and not prepared:
            value = encrypt_bytes(bytes(value))
        return super().get_db_prep_value(value, connection, prepared)
