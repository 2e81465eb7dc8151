"""Pages and API: leaders read everything and write nothing; deciders decide; other counties get 404."""

import datetime as dt

import pytest
from django.urls import reverse

from accountability.models import CaseStatus
from accountability.services import FindingFacts, finding_filed
from core.models import Role
from tests.factories.accountability import ResponsibilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def xiuwu_case(xiuwu_org):
    facts = FindingFacts(pk=5001, source="city_covert_visit", found_on=dt.date(2017, 5, 20),
                         region_code=xiuwu_org["village"].code)  # fmt: skip
    return next(c for c in finding_filed(finding=facts) if c.subject_officer)


def test_leader_sees_cases_but_cannot_confirm(client, leader, xiuwu_case):
    client.force_login(leader)
    assert client.get(reverse("accountability:case_list")).status_code == 200
    page = client.get(reverse("accountability:case_detail", args=[xiuwu_case.pk]))
    assert page.status_code == 200
    assert reverse("accountability:case_confirm", args=[xiuwu_case.pk]) not in page.content.decode()
    response = client.post(reverse("accountability:case_confirm", args=[xiuwu_case.pk]), {"decision": "确认"})
    assert response.status_code == 403
    xiuwu_case.refresh_from_db()
    assert xiuwu_case.status == CaseStatus.PROPOSED


def test_decider_confirms_through_the_page(client, decider, xiuwu_case):
    client.force_login(decider)
    response = client.post(reverse("accountability:case_confirm", args=[xiuwu_case.pk]),
                           {"decision": "约谈联系领导", "case_type": "admonition_talk"})  # fmt: skip
    assert response.status_code == 302
    xiuwu_case.refresh_from_db()
    assert xiuwu_case.status == CaseStatus.CONFIRMED


def test_dismissal_without_reason_is_refused_beside_the_field(client, decider, xiuwu_case):
    client.force_login(decider)
    response = client.post(reverse("accountability:case_dismiss", args=[xiuwu_case.pk]), {"reason": ""})
    assert response.status_code == 400
    xiuwu_case.refresh_from_db()
    assert xiuwu_case.status == CaseStatus.PROPOSED


def test_other_county_decider_gets_404(client, api_as, county_decider, xiuwu_case):
    client.force_login(county_decider)
    assert client.get(reverse("accountability:case_detail", args=[xiuwu_case.pk])).status_code == 404
    assert client.post(reverse("accountability:case_confirm", args=[xiuwu_case.pk]),
                       {"decision": "x"}).status_code == 404  # fmt: skip
    api = api_as(county_decider)
    assert api.get(f"/api/v1/accountability/cases/{xiuwu_case.pk}/").status_code == 404
    assert (
        api.post(f"/api/v1/accountability/cases/{xiuwu_case.pk}/confirm/", {"decision": "x"}).status_code
        == 404
    )
    listing = api.get("/api/v1/accountability/cases/").json()
    assert listing["results"] == []


def test_other_county_responsibilities_are_404(client, api_as, other_clerk, clerk, xiuwu_org):
    resp = ResponsibilityFactory(officer=xiuwu_org["vice"], region=xiuwu_org["township"])
    api = api_as(other_clerk)
    assert api.get(f"/api/v1/accountability/responsibilities/{resp.pk}/").status_code == 404
    assert api.get("/api/v1/accountability/responsible-for/",
                   {"region": xiuwu_org["village"].code, "on": "2017-05-20"}).status_code == 404  # fmt: skip
    assert api_as(clerk).get(f"/api/v1/accountability/responsibilities/{resp.pk}/").status_code == 200


def test_who_was_responsible_answers_by_date(api_as, clerk, xiuwu_org):
    api = api_as(clerk)
    village = xiuwu_org["village"].code
    april = api.get("/api/v1/accountability/responsible-for/", {"region": village, "on": "2017-04-20"}).json()
    may = api.get("/api/v1/accountability/responsible-for/", {"region": village, "on": "2017-05-20"}).json()
    leaders = lambda rows: {r["officer_name"] for r in rows if r["kind"] == "contact_leader"}  # noqa: E731
    assert leaders(april) == {"原联系领导戊"}
    assert leaders(may) == {"现联系领导己"}
    assert {r["kind"] for r in may} >= {"first", "direct", "main", "township_village"}


