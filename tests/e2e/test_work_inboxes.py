"""The work inbox as a finance officer meets it (issue 21): the requests waiting for their check —
never their own — counted on the home page, one click from the list of them; and the history of a
request they open reads in words."""

import pytest

from core.models import Region, Role
from tests.factories.funds import FundFactory
from tests.funds.batch_world import county_allocation, household_requests

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"
XIUWU = "410821000000"


def test_a_finance_officer_goes_from_the_inbox_to_the_requests_to_check(
    page, live_server, persona, login, screenshot
):
    maker = persona(Role.FINANCE_OFFICER, XIUWU, username="maker_xiuwu")
    checker = persona(Role.FINANCE_OFFICER, XIUWU, username="checker_xiuwu")
    account = county_allocation(FundFactory(), Region.objects.get(code=XIUWU), maker)
    household_requests(account, maker, 3, amount="800.00", prefix="m")
    household_requests(account, checker, 1, amount="500.00", prefix="c")  # the checker's own

    login(page, checker.username, PASSWORD)
    item = page.locator("#inbox #w-funds-check")
    assert item.locator("a").inner_text() == "待您审核的拨付申请"
    assert item.locator(".badge").inner_text() == "3"
    screenshot(page, "home_inbox_finance")
    item.locator("a").click()
    page.wait_for_url("**/funds/disbursements/?status=pending")
    rows = page.locator("table tbody tr")
    assert rows.count() == 4  # the list shows them all; the inbox counts those the checker may check

    # A request another checker approved: its history reads in words.
    from django.utils import translation

    from funds import services
    from funds.models import RequestStatus

    other = persona(Role.FINANCE_OFFICER, XIUWU, username="other_checker_xiuwu")
    (approved,) = household_requests(account, maker, 1, amount="300.00", prefix="a")
    services.disbursement_approve(actor=other, request=approved)
    page.goto(f"{live_server.url}/funds/disbursements/{approved.pk}/")
    history = page.locator("table.history:not(.status-changes)")
    text = history.inner_text()
    with translation.override("zh-hans"):
        before, after = str(RequestStatus.PENDING.label), str(RequestStatus.APPROVED.label)
    assert f"{before} → {after}" in text
    assert f"审核人：— → {other}" in text  # the checker by name, not by id, under the word a payment uses
    for raw in ("checker_id", "status", "pending", "approved", "T0", "+00:00"):
        assert raw not in text, raw
    screenshot(page, "request_history_in_words")
