"""The rectification ledger on a 390 px phone (issue 21): each item a card whose cells are named by
their column — not a 7-column table squeezed to a character per line — and no cell narrower than
its badge, with no horizontal scroll."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import Role
from inspections.models import RectificationItem
from tests.factories.inspections import RectificationItemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"


def test_the_ledger_reads_as_cards_on_a_phone(page, live_server, persona, login, screenshot):
    late = RectificationItemFactory(deadline=timezone.localdate() - dt.timedelta(days=3))
    RectificationItem.objects.filter(pk=late.pk).update(
        overdue_since=timezone.localdate() - dt.timedelta(days=2)
    )
    RectificationItemFactory.create_batch(2)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, persona(Role.INSPECTOR, "410800000000").username, PASSWORD)
    page.goto(f"{live_server.url}/inspections/ledger/")
    rows = page.locator("table.cards tbody tr")
    assert rows.count() == 3
    measure = page.evaluate(
        """() => [...document.querySelectorAll('table.cards tbody td')].map((td) => ({
            label: getComputedStyle(td, '::before').content,
            width: td.getBoundingClientRect().width,
            badges: [...td.querySelectorAll('.badge')].map((b) => b.getBoundingClientRect().width),
            // a badge that sticks out of its cell on either side (cut off or overlapping the next)
            outside: [...td.querySelectorAll('.badge')].filter((b) => {
                const r = b.getBoundingClientRect(), c = td.getBoundingClientRect();
                return r.left < c.left - 0.5 || r.right > c.right + 0.5;
            }).length,
        }))"""
    )
    assert all(cell["width"] > 300 for cell in measure)  # a card's full width, not a sliver
    # No cell narrower than its badge: every status (3) and the overdue mark (1) measured, each inside its cell.
    assert sum(len(cell["badges"]) for cell in measure) >= 4
    assert all(max(cell["badges"], default=0) <= cell["width"] for cell in measure)
    assert not any(cell["outside"] for cell in measure)
    labels = {cell["label"].strip('"') for cell in measure}
    assert {"整改时限", "责任单位", "状态"} <= labels
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "ledger_cards_phone")
    # On a desktop it stays a table.
    page.set_viewport_size({"width": 1440, "height": 900})
    assert page.locator("table.cards thead").is_visible()
