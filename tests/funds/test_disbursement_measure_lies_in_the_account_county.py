"""A disbursement touches the region of the measure it pays for (issue 15.4): paying an enterprise
from a 修武县 account for a 博爱县 household's measure was accepted from a city finance officer,
whose scope covers both; the measure must belong to the account's county, whoever the payee."""

import pytest

from core.exceptions import DomainError
from funds import services
from funds.models import DisbursementRequest
from tests.factories.assistance import MeasureFactory, PlanFactory
from tests.factories.households import HouseholdFactory, first_village

pytestmark = pytest.mark.django_db


def _pay_for(measure, account, actor, key):
    return services.disbursement_request_create(
        actor=actor, idempotency_key=key, from_account=account, amount="1000.00", purpose="产业补贴",
        payee_kind="organisation", payee_name="甲合作社", measure=measure,
    )  # fmt: skip


def test_a_measure_of_another_county_cannot_be_paid_from_this_countys_account(funded_project, city_finance):
    boai_measure = MeasureFactory(
        plan=PlanFactory(household=HouseholdFactory(village=first_village("410822")))
    )
    with pytest.raises(DomainError) as refused:
        _pay_for(boai_measure, funded_project, city_finance, "m-boai")
    assert refused.value.field == "measure"
    assert not DisbursementRequest.objects.exists()
    xiuwu_measure = MeasureFactory(
        plan=PlanFactory(household=HouseholdFactory(village=first_village("410821")))
    )
    request, created = _pay_for(xiuwu_measure, funded_project, city_finance, "m-xiuwu")
    assert created
    assert request.measure_id == xiuwu_measure.pk
