"""Pages and API: the same operations, the same scope (404 outside the county), leaders read only."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funds import services
from funds.models import DisbursementRequest, Entry, EntryKind, RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_request(funded_project, finance, finance2):
    request, _ = services.disbursement_request_create(
        actor=finance, idempotency_key="page-1", from_account=funded_project, amount="2500.50",
        purpose="=HYPERLINK(\"http://x\")", payee_kind="organisation", payee_name="甲建设公司",
    )  # fmt: skip
    return services.disbursement_approve(actor=finance2, request=request, booked_on=dt.date(2017, 2, 1))


def _pages(paid_request, project, account):
    entry = paid_request.entry
    return [
        reverse("funds:project_detail", args=[project.pk]),
        reverse("funds:request_detail", args=[paid_request.pk]),
        reverse("funds:account_ledger", args=[account.pk]),
        reverse("funds:entry_detail", args=[entry.pk]),
        reverse("funds:fund_detail", args=[account.fund_id]),
        reverse("funds:reconciliation") + f"?project={project.pk}",
    ]


def _endpoints(paid_request, project, account):
    return [
        f"/api/v1/funds/projects/{project.pk}/",
        f"/api/v1/funds/disbursements/{paid_request.pk}/",
        f"/api/v1/funds/accounts/{account.pk}/ledger/",
        f"/api/v1/funds/entries/{paid_request.entry.pk}/",
        f"/api/v1/funds/funds/{account.fund_id}/",
        f"/api/v1/funds/reconciliation/?project={project.pk}",
    ]


def test_county_officer_sees_own_county_pages(client, finance, paid_request, project, funded_project):
    client.force_login(finance)
    for url in _pages(paid_request, project, funded_project):
        assert client.get(url).status_code == 200, url
    assert project.name in client.get(reverse("funds:project_list")).content.decode()


def test_other_county_gets_404_on_every_page(client, boai_finance, paid_request, project, funded_project):
    client.force_login(boai_finance)
    for url in _pages(paid_request, project, funded_project):
        assert client.get(url).status_code == 404, url
    assert project.name not in client.get(reverse("funds:project_list")).content.decode()
    assert "甲建设公司" not in client.get(reverse("funds:request_list")).content.decode()
    response = client.post(reverse("funds:request_approve", args=[paid_request.pk]))
    assert response.status_code == 404


def test_other_county_gets_404_on_every_endpoint(api_as, boai_finance, paid_request, project, funded_project):
    api = api_as(boai_finance)
    for url in _endpoints(paid_request, project, funded_project):
        assert api.get(url).status_code == 404, url
    assert api.get("/api/v1/funds/projects/").json()["results"] == []
    assert api.get("/api/v1/funds/entries/").json()["results"] == []
    assert (
        api.post(f"/api/v1/funds/disbursements/{paid_request.pk}/reverse/", {"reason": "x"}).status_code
        == 404
    )


def test_county_officer_endpoints(api_as, finance, paid_request, project, funded_project):
    api = api_as(finance)
    for url in _endpoints(paid_request, project, funded_project):
        assert api.get(url).status_code == 200, url


def test_leader_reads_pages_and_api_but_cannot_write(
    client, api_as, leader, paid_request, project, funded_project
):
    client.force_login(leader)
    for url in _pages(paid_request, project, funded_project):
        assert client.get(url).status_code == 200, url
    assert (
        client.post(reverse("funds:request_reverse", args=[paid_request.pk]), {"reason": "x"}).status_code
        == 403
    )
    api = api_as(leader)
    assert api.get(f"/api/v1/funds/disbursements/{paid_request.pk}/").status_code == 200
    response = api.post(
        "/api/v1/funds/disbursements/",
        {
            "from_account": funded_project.pk,
            "amount": "1.00",
            "purpose": "x",
            "payee_kind": "organisation",
            "payee_name": "y",
        },
        HTTP_IDEMPOTENCY_KEY="leader-1",
    )
    assert response.status_code == 403
    assert (
        api.post(f"/api/v1/funds/disbursements/{paid_request.pk}/reverse/", {"reason": "x"}).status_code
        == 403
    )
    paid_request.refresh_from_db()
    assert paid_request.status == RequestStatus.APPROVED


def test_request_then_approve_by_a_second_officer_through_the_pages(
    client, finance, finance2, funded_project
):
    client.force_login(finance)
    form = client.get(reverse("funds:request_create")).context["form"]
    key = form.initial["idempotency_key"]
    payee = services.payee_create(actor=finance, county=funded_project.project.county, name="丙合作社")
    data = {
        "idempotency_key": key, "from_account": funded_project.pk, "payee_kind": "organisation",
        "payee": payee.pk, "amount": "12345.67", "purpose": "入股分红", "action": "submit",
    }  # fmt: skip
    response = client.post(reverse("funds:request_create"), data)
    assert response.status_code == 302
    again = client.post(reverse("funds:request_create"), data)  # a double click: same key
    assert again.status_code == 302
    assert DisbursementRequest.objects.count() == 1
    request = DisbursementRequest.objects.get()
    # The maker sees no approve button and is refused if she tries.
    assert 'data-action="approve"' not in client.get(response["Location"]).content.decode()
    assert client.post(reverse("funds:request_approve", args=[request.pk])).status_code == 400
    client.force_login(finance2)
    # Approving asks for confirmation first (a step on the page), then pays.
    confirm = client.post(reverse("funds:request_approve", args=[request.pk]))
    assert confirm.status_code == 200
    assert 'data-action="approve-confirmed"' in confirm.content.decode()
    assert (
        client.post(reverse("funds:request_approve", args=[request.pk]), {"confirmed": "1"}).status_code
        == 302
    )
    ledger = client.get(reverse("funds:account_ledger", args=[funded_project.pk])).content.decode()
    assert "12,345.67" in ledger
    assert "287,654.33" in ledger  # running balance after the payment


def test_bad_amount_is_refused_beside_the_field_and_nothing_saved(client, finance, funded_project):
    client.force_login(finance)
    services.payee_create(actor=finance, county=funded_project.project.county, name="丙合作社")
    response = client.post(
        reverse("funds:request_create"),
        {"idempotency_key": "x1", "from_account": funded_project.pk, "payee_kind": "organisation",
         "payee_q": "丙合作社", "amount": "299999.00", "purpose": "入股分红", "action": "submit"},
    )  # fmt: skip
    assert response.status_code == 302  # a request may be made; the balance is checked at approval
    response = client.post(
        reverse("funds:request_create"),
        {"idempotency_key": "x2", "from_account": funded_project.pk, "payee_kind": "household",
         "household_q": "NOPE", "amount": "10.00", "purpose": "补贴", "action": "submit"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors["household"]
    assert DisbursementRequest.objects.count() == 1


def test_api_idempotency_key_header_pays_once(api_as, finance, finance2, funded_project):
    school = services.payee_create(actor=finance, county=funded_project.project.county, name="培训学校")
    body = {
        "from_account": funded_project.pk,
        "amount": "100.10",
        "purpose": "技能培训",
        "payee_kind": "organisation",
        "payee": school.pk,
    }
    maker = api_as(finance)
    first = maker.post("/api/v1/funds/disbursements/", body, format="json", HTTP_IDEMPOTENCY_KEY="api-1")
    second = maker.post("/api/v1/funds/disbursements/", body, format="json", HTTP_IDEMPOTENCY_KEY="api-1")
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    pk = first.json()["id"]
    refused = maker.post(f"/api/v1/funds/disbursements/{pk}/approve/")
    assert refused.status_code == 400
    assert refused.json()["code"] == "maker_is_checker"
    checker = api_as(finance2)
    assert checker.post(f"/api/v1/funds/disbursements/{pk}/approve/").json()["status"] == "approved"
    assert checker.post(f"/api/v1/funds/disbursements/{pk}/approve/").status_code == 200  # retry
    assert Entry.objects.filter(kind=EntryKind.DISBURSEMENT).count() == 1


def test_api_insufficient_funds_says_why(api_as, finance, finance2, funded_project):
    payee = services.payee_create(actor=finance, county=funded_project.project.county, name="y")
    body = {
        "from_account": funded_project.pk,
        "amount": "300000.01",
        "purpose": "x",
        "payee_kind": "organisation",
        "payee": payee.pk,
    }
    pk = (
        api_as(finance)
        .post("/api/v1/funds/disbursements/", body, format="json", HTTP_IDEMPOTENCY_KEY="big")
        .json()["id"]
    )
    response = api_as(finance2).post(f"/api/v1/funds/disbursements/{pk}/approve/")
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_funds"
    assert "300,000.00" in response.json()["message"]


def test_api_budget_allocation_and_reconciliation(api_as, finance, fund, project):
    api = api_as(finance)
    assert (
        api.post(f"/api/v1/funds/funds/{fund.pk}/budget/", {"amount": "5000.00"}, format="json").status_code
        == 201
    )
    bad = api.post(f"/api/v1/funds/funds/{fund.pk}/budget/", {"amount": "1.001"}, format="json")
    assert bad.status_code == 400
    assert "amount" in bad.json()["errors"]
    r = api.post(
        f"/api/v1/funds/funds/{fund.pk}/allocations/",
        {"project": project.pk, "amount": "1200.00"},
        format="json",
    )
    assert r.status_code == 201
    rec = api.get(f"/api/v1/funds/reconciliation/?fund={fund.pk}").json()
    assert Decimal(rec["budget"]) == Decimal("5000.00")
    assert Decimal(rec["allocated"]) == Decimal("1200.00")
    assert Decimal(rec["balance"]) == Decimal("5000.00")
    assert rec["reconciled"] is True


def test_api_lists_are_keyset_paginated_and_take_updated_after(
    api_as, finance, finance2, funded_project, django_assert_max_num_queries
):
    for i in range(5):
        r, _ = services.disbursement_request_create(
            actor=finance, idempotency_key=f"list-{i}", from_account=funded_project, amount="10.00", purpose="x",
            payee_kind="organisation", payee_name=f"单位{i}",
        )  # fmt: skip
        services.disbursement_approve(actor=finance2, request=r)
    api = api_as(finance)
    with django_assert_max_num_queries(12):
        page = api.get("/api/v1/funds/entries/?page_size=3").json()
    assert len(page["results"]) == 3
    assert "cursor=" in page["next"]
    with django_assert_max_num_queries(12):
        requests = api.get("/api/v1/funds/disbursements/?page_size=50").json()["results"]
    assert len(requests) == 5
    future = "2999-01-01T00:00:00Z"
    assert api.get(f"/api/v1/funds/disbursements/?updated_after={future}").json()["results"] == []
    assert api.get(f"/api/v1/funds/entries/?updated_after={future}").json()["results"] == []


def test_ledger_api_running_balance_and_cursor(api_as, finance, paid_request, funded_project):
    api = api_as(finance)
    first = api.get(f"/api/v1/funds/accounts/{funded_project.pk}/ledger/?page_size=1").json()
    assert [line["running_balance"] for line in first["results"]] == ["300000.00"]
    rest = api.get(f"/api/v1/funds/accounts/{funded_project.pk}/ledger/?after={first['next_after']}").json()
    assert rest["opening_balance"] == "300000.00"
    assert [line["running_balance"] for line in rest["results"]] == ["297499.50"]


def test_excel_exports_escape_formulas(client, finance, paid_request, funded_project, project):
    client.force_login(finance)
    response = client.get(reverse("funds:account_ledger", args=[funded_project.pk]) + "?format=xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    memos = [row[3] for row in ws.iter_rows(min_row=2)]
    memo = next(cell for cell in memos if cell.value == '=HYPERLINK("http://x")')
    assert (memo.data_type, memo.quotePrefix) == ("s", True)  # text, protected on edit, no apostrophe
    balances = [row[6] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert balances[-1] == pytest.approx(297499.50)
    response = client.get(reverse("funds:reconciliation") + f"?project={project.pk}&format=xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.worksheets[0].iter_rows(min_row=2, values_only=True))
    # label, as of, budget, allocated, allocated onward, disbursed, awaiting the bank, reversed,
    # balance, difference
    assert [row[1] for row in rows[2:]] == pytest.approx([0, 300000.00, 0, 2500.50, 0, 0, 297499.50, 0])
