"""The new-household form fits a 1440 × 900 window (issue 21: it was 1603 px wide): the members table
wraps its inputs instead of pushing the page sideways, and no part of the form needs a horizontal
scroll of the window."""

import pytest

from core.models import Role
from tests.factories.households import ensure_poverty_lines

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-123"


@pytest.mark.parametrize("width", [1440, 1280])
def test_the_new_household_form_fits_a_desktop_window(page, live_server, persona, login, screenshot, width):
    from core.roles import sync_roles

    sync_roles()
    ensure_poverty_lines()
    clerk = persona(Role.COUNTY_CLERK, "410821000000", full_name="李录入")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, clerk.username, PASSWORD)
    page.goto(f"{live_server.url}/households/new/")
    page.click("#add-member")  # a third member row: the table keeps its width
    wide = page.evaluate(
        """() => [...document.querySelectorAll('#household-form *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
              .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
    assert wide == []
    # Every member field is still there to type in (none hidden to make it fit).
    for name in ("name", "id_number", "relation", "education", "labour_ability", "migrant_months"):
        box = page.locator(f"#id_members-0-{name}").bounding_box()
        assert box, name
        assert box["width"] >= 40, name
    screenshot(page, f"household-form-{width}")
