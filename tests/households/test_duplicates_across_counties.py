"""The duplicate scan leaked another county's households (issue 15.5): a pair matched when either
side was in scope, so entering a name and birth date on a new 修武县 household showed a 博爱县
household's file number. A clerk now learns only that the person may be registered outside their
area; both sides go to the city's review queue, where the city reviewer decides."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.exceptions import DomainError
from core.history import history_for
from core.models import Role
from households.models import DuplicateCandidate, DuplicateStatus
from households.selectors import duplicate_city_queue, duplicate_list, duplicate_outside_notices
from households.services import duplicate_city_review, duplicate_review, duplicates_scan
from tests.factories.households import MemberFactory, first_village, household_with_members, valid_id_number

pytestmark = pytest.mark.django_db

CITY = "410800000000"
OUTSIDE = "may also be registered outside your area"


@pytest.fixture
def reviewer(persona):
    return persona(Role.CITY_REVIEWER, CITY, username="reviewer_city", full_name="市级复核员甲")


def same_person_in_two_counties():
    """修武县's new household and 博爱县's household hold a person with one name and birth date."""
    birth = dt.date(1958, 3, 9)
    boai = household_with_members(
        village=first_village("410822"), head_name="博爱户主", file_number="B0000001"
    )
    MemberFactory(household=boai, relation="parent", name="李同名", id_number=valid_id_number(birth=birth))
    xiuwu = household_with_members(
        village=first_village("410821"), head_name="修武户主", file_number="X0000001"
    )
    MemberFactory(
        household=xiuwu, relation="parent", name="李同名",
        id_number=valid_id_number(region6="410821", birth=birth, female=True),
    )  # fmt: skip
    duplicates_scan(household_ids=[xiuwu.pk])
    return xiuwu, boai, DuplicateCandidate.objects.get(reason="name_birth")


def test_a_clerk_never_sees_the_other_countys_household(client, api_as, clerk):
    xiuwu, boai, _pair = same_person_in_two_counties()
    assert list(duplicate_list(actor=clerk)) == []
    client.force_login(clerk)
    for url in (reverse("households:duplicates"), reverse("households:detail", args=[xiuwu.pk])):
        body = client.get(url).content.decode()
        assert boai.file_number not in body
        assert boai.head_name not in body
    api = api_as(clerk).get(reverse("api:duplicate_list")).content.decode()
    assert boai.file_number not in api
    assert str(boai.pk) not in [
        str(r["household_b"]) for r in api_as(clerk).get(reverse("api:duplicate_list")).json()["results"]
    ]


def test_the_clerk_is_told_the_city_reviews_it(client, clerk):
    xiuwu, _boai, _pair = same_person_in_two_counties()
    notices = duplicate_outside_notices(actor=clerk, household=xiuwu)
    assert [n.household_id for n in notices] == [xiuwu.pk]
    client.force_login(clerk)
    with_language = client.get(reverse("households:detail", args=[xiuwu.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert OUTSIDE in with_language.content.decode()
    assert 'id="outside-notices"' in with_language.content.decode()


def test_clerks_of_either_county_cannot_decide_a_pair_across_counties(clerk, other_clerk, admin_user):
    _x, _b, pair = same_person_in_two_counties()
    for actor in (clerk, other_clerk, admin_user):
        with pytest.raises(DomainError):
            duplicate_review(candidate=pair, actor=actor, decision="different")
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.OPEN


def test_the_city_reviewer_sees_both_sides_and_records_which_household_keeps_the_person(
    client, reviewer, clerk
):
    xiuwu, boai, pair = same_person_in_two_counties()
    assert list(duplicate_city_queue(actor=reviewer)) == [pair]
    client.force_login(reviewer)
    page = client.get(reverse("households:duplicate_city_queue")).content.decode()
    assert boai.file_number in page
    assert xiuwu.file_number in page
    response = client.post(
        reverse("households:duplicate_city_review", args=[pair.pk]),
        {"decision": "same_person", "keep": str(boai.pk), "note": "户籍在博爱县，已婚迁出"},
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.status, pair.keep_household_id, pair.reviewed_by_id) == (
        DuplicateStatus.SAME_PERSON, boai.pk, reviewer.pk,
    )  # fmt: skip
    assert history_for(pair), "the decision is in the pair's history"
    # The county that loses the person is told to take them off its file, still without the other file.
    client.force_login(clerk)
    body = client.get(
        reverse("households:detail", args=[xiuwu.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "take them off this household" in body
    assert boai.file_number not in body


def test_a_decision_names_the_kept_household_and_its_grounds(reviewer):
    _x, _b, pair = same_person_in_two_counties()
    with pytest.raises(DomainError):
        duplicate_city_review(candidate=pair, actor=reviewer, decision="same_person", note="同一人")
    with pytest.raises(DomainError):
        duplicate_city_review(candidate=pair, actor=reviewer, decision="different", note="")
    duplicate_city_review(candidate=pair, actor=reviewer, decision="different", note="出生地不同")
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.DIFFERENT


def test_leaders_read_the_queue_and_decide_nothing_county_roles_do_not_see_it(client, leader, clerk):
    _x, boai, pair = same_person_in_two_counties()
    client.force_login(leader)
    assert boai.file_number in client.get(reverse("households:duplicate_city_queue")).content.decode()
    review = reverse("households:duplicate_city_review", args=[pair.pk])
    assert client.post(review, {"decision": "different", "note": "不同人"}).status_code == 403
    with pytest.raises(PermissionDenied):
        duplicate_city_review(candidate=pair, actor=clerk, decision="different", note="不同人")
    client.force_login(clerk)
    assert client.get(reverse("households:duplicate_city_queue")).status_code == 403


def test_the_api_queue_gives_both_sides_to_the_reviewer(api_as, reviewer):
    xiuwu, _boai, pair = same_person_in_two_counties()
    api = api_as(reviewer)
    rows = api.get(reverse("api:duplicate_city_list")).json()["results"]
    assert [(r["household_a"]["file_number"], r["household_b"]["file_number"]) for r in rows] == [
        (pair.household_a.file_number, pair.household_b.file_number)
    ]
    decided = api.post(
        reverse("api:duplicate_city_review", args=[pair.pk]),
        {"decision": "same_person", "keep": xiuwu.pk, "note": "户籍在修武县"},
        format="json",
    )
    assert decided.status_code == 200
    assert decided.json()["keep_household"] == xiuwu.pk


def test_the_city_queue_costs_the_same_for_one_pair_or_many(client, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    same_person_in_two_counties()
    client.force_login(reviewer)
    url = reverse("households:duplicate_city_queue")
    client.get(url)  # warm the session and the permission cache
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        here = household_with_members(village=first_village("410821"), phone="13900001111")
        there = household_with_members(village=first_village("410822"), phone="13900001111")
        duplicates_scan(household_ids=[here.pk, there.pk])
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert body.count('class="card"') >= 5
    assert len(many) == len(one)
