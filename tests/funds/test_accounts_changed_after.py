"""`updated_after` on the accounts list (issue 22): it was ignored. An account has no `updated_at`;
it changes when it is opened and when an entry moves its balance (lines are append-only, the balance
follows them by a trigger), so "changed after t" is "opened, or posted to, after t"."""

import datetime as dt

import pytest
from django.utils import timezone

from funds import services
from funds.models import Account

pytestmark = pytest.mark.django_db


def _ids(client, since) -> set[int]:
    response = client.get("/api/v1/funds/accounts/", {"updated_after": since.isoformat(), "page_size": 500})
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def test_an_account_is_changed_after_a_time_when_opened_or_posted_to_after_it(
    api_as, finance, finance2, funded_project
):
    Account.objects.update(created_at=timezone.now() - dt.timedelta(days=3))
    client = api_as(finance)
    since = timezone.now() - dt.timedelta(days=2)
    before = _ids(client, since)
    # Allocated to when the fixture was made (entries posted now): posted to after `since`.
    assert funded_project.pk in before
    assert _ids(client, timezone.now() + dt.timedelta(minutes=5)) == set()

    later = timezone.now()
    assert funded_project.pk not in _ids(client, later)
    request, _ = services.disbursement_request_create(
        actor=finance, idempotency_key="changed-after", from_account=funded_project, amount="100.00",
        purpose="补贴", payee_kind="organisation", payee_name="甲建设公司", confirmed_different=True,
    )  # fmt: skip
    services.disbursement_approve(actor=finance2, request=request)
    assert funded_project.pk in _ids(client, later)  # its balance moved: changed

    bad = client.get("/api/v1/funds/accounts/", {"updated_after": "yesterday"})
    assert bad.status_code == 400
    assert "updated_after" in bad.json()["errors"]
