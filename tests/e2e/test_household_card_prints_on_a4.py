"""The 户卡 printed from the browser (issue 21): a household of the demo's size — six members, three
years of income, this year's plan with its measures, the responsible officer's visits, changes — comes
out of Chromium's print as one or two A4 pages, without the application's menu."""

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from assistance.models import Visit
from core.models import Role
from households import services
from households.models import Income
from tests.factories.assistance import MeasureFactory, PlanFactory
from tests.factories.households import ensure_poverty_lines, household_with_members

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-123"
A4_POINTS = (595, 842)  # 210 × 297 mm


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    """The size of each page of the PDF (its MediaBox), read from the bytes: pypdf is not installed."""
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    boxes = [
        tuple(float(x) for x in m.groups()[2:])
        for m in re.finditer(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    ]
    assert pages, "no page in the PDF"
    return boxes[:pages] or [A4_POINTS] * pages


def test_the_clerk_prints_a_demo_size_household_card_on_one_or_two_a4_pages(
    page, live_server, persona, login, screenshot, xiuwu_officer
):
    from core.roles import sync_roles

    sync_roles()
    ensure_poverty_lines()
    clerk = persona(Role.COUNTY_CLERK, "410821000000", full_name="李录入")
    household = household_with_members(
        members=6, head_name="王建国", main_cause="illness", secondary_causes=["lack_funds", "lack_skills"]
    )
    household.assistance_officer = xiuwu_officer
    household.save(update_fields=["assistance_officer", "updated_at"])
    for year, income in ((2015, "2800.00"), (2016, "3650.40"), (2017, "4210.75")):
        Income.objects.create(household=household, year=year, per_capita_net_income=Decimal(income))
    plan = PlanFactory(household=household)
    for title in ("大病医疗救助", "小额信贷发展养殖", "外出务工技能培训", "危房改造", "公益岗位"):
        MeasureFactory(plan=plan, title=title, causes=["illness"])
    for days in range(6):
        Visit.objects.create(
            client_uuid=uuid.uuid4(), household=household, officer=xiuwu_officer,
            activities="入户了解家庭收入和看病报销情况，宣讲帮扶政策",
            visited_on=timezone.localdate() - dt.timedelta(days=7 * days + 1), satisfaction="satisfied",
            recorded_by=clerk,
        )  # fmt: skip
    for address in ("一组3号", "二组8号", "三组1号"):
        services.household_update(household=household, data={"address": address}, actor=clerk)

    login(page, clerk.username, PASSWORD)
    page.goto(f"{live_server.url}/households/{household.pk}/")
    page.click("#print-card")
    page.wait_for_url(f"{live_server.url}/households/{household.pk}/card/")
    assert page.locator("h1").inner_text() == "建档立卡贫困户户卡"
    assert page.locator("#card-measures tbody tr").count() == 5
    assert page.locator("#card-visit-rows tbody tr").count() == 6
    assert page.locator("#main").get_by_text("三组1号").count() >= 1
    screenshot(page, "household-card")

    page.emulate_media(media="print")
    assert not page.locator(".card-toolbar").is_visible()  # the toolbar stays off the paper
    assert page.locator(".mainnav").count() == 0
    pdf = page.pdf(format="A4", print_background=True)
    pages = _pages(pdf)
    assert 1 <= len(pages) <= 2, f"the card printed on {len(pages)} pages"
    for width, height in pages:
        assert abs(width - A4_POINTS[0]) < 2
        assert abs(height - A4_POINTS[1]) < 2
