"""50 simultaneous disbursements against an account that covers only some of them."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from core.exceptions import DomainError
from funds import services
from funds.models import Account, DisbursementRequest, Entry, EntryKind, RequestStatus
from tests.factories.funds import FundFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

N = 50
AMOUNT = Decimal("1000.00")
FUNDED = Decimal("17500.00")  # covers 17 payments, leaves 500.00


def test_fifty_simultaneous_payments_never_overdraw_and_every_refusal_says_why(finance, finance2, regions):
    fund = FundFactory()
    project = ProjectFactory()
    services.budget_arrange(actor=finance, fund=fund, amount=FUNDED)
    account = services.project_account(fund, project)
    services.allocate_to_project(
        actor=finance, from_account=services.pool_account(fund), project=project, amount=FUNDED
    )
    requests = [
        services.disbursement_request_create(
            actor=finance, idempotency_key=f"storm-{i}", from_account=account, amount=AMOUNT,
            purpose="务工补贴", payee_kind="organisation", payee_name=f"合作社{i}",
        )[0]
        for i in range(N)
    ]  # fmt: skip

    barrier = threading.Barrier(N)
    outcomes: dict[int, object] = {}

    def approve(request):
        try:
            barrier.wait(timeout=30)
            services.disbursement_approve(actor=finance2, request=request)
            outcomes[request.pk] = "paid"
        except DomainError as exc:
            outcomes[request.pk] = exc
        except Exception as exc:  # anything else is a bug: keep it for the assertion
            outcomes[request.pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert len(outcomes) == N
    paid = [pk for pk, o in outcomes.items() if o == "paid"]
    refused = {pk: o for pk, o in outcomes.items() if o != "paid"}
    assert len(paid) == 17
    for error in refused.values():
        assert isinstance(error, services.InsufficientFunds), repr(error)
        assert error.field == "amount"
        # The message names the balance left and the amount asked (in the user's language).
        assert "500.00" in str(error.message)
        assert "1,000.00" in str(error.message)
    account = Account.objects.get(pk=account.pk)
    assert account.balance == Decimal("500.00")
    assert Entry.objects.filter(kind=EntryKind.DISBURSEMENT).count() == 17
    assert set(
        DisbursementRequest.objects.filter(status=RequestStatus.APPROVED).values_list("pk", flat=True)
    ) == set(paid)
    assert DisbursementRequest.objects.filter(status=RequestStatus.PENDING).count() == N - 17
