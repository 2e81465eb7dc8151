import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.demo import DEMO_PASSWORD, DEMO_USERS
from core.models import Officer, Region, Unit, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_database):
    """The demo (tests/demo_db.py: the run's demo template, copied for this module)."""


def test_seed_demo_twice_changes_nothing(demo):
    """The whole seed_demo (every app) over the demo as the tests seed it (one month of scores, not
    `make run`'s three): the first run completes it, the second must change no row of any table."""
    from django.apps import apps as django_apps

    def snapshot():
        counts = {m._meta.label: m._default_manager.count() for m in django_apps.get_models()
                  if m._meta.managed and not m._meta.proxy}  # fmt: skip
        return (
            counts,
            list(Region.objects.order_by("code").values_list("code", "name", "is_poor_village")),
            list(Unit.objects.order_by("id").values_list("id", "name", "updated_at")),
            list(Officer.objects.order_by("id").values_list("id", "name", "updated_at")),
            list(User.objects.order_by("id").values_list("id", "username", "password")),
        )

    call_command("seed_demo", stdout=io.StringIO())  # the months of scores the tests' seed leaves out
    before = snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    after = snapshot()
    # The dashboard's own aggregates are rebuilt on every run (same figures, new as-of row).
    before[0].pop("dashboard.FigureRefresh"), after[0].pop("dashboard.FigureRefresh")
    changed = {k: (before[0][k], after[0].get(k)) for k in before[0] if before[0][k] != after[0].get(k)}
    assert changed == {}
    assert after == before
    # The demo shows the people in the field (issue 18.1–18.3): 修武县's households to assist each
    # have a responsible officer and were visited, some too long ago; the work teams' days.
    from assistance.models import PresenceDay, Visit
    from assistance.selectors.fieldwork import with_visit_state
    from households.models import Household

    xiuwu = Household.objects.filter(
        village__code__startswith="410821", status__in=("registered", "returned")
    )
    assert xiuwu.exists()
    assert not xiuwu.filter(assistance_officer__isnull=True).exists()
    assert Visit.objects.filter(household__in=xiuwu).values("household").distinct().count() == xiuwu.count()
    assert with_visit_state(xiuwu).filter(visit_overdue=True).exists()
    assert PresenceDay.objects.filter(village__code__startswith="410821").exists()


def test_login_page_is_chinese_by_default(client):
    body = client.get(reverse("login")).content.decode()
    assert "登录" in body
    assert 'lang="zh-hans"' in body


def test_login_page_in_english_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("login")).content.decode()
    assert "Log in" in body


@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS])
def test_each_demo_user_can_log_in(client, demo, username):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_shows_error_in_chinese(client, demo):
    body = client.post(reverse("login"), {"username": "clerk", "password": "wrong"}).content.decode()
    assert "请输入一个正确的" in body or "用户名和密码" in body


def test_demo_city_has_real_counties_and_townships(demo):
    counties = set(
        Region.objects.filter(level="county", code__startswith="4108").values_list("code", flat=True)
    )
    assert {c[:6] for c in counties} == {
        "410802", "410803", "410804", "410811", "410821", "410822", "410823", "410825", "410871", "410882", "410883",
    }  # fmt: skip
    assert Region.objects.filter(level="township", code__startswith="4108").count() == 112
    assert Region.objects.get(code="410821000000").name == "修武县"


def test_home_shows_navigation_for_role(client, demo):
    client.force_login(User.objects.get(username="clerk"))
    body = client.get(reverse("home")).content.decode()
    assert reverse("core:officer_list") in body


def test_error_pages_are_chinese(client, clerk):
    client.force_login(clerk)
    body = client.get("/no-such-page/").content.decode()
    assert "页面不存在" in body or "不存在" in body
