"""A mistake is corrected by a reversing entry that points to the original; both stay."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError, DomainError
from funds import services
from funds.models import Entry, EntryKind, RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(funded_project, finance, finance2):
    request, _ = services.disbursement_request_create(
        actor=finance, idempotency_key="pay-1", from_account=funded_project, amount="20000.00",
        purpose="工程进度款", payee_kind="organisation", payee_name="甲建设公司",
    )  # fmt: skip
    return services.disbursement_approve(actor=finance2, request=request)


def test_reversal_restores_the_balance_and_keeps_both_entries(paid, funded_project, finance):
    funded_project.refresh_from_db()
    assert funded_project.balance == Decimal("280000.00")
    reversal = services.disbursement_reverse(actor=finance, request=paid, reason="收款账户错误")
    funded_project.refresh_from_db()
    assert funded_project.balance == Decimal("300000.00")
    assert reversal.reverses == paid.entry
    assert reversal.kind == EntryKind.REVERSAL
    assert Entry.objects.filter(pk=paid.entry.pk).exists()
    paid.refresh_from_db()
    assert paid.status == RequestStatus.REVERSED
    payee_line = reversal.lines.get(credit__gt=0)
    assert payee_line.account.balance == Decimal("0.00")


def test_an_entry_is_reversed_once_only(paid, finance):
    services.entry_reverse(actor=finance, entry=paid.entry, reason="错误")
    with pytest.raises(ConflictError):
        services.entry_reverse(actor=finance, entry=paid.entry, reason="再次")
    assert Entry.objects.filter(reverses=paid.entry).count() == 1


def test_a_reversal_is_not_reversed(paid, finance):
    reversal = services.entry_reverse(actor=finance, entry=paid.entry, reason="错误")
    with pytest.raises(DomainError):
        services.entry_reverse(actor=finance, entry=reversal, reason="撤销冲销")


def test_allocation_already_spent_cannot_be_reversed(paid, fund, finance):
    allocation = Entry.objects.get(kind=EntryKind.ALLOCATION)
    with pytest.raises(services.InsufficientFunds):
        services.entry_reverse(actor=finance, entry=allocation, reason="下达错误")


def test_reversal_needs_a_reason(paid, finance):
    with pytest.raises(DomainError) as err:
        services.entry_reverse(actor=finance, entry=paid.entry, reason="")
    assert err.value.field == "reason"
