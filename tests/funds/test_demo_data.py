"""The demo city's funds: a year of ledger entries, loaded twice without change."""

import io

import pytest

from core import demo as core_demo
from funds import demo, selectors, services
from funds.models import DisbursementRequest, Entry, Fund, Project, RequestStatus

pytestmark = pytest.mark.django_db


def test_demo_funds_load_once_and_reconcile(regions):
    from tests.factories.households import HouseholdFactory

    core_demo.seed(stdout=io.StringIO())
    HouseholdFactory.create_batch(3)  # registered households of 修武县 get 到户 subsidies
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "funds: 4 funds" in out.getvalue()
    counts = (
        Fund.objects.count(),
        Project.objects.count(),
        Entry.objects.count(),
        DisbursementRequest.objects.count(),
    )
    assert counts[0] == 4
    assert (
        counts[1] == 15
    )  # 7 projects in each of two counties, and one blocked for its contract (issue 20.1)
    assert counts[2] > 60
    assert Entry.objects.filter(booked_on__year=2017).count() == counts[2]
    assert DisbursementRequest.objects.filter(status=RequestStatus.PENDING).exists()
    assert DisbursementRequest.objects.filter(status=RequestStatus.REVERSED).exists()
    # The household subsidies went to the bank (issue 20.4): two paid, one returned with its money.
    subsidies = DisbursementRequest.objects.filter(
        payee_kind="household", idempotency_key__startswith="demo-hh-"
    )
    assert subsidies.count() == 3
    assert sorted(subsidies.values_list("status", flat=True)) == [
        RequestStatus.FAILED, RequestStatus.PAID, RequestStatus.PAID,
    ]  # fmt: skip
    failed = subsidies.get(status=RequestStatus.FAILED)
    assert failed.payment_line.reason == "账户已冻结"
    assert Entry.objects.filter(kind="reversal", reverses__request=failed).count() == 1
    from funds.models import BankReturn, ReviewPage

    assert len(BankReturn.objects.get().unmatched) == 1
    assert (BankReturn.objects.get().paid, BankReturn.objects.get().failed) == (2, 1)
    # Next month's requests wait in a batch whose page shows a flagged row (issue 20.3): the
    # household already paid this month, still pending, never pre-selected.
    page = ReviewPage.objects.get()
    assert page.flagged
    flagged = DisbursementRequest.objects.filter(pk__in=page.flagged)
    assert flagged.exists()
    assert set(flagged.values_list("status", flat=True)) == {RequestStatus.PENDING}
    # A project blocked for its missing contract (issue 20.1): its money waits, nothing was paid,
    # and its page names the contract as the missing step.
    from funds.selectors.rules import project_chain_missing

    blocked = Project.objects.get(code__endswith="-900")
    assert [step.field for step in project_chain_missing(blocked)] == ["contract_date"]
    assert not DisbursementRequest.objects.filter(project=blocked).exists()
    assert services.project_account(Fund.objects.get(source="central"), blocked).balance > 0

    demo.seed(stdout=io.StringIO())
    assert (
        Fund.objects.count(),
        Project.objects.count(),
        Entry.objects.count(),
        DisbursementRequest.objects.count(),
    ) == counts

    from core.models import User

    leader = User.objects.get(username="leader")
    for fund in Fund.objects.all():
        assert selectors.reconciliation(actor=leader, fund=fund).is_reconciled
