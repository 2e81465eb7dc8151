"""Reconciliation of a fund, a county and a project, as of any date, to the fen."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from funds import selectors, services
from funds.models import Account, Line
from tests.conftest import XIUWU
from tests.factories.funds import FundFactory, ProjectFactory

pytestmark = pytest.mark.django_db

D = Decimal
DAY1, DAY2, DAY3 = dt.date(2017, 3, 1), dt.date(2017, 4, 10), dt.date(2017, 5, 20)


@pytest.fixture
def city_ledger(regions, city_finance, finance, finance2):
    """A city fund: budget to the pool, down to 修武县, on to a project, two payments, one reversed."""
    from core.models import Region

    fund = FundFactory(source="city", region=Region.objects.get(code="410800000000"))
    xiuwu = Region.objects.get(code=XIUWU)
    project = ProjectFactory()
    services.budget_arrange(actor=city_finance, fund=fund, amount="1000000.01", booked_on=DAY1)
    services.allocate_to_county(
        actor=city_finance, fund=fund, county=xiuwu, amount="400000.00", booked_on=DAY1
    )
    county = services.county_account(fund, xiuwu)
    services.allocate_to_project(
        actor=finance, from_account=county, project=project, amount="150000.50", booked_on=DAY2
    )
    account = services.project_account(fund, project)
    paid = []
    for i, amount in enumerate(("30000.25", "12000.00")):
        request, _ = services.disbursement_request_create(
            actor=finance, idempotency_key=f"r{i}", from_account=account, amount=amount, purpose="进度款",
            payee_kind="organisation", payee_name="甲建设公司",
        )  # fmt: skip
        paid.append(services.disbursement_approve(actor=finance2, request=request, booked_on=DAY2))
    services.disbursement_reverse(actor=finance, request=paid[1], reason="重复支付")
    return fund, xiuwu, project, county, account


def _ledger_balance(accounts, as_of=None):
    lines = Line.objects.filter(account__in=accounts)
    if as_of:
        lines = lines.filter(entry__booked_on__lte=as_of)
    totals = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (totals["d"] or 0) - (totals["c"] or 0)


def test_fund_reconciliation_matches_the_ledger_to_the_fen(city_ledger, city_finance):
    fund, *_ = city_ledger
    rec = selectors.reconciliation(actor=city_finance, fund=fund)
    assert rec.budget == D("1000000.01")
    assert rec.allocated == D("400000.00")
    assert rec.disbursed == D("42000.25")
    assert rec.reversed == D("12000.00")
    assert rec.balance == D("969999.76")  # budget − paid (30,000.25)
    assert rec.is_reconciled
    holding = Account.objects.filter(fund=fund, kind__in=["fund", "county", "project"])
    assert rec.balance == _ledger_balance(holding) == sum(a.balance for a in holding)


def test_county_reconciliation_counts_its_projects(city_ledger, finance):
    _fund, xiuwu, _project, county, account = city_ledger
    rec = selectors.reconciliation(actor=finance, county=xiuwu)
    assert rec.budget == 0
    assert rec.allocated == D("400000.00")  # from the city; county → project is internal
    assert rec.disbursed == D("42000.25")
    assert rec.reversed == D("12000.00")
    assert rec.balance == D("369999.75")
    assert rec.balance == _ledger_balance([county, account])
    assert rec.is_reconciled


def test_project_reconciliation_and_as_of_a_past_date(city_ledger, finance):
    _fund, _xiuwu, project, _county, account = city_ledger
    rec = selectors.reconciliation(actor=finance, project=project)
    assert rec.allocated == D("150000.50")
    assert rec.disbursed == D("42000.25")
    assert rec.balance == D("120000.25")
    assert rec.is_reconciled
    before = selectors.reconciliation(actor=finance, project=project, as_of=DAY1)
    assert before.allocated == 0
    assert before.balance == 0
    on_day2 = selectors.reconciliation(actor=finance, project=project, as_of=DAY2)
    assert on_day2.balance == D("108000.25") == _ledger_balance([account], as_of=DAY2)
    assert on_day2.reversed == 0


def test_running_balance_of_the_ledger_view(city_ledger, finance):
    *_, account = city_ledger
    opening, lines = selectors.account_ledger(actor=finance, account=account)
    balances = [line.running_balance for line in lines]
    assert opening == 0
    assert balances == [D("150000.50"), D("120000.25"), D("108000.25"), D("120000.25")]
    opening, lines = selectors.account_ledger(actor=finance, account=account, date_from=DAY3)
    assert opening == D("108000.25")
    assert [line.running_balance for line in lines] == [D("120000.25")]


def test_county_officer_reconciles_only_inside_their_county(city_ledger, boai_finance):
    fund, xiuwu, *_ = city_ledger
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.fund_get(actor=boai_finance, pk=fund.pk)
    rec = selectors.reconciliation(actor=boai_finance, county=xiuwu)
    assert rec.balance == 0
    assert rec.disbursed == 0