def test_leader_cannot_write_through_the_api(api_as, leader, xiuwu_case, xiuwu_org):
    api = api_as(leader)
    assert api.get("/api/v1/accountability/cases/").status_code == 200
    assert (
        api.post(f"/api/v1/accountability/cases/{xiuwu_case.pk}/confirm/", {"decision": "x"}).status_code
        == 403
    )
    assert api.post("/api/v1/accountability/cases/", {"case_type": "criticism", "grounds": "x",
                                                      "subject_officer": xiuwu_org["vice"].pk}).status_code == 403  # fmt: skip
    assert api.post("/api/v1/accountability/responsibilities/", {}).status_code == 403


def test_officer_sees_own_record_and_nobody_elses(client, api_as, persona, xiuwu_org, xiuwu_case):
    own = persona(Role.COUNTY_CLERK, "410821000000", officer=xiuwu_case.subject_officer)
    client.force_login(own)
    me = client.get(reverse("accountability:my_record"))
    assert me.status_code == 302
    record = client.get(me["Location"])
    assert record.status_code == 200
    assert 'id="eligibility"' in record.content.decode()
    other = xiuwu_org["secretary"]
    assert client.get(reverse("accountability:officer_record", args=[other.pk])).status_code == 404
    api = api_as(own)
    cases = api.get("/api/v1/accountability/cases/").json()["results"]
    assert [c["id"] for c in cases] == [xiuwu_case.pk]
    mine = api.get(
        f"/api/v1/accountability/officers/{own.officer_id}/eligibility/", {"on": "2017-05-21"}
    ).json()
    assert mine["eligible"] is True
    assert api.get(f"/api/v1/accountability/officers/{other.pk}/eligibility/").status_code == 404


def test_eligibility_api_lists_reasons(api_as, leader, xiuwu_org):
    from accountability.services import rectification_review_record

    rectification_review_record(
        region=xiuwu_org["county"], year=2017, reviewed_on=dt.date(2017, 6, 15), passed=False
    )
    officer = xiuwu_org["vice"]
    body = (
        api_as(leader)
        .get(f"/api/v1/accountability/officers/{officer.pk}/eligibility/", {"on": "2017-07-01"})
        .json()
    )
    assert body["eligible"] is False
    assert body["reasons"][0]["code"] == "promotion_ban"
    assert body["reasons"][0]["until"] == "2017-12-31"
    later = (
        api_as(leader)
        .get(f"/api/v1/accountability/officers/{officer.pk}/eligibility/", {"on": "2018-01-01"})
        .json()
    )
    assert later["eligible"] is True


def test_bulletin_is_for_city_level_users(client, api_as, leader, clerk, xiuwu_org):
    from accountability.tasks import monthly_bulletin

    monthly_bulletin("2017-05")
    client.force_login(leader)
    latest = client.get(reverse("accountability:bulletin_latest"))
    assert latest.status_code == 302
    page = client.get(latest["Location"])
    assert page.status_code == 200
    xlsx = client.get(latest["Location"] + "xlsx/")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    bulletin_id = int(latest["Location"].rstrip("/").split("/")[-1])
    # A county clerk cannot read the city's bulletin: 404 (or 403 without the permission at all).
    client.force_login(clerk)
    assert client.get(reverse("accountability:bulletin_detail", args=[bulletin_id])).status_code in (403, 404)
    assert api_as(leader).get("/api/v1/accountability/bulletins/").json()["results"][0]["id"] == bulletin_id
    assert api_as(leader).post(f"/api/v1/accountability/bulletins/{bulletin_id}/regenerate/",
                               {"reason": "x"}).status_code == 403  # fmt: skip


def test_list_pages_keep_their_query_count(client, django_assert_max_num_queries, leader, xiuwu_org):
    for i in range(5):
        finding_filed(finding=FindingFacts(pk=6000 + i, source="city_covert_visit", found_on=dt.date(2017, 5, 20),
                                           region_code=xiuwu_org["village"].code))  # fmt: skip
    client.force_login(leader)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accountability:case_list")).status_code == 200
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(leader)
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/accountability/cases/").status_code == 200
