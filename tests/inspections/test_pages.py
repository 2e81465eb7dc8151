"""The inspector's and the county's pages render and their forms work (errors beside the field)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import Finding, FindingSource, RectificationItem, VisitPlan
from tests.factories.inspections import FindingFactory

pytestmark = pytest.mark.django_db


def test_inspector_draws_a_plan_on_the_page(client, inspector, group, xiuwu, xiuwu_households):
    client.force_login(inspector)
    assert client.get(reverse("inspections:plan_create")).status_code == 200
    response = client.post(reverse("inspections:plan_create"), {
        "group": group.pk, "county": xiuwu.code, "month": "2017-05-01", "townships": 2,
        "villages_per_township": 1, "households_per_village": 2,
    })  # fmt: skip
    plan = VisitPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:plan_detail", args=[plan.pk])
    page = client.get(response["Location"])
    assert "保密" in page.content.decode()
    bad = client.post(reverse("inspections:plan_create"), {"group": group.pk, "county": xiuwu.code, "month": "",
                                                           "townships": 50, "villages_per_township": 1,
                                                           "households_per_village": 1})  # fmt: skip
    assert bad.status_code == 400
    assert bad.context["form"].errors.keys() >= {"month", "townships"}


def test_clerk_cannot_open_the_draw_page(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("inspections:plan_create")).status_code == 403


def test_inspector_records_a_media_finding_and_assigns_an_item(client, inspector, xiuwu, xiuwu_office):
    client.force_login(inspector)
    assert client.get(reverse("inspections:finding_create")).status_code == 200
    response = client.post(reverse("inspections:finding_create"), {
        "source": FindingSource.MEDIA_PROVINCIAL, "source_reference": "河南日报 2017-05-02", "county": xiuwu.code,
        "category": "funds", "severity": "grave", "description": "扶贫资金被截留", "responsible_unit": xiuwu_office.pk,
    })  # fmt: skip
    assert response.status_code == 302
    finding = Finding.objects.get()
    url = reverse("inspections:finding_detail", args=[finding.pk])
    deadline = (timezone.localdate() + dt.timedelta(days=15)).isoformat()
    response = client.post(url, {"action": "add_item", "responsible_unit": xiuwu_office.pk, "kind": "key",
                                 "deadline": deadline, "description": "追回资金并问责"})  # fmt: skip
    assert response.status_code == 302
    assert RectificationItem.objects.get().kind == "key"
    past = client.post(url, {"action": "add_item", "responsible_unit": xiuwu_office.pk, "kind": "key",
                             "deadline": "2000-01-01", "description": "x"})  # fmt: skip
    assert past.status_code == 400
    assert "deadline" in past.context["item_form"].errors


@pytest.mark.parametrize(
    "name",
    ["finding_list", "plan_list", "report_list", "item_list", "notification_list", "problem_list_list"],
)
def test_list_pages_render_for_every_role(client, inspector, clerk, leader, name):
    FindingFactory()
    for user in (inspector, clerk, leader):
        client.force_login(user)
        response = client.get(reverse(f"inspections:{name}"))
        assert response.status_code == 200, (user, name)
        assert "<h1>" in response.content.decode()


def test_leader_cannot_post(client, leader, xiuwu_office):
    item_finding = FindingFactory()
    client.force_login(leader)
    response = client.post(
        reverse("inspections:finding_detail", args=[item_finding.pk]), {"action": "confirm"}
    )
    assert response.status_code == 403
