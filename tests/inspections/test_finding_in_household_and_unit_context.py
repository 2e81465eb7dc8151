"""A filed finding shows on its household's page (selector + partial) and in the responsible unit's list."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from inspections import selectors
from inspections.models import FindingStatus
from tests.factories.households import HouseholdFactory
from tests.factories.inspections import FindingFactory, RectificationItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(xiuwu_village):
    return HouseholdFactory(village=xiuwu_village, head_name="王某某")


def test_findings_for_household_with_open_items_and_partial(rf, clerk, household, xiuwu_office):
    finding = FindingFactory(household=household, region=household.village, description="收入核算不实")
    RectificationItemFactory(finding=finding, responsible_unit=xiuwu_office)
    FindingFactory(household=household, region=household.village, status=FindingStatus.PENDING, confirmed_at=None,
                   description="未核实的举报")  # fmt: skip
    findings = list(selectors.findings_for_household(actor=clerk, household=household))
    assert [f.pk for f in findings] == [finding.pk]
    assert findings[0].open_items == 1
    request = rf.get("/")
    request.user = clerk
    html = render_to_string("inspections/_household_findings.html", {"findings": findings}, request=request)
    assert "收入核算不实" in html
    assert "未核实的举报" not in html
    assert reverse("inspections:finding_detail", args=[finding.pk]) in html


def test_other_county_sees_no_findings_of_the_household(other_clerk, household):
    FindingFactory(household=household, region=household.village)
    assert list(selectors.findings_for_household(actor=other_clerk, household=household)) == []


def test_responsible_unit_list_shows_the_finding(client, clerk, xiuwu_office):
    mine = FindingFactory(responsible_unit=xiuwu_office, description="本单位问题")
    FindingFactory(description="别的单位问题")
    client.force_login(clerk)
    response = client.get(reverse("inspections:finding_list"), {"responsible_unit": xiuwu_office.pk})
    assert [f.pk for f in response.context["page"]] == [mine.pk]
    assert xiuwu_office.name in response.content.decode()
    assert [f.pk for f in selectors.findings_for_unit(actor=clerk, unit=xiuwu_office)] == [mine.pk]


def test_finding_list_query_count_is_pinned(client, clerk, xiuwu_office, django_assert_max_num_queries):
    for _ in range(15):
        RectificationItemFactory(
            finding=FindingFactory(responsible_unit=xiuwu_office), responsible_unit=xiuwu_office
        )
    client.force_login(clerk)
    client.get(reverse("inspections:finding_list"))  # warm the session / permission caches
    with django_assert_max_num_queries(14):
        assert client.get(reverse("inspections:finding_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("inspections:item_list")).status_code == 200
