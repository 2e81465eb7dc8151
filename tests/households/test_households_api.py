"""REST API: same rules, scoping and masking as the pages; keyset lists with pinned query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import SensitiveAccess
from households.models import Household, HouseholdStatus, Step
from tests.factories.households import (
    GUARANTEES_MET,
    first_village,
    household_data,
    household_with_members,
    member_data,
    ready_to_exit,
    valid_id_number,
)

from .conftest import db_snapshot

pytestmark = pytest.mark.django_db
BASE = "/api/v1/households/"


def test_create_household_with_members_and_read_it_back_masked(api_as, clerk):
    number = valid_id_number()
    body = {**household_data(), "village": first_village().code,
            "members": [member_data(name="周大", id_number=number), member_data(relation="daughter", name="周小")]}  # fmt: skip
    response = api_as(clerk).post(BASE, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "applying"
    head = next(m for m in data["members"] if m["relation"] == "head")
    assert head["id_number"] == f"{number[:6]}***********{number[-1]}"
    assert number not in response.content.decode()
    got = api_as(clerk).get(f"{BASE}{data['id']}/").json()
    assert got["head_name"] == "周大"


def test_rejected_api_call_changes_nothing_and_names_the_field(api_as, clerk):
    number = valid_id_number()
    bad = number[:17] + ("0" if number[17] != "0" else "1")
    before = db_snapshot()
    body = {**household_data(), "village": first_village().code, "members": [member_data(id_number=bad)]}
    response = api_as(clerk).post(BASE, body, format="json")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert error["errors"]["members.0.id_number"][0].startswith("身份证号校验码错误")
    assert db_snapshot() == before


def test_duplicate_person_through_the_api(api_as, clerk):
    existing = household_with_members()
    number = existing.members.first().reveal_id_number()
    body = {**household_data(), "village": first_village().code, "members": [member_data(id_number=number)]}
    response = api_as(clerk).post(BASE, body, format="json")
    assert response.status_code == 400
    assert existing.file_number in response.json()["errors"]["members.0.id_number"][0]


def test_update_household_and_add_a_member(api_as, clerk):
    household = household_with_members()
    client = api_as(clerk)
    response = client.patch(f"{BASE}{household.pk}/", {"phone": "13912345678"}, format="json")
    assert response.status_code == 200
    assert response.json()["phone"] == "13912345678"
    response = client.post(
        f"{BASE}{household.pk}/members/", member_data(relation="grandchild", name="小孙"), format="json"
    )
    assert response.status_code == 201, response.json()
    assert Household.objects.get(pk=household.pk).member_count == 3
    member_id = response.json()["id"]
    response = client.patch(
        f"{BASE}{household.pk}/members/{member_id}/", {"schooling": "primary"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["schooling"] == "primary"


def test_full_id_number_endpoint_needs_the_permission_and_logs(api_as, clerk, leader):
    household = household_with_members()
    member = household.members.first()
    url = f"{BASE}{household.pk}/members/{member.pk}/id-number/"
    assert api_as(leader).post(url).status_code == 403
    response = api_as(clerk).post(url)
    assert response.json() == {"id_number": member.reveal_id_number()}
    assert SensitiveAccess.objects.filter(user=clerk, channel="api", object_id=str(member.pk)).count() == 1


def test_exit_through_the_api_refuses_skipping_and_short_notice(api_as, clerk, minutes, days_ago):
    household = ready_to_exit()
    client = api_as(clerk)
    url = f"{BASE}{household.pk}/procedures/exit/"
    response = client.post(
        url, {"step": Step.VERIFICATION, "year": 2016, "household_agrees": True}, format="multipart"
    )
    assert response.status_code == 409
    assert "民主评议" in response.json()["message"]
    response = client.post(url, {"step": Step.DEMOCRATIC_REVIEW, "date": days_ago(20).isoformat(), "attendance": 20,
                                 "votes_for": 15, "votes_against": 1, "files": [minutes()]}, format="multipart")  # fmt: skip
    assert response.status_code == 201, response.json()
    response = client.post(url, {"step": Step.VERIFICATION, "date": days_ago(19).isoformat(), "year": 2016,
                                 "household_agrees": True}, format="multipart")  # fmt: skip
    assert response.status_code == 201, response.json()
    before = db_snapshot()
    response = client.post(url, {"step": Step.EXIT_NOTICE, "date": days_ago(18).isoformat(),
                                 "notice_start": days_ago(18).isoformat(), "notice_end": days_ago(15).isoformat()},
                           format="multipart")  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"]["notice_end"] == ["公告公示至少7天；本次只有4天。"]
    assert db_snapshot() == before
    response = client.post(url, {"step": Step.EXIT_NOTICE, "date": days_ago(18).isoformat(),
                                 "notice_start": days_ago(18).isoformat(), "notice_end": days_ago(10).isoformat()},
                           format="multipart")  # fmt: skip
    assert response.status_code == 201
    response = client.post(
        url, {"step": Step.DEREGISTRATION, "date": days_ago(1).isoformat()}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json()["state"] == "completed"
    timeline = client.get(f"{BASE}{household.pk}/procedures/").json()
    assert [s["step"] for s in timeline[0]["steps"]] == [
        Step.DEMOCRATIC_REVIEW,
        Step.VERIFICATION,
        Step.EXIT_NOTICE,
        Step.DEREGISTRATION,
    ]
    assert timeline[0]["steps"][0]["evidence"] == ["minutes.pdf"]


def test_return_and_remove_with_reason(api_as, clerk):
    household = household_with_members(status=HouseholdStatus.EXITED, **GUARANTEES_MET)
    client = api_as(clerk)
    # 返贫 is a procedure now (issue 17.4): the request starts it with its cause; the status moves
    # when the county approves (tests/households/test_return_to_poverty_is_a_procedure.py).
    response = client.post(
        f"{BASE}{household.pk}/status/",
        {"action": "return", "reason": "因病返贫", "cause": "illness"},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["state"], response.json()["cause"]) == (
        "return",
        "open",
        "illness",
    )
    assert client.get(f"{BASE}{household.pk}/").json()["status"] == "exited"
    response = client.post(
        f"{BASE}{household.pk}/status/",
        {"action": "remove", "reason": "家有公职人员，识别不准"},
        format="json",
    )
    assert response.json()["status"] == "removed"
    assert not household.members.filter(is_current=True).exists()
    response = client.post(
        f"{BASE}{household.pk}/status/", {"action": "return", "reason": "再次返贫"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["message"] == "农户不能从“清退”变为“返贫”。"


def test_list_filters_and_query_count_is_constant(api_as, clerk):
    for _ in range(12):
        household_with_members(members=1)
    household_with_members(members=1, status=HouseholdStatus.EXITED)
    client = api_as(clerk)
    client.get(BASE)
    counts = []
    for size in (3, 12):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(BASE, {"page_size": size})
        assert len(response.json()["results"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 4
    exited = client.get(BASE, {"status": "exited"}).json()["results"]
    assert [h["status"] for h in exited] == ["exited"]


def test_list_walks_with_keyset_cursor(api_as, clerk):
    created = {household_with_members(members=1).pk for _ in range(7)}
    client = api_as(clerk)
    seen, url = [], f"{BASE}?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert created <= set(seen)
    assert len(seen) == len(set(seen))


def test_search_by_id_number_finds_exactly_through_the_hash(api_as, clerk):
    household = household_with_members()
    household_with_members()
    number = household.members.first().reveal_id_number()
    # Sent in the body (issue 15.9): the list refuses a full number in its URL.
    rows = api_as(clerk).post(f"{BASE}search/", {"id_number": number}, format="json").json()["results"]
    assert [r["id"] for r in rows] == [household.pk]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "{id}/"), ("patch", "{id}/"), ("get", "{id}/members/"), ("post", "{id}/members/"),
        ("get", "{id}/members/{m}/"), ("patch", "{id}/members/{m}/"), ("post", "{id}/members/{m}/id-number/"),
        ("post", "{id}/incomes/"), ("get", "{id}/procedures/"), ("post", "{id}/procedures/exit/"),
        ("post", "{id}/status/"), ("post", "{id}/move/"),
    ],
)  # fmt: skip
def test_another_countys_household_is_404_on_every_endpoint(api_as, other_clerk, method, path):
    household = household_with_members()
    member = household.members.first()
    url = BASE + path.format(id=household.pk, m=member.pk)
    before = db_snapshot()
    response = getattr(api_as(other_clerk), method)(url, {}, format="json")
    assert response.status_code == 404
    assert db_snapshot() == before


def test_another_countys_household_is_absent_from_the_list(api_as, other_clerk):
    household_with_members()
    assert api_as(other_clerk).get(BASE).json()["results"] == []


def test_leader_reads_but_cannot_write(api_as, leader):
    household = household_with_members()
    client = api_as(leader)
    assert client.get(f"{BASE}{household.pk}/").status_code == 200
    before = db_snapshot()
    assert client.patch(f"{BASE}{household.pk}/", {"phone": "13900000000"}, format="json").status_code == 403
    body = {**household_data(), "village": first_village().code, "members": [member_data()]}
    assert client.post(BASE, body, format="json").status_code == 403
    assert (
        client.post(
            f"{BASE}{household.pk}/status/", {"action": "remove", "reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert db_snapshot() == before


def test_schema_lists_household_endpoints(api_client):
    spec = api_client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/households/" in spec["paths"]
    assert "/api/v1/households/{id}/procedures/{kind}/" in spec["paths"]
