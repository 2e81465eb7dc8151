"""The first secretary's village restriction is part of the one scoping rule (core.scoping):
the households pages and API show them their villages only, not the whole county."""

import pytest
from django.urls import reverse

from core.scoping import in_scope
from tests.factories.households import household_with_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(two_xiuwu_villages):
    served, other = two_xiuwu_villages
    return household_with_members(village=served), household_with_members(village=other)


def test_households_list_page_shows_only_served_villages(client, secretary, households):
    mine, theirs = households
    client.force_login(secretary)
    response = client.get(reverse("households:list"))
    ids = {h.pk for h in response.context["page"]}
    assert mine.pk in ids
    assert theirs.pk not in ids
    assert client.get(reverse("households:detail", args=[theirs.pk])).status_code == 404


def test_households_api_shows_only_served_villages(api_as, secretary, households):
    mine, theirs = households
    response = api_as(secretary).get("/api/v1/households/")
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {mine.pk}
    assert api_as(secretary).get(f"/api/v1/households/{theirs.pk}/").status_code == 404


def test_in_scope_respects_the_restriction(secretary, two_xiuwu_villages):
    served, other = two_xiuwu_villages
    assert in_scope(secretary, served.code)
    assert not in_scope(secretary, other.code)
