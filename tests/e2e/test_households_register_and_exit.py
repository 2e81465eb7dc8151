"""A clerk registers a household with two members in the browser, meets the duplicate-ID error,
then walks an exit through all four steps (民主评议 → 核实认可 → 公告公示 → 脱贫销号)."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import Role
from households.models import Household, HouseholdStatus
from tests.factories.households import (
    ensure_poverty_lines,
    first_village,
    household_with_members,
    ready_to_exit,
    valid_id_number,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-123"


def day(n: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=n)).isoformat()


def test_clerk_registers_a_household_then_walks_an_exit(
    page, live_server, persona, login, screenshot, tmp_path
):
    from core.roles import sync_roles

    sync_roles()
    ensure_poverty_lines()
    clerk = persona(Role.COUNTY_CLERK, "410821000000", full_name="李录入")
    existing = household_with_members(head_name="已登记户主")
    taken = existing.members.get(relation="head").reveal_id_number()
    leaving = ready_to_exit(head_name="脱贫户主")
    login(page, clerk.username, PASSWORD)

    # Register: the head's ID number belongs to someone already registered.
    page.goto(f"{live_server.url}/households/new/")
    assert page.evaluate("document.activeElement.id") == "id_village"
    page.select_option("#id_village", first_village().code)
    page.fill("#id_address", "五组8号")
    page.select_option("#id_attribute", "general")
    page.fill("#id_identified_year", "2017")
    page.select_option("#id_main_cause", "illness")
    page.check("input[name=secondary_causes][value=lack_funds]")
    page.fill("#id_members-0-name", "陈家旺")
    page.fill("#id_members-0-id_number", taken)
    page.select_option("#id_members-0-relation", "head")
    page.select_option("#id_members-0-education", "junior")
    page.select_option("#id_members-0-labour_ability", "ordinary")
    page.fill("#id_members-1-name", "黄秀兰")
    page.fill("#id_members-1-id_number", valid_id_number(female=True))
    page.select_option("#id_members-1-relation", "spouse")
    page.select_option("#id_members-1-education", "primary")
    page.select_option("#id_members-1-labour_ability", "weak")
    page.click("button[type=submit]:has-text('保存')")
    error = page.locator(".members-table .error").first
    assert f"此人已登记在户 {existing.file_number}" in error.inner_text()
    assert page.input_value("#id_members-1-name") == "黄秀兰"  # nothing typed is lost
    assert page.input_value("#id_address") == "五组8号"
    screenshot(page, "households_duplicate_id_error")
    page.fill("#id_members-0-id_number", valid_id_number())
    page.click("button[type=submit]:has-text('保存')")
    page.wait_for_url(f"{live_server.url}/households/*/")
    assert "陈家旺" in page.locator("h1").inner_text()
    assert "识别中" in page.locator("h1").inner_text()
    new = Household.objects.get(head_name="陈家旺")
    assert new.member_count == 2

    # Exit, step by step, on a registered household whose income is above the 2016 line.
    page.goto(f"{live_server.url}/households/{leaving.pk}/")
    page.click("text=开始退出：民主评议")
    minutes = tmp_path / "评议记录.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    page.fill("#id_date", day(20))
    page.fill("#id_attendance", "32")
    page.fill("#id_votes_for", "30")
    page.fill("#id_votes_against", "1")
    page.set_input_files("#id_files", str(minutes))
    page.click("button[type=submit]:has-text('民主评议')")
    page.wait_for_url(f"{live_server.url}/households/{leaving.pk}/")

    page.click(".actions a:has-text('核实认可')")
    page.fill("#id_date", day(19))
    page.fill("#id_year", "2016")
    page.check("#id_household_agrees")
    page.click("button[type=submit]:has-text('核实认可')")
    page.wait_for_url(f"{live_server.url}/households/{leaving.pk}/")

    page.click(".actions a:has-text('公告公示')")
    page.fill("#id_date", day(18))
    page.fill("#id_notice_start", day(18))
    page.fill("#id_notice_end", day(14))  # 5 days: refused
    page.click("button[type=submit]:has-text('公告公示')")
    assert "公告公示至少7天；本次只有5天。" in page.locator(".has-error .error").first.inner_text()
    page.fill("#id_notice_end", day(10))
    page.click("button[type=submit]:has-text('公告公示')")
    page.wait_for_url(f"{live_server.url}/households/{leaving.pk}/")

    page.click(".actions a:has-text('脱贫销号')")
    page.click("button[type=submit]:has-text('脱贫销号')")
    page.wait_for_url(f"{live_server.url}/households/{leaving.pk}/")
    assert "已脱贫" in page.locator("h1").inner_text()
    timeline = page.locator(".procedure").first.inner_text()
    for label in ("民主评议", "核实认可", "公告公示", "脱贫销号", "评议记录.pdf"):
        assert label in timeline
    screenshot(page, "households_exit_done")
    leaving.refresh_from_db()
    assert leaving.status == HouseholdStatus.EXITED
