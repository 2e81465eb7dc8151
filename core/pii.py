"""Personal data at rest (PIPL art. 28 and 51): ID numbers are stored encrypted, with a keyed
hash beside them for exact search and uniqueness, and a masked form for display."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    # Two independent keys derived from one secret: one encrypts, one hashes.
    enc = hashlib.sha256(b"fupin-pii-encrypt:" + secret.encode()).digest()
    mac = hashlib.sha256(b"fupin-pii-hash:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(enc)), mac


@lru_cache(maxsize=4)
def _keyring(keys: tuple[tuple[int, str], ...]) -> tuple[MultiFernet, Fernet, dict[int, bytes]]:
    # MultiFernet encrypts with the first key and decrypts with any; the HMAC keys by version.
    derived = [(version, *_keys(secret)) for version, secret in keys]
    return MultiFernet([f for _v, f, _m in derived]), derived[0][1], {v: m for v, _f, m in derived}


def _ring() -> tuple[MultiFernet, Fernet, dict[int, bytes]]:
    return _keyring(tuple((int(v), str(s)) for v, s in settings.PII_KEYS))


def key_version() -> int:
    """The version of the key in use: what every value written now is encrypted and hashed with."""
    return int(settings.PII_KEYS[0][0])


def key_versions() -> tuple[int, ...]:
    """Every configured key version, the one in use first."""
    return tuple(int(v) for v, _s in settings.PII_KEYS)


def normalise_id(raw: str) -> str:
    return (raw or "").strip().upper()


def encrypt(value: str) -> str:
    """Encrypt with the key in use (decrypt() reads values under any configured key)."""
    return _ring()[0].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _ring()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key removed too early, or a tampered value
        raise ValueError("cannot decrypt personal data: check PII_KEYS") from exc


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt a stored file's bytes (a Fernet token, ASCII) with the PII key in use."""
    return _ring()[0].encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _ring()[0].decrypt(token)
    except InvalidToken as exc:
        raise ValueError("cannot decrypt a stored file: check PII_KEYS") from exc


def reencrypt(token: bytes) -> bytes | None:
    """The token encrypted with the key in use, or None when it already is (key rotation)."""
    multi, current, _macs = _ring()
    try:
        current.decrypt(token)
    except InvalidToken:
        try:
            return multi.rotate(token)
        except InvalidToken as exc:
            raise ValueError("cannot decrypt personal data: check PII_KEYS") from exc
    return None


def keyed_hash(value: str, version: int | None = None) -> str:
    """HMAC-SHA256 of the normalised value: equal numbers hash equal, the hash reveals nothing.

    Under the key in use unless `version` names another configured key; store key_version()
    beside it (the hash's key version), so a rotation can tell old hashes from new."""
    macs = _ring()[2]
    version = key_version() if version is None else version
    if version not in macs:
        raise ValueError(f"PII key version {version} is not configured (PII_KEYS)")
    return hmac.new(macs[version], normalise_id(value).encode(), hashlib.sha256).hexdigest()


def keyed_hashes(value: str) -> list[str]:
    """The value's hash under every configured key: what an exact search or a uniqueness check
    looks for while a rotation leaves old and new hashes side by side (hashes under different keys
    never collide, so one IN on the hash column serves, on its index)."""
    return [keyed_hash(value, version) for version in key_versions()]


def mask_id(value: str) -> str:
    """410802199001011234 → 410802********1234 (first 6 and last 4 kept)."""
    value = normalise_id(value)
    if len(value) != 18:
        return "*" * len(value)
    return f"{value[:6]}********{value[-4:]}"
