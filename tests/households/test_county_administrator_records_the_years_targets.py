"""Issue 18.5 as the county administrator and the city's administrator: the year's targets are recorded
(page and API), changed with their history, refused outside the county and with bad input; last year's
reported results are recorded, labelled, only for a past year and with their source."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from core.history import history_for
from core.models import Role
from households.models import ExitTarget

pytestmark = pytest.mark.django_db

XIUWU, BOAI, CITY = "410821000000", "410822000000", "410800000000"
YEAR = timezone.localdate().year


@pytest.fixture
def county_admin(persona):
    return persona(Role.COUNTY_ADMIN, XIUWU, username="countyadmin_xiuwu")


def test_county_administrator_records_and_changes_the_countys_targets_with_history(client, county_admin):
    client.force_login(county_admin)
    url = reverse("households:target_record", args=[XIUWU, YEAR])
    assert client.get(url).status_code == 200
    response = client.post(url, {"people": "3200", "households": "1050", "villages": "12"})
    assert response.status_code == 302
    target = ExitTarget.objects.get(region_id=XIUWU, year=YEAR)
    assert (target.people, target.households, target.villages) == (3200, 1050, 12)
    assert target.recorded_by == county_admin

    client.post(url, {"people": "3500", "households": "1100", "villages": "12", "note": "市里调整任务"})
    target.refresh_from_db()
    assert target.people == 3500
    events = history_for(target)
    assert [e.label for e in events] == ["update", "insert"]
    assert ("people", 3200, 3500) in events[0].changes
    # The list shows the row and the page keeps the history beside the form.
    listing = client.get(reverse("households:targets"), {"year": YEAR}).content.decode()
    assert "3500" in listing.split(f'data-region="{XIUWU}"')[1].split("</tr>")[0]
    assert "3200" in client.get(url).content.decode()


def test_county_administrator_cannot_record_the_city_or_another_county(client, county_admin):
    client.force_login(county_admin)
    for code in (CITY, BOAI):
        url = reverse("households:target_record", args=[code, YEAR])
        assert client.get(url).status_code == 404
        assert client.post(url, {"people": "1"}).status_code == 404
    assert not ExitTarget.objects.exists()


def test_leader_and_clerk_read_the_targets_but_do_not_record_them(client, leader, clerk):
    for user in (leader, clerk):
        client.force_login(user)
        assert client.get(reverse("households:targets")).status_code == 200
        url = reverse("households:target_record", args=[XIUWU, YEAR])
        assert client.post(url, {"people": "1"}).status_code == 403
    assert not ExitTarget.objects.exists()


def test_bad_input_names_the_field_and_saves_nothing(client, county_admin):
    client.force_login(county_admin)
    url = reverse("households:target_record", args=[XIUWU, YEAR])
    response = client.post(url, {"people": "-5"})
    assert response.status_code == 400
    assert response.context["form"].errors["people"]
    response = client.post(url, {})
    assert response.status_code == 400
    assert "至少" in response.content.decode() or response.context["form"].errors
    # This year's results are counted from the register: recording them by hand is refused.
    response = client.post(url, {"people": "10", "achieved_people": "10", "achieved_source": "县报告"})
    assert response.status_code == 400
    assert response.context["form"].errors["achieved_people"]
    assert not ExitTarget.objects.exists()


def test_administrator_records_the_citys_target_and_last_years_reported_results(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("households:target_record", args=[CITY, YEAR]), {"people": "12000", "villages": "40"})
    last = reverse("households:target_record", args=[CITY, YEAR - 1])
    # Results without their source are refused.
    response = client.post(last, {"achieved_people": "15000", "achieved_villages": "48"})
    assert response.status_code == 400
    assert response.context["form"].errors["achieved_source"]
    client.post(
        last, {"achieved_people": "15000", "achieved_villages": "48", "achieved_source": "市第三次推进会报告"}
    )
    recorded = ExitTarget.objects.get(region_id=CITY, year=YEAR - 1)
    assert (recorded.achieved_people, recorded.achieved_villages, recorded.people) == (15000, 48, None)
    assert ExitTarget.objects.get(region_id=CITY, year=YEAR).people == 12000


def test_county_administrator_records_through_the_api(api_as, county_admin, leader):
    api = api_as(county_admin)
    response = api.post(
        "/api/v1/households/targets/", {"region": XIUWU, "year": YEAR, "households": 900}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["households"] == 900
    assert (
        api.post(
            "/api/v1/households/targets/", {"region": CITY, "year": YEAR, "people": 1}, format="json"
        ).status_code
        == 404
    )
    bad = api.post("/api/v1/households/targets/", {"region": XIUWU, "year": YEAR}, format="json")
    assert bad.status_code == 400
    assert "people" in bad.json()["errors"] or "people" in str(bad.json())
    rows = api_as(leader).get("/api/v1/households/targets/", {"year": YEAR}).json()
    assert [(r["region"], r["households"]) for r in rows] == [(XIUWU, 900)]
    assert (
        api_as(leader)
        .post("/api/v1/households/targets/", {"region": XIUWU, "year": YEAR, "people": 1}, format="json")
        .status_code
        == 403
    )
