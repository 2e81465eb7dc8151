"""Issue 20.2: before submitting, the maker sees the payee's status, the balance and every flag the
checker will see; a ceiling refuses, a softer limit asks for a reason, a repeat within 7 days asks
for confirmation; payees and measures are chosen with look-ups; the maker may withdraw a request no
one has checked; approving asks for confirmation; the funds overview adds up."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.exceptions import DomainError
from core.models import Role
from funds import selectors, services
from funds.models import DisbursementRequest, DisbursementStatusChange, RequestStatus
from households.models import HouseholdStatus
from tests.conftest import make_user
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def county_account(fund, finance, xiuwu):
    services.budget_arrange(actor=finance, fund=fund, amount="1000000.00", booked_on=dt.date(2017, 1, 5))
    services.allocate_to_county(
        actor=finance, fund=fund, county=xiuwu, amount="200000.00", booked_on=dt.date(2017, 1, 5)
    )
    return services.county_account(fund, xiuwu)


def _form(account, household, **extra):
    return {
        "idempotency_key": extra.pop("key", "form-1"), "from_account": account.pk, "payee_kind": "household",
        "household": household.pk, "amount": "1500.00", "purpose": "到户产业发展补贴", **extra,
    }  # fmt: skip


def test_the_maker_sees_the_payees_status_and_the_balance_before_submitting(client, finance, county_account):
    exited = HouseholdFactory(status=HouseholdStatus.EXITED)
    client.force_login(finance)
    page = client.post(
        reverse("funds:request_create"), _form(county_account, exited), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "已脱贫" in body  # the household's status, as the checker will see it
    assert "200,000.00" in body  # the balance
    assert 'value="submit"' in body
    assert DisbursementRequest.objects.count() == 0  # checking saves nothing
    done = client.post(reverse("funds:request_create"), _form(county_account, exited, action="submit"))
    assert done.status_code == 302
    request = DisbursementRequest.objects.get()
    assert any("在册" in f or "registered" in f for f in selectors.request_flags(request))


def test_an_amount_above_the_ceiling_is_refused_and_nothing_is_saved(finance, county_account):
    exited = HouseholdFactory(status=HouseholdStatus.EXITED)
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        services.disbursement_request_create(
            actor=finance, idempotency_key="big", from_account=county_account, amount="999999999.00",
            purpose="补贴", payee_kind="household", household=exited,
        )  # fmt: skip
    assert refused.value.field == "amount"
    assert "上限" in str(refused.value)
    assert DisbursementRequest.objects.count() == 0


def test_above_the_softer_limit_needs_a_stated_reason_which_the_checker_sees(
    client, finance, finance2, county_account
):
    household = HouseholdFactory()
    client.force_login(finance)
    refused = client.post(
        reverse("funds:request_create"), _form(county_account, household, amount="12000.00", action="submit")
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["limit_reason"]
    assert DisbursementRequest.objects.count() == 0
    done = client.post(
        reverse("funds:request_create"),
        _form(
            county_account, household, amount="12000.00", limit_reason="危房改造一次性补助", action="submit"
        ),
    )
    assert done.status_code == 302
    client.force_login(finance2)
    assert "危房改造一次性补助" in client.get(done["Location"]).content.decode()


def test_a_second_request_for_the_same_payee_and_amount_within_7_days_needs_confirmation(
    finance, county_account
):
    household = HouseholdFactory()
    args = {"actor": finance, "from_account": county_account, "amount": "1500.00", "purpose": "补贴",
            "payee_kind": "household", "household": household}  # fmt: skip
    first, _ = services.disbursement_request_create(idempotency_key="one", **args)
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        services.disbursement_request_create(idempotency_key="two", **args)  # Back + resubmit
    assert refused.value.field == "confirmed_different"
    assert str(first.pk) in str(refused.value)
    assert DisbursementRequest.objects.count() == 1
    second, created = services.disbursement_request_create(
        idempotency_key="two", confirmed_different=True, **args
    )
    assert created
    assert second.confirmed_different
    # The checker sees the repeat on the second request (with the maker's confirmation), not on the first.
    with translation.override("zh-hans"):
        assert any(str(first.pk) in flag for flag in selectors.request_flags(second))
        assert not any(str(second.pk) in flag for flag in selectors.request_flags(first))


def test_payees_and_measures_are_looked_up_in_the_readers_region(
    client, xiuwu, finance, boai_finance, auditor
):
    household = HouseholdFactory(phone="13912345678")
    services.payee_create(actor=finance, county=xiuwu, name="修武县丰收合作社")
    client.force_login(finance)
    by_file = client.get(reverse("funds:pick_households"), {"q": household.file_number}).json()["results"]
    assert [row["id"] for row in by_file] == [household.pk]
    by_phone = client.get(reverse("funds:pick_households"), {"q": "13912345678"}).json()["results"]
    assert [row["id"] for row in by_phone] == [household.pk]
    assert (
        client.get(reverse("funds:pick_payees"), {"q": "丰收"}).json()["results"][0]["label"]
        == "修武县丰收合作社"
    )
    client.force_login(boai_finance)  # another county sees none of it
    assert client.get(reverse("funds:pick_households"), {"q": household.file_number}).json()["results"] == []
    assert client.get(reverse("funds:pick_payees"), {"q": "丰收"}).json()["results"] == []
    client.force_login(auditor)  # reads, never makes a request
    assert client.get(reverse("funds:pick_households"), {"q": household.file_number}).status_code == 403


def test_the_maker_withdraws_a_request_not_yet_checked_and_the_auditor_reads_the_trail(
    client, finance, finance2, auditor, county_account
):
    request, _ = services.disbursement_request_create(
        actor=finance, idempotency_key="w", from_account=county_account, amount="800.00", purpose="补贴",
        payee_kind="household", household=HouseholdFactory(),
    )  # fmt: skip
    with pytest.raises(DomainError):
        services.disbursement_withdraw(actor=finance2, request=request)  # not theirs
    client.force_login(finance)
    assert (
        'data-action="withdraw"'
        in client.get(reverse("funds:request_detail", args=[request.pk])).content.decode()
    )
    assert (
        client.post(reverse("funds:request_withdraw", args=[request.pk]), {"reason": "录错金额"}).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    with pytest.raises(DomainError):
        services.disbursement_approve(actor=finance2, request=request)
    row = DisbursementStatusChange.objects.filter(request=request).latest("id")
    assert (row.from_status, row.to_status, row.actor_id, row.note) == (
        "pending",
        "withdrawn",
        finance.pk,
        "录错金额",
    )
    client.force_login(auditor)
    trail = client.get(reverse("funds:request_detail", args=[request.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "已撤回" in trail.content.decode()
    assert "录错金额" in trail.content.decode()


def test_approving_asks_for_confirmation_on_the_page(client, finance, finance2, county_account):
    request, _ = services.disbursement_request_create(
        actor=finance, idempotency_key="c", from_account=county_account, amount="800.00", purpose="补贴",
        payee_kind="household", household=HouseholdFactory(),
    )  # fmt: skip
    client.force_login(finance2)
    url = reverse("funds:request_approve", args=[request.pk])
    step = client.post(url)
    assert step.status_code == 200
    assert 'name="confirmed" value="1"' in step.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING  # nothing paid before the confirmation
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED


def test_a_county_reading_a_city_fund_sees_figures_that_add_up(client, regions, xiuwu, finance, finance2):
    from tests.factories.funds import FundFactory

    city = make_user(Role.FINANCE_OFFICER, "410800000000", username="city_fin_overview")
    fund = FundFactory(region_id="410800000000", source="central")
    services.budget_arrange(actor=city, fund=fund, amount="38000000.00", booked_on=dt.date(2017, 1, 10))
    services.allocate_to_county(
        actor=city, fund=fund, county=xiuwu, amount="11400000.00", booked_on=dt.date(2017, 2, 10)
    )
    account = services.county_account(fund, xiuwu)
    request, _ = services.disbursement_request_create(
        actor=finance, idempotency_key="o", from_account=account, amount="4000.00", purpose="补贴",
        payee_kind="household", household=HouseholdFactory(),
    )  # fmt: skip
    services.disbursement_approve(actor=finance2, request=request, booked_on=dt.date(2017, 3, 1))
    rec = selectors.reconciliation(actor=finance, fund=fund)
    assert rec.allocated == D("11400000.00")  # was 0 beside the money disbursed
    assert (
        rec.budget + rec.allocated_in - rec.allocated_out - rec.disbursed_net - rec.awaiting_bank
        == rec.balance
    )
    assert rec.disbursed + rec.awaiting_bank == D("4000.00")  # paid, or approved and awaiting the bank
    assert rec.balance == D("11396000.00")
    client.force_login(finance)
    home = client.get(reverse("funds:home")).content.decode()
    assert "11,400,000.00" in home
    assert "11,396,000.00" in home
