"""Every page and endpoint with an id: another county's rows are 404 (as if they did not exist)."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from core.models import Region, UnitKind
from inspections import services
from inspections.models import FindingPhoto, Notification, ProblemAnswer, ProblemListRecipient
from tests.factories.core import UnitFactory
from tests.factories.inspections import jpeg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def xiuwu_rows(inspector, xiuwu_households, xiuwu_office):
    from tests.inspections.test_province_problem_list import good_rows, workbook

    county = Region.objects.get(code="410821000000")
    plan = services.visit_plan_draw(actor=inspector, group=inspector.officer.inspection_groups.get(), county=county,
                                    month=dt.date(2017, 5, 1))  # fmt: skip
    village = plan.targets.filter(kind="village").first().region
    report, _ = services.visit_report_submit(actor=inspector, data={
        "client_uuid": str(uuid.uuid4()), "plan": plan.pk, "village": village.code,
        "visit_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "place": village.name,
        "findings": [{"category": "funds", "description": "资金拨付滞后", "responsible_unit": xiuwu_office.pk}],
    })  # fmt: skip
    finding = report.findings.get()
    photo, _ = services.finding_photo_add(
        actor=inspector, finding=finding, client_uuid=uuid.uuid4(), upload=jpeg_upload()
    )
    services.visit_report_file(actor=inspector, report=report)
    finding.refresh_from_db()
    item = services.rectification_item_create(
        actor=inspector, finding=finding, responsible_unit=xiuwu_office,
        deadline=timezone.localdate() + dt.timedelta(days=5), description="限期拨付",
    )  # fmt: skip
    gov = UnitFactory(region=county, name="修武县人民政府", kind=UnitKind.GOVERNMENT)
    plist = services.problem_list_import(
        actor=inspector, upload=workbook(good_rows(2)), title="清单", issued_on=dt.date(2017, 5, 1),
        answer_deadline=dt.date(2017, 6, 1),
    )  # fmt: skip
    services.problem_list_send(actor=inspector, problem_list=plist, units=[gov])
    recipient = ProblemListRecipient.objects.get(unit=gov)
    return {
        "plan": plan, "report": report, "finding": finding, "photo": photo, "item": item, "plist": plist,
        "recipient": recipient, "answer": ProblemAnswer.objects.filter(recipient=recipient).first(),
        "note": Notification.objects.filter(item=item).first(),
    }  # fmt: skip


def page_urls(r):
    return [
        f"/inspections/plans/{r['plan'].pk}/",
        f"/inspections/plans/{r['plan'].pk}/?verify=1",
        f"/inspections/reports/{r['report'].pk}/",
        f"/inspections/findings/{r['finding'].pk}/",
        f"/inspections/photos/{r['photo'].pk}/",
        f"/inspections/ledger/{r['item'].pk}/",
        f"/inspections/recipients/{r['recipient'].pk}/",
    ]


def api_urls(r):
    return [
        f"/api/v1/inspections/plans/{r['plan'].pk}/",
        f"/api/v1/inspections/plans/{r['plan'].pk}/verify/",
        f"/api/v1/inspections/reports/{r['report'].pk}/",
        f"/api/v1/inspections/findings/{r['finding'].pk}/",
        f"/api/v1/inspections/items/{r['item'].pk}/",
        f"/api/v1/inspections/problem-lists/{r['plist'].pk}/recipients/",
        f"/api/v1/inspections/recipients/{r['recipient'].pk}/answers/",
    ]


def test_own_county_clerk_can_open_them(client, api_as, clerk, xiuwu_rows):
    client.force_login(clerk)
    for url in page_urls(xiuwu_rows):
        assert client.get(url).status_code == 200, url
    api = api_as(clerk)
    for url in api_urls(xiuwu_rows):
        assert api.get(url).status_code == 200, url


def test_other_county_gets_404_on_every_page(client, other_clerk, xiuwu_rows):
    client.force_login(other_clerk)
    for url in page_urls(xiuwu_rows):
        assert client.get(url).status_code == 404, url
    r = xiuwu_rows
    posts = [
        (f"/inspections/ledger/{r['item'].pk}/", {"action": "submit", "evidence_note": "x"}),
        (f"/inspections/findings/{r['finding'].pk}/", {"action": "confirm"}),
        (f"/inspections/recipients/{r['recipient'].pk}/", {"answer": r["answer"].pk, "status": "absent"}),
        ("/inspections/notifications/", {"id": r["note"].pk}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    r["item"].refresh_from_db()
    assert r["item"].status == "open"


def test_other_county_gets_404_on_every_endpoint(api_as, other_clerk, xiuwu_rows):
    api = api_as(other_clerk)
    for url in api_urls(xiuwu_rows):
        assert api.get(url).status_code == 404, url
    r = xiuwu_rows
    for url, data in [
        (f"/api/v1/inspections/items/{r['item'].pk}/submit/", {"evidence_note": "x"}),
        (f"/api/v1/inspections/answers/{r['answer'].pk}/", {"status": "absent"}),
        (f"/api/v1/inspections/notifications/{r['note'].pk}/read/", {}),
    ]:
        assert api.post(url, data, format="json").status_code == 404, url
    for url in ["plans/", "reports/", "findings/", "items/", "notifications/", "problem-lists/"]:
        assert api.get(f"/api/v1/inspections/{url}").json()["results"] == [], url


def test_photo_file_is_not_under_a_public_url(xiuwu_rows, settings):
    photo = FindingPhoto.objects.get()
    assert not photo.file.url.startswith(settings.STATIC_URL)
    from django.test import Client

    assert Client().get(photo.file.url).status_code == 404
