"""脱贫不脱政策: a payment a policy still grants an exited household (a measure of its own plan) is
not a fund error — the checker's batch row and the auditors' flags say so, as the error rate does;
a household that returned to poverty is on the register; an exited household paid without a measure
of its plan is flagged."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from funds import selectors, services
from funds.services import batches as batch_services
from households.models import HouseholdStatus
from tests.factories.assistance import MeasureFactory, PlanFactory
from tests.factories.households import HouseholdFactory
from tests.funds.batch_world import county_allocation

pytestmark = pytest.mark.django_db


def test_a_policy_kept_after_exit_is_neither_flagged_to_the_checker_nor_to_the_auditor(
    fund, xiuwu, finance, finance2
):
    account = county_allocation(fund, xiuwu, finance)
    kept = HouseholdFactory(status=HouseholdStatus.EXITED, head_name="政策户")
    plain = HouseholdFactory(status=HouseholdStatus.EXITED, head_name="无措施户")
    back = HouseholdFactory(status=HouseholdStatus.RETURNED, head_name="返贫户")
    measure = MeasureFactory(plan=PlanFactory(household=kept))
    requests = {}
    for n, (household, m) in enumerate(((kept, measure), (plain, None), (back, None))):
        requests[household.head_name], _created = services.disbursement_request_create(
            actor=finance, idempotency_key=f"kept-{n}", from_account=account, amount="500.00",
            purpose="教育资助", payee_kind="household", household=household, measure=m,
        )  # fmt: skip
    # The maker's preview says the same before the request exists.
    for household, m, flagged in ((kept, measure, False), (plain, None, True), (back, None, False)):
        preview = selectors.assess_payment(
            from_account=account, amount=Decimal("500.00"), household=household, measure=m, kind="subsidy",
        )  # fmt: skip
        assert any("在册" in str(f) for f in preview.flags) is flagged, household.head_name
    month = timezone.localdate().replace(day=1)
    batch = batch_services.batch_open(actor=finance2, from_account=account, month=month)
    page, _rows = batch_services.page_show(actor=finance2, batch=batch, number=1)
    assert page.flagged == {str(requests["无措施户"].pk): ["household_not_registered"]}

    for request in requests.values():
        services.disbursement_approve(actor=finance2, request=request)
    flags = selectors.fund_flags(actor=finance)
    assert [f.request_id for f in flags if f.code == "household_not_registered"] == [requests["无措施户"].pk]
