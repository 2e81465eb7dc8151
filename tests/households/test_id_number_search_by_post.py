"""A full ID number is searched from a POST body only, never from a URL (issue 15.9).

A number in `?q=` stays in proxy logs, the server's request log and the browser's history: the
search box of every page and the list's filters post, and the list and the API refuse a number
in the URL with a message saying how to search it. Names and file numbers stay GET URLs.
"""

import pytest
from django.urls import reverse

from tests.factories.households import household_with_members

pytestmark = pytest.mark.django_db

LIST = "/households/"
API = "/api/v1/households/"
SEARCH_API = "/api/v1/households/search/"


def number_of(household) -> str:
    return household.members.get(relation="head").reveal_id_number()


def test_the_search_box_on_every_page_posts_with_a_csrf_token(client, clerk):
    client.force_login(clerk)
    body = client.get(reverse("home")).content.decode()
    form = body.split('class="quicksearch"', 1)[1].split("</form>", 1)[0]
    assert 'method="post"' in form
    assert "csrfmiddlewaretoken" in form
    listing = client.get(LIST).content.decode()
    filters = listing.split('<form class="filters"', 1)[1].split("</form>", 1)[0]
    assert 'method="post"' in filters
    assert "csrfmiddlewaretoken" in filters


def test_an_id_number_posted_opens_the_one_household_with_no_number_in_the_address(client, clerk):
    household = household_with_members(head_name="唯一户主")
    household_with_members(head_name="别的户主")
    number = number_of(household)
    client.force_login(clerk)
    response = client.post(LIST, {"q": number})
    assert response.status_code == 302
    assert response["Location"] == reverse("households:detail", args=[household.pk])
    assert number not in response["Location"]


def test_an_id_number_posted_with_no_match_in_scope_shows_the_empty_list(client, clerk, boai_village):
    elsewhere = household_with_members(village=boai_village, head_name="外县户主")
    client.force_login(clerk)
    response = client.post(LIST, {"q": number_of(elsewhere)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "外县户主" not in body
    assert 'colspan="8" class="empty"' in body  # the empty list's advice


def test_an_id_number_in_the_url_is_refused_and_not_searched(client, clerk):
    household = household_with_members(head_name="不该出现")
    client.force_login(clerk)
    response = client.get(LIST, {"q": number_of(household)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "不该出现" not in body  # the search did not run (nor did the unfiltered list show it first)
    assert "网址" in body  # the message says why and where to search instead
    export = client.get(reverse("households:export"), {"q": number_of(household)})
    assert export.status_code == 302  # no workbook for a number in the URL


def test_a_name_posted_comes_back_as_a_get_url(client, clerk):
    household_with_members(head_name="孙悟空")
    client.force_login(clerk)
    response = client.post(LIST, {"q": "孙悟", "status": "", "sort": "village"})
    assert response.status_code == 302
    assert response["Location"].startswith(LIST + "?")
    assert "孙悟空" in client.get(response["Location"]).content.decode()


def test_a_leader_who_writes_nothing_may_still_search_by_post(client, leader):
    household = household_with_members()
    client.force_login(leader)
    response = client.post(LIST, {"q": number_of(household)})
    assert response.status_code == 302
    assert response["Location"] == reverse("households:detail", args=[household.pk])


def test_the_api_refuses_an_id_number_in_the_url_and_points_to_the_search(api_as, clerk):
    household = household_with_members()
    response = api_as(clerk).get(API, {"q": number_of(household)})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "id_number_in_url"
    assert list(body["errors"]) == ["q"]
    assert "/api/v1/households/search/" in body["message"]
    # A name or a file number stays on the list's q.
    assert api_as(clerk).get(API, {"q": household.file_number}).json()["results"][0]["id"] == household.pk


def test_the_api_searches_an_id_number_sent_in_the_body_within_scope(api_as, clerk, leader, boai_village):
    mine = household_with_members()
    elsewhere = household_with_members(village=boai_village)
    api = api_as(clerk)
    assert [
        r["id"] for r in api.post(SEARCH_API, {"id_number": number_of(mine)}, format="json").json()["results"]
    ] == [mine.pk]
    assert api.post(SEARCH_API, {"id_number": number_of(elsewhere)}, format="json").json()["results"] == []
    # Read-only roles read by this POST too.
    found = api_as(leader).post(SEARCH_API, {"id_number": number_of(elsewhere)}, format="json")
    assert [r["id"] for r in found.json()["results"]] == [elsewhere.pk]


def test_the_api_search_names_the_field_of_a_malformed_number(api_as, clerk):
    response = api_as(clerk).post(SEARCH_API, {"id_number": "41082119900101"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["id_number"]


def test_the_schema_documents_the_search_as_a_post_with_the_number_in_the_body(api_as, clerk):
    schema = api_as(clerk).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/households/search/"]
    assert set(operation) == {"post"}
    body = operation["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert "id_number" in component["properties"]
    assert not [p for p in operation["post"].get("parameters", []) if p["in"] == "query"]
