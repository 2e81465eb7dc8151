"""Lists that save a clerk's time (issue 21): a list's filters come back when its menu or tab link is
followed again, and the page size is a choice that keeps the filters."""

import datetime as dt
import re

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


def test_the_ledger_sorts_by_a_column_header_and_keeps_its_filter(page, live_server, persona, login):
    today = timezone.localdate()
    from core.models import Region
    from tests.factories.core import UnitFactory

    xiuwu = Region.objects.get(code="410821000000")
    for days, unit_name in ((30, "乙单位"), (10, "甲单位"), (20, "丙单位")):
        RectificationItemFactory(
            deadline=today + dt.timedelta(days=days),
            responsible_unit=UnitFactory(region=xiuwu, name=unit_name),
        )
    login(page, persona(Role.INSPECTOR, "410800000000").username, PASSWORD)
    page.goto(f"{live_server.url}/inspections/ledger/?status={ItemStatus.OPEN}")

    def deadlines():
        return page.locator("table.cards tbody tr td:nth-child(6)").all_inner_texts()

    shown = deadlines()
    assert len(set(shown)) == 3
    assert shown == sorted(shown, key=lambda t: [int(x) for x in re.findall(r"\d+", t)])  # by deadline
    header = page.locator("th[aria-sort] a", has_text="整改时限")
    assert page.locator("th[aria-sort='ascending']").inner_text().startswith("整改时限")
    header.click()  # the deadline again: latest first
    page.wait_for_url("**sort=-deadline**")
    assert deadlines() == list(reversed(shown))
    assert page.locator("th[aria-sort='descending']").inner_text().startswith("整改时限")
    assert f"status={ItemStatus.OPEN}" in page.url  # the filter kept
    page.locator("th[aria-sort] a", has_text="责任单位").click()
    page.wait_for_url("**sort=unit**")
    units = page.locator("table.cards tbody tr td:nth-child(5)").all_inner_texts()
    assert units == sorted(["乙单位", "甲单位", "丙单位"])
