"""The ledger page reads one keyset page at a time; the running balance carries over between pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from funds import services
from funds.models import Line

pytestmark = pytest.mark.django_db

DAY = dt.date(2017, 2, 1)


@pytest.fixture
def busy_account(funded_project, finance, finance2):
    """The project account with 7 payments (and one reversal) after its allocation."""
    for i in range(7):
        request, _ = services.disbursement_request_create(
            actor=finance, idempotency_key=f"page-{i}", from_account=funded_project, amount=f"{100 + i}.25",
            purpose="补贴", payee_kind="organisation", payee_name=f"合作社{i % 3}",
        )  # fmt: skip
        paid = services.disbursement_approve(
            actor=finance2, request=request, booked_on=DAY + dt.timedelta(days=i // 2)
        )
    services.disbursement_reverse(
        actor=finance, request=paid, reason="错付", booked_on=DAY + dt.timedelta(days=9)
    )
    return funded_project


def _expected(account) -> list[tuple[int, Decimal]]:
    """(entry id, balance after it), summed in Python in booking order from every line of the account."""
    lines = sorted(
        Line.objects.filter(account=account).select_related("entry"),
        key=lambda x: (x.entry.booked_on, x.entry_id),
    )
    balance, rows = Decimal("0"), []
    for line in lines:
        balance += line.debit - line.credit
        rows.append((line.entry_id, balance))
    return rows


def test_walking_the_pages_shows_every_line_once_with_its_running_balance(
    busy_account, finance, client, monkeypatch
):
    from funds import views

    monkeypatch.setattr(views, "LEDGER_PAGE", 3)
    client.force_login(finance)
    url = reverse("funds:account_ledger", args=[busy_account.pk])
    shown, openings, after = [], [], None
    while True:
        response = client.get(url + (f"?after={after}" if after else ""))
        assert response.status_code == 200
        openings.append(response.context["opening"])
        page = [(line.entry_id, line.running_balance) for line in response.context["lines"]]
        assert len(page) <= 3
        if shown:  # a later page opens with the balance the previous page closed on
            assert openings[-1] == shown[-1][1]
        shown += page
        after = response.context["next_after"]
        if after is None:
            break
    expected = _expected(busy_account)
    assert len(expected) == 9  # allocation, 7 payments, the reversal
    assert shown == expected
    assert openings[0] == 0
    assert expected[-1][1] == busy_account.__class__.objects.get(pk=busy_account.pk).balance


def test_a_date_filter_and_a_page_cursor_together(busy_account, finance, client, monkeypatch):
    from funds import views

    monkeypatch.setattr(views, "LEDGER_PAGE", 2)
    client.force_login(finance)
    url = (
        reverse("funds:account_ledger", args=[busy_account.pk])
        + f"?from={(DAY + dt.timedelta(days=1)).isoformat()}"
    )
    first = client.get(url)
    second = client.get(url + f"&after={first.context['next_after']}")
    expected = _expected(busy_account)
    in_period = [row for row in expected if row[0] in {line.entry_id for line in Line.objects.filter(
        account=busy_account, entry__booked_on__gte=DAY + dt.timedelta(days=1))}]  # fmt: skip
    got = [(x.entry_id, x.running_balance) for x in [*first.context["lines"], *second.context["lines"]]]
    assert got == in_period[:4]
    assert "after=" in first.content.decode()  # the next-page link carries the cursor
