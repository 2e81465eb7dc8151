"""Each flag is raised by a case built for it, and not by a clean case."""

import datetime as dt
from decimal import Decimal

import pytest

from funds import selectors, services
from funds.models import Project
from households.models import HouseholdStatus
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def pay(funded_project, finance, finance2):
    counter = iter(range(1000))

    def do(amount, *, household=None, payee_name="甲建设公司", booked_on=None, measure=None):
        kind = "household" if household else "organisation"
        request, _ = services.disbursement_request_create(
            actor=finance, idempotency_key=f"flag-{next(counter)}", from_account=funded_project, amount=amount,
            purpose="补贴", payee_kind=kind, household=household, payee_name=payee_name, measure=measure,
            confirmed_different=True,  # the repeats are the point: the maker confirmed each (issue 20.2)
        )  # fmt: skip
        return services.disbursement_approve(actor=finance2, request=request, booked_on=booked_on)

    return do


def _codes(actor):
    return sorted(f.code for f in selectors.fund_flags(actor=actor))


def test_clean_payments_raise_no_flag(pay, finance):
    pay("1000.00", household=HouseholdFactory(), booked_on=dt.date(2017, 3, 1))
    pay("1000.00", household=HouseholdFactory(), booked_on=dt.date(2017, 3, 2))  # another payee
    pay("2000.00", booked_on=dt.date(2017, 3, 3))
    pay("2000.00", booked_on=dt.date(2017, 4, 3))  # same payee and amount, 31 days later
    assert _codes(finance) == []


def test_payment_to_a_household_not_registered_is_flagged(pay, finance):
    exited = HouseholdFactory(status=HouseholdStatus.EXITED)
    pay("800.00", household=exited)
    flags = selectors.fund_flags(actor=finance)
    assert [f.code for f in flags] == ["household_not_registered"]
    assert flags[0].amount == D("800.00")


def test_project_paid_beyond_its_contract_is_flagged(pay, finance, fund, project):
    services.allocate_to_project(
        actor=finance, from_account=services.pool_account(fund), project=project, amount="200000.00",
        booked_on=dt.date(2017, 4, 1),
    )  # fmt: skip
    pay("449999.99", booked_on=dt.date(2017, 5, 1))  # to the contractor, 甲建设公司
    pay("20000.00", payee_name="乙监理公司", booked_on=dt.date(2017, 7, 1))  # a supervision fee
    assert _codes(finance) == []  # contract 450,000.00 not exceeded: only the contractor's payments count
    # The contract recorded lower afterwards (a payment rule never lets one past it): paid beyond it.
    Project.objects.filter(pk=project.pk).update(contract_amount=D("449999.98"))
    flags = selectors.fund_flags(actor=finance)
    assert [f.code for f in flags] == ["over_contract"]
    assert flags[0].amount == D("0.01")
    assert flags[0].project_id == project.pk


def test_same_payee_same_amount_within_30_days_is_flagged(pay, finance):
    household = HouseholdFactory()
    pay("1500.00", household=household, booked_on=dt.date(2017, 6, 1))
    pay("1500.00", household=household, booked_on=dt.date(2017, 7, 1))  # 30 days later
    assert _codes(finance) == ["duplicate_payment"]


def test_reversed_duplicate_is_no_longer_flagged(pay, finance):
    household = HouseholdFactory()
    pay("1500.00", household=household, booked_on=dt.date(2017, 6, 1))
    second = pay("1500.00", household=household, booked_on=dt.date(2017, 6, 2))
    services.disbursement_reverse(actor=finance, request=second, reason="重复支付")
    assert _codes(finance) == []


def test_payment_above_the_measures_planned_amount_is_flagged(pay, finance):
    from tests.factories.assistance import MeasureFactory

    household = HouseholdFactory()
    measure = MeasureFactory(plan__household=household, funds_needed=D("3000.00"))
    pay("2000.00", household=household, measure=measure, booked_on=dt.date(2017, 6, 1))
    pay("1000.00", household=household, measure=measure, booked_on=dt.date(2017, 8, 1))
    assert _codes(finance) == []  # exactly the plan
    pay("0.01", household=household, measure=measure, booked_on=dt.date(2017, 9, 15))
    flags = selectors.fund_flags(actor=finance)
    assert [f.code for f in flags] == ["above_measure_plan"]
    assert flags[0].amount == D("0.01")


def test_flags_of_another_county_are_not_shown(pay, boai_finance):
    pay("800.00", household=HouseholdFactory(status=HouseholdStatus.REMOVED))
    assert _codes(boai_finance) == []


def test_flags_through_the_api_page_like_every_list(pay, finance, api_as):
    """Issue 22: `/funds/flags/` answered every flag as `{results}` (documented as an array); now a
    keyset page, `page_size` obeyed, in the order of `fund_flags`, each flag once."""
    from tests.factories.assistance import MeasureFactory

    household = HouseholdFactory()
    measure = MeasureFactory(plan__household=household, funds_needed=D("100.00"))
    pay("800.00", household=HouseholdFactory(status=HouseholdStatus.EXITED), booked_on=dt.date(2017, 3, 1))
    pay("900.00", household=HouseholdFactory(status=HouseholdStatus.REMOVED), booked_on=dt.date(2017, 3, 2))
    pay("1500.00", household=household, measure=measure, booked_on=dt.date(2017, 6, 1))
    pay("1500.00", household=household, measure=measure, booked_on=dt.date(2017, 6, 2))
    expected = [(f.code, str(f.amount)) for f in selectors.fund_flags(actor=finance)]
    assert len(expected) >= 4
    client = api_as(finance)
    seen, url = [], "/api/v1/funds/flags/?page_size=2"
    while url:
        page = client.get(url).json()
        assert set(page) == {"next", "previous", "results"}
        assert len(page["results"]) <= 2
        seen += [(f["code"], f["amount"]) for f in page["results"]]
        url = page["next"]
    assert seen == expected
    measure_flag = next(
        f for f in client.get("/api/v1/funds/flags/").json()["results"] if f["code"] == "above_measure_plan"
    )
    assert measure_flag["measure_id"] == measure.pk
    bad = client.get("/api/v1/funds/flags/", {"as_of": "yesterday"})
    assert bad.status_code == 400
    assert "as_of" in bad.json()["errors"]
