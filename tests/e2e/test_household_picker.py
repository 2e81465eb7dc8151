"""The household look-up on the payment request form (issue 21: pickers instead of typed ids): a finance
officer types the start of the head's name, the households of their county that match are offered (not
another county's namesake), one is chosen with a click — its id goes into the hidden field, its file
number shows beside it — and the request is made for that household. A file number typed whole finds
its household too; the digits of an ID number find nothing (a tail would reveal masked digits)."""

import pytest
from playwright.sync_api import expect

from core.models import Region, Role
from funds.models import DisbursementRequest
from tests.factories.funds import FundFactory
from tests.factories.households import HouseholdFactory, MemberFactory, valid_id_number
from tests.funds.batch_world import county_allocation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"
XIUWU = "410821000000"
BOAI = "410822000000"


def _household(county: str, name: str, file_number: str):
    village = Region.objects.filter(code__startswith=county[:6], level="village").order_by("code").first()
    household = HouseholdFactory(village=village, head_name=name, file_number=file_number)
    id_number = valid_id_number(region6=county[:6])
    MemberFactory(household=household, name=name, id_number=id_number)
    return household, id_number


def _suggestions(page) -> dict[str, str]:
    """The offered households: id → what the button says."""
    buttons = page.locator("#id_household-list button")
    buttons.first.wait_for()
    return {
        buttons.nth(i).get_attribute("data-id"): buttons.nth(i).inner_text() for i in range(buttons.count())
    }


def test_a_household_payee_is_chosen_by_name_and_the_request_is_made_for_it(
    page, live_server, persona, login, screenshot
):
    maker = persona(Role.FINANCE_OFFICER, XIUWU, username="maker_picker")
    account = county_allocation(FundFactory(), Region.objects.get(code=XIUWU), maker)
    chosen, id_number = _household(XIUWU, "王秀兰", "XW0000001")
    other, _id = _household(XIUWU, "王秀英", "XW0000002")
    _namesake, _id = _household(BOAI, "王秀兰", "BA0000001")

    login(page, maker.username, PASSWORD)
    page.goto(f"{live_server.url}/funds/disbursements/new/")
    page.select_option("#id_from_account", str(account.pk))
    page.select_option("#id_payee_kind", "household")
    page.locator("#id_household").press_sequentially("王秀")
    offered = _suggestions(page)
    assert set(offered) == {str(chosen.pk), str(other.pk)}  # 博爱县's 王秀兰 is not offered
    assert "XW0000001" in offered[str(chosen.pk)]
    page.locator(f"#id_household-list button[data-id='{chosen.pk}']").click()
    assert page.input_value("input[name=household]") == str(chosen.pk)
    assert page.input_value("#id_household") == "王秀兰"
    assert "XW0000001" in page.inner_text("#id_household ~ [data-picker-detail]")
    assert page.locator("#id_household-list").is_hidden()
    page.fill("#id_amount", "800.00")
    page.fill("#id_purpose", "到户产业发展补贴")
    screenshot(page, "funds_request_household_picker")
    page.click("button[value=preview]")
    page.click("button[value=submit]")
    page.wait_for_url("**/funds/disbursements/*/")
    request = DisbursementRequest.objects.get(maker=maker)
    assert request.household_id == chosen.pk
    assert "王秀兰" in page.locator("main").inner_text()

    # A file number typed whole finds its household; an ID number's digits find none.
    page.goto(f"{live_server.url}/funds/disbursements/new/")
    page.select_option("#id_payee_kind", "household")
    page.locator("#id_household").press_sequentially("XW0000002")
    assert set(_suggestions(page)) == {str(other.pk)}
    page.fill("#id_household", "")
    with page.expect_response("**/funds/pick/households/?*") as answer:
        page.locator("#id_household").press_sequentially(id_number[-6:])
    assert answer.value.json()["results"] == []
    expect(page.locator("#id_household-list")).to_be_hidden()
