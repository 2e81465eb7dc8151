"""In the browser: one finance officer requests a payment, a second approves it, the ledger shows it."""

import pytest

from core.models import Role
from funds import services
from tests.factories.funds import FundFactory, ProjectFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"


def test_request_then_second_officer_approves_and_ledger_shows_it(
    page, live_server, persona, login, screenshot
):
    maker = persona(Role.FINANCE_OFFICER, "410821000000", full_name="李会计")
    checker = persona(Role.FINANCE_OFFICER, "410821000000", full_name="张复核")
    fund = FundFactory()
    project = ProjectFactory(name="食用菌大棚项目")
    services.budget_arrange(actor=maker, fund=fund, amount="100000.00")
    services.allocate_to_project(
        actor=maker, from_account=services.pool_account(fund), project=project, amount="50000.00"
    )
    account = services.project_account(fund, project)
    services.contractor_record(project)  # the winner, recorded as the payee contractor payments go to

    login(page, maker.username, PASSWORD)
    page.goto(f"{live_server.url}/funds/disbursements/new/")
    page.select_option("#id_from_account", str(account.pk))
    page.select_option("#id_payee_kind", "organisation")
    page.fill("#id_payee", "甲建设")  # the look-up: suggestions as you type, chosen with a click
    page.locator("[data-picker-list] button", has_text="甲建设公司").first.click()
    page.fill("#id_amount", "12345.67")
    page.fill("#id_purpose", "大棚建设进度款")
    screenshot(page, "funds_request_form")
    page.click("button[value=preview]")  # check first: the payee, the balance, the checker's flags
    assert "50,000.00" in page.locator("section.preview").inner_text()
    page.click("button[value=submit]")
    page.wait_for_url("**/funds/disbursements/*/")
    assert "待审核" in page.locator("h1").inner_text()
    assert "另一名财政干部" in page.content() or page.locator("[data-action=approve]").count() == 0
    request_url = page.url

    page.context.clear_cookies()
    login(page, checker.username, PASSWORD)
    page.goto(request_url)
    page.click("[data-action=approve]")
    page.click("[data-action=approve-confirmed]")  # the confirmation step on the page
    page.wait_for_url(request_url)
    assert "已拨付" in page.locator("h1").inner_text()
    screenshot(page, "funds_request_approved")

    page.goto(f"{live_server.url}/funds/accounts/{account.pk}/")
    ledger = page.locator("table.ledger").inner_text()
    assert "12,345.67" in ledger
    assert "37,654.33" in ledger  # the running balance after the payment
    assert page.locator("[data-balance]").inner_text() == "37,654.33"
    screenshot(page, "funds_ledger_running_balance")
