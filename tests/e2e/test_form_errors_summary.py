"""A form sent back with errors (issue 21): a summary at its top names each field in error and links
to it, and the first field in error has the focus — as a county clerk meets it on the new-household
form."""

import pytest

from core.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"


def test_the_errors_of_a_form_are_summed_up_at_its_top(page, live_server, persona, login, screenshot):
    clerk = persona(Role.COUNTY_CLERK, "410821000000")
    login(page, clerk.username, PASSWORD)
    page.goto(f"{live_server.url}/households/new/")
    page.fill("#id_identified_year", "1999")  # out of range; the rest left empty
    page.click("button[type=submit]:has-text('保存')")
    summary = page.locator("form .error-summary")
    summary.wait_for()
    errors = page.locator("form p.error").count()
    assert errors > 1
    assert summary.locator(".error-summary-title").inner_text() == f"请更正以下 {errors} 处错误："
    items = summary.locator("li")
    assert items.count() == errors
    # Each line names its field and links to it; the first field in error has the focus.
    year = summary.locator("li a[href='#id_identified_year']")
    assert year.inner_text().startswith("识别年度")
    first_href = items.first.locator("a").get_attribute("href")
    assert page.evaluate("'#' + document.activeElement.id") == first_href
    year.click()
    assert page.evaluate("document.activeElement.id") == "id_identified_year"
    assert page.input_value("#id_identified_year") == "1999"  # nothing typed is lost
    screenshot(page, "form_error_summary")
