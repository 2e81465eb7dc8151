"""Two checkers confirm overlapping month-end batches at the same moment: each request is
approved exactly once, the other checker sees it listed as already approved, nothing deadlocks."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from funds.models import BatchApproval, DisbursementRequest, DisbursementStatusChange, Entry, RequestStatus
from funds.services import batches as batch_services
from tests.conftest import XIUWU, make_user
from tests.funds.batch_world import county_allocation, household_requests

pytestmark = pytest.mark.django_db(transaction=True)

N = 120


def test_two_checkers_racing_overlapping_batches_approve_each_request_exactly_once(
    fund, xiuwu, finance, finance2, monkeypatch
):
    monkeypatch.setattr(batch_services, "CHUNK", 15)  # several chunks each, interleaving
    third = make_user("finance_officer", XIUWU, username="finance3_xiuwu")
    account = county_allocation(fund, xiuwu, finance)
    month = timezone.localdate().replace(day=1)
    requests = household_requests(account, finance, N, amount="100.00", purpose="务工补贴")
    # Checker A's batch is every request; checker B's is the same account and month: fully overlapping.
    pages = {}
    for checker in (finance2, third):
        batch = batch_services.batch_open(actor=checker, from_account=account, month=month)
        pages[checker.pk] = batch_services.page_show(actor=checker, batch=batch, number=1)[0]
    # B selects them in the opposite order of ticking; the service still locks in id order.
    selections = {finance2.pk: [r.pk for r in requests], third.pk: [r.pk for r in reversed(requests)]}

    barrier = threading.Barrier(2)
    outcome: dict[int, object] = {}

    def confirm(checker):
        try:
            barrier.wait(timeout=30)
            outcome[checker.pk] = batch_services.page_confirm(
                actor=checker, page=pages[checker.pk], selected=selections[checker.pk]
            )
        except Exception as error:  # kept for the assertion: any error is a bug here
            outcome[checker.pk] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(c,)) for c in (finance2, third)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)

    a, b = outcome[finance2.pk], outcome[third.pk]
    assert not isinstance(a, Exception), a
    assert not isinstance(b, Exception), b
    ids = {r.pk for r in requests}
    # Every request approved by exactly one of them; the other lists it as already approved.
    assert set(a.approved_ids) | set(b.approved_ids) == ids
    assert not set(a.approved_ids) & set(b.approved_ids)
    assert set(a.failures) == {str(pk) for pk in b.approved_ids}
    assert set(b.failures) == {str(pk) for pk in a.approved_ids}
    assert all(str(third) in message for message in a.failures.values()), (
        str(third),
        list(a.failures.values())[:2],
    )  # names who approved it
    assert all(str(finance2) in message for message in b.failures.values())
    # Exactly once in the ledger, the status history and the batch trail.
    assert Entry.objects.filter(request__in=ids).count() == N
    assert DisbursementRequest.objects.filter(pk__in=ids, status=RequestStatus.APPROVED).count() == N
    assert (
        DisbursementStatusChange.objects.filter(request__in=ids, to_status=RequestStatus.APPROVED).count()
        == N
    )
    assert BatchApproval.objects.filter(request__in=ids).count() == N
    for approval in BatchApproval.objects.filter(request__in=ids).select_related("request"):
        assert approval.request.checker_id == approval.checker_id
