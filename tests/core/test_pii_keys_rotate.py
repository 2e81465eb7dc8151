"""Several PII keys: the first encrypts and hashes, every configured key still reads (issue 15.7)."""

import base64
import hashlib
import hmac

import pytest
from cryptography.fernet import Fernet

from core import pii

OLD = "dev-only-pii-key-change-me"
NEW = "pii-new-0123456789abcdef0123456789abcdef"
NUMBER = "410821199001011234"


def test_pii_key_alone_still_reads_what_it_wrote_before_key_versions(settings):
    """Version 1 is exactly the key derived from PII_KEY before versions existed: nothing stored
    needs migrating when a deployment upgrades."""
    settings.PII_KEYS = ((1, OLD),)
    derived = hashlib.sha256(b"fupin-pii-encrypt:" + OLD.encode()).digest()
    token = Fernet(base64.urlsafe_b64encode(derived)).encrypt(NUMBER.encode()).decode()
    assert pii.decrypt(token) == NUMBER
    mac = hashlib.sha256(b"fupin-pii-hash:" + OLD.encode()).digest()
    assert pii.keyed_hash(NUMBER) == hmac.new(mac, NUMBER.encode(), hashlib.sha256).hexdigest()


def test_a_new_key_writes_and_the_old_key_still_reads(settings):
    settings.PII_KEYS = ((1, OLD),)
    old_token = pii.encrypt(NUMBER)
    old_file = pii.encrypt_bytes(b"workbook bytes")
    old_hash = pii.keyed_hash(NUMBER)

    settings.PII_KEYS = ((2, NEW), (1, OLD))
    assert pii.key_version() == 2
    assert pii.key_versions() == (2, 1)
    assert pii.decrypt(old_token) == NUMBER
    assert pii.decrypt_bytes(old_file) == b"workbook bytes"
    new_token = pii.encrypt(NUMBER)
    assert pii.keyed_hash(NUMBER) != old_hash
    assert pii.keyed_hash(NUMBER, 1) == old_hash
    assert pii.keyed_hashes(NUMBER) == [pii.keyed_hash(NUMBER), old_hash]

    # Once the old key is removed, what was written under the new key alone reads.
    settings.PII_KEYS = ((2, NEW),)
    assert pii.decrypt(new_token) == NUMBER
    with pytest.raises(ValueError, match="PII_KEYS"):
        pii.decrypt(old_token)
    with pytest.raises(ValueError, match="not configured"):
        pii.keyed_hash(NUMBER, 1)


def test_reencrypt_moves_a_token_to_the_key_in_use_and_skips_one_already_there(settings):
    settings.PII_KEYS = ((1, OLD),)
    old_file = pii.encrypt_bytes(b"photo")
    settings.PII_KEYS = ((2, NEW), (1, OLD))
    moved = pii.reencrypt(old_file)
    assert moved is not None
    assert pii.reencrypt(moved) is None
    settings.PII_KEYS = ((2, NEW),)
    assert pii.decrypt_bytes(moved) == b"photo"
    with pytest.raises(ValueError):
        pii.reencrypt(old_file)
