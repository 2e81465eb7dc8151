"""An inspector on a phone (390×844): chooses the responsible unit of a finding by typing a part of its
name (only the county chosen is offered), sends the finding and finds an empty form under the
confirmation; sends a visit report from the filing page (its unit list narrowed to the county too) and
finds the same; and opens the filing page (填报督查报告) from the home page."""

import pytest

from core.models import Region
from inspections.models import Finding, VisitReport
from tests.factories.inspections import county_office, inspector_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"
XIUWU = "410821000000"
PHONE = {"width": 390, "height": 844}


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def inspector(regions):
    return inspector_user(username="inspector_pick")


def test_unit_chosen_by_typing_its_name_then_the_form_is_empty_under_the_confirmation(
    page, live_server, inspector, login, screenshot
):
    xiuwu_office, boai_office = county_office(XIUWU), county_office("410822000000")
    village = Region.objects.filter(code__startswith="410821", level="village").order_by("code").first()
    page.set_viewport_size(PHONE)
    login(page, inspector.username, PASSWORD)
    page.goto(f"{live_server.url}/inspections/findings/new/")
    page.select_option("#id_source", "media_provincial")
    page.select_option("#id_county", XIUWU)

    page.fill("#id_village", village.name[:2])
    page.click(f"#id_village-list button:has-text('{village.name}')")
    page.select_option("#id_category", "funds")
    page.select_option("#id_severity", "grave")
    page.fill("#id_description", "扶贫资金被截留")

    # Both counties have a 扶贫开发办公室: typed, only 修武县's is offered, 修武县 being chosen above.
    page.locator("#id_responsible_unit").press_sequentially("扶贫开发")
    option = page.locator(f"#id_responsible_unit-list button[data-id='{xiuwu_office.pk}']")
    option.wait_for()
    assert page.locator(f"#id_responsible_unit-list button[data-id='{boai_office.pk}']").count() == 0
    assert no_horizontal_scroll(page)
    option.click()
    assert page.input_value("#id_responsible_unit") == xiuwu_office.name
    assert page.input_value("input[name=responsible_unit]") == str(xiuwu_office.pk)
    screenshot(page, "inspections_finding_unit_picker_phone")
    page.click("form.form button[type=submit]")

    page.wait_for_selector("#recorded")
    finding = Finding.objects.get()
    assert (finding.responsible_unit_id, finding.region_id) == (xiuwu_office.pk, village.code)
    assert "问题已登记" in page.inner_text("#recorded")
    assert in_view(page, "#recorded")
    # The form is empty for the next finding.
    for field in ("#id_description", "#id_responsible_unit", "#id_village", "#id_household"):
        assert page.input_value(field) == "", field
    assert page.eval_on_selector("#id_category", "s => s.selectedIndex") == 0
    assert no_horizontal_scroll(page)
    screenshot(page, "inspections_finding_recorded_phone")
    page.click("#recorded a")
    page.wait_for_url(f"**/inspections/findings/{finding.pk}/")


def test_after_a_report_is_sent_the_filing_form_is_empty_and_the_confirmation_in_view(
    page, live_server, inspector, login, screenshot
):
    xiuwu_office, boai_office = county_office(XIUWU), county_office("410822000000")
    page.set_viewport_size(PHONE)
    login(page, inspector.username, PASSWORD)
    page.goto(f"{live_server.url}/inspections/file/")
    page.wait_for_selector("#findings .finding")
    page.select_option("#r-county", XIUWU)
    page.fill("#r-place", "修武县某村村委会")
    page.select_option("#f0-category", "identification")
    page.fill("#f0-description", "一户家庭人口与档卡不符")
    # The units offered are the county's (and those above it), not another county's.
    units = page.eval_on_selector_all("#f0-responsible_unit option", "os => os.map((o) => o.value)")
    assert str(xiuwu_office.pk) in units
    assert str(boai_office.pk) not in units
    page.select_option("#f0-responsible_unit", str(xiuwu_office.pk))
    page.click("#add-finding")
    page.select_option("#f1-category", "assistance")
    page.fill("#f1-description", "帮扶措施未针对因病致贫")
    page.click("#send")

    page.wait_for_selector("#net-status[data-state=filed]", timeout=30_000)
    assert VisitReport.objects.count() == 1
    assert [f.responsible_unit_id for f in Finding.objects.order_by("id")] == [xiuwu_office.pk, None]
    assert "报告已提交" in page.inner_text("#net-status")
    assert in_view(page, "#net-status")
    # An empty form for the next visit: one empty finding, the visit's fields blank.
    assert page.locator("#findings .finding").count() == 1
    assert page.input_value("#f0-description") == ""
    assert page.input_value("#r-place") == ""
    assert page.is_visible("#send")
    assert no_horizontal_scroll(page)
    screenshot(page, "inspections_filing_sent_form_cleared")


def test_the_inspectors_home_links_the_filing_page(page, live_server, inspector, login):
    page.set_viewport_size(PHONE)
    login(page, inspector.username, PASSWORD)
    link = page.get_by_role("link", name="填报督查报告")
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/inspections/file/")
    page.wait_for_selector("#findings .finding")
    assert no_horizontal_scroll(page)
