"""两不愁三保障 are facts, never ticked (issue 17.1): the county clerk's edit page offers no tick box, the
API refuses one by name and changes nothing, and the household's detail shows today's facts."""

import pytest
from django.urls import reverse

from core.exceptions import DomainError
from households.services import household_update
from tests.factories.households import guarantee_facts, household_with_members

pytestmark = pytest.mark.django_db
BASE = "/api/v1/households/"


def test_the_api_refuses_a_ticked_guarantee_and_shows_the_facts(api_as, clerk):
    household = household_with_members()
    phone = household.phone
    client = api_as(clerk)
    response = client.patch(
        f"{BASE}{household.pk}/", {"housing_secured": True, "phone": "13912345678"}, format="json"
    )
    assert response.status_code == 400
    assert "户页面录入" in response.json()["errors"]["housing_secured"][0]
    household.refresh_from_db()
    assert (household.housing_secured, household.phone) == (False, phone)  # nothing changed
    body = client.get(f"{BASE}{household.pk}/").json()
    assert "housing_secured" not in body
    assert body["guarantees"]["housing"]["state"] == "to_confirm"
    guarantee_facts(household)
    assert client.get(f"{BASE}{household.pk}/").json()["guarantees"]["housing"]["state"] == "met"


def test_the_service_and_the_edit_page_take_no_tick_box(client, clerk):
    household = household_with_members()
    with pytest.raises(DomainError) as refused:
        household_update(household=household, actor=clerk, data={"food_secure": True})
    assert "户页面录入" in refused.value.as_dict()["food_secure"][0]
    client.force_login(clerk)
    page = client.get(reverse("households:edit", args=[household.pk])).content.decode()
    for name in ("food_secure", "clothing_secure", "education_secured", "medical_secured", "housing_secured"):
        assert f'name="{name}"' not in page
