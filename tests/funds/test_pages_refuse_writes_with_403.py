"""A role that may read a fund or an entry but not post to the ledger gets 403 for the write
(inside its region: the convention), not a 404 that pretends the fund is not there."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funds import services
from tests.funds.conftest import FUNDED_ON

pytestmark = pytest.mark.django_db


def test_an_auditor_posting_a_budget_gets_403(client, auditor, fund):
    client.force_login(auditor)
    url = reverse("funds:fund_detail", kwargs={"pk": fund.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"budget-amount": "1000.00"}).status_code == 403


def test_an_auditor_reversing_an_entry_gets_403(client, auditor, fund, finance):
    entry = services.budget_arrange(actor=finance, fund=fund, amount=Decimal("1000.00"), booked_on=FUNDED_ON)
    client.force_login(auditor)
    url = reverse("funds:entry_detail", kwargs={"pk": entry.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "录入错误"}).status_code == 403
