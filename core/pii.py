"""Personal data at rest (PIPL art. 28 and 51): ID numbers are stored encrypted, with a keyed
hash beside them for exact search and uniqueness, and a masked form for display."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    # Two independent keys derived from PII_KEY: one encrypts, one hashes.
    enc = hashlib.sha256(b"fupin-pii-encrypt:" + secret.encode()).digest()
    mac = hashlib.sha256(b"fupin-pii-hash:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(enc)), mac


def normalise_id(raw: str) -> str:
    return (raw or "").strip().upper()


def encrypt(value: str) -> str:
    fernet, _ = _keys(settings.PII_KEY)
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    fernet, _ = _keys(settings.PII_KEY)
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong PII_KEY or a tampered value
        raise ValueError("cannot decrypt personal data: check PII_KEY") from exc


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt a stored file's bytes (a Fernet token, ASCII) with the PII key."""
    fernet, _ = _keys(settings.PII_KEY)
    return fernet.encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    fernet, _ = _keys(settings.PII_KEY)
    try:
        return fernet.decrypt(token)
    except InvalidToken as exc:
        raise ValueError("cannot decrypt a stored file: check PII_KEY") from exc


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of the normalised value: equal numbers hash equal, the hash reveals nothing."""
    _, mac = _keys(settings.PII_KEY)
    return hmac.new(mac, normalise_id(value).encode(), hashlib.sha256).hexdigest()


def mask_id(value: str) -> str:
    """410802199001011234 → 410802********1234 (first 6 and last 4 kept)."""
    value = normalise_id(value)
    if len(value) != 18:
        return "*" * len(value)
    return f"{value[:6]}********{value[-4:]}"
