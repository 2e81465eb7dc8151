"""A clerk types a full ID number in the search box at the top of a page and presses Enter: the
household opens, and no address the browser visited holds the number (issue 15.9). A name typed
in the same box comes back as an ordinary list URL."""

import pytest

from core.models import Role
from tests.factories.households import household_with_members

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-123"


def test_the_search_box_opens_the_household_without_the_number_in_any_address(
    page, live_server, persona, login
):
    from core.roles import sync_roles

    sync_roles()
    clerk = persona(Role.COUNTY_CLERK, "410821000000", full_name="李查询")
    household = household_with_members(head_name="查找户主")
    number = household.members.get(relation="head").reveal_id_number()
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))
    login(page, clerk.username, PASSWORD)

    page.goto(f"{live_server.url}/")
    page.fill("#quick-q", number)
    page.press("#quick-q", "Enter")
    page.wait_for_url(f"{live_server.url}/households/{household.pk}/")
    assert "查找户主" in page.content()
    assert not [url for url in visited if number in url]

    page.fill("#quick-q", "查找")
    page.press("#quick-q", "Enter")
    page.wait_for_url(f"{live_server.url}/households/?q=*")
    assert "查找户主" in page.content()
