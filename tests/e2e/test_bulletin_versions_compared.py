"""The supervision group regenerates May's bulletin in a browser — first without a reason, which the page
refuses with the error beside the field and in the form's summary — then with one; the city leader opens
the bulletin, follows "与上一版比较" and sees the figure that changed with both values, on a desktop and
on a 390 px phone where the two versions stack."""

import datetime as dt

import pytest

from accountability.models import Bulletin
from accountability.services import bulletin_generate
from core.models import Region, Role
from tests.factories.accountability import CaseFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-123"
CITY = "410800000000"
MAY = dt.date(2017, 5, 1)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def may_bulletin(regions, xiuwu_officer):
    v1, _created = bulletin_generate(region=Region.objects.get(code=CITY), month=MAY)
    # A case opened in May after the bulletin was made: the regenerated version counts it.
    CaseFactory(subject_officer=xiuwu_officer, opened_on=dt.date(2017, 5, 10), grounds="暗访发现帮扶不实")
    return v1


def test_regenerate_without_a_reason_then_compare_the_versions(
    page, live_server, persona, login, screenshot, may_bulletin
):
    supervisor = persona(Role.SUPERVISION_GROUP, CITY)
    login(page, supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/accountability/bulletins/{may_bulletin.pk}/")
    # No reason: the browser sends the form, the page comes back with the error beside the field,
    # the form's summary naming the field, and the focus in the field.
    page.click("#regenerate-form button[type=submit]")
    page.wait_for_selector("#regenerate-form .error-summary")
    assert (
        page.locator("#regenerate-form .field.has-error p.error").inner_text() == "请说明重新生成通报的理由。"
    )
    summary = page.locator("#regenerate-form .error-summary").inner_text()
    assert "重新生成理由：请说明重新生成通报的理由。" in summary
    assert page.evaluate("document.activeElement.id") == "id_reason"
    assert page.locator("#regenerate-form .error-summary").is_visible()
    assert Bulletin.objects.filter(month=MAY).count() == 1
    page.fill("#id_reason", "补录本月立案的问责")
    page.click("#regenerate-form button[type=submit]")
    page.wait_for_selector("#versions")
    assert Bulletin.objects.filter(month=MAY).count() == 2

    page.context.clear_cookies()
    leader = persona(Role.LEADER, CITY)
    login(page, leader.username, PASSWORD)
    page.goto(f"{live_server.url}/accountability/bulletins/latest/")
    page.click("#compare-previous")
    page.wait_for_selector("#compare-summary")
    # The cases opened this month: 0 in version 1, 1 in version 2, marked changed.
    row = page.locator("#cmp-cases tr.cmp-changed", has_text="合计 › 新立案")
    cells = row.locator("td")
    assert cells.nth(1).inner_text().startswith("0")
    assert cells.nth(2).inner_text().startswith("1")
    assert row.locator("td.changed .sr-only").count() == 2
    background = page.evaluate(
        "getComputedStyle(document.querySelector('#cmp-cases td.changed')).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("#cmp-cases tr.cmp-added").count() == 1
    assert "补录本月立案的问责" in page.locator("#version-b").inner_text()
    # Sections without a difference are folded; those with one are open.
    assert page.locator("#cmp-cases details").get_attribute("open") is not None
    assert page.locator("#cmp-findings details").get_attribute("open") is None
    screenshot(page, "bulletin_compare")

    # On a phone the two versions stack: the version cards one above the other, each figure's two
    # values one under the other, and no sideways scrolling.
    page.set_viewport_size(PHONE)
    a_box = page.locator("#version-a").bounding_box()
    b_box = page.locator("#version-b").bounding_box()
    assert b_box["y"] >= a_box["y"] + a_box["height"]
    first, second = cells.nth(1).bounding_box(), cells.nth(2).bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    screenshot(page, "bulletin_compare_phone")
