import re

import pytest

from dashboard.services import figures_refresh

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leader_reads_charts_and_drills_into_a_county(
    page, live_server, city_data, leader, login, screenshot
):
    figures_refresh()
    login(page, leader.username, "Pass-word-123")
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#chart-causes svg")
    page.wait_for_selector("#chart-children svg")
    # Chinese labels drawn by the chart library (county names along the axis).
    assert "修武县" in page.locator("#chart-children svg").inner_html()
    assert page.locator("#chart-trend svg").count() == 1
    screenshot(page, "dashboard_city")

    page.click("#children-table a.drill:text('修武县')")
    page.wait_for_url(re.compile(r".*/dashboard/region/410821000000/(\?year=\d{4})?$"))
    township = city_data[0].parent.name
    assert township in page.locator("#children-table").inner_text()
    page.wait_for_selector("#chart-children svg")
    assert "修武县" in page.locator(".breadcrumb").inner_text()
    screenshot(page, "dashboard_county_drilldown")
