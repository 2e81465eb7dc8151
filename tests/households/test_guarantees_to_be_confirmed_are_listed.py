"""Existing files migrate (issue 17.1): a guarantee whose evidence is missing is "to be confirmed",
and the county clerk has the list (page and API) of those households, only in the county."""

import pytest
from django.urls import reverse

from households.models import HouseholdStatus
from tests.factories.households import household_with_members, ready_to_exit

pytestmark = pytest.mark.django_db


def test_the_county_lists_households_whose_guarantees_lack_evidence(client, api_as, clerk, other_clerk):
    ticked = household_with_members(
        food_secure=True,
        clothing_secure=True,
        education_secured=True,
        medical_secured=True,
        housing_secured=True,
    )
    evidenced = ready_to_exit()
    applying = household_with_members(status=HouseholdStatus.APPLYING)

    client.force_login(clerk)
    page = client.get(reverse("households:guarantees_to_confirm"))
    assert page.status_code == 200
    html = page.content.decode()
    assert ticked.file_number in html
    assert evidenced.file_number not in html
    assert applying.file_number not in html

    rows = api_as(clerk).get("/api/v1/households/guarantees/to-confirm/").json()["results"]
    row = next(r for r in rows if r["id"] == ticked.pk)
    assert row["missing"] == ["statement", "insurance", "cover", "appraisal"]
    assert evidenced.pk not in {r["id"] for r in rows}

    outsider = api_as(other_clerk).get("/api/v1/households/guarantees/to-confirm/").json()["results"]
    assert ticked.pk not in {r["id"] for r in outsider}


def test_each_household_says_per_guarantee_what_is_to_be_confirmed(api_as, clerk, other_clerk):
    household = household_with_members(food_secure=True)
    body = api_as(clerk).get(f"/api/v1/households/{household.pk}/guarantees/").json()
    assert body["met"] is False
    assert body["food"]["state"] == "to_confirm"
    assert body["food"]["reasons"]
    assert api_as(other_clerk).get(f"/api/v1/households/{household.pk}/guarantees/").status_code == 404


def test_recording_a_statement_through_the_api_answers_with_the_new_states(api_as, clerk, days_ago):
    household = household_with_members()
    response = api_as(clerk).post(
        f"/api/v1/households/{household.pk}/guarantees/statement/",
        {
            "date": days_ago(1).isoformat(),
            "stated_by": "户主本人",
            "food_secure": True,
            "clothing_secure": False,
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["food"]["state"] == "met"
    assert response.json()["clothing"]["state"] == "unmet"
