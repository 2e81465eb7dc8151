"""The duplicate list is scoped by the village's code (it was a FieldError, a 500, for every
user with a region: Django refuses `startswith` on a foreign key's attname)."""

import pytest
from django.urls import reverse

from households.models import DuplicateCandidate, DuplicateReason
from households.selectors import duplicate_list
from tests.factories.households import HouseholdFactory, first_village

pytestmark = pytest.mark.django_db


def pair(prefix):
    village = first_village(prefix)
    a, b = HouseholdFactory(village=village), HouseholdFactory(village=village)
    return DuplicateCandidate.objects.create(household_a=a, household_b=b, reason=DuplicateReason.PHONE)


def test_a_county_clerk_sees_the_pairs_of_their_county_only(clerk):
    own, other = pair("410821"), pair("410822")
    assert list(duplicate_list(actor=clerk)) == [own]
    assert other not in duplicate_list(actor=clerk)


def test_the_duplicate_pages_answer_for_a_clerk_and_a_leader(client, clerk, leader):
    own, other = pair("410821"), pair("410822")
    client.force_login(clerk)
    assert client.get(reverse("households:duplicates")).status_code == 200
    assert client.get(reverse("api:duplicate_list")).status_code == 200
    client.force_login(leader)
    page = client.get(reverse("households:duplicates"))
    assert page.status_code == 200
    assert own.household_a.head_name in page.content.decode()
    assert other.household_a.head_name in page.content.decode()
