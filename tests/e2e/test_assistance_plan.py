"""An assistance officer opens a household's plan, adds measures from the keyboard until every
poverty cause is covered, and the flag disappears. Another county's plan is 404; a leader reads only."""

import pytest
from django.utils import timezone

from core.models import Role
from tests.factories.assistance import PlanFactory
from tests.factories.households import HouseholdFactory, first_village

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"


def test_officer_covers_every_cause_and_the_flag_disappears(
    page, live_server, regions, persona, login, screenshot
):
    household = HouseholdFactory(
        village=first_village("410821"), head_name="李秀英", main_cause="illness",
        secondary_causes=["lack_skills", "lack_funds"],
    )  # fmt: skip
    officer = persona(Role.ASSISTANCE_OFFICER, "410821000000", full_name="帮扶干部")
    login(page, officer.username, PASSWORD)

    page.goto(f"{live_server.url}/assistance/households/{household.pk}/plan/")
    assert page.locator("[data-flag=no-plan]").is_visible()
    page.get_by_role("button", name=f"制定{timezone.localdate().year}年帮扶方案").click()
    flag = page.locator("[data-flag=uncovered]")
    assert flag.is_visible()
    assert "因病" in flag.inner_text() or "疾病" in flag.inner_text()

    # First measure: medical relief for the illness only. The kind select has the focus.
    assert page.evaluate("document.activeElement.name") == "kind"
    page.keyboard.type("医")  # jump to 医疗救助 by typing
    page.select_option("#id_kind", "medical_relief")
    page.fill("#id_title", "大病保险二次报销")
    for code in ("lack_skills", "lack_funds"):
        page.locator(f"input[name=causes][value={code}]").uncheck()
    page.locator("input[name=causes][value=illness]").check()
    page.press("#id_title", "Enter")
    assert page.locator(".error, .errorlist").all_inner_texts() == []
    assert page.locator("#measures tbody tr[data-status]").count() == 1
    assert page.locator("[data-flag=uncovered]").is_visible()
    assert page.locator("[data-cause=illness][data-covered='1']").is_visible()

    # Second measure: the remaining causes are pre-checked; choose the kind, describe it, Enter.
    page.select_option("#id_kind", "skills_training")
    page.fill("#id_title", "焊工培训并推荐就业")
    page.fill("#id_expected_income_gain", "6000")
    assert page.locator("input[name=causes][value=lack_skills]").is_checked()
    page.locator("input[name=causes][value=lack_funds]").uncheck()
    page.press("#id_title", "Enter")
    assert page.locator("[data-flag=uncovered]").is_visible()

    page.select_option("#id_kind", "microcredit")
    page.fill("#id_title", "扶贫小额信贷5万元")
    page.press("#id_title", "Enter")
    assert page.locator("#measures tbody tr[data-status]").count() == 3
    assert page.locator("[data-flag=uncovered]").count() == 0
    assert page.locator("[data-flag=none]").is_visible()
    screenshot(page, "assistance_plan_covered")

    # Marking progress keeps the page consistent.
    page.locator("#measures tbody tr").first.get_by_role("button", name="开始实施").click()
    assert page.locator("#measures tbody tr[data-status=in_progress]").count() == 1


def test_other_county_plan_is_404_and_leader_cannot_write(page, live_server, regions, persona, login):
    household = HouseholdFactory(village=first_village("410821"))
    PlanFactory(household=household)
    outsider = persona(Role.ASSISTANCE_OFFICER, "410822000000")
    login(page, outsider.username, PASSWORD)
    response = page.goto(f"{live_server.url}/assistance/households/{household.pk}/plan/")
    assert response.status == 404

    page.context.clear_cookies()
    leader = persona(Role.LEADER, "410800000000")
    login(page, leader.username, PASSWORD)
    response = page.goto(f"{live_server.url}/assistance/households/{household.pk}/plan/")
    assert response.status == 200
    assert page.locator("#add-measure").count() == 0
    assert page.locator("[data-transition]").count() == 0
