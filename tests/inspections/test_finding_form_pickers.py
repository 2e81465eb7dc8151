"""An inspector records a finding by choosing the village, the household and the responsible unit by
name (core.pickers), never by typing a code: the look-ups are narrowed to the county chosen on the
form, scoped to the reader, and resolve a typed name without JavaScript (one match chosen, several
listed). The item form of a finding offers the units of its county; the case form finds officers and
units by name."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import AccountabilityCase
from core.models import Role, Unit, UnitKind
from inspections.models import Finding, FindingSource, RectificationItem
from tests.conftest import BOAI, CITY, XIUWU
from tests.factories.core import OfficerFactory, UnitFactory
from tests.factories.households import (
    HouseholdFactory,
    MemberFactory,
    household_with_members,
    valid_id_number,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_finance(regions):
    return Unit.objects.create(region_id=CITY, name="焦作市财政局", kind=UnitKind.DEPARTMENT)


def finding_post(county, **fields):
    return {
        "source": FindingSource.MEDIA_PROVINCIAL, "source_reference": "河南日报", "county": county,
        "category": "funds", "severity": "grave", "description": "扶贫资金被截留", **fields,
    }  # fmt: skip


def picked(client, route, **params):
    response = client.get(reverse(route), params)
    assert response.status_code == 200
    return [row["label"] for row in response.json()["results"]]


# --- units --------------------------------------------------------------------------------------


def test_unit_look_up_is_narrowed_to_the_county_chosen(
    client, inspector, xiuwu_office, boai_office, city_finance
):
    client.force_login(inspector)
    assert sorted(picked(client, "inspections:pick_units", q="扶贫开发")) == sorted(
        [xiuwu_office.name, boai_office.name]
    )
    # 修武县 chosen: its own units and the city's above it; 博爱县's office is not offered.
    assert picked(client, "inspections:pick_units", q="扶贫开发", county=XIUWU) == [xiuwu_office.name]
    assert picked(client, "inspections:pick_units", q="财政", county=XIUWU) == [city_finance.name]
    assert picked(client, "inspections:pick_units", q="扶贫开发", county=BOAI) == [boai_office.name]
    assert picked(client, "inspections:pick_units", q="扶贫开发", county="not-a-code") == []


def test_unit_look_up_is_scoped_to_the_reader(client, persona, xiuwu_office, boai_office):
    xiuwu_inspector = persona(Role.INSPECTOR, XIUWU)
    client.force_login(xiuwu_inspector)
    assert picked(client, "inspections:pick_units", q="扶贫开发") == [xiuwu_office.name]
    assert picked(client, "inspections:pick_units", q="博爱", county=BOAI) == []


def test_a_typed_unit_name_with_one_match_is_chosen_without_javascript(
    client, inspector, xiuwu_office, boai_office
):
    client.force_login(inspector)
    # Both counties have a 扶贫开发办公室; the county chosen leaves one.
    response = client.post(
        reverse("inspections:finding_create"), finding_post(XIUWU, responsible_unit_q="扶贫开发办公室")
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Finding.objects.get().responsible_unit == xiuwu_office


def test_a_unit_of_another_county_is_not_found(client, inspector, xiuwu_office, boai_office):
    client.force_login(inspector)
    response = client.post(
        reverse("inspections:finding_create"), finding_post(XIUWU, responsible_unit_q=boai_office.name)
    )
    assert response.status_code == 400
    assert "没有名称与" in response.context["form"].errors["responsible_unit"][0]
    assert not Finding.objects.exists()


def test_several_units_matching_are_listed_to_choose_from(client, inspector, xiuwu_office, xiuwu):
    other = Unit.objects.create(region=xiuwu, name="修武县扶贫开发协会", kind=UnitKind.DEPARTMENT)
    client.force_login(inspector)
    response = client.post(
        reverse("inspections:finding_create"), finding_post(XIUWU, responsible_unit_q="修武县扶贫")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-id="{xiuwu_office.pk}"' in page
    assert f'data-id="{other.pk}"' in page
    assert "多个" in response.context["form"].errors["responsible_unit"][0]
    # The form keeps the picker narrowed to the county field for the script.
    assert 'data-picker-filter="{&quot;county&quot;: &quot;county&quot;}"' in page


# --- village and household ----------------------------------------------------------------------


def test_the_village_is_chosen_by_name_within_the_county(client, inspector, xiuwu_villages, boai_village):
    village = xiuwu_villages[0]
    client.force_login(inspector)
    assert village.name in picked(client, "inspections:pick_villages", q=village.name, county=XIUWU)
    assert picked(client, "inspections:pick_villages", q=boai_village.name, county=XIUWU) == []
    response = client.post(reverse("inspections:finding_create"), finding_post(XIUWU, village_q=village.name))
    assert response.status_code == 302, response.context["form"].errors
    assert Finding.objects.get().region == village
    # A village of another county is not offered for this one.
    response = client.post(
        reverse("inspections:finding_create"), finding_post(XIUWU, village_q=boai_village.name)
    )
    assert response.status_code == 400
    assert "village" in response.context["form"].errors


def test_the_form_no_longer_asks_for_a_typed_village_code(client, inspector):
    client.force_login(inspector)
    page = client.get(reverse("inspections:finding_create")).content.decode()
    assert "12位" not in page
    assert reverse("inspections:pick_villages") in page
    assert reverse("inspections:pick_households") in page


def test_a_household_is_named_on_the_finding_by_name_file_number_or_phone(client, inspector, xiuwu_villages):
    village = xiuwu_villages[1]
    household = household_with_members(village=village, head_name="张守田", phone="13812345678")
    client.force_login(inspector)
    for q in ("张守", household.file_number, "13812345678"):
        assert picked(client, "inspections:pick_households", q=q, county=XIUWU) == ["张守田"], q
    assert picked(client, "inspections:pick_households", q="张守", county=BOAI) == []
    assert picked(client, "inspections:pick_households", q="张守", village=xiuwu_villages[0].code) == []
    response = client.post(
        reverse("inspections:finding_create"), finding_post(XIUWU, village=village.code, household_q="张守田")
    )
    assert response.status_code == 302, response.context["form"].errors
    finding = Finding.objects.get()
    assert (finding.household, finding.region) == (household, village)


def test_the_household_look_up_never_searches_id_numbers(client, inspector, xiuwu_villages):
    number = valid_id_number()
    household = HouseholdFactory(village=xiuwu_villages[0], head_name="李德明", file_number="XW0001")
    MemberFactory(household=household, name="李德明", id_number=number)
    client.force_login(inspector)
    assert picked(client, "inspections:pick_households", q="李德") == ["李德明"]
    # An exact number is searched through the POST search only (counted and logged), never a look-up
    # in a web address; nor a tail of one, which would tell masked digits.
    for q in (number, number[-4:], number[-6:]):
        assert picked(client, "inspections:pick_households", q=q) == [], q
        assert picked(client, "inspections:pick_households", q=q, county=XIUWU) == [], q


def test_a_household_of_another_village_than_the_one_chosen_is_refused(client, inspector, xiuwu_villages):
    household = household_with_members(village=xiuwu_villages[1], head_name="王春来")
    client.force_login(inspector)
    response = client.post(
        reverse("inspections:finding_create"),
        finding_post(XIUWU, village=xiuwu_villages[0].code, household=household.pk),
    )
    assert response.status_code == 400
    assert xiuwu_villages[1].name in response.context["form"].errors["household"][0]


# --- after sending ------------------------------------------------------------------------------


def test_after_recording_the_form_is_empty_and_the_confirmation_links_the_finding(
    client, inspector, xiuwu_office
):
    client.force_login(inspector)
    response = client.post(
        reverse("inspections:finding_create"),
        finding_post(XIUWU, responsible_unit=xiuwu_office.pk),
        follow=True,
    )
    finding = Finding.objects.get()
    assert response.redirect_chain[-1][0].startswith(reverse("inspections:finding_create"))
    page = response.content.decode()
    assert 'id="recorded"' in page
    assert reverse("inspections:finding_detail", args=[finding.pk]) in page
    form = response.context["form"]
    assert not form.is_bound
    assert "扶贫资金被截留" not in page.split('id="recorded"')[1].split("</section>")[1]


# --- the item form of a finding -----------------------------------------------------------------


def test_the_item_form_offers_the_units_of_the_findings_county(client, inspector, xiuwu_office, boai_office):
    client.force_login(inspector)
    client.post(reverse("inspections:finding_create"), finding_post(XIUWU))
    finding = Finding.objects.get()
    url = reverse("inspections:finding_detail", args=[finding.pk])
    page = client.get(url).content.decode()
    assert 'data-picker-params="{&quot;county&quot;: &quot;410821000000&quot;}"' in page
    deadline = (timezone.localdate() + dt.timedelta(days=15)).isoformat()
    response = client.post(url, {"action": "add_item", "responsible_unit_q": "扶贫开发办公室", "kind": "key",
                                 "deadline": deadline, "description": "追回资金"})  # fmt: skip
    assert response.status_code == 302
    assert RectificationItem.objects.get().responsible_unit == xiuwu_office


# --- the case form ------------------------------------------------------------------------------


def test_a_case_is_proposed_for_an_officer_and_a_unit_found_by_name(client, supervisor, xiuwu):
    unit = UnitFactory(region=xiuwu, name="修武县住建局")
    officer = OfficerFactory(unit=unit, name="赵建国", position="局长")
    client.force_login(supervisor)
    assert picked(client, "accountability:pick_officers", q="赵建") == ["赵建国"]
    assert picked(client, "accountability:pick_officers", q="住建") == ["赵建国"]
    assert picked(client, "accountability:pick_units", q="住建") == ["修武县住建局"]
    propose = reverse("accountability:case_propose")
    response = client.post(
        propose, {"case_type": "criticism", "officer_q": "赵建国", "grounds": "资金拨付滞后"}
    )
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(propose, {"case_type": "criticism", "unit_q": "住建局", "grounds": "项目进度滞后"})
    assert response.status_code == 302, response.context["form"].errors
    assert {(c.subject_officer, c.subject_unit) for c in AccountabilityCase.objects.all()} == {
        (officer, None),
        (None, unit),
    }


def test_a_county_proposer_does_not_find_another_countys_officers_or_units(client, persona, xiuwu, boai):
    UnitFactory(region=boai, name="博爱县住建局")
    OfficerFactory(unit=UnitFactory(region=boai, name="博爱县水利局"), name="钱水生")
    proposer = persona(Role.DISCIPLINE_COMMISSION, XIUWU)
    client.force_login(proposer)
    assert picked(client, "accountability:pick_units", q="住建") == []
    assert picked(client, "accountability:pick_officers", q="钱水") == []
    response = client.post(reverse("accountability:case_propose"), {
        "case_type": "criticism", "unit_q": "博爱县住建局", "grounds": "x",
    })  # fmt: skip
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors


def test_the_pickers_answer_only_those_who_use_the_forms(client, clerk):
    client.force_login(clerk)
    for route in ("inspections:pick_units", "inspections:pick_villages", "inspections:pick_households",
                  "accountability:pick_officers", "accountability:pick_units"):  # fmt: skip
        assert client.get(reverse(route), {"q": "修武"}).status_code == 403, route
