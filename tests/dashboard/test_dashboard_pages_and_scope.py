import pytest
from django.conf import settings
from django.urls import reverse

from core.models import Role
from dashboard.services import figures_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_leader(persona):
    return persona(Role.LEADER, "410821000000")


def test_leader_sees_city_overview_with_counties(client, city_data, leader):
    figures_refresh()
    client.force_login(leader)
    body = client.get(reverse("dashboard:overview")).content.decode()
    assert "修武县" in body
    assert "博爱县" in body
    assert 'id="dashboard-data"' in body


def test_drill_down_page_shows_townships(client, city_data, leader):
    figures_refresh()
    client.force_login(leader)
    response = client.get(reverse("dashboard:region", args=["410821000000"]))
    assert response.status_code == 200
    township = city_data[0].parent
    assert township.name in response.content.decode()


def test_rows_page_lists_households(client, city_data, leader):
    figures_refresh()
    client.force_login(leader)
    response = client.get(
        reverse("dashboard:rows", args=["410821000000", "households"]), {"key": "registered"}
    )
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 0


@pytest.mark.parametrize("code", ["410822000000", "410800000000"])
def test_county_user_cannot_open_other_or_higher_regions(client, api_as, city_data, county_leader, code):
    figures_refresh()
    client.force_login(county_leader)
    assert client.get(reverse("dashboard:region", args=[code])).status_code == 404
    assert (
        client.get(reverse("dashboard:rows", args=[code, "households"]), {"key": "registered"}).status_code
        == 404
    )
    assert api_as(county_leader).get("/api/v1/dashboard/overview/", {"region": code}).status_code == 404


def test_bad_metric_or_key_is_404(client, city_data, leader):
    client.force_login(leader)
    assert client.get(reverse("dashboard:rows", args=["410821000000", "nope"])).status_code == 404
    assert (
        client.get(
            reverse("dashboard:rows", args=["410821000000", "exits_year"]), {"key": "20x7"}
        ).status_code
        == 404
    )


def test_api_overview_matches_page_figures(api_as, city_data, leader):
    figures_refresh()
    body = api_as(leader).get("/api/v1/dashboard/overview/", {"region": "410821000000"}).json()
    assert body["region"]["code"] == "410821000000"
    assert body["as_of"] is not None
    from households.models import Household

    registered = Household.objects.filter(village__code__startswith="410821", status="registered").count()
    assert float(body["figures"]["households"]["registered"]) == registered
    assert {c["region"]["level"] for c in body["children"]} == {"township"}


def test_clerk_without_dashboard_role_gets_403(client, other_clerk, persona):
    user = persona(Role.FIRST_SECRETARY, "410821000000")
    client.force_login(user)
    assert client.get(reverse("dashboard:overview")).status_code == 403


def test_empty_state_before_first_refresh(client, leader):
    client.force_login(leader)
    body = client.get(reverse("dashboard:overview")).content.decode()
    assert "尚未" in body or "have not been computed" in body


def test_every_chart_axis_names_its_unit(client, city_data, leader):
    """STYLE.md: a unit on every chart axis (issue 21) — the charts' data carries each value axis's unit."""
    import json
    import re

    figures_refresh()
    client.force_login(leader)
    body = client.get(reverse("dashboard:overview"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    data = json.loads(re.search(r'<script[^>]*id="dashboard-data"[^>]*>(.*?)</script>', body, re.S).group(1))
    assert (data["trend"]["unit"], data["money_trend"]["unit"], data["children"]["unit"]) == (
        "户数（户）",
        "金额（元）",
        "户数（户）",
    )
    script = (settings.BASE_DIR / "dashboard" / "static" / "dashboard" / "dashboard.js").read_text()
    # Each value axis the script draws takes the unit the page gives it (the pies have no axes).
    axes = re.findall(r'yAxis: \{ type: "value"[^}]*\}', script)
    assert len(axes) == 3
    assert all("name: data." in axis for axis in axes), axes
