"""A repeated or retried request with the same idempotency key pays once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from core.exceptions import ConflictError
from funds import services
from funds.models import DisbursementRequest, Entry, EntryKind


def _make(account, maker, key="same-key", amount="500.00"):
    return services.disbursement_request_create(
        actor=maker, idempotency_key=key, from_account=account, amount=amount,
        purpose="合作社分红", payee_kind="organisation", payee_name="丁合作社",
    )  # fmt: skip


@pytest.mark.django_db
def test_same_key_twice_returns_the_first_request(funded_project, finance):
    first, created = _make(funded_project, finance)
    again, created_again = _make(funded_project, finance)
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert DisbursementRequest.objects.count() == 1


@pytest.mark.django_db
def test_same_key_for_a_different_request_is_refused(funded_project, finance):
    _make(funded_project, finance)
    with pytest.raises(ConflictError) as err:
        _make(funded_project, finance, amount="501.00")
    assert err.value.field == "idempotency_key"


@pytest.mark.django_db
def test_approving_twice_pays_once(funded_project, finance, finance2):
    request, _ = _make(funded_project, finance)
    services.disbursement_approve(actor=finance2, request=request)
    services.disbursement_approve(actor=finance2, request=request)  # a retry after a timeout
    assert Entry.objects.filter(kind=EntryKind.DISBURSEMENT).count() == 1
    funded_project.refresh_from_db()
    assert funded_project.balance == Decimal("299500.00")


def _run_together(n, work):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=20)
            results.append(work(i))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_same_key_posted_concurrently_creates_one_request_and_one_payment(funded_project, finance, finance2):
    results, errors = _run_together(8, lambda i: _make(funded_project, finance, key="retry-storm"))
    assert errors == []
    assert len({r.pk for r, _created in results}) == 1
    assert sum(created for _r, created in results) == 1
    request = results[0][0]

    _approvals, errors = _run_together(
        6, lambda i: services.disbursement_approve(actor=finance2, request=request)
    )
    assert errors == []
    assert Entry.objects.filter(request=request).count() == 1
    funded_project.refresh_from_db()
    assert funded_project.balance == Decimal("299500.00")
