"""Households' card numbers (一卡通) are personal data under the PII key: when the administrator
rotates the key (`manage.py rotate_pii_key`), every stored card number — the card and the lines of
payment files — moves to the new key, so removing the old key afterwards loses none of them."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command

from core import pii
from core.models import Role
from funds.models import PayeeBankAccount, PaymentLine
from funds.services.bank import bank_create, payee_bank_account_set
from tests.conftest import make_user
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db

OLD = (1, "dev-only-pii-key-change-me")
NEW = (2, "pii-new-0123456789abcdef0123456789abcdef")


def opens_with_key(token: str, key: tuple[int, str]) -> bool:
    fernet, _mac = pii._keys(key[1])
    try:
        fernet.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def test_rotation_moves_every_card_number_to_the_new_key(settings, tmp_path, xiuwu_village):
    settings.PII_KEYS = (OLD,)
    settings.MEDIA_ROOT = tmp_path
    officer = make_user(Role.FINANCE_OFFICER, xiuwu_village.code[:6].ljust(12, "0"))
    bank = bank_create(name="修武农商银行")
    cards = {}
    for i in range(3):
        household = HouseholdFactory(village=xiuwu_village)
        number = f"62170000000000{i:05d}"
        cards[
            payee_bank_account_set(actor=officer, household=household, bank=bank, account_number=number).pk
        ] = number
    assert all(
        opens_with_key(t, OLD) for t in PayeeBankAccount.objects.values_list("number_encrypted", flat=True)
    )

    settings.PII_KEYS = (NEW, OLD)
    out = io.StringIO()
    call_command("rotate_pii_key", stdout=out, no_files=True)
    assert "funds.pii_rotation.rotate_card_numbers: 3 moved" in out.getvalue()
    for pk, token in PayeeBankAccount.objects.values_list("pk", "number_encrypted"):
        assert opens_with_key(token, NEW)
        assert not opens_with_key(token, OLD)
        assert pii.decrypt(token) == cards[pk]

    settings.PII_KEYS = (NEW,)  # the old key removed: every card still reads
    assert {
        pk: pii.decrypt(t) for pk, t in PayeeBankAccount.objects.values_list("pk", "number_encrypted")
    } == cards
    again = io.StringIO()
    call_command("rotate_pii_key", stdout=again, no_files=True)
    assert "funds.pii_rotation.rotate_card_numbers: 0 moved" in again.getvalue()


def test_a_card_number_no_configured_key_opens_stops_the_run_and_is_named(settings, tmp_path, xiuwu_village):
    from django.core.management import CommandError

    settings.PII_KEYS = (OLD,)
    settings.MEDIA_ROOT = tmp_path
    officer = make_user(Role.FINANCE_OFFICER, xiuwu_village.code[:6].ljust(12, "0"))
    card = payee_bank_account_set(
        actor=officer, household=HouseholdFactory(village=xiuwu_village), bank=bank_create(name="某银行"),
        account_number="621700000000000099",
    )  # fmt: skip
    PayeeBankAccount.objects.filter(pk=card.pk).update(
        number_encrypted=Fernet(Fernet.generate_key()).encrypt(b"621700000000000099").decode()
    )
    settings.PII_KEYS = (NEW, OLD)
    with pytest.raises(CommandError, match=f"#{card.pk}"):
        call_command("rotate_pii_key", stdout=io.StringIO(), no_files=True)
    assert PaymentLine.objects.count() == 0
