"""A household's history in words, in a browser (issue 21: "history shows internals"): a county clerk
edits a file — a member's health and the household's attribute — and the household's page lists the
change under the fields' names in Chinese with the choices' labels, who made it by name, and the time in
Beijing time; never a column name, an id, a stored enum value or a UTC ISO timestamp."""

import re

import pytest
from django.utils import timezone, translation

from core.models import Region, Role
from households.models import Household, HouseholdAttribute, Member
from households.models.members import Health
from tests.factories.households import HouseholdFactory, MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"
XIUWU = "410821000000"


def test_a_clerks_edit_reads_in_words_in_the_households_history(
    page, live_server, persona, login, screenshot
):
    clerk = persona(Role.COUNTY_CLERK, XIUWU, username="clerk_history", full_name="赵录入")
    village = Region.objects.filter(code__startswith="410821", level="village").order_by("code").first()
    household = HouseholdFactory(
        village=village, head_name="孙德胜", file_number="41082110001", attribute=HouseholdAttribute.GENERAL
    )
    head = MemberFactory(household=household, name="孙德胜", health=Health.HEALTHY)

    login(page, clerk.username, PASSWORD)
    page.goto(f"{live_server.url}/households/{household.pk}/edit/")
    page.select_option("#id_attribute", HouseholdAttribute.SUBSISTENCE)
    page.select_option("#id_members-0-health", Health.CHRONIC)
    page.click("button[type=submit]:has-text('保存')")
    page.wait_for_url(f"**/households/{household.pk}/")

    history = page.locator("table.history:not(.status-changes)")
    text = history.inner_text()
    with translation.override("zh-hans"):
        health = str(Member._meta.get_field("health").verbose_name)
        attribute = str(Household._meta.get_field("attribute").verbose_name)
        member_change = f"{health}：{Health.HEALTHY.label} → {Health.CHRONIC.label}"
        household_change = (
            f"{attribute}：{HouseholdAttribute.GENERAL.label} → {HouseholdAttribute.SUBSISTENCE.label}"
        )
    assert member_change in text
    assert household_change in text
    row = history.locator("tbody tr", has_text=member_change)
    assert head.name in row.inner_text()  # which member changed, by name
    assert "赵录入" in row.inner_text() or clerk.username in row.inner_text()  # who, by name
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in row.inner_text()  # Beijing time, house style
    raw_names = (
        "health",
        "healthy",
        "chronic",
        "attribute",
        "general",
        "subsistence",
        "_id",
        "+00:00",
        "UTC",
    )
    for raw in raw_names:
        assert raw not in text, raw
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}", text)  # no ISO timestamp
    for pk in (head.pk, household.pk, clerk.pk):  # no ids in place of names
        assert not re.search(rf"(：|→ ){pk}(\s|$)", text), pk
    screenshot(page, "household_history_in_words")
