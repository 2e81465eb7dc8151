"""Personal data at rest (PIPL art. 28 and 51): ID numbers are stored encrypted, with a keyed
hash beside them for exact search and uniqueness, and a masked form for display."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from core.exceptions import DomainError


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


# Advisory lock class of "a transaction that may register this person" (lock_numbers).
_NUMBER_LOCK = 0x1D0C


def lock_numbers(numbers) -> None:
    """Serialise, until the transaction ends, the transactions that may register one of these
    numbers. While processes restart into a new key order (SECURITY.md, rotation step 2) two of them
    hash a number under different keys, and the unique constraint, which compares hashes, cannot
    see the two rows collide; so each takes this lock, keyed on the hash under the oldest configured
    key (the same in both), before it checks the register."""
    oldest = min(key_versions())
    keys = sorted(
        {int.from_bytes(bytes.fromhex(keyed_hash(n, oldest))[:4], "big", signed=True) for n in numbers}
    )
    if not keys:
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, k) FROM unnest(%s::int[]) AS k ORDER BY k",
            [_NUMBER_LOCK, keys],
        )


# --- masks: the one place personal data is masked for display, export and logs -------------
#
# What a role without the reveal permission may learn of an ID number is bounded so that the number
# cannot be narrowed below 10,000 candidates (issue 15.1): the mask keeps the region (digits 1–6)
# and the check digit (18) and hides the birth date and sequence (7–17); beside it such a role sees
# the birth year and sex only (`can_reveal`), which leave 365 days × 500 sequences ÷ 11 check
# digits ≈ 16,600 numbers.

REVEAL_PERMISSION = "households.view_full_id_number"
ID_MASK_STARS = 11

# An 18-digit resident ID number (last character a digit or X) anywhere in text, not part of a
# longer run of digits; or the start of one in text cut short for display (7 to 17 digits before
# the "…" of `truncatechars`). Compiled twice, for text and for a response body in UTF-8 (whose
# multi-byte characters never contain ASCII digits), so both are scanned by the same pattern.
_ID_PATTERN = r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9Xx])|(?<![0-9])[1-9][0-9]{6,16}(?=…)"
_ID_IN_TEXT = re.compile(_ID_PATTERN)
_ID_IN_BYTES = re.compile(_ID_PATTERN.encode())


def _mask_found(found: str) -> str:
    return mask_id(found) if len(found) == 18 else found[:6] + "*" * (len(found) - 6)


# A mainland mobile number (11 digits starting 1[3-9]) not part of a longer run of digits.
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def mask_id(value: str) -> str:
    """410802199001011234 → 410802***********4 (region and check digit kept, digits 7–17 hidden)."""
    value = normalise_id(value)
    if len(value) != 18:
        return "*" * len(value)
    return f"{value[:6]}{'*' * ID_MASK_STARS}{value[-1]}"


def mask_id_numbers(text: str) -> str:
    """Every ID number in free text (a finding, a complaint, a note, a log line) masked as `mask_id`."""
    return _ID_IN_TEXT.sub(lambda m: _mask_found(m.group(0)), str(text or ""))


def mask_id_numbers_in_body(body: bytes) -> bytes:
    """`mask_id_numbers` over a UTF-8 response body, without decoding it (same length out)."""
    return _ID_IN_BYTES.sub(lambda m: _mask_found(m.group(0).decode()).encode(), body)


def mask_phone(number: str) -> str:
    """13812345678 → 138****5678."""
    number = (number or "").strip()
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def mask_public_text(text: str) -> str:
    """Free text shown without login (the public board): ID numbers and mobile numbers masked."""
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), mask_id_numbers(text))


def mask_name(name: str) -> str:
    """王秀英 → 王**, 王英 → 王*: a published personal name keeps its surname only."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def can_reveal(user) -> bool:
    """May this user see full ID numbers, and what would give them back: a full birth date, or an
    exact age (it ticks over on the birthday)? Everybody else is shown the birth year only, and
    an age, if one is ever shown, as this year minus the birth year."""
    return bool(user is not None and user.is_authenticated and user.has_perm(REVEAL_PERMISSION))


# --- existence probes --------------------------------------------------------------------------

_PROBE_SQL = """
INSERT INTO core_idprobecount (user_id, day, count) VALUES (%s, %s, 1)
ON CONFLICT (user_id, day) DO UPDATE SET count = core_idprobecount.count + 1
WHERE core_idprobecount.count < %s
RETURNING count
"""


class ProbeLimitReached(DomainError):
    status_code = 429
    default_code = "id_probe_limit"


def count_probe(
    actor, *, number: str, what: str, channel: str = "", where: str = "", field: str = "q"
) -> None:
    """Count, and log like a reveal, one answer to "does this ID number exist?" given to a user who
    may not see full numbers (an exact search by a full number): such answers rebuild numbers one
    guess at a time, so each user gets `ID_PROBE_DAILY_LIMIT` of them a day.

    Call it before the answer is computed. Over the cap it raises ProbeLimitReached (a DomainError
    naming `field`, HTTP 429) and nothing is answered. One statement claims the slot (insert, or
    update only while `count < limit`), so concurrent requests cannot pass the cap. Users holding
    the reveal permission are not counted: they may see the number itself (each reveal is logged)."""
    if can_reveal(actor):
        return
    from django.db import connection
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from core.models import SensitiveAccess

    limit = settings.ID_PROBE_DAILY_LIMIT
    with connection.cursor() as cursor:
        cursor.execute(_PROBE_SQL, [actor.pk, timezone.localdate(), limit])
        claimed = cursor.fetchone()
    if claimed is None:
        raise ProbeLimitReached(
            _(
                "Search by full ID number: you have reached today's limit of %(n)d searches by ID number "
                "(your role may not see full ID numbers). Search by name or file number, or try again tomorrow."
            )
            % {"n": limit},
            field=field,
        )
    SensitiveAccess.objects.create(
        user=actor, object_type="id_number_probe", object_id=keyed_hash(number)[:50], field=what[:50],
        channel=channel[:20], path=where[:300],
    )  # fmt: skip
