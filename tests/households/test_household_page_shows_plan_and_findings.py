"""The household page shows the household's assistance plan and its inspection findings
(panels contributed by those apps), and keeps unfiled covert-visit findings secret."""

import pytest
from django.urls import reverse

from inspections.models import FindingStatus
from tests.factories.assistance import MeasureFactory, PlanFactory
from tests.factories.households import household_with_members
from tests.factories.inspections import FindingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(regions):
    return household_with_members(members=2, main_cause="illness", secondary_causes=["lack_funds"])


def test_plan_panel_shows_this_years_plan_and_uncovered_cause(client, clerk, household):
    plan = PlanFactory(household=household)
    MeasureFactory(plan=plan, title="大病医疗救助", causes=["illness"])
    client.force_login(clerk)
    body = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "大病医疗救助" in body
    assert "缺资金" in body  # the uncovered secondary cause is named


def test_findings_panel_shows_confirmed_findings_only(client, clerk, household):
    FindingFactory(household=household, description="档卡信息与实际不符")
    FindingFactory(household=household, description="暗访未归档的问题", status=FindingStatus.PENDING)
    client.force_login(clerk)
    body = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "档卡信息与实际不符" in body
    assert "暗访未归档的问题" not in body


def test_other_county_household_page_is_404_with_its_panels(client, other_clerk, household):
    FindingFactory(household=household, description="档卡信息与实际不符")
    client.force_login(other_clerk)
    assert client.get(reverse("households:detail", args=[household.pk])).status_code == 404
