"""A user sees only rows under their region (404 outside it); leaders read all and change nothing."""

import pytest
from django.urls import reverse

from core.models import Officer

pytestmark = pytest.mark.django_db


def test_clerk_lists_only_own_county_officers_on_page(client, clerk, xiuwu_officer, boai_officer):
    client.force_login(clerk)
    response = client.get(reverse("core:officer_list"))
    assert response.status_code == 200
    ids = {o.pk for o in response.context["page"]}
    assert xiuwu_officer.pk in ids
    assert boai_officer.pk not in ids


@pytest.mark.parametrize("url_name", ["core:officer_detail", "core:officer_edit"])
def test_clerk_gets_404_for_other_county_officer_page(client, clerk, boai_officer, url_name):
    client.force_login(clerk)
    assert client.get(reverse(url_name, args=[boai_officer.pk])).status_code == 404


def test_clerk_cannot_change_other_county_officer_by_guessing_id(client, clerk, boai_officer):
    client.force_login(clerk)
    response = client.post(
        reverse("core:officer_edit", args=[boai_officer.pk]), {"name": "篡改", "position": "x"}
    )
    assert response.status_code == 404
    boai_officer.refresh_from_db()
    assert boai_officer.name != "篡改"


def test_clerk_can_change_own_county_officer(client, clerk, xiuwu_officer):
    client.force_login(clerk)
    response = client.post(
        reverse("core:officer_edit", args=[xiuwu_officer.pk]),
        {"name": "新名字", "position": "副局长", "phone": "", "is_active": "on"},
    )
    assert response.status_code == 302
    xiuwu_officer.refresh_from_db()
    assert (xiuwu_officer.name, xiuwu_officer.position) == ("新名字", "副局长")


def test_unknown_id_and_other_county_id_look_the_same(client, clerk, boai_officer):
    client.force_login(clerk)
    missing = client.get(reverse("core:officer_detail", args=[10**9]))
    hidden = client.get(reverse("core:officer_detail", args=[boai_officer.pk]))
    assert missing.status_code == hidden.status_code == 404


def test_api_list_is_scoped(api_as, clerk, xiuwu_officer, boai_officer):
    response = api_as(clerk).get("/api/v1/officers/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert xiuwu_officer.pk in ids
    assert boai_officer.pk not in ids


def test_api_retrieve_and_patch_other_county_is_404(api_as, clerk, boai_officer):
    client = api_as(clerk)
    assert client.get(f"/api/v1/officers/{boai_officer.pk}/").status_code == 404
    response = client.patch(f"/api/v1/officers/{boai_officer.pk}/", {"name": "篡改"}, format="json")
    assert response.status_code == 404
    assert Officer.objects.get(pk=boai_officer.pk).name != "篡改"


def test_api_regions_are_scoped(api_as, clerk):
    rows = api_as(clerk).get("/api/v1/regions/", {"level": "county"}).json()["results"]
    assert [r["code"] for r in rows] == ["410821000000"]


def test_leader_reads_every_county(client, api_as, leader, xiuwu_officer, boai_officer):
    client.force_login(leader)
    for officer in (xiuwu_officer, boai_officer):
        assert client.get(reverse("core:officer_detail", args=[officer.pk])).status_code == 200
    ids = {r["id"] for r in api_as(leader).get("/api/v1/officers/", {"page_size": 500}).json()["results"]}
    assert {xiuwu_officer.pk, boai_officer.pk} <= ids


def test_leader_changes_nothing(client, api_as, leader, xiuwu_officer):
    client.force_login(leader)
    page = client.post(
        reverse("core:officer_edit", args=[xiuwu_officer.pk]), {"name": "领导改", "position": "x"}
    )
    api = api_as(leader).patch(f"/api/v1/officers/{xiuwu_officer.pk}/", {"name": "领导改"}, format="json")
    assert page.status_code == 403
    assert api.status_code == 403
    assert Officer.objects.get(pk=xiuwu_officer.pk).name != "领导改"


def test_leader_refused_by_service_too(leader, xiuwu_officer):
    from core.exceptions import ReadOnlyActor
    from core.services import officer_update

    with pytest.raises(ReadOnlyActor):
        officer_update(officer=xiuwu_officer, actor=leader, data={"name": "领导改"})


def test_user_without_region_sees_nothing(api_as, persona, xiuwu_officer):
    from core.models import Role

    stray = persona(Role.COUNTY_CLERK, None)
    assert api_as(stray).get("/api/v1/officers/").json()["results"] == []


def test_change_is_kept_in_history(client, clerk, xiuwu_officer):
    from core.history import history_for

    client.force_login(clerk)
    client.post(
        reverse("core:officer_edit", args=[xiuwu_officer.pk]),
        {"name": "改后", "position": xiuwu_officer.position, "phone": "", "is_active": "on"},
    )
    entries = history_for(xiuwu_officer)
    change = next(e for e in entries if e.label == "update")
    assert change.actor == str(clerk)
    assert ("name", xiuwu_officer.name, "改后") in change.changes
