"""Reports filed from phones: a retry with the same client key never duplicates anything."""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inspections.models import Finding, FindingPhoto, FindingStatus, ReportStatus, VisitReport
from tests.factories.inspections import jpeg_file

pytestmark = pytest.mark.django_db


def payload(village, **extra):
    return {
        "client_uuid": str(uuid.uuid4()),
        "village": village.code,
        "visit_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "place": f"{village.name}",
        "households_visited_count": 5,
        "findings": [
            {
                "client_uuid": str(uuid.uuid4()),
                "category": "assistance",
                "severity": "minor",
                "description": "帮扶措施与致贫原因不符",
            },
            {
                "client_uuid": str(uuid.uuid4()),
                "category": "files",
                "severity": "serious",
                "description": "档卡信息填写不全",
            },
        ],
        **extra,
    }


def test_same_submission_twice_creates_one_report(api_as, inspector, xiuwu_village):
    api = api_as(inspector)
    body = payload(xiuwu_village)
    first = api.post("/api/v1/inspections/reports/submit/", body, format="json")
    second = api.post("/api/v1/inspections/reports/submit/", body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert VisitReport.objects.count() == 1
    assert Finding.objects.count() == 2
    assert VisitReport.objects.get().county_id == "410821000000"


def test_a_late_retry_after_filing_changes_nothing(api_as, inspector, xiuwu_village):
    api = api_as(inspector)
    body = payload(xiuwu_village, file=True)
    assert api.post("/api/v1/inspections/reports/submit/", body, format="json").status_code == 201
    report = VisitReport.objects.get()
    assert report.status == ReportStatus.FILED
    assert set(report.findings.values_list("status", flat=True)) == {FindingStatus.CONFIRMED}
    body["place"] = "改过的地点"
    body["findings"].append({"category": "conduct", "description": "新增"})
    assert api.post("/api/v1/inspections/reports/submit/", body, format="json").status_code == 200
    report.refresh_from_db()
    assert report.place != "改过的地点"
    assert Finding.objects.count() == 2
    # filing again is harmless
    assert api.post(f"/api/v1/inspections/reports/{report.pk}/file/").status_code == 200


def test_photo_retry_stores_one_photo_and_is_served_with_permission(
    client, api_as, inspector, clerk, other_clerk, xiuwu_village
):
    api = api_as(inspector)
    report = api.post("/api/v1/inspections/reports/submit/", payload(xiuwu_village), format="json").json()
    finding_id = report["findings"][0]["id"]
    key = str(uuid.uuid4())
    url = f"/api/v1/inspections/findings/{finding_id}/photos/"
    r1 = api.post(url, {"client_uuid": key, "photo": jpeg_file()}, format="multipart")
    r2 = api.post(url, {"client_uuid": key, "photo": jpeg_file()}, format="multipart")
    assert (r1.status_code, r2.status_code) == (201, 200)
    assert FindingPhoto.objects.count() == 1
    photo = FindingPhoto.objects.get()
    assert photo.file.path.startswith(str(photo.file.storage.location))
    api.post(f"/api/v1/inspections/reports/{report['id']}/file/")

    photo_url = reverse("inspections:photo", args=[photo.pk])
    assert client.get(photo_url).status_code in (302, 403)  # anonymous
    client.force_login(other_clerk)
    assert client.get(photo_url).status_code == 404
    client.force_login(clerk)
    response = client.get(photo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "content", "message_part"),
    [
        ("note.jpg", b"hello, I am not a picture", ".jpg"),  # core.uploads: "not a .jpg file"
        ("script.png", b"<script>alert(1)</script>", ".png"),
        ("big.jpg", b"\xff\xd8\xff" + b"\x00" * (8 * 1024 * 1024 + 1), "8"),
    ],
)
def test_photo_type_and_size_are_checked(api_as, inspector, xiuwu_village, name, content, message_part):
    api = api_as(inspector)
    report = api.post("/api/v1/inspections/reports/submit/", payload(xiuwu_village), format="json").json()
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = api.post(
        f"/api/v1/inspections/findings/{report['findings'][0]['id']}/photos/",
        {"client_uuid": str(uuid.uuid4()), "photo": upload},
        format="multipart",
    )
    assert response.status_code == 400
    assert "photo" in response.json()["errors"]
    assert message_part in response.json()["message"]
    assert FindingPhoto.objects.count() == 0


def test_bad_input_names_the_field_and_saves_nothing(api_as, inspector, xiuwu_village):
    api = api_as(inspector)
    body = payload(xiuwu_village)
    body["findings"][1]["category"] = "nonsense"
    response = api.post("/api/v1/inspections/reports/submit/", body, format="json")
    assert response.status_code == 400
    assert "findings.1.category" in response.json()["errors"]
    body = payload(xiuwu_village)
    body["findings"][1]["description"] = "  "
    response = api.post("/api/v1/inspections/reports/submit/", body, format="json")
    assert response.status_code == 400
    assert "findings.1.description" in response.json()["errors"]
    body = payload(xiuwu_village, visit_date=(timezone.localdate() + dt.timedelta(days=2)).isoformat())
    assert (
        "visit_date" in api.post("/api/v1/inspections/reports/submit/", body, format="json").json()["errors"]
    )
    assert VisitReport.objects.count() == 0
    assert Finding.objects.count() == 0


def test_county_clerk_cannot_file_reports(api_as, clerk, xiuwu_village):
    response = api_as(clerk).post(
        "/api/v1/inspections/reports/submit/", payload(xiuwu_village), format="json"
    )
    assert response.status_code == 403
    assert VisitReport.objects.count() == 0


def test_filing_page_is_for_city_inspectors_only(client, inspector, clerk):
    client.force_login(inspector)
    response = client.get(reverse("inspections:report_file"))
    assert response.status_code == 200
    assert 'name="viewport"' in response.content.decode()
    assert "<script>" not in response.content.decode()  # CSP: no inline scripts
    client.force_login(clerk)
    assert client.get(reverse("inspections:report_file")).status_code == 403
    sw = client.get(reverse("inspections:service_worker"))
    assert sw["Service-Worker-Allowed"] == "/inspections/"
