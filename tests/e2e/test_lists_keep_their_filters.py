"""Lists that save a clerk's time (issue 21): a list's filters come back when its menu or tab link is
followed again, and the page size is a choice that keeps the filters."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import Role
from inspections.models import ItemStatus, RectificationItem
from tests.factories.inspections import RectificationItemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"


def test_the_ledger_keeps_its_filter_and_offers_page_sizes(page, live_server, persona, login):
    items = RectificationItemFactory.create_batch(25)
    late = items[0]
    RectificationItem.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=3), overdue_since=timezone.localdate()
    )
    login(page, persona(Role.INSPECTOR, "410800000000").username, PASSWORD)
    page.goto(f"{live_server.url}/inspections/ledger/?status={ItemStatus.OPEN}")
    assert page.locator("table.cards tbody tr").count() == 25  # one page of 50
    # Fewer rows a page, the filter kept; back to 50 the same way.
    page.locator(".page-size a[data-per-page='20']").click()
    page.wait_for_url(f"**/inspections/ledger/?status={ItemStatus.OPEN}&per_page=20")
    assert page.locator("table.cards tbody tr").count() == 20
    assert page.locator(".page-size strong").inner_text() == "20"
    # Filter to the overdue one, go elsewhere, come back through the tab: the filter is there.
    page.goto(f"{live_server.url}/inspections/ledger/?overdue=1")
    assert page.locator("table.cards tbody tr").count() == 1
    page.locator(".subnav a", has_text="问题").first.click()
    page.wait_for_url(f"{live_server.url}/inspections/")
    page.locator(".subnav a", has_text="整改台账").click()
    page.wait_for_url("**/inspections/ledger/?overdue=1")
    assert page.locator("table.cards tbody tr").count() == 1
    assert page.locator("input[name=overdue]").is_checked()
