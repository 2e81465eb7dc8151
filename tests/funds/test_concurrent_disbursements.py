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


def test_requests_and_approvals_sent_twice_at_once_pay_once_without_deadlock(finance, finance2, regions):
    """The benchmark's pattern on one county account: 24 threads each make a request and approve
    it, both sent twice, while the others do the same. Requests (whose foreign-key check takes
    FOR KEY SHARE on the account) and approvals (which lock it) interleave: no deadlock, no
    error but a readable refusal, each key paid at most once, the balance exact to the fen."""
    from core.models import Region
    from tests.conftest import XIUWU
    from tests.factories.households import HouseholdFactory

    threads_n, funded, amount = 24, Decimal("2000.00"), Decimal("100.00")  # money for 20 of 24
    fund = FundFactory()
    services.budget_arrange(actor=finance, fund=fund, amount=funded)
    services.allocate_to_county(
        actor=finance, fund=fund, county=Region.objects.get(code=XIUWU), amount=funded
    )
    account = services.county_account(fund, Region.objects.get(code=XIUWU))
    households = [HouseholdFactory() for _ in range(threads_n)]
    barrier = threading.Barrier(threads_n)
    outcomes: dict[int, object] = {}

    def pay(i):
        try:
            barrier.wait(timeout=30)
            for _attempt in range(2):
                request, _created = services.disbursement_request_create(
                    actor=finance, idempotency_key=f"twice-{i}", from_account=account, amount=amount,
                    purpose="产业奖补", payee_kind="household", household=households[i],
                )  # fmt: skip
                services.disbursement_approve(actor=finance2, request=request)
            outcomes[i] = "paid"
        except Exception as exc:  # a deadlock (OperationalError) or anything else fails below
            outcomes[i] = exc
        finally:
            connection.close()

    workers = [threading.Thread(target=pay, args=(i,)) for i in range(threads_n)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=120)

    assert len(outcomes) == threads_n
    refused = [o for o in outcomes.values() if o != "paid"]
    for error in refused:
        assert isinstance(error, services.InsufficientFunds), repr(error)
    paid = threads_n - len(refused)
    assert paid == 20
    requests = DisbursementRequest.objects.filter(idempotency_key__startswith="twice-")
    assert requests.count() == threads_n  # each key made one request, however often it was sent
    assert requests.filter(status=RequestStatus.APPROVED).count() == paid
    entries = Entry.objects.filter(kind=EntryKind.DISBURSEMENT, request__in=requests)
    assert entries.count() == paid
    assert len(set(entries.values_list("request_id", flat=True))) == paid
    assert Account.objects.get(pk=account.pk).balance == funded - paid * amount == Decimal("0.00")
