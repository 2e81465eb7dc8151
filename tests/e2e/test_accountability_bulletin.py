"""A city leader opens the latest monthly bulletin and downloads its .xlsx; another county's case is 404."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from accountability.models import Bulletin
from accountability.services import FindingFacts, finding_filed
from accountability.tasks import monthly_bulletin
from core.models import Region, Role
from tests.factories.accountability import ResponsibilityFactory, standard_scheme
from tests.factories.core import OfficerFactory, UnitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-123"


@pytest.fixture
def bulletin_data(regions):
    standard_scheme()
    county = Region.objects.get(code="410821000000")
    township = Region.objects.filter(parent=county, level="township").order_by("code").first()
    village = Region.objects.filter(parent=township, level="village").order_by("code").first()
    leader_officer = OfficerFactory(unit=UnitFactory(region=county, name="修武县人民政府"), name="联系领导甲")
    ResponsibilityFactory(officer=leader_officer, region=township, valid_from=dt.date(2017, 1, 1))
    cases = finding_filed(finding=FindingFacts(pk=1, source="media_provincial", found_on=dt.date(2017, 5, 9),
                                               region_code=village.code, responsible_officer_ids=(leader_officer.pk,)))  # fmt: skip
    monthly_bulletin("2017-05")
    return {"case": cases[0]}


def test_leader_opens_latest_bulletin_and_downloads_xlsx(
    page, live_server, persona, login, screenshot, bulletin_data
):
    leader = persona(Role.LEADER, "410800000000")
    login(page, leader.username, PASSWORD)
    page.goto(f"{live_server.url}/accountability/bulletins/latest/")
    page.wait_for_selector("#cases")
    assert page.url.endswith(f"/accountability/bulletins/{Bulletin.objects.get().pk}/")
    assert page.locator("[data-total='cases-opened']").inner_text() == "2"
    assert "2017年5月" in page.locator("h1").inner_text()
    screenshot(page, "accountability_bulletin")
    with page.expect_download() as info:
        page.click("#download-xlsx")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    wb = load_workbook(BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    assert len(wb.worksheets) >= 5
    assert list(wb.worksheets[5].iter_rows(values_only=True))[-1][1] == 2
    # Printing repeats the table headers (thead as a header group) on A4.
    display = page.evaluate("getComputedStyle(document.querySelector('#cases thead')).display")
    assert display == "table-header-group"


def test_other_county_rows_are_404_and_leader_cannot_decide(page, live_server, persona, login, bulletin_data):
    case = bulletin_data["case"]
    boai_officer = persona(Role.DISCIPLINE_COMMISSION, "410822000000")  # 博爱县纪委
    login(page, boai_officer.username, PASSWORD)
    response = page.goto(f"{live_server.url}/accountability/cases/{case.pk}/")
    assert response.status == 404
    page.context.clear_cookies()
    leader = persona(Role.LEADER, "410800000000")
    login(page, leader.username, PASSWORD)
    response = page.goto(f"{live_server.url}/accountability/cases/{case.pk}/")
    assert response.status == 200
    assert page.locator(f"form[action$='/cases/{case.pk}/dismiss/']").count() == 0
    assert page.locator(f"form[action$='/cases/{case.pk}/confirm/']").count() == 0
