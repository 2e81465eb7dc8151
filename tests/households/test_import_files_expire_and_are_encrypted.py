"""Import workbooks and their error reports hold full ID numbers: stored encrypted with the PII key,
read decrypted by the worker, deleted UPLOAD_RETENTION_DAYS after the upload by a daily job, and
an expired one says so in Chinese when someone opens it (issue 15.3)."""

import datetime as dt
import logging
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.urls import reverse
from django.utils import timezone

from core.uploads import protected_path, read_stored
from households.models import Household, HouseholdImport, ImportStatus
from households.tasks import purge_expired_imports, run_import

from .test_excel_import import household_row, id_numbers, start, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def an_import_with_errors(clerk, village, *, seed):
    good, bad = id_numbers(2, seed=seed)
    rows = [
        household_row(f"EX{seed:03d}1", village.code, "张三", good),
        household_row(f"EX{seed:03d}2", village.code, "李四", bad[:17]),  # a number one digit short
    ]
    job = start(clerk, workbook(rows), "valid_rows")
    assert (job.status, job.households_created, job.error_rows) == (ImportStatus.DONE, 1, 1)
    return job, good


def age(job, days):
    HouseholdImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    job.refresh_from_db()


def test_the_workbook_and_the_error_report_are_encrypted_at_rest(clerk, xiuwu_village, media):
    job, _ = an_import_with_errors(clerk, xiuwu_village, seed=11)
    for stored in (job.file.name, job.error_report.name):
        on_disk = protected_path(stored).read_bytes()
        assert on_disk.startswith(b"gAAAAA")  # a Fernet token: core.pii.encrypt_bytes
        assert read_stored(stored).startswith(b"PK\x03\x04")  # the worker and the download read it decrypted
        assert "import" not in Path(stored).name  # a random name
    assert Household.objects.filter(file_number="EX0111").exists()


def test_a_workbook_stored_before_encryption_is_still_imported(clerk, xiuwu_village, media):
    """Files uploaded before this change are plain: told apart by their first bytes.
    (id_numbers' seeds give birth dates 1950 + seed × 1000 days: kept below 20.)"""
    number = id_numbers(1, seed=12)[0]
    job = HouseholdImport.objects.create(file_name="old.xlsx", created_by=clerk, region_id=clerk.region_id)
    path = media / "households" / "imports" / "legacy.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(workbook([household_row("EX0121", xiuwu_village.code, "王五", number)]))
    HouseholdImport.objects.filter(pk=job.pk).update(file="households/imports/legacy.xlsx")
    run_import(job.pk)
    job.refresh_from_db()
    assert (job.status, job.households_created) == (ImportStatus.DONE, 1)


def test_the_daily_job_deletes_expired_files_once_and_says_what_it_did(
    clerk, xiuwu_village, media, settings, caplog
):
    assert settings.UPLOAD_RETENTION_DAYS == 30
    old, _ = an_import_with_errors(clerk, xiuwu_village, seed=13)
    recent, _ = an_import_with_errors(clerk, xiuwu_village, seed=14)
    age(old, 31)
    age(recent, 29)
    old_paths = [protected_path(old.file.name), protected_path(old.error_report.name)]
    with caplog.at_level(logging.INFO, logger="households.imports"):
        assert purge_expired_imports() == {"imports": 1, "files_deleted": 2}
    assert "1 imports older than 30 days cleared, 2 files deleted" in caplog.text
    assert not any(p.exists() for p in old_paths)
    old.refresh_from_db()
    assert (old.file.name, old.error_report.name) == ("", "")
    assert (old.households_created, old.error_rows) == (1, 1)  # the record of the import stays
    recent.refresh_from_db()
    assert protected_path(recent.file.name).exists()
    assert protected_path(recent.error_report.name).exists()
    # Idempotent: a second run finds nothing; a run interrupted after deleting the files finishes.
    assert purge_expired_imports() == {"imports": 0, "files_deleted": 0}
    age(recent, 31)
    for stored in (recent.file.name, recent.error_report.name):
        protected_path(stored).unlink()
    assert purge_expired_imports() == {"imports": 1, "files_deleted": 0}


def test_the_retention_is_a_setting(clerk, xiuwu_village, settings):
    settings.UPLOAD_RETENTION_DAYS = 7
    job, _ = an_import_with_errors(clerk, xiuwu_village, seed=15)
    age(job, 8)
    assert purge_expired_imports()["imports"] == 1


def test_the_job_runs_daily_from_the_schedule_in_code(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["households-purge-expired-imports"]
    assert entry["task"] == purge_expired_imports.name
    assert entry["schedule"] == crontab(hour=1, minute=40)


def test_opening_an_expired_import_says_so_in_chinese(client, api_as, clerk, xiuwu_village):
    job, _ = an_import_with_errors(clerk, xiuwu_village, seed=16)
    client.force_login(clerk)
    assert client.get(reverse("households:import_report", args=[job.pk])).status_code == 200
    age(job, 31)  # past the retention period: refused at once, before the daily job ran
    expected = "按保存期限删除"
    response = client.get(reverse("households:import_report", args=[job.pk]))
    assert response.status_code == 410
    assert expected in response.content.decode()
    page = client.get(reverse("households:import_status", args=[job.pk]))
    assert expected in page.content.decode()
    assert reverse("households:import_report", args=[job.pk]) not in page.content.decode()
    assert api_as(clerk).get(f"/api/v1/households/imports/{job.pk}/").json()["error_report_url"] is None
    purge_expired_imports()
    response = client.get(reverse("households:import_report", args=[job.pk]))
    assert response.status_code == 410
    assert expected in response.content.decode()


def test_a_queued_import_whose_file_expired_fails_with_a_message(clerk, xiuwu_village):
    number = id_numbers(1, seed=17)[0]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from households.services import import_start

    job = import_start(
        actor=clerk,
        upload=SimpleUploadedFile(
            "late.xlsx", workbook([household_row("EX0171", xiuwu_village.code, "赵六", number)])
        ),
        mode="valid_rows",
    )
    age(job, 31)
    purge_expired_imports()
    run_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.message == "上传的文件已超过保存期限并被删除。"
