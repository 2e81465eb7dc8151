"""Issue 20.1/20.2 through the API, as the finance officer (maker) of 修武县: a payee is chosen by
its record, never typed — a contractor payment goes to the payee recorded as the project's winner
(read from the project), a typed name is refused naming payee_name, and a household is chosen by
its id within the maker's county (one of another county answers as one that does not exist)."""

from __future__ import annotations

import pytest
from django.utils import translation

from funds import services
from funds.models import DisbursementRequest
from tests.factories.funds import ProjectFactory
from tests.factories.households import HouseholdFactory, first_village
from tests.funds.test_project_chain_gates_payment import _funded

pytestmark = pytest.mark.django_db

URL = "/api/v1/funds/disbursements/"


@pytest.fixture
def contracted(fund, finance):
    """A project with its contract signed with 甲建设公司, its winner recorded as its contractor."""
    project = ProjectFactory()
    account = _funded(project, fund, finance)
    services.contractor_record(project)  # as project_create / project_update record it
    return project, account


def _post(api, body, key):
    with translation.override("zh-hans"):
        return api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_a_typed_payee_name_is_refused_naming_the_field_even_the_winners(api_as, finance, contracted):
    project, account = contracted
    api = api_as(finance)
    body = {"from_account": account.pk, "amount": "1000.00", "purpose": "工程进度款",
            "payee_kind": "organisation", "kind": "progress"}  # fmt: skip
    for name in (project.winner, "某某建筑队"):
        response = _post(api, {**body, "payee_name": name}, f"typed-{name}")
        assert response.status_code == 400, response.content
        errors = response.json()
        assert "payee_name" in str(errors)
        assert "收款单位" in str(errors) or "收款" in str(errors)
    # Without a payee at all: the payee field is named.
    response = _post(api, body, "none")
    assert response.status_code == 400
    assert "payee" in str(response.json())
    assert DisbursementRequest.objects.count() == 0


def test_a_contractor_payment_goes_to_the_recorded_winner_read_from_the_project(
    api_as, finance, finance2, contracted
):
    project, account = contracted
    api = api_as(finance)
    contractor = api.get(f"/api/v1/funds/projects/{project.pk}/").json()["contractor"]
    assert contractor == project.contractor_id is not None
    other = services.payee_create(actor=finance, county=project.county, name="乙建设公司")
    body = {"from_account": account.pk, "amount": "1000.00", "purpose": "工程进度款",
            "payee_kind": "organisation", "kind": "progress"}  # fmt: skip
    refused = _post(api, {**body, "payee": other.pk}, "loser")
    assert refused.status_code == 400
    assert "payee" in refused.json().get("errors", refused.json())
    made = _post(api, {**body, "payee": contractor}, "winner")
    assert made.status_code == 201, made.content
    assert made.json()["payee"] == contractor
    assert made.json()["payee_name"] == project.winner
    approved = api_as(finance2).post(f"{URL}{made.json()['id']}/approve/")
    assert approved.json()["status"] == "approved"


def test_a_household_of_another_county_answers_as_one_that_does_not_exist(api_as, finance, fund, xiuwu):
    from tests.funds.batch_world import county_allocation

    account = county_allocation(fund, xiuwu, finance)
    boai_household = HouseholdFactory(village=first_village("410822"))
    body = {"from_account": account.pk, "amount": "500.00", "purpose": "到户补贴", "payee_kind": "household"}
    api = api_as(finance)
    elsewhere = _post(api, {**body, "household": boai_household.pk}, "boai")
    nowhere = _post(api, {**body, "household": 987654321}, "none")
    assert elsewhere.status_code == nowhere.status_code == 400
    assert "household" in str(elsewhere.json())
    assert str(boai_household.pk) in str(elsewhere.json())  # the same words as an unknown id
    own = HouseholdFactory(village=first_village())
    made = _post(api, {**body, "household": own.pk}, "own")
    assert made.status_code == 201, made.content
    assert DisbursementRequest.objects.count() == 1


def test_a_cooperative_is_recorded_once_then_found_and_paid_by_its_record(
    api_as, client, finance, auditor, boai_finance, fund, xiuwu
):
    from django.urls import reverse

    from tests.funds.batch_world import county_allocation

    account = county_allocation(fund, xiuwu, finance)
    api = api_as(finance)
    made = api.post("/api/v1/funds/payees/", {"county": xiuwu.code, "name": "丁种植合作社"}, format="json")
    assert made.status_code == 201, made.content
    again = api.post("/api/v1/funds/payees/", {"county": xiuwu.code, "name": "丁种植合作社"}, format="json")
    assert again.status_code == 400  # one record per name in a county
    assert "name" in again.json()["errors"]
    found = api_as(auditor).get("/api/v1/funds/payees/", {"q": "丁种植"}).json()["results"]
    assert [p["id"] for p in found] == [made.json()["id"]]
    assert api_as(boai_finance).get("/api/v1/funds/payees/", {"q": "丁种植"}).json()["results"] == []
    body = {"from_account": account.pk, "amount": "3000.00", "purpose": "合作社分红",
            "payee_kind": "organisation", "payee": made.json()["id"]}  # fmt: skip
    assert _post(api_as(finance), body, "coop").status_code == 201

    # The page: the finance officer records another; the auditor may read the list, not add to it.
    client.force_login(finance)
    response = client.post(reverse("funds:payee_list"), {"county": xiuwu.code, "name": "戊养殖合作社"})
    assert response.status_code == 302
    client.force_login(auditor)
    listed = client.get(reverse("funds:payee_list"), {"q": "合作社"}).content.decode()
    assert "丁种植合作社" in listed
    assert "戊养殖合作社" in listed
    assert client.post(reverse("funds:payee_list"), {"county": xiuwu.code, "name": "己"}).status_code == 403
