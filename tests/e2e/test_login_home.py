import pytest

from core.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"


def test_clerk_logs_in_and_sees_chinese_home(page, live_server, persona, login, screenshot):
    clerk = persona(Role.COUNTY_CLERK, "410821000000", full_name="王秀英")
    login(page, clerk.username, PASSWORD)
    assert page.locator("h1").inner_text().startswith("欢迎")
    assert "修武县" in page.locator(".userbox").inner_text()
    # Chinese is drawn with a real CJK font, not tofu: missing glyphs all render as the same
    # box, real glyphs of different characters render differently.
    glyphs = page.evaluate(
        """() => ['扶', '贫', '户'].map((ch) => {
            const canvas = document.createElement('canvas');
            canvas.width = 40; canvas.height = 40;
            const c = canvas.getContext('2d');
            c.font = '32px ' + getComputedStyle(document.body).fontFamily;
            c.fillText(ch, 2, 34);
            return canvas.toDataURL();
        })"""
    )
    assert len(set(glyphs)) == 3
    path = screenshot(page, "login_home_clerk")
    assert path.stat().st_size > 10_000


def test_phone_width_menu_toggles(page, live_server, persona, login):
    page.set_viewport_size({"width": 390, "height": 844})
    clerk = persona(Role.COUNTY_CLERK, "410821000000")
    login(page, clerk.username, PASSWORD)
    nav = page.locator("#mainnav")
    assert not nav.is_visible()
    page.click("[data-toggle-nav]")
    assert nav.is_visible()


def test_an_inspector_on_a_phone_starts_from_the_work_inbox(page, live_server, persona, login, screenshot):
    """Issue 21: the inspector's home is a work inbox at 390 px — the report to file first in reach,
    the overdue rectification item counted and linked — with no horizontal scroll."""
    import datetime as dt

    from django.utils import timezone

    from inspections.models import RectificationItem
    from tests.factories.inspections import RectificationItemFactory

    item = RectificationItemFactory(deadline=timezone.localdate() - dt.timedelta(days=3))
    RectificationItem.objects.filter(pk=item.pk).update(
        overdue_since=timezone.localdate() - dt.timedelta(days=2)
    )
    page.set_viewport_size({"width": 390, "height": 844})
    inspector = persona(Role.INSPECTOR, "410800000000")
    login(page, inspector.username, PASSWORD)
    inbox = page.locator("#inbox")
    assert inbox.locator("h2").inner_text() == "待办事项"
    overdue = inbox.locator("#w-inspections-overdue")
    assert overdue.locator(".badge").inner_text() == "1"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "home_inbox_inspector_phone")
    inbox.get_by_role("link", name="填报督查报告").click()
    page.wait_for_url("**/inspections/file/")
    overdue_href = "/inspections/ledger/?overdue=1"
    page.go_back()
    assert page.locator("#w-inspections-overdue a").get_attribute("href") == overdue_href
