"""Issue 20.1 under concurrency: two finance officers request payments from one project at the same
moment, to different payees and of different amounts. Each fits the project's caps alone, together
they exceed them: exactly one is accepted, the other is refused naming the cap, and the project never
commits more than its approved amount or its contract."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from core.exceptions import DomainError
from funds import services
from funds.models import DisbursementRequest
from funds.selectors.rules import project_committed
from funds.services import disbursements
from tests.conftest import XIUWU, make_user
from tests.factories.funds import FundFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

D = Decimal


@pytest.fixture
def slow_assessment(monkeypatch):
    """Each request waits a moment between computing the caps and saving itself: without a lock on
    the project, both makers compute the caps before either request is saved."""
    assess = disbursements.assess_payment

    def slowly(**kwargs):
        result = assess(**kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(disbursements, "assess_payment", slowly)


def _race(asks):
    barrier = threading.Barrier(len(asks))
    outcomes: dict[int, object] = {}

    def run(i, ask):
        try:
            barrier.wait(timeout=30)
            outcomes[i] = ask()
        except Exception as error:  # a DomainError is an outcome; anything else fails below
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, ask)) for i, ask in enumerate(asks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return [outcomes[i] for i in range(len(asks))]


def _project(finance, **fields):
    fund = FundFactory()
    project = ProjectFactory(**fields)
    services.budget_arrange(actor=finance, fund=fund, amount="1000000.00")
    services.allocate_to_project(
        actor=finance, from_account=services.pool_account(fund), project=project, amount="500000.00"
    )
    return project, services.project_account(fund, project), services.contractor_record(project)


def _asker(maker, account, key, amount, payee, kind):
    def ask():
        return services.disbursement_request_create(
            actor=maker, idempotency_key=key, from_account=account, amount=amount, purpose="工程款",
            payee_kind="organisation", payee=payee, kind=kind,
        )  # fmt: skip

    return ask


def _one_accepted(outcomes, field="amount"):
    accepted = [o for o in outcomes if isinstance(o, tuple)]
    refused = [o for o in outcomes if not isinstance(o, tuple)]
    assert len(accepted) == 1, outcomes
    assert len(refused) == 1
    assert isinstance(refused[0], DomainError), repr(refused[0])
    assert refused[0].field == field
    return accepted[0][0], refused[0]


def test_two_makers_paying_different_payees_at_once_cannot_exceed_the_approved_amount(
    finance, regions, slow_assessment
):
    second = make_user("finance_officer", XIUWU, username="finance3_xiuwu")
    project, account, winner = _project(
        finance, review_approved_amount=D("100000.00"), contract_amount=D("90000.00")
    )
    supervisor = services.payee_create(actor=finance, county=project.county, name="丙监理公司")
    # 60,000 to the contractor and 50,000 to the supervisor: each within the 100,000 approved, not both.
    outcomes = _race([
        _asker(finance, account, "to-contractor", "60000.00", winner, "progress"),
        _asker(second, account, "to-supervisor", "50000.00", supervisor, "other"),
    ])  # fmt: skip
    _request, refusal = _one_accepted(outcomes)
    assert "100,000.00" in str(refusal.message)
    assert DisbursementRequest.objects.count() == 1
    assert project_committed(project)[0] <= D("100000.00")


def test_two_makers_paying_the_contractor_different_amounts_at_once_cannot_exceed_the_contract(
    finance, regions, slow_assessment
):
    second = make_user("finance_officer", XIUWU, username="finance3_xiuwu")
    project, account, winner = _project(finance, contract_amount=D("90000.00"))  # approved 480,000
    # A progress payment of 50,000 and retention money of 45,000: each within the 90,000 contract.
    outcomes = _race([
        _asker(finance, account, "progress", "50000.00", winner, "progress"),
        _asker(second, account, "retention", "45000.00", winner, "retention"),
    ])  # fmt: skip
    _request, refusal = _one_accepted(outcomes)
    assert "90,000.00" in str(refusal.message)
    assert project_committed(project)[1] <= D("90000.00")
