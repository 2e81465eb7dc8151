"""The menu and the home page group what a role may open into a few sections (issue 21: "navigation
grouped into a few sections showing only what the role may use"), in one order for everyone."""

import re

import pytest
from django.urls import reverse

from core.context_processors import SECTIONS
from core.models import Role
from tests.conftest import CITY, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(regions):
    return make_user(Role.INSPECTOR, CITY, username="inspector_nav")


def _home(client, user):
    client.force_login(user)
    return client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans")


@pytest.mark.parametrize("persona", ["clerk", "leader", "inspector"])
def test_each_role_sees_its_entries_once_in_sections_in_one_order(client, request, persona):
    response = _home(client, request.getfixturevalue(persona))
    sections = response.context["nav_sections"]
    flat = response.context["nav_items"]
    # The home entry alone first, then named sections in the one order, none empty.
    assert sections[0]["label"] == ""
    assert [i["url"] for i in sections[0]["items"]] == ["/"]
    keys = [s["key"] for s in sections[1:]]
    assert keys == [k for k in SECTIONS if k in keys]
    assert all(s["items"] for s in sections)
    # Every entry the role may open is in exactly one section, and nothing else is.
    grouped = [i["url"] for s in sections for i in s["items"]]
    assert sorted(grouped) == sorted(i["url"] for i in flat)
    assert len(grouped) == len(set(grouped))
    # The page shows them so: the menu's groups named in Chinese, the home page's sections headed.
    body = response.content.decode()
    menu = body.split('id="mainnav"', 1)[1].split("</nav>", 1)[0]
    named = re.findall(r'role="group" aria-label="([^"]+)"', menu)
    assert named == [str(s["label"]) for s in sections[1:]]
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in named), named
    start = body.split('class="start"', 1)[1]
    assert re.findall(r'<h2 class="start-title">([^<]+)</h2>', start) == named


def test_a_clerk_and_an_inspector_see_different_sections(client, clerk, inspector):
    clerk_keys = {s["key"] for s in _home(client, clerk).context["nav_sections"]}
    inspector_keys = {s["key"] for s in _home(client, inspector).context["nav_sections"]}
    assert "households" in clerk_keys
    assert clerk_keys != inspector_keys
