"""An import through the API, as an integrator runs it with a token (issue 22): the status carries each
row's errors (row, column, reason), and the error report downloads with the same token — the report's
only address was the web page's, which sent a token's request to the login page."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ApiToken
from households.models import HouseholdImport
from households.tasks import run_import

from .test_excel_import import household_row, id_numbers, workbook
from .test_import_files_expire_and_are_encrypted import age

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def token(clerk) -> dict:
    _token, raw = ApiToken.issue(user=clerk, name="integration")
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


def upload(api_client, token, village, *, bad: int, seed: int) -> HouseholdImport:
    """One good household and `bad` households whose ID number is a digit short, posted with the
    token; then run as the worker runs it."""
    numbers = id_numbers(1 + bad, seed=seed)
    rows = [household_row(f"API{seed:02d}0", village.code, "张三", numbers[0])]
    rows += [
        household_row(f"API{seed:02d}{i}", village.code, "李四", n[:17]) for i, n in enumerate(numbers[1:], 1)
    ]
    response = api_client.post(
        "/api/v1/households/imports/",
        {"file": SimpleUploadedFile("villages.xlsx", workbook(rows)), "mode": "valid_rows"},
        format="multipart",
        **token,
    )
    assert response.status_code == 202, response.content
    run_import(response.json()["id"])
    return HouseholdImport.objects.get(pk=response.json()["id"])


def test_the_status_names_each_bad_row_and_the_report_downloads_with_the_token(
    api_client, token, xiuwu_village
):
    job = upload(api_client, token, xiuwu_village, bad=2, seed=2)
    status = api_client.get(f"/api/v1/households/imports/{job.pk}/", **token).json()
    assert (status["households_created"], status["error_rows"]) == (1, 2)
    assert [(e["row"], e["column"]) for e in status["errors"]] == [(3, "身份证号"), (4, "身份证号")]
    assert all(e["reason"] for e in status["errors"])
    assert status["errors_truncated"] is False
    report_url = f"/api/v1/households/imports/{job.pk}/error-report/"
    assert status["error_report_url"] == report_url
    report = api_client.get(report_url, **token)
    assert report.status_code == 200
    assert report["Content-Type"] == XLSX
    assert b"".join(report.streaming_content).startswith(b"PK\x03\x04")
    # The web page's address answers a token with the login page: the API's is the one to use.
    assert api_client.get(reverse("households:import_report", args=[job.pk]), **token).status_code == 302


def test_many_errors_are_capped_and_say_so(api_client, token, xiuwu_village, monkeypatch):
    monkeypatch.setattr("households.selectors.import_jobs.IMPORT_ERRORS_SHOWN", 2)
    job = upload(api_client, token, xiuwu_village, bad=3, seed=3)
    status = api_client.get(f"/api/v1/households/imports/{job.pk}/", **token).json()
    assert status["error_rows"] == 3
    assert [e["row"] for e in status["errors"]] == [3, 4]
    assert status["errors_truncated"] is True


def test_a_clean_import_has_no_errors_and_no_report(api_client, token, xiuwu_village):
    job = upload(api_client, token, xiuwu_village, bad=0, seed=4)
    status = api_client.get(f"/api/v1/households/imports/{job.pk}/", **token).json()
    assert (status["errors"], status["errors_truncated"], status["error_report_url"]) == ([], False, None)
    assert api_client.get(f"/api/v1/households/imports/{job.pk}/error-report/", **token).status_code == 404


def test_past_the_retention_period_the_report_is_gone_and_the_errors_with_it(
    api_client, token, xiuwu_village
):
    job = upload(api_client, token, xiuwu_village, bad=1, seed=5)
    age(job, 31)
    status = api_client.get(f"/api/v1/households/imports/{job.pk}/", **token).json()
    assert (status["errors"], status["error_report_url"], status["error_rows"]) == ([], None, 1)
    gone = api_client.get(f"/api/v1/households/imports/{job.pk}/error-report/", **token)
    assert gone.status_code == 410
    assert gone.json()["code"] == "gone"
    assert "按保存期限删除" in gone.json()["message"]


def test_another_countys_clerk_gets_404(api_client, token, xiuwu_village, other_clerk):
    job = upload(api_client, token, xiuwu_village, bad=1, seed=6)
    _token, raw = ApiToken.issue(user=other_clerk, name="other")
    other = {"HTTP_AUTHORIZATION": f"Token {raw}"}
    assert api_client.get(f"/api/v1/households/imports/{job.pk}/error-report/", **other).status_code == 404
