"""The inspections API: keyset pagination, updated_after, read-only leaders, errors naming the field."""

import datetime as dt

import pytest
from django.utils import timezone

from inspections.models import Finding
from tests.factories.inspections import FindingFactory, RectificationItemFactory

pytestmark = pytest.mark.django_db


def test_findings_are_keyset_paginated_and_accept_updated_after(api_as, clerk):
    rows = [FindingFactory() for _ in range(7)]
    api = api_as(clerk)
    first = api.get("/api/v1/inspections/findings/", {"page_size": 5}).json()
    assert len(first["results"]) == 5
    assert "cursor=" in first["next"]
    second = api.get(first["next"]).json()
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert sorted(ids) == sorted(r.pk for r in rows)
    Finding.objects.filter(pk=rows[0].pk).update(updated_at=timezone.now() + dt.timedelta(minutes=5))
    cutoff = (timezone.now() + dt.timedelta(minutes=1)).isoformat()
    changed = api.get("/api/v1/inspections/findings/", {"updated_after": cutoff}).json()["results"]
    assert [r["id"] for r in changed] == [rows[0].pk]


def test_items_filter_overdue(api_as, clerk, xiuwu_office):
    late = RectificationItemFactory(responsible_unit=xiuwu_office, overdue_since=timezone.localdate())
    RectificationItemFactory(responsible_unit=xiuwu_office)
    results = api_as(clerk).get("/api/v1/inspections/items/", {"overdue": "true"}).json()["results"]
    assert [r["id"] for r in results] == [late.pk]


def test_leader_reads_but_cannot_write(api_as, leader, xiuwu_office):
    item = RectificationItemFactory(responsible_unit=xiuwu_office)
    api = api_as(leader)
    assert api.get(f"/api/v1/inspections/items/{item.pk}/").status_code == 200
    assert (
        api.post(
            f"/api/v1/inspections/items/{item.pk}/submit/", {"evidence_note": "x"}, format="json"
        ).status_code
        == 403
    )
    assert api.post("/api/v1/inspections/reports/submit/", {}, format="json").status_code == 403


def test_finding_create_names_the_bad_field(api_as, inspector):
    response = api_as(inspector).post(
        "/api/v1/inspections/findings/",
        {"source": "media_central", "county": "410821000000", "category": "funds", "description": " "},
        format="json",
    )
    assert response.status_code == 400
    assert "description" in response.json()["errors"]
    ok = api_as(inspector).post(
        "/api/v1/inspections/findings/",
        {"source": "media_central", "source_reference": "央视新闻 2017-05-03", "county": "410821000000",
         "category": "funds", "description": "扶贫资金被挪用"},
        format="json",
    )  # fmt: skip
    assert ok.status_code == 201
    assert ok.json()["status"] == "confirmed"


def test_openapi_schema_includes_inspections(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/inspections/reports/submit/" in response.content
