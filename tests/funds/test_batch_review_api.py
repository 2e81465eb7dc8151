"""The month-end batch review and the payment files through the API: the same services, the same scope."""

from __future__ import annotations

import pytest
from django.utils import timezone

from funds import services
from funds.models import RequestStatus
from tests.funds.batch_world import county_allocation, household_requests, refreshed

pytestmark = pytest.mark.django_db


def test_a_checker_reviews_a_batch_through_the_api(api_client, fund, xiuwu, finance, finance2, boai_finance):
    account = county_allocation(fund, xiuwu, finance)
    requests = household_requests(account, finance, 3)
    api_client.force_authenticate(user=finance2)
    month = timezone.localdate().strftime("%Y-%m")
    opened = api_client.post(
        "/api/v1/funds/batches/", {"from_account": account.pk, "month": month}, format="json"
    )
    assert opened.status_code == 201, opened.content
    batch = opened.json()
    assert (batch["count"], batch["total"], batch["pages"]) == (3, "2400.00", 1)
    page = api_client.get(f"/api/v1/funds/batches/{batch['id']}/pages/1/").json()
    assert [row["id"] for row in page["rows"]] == [r.pk for r in requests]
    assert all(row["flags"] == [] for row in page["rows"])
    confirmed = api_client.post(
        f"/api/v1/funds/batches/{batch['id']}/reviews/{page['page']}/confirm/",
        {"selected": [requests[0].pk, requests[1].pk]}, format="json",
    )  # fmt: skip
    assert confirmed.status_code == 200
    assert sorted(confirmed.json()["approved"]) == [requests[0].pk, requests[1].pk]
    assert [r.status for r in refreshed(requests)] == [RequestStatus.APPROVED] * 2 + [RequestStatus.PENDING]
    # Confirmed once: the same page again is a conflict.
    again = api_client.post(
        f"/api/v1/funds/batches/{batch['id']}/reviews/{page['page']}/confirm/", {"selected": [requests[2].pk]},
        format="json",
    )  # fmt: skip
    assert again.status_code == 409
    # Another county's officer does not see the batch.
    api_client.force_authenticate(user=boai_finance)
    assert api_client.get(f"/api/v1/funds/batches/{batch['id']}/pages/1/").status_code == 404


def test_a_payment_file_through_the_api_shows_cards_masked(api_client, fund, xiuwu, finance, finance2):
    bank = services.bank_create(name="API测试银行")
    account = county_allocation(fund, xiuwu, finance)
    (request,) = household_requests(account, finance, 1)
    services.payee_bank_account_set(
        actor=finance, household=request.household, bank=bank, account_number="6217000011112222333"
    )
    services.disbursement_approve(actor=finance2, request=request)
    api_client.force_authenticate(user=finance)
    made = api_client.post(
        "/api/v1/funds/bank/payment-files/", {"bank": bank.pk, "county": xiuwu.pk}, format="json"
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["count"] == 1
    assert body["lines"][0]["card"] == "****2333"
    assert "6217000011112222333" not in made.content.decode()
    assert refreshed([request])[0].status == RequestStatus.SENT
